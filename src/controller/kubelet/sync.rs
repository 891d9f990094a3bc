//! The kubelet's sync of a pod whose containers have started: their processes run in cluster
//! time, exits are noticed at the time they happen, the restart policy and the crash-loop back-off
//! apply, probes run when they are due, and the pod's phase and conditions follow.

use std::rc::Rc;

use serde_json::{json, Value};

use super::env::expand_vars;
use super::runtime::{self, Runtime};
use super::view::Started;
use super::{
    conditions, field_path, is_ephemeral, is_init, probes, restart_container, status_pointer, unready_message,
};
use crate::api::object::set_at;
use crate::api::ObjectExt;
use crate::clock::format_rfc3339;
use crate::cluster::{Cluster, EventSource, Key};
use crate::exec::process::{self, Outcome, Process};
use crate::Result;

/// Longest back-off between restarts, and how long a container must run for it to reset.
const MAX_BACKOFF: i64 = 300;
const BACKOFF_RESET: i64 = 600;

/// Brings every app container of a running pod up to the current instant.
///
/// `pod` is the view's pod at `key`, shared with the view: the sync copies it only when it
/// changes something (most syncs of a running container change nothing), and compares with the
/// view at the end.
pub fn sync_running(cluster: &mut Cluster, key: &Key, pod: Rc<Value>, source: EventSource) -> Result<()> {
    let mut due: Option<i64> = None;
    // The specs are read from the pod as it came; `pod` itself is copied on its first change.
    let mut synced = Rc::clone(&pod);
    // Sidecars (init containers that restart Always) keep running beside the app containers.
    let sidecars = pod.array_at("spec.initContainers").iter().filter(|c| c.str_at("restartPolicy") == "Always");
    let uid = pod.uid();
    // A container following files (`tail -f`) goes after the others, which may write them now.
    let mut followers = Vec::new();
    for spec in sidecars.chain(pod.array_at("spec.containers")) {
        let rt = runtime::load(cluster, uid, spec.str_at("name"))?;
        if rt.process.as_ref().is_some_and(|p| p.is_following()) {
            followers.push((spec, rt));
            continue;
        }
        due = earlier(due, sync_loaded(cluster, &mut synced, spec, rt, source)?);
    }
    for (spec, rt) in followers {
        due = earlier(due, sync_loaded(cluster, &mut synced, spec, rt, source)?);
    }
    // Ephemeral containers (`kubectl debug`) start once added and run until they exit.
    for spec in pod.array_at("spec.ephemeralContainers") {
        let name = spec.str_at("name");
        let known = synced.array_at("status.ephemeralContainerStatuses").iter().any(|s| s.str_at("name") == name);
        if !known {
            super::start_ephemeral(cluster, Rc::make_mut(&mut synced), spec, source)?;
        }
        let rt = runtime::load(cluster, uid, name)?;
        due = earlier(due, sync_loaded(cluster, &mut synced, spec, rt, source)?);
    }
    let now = cluster.clock.now_rfc3339();
    let Some(old) = cluster.get_shared(key)? else { return super::deadline::set_timer(cluster, key, &pod, due) };
    settle_pod(&now, &old, &mut synced);
    if !Rc::ptr_eq(&synced, &old) && *synced != *old {
        cluster.update_status(Rc::unwrap_or_clone(synced))?;
    }
    super::deadline::set_timer(cluster, key, &pod, due)
}

/// The earlier of two due times (`None`: not due).
fn earlier(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    [a, b].into_iter().flatten().min()
}

/// Syncs one container whose runtime is loaded and stores it; when it is due next.
fn sync_loaded(
    cluster: &mut Cluster,
    synced: &mut Rc<Value>,
    spec: &Value,
    mut rt: Runtime,
    source: EventSource,
) -> Result<Option<i64>> {
    let started = Started::of(&rt);
    sync_container(cluster, synced, spec, &mut rt, &started, source)?;
    runtime::save(cluster, synced.uid(), spec.str_at("name"), &rt)?;
    Ok(rt.next_due())
}

