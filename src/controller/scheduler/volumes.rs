//! The VolumeRestrictions (ReadWriteOncePod) and NodeVolumeLimits (CSINode `allocatable.count`)
//! filters of kube-scheduler v1.32 (plugins/volumerestrictions, plugins/nodevolumelimits/csi.go).

use std::collections::BTreeMap;

use foldhash::{HashMap, HashSet};
use serde_json::Value;

use super::filters::Reason;
use super::snapshot::{NodeInfo, PodVersion, Snapshot};
use crate::api::kinds::{CSINODE, POD, PV, PVC, STORAGECLASS};
use crate::api::pluck::{pluck, Want};
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, Key};
use crate::controller::attach::{csi_driver_of_provisioner, csi_identity};
use crate::controller::volume::claims_of;
use crate::Result;

const RWOP_CONFLICT: &str =
    "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";
const MAX_VOLUME_COUNT: &str = "node(s) exceed max volume count";

/// What NodeVolumeLimits knows of the nodes, kept for the command: each node's limits and the
/// volumes its pods use. A node's volumes are counted once, then kept up to date from the pods
/// and claims that change (a node of 110 pods would otherwise be recounted for every pod bound
/// to it).
#[derive(Default)]
pub struct VolumeCache {
    /// By node name, in the snapshot's order: a pod with volumes is tried on every node, and the
    /// two are walked side by side instead of looking each node up.
    nodes: BTreeMap<String, NodeVolumes>,
    /// The snapshot's slot count when each of its nodes last got an entry here (a new node gets
    /// a new slot).
    known_slots: usize,
    /// How many counted nodes hold each claim (`namespace/claim`), for the claims some node
    /// holds: a pod's claim no node holds (a new pod's) is new to every node, no lookup needed.
    holders: HashMap<String, usize>,
    /// Changes seen since the last decision, applied to the counted nodes before the next one.
    pending: Vec<Pending>,
    drivers: Drivers,
}

/// A CSI driver, by the number [`Drivers`] gave its name: the limits of every node a pod with
/// volumes is tried on are looked up by driver, compared as numbers rather than as names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DriverId(usize);

/// The drivers' names, numbered in the order they are first seen.
#[derive(Default)]
struct Drivers(Vec<String>);

impl Drivers {
    fn id(&mut self, name: &str) -> DriverId {
        match self.0.iter().position(|d| d == name) {
            Some(i) => DriverId(i),
            None => {
                self.0.push(name.to_string());
                DriverId(self.0.len() - 1)
            }
        }
    }
}

/// One node's volume limits by driver (read from its CSINode when first needed) and its
/// volumes (counted when first needed).
#[derive(Default)]
struct NodeVolumes {
    limits: Option<PerDriver>,
    attached: Option<Attached>,
}

/// A number per CSI driver. A node has a driver or two: a short list is searched faster than
/// a map is (this is read for every node a pod with volumes is tried on).
#[derive(Default)]
struct PerDriver(Vec<(DriverId, i64)>);

impl PerDriver {
    fn get(&self, driver: DriverId) -> Option<i64> {
        self.0.iter().find(|(d, _)| *d == driver).map(|(_, n)| *n)
    }

    fn set(&mut self, driver: DriverId, n: i64) {
        match self.0.iter_mut().find(|(d, _)| *d == driver) {
            Some((_, value)) => *value = n,
            None => self.0.push((driver, n)),
        }
    }

    fn add(&mut self, driver: DriverId, delta: i64) {
        self.set(driver, self.get(driver).unwrap_or(0) + delta);
    }
}

/// A change NodeVolumeLimits has to account for.
enum Pending {
    /// A pod's claims arrive on (`add`) or leave a node.
    Pod { node: String, namespace: String, claims: Vec<String>, add: bool },
    /// A claim's volume changed (bound): its driver is looked up again.
    Claim { namespace: String, claim: String },
}

/// The volumes attached (or to be attached) to one node, by claim (`namespace/claim`: a claim
/// binds one volume and a volume one claim, so counting claims counts volumes), with how many of
/// the node's pods use each claim and its volume's driver; and how many volumes per driver.
#[derive(Default)]
struct Attached {
    claims: HashMap<String, (usize, Option<DriverId>)>,
    per_driver: PerDriver,
}

impl Attached {
    /// One more pod uses the claim; true when the claim is new to the node.
    fn add(&mut self, claim: String, driver: Option<DriverId>) -> bool {
        let entry = self.claims.entry(claim).or_insert((0, None));
        entry.0 += 1;
        if entry.0 == 1 {
            entry.1 = driver;
            if let Some(d) = entry.1 {
                self.per_driver.add(d, 1);
            }
        }
        entry.0 == 1
    }

