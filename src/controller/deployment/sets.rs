//! A Deployment's ReplicaSets: finding and creating the new one (`getNewReplicaSet`), revisions,
//! scaling with the annotations and events the controller writes, and history cleanup.

use serde_json::{json, Value};

use super::SOURCE;
use crate::api::kinds::REPLICASET;
use crate::api::object::{controller_ref_to, remove_at, set_annotation, set_at};
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key, Propagation};
use crate::controller::statefulset::revision_hash;
use crate::Result;

pub const REVISION: &str = "deployment.kubernetes.io/revision";
pub const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
/// The deployment controller's default `--deployment-controller-...` history length in characters.
const MAX_HISTORY_CHARS: usize = 2000;
pub const DESIRED: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX: &str = "deployment.kubernetes.io/max-replicas";
pub const HASH_LABEL: &str = "pod-template-hash";
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

pub fn revision(rs: &Value) -> i64 {
    rs.annotation(REVISION).and_then(|r| r.parse().ok()).unwrap_or(0)
}

pub fn replicas(rs: &Value) -> i64 {
    rs.i64_at("spec.replicas").unwrap_or(0)
}

/// A template with the `pod-template-hash` label removed, for comparison with the deployment's.
pub fn without_hash(template: Option<&Value>) -> Value {
    let mut t = template.cloned().unwrap_or_else(|| json!({}));
    remove_at(&mut t, &format!("metadata.labels.{HASH_LABEL}"));
    if t.at("metadata.labels").and_then(Value::as_object).is_some_and(|m| m.is_empty()) {
        remove_at(&mut t, "metadata.labels");
    }
    t
}

/// The sets the deployment controls, after adopting orphans its selector matches.
pub fn claim(cluster: &mut Cluster, d: &Value, selector: &Selector) -> Result<Vec<Value>> {
    let mut owned: Vec<Value> = cluster.list_by_ref(&REPLICASET, d.uid())?;
    owned.retain(|rs| rs.controller_uid() == d.uid());
    if !selector.is_empty() {
        cluster.load(&REPLICASET, Some(d.namespace()))?;
        let orphans: Vec<Value> = cluster
            .iter(&REPLICASET, Some(d.namespace()))
            .filter(|rs| rs.controller_ref().is_none() && !rs.is_deleting() && selector.matches_object(rs))
            .cloned()
            .collect();
        for mut rs in orphans {
            let mut refs = rs.array_at("metadata.ownerReferences").to_vec();
            refs.push(controller_ref_to(d));
            set_at(&mut rs, "metadata.ownerReferences", Value::Array(refs));
            owned.push((*cluster.update_status(rs)?).clone());
        }
    }
    owned.sort_by(|a, b| a.created().cmp(&b.created()).then(a.name().cmp(b.name())));
    Ok(owned)
}

/// The set whose template is the deployment's (the oldest, should there be several).
pub fn find_new<'a>(d: &Value, sets: &'a [Value]) -> Option<&'a Value> {
    let template = d.at("spec.template");
    sets.iter().find(|rs| Some(&without_hash(rs.at("spec.template"))) == template)
}

/// The annotations a set carries from its deployment (`copyDeploymentAnnotationsToReplicaSet`).
fn copy_annotations(d: &Value, rs: &mut Value) {
    for (k, v) in d.map_at("metadata.annotations") {
        if k == LAST_APPLIED || k.starts_with("deployment.kubernetes.io/") {
            continue;
        }
        set_annotation(rs, &k, &v);
    }
}

/// Creates the new set with `count` replicas, at revision `rev`.
pub fn create_new(cluster: &mut Cluster, d: &Value, count: i64, rev: i64, max_surge: i64) -> Result<Value> {
    let collisions = d.i64_at("status.collisionCount").unwrap_or(0);
    let template = d.at("spec.template").cloned().unwrap_or_else(|| json!({}));
    let hash = revision_hash(&template, collisions);
    let mut t = template;
    set_at(&mut t, &format!("metadata.labels.{HASH_LABEL}"), json!(hash));
    let mut selector = d.at("spec.selector").cloned().unwrap_or_else(|| json!({}));
    set_at(&mut selector, &format!("matchLabels.{HASH_LABEL}"), json!(hash));
    let mut rs = json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": format!("{}-{hash}", d.name()), "namespace": d.namespace(),
                     "labels": t.at("metadata.labels").cloned().unwrap_or_else(|| json!({})),
                     "ownerReferences": [controller_ref_to(d)]},
        "spec": {"replicas": count, "selector": selector, "template": t},
    });
    if let Some(m) = d.i64_at("spec.minReadySeconds").filter(|m| *m > 0) {
        rs["spec"]["minReadySeconds"] = json!(m);
    }
    copy_annotations(d, &mut rs);
    let wanted = d.i64_at("spec.replicas").unwrap_or(1);
    set_annotation(&mut rs, DESIRED, &wanted.to_string());
    set_annotation(&mut rs, MAX, &(wanted + max_surge).to_string());
    set_annotation(&mut rs, REVISION, &rev.to_string());
    let created = (*cluster.create(rs, d.namespace())?).clone();
    if count > 0 {
        let msg = format!("Scaled up replica set {} from 0 to {count}", created.name());
        cluster.normal(d, SOURCE, "ScalingReplicaSet", &msg)?;
    }
    Ok(created)
}

