//! `kstate node fail|recover NODE` (kstate's own): the node's kubelet stops posting status, as
//! when a machine dies or is cut off, or comes back. The node lifecycle controller then does what
//! it does on a real cluster: NotReady, the unreachable taints, pods not ready, and taint-based
//! eviction once the pods' 300 s toleration has run out (`kstate advance 5m`).

use serde_json::{json, Value};

use super::Context;
use crate::api::kinds::NODE;
use crate::api::object::set_at;
use crate::api::ObjectExt;
use crate::cluster::Key;
use crate::{Error, Result};

pub fn run(ctx: &mut Context, action: &str, name: &str) -> Result<()> {
    let fail = match action {
        "fail" => true,
        "recover" => false,
        other => return Err(Error::cli(format!("unknown node action {other:?}: use fail or recover"))),
    };
    let mut cluster = ctx.write()?;
    let Some(mut node) = cluster.get(&Key::new(&NODE, "", name))? else {
        cluster.abandon()?;
        return Err(Error::not_found("nodes", name));
    };
    let now = cluster.clock.now_rfc3339();
    let conditions: Vec<Value> = node.array_at("status.conditions").iter().map(|c| condition(c, fail, &now)).collect();
    set_at(&mut node, "status.conditions", Value::Array(conditions));
    cluster.update_status(node)?;
    ctx.finish(cluster)?;
    ctx.say(&format!("node/{name} {}", if fail { "failed" } else { "recovered" }))
}

/// A condition as the node controller writes it when the kubelet goes silent, or as the kubelet
/// writes it again once it is back.
fn condition(c: &Value, fail: bool, now: &str) -> Value {
    let kind = c.str_at("type");
    let mut next = c.clone();
    if fail {
        next["status"] = json!("Unknown");
        next["reason"] = json!("NodeStatusUnknown");
        next["message"] = json!("Kubelet stopped posting node status.");
        next["lastTransitionTime"] = json!(now);
        return next;
    }
    let (status, reason, message) = match kind {
        "Ready" => ("True", "KubeletReady", "kubelet is posting ready status"),
        "MemoryPressure" => ("False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        "DiskPressure" => ("False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        "PIDPressure" => ("False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        _ => return next,
    };
    next = json!({"lastHeartbeatTime": now, "lastTransitionTime": now, "message": message,
                  "reason": reason, "status": status, "type": kind});
    next
}
