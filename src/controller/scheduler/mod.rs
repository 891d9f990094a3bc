//! The scheduler: kube-scheduler v1.32's default filters (NodeUnschedulable, TaintToleration,
//! NodeAffinity, NodePorts, NodeResourcesFit, VolumeBinding, VolumeZone, PodTopologySpread,
//! InterPodAffinity) with their exact reasons, scoring, DefaultPreemption, and the FailedScheduling
//! event and PodScheduled condition they produce. Pending pods are tried again when something
//! that could unblock them changes: a node, a pod going away, a claim.

mod filters;
mod interpod;
mod preempt;
mod resources;
mod score;
mod snapshot;
mod spread;
mod terms;
mod volumes;

pub use terms::tolerates;

use std::collections::BTreeSet;
use std::rc::Rc;

use foldhash::{HashMap, HashMapExt, HashSet};
use serde_json::{json, Value};

use super::volume::{claims_of, ephemeral, SELECTED_NODE};
use super::Controller;
use crate::api::kinds::{PDB, POD, PV, PVC, STORAGECLASS};
use crate::api::object::{set_annotation, set_at};
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, EventSource, Key, Propagation};
use crate::Result;
use filters::{fit_error, Allowed, Filters, Incoming, VolumeLimit};
use snapshot::{unscheduled, PodVersion, Snapshot};

const SCHEDULER: EventSource<'static> = EventSource::component("default-scheduler");
/// How many pods wait for a node, kept across commands, so that a change that could unblock pods
/// only looks for them when there are some.
const PENDING: &str = "scheduler-pending";
/// Where the next scheduling cycle starts looking in the node list (kube-scheduler's
/// `nextStartNodeIndex`), kept across commands as a long-running scheduler keeps it.
const NEXT_START: &str = "scheduler-next-start-node";

#[derive(Default)]
pub struct Scheduler {
    /// Pods already reported unschedulable in this command, by uid and message.
    reported: HashSet<(String, String)>,
    /// Nodes and what their pods request, built on first use in a command.
    snapshot: Option<Snapshot>,
    /// NodeVolumeLimits' view of the nodes' volumes.
    volumes: volumes::VolumeCache,
    /// Per namespace (indexed on first use): claim name → unscheduled pods that use it.
    waiting: HashMap<String, HashMap<String, BTreeSet<String>>>,
    /// The `PENDING` counter, kept here during a pass and written back when it ends: every pod
    /// passes through pending, and a store read and write for each was most of the watch.
    pending: StoredCount<PENDING_COUNTER>,
    /// The `NEXT_START` counter, kept the same way.
    next_start: StoredCount<NEXT_START_COUNTER>,
    /// Pods whose WaitForFirstConsumer claims were given a node in this command, by uid: as
    /// kube-scheduler's VolumeBinding waits in PreBind for those claims and then binds the pod to
    /// the node of that one cycle, a pod here is bound to its node once its claims are bound,
    /// without a second search (if the node still fits it).
    assumed: HashMap<String, String>,
}

const PENDING_COUNTER: usize = 0;
const NEXT_START_COUNTER: usize = 1;
/// The stored counters' names, by the number a [`StoredCount`] is declared with.
const COUNTERS: [&str; 2] = [PENDING, NEXT_START];

/// A stored counter (`COUNTERS[K]`), read when first needed, and whether the pass changed it.
#[derive(Default)]
struct StoredCount<const K: usize> {
    value: Option<i64>,
    changed: bool,
}

impl<const K: usize> StoredCount<K> {
    fn get(&mut self, cluster: &Cluster) -> Result<i64> {
        match self.value {
            Some(v) => Ok(v),
            None => {
                let v = cluster.counter(COUNTERS[K])?;
                self.value = Some(v);
                Ok(v)
            }
        }
    }

    fn add(&mut self, cluster: &Cluster, delta: i64) -> Result<()> {
        self.value = Some(self.get(cluster)? + delta);
        self.changed = true;
        Ok(())
    }

    fn set(&mut self, value: i64) {
        self.changed |= self.value != Some(value);
        self.value = Some(value);
    }

