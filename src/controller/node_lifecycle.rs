//! The node lifecycle controller, taint eviction and the pod garbage collector's node rule:
//! conditions become taints (`unschedulable`, `not-ready`, `unreachable`), pods on an unreachable
//! node turn not ready, pods that do not tolerate a NoExecute taint are deleted (at once, or after
//! their `tolerationSeconds`), pods of a deleted node go, and a Node created through the API is
//! registered as a simulated kubelet would (status from the profile, a Lease).

use serde_json::{json, Value};

use super::Controller;
use crate::api::kinds::{LEASE, NODE, POD};
use crate::api::object::set_at;
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, EventSource, Key, Propagation};
use crate::Result;

const NODE_CONTROLLER: EventSource<'static> = EventSource::component("node-controller");
const TAINT_EVICTION: EventSource<'static> = EventSource::component("taint-eviction-controller");
const UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";
const NOT_READY: &str = "node.kubernetes.io/not-ready";
const UNREACHABLE: &str = "node.kubernetes.io/unreachable";

#[derive(Default)]
pub struct NodeLifecycle;

/// The status of a node's Ready condition ("" when it has none).
const OUT_OF_SERVICE: &str = "node.kubernetes.io/out-of-service";

fn ready_status(node: &Value) -> &str {
    node.array_at("status.conditions").iter().find(|c| c.str_at("type") == "Ready").map_or("", |c| c.str_at("status"))
}

/// Has the node's kubelet stopped posting status?
pub fn kubelet_stopped(cluster: &mut Cluster, node: &str) -> Result<bool> {
    Ok(cluster.get_ref(&Key::new(&NODE, "", node))?.is_some_and(|n| ready_status(n) == "Unknown"))
}

