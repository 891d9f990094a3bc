//! The managed clouds: Alibaba Cloud ACK (kstate's original cluster), Amazon EKS, Google GKE and
//! Azure AKS, each with its node names, labels and sizes, and its disk StorageClasses.

use serde_json::{json, Map, Value};

use super::{default_class, ipv4_plus, put, storage_class, NodeShape, Profile, Resources};

pub static ACK: Profile = Profile {
    name: "ack",
    title: "Alibaba Cloud ACK (cn-beijing, ecs.g7.xlarge, Alibaba Cloud disk CSI)",
    default_nodes: 3,
    region: "cn-beijing",
    zones: &["cn-beijing-a", "cn-beijing-b", "cn-beijing-c"],
    server_version: "v1.32.1",
    kubelet_version: "v1.32.1",
    os_image: "Alibaba Cloud Linux 3.2104 U11 (OpenAnolis Edition)",
    kernel: "5.10.134-18.al8.x86_64",
    runtime: "containerd://1.7.24",
    capacity: Resources { cpu: "4", memory: "15950196Ki", pods: "110", ephemeral_storage: "123722704Ki" },
    allocatable: Resources { cpu: "3920m", memory: "13340020Ki", pods: "110", ephemeral_storage: "113014201201" },
    apiserver_ip: "192.168.0.100",
    node: ack_node,
    storage_classes: ack_classes,
};

/// `cn-beijing.192.168.i.(101+i)` for the first nodes, as kstate always named them.
fn ack_node(p: &Profile, i: usize, _total: usize) -> NodeShape {
    let ip = if i < 154 { format!("192.168.{i}.{}", 101 + i) } else { ipv4_plus([172, 16, 0, 0], i) };
    let name = format!("{}.{ip}", p.region);
    let zone = p.zone(i).unwrap_or_default();
    let mut labels = p.base_labels(&name, "ecs.g7.xlarge");
    put(
        &mut labels,
        &[
            ("topology.diskplugin.csi.alibabacloud.com/zone", zone),
            ("topology.kubernetes.io/region", p.region),
            ("topology.kubernetes.io/zone", zone),
        ],
    );
    NodeShape {
        name,
        ip,
        labels,
        annotations: Map::new(),
        taints: Vec::new(),
        provider_id: Some(format!("{}.i-2ze{{hex}}", p.region)),
    }
}

fn ack_class(name: &str, disk_type: &str, binding: &str) -> Value {
    storage_class(name, "diskplugin.csi.alibabacloud.com", binding, true, json!({"type": disk_type}))
}

fn ack_classes() -> Vec<Value> {
    vec![
        ack_class("alicloud-disk-available", "available", "Immediate"),
        ack_class("alicloud-disk-efficiency", "cloud_efficiency", "Immediate"),
        ack_class("alicloud-disk-essd", "cloud_essd", "Immediate"),
        ack_class("alicloud-disk-ssd", "cloud_ssd", "Immediate"),
        ack_class("alicloud-disk-topology", "available", "WaitForFirstConsumer"),
        ack_class("alicloud-disk-topology-alltype", "cloud_essd,cloud_ssd,cloud_efficiency", "WaitForFirstConsumer"),
        default_class(storage_class("standard", "rancher.io/local-path", "WaitForFirstConsumer", false, json!({}))),
    ]
}

/// Zone labels and their deprecated twins, which every cloud node still carries.
fn region_zone(labels: &mut Map<String, Value>, region: &str, zone: &str) {
    put(
        labels,
        &[
            ("failure-domain.beta.kubernetes.io/region", region),
            ("failure-domain.beta.kubernetes.io/zone", zone),
            ("topology.kubernetes.io/region", region),
            ("topology.kubernetes.io/zone", zone),
        ],
    );
}

