//! `kstate serve`: the API over HTTP, checked with a plain HTTP client and a WebSocket client
//! from this crate (serve_kubectl.rs runs the same protocol checks with the real kubectl).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::{assert_text, Cluster};

/// The services and StatefulSet the protocol checks use (apps/v1, as kubectl sends it).
pub const WEB: &str = "apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels: {app: nginx}
spec:
  ports: [{port: 80, name: web}]
  clusterIP: None
  selector: {app: nginx}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
  selector:
    matchLabels: {app: nginx}
  template:
    metadata:
      labels: {app: nginx}
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.21
        ports: [{containerPort: 80, name: web}]
";

/// Says on the terminal that a test skipped its checks (the harness captures `eprintln!`,
/// not direct writes to stderr).
pub fn skipped(why: &str) {
    let _ = writeln!(std::io::stderr(), "SKIPPED {why}");
}

/// A running `kstate serve` on a free loopback port, stopped (SIGTERM) when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    pub kubeconfig: String,
}

impl Server {
    /// A server on the cluster's frozen clock.
    pub fn start(cluster: &Cluster) -> Server {
        Server::spawn(cluster, true)
    }

    /// A server on the system clock, so cluster time passes while it serves.
    pub fn start_live(cluster: &Cluster) -> Server {
        Server::spawn(cluster, false)
    }

    /// A server on the cluster's frozen clock, serving HTTPS (`--tls`).
    pub fn start_tls(cluster: &Cluster) -> Server {
        Server::spawn_with(cluster, true, &["--tls"], "listening on https://127.0.0.1:")
    }

    fn spawn(cluster: &Cluster, frozen: bool) -> Server {
        Server::spawn_with(cluster, frozen, &[], "listening on http://127.0.0.1:")
    }

    fn spawn_with(cluster: &Cluster, frozen: bool, extra: &[&str], first_line: &str) -> Server {
        let kubeconfig = cluster.path_of("kubeconfig").to_string_lossy().into_owned();
        let mut args = vec!["serve", "--listen", "127.0.0.1:0", "--write-kubeconfig", &kubeconfig];
        args.extend_from_slice(extra);
        let mut command = cluster.command(&args);
        if !frozen {
            command.env_remove("KSTATE_NOW");
        }
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("spawn kstate serve");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout");
        BufReader::new(stdout).read_line(&mut line).expect("first line");
        let port = line
            .trim()
            .strip_prefix(first_line)
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        Server { child, port, kubeconfig }
    }

    /// Sends SIGTERM and returns whether the server exited 0.
    pub fn stop(mut self) -> bool {
        let pid = self.child.id().to_string();
        let sent = std::process::Command::new("kill").args(["-TERM", &pid]).status().is_ok_and(|s| s.success());
        sent && self.child.wait().is_ok_and(|s| s.success())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One response: status code, Content-Type and body.
pub struct Reply {
    pub code: u16,
    pub content_type: String,
    pub body: String,
    /// The status line and headers.
    pub head: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Sends raw bytes and reads the response until the server closes (`Connection: close`).
pub fn raw(port: u16, request: &[u8]) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    s.write_all(request).expect("send");
    let mut text = Vec::new();
    let _ = s.read_to_end(&mut text);
    let text = String::from_utf8_lossy(&text).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let code = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let content_type = head.lines().find_map(|l| l.strip_prefix("Content-Type: ")).unwrap_or_default().to_string();
    let body = if head.contains("Transfer-Encoding: chunked") { dechunk(body) } else { body.to_string() };
    Reply { code, content_type, body, head: head.to_string() }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    for _ in 0..10_000 {
        let Some((size, rest)) = body.split_once("\r\n") else { break };
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

pub fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    raw(port, req.as_bytes())
}

pub fn get(port: u16, path: &str) -> Reply {
    request(port, "GET", path, &[("Accept", "application/json")], "")
}

const TABLE: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

fn create_web(port: u16) {
    let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "nginx", "labels": {"app": "nginx"}},
                     "spec": {"ports": [{"port": 80, "name": "web"}], "clusterIP": "None", "selector": {"app": "nginx"}}});
    let sts = json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"},
        "spec": {"serviceName": "nginx", "replicas": 2, "selector": {"matchLabels": {"app": "nginx"}},
                 "template": {"metadata": {"labels": {"app": "nginx"}},
                              "spec": {"containers": [{"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.21"}]}}}});
    let r = request(port, "POST", "/api/v1/namespaces/default/services", &[], &svc.to_string());
    assert_eq!(r.code, 201, "{}", r.body);
    let r = request(port, "POST", "/apis/apps/v1/namespaces/default/statefulsets", &[], &sts.to_string());
    assert_eq!(r.code, 201, "{}", r.body);
}

