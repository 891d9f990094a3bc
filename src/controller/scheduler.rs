//! The scheduler: puts pending pods on nodes. It honours the pod's claims (bound volumes' node
//! affinity, WaitForFirstConsumer claims), an explicit `nodeName`, `nodeSelector`, and spreads
//! pods over the nodes that fit, fewest pods first.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{json, Value};

use super::volume::{claims_of, SELECTED_NODE};
use super::Controller;
use crate::api::kinds::{NODE, POD, PV, PVC, STORAGECLASS};
use crate::api::object::{set_annotation, set_at};
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, EventSource, Key};
use crate::Result;

const SCHEDULER: EventSource<'static> = EventSource::component("default-scheduler");

#[derive(Default)]
pub struct Scheduler {
    /// Pods already reported unschedulable in this command, by uid and reason.
    reported: HashSet<(String, String)>,
    /// Pods per node, counted once per command and then kept current from the change stream.
    load: Option<HashMap<String, usize>>,
    /// Per namespace (indexed on first use): claim name → unscheduled pods that use it.
    waiting: HashMap<String, HashMap<String, BTreeSet<String>>>,
}

fn unscheduled(pod: &Value) -> bool {
    pod.str_at("spec.nodeName").is_empty() && !pod.is_deleting() && pod.str_at("status.phase") == "Pending"
}

impl Controller for Scheduler {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match (change.key.kind, &change.object) {
            ("Pod", _) => {
                self.track(change);
                if change.object.as_deref().is_some_and(unscheduled) {
                    queue.push(change.key.clone());
                }
            }
            // A claim that appears or changes phase may unblock the pods that use it.
            ("PersistentVolumeClaim", Some(pvc))
                if change.old.as_ref().is_none_or(|o| o.str_at("status.phase") != pvc.str_at("status.phase")) =>
            {
                let ns = pvc.namespace().to_string();
                self.index_namespace(cluster, &ns)?;
                let pods = self.waiting.get(&ns).and_then(|m| m.get(pvc.name()));
                for pod in pods.into_iter().flatten() {
                    queue.push(Key::new(&POD, &ns, pod));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some(pod) = cluster.get(key)? else { return Ok(()) };
        if !unscheduled(&pod) {
            return Ok(());
        }
        let nodes = cluster.list(&NODE, None)?;
        let total = nodes.len();
        let mut fits: Vec<&Value> = nodes.iter().filter(|n| node_accepts(n, &pod)).collect();
        // The NodePorts filter: a host port can be held by one pod per node.
        let busy = busy_nodes(cluster, &pod)?;
        if !busy.is_empty() {
            fits.retain(|n| !busy.contains(n.name()));
            if fits.is_empty() {
                let reason = format!("{} node(s) didn't have free ports for the requested pod ports", busy.len());
                return self.unschedulable(cluster, &pod, total, &reason);
            }
        }
        let mut delayed = Vec::new();
        for claim_name in claims_of(&pod) {
            match self.claim_filter(cluster, &pod, &claim_name, &mut fits)? {
                ClaimState::Ready => {}
                ClaimState::Delayed(pvc) => delayed.push(pvc),
                ClaimState::Blocked(reason) => return self.unschedulable(cluster, &pod, total, &reason),
            }
        }
        if fits.is_empty() {
            let reason = format!("{total} node(s) had volume node affinity conflict");
            return self.unschedulable(cluster, &pod, total, &reason);
        }
        let node = self.least_loaded(cluster, &fits)?;
        if !delayed.is_empty() {
            // The volumes are provisioned for the chosen node; the pod binds once they are bound.
            return select_node_for_claims(cluster, delayed, &node);
        }
        bind_pod(cluster, pod, &node)
    }
}

impl Scheduler {
    /// Keeps the node load and the claim index current with one pod change.
    fn track(&mut self, change: &Change) {
        let node_of = |p: &Option<std::rc::Rc<Value>>| {
            p.as_ref().map(|p| p.str_at("spec.nodeName").to_string()).unwrap_or_default()
        };
        if let Some(load) = &mut self.load {
            let (before, after) = (node_of(&change.old), node_of(&change.object));
            if before != after || change.object.is_none() {
                if change.old.is_some() {
                    if let Some(n) = load.get_mut(&before) {
                        *n = n.saturating_sub(1);
                    }
                }
                if change.object.is_some() {
                    *load.entry(after).or_default() += 1;
                }
            }
        }
        if let Some(claims) = self.waiting.get_mut(&change.key.namespace) {
            if let Some(old) = &change.old {
                for c in claims_of(old) {
                    if let Some(pods) = claims.get_mut(&c) {
                        pods.remove(&change.key.name);
                    }
                }
            }
            if let Some(pod) = change.object.as_ref().filter(|p| unscheduled(p)) {
                for c in claims_of(pod) {
                    claims.entry(c).or_default().insert(change.key.name.clone());
                }
            }
        }
    }

