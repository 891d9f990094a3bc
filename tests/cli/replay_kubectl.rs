//! `kstate replay --kubectl`: the same document on kstate and through a real kubectl. In the suite
//! the "real" kubectl is a stand-in script (kstate on a cluster of its own, which answers the first
//! `get pods` before the cluster has converged and logs every call). End to end, the real kubectl
//! v1.32 reads a cluster served by ../shared/tools/kubectl-oracle.py, when both are installed.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use pretty_assertions::assert_eq;

use crate::harness::{bin, Out};

const STAND_IN: &str = r#"#!/bin/bash
printf '%s\n' "$*" >> "$STANDIN_DIR/calls"
case " $* " in
  *" get pods "*)
    if [ ! -e "$STANDIN_DIR/settled" ]; then
      touch "$STANDIN_DIR/settled"
      printf 'NAME    READY   STATUS              RESTARTS   AGE\nweb-0   0/1     ContainerCreating   0          1s\n'
      exit 0
    fi ;;
  *" get namespace "*)
    if [ -n "$STANDIN_ODD" ]; then echo 'Error from server (NotFound): namespaces "default" not found'; exit 1; fi ;;
esac
# kstate's --context names a context of its own kubeconfig: the stand-in's cluster has none.
if [ "$1" = "--context" ]; then shift 2; fi
KSTATE_HOME="$STANDIN_DIR/cluster" exec "$KSTATE" "$@"
"#;

const DOC: &str = "```yaml
# web.yaml
apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector:
    app: nginx
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 1
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [\"ReadWriteOnce\"]
      resources:
        requests:
          storage: 1Gi
```

```console
$ kubectl apply -f web.yaml
service/nginx created
statefulset.apps/web created
$ kubectl get pods
NAME    READY   STATUS    RESTARTS   AGE
web-0   1/1     Running   0          10s
$ kubectl get namespace default -o name
namespace/default
```
";

struct StandIn {
    dir: tempfile::TempDir,
}

impl StandIn {
    fn new() -> StandIn {
        let dir = tempfile::tempdir().expect("temp dir");
        let script = dir.path().join("kubectl");
        std::fs::write(&script, STAND_IN).expect("write stand-in");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        std::fs::write(dir.path().join("doc.md"), DOC).expect("write doc");
        StandIn { dir }
    }

    fn replay(&self, odd: bool) -> Out {
        let mut c = Command::new(bin());
        c.args(["replay", "--kubectl", "./kubectl", "--context", "demo", "--converge-timeout", "5", "doc.md"])
            .current_dir(self.dir.path())
            .env_remove("KSTATE_HOME")
            .env("KSTATE_NOW", "2026-11-27T09:00:00Z")
            .env("KSTATE_SEED", "7")
            .env("KSTATE", bin())
            .env("STANDIN_DIR", self.dir.path());
        if odd {
            c.env("STANDIN_ODD", "1");
        } else {
            c.env_remove("STANDIN_ODD");
        }
        let o = c.output().expect("run kstate replay");
        Out {
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            code: o.status.code().unwrap_or(-1),
        }
    }

    fn calls(&self) -> Vec<String> {
        let text = std::fs::read_to_string(self.dir.path().join("calls")).unwrap_or_default();
        text.lines().map(String::from).collect()
    }
}

#[test]
fn a_document_verified_on_kstate_and_a_cluster_waits_and_cleans_up() {
    let s = StandIn::new();
    let o = s.replay(false);
    assert_eq!(
        o.stdout,
        "replay doc.md
  line 46   ok       kubectl apply -f web.yaml
  line 49   ok       kubectl get pods
  line 52   ok       kubectl get namespace default -o name

replay doc.md on kubectl (context demo)
  line 46   ok       kubectl apply -f web.yaml
  line 49   ok       kubectl get pods
                     note: ran 2 times while the cluster converged
  line 52   ok       kubectl get namespace default -o name
  cleanup: deleted statefulset.apps/web
  cleanup: deleted service/nginx
  cleanup: deleted persistentvolumeclaim/www-web-0 in default

kstate and kubectl (context demo) agree on every command

+----------+------------------------+----+-------+--------+---------+--------+
| document | target                 | ok | drift | failed | skipped | result |
+============================================================================+
| doc.md   | kstate                 | 3  | 0     | 0      | 0       | passed |
| doc.md   | kubectl (context demo) | 3  | 0     | 0      | 0       | passed |
| total    |                        | 6  | 0     | 0      | 0       | passed |
+----------+------------------------+----+-------+--------+---------+--------+
passed: 6 command(s) in 1 document(s): 6 ok, 0 drift, 0 failed, 0 skipped
verified on kstate and on kubectl (context demo)
"
    );
    assert_eq!((o.code, o.stderr.as_str()), (0, ""));
    let claims = "--context demo get persistentvolumeclaims -A -o jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{\"\\n\"}{end}";
    assert_eq!(
        s.calls(),
        [
            "--context demo get nodes -o name",
            claims,
            "--context demo apply -f web.yaml",
            "--context demo get pods",
            "--context demo get pods",
            "--context demo get namespace default -o name",
            "--context demo delete statefulset.apps/web --ignore-not-found --wait=false",
            "--context demo delete service/nginx --ignore-not-found --wait=false",
            claims,
            "--context demo delete persistentvolumeclaim/www-web-0 -n default --ignore-not-found --wait=false",
        ]
    );
}

#[test]
fn the_report_says_which_steps_differ() {
    let s = StandIn::new();
    let o = s.replay(true);
    assert_eq!(o.code, 1, "{}", o.stdout);
    let from = o.stdout.find("kstate and kubectl").expect("versus section");
    let to = o.stdout.find("+---").expect("table");
    assert_eq!(
        &o.stdout[from..to],
        "kstate and kubectl (context demo) differ:
  doc.md line 52: kstate ok, cluster failed: kubectl get namespace default -o name
      line 52: kstate shows `namespace/default`, the cluster printed `Error from server (NotFound): namespaces \"default\" not found`
      kstate exited with 0, the cluster's kubectl with 1

"
    );
    assert!(o.stdout.ends_with("not verified: passed on kstate, failed on kubectl (context demo)\n"), "{}", o.stdout);
}

