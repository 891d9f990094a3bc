//! `apply --prune`, `apply view-last-applied` and `apply set-last-applied`. The outputs below were
//! compared with the real kubectl v1.32 run against `kstate serve` on the same objects (prune with
//! `--prune-allowlist`: `kstate serve` has no ReplicationController, which kubectl's default
//! allowlist names).

use crate::harness::{assert_text, Cluster};

fn cm(name: &str, labels: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n{labels}data:\n  k: v\n")
}

/// A folder with configmaps a, b (labelled app=x), other (unlabelled) and secret s (app=x), applied.
fn applied() -> (Cluster, String) {
    let c = Cluster::new();
    let dir = c.path_of("manifests");
    std::fs::create_dir_all(&dir).expect("dir");
    let labels = "  labels:\n    app: x\n";
    for (file, text) in [
        ("a.yaml", cm("a", labels)),
        ("b.yaml", cm("b", labels)),
        ("other.yaml", cm("other", "")),
        (
            "s.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  labels:\n    app: x\nstringData:\n  k: v\n"
                .to_string(),
        ),
    ] {
        std::fs::write(dir.join(file), text).expect("write");
    }
    let dir = dir.to_string_lossy().into_owned();
    c.ok(&["apply", "-f", &dir]);
    (c, dir)
}

#[test]
fn apply_prune_deletes_what_the_manifests_no_longer_hold() {
    let (c, dir) = applied();
    c.ok(&["create", "configmap", "by-hand", "--from-literal=k=v"]);
    c.ok(&["label", "cm", "by-hand", "app=x"]);
    std::fs::remove_file(format!("{dir}/b.yaml")).expect("rm");
    std::fs::remove_file(format!("{dir}/s.yaml")).expect("rm");
    let o = c.run(&["apply", "--prune", "-l", "app=x", "-f", &dir]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    // `other` does not match the selector, so it is not applied; `by-hand` has no last-applied annotation.
    assert_eq!(o.stdout, "configmap/a unchanged\nconfigmap/b pruned\nsecret/s pruned\n");
    let (head, tail) = o.stderr.split_once(" prune.go:71] ").expect("kubectl's klog warning");
    assert!(head.starts_with("W1127 09:00:00.000000 "), "{}", o.stderr);
    assert_eq!(tail, "Deprecated: kubectl apply will no longer prune non-namespaced resources by default when used with the --namespace flag in a future release. To preserve the current behaviour, list the resources you want to target explicitly in the --prune-allowlist flag.\n");
    assert_eq!(
        c.ok(&["get", "cm", "-o", "name"]),
        "configmap/a\nconfigmap/by-hand\nconfigmap/kube-root-ca.crt\nconfigmap/other\n"
    );
    assert_eq!(c.run(&["get", "secret", "s"]).code, 1);
}

#[test]
fn apply_prune_allowlist_and_dry_run() {
    let (c, dir) = applied();
    std::fs::remove_file(format!("{dir}/b.yaml")).expect("rm");
    std::fs::remove_file(format!("{dir}/s.yaml")).expect("rm");
    let args = ["apply", "-f", &dir, "--prune", "--all", "--prune-allowlist=core/v1/Secret", "--dry-run=client"];
    let o = c.run(&args);
    assert_eq!((o.code, o.stderr.as_str()), (0, ""));
    assert_eq!(
        o.stdout,
        "configmap/a configured (dry run)\nconfigmap/other configured (dry run)\nsecret/s pruned (dry run)\n"
    );
    assert_eq!(c.ok(&["get", "secret", "s", "-o", "name"]), "secret/s\n", "a dry run prunes nothing");
    let o = c.run(&["apply", "-f", &dir, "--prune", "--all", "--prune-allowlist=core/v1/ConfigMap", "-o", "name"]);
    assert_eq!(o.stdout, "configmap/a\nconfigmap/other\nconfigmap/b\n");
}

#[test]
fn apply_prune_refuses_what_kubectl_refuses() {
    let (c, dir) = applied();
    let before = c.snapshot();
    for (args, err) in [
        (vec!["--prune"], "error: all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector\n"),
        (vec!["--prune", "--all", "-l", "app=x"], "error: cannot set --all and --selector at the same time\n"),
        (vec!["--prune", "--all", "--prune-allowlist=core/v1"], "error: invalid GroupVersionKind format: core/v1, please follow <group/version/kind>\n"),
    ] {
        let mut full = vec!["apply", "-f", dir.as_str()];
        full.extend(args);
        let o = c.run(&full);
        assert_eq!((o.code, o.stdout.as_str(), o.stderr.as_str()), (1, "", err), "{full:?}");
    }
    assert_eq!(c.snapshot(), before);
}

#[test]
fn view_last_applied_prints_the_annotation() {
    let (c, _) = applied();
    assert_text(
        &c.ok(&["apply", "view-last-applied", "cm", "a"]),
        "apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  annotations: {}\n  labels:\n    app: x\n  name: a\n  namespace: default\n",
    );
    assert_text(
        &c.ok(&["apply", "view-last-applied", "cm/other", "-o", "json"]),
        "{\n  \"apiVersion\": \"v1\",\n  \"data\": {\n    \"k\": \"v\"\n  },\n  \"kind\": \"ConfigMap\",\n  \"metadata\": {\n    \"annotations\": {},\n    \"name\": \"other\",\n    \"namespace\": \"default\"\n  }\n}\n",
    );
    assert_eq!(
        c.ok(&["apply", "view-last-applied", "cm", "-l", "app=x", "-o", "json"]).matches("\"name\": ").count(),
        2
    );
    assert_eq!(c.ok(&["apply", "view-last-applied", "cm", "kube-root-ca.crt"]), "", "no annotation: nothing");
    let o = c.run(&["apply", "view-last-applied", "cm/nope"]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "Error from server (NotFound): configmaps \"nope\" not found\n"));
    let o = c.run(&["apply", "view-last-applied", "cm", "a", "-o", "wide"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "error: Unexpected -o output mode: wide, the flag 'output' must be one of yaml|json\nSee 'kubectl apply view-last-applied -h' for help and examples\n")
    );
    let o = c.run(&["apply", "view-last-applied"]);
    assert_eq!(o.stderr, "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n");
}