    /// Indexes the unscheduled pods of a namespace by claim, once per command.
    fn index_namespace(&mut self, cluster: &mut Cluster, ns: &str) -> Result<()> {
        if self.waiting.contains_key(ns) {
            return Ok(());
        }
        let mut claims: HashMap<String, BTreeSet<String>> = HashMap::new();
        cluster.load(&POD, Some(ns))?;
        for pod in cluster.iter(&POD, Some(ns)).filter(|p| unscheduled(p)) {
            for c in claims_of(pod) {
                claims.entry(c).or_default().insert(pod.name().to_string());
            }
        }
        self.waiting.insert(ns.to_string(), claims);
        Ok(())
    }

    /// The fitting node running the fewest pods (ties: the first by name).
    fn least_loaded(&mut self, cluster: &mut Cluster, fits: &[&Value]) -> Result<String> {
        if self.load.is_none() {
            cluster.load(&POD, None)?;
            let mut load: HashMap<String, usize> = HashMap::new();
            for p in cluster.iter(&POD, None) {
                *load.entry(p.str_at("spec.nodeName").to_string()).or_default() += 1;
            }
            self.load = Some(load);
        }
        let load = self.load.as_ref();
        let count = |n: &str| load.and_then(|l| l.get(n)).copied().unwrap_or(0);
        let best = fits.iter().min_by_key(|n| (count(n.name()), n.name().to_string()));
        Ok(best.map(|n| n.name().to_string()).unwrap_or_default())
    }
}

enum ClaimState {
    Ready,
    Delayed(Value),
    Blocked(String),
}

impl Scheduler {
    /// Narrows `fits` to the nodes a claim allows, or says why the pod cannot be placed now.
    fn claim_filter(
        &mut self,
        cluster: &mut Cluster,
        pod: &Value,
        name: &str,
        fits: &mut Vec<&Value>,
    ) -> Result<ClaimState> {
        let Some(pvc) = cluster.get(&Key::new(&PVC, pod.namespace(), name))? else {
            return Ok(ClaimState::Blocked(format!("persistentvolumeclaim \"{name}\" not found")));
        };
        if pvc.is_deleting() {
            return Ok(ClaimState::Blocked(format!("persistentvolumeclaim \"{name}\" is being deleted")));
        }
        if pvc.str_at("status.phase") == "Bound" {
            let pv = cluster.get(&Key::new(&PV, "", pvc.str_at("spec.volumeName")))?;
            if let Some(pv) = pv {
                fits.retain(|n| volume_allows(&pv, n));
            }
            return Ok(ClaimState::Ready);
        }
        let class = cluster.get_ref(&Key::new(&STORAGECLASS, "", pvc.str_at("spec.storageClassName")))?;
        let delayed = class.is_some_and(|c| c.str_at("volumeBindingMode") == "WaitForFirstConsumer");
        if !delayed {
            return Ok(ClaimState::Blocked("pod has unbound immediate PersistentVolumeClaims".to_string()));
        }
        if let Some(node) = pvc.annotation(SELECTED_NODE) {
            // Already chosen: wait for the provisioner, on that node.
            let node = node.to_string();
            fits.retain(|n| n.name() == node);
        }
        Ok(ClaimState::Delayed(pvc))
    }

