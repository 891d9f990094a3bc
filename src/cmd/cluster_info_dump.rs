//! `kstate cluster-info dump`: kubectl's dump for debugging, from the cluster's objects: the
//! nodes, then for each namespace (kube-system and the current one, `--namespaces A,B`, or every
//! namespace with `-A`) its events, replication controllers (kstate serves none: an empty list),
//! services, daemon sets, deployments, replica sets and pods, each as the typed list the API
//! returns (`NodeList`, ...; JSON in Go struct order for the lists and their items' metadata), and every container's log between kubectl's
//! `==== START logs for container C of pod NS/P ====` and `==== END ... ====` lines.
//! `--output-directory DIR` writes kubectl's tree of files (`nodes.json`, `NS/pods.json`,
//! `NS/POD/logs.txt`) instead and says `Cluster info dumped to DIR`.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::{io, Context};
use crate::api::kinds::{self, Kind};
use crate::api::ObjectExt;
use crate::cluster::Cluster;
use crate::print::{json as json_print, yaml};
use crate::{Error, Result};

pub struct Request {
    pub namespaces: Vec<String>,
    pub all_namespaces: bool,
    pub output_directory: Option<String>,
    /// `json` (default) or `yaml`.
    pub yaml: bool,
}

/// The lists of a namespace, in kubectl's order: (file name, kind, list kind).
const NAMESPACED: [(&str, Option<&str>, &str); 7] = [
    ("events", Some("Event"), "EventList"),
    ("replication-controllers", Some("ReplicationController"), "ReplicationControllerList"),
    ("services", Some("Service"), "ServiceList"),
    ("daemonsets", Some("DaemonSet"), "DaemonSetList"),
    ("deployments", Some("Deployment"), "DeploymentList"),
    ("replicasets", Some("ReplicaSet"), "ReplicaSetList"),
    ("pods", Some("Pod"), "PodList"),
];

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let dir = req.output_directory.as_deref().filter(|d| !d.is_empty() && *d != "-").map(PathBuf::from);
    let ext = if req.yaml { ".yaml" } else { ".json" };
    let mut cluster = ctx.read()?;
    let result = dump(ctx, &mut cluster, &req, dir.as_deref(), ext);
    cluster.abandon()?;
    result?;
    if let Some(d) = &dir {
        ctx.say(&format!("Cluster info dumped to {}", d.display()))?;
    }
    Ok(())
}

fn dump(ctx: &mut Context, cluster: &mut Cluster, req: &Request, dir: Option<&Path>, ext: &str) -> Result<()> {
    let revision = cluster.revision().to_string();
    let nodes = objects(cluster, kinds::by_kind("Node"), None)?;
    emit(ctx, dir, &format!("nodes{ext}"), &typed_list("v1", "NodeList", nodes, &revision, req.yaml))?;
    let namespaces = if req.all_namespaces {
        objects(cluster, kinds::by_kind("Namespace"), None)?.iter().map(|n| n.name().to_string()).collect()
    } else if req.namespaces.is_empty() {
        vec!["kube-system".to_string(), ctx.namespace.clone()]
    } else {
        req.namespaces.clone()
    };
    for ns in &namespaces {
        let mut pods = Vec::new();
        for (file, kind, list_kind) in NAMESPACED {
            let kind = kind.and_then(kinds::by_kind);
            let items = objects(cluster, kind, Some(ns))?;
            let api_version = kind.map_or("v1".to_string(), |k| k.api_version());
            let text = typed_list(&api_version, list_kind, items.clone(), &revision, req.yaml);
            emit(ctx, dir, &format!("{ns}/{file}{ext}"), &text)?;
            if list_kind == "PodList" {
                pods = items;
            }
        }
        for pod in &pods {
            let text = logs(cluster, pod)?;
            emit(ctx, dir, &format!("{ns}/{}/logs.txt", pod.name()), &text)?;
        }
    }
    Ok(())
}

fn objects(cluster: &mut Cluster, kind: Option<&'static Kind>, namespace: Option<&str>) -> Result<Vec<Value>> {
    let Some(kind) = kind else { return Ok(Vec::new()) };
    cluster.load(kind, namespace)?;
    Ok(cluster.iter(kind, namespace).cloned().collect())
}

/// The list the typed client gets and kubectl's JSON printer writes in Go struct order: the list's
/// `kind`, `apiVersion`, `metadata`, `items`, and in each item its TypeMeta and ObjectMeta in
/// field order. Deeper fields come in byte order (kstate keeps no Go field order for them); YAML
/// sorts every level, as kubectl's printer does.
fn typed_list(api_version: &str, list_kind: &str, items: Vec<Value>, revision: &str, yaml_out: bool) -> String {
    let list = json!({"apiVersion": api_version, "items": items, "kind": list_kind, "metadata": {"resourceVersion": revision}});
    if yaml_out {
        return yaml::to_yaml(&list);
    }
    json_print::to_json_typed(&list, &|path: &[&str]| -> &'static [&'static str] {
        match path {
            [] => &["kind", "apiVersion", "metadata", "items"],
            ["items"] => &["kind", "apiVersion", "metadata", "spec", "status"],
            ["items", "metadata"] => json_print::OBJECT_META_ORDER,
            _ => &[],
        }
    })
}

/// Every container's log (init containers first), between kubectl's markers.
fn logs(cluster: &mut Cluster, pod: &Value) -> Result<String> {
    let mut out = String::new();
    let ns = pod.namespace().to_string();
    for spec in pod.array_at("spec.initContainers").iter().chain(pod.array_at("spec.containers")) {
        let c = spec.str_at("name");
        out.push_str(&format!("==== START logs for container {c} of pod {ns}/{} ====\n", pod.name()));
        match super::logs::container_lines(cluster, pod, spec, false) {
            Ok(lines) => {
                for (_, l) in lines {
                    out.push_str(&l);
                    out.push('\n');
                }
            }
            Err(e @ Error::Internal(_)) => return Err(e),
            Err(e) => out.push_str(&format!("Request log error: {}\n", e.server_message())),
        }
        out.push_str(&format!("==== END logs for container {c} of pod {ns}/{} ====\n", pod.name()));
    }
    Ok(out)
}

/// To stdout, or to DIR/NAME (folders made as needed).
fn emit(ctx: &mut Context, dir: Option<&Path>, name: &str, text: &str) -> Result<()> {
    let Some(dir) = dir else {
        return ctx.out.write_all(text.as_bytes()).map_err(io);
    };
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::cli(format!("mkdir {}: {e}", parent.display())))?;
    }
    std::fs::write(&path, text).map_err(|e| Error::cli(format!("open {}: {e}", path.display())))
}
