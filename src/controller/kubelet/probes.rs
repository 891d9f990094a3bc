//! Probes, run by the simulated kubelet in the simulated container: `exec` probes run their command,
//! `httpGet` asks the image's web server for a file under its document root, `tcpSocket` succeeds on
//! a port the container serves. Each probe has a worker that probes at its due times in cluster
//! time (`initialDelaySeconds`, then every `periodSeconds`), and results count only after
//! `successThreshold`/`failureThreshold` equal results in a row, as the kubelet's workers do.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::runtime::{ProbeWorker, Runtime};
use super::view::container_view;
use super::{field_path, set_container_status, status_pointer};
use crate::api::ObjectExt;
use crate::cluster::{Cluster, EventSource};
use crate::Result;

/// The probe fields, in the order a worker's tick looks at them.
const KINDS: [&str; 3] = ["startupProbe", "livenessProbe", "readinessProbe"];

/// Workers for a container that starts at `now` (ms): each first probes after its initial delay.
pub fn workers(spec: &Value, now: i64) -> BTreeMap<String, ProbeWorker> {
    KINDS
        .iter()
        .filter_map(|k| spec.get(*k).map(|p| (k, p)))
        .map(|(k, p)| {
            let delay = p.i64_at("initialDelaySeconds").unwrap_or(0).max(0);
            (k.to_string(), ProbeWorker { next: now + delay * 1000, successes: 0, failures: 0 })
        })
        .collect()
}

fn word(kind: &str) -> &'static str {
    match kind {
        "startupProbe" => "Startup",
        "livenessProbe" => "Liveness",
        _ => "Readiness",
    }
}

/// Runs the probes that are due; returns `liveness`/`startup` when one of them reached its failure
/// threshold (the kubelet then kills the container).
pub fn run_due(
    cluster: &mut Cluster,
    pod: &mut Value,
    spec: &Value,
    rt: &mut Runtime,
    source: EventSource,
) -> Result<Option<&'static str>> {
    let now = cluster.now_ms();
    let name = spec.str_at("name").to_string();
    let field = field_path(pod, &name);
    let started = !rt.probes.contains_key("startupProbe") || status_flag(pod, &name, "started");
    for kind in KINDS {
        let Some(probe) = spec.get(kind) else { continue };
        // Until the startup probe succeeds, the other probes wait.
        if kind != "startupProbe" && !started {
            continue;
        }
        let Some(w) = rt.probes.get_mut(kind).filter(|w| w.next <= now) else { continue };
        let period = probe.i64_at("periodSeconds").unwrap_or(10).max(1) * 1000;
        w.next = now + period;
        let snapshot = pod.clone();
        let result = run(cluster, &snapshot, spec, probe)?;
        let Some(w) = rt.probes.get_mut(kind) else { continue };
        match result {
            Ok(()) => {
                w.failures = 0;
                w.successes += 1;
                if w.successes >= probe.i64_at("successThreshold").unwrap_or(1).max(1) as u32 {
                    passed(pod, spec, kind);
                    if kind == "startupProbe" {
                        rt.probes.remove(kind);
                        let next = cluster.now_ms();
                        for (k, w) in rt.probes.iter_mut() {
                            let delay = spec.get(k.as_str()).and_then(|p| p.i64_at("initialDelaySeconds")).unwrap_or(0);
                            w.next = next.max(w.next).min(next + delay.max(0) * 1000);
                        }
                    }
                }
            }
            Err(msg) => {
                w.successes = 0;
                w.failures += 1;
                let text = format!("{} probe failed: {msg}", word(kind));
                cluster.event(pod, "Warning", source, "Unhealthy", &text, &field)?;
                let threshold = probe.i64_at("failureThreshold").unwrap_or(3).max(1) as u32;
                if w.failures >= threshold {
                    w.failures = 0;
                    match kind {
                        "readinessProbe" => set_container_status(pod, &name, "ready", json!(false)),
                        "livenessProbe" => return Ok(Some("liveness")),
                        _ => return Ok(Some("startup")),
                    }
                }
            }
        }
    }
    Ok(None)
}

fn status_flag(pod: &Value, name: &str, field: &str) -> bool {
    // A sidecar's status is among the init containers'.
    let list = pod.pointer(status_pointer(pod, name)).and_then(Value::as_array);
    list.into_iter().flatten().any(|s| s.str_at("name") == name && s.get(field).and_then(Value::as_bool) == Some(true))
}

