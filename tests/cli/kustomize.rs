//! kustomize: `kstate kustomize DIR` against what the real `kubectl kustomize` (v1.32, kustomize
//! v5.5.0) printed for the fixtures in tests/cli/kustomize/build (the expected/ files are its
//! output, made by tests/cli/kustomize/regenerate.sh), `-k DIR` on apply, create, get, diff,
//! replace and delete, and kustomize's errors as `kubectl apply -k` prints them.

use std::path::{Path, PathBuf};

use crate::harness::{assert_text, Cluster, Out};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/kustomize")
}

fn build_dir(case: &str) -> String {
    fixtures().join("build").join(case).to_string_lossy().into_owned()
}

fn expected(case: &str, ext: &str) -> String {
    let path = fixtures().join("expected").join(format!("{}.{ext}", case.replace('/', "-")));
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Every fixture, with what kubectl printed on stdout and stderr (kustomize's deprecation
/// warnings for commonLabels, patchesStrategicMerge and patchesJson6902).
#[test]
fn kustomize_prints_what_kubectl_kustomize_prints() {
    let cases = [
        // kubernetes.io's "Declarative Management of Kubernetes Objects Using Kustomize", one
        // directory per example. Where the page shows a hash suffix from an older kustomize
        // (example-configmap-2-g2hdhfc6tk), kubectl v1.32's is expected.
        "page-cm-file",
        "page-cm-env",
        "page-cm-literal",
        "page-cm-deployment",
        "page-secret-file",
        "page-secret-literal",
        "page-secret-deployment",
        "page-generator-options",
        "page-cross-cutting",
        "page-composing",
        "page-patches-sm",
        "page-patches-json",
        "page-images",
        "page-overlays/base",
        "page-overlays/dev",
        "page-overlays/prod",
        "page-apply",
        // The page's `vars` example: `$(MY_SERVICE_NAME)` becomes the Service's final name.
        "page-vars",
        // A base and an overlay: generators merged across them, labels with and without
        // selectors and templates, images by tag and digest, replicas, three kinds of patches,
        // name references (ServiceAccount, PVC, projected volumes, Role, RoleBinding subjects).
        "overlay/base",
        "overlay/prod",
        // A StatefulSet set: serviceName, StorageClass, HPA, Ingress and ConfigMap references
        // under a suffix and a namespace, a custom kind, kustomize's order of kinds.
        "statefulset",
        // Patch targets by label selector and regular expression, `$patch: delete`, a renaming
        // patch, a patch that adds a list element, image tag suffixes and digests.
        "patches",
        "web-app",
        // Env files (byte-order mark, comments, keys without values), quoted literals, binary
        // files (binaryData), base64 of 70 characters and more cut into lines, Secret types,
        // immutable, generator options; an overlay that replaces and merges the base's.
        "generators/base",
        "generators/overlay",
        // A Component adds a Service, a generated ConfigMap and a sidecar (by a targeted patch)
        // to the objects of the kustomization that names it, before its prefix and namespace.
        "components/base",
        "components/monitoring",
        "components/app",
        // One base under two namespaces and suffixes: each Deployment, and each
        // ClusterRoleBinding's subject, names its own copy of the ServiceAccount and ConfigMap.
        "two-namespaces/app",
        "two-namespaces/team-a",
        "two-namespaces/team-b",
        "two-namespaces",
        // Replacements: list elements by key and by position, delimited parts, numbers into
        // numbers, a created field, label-selected and rejected targets, a replacements file.
        "replacements",
        // sortOptions: kustomize's accumulation order (fifo), and legacy order with own lists.
        "sort-fifo",
        "sort-legacy",
        // Kubernetes' hack/testdata/kustomize: `nameprefix:` works, as Go's decoder folds case.
        "hack-testdata",
    ];
    let c = Cluster::new();
    for case in cases {
        let want = expected(case, "yaml");
        assert!(!want.is_empty(), "no expected output for {case}");
        let out = c.run(&["kustomize", &build_dir(case)]);
        assert_text(&out.stdout, &want);
        assert_eq!((out.stderr.as_str(), out.code), (expected(case, "stderr").as_str(), 0), "{case}");
    }
    // kustomize reads files only: no cluster is created.
    assert!(!c.state().exists());
}

#[test]
fn kustomize_defaults_to_the_current_directory_and_writes_output_files() {
    let c = Cluster::new();
    let dir = build_dir("page-cm-literal");
    let mut cmd = c.command(&["kustomize"]);
    let o = cmd.current_dir(&dir).output().expect("run kstate");
    assert_eq!(String::from_utf8_lossy(&o.stdout), expected("page-cm-literal", "yaml"));
    let file = c.path_of("out.yaml");
    let out = c.run(&["kustomize", &dir, "-o", &file.to_string_lossy()]);
    assert_eq!((out.stdout.as_str(), out.code), ("", 0));
    assert_eq!(std::fs::read_to_string(file).unwrap_or_default(), expected("page-cm-literal", "yaml"));
}

/// The deprecated `--reorder none` keeps the objects as read and generated, as `sortOptions:
/// {order: fifo}` does (sort-fifo wraps the statefulset fixture in nothing else).
#[test]
fn kustomize_reorder_none_is_fifo() {
    let c = Cluster::new();
    let notice = "Flag --reorder has been deprecated, use the new 'sortOptions' field in kustomization.yaml instead.\n";
    let out = c.run(&["kustomize", &build_dir("statefulset"), "--reorder=none"]);
    assert_text(&out.stdout, &expected("sort-fifo", "yaml"));
    assert_eq!((out.stderr, out.code), (format!("{notice}{}", expected("statefulset", "stderr")), 0));
    let out = c.run(&["kustomize", &build_dir("statefulset"), "--reorder", "legacy"]);
    assert_text(&out.stdout, &expected("statefulset", "yaml"));
    fails(
        c.run(&["kustomize", &build_dir("statefulset"), "--reorder=bogus"]),
        &format!("{notice}error: illegal flag value --reorder bogus; legal values: [legacy none]\n"),
    );
}

/// A kustomization directory under the test's temp dir: `files` are (relative path, contents).
fn kustomization(c: &Cluster, dir: &str, files: &[(&str, &str)]) -> String {
    for (name, text) in files {
        let path = c.path_of(dir).join(name);
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).expect("mkdir");
        std::fs::write(&path, text).expect("write");
    }
    let root = c.path_of(dir);
    std::fs::create_dir_all(&root).expect("mkdir");
    std::fs::canonicalize(root).expect("canonical").to_string_lossy().into_owned()
}

fn fails(out: Out, want: &str) {
    assert_eq!((out.stdout.as_str(), out.stderr.as_str(), out.code), ("", want, 1));
}

const CONFIGMAP: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";

/// Each message is what `kubectl apply --dry-run=client -k DIR` printed for the same directory
/// (kubectl v1.32.5; `kubectl kustomize` prints the same text through klog's "command failed").
#[test]
fn kustomize_errors_are_kubectls() {
    let c = Cluster::new();
    let k = |dir: &str| c.run(&["kustomize", dir]);

    let root = kustomization(&c, "none", &[]);
    let missing = format!("{root}/nope");
    fails(
        k(&missing),
        &format!(
            "error: must build at directory: not a valid directory: evalsymlink failure on '{missing}' : lstat {missing}: no such file or directory\n"
        ),
    );
    fails(
        k(&root),
        &format!(
            "error: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{root}'\n"
        ),
    );
    let d = kustomization(&c, "file", &[("kustomization.yaml", "resources: []\n")]);
    fails(
        k(&format!("{d}/kustomization.yaml")),
        &format!("error: must build at directory: '{d}/kustomization.yaml': file is not directory\n"),
    );

    let d = kustomization(&c, "unknown", &[("kustomization.yaml", "foo: bar\nresources: []\n")]);
    fails(k(&d), "error: invalid Kustomization: json: unknown field \"foo\"\n");
    let d = kustomization(&c, "badtype", &[("kustomization.yaml", "namePrefix: [a]\n")]);
    fails(
        k(&d),
        "error: invalid Kustomization: json: cannot unmarshal array into Go struct field Kustomization.namePrefix of type string\n",
    );
    let d = kustomization(&c, "empty", &[("kustomization.yaml", "")]);
    fails(k(&d), "error: kustomization.yaml is empty\n");
    let d = kustomization(
        &c,
        "multi",
        &[("kustomization.yaml", "namePrefix: a-\n"), ("Kustomization", "namePrefix: a-\n")],
    );
    fails(k(&d), &format!("error: Found multiple kustomization files under: {d}\n"));

    let d = kustomization(&c, "missing", &[("kustomization.yaml", "resources:\n- missing.yaml\n")]);
    let why = format!("evalsymlink failure on '{d}/missing.yaml' : lstat {d}/missing.yaml: no such file or directory");
    fails(
        k(&d),
        &format!(
            "error: accumulating resources: accumulation err='accumulating resources from 'missing.yaml': {why}': must build at directory: not a valid directory: {why}\n"
        ),
    );
    let d =
        kustomization(&c, "dup", &[("kustomization.yaml", "resources:\n- a.yaml\n- a.yaml\n"), ("a.yaml", CONFIGMAP)]);
    fails(
        k(&d),
        &format!(
            "error: accumulating resources: accumulation err='merging resources from 'a.yaml': may not add resource with an already registered id: ConfigMap.v1.[noGrp]/a.[noNs]': must build at directory: '{d}/a.yaml': file is not directory\n"
        ),
    );
    let d = kustomization(
        &c,
        "nokind",
        &[("kustomization.yaml", "resources: [a.yaml]\n"), ("a.yaml", "apiVersion: v1\nmetadata:\n  name: a\n")],
    );
    fails(
        k(&d),
        &format!(
            "error: accumulating resources: accumulation err='accumulating resources from 'a.yaml': missing kind in object {{{{v1 }} {{{{a }} map[] map[]}}}}': must build at directory: '{d}/a.yaml': file is not directory\n"
        ),
    );
    let d = kustomization(&c, "subnokust", &[("kustomization.yaml", "resources:\n- sub\n"), ("sub/a.yaml", CONFIGMAP)]);
    fails(
        k(&d),
        &format!(
            "error: accumulating resources: accumulation err='accumulating resources from 'sub': '{d}/sub' must resolve to a file': couldn't make target for path '{d}/sub': unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{d}/sub'\n"
        ),
    );
    let d = kustomization(
        &c,
        "nested",
        &[("kustomization.yaml", "resources:\n- inner\n"), ("inner/kustomization.yaml", "resources:\n- gone.yaml\n")],
    );
    let why =
        format!("evalsymlink failure on '{d}/inner/gone.yaml' : lstat {d}/inner/gone.yaml: no such file or directory");
    fails(
        k(&d),
        &format!(
            "error: accumulating resources: accumulation err='accumulating resources from 'inner': '{d}/inner' must resolve to a file': recursed accumulation of path '{d}/inner': accumulating resources: accumulation err='accumulating resources from 'gone.yaml': {why}': must build at directory: not a valid directory: {why}\n"
        ),
    );

    let d = kustomization(
        &c,
        "badlit",
        &[("kustomization.yaml", "configMapGenerator:\n- name: x\n  literals: [novalue]\n")],
    );
    fails(
        k(&d),
        "error: loading KV pairs: literal sources [novalue]: invalid literal source novalue, expected key=value\n",
    );
    let d = kustomization(
        &c,
        "nofile",
        &[("kustomization.yaml", "configMapGenerator:\n- name: x\n  files: [nofile.txt]\n")],
    );
    fails(
        k(&d),
        &format!(
            "error: loading KV pairs: file sources: [nofile.txt]: evalsymlink failure on '{d}/nofile.txt' : lstat {d}/nofile.txt: no such file or directory\n"
        ),
    );
    // A generator may not read outside its kustomization's directory.
    let outside = kustomization(&c, "secret-place", &[("token", "s3cr3t")]);
    let d = kustomization(
        &c,
        "outside",
        &[("kustomization.yaml", "secretGenerator:\n- name: x\n  files: [../secret-place/token]\n")],
    );
    fails(
        k(&d),
        &format!("error: loading KV pairs: file sources: [../secret-place/token]: security; file '{outside}/token' is not in or below '{d}'\n"),
    );

    let d = kustomization(
        &c,
        "nomatch",
        &[(
            "kustomization.yaml",
            "patches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: nope\n",
        )],
    );
    let id = "Deployment.v1.apps/nope.[noNs]";
    fails(
        k(&d),
        &format!("error: no resource matches strategic merge patch \"{id}\": no matches for Id {id}; failed to find unique target for patch {id}\n"),
    );
    let d = kustomization(
        &c,
        "jsonnotarget",
        &[
            (
                "kustomization.yaml",
                "resources: [a.yaml]\npatches:\n- patch: |-\n    - op: add\n      path: /data\n      value: {}\n",
            ),
            ("a.yaml", CONFIGMAP),
        ],
    );
    fails(k(&d), "error: must specify a target for JSON patch [patch: \"- op: add\\n  path: /data\\n  value: {}\"]\n");
    let d = kustomization(
        &c,
        "badreplica",
        &[("kustomization.yaml", "resources: [a.yaml]\nreplicas:\n- name: zz\n  count: 2\n"), ("a.yaml", CONFIGMAP)],
    );
    fails(
        k(&d),
        "error: resource with name zz does not match a config with the following GVK [Deployment.[noVer].[noGrp] StatefulSet.[noVer].[noGrp] ReplicaSet.[noVer].[noGrp] ReplicationController.[noVer].[noGrp]]\n",
    );

    // Nothing outside the kustomization's directory is read, no directory is given absolutely,
    // and no kustomization may include one it is already inside.
    let other = kustomization(&c, "other", &[("x.yaml", CONFIGMAP)]);
    let d = kustomization(&c, "outside-file", &[("kustomization.yaml", "resources:\n- ../other/x.yaml\n")]);
    fails(
        k(&d),
        &format!(
            "error: accumulating resources: accumulation err='accumulating resources from '../other/x.yaml': security; file '{other}/x.yaml' is not in or below '{d}'': must build at directory: '{other}/x.yaml': file is not directory\n"
        ),
    );
    let d = kustomization(&c, "absolute-dir", &[("kustomization.yaml", &format!("resources:\n- {other}\n"))]);
    fails(
        k(&d),
        &format!(
            "error: accumulating resources: accumulation err='accumulating resources from '{other}': '{other}' must resolve to a file': new root '{other}' cannot be absolute\n"
        ),
    );
    let d = kustomization(
        &c,
        "cycle/a",
        &[("kustomization.yaml", "resources:\n- ../b\n"), ("../b/kustomization.yaml", "resources:\n- ../a\n")],
    );
    let b = format!("{}/b", c.path_of("cycle").canonicalize().expect("canonical").display());
    fails(
        k(&d),
        &format!(
            "error: accumulating resources: accumulation err='accumulating resources from '../b': '{b}' must resolve to a file': recursed accumulation of path '{b}': accumulating resources: accumulation err='accumulating resources from '../a': '{d}' must resolve to a file': cycle detected: candidate root '{d}' contains visited root '{d}'\n"
        ),
    );

    // Components: only a Component is one, and it is no resource.
    let base = kustomization(&c, "kbase", &[("kustomization.yaml", "resources: [a.yaml]\n"), ("a.yaml", CONFIGMAP)]);
    let comp = kustomization(
        &c,
        "kcomp",
        &[("kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nnamePrefix: c-\n")],
    );
    let d = kustomization(&c, "as-component", &[("kustomization.yaml", "components:\n- ../kbase\n")]);
    fails(
        k(&d),
        &format!(
            "error: accumulating components: accumulateDirectory: \"expected kind 'Component' for path '{base}' but got 'Kustomization'\"\n"
        ),
    );
    let d = kustomization(&c, "as-resource", &[("kustomization.yaml", "resources:\n- ../kcomp\n")]);
    fails(
        k(&d),
        &format!(
            "error: accumulating resources: accumulation err='accumulating resources from '../kcomp': '{comp}' must resolve to a file': expected kind != 'Component' for path '{comp}'\n"
        ),
    );
    let d = kustomization(&c, "no-component", &[("kustomization.yaml", "components:\n- ../gone\n")]);
    let gone = format!("{}/gone", c.path_of("").canonicalize().expect("canonical").display());
    fails(
        k(&d),
        &format!(
            "error: accumulating components: loader.New \"must build at directory: not a valid directory: evalsymlink failure on '{gone}' : lstat {gone}: no such file or directory\"\n"
        ),
    );
    assert!(!c.state().exists());
}

/// The page's "How to apply/view/delete objects using Kustomize", with the outputs it shows.
#[test]
fn apply_get_diff_delete_with_k_replay_the_page() {
    let c = Cluster::new();
    let dir = build_dir("page-apply");
    let out = c.run(&["apply", "-k", &dir]);
    let warning = expected("page-apply", "stderr");
    assert!(warning.starts_with("# Warning: 'commonLabels' is deprecated."), "{warning}");
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.code),
        ("deployment.apps/dev-my-nginx created\n", warning.as_str(), 0)
    );
    let out = c.run(&["get", "-k", &dir]);
    assert_eq!(
        (out.stdout.as_str(), out.code),
        (
            "NAME           READY   UP-TO-DATE   AVAILABLE   AGE\ndev-my-nginx   2/2     2            2           0s\n",
            0
        )
    );
    // Nothing differs from what was applied: no output, exit 0.
    let out = c.run(&["diff", "--kustomize", &dir]);
    assert_eq!((out.stdout.as_str(), out.code), ("", 0));
    let out = c.run(&["delete", "-k", &dir]);
    assert_eq!((out.stdout.as_str(), out.code), ("deployment.apps \"dev-my-nginx\" deleted\n", 0));
    assert_eq!(c.ok(&["get", "deployments", "-o", "name"]), "");
}

