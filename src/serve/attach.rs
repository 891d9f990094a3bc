//! `pods/NAME/attach` over WebSocket `v5.channel.k8s.io`: the container's output from the moment
//! of attaching, as its process writes it in cluster time (checked every half second, as a
//! followed log), on channel 1, until the client leaves or the pod goes. A container with
//! `stdin: true` and `tty: true` whose process is a shell gets an interactive session (`attach
//! -it`), played as `exec -it` plays one. Other stdin is not delivered to the simulated process.

use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::Message;

use super::exec;
use super::http::{Request, Response};
use super::route::Target;
use super::session::Env;
use super::status;
use crate::api::ObjectExt;
use crate::Result;

const FOLLOW_EVERY: Duration = Duration::from_millis(500);
/// How long one read of the client's frames waits before the output is checked again.
const POLL: Duration = Duration::from_millis(200);

/// What attach needs to know about the container: whether it takes a terminal, and its command.
struct Attached {
    interactive: bool,
    command: Vec<String>,
}

fn container(env: &Env, req: &Request, target: &Target) -> Result<Attached> {
    let mut cluster = env.read()?;
    let pod = super::read::object(&mut cluster, target);
    cluster.abandon()?;
    let pod = pod?;
    let wanted = req.param("container");
    // Without `container`, the first app container; by name, an ephemeral one too (`kubectl debug`).
    let found = match wanted {
        None => pod.array_at("spec.containers").first(),
        Some(w) => pod
            .array_at("spec.containers")
            .iter()
            .chain(pod.array_at("spec.initContainers"))
            .chain(pod.array_at("spec.ephemeralContainers"))
            .find(|c| c.str_at("name") == w),
    };
    let Some(c) = found else {
        let name = wanted.unwrap_or_default();
        return Err(crate::Error::BadRequest(format!(
            "container {name} is not valid for pod {}",
            target.name.as_deref().unwrap_or_default()
        )));
    };
    let flag = |f: &str| c.get(f).and_then(Value::as_bool).unwrap_or(false);
    let words = |f: &str| -> Vec<String> { c.array_at(f).iter().filter_map(Value::as_str).map(String::from).collect() };
    let mut command = words("command");
    command.extend(words("args"));
    if command.is_empty() {
        // No command of its own: the image's (busybox's `sh`, as `kubectl debug -it` relies on).
        command = crate::controller::kubelet::main_argv(c, &[]);
    }
    Ok(Attached { interactive: flag("stdin") && flag("tty"), command })
}

fn success() -> Value {
    json!({"metadata": {}, "status": "Success"})
}

/// Upgrades and streams; returns the refusal when the request cannot become a session.
pub fn handle(
    env: &Env,
    req: &Request,
    target: &Target,
    conn: TcpStream,
    leftover: Vec<u8>,
    stop: &dyn Fn() -> bool,
) -> Option<Response> {
    let attached = match container(env, req, target) {
        Ok(a) => a,
        Err(e) => return Some(status::from_error(&e)),
    };
    if !exec::offers_v5(req) {
        return Some(status::bad_request("kstate serve supports attach over WebSocket (v5.channel.k8s.io) only"));
    }
    let mut sent = match super::logs::read(env, req, target) {
        Ok(log) => log,
        Err(e) => return Some(status::from_error(&e)),
    };
    let mut ws = exec::upgrade(req, conn, leftover)?;
    if attached.interactive && req.flag("stdin") && req.flag("tty") && super::exec_tty::is_shell(&attached.command) {
        let mut run_one = |cmd: &[String], input: &[u8]| exec::run(env, req, target, cmd, input);
        let status = exec::terminal(env, req, target, &mut ws, &attached.command, &mut run_one);
        exec::end(&mut ws, &status);
        return None;
    }
    let _ = ws.get_ref().set_read_timeout(Some(POLL));
    let mut checked = Instant::now();
    while !stop() {
        match ws.read() {
            Ok(Message::Close(_)) => return None,
            // stdin and resize frames: the simulated process does not read a terminal.
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(_) => return None,
        }
        if checked.elapsed() < FOLLOW_EVERY {
            continue;
        }
        checked = Instant::now();
        // The pod is gone: the session ends as the real one does.
        let Ok(now) = super::logs::read(env, req, target) else { break };
        if let Some(new) = now.strip_prefix(sent.as_slice()) {
            if exec::send(&mut ws, 1, new).is_err() {
                return None;
            }
        }
        sent = now;
    }
    exec::end(&mut ws, &success());
    None
}
