//! One page of each cloud's (or tool's) own documentation, replayed with the outputs it shows on a
//! cluster of that profile (`kstate replay`, tests/cli/replay_docs/profiles/), then the cluster the
//! page left behind checked for that cloud's node names, volume names and handles, zones and
//! provisioning events.
//!
//! Pages (copied with their commands, manifests and outputs as published):
//! - EKS: the aws-ebs-csi-driver's "Dynamic Volume Provisioning" example,
//!   https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/aac6bda40d3464484d113cfc1be803032c673fce/examples/kubernetes/dynamic-provisioning/README.md
//! - AKS: "Create and use a volume with Azure Disks in Azure Kubernetes Service (AKS)",
//!   https://learn.microsoft.com/en-us/azure/aks/azure-csi-disk-storage-provision
//! - GKE: the GKE persistent disk CSI driver's "Kubernetes Basic User Guide", zonal PD on Linux,
//!   https://github.com/kubernetes-sigs/gcp-compute-persistent-disk-csi-driver/blob/master/docs/kubernetes/user-guides/basic.md
//! - k3s: the "Usage" of rancher/local-path-provisioner (k3s's `local-path` class),
//!   https://github.com/rancher/local-path-provisioner/blob/master/README.md#usage
//!
//! kind and minikube have no page of their own that provisions a claim from their default class
//! and shows the outputs (minikube's local-path tutorial needs its `storage-provisioner-rancher`
//! addon, which kstate does not simulate); their profiles are checked in profiles.rs.

use std::path::{Path, PathBuf};

use crate::harness::{replay_steps, verdicts, Cluster};

fn page_dir(profile: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/replay_docs/profiles").join(profile)
}

/// Replays `page` on a fresh cluster of `profile` kept in `c`'s state directory: each command's
/// line and verdict.
fn replay(c: &Cluster, profile: &str, page: &str, extra: &[&str]) -> Vec<(u64, String)> {
    replay_steps(c, &page_dir(profile), page, extra, Some(profile))
}

/// The message and source of the claim's ProvisioningSucceeded event.
fn provisioned(c: &Cluster, claim: &str) -> (String, String) {
    let sel = format!("reason=ProvisioningSucceeded,involvedObject.name={claim}");
    let get = |path: &str| {
        c.ok(&["get", "events", "--field-selector", &sel, "-o", &format!("jsonpath={{.items[0].{path}}}")])
    };
    (get("message"), get("source.component"))
}

fn scheduled_to(c: &Cluster, pod: &str) -> String {
    let sel = format!("reason=Scheduled,involvedObject.name={pod}");
    c.ok(&["get", "events", "--field-selector", &sel, "-o", "jsonpath={.items[0].message}"])
}

