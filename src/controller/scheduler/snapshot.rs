//! The scheduler's view of the cluster: every node with what its pods request, built once per
//! command and then kept current from the change stream, as kube-scheduler's cache is.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use foldhash::{HashMap, HashMapExt, HashSet};
use serde_json::Value;

use super::resources::{pod_requests, Resources};
use super::terms::{pod_terms, PodTerm};
use crate::api::kinds::{NODE, POD};
use crate::api::object::Labels;
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, Key};
use crate::Result;

/// What the scheduler remembers of a pod placed on a node.
#[derive(Debug)]
pub struct PlacedPod {
    pub key: Key,
    pub labels: Labels,
    pub priority: i64,
    pub requests: Resources,
    pub non_zero: Resources,
    pub ports: HashSet<(i64, String)>,
    pub anti_required: Vec<PodTerm>,
    pub anti_preferred: Vec<PodTerm>,
    pub affinity_preferred: Vec<PodTerm>,
    /// The uid of its controller (spreading pods of one owner is the default constraint).
    pub owner: String,
    pub deleting: bool,
    /// Terminating because the scheduler preempted it (`DisruptionTarget`, PreemptionByScheduler).
    pub preempted: bool,
    /// `status.startTime` (seconds), else the creation time: the earlier, the more important.
    pub start: i64,
}

impl PlacedPod {
    pub fn of(pod: &Value) -> PlacedPod {
        let (anti_required, anti_preferred) = pod_terms(pod, "podAntiAffinity");
        let (_, affinity_preferred) = pod_terms(pod, "podAffinity");
        PlacedPod {
            key: Key::new(&POD, pod.namespace(), pod.name()),
            labels: pod.labels(),
            priority: pod.i64_at("spec.priority").unwrap_or(0),
            requests: pod_requests(pod, false),
            non_zero: pod_requests(pod, true),
            ports: super::super::kubelet::host_ports(pod),
            anti_required,
            anti_preferred,
            affinity_preferred,
            owner: crate::api::object::index_ref(pod).to_string(),
            deleting: pod.is_deleting(),
            preempted: pod.is_deleting()
                && pod.array_at("status.conditions").iter().any(|c| {
                    c.str_at("type") == "DisruptionTarget"
                        && c.str_at("status") == "True"
                        && c.str_at("reason") == "PreemptionByScheduler"
                }),
            start: start_of(pod),
        }
    }
}

/// How a pod's [`PlacedPod`] differs between two versions of it.
#[derive(PartialEq)]
enum Placement {
    /// Both occupy the same node, with the same [`PlacedPod`] (most changes: the pod's status).
    Same,
    /// The same but for the start time (the kubelet starting the pod).
    Started,
    /// Anything else: the pod is placed again.
    Moved,
}

/// Compares what `PlacedPod::of` reads of two versions of a pod.
fn placement(old: PodVersion, new: PodVersion) -> Placement {
    let (occupied, old, new) = (old.occupies && new.occupies, old.pod, new.pod);
    let same = |path: &str| old.at(path) == new.at(path);
    let alike = occupied
        && old.uid() == new.uid()
        && same("spec")
        && same("metadata.labels")
        && same("metadata.ownerReferences")
        && same("metadata.deletionTimestamp")
        && same("metadata.creationTimestamp")
        && (!old.is_deleting() || same("status.conditions"));
    match (alike, same("status.startTime")) {
        (true, true) => Placement::Same,
        (true, false) => Placement::Started,
        (false, _) => Placement::Moved,
    }
}

/// `status.startTime` (seconds), else the creation time.
fn start_of(pod: &Value) -> i64 {
    pod.time_at("status.startTime").or_else(|| pod.created()).unwrap_or(0)
}

/// A pending pod nominated to a node by preemption: the scheduler keeps room for it there.
#[derive(Debug)]
pub struct Nominated {
    pub node: String,
    pub priority: i64,
    pub requests: Resources,
}

#[derive(Debug)]
pub struct NodeInfo {
    pub name: String,
    /// The node's place in the snapshot's per-node tables (`Topology`, `Snapshot::owned_by`),
    /// kept while the node lives.
    pub slot: usize,
    pub labels: Labels,
    pub taints: Vec<Value>,
    pub unschedulable: bool,
    pub allocatable: Resources,
    pub requested: Resources,
    pub non_zero: Resources,
    pub pods: BTreeMap<String, PlacedPod>,
    /// Pods with required anti-affinity terms (every incoming pod is checked against those).
    pub anti_holders: usize,
}

