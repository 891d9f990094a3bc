//! The clouds' own storage walkthroughs (snapshots, clones, resizing, class parameters, topology),
//! replayed command by command on the matching profile; each output compared byte for byte with
//! what kubectl v1.32 prints on a cluster of that cloud (names, handles and events as the
//! profile's CSI driver makes them). profile_docs.rs replays the pages that only provision.
//!
//! Pages:
//! - EKS: the aws-ebs-csi-driver's examples "Volume Snapshots", "Volume Resizing", "Volume
//!   Cloning", "StorageClass", "Raw Block Volume" and "Static Provisioning"
//!   (examples/kubernetes/{snapshot,resizing,clone,storageclass,block-volume,static-provisioning}
//!   of kubernetes-sigs/aws-ebs-csi-driver).
//! - AKS: the azuredisk-csi-driver's "Volume online resize", "Snapshot Feature" and "Volume
//!   Cloning Example" (deploy/example/{resize,snapshot,cloning} of kubernetes-sigs/azuredisk-csi-driver).
//! - GKE: the PD CSI driver's "Kubernetes Resize User Guide" and "Kubernetes Snapshots User
//!   Guide" (docs/kubernetes/user-guides of kubernetes-sigs/gcp-compute-persistent-disk-csi-driver),
//!   and GKE's "Provisioning regional persistent disks" (its zones as this cluster's).
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

/// An editor that raises the claim's request, as the pages' `kubectl edit` does by hand.
fn editor(c: &Cluster, from: &str, to: &str) -> String {
    let script = c.file("editor.sh", &format!("#!/bin/sh\nsed -i 's/storage: {from}$/storage: {to}/' \"$1\"\n"));
    let mut perms = std::fs::metadata(&script).expect("editor script").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&script, perms).expect("make the editor executable");
    script
}