/// One container: back-off ends, the process runs, an exit is noticed, probes run. `pod` is
/// copied (if shared) only when one of these changes its status.
pub(super) fn sync_container(
    cluster: &mut Cluster,
    pod: &mut Rc<Value>,
    spec: &Value,
    rt: &mut Runtime,
    started: &Started,
    source: EventSource,
) -> Result<()> {
    let now = cluster.now_ms();
    let name = spec.str_at("name").to_string();
    let mut built = false;
    if rt.backoff_sync.as_ref().is_some_and(|(at, _)| *at <= now) {
        backoff_sync(Rc::make_mut(pod), spec, rt, now);
    }
    if image_changed(pod, spec, rt) {
        definition_changed(cluster, pod, spec, rt, now, source)?;
    }
    if rt.restart_at.is_some_and(|t| t <= now) {
        rt.restart_at = None;
        rt.backoff_sync = None;
        built = restart(cluster, Rc::make_mut(pod), spec, rt, (0, ""), source)?;
    }
    // An attached container (`stdin: true`, `kubectl run -i`) runs what its session sends.
    let attached = spec.get("stdin").and_then(Value::as_bool) == Some(true);
    if *rt == Runtime::default() && container_running(pod, &name) && !attached {
        built = start(rt, pod, spec, now, cluster)?;
        super::hooks::post_start(cluster, pod, spec, rt, source)?;
    }
    // Without a stored environment the view builds one from the same pod and objects as the
    // start just did: the start's serves (building it is most of the work of a first sync).
    let with_env;
    let started = match (&started.env, built) {
        (None, true) => {
            with_env = Started { env: rt.env.clone(), argv: started.argv.clone() };
            &with_env
        }
        _ => started,
    };
    // A process being stopped runs (its trap, say) until its grace period ends, then is killed.
    run_process(cluster, pod, spec, rt, started, rt.kill_at.unwrap_or(i64::MAX))?;
    if let Some(at) = rt.kill_at.filter(|at| *at <= now && rt.exit.is_none() && rt.process.is_some()) {
        rt.process = None;
        rt.exit = Some((crate::exec::KILLED_CODE, at));
    }
    if let Some((code, at)) = rt.exit.filter(|e| e.1 <= now) {
        rt.exit = None;
        exited(cluster, Rc::make_mut(pod), spec, rt, code, at, source)?;
    }
    // Without probe workers there is nothing to run (and no status to change); a container
    // being stopped is not probed.
    if rt.process.is_some() && !rt.probes.is_empty() && rt.kill_at.is_none() {
        let kill = probes::run_due(cluster, Rc::make_mut(pod), spec, rt, source)?;
        if let Some(kind) = kill {
            let msg = format!("Container {name} failed {kind} probe, will be restarted");
            let field = field_path(pod, &name);
            cluster.event(pod, "Normal", source, "Killing", &msg, &field)?;
            rt.process = None;
            exited(cluster, Rc::make_mut(pod), spec, rt, 137, now, source)?;
        }
    }
    Ok(())
}

/// Whether an app container's or a sidecar's spec names another image than the one it last
/// started from (or tried to): the kubelet's container hash covers only the name and the image.
/// An ephemeral container's image cannot change (validation refuses); a regular init container's
/// can, but one that has completed is not run again and its hash is not compared.
fn image_changed(pod: &Value, spec: &Value, rt: &Runtime) -> bool {
    let name = spec.str_at("name");
    let watched = if is_init(pod, name) { spec.str_at("restartPolicy") == "Always" } else { !is_ephemeral(pod, name) };
    watched && rt.image.as_deref().is_some_and(|i| i != spec.str_at("image"))
}

/// The container's image changed (the kubelet's computePodActions): a running container is
/// killed (`Killing`, its preStop hook, SIGTERM, SIGKILL when the pod's grace period ends) and,
/// once stopped, started again whatever the restart policy (see `exited`); one waiting to restart
/// (crash-loop back-off, image pull retries) starts at once from the new image, whose back-off
/// key is new (`doBackOff` finds no entry for it and starts one: the next crash waits 10 s).
fn definition_changed(
    cluster: &mut Cluster,
    pod: &Value,
    spec: &Value,
    rt: &mut Runtime,
    now: i64,
    source: EventSource,
) -> Result<()> {
    if rt.kill_at.is_some() {
        return Ok(());
    }
    if rt.process.is_none() {
        if rt.restart_at.is_some() {
            rt.restart_at = Some(now);
            rt.backoff = 10;
        }
        return Ok(());
    }
    // computePodActions says so for an app container; computeInitContainerActions, for a sidecar,
    // starts it again too but does not say so.
    let name = spec.str_at("name");
    let message = if is_init(pod, name) {
        format!("Init container {name} definition changed")
    } else {
        format!("Container {name} definition changed, will be restarted")
    };
    let grace = pod.i64_at("spec.terminationGracePeriodSeconds").unwrap_or(30).max(0);
    let deadline = now.saturating_add(grace.saturating_mul(1000));
    super::stop::begin_stop(cluster, pod, spec, rt, deadline, &message, source)
}

