//! The StatefulSet controller: stable names, ordered creation and deletion, per-pod claims,
//! revisions and rolling updates, following `pkg/controller/statefulset` of Kubernetes v1.32.

mod identity;
mod ownership;
mod pods;
mod revisions;
mod status;

use foldhash::HashSet;
use serde_json::Value;

use super::requeue::STATEFULSETS;
use super::Controller;

use crate::api::kinds::{POD, STATEFULSET};
use crate::api::ObjectExt;
use crate::clock::Instant;
use crate::cluster::{Change, Cluster, EventSource, Key, Propagation};
use crate::Result;

use pods::{PodCache, PodInfo, Pods};

pub use identity::{parent_and_ordinal, pod_name};
pub use revisions::{patch_of, revision_hash};

const SOURCE: EventSource<'static> = EventSource::component("statefulset-controller");

#[derive(Default)]
pub struct StatefulSetController {
    pods: PodCache,
    /// Sets that must look for orphans to adopt and pods to release before their next sync.
    adopt: HashSet<Key>,
    /// Ordinals (`<set uid>/<ordinal>`) whose failed pod was replaced in this command: a
    /// replacement that fails again waits for the next command, as the real controller's requeue
    /// back-off makes it wait.
    replaced: HashSet<String>,
    revisions: revisions::RevisionCache,
}

