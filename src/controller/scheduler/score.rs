//! Scoring the nodes that passed the filters, with the default plugins' weights: TaintToleration
//! (3), NodeAffinity (2), PodTopologySpread (2), InterPodAffinity (2), NodeResourcesFit's
//! LeastAllocated (1) and BalancedAllocation (1). Ties go to the node with fewer pods, then by name,
//! so placements are plausible and repeatable.

use serde_json::Value;

use super::filters::Incoming;
use super::interpod::preferred_score;
use super::resources::pod_requests;
use super::snapshot::{NodeInfo, Snapshot};
use super::spread::SoftSpread;
use super::terms::{tolerated, SelectorTerm};
use crate::api::ObjectExt;

/// Scales raw values to 0..=100, the highest raw value best (or lowest, with `lower_is_better`).
fn normalize(raw: &[i64], lower_is_better: bool) -> Vec<i64> {
    let (min, max) = (raw.iter().copied().min().unwrap_or(0), raw.iter().copied().max().unwrap_or(0));
    raw.iter()
        .map(|&r| {
            if max == min {
                100
            } else if lower_is_better {
                (max - r) * 100 / (max - min)
            } else {
                (r - min) * 100 / (max - min)
            }
        })
        .collect()
}

fn untolerated_soft_taints(node: &NodeInfo, tolerations: &[Value]) -> i64 {
    node.taints.iter().filter(|t| t.str_at("effect") == "PreferNoSchedule" && !tolerated(tolerations, t)).count() as i64
}

/// The pod's preferred node affinity: each preference with its weight.
fn preferences(pod: &Value) -> Vec<(SelectorTerm, i64)> {
    pod.array_at("spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution")
        .iter()
        .filter_map(|p| Some((SelectorTerm::of(p.get("preference")?), p.i64_at("weight").unwrap_or(0))))
        .collect()
}

fn preferred_node_affinity(preferences: &[(SelectorTerm, i64)], node: &NodeInfo) -> i64 {
    preferences.iter().filter(|(t, _)| t.matches(&node.name, &node.labels)).map(|(_, weight)| weight).sum()
}

/// LeastAllocated and BalancedAllocation over cpu and memory, the pod included.
fn allocation(node: &NodeInfo, pod_cpu: i128, pod_mem: i128) -> (i64, i64) {
    let frac = |used: i128, have: i128| if have <= 0 { 1.0 } else { (to_f64(used) / to_f64(have)).min(1.0) };
    let fc = frac(node.non_zero.milli_cpu + pod_cpu, node.allocatable.milli_cpu);
    let fm = frac(node.non_zero.memory + pod_mem, node.allocatable.memory);
    let least = ((1.0 - fc) * 50.0 + (1.0 - fm) * 50.0) as i64;
    let balanced = ((1.0 - (fc - fm).abs() / 2.0) * 100.0) as i64;
    (least, balanced)
}

/// `x as f64`, through `i64` when it fits: the same value (both round the same integer), without
/// the software conversion `i128` takes (four per node scored). The fallback is a closure: as a
/// plain argument it would be converted every time.
fn to_f64(x: i128) -> f64 {
    i64::try_from(x).map_or_else(|_| x as f64, |x| x as f64)
}

fn has_preferred_pod_terms(pod: &Value) -> bool {
    let Some(affinity) = pod.at("spec.affinity") else { return false };
    ["podAffinity", "podAntiAffinity"].iter().any(|k| {
        affinity.get(k).is_some_and(|t| !t.array_at("preferredDuringSchedulingIgnoredDuringExecution").is_empty())
    })
}

/// The best node for the pod among `feasible`.
pub fn best<'n>(pod: &Incoming, snap: &Snapshot, feasible: &[&'n NodeInfo]) -> Option<&'n NodeInfo> {
    if feasible.is_empty() {
        return None;
    }
    // A plugin with nothing to say gives every node the same raw score, which normalizes to 100.
    let even = || vec![100; feasible.len()];
    let preferred = preferences(pod.pod);
    let taints: Vec<i64> = feasible.iter().map(|n| untolerated_soft_taints(n, pod.tolerations)).collect();
    let affinity = if preferred.is_empty() {
        even()
    } else {
        let raw: Vec<i64> = feasible.iter().map(|n| preferred_node_affinity(&preferred, n)).collect();
        normalize(&raw, false)
    };
    let soft = SoftSpread::new(pod.pod, snap);
    let spread: Vec<i64> = feasible.iter().map(|n| soft.raw(n)).collect();
    let interpod = if has_preferred_pod_terms(pod.pod) {
        let raw: Vec<i64> = feasible.iter().map(|n| preferred_score(pod.pod, snap, n)).collect();
        normalize(&raw, false)
    } else {
        even()
    };
    let nz = pod_requests(pod.pod, true);
    let (taints, spread) = (normalize(&taints, true), normalize(&spread, true));
    let mut best: Option<(i64, std::cmp::Reverse<i128>, std::cmp::Reverse<&str>, usize)> = None;
    for (i, n) in feasible.iter().enumerate() {
        let (least, balanced) = allocation(n, nz.milli_cpu, nz.memory);
        let total = 3 * taints[i] + 2 * affinity[i] + 2 * spread[i] + 2 * interpod[i] + least + balanced;
        let key = (total, std::cmp::Reverse(n.pod_count()), std::cmp::Reverse(n.name.as_str()), i);
        if best.as_ref().is_none_or(|b| (key.0, key.1, key.2) > (b.0, b.1, b.2)) {
            best = Some(key);
        }
    }
    best.map(|b| feasible[b.3])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converting_through_i64_keeps_the_value() {
        for x in [0, 1, -1, 3_999, (1 << 53) + 1, i64::MAX as i128, i64::MIN as i128, i128::MAX, i128::MIN] {
            assert_eq!(to_f64(x).to_bits(), (x as f64).to_bits());
        }
    }

    #[test]
    fn normalizing_puts_the_best_at_100() {
        assert_eq!(normalize(&[0, 5, 10], false), [0, 50, 100]);
        assert_eq!(normalize(&[0, 5, 10], true), [100, 50, 0]);
        assert_eq!(normalize(&[3, 3], true), [100, 100]);
        assert_eq!(normalize(&[0, 0, 0], false), [100, 100, 100]);
    }
}