/// A StatefulSet with its headless Service and two generated ConfigMaps: the pods mount and read
/// the hashed names kustomize wrote into the set.
#[test]
fn apply_k_runs_a_statefulset_with_generated_configmaps() {
    let c = Cluster::new();
    let dir = build_dir("web-app");
    let out = c.run(&["apply", "-k", &dir]);
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.code),
        (
            "configmap/shop-nginx-conf-t2g594hh8h created\nconfigmap/shop-web-env-f655md8fbd created\n\
             service/shop-nginx created\nstatefulset.apps/shop-web created\n",
            "",
            0
        )
    );
    assert_text(
        &c.ok(&["get", "-k", &dir]),
        "NAME                                   DATA   AGE\n\
         configmap/shop-nginx-conf-t2g594hh8h   1      0s\n\
         configmap/shop-web-env-f655md8fbd      1      0s\n\
         \n\
         NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n\
         service/shop-nginx   ClusterIP   None         <none>        80/TCP    0s\n\
         \n\
         NAME                        READY   AGE\n\
         statefulset.apps/shop-web   3/3     0s\n",
    );
    assert_eq!(c.ok(&["get", "pods", "-o", "name"]), "pod/shop-web-0\npod/shop-web-1\npod/shop-web-2\n");
    assert_eq!(
        c.ok(&["exec", "shop-web-2", "--", "sh", "-c", "cat /etc/nginx/conf.d/default.conf; echo $GREETING"]),
        "server {\n    listen 80;\n    root /usr/share/nginx/html;\n}\nhello\n"
    );
    let out = c.run(&["get", "-k", &dir, "-o", "name"]);
    assert_eq!(
        out.stdout,
        "configmap/shop-nginx-conf-t2g594hh8h\nconfigmap/shop-web-env-f655md8fbd\nservice/shop-nginx\nstatefulset.apps/shop-web\n"
    );
    let out = c.run(&["delete", "-k", &dir]);
    assert_eq!(
        out.stdout,
        "configmap \"shop-nginx-conf-t2g594hh8h\" deleted\nconfigmap \"shop-web-env-f655md8fbd\" deleted\n\
         service \"shop-nginx\" deleted\nstatefulset.apps \"shop-web\" deleted\n"
    );
}

