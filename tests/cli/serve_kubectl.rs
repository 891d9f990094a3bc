//! The protocol checks S1–S24 of serve-protocol.md §6 with the real kubectl v1.32 against
//! `kstate serve`; skipped, saying so, where no kubectl v1.32 is installed.

use std::path::PathBuf;
use std::process::Command;

use crate::harness::{assert_text, Cluster};
use crate::serve::{Server, WEB};

/// The real kubectl v1.32: `$KUBECTL_1_32`, the Cloud SDK's `kubectl.1.32`, or `kubectl` on PATH.
pub fn kubectl() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("KUBECTL_1_32").map(PathBuf::from),
        Some(PathBuf::from("/usr/lib/google-cloud-sdk/bin/kubectl.1.32")),
        Some(PathBuf::from("kubectl")),
    ];
    candidates.into_iter().flatten().find(|k| {
        Command::new(k)
            .args(["version", "--client"])
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("v1.32."))
    })
}

pub struct Kubectl<'a> {
    pub bin: PathBuf,
    pub server: &'a Server,
    pub cluster: &'a Cluster,
}

impl Kubectl<'_> {
    pub fn run(&self, args: &[&str], stdin: &str) -> (String, String, i32) {
        use std::io::Write;
        let mut child = Command::new(&self.bin)
            .args(args)
            .current_dir(self.cluster.path_of(""))
            .env("KUBECONFIG", &self.server.kubeconfig)
            .env("HOME", self.cluster.path_of(""))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn kubectl");
        if let Some(mut i) = child.stdin.take() {
            let _ = i.write_all(stdin.as_bytes());
        }
        let o = child.wait_with_output().expect("kubectl");
        (
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
            o.status.code().unwrap_or(-1),
        )
    }

    /// kubectl under `timeout SECONDS`, running in the background.
    fn spawn(&self, args: &[&str], seconds: u32) -> std::process::Child {
        Command::new("timeout")
            .arg(seconds.to_string())
            .arg(&self.bin)
            .args(args)
            .env("KUBECONFIG", &self.server.kubeconfig)
            .env("HOME", self.cluster.path_of(""))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn kubectl")
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let (out, err, code) = self.run(args, "");
        assert_eq!(code, 0, "kubectl {args:?}: {out}{err}");
        out
    }
}

/// Waits for a `timeout`-wrapped kubectl: its stdout and exit code (124 when it was still running).
fn finish(child: std::process::Child) -> (String, i32) {
    let o = child.wait_with_output().expect("kubectl");
    (String::from_utf8_lossy(&o.stdout).into_owned(), o.status.code().unwrap_or(-1))
}

