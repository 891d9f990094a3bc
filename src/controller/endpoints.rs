//! The endpoints and endpoint-slice controllers: for every service with a selector, the addresses
//! of the pods it selects, ready or not, in an `Endpoints` object named after the service (at most
//! 1,000 addresses, then `endpoints.kubernetes.io/over-capacity: truncated`) and in the
//! `EndpointSlice`s it owns (at most 100 endpoints each). Cluster DNS and `describe service` read
//! them.

use std::borrow::Cow;

use serde_json::{json, Map, Value};

use super::Controller;
use crate::api::kinds::{ENDPOINTS, ENDPOINTSLICE, POD, SERVICE};
use crate::api::object::controller_ref_to;
use crate::api::pluck::{pluck, Want};
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, Key, Propagation};
use crate::Result;

pub struct EndpointsController;

/// What the controllers read of a service, once per walk over its pods (and for every change of
/// a pod in its namespace: the selector is borrowed, not copied).
struct Service<'a> {
    svc: &'a Value,
    /// The selector's entries with string values (as [`ObjectExt::map_at`] reads them).
    selector: Vec<(&'a str, &'a str)>,
    publish_not_ready: bool,
}

impl<'a> Service<'a> {
    fn of(svc: &'a Value) -> Service<'a> {
        let selector = svc.at("spec.selector").and_then(Value::as_object).into_iter().flatten();
        Service {
            svc,
            selector: selector.filter_map(|(k, v)| Some((k.as_str(), v.as_str()?))).collect(),
            publish_not_ready: svc.at("spec.publishNotReadyAddresses").and_then(Value::as_bool).unwrap_or(false),
        }
    }

    fn selects(&self, pod: &Value) -> bool {
        !self.selector.is_empty() && {
            let labels = pod.at("metadata.labels");
            self.selector.iter().all(|(k, v)| labels.and_then(|l| l.get(*k)).and_then(Value::as_str) == Some(*v))
        }
    }
}

impl Controller for EndpointsController {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match change.key.kind {
            "Service" => queue.push(change.key.clone()),
            "Pod" => {
                let ns = change.key.namespace.clone();
                cluster.load(&SERVICE, Some(&ns))?;
                let mut touched = Vec::new();
                for svc in cluster.iter(&SERVICE, Some(&ns)) {
                    let svc = Service::of(svc);
                    if change.object.iter().chain(change.old.iter()).any(|p| svc.selects(p)) {
                        touched.push((svc.svc.name().to_string(), listed_the_same(&svc, change)));
                    }
                }
                for (name, same) in touched {
                    // A change its endpoints do not show needs no pass over the service's pods,
                    // as long as the Endpoints exist to show it.
                    let key = Key::new(&SERVICE, &ns, &name);
                    if !same || cluster.get_ref(&Key::new(&ENDPOINTS, &ns, &name))?.is_none() {
                        queue.push(key);
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
        let selection = selected(cluster, &Service::of(&svc))?;
        write_endpoints(cluster, &svc, &selection.endpoints)?;
        write_slice(cluster, &svc, &selection)
    }
}

/// Whether a pod that was and still is there looks the same in the service's Endpoints and
/// EndpointSlices before and after the change (a new label, an annotation, a restart count).
fn listed_the_same(svc: &Service, change: &Change) -> bool {
    let (Some(old), Some(new)) = (change.old.as_deref(), change.object.as_deref()) else { return false };
    listing(svc, old) == listing(svc, new)
}

/// One selected pod with an address, as both objects list it. Kept this small (not as the JSON
/// it becomes) because a walk holds one per pod: 10,000 endpoints as JSON were 30 MB.
struct Endpoint {
    ip: String,
    /// The pod's hostname when its subdomain is the service's name.
    hostname: String,
    node: String,
    /// Running, Ready and not being deleted: listed in the Endpoints' `addresses`.
    ready: bool,
    /// Ready, or the service publishes not-ready addresses: the slices' `serving`.
    serving: bool,
    terminating: bool,
    name: String,
    namespace: String,
    uid: String,
}

/// The service's selected pods in name order, and the slice groups they fall into.
struct Selection {
    endpoints: Vec<Endpoint>,
    groups: Vec<SliceGroup>,
}

/// Resolved ports and the endpoints (indexes into the selection) that serve them.
type SliceGroup = (Vec<Value>, Vec<usize>);

/// One walk over the namespace's pods (after a large change most of them are read back from the
/// store) feeds both the Endpoints and the slices.
fn selected(cluster: &mut Cluster, svc: &Service) -> Result<Selection> {
    let ns = svc.svc.namespace().to_string();
    let mut selection = Selection { endpoints: Vec::new(), groups: Vec::new() };
    cluster.visit(&POD, &ns, listed_fields, &mut |p| selection.add(svc, p))?;
    Ok(selection.finish())
}

/// What [`listing`] and [`Service::selects`] read of a stored pod, decoded without the rest
/// (managed fields, volumes, environments, container statuses): the walk over a namespace's pods
/// after a large change reads most of them back from the store, and whole pods were most of its
/// time.
const LISTED: &[(&str, Want)] = &[
    (
        "metadata",
        Want::Fields(&[
            ("name", Want::All),
            ("namespace", Want::All),
            ("uid", Want::All),
            ("labels", Want::All),
            ("deletionTimestamp", Want::All),
        ]),
    ),
    (
        "spec",
        Want::Fields(&[
            ("hostname", Want::All),
            ("subdomain", Want::All),
            ("nodeName", Want::All),
            ("containers", Want::Fields(&[("ports", Want::All)])),
        ]),
    ),
    ("status", Want::Fields(&[("phase", Want::All), ("podIP", Want::All), ("conditions", Want::All)])),
];

/// Decodes a stored pod keeping the fields [`LISTED`] names.
fn listed_fields(body: &str) -> anyhow::Result<Value> {
    pluck(body, LISTED)
}

impl Selection {
    /// Adds a pod's endpoint, when the service lists it, to its group; groups keep the order they
    /// first appear in.
    fn add(&mut self, svc: &Service, pod: &Value) {
        let Some((endpoint, ports)) = endpoint(svc, pod) else { return };
        let i = self.endpoints.len();
        self.endpoints.push(endpoint);
        match self.groups.iter_mut().find(|(key, _)| *key == ports) {
            Some((_, members)) => members.push(i),
            None => self.groups.push((ports, vec![i])),
        }
    }

    /// The controller keeps one empty slice (the service's ports, no endpoints) for a selector
    /// that matches nothing.
    fn finish(mut self) -> Selection {
        if self.groups.is_empty() {
            self.groups.push((Vec::new(), Vec::new()));
        }
        self
    }
}

/// How the service lists `pod`, if it does, with the ports its slice group resolves to.
fn endpoint(svc: &Service, pod: &Value) -> Option<(Endpoint, Vec<Value>)> {
    listing(svc, pod).map(Listing::owned)
}

/// [`endpoint`] borrowed from the pod and the service: a change of a selected pod (most of which
/// its endpoints do not show) is compared by it without building either side.
#[derive(PartialEq)]
struct Listing<'a> {
    ip: &'a str,
    hostname: &'a str,
    node: &'a str,
    ready: bool,
    serving: bool,
    terminating: bool,
    name: &'a str,
    namespace: &'a str,
    uid: &'a str,
    /// Each service port the pod resolves: its name, the number and the protocol.
    ports: Vec<(&'a str, i64, Cow<'a, Value>)>,
}

fn listing<'a>(svc: &Service<'a>, pod: &'a Value) -> Option<Listing<'a>> {
    let ip = pod.str_at("status.podIP");
    if !svc.selects(pod) || ip.is_empty() || matches!(pod.str_at("status.phase"), "Succeeded" | "Failed") {
        return None;
    }
    let service: &'a Value = svc.svc;
    let hostname = if pod.str_at("spec.subdomain") == service.name() { pod.str_at("spec.hostname") } else { "" };
    let terminating = pod.is_deleting();
    let ports = service
        .array_at("spec.ports")
        .iter()
        .filter_map(|sp| {
            let number = find_port(pod, sp)?;
            let protocol = sp.at("protocol").map_or_else(|| Cow::Owned(json!("TCP")), Cow::Borrowed);
            Some((sp.str_at("name"), number, protocol))
        })
        .collect();
    Some(Listing {
        ip,
        hostname,
        node: pod.str_at("spec.nodeName"),
        ready: super::statefulset::is_running_and_ready(pod) && !terminating,
        serving: svc.publish_not_ready || super::statefulset::condition_true(pod, "Ready"),
        terminating,
        name: pod.name(),
        namespace: pod.namespace(),
        uid: pod.uid(),
        ports,
    })
}

impl Listing<'_> {
    fn owned(self) -> (Endpoint, Vec<Value>) {
        let ports = self
            .ports
            .into_iter()
            .map(|(name, number, protocol)| json!({"name": name, "port": number, "protocol": protocol.into_owned()}))
            .collect();
        let endpoint = Endpoint {
            ip: self.ip.to_string(),
            hostname: self.hostname.to_string(),
            node: self.node.to_string(),
            ready: self.ready,
            serving: self.serving,
            terminating: self.terminating,
            name: self.name.to_string(),
            namespace: self.namespace.to_string(),
            uid: self.uid.to_string(),
        };
        (endpoint, ports)
    }
}

impl Endpoint {
    fn target(&self) -> Value {
        json!({"kind": "Pod", "name": self.name, "namespace": self.namespace, "uid": self.uid})
    }

