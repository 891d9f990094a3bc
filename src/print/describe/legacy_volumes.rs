//! The in-tree volume sources of `describeVolumes` (GCE PD, EBS, git repo, iSCSI, Ceph, Azure, ...),
//! which no kstate driver serves but which a pod spec may still name: kubectl prints each with its
//! own block, formatting every field with Go's `%v` (a `secretRef` through its generated `String()`,
//! a list `[a b]`, options `map[k:v]`).

use serde_json::Value;

use super::common::{go_value, Writer};
use crate::api::ObjectExt;

/// Prints the source of a pod's `volume` when it is one of these; false when it is none of them.
pub fn describe(w: &mut Writer, volume: &Value) -> bool {
    print(w, volume, false)
}

/// The same for a PersistentVolume's `spec`, whose sources differ a little: secret references
/// are `SecretReference`s (with a namespace), and Glusterfs, ScaleIO and Azure File show the
/// namespaces they may name.
pub fn describe_pv(w: &mut Writer, spec: &Value) -> bool {
    print(w, spec, true)
}

fn print(w: &mut Writer, volume: &Value, pv: bool) -> bool {
    let src = |k: &str| volume.get(k).filter(|s| s.is_object());
    let secret = |s: &Value| if pv { secret_reference(s) } else { reference(s) };
    let (title, fields): (&str, Vec<(&str, String)>) = if let Some(s) = src("gcePersistentDisk") {
        (
            "GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)",
            vec![
                ("PDName:", text(s, "pdName")),
                ("FSType:", text(s, "fsType")),
                ("Partition:", int(s, "partition")),
                ("ReadOnly:", flag(s, "readOnly")),
            ],
        )
    } else if let Some(s) = src("awsElasticBlockStore") {
        (
            "AWSElasticBlockStore (a Persistent Disk resource in AWS)",
            vec![
                ("VolumeID:", text(s, "volumeID")),
                ("FSType:", text(s, "fsType")),
                ("Partition:", int(s, "partition")),
                ("ReadOnly:", flag(s, "readOnly")),
            ],
        )
    } else if let Some(s) = src("gitRepo") {
        (
            "GitRepo (a volume that is pulled from git when the pod is created)",
            vec![("Repository:", text(s, "repository")), ("Revision:", text(s, "revision"))],
        )
    } else if let Some(s) = src("iscsi") {
        let initiator = s.get("initiatorName").and_then(Value::as_str).unwrap_or("<none>").to_string();
        (
            "ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod)",
            vec![
                ("TargetPortal:", text(s, "targetPortal")),
                ("IQN:", text(s, "iqn")),
                ("Lun:", int(s, "lun")),
                // kubectl's format has no colon after this label.
                ("ISCSIInterface", text(s, "iscsiInterface")),
                ("FSType:", text(s, "fsType")),
                ("ReadOnly:", flag(s, "readOnly")),
                ("Portals:", list(s, "portals")),
                ("DiscoveryCHAPAuth:", flag(s, "chapAuthDiscovery")),
                ("SessionCHAPAuth:", flag(s, "chapAuthSession")),
                ("SecretRef:", secret(s)),
                ("InitiatorName:", initiator),
            ],
        )
    } else if let Some(s) = src("glusterfs") {
        (
            "Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)",
            vec![
                ("EndpointsName:", text(s, "endpoints")),
                (
                    "EndpointsNamespace:",
                    s.get("endpointsNamespace").and_then(Value::as_str).unwrap_or("<unset>").into(),
                ),
                ("Path:", text(s, "path")),
                ("ReadOnly:", flag(s, "readOnly")),
            ],
        )
    } else if let Some(s) = src("rbd") {
        (
            "RBD (a Rados Block Device mount on the host that shares a pod's lifetime)",
            vec![
                ("CephMonitors:", list(s, "monitors")),
                ("RBDImage:", text(s, "image")),
                ("FSType:", text(s, "fsType")),
                ("RBDPool:", text(s, "pool")),
                ("RadosUser:", text(s, "user")),
                ("Keyring:", text(s, "keyring")),
                ("SecretRef:", secret(s)),
                ("ReadOnly:", flag(s, "readOnly")),
            ],
        )
    } else if let Some(s) = src("quobyte") {
        (
            "Quobyte (a Quobyte mount on the host that shares a pod's lifetime)",
            vec![
                ("Registry:", text(s, "registry")),
                ("Volume:", text(s, "volume")),
                ("ReadOnly:", flag(s, "readOnly")),
            ],
        )
    } else if let Some(s) = src("azureDisk") {
        (
            "AzureDisk (an Azure Data Disk mount on the host and bind mount to the pod)",
            vec![
                ("DiskName:", text(s, "diskName")),
                ("DiskURI:", text(s, "diskURI")),
                // kubectl's format has a space before this label's tab.
                ("Kind: ", text(s, "kind")),
                ("FSType:", text(s, "fsType")),
                ("CachingMode:", text(s, "cachingMode")),
                ("ReadOnly:", flag(s, "readOnly")),
            ],
        )
    } else if let Some(s) = src("vsphereVolume") {
        (
            "vSphereVolume (a Persistent Disk resource in vSphere)",
            vec![
                ("VolumePath:", text(s, "volumePath")),
                ("FSType:", text(s, "fsType")),
                ("StoragePolicyName:", text(s, "storagePolicyName")),
            ],
        )
    } else if let Some(s) = src("cinder") {
        (
            "Cinder (a Persistent Disk resource in OpenStack)",
            vec![
                ("VolumeID:", text(s, "volumeID")),
                ("FSType:", text(s, "fsType")),
                ("ReadOnly:", flag(s, "readOnly")),
                ("SecretRef:", secret(s)),
            ],
        )
    } else if let Some(s) = src("photonPersistentDisk") {
        (
            "PhotonPersistentDisk (a Persistent Disk resource in photon platform)",
            vec![("PdID:", text(s, "pdID")), ("FSType:", text(s, "fsType"))],
        )
    } else if let Some(s) = src("portworxVolume") {
        ("PortworxVolume (a Portworx Volume resource)", vec![("VolumeID:", text(s, "volumeID"))])
    } else if let Some(s) = src("scaleIO") {
        (
            "ScaleIO (a persistent volume backed by a block device in ScaleIO)",
            vec![
                ("Gateway:", text(s, "gateway")),
                ("System:", text(s, "system")),
                ("Protection Domain:", text(s, "protectionDomain")),
                ("Storage Pool:", text(s, "storagePool")),
                ("Storage Mode:", text(s, "storageMode")),
                ("VolumeName:", text(s, "volumeName")),
                ("SecretName:", s.get("secretRef").map_or(String::new(), |r| text(r, "name"))),
                ("SecretNamespace:", s.get("secretRef").map_or(String::new(), |r| text(r, "namespace"))),
                ("FSType:", text(s, "fsType")),
                ("ReadOnly:", flag(s, "readOnly")),
            ],
        )
    } else if let Some(s) = src("cephfs") {
        (
            "CephFS (a CephFS mount on the host that shares a pod's lifetime)",
            vec![
                ("Monitors:", list(s, "monitors")),
                ("Path:", text(s, "path")),
                ("User:", text(s, "user")),
                ("SecretFile:", text(s, "secretFile")),
                ("SecretRef:", secret(s)),
                ("ReadOnly:", flag(s, "readOnly")),
            ],
        )
    } else if let Some(s) = src("storageos") {
        (
            "StorageOS (a StorageOS Persistent Disk resource)",
            vec![
                ("VolumeName:", text(s, "volumeName")),
                ("VolumeNamespace:", text(s, "volumeNamespace")),
                ("FSType:", text(s, "fsType")),
                ("ReadOnly:", flag(s, "readOnly")),
            ],
        )
    } else if let Some(s) = src("fc") {
        let wwns: Vec<String> = s.array_at("targetWWNs").iter().map(|v| go_value(Some(v))).collect();
        let lun = s.i64_at("lun").map_or("<none>".to_string(), |l| l.to_string());
        (
            "FC (a Fibre Channel disk)",
            vec![
                ("TargetWWNs:", wwns.join(", ")),
                ("LUN:", lun),
                ("FSType:", text(s, "fsType")),
                ("ReadOnly:", flag(s, "readOnly")),
            ],
        )
    } else if let Some(s) = src("azureFile") {
        (
            "AzureFile (an Azure File Service mount on the host and bind mount to the pod)",
            vec![
                ("SecretName:", text(s, "secretName")),
                ("SecretNamespace:", text(s, "secretNamespace")),
                ("ShareName:", text(s, "shareName")),
                ("ReadOnly:", flag(s, "readOnly")),
            ],
        )
    } else if let Some(s) = src("flexVolume") {
        (
            "FlexVolume (a generic volume resource that is provisioned/attached using an exec based plugin)",
            vec![
                ("Driver:", text(s, "driver")),
                ("FSType:", text(s, "fsType")),
                ("SecretRef:", secret(s)),
                ("ReadOnly:", flag(s, "readOnly")),
                ("Options:", options(s)),
            ],
        )
    } else if let Some(s) = src("flocker") {
        (
            "Flocker (a Flocker volume mounted by the Flocker agent)",
            vec![("DatasetName:", text(s, "datasetName")), ("DatasetUUID:", text(s, "datasetUUID"))],
        )
    } else if let Some(s) = src("image") {
        (
            "Image (a container image or OCI artifact)",
            vec![("Reference:", text(s, "reference")), ("PullPolicy:", text(s, "pullPolicy"))],
        )
    } else {
        return false;
    };
    w.line(2, &format!("Type:\t{title}"));
    for (label, value) in fields {
        // The namespace lines belong to the PersistentVolume forms only.
        if !pv && pv_only(volume, label) {
            continue;
        }
        w.line(2, &format!("{label}\t{value}"));
    }
    true
}

