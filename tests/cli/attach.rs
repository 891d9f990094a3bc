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
fn an_out_of_service_node_gives_its_volumes_up_at_once() {
    let mut c = six_nodes();
    c.ok(&["create", "-f", &c.file("web.yaml", STATEFULSET)]);
    c.ok(&["node", "fail", "cn-beijing.192.168.0.101"]);
    c.at("2026-11-27T09:01:00Z");
    c.ok(&["advance", "5m"]);
    c.ok(&["taint", "node", "cn-beijing.192.168.0.101", "node.kubernetes.io/out-of-service=nodeshutdown:NoExecute"]);
    c.ok(&["delete", "pod", "web-0", "--force", "--grace-period=0"]);
    assert_eq!(c.ok(&["get", "pods", "-o", "jsonpath={.items[*].status.phase}"]), "Running");
}
