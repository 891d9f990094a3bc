//! Attachment: CSIDriver and CSINode objects per profile, VolumeAttachments made by the
//! attach/detach controller, the Multi-Attach error and its resolution (a pod deleted; a failed
//! node's six minutes), ReadWriteOncePod, per-node volume limits, and the API server mirroring a
//! claim's `dataSource` and `dataSourceRef`.
//!
//! The golden files in tests/golden/attach/ hold `get`, `describe` and `-o yaml` of the
//! attachment and snapshot kinds. Their describe and yaml outputs were compared byte for byte
//! with the real kubectl v1.32.5 by ../shared/tools/kubectl-diff.sh (on the objects of
//! `attachment_and_snapshot_kinds_in_every_format`, and of a pod on each of eks, gke, aks and
//! kind): every describe and yaml output identical. `KSTATE_BLESS=1 cargo test` rewrites them.

use std::path::PathBuf;

use crate::harness::{assert_text, Cluster};

const CLAIM: &str = "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: alicloud-disk-essd
  resources:
    requests:
      storage: 20Gi
";

/// A pod on `node` mounting the claim `data`.
fn pod(name: &str, node: &str) -> String {
    format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  nodeSelector:
    kubernetes.io/hostname: {node}
  containers:
  - name: nginx
    image: nginx
    volumeMounts:
    - {{name: data, mountPath: /data}}
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: data
"
    )
}

const STATEFULSET: &str = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 1
  selector:
    matchLabels: {app: nginx}
  template:
    metadata:
      labels: {app: nginx}
    spec:
      containers:
      - name: nginx
        image: nginx
        volumeMounts:
        - {name: www, mountPath: /usr/share/nginx/html}
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: alicloud-disk-topology
      resources:
        requests:
          storage: 20Gi
";

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

/// Six ACK nodes: two per zone, so a zonal disk can be wanted on a second node.
fn six_nodes() -> Cluster {
    let c = Cluster::new();
    c.ok(&["init", "--profile", "ack", "--nodes", "6"]);
    c
}

