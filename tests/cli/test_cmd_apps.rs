//! Kubernetes' own kubectl tests (`test/cmd/*.sh` in kubernetes/kubernetes), ported: apps.sh
//! (DaemonSets, StatefulSets, Deployments, ReplicaSets), save-config.sh, apply.sh,
//! node-management.sh and storage.sh. Each function replays one `run_*` function's commands
//! against kstate, in order, with its `kube::test::*` checks as assertions (counted, the count
//! asserted at the end so a dropped check shows). The manifests they read are the `hack/testdata`
//! fixtures of Kubernetes v1.32, in tests/cli/test_cmd/apps/, written into the test's directory
//! under their own paths so messages name them as kubectl would. Steps left out are named in
//! docs/differences.md ("test/cmd"); `kube::test::wait_object_assert` is `get_object_assert`,
//! since each kstate command converges before it returns.

use crate::test_cmd_kt::Kt;

const NAMES: &str = "{{range.items}}{{.metadata.name}}:{{end}}";
const ID: &str = "{{.metadata.name}}";
const GENERATION: &str = "{{.metadata.generation}}";
const IMAGE0: &str = "{{range.items}}{{(index .spec.template.spec.containers 0).image}}:{{end}}";
const IMAGE1: &str = "{{range.items}}{{(index .spec.template.spec.containers 1).image}}:{{end}}";
const CONTAINER_LEN: &str = "{{range.items}}{{(len .spec.template.spec.containers)}}{{end}}";
const CONTAINER_NAME: &str = "{{(index .spec.template.spec.containers 0).name}}";
const REPLICAS: &str = "{{.spec.replicas}}";
/// `{{range.items}}{{$annotations_field}}:{{end}}`.
const ANNOTATIONS: &str = "{{range.items}}{{.metadata.annotations}}:{{end}}";
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The image variables of test/cmd/legacy-script.sh.
const IMAGE_NGINX: &str = "registry.k8s.io/nginx:1.7.9";
const IMAGE_DEPLOYMENT_R1: &str = "registry.k8s.io/nginx:test-cmd";
const IMAGE_DEPLOYMENT_R2: &str = IMAGE_NGINX;
const IMAGE_PERL: &str = "registry.k8s.io/perl";
const IMAGE_PAUSE_V2: &str = "registry.k8s.io/pause:2.0";
const IMAGE_DAEMONSET_R2: &str = "registry.k8s.io/pause:latest";
const IMAGE_DAEMONSET_R2_2: &str = "registry.k8s.io/nginx:test-cmd";
const IMAGE_STATEFULSET_R1: &str = "registry.k8s.io/nginx-slim:0.7";
const IMAGE_STATEFULSET_R2: &str = "registry.k8s.io/nginx-slim:0.8";

/// `{{range.items}}{{X}}:{{end}}` over `X`'s image value, as the scripts write `"${IMAGE}:"`.
fn colon(v: &str) -> String {
    format!("{v}:")
}

macro_rules! fixture {
    ($name:literal) => {
        (concat!("hack/testdata/", $name), include_str!(concat!("test_cmd/apps/", $name)))
    };
}

/// test/cmd/apps.sh `run_daemonset_tests`.
#[test]
fn run_daemonset_tests() {
    let mut t = Kt::new();
    t.fixtures(&[fixture!("rollingupdate-daemonset.yaml")]);
    let ds = "hack/testdata/rollingupdate-daemonset.yaml";
    t.new_namespace("namespace-ds");
    // Create a rolling update DaemonSet.
    t.get_object_assert(&["daemonsets"], NAMES, "");
    t.kubectl(&["apply", "-f", ds]);
    t.get_object_assert(&["daemonsets", "bind"], GENERATION, "1");
    t.kubectl(&["apply", "-f", ds]);
    t.get_object_assert(&["daemonsets", "bind"], GENERATION, "1");
    // Set commands.
    t.kubectl(&["set", "image", "daemonsets/bind", "*=registry.k8s.io/pause:test-cmd"]);
    t.get_object_assert(&["daemonsets", "bind"], GENERATION, "2");
    t.kubectl(&["set", "env", "daemonsets/bind", "foo=bar"]);
    t.get_object_assert(&["daemonsets", "bind"], GENERATION, "3");
    t.kubectl(&["set", "resources", "daemonsets/bind", "--limits=cpu=200m,memory=512Mi"]);
    t.get_object_assert(&["daemonsets", "bind"], GENERATION, "4");
    let managers = t.kubectl(&[
        "get",
        "daemonsets",
        "bind",
        "--show-managed-fields",
        "-o=jsonpath={.metadata.managedFields[*].manager}",
    ]);
    t.if_has_string(&managers, "kubectl-set");
    // Rollout restart changes the generation.
    t.kubectl(&["rollout", "restart", "daemonset/bind"]);
    t.get_object_assert(&["daemonsets", "bind"], GENERATION, "5");
    t.kubectl(&["delete", "-f", ds]);
    assert_eq!(t.asserts, 8);
}

/// test/cmd/apps.sh `run_daemonset_history_tests`.
#[test]
fn run_daemonset_history_tests() {
    let mut t = Kt::new();
    t.fixtures(&[fixture!("rollingupdate-daemonset.yaml"), fixture!("rollingupdate-daemonset-rv2.yaml")]);
    t.new_namespace("namespace-dsh");
    t.get_object_assert(&["daemonsets"], NAMES, "");
    // Create a DaemonSet (revision 1).
    t.kubectl(&["apply", "-f", "hack/testdata/rollingupdate-daemonset.yaml", "--record"]);
    t.wait_object_assert_contains(&["controllerrevisions"], ANNOTATIONS, "rollingupdate-daemonset.yaml --record");
    // Rollback to revision 1 - should be no-op.
    t.kubectl(&["rollout", "undo", "daemonset", "--to-revision=1"]);
    t.get_object_assert(&["daemonset"], IMAGE0, &colon(IMAGE_PAUSE_V2));
    t.get_object_assert(&["daemonset"], CONTAINER_LEN, "1");
    // Update the DaemonSet (revision 2).
    t.kubectl(&["apply", "-f", "hack/testdata/rollingupdate-daemonset-rv2.yaml", "--record"]);
    t.get_object_assert(&["daemonset"], IMAGE0, &colon(IMAGE_DAEMONSET_R2));
    t.get_object_assert(&["daemonset"], IMAGE1, &colon(IMAGE_DAEMONSET_R2_2));
    t.get_object_assert(&["daemonset"], CONTAINER_LEN, "2");
    t.wait_object_assert_contains(&["controllerrevisions"], ANNOTATIONS, "rollingupdate-daemonset-rv2.yaml --record");
    // Rollback to revision 1 with dry-run - should be no-op.
    t.kubectl(&["rollout", "undo", "daemonset", "--dry-run=client"]);
    t.kubectl(&["rollout", "undo", "daemonset", "--dry-run=server"]);
    t.get_object_assert(&["daemonset"], IMAGE0, &colon(IMAGE_DAEMONSET_R2));
    t.get_object_assert(&["daemonset"], IMAGE1, &colon(IMAGE_DAEMONSET_R2_2));
    t.get_object_assert(&["daemonset"], CONTAINER_LEN, "2");
    // Rollback to revision 1.
    t.kubectl(&["rollout", "undo", "daemonset", "--to-revision=1"]);
    t.get_object_assert(&["daemonset"], IMAGE0, &colon(IMAGE_PAUSE_V2));
    t.get_object_assert(&["daemonset"], CONTAINER_LEN, "1");
    // Rollback to revision 1000000 - should fail.
    let out = t.kubectl_fails_all(&["rollout", "undo", "daemonset", "--to-revision=1000000"]);
    t.if_has_string(&out, "unable to find specified revision");
    t.get_object_assert(&["daemonset"], IMAGE0, &colon(IMAGE_PAUSE_V2));
    t.get_object_assert(&["daemonset"], CONTAINER_LEN, "1");
    // Rollback to last revision.
    t.kubectl(&["rollout", "undo", "daemonset"]);
    t.get_object_assert(&["daemonset"], IMAGE0, &colon(IMAGE_DAEMONSET_R2));
    t.get_object_assert(&["daemonset"], IMAGE1, &colon(IMAGE_DAEMONSET_R2_2));
    t.get_object_assert(&["daemonset"], CONTAINER_LEN, "2");
    t.kubectl(&["delete", "-f", "hack/testdata/rollingupdate-daemonset.yaml"]);
    assert_eq!(t.asserts, 19);
}

