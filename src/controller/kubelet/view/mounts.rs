//! The container's mounts, each backed by a store volume, prepared as the kubelet prepares them
//! before the container starts: claims resolved to their volumes, emptyDirs created, projected
//! kinds of volume (configMap, secret, downwardAPI, projected) written, `fsGroup` applied.

use serde_json::Value;

use super::super::env::expand_vars;
use super::atomic::{self, Layout};
use super::{ownership, payload};
use crate::api::kinds::{PV, PVC};
use crate::api::quantity::parse_bytes;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::exec::Mount;
use crate::Result;

/// Where Kubernetes mounts the service-account token.
pub const SERVICE_ACCOUNT_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The mounts of `container`; `env` is its environment (for `subPathExpr`).
pub fn mounts(
    cluster: &mut Cluster,
    pod: &Value,
    container: &Value,
    env: &[(String, String)],
    fs_group: Option<u32>,
) -> Result<Vec<Mount>> {
    let now = cluster.clock.now();
    let mut out = Vec::new();
    // Cloud disks by device family, to name each the next device of its family.
    let mut disks: Vec<String> = Vec::new();
    for m in container.array_at("volumeMounts") {
        let name = m.str_at("name");
        let Some(volume) = pod.array_at("spec.volumes").iter().find(|v| v.str_at("name") == name) else {
            continue;
        };
        let mut read_only = m.get("readOnly").and_then(Value::as_bool).unwrap_or(false);
        let mut sub_path = match m.str_at("subPathExpr") {
            "" => m.str_at("subPath").to_string(),
            expr => expand_vars(expr, env),
        };
        let pod_volume = format!("volume/{}/{name}", pod.uid());
        cluster.note_new_volume(pod.uid(), &pod_volume);
        let mut disk = None;
        let (id, capacity) = if let Some(claim) = volume.get("persistentVolumeClaim") {
            let claim_read_only = claim.get("readOnly").and_then(Value::as_bool).unwrap_or(false);
            read_only |= claim_read_only;
            let (id, capacity, owned) = claim_volume(cluster, pod.namespace(), claim.str_at("claimName"), &mut disk)?;
            if let (true, Some(gid)) = (owned, fs_group) {
                ownership::apply_fs_group(&mut cluster.files(), &id, gid, claim_read_only)?;
            }
            (id, capacity)
        } else if volume.get("ephemeral").is_some() {
            // The claim the ephemeral volume controller made for this pod's volume.
            let claim = crate::controller::ephemeral_claim_name(pod, volume);
            let (id, capacity, owned) = claim_volume(cluster, pod.namespace(), &claim, &mut disk)?;
            if let (true, Some(gid)) = (owned, fs_group) {
                ownership::apply_fs_group(&mut cluster.files(), &id, gid, false)?;
            }
            (id, capacity)
        } else if volume.get("emptyDir").is_some() {
            let id = format!("emptydir/{}/{name}", pod.uid());
            cluster.note_new_volume(pod.uid(), &id);
            let mut files = cluster.files();
            crate::exec::format_volume(&mut files, &id, false, now)?;
            if let Some(gid) = fs_group {
                ownership::apply_fs_group(&mut files, &id, gid, false)?;
            }
            (id, size(volume.str_at("emptyDir.sizeLimit")))
        } else if let Some(projected) = payload::of_volume(cluster, pod, volume)? {
            // The kubelet mounts these read-only whatever the mount says.
            read_only = true;
            let layout = Layout { root_mode: projected.root_mode, fs_group };
            let mut files = cluster.files();
            atomic::publish(&mut files, &pod_volume, &projected.files, layout, now)?;
            if !sub_path.is_empty() {
                sub_path = atomic::resolve_sub_path(&mut files, &pod_volume, &sub_path)?;
            }
            (pod_volume, None)
        } else {
            // hostPath and the rest: an empty directory of the pod (nothing reaches the host).
            (pod_volume, None)
        };
        let (device, fs_type) = match disk {
            Some((family, fs)) => {
                let n = disks.iter().filter(|f| **f == family).count();
                let device = device_name(&family, n);
                disks.push(family);
                (device, fs)
            }
            None => (String::new(), String::new()),
        };
        out.push(Mount {
            path: m.str_at("mountPath").to_string(),
            volume: id,
            read_only,
            capacity_bytes: capacity,
            sub_path,
            device,
            fs_type,
        });
    }
    Ok(out)
}

fn size(s: &str) -> Option<u64> {
    parse_bytes(s).and_then(|b| u64::try_from(b).ok())
}

