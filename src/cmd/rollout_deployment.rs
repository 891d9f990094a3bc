//! `rollout status|history|undo` for Deployments and `rollout status` for DaemonSets, with
//! kubectl's texts (`polymorphichelpers`: the deployment and daemon set status viewers, `DeploymentHistoryViewer` and `DeploymentRollbacker`, v1.32).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::api::kinds::REPLICASET;
use crate::api::object::{entry_at, remove_at, set_at};
use crate::api::ObjectExt;
use crate::cluster::Cluster;
use crate::{Error, Result};

const REVISION: &str = "deployment.kubernetes.io/revision";
const HASH_LABEL: &str = "pod-template-hash";
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
/// Annotations a rollback keeps from the deployment rather than taking from the set.
const SKIPPED: [&str; 6] = [
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION,
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];

/// The status viewer's line and whether the rollout is done; a passed progress deadline fails.
pub fn status_message(d: &Value) -> Result<(String, bool)> {
    let name = d.name();
    let generation = d.i64_at("metadata.generation").unwrap_or(0);
    if generation > d.i64_at("status.observedGeneration").unwrap_or(0) {
        return Ok(("Waiting for deployment spec update to be observed...".into(), false));
    }
    let timed_out = d
        .array_at("status.conditions")
        .iter()
        .any(|c| c.str_at("type") == "Progressing" && c.str_at("reason") == "ProgressDeadlineExceeded");
    if timed_out {
        return Err(Error::cli(format!("deployment {name:?} exceeded its progress deadline")));
    }
    let n = |p: &str| d.i64_at(p).unwrap_or(0);
    let (replicas, updated, available) =
        (n("status.replicas"), n("status.updatedReplicas"), n("status.availableReplicas"));
    let wanted = d.i64_at("spec.replicas").unwrap_or(1);
    let waiting = |what: String| Ok((format!("Waiting for deployment {name:?} rollout to finish: {what}..."), false));
    if updated < wanted {
        return waiting(format!("{updated} out of {wanted} new replicas have been updated"));
    }
    if replicas > updated {
        return waiting(format!("{} old replicas are pending termination", replicas - updated));
    }
    if available < updated {
        return waiting(format!("{available} of {updated} updated replicas are available"));
    }
    Ok((format!("deployment {name:?} successfully rolled out"), true))
}

/// The DaemonSet status viewer's line and whether the rollout is done.
pub fn daemonset_status(ds: &Value) -> Result<(String, bool)> {
    if ds.str_at("spec.updateStrategy.type") != "RollingUpdate" {
        return Err(Error::cli("rollout status is only available for RollingUpdate strategy type"));
    }
    if ds.i64_at("metadata.generation").unwrap_or(0) > ds.i64_at("status.observedGeneration").unwrap_or(0) {
        return Ok(("Waiting for daemon set spec update to be observed...".into(), false));
    }
    let n = |p: &str| ds.i64_at(p).unwrap_or(0);
    let (desired, updated, available) =
        (n("status.desiredNumberScheduled"), n("status.updatedNumberScheduled"), n("status.numberAvailable"));
    let name = ds.name();
    if updated < desired {
        let msg = format!("Waiting for daemon set {name:?} rollout to finish: {updated} out of {desired} new pods have been updated...");
        return Ok((msg, false));
    }
    if available < desired {
        let msg = format!(
            "Waiting for daemon set {name:?} rollout to finish: {available} of {desired} updated pods are available..."
        );
        return Ok((msg, false));
    }
    Ok((format!("daemon set {name:?} successfully rolled out"), true))
}

fn sets_of(cluster: &mut Cluster, d: &Value) -> Result<Vec<Value>> {
    let mut sets = cluster.list_by_ref(&REPLICASET, d.uid())?;
    sets.retain(|rs| rs.controller_uid() == d.uid());
    Ok(sets)
}

fn revision(rs: &Value) -> Option<i64> {
    rs.annotation(REVISION).and_then(|r| r.parse().ok())
}