pub static EKS: Profile = Profile {
    name: "eks",
    title: "Amazon EKS (eu-west-1, managed node group of m5.large, EBS CSI)",
    default_nodes: 3,
    region: "eu-west-1",
    zones: &["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    server_version: "v1.32.0-eks-5ca49cb",
    kubelet_version: "v1.32.0-eks-2e66e76",
    os_image: "Amazon Linux 2",
    kernel: "5.10.230-223.885.amzn2.x86_64",
    runtime: "containerd://1.7.23",
    capacity: Resources { cpu: "2", memory: "7824344Ki", pods: "29", ephemeral_storage: "20959212Ki" },
    allocatable: Resources { cpu: "1930m", memory: "7134168Ki", pods: "29", ephemeral_storage: "18242267924" },
    apiserver_ip: "192.168.120.45",
    node: eks_node,
    storage_classes: eks_classes,
};

/// One subnet per zone (192.168.0.0/19, .32.0/19, .64.0/19); the name is the EC2 private DNS name.
fn eks_node(p: &Profile, i: usize, _total: usize) -> NodeShape {
    let z = i % p.zones.len();
    let ip = ipv4_plus([192, 168, (32 * z) as u8, 0], 100 + (i / p.zones.len()) * 7);
    let name = format!("ip-{}.{}.compute.internal", ip.replace('.', "-"), p.region);
    let zone = p.zones[z];
    let mut labels = p.base_labels(&name, "m5.large");
    region_zone(&mut labels, p.region, zone);
    put(
        &mut labels,
        &[
            ("beta.kubernetes.io/instance-type", "m5.large"),
            ("eks.amazonaws.com/capacityType", "ON_DEMAND"),
            ("eks.amazonaws.com/nodegroup", "standard-workers"),
            ("eks.amazonaws.com/nodegroup-image", "ami-0c1f7e6b4a3d2e598"),
            ("eks.amazonaws.com/sourceLaunchTemplateId", "lt-0a4f3c2b1d9e8f765"),
            ("eks.amazonaws.com/sourceLaunchTemplateVersion", "1"),
            ("k8s.io/cloud-provider-aws", "6f3c1b2a9d8e7f6a5b4c3d2e1f0a9b8c"),
            ("topology.ebs.csi.aws.com/zone", zone),
            ("topology.k8s.aws/zone-id", ["euw1-az2", "euw1-az3", "euw1-az1"][z]),
        ],
    );
    NodeShape {
        name,
        ip,
        labels,
        annotations: Map::new(),
        taints: Vec::new(),
        provider_id: Some(format!("aws:///{zone}/i-{{hex}}")),
    }
}

fn eks_classes() -> Vec<Value> {
    // EKS 1.30 and later no longer mark gp2 as the default.
    vec![storage_class(
        "gp2",
        "kubernetes.io/aws-ebs",
        "WaitForFirstConsumer",
        false,
        json!({"fsType": "ext4", "type": "gp2"}),
    )]
}

pub static GKE: Profile = Profile {
    name: "gke",
    title: "Google GKE Standard (us-central1, regional, e2-standard-4, Compute Engine PD CSI)",
    default_nodes: 3,
    region: "us-central1",
    zones: &["us-central1-a", "us-central1-b", "us-central1-c"],
    server_version: "v1.32.1-gke.1357001",
    kubelet_version: "v1.32.1-gke.1357001",
    os_image: "Container-Optimized OS from Google",
    kernel: "6.6.56+",
    runtime: "containerd://1.7.24",
    capacity: Resources { cpu: "4", memory: "16390264Ki", pods: "110", ephemeral_storage: "98831908Ki" },
    allocatable: Resources { cpu: "3920m", memory: "13498416Ki", pods: "110", ephemeral_storage: "47060071478" },
    apiserver_ip: "10.128.0.2",
    node: gke_node,
    storage_classes: gke_classes,
};

/// Each zone's managed instance group has its own 8-hex id; the instance suffix is 4 characters.
fn gke_node(p: &Profile, i: usize, _total: usize) -> NodeShape {
    const GROUPS: [&str; 3] = ["3f2a9c1e", "7b4d0e85", "c61f2a47"];
    let z = i % p.zones.len();
    let name = format!("gke-kstate-default-pool-{}-{}", GROUPS[z], base36((i * 7919 + 46_301) % 1_679_616, 4));
    let ip = ipv4_plus([10, 128, 0, 3], i);
    let zone = p.zones[z];
    let mut labels = p.base_labels(&name, "e2-standard-4");
    region_zone(&mut labels, p.region, zone);
    put(
        &mut labels,
        &[
            ("beta.kubernetes.io/instance-type", "e2-standard-4"),
            ("cloud.google.com/gke-boot-disk", "pd-balanced"),
            ("cloud.google.com/gke-container-runtime", "containerd"),
            ("cloud.google.com/gke-cpu-scaling-level", "4"),
            ("cloud.google.com/gke-logging-variant", "DEFAULT"),
            ("cloud.google.com/gke-max-pods-per-node", "110"),
            ("cloud.google.com/gke-nodepool", "default-pool"),
            ("cloud.google.com/gke-os-distribution", "cos"),
            ("cloud.google.com/gke-provisioning", "standard"),
            ("cloud.google.com/gke-stack-type", "IPV4"),
            ("cloud.google.com/machine-family", "e2"),
            ("cloud.google.com/private-node", "false"),
            ("topology.gke.io/zone", zone),
        ],
    );
    let provider_id = format!("gce://kstate-project/{zone}/{name}");
    NodeShape { name, ip, labels, annotations: Map::new(), taints: Vec::new(), provider_id: Some(provider_id) }
}

/// `n` in base 36 (`0-9a-z`), left-padded with zeros to `width`.
fn base36(mut n: usize, width: usize) -> String {
    let digits = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = digits[n % 36];
        n /= 36;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn gke_classes() -> Vec<Value> {
    let pd = "pd.csi.storage.gke.io";
    vec![
        storage_class("premium-rwo", pd, "WaitForFirstConsumer", true, json!({"type": "pd-ssd"})),
        storage_class("standard", "kubernetes.io/gce-pd", "Immediate", true, json!({"type": "pd-standard"})),
        default_class(storage_class("standard-rwo", pd, "WaitForFirstConsumer", true, json!({"type": "pd-balanced"}))),
    ]
}

pub static AKS: Profile = Profile {
    name: "aks",
    title: "Azure AKS (eastus, no availability zones, Standard_DS2_v2, Azure Disk and Azure Files CSI)",
    default_nodes: 3,
    region: "eastus",
    zones: &["0"],
    server_version: "v1.32.0",
    kubelet_version: "v1.32.0",
    os_image: "Ubuntu 22.04.5 LTS",
    kernel: "5.15.0-1079-azure",
    runtime: "containerd://1.7.25-1",
    capacity: Resources { cpu: "2", memory: "7097684Ki", pods: "250", ephemeral_storage: "129886128Ki" },
    allocatable: Resources { cpu: "1900m", memory: "4652372Ki", pods: "250", ephemeral_storage: "119703055367" },
    apiserver_ip: "10.224.0.3",
    node: aks_node,
    storage_classes: aks_classes,
};

pub const AKS_RESOURCE_GROUP: &str = "MC_kstate-rg_kstate-aks_eastus";

/// Scale-set instances: `aks-nodepool1-<8 digits>-vmss` + the instance index in 6 base-36 digits.
fn aks_node(p: &Profile, i: usize, _total: usize) -> NodeShape {
    let name = format!("aks-nodepool1-18823728-vmss{}", base36(i, 6));
    let ip = ipv4_plus([10, 224, 0, 4], i);
    let mut labels = p.base_labels(&name, "Standard_DS2_v2");
    region_zone(&mut labels, p.region, "0");
    put(
        &mut labels,
        &[
            ("agentpool", "nodepool1"),
            ("beta.kubernetes.io/instance-type", "Standard_DS2_v2"),
            ("kubernetes.azure.com/agentpool", "nodepool1"),
            ("kubernetes.azure.com/cluster", AKS_RESOURCE_GROUP),
            ("kubernetes.azure.com/consolidated-additional-properties", "d8a7f0b3-2e41-4c6a-9f1e-5b7c2d3e4f50"),
            ("kubernetes.azure.com/kubelet-identity-client-id", "5f1c2d3e-4b6a-4c8d-9e0f-1a2b3c4d5e6f"),
            ("kubernetes.azure.com/mode", "system"),
            ("kubernetes.azure.com/node-image-version", "AKSUbuntu-2204gen2containerd-202501.12.0"),
            ("kubernetes.azure.com/nodepool-type", "VirtualMachineScaleSets"),
            ("kubernetes.azure.com/os-sku", "Ubuntu"),
            ("kubernetes.azure.com/role", "agent"),
            ("kubernetes.io/role", "agent"),
            ("node-role.kubernetes.io/agent", ""),
            ("node.kubernetes.io/exclude-from-external-load-balancers", "true"),
            ("storageprofile", "managed"),
            ("storagetier", "Premium_LRS"),
            ("topology.disk.csi.azure.com/zone", ""),
        ],
    );
    let provider_id = format!(
        "azure:///subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1-18823728-vmss/virtualMachines/{i}",
        AKS_SUBSCRIPTION,
        AKS_RESOURCE_GROUP.to_lowercase()
    );
    NodeShape { name, ip, labels, annotations: Map::new(), taints: Vec::new(), provider_id: Some(provider_id) }
}

pub const AKS_SUBSCRIPTION: &str = "7e1f4c2a-9b3d-4e8f-a6c5-0d2b1e3f4a5c";

fn aks_classes() -> Vec<Value> {
    let disk = "disk.csi.azure.com";
    let file = "file.csi.azure.com";
    let managed = |name: &str, sku: &str| {
        let mut sc = storage_class(name, disk, "WaitForFirstConsumer", true, json!({"skuname": sku}));
        sc["metadata"]["labels"] =
            json!({"addonmanager.kubernetes.io/mode": "EnsureExists", "kubernetes.io/cluster-service": "true"});
        sc
    };
    let files = |name: &str, sku: &str| {
        let mut sc = storage_class(name, file, "Immediate", true, json!({"skuName": sku}));
        sc["metadata"]["labels"] =
            json!({"addonmanager.kubernetes.io/mode": "EnsureExists", "kubernetes.io/cluster-service": "true"});
        sc["mountOptions"] = json!(["mfsymlinks", "actimeo=30", "nosharesock", "file_mode=0777", "dir_mode=0777"]);
        sc
    };
    let mut default = managed("default", "StandardSSD_LRS");
    default["metadata"]["annotations"] = json!({"storageclass.kubernetes.io/is-default-class": "true"});
    vec![
        files("azurefile", "Standard_LRS"),
        files("azurefile-csi", "Standard_LRS"),
        files("azurefile-csi-premium", "Premium_LRS"),
        files("azurefile-premium", "Premium_LRS"),
        default,
        managed("managed", "StandardSSD_LRS"),
        managed("managed-csi", "StandardSSD_LRS"),
        managed("managed-csi-premium", "Premium_LRS"),
        managed("managed-premium", "Premium_LRS"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ack_keeps_its_original_node_names() {
        let names: Vec<String> = (0..3).map(|i| ack_node(&ACK, i, 3).name).collect();
        assert_eq!(names, ["cn-beijing.192.168.0.101", "cn-beijing.192.168.1.102", "cn-beijing.192.168.2.103"]);
    }

    #[test]
    fn cloud_node_names_look_like_the_clouds() {
        assert_eq!(eks_node(&EKS, 0, 3).name, "ip-192-168-0-100.eu-west-1.compute.internal");
        assert_eq!(eks_node(&EKS, 4, 6).name, "ip-192-168-32-107.eu-west-1.compute.internal");
        assert_eq!(aks_node(&AKS, 0, 3).name, "aks-nodepool1-18823728-vmss000000");
        assert_eq!(aks_node(&AKS, 36, 40).name, "aks-nodepool1-18823728-vmss000010");
        assert!(gke_node(&GKE, 1, 3).name.starts_with("gke-kstate-default-pool-7b4d0e85-"));
        assert_eq!(base36(35, 2), "0z");
    }
}