#[test]
fn create_and_replace_take_k() {
    let c = Cluster::new();
    let dir = build_dir("page-cm-literal");
    assert_eq!(c.ok(&["create", "-k", &dir]), "configmap/example-configmap-2-42cfbf598f created\n");
    let out = c.run(&["create", "-k", &dir]);
    assert_eq!(
        (out.stderr.as_str(), out.code),
        (
            &*format!(
                "Error from server (AlreadyExists): error when creating \"{dir}\": configmaps \"example-configmap-2-42cfbf598f\" already exists\n"
            ),
            1
        )
    );
    assert_eq!(c.ok(&["replace", "-k", &dir]), "configmap/example-configmap-2-42cfbf598f replaced\n");
}

/// kubectl's `FilenameOptions` checks, before anything is built or read.
#[test]
fn k_with_f_or_r_fails_as_kubectl_does() {
    let c = Cluster::new();
    let dir = build_dir("page-apply");
    for verb in ["apply", "create", "delete", "get", "replace"] {
        fails(c.run(&[verb, "-k", &dir, "-f", "x.yaml"]), "error: only one of -f or -k can be specified\n");
        fails(c.run(&[verb, "-k", &dir, "-R"]), "error: the -k flag can't be used with -f or -R\n");
    }
    // diff exits 2 on errors (1 means "differences").
    let out = c.run(&["diff", "-k", &dir, "-f", "x.yaml"]);
    assert_eq!((out.stderr.as_str(), out.code), ("error: only one of -f or -k can be specified\n", 2));
    let out = c.run(&["diff", "-k", &format!("{dir}/nope")]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.starts_with("error: must build at directory: not a valid directory: "), "{}", out.stderr);
    // A failed build changes nothing.
    let out = c.run(&["apply", "-k", &format!("{dir}/nope")]);
    assert_eq!(out.code, 1);
    assert_eq!(c.ok(&["get", "deployments", "-o", "name"]), "");
}

