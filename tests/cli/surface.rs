//! Every kind × (table, `-o wide`, `-o yaml`, `-o json`, `-o name`, describe) on a cluster built by
//! a walkthrough with a fixed clock and seed, compared byte for byte with tests/golden/surface/.
//! The describe, yaml and json files were checked against the real kubectl v1.32 with
//! ../shared/tools/kubectl-diff.sh (see docs/commands.md). `KSTATE_BLESS=1 cargo test` rewrites
//! the files.

use std::path::PathBuf;

use crate::harness::{assert_text, seed_manifest, Cluster, Out};

/// The walkthrough: the seed StatefulSet, a scale-up, a pod deleted and recreated, a namespace
/// with a generated service. Returns the cluster with its clock ten minutes after the start.
pub fn walkthrough() -> Cluster {
    let mut c = Cluster::new();
    let manifest = c.file("statefulset.yaml", seed_manifest());
    c.at("2026-11-27T09:00:00Z");
    assert_eq!(c.run(&["create", "-f", &manifest]).code, 0);
    c.at("2026-11-27T09:03:00Z");
    c.ok(&["scale", "sts", "web", "--replicas=3"]);
    c.at("2026-11-27T09:05:30Z");
    c.ok(&["delete", "pod", "web-1"]);
    c.at("2026-11-27T09:07:00Z");
    c.ok(&["create", "namespace", "demo"]);
    c.ok(&["create", "service", "clusterip", "api", "--tcp=80:8080", "-n", "demo"]);
    c.at("2026-11-27T09:10:00Z");
    c
}

const KINDS: [&str; 11] = [
    "pods",
    "statefulsets",
    "services",
    "endpoints",
    "persistentvolumeclaims",
    "persistentvolumes",
    "storageclasses",
    "nodes",
    "namespaces",
    "events",
    "controllerrevisions",
];

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/surface").join(name)
}

/// stdout, then stderr and the exit code when there are any, as the golden file holds them.
fn transcript(o: &Out) -> String {
    let mut s = o.stdout.clone();
    if !o.stderr.is_empty() {
        s.push_str("--- stderr\n");
        s.push_str(&o.stderr);
    }
    if o.code != 0 {
        s.push_str(&format!("--- exit {}\n", o.code));
    }
    s
}

#[track_caller]
pub fn check_golden(name: &str, got: &str) {
    let path = golden_path(name);
    if std::env::var_os("KSTATE_BLESS").is_some() {
        std::fs::write(&path, got).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing golden file {}", path.display()));
    assert_text(got, &want);
}

#[test]
fn every_kind_in_every_format() {
    let c = walkthrough();
    for kind in KINDS {
        for (suffix, args) in [
            ("table", vec!["get", kind, "-A"]),
            ("wide", vec!["get", kind, "-A", "-o", "wide"]),
            ("yaml", vec!["get", kind, "-A", "-o", "yaml"]),
            ("json", vec!["get", kind, "-A", "-o", "json"]),
            ("name", vec!["get", kind, "-A", "-o", "name"]),
            ("describe", vec!["describe", kind, "-A"]),
        ] {
            let o = c.run(&args);
            check_golden(&format!("{kind}.{suffix}.txt"), &transcript(&o));
        }
    }
}

#[test]
fn get_all_and_several_kinds() {
    let c = walkthrough();
    check_golden("all.txt", &transcript(&c.run(&["get", "all"])));
    check_golden("all-A.txt", &transcript(&c.run(&["get", "all", "-A"])));
    check_golden("pods,pvc.txt", &transcript(&c.run(&["get", "pods,pvc"])));
    check_golden("mixed-names.txt", &transcript(&c.run(&["get", "pod/web-0", "svc/nginx", "sts/web", "sc/standard"])));
    let o = c.run(&["get", "all", "-n", "kube-public"]);
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.code),
        ("", "No resources found in kube-public namespace.\n", 0)
    );
}

