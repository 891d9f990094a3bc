//! `kstate run NAME --image=IMAGE [--restart=Never] [-i] [-t] [--rm] [--command] [--labels]
//! [--env] [--port] -- ARGS`: creates a pod as kubectl does (label `run=NAME`, one container
//! named NAME). Attached (`-i`/`-t`) with a command, the command runs in the simulated
//! container, its output is printed and logged, and the pod completes (Succeeded or Failed);
//! `--rm` deletes it afterwards.

use serde_json::{json, Map, Value};

use super::dry_run::DryRun;
use super::exec::{container_for, run_in, tty_in_use};
use super::{io, Context};
use crate::api::kinds::POD;
use crate::api::object::set_at;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key, Propagation};
use crate::exec::{append_log, Output};
use crate::print::OutputFormat;
use crate::{controller, Error, Result};

pub struct Request {
    pub dry_run: DryRun,
    /// `-o`: the created objects printed (detached runs only, as kubectl prints them).
    pub output: Option<OutputFormat>,
    pub name: Option<String>,
    pub image: Option<String>,
    pub restart: String,
    pub stdin: bool,
    pub tty: bool,
    pub rm: bool,
    pub command: bool,
    pub labels: Option<String>,
    pub env: Vec<String>,
    pub port: Option<String>,
    pub args: Vec<String>,
    pub quiet: bool,
    /// `--expose`: a ClusterIP service for the pod as well (see [`super::run_expose`]).
    pub expose: bool,
    /// `--save-config`: the pod carries its own manifest as the last-applied annotation.
    pub save_config: bool,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    // cobra checks required flags before the command runs; the name is the command's own check.
    let Some(image) = req.image.clone() else {
        return Err(ctx.required_flags(&["image"]));
    };
    let Some(name) = req.name.clone() else {
        return Err(Error::cli("NAME is required for run\nSee 'kubectl run -h' for help and examples"));
    };
    if image.is_empty() {
        return Err(Error::cli("--image is required"));
    }
    // kubectl checks the reference against distribution's grammar before anything else.
    if !crate::controller::kubelet::image_ref::is_reference(&image) {
        let q = crate::format::go::quote_str(&image);
        return Err(Error::cli(format!("Invalid image name {q}: invalid reference format")));
    }
    let attach = req.stdin || req.tty;
    if attach && req.dry_run != DryRun::None {
        return Err(Error::cli(
            "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\nSee 'kubectl run -h' for help and examples",
        ));
    }
    if req.rm && !attach {
        return Err(Error::cli("--rm should only be used for attached containers"));
    }
    let restart = match req.restart.as_str() {
        "Always" | "OnFailure" | "Never" => req.restart.clone(),
        other => return Err(Error::cli(format!("invalid restart policy: {other}"))),
    };
    if req.expose && req.port.as_deref().is_none_or(str::is_empty) {
        return Err(Error::cli(
            "--port must be set when exposing a service\nSee 'kubectl run -h' for help and examples",
        ));
    }
    let mut pod = pod_object(&req, &name, &image, &restart)?;
    if req.dry_run == DryRun::Client {
        return print_client_dry_run(ctx, &req, &name, pod);
    }
    if req.save_config {
        super::apply::with_last_applied(&mut pod)?;
    }
    let mut input = Vec::new();
    if req.stdin {
        ctx.stdin.read_to_end(&mut input).map_err(io)?;
    }
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some("kubectl-run".into());
    let created = match cluster.create(pod, &ctx.namespace.clone()) {
        Ok(p) => (*p).clone(),
        Err(e) => {
            cluster.abandon()?;
            return Err(e);
        }
    };
    // kubectl creates the pod, then the service, printing the service's line first.
    let exposed = match req.expose {
        true => Some(super::run_expose::create(ctx, &mut cluster, &req, &name)?),
        false => None,
    };
    controller::converge(&mut cluster)?;
    let key = Key::new(&POD, &ctx.namespace, &name);
    if !attach {
        // A detached pod's command is the container's process: the kubelet runs it in cluster time.
        match req.dry_run {
            DryRun::Server => cluster.abandon()?,
            _ => ctx.finish(cluster)?,
        }
        return super::run_expose::report(ctx, exposed, &created, req.output.as_ref(), req.dry_run);
    }
    let exposed_error = match exposed {
        Some(Ok(svc)) => {
            ctx.say(&format!("service/{} created", svc.name()))?;
            None
        }
        Some(Err(e)) => Some(e),
        None => None,
    };
    // kubectl prints the hint whenever it attaches stdin, even after giving up the TTY.
    tty_in_use(ctx, req.tty, req.stdin, req.quiet)?;
    let argv = command_line(&req, &image);
    if req.stdin && !req.quiet {
        ctx.say_err("If you don't see a command prompt, try pressing enter.")?;
    }
    let output = if argv.is_empty() { None } else { execute(&mut cluster, &key, &argv, &input)? };
    if let Some(o) = &output {
        complete(&mut cluster, &key, o)?;
    }
    if req.rm {
        cluster.delete(&key, Propagation::Background, Some(0))?;
    }
    ctx.finish(cluster)?;
    if let Some(o) = &output {
        ctx.out.write_all(&o.stdout).map_err(io)?;
        ctx.out.flush().map_err(io)?;
        ctx.err.write_all(&o.stderr).map_err(io)?;
    }
    if req.rm {
        ctx.say(&format!("pod \"{name}\" deleted"))?;
    }
    if let Some(e) = exposed_error {
        return Err(e);
    }
    match output {
        Some(o) if o.code != 0 => {
            ctx.out.flush().map_err(io)?;
            let _ = writeln!(ctx.err, "pod {}/{name} terminated (Error)", ctx.namespace);
            Err(Error::Silent(o.code))
        }
        _ => Ok(()),
    }
}

