//! Kubernetes' own kubectl tests (`test/cmd/*.sh` in kubernetes/kubernetes), ported: each
//! function below replays one `run_*` function's commands against kstate, in order, with its
//! `kube::test::get_object_assert` (a go-template over `kubectl get`), `get_object_jsonpath_assert`,
//! `describe_object_assert` and `if_has_string` checks as Rust assertions. Commands those
//! functions run that kstate does not support are left out and named in docs/differences.md
//! ("test/cmd"). `create_and_use_new_namespace` becomes a fresh namespace per step.

use crate::test_cmd_kt::{found, names, Kt, ANNOTATIONS, ID, IMAGE, LABELS, PDB_MAX, PDB_MIN, SECRET_TYPE};

const VALID_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: valid-pod
  labels:
    name: valid-pod
spec:
  containers:
  - name: kubernetes-serve-hostname
    image: registry.k8s.io/serve_hostname
    resources:
      limits:
        cpu: \"1\"
        memory: 512Mi
";

const CONFIGMAP: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: test-configmap
data:
  data-1: value-1
  data-2: value-2
";

/// test/cmd/core.sh `run_configmap_tests` (all but `describe_resource_chunk_size_assert`, which
/// checks the chunked requests kubectl sends to an API server).
#[test]
fn run_configmap_tests() {
    let mut t = Kt::new();
    t.new_namespace("namespace-1");
    let f = t.c.file("configmap.yaml", CONFIGMAP);
    t.kubectl(&["create", "-f", &f]);
    t.get_object_assert(&["configmap/test-configmap"], &format!("{{{{{ID}}}}}"), "test-configmap");
    t.kubectl(&["delete", "configmap", "test-configmap"]);
    // Create a new namespace.
    t.get_object_assert(&["namespaces"], &found("test-configmaps"), ":");
    t.kubectl(&["create", "namespace", "test-configmaps"]);
    t.get_object_assert(&["namespaces/test-configmaps"], &format!("{{{{{ID}}}}}"), "test-configmaps");
    // A generic configmap in a specific namespace.
    t.get_object_assert(&["configmaps"], &found("test-configmap"), ":");
    t.get_object_assert(&["configmaps"], &found("test-binary-configmap"), ":");
    t.kubectl(&[
        "create",
        "configmap",
        "test-configmap",
        "--dry-run=client",
        "--from-literal=key1=value1",
        "--namespace=test-configmaps",
    ]);
    t.kubectl(&[
        "create",
        "configmap",
        "test-configmap",
        "--dry-run=server",
        "--from-literal=key1=value1",
        "--namespace=test-configmaps",
    ]);
    t.get_object_assert(&["configmaps"], &found("test-configmap"), ":");
    t.kubectl(&["create", "configmap", "test-configmap", "--from-literal=key1=value1", "--namespace=test-configmaps"]);
    let binary: Vec<u8> = (0..=255u8).rev().collect();
    let path = t.c.path_of("random");
    std::fs::write(&path, binary).expect("write");
    let from_file = format!("--from-file={}", path.display());
    t.kubectl(&["create", "configmap", "test-binary-configmap", &from_file, "--namespace=test-configmaps"]);
    t.get_object_assert(
        &["configmap/test-configmap", "--namespace=test-configmaps"],
        &format!("{{{{{ID}}}}}"),
        "test-configmap",
    );
    t.get_object_assert(
        &["configmap/test-binary-configmap", "--namespace=test-configmaps"],
        &format!("{{{{{ID}}}}}"),
        "test-binary-configmap",
    );
    let yaml = t.kubectl(&["get", "configmap/test-configmap", "--namespace=test-configmaps", "-o", "yaml"]);
    t.if_has_string(&yaml, "key1: value1");
    let yaml = t.kubectl(&["get", "configmap/test-binary-configmap", "--namespace=test-configmaps", "-o", "yaml"]);
    t.if_has_string(&yaml, "binaryData");
    t.kubectl(&["delete", "configmap", "test-configmap", "--namespace=test-configmaps"]);
    t.kubectl(&["delete", "configmap", "test-binary-configmap", "--namespace=test-configmaps"]);
    t.kubectl(&["delete", "namespace", "test-configmaps"]);
    assert_eq!(t.asserts, 10);
}

