//! `kstate debug`: kubectl debug's three ways in (kubectl/pkg/cmd/debug/debug.go, v1.32): an
//! ephemeral container added to a running pod (`--target` joins another container's processes),
//! a copy of a pod with a debug container or changed containers (`--copy-to`), and a pod on a
//! node in its host namespaces (`node/NAME`). With `-i` the session attaches to the container as
//! `run -i` does: what stdin holds runs in it (a terminal gets a line-by-line shell).

mod profile;

use std::io::Read;

use serde_json::{json, Value};

use super::exec::{container_for, is_shell, run_in, terminal_session, tty_in_use};
use super::{io, Context};
use crate::api::kinds::{self, POD};
use crate::api::object::set_at;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key, Propagation};
use crate::{controller, exec, Error, Result};

pub use profile::Keep;
use profile::{Profile, Style};

const LEGACY_WARNING: &str = "--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example \"--profile=general\".";

/// What pflag's errors end with.
const FLAG_HINT: &str = "See 'kubectl debug --help' for usage.";

pub struct Request {
    /// POD or TYPE/NAME arguments.
    pub names: Vec<String>,
    /// The words after `--`.
    pub args: Vec<String>,
    pub args_only: bool,
    /// `--attach` as given (`None`: not given).
    pub attach: Option<String>,
    pub container: Option<String>,
    pub copy_to: Option<String>,
    pub replace: bool,
    /// `--env` values (`K=V,K2=V2`), as given.
    pub env: Vec<String>,
    pub image: Option<String>,
    pub keep: Keep,
    /// `--set-image` values (`NAME=IMAGE,...`), as given.
    pub set_image: Vec<String>,
    pub pull_policy: Option<String>,
    pub stdin: bool,
    pub quiet: bool,
    pub same_node: bool,
    /// `--share-processes` as given (`None`: not given).
    pub share_processes: Option<String>,
    pub target: Option<String>,
    pub tty: bool,
    pub profile: String,
    pub custom: Option<String>,
    pub filenames: Vec<String>,
}

/// The request once its flags are read, as kubectl's `Complete` leaves it.
struct Options {
    names: Vec<String>,
    args: Vec<String>,
    args_only: bool,
    attach: bool,
    attach_given: bool,
    container: String,
    copy_to: String,
    replace: bool,
    env: Vec<(String, String)>,
    image: String,
    set_images: Vec<(String, String)>,
    pull_policy: String,
    interactive: bool,
    quiet: bool,
    same_node: bool,
    share_processes: Option<bool>,
    target: String,
    tty: bool,
    profile: Profile,
    custom: Option<Value>,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let o = complete(ctx, req)?;
    validate(ctx, &o)?;
    let mut cluster = ctx.write()?;
    let attach_to = match visit(ctx, &mut cluster, &o) {
        Ok(a) => a,
        Err(e) => {
            cluster.abandon()?;
            return Err(e);
        }
    };
    controller::converge(&mut cluster)?;
    ctx.finish(cluster)?;
    match attach_to {
        Some((pod, container)) if o.attach && !container.is_empty() => attach(ctx, &o, &pod, &container),
        _ => Ok(()),
    }
}

