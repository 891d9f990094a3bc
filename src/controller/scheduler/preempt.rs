//! DefaultPreemption (v1.32): when no node fits, find the nodes where evicting lower-priority pods
//! lets the pod fit, keep on each the fewest victims (PodDisruptionBudgets respected where
//! possible), pick the node whose victims matter least, or explain why none helps (the
//! `preemption: ...` suffix of the FailedScheduling message).

use foldhash::HashSet;
use serde_json::Value;

use super::filters::{fit_error, Filters, Incoming, Reason};
use super::snapshot::{NodeInfo, PlacedPod, Snapshot};
use crate::api::object::Labels;
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::Key;

pub enum Outcome {
    /// Evict these pods from the node; the pod is nominated to it.
    Victims { node: String, victims: Vec<Key> },
    /// The PostFilter message: why the pod may not preempt now (its nomination stays).
    Unhelpful(String),
    /// The PostFilter message when no node would do even with evictions (the nomination goes).
    NoCandidate(String),
}

/// What preemption needs of a PodDisruptionBudget.
pub struct Budget {
    namespace: String,
    selector: Option<Selector>,
    allowed: i64,
    disrupted: HashSet<String>,
}

impl Budget {
    pub fn of(pdb: &Value) -> Budget {
        let selector = pdb.at("spec.selector").and_then(|s| Selector::from_label_selector(s).ok());
        let disrupted = pdb
            .at("status.disruptedPods")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        Budget {
            namespace: pdb.namespace().to_string(),
            // A nil or empty selector matches nothing.
            selector: selector.filter(|s| !s.is_empty()),
            allowed: pdb.i64_at("status.disruptionsAllowed").unwrap_or(0),
            disrupted,
        }
    }

    fn selects(&self, namespace: &str, labels: &Labels) -> bool {
        !labels.is_empty() && self.namespace == namespace && self.selector.as_ref().is_some_and(|s| s.matches(labels))
    }
}

/// A pod on a node, by uid.
type OnNode<'a> = (&'a str, &'a PlacedPod);

/// One node's victims, most important first, and how many of them violate a budget.
struct Candidate<'a> {
    node: &'a NodeInfo,
    victims: Vec<OnNode<'a>>,
    violations: usize,
}

/// `MoreImportantPod`: higher priority, then the earlier start.
fn importance(p: &PlacedPod) -> (std::cmp::Reverse<i64>, i64) {
    (std::cmp::Reverse(p.priority), p.start)
}

/// `filterPodsWithPDBViolation`: the pods whose eviction would take a budget below zero, and the
/// others, each list keeping the given order.
fn split_by_budget<'a>(pods: Vec<OnNode<'a>>, budgets: &[Budget]) -> (Vec<OnNode<'a>>, Vec<OnNode<'a>>) {
    let mut allowed: Vec<i64> = budgets.iter().map(|b| b.allowed).collect();
    let (mut violating, mut fine) = (Vec::new(), Vec::new());
    for (uid, p) in pods {
        let mut violated = false;
        for (i, b) in budgets.iter().enumerate() {
            if !b.selects(&p.key.namespace, &p.labels) || b.disrupted.contains(&p.key.name) {
                continue;
            }
            allowed[i] -= 1;
            violated |= allowed[i] < 0;
        }
        if violated {
            violating.push((uid, p));
        } else {
            fine.push((uid, p));
        }
    }
    (violating, fine)
}

