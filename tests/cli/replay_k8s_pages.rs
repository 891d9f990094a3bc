//! kubernetes.io pages replayed as their readers replay them (`kstate replay`, pages in
//! tests/cli/replay_docs/k8s/, their examples in tests/cli/replay_docs/examples/): each command's
//! verdict. A page's header says where it comes from; docs/replay.md ("kubernetes.io pages") says
//! why each failure that remains is the page's (an older cluster's output, alternatives shown as
//! steps, what kstate does not simulate) and not kstate's.

use std::path::{Path, PathBuf};

use crate::harness::{replay_steps, verdicts, Cluster};

fn pages() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/replay_docs/k8s")
}

/// Replays `page` on `c`'s cluster (as it is: a test may create what the page assumes first):
/// each command's line and verdict.
fn replay(c: &Cluster, page: &str) -> Vec<(u64, String)> {
    replay_with(c, page, &["--examples", "../examples"])
}

fn replay_with(c: &Cluster, page: &str, extra: &[&str]) -> Vec<(u64, String)> {
    replay_steps(c, &pages(), page, extra, None)
}

#[test]
fn run_a_stateless_application_page_replays() {
    // Indented code blocks in numbered steps; pod names with an older cluster's decimal
    // pod-template-hash. Line 23 is the describe of a v1.3 cluster (Labels copied from the
    // template, `key=value` annotations, `1 max unavailable`, no Host Port or Events table).
    let c = Cluster::new();
    let steps = replay(&c, "run-stateless-application-deployment.md");
    let want = [(15, "ok"), (19, "ok"), (23, "failed"), (54, "ok"), (64, "ok"), (72, "ok"), (76, "ok"), (84, "ok")];
    assert_eq!(steps, verdicts(&[&want[..], &[(88, "ok"), (102, "ok")]].concat()));
    assert_eq!(c.ok(&["get", "deployments", "-o", "name"]), "");
}

#[test]
fn jobs_page_running_an_example_job_replays() {
    // The describe and -o yaml tabs show v1.16 and v1.24 clusters (legacy selector labels only,
    // no Completion Mode, Suspend or Backoff Limit lines); the pods and their logs replay.
    let c = Cluster::new();
    let steps = replay(&c, "job.md");
    assert_eq!(steps, verdicts(&[(16, "ok"), (28, "failed"), (63, "failed"), (124, "ok"), (125, "ok"), (140, "ok")]));
    // The labels the describe tab shows: the Job carries its template's labels.
    let labels = c.ok(&["get", "job", "pi", "-o", "jsonpath={.metadata.labels.job-name}"]);
    assert_eq!(labels, "pi");
}

#[test]
fn deployments_page_replays_where_kstate_and_the_page_agree() {
    // Failures: outputs caught mid-rollout (16, 24, 87: kstate converges at once), the second of two
    // alternative commands (63: the image is already set; 250: revision 2 became 4), ReplicaSet
    // hashes the page takes from two different clusters (106), the v1.8 describe (132), the
    // stuck rollout of the unpullable `nginx:1.161` (188: the page's older status wording; 197,
    // 209: its hashes and ages; tests/cli/image_pulls.rs replays that section) and the page's
    // wrong `autoscale` output (278).
    let c = Cluster::new();
    let steps = replay(&c, "deployment.md");
    let want = [
        (13, "ok"),
        (16, "failed"),
        (24, "failed"),
        (39, "ok"),
        (45, "ok"),
        (57, "ok"),
        (63, "failed"),
        (75, "skipped"),
        (87, "failed"),
        (106, "failed"),
        (119, "ok"),
        (132, "failed"),
        (177, "ok"),
        (188, "failed"),
        (197, "failed"),
        (209, "failed"),
        (223, "drift"),
        (236, "ok"),
        (241, "ok"),
        (250, "failed"),
        (260, "ok"),
        (270, "ok"),
        (278, "failed"),
    ];
    assert_eq!(steps, verdicts(&want));
}