/// Reads the flags: `--attach` defaults to `-i`, `--env` and `--set-image` are pflag's
/// string-to-string maps, the profile and the custom profile file are loaded.
fn complete(ctx: &mut Context, req: Request) -> Result<Options> {
    let flag_bool = |v: &Option<String>, name: &str| -> Result<Option<bool>> {
        v.as_deref()
            .map(|s| {
                crate::cli::go_bool(s).ok_or_else(|| {
                    Error::cli(format!(
                        "invalid argument \"{s}\" for \"--{name}\" flag: strconv.ParseBool: parsing \"{s}\": invalid syntax\n{FLAG_HINT}"
                    ))
                })
            })
            .transpose()
    };
    let attach = flag_bool(&req.attach, "attach")?;
    let share_processes = flag_bool(&req.share_processes, "share-processes")?;
    let env = string_map(&req.env, "env")?;
    let set_images = string_map(&req.set_image, "set-image")?;
    let profile = Profile::parse(&req.profile, req.keep.clone())?;
    let mut names = req.names;
    if !req.filenames.is_empty() {
        // `-f pod.yaml`: the objects the files name, as `KIND/NAME`.
        for doc in crate::manifest::read(&req.filenames, false, &mut *ctx.stdin)? {
            names.push(format!("{}/{}", doc.value.kind().to_lowercase(), doc.value.name()));
        }
    }
    let custom = match &req.custom {
        Some(path) => Some(custom_profile(path)?),
        None => None,
    };
    Ok(Options {
        names,
        args: req.args,
        args_only: req.args_only,
        attach: attach.unwrap_or(req.stdin),
        attach_given: attach.is_some(),
        container: req.container.unwrap_or_default(),
        copy_to: req.copy_to.unwrap_or_default(),
        replace: req.replace,
        env,
        image: req.image.unwrap_or_default(),
        set_images,
        pull_policy: req.pull_policy.unwrap_or_default(),
        interactive: req.stdin,
        quiet: req.quiet,
        same_node: req.same_node,
        share_processes,
        target: req.target.unwrap_or_default(),
        tty: req.tty,
        profile,
        custom,
    })
}

/// pflag's `StringToString`: comma-separated `KEY=VALUE` pairs, the flag repeatable; a later
/// key replaces an earlier one in place.
fn string_map(values: &[String], flag: &str) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    for value in values {
        for pair in value.split(',') {
            let Some((k, v)) = pair.split_once('=') else {
                return Err(Error::cli(format!(
                    "invalid argument \"{value}\" for \"--{flag}\" flag: {pair} must be formatted as key=value\n{FLAG_HINT}"
                )));
            };
            match out.iter_mut().find(|(key, _)| key == k) {
                Some(slot) => slot.1 = v.to_string(),
                None => out.push((k.to_string(), v.to_string())),
            }
        }
    }
    Ok(out)
}

/// `--custom FILE`: a partial container spec in JSON or YAML.
fn custom_profile(path: &str) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        Error::cli(format!("must pass a container spec json file for custom profile: open {path}: {why}"))
    })?;
    let value = crate::manifest::yaml_to_json(&text)
        .map_err(|e| Error::cli(format!("{path} does not contain a valid container spec: {e}")))?;
    if !value.is_object() {
        return Err(Error::cli(format!(
            "{path} does not contain a valid container spec: json: cannot unmarshal {} into Go value of type v1.Container",
            go_type(&value)
        )));
    }
    let set = |f: &str| value.get(f).is_some_and(|v| !v.is_null() && v != "" && v != &json!([]));
    if ["name", "command", "image", "lifecycle", "volumeDevices"].iter().any(|f| set(f)) {
        return Err(Error::cli(
            "name, command, image, lifecycle and volume devices are not modifiable via custom profile",
        ));
    }
    Ok(value)
}

fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        _ => "object",
    }
}

