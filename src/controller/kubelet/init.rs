//! Init containers: they run one at a time, in order, each to a successful end, before the app
//! containers start (`Init:0/2`, `Init:1/2`, `PodInitializing`). A failure restarts the container
//! under the pod's restart policy (`Init:Error`, `Init:CrashLoopBackOff`) or, with `Never`, fails
//! the pod. Init containers with `restartPolicy: Always` are sidecars: each starts in turn and
//! keeps running beside the app containers.

use std::rc::Rc;

use serde_json::{json, Value};

use super::runtime::{self, Runtime};
use super::{image_id, normalize_image, pod_ip, pull_image, start_containers, sync, NodeSnapshot};
use crate::api::object::set_at;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, EventSource, Key};
use crate::Result;

/// The runtime row that holds pod-level state: when the app containers' images are pulled.
const POD_ROW: &str = "";

/// Advances a pod that is still initializing. `pod` is shared with the view; `next`, the pod as
/// this sync changes it, is copied from it at its first change.
pub fn sync_init(cluster: &mut Cluster, key: &Key, pod: Rc<Value>, source: EventSource) -> Result<()> {
    let mut next = Rc::clone(&pod);
    let mut due: Option<i64> = None;
    let mut done = true;
    for spec in pod.array_at("spec.initContainers") {
        let name = spec.str_at("name").to_string();
        let sidecar = spec.str_at("restartPolicy") == "Always";
        let mut rt = runtime::load(cluster, pod.uid(), &name)?;
        if rt == Runtime::default() && state_of(&next, &name).get("waiting").is_some() && restarts(&next, &name) == 0 {
            start(cluster, Rc::make_mut(&mut next), spec, source)?;
        }
        let started = super::view::Started::of(&rt);
        sync::sync_container(cluster, &mut next, spec, &mut rt, &started, source)?;
        runtime::save(cluster, pod.uid(), &name, &rt)?;
        due = [due, rt.next_due()].into_iter().flatten().min();
        let status = status_of(&next, &name);
        if sidecar && status.get("started").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        if status.i64_at("state.terminated.exitCode") == Some(0) {
            continue;
        }
        done = false;
        if status.at("state.terminated").is_some() && pod.str_at("spec.restartPolicy") == "Never" {
            set_at(Rc::make_mut(&mut next), "status.phase", json!("Failed"));
        }
        break;
    }
    if done {
        return start_app(cluster, key, &pod, Rc::unwrap_or_clone(next), source, due);
    }
    if *next != *pod {
        cluster.update_status(Rc::unwrap_or_clone(next))?;
    }
    super::deadline::set_timer(cluster, key, &pod, due)
}

/// Every init container finished: the app containers' images are pulled (the pod shows
/// `PodInitializing` meanwhile), then they start.
fn start_app(
    cluster: &mut Cluster,
    key: &Key,
    old: &Value,
    mut pod: Value,
    source: EventSource,
    due: Option<i64>,
) -> Result<()> {
    let now = cluster.now_ms();
    let mut row = runtime::load(cluster, pod.uid(), POD_ROW)?;
    let ready_at = match row.restart_at {
        Some(t) => t,
        None => {
            let mut node = NodeSnapshot::of(source.host);
            let mut took = 0;
            for c in pod.array_at("spec.containers").to_vec() {
                took = took.max(pull_image(cluster, &pod, &c, &mut node, source)?);
            }
            let t = now + i64::try_from(took.div_ceil(1000) * 1000).unwrap_or(0);
            row.restart_at = Some(t);
            runtime::save(cluster, pod.uid(), POD_ROW, &row)?;
            t
        }
    };
    if ready_at > now {
        initialized(&mut pod);
        if pod != *old {
            cluster.update_status(pod)?;
        }
        let due = [due, Some(ready_at)].into_iter().flatten().min();
        return super::deadline::set_timer(cluster, key, old, due);
    }
    cluster.set_runtime(pod.uid(), POD_ROW, None)?;
    super::deadline::set_timer(cluster, key, old, due)?;
    start_containers(cluster, pod, source)
}

/// Starts an init container: its image, the runtime's events, its status running.
fn start(cluster: &mut Cluster, pod: &mut Value, spec: &Value, source: EventSource) -> Result<()> {
    if pod.str_at("status.podIP").is_empty() {
        // The sandbox, and with it the pod's address, exists before the first init container.
        let ip = pod_ip(cluster, source.host, pod)?;
        set_at(pod, "status.podIP", json!(ip));
        set_at(pod, "status.podIPs", json!([{"ip": ip}]));
    }
    let name = spec.str_at("name").to_string();
    let field = format!("spec.initContainers{{{name}}}");
    pull_image(cluster, pod, spec, &mut NodeSnapshot::of(source.host), source)?;
    cluster.event(pod, "Normal", source, "Created", &format!("Created container: {name}"), &field)?;
    cluster.event(pod, "Normal", source, "Started", &format!("Started container {name}"), &field)?;
    let now = cluster.clock.now_rfc3339();
    let sidecar = spec.str_at("restartPolicy") == "Always";
    let id = format!("containerd://{}", cluster.ids.hex(64));
    if let Some(list) = pod.pointer_mut("/status/initContainerStatuses").and_then(Value::as_array_mut) {
        for s in list.iter_mut().filter(|s| s.str_at("name") == name) {
            s["containerID"] = json!(id);
            s["image"] = json!(normalize_image(spec.str_at("image")));
            s["imageID"] = json!(image_id(spec.str_at("image")));
            s["state"] = json!({"running": {"startedAt": now}});
            s["started"] = json!(sidecar && spec.get("startupProbe").is_none());
            s["ready"] = json!(sidecar && spec.get("readinessProbe").is_none());
        }
    }
    Ok(())
}

fn status_of(pod: &Value, name: &str) -> Value {
    let list = pod.array_at("status.initContainerStatuses");
    list.iter().find(|s| s.str_at("name") == name).cloned().unwrap_or(Value::Null)
}

fn state_of(pod: &Value, name: &str) -> Value {
    status_of(pod, name).get("state").cloned().unwrap_or(Value::Null)
}

fn restarts(pod: &Value, name: &str) -> i64 {
    status_of(pod, name).i64_at("restartCount").unwrap_or(0)
}

/// The pod's conditions while init containers have not all completed.
pub fn mark_initializing(pod: &mut Value) {
    let names: Vec<String> = pod.array_at("spec.initContainers").iter().map(|c| c.str_at("name").to_string()).collect();
    if let Some(list) = pod.pointer_mut("/status/conditions").and_then(Value::as_array_mut) {
        for c in list.iter_mut().filter(|c| c.str_at("type") == "Initialized") {
            c["status"] = json!("False");
            c["reason"] = json!("ContainersNotInitialized");
            c["message"] = json!(format!("containers with incomplete status: [{}]", names.join(" ")));
        }
    }
}

/// Every init container completed: `Initialized` becomes True.
fn initialized(pod: &mut Value) {
    if let Some(list) = pod.pointer_mut("/status/conditions").and_then(Value::as_array_mut) {
        for c in list.iter_mut().filter(|c| c.str_at("type") == "Initialized") {
            c["status"] = json!("True");
            if let Some(o) = c.as_object_mut() {
                o.remove("reason");
                o.remove("message");
            }
        }
    }
}
