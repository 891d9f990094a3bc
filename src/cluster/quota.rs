//! The LimitRanger and ResourceQuota admission plugins (plugin/pkg/admission/limitranger,
//! apiserver's admission/plugin/resourcequota, v1.32): a new pod takes the default requests and
//! limits of its namespace's LimitRanges and must fit their min, max and ratio; a new object must
//! fit every quota of its namespace that tracks it, and is charged to them at once (the quota
//! controller recounts later).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{Cluster, Key};
use crate::api::kinds::{Kind, LIMITRANGE, RESOURCEQUOTA};
use crate::api::object::{set_annotation, set_at};
use crate::api::quantity::Quantity;
use crate::api::quota::{self, Usage};
use crate::api::ObjectExt;
use crate::{Error, Result};

const LIMIT_RANGER_ANNOTATION: &str = "kubernetes.io/limit-ranger";

fn quantities(obj: &Value, path: &str) -> BTreeMap<String, Quantity> {
    obj.at(path)
        .and_then(Value::as_object)
        .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), Quantity::from_json(v)?))).collect())
        .unwrap_or_default()
}

/// The name an admission error gives the object (`extractResourceName`): its generateName while
/// the name is still to be generated.
fn admission_name(obj: &Value) -> &str {
    match obj.name() {
        "" => obj.str_at("metadata.generateName"),
        n => n,
    }
}

fn forbidden(kind: &Kind, obj: &Value, msg: &str) -> Error {
    Error::Forbidden(format!("{} \"{}\" is forbidden: {msg}", kind.resource(), admission_name(obj)))
}

impl Cluster {
    fn namespace_objects(&mut self, kind: &Kind, namespace: &str) -> Result<Vec<Value>> {
        self.load(kind, Some(namespace))?;
        Ok(self.iter(kind, Some(namespace)).filter(|o| !o.is_deleting()).cloned().collect())
    }

    /// LimitRanger's mutation: each container gets the default requests and limits of the
    /// namespace's `Container` items it does not state, noted in the pod's annotation.
    pub(super) fn limit_ranger_defaults(&mut self, pod: &mut Value) -> Result<()> {
        let ranges = self.namespace_objects(&LIMITRANGE, pod.namespace())?;
        // `defaultContainerResourceRequirements`: the last item of each LimitRange wins per key.
        let (mut requests, mut limits) = (serde_json::Map::new(), serde_json::Map::new());
        for lr in &ranges {
            for item in lr.array_at("spec.limits").iter().filter(|i| i.str_at("type") == "Container") {
                for (into, field) in [(&mut requests, "defaultRequest"), (&mut limits, "default")] {
                    if let Some(m) = item.get(field).and_then(Value::as_object) {
                        into.extend(m.clone());
                    }
                }
            }
            let mut notes = Vec::new();
            for (list, prefix) in [("containers", "container"), ("initContainers", "init container")] {
                let Some(containers) = pod.pointer_mut(&format!("/spec/{list}")).and_then(Value::as_array_mut) else {
                    continue;
                };
                for c in containers {
                    let name = c.str_at("name").to_string();
                    let set_requests = merge(c, "requests", &requests);
                    let set_limits = merge(c, "limits", &limits);
                    if !set_requests.is_empty() {
                        notes.push(format!("{} request for {prefix} {name}", set_requests.join(", ")));
                    }
                    if !set_limits.is_empty() {
                        notes.push(format!("{} limit for {prefix} {name}", set_limits.join(", ")));
                    }
                }
            }
            if !notes.is_empty() {
                set_annotation(pod, LIMIT_RANGER_ANNOTATION, &format!("LimitRanger plugin set: {}", notes.join("; ")));
            }
            requests.clear();
            limits.clear();
        }
        Ok(())
    }

    /// LimitRanger's validation (`PodValidateLimitFunc`, `PVCValidateLimitFunc`).
    pub(super) fn limit_ranger_check(&mut self, kind: &Kind, obj: &Value) -> Result<()> {
        if !matches!(kind.kind, "Pod" | "PersistentVolumeClaim") {
            return Ok(());
        }
        let ranges = self.namespace_objects(&LIMITRANGE, obj.namespace())?;
        let mut errors = Vec::new();
        for lr in &ranges {
            for item in lr.array_at("spec.limits") {
                let ty = item.str_at("type");
                match (kind.kind, ty) {
                    ("Pod", "Container") => {
                        for c in obj.array_at("spec.containers").iter().chain(obj.array_at("spec.initContainers")) {
                            let (req, lim) = (quantities(c, "resources.requests"), quantities(c, "resources.limits"));
                            check_item(item, ty, &req, &lim, &mut errors);
                        }
                    }
                    ("Pod", "Pod") => {
                        let (req, lim) = pod_totals(obj);
                        check_item(item, ty, &req, &lim, &mut errors);
                    }
                    ("PersistentVolumeClaim", "PersistentVolumeClaim") => {
                        let req = quantities(obj, "spec.resources.requests");
                        let lim = quantities(obj, "spec.resources.limits");
                        check_item(item, ty, &req, &lim, &mut errors);
                    }
                    _ => {}
                }
            }
        }
        match errors.len() {
            0 => Ok(()),
            1 => Err(forbidden(kind, obj, &errors[0])),
            _ => Err(forbidden(kind, obj, &format!("[{}]", errors.join(", ")))),
        }
    }

