//! Dynamic provisioning: the external-provisioner flow, Alibaba Cloud's disk CSI driver (volumes
//! named by disk id, zonal, with minimum sizes) and Rancher's local-path provisioner (`pvc-<uid>`
//! on the selected node) here, the other clouds' drivers in `drivers`. Any other provisioner never
//! answers, which is what a real cluster shows when it is not installed.

use std::rc::Rc;

use foldhash::HashMap;
use serde_json::{json, Value};

use super::drivers::{self, Driver};
use super::source;
use super::{bind, PV_CONTROLLER, SELECTED_NODE};
use crate::api::kinds::{NODE, PVC};
use crate::api::object::{set_annotation, set_at};
use crate::api::quantity::parse_bytes;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, EventSource, Key};
use crate::Result;

pub const ACK_DISK: &str = "diskplugin.csi.alibabacloud.com";
pub const LOCAL_PATH: &str = "rancher.io/local-path";
const ACK_IDENTITY: &str =
    "diskplugin.csi.alibabacloud.com_csi-provisioner-7c9d8f6b5d-2xkpl_0c7f5d2e-4b1a-4f8e-9d3c-6a5b4e3d2c1b";
const LOCAL_IDENTITY: &str =
    "rancher.io/local-path_local-path-provisioner-7577fdbbfb-4sgm9_3f9a1c2b-8d7e-4c6b-a5f4-1e2d3c4b5a69";
const GIB: u128 = 1 << 30;

/// The store volume holding a persistent volume's files.
pub fn volume_id(pv_name: &str) -> String {
    format!("pv/{pv_name}")
}

/// Provisions a volume for the claim (shared with the view; copied only to be annotated).
pub fn provision(cluster: &mut Cluster, labels: &mut NodeLabels, mut pvc: Rc<Value>, class: &Value) -> Result<()> {
    let provisioner = class.str_at("provisioner").to_string();
    // An in-tree name is served by the CSI driver it migrated to, which is the name claims get.
    let serving = drivers::migrated_to(&provisioner).unwrap_or(&provisioner).to_string();
    if pvc.annotation("volume.kubernetes.io/storage-provisioner") != Some(serving.as_str()) {
        let mut claim = (*pvc).clone();
        set_annotation(&mut claim, "volume.beta.kubernetes.io/storage-provisioner", &serving);
        set_annotation(&mut claim, "volume.kubernetes.io/storage-provisioner", &serving);
        if serving != provisioner {
            set_annotation(&mut claim, "pv.kubernetes.io/migrated-to", &serving);
        }
        pvc = cluster.update_status(claim)?;
    }
    let msg = format!(
        "Waiting for a volume to be created either by the external provisioner '{serving}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."
    );
    cluster.normal(&pvc, PV_CONTROLLER, "ExternalProvisioning", &msg)?;
    let driver = match provisioner.as_str() {
        ACK_DISK => None,
        LOCAL_PATH => None,
        other => match drivers::by_name(other) {
            Some(d) => Some(d),
            None => return Ok(()),
        },
    };
    let identity = match (provisioner.as_str(), &driver) {
        (ACK_DISK, _) => ACK_IDENTITY,
        (LOCAL_PATH, _) if cluster.profile.name == "k3s" => drivers::K3S_LOCAL_IDENTITY,
        (LOCAL_PATH, _) => LOCAL_IDENTITY,
        (_, Some(d)) => d.identity,
        _ => return Ok(()),
    };
    let source = EventSource::component(identity);
    let msg = format!("External provisioner is provisioning volume for claim \"{}/{}\"", pvc.namespace(), pvc.name());
    cluster.normal(&pvc, source, "Provisioning", &msg)?;
    // Only the CSI provisioners restore and clone; the host-path ones ignore a data source.
    let csi = provisioner == ACK_DISK || driver.is_some_and(|d| d.external);
    let data = if csi { source::resolve(cluster, &pvc)? } else { Ok(None) };
    let made = match (data.as_ref(), provisioner.as_str(), driver) {
        (Err(reason), _, _) => Ok(Err(reason.clone())),
        (Ok(_), ACK_DISK, _) => ack_volume(cluster, labels, &pvc, class),
        (Ok(_), _, Some(d)) => (d.make)(cluster, labels, &pvc, class),
        (Ok(_), _, None) => local_volume(cluster, &pvc, class),
    }?;
    match made {
        Err(reason) => {
            let msg = format!("failed to provision volume with StorageClass \"{}\": {reason}", class.name());
            cluster.warning(&pvc, source, "ProvisioningFailed", &msg)
        }
        Ok(pv) => {
            let pv = cluster.create(pv, "")?;
            let ext4 = provisioner == ACK_DISK || driver.is_some_and(|d: &Driver| d.ext4);
            match data {
                Ok(Some(from)) => cluster.files().copy_volume(&from.volume, &volume_id(pv.name()))?,
                _ => format_volume(cluster, &pv, ext4)?,
            }
            cluster.normal(
                &pvc,
                source,
                "ProvisioningSucceeded",
                &format!("Successfully provisioned volume {}", pv.name()),
            )?;
            let pvc = cluster.get_shared(&Key::new(&PVC, pvc.namespace(), pvc.name()))?.unwrap_or(pvc);
            bind(cluster, &pvc, &pv, true)
        }
    }
}

