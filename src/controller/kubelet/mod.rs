//! The simulated kubelet: starts the containers of pods bound to its node (ContainerCreating, then
//! Running and Ready, with the events a real kubelet records), and finishes pods being deleted.

use std::fmt::Write;
use std::rc::Rc;

use serde_json::{json, Value};

mod admit;
mod deadline;
pub mod env;
mod hooks;
pub mod image_ref;
mod init;
mod network;
mod probes;
mod registry;
mod runtime;
mod stop;
mod sync;
mod termination;
mod view;

use super::Controller;
use crate::api::kinds::NODE;
use crate::api::object::set_at;
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, EventSource, Key, Propagation};
use crate::Result;
pub use admit::host_ports;
pub use network::ClusterNet;
pub use sync::main_argv;
pub use view::{container_view, layer_volume, SERVICE_ACCOUNT_DIR};

/// The kubelet of every node: what it does next for a pod is due by a change to the pod or by
/// the pod's timer (a process waking, a probe, a back-off or a grace period ending).
#[derive(Default)]
pub struct Kubelet;

impl Controller for Kubelet {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match (change.key.kind, &change.object) {
            ("Pod", Some(pod)) if !pod.str_at("spec.nodeName").is_empty() => queue.push(change.key.clone()),
            // Pods waiting for a volume start once it is attached.
            ("VolumeAttachment", Some(va))
                if va.at("status.attached").and_then(Value::as_bool) == Some(true)
                    && cluster.counter(VOLUME_WAITS)? > 0 =>
            {
                let va = Rc::clone(va);
                queue.extend(super::attach::pods_using(cluster, &va)?);
            }
            // A pod waiting for a ConfigMap or Secret its environment names retries when one appears.
            ("ConfigMap" | "Secret", Some(_)) => {
                cluster.load(&crate::api::kinds::POD, Some(&change.key.namespace))?;
                let waiting = cluster.iter(&crate::api::kinds::POD, Some(&change.key.namespace)).filter(|p| {
                    p.array_at("status.containerStatuses").iter().any(|s| {
                        matches!(s.str_at("state.waiting.reason"), "CreateContainerConfigError" | "InvalidImageName")
                    })
                });
                queue.extend(waiting.map(|p| Key::new(&crate::api::kinds::POD, p.namespace(), p.name())));
            }
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        // Shared with the view: copied below only where the pod's status is about to change.
        let Some(pod) = cluster.get_shared(key)? else { return Ok(()) };
        let node = pod.str_at("spec.nodeName").to_string();
        if node.is_empty() {
            return Ok(());
        }
        let source = EventSource { component: "kubelet", host: &node };
        // A node whose kubelet has stopped (`kstate node fail`) does nothing for its pods.
        if super::node_lifecycle::kubelet_stopped(cluster, &node)? {
            return Ok(());
        }
        if pod.is_deleting() {
            return terminate(cluster, key, &pod, source);
        }
        if matches!(pod.str_at("status.phase"), "Running" | "Pending") && deadline::enforce(cluster, key, &pod, source)?
        {
            return Ok(());
        }
        if pod.str_at("status.phase") == "Running" {
            return sync::sync_running(cluster, key, pod, source);
        }
        if deadline::exceeded(&pod) {
            return deadline::sync_exceeded(cluster, key, &pod);
        }
        if pod.str_at("status.phase") != "Pending" {
            return Ok(());
        }
        // The volume manager waits for the pod's volumes to be attached before anything is pulled.
        let attached = super::attach::volumes_attached(cluster, &pod, &node)?;
        if pod.at("status.containerStatuses").is_none() {
            if admit::reject_port_conflict(cluster, &pod, source)? {
                return Ok(());
            }
            if !attached {
                cluster.set_runtime(pod.uid(), VOLUME_WAIT, Some("attach"))?;
                cluster.add_counter(VOLUME_WAITS, 1)?;
            }
            create_containers(cluster, Rc::unwrap_or_clone(pod), source, attached)
        } else if !attached {
            Ok(())
        } else if volume_wait(cluster, &pod)? {
            cluster.set_runtime(pod.uid(), VOLUME_WAIT, None)?;
            cluster.add_counter(VOLUME_WAITS, -1)?;
            if pod.array_at("spec.initContainers").is_empty() {
                let mut node = NodeSnapshot::of(source.host);
                for c in pod.array_at("spec.containers").to_vec() {
                    pull_image(cluster, &pod, &c, &mut node, source)?;
                }
                start_containers(cluster, Rc::unwrap_or_clone(pod), source)
            } else {
                init::sync_init(cluster, key, pod, source)
            }
        } else if !pod.array_at("spec.initContainers").is_empty() {
            init::sync_init(cluster, key, pod, source)
        } else {
            start_containers(cluster, Rc::unwrap_or_clone(pod), source)
        }
    }
}

