//! The namespace controller (pkg/controller/namespace/deletion, v1.32): a deleted namespace stays
//! `Terminating` (its `kubernetes` spec finalizer) while it deletes what the namespace holds, the
//! built-in kinds and every namespaced custom resource. Pods are deleted gracefully, each with
//! its grace period, and hold the namespace until they are gone; the controller looks again
//! when the longest grace period since the namespace's deletion ends (`estimate`). Content that
//! finalizers keep (a `metadata.finalizers` entry nobody removes) holds the namespace back too;
//! what remains is reported in its deletion conditions. Once nothing is left, the finalizer is
//! removed and the namespace goes.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::Controller;
use crate::api::kinds::{self, Kind, NAMESPACE, POD};
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, Key, Propagation};
use crate::Result;

/// The namespace's own finalizer, in `spec.finalizers`.
const FINALIZER: &str = "kubernetes";

pub struct NamespaceController;

impl Controller for NamespaceController {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        if change.key.kind == NAMESPACE.kind {
            if change.object.as_ref().is_some_and(|ns| ns.is_deleting()) {
                queue.push(change.key.clone());
            }
            return Ok(());
        }
        // Content of a terminating namespace that goes, or loses a finalizer, may let it go.
        let going = change.object.as_ref().is_none_or(|o| o.is_deleting());
        if !going || change.key.namespace.is_empty() {
            return Ok(());
        }
        let ns = Key::new(&NAMESPACE, "", &change.key.namespace);
        if cluster.get_ref(&ns)?.is_some_and(|n| n.is_deleting()) {
            queue.push(ns);
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some(ns) = cluster.get(key)? else { return Ok(()) };
        if !ns.is_deleting() {
            return Ok(());
        }
        let now = cluster.clock.now();
        let elapsed = now - ns.time_at("metadata.deletionTimestamp").unwrap_or(now);
        let remaining = delete_content(cluster, &key.name, elapsed)?;
        if remaining.resources.is_empty() {
            cluster.set_timer(key, None)?;
            return finalize(cluster, key, ns);
        }
        // Pods still within their grace period: look again when the longest could end.
        let estimate = (remaining.estimate > 0).then(|| (now + remaining.estimate).saturating_mul(1000));
        cluster.set_timer(key, estimate)?;
        let now = cluster.clock.now_rfc3339();
        let mut updated = ns.clone();
        if update_conditions(&mut updated, &remaining, &now) {
            cluster.update_status(updated)?;
        }
        Ok(())
    }
}

/// What a deletion pass left: instances per resource (`configmaps.`, `statefulsets.apps`) and
/// per finalizer, how long pods may still take (`estimate`, seconds), and the resources whose
/// objects remain for no reason the controller knows (neither a grace period nor a finalizer).
#[derive(Default)]
struct Remaining {
    resources: BTreeMap<String, usize>,
    finalizers: BTreeMap<String, usize>,
    estimate: i64,
    errors: Vec<String>,
}

/// The namespaced kinds whose objects the namespace holds: the built-in ones, then the custom
/// resources of every CustomResourceDefinition (at its preferred version).
fn namespaced_kinds() -> Vec<&'static Kind> {
    let custom = crate::api::custom::preferred_kinds();
    kinds::ALL.iter().copied().chain(custom).filter(|k| k.namespaced).collect()
}

