//! Acceptance scenarios from Kubernetes' StatefulSet e2e suite (statefulset-semantics.md §7) not
//! covered elsewhere: releasing and re-adopting pods, no deadlock behind a failed predecessor,
//! OnDelete, the scale subresource, data in volumes across updates and reclaim policies, and a
//! rolling update with claims followed by a rollback.
//!
//! Not expressible here: "Should recreate evicted statefulset" and the recreation of Failed pods
//! need a way to make the kubelet reject or fail a pod (a hostPort conflict, a container that
//! exits), which kstate's command surface does not offer; no test is written for them.

use crate::harness::Cluster;

const DOCROOT: &str = "/usr/local/apache2/htdocs/index.html";

/// The e2e fixture's shape with a claim: StatefulSet `web` of httpd pods, a readiness probe on
/// /index.html, one claim template `datadir` mounted at /data in class `class`.
fn web(replicas: u32, extra_spec: &str, class: &str) -> String {
    format!(
        "apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector: {{app: nginx}}
  ports: [{{port: 80, name: web}}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  selector:
    matchLabels: {{app: nginx}}
  serviceName: nginx
  replicas: {replicas}
{extra_spec}  template:
    metadata:
      labels: {{app: nginx}}
    spec:
      containers:
      - name: webserver
        image: httpd:2.4.39-alpine
        readinessProbe:
          httpGet: {{path: /index.html, port: 80}}
        volumeMounts:
        - {{name: datadir, mountPath: /data}}
  volumeClaimTemplates:
  - metadata: {{name: datadir}}
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: {class}
      resources: {{requests: {{storage: 20Gi}}}}
"
    )
}

/// The Basic suite's set `ss` (labels foo=bar, baz=blah, service `test`), without claims.
fn ss(replicas: u32, extra_spec: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ss
spec:
  selector:
    matchLabels: {{foo: bar, baz: blah}}
  serviceName: test
  replicas: {replicas}
{extra_spec}  template:
    metadata:
      labels: {{foo: bar, baz: blah}}
    spec:
      containers:
      - name: webserver
        image: httpd:2.4.39-alpine
        readinessProbe:
          httpGet: {{path: /index.html, port: 80}}
"
    )
}

fn created(c: &Cluster, manifest: &str) {
    let f = c.file("manifest.yaml", manifest);
    c.ok(&["create", "-f", &f]);
}

fn jsonpath(c: &Cluster, what: &[&str], path: &str) -> String {
    let expr = format!("jsonpath={path}");
    let mut args = vec!["get"];
    args.extend_from_slice(what);
    args.extend_from_slice(&["-o", &expr]);
    c.ok(&args)
}

fn status(c: &Cluster, set: &str) -> String {
    jsonpath(c, &["sts", set], "{.status}")
}

fn status_field(c: &Cluster, set: &str, field: &str) -> String {
    jsonpath(c, &["sts", set], &format!("{{.status.{field}}}"))
}

fn uid(c: &Cluster, kind: &str, name: &str) -> String {
    jsonpath(c, &[kind, name], "{.metadata.uid}")
}

fn owner(c: &Cluster, pod: &str) -> String {
    jsonpath(c, &["pod", pod], "{.metadata.ownerReferences[*].kind}/{.metadata.ownerReferences[*].name}")
}

/// `name=hash` for every pod.
fn hashes(c: &Cluster) -> String {
    jsonpath(c, &["pods"], "{range .items[*]}{.metadata.name}={.metadata.labels.controller-revision-hash} {end}")
}

/// `name=image` for every pod.
fn images(c: &Cluster) -> String {
    jsonpath(c, &["pods"], "{range .items[*]}{.metadata.name}={.spec.containers[0].image} {end}")
}

/// `name=revision` for every ControllerRevision.
fn revisions(c: &Cluster) -> String {
    jsonpath(c, &["controllerrevisions"], "{range .items[*]}{.metadata.name}:{.revision} {end}")
}

