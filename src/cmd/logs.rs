//! `kstate logs POD [-c C] [--tail N] [--previous] [-f] [--timestamps]`: the image's startup
//! lines and what the container logged since (requests its web server answered, the output of
//! a `kstate run` command). `-f` prints what there is and returns.

use serde_json::Value;

use super::exec::{find_pod, pick_container};
use super::{io, Context};
use crate::api::ObjectExt;
use crate::clock::{format_rfc3339, parse_rfc3339};
use crate::exec::{read_log, startup_lines};
use crate::{Error, Result};

pub struct Request {
    pub pod: Vec<String>,
    pub container: Option<String>,
    /// Lines from the end; negative for all.
    pub tail: i64,
    pub previous: bool,
    pub follow: bool,
    pub timestamps: bool,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let Some(pod_arg) = req.pod.first().cloned() else {
        return Err(Error::cli("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command"));
    };
    let mut cluster = ctx.read()?;
    let pod = find_pod(&mut cluster, &ctx.namespace, &pod_arg)?;
    let container_arg = match (&req.container, req.pod.get(1)) {
        (Some(c), _) => Some(c.clone()),
        (None, Some(c)) => Some(c.clone()),
        (None, None) => None,
    };
    let pick = super::exec::Request {
        target: Vec::new(),
        container: container_arg,
        stdin: false,
        tty: false,
        quiet: false,
        command: Vec::new(),
    };
    let spec = pick_container(ctx, &pod, &pick)?;
    let name = spec.str_at("name").to_string();
    let statuses = pod.array_at("status.containerStatuses").iter().chain(pod.array_at("status.initContainerStatuses"));
    let status = statuses.clone().find(|s| s.str_at("name") == name).cloned();
    let status = status.unwrap_or(Value::Null);
    if req.previous {
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
    let state = if req.previous { "lastState.terminated" } else { "state" };
    let started = status
        .at(&format!("{state}.startedAt"))
        .or_else(|| status.at("state.running.startedAt"))
        .or_else(|| status.at("state.terminated.startedAt"))
        .and_then(Value::as_str)
        .and_then(parse_rfc3339)
        .unwrap_or(0);
    let startup = startup_lines(spec.str_at("image"), pod.str_at("status.podIP"), started);
    // Times in milliseconds: a process writes many lines a second.
    let mut lines: Vec<(i64, String)> = startup.into_iter().map(|(t, l)| (t * 1000, l)).collect();
    // The kubelet keeps the log of the container's previous run when it restarts it.
    let family = if req.previous { "log-previous" } else { "log" };
    let volume = format!("{family}/{}/{name}", pod.uid());
    let mut files = cluster.files();
    lines.extend(read_log(&mut files, &volume).into_iter().map(|l| (l.time * 1000 + i64::from(l.millis), l.text)));
    if req.tail >= 0 {
        let keep = usize::try_from(req.tail).unwrap_or(0);
        let skip = lines.len().saturating_sub(keep);
        lines.drain(..skip);
    }
    let mut out = String::new();
    for (i, (t, text)) in lines.iter().enumerate() {
        if req.timestamps {
            let stamp = format_rfc3339(t.div_euclid(1000));
            let base = stamp.trim_end_matches('Z');
            // The runtime stamps lines in nanoseconds: lines of one millisecond stay in order.
            let nanos = t.rem_euclid(1000) * 1_000_000 + 100_000 + (i as i64 % 800) * 1_013;
            out.push_str(&format!("{base}.{nanos:09}Z "));
        }
        out.push_str(text);
        out.push('\n');
    }
    let _ = req.follow;
    ctx.out.write_all(out.as_bytes()).map_err(io)?;
    Ok(())
}
