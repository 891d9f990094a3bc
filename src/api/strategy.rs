//! What a kind's registry strategy does to an update before it is validated
//! (`PrepareForUpdate`, and the Service REST's `patchAllocatedValues`): the main resource cannot
//! change an object's status (only the status subresource can), and a Service that leaves out
//! the addresses and ports the server allocated keeps them. Pure: old and new object in.

use serde_json::Value;

use super::ObjectExt;

/// Kinds whose status only their status subresource writes.
fn has_status_subresource(kind: &str) -> bool {
    matches!(
        kind,
        "Pod"
            | "Service"
            | "PersistentVolumeClaim"
            | "PersistentVolume"
            | "Namespace"
            | "Node"
            | "StatefulSet"
            | "Deployment"
            | "ReplicaSet"
            | "ReplicationController"
            | "DaemonSet"
            | "Job"
            | "CronJob"
            | "HorizontalPodAutoscaler"
            | "PodDisruptionBudget"
            | "ResourceQuota"
    )
}

/// Prepares `new`, an update of the stored `old` through the main resource.
pub fn prepare_update(old: &Value, new: &mut Value) {
    if has_status_subresource(old.kind()) || super::custom::has_status(old.kind()) {
        match (old.get("status"), new.as_object_mut()) {
            (Some(status), Some(m)) => {
                m.insert("status".into(), status.clone());
            }
            (None, Some(m)) => {
                m.remove("status");
            }
            _ => {}
        }
    }
    if old.kind() == "Service" {
        keep_allocated(old, new);
    }
}

/// `patchAllocatedValues`: an empty clusterIP/clusterIPs, and node ports left out of a port that
/// still needs one, keep what was allocated; a changed clusterIP with unchanged clusterIPs moves
/// the list with it (`NormalizeClusterIPs`), so validation sees the change.
fn keep_allocated(old: &Value, new: &mut Value) {
    let needs_ip = |svc: &Value| svc.str_at("spec.type") != "ExternalName";
    if needs_ip(old) && needs_ip(new) {
        if new.str_at("spec.clusterIP").is_empty() {
            copy(old, new, "clusterIP");
        }
        if new.array_at("spec.clusterIPs").is_empty() {
            copy(old, new, "clusterIPs");
        }
    }
    let (old_ip, new_ip) = (old.str_at("spec.clusterIP"), new.str_at("spec.clusterIP").to_string());
    if old_ip != new_ip && old.at("spec.clusterIPs") == new.at("spec.clusterIPs") {
        if let Some(spec) = new.get_mut("spec").and_then(Value::as_object_mut) {
            let ips = if new_ip.is_empty() { Vec::new() } else { vec![Value::String(new_ip)] };
            spec.insert("clusterIPs".into(), Value::Array(ips));
        }
    }
    let needs_ports = |svc: &Value| matches!(svc.str_at("spec.type"), "NodePort" | "LoadBalancer");
    if !(needs_ports(old) && needs_ports(new)) {
        return;
    }
    let old_ports = old.array_at("spec.ports").to_vec();
    let Some(ports) = new.pointer_mut("/spec/ports").and_then(Value::as_array_mut) else { return };
    for port in ports {
        if port.get("nodePort").is_some_and(|n| !n.is_null()) {
            continue;
        }
        let same = old_ports.iter().find(|o| o.i64_at("port") == port.i64_at("port") && o.get("nodePort").is_some());
        if let (Some(o), Some(m)) = (same, port.as_object_mut()) {
            m.insert("nodePort".into(), o["nodePort"].clone());
        }
    }
}

fn copy(old: &Value, new: &mut Value, field: &str) {
    let Some(v) = old.at(&format!("spec.{field}")) else { return };
    if let Some(spec) = new.get_mut("spec").and_then(Value::as_object_mut) {
        spec.insert(field.into(), v.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn status_comes_from_the_stored_object() {
        let old = json!({"kind": "Pod", "status": {"phase": "Running"}});
        let mut new = json!({"kind": "Pod", "status": {"phase": "Failed"}});
        prepare_update(&old, &mut new);
        assert_eq!(new["status"]["phase"], "Running");
        let mut cm = json!({"kind": "ConfigMap", "status": {"x": 1}});
        prepare_update(&json!({"kind": "ConfigMap"}), &mut cm);
        assert_eq!(cm["status"]["x"], 1);
    }

    #[test]
    fn a_service_keeps_its_allocated_address_and_ports() {
        let old = json!({"kind": "Service", "spec": {"type": "NodePort", "clusterIP": "10.96.0.9",
                         "clusterIPs": ["10.96.0.9"], "ports": [{"port": 80, "nodePort": 30001}]}});
        let mut new = json!({"kind": "Service", "spec": {"type": "NodePort", "ports": [{"port": 80}]}});
        prepare_update(&old, &mut new);
        assert_eq!(new["spec"]["clusterIP"], "10.96.0.9");
        assert_eq!(new["spec"]["clusterIPs"], json!(["10.96.0.9"]));
        assert_eq!(new["spec"]["ports"][0]["nodePort"], 30001);
        let mut moved = old.clone();
        moved["spec"]["clusterIP"] = json!("10.96.0.10");
        prepare_update(&old, &mut moved);
        assert_eq!(moved["spec"]["clusterIPs"], json!(["10.96.0.10"]));
    }
}
