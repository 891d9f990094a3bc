//! The browser page of `kstate serve` in headless Chromium, driven over the DevTools protocol:
//! it shows the seed's StatefulSet tree, and after a scale through the API the new pod and claim
//! appear without a reload. Skipped, saying so, where no Chromium is installed.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

use crate::harness::{seed_manifest, Cluster};
use crate::serve::{get, request, skipped, Server};

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()))
}

/// Headless Chromium on `url`, killed when dropped, and the DevTools session of its page.
struct Browser {
    child: Child,
    page: WebSocket<TcpStream>,
    next_id: u64,
}

impl Browser {
    fn open(binary: &str, url: &str, profile: &std::path::Path) -> Browser {
        let mut child = Command::new(binary)
            .args(["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-port=0"])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(url)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chromium");
        let stderr = BufReader::new(child.stderr.take().expect("stderr"));
        let mut devtools = None;
        for line in stderr.lines().take(200).map_while(Result::ok) {
            if let Some(ws) = line.strip_prefix("DevTools listening on ") {
                devtools = Some(ws.to_string());
                break;
            }
        }
        let devtools = devtools.expect("chromium's DevTools address");
        let port: u16 = devtools
            .trim_start_matches("ws://127.0.0.1:")
            .split('/')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("DevTools port");
        let mut target = None;
        for _ in 0..50 {
            let list = get(port, "/json/list").json();
            target = list
                .as_array()
                .and_then(|l| l.iter().find(|t| t["type"] == "page"))
                .map(|t| t["webSocketDebuggerUrl"].as_str().unwrap_or_default().to_string());
            if target.is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let target = target.expect("a page target");
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect DevTools");
        stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
        let (page, _) = tungstenite::client(target.as_str(), stream).expect("DevTools handshake");
        Browser { child, page, next_id: 1 }
    }

    /// Evaluates `expression` in the page and returns its value.
    fn eval(&mut self, expression: &str) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let call = json!({"id": id, "method": "Runtime.evaluate", "params": {"expression": expression, "returnByValue": true}});
        self.page.send(Message::Text(call.to_string().into())).expect("send to DevTools");
        for _ in 0..1000 {
            let Ok(Message::Text(text)) = self.page.read() else { continue };
            let reply: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            if reply["id"] == id {
                return reply["result"]["result"]["value"].clone();
            }
        }
        Value::Null
    }

    /// The tree's text once it contains every one of `wanted` (or what it was after 30 s).
    fn tree_with(&mut self, wanted: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let text = self.eval("document.getElementById('tree').innerText").as_str().unwrap_or_default().to_string();
            if wanted.iter().all(|w| text.contains(w)) || Instant::now() > deadline {
                return text;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn page_draws_the_statefulset_tree_and_follows_a_scale() {
    let Some(binary) = chromium() else {
        skipped("page_draws_the_statefulset_tree_…: no headless Chromium installed (apt-get install chromium)");
        return;
    };
    let cluster = Cluster::new();
    let web = cluster.file("web.yaml", seed_manifest());
    cluster.ok(&["create", "-f", &web]);
    let server = Server::start(&cluster);
    let mut browser =
        Browser::open(binary, &format!("http://127.0.0.1:{}/", server.port), &cluster.path_of("chromium"));
    let before =
        ["StatefulSet/web", "Pod/web-0", "Pod/web-1", "PersistentVolumeClaim/disk-ssd-web-1", "PersistentVolume/"];
    let text = browser.tree_with(&before);
    assert!(before.iter().all(|w| text.contains(w)), "the page shows:\n{text}");
    assert!(!text.contains("web-2"), "{text}");

    let scale = request(
        server.port,
        "PATCH",
        "/apis/apps/v1/namespaces/default/statefulsets/web/scale",
        &[("Content-Type", "application/merge-patch+json")],
        r#"{"spec":{"replicas":3}}"#,
    );
    assert_eq!(scale.code, 200, "{}", scale.body);
    let after = ["Pod/web-2", "PersistentVolumeClaim/disk-ssd-web-2", "3/3 ready"];
    let text = browser.tree_with(&after);
    assert!(after.iter().all(|w| text.contains(w)), "the page shows:\n{text}");
    let events = browser.eval("document.getElementById('events').innerText").as_str().unwrap_or_default().to_string();
    assert!(events.contains("create Pod web-2 in StatefulSet web successful"), "{events}");
}
