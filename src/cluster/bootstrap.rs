//! What a fresh cluster has before the user does anything: namespaces, the profile's Ready nodes
//! and StorageClasses (by default an ACK cluster: three nodes in three zones of one region, the
//! disk classes plus a local-path `standard` default), and the `kubernetes` and `kube-dns` services.

use serde_json::{json, Value};

use super::profile::{self, NodeShape, Profile};
use super::Cluster;
use crate::api::ObjectExt;
use crate::Result;

/// Where the profile's index is kept in the store.
pub const PROFILE_COUNTER: &str = "profile";

/// How a new state directory is created: its profile and node count (`KSTATE_PROFILE`,
/// `KSTATE_NODES`, or `kstate init`); `None` takes the defaults.
#[derive(Clone, Copy, Default)]
pub struct Bootstrap {
    pub profile: Option<&'static Profile>,
    pub nodes: Option<usize>,
}

/// The namespaces of a fresh cluster.
const NAMESPACES: [&str; 4] = ["default", "kube-node-lease", "kube-public", "kube-system"];

pub fn seed(c: &mut Cluster, boot: Bootstrap) -> Result<()> {
    let profile = boot.profile.unwrap_or(profile::ALL[0]);
    let total = boot.nodes.unwrap_or(profile.default_nodes);
    c.store_profile(profile)?;
    for ns in NAMESPACES {
        c.create(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}), "")?;
    }
    let shapes: Vec<NodeShape> = (0..total).map(|i| (profile.node)(profile, i, total)).collect();
    let mut nodes = Vec::with_capacity(shapes.len());
    for (i, shape) in shapes.iter().enumerate() {
        let node = node(c, profile, i, shape);
        nodes.push(c.create(node, "")?);
    }
    for sc in (profile.storage_classes)() {
        c.create(sc, "")?;
    }
    let kubernetes = c.create(kubernetes_service(), "default")?;
    let dns = c.create(kube_dns_service(), "kube-system")?;
    for obj in apiserver_endpoints(&kubernetes, profile.apiserver_ip) {
        c.create(obj, "default")?;
    }
    // No DNS pods are simulated: the kube-dns service has endpoints objects with no addresses.
    let labels = dns.at("metadata.labels").cloned().unwrap_or(json!({}));
    let mut slice_labels = labels.clone();
    slice_labels["endpointslice.kubernetes.io/managed-by"] = json!("endpointslice-controller.k8s.io");
    slice_labels["kubernetes.io/service-name"] = json!("kube-dns");
    c.create(
        json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "kube-dns", "labels": labels}}),
        "kube-system",
    )?;
    c.create(
        json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4", "endpoints": null,
               "metadata": {"generateName": "kube-dns-", "generation": 1, "labels": slice_labels,
                            "ownerReferences": [crate::api::object::controller_ref_to(&dns)]},
               "ports": [{"name": "dns-tcp", "port": 53, "protocol": "TCP"}, {"name": "dns", "port": 53, "protocol": "UDP"},
                         {"name": "metrics", "port": 9153, "protocol": "TCP"}]}),
        "kube-system",
    )?;
    for shape in &shapes {
        let lease = node_lease(c, &shape.name);
        c.create(lease, "kube-node-lease")?;
    }
    let mut addons = system_priority_classes();
    addons.extend(crate::controller::snapshot::classes_for_profile(profile.name));
    addons.extend(crate::controller::csi_drivers_for_profile(profile.name).iter().map(crate::controller::csi_driver));
    addons.extend(nodes.iter().map(|n| crate::controller::csi_node(profile.name, n)));
    // The service accounts controller's `default` account in each namespace (last: the add-ons
    // before them keep the resource versions they always had).
    addons.extend(NAMESPACES.iter().map(|ns| {
        let mut sa = crate::controller::serviceaccount::default_account();
        sa["metadata"]["namespace"] = json!(ns);
        sa
    }));
    // Last, so the add-ons above keep the resource versions they always had.
    addons.extend(bootstrap_rbac());
    install_addons(c, addons)
}

/// The API server's own PriorityClasses (`system-node-critical`, `system-cluster-critical`).
fn system_priority_classes() -> Vec<Value> {
    crate::api::validate::SYSTEM_CLASSES
        .iter()
        .map(|(name, value, description)| {
            json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name},
                   "value": value, "description": description, "preemptionPolicy": "PreemptLowerPriority"})
        })
        .collect()
}

/// The API server's bootstrap ClusterRoles and ClusterRoleBindings (`bootstrap_rbac.yaml`), the
/// aggregated roles already holding the rules the aggregation controller would give them.
fn bootstrap_rbac() -> Vec<Value> {
    let (mut objects, _) = crate::manifest::documents(include_str!("bootstrap_rbac.yaml"));
    for obj in &mut objects {
        obj["apiVersion"] = json!("rbac.authorization.k8s.io/v1");
        crate::api::object::set_annotation(obj, "rbac.authorization.kubernetes.io/autoupdate", "true");
        obj["metadata"]["labels"]["kubernetes.io/bootstrapping"] = json!("rbac-defaults");
    }
    // admin aggregates edit, which aggregates view: three rounds reach the fixed point.
    for _ in 0..3 {
        let roles: Vec<Value> = objects.iter().filter(|o| o.kind() == "ClusterRole").cloned().collect();
        for obj in &mut objects {
            if let Some(rules) = crate::controller::role_aggregation::aggregated_rules(obj, &roles) {
                obj["rules"] = Value::Array(rules);
            }
        }
    }
    objects
}