fn hex_uid(s: &str) -> bool {
    s.len() == 36 && s.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

#[test]
fn eks_ebs_dynamic_provisioning_example_replays() {
    let c = Cluster::new();
    let steps = replay(&c, "eks", "dynamic-provisioning.md", &[]);
    // The claim table lacks today's VOLUMEATTRIBUTESCLASS column: drift, not failure.
    assert_eq!(steps, verdicts(&[(18, "ok"), (27, "drift"), (35, "ok"), (43, "ok")]));
    assert_eq!(
        scheduled_to(&c, "app"),
        "Successfully assigned default/app to ip-192-168-0-100.eu-west-1.compute.internal"
    );
    let (message, source) = provisioned(&c, "ebs-claim");
    let volume = message.strip_prefix("Successfully provisioned volume pvc-").unwrap_or_default();
    assert!(hex_uid(volume), "{message}");
    assert!(source.starts_with("ebs.csi.aws.com_ebs-csi-controller-"), "{source}");
    // The page cleaned up after itself; its manifests again, to read the volume EBS made.
    let mut apply = c.command(&["apply", "-f", "manifests"]);
    apply.current_dir(page_dir("eks"));
    assert!(apply.output().expect("run kstate").status.success());
    let pv = c.ok(&["get", "pvc", "ebs-claim", "-o", "jsonpath={.spec.volumeName}"]);
    let handle = c.ok(&["get", "pv", &pv, "-o", "jsonpath={.spec.csi.volumeHandle}"]);
    assert!(handle.starts_with("vol-") && handle.len() == 21, "{handle}");
    assert_eq!(c.ok(&["get", "pv", &pv, "-o", "jsonpath={.spec.csi.driver}"]), "ebs.csi.aws.com");
    let zone = c.ok(&[
        "get",
        "pv",
        &pv,
        "-o",
        "jsonpath={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].key}={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}",
    ]);
    let node = c.ok(&["get", "pod", "app", "-o", "jsonpath={.spec.nodeName}"]);
    let node_zone = c.ok(&["get", "node", &node, "-o", "jsonpath={.metadata.labels.topology\\.kubernetes\\.io/zone}"]);
    assert_eq!(zone, format!("topology.kubernetes.io/zone={node_zone}"));
    assert!(node_zone.starts_with("eu-west-1"), "{node_zone}");
}

#[test]
fn aks_azure_disk_page_replays_but_for_what_older_clusters_showed() {
    let c = Cluster::new();
    let steps = replay(&c, "aks", "azure-disk-csi.md", &[]);
    // Line 13: the page shows two of the cluster's classes in an older kubectl's three columns.
    // Line 117: its describe shows the `default-token-*` Secret volume and SuccessfulMountVolume
    // events clusters before v1.24 had; today's pods mount a projected `kube-api-access-*` volume.
    assert_eq!(steps, verdicts(&[(13, "failed"), (45, "ok"), (61, "ok"), (105, "ok"), (117, "failed")]));
    assert_eq!(scheduled_to(&c, "mypod"), "Successfully assigned default/mypod to aks-nodepool1-18823728-vmss000000");
    let pv = c.ok(&["get", "pvc", "azure-managed-disk", "-o", "jsonpath={.spec.volumeName}"]);
    assert_eq!(
        c.ok(&["get", "pv", &pv, "-o", "jsonpath={.spec.csi.volumeHandle}"]),
        format!("/subscriptions/7e1f4c2a-9b3d-4e8f-a6c5-0d2b1e3f4a5c/resourceGroups/mc_kstate-rg_kstate-aks_eastus/providers/Microsoft.Compute/disks/{pv}")
    );
    assert_eq!(
        c.ok(&["get", "pv", &pv, "-o", "jsonpath={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].key}={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}"]),
        "topology.disk.csi.azure.com/zone="
    );
    let (message, source) = provisioned(&c, "azure-managed-disk");
    assert_eq!(message, format!("Successfully provisioned volume {pv}"));
    assert!(source.starts_with("disk.csi.azure.com_"), "{source}");
}

#[test]
fn k3s_local_path_provisioner_usage_replays() {
    let c = Cluster::new();
    let steps = replay(&c, "k3s", "local-path-provisioner.md", &["--mirror", "mirror"]);
    let want = [
        (10, "ok"),
        (11, "ok"),
        (16, "drift"),
        (23, "drift"),
        (30, "ok"),
        (37, "ok"),
        (42, "ok"),
        (47, "ok"),
        (52, "ok"),
        (58, "ok"),
        (59, "ok"),
    ];
    assert_eq!(steps, verdicts(&want));
    assert_eq!(
        scheduled_to(&c, "volume-test"),
        "Successfully assigned default/volume-test to k3d-k3s-default-server-0"
    );
    let (message, source) = provisioned(&c, "local-path-pvc");
    let pv = message.strip_prefix("Successfully provisioned volume ").unwrap_or_default().to_string();
    assert!(pv.starts_with("pvc-") && hex_uid(&pv[4..]), "{message}");
    assert!(source.starts_with("rancher.io/local-path_local-path-provisioner-"), "{source}");
    // The page deleted its claim, and the volume went with it (reclaim policy Delete).
    assert_eq!(c.run(&["get", "pv", &pv]).code, 1);
    // The same claim and pod again: k3s's `local` volume under its storage directory.
    let mirror =
        page_dir("k3s").join("mirror/raw.githubusercontent.com/rancher/local-path-provisioner/master/examples");
    for f in ["pvc/pvc.yaml", "pod/pod.yaml"] {
        c.ok(&["create", "-f", mirror.join(f).to_str().unwrap_or_default()]);
    }
    let pv = c.ok(&["get", "pvc", "local-path-pvc", "-o", "jsonpath={.spec.volumeName}"]);
    assert_eq!(
        c.ok(&["get", "pv", &pv, "-o", "jsonpath={.spec.local.path}"]),
        format!("/var/lib/rancher/k3s/storage/{pv}_default_local-path-pvc")
    );
    assert_eq!(
        c.ok(&[
            "get",
            "pv",
            &pv,
            "-o",
            "jsonpath={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}"
        ]),
        "k3d-k3s-default-server-0"
    );
}

#[test]
fn gke_pd_csi_basic_guide_replays() {
    let c = Cluster::new();
    let steps = replay(&c, "gke", "basic.md", &[]);
    assert_eq!(steps, verdicts(&[(15, "ok"), (21, "ok"), (26, "drift"), (33, "ok")]));
    let node = c.ok(&["get", "pod", "web-server", "-o", "jsonpath={.spec.nodeName}"]);
    assert!(node.starts_with("gke-kstate-default-pool-"), "{node}");
    assert_eq!(scheduled_to(&c, "web-server"), format!("Successfully assigned default/web-server to {node}"));
    let zone = c.ok(&["get", "node", &node, "-o", "jsonpath={.metadata.labels.topology\\.gke\\.io/zone}"]);
    assert!(zone.starts_with("us-central1-"), "{zone}");
    let pv = c.ok(&["get", "pvc", "podpvc", "-o", "jsonpath={.spec.volumeName}"]);
    assert_eq!(
        c.ok(&["get", "pv", &pv, "-o", "jsonpath={.spec.csi.volumeHandle}"]),
        format!("projects/kstate-project/zones/{zone}/disks/{pv}")
    );
    assert_eq!(
        c.ok(&["get", "pv", &pv, "-o", "jsonpath={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].key}={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}"]),
        format!("topology.gke.io/zone={zone}")
    );
    let (message, source) = provisioned(&c, "podpvc");
    assert_eq!(message, format!("Successfully provisioned volume {pv}"));
    assert!(source.starts_with("pd.csi.storage.gke.io_"), "{source}");
}
