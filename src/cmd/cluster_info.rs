//! `kstate cluster-info` and `kstate api-versions`: what kubectl prints from discovery and from
//! the kube-system services labelled `kubernetes.io/cluster-service=true`.

use std::collections::BTreeSet;

use super::{io, Context};
use crate::api::kinds::{self, SERVICE};
use crate::api::ObjectExt;
use crate::Result;

/// `kubectl api-versions`: every served group version, sorted (custom resources' included, and
/// autoscaling/v1, served beside v2).
pub fn api_versions(ctx: &mut Context) -> Result<()> {
    // Opening the cluster loads the kinds of its CustomResourceDefinitions.
    ctx.read()?.abandon()?;
    let versions: BTreeSet<String> = kinds::served().into_iter().map(|k| k.api_version()).collect();
    let mut out = String::new();
    for v in versions {
        out.push_str(&v);
        out.push('\n');
    }
    ctx.out.write_all(out.as_bytes()).map_err(io)
}

/// `kubectl cluster-info`. kstate's server is its state directory, so the control plane is
/// "running at" the `file://` URL a kstate kubeconfig names for it.
pub fn cluster_info(ctx: &mut Context) -> Result<()> {
    let dir = std::path::absolute(&ctx.state_dir).unwrap_or_else(|_| ctx.state_dir.clone());
    let server = format!("file://{}", dir.display());
    let mut cluster = ctx.read()?;
    cluster.load(&SERVICE, Some("kube-system"))?;
    let services: Vec<serde_json::Value> = cluster
        .iter(&SERVICE, Some("kube-system"))
        .filter(|s| s.labels().get("kubernetes.io/cluster-service").map(String::as_str) == Some("true"))
        .cloned()
        .collect();
    cluster.abandon()?;
    let mut out = format!("Kubernetes control plane is running at {server}\n");
    for svc in &services {
        let ingress = svc.array_at("status.loadBalancer.ingress").first().cloned();
        let link = match ingress {
            Some(ing) => {
                let ip = if ing.str_at("ip").is_empty() { ing.str_at("hostname") } else { ing.str_at("ip") };
                svc.array_at("spec.ports")
                    .iter()
                    .map(|p| format!("http://{ip}:{} ", p.i64_at("port").unwrap_or(0)))
                    .collect()
            }
            None => {
                let mut name = svc.name().to_string();
                if let Some(port) = svc.array_at("spec.ports").first() {
                    let https = port.str_at("name") == "https" || port.i64_at("port") == Some(443);
                    // utilnet.JoinSchemeNamePort: `[scheme:]name[:port]`.
                    if https {
                        name = format!("https:{name}");
                    }
                    if !port.str_at("name").is_empty() {
                        name = format!("{name}:{}", port.str_at("name"));
                    }
                }
                format!("{server}/api/v1/namespaces/{}/services/{name}/proxy", svc.namespace())
            }
        };
        let label = svc.labels().get("kubernetes.io/name").cloned().unwrap_or_else(|| svc.name().to_string());
        out.push_str(&format!("{label} is running at {link}\n"));
    }
    out.push_str("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
    ctx.out.write_all(out.as_bytes()).map_err(io)
}
