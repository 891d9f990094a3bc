//! The clouds' own storage walkthroughs (snapshots, clones, resizing, class parameters, topology),
//! replayed command by command on the matching profile; each output compared byte for byte with
//! what kubectl v1.32 prints on a cluster of that cloud (names, handles and events as the
//! profile's CSI driver makes them). profile_docs.rs replays the pages that only provision.
//!
//! Pages:
//! - EKS: the aws-ebs-csi-driver's examples "Volume Snapshots", "Volume Resizing", "Volume
//!   Cloning" and "StorageClass" (examples/kubernetes/{snapshot,resizing,clone,storageclass} of
//!   kubernetes-sigs/aws-ebs-csi-driver).
//! - AKS: the azuredisk-csi-driver's "Volume online resize" (deploy/example/resize) and
//!   "Snapshot Feature" (deploy/example/snapshot) of kubernetes-sigs/azuredisk-csi-driver.
//! - GKE: the PD CSI driver's "Kubernetes Resize User Guide" and "Kubernetes Snapshots User
//!   Guide" (docs/kubernetes/user-guides of kubernetes-sigs/gcp-compute-persistent-disk-csi-driver).
//!
//! The manifests are the pages' (their licence headers left out); outputs a real cluster prints
//! while still converging (Pending claims, ages) are those of the converged cluster.

use crate::harness::{assert_text, step, Cluster};

/// A fresh cluster of `profile`.
fn on(profile: &str) -> Cluster {
    let c = Cluster::new();
    let mut cmd = c.command(&["profile"]);
    cmd.env("KSTATE_PROFILE", profile);
    assert!(cmd.output().expect("run kstate").status.success());
    c
}

/// Writes the page's manifests (`dir/file`, contents) next to the state; `kubectl apply -f dir`
/// then reads a directory's files in name order, as kubectl does.
fn tree(c: &Cluster, files: &[(&str, &str)]) {
    for (path, body) in files {
        let p = c.path_of(path);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir).expect("create manifest directory");
        }
        std::fs::write(&p, body).expect("write manifest");
    }
}

fn path(c: &Cluster, rel: &str) -> String {
    c.path_of(rel).to_string_lossy().into_owned()
}

