//! A pod's own `spec.activeDeadlineSeconds`: once the pod has been active on its node that long
//! (counted from `status.startTime`, in cluster time) the kubelet fails it (`DeadlineExceeded`)
//! and kills its containers (SIGTERM, then SIGKILL when the pod's grace period ends), as the
//! kubelet's active deadline handler and pod workers do.

use serde_json::{json, Value};

use super::runtime::{self, Runtime};
use super::{conditions, field_path, status_pointer, unready_message};
use crate::api::object::set_at;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, EventSource, Key};
use crate::exec::process::Delivery;
use crate::Result;

const REASON: &str = "DeadlineExceeded";
const MESSAGE: &str = "Pod was active on the node longer than the specified deadline";

/// When the pod's active deadline falls (ms): none without a deadline or before the pod started.
pub(super) fn deadline_at(pod: &Value) -> Option<i64> {
    let secs = pod.i64_at("spec.activeDeadlineSeconds")?;
    let start = crate::clock::parse_rfc3339(pod.str_at("status.startTime"))?;
    Some(start.saturating_add(secs).saturating_mul(1000))
}

/// Sets the pod's timer to `due` or to its deadline, whichever comes first, so that the kubelet
/// wakes at the deadline even when nothing else is due then.
pub(super) fn set_timer(cluster: &mut Cluster, key: &Key, pod: &Value, due: Option<i64>) -> Result<()> {
    let at = [due, deadline_at(pod)].into_iter().flatten().min();
    cluster.set_timer(key, at)
}

/// Fails the pod when it is past its deadline: the `DeadlineExceeded` event, phase `Failed` with
/// the handler's reason and message, and SIGTERM to its running containers. Whether it did.
pub(super) fn enforce(cluster: &mut Cluster, key: &Key, pod: &Value, source: EventSource) -> Result<bool> {
    let Some(at) = deadline_at(pod) else { return Ok(false) };
    let now = cluster.now_ms();
    if now < at {
        return Ok(false);
    }
    let mut next = pod.clone();
    cluster.event(&next, "Normal", source, REASON, MESSAGE, "")?;
    let grace = pod.i64_at("spec.terminationGracePeriodSeconds").unwrap_or(30).max(0);
    let kill_at = now.saturating_add(grace.saturating_mul(1000));
    for spec in containers(pod) {
        signal(cluster, &mut next, spec, kill_at, source)?;
    }
    set_at(&mut next, "status.phase", json!("Failed"));
    set_at(&mut next, "status.reason", json!(REASON));
    set_at(&mut next, "status.message", json!(MESSAGE));
    finish_kills(cluster, key, pod, next)?;
    Ok(true)
}

/// Whether the pod was failed by its deadline (its containers may still be being killed).
pub(super) fn exceeded(pod: &Value) -> bool {
    pod.str_at("status.phase") == "Failed" && pod.str_at("status.reason") == REASON
}

/// A pod failed by its deadline: the containers that ignored SIGTERM are killed when the grace
/// period ends.
pub(super) fn sync_exceeded(cluster: &mut Cluster, key: &Key, pod: &Value) -> Result<()> {
    finish_kills(cluster, key, pod, pod.clone())
}

/// The init containers (sidecars included), then the app containers.
fn containers(pod: &Value) -> impl Iterator<Item = &Value> {
    pod.array_at("spec.initContainers").iter().chain(pod.array_at("spec.containers"))
}

/// Kills the containers whose grace period is over (exit 137) and, once none runs, marks the pod
/// not ready; `next` is `old` as this sync changes it.
fn finish_kills(cluster: &mut Cluster, key: &Key, old: &Value, mut next: Value) -> Result<()> {
    let now = cluster.now_ms();
    let mut due: Option<i64> = None;
    for spec in containers(old) {
        let name = spec.str_at("name");
        let Some(kill_at) = runtime::load(cluster, old.uid(), name)?.kill_at else { continue };
        if kill_at > now {
            due = [due, Some(kill_at)].into_iter().flatten().min();
            continue;
        }
        terminated(&mut next, name, 137, kill_at);
        cluster.set_runtime(old.uid(), name, None)?;
    }
    if due.is_none() && !old.array_at("status.conditions").is_empty() {
        let now = cluster.clock.now_rfc3339();
        let unready = unready_message(&next);
        let mut conds = conditions(&now, unready.as_deref());
        // Init containers that had not all completed stay incomplete.
        let initialized = old.array_at("status.conditions").iter().find(|c| c.str_at("type") == "Initialized").cloned();
        if let (Some(init), Some(list)) = (initialized, conds.as_array_mut()) {
            for c in list.iter_mut().filter(|c| c.str_at("type") == "Initialized") {
                *c = init.clone();
            }
        }
        set_at(&mut next, "status.conditions", conds);
    }
    if next != *old {
        cluster.update_status(next)?;
    }
    cluster.set_timer(key, due)
}

/// `Killing` and SIGTERM for one running container: a process that stops on it ends now with its
/// own code; one that ignores it (or traps it: traps are not run) waits, frozen, to be killed at
/// `kill_at`. Nothing else is due for the container any more: no restart, no probe.
fn signal(cluster: &mut Cluster, pod: &mut Value, spec: &Value, kill_at: i64, source: EventSource) -> Result<()> {
    let name = spec.str_at("name").to_string();
    let rt = runtime::load(cluster, pod.uid(), &name)?;
    let Some(mut process) = rt.process else { return cluster.set_runtime(pod.uid(), &name, None) };
    let field = field_path(pod, &name);
    cluster.event(pod, "Normal", source, "Killing", &format!("Stopping container {name}"), &field)?;
    match process.deliver("TERM") {
        Delivery::Stops(code) => {
            terminated(pod, &name, code, cluster.now_ms());
            cluster.set_runtime(pod.uid(), &name, None)
        }
        Delivery::Trapped | Delivery::Ignored => {
            let waiting = Runtime { process: Some(process), kill_at: Some(kill_at), ..Runtime::default() };
            runtime::save(cluster, pod.uid(), &name, &waiting)
        }
    }
}

/// The container's status: terminated at `at` (ms) with `code`.
fn terminated(pod: &mut Value, name: &str, code: i32, at: i64) {
    let finished = crate::clock::format_rfc3339(at.div_euclid(1000));
    let reason = if code == 0 { "Completed" } else { "Error" };
    let pointer = status_pointer(pod, name);
    if let Some(list) = pod.pointer_mut(pointer).and_then(Value::as_array_mut) {
        for s in list.iter_mut().filter(|s| s.str_at("name") == name && s.at("state.running").is_some()) {
            let started = s.str_at("state.running.startedAt").to_string();
            s["state"] = json!({"terminated": {"containerID": s.str_at("containerID"), "exitCode": code,
                "finishedAt": finished, "reason": reason, "startedAt": started}});
            s["ready"] = json!(false);
            s["started"] = json!(false);
        }
    }
}
