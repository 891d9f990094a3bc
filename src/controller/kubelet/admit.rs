//! The kubelet's admission of a pod bound to its node: a pod whose host ports are already taken
//! by another pod on the node is rejected (phase Failed), as `NodePorts` predicate failures are.

use foldhash::HashSet;
use serde_json::{json, Value};

use crate::api::kinds::POD;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, EventSource};
use crate::Result;

/// The (hostPort, protocol) pairs a pod claims on its node.
pub fn host_ports(pod: &Value) -> HashSet<(i64, String)> {
    pod.array_at("spec.containers")
        .iter()
        .flat_map(|c| c.array_at("ports"))
        .filter_map(|p| {
            let port = p.i64_at("hostPort").filter(|n| *n > 0)?;
            let protocol = match p.str_at("protocol") {
                "" => "TCP",
                other => other,
            };
            Some((port, protocol.to_string()))
        })
        .collect()
}

/// Rejects the pod when another live pod on the node holds one of its host ports; returns whether
/// it was rejected.
pub fn reject_port_conflict(cluster: &mut Cluster, pod: &Value, source: EventSource) -> Result<bool> {
    let wanted = host_ports(pod);
    if wanted.is_empty() {
        return Ok(false);
    }
    cluster.load(&POD, None)?;
    let taken = cluster.iter(&POD, None).any(|other| {
        other.uid() != pod.uid()
            && other.str_at("spec.nodeName") == pod.str_at("spec.nodeName")
            && !matches!(other.str_at("status.phase"), "Succeeded" | "Failed")
            && !host_ports(other).is_disjoint(&wanted)
    });
    if !taken {
        return Ok(false);
    }
    let message = "Pod was rejected: Predicate NodePorts failed";
    cluster.warning(pod, source, "NodePorts", "Predicate NodePorts failed")?;
    let mut rejected = pod.clone();
    rejected["status"] = json!({
        "message": message,
        "phase": "Failed",
        "reason": "NodePorts",
        "startTime": cluster.clock.now_rfc3339(),
        "qosClass": pod.str_at("status.qosClass"),
    });
    cluster.update_status(rejected)?;
    Ok(true)
}