/// test/cmd/apps.sh `run_statefulset_history_tests`.
#[test]
fn run_statefulset_history_tests() {
    let mut t = Kt::new();
    t.fixtures(&[fixture!("rollingupdate-statefulset.yaml"), fixture!("rollingupdate-statefulset-rv2.yaml")]);
    t.new_namespace("namespace-stsh");
    t.get_object_assert(&["statefulset"], NAMES, "");
    // Create a StatefulSet (revision 1).
    t.kubectl(&["apply", "-f", "hack/testdata/rollingupdate-statefulset.yaml", "--record"]);
    t.wait_object_assert_contains(&["controllerrevisions"], ANNOTATIONS, "rollingupdate-statefulset.yaml --record");
    // Rollback to revision 1 - should be no-op.
    t.kubectl(&["rollout", "undo", "statefulset", "--to-revision=1"]);
    t.get_object_assert(&["statefulset"], IMAGE0, &colon(IMAGE_STATEFULSET_R1));
    t.get_object_assert(&["statefulset"], CONTAINER_LEN, "1");
    // Update the statefulset (revision 2).
    t.kubectl(&["apply", "-f", "hack/testdata/rollingupdate-statefulset-rv2.yaml", "--record"]);
    t.get_object_assert(&["statefulset"], IMAGE0, &colon(IMAGE_STATEFULSET_R2));
    t.get_object_assert(&["statefulset"], IMAGE1, &colon(IMAGE_PAUSE_V2));
    t.get_object_assert(&["statefulset"], CONTAINER_LEN, "2");
    t.wait_object_assert_contains(&["controllerrevisions"], ANNOTATIONS, "rollingupdate-statefulset-rv2.yaml --record");
    // Rollback to revision 1 with dry-run - should be no-op.
    t.kubectl(&["rollout", "undo", "statefulset", "--dry-run=client"]);
    t.kubectl(&["rollout", "undo", "statefulset", "--dry-run=server"]);
    t.get_object_assert(&["statefulset"], IMAGE0, &colon(IMAGE_STATEFULSET_R2));
    t.get_object_assert(&["statefulset"], IMAGE1, &colon(IMAGE_PAUSE_V2));
    t.get_object_assert(&["statefulset"], CONTAINER_LEN, "2");
    // Rollback to revision 1.
    t.kubectl(&["rollout", "undo", "statefulset", "--to-revision=1"]);
    t.get_object_assert(&["statefulset"], IMAGE0, &colon(IMAGE_STATEFULSET_R1));
    t.get_object_assert(&["statefulset"], CONTAINER_LEN, "1");
    // Rollback to revision 1000000 - should fail.
    let out = t.kubectl_fails_all(&["rollout", "undo", "statefulset", "--to-revision=1000000"]);
    t.if_has_string(&out, "unable to find specified revision");
    t.get_object_assert(&["statefulset"], IMAGE0, &colon(IMAGE_STATEFULSET_R1));
    t.get_object_assert(&["statefulset"], CONTAINER_LEN, "1");
    // Rollback to last revision.
    t.kubectl(&["rollout", "undo", "statefulset"]);
    t.get_object_assert(&["statefulset"], IMAGE0, &colon(IMAGE_STATEFULSET_R2));
    t.get_object_assert(&["statefulset"], IMAGE1, &colon(IMAGE_PAUSE_V2));
    t.get_object_assert(&["statefulset"], CONTAINER_LEN, "2");
    // Clean up - delete newest configuration.
    t.kubectl(&["delete", "-f", "hack/testdata/rollingupdate-statefulset-rv2.yaml"]);
    t.wait_for_pods_with_label("app=nginx-statefulset", "");
    assert_eq!(t.asserts, 20);
}

/// test/cmd/apps.sh `run_stateful_set_tests`.
#[test]
fn run_stateful_set_tests() {
    let mut t = Kt::new();
    t.fixtures(&[fixture!("rollingupdate-statefulset.yaml")]);
    let sts = "hack/testdata/rollingupdate-statefulset.yaml";
    t.new_namespace("namespace-sts");
    t.get_object_assert(&["statefulset"], NAMES, "");
    t.kubectl(&["create", "-f", sts]);
    // Scale statefulset test with current-replicas and replicas.
    t.get_object_assert(&["statefulset", "nginx"], REPLICAS, "0");
    t.get_object_assert(&["statefulset", "nginx"], "{{.status.observedGeneration}}", "1");
    t.kubectl(&["scale", "--current-replicas=0", "--replicas=1", "statefulset", "nginx"]);
    t.get_object_assert(&["statefulset", "nginx"], REPLICAS, "1");
    t.get_object_assert(&["statefulset", "nginx"], "{{.status.observedGeneration}}", "2");
    t.wait_for_pods_with_label("app=nginx-statefulset", "nginx-0");
    // Rollout restart changes the generation.
    t.kubectl(&["rollout", "restart", "statefulset", "nginx"]);
    t.get_object_assert(&["statefulset", "nginx"], "{{.status.observedGeneration}}", "3");
    t.kubectl(&["delete", "-f", sts]);
    t.wait_for_pods_with_label("app=nginx-statefulset", "");
    assert_eq!(t.asserts, 8);
}

/// test/cmd/apps.sh `run_kubectl_apply_deployments_tests`.
#[test]
fn run_kubectl_apply_deployments_tests() {
    let mut t = Kt::in_context();
    t.fixtures(&[
        fixture!("null-propagation/deployment-l1.yaml"),
        fixture!("null-propagation/deployment-l2.yaml"),
        fixture!("deployment-label-change1.yaml"),
        fixture!("deployment-label-change2.yaml"),
        fixture!("deployment-label-change3.yaml"),
    ]);
    t.new_namespace("namespace-apply-deploy");
    // kubectl apply should propagate user defined null values.
    t.get_object_assert(&["deployments"], NAMES, "");
    t.get_object_assert(&["replicasets"], NAMES, "");
    t.get_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["apply", "-f", "hack/testdata/null-propagation/deployment-l1.yaml"]);
    let depl = ["deployments", "my-depl"];
    t.get_object_assert(&depl, ID, "my-depl");
    t.get_object_assert(&depl, "{{.spec.template.metadata.labels.l1}}", "l1");
    t.get_object_assert(&depl, "{{.spec.selector.matchLabels.l1}}", "l1");
    t.get_object_assert(&depl, "{{.metadata.labels.l1}}", "l1");
    t.kubectl(&["apply", "-f", "hack/testdata/null-propagation/deployment-l2.yaml"]);
    t.get_object_assert(&depl, "{{.spec.template.metadata.labels.l1}}", "l1");
    t.get_object_assert(&depl, "{{.spec.selector.matchLabels.l1}}", "l1");
    t.get_object_assert(&depl, "{{.metadata.labels.l1}}", "<no value>");
    t.kubectl(&["delete", "deployments,rs,pods", "--all", "--cascade=orphan", "--grace-period=0"]);
    t.wait_object_assert(&["deployments"], NAMES, "");
    t.wait_object_assert(&["replicasets"], NAMES, "");
    t.get_object_assert(&["pods"], NAMES, "");
    // kubectl apply deployment --overwrite=true --force=true.
    t.get_object_assert(&["deployments"], NAMES, "");
    t.kubectl(&["apply", "-f", "hack/testdata/deployment-label-change1.yaml"]);
    t.get_object_assert(&["deployment", "nginx"], ID, "nginx");
    let out = t.kubectl_fails_all(&["apply", "-f", "hack/testdata/deployment-label-change2.yaml"]);
    t.if_has_string(&out, "Error from server (Conflict)");
    t.kubectl(&[
        "apply",
        "-f",
        "hack/testdata/deployment-label-change2.yaml",
        "--overwrite=true",
        "--force=true",
        "--grace-period=10",
    ]);
    let out = t.kubectl(&["apply", "view-last-applied", "deploy/nginx", "-o", "json"]);
    let line = out.lines().filter(|l| l.contains("nginx2")).collect::<Vec<_>>().join("\n");
    t.if_has_string(&line, "\"name\": \"nginx2\"");
    let out = t.kubectl_fails_all(&["apply", "-f", "hack/testdata/deployment-label-change3.yaml", "--force"]);
    t.if_has_string(&out, "Invalid value");
    t.get_object_assert(&["deployment", "nginx"], "{{.spec.template.metadata.labels.name}}", "nginx2");
    t.kubectl(&["delete", "deployments", "--all", "--grace-period=10"]);
    assert_eq!(t.asserts, 19);
}

