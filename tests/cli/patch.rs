//! `patch`: strategic merge (default), `--type merge`, `--type json`, `-f`, and kubectl's errors.

use crate::apply::applied;
use crate::harness::Cluster;

fn containers(c: &Cluster) -> String {
    c.ok(&["get", "sts", "web", "-o", "jsonpath={range .spec.template.spec.containers[*]}{.name}={.image};{end}"])
}

#[test]
fn strategic_merge_patch_merges_containers_by_name() {
    let c = Cluster::new();
    applied(&c);
    let p = r#"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}"#;
    assert_eq!(c.ok(&["patch", "sts", "web", "-p", p]), "statefulset.apps/web patched\n");
    // A new element goes before the live ones (apimachinery's normalizeElementOrder; checked
    // with kubectl v1.32's `patch --local`).
    assert_eq!(containers(&c), "sidecar=busybox;nginx=nginx:1.26;");
    let p = r#"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}"#;
    assert_eq!(c.ok(&["patch", "sts/web", "-p", p]), "statefulset.apps/web patched\n");
    assert_eq!(containers(&c), "sidecar=busybox;nginx=nginx:1.27;");
    // The port list merges by containerPort: the existing one keeps its name.
    let ports = c.ok(&["get", "sts", "web", "-o", "jsonpath={.spec.template.spec.containers[1].ports[0].name}"]);
    assert_eq!(ports, "web");
    let p = r#"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}"#;
    assert_eq!(c.ok(&["patch", "sts", "web", "-p", p]), "statefulset.apps/web patched\n");
    assert_eq!(containers(&c), "nginx=nginx:1.27;");
    // YAML is accepted too, and a patch that changes nothing says so.
    assert_eq!(
        c.ok(&["patch", "sts", "web", "-p", "spec: {replicas: 3}"]),
        "statefulset.apps/web patched (no change)\n"
    );
}

#[test]
fn merge_patch_replaces_lists_and_null_removes() {
    let c = Cluster::new();
    applied(&c);
    let p = r#"{"metadata":{"labels":{"team":"a"}},"spec":{"replicas":2}}"#;
    assert_eq!(c.ok(&["patch", "sts", "web", "--type", "merge", "-p", p]), "statefulset.apps/web patched\n");
    assert_eq!(c.ok(&["get", "pods", "-o", "name"]), "pod/web-0\npod/web-1\n");
    let p = r#"{"metadata":{"labels":{"team":null}}}"#;
    assert_eq!(c.ok(&["patch", "sts", "web", "--type=merge", "-p", p]), "statefulset.apps/web patched\n");
    assert_eq!(c.ok(&["get", "sts", "web", "-o", "jsonpath={.metadata.labels}"]), "");
}

#[test]
fn json_patch_operations_and_failures() {
    let c = Cluster::new();
    let f = applied(&c);
    let p = r#"[{"op":"add","path":"/metadata/annotations","value":{"x":"y"}}]"#;
    let o = c.ok(&["patch", "-f", &f, "--type", "json", "-p", p]);
    assert_eq!(o, "service/nginx patched\nstatefulset.apps/web patched\n");
    assert_eq!(c.ok(&["get", "svc", "nginx", "-o", "jsonpath={.metadata.annotations.x}"]), "y");
    let p = r#"[{"op":"replace","path":"/spec/replicas","value":1}]"#;
    assert_eq!(c.ok(&["patch", "sts", "web", "--type", "json", "-p", p]), "statefulset.apps/web patched\n");
    assert_eq!(c.ok(&["get", "pods", "-o", "name"]), "pod/web-0\n");
    let before = c.snapshot();
    let o = c.run(&["patch", "sts", "web", "--type", "json", "-p", r#"[{"op":"remove","path":"/spec/nope"}]"#]);
    assert_eq!(o.code, 1);
    assert_eq!(o.stderr, "Error from server: remove operation does not apply: doc is missing path: \"/spec/nope\"\n");
    assert_eq!(c.snapshot(), before);
}

#[test]
fn patch_errors_read_like_kubectl() {
    let c = Cluster::new();
    applied(&c);
    let o = c.run(&["patch", "sts", "nope", "-p", "{}"]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("Error from server (NotFound): statefulsets.apps \"nope\" not found\n", 1)
    );
    let o = c.run(&["patch", "sts", "web"]);
    assert_eq!(o.stderr, "error: must specify --patch or --patch-file containing the contents of the patch\n");
    let o = c.run(&["patch", "sts", "web", "--type", "foo", "-p", "{}"]);
    assert_eq!(o.stderr, "error: --type must be one of [json merge strategic], not \"foo\"\n");
    let o = c.run(&["patch", "sts", "web", "-p", r#"{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"#]);
    assert_eq!(o.stderr, "Error from server: map: map[image:x] does not contain declared merge key: name\n");
    let o = c.run(&["patch", "sts", "web", "-p", r#"{"spec":{"replicas":-1}}"#]);
    assert_eq!(
        o.stderr,
        "The StatefulSet \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n"
    );
}
