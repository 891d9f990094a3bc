//! Volume snapshots: external-snapshotter v8's snapshot controller (binding a VolumeSnapshot to a
//! `snapcontent-<uid>` VolumeSnapshotContent, finalizers, deletion policies, events) and the CSI
//! snapshotter sidecar of each simulated driver (the cloud's snapshot handle, `readyToUse`,
//! `restoreSize`, `creationTime`). Taking a snapshot copies the volume's files, as they are at
//! that instant, into the store volume `snap/<content name>`.

mod classes;
mod drivers;

pub use classes::for_profile as classes_for_profile;

use foldhash::HashSet;
use serde_json::{json, Value};

use super::Controller;
use crate::api::kinds::{PV, PVC, VOLUMESNAPSHOT, VOLUMESNAPSHOTCLASS, VOLUMESNAPSHOTCONTENT};
use crate::api::object::set_at;
use crate::api::quantity::{parse_bytes, Quantity};
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, EventSource, Key, Propagation};
use crate::Result;

const CONTROLLER: EventSource<'static> = EventSource::component("snapshot-controller");
const AS_SOURCE: &str = "snapshot.storage.kubernetes.io/volumesnapshot-as-source-protection";
const BOUND: &str = "snapshot.storage.kubernetes.io/volumesnapshot-bound-protection";
const CONTENT_BOUND: &str = "snapshot.storage.kubernetes.io/volumesnapshotcontent-bound-protection";
const DEFAULT_CLASS: &str = "snapshot.storage.kubernetes.io/is-default-class";

/// The store volume holding a snapshot content's files.
pub fn snapshot_volume(content: &str) -> String {
    format!("snap/{content}")
}

#[derive(Default)]
pub struct SnapshotController {
    /// Snapshots whose failure was reported in this command (once per command, as a real
    /// controller reports once per retry).
    reported: HashSet<String>,
}

impl Controller for SnapshotController {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match change.key.kind {
            "VolumeSnapshot" => queue.push(change.key.clone()),
            "VolumeSnapshotContent" => {
                if let Some(content) = &change.object {
                    queue.push(change.key.clone());
                    let (ns, name) = (
                        content.str_at("spec.volumeSnapshotRef.namespace"),
                        content.str_at("spec.volumeSnapshotRef.name"),
                    );
                    if !name.is_empty() {
                        queue.push(Key::new(&VOLUMESNAPSHOT, ns, name));
                    }
                }
            }
            // A class, or a claim that binds, may unblock snapshots waiting for it.
            "VolumeSnapshotClass" if change.object.is_some() => self.requeue_unready(cluster, None, queue)?,
            "PersistentVolumeClaim" => {
                let bound = |o: Option<&Value>| o.is_some_and(|c| c.str_at("status.phase") == "Bound");
                if bound(change.object.as_deref()) && !bound(change.old.as_deref()) {
                    self.requeue_unready(cluster, Some(&change.key.namespace), queue)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        match key.kind {
            "VolumeSnapshot" => self.sync_snapshot(key, cluster),
            "VolumeSnapshotContent" => sync_content(key, cluster),
            _ => Ok(()),
        }
    }
}

impl SnapshotController {
    fn requeue_unready(&mut self, cluster: &mut Cluster, namespace: Option<&str>, queue: &mut Vec<Key>) -> Result<()> {
        self.reported.clear();
        cluster.load(&VOLUMESNAPSHOT, namespace)?;
        queue.extend(
            cluster
                .iter(&VOLUMESNAPSHOT, namespace)
                .filter(|vs| vs.str_at("status.boundVolumeSnapshotContentName").is_empty())
                .map(|vs| Key::new(&VOLUMESNAPSHOT, vs.namespace(), vs.name())),
        );
        Ok(())
    }

