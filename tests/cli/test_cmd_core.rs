//! Kubernetes' own kubectl tests, ported (second part): the functions of test/cmd/core.sh,
//! storage.sh, get.sh and request-timeout.sh about the kinds kstate serves, replayed in order
//! with their `kube::test::*` checks (the `Kt` harness, tests/cli/test_cmd_kt.rs). The files they
//! read are copied from kubernetes/kubernetes into tests/cli/test_cmd/. Steps left out (they need
//! an HTTP API server, a kind kstate does not serve, or a step not yet ported) are named where
//! they were and listed in docs/differences.md ("test/cmd").

use crate::test_cmd_kt::{found, names, testdata, Kt, ANNOTATIONS, ID, IMAGE, LABELS, SECRET_TYPE};

/// `kubectl create -f - <<EOF` (or `kubectl replace -f -`): a command reading stdin that must
/// succeed; its stdout.
fn kubectl_stdin(t: &Kt, args: &[&str], input: &str) -> String {
    let o = t.c.run_stdin(&t.args(args), input);
    assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
    o.stdout
}

/// `EDITOR=E kubectl ...`: the command with that editor, whatever its exit code.
fn edit_with(t: &Kt, editor: &str, args: &[&str]) -> crate::harness::Out {
    let o = t.c.command(&t.args(args)).env("EDITOR", editor).env_remove("KUBE_EDITOR").output().expect("run kstate");
    crate::harness::Out {
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        code: o.status.code().unwrap_or(-1),
    }
}