#[test]
fn multi_attach_error_until_the_other_pod_goes() {
    let mut c = six_nodes();
    c.ok(&["create", "-f", &c.file("claim.yaml", CLAIM)]);
    c.ok(&["create", "-f", &c.file("a.yaml", &pod("a", "cn-beijing.192.168.0.101"))]);
    c.at("2026-11-27T09:01:00Z");
    // Node .104 is in the same zone as .101, so only the attachment stands in the way.
    c.ok(&["create", "-f", &c.file("b.yaml", &pod("b", "cn-beijing.192.168.3.104"))]);
    assert_text(
        &c.ok(&["get", "pods", "-o", "wide"]),
        "NAME   READY   STATUS              RESTARTS   AGE   IP           NODE                       NOMINATED NODE   READINESS GATES
a      1/1     Running             0          60s   10.244.0.2   cn-beijing.192.168.0.101   <none>           <none>
b      0/1     ContainerCreating   0          0s    <none>       cn-beijing.192.168.3.104   <none>           <none>
",
    );
    assert_text(
        &events_of(&c, "b"),
        "TYPE      REASON               FROM                      MESSAGE
Normal    Scheduled            default-scheduler         Successfully assigned default/b to cn-beijing.192.168.3.104
Warning   FailedAttachVolume   attachdetach-controller   Multi-Attach error for volume \"d-2zeq1xl695txrbs7rn69\" Volume is already used by pod(s) a
",
    );
    assert_text(
        &c.ok(&["get", "volumeattachments"]),
        "NAME                                                                   ATTACHER                          PV                       NODE                       ATTACHED   AGE
csi-32f8bf7f687386d9c1756e55e4ed361d0508273a70f2ee972897c169f2c61fc3   diskplugin.csi.alibabacloud.com   d-2zeq1xl695txrbs7rn69   cn-beijing.192.168.0.101   true       60s
",
    );
    // Nothing changes while `a` runs: the error is reported once.
    c.at("2026-11-27T09:05:00Z");
    c.ok(&["advance", "1m"]);
    assert_eq!(events_of(&c, "b").lines().count(), 3);
    // `a` goes: the volume is detached from .101 and attached to .104, and `b` starts.
    c.ok(&["delete", "pod", "a"]);
    assert_text(
        &c.ok(&["get", "pods", "b", "-o", "wide"]),
        "NAME   READY   STATUS    RESTARTS   AGE   IP           NODE                       NOMINATED NODE   READINESS GATES
b      1/1     Running   0          5m    10.244.3.2   cn-beijing.192.168.3.104   <none>           <none>
",
    );
    assert_text(
        &c.ok(&["get", "volumeattachments"]),
        "NAME                                                                   ATTACHER                          PV                       NODE                       ATTACHED   AGE
csi-7c734d3017f5708fca940fce3bd5af3c0c0f28fc5886e1dd56529756c1930df8   diskplugin.csi.alibabacloud.com   d-2zeq1xl695txrbs7rn69   cn-beijing.192.168.3.104   true       0s
",
    );
    assert_text(
        &events_of(&c, "b"),
        "TYPE      REASON                   FROM                      MESSAGE
Normal    Scheduled                default-scheduler         Successfully assigned default/b to cn-beijing.192.168.3.104
Warning   FailedAttachVolume       attachdetach-controller   Multi-Attach error for volume \"d-2zeq1xl695txrbs7rn69\" Volume is already used by pod(s) a
Normal    SuccessfulAttachVolume   attachdetach-controller   AttachVolume.Attach succeeded for volume \"d-2zeq1xl695txrbs7rn69\" 
Normal    Pulling                  kubelet                   Pulling image \"nginx\"
Normal    Pulled                   kubelet                   Successfully pulled image \"nginx\" in 2.261s (2.261s including waiting). Image size: 23824487 bytes.
Normal    Created                  kubelet                   Created container: nginx
Normal    Started                  kubelet                   Started container nginx
",
    );
    // Deleting the last pod detaches the volume.
    c.ok(&["delete", "pod", "b"]);
    assert_eq!(c.run(&["get", "volumeattachments"]).stderr, "No resources found\n");
}

#[test]
fn a_failed_nodes_volume_is_force_detached_after_six_minutes() {
    let mut c = six_nodes();
    c.ok(&["create", "-f", &c.file("web.yaml", STATEFULSET)]);
    c.ok(&["node", "fail", "cn-beijing.192.168.0.101"]);
    c.at("2026-11-27T09:01:00Z");
    c.ok(&["advance", "5m"]);
    c.ok(&["delete", "pod", "web-0", "--force", "--grace-period=0"]);
    // The replacement lands on the zone's other node; the disk is still attached to the failed
    // one, whose kubelet cannot unmount it, and no pod there uses it any more.
    assert_text(
        &c.ok(&["get", "pods", "-o", "wide"]),
        "NAME    READY   STATUS              RESTARTS   AGE   IP       NODE                       NOMINATED NODE   READINESS GATES
web-0   0/1     ContainerCreating   0          0s    <none>   cn-beijing.192.168.3.104   <none>           <none>
",
    );
    // The events of both pods named web-0: the first was evicted from the failed node.
    assert_text(
        &events_of(&c, "web-0"),
        "TYPE      REASON                   FROM                        MESSAGE
Normal    Scheduled                default-scheduler           Successfully assigned default/web-0 to cn-beijing.192.168.0.101
Normal    SuccessfulAttachVolume   attachdetach-controller     AttachVolume.Attach succeeded for volume \"d-2ze51mlithre95tpst3w\" 
Normal    Pulling                  kubelet                     Pulling image \"nginx\"
Normal    Pulled                   kubelet                     Successfully pulled image \"nginx\" in 2.261s (2.261s including waiting). Image size: 23824487 bytes.
Normal    Created                  kubelet                     Created container: nginx
Normal    Started                  kubelet                     Started container nginx
Warning   NodeNotReady             node-controller             Node is not ready
Normal    TaintManagerEviction     taint-eviction-controller   Marking for deletion Pod default/web-0
Normal    Scheduled                default-scheduler           Successfully assigned default/web-0 to cn-beijing.192.168.3.104
Warning   FailedAttachVolume       attachdetach-controller     Multi-Attach error for volume \"d-2ze51mlithre95tpst3w\" Volume is already exclusively attached to one node and can't be attached to another
",
    );
    c.ok(&["advance", "5m"]);
    assert!(c.ok(&["get", "pods", "--no-headers"]).contains("ContainerCreating"));
    // maxWaitForUnmountDuration (6m) after the pod went, the controller detaches anyway.
    c.ok(&["advance", "1m"]);
    assert_text(
        &c.ok(&["get", "pods", "-o", "wide"]),
        "NAME    READY   STATUS    RESTARTS   AGE   IP           NODE                       NOMINATED NODE   READINESS GATES
web-0   1/1     Running   0          6m    10.244.3.2   cn-beijing.192.168.3.104   <none>           <none>
",
    );
    let events = events_of(&c, "web-0");
    let attached = events.lines().nth(11).unwrap_or_default();
    assert_eq!(
        attached,
        "Normal    SuccessfulAttachVolume   attachdetach-controller     AttachVolume.Attach succeeded for volume \"d-2ze51mlithre95tpst3w\" ",
        "{events}"
    );
    assert_eq!(
        c.ok(&["get", "volumeattachments", "-o", "jsonpath={.items[*].spec.nodeName}"]),
        "cn-beijing.192.168.3.104"
    );
}

