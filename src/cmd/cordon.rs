//! `kstate cordon|uncordon NODE...`: mark nodes (un)schedulable, with kubectl's words.

use serde_json::{json, Value};

use super::Context;
use crate::api::kinds::NODE;
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::{Error, Result};

/// `--dry-run`: none, client or server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DryRun {
    None,
    Client,
    Server,
}

impl DryRun {
    pub fn parse(s: Option<&str>) -> Result<DryRun> {
        match s {
            None | Some("none") | Some("false") => Ok(DryRun::None),
            Some("client") | Some("true") | Some("") => Ok(DryRun::Client),
            Some("server") => Ok(DryRun::Server),
            Some(other) => Err(Error::cli(format!(
                "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
            ))),
        }
    }

    /// What kubectl appends to its messages: ` (dry run)` or ` (server dry run)`.
    pub fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }
}

pub struct Request {
    pub nodes: Vec<String>,
    pub selector: Option<String>,
    pub cordon: bool,
    pub dry_run: DryRun,
}

/// The nodes named, or selected by `-l`: kubectl's errors when neither or both are given.
pub fn select_nodes(cluster: &mut Cluster, names: &[String], selector: Option<&str>) -> Result<Vec<Value>> {
    // An empty `--selector=` selects nothing: kubectl's builder is then given no resources.
    let selector = match selector.map(str::trim) {
        Some("") if names.is_empty() => return Err(Error::no_resources()),
        Some("") => None,
        other => other,
    };
    match (names, selector) {
        ([_, ..], Some(_)) => Err(Error::cli("cannot specify both a node name and a --selector option")),
        ([], None) => Err(Error::cli("USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples")),
        ([], Some(sel)) => {
            let sel = Selector::parse(sel).map_err(Error::cli)?;
            Ok(cluster.list(&NODE, None)?.into_iter().filter(|n| sel.matches_object(n)).collect())
        }
        (names, None) => names
            .iter()
            .map(|n| node_name(n))
            .map(|n| cluster.get(&Key::new(&NODE, "", n))?.ok_or_else(|| Error::not_found("nodes", n)))
            .collect(),
    }
}

/// A node argument's name: kubectl's builder (`ResourceNames("nodes", ...)`) also takes the
/// `TYPE/NAME` form, so `kubectl drain nodes/$nodeName` names the node.
fn node_name(arg: &str) -> &str {
    match arg.split_once('/') {
        Some(("node" | "nodes" | "no", name)) => name,
        _ => arg,
    }
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let mut cluster = ctx.write()?;
    let nodes = match select_nodes(&mut cluster, &req.nodes, req.selector.as_deref()) {
        Ok(n) => n,
        Err(e) => {
            cluster.abandon()?;
            return Err(e);
        }
    };
    let mut lines = Vec::new();
    for node in nodes {
        lines.push(set_unschedulable(&mut cluster, node, req.cordon, req.dry_run)?);
    }
    if req.dry_run == DryRun::None {
        ctx.finish(cluster)?;
    } else {
        cluster.abandon()?;
    }
    for l in lines {
        ctx.say(&l)?;
    }
    Ok(())
}

/// Cordons or uncordons one node; returns kubectl's line for it.
pub fn set_unschedulable(cluster: &mut Cluster, mut node: Value, cordon: bool, dry_run: DryRun) -> Result<String> {
    let (done, already) = if cordon { ("cordoned", "already cordoned") } else { ("uncordoned", "already uncordoned") };
    let is = node.at("spec.unschedulable").and_then(Value::as_bool).unwrap_or(false);
    let name = node.name().to_string();
    if is == cordon {
        return Ok(format!("node/{name} {already}"));
    }
    if dry_run == DryRun::None {
        if cordon {
            node["spec"]["unschedulable"] = json!(true);
        } else if let Some(spec) = node.get_mut("spec").and_then(Value::as_object_mut) {
            spec.remove("unschedulable");
        }
        cluster.update(node)?;
    }
    Ok(format!("node/{name} {done}{}", dry_run.suffix()))
}
