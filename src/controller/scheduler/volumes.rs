//! The VolumeRestrictions (ReadWriteOncePod) and NodeVolumeLimits (CSINode `allocatable.count`)
//! filters of kube-scheduler v1.32 (plugins/volumerestrictions, plugins/nodevolumelimits/csi.go).

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::filters::Reason;
use super::snapshot::{NodeInfo, Snapshot};
use crate::api::kinds::{CSINODE, POD, PV, PVC, STORAGECLASS};
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, Key};
use crate::controller::attach::{csi_driver_of_provisioner, csi_identity};
use crate::controller::volume::claims_of;
use crate::Result;

const RWOP_CONFLICT: &str =
    "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";
const MAX_VOLUME_COUNT: &str = "node(s) exceed max volume count";

/// What NodeVolumeLimits knows of the nodes, kept for the command: each node's limits and the
/// volumes its pods use (forgotten when a pod of the node changes).
#[derive(Default)]
pub struct VolumeCache {
    limits: HashMap<String, HashMap<String, i64>>,
    used: HashMap<String, Attached>,
}

/// The volumes attached (or to be attached) to one node: unique volume id → driver, and how many
/// per driver.
#[derive(Default)]
struct Attached {
    volumes: HashMap<String, String>,
    per_driver: HashMap<String, i64>,
}

impl VolumeCache {
    pub fn forget(&mut self, change: &Change) {
        match change.key.kind {
            "Pod" => {
                // A pod's status changing (most changes) moves no volume.
                let same_place = |old: &Value, new: &Value| {
                    old.str_at("spec.nodeName") == new.str_at("spec.nodeName") && claims_of(old) == claims_of(new)
                };
                if let (Some(old), Some(new)) = (&change.old, &change.object) {
                    if same_place(old, new) {
                        return;
                    }
                }
                for pod in [&change.old, &change.object].into_iter().flatten() {
                    self.used.remove(pod.str_at("spec.nodeName"));
                }
            }
            "CSINode" => {
                self.limits.remove(&change.key.name);
            }
            _ => {}
        }
    }
}

/// What the two plugins decided for the pod, before the nodes are filtered.
#[derive(Default)]
pub struct VolumeChecks {
    /// A ReadWriteOncePod claim of the pod is in use by a scheduled pod (every node fails).
    rwop_conflict: bool,
    /// Nodes whose CSI volume limit the pod's new volumes would exceed.
    over_limit: HashSet<String>,
}

impl VolumeChecks {
    pub fn build(cluster: &mut Cluster, pod: &Value, snap: &Snapshot, cache: &mut VolumeCache) -> Result<VolumeChecks> {
        let claims = claims_of(pod);
        if claims.is_empty() {
            return Ok(VolumeChecks::default());
        }
        let ns = pod.namespace();
        let mut checks = VolumeChecks::default();
        // VolumeRestrictions: a ReadWriteOncePod claim another scheduled pod already uses.
        for claim in &claims {
            let rwop = cluster.get_ref(&Key::new(&PVC, ns, claim))?.is_some_and(|pvc| {
                pvc.array_at("spec.accessModes").iter().any(|m| m.as_str() == Some("ReadWriteOncePod"))
            });
            if rwop {
                cluster.load(&POD, Some(ns))?;
                let used = cluster.iter(&POD, Some(ns)).any(|p| {
                    p.uid() != pod.uid() && !p.str_at("spec.nodeName").is_empty() && claims_of(p).contains(claim)
                });
                checks.rwop_conflict |= used;
            }
        }
        // NodeVolumeLimits: the pod's volumes, by unique name, with their drivers.
        let mut new_volumes: HashMap<String, String> = HashMap::new();
        for claim in &claims {
            if let Some((driver, unique)) = volume_of(cluster, ns, claim)? {
                new_volumes.insert(unique, driver);
            }
        }
        if new_volumes.is_empty() {
            return Ok(checks);
        }
        for node in snap.nodes.values() {
            if !cache.limits.contains_key(&node.name) {
                cache.limits.insert(node.name.clone(), limits_of(cluster, &node.name)?);
            }
            let limits = &cache.limits[&node.name];
            if !new_volumes.values().any(|d| limits.contains_key(d)) {
                continue;
            }
            if !cache.used.contains_key(&node.name) {
                cache.used.insert(node.name.clone(), attached_volumes(cluster, node)?);
            }
            let attached = &cache.used[&node.name];
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for (unique, driver) in &new_volumes {
                if !attached.volumes.contains_key(unique) {
                    *counts.entry(driver.as_str()).or_default() += 1;
                }
            }
            let over = counts.iter().any(|(driver, n)| {
                limits.get(*driver).is_some_and(|limit| {
                    let current = attached.per_driver.get(*driver).copied().unwrap_or(0);
                    current + *n as i64 > *limit
                })
            });
            if over {
                checks.over_limit.insert(node.name.clone());
            }
        }
        Ok(checks)
    }