impl NodeInfo {
    fn of(node: &Value, slot: usize) -> NodeInfo {
        NodeInfo {
            name: node.name().to_string(),
            slot,
            labels: node.labels(),
            taints: node.array_at("spec.taints").to_vec(),
            unschedulable: node.at("spec.unschedulable").and_then(Value::as_bool).unwrap_or(false),
            allocatable: Resources::from_list(node.at("status.allocatable")),
            requested: Resources::default(),
            non_zero: Resources::default(),
            pods: BTreeMap::new(),
            anti_holders: 0,
        }
    }

    /// Adds a pod (the snapshot has taken away any earlier version of it).
    fn add(&mut self, uid: &str, p: PlacedPod) {
        self.requested.add(&p.requests);
        self.non_zero.add(&p.non_zero);
        self.count(&p, 1);
        self.pods.insert(uid.to_string(), p);
    }

    fn remove(&mut self, uid: &str) -> Option<PlacedPod> {
        let p = self.pods.remove(uid)?;
        self.requested.sub(&p.requests);
        self.non_zero.sub(&p.non_zero);
        self.count(&p, -1);
        Some(p)
    }

    fn count(&mut self, p: &PlacedPod, delta: i64) {
        if !p.anti_required.is_empty() {
            self.anti_holders = self.anti_holders.saturating_add_signed(delta as isize);
        }
    }

    pub fn pod_count(&self) -> i128 {
        self.pods.len() as i128
    }
}

/// Counts a pod in its controller's per-node counts (pods being deleted are not counted).
fn count_owned(owned: &mut HashMap<String, Vec<i64>>, p: &PlacedPod, slot: usize, delta: i64) {
    if p.deleting || p.owner.is_empty() {
        return;
    }
    let counts = match owned.get_mut(&p.owner) {
        Some(counts) => counts,
        None => owned.entry(p.owner.clone()).or_default(),
    };
    if counts.len() <= slot {
        counts.resize(slot + 1, 0);
    }
    counts[slot] += delta;
}

/// One version of a pod in a change, with where it stands read once: the snapshot, the volume
/// cache and the pending count all ask, of every pod change.
#[derive(Clone, Copy)]
pub struct PodVersion<'a> {
    pub pod: &'a Value,
    pub node: &'a str,
    /// [`occupies`]
    pub occupies: bool,
    /// [`unscheduled`]
    pub unscheduled: bool,
}

impl<'a> PodVersion<'a> {
    pub fn of(pod: &'a Value) -> PodVersion<'a> {
        let node = pod.str_at("spec.nodeName");
        let phase = pod.str_at("status.phase");
        PodVersion {
            pod,
            node,
            occupies: !node.is_empty() && !matches!(phase, "Succeeded" | "Failed"),
            // A pod with scheduling gates never enters the scheduling queue (the SchedulingGates
            // PreEnqueue plugin) until its gates are removed.
            unscheduled: node.is_empty()
                && phase == "Pending"
                && !pod.is_deleting()
                && pod.array_at("spec.schedulingGates").is_empty(),
        }
    }
}

/// Does a pod occupy its node (bound and not finished)?
fn occupies(pod: &Value) -> bool {
    PodVersion::of(pod).occupies
}

/// Whether the pod's filters read where other pods are placed, so that one more placed pod can
/// let it fit (kube-scheduler requeues such pods when a pod is assigned): required pod affinity or
/// a `DoNotSchedule` topology spread constraint.
fn placed_pods_matter(pod: &Value) -> bool {
    let affinity = pod.at("spec.affinity").and_then(|a| a.get("podAffinity"));
    affinity.is_some_and(|a| !a.array_at("requiredDuringSchedulingIgnoredDuringExecution").is_empty())
        || pod
            .array_at("spec.topologySpreadConstraints")
            .iter()
            .any(|c| c.str_at("whenUnsatisfiable") != "ScheduleAnyway")
}

/// The nomination of a pending pod, if it has one.
fn nominated(pod: &Value) -> Option<(String, Nominated)> {
    let node = pod.str_at("status.nominatedNodeName");
    if node.is_empty() || !unscheduled(pod) {
        return None;
    }
    let n = Nominated {
        node: node.to_string(),
        priority: pod.i64_at("spec.priority").unwrap_or(0),
        requests: pod_requests(pod, false),
    };
    Some((pod.uid().to_string(), n))
}

/// A pod the scheduler still has to place.
pub fn unscheduled(pod: &Value) -> bool {
    PodVersion::of(pod).unscheduled
}

/// The domains of one topology key over the nodes: each node's domain (by slot), numbered from
/// 0 by label value, if the node has the label.
#[derive(Debug)]
pub struct Topology {
    of_node: Vec<Option<usize>>,
    pub domains: usize,
}

impl Topology {
    fn of(nodes: &BTreeMap<String, NodeInfo>, slots: usize, key: &str) -> Topology {
        let mut numbers: HashMap<&str, usize> = HashMap::new();
        let mut of_node = vec![None; slots];
        for n in nodes.values() {
            let (Some(value), Some(domain)) = (n.labels.get(key), of_node.get_mut(n.slot)) else { continue };
            let next = numbers.len();
            *domain = Some(*numbers.entry(value.as_str()).or_insert(next));
        }
        Topology { of_node, domains: numbers.len() }
    }