    /// One pod fewer uses the claim; true when the node no longer holds it.
    fn remove(&mut self, claim: &str) -> bool {
        let Some(entry) = self.claims.get_mut(claim) else { return false };
        entry.0 -= 1;
        if entry.0 != 0 {
            return false;
        }
        if let Some((_, Some(d))) = self.claims.remove(claim) {
            self.per_driver.add(d, -1);
        }
        true
    }

    fn set_driver(&mut self, claim: &str, driver: Option<DriverId>) {
        let Some(entry) = self.claims.get_mut(claim) else { return };
        if entry.1 == driver {
            return;
        }
        if let Some(d) = entry.1.take() {
            self.per_driver.add(d, -1);
        }
        if let Some(d) = driver {
            self.per_driver.add(d, 1);
        }
        entry.1 = driver;
    }
}

fn claim_key(namespace: &str, claim: &str) -> String {
    format!("{namespace}/{claim}")
}

/// The node a pod holds its volumes on, as the snapshot places pods ("" for none).
fn held_on<'a>(pod: &PodVersion<'a>) -> &'a str {
    if pod.occupies {
        pod.node
    } else {
        ""
    }
}

/// One node fewer holds the claim.
fn release(holders: &mut HashMap<String, usize>, claim: &str) {
    if let Some(n) = holders.get_mut(claim) {
        *n -= 1;
        if *n == 0 {
            holders.remove(claim);
        }
    }
}

impl VolumeCache {
    /// Follows a change of a pod in `namespace`, from `old` to `new`.
    pub fn forget_pod(&mut self, namespace: &str, old: Option<PodVersion>, new: Option<PodVersion>) {
        // A pod's status changing (most changes) moves no volume: seen without copying its claims.
        if let (Some(old), Some(new)) = (&old, &new) {
            if held_on(old) == held_on(new) && old.pod.at("spec.volumes") == new.pod.at("spec.volumes") {
                return;
            }
        }
        let place = |pod: PodVersion| (held_on(&pod).to_string(), claims_of(pod.pod));
        let (old, new) = (old.map(place), new.map(place));
        if old == new {
            return;
        }
        for (pod, add) in [(old, false), (new, true)] {
            if let Some((node, claims)) = pod.filter(|(node, claims)| !node.is_empty() && !claims.is_empty()) {
                self.pending.push(Pending::Pod { node, namespace: namespace.to_string(), claims, add });
            }
        }
    }

    /// Follows a change of a claim or a CSINode (pods: [`VolumeCache::forget_pod`]).
    pub fn forget(&mut self, change: &Change) {
        match change.key.kind {
            "PersistentVolumeClaim" => {
                let volume = |pvc: &Option<std::rc::Rc<Value>>| {
                    pvc.as_deref().map(|p| p.str_at("spec.volumeName").to_string()).unwrap_or_default()
                };
                if volume(&change.old) != volume(&change.object) {
                    let (namespace, claim) = (change.key.namespace.clone(), change.key.name.clone());
                    self.pending.push(Pending::Claim { namespace, claim });
                }
            }
            "CSINode" => {
                if let Some(node) = self.nodes.get_mut(&change.key.name) {
                    node.limits = None;
                }
            }
            _ => {}
        }
    }

