//! StatefulSet defaults (apps/v1 `SetDefaults_StatefulSet`, v1.32: StatefulSetAutoDeletePVC is GA,
//! MaxUnavailableStatefulSet is alpha and off, so `maxUnavailable` is not defaulted).

use serde_json::{json, Map, Value};

use super::{default, each_item, obj_mut, pod_template_defaults};

pub fn statefulset(obj: &mut Value) {
    let Some(spec) = obj_mut(obj, "spec") else { return };
    default(spec, "podManagementPolicy", json!("OrderedReady"));
    update_strategy(spec);
    retention_policy(spec);
    default(spec, "replicas", json!(1));
    default(spec, "revisionHistoryLimit", json!(10));
    if let Some(template) = spec.get_mut("template") {
        template_defaults(template);
    }
    for claim in each_item(spec, "volumeClaimTemplates") {
        claim_template(claim);
    }
}

/// `rollingUpdate: {}` only when the type was empty; `partition: 0` whenever rollingUpdate exists.
fn update_strategy(spec: &mut Map<String, Value>) {
    let strategy = spec.entry("updateStrategy").or_insert_with(|| json!({}));
    let Some(s) = strategy.as_object_mut() else { return };
    let type_empty = s.get("type").and_then(Value::as_str).is_none_or(str::is_empty);
    if type_empty {
        s.insert("type".into(), json!("RollingUpdate"));
        default(s, "rollingUpdate", json!({}));
    }
    if let Some(ru) = s.get_mut("rollingUpdate").and_then(Value::as_object_mut) {
        // With MaxUnavailableStatefulSet off (v1.32), the strategy drops the field on create.
        ru.remove("maxUnavailable");
    }
    if s.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
        if let Some(ru) = s.get_mut("rollingUpdate").and_then(Value::as_object_mut) {
            default(ru, "partition", json!(0));
        }
    }
}

fn retention_policy(spec: &mut Map<String, Value>) {
    let policy = spec.entry("persistentVolumeClaimRetentionPolicy").or_insert_with(|| json!({}));
    if policy.is_null() {
        *policy = json!({});
    }
    if let Some(p) = policy.as_object_mut() {
        default(p, "whenDeleted", json!("Retain"));
        default(p, "whenScaled", json!("Retain"));
    }
}

/// A pod template: pod spec defaults, and `creationTimestamp: null` (an unset Go time in
/// ObjectMeta, which is never omitted).
pub fn template_defaults(template: &mut Value) {
    if let Some(meta) = obj_mut(template, "metadata") {
        meta.entry("creationTimestamp").or_insert(Value::Null);
    }
    if let Some(spec) = template.get_mut("spec") {
        pod_template_defaults(spec);
    }
}

/// A claim template is a full PVC: apiVersion/kind, `creationTimestamp: null`, the PVC
/// defaults (volumeMode, `status.phase: Pending`).
fn claim_template(claim: &mut Map<String, Value>) {
    default(claim, "apiVersion", json!("v1"));
    default(claim, "kind", json!("PersistentVolumeClaim"));
    let mut value = Value::Object(std::mem::take(claim));
    if let Some(meta) = obj_mut(&mut value, "metadata") {
        meta.entry("creationTimestamp").or_insert(Value::Null);
    }
    super::core::pvc(&mut value);
    if let Value::Object(m) = value {
        *claim = m;
    }
}