    /// The domain of a node, if it has the label.
    pub fn domain(&self, node: &NodeInfo) -> Option<usize> {
        self.of_node.get(node.slot).copied().flatten()
    }
}

#[derive(Default)]
pub struct Snapshot {
    pub nodes: BTreeMap<String, NodeInfo>,
    /// The node each placed pod (by uid) is counted on.
    placed: HashMap<String, String>,
    /// Pods waiting to be scheduled, with their priority.
    pub pending: BTreeMap<Key, i64>,
    /// The pending pods a filter judges by other pods' places (required pod affinity, hard
    /// topology spreading): a pod being placed may let them fit.
    pub pending_on_pods: HashSet<Key>,
    /// Pending pods with a `status.nominatedNodeName`, by uid.
    pub nominated: HashMap<String, Nominated>,
    /// Per controller uid: its pods not being deleted on each node, by node slot (the default
    /// spreading reads one owner's counts on every node for each pod it scores).
    owned: HashMap<String, Vec<i64>>,
    /// The slot the next new node gets.
    next_slot: usize,
    /// The nodes' domains by topology key, numbered when first asked for (until a node changes).
    topologies: RefCell<HashMap<String, Rc<Topology>>>,
    /// The nodes (by slot) that pass a test of their name and labels, by the test's key, worked
    /// out when first asked for (until a node changes).
    node_sets: RefCell<HashMap<String, Rc<[bool]>>>,
    /// [`Snapshot::ordered_nodes`] as positions in name order, worked out when first asked for
    /// (until a node comes, goes or changes its labels).
    order: RefCell<Option<Rc<[usize]>>>,
}

/// The node tree's zone of a node: its region and zone labels (none: the zone "").
fn zone_key(node: &NodeInfo) -> (&str, &str) {
    let label = |k: &str| node.labels.get(k).map_or("", String::as_str);
    (label("topology.kubernetes.io/region"), label("topology.kubernetes.io/zone"))
}

/// Positions of `nodes` (in name order) taken one per zone in turn.
fn zone_interleaved(nodes: &[&NodeInfo]) -> Rc<[usize]> {
    let mut zones: Vec<((&str, &str), Vec<usize>)> = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        let key = zone_key(n);
        match zones.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(i),
            None => zones.push((key, vec![i])),
        }
    }
    let longest = zones.iter().map(|(_, m)| m.len()).max().unwrap_or(0);
    (0..longest).flat_map(|round| zones.iter().filter_map(move |(_, m)| m.get(round).copied())).collect()
}

