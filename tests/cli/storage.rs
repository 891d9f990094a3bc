//! Storage operations: snapshots, restores from them (ACK's snapshot-restore walkthrough), clones,
//! expansion and its refusals, and the provisioner's errors for missing sources.

use crate::harness::{assert_text, Cluster};

const MYSQL: &str = include_str!("storage/mysql.yaml");
const SNAPSHOT: &str = include_str!("storage/snapshot.yaml");
const RESTORE: &str = include_str!("storage/mysql-restore.yaml");

/// The walkthrough's StatefulSet, with a file on its disk.
fn mysql() -> Cluster {
    let c = Cluster::new();
    c.ok(&["create", "-f", &c.file("mysql.yaml", MYSQL)]);
    c.ok(&["exec", "mysql-0", "--", "sh", "-c", "echo hello > /data/test"]);
    c
}

fn claim(name: &str, class: &str, size: &str, source: &str) -> String {
    format!(
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: {name}}}\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: {class}\n  resources: {{requests: {{storage: {size}}}}}\n{source}"
    )
}

fn events_of(c: &Cluster, name: &str) -> String {
    c.ok(&[
        "get",
        "events",
        "--field-selector",
        &format!("involvedObject.name={name}"),
        "-o",
        "custom-columns=TYPE:.type,REASON:.reason,FROM:.source.component,MESSAGE:.message",
    ])
}

#[test]
fn ack_snapshot_restore_walkthrough() {
    let c = mysql();
    assert_text(
        &c.ok(&["get", "volumesnapshotclass"]),
        "NAME                         DRIVER                            DELETIONPOLICY   AGE\n\
         alibabacloud-disk-snapshot   diskplugin.csi.alibabacloud.com   Delete           0s\n",
    );
    c.ok(&["create", "-f", &c.file("snapshot.yaml", SNAPSHOT)]);
    c.ok(&["exec", "mysql-0", "--", "sh", "-c", "echo later > /data/after"]);
    let uid = c.ok(&["get", "vs", "new-snapshot-demo", "-o", "jsonpath={.metadata.uid}"]);
    let content = format!("snapcontent-{uid}");
    assert_text(
        &c.ok(&["get", "vs"]),
        &format!(
            "NAME                READYTOUSE   SOURCEPVC           SOURCESNAPSHOTCONTENT   RESTORESIZE   SNAPSHOTCLASS                SNAPSHOTCONTENT                                    CREATIONTIME   AGE\n\
             new-snapshot-demo   true         disk-essd-mysql-0   <none>                  20Gi          alibabacloud-disk-snapshot   {content}   0s             0s\n"
        ),
    );
    assert_text(
        &c.ok(&["get", "vsc", "--no-headers"]),
        &format!("{content}   true   21474836480   Delete   diskplugin.csi.alibabacloud.com   alibabacloud-disk-snapshot   new-snapshot-demo   default   0s\n"),
    );
    let handle = c.ok(&["get", "vsc", &content, "-o", "jsonpath={.status.snapshotHandle}"]);
    assert!(handle.starts_with("s-2ze") && handle.len() == 22, "{handle}");
    assert_text(
        &events_of(&c, "new-snapshot-demo"),
        "TYPE     REASON             FROM                  MESSAGE\n\
         Normal   CreatingSnapshot   snapshot-controller   Waiting for a snapshot default/new-snapshot-demo to be created by the CSI driver.\n\
         Normal   SnapshotCreated    snapshot-controller   Snapshot default/new-snapshot-demo was successfully created by the CSI driver.\n\
         Normal   SnapshotReady      snapshot-controller   Snapshot default/new-snapshot-demo is ready to use.\n",
    );
    // Restore every replica of a new StatefulSet from the snapshot.
    c.ok(&["create", "-f", &c.file("restore.yaml", RESTORE)]);
    assert_eq!(c.ok(&["get", "pvc", "disk-essd-mysql-restore-0", "-o", "jsonpath={.status.phase}"]), "Bound");
    assert_text(&c.ok(&["exec", "mysql-restore-0", "--", "ls", "/data"]), "lost+found\ntest\n");
    assert_text(&c.ok(&["exec", "mysql-restore-0", "--", "cat", "/data/test"]), "hello\n");
    // Later writes on either side stay separate.
    c.ok(&["exec", "mysql-restore-0", "--", "sh", "-c", "echo restored > /data/test"]);
    assert_text(&c.ok(&["exec", "mysql-0", "--", "cat", "/data/test"]), "hello\n");
    // Deleting the snapshot deletes its content (deletion policy Delete).
    c.ok(&["delete", "vs", "new-snapshot-demo"]);
    assert_text(&c.run(&["get", "vsc"]).stderr, "No resources found\n");
}

