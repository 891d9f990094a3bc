//! Volume expansion: the API server's PersistentVolumeClaimResize admission, the external-resizer
//! (controller expansion of the disk) and the kubelet's node expansion of the filesystem, which
//! finishes at once when a running pod mounts the claim and otherwise when the next pod starts.
//! The volume's capacity, and so what `df` shows inside the pod, grows with it.

use serde_json::{json, Value};

use super::provision::ACK_DISK;
use crate::api::kinds::{PV, PVC, STORAGECLASS};
use crate::api::object::{remove_at, set_at};
use crate::api::quantity::parse_bytes;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, EventSource, Key};
use crate::{Error, Result};

const GIB: u128 = 1 << 30;
const PENDING: &str = "Waiting for user to (re-)start a pod to finish file system resize of volume on node.";

fn storage(obj: &Value, path: &str) -> u128 {
    parse_bytes(obj.str_at(path)).unwrap_or(0)
}

/// PersistentVolumeClaimResize: a larger request needs a class that allows expansion.
pub fn admit(cluster: &mut Cluster, old: &Value, new: &Value) -> Result<()> {
    let path = "spec.resources.requests.storage";
    if storage(new, path) <= storage(old, path) {
        return Ok(());
    }
    if old.str_at("status.phase") != "Bound" {
        let msg = format!(
            "persistentvolumeclaims \"{}\" is forbidden: Only bound persistent volume claims can be resized",
            new.name()
        );
        return Err(Error::Forbidden(msg));
    }
    let class = new.str_at("spec.storageClassName");
    let allows = !class.is_empty()
        && cluster
            .get_ref(&Key::new(&STORAGECLASS, "", class))?
            .is_some_and(|sc| sc.at("allowVolumeExpansion").and_then(Value::as_bool) == Some(true));
    if allows {
        return Ok(());
    }
    Err(Error::Forbidden(format!(
        "persistentvolumeclaims \"{}\" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize",
        new.name()
    )))
}

/// The CSI driver behind a volume, if it runs a resizer, with the largest disk it makes (GiB).
fn resizer(pv: &Value, class: Option<&Value>) -> Option<(String, u128)> {
    let driver = match pv.str_at("spec.csi.driver") {
        "" => pv.annotation("pv.kubernetes.io/migrated-to").unwrap_or("").to_string(),
        d => d.to_string(),
    };
    let max = match driver.as_str() {
        ACK_DISK => 65_536,
        "ebs.csi.aws.com" => {
            let volume_type = class.map_or("", |c| c.str_at("parameters.type"));
            super::drivers::ebs_limits(if volume_type.is_empty() { "gp3" } else { volume_type }).1
        }
        "pd.csi.storage.gke.io" => 65_536,
        "disk.csi.azure.com" => 32_767,
        "file.csi.azure.com" => 102_400,
        _ => return None,
    };
    Some((driver, max))
}

/// Moves a bound claim whose request exceeds its capacity through the resize steps.
/// A bound claim whose request its volume already holds: [`sync`] has nothing to do.
pub(super) fn settled(pvc: &Value) -> bool {
    pvc.str_at("status.phase") == "Bound"
        && storage(pvc, "spec.resources.requests.storage") <= storage(pvc, "status.capacity.storage")
}

pub(super) fn sync(cluster: &mut Cluster, pvc: &Value) -> Result<()> {
    let requested = storage(pvc, "spec.resources.requests.storage");
    if requested <= storage(pvc, "status.capacity.storage") {
        return Ok(());
    }
    let pending = pvc.str_at("status.allocatedResourceStatuses.storage") == "NodeResizePending";
    if !pending && !expand_controller(cluster, pvc, requested)? {
        return Ok(());
    }
    if let Some((pod, node)) = running_consumer(cluster, pvc)? {
        expand_node(cluster, pvc, &pod, &node)?;
    }
    Ok(())
}

