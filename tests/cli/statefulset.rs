//! StatefulSet controller scenarios from Kubernetes' e2e suite that a single binary can express:
//! claim retention policies, orphaning and adoption, Parallel management, start ordinals.

use crate::harness::{seed_manifest, Cluster};

/// A StatefulSet `web` of `replicas` nginx pods with one claim template `www` on ACK ESSD disks.
fn set(replicas: u32, extra_spec: &str) -> String {
    format!(
        "apiVersion: apps/v1
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
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        volumeMounts:
        - {{name: www, mountPath: /usr/share/nginx/html}}
  volumeClaimTemplates:
  - metadata: {{name: www}}
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: alicloud-disk-essd
      resources: {{requests: {{storage: 20Gi}}}}
"
    )
}

fn retention(when_deleted: &str, when_scaled: &str) -> String {
    format!("  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: {when_deleted}\n    whenScaled: {when_scaled}\n")
}

fn names(c: &Cluster, kind: &str) -> String {
    c.ok(&["get", kind, "-o", "name"])
}

fn claims(ordinals: &[u32]) -> String {
    ordinals.iter().map(|i| format!("persistentvolumeclaim/www-web-{i}\n")).collect()
}

/// Creates the set with 3 replicas, scales to 1, deletes it; returns the claims left after each.
fn retention_run(when_deleted: &str, when_scaled: &str) -> (String, String, usize) {
    let c = Cluster::new();
    let f = c.file("web.yaml", &set(3, &retention(when_deleted, when_scaled)));
    c.ok(&["create", "-f", &f]);
    c.ok(&["scale", "sts", "web", "--replicas=1"]);
    let after_scale = names(&c, "pvc");
    c.ok(&["delete", "sts", "web"]);
    let after_delete = names(&c, "pvc");
    let volumes = names(&c, "pv").lines().count();
    (after_scale, after_delete, volumes)
}

#[test]
fn retain_retain_keeps_every_claim() {
    let (scaled, deleted, volumes) = retention_run("Retain", "Retain");
    assert_eq!(scaled, claims(&[0, 1, 2]));
    assert_eq!(deleted, claims(&[0, 1, 2]));
    assert_eq!(volumes, 3);
}

#[test]
fn when_scaled_delete_removes_condemned_claims_and_their_disks() {
    let (scaled, deleted, volumes) = retention_run("Retain", "Delete");
    assert_eq!(scaled, claims(&[0]));
    assert_eq!(deleted, claims(&[0]));
    assert_eq!(volumes, 1, "Delete reclaim policy removes the released disks");
}

#[test]
fn when_deleted_delete_removes_claims_with_the_set() {
    let (scaled, deleted, volumes) = retention_run("Delete", "Retain");
    assert_eq!(scaled, claims(&[0, 1, 2]));
    assert_eq!(deleted, "");
    assert_eq!(volumes, 0);
}

#[test]
fn delete_delete_removes_claims_on_scale_down_and_delete() {
    let (scaled, deleted, volumes) = retention_run("Delete", "Delete");
    assert_eq!(scaled, claims(&[0]));
    assert_eq!(deleted, "");
    assert_eq!(volumes, 0);
}

#[test]
fn claim_owner_references_follow_the_policy() {
    let c = Cluster::new();
    let f = c.file("web.yaml", &set(2, &retention("Delete", "Retain")));
    c.ok(&["create", "-f", &f]);
    let refs = c.ok(&["get", "pvc", "www-web-1", "-o", "jsonpath={.metadata.ownerReferences[*].kind}"]);
    assert_eq!(refs, "StatefulSet");
    let c = Cluster::new();
    let f = c.file("web.yaml", &set(2, ""));
    c.ok(&["create", "-f", &f]);
    assert_eq!(c.ok(&["get", "pvc", "www-web-1", "-o", "jsonpath={.metadata.ownerReferences}"]), "");
}

