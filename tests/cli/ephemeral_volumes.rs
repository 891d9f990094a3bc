//! Generic ephemeral volumes: the ephemeral volume controller makes the claim
//! `<pod>-<volume>` from the volume's template, controlled by the pod; the claim is provisioned
//! and bound like any other (WaitForFirstConsumer included), the pod starts with it mounted, and
//! deleting the pod deletes the claim. A claim of that name the pod does not control keeps the
//! pod pending, with the events of the ephemeral volume controller and the scheduler.

use crate::harness::{assert_text, Cluster};

/// A pod with one ephemeral volume `data` (the default class, WaitForFirstConsumer).
const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx
    volumeMounts:
    - {name: data, mountPath: /data}
  volumes:
  - name: data
    ephemeral:
      volumeClaimTemplate:
        metadata:
          labels: {type: scratch}
          annotations: {note: temp}
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 1Gi
";

/// A claim made by hand under the name the pod's ephemeral volume wants.
const FOREIGN_CLAIM: &str = "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: web-data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
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

#[test]
fn ephemeral_volume_gets_a_claim_owned_by_the_pod() {
    let c = Cluster::new();
    let pod = c.file("pod.yaml", POD);
    assert_text(&c.ok(&["apply", "-f", &pod]), "pod/web created\n");
    // Names made from uids are shown as what they must equal.
    let pod_uid = c.ok(&["get", "pod", "web", "-o", "jsonpath={.metadata.uid}"]);
    let volume = c.ok(&["get", "pvc", "web-data", "-o", "jsonpath={.spec.volumeName}"]);
    assert!(volume.starts_with("pvc-"), "{volume}");
    assert_text(
        &c.ok(&["get", "pvc"]).replace(&volume, "<volume>                                "),
        "NAME       STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
web-data   Bound    <volume>                                   1Gi        RWO            standard       <unset>                 0s
",
    );
    assert_text(
        &c.ok(&[
            "get",
            "pvc",
            "web-data",
            "-o",
            "jsonpath={.metadata.labels} {.metadata.annotations.note} {.metadata.ownerReferences}",
        ])
        .replace(&pod_uid, "<pod uid>"),
        r#"{"type":"scratch"} temp [{"apiVersion":"v1","blockOwnerDeletion":true,"controller":true,"kind":"Pod","name":"web","uid":"<pod uid>"}]"#,
    );
    assert_text(
        &c.ok(&["get", "pod", "web"]),
        "NAME   READY   STATUS    RESTARTS   AGE\nweb    1/1     Running   0          0s\n",
    );
    // The claim is made before the scheduler looks at the pod: no FailedScheduling first.
    assert_text(
        &events_of(&c, "web"),
        "TYPE     REASON      FROM                MESSAGE
Normal   Scheduled   default-scheduler   Successfully assigned default/web to cn-beijing.192.168.0.101
Normal   Pulling     kubelet             Pulling image \"nginx\"
Normal   Pulled      kubelet             Successfully pulled image \"nginx\" in 2.261s (2.261s including waiting). Image size: 23824487 bytes.
Normal   Created     kubelet             Created container: nginx
Normal   Started     kubelet             Started container nginx
",
    );
    // WaitForFirstConsumer: provisioned on the node the scheduler chose for the pod.
    assert_text(
        &c.ok(&[
            "get",
            "pvc",
            "web-data",
            "-o",
            "jsonpath={.metadata.annotations.volume\\.kubernetes\\.io/selected-node}",
        ]),
        "cn-beijing.192.168.0.101",
    );
    assert_text(
        &c.ok(&["exec", "web", "--", "sh", "-c", "echo hi > /data/f; cat /data/f; df -h | grep /data"]),
        "hi\n/dev/vdb        1.0G   25K  1.0G   1% /data\n",
    );
    assert_text(&c.ok(&["delete", "pod", "web"]), "pod \"web\" deleted\n");
    // The garbage collector deletes the claim with its pod; the Delete policy its volume.
    let o = c.run(&["get", "pvc,pv"]);
    assert_text(&format!("{}{}", o.stdout, o.stderr), "No resources found\n");
}

