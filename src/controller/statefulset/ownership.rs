//! Who owns what: adopting orphan pods that match a set, releasing pods that stop matching, and
//! the claim owner references `persistentVolumeClaimRetentionPolicy` asks for.

use serde_json::{json, Value};

use super::claim_name;
use super::identity::parent_and_ordinal;
use crate::api::kinds::{POD, PVC};
use crate::api::object::controller_ref_to;
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::Result;

/// Adopts orphan pods named `<set>-<n>` that match the selector; releases owned pods that no
/// longer match (`ClaimPods` with the pod controller ref manager).
/// Returns whether any pod changed hands.
pub fn adopt_and_release(cluster: &mut Cluster, set: &Value) -> Result<bool> {
    let Ok(selector) = Selector::from_label_selector(set.at("spec.selector").unwrap_or(&Value::Null)) else {
        return Ok(false);
    };
    if selector.is_empty() {
        return Ok(false);
    }
    let ns = set.namespace().to_string();
    cluster.load(&POD, Some(&ns))?;
    let mut changes = Vec::new();
    for pod in cluster.iter(&POD, Some(&ns)) {
        let member = parent_and_ordinal(pod.name()).is_some_and(|(parent, _)| parent == set.name());
        let matches = selector.matches_object(pod);
        let owner = pod.controller_uid();
        if owner.is_empty() && member && matches && !pod.is_deleting() {
            changes.push((pod.clone(), true));
        } else if owner == set.uid() && !matches {
            changes.push((pod.clone(), false));
        }
    }
    let changed = !changes.is_empty();
    for (mut pod, adopt) in changes {
        let mut refs: Vec<Value> =
            pod.array_at("metadata.ownerReferences").iter().filter(|r| r.str_at("uid") != set.uid()).cloned().collect();
        if adopt {
            refs.push(controller_ref_to(set));
        }
        set_refs(&mut pod, refs);
        cluster.update_status(pod)?;
    }
    Ok(changed)
}

fn set_refs(obj: &mut Value, refs: Vec<Value>) {
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        if refs.is_empty() {
            meta.remove("ownerReferences");
        } else {
            meta.insert("ownerReferences".into(), json!(refs));
        }
    }
}

/// `(whenDeleted == Delete, whenScaled == Delete)`.
pub fn policy(set: &Value) -> (bool, bool) {
    let policy = set.at("spec.persistentVolumeClaimRetentionPolicy");
    let p = |field: &str| policy.is_some_and(|p| p.str_at(field) == "Delete");
    (p("whenDeleted"), p("whenScaled"))
}

/// Makes the owner references of the claims of pod `ord` what the retention policy asks for:
/// a ref to the set when claims go with the set, a ref to the pod when a condemned pod's claims
/// go with the pod. Claims controlled by something else, or with stale refs, are left alone.
pub fn sync_claim_refs(cluster: &mut Cluster, set: &Value, ord: i64, pod: &Value, condemned: bool) -> Result<()> {
    let (when_deleted, when_scaled) = policy(set);
    let want_set = when_deleted && !(condemned && when_scaled);
    let want_pod = condemned && when_scaled;
    for template in set.array_at("spec.volumeClaimTemplates") {
        let key = Key::new(&PVC, set.namespace(), &claim_name(template.name(), set.name(), ord));
        let Some(mut claim) = cluster.get(&key)? else { continue };
        let refs = claim.array_at("metadata.ownerReferences").to_vec();
        let ours = |r: &Value| {
            (r.str_at("kind") == "StatefulSet" && r.str_at("name") == set.name())
                || (r.str_at("kind") == "Pod" && r.str_at("name") == pod.name())
        };
        let stale = refs.iter().any(|r| ours(r) && r.str_at("uid") != set.uid() && r.str_at("uid") != pod.uid());
        let foreign_controller =
            refs.iter().any(|r| !ours(r) && r.get("controller").and_then(Value::as_bool) == Some(true));
        if stale || (foreign_controller && (want_set || want_pod)) {
            continue;
        }
        let mut next: Vec<Value> = refs.iter().filter(|r| !ours(r)).cloned().collect();
        if want_set {
            next.push(controller_ref_to(set));
        }
        if want_pod {
            next.push(controller_ref_to(pod));
        }
        if next != refs {
            set_refs(&mut claim, next);
            cluster.update_status(claim)?;
        }
    }
    Ok(())
}

/// With `whenScaled: Delete`, a claim still owned by an earlier pod of the same name is waiting
/// for the garbage collector: the new pod must not be created yet (`PodClaimIsStale`).
pub fn claim_is_stale(cluster: &mut Cluster, set: &Value, ord: i64) -> Result<bool> {
    if !policy(set).1 {
        return Ok(false);
    }
    let pod = super::pod_name(set.name(), ord);
    for template in set.array_at("spec.volumeClaimTemplates") {
        let key = Key::new(&PVC, set.namespace(), &claim_name(template.name(), set.name(), ord));
        if let Some(claim) = cluster.get_ref(&key)? {
            if claim
                .array_at("metadata.ownerReferences")
                .iter()
                .any(|r| r.str_at("kind") == "Pod" && r.str_at("name") == pod)
            {
                return Ok(true);
            }
        }
    }
    Ok(false)
}
