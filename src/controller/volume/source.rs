//! Restores and clones: a claim whose `dataSourceRef` (or `dataSource`) names a VolumeSnapshot or
//! another claim is provisioned with a copy of that source's files. The source is checked as
//! external-provisioner v5 checks it, with its messages; a refused claim stays Pending and the
//! provisioner tries again when the source changes.

use serde_json::Value;

use crate::api::kinds::{PVC, VOLUMESNAPSHOT};
use crate::api::quantity::parse_bytes;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::Result;

/// Where a new volume's files come from.
pub(super) struct Source {
    /// The store volume to copy.
    pub volume: String,
}

/// The reference the provisioner follows: `dataSourceRef`, else `dataSource`.
pub(super) fn reference(pvc: &Value) -> Option<&Value> {
    ["spec.dataSourceRef", "spec.dataSource"].into_iter().find_map(|p| pvc.at(p).filter(|v| v.is_object()))
}

/// The claim's source, None when it has none, or the provisioner's reason for refusing it.
pub(super) fn resolve(cluster: &mut Cluster, pvc: &Value) -> Result<std::result::Result<Option<Source>, String>> {
    let Some(reference) = reference(pvc) else { return Ok(Ok(None)) };
    let (kind, name) = (reference.str_at("kind").to_string(), reference.str_at("name").to_string());
    let requested = parse_bytes(pvc.str_at("spec.resources.requests.storage")).unwrap_or(0);
    let checked = match (reference.str_at("apiGroup"), kind.as_str()) {
        ("snapshot.storage.k8s.io", "VolumeSnapshot") => snapshot(cluster, pvc, &name, requested)?,
        ("", "PersistentVolumeClaim") => claim(cluster, pvc, &name, requested)?,
        // Other kinds are for volume populators, which kstate does not run.
        _ => return Ok(Ok(None)),
    };
    Ok(checked
        .map(Some)
        .map_err(|err| format!("error getting handle for DataSource Type {kind} by Name {name}: {err}")))
}

fn snapshot(
    cluster: &mut Cluster,
    pvc: &Value,
    name: &str,
    requested: u128,
) -> Result<std::result::Result<Source, String>> {
    let Some(vs) = cluster.get_ref(&Key::new(&VOLUMESNAPSHOT, pvc.namespace(), name))? else {
        return Ok(Err(format!(
            "error getting snapshot {name} from api server: volumesnapshots.snapshot.storage.k8s.io \"{name}\" not found"
        )));
    };
    if vs.is_deleting() {
        return Ok(Err(format!("snapshot {name} is currently being deleted")));
    }
    let content = vs.str_at("status.boundVolumeSnapshotContentName");
    if content.is_empty() {
        return Ok(Err(format!("snapshot {name} not bound")));
    }
    if vs.at("status.readyToUse").and_then(Value::as_bool) != Some(true) {
        return Ok(Err(format!("snapshot {name} is not Ready")));
    }
    let size = parse_bytes(vs.str_at("status.restoreSize")).unwrap_or(0);
    if requested < size {
        return Ok(Err(format!(
            "requested volume size {requested} is less than the size {size} for the source snapshot {name}"
        )));
    }
    Ok(Ok(Source { volume: crate::controller::snapshot::snapshot_volume(content) }))
}

fn claim(
    cluster: &mut Cluster,
    pvc: &Value,
    name: &str,
    requested: u128,
) -> Result<std::result::Result<Source, String>> {
    let ns = pvc.namespace();
    let Some(source) = cluster.get_ref(&Key::new(&PVC, ns, name))? else {
        return Ok(Err(format!(
            "error getting PVC {name} (namespace \"{ns}\") from api server: persistentvolumeclaims \"{name}\" not found"
        )));
    };
    let phase = source.str_at("status.phase");
    if phase != "Bound" {
        return Ok(Err(format!("the PVC DataSource {name} must have a status of Bound.  Got {phase}")));
    }
    let (from, to) = (source.str_at("spec.storageClassName"), pvc.str_at("spec.storageClassName"));
    if from != to {
        return Ok(Err(format!(
            "the source PVC and destination PVCs must be in the same storage class for cloning.  Source is in {from}, but new PVC is in {to}"
        )));
    }
    let mode = |c: &Value| c.at("spec.volumeMode").and_then(Value::as_str).unwrap_or("Filesystem").to_string();
    let (source_mode, new_mode) = (mode(source), mode(pvc));
    if source_mode != new_mode {
        return Ok(Err(format!(
            "the source PVC and destination PVCs must have the same volume mode for cloning.  Source is {source_mode}, but new PVC requested {new_mode}"
        )));
    }
    let size = parse_bytes(source.str_at("status.capacity.storage")).unwrap_or(0);
    if requested < size {
        return Ok(Err(format!(
            "error, new PVC request must be greater than or equal in size to the specified PVC data source, requested {requested} but source is {size}"
        )));
    }
    Ok(Ok(Source { volume: super::volume_id(source.str_at("spec.volumeName")) }))
}