/// A pod that has run to completion, with one ephemeral volume `data`.
const DONE_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: done
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: [sh, -c, 'echo done']
    volumeMounts:
    - {name: data, mountPath: /data}
  volumes:
  - name: data
    ephemeral:
      volumeClaimTemplate:
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 1Gi
";

#[test]
fn deleted_claim_of_a_pod_that_is_not_deleted_is_made_again() {
    let c = Cluster::new();
    let pod = c.file("done.yaml", DONE_POD);
    c.ok(&["apply", "-f", &pod]);
    assert_text(&c.ok(&["get", "pod", "done", "-o", "jsonpath={.status.phase}"]), "Succeeded");
    let first = c.ok(&["get", "pvc", "done-data", "-o", "jsonpath={.metadata.uid}"]);
    // A finished pod no longer holds its claim (pvc-protection lets it go at once).
    assert_text(&c.ok(&["delete", "pvc", "done-data"]), "persistentvolumeclaim \"done-data\" deleted\n");
    let again =
        c.ok(&["get", "pvc", "done-data", "-o", "jsonpath={.metadata.uid} {.metadata.ownerReferences[0].name}"]);
    assert_ne!(again.split(' ').next(), Some(first.as_str()), "{again}");
    assert!(again.ends_with(" done"), "{again}");
    // Its pod is bound already: WaitForFirstConsumer has no consumer left to wait for.
    assert_text(&c.ok(&["get", "pvc", "done-data", "-o", "jsonpath={.status.phase}"]), "Pending");
}

#[test]
fn claim_not_owned_by_the_pod_keeps_it_pending() {
    let c = Cluster::new();
    let claim = c.file("claim.yaml", FOREIGN_CLAIM);
    let pod = c.file("pod.yaml", POD);
    c.ok(&["apply", "-f", &claim]);
    c.ok(&["apply", "-f", &pod]);
    assert_text(
        &c.ok(&["get", "pod", "web"]),
        "NAME   READY   STATUS    RESTARTS   AGE\nweb    0/1     Pending   0          0s\n",
    );
    assert_text(
        &events_of(&c, "web"),
        "TYPE      REASON             FROM                MESSAGE
Warning   FailedBinding      ephemeral_volume    ephemeral volume data: PVC default/web-data was not created for pod default/web (pod is not owner)
Warning   FailedScheduling   default-scheduler   0/3 nodes are available: PVC default/web-data was not created for pod default/web (pod is not owner). preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.
",
    );
    // The foreign claim is left as it was, and outlives the pod.
    assert_text(&c.ok(&["get", "pvc", "web-data", "-o", "jsonpath={.metadata.ownerReferences}"]), "");
    c.ok(&["delete", "pod", "web"]);
    assert_text(&c.ok(&["get", "pvc", "-o", "name"]), "persistentvolumeclaim/web-data\n");
}

#[test]
fn claim_refused_by_quota_keeps_the_pod_waiting_for_it() {
    let c = Cluster::new();
    c.ok(&["create", "quota", "q", "--hard=persistentvolumeclaims=0"]);
    let pod = c.file("pod.yaml", POD);
    c.ok(&["apply", "-f", &pod]);
    assert_text(
        &events_of(&c, "web"),
        "TYPE      REASON             FROM                MESSAGE
Warning   FailedBinding      ephemeral_volume    ephemeral volume data: create PVC web-data: persistentvolumeclaims \"web-data\" is forbidden: exceeded quota: q, requested: persistentvolumeclaims=1, used: persistentvolumeclaims=0, limited: persistentvolumeclaims=0
Warning   FailedScheduling   default-scheduler   0/3 nodes are available: waiting for ephemeral volume controller to create the persistentvolumeclaim \"web-data\". preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.
",
    );
    let o = c.run(&["get", "pvc"]);
    assert_text(&format!("{}{}", o.stdout, o.stderr), "No resources found in default namespace.\n");
}