#[test]
fn statefulset_task_pages_replay_on_a_running_statefulset() {
    // The pages assume a StatefulSet; their `<pod>`, `<statefulset-name>` and `<stateful-set-pod>`
    // are filled from it. `--force` prints kubectl's warning (drift: the page shows no output).
    let c = Cluster::new();
    let web = pages().join("web.yaml");
    c.ok(&["apply", "-f", web.to_str().unwrap_or_default()]);
    let steps = replay(&c, "force-delete-stateful-set-pod.md");
    assert_eq!(steps, verdicts(&[(11, "ok"), (21, "drift"), (27, "ok"), (33, "ok")]));
    // Delete: `<file.yaml>` is the reader's own file (9, 21); the StatefulSet is gone once line 13
    // deleted it, so the last section finds no pod (31) and `sleep $grace` has no grace (33).
    let steps = replay(&c, "delete-stateful-set.md");
    let want = [(9, "failed"), (13, "ok"), (17, "ok"), (21, "failed"), (25, "ok"), (31, "failed"), (32, "ok")];
    assert_eq!(steps, verdicts(&[&want[..], &[(33, "failed"), (34, "ok")]].concat()));
}

#[test]
fn statefulset_basics_tutorial_replays() {
    // The reader's web.yaml next to the page stands for the shortcode's example. Failures: the
    // StatefulSet caught mid-creation (26: CURRENT 1); `patch` to the default RollingUpdate prints
    // `(no change)` today (123); the page's image names disagree with its own patches (133, 156,
    // 178); its `apply` lists the StatefulSet before the Service that web.yaml puts first (222).
    let c = Cluster::new();
    let steps = replay_with(&c, "basic-stateful-set.md", &[]);
    let want = [
        (12, "skipped"),
        (16, "ok"),
        (22, "ok"),
        (26, "failed"),
        (32, "ok"),
        (40, "ok"),
        (46, "skipped"),
        (63, "ok"),
        (69, "ok"),
        (75, "drift"),
        (82, "ok"),
        (84, "ok"),
        (90, "ok"),
        (96, "ok"),
        (102, "ok"),
        (107, "ok"),
        (112, "drift"),
        (123, "failed"),
        (128, "ok"),
        (133, "failed"),
        (141, "ok"),
        (146, "ok"),
        (151, "ok"),
        (156, "failed"),
        (162, "ok"),
        (167, "ok"),
        (173, "ok"),
        (178, "failed"),
        (184, "ok"),
        (189, "ok"),
        (197, "drift"),
        (202, "ok"),
        (210, "ok"),
        (215, "ok"),
        (222, "failed"),
        (228, "ok"),
        (234, "ok"),
        (239, "ok"),
        (244, "ok"),
        (250, "ok"),
        (256, "ok"),
        (259, "drift"),
    ];
    assert_eq!(steps, verdicts(&want));
}

#[test]
fn probes_page_replays_in_cluster_time() {
    // The waits the page tells move cluster time, so 65 s after its creation the exec example has
    // been restarted once (66: drift, today's RESTARTS adds `(25s ago)`). Its two describes are
    // compared from their Events table, which the page shows alone; they fail on a v1.13-era
    // kubelet's events (`kubelet, node01`, `Successfully pulled image` without timings, all three
    // probe failures and the kill already at 35 s).
    let c = Cluster::new();
    let steps = replay(&c, "configure-liveness-readiness-startup-probes.md");
    let want = [(21, "ok"), (27, "failed"), (45, "failed"), (66, "drift"), (84, "ok"), (91, "ok"), (99, "ok")];
    assert_eq!(steps, verdicts(&[&want[..], &[(105, "ok"), (111, "ok"), (117, "ok")]].concat()));
    let restarts = c.ok(&["get", "pod", "liveness-exec", "-o", "jsonpath={.status.containerStatuses[0].restartCount}"]);
    // The later sections waited 40 s more: 105 s in, the second round of failures restarted it
    // again (at 90 s: 45 s per round).
    assert_eq!(restarts, "2");
}

