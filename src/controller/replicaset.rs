//! The ReplicaSet controller (`pkg/controller/replicaset`, v1.32): adopts matching orphan pods,
//! releases pods whose labels no longer match, creates or deletes pods until the active ones
//! number `spec.replicas`, and reports replicas, ready and available pods. The replication
//! controller (`pkg/controller/replication`) is the same controller over ReplicationControllers,
//! whose selector is a map of labels.

use serde_json::{json, Value};

use super::requeue::{self, RateLimiter, REPLICASETS, REPLICATIONCONTROLLERS};
use super::workload::{available_at, deletion_order, is_active, is_available, is_ready, pod_from_template, SlowStart};
use super::Controller;
use crate::api::kinds::{Kind, POD, REPLICASET, REPLICATIONCONTROLLER};
use crate::api::object::{controller_ref_to, set_at};
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, EventSource, Key, Propagation};
use crate::Result;

pub struct ReplicaSetController {
    kind: &'static Kind,
    source: EventSource<'static>,
    limiter: &'static RateLimiter,
}

impl Default for ReplicaSetController {
    fn default() -> Self {
        ReplicaSetController {
            kind: &REPLICASET,
            source: EventSource::component("replicaset-controller"),
            limiter: &REPLICASETS,
        }
    }
}

impl ReplicaSetController {
    /// The replication controller: the same work for ReplicationControllers.
    pub fn replication() -> Self {
        ReplicaSetController {
            kind: &REPLICATIONCONTROLLER,
            source: EventSource::component("replication-controller"),
            limiter: &REPLICATIONCONTROLLERS,
        }
    }
}

/// The set's selector: a label selector, or a ReplicationController's map of labels.
fn selector_of(rs: &Value) -> Option<std::result::Result<Selector, String>> {
    if rs.kind() == "ReplicationController" {
        let labels = rs.at("spec.selector")?;
        return Some(Selector::from_label_selector(&json!({"matchLabels": labels})));
    }
    rs.at("spec.selector").map(Selector::from_label_selector)
}