/// `--dry-run=client`: the service (with `--expose`) and the pod as kubectl's generators build
/// them, printed, nothing sent.
fn print_client_dry_run(ctx: &mut Context, req: &Request, name: &str, mut pod: Value) -> Result<()> {
    let service = match req.expose {
        true => {
            let mut svc = super::run_expose::service(req, name)?;
            set_at(&mut svc, "metadata.creationTimestamp", Value::Null);
            set_at(&mut svc, "status", json!({"loadBalancer": {}}));
            Some(Ok(svc))
        }
        false => None,
    };
    set_at(&mut pod, "metadata.creationTimestamp", Value::Null);
    if let Some(c) = pod.pointer_mut("/spec/containers/0").and_then(Value::as_object_mut) {
        c.entry("resources").or_insert_with(|| json!({}));
    }
    set_at(&mut pod, "status", json!({}));
    super::run_expose::report(ctx, service, &pod, req.output.as_ref(), DryRun::Client)
}

/// The pod kubectl's run generator builds.
fn pod_object(req: &Request, name: &str, image: &str, restart: &str) -> Result<Value> {
    let mut labels = Map::new();
    match &req.labels {
        Some(spec) => {
            for pair in spec.split(',').filter(|p| !p.is_empty()) {
                let Some((k, v)) = pair.split_once('=') else {
                    return Err(Error::cli(format!("invalid label spec: {pair}")));
                };
                labels.insert(k.to_string(), json!(v));
            }
        }
        None => {
            labels.insert("run".into(), json!(name));
        }
    }
    let mut container = json!({"name": name, "image": image, "resources": {}});
    if !req.args.is_empty() {
        let field = if req.command { "command" } else { "args" };
        container[field] = json!(req.args);
    }
    if !req.env.is_empty() {
        let mut env = Vec::new();
        for e in &req.env {
            // `parseEnvs`: a NAME=VALUE whose name passes the strict `IsEnvVarName`.
            let (k, v) = e
                .split_once('=')
                .filter(|(k, _)| super::create_generators::check_env_var_name(k).is_ok())
                .ok_or_else(|| Error::cli(format!("invalid env: {e}")))?;
            env.push(json!({"name": k, "value": v}));
        }
        container["env"] = json!(env);
    }
    if let Some(port) = &req.port {
        let n: i64 =
            port.parse().map_err(|_| Error::cli(format!("invalid argument \"{port}\" for \"--port\" flag")))?;
        container["ports"] = json!([{"containerPort": n}]);
    }
    if req.stdin {
        container["stdin"] = json!(true);
        container["stdinOnce"] = json!(true);
    }
    if req.tty {
        container["tty"] = json!(true);
    }
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": labels},
        "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart},
    }))
}