/// The EBS examples' writer: a line with `date -u` every 5 seconds.
const EBS_APP: &str = "apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: app
    image: public.ecr.aws/amazonlinux/amazonlinux
    command: [\"/bin/sh\"]
    args: [\"-c\", \"while true; do echo $(date -u) >> /data/out.txt; sleep 5; done\"]
    volumeMounts:
    - name: persistent-storage
      mountPath: /data
  volumes:
  - name: persistent-storage
    persistentVolumeClaim:
      claimName: CLAIM
";

fn ebs_app(claim: &str) -> String {
    EBS_APP.replace("CLAIM", claim)
}

fn ebs_claim(name: &str, class: &str, extra: &str) -> String {
    format!(
        "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {name}
spec:
  accessModes:
    - ReadWriteOnce
  storageClassName: {class}
  resources:
    requests:
      storage: 4Gi
{extra}"
    )
}

fn claim_table(name: &str, volume: &str, size: &str, class: &str) -> String {
    let w = name.len().max(4);
    format!(
        "{:<w$}   STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n\
         {name:<w$}   Bound    {volume}   {size:<8}   RWO            {class:<12}   <unset>                 0s\n",
        "NAME"
    )
}

fn volume_of(c: &Cluster, claim: &str) -> String {
    c.ok(&["get", "pvc", claim, "-o", "jsonpath={.spec.volumeName}"])
}

#[test]
fn eks_ebs_snapshot_example_replays_and_leaves_nothing_behind() {
    let c = on("eks");
    tree(
        &c,
        &[
            (
                "manifests/classes/snapshotclass.yaml",
                "apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotClass\nmetadata:\n  name: csi-aws-vsc\ndriver: ebs.csi.aws.com\ndeletionPolicy: Delete\n",
            ),
            (
                "manifests/classes/storageclass.yaml",
                "kind: StorageClass\napiVersion: storage.k8s.io/v1\nmetadata:\n  name: ebs-sc\nprovisioner: ebs.csi.aws.com\nvolumeBindingMode: WaitForFirstConsumer\n",
            ),
            ("manifests/app/claim.yaml", &ebs_claim("ebs-claim", "ebs-sc", "")),
            ("manifests/app/pod.yaml", &ebs_app("ebs-claim")),
            (
                "manifests/snapshot/snapshot.yaml",
                "apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshot\nmetadata:\n  name: ebs-volume-snapshot\nspec:\n  volumeSnapshotClassName: csi-aws-vsc\n  source:\n    persistentVolumeClaimName: ebs-claim\n",
            ),
            (
                "manifests/snapshot-restore/claim.yaml",
                &ebs_claim(
                    "ebs-snapshot-restored-claim",
                    "ebs-sc",
                    "  dataSource:\n    name: ebs-volume-snapshot\n    kind: VolumeSnapshot\n    apiGroup: snapshot.storage.k8s.io\n",
                ),
            ),
            ("manifests/snapshot-restore/pod.yaml", &ebs_app("ebs-snapshot-restored-claim")),
        ],
    );
    let dir = |d: &str| path(&c, &format!("manifests/{d}/"));
    step(
        &c,
        &["apply", "-f", &dir("classes")],
        "volumesnapshotclass.snapshot.storage.k8s.io/csi-aws-vsc created\nstorageclass.storage.k8s.io/ebs-sc created\n",
    );
    step(&c, &["apply", "-f", &dir("app")], "persistentvolumeclaim/ebs-claim created\npod/app created\n");
    let pv = volume_of(&c, "ebs-claim");
    step(&c, &["get", "pvc", "ebs-claim"], &claim_table("ebs-claim", &pv, "4Gi", "ebs-sc"));
    step(&c, &["exec", "app", "--", "cat", "/data/out.txt"], "Fri Nov 27 09:00:00 UTC 2026\n");
    step(
        &c,
        &["apply", "-f", &dir("snapshot")],
        "volumesnapshot.snapshot.storage.k8s.io/ebs-volume-snapshot created\n",
    );
    let uid = c.ok(&["get", "vs", "ebs-volume-snapshot", "-o", "jsonpath={.metadata.uid}"]);
    let describe = c.ok(&["describe", "volumesnapshot.snapshot.storage.k8s.io", "ebs-volume-snapshot"]);
    let status = describe.split_once("Status:\n").map(|(_, s)| s).unwrap_or_default();
    assert_text(
        status,
        &format!(
            "  Bound Volume Snapshot Content Name:  snapcontent-{uid}
  Creation Time:                       2026-11-27T09:00:00Z
  Ready To Use:                        true
  Restore Size:                        4Gi
Events:
  Type    Reason            Age   From                 Message
  ----    ------            ----  ----                 -------
  Normal  CreatingSnapshot  0s    snapshot-controller  Waiting for a snapshot default/ebs-volume-snapshot to be created by the CSI driver.
  Normal  SnapshotCreated   0s    snapshot-controller  Snapshot default/ebs-volume-snapshot was successfully created by the CSI driver.
  Normal  SnapshotReady     0s    snapshot-controller  Snapshot default/ebs-volume-snapshot is ready to use.
"
        ),
    );
    let handle = c.ok(&["get", "vsc", &format!("snapcontent-{uid}"), "-o", "jsonpath={.status.snapshotHandle}"]);
    assert!(handle.starts_with("snap-") && handle.len() == 22, "{handle}");
    step(&c, &["delete", "-f", &dir("app")], "persistentvolumeclaim \"ebs-claim\" deleted\npod \"app\" deleted\n");
    // The deleted claim's volume went with it: EBS deleted the disk and let go of the volume.
    assert_eq!(
        c.run(&["get", "pv", &pv]).stderr,
        format!("Error from server (NotFound): persistentvolumes \"{pv}\" not found\n")
    );
    step(
        &c,
        &["apply", "-f", &dir("snapshot-restore")],
        "persistentvolumeclaim/ebs-snapshot-restored-claim created\npod/app created\n",
    );
    // The restored disk has the first pod's line (taken before the snapshot), then the new pod's.
    let restored = c.ok(&["exec", "app", "--", "cat", "/data/out.txt"]);
    assert!(restored.starts_with("Fri Nov 27 09:00:00 UTC 2026\n"), "{restored}");
    step(
        &c,
        &["delete", "-f", &dir("snapshot-restore")],
        "persistentvolumeclaim \"ebs-snapshot-restored-claim\" deleted\npod \"app\" deleted\n",
    );
    step(
        &c,
        &["delete", "-f", &dir("snapshot")],
        "volumesnapshot.snapshot.storage.k8s.io \"ebs-volume-snapshot\" deleted\n",
    );
    step(
        &c,
        &["delete", "-f", &dir("classes")],
        "volumesnapshotclass.snapshot.storage.k8s.io \"csi-aws-vsc\" deleted\nstorageclass.storage.k8s.io \"ebs-sc\" deleted\n",
    );
    let left = c.run(&["get", "pv,vsc,vs,pvc"]);
    assert_eq!((left.stdout.as_str(), left.stderr.as_str()), ("", "No resources found\n"));
}

#[test]
fn a_retained_csi_volume_is_not_held_by_the_provisioner() {
    // external-provisioner holds only the volumes it must delete; a retained one, deleted by its
    // administrator once released, goes at once.
    let c = on("eks");
    let class = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: keep}\nprovisioner: ebs.csi.aws.com\nreclaimPolicy: Retain\n";
    c.ok(&["create", "-f", &c.file("keep.yaml", class)]);
    c.ok(&["create", "-f", &c.file("claim.yaml", &ebs_claim("data", "keep", ""))]);
    let pv = volume_of(&c, "data");
    assert_eq!(c.ok(&["get", "pv", &pv, "-o", "jsonpath={.metadata.finalizers}"]), "[\"kubernetes.io/pv-protection\"]");
    c.ok(&["delete", "pvc", "data"]);
    assert_eq!(c.ok(&["get", "pv", &pv, "-o", "jsonpath={.status.phase}"]), "Released");
    step(&c, &["delete", "pv", &pv], &format!("persistentvolume \"{pv}\" deleted\n"));
    assert_eq!(c.run(&["get", "pv", &pv]).code, 1);
    // A Delete volume switched to Retain is let go of too.
    c.ok(&["create", "-f", &c.file("claim2.yaml", &ebs_claim("data2", "gp2", ""))]);
    c.ok(&["create", "-f", &c.file("app.yaml", &ebs_app("data2"))]);
    let pv = volume_of(&c, "data2");
    assert_eq!(
        c.ok(&["get", "pv", &pv, "-o", "jsonpath={.metadata.finalizers}"]),
        "[\"external-provisioner.volume.kubernetes.io/finalizer\",\"kubernetes.io/pv-protection\"]"
    );
    c.ok(&["patch", "pv", &pv, "-p", "{\"spec\":{\"persistentVolumeReclaimPolicy\":\"Retain\"}}"]);
    assert_eq!(c.ok(&["get", "pv", &pv, "-o", "jsonpath={.metadata.finalizers}"]), "[\"kubernetes.io/pv-protection\"]");
}
