//! What a ResourceQuota counts (pkg/quota/v1/evaluator/core, v1.32), without I/O: the usage of one
//! object by resource name, whether a quota's scopes match a pod, the pod constraints of a quota
//! that tracks cpu or memory, and the words of the admission messages.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::kinds::Kind;
use super::quantity::Quantity;
use super::ObjectExt;

/// Usage or limits by resource name (`requests.cpu`, `count/pods`), in name order.
pub type Usage = BTreeMap<String, Quantity>;

/// The compute resources a pod quota may require every container to state.
const VALIDATED: [&str; 6] = ["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"];
/// The names the pod evaluator counts (besides `count/pods`).
const POD_RESOURCES: [&str; 10] = [
    "pods",
    "cpu",
    "memory",
    "requests.cpu",
    "requests.memory",
    "limits.cpu",
    "limits.memory",
    "ephemeral-storage",
    "requests.ephemeral-storage",
    "limits.ephemeral-storage",
];
/// Kinds whose objects also count under a legacy name (`configmaps` besides `count/configmaps`).
const LEGACY: [&str; 6] =
    ["configmaps", "secrets", "resourcequotas", "replicationcontrollers", "services", "persistentvolumeclaims"];

/// `count/<resource>[.<group>]`: the object count name of a kind.
pub fn count_name(kind: &Kind) -> String {
    format!("count/{}", kind.resource())
}

/// The resource names of `hard` the evaluator of `kind` counts.
pub fn matching_resources(kind: &Kind, hard: &Usage) -> Vec<String> {
    let count = count_name(kind);
    hard.keys()
        .filter(|name| {
            **name == count
                || (LEGACY.contains(&kind.plural) && kind.group.is_empty() && name.as_str() == kind.plural)
                || match kind.kind {
                    "Pod" => POD_RESOURCES.contains(&name.as_str()),
                    "PersistentVolumeClaim" => {
                        name.as_str() == "requests.storage"
                            || name.ends_with(".storageclass.storage.k8s.io/requests.storage")
                            || name.ends_with(".storageclass.storage.k8s.io/persistentvolumeclaims")
                    }
                    "Service" => matches!(name.as_str(), "services.loadbalancers" | "services.nodeports"),
                    _ => false,
                }
        })
        .cloned()
        .collect()
}

fn one() -> Quantity {
    Quantity::parse("1").unwrap_or_else(|_| Quantity::zero())
}

fn add_to(usage: &mut Usage, name: &str, q: Quantity) {
    let sum = usage.get(name).copied().unwrap_or_else(Quantity::zero).plus(q);
    usage.insert(name.to_string(), sum);
}

/// `quota.Add`.
pub fn add(a: &Usage, b: &Usage) -> Usage {
    let mut out = a.clone();
    for (k, v) in b {
        add_to(&mut out, k, *v);
    }
    out
}

fn quantities(obj: &Value, path: &str) -> Usage {
    obj.at(path)
        .and_then(Value::as_object)
        .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), Quantity::from_json(v)?))).collect())
        .unwrap_or_default()
}