/// kubectl's `Validate`, in its order; it also prints the `--target` notice and the legacy
/// profile's deprecation.
fn validate(ctx: &mut Context, o: &Options) -> Result<()> {
    if o.attach && o.attach_given && o.image.is_empty() && o.container.is_empty() {
        return Err(Error::cli(
            "you must specify --container or create a new container using --image in order to attach.",
        ));
    }
    if !o.copy_to.is_empty() {
        if o.image.is_empty() && o.set_images.is_empty() && o.args.is_empty() {
            return Err(Error::cli("you must specify --image, --set-image or command arguments."));
        }
        if !o.args.is_empty() && o.container.is_empty() && o.image.is_empty() {
            return Err(Error::cli("you must specify an existing container or a new image when specifying args."));
        }
    } else if o.replace {
        return Err(Error::cli("--replace may only be used with --copy-to."));
    } else if o.same_node {
        return Err(Error::cli("--same-node may only be used with --copy-to."));
    } else if !o.set_images.is_empty() {
        return Err(Error::cli("--set-image may only be used with --copy-to."));
    } else if o.image.is_empty() {
        return Err(Error::cli("you must specify --image when not using --copy-to."));
    }
    if !o.image.is_empty() && !crate::controller::kubelet::image_ref::is_reference(&o.image) {
        return Err(Error::cli(format!("invalid image name \"{}\": invalid reference format", o.image)));
    }
    if o.names.is_empty() {
        return Err(Error::cli("NAME or filename is required for debug"));
    }
    if !matches!(o.pull_policy.as_str(), "Always" | "IfNotPresent" | "Never" | "") {
        return Err(Error::cli(format!("invalid image pull policy: {}", o.pull_policy)));
    }
    for (name, image) in &o.set_images {
        if !crate::controller::kubelet::image_ref::is_reference(image) {
            return Err(Error::cli(format!(
                "invalid image name \"{image}\" for container \"{name}\": invalid reference format"
            )));
        }
    }
    if !o.target.is_empty() {
        if !o.copy_to.is_empty() {
            return Err(Error::cli("--target is incompatible with --copy-to. Use --share-processes instead."));
        }
        if !o.quiet {
            ctx.say(&format!(
                "Targeting container \"{}\". If you don't see processes from this container it may be because the container runtime doesn't support this feature.",
                o.target
            ))?;
        }
    }
    if o.tty && !o.interactive {
        return Err(Error::cli("-i/--stdin is required for containers with -t/--tty=true"));
    }
    if o.profile.name == "legacy" {
        ctx.say_err(LEGACY_WARNING)?;
    }
    Ok(())
}

/// Debugs each named object (kubectl visits them in turn; kstate the first, which is what the
/// pages use): the pod and container to attach to.
fn visit(ctx: &mut Context, cluster: &mut Cluster, o: &Options) -> Result<Option<(Value, String)>> {
    let namespace = ctx.namespace.clone();
    let arg = o.names[0].as_str();
    let (kind, name) = match arg.split_once('/') {
        Some((typed, name)) => (
            kinds::lookup(typed)
                .ok_or_else(|| Error::cli(format!("the server doesn't have a resource type \"{typed}\"")))?,
            name,
        ),
        None => (&POD, arg),
    };
    let ns = if kind.namespaced { namespace.as_str() } else { "" };
    let obj = cluster.get(&Key::new(kind, ns, name))?.ok_or_else(|| Error::not_found(&kind.resource(), name))?;
    match kind.kind {
        "Pod" if !o.copy_to.is_empty() => by_copy(ctx, cluster, o, &obj).map(Some),
        "Pod" => by_ephemeral_container(ctx, cluster, o, &obj).map(Some),
        "Node" => on_node(ctx, cluster, o, &obj).map(Some),
        _ => {
            // Go's GroupVersionKind.String(): `/v1, Kind=Service` for the core group.
            Err(Error::cli(format!("\"{}/{}, Kind={}\" not supported by debug", kind.group, kind.version, kind.kind)))
        }
    }
}

/// The container's command (or, with `--arguments-only`, its args), env, pull policy, stdin and
/// tty from the flags.
fn fill_container(c: &mut Value, o: &Options) {
    if !o.args.is_empty() {
        let field = if o.args_only { "args" } else { "command" };
        c[field] = json!(o.args);
    }
    if !o.env.is_empty() {
        c["env"] = Value::Array(o.env.iter().map(|(k, v)| json!({"name": k, "value": v})).collect());
    }
    if !o.image.is_empty() {
        c["image"] = json!(o.image);
    }
    if !o.pull_policy.is_empty() {
        c["imagePullPolicy"] = json!(o.pull_policy);
    }
}

/// kubectl's `computeDebugContainerName`: `--container`, or `debugger-` and five random
/// characters not yet used by a container of the pod (announced unless `--quiet`).
fn debug_container_name(ctx: &mut Context, cluster: &mut Cluster, o: &Options, pod: &Value) -> Result<String> {
    if !o.container.is_empty() {
        return Ok(o.container.clone());
    }
    let taken = |n: &str| all_containers(pod).any(|c| c.str_at("name") == n);
    let mut name = String::new();
    while name.is_empty() || taken(&name) {
        name = format!("debugger-{}", cluster.ids.name_suffix());
    }
    if !o.quiet {
        ctx.say(&format!("Defaulting debug container name to {name}."))?;
    }
    Ok(name)
}