impl Controller for StatefulSetController {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        let seen_the_same = self.pods.observe(change);
        self.revisions.observe(change);
        match change.key.kind {
            "StatefulSet" if change.object.is_some() => {
                if change.old.as_ref().is_none_or(|o| o.at("spec") != change.object.as_ref().and_then(|n| n.at("spec")))
                {
                    self.adopt.insert(change.key.clone());
                }
                queue.push(change.key.clone());
            }
            // A deleted set's work-queue back-off goes with it (the queue forgets the key).
            "StatefulSet" => STATEFULSETS.forget_deleted(cluster, change, STATEFULSET.kind)?,
            "ServiceAccount" => {
                queue.extend(super::workload::sets_waiting_for_account(cluster, change, &STATEFULSET)?);
            }
            "Pod" => {
                if let Some(key) = adoption_candidate(change, cluster)? {
                    self.adopt.insert(key.clone());
                    queue.push(key);
                }
                if seen_the_same {
                    return Ok(());
                }
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

    /// Sets that are not at rest are synced again by every command (the real controller's
    /// periodic resync): a failed or blocked pod gets another chance.
    fn start(&mut self, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        cluster.load(&STATEFULSET, None)?;
        let unsettled: Vec<(Key, String)> = cluster
            .iter(&STATEFULSET, None)
            .filter(|s| {
                let wanted = s.i64_at("spec.replicas").unwrap_or(1);
                s.i64_at("status.readyReplicas").unwrap_or(0) != wanted
                    || s.i64_at("status.replicas").unwrap_or(0) != wanted
            })
            .map(|s| (Key::new(&STATEFULSET, s.namespace(), s.name()), s.uid().to_string()))
            .collect();
        // A set whose last sync failed waits for its back-off (its timer), as in the real queue.
        for (key, uid) in unsettled {
            if !STATEFULSETS.backing_off(cluster, &uid)? {
                queue.push(key);
            }
        }
        Ok(())
    }

    fn resync(&mut self, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        cluster.load(&STATEFULSET, None)?;
        let sets = cluster.iter(&STATEFULSET, None).filter(|s| s.i64_at("spec.minReadySeconds").unwrap_or(0) > 0);
        queue.extend(sets.map(|s| Key::new(&STATEFULSET, s.namespace(), s.name())));
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        // Read shared with the view: the set is copied only when its status is written.
        let Some(set) = cluster.get_shared(key)? else { return Ok(()) };
        if set.is_deleting() {
            return Ok(());
        }
        // Pods that change hands come back through the change stream; sync after that.
        if self.adopt.remove(key) && ownership::adopt_and_release(cluster, &set)? {
            return Ok(());
        }
        let revs = self.revisions.sync(cluster, &set)?;
        let mut pods = self.pods.take(cluster, &set)?;
        let now = cluster.clock.now();
        let mut sync = Sync::new(&set, &revs, now, &mut self.replaced);
        // A pod that is ready but not yet available becomes available later: wake up then.
        let min_ready = sync.min_ready();
        if min_ready > 0 {
            if let Some(t) = pods.next_available(min_ready, now) {
                cluster.wake_at(t);
            }
        }
        let result = sync.replicas(cluster, &mut pods);
        let failed = sync.failed_create;
        let uid = set.uid().to_string();
        let retry = STATEFULSETS.after_sync(cluster, &uid, failed)?;
        cluster.set_timer(key, retry)?;
        // The status write takes the set this sync read, which is not needed after it.
        let result = result.and_then(|_| {
            let set = status::update(cluster, set, &revs, &pods, min_ready, now)?;
            revisions::truncate(cluster, &mut self.revisions, &set, &revs, &pods)
        });
        self.pods.put(uid, pods);
        result
    }
}

/// The set that may adopt or release a pod after this change: an orphan named like one of its
/// pods, or an owned pod whose labels changed so that its set's selector may no longer match.
fn adoption_candidate(change: &Change, cluster: &mut Cluster) -> Result<Option<Key>> {
    let Some(pod) = change.object.as_deref() else { return Ok(None) };
    if pod.controller_uid().is_empty() {
        let parent = parent_and_ordinal(pod.name()).map(|(parent, _)| parent);
        return Ok(parent.map(|parent| Key::new(&STATEFULSET, pod.namespace(), parent)));
    }
    let Some(owner) = pod.controller_ref() else { return Ok(None) };
    let relabeled = change.old.as_ref().is_some_and(|o| o.at("metadata.labels") != pod.at("metadata.labels"));
    if !relabeled || owner.str_at("kind") != "StatefulSet" {
        return Ok(None);
    }
    let key = Key::new(&STATEFULSET, pod.namespace(), owner.str_at("name"));
    // A pod its set still selects stays with it: there is nothing to release.
    let kept = cluster.get_ref(&key)?.is_some_and(|set| set.uid() == pod.controller_uid() && selects(set, pod));
    Ok((!kept).then_some(key))
}

fn selects(set: &Value, pod: &Value) -> bool {
    let selector = set.at("spec.selector").map(crate::api::selector::Selector::from_label_selector);
    matches!(selector, Some(Ok(s)) if !s.is_empty() && s.matches_object(pod))
}

/// Pod health as the control loop sees it.
pub fn is_running_and_ready(pod: &Value) -> bool {
    pod.str_at("status.phase") == "Running" && condition_true(pod, "Ready")
}

pub fn condition_true(pod: &Value, type_: &str) -> bool {
    pod.array_at("status.conditions").iter().any(|c| c.str_at("type") == type_ && c.str_at("status") == "True")
}

/// One sync of one set; the spec fields the loop reads per pod are read once.
struct Sync<'a> {
    replaced: &'a mut HashSet<String>,
    set: &'a Value,
    revs: &'a revisions::Revisions,
    now: Instant,
    min_ready: i64,
    start: i64,
    replicas: i64,
    monotonic: bool,
    /// Claim owner references need attention: a non-default retention policy, or a spec change
    /// (the policy may have gone back to Retain).
    tracks_claims: bool,
    /// A claim or pod creation was refused (`FailedCreate`): the sync ends in an error, which
    /// the controller's work queue retries with its back-off.
    failed_create: bool,
}

impl<'a> Sync<'a> {
    fn new(
        set: &'a Value,
        revs: &'a revisions::Revisions,
        now: Instant,
        replaced: &'a mut HashSet<String>,
    ) -> Sync<'a> {
        Sync {
            replaced,
            set,
            revs,
            now,
            failed_create: false,
            min_ready: set.i64_at("spec.minReadySeconds").unwrap_or(0),
            start: set.i64_at("spec.ordinals.start").unwrap_or(0),
            replicas: set.i64_at("spec.replicas").unwrap_or(1).max(0),
            monotonic: set.str_at("spec.podManagementPolicy") != "Parallel",
            tracks_claims: ownership::policy(set) != (false, false)
                || set.i64_at("status.observedGeneration") != set.i64_at("metadata.generation"),
        }
    }

    fn min_ready(&self) -> i64 {
        self.min_ready
    }

    fn healthy(&self, pod: &PodInfo) -> bool {
        pod.healthy(self.min_ready, self.now)
    }

    fn tracks_claims(&self) -> bool {
        self.tracks_claims
    }

    fn start(&self) -> i64 {
        self.start
    }

