//! `diff -f`: the unified diff of the live object and what `apply` would store, exit 0 when they
//! are equal and 1 when they differ; the cluster is never changed.

use crate::harness::{assert_text, Cluster};

const CONF: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  mode: fast\n";

/// diff's output without the three lines naming temporary files and their times.
fn body(stdout: &str) -> String {
    stdout.lines().skip(3).map(|l| format!("{l}\n")).collect()
}

#[test]
fn an_applied_manifest_has_no_differences() {
    let c = Cluster::new();
    let f = c.file("conf.yaml", CONF);
    c.ok(&["apply", "-f", &f]);
    let o = c.run(&["diff", "-f", &f]);
    assert_eq!((o.code, o.stdout.as_str(), o.stderr.as_str()), (0, "", ""));
    let o = c.run(&["diff", "--server-side", "-f", &f]);
    assert_eq!((o.code, o.stdout.as_str()), (0, ""));
}

#[test]
fn a_change_prints_kubectls_unified_diff_and_exits_1() {
    let c = Cluster::new();
    let f = c.file("conf.yaml", CONF);
    c.ok(&["apply", "-f", &f]);
    let g = c.file("changed.yaml", &CONF.replace("fast", "slow"));
    let before = c.snapshot();
    let o = c.run(&["diff", "-f", &g]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let first = o.stdout.lines().next().unwrap_or_default();
    assert!(first.starts_with("diff -u -N ") && first.ends_with("/v1.ConfigMap.default.conf"), "{first}");
    assert_text(
        &body(&o.stdout),
        r#"@@ -1,11 +1,11 @@
 apiVersion: v1
 data:
-  mode: fast
+  mode: slow
 kind: ConfigMap
 metadata:
   annotations:
     kubectl.kubernetes.io/last-applied-configuration: |
-      {"apiVersion":"v1","data":{"mode":"fast"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"conf","namespace":"default"}}
+      {"apiVersion":"v1","data":{"mode":"slow"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"conf","namespace":"default"}}
   creationTimestamp: "2026-11-27T09:00:00Z"
   name: conf
   namespace: default
"#,
    );
    assert_eq!(c.snapshot(), before);
    assert_eq!(c.ok(&["get", "cm", "conf", "-o", "jsonpath={.data.mode}"]), "fast");
}

#[test]
fn a_new_object_is_all_additions_and_a_conflict_is_an_error() {
    let c = Cluster::new();
    let f = c.file("conf.yaml", CONF);
    let o = c.run(&["diff", "--server-side", "-f", &f]);
    assert_eq!(o.code, 1);
    assert_text(&body(&o.stdout), "@@ -0,0 +1,9 @@\n+apiVersion: v1\n+data:\n+  mode: fast\n+kind: ConfigMap\n+metadata:\n+  creationTimestamp: \"2026-11-27T09:00:00Z\"\n+  name: conf\n+  namespace: default\n+  uid: 5ed902a4-b6ce-4a51-a12c-c7db76971726\n");
    c.ok(&["create", "-f", &f]);
    let g = c.file("changed.yaml", &CONF.replace("fast", "slow"));
    let o = c.run(&["diff", "--server-side", "-f", &g]);
    assert_eq!(o.code, 2, "errors exit above 1");
    assert_eq!(o.stderr, "Error from server (Conflict): Apply failed with 1 conflict: conflict with \"kubectl-create\" using v1: .data.mode\n");
}