/// A claim's store volume, its capacity, and whether the kubelet manages its ownership (disks
/// do; a local-path hostPath volume does not); `disk` gets the volume's device family and
/// filesystem when it is a cloud disk.
fn claim_volume(
    cluster: &mut Cluster,
    namespace: &str,
    claim: &str,
    disk: &mut Option<(String, String)>,
) -> Result<(String, Option<u64>, bool)> {
    let pv_name = cluster
        .get_ref(&Key::new(&PVC, namespace, claim))?
        .map(|p| p.str_at("spec.volumeName").to_string())
        .unwrap_or_default();
    let pv = cluster.get_ref(&Key::new(&PV, "", &pv_name))?;
    *disk = pv.and_then(disk_of);
    let capacity = pv.and_then(|p| size(p.str_at("spec.capacity.storage")));
    let owned = pv.is_some_and(|p| p.get("spec").and_then(|s| s.get("hostPath")).is_none());
    Ok((crate::controller::volume_id(&pv_name), capacity, owned))
}

/// The device family a cloud disk attaches as, and its filesystem (ext4 unless the volume says):
/// EBS volumes on Nitro instances are NVMe namespaces (`nvme1n1`, the root disk is `nvme0n1`);
/// a GCE PD follows the boot disk (`sdb`); an Azure data disk follows the OS and temporary
/// disks (`sdc`); an Alibaba Cloud disk is a virtio disk after the system disk (`vdb`). An
/// Azure file share is mounted over SMB from its storage account (`//<account>.file.core.
/// windows.net/<share>`, cifs).
fn disk_of(pv: &Value) -> Option<(String, String)> {
    let spec = pv.get("spec")?;
    if spec.get("csi").map(|c| c.str_at("driver")) == Some("file.csi.azure.com") {
        // The handle is `<resource group>#<account>#<share>###<namespace>`.
        let handle = spec.get("csi").map(|c| c.str_at("volumeHandle")).unwrap_or_default();
        let mut parts = handle.split('#');
        let (account, share) = (parts.nth(1).unwrap_or_default(), parts.next().unwrap_or_default());
        return Some((format!("//{account}.file.core.windows.net/{share}"), "cifs".to_string()));
    }
    let (family, source) = match spec.get("csi").map(|c| c.str_at("driver")) {
        Some("ebs.csi.aws.com") => ("nvme", spec.get("csi")),
        Some("pd.csi.storage.gke.io") => ("sdb", spec.get("csi")),
        Some("disk.csi.azure.com") => ("sdc", spec.get("csi")),
        Some("diskplugin.csi.alibabacloud.com") => ("vdb", spec.get("csi")),
        Some(_) => return None,
        None if spec.get("awsElasticBlockStore").is_some() => ("nvme", spec.get("awsElasticBlockStore")),
        None if spec.get("gcePersistentDisk").is_some() => ("sdb", spec.get("gcePersistentDisk")),
        None if spec.get("azureDisk").is_some() => ("sdc", spec.get("azureDisk")),
        None => return None,
    };
    let fs = source.map(|s| s.str_at("fsType")).filter(|f| !f.is_empty()).unwrap_or("ext4");
    Some((family.to_string(), fs.to_string()))
}

/// The `n`th (from 0) disk of a family: `/dev/nvme1n1`, `/dev/nvme2n1`…, or the family's first
/// letter and the next ones (`/dev/sdb`, `/dev/sdc`…).
fn device_name(family: &str, n: usize) -> String {
    if family.starts_with("//") {
        return family.to_string();
    }
    if family == "nvme" {
        return format!("/dev/nvme{}n1", n + 1);
    }
    let (stem, first) = family.split_at(family.len() - 1);
    let letter = first.bytes().next().unwrap_or(b'b').saturating_add(n.min(20) as u8);
    format!("/dev/{stem}{}", letter as char)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cloud_disks_are_named_as_their_instances_attach_them() {
        let csi = |driver: &str, fs: &str| json!({"spec": {"csi": {"driver": driver, "fsType": fs}}});
        let pair = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(disk_of(&csi("ebs.csi.aws.com", "xfs")), pair("nvme", "xfs"));
        assert_eq!(disk_of(&csi("disk.csi.azure.com", "")), pair("sdc", "ext4"));
        assert_eq!(disk_of(&json!({"spec": {"gcePersistentDisk": {"pdName": "d"}}})), pair("sdb", "ext4"));
        let share =
            json!({"spec": {"csi": {"driver": "file.csi.azure.com", "volumeHandle": "rg#fabc#pvc-1###default"}}});
        assert_eq!(disk_of(&share), pair("//fabc.file.core.windows.net/pvc-1", "cifs"));
        assert_eq!(device_name("//fabc.file.core.windows.net/pvc-1", 0), "//fabc.file.core.windows.net/pvc-1");
        assert_eq!(disk_of(&json!({"spec": {"hostPath": {"path": "/tmp/x"}}})), None);
        assert_eq!(device_name("nvme", 0), "/dev/nvme1n1");
        assert_eq!(device_name("nvme", 1), "/dev/nvme2n1");
        assert_eq!(device_name("sdc", 1), "/dev/sdd");
        assert_eq!(device_name("vdb", 0), "/dev/vdb");
    }
}
