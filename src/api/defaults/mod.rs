//! Defaulting, as the v1.32 API server applies it on create (pkg/apis/core/v1/defaults.go,
//! pkg/apis/apps/v1/defaults.go, pkg/apis/storage/v1/defaults.go) plus the few fields that the
//! registry strategies and admission plugins always fill in, so that `-o yaml` shows what a real
//! cluster shows. Quantities are rewritten in canonical form (`1024Mi` → `1Gi`), as the server's
//! decoding does. Defaults never overwrite what the user set; invalid values are left for
//! validation.

mod core;
mod networking;
mod pod;
mod rbac;
mod statefulset;
mod workloads;

use serde_json::{Map, Value};

pub use core::normalize_data_sources;
pub use pod::{pod_admission, pod_template_defaults};
pub use workloads::job_selector;

/// An ephemeral container's defaults (`SetDefaults_EphemeralContainer`: a container's), for one
/// added through the pod's `ephemeralcontainers` subresource.
pub fn ephemeral_container(c: &mut Value) {
    if let Value::Object(m) = c {
        pod::container(m, false);
    }
}

/// Applies the defaults of the object's kind (served apiVersion assumed; see `api::convert`).
pub fn apply(obj: &mut Value) {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
    match kind.as_str() {
        "Pod" => pod::pod(obj),
        "StatefulSet" => statefulset::statefulset(obj),
        "Deployment" => workloads::deployment(obj),
        "ReplicaSet" => workloads::replicaset(obj),
        "ReplicationController" => workloads::replication_controller(obj),
        "PodTemplate" => workloads::pod_template(obj),
        "DaemonSet" => workloads::daemonset(obj),
        "Job" => workloads::job(obj),
        "CronJob" => workloads::cronjob(obj),
        "HorizontalPodAutoscaler" => workloads::hpa(obj),
        "Service" => core::service(obj),
        "PersistentVolumeClaim" => core::pvc(obj),
        "PersistentVolume" => core::pv(obj),
        "StorageClass" => core::storage_class(obj),
        "PriorityClass" => core::priority_class(obj),
        "ResourceQuota" => core::resource_quota(obj),
        "LimitRange" => core::limit_range(obj),
        "CSIDriver" => core::csi_driver(obj),
        "RoleBinding" | "ClusterRoleBinding" => rbac::binding(obj),
        "NetworkPolicy" => networking::network_policy(obj),
        "IngressClass" => networking::ingress_class(obj),
        "Namespace" => core::namespace(obj),
        "Endpoints" => core::endpoints(obj),
        "EndpointSlice" => core::endpoint_slice(obj),
        "Node" => core::node(obj),
        _ => {}
    }
}

/// The object map at `key` of `obj`, created when missing or null.
pub(crate) fn obj_mut<'a>(obj: &'a mut Value, key: &str) -> Option<&'a mut Map<String, Value>> {
    let map = obj.as_object_mut()?;
    let slot = map.entry(key.to_string()).or_insert_with(|| Value::Object(Map::new()));
    if slot.is_null() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut()
}

/// Sets `key` when it is missing, null, or (for Go strings, where "" means unset) empty.
pub(crate) fn default(map: &mut Map<String, Value>, key: &str, value: Value) {
    let unset = match map.get(key) {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(_) => false,
    };
    if unset {
        map.insert(key.to_string(), value);
    }
}

/// Every element of the array at `key` that is an object.
pub(crate) fn each_item<'a>(
    map: &'a mut Map<String, Value>,
    key: &str,
) -> impl Iterator<Item = &'a mut Map<String, Value>> {
    map.get_mut(key).and_then(Value::as_array_mut).into_iter().flatten().filter_map(Value::as_object_mut)
}

/// Rewrites each quantity in a resource list (`requests`, `limits`, `capacity`) canonically.
pub(crate) fn canonical_quantities(list: Option<&mut Value>) {
    let Some(Value::Object(m)) = list else { return };
    for v in m.values_mut() {
        if let Some(q) = super::quantity::Quantity::from_json(v) {
            *v = Value::String(q.to_string());
        }
    }
}

#[cfg(test)]
mod tests;
