//! `kstate exec POD [-c CONTAINER] [-i] -- CMD...`: runs a command in the simulated container,
//! whose files live in the store. The seed's `exec POD CMD...` form works with kubectl 1.29's
//! deprecation message.

use std::io::Read;

use serde_json::Value;

use super::{io, Context};
use crate::api::kinds::{self, POD};
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::controller::kubelet::container_view;
use crate::controller::kubelet::ClusterNet;
use crate::exec::{self, Container};
use crate::{Error, Result};

pub struct Request {
    pub target: Vec<String>,
    pub container: Option<String>,
    pub stdin: bool,
    pub tty: bool,
    pub quiet: bool,
    pub command: Vec<String>,
}

const DEPRECATED: &str = "kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.";

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let (pod_arg, command) = split_command(ctx, &req)?;
    if req.stdin && req.tty && std::io::IsTerminal::is_terminal(&std::io::stdin()) && is_shell(&command) {
        return interactive(ctx, &req, &pod_arg, &command);
    }
    let mut input = Vec::new();
    if req.stdin {
        // The container's stdin is a pipe: it holds what a pipe holds, the rest is not read.
        let limit = crate::exec::MAX_PIPE_BYTES as u64;
        Read::take(&mut *ctx.stdin, limit).read_to_end(&mut input).map_err(io)?;
    }
    let tty = tty_in_use(ctx, req.tty, req.stdin, req.quiet)?;
    let output = execute(ctx, &pod_arg, &req, &command, &input, tty)?;
    ctx.out.write_all(&output.stdout).map_err(io)?;
    ctx.out.flush().map_err(io)?;
    ctx.err.write_all(&output.stderr).map_err(io)?;
    if output.is_start_failure() {
        return Err(Error::Silent(1));
    }
    match output.code {
        0 => Ok(()),
        code => Err(Error::ExitCode(code)),
    }
}

/// Runs `command` in the pod's container in one write transaction (what `exec` and `kstate
/// serve`'s exec endpoint share): finds the pod and container, runs, lets a signalled main process
/// end, converges and commits.
pub(crate) fn execute(
    ctx: &mut Context,
    pod_arg: &str,
    req: &Request,
    command: &[String],
    input: &[u8],
    tty: bool,
) -> Result<exec::Output> {
    let mut cluster = ctx.write()?;
    let mut container = match prepare(ctx, &mut cluster, pod_arg, req) {
        Ok(c) => c,
        Err(e) => {
            cluster.abandon()?;
            return Err(e);
        }
    };
    container.tty = tty;
    let mut output = run_in(&mut cluster, &container, command, input)?;
    if let Some(signal) = &output.main_signal {
        let key = Key::new(&POD, &container.namespace, &container.pod_name);
        let ended =
            crate::controller::kubelet::main_process_ended(&mut cluster, &key, &container.container_name, signal)?;
        // A shell is still running when PID 1 ends, and is killed with the container's other
        // processes; a program like `kill` itself has already exited.
        if ended && is_shell(command) {
            output.code = exec::KILLED_CODE;
        }
    }
    ctx.finish(cluster)?;
    Ok(output)
}

/// `sh`, `bash`, `/bin/ash -l`...: a shell started without a script, to type into.
pub(crate) fn is_shell(command: &[String]) -> bool {
    let program = command.first().map(|c| c.rsplit('/').next().unwrap_or(c)).unwrap_or("");
    matches!(program, "sh" | "bash" | "ash" | "dash") && command[1..].iter().all(|a| a.starts_with('-') && a != "-c")
}

/// Starts an interactive shell session (`exec -it POD -- sh`) in the pod's container: the session
/// and the prompt it prints first. Errors when the program is not a shell kstate simulates.
pub(crate) fn start_session(
    ctx: &mut Context,
    req: &Request,
    pod_arg: &str,
    command: &[String],
) -> Result<(exec::Session, String)> {
    let mut cluster = ctx.write()?;
    let container = match prepare(ctx, &mut cluster, pod_arg, req) {
        Ok(c) => c,
        Err(e) => {
            cluster.abandon()?;
            return Err(e);
        }
    };
    let session = exec::Session::start(&container, &command[0]);
    let prompt = session.as_ref().map(|s| s.prompt(&container));
    ctx.finish(cluster)?;
    match (session, prompt) {
        (Some(s), Some(p)) => Ok((s, p)),
        _ => Err(Error::cli(format!("{} is not a shell kstate simulates", command[0]))),
    }
}