#[test]
fn serves_version_discovery_and_openapi() {
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let p = server.port;
    assert_eq!(get(p, "/version").json()["gitVersion"], "v1.32.1");
    assert_eq!(get(p, "/healthz").body, "ok");
    let agg = request(
        p,
        "GET",
        "/apis",
        &[("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json")],
        "",
    );
    assert_eq!(agg.content_type, "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    let groups: Vec<String> = agg.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        groups,
        [
            "apps",
            "apiextensions.k8s.io",
            "autoscaling",
            "batch",
            "coordination.k8s.io",
            "discovery.k8s.io",
            "networking.k8s.io",
            "policy",
            "rbac.authorization.k8s.io",
            "scheduling.k8s.io",
            "snapshot.storage.k8s.io",
            "storage.k8s.io"
        ]
    );
    // autoscaling/v1 is served beside the preferred v2, so `kubectl get hpa.v1.autoscaling` asks
    // for the v1 form.
    let autoscaling = &agg.json()["items"][2];
    let versions: Vec<&str> =
        autoscaling["versions"].as_array().unwrap().iter().map(|v| v["version"].as_str().unwrap()).collect();
    assert_eq!(versions, ["v2", "v1"]);
    let v1 = get(p, "/apis/autoscaling/v1").json();
    let names: Vec<&str> = v1["resources"].as_array().unwrap().iter().filter_map(|r| r["name"].as_str()).collect();
    assert_eq!(names, ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]);
    let listed = get(p, "/apis").json();
    let group = listed["groups"].as_array().unwrap().iter().find(|g| g["name"] == "autoscaling").unwrap().clone();
    assert_eq!(group["preferredVersion"]["version"], "v2");
    assert_eq!(group["versions"][1]["groupVersion"], "autoscaling/v1");
    assert_eq!(get(p, "/api").json()["versions"], json!(["v1"]));
    let core = get(p, "/api/v1").json();
    let names: Vec<&str> = core["resources"].as_array().unwrap().iter().filter_map(|r| r["name"].as_str()).collect();
    assert!(names.contains(&"pods/exec") && names.contains(&"pods/log"), "{names:?}");
    let index = get(p, "/openapi/v3").json();
    let url = index["paths"]["apis/apps/v1"]["serverRelativeURL"].as_str().unwrap().to_string();
    let doc = get(p, &url).json();
    let patch = &doc["paths"]["/apis/apps/v1/namespaces/{namespace}/statefulsets/{name}"]["patch"];
    assert_eq!(
        patch["x-kubernetes-group-version-kind"],
        json!({"group": "apps", "version": "v1", "kind": "StatefulSet"})
    );
    assert!(patch["parameters"].as_array().unwrap().iter().any(|p| p["name"] == "fieldValidation"));
    assert_eq!(get(p, "/apis/nope/v1").code, 404);
    assert!(server.stop(), "kstate serve must exit 0 on SIGTERM");
}