/// Starts the container's next instance from the image its spec names now; when that image
/// cannot be pulled the container waits instead (`ErrImagePull`, `ImagePullBackOff`,
/// `InvalidImageName`, with the image back-off's events) and the kubelet tries again in 10 s.
/// Whether the new instance's environment was built.
fn restart(
    cluster: &mut Cluster,
    pod: &mut Value,
    spec: &Value,
    rt: &mut Runtime,
    exit: (i64, &str),
    source: EventSource,
) -> Result<bool> {
    rt.image = Some(spec.str_at("image").to_string());
    if let Some((message, reason)) = super::image_failure(cluster, pod, spec, rt, source)? {
        wait(pod, spec.str_at("name"), &message, reason);
        rt.restart_at = Some(cluster.now_ms() + SYNC_RETRY_MS);
        return Ok(false);
    }
    restart_container(cluster, pod, spec, source, exit)?;
    let now = cluster.now_ms();
    let built = start(rt, pod, spec, now, cluster)?;
    super::hooks::post_start(cluster, pod, spec, rt, source)?;
    Ok(built)
}

fn container_running(pod: &Value, name: &str) -> bool {
    let list = pod.pointer(status_pointer(pod, name)).and_then(Value::as_array);
    list.is_some_and(|l| l.iter().any(|s| s.str_at("name") == name && s.at("state.running").is_some()))
}

/// Starts the container's main process and its probe workers at `now`; whether its environment
/// was built without error.
fn start(rt: &mut Runtime, pod: &Value, spec: &Value, now: i64, cluster: &mut Cluster) -> Result<bool> {
    super::termination::reset(cluster, pod, spec.str_at("name"))?;
    // The kubelet builds the environment afresh at every start; the container keeps it.
    let built = super::env::container_env(cluster, pod, spec).ok().and_then(|r| r.ok());
    let ok = built.is_some();
    let env = built.unwrap_or_default();
    let argv = main_argv(spec, &env);
    rt.env = Some(env);
    rt.image = Some(spec.str_at("image").to_string());
    rt.process = Some(Process::new(argv, now));
    rt.wake = Some(now);
    rt.exit = None;
    rt.kill_at = None;
    rt.probes = probes::workers(spec, now);
    Ok(ok)
}

/// The command line of the container's main process: `command` and `args` with `$(VAR)`
/// expanded from its environment, or the image's ENTRYPOINT and CMD where they are absent.
pub fn main_argv(spec: &Value, env: &[(String, String)]) -> Vec<String> {
    let (entrypoint, cmd) = crate::exec::image_command_of(spec.str_at("image"));
    let list = |field: &str| -> Option<Vec<String>> {
        spec.get(field)
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|v| expand_vars(v.as_str().unwrap_or_default(), env)).collect::<Vec<String>>())
    };
    match (list("command"), list("args")) {
        (Some(c), Some(a)) => c.into_iter().chain(a).collect(),
        (Some(c), None) => c,
        (None, Some(a)) => entrypoint.into_iter().chain(a).collect(),
        (None, None) => entrypoint.into_iter().chain(cmd).collect(),
    }
}

/// Runs the process when it is due, up to the command's time or the container's next probe,
/// whichever comes first, and appends what it wrote to the container's log. `started` is what
/// the store holds of the container's start (`rt` as loaded, before this sync changed it).
pub(super) fn run_process(
    cluster: &mut Cluster,
    pod: &Value,
    spec: &Value,
    rt: &mut Runtime,
    started: &Started,
    until: i64,
) -> Result<()> {
    let now = cluster.now_ms();
    let Some(p) = rt.process.take() else { return Ok(()) };
    if rt.wake.is_none_or(|w| w > now) {
        rt.process = Some(p);
        return Ok(());
    }
    let next_probe = rt.probes.values().map(|w| w.next).filter(|t| *t > now).min();
    let limit = until.min(cluster.target() * 1000);
    // A process following files runs one instant at a time, after the pod's other containers,
    // so that it sees what they wrote by then, not what they write later (each of those runs up
    // to the present on its own).
    let limit = if p.is_following() { limit.min(now) } else { limit };
    let horizon = next_probe.map_or(limit, |t| t.min(limit));
    let view = super::view::started_view(cluster, pod, spec, started.clone())?;
    // The network is a snapshot of the cluster's objects: built only for processes that use it.
    let net = if crate::exec::uses_network(&p.argv, &[]) { Some(super::ClusterNet::build(cluster)?) } else { None };
    let net = net.as_ref().map(|n| n as &dyn crate::exec::Network);
    let step = process::resume(&mut cluster.files(), &view, net, p, horizon.max(now));
    append_log(cluster, pod, spec.str_at("name"), &step.log);
    match step.outcome {
        Outcome::Running { wake } => {
            rt.wake = wake;
            rt.process = Some(step.process);
        }
        Outcome::Exited { code, at } => rt.exit = Some((code, at)),
        Outcome::OomKilled { at } => {
            rt.exit = Some((crate::exec::KILLED_CODE, at));
            rt.oom_killed = true;
        }
        Outcome::StartError(msg) => {
            append_log(cluster, pod, spec.str_at("name"), &[(now, msg)]);
            rt.exit = Some((128, now));
        }
    }
    Ok(())
}

