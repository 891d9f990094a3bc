//! InterPodAffinity: the incoming pod's required affinity and anti-affinity, and the required
//! anti-affinity of pods already placed, counted per topology pair as kube-scheduler does.

use foldhash::HashMap;
use serde_json::Value;

use super::filters::Reason;
use super::snapshot::{NodeInfo, Snapshot};
use super::terms::{pod_terms, PodTerm};
use crate::api::object::Labels;
use crate::api::ObjectExt;

type Pairs = HashMap<(String, String), i64>;

pub struct InterPodState<'a> {
    affinity: Vec<PodTerm>,
    anti: Vec<PodTerm>,
    affinity_counts: Pairs,
    anti_counts: Pairs,
    existing_anti: Pairs,
    /// The pod matches all its own affinity terms (the first of a group may go anywhere).
    self_affine: bool,
    _pod: &'a Value,
}

fn bump(m: &mut Pairs, node: &NodeInfo, key: &str) {
    if let Some(v) = node.labels.get(key) {
        *m.entry((key.to_string(), v.clone())).or_default() += 1;
    }
}

impl<'a> InterPodState<'a> {
    pub fn new(pod: &'a Value, snap: &Snapshot) -> InterPodState<'a> {
        let (affinity, _) = pod_terms(pod, "podAffinity");
        let (anti, _) = pod_terms(pod, "podAntiAffinity");
        let labels: Labels = pod.labels();
        let ns = pod.namespace();
        let (mut affinity_counts, mut anti_counts, mut existing_anti) =
            (Pairs::default(), Pairs::default(), Pairs::default());
        // Only pods with required anti-affinity matter to a pod without terms of its own.
        let own_terms = !affinity.is_empty() || !anti.is_empty();
        for node in snap.nodes.values().filter(|n| own_terms || n.anti_holders > 0) {
            for p in node.pods.values() {
                for t in p.anti_required.iter().filter(|t| t.matches(ns, &labels)) {
                    bump(&mut existing_anti, node, &t.topology_key);
                }
                if !affinity.is_empty() && affinity.iter().all(|t| t.matches(&p.key.namespace, &p.labels)) {
                    for t in &affinity {
                        bump(&mut affinity_counts, node, &t.topology_key);
                    }
                }
                for t in anti.iter().filter(|t| t.matches(&p.key.namespace, &p.labels)) {
                    bump(&mut anti_counts, node, &t.topology_key);
                }
            }
        }
        let self_affine = !affinity.is_empty() && affinity.iter().all(|t| t.matches(ns, &labels));
        InterPodState { affinity, anti, affinity_counts, anti_counts, existing_anti, self_affine, _pod: pod }
    }

    fn count(m: &Pairs, node: &NodeInfo, key: &str) -> Option<i64> {
        let v = node.labels.get(key)?;
        Some(m.get(&(key.to_string(), v.clone())).copied().unwrap_or(0))
    }

    pub fn filter(&self, node: &NodeInfo) -> Option<Reason> {
        let mut pods_exist = true;
        for t in &self.affinity {
            match Self::count(&self.affinity_counts, node, &t.topology_key) {
                None => return Some(Reason { text: AFFINITY.into(), unresolvable: true }),
                Some(0) => pods_exist = false,
                Some(_) => {}
            }
        }
        if !pods_exist && (!self.affinity_counts.is_empty() || !self.self_affine) {
            return Some(Reason { text: AFFINITY.into(), unresolvable: true });
        }
        if self.anti.iter().any(|t| Self::count(&self.anti_counts, node, &t.topology_key).is_some_and(|n| n > 0)) {
            return Some(Reason { text: ANTI_AFFINITY.into(), unresolvable: false });
        }
        // Most clusters have no required anti-affinity at all: no label pair to look up.
        let blocked = !self.existing_anti.is_empty()
            && node.labels.iter().any(|(k, v)| self.existing_anti.get(&(k.clone(), v.clone())).is_some_and(|n| *n > 0));
        if blocked {
            return Some(Reason { text: EXISTING_ANTI_AFFINITY.into(), unresolvable: false });
        }
        None
    }
}

const AFFINITY: &str = "node(s) didn't match pod affinity rules";
const ANTI_AFFINITY: &str = "node(s) didn't match pod anti-affinity rules";
const EXISTING_ANTI_AFFINITY: &str = "node(s) didn't satisfy existing pods anti-affinity rules";

/// Preferred (anti-)affinity for scoring: the weights of the incoming pod's preferred terms met by
/// pods in the node's domains, minus those of its preferred anti-affinity terms, plus what the
/// placed pods' preferred terms say about the incoming pod.
pub fn preferred_score(pod: &Value, snap: &Snapshot, node: &NodeInfo) -> i64 {
    let (_, affinity) = pod_terms(pod, "podAffinity");
    let (_, anti) = pod_terms(pod, "podAntiAffinity");
    let labels = pod.labels();
    let ns = pod.namespace();
    let mut score = 0;
    for other in snap.nodes.values() {
        let same = |key: &str| node.labels.get(key).is_some_and(|v| other.labels.get(key) == Some(v));
        for p in other.pods.values() {
            for t in &affinity {
                if same(&t.topology_key) && t.matches(&p.key.namespace, &p.labels) {
                    score += t.weight;
                }
            }
            for t in &anti {
                if same(&t.topology_key) && t.matches(&p.key.namespace, &p.labels) {
                    score -= t.weight;
                }
            }
            for t in &p.affinity_preferred {
                if same(&t.topology_key) && t.matches(ns, &labels) {
                    score += t.weight;
                }
            }
            for t in &p.anti_preferred {
                if same(&t.topology_key) && t.matches(ns, &labels) {
                    score -= t.weight;
                }
            }
        }
    }
    score
}