/// test/cmd/apps.sh `run_deployment_tests`.
#[test]
fn run_deployment_tests() {
    let mut t = Kt::new();
    t.fixtures(&[
        fixture!("deployment-with-UnixUserID.yaml"),
        fixture!("deployment-revision1.yaml"),
        fixture!("deployment-revision2.yaml"),
        fixture!("deployment-multicontainer.yaml"),
        fixture!("configmap.yaml"),
        fixture!("secret.yaml"),
    ]);
    let user_guide = "test/fixtures/doc-yaml/user-guide/deployment.yaml";
    t.fixtures(&[(user_guide, include_str!("test_cmd/apps/deployment.yaml"))]);
    t.new_namespace("namespace-deploy");
    // kubectl create deployment (the old generator's name).
    t.kubectl(&["create", "deployment", "test-nginx-extensions", "--image=registry.k8s.io/nginx:test-cmd"]);
    t.get_object_assert(&["deploy", "test-nginx-extensions"], CONTAINER_NAME, "nginx");
    let out =
        t.kubectl(&["get", "deployment.apps/test-nginx-extensions", "-o", "jsonpath={.spec.revisionHistoryLimit}"]);
    t.if_has_not_string(&out, "2");
    let out = t.kubectl(&["get", "deployment.apps", "-o=jsonpath={.items[0].apiVersion}"]);
    t.if_has_string(&out, "apps/v1");
    t.kubectl(&["delete", "deployment", "test-nginx-extensions"]);
    // kubectl create deployment.
    t.kubectl(&["create", "deployment", "test-nginx-apps", "--image=registry.k8s.io/nginx:test-cmd"]);
    t.get_object_assert(&["deploy", "test-nginx-apps"], CONTAINER_NAME, "nginx");
    let out = t.kubectl(&["get", "deployment/test-nginx-apps", "-o", "jsonpath={.spec.revisionHistoryLimit}"]);
    t.if_has_string(&out, "10");
    let out = t.kubectl(&["get", "deployment.apps", "-o=jsonpath={.items[0].apiVersion}"]);
    t.if_has_string(&out, "apps/v1");
    t.describe_assert(
        "rs",
        "",
        &["Name:", "Pod Template:", "Labels:", "Selector:", "Controlled By", "Replicas:", "Pods Status:", "Volumes:"],
    );
    t.describe_assert("pods", "", &["Name:", "Image:", "Node:", "Labels:", "Status:", "Controlled By"]);
    t.kubectl(&["delete", "deployment", "test-nginx-apps"]);
    // kubectl create deployment with image and command.
    t.get_object_assert(&["deployment"], NAMES, "");
    let with_command = ["--image=registry.k8s.io/nginx:test-cmd", "--", "/bin/sleep", "infinity"];
    for dry in ["--dry-run=client", "--dry-run=server"] {
        t.kubectl(&[&["create", "deployment", "nginx-with-command", dry][..], &with_command[..]].concat());
    }
    t.get_object_assert(&["deployment"], NAMES, "");
    t.kubectl(&[&["create", "deployment", "nginx-with-command"][..], &with_command[..]].concat());
    t.get_object_assert(&["deploy", "nginx-with-command"], CONTAINER_NAME, "nginx");
    t.kubectl(&["delete", "deployment", "nginx-with-command"]);
    // kubectl create deployment should not fail validation.
    t.get_object_assert(&["deployment"], NAMES, "");
    t.kubectl(&["create", "-f", "hack/testdata/deployment-with-UnixUserID.yaml"]);
    t.get_object_assert(&["deployment"], NAMES, "deployment-with-unixuserid:");
    t.kubectl(&["delete", "deployment", "deployment-with-unixuserid"]);
    // Cascading deletion: the rs goes with the deployment.
    t.get_object_assert(&["deployment"], NAMES, "");
    t.kubectl(&["create", "-f", user_guide]);
    t.get_object_assert(&["rs"], "{{range.items}}{{.spec.replicas}}{{end}}", "3");
    t.kubectl(&["delete", "deployment", "nginx-deployment", "--cascade"]);
    t.get_object_assert(&["rs"], NAMES, "");
    // ... and stays with --cascade=orphan.
    t.get_object_assert(&["deployment"], NAMES, "");
    t.get_object_assert(&["rs"], NAMES, "");
    t.kubectl(&["create", "deployment", "nginx-deployment", "--image=registry.k8s.io/nginx:test-cmd"]);
    t.get_object_assert(&["rs"], "{{range.items}}{{.spec.replicas}}{{end}}", "1");
    t.kubectl(&["delete", "deployment", "nginx-deployment", "--cascade=orphan"]);
    t.get_object_assert(&["deployment"], NAMES, "");
    t.get_object_assert(&["rs"], "{{range.items}}{{.spec.replicas}}{{end}}", "1");
    let rs = t.kubectl(&["get", "rs", "-o", "template", "--template={{range.items}}{{.metadata.name}}{{end}}"]);
    t.kubectl(&["delete", "rs", &rs]);
    // Auto scale deployment.
    let hpa_found = "{{range.items}}{{ if eq .metadata.name \"nginx-deployment\" }}found{{end}}{{end}}:";
    t.get_object_assert(&["deployment"], NAMES, "");
    t.get_object_assert(&["hpa"], hpa_found, ":");
    t.kubectl(&["create", "-f", user_guide]);
    t.get_object_assert(&["deployment"], NAMES, "nginx-deployment:");
    for dry in ["--dry-run=client", "--dry-run=server"] {
        t.kubectl(&["autoscale", "deployment", "nginx-deployment", dry, "--min=2", "--max=3"]);
    }
    t.get_object_assert(&["hpa"], hpa_found, ":");
    t.kubectl(&["autoscale", "deployment", "nginx-deployment", "--min=2", "--max=3"]);
    t.get_object_assert(&["hpa", "nginx-deployment"], HPA_FIELDS, "2 3 80");
    t.kubectl(&["delete", "hpa", "nginx-deployment"]);
    t.kubectl(&["delete", "deployment.apps", "nginx-deployment"]);
    // Rollback a deployment.
    t.get_object_assert(&["deployment"], NAMES, "");
    t.kubectl(&["create", "-f", "hack/testdata/deployment-revision1.yaml"]);
    t.get_object_assert(&["deployment"], NAMES, "nginx:");
    t.get_object_assert(&["deployment"], IMAGE0, &colon(IMAGE_DEPLOYMENT_R1));
    // Rollback to revision 1 - should be no-op.
    t.kubectl(&["rollout", "undo", "deployment", "nginx", "--to-revision=1"]);
    t.get_object_assert(&["deployment"], IMAGE0, &colon(IMAGE_DEPLOYMENT_R1));
    // Update the deployment (revision 2).
    t.kubectl(&["apply", "-f", "hack/testdata/deployment-revision2.yaml"]);
    t.get_object_assert(&["deployment.apps"], IMAGE0, &colon(IMAGE_DEPLOYMENT_R2));
    // Rollback to revision 1 with dry-run - should be no-op (the client's dry run shows the
    // template it would restore: `| grep "test-cmd"`).
    let out = t.kubectl(&["rollout", "undo", "deployment", "nginx", "--dry-run=client"]);
    t.check(out.contains("test-cmd"), "undo --dry-run=client | grep test-cmd");
    t.kubectl(&["rollout", "undo", "deployment", "nginx", "--dry-run=server"]);
    t.get_object_assert(&["deployment.apps"], IMAGE0, &colon(IMAGE_DEPLOYMENT_R2));
    // Rollback to revision 1.
    t.kubectl(&["rollout", "undo", "deployment", "nginx", "--to-revision=1"]);
    t.get_object_assert(&["deployment"], IMAGE0, &colon(IMAGE_DEPLOYMENT_R1));
    // Rollback to revision 1000000 - should fail.
    t.kubectl_fails_all(&["rollout", "undo", "deployment", "nginx", "--to-revision=1000000"]);
    t.get_object_assert(&["deployment"], IMAGE0, &colon(IMAGE_DEPLOYMENT_R1));
    // Rollback to last revision.
    t.kubectl(&["rollout", "undo", "deployment", "nginx"]);
    t.get_object_assert(&["deployment"], IMAGE0, &colon(IMAGE_DEPLOYMENT_R2));
    // A paused deployment cannot be rolled back or restarted.
    t.kubectl(&["rollout", "pause", "deployment", "nginx"]);
    t.kubectl_fails_all(&["rollout", "undo", "deployment", "nginx"]);
    t.kubectl_fails_all(&["rollout", "restart", "deployment", "nginx"]);
    t.kubectl(&["rollout", "resume", "deployment", "nginx"]);
    t.kubectl(&["rollout", "undo", "deployment", "nginx"]);
    // The new replica set has all old revisions stored in an annotation.
    // `describe | grep NewReplicaSet | awk '{print $2}'`: test/cmd runs no kubelet, so there the
    // Progressing condition's reason is not `NewReplicaSetAvailable` and one line matches; here
    // the pods run, so the field's own line is the one taken.
    let new_rs = |t: &Kt| {
        let describe = t.kubectl(&["describe", "deployment", "nginx"]);
        let line = describe.lines().find(|l| l.starts_with("NewReplicaSet:")).unwrap_or_default().to_string();
        line.split_whitespace().nth(1).unwrap_or_default().to_string()
    };
    let rs = new_rs(&t);
    let yaml = t.yaml(&["rs", &rs]);
    t.check(yaml.contains("deployment.kubernetes.io/revision-history: 1,3"), "revision-history: 1,3");
    // Watching the status of a superseded revision fails.
    t.kubectl_fails_all(&["rollout", "status", "deployment/nginx", "--revision=3"]);
    // Restarting the deployment creates a new replicaset.
    t.kubectl(&["rollout", "restart", "deployment/nginx"]);
    t.c.ok(&["advance", "1s"]);
    let rs = new_rs(&t);
    let yaml = t.yaml(&["rs", &rs]);
    t.if_has_string(&yaml, "deployment.kubernetes.io/revision: \"6\"");
    let managers = t.kubectl(&[
        "get",
        "deployment",
        "nginx",
        "--show-managed-fields",
        "-o=jsonpath={.metadata.managedFields[*].manager}",
    ]);
    t.if_has_string(&managers, "kubectl-rollout");
    // A second deployment; deleting both is not blocked.
    let second = include_str!("test_cmd/apps/deployment-revision1.yaml").replace("name: nginx\n", "name: nginx2\n");
    let o = t.c.run_stdin(&t.args(&["create", "-f", "-"]), &second);
    assert_eq!(o.code, 0, "{}", o.stderr);
    t.kubectl(&["delete", "deployment", "nginx2"]);
    t.kubectl(&["delete", "deployment", "nginx"]);
    // Set image of a deployment.
    t.get_object_assert(&["deployment"], NAMES, "");
    t.kubectl(&["create", "-f", "hack/testdata/deployment-multicontainer.yaml"]);
    t.get_object_assert(&["deployment"], NAMES, "nginx-deployment:");
    let images = |t: &mut Kt, first: &str, second: &str| {
        t.get_object_assert(&["deployment"], IMAGE0, &colon(first));
        t.get_object_assert(&["deployment"], IMAGE1, &colon(second));
    };
    images(&mut t, IMAGE_DEPLOYMENT_R1, IMAGE_PERL);
    let nginx_r2 = format!("nginx={IMAGE_DEPLOYMENT_R2}");
    let nginx_r1 = format!("nginx={IMAGE_DEPLOYMENT_R1}");
    for dry in ["--dry-run=client", "--dry-run=server"] {
        t.kubectl(&["set", "image", "deployment", "nginx-deployment", &nginx_r2, dry]);
    }
    images(&mut t, IMAGE_DEPLOYMENT_R1, IMAGE_PERL);
    t.kubectl(&["set", "image", "deployment", "nginx-deployment", &nginx_r2]);
    images(&mut t, IMAGE_DEPLOYMENT_R2, IMAGE_PERL);
    // A container that does not exist.
    t.kubectl_fails_all(&["set", "image", "deployment", "nginx-deployment", "redis=redis"]);
    // All deployments, no name.
    t.kubectl(&["set", "image", "deployments", "--all", &nginx_r1]);
    images(&mut t, IMAGE_DEPLOYMENT_R1, IMAGE_PERL);
    // A deployment named by a file.
    t.kubectl(&["set", "image", "-f", "hack/testdata/deployment-multicontainer.yaml", &nginx_r2]);
    images(&mut t, IMAGE_DEPLOYMENT_R2, IMAGE_PERL);
    // A local file, without talking to the server.
    t.kubectl(&[
        "set",
        "image",
        "-f",
        "hack/testdata/deployment-multicontainer.yaml",
        &nginx_r1,
        "--local",
        "-o",
        "yaml",
    ]);
    images(&mut t, IMAGE_DEPLOYMENT_R2, IMAGE_PERL);
    // All containers, twice (the second changes nothing).
    let all_r1 = format!("*={IMAGE_DEPLOYMENT_R1}");
    t.kubectl(&["set", "image", "deployment", "nginx-deployment", &all_r1]);
    images(&mut t, IMAGE_DEPLOYMENT_R1, IMAGE_DEPLOYMENT_R1);
    t.kubectl(&["set", "image", "deployment", "nginx-deployment", &all_r1]);
    images(&mut t, IMAGE_DEPLOYMENT_R1, IMAGE_DEPLOYMENT_R1);
    t.kubectl(&["delete", "deployment", "nginx-deployment"]);
    // Set env of a deployment.
    t.get_object_assert(&["deployment"], NAMES, "");
    t.kubectl(&["create", "-f", "hack/testdata/deployment-multicontainer.yaml"]);
    t.kubectl(&["create", "-f", "hack/testdata/configmap.yaml"]);
    t.kubectl(&["create", "-f", "hack/testdata/secret.yaml"]);
    t.get_object_assert(&["deployment"], NAMES, "nginx-deployment:");
    t.get_object_assert(&["configmaps/test-set-env-config"], ID, "test-set-env-config");
    t.get_object_assert(&["secret"], NAMES, "test-set-env-secret:");
    t.kubectl(&[
        "set",
        "env",
        "deployment",
        "nginx-deployment",
        "--keys=key-2",
        "--from=configmap/test-set-env-config",
    ]);
    let env_len = "{{ len (index .spec.template.spec.containers 0).env }}";
    t.get_object_assert(
        &["deploy", "nginx-deployment"],
        "{{ (index (index .spec.template.spec.containers 0).env 0).name}}",
        "KEY_2",
    );
    t.get_object_assert(&["deploy", "nginx-deployment"], env_len, "1");
    for dry in ["--dry-run=client", "--dry-run=server"] {
        t.kubectl(&["set", "env", "deployment", "nginx-deployment", dry, "--from=configmap/test-set-env-config"]);
    }
    t.get_object_assert(&["deploy", "nginx-deployment"], env_len, "1");
    t.kubectl(&["set", "env", "deployment", "nginx-deployment", "--from=configmap/test-set-env-config"]);
    t.get_object_assert(&["deploy", "nginx-deployment"], env_len, "2");
    t.kubectl(&["set", "env", "deployment", "nginx-deployment", "env=prod"]);
    t.kubectl(&["set", "env", "deployment", "nginx-deployment", "superenv=superprod", "-c=nginx"]);
    t.kubectl(&[
        "set",
        "env",
        "deployment",
        "nginx-deployment",
        "--keys=username",
        "--from=secret/test-set-env-secret",
    ]);
    t.kubectl(&["set", "env", "deployment", "nginx-deployment", "--from=secret/test-set-env-secret"]);
    t.kubectl(&["set", "env", "deployment", "nginx-deployment", "env-"]);
    t.kubectl(&["delete", "deployment", "nginx-deployment"]);
    t.kubectl(&["delete", "configmap", "test-set-env-config"]);
    t.kubectl(&["delete", "secret", "test-set-env-secret"]);
    assert_eq!(t.asserts, 65);
}