    /// As the Endpoints' subset lists it.
    fn address(&self) -> Value {
        let mut a = json!({"ip": self.ip, "nodeName": self.node, "targetRef": self.target()});
        if !self.hostname.is_empty() {
            a["hostname"] = json!(self.hostname);
        }
        a
    }

    /// As an EndpointSlice lists it.
    fn in_slice(&self) -> Value {
        let mut e = json!({"addresses": [self.ip],
            "conditions": {"ready": self.serving && !self.terminating, "serving": self.serving, "terminating": self.terminating},
            "nodeName": self.node,
            "targetRef": self.target()});
        if !self.hostname.is_empty() {
            e["hostname"] = json!(self.hostname);
        }
        e
    }
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

fn write_endpoints(cluster: &mut Cluster, svc: &Value, members: &[Endpoint]) -> Result<()> {
    // `RepackSubsets` sorts addresses by IP (as strings), then by the pod's uid.
    let mut sorted: Vec<&Endpoint> = members.iter().collect();
    sorted.sort_by(|a, b| a.ip.cmp(&b.ip).then_with(|| a.uid.cmp(&b.uid)));
    let mut ready: Vec<Value> = sorted.iter().filter(|m| m.ready).map(|m| m.address()).collect();
    let mut not_ready: Vec<Value> = sorted.iter().filter(|m| !m.ready).map(|m| m.address()).collect();
    let truncated = truncate(&mut ready, &mut not_ready);
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
    let marked = |e: &Value| e.annotation(OVER_CAPACITY).is_some();
    if existing.as_ref().is_some_and(|e| e.get("subsets").unwrap_or(&Value::Null) == &subsets && marked(e) == truncated)
    {
        return Ok(());
    }
    let mut annotations = json!({"endpoints.kubernetes.io/last-change-trigger-time": cluster.clock.now_rfc3339()});
    if truncated {
        annotations[OVER_CAPACITY] = json!("truncated");
    }
    let mut ep = json!({
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": svc.name(), "namespace": svc.namespace(), "labels": service_labels(svc),
                     "annotations": annotations},
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

const OVER_CAPACITY: &str = "endpoints.kubernetes.io/over-capacity";
/// `maxCapacity` of the endpoints controller.
const MAX_ADDRESSES: usize = 1000;

/// `truncateEndpoints` for kstate's single subset: past 1,000 addresses, ready ones are kept
/// first (the first 1,000 of them, and no not-ready ones, when they alone exceed the limit),
/// then not-ready ones up to the limit. Whether anything was cut.
fn truncate(ready: &mut Vec<Value>, not_ready: &mut Vec<Value>) -> bool {
    if ready.len() + not_ready.len() <= MAX_ADDRESSES {
        return false;
    }
    if ready.len() > MAX_ADDRESSES {
        ready.truncate(MAX_ADDRESSES);
        not_ready.clear();
    } else {
        not_ready.truncate(MAX_ADDRESSES - ready.len());
    }
    true
}

/// Keeps identity (uid, creation time) of the stored object while replacing labels/annotations.
fn merge_meta(old: &Value, new: &Value) -> Value {
    let mut meta = old.get("metadata").cloned().unwrap_or_else(|| json!({}));
    for field in ["labels", "annotations"] {
        meta[field] = new.at(&format!("metadata.{field}")).cloned().unwrap_or(Value::Null);
    }
    meta
}

/// `maxEndpointsPerSlice`, the controller's default.
const MAX_PER_SLICE: usize = 100;

/// One slice the reconciler will keep: the stored one (if any), its endpoints with their place
/// in the desired order, and whether it must be written.
struct Planned<'a> {
    stored: Option<Value>,
    endpoints: Vec<(usize, &'a Endpoint)>,
    changed: bool,
    /// The one empty slice kept for a service that selects nothing.
    placeholder: bool,
}

/// The endpoint-slice reconciler: per group of resolved ports, each stored slice keeps the
/// desired endpoints it already holds (a slice left with none is deleted); new endpoints fill the
/// changed slices (fullest first), then an unchanged slice they fit in whole, then new slices of
/// at most 100. Only slices whose endpoints changed are written, so one pod becoming ready
/// rewrites the one slice that lists it.
fn write_slice(cluster: &mut Cluster, svc: &Value, selection: &Selection) -> Result<()> {
    let mut labels = service_labels(svc);
    labels.insert("endpointslice.kubernetes.io/managed-by".into(), json!("endpointslice-controller.k8s.io"));
    labels.insert("kubernetes.io/service-name".into(), json!(svc.name()));
    let mut unused: Vec<Option<Value>> =
        cluster.list_by_ref(&ENDPOINTSLICE, svc.uid())?.into_iter().map(Some).collect();
    for (ports, members) in &selection.groups {
        let ports = if ports.is_empty() { Value::Null } else { json!(ports) };
        if members.is_empty() {
            // The placeholder: the first stored slice, emptied, or a new empty one.
            let stored = unused.iter_mut().find_map(Option::take);
            let plan = Planned { stored, endpoints: Vec::new(), changed: true, placeholder: true };
            write_planned(cluster, svc, &labels, &ports, plan)?;
            continue;
        }
        let desired: Vec<&Endpoint> = members.iter().map(|&i| &selection.endpoints[i]).collect();
        for plan in plan_group(&mut unused, &ports, desired) {
            write_planned(cluster, svc, &labels, &ports, plan)?;
        }
    }
    for extra in unused.into_iter().flatten() {
        cluster.delete(&Key::new(&ENDPOINTSLICE, extra.namespace(), extra.name()), Propagation::Background, None)?;
    }
    Ok(())
}

fn endpoint_uid(e: &Value) -> &str {
    e.str_at("targetRef.uid")
}

/// `reconcileByPortMapping` for one group of ports, over the stored slices not yet claimed.
fn plan_group<'a>(unused: &mut [Option<Value>], ports: &Value, desired: Vec<&'a Endpoint>) -> Vec<Planned<'a>> {
    let order: foldhash::HashMap<&str, usize> = desired.iter().enumerate().map(|(i, e)| (e.uid.as_str(), i)).collect();
    let mut remaining: std::collections::BTreeMap<usize, &Endpoint> = desired.into_iter().enumerate().collect();
    let mut plans: Vec<Planned> = Vec::new();
    for slot in unused.iter_mut() {
        if slot.as_ref().is_none_or(|s| s.get("ports").unwrap_or(&Value::Null) != ports) {
            continue;
        }
        let Some(stored) = slot.take() else { continue };
        let old = stored.array_at("endpoints");
        let mut kept: Vec<(usize, &Endpoint)> = old
            .iter()
            .filter_map(|e| order.get(endpoint_uid(e)).and_then(|i| remaining.remove(i).map(|v| (*i, v))))
            .collect();
        kept.sort_by_key(|(i, _)| *i);
        let changed = kept.len() != old.len() || kept.iter().zip(old).any(|((_, new), old)| new.in_slice() != *old);
        plans.push(Planned { stored: Some(stored), endpoints: kept, changed, placeholder: false });
    }
    // Changed slices take new endpoints first, the fullest first.
    let mut changed: Vec<usize> = (0..plans.len()).filter(|&i| plans[i].changed).collect();
    changed.sort_by_key(|&i| std::cmp::Reverse(plans[i].endpoints.len()));
    for i in changed {
        fill(&mut plans[i], &mut remaining);
    }
    while !remaining.is_empty() {
        // Fewer than a slice's worth left: the unchanged slice closest to full that takes them all.
        let fits =
            |p: &Planned| !p.changed && !p.endpoints.is_empty() && p.endpoints.len() + remaining.len() <= MAX_PER_SLICE;
        let target = if remaining.len() < MAX_PER_SLICE {
            (0..plans.len())
                .filter(|&i| fits(&plans[i]))
                .max_by_key(|&i| (plans[i].endpoints.len(), std::cmp::Reverse(i)))
        } else {
            None
        };
        let i = match target {
            Some(i) => i,
            None => {
                plans.push(Planned { stored: None, endpoints: Vec::new(), changed: true, placeholder: false });
                plans.len() - 1
            }
        };
        plans[i].changed = true;
        fill(&mut plans[i], &mut remaining);
    }
    plans
}

/// Moves the first remaining endpoints (in the desired order) into the slice, up to its capacity.
fn fill<'a>(plan: &mut Planned<'a>, remaining: &mut std::collections::BTreeMap<usize, &'a Endpoint>) {
    while plan.endpoints.len() < MAX_PER_SLICE {
        let Some((i, e)) = remaining.pop_first() else { break };
        plan.endpoints.push((i, e));
    }
    plan.endpoints.sort_by_key(|(i, _)| *i);
}

/// Writes one planned slice: deletes a stored slice left empty, updates a changed one, creates a
/// new one.
fn write_planned(
    cluster: &mut Cluster,
    svc: &Value,
    labels: &Map<String, Value>,
    ports: &Value,
    plan: Planned,
) -> Result<()> {
    // A stored slice that keeps exactly the endpoints it lists, in its order (see `plan_group`),
    // is written as it is: nothing to build or compare (a one-pod change to a service of 10,000
    // endpoints leaves 99 of its 100 slices alone).
    if !plan.changed && !plan.endpoints.is_empty() {
        return Ok(());
    }
    let endpoints: Vec<Value> = plan.endpoints.into_iter().map(|(_, e)| e.in_slice()).collect();
    let empty = endpoints.is_empty();
    let endpoints = if empty { Value::Null } else { json!(endpoints) };
    match plan.stored {
        Some(stored) if empty && !plan.placeholder => {
            cluster.delete(
                &Key::new(&ENDPOINTSLICE, stored.namespace(), stored.name()),
                Propagation::Background,
                None,
            )?;
        }
        Some(mut slice) => {
            if slice.get("endpoints").unwrap_or(&Value::Null) == &endpoints
                && slice.get("ports").unwrap_or(&Value::Null) == ports
            {
                return Ok(());
            }
            slice["endpoints"] = endpoints;
            slice["ports"] = ports.clone();
            slice["metadata"]["labels"] = json!(labels);
            let generation = slice.i64_at("metadata.generation").unwrap_or(1) + 1;
            slice["metadata"]["generation"] = json!(generation);
            cluster.update_status(slice)?;
        }
        None => {
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
                "ports": ports,
            });
            cluster.create(slice, svc.namespace())?;
        }
    }
    Ok(())
}

