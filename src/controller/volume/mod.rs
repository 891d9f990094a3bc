//! The persistent-volume controller and the dynamic provisioners it waits for: binding claims to
//! volumes, provisioning by StorageClass, protection finalizers, and reclaiming released volumes.

mod drivers;
pub mod ephemeral;
mod provision;
mod resize;
mod source;
mod users;

pub use provision::volume_id;
pub use resize::admit as admit_resize;

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::rc::Rc;

use foldhash::HashSet;
use serde_json::{json, Value};

use super::Controller;
use crate::api::kinds::{PV, PVC, STORAGECLASS};
use crate::api::object::{set_annotation, set_at};
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, EventSource, Key, Propagation};
use crate::Result;

const PV_CONTROLLER: EventSource<'static> = EventSource::component("persistentvolume-controller");
const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
const PV_PROTECTION: &str = "kubernetes.io/pv-protection";
/// external-provisioner's finalizer on the volumes it provisioned with reclaim policy Delete.
const PROVISIONER_FINALIZER: &str = "external-provisioner.volume.kubernetes.io/finalizer";
/// Annotation the scheduler sets on a WaitForFirstConsumer claim.
pub const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";

#[derive(Default)]
pub struct VolumeController {
    /// Claims whose provisioning was tried in this command: a failure is reported once per
    /// command, as a real controller reports it once per retry.
    tried: HashSet<String>,
    /// Names of volumes a claim could still bind to, indexed on first use and then kept current
    /// from the change stream (most volumes are bound; scanning them all per claim is quadratic).
    unbound: Option<BTreeSet<String>>,
    users: users::ClaimUsers,
    node_labels: provision::NodeLabels,
}

/// Can a claim still bind to this volume?
fn bindable(pv: &Value) -> bool {
    matches!(pv.str_at("status.phase"), "Available" | "Pending")
        && !pv.is_deleting()
        && pv.str_at("spec.claimRef.uid").is_empty()
}