#[test]
fn a_restore_waits_for_its_snapshot_and_refuses_a_smaller_size() {
    let c = mysql();
    let source = "  dataSource: {name: new-snapshot-demo, kind: VolumeSnapshot, apiGroup: snapshot.storage.k8s.io}\n";
    c.ok(&["create", "-f", &c.file("early.yaml", &claim("early", "alicloud-disk-essd", "20Gi", source))]);
    let failed = events_of(&c, "early");
    assert!(failed.contains(
        "Warning   ProvisioningFailed     diskplugin.csi.alibabacloud.com_csi-provisioner-7c9d8f6b5d-2xkpl_0c7f5d2e-4b1a-4f8e-9d3c-6a5b4e3d2c1b   failed to provision volume with StorageClass \"alicloud-disk-essd\": error getting handle for DataSource Type VolumeSnapshot by Name new-snapshot-demo: error getting snapshot new-snapshot-demo from api server: volumesnapshots.snapshot.storage.k8s.io \"new-snapshot-demo\" not found\n"
    ), "{failed}");
    assert_eq!(c.ok(&["get", "pvc", "early", "-o", "jsonpath={.status.phase}"]), "Pending");
    c.ok(&["create", "-f", &c.file("snapshot.yaml", SNAPSHOT)]);
    assert_eq!(c.ok(&["get", "pvc", "early", "-o", "jsonpath={.status.phase}"]), "Bound");
    c.ok(&["create", "-f", &c.file("small.yaml", &claim("small", "alicloud-disk-essd", "19Gi", source))]);
    assert!(events_of(&c, "small").contains(
        "error getting handle for DataSource Type VolumeSnapshot by Name new-snapshot-demo: requested volume size 20401094656 is less than the size 21474836480 for the source snapshot new-snapshot-demo\n"
    ));
}

#[test]
fn a_snapshot_of_a_missing_claim_reports_it() {
    let c = Cluster::new();
    c.ok(&["create", "-f", &c.file("snapshot.yaml", SNAPSHOT)]);
    assert_text(
        &events_of(&c, "new-snapshot-demo"),
        "TYPE      REASON                     FROM                  MESSAGE\n\
         Warning   SnapshotPVCSourceMissing   snapshot-controller   PVC source for snapshot default/new-snapshot-demo is missing\n",
    );
    assert_eq!(c.ok(&["get", "vs", "new-snapshot-demo", "-o", "jsonpath={.status.readyToUse}"]), "false");
}

#[test]
fn a_clone_copies_the_claims_files_and_then_diverges() {
    let c = mysql();
    let source = "  dataSource: {name: disk-essd-mysql-0, kind: PersistentVolumeClaim}\n";
    c.ok(&["create", "-f", &c.file("clone.yaml", &claim("clone", "alicloud-disk-essd", "20Gi", source))]);
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: reader}\nspec:\n  containers:\n  - {name: c, image: nginx, volumeMounts: [{name: d, mountPath: /data}]}\n  volumes: [{name: d, persistentVolumeClaim: {claimName: clone}}]\n";
    c.ok(&["create", "-f", &c.file("reader.yaml", pod)]);
    assert_text(&c.ok(&["exec", "reader", "--", "cat", "/data/test"]), "hello\n");
    c.ok(&["exec", "mysql-0", "--", "rm", "/data/test"]);
    assert_text(&c.ok(&["exec", "reader", "--", "ls", "/data"]), "lost+found\ntest\n");
    // A clone must be in the source's class and at least its size.
    c.ok(&["create", "-f", &c.file("other.yaml", &claim("other", "alicloud-disk-ssd", "20Gi", source))]);
    assert!(events_of(&c, "other").contains(
        "error getting handle for DataSource Type PersistentVolumeClaim by Name disk-essd-mysql-0: the source PVC and destination PVCs must be in the same storage class for cloning.  Source is in alicloud-disk-essd, but new PVC is in alicloud-disk-ssd\n"
    ));
    let missing = "  dataSource: {name: nope, kind: PersistentVolumeClaim}\n";
    c.ok(&["create", "-f", &c.file("missing.yaml", &claim("missing", "alicloud-disk-essd", "20Gi", missing))]);
    assert!(events_of(&c, "missing").contains(
        "error getting handle for DataSource Type PersistentVolumeClaim by Name nope: error getting PVC nope (namespace \"default\") from api server: persistentvolumeclaims \"nope\" not found\n"
    ));
}

