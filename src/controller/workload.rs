//! What the workload controllers (ReplicaSet, Job, DaemonSet) share about the pods they own:
//! pods made from a template, and pod health as `pkg/controller/controller_utils.go` judges it.

use serde_json::{json, Value};

use crate::api::kinds::Kind;
use crate::api::object::{controller_ref_to, set_at};
use crate::api::ObjectExt;
use crate::clock::Instant;
use crate::cluster::{Change, Cluster, Key};
use crate::Result;

/// A pod for `owner` from its pod template, named `<generate_name><5 chars>` by the API server.
pub fn pod_from_template(owner: &Value, template: &Value, generate_name: &str) -> Value {
    let mut meta = template.get("metadata").cloned().unwrap_or_else(|| json!({}));
    if let Some(m) = meta.as_object_mut() {
        m.remove("creationTimestamp");
        m.remove("name");
    }
    let spec = template.get("spec").cloned().unwrap_or_else(|| json!({}));
    let mut pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec});
    set_at(&mut pod, "metadata.generateName", Value::String(generate_name.to_string()));
    set_at(&mut pod, "metadata.namespace", Value::String(owner.namespace().to_string()));
    set_at(&mut pod, "metadata.ownerReferences", json!([controller_ref_to(owner)]));
    pod
}

/// `IsPodActive`: not finished and not being deleted.
pub fn is_active(pod: &Value) -> bool {
    !matches!(pod.str_at("status.phase"), "Succeeded" | "Failed") && !pod.is_deleting()
}

/// When the pod's Ready condition became true, if it is ready.
pub fn ready_since(pod: &Value) -> Option<Instant> {
    let ready = pod
        .array_at("status.conditions")
        .iter()
        .find(|c| c.str_at("type") == "Ready" && c.str_at("status") == "True")?;
    Some(ready.time_at("lastTransitionTime").unwrap_or(0))
}

pub fn is_ready(pod: &Value) -> bool {
    ready_since(pod).is_some()
}

/// `IsPodAvailable`: ready for at least `min_ready` seconds at `now`.
pub fn is_available(pod: &Value, min_ready: i64, now: Instant) -> bool {
    ready_since(pod).is_some_and(|t| min_ready <= 0 || t + min_ready <= now)
}

/// The instant a ready pod becomes available, when that is still ahead.
pub fn available_at(pod: &Value, min_ready: i64, now: Instant) -> Option<Instant> {
    let t = ready_since(pod)? + min_ready;
    (min_ready > 0 && t > now).then_some(t)
}

fn restarts(pod: &Value) -> i64 {
    pod.array_at("status.containerStatuses").iter().filter_map(|c| c.i64_at("restartCount")).max().unwrap_or(0)
}

/// `ActivePodsWithRanks` order: the pods to delete first come first (unscheduled, pending, not
/// ready, ready for less time, more restarts, newer). Pods in `joined` (adopted just now) count
/// as newer than the rest when the clock cannot tell them apart.
pub fn deletion_order(pods: &mut [Value], joined: &[String]) {
    let joined = |p: &Value| joined.iter().any(|u| u == p.uid());
    let phase_rank = |p: &Value| match p.str_at("status.phase") {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 3,
    };
    pods.sort_by(|a, b| {
        let scheduled = |p: &Value| !p.str_at("spec.nodeName").is_empty();
        scheduled(a)
            .cmp(&scheduled(b))
            .then(phase_rank(a).cmp(&phase_rank(b)))
            .then(is_ready(a).cmp(&is_ready(b)))
            .then(ready_since(b).cmp(&ready_since(a)))
            .then(restarts(b).cmp(&restarts(a)))
            .then(b.created().cmp(&a.created()))
            .then(joined(b).cmp(&joined(a)))
            .then(a.name().cmp(b.name()))
    });
}