/// Kubernetes' test/cmd checks of `-k`, on its hack/testdata/kustomize (here
/// build/hack-testdata: a Deployment, a LoadBalancer Service and the ConfigMap `the-map`,
/// prefixed `test-`). Where test/cmd expects no ConfigMaps at all, the check is narrowed to
/// `metadata.name=test-the-map` (as create.sh's newer form is): kstate's namespaces hold
/// `kube-root-ca.crt`, which test/cmd's control plane does not create.
mod test_cmd_kustomize {
    use super::build_dir;
    use crate::harness::Cluster;

    const ID: &str = "{{.metadata.name}}";
    const NAMES: &str = "{{range.items}}{{.metadata.name}}:{{end}}";

    /// `kube::test::get_object_assert OBJECT TEMPLATE EXPECTED`.
    #[track_caller]
    fn get_object_assert(c: &Cluster, object: &[&str], template: &str, want: &str) {
        let mut args = vec!["get"];
        args.extend(object);
        let out = format!("go-template={template}");
        args.extend(["-o", out.as_str()]);
        assert_eq!(c.ok(&args), want, "get {object:?} {template}");
    }

    fn none_exist(c: &Cluster) {
        get_object_assert(c, &["configmaps", "--field-selector=metadata.name=test-the-map"], NAMES, "");
        get_object_assert(c, &["deployment"], NAMES, "");
        get_object_assert(c, &["services", "--field-selector=metadata.name=test-the-service"], NAMES, "");
    }

