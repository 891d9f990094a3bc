//! The Deployment controller (`pkg/controller/deployment`, v1.32): a ReplicaSet per pod
//! template named `<deployment>-<pod-template-hash>`, RollingUpdate within maxSurge and
//! maxUnavailable, Recreate, proportional scaling, pause, revisions and their history limit, and
//! the Available and Progressing conditions, with the progress deadline kept in cluster time.

mod conditions;
mod rollout;
mod sets;

use serde_json::{json, Value};

use super::Controller;
use crate::api::kinds::{DEPLOYMENT, POD, REPLICASET};
use crate::api::object::set_annotation;
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::clock::Instant;
use crate::cluster::{Change, Cluster, EventSource, Key};
use crate::Result;

use conditions::{new_condition, AVAILABLE, PROGRESSING};
use rollout::Fenceposts;
use sets::replicas;

const SOURCE: EventSource<'static> = EventSource::component("deployment-controller");

#[derive(Default)]
pub struct DeploymentController;

impl Controller for DeploymentController {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match change.key.kind {
            "Deployment" if change.object.is_some() => queue.push(change.key.clone()),
            "ReplicaSet" => {
                for rs in change.object.iter().chain(change.old.iter()) {
                    if let Some(owner) = rs.controller_ref().filter(|o| o.str_at("kind") == "Deployment") {
                        queue.push(Key::new(&DEPLOYMENT, rs.namespace(), owner.str_at("name")));
                    }
                }
                if let Some(rs) = change.object.as_ref().filter(|rs| rs.controller_ref().is_none()) {
                    queue.extend(matching(cluster, rs)?);
                }
            }
            // Recreate waits for the old pods to be gone.
            "Pod" if change.object.is_none() => {
                let Some(old) = &change.old else { return Ok(()) };
                let Some(rs) = old.controller_ref().filter(|o| o.str_at("kind") == "ReplicaSet") else {
                    return Ok(());
                };
                let key = Key::new(&REPLICASET, old.namespace(), rs.str_at("name"));
                if let Some(owner) = cluster.get_ref(&key)?.and_then(|rs| rs.controller_ref()) {
                    queue.push(Key::new(&DEPLOYMENT, old.namespace(), owner.str_at("name")));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some(d) = cluster.get(key)?.filter(|d| !d.is_deleting()) else {
            return cluster.set_timer(key, None);
        };
        let Ok(Some(selector)) = d.at("spec.selector").map(Selector::from_label_selector).transpose() else {
            return Ok(());
        };
        if selector.is_empty() {
            return Ok(());
        }
        let d = check_paused(cluster, d)?;
        let all = sets::claim(cluster, &d, &selector)?;
        let mut sync = Sync { f: rollout::fenceposts(&d), now: cluster.clock.now(), d: d.clone() };
        if d.at("spec.paused").and_then(Value::as_bool) == Some(true) || sync.is_scaling_event(&all) {
            return sync.scale_only(cluster, all);
        }
        if d.str_at("spec.strategy.type") == "Recreate" {
            sync.recreate(cluster, all)
        } else {
            sync.rolling(cluster, all)
        }
    }
}

/// Deployments in the set's namespace whose selector matches an orphan ReplicaSet.
fn matching(cluster: &mut Cluster, rs: &Value) -> Result<Vec<Key>> {
    cluster.load(&DEPLOYMENT, Some(rs.namespace()))?;
    Ok(cluster
        .iter(&DEPLOYMENT, Some(rs.namespace()))
        .filter(|d| {
            d.at("spec.selector")
                .and_then(|s| Selector::from_label_selector(s).ok())
                .is_some_and(|s| !s.is_empty() && s.matches_object(rs))
        })
        .map(|d| Key::new(&DEPLOYMENT, d.namespace(), d.name()))
        .collect())
}

/// `checkPausedConditions`: pausing and resuming show in the Progressing condition.
fn check_paused(cluster: &mut Cluster, d: Value) -> Result<Value> {
    if d.i64_at("spec.progressDeadlineSeconds").is_none() {
        return Ok(d);
    }
    let paused = d.at("spec.paused").and_then(Value::as_bool) == Some(true);
    let reason = conditions::get(d.get("status").unwrap_or(&Value::Null), PROGRESSING).map(|c| c.str_at("reason"));
    let now = cluster.clock.now();
    let cond = match (paused, reason) {
        (true, r) if r != Some(conditions::PAUSED) => {
            new_condition(PROGRESSING, "Unknown", conditions::PAUSED, "Deployment is paused", now)
        }
        (false, Some(conditions::PAUSED)) => {
            new_condition(PROGRESSING, "Unknown", conditions::RESUMED, "Deployment is resumed", now)
        }
        _ => return Ok(d),
    };
    let mut updated = d;
    let status = updated.as_object_mut().map(|m| m.entry("status").or_insert_with(|| json!({})));
    if let Some(status) = status {
        conditions::set(status, cond);
    }
    Ok((*cluster.update_status(updated)?).clone())
}

struct Sync {
    /// The deployment as last written in this sync.
    d: Value,
    f: Fenceposts,
    now: Instant,
}

impl Sync {
    fn wanted(&self) -> i64 {
        self.d.i64_at("spec.replicas").unwrap_or(1)
    }