/// `{{$hpa_min_field}} {{$hpa_max_field}} {{$hpa_cpu_field}}`.
const HPA_FIELDS: &str =
    "{{.spec.minReplicas}} {{.spec.maxReplicas}} {{(index .spec.metrics 0).resource.target.averageUtilization}}";

/// test/cmd/apps.sh `run_rs_tests`.
#[test]
fn run_rs_tests() {
    let mut t = Kt::new();
    t.fixtures(&[
        fixture!("frontend-replicaset.yaml"),
        fixture!("redis-slave-replicaset.yaml"),
        fixture!("scale-deploy-1.yaml"),
        fixture!("scale-deploy-2.yaml"),
        fixture!("scale-deploy-3.yaml"),
    ]);
    let frontend = "hack/testdata/frontend-replicaset.yaml";
    let frontend_pods = ["pods", "-l", "tier=frontend"];
    let container_names = "{{range.items}}{{(index .spec.containers 0).name}}:{{end}}";
    t.new_namespace("namespace-rs");
    // Create and stop a replica set, make sure it doesn't leak pods.
    t.get_object_assert(&["rs"], NAMES, "");
    t.kubectl(&["create", "-f", frontend]);
    t.kubectl(&["delete", "rs", "frontend"]);
    t.wait_object_assert(&frontend_pods, NAMES, "");
    // Delete with --cascade=orphan: the pods stay.
    t.get_object_assert(&["rs"], NAMES, "");
    t.kubectl(&["create", "-f", frontend]);
    t.wait_object_assert(&frontend_pods, container_names, "php-redis:php-redis:php-redis:");
    t.kubectl(&["delete", "rs", "frontend", "--cascade=orphan"]);
    t.wait_object_assert(&["rs"], NAMES, "");
    t.get_object_assert(&frontend_pods, container_names, "php-redis:php-redis:php-redis:");
    t.kubectl(&["delete", "pods", "-l", "tier=frontend"]);
    t.get_object_assert(&["pods"], NAMES, "");
    // Create replica set frontend from YAML; describe it.
    t.get_object_assert(&["rs"], NAMES, "");
    t.kubectl(&["create", "-f", frontend]);
    t.get_object_assert(&["rs"], NAMES, "frontend:");
    let details = ["Name:", "Pod Template:", "Labels:", "Selector:", "Replicas:", "Pods Status:", "Volumes:"];
    t.describe_assert("rs", "frontend", &details);
    t.describe_events_assert("rs", "frontend", None);
    t.describe_events_assert("rs", "frontend", Some(false));
    t.describe_events_assert("rs", "frontend", Some(true));
    t.describe_assert("rs", "", &details);
    t.describe_events_assert("rs", "", None);
    t.describe_events_assert("rs", "", Some(false));
    t.describe_events_assert("rs", "", Some(true));
    t.describe_assert("pods", "", &["Name:", "Image:", "Node:", "Labels:", "Status:", "Controlled By"]);
    // Scale with current-replicas and replicas.
    t.get_object_assert(&["rs", "frontend"], REPLICAS, "3");
    for dry in ["--dry-run=client", "--dry-run=server"] {
        t.kubectl(&["scale", dry, "--current-replicas=3", "--replicas=2", "replicasets", "frontend"]);
    }
    t.get_object_assert(&["rs", "frontend"], REPLICAS, "3");
    t.kubectl(&["scale", "--current-replicas=3", "--replicas=2", "replicasets", "frontend"]);
    t.get_object_assert(&["rs", "frontend"], REPLICAS, "2");
    // Three deployments, two with the same label.
    for i in 1..=3 {
        t.kubectl(&["create", "-f", &format!("hack/testdata/scale-deploy-{i}.yaml")]);
    }
    let scales = |t: &mut Kt, want: [&str; 3]| {
        for (i, w) in want.iter().enumerate() {
            t.get_object_assert(&["deploy", &format!("scale-{}", i + 1)], REPLICAS, w);
        }
    };
    scales(&mut t, ["1", "1", "1"]);
    for dry in ["--dry-run=client", "--dry-run=server"] {
        t.kubectl(&["scale", "deploy", "--replicas=3", "--all", dry]);
    }
    scales(&mut t, ["1", "1", "1"]);
    t.kubectl(&["scale", "deploy", "--replicas=2", "-l", "run=hello"]);
    scales(&mut t, ["2", "2", "1"]);
    t.kubectl(&["scale", "deploy", "--replicas=3", "--all"]);
    scales(&mut t, ["3", "3", "3"]);
    t.kubectl(&["delete", "rs", "frontend"]);
    t.kubectl(&["delete", "deploy", "scale-1", "scale-2", "scale-3"]);
    // Expose replica set as service.
    t.kubectl(&["create", "-f", frontend]);
    t.get_object_assert(&["rs", "frontend"], REPLICAS, "3");
    t.kubectl(&["expose", "rs", "frontend", "--port=80"]);
    t.get_object_assert(
        &["service", "frontend"],
        "{{(index .spec.ports 0).name}} {{(index .spec.ports 0).port}}",
        "<no value> 80",
    );
    t.kubectl(&["delete", "service", "frontend"]);
    // Set commands.
    t.get_object_assert(&["rs", "frontend"], GENERATION, "1");
    t.kubectl(&["set", "image", "rs/frontend", "*=registry.k8s.io/pause:test-cmd"]);
    t.get_object_assert(&["rs", "frontend"], GENERATION, "2");
    t.kubectl(&["set", "env", "rs/frontend", "foo=bar"]);
    t.get_object_assert(&["rs", "frontend"], GENERATION, "3");
    for dry in ["--dry-run=client", "--dry-run=server"] {
        t.kubectl(&["set", "resources", "rs/frontend", dry, "--limits=cpu=200m,memory=512Mi"]);
    }
    t.get_object_assert(&["rs", "frontend"], GENERATION, "3");
    t.kubectl(&["set", "resources", "rs/frontend", "--limits=cpu=200m,memory=512Mi"]);
    t.get_object_assert(&["rs", "frontend"], GENERATION, "4");
    for dry in ["--dry-run=client", "--dry-run=server"] {
        t.kubectl(&["set", "serviceaccount", "rs/frontend", dry, "serviceaccount1"]);
    }
    t.get_object_assert(&["rs", "frontend"], GENERATION, "4");
    t.kubectl(&["set", "serviceaccount", "rs/frontend", "serviceaccount1"]);
    t.get_object_assert(&["rs", "frontend"], GENERATION, "5");
    let managers = t.kubectl(&[
        "get",
        "rs",
        "frontend",
        "--show-managed-fields",
        "-o=jsonpath={.metadata.managedFields[*].manager}",
    ]);
    t.if_has_string(&managers, "kubectl-set");
    // Delete replica set with id.
    t.get_object_assert(&["rs"], NAMES, "frontend:");
    t.kubectl(&["delete", "rs", "frontend"]);
    t.get_object_assert(&["rs"], NAMES, "");
    // Create two replica sets, delete them at once.
    t.get_object_assert(&["rs"], NAMES, "");
    t.kubectl(&["create", "-f", frontend]);
    t.kubectl(&["create", "-f", "hack/testdata/redis-slave-replicaset.yaml"]);
    t.get_object_assert(&["rs"], NAMES, "frontend:redis-slave:");
    t.get_object_assert(&["rs"], NAMES, "frontend:redis-slave:");
    t.kubectl(&["delete", "rs", "frontend", "redis-slave"]);
    t.get_object_assert(&["rs"], NAMES, "");
    // Auto scale replica set.
    t.get_object_assert(&["rs"], NAMES, "");
    t.kubectl(&["create", "-f", frontend]);
    t.get_object_assert(&["rs"], NAMES, "frontend:");
    t.kubectl(&["autoscale", "-f", frontend, "--max=2", "--cpu-percent=70"]);
    t.get_object_assert(&["hpa", "frontend"], HPA_FIELDS, "1 2 70");
    t.kubectl(&["delete", "hpa", "frontend"]);
    t.kubectl(&["autoscale", "rs", "frontend", "--min=2", "--max=3"]);
    t.get_object_assert(&["hpa", "frontend"], HPA_FIELDS, "2 3 80");
    let managers = t.kubectl(&["get", "hpa", "frontend", "-o=jsonpath={.metadata.managedFields[*].manager}"]);
    t.if_has_string(&managers, "kubectl-autoscale");
    t.kubectl(&["delete", "hpa", "frontend"]);
    t.kubectl_fails_all(&["autoscale", "rs", "frontend"]);
    t.kubectl(&["delete", "rs", "frontend"]);
    assert_eq!(t.asserts, 54);
}