/// Stores the objects a profile's add-ons install (its VolumeSnapshotClasses, CSIDrivers, and
/// the CSINodes its kubelets register) outside the
/// sequence that seeds generated ids: they take uids of their own (derived from their names) and
/// give their resource versions back, so adding an add-on object to a profile leaves every id,
/// name and version a script sees exactly as it was.
fn install_addons(c: &mut Cluster, objects: Vec<Value>) -> Result<()> {
    let revision = c.revision;
    for obj in objects {
        // Cluster-scoped add-ons are salted by name alone, as they always were.
        let namespace = obj.namespace().to_string();
        let salted = if namespace.is_empty() { obj.name().to_string() } else { format!("{namespace}/{}", obj.name()) };
        let salt = salted.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
        let ids = std::mem::replace(&mut c.ids, crate::ids::Ids::new(Some(salt), 0));
        let created = c.create(obj, &namespace);
        c.ids = ids;
        created?;
    }
    c.revision = revision;
    Ok(())
}

/// The Lease a node's kubelet renews in `kube-node-lease`.
pub fn node_lease(c: &Cluster, node: &str) -> Value {
    let now = c.clock.now_rfc3339();
    json!({
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": node, "namespace": "kube-node-lease"},
        "spec": {"holderIdentity": node, "leaseDurationSeconds": 40, "renewTime": format!("{}.000000Z", now.trim_end_matches('Z'))},
    })
}

/// The API server publishes its own address behind the `kubernetes` service.
fn apiserver_endpoints(svc: &Value, ip: &str) -> [Value; 2] {
    [
        json!({
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": {"name": "kubernetes", "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
            "subsets": [{"addresses": [{"ip": ip}], "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}],
        }),
        json!({
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "addressType": "IPv4",
            "endpoints": [{"addresses": [ip], "conditions": {"ready": true}}],
            "metadata": {"name": "kubernetes", "generation": 1, "labels": {"kubernetes.io/service-name": "kubernetes"},
                         "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": "kubernetes", "uid": svc.uid()}]},
            "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}],
        }),
    ]
}

/// The node object of `shape`: the profile's sizes and `-o wide` strings, Ready conditions.
fn node(c: &mut Cluster, profile: &Profile, i: usize, shape: &NodeShape) -> Value {
    // The generator's draws keep their order (provider id, boot id, machine id, system uuid), so
    // a cluster made with the same seed has the same ids it always had.
    let hex = c.ids.hex(17);
    let cidr = format!("{}/24", profile::ipv4_plus([10, 244, 0, 0], i * 256));
    let mut annotations = serde_json::Map::new();
    profile::put(
        &mut annotations,
        &[("node.alpha.kubernetes.io/ttl", "0"), ("volumes.kubernetes.io/controller-managed-attach-detach", "true")],
    );
    annotations.extend(shape.annotations.clone());
    let mut obj = json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": shape.name, "annotations": annotations, "labels": shape.labels},
        "spec": {"podCIDR": cidr, "podCIDRs": [cidr]},
        "status": {
            "addresses": [
                {"address": shape.ip, "type": "InternalIP"},
                {"address": shape.name, "type": "Hostname"},
            ],
        },
    });
    if let Some(id) = &shape.provider_id {
        obj["spec"]["providerID"] = json!(id.replace("{hex}", &hex));
    }
    if !shape.taints.is_empty() {
        obj["spec"]["taints"] = json!(shape.taints);
    }
    fill_status(c, profile, &mut obj);
    obj
}

/// What a kubelet reports about its node: sizes, conditions, node info, daemon endpoint. Fields
/// the object already has are kept (a Node created through the API keeps what its manifest says).
pub fn fill_status(c: &mut Cluster, profile: &Profile, node: &mut Value) {
    let now = c.clock.now_rfc3339();
    let condition = |type_: &str, status: &str, reason: &str, message: &str| {
        json!({"lastHeartbeatTime": now, "lastTransitionTime": now, "message": message,
               "reason": reason, "status": status, "type": type_})
    };
    let info = json!({
        "architecture": "amd64",
        "bootID": c.ids.uid(),
        "containerRuntimeVersion": profile.runtime,
        "kernelVersion": profile.kernel,
        "kubeProxyVersion": profile.kubelet_version,
        "kubeletVersion": profile.kubelet_version,
        "machineID": c.ids.hex(32),
        "operatingSystem": "linux",
        "osImage": profile.os_image,
        "systemUUID": c.ids.uid(),
    });
    let defaults = json!({
        "allocatable": profile.allocatable.to_json(),
        "capacity": profile.capacity.to_json(),
        "conditions": [
            condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ],
        "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
        "nodeInfo": info,
    });
    if !node.get("status").is_some_and(Value::is_object) {
        node["status"] = json!({});
    }
    if let (Some(status), Value::Object(defaults)) = (node["status"].as_object_mut(), defaults) {
        for (k, v) in defaults {
            status.entry(k).or_insert(v);
        }
    }
}

fn kubernetes_service() -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "kubernetes", "labels": {"component": "apiserver", "provider": "kubernetes"}},
        "spec": {
            "clusterIP": "10.96.0.1",
            "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
            "sessionAffinity": "None",
            "type": "ClusterIP",
        },
    })
}

fn kube_dns_service() -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "kube-dns",
            "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"},
            "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"},
        },
        "spec": {
            "clusterIP": "10.96.0.10",
            "ports": [
                {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153},
            ],
            "selector": {"k8s-app": "kube-dns"},
            "type": "ClusterIP",
        },
    })
}