#[test]
fn expansion_grows_the_disk_online_and_refuses_shrinks_and_fixed_classes() {
    let c = mysql();
    let df = |c: &Cluster| c.ok(&["exec", "mysql-0", "--", "sh", "-c", "df | grep vdb"]);
    // ext4's share of the 20 GiB disk is gone, as ACK's own page shows (20511312).
    assert_text(&df(&c), "/dev/vdb        20511312      25  20511287   1% /data\n");
    c.ok(&["patch", "pvc", "disk-essd-mysql-0", "-p", r#"{"spec":{"resources":{"requests":{"storage":"30Gi"}}}}"#]);
    assert_text(&df(&c), "/dev/vdb        30832548      25  30832523   1% /data\n");
    assert_text(
        &c.ok(&[
            "get",
            "pvc",
            "disk-essd-mysql-0",
            "-o",
            "jsonpath={.status.capacity.storage} {.status.allocatedResources.storage} {.status.conditions}",
        ]),
        "30Gi 30Gi ",
    );
    let events = events_of(&c, "disk-essd-mysql-0");
    let tail: Vec<String> =
        events.lines().skip(4).map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    assert_eq!(
        tail,
        [
            "Normal ExternalExpanding volume_expand waiting for an external controller to expand this PVC",
            "Normal Resizing external-resizer diskplugin.csi.alibabacloud.com External resizer is resizing volume d-2ze22ddlsxa2844ftrkn",
            "Normal FileSystemResizeRequired external-resizer diskplugin.csi.alibabacloud.com Require file system resize of volume on node",
            "Normal FileSystemResizeSuccessful kubelet MountVolume.NodeExpandVolume succeeded for volume \"d-2ze22ddlsxa2844ftrkn\" cn-beijing.192.168.0.101",
        ]
    );
    let shrink = c.run(&[
        "patch",
        "pvc",
        "disk-essd-mysql-0",
        "-p",
        r#"{"spec":{"resources":{"requests":{"storage":"10Gi"}}}}"#,
    ]);
    assert_text(
        &shrink.stderr,
        "The PersistentVolumeClaim \"disk-essd-mysql-0\" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity\n",
    );
    // `standard` (local-path) does not allow expansion.
    c.ok(&["create", "-f", &c.file("std.yaml", &claim("std", "standard", "1Gi", ""))]);
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: user}\nspec:\n  containers:\n  - {name: c, image: nginx, volumeMounts: [{name: d, mountPath: /data}]}\n  volumes: [{name: d, persistentVolumeClaim: {claimName: std}}]\n";
    c.ok(&["create", "-f", &c.file("user.yaml", pod)]);
    let refused = c.run(&["patch", "pvc", "std", "-p", r#"{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}"#]);
    assert_text(
        &refused.stderr,
        "Error from server (Forbidden): persistentvolumeclaims \"std\" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize\n",
    );
}

#[test]
fn an_unmounted_claim_finishes_its_resize_when_a_pod_starts() {
    let c = Cluster::new();
    c.ok(&["create", "-f", &c.file("data.yaml", &claim("data", "alicloud-disk-essd", "20Gi", ""))]);
    c.ok(&["patch", "pvc", "data", "-p", r#"{"spec":{"resources":{"requests":{"storage":"40Gi"}}}}"#]);
    assert_text(
        &c.ok(&["get", "pvc", "data", "-o", "jsonpath={.status.capacity.storage} {.status.allocatedResourceStatuses.storage} {.status.conditions[0].type}: {.status.conditions[0].message}"]),
        "20Gi NodeResizePending FileSystemResizePending: Waiting for user to (re-)start a pod to finish file system resize of volume on node.",
    );
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: user}\nspec:\n  containers:\n  - {name: c, image: nginx, volumeMounts: [{name: d, mountPath: /data}]}\n  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]\n";
    c.ok(&["create", "-f", &c.file("user.yaml", pod)]);
    assert_eq!(c.ok(&["get", "pvc", "data", "-o", "jsonpath={.status.capacity.storage}"]), "40Gi");
    assert!(c.ok(&["exec", "user", "--", "df", "/data"]).contains(" 41022688 "));
}