/// Whether `name` is one of the pod's init containers (sidecars included).
pub(super) fn is_init(pod: &Value, name: &str) -> bool {
    pod.array_at("spec.initContainers").iter().any(|c| c.str_at("name") == name)
}

/// Whether `name` is one of the pod's ephemeral containers (`kubectl debug`).
pub(super) fn is_ephemeral(pod: &Value, name: &str) -> bool {
    pod.array_at("spec.ephemeralContainers").iter().any(|c| c.str_at("name") == name)
}

/// The `fieldPath` of a container's events: `spec.containers{NAME}`, `spec.initContainers{NAME}`
/// or `spec.ephemeralContainers{NAME}`.
pub(super) fn field_path(pod: &Value, name: &str) -> String {
    if is_init(pod, name) {
        format!("spec.initContainers{{{name}}}")
    } else if is_ephemeral(pod, name) {
        format!("spec.ephemeralContainers{{{name}}}")
    } else {
        format!("spec.containers{{{name}}}")
    }
}

/// Where a container's status lives in the pod (JSON pointer).
pub(super) fn status_pointer(pod: &Value, name: &str) -> &'static str {
    if is_init(pod, name) {
        "/status/initContainerStatuses"
    } else if is_ephemeral(pod, name) {
        "/status/ephemeralContainerStatuses"
    } else {
        "/status/containerStatuses"
    }
}

/// Starts an ephemeral container added to a running pod: its image is pulled, it is created and
/// started, and its status (never ready, no `started`) joins `ephemeralContainerStatuses`.
pub(super) fn start_ephemeral(cluster: &mut Cluster, pod: &mut Value, c: &Value, source: EventSource) -> Result<()> {
    pull_image(cluster, pod, c, &mut NodeSnapshot::of(source.host), source)?;
    let name = c.str_at("name");
    let field = field_path(pod, name);
    cluster.event(pod, "Normal", source, "Created", &format!("Created container: {name}"), &field)?;
    cluster.event(pod, "Normal", source, "Started", &format!("Started container {name}"), &field)?;
    let status = json!({
        "containerID": format!("containerd://{}", cluster.ids.hex(64)),
        "image": normalize_image(c.str_at("image")),
        "imageID": image_id(c.str_at("image")),
        "lastState": {},
        "name": name,
        "ready": false,
        "restartCount": 0,
        "state": {"running": {"startedAt": cluster.clock.now_rfc3339()}},
    });
    let mut list = pod.array_at("status.ephemeralContainerStatuses").to_vec();
    list.push(status);
    set_at(pod, "status.ephemeralContainerStatuses", Value::Array(list));
    Ok(())
}

/// An attached ephemeral container's shell ended (`exit` typed in `kubectl debug -it`): the
/// container terminates with `code`; ephemeral containers never restart.
pub fn ephemeral_exited(cluster: &mut Cluster, key: &Key, container: &str, code: i32) -> Result<()> {
    let Some(mut pod) = cluster.get(key)? else { return Ok(()) };
    let now = cluster.clock.now_rfc3339();
    let reason = if code == 0 { "Completed" } else { "Error" };
    let Some(list) = pod.pointer_mut("/status/ephemeralContainerStatuses").and_then(Value::as_array_mut) else {
        return Ok(());
    };
    for s in list.iter_mut().filter(|s| s.str_at("name") == container && s.at("state.running").is_some()) {
        let started = s.str_at("state.running.startedAt").to_string();
        s["state"] = json!({"terminated": {"containerID": s.str_at("containerID"), "exitCode": code,
            "finishedAt": now, "reason": reason, "startedAt": started}});
    }
    cluster.update_status(pod)?;
    Ok(())
}

fn container_names(pod: &Value) -> Vec<String> {
    pod.array_at("spec.containers").iter().map(|c| c.str_at("name").to_string()).collect()
}

