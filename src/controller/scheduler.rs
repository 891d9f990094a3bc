//! The scheduler: puts pending pods on nodes. It honours the pod's claims (bound volumes' node
//! affinity, WaitForFirstConsumer claims), an explicit `nodeName`, `nodeSelector`, and spreads
//! pods over the nodes that fit, fewest pods first.

use std::collections::{HashMap, HashSet};

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
}

fn unscheduled(pod: &Value) -> bool {
    pod.str_at("spec.nodeName").is_empty() && !pod.is_deleting() && pod.str_at("status.phase") == "Pending"
}

impl Controller for Scheduler {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match (change.key.kind, &change.object) {
            ("Pod", Some(pod)) if unscheduled(pod) => queue.push(change.key.clone()),
            ("PersistentVolumeClaim", Some(pvc)) => {
                let ns = pvc.namespace().to_string();
                cluster.load(&POD, Some(&ns))?;
                for pod in cluster.iter(&POD, Some(&ns)) {
                    if unscheduled(pod) && claims_of(pod).iter().any(|c| c == pvc.name()) {
                        queue.push(Key::new(&POD, &ns, pod.name()));
                    }
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
        let node = least_loaded(cluster, &fits)?;
        if !delayed.is_empty() {
            // The volumes are provisioned for the chosen node; the pod binds once they are bound.
            return select_node_for_claims(cluster, delayed, &node);
        }
        bind_pod(cluster, pod, &node)
    }
}

enum ClaimState {
    Ready,
    Delayed(Value),
    Blocked(String),
}

impl Scheduler {
    /// Narrows `fits` to the nodes a claim allows, or says why the pod cannot be placed now.
    fn claim_filter(&mut self, cluster: &mut Cluster, pod: &Value, name: &str, fits: &mut Vec<&Value>) -> Result<ClaimState> {
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

/// nodeName, nodeSelector and readiness.
fn node_accepts(node: &Value, pod: &Value) -> bool {
    let wanted = pod.str_at("spec.nodeName");
    let labels = node.labels();
    let ready = node
        .array_at("status.conditions")
        .iter()
        .any(|c| c.str_at("type") == "Ready" && c.str_at("status") == "True");
    let selector_ok = pod.map_at("spec.nodeSelector").iter().all(|(k, v)| labels.get(k) == Some(v));
    ready && !node.at("spec.unschedulable").and_then(Value::as_bool).unwrap_or(false) && selector_ok
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

/// The fitting node running the fewest pods (ties: the first by name).
fn least_loaded(cluster: &mut Cluster, fits: &[&Value]) -> Result<String> {
    cluster.load(&POD, None)?;
    let mut load: HashMap<&str, usize> = HashMap::new();
    for p in cluster.iter(&POD, None) {
        *load.entry(p.str_at("spec.nodeName")).or_default() += 1;
    }
    let best = fits.iter().min_by_key(|n| (load.get(n.name()).copied().unwrap_or(0), n.name().to_string()));
    Ok(best.map(|n| n.name().to_string()).unwrap_or_default())
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