#[test]
fn tables_and_errors_read_as_kstate_get_does() {
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let p = server.port;
    create_web(p);
    let again = request(
        p,
        "POST",
        "/api/v1/namespaces/default/services",
        &[],
        r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"nginx"},"spec":{"ports":[{"port":80}]}}"#,
    );
    assert_eq!(again.code, 409);
    assert_eq!(again.json()["message"], "services \"nginx\" already exists");
    assert_eq!(again.json()["reason"], "AlreadyExists");
    let missing = get(p, "/apis/apps/v1/namespaces/default/statefulsets/nope");
    assert_eq!((missing.code, missing.json()["message"].clone()), (404, json!("statefulsets.apps \"nope\" not found")));

    let table = request(p, "GET", "/api/v1/namespaces/default/pods?limit=500", &[("Accept", TABLE)], "");
    assert_eq!(table.content_type, "application/json;as=Table;v=v1;g=meta.k8s.io");
    let t = table.json();
    let headers: Vec<&str> = t["columnDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["priority"] == 0)
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(headers, ["Name", "Ready", "Status", "Restarts", "Age"]);
    let mut lines = vec![headers.iter().map(|h| h.to_uppercase()).collect::<Vec<_>>()];
    for row in t["rows"].as_array().unwrap() {
        let cells: Vec<String> =
            row["cells"].as_array().unwrap().iter().take(5).map(|c| c.as_str().unwrap().to_string()).collect();
        lines.push(cells);
    }
    let cli = cluster.ok(&["get", "pods"]);
    let cli_cells: Vec<Vec<String>> =
        cli.lines().map(|l| l.split("   ").map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect()).collect();
    assert_eq!(lines, cli_cells);
    assert_eq!(t["rows"][0]["object"]["kind"], "PartialObjectMetadata");

    let page = get(p, "/api/v1/namespaces/default/pods?limit=1").json();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let token = page["metadata"]["continue"].as_str().unwrap().to_string();
    let rest = get(p, &format!("/api/v1/namespaces/default/pods?limit=1&continue={token}")).json();
    assert_eq!(rest["items"][0]["metadata"]["name"], "web-1");
    let selected = get(p, "/api/v1/namespaces/default/pods?labelSelector=apps.kubernetes.io%2Fpod-index%3D1").json();
    assert_eq!(selected["items"].as_array().unwrap().len(), 1);
}