impl Controller for ReplicaSetController {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        let kind = self.kind;
        match change.key.kind {
            k if k == kind.kind && change.object.is_some() => queue.push(change.key.clone()),
            // A deleted set's work-queue back-off goes with it (the queue forgets the key).
            k if k == kind.kind => self.limiter.forget_deleted(cluster, change, kind.kind)?,
            "ServiceAccount" => queue.extend(super::workload::sets_waiting_for_account(cluster, change, kind)?),
            "Pod" => {
                for obj in change.object.iter().chain(change.old.iter()) {
                    if let Some(owner) = obj.controller_ref().filter(|o| o.str_at("kind") == kind.kind) {
                        queue.push(Key::new(kind, obj.namespace(), owner.str_at("name")));
                    }
                }
                if let Some(pod) = change.object.as_ref().filter(|p| p.controller_ref().is_none() && is_active(p)) {
                    queue.extend(matching_sets(cluster, kind, pod)?);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some(rs) = cluster.get(key)?.filter(|rs| !rs.is_deleting()) else {
            return cluster.set_timer(key, None);
        };
        let Ok(selector) = selector_of(&rs).transpose() else {
            return Ok(());
        };
        let selector = selector.unwrap_or_default();
        let (pods, adopted) = claim_pods(cluster, &rs, &selector)?;
        let mut active: Vec<Value> = pods.iter().filter(|p| is_active(p)).cloned().collect();
        let wanted = rs.i64_at("spec.replicas").unwrap_or(1).max(0);
        let have = i64::try_from(active.len()).unwrap_or(i64::MAX);
        let mut failure = None;
        if have < wanted {
            failure = create_pods(cluster, &rs, self.source, wanted - have)?;
        } else if have > wanted {
            deletion_order(&mut active, &adopted);
            let surplus = usize::try_from(have - wanted).unwrap_or(0);
            for pod in &active[..surplus] {
                cluster.delete(&Key::new(&POD, rs.namespace(), pod.name()), Propagation::Background, None)?;
                cluster.normal(&rs, self.source, "SuccessfulDelete", &format!("Deleted pod: {}", pod.name()))?;
            }
        }
        // A refused creation fails the sync: the queue retries the set after its back-off.
        let retry = self.limiter.after_sync(cluster, rs.uid(), failure.is_some())?;
        update_status(cluster, self.kind, &rs, &pods, failure.as_deref(), retry)
    }
}

/// Sets in the pod's namespace whose selector matches an orphan pod.
fn matching_sets(cluster: &mut Cluster, kind: &'static Kind, pod: &Value) -> Result<Vec<Key>> {
    cluster.load(kind, Some(pod.namespace()))?;
    let keys = cluster
        .iter(kind, Some(pod.namespace()))
        .filter(|rs| !rs.is_deleting())
        .filter(|rs| selector_of(rs).and_then(Result::ok).is_some_and(|s| !s.is_empty() && s.matches_object(pod)))
        .map(|rs| Key::new(kind, rs.namespace(), rs.name()))
        .collect();
    Ok(keys)
}

/// `ClaimPods`: the pods the set controls after adopting matching orphans and releasing owned
/// pods that no longer match, and the uids of those it adopted.
fn claim_pods(cluster: &mut Cluster, rs: &Value, selector: &Selector) -> Result<(Vec<Value>, Vec<String>)> {
    let mut owned: Vec<Value> = cluster.list_by_ref(&POD, rs.uid())?;
    owned.retain(|p| p.controller_uid() == rs.uid());
    let mut claimed = Vec::new();
    for pod in owned {
        if selector.matches_object(&pod) || pod.is_deleting() {
            claimed.push(pod);
            continue;
        }
        let mut released = pod.clone();
        let refs: Vec<Value> =
            pod.array_at("metadata.ownerReferences").iter().filter(|r| r.str_at("uid") != rs.uid()).cloned().collect();
        set_at(&mut released, "metadata.ownerReferences", Value::Array(refs));
        cluster.update_status(released)?;
    }
    if selector.is_empty() {
        return Ok((claimed, Vec::new()));
    }
    cluster.load(&POD, Some(rs.namespace()))?;
    let orphans: Vec<Value> = cluster
        .iter(&POD, Some(rs.namespace()))
        .filter(|p| p.controller_ref().is_none() && is_active(p) && selector.matches_object(p))
        .cloned()
        .collect();
    let adopted = orphans.iter().map(|p| p.uid().to_string()).collect();
    for mut pod in orphans {
        let mut refs = pod.array_at("metadata.ownerReferences").to_vec();
        refs.push(controller_ref_to(rs));
        set_at(&mut pod, "metadata.ownerReferences", Value::Array(refs));
        claimed.push((*cluster.update_status(pod)?).clone());
    }
    Ok((claimed, adopted))
}

/// Creates up to `count` pods in slow-start batches, stopping after a batch in which the API
/// server refused one: the first refusal's message.
fn create_pods(cluster: &mut Cluster, rs: &Value, source: EventSource<'static>, count: i64) -> Result<Option<String>> {
    let template = rs.at("spec.template").cloned().unwrap_or_else(|| json!({}));
    let mut batches = SlowStart::new(usize::try_from(count).unwrap_or(0));
    let mut failure = None;
    while batches.next() {
        let pod = pod_from_template(rs, &template, &format!("{}-", rs.name()));
        match cluster.create(pod, rs.namespace()) {
            Ok(created) => {
                cluster.normal(rs, source, "SuccessfulCreate", &format!("Created pod: {}", created.name()))?
            }
            Err(e @ crate::Error::Internal(_)) => return Err(e),
            Err(e) => {
                let message = e.server_message();
                cluster.warning(rs, source, "FailedCreate", &format!("Error creating: {message}"))?;
                batches.fail();
                failure.get_or_insert(message);
            }
        }
    }
    Ok(failure)
}

/// The ReplicaFailure condition `calculateStatus` keeps: added when a sync fails to create
/// pods and the set has none (an existing one keeps its first message and time), removed by
/// a sync that fails nothing.
fn failure_conditions(rs: &Value, failure: Option<&str>, now: crate::clock::Instant) -> Vec<Value> {
    let current = rs.array_at("status.conditions");
    let existing = current.iter().find(|c| c.str_at("type") == "ReplicaFailure");
    match (failure, existing) {
        (Some(_), Some(_)) => current.to_vec(),
        (Some(message), None) => {
            let mut list = current.to_vec();
            list.push(json!({"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
                             "message": message, "lastTransitionTime": crate::clock::format_rfc3339(now)}));
            list
        }
        (None, _) => current.iter().filter(|c| c.str_at("type") != "ReplicaFailure").cloned().collect(),
    }
}

/// `calculateStatus`, counting the pods as they were before this sync's creations and
/// deletions (the next sync, triggered by those changes, counts them).
fn update_status(
    cluster: &mut Cluster,
    kind: &'static Kind,
    rs: &Value,
    pods: &[Value],
    failure: Option<&str>,
    retry: Option<i64>,
) -> Result<()> {
    let now = cluster.clock.now();
    let min_ready = rs.i64_at("spec.minReadySeconds").unwrap_or(0);
    let active: Vec<&Value> = pods.iter().filter(|p| is_active(p)).collect();
    let template_labels = rs.map_at("spec.template.metadata.labels");
    let count = |f: &dyn Fn(&Value) -> bool| active.iter().filter(|p| f(p)).count();
    let fully_labeled = count(&|p| {
        let labels = p.labels();
        template_labels.iter().all(|(k, v)| labels.get(k) == Some(v))
    });
    let ready = count(&|p| is_ready(p));
    let available = count(&|p| is_available(p, min_ready, now));
    let mut status =
        json!({"replicas": active.len(), "observedGeneration": rs.i64_at("metadata.generation").unwrap_or(1)});
    for (field, n) in
        [("fullyLabeledReplicas", fully_labeled), ("readyReplicas", ready), ("availableReplicas", available)]
    {
        if n > 0 {
            status[field] = json!(n);
        }
    }
    let conditions = failure_conditions(rs, failure, now);
    if !conditions.is_empty() {
        status["conditions"] = Value::Array(conditions);
    }
    // A ready pod becomes available later: the set's timer wakes it then, or at its retry.
    let next = active.iter().filter_map(|p| available_at(p, min_ready, now)).min();
    let next = requeue::earliest(next.map(|t| t.saturating_mul(1000)), retry);
    cluster.set_timer(&Key::new(kind, rs.namespace(), rs.name()), next)?;
    if rs.get("status") == Some(&status) {
        return Ok(());
    }
    let mut updated = rs.clone();
    updated["status"] = status;
    cluster.update_status(updated)?;
    Ok(())
}