    fn replicas_wanted(&self) -> i64 {
        self.replicas
    }

    fn monotonic(&self) -> bool {
        self.monotonic
    }

    /// One pass of `updateStatefulSet`: replicas in ascending order, then condemned pods in
    /// descending order, then the rolling update. In OrderedReady mode the pass stops at the first
    /// step that must wait, as the real controller returns from its sync. What the pass does is
    /// recorded in `pods`, which the status then counts.
    fn replicas(&mut self, cluster: &mut Cluster, pods: &mut Pods) -> Result<()> {
        let (start, end) = (self.start(), self.start() + self.replicas_wanted());
        let (min_ready, now) = (self.min_ready, self.now);
        let first_unhealthy = pods.first_unhealthy(start..end, min_ready, now).or_else(|| {
            let below = pods.first_unhealthy(..start, min_ready, now);
            below.or_else(|| pods.first_unhealthy(end.max(start).., min_ready, now))
        });
        // Settled, available pods need nothing from the loop, unless their claims' owner
        // references are kept in step.
        let mut from = start;
        while let Some(ord) = self.next_slot(pods, from, end) {
            if !self.replica(cluster, ord, pods)? && self.monotonic() {
                return Ok(());
            }
            from = ord + 1;
        }
        // Claim references for condemned pods are set before any of them is deleted, so a claim is
        // collected only after its pod is gone.
        if self.tracks_claims() {
            let condemned: Vec<(i64, Value)> =
                pods.condemned(start, end).filter_map(|o| pods.get(&o).map(|p| (o, p.reference()))).collect();
            for (ord, reference) in condemned {
                ownership::sync_claim_refs(cluster, self.set, ord, &reference, true)?;
            }
        }
        // OrderedReady acts on the highest condemned pod only; Parallel deletes every one not
        // already going.
        let condemned: Vec<i64> = if self.monotonic() {
            pods.condemned(start, end).take(1).collect()
        } else {
            pods.condemned(start, end).filter(|o| pods.get(o).is_some_and(|p| !p.deleting)).collect()
        };
        for ord in condemned {
            if !self.condemn(cluster, ord, pods, first_unhealthy)? && self.monotonic() {
                return Ok(());
            }
        }
        if self.set.str_at("spec.updateStrategy.type") != "OnDelete" {
            self.roll(cluster, pods)?;
        }
        Ok(())
    }

    /// The next in-range ordinal from `from` the replica loop must handle: every one when claim
    /// references are kept in step, else only those [`Pods::next_to_look`] names.
    fn next_slot(&self, pods: &Pods, from: i64, end: i64) -> Option<i64> {
        if self.tracks_claims() {
            return Some(from).filter(|o| *o < end);
        }
        pods.next_to_look(from, end, self.min_ready, self.now)
    }

    /// Handles one in-range slot; returns false when OrderedReady must wait here.
    fn replica(&mut self, cluster: &mut Cluster, ord: i64, pods: &mut Pods) -> Result<bool> {
        let Some(pod) = pods.get(&ord) else {
            if let Some(created) = self.create_pod(cluster, ord)? {
                pods.insert(ord, created);
            }
            return Ok(false);
        };
        if pod.finished && !pod.deleting {
            // One replacement per ordinal per command: a pod the kubelet keeps rejecting would
            // otherwise be recreated forever within the command.
            if self.replaced.insert(format!("{}/{ord}", self.set.uid())) {
                self.delete_pod(cluster, ord, pods)?;
            }
            return Ok(false);
        }
        let healthy = self.healthy(pod);
        if pod.pending {
            identity::create_missing_claims(cluster, self.set, ord, SOURCE)?;
        }
        if self.tracks_claims() {
            ownership::sync_claim_refs(cluster, self.set, ord, &pod.reference(), false)?;
        }
        // The invariants are enforced once OrderedReady would move on past the pod.
        if !pod.identity_matches && (healthy || !self.monotonic()) {
            identity::repair(cluster, self.set, ord, SOURCE)?;
            pods.modify(ord, |p| p.identity_matches = true);
        }
        Ok(healthy)
    }