#[test]
fn orphaned_pods_are_adopted_by_a_new_set_and_keep_their_data() {
    let c = Cluster::new();
    let f = c.file("statefulset.yaml", seed_manifest());
    c.ok(&["create", "-f", &f]);
    c.ok(&["exec", "web-0", "--", "sh", "-c", "echo kept > /data/file"]);
    let uid = c.ok(&["get", "pod", "web-0", "-o", "jsonpath={.metadata.uid}"]);
    assert_eq!(c.ok(&["delete", "sts", "web", "--cascade=orphan"]), "statefulset.apps \"web\" deleted\n");
    assert_eq!(names(&c, "pods"), "pod/web-0\npod/web-1\n");
    assert_eq!(c.ok(&["get", "pod", "web-0", "-o", "jsonpath={.metadata.ownerReferences}"]), "");
    let again = c.run(&["create", "-f", &f]);
    assert!(again.stdout.contains("statefulset.apps/web created"), "{again:?}");
    assert_eq!(c.ok(&["get", "pod", "web-0", "-o", "jsonpath={.metadata.uid}"]), uid, "adopted, not recreated");
    assert_eq!(c.ok(&["get", "pod", "web-0", "-o", "jsonpath={.metadata.ownerReferences[0].name}"]), "web");
    assert_eq!(c.ok(&["get", "controllerrevisions", "-o", "name"]).lines().count(), 1);
    assert_eq!(c.ok(&["exec", "web-0", "--", "cat", "/data/file"]), "kept\n");
}

#[test]
fn parallel_creates_every_pod_at_once() {
    let c = Cluster::new();
    let f = c.file("web.yaml", &set(3, "  podManagementPolicy: Parallel\n"));
    c.ok(&["create", "-f", &f]);
    let events = c.ok(&["describe", "sts", "web"]);
    let order: Vec<&str> =
        events.lines().filter_map(|l| l.split("  ").last()).filter(|m| m.starts_with("create Pod")).collect();
    assert_eq!(
        order,
        [
            "create Pod web-0 in StatefulSet web successful",
            "create Pod web-1 in StatefulSet web successful",
            "create Pod web-2 in StatefulSet web successful"
        ]
    );
    assert_eq!(c.ok(&["get", "sts", "web", "-o", "jsonpath={.status.readyReplicas}"]), "3");
}

#[test]
fn start_ordinals_shift_the_pods() {
    let c = Cluster::new();
    let f = c.file("web.yaml", &set(2, "  ordinals:\n    start: 3\n"));
    c.ok(&["create", "-f", &f]);
    assert_eq!(names(&c, "pods"), "pod/web-3\npod/web-4\n");
    assert_eq!(names(&c, "pvc"), claims(&[3, 4]));
}

#[test]
fn scale_down_removes_highest_ordinals_first() {
    let c = Cluster::new();
    let f = c.file("web.yaml", &set(4, ""));
    c.ok(&["create", "-f", &f]);
    c.ok(&["scale", "sts", "web", "--replicas=1"]);
    let events = c.ok(&["describe", "sts", "web"]);
    let deletes: Vec<&str> = events.lines().filter(|l| l.contains("SuccessfulDelete")).collect();
    assert_eq!(deletes.len(), 3);
    assert!(deletes[0].ends_with("delete Pod web-3 in StatefulSet web successful"));
    assert!(deletes[2].ends_with("delete Pod web-1 in StatefulSet web successful"));
}

#[test]
fn min_ready_seconds_gates_creation_and_availability_as_time_passes() {
    let mut c = Cluster::new();
    let f = c.file("web.yaml", &set(2, "  minReadySeconds: 30\n"));
    c.at("2026-11-27T10:00:00Z");
    c.ok(&["create", "-f", &f]);
    c.at("2026-11-27T10:00:10Z");
    assert_eq!(names(&c, "pods"), "pod/web-0\n", "web-1 waits until web-0 has been ready for 30s");
    assert_eq!(c.ok(&["get", "sts", "web", "-o", "jsonpath={.status.availableReplicas}"]), "0");
    c.at("2026-11-27T10:00:31Z");
    assert_eq!(names(&c, "pods"), "pod/web-0\npod/web-1\n");
    assert_eq!(c.ok(&["get", "sts", "web", "-o", "jsonpath={.status.availableReplicas}"]), "1");
    c.at("2026-11-27T10:01:02Z");
    assert_eq!(c.ok(&["get", "sts", "web", "-o", "jsonpath={.status.availableReplicas}"]), "2");
}