#[test]
fn cronjob_task_page_replays_in_cluster_time() {
    // "Watch for the job to be created in around one minute": the skipped watch still moves cluster
    // time a minute, so the CronJob has scheduled a job. Failures: the page's `*/1 * * * *` is an
    // older cronjob.yaml's schedule (25, 53), and it reads the pods of the job its own cluster named
    // `hello-4111706356` (69: `logs` without a pod).
    let c = Cluster::new();
    let steps = replay(&c, "automated-tasks-with-cron-jobs.md");
    let want = [(14, "ok"), (25, "failed"), (38, "skipped"), (53, "failed"), (64, "ok"), (69, "failed"), (81, "ok")];
    assert_eq!(steps, verdicts(&want));
    assert_eq!(c.ok(&["get", "jobs", "-o", "name"]), "");
}

#[test]
fn mysql_tutorial_replays_with_its_watches_and_waits() {
    // The first watch shows the three pods Running: replay runs its `get` while cluster time moves
    // until they are (71); "After a few seconds" the broken readiness probe has failed (267); the
    // watch of the scale-up, shown without output, lasts until every pod is ready (375), so
    // mysql-3 serves the cloned row (385). Failures: the page's `-o wide` is 15 minutes after the
    // delete that kstate's replay runs it right after (313); `--delete-local-data` is gone from
    // kubectl v1.32 (331); the endless `SELECT @@server_id` loop is skipped, so its cleanup finds
    // no pod (444).
    let c = Cluster::new();
    let steps = replay(&c, "run-replicated-stateful-application.md");
    let want = [
        (19, "ok"),
        (39, "ok"),
        (65, "ok"),
        (71, "ok"),
        (183, "ok"),
        (195, "ok"),
        (215, "skipped"),
        (258, "ok"),
        (267, "ok"),
        (286, "ok"),
        (295, "ok"),
        (313, "failed"),
        (331, "failed"),
        (337, "skipped"),
        (360, "ok"),
        (369, "ok"),
        (375, "skipped"),
        (385, "ok"),
        (402, "ok"),
        (413, "drift"),
        (431, "ok"),
        (432, "ok"),
        (444, "failed"),
        (450, "ok"),
        (457, "drift"),
        (469, "ok"),
    ];
    assert_eq!(steps, verdicts(&want));
    assert_eq!(c.ok(&["get", "pvc", "-o", "name"]), "");
}

#[test]
fn single_instance_mysql_page_replays() {
    // A hostPath volume of class `manual` bound to the page's claim; a Recreate Deployment on it.
    // Failures: both describes are a v1.4 cluster's (Labels copied from the template, `key=value`
    // annotations, the pod not yet available, an empty StorageClass, no Finalizers or Used By).
    let c = Cluster::new();
    let steps = replay(&c, "run-single-instance-stateful-application.md");
    let want = [(27, "ok"), (31, "ok"), (35, "failed"), (77, "ok"), (86, "failed"), (113, "ok"), (148, "ok")];
    assert_eq!(steps, verdicts(&[&want[..], &[(149, "ok"), (150, "ok")]].concat()));
    assert_eq!(c.ok(&["get", "pv", "-o", "name"]), "");
}

#[test]
fn drain_a_node_page_fills_a_placeholder_written_in_words() {
    // `<node name>` (in two words, as the older task pages write it) is a node of the cluster.
    let c = Cluster::new();
    let steps = replay(&c, "safely-drain-node.md");
    assert_eq!(steps, verdicts(&[(11, "ok"), (17, "ok"), (25, "ok")]));
    assert!(!c.ok(&["get", "nodes"]).contains("SchedulingDisabled"));
}