/// What the container runs: `--command` ARGS, the image's entrypoint with ARGS, or (busybox
/// and alpine without ARGS) their `sh`.
fn command_line(req: &Request, image: &str) -> Vec<String> {
    if !req.args.is_empty() {
        return req.args.clone();
    }
    let lower = image.to_ascii_lowercase();
    if lower.contains("busybox") || lower.contains("alpine") {
        return vec!["sh".to_string()];
    }
    Vec::new()
}

/// Commands that would keep a detached container running (left Running, not run).
fn execute(cluster: &mut Cluster, key: &Key, argv: &[String], input: &[u8]) -> Result<Option<Output>> {
    let Some(pod) = cluster.get(key)? else { return Ok(None) };
    if pod.str_at("status.phase") != "Running" {
        return Ok(None);
    }
    let Some(spec) = pod.array_at("spec.containers").first().cloned() else { return Ok(None) };
    // The runtime gives the container a terminal when its spec asks for one (`run -t`), even when
    // kubectl then attaches without it (its own stdin is no terminal): `mysql -e` prints boxed
    // tables, as the process's stdout is a tty.
    let tty = spec.get("tty").and_then(Value::as_bool).unwrap_or(false);
    let c = container_for(cluster, &pod, &spec, tty)?;
    let out = run_in(cluster, &c, argv, input)?;
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let volume = format!("log/{}/{}", pod.uid(), spec.str_at("name"));
    append_log(&mut cluster.files(), &volume, c.now, &lines);
    Ok(Some(out))
}

/// The container exited: the pod is Succeeded or Failed, as the kubelet reports it.
fn complete(cluster: &mut Cluster, key: &Key, out: &Output) -> Result<()> {
    let Some(mut pod) = cluster.get(key)? else { return Ok(()) };
    let now = cluster.clock.now_rfc3339();
    let code = if out.is_start_failure() { 128 } else { out.code };
    let (phase, reason) = if code == 0 { ("Succeeded", "Completed") } else { ("Failed", "Error") };
    let mut statuses = pod.array_at("status.containerStatuses").to_vec();
    for s in &mut statuses {
        let started = s.str_at("state.running.startedAt").to_string();
        let id = s.str_at("containerID").to_string();
        set_at(s, "ready", json!(false));
        set_at(s, "started", json!(false));
        set_at(
            s,
            "state",
            json!({"terminated": {"containerID": id, "exitCode": code, "finishedAt": now, "reason": reason, "startedAt": started}}),
        );
    }
    set_at(&mut pod, "status.containerStatuses", Value::Array(statuses));
    set_at(&mut pod, "status.phase", json!(phase));
    let mut conditions = pod.array_at("status.conditions").to_vec();
    for c in &mut conditions {
        if matches!(c.str_at("type"), "Ready" | "ContainersReady" | "PodReadyToStartContainers") {
            set_at(c, "status", json!("False"));
            set_at(c, "lastTransitionTime", json!(now));
            if c.str_at("type") != "PodReadyToStartContainers" {
                set_at(c, "reason", json!("PodCompleted"));
            }
        }
    }
    set_at(&mut pod, "status.conditions", Value::Array(conditions));
    cluster.update_status(pod)?;
    Ok(())
}
