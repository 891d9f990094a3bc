//! The progress line of a large change: on a terminal's stderr only.

use std::process::Command;

use crate::harness::Cluster;

const PARALLEL: &str = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  podManagementPolicy: Parallel
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
";

/// A cluster whose one node is cordoned, with a Parallel set: scaling it writes a few objects per
/// pod (the pod, its scheduling condition, events) and nothing more, quickly.
fn unschedulable_set() -> Cluster {
    let c = Cluster::new();
    c.ok(&["init", "--profile", "kind"]);
    c.ok(&["cordon", "kind-control-plane"]);
    let f = c.file("web.yaml", PARALLEL);
    c.ok(&["create", "-f", &f]);
    c
}

#[test]
fn a_large_change_shows_progress_on_a_terminal_and_nothing_in_a_pipe() {
    let c = unschedulable_set();
    // Piped, as every test and script runs it: stderr stays empty.
    let out = c.run(&["scale", "sts", "web", "--replicas=1500"]);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str(), out.code), ("statefulset.apps/web scaled\n", "", 0));
    // On a terminal (script(1) gives the command a pseudo-terminal): the line, updated in place
    // with `\r`, then blanked before the command's own output.
    let line = format!("{} scale sts web --replicas=3000", crate::harness::bin());
    let mut script = Command::new("script");
    script.args(["-qec", &line, "/dev/null"]);
    script.env("KSTATE_HOME", c.state()).env("KSTATE_NOW", &c.now).env("KSTATE_SEED", c.seed.to_string());
    let out = script.output().expect("script(1) runs");
    let shown = String::from_utf8_lossy(&out.stdout);
    let parts: Vec<&str> = shown.split('\r').collect();
    let n = parts.len();
    assert!(n >= 5, "{shown:?}");
    assert_eq!((parts[0], parts[n - 2], parts[n - 1]), ("", "statefulset.apps/web scaled", "\n"), "{shown:?}");
    let lines = &parts[1..n - 3];
    assert!(!lines.is_empty(), "{shown:?}");
    for line in lines {
        assert!(line.starts_with("kstate: converging… ") && line.ends_with(" objects written"), "{shown:?}");
    }
    let width = lines[lines.len() - 1].chars().count();
    assert_eq!(parts[n - 3], " ".repeat(width), "{shown:?}");
    assert_eq!(c.ok(&["get", "sts", "--no-headers"]), "web   0/3000   0s\n");
}
