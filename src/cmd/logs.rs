//! `kstate logs (POD | TYPE/NAME | -l SELECTOR) [-c C | --all-containers] [--tail N] [--since D]
//! [--previous] [--timestamps] [--prefix] [-f]`: the image's startup lines and what the container
//! wrote since it started (its process's output, requests its web server answered), each line with
//! the time it was written. `-f` prints what there is and returns.

use serde_json::Value;

use super::exec::{find_pod, pick_container};
use super::{io, Context};
use crate::api::kinds::POD;
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::clock::{format_rfc3339, parse_rfc3339};
use crate::cluster::Cluster;
use crate::exec::{read_log, startup_lines};
use crate::{Error, Result};

pub struct Request {
    pub pod: Vec<String>,
    pub container: Option<String>,
    /// Lines from the end; negative for all (10 per container with a selector).
    pub tail: i64,
    pub previous: bool,
    pub follow: bool,
    pub timestamps: bool,
    pub selector: Option<String>,
    pub all_containers: bool,
    pub prefix: bool,
    /// Only lines newer than this many seconds (`--since`).
    pub since: Option<i64>,
    /// Only lines at or after this time (`--since-time`).
    pub since_time: Option<String>,
    pub limit_bytes: Option<usize>,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    if req.pod.is_empty() && req.selector.is_none() {
        return Err(Error::cli("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples"));
    }
    if req.since.is_some() && req.since_time.is_some() {
        return Err(Error::cli("at most one of `sinceTime` or `sinceSeconds` may be specified"));
    }
    let since_time = match &req.since_time {
        Some(t) => Some(parse_rfc3339(t).ok_or_else(|| Error::cli(format!("invalid argument \"{t}\" for \"--since-time\" flag: parsing time \"{t}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"{t}\" as \"2006\"")))?),
        None => None,
    };
    let mut cluster = ctx.read()?;
    let pods = match &req.selector {
        Some(s) => selected_pods(&mut cluster, &ctx.namespace, s)?,
        None if req.pod[0].contains('/') && !is_pod_kind(&req.pod[0]) => {
            let (pod, count) = logging_pod(&mut cluster, &ctx.namespace, &req.pod[0])?;
            if count > 1 {
                ctx.say_err(&format!("Found {count} pods, using pod/{}", pod.name()))?;
            }
            vec![pod]
        }
        None => vec![find_pod(&mut cluster, &ctx.namespace, &req.pod[0])?],
    };
    let tail = if req.tail < 0 && req.selector.is_some() { 10 } else { req.tail };
    let from = since_time.or(req.since.map(|s| cluster.clock.now() - s)).map(|t| t * 1000);
    let mut out = String::new();
    for pod in &pods {
        for spec in containers(ctx, pod, &req)? {
            let mut lines = container_lines(&mut cluster, pod, &spec, req.previous)?;
            if let Some(from) = from {
                lines.retain(|(t, _)| *t >= from);
            }
            if tail >= 0 {
                let skip = lines.len().saturating_sub(usize::try_from(tail).unwrap_or(0));
                lines.drain(..skip);
            }
            let prefix = format!("[pod/{}/{}] ", pod.name(), spec.str_at("name"));
            render(&mut out, &lines, req.timestamps, req.prefix.then_some(prefix.as_str()));
        }
    }
    if let Some(limit) = req.limit_bytes {
        let mut cut = limit.min(out.len());
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    let _ = req.follow;
    ctx.out.write_all(out.as_bytes()).map_err(io)?;
    Ok(())
}

/// Whether `TYPE/NAME` names a pod (`pod/web`, `pods/web`, `po/web`).
fn is_pod_kind(arg: &str) -> bool {
    arg.split_once('/').and_then(|(t, _)| crate::api::kinds::lookup(t)).is_some_and(|k| k.kind == "Pod")
}

/// `logsForObject` for a workload: the pod `podutils.ByLogging` sorts first among those its
/// selector matches, and how many there are (kubectl names the one it uses when there are more).
fn logging_pod(cluster: &mut Cluster, namespace: &str, arg: &str) -> Result<(Value, usize)> {
    let first = find_pod(cluster, namespace, arg)?;
    let Some((typed, name)) = arg.split_once('/') else { return Ok((first, 1)) };
    let Some(kind) = crate::api::kinds::lookup(typed) else { return Ok((first, 1)) };
    let Some(obj) = cluster.get(&crate::cluster::Key::new(kind, namespace, name))? else { return Ok((first, 1)) };
    let selector = match obj.at("spec.selector") {
        // A ReplicationController's selector is a map of labels.
        Some(sel) if kind.kind == "ReplicationController" => {
            Selector::from_label_selector(&serde_json::json!({ "matchLabels": sel }))
        }
        sel => Selector::from_label_selector(sel.unwrap_or(&Value::Null)),
    }
    .map_err(Error::cli)?;
    let mut pods: Vec<Value> =
        cluster.iter(&POD, Some(namespace)).filter(|p| selector.matches_object(p)).cloned().collect();
    pods.sort_by(by_logging);
    let count = pods.len();
    Ok((pods.into_iter().next().unwrap_or(first), count))
}

/// `podutils.ByLogging`: scheduled before unscheduled; Running, then Unknown, then Pending (other
/// phases as Running); ready before not ready, ready longer first; more restarts first; older first.
fn by_logging(a: &Value, b: &Value) -> std::cmp::Ordering {
    let scheduled = |p: &Value| !p.str_at("spec.nodeName").is_empty();
    let phase = |p: &Value| match p.str_at("status.phase") {
        "Unknown" => 1,
        "Pending" => 2,
        _ => 0,
    };
    let ready_since = |p: &Value| {
        p.array_at("status.conditions")
            .iter()
            .find(|c| c.str_at("type") == "Ready" && c.str_at("status") == "True")
            .map(|c| parse_rfc3339(c.str_at("lastTransitionTime")).unwrap_or(0))
    };
    let restarts = |p: &Value| {
        p.array_at("status.containerStatuses").iter().map(|s| s.i64_at("restartCount").unwrap_or(0)).max().unwrap_or(0)
    };
    let created = |p: &Value| p.created().unwrap_or(i64::MAX);
    scheduled(b)
        .cmp(&scheduled(a))
        .then(phase(a).cmp(&phase(b)))
        .then(ready_since(b).is_some().cmp(&ready_since(a).is_some()))
        .then(ready_since(a).unwrap_or(0).cmp(&ready_since(b).unwrap_or(0)))
        .then(restarts(b).cmp(&restarts(a)))
        .then(created(a).cmp(&created(b)))
}

/// Pods of the namespace that the selector matches, by name.
fn selected_pods(cluster: &mut Cluster, namespace: &str, selector: &str) -> Result<Vec<Value>> {
    let sel = Selector::parse(selector).map_err(Error::cli)?;
    cluster.load(&POD, Some(namespace))?;
    Ok(cluster.iter(&POD, Some(namespace)).filter(|p| sel.matches_object(p)).cloned().collect())
}

/// The containers whose logs are asked for: one (named, or the default), or all of them (init
/// containers first, as kubectl lists them).
fn containers(ctx: &mut Context, pod: &Value, req: &Request) -> Result<Vec<Value>> {
    if req.all_containers {
        return Ok(pod
            .array_at("spec.initContainers")
            .iter()
            .chain(pod.array_at("spec.containers"))
            .cloned()
            .collect());
    }
    let container = req.container.clone().or_else(|| req.pod.get(1).cloned());
    let pick = super::exec::Request {
        target: Vec::new(),
        container,
        stdin: false,
        tty: false,
        quiet: req.selector.is_some(),
        command: Vec::new(),
    };
    // kubectl's LogsForObject checks the name itself (exec leaves it to the server).
    let picked = pick_container(ctx, pod, &pick).map_err(|e| match e {
        Error::BadRequest(m) if m.starts_with("container ") => Error::cli(m),
        other => other,
    })?;
    Ok(vec![picked])
}

/// One container's log lines with their times (ms): the image's start-up lines, then what the
/// container wrote.
pub(super) fn container_lines(
    cluster: &mut Cluster,
    pod: &Value,
    spec: &Value,
    previous: bool,
) -> Result<Vec<(i64, String)>> {
    let name = spec.str_at("name").to_string();
    let mut statuses = pod
        .array_at("status.containerStatuses")
        .iter()
        .chain(pod.array_at("status.initContainerStatuses"))
        .chain(pod.array_at("status.ephemeralContainerStatuses"));
    let status = statuses.find(|s| s.str_at("name") == name).cloned().unwrap_or(Value::Null);
    if previous {
        if status.at("lastState.terminated").is_none() {
            return Err(Error::BadRequest(format!(
                "previous terminated container \"{name}\" in pod \"{}\" not found",
                pod.name()
            )));
        }
    } else if status.at("state.running").is_none()
        && status.at("state.terminated").is_none()
        && status.at("lastState.terminated").is_none()
    {
        // A container in back-off still has the log of the run that ended.
        let reason = match status.str_at("state.waiting.reason") {
            "" => "ContainerCreating",
            r => r,
        };
        return Err(Error::BadRequest(format!(
            "container \"{name}\" in pod \"{}\" is waiting to start: {reason}",
            pod.name()
        )));
    }
    let state = if previous { "lastState.terminated" } else { "state" };
    let started = status
        .at(&format!("{state}.startedAt"))
        .or_else(|| status.at("state.running.startedAt"))
        .or_else(|| status.at("state.terminated.startedAt"))
        .and_then(Value::as_str)
        .and_then(parse_rfc3339)
        .unwrap_or(0);
    // Only the program decides what the image prints at start (an `$(VAR)` in it is left as is).
    let argv = crate::controller::kubelet::main_argv(spec, &[]);
    let host = match pod.str_at("spec.hostname") {
        "" => pod.name(),
        h => h,
    };
    let startup = startup_lines(spec.str_at("image"), &argv, (host, pod.str_at("status.podIP")), started);
    // Times in milliseconds: a process writes many lines a second.
    let mut lines: Vec<(i64, String)> = startup.into_iter().map(|(t, l)| (t * 1000, l)).collect();
    // The kubelet keeps the log of the container's previous run when it restarts it.
    let family = if previous { "log-previous" } else { "log" };
    let volume = format!("{family}/{}/{name}", pod.uid());
    let mut files = cluster.files();
    lines.extend(read_log(&mut files, &volume).into_iter().map(|l| (l.time * 1000 + i64::from(l.millis), l.text)));
    Ok(lines)
}

fn render(out: &mut String, lines: &[(i64, String)], timestamps: bool, prefix: Option<&str>) {
    for (i, (t, text)) in lines.iter().enumerate() {
        if let Some(p) = prefix {
            out.push_str(p);
        }
        if timestamps {
            let stamp = format_rfc3339(t.div_euclid(1000));
            let base = stamp.trim_end_matches('Z');
            // The runtime stamps lines in nanoseconds: lines of one millisecond stay in order.
            let nanos = t.rem_euclid(1000) * 1_000_000 + 100_000 + (i as i64 % 800) * 1_013;
            out.push_str(&format!("{base}.{nanos:09}Z "));
        }
        out.push_str(text);
        out.push('\n');
    }
}
