//! Defaults of the core, storage and namespace kinds.

use serde_json::{json, Value};

use super::{canonical_quantities, default, each_item, obj_mut};

/// `SetDefaults_Service`, plus the IP family fields the service registry fills in on a
/// single-stack IPv4 cluster. ClusterIP allocation is the caller's.
pub fn service(obj: &mut Value) {
    let Some(spec) = obj_mut(obj, "spec") else { return };
    default(spec, "type", json!("ClusterIP"));
    default(spec, "sessionAffinity", json!("None"));
    let ty = spec.get("type").and_then(Value::as_str).unwrap_or("").to_string();
    for p in each_item(spec, "ports") {
        default(p, "protocol", json!("TCP"));
        let unset = match p.get("targetPort") {
            None | Some(Value::Null) => true,
            Some(Value::Number(n)) => n.as_i64() == Some(0),
            Some(Value::String(s)) => s.is_empty(),
            _ => false,
        };
        if unset {
            let port = p.get("port").cloned().unwrap_or(Value::Null);
            p.insert("targetPort".into(), port);
        }
    }
    if spec.get("sessionAffinity").and_then(Value::as_str) == Some("ClientIP") {
        let cfg = spec.entry("sessionAffinityConfig").or_insert_with(|| json!({}));
        if let Some(c) = obj_mut(cfg, "clientIP") {
            default(c, "timeoutSeconds", json!(10800));
        }
    }
    if ty == "ExternalName" {
        return;
    }
    if ty == "NodePort" || ty == "LoadBalancer" {
        default(spec, "externalTrafficPolicy", json!("Cluster"));
    }
    if ty == "LoadBalancer" {
        default(spec, "allocateLoadBalancerNodePorts", json!(true));
    }
    default(spec, "internalTrafficPolicy", json!("Cluster"));
    default(spec, "ipFamilyPolicy", json!("SingleStack"));
    let families_empty = spec.get("ipFamilies").and_then(Value::as_array).is_none_or(Vec::is_empty);
    if families_empty {
        spec.insert("ipFamilies".into(), json!(["IPv4"]));
    }
}

/// `SetDefaults_PersistentVolumeClaim` and its spec: volumeMode and `status.phase: Pending`.
pub fn pvc(obj: &mut Value) {
    if let Some(spec) = obj_mut(obj, "spec") {
        default(spec, "volumeMode", json!("Filesystem"));
        if let Some(Value::Object(r)) = spec.get_mut("resources") {
            canonical_quantities(r.get_mut("requests"));
            canonical_quantities(r.get_mut("limits"));
        }
    }
    if let Some(status) = obj_mut(obj, "status") {
        default(status, "phase", json!("Pending"));
        canonical_quantities(status.get_mut("capacity"));
    }
}

/// The claim strategy's `PrepareForCreate`: `NormalizeDataSources` (pkg/api/persistentvolumeclaim)
/// copies `dataSource` into an unset `dataSourceRef` and back (unless the ref names a namespace),
/// after dropping `dataSourceRef.namespace` (CrossNamespaceVolumeDataSource is off in v1.32).
pub fn normalize_data_sources(obj: &mut Value) {
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else { return };
    if let Some(Value::Object(r)) = spec.get_mut("dataSourceRef") {
        r.remove("namespace");
    }
    let set = |v: Option<&Value>| v.is_some_and(|v| !v.is_null());
    let (source, reference) = (spec.get("dataSource").cloned(), spec.get("dataSourceRef").cloned());
    let copy = |from: &Value| {
        let mut to = serde_json::Map::new();
        for key in ["apiGroup", "kind", "name"] {
            if let Some(v) = from.get(key).filter(|v| !v.is_null()) {
                to.insert(key.to_string(), v.clone());
            }
        }
        Value::Object(to)
    };
    match (source, reference) {
        (Some(ds), r) if set(Some(&ds)) && !set(r.as_ref()) => {
            spec.insert("dataSourceRef".to_string(), copy(&ds));
        }
        (d, Some(r)) if set(Some(&r)) && !set(d.as_ref()) => {
            spec.insert("dataSource".to_string(), copy(&r));
        }
        _ => {}
    }
}

/// `SetDefaults_PersistentVolume`: reclaim policy Retain, volumeMode, `status.phase: Pending`.
pub fn pv(obj: &mut Value) {
    if let Some(spec) = obj_mut(obj, "spec") {
        default(spec, "persistentVolumeReclaimPolicy", json!("Retain"));
        default(spec, "volumeMode", json!("Filesystem"));
        canonical_quantities(spec.get_mut("capacity"));
        if let Some(Value::Object(hp)) = spec.get_mut("hostPath") {
            default(hp, "type", json!(""));
        }
        super::pod::legacy_volume_defaults(spec);
    }
    if let Some(status) = obj_mut(obj, "status") {
        default(status, "phase", json!("Pending"));
    }
}

/// storage/v1 `SetDefaults_StorageClass`.
pub fn storage_class(obj: &mut Value) {
    if let Some(m) = obj.as_object_mut() {
        default(m, "reclaimPolicy", json!("Delete"));
        default(m, "volumeBindingMode", json!("Immediate"));
    }
}

