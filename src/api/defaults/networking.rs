//! networking/v1 defaults (pkg/apis/networking/v1/defaults.go): a NetworkPolicy's ports are TCP
//! unless they say otherwise and its policy types are Ingress (plus Egress when it has egress
//! rules); an IngressClass's parameters are cluster-scoped unless they say otherwise.

use serde_json::{json, Value};

use super::{default, obj_mut};

/// `SetDefaults_NetworkPolicy` and `SetDefaults_NetworkPolicyPort`.
pub fn network_policy(obj: &mut Value) {
    let Some(spec) = obj_mut(obj, "spec") else { return };
    for direction in ["ingress", "egress"] {
        let rules = spec.get_mut(direction).and_then(Value::as_array_mut);
        for rule in rules.into_iter().flatten() {
            let ports = rule.get_mut("ports").and_then(Value::as_array_mut);
            for port in ports.into_iter().flatten().filter_map(Value::as_object_mut) {
                default(port, "protocol", json!("TCP"));
            }
        }
    }
    let has_types = spec.get("policyTypes").and_then(Value::as_array).is_some_and(|t| !t.is_empty());
    if !has_types {
        let egress = spec.get("egress").and_then(Value::as_array).is_some_and(|e| !e.is_empty());
        let types = if egress { json!(["Ingress", "Egress"]) } else { json!(["Ingress"]) };
        spec.insert("policyTypes".to_string(), types);
    }
}

/// `SetDefaults_IngressClass`.
pub fn ingress_class(obj: &mut Value) {
    let Some(params) = obj.pointer_mut("/spec/parameters").and_then(Value::as_object_mut) else { return };
    default(params, "scope", json!("Cluster"));
}