/// A probe reached its success threshold: the container is started (startup) or ready (readiness).
fn passed(pod: &mut Value, spec: &Value, kind: &str) {
    let name = spec.str_at("name");
    match kind {
        "startupProbe" => {
            set_container_status(pod, name, "started", json!(true));
            if spec.get("readinessProbe").is_none() {
                set_container_status(pod, name, "ready", json!(true));
            }
        }
        "readinessProbe" => set_container_status(pod, name, "ready", json!(true)),
        _ => {}
    }
}

/// The document root of the web server an image runs, if kstate knows it.
fn document_root(image: &str) -> Option<&'static str> {
    let name = image.rsplit('/').next().unwrap_or(image);
    let name = name.split([':', '@']).next().unwrap_or(name);
    match name {
        "nginx" | "nginx-slim" => Some("/usr/share/nginx/html"),
        "httpd" => Some("/usr/local/apache2/htdocs"),
        _ => None,
    }
}

/// Runs one probe of `container`; `Err(message)` is the failure text the kubelet reports.
pub fn run(cluster: &mut Cluster, pod: &Value, container: &Value, probe: &Value) -> Result<Result<(), String>> {
    if let Some(cmd) = probe.get("exec") {
        let argv: Vec<String> = cmd.array_at("command").iter().filter_map(|a| a.as_str().map(String::from)).collect();
        let view = container_view(cluster, pod, container)?;
        // Probes that dial (`mysql -h 127.0.0.1`) see the cluster network.
        let net = if crate::exec::uses_network(&argv, &[]) { Some(super::ClusterNet::build(cluster)?) } else { None };
        let net = net.as_ref().map(|n| n as &dyn crate::exec::Network);
        let out = crate::exec::run_with(&mut cluster.files(), &view, &argv, &[], net);
        if out.code == 0 {
            return Ok(Ok(()));
        }
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        return Ok(Err(text.trim_end().to_string()));
    }
    if let Some(http) = probe.get("httpGet") {
        if let Some(answer) = agnhost_liveness(cluster, pod, container) {
            return Ok(answer);
        }
        let Some(root) = document_root(container.str_at("image")) else { return Ok(Ok(())) };
        let path = match http.str_at("path") {
            "" => "/",
            p => p,
        };
        let mut target = format!("{root}{}", path.split('?').next().unwrap_or(path));
        if target.ends_with('/') {
            target.push_str("index.html");
        }
        let view = container_view(cluster, pod, container)?;
        let argv = vec!["test".to_string(), "-f".to_string(), target];
        let out = crate::exec::run(&mut cluster.files(), &view, &argv, &[]);
        return Ok(if out.code == 0 { Ok(()) } else { Err("HTTP probe failed with statuscode: 404".to_string()) });
    }
    if let Some(tcp) = probe.get("tcpSocket") {
        let port = tcp.get("port").cloned().unwrap_or(Value::Null);
        let declared = container
            .array_at("ports")
            .iter()
            .any(|p| p.get("containerPort") == Some(&port) || (port.is_string() && p.get("name") == Some(&port)));
        let serves_80 = document_root(container.str_at("image")).is_some() && port.as_i64() == Some(80);
        if declared || serves_80 {
            return Ok(Ok(()));
        }
        let ip = pod.str_at("status.podIP");
        return Ok(Err(format!("dial tcp {ip}:{port}: connect: connection refused")));
    }
    Ok(Ok(()))
}

/// The e2e image `agnhost liveness` (kubernetes.io's HTTP liveness example): its `/healthz`
/// answers 200 for the first 10 seconds after the container started, then 500.
fn agnhost_liveness(cluster: &Cluster, pod: &Value, container: &Value) -> Option<Result<(), String>> {
    let image = crate::exec::repository_of(container.str_at("image"));
    let args = container.array_at("args");
    if !image.ends_with("/agnhost") || args.first().and_then(Value::as_str) != Some("liveness") {
        return None;
    }
    let name = container.str_at("name");
    let status = pod.array_at("status.containerStatuses").iter().find(|s| s.str_at("name") == name)?;
    let started = crate::clock::parse_rfc3339(status.str_at("state.running.startedAt"))?;
    Some(if cluster.clock.now() - started < 10 {
        Ok(())
    } else {
        Err("HTTP probe failed with statuscode: 500".to_string())
    })
}