#[test]
fn cluster_scoped_kinds_ignore_the_namespace() {
    let c = walkthrough();
    assert_eq!(c.ok(&["get", "nodes", "-n", "demo"]), c.ok(&["get", "nodes"]));
    assert_eq!(c.ok(&["get", "pv", "-n", "kube-system", "-o", "name"]), c.ok(&["get", "pv", "-o", "name"]));
}

#[test]
fn namespaces_are_created_and_deleted_with_their_contents() {
    let c = walkthrough();
    let manifest = c.file("sts.yaml", seed_manifest());
    assert_eq!(c.run(&["create", "-f", &manifest, "-n", "demo"]).code, 0);
    assert_eq!(c.ok(&["get", "pods", "-n", "demo", "-o", "name"]), "pod/web-0\npod/web-1\n");
    assert_eq!(c.ok(&["delete", "namespace", "demo"]), "namespace \"demo\" deleted\n");
    let o = c.run(&["get", "all", "-n", "demo"]);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("", "No resources found in demo namespace.\n"));
    assert_eq!(c.ok(&["get", "pvc", "-A", "-o", "name"]).lines().count(), 3, "only default's claims remain");
    let o = c.run(&["get", "ns", "demo"]);
    assert_eq!((o.stderr.as_str(), o.code), ("Error from server (NotFound): namespaces \"demo\" not found\n", 1));
}

#[test]
fn create_generators_and_dry_runs() {
    let c = walkthrough();
    assert_eq!(c.ok(&["create", "namespace", "x", "--dry-run=client"]), "namespace/x created (dry run)\n");
    assert_text(
        &c.ok(&["create", "namespace", "x", "--dry-run=client", "-o", "yaml"]),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  creationTimestamp: null\n  name: x\nspec: {}\nstatus: {}\n",
    );
    assert_eq!(c.ok(&["create", "namespace", "x", "--dry-run=server"]), "namespace/x created (server dry run)\n");
    assert_eq!(c.run(&["get", "ns", "x"]).code, 1, "dry runs persist nothing");
    assert_text(
        &c.ok(&["create", "service", "clusterip", "hl", "--clusterip=None", "--dry-run=client", "-o", "yaml"]),
        "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: hl\n  name: hl\nspec:\n  clusterIP: None\n  selector:\n    app: hl\n  type: ClusterIP\nstatus:\n  loadBalancer: {}\n",
    );
    assert_eq!(c.ok(&["create", "namespace", "x", "-o", "name"]), "namespace/x\n");
    let o = c.run(&["create", "namespace", "x"]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("Error from server (AlreadyExists): namespaces \"x\" already exists\n", 1)
    );
    let o = c.run(&["create", "service", "clusterip", "s"]);
    assert_eq!((o.stderr.as_str(), o.code), ("error: at least one tcp port specifier must be provided\n", 1));
    let o = c.run(&["create", "namespace", "y", "--dry-run=maybe"]);
    assert_eq!(o.stderr, "error: Invalid dry-run value (maybe). Must be \"none\", \"server\", or \"client\".\n");
    let manifest = c.file("sts.yaml", seed_manifest());
    assert_eq!(
        c.ok(&["create", "-f", &manifest, "-n", "x", "--dry-run=server", "-o", "name"]),
        "service/nginx\nstatefulset.apps/web\n"
    );
    assert_eq!(c.run(&["get", "sts", "-n", "x"]).stderr, "No resources found in x namespace.\n");
}