/// The resizer grows the disk; returns whether the filesystem now waits for the node.
fn expand_controller(cluster: &mut Cluster, pvc: &Value, requested: u128) -> Result<bool> {
    let allocated = storage(pvc, "status.allocatedResources.storage");
    if allocated == requested {
        return Ok(false);
    }
    let Some(mut pv) = cluster.get(&Key::new(&PV, "", pvc.str_at("spec.volumeName")))? else { return Ok(false) };
    cluster.normal(
        pvc,
        EventSource::component("volume_expand"),
        "ExternalExpanding",
        "waiting for an external controller to expand this PVC",
    )?;
    let class = cluster.get(&Key::new(&STORAGECLASS, "", pvc.str_at("spec.storageClassName")))?;
    let Some((driver, max_gib)) = resizer(&pv, class.as_ref()) else { return Ok(false) };
    let component = format!("external-resizer {driver}");
    let source = EventSource::component(&component);
    let gib = requested.div_ceil(GIB);
    if gib > max_gib {
        let err = format!(
            "rpc error: code = InvalidArgument desc = requested size {gib}GiB is larger than the maximum {max_gib}GiB"
        );
        let msg = format!("resize volume {:?} by resizer {driver:?} failed: {err}", pv.name());
        return cluster.warning(pvc, source, "VolumeResizeFailed", &msg).map(|()| false);
    }
    cluster.normal(pvc, source, "Resizing", &format!("External resizer is resizing volume {}", pv.name()))?;
    let size = pvc.str_at("spec.resources.requests.storage").to_string();
    let disk_size = if requested % GIB == 0 { size.clone() } else { format!("{gib}Gi") };
    set_at(&mut pv, "spec.capacity.storage", json!(disk_size));
    cluster.update_status(pv)?;
    let mut claim = pvc.clone();
    set_at(&mut claim, "status.allocatedResources.storage", json!(size));
    set_at(&mut claim, "status.allocatedResourceStatuses.storage", json!("NodeResizePending"));
    let condition = json!({"lastProbeTime": null, "lastTransitionTime": cluster.clock.now_rfc3339(), "message": PENDING,
                           "status": "True", "type": "FileSystemResizePending"});
    set_at(&mut claim, "status.conditions", json!([condition]));
    let claim = cluster.update_status(claim)?;
    cluster.normal(&claim, source, "FileSystemResizeRequired", "Require file system resize of volume on node")?;
    Ok(true)
}

/// A running pod mounting the claim, and its node.
fn running_consumer(cluster: &mut Cluster, pvc: &Value) -> Result<Option<(Value, String)>> {
    cluster.load(&crate::api::kinds::POD, Some(pvc.namespace()))?;
    Ok(cluster
        .iter(&crate::api::kinds::POD, Some(pvc.namespace()))
        .find(|p| {
            p.str_at("status.phase") == "Running"
                && !p.is_deleting()
                && super::claims_of(p).iter().any(|c| c == pvc.name())
        })
        .map(|p| (p.clone(), p.str_at("spec.nodeName").to_string())))
}

/// The kubelet grows the filesystem: the claim reports the new capacity.
fn expand_node(cluster: &mut Cluster, pvc: &Value, pod: &Value, node: &str) -> Result<()> {
    let Some(mut claim) = cluster.get(&Key::new(&PVC, pvc.namespace(), pvc.name()))? else { return Ok(()) };
    let Some(pv) = cluster.get(&Key::new(&PV, "", claim.str_at("spec.volumeName")))? else { return Ok(()) };
    let capacity = pv.at("spec.capacity.storage").cloned().unwrap_or(Value::Null);
    set_at(&mut claim, "status.capacity.storage", capacity);
    remove_at(&mut claim, "status.allocatedResourceStatuses");
    remove_at(&mut claim, "status.conditions");
    let claim = cluster.update_status(claim)?;
    let msg = format!("MountVolume.NodeExpandVolume succeeded for volume {:?} {node}", pv.name());
    let kubelet = EventSource { component: "kubelet", host: node };
    cluster.normal(&claim, kubelet, "FileSystemResizeSuccessful", &msg)?;
    cluster.normal(pod, kubelet, "FileSystemResizeSuccessful", &msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_csi_drivers_resize_within_their_limits() {
        let ack = json!({"spec": {"csi": {"driver": ACK_DISK}}});
        assert_eq!(resizer(&ack, None), Some((ACK_DISK.to_string(), 65_536)));
        let ebs = json!({"metadata": {"annotations": {"pv.kubernetes.io/migrated-to": "ebs.csi.aws.com"}}});
        let st1 = json!({"parameters": {"type": "standard"}});
        assert_eq!(resizer(&ebs, Some(&st1)).map(|r| r.1), Some(1_024));
        assert!(resizer(&json!({"spec": {"hostPath": {"path": "/x"}}}), None).is_none());
    }
}