fn edit(c: &Cluster, script: &str, args: &[&str]) -> String {
    let mut cmd = c.command(args);
    cmd.env("KUBE_EDITOR", script);
    let out = cmd.output().expect("run kstate edit");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn df(c: &Cluster, pod: &str, dir: &str, device: &str, size: &str, used: &str) {
    step(
        c,
        &["exec", pod, "--", "df", "-h", dir],
        &format!(
            "Filesystem      Size  Used Avail Use% Mounted on\n{device:<14} {size:>5} {used:>5} {size:>5}   1% {dir}\n"
        ),
    );
}

#[test]
fn eks_ebs_resizing_example_grows_the_volume_under_the_running_app() {
    let c = on("eks");
    tree(
        &c,
        &[
            ("manifests/claim.yaml", &ebs_claim("ebs-claim", "resize-sc", "")),
            ("manifests/pod.yaml", &ebs_app("ebs-claim")),
            (
                "manifests/storageclass.yaml",
                "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: resize-sc\nprovisioner: ebs.csi.aws.com\nallowVolumeExpansion: true\n",
            ),
        ],
    );
    let dir = path(&c, "manifests");
    step(
        &c,
        &["apply", "-f", &dir],
        "persistentvolumeclaim/ebs-claim created\npod/app created\nstorageclass.storage.k8s.io/resize-sc created\n",
    );
    let pv = volume_of(&c, "ebs-claim");
    step(&c, &["get", "pvc", "ebs-claim"], &claim_table("ebs-claim", &pv, "4Gi", "resize-sc"));
    // An EBS volume is the instance's next NVMe namespace; ext4 leaves 3.9G of 4 GiB.
    df(&c, "app", "/data", "/dev/nvme1n1", "3.9G", "25K");
    let script = editor(&c, "4Gi", "8Gi");
    assert_eq!(edit(&c, &script, &["edit", "pvc", "ebs-claim"]), "persistentvolumeclaim/ebs-claim edited\n");
    step(
        &c,
        &["get", "pv"],
        &format!(
            "NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM               STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE\n\
             {pv}   8Gi        RWO            Delete           Bound    default/ebs-claim   resize-sc      <unset>                          0s\n"
        ),
    );
    step(&c, &["get", "pvc"], &claim_table("ebs-claim", &pv, "8Gi", "resize-sc"));
    df(&c, "app", "/data", "/dev/nvme1n1", "7.9G", "25K");
    assert_eq!(c.ok(&["exec", "app", "--", "cat", "/data/out.txt"]), "Fri Nov 27 09:00:00 UTC 2026\n");
    step(
        &c,
        &["delete", "-f", &dir],
        "persistentvolumeclaim \"ebs-claim\" deleted\npod \"app\" deleted\nstorageclass.storage.k8s.io \"resize-sc\" deleted\n",
    );
    assert_eq!(c.run(&["get", "pv"]).stderr, "No resources found\n");
}

#[test]
fn eks_ebs_storageclass_example_provisions_only_in_its_allowed_zone() {
    // The page's class allows only us-east-2c: on a cluster in eu-west-1 no node can have the
    // volume, and the pod waits, as a real scheduler reports it. In an allowed zone of the
    // cluster the claim binds there, with the class's filesystem.
    let c = on("eks");
    let class = |zone: &str| {
        format!(
            "apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ebs-sc
provisioner: ebs.csi.aws.com
volumeBindingMode: WaitForFirstConsumer
parameters:
  csi.storage.k8s.io/fstype: xfs
  type: io1
  iopsPerGB: \"50\"
  encrypted: \"true\"
allowedTopologies:
- matchLabelExpressions:
  - key: topology.kubernetes.io/zone
    values:
    - {zone}
"
        )
    };
    tree(
        &c,
        &[
            ("manifests/claim.yaml", &ebs_claim("ebs-claim", "ebs-sc", "")),
            ("manifests/pod.yaml", &ebs_app("ebs-claim")),
            ("manifests/storageclass.yaml", &class("us-east-2c")),
        ],
    );
    let dir = path(&c, "manifests");
    step(
        &c,
        &["apply", "-f", &dir],
        "persistentvolumeclaim/ebs-claim created\npod/app created\nstorageclass.storage.k8s.io/ebs-sc created\n",
    );
    step(
        &c,
        &["get", "pvc", "ebs-claim"],
        "NAME        STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n\
         ebs-claim   Pending                                      ebs-sc         <unset>                 0s\n",
    );
    let events = |kind: &str, name: &str| {
        c.ok(&[
            "get",
            "events",
            "--field-selector",
            &format!("involvedObject.kind={kind},involvedObject.name={name}"),
            "-o",
            "custom-columns=REASON:.reason,MESSAGE:.message",
            "--no-headers",
        ])
    };
    assert_text(
        &events("Pod", "app"),
        "FailedScheduling   0/3 nodes are available: 3 node(s) didn't find available persistent volumes to bind. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.\n",
    );
    assert_text(
        &events("PersistentVolumeClaim", "ebs-claim"),
        "WaitForPodScheduled   waiting for pod app to be scheduled\n",
    );
    // The page says to adapt the class: the same, allowing a zone of the cluster.
    step(
        &c,
        &["delete", "-f", &dir],
        "persistentvolumeclaim \"ebs-claim\" deleted\npod \"app\" deleted\nstorageclass.storage.k8s.io \"ebs-sc\" deleted\n",
    );
    tree(&c, &[("manifests/storageclass.yaml", &class("eu-west-1b"))]);
    c.ok(&["apply", "-f", &dir]);
    let pv = volume_of(&c, "ebs-claim");
    step(&c, &["get", "pvc", "ebs-claim"], &claim_table("ebs-claim", &pv, "4Gi", "ebs-sc"));
    let node = c.ok(&["get", "pod", "app", "-o", "jsonpath={.spec.nodeName}"]);
    assert_eq!(node, "ip-192-168-32-100.eu-west-1.compute.internal");
    assert_eq!(
        c.ok(&[
            "get",
            "pv",
            &pv,
            "-o",
            "jsonpath={.spec.csi.fsType} {.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values}"
        ]),
        "xfs [\"eu-west-1b\"]"
    );
    step(
        &c,
        &["exec", "app", "--", "grep", "/data", "/proc/mounts"],
        "/dev/nvme1n1 /data xfs rw,relatime,attr2,inode64,logbufs=8,logbsize=32k,noquota 0 0\n",
    );
    // An immediate claim of such a class is made in an allowed zone at once.
    let immediate = class("eu-west-1c")
        .replace("name: ebs-sc", "name: now")
        .replace("volumeBindingMode: WaitForFirstConsumer\n", "");
    c.ok(&["create", "-f", &c.file("now.yaml", &immediate)]);
    c.ok(&["create", "-f", &c.file("now-claim.yaml", &ebs_claim("now", "now", ""))]);
    let pv = volume_of(&c, "now");
    assert_eq!(
        c.ok(&[
            "get",
            "pv",
            &pv,
            "-o",
            "jsonpath={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values}"
        ]),
        "[\"eu-west-1c\"]"
    );
}

#[test]
fn aks_azure_disk_online_resize_example_replays() {
    let c = on("aks");
    let sts = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: statefulset-azuredisk
  labels:
    app: nginx
spec:
  podManagementPolicy: Parallel
  serviceName: statefulset-azuredisk
  replicas: 1
  template:
    metadata:
      labels:
        app: nginx
    spec:
      nodeSelector:
        \"kubernetes.io/os\": linux
      containers:
        - name: statefulset-azuredisk
          image: mcr.microsoft.com/mirror/docker/library/nginx:1.23
          command:
            - \"/bin/bash\"
            - \"-c\"
            - set -euo pipefail; while true; do echo $(date) >> /mnt/azuredisk/outfile; sleep 1; done
          volumeMounts:
            - name: persistent-storage
              mountPath: /mnt/azuredisk
              readOnly: false
  updateStrategy:
    type: RollingUpdate
  selector:
    matchLabels:
      app: nginx
  volumeClaimTemplates:
    - metadata:
        name: persistent-storage
      spec:
        storageClassName: managed-csi
        accessModes: [\"ReadWriteOnce\"]
        resources:
          requests:
            storage: 10Gi
";
    step(&c, &["apply", "-f", &c.file("statefulset.yaml", sts)], "statefulset.apps/statefulset-azuredisk created\n");
    // An Azure data disk comes after the OS and temporary disks: /dev/sdc, 9.8G of ext4.
    df(&c, "statefulset-azuredisk-0", "/mnt/azuredisk", "/dev/sdc", "9.8G", "25K");
    let claim = "persistent-storage-statefulset-azuredisk-0";
    step(
        &c,
        &[
            "patch",
            "pvc",
            claim,
            "--type",
            "merge",
            "--patch",
            "{\"spec\": {\"resources\": {\"requests\": {\"storage\": \"15Gi\"}}}}",
        ],
        &format!("persistentvolumeclaim/{claim} patched\n"),
    );
    let pv = volume_of(&c, claim);
    step(&c, &["get", "pvc", claim], &claim_table(claim, &pv, "15Gi", "managed-csi"));
    df(&c, "statefulset-azuredisk-0", "/mnt/azuredisk", "/dev/sdc", "15G", "25K");
    // The page's events, with today's messages (external-resizer v1.x, kubelet naming the node).
    let events = c.ok(&[
        "get",
        "events",
        "--field-selector",
        &format!("involvedObject.name={claim}"),
        "-o",
        "jsonpath={range .items[*]}{.reason} | {.source.component} | {.message}{\"\\n\"}{end}",
    ]);
    let resize: Vec<&str> = events.lines().skip_while(|l| !l.starts_with("ExternalExpanding")).collect();
    assert_text(
        &resize.join("\n"),
        &format!(
            "ExternalExpanding | volume_expand | waiting for an external controller to expand this PVC
Resizing | external-resizer disk.csi.azure.com | External resizer is resizing volume {pv}
FileSystemResizeRequired | external-resizer disk.csi.azure.com | Require file system resize of volume on node
FileSystemResizeSuccessful | kubelet | MountVolume.NodeExpandVolume succeeded for volume \"{pv}\" aks-nodepool1-18823728-vmss000000"
        ),
    );
}

#[test]
fn gke_pd_resize_guide_replays() {
    // The guide's first step adds `allowVolumeExpansion: true` to its zonal class; without it the
    // edit is refused (kubectl reopens the editor with the error).
    let c = on("gke");
    let class = "apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: csi-gce-pd
provisioner: pd.csi.storage.gke.io
parameters:
  type: pd-standard
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
";
    let pod = "kind: PersistentVolumeClaim
apiVersion: v1
metadata:
  name: podpvc
spec:
  accessModes:
    - ReadWriteOnce
  storageClassName: csi-gce-pd
  resources:
    requests:
      storage: 6Gi

---

apiVersion: v1
kind: Pod
metadata:
  name: web-server
spec:
  containers:
   - name: web-server
     image: nginx
     volumeMounts:
       - mountPath: /var/lib/www/html
         name: mypvc
  volumes:
   - name: mypvc
     persistentVolumeClaim:
       claimName: podpvc
       readOnly: false
";
    step(
        &c,
        &["apply", "-f", &c.file("demo-zonal-sc.yaml", class)],
        "storageclass.storage.k8s.io/csi-gce-pd created\n",
    );
    step(
        &c,
        &["apply", "-f", &c.file("demo-pod.yaml", pod)],
        "persistentvolumeclaim/podpvc created\npod/web-server created\n",
    );
    let pv = volume_of(&c, "podpvc");
    step(&c, &["get", "pvc"], &claim_table("podpvc", &pv, "6Gi", "csi-gce-pd"));
    step(
        &c,
        &["get", "pods"],
        "NAME         READY   STATUS    RESTARTS   AGE\nweb-server   1/1     Running   0          0s\n",
    );
    // The guide's outputs: /dev/sdb, 5.9G before and 8.8G after (its 24M used is an older
    // kernel's count of a fresh ext4; today's shows 24K).
    df(&c, "web-server", "/var/lib/www/html", "/dev/sdb", "5.9G", "24K");
    let script = editor(&c, "6Gi", "9Gi");
    assert_eq!(edit(&c, &script, &["edit", "pvc", "podpvc"]), "persistentvolumeclaim/podpvc edited\n");
    df(&c, "web-server", "/var/lib/www/html", "/dev/sdb", "8.8G", "24K");
}

#[test]
fn gke_pd_snapshot_guide_replays_with_todays_api_version() {
    // The guide's manifests still say snapshot.storage.k8s.io/v1beta1, which external-snapshotter
    // v8 (GKE 1.32) no longer serves: kubectl finds no such kind. The same manifests in v1 work.
    let c = on("gke");
    let class = "apiVersion: snapshot.storage.k8s.io/VERSION\nkind: VolumeSnapshotClass\nmetadata:\n  name: csi-gce-pd-snapshot-class\ndriver: pd.csi.storage.gke.io\ndeletionPolicy: Delete\n";
    let beta = c.file("default-volumesnapshotclass.yaml", &class.replace("VERSION", "v1beta1"));
    let out = c.run(&["create", "-f", &beta]);
    assert_eq!(
        (out.stderr.as_str(), out.code),
        (
            format!("error: resource mapping not found for name: \"csi-gce-pd-snapshot-class\" namespace: \"\" from \"{beta}\": no matches for kind \"VolumeSnapshotClass\" in version \"snapshot.storage.k8s.io/v1beta1\"\nensure CRDs are installed first\n").as_str(),
            1
        )
    );
    c.ok(&["apply", "-f", &c.file("sc.yaml", "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: csi-gce-pd\nprovisioner: pd.csi.storage.gke.io\nparameters:\n  type: pd-standard\nvolumeBindingMode: WaitForFirstConsumer\n")]);
    step(
        &c,
        &["create", "-f", &c.file("vsclass.yaml", &class.replace("VERSION", "v1"))],
        "volumesnapshotclass.snapshot.storage.k8s.io/csi-gce-pd-snapshot-class created\n",
    );
    let claim = |name: &str, source: &str| {
        format!("kind: PersistentVolumeClaim\napiVersion: v1\nmetadata:\n  name: {name}\nspec:\n  accessModes:\n    - ReadWriteOnce\n  storageClassName: csi-gce-pd\n  resources:\n    requests:\n      storage: 6Gi\n{source}")
    };
    let pod = |name: &str, claim: &str, args: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: busybox\n    image: busybox\n{args}    volumeMounts:\n    - name: source-data\n      mountPath: /demo/data\n  volumes:\n  - name: source-data\n    persistentVolumeClaim:\n      claimName: {claim}\n      readOnly: false\n")
    };
    step(
        &c,
        &["create", "-f", &c.file("source-pvc.yaml", &claim("source-pvc", ""))],
        "persistentvolumeclaim/source-pvc created\n",
    );
    let writer = "    command: [\"/bin/sh\", \"-c\"]\n    args: [\"touch /demo/data/sample-file.txt && sleep 3000\"]\n";
    step(
        &c,
        &["create", "-f", &c.file("source-pod.yaml", &pod("source-pod", "source-pvc", writer))],
        "pod/source-pod created\n",
    );
    step(&c, &["exec", "source-pod", "--", "ls", "/demo/data/"], "lost+found\nsample-file.txt\n");
    let snapshot = "apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshot\nmetadata:\n  name: snapshot-source-pvc\nspec:\n  volumeSnapshotClassName: csi-gce-pd-snapshot-class\n  source:\n    persistentVolumeClaimName: source-pvc\n";
    step(
        &c,
        &["create", "-f", &c.file("snapshot.yaml", snapshot)],
        "volumesnapshot.snapshot.storage.k8s.io/snapshot-source-pvc created\n",
    );
    let yaml = c.ok(&["get", "volumesnapshot", "snapshot-source-pvc", "-o", "yaml"]);
    let uid = c.ok(&["get", "vs", "snapshot-source-pvc", "-o", "jsonpath={.metadata.uid}"]);
    let tail = yaml.split_once("spec:\n").map(|(_, t)| t).unwrap_or_default();
    assert_text(
        tail,
        &format!(
            "  source:
    persistentVolumeClaimName: source-pvc
  volumeSnapshotClassName: csi-gce-pd-snapshot-class
status:
  boundVolumeSnapshotContentName: snapcontent-{uid}
  creationTime: \"2026-11-27T09:00:00Z\"
  readyToUse: true
  restoreSize: 6Gi
"
        ),
    );
    assert_eq!(
        c.ok(&["get", "vsc", &format!("snapcontent-{uid}"), "-o", "jsonpath={.status.snapshotHandle}"]),
        format!("projects/kstate-project/global/snapshots/snapshot-{uid}")
    );
    let restore = "  dataSource:\n    kind: VolumeSnapshot\n    name: snapshot-source-pvc\n    apiGroup: snapshot.storage.k8s.io\n";
    step(
        &c,
        &["create", "-f", &c.file("restored-pvc.yaml", &claim("restored-pvc", restore))],
        "persistentvolumeclaim/restored-pvc created\n",
    );
    let sleeper = "    args:\n    - sleep\n    - \"3600\"\n";
    step(
        &c,
        &["create", "-f", &c.file("restored-pod.yaml", &pod("restored-pod", "restored-pvc", sleeper))],
        "pod/restored-pod created\n",
    );
    step(&c, &["exec", "restored-pod", "--", "ls", "/demo/data/"], "lost+found\nsample-file.txt\n");
}

#[test]
fn eks_ebs_block_volume_example_keeps_its_pod_running() {
    // The pod only keeps the block device attached, with `tail -f /dev/null`, which never ends.
    let mut c = on("eks");
    let pod = "apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: app
    image: public.ecr.aws/amazonlinux/amazonlinux
    command: [\"/bin/sh\", \"-c\"]
    args: [\"tail -f /dev/null\"]
    volumeDevices:
    - name: data
      devicePath: /dev/xvda
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: block-claim
";
    tree(
        &c,
        &[
            ("manifests/claim.yaml", &ebs_claim("block-claim", "ebs-sc", "").replace("  storageClassName", "  volumeMode: Block\n  storageClassName")),
            ("manifests/pod.yaml", pod),
            (
                "manifests/storageclass.yaml",
                "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: ebs-sc\nprovisioner: ebs.csi.aws.com\nvolumeBindingMode: WaitForFirstConsumer\n",
            ),
        ],
    );
    let dir = path(&c, "manifests");
    step(
        &c,
        &["apply", "-f", &dir],
        "persistentvolumeclaim/block-claim created\npod/app created\nstorageclass.storage.k8s.io/ebs-sc created\n",
    );
    let pv = volume_of(&c, "block-claim");
    step(&c, &["get", "pvc", "block-claim"], &claim_table("block-claim", &pv, "4Gi", "ebs-sc"));
    assert_eq!(c.ok(&["get", "pv", &pv, "-o", "jsonpath={.spec.volumeMode}"]), "Block");
    c.at("2026-11-27T09:10:00Z");
    step(
        &c,
        &["get", "pod", "app"],
        "NAME   READY   STATUS    RESTARTS   AGE\napp    1/1     Running   0          10m\n",
    );
    step(
        &c,
        &["delete", "-f", &dir],
        "persistentvolumeclaim \"block-claim\" deleted\npod \"app\" deleted\nstorageclass.storage.k8s.io \"ebs-sc\" deleted\n",
    );
}

#[test]
fn gke_regional_pd_page_replicates_to_two_zones_and_fails_over() {
    // GKE's "Provisioning regional persistent disks": a class with `replication-type:
    // regional-pd` limited to two zones (the page's europe-west1-b/c, as this cluster's
    // us-central1-b/c). The disk lives in the region; a pod can use it from either zone.
    let c = on("gke");
    let class = "kind: StorageClass
apiVersion: storage.k8s.io/v1
metadata:
  name: regionalpd-storageclass
provisioner: pd.csi.storage.gke.io
parameters:
  type: pd-balanced
  replication-type: regional-pd
volumeBindingMode: WaitForFirstConsumer
allowedTopologies:
- matchLabelExpressions:
  - key: topology.gke.io/zone
    values:
    - us-central1-b
    - us-central1-c
";
    let claim = "kind: PersistentVolumeClaim
apiVersion: v1
metadata:
  name: regional-pvc
spec:
  accessModes:
  - ReadWriteOnce
  resources:
    requests:
      storage: 500Gi
  storageClassName: regionalpd-storageclass
";
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n  - {name: c, image: nginx, volumeMounts: [{name: d, mountPath: /data}]}\n  volumes: [{name: d, persistentVolumeClaim: {claimName: regional-pvc}}]\n";
    step(
        &c,
        &["apply", "-f", &c.file("sc.yaml", class)],
        "storageclass.storage.k8s.io/regionalpd-storageclass created\n",
    );
    step(&c, &["apply", "-f", &c.file("pvc.yaml", claim)], "persistentvolumeclaim/regional-pvc created\n");
    step(
        &c,
        &["get", "pvc", "regional-pvc"],
        "NAME           STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS              VOLUMEATTRIBUTESCLASS   AGE\n\
         regional-pvc   Pending                                      regionalpd-storageclass   <unset>                 0s\n",
    );
    let pod_file = c.file("pod.yaml", pod);
    c.ok(&["apply", "-f", &pod_file]);
    let pv = volume_of(&c, "regional-pvc");
    let node = c.ok(&["get", "pod", "app", "-o", "jsonpath={.spec.nodeName}"]);
    // The first node of an allowed zone (us-central1-a's node finds no volume).
    assert_eq!(node, "gke-kstate-default-pool-7b4d0e85-15u4");
    assert_eq!(
        c.ok(&["get", "pv", &pv, "-o", "jsonpath={.spec.csi.volumeHandle}"]),
        format!("projects/kstate-project/regions/us-central1/disks/{pv}")
    );
    let describe = c.ok(&["describe", "pv", &pv]);
    assert!(
        describe.contains(
            "Node Affinity:     \n  Required Terms:  \n    Term 0:        topology.gke.io/zone in [us-central1-b]\n    Term 1:        topology.gke.io/zone in [us-central1-c]\n"
        ),
        "{describe}"
    );
    // The zone's node goes out of service: the pod comes back in the other zone, same disk.
    c.ok(&["exec", "app", "--", "sh", "-c", "echo kept > /data/f"]);
    c.ok(&["cordon", &node]);
    c.ok(&["delete", "pod", "app"]);
    c.ok(&["apply", "-f", &pod_file]);
    assert_eq!(
        c.ok(&["get", "pod", "app", "-o", "jsonpath={.spec.nodeName}"]),
        "gke-kstate-default-pool-c61f2a47-1by3"
    );
    assert_eq!(c.ok(&["exec", "app", "--", "cat", "/data/f"]), "kept\n");
}

#[test]
fn aks_azure_disk_snapshot_and_clone_examples_replay() {
    // AKS ships `managed-csi` (with `skuname` in lower case) and `csi-azuredisk-vsc`: the page's
    // own copies are refused (a class's parameters cannot change) and taken over (the snapshot
    // class, identical but for kubectl's annotation), as on a real AKS cluster.
    let c = on("aks");
    let class = "apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: managed-csi
provisioner: disk.csi.azure.com
parameters:
  skuName: StandardSSD_LRS
reclaimPolicy: Delete
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
";
    let missing = |kind: &str, name: &str| {
        format!("Warning: resource {kind}/{name} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n")
    };
    let out = c.run(&["apply", "-f", &c.file("storageclass-azuredisk-csi.yaml", class)]);
    assert_eq!(
        (out.stderr, out.code),
        (
            format!(
                "{}The StorageClass \"managed-csi\" is invalid: parameters: Forbidden: updates to parameters are forbidden.\n",
                missing("storageclasses", "managed-csi")
            ),
            1
        )
    );
    let claim = |name: &str, source: &str| {
        format!("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: {name}\nspec:\n  accessModes:\n    - ReadWriteOnce\n  storageClassName: managed-csi\n  resources:\n    requests:\n      storage: 10Gi\n{source}")
    };
    let pod = |name: &str, claim: &str, run: &str| {
        format!("kind: Pod\napiVersion: v1\nmetadata:\n  name: {name}\nspec:\n  nodeSelector:\n    kubernetes.io/os: linux\n  containers:\n    - image: mcr.microsoft.com/mirror/docker/library/nginx:1.23\n      name: {name}\n{run}      volumeMounts:\n        - name: azuredisk01\n          mountPath: \"/mnt/azuredisk\"\n  volumes:\n    - name: azuredisk01\n      persistentVolumeClaim:\n        claimName: {claim}\n")
    };
    let writer = "      command:\n        - \"/bin/sh\"\n        - \"-c\"\n        - while true; do echo $(date) >> /mnt/azuredisk/outfile; sleep 1; done\n";
    let sleeper = "      args:\n        - sleep\n        - \"3600\"\n";
    step(
        &c,
        &["apply", "-f", &c.file("pvc.yaml", &claim("pvc-azuredisk", ""))],
        "persistentvolumeclaim/pvc-azuredisk created\n",
    );
    step(
        &c,
        &["apply", "-f", &c.file("pod.yaml", &pod("nginx-azuredisk", "pvc-azuredisk", writer))],
        "pod/nginx-azuredisk created\n",
    );
    step(&c, &["exec", "nginx-azuredisk", "--", "ls", "/mnt/azuredisk"], "lost+found\noutfile\n");
    let vsc = "apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotClass\nmetadata:\n  name: csi-azuredisk-vsc\ndriver: disk.csi.azure.com\ndeletionPolicy: Delete\nparameters:\n  incremental: \"true\"\n";
    let out = c.run(&["apply", "-f", &c.file("vsc.yaml", vsc)]);
    assert_eq!(
        (out.stdout.as_str(), out.stderr),
        (
            "volumesnapshotclass.snapshot.storage.k8s.io/csi-azuredisk-vsc configured\n",
            missing("volumesnapshotclasses", "csi-azuredisk-vsc")
        )
    );
    let snapshot = "apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshot\nmetadata:\n  name: azuredisk-volume-snapshot\nspec:\n  volumeSnapshotClassName: csi-azuredisk-vsc\n  source:\n    persistentVolumeClaimName: pvc-azuredisk\n";
    step(
        &c,
        &["apply", "-f", &c.file("vs.yaml", snapshot)],
        "volumesnapshot.snapshot.storage.k8s.io/azuredisk-volume-snapshot created\n",
    );
    let uid = c.ok(&["get", "vs", "azuredisk-volume-snapshot", "-o", "jsonpath={.metadata.uid}"]);
    let describe = c.ok(&["describe", "volumesnapshot", "azuredisk-volume-snapshot"]);
    assert!(
        describe.contains(&format!(
            "Status:\n  Bound Volume Snapshot Content Name:  snapcontent-{uid}\n  Creation Time:                       2026-11-27T09:00:00Z\n  Ready To Use:                        true\n  Restore Size:                        10Gi\n"
        )),
        "{describe}"
    );
    let restore = "  dataSource:\n    name: azuredisk-volume-snapshot\n    kind: VolumeSnapshot\n    apiGroup: snapshot.storage.k8s.io\n";
    step(
        &c,
        &["apply", "-f", &c.file("restored.yaml", &claim("pvc-azuredisk-snapshot-restored", restore))],
        "persistentvolumeclaim/pvc-azuredisk-snapshot-restored created\n",
    );
    step(
        &c,
        &[
            "apply",
            "-f",
            &c.file("restored-pod.yaml", &pod("nginx-restored", "pvc-azuredisk-snapshot-restored", sleeper)),
        ],
        "pod/nginx-restored created\n",
    );
    step(&c, &["exec", "nginx-restored", "--", "ls", "/mnt/azuredisk"], "lost+found\noutfile\n");
    let clone = "  dataSource:\n    kind: PersistentVolumeClaim\n    name: pvc-azuredisk\n";
    step(
        &c,
        &["apply", "-f", &c.file("clone.yaml", &claim("pvc-azuredisk-cloning", clone))],
        "persistentvolumeclaim/pvc-azuredisk-cloning created\n",
    );
    step(
        &c,
        &["apply", "-f", &c.file("clone-pod.yaml", &pod("nginx-restored-cloning", "pvc-azuredisk-cloning", sleeper))],
        "pod/nginx-restored-cloning created\n",
    );
    step(&c, &["exec", "nginx-restored-cloning", "--", "ls", "/mnt/azuredisk"], "lost+found\noutfile\n");
    let pv = volume_of(&c, "pvc-azuredisk-cloning");
    assert_eq!(
        c.ok(&[
            "get",
            "events",
            "--field-selector",
            "reason=ProvisioningSucceeded,involvedObject.name=pvc-azuredisk-cloning",
            "-o",
            "jsonpath={.items[0].message}"
        ]),
        format!("Successfully provisioned volume {pv}")
    );
}

#[test]
fn eks_ebs_static_provisioning_example_needs_the_volumes_zone() {
    // The page's volume sits in us-east-2c: no node of this eu-west-1 cluster can use it. Edited
    // to a zone of the cluster (as the page says), the pod starts on that zone's node.
    let c = on("eks");
    let pv = |zone: &str| {
        format!(
            "apiVersion: v1
kind: PersistentVolume
metadata:
  name: test-pv
spec:
  accessModes:
  - ReadWriteOnce
  capacity:
    storage: 5Gi
  csi:
    driver: ebs.csi.aws.com
    fsType: ext4
    volumeHandle: vol-03c604538dd7d2f41
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions:
            - key: topology.kubernetes.io/zone
              operator: In
              values:
                - {zone}
"
        )
    };
    let claim = "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ebs-claim
spec:
  storageClassName: \"\"
  volumeName: test-pv
  accessModes:
    - ReadWriteOnce
  resources:
    requests:
      storage: 5Gi
";
    tree(
        &c,
        &[
            ("manifests/claim.yaml", claim),
            ("manifests/pod.yaml", &ebs_app("ebs-claim")),
            ("manifests/pv.yaml", &pv("us-east-2c")),
        ],
    );
    let dir = path(&c, "manifests");
    let created = "persistentvolumeclaim/ebs-claim created\npod/app created\npersistentvolume/test-pv created\n";
    step(&c, &["apply", "-f", &dir], created);
    let table = "NAME        STATUS   VOLUME    CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n\
                 ebs-claim   Bound    test-pv   5Gi        RWO                           <unset>                 0s\n";
    step(&c, &["get", "pvc", "ebs-claim"], table);
    assert_eq!(
        c.ok(&["get", "events", "--field-selector", "involvedObject.name=app", "-o", "jsonpath={.items[*].message}"]),
        "0/3 nodes are available: 3 node(s) had volume node affinity conflict. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    );
    step(
        &c,
        &["delete", "-f", &dir],
        "persistentvolumeclaim \"ebs-claim\" deleted\npod \"app\" deleted\npersistentvolume \"test-pv\" deleted\n",
    );
    tree(&c, &[("manifests/pv.yaml", &pv("eu-west-1c"))]);
    step(&c, &["apply", "-f", &dir], created);
    step(&c, &["get", "pvc", "ebs-claim"], table);
    assert_eq!(
        c.ok(&["get", "pod", "app", "-o", "jsonpath={.spec.nodeName}"]),
        "ip-192-168-64-100.eu-west-1.compute.internal"
    );
    step(&c, &["exec", "app", "--", "cat", "/data/out.txt"], "Fri Nov 27 09:00:00 UTC 2026\n");
    df(&c, "app", "/data", "/dev/nvme1n1", "4.9G", "25K");
    step(
        &c,
        &["delete", "-f", &dir],
        "persistentvolumeclaim \"ebs-claim\" deleted\npod \"app\" deleted\npersistentvolume \"test-pv\" deleted\n",
    );
}

#[test]
fn eks_ebs_clone_example_replays() {
    let c = on("eks");
    let clone_pod = "apiVersion: v1
kind: Pod
metadata:
  name: clone-app
spec:
  containers:
  - name: clone-app
    image: public.ecr.aws/amazonlinux/amazonlinux
    command: [\"/bin/sh\"]
    args: [\"-c\", \"echo 'Cloned data:'; cat /data/out.txt; echo 'Adding new data to clone...'; while true; do echo $(date -u) >> /data/clone-out.txt; sleep 5; done\"]
    volumeMounts:
    - name: persistent-storage
      mountPath: /data
  volumes:
  - name: persistent-storage
    persistentVolumeClaim:
      claimName: ebs-clone-claim
";
    tree(
        &c,
        &[
            (
                "manifests/classes/storageclass.yaml",
                "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: ebs-sc\nprovisioner: ebs.csi.aws.com\nparameters:\n  encrypted: \"true\"\nvolumeBindingMode: WaitForFirstConsumer\n",
            ),
            ("manifests/app/claim.yaml", &ebs_claim("ebs-claim", "ebs-sc", "")),
            ("manifests/app/pod.yaml", &ebs_app("ebs-claim")),
            ("manifests/clone/claim.yaml", &ebs_claim("ebs-clone-claim", "ebs-sc", "  dataSource:\n    kind: PersistentVolumeClaim\n    name: ebs-claim\n")),
            ("manifests/clone/pod.yaml", clone_pod),
        ],
    );
    let dir = |d: &str| path(&c, &format!("manifests/{d}/"));
    step(&c, &["apply", "-f", &dir("classes")], "storageclass.storage.k8s.io/ebs-sc created\n");
    step(&c, &["apply", "-f", &dir("app")], "persistentvolumeclaim/ebs-claim created\npod/app created\n");
    let pv = volume_of(&c, "ebs-claim");
    step(&c, &["get", "pvc", "ebs-claim"], &claim_table("ebs-claim", &pv, "4Gi", "ebs-sc"));
    step(&c, &["exec", "app", "--", "cat", "/data/out.txt"], "Fri Nov 27 09:00:00 UTC 2026\n");
    step(&c, &["apply", "-f", &dir("clone")], "persistentvolumeclaim/ebs-clone-claim created\npod/clone-app created\n");
    step(&c, &["exec", "clone-app", "--", "cat", "/data/out.txt"], "Fri Nov 27 09:00:00 UTC 2026\n");
    step(&c, &["logs", "clone-app"], "Cloned data:\nFri Nov 27 09:00:00 UTC 2026\nAdding new data to clone...\n");
    // The clone is a disk of its own: the clone's new file is not on the source.
    assert_eq!(c.run(&["exec", "app", "--", "ls", "/data/clone-out.txt"]).code, 2);
    assert_ne!(volume_of(&c, "ebs-clone-claim"), pv);
    step(
        &c,
        &["delete", "-f", &dir("clone")],
        "persistentvolumeclaim \"ebs-clone-claim\" deleted\npod \"clone-app\" deleted\n",
    );
    step(&c, &["delete", "-f", &dir("app")], "persistentvolumeclaim \"ebs-claim\" deleted\npod \"app\" deleted\n");
    step(&c, &["delete", "-f", &dir("classes")], "storageclass.storage.k8s.io \"ebs-sc\" deleted\n");
    assert_eq!(c.run(&["get", "pv"]).stderr, "No resources found\n");
}

#[test]
fn aks_azure_files_share_is_mounted_over_smb() {
    // An Azure Files claim (AKS's `azurefile-csi`) is a share of a storage account, mounted over
    // SMB: df and /proc/mounts name the share, its quota is its size, nothing of it is used yet.
    let c = on("aks");
    let claim = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: my-azurefile\nspec:\n  accessModes:\n    - ReadWriteMany\n  storageClassName: azurefile-csi\n  resources:\n    requests:\n      storage: 100Gi\n";
    let pod = "kind: Pod\napiVersion: v1\nmetadata:\n  name: mypod\nspec:\n  containers:\n    - name: mypod\n      image: nginx\n      volumeMounts:\n        - mountPath: /mnt/azure\n          name: volume\n  volumes:\n    - name: volume\n      persistentVolumeClaim:\n        claimName: my-azurefile\n";
    c.ok(&["apply", "-f", &c.file("claim.yaml", claim)]);
    c.ok(&["apply", "-f", &c.file("pod.yaml", pod)]);
    let pv = volume_of(&c, "my-azurefile");
    let handle = c.ok(&["get", "pv", &pv, "-o", "jsonpath={.spec.csi.volumeHandle}"]);
    let account = handle.split('#').nth(1).unwrap_or_default().to_string();
    let share = format!("//{account}.file.core.windows.net/{pv}");
    let w = share.len();
    step(
        &c,
        &["exec", "mypod", "--", "df", "-h", "/mnt/azure"],
        &format!("{:<w$}  Size  Used Avail Use% Mounted on\n{share}  100G     0  100G   0% /mnt/azure\n", "Filesystem"),
    );
    step(
        &c,
        &["exec", "mypod", "--", "grep", "/mnt/azure", "/proc/mounts"],
        &format!("{share} /mnt/azure cifs rw,relatime 0 0\n"),
    );
}
