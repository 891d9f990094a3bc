//! `get -f`, `get --ignore-not-found` and `get NAME -A`, with kubectl's output and exit codes.

use crate::harness::{assert_text, Cluster};

const TWO: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n  a: b\n";

#[test]
fn get_f_lists_the_objects_a_manifest_names() {
    let c = Cluster::new();
    let f = c.file("two.yaml", TWO);
    c.ok(&["create", "-f", &f]);
    assert_text(&c.ok(&["get", "-f", &f, "-o", "name"]), "service/s\nconfigmap/m\n");
    let ip = c.ok(&["get", "svc", "s", "-o", "jsonpath={.spec.clusterIP}"]);
    let w = ip.len().max("CLUSTER-IP".len()) + 3;
    let want = format!(
        "NAME        TYPE        {:<w$}EXTERNAL-IP   PORT(S)   AGE\nservice/s   ClusterIP   {ip:<w$}<none>        80/TCP    0s\n\nNAME          DATA   AGE\nconfigmap/m   1      0s\n",
        "CLUSTER-IP"
    );
    assert_text(&c.ok(&["get", "-f", &f]), &want);
    c.ok(&["delete", "cm", "m"]);
    let out = c.run(&["get", "-f", &f, "-o", "name"]);
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.code),
        ("service/s\n", "Error from server (NotFound): configmaps \"m\" not found\n", 1)
    );
    let out = c.run(&["get", "svc", "-f", &f]);
    assert_text(
        &out.stderr,
        "error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n",
    );
}

#[test]
fn ignore_not_found_is_silent() {
    let c = Cluster::new();
    let out = c.run(&["get", "pod", "nope", "--ignore-not-found"]);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str(), out.code), ("", "", 0));
    let out = c.run(&["get", "pods", "--ignore-not-found"]);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str(), out.code), ("", "", 0));
    let out = c.run(&["get", "pod", "nope", "-o", "yaml", "--ignore-not-found"]);
    assert_eq!((out.stdout.as_str(), out.code), ("", 0));
    let out = c.run(&["get", "pod", "nope"]);
    assert_eq!((out.stderr.as_str(), out.code), ("Error from server (NotFound): pods \"nope\" not found\n", 1));
}

#[test]
fn names_cannot_be_fetched_across_namespaces() {
    let c = Cluster::new();
    let out = c.run(&["get", "pod", "x", "-A"]);
    assert_eq!(
        (out.stderr.as_str(), out.code),
        ("error: a resource cannot be retrieved by name across all namespaces\n", 1)
    );
    let out = c.run(&["get", "ns", "default", "-A", "-o", "name"]);
    assert_eq!((out.stdout.as_str(), out.code), ("namespace/default\n", 0));
}