fn append_log(cluster: &mut Cluster, pod: &Value, container: &str, lines: &[(i64, String)]) {
    if lines.is_empty() {
        return;
    }
    let volume = format!("log/{}/{container}", pod.uid());
    crate::exec::append_log_lines(&mut cluster.files(), &volume, lines);
}

/// The process ended at `at` (ms) with `code`: the container terminates, then the restart policy
/// decides between a restart now, a restart after the back-off, or staying terminated.
fn exited(
    cluster: &mut Cluster,
    pod: &mut Value,
    spec: &Value,
    rt: &mut Runtime,
    code: i32,
    at: i64,
    source: EventSource,
) -> Result<()> {
    let name = spec.str_at("name").to_string();
    let finished = format_rfc3339(at.div_euclid(1000));
    // containerd reports an OOM kill with its own reason, whatever the exit code says.
    let reason = match (std::mem::take(&mut rt.oom_killed), code) {
        (true, _) => "OOMKilled",
        (false, 0) => "Completed",
        (false, _) => "Error",
    };
    let message = super::termination::message(cluster, pod, spec, code)?;
    // Stopped by the kubelet because its image changed (a deleted pod's containers are stopped
    // for good): the kubelet starts it again in the same sync.
    let replaced = rt.kill_at.is_some() && !pod.is_deleting();
    let mut started_at = 0;
    let pointer = status_pointer(pod, &name);
    if let Some(list) = pod.pointer_mut(pointer).and_then(Value::as_array_mut) {
        for s in list.iter_mut().filter(|s| s.str_at("name") == name) {
            let started = s.str_at("state.running.startedAt").to_string();
            started_at = crate::clock::parse_rfc3339(&started).unwrap_or(0);
            s["state"] = json!({"terminated": {"containerID": s.str_at("containerID"), "exitCode": code,
                "finishedAt": finished, "reason": reason, "startedAt": started}});
            if let Some(m) = &message {
                s["state"]["terminated"]["message"] = json!(m);
            }
            s["ready"] = json!(false);
            s["started"] = json!(false);
        }
    }
    rt.process = None;
    rt.wake = None;
    rt.kill_at = None;
    if replaced {
        // The container was running when the sync began: `doBackOff` has nothing to say, and
        // the new image's back-off key has no entry yet.
        rt.backoff = 0;
        return restart(cluster, pod, spec, rt, (code.into(), reason), source).map(|_| ());
    }
    let policy = match pod.str_at("spec.restartPolicy") {
        "" => "Always",
        p => p,
    };
    let restarts = if is_ephemeral(pod, &name) {
        false
    } else if spec.str_at("restartPolicy") == "Always" {
        true
    } else if is_init(pod, &name) {
        // A regular init container that succeeded is done; a failed one restarts unless Never.
        code != 0 && policy != "Never"
    } else {
        policy == "Always" || (policy == "OnFailure" && code != 0)
    };
    if !restarts {
        return Ok(());
    }
    if at.div_euclid(1000) - started_at >= BACKOFF_RESET {
        rt.backoff = 0;
    }
    if rt.backoff == 0 {
        rt.backoff = 10;
        return restart(cluster, pod, spec, rt, (code.into(), reason), source).map(|_| ());
    }
    back_off(cluster, pod, spec, rt, at, source)
}

/// How long the kubelet's pod worker waits before it syncs again a pod whose sync ended in an
/// error (the back-off): `backOffPeriod`, 10 s (its jitter of up to half of that is left out).
const SYNC_RETRY_MS: i64 = 10_000;