fn all_containers(pod: &Value) -> impl Iterator<Item = &Value> {
    pod.array_at("spec.containers")
        .iter()
        .chain(pod.array_at("spec.initContainers"))
        .chain(pod.array_at("spec.ephemeralContainers"))
}

/// Adds the debug container to the pod through its `ephemeralcontainers` subresource.
fn by_ephemeral_container(
    ctx: &mut Context,
    cluster: &mut Cluster,
    o: &Options,
    pod: &Value,
) -> Result<(Value, String)> {
    let name = debug_container_name(ctx, cluster, o, pod)?;
    let mut ec = json!({"name": name, "image": o.image, "resources": {}, "terminationMessagePolicy": "File"});
    fill_container(&mut ec, o);
    if o.interactive {
        ec["stdin"] = json!(true);
    }
    if o.tty {
        ec["tty"] = json!(true);
    }
    if !o.target.is_empty() {
        ec["targetContainerName"] = json!(o.target);
    }
    let mut updated = pod.clone();
    let mut list = updated.array_at("spec.ephemeralContainers").to_vec();
    list.push(ec);
    set_at(&mut updated, "spec.ephemeralContainers", Value::Array(list));
    o.profile.apply(&mut updated, &name, Style::Ephemeral);
    if let Some(custom) = &o.custom {
        updated = with_custom(&updated, "ephemeralContainers", &name, custom)?;
    }
    let stored = cluster.update_ephemeral_containers(pod, &updated)?;
    Ok(((*stored).clone(), name))
}

/// `--custom`: the partial container spec merged into the container `name` (a strategic merge,
/// as kubectl's `applyCustomProfile` does).
fn with_custom(pod: &Value, field: &str, name: &str, custom: &Value) -> Result<Value> {
    let mut patch = custom.clone();
    patch["name"] = json!(name);
    let wrapped = json!({"spec": {field: [patch]}});
    crate::api::patch::strategic_merge(pod, &wrapped)
        .map_err(|e| Error::cli(format!("error creating three way patch to add debug container: {e}")))
}

/// A copy of the pod named `--copy-to`, with the debug container added (or the container named
/// by `--container` changed) and `--set-image` applied.
fn by_copy(ctx: &mut Context, cluster: &mut Cluster, o: &Options, pod: &Value) -> Result<(Value, String)> {
    let mut meta = json!({"name": o.copy_to, "namespace": pod.namespace()});
    for field in ["annotations", "labels"] {
        if let Some(v) = pod.at(&format!("metadata.{field}")) {
            meta[field] = v.clone();
        }
    }
    let mut spec = pod.get("spec").cloned().unwrap_or_else(|| json!({}));
    if let Some(s) = spec.as_object_mut() {
        s.remove("ephemeralContainers");
        if !o.same_node {
            s.remove("nodeName");
        }
    }
    if let Some(share) = o.share_processes {
        spec["shareProcessNamespace"] = json!(share);
    }
    let mut copy = json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec});
    // `*` sets every container's image; a container's own name wins over it.
    let wildcard = o.set_images.iter().find(|(k, _)| k == "*").map(|(_, v)| v.clone());
    if let Some(list) = copy.pointer_mut("/spec/containers").and_then(Value::as_array_mut) {
        for c in list.iter_mut() {
            let own = o.set_images.iter().find(|(k, _)| k == c.str_at("name")).map(|(_, v)| v.clone());
            if let Some(image) = own.or_else(|| wildcard.clone()).filter(|i| !i.is_empty()) {
                c["image"] = json!(image);
            }
        }
    }
    let existing = all_containers(&copy).any(|c| !o.container.is_empty() && c.str_at("name") == o.container);
    let name = if existing {
        o.container.clone()
    } else {
        if o.image.is_empty() {
            if !o.set_images.is_empty() {
                // Only images changed: there is no debug container to attach to.
                let created = create_copy(cluster, o, pod, copy)?;
                return Ok((created, String::new()));
            }
            return Err(Error::cli("you must specify image when creating new container"));
        }
        let name = debug_container_name(ctx, cluster, o, &copy)?;
        let mut list = copy.array_at("spec.containers").to_vec();
        list.push(json!({"name": name, "terminationMessagePolicy": "File"}));
        set_at(&mut copy, "spec.containers", Value::Array(list));
        name
    };
    for field in ["initContainers", "containers"] {
        let Some(list) = copy.pointer_mut(&format!("/spec/{field}")).and_then(Value::as_array_mut) else { continue };
        for c in list.iter_mut().filter(|c| c.str_at("name") == name) {
            if !o.args.is_empty() && !o.args_only {
                if let Some(obj) = c.as_object_mut() {
                    obj.remove("args");
                }
            }
            fill_container(c, o);
            set_or_remove(c, "stdin", o.interactive);
            set_or_remove(c, "tty", o.tty);
        }
    }
    o.profile.apply(&mut copy, &name, Style::Copy);
    if let Some(custom) = &o.custom {
        copy = with_custom(&copy, "containers", &name, custom)?;
    }
    let created = create_copy(cluster, o, pod, copy)?;
    Ok((created, name))
}