/// `GetScaledValueFromIntOrPercent`: an int, or a percentage of `total` rounded up or down.
pub fn scaled_value(v: Option<&Value>, total: i64, round_up: bool) -> Result<i64, String> {
    match v {
        None | Some(Value::Null) => Ok(0),
        Some(Value::Number(n)) => Ok(n.as_i64().unwrap_or(0)),
        Some(Value::String(s)) => {
            let Some(p) = s.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) else {
                return Err(format!("invalid value for IntOrString: invalid value {s:?}"));
            };
            let scaled = p.saturating_mul(total);
            Ok(if round_up { (scaled + 99).div_euclid(100) } else { scaled.div_euclid(100) })
        }
        Some(other) => Err(format!("invalid value for IntOrString: {other}")),
    }
}

/// `slowStartBatch`: a controller creates pods in batches of 1, 2, 4... (each batch's creations
/// all attempted, concurrently in a real controller), and stops after a batch in which one
/// failed, so a refused creation is not repeated for every missing pod.
pub struct SlowStart {
    left: usize,
    batch: usize,
    in_batch: usize,
    failed: bool,
}

impl SlowStart {
    pub fn new(count: usize) -> SlowStart {
        SlowStart { left: count, batch: count.min(1), in_batch: 0, failed: false }
    }

    /// Whether one more creation is attempted.
    pub fn next(&mut self) -> bool {
        if self.left == 0 {
            return false;
        }
        if self.in_batch == self.batch {
            if self.failed {
                return false;
            }
            self.batch = self.batch.saturating_mul(2).min(self.left);
            self.in_batch = 0;
        }
        self.in_batch += 1;
        self.left -= 1;
        true
    }

    /// The creation just attempted failed: the current batch is the last.
    pub fn fail(&mut self) {
        self.failed = true;
    }
}

/// A new ServiceAccount: the sets of `kind` in its namespace, whose pods the ServiceAccount
/// admission plugin may have refused until now (a real controller retries with back-off).
pub fn sets_waiting_for_account(cluster: &mut Cluster, change: &Change, kind: &'static Kind) -> Result<Vec<Key>> {
    if change.key.kind != "ServiceAccount" || change.old.is_some() || change.object.is_none() {
        return Ok(Vec::new());
    }
    let ns = change.key.namespace.as_str();
    cluster.load(kind, Some(ns))?;
    Ok(cluster.iter(kind, Some(ns)).filter(|s| !s.is_deleting()).map(|s| Key::new(kind, ns, s.name())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The attempts of a slow start whose creations fail from attempt `fail_from` on.
    fn attempts(count: usize, fail_from: usize) -> usize {
        let mut s = SlowStart::new(count);
        let mut n = 0;
        while s.next() {
            n += 1;
            if n >= fail_from {
                s.fail();
            }
        }
        n
    }

    #[test]
    fn a_slow_start_stops_after_the_batch_with_a_failure() {
        assert_eq!(attempts(0, 1), 0);
        assert_eq!(attempts(10, 100), 10);
        // Batches 1, 2, 4, 3: a failure in the first stops at once, one in the third ends it.
        assert_eq!(attempts(10, 1), 1);
        assert_eq!(attempts(10, 2), 3);
        assert_eq!(attempts(10, 4), 7);
        assert_eq!(attempts(10, 7), 7);
        assert_eq!(attempts(10, 8), 10);
    }

    #[test]
    fn percentages_round_like_kubernetes() {
        let v = json!("25%");
        assert_eq!(scaled_value(Some(&v), 10, true), Ok(3));
        assert_eq!(scaled_value(Some(&v), 10, false), Ok(2));
        assert_eq!(scaled_value(Some(&json!(2)), 10, false), Ok(2));
        assert!(scaled_value(Some(&json!("x%")), 10, false).is_err());
    }

    #[test]
    fn pending_and_unready_pods_go_first() {
        let ready = |n: &str, t: &str| {
            json!({"metadata": {"name": n}, "spec": {"nodeName": "a"}, "status": {"phase": "Running",
                "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": t}]}})
        };
        let mut pods = vec![
            ready("old", "2026-01-01T00:00:00Z"),
            json!({"metadata": {"name": "pending"}, "status": {"phase": "Pending"}}),
            ready("young", "2026-01-02T00:00:00Z"),
        ];
        deletion_order(&mut pods, &[]);
        let names: Vec<&str> = pods.iter().map(|p| p.name()).collect();
        assert_eq!(names, ["pending", "young", "old"]);
    }
}