/// The restart is refused by the back-off. The sync that noticed the exit already published the
/// terminated state (STATUS `Error`, `OOMKilled`); the kubelet records the back-off error and
/// retries the sync every 10 s: the first retry inside the window shows `CrashLoopBackOff`, the
/// first at or after its end restarts the container. `BackOff` is emitted once per exit (a real
/// kubelet repeats it at each refused sync, as far as the recorder's spam filter lets it).
fn back_off(
    cluster: &mut Cluster,
    pod: &mut Value,
    spec: &Value,
    rt: &mut Runtime,
    at: i64,
    source: EventSource,
) -> Result<()> {
    let name = spec.str_at("name").to_string();
    let who = format!("{}_{}({})", pod.name(), pod.namespace(), pod.uid());
    let window = go_duration(rt.backoff);
    let message = format!("back-off {window} restarting failed container={name} pod={who}");
    backoff_event(cluster, pod, &name, source)?;
    let restart = at + rt.backoff * 1000;
    rt.restart_at = Some(restart);
    rt.backoff = (rt.backoff * 2).min(MAX_BACKOFF);
    let next = at + SYNC_RETRY_MS;
    rt.backoff_sync = (next < restart).then_some((next, message));
    Ok(())
}

fn backoff_event(cluster: &mut Cluster, pod: &Value, name: &str, source: EventSource) -> Result<()> {
    let who = format!("{}_{}({})", pod.name(), pod.namespace(), pod.uid());
    let field = field_path(pod, name);
    let msg = format!("Back-off restarting failed container {name} in pod {who}");
    cluster.event(pod, "Warning", source, "BackOff", &msg, &field)
}

/// The first retried sync inside the back-off window: the container waits in
/// `CrashLoopBackOff` (later retries inside the window change nothing more).
fn backoff_sync(pod: &mut Value, spec: &Value, rt: &mut Runtime, now: i64) {
    let Some((_, message)) = rt.backoff_sync.take_if(|(at, _)| *at <= now) else { return };
    wait(pod, spec.str_at("name"), &message, "CrashLoopBackOff");
}

/// The container waits to start again (`reason`): its last run, if it had just ended, becomes
/// its last state.
fn wait(pod: &mut Value, name: &str, message: &str, reason: &str) {
    let pointer = status_pointer(pod, name);
    if let Some(list) = pod.pointer_mut(pointer).and_then(Value::as_array_mut) {
        for s in list.iter_mut().filter(|s| s.str_at("name") == name) {
            if s.at("state.terminated").is_some() {
                let terminated = s["state"].take();
                s["lastState"] = terminated;
            }
            s["state"] = json!({"waiting": {"message": message, "reason": reason}});
        }
    }
}

/// Go's `time.Duration` spelling of whole seconds: `10s`, `1m20s`, `5m0s`.
fn go_duration(secs: i64) -> String {
    if secs < 60 {
        format!("{secs}s")
    } else {
        format!("{}m{}s", secs / 60, secs % 60)
    }
}

/// The pod's phase and conditions from its containers (the kubelet's `getPhase`); `pod` is
/// copied (if shared) only when they change.
fn settle_pod(now: &str, old: &Value, pod: &mut Rc<Value>) {
    let statuses = pod.array_at("status.containerStatuses");
    let running = statuses.iter().any(|s| s.at("state.running").is_some() || s.at("state.waiting").is_some());
    let policy = pod.str_at("spec.restartPolicy");
    let phase = if running || statuses.is_empty() || policy.is_empty() || policy == "Always" {
        "Running"
    } else if statuses.iter().all(|s| s.i64_at("state.terminated.exitCode") == Some(0)) {
        "Succeeded"
    } else if policy == "Never" {
        "Failed"
    } else {
        "Running"
    };
    if pod.at("status.phase").and_then(Value::as_str) != Some(phase) {
        set_at(Rc::make_mut(pod), "status.phase", json!(phase));
    }
    let message = unready_message(pod);
    let completed = matches!(phase, "Succeeded" | "Failed");
    if message.is_some() != unready_message(old).is_some() || (completed && old.str_at("status.phase") != phase) {
        let pod = Rc::make_mut(pod);
        set_at(pod, "status.conditions", conditions(now, message.as_deref()));
        if completed {
            mark_completed(pod, phase);
        }
    }
}

/// A pod whose containers all ended: not ready because it completed (`PodCompleted`).
fn mark_completed(pod: &mut Value, phase: &str) {
    if phase != "Succeeded" {
        return;
    }
    if let Some(list) = pod.pointer_mut("/status/conditions").and_then(Value::as_array_mut) {
        for c in list.iter_mut().filter(|c| matches!(c.str_at("type"), "Ready" | "ContainersReady")) {
            c["reason"] = json!("PodCompleted");
            if let Some(o) = c.as_object_mut() {
                o.remove("message");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_windows_read_as_go_durations() {
        assert_eq!(go_duration(10), "10s");
        assert_eq!(go_duration(80), "1m20s");
        assert_eq!(go_duration(300), "5m0s");
    }
}