/// test/cmd/save-config.sh `run_save_config_tests`: create, edit, replace, run, expose and
/// autoscale (of a ReplicationController) `--save-config`.
#[test]
fn run_save_config_tests() {
    let mut t = Kt::new();
    t.fixtures(&[fixture!("pod.yaml")]);
    let pod = "hack/testdata/pod.yaml";
    let has_config = |t: &Kt| t.yaml(&["pods", "test-pod"]).contains(LAST_APPLIED);
    // 1. kubectl create --save-config should generate configuration annotation.
    t.new_namespace("namespace-save-1");
    t.get_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["create", "-f", pod, "--save-config"]);
    let ok = has_config(&t);
    t.check(ok, "create --save-config writes the annotation");
    t.kubectl(&["delete", "-f", pod]);
    // 2. kubectl edit --save-config should generate configuration annotation.
    t.new_namespace("namespace-save-2");
    t.get_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["create", "-f", pod]);
    let ok = !has_config(&t);
    t.check(ok, "create writes no annotation");
    let editor =
        t.c.file("tmp-editor.sh", "#!/usr/bin/env bash\nsed -i \"s/test-pod-label/test-pod-label-edited/g\" $@\n");
    let mut perms = std::fs::metadata(&editor).expect("editor").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&editor, perms).expect("chmod");
    let o = t.c.command(&t.args(&["edit", "pod", "test-pod", "--save-config"])).env("EDITOR", &editor).output();
    let o = o.expect("run edit");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ok = has_config(&t);
    t.check(ok, "edit --save-config writes the annotation");
    t.kubectl(&["delete", "-f", pod]);
    // 3. kubectl replace --save-config should generate configuration annotation.
    t.new_namespace("namespace-save-3");
    t.get_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["create", "-f", pod]);
    let ok = !has_config(&t);
    t.check(ok, "create writes no annotation");
    // `kubectl replace -f hack/testdata/pod.yaml --save-config` and its check are left out: the
    // manifest drops the node the scheduler bound the pod to and the token volume the
    // ServiceAccount admission added, which the API server refuses to change on a pod (test/cmd's
    // API server runs neither). `replace --save-config` is tested on a ConfigMap in its place.
    let cm = t.c.file("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test-cm\ndata:\n  a: b\n");
    t.kubectl(&["create", "-f", &cm]);
    t.kubectl(&["replace", "-f", &cm, "--save-config"]);
    let ok = t.yaml(&["configmap", "test-cm"]).contains(LAST_APPLIED);
    t.check(ok, "replace --save-config writes the annotation");
    t.kubectl(&["delete", "-f", pod]);
    // 4. kubectl run --save-config should generate configuration annotation. v1.32's `run`
    // makes a Pod (`--generator=run/v1`, a ReplicationController, is gone).
    t.get_object_assert(&["rc"], NAMES, "");
    t.kubectl(&["run", "nginx", &format!("--image={IMAGE_NGINX}"), "--save-config"]);
    let ok = t.yaml(&["pod", "nginx"]).contains(LAST_APPLIED);
    t.check(ok, "run --save-config writes the annotation");
    // 5. kubectl expose --save-config should generate configuration annotation.
    t.get_object_assert(&["svc"], NAMES, "");
    t.kubectl(&["expose", "pod", "nginx", "--save-config", "--port=80", "--target-port=8000"]);
    let ok = t.yaml(&["svc", "nginx"]).contains(LAST_APPLIED);
    t.check(ok, "expose --save-config writes the annotation");
    t.kubectl(&["delete", "pod,svc", "nginx"]);
    // 6. kubectl autoscale --save-config should generate configuration annotation.
    t.get_object_assert(&["rc"], NAMES, "");
    let frontend = crate::test_cmd_kt::testdata("frontend-controller.yaml");
    t.kubectl(&["create", "-f", &frontend]);
    let ok = !t.yaml(&["rc", "frontend"]).contains(LAST_APPLIED);
    t.check(ok, "create writes no annotation");
    t.kubectl(&["autoscale", "-f", &frontend, "--save-config", "--max=2"]);
    let ok = t.yaml(&["hpa", "frontend"]).contains(LAST_APPLIED);
    t.check(ok, "autoscale --save-config writes the annotation");
    // HPA objects in lists, by resource, group and group prefix: the API server's preferred
    // version, autoscaling/v2 in v1.32 (the stored script looks for autoscaling/v1).
    for resource in ["hpa", "hpa.autoscaling", "hpa.autoscal"] {
        let (out, _) = t.output(&["get", resource, "-o=jsonpath={.items[0].apiVersion}"]);
        t.if_has_string(&out, "autoscaling/v2");
    }
    t.kubectl(&["delete", "hpa", "frontend"]);
    t.kubectl(&["delete", "rc", "frontend"]);
    assert_eq!(t.asserts, 18);
}

/// A node named as test/cmd's own (`127.0.0.1`, which hack/lib registers) in place of the
/// cluster's nodes, so the node checks see exactly one node.
fn only_node_127(t: &Kt) {
    t.c.ok(&["delete", "nodes", "--all"]);
    let node = r#"{"kind": "Node", "apiVersion": "v1", "metadata": {"name": "127.0.0.1"}}"#;
    let o = t.c.run_stdin(&["create", "-f", "-"], node);
    assert_eq!(o.code, 0, "{}", o.stderr);
}

/// node-management.sh `create_test_pods`.
fn create_test_pods(t: &Kt) {
    for (name, label) in [("test-pod-1", r#""e": "f""#), ("test-pod-2", r#""c": "d""#)] {
        let pod = format!(
            r#"{{"kind": "Pod", "apiVersion": "v1",
  "metadata": {{"name": "{name}", "labels": {{{label}, "type": "test-pod"}}}},
  "spec": {{"nodeName": "127.0.0.1", "containers": [{{"name": "container-1", "resources": {{}}, "image": "test-image"}}]}}}}"#
        );
        let o = t.c.run_stdin(&t.args(&["create", "-f", "-"]), &pod);
        assert_eq!(o.code, 0, "{}", o.stderr);
    }
}

/// node-management.sh `delete_test_pods`.
fn delete_test_pods(t: &Kt) {
    t.kubectl(&["delete", "pod/test-pod-1", "--force", "--ignore-not-found"]);
    t.kubectl(&["delete", "pod/test-pod-2", "--force", "--ignore-not-found"]);
}

