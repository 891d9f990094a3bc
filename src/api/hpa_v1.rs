//! autoscaling/v1 HorizontalPodAutoscalers, as the API server converts them to and from the
//! autoscaling/v2 form kstate stores. kubectl v1.32's `autoscale` builds and sends a v1 object
//! (v1.33 moved to v2); v1 knows only a CPU utilization target, which is v2's CPU `Resource`
//! metric of type `Utilization`.
//!
//! What v1 cannot hold (other metrics, `behavior`, conditions) the API server keeps in
//! `autoscaling.alpha.kubernetes.io/*` annotations of the v1 view; kstate leaves them out.

use serde_json::{json, Value};

use super::kinds::Kind;
use super::object::ObjectExt;

pub const API_VERSION: &str = "autoscaling/v1";

/// The autoscaling/v1 resource `kstate serve` answers beside v2. It is kept out of the kinds
/// table, so that names and manifests keep mapping to the v2 kind.
pub static KIND: Kind = Kind {
    kind: "HorizontalPodAutoscaler",
    plural: "horizontalpodautoscalers",
    singular: "horizontalpodautoscaler",
    short: &["hpa"],
    group: "autoscaling",
    version: "v1",
    namespaced: true,
};

/// Is this the v1 resource (a request to be converted)?
pub fn is_v1(kind: &Kind) -> bool {
    std::ptr::eq(kind, &KIND)
}

/// The v2 object a v1 HorizontalPodAutoscaler is.
pub fn to_v2(v1: &Value) -> Value {
    let mut out = v1.clone();
    out["apiVersion"] = json!("autoscaling/v2");
    if let Some(spec) = out.get_mut("spec").and_then(Value::as_object_mut) {
        if let Some(cpu) = spec.remove("targetCPUUtilizationPercentage") {
            spec.insert(
                "metrics".into(),
                json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": cpu}}}]),
            );
        }
    }
    if let Some(status) = out.get_mut("status").and_then(Value::as_object_mut) {
        if let Some(cpu) = status.remove("currentCPUUtilizationPercentage") {
            status.insert(
                "currentMetrics".into(),
                json!([{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": cpu}}}]),
            );
        }
    }
    out
}

/// A v1 object written over the stored v2 one: what v1 cannot say (the status, `behavior`, the
/// metrics other than the CPU target) is kept from the stored object, as the API server keeps it
/// through the v1 view's annotations.
pub fn over(stored: &Value, v1: &Value) -> Value {
    let mut out = to_v2(v1);
    if let Some(status) = stored.get("status") {
        out["status"] = status.clone();
    }
    let Some(spec) = out.get_mut("spec").and_then(Value::as_object_mut) else { return out };
    if let Some(behavior) = stored.at("spec.behavior") {
        spec.entry("behavior").or_insert_with(|| behavior.clone());
    }
    let others: Vec<Value> =
        stored.array_at("spec.metrics").iter().filter(|m| !is_cpu_utilization(m)).cloned().collect();
    if !others.is_empty() {
        let metrics = spec.entry("metrics").or_insert_with(|| json!([]));
        if let Some(list) = metrics.as_array_mut() {
            list.extend(others);
        }
    }
    out
}

fn is_cpu_utilization(m: &Value) -> bool {
    m.str_at("type") == "Resource"
        && m.str_at("resource.name") == "cpu"
        && m.str_at("resource.target.type") == "Utilization"
}

/// The v1 view of a stored (v2) HorizontalPodAutoscaler.
pub fn to_v1(v2: &Value) -> Value {
    let mut out = v2.clone();
    out["apiVersion"] = json!(API_VERSION);
    if let Some(spec) = out.get_mut("spec").and_then(Value::as_object_mut) {
        let metrics = spec.remove("metrics");
        spec.remove("behavior");
        let target = metrics.as_ref().and_then(|m| cpu_metric(m, "target", "averageUtilization"));
        if let Some(cpu) = target {
            spec.insert("targetCPUUtilizationPercentage".into(), cpu);
        }
    }
    if let Some(status) = out.get_mut("status").and_then(Value::as_object_mut) {
        let current = status.remove("currentMetrics");
        status.remove("conditions");
        let cpu = current.as_ref().and_then(|m| cpu_metric(m, "current", "averageUtilization"));
        if let Some(cpu) = cpu {
            status.insert("currentCPUUtilizationPercentage".into(), cpu);
        }
        // v1's replica counts are no pointers: they are always there.
        status.entry("currentReplicas").or_insert(json!(0));
        status.entry("desiredReplicas").or_insert(json!(0));
    } else {
        out["status"] = json!({"currentReplicas": 0, "desiredReplicas": 0});
    }
    out
}

/// The CPU resource metric's `part.field` (`target.averageUtilization`, `current...`).
fn cpu_metric(metrics: &Value, part: &str, field: &str) -> Option<Value> {
    metrics.as_array()?.iter().find_map(|m| {
        let cpu = m.str_at("type") == "Resource" && m.str_at("resource.name") == "cpu";
        let utilization = part != "target" || m.str_at("resource.target.type") == "Utilization";
        (cpu && utilization).then(|| m.at(&format!("resource.{part}.{field}")).cloned()).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cpu_target_is_the_cpu_utilization_metric() {
        let v1 = json!({"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
            "spec": {"maxReplicas": 3, "targetCPUUtilizationPercentage": 70}, "status": {"currentReplicas": 0, "desiredReplicas": 0}});
        let v2 = to_v2(&v1);
        assert_eq!(v2["apiVersion"], "autoscaling/v2");
        assert_eq!(v2.pointer("/spec/metrics/0/resource/target/averageUtilization"), Some(&json!(70)));
        assert!(v2.pointer("/spec/targetCPUUtilizationPercentage").is_none());
        assert_eq!(to_v1(&v2), v1);
    }

    #[test]
    fn a_v1_write_keeps_what_v1_cannot_say() {
        let stored = json!({"apiVersion": "autoscaling/v2", "spec": {"maxReplicas": 2, "behavior": {"x": 1}, "metrics": [
            {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}},
            {"type": "Pods", "pods": {"metric": {"name": "qps"}}}]}, "status": {"desiredReplicas": 2}});
        let mut v1 = to_v1(&stored);
        v1["spec"]["targetCPUUtilizationPercentage"] = json!(60);
        let written = over(&stored, &v1);
        assert_eq!(written.pointer("/spec/metrics/0/resource/target/averageUtilization"), Some(&json!(60)));
        assert_eq!(written.pointer("/spec/metrics/1/type"), Some(&json!("Pods")));
        assert_eq!(written["spec"]["behavior"], json!({"x": 1}));
        assert_eq!(written["status"], stored["status"]);
    }

    #[test]
    fn other_metrics_and_status_details_are_not_in_v1() {
        let v2 = json!({"apiVersion": "autoscaling/v2", "spec": {"maxReplicas": 2, "metrics": [
            {"type": "Resource", "resource": {"name": "memory", "target": {"type": "Utilization", "averageUtilization": 50}}}]},
            "status": {"desiredReplicas": 1, "conditions": [], "currentMetrics": [
                {"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 12}}}]}});
        let v1 = to_v1(&v2);
        assert_eq!(v1["spec"], json!({"maxReplicas": 2}));
        assert_eq!(
            v1["status"],
            json!({"desiredReplicas": 1, "currentReplicas": 0, "currentCPUUtilizationPercentage": 12})
        );
    }
}