    fn sync_snapshot(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some(vs) = cluster.get(key)? else { return Ok(()) };
        if vs.is_deleting() {
            return delete_snapshot(cluster, &vs);
        }
        if !vs.str_at("status.boundVolumeSnapshotContentName").is_empty() {
            return Ok(());
        }
        let pre_provisioned = vs.str_at("spec.source.volumeSnapshotContentName").to_string();
        let outcome = if pre_provisioned.is_empty() {
            take_snapshot(cluster, vs.clone())?
        } else {
            bind_static(cluster, vs.clone(), &pre_provisioned)?
        };
        if let Err((reason, message)) = outcome {
            if self.reported.insert(format!("{}/{reason}", vs.uid())) {
                fail(cluster, vs, &reason, &message)?;
            }
        }
        Ok(())
    }
}

fn add_finalizer(obj: &mut Value, finalizer: &str) {
    let mut all = obj.finalizers();
    if !all.iter().any(|f| f == finalizer) {
        all.push(finalizer.to_string());
        set_at(obj, "metadata.finalizers", json!(all));
    }
}

/// A refusal: the event reason and message.
type Outcome = std::result::Result<(), (String, String)>;

fn refuse(reason: &str, message: String) -> Result<Outcome> {
    Ok(Err((reason.to_string(), message)))
}

/// Records the error in the snapshot's status and as a Warning event.
fn fail(cluster: &mut Cluster, mut vs: Value, reason: &str, message: &str) -> Result<()> {
    set_at(&mut vs, "status.error", json!({"message": message, "time": cluster.clock.now_rfc3339()}));
    set_at(&mut vs, "status.readyToUse", json!(false));
    let vs = cluster.update_status(vs)?;
    cluster.warning(&vs, CONTROLLER, reason, message)
}

/// The class a dynamic snapshot uses: the one it names, or the driver's default.
fn snapshot_class(
    cluster: &mut Cluster,
    vs: &Value,
    driver: &str,
) -> Result<std::result::Result<Value, (String, String)>> {
    let named = vs.str_at("spec.volumeSnapshotClassName");
    if !named.is_empty() {
        return Ok(cluster.get(&Key::new(&VOLUMESNAPSHOTCLASS, "", named))?.ok_or_else(|| {
            let err = format!("volumesnapshotclass.snapshot.storage.k8s.io \"{named}\" not found");
            ("GetSnapshotClassFailed".to_string(), format!("Failed to get snapshot class with error {err}"))
        }));
    }
    let defaults: Vec<Value> = cluster
        .list(&VOLUMESNAPSHOTCLASS, None)?
        .into_iter()
        .filter(|c| c.str_at("driver") == driver && c.annotation(DEFAULT_CLASS) == Some("true"))
        .collect();
    match defaults.as_slice() {
        [one] => Ok(Ok(one.clone())),
        [] => Ok(Err((
            "SetDefaultSnapshotClassFailed".to_string(),
            "Failed to set default snapshot class with error cannot find default snapshot class".to_string(),
        ))),
        _ => Ok(Err((
            "SetDefaultSnapshotClassFailed".to_string(),
            "Failed to set default snapshot class with error default snapshot class: more than one default snapshot class"
                .to_string(),
        ))),
    }
}

/// Dynamic provisioning: a content for the claim's volume, then the driver's snapshot of it.
fn take_snapshot(cluster: &mut Cluster, mut vs: Value) -> Result<Outcome> {
    let key = format!("{}/{}", vs.namespace(), vs.name());
    let claim = vs.str_at("spec.source.persistentVolumeClaimName").to_string();
    let Some(pvc) = cluster.get(&Key::new(&PVC, vs.namespace(), &claim))? else {
        return refuse("SnapshotPVCSourceMissing", format!("PVC source for snapshot {key} is missing"));
    };
    let pv = match cluster.get(&Key::new(&PV, "", pvc.str_at("spec.volumeName")))? {
        Some(pv) if pvc.str_at("status.phase") == "Bound" => pv,
        _ => {
            let err = format!("the PVC {claim} is not yet bound to a PV, will not attempt to take a snapshot");
            return refuse(
                "SnapshotContentCreationFailed",
                format!("Failed to create snapshot content with error {err}"),
            );
        }
    };
    let driver = drivers::of_volume(&pv).to_string();
    let class = match snapshot_class(cluster, &vs, &driver)? {
        Ok(class) => class,
        Err(e) => return Ok(Err(e)),
    };
    vs["spec"]["volumeSnapshotClassName"] = json!(class.name());
    for finalizer in [AS_SOURCE, BOUND] {
        add_finalizer(&mut vs, finalizer);
    }
    let vs = (*cluster.update_status(vs)?).clone();
    let content_name = format!("snapcontent-{}", vs.uid());
    let content = json!({
        "apiVersion": "snapshot.storage.k8s.io/v1",
        "kind": "VolumeSnapshotContent",
        "metadata": {"name": content_name, "finalizers": [CONTENT_BOUND]},
        "spec": {
            "deletionPolicy": class.str_at("deletionPolicy"),
            "driver": class.str_at("driver"),
            "source": {"volumeHandle": drivers::volume_handle(&pv)},
            "sourceVolumeMode": pv.at("spec.volumeMode").cloned().unwrap_or(json!("Filesystem")),
            "volumeSnapshotClassName": class.name(),
            "volumeSnapshotRef": {"apiVersion": "snapshot.storage.k8s.io/v1", "kind": "VolumeSnapshot",
                                  "name": vs.name(), "namespace": vs.namespace(),
                                  "resourceVersion": vs.str_at("metadata.resourceVersion"), "uid": vs.uid()},
        },
    });
    let content = (*cluster.create(content, "")?).clone();
    let message = format!("Waiting for a snapshot {key} to be created by the CSI driver.");
    cluster.normal(&vs, CONTROLLER, "CreatingSnapshot", &message)?;
    let mut vs = vs;
    set_at(&mut vs, "status", json!({"boundVolumeSnapshotContentName": content_name, "readyToUse": false}));
    let vs = (*cluster.update_status(vs)?).clone();
    // The sidecar of the class's driver takes the snapshot (none answers for other drivers).
    let Some(handle) = drivers::new_handle(cluster, class.str_at("driver"), vs.uid()) else { return Ok(Ok(())) };
    cluster.files().copy_volume(&crate::controller::volume_id(pv.name()), &snapshot_volume(&content_name))?;
    let bytes = parse_bytes(pv.str_at("spec.capacity.storage")).unwrap_or(0);
    ready(cluster, vs, content, &handle, bytes)?;
    Ok(Ok(()))
}

/// The driver has cut the snapshot: both objects report it ready, with its size and time.
fn ready(cluster: &mut Cluster, mut vs: Value, mut content: Value, handle: &str, bytes: u128) -> Result<()> {
    let nanos = i128::from(cluster.now_ms()) * 1_000_000;
    content["status"] =
        json!({"creationTime": nanos, "readyToUse": true, "restoreSize": bytes, "snapshotHandle": handle});
    cluster.update_status(content)?;
    let key = format!("{}/{}", vs.namespace(), vs.name());
    cluster.normal(
        &vs,
        CONTROLLER,
        "SnapshotCreated",
        &format!("Snapshot {key} was successfully created by the CSI driver."),
    )?;
    let size = Quantity::from_bytes(i128::try_from(bytes).unwrap_or(i128::MAX)).to_string();
    vs["status"]["creationTime"] = json!(cluster.clock.now_rfc3339());
    vs["status"]["readyToUse"] = json!(true);
    vs["status"]["restoreSize"] = json!(size);
    let vs = cluster.update_status(vs)?;
    cluster.normal(&vs, CONTROLLER, "SnapshotReady", &format!("Snapshot {key} is ready to use."))
}

/// A snapshot of an existing (pre-provisioned) content: bound once the content names it back.
fn bind_static(cluster: &mut Cluster, mut vs: Value, content_name: &str) -> Result<Outcome> {
    let Some(content) = cluster.get(&Key::new(&VOLUMESNAPSHOTCONTENT, "", content_name))? else {
        let key = format!("{}/{}", vs.namespace(), vs.name());
        let err = format!("volumesnapshotcontent {content_name} for snapshot {key} is missing");
        return refuse("SnapshotContentMissing", err);
    };
    let refers = content.str_at("spec.volumeSnapshotRef.name") == vs.name()
        && content.str_at("spec.volumeSnapshotRef.namespace") == vs.namespace();
    if !refers {
        let err = format!("VolumeSnapshotContent {content_name} is bound to a different snapshot");
        return refuse("SnapshotMisbound", err);
    }
    for finalizer in [AS_SOURCE, BOUND] {
        add_finalizer(&mut vs, finalizer);
    }
    let vs = (*cluster.update_status(vs)?).clone();
    let handle = content.str_at("spec.source.snapshotHandle").to_string();
    // The handle may name a snapshot the cluster took earlier: the content then reads its files.
    let earlier = cluster
        .list(&VOLUMESNAPSHOTCONTENT, None)?
        .into_iter()
        .find(|c| c.name() != content_name && !handle.is_empty() && c.str_at("status.snapshotHandle") == handle);
    let bytes = match &earlier {
        Some(c) => {
            cluster.files().copy_volume(&snapshot_volume(c.name()), &snapshot_volume(content_name))?;
            c.at("status.restoreSize").and_then(Value::as_u64).map_or(0, u128::from)
        }
        None => 0,
    };
    let mut vs = vs;
    set_at(&mut vs, "status", json!({"boundVolumeSnapshotContentName": content_name, "readyToUse": false}));
    let vs = (*cluster.update_status(vs)?).clone();
    ready(cluster, vs, content, &handle, bytes)?;
    Ok(Ok(()))
}

/// A deleted snapshot goes once no claim is being restored from it; its content goes with it
/// (deletion policy Delete) or stays (Retain).
fn delete_snapshot(cluster: &mut Cluster, vs: &Value) -> Result<()> {
    cluster.load(&PVC, Some(vs.namespace()))?;
    let restoring = cluster.iter(&PVC, Some(vs.namespace())).any(|pvc| {
        pvc.str_at("status.phase") == "Pending"
            && pvc.str_at("spec.dataSource.kind") == "VolumeSnapshot"
            && pvc.str_at("spec.dataSource.name") == vs.name()
    });
    if restoring {
        return cluster.warning(vs, CONTROLLER, "SnapshotDeletePending", "Snapshot is being used to restore a PVC");
    }
    let content_name = vs.str_at("status.boundVolumeSnapshotContentName").to_string();
    let content_key = Key::new(&VOLUMESNAPSHOTCONTENT, "", &content_name);
    if let Some(content) = cluster.get(&content_key)? {
        let delete = content.str_at("spec.deletionPolicy") == "Delete";
        cluster.remove_finalizer(&content_key, CONTENT_BOUND)?;
        if delete && cluster.get_ref(&content_key)?.is_some() {
            cluster.delete(&content_key, Propagation::Background, None)?;
            cluster.files().drop_volume(&snapshot_volume(&content_name))?;
        }
    }
    let key = Key::new(&VOLUMESNAPSHOT, vs.namespace(), vs.name());
    cluster.remove_finalizer(&key, AS_SOURCE)?;
    cluster.remove_finalizer(&key, BOUND)
}

/// A deleted content goes once its snapshot is gone, and its files with it.
fn sync_content(key: &Key, cluster: &mut Cluster) -> Result<()> {
    let Some(content) = cluster.get(key)? else { return Ok(()) };
    if !content.is_deleting() {
        return Ok(());
    }
    let snapshot = Key::new(
        &VOLUMESNAPSHOT,
        content.str_at("spec.volumeSnapshotRef.namespace"),
        content.str_at("spec.volumeSnapshotRef.name"),
    );
    let bound = cluster.get_ref(&snapshot)?.is_some_and(|vs| vs.uid() == content.str_at("spec.volumeSnapshotRef.uid"));
    if !bound {
        cluster.remove_finalizer(key, CONTENT_BOUND)?;
        cluster.files().drop_volume(&snapshot_volume(content.name()))?;
    }
    Ok(())
}