/// test/cmd/node-management.sh `run_cluster_management_tests`, without the `--v=6` checks of
/// the requests `drain --chunk-size` sends to an API server.
#[test]
fn run_cluster_management_tests() {
    let mut t = Kt::new();
    only_node_127(&t);
    t.new_namespace("namespace-nodes");
    t.get_object_assert(&["nodes"], NAMES, "127.0.0.1:");
    create_test_pods(&t);
    let node = ["nodes", "127.0.0.1"];
    let taints = "{{range .spec.taints}}{{if eq .key \"dedicated\"}}{{.key}}={{.value}}:{{.effect}}{{end}}{{end}}";
    let unschedulable = "{{.spec.unschedulable}}";
    // taint/untaint.
    t.get_object_assert(&node, taints, "");
    for dry in ["--dry-run=client", "--dry-run=server"] {
        t.kubectl(&["taint", "node", "127.0.0.1", dry, "dedicated=foo:PreferNoSchedule"]);
    }
    t.get_object_assert(&node, taints, "");
    t.kubectl(&["taint", "node", "127.0.0.1", "dedicated=foo:PreferNoSchedule"]);
    t.get_object_assert(&node, taints, "dedicated=foo:PreferNoSchedule");
    t.kubectl(&["taint", "node", "127.0.0.1", "dedicated-"]);
    t.kubectl(&["taint", "node", "127.0.0.1", "dedicated:PreferNoSchedule"]);
    t.get_object_assert(&node, taints, "dedicated=<no value>:PreferNoSchedule");
    let managers = t.kubectl(&[
        "get",
        "node",
        "127.0.0.1",
        "--show-managed-fields",
        "-o=jsonpath={.metadata.managedFields[*].manager}",
    ]);
    t.if_has_string(&managers, "kubectl-taint");
    for dry in ["--dry-run=client", "--dry-run=server"] {
        t.kubectl(&["taint", "node", "127.0.0.1", dry, "dedicated-"]);
    }
    t.get_object_assert(&node, taints, "dedicated=<no value>:PreferNoSchedule");
    t.kubectl(&["taint", "node", "127.0.0.1", "dedicated-"]);
    t.get_object_assert(&node, taints, "");
    // cordon with --dry-run does not mark the node unschedulable.
    t.get_object_assert(&node, unschedulable, "<no value>");
    for dry in ["--dry-run=client", "--dry-run=server"] {
        t.kubectl(&["cordon", "127.0.0.1", dry]);
    }
    t.get_object_assert(&node, unschedulable, "<no value>");
    // drain with --dry-run does not either.
    t.get_object_assert(&node, unschedulable, "<no value>");
    for dry in ["--dry-run=client", "--dry-run=server"] {
        t.kubectl(&["drain", "127.0.0.1", dry, "--force"]);
    }
    t.get_object_assert(&["nodes"], NAMES, "127.0.0.1:");
    t.get_object_assert(&node, unschedulable, "<no value>");
    // drain --pod-selector evicts only the pods it matches.
    let pod_names = "{{range .items}}{{.metadata.name}},{{end}}";
    t.get_object_assert(&node, unschedulable, "<no value>");
    t.get_object_assert(&["pods"], pod_names, "test-pod-1,test-pod-2,");
    for dry in ["--dry-run=client", "--dry-run=server"] {
        t.kubectl(&["drain", "127.0.0.1", "--pod-selector", "e in (f)", dry, "--force"]);
    }
    t.get_object_assert(&["pods"], pod_names, "test-pod-1,test-pod-2,");
    let out =
        t.kubectl(&["drain", "127.0.0.1", "--force", "--pod-selector", "e in (f)", "--skip-wait-for-delete-timeout=1"]);
    // `if_has_string "${response}" "evicting pod .*/test-pod-1"` is a grep pattern.
    let evicting = out.lines().any(|l| l.starts_with("evicting pod ") && l.contains("/test-pod-1"));
    t.check(evicting, "evicting pod .*/test-pod-1");
    t.get_object_assert(&["pods/test-pod-2"], "{{.metadata.deletionTimestamp}}", "<no value>");
    delete_test_pods(&t);
    create_test_pods(&t);
    t.kubectl(&["uncordon", "127.0.0.1"]);
    t.get_object_assert(&node, unschedulable, "<no value>");
    // uncordon with --dry-run is a no-op.
    t.get_object_assert(&node, unschedulable, "<no value>");
    for dry in ["--dry-run=client", "--dry-run=server"] {
        let out = t.kubectl(&["uncordon", "127.0.0.1", dry]);
        t.if_has_string(&out, "already uncordoned");
    }
    t.get_object_assert(&node, unschedulable, "<no value>");
    // drain fails when both --selector and a node argument are given.
    t.kubectl(&["label", "node", "127.0.0.1", "test=label"]);
    t.get_object_assert(&node, "{{.metadata.labels.test}}", "label");
    let out = t.kubectl_fails_all(&["drain", "127.0.0.1", "--selector", "test=label"]);
    t.if_has_string(&out, "cannot specify both a node name");
    // drain --chunk-size: the preconditions; the `--v=6` request log needs an API server.
    t.get_object_assert(&node, "{{.metadata.labels.test}}", "label");
    t.get_object_assert(&node, unschedulable, "<no value>");
    t.get_object_assert(&["pods"], pod_names, "test-pod-1,test-pod-2,");
    let out = t.kubectl(&[
        "drain",
        "--force",
        "--pod-selector",
        "type=test-pod",
        "--selector",
        "test=label",
        "--chunk-size=1",
        "--dry-run=client",
    ]);
    for pod in ["test-pod-1", "test-pod-2"] {
        let evicting = out.lines().any(|l| l.starts_with("evicting pod ") && l.contains(&format!("/{pod}")));
        t.check(evicting, "evicting pod .*/POD");
    }
    t.kubectl(&["uncordon", "127.0.0.1"]);
    t.get_object_assert(&node, unschedulable, "<no value>");
    // cordon fails without arguments.
    let out = t.kubectl_fails_all(&["cordon"]);
    t.if_has_string(&out, "error: USAGE: cordon NODE");
    // cordon selects no nodes with an empty --selector=.
    t.kubectl(&["uncordon", "127.0.0.1"]);
    let out = t.kubectl_fails_all(&["cordon", "--selector="]);
    t.if_has_string(&out, "must provide one or more resources");
    let out = t.kubectl(&["cordon", "--selector", "test=label"]);
    t.if_has_string(&out, "node/127.0.0.1 cordoned");
    let out = t.kubectl(&["cordon", "--selector", "invalid=label"]);
    t.if_has_not_string(&out, "cordoned");
    t.get_object_assert(&node, unschedulable, "true");
    delete_test_pods(&t);
    assert_eq!(t.asserts, 36);
}

/// test/cmd/storage.sh `run_persistent_volumes_tests`, without the
/// `describe_resource_chunk_size_assert` check (it counts an API server's chunked requests).
#[test]
fn run_persistent_volumes_tests() {
    let mut t = Kt::new();
    let dir = "test/fixtures/doc-yaml/user-guide/persistent-volumes/volumes";
    t.fixtures(&[
        (&format!("{dir}/local-01.yaml"), include_str!("test_cmd/apps/local-01.yaml")),
        (&format!("{dir}/local-02.yaml"), include_str!("test_cmd/apps/local-02.yaml")),
        (&format!("{dir}/gce.yaml"), include_str!("test_cmd/apps/gce.yaml")),
    ]);
    t.new_namespace("namespace-pv");
    t.get_object_assert(&["pv"], NAMES, "");
    t.kubectl(&["create", "-f", &format!("{dir}/local-01.yaml")]);
    t.get_object_assert(&["pv"], NAMES, "pv0001:");
    t.kubectl(&["delete", "pv", "pv0001"]);
    t.kubectl(&["create", "-f", &format!("{dir}/local-02.yaml")]);
    t.get_object_assert(&["pv"], NAMES, "pv0002:");
    t.kubectl(&["delete", "pv", "pv0002"]);
    t.kubectl(&["create", "-f", &format!("{dir}/gce.yaml")]);
    t.get_object_assert(&["pv"], NAMES, "pv0003:");
    t.kubectl(&["delete", "pv", "pv0003"]);
    t.get_object_assert(&["pv"], NAMES, "");
    t.kubectl(&["create", "-f", &format!("{dir}/local-01.yaml")]);
    t.get_object_assert(&["pv"], NAMES, "pv0001:");
    let o = t.c.run(&["delete", "pv", "-n", "test", "--all"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let out = format!("{}{}", o.stdout, o.stderr);
    // kubectl v1.32 capitalizes the warning (older scripts grep `warning: ...`).
    t.if_has_string(&out, "Warning: deleting cluster-scoped resources");
    t.if_has_string(&out, "persistentvolume \"pv0001\" deleted");
    t.get_object_assert(&["pv"], NAMES, "");
    assert_eq!(t.asserts, 9);
}

/// test/cmd/storage.sh `run_persistent_volume_claims_tests`, without the
/// `describe_resource_chunk_size_assert` check.
#[test]
fn run_persistent_volume_claims_tests() {
    let mut t = Kt::new();
    let dir = "test/fixtures/doc-yaml/user-guide/persistent-volumes/claims";
    t.fixtures(&[
        (&format!("{dir}/claim-01.yaml"), include_str!("test_cmd/apps/claim-01.yaml")),
        (&format!("{dir}/claim-02.yaml"), include_str!("test_cmd/apps/claim-02.yaml")),
        (&format!("{dir}/claim-03.json"), include_str!("test_cmd/apps/claim-03.json")),
    ]);
    t.new_namespace("namespace-pvc");
    t.get_object_assert(&["pvc"], NAMES, "");
    t.kubectl(&["create", "-f", &format!("{dir}/claim-01.yaml")]);
    t.get_object_assert(&["pvc"], NAMES, "myclaim-1:");
    t.kubectl(&["delete", "pvc", "myclaim-1"]);
    t.kubectl(&["create", "-f", &format!("{dir}/claim-02.yaml")]);
    t.get_object_assert(&["pvc"], NAMES, "myclaim-2:");
    t.kubectl(&["delete", "pvc", "myclaim-2"]);
    t.kubectl(&["create", "-f", &format!("{dir}/claim-03.json")]);
    t.get_object_assert(&["pvc"], NAMES, "myclaim-3:");
    t.kubectl(&["delete", "pvc", "myclaim-3"]);
    t.get_object_assert(&["pvc"], NAMES, "");
    assert_eq!(t.asserts, 5);
}

/// test/cmd/storage.sh `run_storage_class_tests`, on a cluster whose StorageClasses were deleted
/// first (test/cmd's API server starts with none), without the `describe_resource_chunk_size_assert`
/// check.
#[test]
fn run_storage_class_tests() {
    let mut t = Kt::new();
    t.c.ok(&["delete", "storageclass", "--all"]);
    t.get_object_assert(&["storageclass"], NAMES, "");
    let class = r#"{
  "kind": "StorageClass",
  "apiVersion": "storage.k8s.io/v1",
  "metadata": {
  "name": "storage-class-name"
  },
  "provisioner": "kubernetes.io/fake-provisioner-type",
  "parameters": {
  "zone":"us-east-1b",
  "type":"ssd"
  }
}"#;
    let o = t.c.run_stdin(&["create", "-f", "-"], class);
    assert_eq!(o.code, 0, "{}", o.stderr);
    t.get_object_assert(&["storageclass"], NAMES, "storage-class-name:");
    t.get_object_assert(&["sc"], NAMES, "storage-class-name:");
    t.kubectl(&["delete", "storageclass", "storage-class-name"]);
    t.get_object_assert(&["storageclass"], NAMES, "");
    assert_eq!(t.asserts, 4);
}

/// The CustomResourceDefinition apply.sh creates for its dry runs on a custom resource.
const RESOURCES_CRD: &str = r#"{
  "kind": "CustomResourceDefinition",
  "apiVersion": "apiextensions.k8s.io/v1",
  "metadata": {
    "name": "resources.mygroup.example.com"
  },
  "spec": {
    "group": "mygroup.example.com",
    "scope": "Namespaced",
    "names": {
      "plural": "resources",
      "singular": "resource",
      "kind": "Kind",
      "listKind": "KindList"
    },
    "versions": [
      {
        "name": "v1alpha1",
        "served": true,
        "storage": true,
        "schema": {
          "openAPIV3Schema": {
            "x-kubernetes-preserve-unknown-fields": true,
            "type": "object"
          }
        }
      }
    ]
  }
}"#;