fn set_or_remove(c: &mut Value, field: &str, on: bool) {
    match (on, c.as_object_mut()) {
        (true, Some(obj)) => {
            obj.insert(field.to_string(), json!(true));
        }
        (false, Some(obj)) => {
            obj.remove(field);
        }
        _ => {}
    }
}

/// Creates the copy; `--replace` then deletes the original at once.
fn create_copy(cluster: &mut Cluster, o: &Options, pod: &Value, copy: Value) -> Result<Value> {
    let created = cluster.create(copy, pod.namespace())?;
    if o.replace {
        cluster.delete(&Key::new(&POD, pod.namespace(), pod.name()), Propagation::Background, Some(0))?;
    }
    Ok((*created).clone())
}

/// A pod on the node in its host namespaces with the node's root at `/host` (legacy profile).
fn on_node(ctx: &mut Context, cluster: &mut Cluster, o: &Options, node: &Value) -> Result<(Value, String)> {
    let container = if o.container.is_empty() { "debugger".to_string() } else { o.container.clone() };
    let name = format!("node-debugger-{}-{}", node.name(), cluster.ids.name_suffix());
    if !o.quiet {
        ctx.say(&format!("Creating debugging pod {name} with container {container} on node {}.", node.name()))?;
    }
    let mut c = json!({"name": container, "image": o.image, "resources": {}, "terminationMessagePolicy": "File"});
    fill_container(&mut c, o);
    if o.interactive {
        c["stdin"] = json!(true);
    }
    if o.tty {
        c["tty"] = json!(true);
    }
    let mut pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [c], "nodeName": node.name(), "restartPolicy": "Never",
                 "tolerations": [{"operator": "Exists"}]},
    });
    o.profile.apply(&mut pod, &container, Style::Node);
    if let Some(custom) = &o.custom {
        pod = with_custom(&pod, "containers", &container, custom)?;
    }
    let namespace = ctx.namespace.clone();
    let created = cluster.create(pod, &namespace)?;
    Ok(((*created).clone(), container))
}

