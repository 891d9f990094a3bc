//! The garbage collector: when an owner goes, its dependents go too (background propagation) or
//! lose their owner reference (orphan propagation). A deleted namespace takes its contents along.

use foldhash::HashMap;
use serde_json::{json, Value};

use super::Controller;
use crate::api::kinds::{self, Kind, CONTROLLERREVISION, ENDPOINTSLICE, JOB, POD, PVC, REPLICASET};
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, Key, Propagation};
use crate::Result;

/// Kinds that carry owner references in kstate (a Deployment's ReplicaSets, a CronJob's Jobs).
const DEPENDENT_KINDS: [&Kind; 6] = [&REPLICASET, &JOB, &POD, &PVC, &CONTROLLERREVISION, &ENDPOINTSLICE];

#[derive(Default)]
pub struct GarbageCollector {
    /// Removed owners waiting for their dependents to be handled: uid and propagation.
    gone: HashMap<Key, (String, Propagation)>,
}

impl Controller for GarbageCollector {
    fn watch(&mut self, change: &Change, _cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        if let (None, Some(old)) = (&change.object, &change.old) {
            self.gone.insert(change.key.clone(), (old.uid().to_string(), change.propagation));
            queue.push(change.key.clone());
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some((uid, propagation)) = self.gone.remove(key) else { return Ok(()) };
        if key.kind == "Namespace" {
            return delete_namespace_contents(cluster, &key.name);
        }
        for kind in DEPENDENT_KINDS {
            for dependent in owned_by(cluster, kind, &uid)? {
                let dkey = Key::new(kind, dependent.namespace(), dependent.name());
                if propagation == Propagation::Orphan {
                    drop_owner(cluster, dependent, &uid)?;
                } else if !dependent.is_deleting() {
                    cluster.delete(&dkey, Propagation::Background, None)?;
                }
            }
        }
        Ok(())
    }
}

/// Objects of `kind` with any owner reference (controller or not) to `uid`.
fn owned_by(cluster: &mut Cluster, kind: &Kind, uid: &str) -> Result<Vec<Value>> {
    Ok(cluster
        .list_by_ref(kind, uid)?
        .into_iter()
        .filter(|o| o.array_at("metadata.ownerReferences").iter().any(|r| r.str_at("uid") == uid))
        .collect())
}

fn drop_owner(cluster: &mut Cluster, mut obj: Value, uid: &str) -> Result<()> {
    let refs: Vec<Value> =
        obj.array_at("metadata.ownerReferences").iter().filter(|r| r.str_at("uid") != uid).cloned().collect();
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        if refs.is_empty() {
            meta.remove("ownerReferences");
        } else {
            meta.insert("ownerReferences".into(), json!(refs));
        }
    }
    cluster.update_status(obj)?;
    Ok(())
}

fn delete_namespace_contents(cluster: &mut Cluster, namespace: &str) -> Result<()> {
    for kind in kinds::ALL.iter().filter(|k| k.namespaced) {
        for obj in cluster.list(kind, Some(namespace))? {
            let key = Key::new(kind, namespace, obj.name());
            cluster.delete(&key, Propagation::Background, Some(0))?;
            // Content goes for good: finalizers of objects in a dead namespace are cleared.
            if let Some(mut left) = cluster.get(&key)? {
                if let Some(meta) = left.get_mut("metadata").and_then(Value::as_object_mut) {
                    meta.remove("finalizers");
                }
                cluster.update_status(left)?;
                cluster.finish_deletion(&key)?;
            }
        }
    }
    Ok(())
}
