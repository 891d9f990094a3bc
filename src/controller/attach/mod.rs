//! Attachment: the attach/detach controller of kube-controller-manager v1.32
//! (pkg/controller/volume/attachdetach) together with each CSI driver's external-attacher.
//!
//! A pod scheduled to a node with a claim bound to an attachable CSI volume needs the volume
//! attached to that node: the controller creates the VolumeAttachment
//! `csi-<sha256(volumeHandle + driver + node)>` (pkg/volume/csi/csi_attacher.go), the driver's
//! attacher attaches it (`status.attached: true`, its finalizer and node-id annotation), and the
//! pods get `SuccessfulAttachVolume`. A ReadWriteOnce volume attached elsewhere is not attached
//! again (`FailedAttachVolume` `Multi-Attach error ...`, reported once); when the last pod using a
//! volume on a node is gone the volume is detached (the VolumeAttachment deleted). A node whose
//! kubelet has stopped cannot unmount: its volumes are force-detached after six minutes
//! (`maxWaitForUnmountDuration`), or at once when it has the `node.kubernetes.io/out-of-service`
//! taint. The kubelet does not start a pod's containers until its volumes are attached.
//!
//! Every write goes through [`Cluster::aside`], so adding attachment to kstate left the ids of
//! existing scripts unchanged.

pub mod drivers;
mod index;

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use foldhash::{HashMap, HashMapExt};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::node_lifecycle::kubelet_stopped;
use super::volume::{claims_of, same_claims};
use super::Controller;
use crate::api::kinds::{CSIDRIVER, CSINODE, NODE, POD, PV, PVC, VOLUMEATTACHMENT};
use crate::api::object::{set_annotation, set_at};
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, EventSource, Key, Propagation};
use crate::Result;

const ADC: EventSource<'static> = EventSource::component("attachdetach-controller");
/// How long the controller waits for a node that cannot unmount before detaching anyway.
const MAX_WAIT_FOR_UNMOUNT_MS: i64 = 6 * 60 * 1000;
const OUT_OF_SERVICE: &str = "node.kubernetes.io/out-of-service";
const NODE_ID_ANNOTATION: &str = "csi.alpha.kubernetes.io/node-id";

#[derive(Default)]
pub struct AttachDetach {
    /// Per namespace (indexed on first use in a command): claim → the pods that want its volume
    /// attached, kept current from the change stream.
    users: HashMap<String, HashMap<String, BTreeSet<String>>>,
    /// The VolumeAttachments by volume and by node (built on first use, kept from the changes).
    attachments: Option<index::Attachments>,
}

/// The name the CSI attacher gives the attachment of `handle` by `driver` to `node`.
pub fn attachment_name(handle: &str, driver: &str, node: &str) -> String {
    let digest = Sha256::new().chain_update(handle).chain_update(driver).chain_update(node).finalize();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut name = String::with_capacity(4 + 2 * digest.len());
    name.push_str("csi-");
    for &b in digest.iter() {
        name.push(HEX[usize::from(b >> 4)] as char);
        name.push(HEX[usize::from(b & 0xf)] as char);
    }
    name
}

/// The external-attacher's finalizer: `external-attacher/` + the driver name with every
/// character outside `[a-zA-Z0-9-]` replaced by `-`.
fn finalizer(driver: &str) -> String {
    let mut name: String =
        driver.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
    if name.ends_with('-') {
        name.push('X');
    }
    format!("external-attacher/{name}")
}

/// The CSI driver and volume handle behind a volume: a CSI volume, or an in-tree EBS or GCE PD
/// volume served by its CSI driver (CSI migration); `None` for host paths and local volumes.
pub fn csi_identity(pv: &Value) -> Option<(String, String)> {
    let (driver, handle) = if let Some(csi) = pv.at("spec.csi") {
        (csi.str_at("driver").to_string(), csi.str_at("volumeHandle").to_string())
    } else if let Some(ebs) = pv.at("spec.awsElasticBlockStore") {
        ("ebs.csi.aws.com".to_string(), ebs.str_at("volumeID").rsplit('/').next().unwrap_or("").to_string())
    } else if let Some(pd) = pv.at("spec.gcePersistentDisk") {
        let zone = pv.labels().get("topology.kubernetes.io/zone").cloned().unwrap_or_default();
        let handle = format!("projects/UNSPECIFIED/zones/{zone}/disks/{}", pd.str_at("pdName"));
        ("pd.csi.storage.gke.io".to_string(), handle)
    } else {
        return None;
    };
    (!driver.is_empty() && !handle.is_empty()).then_some((driver, handle))
}