/// kubectl's `handleAttachPod`: once the container runs, attach to it (`-i`: stdin runs in it);
/// a container that already ended shows its log instead.
fn attach(ctx: &mut Context, o: &Options, pod: &Value, container: &str) -> Result<()> {
    let tty = tty_in_use(ctx, o.tty, o.interactive, o.quiet)?;
    let key = Key::new(&POD, pod.namespace(), pod.name());
    let mut cluster = ctx.write()?;
    let Some(pod) = cluster.get(&key)? else {
        cluster.abandon()?;
        return Err(Error::NotFoundRaw("pods \"\" not found".into()));
    };
    let status = container_status(&pod, container);
    let Some(spec) = all_containers(&pod).find(|c| c.str_at("name") == container).cloned() else {
        cluster.abandon()?;
        return Ok(());
    };
    if status.at("state.terminated").is_some() || !o.interactive {
        // The container ran by itself (no stdin): what it wrote so far is what attaching shows.
        cluster.abandon()?;
        return print_log(ctx, &pod, &spec);
    }
    if status.at("state.running").is_none() {
        // kubectl would wait for the container to start; in kstate it would never start later.
        cluster.abandon()?;
        return Ok(());
    }
    if !o.quiet {
        ctx.say_err("If you don't see a command prompt, try pressing enter.")?;
    }
    let spec_tty = spec.get("tty").and_then(Value::as_bool).unwrap_or(false);
    let c = container_for(&mut cluster, &pod, &spec, spec_tty)?;
    let argv = c.main.clone();
    if tty && is_shell(&argv) {
        ctx.finish(cluster)?;
        return attach_terminal(ctx, &pod, container, &argv);
    }
    let mut input = Vec::new();
    Read::take(&mut *ctx.stdin, exec::MAX_PIPE_BYTES as u64).read_to_end(&mut input).map_err(io)?;
    let (output, ended) = match is_shell(&argv).then(|| exec::Session::start(&c, &argv[0])).flatten() {
        // The shell reads what stdin holds; it ends only by `exit` (stdin stays open after kubectl
        // detaches: kubectl debug sets no `stdinOnce`).
        Some(mut session) => {
            let text = String::from_utf8_lossy(&input).into_owned();
            let net = if exec::uses_network(&[], &input) {
                Some(controller::kubelet::ClusterNet::build(&mut cluster)?)
            } else {
                None
            };
            let out = session.run_line(&mut cluster.files(), &c, net.as_ref().map(|n| n as &dyn exec::Network), &text);
            let ended = session.exited;
            (out, ended)
        }
        None => {
            let out = run_in(&mut cluster, &c, &argv, &input)?;
            let code = if out.is_start_failure() { 128 } else { out.code };
            (out, Some(code))
        }
    };
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    exec::append_log(&mut cluster.files(), &format!("log/{}/{container}", pod.uid()), c.now, &lines);
    if let Some(code) = ended.filter(|_| is_ephemeral(&pod, container)) {
        controller::kubelet::ephemeral_exited(&mut cluster, &key, container, code)?;
    }
    ctx.finish(cluster)?;
    ctx.out.write_all(&output.stdout).map_err(io)?;
    ctx.out.flush().map_err(io)?;
    ctx.err.write_all(&output.stderr).map_err(io)?;
    Ok(())
}

/// A shell on the terminal, line by line (as `exec -it`); `exit` ends an ephemeral container.
fn attach_terminal(ctx: &mut Context, pod: &Value, container: &str, argv: &[String]) -> Result<()> {
    let req = super::exec::Request {
        target: vec![pod.name().to_string()],
        container: Some(container.to_string()),
        stdin: true,
        tty: true,
        quiet: true,
        command: argv.to_vec(),
    };
    let session = terminal_session(ctx, &req, pod.name(), argv)?;
    if let (Some(code), true) = (session.exited, is_ephemeral(pod, container)) {
        let mut cluster = ctx.write()?;
        let key = Key::new(&POD, pod.namespace(), pod.name());
        controller::kubelet::ephemeral_exited(&mut cluster, &key, container, code)?;
        ctx.finish(cluster)?;
    }
    Ok(())
}

fn is_ephemeral(pod: &Value, container: &str) -> bool {
    pod.array_at("spec.ephemeralContainers").iter().any(|c| c.str_at("name") == container)
}

fn container_status(pod: &Value, container: &str) -> Value {
    ["status.initContainerStatuses", "status.containerStatuses", "status.ephemeralContainerStatuses"]
        .iter()
        .flat_map(|f| pod.array_at(f))
        .find(|s| s.str_at("name") == container)
        .cloned()
        .unwrap_or(Value::Null)
}

/// The container's log so far (kubectl falls back to its logs when attaching is not possible).
fn print_log(ctx: &mut Context, pod: &Value, spec: &Value) -> Result<()> {
    let mut cluster = ctx.read()?;
    let lines = super::logs::container_lines(&mut cluster, pod, spec, false).unwrap_or_default();
    for (_, line) in lines {
        writeln!(ctx.out, "{line}").map_err(io)?;
    }
    Ok(())
}