#[test]
fn daemonset_rolling_update_page_replays() {
    // `apply --dry-run=client -o go-template` prints the manifest's update strategy (42). Failures:
    // the update example the index holds selects `name` where the DaemonSet selects
    // `app.kubernetes.io/name`, and a selector is immutable (69); the page's `daemonset "..."
    // successfully rolled out` is not kubectl's wording (`daemon set`, 96). `create` then `apply`
    // are alternatives: the apply warns of the missing last-applied annotation (26, drift).
    let c = Cluster::new();
    let steps = replay(&c, "update-daemon-set.md");
    let want = [(19, "ok"), (26, "drift"), (35, "ok"), (42, "ok"), (69, "failed"), (79, "skipped"), (88, "ok")];
    assert_eq!(steps, verdicts(&[&want[..], &[(96, "failed"), (111, "ok"), (119, "ok")]].concat()));
    assert_eq!(c.ok(&["get", "pods", "-n", "kube-system", "-o", "name"]), "");
}

#[test]
fn environment_variable_pages_replay() {
    // The downward API's values reach the container's environment: the logs show the node, the
    // pod's name, namespace, IP and service account (42), and the resource fields in the units
    // the page shows (123). In the shell the page opens, `# Run this in a shell inside the
    // container` is a comment and `printenv` the command (69), its variables compared in any
    // order (a kubelet hands them over from a Go map), `MY_NODE_NAME=minikube` as the node.
    let c = Cluster::new();
    let steps = replay(&c, "environment-variable-expose-pod-information.md");
    let want = [(29, "ok"), (36, "ok"), (42, "ok"), (62, "skipped"), (69, "ok"), (110, "ok"), (117, "ok")];
    assert_eq!(steps, verdicts(&[&want[..], &[(123, "ok")]].concat()));
    // Its printenv is a node image's of 2016 (NODE_VERSION, EXAMPLE_SERVICE_...) (42).
    let steps = replay(&c, "define-environment-variable-container.md");
    assert_eq!(steps, verdicts(&[(23, "ok"), (29, "ok"), (42, "failed")]));
}

#[test]
fn downward_api_files_page_replays() {
    // The labels file the page's shell shows after "The output shows ..." is compared, not typed
    // as assignments (68). Failure: the page's log leaves out the blank lines the loop prints and
    // the annotations a real cluster adds to the file (the last-applied configuration of `apply`,
    // the kubelet's `kubernetes.io/config.seen` and `config.source`) (45).
    let c = Cluster::new();
    let steps = replay(&c, "downward-api-volume-expose-pod-information.md");
    let want = [(33, "ok"), (39, "ok"), (45, "failed"), (62, "skipped"), (68, "ok"), (83, "ok"), (89, "ok")];
    assert_eq!(steps, verdicts(&[&want[..], &[(139, "ok"), (145, "skipped"), (152, "ok")]].concat()));
    let file = c.ok(&["exec", "kubernetes-downwardapi-volume-example", "--", "cat", "/etc/podinfo/annotations"]);
    assert!(file.ends_with("\nkubernetes.io/config.source=\"api\""), "{file}");
    let cpu = c.ok(&["exec", "kubernetes-downwardapi-volume-example-2", "--", "cat", "/etc/podinfo/cpu_limit"]);
    assert_eq!(cpu, "250");
}

#[test]
fn command_and_arguments_page_replays() {
    // `printenv HOSTNAME KUBERNETES_PORT` as the container's command: its log has the pod's name
    // and the kubernetes Service's address (an IP of the page's own cluster, bound by shape).
    let c = Cluster::new();
    let steps = replay(&c, "define-command-argument-container.md");
    assert_eq!(steps, verdicts(&[(32, "ok"), (38, "ok"), (48, "ok")]));
    assert_eq!(c.ok(&["logs", "command-demo"]), "command-demo\ntcp://10.96.0.1:443\n");
}

