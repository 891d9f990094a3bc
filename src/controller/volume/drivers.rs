//! The other clouds' and tools' provisioners: Amazon EBS, Google Compute Engine PD, Azure Disk and
//! Azure Files CSI drivers, and minikube's hostpath provisioner. Each names its volumes
//! `pvc-<claim uid>` and gives them its own volume handle, topology key and size rules. The in-tree
//! names `kubernetes.io/aws-ebs` and `kubernetes.io/gce-pd` are migrated to the CSI drivers, as on
//! a v1.32 cluster: the CSI driver provisions and the volume is stored in its in-tree form.

use serde_json::{json, Value};

use super::provision::{base_volume, node_affinity, requested_gib, round_robin_zone, NodeLabels};
use super::SELECTED_NODE;
use crate::api::object::{set_annotation, set_at};
use crate::api::ObjectExt;
use crate::cluster::profile::cloud::{AKS_RESOURCE_GROUP, AKS_SUBSCRIPTION};
use crate::cluster::Cluster;
use crate::Result;

/// A volume, or the reason the driver refused to create it.
type Made = Result<std::result::Result<Value, String>>;

pub struct Driver {
    /// The CSI driver's name (what migrated in-tree classes are provisioned by).
    pub csi: &'static str,
    /// The event source: `<driver>_<controller pod>_<uuid>`.
    pub identity: &'static str,
    /// A fresh volume is an ext4 filesystem (`lost+found`); otherwise an empty directory.
    pub ext4: bool,
    /// Served through external-provisioner, which restores snapshots and clones claims.
    pub external: bool,
    pub make: fn(&mut Cluster, &mut NodeLabels, &Value, &Value) -> Made,
}

pub const K3S_LOCAL_IDENTITY: &str =
    "rancher.io/local-path_local-path-provisioner-5cf85fd84d-2kqzp_7c1e9a4b-3d2f-4e6a-8b5c-9f0d1e2a3b4c";

static EBS: Driver = Driver {
    csi: "ebs.csi.aws.com",
    identity: "ebs.csi.aws.com_ebs-csi-controller-6d8b5d7c4f-x2k9p_5a83b3fc-1e2d-4c3b-9a8f-7e6d5c4b3a29",
    ext4: true,
    external: true,
    make: ebs_volume,
};
static PD: Driver = Driver {
    csi: "pd.csi.storage.gke.io",
    identity: "pd.csi.storage.gke.io_gke-4f2a9c1e7b3d5e8f6a0b-1c2d-3e4f-vm_0f9e8d7c-6b5a-4938-8271-6a5b4c3d2e1f",
    ext4: true,
    external: true,
    make: pd_volume,
};
static AZURE_DISK: Driver = Driver {
    csi: "disk.csi.azure.com",
    identity: "disk.csi.azure.com_csi-azuredisk-controller-7d8f9c6b5d-q4w7r_2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
    ext4: true,
    external: true,
    make: azure_disk_volume,
};
static AZURE_FILE: Driver = Driver {
    csi: "file.csi.azure.com",
    identity: "file.csi.azure.com_csi-azurefile-controller-5b9d8c7f6e-m3n8p_8e7d6c5b-4a39-4281-b7f6-e5d4c3b2a190",
    ext4: false,
    external: true,
    make: azure_file_volume,
};
static MINIKUBE: Driver = Driver {
    csi: "k8s.io/minikube-hostpath",
    identity: "k8s.io/minikube-hostpath_minikube_6fce3804-7a1b-4c2d-9e3f-0a1b2c3d4e5f",
    ext4: false,
    external: false,
    make: minikube_volume,
};

/// The driver behind a class's provisioner, for the provisioners kstate simulates here.
pub fn by_name(provisioner: &str) -> Option<&'static Driver> {
    match provisioner {
        "ebs.csi.aws.com" | "kubernetes.io/aws-ebs" => Some(&EBS),
        "pd.csi.storage.gke.io" | "kubernetes.io/gce-pd" => Some(&PD),
        "disk.csi.azure.com" | "kubernetes.io/azure-disk" => Some(&AZURE_DISK),
        "file.csi.azure.com" | "kubernetes.io/azure-file" => Some(&AZURE_FILE),
        "k8s.io/minikube-hostpath" => Some(&MINIKUBE),
        _ => None,
    }
}

