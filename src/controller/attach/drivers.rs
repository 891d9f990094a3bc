//! The CSI drivers each profile installs, as their CSIDriver objects and as each node's kubelet
//! registers them in its CSINode (node id, topology keys, the attach limit the scheduler's
//! NodeVolumeLimits filter reads). Only the drivers kstate simulates are listed.

use serde_json::{json, Value};

use crate::api::ObjectExt;

/// One CSI driver of a profile.
pub struct Driver {
    pub name: &'static str,
    pub attach_required: bool,
    pub pod_info_on_mount: bool,
    /// `spec.fsGroupPolicy` as the driver's manifest sets it (`None`: the API default).
    pub fs_group_policy: Option<&'static str>,
    /// `spec.volumeLifecycleModes` as the manifest sets it (`None`: the API default).
    pub modes: Option<&'static [&'static str]>,
    /// The topology keys the node plugin reports (sorted, as the kubelet stores them).
    pub topology_keys: &'static [&'static str],
    /// The node plugin's volume limit (`allocatable.count`) on the profile's instance type.
    pub limit: Option<i64>,
    pub node_id: fn(&Value) -> String,
}

/// The in-tree plugins whose volumes CSI drivers serve in v1.32, as the kubelet lists them on
/// every CSINode (`storage.alpha.kubernetes.io/migrated-plugins`).
pub const MIGRATED_PLUGINS: &str = "kubernetes.io/aws-ebs,kubernetes.io/azure-disk,kubernetes.io/azure-file,kubernetes.io/cinder,kubernetes.io/gce-pd,kubernetes.io/portworx-volume,kubernetes.io/vsphere-volume";

/// The instance id at the end of a provider id (`cn-beijing.i-2ze…`, `aws:///eu-west-1a/i-0…`).
fn instance_id(node: &Value) -> String {
    let id = node.str_at("spec.providerID");
    let tail = id.rsplit(['/', '.']).next().unwrap_or("");
    if tail.starts_with("i-") {
        tail.to_string()
    } else {
        node.name().to_string()
    }
}

fn node_name(node: &Value) -> String {
    node.name().to_string()
}

/// `projects/<project>/zones/<zone>/instances/<name>`, from `gce://<project>/<zone>/<name>`.
fn gce_instance(node: &Value) -> String {
    let id = node.str_at("spec.providerID").trim_start_matches("gce://");
    let parts: Vec<&str> = id.split('/').collect();
    match parts.as_slice() {
        [project, zone, name] => format!("projects/{project}/zones/{zone}/instances/{name}"),
        _ => node.name().to_string(),
    }
}

const ACK_DISK: Driver = Driver {
    name: "diskplugin.csi.alibabacloud.com",
    attach_required: true,
    pod_info_on_mount: true,
    fs_group_policy: None,
    modes: None,
    topology_keys: &["topology.diskplugin.csi.alibabacloud.com/zone"],
    limit: Some(15),
    node_id: instance_id,
};

const EBS: Driver = Driver {
    name: "ebs.csi.aws.com",
    attach_required: true,
    pod_info_on_mount: false,
    fs_group_policy: Some("File"),
    modes: None,
    topology_keys: &["kubernetes.io/os", "topology.ebs.csi.aws.com/zone", "topology.kubernetes.io/zone"],
    limit: Some(25),
    node_id: instance_id,
};

const PD: Driver = Driver {
    name: "pd.csi.storage.gke.io",
    attach_required: true,
    pod_info_on_mount: false,
    fs_group_policy: None,
    modes: None,
    topology_keys: &["topology.gke.io/zone"],
    limit: Some(127),
    node_id: gce_instance,
};

const AZURE_DISK: Driver = Driver {
    name: "disk.csi.azure.com",
    attach_required: true,
    pod_info_on_mount: false,
    fs_group_policy: Some("File"),
    modes: None,
    topology_keys: &["topology.disk.csi.azure.com/zone"],
    limit: Some(8),
    node_id: node_name,
};

const AZURE_FILE: Driver = Driver {
    name: "file.csi.azure.com",
    attach_required: false,
    pod_info_on_mount: true,
    fs_group_policy: None,
    modes: Some(&["Persistent", "Ephemeral"]),
    topology_keys: &[],
    limit: None,
    node_id: node_name,
};

/// The CSI drivers of a profile (none for the local tools, whose provisioners use host paths).
pub fn for_profile(profile: &str) -> &'static [Driver] {
    match profile {
        "ack" => &[ACK_DISK],
        "eks" => &[EBS],
        "gke" => &[PD],
        "aks" => &[AZURE_DISK, AZURE_FILE],
        _ => &[],
    }
}

/// The driver's CSIDriver object, as its manifest writes it (the API server defaults the rest).
pub fn csi_driver(d: &Driver) -> Value {
    let mut spec = json!({"attachRequired": d.attach_required, "podInfoOnMount": d.pod_info_on_mount});
    if let Some(p) = d.fs_group_policy {
        spec["fsGroupPolicy"] = json!(p);
    }
    if let Some(m) = d.modes {
        spec["volumeLifecycleModes"] = json!(m);
    }
    json!({"apiVersion": "storage.k8s.io/v1", "kind": "CSIDriver", "metadata": {"name": d.name}, "spec": spec})
}

/// The CSINode the kubelet of `node` registers, with the profile's drivers.
pub fn csi_node(profile: &str, node: &Value) -> Value {
    let drivers: Vec<Value> = for_profile(profile)
        .iter()
        .map(|d| {
            let mut e = json!({"name": d.name, "nodeID": (d.node_id)(node)});
            if let Some(n) = d.limit {
                e["allocatable"] = json!({"count": n});
            }
            e["topologyKeys"] = if d.topology_keys.is_empty() { Value::Null } else { json!(d.topology_keys) };
            e
        })
        .collect();
    json!({
        "apiVersion": "storage.k8s.io/v1",
        "kind": "CSINode",
        "metadata": {
            "name": node.name(),
            "annotations": {"storage.alpha.kubernetes.io/migrated-plugins": MIGRATED_PLUGINS},
            "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": node.name(), "uid": node.uid()}],
        },
        "spec": {"drivers": if drivers.is_empty() { Value::Null } else { Value::Array(drivers) }},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_ids_come_from_the_provider_id() {
        let ack =
            json!({"metadata": {"name": "cn-beijing.192.168.0.101"}, "spec": {"providerID": "cn-beijing.i-2zeabc"}});
        assert_eq!(instance_id(&ack), "i-2zeabc");
        let eks = json!({"metadata": {"name": "ip-1"}, "spec": {"providerID": "aws:///eu-west-1a/i-0123"}});
        assert_eq!(instance_id(&eks), "i-0123");
        let gke = json!({"metadata": {"name": "gke-a"}, "spec": {"providerID": "gce://p/us-central1-a/gke-a"}});
        assert_eq!(gce_instance(&gke), "projects/p/zones/us-central1-a/instances/gke-a");
        assert_eq!(instance_id(&json!({"metadata": {"name": "n"}})), "n");
    }
}