#[test]
fn an_out_of_service_node_gives_its_pods_and_volumes_up_at_once() {
    // Non-graceful node shutdown: the out-of-service taint makes the taint manager evict the
    // pods, the pod GC remove them, and the attach/detach controller detach without waiting.
    let mut c = six_nodes();
    c.ok(&["create", "-f", &c.file("web.yaml", STATEFULSET)]);
    c.ok(&["node", "fail", "cn-beijing.192.168.0.101"]);
    c.at("2026-11-27T09:01:00Z");
    c.ok(&["taint", "node", "cn-beijing.192.168.0.101", "node.kubernetes.io/out-of-service=nodeshutdown:NoExecute"]);
    assert_text(
        &c.ok(&["get", "pods", "-o", "wide"]),
        "NAME    READY   STATUS    RESTARTS   AGE   IP           NODE                       NOMINATED NODE   READINESS GATES
web-0   1/1     Running   0          0s    10.244.3.2   cn-beijing.192.168.3.104   <none>           <none>
",
    );
    assert_eq!(
        c.ok(&["get", "volumeattachments", "-o", "jsonpath={.items[*].spec.nodeName}"]),
        "cn-beijing.192.168.3.104"
    );
    assert_eq!(events_of(&c, "web-0").matches("FailedAttachVolume").count(), 0);
}

