//! The controller's cache of the pods each set owns (its informer): built once per command from
//! the store's owner index, then kept current from the change stream, so a sync costs time in
//! proportion to what it does, not to how many pods the set has.

use std::collections::{BTreeMap, BTreeSet};

use foldhash::HashMap;
use serde_json::Value;

use super::identity::parent_and_ordinal;
use crate::api::kinds::POD;
use crate::api::ObjectExt;
use crate::clock::Instant;
use crate::cluster::{Change, Cluster};
use crate::Result;

/// What the control loop needs to know of one pod: owned (`String`) in the cache, borrowed
/// (`&str`) from a pod while a change is compared, which most pod changes are not worth a copy.
#[derive(Debug, Clone, PartialEq)]
pub struct PodInfo<S = String> {
    pub name: S,
    pub uid: S,
    /// The `controller-revision-hash` label.
    pub revision: S,
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

impl<'a> PodInfo<&'a str> {
    fn view(pod: &'a Value) -> PodInfo<&'a str> {
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
            name: pod.name(),
            uid: pod.uid(),
            revision: pod
                .at("metadata.labels")
                .and_then(|l| l.get("controller-revision-hash"))
                .and_then(Value::as_str)
                .unwrap_or(""),
            finished: matches!(phase, "Failed" | "Succeeded"),
            pending: phase == "Pending",
            running_ready,
            ready_since,
            deleting: pod.is_deleting(),
            identity_matches: super::identity::identity_matches(pod),
        }
    }

    fn owned(&self) -> PodInfo {
        self.map_text(|s| s.to_string())
    }
}

impl<S> PodInfo<S> {
    /// The same facts with the text fields converted (owned from borrowed and back).
    fn map_text<'b, T>(&'b self, f: impl Fn(&'b S) -> T) -> PodInfo<T> {
        PodInfo {
            name: f(&self.name),
            uid: f(&self.uid),
            revision: f(&self.revision),
            finished: self.finished,
            pending: self.pending,
            running_ready: self.running_ready,
            ready_since: self.ready_since,
            deleting: self.deleting,
            identity_matches: self.identity_matches,
        }
    }
}

impl PodInfo {
    fn of(pod: &Value) -> PodInfo {
        PodInfo::view(pod).owned()
    }

    fn as_view(&self) -> PodInfo<&str> {
        self.map_text(String::as_str)
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

    /// Running, ready, of its identity and not terminating or finished: nothing for a sync to do,
    /// once available.
    pub fn settled(&self) -> bool {
        !self.deleting && !self.finished && !self.pending && self.running_ready && self.identity_matches
    }

    /// Running, ready, available and not terminating: what OrderedReady waits for.
    pub fn healthy(&self, min_ready: i64, now: Instant) -> bool {
        !self.deleting && self.available(min_ready, now)
    }
}

/// A set's pods by ordinal, with the indexes a sync reads, so that a sync costs time in
/// proportion to the pods that need a look (missing, unsettled, or not yet available), not to
/// the size of the set: scaling a set of N pods one pod at a time stays linear in N.
#[derive(Debug, Default, Clone)]
pub struct Pods {
    by_ordinal: BTreeMap<i64, PodInfo>,
    /// The ordinals present, as half-open runs `start → end`, to find the next missing one.
    runs: BTreeMap<i64, i64>,
    /// Ordinals whose pod is not settled ([`PodInfo::settled`]).
    unsettled: BTreeSet<i64>,
    /// Running and ready pods by when they became ready (`i64::MAX` when unknown), for
    /// minReadySeconds.
    ready: BTreeSet<(Instant, i64)>,
    /// Ordinals of the pods not being deleted, per revision.
    live: HashMap<String, BTreeSet<i64>>,
    /// How many pods (deleting or not) are at each revision.
    revisions: HashMap<String, usize>,
}

impl Pods {
    pub fn get(&self, ordinal: &i64) -> Option<&PodInfo> {
        self.by_ordinal.get(ordinal)
    }

    pub fn len(&self) -> usize {
        self.by_ordinal.len()
    }

    pub fn insert(&mut self, ordinal: i64, pod: PodInfo) {
        self.remove(ordinal);
        self.index(ordinal, &pod, true);
        self.add_run(ordinal);
        self.by_ordinal.insert(ordinal, pod);
    }

    pub fn remove(&mut self, ordinal: i64) -> Option<PodInfo> {
        let pod = self.by_ordinal.remove(&ordinal)?;
        self.index(ordinal, &pod, false);
        self.remove_run(ordinal);
        Some(pod)
    }

    /// Changes one pod's entry, keeping the indexes right.
    pub fn modify(&mut self, ordinal: i64, f: impl FnOnce(&mut PodInfo)) {
        if let Some(mut pod) = self.remove(ordinal) {
            f(&mut pod);
            self.insert(ordinal, pod);
        }
    }