    /// The new set (if any), the old ones, and the revision the new set must have.
    fn split(&self, all: Vec<Value>) -> (Option<Value>, Vec<Value>, i64) {
        let new = sets::find_new(&self.d, &all).cloned();
        let old: Vec<Value> = all.into_iter().filter(|rs| new.as_ref().is_none_or(|n| n.uid() != rs.uid())).collect();
        let max_old = old.iter().map(sets::revision).max().unwrap_or(0);
        (new, old, max_old + 1)
    }

    /// The new set, created with `count` replicas when missing, its revision brought up to date.
    fn ensure_new(&mut self, cluster: &mut Cluster, new: Option<Value>, rev: i64, count: i64) -> Result<(Value, bool)> {
        let (rs, created) = match new {
            Some(rs) => (sets::refresh_new(cluster, &self.d, &rs, rev)?.unwrap_or(rs), false),
            None => (sets::create_new(cluster, &self.d, count, rev, self.f.surge)?, true),
        };
        // The deployment carries the revision of its new set.
        let revision = sets::revision(&rs).to_string();
        if self.d.annotation(sets::REVISION) != Some(revision.as_str()) {
            let mut d = self.d.clone();
            set_annotation(&mut d, sets::REVISION, &revision);
            self.d = (*cluster.update_status(d)?).clone();
        }
        Ok((rs, created))
    }

    fn is_scaling_event(&self, all: &[Value]) -> bool {
        let wanted = self.wanted().to_string();
        all.iter().filter(|rs| replicas(rs) > 0).any(|rs| rs.annotation(sets::DESIRED).is_some_and(|v| v != wanted))
    }

    /// `sync`: scaling only (paused, or the replicas changed), then the status.
    fn scale_only(&mut self, cluster: &mut Cluster, all: Vec<Value>) -> Result<()> {
        let (new, old, rev) = self.split(all);
        let new = match new {
            Some(rs) => Some(self.ensure_new(cluster, Some(rs), rev, 0)?.0),
            None => None,
        };
        let mut everything: Vec<Value> = old.iter().cloned().chain(new.iter().cloned()).collect();
        let active: Vec<usize> = (0..everything.len()).filter(|&i| replicas(&everything[i]) > 0).collect();
        let wanted = self.wanted();
        let saturated =
            new.as_ref().is_some_and(|n| replicas(n) == wanted && n.i64_at("status.availableReplicas") == Some(wanted));
        if active.len() <= 1 {
            let target = active.first().copied().or_else(|| (!everything.is_empty()).then(|| everything.len() - 1));
            if let Some(i) = target {
                if replicas(&everything[i]) != wanted {
                    everything[i] = sets::scale(cluster, &self.d, &everything[i], wanted, self.f.surge)?;
                }
            }
        } else if saturated {
            for rs in old.iter().filter(|rs| replicas(rs) > 0) {
                sets::scale(cluster, &self.d, rs, 0, self.f.surge)?;
            }
        } else if self.d.str_at("spec.strategy.type") == "RollingUpdate" {
            let mut order: Vec<usize> = active;
            let to_add = self.wanted() + self.f.surge - order.iter().map(|&i| replicas(&everything[i])).sum::<i64>();
            order.sort_by(|&a, &b| {
                let (ra, rb) = (&everything[a], &everything[b]);
                let by_age = if to_add > 0 { rb.created().cmp(&ra.created()) } else { ra.created().cmp(&rb.created()) };
                replicas(rb).cmp(&replicas(ra)).then(by_age)
            });
            let refs: Vec<&Value> = order.iter().map(|&i| &everything[i]).collect();
            let counts = rollout::proportional(&self.d, self.f, &refs);
            let updates: Vec<(usize, i64)> = order.iter().copied().zip(counts).collect();
            for (i, count) in updates {
                everything[i] = sets::scale(cluster, &self.d, &everything[i], count, self.f.surge)?;
            }
        }
        self.status(cluster, new.as_ref(), &old, false)
    }