impl Controller for VolumeController {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        self.users.observe(change);
        match change.key.kind {
            "PersistentVolumeClaim" => {
                queue.push(change.key.clone());
                if let Some(pv) = change.old.as_ref().map(|o| o.str_at("spec.volumeName")).filter(|v| !v.is_empty()) {
                    queue.push(Key::new(&PV, "", pv));
                }
            }
            "PersistentVolume" => {
                if let Some(unbound) = &mut self.unbound {
                    unbound.remove(&change.key.name);
                    if change.object.as_deref().is_some_and(bindable) {
                        unbound.insert(change.key.name.clone());
                    }
                }
                if change.object.is_some() {
                    queue.push(change.key.clone());
                }
            }
            // Nodes are rewritten by every attachment; their labels rarely change.
            "Node" => {
                let old = change.old.as_ref().and_then(|n| n.at("metadata.labels"));
                if old != change.object.as_ref().and_then(|n| n.at("metadata.labels")) {
                    self.node_labels.forget(&change.key.name);
                }
            }
            "StorageClass" if change.object.is_some() => {
                self.tried.clear();
                for pvc in cluster.list(&PVC, None)? {
                    if pvc.str_at("status.phase") == "Pending" {
                        queue.push(Key::new(&PVC, pvc.namespace(), pvc.name()));
                    }
                }
            }
            // A snapshot that turns ready may be what a restoring claim waits for.
            "VolumeSnapshot" => {
                self.tried.clear();
                cluster.load(&PVC, Some(&change.key.namespace))?;
                queue.extend(
                    cluster
                        .iter(&PVC, Some(&change.key.namespace))
                        .filter(|pvc| pvc.str_at("status.phase") == "Pending")
                        .filter(|pvc| source::reference(pvc).is_some_and(|r| r.str_at("name") == change.key.name))
                        .map(|pvc| Key::new(&PVC, pvc.namespace(), pvc.name())),
                );
            }
            // A pod that starts finishes its claims' pending filesystem resizes.
            "Pod"
                if change.object.as_ref().is_some_and(|p| p.str_at("status.phase") == "Running")
                    && change.old.as_ref().is_none_or(|p| p.str_at("status.phase") != "Running") =>
            {
                if let Some(pod) = &change.object {
                    for claim in claims_of(pod) {
                        queue.push(Key::new(&PVC, pod.namespace(), &claim));
                    }
                }
            }
            // A pod that goes away may release a claim held by pvc-protection.
            "Pod" if change.object.is_none() || change.object.as_ref().is_some_and(|p| p.is_deleting()) => {
                for obj in change.old.iter().chain(change.object.iter()) {
                    for claim in claims_of(obj) {
                        queue.push(Key::new(&PVC, obj.namespace(), &claim));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        match key.kind {
            "PersistentVolumeClaim" => self.sync_claim(key, cluster),
            "PersistentVolume" => sync_volume(key, cluster),
            _ => Ok(()),
        }
    }
}

/// The claim names a pod's volumes refer to: each `persistentVolumeClaim`'s, and the claim the
/// ephemeral volume controller makes for each `ephemeral` volume.
pub fn claims_of(pod: &Value) -> Vec<String> {
    claim_names(pod).map(Cow::into_owned).collect()
}

/// [`claims_of`] without copying the names of plain claims.
fn claim_names(pod: &Value) -> impl Iterator<Item = Cow<'_, str>> {
    pod.array_at("spec.volumes").iter().filter_map(|v| match v.str_at("persistentVolumeClaim.claimName") {
        "" if v.get("ephemeral").is_some() => Some(Cow::Owned(ephemeral::claim_name(pod, v))),
        "" => None,
        claim => Some(Cow::Borrowed(claim)),
    })
}

/// Whether two versions of a pod refer to the same claims: what a watcher that indexes pods by
/// claim compares, cheaper than comparing whole volume lists (projected token volumes and all).
pub fn same_claims(a: &Value, b: &Value) -> bool {
    claim_names(a).eq(claim_names(b))
}

impl VolumeController {
    fn sync_claim(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        // A bound claim not growing is what most syncs find (its pods come and go): no copy.
        if cluster.get_ref(key)?.is_none_or(|pvc| !pvc.is_deleting() && resize::settled(pvc)) {
            return Ok(());
        }
        // Shared with the view: what is written is copied where it is changed.
        let Some(pvc) = cluster.get_shared(key)? else { return Ok(()) };
        if pvc.is_deleting() {
            if !self.claim_in_use(cluster, &pvc)? {
                cluster.remove_finalizer(key, PVC_PROTECTION)?;
            }
            return Ok(());
        }
        if pvc.str_at("status.phase") == "Bound" {
            return resize::sync(cluster, &pvc);
        }
        if let Some(pv) = self.find_volume(cluster, &pvc)? {
            return bind(cluster, &pvc, &pv, false);
        }
        // One attempt per claim state: our own writes re-queue the claim, and must not repeat events.
        let attempt = format!(
            "{}/{}/{}",
            pvc.uid(),
            pvc.str_at("spec.storageClassName"),
            pvc.annotation(SELECTED_NODE).unwrap_or("")
        );
        if !pvc.str_at("spec.volumeName").is_empty() || !self.tried.insert(attempt) {
            return Ok(());
        }
        let class_name = pvc.str_at("spec.storageClassName").to_string();
        if class_name.is_empty() {
            let msg = "no persistent volumes available for this claim and no storage class is set";
            return cluster.normal(&pvc, PV_CONTROLLER, "FailedBinding", msg);
        }
        let Some(class) = cluster.get_shared(&Key::new(&STORAGECLASS, "", &class_name))? else {
            let msg = format!("storageclass.storage.k8s.io \"{class_name}\" not found");
            return cluster.warning(&pvc, PV_CONTROLLER, "ProvisioningFailed", &msg);
        };
        let delayed = class.str_at("volumeBindingMode") == "WaitForFirstConsumer";
        if delayed && pvc.annotation(SELECTED_NODE).is_none() {
            return self.wait_for_consumer(cluster, &pvc);
        }
        provision::provision(cluster, &mut self.node_labels, pvc, &class)
    }
}

/// A WaitForFirstConsumer claim with no node yet says whom it waits for.
impl VolumeController {
    fn wait_for_consumer(&mut self, cluster: &mut Cluster, pvc: &Value) -> Result<()> {
        let users = self.users.of(cluster, pvc.namespace(), pvc.name())?;
        let waiting: Vec<String> = users.into_iter().filter(|(_, u)| u.unscheduled).map(|(name, _)| name).collect();
        match waiting.as_slice() {
            [] => cluster.normal(
                pvc,
                PV_CONTROLLER,
                "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding",
            ),
            [one] => cluster.normal(
                pvc,
                PV_CONTROLLER,
                "WaitForPodScheduled",
                &format!("waiting for pod {one} to be scheduled"),
            ),
            many => {
                let msg = format!("waiting for pods {} to be scheduled", many.join(","));
                cluster.normal(pvc, PV_CONTROLLER, "WaitForPodScheduled", &msg)
            }
        }
    }

    /// Is a pod that has not finished still using the claim?
    fn claim_in_use(&mut self, cluster: &mut Cluster, pvc: &Value) -> Result<bool> {
        Ok(self.users.of(cluster, pvc.namespace(), pvc.name())?.iter().any(|(_, u)| !u.finished))
    }
}

impl VolumeController {
    /// An Available volume that satisfies the claim (static binding), or the one it names.
    fn find_volume(&mut self, cluster: &mut Cluster, pvc: &Value) -> Result<Option<Rc<Value>>> {
        let named = pvc.str_at("spec.volumeName");
        if !named.is_empty() {
            let pv = cluster.get_shared(&Key::new(&PV, "", named))?;
            return Ok(pv.filter(|pv| {
                let claim = pv.str_at("spec.claimRef.name");
                claim.is_empty() || (claim == pvc.name() && pv.str_at("spec.claimRef.namespace") == pvc.namespace())
            }));
        }
        if self.unbound.is_none() {
            cluster.load(&PV, None)?;
            self.unbound =
                Some(cluster.iter(&PV, None).filter(|pv| bindable(pv)).map(|pv| pv.name().to_string()).collect());
        }
        let want = crate::api::quantity::parse_bytes(pvc.str_at("spec.resources.requests.storage")).unwrap_or(0);
        let class = pvc.str_at("spec.storageClassName");
        let modes = pvc.array_at("spec.accessModes");
        let mut best: Option<(bool, u128, &str)> = None;
        for name in self.unbound.iter().flatten() {
            let Some(pv) = cluster.get_ref(&Key::new(&PV, "", name))? else { continue };
            let claim_ref = pv.str_at("spec.claimRef.name");
            let prebound = claim_ref == pvc.name() && pv.str_at("spec.claimRef.namespace") == pvc.namespace();
            if (!claim_ref.is_empty() && !prebound) || pv.str_at("spec.storageClassName") != class {
                continue;
            }
            let size = crate::api::quantity::parse_bytes(pv.str_at("spec.capacity.storage")).unwrap_or(0);
            let pv_modes = pv.array_at("spec.accessModes");
            if size < want || !modes.iter().all(|m| pv_modes.contains(m)) {
                continue;
            }
            // A volume pre-bound to this claim wins; otherwise the smallest that fits.
            let better = best.as_ref().is_none_or(|(b_pre, b_size, _)| {
                (prebound, std::cmp::Reverse(size)) > (*b_pre, std::cmp::Reverse(*b_size))
            });
            if better {
                best = Some((prebound, size, name));
            }
        }
        match best.map(|(_, _, name)| Key::new(&PV, "", name)) {
            Some(key) => cluster.get_shared(&key),
            None => Ok(None),
        }
    }
}

/// Binds both sides: the volume's claimRef first, then the claim (`bind`).
pub(super) fn bind(cluster: &mut Cluster, pvc: &Value, pv: &Value, provisioned: bool) -> Result<()> {
    let mut pv = pv.clone();
    set_at(
        &mut pv,
        "spec.claimRef",
        json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": pvc.name(), "namespace": pvc.namespace(),
               "resourceVersion": pvc.str_at("metadata.resourceVersion"), "uid": pvc.uid()}),
    );
    if !provisioned {
        set_annotation(&mut pv, "pv.kubernetes.io/bound-by-controller", "yes");
    }
    set_at(&mut pv, "status.phase", json!("Bound"));
    let pv = cluster.update_status(pv)?;
    let mut claim = cluster.get(&Key::new(&PVC, pvc.namespace(), pvc.name()))?.unwrap_or_else(|| pvc.clone());
    set_at(&mut claim, "spec.volumeName", json!(pv.name()));
    set_annotation(&mut claim, "pv.kubernetes.io/bind-completed", "yes");
    set_annotation(&mut claim, "pv.kubernetes.io/bound-by-controller", "yes");
    claim["status"] = json!({
        "accessModes": pv.at("spec.accessModes").cloned().unwrap_or(json!([])),
        "capacity": pv.at("spec.capacity").cloned().unwrap_or(json!({})),
        "phase": "Bound",
    });
    cluster.update_status(claim)?;
    Ok(())
}