    /// Brings the counted nodes up to date with the changes seen since the last decision
    /// (nodes not counted yet are counted whole when first needed).
    fn catch_up(&mut self, cluster: &mut Cluster) -> Result<()> {
        for pending in std::mem::take(&mut self.pending) {
            match pending {
                Pending::Pod { node, namespace, claims, add } => {
                    let Some(attached) = self.nodes.get_mut(&node).and_then(|n| n.attached.as_mut()) else {
                        continue;
                    };
                    for claim in claims {
                        let key = claim_key(&namespace, &claim);
                        if add {
                            let driver = driver_id(cluster, &mut self.drivers, &namespace, &claim)?;
                            if attached.add(key.clone(), driver) {
                                *self.holders.entry(key).or_default() += 1;
                            }
                        } else if attached.remove(&key) {
                            release(&mut self.holders, &key);
                        }
                    }
                }
                Pending::Claim { namespace, claim } => {
                    let key = claim_key(&namespace, &claim);
                    // Only the nodes holding the claim count its driver.
                    if !self.holders.contains_key(&key) {
                        continue;
                    }
                    let driver = driver_id(cluster, &mut self.drivers, &namespace, &claim)?;
                    for attached in self.nodes.values_mut().filter_map(|n| n.attached.as_mut()) {
                        attached.set_driver(&key, driver);
                    }
                }
            }
        }
        Ok(())
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
        // NodeVolumeLimits: the pod's volumes with their drivers, by driver.
        let mut new_volumes: Vec<(DriverId, Vec<NewVolume>)> = Vec::new();
        for claim in &claims {
            let Some(driver) = driver_id(cluster, &mut cache.drivers, ns, claim)? else { continue };
            let volume = NewVolume { key: claim_key(ns, claim), held: false };
            // A claim mounted twice is one volume.
            match new_volumes.iter_mut().find(|(d, _)| *d == driver) {
                Some((_, volumes)) if !volumes.iter().any(|v| v.key == volume.key) => volumes.push(volume),
                Some(_) => {}
                None => new_volumes.push((driver, vec![volume])),
            }
        }
        if new_volumes.is_empty() {
            return Ok(checks);
        }
        cache.catch_up(cluster)?;
        for volume in new_volumes.iter_mut().flat_map(|(_, volumes)| volumes) {
            volume.held = cache.holders.contains_key(&volume.key);
        }
        if cache.known_slots != snap.slots() {
            for node in snap.nodes.values() {
                if !cache.nodes.contains_key(&node.name) {
                    cache.nodes.insert(node.name.clone(), NodeVolumes::default());
                }
            }
            cache.known_slots = snap.slots();
        }
        // Both maps are in name order, and every node of the snapshot has an entry (above): with
        // as many entries as nodes (no node has gone), they pair up without comparing names.
        let paired = cache.nodes.len() == snap.nodes.len();
        let mut entries = cache.nodes.iter_mut();
        for node in snap.nodes.values() {
            let entry = if paired {
                entries.next().map(|(_, v)| v)
            } else {
                entries.find_map(|(name, v)| (*name == node.name).then_some(v))
            };
            let Some(volumes) = entry else { break };
            if volumes.over_limit(cluster, node, &new_volumes, &mut cache.holders, &mut cache.drivers)? {
                checks.over_limit.insert(node.name.clone());
            }
        }
        Ok(checks)
    }

    /// The reason the node fails, from VolumeRestrictions then NodeVolumeLimits.
    pub fn filter(&self, node: &NodeInfo) -> Option<Reason> {
        if self.rwop_conflict {
            return Some(Reason { text: RWOP_CONFLICT.into(), unresolvable: false });
        }
        if self.over_limit.contains(&node.name) {
            return Some(Reason { text: MAX_VOLUME_COUNT.into(), unresolvable: false });
        }
        None
    }
}

/// One of the pod's volumes, by claim (`namespace/claim`), and whether any counted node held it
/// before the pod's nodes were looked at.
struct NewVolume {
    key: String,
    held: bool,
}