/// kubectl v1.32 still takes a bare `--dry-run` and Go booleans, with klog's deprecation warning;
/// an empty value is an error. Every verb with `--dry-run` reads it the same way.
#[test]
fn dry_run_takes_kubectl_1_32_deprecated_forms_with_klog_warnings() {
    let c = Cluster::new();
    let klog = |o: &crate::harness::Out, at: &str, msg: &str| {
        let (head, tail) = o.stderr.split_once(&format!(" {at}] ")).expect("a klog line");
        assert!(head.starts_with("W1127 09:00:00.000000 ") && head.len() == 29, "{}", o.stderr);
        assert_eq!(tail, format!("{msg}\n"));
    };
    let o = c.run(&["create", "namespace", "q", "--dry-run"]);
    assert_eq!(o.stdout, "namespace/q created (dry run)\n");
    klog(&o, "helpers.go:702", "--dry-run is deprecated and can be replaced with --dry-run=client.");
    let o = c.run(&["create", "namespace", "q", "--dry-run=True"]);
    assert_eq!(o.stdout, "namespace/q created (dry run)\n");
    klog(
        &o,
        "helpers.go:716",
        "--dry-run=True is deprecated (boolean value) and can be replaced with --dry-run=client.",
    );
    assert_eq!(c.run(&["get", "ns", "q"]).code, 1, "dry runs persist nothing");
    let o = c.run(&["label", "ns", "default", "a=b", "--dry-run=0"]);
    assert_eq!(o.stdout, "namespace/default labeled\n");
    klog(&o, "helpers.go:719", "--dry-run=0 is deprecated (boolean value) and can be replaced with --dry-run=none.");
    assert_eq!(c.ok(&["get", "ns", "default", "-o", "jsonpath={.metadata.labels.a}"]), "b");
    let o = c.run(&["apply", "-f", "x.yaml", "--dry-run="]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("error: Invalid dry-run value (). Must be \"none\", \"server\", or \"client\".\n", 1)
    );
}

/// pflag switches take Go booleans as values: `--overwrite=true` is `--overwrite`, `--X=false` is
/// as if the flag were not given.
#[test]
fn switches_take_go_boolean_values() {
    let c = Cluster::new();
    c.ok(&["label", "ns", "default", "a=b"]);
    let o = c.run(&["label", "ns", "default", "a=c", "--overwrite=false"]);
    assert_eq!(o.stderr, "error: 'a' already has a value (b), and --overwrite is false\n");
    assert_eq!(c.ok(&["label", "ns", "default", "a=c", "--overwrite=True"]), "namespace/default labeled\n");
    assert_eq!(
        c.ok(&["get", "ns", "default", "--show-labels=1", "--no-headers=t", "-o", "wide"]).split_whitespace().last(),
        Some("a=c,kubernetes.io/metadata.name=default")
    );
    assert!(c.ok(&["get", "ns", "default", "--show-labels=false"]).starts_with("NAME      STATUS   AGE\n"));
}