#[track_caller]
fn check_golden(name: &str, got: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/attach");
    let path = dir.join(name);
    if std::env::var_os("KSTATE_BLESS").is_some() {
        std::fs::create_dir_all(&dir).expect("golden dir");
        std::fs::write(&path, got).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing golden file {}", path.display()));
    assert_text(got, &want);
}

/// A claim of `class` and a pod using it, on any node.
fn claim_and_pod(class: &str) -> String {
    let claim = CLAIM.replace("alicloud-disk-essd", class);
    let pod = pod("app", "x").replace("  nodeSelector:\n    kubernetes.io/hostname: x\n", "");
    format!("{claim}---\n{pod}")
}

const SNAPSHOT: &str = "apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata:
  name: snap
spec:
  volumeSnapshotClassName: alibabacloud-disk-snapshot
  source:
    persistentVolumeClaimName: data
";

#[test]
fn attachment_and_snapshot_kinds_in_every_format() {
    let mut c = Cluster::new();
    c.ok(&["create", "-f", &c.file("app.yaml", &claim_and_pod("alicloud-disk-essd"))]);
    c.ok(&["create", "-f", &c.file("snap.yaml", SNAPSHOT)]);
    c.at("2026-11-27T09:10:00Z");
    for kind in [
        "csidrivers",
        "csinodes",
        "volumeattachments",
        "volumesnapshotclasses",
        "volumesnapshots",
        "volumesnapshotcontents",
    ] {
        for (suffix, args) in [
            ("table", vec!["get", kind, "-A"]),
            ("wide", vec!["get", kind, "-A", "-o", "wide"]),
            ("yaml", vec!["get", kind, "-A", "-o", "yaml"]),
            ("describe", vec!["describe", kind, "-A"]),
        ] {
            let o = c.run(&args);
            assert_eq!((o.code, o.stderr.as_str()), (0, ""), "{args:?}");
            check_golden(&format!("{kind}.{suffix}.txt"), &o.stdout);
        }
    }
}

#[test]
fn attachment_objects_per_profile() {
    for (profile, class) in [
        ("eks", "gp2"),
        ("gke", "standard-rwo"),
        ("aks", "managed-csi"),
        ("kind", "standard"),
        ("minikube", "standard"),
        ("k3s", "local-path"),
    ] {
        let c = Cluster::new();
        c.ok(&["init", "--profile", profile]);
        c.ok(&["create", "-f", &c.file("app.yaml", &claim_and_pod(class))]);
        assert_eq!(c.ok(&["get", "pod", "app", "-o", "jsonpath={.status.phase}"]), "Running", "{profile}");
        let mut out = String::new();
        for args in [
            vec!["get", "csidrivers"],
            vec!["get", "csinodes"],
            vec!["get", "csinodes", "-o", "yaml"],
            vec!["get", "volumeattachments", "-o", "yaml"],
        ] {
            let o = c.run(&args);
            out.push_str(&format!("$ kubectl {}\n{}{}", args.join(" "), o.stdout, o.stderr));
        }
        check_golden(&format!("profile-{profile}.txt"), &out);
    }
}

#[test]
fn a_second_pod_cannot_use_a_read_write_once_pod_claim() {
    let c = Cluster::new();
    let claim = CLAIM.replace("[ReadWriteOnce]", "[ReadWriteOncePod]");
    c.ok(&["create", "-f", &c.file("claim.yaml", &claim)]);
    c.ok(&["create", "-f", &c.file("a.yaml", &pod("a", "cn-beijing.192.168.0.101"))]);
    let b = pod("b", "x").replace("  nodeSelector:\n    kubernetes.io/hostname: x\n", "");
    c.ok(&["create", "-f", &c.file("b.yaml", &b)]);
    assert_text(
        &events_of(&c, "b"),
        "TYPE      REASON             FROM                MESSAGE
Warning   FailedScheduling   default-scheduler   0/3 nodes are available: 3 node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.
",
    );
    // Once `a` is gone, `b` is scheduled.
    c.ok(&["delete", "pod", "a"]);
    assert_eq!(c.ok(&["get", "pod", "b", "-o", "jsonpath={.status.phase}"]), "Running");
}

#[test]
fn a_node_takes_no_more_volumes_than_its_csinode_allows() {
    // AKS's Standard_DS2_v2 attaches 8 data disks: the ninth claim's pod finds no node.
    let c = Cluster::new();
    c.ok(&["init", "--profile", "aks", "--nodes", "1"]);
    let mut manifest = String::new();
    for i in 1..=9 {
        let claim =
            CLAIM.replace("alicloud-disk-essd", "managed-csi").replace("name: data", &format!("name: data-{i}"));
        let pod = pod(&format!("app-{i}"), "x")
            .replace("  nodeSelector:\n    kubernetes.io/hostname: x\n", "")
            .replace("claimName: data", &format!("claimName: data-{i}"));
        manifest.push_str(&format!("{claim}---\n{pod}---\n"));
    }
    c.ok(&["create", "-f", &c.file("apps.yaml", &manifest)]);
    let phases = c.ok(&["get", "pods", "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.phase} {end}"]);
    assert_eq!(
        phases,
        "app-1=Running app-2=Running app-3=Running app-4=Running app-5=Running app-6=Running app-7=Running app-8=Running app-9=Pending "
    );
    assert_text(
        &events_of(&c, "app-9"),
        "TYPE      REASON             FROM                MESSAGE
Warning   FailedScheduling   default-scheduler   0/1 nodes are available: 1 node(s) exceed max volume count. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.
",
    );
    assert_eq!(c.ok(&["get", "csinode", "-o", "jsonpath={.items[0].spec.drivers[0].allocatable.count}"]), "8");
    // A pod going frees a slot.
    c.ok(&["delete", "pod", "app-1"]);
    assert_eq!(c.ok(&["get", "pod", "app-9", "-o", "jsonpath={.status.phase}"]), "Running");
}

#[test]
fn claims_mirror_data_source_and_data_source_ref() {
    let c = Cluster::new();
    c.ok(&["create", "-f", &c.file("claim.yaml", CLAIM)]);
    let clone = |name: &str, source: &str| {
        CLAIM.replace("name: data", &format!("name: {name}")).replace("  resources:", &format!("{source}  resources:"))
    };
    let by_source = clone("by-source", "  dataSource:\n    kind: PersistentVolumeClaim\n    name: data\n");
    c.ok(&["create", "-f", &c.file("a.yaml", &by_source)]);
    let by_ref = clone(
        "by-ref",
        "  dataSourceRef:\n    apiGroup: snapshot.storage.k8s.io\n    kind: VolumeSnapshot\n    name: snap\n",
    );
    c.ok(&["create", "-f", &c.file("b.yaml", &by_ref)]);
    let sources = "jsonpath={.spec.dataSource} {.spec.dataSourceRef}";
    assert_eq!(
        c.ok(&["get", "pvc", "by-source", "-o", sources]),
        r#"{"kind":"PersistentVolumeClaim","name":"data"} {"kind":"PersistentVolumeClaim","name":"data"}"#
    );
    assert_eq!(
        c.ok(&["get", "pvc", "by-ref", "-o", sources]),
        r#"{"apiGroup":"snapshot.storage.k8s.io","kind":"VolumeSnapshot","name":"snap"} {"apiGroup":"snapshot.storage.k8s.io","kind":"VolumeSnapshot","name":"snap"}"#
    );
    let yaml = c.ok(&["get", "pvc", "by-source", "-o", "yaml"]);
    assert!(
        yaml.contains("  dataSource:\n    kind: PersistentVolumeClaim\n    name: data\n  dataSourceRef:\n    kind: PersistentVolumeClaim\n    name: data\n"),
        "{yaml}"
    );
    // Both set and different: refused, and nothing is created.
    let before = c.snapshot();
    let both = clone(
        "both",
        "  dataSource:\n    kind: PersistentVolumeClaim\n    name: data\n  dataSourceRef:\n    kind: PersistentVolumeClaim\n    name: other\n",
    );
    let o = c.run(&["create", "-f", &c.file("c.yaml", &both)]);
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.code),
        (
            "",
            "The PersistentVolumeClaim \"both\" is invalid: spec: Invalid value: field.Path{name:\"dataSource\", index:\"\", parent:(*field.Path)(0xc000c1d260)}: must match dataSourceRef\n",
            1
        )
    );
    assert_eq!(c.snapshot(), before);
}

