//! `kubectl attach` through `kstate serve`: the container's output from the moment of attaching
//! as cluster time passes, and an interactive shell for a container with `stdin` and `tty`.
//! With a WebSocket client from the test crate, and with the real kubectl where installed.

use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::json;
use tungstenite::Message;

use crate::harness::Cluster;
use crate::serve::{request, Server};
use crate::serve_kubectl::{kubectl, Kubectl};

const TICKER: &str = "i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done";

fn create_pod(port: u16, pod: serde_json::Value) {
    let r = request(port, "POST", "/api/v1/namespaces/default/pods", &[], &pod.to_string());
    assert_eq!(r.code, 201, "{}", r.body);
}

fn ticker(port: u16) {
    create_pod(
        port,
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "ticker"},
               "spec": {"containers": [{"name": "ticker", "image": "busybox", "command": ["sh", "-c", TICKER]}]}}),
    );
}

fn attach_socket(port: u16, pod: &str, query: &str) -> tungstenite::WebSocket<TcpStream> {
    use tungstenite::client::IntoClientRequest;
    let url = format!("ws://127.0.0.1:{port}/api/v1/namespaces/default/pods/{pod}/attach?{query}");
    let mut req = url.into_client_request().expect("request");
    req.headers_mut().insert("Sec-WebSocket-Protocol", "v5.channel.k8s.io".parse().expect("header"));
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    let (ws, resp) = tungstenite::client(req, stream).expect("upgrade");
    assert_eq!(resp.headers()["sec-websocket-protocol"], "v5.channel.k8s.io");
    ws
}

/// The tick numbers in `text`.
fn ticks(text: &str) -> Vec<u32> {
    text.lines().filter_map(|l| l.strip_prefix("tick ")).filter_map(|n| n.trim().parse().ok()).collect()
}

#[test]
fn attach_streams_output_from_now_on() {
    let cluster = Cluster::new();
    let server = Server::start_live(&cluster);
    ticker(server.port);
    // Let the log have a few lines before attaching.
    std::thread::sleep(Duration::from_millis(2500));
    let logged = ticks(&cluster.ok(&["logs", "ticker"]));
    let mut ws = attach_socket(server.port, "ticker", "container=ticker&stdout=true&stderr=true");
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline && ticks(&seen).len() < 2 {
        if let Ok(Message::Binary(b)) = ws.read() {
            assert_eq!(b.first(), Some(&1), "output on the stdout channel");
            seen.push_str(&String::from_utf8_lossy(&b[1..]));
        }
    }
    let got = ticks(&seen);
    assert!(got.len() >= 2, "two ticks while attached: {seen:?}");
    assert!(got[0] > *logged.first().unwrap_or(&0), "only what is written after attaching: {got:?} after {logged:?}");
    assert_eq!(got[1], got[0] + 1, "{got:?}");
    let _ = ws.close(None);

    let missing = request(server.port, "GET", "/api/v1/namespaces/default/pods/nope/attach?stdout=true", &[], "");
    assert_eq!((missing.code, missing.json()["message"].clone()), (404, json!("pods \"nope\" not found")));
    let spdy = request(
        server.port,
        "POST",
        "/api/v1/namespaces/default/pods/ticker/attach?stdout=true",
        &[("Upgrade", "SPDY/3.1"), ("Connection", "Upgrade")],
        "",
    );
    assert_eq!(spdy.code, 400);
    assert_eq!(spdy.json()["message"], "kstate serve supports attach over WebSocket (v5.channel.k8s.io) only");
    let forward = request(server.port, "POST", "/api/v1/namespaces/default/pods/ticker/portforward?ports=80", &[], "");
    assert_eq!((forward.code, forward.json()["message"].clone()), (400, json!(PORTFORWARD)));
}

const PORTFORWARD: &str = "kstate serve does not serve port-forward (portforward.k8s.io); reach the pod's simulated servers with kstate exec (wget, curl)";

#[test]
fn attach_to_a_shell_with_stdin_and_tty_is_interactive() {
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    create_pod(
        server.port,
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "shell"},
               "spec": {"containers": [{"name": "shell", "image": "busybox", "command": ["sh"], "stdin": true, "tty": true}]}}),
    );
    let mut ws = attach_socket(server.port, "shell", "container=shell&stdin=true&stdout=true&tty=true");
    for keys in ["echo hi\r", "exit 4\r"] {
        let mut frame = vec![0u8];
        frame.extend_from_slice(keys.as_bytes());
        ws.send(Message::Binary(frame.into())).expect("send");
    }
    let mut screen = String::new();
    let mut status = String::new();
    for _ in 0..64 {
        match ws.read() {
            Ok(Message::Binary(b)) if b.first() == Some(&1) => screen.push_str(&String::from_utf8_lossy(&b[1..])),
            Ok(Message::Binary(b)) if b.first() == Some(&3) => status = String::from_utf8_lossy(&b[1..]).into_owned(),
            Ok(Message::Close(_)) | Err(_) => break,
            Ok(_) => {}
        }
    }
    assert_eq!(screen, "/ # echo hi\r\nhi\r\n/ # exit 4\r\n");
    assert!(status.contains("\"message\":\"4\""), "{status}");
}

#[test]
fn real_kubectl_attaches() {
    let Some(bin) = kubectl() else {
        crate::serve::skipped("real_kubectl_attaches: no kubectl v1.32 installed (set KUBECTL_1_32)");
        return;
    };
    let cluster = Cluster::new();
    let server = Server::start_live(&cluster);
    let k = Kubectl { bin, server: &server, cluster: &cluster };
    ticker(server.port);
    let out = std::process::Command::new("timeout")
        .args(["4", &k.bin.to_string_lossy(), "attach", "ticker"])
        .env("KUBECONFIG", &server.kubeconfig)
        .env("HOME", cluster.path_of(""))
        .output()
        .expect("kubectl attach");
    assert_eq!(out.status.code(), Some(124), "still attached at the timeout");
    let got = ticks(&String::from_utf8_lossy(&out.stdout));
    assert!(got.len() >= 2 && got.windows(2).all(|w| w[1] == w[0] + 1), "{got:?}");
    let (_, err, code) = k.run(&["port-forward", "pod/ticker", "18080:80"], "");
    assert_eq!((err.as_str(), code), (format!("error: error upgrading connection: {PORTFORWARD}\n").as_str(), 1));
    let (_, err, code) = k.run(&["attach", "nope"], "");
    assert_eq!((err.as_str(), code), ("Error from server (NotFound): pods \"nope\" not found\n", 1));
}
