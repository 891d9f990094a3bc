//! PersistentVolumeClaim, PersistentVolume and StorageClass validation.

use serde_json::Value;

use super::names::{self, q};
use super::{meta, Causes};
use crate::api::object::ObjectExt;
use crate::api::quantity::Quantity;
use crate::error::FieldError;

const ACCESS_MODES: [&str; 4] = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

pub fn pvc(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns_subdomain, c);
    claim_spec(obj.get("spec").unwrap_or(&Value::Null), "spec", c);
}

/// `ValidatePersistentVolumeClaimSpec`, in the server's order: access modes present, the
/// selector, each mode, the storage request, class, volume mode, then the data sources.
pub fn claim_spec(spec: &Value, path: &str, c: &mut Causes) {
    let modes = spec.array_at("accessModes");
    if modes.is_empty() {
        c.push(FieldError::required(format!("{path}.accessModes"), "at least 1 access mode is required"));
    }
    super::networking::label_selector(spec.get("selector"), &format!("{path}.selector"), c);
    access_modes(modes, &format!("{path}.accessModes"), c);
    let storage_path = format!("{path}.resources[storage]");
    match spec.at("resources.requests.storage") {
        None | Some(Value::Null) => c.push(FieldError::required(storage_path, "")),
        Some(v) => positive_quantity(v, &storage_path, c),
    }
    let class = spec.str_at("storageClassName");
    if !class.is_empty() {
        for msg in names::dns1123_subdomain(class) {
            c.push(FieldError::invalid(format!("{path}.storageClassName"), &q(class), &msg));
        }
    }
    let mode = spec.str_at("volumeMode");
    if spec.get("volumeMode").is_some_and(|v| !v.is_null()) && mode != "Block" && mode != "Filesystem" {
        c.push(FieldError::unsupported(format!("{path}.volumeMode"), mode, &["Block", "Filesystem"]));
    }
    for key in ["dataSource", "dataSourceRef"] {
        if let Some(ds) = spec.get(key).filter(|v| v.is_object()) {
            data_source(ds, &format!("{path}.{key}"), c);
        }
    }
    data_sources(spec, path, c);
}

/// `validateDataSource` / `validateDataSourceRef`: a name and kind; without an API group only
/// a claim may be the source; a group is a DNS subdomain; a namespace a DNS label.
fn data_source(ds: &Value, path: &str, c: &mut Causes) {
    if ds.str_at("name").is_empty() {
        c.push(FieldError::required(format!("{path}.name"), ""));
    }
    let kind = ds.str_at("kind");
    if kind.is_empty() {
        c.push(FieldError::required(format!("{path}.kind"), ""));
    }
    let group = ds.str_at("apiGroup");
    if group.is_empty() && kind != "PersistentVolumeClaim" {
        c.push(FieldError::invalid(
            path,
            &q(kind),
            "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
        ));
    }
    for msg in names::dns1123_subdomain(group).into_iter().filter(|_| !group.is_empty()) {
        c.push(FieldError::invalid(format!("{path}.apiGroup"), &q(group), &msg));
    }
    let ns = ds.str_at("namespace");
    for msg in names::dns1123_label(ns).into_iter().filter(|_| !ns.is_empty()) {
        c.push(FieldError::invalid(format!("{path}.namespace"), &q(ns), &msg));
    }
}

/// How Go's `%#v` prints the `*field.Path` the API server passes as the bad value of a
/// data source mismatch: the parent pointer is an address of the server's memory, which no
/// client can predict, so kstate prints a fixed one.
const DATA_SOURCE_PATH_VALUE: &str = r#"field.Path{name:"dataSource", index:"", parent:(*field.Path)(0xc000c1d260)}"#;

/// Both data sources set: they must name the same object (`isDataSourceEqualDataSourceRef`).
fn data_sources(spec: &Value, path: &str, c: &mut Causes) {
    let (Some(ds), Some(dsr)) = (spec.get("dataSource"), spec.get("dataSourceRef")) else { return };
    if ds.is_null() || dsr.is_null() {
        return;
    }
    let group = |v: &Value| v.get("apiGroup").filter(|g| !g.is_null()).cloned();
    if dsr.get("namespace").and_then(Value::as_str).is_some_and(|n| !n.is_empty()) {
        c.push(FieldError::invalid(
            path,
            DATA_SOURCE_PATH_VALUE,
            "may not be specified when dataSourceRef.namespace is specified",
        ));
    } else if group(ds) != group(dsr)
        || ds.str_at("kind") != dsr.str_at("kind")
        || ds.str_at("name") != dsr.str_at("name")
    {
        c.push(FieldError::invalid(path, DATA_SOURCE_PATH_VALUE, "must match dataSourceRef"));
    }
}

/// Each mode known; ReadWriteOncePod alone among the known ones.
fn access_modes(modes: &[Value], path: &str, c: &mut Causes) {
    let (mut once_pod, mut other) = (false, false);
    for m in modes {
        let m = m.as_str().unwrap_or("");
        if !ACCESS_MODES.contains(&m) {
            c.push(FieldError::unsupported(path, m, &ACCESS_MODES));
        } else if m == "ReadWriteOncePod" {
            once_pod = true;
        } else {
            other = true;
        }
    }
    if once_pod && other {
        c.push(FieldError::forbidden(path, "may not use ReadWriteOncePod with other access modes"));
    }
}