impl Controller for NodeLifecycle {
    fn watch(&mut self, change: &Change, _cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match change.key.kind {
            "Node" => queue.push(change.key.clone()),
            // A pod bound to a node that has NoExecute taints may have to go.
            "Pod" => {
                if let Some(pod) = &change.object {
                    let bound = !pod.str_at("spec.nodeName").is_empty();
                    let newly = change.old.as_ref().is_none_or(|o| o.str_at("spec.nodeName").is_empty());
                    if bound && newly && !pod.is_deleting() {
                        queue.push(Key::new(&NODE, "", pod.str_at("spec.nodeName")));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn resync(&mut self, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        cluster.load(&NODE, None)?;
        let tainted = cluster
            .iter(&NODE, None)
            .filter(|n| n.array_at("spec.taints").iter().any(|t| t.str_at("effect") == "NoExecute"))
            .map(|n| Key::new(&NODE, "", n.name()));
        queue.extend(tainted.collect::<Vec<_>>());
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        // Shared, not copied: every attachment rewrites its node's status, and a node of 100
        // attached volumes is large; it is copied only to change its taints.
        let Some(mut node) = cluster.get_shared(key)? else {
            return collect_orphans(cluster, &key.name);
        };
        if node.is_deleting() {
            return Ok(());
        }
        if node.array_at("status.conditions").is_empty() {
            return register(cluster, (*node).clone());
        }
        let taints = wanted_taints(&node, cluster.clock.now_rfc3339());
        if node.array_at("spec.taints") != taints.as_slice() {
            let mut changed = (*node).clone();
            if taints.is_empty() {
                if let Some(spec) = changed.get_mut("spec").and_then(Value::as_object_mut) {
                    spec.remove("taints");
                }
            } else {
                set_at(&mut changed, "spec.taints", Value::Array(taints));
            }
            node = cluster.update_status(changed)?;
        }
        evict_intolerant(cluster, &node)?;
        collect_out_of_service(cluster, &node)
    }
}

/// The node's taints with the condition taints brought up to date: kept in place when present
/// (with their time), added first when new, removed when the condition is gone.
fn wanted_taints(node: &Value, now: String) -> Vec<Value> {
    let ready = ready_status(node);
    let unschedulable = node.at("spec.unschedulable").and_then(Value::as_bool).unwrap_or(false);
    let mut want: Vec<(&str, &str)> = Vec::new();
    if unschedulable {
        want.push((UNSCHEDULABLE, "NoSchedule"));
    }
    let condition_key = match ready {
        "False" => Some(NOT_READY),
        "Unknown" => Some(UNREACHABLE),
        _ => None,
    };
    if let Some(k) = condition_key {
        want.push((k, "NoSchedule"));
        want.push((k, "NoExecute"));
    }
    let managed = [UNSCHEDULABLE, NOT_READY, UNREACHABLE];
    let current = node.array_at("spec.taints");
    let mut out: Vec<Value> = Vec::new();
    for (k, effect) in &want {
        if !current.iter().any(|t| t.str_at("key") == *k && t.str_at("effect") == *effect) {
            let mut t = json!({"effect": effect, "key": k});
            if *effect == "NoExecute" {
                t["timeAdded"] = json!(now);
            }
            out.push(t);
        }
    }
    for t in current {
        let key = t.str_at("key");
        let kept = !managed.contains(&key) || want.iter().any(|(k, e)| *k == key && *e == t.str_at("effect"));
        if kept {
            // The API server stamps when a NoExecute taint was added; eviction counts from it.
            let mut t = t.clone();
            if t.str_at("effect") == "NoExecute" && t.str_at("timeAdded").is_empty() {
                t["timeAdded"] = json!(now);
            }
            out.push(t);
        }
    }
    out
}

/// A Node created through the API: the profile's defaults where the manifest is silent, Ready,
/// and its Lease.
fn register(cluster: &mut Cluster, mut node: Value) -> Result<()> {
    let profile = cluster.profile;
    crate::cluster::fill_status(cluster, profile, &mut node);
    let name = node.name().to_string();
    if node.array_at("status.addresses").is_empty() {
        set_at(&mut node, "status.addresses", json!([{"address": name, "type": "Hostname"}]));
    }
    cluster.update_status(node)?;
    if cluster.get_ref(&Key::new(&LEASE, "kube-node-lease", &name))?.is_none() {
        let lease = crate::cluster::node_lease(cluster, &name);
        cluster.create(lease, "kube-node-lease")?;
    }
    Ok(())
}

/// Taint eviction: pods not tolerating a NoExecute taint go now; those tolerating it for a while
/// go when their `tolerationSeconds` run out. An unreachable node's pods also turn not ready.
fn evict_intolerant(cluster: &mut Cluster, node: &Value) -> Result<()> {
    let no_execute: Vec<Value> =
        node.array_at("spec.taints").iter().filter(|t| t.str_at("effect") == "NoExecute").cloned().collect();
    let unreachable = ready_status(node) == "Unknown";
    if no_execute.is_empty() && !unreachable {
        return Ok(());
    }
    cluster.load(&POD, None)?;
    let pods: Vec<Value> = cluster
        .iter(&POD, None)
        .filter(|p| p.str_at("spec.nodeName") == node.name() && !p.is_deleting())
        .cloned()
        .collect();
    let now = cluster.clock.now();
    for pod in pods {
        if unreachable {
            mark_not_ready(cluster, &pod)?;
        }
        let mut due: Option<i64> = None;
        for taint in &no_execute {
            let tolerations: Vec<&Value> =
                pod.array_at("spec.tolerations").iter().filter(|t| super::scheduler::tolerates(t, taint)).collect();
            if tolerations.is_empty() {
                due = Some(now);
                break;
            }
            let seconds = tolerations.iter().filter_map(|t| t.i64_at("tolerationSeconds")).min();
            if let Some(s) = seconds {
                // Counted from when the taint manager first saw both: the taint, and the pod on
                // the node (a pod placed on an already tainted node gets its full toleration).
                let added = crate::clock::parse_rfc3339(taint.str_at("timeAdded")).unwrap_or(now);
                let placed = crate::clock::parse_rfc3339(pod.str_at("metadata.creationTimestamp")).unwrap_or(added);
                let at = added.max(placed).saturating_add(s.max(0));
                due = Some(due.map_or(at, |d| d.min(at)));
            }
        }
        match due {
            Some(at) if at <= now => {
                let msg = format!("Marking for deletion Pod {}/{}", pod.namespace(), pod.name());
                cluster.normal(&pod, TAINT_EVICTION, "TaintManagerEviction", &msg)?;
                let mut p = cluster.get(&Key::new(&POD, pod.namespace(), pod.name()))?.unwrap_or(pod);
                add_condition(
                    &mut p,
                    cluster,
                    "DisruptionTarget",
                    "True",
                    "DeletionByTaintManager",
                    "Taint manager: deleting due to NoExecute taint",
                );
                let p = cluster.update_status(p)?;
                cluster.delete(&Key::new(&POD, p.namespace(), p.name()), Propagation::Background, None)?;
            }
            Some(at) => cluster.wake_at(at),
            None => {}
        }
    }
    Ok(())
}

fn add_condition(pod: &mut Value, cluster: &Cluster, type_: &str, status: &str, reason: &str, message: &str) {
    let mut conditions = pod.array_at("status.conditions").to_vec();
    conditions.retain(|c| c.str_at("type") != type_);
    conditions.push(json!({"lastProbeTime": null, "lastTransitionTime": cluster.clock.now_rfc3339(),
        "message": message, "reason": reason, "status": status, "type": type_}));
    set_at(pod, "status.conditions", Value::Array(conditions));
}

/// `MarkPodsNotReady`: the pod's Ready condition turns False, with a `NodeNotReady` event.
fn mark_not_ready(cluster: &mut Cluster, pod: &Value) -> Result<()> {
    let ready =
        pod.array_at("status.conditions").iter().find(|c| c.str_at("type") == "Ready").map(|c| c.str_at("status"));
    if ready != Some("True") {
        return Ok(());
    }
    let mut p = pod.clone();
    let mut conditions = p.array_at("status.conditions").to_vec();
    for c in conditions.iter_mut().filter(|c| matches!(c.str_at("type"), "Ready" | "ContainersReady")) {
        c["status"] = json!("False");
        c["lastTransitionTime"] = json!(cluster.clock.now_rfc3339());
    }
    set_at(&mut p, "status.conditions", Value::Array(conditions));
    let p = cluster.update_status(p)?;
    cluster.warning(&p, NODE_CONTROLLER, "NodeNotReady", "Node is not ready")
}

/// The pod GC's rule for a deleted node: its pods fail (`DeletionByPodGC`) and are removed.
fn collect_orphans(cluster: &mut Cluster, node: &str) -> Result<()> {
    cluster.load(&POD, None)?;
    let pods: Vec<Value> = cluster.iter(&POD, None).filter(|p| p.str_at("spec.nodeName") == node).cloned().collect();
    for mut pod in pods {
        add_condition(&mut pod, cluster, "DisruptionTarget", "True", "DeletionByPodGC", "PodGC: node no longer exists");
        set_at(&mut pod, "status.phase", json!("Failed"));
        let pod = cluster.update_status(pod)?;
        cluster.delete(&Key::new(&POD, pod.namespace(), pod.name()), Propagation::Background, Some(0))?;
    }
    Ok(())
}

/// The pod GC's `gcTerminating`: the terminating pods of a node that is not ready and carries
/// the `node.kubernetes.io/out-of-service` taint fail and are removed at once (non-graceful node
/// shutdown), so their volumes can be detached and their owners replace them.
fn collect_out_of_service(cluster: &mut Cluster, node: &Value) -> Result<()> {
    let out_of_service = node.array_at("spec.taints").iter().any(|t| t.str_at("key") == OUT_OF_SERVICE);
    if !out_of_service || ready_status(node) == "True" {
        return Ok(());
    }
    cluster.load(&POD, None)?;
    let pods: Vec<Value> = cluster
        .iter(&POD, None)
        .filter(|p| p.str_at("spec.nodeName") == node.name() && p.is_deleting())
        .cloned()
        .collect();
    for mut pod in pods {
        if !matches!(pod.str_at("status.phase"), "Succeeded" | "Failed") {
            set_at(&mut pod, "status.phase", json!("Failed"));
            pod = (*cluster.update_status(pod)?).clone();
        }
        cluster.delete(&Key::new(&POD, pod.namespace(), pod.name()), Propagation::Background, Some(0))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(ready: &str, unschedulable: bool, taints: Value) -> Value {
        json!({"spec": {"unschedulable": unschedulable, "taints": taints},
               "status": {"conditions": [{"type": "Ready", "status": ready}]}})
    }

    #[test]
    fn conditions_become_taints_and_go_again() {
        let t = wanted_taints(&node("True", true, json!([{"key": "a", "effect": "NoSchedule"}])), "T".into());
        assert_eq!(
            t,
            [json!({"key": UNSCHEDULABLE, "effect": "NoSchedule"}), json!({"key": "a", "effect": "NoSchedule"})]
        );
        let t = wanted_taints(&node("Unknown", false, json!([])), "T".into());
        assert_eq!(t[1], json!({"key": UNREACHABLE, "effect": "NoExecute", "timeAdded": "T"}));
        let back = wanted_taints(&node("True", false, Value::Array(t)), "U".into());
        assert!(back.is_empty());
    }
}
