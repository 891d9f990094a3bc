//! A DaemonSet's ControllerRevisions (`pkg/controller/daemon/update.go`, `constructHistory` and
//! `cleanupHistory`): one revision per pod template the set has had, named `NAME-HASH` after the
//! hash its pods carry in `controller-revision-hash`, so `rollout history` and `rollout undo`
//! find the templates to go back to.

use serde_json::{json, Value};

use super::daemonset::HASH_LABEL;
use crate::api::kinds::CONTROLLERREVISION;
use crate::api::object::{controller_ref_to, set_at, set_label};
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key, Propagation};
use crate::controller::statefulset::patch_of;
use crate::Result;

/// Makes the current template's revision the newest (created, or an older one holding the same
/// template renumbered), then trims the history to `revisionHistoryLimit` (default 10), keeping
/// the revisions live pods run.
pub fn sync(cluster: &mut Cluster, ds: &Value, hash: &str, pods: &[Value]) -> Result<()> {
    let mut history = cluster.list_by_ref(&CONTROLLERREVISION, ds.uid())?;
    history.retain(|r| r.controller_uid() == ds.uid());
    history.sort_by_key(|r| r.i64_at("revision").unwrap_or(0));
    let data = patch_of(ds);
    let max = history.last().and_then(|r| r.i64_at("revision")).unwrap_or(0);
    let mut current = format!("{}-{hash}", ds.name());
    match history.iter().find(|r| r.get("data") == Some(&data)) {
        Some(existing) if existing.i64_at("revision") == Some(max) => current = existing.name().to_string(),
        Some(existing) => {
            let mut raised = existing.clone();
            raised["revision"] = json!(max + 1);
            current = existing.name().to_string();
            cluster.update_status(raised)?;
        }
        None => create(cluster, ds, hash, data, max + 1)?,
    }
    let limit = ds.i64_at("spec.revisionHistoryLimit").unwrap_or(10);
    let live = |r: &Value| {
        r.name() == current
            || pods.iter().any(|p| {
                !p.is_deleting()
                    && p.labels().get(HASH_LABEL).map(String::as_str) == r.labels().get(HASH_LABEL).map(String::as_str)
            })
    };
    let old: Vec<&Value> = history.iter().filter(|r| !live(r)).collect();
    let excess = old.len().saturating_sub(usize::try_from(limit.max(0)).unwrap_or(0));
    for r in old.into_iter().take(excess) {
        cluster.delete(&Key::new(&CONTROLLERREVISION, r.namespace(), r.name()), Propagation::Background, None)?;
    }
    Ok(())
}

fn create(cluster: &mut Cluster, ds: &Value, hash: &str, data: Value, number: i64) -> Result<()> {
    let mut rev = json!({
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": {"name": format!("{}-{hash}", ds.name()), "namespace": ds.namespace(),
                     "ownerReferences": [controller_ref_to(ds)]},
        "data": data,
        "revision": number,
    });
    for (k, v) in ds.map_at("spec.template.metadata.labels") {
        set_label(&mut rev, &k, &v);
    }
    set_label(&mut rev, HASH_LABEL, hash);
    if let Some(a) = ds.at("metadata.annotations") {
        set_at(&mut rev, "metadata.annotations", a.clone());
    }
    // A revision of that name left by an orphaning delete of an earlier set stays as it is (the
    // real controller would adopt it or bump the collision count).
    match cluster.create(rev, ds.namespace()) {
        Ok(_) | Err(crate::Error::AlreadyExists { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}