#[test]
fn set_last_applied_writes_the_annotation_from_a_file() {
    let (c, _) = applied();
    let slow = c.file("slow.yaml", &cm("a", "  labels:\n    app: x\n").replace("k: v", "k: slow"));
    assert_eq!(c.ok(&["apply", "set-last-applied", "-f", &slow]), "configmap/a configured\n");
    assert_eq!(
        c.ok(&["get", "cm", "a", "-o", "jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}"]),
        "{\"apiVersion\":\"v1\",\"data\":{\"k\":\"slow\"},\"kind\":\"ConfigMap\",\"metadata\":{\"labels\":{\"app\":\"x\"},\"name\":\"a\",\"namespace\":\"default\"}}\n"
    );
    assert_eq!(c.ok(&["get", "cm", "a", "-o", "jsonpath={.data.k}"]), "v", "only the annotation changes");
    assert_eq!(c.ok(&["apply", "set-last-applied", "-f", &slow]), "set-last-applied a: no changes required.\n");
    c.ok(&["create", "cm", "plain", "--from-literal=k=v"]);
    let plain = c.file("plain.yaml", &cm("plain", ""));
    let o = c.run(&["apply", "set-last-applied", "-f", &plain]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "error: no last-applied-configuration annotation found on resource: plain, to create the annotation, run the command with --create-annotation\n"));
    assert_eq!(
        c.ok(&["apply", "set-last-applied", "-f", &plain, "--create-annotation"]),
        "configmap/plain configured\n"
    );
    let missing = c.file("missing.yaml", &cm("missing", ""));
    let o = c.run(&["apply", "set-last-applied", "-f", &missing]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "Error from server (NotFound): configmaps \"missing\" not found\n"));
}

/// `create -l` creates only the matching objects; `create --save-config` writes the annotation
/// the real kubectl writes (compared against kubectl v1.32 creating through `kstate serve`), so a
/// later `apply` merges as after an `apply`.
#[test]
fn create_selector_and_save_config() {
    let c = Cluster::new();
    let dir = c.path_of("m");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("a.yaml"), cm("a", "  labels:\n    app: x\n")).expect("write");
    std::fs::write(dir.join("other.yaml"), cm("other", "")).expect("write");
    let dir = dir.to_string_lossy().into_owned();
    assert_eq!(c.ok(&["create", "-f", &dir, "-l", "app=x", "--save-config"]), "configmap/a created\n");
    assert_eq!(
        c.ok(&["apply", "view-last-applied", "cm/a", "-o", "json"]),
        "{\n  \"apiVersion\": \"v1\",\n  \"data\": {\n    \"k\": \"v\"\n  },\n  \"kind\": \"ConfigMap\",\n  \"metadata\": {\n    \"annotations\": {},\n    \"labels\": {\n      \"app\": \"x\"\n    },\n    \"name\": \"a\",\n    \"namespace\": \"default\"\n  }\n}\n"
    );
    assert_eq!(c.run(&["get", "cm", "other"]).code, 1, "-l left it out");
    let o = c.run(&["apply", "-f", &format!("{dir}/a.yaml")]);
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str()),
        ("configmap/a unchanged\n", ""),
        "no missing-annotation warning"
    );
    c.ok(&["create", "cm", "g", "--from-literal=k=v", "--save-config"]);
    assert!(c.ok(&["apply", "view-last-applied", "cm", "g"]).contains("name: g\n"));
}

