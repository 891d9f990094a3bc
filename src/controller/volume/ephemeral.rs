//! The ephemeral volume controller (`pkg/controller/volume/ephemeral`): every `ephemeral` volume
//! of a pod gets a claim `<pod>-<volume>` made from its `volumeClaimTemplate` and controlled by the
//! pod, so the garbage collector deletes it with the pod. A claim of that name the pod does not
//! control is left alone and reported; the scheduler keeps such a pod pending.

use serde_json::{json, Map, Value};

use crate::api::kinds::{POD, PVC};
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, EventSource, Key};
use crate::controller::Controller;
use crate::Result;

const SOURCE: EventSource<'static> = EventSource::component("ephemeral_volume");

/// The claim of an ephemeral volume of `pod` (`ephemeral.VolumeClaimName`).
pub fn claim_name(pod: &Value, volume: &Value) -> String {
    format!("{}-{}", pod.name(), volume.str_at("name"))
}

/// Whether `claim` is the claim of one of `pod`'s ephemeral volumes.
pub fn is_ephemeral_claim(pod: &Value, claim: &str) -> bool {
    ephemeral_volumes(pod).any(|v| claim_name(pod, v) == claim)
}

/// Why `pvc` cannot serve as `pod`'s ephemeral claim (`ephemeral.VolumeIsForPod`): it must be
/// controlled by the pod (by uid), in its namespace.
pub fn not_for_pod(pod: &Value, pvc: &Value) -> Option<String> {
    if pvc.namespace() == pod.namespace() && pvc.controller_uid() == pod.uid() {
        return None;
    }
    Some(format!(
        "PVC {}/{} was not created for pod {}/{} (pod is not owner)",
        pvc.namespace(),
        pvc.name(),
        pod.namespace(),
        pod.name()
    ))
}

/// A live pod with ephemeral volumes.
fn needs_claims(pod: &Value) -> bool {
    !pod.is_deleting() && ephemeral_volumes(pod).next().is_some()
}

fn ephemeral_volumes(pod: &Value) -> impl Iterator<Item = &Value> {
    pod.array_at("spec.volumes").iter().filter(|v| v.get("ephemeral").is_some())
}

pub struct EphemeralController;

impl Controller for EphemeralController {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match change.key.kind {
            // A pod's spec cannot change: only new pods need claims.
            "Pod" if change.old.is_none() && change.object.as_deref().is_some_and(needs_claims) => {
                queue.push(change.key.clone());
            }
            // A claim deleted under a live pod is made again.
            // Its name is `<pod>-<volume>`: only the pods named by a prefix ending before a `-`
            // can want it (a lookup each, not a walk of the namespace per deleted claim).
            "PersistentVolumeClaim" if change.object.is_none() => {
                let (ns, claim) = (change.key.namespace.as_str(), change.key.name.as_str());
                for (dash, _) in claim.match_indices('-') {
                    let key = Key::new(&POD, ns, &claim[..dash]);
                    let wants =
                        cluster.get_ref(&key)?.is_some_and(|p| !p.is_deleting() && is_ephemeral_claim(p, claim));
                    if wants {
                        queue.push(key);
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some(pod) = cluster.get_shared(key)? else { return Ok(()) };
        if pod.is_deleting() {
            return Ok(());
        }
        for volume in ephemeral_volumes(&pod) {
            if let Err(msg) = ensure_claim(cluster, &pod, volume)? {
                // The first volume that fails stops the sync, as the real controller's does.
                let msg = format!("ephemeral volume {}: {msg}", volume.str_at("name"));
                return cluster.warning(&pod, SOURCE, "FailedBinding", &msg);
            }
        }
        Ok(())
    }
}

/// Creates the claim of one ephemeral volume unless it exists; the error to report, if any.
fn ensure_claim(cluster: &mut Cluster, pod: &Value, volume: &Value) -> Result<std::result::Result<(), String>> {
    let name = claim_name(pod, volume);
    if let Some(pvc) = cluster.get_ref(&Key::new(&PVC, pod.namespace(), &name))? {
        return Ok(not_for_pod(pod, pvc).map_or(Ok(()), Err));
    }
    match cluster.create(new_claim(pod, volume, &name), pod.namespace()) {
        Ok(_) => Ok(Ok(())),
        Err(e @ crate::Error::Internal(_)) => Err(e),
        Err(e) => Ok(Err(format!("create PVC {name}: {}", e.server_message()))),
    }
}

/// The claim for an ephemeral volume: the template's labels, annotations and spec, controlled by
/// the pod and blocking its deletion in the foreground.
fn new_claim(pod: &Value, volume: &Value, name: &str) -> Value {
    let template = volume.at("ephemeral.volumeClaimTemplate");
    let mut meta = Map::new();
    meta.insert("name".into(), json!(name));
    for field in ["labels", "annotations"] {
        if let Some(v) = template.and_then(|t| t.at(&format!("metadata.{field}"))).filter(|v| v.is_object()) {
            meta.insert(field.into(), v.clone());
        }
    }
    meta.insert(
        "ownerReferences".into(),
        json!([{"apiVersion": "v1", "kind": "Pod", "name": pod.name(), "uid": pod.uid(),
                "controller": true, "blockOwnerDeletion": true}]),
    );
    let spec = template.and_then(|t| t.get("spec")).cloned().unwrap_or_else(|| json!({}));
    json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta, "spec": spec})
}