/// `podutil.FindPort`: a numeric targetPort as is (the port when unset), a named one looked up in the
/// pod's container ports with the service port's protocol.
fn find_port(pod: &Value, svc_port: &Value) -> Option<i64> {
    let protocol = container_protocol(svc_port);
    match svc_port.get("targetPort") {
        Some(Value::String(name)) => pod
            .array_at("spec.containers")
            .iter()
            .flat_map(|c| c.array_at("ports"))
            .find(|p| p.str_at("name") == name && container_protocol(p) == protocol)
            .and_then(|p| p.i64_at("containerPort")),
        Some(Value::Number(n)) => n.as_i64(),
        _ => svc_port.i64_at("port"),
    }
}

fn container_protocol(port: &Value) -> &str {
    match port.str_at("protocol") {
        "" => "TCP",
        p => p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, ip: &str, ready: bool) -> Value {
        json!({"metadata": {"name": name, "namespace": "default", "uid": name, "labels": {"app": "nginx"}},
               "spec": {"nodeName": "n1", "containers": [{"name": "c", "ports": [{"name": "web", "containerPort": 8080}]}]},
               "status": {"phase": "Running", "podIP": ip,
                          "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]}})
    }

    fn slice_groups(svc: &Value, pods: &[Value]) -> Vec<(Value, Value)> {
        let svc = Service::of(svc);
        let mut selection = Selection { endpoints: Vec::new(), groups: Vec::new() };
        pods.iter().for_each(|p| selection.add(&svc, p));
        let selection = selection.finish();
        let endpoints = |members: &[usize]| members.iter().map(|&i| selection.endpoints[i].in_slice()).collect();
        selection.groups.iter().map(|(ports, members)| (json!(ports), endpoints(members))).collect()
    }

    #[test]
    fn a_pod_read_back_with_its_listed_fields_is_listed_as_the_whole_pod() {
        let svc = json!({"metadata": {"name": "s", "namespace": "default"},
                         "spec": {"selector": {"app": "nginx"}, "ports": [{"port": 80, "targetPort": "web", "protocol": "TCP"}]}});
        let svc = Service::of(&svc);
        let mut deleting = pod("c", "10.0.0.3", true);
        deleting["metadata"]["deletionTimestamp"] = json!("2026-11-27T09:00:00Z");
        let mut named = pod("d", "10.0.0.4", true);
        named["spec"]["hostname"] = json!("d");
        named["spec"]["subdomain"] = json!("s");
        named["spec"]["volumes"] = json!([{"name": "v", "emptyDir": {}}]);
        named["metadata"]["managedFields"] = json!([{"manager": "kstate"}]);
        let mut other = pod("e", "10.0.0.5", true);
        other["metadata"]["labels"] = json!({"app": "other"});
        for whole in [pod("a", "10.0.0.1", true), pod("b", "", false), deleting, named, other] {
            let lean = listed_fields(&whole.to_string()).expect("decodes");
            assert!(listing(&svc, &whole) == listing(&svc, &lean), "{whole}");
        }
        assert!(listed_fields("{not json").is_err());
    }

    #[test]
    fn named_target_ports_resolve_to_the_container_port() {
        let svc = json!({"metadata": {"name": "s", "namespace": "default"},
                         "spec": {"selector": {"app": "nginx"}, "ports": [{"port": 80, "targetPort": "web", "protocol": "TCP"}]}});
        let slices = slice_groups(&svc, &[pod("a", "10.0.0.1", true), pod("b", "10.0.0.2", false)]);
        assert_eq!(slices.len(), 1);
        assert_eq!(slices[0].0[0]["port"], json!(8080));
        assert_eq!(slices[0].1[1]["conditions"]["ready"], json!(false));
    }

    #[test]
    fn pods_without_the_named_port_get_their_own_slice() {
        let svc = json!({"metadata": {"name": "s", "namespace": "default"},
                         "spec": {"selector": {"app": "nginx"}, "ports": [{"port": 80, "targetPort": "http"}]}});
        let slices = slice_groups(&svc, &[pod("a", "10.0.0.1", true)]);
        assert_eq!(slices.len(), 1);
        assert_eq!(slices[0].0, json!([]));
    }

    #[test]
    fn a_selector_matching_nothing_leaves_an_empty_placeholder() {
        let svc = json!({"metadata": {"name": "s", "namespace": "default"},
                         "spec": {"selector": {"app": "none"}, "ports": [{"port": 80}]}});
        let slices = slice_groups(&svc, &[pod("a", "10.0.0.1", true)]);
        assert_eq!(slices.len(), 1);
        assert_eq!(slices[0].1, json!([]));
    }
}
