//! The controller's cache of the pods each set owns (its informer): built once per command from
//! the store's owner index, then kept current from the change stream, so a sync costs time in
//! proportion to what it does, not to how many pods the set has.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::identity::parent_and_ordinal;
use crate::api::kinds::POD;
use crate::api::ObjectExt;
use crate::clock::Instant;
use crate::cluster::{Change, Cluster};
use crate::Result;

/// What the control loop needs to know of one pod.
#[derive(Debug, Clone, PartialEq)]
pub struct PodInfo {
    pub name: String,
    pub uid: String,
    /// The `controller-revision-hash` label.
    pub revision: String,
    /// Phase Failed or Succeeded: the pod is replaced.
    pub finished: bool,
    pub pending: bool,
    pub running_ready: bool,
    /// When the Ready condition last turned true (for minReadySeconds).
    pub ready_since: Option<Instant>,
    pub deleting: bool,
    /// The identity labels are what the controller gave the pod (`identityMatches`).
    pub identity_matches: bool,
}

impl PodInfo {
    fn of(pod: &Value) -> PodInfo {
        let phase = pod.str_at("status.phase");
        let running_ready = super::is_running_and_ready(pod);
        let ready_since = running_ready
            .then(|| {
                pod.array_at("status.conditions")
                    .iter()
                    .find(|c| c.str_at("type") == "Ready")
                    .and_then(|c| c.time_at("lastTransitionTime"))
            })
            .flatten();
        PodInfo {
            name: pod.name().to_string(),
            uid: pod.uid().to_string(),
            revision: pod
                .at("metadata.labels")
                .and_then(|l| l.get("controller-revision-hash"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            finished: matches!(phase, "Failed" | "Succeeded"),
            pending: phase == "Pending",
            running_ready,
            ready_since,
            deleting: pod.is_deleting(),
            identity_matches: super::identity::identity_matches(pod),
        }
    }

    /// A pod this sync just created: Pending, at the revision it was made from.
    pub fn created(name: String, uid: String, revision: &str) -> PodInfo {
        PodInfo {
            name,
            uid,
            revision: revision.to_string(),
            finished: false,
            pending: true,
            running_ready: false,
            ready_since: None,
            deleting: false,
            identity_matches: true,
        }
    }

    /// Ready for at least `min_ready` seconds (`podutil.IsPodAvailable`).
    pub fn available(&self, min_ready: i64, now: Instant) -> bool {
        self.running_ready && (min_ready <= 0 || self.ready_since.is_some_and(|t| t + min_ready <= now))
    }

    /// Enough of the pod for an owner reference to it.
    pub fn reference(&self) -> Value {
        serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": self.name, "uid": self.uid}})
    }

    /// Running, ready, available and not terminating: what OrderedReady waits for.
    pub fn healthy(&self, min_ready: i64, now: Instant) -> bool {
        !self.deleting && self.available(min_ready, now)
    }
}

/// A set's pods by ordinal.
pub type Pods = BTreeMap<i64, PodInfo>;

#[derive(Default)]
pub struct PodCache {
    /// Set uid → its pods; only sets synced in this command are kept.
    sets: HashMap<String, Pods>,
}

/// The set (uid, name) a pod belongs to, and its ordinal.
fn membership(pod: &Value) -> Option<(&str, i64)> {
    let owner = pod.controller_ref()?;
    if owner.str_at("kind") != "StatefulSet" {
        return None;
    }
    let (parent, ordinal) = parent_and_ordinal(pod.name())?;
    (parent == owner.str_at("name")).then(|| (owner.str_at("uid"), ordinal))
}

/// Whether a pod stayed the same pod of the same set, the same to the control loop (a new
/// label of its own, an annotation): its set's sync would find nothing to do.
pub fn seen_the_same(change: &Change) -> bool {
    let (Some(old), Some(new)) = (change.old.as_deref(), change.object.as_deref()) else { return false };
    membership(old) == membership(new) && PodInfo::of(old) == PodInfo::of(new)
}

impl PodCache {
    /// Applies a pod change to the sets already cached.
    pub fn observe(&mut self, change: &Change) {
        if change.key.kind != "Pod" {
            return;
        }
        if let Some((uid, ordinal)) = change.old.as_deref().and_then(membership) {
            if let Some(pods) = self.sets.get_mut(uid) {
                if pods.get(&ordinal).is_some_and(|p| p.name == change.key.name) {
                    pods.remove(&ordinal);
                }
            }
        }
        if let Some(pod) = &change.object {
            if let Some((uid, ordinal)) = membership(pod) {
                if let Some(pods) = self.sets.get_mut(uid) {
                    pods.insert(ordinal, PodInfo::of(pod));
                }
            }
        }
    }

    /// Takes the set's pods out of the cache (loading them on first use); give them back with
    /// [`PodCache::put`].
    pub fn take(&mut self, cluster: &mut Cluster, set: &Value) -> Result<Pods> {
        if let Some(pods) = self.sets.remove(set.uid()) {
            return Ok(pods);
        }
        let uid = set.uid().to_string();
        let found = cluster.map_by_ref(&POD, &uid, |p| {
            membership(p).filter(|(u, _)| *u == uid).map(|(_, ordinal)| (ordinal, PodInfo::of(p)))
        })?;
        Ok(found.into_iter().collect())
    }

    pub fn put(&mut self, set: &Value, pods: Pods) {
        self.sets.insert(set.uid().to_string(), pods);
    }
}