/// The CSI driver an in-tree provisioner name is migrated to (the name claims are annotated with).
pub fn migrated_to(provisioner: &str) -> Option<&'static str> {
    match provisioner {
        "kubernetes.io/aws-ebs" => Some("ebs.csi.aws.com"),
        "kubernetes.io/gce-pd" => Some("pd.csi.storage.gke.io"),
        "kubernetes.io/azure-disk" => Some("disk.csi.azure.com"),
        "kubernetes.io/azure-file" => Some("file.csi.azure.com"),
        _ => None,
    }
}

/// The zone of a zonal volume: the selected node's (its `key` label), else the next in turn of
/// the zones the class allows (an immediate claim: the provisioner picks among the class's
/// `allowedTopologies`, all the cluster's zones when it has none).
fn volume_zone(
    cluster: &mut Cluster,
    labels: &mut NodeLabels,
    pvc: &Value,
    class: &Value,
    key: &'static str,
) -> Result<String> {
    if let Some(node) = pvc.annotation(SELECTED_NODE) {
        return labels.get(cluster, node, key);
    }
    let allowed = allowed_zones(class);
    if allowed.is_empty() {
        return round_robin_zone(cluster);
    }
    let n = cluster.bump_counter("ack-disk-zone")? as usize;
    Ok(allowed[(n - 1) % allowed.len()].clone())
}

/// The zones a class's `allowedTopologies` name (under any `.../zone` key), in their order.
fn allowed_zones(class: &Value) -> Vec<String> {
    let mut zones: Vec<String> = Vec::new();
    let exprs = class.array_at("allowedTopologies").iter().flat_map(|t| t.array_at("matchLabelExpressions"));
    for expr in exprs.filter(|e| e.str_at("key").ends_with("/zone")) {
        for zone in expr.array_at("values").iter().filter_map(Value::as_str) {
            if !zones.iter().any(|z| z == zone) {
                zones.push(zone.to_string());
            }
        }
    }
    zones
}

/// The filesystem the class asks for (`csi.storage.k8s.io/fstype`, or the in-tree `fsType`),
/// else `default`: external-provisioner's `--default-fstype` (ext4 on the clouds' drivers).
fn fs_type<'a>(class: &'a Value, default: Option<&'a str>) -> Option<&'a str> {
    ["csi.storage.k8s.io/fstype", "fsType"]
        .iter()
        .map(|k| class.at("parameters").and_then(|p| p.get(*k)).and_then(Value::as_str).unwrap_or(""))
        .find(|v| !v.is_empty())
        .or(default)
}

/// The attributes every CSI volume carries, plus the provisioner's identity.
fn csi_source(driver: &str, handle: &str, fs: Option<&str>, mut attributes: Value) -> Value {
    attributes["storage.kubernetes.io/csiProvisionerIdentity"] = json!(format!("1764236400000-8081-{driver}"));
    let mut csi = json!({"driver": driver, "volumeAttributes": attributes, "volumeHandle": handle});
    if let Some(fs) = fs {
        csi["fsType"] = json!(fs);
    }
    csi
}

/// The common part of a CSI driver's volume: `pvc-<uid>`, whole GiB, provisioned-by annotation.
fn csi_volume(pvc: &Value, class: &Value, driver: &str, gib: u128) -> Value {
    let name = format!("pvc-{}", pvc.uid());
    let mut pv = base_volume(pvc, class, &name, driver);
    set_at(&mut pv, "spec.capacity.storage", json!(format!("{gib}Gi")));
    // external-provisioner holds a volume it must delete until the disk is gone (v1.31+'s
    // HonorPVReclaimPolicy); a retained volume is the administrator's.
    if pv.str_at("spec.persistentVolumeReclaimPolicy") == "Delete" {
        set_at(&mut pv, "metadata.finalizers", json!([super::PROVISIONER_FINALIZER]));
    }
    if class.str_at("provisioner") != driver {
        // Provisioned by the CSI driver for an in-tree class: stored in its in-tree form.
        set_annotation(&mut pv, "pv.kubernetes.io/provisioned-by", class.str_at("provisioner"));
        set_annotation(&mut pv, "pv.kubernetes.io/migrated-to", driver);
    }
    pv
}