fn make_executable(path: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// `kube::test::if_sort_by_has_correct_order`: the first column of the rows after the header,
/// each followed by `:`.
#[track_caller]
fn sort_order(t: &mut Kt, output: &str, want: &str) {
    let order: String =
        output.lines().skip(1).filter_map(|l| l.split_whitespace().next()).map(|n| format!("{n}:")).collect();
    t.if_has_string(&order, want);
}

/// kubectl v1.32 prints this through its WarningPrinter as `Warning: deleting ...`; the stored
/// core.sh and storage.sh look for `warning: deleting cluster-scoped resources`.
const WARN_CLUSTER_SCOPE: &str = "Warning: deleting cluster-scoped resources, not scoped to the provided namespace\n";

fn id() -> String {
    format!("{{{{{ID}}}}}")
}

/// The test/cmd cluster has one node, `127.0.0.1` (kubelet-less): kstate's nodes are replaced
/// by it.
pub(crate) fn one_node_cluster(t: &Kt) {
    t.c.ok(&["delete", "nodes", "--all"]);
    let node = r#"{"kind": "Node", "apiVersion": "v1", "metadata": {"name": "127.0.0.1"}}"#;
    kubectl_stdin(t, &["create", "-f", "-"], node);
}

/// core.sh `run_pod_tests`, the describe of a pod taking environment variables from a secret,
/// a config map and the downward API (the part tests/cli/test_cmd.rs leaves out), with the
/// secret and config map it reads.
#[test]
fn run_pod_tests_env_describe() {
    let mut t = Kt::new();
    t.kubectl(&["create", "namespace", "test-kubectl-describe-pod"]);
    t.ns = "test-kubectl-describe-pod".into();
    t.kubectl(&["create", "secret", "generic", "test-secret", "--from-literal=key-1=value1", "--type=test-type"]);
    t.kubectl(&["create", "configmap", "test-configmap", "--from-literal=key-2=value2"]);
    t.get_object_assert(&["pods"], &names(), "");
    t.kubectl(&["create", "-f", &testdata("pod-with-api-env.yaml")]);
    let env = [
        "TEST_CMD_1",
        "<set to the key 'key-1' in secret 'test-secret'>",
        "TEST_CMD_2",
        "<set to the key 'key-2' of config map 'test-configmap'>",
        "TEST_CMD_3",
        "env-test-pod (v1:metadata.name)",
    ];
    t.describe_assert("pods", "env-test-pod", &env);
    t.describe_assert("pods", "", &env);
    t.kubectl(&["delete", "pod", "env-test-pod"]);
    t.kubectl(&["delete", "secret", "test-secret"]);
    t.kubectl(&["delete", "configmap", "test-configmap"]);
    t.kubectl(&["delete", "namespace", "test-kubectl-describe-pod", "--namespace=default"]);
    assert_eq!(t.asserts, 3);
}

/// core.sh `run_pod_tests`: priority classes, two pods created and deleted at once, and (after
/// the label and annotate steps tests/cli/test_cmd.rs ports) a pod whose big integers survive
/// patch, label and annotate, and `annotate --local`. The `--record` steps between them are
/// ported below (`run_pod_tests_record_label_change_and_create_edit`). The function ends with
/// `create --edit` of a Service and a ReplicationController, from a JSON stream and a List.
#[test]
fn run_pod_tests_priority_pods_precision() {
    let mut t = Kt::new();
    // Priority Class.
    let pc = found("test-priorityclass");
    t.get_object_assert(&["priorityclasses"], &pc, ":");
    t.kubectl(&["create", "priorityclass", "test-priorityclass", "--dry-run=client"]);
    t.kubectl(&["create", "priorityclass", "test-priorityclass", "--dry-run=server"]);
    t.get_object_assert(&["priorityclasses"], &pc, ":");
    t.kubectl(&["create", "priorityclass", "test-priorityclass"]);
    t.get_object_assert(&["priorityclasses"], &pc, "found:");
    t.kubectl(&["delete", "priorityclass", "test-priorityclass"]);
    // Create two PODs, delete them at once.
    t.new_namespace("namespace-two-pods");
    t.get_object_assert(&["pods"], &names(), "");
    t.kubectl(&["create", "-f", &testdata("valid-pod.yaml")]);
    t.kubectl(&["create", "-f", &testdata("agnhost-primary-pod.yaml")]);
    t.get_object_assert(&["pods"], &names(), "agnhost-primary:valid-pod:");
    t.get_object_assert(&["pods"], &names(), "agnhost-primary:valid-pod:");
    t.kubectl(&["delete", "pods", "valid-pod", "agnhost-primary", "--grace-period=0", "--force"]);
    t.get_object_assert(&["pods"], &names(), "");
    // (label, annotate: tests/cli/test_cmd.rs; "Record label change": not yet ported)
    // Create pod-with-precision POD; patch, label and annotate keep its integers.
    t.new_namespace("namespace-precision");
    t.get_object_assert(&["pods"], &names(), "");
    t.kubectl(&["create", "-f", &testdata("pod-with-precision.json")]);
    t.get_object_assert(&["pods"], &names(), "pod-with-precision:");
    t.kubectl(&["patch", "pod", "pod-with-precision", r#"-p={"metadata":{"annotations":{"patchkey": "patchvalue"}}}"#]);
    t.get_object_assert(&["pod", "pod-with-precision"], &format!("{{{{{ANNOTATIONS}.patchkey}}}}"), "patchvalue");
    t.kubectl(&["label", "pods", "pod-with-precision", "labelkey=labelvalue"]);
    t.get_object_assert(&["pod", "pod-with-precision"], &format!("{{{{{LABELS}.labelkey}}}}"), "labelvalue");
    t.kubectl(&["annotate", "pods", "pod-with-precision", "annotatekey=annotatevalue"]);
    t.get_object_assert(&["pod", "pod-with-precision"], &format!("{{{{{ANNOTATIONS}.annotatekey}}}}"), "annotatevalue");
    t.kubectl(&["delete", "pod", "pod-with-precision"]);
    // Annotate POD YAML file locally without effecting the live pod.
    let pod = testdata("pod.yaml");
    t.kubectl(&["create", "-f", &pod]);
    t.kubectl(&["annotate", "-f", &pod, "annotatekey=annotatevalue"]);
    let annotation = format!("{{{{{ANNOTATIONS}.annotatekey}}}}");
    t.get_object_assert(&["pod", "test-pod"], &annotation, "annotatevalue");
    let out = t.kubectl(&["annotate", "--local", "-f", &pod, "annotatekey=localvalue", "-o", "yaml"]);
    t.get_object_assert(&["pod", "test-pod"], &annotation, "annotatevalue");
    t.if_has_string(&out, "localvalue");
    t.kubectl(&["delete", "-f", &pod]);
    // kubectl create --edit can update the label field of multiple resources; tmp-editor.sh is
    // a fake editor.
    t.get_object_assert(&["service"], &names(), "");
    t.get_object_assert(&["rc"], &names(), "");
    let editor = t.c.file("tmp-editor.sh", "#!/usr/bin/env bash\nsed -i \"s/mock/modified/g\" $1\n");
    make_executable(&editor);
    let out = edit_with(&t, &editor, &["create", "--edit", "-f", &testdata("multi-resource-json.json")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    t.get_object_assert(&["service"], &names(), "modified:");
    t.get_object_assert(&["rc"], &names(), "modified:");
    // The resources have the field manager of kubectl create.
    let managers = "-o=jsonpath={.metadata.managedFields[*].manager}";
    let (out, _) = t.output(&["get", "service/modified", managers]);
    t.if_has_string(&out, "kubectl-create");
    let (out, _) = t.output(&["get", "rc/modified", managers]);
    t.if_has_string(&out, "kubectl-create");
    t.kubectl(&["delete", "service/modified"]);
    t.kubectl(&["delete", "rc/modified"]);
    t.get_object_assert(&["service"], &names(), "");
    t.get_object_assert(&["rc"], &names(), "");
    let out = edit_with(&t, &editor, &["create", "--edit", "-f", &testdata("multi-resource-list.json")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    t.get_object_assert(&["service"], &names(), "modified:");
    t.get_object_assert(&["rc"], &names(), "modified:");
    t.kubectl(&["delete", "service/modified"]);
    t.kubectl(&["delete", "rc/modified"]);
    assert_eq!(t.asserts, 25);
}

/// core.sh `run_pod_tests`: "Record label change" (`label --record=true|false` and the
/// change-cause annotation), deleting by the new label, and `create --edit` with an editor that
/// changes nothing (`Edit cancelled`).
#[test]
fn run_pod_tests_record_label_change_and_create_edit() {
    let mut t = Kt::new();
    t.new_namespace("namespace-record");
    t.kubectl(&["create", "-f", &testdata("valid-pod.yaml")]);
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    let labels = format!("{{{{range{LABELS}}}}}{{{{.}}}}:{{{{end}}}}");
    t.get_object_assert(&["pod", "valid-pod"], &labels, "valid-pod:");
    t.kubectl(&["label", "pods", "valid-pod", "new-name=new-valid-pod"]);
    t.get_object_assert(&["pod", "valid-pod"], &labels, "valid-pod:new-valid-pod:");
    // Record label change.
    let items = format!("{{{{range.items}}}}{{{{{ANNOTATIONS}}}}}:{{{{end}}}}");
    t.get_object_assert(&["pod", "valid-pod"], &items, "");
    t.kubectl(&["label", "pods", "valid-pod", "record-change=true", "--record=true"]);
    let each = format!("{{{{range{ANNOTATIONS}}}}}{{{{.}}}}:{{{{end}}}}");
    t.get_object_regex(&["pod", "valid-pod"], &each, ".*--record=true.*");
    // Do not record label change.
    t.kubectl(&["label", "pods", "valid-pod", "no-record-change=true", "--record=false"]);
    t.get_object_regex(&["pod", "valid-pod"], &each, ".*--record=true.*");
    // Record label change with the flag given and a change already recorded.
    t.kubectl(&["label", "pods", "valid-pod", "new-record-change=true", "--record=true"]);
    t.get_object_regex(&["pod", "valid-pod"], &each, ".*new-record-change=true.*");
    // Delete POD by label.
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    t.kubectl(&["delete", "pods", "-lnew-name=new-valid-pod", "--grace-period=0", "--force"]);
    t.get_object_assert(&["pods"], &names(), "");
    // kubectl create --edit won't create anything if the user makes no changes.
    let pod = testdata("valid-pod.yaml");
    let args = t.args(&["create", "--edit", "-f", &pod, "-o", "json"]);
    let out = t.c.command(&args).env("EDITOR", "cat").output().expect("run kstate");
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    t.if_has_string(&all, "Edit cancelled");
    t.get_object_assert(&["pods"], &names(), "");
    assert_eq!(t.asserts, 11);
}

/// core.sh `run_pod_tests`, from "Create valid-pod POD" after the `create --edit` steps to the end:
/// patch (local, a type error, no-op, strategic, JSON and YAML, from a file, with a
/// resourceVersion), replace (--force, its flag checks, a node), label (local, overwrite), a
/// two-pod file, and which writes set the last-applied annotation.
#[test]
fn run_pod_tests_patch_replace_label_apply() {
    let mut t = Kt::new();
    let valid_pod = testdata("valid-pod.yaml");
    t.new_namespace("namespace-patch");
    t.get_object_assert(&["pods"], &names(), "");
    t.kubectl(&["create", "-f", &valid_pod]);
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    // Patch can modify a local object.
    let local = t.kubectl(&[
        "patch",
        "--local",
        "-f",
        &testdata("validPod.yaml"),
        r#"--patch={"spec": {"restartPolicy":"Never"}}"#,
        "-o",
        "yaml",
    ]);
    t.if_has_string(&local, "Never");
    // Patch fails with type restore error and exit code 1.
    let (out, code) = t.output(&["patch", "pod", "valid-pod", r#"-p={"metadata":{"labels":"invalid"}}"#]);
    assert_eq!(code, 1);
    t.if_has_string(&out, "cannot restore map from string");
    // Patch exits with "patched (no change)" and exit code 0 when no-op occurs.
    let out = t.kubectl(&["patch", "pod", "valid-pod", r#"-p={"metadata":{"labels":{"name":"valid-pod"}}}"#]);
    t.if_has_string(&out, "patched (no change)");
    // Patch pod can change image, and `--record` writes the change cause.
    let image = format!("{{{{range.items}}}}{{{{{IMAGE}}}}}:{{{{end}}}}");
    let nginx = r#"-p={"spec":{"containers":[{"name": "kubernetes-serve-hostname", "image": "nginx"}]}}"#;
    t.kubectl(&["patch", "pod", "valid-pod", "--record", nginx]);
    t.get_object_assert(&["pods"], &image, "nginx:");
    let annotations = format!("{{{{range.items}}}}{{{{{ANNOTATIONS}}}}}:{{{{end}}}}");
    t.get_object_regex(&["pods"], &annotations, ".*kubernetes.io/change-cause.*");
    let json_patch =
        |img: &str| format!(r#"-p=[{{"op": "replace", "path": "/spec/containers/0/image", "value":"{img}"}}]"#);
    t.kubectl(&["patch", "pod", "valid-pod", "--type=json", &json_patch("nginx2")]);
    t.get_object_assert(&["pods"], &image, "nginx2:");
    t.kubectl(&["patch", "pod", "valid-pod", "--type=json", &json_patch("nginx")]);
    t.get_object_assert(&["pods"], &image, "nginx:");
    let not_nginx = r#"-p={"spec":{"containers":[{"name": "kubernetes-serve-hostname", "image": "not-nginx"}]}}"#;
    t.kubectl(&["patch", "pod", "valid-pod", "--dry-run=client", not_nginx]);
    t.kubectl(&["patch", "pod", "valid-pod", "--dry-run=server", not_nginx]);
    t.get_object_assert(&["pods"], &image, "nginx:");
    let yaml_patch = "-p=spec:\n  containers:\n  - name: kubernetes-serve-hostname\n    image: changed-with-yaml\n";
    t.kubectl(&["patch", "pod", "valid-pod", yaml_patch]);
    t.get_object_assert(&["pods"], &image, "changed-with-yaml:");
    // Patch pod from JSON can change image.
    t.kubectl(&[
        "patch",
        "-f",
        &valid_pod,
        r#"-p={"spec":{"containers":[{"name": "kubernetes-serve-hostname", "image": "k8s.gcr.io/pause:3.5"}]}}"#,
    ]);
    t.get_object_assert(&["pods"], &image, "k8s.gcr.io/pause:3.5:");
    let managers = ["get", "pod", "valid-pod", "-o=jsonpath={.metadata.managedFields[*].manager}"];
    let out = t.kubectl(&managers);
    t.if_has_string(&out, "kubectl-patch");
    // A resourceVersion in the patch is a precondition.
    let rv = t.kubectl(&["get", "pod", "valid-pod", "-o", "go-template={{ .metadata.resourceVersion }}"]);
    let with_rv = |rv: &str| {
        format!(
            r#"-p={{"spec":{{"containers":[{{"name": "kubernetes-serve-hostname", "image": "nginx"}}]}},"metadata":{{"resourceVersion":"{rv}"}}}}"#
        )
    };
    t.kubectl(&["patch", "pod", "valid-pod", &with_rv(&rv)]);
    t.get_object_assert(&["pods"], &image, "nginx:");
    let rv: u64 = t
        .kubectl(&["get", "pod", "valid-pod", "-o", "go-template={{ .metadata.resourceVersion }}"])
        .parse()
        .expect("rv");
    let (err, code) = t.output(&["patch", "pod", "valid-pod", &with_rv(&(rv + 100).to_string())]);
    assert_eq!(code, 1);
    t.if_has_string(&err, "please apply your changes to the latest version and try again");
    // --force replace pod can change other field, e.g., spec.container.name.
    let json = t.kubectl(&["get", "pod", "valid-pod", "-o", "json"]);
    let replaced = t
        .c
        .file("tmp-valid-pod.json", &json.replace("\"kubernetes-serve-hostname\"", "\"replaced-k8s-serve-hostname\""));
    t.kubectl(&["replace", "--force", "-f", &replaced]);
    t.get_object_assert(&["pod", "valid-pod"], "{{(index .spec.containers 0).name}}", "replaced-k8s-serve-hostname");
    let out = t.kubectl(&managers);
    t.if_has_string(&out, "kubectl-replace");
    let (out, _) = t.output(&["replace", "--grace-period=1", "-f", &replaced]);
    t.if_has_string(&out, "--grace-period must have --force specified");
    let (out, _) = t.output(&["replace", "--timeout=1s", "-f", &replaced]);
    t.if_has_string(&out, "--timeout must have --force specified");
    // Replace of a cluster scoped resource can succeed.
    kubectl_stdin(
        &t,
        &["create", "-f", "-"],
        r#"{"kind": "Node", "apiVersion": "v1", "metadata": {"name": "node-v1-test"}}"#,
    );
    let has_a = "{{range.items}}{{if .metadata.annotations.a}}found{{end}}{{end}}:";
    t.get_object_assert(&["node", "node-v1-test"], has_a, ":");
    let annotated = r#"{"kind": "Node", "apiVersion": "v1",
      "metadata": {"name": "node-v1-test", "annotations": {"a":"b"}, "resourceVersion": "0"}}"#;
    kubectl_stdin(&t, &["replace", "--dry-run=server", "-f", "-"], annotated);
    kubectl_stdin(&t, &["replace", "--dry-run=client", "-f", "-"], annotated);
    t.get_object_assert(&["node", "node-v1-test"], has_a, ":");
    kubectl_stdin(&t, &["replace", "-f", "-"], annotated);
    t.get_object_assert(&["node", "node-v1-test"], "{{.metadata.annotations.a}}", "b");
    t.kubectl(&["delete", "node", "node-v1-test"]);
    // kubectl edit can update the image field of a POD. tmp-editor.sh is a fake editor.
    let editor =
        t.c.file("tmp-editor.sh", "#!/usr/bin/env bash\nsed -i \"s/nginx/k8s.gcr.io\\/serve_hostname/g\" $1\n");
    make_executable(&editor);
    t.get_object_assert(&["pods"], &image, "nginx:");
    let out = edit_with(&t, &editor, &["edit", "pods/valid-pod", "--output-patch=true"]);
    t.if_has_string(&out.stdout, "Patch:");
    t.get_object_assert(&["pods"], &image, "k8s.gcr.io/serve_hostname:");
    let out = t.kubectl(&managers);
    t.if_has_string(&out, "kubectl-edit");
    // kubectl edit should work on Windows.
    let out = edit_with(&t, "cat", &["edit", "pod/valid-pod"]);
    t.if_has_string(&format!("{}{}", out.stdout, out.stderr), "Edit cancelled");
    t.if_has_string(&edit_with(&t, "cat", &["edit", "pod/valid-pod"]).stdout, "name: valid-pod");
    let crlf = edit_with(&t, "cat", &["edit", "--windows-line-endings", "pod/valid-pod"]).stdout;
    t.if_has_string(&crlf, "\r\n");
    let lf = edit_with(&t, "cat", &["edit", "--windows-line-endings=false", "pod/valid-pod"]).stdout;
    t.if_has_not_string(&lf, "\r\n");
    t.if_has_string(&edit_with(&t, "cat", &["edit", "ns"]).stdout, "kind: List");
    // Label POD YAML file locally without effecting the live pod.
    let name_label = format!("{{{{{LABELS}.name}}}}");
    let pod = testdata("pod.yaml");
    t.get_object_assert(&["pod", "valid-pod"], &name_label, "valid-pod");
    let out = t.kubectl(&["label", "--local", "--overwrite", "-f", &pod, "name=localonlyvalue", "-o", "yaml"]);
    t.get_object_assert(&["pod", "valid-pod"], &name_label, "valid-pod");
    t.if_has_string(&out, "localonlyvalue");
    // Overwriting an existing label is not permitted.
    t.get_object_assert(&["pod", "valid-pod"], &name_label, "valid-pod");
    t.kubectl_fails(&["label", "pods", "valid-pod", "name=valid-pod-super-sayan"]);
    t.get_object_assert(&["pod", "valid-pod"], &name_label, "valid-pod");
    // --overwrite must be used to overwrite existing label, can be applied to all resources.
    t.get_object_assert(&["pod", "valid-pod"], &name_label, "valid-pod");
    t.kubectl(&["label", "--overwrite", "pods", "--all", "name=valid-pod-super-sayan"]);
    t.get_object_assert(&["pod", "valid-pod"], &name_label, "valid-pod-super-sayan");
    // Delete POD by label.
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    t.kubectl(&["delete", "pods", "-lname in (valid-pod-super-sayan)", "--grace-period=0", "--force"]);
    t.get_object_assert(&["pods"], &names(), "");
    // Create two PODs from 1 yaml file, delete them the same way.
    let multi = testdata("multi-pod.yaml");
    t.new_namespace("namespace-multi-pod");
    t.get_object_assert(&["pods"], &names(), "");
    t.kubectl(&["create", "-f", &multi]);
    t.get_object_assert(&["pods"], &names(), "redis-master:valid-pod:");
    t.get_object_assert(&["pods"], &names(), "redis-master:valid-pod:");
    t.kubectl(&["delete", "-f", &multi]);
    t.get_object_assert(&["pods"], &names(), "");
    // kubectl apply should update configuration annotations only if apply is already called.
    const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
    t.new_namespace("namespace-apply");
    t.get_object_assert(&["pods"], &names(), "");
    t.kubectl(&["create", "-f", &pod]);
    t.get_object_assert(&["pods", "test-pod"], &name_label, "test-pod-label");
    let yaml = t.kubectl(&["get", "pods", "test-pod", "-o", "yaml"]);
    t.if_has_not_string(&yaml, LAST_APPLIED);
    let edited = t.c.file("test-pod-replace.yaml", &yaml.replace("test-pod-label", "test-pod-replaced"));
    t.kubectl(&["replace", "-f", &edited]);
    t.get_object_assert(&["pods", "test-pod"], &name_label, "test-pod-replaced");
    let yaml = t.kubectl(&["get", "pods", "test-pod", "-o", "yaml"]);
    t.if_has_not_string(&yaml, LAST_APPLIED);
    t.kubectl(&["apply", "-f", &testdata("pod-apply.yaml")]);
    t.get_object_assert(&["pods", "test-pod"], &name_label, "test-pod-applied");
    let yaml = t.kubectl(&["get", "pods", "test-pod", "-o", "yaml"]);
    t.if_has_string(&yaml, LAST_APPLIED);
    // The original compares the grep'd annotation lines (`diff -q`, a check that cannot fail);
    // here the annotation's values are compared.
    let last_applied = [
        "get",
        "pods",
        "test-pod",
        "-o",
        r"jsonpath={.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}",
    ];
    let applied = t.kubectl(&last_applied);
    let edited = t.c.file("test-pod-replace.yaml", &yaml.replace("test-pod-applied", "test-pod-replaced"));
    t.kubectl(&["replace", "-f", &edited]);
    t.get_object_assert(&["pods", "test-pod"], &name_label, "test-pod-replaced");
    let yaml = t.kubectl(&["get", "pods", "test-pod", "-o", "yaml"]);
    t.if_has_string(&yaml, LAST_APPLIED);
    let replaced = t.kubectl(&last_applied);
    assert!(replaced.contains("test-pod-replaced"), "{replaced}");
    assert_ne!(applied, replaced, "replace updates the last-applied annotation");
    t.kubectl(&["delete", "pods", "test-pod"]);
    assert_eq!(t.asserts, 53);
}

/// core.sh `run_create_secret_tests` (its `--raw` create, replace, get and delete need an HTTP
/// API server).
#[test]
fn run_create_secret_tests() {
    let mut t = Kt::new();
    let (out, code) = t.output(&["get", "secrets", "mysecret"]);
    assert_eq!(code, 1);
    t.if_has_string(&out, r#"secrets "mysecret" not found"#);
    let out = t.kubectl(&[
        "create",
        "secret",
        "generic",
        "mysecret",
        "--dry-run=client",
        "--from-literal=foo=bar",
        "-o",
        "jsonpath={.metadata.namespace}",
        "--namespace=user-specified",
    ]);
    t.if_has_string(&out, "user-specified");
    let (out, code) = t.output(&["get", "secrets", "mysecret"]);
    assert_eq!(code, 1);
    t.if_has_string(&out, r#"secrets "mysecret" not found"#);
    // Without --namespace the object carries none (the harness adds -n otherwise).
    let out = t.c.ok(&[
        "create",
        "secret",
        "generic",
        "mysecret",
        "--dry-run=client",
        "--from-literal=foo=bar",
        "-o",
        "jsonpath={.metadata.namespace}",
    ]);
    assert_eq!(out, "", "kube::test::if_empty_string");
    t.asserts += 1;
    assert_eq!(t.asserts, 4);
}

/// core.sh `run_secrets_test` (`describe_resource_chunk_size_assert` needs an API server).
#[test]
fn run_secrets_test() {
    let mut t = Kt::new();
    t.new_namespace("namespace-secrets");
    let out = t.kubectl(&[
        "create",
        "secret",
        "generic",
        "test",
        "--from-literal=key1=value1",
        "--dry-run=client",
        "-o",
        "yaml",
        "--server=example.com",
        "--v=6",
    ]);
    t.if_has_string(&out, "kind: Secret");
    t.if_has_string(&out, "apiVersion: v1");
    t.if_has_string(&out, "key1: dmFsdWUx");
    t.if_has_not_string(&out, "example.com");
    // Create a new namespace.
    t.get_object_assert(&["namespaces"], &found("test-secrets"), ":");
    t.kubectl(&["create", "namespace", "test-secrets"]);
    t.get_object_assert(&["namespaces/test-secrets"], &id(), "test-secrets");
    let ns = "--namespace=test-secrets";
    let secret_type = format!("{{{{{SECRET_TYPE}}}}}");
    // A generic secret in a specific namespace.
    t.get_object_assert(&["secrets", ns], &names(), "");
    t.kubectl(&["create", "secret", "generic", "test-secret", "--from-literal=key1=value1", "--type=test-type", ns]);
    t.get_object_assert(&["secret/test-secret", ns], &id(), "test-secret");
    t.get_object_assert(&["secret/test-secret", ns], &secret_type, "test-type");
    let yaml = t.kubectl(&["get", "secret/test-secret", ns, "-o", "yaml"]);
    t.if_has_string(&yaml, "key1: dmFsdWUx");
    t.kubectl(&["delete", "secret", "test-secret", ns]);
    // A docker-registry secret.
    t.get_object_assert(&["secrets", ns], &names(), "");
    t.kubectl(&[
        "create",
        "secret",
        "docker-registry",
        "test-secret",
        "--docker-username=test-user",
        "--docker-password=test-password",
        "--docker-email=test-user@test.com",
        ns,
    ]);
    t.get_object_assert(&["secret/test-secret", ns], &id(), "test-secret");
    t.get_object_assert(&["secret/test-secret", ns], &secret_type, "kubernetes.io/dockerconfigjson");
    let yaml = t.kubectl(&["get", "secret/test-secret", ns, "-o", "yaml"]);
    t.if_has_string(&yaml, ".dockerconfigjson: eyJhdXRocyI6eyJodHRwczovL2luZGV4LmRvY2tlci5pby92MS8iOnsidXNlcm5hbWUiOiJ0ZXN0LXVzZXIiLCJwYXNzd29yZCI6InRlc3QtcGFzc3dvcmQiLCJlbWFpbCI6InRlc3QtdXNlckB0ZXN0LmNvbSIsImF1dGgiOiJkR1Z6ZEMxMWMyVnlPblJsYzNRdGNHRnpjM2R2Y21RPSJ9fX0=");
    t.kubectl(&["delete", "secret", "test-secret", ns]);
    // A docker-registry secret from a docker config file.
    t.get_object_assert(&["secrets", ns], &names(), "");
    let from_file = format!("--from-file=.dockerconfigjson={}", testdata("dockerconfig.json"));
    t.kubectl(&["create", "secret", "docker-registry", "test-secret", &from_file, ns]);
    t.get_object_assert(&["secret/test-secret", ns], &id(), "test-secret");
    t.get_object_assert(&["secret/test-secret", ns], &secret_type, "kubernetes.io/dockerconfigjson");
    let yaml = t.kubectl(&["get", "secret/test-secret", ns, "-o", "yaml"]);
    t.if_has_string(&yaml, ".dockerconfigjson: ewogICAgImF1dGhzIjp7CiAgICAgICAgImh0dHA6Ly9mb28uZXhhbXBsZS5jb20iOnsKICAgICAgICAgICAgInVzZXJuYW1lIjoiZm9vIiwKICAgICAgICAgICAgInBhc3N3b3JkIjoiYmFyIiwKICAgICAgICAgICAgImVtYWlsIjoiZm9vQGV4YW1wbGUuY29tIgogICAgICAgIH0sCiAgICAgICAgImh0dHA6Ly9iYXIuZXhhbXBsZS5jb20iOnsKICAgICAgICAgICAgInVzZXJuYW1lIjoiYmFyIiwKICAgICAgICAgICAgInBhc3N3b3JkIjoiYmF6IiwKICAgICAgICAgICAgImVtYWlsIjoiYmFyQGV4YW1wbGUuY29tIgogICAgICAgIH0KICAgIH0KfQo=");
    t.kubectl(&["delete", "secret", "test-secret", ns]);
    // A tls secret, from files (then with `--key FILE` as separate words, where the original
    // passes `<(cat FILE)`).
    let (key, cert) = (testdata("tls.key"), testdata("tls.crt"));
    t.get_object_assert(&["secrets", ns], &names(), "");
    t.kubectl(&["create", "secret", "tls", "test-secret", ns, &format!("--key={key}"), &format!("--cert={cert}")]);
    t.get_object_assert(&["secret/test-secret", ns], &id(), "test-secret");
    t.get_object_assert(&["secret/test-secret", ns], &secret_type, "kubernetes.io/tls");
    t.kubectl(&["delete", "secret", "test-secret", ns]);
    t.kubectl(&["create", "secret", "tls", "test-secret", ns, "--key", &key, "--cert", &cert]);
    t.get_object_assert(&["secret/test-secret", ns], &id(), "test-secret");
    t.get_object_assert(&["secret/test-secret", ns], &secret_type, "kubernetes.io/tls");
    t.kubectl(&["delete", "secret", "test-secret", ns]);
    // A secret using stringData.
    let string_data = r#"{"kind": "Secret", "apiVersion": "v1", "metadata": {"name": "secret-string-data"},
      "data": {"k1":"djE=", "k2":""}, "stringData": {"k2":"v2"}}"#;
    kubectl_stdin(&t, &["create", ns, "-f", "-"], string_data);
    t.get_object_regex(&["secret/secret-string-data", ns], "{{.data}}", ".*k1:djE=.*");
    t.get_object_regex(&["secret/secret-string-data", ns], "{{.data}}", ".*k2:djI=.*");
    t.get_object_assert(&["secret/secret-string-data", ns], "{{.stringData}}", "<no value>");
    t.kubectl(&["delete", "secret", "secret-string-data", ns]);
    // A secret using output flags.
    t.get_object_assert(&["secrets", ns], &names(), "");
    let out = t.kubectl(&[
        "create",
        "secret",
        "generic",
        "test-secret",
        ns,
        "--from-literal=key1=value1",
        "--output=go-template",
        "--template={{.metadata.name}}:",
    ]);
    t.if_has_string(&out, "test-secret:");
    t.kubectl(&["delete", "secret", "test-secret", ns]);
    t.kubectl(&["delete", "namespace", "test-secrets"]);
    assert_eq!(t.asserts, 28);
}

/// core.sh `run_service_tests`, in the default namespace (but `describe_resource_chunk_size_assert`,
/// an API server's requests).
#[test]
fn run_service_tests() {
    let mut t = Kt::new();
    let master = testdata("redis-master-service.yaml");
    t.get_object_assert(&["services"], &names(), "kubernetes:");
    t.kubectl(&["create", "-f", &master]);
    t.get_object_assert(&["services"], &names(), "kubernetes:redis-master:");
    let details = ["Name:", "Labels:", "Selector:", "IP:", "Port:", "Endpoints:", "Session Affinity:"];
    t.describe_assert("services", "redis-master", &details);
    t.describe_events_assert("services", "redis-master", None);
    t.describe_events_assert("services", "redis-master", Some(false));
    t.describe_events_assert("services", "redis-master", Some(true));
    t.describe_assert("services", "", &details);
    t.describe_events_assert("services", "", None);
    t.describe_events_assert("services", "", Some(false));
    t.describe_events_assert("services", "", Some(true));
    // set selector: prove role=master.
    let selector = "{{range.spec.selector}}{{.}}:{{end}}";
    t.get_object_assert(&["services", "redis-master"], selector, "redis:master:backend:");
    // Set selector of a local file without talking to the server.
    let file = testdata("redis-master-service.yaml");
    let local = t.kubectl(&["set", "selector", "-f", &file, "role=padawan", "--local", "-o", "yaml"]);
    t.if_has_string(&local, "role: padawan");
    // Set command to change the selector.
    t.kubectl(&["set", "selector", "-f", &file, "role=padawan"]);
    t.get_object_assert(&["services", "redis-master"], selector, "padawan:");
    // Set command to reset the selector back to the original one.
    t.kubectl(&["set", "selector", "-f", &file, "app=redis,role=master,tier=backend"]);
    t.get_object_assert(&["services", "redis-master"], selector, "redis:master:backend:");
    // Show dry-run works on running selector (`--dry-run` alone, as the script has it, is an
    // error in kubectl v1.32; `=client` is what it meant).
    t.kubectl(&["set", "selector", "services", "redis-master", "role=padawan", "--dry-run=client", "-o", "yaml"]);
    t.kubectl_fails(&["set", "selector", "services", "redis-master", "role=padawan", "--local", "-o", "yaml"]);
    t.get_object_assert(&["services", "redis-master"], selector, "redis:master:backend:");
    // Dump current redis-master service.
    let output_service = t.kubectl(&["get", "service", "redis-master", "-o", "json"]);
    // Delete redis-master-service by id.
    t.get_object_assert(&["services"], &names(), "kubernetes:redis-master:");
    t.kubectl(&["delete", "service", "redis-master"]);
    t.get_object_assert(&["services"], &names(), "kubernetes:");
    // Create redis-master-service from dumped JSON.
    t.get_object_assert(&["services"], &names(), "kubernetes:");
    kubectl_stdin(&t, &["create", "-f", "-"], &output_service);
    t.get_object_assert(&["services"], &names(), "kubernetes:redis-master:");
    // Create service-v1-test service.
    t.get_object_assert(&["services"], &names(), "kubernetes:redis-master:");
    let v1_test = r#"{"kind": "Service", "apiVersion": "v1", "metadata": {"name": "service-v1-test"},
      "spec": {"ports": [{"protocol": "TCP", "port": 80, "targetPort": 80}]}}"#;
    kubectl_stdin(&t, &["create", "-f", "-"], v1_test);
    t.get_object_regex(&["services"], &names(), "kubernetes:redis-master:service-.*-test:");
    // Identity.
    let json = t.kubectl(&["get", "service", "service-v1-test", "-o", "json"]);
    kubectl_stdin(&t, &["replace", "-f", "-"], &json);
    // Delete services by id.
    t.get_object_regex(&["services"], &names(), "kubernetes:redis-master:service-.*-test:");
    t.kubectl(&["delete", "service", "redis-master"]);
    t.kubectl(&["delete", "service", "service-v1-test"]);
    t.get_object_assert(&["services"], &names(), "kubernetes:");
    // Create two services.
    t.get_object_assert(&["services"], &names(), "kubernetes:");
    t.kubectl(&["create", "-f", &master]);
    t.kubectl(&["create", "-f", &testdata("redis-slave-service.yaml")]);
    t.get_object_assert(&["services"], &names(), "kubernetes:redis-master:redis-slave:");
    // Custom columns can be specified.
    let (out, _) =
        t.output(&["get", "services", "-o=custom-columns=NAME:.metadata.name,RSRC:.metadata.resourceVersion"]);
    t.if_has_string(&out, "redis-master");
    // Delete multiple services at once.
    t.get_object_assert(&["services"], &names(), "kubernetes:redis-master:redis-slave:");
    t.kubectl(&["delete", "services", "redis-master", "redis-slave"]);
    t.get_object_assert(&["services"], &names(), "kubernetes:");
    // Create an ExternalName service.
    t.get_object_assert(&["services"], &names(), "kubernetes:");
    t.kubectl(&["create", "service", "externalname", "beep-boop", "--dry-run=client", "--external-name", "bar.com"]);
    t.kubectl(&["create", "service", "externalname", "beep-boop", "--dry-run=server", "--external-name", "bar.com"]);
    t.get_object_assert(&["services"], &names(), "kubernetes:");
    t.kubectl(&["create", "service", "externalname", "beep-boop", "--external-name", "bar.com"]);
    t.get_object_assert(&["services"], &names(), "beep-boop:kubernetes:");
    // Delete beep-boop service by id.
    t.get_object_assert(&["services"], &names(), "beep-boop:kubernetes:");
    t.kubectl(&["delete", "service", "beep-boop"]);
    t.get_object_assert(&["services"], &names(), "kubernetes:");
    // Create pod and service.
    t.wait_object_assert(&["pods"], &names(), "");
    t.get_object_assert(&["services"], &names(), "kubernetes:");
    let run = ["run", "testmetadata", "--image=nginx", "--port=80", "--expose"];
    t.kubectl(&[&run[..], &["--dry-run=client"]].concat());
    t.kubectl(&[&run[..], &["--dry-run=server"]].concat());
    t.get_object_assert(&["services"], &names(), "kubernetes:");
    t.kubectl(&run);
    t.get_object_assert(&["pods"], &names(), "testmetadata:");
    t.get_object_assert(&["service", "testmetadata"], "{{(index .spec.ports 0).port}}", "80");
    let managers = "-o=jsonpath={.metadata.managedFields[*].manager}";
    let (out, _) = t.output(&["get", "pod", "testmetadata", managers]);
    t.if_has_string(&out, "kubectl-run");
    // Expose pod as a new service.
    let overrides = r#"--overrides={ "metadata": { "annotations": { "zone-context": "work" } } } "#;
    let expose = ["expose", "pod", "testmetadata", "--port=1000", "--target-port=80", "--type=NodePort"];
    t.kubectl(&[&expose[..], &["--name=exposemetadata", overrides]].concat());
    t.get_object_regex(&["service", "exposemetadata"], "{{.metadata.annotations}}", r"map\[zone-context:work\]");
    let (out, _) = t.output(&["get", "service", "exposemetadata", managers]);
    t.if_has_string(&out, "kubectl-expose");
    t.kubectl(&["delete", "service", "exposemetadata", "testmetadata"]);
    t.kubectl(&["delete", "pod", "testmetadata"]);
    assert_eq!(t.asserts, 41);
}

/// core.sh `run_namespace_tests` (but `describe_resource_chunk_size_assert`).
#[test]
fn run_namespace_tests() {
    let mut t = Kt::new();
    let (out, _) = t.output(&["get", "ns/my-namespace"]);
    t.if_has_string(&out, " not found");
    t.kubectl(&["create", "namespace", "my-namespace", "--dry-run=client"]);
    t.kubectl(&["create", "namespace", "my-namespace", "--dry-run=server"]);
    let (out, _) = t.output(&["get", "ns/my-namespace"]);
    t.if_has_string(&out, " not found");
    t.kubectl(&["create", "namespace", "my-namespace"]);
    t.get_object_assert(&["namespaces/my-namespace"], &id(), "my-namespace");
    t.kubectl(&["delete", "namespace", "my-namespace", "--wait=false"]);
    // Make sure that wait properly waits for finalization.
    t.kubectl(&["wait", "--for=delete", "ns/my-namespace"]);
    let (out, _) = t.output(&["get", "ns/my-namespace"]);
    t.if_has_string(&out, " not found");
    t.kubectl(&["create", "namespace", "my-namespace"]);
    t.get_object_assert(&["namespaces/my-namespace"], &id(), "my-namespace");
    let (out, code) = t.output(&["delete", "namespace", "-n", "my-namespace", "--all"]);
    assert_eq!(code, 1, "the default namespaces may not be deleted");
    t.if_has_string(&out, WARN_CLUSTER_SCOPE);
    t.if_has_string(&out, r#"namespace "my-namespace" deleted"#);
    // Quota.
    t.kubectl(&["create", "namespace", "quotas"]);
    t.get_object_assert(&["namespaces/quotas"], &id(), "quotas");
    t.get_object_assert(&["quota", "--namespace=quotas"], &found("test-quota"), ":");
    t.kubectl(&["create", "quota", "test-quota", "--dry-run=client", "--namespace=quotas"]);
    t.kubectl(&["create", "quota", "test-quota", "--dry-run=server", "--namespace=quotas"]);
    t.get_object_assert(&["quota", "--namespace=quotas"], &found("test-quota"), ":");
    t.kubectl(&["create", "quota", "test-quota", "--namespace=quotas"]);
    t.get_object_assert(&["quota", "--namespace=quotas"], &found("test-quota"), "found:");
    t.kubectl(&["delete", "quota", "test-quota", "--namespace=quotas"]);
    t.kubectl(&["delete", "namespace", "quotas"]);
    // Pods in Namespaces.
    t.get_object_assert(&["namespaces"], &found("other"), ":");
    t.kubectl(&["create", "namespace", "other"]);
    t.get_object_assert(&["namespaces/other"], &id(), "other");
    t.get_object_assert(&["pods", "--namespace=other"], &names(), "");
    t.kubectl(&["create", "--namespace=other", "-f", &testdata("valid-pod.yaml")]);
    t.get_object_assert(&["pods", "--namespace=other"], &names(), "valid-pod:");
    t.get_object_assert(&["pods", "-n", "other"], &names(), "valid-pod:");
    let (out, code) = t.output(&["get", "pod", "valid-pod", "--all-namespaces"]);
    assert_eq!(code, 1);
    t.if_has_string(&out, "a resource cannot be retrieved by name across all namespaces");
    t.get_object_assert(&["pods", "--namespace=other"], &names(), "valid-pod:");
    t.kubectl(&["delete", "pod", "--namespace=other", "valid-pod", "--grace-period=0", "--force"]);
    t.get_object_assert(&["pods", "--namespace=other"], &names(), "");
    t.kubectl(&["delete", "namespace", "other"]);
    assert_eq!(t.asserts, 19);
}

/// core.sh `run_nodes_tests`, on a cluster whose one node is `127.0.0.1` as in test/cmd. Left
/// out: `describe_resource_chunk_size_assert`, and the TokenReview create (kstate serves no
/// authentication.k8s.io).
#[test]
fn run_nodes_tests() {
    let mut t = Kt::new();
    one_node_cluster(&t);
    t.get_object_assert(&["nodes"], &names(), "127.0.0.1:");
    let details = ["Name:", "Labels:", "CreationTimestamp:", "Conditions:", "Addresses:", "Capacity:", "Pods:"];
    t.describe_assert("nodes", "127.0.0.1", &details);
    t.describe_events_assert("nodes", "127.0.0.1", None);
    t.describe_events_assert("nodes", "127.0.0.1", Some(false));
    t.describe_events_assert("nodes", "127.0.0.1", Some(true));
    t.describe_assert("nodes", "", &details);
    t.describe_events_assert("nodes", "", None);
    t.describe_events_assert("nodes", "", Some(false));
    t.describe_events_assert("nodes", "", Some(true));
    // kubectl patch update can mark node unschedulable.
    let unschedulable = "{{.spec.unschedulable}}";
    t.get_object_assert(&["nodes", "127.0.0.1"], unschedulable, "<no value>");
    t.kubectl(&["patch", "nodes", "127.0.0.1", r#"-p={"spec":{"unschedulable":true}}"#]);
    t.get_object_assert(&["nodes", "127.0.0.1"], unschedulable, "true");
    t.kubectl(&["patch", "nodes", "127.0.0.1", r#"-p={"spec":{"unschedulable":null}}"#]);
    t.get_object_assert(&["nodes", "127.0.0.1"], unschedulable, "<no value>");
    assert_eq!(t.asserts, 12);
}

/// storage.sh `run_persistent_volumes_tests` (but `describe_resource_chunk_size_assert`).
#[test]
fn run_persistent_volumes_tests() {
    let mut t = Kt::new();
    t.new_namespace("namespace-pv");
    t.get_object_assert(&["pv"], &names(), "");
    t.kubectl(&["create", "-f", &testdata("local-01.yaml")]);
    t.get_object_assert(&["pv"], &names(), "pv0001:");
    t.kubectl(&["delete", "pv", "pv0001"]);
    t.kubectl(&["create", "-f", &testdata("local-02.yaml")]);
    t.get_object_assert(&["pv"], &names(), "pv0002:");
    t.kubectl(&["delete", "pv", "pv0002"]);
    t.kubectl(&["create", "-f", &testdata("gce.yaml")]);
    t.get_object_assert(&["pv"], &names(), "pv0003:");
    t.kubectl(&["delete", "pv", "pv0003"]);
    t.get_object_assert(&["pv"], &names(), "");
    t.kubectl(&["create", "-f", &testdata("local-01.yaml")]);
    t.get_object_assert(&["pv"], &names(), "pv0001:");
    let (out, code) = t.output(&["delete", "pv", "-n", "test", "--all"]);
    assert_eq!(code, 0);
    t.if_has_string(&out, WARN_CLUSTER_SCOPE);
    t.if_has_string(&out, r#"persistentvolume "pv0001" deleted"#);
    t.get_object_assert(&["pv"], &names(), "");
    assert_eq!(t.asserts, 9);
}

/// storage.sh `run_persistent_volume_claims_tests` (but `describe_resource_chunk_size_assert`).
#[test]
fn run_persistent_volume_claims_tests() {
    let mut t = Kt::new();
    t.new_namespace("namespace-pvc");
    t.get_object_assert(&["pvc"], &names(), "");
    t.kubectl(&["create", "-f", &testdata("claim-01.yaml")]);
    t.get_object_assert(&["pvc"], &names(), "myclaim-1:");
    t.kubectl(&["delete", "pvc", "myclaim-1"]);
    t.kubectl(&["create", "-f", &testdata("claim-02.yaml")]);
    t.get_object_assert(&["pvc"], &names(), "myclaim-2:");
    t.kubectl(&["delete", "pvc", "myclaim-2"]);
    t.kubectl(&["create", "-f", &testdata("claim-03.json")]);
    t.get_object_assert(&["pvc"], &names(), "myclaim-3:");
    t.kubectl(&["delete", "pvc", "myclaim-3"]);
    t.get_object_assert(&["pvc"], &names(), "");
    assert_eq!(t.asserts, 5);
}

/// storage.sh `run_storage_class_tests`, on a cluster without storage classes as test/cmd's
/// (kstate's are deleted first; `describe_resource_chunk_size_assert` left out).
#[test]
fn run_storage_class_tests() {
    let mut t = Kt::new();
    t.c.ok(&["delete", "storageclass", "--all"]);
    t.get_object_assert(&["storageclass"], &names(), "");
    let class = r#"{"kind": "StorageClass", "apiVersion": "storage.k8s.io/v1",
      "metadata": {"name": "storage-class-name"}, "provisioner": "kubernetes.io/fake-provisioner-type",
      "parameters": {"zone":"us-east-1b", "type":"ssd"}}"#;
    kubectl_stdin(&t, &["create", "-f", "-"], class);
    t.get_object_assert(&["storageclass"], &names(), "storage-class-name:");
    t.get_object_assert(&["sc"], &names(), "storage-class-name:");
    t.kubectl(&["delete", "storageclass", "storage-class-name"]);
    t.get_object_assert(&["storageclass"], &names(), "");
    assert_eq!(t.asserts, 4);
}

/// get.sh `run_kubectl_get_tests`. Left out, needing an HTTP API server: `get all --v=6` and
/// `--chunk-size` (they read the request URLs kubectl logs); needing what kstate lacks: `-k`
/// (kustomize) and `--allow-missing-template-keys=false`.
#[test]
fn run_kubectl_get_tests() {
    let mut t = Kt::new();
    t.new_namespace("namespace-get");
    t.get_object_assert(&["pods"], &names(), "");
    let (out, code) = t.output(&["get", "pods", "abc"]);
    assert_eq!(code, 1);
    t.if_has_string(&out, r#"pods "abc" not found"#);
    t.get_object_assert(&["pods"], &names(), "");
    let (out, code) = t.output(&["get", "pods", "abc", "-o", "name"]);
    assert_eq!(code, 1);
    t.if_has_string(&out, r#"pods "abc" not found"#);
    // No "No resources found" with non-human-readable formats.
    t.get_object_assert(&["pods"], &names(), "");
    for format in
        ["json", "yaml", "name", "jsonpath={.items}", "go-template={{.items}}", "custom-columns=NAME:.metadata.name"]
    {
        let (out, code) = t.output(&["get", "pods", "-o", format]);
        assert_eq!(code, 0, "{format}");
        t.if_has_not_string(&out, "No resources found");
    }
    // With human-readable ones.
    t.get_object_assert(&["pods"], &names(), "");
    let (out, code) = t.output(&["get", "foobar"]);
    assert_eq!(code, 1);
    t.if_has_not_string(&out, "No resources found");
    let (out, _) = t.output(&["get", "pods"]);
    t.if_has_string(&out, "No resources found");
    let (out, _) = t.output(&["get", "pods", "--ignore-not-found"]);
    t.if_has_not_string(&out, "No resources found");
    let (out, _) = t.output(&["get", "pods", "-o", "wide"]);
    t.if_has_string(&out, "No resources found");
    // Non-existing POD with json output.
    t.get_object_assert(&["pods"], &names(), "");
    let (out, code) = t.output(&["get", "pods", "abc", "-o", "json"]);
    assert_eq!(code, 1);
    t.if_has_string(&out, r#"pods "abc" not found"#);
    t.if_has_not_string(&out, "List");
    // (get all --v=6, get clusterrole --chunk-size: the request URLs of an HTTP API server)
    // kubectl get accumulates pages.
    let out = t.kubectl(&["get", "namespaces", "--chunk-size=1", "--no-headers"]);
    t.if_has_string(&out, "default");
    t.if_has_string(&out, "kube-public");
    t.if_has_string(&out, "kube-system");
    // --chunk-size with --watch of a list.
    for cm in ["one", "two", "three"] {
        t.get_object_assert(&["configmaps"], &found(cm), ":");
    }
    for cm in ["one", "two", "three"] {
        t.kubectl(&["create", "cm", cm]);
    }
    for watch in ["--watch", "--watch-only"] {
        let (out, _) = t.output(&["get", "configmap", "--chunk-size=1", watch, "--request-timeout=1s"]);
        t.if_has_not_string(&out, "watch is only supported on individual resources");
    }
    // --allow-missing-template-keys.
    t.new_namespace("namespace-get-templates");
    t.get_object_assert(&["pods"], &names(), "");
    t.kubectl(&["create", "-f", &testdata("valid-pod.yaml")]);
    t.kubectl(&["get", "pods", "-o", "json"]);
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    t.kubectl(&["get", "pod", "valid-pod", "-o", "jsonpath={.missing}"]);
    t.kubectl(&["get", "pod", "valid-pod", "-o", "go-template={{.missing}}"]);
    let out = t.kubectl(&["get", "pod", "valid-pod", "--template={{.metadata.name}}:"]);
    t.if_has_string(&out, "valid-pod:");
    // --allow-missing-template-keys=false results in an error for a missing key.
    let (out, code) =
        t.output(&["get", "pod", "valid-pod", "--allow-missing-template-keys=false", "-o", "jsonpath={.missing}"]);
    assert_eq!(code, 1);
    t.if_has_string(&out, "missing is not found");
    // (the original captures stdout only: the go-template printer writes its dump there)
    let o = t.c.run(&t.args(&[
        "get",
        "pod",
        "valid-pod",
        "--allow-missing-template-keys=false",
        "-o",
        "go-template={{.missing}}",
    ]));
    assert_eq!(o.code, 1);
    t.if_has_string(&o.stdout, r#"map has no entry for key "missing""#);
    // --subresource=status works; scale is not a pod's.
    let out = t.kubectl(&["get", "pod", "valid-pod", "--subresource=status"]);
    t.if_has_string(&out, "valid-pod");
    let (out, code) = t.output(&["get", "pod", "valid-pod", "--subresource=scale"]);
    assert_eq!(code, 1);
    t.if_has_string(&out, "the server could not find the requested resource");
    // kubectl get watch.
    let out = t.kubectl(&["get", "pods", "-w", "--request-timeout=1"]);
    t.if_has_string(&out, "STATUS");
    t.if_has_string(&out, "valid-pod");
    let out = t.kubectl(&["get", "pods/valid-pod", "-o", "name", "-w", "--request-timeout=1"]);
    t.if_has_not_string(&out, "STATUS");
    t.if_has_string(&out, "pod/valid-pod");
    let out = t.kubectl(&["get", "pods/valid-pod", "-o", "yaml", "-w", "--request-timeout=1"]);
    t.if_has_not_string(&out, "STATUS");
    t.if_has_string(&out, "name: valid-pod");
    let (out, code) = t.output(&["get", "pods/invalid-pod", "-w", "--request-timeout=1"]);
    assert_eq!(code, 1);
    t.if_has_string(&out, r#""invalid-pod" not found"#);
    t.kubectl(&["delete", "pods", "valid-pod"]);
    // kubectl get -f FILE -o <non default printer> prints all the items in the file's list.
    let multi = testdata("multi-pod.yaml");
    t.get_object_assert(&["pods"], &names(), "");
    t.kubectl(&["create", "-f", &multi]);
    let out = t.kubectl(&["get", "-f", &multi, "-o", "jsonpath={..metadata.name}"]);
    t.if_has_string(&out, "redis-master valid-pod");
    t.kubectl(&["delete", "pods", "redis-master", "valid-pod"]);
    // (kubectl get -k: kstate has no kustomize)
    assert_eq!(t.asserts, 43);
}

/// get.sh `run_retrieve_multiple_tests`: two objects of two kinds in one `get`, in the default
/// namespace of the one-node test/cmd cluster.
#[test]
fn run_retrieve_multiple_tests() {
    let mut t = Kt::new();
    one_node_cluster(&t);
    t.get_object_assert(&["nodes/127.0.0.1", "service/kubernetes"], &names(), "127.0.0.1:kubernetes:");
    assert_eq!(t.asserts, 1);
}

/// get.sh `run_kubectl_sort_by_tests`, quantities included. Left out: the `--v=8` checks of the
/// request kubectl sends (`as=Table`, `includeObject=Object`), an HTTP API server's business.
#[test]
fn run_kubectl_sort_by_tests() {
    let mut t = Kt::new();
    t.new_namespace("namespace-sort-by");
    // sort-by should not panic if no pod exists.
    t.get_object_assert(&["pods"], &names(), "");
    t.kubectl(&["get", "pods", "--sort-by={metadata.name}"]);
    t.kubectl(&["get", "pods", "--sort-by={metadata.creationTimestamp}"]);
    // sort-by should works if pod exists.
    t.get_object_assert(&["pods"], &names(), "");
    t.kubectl(&["create", "-f", &testdata("valid-pod.yaml")]);
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    let out = t.kubectl(&["get", "pods", "--sort-by={metadata.name}"]);
    t.if_has_string(&out, "valid-pod");
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    t.kubectl(&["delete", "pod", "valid-pod", "--grace-period=0", "--force"]);
    t.get_object_assert(&["pods"], &names(), "");
    // sort-by should works by sorting by name.
    t.get_object_assert(&["pods"], &names(), "");
    t.kubectl(&["create", "-f", &testdata("sorted-pods/sorted-pod1.yaml")]);
    t.get_object_assert(&["pods"], &names(), "sorted-pod1:");
    t.kubectl(&["create", "-f", &testdata("sorted-pods/sorted-pod2.yaml")]);
    t.get_object_assert(&["pods"], &names(), "sorted-pod1:sorted-pod2:");
    t.kubectl(&["create", "-f", &testdata("sorted-pods/sorted-pod3.yaml")]);
    t.get_object_assert(&["pods"], &names(), "sorted-pod1:sorted-pod2:sorted-pod3:");
    // The server sets creationTimestamp, so the creation order wins; requests and limits sort
    // as quantities (64Mi before 1G, 250m before 0.5), a pod without them first.
    let cases = [
        ("{metadata.name}", "sorted-pod1:sorted-pod2:sorted-pod3:"),
        ("{metadata.labels.name}", "sorted-pod3:sorted-pod2:sorted-pod1:"),
        ("{spec.containers[0].name}", "sorted-pod2:sorted-pod1:sorted-pod3:"),
        ("{metadata.creationTimestamp}", "sorted-pod1:sorted-pod2:sorted-pod3:"),
        ("{.spec.containers[0].resources.requests.memory}", "sorted-pod3:sorted-pod1:sorted-pod2:"),
        ("{.spec.containers[0].resources.requests.cpu}", "sorted-pod3:sorted-pod1:sorted-pod2:"),
        ("{.spec.containers[0].resources.limits.memory}", "sorted-pod3:sorted-pod1:sorted-pod2:"),
        ("{.spec.containers[0].resources.limits.cpu}", "sorted-pod3:sorted-pod1:sorted-pod2:"),
    ];
    for (field, want) in cases {
        let out = t.kubectl(&["get", "pods", &format!("--sort-by={field}")]);
        sort_order(&mut t, &out, want);
    }
    // Sorting using the fallback codepath (no server-side table) still works.
    let (out, code) =
        t.output(&["get", "pods", "--sort-by={spec.containers[0].name}", "--server-print=false", "--v=8"]);
    assert_eq!(code, 0);
    sort_order(&mut t, &out, "sorted-pod2:sorted-pod1:sorted-pod3:");
    t.if_has_not_string(&out, "Table");
    // Clean up.
    t.get_object_assert(&["pods"], &names(), "sorted-pod1:sorted-pod2:sorted-pod3:");
    t.kubectl(&["delete", "pod", "--grace-period=0", "--force", "--all"]);
    t.get_object_assert(&["pods"], &names(), "");
    assert_eq!(t.asserts, 22);
}

/// get.sh `run_kubectl_all_namespace_tests`.
#[test]
fn run_kubectl_all_namespace_tests() {
    let mut t = Kt::new();
    one_node_cluster(&t);
    t.new_namespace("namespace-all-ns");
    let default = format!(r#"{{{{range.items}}}}{{{{if eq {ID} "default"}}}}{{{{{ID}}}}}:{{{{end}}}}{{{{end}}}}"#);
    t.get_object_assert(&["namespaces"], &default, "default:");
    t.get_object_assert(&["pods"], &names(), "");
    t.kubectl(&["create", "-f", &testdata("valid-pod.yaml")]);
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    // A specific namespace is ignored when all-namespaces is provided.
    t.kubectl(&["get", "pods", "--all-namespaces", "--namespace=default"]);
    // --all-namespaces (and -A) shows the namespaces, here of two ServiceAccounts.
    t.kubectl(&["create", "namespace", "all-ns-test-1"]);
    t.kubectl(&["create", "serviceaccount", "test", "-n", "all-ns-test-1"]);
    t.kubectl(&["create", "namespace", "all-ns-test-2"]);
    t.kubectl(&["create", "serviceaccount", "test", "-n", "all-ns-test-2"]);
    for all in ["--all-namespaces", "-A"] {
        let out = t.kubectl(&["get", "serviceaccounts", all]);
        t.if_has_string(&out, "all-ns-test-1");
        t.if_has_string(&out, "all-ns-test-2");
    }
    t.kubectl(&["delete", "namespace", "all-ns-test-1"]);
    t.kubectl(&["delete", "namespace", "all-ns-test-2"]);
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    t.kubectl(&["delete", "pod", "valid-pod", "--grace-period=0", "--force"]);
    t.get_object_assert(&["pods"], &names(), "");
    // all-namespaces is ignored for root-scoped resources.
    t.get_object_assert(&["nodes"], &names(), "127.0.0.1:");
    let (out, _) = t.output(&["get", "nodes", "--all-namespaces"]);
    t.if_has_not_string(&out, "NAMESPACE");
    assert_eq!(t.asserts, 11);
}

/// request-timeout.sh `run_kubectl_request_timeout_tests`. Left out: `--request-timeout` with
/// `--watch` (`Timeout exceeded while reading body` is an HTTP client's error).
#[test]
fn run_kubectl_request_timeout_tests() {
    let mut t = Kt::new();
    t.new_namespace("namespace-timeout");
    t.get_object_assert(&["pods"], &names(), "");
    t.kubectl(&["create", "-f", &testdata("valid-pod.yaml")]);
    t.kubectl(&["get", "pods", "-o", "json"]);
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    let out = t.kubectl(&["get", "pod", "valid-pod", "--request-timeout=1"]);
    t.if_has_string(&out, "valid-pod");
    let (out, _) = t.output(&["get", "pod", "valid-pod", "--request-timeout=1"]);
    t.if_has_string(&out, "valid-pod");
    let (out, code) = t.output(&["get", "pod", "valid-pod", "--request-timeout=1p"]);
    assert_eq!(code, 1);
    t.if_has_string(&out, "Invalid timeout value");
    t.kubectl(&["delete", "pods", "valid-pod"]);
    assert_eq!(t.asserts, 5);
}

/// What the edit block above needed, exactly: `--output-patch` prints kubectl's two-way
/// strategic merge patch (checked against kubectl v1.32 through `kstate serve`), and `edit TYPE`
/// edits every object of the kind as one List, updating only the changed ones.
#[test]
fn edit_output_patch_and_list_edit() {
    let t = Kt::new();
    t.kubectl(&["create", "configmap", "a", "--from-literal=k=v", "--from-literal=gone=x"]);
    t.kubectl(&["create", "configmap", "b", "--from-literal=k=v"]);
    let editor = t.c.file("editor.sh", "#!/usr/bin/env bash\nsed -i '0,/k: v$/s//k: v2/; /gone: x/d' $1\n");
    make_executable(&editor);
    let out = edit_with(&t, &editor, &["edit", "configmap/a", "--output-patch"]);
    assert_eq!(out.stdout, "Patch: {\"data\":{\"gone\":null,\"k\":\"v2\"}}\nconfigmap/a edited\n");
    let out = edit_with(&t, &editor, &["edit", "configmap"]);
    assert_eq!((out.stdout.as_str(), out.code), ("configmap/b edited\n", 0));
    assert_eq!(t.kubectl(&["get", "cm", "-o", "jsonpath={.items[*].data.k}"]), "v2 v2");
}

/// What the get port needed, exactly: `--allow-missing-template-keys=false` fails at the missing
/// key in kubectl's words (checked against kubectl v1.32 through `kstate serve`).
#[test]
fn missing_template_keys_fail_as_kubectl_reports_them() {
    let t = Kt::new();
    t.kubectl(&["create", "configmap", "a", "--from-literal=k=v"]);
    let strict = "--allow-missing-template-keys=false";
    let o = t.c.run(&["get", "cm", "a", strict, "-o", "go-template={{.data.k}} {{.data.x.y}}"]);
    assert_eq!(o.code, 1);
    assert_eq!(
        o.stderr,
        "error: error executing template \"{{.data.k}} {{.data.x.y}}\": template: output:1:19: executing \"output\" at <.data.x.y>: map has no entry for key \"x\"\n"
    );
    assert!(o.stdout.starts_with("v Error executing template: template: output:1:19: executing \"output\" at <.data.x.y>: map has no entry for key \"x\". Printing more information for debugging the template:\n\ttemplate was:\n\t\t{{.data.k}} {{.data.x.y}}\n\traw data was:\n\t\t{\"apiVersion\":\"v1\",\"data\":{\"k\":\"v\"},"), "{}", o.stdout);
    assert!(o.stdout.ends_with("\n\tobject given to template engine was:\n\t\tmap[apiVersion:v1 data:map[k:v] kind:ConfigMap metadata:map[creationTimestamp:2026-11-27T09:00:00Z managedFields:[map[apiVersion:v1 fieldsType:FieldsV1 fieldsV1:map[f:data:map[.:map[] f:k:map[]]] manager:kubectl-create operation:Update time:2026-11-27T09:00:00Z]] name:a namespace:default resourceVersion:28 uid:5ed902a4-b6ce-4a51-a12c-c7db76971726]]\n\n"), "{}", o.stdout);
    let o = t.c.run(&["get", "cm", "a", strict, "-o", "jsonpath={.data.x}"]);
    assert_eq!((o.stdout.as_str(), o.code), ("", 1));
    assert!(o.stderr.starts_with("error: error executing jsonpath \"{.data.x}\": Error executing template: x is not found. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{.data.x}\n\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{\"apiVersion\":\"v1\", \"data\":map[string]interface {}{\"k\":\"v\"}, "), "{}", o.stderr);
    assert!(o.stderr.ends_with("\"uid\":\"5ed902a4-b6ce-4a51-a12c-c7db76971726\"}}\n\n\n"), "{}", o.stderr);
    // Allowed (the default), a missing key prints nothing for jsonpath, <no value> for templates.
    assert_eq!(t.kubectl(&["get", "cm", "a", "-o", "jsonpath={.data.x}"]), "");
    assert_eq!(t.kubectl(&["get", "cm", "a", "-o", "go-template={{.data.x}}"]), "<no value>");
}