#[test]
fn context_without_kubectl_is_refused() {
    let o = Command::new(bin()).args(["replay", "--context", "x", "doc.md"]).output().expect("run");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "error: --context names a real cluster's context; give --kubectl too\n"
    );
}

/// What the end-to-end run needs: the real kubectl, python3 and the oracle.
fn oracle_setup() -> Option<(String, std::path::PathBuf)> {
    let oracle = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/kubectl-oracle.py");
    let has = |p: &str| Command::new(p).arg("--help").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok();
    (oracle.exists() && has("kubectl") && has("python3")).then(|| ("kubectl".to_string(), oracle))
}

const READS: &str = "```console
$ kubectl get pod web -o name
pod/web
$ kubectl get pod web --template '{{.spec.nodeName}}'
ip-10-0-1-5.ec2.internal
$ kubectl get namespace default -o jsonpath='{.status.phase}'
Active
$ kubectl describe namespace default
Name:         default
Labels:       kubernetes.io/metadata.name=default
Annotations:  <none>
Status:       Active

No resource quota.

No LimitRange resource.
```
";

/// End to end: the real kubectl reads a kstate cluster served by the oracle (read-only, so the
/// document only reads). Run with `cargo test --test cli replay_kubectl`; skipped where kubectl,
/// python3 or ../shared/tools/kubectl-oracle.py are absent.
#[test]
fn end_to_end_with_the_real_kubectl_against_a_served_cluster() {
    let Some((kubectl, oracle)) = oracle_setup() else {
        eprintln!("skipped: needs kubectl, python3 and ../shared/tools/kubectl-oracle.py");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("state");
    let ks = |args: &[&str]| {
        let o = Command::new(bin()).args(args).env("KSTATE_HOME", &state).output().expect("kstate");
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        o.stdout
    };
    ks(&["run", "web", "--image=nginx"]);
    let mut lists = Vec::new();
    for kind in ["namespaces", "nodes", "pods", "persistentvolumeclaims"] {
        let p = dir.path().join(format!("{kind}.json"));
        std::fs::write(&p, ks(&["get", kind, "-A", "-o", "json"])).expect("dump");
        lists.push(p);
    }
    let all = dir.path().join("all.json");
    let merged = Command::new("python3").arg(&oracle).arg("--merge").arg(&all).args(&lists).status().expect("merge");
    assert!(merged.success());
    let mut server = Command::new("python3")
        .arg(&oracle)
        .arg("0")
        .arg(&all)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the oracle");
    let mut first = String::new();
    let stdout = server.stdout.take().expect("oracle stdout");
    BufReader::new(stdout).read_line(&mut first).expect("oracle's first line");
    let url = first.trim().trim_start_matches("listening on ").to_string();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!("apiVersion: v1\nkind: Config\nclusters: [{{name: o, cluster: {{server: \"{url}\"}}}}]\ncontexts: [{{name: oracle, context: {{cluster: o, user: u, namespace: default}}}}]\ncurrent-context: oracle\nusers: [{{name: u, user: {{}}}}]\n"),
    )
    .expect("kubeconfig");
    std::fs::write(dir.path().join("reads.md"), READS).expect("doc");
    let o = Command::new(bin())
        .args(["replay", "--state-dir", "state", "--kubectl", &kubectl, "--context", "oracle", "reads.md"])
        .current_dir(dir.path())
        .env("KUBECONFIG", &kubeconfig)
        .env("HOME", dir.path())
        .env_remove("KSTATE_HOME")
        .output()
        .expect("replay");
    let _ = server.kill();
    let _ = server.wait();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("kstate and kubectl (context oracle) agree on every command\n"), "{stdout}");
    assert!(stdout.ends_with("verified on kstate and on kubectl (context oracle)\n"), "{stdout}");
}