    fn index(&mut self, ordinal: i64, pod: &PodInfo, add: bool) {
        fn toggle<T: Ord>(set: &mut BTreeSet<T>, item: T, add: bool) {
            if add {
                set.insert(item);
            } else {
                set.remove(&item);
            }
        }
        if !pod.settled() {
            toggle(&mut self.unsettled, ordinal, add);
        }
        if pod.running_ready {
            toggle(&mut self.ready, (pod.ready_since.unwrap_or(i64::MAX), ordinal), add);
        }
        if !pod.deleting {
            let live = self.live.entry(pod.revision.clone()).or_default();
            toggle(live, ordinal, add);
            if live.is_empty() {
                self.live.remove(&pod.revision);
            }
        }
        let count = self.revisions.entry(pod.revision.clone()).or_default();
        *count = if add { *count + 1 } else { count.saturating_sub(1) };
        if *count == 0 {
            self.revisions.remove(&pod.revision);
        }
    }

    fn add_run(&mut self, ordinal: i64) {
        let (mut start, mut end) = (ordinal, ordinal + 1);
        if let Some((&s, &e)) = self.runs.range(..=ordinal).next_back() {
            if e >= ordinal {
                start = s;
                end = end.max(e);
            }
        }
        if let Some(&e) = self.runs.get(&end) {
            self.runs.remove(&end);
            end = e;
        }
        self.runs.insert(start, end);
    }

    fn remove_run(&mut self, ordinal: i64) {
        let Some((&s, &e)) = self.runs.range(..=ordinal).next_back() else { return };
        if e <= ordinal {
            return;
        }
        self.runs.remove(&s);
        if s < ordinal {
            self.runs.insert(s, ordinal);
        }
        if ordinal + 1 < e {
            self.runs.insert(ordinal + 1, e);
        }
    }

    /// The first ordinal at or after `from` with no pod.
    fn next_missing(&self, from: i64) -> i64 {
        match self.runs.range(..=from).next_back() {
            Some((_, &e)) if e > from => e,
            _ => from,
        }
    }

    /// Ready pods not yet available after `min_ready` seconds, at `now`.
    fn not_yet_available(&self, min_ready: i64, now: Instant) -> impl Iterator<Item = i64> + '_ {
        let from = if min_ready > 0 { now.saturating_sub(min_ready).saturating_add(1) } else { i64::MAX };
        self.ready.range((from, i64::MIN)..).map(|(_, o)| *o).filter(move |_| min_ready > 0)
    }

    /// The first ordinal in `from..end` a sync must look at: one with no pod, an unsettled pod, or
    /// a pod not yet available. Settled, available pods need nothing from a sync.
    pub fn next_to_look(&self, from: i64, end: i64, min_ready: i64, now: Instant) -> Option<i64> {
        let missing = Some(self.next_missing(from));
        let unsettled = self.unsettled.range(from..).next().copied();
        let waiting = self.not_yet_available(min_ready, now).filter(|o| *o >= from).min();
        [missing, unsettled, waiting].into_iter().flatten().min().filter(|o| *o < end)
    }

    /// The last unhealthy pod in `range`, in ascending order.
    pub fn last_unhealthy(&self, range: std::ops::Range<i64>, min_ready: i64, now: Instant) -> Option<i64> {
        let waiting = self.not_yet_available(min_ready, now).filter(|o| range.contains(o)).max();
        let unsettled = self
            .unsettled
            .range(range)
            .rev()
            .copied()
            .find(|o| self.get(o).is_some_and(|p| !p.healthy(min_ready, now)));
        waiting.into_iter().chain(unsettled).max()
    }

    /// The first unhealthy pod in `range`, in ascending order.
    pub fn first_unhealthy(
        &self,
        range: impl std::ops::RangeBounds<i64> + Clone,
        min_ready: i64,
        now: Instant,
    ) -> Option<i64> {
        let waiting = self.not_yet_available(min_ready, now).filter(|o| range.contains(o)).min();
        let unsettled =
            self.unsettled.range(range).copied().find(|o| self.get(o).is_some_and(|p| !p.healthy(min_ready, now)));
        waiting.into_iter().chain(unsettled).min()
    }

    /// Ordinals outside `start..end`, highest first: the pods a scale-down condemns.
    pub fn condemned(&self, start: i64, end: i64) -> impl Iterator<Item = i64> + '_ {
        let above = self.by_ordinal.range(end.max(start)..).rev();
        above.chain(self.by_ordinal.range(..start).rev()).map(|(o, _)| *o)
    }

    /// The highest pod in `range` that is not being deleted and not at `revision`.
    pub fn highest_outdated(&self, range: std::ops::Range<i64>, revision: &str) -> Option<i64> {
        let others = self.live.iter().filter(|(r, _)| r.as_str() != revision);
        others.filter_map(|(_, ords)| ords.range(range.clone()).next_back().copied()).max()
    }

    /// Pods running and ready.
    pub fn ready_count(&self) -> usize {
        self.ready.len()
    }

    /// Pods available after `min_ready` seconds, at `now`.
    pub fn available_count(&self, min_ready: i64, now: Instant) -> usize {
        self.ready.len() - self.not_yet_available(min_ready, now).count()
    }

    /// Pods not being deleted at `revision`.
    pub fn live_at(&self, revision: &str) -> usize {
        self.live.get(revision).map_or(0, BTreeSet::len)
    }

