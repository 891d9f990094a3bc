//! The status a sync writes (`computeReplicaStatus`, `completeRollingUpdate`).

use std::rc::Rc;

use serde_json::{json, Map, Value};

use super::pods::Pods;
use super::revisions::Revisions;
use crate::api::ObjectExt;
use crate::clock::Instant;
use crate::cluster::Cluster;
use crate::Result;

/// Writes the set's status when any field differs from what is stored; the set as it is then.
/// The set is shared with the view and copied only to be written (most syncs change nothing).
pub fn update(
    cluster: &mut Cluster,
    set: Rc<Value>,
    revs: &Revisions,
    pods: &Pods,
    min_ready: i64,
    now: Instant,
) -> Result<Rc<Value>> {
    let mut status = compute(&set, revs, pods, min_ready, now);
    // The controller sets no conditions but keeps those others wrote through /status.
    if let Some(conditions) = set.at("status.conditions") {
        status["conditions"] = conditions.clone();
    }
    if set.get("status") == Some(&status) {
        return Ok(set);
    }
    let mut set = Rc::unwrap_or_clone(set);
    set["status"] = status;
    cluster.update_status(set)
}

fn compute(set: &Value, revs: &Revisions, pods: &Pods, min_ready: i64, now: Instant) -> Value {
    let replicas = pods.len() as i64;
    let ready = pods.ready_count() as i64;
    let available = pods.available_count(min_ready, now) as i64;
    let mut current = pods.live_at(&revs.current.name) as i64;
    let updated = pods.live_at(&revs.update.name) as i64;
    let mut current_revision = revs.current.name.clone();
    let wanted = set.i64_at("spec.replicas").unwrap_or(1);
    let rolling = set.str_at("spec.updateStrategy.type") != "OnDelete";
    if rolling && updated == wanted && ready == wanted && replicas == wanted {
        current_revision = revs.update.name.clone();
        current = updated;
    }
    // Zero counts are omitted (`omitempty`), except replicas and availableReplicas.
    let mut s = Map::new();
    s.insert("availableReplicas".into(), json!(available));
    s.insert("collisionCount".into(), json!(set.i64_at("status.collisionCount").unwrap_or(0)));
    let mut put = |k: &str, v: i64| {
        if v != 0 {
            s.insert(k.into(), json!(v));
        }
    };
    put("currentReplicas", current);
    put("observedGeneration", set.i64_at("metadata.generation").unwrap_or(0));
    put("readyReplicas", ready);
    put("updatedReplicas", updated);
    s.insert("currentRevision".into(), json!(current_revision));
    s.insert("replicas".into(), json!(replicas));
    s.insert("updateRevision".into(), json!(revs.update.name));
    Value::Object(s)
}
