//! Stopping a deleted pod's containers as the kubelet does: the preStop hook, then SIGTERM, then
//! SIGKILL when the grace period ends. A server stops at once on SIGTERM; a shell that traps it
//! runs its trap (at once when it is in `wait`, else after its current command); PID 1 without a
//! handler ignores it and is killed at the end of the grace period.

use serde_json::Value;

use super::runtime::{self, Runtime};
use super::{field_path, sync};
use crate::api::ObjectExt;
use crate::cluster::{Cluster, EventSource, Key};
use crate::exec::process::Delivery;
use crate::Result;

/// Moves the stopping of a deleted pod forward; returns true when every container has stopped
/// (or the grace period is over) and the pod can go.
pub fn stop_pod(cluster: &mut Cluster, key: &Key, pod: &Value, source: EventSource) -> Result<bool> {
    let now = cluster.now_ms();
    let deleted = crate::clock::parse_rfc3339(pod.str_at("metadata.deletionTimestamp")).unwrap_or(0);
    // A grace period is any int64 the user typed (`--grace-period=9223372036854775807`): the
    // deadline saturates instead of overflowing.
    let grace = pod.i64_at("metadata.deletionGracePeriodSeconds").unwrap_or(0);
    let deadline = deleted.saturating_add(grace).saturating_mul(1000);
    if pod.str_at("status.phase") != "Running" || now >= deadline {
        return Ok(true);
    }
    let sidecars = pod.array_at("spec.initContainers").iter().filter(|c| c.str_at("restartPolicy") == "Always");
    let containers: Vec<Value> = pod.array_at("spec.containers").iter().chain(sidecars).cloned().collect();
    let mut due: Option<i64> = None;
    let mut running = false;
    for spec in &containers {
        let name = spec.str_at("name").to_string();
        let mut rt = runtime::load(cluster, pod.uid(), &name)?;
        let started = super::view::Started::of(&rt);
        if rt.kill_at.is_none() {
            let message = format!("Stopping container {name}");
            begin_stop(cluster, pod, spec, &mut rt, deadline, &message, source)?;
        }
        if rt.exit.is_none() && rt.process.is_some() && rt.wake.is_some_and(|w| w <= now) {
            sync::run_process(cluster, pod, spec, &mut rt, &started, deadline)?;
        }
        if rt.exit.is_none_or(|(_, at)| at > now) && (rt.process.is_some() || rt.exit.is_some()) {
            running = true;
            due = [due, rt.wake, rt.exit.map(|e| e.1)].into_iter().flatten().min();
        }
        runtime::save(cluster, pod.uid(), &name, &rt)?;
    }
    if !running {
        return Ok(true);
    }
    cluster.set_timer(key, Some(due.map_or(deadline, |d| d.min(deadline))))?;
    Ok(false)
}

/// The `Killing` event (with the kubelet's `message`), the preStop hook, and SIGTERM; the
/// process is killed at `deadline` if it has not stopped by then.
pub(super) fn begin_stop(
    cluster: &mut Cluster,
    pod: &Value,
    spec: &Value,
    rt: &mut Runtime,
    deadline: i64,
    message: &str,
    source: EventSource,
) -> Result<()> {
    let field = field_path(pod, spec.str_at("name"));
    cluster.event(pod, "Normal", source, "Killing", message, &field)?;
    rt.kill_at = Some(deadline);
    if rt.process.is_none() {
        return Ok(());
    }
    let term_at = super::hooks::pre_stop(cluster, pod, spec, deadline, source)?;
    let Some(p) = rt.process.as_mut() else { return Ok(()) };
    match p.deliver("TERM") {
        Delivery::Stops(code) => {
            rt.process = None;
            rt.exit = Some((code, term_at));
        }
        Delivery::Trapped if p.interruptible() => rt.wake = Some(term_at),
        Delivery::Trapped | Delivery::Ignored => {}
    }
    Ok(())
}