#[test]
fn writes_patch_scale_and_delete() {
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let p = server.port;
    create_web(p);
    let scale = "/apis/apps/v1/namespaces/default/statefulsets/web/scale";
    let r =
        request(p, "PATCH", scale, &[("Content-Type", "application/merge-patch+json")], r#"{"spec":{"replicas":3}}"#);
    assert_eq!(r.code, 200, "{}", r.body);
    assert_eq!(r.json()["kind"], "Scale");
    assert_eq!(r.json()["spec"]["replicas"], 3);
    assert_text(&cluster.ok(&["get", "sts", "web", "-o", "jsonpath={.status.readyReplicas}"]), "3");
    let live = get(p, "/apis/apps/v1/namespaces/default/statefulsets/web").json();
    let rv = live["metadata"]["resourceVersion"].as_str().unwrap().to_string();
    let noop = request(
        p,
        "PATCH",
        "/apis/apps/v1/namespaces/default/statefulsets/web",
        &[("Content-Type", "application/strategic-merge-patch+json")],
        r#"{"spec":{"replicas":3}}"#,
    );
    assert_eq!(noop.json()["metadata"]["resourceVersion"], rv.as_str(), "a no-op patch keeps the resourceVersion");
    let stale = json!({"apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": {"name": "web", "namespace": "default", "resourceVersion": "1"}, "spec": {"replicas": 1}});
    let conflict = request(p, "PUT", scale, &[], &stale.to_string());
    assert_eq!(conflict.code, 409);
    assert_eq!(conflict.json()["message"], "Operation cannot be fulfilled on statefulsets.apps \"web\": the object has been modified; please apply your changes to the latest version and try again");
    let bad_type = request(p, "PATCH", scale, &[("Content-Type", "text/plain")], "{}");
    assert_eq!(bad_type.code, 415);
    let deleted = request(
        p,
        "DELETE",
        "/apis/apps/v1/namespaces/default/statefulsets/web",
        &[],
        r#"{"propagationPolicy":"Background"}"#,
    );
    assert_eq!((deleted.code, deleted.json()["status"].clone()), (200, json!("Success")));
    assert_eq!(deleted.json()["details"]["kind"], "statefulsets");
    let gone = cluster.run(&["get", "pods"]);
    assert_text(&gone.stderr, "No resources found in default namespace.\n");
}

#[test]
fn malformed_and_oversized_requests_get_status_bodies() {
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let p = server.port;
    let garbage = raw(p, b"GARBAGE\r\n\r\n");
    assert_eq!((garbage.code, garbage.json()["reason"].clone()), (400, json!("BadRequest")));
    let escape = raw(p, b"GET /api/v1/%zz HTTP/1.1\r\n\r\n");
    assert_eq!(escape.code, 400);
    let big = raw(
        p,
        format!(
            "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            3 * 1024 * 1024 + 1
        )
        .as_bytes(),
    );
    assert_eq!(big.code, 413);
    assert_eq!(big.json()["message"], "Request entity too large: limit is 3145728");
    let not_json = request(p, "POST", "/api/v1/namespaces/default/configmaps", &[], "{nope");
    assert_eq!(not_json.code, 400);
    // Still serving after all that.
    assert_eq!(get(p, "/version").code, 200);
}

#[test]
fn watches_start_from_a_resource_version_or_expire() {
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let p = server.port;
    let expired = get(p, "/api/v1/namespaces/default/pods?watch=true&resourceVersion=1");
    assert_eq!(expired.code, 200);
    let event: Value = serde_json::from_str(expired.body.trim()).expect("one event");
    assert_eq!(event["type"], "ERROR");
    assert_eq!((event["object"]["code"].clone(), event["object"]["reason"].clone()), (json!(410), json!("Expired")));
    assert!(event["object"]["message"].as_str().unwrap().starts_with("too old resource version: 1 ("));

    let list = get(p, "/api/v1/namespaces/default/configmaps").json();
    let rv = list["metadata"]["resourceVersion"].as_str().unwrap().to_string();
    let watcher = std::thread::spawn(move || {
        get(p, &format!("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={rv}&timeoutSeconds=3"))
    });
    std::thread::sleep(Duration::from_millis(500));
    // A write by another process (the CLI) reaches the server's watchers.
    cluster.ok(&["create", "configmap", "from-cli"]);
    let events: Vec<Value> = watcher.join().unwrap().body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let seen: Vec<(String, String)> = events
        .iter()
        .map(|e| {
            (e["type"].as_str().unwrap().to_string(), e["object"]["metadata"]["name"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(seen, [("ADDED".to_string(), "from-cli".to_string())]);

    let initial = get(p, "/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1");
    let kinds: Vec<String> = initial
        .body
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["ADDED", "ADDED", "BOOKMARK"], "kube-root-ca.crt, from-cli, then the end bookmark");
}

/// A v5 exec session on pod web-0 with the given query.
fn exec_socket(port: u16, query: &str) -> tungstenite::WebSocket<TcpStream> {
    use tungstenite::client::IntoClientRequest;
    let url = format!("ws://127.0.0.1:{port}/api/v1/namespaces/default/pods/web-0/exec?{query}");
    let mut req = url.into_client_request().unwrap();
    req.headers_mut().insert("Sec-WebSocket-Protocol", "v5.channel.k8s.io".parse().unwrap());
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let (ws, resp) = tungstenite::client(req, stream).expect("upgrade");
    assert_eq!(resp.headers()["sec-websocket-protocol"], "v5.channel.k8s.io");
    ws
}

/// Reads frames until the close: the data per channel in order, and the close code.
fn frames_until_close(ws: &mut tungstenite::WebSocket<TcpStream>) -> (Vec<(u8, String)>, Option<u16>) {
    use tungstenite::Message;
    let mut frames = Vec::new();
    for _ in 0..256 {
        match ws.read() {
            Ok(Message::Binary(b)) if !b.is_empty() => {
                frames.push((b[0], String::from_utf8_lossy(&b[1..]).into_owned()))
            }
            Ok(Message::Close(c)) => return (frames, c.map(|c| u16::from(c.code))),
            Ok(_) => {}
            Err(_) => break,
        }
    }
    (frames, None)
}

#[test]
fn exec_with_a_terminal_is_the_clis_interactive_shell_session() {
    use tungstenite::Message;
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    create_web(server.port);
    let mut ws = exec_socket(server.port, "command=sh&stdin=true&stdout=true&tty=true");
    // The CLI's interactive session: variables and the working directory live between lines, and
    // an unfinished command gets the `> ` continuation prompt.
    for keys in ["echo hi\r", "X=5; cd /tmp\r", "echo $X $PWD\r", "if true; then\r", "echo yes; fi\r", "exit 2\r"] {
        let mut frame = vec![0u8];
        frame.extend_from_slice(keys.as_bytes());
        ws.send(Message::Binary(frame.into())).unwrap();
    }
    let (frames, close) = frames_until_close(&mut ws);
    let screen: String = frames.iter().filter(|(c, _)| *c == 1).map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        screen,
        "# echo hi\r\nhi\r\n# X=5; cd /tmp\r\n# echo $X $PWD\r\n5 /tmp\r\n# if true; then\r\n> echo yes; fi\r\nyes\r\n# exit 2\r\n"
    );
    let status: Value = serde_json::from_str(&frames.last().unwrap().1).unwrap();
    assert_eq!(status["details"]["causes"][0]["message"], "2");
    assert_eq!(close, Some(1000));
}

#[test]
fn exec_over_websocket_v5_sends_output_and_exit_code() {
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    create_web(server.port);
    let mut ws =
        exec_socket(server.port, "command=sh&command=-c&command=echo%20hi%3B%20exit%203&stdout=true&stderr=true");
    let (frames, close) = frames_until_close(&mut ws);
    assert_eq!(frames[0], (1, "hi\n".to_string()));
    let status: Value = serde_json::from_str(&frames[1].1).unwrap();
    assert_eq!(frames[1].0, 3);
    assert_eq!(status["details"]["causes"][0], json!({"reason": "ExitCode", "message": "3"}));
    assert_eq!(close, Some(1000));

    let spdy = request(
        server.port,
        "POST",
        "/api/v1/namespaces/default/pods/web-0/exec?command=true",
        &[("Upgrade", "SPDY/3.1"), ("Connection", "Upgrade")],
        "",
    );
    assert_eq!(spdy.code, 400);
    assert_eq!(spdy.json()["message"], "kstate serve supports exec over WebSocket (v5.channel.k8s.io) only");
}

#[test]
fn cluster_time_runs_while_serving_and_logs_follow_it() {
    let cluster = Cluster::new();
    let server = Server::start_live(&cluster);
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "ticker"},
        "spec": {"containers": [{"name": "ticker", "image": "busybox",
                 "command": ["sh", "-c", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done"]}]}});
    let r = request(server.port, "POST", "/api/v1/namespaces/default/pods", &[], &pod.to_string());
    assert_eq!(r.code, 201, "{}", r.body);
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_millis(500))).expect("timeout");
    s.write_all(b"GET /api/v1/namespaces/default/pods/ticker/log?follow=true HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("send");
    let mut got = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    let mut buf = [0u8; 4096];
    while std::time::Instant::now() < deadline && !String::from_utf8_lossy(&got).contains("tick 3") {
        if let Ok(n) = s.read(&mut buf) {
            got.extend_from_slice(&buf[..n]);
        }
    }
    let text = String::from_utf8_lossy(&got);
    let (_, body) = text.split_once("\r\n\r\n").expect("a response head");
    let lines: Vec<&str> = dechunk_partial(body);
    assert_eq!(&lines[..3], ["tick 1", "tick 2", "tick 3"], "the followed log grows as cluster time passes");
}

/// The lines of a chunked body that is still open.
fn dechunk_partial(body: &str) -> Vec<&str> {
    body.split("\r\n").filter(|l| l.starts_with("tick")).flat_map(|l| l.lines()).collect()
}

#[test]
fn dry_runs_change_nothing_and_collections_delete_by_selector() {
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let p = server.port;
    let cm = |name: &str, app: &str| {
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": {"app": app}}}).to_string()
    };
    let dry = request(p, "POST", "/api/v1/namespaces/default/configmaps?dryRun=All", &[], &cm("dry", "a"));
    assert_eq!((dry.code, dry.json()["metadata"]["name"].clone()), (201, json!("dry")));
    assert_eq!(get(p, "/api/v1/namespaces/default/configmaps/dry").code, 404);
    for (name, app) in [("a1", "a"), ("a2", "a"), ("b1", "b")] {
        assert_eq!(request(p, "POST", "/api/v1/namespaces/default/configmaps", &[], &cm(name, app)).code, 201);
    }
    let gone = request(p, "DELETE", "/api/v1/namespaces/default/configmaps?labelSelector=app%3Da", &[], "");
    let names: Vec<String> = gone.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["metadata"]["name"].as_str().map(String::from))
        .collect();
    assert_eq!(names, ["a1", "a2"]);
    assert_text(&cluster.ok(&["get", "cm", "-l", "app", "-o", "name"]), "configmap/b1\n");
}

#[test]
fn a_label_change_moves_objects_into_and_out_of_a_selected_watch() {
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let p = server.port;
    cluster.ok(&["create", "configmap", "c"]);
    let rv = get(p, "/api/v1/namespaces/default/configmaps").json()["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string();
    let watcher = std::thread::spawn(move || {
        get(p, &format!("/api/v1/namespaces/default/configmaps?watch=true&labelSelector=tier%3Dweb&resourceVersion={rv}&timeoutSeconds=3"))
    });
    std::thread::sleep(Duration::from_millis(400));
    cluster.ok(&["label", "cm", "c", "tier=web"]);
    std::thread::sleep(Duration::from_millis(400));
    cluster.ok(&["label", "cm", "c", "tier=db", "--overwrite"]);
    let types: Vec<String> = watcher
        .join()
        .unwrap()
        .body
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(types, ["ADDED", "DELETED"]);
}

#[test]
fn eviction_respects_disruption_budgets() {
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let p = server.port;
    create_web(p);
    let pdb = json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "web"},
                     "spec": {"minAvailable": 2, "selector": {"matchLabels": {"app": "nginx"}}}});
    let created = request(p, "POST", "/apis/policy/v1/namespaces/default/poddisruptionbudgets", &[], &pdb.to_string());
    assert_eq!(created.code, 201, "{}", created.body);
    let eviction =
        json!({"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "web-0", "namespace": "default"}})
            .to_string();
    let path = "/api/v1/namespaces/default/pods/web-0/eviction";
    let blocked = request(p, "POST", path, &[], &eviction);
    assert_eq!(blocked.code, 429);
    assert_eq!(blocked.json()["message"], "Cannot evict pod as it would violate the pod's disruption budget.");
    cluster.ok(&["delete", "pdb", "web"]);
    let evicted = request(p, "POST", path, &[], &eviction);
    assert_eq!((evicted.code, evicted.json()["status"].clone()), (201, json!("Success")));
}

/// kubectl's `delete --dry-run=server` sends `dryRun: ["All"]` in the DeleteOptions body, not in
/// the query: the object must stay.
#[test]
fn a_delete_with_dry_run_in_its_body_deletes_nothing() {
    let cluster = Cluster::new();
    cluster.ok(&["create", "configmap", "keep", "--from-literal=a=b"]);
    let server = Server::start(&cluster);
    let p = server.port;
    let options = json!({"kind": "DeleteOptions", "apiVersion": "v1", "dryRun": ["All"]}).to_string();
    let dry = request(p, "DELETE", "/api/v1/namespaces/default/configmaps/keep", &[], &options);
    assert_eq!(dry.code, 200);
    assert_eq!(get(p, "/api/v1/namespaces/default/configmaps/keep").code, 200);
    let all = request(p, "DELETE", "/api/v1/namespaces/default/configmaps", &[], &options);
    assert_eq!(all.code, 200);
    assert_text(&cluster.ok(&["get", "cm", "keep", "-o", "name"]), "configmap/keep\n");
}

#[test]
fn writes_record_the_field_manager_kubectl_names() {
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let p = server.port;
    let managers = |name: &str| cluster.ok(&["get", "cm", name, "-o", "jsonpath={.metadata.managedFields[*].manager}"]);
    // (A manager that sets no field, as of a bare ConfigMap, gets no entry.)
    let cm = |name: &str| {
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"a": "b"}}).to_string()
    };
    let path = "/api/v1/namespaces/default/configmaps";
    let r = request(p, "POST", &format!("{path}?fieldManager=kubectl-create"), &[], &cm("a"));
    assert_eq!(r.code, 201, "{}", r.body);
    assert_eq!(managers("a"), "kubectl-create");
    // Without fieldManager the API server names the manager after the User-Agent's product.
    let r = request(p, "POST", path, &[("User-Agent", "kubectl/v1.32.4 (linux/amd64) kubernetes/abc")], &cm("b"));
    assert_eq!(r.code, 201, "{}", r.body);
    assert_eq!(managers("b"), "kubectl");
    let patch = r#"{"data":{"k":"v"}}"#;
    let merge = [("Content-Type", "application/merge-patch+json")];
    let r = request(p, "PATCH", &format!("{path}/a?fieldManager=kubectl-patch"), &merge, patch);
    assert_eq!(r.code, 200, "{}", r.body);
    assert_eq!(managers("a"), "kubectl-create kubectl-patch");
}