    /// The reason the node fails, from VolumeRestrictions then NodeVolumeLimits.
    pub fn filter(&self, node: &NodeInfo) -> Option<Reason> {
        if self.rwop_conflict {
            return Some(Reason { text: RWOP_CONFLICT.to_string(), unresolvable: false });
        }
        if self.over_limit.contains(&node.name) {
            return Some(Reason { text: MAX_VOLUME_COUNT.to_string(), unresolvable: false });
        }
        None
    }
}

/// The CSI driver and unique name of a claim's volume: the bound volume's handle, or for an
/// unbound claim its class's provisioner and `<namespace>-<claim>` (a volume still to be made).
fn volume_of(cluster: &mut Cluster, ns: &str, claim: &str) -> Result<Option<(String, String)>> {
    let Some(pvc) = cluster.get_ref(&Key::new(&PVC, ns, claim))? else { return Ok(None) };
    let (volume, class) = (pvc.str_at("spec.volumeName").to_string(), pvc.str_at("spec.storageClassName").to_string());
    if !volume.is_empty() {
        let Some(pv) = cluster.get_ref(&Key::new(&PV, "", &volume))? else { return Ok(None) };
        return Ok(csi_identity(pv).map(|(driver, handle)| (driver.clone(), format!("{driver}/{handle}"))));
    }
    let Some(class) = cluster.get_ref(&Key::new(&STORAGECLASS, "", &class))? else {
        return Ok(None);
    };
    let driver = csi_driver_of_provisioner(class.str_at("provisioner")).to_string();
    Ok(Some((driver.clone(), format!("{driver}/{ns}-{claim}"))))
}

/// The node's volume limits by driver, from its CSINode.
fn limits_of(cluster: &mut Cluster, node: &str) -> Result<HashMap<String, i64>> {
    let Some(csi_node) = cluster.get_ref(&Key::new(&CSINODE, "", node))? else { return Ok(HashMap::new()) };
    Ok(csi_node
        .array_at("spec.drivers")
        .iter()
        .filter_map(|d| d.at("allocatable.count").and_then(Value::as_i64).map(|n| (d.str_at("name").to_string(), n)))
        .collect())
}

/// The CSI volumes the node's pods use, by unique name, with their drivers.
fn attached_volumes(cluster: &mut Cluster, node: &NodeInfo) -> Result<Attached> {
    let mut out = Attached::default();
    for placed in node.pods.values() {
        let Some(pod) = cluster.get_ref(&placed.key)? else { continue };
        let (ns, claims) = (pod.namespace().to_string(), claims_of(pod));
        for claim in claims {
            if let Some((driver, unique)) = volume_of(cluster, &ns, &claim)? {
                if out.volumes.insert(unique, driver.clone()).is_none() {
                    *out.per_driver.entry(driver).or_default() += 1;
                }
            }
        }
    }
    Ok(out)
}