#[test]
fn api_resources_version_explain() {
    let c = Cluster::new();
    check_golden("api-resources.txt", &c.ok(&["api-resources"]));
    check_golden("api-resources-wide.txt", &c.ok(&["api-resources", "-o", "wide"]));
    assert_eq!(
        c.ok(&["api-resources", "--namespaced=false", "-o", "name"]),
        "namespaces\nnodes\npersistentvolumes\ncustomresourcedefinitions.apiextensions.k8s.io\ningressclasses.networking.k8s.io\nclusterrolebindings.rbac.authorization.k8s.io\nclusterroles.rbac.authorization.k8s.io\npriorityclasses.scheduling.k8s.io\nvolumesnapshotclasses.snapshot.storage.k8s.io\nvolumesnapshotcontents.snapshot.storage.k8s.io\ncsidrivers.storage.k8s.io\ncsinodes.storage.k8s.io\nstorageclasses.storage.k8s.io\nvolumeattachments.storage.k8s.io\n"
    );
    let v = c.ok(&["version"]);
    assert!(
        v.starts_with("Client Version: v1.32.5+kstate.")
            && v.ends_with("\nKustomize Version: v5.5.0\nServer Version: v1.32.1\n"),
        "{v}"
    );
    assert!(!c.ok(&["version", "--client"]).contains("Server"));
    assert!(c
        .ok(&["version", "-o", "json"])
        .contains("\"serverVersion\": {\n    \"major\": \"1\",\n    \"minor\": \"32\""));
    check_golden("explain-sts.txt", &c.ok(&["explain", "sts"]));
    check_golden("explain-pod.spec.txt", &c.ok(&["explain", "pod.spec"]));
    let o = c.run(&["explain", "foo"]);
    assert_eq!((o.stderr.as_str(), o.code), ("error: the server doesn't have a resource type \"foo\"\n", 1));
    // Paths go down through structs, lists and maps of the kind's Go types.
    assert_text(
        &c.ok(&["explain", "sts.spec.updateStrategy"]),
        "KIND:       StatefulSet\nVERSION:    apps/v1\n\nFIELD: updateStrategy <StatefulSetUpdateStrategy>\n\n\nDESCRIPTION:\n    updateStrategy.\n    \nFIELDS:\n  rollingUpdate\t<RollingUpdateStatefulSetStrategy>\n\n  type\t<string>\n\n",
    );
    assert_text(
        &c.ok(&["explain", "pods.spec.containers.ports"]),
        "KIND:       Pod\nVERSION:    v1\n\nFIELD: ports <[]ContainerPort>\n\n\nDESCRIPTION:\n    ports.\n    \nFIELDS:\n  containerPort\t<integer> -required-\n\n  hostIP\t<string>\n\n  hostPort\t<integer>\n\n  name\t<string>\n\n  protocol\t<string>\n\n",
    );
    assert!(c.ok(&["explain", "pvc.spec.resources"]).contains("  requests\t<map[string]Quantity>\n"));
    assert!(c.ok(&["explain", "pod.metadata.creationTimestamp"]).contains("FIELD: creationTimestamp <Time>\n"));
    for path in ["pod.spec.foo", "pod.spec.restartPolicy.foo"] {
        let o = c.run(&["explain", path]);
        assert_eq!((o.stderr.as_str(), o.code), ("error: field \"foo\" does not exist\n", 1), "{path}");
    }
}

#[test]
fn bash_completes_kinds_and_pod_names() {
    let c = walkthrough();
    let dir = PathBuf::from(crate::harness::bin()).parent().expect("bin dir").to_path_buf();
    let script = r#"source <(kstate completion bash)
COMP_WORDS=(kstate get po); COMP_CWORD=2; _kstate; echo "${COMPREPLY[@]}"
COMP_WORDS=(kstate get pods web-); COMP_CWORD=3; _kstate; echo "${COMPREPLY[@]}"
COMP_WORDS=(kstate describe pod/web-1); COMP_CWORD=2; _kstate; echo "${COMPREPLY[@]}"
COMP_WORDS=(kstate -n demo get svc ""); COMP_CWORD=5; _kstate; echo "${COMPREPLY[@]}"
COMP_WORDS=(kstate ge); COMP_CWORD=1; _kstate; echo "${COMPREPLY[@]}"
COMP_WORDS=(kstate get pods --sh); COMP_CWORD=3; _kstate; echo "${COMPREPLY[@]}"
"#;
    let path = format!("{}:{}", dir.display(), std::env::var("PATH").unwrap_or_default());
    let out = std::process::Command::new("bash")
        .args(["-c", script])
        .env("PATH", path)
        .env("KSTATE_HOME", c.state())
        .env("KSTATE_NOW", &c.now)
        .output()
        .expect("run bash");
    // `po` also starts poddisruptionbudgets and podtemplates, as with kubectl.
    assert_text(
        &String::from_utf8_lossy(&out.stdout),
        "poddisruptionbudgets pods podtemplates\nweb-0 web-1 web-2\npod/web-1\napi\nget\n--show-labels\n",
    );
    for shell in ["zsh", "fish"] {
        assert!(c.ok(&["completion", shell]).contains("__complete"));
    }
    let o = c.run(&["completion", "tcsh"]);
    assert_eq!((o.stderr.as_str(), o.code), ("error: Unsupported shell type \"tcsh\".\n", 1));
}
