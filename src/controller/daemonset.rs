//! The DaemonSet controller (`pkg/controller/daemon`, v1.32): one pod on every node the pod may
//! run on (node selector, required node affinity, taints against the pod's tolerations plus the
//! daemon tolerations), pods following nodes that join or leave, failed pods replaced, and the
//! RollingUpdate strategy within maxUnavailable (OnDelete leaves old pods alone).
//!
//! Pods carry the node affinity the real controller writes and are bound to their node at
//! creation (the real scheduler binds them to that node right after).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::requeue::DAEMONSETS;
use super::workload::{is_active, is_available, is_ready, pod_from_template, scaled_value, SlowStart};
use super::Controller;
use crate::api::kinds::{DAEMONSET, NODE, POD};
use crate::api::object::{set_at, set_label};
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, EventSource, Key, Propagation};
use crate::controller::statefulset::revision_hash;
use crate::Result;

const SOURCE: EventSource<'static> = EventSource::component("daemonset-controller");
pub const HASH_LABEL: &str = "controller-revision-hash";

#[derive(Default)]
pub struct DaemonSetController;

impl Controller for DaemonSetController {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match change.key.kind {
            "DaemonSet" if change.object.is_some() => queue.push(change.key.clone()),
            // A deleted set's work-queue back-off goes with it (the queue forgets the key).
            "DaemonSet" => DAEMONSETS.forget_deleted(cluster, change, DAEMONSET.kind)?,
            "ServiceAccount" => queue.extend(super::workload::sets_waiting_for_account(cluster, change, &DAEMONSET)?),
            "Pod" => {
                for pod in change.object.iter().chain(change.old.iter()) {
                    if let Some(owner) = pod.controller_ref().filter(|o| o.str_at("kind") == "DaemonSet") {
                        queue.push(Key::new(&DAEMONSET, pod.namespace(), owner.str_at("name")));
                    }
                }
            }
            // A node joins, leaves, or changes its labels or taints.
            "Node" => {
                let relevant = |n: &Value| (n.at("metadata.labels").cloned(), n.at("spec").cloned());
                if change.object.as_deref().map(relevant) != change.old.as_deref().map(relevant) {
                    cluster.load(&DAEMONSET, None)?;
                    queue.extend(cluster.iter(&DAEMONSET, None).map(|d| Key::new(&DAEMONSET, d.namespace(), d.name())));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some(ds) = cluster.get(key)?.filter(|d| !d.is_deleting()) else { return Ok(()) };
        let nodes = cluster.list(&NODE, None)?;
        let mut pods = cluster.list_by_ref(&POD, ds.uid())?;
        pods.retain(|p| p.controller_uid() == ds.uid());
        let hash = template_hash(&ds);
        super::daemonset_history::sync(cluster, &ds, &hash, &pods)?;
        let mut by_node: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for pod in pods.iter().filter(|p| !p.is_deleting()) {
            by_node.entry(pod.str_at("spec.nodeName").to_string()).or_default().push(pod.clone());
        }
        let mut wanted = Vec::new();
        // Missing pods are created in slow-start batches over the nodes.
        let mut batches = SlowStart::new(usize::MAX);
        let mut failed = false;
        for node in &nodes {
            let here = by_node.remove(node.name()).unwrap_or_default();
            if !should_run(&ds, node) {
                for pod in &here {
                    delete(cluster, &ds, pod)?;
                }
                continue;
            }
            wanted.push(node.name().to_string());
            failed |= self.sync_node(cluster, &ds, node, here, &hash, &mut batches)?;
        }
        // Pods on nodes that are gone, or not bound to any node.
        for pod in by_node.into_values().flatten() {
            delete(cluster, &ds, &pod)?;
        }
        if ds.str_at("spec.updateStrategy.type") == "RollingUpdate" {
            roll(cluster, &ds, &hash, &wanted)?;
        }
        // A refused creation fails the sync: the queue retries the set after its back-off.
        let retry = DAEMONSETS.after_sync(cluster, ds.uid(), failed)?;
        cluster.set_timer(key, retry)?;
        status(cluster, &ds, &hash, &wanted)
    }
}

impl DaemonSetController {
    /// One eligible node: exactly one running daemon pod (failed ones replaced). Whether the API
    /// server refused the pod it created.
    fn sync_node(
        &self,
        cluster: &mut Cluster,
        ds: &Value,
        node: &Value,
        here: Vec<Value>,
        hash: &str,
        batches: &mut SlowStart,
    ) -> Result<bool> {
        let mut alive = Vec::new();
        for pod in here {
            if pod.str_at("status.phase") == "Failed" {
                let msg = format!(
                    "Found failed daemon pod {}/{} on node {}, will try to kill it",
                    pod.namespace(),
                    pod.name(),
                    node.name()
                );
                cluster.warning(ds, SOURCE, "FailedDaemonPod", &msg)?;
                delete(cluster, ds, &pod)?;
            } else {
                alive.push(pod);
            }
        }
        if alive.is_empty() {
            if !batches.next() {
                return Ok(false);
            }
            let refused = create(cluster, ds, node.name(), hash)?;
            if refused {
                batches.fail();
            }
            return Ok(refused);
        }
        // Extra pods on one node: the oldest stays.
        alive.sort_by(|a, b| a.created().cmp(&b.created()).then(a.name().cmp(b.name())));
        for pod in alive.iter().skip(1) {
            delete(cluster, ds, pod)?;
        }
        Ok(false)
    }
}

/// The pod template's hash, as the pods' `controller-revision-hash` label carries it.
fn template_hash(ds: &Value) -> String {
    revision_hash(ds.at("spec.template").unwrap_or(&Value::Null), ds.i64_at("status.collisionCount").unwrap_or(0))
}

/// `NodeShouldRunDaemonPod`: selector, required node affinity, and taints.
pub fn should_run(ds: &Value, node: &Value) -> bool {
    if node.is_deleting() {
        return false;
    }
    let labels = node.labels();
    let selector_ok = ds.map_at("spec.template.spec.nodeSelector").iter().all(|(k, v)| labels.get(k) == Some(v));
    let terms = ds.array_at(
        "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms",
    );
    let affinity_ok = terms.is_empty() || terms.iter().any(|t| term_matches(t, node));
    let tolerations: Vec<Value> =
        ds.array_at("spec.template.spec.tolerations").iter().cloned().chain(daemon_tolerations()).collect();
    let taints_ok = node
        .array_at("spec.taints")
        .iter()
        .filter(|t| matches!(t.str_at("effect"), "NoSchedule" | "NoExecute"))
        .all(|t| tolerations.iter().any(|tol| tolerates(tol, t)));
    selector_ok && affinity_ok && taints_ok
}

fn term_matches(term: &Value, node: &Value) -> bool {
    let labels = node.labels();
    let exprs = term.array_at("matchExpressions").iter().all(|e| {
        let values: Vec<&str> = e.array_at("values").iter().filter_map(Value::as_str).collect();
        let have = labels.get(e.str_at("key")).map(String::as_str);
        match e.str_at("operator") {
            "In" => have.is_some_and(|v| values.contains(&v)),
            "NotIn" => have.is_none_or(|v| !values.contains(&v)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => false,
        }
    });
    let fields = term.array_at("matchFields").iter().all(|e| {
        let values: Vec<&str> = e.array_at("values").iter().filter_map(Value::as_str).collect();
        e.str_at("key") == "metadata.name" && (values.contains(&node.name()) == (e.str_at("operator") == "In"))
    });
    exprs && fields
}

fn tolerates(toleration: &Value, taint: &Value) -> bool {
    let effect_ok = toleration.str_at("effect").is_empty() || toleration.str_at("effect") == taint.str_at("effect");
    let key_ok = toleration.str_at("key").is_empty() || toleration.str_at("key") == taint.str_at("key");
    let value_ok = toleration.str_at("operator") == "Exists" || toleration.str_at("value") == taint.str_at("value");
    effect_ok && key_ok && value_ok
}

/// The tolerations every daemon pod gets (`AddOrUpdateDaemonPodTolerations`).
fn daemon_tolerations() -> Vec<Value> {
    let mut list = vec![
        json!({"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists"}),
        json!({"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists"}),
    ];
    for key in ["disk-pressure", "memory-pressure", "pid-pressure", "unschedulable"] {
        list.push(json!({"effect": "NoSchedule", "key": format!("node.kubernetes.io/{key}"), "operator": "Exists"}));
    }
    list
}

/// Creates the daemon pod of `node`; whether the API server refused it.
fn create(cluster: &mut Cluster, ds: &Value, node: &str, hash: &str) -> Result<bool> {
    let template = ds.at("spec.template").cloned().unwrap_or_else(|| json!({}));
    let mut pod = pod_from_template(ds, &template, &format!("{}-", ds.name()));
    set_label(&mut pod, HASH_LABEL, hash);
    set_label(&mut pod, "pod-template-generation", &ds.i64_at("metadata.generation").unwrap_or(1).to_string());
    set_at(
        &mut pod,
        "spec.affinity.nodeAffinity",
        json!({"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}}),
    );
    let mut tolerations = pod.array_at("spec.tolerations").to_vec();
    for t in daemon_tolerations() {
        if !tolerations
            .iter()
            .any(|have| have.str_at("key") == t.str_at("key") && have.str_at("effect") == t.str_at("effect"))
        {
            tolerations.push(t);
        }
    }
    set_at(&mut pod, "spec.tolerations", Value::Array(tolerations));
    set_at(&mut pod, "spec.nodeName", json!(node));
    match cluster.create(pod, ds.namespace()) {
        Ok(p) => cluster.normal(ds, SOURCE, "SuccessfulCreate", &format!("Created pod: {}", p.name())).map(|_| false),
        Err(e @ crate::Error::Internal(_)) => Err(e),
        Err(e) => {
            cluster.warning(ds, SOURCE, "FailedCreate", &format!("Error creating: {}", e.server_message()))?;
            Ok(true)
        }
    }
}

fn delete(cluster: &mut Cluster, ds: &Value, pod: &Value) -> Result<()> {
    if pod.is_deleting() {
        return Ok(());
    }
    cluster.delete(&Key::new(&POD, pod.namespace(), pod.name()), Propagation::Background, None)?;
    cluster.normal(ds, SOURCE, "SuccessfulDelete", &format!("Deleted pod: {}", pod.name()))
}

/// The daemon pods on the wanted nodes, freshly read.
fn current_pods(cluster: &mut Cluster, ds: &Value, nodes: &[String]) -> Result<Vec<Value>> {
    let mut pods = cluster.list_by_ref(&POD, ds.uid())?;
    pods.retain(|p| p.controller_uid() == ds.uid() && nodes.iter().any(|n| n == p.str_at("spec.nodeName")));
    Ok(pods)
}

/// RollingUpdate: old pods go while no more than maxUnavailable nodes lack an available pod.
fn roll(cluster: &mut Cluster, ds: &Value, hash: &str, nodes: &[String]) -> Result<()> {
    let total = i64::try_from(nodes.len()).unwrap_or(0);
    let max = scaled_value(ds.at("spec.updateStrategy.rollingUpdate.maxUnavailable"), total, true).unwrap_or(1).max(1);
    let min_ready = ds.i64_at("spec.minReadySeconds").unwrap_or(0);
    let now = cluster.clock.now();
    let pods = current_pods(cluster, ds, nodes)?;
    let available_on = |n: &String| {
        pods.iter().any(|p| p.str_at("spec.nodeName") == n && is_active(p) && is_available(p, min_ready, now))
    };
    let mut unavailable = i64::try_from(nodes.iter().filter(|n| !available_on(n)).count()).unwrap_or(0);
    let mut old: Vec<&Value> =
        pods.iter().filter(|p| is_active(p) && p.labels().get(HASH_LABEL).map(String::as_str) != Some(hash)).collect();
    // Unavailable old pods first, then by node name.
    old.sort_by(|a, b| {
        is_available(a, min_ready, now)
            .cmp(&is_available(b, min_ready, now))
            .then(a.str_at("spec.nodeName").cmp(b.str_at("spec.nodeName")))
    });
    for pod in old {
        let counts = is_available(pod, min_ready, now);
        if counts && unavailable >= max {
            break;
        }
        delete(cluster, ds, pod)?;
        if counts {
            unavailable += 1;
        }
    }
    Ok(())
}

fn status(cluster: &mut Cluster, ds: &Value, hash: &str, nodes: &[String]) -> Result<()> {
    let min_ready = ds.i64_at("spec.minReadySeconds").unwrap_or(0);
    let now = cluster.clock.now();
    let pods = current_pods(cluster, ds, nodes)?;
    let on = |n: &String| {
        pods.iter().filter(move |p| p.str_at("spec.nodeName") == n && !p.is_deleting()).collect::<Vec<_>>()
    };
    let count = |f: &dyn Fn(&Value) -> bool| nodes.iter().filter(|n| on(n).iter().any(|p| f(p))).count();
    let scheduled = count(&|_| true);
    let ready = count(&|p| is_ready(p));
    let available = count(&|p| is_available(p, min_ready, now));
    let updated = count(&|p| p.labels().get(HASH_LABEL).map(String::as_str) == Some(hash));
    let mut status = json!({
        "currentNumberScheduled": scheduled,
        "desiredNumberScheduled": nodes.len(),
        "numberMisscheduled": 0,
        "numberReady": ready,
        "observedGeneration": ds.i64_at("metadata.generation").unwrap_or(1),
    });
    for (field, n) in [
        ("numberAvailable", available),
        ("updatedNumberScheduled", updated),
        ("numberUnavailable", nodes.len() - available),
    ] {
        if n > 0 {
            status[field] = json!(n);
        }
    }
    if ds.get("status") == Some(&status) {
        return Ok(());
    }
    let mut updated_ds = ds.clone();
    updated_ds["status"] = status;
    cluster.update_status(updated_ds)?;
    Ok(())
}