    /// The quotas of the namespace, their status filled in first when the quota controller has
    /// not counted them yet (it runs after the command's own writes).
    fn quotas_of(&mut self, namespace: &str) -> Result<Vec<Value>> {
        let mut quotas = self.namespace_objects(&RESOURCEQUOTA, namespace)?;
        for q in &mut quotas {
            if q.at("status.used").is_none() && q.at("spec.hard").is_some() {
                *q = (*self.recount_quota(q)?).clone();
            }
        }
        Ok(quotas)
    }

    /// ResourceQuota admission (`CheckRequest`) for a new object: refused when a matching quota
    /// would be exceeded or when its pod constraints are not met; else charged to each quota.
    pub(super) fn admit_quota(&mut self, kind: &Kind, obj: &Value) -> Result<()> {
        if !kind.namespaced || kind.kind == "Event" {
            return Ok(());
        }
        let quotas = self.quotas_of(obj.namespace())?;
        if quotas.is_empty() {
            return Ok(());
        }
        let input = quota::usage(kind, obj);
        let mut charged = Vec::new();
        for q in &quotas {
            if !quota::quota_matches(q, kind, obj) {
                continue;
            }
            let hard = quota::hard(q);
            let restricted = quota::matching_resources(kind, &hard);
            if kind.kind == "Pod" {
                if let Some(msg) = quota::pod_constraints(&restricted, obj) {
                    return Err(forbidden(kind, obj, &format!("failed quota: {}: {msg}", q.name())));
                }
            }
            let requested: Usage = quota::mask(&input, &restricted).into_iter().filter(|(_, v)| !v.is_zero()).collect();
            if requested.is_empty() {
                continue;
            }
            let used = quota::used(q);
            let new_used = quota::add(&used, &requested);
            let exceeded: Vec<String> = requested
                .keys()
                .filter(|k| match (new_used.get(*k), hard.get(*k)) {
                    (Some(n), Some(h)) => n > h,
                    _ => false,
                })
                .cloned()
                .collect();
            if !exceeded.is_empty() {
                let msg = format!(
                    "exceeded quota: {}, requested: {}, used: {}, limited: {}",
                    q.name(),
                    quota::pretty(&quota::mask(&requested, &exceeded)),
                    quota::pretty(&quota::mask(&used, &exceeded)),
                    quota::pretty(&quota::mask(&hard, &exceeded))
                );
                return Err(forbidden(kind, obj, &msg));
            }
            charged.push((q.clone(), new_used));
        }
        for (mut q, used) in charged {
            let mut all = quota::used(&q);
            all.extend(used);
            set_at(&mut q, "status.used", quota::to_json(&all));
            self.update_status(q)?;
        }
        Ok(())
    }

    /// The quota controller's count (`syncResourceQuota`): `status.hard` is `spec.hard`, and
    /// `status.used` what the namespace's matching objects use, for each hard resource.
    pub fn recount_quota(&mut self, q: &Value) -> Result<std::rc::Rc<Value>> {
        let hard = quota::spec_hard(q);
        let mut used: Usage = hard.keys().map(|k| (k.clone(), Quantity::zero())).collect();
        for kind in quota_kinds(&hard) {
            let names = quota::matching_resources(kind, &hard);
            for obj in self.namespace_objects(kind, q.namespace())? {
                if quota::quota_matches(&with_status_hard(q), kind, &obj) {
                    used = quota::add(&used, &quota::mask(&quota::usage(kind, &obj), &names));
                }
            }
        }
        let mut updated = q.clone();
        set_at(&mut updated, "status", json!({"hard": quota::to_json(&hard), "used": quota::to_json(&used)}));
        if updated.get("status") == q.get("status") {
            let key = Key::new(&RESOURCEQUOTA, q.namespace(), q.name());
            if let Some(current) = self.get_shared(&key)? {
                return Ok(current);
            }
        }
        self.update_status(updated)
    }
}