/// EBS volume sizes by type, in GiB (EC2's limits).
pub(super) fn ebs_limits(volume_type: &str) -> (u128, u128) {
    match volume_type {
        "io1" | "io2" => (4, 16_384),
        "st1" | "sc1" => (125, 16_384),
        "standard" => (1, 1_024),
        _ => (1, 16_384),
    }
}

fn ebs_volume(cluster: &mut Cluster, labels: &mut NodeLabels, pvc: &Value, class: &Value) -> Made {
    let gib = requested_gib(pvc);
    let volume_type = match class.str_at("parameters.type") {
        "" => "gp3",
        t => t,
    };
    let (min, max) = ebs_limits(volume_type);
    let name = format!("pvc-{}", pvc.uid());
    if gib < min || gib > max {
        return Ok(Err(format!(
            "rpc error: code = Internal desc = Could not create volume \"{name}\": could not create volume in EC2: InvalidParameterValue: The volume size is invalid for {volume_type} volumes: {min}-{max} GiB"
        )));
    }
    let zone = volume_zone(cluster, labels, pvc, class, "topology.kubernetes.io/zone")?;
    let handle = format!("vol-{}", cluster.ids.hex(17));
    let mut pv = csi_volume(pvc, class, EBS.csi, gib);
    let fs = fs_type(class, Some("ext4"));
    if class.str_at("provisioner") == EBS.csi {
        set_at(&mut pv, "spec.csi", csi_source(EBS.csi, &handle, fs, json!({})));
    } else {
        set_at(&mut pv, "spec.awsElasticBlockStore", json!({"fsType": fs, "volumeID": handle}));
    }
    set_at(&mut pv, "spec.nodeAffinity", node_affinity("topology.kubernetes.io/zone", &zone));
    Ok(Ok(pv))
}

fn pd_volume(cluster: &mut Cluster, labels: &mut NodeLabels, pvc: &Value, class: &Value) -> Made {
    let gib = requested_gib(pvc);
    let in_tree = class.str_at("provisioner") != PD.csi;
    let key = if in_tree { "topology.kubernetes.io/zone" } else { "topology.gke.io/zone" };
    let zone = volume_zone(cluster, labels, pvc, class, key)?;
    let mut pv = csi_volume(pvc, class, PD.csi, gib);
    let disk = pv.name().to_string();
    let fs = fs_type(class, Some("ext4"));
    if in_tree {
        set_at(&mut pv, "spec.gcePersistentDisk", json!({"fsType": fs, "pdName": disk}));
    } else if class.str_at("parameters.replication-type").eq_ignore_ascii_case("regional-pd") {
        // A regional PD lives in the region, replicated to the pod's zone and one more; the
        // volume may be used from either (one node selector term per zone, as csi-provisioner
        // writes the driver's accessible topologies).
        let zones = regional_zones(cluster, class, &zone);
        let region = zone.rsplit_once('-').map_or(zone.as_str(), |(r, _)| r);
        let handle = format!("projects/kstate-project/regions/{region}/disks/{disk}");
        set_at(&mut pv, "spec.csi", csi_source(PD.csi, &handle, fs, json!({})));
        let terms: Vec<Value> = zones
            .iter()
            .map(|z| json!({"matchExpressions": [{"key": key, "operator": "In", "values": [z]}]}))
            .collect();
        set_at(&mut pv, "spec.nodeAffinity", json!({"required": {"nodeSelectorTerms": terms}}));
        return Ok(Ok(pv));
    } else {
        let handle = format!("projects/kstate-project/zones/{zone}/disks/{disk}");
        set_at(&mut pv, "spec.csi", csi_source(PD.csi, &handle, fs, json!({})));
    }
    set_at(&mut pv, "spec.nodeAffinity", node_affinity(key, &zone));
    Ok(Ok(pv))
}

/// A regional PD's two zones, in name order: `zone` (the pod's) and the next other zone the
/// class allows (all the cluster's zones when it names none).
fn regional_zones(cluster: &Cluster, class: &Value, zone: &str) -> Vec<String> {
    let mut candidates = allowed_zones(class);
    if candidates.is_empty() {
        candidates = cluster.profile.zones.iter().map(|z| z.to_string()).collect();
    }
    let at = candidates.iter().position(|z| z == zone).unwrap_or(0);
    let other = candidates.iter().cycle().skip(at + 1).take(candidates.len()).find(|z| *z != zone);
    let mut zones: Vec<String> = std::iter::once(zone.to_string()).chain(other.cloned()).collect();
    zones.sort();
    zones
}

