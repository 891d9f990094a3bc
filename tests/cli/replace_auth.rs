//! `replace` (and `--force`), `auth can-i`, and the file a stale `edit` leaves for `replace`.

use crate::harness::{assert_text, Cluster};

const CONF: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: conf
  labels:
    app: web
data:
  mode: fast
";

#[test]
fn replace_puts_the_whole_manifest_and_records_kubectl_replace() {
    let c = Cluster::new();
    let f = c.file("conf.yaml", CONF);
    c.ok(&["create", "-f", &f]);
    let g = c.file("new.yaml", &CONF.replace("mode: fast", "mode: slow").replace("  labels:\n    app: web\n", ""));
    assert_eq!(c.ok(&["replace", "-f", &g]), "configmap/conf replaced\n");
    assert_eq!(c.ok(&["get", "cm", "conf", "-o", "jsonpath={.data.mode}|{.metadata.labels}"]), "slow|");
    let h = c.file("labels.yaml", CONF);
    assert_eq!(c.ok(&["replace", "-f", &h]), "configmap/conf replaced\n");
    assert_eq!(
        c.ok(&["get", "cm", "conf", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}"]),
        "kubectl-replace"
    );
}

#[test]
fn replace_of_a_missing_object_or_a_stale_version_fails_and_changes_nothing() {
    let c = Cluster::new();
    let f = c.file("conf.yaml", CONF);
    let out = c.run(&["replace", "-f", &f]);
    assert_eq!(out.code, 1);
    assert_text(
        &out.stderr,
        &format!("Error from server (NotFound): error when replacing \"{f}\": configmaps \"conf\" not found\n"),
    );
    c.ok(&["create", "-f", &f]);
    let stale = c.file("stale.yaml", &CONF.replace("  name: conf", "  name: conf\n  resourceVersion: \"1\""));
    let before = c.snapshot();
    let out = c.run(&["replace", "-f", &stale]);
    assert_eq!(out.code, 1);
    assert_text(
        &out.stderr,
        &format!("Error from server (Conflict): error when replacing \"{stale}\": Operation cannot be fulfilled on configmaps \"conf\": the object has been modified; please apply your changes to the latest version and try again\n"),
    );
    assert_eq!(c.snapshot(), before);
}

#[test]
fn replace_force_deletes_and_creates() {
    let c = Cluster::new();
    let f = c.file("conf.yaml", CONF);
    c.ok(&["create", "-f", &f]);
    let uid = c.ok(&["get", "cm", "conf", "-o", "jsonpath={.metadata.uid}"]);
    assert_eq!(c.ok(&["replace", "--force", "-f", &f]), "configmap \"conf\" deleted\nconfigmap/conf replaced\n");
    assert_ne!(c.ok(&["get", "cm", "conf", "-o", "jsonpath={.metadata.uid}"]), uid);
}

#[test]
fn replace_needs_a_file() {
    let out = Cluster::new().run(&["replace"]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stderr, "error: must specify --filename to replace\n");
}

#[test]
fn the_simulated_admin_can_do_anything() {
    let c = Cluster::new();
    assert_eq!(c.ok(&["auth", "can-i", "create", "pods"]), "yes\n");
    assert_eq!(c.ok(&["auth", "can-i", "delete", "sts/web", "-n", "kube-system"]), "yes\n");
    assert_eq!(c.ok(&["auth", "can-i", "get", "/healthz"]), "yes\n");
    assert_eq!(c.ok(&["auth", "can-i", "list", "secrets", "-q"]), "");
    assert_eq!(
        c.ok(&["auth", "can-i", "--list"]),
        "Resources   Non-Resource URLs   Resource Names   Verbs\n*.*         []                  []               [*]\n            [*]                 []               [*]\n"
    );
}

/// An editor that changes `mode` and, meanwhile, has `kstate` run COMMAND on the object.
fn racing_editor(c: &Cluster, command: &str) -> String {
    let script = format!(
        "#!/bin/sh\nsed -i 's/mode: fast/mode: slow/' \"$1\"\ncp \"$1\" \"$(dirname \"$0\")/edited\"\n{} {command} >/dev/null\n",
        crate::harness::bin()
    );
    c.file("race.sh", &script)
}

#[test]
fn a_stale_edit_is_kept_for_replace_and_changes_nothing() {
    let c = Cluster::new();
    let f = c.file("conf.yaml", CONF);
    c.ok(&["create", "-f", &f]);
    let script = racing_editor(&c, "label cm conf tier=db");
    let o = c.command(&["edit", "cm", "conf"]).env("KUBE_EDITOR", format!("sh {script}")).output().expect("run edit");
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    let (first, second) = stderr.split_once('\n').expect("two lines");
    assert_eq!(
        first,
        "error: configmaps \"conf\" could not be patched: Operation cannot be fulfilled on configmaps \"conf\": the object has been modified; please apply your changes to the latest version and try again"
    );
    let file = second
        .strip_prefix("You can run `kubectl replace -f ")
        .and_then(|s| s.strip_suffix("` to try this update again.\n"));
    let file = file.unwrap_or_else(|| panic!("retry line: {second:?}"));
    assert_eq!(c.ok(&["get", "cm", "conf", "-o", "jsonpath={.data.mode} {.metadata.labels.tier}"]), "fast db");
    let kept = std::fs::read_to_string(file).expect("the retry file is kept");
    assert_eq!(kept, std::fs::read_to_string(c.path_of("edited")).expect("edited copy"));
    std::fs::remove_file(file).expect("clean up");
}

#[test]
fn an_edit_of_an_object_deleted_meanwhile_is_kept() {
    let c = Cluster::new();
    let f = c.file("conf.yaml", CONF);
    c.ok(&["create", "-f", &f]);
    let script = racing_editor(&c, "delete cm conf");
    let o = c.command(&["edit", "cm", "conf"]).env("KUBE_EDITOR", format!("sh {script}")).output().expect("run edit");
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    let (first, second) = stderr.split_once('\n').expect("two lines");
    assert_eq!(first, "error: configmaps \"conf\" could not be found on the server");
    let file = second
        .strip_prefix("The edits you made on deleted resources have been saved to \"")
        .and_then(|s| s.strip_suffix("\"\n"))
        .unwrap_or_else(|| panic!("saved line: {second:?}"));
    assert!(std::fs::read_to_string(file).expect("kept").contains("mode: slow"));
    std::fs::remove_file(file).expect("clean up");
}
