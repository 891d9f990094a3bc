//! DefaultPreemption: when no node fits, find the node where evicting the fewest lower-priority
//! pods lets the pod fit, or explain why none does (the `preemption: ...` suffix).

use std::collections::HashSet;

use super::filters::{fit_error, Filters, Incoming, Reason};
use super::snapshot::{NodeInfo, Snapshot};
use crate::api::ObjectExt;
use crate::cluster::Key;

/// A node's victims: how many, the highest victim priority, the node, the victims.
type Candidate<'a> = (usize, i64, &'a str, Vec<(&'a str, i64)>);

pub enum Outcome {
    /// Evict these pods from the node; the pod is nominated to it.
    Victims { node: String, victims: Vec<Key> },
    /// The PostFilter message: why preemption cannot help.
    Unhelpful(String),
}

/// The victims on one node: all lower-priority pods, then reprieved from the most important down
/// while the pod still fits.
fn victims_on<'s>(pod: &Incoming, filters: &Filters, node: &'s NodeInfo) -> Option<Vec<(&'s str, i64)>> {
    let mut lower: Vec<(&str, i64)> = node
        .pods
        .iter()
        .filter(|(_, p)| p.priority < pod.priority && !p.deleting)
        .map(|(u, p)| (u.as_str(), p.priority))
        .collect();
    let mut chosen: HashSet<&str> = lower.iter().map(|(u, _)| *u).collect();
    if lower.is_empty() || !filters.fits_without(pod, node, &chosen) {
        return None;
    }
    lower.sort_by_key(|(u, prio)| (std::cmp::Reverse(*prio), *u));
    for (uid, _) in &lower {
        chosen.remove(uid);
        if !filters.fits_without(pod, node, &chosen) {
            chosen.insert(uid);
        }
    }
    Some(lower.into_iter().filter(|(u, _)| chosen.contains(u)).collect())
}

pub fn preempt(pod: &Incoming, snap: &Snapshot, filters: &Filters, reasons: &[(&NodeInfo, Vec<Reason>)]) -> Outcome {
    if pod.pod.str_at("spec.preemptionPolicy") == "Never" {
        return Outcome::Unhelpful("preemption: not eligible due to preemptionPolicy=Never.".into());
    }
    // Victims already chosen are still terminating: wait for them rather than preempt again.
    let nominated = pod.pod.str_at("status.nominatedNodeName");
    if let Some(node) = snap.nodes.get(nominated) {
        if node.pods.values().any(|p| p.deleting && p.priority < pod.priority) {
            return Outcome::Unhelpful(
                "preemption: not eligible due to a terminating pod on the nominated node.".into(),
            );
        }
    }
    let mut best: Option<Candidate> = None;
    let mut outcome: Vec<Vec<Reason>> = Vec::new();
    for (node, why) in reasons {
        if why.iter().any(|r| r.unresolvable) {
            outcome.push(vec![Reason { text: "Preemption is not helpful for scheduling".into(), unresolvable: true }]);
            continue;
        }
        match victims_on(pod, filters, node) {
            None => outcome.push(vec![Reason {
                text: "No preemption victims found for incoming pod".into(),
                unresolvable: false,
            }]),
            Some(v) => {
                let top = v.iter().map(|(_, p)| *p).max().unwrap_or(0);
                let better = best.as_ref().is_none_or(|b| (v.len(), top, node.name.as_str()) < (b.0, b.1, b.2));
                if better {
                    best = Some((v.len(), top, node.name.as_str(), v));
                }
            }
        }
    }
    match best {
        Some((_, _, name, victims)) => {
            let node = &snap.nodes[name];
            let keys = victims.iter().filter_map(|(uid, _)| node.pods.get(*uid).map(|p| p.key.clone())).collect();
            Outcome::Victims { node: name.to_string(), victims: keys }
        }
        None => Outcome::Unhelpful(format!("preemption: {}", fit_error(reasons.len(), &outcome, ""))),
    }
}