/// Each revision's pod template, with the set's change cause as a template annotation.
pub fn history(cluster: &mut Cluster, d: &Value) -> Result<BTreeMap<i64, Value>> {
    let mut out = BTreeMap::new();
    for rs in sets_of(cluster, d)? {
        let Some(rev) = revision(&rs) else { continue };
        let mut template = rs.at("spec.template").cloned().unwrap_or_else(|| json!({}));
        if let Some(cause) = rs.annotation(CHANGE_CAUSE).filter(|c| !c.is_empty()) {
            entry_at(&mut template, "metadata.annotations")[CHANGE_CAUSE] = json!(cause);
        }
        out.insert(rev, template);
    }
    Ok(out)
}

/// The change cause a history template carries, `<none>` without one.
pub fn change_cause(template: &Value) -> String {
    template
        .at("metadata.annotations")
        .and_then(|a| a.get(CHANGE_CAUSE))
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty())
        .unwrap_or("<none>")
        .to_string()
}

/// The ReplicaSet of revision `to_revision` (0: the one before the newest).
fn target_set(cluster: &mut Cluster, d: &Value, to_revision: i64) -> Result<Value> {
    let mut sets: Vec<(i64, Value)> =
        sets_of(cluster, d)?.into_iter().filter_map(|rs| Some((revision(&rs)?, rs))).collect();
    sets.sort_by_key(|(r, _)| *r);
    if to_revision > 0 {
        return sets
            .into_iter()
            .find(|(r, _)| *r == to_revision)
            .map(|(_, rs)| rs)
            .ok_or_else(|| Error::cli(format!("unable to find specified revision {to_revision} in history")));
    }
    let n = sets.len();
    if n < 2 {
        return Err(Error::cli(format!("no rollout history found for deployment {:?}", d.name())));
    }
    Ok(sets.swap_remove(n - 2).1)
}

/// The pod template `undo --dry-run=client` prints: the target ReplicaSet's, hash label included.
pub fn revision_template(cluster: &mut Cluster, d: &Value, to_revision: i64) -> Result<Value> {
    Ok(target_set(cluster, d, to_revision)?.at("spec.template").cloned().unwrap_or_else(|| json!({})))
}

/// What `undo` does to the deployment: `Ok(None)` when it already runs that template (with
/// kubectl's "skipped" text), `Ok(Some(updated))` otherwise.
pub fn rollback(cluster: &mut Cluster, d: &Value, to_revision: i64) -> Result<std::result::Result<Value, String>> {
    if d.at("spec.paused").and_then(Value::as_bool) == Some(true) {
        return Err(Error::cli(
            "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
        ));
    }
    let target = target_set(cluster, d, to_revision)?;
    let mut template = target.at("spec.template").cloned().unwrap_or_else(|| json!({}));
    remove_at(&mut template, &format!("metadata.labels.{HASH_LABEL}"));
    if d.at("spec.template") == Some(&template) {
        return Ok(Err(format!("skipped rollback (current template already matches revision {to_revision})")));
    }
    let mut updated = d.clone();
    set_at(&mut updated, "spec.template", template);
    let mut annotations = serde_json::Map::new();
    for (k, v) in d.map_at("metadata.annotations") {
        if SKIPPED.contains(&k.as_str()) {
            annotations.insert(k, json!(v));
        }
    }
    for (k, v) in target.map_at("metadata.annotations") {
        if !SKIPPED.contains(&k.as_str()) {
            annotations.insert(k, json!(v));
        }
    }
    set_at(&mut updated, "metadata.annotations", Value::Object(annotations));
    Ok(Ok(updated))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_follow_the_viewer() {
        let d = |status: Value| json!({"metadata": {"name": "web", "generation": 2}, "spec": {"replicas": 3}, "status": status});
        let m = |s| status_message(&d(s)).unwrap().0;
        assert_eq!(m(json!({"observedGeneration": 1})), "Waiting for deployment spec update to be observed...");
        assert_eq!(
            m(json!({"observedGeneration": 2, "updatedReplicas": 1, "replicas": 4})),
            "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated..."
        );
        assert_eq!(
            m(json!({"observedGeneration": 2, "updatedReplicas": 3, "replicas": 4})),
            "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination..."
        );
        assert_eq!(
            m(json!({"observedGeneration": 2, "updatedReplicas": 3, "replicas": 3, "availableReplicas": 3})),
            "deployment \"web\" successfully rolled out"
        );
        let stuck = d(
            json!({"observedGeneration": 2, "conditions": [{"type": "Progressing", "reason": "ProgressDeadlineExceeded"}]}),
        );
        assert!(status_message(&stuck).is_err());
    }
}
