//! A stateful pod's identity: its name, labels, hostname, owner and claims.

use serde_json::{json, Value};

use super::claim_name;
use super::revisions::Revision;
use crate::api::kinds::{POD, PVC};
use crate::api::object::{controller_ref_to, set_at, set_label};
use crate::api::ObjectExt;
use crate::cluster::{Cluster, EventSource, Key};
use crate::Result;

const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";

pub fn pod_name(set: &str, ordinal: i64) -> String {
    format!("{set}-{ordinal}")
}

/// Splits `web-12` into (`web`, 12): the last `-` followed by digits only. `None` otherwise.
pub fn parent_and_ordinal(name: &str) -> Option<(&str, i64)> {
    let (parent, digits) = name.rsplit_once('-')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((parent, digits.parse().ok()?))
}

/// The pod for `ordinal`, built from the template of `rev` (`newVersionedStatefulSetPod`).
pub fn new_pod(set: &Value, rev: &Revision, ordinal: i64) -> Value {
    let template = &rev.template;
    let name = pod_name(set.name(), ordinal);
    let mut meta = template.get("metadata").cloned().unwrap_or_else(|| json!({}));
    if let Some(m) = meta.as_object_mut() {
        m.remove("creationTimestamp");
    }
    let spec = template.get("spec").cloned().unwrap_or_else(|| json!({}));
    // Built as a map: `json!` would copy the template's metadata and spec once more.
    let mut pod = serde_json::Map::new();
    pod.insert("apiVersion".to_string(), json!("v1"));
    pod.insert("kind".to_string(), json!("Pod"));
    pod.insert("metadata".to_string(), meta);
    pod.insert("spec".to_string(), spec);
    let mut pod = Value::Object(pod);
    set_at(&mut pod, "metadata.name", Value::String(name.clone()));
    set_at(&mut pod, "metadata.generateName", Value::String(format!("{}-", set.name())));
    set_at(&mut pod, "metadata.namespace", Value::String(set.namespace().to_string()));
    set_at(&mut pod, "metadata.ownerReferences", json!([controller_ref_to(set)]));
    update_identity(&mut pod, ordinal);
    set_label(&mut pod, "controller-revision-hash", &rev.name);
    set_at(&mut pod, "spec.hostname", Value::String(name));
    let service = set.str_at("spec.serviceName");
    if !service.is_empty() {
        set_at(&mut pod, "spec.subdomain", Value::String(service.to_string()));
    }
    attach_claims(&mut pod, set, ordinal);
    pod
}

/// `identityMatches`: the pod's name label is its own name. Its name, namespace and parent are
/// already the set's for any pod the controller's cache holds; the hostname and subdomain are
/// immutable, and the index label is not compared (v1.32 repairs it only with the name label).
pub fn identity_matches(pod: &Value) -> bool {
    pod.at("metadata.labels").and_then(|l| l.get(POD_NAME_LABEL)).and_then(Value::as_str) == Some(pod.name())
}

/// `updateIdentity`: the name and index labels of the pod with `ordinal`.
pub fn update_identity(pod: &mut Value, ordinal: i64) {
    let name = pod.name().to_string();
    set_label(pod, POD_NAME_LABEL, &name);
    set_label(pod, POD_INDEX_LABEL, &ordinal.to_string());
}

/// `UpdateStatefulPod` for a pod whose identity does not match: the pod is written back with its
/// identity restored, and the update recorded as the controller records it.
pub fn repair(cluster: &mut Cluster, set: &Value, ordinal: i64, source: EventSource) -> Result<()> {
    let key = Key::new(&POD, set.namespace(), &pod_name(set.name(), ordinal));
    let Some(mut pod) = cluster.get(&key)? else { return Ok(()) };
    update_identity(&mut pod, ordinal);
    match cluster.update(pod) {
        Ok(_) => {
            let msg = format!("update Pod {} in StatefulSet {} successful", key.name, set.name());
            cluster.normal(set, source, "SuccessfulUpdate", &msg)
        }
        Err(e) => {
            let msg =
                format!("update Pod {} in StatefulSet {} failed error: {}", key.name, set.name(), e.server_message());
            cluster.warning(set, source, "FailedUpdate", &msg)?;
            Err(e)
        }
    }
}