fn sorted(items: &[String]) -> Vec<String> {
    let mut v = items.to_vec();
    v.sort();
    v
}

/// `name:revision` for every ControllerRevision, sorted (names are hashes, so list order varies).
fn sorted_revisions(c: &Cluster) -> Vec<String> {
    sorted(&revisions(c).split_whitespace().map(str::to_string).collect::<Vec<_>>())
}

/// `NAME READY` for every pod.
fn ready(c: &Cluster) -> Vec<String> {
    c.ok(&["get", "pods", "--no-headers"])
        .lines()
        .map(|l| l.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
        .collect()
}

/// The messages of the set's events with `reason`, in describe's order.
fn events(c: &Cluster, set: &str, reason: &str) -> Vec<String> {
    c.ok(&["describe", "sts", set])
        .lines()
        .skip_while(|l| !l.starts_with("Events:"))
        .filter(|l| l.split_whitespace().nth(1) == Some(reason))
        .map(|l| l.split("statefulset-controller").nth(1).unwrap_or("").trim().to_string())
        .collect()
}

/// The probe (every 10 s, failure threshold 3) notices within 30 s of cluster time.
fn break_readiness(c: &Cluster, pod: &str) {
    c.ok(&["exec", pod, "--", "mv", DOCROOT, "/tmp/"]);
    c.ok(&["advance", "30s"]);
}

fn restore_readiness(c: &Cluster, pod: &str) {
    c.ok(&["exec", pod, "--", "mv", "/tmp/index.html", DOCROOT]);
    c.ok(&["advance", "10s"]);
}

// 2. should adopt matching orphans and release non-matching pods

#[test]
fn pods_that_stop_matching_are_released_and_readopted_when_they_match_again() {
    let c = Cluster::new();
    created(&c, &web(3, "", "alicloud-disk-essd"));
    let web1 = uid(&c, "pod", "web-1");
    let set = uid(&c, "sts", "web");
    assert_eq!(owner(&c, "web-1"), "StatefulSet/web");
    assert_eq!(jsonpath(&c, &["pod", "web-1"], "{.metadata.ownerReferences[0].uid}"), set);

    assert_eq!(c.ok(&["label", "pod", "web-1", "app=stray", "--overwrite"]), "pod/web-1 labeled\n");
    // Released: the controller reference is gone, the pod itself stays as it was.
    assert_eq!(jsonpath(&c, &["pod", "web-1"], "{.metadata.ownerReferences}"), "");
    assert_eq!(uid(&c, "pod", "web-1"), web1);
    assert_eq!(ready(&c), ["web-0 1/1", "web-1 1/1", "web-2 1/1"]);
    // The set counts only the pods it owns; it cannot create web-1 over the stray pod.
    assert_eq!(status_field(&c, "web", "replicas"), "2");
    assert_eq!(status_field(&c, "web", "readyReplicas"), "2");
    assert_eq!(status_field(&c, "web", "availableReplicas"), "2");
    assert_eq!(status_field(&c, "web", "currentReplicas"), "2");
    assert_eq!(c.ok(&["get", "pods", "-l", "app=nginx", "-o", "name"]), "pod/web-0\npod/web-2\n");
    assert_eq!(c.ok(&["get", "sts", "web", "--no-headers"]).split_whitespace().nth(1), Some("2/3"));

    assert_eq!(c.ok(&["label", "pod", "web-1", "app=nginx", "--overwrite"]), "pod/web-1 labeled\n");
    // Re-adopted: the same pod, owned by the same set again.
    assert_eq!(uid(&c, "pod", "web-1"), web1);
    assert_eq!(owner(&c, "web-1"), "StatefulSet/web");
    assert_eq!(jsonpath(&c, &["pod", "web-1"], "{.metadata.ownerReferences[0].uid}"), set);
    assert_eq!(jsonpath(&c, &["pod", "web-1"], "{.metadata.ownerReferences[0].controller}"), "true");
    assert_eq!(status_field(&c, "web", "replicas"), "3");
    assert_eq!(status_field(&c, "web", "readyReplicas"), "3");
    assert_eq!(c.ok(&["get", "pods", "-o", "name"]), "pod/web-0\npod/web-1\npod/web-2\n");
}

#[test]
fn a_pod_whose_owner_reference_is_removed_is_readopted() {
    let c = Cluster::new();
    created(&c, &web(2, "", "alicloud-disk-essd"));
    let web0 = uid(&c, "pod", "web-0");
    let p = r#"[{"op":"remove","path":"/metadata/ownerReferences"}]"#;
    assert_eq!(c.ok(&["patch", "pod", "web-0", "--type", "json", "-p", p]), "pod/web-0 patched\n");
    assert_eq!(uid(&c, "pod", "web-0"), web0, "adopted, not recreated");
    assert_eq!(owner(&c, "web-0"), "StatefulSet/web");
    assert_eq!(jsonpath(&c, &["pod", "web-0"], "{.metadata.ownerReferences[0].uid}"), uid(&c, "sts", "web"));
    assert_eq!(status_field(&c, "web", "readyReplicas"), "2");
}

#[test]
fn a_stray_pod_blocking_an_ordinal_records_no_failed_create_event() {
    let c = Cluster::new();
    created(&c, &web(3, "", "alicloud-disk-essd"));
    c.ok(&["label", "pod", "web-1", "app=stray", "--overwrite"]);
    // StatefulPodControl.CreateStatefulPod returns AlreadyExists without recording an event; the
    // sync fails and is retried, nothing else is visible.
    assert_eq!(events(&c, "web", "FailedCreate"), Vec::<String>::new());
    let all = c.ok(&["get", "events"]);
    assert!(!all.contains("already exists"), "{all}");
}

// 3. should not deadlock when a pod's predecessor fails

#[test]
fn a_deleted_pod_is_recreated_even_when_its_successor_is_unready() {
    let c = Cluster::new();
    created(&c, &web(2, "", "alicloud-disk-essd"));
    break_readiness(&c, "web-1");
    assert_eq!(ready(&c), ["web-0 1/1", "web-1 0/1"]);
    assert_eq!(status_field(&c, "web", "readyReplicas"), "1");
    let web0 = uid(&c, "pod", "web-0");
    let web1 = uid(&c, "pod", "web-1");

    assert_eq!(c.ok(&["delete", "pod", "web-0"]), "pod \"web-0\" deleted\n");
    assert_ne!(uid(&c, "pod", "web-0"), web0, "web-0 is a new pod");
    assert_eq!(uid(&c, "pod", "web-1"), web1, "the unready successor is left alone");
    assert_eq!(ready(&c), ["web-0 1/1", "web-1 0/1"]);
    assert_eq!(status_field(&c, "web", "replicas"), "2");
    assert_eq!(status_field(&c, "web", "readyReplicas"), "1");
    // The claim already exists: only the pod is created again.
    assert_eq!(
        c.ok(&["get", "pvc", "-o", "name"]),
        "persistentvolumeclaim/datadir-web-0\npersistentvolumeclaim/datadir-web-1\n"
    );
    assert_eq!(
        events(&c, "web", "SuccessfulCreate"),
        // The second creation of web-0, 30 s later, is the same event seen again: it sorts last.
        [
            "create Claim datadir-web-0 Pod web-0 in StatefulSet web success",
            "create Claim datadir-web-1 Pod web-1 in StatefulSet web success",
            "create Pod web-1 in StatefulSet web successful",
            "create Pod web-0 in StatefulSet web successful",
        ]
    );
    let described = c.ok(&["describe", "sts", "web"]);
    assert!(
        described.contains("0s (x2 over 30s)  statefulset-controller  create Pod web-0 in StatefulSet web successful"),
        "web-0 was created twice: {described}"
    );

    restore_readiness(&c, "web-1");
    assert_eq!(ready(&c), ["web-0 1/1", "web-1 1/1"]);
    assert_eq!(status_field(&c, "web", "readyReplicas"), "2");
    assert_eq!(status_field(&c, "web", "availableReplicas"), "2");
}

// 9. should implement legacy replacement when the update strategy is OnDelete

#[test]
fn on_delete_replaces_pods_only_when_they_are_deleted() {
    let c = Cluster::new();
    created(&c, &ss(3, "  updateStrategy: {type: OnDelete}\n"));
    let r1 = status_field(&c, "ss", "currentRevision");
    assert_eq!(hashes(&c), format!("ss-0={r1} ss-1={r1} ss-2={r1} "));
    // A pod deleted before any template change comes back at the current revision.
    c.ok(&["delete", "pod", "ss-0"]);
    assert_eq!(hashes(&c), format!("ss-0={r1} ss-1={r1} ss-2={r1} "));

    assert_eq!(
        c.ok(&["set", "image", "sts/ss", "webserver=httpd:2.4.41-alpine"]),
        "statefulset.apps/ss image updated\n"
    );
    let r2 = status_field(&c, "ss", "updateRevision");
    assert_ne!(r1, r2);
    assert_eq!(sorted_revisions(&c), sorted(&[format!("{r1}:1"), format!("{r2}:2")]));
    // Nothing happens until a pod is deleted.
    assert_eq!(hashes(&c), format!("ss-0={r1} ss-1={r1} ss-2={r1} "));
    assert_eq!(images(&c), "ss-0=httpd:2.4.39-alpine ss-1=httpd:2.4.39-alpine ss-2=httpd:2.4.39-alpine ");
    assert_eq!(
        status(&c, "ss"),
        format!(
            "{{\"availableReplicas\":3,\"collisionCount\":0,\"currentReplicas\":3,\"currentRevision\":\"{r1}\",\"observedGeneration\":2,\"readyReplicas\":3,\"replicas\":3,\"updateRevision\":\"{r2}\"}}"
        )
    );

    c.ok(&["delete", "pod", "ss-1"]);
    assert_eq!(hashes(&c), format!("ss-0={r1} ss-1={r2} ss-2={r1} "));
    assert_eq!(images(&c), "ss-0=httpd:2.4.39-alpine ss-1=httpd:2.4.41-alpine ss-2=httpd:2.4.39-alpine ");
    assert_eq!(status_field(&c, "ss", "currentRevision"), r1);
    assert_eq!(status_field(&c, "ss", "currentReplicas"), "2");
    assert_eq!(status_field(&c, "ss", "updatedReplicas"), "1");

    // Even with every pod replaced, OnDelete never completes a rolling update: currentRevision
    // keeps naming the old revision.
    c.ok(&["delete", "pod", "ss-0", "ss-2"]);
    assert_eq!(hashes(&c), format!("ss-0={r2} ss-1={r2} ss-2={r2} "));
    assert_eq!(status_field(&c, "ss", "currentRevision"), r1);
    assert_eq!(status_field(&c, "ss", "updateRevision"), r2);
    assert_eq!(status_field(&c, "ss", "updatedReplicas"), "3");
    assert_eq!(status_field(&c, "ss", "currentReplicas"), "");
}

// 13. should have a working scale subresource

fn replicas(c: &Cluster) -> String {
    jsonpath(c, &["sts", "ss"], "{.spec.replicas} {.status.replicas} {.status.readyReplicas}")
}

#[test]
fn spec_and_status_replicas_follow_patch_and_scale() {
    let c = Cluster::new();
    created(&c, &ss(1, ""));
    assert_eq!(replicas(&c), "1 1 1");
    assert_eq!(c.ok(&["patch", "sts", "ss", "-p", r#"{"spec":{"replicas":3}}"#]), "statefulset.apps/ss patched\n");
    assert_eq!(replicas(&c), "3 3 3");
    assert_eq!(c.ok(&["get", "pods", "-o", "name"]), "pod/ss-0\npod/ss-1\npod/ss-2\n");
    let p = r#"{"spec":{"replicas":2}}"#;
    assert_eq!(c.ok(&["patch", "sts", "ss", "--type", "merge", "-p", p]), "statefulset.apps/ss patched\n");
    assert_eq!(replicas(&c), "2 2 2");
    assert_eq!(c.ok(&["get", "pods", "-o", "name"]), "pod/ss-0\npod/ss-1\n");
    assert_eq!(c.ok(&["scale", "sts", "ss", "--replicas=4"]), "statefulset.apps/ss scaled\n");
    assert_eq!(replicas(&c), "4 4 4");
    assert_eq!(c.ok(&["scale", "sts/ss", "--replicas=2", "--current-replicas=4"]), "statefulset.apps/ss scaled\n");
    assert_eq!(replicas(&c), "2 2 2");
    let o = c.run(&["scale", "sts/ss", "--replicas=3", "--current-replicas=4"]);
    assert_eq!((o.stderr.as_str(), o.code), ("error: Expected replicas to be 4, was 2\n", 1));
    assert_eq!(replicas(&c), "2 2 2");
    assert_eq!(
        jsonpath(&c, &["sts", "ss"], "{.metadata.generation} {.status.observedGeneration}"),
        "5 5",
        "one generation per accepted change"
    );
    assert_eq!(c.ok(&["get", "sts", "ss", "--no-headers"]).split_whitespace().nth(1), Some("2/2"));
}

#[test]
fn the_scale_subresource_through_get_and_patch() {
    let c = Cluster::new();
    created(&c, &ss(1, ""));
    let scale = |c: &Cluster| {
        c.ok(&["get", "sts", "ss", "--subresource=scale", "-o", "jsonpath={.kind} {.spec.replicas} {.status.replicas}"])
    };
    assert_eq!(scale(&c), "Scale 1 1");
    let p = r#"{"spec":{"replicas":4}}"#;
    // The server answers with the Scale, which is what kubectl's name printer names.
    assert_eq!(c.ok(&["patch", "sts", "ss", "--subresource=scale", "-p", p]), "scale.autoscaling/ss patched\n");
    assert_eq!(scale(&c), "Scale 4 4");
    assert_eq!(replicas(&c), "4 4 4");
    assert_eq!(c.ok(&["get", "sts", "ss", "--subresource=scale"]), "NAME   DESIRED   AVAILABLE\nss     4         4\n");
    let missing = c.run(&["get", "pod", "ss-0", "--subresource=scale"]);
    assert_eq!(
        (missing.stderr.as_str(), missing.code),
        ("Error from server (NotFound): the server could not find the requested resource\n", 1)
    );
}

/// Deployments, ReplicaSets and ReplicationControllers have the scale subresource too.
#[test]
fn the_scale_subresource_of_a_deployment() {
    let c = Cluster::new();
    c.ok(&["create", "deployment", "web", "--image=nginx"]);
    let p = r#"{"spec":{"replicas":3}}"#;
    let patched = c.ok(&["patch", "deployment", "web", "--subresource=scale", "--type=merge", "-p", p]);
    assert_eq!(patched, "scale.autoscaling/web patched\n");
    assert_eq!(
        c.ok(&["get", "deploy", "web", "--subresource=scale"]),
        "NAME   DESIRED   AVAILABLE\nweb    3         3\n"
    );
    let rs = c.ok(&["get", "rs", "-o", "name"]);
    let rs = rs.trim().trim_start_matches("replicaset.apps/");
    let jsonpath = "jsonpath={.kind} {.spec.replicas} {.status.selector}";
    let scale = c.ok(&["get", "rs", rs, "--subresource=scale", "-o", jsonpath]);
    assert_eq!(scale, format!("Scale 3 app=web,pod-template-hash={}", rs.trim_start_matches("web-")));
}

#[test]
fn the_status_subresource_keeps_conditions_others_write() {
    let c = Cluster::new();
    created(&c, &ss(1, ""));
    let p =
        r#"{"status":{"conditions":[{"type":"StatusUpdate","status":"True","reason":"E2E"}]},"spec":{"replicas":9}}"#;
    assert_eq!(
        c.ok(&["patch", "sts", "ss", "--subresource=status", "--type", "merge", "-p", p]),
        "statefulset.apps/ss patched\n"
    );
    assert_eq!(c.ok(&["get", "sts", "ss", "-o", "jsonpath={.status.conditions[0].reason}"]), "E2E");
    assert_eq!(
        c.ok(&["get", "sts", "ss", "-o", "jsonpath={.spec.replicas}"]),
        "1",
        "a status patch leaves the spec alone"
    );
    c.ok(&["scale", "sts", "ss", "--replicas=2"]);
    assert_eq!(c.ok(&["get", "sts", "ss", "-o", "jsonpath={.status.conditions[0].type}"]), "StatusUpdate");
}

// Data in volumes (acceptance 3).

#[test]
fn files_on_claims_survive_a_rolling_update() {
    let c = Cluster::new();
    created(&c, &web(3, "", "alicloud-disk-essd"));
    for i in 0..3 {
        c.ok(&["exec", &format!("web-{i}"), "--", "sh", "-c", &format!("echo data-{i} > /data/f")]);
    }
    let before = jsonpath(&c, &["pods"], "{.items[*].metadata.uid}");
    let volumes = jsonpath(&c, &["pvc"], "{.items[*].spec.volumeName}");
    c.ok(&["set", "image", "sts/web", "webserver=httpd:2.4.41-alpine"]);
    let after = jsonpath(&c, &["pods"], "{.items[*].metadata.uid}");
    assert!(before.split(' ').all(|u| !after.contains(u)), "every pod replaced: {before} / {after}");
    assert_eq!(images(&c), "web-0=httpd:2.4.41-alpine web-1=httpd:2.4.41-alpine web-2=httpd:2.4.41-alpine ");
    assert_eq!(jsonpath(&c, &["pvc"], "{.items[*].spec.volumeName}"), volumes, "same claims, same disks");
    for i in 0..3 {
        assert_eq!(c.ok(&["exec", &format!("web-{i}"), "--", "cat", "/data/f"]), format!("data-{i}\n"));
    }
}

#[test]
fn when_scaled_delete_gives_a_returning_ordinal_a_new_empty_disk() {
    let c = Cluster::new();
    created(&c, &web(2, "  persistentVolumeClaimRetentionPolicy: {whenScaled: Delete}\n", "alicloud-disk-essd"));
    c.ok(&["exec", "web-1", "--", "sh", "-c", "echo old > /data/f"]);
    let claim = uid(&c, "pvc", "datadir-web-1");
    let disk = jsonpath(&c, &["pvc", "datadir-web-1"], "{.spec.volumeName}");

    c.ok(&["scale", "sts", "web", "--replicas=1"]);
    assert_eq!(c.ok(&["get", "pvc", "-o", "name"]), "persistentvolumeclaim/datadir-web-0\n");
    assert!(!c.ok(&["get", "pv", "-o", "name"]).contains(&disk), "the Delete class removed the disk");

    c.ok(&["scale", "sts", "web", "--replicas=2"]);
    assert_ne!(uid(&c, "pvc", "datadir-web-1"), claim, "a new claim");
    assert_ne!(jsonpath(&c, &["pvc", "datadir-web-1"], "{.spec.volumeName}"), disk, "on a new disk");
    assert_eq!(c.ok(&["exec", "web-1", "--", "ls", "/data"]), "lost+found\n");
    let o = c.run(&["exec", "web-1", "--", "cat", "/data/f"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.starts_with("cat: /data/f: No such file or directory\n"), "{o:?}");
}

const RETAIN_CLASS: &str = "apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: essd-retain
provisioner: diskplugin.csi.alibabacloud.com
parameters:
  type: cloud_essd
reclaimPolicy: Retain
";

/// A claim pre-bound to `volume` and a busybox pod mounting it at /data.
fn restore(volume: &str) -> String {
    format!(
        "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: restored
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: essd-retain
  volumeName: {volume}
  resources: {{requests: {{storage: 20Gi}}}}
---
apiVersion: v1
kind: Pod
metadata:
  name: reader
spec:
  containers:
  - name: c
    image: busybox
    command: [sleep, \"3600\"]
    volumeMounts: [{{name: d, mountPath: /data}}]
  volumes:
  - name: d
    persistentVolumeClaim: {{claimName: restored}}
"
    )
}

/// `STATUS CLAIM` of the only volume, from `get pv`.
fn pv_row(c: &Cluster) -> String {
    let out = c.ok(&["get", "pv", "--no-headers"]);
    let cols: Vec<&str> = out.split_whitespace().collect();
    format!("{} {}", cols[4], if cols[5] == "essd-retain" { "" } else { cols[5] })
}

/// A set on the Retain class with a file on web-0's claim; the set and claim deleted. Returns the volume.
fn released_volume(c: &Cluster) -> String {
    created(c, RETAIN_CLASS);
    created(c, &web(1, "", "essd-retain"));
    c.ok(&["exec", "web-0", "--", "sh", "-c", "echo kept > /data/f"]);
    let volume = jsonpath(c, &["pvc", "datadir-web-0"], "{.spec.volumeName}");
    assert_eq!(pv_row(c), "Bound default/datadir-web-0");
    c.ok(&["delete", "sts", "web"]);
    assert_eq!(c.ok(&["delete", "pvc", "datadir-web-0"]), "persistentvolumeclaim \"datadir-web-0\" deleted\n");
    assert_eq!(c.ok(&["get", "pvc", "-o", "name"]), "");
    assert_eq!(c.ok(&["get", "pv", "-o", "name"]), format!("persistentvolume/{volume}\n"));
    assert_eq!(pv_row(c), "Released default/datadir-web-0");
    assert_eq!(jsonpath(c, &["pv", &volume], "{.spec.persistentVolumeReclaimPolicy}"), "Retain");
    volume
}

#[test]
fn a_retained_volume_keeps_its_data_for_a_new_claim() {
    let c = Cluster::new();
    let volume = released_volume(&c);
    let p = r#"[{"op":"remove","path":"/spec/claimRef"}]"#;
    assert_eq!(
        c.ok(&["patch", "pv", &volume, "--type", "json", "-p", p]),
        format!("persistentvolume/{volume} patched\n")
    );
    assert_eq!(jsonpath(&c, &["pv", &volume], "{.spec.claimRef}"), "");
    created(&c, &restore(&volume));
    assert_eq!(pv_row(&c), "Bound default/restored");
    assert_eq!(jsonpath(&c, &["pvc", "restored"], "{.status.phase} {.spec.volumeName}"), format!("Bound {volume}"));
    assert_eq!(ready(&c), ["reader 1/1"]);
    assert_eq!(c.ok(&["exec", "reader", "--", "cat", "/data/f"]), "kept\n");
}

#[test]
fn removing_the_claim_ref_makes_a_released_volume_available() {
    let c = Cluster::new();
    let volume = released_volume(&c);
    let p = r#"[{"op":"remove","path":"/spec/claimRef"}]"#;
    c.ok(&["patch", "pv", &volume, "--type", "json", "-p", p]);
    // The PV controller's syncVolume: ClaimRef == nil → phase Available.
    assert_eq!(pv_row(&c), "Available ");
    assert_eq!(jsonpath(&c, &["pv", &volume], "{.status.phase}"), "Available");
}

// 4./5. rolling updates and roll backs of template modifications with PVCs

#[test]
fn rolling_update_with_claims_goes_highest_ordinal_first_and_rolls_back() {
    let c = Cluster::new();
    created(&c, &web(3, "", "alicloud-disk-essd"));
    for i in 0..3 {
        c.ok(&["exec", &format!("web-{i}"), "--", "sh", "-c", &format!("echo v-{i} > /data/f")]);
    }
    let r1 = status_field(&c, "web", "currentRevision");
    assert_eq!(revisions(&c), format!("{r1}:1 "));

    // With web-0 unready the update halts before touching any pod: current ≠ update revision.
    break_readiness(&c, "web-0");
    c.ok(&["set", "image", "sts/web", "webserver=httpd:2.4.41-alpine"]);
    let r2 = status_field(&c, "web", "updateRevision");
    assert_ne!(r1, r2);
    assert_eq!(hashes(&c), format!("web-0={r1} web-1={r1} web-2={r1} "));
    assert_eq!(status_field(&c, "web", "currentRevision"), r1);
    assert_eq!(status_field(&c, "web", "updatedReplicas"), "");
    assert_eq!(status_field(&c, "web", "currentReplicas"), "3");
    assert_eq!(status_field(&c, "web", "readyReplicas"), "2");
    assert_eq!(events(&c, "web", "SuccessfulDelete"), Vec::<String>::new());
    let o = c.run(&["rollout", "status", "sts/web", "--watch=false"]);
    assert_eq!((o.stdout.as_str(), o.code), ("Waiting for 1 pods to be ready...\n", 0));

    // Once it recovers, the pods are replaced from the highest ordinal down.
    restore_readiness(&c, "web-0");
    assert_eq!(hashes(&c), format!("web-0={r2} web-1={r2} web-2={r2} "));
    assert_eq!(images(&c), "web-0=httpd:2.4.41-alpine web-1=httpd:2.4.41-alpine web-2=httpd:2.4.41-alpine ");
    assert_eq!(
        events(&c, "web", "SuccessfulDelete"),
        [
            "delete Pod web-2 in StatefulSet web successful",
            "delete Pod web-1 in StatefulSet web successful",
            "delete Pod web-0 in StatefulSet web successful",
        ]
    );
    assert_eq!(status_field(&c, "web", "currentRevision"), r2);
    assert_eq!(status_field(&c, "web", "updatedReplicas"), "3");
    assert_eq!(status_field(&c, "web", "readyReplicas"), "3");
    assert_eq!(sorted_revisions(&c), sorted(&[format!("{r1}:1"), format!("{r2}:2")]));
    for i in 0..3 {
        assert_eq!(c.ok(&["exec", &format!("web-{i}"), "--", "cat", "/data/f"]), format!("v-{i}\n"));
    }

    // Undo reuses the first ControllerRevision under the next revision number.
    assert_eq!(c.ok(&["rollout", "undo", "sts/web"]), "statefulset.apps/web rolled back\n");
    assert_eq!(status_field(&c, "web", "updateRevision"), r1);
    assert_eq!(status_field(&c, "web", "currentRevision"), r1);
    assert_eq!(hashes(&c), format!("web-0={r1} web-1={r1} web-2={r1} "));
    assert_eq!(images(&c), "web-0=httpd:2.4.39-alpine web-1=httpd:2.4.39-alpine web-2=httpd:2.4.39-alpine ");
    assert_eq!(sorted_revisions(&c), sorted(&[format!("{r1}:3"), format!("{r2}:2")]));
    assert_eq!(c.ok(&["get", "controllerrevisions", "-o", "name"]).lines().count(), 2);
    assert_eq!(
        c.ok(&["rollout", "history", "sts/web"]),
        "statefulset.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n"
    );
    assert_eq!(
        c.ok(&["get", "pvc", "-o", "name"]),
        "persistentvolumeclaim/datadir-web-0\npersistentvolumeclaim/datadir-web-1\npersistentvolumeclaim/datadir-web-2\n"
    );
    for i in 0..3 {
        assert_eq!(c.ok(&["exec", &format!("web-{i}"), "--", "cat", "/data/f"]), format!("v-{i}\n"));
    }
}
