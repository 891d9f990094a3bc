//! Lifecycle hooks: postStart runs right after a container starts (a failure kills it), preStop
//! runs before SIGTERM when it is stopped (bounded by the grace period; a failure is reported and
//! stopping goes on). Only `exec` hooks run; `httpGet` and `sleep` hooks succeed at once.

use serde_json::Value;

use super::field_path;
use super::runtime::Runtime;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, EventSource};
use crate::exec::process::{self, Outcome, Process};
use crate::Result;

fn hook_argv(spec: &Value, hook: &str) -> Option<Vec<String>> {
    let cmd = spec.at(&format!("lifecycle.{hook}.exec.command")).and_then(Value::as_array)?;
    Some(cmd.iter().filter_map(|a| a.as_str().map(String::from)).collect())
}

/// Runs the postStart hook of a container that just started; on failure the kubelet kills the
/// container (exit 137), which then restarts under its policy.
pub fn post_start(
    cluster: &mut Cluster,
    pod: &Value,
    spec: &Value,
    rt: &mut Runtime,
    source: EventSource,
) -> Result<()> {
    let Some(argv) = hook_argv(spec, "postStart") else { return Ok(()) };
    let now = cluster.now_ms();
    let view = super::view::container_view(cluster, pod, spec)?;
    let step = process::resume(&mut cluster.files(), &view, None, Process::new(argv, now), cluster.target() * 1000);
    if matches!(step.outcome, Outcome::Exited { code: 0, .. } | Outcome::Running { .. }) {
        return Ok(());
    }
    let field = field_path(pod, spec.str_at("name"));
    cluster.event(pod, "Warning", source, "FailedPostStartHook", "PostStartHook failed", &field)?;
    cluster.event(pod, "Normal", source, "Killing", "FailedPostStartHook", &field)?;
    rt.process = None;
    rt.exit = Some((137, now));
    Ok(())
}

/// Runs the container's preStop `exec` hook, in cluster time, up to the grace period's end;
/// returns when it ended (when SIGTERM follows). A failure is reported and termination goes on.
pub fn pre_stop(cluster: &mut Cluster, pod: &Value, spec: &Value, deadline: i64, source: EventSource) -> Result<i64> {
    let now = cluster.now_ms();
    let Some(cmd) = spec.at("lifecycle.preStop.exec.command").and_then(Value::as_array) else { return Ok(now) };
    let argv: Vec<String> = cmd.iter().filter_map(|a| a.as_str().map(String::from)).collect();
    let view = super::view::container_view(cluster, pod, spec)?;
    let step = process::resume(&mut cluster.files(), &view, None, Process::new(argv, now), deadline);
    match step.outcome {
        Outcome::Exited { code: 0, at } => Ok(at),
        Outcome::Running { .. } => Ok(deadline),
        Outcome::Exited { at, .. } | Outcome::OomKilled { at } => {
            hook_failed(cluster, pod, spec, source)?;
            Ok(at)
        }
        Outcome::StartError(_) => {
            hook_failed(cluster, pod, spec, source)?;
            Ok(now)
        }
    }
}

fn hook_failed(cluster: &mut Cluster, pod: &Value, spec: &Value, source: EventSource) -> Result<()> {
    let field = field_path(pod, spec.str_at("name"));
    cluster.event(pod, "Warning", source, "FailedPreStopHook", "PreStopHook failed", &field)
}