/// The fixtures apply.sh reads.
fn apply_fixtures(t: &Kt) {
    t.fixtures(&[
        fixture!("pod.yaml"),
        fixture!("pod-apply.yaml"),
        (
            "hack/testdata/retainKeys/deployment/deployment-before.yaml",
            include_str!("test_cmd/apps/retainKeys/deployment-before.yaml"),
        ),
        (
            "hack/testdata/retainKeys/deployment/deployment-after.yaml",
            include_str!("test_cmd/apps/retainKeys/deployment-after.yaml"),
        ),
        fixture!("filter/pod-apply-selector.yaml"),
        fixture!("filter/pod-dont-apply.yaml"),
        fixture!("prune/a.yaml"),
        fixture!("prune/b.yaml"),
        fixture!("prune/svc.yaml"),
        fixture!("prune-reap/a.yml"),
        fixture!("prune-reap/b.yml"),
        fixture!("service-revision1.yaml"),
        fixture!("service-revision2.yaml"),
        fixture!("multi-resource-1.yaml"),
        fixture!("multi-resource-2.yaml"),
        fixture!("multi-resource-3.yaml"),
        fixture!("multi-resource-4.yaml"),
        ("hack/testdata/CRD/resource.yaml", include_str!("test_cmd/apps/crd-resource.yaml")),
    ]);
}

/// Creates the `resources.mygroup.example.com` CRD, then checks it is served
/// (`api-resources --api-group mygroup.example.com -oname`).
fn create_resources_crd(t: &mut Kt) {
    let o = t.c.run_stdin(&["create", "-f", "-"], RESOURCES_CRD);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let out = t.c.ok(&["api-resources", "--api-group", "mygroup.example.com", "-oname"]);
    t.if_has_string(&out, "resources.mygroup.example.com");
}

/// test/cmd/apply.sh `run_kubectl_apply_tests`, without `apply -k`/`--kustomize` (kstate has
/// no kustomize).
#[test]
fn run_kubectl_apply_tests() {
    let mut t = Kt::in_context();
    apply_fixtures(&t);
    let pod = "hack/testdata/pod.yaml";
    let has_config = |t: &Kt| t.yaml(&["pods", "test-pod"]).contains(LAST_APPLIED);
    let label = "{{.metadata.labels.name}}";
    t.new_namespace("namespace-apply");
    // kubectl apply should create the resource that doesn't exist yet.
    t.get_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["apply", "-f", pod]);
    t.get_object_assert(&["pods", "test-pod"], label, "test-pod-label");
    let ok = has_config(&t);
    t.check(ok, "apply writes the annotation");
    let managers =
        t.kubectl(&["get", "--show-managed-fields", "-f", pod, "-o=jsonpath={.metadata.managedFields[*].manager}"]);
    t.if_has_string(&managers, "kubectl-client-side-apply");
    t.kubectl(&["delete", "pods", "test-pod"]);
    // set-last-applied.
    t.get_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["create", "-f", pod]);
    t.get_object_assert(&["pods", "test-pod"], label, "test-pod-label");
    let ok = !has_config(&t);
    t.check(ok, "create writes no annotation");
    for dry in ["--dry-run=client", "--dry-run=server"] {
        t.kubectl(&["apply", "set-last-applied", dry, "-f", pod, "--create-annotation=true"]);
    }
    let ok = !has_config(&t);
    t.check(ok, "set-last-applied dry runs write no annotation");
    t.kubectl(&["apply", "set-last-applied", "-f", pod, "--create-annotation=true"]);
    let ok = has_config(&t);
    t.check(ok, "set-last-applied writes the annotation");
    t.kubectl(&["delete", "pods", "test-pod"]);
    // kubectl apply should be able to clear defaulted fields.
    let retain = "hack/testdata/retainKeys/deployment";
    t.get_object_assert(&["deployments"], NAMES, "");
    t.kubectl(&["apply", "-f", &format!("{retain}/deployment-before.yaml")]);
    t.get_object_assert(&["deployments"], "{{range.items}}{{.metadata.name}}{{end}}", "test-deployment-retainkeys");
    let yaml = t.yaml(&["deployments", "test-deployment-retainkeys"]);
    for word in ["RollingUpdate", "maxSurge", "maxUnavailable", "emptyDir"] {
        t.check(yaml.contains(word), word);
    }
    let out = t.kubectl(&["apply", "-f", &format!("{retain}/deployment-after.yaml")]);
    t.check(!out.is_empty(), "apply prints");
    let yaml = t.yaml(&["deployments", "test-deployment-retainkeys"]);
    t.check(yaml.contains("Recreate"), "Recreate");
    t.check(!yaml.contains("RollingUpdate"), "no RollingUpdate");
    t.check(yaml.contains("hostPath"), "hostPath");
    t.check(!yaml.contains("emptyDir"), "no emptyDir");
    t.kubectl(&["delete", "deployments", "test-deployment-retainkeys"]);
    // kubectl apply -f with label selector should only apply matching objects.
    t.wait_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["apply", "-l", "unique-label=bingbang", "-f", "hack/testdata/filter"]);
    t.get_object_assert(&["pods", "selector-test-pod"], label, "selector-test-pod");
    let out = t.kubectl_fails_all(&["get", "pods", "selector-test-pod-dont-apply"]);
    t.if_has_string(&out, "pods \"selector-test-pod-dont-apply\" not found");
    t.kubectl(&["delete", "pods", "selector-test-pod"]);
    // kubectl apply --dry-run=server.
    t.get_object_assert(&["pods"], NAMES, "");
    for dry in ["--dry-run=true", "--dry-run=client", "--dry-run=server"] {
        t.kubectl(&["apply", dry, "-f", pod]);
    }
    t.get_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["apply", "-f", pod]);
    let version = "go-template={{ .metadata.resourceVersion }}";
    let initial = t.kubectl(&["get", "-f", pod, "-o", version]);
    for dry in ["--dry-run=client", "--dry-run=server"] {
        t.kubectl(&["apply", dry, "-f", "hack/testdata/pod-apply.yaml"]);
    }
    t.get_object_assert(&["pods", "test-pod"], label, "test-pod-label");
    let now = t.kubectl(&["get", "-f", pod, "-o", version]);
    t.if_has_string(&now, &initial);
    t.kubectl(&["delete", "-f", pod]);
    // kubectl apply dry-run on CR.
    create_resources_crd(&mut t);
    t.kubectl(&["apply", "--dry-run=server", "-f", "hack/testdata/CRD/resource.yaml"]);
    t.kubectl_fails_all(&["get", "resource/myobj"]);
    t.kubectl(&["delete", "customresourcedefinition", "resources.mygroup.example.com"]);
    // kubectl apply --prune.
    t.kubectl(&["create", "ns", "nsb"]);
    t.get_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["apply", "--namespace", "nsb", "-l", "prune-group=true", "-f", "hack/testdata/prune/a.yaml"]);
    t.get_object_assert(&["pods", "a", "-n", "nsb"], ID, "a");
    t.kubectl(&[
        "apply",
        "--namespace",
        "nsb",
        "--prune",
        "-l",
        "prune-group=true",
        "-f",
        "hack/testdata/prune/b.yaml",
    ]);
    t.wait_object_assert(&["pods", "-n", "nsb"], NAMES, "b:");
    t.kubectl(&["delete", "pods", "b", "-n", "nsb"]);
    // The same without prune, for a sanity check.
    t.get_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["apply", "-l", "prune-group=true", "-f", "hack/testdata/prune/a.yaml"]);
    t.get_object_assert(&["pods", "a"], ID, "a");
    t.wait_object_assert(&["pods", "-n", "nsb"], NAMES, "");
    t.kubectl(&["apply", "-l", "prune-group=true", "-f", "hack/testdata/prune/b.yaml"]);
    t.get_object_assert(&["pods", "a"], ID, "a");
    t.get_object_assert(&["pods", "b", "-n", "nsb"], ID, "b");
    t.kubectl(&["delete", "pod/a"]);
    t.kubectl(&["delete", "pod/b", "-n", "nsb"]);
    // kubectl apply --prune requires a --all flag to select everything.
    let out = t.kubectl_fails_all(&["apply", "--prune", "-f", "hack/testdata/prune"]);
    t.if_has_string(&out, "all resources selected for prune without explicitly passing --all");
    t.kubectl(&["apply", "--all", "--prune", "-f", "hack/testdata/prune"]);
    t.get_object_assert(&["pods", "a"], ID, "a");
    t.get_object_assert(&["pods", "b", "-n", "nsb"], ID, "b");
    t.kubectl(&["delete", "pod/a"]);
    t.kubectl(&["delete", "pod/b", "-n", "nsb"]);
    t.kubectl(&["delete", "ns", "nsb"]);
    // kubectl apply --prune should fall back to delete for non-reapable types.
    t.kubectl(&["apply", "--all", "--prune", "-f", "hack/testdata/prune-reap/a.yml"]);
    t.get_object_assert(&["pvc", "a-pvc"], ID, "a-pvc");
    t.kubectl(&["apply", "--all", "--prune", "-f", "hack/testdata/prune-reap/b.yml"]);
    t.get_object_assert(&["pvc", "b-pvc"], ID, "b-pvc");
    t.get_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["delete", "pvc", "b-pvc"]);
    // kubectl apply --prune --prune-allowlist.
    t.get_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["apply", "--prune", "-l", "prune-group=true", "-f", "hack/testdata/prune/a.yaml"]);
    t.get_object_assert(&["pods", "a"], ID, "a");
    let svc = "hack/testdata/prune/svc.yaml";
    t.kubectl(&["apply", "--prune", "-l", "prune-group=true", "-f", svc, "--prune-allowlist", "core/v1/Service"]);
    t.get_object_assert(&["service", "prune-svc"], ID, "prune-svc");
    t.get_object_assert(&["pods", "a"], ID, "a");
    t.kubectl(&["apply", "--prune", "-l", "prune-group=true", "-f", svc]);
    t.get_object_assert(&["service", "prune-svc"], ID, "prune-svc");
    t.get_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["delete", "svc", "prune-svc"]);
    // kubectl apply --prune can prune resources not in the defaulted namespace.
    t.kubectl(&["create", "ns", "nsb"]);
    t.get_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["apply", "--namespace", "nsb", "-f", "hack/testdata/prune/a.yaml"]);
    t.get_object_assert(&["pods", "a", "-n", "nsb"], ID, "a");
    t.kubectl(&["apply", "--namespace", "nsb", "-f", "hack/testdata/prune/b.yaml"]);
    t.get_object_assert(&["pods", "b", "-n", "nsb"], ID, "b");
    t.kubectl(&["apply", "--prune", "--all", "-f", "hack/testdata/prune/b.yaml"]);
    t.wait_object_assert(&["pods", "-n", "nsb"], NAMES, "b:");
    t.kubectl(&["delete", "ns", "nsb"]);
    // kubectl apply -n must fail if the file names another namespace.
    let out = t.kubectl_fails_all(&["apply", "-n", "foo", "-f", "hack/testdata/prune/b.yaml"]);
    t.if_has_string(&out, "the namespace from the provided object \"nsb\" does not match the namespace \"foo\".");
    // kubectl apply -f some.yml --force.
    t.get_object_assert(&["services"], NAMES, "");
    t.kubectl(&["apply", "-f", "hack/testdata/service-revision1.yaml"]);
    t.get_object_assert(&["services", "a"], ID, "a");
    let out = t.kubectl_fails_all(&["apply", "-f", "hack/testdata/service-revision2.yaml"]);
    t.if_has_string(&out, "may not change once set");
    t.kubectl(&["apply", "-f", "hack/testdata/service-revision2.yaml", "--force"]);
    t.get_object_assert(&["services", "a"], "{{.spec.clusterIP}}", "10.0.0.12");
    t.kubectl(&["delete", "-f", "hack/testdata/service-revision2.yaml"]);
    // `apply -k hack/testdata/kustomize` and `apply --kustomize`: kstate has no kustomize.
    // kubectl apply multiple resources with one failure during apply phase.
    let out = t.kubectl_fails_all(&["get", "namespace", "multi-resource-ns"]);
    t.if_has_string(&out, "namespaces \"multi-resource-ns\" not found");
    t.wait_object_assert(&["pods"], NAMES, "");
    let out = t.kubectl_fails_all(&["apply", "-f", "hack/testdata/multi-resource-1.yaml"]);
    t.if_has_string(&out, "namespaces \"multi-resource-ns\" not found");
    let out = t.kubectl_fails_all(&["get", "pods", "test-pod", "-n", "multi-resource-ns"]);
    t.if_has_string(&out, "pods \"test-pod\" not found");
    t.kubectl(&["apply", "-f", "hack/testdata/multi-resource-1.yaml"]);
    t.get_object_assert(&["pods", "test-pod", "-n", "multi-resource-ns"], ID, "test-pod");
    t.kubectl(&["delete", "-f", "hack/testdata/multi-resource-1.yaml"]);
    // ... with one failure during the builder phase.
    t.get_object_assert(&["configmaps", "--field-selector=metadata.name=foo"], NAMES, "");
    let out = t.kubectl_fails_all(&["apply", "-f", "hack/testdata/multi-resource-2.yaml"]);
    t.if_has_string(&out, "no matches for kind \"Bogus\" in version \"example.com/v1\"");
    t.get_object_assert(&["configmaps", "foo"], ID, "foo");
    t.kubectl(&["delete", "configmaps", "foo"]);
    // ... with an invalid object among valid ones.
    t.get_object_assert(&["pods"], NAMES, "");
    let out = t.kubectl_fails_all(&["apply", "-f", "hack/testdata/multi-resource-3.yaml"]);
    t.if_has_string(&out, "The Pod \"POD-B\" is invalid");
    t.get_object_assert(&["pods", "pod-a"], ID, "pod-a");
    t.get_object_assert(&["pods", "pod-c"], ID, "pod-c");
    t.kubectl(&["delete", "pod", "pod-a", "pod-c"]);
    t.get_object_assert(&["pods"], NAMES, "");
    // ... with a custom resource before its CRD.
    t.get_object_assert(&["crds"], NAMES, "");
    let out = t.kubectl_fails_all(&["apply", "-f", "hack/testdata/multi-resource-4.yaml"]);
    t.if_has_string(&out, "no matches for kind \"Widget\" in version \"example.com/v1\"");
    let out = t.kubectl_fails_all(&["get", "widgets", "foo"]);
    t.if_has_string(&out, "widgets.example.com \"foo\" not found");
    t.get_object_assert(&["crds", "widgets.example.com"], ID, "widgets.example.com");
    t.kubectl(&["apply", "-f", "hack/testdata/multi-resource-4.yaml"]);
    t.get_object_assert(&["widget", "foo"], ID, "foo");
    t.kubectl(&["delete", "-f", "hack/testdata/multi-resource-4.yaml"]);
    assert_eq!(t.asserts, 75);
}

