//! The endpoints and endpoint-slice controllers: for every service with a selector, the addresses
//! of the pods it selects, ready or not, in an `Endpoints` object named after the service and in
//! one `EndpointSlice` it owns. Cluster DNS and `describe service` read them.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::Controller;
use crate::api::kinds::{ENDPOINTS, ENDPOINTSLICE, NODE, POD, SERVICE};
use crate::api::object::controller_ref_to;
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, Key, Propagation};
use crate::Result;

pub struct EndpointsController;

fn selects(svc: &Value, pod: &Value) -> bool {
    let selector = svc.map_at("spec.selector");
    !selector.is_empty() && {
        let labels = pod.at("metadata.labels");
        selector.iter().all(|(k, v)| labels.and_then(|l| l.get(k)).and_then(Value::as_str) == Some(v.as_str()))
    }
}

impl Controller for EndpointsController {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match change.key.kind {
            "Service" => queue.push(change.key.clone()),
            "Pod" => {
                let ns = change.key.namespace.clone();
                cluster.load(&SERVICE, Some(&ns))?;
                for svc in cluster.iter(&SERVICE, Some(&ns)) {
                    let touched = change.object.iter().chain(change.old.iter()).any(|p| selects(svc, p));
                    if touched {
                        queue.push(Key::new(&SERVICE, &ns, svc.name()));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some(svc) = cluster.get(key)? else {
            // The Endpoints go with their service; the slice goes through its owner reference.
            let ep = Key::new(&ENDPOINTS, &key.namespace, &key.name);
            if cluster.get_ref(&ep)?.is_some() {
                cluster.delete(&ep, Propagation::Background, None)?;
            }
            return Ok(());
        };
        if svc.map_at("spec.selector").is_empty() || svc.str_at("spec.type") == "ExternalName" {
            return Ok(());
        }
        let members = members(cluster, &svc)?;
        write_endpoints(cluster, &svc, &members)?;
        write_slice(cluster, &svc, &members)
    }
}

/// One selected pod, as both objects list it.
struct Member {
    ip: String,
    hostname: String,
    node: String,
    zone: String,
    ready: bool,
    terminating: bool,
    target: Value,
}

/// The selected pods that have an address, by name.
fn members(cluster: &mut Cluster, svc: &Value) -> Result<Vec<Member>> {
    let ns = svc.namespace().to_string();
    cluster.load(&POD, Some(&ns))?;
    let mut found: BTreeMap<String, (Value, String, String)> = BTreeMap::new();
    for pod in cluster.iter(&POD, Some(&ns)).filter(|p| selects(svc, p)) {
        let ip = pod.str_at("status.podIP");
        if ip.is_empty() || matches!(pod.str_at("status.phase"), "Succeeded" | "Failed") {
            continue;
        }
        let hostname = if pod.str_at("spec.subdomain") == svc.name() { pod.str_at("spec.hostname") } else { "" };
        found.insert(pod.name().to_string(), (pod.clone(), ip.to_string(), hostname.to_string()));
    }
    let mut out = Vec::new();
    for (_, (pod, ip, hostname)) in found {
        let node = pod.str_at("spec.nodeName").to_string();
        let zone = cluster
            .get_ref(&Key::new(&NODE, "", &node))?
            .and_then(|n| n.labels().get("topology.kubernetes.io/zone").cloned())
            .unwrap_or_default();
        out.push(Member {
            ip,
            hostname,
            node,
            zone,
            ready: super::statefulset::is_running_and_ready(&pod) && !pod.is_deleting(),
            terminating: pod.is_deleting(),
            target: json!({"kind": "Pod", "name": pod.name(), "namespace": pod.namespace(), "uid": pod.uid()}),
        });
    }
    Ok(out)
}

/// The service's ports as endpoints list them: the target port (numeric targets only; a named
/// target resolves to the number of the first pod port of that name, else the service port).
fn ports(svc: &Value) -> Vec<Value> {
    svc.array_at("spec.ports")
        .iter()
        .map(|p| {
            let port = p.get("targetPort").and_then(Value::as_i64).or_else(|| p.i64_at("port")).unwrap_or(0);
            let mut out = json!({"port": port, "protocol": p.at("protocol").and_then(Value::as_str).unwrap_or("TCP")});
            if let Some(name) = p.get("name").and_then(Value::as_str).filter(|n| !n.is_empty()) {
                out["name"] = json!(name);
            }
            out
        })
        .collect()
}

fn service_labels(svc: &Value) -> Map<String, Value> {
    let mut labels: Map<String, Value> =
        svc.at("metadata.labels").and_then(Value::as_object).cloned().unwrap_or_default();
    if svc.str_at("spec.clusterIP") == "None" {
        labels.insert("service.kubernetes.io/headless".into(), json!(""));
    }
    labels
}

fn write_endpoints(cluster: &mut Cluster, svc: &Value, members: &[Member]) -> Result<()> {
    let address = |m: &Member| {
        let mut a = json!({"ip": m.ip, "nodeName": m.node, "targetRef": m.target});
        if !m.hostname.is_empty() {
            a["hostname"] = json!(m.hostname);
        }
        a
    };
    let ready: Vec<Value> = members.iter().filter(|m| m.ready).map(address).collect();
    let not_ready: Vec<Value> = members.iter().filter(|m| !m.ready).map(address).collect();
    let mut subset = Map::new();
    if !ready.is_empty() {
        subset.insert("addresses".into(), json!(ready));
    }
    if !not_ready.is_empty() {
        subset.insert("notReadyAddresses".into(), json!(not_ready));
    }
    let subsets = if subset.is_empty() {
        Value::Null
    } else {
        subset.insert("ports".into(), json!(ports(svc)));
        json!([subset])
    };
    let key = Key::new(&ENDPOINTS, svc.namespace(), svc.name());
    let existing = cluster.get(&key)?;
    if existing.as_ref().is_some_and(|e| e.get("subsets").unwrap_or(&Value::Null) == &subsets) {
        return Ok(());
    }
    let mut ep = json!({
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": svc.name(), "namespace": svc.namespace(), "labels": service_labels(svc),
                     "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": cluster.clock.now_rfc3339()}},
    });
    if !subsets.is_null() {
        ep["subsets"] = subsets;
    }
    match existing {
        Some(old) => {
            ep["metadata"] = merge_meta(&old, &ep);
            cluster.update_status(ep)?;
        }
        None => {
            cluster.create(ep, svc.namespace())?;
        }
    }
    Ok(())
}

/// Keeps identity (uid, creation time) of the stored object while replacing labels/annotations.
fn merge_meta(old: &Value, new: &Value) -> Value {
    let mut meta = old.get("metadata").cloned().unwrap_or_else(|| json!({}));
    for field in ["labels", "annotations"] {
        meta[field] = new.at(&format!("metadata.{field}")).cloned().unwrap_or(Value::Null);
    }
    meta
}

fn write_slice(cluster: &mut Cluster, svc: &Value, members: &[Member]) -> Result<()> {
    let endpoints: Vec<Value> = members
        .iter()
        .map(|m| {
            let mut e = json!({
                "addresses": [m.ip],
                "conditions": {"ready": m.ready, "serving": m.ready || m.terminating, "terminating": m.terminating},
                "nodeName": m.node,
                "targetRef": m.target,
            });
            if !m.hostname.is_empty() {
                e["hostname"] = json!(m.hostname);
            }
            if !m.zone.is_empty() {
                e["zone"] = json!(m.zone);
            }
            e
        })
        .collect();
    let mut labels = service_labels(svc);
    labels.insert("endpointslice.kubernetes.io/managed-by".into(), json!("endpointslice-controller.k8s.io"));
    labels.insert("kubernetes.io/service-name".into(), json!(svc.name()));
    let endpoints = if endpoints.is_empty() { Value::Null } else { json!(endpoints) };
    let existing = cluster.list_by_ref(&ENDPOINTSLICE, svc.uid())?.into_iter().next();
    if let Some(mut slice) = existing {
        if slice.get("endpoints").unwrap_or(&Value::Null) == &endpoints
            && slice.get("ports") == Some(&json!(ports(svc)))
        {
            return Ok(());
        }
        slice["endpoints"] = endpoints;
        slice["ports"] = json!(ports(svc));
        slice["metadata"]["labels"] = json!(labels);
        let generation = slice.i64_at("metadata.generation").unwrap_or(1) + 1;
        slice["metadata"]["generation"] = json!(generation);
        cluster.update_status(slice)?;
        return Ok(());
    }
    let slice = json!({
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "addressType": "IPv4",
        "endpoints": endpoints,
        "metadata": {
            "generateName": format!("{}-", svc.name()),
            "generation": 1,
            "labels": labels,
            "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": cluster.clock.now_rfc3339()},
            "ownerReferences": [controller_ref_to(svc)],
        },
        "ports": ports(svc),
    });
    cluster.create(slice, svc.namespace())?;
    Ok(())
}
