//! `kubectl describe` of the RBAC kinds: a role's rules as kubectl's PolicyRule table (each rule
//! broken down to one verb per resource, then the verbs of a resource merged again, sorted as
//! the rules' Go strings sort), a binding's role and subjects. None of them shows events.

use std::collections::HashMap;

use serde_json::Value;

use super::common::{annotations_multiline, labels_multiline, string_map, Writer};
use crate::api::ObjectExt;

/// A policy rule reduced to its lists.
#[derive(Clone, Default, PartialEq)]
struct Rule {
    verbs: Vec<String>,
    groups: Vec<String>,
    resources: Vec<String>,
    names: Vec<String>,
    urls: Vec<String>,
}

impl Rule {
    fn read(rule: &Value) -> Rule {
        let list = |f: &str| -> Vec<String> {
            rule.get(f).and_then(Value::as_array).map_or_else(Vec::new, |items| {
                items.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect()
            })
        };
        Rule {
            verbs: list("verbs"),
            groups: list("apiGroups"),
            resources: list("resources"),
            names: list("resourceNames"),
            urls: list("nonResourceURLs"),
        }
    }

    /// The generated `PolicyRule.String()`, which kubectl sorts the table by.
    fn go_string(&self) -> String {
        let v = |l: &[String]| format!("[{}]", l.join(" "));
        format!(
            "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
            v(&self.verbs),
            v(&self.groups),
            v(&self.resources),
            v(&self.names),
            v(&self.urls)
        )
    }
}

fn one(s: &str) -> Vec<String> {
    vec![s.to_string()]
}

/// `BreakdownRule`: one rule per group, resource, verb (and resource name); one per
/// non-resource URL and verb.
fn breakdown(rule: &Rule) -> Vec<Rule> {
    let mut out = Vec::new();
    for group in &rule.groups {
        for resource in &rule.resources {
            for verb in &rule.verbs {
                let base = Rule { verbs: one(verb), groups: one(group), resources: one(resource), ..Rule::default() };
                if rule.names.is_empty() {
                    out.push(base);
                } else {
                    out.extend(rule.names.iter().map(|n| Rule { names: one(n), ..base.clone() }));
                }
            }
        }
    }
    for url in &rule.urls {
        out.extend(rule.verbs.iter().map(|verb| Rule { verbs: one(verb), urls: one(url), ..Rule::default() }));
    }
    out
}

/// `CompactRules` over broken-down rules: those on one group and resource (and at most one
/// name) gather their verbs; the others stay as they are.
fn compact(rules: Vec<Rule>) -> Vec<Rule> {
    let mut out = Vec::new();
    let mut simple: HashMap<(String, String, Option<String>), usize> = HashMap::new();
    let mut merged: Vec<Rule> = Vec::new();
    for rule in rules {
        let is_simple =
            rule.urls.is_empty() && rule.names.len() <= 1 && rule.groups.len() == 1 && rule.resources.len() == 1;
        if !is_simple {
            out.push(rule);
            continue;
        }
        let key = (rule.groups[0].clone(), rule.resources[0].clone(), rule.names.first().cloned());
        match simple.get(&key) {
            Some(&i) => merged[i].verbs.extend(rule.verbs),
            None => {
                simple.insert(key, merged.len());
                merged.push(rule);
            }
        }
    }
    out.extend(merged);
    out
}

/// `CombineResourceGroup`: `resource.group/subresource` of the first resource and group.
fn resource_group(rule: &Rule) -> String {
    let Some(first) = rule.resources.first() else { return String::new() };
    let (resource, sub) = match first.split_once('/') {
        Some((r, s)) => (r, Some(s)),
        None => (first.as_str(), None),
    };
    let mut out = resource.to_string();
    if let Some(group) = rule.groups.first().filter(|g| !g.is_empty()) {
        out.push('.');
        out.push_str(group);
    }
    if let Some(sub) = sub {
        out.push('/');
        out.push_str(sub);
    }
    out
}

fn header(w: &mut Writer, obj: &Value) {
    w.line(0, &format!("Name:\t{}", obj.name()));
    labels_multiline(w, "Labels", &string_map(obj, "metadata.labels"));
    annotations_multiline(w, "Annotations", &string_map(obj, "metadata.annotations"));
}

/// `RoleDescriber` and `ClusterRoleDescriber`.
pub fn role(obj: &Value) -> String {
    let broken: Vec<Rule> = obj.array_at("rules").iter().flat_map(|r| breakdown(&Rule::read(r))).collect();
    let mut rules: Vec<(String, Rule)> = compact(broken).into_iter().map(|r| (r.go_string(), r)).collect();
    rules.sort_by(|a, b| a.0.cmp(&b.0));
    let mut w = Writer::new();
    header(&mut w, obj);
    w.line(0, "PolicyRule:");
    w.line(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs");
    w.line(1, "---------\t-----------------\t--------------\t-----");
    for (_, r) in &rules {
        let v = |l: &[String]| format!("[{}]", l.join(" "));
        w.line(1, &format!("{}\t{}\t{}\t{}", resource_group(r), v(&r.urls), v(&r.names), v(&r.verbs)));
    }
    w.finish()
}

/// `RoleBindingDescriber` and `ClusterRoleBindingDescriber`.
pub fn binding(obj: &Value) -> String {
    let mut w = Writer::new();
    header(&mut w, obj);
    w.line(0, "Role:");
    w.line(1, &format!("Kind:\t{}", obj.str_at("roleRef.kind")));
    w.line(1, &format!("Name:\t{}", obj.str_at("roleRef.name")));
    w.line(0, "Subjects:");
    w.line(1, "Kind\tName\tNamespace");
    w.line(1, "----\t----\t---------");
    for s in obj.array_at("subjects") {
        w.line(1, &format!("{}\t{}\t{}", s.str_at("kind"), s.str_at("name"), s.str_at("namespace")));
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn rules_are_broken_down_merged_and_sorted_as_go_strings() {
        let obj = json!({"metadata": {"name": "r"}, "rules": [
            {"apiGroups": ["", "apps"], "resources": ["pods", "deployments/scale"], "verbs": ["get", "list"]},
            {"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["a", "b"], "verbs": ["get"]},
            {"nonResourceURLs": ["/healthz"], "verbs": ["get"]},
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["watch"]},
        ]});
        let want = "Name:         r
Labels:       <none>
Annotations:  <none>
PolicyRule:
  Resources               Non-Resource URLs  Resource Names  Verbs
  ---------               -----------------  --------------  -----
  pods                    []                 []              [get list watch]
  deployments/scale       []                 []              [get list]
  deployments.apps/scale  []                 []              [get list]
  pods.apps               []                 []              [get list]
                          [/healthz]         []              [get]
  secrets                 []                 [a]             [get]
  secrets                 []                 [b]             [get]
";
        assert_eq!(role(&obj), want);
    }
}