/// The e2e fixture's shape: httpd with a readiness probe on /index.html.
fn probed_set(replicas: u32, policy: &str, probe: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ss
spec:
  selector:
    matchLabels: {{foo: bar}}
  serviceName: test
  replicas: {replicas}
  podManagementPolicy: {policy}
  template:
    metadata:
      labels: {{foo: bar}}
    spec:
      containers:
      - name: webserver
        image: httpd:2.4.39-alpine
        {probe}:
          httpGet: {{path: /index.html, port: 80}}
"
    )
}

fn ready_column(c: &Cluster) -> Vec<String> {
    c.ok(&["get", "pods", "--no-headers"])
        .lines()
        .map(|l| l.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
        .collect()
}

const BREAK: [&str; 5] = ["exec", "ss-0", "--", "mv", "/usr/local/apache2/htdocs/index.html"];

#[test]
fn ordered_scaling_halts_behind_an_unready_pod_and_resumes() {
    let c = Cluster::new();
    let f = c.file("ss.yaml", &probed_set(1, "OrderedReady", "readinessProbe"));
    c.ok(&["create", "-f", &f]);
    c.ok(&[BREAK[0], BREAK[1], BREAK[2], BREAK[3], BREAK[4], "/tmp/index.html"]);
    assert_eq!(ready_column(&c), ["ss-0 1/1"], "readiness changes only when the probe runs again");
    c.ok(&["advance", "20s"]);
    assert_eq!(ready_column(&c), ["ss-0 1/1"], "two failures are below the threshold of 3");
    c.ok(&["advance", "10s"]);
    assert_eq!(ready_column(&c), ["ss-0 0/1"]);
    c.ok(&["scale", "sts", "ss", "--replicas=3"]);
    assert_eq!(ready_column(&c), ["ss-0 0/1"], "scale-up halts behind the unready pod");
    c.ok(&["exec", "ss-0", "--", "mv", "/tmp/index.html", "/usr/local/apache2/htdocs/index.html"]);
    c.ok(&["advance", "10s"]);
    assert_eq!(ready_column(&c), ["ss-0 1/1", "ss-1 1/1", "ss-2 1/1"]);
    let described = c.ok(&["describe", "pod", "ss-0"]);
    assert!(described.contains("Readiness probe failed: HTTP probe failed with statuscode: 404"), "{described}");
}

#[test]
fn ordered_scale_down_halts_when_pods_are_unready_but_parallel_does_not() {
    for (policy, left) in [("OrderedReady", 3), ("Parallel", 0)] {
        let c = Cluster::new();
        let f = c.file("ss.yaml", &probed_set(3, policy, "readinessProbe"));
        c.ok(&["create", "-f", &f]);
        for pod in ["ss-0", "ss-1", "ss-2"] {
            c.ok(&["exec", pod, "--", "rm", "/usr/local/apache2/htdocs/index.html"]);
        }
        c.ok(&["advance", "30s"]);
        c.ok(&["scale", "sts", "ss", "--replicas=0"]);
        assert_eq!(c.ok(&["get", "pods", "-o", "name"]).lines().count(), left, "{policy}");
    }
}

#[test]
fn a_failed_liveness_probe_restarts_the_container_with_a_fresh_layer() {
    let c = Cluster::new();
    let f = c.file("ss.yaml", &probed_set(1, "OrderedReady", "livenessProbe"));
    c.ok(&["create", "-f", &f]);
    c.ok(&["exec", "ss-0", "--", "touch", "/tmp/scratch"]);
    c.ok(&["exec", "ss-0", "--", "rm", "/usr/local/apache2/htdocs/index.html"]);
    c.ok(&["advance", "29s"]);
    assert_eq!(c.ok(&["get", "pod", "ss-0", "-o", "jsonpath={.status.containerStatuses[0].restartCount}"]), "0");
    c.ok(&["advance", "1s"]);
    assert_eq!(c.ok(&["get", "pod", "ss-0", "-o", "jsonpath={.status.containerStatuses[0].restartCount}"]), "1");
    let ls = c.run(&["exec", "ss-0", "--", "ls", "/tmp/scratch"]);
    assert_ne!(ls.code, 0, "the writable layer starts fresh after a restart: {ls:?}");
    assert!(!c.ok(&["exec", "ss-0", "--", "cat", "/usr/local/apache2/htdocs/index.html"]).is_empty());
    let described = c.ok(&["describe", "pod", "ss-0"]);
    assert!(described.contains("Container webserver failed liveness probe, will be restarted"), "{described}");
}

#[test]
fn killing_the_main_process_restarts_the_container_and_keeps_the_previous_log() {
    let mut c = Cluster::new();
    let f = c.file("statefulset.yaml", seed_manifest());
    c.ok(&["create", "-f", &f]);
    c.ok(&["exec", "web-0", "--", "touch", "/tmp/scratch", "/data/kept"]);
    c.ok(&["exec", "web-0", "--", "curl", "-s", "-o", "/dev/null", "localhost"]);
    c.at("2026-11-27T09:02:00Z");
    c.ok(&["exec", "web-0", "--", "sh", "-c", "kill 1"]);
    c.at("2026-11-27T09:03:00Z");
    let row = c.ok(&["get", "pod", "web-0", "--no-headers"]);
    assert_eq!(row.split_whitespace().collect::<Vec<_>>()[..5], ["web-0", "1/1", "Running", "1", "(60s"]);
    assert_ne!(c.run(&["exec", "web-0", "--", "ls", "/tmp/scratch"]).code, 0, "the writable layer is new");
    assert_eq!(c.ok(&["exec", "web-0", "--", "ls", "/data"]), "kept\nlost+found\n", "the volume is not");
    let previous = c.ok(&["logs", "web-0", "--previous"]);
    assert!(previous.contains("\"GET / HTTP/1.1\" 200"), "{previous}");
    assert!(!c.ok(&["logs", "web-0"]).contains("GET /"), "the new container's log starts empty");
    let described = c.ok(&["describe", "pod", "web-0"]);
    assert!(
        described.contains("    Last State:     Terminated\n      Reason:       Completed\n      Exit Code:    0\n")
    );
}

#[test]
fn the_stored_bytes_cap_is_configurable() {
    let c = Cluster::new();
    let f = c.file("statefulset.yaml", seed_manifest());
    c.ok(&["create", "-f", &f]);
    let out = c
        .command(&["exec", "web-0", "--", "sh", "-c", "head -c 10M /dev/zero > /data/big; ls -l /data/big"])
        .env("KSTATE_MAX_STORED_BYTES", "1Mi")
        .output()
        .expect("run kstate");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(stdout.contains(" 1048576 "), "only the cap is stored: {stdout}");
}

#[test]
fn unknown_fields_are_refused_unless_validation_is_off() {
    let c = Cluster::new();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: unk\nspec:\n  foo: bar\n  containers:\n  - name: c\n    image: busybox\n    madeUp: 3\n";
    let f = c.file("pod.yaml", pod);
    let out = c.run(&["create", "-f", &f]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.ends_with(
            "strict decoding error: unknown field \"spec.containers[0].madeUp\", unknown field \"spec.foo\"\n"
        ),
        "{}",
        out.stderr
    );
    c.ok(&["create", "-f", &f, "--validate=false"]);
    assert_eq!(c.ok(&["get", "pod", "unk", "-o", "jsonpath={.spec.foo}|{.spec.containers[0].madeUp}"]), "|");
    // A converted apps/v1beta2 StatefulSet is decoded as the apps/v1 object it becomes.
    let old = seed_manifest().replace("  serviceName: \"nginx\"\n", "  serviceName: \"nginx\"\n  extraField: kept\n");
    let f = c.file("sts.yaml", &old);
    let out = c.run(&["create", "-f", &f, "--validate=warn"]);
    assert!(out.stderr.contains("Warning: unknown field \"spec.extraField\"\n"), "{}", out.stderr);
    assert_eq!(c.ok(&["get", "sts", "web", "-o", "jsonpath={.apiVersion}|{.spec.extraField}"]), "apps/v1|");
}

#[test]
fn create_reads_folders_stdin_json_and_lists() {
    let c = Cluster::new();
    let dir = c.path_of("manifests");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let svc =
        |n: &str| format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: {n}\nspec:\n  ports:\n  - port: 80\n");
    std::fs::write(dir.join("a.yaml"), format!("{}---\n{}", svc("a1"), svc("a2"))).expect("write");
    std::fs::write(
        dir.join("b.json"),
        r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"b"},"spec":{"ports":[{"port":80}]}}"#,
    )
    .expect("write");
    std::fs::write(dir.join("skip.txt"), "not a manifest").expect("write");
    let out = c.ok(&["create", "-f", &dir.to_string_lossy()]);
    assert_eq!(out, "service/a1 created\nservice/a2 created\nservice/b created\n");
    let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: team\n";
    assert_eq!(c.run_stdin(&["create", "-f", "-"], list).stdout, "namespace/team created\n");
}