impl NodeVolumes {
    /// Would the pod's new volumes (by driver) take the node past a driver's limit? Claims
    /// already on the node add nothing; a driver the pod adds nothing to is not checked. (The
    /// node's limits and volumes are read when first needed, its claims then added to `holders`.)
    fn over_limit(
        &mut self,
        cluster: &mut Cluster,
        node: &NodeInfo,
        new_volumes: &[(DriverId, Vec<NewVolume>)],
        holders: &mut HashMap<String, usize>,
        drivers: &mut Drivers,
    ) -> Result<bool> {
        if self.limits.is_none() {
            self.limits = Some(limits_of(cluster, drivers, &node.name)?);
        }
        // A node counted now may hold a claim no node held before: its claims are looked up.
        let counted_before = self.attached.is_some();
        let Some(limits) = &self.limits else { return Ok(false) };
        for &(driver, ref volumes) in new_volumes {
            let Some(limit) = limits.get(driver) else { continue };
            if self.attached.is_none() {
                let attached = attached_volumes(cluster, drivers, node)?;
                for claim in attached.claims.keys() {
                    *holders.entry(claim.clone()).or_default() += 1;
                }
                self.attached = Some(attached);
            }
            let Some(attached) = &self.attached else { return Ok(false) };
            let on_node = |v: &NewVolume| (v.held || !counted_before) && attached.claims.contains_key(&v.key);
            let adding = volumes.iter().filter(|v| !on_node(v)).count() as i64;
            let current = attached.per_driver.get(driver).unwrap_or(0);
            if adding > 0 && current + adding > limit {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// The CSI driver of a claim's volume: the bound volume's, or for an unbound claim its class's
/// provisioner's (a volume still to be made). `None` for a volume no CSI driver attaches.
fn driver_of(cluster: &mut Cluster, ns: &str, claim: &str) -> Result<Option<String>> {
    let Some(pvc) = cluster.peek(&Key::new(&PVC, ns, claim), spec_and_labels)? else { return Ok(None) };
    let (volume, class) = (pvc.str_at("spec.volumeName").to_string(), pvc.str_at("spec.storageClassName").to_string());
    if !volume.is_empty() {
        let Some(pv) = cluster.peek(&Key::new(&PV, "", &volume), spec_and_labels)? else { return Ok(None) };
        return Ok(csi_identity(&pv).map(|(driver, _)| driver));
    }
    let Some(class) = cluster.get_ref(&Key::new(&STORAGECLASS, "", &class))? else {
        return Ok(None);
    };
    Ok(Some(csi_driver_of_provisioner(class.str_at("provisioner")).to_string()))
}

/// Of a stored claim or volume, the fields [`driver_of`] reads: a claim's `volumeName` and
/// `storageClassName`, a volume's CSI source or the in-tree source `csi_identity` translates,
/// and its labels (a PD's zone). The rest is skipped unread.
fn spec_and_labels(body: &str) -> anyhow::Result<Value> {
    const PARTS: &[(&str, Want)] = &[
        ("metadata", Want::Fields(&[("labels", Want::All)])),
        (
            "spec",
            Want::Fields(&[
                ("volumeName", Want::All),
                ("storageClassName", Want::All),
                ("csi", Want::All),
                ("awsElasticBlockStore", Want::All),
                ("gcePersistentDisk", Want::All),
            ]),
        ),
    ];
    pluck(body, PARTS)
}

/// [`driver_of`], numbered.
fn driver_id(cluster: &mut Cluster, drivers: &mut Drivers, ns: &str, claim: &str) -> Result<Option<DriverId>> {
    Ok(driver_of(cluster, ns, claim)?.map(|d| drivers.id(&d)))
}

/// The node's volume limits by driver, from its CSINode (a driver listed twice: the last).
fn limits_of(cluster: &mut Cluster, drivers: &mut Drivers, node: &str) -> Result<PerDriver> {
    let mut limits = PerDriver::default();
    let Some(csi_node) = cluster.get_ref(&Key::new(&CSINODE, "", node))? else { return Ok(limits) };
    for d in csi_node.array_at("spec.drivers") {
        if let Some(n) = d.at("allocatable.count").and_then(Value::as_i64) {
            limits.set(drivers.id(d.str_at("name")), n);
        }
    }
    Ok(limits)
}

/// The CSI volumes the node's pods use, by claim, with their drivers.
fn attached_volumes(cluster: &mut Cluster, drivers: &mut Drivers, node: &NodeInfo) -> Result<Attached> {
    let mut out = Attached::default();
    for placed in node.pods.values() {
        let Some(pod) = cluster.get_ref(&placed.key)? else { continue };
        let (ns, claims) = (pod.namespace().to_string(), claims_of(pod));
        for claim in claims {
            let driver = driver_id(cluster, drivers, &ns, &claim)?;
            out.add(claim_key(&ns, &claim), driver);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_volume_read_in_part_has_the_driver_of_the_whole() {
        let volumes = [
            json!({"metadata": {"name": "pv-1", "annotations": {"a": "b"}}, "spec": {"csi": {"driver": "d", "volumeHandle": "h"}}, "status": {"phase": "Bound"}}),
            json!({"metadata": {"labels": {"topology.kubernetes.io/zone": "z1"}}, "spec": {"gcePersistentDisk": {"pdName": "disk"}}}),
            json!({"metadata": {"labels": null}, "spec": {"awsElasticBlockStore": {"volumeID": "aws://z/vol-1"}}}),
            json!({"metadata": {}, "spec": null}),
        ];
        for whole in volumes {
            let part = spec_and_labels(&whole.to_string()).expect("decodes");
            assert_eq!(csi_identity(&part), csi_identity(&whole), "{whole}");
        }
        let claim = json!({"metadata": {"name": "c"}, "spec": {"volumeName": "pv-1", "storageClassName": "fast"}});
        let part = spec_and_labels(&claim.to_string()).expect("decodes");
        assert_eq!(part.str_at("spec.volumeName"), "pv-1");
        assert_eq!(part.str_at("spec.storageClassName"), "fast");
    }
}
