//! Probes, run by the simulated kubelet in the simulated container: `exec` probes run their command,
//! `httpGet` asks the image's web server for a file under its document root, `tcpSocket` succeeds on
//! a port the container serves. kstate evaluates each probe once per command (time only moves
//! between commands), so a failure counts at once rather than after `failureThreshold` periods.

use serde_json::Value;

use super::view::container_view;
use crate::api::ObjectExt;
use crate::cluster::Cluster;
use crate::Result;

pub use crate::api::object::pod_has_probes as has_probes;

/// The document root of the web server an image runs, if kstate knows it.
fn document_root(image: &str) -> Option<&'static str> {
    let name = image.rsplit('/').next().unwrap_or(image);
    let name = name.split([':', '@']).next().unwrap_or(name);
    match name {
        "nginx" | "nginx-slim" => Some("/usr/share/nginx/html"),
        "httpd" => Some("/usr/local/apache2/htdocs"),
        _ => None,
    }
}

/// Runs one probe of `container`; `Err(message)` is the failure text the kubelet reports.
pub fn run(cluster: &mut Cluster, pod: &Value, container: &Value, probe: &Value) -> Result<Result<(), String>> {
    if let Some(cmd) = probe.get("exec") {
        let argv: Vec<String> = cmd.array_at("command").iter().filter_map(|a| a.as_str().map(String::from)).collect();
        let view = container_view(cluster, pod, container)?;
        let out = crate::exec::run(&mut cluster.files(), &view, &argv, &[]);
        if out.code == 0 {
            return Ok(Ok(()));
        }
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        return Ok(Err(text.trim_end().to_string()));
    }
    if let Some(http) = probe.get("httpGet") {
        let Some(root) = document_root(container.str_at("image")) else { return Ok(Ok(())) };
        let path = match http.str_at("path") {
            "" => "/",
            p => p,
        };
        let mut target = format!("{root}{}", path.split('?').next().unwrap_or(path));
        if target.ends_with('/') {
            target.push_str("index.html");
        }
        let view = container_view(cluster, pod, container)?;
        let argv = vec!["test".to_string(), "-f".to_string(), target];
        let out = crate::exec::run(&mut cluster.files(), &view, &argv, &[]);
        return Ok(if out.code == 0 { Ok(()) } else { Err("HTTP probe failed with statuscode: 404".to_string()) });
    }
    if let Some(tcp) = probe.get("tcpSocket") {
        let port = tcp.get("port").cloned().unwrap_or(Value::Null);
        let declared = container
            .array_at("ports")
            .iter()
            .any(|p| p.get("containerPort") == Some(&port) || (port.is_string() && p.get("name") == Some(&port)));
        let serves_80 = document_root(container.str_at("image")).is_some() && port.as_i64() == Some(80);
        if declared || serves_80 {
            return Ok(Ok(()));
        }
        let ip = pod.str_at("status.podIP");
        return Ok(Err(format!("dial tcp {ip}:{port}: connect: connection refused")));
    }
    Ok(Ok(()))
}