/// `PodRequests`/`PodLimits` (simplified): the containers' sum, or the largest init container
/// when it is larger.
fn pod_totals(pod: &Value, field: &str) -> Usage {
    let mut sum = Usage::new();
    for c in pod.array_at("spec.containers") {
        for (k, v) in quantities(c, &format!("resources.{field}")) {
            add_to(&mut sum, &k, v);
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
}

/// `podComputeUsageHelper`: what requests and limits count as.
fn compute_usage(requests: &Usage, limits: &Usage) -> Usage {
    let mut out = Usage::new();
    out.insert("pods".into(), one());
    for res in ["cpu", "memory", "ephemeral-storage"] {
        if let Some(r) = requests.get(res) {
            out.insert(res.into(), *r);
            out.insert(format!("requests.{res}"), *r);
        }
        if let Some(l) = limits.get(res) {
            out.insert(format!("limits.{res}"), *l);
        }
    }
    out
}

/// A pod that has finished no longer counts its compute resources (`QuotaV1Pod`); one that is
/// terminating still does, until it is gone.
fn pod_counts_compute(pod: &Value) -> bool {
    !matches!(pod.str_at("status.phase"), "Succeeded" | "Failed")
}

/// The usage one object adds to its namespace.
pub fn usage(kind: &Kind, obj: &Value) -> Usage {
    let mut out = Usage::new();
    out.insert(count_name(kind), one());
    if LEGACY.contains(&kind.plural) && kind.group.is_empty() {
        out.insert(kind.plural.to_string(), one());
    }
    match kind.kind {
        "Pod" => {
            out.remove("pods");
            if pod_counts_compute(obj) {
                out.extend(compute_usage(&pod_totals(obj, "requests"), &pod_totals(obj, "limits")));
            }
        }
        "PersistentVolumeClaim" => {
            let storage = quantities(obj, "spec.resources.requests").get("storage").copied();
            let class = obj.str_at("spec.storageClassName");
            if let Some(s) = storage {
                out.insert("requests.storage".into(), s);
                if !class.is_empty() {
                    out.insert(format!("{class}.storageclass.storage.k8s.io/requests.storage"), s);
                }
            }
            if !class.is_empty() {
                out.insert(format!("{class}.storageclass.storage.k8s.io/persistentvolumeclaims"), one());
            }
        }
        "Service" => {
            let ty = obj.str_at("spec.type");
            let ports = obj.array_at("spec.ports").len();
            if ty == "LoadBalancer" {
                out.insert("services.loadbalancers".into(), one());
            }
            if matches!(ty, "NodePort" | "LoadBalancer") {
                let n = Quantity::parse(&ports.to_string()).unwrap_or_else(|_| Quantity::zero());
                out.insert("services.nodeports".into(), n);
            }
        }
        _ => {}
    }
    out
}

fn best_effort(pod: &Value) -> bool {
    pod.array_at("spec.containers")
        .iter()
        .chain(pod.array_at("spec.initContainers"))
        .all(|c| quantities(c, "resources.requests").is_empty() && quantities(c, "resources.limits").is_empty())
}

/// One scope selector term against a pod (`podMatchesScopeFunc`).
fn scope_matches(scope: &str, operator: &str, values: &[&str], pod: &Value) -> bool {
    let has = |b: bool| match operator {
        "DoesNotExist" => !b,
        _ => b,
    };
    match scope {
        "Terminating" => has(pod.i64_at("spec.activeDeadlineSeconds").is_some_and(|s| s >= 0)),
        "NotTerminating" => has(pod.i64_at("spec.activeDeadlineSeconds").is_none_or(|s| s < 0)),
        "BestEffort" => has(best_effort(pod)),
        "NotBestEffort" => has(!best_effort(pod)),
        "PriorityClass" => {
            let class = pod.str_at("spec.priorityClassName");
            match operator {
                "In" => values.contains(&class),
                "NotIn" => !values.contains(&class),
                "Exists" => !class.is_empty(),
                "DoesNotExist" => class.is_empty(),
                _ => false,
            }
        }
        _ => false,
    }
}

/// `evaluator.Matches`: the quota tracks one of the kind's resources and all its scopes match
/// (scopes only ever match pods).
pub fn quota_matches(quota: &Value, kind: &Kind, obj: &Value) -> bool {
    if matching_resources(kind, &hard(quota)).is_empty() {
        return false;
    }
    let mut terms: Vec<(String, String, Vec<String>)> = quota
        .array_at("spec.scopes")
        .iter()
        .filter_map(Value::as_str)
        .map(|s| (s.to_string(), "Exists".to_string(), Vec::new()))
        .collect();
    for e in quota.array_at("spec.scopeSelector.matchExpressions") {
        let values = e.array_at("values").iter().filter_map(Value::as_str).map(str::to_string).collect();
        terms.push((e.str_at("scopeName").to_string(), e.str_at("operator").to_string(), values));
    }
    if terms.is_empty() {
        return true;
    }
    kind.kind == "Pod"
        && terms.iter().all(|(scope, op, values)| {
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            scope_matches(scope, op, &values, obj)
        })
}

/// A quota's `status.hard` (what admission and describe read).
pub fn hard(quota: &Value) -> Usage {
    quantities(quota, "status.hard")
}

pub fn used(quota: &Value) -> Usage {
    quantities(quota, "status.used")
}

/// A quota's `spec.hard`.
pub fn spec_hard(quota: &Value) -> Usage {
    quantities(quota, "spec.hard")
}

/// The pod evaluator's `Constraints`: with cpu or memory under quota, every container must state
/// them (`must specify limits.cpu for: a,b; requests.memory for: a`).
pub fn pod_constraints(required: &[String], pod: &Value) -> Option<String> {
    let required: BTreeSet<&str> = required.iter().map(String::as_str).filter(|r| VALIDATED.contains(r)).collect();
    if required.is_empty() {
        return None;
    }
    let mut missing: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for c in pod.array_at("spec.containers").iter().chain(pod.array_at("spec.initContainers")) {
        let have = compute_usage(&quantities(c, "resources.requests"), &quantities(c, "resources.limits"));
        for r in &required {
            if !have.contains_key(*r) {
                missing.entry(r).or_default().insert(c.str_at("name").to_string());
            }
        }
    }
    if missing.is_empty() {
        return None;
    }
    let parts: Vec<String> = missing
        .iter()
        .map(|(r, names)| format!("{r} for: {}", names.iter().cloned().collect::<Vec<_>>().join(",")))
        .collect();
    Some(format!("must specify {}", parts.join("; ")))
}

/// `prettyPrint`: `k=v` pairs in name order, joined by commas.
pub fn pretty(usage: &Usage) -> String {
    usage.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// `quota.Mask`.
pub fn mask(usage: &Usage, names: &[String]) -> Usage {
    usage.iter().filter(|(k, _)| names.contains(k)).map(|(k, v)| (k.clone(), *v)).collect()
}

/// Writes a ResourceList in its JSON form.
pub fn to_json(usage: &Usage) -> Value {
    Value::Object(usage.iter().map(|(k, v)| (k.clone(), Value::String(v.to_string()))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::kinds::{CONFIGMAP, POD};
    use serde_json::json;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap_or_else(|_| Quantity::zero())
    }

    #[test]
    fn a_pod_counts_its_requests_and_limits() {
        let pod = json!({"spec": {"containers": [
            {"name": "a", "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"cpu": "200m"}}},
            {"name": "b", "resources": {"requests": {"cpu": "300m", "memory": "128Mi"}}}]}});
        let u = usage(&POD, &pod);
        assert_eq!(u.get("requests.cpu"), Some(&q("400m")));
        assert_eq!(u["requests.memory"].to_string(), "192Mi");
        assert_eq!(u["limits.cpu"].to_string(), "200m");
        assert_eq!(u["pods"].to_string(), "1");
        assert_eq!(u["count/pods"].to_string(), "1");
        assert_eq!(
            pod_constraints(&["limits.cpu".into(), "pods".into(), "limits.memory".into()], &pod).as_deref(),
            Some("must specify limits.cpu for: b; limits.memory for: a,b")
        );
        let done = json!({"spec": {"containers": []}, "status": {"phase": "Succeeded"}});
        assert!(!usage(&POD, &done).contains_key("pods"));
    }

    #[test]
    fn scopes_only_match_pods() {
        let quota = json!({"spec": {"scopes": ["BestEffort"]}, "status": {"hard": {"pods": "2", "configmaps": "1"}}});
        assert!(quota_matches(&quota, &POD, &json!({"spec": {"containers": [{"name": "a"}]}})));
        assert!(!quota_matches(&quota, &CONFIGMAP, &json!({})));
        assert_eq!(usage(&CONFIGMAP, &json!({}))["configmaps"].to_string(), "1");
    }
}