/// Runs one line typed into an interactive session, in its own write transaction (the session
/// never holds the cluster while the user types): its output, and the prompt for the next line.
pub(crate) fn session_line(
    ctx: &mut Context,
    req: &Request,
    pod_arg: &str,
    shell: &mut exec::Session,
    line: &str,
) -> Result<(exec::Output, String)> {
    let mut cluster = ctx.write()?;
    let container = match prepare(ctx, &mut cluster, pod_arg, req) {
        Ok(c) => c,
        Err(e) => {
            cluster.abandon()?;
            return Err(e);
        }
    };
    let net = if exec::uses_network(&[line.to_string()], &[]) { Some(ClusterNet::build(&mut cluster)?) } else { None };
    let output = shell.run_line(&mut cluster.files(), &container, net.as_ref().map(|n| n as &dyn exec::Network), line);
    if let Some(signal) = &output.main_signal {
        let key = Key::new(&POD, &container.namespace, &container.pod_name);
        if crate::controller::kubelet::main_process_ended(&mut cluster, &key, &container.container_name, signal)? {
            shell.killed();
        }
    }
    let prompt = shell.prompt(&container);
    ctx.finish(cluster)?;
    Ok((output, prompt))
}

/// `exec -it POD -- sh` on a terminal: a shell session, one line at a time.
fn interactive(ctx: &mut Context, req: &Request, pod_arg: &str, command: &[String]) -> Result<()> {
    let shell = terminal_session(ctx, req, pod_arg, command)?;
    match shell.status() {
        0 => Ok(()),
        code => Err(Error::ExitCode(code)),
    }
}

/// A shell session on the terminal until `exit` or end of input (`exec -it`, `debug -it`): the
/// session as it ended.
pub(crate) fn terminal_session(
    ctx: &mut Context,
    req: &Request,
    pod_arg: &str,
    command: &[String],
) -> Result<exec::Session> {
    let (mut shell, mut prompt) = start_session(ctx, req, pod_arg, command)?;
    loop {
        write!(ctx.out, "{prompt}").map_err(io)?;
        ctx.out.flush().map_err(io)?;
        let Some(mut line) = read_line(&mut *ctx.stdin).map_err(io)? else {
            writeln!(ctx.out).map_err(io)?;
            break;
        };
        while exec::Session::incomplete(&line) {
            write!(ctx.out, "> ").map_err(io)?;
            ctx.out.flush().map_err(io)?;
            match read_line(&mut *ctx.stdin).map_err(io)? {
                Some(more) => line.push_str(&more),
                None => break,
            }
        }
        let (output, next) = session_line(ctx, req, pod_arg, &mut shell, &line)?;
        prompt = next;
        ctx.out.write_all(&output.stdout).map_err(io)?;
        ctx.out.flush().map_err(io)?;
        ctx.err.write_all(&output.stderr).map_err(io)?;
        if shell.exited.is_some() {
            break;
        }
    }
    Ok(shell)
}

/// One line typed at the terminal (read a byte at a time: nothing past the line is consumed).
fn read_line(input: &mut dyn Read) -> std::io::Result<Option<String>> {
    let mut line = Vec::new();
    let mut byte = [0u8];
    loop {
        if input.read(&mut byte)? == 0 {
            return Ok((!line.is_empty()).then(|| String::from_utf8_lossy(&line).into_owned()));
        }
        line.push(byte[0]);
        if byte[0] == b'\n' {
            return Ok(Some(String::from_utf8_lossy(&line).into_owned()));
        }
    }
}

/// kubectl's SetupTTY: `-t` needs `-i` and a terminal on stdin; without the terminal it says
/// so and goes on without one.
pub(crate) fn tty_in_use(ctx: &mut Context, tty: bool, stdin: bool, quiet: bool) -> Result<bool> {
    use std::io::IsTerminal;
    if !tty || !stdin {
        return Ok(false);
    }
    if std::io::stdin().is_terminal() {
        return Ok(true);
    }
    if !quiet {
        ctx.say_err("Unable to use a TTY - input is not a terminal or the right kind of file")?;
    }
    Ok(false)
}

/// Runs `command` in the container over the store's files, with the cluster network when the
/// command line names a network program.
pub(crate) fn run_in(cluster: &mut Cluster, c: &Container, command: &[String], input: &[u8]) -> Result<exec::Output> {
    let net = if exec::uses_network(command, input) { Some(ClusterNet::build(cluster)?) } else { None };
    let mut files = cluster.files();
    Ok(exec::run_with(&mut files, c, command, input, net.as_ref().map(|n| n as &dyn exec::Network)))
}