#[test]
fn a_rolling_update_with_a_read_write_once_claim_waits_for_the_old_pod() {
    // The way users meet Multi-Attach: the new pod of a rolling update lands on the zone's other
    // node, the old pod keeps the disk, and the rollout waits until the old pod is deleted.
    let mut c = six_nodes();
    let deployment = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 1
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
      - name: nginx
        image: nginx
        volumeMounts:
        - {name: data, mountPath: /data}
      volumes:
      - name: data
        persistentVolumeClaim:
          claimName: data
";
    let claim = CLAIM.replace("alicloud-disk-essd", "alicloud-disk-topology");
    c.ok(&["create", "-f", &c.file("app.yaml", &format!("{claim}---\n{deployment}"))]);
    c.at("2026-11-27T09:10:00Z");
    c.ok(&["rollout", "restart", "deployment", "app"]);
    assert_text(
        &c.ok(&["get", "pods", "-o", "wide"]),
        "NAME                   READY   STATUS              RESTARTS   AGE   IP           NODE                       NOMINATED NODE   READINESS GATES
app-54b4d8d54f-k8dcm   1/1     Running             0          10m   10.244.0.2   cn-beijing.192.168.0.101   <none>           <none>
app-6cff79f8b4-jmfkj   0/1     ContainerCreating   0          0s    <none>       cn-beijing.192.168.3.104   <none>           <none>
",
    );
    assert_text(
        &c.ok(&["get", "events", "--field-selector", "reason=FailedAttachVolume"]),
        "LAST SEEN   TYPE      REASON               OBJECT                     MESSAGE
0s          Warning   FailedAttachVolume   pod/app-6cff79f8b4-jmfkj   Multi-Attach error for volume \"d-2zethre95tpst3ww8rte\" Volume is already used by pod(s) app-54b4d8d54f-k8dcm
",
    );
    c.at("2026-11-27T09:12:00Z");
    c.ok(&["delete", "pod", "app-54b4d8d54f-k8dcm"]);
    assert_text(
        &c.ok(&["get", "pods", "-o", "wide"]),
        "NAME                   READY   STATUS    RESTARTS   AGE   IP           NODE                       NOMINATED NODE   READINESS GATES
app-6cff79f8b4-jmfkj   1/1     Running   0          2m    10.244.3.2   cn-beijing.192.168.3.104   <none>           <none>
",
    );
}

