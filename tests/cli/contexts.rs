//! `config` and `--context`: contexts name state directories and default namespaces, in the
//! kubeconfig `$KUBECONFIG` (or `--kubeconfig`) names.

use crate::harness::{Cluster, Out};

/// Runs kstate with `KUBECONFIG` set to the test's own file.
fn kc(c: &Cluster, args: &[&str]) -> Out {
    let o = c.command(args).env("KUBECONFIG", c.path_of("kubeconfig")).output().expect("run kstate");
    Out {
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        code: o.status.code().unwrap_or(-1),
    }
}

fn ok(c: &Cluster, args: &[&str]) -> String {
    let o = kc(c, args);
    assert_eq!(o.code, 0, "kstate {args:?}: {}", o.stderr);
    o.stdout
}

#[test]
fn without_a_file_there_is_one_implicit_context() {
    let c = Cluster::new();
    assert_eq!(ok(&c, &["config", "current-context"]), "kstate\n");
    assert_eq!(
        ok(&c, &["config", "get-contexts"]),
        "CURRENT   NAME     CLUSTER   AUTHINFO   NAMESPACE\n*         kstate   kstate    kstate     \n"
    );
    assert!(!c.path_of("kubeconfig").exists(), "reading writes nothing");
}

#[test]
fn contexts_choose_the_state_directory_and_the_namespace() {
    let c = Cluster::new();
    let lab = c.path_of("lab");
    let lab = lab.to_str().expect("utf-8 temp path");
    assert_eq!(ok(&c, &["config", "set-cluster", "lab", &format!("--server={lab}")]), "Cluster \"lab\" set.\n");
    assert_eq!(
        ok(&c, &["config", "set-context", "lab", "--cluster=lab", "--user=kstate", "--namespace=kube-system"]),
        "Context \"lab\" created.\n"
    );
    assert_eq!(ok(&c, &["--context", "lab", "get", "svc", "-o", "name"]), "service/kube-dns\n");
    assert_eq!(ok(&c, &["--context", "lab", "create", "cm", "x"]), "configmap/x created\n");
    assert_eq!(ok(&c, &["--context", "lab", "get", "cm", "x", "-o", "jsonpath={.metadata.namespace}"]), "kube-system");
    assert_eq!(
        ok(&c, &["get", "cm", "x", "-n", "kube-system", "--ignore-not-found"]),
        "",
        "the default cluster is another"
    );
    assert_eq!(ok(&c, &["config", "use-context", "lab"]), "Switched to context \"lab\".\n");
    assert_eq!(ok(&c, &["config", "set-context", "--current", "--namespace=default"]), "Context \"lab\" modified.\n");
    assert_eq!(
        ok(&c, &["config", "get-contexts"]),
        "CURRENT   NAME     CLUSTER   AUTHINFO   NAMESPACE\n          kstate   kstate    kstate     \n*         lab      lab       kstate     default\n"
    );
}

#[test]
fn unknown_contexts_fail_as_kubectl_does() {
    let c = Cluster::new();
    let o = kc(&c, &["config", "use-context", "nope"]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "error: no context exists with the name: \"nope\"\n"));
    let o = kc(&c, &["--context", "nope", "get", "pods"]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "error: context was not found for specified context: nope\n"));
    let o = kc(&c, &["config", "get-contexts", "nope"]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "error: context nope not found\n"));
    let o = kc(&c, &["config", "set-context", "x", "--current"]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "error: you cannot specify both a context name and --current\n"));
}

#[test]
fn config_view_prints_the_file() {
    let c = Cluster::new();
    ok(&c, &["config", "set-context", "--current", "--namespace=web"]);
    let state = c.state();
    assert_eq!(
        ok(&c, &["config", "view"]),
        format!(
            "apiVersion: v1
clusters:
- cluster:
    server: file://{}
  name: kstate
contexts:
- context:
    cluster: kstate
    namespace: web
    user: kstate
  name: kstate
current-context: kstate
kind: Config
preferences: {{}}
users:
- name: kstate
  user: {{}}
",
            state.display()
        )
    );
    let o = kc(&c, &["create", "cm", "y"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "Error from server (NotFound): namespaces \"web\" not found\n"),
        "the context's namespace applies"
    );
}