/// A fresh ext4 disk holds `lost+found`; a local-path directory starts empty.
fn format_volume(cluster: &mut Cluster, pv: &Value, ext4: bool) -> Result<()> {
    let id = volume_id(pv.name());
    // A volume named after a claim made in this command cannot have files stored yet.
    let claim = pv.str_at("spec.claimRef.uid");
    if pv.name().strip_prefix("pvc-") == Some(claim) {
        cluster.note_new_volume(claim, &id);
    }
    let now = cluster.clock.now();
    let mut files = cluster.files();
    files.drop_volume(&id)?;
    crate::exec::format_empty_volume(&mut files, &id, ext4, now)?;
    Ok(())
}

/// The common part of a provisioned volume: what the claim asked for, the class's policy.
pub(super) fn base_volume(pvc: &Value, class: &Value, name: &str, provisioner: &str) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name, "annotations": {"pv.kubernetes.io/provisioned-by": provisioner}},
        "spec": {
            "accessModes": pvc.at("spec.accessModes").cloned().unwrap_or(json!(["ReadWriteOnce"])),
            "capacity": {"storage": pvc.str_at("spec.resources.requests.storage")},
            "claimRef": {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": pvc.name(),
                         "namespace": pvc.namespace(), "resourceVersion": pvc.str_at("metadata.resourceVersion"),
                         "uid": pvc.uid()},
            "persistentVolumeReclaimPolicy": class.at("reclaimPolicy").and_then(Value::as_str).unwrap_or("Delete"),
            "storageClassName": class.name(),
            "volumeMode": pvc.at("spec.volumeMode").and_then(Value::as_str).unwrap_or("Filesystem"),
        },
    })
}

pub(super) fn node_affinity(key: &str, value: &str) -> Value {
    json!({"required": {"nodeSelectorTerms": [{"matchExpressions": [{"key": key, "operator": "In", "values": [value]}]}]}})
}

/// The smallest disk, in GiB, of an ACK disk category (`pkg/disk/category.go`).
fn minimum_gib(category: &str) -> u128 {
    match category {
        "cloud_auto" | "cloud_essd_pl0" => 1,
        "cloud_essd_entry" | "cloud_regional_disk_auto" => 10,
        _ => 20,
    }
}