#[test]
fn two_pods_wanting_one_disk_at_once_get_it_one_at_a_time() {
    let c = six_nodes();
    let manifest =
        format!("{CLAIM}---\n{}---\n{}", pod("a", "cn-beijing.192.168.0.101"), pod("b", "cn-beijing.192.168.3.104"));
    c.ok(&["create", "-f", &c.file("all.yaml", &manifest)]);
    assert_text(
        &c.ok(&["get", "pods", "-o", "wide"]),
        "NAME   READY   STATUS              RESTARTS   AGE   IP           NODE                       NOMINATED NODE   READINESS GATES
a      1/1     Running             0          0s    10.244.0.2   cn-beijing.192.168.0.101   <none>           <none>
b      0/1     ContainerCreating   0          0s    <none>       cn-beijing.192.168.3.104   <none>           <none>
",
    );
    assert_text(
        &c.ok(&["get", "events", "--field-selector", "reason=FailedAttachVolume"]),
        "LAST SEEN   TYPE      REASON               OBJECT   MESSAGE
0s          Warning   FailedAttachVolume   pod/b    Multi-Attach error for volume \"d-2zeyr2d25lzl2yu15i1t\" Volume is already used by pod(s) a
",
    );
    assert_eq!(
        c.ok(&["get", "volumeattachments", "-o", "jsonpath={.items[*].spec.nodeName}"]),
        "cn-beijing.192.168.0.101"
    );
}

#[test]
fn a_volume_attachment_without_attacher_source_or_node_is_refused() {
    let c = Cluster::new();
    let va = "apiVersion: storage.k8s.io/v1\nkind: VolumeAttachment\nmetadata:\n  name: va1\nspec:\n  attacher: \"\"\n  nodeName: \"\"\n  source: {}\n";
    let o = c.run(&["create", "-f", &c.file("va.yaml", va)]);
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.code),
        (
            "",
            "The VolumeAttachment \"va1\" is invalid: \n\
             * spec.attacher: Required value\n\
             * spec.source: Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName\n\
             * spec.nodeName: Invalid value: \"\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n",
            1
        )
    );
    assert_eq!(c.run(&["get", "volumeattachments"]).stderr, "No resources found\n");
}