    /// Stores the count when the pass changed it (even back to what it was, as each change
    /// written at once would have left it).
    fn write_back(&mut self, cluster: &mut Cluster) -> Result<()> {
        if !std::mem::take(&mut self.changed) {
            return Ok(());
        }
        let stored = cluster.counter(COUNTERS[K])?;
        cluster.add_counter(COUNTERS[K], self.get(cluster)? - stored)
    }
}

/// What the scheduler decided for one pod.
enum Decision {
    Bind(String),
    /// WaitForFirstConsumer claims get the node; the pod binds once they are bound.
    SelectForClaims(String, Vec<Value>),
    Unschedulable(String),
    /// Preemption found no candidate: the pod's nomination, if any, is cleared too.
    NoCandidate(String),
    Preempt {
        node: String,
        victims: Vec<Key>,
        message: String,
    },
}

impl Controller for Scheduler {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        self.volumes.forget(change);
        match (change.key.kind, &change.object) {
            ("Pod", _) => {
                let old = change.old.as_deref().map(PodVersion::of);
                let new = change.object.as_deref().map(PodVersion::of);
                self.volumes.forget_pod(&change.key.namespace, old, new);
                self.track_claims(change, new);
                if let Some(s) = &mut self.snapshot {
                    s.apply_pod(&change.key, old, new);
                }
                let was = old.is_some_and(|p| p.unscheduled);
                let is = new.is_some_and(|p| p.unscheduled);
                if was != is {
                    self.pending.add(cluster, if is { 1 } else { -1 })?;
                }
                // A pending pod whose status alone changed (the scheduler's own condition or
                // nomination) has nothing new to be tried with.
                let status_only = was
                    && change.old.as_ref().zip(change.object.as_ref()).is_some_and(|(o, n)| {
                        o.get("spec") == n.get("spec") && o.at("metadata.labels") == n.at("metadata.labels")
                    });
                if is && !status_only {
                    queue.push(change.key.clone());
                }
                let placed_now = new.is_some_and(|p| p.occupies) && old.is_none_or(|p| !p.occupies);
                if frees_room(change) || (placed_now && self.waits_on_placed_pods(cluster)?) {
                    self.retry_pending(cluster, queue)?;
                }
            }
            ("Node", _) => {
                if let Some(s) = &mut self.snapshot {
                    s.apply_node(change);
                }
                if node_may_make_room(change) {
                    self.retry_pending(cluster, queue)?;
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
        // Most pods queued are placed by the time they are looked at; a pending one is read shared
        // with the view and copied only to be bound (its first decision only selects a node for
        // its claims).
        let Some(pod) = cluster.get_shared(key)?.filter(|p| unscheduled(p)) else { return Ok(()) };
        self.ensure_snapshot(cluster)?;
        let Some(snap) = self.snapshot.take() else { return Ok(()) };
        let decision = self.decide(cluster, &pod, &snap);
        self.snapshot = Some(snap);
        match decision? {
            Decision::Bind(node) => bind_pod(cluster, Rc::unwrap_or_clone(pod), &node),
            Decision::SelectForClaims(node, claims) => {
                self.assumed.insert(pod.uid().to_string(), node.clone());
                select_node_for_claims(cluster, claims, &node)
            }
            Decision::Unschedulable(msg) => self.unschedulable(cluster, &pod, &msg),
            Decision::NoCandidate(msg) => {
                self.unschedulable(cluster, &pod, &msg)?;
                match cluster.get(key)? {
                    Some(mut p) if !p.str_at("status.nominatedNodeName").is_empty() => {
                        if let Some(status) = p.get_mut("status").and_then(Value::as_object_mut) {
                            status.remove("nominatedNodeName");
                        }
                        cluster.update_status(p).map(|_| ())
                    }
                    _ => Ok(()),
                }
            }
            Decision::Preempt { node, victims, message } => {
                preempt_victims(cluster, &pod, &node, &victims)?;
                self.unschedulable(cluster, &pod, &message)?;
                if let Some(mut p) = cluster.get(key)? {
                    set_at(&mut p, "status.nominatedNodeName", json!(node));
                    cluster.update_status(p)?;
                }
                Ok(())
            }
        }
    }

    fn finish(&mut self, cluster: &mut Cluster) -> Result<()> {
        self.pending.write_back(cluster)?;
        self.next_start.write_back(cluster)
    }
}

/// How many feasible nodes a scheduling cycle looks for among `all` (kube-scheduler's
/// `numFeasibleNodesToFind` with the default, adaptive `percentageOfNodesToScore`): every node of
/// a small cluster, then from 50 % down to 5 % of the nodes as the cluster grows, at least 100.
fn feasible_to_find(all: usize) -> usize {
    const MIN_NODES: usize = 100;
    const MIN_PERCENT: usize = 5;
    if all < MIN_NODES {
        return all;
    }
    let percent = 50usize.saturating_sub(all / 125).max(MIN_PERCENT);
    (all * percent / 100).max(MIN_NODES)
}

/// Whether a node change can let a pending pod fit: a node coming or going, or a change of what
/// the filters read (spec: taints, unschedulable; labels; annotations; allocatable; conditions).
/// A status change of anything else (the images a node has pulled) is not, as kube-scheduler's
/// queueing skips node updates with no scheduling-relevant change.
fn node_may_make_room(change: &Change) -> bool {
    let (Some(old), Some(new)) = (&change.old, &change.object) else { return true };
    ["spec", "metadata.labels", "metadata.annotations", "status.allocatable", "status.conditions"]
        .iter()
        .any(|path| old.at(path) != new.at(path))
}

/// A pod that stops occupying its node (gone, finished) may make room. (One that only starts
/// terminating still occupies it, so its pending pods are not tried again yet, as kube-scheduler's
/// queueing hints do not.)
fn frees_room(change: &Change) -> bool {
    let Some(old) = &change.old else { return false };
    if old.str_at("spec.nodeName").is_empty() {
        return false;
    }
    match &change.object {
        None => true,
        Some(new) => {
            (matches!(new.str_at("status.phase"), "Succeeded" | "Failed")
                && !matches!(old.str_at("status.phase"), "Succeeded" | "Failed"))
                // Equal JSON is equal labels, seen without copying them (most changes).
                || (new.at("metadata.labels") != old.at("metadata.labels") && new.labels() != old.labels())
        }
    }
}

impl Scheduler {
    fn ensure_snapshot(&mut self, cluster: &mut Cluster) -> Result<()> {
        if self.snapshot.is_none() {
            self.snapshot = Some(Snapshot::build(cluster)?);
        }
        Ok(())
    }

    /// Whether some pending pod waits for other pods to be placed (only looked for when some
    /// are pending).
    fn waits_on_placed_pods(&mut self, cluster: &mut Cluster) -> Result<bool> {
        if self.pending.get(cluster)? <= 0 {
            return Ok(false);
        }
        self.ensure_snapshot(cluster)?;
        Ok(self.snapshot.as_ref().is_some_and(|s| !s.pending_on_pods.is_empty()))
    }

    /// Queues every pending pod again (only when some are pending).
    fn retry_pending(&mut self, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        if self.pending.get(cluster)? <= 0 {
            return Ok(());
        }
        self.ensure_snapshot(cluster)?;
        if let Some(s) = &self.snapshot {
            // PrioritySort: the more important pods are tried first.
            let mut keys: Vec<(&Key, i64)> = s.pending.iter().map(|(k, p)| (k, *p)).collect();
            keys.sort_by_key(|(k, p)| (std::cmp::Reverse(*p), *k));
            queue.extend(keys.into_iter().map(|(k, _)| k.clone()));
        }
        Ok(())
    }

    fn decide(&mut self, cluster: &mut Cluster, pod: &Value, snap: &Snapshot) -> Result<Decision> {
        let total = snap.nodes.len();
        if total == 0 {
            return Ok(Decision::Unschedulable("no nodes available to schedule pods".into()));
        }
        let mut volumes = Vec::new();
        let mut delayed = Vec::new();
        for claim_name in claims_of(pod) {
            match self.claim_filter(cluster, snap, pod, &claim_name)? {
                ClaimState::Ready(limits) => volumes.extend(limits),
                ClaimState::Delayed(pvc, limit) => {
                    delayed.push(pvc);
                    volumes.extend(limit);
                }
                ClaimState::Blocked(reason) => {
                    return Ok(Decision::Unschedulable(format!(
                        "0/{total} nodes are available: {reason}. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling."
                    )))
                }
            }
        }
        let incoming = Incoming::new(pod);
        let mut nominated: HashMap<String, (resources::Resources, i128)> = HashMap::new();
        for (uid, n) in &snap.nominated {
            if uid != pod.uid() && n.priority >= incoming.priority {
                let entry = nominated.entry(n.node.clone()).or_default();
                entry.0.add(&n.requests);
                entry.1 += 1;
            }
        }
        let filters = Filters {
            volumes,
            spread: spread::SpreadState::new(pod, snap),
            interpod: interpod::InterPodState::new(pod, snap),
            nominated,
            volume_checks: volumes::VolumeChecks::build(cluster, pod, snap, &mut self.volumes)?,
        };
        if let Some(node) = self.assumed_node(pod, snap, &delayed) {
            if filters.run(&incoming, node).is_empty() {
                return Ok(Decision::Bind(node.name.clone()));
            }
        }
        let (feasible, rejected) = self.filter_nodes(cluster, snap, &filters, &incoming)?;
        if let Some(node) = score::best(&incoming, snap, &feasible) {
            let name = node.name.clone();
            return Ok(if delayed.is_empty() {
                Decision::Bind(name)
            } else {
                Decision::SelectForClaims(name, delayed)
            });
        }
        let reasons: Vec<Vec<filters::Reason>> = rejected.iter().map(|(_, r)| r.clone()).collect();
        cluster.load(&PDB, None)?;
        let budgets: Vec<preempt::Budget> = cluster.iter(&PDB, None).map(preempt::Budget::of).collect();
        Ok(match preempt::preempt(&incoming, snap, &filters, &rejected, &budgets) {
            preempt::Outcome::Victims { node, victims } => {
                Decision::Preempt { node, victims, message: fit_error(total, &reasons, "") }
            }
            preempt::Outcome::Unhelpful(post) => Decision::Unschedulable(fit_error(total, &reasons, &post)),
            preempt::Outcome::NoCandidate(post) => Decision::NoCandidate(fit_error(total, &reasons, &post)),
        })
    }

    /// The node an earlier cycle of this command chose for `pod` while its claims were
    /// provisioned, once none of them waits any more (the assumption is used up either way).
    fn assumed_node<'s>(
        &mut self,
        pod: &Value,
        snap: &'s Snapshot,
        delayed: &[Value],
    ) -> Option<&'s snapshot::NodeInfo> {
        if !delayed.is_empty() {
            return None;
        }
        let node = self.assumed.remove(pod.uid())?;
        snap.nodes.get(&node)
    }