/// `scale --all`, `-l`, `-o name` and `--timeout`, as kubectl v1.32 printed them against
/// `kstate serve` for the same deployments.
#[test]
fn scale_by_selector_or_all() {
    let c = Cluster::new();
    c.ok(&["create", "deployment", "d1", "--image=nginx"]);
    c.ok(&["create", "deployment", "d2", "--image=nginx"]);
    c.ok(&["label", "deploy", "d1", "tier=a"]);
    assert_eq!(
        c.ok(&["scale", "deploy", "--all", "--replicas=2"]),
        "deployment.apps/d1 scaled\ndeployment.apps/d2 scaled\n"
    );
    assert_eq!(c.ok(&["scale", "deploy", "-l", "tier=a", "--replicas=3", "-o", "name"]), "deployment.apps/d1\n");
    assert_eq!(c.ok(&["get", "deploy", "-o", "jsonpath={.items[*].spec.replicas}"]), "3 2");
    assert_eq!(c.ok(&["scale", "deploy", "d2", "--replicas=1", "--timeout=5s"]), "deployment.apps/d2 scaled\n");
    let o = c.run(&["scale", "deploy", "-l", "tier=zzz", "--replicas=3"]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "error: no objects passed to scale\n"));
}

/// `label|annotate --local -f`: the changed manifest is printed and the cluster is not asked
/// (outputs as kubectl v1.32 printed them for the same file).
#[test]
fn label_and_annotate_local_files() {
    let c = Cluster::new();
    let f = c.file("cm.yaml", &cm("conf", "  labels:\n    app: web\n"));
    let before = c.snapshot();
    assert_eq!(c.ok(&["label", "--local", "-f", &f, "a=b"]), "configmap/conf labeled\n");
    assert_eq!(
        c.ok(&["label", "--local", "-f", &f, "a=b", "-o", "yaml"]),
        "apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  labels:\n    a: b\n    app: web\n  name: conf\n"
    );
    assert!(c
        .ok(&["annotate", "--local", "-f", &f, "a=b", "-o", "json"])
        .contains("\"annotations\": {\n            \"a\": \"b\"\n        },"));
    assert_eq!(c.ok(&["label", "--local", "-f", &f, "app-", "-o", "name"]), "configmap/conf\n");
    let o = c.run(&["label", "--local", "-f", &f, "app=z"]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "error: 'app' already has a value (web), and --overwrite is false\n"));
    let o = c.run(&["label", "--local", "pod", "x", "a=b"]);
    assert_eq!(
        o.stderr,
        "error: can only use local files by -f pod.yaml or --filename=pod.json when --local=true is set\n"
    );
    assert_eq!(c.run(&["get", "cm", "conf"]).code, 1, "nothing was created");
    assert_eq!(c.snapshot(), before);
}

/// `patch --local -f`: as kubectl v1.32 printed it for the same file and patches.
#[test]
fn patch_local_files() {
    let c = Cluster::new();
    let f = c.file("cm.yaml", &cm("conf", ""));
    let before = c.snapshot();
    assert_eq!(c.ok(&["patch", "--local", "-f", &f, "-p", "{\"data\":{\"x\":\"y\"}}"]), "configmap/conf patched\n");
    assert_eq!(
        c.ok(&["patch", "--local", "-f", &f, "-p", "{\"data\":{\"k\":\"v\"}}"]),
        "configmap/conf patched (no change)\n"
    );
    assert_eq!(
        c.ok(&[
            "patch",
            "--local",
            "-f",
            &f,
            "--type=json",
            "-p",
            "[{\"op\":\"add\",\"path\":\"/data/z\",\"value\":\"1\"}]",
            "-o",
            "yaml"
        ]),
        "apiVersion: v1\ndata:\n  k: v\n  z: \"1\"\nkind: ConfigMap\nmetadata:\n  name: conf\n"
    );
    let o = c.run(&["patch", "--local", "pod", "x", "-p", "{}"]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "error: cannot specify --local and server resources\n"));
    assert_eq!(c.snapshot(), before);
}

/// `delete -A` with `--all` or `-l` reaches every namespace; `--all` with a selector is refused
/// with kubectl's builder message (checked against kubectl v1.32 through `kstate serve`).
#[test]
fn delete_across_namespaces_and_all_with_a_selector() {
    let c = Cluster::new();
    c.ok(&["create", "namespace", "dd"]);
    c.ok(&["create", "configmap", "a", "-n", "dd", "--from-literal=k=v"]);
    c.ok(&["create", "configmap", "b", "--from-literal=k=v"]);
    c.ok(&["label", "cm", "b", "x=y"]);
    let o = c.run(&["delete", "cm", "--all", "-l", "x=y"]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "error: setting 'all' parameter but found a non empty selector. \n"));
    let o = c.run(&["delete", "cm", "a", "-A"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "error: a resource cannot be retrieved by name across all namespaces\n")
    );
    assert_eq!(c.ok(&["delete", "cm", "-A", "-l", "x=y"]), "configmap \"b\" deleted\n");
    assert_eq!(c.ok(&["get", "cm", "a", "-n", "dd", "-o", "name"]), "configmap/a\n", "-l kept the unlabelled one");
}