    fn all_exist(c: &Cluster) {
        get_object_assert(c, &["configmap", "test-the-map"], ID, "test-the-map");
        get_object_assert(c, &["deployment", "test-the-deployment"], ID, "test-the-deployment");
        get_object_assert(c, &["service", "test-the-service"], ID, "test-the-service");
    }

    /// create.sh `run_kubectl_create_kustomization_directory_tests`.
    #[test]
    fn run_kubectl_create_kustomization_directory_tests() {
        let c = Cluster::new();
        let dir = build_dir("hack-testdata");
        none_exist(&c);
        c.ok(&["create", "-k", &dir]);
        all_exist(&c);
        c.ok(&["delete", "-k", &dir]);
        none_exist(&c);
    }

    /// apply.sh `run_kubectl_apply_tests`, its `apply -k somedir` and `apply --kustomize somedir`
    /// steps.
    #[test]
    fn run_kubectl_apply_tests_kustomize_steps() {
        let c = Cluster::new();
        let dir = build_dir("hack-testdata");
        c.ok(&["apply", "-k", &dir]);
        all_exist(&c);
        c.ok(&["delete", "-k", &dir]);
        c.ok(&["apply", "--kustomize", &dir]);
        all_exist(&c);
        c.ok(&["delete", "--kustomize", &dir]);
        none_exist(&c);
    }

    /// get.sh `run_kubectl_get_tests`, its "kubectl get -k <dir>" steps.
    #[test]
    fn run_kubectl_get_tests_kustomize_steps() {
        let c = Cluster::new();
        let dir = build_dir("hack-testdata");
        none_exist(&c);
        c.ok(&["apply", "-k", &dir]);
        let names = c.ok(&["get", "-k", &dir, "-o", "jsonpath={..metadata.name}"]);
        for want in ["test-the-map", "test-the-deployment", "test-the-service"] {
            assert!(names.contains(want), "{want:?} not in {names:?}");
        }
        c.ok(&["delete", "-k", &dir]);
        none_exist(&c);
    }
}