    /// Runs the filters over the nodes as kube-scheduler's `findNodesThatPassFilters` does: from
    /// where the last cycle stopped, until enough nodes fit (`feasible_to_find`), and moves the
    /// start past the nodes looked at. The nodes that fit, and those that did not with why.
    #[allow(clippy::type_complexity)]
    fn filter_nodes<'s>(
        &mut self,
        cluster: &Cluster,
        snap: &'s Snapshot,
        filters: &Filters,
        incoming: &Incoming,
    ) -> Result<(Vec<&'s snapshot::NodeInfo>, Vec<(&'s snapshot::NodeInfo, Vec<filters::Reason>)>)> {
        let nodes = snap.ordered_nodes();
        let (all, want) = (nodes.len(), feasible_to_find(nodes.len()));
        let start = if want < all { usize::try_from(self.next_start.get(cluster)?).unwrap_or(0) % all } else { 0 };
        let (mut feasible, mut rejected) = (Vec::new(), Vec::new());
        for i in 0..all {
            let node = nodes[(start + i) % all];
            let why = filters.run(incoming, node);
            if !why.is_empty() {
                rejected.push((node, why));
            } else if feasible.len() < want {
                feasible.push(node);
            } else {
                // One node more than needed fits: the search stops there, not counting it.
                break;
            }
        }
        if want < all {
            let processed = feasible.len() + rejected.len();
            self.next_start.set(i64::try_from((start + processed) % all).unwrap_or(0));
        }
        Ok((feasible, rejected))
    }

    /// Keeps the claim index current with one pod change (to `new`).
    fn track_claims(&mut self, change: &Change, new: Option<PodVersion>) {
        if let Some(claims) = self.waiting.get_mut(&change.key.namespace) {
            if let Some(old) = &change.old {
                for c in claims_of(old) {
                    if let Some(pods) = claims.get_mut(&c) {
                        pods.remove(&change.key.name);
                    }
                }
            }
            if let Some(pod) = new.filter(|p| p.unscheduled) {
                for c in claims_of(pod.pod) {
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
}

enum ClaimState {
    Ready(Vec<VolumeLimit>),
    Delayed(Value, Option<VolumeLimit>),
    Blocked(String),
}

const VOLUME_CONFLICT: &str = "node(s) had volume node affinity conflict";
const VOLUME_ZONE: &str = "node(s) had no available volume zone";
const NO_VOLUME: &str = "node(s) didn't find available persistent volumes to bind";

impl Scheduler {
    /// The nodes a claim allows (VolumeBinding, VolumeZone), or why the pod cannot be placed now.
    fn claim_filter(&mut self, cluster: &mut Cluster, snap: &Snapshot, pod: &Value, name: &str) -> Result<ClaimState> {
        let is_ephemeral = ephemeral::is_ephemeral_claim(pod, name);
        let Some(pvc) = cluster.get_ref(&Key::new(&PVC, pod.namespace(), name))? else {
            // Normal for a new pod with ephemeral volumes: their claims come a moment later.
            return Ok(ClaimState::Blocked(if is_ephemeral {
                format!("waiting for ephemeral volume controller to create the persistentvolumeclaim \"{name}\"")
            } else {
                format!("persistentvolumeclaim \"{name}\" not found")
            }));
        };
        if pvc.is_deleting() {
            return Ok(ClaimState::Blocked(format!("persistentvolumeclaim \"{name}\" is being deleted")));
        }
        if let Some(reason) = is_ephemeral.then(|| ephemeral::not_for_pod(pod, pvc)).flatten() {
            return Ok(ClaimState::Blocked(reason));
        }
        if pvc.str_at("status.phase") == "Bound" {
            let volume = pvc.str_at("spec.volumeName").to_string();
            return Ok(ClaimState::Ready(volume_limits(cluster, snap, &volume)?));
        }
        let pvc = pvc.clone();
        let class = cluster.get_ref(&Key::new(&STORAGECLASS, "", pvc.str_at("spec.storageClassName")))?;
        let delayed = class.is_some_and(|c| c.str_at("volumeBindingMode") == "WaitForFirstConsumer");
        if !delayed {
            return Ok(ClaimState::Blocked("pod has unbound immediate PersistentVolumeClaims".to_string()));
        }
        // Already given a node: wait for the provisioner, on that node.
        if let Some(node) = pvc.annotation(SELECTED_NODE) {
            let limit = VolumeLimit { allowed: Allowed::Node(node.to_string()), reason: NO_VOLUME };
            return Ok(ClaimState::Delayed(pvc, Some(limit)));
        }
        // The class provisions only where its allowed topologies say (VolumeBinding's
        // checkVolumeProvisions): other nodes find no volume.
        let allowed = class.map(|c| c.array_at("allowedTopologies")).filter(|t| !t.is_empty());
        let limit = allowed.map(|topologies| {
            let key = format!("topologies {}", Value::Array(topologies.to_vec()));
            let slots = snap.known_nodes(&key).unwrap_or_else(|| {
                let terms = terms::topology_terms(topologies);
                snap.nodes_where(&key, |n| terms::selector_matches(&terms, &n.name, &n.labels))
            });
            VolumeLimit { allowed: Allowed::Slots(slots), reason: NO_VOLUME }
        });
        Ok(ClaimState::Delayed(pvc, limit))
    }

    fn unschedulable(&mut self, cluster: &mut Cluster, pod: &Value, msg: &str) -> Result<()> {
        if !self.reported.insert((pod.uid().to_string(), msg.to_string())) {
            return Ok(());
        }
        cluster.warning(pod, SCHEDULER, "FailedScheduling", msg)?;
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

/// The nodes a bound volume allows (VolumeBinding, VolumeZone): its node affinity and its zones.
fn volume_limits(cluster: &mut Cluster, snap: &Snapshot, volume: &str) -> Result<Vec<VolumeLimit>> {
    let mut limits = Vec::new();
    let Some(pv) = cluster.get_ref(&Key::new(&PV, "", volume))? else { return Ok(limits) };
    let affinity = pv.at(AFFINITY_TERMS).filter(|t| t.as_array().is_some_and(|a| !a.is_empty()));
    if let Some(json) = affinity {
        // The terms' JSON names the test: the volumes of one zone share it.
        let key = format!("affinity {json}");
        // The terms are read only for a test not already worked out.
        let slots = snap.known_nodes(&key).unwrap_or_else(|| {
            let terms = terms::selector_terms(pv.array_at(AFFINITY_TERMS));
            snap.nodes_where(&key, |n| terms::selector_matches(&terms, &n.name, &n.labels))
        });
        limits.push(VolumeLimit { allowed: Allowed::Slots(slots), reason: VOLUME_CONFLICT });
    }
    let zone = pv.at("metadata.labels").and_then(|l| l.get(ZONE_LABEL)).and_then(Value::as_str);
    if let Some(zone) = zone {
        let zones: Vec<&str> = zone.split("__").collect();
        let in_zone = |n: &snapshot::NodeInfo| n.labels.get(ZONE_LABEL).is_some_and(|z| zones.contains(&z.as_str()));
        let slots = snap.nodes_where(&format!("zone {zone}"), in_zone);
        limits.push(VolumeLimit { allowed: Allowed::Slots(slots), reason: VOLUME_ZONE });
    }
    Ok(limits)
}

const AFFINITY_TERMS: &str = "spec.nodeAffinity.required.nodeSelectorTerms";
const ZONE_LABEL: &str = "topology.kubernetes.io/zone";

/// Evicts the chosen lower-priority pods: a DisruptionTarget condition, a `Preempted` event, then
/// graceful deletion.
fn preempt_victims(cluster: &mut Cluster, pod: &Value, node: &str, victims: &[Key]) -> Result<()> {
    for key in victims {
        let Some(mut victim) = cluster.get(key)? else { continue };
        let mut conditions = victim.array_at("status.conditions").to_vec();
        conditions.retain(|c| c.str_at("type") != "DisruptionTarget");
        conditions.push(json!({"lastProbeTime": null, "lastTransitionTime": cluster.clock.now_rfc3339(),
            "message": "default-scheduler: preempting to accommodate a higher priority pod",
            "reason": "PreemptionByScheduler", "status": "True", "type": "DisruptionTarget"}));
        set_at(&mut victim, "status.conditions", Value::Array(conditions));
        let victim = cluster.update_status(victim)?;
        let msg = format!("Preempted by pod {} on node {node}", pod.uid());
        cluster.normal(&victim, SCHEDULER, "Preempted", &msg)?;
        cluster.delete(key, Propagation::Background, None)?;
    }
    Ok(())
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
    if let Some(status) = pod.get_mut("status").and_then(Value::as_object_mut) {
        status.remove("nominatedNodeName");
    }
    let pod = cluster.update_status(pod)?;
    let msg = format!("Successfully assigned {}/{} to {node}", pod.namespace(), pod.name());
    cluster.normal(&pod, SCHEDULER, "Scheduled", &msg)
}

#[cfg(test)]
mod tests {
    use super::feasible_to_find;

    #[test]
    fn small_clusters_are_searched_whole_and_large_ones_in_part() {
        // kube-scheduler's numFeasibleNodesToFind: below 100 nodes all; 50 % less 1 % per 125
        // nodes, at least 5 % and at least 100 nodes.
        assert_eq!(feasible_to_find(0), 0);
        assert_eq!(feasible_to_find(99), 99);
        assert_eq!(feasible_to_find(100), 100);
        assert_eq!(feasible_to_find(204), 100);
        assert_eq!(feasible_to_find(250), 120);
        assert_eq!(feasible_to_find(1000), 420);
        assert_eq!(feasible_to_find(5000), 500);
        assert_eq!(feasible_to_find(6000), 300);
    }
}
