//! The CSI snapshotter sidecar of each simulated driver: which drivers take snapshots, and the
//! snapshot handle each cloud returns. A driver not listed has no snapshotter installed, so its
//! contents wait, never ready, as on a cluster without one.

use serde_json::Value;

use crate::api::ObjectExt;
use crate::cluster::profile::cloud::{AKS_RESOURCE_GROUP, AKS_SUBSCRIPTION};
use crate::cluster::Cluster;

pub const ACK_DISK: &str = "diskplugin.csi.alibabacloud.com";
const EBS: &str = "ebs.csi.aws.com";
const PD: &str = "pd.csi.storage.gke.io";
const AZURE_DISK: &str = "disk.csi.azure.com";

/// The CSI snapshot name the sidecar asks the driver for: `snapshot-<VolumeSnapshot uid>`.
fn csi_name(snapshot_uid: &str) -> String {
    format!("snapshot-{snapshot_uid}")
}

/// The handle of a new snapshot taken by `driver`, or None when no snapshotter serves it.
pub fn new_handle(cluster: &mut Cluster, driver: &str, snapshot_uid: &str) -> Option<String> {
    Some(match driver {
        // ECS snapshot ids have the disk ids' shape: `s-` + region prefix + 17 characters.
        ACK_DISK => format!("s-{}", cluster.ids.disk_id("2ze").trim_start_matches("d-")),
        EBS => format!("snap-{}", cluster.ids.hex(17)),
        PD => format!("projects/kstate-project/global/snapshots/{}", csi_name(snapshot_uid)),
        AZURE_DISK => format!(
            "/subscriptions/{AKS_SUBSCRIPTION}/resourceGroups/{}/providers/Microsoft.Compute/snapshots/{}",
            AKS_RESOURCE_GROUP.to_lowercase(),
            csi_name(snapshot_uid)
        ),
        _ => return None,
    })
}

/// The CSI driver serving a volume, whether stored as CSI or in its migrated in-tree form.
pub fn of_volume(pv: &Value) -> &str {
    let csi = pv.str_at("spec.csi.driver");
    if !csi.is_empty() {
        return csi;
    }
    match pv.annotation("pv.kubernetes.io/migrated-to") {
        Some(driver) => driver,
        None => pv.annotation("pv.kubernetes.io/provisioned-by").unwrap_or(""),
    }
}

/// The volume handle the content records as its source.
pub fn volume_handle(pv: &Value) -> String {
    for path in ["spec.csi.volumeHandle", "spec.awsElasticBlockStore.volumeID", "spec.gcePersistentDisk.pdName"] {
        let handle = pv.str_at(path);
        if !handle.is_empty() {
            return handle.to_string();
        }
    }
    pv.name().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn in_tree_volumes_are_served_by_their_csi_driver() {
        let pv = json!({"metadata": {"name": "pvc-1", "annotations": {"pv.kubernetes.io/migrated-to": EBS}},
                        "spec": {"awsElasticBlockStore": {"volumeID": "vol-1"}}});
        assert_eq!(of_volume(&pv), EBS);
        assert_eq!(volume_handle(&pv), "vol-1");
        let csi = json!({"metadata": {"name": "d-1"}, "spec": {"csi": {"driver": ACK_DISK, "volumeHandle": "d-1"}}});
        assert_eq!(of_volume(&csi), ACK_DISK);
    }
}
