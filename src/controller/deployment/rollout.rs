//! The arithmetic of a rollout (`rolling.go`, `recreate.go`, `sync.go`'s `scale`, v1.32).

use serde_json::Value;

use super::sets::{self, replicas};
use crate::api::ObjectExt;
use crate::controller::workload::scaled_value;

/// maxSurge and maxUnavailable of a deployment, resolved against its replicas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fenceposts {
    pub surge: i64,
    pub unavailable: i64,
}

/// `ResolveFenceposts`: surge rounds up, unavailability down; both zero means one unavailable.
/// Recreate has neither.
pub fn fenceposts(d: &Value) -> Fenceposts {
    if d.str_at("spec.strategy.type") != "RollingUpdate" {
        return Fenceposts { surge: 0, unavailable: 0 };
    }
    let wanted = d.i64_at("spec.replicas").unwrap_or(1);
    let ru = d.at("spec.strategy.rollingUpdate");
    let surge = scaled_value(ru.and_then(|r| r.get("maxSurge")), wanted, true).unwrap_or(0);
    let unavailable = scaled_value(ru.and_then(|r| r.get("maxUnavailable")), wanted, false).unwrap_or(0);
    if surge == 0 && unavailable == 0 {
        return Fenceposts { surge: 0, unavailable: 1 };
    }
    Fenceposts { surge, unavailable: unavailable.min(wanted) }
}

fn total(sets: &[&Value]) -> i64 {
    sets.iter().map(|rs| replicas(rs)).sum()
}

fn available(rs: &Value) -> i64 {
    rs.i64_at("status.availableReplicas").unwrap_or(0)
}

/// `NewRSNewReplicas` for RollingUpdate: as many as the surge allows, up to the desired count.
pub fn new_rs_replicas(wanted: i64, f: Fenceposts, all: &[&Value], new_count: i64) -> i64 {
    let current = total(all);
    let max_total = wanted + f.surge;
    if current >= max_total {
        return new_count;
    }
    new_count + (max_total - current).min(wanted - new_count).max(0)
}

/// How far the old sets may shrink now (`reconcileOldReplicaSets`): the unhealthy replicas of
/// the old sets first (oldest set first), then available ones down to the minimum availability.
/// Returns the new replica counts, per old set (same order), that differ.
pub fn old_scale_down(
    wanted: i64,
    f: Fenceposts,
    all: &[&Value],
    new: Option<&Value>,
    old: &[&Value],
) -> Vec<(usize, i64)> {
    if total(old) == 0 {
        return Vec::new();
    }
    let min_available = wanted - f.unavailable;
    let new_unavailable = new.map_or(0, |n| replicas(n) - available(n));
    let mut budget = total(all) - min_available - new_unavailable;
    if budget <= 0 {
        return Vec::new();
    }
    let mut counts: Vec<i64> = old.iter().map(|rs| replicas(rs)).collect();
    // cleanupUnhealthyReplicas
    for (i, rs) in old.iter().enumerate() {
        if budget <= 0 {
            break;
        }
        let unhealthy = (counts[i] - available(rs)).max(0);
        let cut = unhealthy.min(budget);
        counts[i] -= cut;
        budget -= cut;
    }
    // scaleDownOldReplicaSetsForRollingUpdate, counting what is available after the cleanup
    let available_now: i64 = all.iter().map(|rs| available(rs)).sum();
    let mut down = available_now - min_available;
    for count in counts.iter_mut() {
        if down <= 0 {
            break;
        }
        let cut = (*count).min(down);
        *count -= cut;
        down -= cut;
    }
    old.iter().enumerate().filter(|(i, rs)| counts[*i] != replicas(rs)).map(|(i, _)| (i, counts[i])).collect()
}

/// `getReplicaSetFraction`: the share of a scaling a set gets, by its size against the size the
/// deployment had when the set was last scaled (its max-replicas annotation).
fn fraction(rs: &Value, d: &Value, f: Fenceposts) -> i64 {
    let wanted = d.i64_at("spec.replicas").unwrap_or(1);
    if wanted == 0 {
        return -replicas(rs);
    }
    let now_max = wanted + f.surge;
    let annotated = rs
        .annotation(sets::MAX)
        .and_then(|m| m.parse::<i64>().ok())
        .unwrap_or_else(|| d.i64_at("status.replicas").unwrap_or(0));
    if annotated <= 0 {
        return 0;
    }
    let scaled = (replicas(rs) as f64 * now_max as f64 / annotated as f64).round() as i64;
    scaled - replicas(rs)
}

/// Proportional scaling (`scale` in sync.go) of the active sets when the deployment's replicas
/// change during a rollout: each set grows or shrinks by its share, the largest set takes the
/// rest. `active` is ordered by size, largest first (ties: newest first when growing, oldest
/// first when shrinking). Returns the new count of each set.
pub fn proportional(d: &Value, f: Fenceposts, active: &[&Value]) -> Vec<i64> {
    let wanted = d.i64_at("spec.replicas").unwrap_or(1);
    let allowed = if wanted > 0 { wanted + f.surge } else { 0 };
    let to_add = allowed - total(active);
    let mut counts: Vec<i64> = active.iter().map(|rs| replicas(rs)).collect();
    if to_add == 0 {
        return counts;
    }
    let mut added = 0;
    for (i, rs) in active.iter().enumerate() {
        let share = fraction(rs, d, f);
        let share = if to_add > 0 { share.min(to_add - added) } else { share.max(to_add - added) };
        counts[i] += share;
        added += share;
    }
    if let Some(first) = counts.first_mut() {
        *first = (*first + to_add - added).max(0);
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(replicas: i64, surge: Value, unavailable: Value) -> Value {
        json!({"spec": {"replicas": replicas, "strategy": {"type": "RollingUpdate",
            "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}}}})
    }

    #[test]
    fn fenceposts_round_surge_up_and_unavailability_down() {
        assert_eq!(fenceposts(&d(3, json!("25%"), json!("25%"))), Fenceposts { surge: 1, unavailable: 0 });
        assert_eq!(fenceposts(&d(10, json!("25%"), json!("25%"))), Fenceposts { surge: 3, unavailable: 2 });
        assert_eq!(fenceposts(&d(3, json!(0), json!("10%"))), Fenceposts { surge: 0, unavailable: 1 });
    }

    #[test]
    fn a_rollout_of_three_surges_one() {
        let old = json!({"spec": {"replicas": 3}, "status": {"availableReplicas": 3}});
        let new = json!({"spec": {"replicas": 0}});
        let f = Fenceposts { surge: 1, unavailable: 0 };
        assert_eq!(new_rs_replicas(3, f, &[&old, &new], 0), 1);
        let new = json!({"spec": {"replicas": 1}, "status": {"availableReplicas": 1}});
        assert_eq!(old_scale_down(3, f, &[&old, &new], Some(&new), &[&old]), vec![(0, 2)]);
        let stuck = json!({"spec": {"replicas": 1}});
        assert!(old_scale_down(3, f, &[&old, &stuck], Some(&stuck), &[&old]).is_empty());
    }
}