/// Deletes every object of the namespace (pods gracefully, with their own grace period) and
/// counts what is left, `elapsed` seconds after the namespace's deletion.
fn delete_content(cluster: &mut Cluster, namespace: &str, elapsed: i64) -> Result<Remaining> {
    let mut left = Remaining::default();
    for kind in namespaced_kinds() {
        let objects = cluster.list(kind, Some(namespace))?;
        if objects.is_empty() {
            continue;
        }
        // `estimateGracefulTermination`, before the deletion: the longest grace period of the
        // running pods, unless that much time has passed since the namespace's deletion.
        let mut estimate = 0;
        if kind.kind == POD.kind {
            let running = objects.iter().filter(|p| !matches!(p.str_at("status.phase"), "Succeeded" | "Failed"));
            estimate = running.filter_map(|p| p.i64_at("spec.terminationGracePeriodSeconds")).max().unwrap_or(0);
            if elapsed >= estimate {
                estimate = 0;
            }
        }
        let (mut count, mut held) = (0, false);
        for obj in objects {
            let key = Key::new(kind, namespace, obj.name());
            if !obj.is_deleting() {
                // `DeleteCollection` with default options: a pod gets its grace period.
                let grace = if kind.kind == POD.kind { None } else { Some(0) };
                cluster.delete(&key, Propagation::Background, grace)?;
            }
            let Some(still) = cluster.get_ref(&key)? else { continue };
            count += 1;
            for f in still.finalizers() {
                held = true;
                *left.finalizers.entry(f).or_default() += 1;
            }
        }
        if count == 0 {
            continue;
        }
        left.resources.insert(format!("{}.{}", kind.plural, kind.group), count);
        left.estimate = left.estimate.max(estimate);
        if estimate == 0 && !held {
            left.errors.push(format!(
                "unexpected items still remain in namespace: {namespace} for gvr: {}/{}, Resource={}",
                kind.group, kind.version, kind.plural
            ));
        }
    }
    Ok(left)
}