#[test]
fn real_kubectl_drives_kstate_serve() {
    let Some(bin) = kubectl() else {
        crate::serve::skipped("real_kubectl_drives_kstate_serve: no kubectl v1.32 installed (set KUBECTL_1_32)");
        return;
    };
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let k = Kubectl { bin, server: &server, cluster: &cluster };
    let web = cluster.file("web.yaml", WEB);

    // S1, S2
    assert!(k.ok(&["version", "-o", "json"]).contains("\"gitVersion\": \"v1.32.1\""));
    // kubectl's api-resources from served discovery is the CLI's table.
    assert_text(&k.ok(&["api-resources"]), &cluster.ok(&["api-resources"]));
    // S3, S4: validation on, left to the server through OpenAPI v3.
    assert_text(&k.ok(&["create", "-f", &web]), "service/nginx created\nstatefulset.apps/web created\n");
    let (_, err, code) = k.run(&["create", "-f", &web], "");
    assert_eq!(code, 1);
    assert_text(&err, &format!("Error from server (AlreadyExists): error when creating \"{web}\": services \"nginx\" already exists\nError from server (AlreadyExists): error when creating \"{web}\": statefulsets.apps \"web\" already exists\n"));
    // S5, S6, S7: the same bytes as the CLI (the clock is frozen, so ages agree).
    for args in [
        &["get", "pods"][..],
        &["get", "sts"],
        &["get", "pods", "-o", "wide"],
        &["get", "pods", "--show-labels"],
        &["get", "all"],
        &["get", "sts", "web", "-o", "yaml"],
        &["get", "sts", "web", "-o", "json"],
    ] {
        assert_text(&k.ok(args), &cluster.ok(args));
    }
    // kubectl's describe ages events with its own (real) clock, so compare up to the events.
    let upto_events = |s: String| s.split("Events:").next().unwrap_or_default().to_string();
    assert_text(&upto_events(k.ok(&["describe", "sts", "web"])), &upto_events(cluster.ok(&["describe", "sts", "web"])));
    // S8
    assert_text(&k.ok(&["scale", "sts", "web", "--replicas=3"]), "statefulset.apps/web scaled\n");
    assert_text(
        &k.ok(&["rollout", "status", "sts/web", "--timeout=60s"]),
        "partitioned roll out complete: 3 new pods have been updated...\n",
    );
    // S9, S10: a write by the CLI (another process) reaches kubectl's watches.
    let pods = k.spawn(&["get", "pods", "-w"], 5);
    let sts = k.spawn(&["get", "sts", "web", "-w", "--output-watch-events"], 5);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    cluster.ok(&["scale", "sts", "web", "--replicas=4"]);
    let (out, code) = finish(pods);
    assert_eq!(code, 124, "the watch stays open until killed");
    assert_eq!(out.matches("NAME").count(), 1, "{out}");
    assert!(out.lines().any(|l| l.starts_with("web-3 ")), "{out}");
    let (out, _) = finish(sts);
    let events: Vec<&str> = out
        .lines()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>())
        .map(|c| match c[..] {
            [e, ..] => e,
            _ => "",
        })
        .collect();
    assert_eq!(events, ["EVENT", "ADDED", "MODIFIED"], "{out}");
    // S21: logs are the CLI's; `-f` stays open.
    assert_text(&k.ok(&["logs", "web-0"]), &cluster.ok(&["logs", "web-0"]));
    assert_eq!(finish(k.spawn(&["logs", "-f", "web-0"], 2)).1, 124);
    // S11
    let patch = |args: &[&str]| k.ok(&[&["patch", "sts", "web"][..], args].concat());
    assert_text(&patch(&["-p", r#"{"spec":{"replicas":2}}"#]), "statefulset.apps/web patched\n");
    assert_text(&patch(&["-p", r#"{"spec":{"replicas":2}}"#]), "statefulset.apps/web patched (no change)\n");
    assert_text(
        &patch(&["--type=merge", "-p", r#"{"metadata":{"labels":{"x":"y"}}}"#]),
        "statefulset.apps/web patched\n",
    );
    // S12, S13
    assert_text(&k.ok(&["apply", "-f", &web]), "service/nginx configured\nstatefulset.apps/web configured\n");
    assert_text(&k.ok(&["apply", "-f", &web]), "service/nginx unchanged\nstatefulset.apps/web unchanged\n");
    assert_text(
        &k.ok(&["apply", "--server-side", "-f", &web]),
        "service/nginx serverside-applied\nstatefulset.apps/web serverside-applied\n",
    );
    // S14
    assert_text(&k.ok(&["set", "image", "sts/web", "nginx=nginx:1.27"]), "statefulset.apps/web image updated\n");
    assert_text(
        &k.ok(&["rollout", "history", "sts/web"]),
        "statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n",
    );
    assert_text(&k.ok(&["rollout", "undo", "sts/web"]), "statefulset.apps/web rolled back\n");
    let (_, err, code) = k.run(&["rollout", "undo", "sts/web", "--to-revision=9"], "");
    assert_eq!((err.as_str(), code), ("error: unable to find specified revision 9 in history\n", 1));
    // S15, S16
    assert_text(&k.ok(&["delete", "pod", "web-0"]), "pod \"web-0\" deleted\n");
    assert_text(&k.ok(&["wait", "--for=condition=Ready", "pod/web-0", "--timeout=60s"]), "pod/web-0 condition met\n");
    let (_, err, code) = k.run(&["wait", "--for=condition=Ready", "pod/nope", "--timeout=2s"], "");
    assert_eq!((err.as_str(), code), ("Error from server (NotFound): pods \"nope\" not found\n", 1));
    // S17, S18, S19, S24: exec over WebSocket v5.
    let (out, err, code) = k.run(&["exec", "web-0", "--", "sh", "-c", "echo hi; exit 3"], "");
    assert_eq!((out.as_str(), err.as_str(), code), ("hi\n", "command terminated with exit code 3\n", 3));
    k.run(&["exec", "-i", "web-1", "--", "sh", "-c", "cat > /tmp/f"], "x\n");
    assert_text(&k.ok(&["exec", "web-1", "--", "cat", "/tmp/f"]), "x\n");
    assert_text(&cluster.ok(&["exec", "web-1", "--", "cat", "/tmp/f"]), "x\n");
    let (_, err, code) = k.run(&["exec", "nope", "--", "true"], "");
    assert_eq!((err.as_str(), code), ("Error from server (NotFound): pods \"nope\" not found\n", 1));
    // S20: `kubectl cp` runs `tar -xmf - -C DIR` and `tar cf - PATH` in the container.
    let local = cluster.file("local.txt", "hello from the host\nline 2\n");
    k.ok(&["cp", &local, "web-0:/tmp/local.txt"]);
    assert_text(&cluster.ok(&["exec", "web-0", "--", "cat", "/tmp/local.txt"]), "hello from the host\nline 2\n");
    let (out, _, code) = k.run(&["cp", "web-0:/tmp/local.txt", "back.txt"], "");
    assert_eq!(code, 0, "{out}");
    let back = std::fs::read(cluster.path_of("back.txt")).expect("back.txt");
    assert_eq!(back, b"hello from the host\nline 2\n");
    std::fs::create_dir_all(cluster.path_of("tree/sub")).expect("mkdir");
    std::fs::write(cluster.path_of("tree/sub/a"), "a\n").expect("write");
    k.ok(&["cp", "tree", "web-1:/tmp/tree"]);
    assert_text(
        &cluster.ok(&["exec", "web-1", "--", "find", "/tmp/tree"]),
        "/tmp/tree\n/tmp/tree/sub\n/tmp/tree/sub/a\n",
    );
    k.ok(&["cp", "web-1:/tmp/tree", "tree2"]);
    assert_eq!(std::fs::read(cluster.path_of("tree2/sub/a")).expect("tree2/sub/a"), b"a\n");
    // S22: explain from the served OpenAPI v3.
    assert!(k
        .ok(&["explain", "sts.spec.replicas"])
        .starts_with("GROUP:      apps\nKIND:       StatefulSet\nVERSION:    v1\n\nFIELD: replicas <integer>\n"));
    let (_, err, code) = k.run(&["explain", "sts.spec.nope"], "");
    assert_eq!((err.as_str(), code), ("error: field \"nope\" does not exist\n", 1));
    // S24: SPDY is refused with a message naming WebSocket v5.
    let spdy = Command::new(&k.bin)
        .args(["exec", "web-0", "--", "true"])
        .env("KUBECONFIG", &server.kubeconfig)
        .env("HOME", cluster.path_of(""))
        .env("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false")
        .output()
        .expect("kubectl");
    assert_eq!(spdy.status.code(), Some(1));
    assert_text(
        &String::from_utf8_lossy(&spdy.stderr),
        "Error from server (BadRequest): kstate serve supports exec over WebSocket (v5.channel.k8s.io) only\n",
    );
    // S23
    assert_text(&k.ok(&["delete", "sts", "web"]), "statefulset.apps \"web\" deleted\n");
    let (_, err, _) = k.run(&["get", "pods"], "");
    assert_text(&err, "No resources found in default namespace.\n");
    // kubectl's generators send protobuf bodies.
    for (args, out) in [
        (&["create", "deployment", "d1", "--image=nginx", "--replicas=2"][..], "deployment.apps/d1 created\n"),
        (&["create", "configmap", "c1", "--from-literal=a=b"], "configmap/c1 created\n"),
        (&["create", "namespace", "n1"], "namespace/n1 created\n"),
        (
            &["create", "pdb", "p1", "--selector=app=nginx", "--min-available=1"],
            "poddisruptionbudget.policy/p1 created\n",
        ),
    ] {
        assert_text(&k.ok(args), out);
    }
    assert_text(&k.ok(&["get", "deploy", "d1"]), &cluster.ok(&["get", "deploy", "d1"]));
    assert_text(&cluster.ok(&["get", "cm", "c1", "-o", "jsonpath={.data.a}"]), "b");
    assert!(server.stop());
}

#[test]
fn real_kubectl_creates_accounts_quotas_and_tokens() {
    let Some(bin) = kubectl() else {
        crate::serve::skipped("real_kubectl_creates_accounts_quotas_and_tokens: no kubectl v1.32 installed");
        return;
    };
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let k = Kubectl { bin, server: &server, cluster: &cluster };
    // Its typed clients send protobuf bodies; the token is the TokenRequest subresource.
    assert_text(&k.ok(&["create", "serviceaccount", "robot"]), "serviceaccount/robot created\n");
    assert_text(&k.ok(&["create", "quota", "q", "--hard=pods=1"]), "resourcequota/q created\n");
    assert_text(&k.ok(&["describe", "sa", "robot"]), &cluster.ok(&["describe", "sa", "robot"]));
    assert_text(&k.ok(&["get", "quota"]), &cluster.ok(&["get", "quota"]));
    let token = k.ok(&["create", "token", "robot"]);
    assert_eq!(token.split('.').count(), 3, "{token}");
    let (_, err, code) = k.run(&["create", "token", "robot", "--duration=1m"], "");
    assert_eq!(code, 1);
    assert_text(&err, "error: failed to create token: TokenRequest.authentication.k8s.io \"robot\" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes\n");
}

#[test]
fn real_kubectl_autoscales_through_autoscaling_v1() {
    let Some(bin) = kubectl() else {
        crate::serve::skipped("real_kubectl_autoscales_through_autoscaling_v1: no kubectl v1.32 installed");
        return;
    };
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let k = Kubectl { bin, server: &server, cluster: &cluster };
    k.ok(&["create", "deployment", "web", "--image=nginx"]);
    // kubectl v1.32 POSTs an autoscaling/v1 object (protobuf) and prints the v1 answer; it is
    // stored as the v2 object, what kstate's own `autoscale` makes.
    let printed = k.ok(&["autoscale", "deployment", "web", "--min=2", "--max=5", "--cpu-percent=40", "-o", "yaml"]);
    assert!(printed.starts_with("apiVersion: autoscaling/v1\n"), "{printed}");
    assert!(printed.contains("  targetCPUUtilizationPercentage: 40\n"), "{printed}");
    let stored = "jsonpath={.apiVersion} {.spec.metrics[0].resource.target.averageUtilization} {.metadata.managedFields[*].manager}";
    assert_eq!(cluster.ok(&["get", "hpa", "web", "-o", stored]), "autoscaling/v2 40 kubectl-autoscale");
    assert_text(&k.ok(&["get", "hpa"]), &cluster.ok(&["get", "hpa"]));
}