/// A volume whose claim is gone is Released, then reclaimed by its policy; a deleted volume goes
/// once nothing is bound to it.
fn sync_volume(key: &Key, cluster: &mut Cluster) -> Result<()> {
    // Most syncs find a bound volume whose claim is still there: read shared, copied only to write.
    let Some(pv) = cluster.get_shared(key)? else { return Ok(()) };
    // A new volume, or a released one an administrator freed by removing its claimRef.
    if matches!(pv.str_at("status.phase"), "Pending" | "Released") && pv.at("spec.claimRef").is_none() {
        let mut pv = (*pv).clone();
        set_at(&mut pv, "status.phase", json!("Available"));
        cluster.update_status(pv)?;
        return Ok(());
    }
    let claim_name = pv.str_at("spec.claimRef.name");
    if !claim_name.is_empty() && pv.str_at("status.phase") == "Bound" {
        let claim = cluster.get_ref(&Key::new(&PVC, pv.str_at("spec.claimRef.namespace"), claim_name))?;
        if claim.is_none_or(|c| c.uid() != pv.str_at("spec.claimRef.uid")) {
            let mut pv = (*pv).clone();
            set_at(&mut pv, "status.phase", json!("Released"));
            let pv = cluster.update_status(pv)?;
            if pv.str_at("spec.persistentVolumeReclaimPolicy") == "Delete" {
                cluster.files().drop_volume(&provision::volume_id(pv.name()))?;
                cluster.delete(key, Propagation::Background, None)?;
                // The provisioner deleted the disk: it lets go of the volume.
                cluster.remove_finalizer(key, PROVISIONER_FINALIZER)?;
            }
        }
    }
    // A volume whose policy was changed to Retain is no longer the provisioner's to delete.
    let retained = cluster.get_ref(key)?.is_some_and(|pv| {
        pv.str_at("spec.persistentVolumeReclaimPolicy") != "Delete"
            && pv.finalizers().iter().any(|f| f == PROVISIONER_FINALIZER)
    });
    if retained {
        cluster.remove_finalizer(key, PROVISIONER_FINALIZER)?;
    }
    let unprotect = cluster.get_ref(key)?.is_some_and(|pv| pv.is_deleting() && pv.str_at("status.phase") != "Bound");
    if unprotect {
        cluster.remove_finalizer(key, PV_PROTECTION)?;
    }
    Ok(())
}
