//! Update validation: the new object must be valid, and immutable fields must not change.

use serde_json::{Map, Value};

use super::names::{self, q};
use super::{immutable, meta, statefulset, Causes};
use crate::api::object::ObjectExt;
use crate::api::quantity::Quantity;
use crate::error::FieldError;

/// The v1.32 wording (kubectl-formats.md §6; later releases add 'revisionHistoryLimit').
pub const STS_FORBIDDEN: &str = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
const PVC_FORBIDDEN: &str =
    "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims";

pub fn validate(old: &Value, new: &Value, c: &mut Causes) {
    meta_update(old, new, c);
    match new.kind() {
        "StatefulSet" => {
            // The name is not re-validated on update (old sets may have dotted names).
            meta::labels(new.at("metadata.labels"), "metadata.labels", c);
            meta::annotations(new.at("metadata.annotations"), "metadata.annotations", c);
            // ValidateStatefulSetSpec covers the pod template and claim templates on update too.
            statefulset::spec(new, c);
            statefulset::template_pod_spec(new, c);
            if spec_without(old, STS_MUTABLE) != spec_without(new, STS_MUTABLE) {
                c.push(FieldError::forbidden("spec", STS_FORBIDDEN));
            }
        }
        "PersistentVolumeClaim" => pvc(old, new, c),
        "Pod" => {
            labels_and_annotations(new, c);
            // validatePodMetadataAndSpec runs on update as on create (an emptied image is refused).
            super::pod::pod_spec(new.get("spec").unwrap_or(&Value::Null), "spec", &[], c);
            immutable::pod(old, new, c);
        }
        "Service" => {
            labels_and_annotations(new, c);
            immutable::service(old, new, c);
            super::service::update(new, c);
        }
        "Job" => {
            labels_and_annotations(new, c);
            immutable::job(old, new, c);
        }
        // ValidateDeploymentUpdate and friends re-validate the whole spec; then apps/v1's update
        // strategies refuse a changed selector (ValidateImmutableField).
        "Deployment" | "ReplicaSet" | "DaemonSet" => {
            super::workloads::replicated(new, c);
            if old.at("spec.selector") != new.at("spec.selector") {
                let shown = new.at("spec.selector").map_or_else(|| "nil".into(), statefulset::render_selector);
                c.push(FieldError::invalid("spec.selector", &shown, "field is immutable"));
            }
        }
        "StorageClass" => storage_class(old, new, c),
        // Their update validation re-runs the create checks (an HPA patched to a maximum below
        // its minimum must be refused as at create).
        "ConfigMap" => super::config::config_map(new, c),
        "Secret" => super::config::secret(new, c),
        "PodDisruptionBudget" => super::policy::pdb(new, c),
        "HorizontalPodAutoscaler" => super::policy::hpa(new, c),
        "ResourceQuota" => super::quota::resource_quota(new, c),
        "ReplicationController" => super::workloads::replication_controller(new, c),
        "PodTemplate" => super::workloads::pod_template(new, c),
        "LimitRange" => super::quota::limit_range(new, c),
        "NetworkPolicy" => super::networking::network_policy(new, c),
        "Ingress" => super::networking::ingress(new, c),
        "IngressClass" => super::networking::ingress_class_update(old, new, c),
        // ValidateRoleUpdate and friends re-validate the whole object.
        "Role" | "ClusterRole" => super::rbac::role(new, c),
        "RoleBinding" | "ClusterRoleBinding" => super::rbac::binding_update(old, new, c),
        "PriorityClass" => {
            labels_and_annotations(new, c);
            super::scheduling::priority_class_update(old, new, c);
        }
        _ => labels_and_annotations(new, c),
    }
}

fn labels_and_annotations(new: &Value, c: &mut Causes) {
    meta::labels(new.at("metadata.labels"), "metadata.labels", c);
    meta::annotations(new.at("metadata.annotations"), "metadata.annotations", c);
}

const STS_MUTABLE: &[&str] =
    &["replicas", "template", "updateStrategy", "minReadySeconds", "ordinals", "persistentVolumeClaimRetentionPolicy"];

fn spec_without(obj: &Value, keys: &[&str]) -> Map<String, Value> {
    let mut spec = obj.get("spec").and_then(Value::as_object).cloned().unwrap_or_default();
    for k in keys {
        spec.remove(*k);
    }
    spec
}

/// `ValidateObjectMetaUpdate`: name and namespace never change.
fn meta_update(old: &Value, new: &Value, c: &mut Causes) {
    for (path, field) in [("metadata.name", "metadata.name"), ("metadata.namespace", "metadata.namespace")] {
        let (o, n) = (old.str_at(field), new.str_at(field));
        if o != n {
            c.push(FieldError::invalid(path, &q(n), "field is immutable"));
        }
    }
}

/// `ValidatePersistentVolumeClaimUpdate`: only a bound claim may change its storage request,
/// `volumeName` may be set once, `storageClassName` may be set once from absent; a request may
/// not go below the recorded capacity (RecoverVolumeExpansionFailure is on in v1.32).
fn pvc(old: &Value, new: &Value, c: &mut Causes) {
    let bound = new.str_at("status.phase") == "Bound";
    let mut o = spec_without(old, &[]);
    let mut n = spec_without(new, &[]);
    if old.str_at("spec.volumeName").is_empty() {
        o.remove("volumeName");
        n.remove("volumeName");
    }
    if old.at("spec.storageClassName").is_none_or(Value::is_null) {
        o.remove("storageClassName");
        n.remove("storageClassName");
    }
    if bound {
        for m in [&mut o, &mut n] {
            if let Some(req) = m.get_mut("resources").and_then(|r| r.get_mut("requests")).and_then(Value::as_object_mut)
            {
                req.remove("storage");
            }
        }
    }
    o.remove("volumeAttributesClassName");
    n.remove("volumeAttributesClassName");
    if o != n {
        c.push(FieldError::forbidden("spec", PVC_FORBIDDEN));
    }
    let qty = |v: &Value, p: &str| v.at(p).and_then(Quantity::from_json);
    let (new_req, old_req) = (qty(new, "spec.resources.requests.storage"), qty(old, "spec.resources.requests.storage"));
    if let (Some(nr), Some(or)) = (new_req, old_req) {
        if bound && nr < or {
            let floor = qty(old, "status.capacity.storage");
            if floor.is_none_or(|cap| nr <= cap) {
                c.push(FieldError::forbidden(
                    "spec.resources.requests.storage",
                    "field can not be less than status.capacity",
                ));
            }
        }
    }
}

/// `ValidateStorageClassUpdate`.
fn storage_class(old: &Value, new: &Value, c: &mut Causes) {
    if old.get("parameters") != new.get("parameters") {
        c.push(FieldError::forbidden("parameters", "updates to parameters are forbidden."));
    }
    if old.str_at("provisioner") != new.str_at("provisioner") {
        c.push(FieldError::forbidden("provisioner", "updates to provisioner are forbidden."));
    }
    if old.str_at("reclaimPolicy") != new.str_at("reclaimPolicy") {
        c.push(FieldError::forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
    }
    let mode = new.str_at("volumeBindingMode");
    if old.str_at("volumeBindingMode") != mode {
        c.push(FieldError::invalid("volumeBindingMode", &names::q(mode), "field is immutable"));
    }
}