/// `deployment.kubernetes.io/revision-history` with `old` appended, dropping the oldest entries
/// to stay within the controller's 2000 characters (None: it would not fit at all).
fn append_history(history: &str, old: &str) -> Option<String> {
    if history.is_empty() {
        return Some(old.to_string());
    }
    let mut revisions: Vec<&str> = history.split(',').collect();
    let mut total = history.len() + old.len() + 1;
    let mut start = 0;
    while total > MAX_HISTORY_CHARS && start < revisions.len() {
        total -= revisions[start].len() + 1;
        start += 1;
    }
    if total > MAX_HISTORY_CHARS {
        return None;
    }
    revisions.drain(..start);
    revisions.push(old);
    Some(revisions.join(","))
}

/// Brings an existing new set's revision and annotations up to date; whether it changed.
pub fn refresh_new(cluster: &mut Cluster, d: &Value, rs: &Value, rev: i64) -> Result<Option<Value>> {
    let mut updated = rs.clone();
    copy_annotations(d, &mut updated);
    if revision(rs) < rev {
        // A set brought back by a rollback keeps the revisions it had (`SetNewReplicaSetAnnotations`).
        if let Some(old) = rs.annotation(REVISION).filter(|o| !o.is_empty()) {
            let history = append_history(rs.annotation(REVISION_HISTORY).unwrap_or(""), old);
            if let Some(history) = history {
                set_annotation(&mut updated, REVISION_HISTORY, &history);
            }
        }
        set_annotation(&mut updated, REVISION, &rev.to_string());
    }
    let min_ready = d.i64_at("spec.minReadySeconds").unwrap_or(0);
    if updated.i64_at("spec.minReadySeconds").unwrap_or(0) != min_ready {
        set_at(&mut updated, "spec.minReadySeconds", json!(min_ready));
    }
    if &updated == rs {
        return Ok(None);
    }
    Ok(Some(cluster.update(updated)?))
}

/// `scaleReplicaSet`: sets the replicas and the desired/max annotations, and reports the scaling.
pub fn scale(cluster: &mut Cluster, d: &Value, rs: &Value, count: i64, max_surge: i64) -> Result<Value> {
    let wanted = d.i64_at("spec.replicas").unwrap_or(1);
    let old = replicas(rs);
    let mut updated = rs.clone();
    updated["spec"]["replicas"] = json!(count);
    set_annotation(&mut updated, DESIRED, &wanted.to_string());
    set_annotation(&mut updated, MAX, &(wanted + max_surge).to_string());
    if &updated == rs {
        return Ok(updated);
    }
    let written = cluster.update(updated)?;
    if old != count {
        let direction = if count > old { "up" } else { "down" };
        let msg = format!("Scaled {direction} replica set {} from {old} to {count}", rs.name());
        cluster.normal(d, SOURCE, "ScalingReplicaSet", &msg)?;
    }
    Ok(written)
}

/// `cleanupDeployment`: old sets beyond `revisionHistoryLimit` that are scaled to zero go,
/// lowest revision first.
pub fn cleanup(cluster: &mut Cluster, d: &Value, old: &[Value]) -> Result<()> {
    let Some(limit) = d.i64_at("spec.revisionHistoryLimit") else { return Ok(()) };
    let mut idle: Vec<&Value> = old
        .iter()
        .filter(|rs| {
            replicas(rs) == 0
                && rs.i64_at("status.replicas").unwrap_or(0) == 0
                && rs.i64_at("status.observedGeneration") >= rs.i64_at("metadata.generation")
                && !rs.is_deleting()
        })
        .collect();
    let excess = i64::try_from(idle.len()).unwrap_or(0) - limit.max(0);
    if excess <= 0 {
        return Ok(());
    }
    idle.sort_by(|a, b| revision(a).cmp(&revision(b)).then(a.created().cmp(&b.created())));
    for rs in idle.iter().take(usize::try_from(excess).unwrap_or(0)) {
        cluster.delete(&Key::new(&REPLICASET, rs.namespace(), rs.name()), Propagation::Background, None)?;
    }
    Ok(())
}