/// `namespaceConditionUpdater`: the five deletion conditions, in their order, each true with its
/// message when it applies and in its success form otherwise. Whether anything changed.
fn update_conditions(ns: &mut Value, left: &Remaining, now: &str) -> bool {
    let join = |m: &BTreeMap<String, usize>, each: &dyn Fn(&String, &usize) -> String| {
        let mut parts: Vec<String> = m.iter().filter(|(_, n)| **n > 0).map(|(k, n)| each(k, n)).collect();
        parts.sort();
        parts.join(", ")
    };
    let content = (!left.resources.is_empty()).then(|| {
        let list = join(&left.resources, &|r, n| format!("{r} has {n} resource instances"));
        ("SomeResourcesRemain", format!("Some resources are remaining: {list}"))
    });
    let finalizers = (!left.finalizers.is_empty()).then(|| {
        let list = join(&left.finalizers, &|f, n| format!("{f} in {n} resource instances"));
        ("SomeFinalizersRemain", format!("Some content in the namespace has finalizers remaining: {list}"))
    });
    // `utilerrors.NewAggregate`: one error as it is, several in brackets.
    let content_failure = (!left.errors.is_empty()).then(|| {
        let all = left.errors.join(", ");
        let all = if left.errors.len() > 1 { format!("[{all}]") } else { all };
        (
            "ContentDeletionFailed",
            format!("Failed to delete all resource types, {} remaining: {all}", left.errors.len()),
        )
    });
    let ok = |reason: &str, message: &str| (false, reason.to_string(), message.to_string());
    let failing = |(reason, message): (&str, String)| (true, reason.to_string(), message);
    let wanted = [
        ("NamespaceDeletionDiscoveryFailure", ok("ResourcesDiscovered", "All resources successfully discovered")),
        ("NamespaceDeletionGVParsingFailure", ok("ParsedGroupVersions", "All legacy kube types successfully parsed")),
        (
            "NamespaceDeletionContentFailure",
            content_failure.map_or_else(
                || ok("ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
                failing,
            ),
        ),
        (
            "NamespaceContentRemaining",
            content.map_or_else(|| ok("ContentRemoved", "All content successfully removed"), failing),
        ),
        (
            "NamespaceFinalizersRemaining",
            finalizers
                .map_or_else(|| ok("ContentHasNoFinalizers", "All content-preserving finalizers finished"), failing),
        ),
    ];
    let mut list = ns.array_at("status.conditions").to_vec();
    let mut changed = false;
    for (kind, (status, reason, message)) in wanted {
        let status = if status { "True" } else { "False" };
        match list.iter_mut().find(|c| c.str_at("type") == kind) {
            None => {
                list.push(json!({"lastTransitionTime": now, "message": message, "reason": reason,
                                 "status": status, "type": kind}));
                changed = true;
            }
            Some(c)
                if c.str_at("status") != status || c.str_at("reason") != reason || c.str_at("message") != message =>
            {
                if c.str_at("status") != status {
                    c["lastTransitionTime"] = json!(now);
                }
                c["status"] = json!(status);
                c["reason"] = json!(reason);
                c["message"] = json!(message);
                changed = true;
            }
            Some(_) => {}
        }
    }
    if changed {
        ns["status"]["conditions"] = Value::Array(list);
    }
    changed
}

/// Nothing is left: the namespace's finalizer goes, and with it the namespace.
fn finalize(cluster: &mut Cluster, key: &Key, mut ns: Value) -> Result<()> {
    let rest: Vec<Value> =
        ns.array_at("spec.finalizers").iter().filter(|f| f.as_str() != Some(FINALIZER)).cloned().collect();
    ns["spec"]["finalizers"] = Value::Array(rest.clone());
    if rest.is_empty() && ns.finalizers().is_empty() {
        cluster.erase(key, Propagation::Background)?;
    } else {
        cluster.update_status(ns)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_name_what_remains_and_change_only_when_it_does() {
        let mut ns = json!({"metadata": {"name": "demo"}, "status": {"phase": "Terminating"}});
        let mut left = Remaining::default();
        left.resources.insert("configmaps.".into(), 2);
        left.resources.insert("statefulsets.apps".into(), 1);
        left.finalizers.insert("example.com/hold".into(), 3);
        assert!(update_conditions(&mut ns, &left, "2026-11-27T09:00:00Z"));
        let c = ns.array_at("status.conditions");
        let types: Vec<&str> = c.iter().map(|c| c.str_at("type")).collect();
        assert_eq!(
            types,
            [
                "NamespaceDeletionDiscoveryFailure",
                "NamespaceDeletionGVParsingFailure",
                "NamespaceDeletionContentFailure",
                "NamespaceContentRemaining",
                "NamespaceFinalizersRemaining"
            ]
        );
        assert_eq!(
            c[3].str_at("message"),
            "Some resources are remaining: configmaps. has 2 resource instances, statefulsets.apps has 1 resource instances"
        );
        assert_eq!(
            c[4].str_at("message"),
            "Some content in the namespace has finalizers remaining: example.com/hold in 3 resource instances"
        );
        assert_eq!((c[4].str_at("status"), c[4].str_at("reason")), ("True", "SomeFinalizersRemain"));
        assert!(!update_conditions(&mut ns, &left, "2026-11-27T09:01:00Z"));
    }

    #[test]
    fn content_that_remains_unexplained_fails_the_deletion_one_error_per_resource() {
        let mut ns = json!({"metadata": {"name": "demo"}, "status": {"phase": "Terminating"}});
        let mut left = Remaining::default();
        left.resources.insert("pods.".into(), 1);
        left.errors.push("unexpected items still remain in namespace: demo for gvr: /v1, Resource=pods".into());
        update_conditions(&mut ns, &left, "2026-11-27T09:00:00Z");
        let failure = |ns: &Value| {
            let c = &ns.array_at("status.conditions")[2];
            format!("{} {} {}", c.str_at("status"), c.str_at("reason"), c.str_at("message"))
        };
        assert_eq!(
            failure(&ns),
            "True ContentDeletionFailed Failed to delete all resource types, 1 remaining: unexpected items still \
             remain in namespace: demo for gvr: /v1, Resource=pods"
        );
        left.errors
            .push("unexpected items still remain in namespace: demo for gvr: example.com/v1, Resource=gadgets".into());
        update_conditions(&mut ns, &left, "2026-11-27T09:00:00Z");
        assert_eq!(
            failure(&ns),
            "True ContentDeletionFailed Failed to delete all resource types, 2 remaining: [unexpected items still \
             remain in namespace: demo for gvr: /v1, Resource=pods, unexpected items still remain in namespace: \
             demo for gvr: example.com/v1, Resource=gadgets]"
        );
    }
}
