//! Name references (kustomize's `nameReference` configuration and `FixBackReferences`): once
//! prefixes, suffixes and hashes have changed names, a field that named an object by one of its
//! earlier names (a pod template's ConfigMap volume, a StatefulSet's `serviceName`, a claim's
//! `volumeName`, ...) is changed to the object's final name.

use serde_json::Value;

use super::config;
use super::fieldspec::{self, FieldSpec};
use super::resource::{is_cluster_scoped, Resource};

/// An object of a referred kind: every name it has had, where it is, its final name.
struct Target {
    names: Vec<String>,
    namespace: String,
    cluster_scoped: bool,
    name: String,
    affixes: Vec<(String, String)>,
}

/// One referred kind and the fields of other kinds that name it.
struct Referral {
    kind: String,
    specs: Vec<FieldSpec>,
}

fn referrals() -> Vec<Referral> {
    let Ok(Value::Array(items)) = crate::manifest::yaml_to_json(config::NAME_REFERENCE) else { return Vec::new() };
    items
        .iter()
        .map(|item| Referral {
            kind: item.get("kind").and_then(Value::as_str).unwrap_or("").to_string(),
            specs: item
                .get("fieldSpecs")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(FieldSpec::from_value).collect())
                .unwrap_or_default(),
        })
        .collect()
}

pub fn fix(resources: &mut [Resource]) {
    for referral in referrals() {
        let targets: Vec<Target> = resources
            .iter()
            .filter(|r| r.kind() == referral.kind)
            .map(|r| Target {
                names: r.names.clone(),
                namespace: r.namespace().to_string(),
                cluster_scoped: is_cluster_scoped(r.kind()),
                name: r.name().to_string(),
                affixes: r.affixes.clone(),
            })
            .collect();
        for r in resources.iter_mut() {
            let ns = r.namespace().to_string();
            let referrer_cluster_scoped = is_cluster_scoped(r.kind());
            let affixes = r.affixes.clone();
            // A namespaced object names objects of its own namespace (or cluster-scoped ones);
            // a cluster-scoped one (a ClusterRoleBinding) may name any. Of several, the one
            // renamed with the same prefixes and suffixes as the referrer.
            let resolve = |old: &str| -> Option<(String, String)> {
                let candidates: Vec<&Target> = targets
                    .iter()
                    .filter(|t| {
                        t.names.iter().any(|n| n == old)
                            && (referrer_cluster_scoped || t.cluster_scoped || same_namespace(&t.namespace, &ns))
                    })
                    .collect();
                let pick = match candidates.as_slice() {
                    [one] => *one,
                    many => many.iter().find(|t| t.affixes == affixes).or(many.first()).copied()?,
                };
                Some((pick.name.clone(), pick.namespace.clone()))
            };
            let specs: Vec<&FieldSpec> = referral.specs.iter().filter(|s| s.selects(r)).collect();
            for spec in specs {
                let referral_kind = referral.kind.as_str();
                fieldspec::visit(&mut r.value, &spec.path, false, &mut |v| rewrite(v, referral_kind, &resolve));
            }
        }
    }
}

/// A name (`"cm"`), a list of names (`resourceNames`), or an object with `name` (a binding's
/// subjects, a webhook's service), whose `kind` must then be the referred one when it has one;
/// such an object also gets the namespace of the object it names, as kustomize sets it.
fn rewrite(v: &mut Value, kind: &str, resolve: &dyn Fn(&str) -> Option<(String, String)>) {
    match v {
        Value::String(s) => {
            if let Some((new, _)) = resolve(s) {
                *s = new;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| rewrite(i, kind, resolve)),
        Value::Object(m) => {
            if m.get("kind").and_then(Value::as_str).is_some_and(|k| k != kind) {
                return;
            }
            let Some((new, ns)) = m.get("name").and_then(Value::as_str).and_then(resolve) else { return };
            m.insert("name".into(), Value::String(new));
            if !ns.is_empty() {
                m.insert("namespace".into(), Value::String(ns));
            }
        }
        _ => {}
    }
}

/// kustomize counts no namespace and `default` as the same.
fn same_namespace(a: &str, b: &str) -> bool {
    fn norm(s: &str) -> &str {
        if s.is_empty() {
            "default"
        } else {
            s
        }
    }
    norm(a) == norm(b)
}