/// test/cmd/core.sh `run_pod_tests`, from its start to the `--record` steps (and the
/// `describe_resource_chunk_size_assert` checks, which need an API server, left out).
#[test]
fn run_pod_tests() {
    let mut t = Kt::new();
    let pod = t.c.file("valid-pod.yaml", VALID_POD);
    let force = ["--grace-period=0", "--force"];
    // Create POD valid-pod from YAML.
    t.new_namespace("namespace-1");
    t.get_object_assert(&["pods"], &names(), "");
    t.kubectl(&["create", "-f", &pod]);
    t.kubectl(&["get", "pods", "-o", "json"]);
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    let id = format!("{{{{{ID}}}}}");
    t.get_object_assert(&["pod", "valid-pod"], &id, "valid-pod");
    t.get_object_assert(&["pod/valid-pod"], &id, "valid-pod");
    t.get_object_assert(&["pods/valid-pod"], &id, "valid-pod");
    let managers =
        t.kubectl(&["get", "--show-managed-fields", "-f", &pod, "-o=jsonpath={.metadata.managedFields[*].manager}"]);
    t.if_has_string(&managers, "kubectl-create");
    t.get_object_jsonpath_assert(&["pods"], &format!("{{.items[*]{ID}}}"), "valid-pod");
    t.get_object_jsonpath_assert(&["pod", "valid-pod"], &format!("{{{ID}}}"), "valid-pod");
    t.get_object_jsonpath_assert(&["pod/valid-pod"], &format!("{{{ID}}}"), "valid-pod");
    t.get_object_jsonpath_assert(&["pods/valid-pod"], &format!("{{{ID}}}"), "valid-pod");
    let details = ["Name:", "Image:", "Node:", "Labels:", "Status:"];
    t.describe_assert("pods", "valid-pod", &details);
    t.describe_events_assert("pods", "valid-pod", None);
    t.describe_events_assert("pods", "valid-pod", Some(false));
    t.describe_events_assert("pods", "valid-pod", Some(true));
    t.describe_assert("pods", "", &details);
    t.describe_events_assert("pods", "", None);
    t.describe_events_assert("pods", "", Some(false));
    t.describe_events_assert("pods", "", Some(true));
    let output_pod = t.kubectl(&["get", "pod", "valid-pod", "-o", "yaml"]);
    // Delete POD valid-pod by id.
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    t.kubectl(&[&["delete", "pod", "valid-pod"][..], &force[..]].concat());
    t.get_object_assert(&["pods"], &names(), "");
    // ... with --now.
    t.kubectl(&["create", "-f", &pod]);
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    t.kubectl(&["delete", "pod", "valid-pod", "--now"]);
    t.get_object_assert(&["pods"], &names(), "");
    // ... with --grace-period=0 (succeeds without --force by waiting).
    t.kubectl(&["create", "-f", &pod]);
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    t.kubectl(&["delete", "pod", "valid-pod", "--grace-period=0"]);
    t.get_object_assert(&["pods"], &names(), "");
    // Create POD valid-pod from dumped YAML.
    t.new_namespace("namespace-2");
    t.get_object_assert(&["pods"], &names(), "");
    let dumped: String = output_pod.lines().filter(|l| !l.contains("namespace:")).map(|l| format!("{l}\n")).collect();
    let o = t.c.run_stdin(&["create", "-f", "-", "-n", "namespace-2"], &dumped);
    assert_eq!(o.code, 0, "{}", o.stderr);
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    // Delete POD valid-pod from the file.
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    t.kubectl(&[&["delete", "-f", &pod][..], &force[..]].concat());
    t.get_object_assert(&["pods"], &names(), "");
    // Create POD valid-pod, delete it by label.
    t.new_namespace("namespace-3");
    t.get_object_assert(&["pods"], &names(), "");
    t.kubectl(&["create", "-f", &pod]);
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    t.get_object_assert(&["pods", "-l", "name in (valid-pod)"], &names(), "valid-pod:");
    t.kubectl(&[&["delete", "pods", "-l", "name in (valid-pod)"][..], &force[..]].concat());
    t.get_object_assert(&["pods", "-l", "name in (valid-pod)"], &names(), "");
    // Create POD valid-pod from YAML; field selectors.
    t.new_namespace("namespace-4");
    t.get_object_assert(&["pods"], &names(), "");
    t.kubectl(&["create", "-f", &pod]);
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    let out = t.kubectl(&["get", "pods", "--field-selector", "metadata.name=valid-pod"]);
    t.if_has_string(&out, "valid-pod");
    let phase = t.kubectl(&["get", "pod", "valid-pod", "-o", "go-template={{ .status.phase }}"]);
    let out = t.kubectl(&["get", "pods", "--field-selector", &format!("status.phase={phase}")]);
    t.if_has_string(&out, "valid-pod");
    // Delete PODs with no parameter mustn't kill everything.
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    t.kubectl_fails(&["delete", "pods"]);
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    // Delete PODs with --all and a label selector is not permitted.
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    t.kubectl_fails(&["delete", "--all", "pods", "-l", "name in (valid-pod)"]);
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    // Delete all PODs.
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    t.kubectl(&[&["delete", "--all", "pods"][..], &force[..]].concat());
    t.get_object_assert(&["pods", "-l", "name in (valid-pod)"], &names(), "");
    // Detailed tests for describe pod output: namespace, secret, configmap, pdbs.
    t.get_object_assert(&["namespaces"], &found("test-kubectl-describe-pod"), ":");
    t.kubectl(&["create", "namespace", "test-kubectl-describe-pod"]);
    t.get_object_assert(&["namespaces/test-kubectl-describe-pod"], &id, "test-kubectl-describe-pod");
    let dns = "--namespace=test-kubectl-describe-pod";
    t.get_object_assert(&["secrets", dns], &names(), "");
    t.kubectl(&[
        "create",
        "secret",
        "generic",
        "test-secret",
        "--dry-run=client",
        "--from-literal=key-1=value1",
        "--type=test-type",
        dns,
    ]);
    t.kubectl(&[
        "create",
        "secret",
        "generic",
        "test-secret",
        "--dry-run=server",
        "--from-literal=key-1=value1",
        "--type=test-type",
        dns,
    ]);
    t.get_object_assert(&["secrets", dns], &names(), "");
    t.kubectl(&["create", "secret", "generic", "test-secret", "--from-literal=key-1=value1", "--type=test-type", dns]);
    t.get_object_assert(&["secret/test-secret", dns], &id, "test-secret");
    t.get_object_assert(&["secret/test-secret", dns], &format!("{{{{{SECRET_TYPE}}}}}"), "test-type");
    t.get_object_assert(&["configmaps", dns], &found("test-configmap"), ":");
    t.kubectl(&["create", "configmap", "test-configmap", "--from-literal=key-2=value2", dns]);
    t.get_object_assert(&["configmap/test-configmap", dns], &id, "test-configmap");
    t.get_object_assert(&["pdb", dns], &found("test-pdb-1"), ":");
    t.kubectl(&["create", "pdb", "test-pdb-1", "--dry-run=client", "--selector=app=rails", "--min-available=2", dns]);
    t.kubectl(&["create", "pdb", "test-pdb-1", "--dry-run=server", "--selector=app=rails", "--min-available=2", dns]);
    t.get_object_assert(&["pdb", dns], &found("test-pdb-1"), ":");
    t.kubectl(&["create", "pdb", "test-pdb-1", "--selector=app=rails", "--min-available=2", dns]);
    t.get_object_assert(&["pdb/test-pdb-1", dns], &format!("{{{{{PDB_MIN}}}}}"), "2");
    t.kubectl(&["create", "pdb", "test-pdb-2", "--selector=app=rails", "--min-available=50%", dns]);
    t.get_object_assert(&["pdb/test-pdb-2", dns], &format!("{{{{{PDB_MIN}}}}}"), "50%");
    t.kubectl(&["create", "pdb", "test-pdb-3", "--selector=app=rails", "--max-unavailable=2", dns]);
    t.get_object_assert(&["pdb/test-pdb-3", dns], &format!("{{{{{PDB_MAX}}}}}"), "2");
    t.kubectl(&["create", "pdb", "test-pdb-4", "--selector=app=rails", "--max-unavailable=50%", dns]);
    t.get_object_assert(&["pdb/test-pdb-4", dns], &format!("{{{{{PDB_MAX}}}}}"), "50%");
    t.kubectl_fails(&[
        "create",
        "pdb",
        "test-pdb",
        "--selector=app=rails",
        "--min-available=2",
        "--max-unavailable=3",
        dns,
    ]);
    t.kubectl(&["delete", "secret", "test-secret", dns]);
    t.kubectl(&["delete", "configmap", "test-configmap", dns]);
    t.kubectl(&["delete", "pdb/test-pdb-1", "pdb/test-pdb-2", "pdb/test-pdb-3", "pdb/test-pdb-4", dns]);
    t.kubectl(&["delete", "namespace", "test-kubectl-describe-pod"]);
    // Create valid-pod; dry-run and real labels and annotations.
    t.new_namespace("namespace-5");
    t.get_object_assert(&["pods"], &names(), "");
    t.kubectl(&["create", "-f", &pod]);
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    let labels = format!("{{{{range{LABELS}}}}}{{{{.}}}}:{{{{end}}}}");
    t.get_object_assert(&["pod", "valid-pod"], &labels, "valid-pod:");
    t.kubectl(&["label", "pods", "valid-pod", "new-name=new-valid-pod", "--dry-run=client"]);
    t.kubectl(&["label", "pods", "valid-pod", "new-name=new-valid-pod", "--dry-run=server"]);
    t.get_object_assert(&["pod", "valid-pod"], &labels, "valid-pod:");
    t.kubectl(&["label", "pods", "valid-pod", "new-name=new-valid-pod"]);
    t.get_object_assert(&["pod", "valid-pod"], &labels, "valid-pod:new-valid-pod:");
    t.kubectl(&["label", "pods", "valid-pod", "emptylabel="]);
    t.get_object_assert(&["pod", "valid-pod"], &format!("{{{{{LABELS}.emptylabel}}}}"), "");
    let empty_annotation = format!("{{{{{ANNOTATIONS}.emptyannotation}}}}");
    t.get_object_assert(&["pod", "valid-pod"], &empty_annotation, "<no value>");
    t.kubectl(&["annotate", "pods", "valid-pod", "emptyannotation=", "--dry-run=client"]);
    t.kubectl(&["annotate", "pods", "valid-pod", "emptyannotation=", "--dry-run=server"]);
    t.get_object_assert(&["pod", "valid-pod"], &empty_annotation, "<no value>");
    t.kubectl(&["annotate", "pods", "valid-pod", "emptyannotation="]);
    t.get_object_assert(&["pod", "valid-pod"], &empty_annotation, "");
    let managers = t.kubectl(&[
        "get",
        "pod",
        "valid-pod",
        "--show-managed-fields",
        "-o=jsonpath={.metadata.managedFields[*].manager}",
    ]);
    t.if_has_string(&managers, "kubectl-annotate");
    // Delete POD by label.
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    t.kubectl(&[&["delete", "pods", "-lnew-name=new-valid-pod"][..], &force[..]].concat());
    t.get_object_assert(&["pods"], &names(), "");
    // Patch: no-op, image changes through strategic, JSON and YAML patches, dry runs.
    t.kubectl(&["create", "-f", &pod]);
    t.get_object_assert(&["pods"], &names(), "valid-pod:");
    let out = t.kubectl(&["patch", "pod", "valid-pod", "-p={\"metadata\":{\"labels\":{\"name\":\"valid-pod\"}}}"]);
    t.if_has_string(&out, "patched (no change)");
    let image = format!("{{{{range.items}}}}{{{{{IMAGE}}}}}:{{{{end}}}}");
    t.kubectl(&[
        "patch",
        "pod",
        "valid-pod",
        "-p={\"spec\":{\"containers\":[{\"name\": \"kubernetes-serve-hostname\", \"image\": \"nginx\"}]}}",
    ]);
    t.get_object_assert(&["pods"], &image, "nginx:");
    t.kubectl(&[
        "patch",
        "pod",
        "valid-pod",
        "--type=json",
        "-p=[{\"op\": \"replace\", \"path\": \"/spec/containers/0/image\", \"value\":\"nginx2\"}]",
    ]);
    t.get_object_assert(&["pods"], &image, "nginx2:");
    t.kubectl(&[
        "patch",
        "pod",
        "valid-pod",
        "--type=json",
        "-p=[{\"op\": \"replace\", \"path\": \"/spec/containers/0/image\", \"value\":\"nginx\"}]",
    ]);
    t.get_object_assert(&["pods"], &image, "nginx:");
    for dry in ["--dry-run=client", "--dry-run=server"] {
        t.kubectl(&[
            "patch",
            "pod",
            "valid-pod",
            dry,
            "-p={\"spec\":{\"containers\":[{\"name\": \"kubernetes-serve-hostname\", \"image\": \"not-nginx\"}]}}",
        ]);
    }
    t.get_object_assert(&["pods"], &image, "nginx:");
    t.kubectl(&[
        "patch",
        "pod",
        "valid-pod",
        "-p=spec:\n  containers:\n  - name: kubernetes-serve-hostname\n    image: changed-with-yaml\n",
    ]);
    t.get_object_assert(&["pods"], &image, "changed-with-yaml:");
    assert_eq!(t.asserts, 75);
}