    /// `rolloutRolling`: grow the new set within the surge, shrink the old ones within the
    /// unavailability, clean up once complete.
    fn rolling(&mut self, cluster: &mut Cluster, all: Vec<Value>) -> Result<()> {
        let (new, old, rev) = self.split(all);
        let wanted = self.wanted();
        let count = {
            let refs: Vec<&Value> = old.iter().collect();
            rollout::new_rs_replicas(wanted, self.f, &refs, 0)
        };
        let (mut new, created) = self.ensure_new(cluster, new, rev, count)?;
        if !created && replicas(&new) != wanted {
            let refs: Vec<&Value> = old.iter().chain(std::iter::once(&new)).collect();
            let target = if replicas(&new) > wanted {
                wanted
            } else {
                rollout::new_rs_replicas(wanted, self.f, &refs, replicas(&new))
            };
            if target != replicas(&new) {
                new = sets::scale(cluster, &self.d, &new, target, self.f.surge)?;
                return self.status(cluster, Some(&new), &old, created);
            }
        }
        let refs: Vec<&Value> = old.iter().chain(std::iter::once(&new)).collect();
        let old_refs: Vec<&Value> = old.iter().collect();
        let downs = rollout::old_scale_down(wanted, self.f, &refs, Some(&new), &old_refs);
        if !downs.is_empty() {
            for (i, count) in downs {
                sets::scale(cluster, &self.d, &old[i], count, self.f.surge)?;
            }
            return self.status(cluster, Some(&new), &old, created);
        }
        self.status(cluster, Some(&new), &old, created)
    }

    /// `rolloutRecreate`: all old pods go before the new set is scaled up.
    fn recreate(&mut self, cluster: &mut Cluster, all: Vec<Value>) -> Result<()> {
        let (new, old, rev) = self.split(all);
        let mut scaled = false;
        for rs in old.iter().filter(|rs| replicas(rs) > 0) {
            sets::scale(cluster, &self.d, rs, 0, 0)?;
            scaled = true;
        }
        if scaled || self.old_pods_running(cluster, &old)? {
            let new = match new {
                Some(rs) => Some(self.ensure_new(cluster, Some(rs), rev, 0)?.0),
                None => None,
            };
            return self.status(cluster, new.as_ref(), &old, false);
        }
        let (mut new, created) = self.ensure_new(cluster, new, rev, self.wanted())?;
        if !created && replicas(&new) != self.wanted() {
            new = sets::scale(cluster, &self.d, &new, self.wanted(), 0)?;
        }
        self.status(cluster, Some(&new), &old, created)
    }