#[test]
fn indexed_job_page_runs_its_five_indexes() {
    // The init container (the bash image) maps $JOB_COMPLETION_INDEX through a bash array; the
    // worker reverses the word with busybox's rev. Failures: the describe is a v1.21 cluster's
    // (legacy selector, no Completion Mode, Suspend, Backoff Limit), caught mid-run (24); the
    // log is of a pod of the page's own cluster, which the reader is told to rename (88).
    let c = Cluster::new();
    let steps = replay(&c, "indexed-parallel-processing-static.md");
    assert_eq!(steps, verdicts(&[(14, "ok"), (24, "failed"), (88, "failed")]));
    c.ok(&["advance", "10s"]);
    assert_eq!(c.ok(&["get", "job", "indexed-job", "-o", "jsonpath={.status.completedIndexes}"]), "0-4");
}

#[test]
fn replicaset_page_replays() {
    // The describe the page fences as shell is its output, `tier=frontend` no assignment (35); the
    // pod the page names from its own cluster (`frontend-b2zdv`) is the replay's pod bound to that
    // name by the `get pods` before (87), its yaml's quoted timestamp matched by shape. Failures:
    // the describe is a v1.17 kubectl's (it showed the last-applied annotation) (35); pod1 and
    // pod2 terminate at once, where the page caught them Terminating (138); the page's "If you
    // create the Pods first" is an alternative on a fresh cluster, but the ReplicaSet is still
    // there (168).
    let c = Cluster::new();
    let steps = replay(&c, "replicaset.md");
    let want = [(16, "ok"), (22, "ok"), (35, "failed"), (71, "ok"), (87, "ok"), (129, "ok"), (138, "failed")];
    assert_eq!(steps, verdicts(&[&want[..], &[(155, "ok"), (161, "ok"), (168, "failed")]].concat()));
}

#[test]
fn volume_storage_page_keeps_the_shells_directory_and_the_file_across_a_restart() {
    // Typed in the container's shell, `cd /data/redis/` holds for the commands after it, so the
    // file lands in the emptyDir (46) and `ls` there finds it after `kill <pid>` (PID 1) restarted
    // the container (98). apt-get installs procps (52, 53). Failure: `ps aux` does not list the
    // session's `/bin/bash` (54).
    let c = Cluster::new();
    let steps = replay(&c, "configure-volume-storage.md");
    let want = [(19, "ok"), (26, "ok"), (39, "skipped"), (45, "ok"), (46, "ok"), (52, "ok"), (53, "ok")];
    let rest = [(54, "failed"), (69, "ok"), (92, "skipped"), (97, "ok"), (98, "ok"), (105, "ok")];
    assert_eq!(steps, verdicts(&[&want[..], &rest[..]].concat()));
}

#[test]
fn assign_pods_to_nodes_page_schedules_on_the_labelled_node() {
    // The node the reader labels (`<your-node-name>`) is the one the nodeSelector pod runs on: the
    // page's worker0 is bound to it (66: drift, today's -o wide adds two columns). Failures: the
    // page's nodes are a v1.13 cluster's (VERSION, a label list ending in the hostname) (11, 33).
    let c = Cluster::new();
    let steps = replay(&c, "assign-pods-nodes.md");
    assert_eq!(steps, verdicts(&[(11, "failed"), (25, "ok"), (33, "failed"), (60, "ok"), (66, "drift")]));
    let node = c.ok(&["get", "pod", "nginx", "-o", "jsonpath={.spec.nodeName}"]);
    assert_eq!(c.ok(&["get", "node", &node, "-o", "jsonpath={.metadata.labels.disktype}"]), "ssd");
}