/// The CSI driver that serves a provisioner's volumes (in-tree provisioners are migrated).
pub fn csi_driver_of_provisioner(provisioner: &str) -> &str {
    match provisioner {
        "kubernetes.io/aws-ebs" => "ebs.csi.aws.com",
        "kubernetes.io/gce-pd" => "pd.csi.storage.gke.io",
        "kubernetes.io/azure-disk" => "disk.csi.azure.com",
        "kubernetes.io/azure-file" => "file.csi.azure.com",
        other => other,
    }
}

/// The driver and handle of a volume the attach/detach controller attaches (see
/// [`csi_identity`]), unless its driver's CSIDriver says it needs no attaching.
/// Takes what [`csi_identity`] found, so that the volume need not be copied to be read.
fn attach_required(cluster: &mut Cluster, identity: Option<(String, String)>) -> Result<Option<(String, String)>> {
    let Some((driver, handle)) = identity else { return Ok(None) };
    // Without a CSIDriver object a driver is assumed to need attaching.
    let required = cluster
        .get_ref(&Key::new(&CSIDRIVER, "", &driver))?
        .and_then(|d| d.at("spec.attachRequired").and_then(Value::as_bool))
        .unwrap_or(true);
    Ok(required.then_some((driver, handle)))
}

/// Whether every attachable volume of `pod` is attached to `node` (what the kubelet's
/// volume manager waits for before it pulls images and starts containers).
pub fn volumes_attached(cluster: &mut Cluster, pod: &Value, node: &str) -> Result<bool> {
    for claim in claims_of(pod) {
        let identity = bound_volume(cluster, pod.namespace(), &claim)?.and_then(csi_identity);
        let Some((driver, handle)) = attach_required(cluster, identity)? else { continue };
        let name = attachment_name(&handle, &driver, node);
        let attached = cluster
            .get_ref(&Key::new(&VOLUMEATTACHMENT, "", &name))?
            .is_some_and(|va| !va.is_deleting() && va.at("status.attached").and_then(Value::as_bool) == Some(true));
        if !attached {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The pods on the attachment's node that use its volume (the kubelet retries them once it is
/// attached).
pub fn pods_using(cluster: &mut Cluster, va: &Value) -> Result<Vec<Key>> {
    let Some(pv) = cluster.get(&Key::new(&PV, "", va.str_at("spec.source.persistentVolumeName")))? else {
        return Ok(Vec::new());
    };
    let (ns, claim) = (pv.str_at("spec.claimRef.namespace"), pv.str_at("spec.claimRef.name"));
    let node = va.str_at("spec.nodeName");
    cluster.load(&POD, Some(ns))?;
    Ok(cluster
        .iter(&POD, Some(ns))
        .filter(|p| p.str_at("spec.nodeName") == node && claims_of(p).iter().any(|c| c == claim))
        .map(|p| Key::new(&POD, ns, p.name()))
        .collect())
}

fn bound_volume<'a>(cluster: &'a mut Cluster, ns: &str, claim: &str) -> Result<Option<&'a Value>> {
    let volume = match cluster.get_ref(&Key::new(&PVC, ns, claim))? {
        Some(pvc) if !pvc.str_at("spec.volumeName").is_empty() => pvc.str_at("spec.volumeName").to_string(),
        _ => return Ok(None),
    };
    cluster.get_ref(&Key::new(&PV, "", &volume))
}

/// `util.IsPodTerminated`: finished, or being deleted with no container running.
fn terminated(pod: &Value) -> bool {
    if matches!(pod.str_at("status.phase"), "Succeeded" | "Failed") {
        return true;
    }
    let running = |field: &str| pod.array_at(field).iter().any(|s| s.at("state.running").is_some());
    pod.is_deleting() && !running("status.containerStatuses") && !running("status.initContainerStatuses")
}

/// Whether the attach/detach controller wants the pod's volumes on its node.
fn wants_volumes(pod: &Value) -> bool {
    !pod.str_at("spec.nodeName").is_empty() && !terminated(pod)
}

/// `util.IsMultiAttachAllowed` for a volume: only ReadWriteMany and ReadOnlyMany volumes.
fn multi_attach_allowed(pv: &Value) -> bool {
    pv.array_at("spec.accessModes").iter().any(|m| matches!(m.as_str(), Some("ReadWriteMany" | "ReadOnlyMany")))
}

/// The Multi-Attach message a pod in `namespace` gets for `volume`, naming the pods in its own
/// namespace that hold the volume and counting the others (reconciler.go `reportMultiAttachError`).
pub fn multi_attach_message(volume: &str, namespace: &str, holders: &[(String, String)]) -> String {
    let detail = if holders.is_empty() {
        "Volume is already exclusively attached to one node and can't be attached to another".to_string()
    } else {
        let local: Vec<&str> = holders.iter().filter(|(ns, _)| ns == namespace).map(|(_, n)| n.as_str()).collect();
        let others = holders.len() - local.len();
        if local.is_empty() {
            format!("Volume is already used by {others} pod(s) in different namespaces")
        } else if others > 0 {
            format!("Volume is already used by pod(s) {} and {others} pod(s) in different namespaces", local.join(", "))
        } else {
            format!("Volume is already used by pod(s) {}", local.join(", "))
        }
    };
    format!("Multi-Attach error for volume \"{volume}\" {detail}")
}

impl Controller for AttachDetach {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match change.key.kind {
            "Pod" => {
                let was = change.old.as_deref().filter(|p| wants_volumes(p));
                let is = change.object.as_deref().filter(|p| wants_volumes(p));
                // A pod that keeps its node and claims (most changes) changes nothing here.
                let unchanged = match (was, is) {
                    (Some(a), Some(b)) => a.str_at("spec.nodeName") == b.str_at("spec.nodeName") && same_claims(a, b),
                    (None, None) => true,
                    _ => false,
                };
                if unchanged {
                    return Ok(());
                }
                if let Some(users) = self.users.get_mut(&change.key.namespace) {
                    for claim in was.map(claims_of).unwrap_or_default() {
                        if let Some(pods) = users.get_mut(&claim) {
                            pods.remove(&change.key.name);
                        }
                    }
                    for claim in is.map(claims_of).unwrap_or_default() {
                        users.entry(claim).or_default().insert(change.key.name.clone());
                    }
                }
                let same_node = match (was, is) {
                    (Some(a), Some(b)) => a.str_at("spec.nodeName") == b.str_at("spec.nodeName"),
                    (None, None) => true,
                    _ => false,
                };
                if same_node {
                    return Ok(());
                }
                let pod = is.or(was);
                for claim in pod.map(claims_of).unwrap_or_default() {
                    let ns = change.key.namespace.as_str();
                    let volume = match cluster.get_ref(&Key::new(&PVC, ns, &claim))? {
                        Some(pvc) => pvc.str_at("spec.volumeName").to_string(),
                        None => continue,
                    };
                    if !volume.is_empty() {
                        queue.push(Key::new(&PV, "", &volume));
                    }
                }
            }
            "VolumeAttachment" => {
                if let Some(index) = &mut self.attachments {
                    index.observe(&change.key.name, change.old.as_deref(), change.object.as_deref());
                }
                let va = change.object.as_deref().or(change.old.as_deref());
                if let Some(pv) = va.map(|v| v.str_at("spec.source.persistentVolumeName")).filter(|p| !p.is_empty()) {
                    queue.push(Key::new(&PV, "", pv));
                }
            }
            "Node" => match (&change.old, &change.object) {
                (None, Some(node)) => ensure_csi_node(cluster, node)?,
                (Some(_), None) => {
                    let key = Key::new(&CSINODE, "", &change.key.name);
                    if cluster.get_ref(&key)?.is_some() {
                        cluster.aside(&key.name, |c| c.delete(&key, Propagation::Background, None).map(|_| ()))?;
                    }
                    self.queue_node_volumes(cluster, &change.key.name, queue)?;
                }
                _ => self.queue_node_volumes(cluster, &change.key.name, queue)?,
            },
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        // What is read of the volume, without copying it.
        let Some(pv) = cluster.get_ref(key)? else { return Ok(()) };
        let identity = csi_identity(pv);
        let (pv_name, multi_attach) = (pv.name().to_string(), multi_attach_allowed(pv));
        let (ns, claim) =
            (pv.str_at("spec.claimRef.namespace").to_string(), pv.str_at("spec.claimRef.name").to_string());
        let Some((driver, handle)) = attach_required(cluster, identity)? else { return Ok(()) };
        // Desired: the nodes of the pods (by name, all in `ns`) that use the volume.
        let mut desired: BTreeMap<String, Vec<String>> = BTreeMap::new();
        if !claim.is_empty() {
            for name in self.users_of(cluster, &ns, &claim)? {
                if let Some(pod) = cluster.get_ref(&Key::new(&POD, &ns, &name))?.filter(|p| wants_volumes(p)) {
                    desired.entry(pod.str_at("spec.nodeName").to_string()).or_default().push(name);
                }
            }
        }
        // Actual: the volume's attachments.
        let names = self.attachments_of(cluster, &pv_name)?;
        let attachments = current(cluster, &names)?;
        let mut next_check: Option<i64> = None;
        for va in &attachments {
            if desired.contains_key(&va.node) || va.deleting {
                continue;
            }
            if let Some(at) = self.detach(cluster, va)? {
                next_check = Some(next_check.map_or(at, |n: i64| n.min(at)));
            }
        }
        let mut attached_nodes: BTreeSet<String> = current(cluster, &names)?.into_iter().map(|va| va.node).collect();
        for (node, pod_names) in &desired {
            if attached_nodes.contains(node) {
                continue;
            }
            // The pods are only written about (nothing here changes them): shared, not copied.
            let mut pods = Vec::with_capacity(pod_names.len());
            for name in pod_names {
                pods.extend(cluster.get_shared(&Key::new(&POD, &ns, name))?);
            }
            let elsewhere: Vec<&String> = attached_nodes.iter().filter(|n| *n != node).collect();
            if !elsewhere.is_empty() && !multi_attach {
                let mut holders: Vec<(String, String)> = desired
                    .iter()
                    .filter(|(n, _)| elsewhere.contains(n))
                    .flat_map(|(_, ps)| ps.iter().map(|p| (ns.clone(), p.clone())))
                    .collect();
                holders.sort();
                for pod in &pods {
                    let msg = multi_attach_message(&pv_name, pod.namespace(), &holders);
                    if !cluster.has_event(pod, "FailedAttachVolume", &msg)? {
                        cluster.aside(pod.uid(), |c| c.warning(pod, ADC, "FailedAttachVolume", &msg))?;
                    }
                }
                continue;
            }
            attach(cluster, &pv_name, &driver, &handle, node, &pods)?;
            // A second node wanting it in the same pass is refused as a real controller refuses
            // it once this attach has started.
            attached_nodes.insert(node.clone());
        }
        match next_check {
            Some(at) => cluster.set_timer(key, Some(at)),
            None => Ok(()),
        }
    }
}

/// What a sync reads of a VolumeAttachment.
struct Attachment {
    name: String,
    node: String,
    attacher: String,
    deleting: bool,
}

/// The attachments of `names` that still exist.
fn current(cluster: &mut Cluster, names: &BTreeSet<String>) -> Result<Vec<Attachment>> {
    let mut out = Vec::new();
    for name in names {
        if let Some(va) = cluster.get_ref(&Key::new(&VOLUMEATTACHMENT, "", name))? {
            out.push(Attachment {
                name: name.clone(),
                node: va.str_at("spec.nodeName").to_string(),
                attacher: va.str_at("spec.attacher").to_string(),
                deleting: va.is_deleting(),
            });
        }
    }
    Ok(out)
}

impl AttachDetach {
    /// The pods of a namespace that want the claim's volume (the index is built once per command).
    fn users_of(&mut self, cluster: &mut Cluster, ns: &str, claim: &str) -> Result<BTreeSet<String>> {
        if !self.users.contains_key(ns) {
            cluster.load(&POD, Some(ns))?;
            let mut index: HashMap<String, BTreeSet<String>> = HashMap::new();
            for pod in cluster.iter(&POD, Some(ns)).filter(|p| wants_volumes(p)) {
                for c in claims_of(pod) {
                    index.entry(c).or_default().insert(pod.name().to_string());
                }
            }
            self.users.insert(ns.to_string(), index);
        }
        Ok(self.users.get(ns).and_then(|m| m.get(claim)).cloned().unwrap_or_default())
    }

    /// The cluster's attachments, indexed once per command.
    fn attachments(&mut self, cluster: &mut Cluster) -> Result<&index::Attachments> {
        if self.attachments.is_none() {
            self.attachments = Some(index::Attachments::build(cluster)?);
        }
        Ok(self.attachments.get_or_insert_default())
    }

    /// The names of a volume's attachments, from the store's index of attachments by volume
    /// (see `index_ref`) and this command's writes: one volume's sync reads its own.
    fn attachments_of(&mut self, cluster: &mut Cluster, pv: &str) -> Result<BTreeSet<String>> {
        Ok(cluster.map_by_ref(&VOLUMEATTACHMENT, pv, |va| Some(va.name().to_string()))?.into_iter().collect())
    }

    /// Queues the volumes attached to a node (its kubelet stopped or came back, its taints
    /// changed, or it is gone).
    fn queue_node_volumes(&mut self, cluster: &mut Cluster, node: &str, queue: &mut Vec<Key>) -> Result<()> {
        queue.extend(self.attachments(cluster)?.on_node(node).map(|pv| Key::new(&PV, "", pv)));
        Ok(())
    }

    /// Detaches a volume no pod on its node needs: at once when the node's kubelet has unmounted
    /// it, else once `maxWaitForUnmountDuration` has passed since the detach was wanted (or at
    /// once on an out-of-service node). Returns when to look again, if it must wait.
    fn detach(&self, cluster: &mut Cluster, va: &Attachment) -> Result<Option<i64>> {
        let node_name = va.node.as_str();
        let waited_key = format!("attachdetach/detach-requested/{}", va.name);
        let node = cluster.get_ref(&Key::new(&NODE, "", node_name))?;
        let exists = node.is_some();
        let out_of_service = node.is_some_and(|n| {
            n.array_at("spec.taints")
                .iter()
                .any(|t| t.str_at("key") == OUT_OF_SERVICE && t.str_at("effect") == "NoExecute")
        });
        let mounted = exists && kubelet_stopped(cluster, node_name)?;
        if mounted && !out_of_service {
            let now = cluster.now_ms();
            let mut since = cluster.counter(&waited_key)?;
            if since == 0 {
                since = now;
                cluster.add_counter(&waited_key, now)?;
            }
            if now < since + MAX_WAIT_FOR_UNMOUNT_MS {
                return Ok(Some(since + MAX_WAIT_FOR_UNMOUNT_MS));
            }
        }
        if cluster.counter(&waited_key)? != 0 {
            let v = cluster.counter(&waited_key)?;
            cluster.add_counter(&waited_key, -v)?;
        }
        let key = Key::new(&VOLUMEATTACHMENT, "", &va.name);
        let fin = finalizer(&va.attacher);
        cluster.aside(&va.name, |c| {
            c.delete(&key, Propagation::Background, None)?;
            // The external-attacher unpublishes the volume and lets the object go.
            c.remove_finalizer(&key, &fin)
        })?;
        Ok(None)
    }
}

/// Creates the attachment, lets the driver's attacher attach it, and tells the pods.
fn attach(cluster: &mut Cluster, pv: &str, driver: &str, handle: &str, node: &str, pods: &[Rc<Value>]) -> Result<()> {
    let name = attachment_name(handle, driver, node);
    let key = Key::new(&VOLUMEATTACHMENT, "", &name);
    let va = json!({
        "apiVersion": "storage.k8s.io/v1",
        "kind": "VolumeAttachment",
        "metadata": {"name": name},
        "spec": {"attacher": driver, "nodeName": node, "source": {"persistentVolumeName": pv}},
        "status": {"attached": false},
    });
    // The driver's node id, read without copying its entry.
    let node_id = cluster
        .get_ref(&Key::new(&CSINODE, "", node))?
        .and_then(|n| n.array_at("spec.drivers").iter().find(|d| d.str_at("name") == driver))
        .map(|d| d.str_at("nodeID").to_string());
    // Only the profile's drivers run an attacher; another driver's volume never attaches.
    let has_attacher = drivers::for_profile(cluster.profile.name).iter().any(|d| d.name == driver);
    let metadata = attachment_metadata(cluster, driver, node);
    let attached = cluster.aside(&name, |c| {
        c.create(va, "")?;
        let (Some(node_id), true) = (node_id, has_attacher) else { return Ok(false) };
        // The attacher marks the object as its own, attaches, then reports it.
        let Some(mut va) = c.get(&key)? else { return Ok(false) };
        set_annotation(&mut va, NODE_ID_ANNOTATION, &node_id);
        set_at(&mut va, "metadata.finalizers", json!([finalizer(driver)]));
        let mut va = (*c.update_status(va)?).clone();
        set_at(&mut va, "status.attached", json!(true));
        if let Some(m) = metadata {
            set_at(&mut va, "status.attachmentMetadata", m);
        }
        c.update_status(va)?;
        Ok(true)
    })?;
    if attached {
        let msg = format!("AttachVolume.Attach succeeded for volume \"{pv}\" ");
        for pod in pods {
            cluster.aside(pod.uid(), |c| c.normal(pod, ADC, "SuccessfulAttachVolume", &msg))?;
        }
    }
    Ok(())
}

/// What the driver's ControllerPublishVolume returns: EBS the device path, Azure Disk the LUN
/// (the next free one on the node); the others nothing.
fn attachment_metadata(cluster: &Cluster, driver: &str, node: &str) -> Option<Value> {
    if !matches!(driver, "ebs.csi.aws.com" | "disk.csi.azure.com") {
        return None;
    }
    let used = cluster
        .iter(&VOLUMEATTACHMENT, None)
        .filter(|va| va.str_at("spec.nodeName") == node && va.str_at("spec.attacher") == driver && !va.is_deleting())
        .count();
    match driver {
        "ebs.csi.aws.com" => {
            let letters = b"abcdefghijklmnopqrstuvwxyz";
            let (a, b) = (letters[(used / 26) % 26] as char, letters[used % 26] as char);
            Some(json!({"devicePath": format!("/dev/xvd{a}{b}")}))
        }
        "disk.csi.azure.com" => Some(json!({"LUN": used.to_string()})),
        _ => None,
    }
}

/// Registers the node's CSINode (the kubelet does so when it starts), if it has none.
pub fn ensure_csi_node(cluster: &mut Cluster, node: &Value) -> Result<()> {
    let key = Key::new(&CSINODE, "", node.name());
    if cluster.get_ref(&key)?.is_some() {
        return Ok(());
    }
    let obj = drivers::csi_node(cluster.profile.name, node);
    cluster.aside(node.name(), |c| c.create(obj, "").map(|_| ()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_names_are_sha256_of_handle_driver_node() {
        let name = attachment_name("vol", "drv", "node");
        assert_eq!(name.len(), 68);
        assert!(name.starts_with("csi-"));
        // sha256("voldrvnode"), as `printf voldrvnode | sha256sum` prints it.
        assert_eq!(name, "csi-75c705103da62dcfbf1148483950b24857cb1ef40a66c9b95b65683f00dbc90a");
    }

    #[test]
    fn finalizers_sanitize_the_driver_name() {
        assert_eq!(finalizer("ebs.csi.aws.com"), "external-attacher/ebs-csi-aws-com");
        assert_eq!(finalizer("diskplugin.csi.alibabacloud.com"), "external-attacher/diskplugin-csi-alibabacloud-com");
        assert_eq!(finalizer("a."), "external-attacher/a-X");
    }

    #[test]
    fn multi_attach_messages_hide_other_namespaces() {
        let holders = vec![("default".to_string(), "web-0".to_string()), ("other".to_string(), "x".to_string())];
        assert_eq!(
            multi_attach_message("pvc-1", "default", &holders[..1]),
            "Multi-Attach error for volume \"pvc-1\" Volume is already used by pod(s) web-0"
        );
        assert_eq!(
            multi_attach_message("pvc-1", "default", &holders),
            "Multi-Attach error for volume \"pvc-1\" Volume is already used by pod(s) web-0 and 1 pod(s) in different namespaces"
        );
        assert_eq!(
            multi_attach_message("pvc-1", "third", &holders),
            "Multi-Attach error for volume \"pvc-1\" Volume is already used by 2 pod(s) in different namespaces"
        );
        assert_eq!(
            multi_attach_message("pvc-1", "default", &[]),
            "Multi-Attach error for volume \"pvc-1\" Volume is already exclusively attached to one node and can't be attached to another"
        );
    }
}
