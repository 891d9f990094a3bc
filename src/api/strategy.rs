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
        drop_type_dependent(old, new);
    }
}

fn needs_node_ports(svc: &Value) -> bool {
    matches!(svc.str_at("spec.type"), "NodePort" | "LoadBalancer")
}

/// `needsHCNodePort`: a LoadBalancer that keeps traffic on the nodes with endpoints.
pub fn needs_health_check_port(svc: &Value) -> bool {
    svc.str_at("spec.type") == "LoadBalancer" && svc.str_at("spec.externalTrafficPolicy") == "Local"
}

/// `dropTypeDependentFields`: a Service whose new type no longer uses a field the server filled
/// in, and whose update left that field as it was, loses it (`patch -p
/// '{"spec":{"type":"ClusterIP"}}'` on a NodePort service drops its node ports).
fn drop_type_dependent(old: &Value, new: &mut Value) {
    let same = |field: &str, new: &Value| old.at(&format!("spec.{field}")) == new.at(&format!("spec.{field}"));
    let needs_ip = |svc: &Value| svc.str_at("spec.type") != "ExternalName";
    let mut drop = Vec::new();
    if needs_ip(old) && !needs_ip(new) && same("clusterIP", new) && same("clusterIPs", new) {
        drop.extend(["clusterIP", "clusterIPs"]);
    }
    let node_ports =
        |svc: &Value| -> Vec<Option<i64>> { svc.array_at("spec.ports").iter().map(|p| p.i64_at("nodePort")).collect() };
    let wipe_ports = needs_node_ports(old) && !needs_node_ports(new) && node_ports(old) == node_ports(new);
    if needs_health_check_port(old) && !needs_health_check_port(new) && same("healthCheckNodePort", new) {
        drop.push("healthCheckNodePort");
    }
    let lb = |svc: &Value| svc.str_at("spec.type") == "LoadBalancer";
    if lb(old) && !lb(new) {
        if same("allocateLoadBalancerNodePorts", new) {
            drop.push("allocateLoadBalancerNodePorts");
        }
        if same("loadBalancerClass", new) {
            drop.push("loadBalancerClass");
        }
    }
    if needs_node_ports(old) && !needs_node_ports(new) && same("externalTrafficPolicy", new) {
        drop.push("externalTrafficPolicy");
    }
    let Some(spec) = new.get_mut("spec").and_then(Value::as_object_mut) else { return };
    for field in drop {
        spec.remove(field);
    }
    if wipe_ports {
        for port in spec.get_mut("ports").and_then(Value::as_array_mut).into_iter().flatten() {
            if let Some(m) = port.as_object_mut() {
                m.remove("nodePort");
            }
        }
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
    if needs_health_check_port(old)
        && needs_health_check_port(new)
        && new.i64_at("spec.healthCheckNodePort").unwrap_or(0) == 0
    {
        copy(old, new, "healthCheckNodePort");
    }
    if !(needs_node_ports(old) && needs_node_ports(new)) {
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

    #[test]
    fn a_type_change_drops_the_fields_the_server_filled_in_for_the_old_type() {
        let old = json!({"kind": "Service", "spec": {"type": "LoadBalancer", "clusterIP": "10.96.0.9",
                         "externalTrafficPolicy": "Local", "healthCheckNodePort": 31000,
                         "allocateLoadBalancerNodePorts": true, "ports": [{"port": 80, "nodePort": 30001}]}});
        let mut node_port = old.clone();
        node_port["spec"]["type"] = json!("NodePort");
        prepare_update(&old, &mut node_port);
        assert_eq!(node_port["spec"]["ports"][0]["nodePort"], 30001);
        assert_eq!(node_port["spec"]["externalTrafficPolicy"], "Local");
        assert!(node_port["spec"].get("healthCheckNodePort").is_none());
        assert!(node_port["spec"].get("allocateLoadBalancerNodePorts").is_none());
        let mut cluster_ip = node_port.clone();
        cluster_ip["spec"]["type"] = json!("ClusterIP");
        prepare_update(&node_port, &mut cluster_ip);
        assert_eq!(cluster_ip["spec"]["ports"], json!([{"port": 80}]));
        assert!(cluster_ip["spec"].get("externalTrafficPolicy").is_none());
        // A node port the update asks for stays, for validation to refuse.
        let mut asked = node_port.clone();
        asked["spec"]["type"] = json!("ClusterIP");
        asked["spec"]["ports"][0]["nodePort"] = json!(30002);
        prepare_update(&node_port, &mut asked);
        assert_eq!(asked["spec"]["ports"][0]["nodePort"], 30002);
    }
}