/// A quantity that must parse and be > 0 (`ValidatePositiveQuantityValue`).
fn positive_quantity(v: &Value, path: &str, c: &mut Causes) {
    match Quantity::from_json(v) {
        None => c.push(FieldError::invalid(path, &names::scalar(v), crate::api::quantity::FORMAT_ERROR)),
        Some(qty) if qty.is_zero() || qty.is_negative() => {
            c.push(FieldError::invalid(path, &q(&qty.to_string()), "must be greater than zero"))
        }
        Some(_) => {}
    }
}

const PV_SOURCES: [&str; 22] = [
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "hostPath",
    "glusterfs",
    "nfs",
    "rbd",
    "quobyte",
    "iscsi",
    "cinder",
    "cephfs",
    "fc",
    "flocker",
    "flexVolume",
    "azureFile",
    "vsphereVolume",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "local",
    "storageos",
    "csi",
];

/// `ValidatePersistentVolume` (the parts a simulated cluster meets).
pub fn pv(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, false, names::name_is_dns_subdomain, c);
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let modes = spec.array_at("accessModes");
    if modes.is_empty() {
        c.push(FieldError::required("spec.accessModes", "at least 1 access mode is required"));
    }
    access_modes(modes, "spec.accessModes", c);
    match spec.get("capacity").and_then(Value::as_object) {
        None => c.push(FieldError::required("spec.capacity", "")),
        Some(cap) if cap.is_empty() => c.push(FieldError::required("spec.capacity", "")),
        Some(cap) => match cap.get("storage") {
            Some(v) if cap.len() == 1 => positive_quantity(v, "spec.capacity[storage]", c),
            _ => {
                let keys: Vec<&str> = cap.keys().map(String::as_str).collect();
                let shown =
                    format!("[]core.ResourceName{{{}}}", keys.iter().map(|k| q(k)).collect::<Vec<_>>().join(", "));
                c.push(FieldError {
                    field: "spec.capacity".into(),
                    detail: format!("Unsupported value: {shown}: supported values: \"storage\""),
                });
            }
        },
    }
    let class = spec.str_at("storageClassName");
    if !class.is_empty() {
        for msg in names::dns1123_subdomain(class) {
            c.push(FieldError::invalid("spec.storageClassName", &q(class), &msg));
        }
    }
    let policy = spec.str_at("persistentVolumeReclaimPolicy");
    if !["Delete", "Recycle", "Retain"].contains(&policy) {
        c.push(FieldError::unsupported("spec.persistentVolumeReclaimPolicy", policy, &["Delete", "Recycle", "Retain"]));
    }
    let sources = PV_SOURCES.iter().filter(|k| spec.get(**k).is_some_and(|v| !v.is_null())).count();
    if sources == 0 {
        c.push(FieldError::required("spec", "must specify a volume type"));
    } else if sources > 1 {
        c.push(FieldError::forbidden("spec", "may not specify more than 1 volume type"));
    }
}

/// `ValidateStorageClass`.
pub fn storage_class(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, false, names::name_is_dns_subdomain, c);
    let provisioner = obj.str_at("provisioner");
    if provisioner.is_empty() {
        c.push(FieldError::required("provisioner", ""));
    } else {
        for msg in names::qualified_name(&provisioner.to_lowercase()) {
            c.push(FieldError::invalid("provisioner", &q(provisioner), &msg));
        }
    }
    let reclaim = obj.str_at("reclaimPolicy");
    if !["Delete", "Retain"].contains(&reclaim) {
        c.push(FieldError::unsupported("reclaimPolicy", reclaim, &["Delete", "Retain"]));
    }
    match obj.str_at("volumeBindingMode") {
        "Immediate" | "WaitForFirstConsumer" => {}
        "" => c.push(FieldError::required("volumeBindingMode", "")),
        other => c.push(FieldError::unsupported("volumeBindingMode", other, &["Immediate", "WaitForFirstConsumer"])),
    }
}

/// storage/v1 `ValidateVolumeAttachment` (create): name, attacher, exactly one source, node name.
pub fn volume_attachment(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, false, names::name_is_dns_subdomain, c);
    if obj.str_at("spec.attacher").is_empty() {
        c.push(FieldError::required("spec.attacher", ""));
    }
    let source = obj.at("spec.source");
    let set = |k: &str| source.and_then(|s| s.get(k)).is_some_and(|v| !v.is_null());
    let exactly_one = "must specify exactly one of inlineVolumeSpec and persistentVolumeName";
    match (set("persistentVolumeName"), set("inlineVolumeSpec")) {
        (false, false) => c.push(FieldError::required("spec.source", exactly_one)),
        (true, true) => c.push(FieldError::forbidden("spec.source", exactly_one)),
        (true, false) => {
            let pv = obj.str_at("spec.source.persistentVolumeName");
            if pv.is_empty() {
                c.push(FieldError::required(
                    "spec.source.persistentVolumeName",
                    "must specify non empty persistentVolumeName",
                ));
            }
            for msg in names::name_is_dns_subdomain(pv, false).into_iter().filter(|_| !pv.is_empty()) {
                c.push(FieldError::invalid("spec.source.persistentVolumeName", &q(pv), &msg));
            }
        }
        (false, true) => {}
    }
    let node = obj.str_at("spec.nodeName");
    for msg in names::name_is_dns_subdomain(node, false) {
        c.push(FieldError::invalid("spec.nodeName", &q(node), &msg));
    }
}