    fn old_pods_running(&self, cluster: &mut Cluster, old: &[Value]) -> Result<bool> {
        for rs in old {
            let pods = cluster.list_by_ref(&POD, rs.uid())?;
            if pods.iter().any(|p| !matches!(p.str_at("status.phase"), "Succeeded" | "Failed")) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `calculateStatus` and `syncRolloutStatus`: counts, Available, Progressing (with the
    /// progress deadline), cleanup once complete, and the timer for the deadline.
    fn status(&mut self, cluster: &mut Cluster, new: Option<&Value>, old: &[Value], created: bool) -> Result<()> {
        let d = &self.d;
        let key = Key::new(&DEPLOYMENT, d.namespace(), d.name());
        // Reread: the sets may have changed in this sync.
        let mut fresh = Vec::new();
        for rs in new.into_iter().chain(old.iter()) {
            if let Some(v) = cluster.get(&Key::new(&REPLICASET, rs.namespace(), rs.name()))? {
                fresh.push(v);
            }
        }
        let new_fresh = new.and_then(|n| fresh.iter().find(|r| r.uid() == n.uid()));
        let sum = |f: &dyn Fn(&Value) -> i64| fresh.iter().map(f).sum::<i64>();
        let available = sum(&|r| r.i64_at("status.availableReplicas").unwrap_or(0));
        let total_spec = sum(&|r| replicas(r));
        let mut status = d.get("status").cloned().unwrap_or_else(|| json!({}));
        let old_status = status.clone();
        if let Some(m) = status.as_object_mut() {
            for f in ["replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas"] {
                m.remove(f);
            }
        }
        let counts = [
            ("replicas", sum(&|r| r.i64_at("status.replicas").unwrap_or(0))),
            ("updatedReplicas", new_fresh.and_then(|n| n.i64_at("status.replicas")).unwrap_or(0)),
            ("readyReplicas", sum(&|r| r.i64_at("status.readyReplicas").unwrap_or(0))),
            ("availableReplicas", available),
            ("unavailableReplicas", (total_spec - available).max(0)),
        ];
        for (f, n) in counts {
            if n > 0 {
                status[f] = json!(n);
            }
        }
        status["observedGeneration"] = json!(d.i64_at("metadata.generation").unwrap_or(1));
        let now = self.now;
        let avail = if available >= self.wanted() - self.f.unavailable {
            new_condition(AVAILABLE, "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now)
        } else {
            new_condition(
                AVAILABLE,
                "False",
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.",
                now,
            )
        };
        conditions::set(&mut status, avail);
        // `getReplicaFailures`: the new set's ReplicaFailure, else an old set's, as the
        // Deployment's own (its update time the set's transition time).
        let failure = new_fresh.into_iter().chain(fresh.iter()).find_map(|r| {
            r.array_at("status.conditions").iter().find(|c| c.str_at("type") == "ReplicaFailure").cloned()
        });
        match failure {
            Some(c) => {
                let t = c.get("lastTransitionTime").cloned().unwrap_or(Value::Null);
                let cond = json!({"type": "ReplicaFailure", "status": c.str_at("status"), "reason": c.str_at("reason"),
                                  "message": c.str_at("message"), "lastUpdateTime": t, "lastTransitionTime": t});
                conditions::set(&mut status, cond);
            }
            None => conditions::remove(&mut status, "ReplicaFailure"),
        }
        let paused = d.at("spec.paused").and_then(Value::as_bool) == Some(true);
        let deadline = d.i64_at("spec.progressDeadlineSeconds");
        let name = new.map(|n| n.name().to_string());
        if created {
            if let Some(n) = &name {
                let msg = format!("Created new replica set {n:?}");
                conditions::set(&mut status, new_condition(PROGRESSING, "True", conditions::NEW_RS_CREATED, &msg, now));
            }
        } else if let (Some(n), None) = (&name, conditions::get(&status, PROGRESSING)) {
            let msg = format!("Found new replica set {n:?}");
            conditions::set(&mut status, new_condition(PROGRESSING, "True", conditions::FOUND_NEW_RS, &msg, now));
        }
        let mut timer = None;
        if deadline.is_none() {
            conditions::remove(&mut status, PROGRESSING);
        } else if !paused {
            timer = self.progress(&mut status, &old_status, name.as_deref(), deadline.unwrap_or(600));
        }
        if conditions::get(&status, PROGRESSING).is_some_and(|c| c.str_at("reason") == conditions::NEW_RS_AVAILABLE) {
            sets::cleanup(cluster, d, old)?;
        }
        cluster.set_timer(&key, timer.map(|t| t.saturating_mul(1000)))?;
        if status == old_status {
            return Ok(());
        }
        let mut updated = d.clone();
        updated["status"] = status;
        cluster.update_status(updated)?;
        Ok(())
    }

    /// The Progressing condition after this sync; the time the deadline passes, if it waits.
    fn progress(&self, status: &mut Value, old: &Value, new: Option<&str>, deadline: i64) -> Option<Instant> {
        let current = conditions::get(old, PROGRESSING).cloned();
        let n = |f: &str, s: &Value| s.i64_at(f).unwrap_or(0);
        let complete_before = n("replicas", status) == n("updatedReplicas", status)
            && current.as_ref().is_some_and(|c| c.str_at("reason") == conditions::NEW_RS_AVAILABLE);
        if complete_before {
            return None;
        }
        let wanted = self.wanted();
        let complete = n("updatedReplicas", status) == wanted
            && n("replicas", status) == wanted
            && n("availableReplicas", status) == wanted;
        let progressing = n("updatedReplicas", status) > n("updatedReplicas", old)
            || n("replicas", status) - n("updatedReplicas", status) < n("replicas", old) - n("updatedReplicas", old)
            || n("readyReplicas", status) > n("readyReplicas", old)
            || n("availableReplicas", status) > n("availableReplicas", old);
        let subject = match new {
            Some(name) => format!("ReplicaSet {name:?}"),
            None => format!("Deployment {:?}", self.d.name()),
        };
        let now = self.now;
        if complete {
            let msg = format!("{subject} has successfully progressed.");
            conditions::set(status, new_condition(PROGRESSING, "True", conditions::NEW_RS_AVAILABLE, &msg, now));
            return None;
        }
        if progressing {
            let msg = format!("{subject} is progressing.");
            let mut cond = new_condition(PROGRESSING, "True", conditions::RS_UPDATED, &msg, now);
            if let Some(c) = current.as_ref().filter(|c| c.str_at("status") == "True") {
                cond["lastTransitionTime"] = c.get("lastTransitionTime").cloned().unwrap_or(Value::Null);
            }
            conditions::remove(status, PROGRESSING);
            conditions::set(status, cond);
            return Some(now + deadline);
        }
        let cond = conditions::get(status, PROGRESSING)?;
        match cond.str_at("reason") {
            conditions::TIMED_OUT | conditions::NEW_RS_AVAILABLE => None,
            _ => {
                let due = cond.time_at("lastUpdateTime").unwrap_or(now) + deadline;
                if now >= due {
                    let msg = format!("{subject} has timed out progressing.");
                    conditions::set(status, new_condition(PROGRESSING, "False", conditions::TIMED_OUT, &msg, now));
                    None
                } else {
                    Some(due)
                }
            }
        }
    }
}