/// `SelectVictimsOnNode`: remove every lower-priority pod; if the pod then fits, reprieve pods
/// from the most important down (budget-violating ones first) while it still fits.
fn select_victims<'a>(
    pod: &Incoming,
    filters: &Filters,
    node: &'a NodeInfo,
    budgets: &[Budget],
) -> Result<Candidate<'a>, Vec<Reason>> {
    let mut potential: Vec<OnNode> =
        node.pods.iter().filter(|(_, p)| p.priority < pod.priority).map(|(u, p)| (u.as_str(), p)).collect();
    if potential.is_empty() {
        return Err(vec![Reason { text: "No preemption victims found for incoming pod".into(), unresolvable: true }]);
    }
    let mut removed: HashSet<&str> = potential.iter().map(|(u, _)| *u).collect();
    let why = filters.check(pod, node, &removed);
    if !why.is_empty() {
        return Err(why);
    }
    potential.sort_by(|a, b| importance(a.1).cmp(&importance(b.1)).then(a.0.cmp(b.0)));
    let (violating, fine) = split_by_budget(potential, budgets);
    let both = !violating.is_empty() && !fine.is_empty();
    let mut victims = Vec::new();
    let mut violations = 0;
    for (group, counts) in [(violating, true), (fine, false)] {
        for (uid, p) in group {
            removed.remove(uid);
            if !filters.check(pod, node, &removed).is_empty() {
                removed.insert(uid);
                victims.push((uid, p));
                violations += usize::from(counts);
            }
        }
    }
    if both {
        victims.sort_by(|a, b| importance(a.1).cmp(&importance(b.1)).then(a.0.cmp(b.0)));
    }
    Ok(Candidate { node, victims, violations })
}

/// `pickOneNodeForPreemption`'s criteria, smallest first: budget violations, the highest victim
/// priority, the sum of victim priorities, the number of victims, then the latest start among
/// the highest-priority victims; remaining ties go to the first node by name.
fn rank(c: &Candidate) -> (usize, i64, i128, usize, std::cmp::Reverse<i64>) {
    let highest = c.victims.first().map(|(_, p)| p.priority).unwrap_or(0);
    let sum: i128 = c.victims.iter().map(|(_, p)| i128::from(p.priority) + (1 << 31)).sum();
    let earliest = c.victims.iter().filter(|(_, p)| p.priority == highest).map(|(_, p)| p.start).min().unwrap_or(0);
    (c.violations, highest, sum, c.victims.len(), std::cmp::Reverse(earliest))
}

/// `PodEligibleToPreemptOthers`: a pod that may not preempt, or whose earlier victims are still
/// terminating on its nominated node, waits.
fn ineligible(pod: &Incoming, snap: &Snapshot, reasons: &[(&NodeInfo, Vec<Reason>)]) -> Option<&'static str> {
    if pod.pod.str_at("spec.preemptionPolicy") == "Never" {
        return Some("not eligible due to preemptionPolicy=Never.");
    }
    let nominated = pod.pod.str_at("status.nominatedNodeName");
    let node = snap.nodes.get(nominated)?;
    let unresolvable = reasons.iter().any(|(n, why)| n.name == nominated && why.iter().any(|r| r.unresolvable));
    if unresolvable {
        return None;
    }
    node.pods
        .values()
        .any(|p| p.priority < pod.priority && p.preempted)
        .then_some("not eligible due to a terminating pod on the nominated node.")
}

pub fn preempt(
    pod: &Incoming,
    snap: &Snapshot,
    filters: &Filters,
    reasons: &[(&NodeInfo, Vec<Reason>)],
    budgets: &[Budget],
) -> Outcome {
    if let Some(why) = ineligible(pod, snap, reasons) {
        return Outcome::Unhelpful(format!("preemption: {why}"));
    }
    let mut best: Option<Candidate> = None;
    let mut statuses: Vec<Vec<Reason>> = Vec::new();
    for (node, why) in reasons {
        // Nodes no eviction can help are left out of the dry run, and reported as such.
        if why.iter().any(|r| r.unresolvable) {
            statuses.push(vec![Reason { text: "Preemption is not helpful for scheduling".into(), unresolvable: true }]);
            continue;
        }
        match select_victims(pod, filters, node, budgets) {
            Err(why) => statuses.push(why),
            Ok(c) => {
                if best.as_ref().is_none_or(|b| rank(&c) < rank(b)) {
                    best = Some(c);
                }
            }
        }
    }
    match best {
        Some(c) => Outcome::Victims {
            node: c.node.name.clone(),
            victims: c.victims.iter().filter(|(_, p)| !p.deleting).map(|(_, p)| p.key.clone()).collect(),
        },
        None => Outcome::NoCandidate(format!("preemption: {}", fit_error(reasons.len(), &statuses, ""))),
    }
}