/// The pod argument and the command, from `POD -- CMD` or the deprecated `POD CMD`.
fn split_command(ctx: &mut Context, req: &Request) -> Result<(String, Vec<String>)> {
    let Some(pod) = req.target.first().cloned() else {
        return Err(Error::cli("pod, type/name or --filename must be specified"));
    };
    if !req.command.is_empty() {
        // kubectl takes the command from after `--` and ignores other arguments before it.
        return Ok((pod, req.command.clone()));
    }
    if req.target.len() < 2 {
        return Err(Error::cli("you must specify at least one command for the container"));
    }
    if !req.quiet {
        ctx.say_err(DEPRECATED)?;
    }
    Ok((pod, req.target[1..].to_vec()))
}

/// [`prepare`] for commands that run in a container without `exec`'s request (cp).
pub(crate) fn prepare_running(
    ctx: &mut Context,
    cluster: &mut Cluster,
    pod_arg: &str,
    req: &Request,
) -> Result<Container> {
    prepare(ctx, cluster, pod_arg, req)
}

/// Finds the pod and container and builds the container's view of its files.
fn prepare(ctx: &mut Context, cluster: &mut Cluster, pod_arg: &str, req: &Request) -> Result<Container> {
    let pod = find_pod(cluster, &ctx.namespace, pod_arg)?;
    let phase = pod.str_at("status.phase");
    if matches!(phase, "Succeeded" | "Failed") {
        return Err(Error::cli(format!("cannot exec into a container in a completed pod; current phase is {phase}")));
    }
    let spec = pick_container(ctx, &pod, req)?;
    let name = spec.str_at("name").to_string();
    let running = pod
        .array_at("status.containerStatuses")
        .iter()
        .chain(pod.array_at("status.initContainerStatuses"))
        .chain(pod.array_at("status.ephemeralContainerStatuses"))
        .any(|s| s.str_at("name") == name && s.at("state.running").is_some());
    if !running {
        return Err(Error::cli(format!("unable to upgrade connection: container not found (\"{name}\")")));
    }
    container_for(cluster, &pod, &spec, false)
}

/// The simulated container of `spec` in `pod`: identity, environment, layer and mounts.
pub(crate) fn container_for(cluster: &mut Cluster, pod: &Value, spec: &Value, tty: bool) -> Result<Container> {
    let mut c = container_view(cluster, pod, spec)?;
    c.tty = tty;
    Ok(c)
}

/// `web-0`, `pod/web-0`, or `sts/web` (its first pod).
pub(crate) fn find_pod(cluster: &mut Cluster, namespace: &str, arg: &str) -> Result<Value> {
    let (kind, name) = match arg.split_once('/') {
        Some((typed, name)) => (
            kinds::lookup(typed)
                .ok_or_else(|| Error::cli(format!("the server doesn't have a resource type \"{typed}\"")))?,
            name,
        ),
        None => (&POD, arg),
    };
    let obj = cluster.get(&Key::new(kind, namespace, name))?.ok_or_else(|| Error::not_found(&kind.resource(), name))?;
    if kind.kind == "Pod" {
        return Ok(obj);
    }
    let selector = crate::api::selector::Selector::from_label_selector(obj.at("spec.selector").unwrap_or(&Value::Null))
        .map_err(Error::cli)?;
    cluster.load(&POD, Some(namespace))?;
    let first = cluster.iter(&POD, Some(namespace)).find(|p| selector.matches_object(p)).cloned();
    first.ok_or_else(|| Error::cli(format!("cannot attach to {}: no pods found", kind.name_prefix())))
}

pub(crate) fn pick_container(ctx: &mut Context, pod: &Value, req: &Request) -> Result<Value> {
    let containers = pod.array_at("spec.containers");
    if let Some(wanted) = &req.container {
        return containers
            .iter()
            .chain(pod.array_at("spec.initContainers"))
            .chain(pod.array_at("spec.ephemeralContainers"))
            .find(|c| c.str_at("name") == wanted)
            .cloned()
            .ok_or_else(|| Error::BadRequest(format!("container {wanted} is not valid for pod {}", pod.name())));
    }
    let default = pod.annotation("kubectl.kubernetes.io/default-container").map(String::from);
    let chosen = default
        .and_then(|d| containers.iter().find(|c| c.str_at("name") == d).cloned())
        .or_else(|| containers.first().cloned())
        .ok_or_else(|| Error::cli(format!("pod {} does not have a container", pod.name())))?;
    let mut names: Vec<String> = containers.iter().map(|c| c.str_at("name").to_string()).collect();
    names.extend(pod.array_at("spec.initContainers").iter().map(|c| format!("{} (init)", c.str_at("name"))));
    if names.len() > 1 && !req.quiet {
        ctx.say_err(&format!("Defaulted container \"{}\" out of: {}", chosen.str_at("name"), names.join(", ")))?;
    }
    Ok(chosen)
}
