//! The official Python `kubernetes` client (from PyPI) against `kstate serve`; skipped, saying so,
//! where the package is not installed. `$KSTATE_PYTHON` names the interpreter (`.ci/run` sets it
//! to a virtualenv it installs the client into), else `python3`.

use std::process::Command;

use crate::harness::{assert_text, Cluster};
use crate::serve::{Server, WEB};

fn python() -> Option<String> {
    let python = std::env::var("KSTATE_PYTHON").unwrap_or_else(|_| "python3".into());
    let has_client = Command::new(&python).args(["-c", "import kubernetes"]).output().is_ok_and(|o| o.status.success());
    has_client.then_some(python)
}

#[test]
fn python_client_lists_creates_patches_scales_watches_and_execs() {
    let Some(python) = python() else {
        crate::serve::skipped("python_client_…: the Python `kubernetes` package is not installed (pip install kubernetes, or set KSTATE_PYTHON)");
        return;
    };
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let web = cluster.file("web.yaml", WEB);
    cluster.ok(&["create", "-f", &web]);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/client.py");
    let out = Command::new(python).args([script, &server.kubeconfig]).output().expect("run the Python client");
    assert_text(&String::from_utf8_lossy(&out.stderr), "");
    assert_text(
        &String::from_utf8_lossy(&out.stdout),
        "pods: ['web-0', 'web-1']
created: py-cm
patched: {'a': '1', 'b': '2'}
scaled: 3
watched: [('ADDED', 'web-0', 'Running'), ('ADDED', 'web-1', 'Running'), ('ADDED', 'web-2', 'Running')]
exec: 'from-python\\n'
exit code: 3
config maps: ['kube-root-ca.crt']
",
    );
    assert!(out.status.success());
}