fn ack_volume(
    cluster: &mut Cluster,
    labels: &mut NodeLabels,
    pvc: &Value,
    class: &Value,
) -> Result<Result<Value, String>> {
    let requested = parse_bytes(pvc.str_at("spec.resources.requests.storage")).unwrap_or(0);
    let gib = requested.div_ceil(GIB).max(1);
    let disk_type = class.str_at("parameters.type");
    // "available" tries cloud_ssd first; a list tries its first type first.
    let category = match disk_type.split(',').next().unwrap_or("") {
        "available" | "" => "cloud_ssd",
        t => t,
    };
    let min = minimum_gib(category);
    if gib < min {
        return Ok(Err(format!(
            "rpc error: code = InvalidArgument desc = {category}: requested size {gib}GiB is less than minimum {min}GiB"
        )));
    }
    let zone = match pvc.annotation(SELECTED_NODE) {
        Some(node) => labels.get(cluster, node, "topology.kubernetes.io/zone")?,
        None => round_robin_zone(cluster)?,
    };
    let disk = cluster.ids.disk_id("2ze");
    let mut pv = base_volume(pvc, class, &disk, ACK_DISK);
    // Disks come in whole GiB: the volume reports what was created.
    if requested % GIB != 0 {
        set_at(&mut pv, "spec.capacity.storage", json!(format!("{gib}Gi")));
    }
    set_at(
        &mut pv,
        "spec.csi",
        json!({"driver": ACK_DISK, "fsType": "ext4", "volumeHandle": disk,
               "volumeAttributes": {"storage.kubernetes.io/csiProvisionerIdentity": "1764236400000-8081-diskplugin.csi.alibabacloud.com",
                                    "type": category}}),
    );
    set_at(&mut pv, "spec.nodeAffinity", node_affinity("topology.diskplugin.csi.alibabacloud.com/zone", &zone));
    Ok(Ok(pv))
}

/// The node labels volumes are placed by (zones), per node, read once per controller pass: the
/// selected nodes are rewritten by every attachment and mostly read back from the store, which a
/// provisioning per claim would otherwise pay each time. A node's entry goes when its labels change.
#[derive(Default)]
pub struct NodeLabels(HashMap<String, HashMap<&'static str, String>>);

impl NodeLabels {
    /// The value of label `key` on `node` (empty when either is missing).
    pub fn get(&mut self, cluster: &mut Cluster, node: &str, key: &'static str) -> Result<String> {
        if let Some(value) = self.0.get(node).and_then(|labels| labels.get(key)) {
            return Ok(value.clone());
        }
        let n = cluster.get_ref(&Key::new(&NODE, "", node))?;
        let label = n.and_then(|n| n.at("metadata.labels")).and_then(|l| l.get(key)).and_then(Value::as_str);
        let value = label.unwrap_or_default().to_string();
        self.0.entry(node.to_string()).or_default().insert(key, value.clone());
        Ok(value)
    }

    /// Follows a change of the node's labels: they are read again when next needed.
    pub fn forget(&mut self, node: &str) {
        self.0.remove(node);
    }
}

/// The zone an Immediate volume goes to: the profile's zones in turn.
pub(super) fn round_robin_zone(cluster: &mut Cluster) -> Result<String> {
    let zones = cluster.profile.zones;
    if zones.is_empty() {
        return Ok(String::new());
    }
    let n = cluster.bump_counter("ack-disk-zone")? as usize;
    Ok(zones[(n - 1) % zones.len()].to_string())
}

/// A claim's request in whole GiB (at least 1), as cloud disks are sized.
pub(super) fn requested_gib(pvc: &Value) -> u128 {
    parse_bytes(pvc.str_at("spec.resources.requests.storage")).unwrap_or(0).div_ceil(GIB).max(1)
}

fn local_volume(cluster: &mut Cluster, pvc: &Value, class: &Value) -> Result<Result<Value, String>> {
    let Some(node) = pvc.annotation(SELECTED_NODE).map(String::from) else {
        return Ok(Err("configuration error, no node was specified".to_string()));
    };
    let name = format!("pvc-{}", pvc.uid());
    let mut pv = base_volume(pvc, class, &name, LOCAL_PATH);
    set_annotation(&mut pv, "local.path.provisioner/selected-node", &node);
    // k3s keeps volumes elsewhere, and its class asks for `local` volumes instead of hostPath.
    let base =
        if cluster.profile.name == "k3s" { "/var/lib/rancher/k3s/storage" } else { "/var/local-path-provisioner" };
    let path = format!("{base}/{name}_{}_{}", pvc.namespace(), pvc.name());
    if class.annotation("defaultVolumeType") == Some("local") {
        set_at(&mut pv, "spec.local", json!({"path": path}));
    } else {
        set_at(&mut pv, "spec.hostPath", json!({"path": path, "type": "DirectoryOrCreate"}));
    }
    set_at(&mut pv, "spec.nodeAffinity", node_affinity("kubernetes.io/hostname", &node));
    Ok(Ok(pv))
}
