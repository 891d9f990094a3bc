//! Cluster profiles: the shape of a fresh cluster as one cloud or local tool makes it. A profile
//! names its nodes, labels and sizes them, sets their taints and the `-o wide` strings, lists the
//! StorageClasses (and which is the default) and the server's version. The profile is chosen when
//! the state directory is created and is kept in the store (as its index in [`ALL`]).

pub mod cloud;
mod local;

use serde_json::{json, Map, Value};

/// The resources a node reports (`status.capacity` and `status.allocatable`).
#[derive(Debug, Clone, Copy)]
pub struct Resources {
    pub cpu: &'static str,
    pub memory: &'static str,
    pub pods: &'static str,
    pub ephemeral_storage: &'static str,
}

impl Resources {
    pub fn to_json(self) -> Value {
        json!({"cpu": self.cpu, "ephemeral-storage": self.ephemeral_storage, "hugepages-1Gi": "0",
               "hugepages-2Mi": "0", "memory": self.memory, "pods": self.pods})
    }
}

/// What one node of a profile looks like, before the generated ids are filled in.
pub struct NodeShape {
    pub name: String,
    pub ip: String,
    pub labels: Map<String, Value>,
    pub annotations: Map<String, Value>,
    pub taints: Vec<Value>,
    /// `providerID`, given the generator's 17 hex digits (ACK's instance id).
    pub provider_id: Option<String>,
}

pub struct Profile {
    pub name: &'static str,
    /// What the profile stands for, as `kstate profile` prints it.
    pub title: &'static str,
    pub default_nodes: usize,
    pub region: &'static str,
    /// Zones nodes are spread over (round robin); empty when nodes carry no zone.
    pub zones: &'static [&'static str],
    pub server_version: &'static str,
    pub kubelet_version: &'static str,
    pub os_image: &'static str,
    pub kernel: &'static str,
    pub runtime: &'static str,
    pub capacity: Resources,
    pub allocatable: Resources,
    /// The API server's address (the `kubernetes` service's endpoint).
    pub apiserver_ip: &'static str,
    /// Node `i` of `total`.
    pub node: fn(&Profile, usize, usize) -> NodeShape,
    pub storage_classes: fn() -> Vec<Value>,
}

/// Every profile, in the order `kstate profile --list` prints them; the index is what the store keeps.
pub static ALL: [&Profile; 7] =
    [&cloud::ACK, &cloud::EKS, &cloud::GKE, &cloud::AKS, &local::KIND, &local::MINIKUBE, &local::K3S];

/// The most nodes a cluster may be created with.
pub const MAX_NODES: usize = 10_000;

pub fn by_name(name: &str) -> Option<&'static Profile> {
    ALL.iter().copied().find(|p| p.name == name)
}

pub fn by_index(i: i64) -> &'static Profile {
    usize::try_from(i).ok().and_then(|i| ALL.get(i)).copied().unwrap_or(&cloud::ACK)
}

pub fn index_of(profile: &Profile) -> i64 {
    ALL.iter().position(|p| p.name == profile.name).unwrap_or(0) as i64
}

/// The list of names, for error messages: `ack, eks, gke, aks, kind, minikube, k3s`.
pub fn names() -> String {
    ALL.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
}

impl Profile {
    /// The zone of node `i` (round robin), or `None` for zoneless profiles.
    pub fn zone(&self, i: usize) -> Option<&'static str> {
        (!self.zones.is_empty()).then(|| self.zones[i % self.zones.len()])
    }

    /// The labels every Linux node has.
    pub fn base_labels(&self, name: &str, instance_type: &str) -> Map<String, Value> {
        let mut m = Map::new();
        for (k, v) in [
            ("beta.kubernetes.io/arch", "amd64"),
            ("beta.kubernetes.io/os", "linux"),
            ("kubernetes.io/arch", "amd64"),
            ("kubernetes.io/hostname", name),
            ("kubernetes.io/os", "linux"),
        ] {
            m.insert(k.into(), json!(v));
        }
        if !instance_type.is_empty() {
            m.insert("node.kubernetes.io/instance-type".into(), json!(instance_type));
        }
        m
    }
}

/// Inserts `key=value` pairs into a label or annotation map.
pub fn put(m: &mut Map<String, Value>, pairs: &[(&str, &str)]) {
    for (k, v) in pairs {
        m.insert((*k).to_string(), json!(v));
    }
}

/// A StorageClass object.
pub fn storage_class(name: &str, provisioner: &str, binding: &str, expand: bool, params: Value) -> Value {
    let mut sc = json!({
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": name},
        "provisioner": provisioner,
        "reclaimPolicy": "Delete",
        "volumeBindingMode": binding,
    });
    if expand {
        sc["allowVolumeExpansion"] = json!(true);
    }
    if params.as_object().is_some_and(|m| !m.is_empty()) {
        sc["parameters"] = params;
    }
    sc
}

/// Marks a class as the cluster's default.
pub fn default_class(mut sc: Value) -> Value {
    sc["metadata"]["annotations"] = json!({"storageclass.kubernetes.io/is-default-class": "true"});
    sc
}

/// The `a.b.c.d` address `offset` places after `base` (`10.0.0.0` + 258 = `10.0.1.2`).
pub fn ipv4_plus(base: [u8; 4], offset: usize) -> String {
    let n = u32::from_be_bytes(base).wrapping_add(offset as u32);
    let [a, b, c, d] = n.to_be_bytes();
    format!("{a}.{b}.{c}.{d}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_is_found_by_name_and_index() {
        for (i, p) in ALL.iter().enumerate() {
            assert_eq!(by_name(p.name).map(|q| q.name), Some(p.name));
            assert_eq!(by_index(i as i64).name, p.name);
            assert_eq!(index_of(p), i as i64);
        }
        assert_eq!(by_index(99).name, "ack");
        assert!(by_name("openshift").is_none());
    }

    #[test]
    fn node_names_are_distinct_at_scale() {
        for p in ALL {
            let names: foldhash::HashSet<String> = (0..5000).map(|i| (p.node)(p, i, 5000).name).collect();
            assert_eq!(names.len(), 5000, "{}", p.name);
        }
    }

    #[test]
    fn every_profile_has_exactly_one_default_class_except_eks() {
        for p in ALL {
            let defaults = (p.storage_classes)()
                .iter()
                .filter(|sc| sc["metadata"]["annotations"]["storageclass.kubernetes.io/is-default-class"] == "true")
                .count();
            assert_eq!(defaults, usize::from(p.name != "eks"), "{}", p.name);
        }
    }

    #[test]
    fn addresses_carry_over_octets() {
        assert_eq!(ipv4_plus([10, 0, 0, 0], 258), "10.0.1.2");
        assert_eq!(ipv4_plus([192, 168, 0, 101], 0), "192.168.0.101");
    }
}