/// The quota as matching reads it (its hard resources from the spec, before status has them).
fn with_status_hard(q: &Value) -> Value {
    let mut q = q.clone();
    let hard = q.at("spec.hard").cloned().unwrap_or_else(|| json!({}));
    set_at(&mut q, "status.hard", hard);
    q
}

/// The kinds whose objects the hard resources count.
fn quota_kinds(hard: &Usage) -> Vec<&'static Kind> {
    let mut out: Vec<&'static Kind> = Vec::new();
    for kind in crate::api::kinds::all() {
        if kind.namespaced && !quota::matching_resources(kind, hard).is_empty() && !out.contains(&kind) {
            out.push(kind);
        }
    }
    out
}

/// Adds the defaults a container lacks; returns the resource names it set, sorted.
fn merge(container: &mut Value, field: &str, defaults: &serde_json::Map<String, Value>) -> Vec<String> {
    if defaults.is_empty() {
        return Vec::new();
    }
    if !container.get("resources").is_some_and(Value::is_object) {
        container["resources"] = json!({});
    }
    let resources = &mut container["resources"];
    if !resources.get(field).is_some_and(Value::is_object) {
        resources[field] = json!({});
    }
    let mut set = Vec::new();
    if let Some(m) = resources[field].as_object_mut() {
        for (k, v) in defaults {
            if !m.contains_key(k) {
                m.insert(k.clone(), v.clone());
                set.push(k.clone());
            }
        }
    }
    set.sort();
    set
}

/// `getPodResourceRequirements`: containers summed, an init container's when larger.
fn pod_totals(pod: &Value) -> (BTreeMap<String, Quantity>, BTreeMap<String, Quantity>) {
    let total = |field: &str| {
        let mut sum: BTreeMap<String, Quantity> = BTreeMap::new();
        for c in pod.array_at("spec.containers") {
            for (k, v) in quantities(c, &format!("resources.{field}")) {
                let s = sum.get(&k).copied().unwrap_or_else(Quantity::zero).plus(v);
                sum.insert(k, s);
            }
        }
        for c in pod.array_at("spec.initContainers") {
            for (k, v) in quantities(c, &format!("resources.{field}")) {
                if sum.get(&k).is_none_or(|s| v > *s) {
                    sum.insert(k, v);
                }
            }
        }
        sum
    };
    (total("requests"), total("limits"))
}

/// `minConstraint`, `maxConstraint` and `limitRequestRatioConstraint` of one item, in resource
/// name order.
fn check_item(
    item: &Value,
    ty: &str,
    req: &BTreeMap<String, Quantity>,
    lim: &BTreeMap<String, Quantity>,
    errors: &mut Vec<String>,
) {
    for (res, min) in quantities(item, "min") {
        match (req.get(&res), lim.get(&res)) {
            (None, _) => errors.push(format!("minimum {res} usage per {ty} is {min}.  No request is specified")),
            (Some(r), _) if r.milli_value() < min.milli_value() => {
                errors.push(format!("minimum {res} usage per {ty} is {min}, but request is {r}"))
            }
            (_, Some(l)) if l.milli_value() < min.milli_value() => {
                errors.push(format!("minimum {res} usage per {ty} is {min}, but limit is {l}"))
            }
            _ => {}
        }
    }
    for (res, max) in quantities(item, "max") {
        match (req.get(&res), lim.get(&res)) {
            (_, None) => errors.push(format!("maximum {res} usage per {ty} is {max}.  No limit is specified")),
            (_, Some(l)) if l.milli_value() > max.milli_value() => {
                errors.push(format!("maximum {res} usage per {ty} is {max}, but limit is {l}"))
            }
            (Some(r), _) if r.milli_value() > max.milli_value() => {
                errors.push(format!("maximum {res} usage per {ty} is {max}, but request is {r}"))
            }
            _ => {}
        }
    }
    for (res, ratio) in quantities(item, "maxLimitRequestRatio") {
        let r = req.get(&res).map(Quantity::milli_value).unwrap_or(0);
        let l = lim.get(&res).map(Quantity::milli_value).unwrap_or(0);
        if r == 0 {
            errors.push(format!(
                "{res} max limit to request ratio per {ty} is {ratio}, but no request is specified or request is 0"
            ));
        } else if l == 0 {
            errors.push(format!(
                "{res} max limit to request ratio per {ty} is {ratio}, but no limit is specified or limit is 0"
            ));
        } else {
            let observed = l as f64 / r as f64;
            if observed * 1000.0 > ratio.milli_value() as f64 {
                errors.push(format!(
                    "{res} max limit to request ratio per {ty} is {ratio}, but provided ratio is {observed:.6}"
                ));
            }
        }
    }
}
