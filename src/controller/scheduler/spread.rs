//! PodTopologySpread: hard constraints (`whenUnsatisfiable: DoNotSchedule`) filter nodes whose
//! domain would exceed `maxSkew`; soft ones and the system defaults (hostname skew 3, zone skew 5,
//! over the pods of the same owner) steer scoring.

use std::rc::Rc;

use foldhash::{HashMap, HashMapExt};
use serde_json::Value;

use super::filters::Reason;
use super::snapshot::{NodeInfo, PlacedPod, Snapshot, Topology};
use super::terms::NodeAffinity;
use crate::api::object::Labels;
use crate::api::selector::Selector;
use crate::api::ObjectExt;

const HOSTNAME: &str = "kubernetes.io/hostname";
const ZONE: &str = "topology.kubernetes.io/zone";

/// Which pods a constraint counts.
enum Counted {
    Selector(Selector),
    /// The system default: pods with the same controller.
    Owner(String),
}

struct Constraint {
    max_skew: i64,
    key: String,
    counted: Counted,
    min_domains: Option<i64>,
    /// Whether the incoming pod itself matches (it adds one to its domain).
    self_match: bool,
}

impl Constraint {
    fn counts(&self, namespace: &str, p: &PlacedPod) -> bool {
        if p.deleting || p.key.namespace != namespace {
            return false;
        }
        match &self.counted {
            Counted::Selector(s) => s.matches(&p.labels),
            Counted::Owner(uid) => &p.owner == uid,
        }
    }
}

impl Constraint {
    /// The counted pods on one node (an owner's from the snapshot's index, others one by one).
    fn count_on(&self, namespace: &str, snap: &Snapshot, node: &NodeInfo) -> i64 {
        match &self.counted {
            Counted::Owner(uid) => snap.owned_by(uid).get(node.slot).copied().unwrap_or(0),
            Counted::Selector(_) => node.pods.values().filter(|p| self.counts(namespace, p)).count() as i64,
        }
    }
}

fn parse(pod: &Value, hard: bool) -> Vec<Constraint> {
    let wanted = if hard { "DoNotSchedule" } else { "ScheduleAnyway" };
    let constraints = pod.array_at("spec.topologySpreadConstraints");
    // Most pods have none: their labels are not copied for nothing.
    if constraints.is_empty() {
        return Vec::new();
    }
    let labels: Labels = pod.labels();
    constraints
        .iter()
        .filter(|c| match c.str_at("whenUnsatisfiable") {
            "" => hard,
            w => w == wanted,
        })
        .filter_map(|c| {
            let selector = Selector::from_label_selector(c.get("labelSelector")?).ok()?;
            Some(Constraint {
                max_skew: c.i64_at("maxSkew").unwrap_or(1),
                key: c.str_at("topologyKey").to_string(),
                self_match: selector.matches(&labels),
                counted: Counted::Selector(selector),
                min_domains: c.i64_at("minDomains"),
            })
        })
        .collect()
}

/// Matching pods per domain of one constraint, over the nodes the pod could go to.
struct Domains {
    counts: HashMap<String, i64>,
    min: i64,
}

fn domains(c: &Constraint, pod: &Value, snap: &Snapshot, keys: &[&str]) -> Domains {
    let mut counts: HashMap<String, i64> = HashMap::new();
    let affinity = NodeAffinity::of(pod);
    for node in snap.nodes.values() {
        if !keys.iter().all(|k| node.labels.contains_key(*k)) || !affinity.matches(&node.name, &node.labels) {
            continue;
        }
        let Some(value) = node.labels.get(&c.key) else { continue };
        *counts.entry(value.clone()).or_default() += c.count_on(pod.namespace(), snap, node);
    }
    let mut min = counts.values().copied().min().unwrap_or(0);
    if c.min_domains.is_some_and(|m| (counts.len() as i64) < m) {
        min = 0;
    }
    Domains { counts, min }
}

#[derive(Default)]
pub struct SpreadState {
    hard: Vec<(Constraint, Domains)>,
}

impl SpreadState {
    pub fn new(pod: &Value, snap: &Snapshot) -> SpreadState {
        let constraints = parse(pod, true);
        let keys: Vec<String> = constraints.iter().map(|c| c.key.clone()).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let hard = constraints
            .into_iter()
            .map(|c| {
                let d = domains(&c, pod, snap, &keys);
                (c, d)
            })
            .collect();
        SpreadState { hard }
    }

    pub fn filter(&self, node: &NodeInfo) -> Option<Reason> {
        for (c, d) in &self.hard {
            let Some(value) = node.labels.get(&c.key) else {
                return Some(Reason {
                    text: "node(s) didn't match pod topology spread constraints (missing required label)".into(),
                    unresolvable: true,
                });
            };
            let here = d.counts.get(value).copied().unwrap_or(0);
            if here + i64::from(c.self_match) - d.min > c.max_skew {
                return Some(Reason {
                    text: "node(s) didn't match pod topology spread constraints".into(),
                    unresolvable: false,
                });
            }
        }
        None
    }
}

/// Soft spreading for scoring: per node, how many counted pods share its domains (lower is
/// better), weighted by each constraint's slack. Pods without constraints get the system
/// defaults over their owner's pods.
pub struct SoftSpread {
    /// Per constraint: its key's domains and the counted pods per domain. (This is built for
    /// every pod scheduled, over every node: domains are numbered once per key, not looked up by
    /// label for every pod and node.)
    per_domain: Vec<(Rc<Topology>, Vec<i64>)>,
}

impl SoftSpread {
    pub fn new(pod: &Value, snap: &Snapshot) -> SoftSpread {
        let mut constraints = parse(pod, false);
        let owner = crate::api::object::index_ref(pod);
        if pod.array_at("spec.topologySpreadConstraints").is_empty() && !owner.is_empty() {
            for (key, skew) in [(HOSTNAME, 3), (ZONE, 5)] {
                constraints.push(Constraint {
                    max_skew: skew,
                    key: key.to_string(),
                    counted: Counted::Owner(owner.to_string()),
                    min_domains: None,
                    self_match: true,
                });
            }
        }
        let namespace = pod.namespace();
        let per_domain = constraints
            .iter()
            .map(|c| {
                let topology = snap.topology(&c.key);
                // An owner's counts on every node: looked up once, not per node.
                let owned = match &c.counted {
                    Counted::Owner(uid) => snap.owned_by(uid),
                    Counted::Selector(_) => &[],
                };
                let mut counts = vec![0; topology.domains];
                for node in snap.nodes.values() {
                    let Some(n) = topology.domain(node).and_then(|d| counts.get_mut(d)) else { continue };
                    *n += match &c.counted {
                        Counted::Owner(_) => owned.get(node.slot).copied().unwrap_or(0),
                        Counted::Selector(_) => c.count_on(namespace, snap, node),
                    };
                }
                (topology, counts)
            })
            .collect();
        SoftSpread { per_domain }
    }

    /// The raw score of a node: how many counted pods share its domains; lower spreads better.
    pub fn raw(&self, node: &NodeInfo) -> i64 {
        self.per_domain.iter().filter_map(|(topology, counts)| topology.domain(node).and_then(|d| counts.get(d))).sum()
    }
}