#[test]
fn daemonset_concept_page_runs_a_pod_per_node_with_the_daemon_tolerations() {
    // The tolerations the page's table lists are added to each daemon pod (besides its own), and
    // each pod is pinned to its node by node affinity, not nodeName.
    let c = Cluster::new();
    let steps = replay(&c, "daemonset.md");
    assert_eq!(steps, verdicts(&[(15, "ok")]));
    assert_eq!(
        c.ok(&["get", "ds", "-n", "kube-system", "fluentd-elasticsearch", "-o", "jsonpath={.status.numberReady}"]),
        "3"
    );
    let pod = c.ok(&["get", "pods", "-n", "kube-system", "-o", "jsonpath={.items[0].metadata.name}"]);
    let keys = c.ok(&["get", "pod", "-n", "kube-system", &pod, "-o", "jsonpath={.spec.tolerations[*].key}"]);
    let want = "node-role.kubernetes.io/master node.kubernetes.io/not-ready node.kubernetes.io/unreachable node.kubernetes.io/disk-pressure node.kubernetes.io/memory-pressure node.kubernetes.io/pid-pressure node.kubernetes.io/unschedulable";
    assert_eq!(keys, want);
    let field = c.ok(&["get", "pod", "-n", "kube-system", &pod, "-o", "jsonpath={.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key}"]);
    assert_eq!(field, "metadata.name");
}

#[test]
fn persistent_volume_page_binds_the_manual_volume() {
    // The claim of class `manual` binds the hostPath volume the page creates (54, 67); the page's
    // columns are an older kubectl's (ACCESSMODES, RECLAIMPOLICY, no VOLUMEATTRIBUTESCLASS):
    // drift. The node's own shell (`minikube ssh`, the index.html on it) is left out.
    let c = Cluster::new();
    let steps = replay(&c, "configure-persistent-volume-storage.md");
    let want = [(17, "ok"), (23, "drift"), (43, "ok"), (54, "drift"), (67, "drift"), (87, "ok"), (93, "ok")];
    assert_eq!(steps, verdicts(&[&want[..], &[(101, "ok"), (102, "ok"), (103, "ok")]].concat()));
    assert_eq!(c.ok(&["get", "pv", "-o", "name"]), "");
}

#[test]
fn pod_failure_policy_page_fails_ignores_and_patches_as_its_rules_say() {
    // Needed the pod failure policy in the Job controller, `code_sample` paths from the examples
    // root, `drain nodes/NAME`, an expanded here-document, and an untyped block holding an
    // assignment from kubectl. The ConfigIssue section's image "does not exist", but kstate pulls
    // every image (docs/differences.md), so that Job keeps running: its `get -o yaml` shows no
    // output on the page and passes either way.
    let c = Cluster::new();
    let steps = replay(&c, "pod-failure-policy.md");
    let lines = [18, 24, 32, 46, 52, 58, 64, 70, 80, 92, 100, 119, 130, 136, 148, 154, 162];
    let want: Vec<(u64, &str)> = lines.iter().map(|l| (*l, "ok")).collect();
    assert_eq!(steps, verdicts(&want));
    // The first Job failed at its first pod's exit code 42, not after six retries.
    let reasons = c.ok(&[
        "get",
        "events",
        "--field-selector",
        "reason=PodFailurePolicy",
        "-o",
        "jsonpath={.items[*].involvedObject.name}",
    ]);
    assert_eq!(reasons, "job-pod-failure-policy-failjob");
}

#[test]
fn change_pv_reclaim_policy_page_retains_the_volume_it_patches() {
    // The page's cluster: three claims of a class `manual` provisioned at once (here by
    // minikube's hostpath provisioner), bound to `pvc-<uid>` volumes that sort by their random
    // uid, so replay pairs the page's rows with kstate's by claim. `<your-pv-name>` is the newest
    // volume, claim3's, the one the page chose. Its columns are an older kubectl's (drift).
    let c = Cluster::new();
    let class = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: manual\nprovisioner: k8s.io/minikube-hostpath\nvolumeBindingMode: Immediate\n";
    c.ok(&["apply", "-f", &c.file("class.yaml", class)]);
    for n in 1..=3 {
        let claim = format!("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: claim{n}\nspec:\n  storageClassName: manual\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 4Gi\n");
        c.ok(&["apply", "-f", &c.file(&format!("claim{n}.yaml"), &claim)]);
        c.ok(&["advance", "3s"]);
    }
    let steps = replay(&c, "change-pv-reclaim-policy.md");
    assert_eq!(steps, verdicts(&[(12, "drift"), (28, "ok"), (36, "drift")]));
    let policy = "jsonpath={range .items[*]}{.spec.claimRef.name}={.spec.persistentVolumeReclaimPolicy} {end}";
    let mut got: Vec<String> = c.ok(&["get", "pv", "-o", policy]).split_whitespace().map(String::from).collect();
    got.sort();
    assert_eq!(got, ["claim1=Delete", "claim2=Delete", "claim3=Retain"]);
}