/// test/cmd/apply.sh `run_kubectl_server_side_apply_tests`.
#[test]
fn run_kubectl_server_side_apply_tests() {
    let mut t = Kt::in_context();
    apply_fixtures(&t);
    let pod = "hack/testdata/pod.yaml";
    let pod_apply = "hack/testdata/pod-apply.yaml";
    let label = "{{.metadata.labels.name}}";
    let has_config = |t: &Kt| t.yaml(&["pods", "test-pod"]).contains(LAST_APPLIED);
    t.new_namespace("namespace-ssa");
    // kubectl apply should create the resource that doesn't exist yet.
    t.get_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["apply", "--server-side", "-f", pod]);
    t.get_object_assert(&["pods", "test-pod"], label, "test-pod-label");
    let managers =
        t.kubectl(&["get", "--show-managed-fields", "-f", pod, "-o=jsonpath={.metadata.managedFields[*].manager}"]);
    t.if_has_string(&managers, "kubectl");
    t.kubectl(&["apply", "--server-side", "--field-manager=my-field-manager", "--force-conflicts", "-f", pod]);
    let managers = t.kubectl(&["get", "-f", pod, "-o=jsonpath={.metadata.managedFields[*].manager}"]);
    t.if_has_string(&managers, "my-field-manager");
    t.kubectl(&["delete", "pods", "test-pod"]);
    // kubectl apply --dry-run=server.
    t.get_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["apply", "--server-side", "--dry-run=server", "-f", pod]);
    t.get_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["apply", "--server-side", "-f", pod]);
    let version = "go-template={{ .metadata.resourceVersion }}";
    let initial = t.kubectl(&["get", "-f", pod, "-o", version]);
    t.kubectl(&["apply", "--server-side", "--dry-run=server", "-f", pod_apply]);
    t.get_object_assert(&["pods", "test-pod"], label, "test-pod-label");
    let now = t.kubectl(&["get", "-f", pod, "-o", version]);
    t.if_has_string(&now, &initial);
    t.kubectl(&["delete", "-f", pod]);
    // kubectl apply upgrade: client-side apply to server-side apply.
    t.get_object_assert(&["pods"], NAMES, "");
    t.kubectl(&["apply", "-f", pod]);
    t.kubectl_fails_all(&["apply", "--server-side", "--field-manager=not-kubectl", "-f", pod_apply]);
    t.kubectl(&["apply", "--server-side", "-f", pod_apply]);
    let ok = has_config(&t);
    t.check(ok, "the annotation stays after the upgrade");
    let out = t.kubectl(&["apply", "view-last-applied", "pod/test-pod", "-o", "json"]);
    t.if_has_string(&out, "\"name\": \"test-pod-applied\"");
    // ... and the downgrade from server-side apply to client-side apply.
    t.kubectl(&["apply", "--server-side", "-f", pod]);
    let ok = has_config(&t);
    t.check(ok, "the annotation stays after the downgrade");
    let out = t.kubectl(&["apply", "view-last-applied", "pod/test-pod", "-o", "json"]);
    t.if_has_string(&out, "\"name\": \"test-pod-label\"");
    t.kubectl(&["apply", "-f", pod_apply]);
    t.kubectl(&["delete", "-f", pod]);
    // kubectl apply dry-run on CR.
    create_resources_crd(&mut t);
    t.kubectl(&["apply", "--server-side", "--dry-run=server", "-f", "hack/testdata/CRD/resource.yaml"]);
    t.kubectl_fails_all(&["get", "resource/myobj"]);
    t.kubectl(&["delete", "customresourcedefinition", "resources.mygroup.example.com"]);
    // A field the client-side apply set and server-side apply no longer applies goes.
    let cm = |legacy: bool| {
        let extra = if legacy { "  legacy: unused\n" } else { "" };
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test\ndata:\n  key: value\n{extra}")
    };
    let stdin = |t: &Kt, args: &[&str], text: &str| {
        let o = t.c.run_stdin(&t.args(args), text);
        assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
    };
    stdin(&t, &["apply", "-f", "-"], &cm(true));
    let ok = t.yaml(&["configmap", "test"]).contains("legacy: unused");
    t.check(ok, "legacy: unused after the client-side apply");
    stdin(&t, &["apply", "--server-side", "-f", "-"], &cm(true));
    let ok = t.yaml(&["configmap", "test"]).contains("legacy: unused");
    t.check(ok, "legacy: unused after the server-side apply");
    stdin(&t, &["apply", "--server-side", "-f", "-"], &cm(false));
    let ok = !t.yaml(&["configmap", "test"]).contains("legacy: unused");
    t.check(ok, "no legacy: unused once the server-side apply drops it");
    t.kubectl(&["delete", "configmap", "test"]);
    assert_eq!(t.asserts, 17);
}