    fn unschedulable(&mut self, cluster: &mut Cluster, pod: &Value, total: usize, reason: &str) -> Result<()> {
        if !self.reported.insert((pod.uid().to_string(), reason.to_string())) {
            return Ok(());
        }
        let msg = format!(
            "0/{total} nodes are available: {reason}. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling."
        );
        cluster.warning(pod, SCHEDULER, "FailedScheduling", &msg)?;
        let mut next = pod.clone();
        set_at(
            &mut next,
            "status.conditions",
            json!([{"lastProbeTime": null, "lastTransitionTime": cluster.clock.now_rfc3339(), "message": msg,
                    "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}]),
        );
        if next != *pod {
            cluster.update_status(next)?;
        }
        Ok(())
    }
}

/// Nodes where another live pod holds one of the pod's host ports.
fn busy_nodes(cluster: &mut Cluster, pod: &Value) -> Result<HashSet<String>> {
    let wanted = super::kubelet::host_ports(pod);
    if wanted.is_empty() {
        return Ok(HashSet::new());
    }
    cluster.load(&POD, None)?;
    Ok(cluster
        .iter(&POD, None)
        .filter(|p| p.uid() != pod.uid() && !matches!(p.str_at("status.phase"), "Succeeded" | "Failed"))
        .filter(|p| !super::kubelet::host_ports(p).is_disjoint(&wanted))
        .map(|p| p.str_at("spec.nodeName").to_string())
        .filter(|n| !n.is_empty())
        .collect())
}

/// nodeName, nodeSelector and readiness.
fn node_accepts(node: &Value, pod: &Value) -> bool {
    let wanted = pod.str_at("spec.nodeName");
    let labels = node.labels();
    let ready =
        node.array_at("status.conditions").iter().any(|c| c.str_at("type") == "Ready" && c.str_at("status") == "True");
    let selector_ok = pod.map_at("spec.nodeSelector").iter().all(|(k, v)| labels.get(k) == Some(v));
    ready
        && !node.at("spec.unschedulable").and_then(Value::as_bool).unwrap_or(false)
        && selector_ok
        && (wanted.is_empty() || wanted == node.name())
}

/// Does a volume's node affinity admit the node?
fn volume_allows(pv: &Value, node: &Value) -> bool {
    let terms = pv.array_at("spec.nodeAffinity.required.nodeSelectorTerms");
    if terms.is_empty() {
        return true;
    }
    let labels = node.labels();
    terms.iter().any(|term| {
        term.array_at("matchExpressions").iter().all(|e| {
            let have = labels.get(e.str_at("key"));
            let values: Vec<&str> = e.array_at("values").iter().filter_map(Value::as_str).collect();
            match e.str_at("operator") {
                "In" => have.is_some_and(|h| values.contains(&h.as_str())),
                "NotIn" => have.is_none_or(|h| !values.contains(&h.as_str())),
                "Exists" => have.is_some(),
                "DoesNotExist" => have.is_none(),
                _ => false,
            }
        })
    })
}

fn select_node_for_claims(cluster: &mut Cluster, claims: Vec<Value>, node: &str) -> Result<()> {
    for mut pvc in claims {
        if pvc.annotation(SELECTED_NODE).is_none() {
            set_annotation(&mut pvc, SELECTED_NODE, node);
            cluster.update_status(pvc)?;
        }
    }
    Ok(())
}

fn bind_pod(cluster: &mut Cluster, mut pod: Value, node: &str) -> Result<()> {
    let now = cluster.clock.now_rfc3339();
    set_at(&mut pod, "spec.nodeName", json!(node));
    set_at(
        &mut pod,
        "status.conditions",
        json!([{"lastProbeTime": null, "lastTransitionTime": now, "status": "True", "type": "PodScheduled"}]),
    );
    let pod = cluster.update_status(pod)?;
    let msg = format!("Successfully assigned {}/{} to {node}", pod.namespace(), pod.name());
    cluster.normal(&pod, SCHEDULER, "Scheduled", &msg)
}