    /// When the next ready pod becomes available, after `now`.
    pub fn next_available(&self, min_ready: i64, now: Instant) -> Option<Instant> {
        let from = now.saturating_sub(min_ready).saturating_add(1);
        self.ready.range((from, i64::MIN)..).map(|(t, _)| *t).find(|t| *t != i64::MAX).map(|t| t + min_ready)
    }

    /// The revisions any pod is at.
    pub fn revisions(&self) -> impl Iterator<Item = &String> {
        self.revisions.keys()
    }
}

impl FromIterator<(i64, PodInfo)> for Pods {
    fn from_iter<I: IntoIterator<Item = (i64, PodInfo)>>(iter: I) -> Pods {
        let mut pods = Pods::default();
        for (ordinal, pod) in iter {
            pods.insert(ordinal, pod);
        }
        pods
    }
}

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

impl PodCache {
    /// Applies a pod change to the sets already cached. Returns whether the pod stayed the same
    /// pod of the same set, the same to the control loop (a new label of its own, an
    /// annotation): its set's sync would find nothing to do.
    pub fn observe(&mut self, change: &Change) -> bool {
        if change.key.kind != "Pod" {
            return false;
        }
        // Each side is read once, for both the answer and the cache.
        let old = change.old.as_deref().map(|p| (membership(p), PodInfo::view(p)));
        let new = change.object.as_deref().map(|p| (membership(p), PodInfo::view(p)));
        let same = matches!((&old, &new), (Some(a), Some(b)) if a == b);
        if let Some((Some((uid, ordinal)), _)) = old {
            if let Some(pods) = self.sets.get_mut(uid) {
                // Replacing an entry with its equal would change nothing.
                let unchanged =
                    new.as_ref().is_some_and(|(_, info)| pods.get(&ordinal).is_some_and(|p| p.as_view() == *info));
                if same && unchanged {
                    return true;
                }
                if pods.get(&ordinal).is_some_and(|p| p.name == change.key.name) {
                    pods.remove(ordinal);
                }
            }
        }
        if let Some((Some((uid, ordinal)), info)) = new {
            if let Some(pods) = self.sets.get_mut(uid) {
                pods.insert(ordinal, info.owned());
            }
        }
        same
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

    pub fn put(&mut self, set_uid: String, pods: Pods) {
        self.sets.insert(set_uid, pods);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(ordinal: i64, ready: bool, revision: &str) -> PodInfo {
        PodInfo {
            name: format!("web-{ordinal}"),
            uid: format!("u{ordinal}"),
            revision: revision.to_string(),
            finished: false,
            pending: !ready,
            running_ready: ready,
            ready_since: ready.then_some(100),
            deleting: false,
            identity_matches: true,
        }
    }

    #[test]
    fn runs_find_the_next_missing_ordinal() {
        let mut pods: Pods = [0, 1, 2, 4, 5].into_iter().map(|o| (o, pod(o, true, "a"))).collect();
        assert_eq!(pods.next_missing(0), 3);
        assert_eq!(pods.next_missing(3), 3);
        assert_eq!(pods.next_missing(4), 6);
        pods.insert(3, pod(3, true, "a"));
        assert_eq!(pods.next_missing(0), 6);
        pods.remove(1);
        assert_eq!(pods.next_missing(0), 1);
        assert_eq!(pods.next_missing(2), 6);
        assert_eq!(pods.runs.len(), 2);
    }

    #[test]
    fn a_sync_looks_only_at_missing_unsettled_or_unavailable_pods() {
        let mut pods: Pods = (0..5).map(|o| (o, pod(o, o != 2, "a"))).collect();
        assert_eq!(pods.next_to_look(0, 10, 0, 200), Some(2));
        assert_eq!(pods.next_to_look(3, 10, 0, 200), Some(5));
        assert_eq!(pods.next_to_look(3, 5, 0, 200), None);
        // Ready at 100, ten seconds of minReadySeconds: not yet available at 105.
        assert_eq!(pods.next_to_look(0, 10, 10, 105), Some(0));
        assert_eq!(pods.available_count(10, 105), 0);
        assert_eq!(pods.available_count(10, 110), 4);
        assert_eq!(pods.next_available(10, 105), Some(110));
        pods.modify(4, |p| p.deleting = true);
        assert_eq!(pods.first_unhealthy(0..5, 0, 200), Some(2));
        assert_eq!(pods.last_unhealthy(0..5, 0, 200), Some(4));
        assert_eq!(pods.live_at("a"), 4);
        assert_eq!(pods.ready_count(), 4);
    }

    #[test]
    fn the_highest_outdated_live_pod_and_the_condemned() {
        let mut pods: Pods = (0..6).map(|o| (o, pod(o, true, if o < 3 { "old" } else { "new" }))).collect();
        assert_eq!(pods.highest_outdated(0..6, "new"), Some(2));
        pods.modify(2, |p| p.deleting = true);
        assert_eq!(pods.highest_outdated(0..6, "new"), Some(1));
        assert_eq!(pods.condemned(1, 4).collect::<Vec<_>>(), [5, 4, 0]);
        assert_eq!(pods.revisions().count(), 2);
    }
}