#[test]
fn init_containers_complete_before_the_app_containers_start() {
    let c = Cluster::new();
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  initContainers:\n  - name: init\n    image: busybox\n    command: [sh, -c, 'echo init']\n  containers:\n  - name: main\n    image: nginx\n";
    let f = c.file("db.yaml", manifest);
    c.ok(&["create", "-f", &f]);
    // The init container ran; nginx's image is being pulled (as the Pulled event says) meanwhile.
    assert_eq!(
        c.ok(&["get", "pod", "db", "--no-headers"]).split_whitespace().take(3).collect::<Vec<_>>(),
        ["db", "0/1", "PodInitializing"]
    );
    c.ok(&["advance", "5s"]);
    assert_eq!(
        c.ok(&["get", "pod", "db", "--no-headers"]).split_whitespace().take(3).collect::<Vec<_>>(),
        ["db", "1/1", "Running"]
    );
    let state = "{.status.initContainerStatuses[0].state.terminated.reason} {.status.initContainerStatuses[0].state.terminated.exitCode}";
    assert_eq!(c.ok(&["get", "pod", "db", "-o", &format!("jsonpath={state}")]), "Completed 0");
    let described = c.ok(&["describe", "pod", "db"]);
    assert!(described.contains("Init Containers:\n  init:\n"), "{described}");
    assert!(described.contains("Started container init"), "{described}");
}

