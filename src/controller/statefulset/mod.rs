//! The StatefulSet controller: stable names, ordered creation and deletion, per-pod claims,
//! revisions and rolling updates, following `pkg/controller/statefulset` of Kubernetes v1.32.

mod identity;
mod revisions;
mod status;

use serde_json::Value;

use super::Controller;
use crate::api::kinds::{POD, PVC, STATEFULSET};
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, EventSource, Key, Propagation};
use crate::clock::Instant;
use crate::Result;

pub use identity::{parent_and_ordinal, pod_name};
pub use revisions::revision_hash;

const SOURCE: EventSource<'static> = EventSource::component("statefulset-controller");

pub struct StatefulSetController;

impl Controller for StatefulSetController {
    fn watch(&mut self, change: &Change, _cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match change.key.kind {
            "StatefulSet" if change.object.is_some() => queue.push(change.key.clone()),
            "Pod" => {
                for obj in change.object.iter().chain(change.old.iter()) {
                    if let Some(owner) = obj.controller_ref() {
                        if owner.str_at("kind") == "StatefulSet" {
                            queue.push(Key::new(&STATEFULSET, obj.namespace(), owner.str_at("name")));
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some(set) = cluster.get(key)? else { return Ok(()) };
        if set.is_deleting() {
            return Ok(());
        }
        let revs = revisions::sync(cluster, &set)?;
        let pods = owned_pods(cluster, &set)?;
        let mut sync = Sync { set: &set, revs: &revs, now: cluster.clock.now() };
        sync.replicas(cluster, &pods)?;
        let pods = owned_pods(cluster, &set)?;
        status::update(cluster, &set, &revs, &pods)?;
        revisions::truncate(cluster, &set, &revs, &pods)?;
        Ok(())
    }
}

/// Pods this set controls, with their ordinals, sorted by ordinal.
fn owned_pods(cluster: &mut Cluster, set: &Value) -> Result<Vec<(i64, Value)>> {
    let mut pods: Vec<(i64, Value)> = cluster
        .list_by_ref(&POD, set.uid())?
        .into_iter()
        .filter_map(|p| match parent_and_ordinal(p.name()) {
            Some((parent, ord)) if parent == set.name() => Some((ord, p)),
            _ => None,
        })
        .collect();
    pods.sort_by_key(|(o, _)| *o);
    Ok(pods)
}

/// Pod health as the control loop sees it.
pub fn is_running_and_ready(pod: &Value) -> bool {
    pod.str_at("status.phase") == "Running" && condition_true(pod, "Ready")
}

pub fn condition_true(pod: &Value, type_: &str) -> bool {
    pod.array_at("status.conditions").iter().any(|c| c.str_at("type") == type_ && c.str_at("status") == "True")
}

/// Ready for at least `min_ready` seconds (`podutil.IsPodAvailable`).
pub fn is_available(pod: &Value, min_ready: i64, now: Instant) -> bool {
    if !is_running_and_ready(pod) {
        return false;
    }
    if min_ready <= 0 {
        return true;
    }
    let since = pod
        .array_at("status.conditions")
        .iter()
        .find(|c| c.str_at("type") == "Ready")
        .and_then(|c| c.time_at("lastTransitionTime"));
    since.is_some_and(|t| t + min_ready <= now)
}

fn is_healthy(pod: &Value, min_ready: i64, now: Instant) -> bool {
    !pod.is_deleting() && is_available(pod, min_ready, now)
}

fn is_finished(pod: &Value) -> bool {
    matches!(pod.str_at("status.phase"), "Failed" | "Succeeded")
}

struct Sync<'a> {
    set: &'a Value,
    revs: &'a revisions::Revisions,
    now: Instant,
}

impl Sync<'_> {
    fn start(&self) -> i64 {
        self.set.i64_at("spec.ordinals.start").unwrap_or(0)
    }

    fn replicas_wanted(&self) -> i64 {
        self.set.i64_at("spec.replicas").unwrap_or(1).max(0)
    }

    fn monotonic(&self) -> bool {
        self.set.str_at("spec.podManagementPolicy") != "Parallel"
    }

    fn min_ready(&self) -> i64 {
        self.set.i64_at("spec.minReadySeconds").unwrap_or(0)
    }

    /// One pass of `updateStatefulSet`: replicas in ascending order, then condemned pods in
    /// descending order, then the rolling update. In OrderedReady mode the pass stops at the first
    /// step that must wait, as the real controller returns from its sync.
    fn replicas(&mut self, cluster: &mut Cluster, pods: &[(i64, Value)]) -> Result<()> {
        let (start, end) = (self.start(), self.start() + self.replicas_wanted());
        let in_range: Vec<&(i64, Value)> = pods.iter().filter(|(o, _)| (start..end).contains(o)).collect();
        let mut condemned: Vec<&(i64, Value)> = pods.iter().filter(|(o, _)| !(start..end).contains(o)).collect();
        condemned.sort_by_key(|(o, _)| -o);
        let first_unhealthy = self.first_unhealthy(&in_range, &condemned);
        for ord in start..end {
            let pod = in_range.iter().find(|(o, _)| *o == ord).map(|(_, p)| p);
            if !self.replica(cluster, ord, pod)? && self.monotonic() {
                return Ok(());
            }
        }
        for (ord, pod) in &condemned {
            if !self.condemn(cluster, *ord, pod, first_unhealthy)? && self.monotonic() {
                return Ok(());
            }
        }
        if self.set.str_at("spec.updateStrategy.type") != "OnDelete" {
            self.roll(cluster, &in_range)?;
        }
        Ok(())
    }

    /// The ordinal of the lowest unhealthy replica, else of the lowest unhealthy condemned pod.
    fn first_unhealthy(&self, in_range: &[&(i64, Value)], condemned: &[&(i64, Value)]) -> Option<i64> {
        let unhealthy = |(_, p): &&&(i64, Value)| !is_healthy(p, self.min_ready(), self.now);
        in_range.iter().find(unhealthy).or_else(|| condemned.iter().rev().find(unhealthy)).map(|(o, _)| *o)
    }

    /// Handles one in-range slot; returns false when OrderedReady must wait here.
    fn replica(&mut self, cluster: &mut Cluster, ord: i64, pod: Option<&Value>) -> Result<bool> {
        let Some(pod) = pod else {
            self.create_pod(cluster, ord)?;
            return Ok(false);
        };
        if is_finished(pod) && !pod.is_deleting() {
            self.delete_pod(cluster, pod)?;
            return Ok(false);
        }
        if pod.str_at("status.phase") == "Pending" {
            identity::create_missing_claims(cluster, self.set, ord, SOURCE)?;
        }
        Ok(is_healthy(pod, self.min_ready(), self.now))
    }

    /// Handles one condemned pod; returns false when OrderedReady must wait here.
    fn condemn(&mut self, cluster: &mut Cluster, ord: i64, pod: &Value, first_unhealthy: Option<i64>) -> Result<bool> {
        if pod.is_deleting() {
            return Ok(false);
        }
        if self.monotonic() && !is_healthy(pod, self.min_ready(), self.now) && first_unhealthy != Some(ord) {
            return Ok(false);
        }
        self.delete_pod(cluster, pod)?;
        Ok(false)
    }

    /// RollingUpdate: the highest outdated pod at or above the partition goes first, one at a time,
    /// and only while every pod at or above the partition is healthy.
    fn roll(&mut self, cluster: &mut Cluster, in_range: &[&(i64, Value)]) -> Result<()> {
        let partition = self.set.i64_at("spec.updateStrategy.rollingUpdate.partition").unwrap_or(0);
        let floor = self.start() + partition;
        for (ord, pod) in in_range.iter().rev().filter(|(o, _)| *o >= floor) {
            let outdated = pod.labels().get("controller-revision-hash") != Some(&self.revs.update.name);
            if outdated && !pod.is_deleting() {
                return self.delete_pod(cluster, pod);
            }
            if !is_healthy(pod, self.min_ready(), self.now) {
                let _ = ord;
                return Ok(());
            }
        }
        Ok(())
    }

    fn create_pod(&mut self, cluster: &mut Cluster, ord: i64) -> Result<()> {
        let rev = self.revs.for_ordinal(ord - self.start(), self.set);
        let pod = identity::new_pod(self.set, rev, ord);
        let pod_name = pod.name().to_string();
        if let Err(e) = identity::create_missing_claims(cluster, self.set, ord, SOURCE) {
            let msg = format!("create Pod {pod_name} in StatefulSet {} failed error: {}", self.set.name(), e.server_message());
            return cluster.warning(self.set, SOURCE, "FailedCreate", &msg);
        }
        if let Some(blocked) = identity::claim_being_deleted(cluster, self.set, ord)? {
            let msg = format!(
                "create Pod {pod_name} in StatefulSet {} failed error: pvc {blocked} is being deleted",
                self.set.name()
            );
            return cluster.warning(self.set, SOURCE, "FailedCreate", &msg);
        }
        match cluster.create(pod, self.set.namespace()) {
            Ok(_) => {
                let msg = format!("create Pod {pod_name} in StatefulSet {} successful", self.set.name());
                cluster.normal(self.set, SOURCE, "SuccessfulCreate", &msg)
            }
            Err(e) => {
                let msg = format!("create Pod {pod_name} in StatefulSet {} failed error: {}", self.set.name(), e.server_message());
                cluster.warning(self.set, SOURCE, "FailedCreate", &msg)
            }
        }
    }

    fn delete_pod(&mut self, cluster: &mut Cluster, pod: &Value) -> Result<()> {
        let key = Key::new(&POD, pod.namespace(), pod.name());
        cluster.delete(&key, Propagation::Background, None)?;
        let msg = format!("delete Pod {} in StatefulSet {} successful", pod.name(), self.set.name());
        cluster.normal(self.set, SOURCE, "SuccessfulDelete", &msg)
    }
}

/// The claim name of template `template` for the pod of `set` with `ordinal`.
pub fn claim_name(template: &str, set: &str, ordinal: i64) -> String {
    format!("{template}-{set}-{ordinal}")
}

#[allow(dead_code)]
fn claim_key(set: &Value, template: &str, ordinal: i64) -> Key {
    Key::new(&PVC, set.namespace(), &claim_name(template, set.name(), ordinal))
}