/// The lines only the PersistentVolume forms print: Glusterfs's endpoints namespace, ScaleIO's
/// secret name and namespace, Azure File's secret namespace.
fn pv_only(volume: &Value, label: &str) -> bool {
    match label {
        "EndpointsNamespace:" | "SecretNamespace:" => true,
        "SecretName:" => volume.get("scaleIO").is_some_and(Value::is_object),
        _ => false,
    }
}

/// A string field (`""` when unset).
fn text(s: &Value, key: &str) -> String {
    s.str_at(key).to_string()
}

/// An int32 field (0 when unset).
fn int(s: &Value, key: &str) -> String {
    s.i64_at(key).unwrap_or(0).to_string()
}

/// A bool field (false when unset).
fn flag(s: &Value, key: &str) -> String {
    s.get(key).and_then(Value::as_bool).unwrap_or(false).to_string()
}

/// A `[]string` by `%v`: `[a b]`.
fn list(s: &Value, key: &str) -> String {
    let items: Vec<String> = s.array_at(key).iter().map(|v| go_value(Some(v))).collect();
    format!("[{}]", items.join(" "))
}

/// `secretRef`, a `*LocalObjectReference` by `%v`, which calls its generated `String()`:
/// `nil`, or `&LocalObjectReference{Name:NAME,}`.
fn reference(s: &Value) -> String {
    match s.get("secretRef").filter(|r| r.is_object()) {
        None => "nil".to_string(),
        Some(r) => format!("&LocalObjectReference{{Name:{},}}", r.str_at("name")),
    }
}

/// A PersistentVolume source's `secretRef`, a `*SecretReference` through its `String()`.
fn secret_reference(s: &Value) -> String {
    match s.get("secretRef").filter(|r| r.is_object()) {
        None => "nil".to_string(),
        Some(r) => format!("&SecretReference{{Name:{},Namespace:{},}}", r.str_at("name"), r.str_at("namespace")),
    }
}

/// A `map[string]string` by `%v`: `map[k:v ...]`, keys sorted.
fn options(s: &Value) -> String {
    let mut pairs: Vec<(String, String)> = s
        .get("options")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), go_value(Some(v)))).collect())
        .unwrap_or_default();
    pairs.sort();
    let parts: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}:{v}")).collect();
    format!("map[{}]", parts.join(" "))
}