/// Puts one volume per claim template into the pod, replacing template volumes of the same name.
fn attach_claims(pod: &mut Value, set: &Value, ordinal: i64) {
    let templates = set.array_at("spec.volumeClaimTemplates");
    if templates.is_empty() {
        return;
    }
    let mut volumes: Vec<Value> = pod.array_at("spec.volumes").to_vec();
    for t in templates {
        let name = t.name();
        volumes.retain(|v| v.str_at("name") != name);
        volumes.push(json!({
            "name": name,
            "persistentVolumeClaim": {"claimName": claim_name(name, set.name(), ordinal)},
        }));
    }
    set_at(pod, "spec.volumes", Value::Array(volumes));
}

/// The claim object for one template (`getPersistentVolumeClaims`): the template's labels with
/// the selector's matchLabels written over them; no owner reference under the Retain policy.
fn new_claim(set: &Value, template: &Value, ordinal: i64) -> Value {
    let mut claim = template.clone();
    if let Some(m) = claim.as_object_mut() {
        m.remove("status");
    }
    claim["apiVersion"] = json!("v1");
    claim["kind"] = json!("PersistentVolumeClaim");
    if let Some(meta) = claim.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("creationTimestamp");
    }
    set_at(&mut claim, "metadata.name", Value::String(claim_name(template.name(), set.name(), ordinal)));
    set_at(&mut claim, "metadata.namespace", Value::String(set.namespace().to_string()));
    for (k, v) in set.map_at("spec.selector.matchLabels") {
        set_label(&mut claim, &k, &v);
    }
    claim
}

/// Creates each claim of `ordinal` that does not exist yet, with the controller's event.
pub fn create_missing_claims(cluster: &mut Cluster, set: &Value, ordinal: i64, source: EventSource) -> Result<()> {
    let pod = pod_name(set.name(), ordinal);
    for template in set.array_at("spec.volumeClaimTemplates") {
        // Most claims exist already (a pending pod's sync asks again): look before building one.
        let name = claim_name(template.name(), set.name(), ordinal);
        if cluster.get_ref(&Key::new(&PVC, set.namespace(), &name))?.is_some() {
            continue;
        }
        match cluster.create(new_claim(set, template, ordinal), set.namespace()) {
            Ok(_) => {
                let msg = format!("create Claim {name} Pod {pod} in StatefulSet {} success", set.name());
                cluster.normal(set, source, "SuccessfulCreate", &msg)?;
            }
            Err(e) => {
                let msg = format!(
                    "create Claim {name} for Pod {pod} in StatefulSet {} failed error: {}",
                    set.name(),
                    e.server_message()
                );
                cluster.warning(set, source, "FailedCreate", &msg)?;
                return Err(crate::Error::Raw(format!("failed to create PVC {name}: {}", e.server_message())));
            }
        }
    }
    Ok(())
}

/// The name of a claim of `ordinal` that is being deleted: its pod must wait.
pub fn claim_being_deleted(cluster: &mut Cluster, set: &Value, ordinal: i64) -> Result<Option<String>> {
    for template in set.array_at("spec.volumeClaimTemplates") {
        let name = claim_name(template.name(), set.name(), ordinal);
        if let Some(c) = cluster.get_ref(&Key::new(&PVC, set.namespace(), &name))? {
            if c.is_deleting() {
                return Ok(Some(name));
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ordinals() {
        assert_eq!(parent_and_ordinal("web-0"), Some(("web", 0)));
        assert_eq!(parent_and_ordinal("my-web-12"), Some(("my-web", 12)));
        assert_eq!(parent_and_ordinal("web"), None);
        assert_eq!(parent_and_ordinal("web-x1"), None);
        assert_eq!(parent_and_ordinal("web-"), None);
    }
}