const NO_VOLUMES: &str = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
";

#[test]
fn replicas_are_limited_only_by_int32_and_a_full_cluster_leaves_the_rest_pending() {
    let c = Cluster::new();
    c.ok(&["init", "--profile", "kind"]);
    let f = c.file("web.yaml", NO_VOLUMES);
    c.ok(&["create", "-f", &f]);
    // 20,000 replicas are accepted, and nothing on stderr: no progress line in a pipe.
    let out = c.run(&["scale", "sts", "web", "--replicas=20000"]);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str(), out.code), ("statefulset.apps/web scaled\n", "", 0));
    // kind's one node holds 110 pods; OrderedReady waits on the first that cannot be scheduled.
    assert_eq!(c.ok(&["get", "sts"]), "NAME   READY       AGE\nweb    110/20000   0s\n");
    assert_eq!(
        c.ok(&["get", "pods", "--field-selector=status.phase=Pending"]),
        "NAME      READY   STATUS    RESTARTS   AGE\nweb-110   0/1     Pending   0          0s\n"
    );
    let described = c.ok(&["describe", "pod", "web-110"]);
    assert!(
        described.ends_with(
            "  Warning  FailedScheduling  0s    default-scheduler  0/1 nodes are available: 1 Too many pods. \
             preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.\n"
        ),
        "{described}"
    );
    // int32's largest is accepted; one more cannot be decoded, and nothing changes.
    assert_eq!(c.ok(&["scale", "sts", "web", "--replicas=2147483647"]), "statefulset.apps/web scaled\n");
    let before = c.snapshot();
    let out = c.run(&["scale", "sts", "web", "--replicas=2147483648"]);
    assert_eq!(
        (out.stderr.as_str(), out.code),
        (
            "Error from server (BadRequest): Scale in version \"v1\" cannot be handled as a Scale: json: cannot \
             unmarshal number 2147483648 into Go struct field ScaleSpec.spec.replicas of type int32\n",
            1
        )
    );
    assert_eq!(c.snapshot(), before);
    let out = c.run(&["patch", "sts", "web", "-p", r#"{"spec":{"replicas":-1}}"#]);
    assert_eq!(
        (out.stderr.as_str(), out.code),
        ("The StatefulSet \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n", 1)
    );
    assert_eq!(c.snapshot(), before);
}

#[test]
fn a_claim_in_use_stays_terminating_until_its_pod_is_gone() {
    let c = Cluster::new();
    let f = c.file("statefulset.yaml", seed_manifest());
    c.ok(&["create", "-f", &f]);
    let pv = c.ok(&["get", "pvc", "disk-ssd-web-1", "-o", "jsonpath={.spec.volumeName}"]);
    assert_eq!(c.ok(&["delete", "pvc", "disk-ssd-web-1"]), "persistentvolumeclaim \"disk-ssd-web-1\" deleted\n");
    let row = c.ok(&["get", "pvc", "disk-ssd-web-1", "--no-headers"]);
    assert_eq!(row.split_whitespace().nth(1), Some("Terminating"), "{row}");
    assert_eq!(
        c.ok(&["get", "pvc", "disk-ssd-web-1", "-o", "jsonpath={.metadata.finalizers}"]),
        "[\"kubernetes.io/pvc-protection\"]"
    );
    c.ok(&["scale", "sts", "web", "--replicas=1"]);
    assert_eq!(names(&c, "pvc"), "persistentvolumeclaim/disk-ssd-web-0\n");
    assert!(!names(&c, "pv").contains(&pv), "the Delete reclaim policy removed the disk");
}

#[test]
fn a_zonal_disk_pins_its_pod_to_its_zone() {
    let c = Cluster::new();
    let f = c.file("statefulset.yaml", seed_manifest());
    c.ok(&["create", "-f", &f]);
    c.ok(&["scale", "sts", "web", "--replicas=3"]);
    for i in 0..3 {
        let pv = c.ok(&["get", "pvc", &format!("disk-ssd-web-{i}"), "-o", "jsonpath={.spec.volumeName}"]);
        let disk_zone = c.ok(&[
            "get",
            "pv",
            &pv,
            "-o",
            "jsonpath={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}",
        ]);
        let node = c.ok(&["get", "pod", &format!("web-{i}"), "-o", "jsonpath={.spec.nodeName}"]);
        let node_zone =
            c.ok(&["get", "node", &node, "-o", "jsonpath={.metadata.labels.topology\\.kubernetes\\.io/zone}"]);
        assert!(disk_zone.starts_with("cn-beijing-"), "{disk_zone}");
        assert_eq!(node_zone, disk_zone, "web-{i} runs in its disk's zone");
    }
}

#[test]
fn delete_accepts_now_and_timeout() {
    let c = Cluster::new();
    let f = c.file("statefulset.yaml", seed_manifest());
    c.ok(&["create", "-f", &f]);
    assert_eq!(c.ok(&["delete", "pod", "web-1", "--now", "--timeout=30s", "--wait"]), "pod \"web-1\" deleted\n");
    assert_eq!(names(&c, "pods"), "pod/web-0\npod/web-1\n", "recreated by the set");
}

#[test]
fn kubectl_connection_flags_are_accepted() {
    let c = Cluster::new();
    // `--context` and `--kubeconfig` now choose a context (tests/cli/contexts.rs); `kstate` is the
    // implicit one of a missing file.
    let out = c.ok(&[
        "--context",
        "kstate",
        "--kubeconfig",
        "/nowhere",
        "--cluster=kind-kind",
        "-v=6",
        "get",
        "ns",
        "-o",
        "name",
        "--request-timeout=5s",
    ]);
    assert!(out.starts_with("namespace/default\n"), "{out}");
}

#[test]
fn a_pod_rejected_for_a_host_port_is_recreated_once_the_port_is_free() {
    let c = Cluster::new();
    let pinned = "spec:\n  nodeName: cn-beijing.192.168.0.101\n  containers:\n  - name: webserver\n    image: httpd:2.4.39-alpine\n    ports:\n    - {containerPort: 21017, hostPort: 21017}\n";
    let blocker = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: test-pod\n{pinned}");
    let template = pinned.replace("spec:\n", "    spec:\n").replace("\n  ", "\n      ");
    let set = format!(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: ss\nspec:\n  selector:\n    matchLabels: {{foo: bar}}\n  serviceName: test\n  replicas: 1\n  template:\n    metadata:\n      labels: {{foo: bar}}\n{template}"
    );
    c.ok(&["create", "-f", &c.file("blocker.yaml", &blocker)]);
    c.ok(&["create", "-f", &c.file("ss.yaml", &set)]);
    let status = "{.status.phase} {.status.reason} {.status.message}";
    assert_eq!(
        c.ok(&["get", "pod", "ss-0", "-o", &format!("jsonpath={status}")]),
        "Failed NodePorts Pod was rejected: Predicate NodePorts failed"
    );
    let rejected = c.ok(&["get", "pod", "ss-0", "-o", "jsonpath={.metadata.uid}"]);
    c.ok(&["delete", "pod", "test-pod"]);
    assert_eq!(c.ok(&["get", "pod", "ss-0", "-o", "jsonpath={.status.phase}"]), "Running");
    assert_ne!(c.ok(&["get", "pod", "ss-0", "-o", "jsonpath={.metadata.uid}"]), rejected, "a new pod");
}

#[test]
fn the_scheduler_spreads_pods_that_need_the_same_host_port() {
    let c = Cluster::new();
    let template = "      containers:\n      - name: webserver\n        image: httpd:2.4.39-alpine\n        ports:\n        - {containerPort: 80, hostPort: 8080}\n";
    let set = |replicas: u32| {
        format!(
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: hp\nspec:\n  selector:\n    matchLabels: {{app: hp}}\n  serviceName: hp\n  replicas: {replicas}\n  podManagementPolicy: Parallel\n  template:\n    metadata:\n      labels: {{app: hp}}\n    spec:\n{template}"
        )
    };
    c.ok(&["create", "-f", &c.file("hp.yaml", &set(4))]);
    let nodes = c.ok(&["get", "pods", "-o", "jsonpath={range .items[*]}{.spec.nodeName}{\"\\n\"}{end}"]);
    let placed: Vec<&str> = nodes.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(placed.len(), 3, "three nodes, one port each: {nodes}");
    let mut unique = placed.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 3);
    let described = c.ok(&["describe", "pod", "hp-3"]);
    assert!(described.contains("3 node(s) didn't have free ports for the requested pod ports"), "{described}");
}

#[test]
fn empty_manifests_are_refused_like_kubectl() {
    let c = Cluster::new();
    let out = c.run_stdin(&["create", "-f", "-"], "# nothing here\n");
    assert_eq!((out.stderr.as_str(), out.code), ("error: no objects passed to create\n", 1));
    let out = c.run_stdin(&["apply", "-f", "-"], "---\n");
    assert_eq!((out.stderr.as_str(), out.code), ("error: no objects passed to apply\n", 1));
}
