//! `kstate version`: kubectl's layout. The client is the kubectl release kstate reproduces
//! (v1.32.5) with kstate's own version as semver build metadata (`v1.32.5+kstate.0.1.0`), so
//! scripts that parse `v1.32` keep working; the server is the simulated API server (v1.32.1, the
//! version its nodes' kubelets report).

use serde_json::{json, Value};

use super::{io, Context};
use crate::print::yaml;
use crate::{Error, Result};

pub struct Request {
    pub client: bool,
    pub output: Option<String>,
}

const KUSTOMIZE: &str = "v5.5.0";

fn platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    format!("{}/{arch}", std::env::consts::OS)
}

fn info(git_version: &str, minor: &str) -> Value {
    // Field order is kubectl's (`version.Info` struct order) for JSON.
    json!({
        "major": "1", "minor": minor, "gitVersion": git_version,
        "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
        "buildDate": "2025-05-15T09:12:10Z", "goVersion": "go1.23.8", "compiler": "gc", "platform": platform()
    })
}

pub fn client_version() -> String {
    format!("v1.32.5+kstate.{}", env!("CARGO_PKG_VERSION"))
}

pub const SERVER_VERSION: &str = "v1.32.1";

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let client = info(&client_version(), "32");
    let server_version = if req.client {
        SERVER_VERSION
    } else {
        let cluster = ctx.read()?;
        let v = cluster.profile.server_version;
        cluster.abandon()?;
        v
    };
    let server = info(server_version, "32");
    let text = match req.output.as_deref() {
        None | Some("") => {
            let mut s = format!("Client Version: {}\nKustomize Version: {KUSTOMIZE}\n", client_version());
            if !req.client {
                s.push_str(&format!("Server Version: {server_version}\n"));
            }
            s
        }
        Some(f @ ("json" | "yaml")) => {
            let mut m = serde_json::Map::new();
            m.insert("clientVersion".into(), client);
            m.insert("kustomizeVersion".into(), json!(KUSTOMIZE));
            if !req.client {
                m.insert("serverVersion".into(), server);
            }
            let v = Value::Object(m);
            if f == "json" {
                go_indent_json(&v, 0) + "\n"
            } else {
                yaml::to_yaml(&v)
            }
        }
        Some(other) => return Err(Error::cli(format!("--output must be 'yaml' or 'json', got {other:?}"))),
    };
    ctx.out.write_all(text.as_bytes()).map_err(io)
}

/// `json.MarshalIndent(v, "", "  ")` keeping the struct field order (serde_json keeps insertion
/// order only with `preserve_order`, so this walks the few shapes `version` prints).
fn go_indent_json(v: &Value, depth: usize) -> String {
    let pad = "  ".repeat(depth + 1);
    match v {
        Value::Object(m) => {
            let order: Vec<&str> = if m.contains_key("gitVersion") {
                vec![
                    "major",
                    "minor",
                    "gitVersion",
                    "gitCommit",
                    "gitTreeState",
                    "buildDate",
                    "goVersion",
                    "compiler",
                    "platform",
                ]
            } else {
                vec!["clientVersion", "kustomizeVersion", "serverVersion"]
            };
            let items: Vec<String> = order
                .iter()
                .filter_map(|k| m.get(*k).map(|x| format!("{pad}\"{k}\": {}", go_indent_json(x, depth + 1))))
                .collect();
            format!("{{\n{}\n{}}}", items.join(",\n"), "  ".repeat(depth))
        }
        other => other.to_string(),
    }
}