/// `nginx` → `docker.io/library/nginx:latest`, as the container runtime reports images.
pub fn normalize_image(image: &str) -> String {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let has_registry = name.split('/').next().is_some_and(|first| {
        name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost")
    });
    let mut full = if has_registry {
        name.to_string()
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    let last = full.rsplit('/').next().unwrap_or("");
    if !last.contains(':') && digest.is_none() {
        full.push_str(":latest");
    }
    match digest {
        Some(d) => format!("{full}@{d}"),
        None => full,
    }
}

/// A stable fake digest for an image: the same image has the same id on every node and run.
fn digest(image: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut out = String::new();
    for round in 0..4u64 {
        for b in image.bytes().chain(round.to_le_bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        // Writing to a String cannot fail.
        let _ = write!(out, "{h:016x}");
    }
    out
}

fn image_id(image: &str) -> String {
    let full = normalize_image(image);
    let repo = full.rsplit_once(':').filter(|(_, tag)| !tag.contains('/')).map(|(r, _)| r).unwrap_or(&full);
    format!("{repo}@sha256:{}", digest(&full))
}

fn pull_policy(container: &Value) -> &str {
    match container.str_at("imagePullPolicy") {
        "" => {
            let image = container.str_at("image");
            if image.ends_with(":latest") || !image.rsplit('/').next().unwrap_or("").contains(':') {
                "Always"
            } else {
                "IfNotPresent"
            }
        }
        p => p,
    }
}

/// The runtime row (no container can have this name) marking a pod whose images wait for its
/// volumes to be attached.
const VOLUME_WAIT: &str = "volumes/attach";
/// How many pods wait for their volumes (a pod deleted while waiting stays counted), so that an
/// attachment looks for waiting pods only when there may be some.
const VOLUME_WAITS: &str = "kubelet-attach-waits";

/// How many retry rows of containers that could not be created (CreateContainerConfigError)
/// were ever written, so that starting containers looks for such rows only when there may be some.
const CONFIG_RETRIES: &str = "kubelet-config-retries";

/// Whether the pod's images wait for its volumes. The count of waiting pods answers for most
/// pods without a look at their runtime rows: no pod waits when it is 0.
fn volume_wait(cluster: &Cluster, pod: &Value) -> Result<bool> {
    Ok(cluster.counter(VOLUME_WAITS)? > 0 && cluster.runtime(pod.uid(), VOLUME_WAIT)?.is_some())
}

/// Pulls images (unless the pod's volumes are not attached yet) and reports containers as
/// ContainerCreating, the first status a kubelet writes.
fn create_containers(cluster: &mut Cluster, mut pod: Value, source: EventSource, pull: bool) -> Result<()> {
    let now = cluster.clock.now_rfc3339();
    let mut node = NodeSnapshot::of(source.host);
    let host_ip = node.read(cluster, |n| {
        n.and_then(|n| n.array_at("status.addresses").iter().find(|a| a.str_at("type") == "InternalIP"))
            .map(|a| a.str_at("address").to_string())
            .unwrap_or_default()
    })?;
    let has_init = !pod.array_at("spec.initContainers").is_empty();
    if has_init {
        let init = waiting(&pod, "spec.initContainers", true);
        set_at(&mut pod, "status.initContainerStatuses", Value::Array(init));
    } else if pull {
        for c in pod.array_at("spec.containers").to_vec() {
            pull_image(cluster, &pod, &c, &mut node, source)?;
        }
    }
    let statuses = waiting(&pod, "spec.containers", has_init);
    let names = container_names(&pod).join(" ");
    let not_ready = format!("containers with unready status: [{names}]");
    set_at(&mut pod, "status.conditions", conditions(&now, Some(&not_ready)));
    if has_init {
        init::mark_initializing(&mut pod);
    }
    set_at(&mut pod, "status.containerStatuses", Value::Array(statuses));
    set_at(&mut pod, "status.hostIP", json!(host_ip));
    set_at(&mut pod, "status.hostIPs", json!([{"ip": host_ip}]));
    set_at(&mut pod, "status.startTime", json!(now));
    cluster.update_status(pod)?;
    Ok(())
}

/// The first status of each container: waiting, `PodInitializing` when the pod has init
/// containers (all of them wait for those), else `ContainerCreating`.
fn waiting(pod: &Value, field: &str, initializing: bool) -> Vec<Value> {
    let reason = if initializing { "PodInitializing" } else { "ContainerCreating" };
    pod.array_at(field)
        .iter()
        .map(|c| {
            let mut s = json!({"image": c.str_at("image"), "imageID": "", "lastState": {}, "name": c.str_at("name"),
                   "ready": false, "restartCount": 0, "started": false,
                   "state": {"waiting": {"reason": reason}}});
            // Set apart: inside `json!` the mounts would be copied again through serde.
            s["volumeMounts"] = status_mounts(c);
            if field == "spec.containers" || !initializing {
                return s;
            }
            s["image"] = json!(normalize_image(c.str_at("image")));
            s
        })
        .collect()
}

pub(super) fn status_mounts(container: &Value) -> Value {
    let mounts: Vec<Value> = container
        .array_at("volumeMounts")
        .iter()
        .map(|m| {
            let mut s = json!({"mountPath": m.str_at("mountPath"), "name": m.str_at("name")});
            if m.get("readOnly").and_then(Value::as_bool) == Some(true) {
                s["readOnly"] = json!(true);
                s["recursiveReadOnly"] = json!("Disabled");
            }
            s
        })
        .collect();
    Value::Array(mounts)
}

/// The node as a sync found it when it began: the images of all the pod's containers are judged
/// against it, and each image pulled is added to it. It is copied only once an image must be
/// added (the node changes then); until then it is read in place.
pub(super) struct NodeSnapshot {
    key: Key,
    /// The node as first read (`Some(None)`: there is no such node), once copied.
    copy: Option<Option<Value>>,
}

impl NodeSnapshot {
    pub(super) fn of(node: &str) -> NodeSnapshot {
        NodeSnapshot { key: Key::new(&NODE, "", node), copy: None }
    }

    /// `f` applied to the node as first read.
    pub(super) fn read<T>(&self, cluster: &mut Cluster, f: impl FnOnce(Option<&Value>) -> T) -> Result<T> {
        match &self.copy {
            Some(node) => Ok(f(node.as_ref())),
            None => Ok(f(cluster.get_ref(&self.key)?)),
        }
    }

    /// A copy of the node as first read.
    fn copied(&mut self, cluster: &mut Cluster) -> Result<Option<Value>> {
        if self.copy.is_none() {
            self.copy = Some(cluster.get(&self.key)?);
        }
        Ok(self.copy.clone().flatten())
    }
}

/// The Pulling/Pulled events; an image already on the node is not pulled unless policy says Always.
pub(super) fn pull_image(
    cluster: &mut Cluster,
    pod: &Value,
    c: &Value,
    node: &mut NodeSnapshot,
    source: EventSource,
) -> Result<u64> {
    let image = c.str_at("image");
    // An image reference that does not parse is never pulled (InvalidImageName), and a tag the
    // registry does not have is pulled and fails when the container is created (ErrImagePull):
    // see `config_errors`.
    if image_ref::invalid_image_message(image).is_some() || registry::pull_error(image).is_some() {
        return Ok(0);
    }
    let field = field_path(pod, c.str_at("name"));
    let full = normalize_image(image);
    let (exists, present) = node.read(cluster, |n| {
        let present = n.is_some_and(|n| {
            n.array_at("status.images")
                .iter()
                .any(|i| i.array_at("names").iter().any(|x| x.as_str() == Some(full.as_str())))
        });
        (n.is_some(), present)
    })?;
    if present && pull_policy(c) != "Always" {
        let msg = format!("Container image \"{image}\" already present on machine");
        cluster.event(pod, "Normal", source, "Pulled", &msg, &field)?;
        return Ok(0);
    }
    cluster.event(pod, "Normal", source, "Pulling", &format!("Pulling image \"{image}\""), &field)?;
    let d = digest(&full);
    let millis = 400 + u64::from_str_radix(&d[..4], 16).unwrap_or(0) % 4000;
    let size = 20_000_000 + u64::from_str_radix(&d[4..10], 16).unwrap_or(0) % 60_000_000;
    let took = format!("{}.{:03}s", millis / 1000, millis % 1000);
    let msg = format!(
        "Successfully pulled image \"{image}\" in {took} ({took} including waiting). Image size: {size} bytes."
    );
    cluster.event(pod, "Normal", source, "Pulled", &msg, &field)?;
    if let (false, true) = (present, exists) {
        let Some(mut node) = node.copied(cluster)? else { return Ok(millis) };
        let mut images = node.array_at("status.images").to_vec();
        images.push(json!({"names": [image_id(image), full], "sizeBytes": size}));
        set_at(&mut node, "status.images", Value::Array(images));
        cluster.update_status(node)?;
    }
    Ok(millis)
}

/// Starts the containers: Running, Ready, with an IP from the node's pod CIDR.
pub(super) fn start_containers(cluster: &mut Cluster, mut pod: Value, source: EventSource) -> Result<()> {
    let now = cluster.clock.now_rfc3339();
    let ip = match pod.str_at("status.podIP") {
        "" => pod_ip(cluster, source.host, &pod)?,
        ip => ip.to_string(),
    };
    if config_errors(cluster, &mut pod, source)? {
        return Ok(());
    }
    // Retries of a configuration error are over: the containers start afresh. Only a retry
    // leaves a row behind (and its status), so without any there is none to look up: each
    // lookup is a seek in a table of kilobyte rows.
    if cluster.counter(CONFIG_RETRIES)? > 0 || config_error_shown(&pod) {
        let mut node = NodeSnapshot::of(source.host);
        for c in pod.array_at("spec.containers").to_vec() {
            cluster.set_runtime(pod.uid(), c.str_at("name"), None)?;
            // An image that could not be read before is pulled now that it can.
            let status = pod.array_at("status.containerStatuses").iter().find(|s| s.str_at("name") == c.str_at("name"));
            let reason = status.map_or("", |s| s.str_at("state.waiting.reason"));
            if matches!(reason, "InvalidImageName" | "ErrImagePull" | "ImagePullBackOff") {
                pull_image(cluster, &pod, &c, &mut node, source)?;
            }
        }
    }
    let mut statuses = Vec::new();
    for c in pod.array_at("spec.containers").to_vec() {
        let name = c.str_at("name");
        let field = format!("spec.containers{{{name}}}");
        cluster.event(&pod, "Normal", source, "Created", &format!("Created container: {name}"), &field)?;
        cluster.event(&pod, "Normal", source, "Started", &format!("Started container {name}"), &field)?;
        let mut status = json!({
            "containerID": format!("containerd://{}", cluster.ids.hex(64)),
            "image": normalize_image(c.str_at("image")),
            "imageID": image_id(c.str_at("image")),
            "lastState": {},
            "name": name,
            "ready": c.get("readinessProbe").is_none() && c.get("startupProbe").is_none(),
            "restartCount": 0,
            "started": c.get("startupProbe").is_none(),
            "state": {"running": {"startedAt": now}},
        });
        // Set apart: inside `json!` the mounts would be copied again through serde.
        status["volumeMounts"] = status_mounts(&c);
        statuses.push(status);
    }
    set_at(&mut pod, "status.containerStatuses", Value::Array(statuses));
    let unready = unready_message(&pod);
    set_at(&mut pod, "status.conditions", conditions(&now, unready.as_deref()));
    set_at(&mut pod, "status.phase", json!("Running"));
    set_at(&mut pod, "status.podIP", json!(ip));
    set_at(&mut pod, "status.podIPs", json!([{"ip": ip}]));
    cluster.update_status(pod)?;
    Ok(())
}

/// Why a container cannot be created.
enum CreateError {
    /// The image reference does not parse (`InvalidImageName`): the kubelet's message.
    InvalidImage(String),
    /// The registry does not have the image: the runtime's pull error.
    Pull(String),
    /// The environment names a ConfigMap, Secret or key that does not exist.
    Config(String),
}

/// Containers that cannot be created wait and the pod stays Pending; the kubelet retries every
/// 10 s (and when a ConfigMap or Secret appears). An image reference that does not parse waits
/// in `InvalidImageName`, an image the registry does not have in `ErrImagePull` then
/// `ImagePullBackOff` (see `failed_pull`), a missing ConfigMap, Secret or key in
/// `CreateContainerConfigError`, each with its events.
fn config_errors(cluster: &mut Cluster, pod: &mut Value, source: EventSource) -> Result<bool> {
    let now = cluster.now_ms();
    let mut retry = None;
    // The pod as it was, copied only when a container cannot be created (the status changes).
    let mut old = None;
    for c in pod.array_at("spec.containers").to_vec() {
        let name = c.str_at("name").to_string();
        let image = c.str_at("image");
        // The image is ensured first (the kubelet pulls it before it builds the container's
        // configuration); most containers' environment cannot fail: it is built once, at start.
        let error = match (image_ref::invalid_image_message(image), registry::pull_error(image)) {
            (Some(msg), _) => CreateError::InvalidImage(msg),
            (None, Some(err)) => CreateError::Pull(err),
            (None, None) if !env::may_fail(&c) => continue,
            (None, None) => match env::container_env(cluster, pod, &c)? {
                Err(msg) => CreateError::Config(msg),
                Ok(_) => continue,
            },
        };
        if old.is_none() {
            old = Some(pod.clone());
        }
        // One attempt (and its events) per retry period, however often the pod syncs; a new
        // image is pulled at once.
        let mut rt = runtime::load(cluster, pod.uid(), &name)?;
        let new_image =
            matches!(error, CreateError::Pull(_)) && rt.pull_backoff.as_ref().is_none_or(|b| b.image != image);
        let field = format!("spec.containers{{{name}}}");
        let attempt = rt.restart_at.is_none_or(|t| t <= now) || new_image;
        let waiting = match error {
            CreateError::Pull(err) if attempt => Some(failed_pull(cluster, pod, &c, &mut rt, err, source)?),
            // Between attempts the status shows the last one.
            CreateError::Pull(_) => None,
            CreateError::InvalidImage(msg) => {
                if attempt {
                    invalid_image_events(cluster, pod, &field, &msg, source)?;
                }
                Some((msg, "InvalidImageName"))
            }
            CreateError::Config(msg) => {
                if attempt {
                    cluster.event(pod, "Warning", source, "Failed", &format!("Error: {msg}"), &field)?;
                }
                Some((msg, "CreateContainerConfigError"))
            }
        };
        if attempt {
            rt.restart_at = Some(now + 10_000);
            runtime::save(cluster, pod.uid(), &name, &rt)?;
            cluster.add_counter(CONFIG_RETRIES, 1)?;
        }
        retry = [retry, rt.restart_at].into_iter().flatten().min();
        if let Some((msg, reason)) = waiting {
            let waiting = json!({"waiting": {"message": msg, "reason": reason}});
            set_container_status(pod, &name, "state", waiting);
        }
    }
    let Some(retry) = retry else { return Ok(false) };
    if old.as_ref() != Some(&*pod) {
        cluster.update_status(pod.clone())?;
    }
    let key = Key::of(pod).ok_or_else(|| crate::Error::Internal(anyhow::anyhow!("pod without a kind")))?;
    deadline::set_timer(cluster, &key, pod, Some(retry))?;
    Ok(true)
}

/// The kubelet's events for an image reference that does not parse.
fn invalid_image_events(cluster: &mut Cluster, pod: &Value, field: &str, msg: &str, source: EventSource) -> Result<()> {
    cluster.event(pod, "Warning", source, "InspectFailed", msg, field)?;
    cluster.event(pod, "Warning", source, "Failed", "Error: InvalidImageName", field)
}

/// The image of a container about to start again cannot be used: the events of this attempt and
/// the waiting message and reason it leaves (`InvalidImageName`, `ErrImagePull`,
/// `ImagePullBackOff`), or `None` when the image pulls.
pub(super) fn image_failure(
    cluster: &mut Cluster,
    pod: &Value,
    c: &Value,
    rt: &mut runtime::Runtime,
    source: EventSource,
) -> Result<Option<(String, &'static str)>> {
    let image = c.str_at("image");
    if let Some(msg) = image_ref::invalid_image_message(image) {
        invalid_image_events(cluster, pod, &field_path(pod, c.str_at("name")), &msg, source)?;
        return Ok(Some((msg, "InvalidImageName")));
    }
    match registry::pull_error(image) {
        Some(err) => failed_pull(cluster, pod, c, rt, err, source).map(Some),
        None => Ok(None),
    }
}

/// One attempt to pull an image the registry does not have, as the kubelet's image manager
/// makes it (pkg/kubelet/images, v1.32): inside the image back-off (keyed by pod and image, 10 s
/// doubling to 300 s, forgotten 600 s after the last failure) it is refused (`BackOff`,
/// `ImagePullBackOff`); otherwise the image is pulled and fails (`Pulling`, the runtime's error,
/// `ErrImagePull`) and the back-off grows. The waiting message and reason it leaves.
fn failed_pull(
    cluster: &mut Cluster,
    pod: &Value,
    c: &Value,
    rt: &mut runtime::Runtime,
    err: String,
    source: EventSource,
) -> Result<(String, &'static str)> {
    const MAX_BACKOFF_MS: i64 = 300_000;
    let now = cluster.now_ms();
    let image = c.str_at("image");
    let field = field_path(pod, c.str_at("name"));
    let q = crate::format::go::quote_str(image);
    let entry = rt.pull_backoff.take().filter(|b| b.image == image && now - b.last <= 2 * MAX_BACKOFF_MS);
    if let Some(b) = entry.as_ref().filter(|b| now - b.last < b.secs * 1000) {
        let msg = format!("Back-off pulling image {q}");
        cluster.event(pod, "Normal", source, "BackOff", &msg, &field)?;
        cluster.event(pod, "Warning", source, "Failed", "Error: ImagePullBackOff", &field)?;
        rt.pull_backoff = Some(b.clone());
        return Ok((msg, "ImagePullBackOff"));
    }
    cluster.event(pod, "Normal", source, "Pulling", &format!("Pulling image {q}"), &field)?;
    cluster.event(pod, "Warning", source, "Failed", &format!("Failed to pull image {q}: {err}"), &field)?;
    cluster.event(pod, "Warning", source, "Failed", "Error: ErrImagePull", &field)?;
    let secs = entry.map_or(10, |b| (b.secs * 2).min(MAX_BACKOFF_MS / 1000));
    rt.pull_backoff = Some(runtime::PullBackOff { image: image.to_string(), last: now, secs });
    Ok((err, "ErrImagePull"))
}

/// Whether a container of the pod shows CreateContainerConfigError or InvalidImageName (as a store written before
/// the count of retries existed may hold).
fn config_error_shown(pod: &Value) -> bool {
    pod.array_at("status.containerStatuses")
        .iter()
        .any(|s| s.str_at("state.waiting.reason") == "CreateContainerConfigError")
}

/// The next address of the node's pod CIDR (`10.244.N.0/24`), skipping .0, .1 and .255; a
/// `hostNetwork` pod has the node's own address (its InternalIP).
pub(super) fn pod_ip(cluster: &mut Cluster, node: &str, pod: &Value) -> Result<String> {
    if host_network(pod) {
        let addresses = cluster.get_ref(&Key::new(&NODE, "", node))?.map(|n| n.array_at("status.addresses").to_vec());
        let internal = addresses.unwrap_or_default().into_iter().find(|a| a.str_at("type") == "InternalIP");
        if let Some(a) = internal {
            return Ok(a.str_at("address").to_string());
        }
    }
    let cidr =
        cluster.get_ref(&Key::new(&NODE, "", node))?.map(|n| n.str_at("spec.podCIDR").to_string()).unwrap_or_default();
    let prefix = cidr.rsplit_once('.').map(|(p, _)| p.to_string()).unwrap_or_else(|| "10.244.0".to_string());
    let n = cluster.bump_counter(&format!("pod-ip/{node}"))?;
    Ok(format!("{prefix}.{}", (n - 1) % 253 + 2))
}

/// Whether the pod runs in its node's network namespace (`spec.hostNetwork`).
pub(crate) fn host_network(pod: &Value) -> bool {
    pod.at("spec.hostNetwork").and_then(Value::as_bool).unwrap_or(false)
}

/// `containers with unready status: [a b]`, when some container is not ready.
pub(super) fn unready_message(pod: &Value) -> Option<String> {
    let unready: Vec<&str> = pod
        .array_at("status.containerStatuses")
        .iter()
        .filter(|s| s.get("ready").and_then(Value::as_bool) != Some(true))
        .map(|s| s.str_at("name"))
        .collect();
    (!unready.is_empty()).then(|| format!("containers with unready status: [{}]", unready.join(" ")))
}

/// The five pod conditions; `not_ready` is the reason text while containers are not ready.
pub(super) fn conditions(now: &str, not_ready: Option<&str>) -> Value {
    let ready = if not_ready.is_some() { "False" } else { "True" };
    let cond = |t: &str, s: &str| {
        let mut c = json!({"lastProbeTime": null, "lastTransitionTime": now, "status": s, "type": t});
        if let (Some(msg), "False", "Ready" | "ContainersReady") = (not_ready, s, t) {
            c["message"] = json!(msg);
            c["reason"] = json!("ContainersNotReady");
        }
        c
    };
    // Built as a Vec: `json!` would copy each condition again through serde.
    Value::Array(vec![
        cond("PodReadyToStartContainers", ready),
        cond("Initialized", "True"),
        cond("Ready", ready),
        cond("ContainersReady", ready),
        cond("PodScheduled", "True"),
    ])
}

/// Stops the containers of a deleted pod (SIGTERM, then SIGKILL when the grace period ends) and
/// removes the pod once they all stopped; its writable layers go with it.
fn terminate(cluster: &mut Cluster, key: &Key, pod: &Value, source: EventSource) -> Result<()> {
    if !stop::stop_pod(cluster, key, pod, source)? {
        return Ok(());
    }
    cluster.set_timer(key, None)?;
    cluster.drop_runtime(pod.uid())?;
    // Everything that lived with the pod goes with it: layers, emptyDirs, logs, token volume.
    for family in ["layer", "emptydir", "log", "log-previous", "volume", "termination"] {
        cluster.files().drop_prefix(&format!("{family}/{}/", pod.uid()))?;
    }
    cluster.files().drop_volume(&format!("serviceaccount/{}", pod.uid()))?;
    if pod.finalizers().is_empty() {
        cluster.erase(key, Propagation::Background)?;
    }
    Ok(())
}

/// Sets one field of a container's status (an init container's, sidecars included, among the
/// init container statuses).
pub(super) fn set_container_status(pod: &mut Value, container: &str, field: &str, value: Value) {
    let pointer = status_pointer(pod, container);
    if let Some(list) = pod.pointer_mut(pointer).and_then(Value::as_array_mut) {
        for s in list.iter_mut().filter(|s| s.str_at("name") == container) {
            s[field] = value.clone();
        }
    }
}

/// The main process of a container ended on a signal (`kill 1` in `exec`): the kubelet restarts
/// the container, as `restartPolicy: Always` asks. Web servers end cleanly on TERM (exit 0).
/// Whether the process ended (a process that ignores the signal goes on).
pub fn main_process_ended(cluster: &mut Cluster, key: &Key, container: &str, signal: &str) -> Result<bool> {
    let Some(pod) = cluster.get_shared(key)? else { return Ok(false) };
    let mut rt = runtime::load(cluster, pod.uid(), container)?;
    // The kernel delivers a signal sent from inside the container to PID 1 only when PID 1
    // handles it: a server shuts down (nginx quits gracefully on TERM); a shell or `sleep` as
    // PID 1 handles nothing and ignores it, even SIGKILL.
    if !rt.process.as_ref().is_some_and(|p| p.is_serving()) || signal == "KILL" {
        return Ok(false);
    }
    let spec = pod.array_at("spec.containers").iter().find(|c| c.str_at("name") == container).cloned();
    let title = match &spec {
        Some(s) => crate::exec::pid1_title(&container_view(cluster, &pod, s)?),
        None => String::new(),
    };
    let code = match signal {
        "INT" => 130,
        "HUP" => 129,
        // The JVM runs its shutdown hooks and exits 128 + 15; other servers quit cleanly.
        _ if title.starts_with("java ") => 143,
        _ => 0,
    };
    rt.process = None;
    rt.exit = Some((code, cluster.now_ms()));
    runtime::save(cluster, pod.uid(), container, &rt)?;
    let node = pod.str_at("spec.nodeName").to_string();
    sync::sync_running(cluster, key, pod, EventSource { component: "kubelet", host: &node })?;
    Ok(true)
}

/// Restarts one container: its process ended with `exit` (code and reason, recorded as
/// `lastState`), its writable layer is discarded, its log becomes the previous log, and it starts
/// again from the image (`restartCount` + 1).
pub fn restart_container(
    cluster: &mut Cluster,
    pod: &mut Value,
    c: &Value,
    source: EventSource,
    exit: (i64, &str),
) -> Result<()> {
    let name = c.str_at("name").to_string();
    let field = field_path(pod, &name);
    let now = cluster.clock.now_rfc3339();
    cluster.files().drop_volume(&layer_volume(pod, &name))?;
    let (log, previous) = (format!("log/{}/{name}", pod.uid()), format!("log-previous/{}/{name}", pod.uid()));
    cluster.files().rename_volume(&log, &previous)?;
    pull_image(cluster, pod, c, &mut NodeSnapshot::of(source.host), source)?;
    cluster.event(pod, "Normal", source, "Created", &format!("Created container: {name}"), &field)?;
    cluster.event(pod, "Normal", source, "Started", &format!("Started container {name}"), &field)?;
    let new_id = format!("containerd://{}", cluster.ids.hex(64));
    let pointer = status_pointer(pod, &name);
    if let Some(list) = pod.pointer_mut(pointer).and_then(Value::as_array_mut) {
        for s in list.iter_mut().filter(|s| s.str_at("name") == name) {
            let started = s.str_at("state.running.startedAt").to_string();
            let old_id = s.str_at("containerID").to_string();
            let count = s.i64_at("restartCount").unwrap_or(0) + 1;
            if s.at("state.terminated").is_some() {
                // It ended by itself; that end is its last state.
                s["lastState"] = s["state"].take();
            } else if s.at("state.running").is_some() {
                s["lastState"] = json!({"terminated": {"containerID": old_id, "exitCode": exit.0, "finishedAt": now,
                                                       "reason": exit.1, "startedAt": started}});
            }
            s["state"] = json!({"running": {"startedAt": now}});
            s["containerID"] = json!(new_id);
            // The new container runs the image its spec names now (a changed image restarts it).
            s["image"] = json!(normalize_image(c.str_at("image")));
            s["imageID"] = json!(image_id(c.str_at("image")));
            s["restartCount"] = json!(count);
            s["ready"] = json!(c.get("readinessProbe").is_none() && c.get("startupProbe").is_none());
            s["started"] = json!(c.get("startupProbe").is_none());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::normalize_image;

    #[test]
    fn images_are_fully_qualified() {
        assert_eq!(normalize_image("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(normalize_image("nginx:1.27"), "docker.io/library/nginx:1.27");
        assert_eq!(normalize_image("bitnami/redis"), "docker.io/bitnami/redis:latest");
        assert_eq!(normalize_image("registry.k8s.io/nginx-slim:0.24"), "registry.k8s.io/nginx-slim:0.24");
        assert_eq!(normalize_image("localhost:5000/app"), "localhost:5000/app:latest");
    }
}
