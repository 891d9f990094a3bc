//! kube-scheduler v1.32's default filters, in their order, each with its exact reason. A node
//! fails at its first failing plugin; NodeResourcesFit names every resource that is short.

use std::borrow::Cow;
use std::rc::Rc;

use foldhash::{HashMap, HashSet, HashSetExt};
use serde_json::Value;

use super::interpod::InterPodState;
use super::resources::{insufficient, pod_requests, Resources};
use super::snapshot::NodeInfo;
use super::spread::SpreadState;
use super::terms::{taint_text, tolerated, untolerated_taint, NodeAffinity};
use crate::api::ObjectExt;

/// Why a node cannot take the pod. `unresolvable` nodes are not helped by preemption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// Most reasons are fixed texts, given for most of the nodes a pod is tried on: borrowed.
    pub text: Cow<'static, str>,
    pub unresolvable: bool,
}

impl Reason {
    fn uau(text: impl Into<Cow<'static, str>>) -> Reason {
        Reason { text: text.into(), unresolvable: true }
    }
    fn u(text: impl Into<Cow<'static, str>>) -> Reason {
        Reason { text: text.into(), unresolvable: false }
    }
}

/// The pod being scheduled, with what the filters ask of it computed once.
pub struct Incoming<'a> {
    pub pod: &'a Value,
    pub requests: Resources,
    pub tolerations: &'a [Value],
    pub ports: HashSet<(i64, String)>,
    pub priority: i64,
    pub node_affinity: NodeAffinity<'a>,
}

impl<'a> Incoming<'a> {
    pub fn new(pod: &'a Value) -> Incoming<'a> {
        Incoming {
            pod,
            requests: pod_requests(pod, false),
            tolerations: pod.array_at("spec.tolerations"),
            ports: super::super::kubelet::host_ports(pod),
            priority: pod.i64_at("spec.priority").unwrap_or(0),
            node_affinity: NodeAffinity::of(pod),
        }
    }
}

/// What the pod's volumes allow: nodes outside `allowed` fail with `reason`.
pub struct VolumeLimit {
    pub allowed: Allowed,
    pub reason: &'static str,
}

/// The nodes a volume allows.
pub enum Allowed {
    /// By node slot ([`Snapshot::nodes_where`]): the volume's node affinity or its zones.
    ///
    /// [`Snapshot::nodes_where`]: super::snapshot::Snapshot::nodes_where
    Slots(Rc<[bool]>),
    /// The one node the claim was given.
    Node(String),
}

impl VolumeLimit {
    fn allows(&self, node: &NodeInfo) -> bool {
        match &self.allowed {
            Allowed::Slots(slots) => slots.get(node.slot).copied().unwrap_or(false),
            Allowed::Node(name) => node.name == *name,
        }
    }
}

pub struct Filters<'a> {
    pub volumes: Vec<VolumeLimit>,
    pub spread: SpreadState,
    pub interpod: InterPodState<'a>,
    /// Per node: what the pending pods nominated there with at least the incoming pod's
    /// priority request, and how many they are (`RunFilterPluginsWithNominatedPods`).
    pub nominated: HashMap<String, (Resources, i128)>,
    pub volume_checks: super::volumes::VolumeChecks,
}

const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";

impl Filters<'_> {
    /// The reasons the node fails, from its first failing plugin; empty when it fits.
    pub fn run(&self, pod: &Incoming, node: &NodeInfo) -> Vec<Reason> {
        self.check(pod, node, &HashSet::new())
    }

    /// As `run`, with the pods `removed` (uids of the node's pods) gone, as preemption's dry run
    /// sees the node. Removing pods changes what NodePorts and NodeResourcesFit see; spreading and
    /// inter-pod affinity are judged as with the pods in place.
    pub fn check(&self, pod: &Incoming, node: &NodeInfo, removed: &HashSet<&str>) -> Vec<Reason> {
        // NodeUnschedulable
        if node.unschedulable {
            let taint = serde_json::json!({"key": UNSCHEDULABLE_TAINT, "effect": "NoSchedule"});
            if !tolerated(pod.tolerations, &taint) {
                return vec![Reason::uau("node(s) were unschedulable")];
            }
        }
        // TaintToleration
        if let Some(taint) = untolerated_taint(&node.taints, pod.tolerations) {
            return vec![Reason::uau(format!("node(s) had untolerated taint {}", taint_text(taint)))];
        }
        // NodeAffinity
        if !pod.node_affinity.matches(&node.name, &node.labels) {
            return vec![Reason::uau("node(s) didn't match Pod's node affinity/selector")];
        }
        // NodePorts
        let taken = |(uid, p): (&String, &super::snapshot::PlacedPod)| {
            !removed.contains(uid.as_str()) && !p.ports.is_disjoint(&pod.ports)
        };
        if !pod.ports.is_empty() && node.pods.iter().any(taken) {
            return vec![Reason::u("node(s) didn't have free ports for the requested pod ports")];
        }
        // NodeResourcesFit
        let mut requested = node.requested.clone();
        let mut count = node.pod_count();
        // Only preemption's dry run removes pods; a plain filter need not walk the node's pods.
        for uid in removed {
            if let Some(p) = node.pods.get(*uid) {
                requested.sub(&p.requests);
                count -= 1;
            }
        }
        if let Some((r, n)) = self.nominated.get(&node.name) {
            requested.add(r);
            count += n;
        }
        let short = insufficient(&pod.requests, &requested, &node.allocatable, count);
        if !short.is_empty() {
            return short.into_iter().map(Reason::u).collect();
        }
        // VolumeRestrictions, NodeVolumeLimits
        if let Some(r) = self.volume_checks.filter(node) {
            return vec![r];
        }
        // VolumeBinding, VolumeZone
        for v in &self.volumes {
            if !v.allows(node) {
                return vec![Reason::uau(v.reason)];
            }
        }
        // PodTopologySpread
        if let Some(r) = self.spread.filter(node) {
            return vec![r];
        }
        // InterPodAffinity
        if let Some(r) = self.interpod.filter(node) {
            return vec![r];
        }
        Vec::new()
    }
}

/// The FitError text: `0/N nodes are available: <count> <reason>, ...` with the reasons sorted
/// as plain strings, then the PostFilter (preemption) message.
pub fn fit_error(total: usize, reasons: &[Vec<Reason>], post_filter: &str) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for r in reasons.iter().flatten() {
        *counts.entry(&r.text).or_default() += 1;
    }
    let mut parts: Vec<String> = counts.iter().map(|(text, n)| format!("{n} {text}")).collect();
    parts.sort();
    let mut msg = format!("0/{total} nodes are available: {}.", parts.join(", "));
    if !post_filter.is_empty() {
        msg.push(' ');
        msg.push_str(post_filter);
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_counted_and_sorted_as_strings() {
        let r = |t: &'static str| Reason::u(t);
        let reasons = vec![
            vec![r("Insufficient cpu")],
            vec![r("Insufficient cpu"), r("Insufficient memory")],
            vec![Reason::uau("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }")],
        ];
        assert_eq!(
            fit_error(3, &reasons, "preemption: x"),
            "0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: x"
        );
        let many: Vec<Vec<Reason>> =
            (0..12).map(|i| vec![r(if i < 10 { "Too many pods" } else { "Insufficient cpu" })]).collect();
        assert_eq!(fit_error(12, &many, ""), "0/12 nodes are available: 10 Too many pods, 2 Insufficient cpu.");
    }
}