impl Snapshot {
    pub fn build(cluster: &mut Cluster) -> Result<Snapshot> {
        let mut s = Snapshot::default();
        cluster.load(&NODE, None)?;
        for n in cluster.iter(&NODE, None) {
            s.nodes.insert(n.name().to_string(), NodeInfo::of(n, s.next_slot));
            s.next_slot += 1;
        }
        cluster.load(&POD, None)?;
        let pods: Vec<(String, String, PlacedPod, bool, Key)> = cluster
            .iter(&POD, None)
            .map(|p| {
                let key = Key::new(&POD, p.namespace(), p.name());
                (p.uid().to_string(), p.str_at("spec.nodeName").to_string(), PlacedPod::of(p), occupies(p), key)
            })
            .collect();
        let pending: Vec<(Key, i64)> = cluster
            .iter(&POD, None)
            .filter(|p| unscheduled(p))
            .filter_map(|p| Some((Key::of(p)?, p.i64_at("spec.priority").unwrap_or(0))))
            .collect();
        s.pending.extend(pending);
        let on_pods: Vec<Key> =
            cluster.iter(&POD, None).filter(|p| unscheduled(p) && placed_pods_matter(p)).filter_map(Key::of).collect();
        s.pending_on_pods.extend(on_pods);
        let nominated: Vec<(String, Nominated)> = cluster.iter(&POD, None).filter_map(nominated).collect();
        s.nominated.extend(nominated);
        for (uid, node, placed, occ, _) in pods {
            if occ {
                s.place(&uid, &node, placed);
            }
        }
        Ok(s)
    }

    fn place(&mut self, uid: &str, node: &str, p: PlacedPod) {
        self.unplace(uid);
        if let Some(n) = self.nodes.get_mut(node) {
            count_owned(&mut self.owned, &p, n.slot, 1);
            n.add(uid, p);
        }
        self.placed.insert(uid.to_string(), node.to_string());
    }

    fn unplace(&mut self, uid: &str) {
        let Some(node) = self.placed.remove(uid) else { return };
        let Some(n) = self.nodes.get_mut(&node) else { return };
        if let Some(p) = n.remove(uid) {
            count_owned(&mut self.owned, &p, n.slot, -1);
        }
    }

    /// Gives a placed pod its new start time, in place (nothing else `PlacedPod::of` reads
    /// changed). False when the pod is not on the node it was placed on.
    fn restart(&mut self, pod: &Value) -> bool {
        let uid = pod.uid();
        let placed = self.placed.get(uid).and_then(|node| self.nodes.get_mut(node)).and_then(|n| n.pods.get_mut(uid));
        match placed {
            Some(p) => {
                p.start = start_of(pod);
                true
            }
            None => false,
        }
    }

    /// The pods of a controller (not being deleted) on each node, by node slot; a slot past the
    /// end has none.
    pub fn owned_by(&self, owner: &str) -> &[i64] {
        self.owned.get(owner).map_or(&[], Vec::as_slice)
    }

    /// How many slots nodes have been given: a new node takes a new one.
    pub fn slots(&self) -> usize {
        self.next_slot
    }

    /// The domains of the topology `key` over the nodes.
    pub fn topology(&self, key: &str) -> Rc<Topology> {
        let mut topologies = self.topologies.borrow_mut();
        if let Some(t) = topologies.get(key) {
            return t.clone();
        }
        let t = Rc::new(Topology::of(&self.nodes, self.next_slot, key));
        topologies.insert(key.to_string(), t.clone());
        t
    }

    /// The nodes (by slot) that pass the test named `key`, if already worked out.
    pub fn known_nodes(&self, key: &str) -> Option<Rc<[bool]>> {
        self.node_sets.borrow().get(key).cloned()
    }

    /// Which nodes (by slot) pass `test`, a test of a node's name and labels only, named by `key`
    /// (tests of the same key must agree). The volumes of a set's pods lie in a few zones: each
    /// pod's volume affinity is then matched against the nodes once per zone, not once per pod.
    pub fn nodes_where(&self, key: &str, test: impl Fn(&NodeInfo) -> bool) -> Rc<[bool]> {
        let mut sets = self.node_sets.borrow_mut();
        if let Some(set) = sets.get(key) {
            return set.clone();
        }
        let mut set = vec![false; self.next_slot];
        for n in self.nodes.values() {
            if let Some(passes) = set.get_mut(n.slot) {
                *passes = test(n);
            }
        }
        let set: Rc<[bool]> = set.into();
        sets.insert(key.to_string(), set.clone());
        set
    }