/// The attributes the Azure drivers record about the claim.
fn azure_attributes(pvc: &Value, pv_name: &str, gib: u128, class: &Value) -> Value {
    let mut attrs = json!({
        "csi.storage.k8s.io/pv/name": pv_name,
        "csi.storage.k8s.io/pvc/name": pvc.name(),
        "csi.storage.k8s.io/pvc/namespace": pvc.namespace(),
        "requestedsizegib": gib.to_string(),
    });
    if let Some(params) = class.get("parameters").and_then(Value::as_object) {
        for (k, v) in params {
            attrs[k] = v.clone();
        }
    }
    attrs
}

fn azure_disk_volume(cluster: &mut Cluster, labels: &mut NodeLabels, pvc: &Value, class: &Value) -> Made {
    let gib = requested_gib(pvc);
    if gib > 32_767 {
        return Ok(Err(format!(
            "rpc error: code = InvalidArgument desc = CreateVolume: requested size {gib}GiB is larger than the maximum 32767GiB"
        )));
    }
    let key = "topology.disk.csi.azure.com/zone";
    let zone = match pvc.annotation(SELECTED_NODE) {
        Some(node) => labels.get(cluster, node, key)?,
        None => String::new(),
    };
    let mut pv = csi_volume(pvc, class, AZURE_DISK.csi, gib);
    let name = pv.name().to_string();
    let handle = format!(
        "/subscriptions/{AKS_SUBSCRIPTION}/resourceGroups/{}/providers/Microsoft.Compute/disks/{name}",
        AKS_RESOURCE_GROUP.to_lowercase()
    );
    let attrs = azure_attributes(pvc, &name, gib, class);
    set_at(&mut pv, "spec.csi", csi_source(AZURE_DISK.csi, &handle, fs_type(class, None), attrs));
    set_at(&mut pv, "spec.nodeAffinity", node_affinity(key, &zone));
    Ok(Ok(pv))
}

fn azure_file_volume(cluster: &mut Cluster, _labels: &mut NodeLabels, pvc: &Value, class: &Value) -> Made {
    let gib = requested_gib(pvc);
    let mut pv = csi_volume(pvc, class, AZURE_FILE.csi, gib);
    let name = pv.name().to_string();
    let account = format!("f{}", cluster.ids.hex(23));
    let handle = format!("{}#{account}#{name}###{}", AKS_RESOURCE_GROUP.to_lowercase(), pvc.namespace());
    let mut attrs = azure_attributes(pvc, &name, gib, class);
    attrs["secretnamespace"] = json!(pvc.namespace());
    set_at(&mut pv, "spec.csi", csi_source(AZURE_FILE.csi, &handle, None, attrs));
    if let Some(options) = class.get("mountOptions") {
        set_at(&mut pv, "spec.mountOptions", options.clone());
    }
    Ok(Ok(pv))
}

fn minikube_volume(_cluster: &mut Cluster, _labels: &mut NodeLabels, pvc: &Value, class: &Value) -> Made {
    let name = format!("pvc-{}", pvc.uid());
    let mut pv = base_volume(pvc, class, &name, MINIKUBE.csi);
    set_annotation(&mut pv, "hostPathProvisionerIdentity", "6fce3804-7a1b-4c2d-9e3f-0a1b2c3d4e5f");
    let path = format!("/tmp/hostpath-provisioner/{}/{}", pvc.namespace(), pvc.name());
    set_at(&mut pv, "spec.hostPath", json!({"path": path}));
    Ok(Ok(pv))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_tree_names_migrate_to_their_csi_drivers() {
        assert_eq!(by_name("kubernetes.io/aws-ebs").map(|d| d.csi), Some("ebs.csi.aws.com"));
        assert_eq!(migrated_to("kubernetes.io/gce-pd"), Some("pd.csi.storage.gke.io"));
        assert!(migrated_to("ebs.csi.aws.com").is_none());
        assert!(by_name("example.com/unknown").is_none());
    }

    #[test]
    fn ebs_sizes_follow_ec2() {
        assert_eq!(ebs_limits("gp3"), (1, 16_384));
        assert_eq!(ebs_limits("st1"), (125, 16_384));
    }
}