/// scheduling/v1 `SetDefaults_PriorityClass`.
pub fn priority_class(obj: &mut Value) {
    if let Some(m) = obj.as_object_mut() {
        default(m, "preemptionPolicy", json!("PreemptLowerPriority"));
    }
}

/// storage/v1 `SetDefaults_CSIDriver` (with SELinuxMountReadWriteOncePod, on by default in v1.32).
pub fn csi_driver(obj: &mut Value) {
    if let Some(spec) = obj_mut(obj, "spec") {
        default(spec, "attachRequired", json!(true));
        default(spec, "podInfoOnMount", json!(false));
        default(spec, "storageCapacity", json!(false));
        default(spec, "fsGroupPolicy", json!("ReadWriteOnceWithFSType"));
        if spec.get("volumeLifecycleModes").and_then(Value::as_array).is_none_or(Vec::is_empty) {
            spec.insert("volumeLifecycleModes".to_string(), json!(["Persistent"]));
        }
        default(spec, "requiresRepublish", json!(false));
        default(spec, "seLinuxMount", json!(false));
    }
}

/// The name label (`SetDefaults_Namespace`), the `kubernetes` finalizer (namespace strategy) and
/// `status.phase: Active`.
pub fn namespace(obj: &mut Value) {
    let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("").to_string();
    if !name.is_empty() {
        if let Some(meta) = obj_mut(obj, "metadata") {
            if let Some(labels) = obj_mut_map(meta, "labels") {
                labels.insert("kubernetes.io/metadata.name".into(), json!(name));
            }
        }
    }
    if let Some(spec) = obj_mut(obj, "spec") {
        let empty = spec.get("finalizers").and_then(Value::as_array).is_none_or(Vec::is_empty);
        if empty {
            spec.insert("finalizers".into(), json!(["kubernetes"]));
        }
    }
    if let Some(status) = obj_mut(obj, "status") {
        default(status, "phase", json!("Active"));
    }
}

fn obj_mut_map<'a>(
    map: &'a mut serde_json::Map<String, Value>,
    key: &str,
) -> Option<&'a mut serde_json::Map<String, Value>> {
    let slot = map.entry(key.to_string()).or_insert_with(|| json!({}));
    if slot.is_null() {
        *slot = json!({});
    }
    slot.as_object_mut()
}

/// Endpoints ports default to TCP.
pub fn endpoints(obj: &mut Value) {
    let Some(subsets) = obj.get_mut("subsets").and_then(Value::as_array_mut) else { return };
    for s in subsets.iter_mut().filter_map(Value::as_object_mut) {
        for p in each_item(s, "ports") {
            default(p, "protocol", json!("TCP"));
        }
    }
}

/// discovery/v1 `SetDefaults_EndpointPort`: an EndpointSlice port's name defaults to "" and its
/// protocol to TCP (kubectl's describe dereferences the protocol).
pub fn endpoint_slice(obj: &mut Value) {
    let Some(o) = obj.as_object_mut() else { return };
    for p in each_item(o, "ports") {
        if p.get("name").is_none_or(Value::is_null) {
            p.insert("name".into(), json!(""));
        }
        default(p, "protocol", json!("TCP"));
    }
}

/// `SetDefaults_NodeStatus`: allocatable defaults to capacity.
pub fn node(obj: &mut Value) {
    let Some(status) = obj.get_mut("status").and_then(Value::as_object_mut) else { return };
    canonical_quantities(status.get_mut("capacity"));
    if let Some(capacity) = status.get("capacity").cloned() {
        default(status, "allocatable", capacity);
    }
    canonical_quantities(status.get_mut("allocatable"));
}

/// A ResourceQuota: its quantities in canonical form (`spec: {}` is kept, as the typed struct
/// always serializes it).
pub fn resource_quota(obj: &mut Value) {
    let Some(spec) = obj_mut(obj, "spec") else { return };
    canonical_quantities(spec.get_mut("hard"));
    if let Some(status) = obj.get_mut("status") {
        canonical_quantities(status.get_mut("hard"));
        canonical_quantities(status.get_mut("used"));
    }
}

/// `SetDefaults_LimitRangeItem`: a Container item's default limit is its max, its default
/// request its default limit, else its min; quantities in canonical form.
pub fn limit_range(obj: &mut Value) {
    let Some(spec) = obj_mut(obj, "spec") else { return };
    for item in each_item(spec, "limits") {
        for key in ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"] {
            canonical_quantities(item.get_mut(key));
        }
        if item.get("type").and_then(Value::as_str) != Some("Container") {
            continue;
        }
        let copy_missing = |item: &mut serde_json::Map<String, Value>, from: &str, to: &str| {
            let Some(Value::Object(src)) = item.get(from).cloned() else { return };
            if !item.get(to).is_some_and(Value::is_object) {
                item.insert(to.into(), json!({}));
            }
            if let Some(Value::Object(dst)) = item.get_mut(to) {
                for (k, v) in src {
                    dst.entry(k).or_insert(v);
                }
            }
        };
        copy_missing(item, "max", "default");
        copy_missing(item, "default", "defaultRequest");
        copy_missing(item, "min", "defaultRequest");
        for key in ["default", "defaultRequest"] {
            if item.get(key).and_then(Value::as_object).is_some_and(|m| m.is_empty()) {
                item.remove(key);
            }
        }
    }
}
