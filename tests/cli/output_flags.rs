//! `-o` and `--dry-run` of `label`, `annotate`, `patch` and `rollout undo` against the cluster,
//! and `set env`'s listing flags; expected texts captured from kubectl v1.32 through `kstate serve`.

use crate::harness::Cluster;

fn configmap() -> Cluster {
    let c = Cluster::new();
    assert_eq!(c.ok(&["create", "configmap", "c1", "--from-literal=k=v"]), "configmap/c1 created\n");
    c
}

/// kubectl prints the object the server answered, as `get` prints it (managedFields left out).
#[test]
fn label_prints_the_updated_object() {
    let c = configmap();
    let printed = c.ok(&["label", "cm", "c1", "tier=db", "-o", "yaml"]);
    assert_eq!(printed, c.ok(&["get", "cm", "c1", "-o", "yaml"]));
    assert!(printed.starts_with("apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n"), "{printed}");
    assert!(printed.contains("  labels:\n    tier: db\n"), "{printed}");
    assert_eq!(c.ok(&["annotate", "cm", "c1", "note=x", "-o", "jsonpath={.metadata.annotations}"]), r#"{"note":"x"}"#);
    assert_eq!(
        c.ok(&["label", "cm", "c1", "a=1", "-o", "go-template={{.metadata.labels}}"]),
        "map[a:1 tier:db]"
    );
    assert_eq!(c.ok(&["label", "cm", "c1", "a-", "-o", "name"]), "configmap/c1\n");
}

#[test]
fn label_dry_runs_print_the_object_and_keep_nothing() {
    let c = configmap();
    let rv = c.ok(&["get", "cm", "c1", "-o", "jsonpath={.metadata.resourceVersion}"]);
    let json = c.ok(&["annotate", "cm", "c1", "note=x", "--dry-run=client", "-o", "json"]);
    assert!(json.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"data\": {\n        \"k\": \"v\"\n    },\n"), "{json}");
    assert!(json.contains("        \"annotations\": {\n            \"note\": \"x\"\n        },\n"), "{json}");
    assert!(json.contains(&format!("        \"resourceVersion\": \"{rv}\",\n")), "{json}");
    assert_eq!(
        c.ok(&["label", "cm", "c1", "tier=web", "--dry-run=server", "-o", "jsonpath={.metadata.labels.tier}"]),
        "web"
    );
    assert_eq!(c.ok(&["get", "cm", "c1", "-o", "jsonpath={.metadata}"]).contains("tier"), false);
    assert_eq!(c.ok(&["get", "cm", "c1", "-o", "jsonpath={.metadata.resourceVersion}"]), rv);
    let o = c.run(&["label", "cm", "c1", "x=1", "-o", "wide"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "error: unable to match a printer suitable for the output format \"wide\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n")
    );
}

#[test]
fn patch_prints_the_patched_object() {
    let c = configmap();
    c.ok(&["label", "cm", "c1", "tier=db"]);
    assert_eq!(
        c.ok(&["patch", "cm", "c1", "-p", r#"{"data":{"k":"w"}}"#, "-o", "go-template={{.data.k}} {{.metadata.labels.tier}}{{\"\\n\"}}"]),
        "w db\n"
    );
    let printed = c.ok(&["patch", "cm", "c1", "-p", r#"{"data":{"k":"w"}}"#, "-o", "yaml"]);
    assert_eq!(printed, c.ok(&["get", "cm", "c1", "-o", "yaml"]), "no change prints the live object");
    assert_eq!(
        c.ok(&["patch", "cm", "c1", "-p", r#"{"data":{"k":"z"}}"#, "--dry-run=client", "-o", "jsonpath={.data.k}"]),
        "z"
    );
    assert_eq!(c.ok(&["get", "cm", "c1", "-o", "jsonpath={.data.k}"]), "w");
}

/// `rollout undo -o` prints the object as fetched before the rollback, typed (kind first).
#[test]
fn rollout_undo_prints_the_object_before_the_rollback() {
    let c = Cluster::new();
    c.ok(&["create", "deployment", "web", "--image=nginx"]);
    c.ok(&["set", "image", "deploy/web", "nginx=nginx:2"]);
    let image = "jsonpath={.spec.template.spec.containers[0].image}";
    assert_eq!(c.ok(&["rollout", "undo", "deploy/web", "--dry-run=client", "-o", image]), "nginx:2");
    assert_eq!(c.ok(&["rollout", "undo", "deploy/web", "--dry-run=server", "-o", "name"]), "deployment.apps/web\n");
    assert_eq!(c.ok(&["get", "deploy", "web", "-o", image]), "nginx:2", "dry runs keep nothing");
    let json = c.ok(&["rollout", "undo", "deploy/web", "--dry-run=client", "-o", "json"]);
    assert!(json.starts_with("{\n    \"kind\": \"Deployment\",\n    \"apiVersion\": \"apps/v1\",\n"), "{json}");
    assert_eq!(c.ok(&["rollout", "undo", "deploy/web", "-o", image]), "nginx:2");
    assert_eq!(c.ok(&["get", "deploy", "web", "-o", image]), "nginx");
}