    /// Keeps the snapshot current with one change of the pod `key`, from `old` to `new`.
    pub fn apply_pod(&mut self, key: &Key, old: Option<PodVersion>, new: Option<PodVersion>) {
        // Most changes of a placed pod are its status: it stays as it was placed.
        let placement = match (old, new) {
            (Some(old), Some(new)) => placement(old, new),
            _ => Placement::Moved,
        };
        // A pod the kubelet starts keeps its place with a new start time, unless it is not where
        // it was counted (its node went): then it is placed again, as any move.
        let moved = match placement {
            Placement::Same => false,
            Placement::Started => !new.is_some_and(|new| self.restart(new.pod)),
            Placement::Moved => true,
        };
        if let Some(old) = old.filter(|_| moved) {
            self.unplace(old.pod.uid());
        }
        self.pending.remove(key);
        self.pending_on_pods.remove(key);
        if let Some(old) = old {
            self.nominated.remove(old.pod.uid());
        }
        if let Some((uid, n)) = new.and_then(|new| nominated(new.pod)) {
            self.nominated.insert(uid, n);
        }
        if let Some(new) = new {
            if moved && new.occupies {
                self.place(new.pod.uid(), new.node, PlacedPod::of(new.pod));
            }
            if new.unscheduled {
                self.pending.insert(key.clone(), new.pod.i64_at("spec.priority").unwrap_or(0));
                if placed_pods_matter(new.pod) {
                    self.pending_on_pods.insert(key.clone());
                }
            }
        }
    }

    /// Forgets what was worked out from the nodes' names and labels.
    fn forget_node_tables(&mut self) {
        self.topologies.get_mut().clear();
        self.node_sets.get_mut().clear();
        *self.order.get_mut() = None;
    }

    /// The nodes in the order kube-scheduler's node tree lists them: one node of each zone in
    /// turn (zones in the order their first node comes, nodes of a zone by name), so that the
    /// nodes a sampled scheduling cycle looks at are spread over the zones.
    pub fn ordered_nodes(&self) -> Vec<&NodeInfo> {
        let all: Vec<&NodeInfo> = self.nodes.values().collect();
        let order = self.order.borrow_mut().get_or_insert_with(|| zone_interleaved(&all)).clone();
        order.iter().filter_map(|&i| all.get(i).copied()).collect()
    }

    /// Keeps the snapshot current with one change of a node.
    pub fn apply_node(&mut self, change: &Change) {
        match &change.object {
            Some(node) => {
                let mut info = NodeInfo::of(node, self.next_slot);
                match self.nodes.remove(node.name()) {
                    Some(old) => {
                        // The cached domains, node sets and order read names and labels only: a
                        // node's status (its images, most updates) leaves them as they are.
                        if old.labels != info.labels {
                            self.forget_node_tables();
                        }
                        info.slot = old.slot;
                        info.requested = old.requested;
                        info.non_zero = old.non_zero;
                        info.pods = old.pods;
                        info.anti_holders = old.anti_holders;
                    }
                    None => {
                        self.next_slot += 1;
                        self.forget_node_tables();
                    }
                }
                self.nodes.insert(info.name.clone(), info);
            }
            None => {
                self.forget_node_tables();
                // The node's pods go with it (a node of the same name later starts empty).
                if let Some(old) = self.nodes.remove(&change.key.name) {
                    for p in old.pods.values() {
                        count_owned(&mut self.owned, p, old.slot, -1);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(name: &str, zone: &str) -> NodeInfo {
        NodeInfo::of(&json!({"metadata": {"name": name, "labels": {"topology.kubernetes.io/zone": zone}}}), 0)
    }

    #[test]
    fn nodes_are_listed_one_zone_at_a_time() {
        let nodes =
            [node("a1", "a"), node("a2", "a"), node("a3", "a"), node("b1", "b"), node("c1", "c"), node("c2", "c")];
        let refs: Vec<&NodeInfo> = nodes.iter().collect();
        let order: Vec<&str> = zone_interleaved(&refs).iter().map(|&i| refs[i].name.as_str()).collect();
        assert_eq!(order, ["a1", "b1", "c1", "a2", "c2", "a3"]);
    }
}