    /// Handles one condemned pod; returns false when OrderedReady must wait here.
    fn condemn(
        &mut self,
        cluster: &mut Cluster,
        ord: i64,
        pods: &mut Pods,
        first_unhealthy: Option<i64>,
    ) -> Result<bool> {
        let Some(pod) = pods.get(&ord) else { return Ok(true) };
        if pod.deleting {
            return Ok(false);
        }
        if self.monotonic() && !self.healthy(pod) && first_unhealthy != Some(ord) {
            return Ok(false);
        }
        self.delete_pod(cluster, ord, pods)?;
        Ok(false)
    }

    /// RollingUpdate: the highest outdated pod at or above the partition goes first, one at a time,
    /// and only while every pod at or above the partition is healthy.
    fn roll(&mut self, cluster: &mut Cluster, pods: &mut Pods) -> Result<()> {
        let partition = self.set.i64_at("spec.updateStrategy.rollingUpdate.partition").unwrap_or(0);
        let (floor, end) = (self.start() + partition, self.start() + self.replicas_wanted());
        let range = floor..end.max(floor);
        // Walking down from the top, the loop stops at the first outdated pod (deleting it) or the
        // first unhealthy one, whichever is higher.
        let outdated = pods.highest_outdated(range.clone(), &self.revs.update.name);
        let unhealthy = pods.last_unhealthy(range, self.min_ready, self.now);
        match (outdated, unhealthy) {
            (Some(o), u) if u.is_none_or(|u| o >= u) => self.delete_pod(cluster, o, pods),
            _ => Ok(()),
        }
    }

    /// Creates the claims, then the pod, of `ord`; the pod's cache entry when it was created.
    fn create_pod(&mut self, cluster: &mut Cluster, ord: i64) -> Result<Option<PodInfo>> {
        let rev = self.revs.for_ordinal(ord - self.start(), self.set);
        let pod = identity::new_pod(self.set, rev, ord);
        let pod_name = pod.name().to_string();
        let revision = rev.name.clone();
        if ownership::claim_is_stale(cluster, self.set, ord)? {
            return Ok(None);
        }
        if let Err(e) = identity::create_missing_claims(cluster, self.set, ord, SOURCE) {
            let msg = format!(
                "create Pod {pod_name} in StatefulSet {} failed error: {}",
                self.set.name(),
                e.server_message()
            );
            self.failed_create = true;
            cluster.warning(self.set, SOURCE, "FailedCreate", &msg)?;
            return Ok(None);
        }
        if let Some(blocked) = identity::claim_being_deleted(cluster, self.set, ord)? {
            let msg = format!(
                "create Pod {pod_name} in StatefulSet {} failed error: pvc {blocked} is being deleted",
                self.set.name()
            );
            self.failed_create = true;
            cluster.warning(self.set, SOURCE, "FailedCreate", &msg)?;
            return Ok(None);
        }
        match cluster.create(pod, self.set.namespace()) {
            Ok(created) => {
                let msg = format!("create Pod {pod_name} in StatefulSet {} successful", self.set.name());
                cluster.normal(self.set, SOURCE, "SuccessfulCreate", &msg)?;
                if self.tracks_claims() {
                    ownership::sync_claim_refs(cluster, self.set, ord, &created, false)?;
                }
                Ok(Some(PodInfo::created(pod_name, created.uid().to_string(), &revision)))
            }
            // A pod of that name that the set does not own blocks the ordinal; the real controller
            // retries without recording an event.
            Err(crate::Error::AlreadyExists { .. }) => Ok(None),
            Err(e) => {
                let msg = format!(
                    "create Pod {pod_name} in StatefulSet {} failed error: {}",
                    self.set.name(),
                    e.server_message()
                );
                self.failed_create = true;
                cluster.warning(self.set, SOURCE, "FailedCreate", &msg)?;
                Ok(None)
            }
        }
    }

    fn delete_pod(&mut self, cluster: &mut Cluster, ord: i64, pods: &mut Pods) -> Result<()> {
        let Some(name) = pods.get(&ord).map(|p| p.name.clone()) else { return Ok(()) };
        pods.modify(ord, |p| p.deleting = true);
        cluster.delete(&Key::new(&POD, self.set.namespace(), &name), Propagation::Background, None)?;
        let msg = format!("delete Pod {name} in StatefulSet {} successful", self.set.name());
        cluster.normal(self.set, SOURCE, "SuccessfulDelete", &msg)
    }
}

/// The claim name of template `template` for the pod of `set` with `ordinal`.
pub fn claim_name(template: &str, set: &str, ordinal: i64) -> String {
    format!("{template}-{set}-{ordinal}")
}