#[test]
fn imperative_command_page_builds_a_service_through_set_selector() {
    // `<myservicename>` is the name of a Service the reader is about to create (no kind of object
    // to fill it from, so bash sees a redirection), `delete deployment/nginx` an example of an
    // object the page never creates, and `create --edit` opens an editor (skipped).
    let c = Cluster::new();
    let steps = replay(&c, "imperative-command.md");
    let want = [(11, "failed"), (18, "ok"), (26, "failed"), (32, "ok"), (38, "ok"), (39, "skipped")];
    assert_eq!(steps, verdicts(&want));
    // The pipeline's Service: headless, with the selector `set selector --local` added.
    let svc = c.ok(&["get", "svc", "my-svc", "-o", "jsonpath={.spec.clusterIP} {.spec.selector}"]);
    assert_eq!(svc, r#"None {"environment":"qa"}"#);
}

#[test]
fn quota_memory_cpu_namespace_page_replays() {
    // The quota's status, the pod within it and the refused second pod. Line 126 fails on the
    // page's own text only: it wraps the message over three lines and drops the space after
    // `requested: requests.memory=700Mi,`.
    let c = Cluster::new();
    let steps = replay(&c, "quota-memory-cpu-namespace.md");
    let want = [(41, "ok"), (53, "ok"), (59, "ok"), (80, "ok"), (86, "ok"), (92, "ok"), (126, "failed"), (152, "ok")];
    assert_eq!(steps, verdicts(&want));
}

#[test]
fn cpu_constraint_namespace_page_replays() {
    // The LimitRange's defaults, a pod within it, the default request and limit given to a pod
    // without any. Lines 147 and 168 fail on the page's text only: it wraps the LimitRanger's
    // message over two lines and ends it with a period the server does not write.
    let c = Cluster::new();
    let steps = replay(&c, "cpu-constraint-namespace.md");
    let want = [
        (42, "ok"),
        (54, "ok"),
        (60, "ok"),
        (105, "ok"),
        (111, "ok"),
        (117, "ok"),
        (134, "ok"),
        (147, "failed"),
        (168, "failed"),
        (189, "ok"),
        (195, "ok"),
        (218, "ok"),
        (245, "ok"),
    ];
    assert_eq!(steps, verdicts(&want));
}

#[test]
fn declare_network_policy_page_replays() {
    // Line 30 shows an old cluster's `get svc` (no TYPE column, 10.100.0.0/16 service IPs); the
    // busybox shells are interactive, so their `wget` steps (which kstate would let through: it
    // does not enforce policies) are skipped. The page's NetworkPolicy applies as published.
    let c = Cluster::new();
    let steps = replay(&c, "declare-network-policy.md");
    let want = [(11, "ok"), (20, "ok"), (30, "failed"), (47, "skipped"), (53, "skipped"), (79, "ok")];
    let skipped = [(90, "skipped"), (96, "skipped"), (109, "skipped"), (115, "skipped")];
    assert_eq!(steps, verdicts(&[&want[..], &skipped[..]].concat()));
    assert_eq!(
        c.ok(&["get", "netpol", "access-nginx", "-o", "jsonpath={.spec.podSelector.matchLabels}"]),
        "{\"app.kubernetes.io/name\":\"nginx\"}"
    );
}
