//! `kstate expose (deployment|replicaset|statefulset|pod|service) NAME [--port=P]
//! [--target-port=T] [--type=T] [--name=N] [--protocol=TCP]`: a Service selecting the resource's
//! pods, as kubectl v1.32's `expose` builds it (selector and ports found by introspection when
//! not given).

use serde_json::{json, Value};

use super::create_generators::print_created;
use super::dry_run::DryRun;
use super::{parse_targets, Context};
use crate::api::kinds::SERVICE;
use crate::api::ObjectExt;
use crate::cluster::Key;
use crate::print::OutputFormat;
use crate::{Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    pub port: Option<String>,
    pub target_port: Option<String>,
    pub protocol: Option<String>,
    pub service_type: Option<String>,
    pub name: Option<String>,
    pub dry_run: DryRun,
    pub output: Option<OutputFormat>,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let targets = parse_targets(&req.resources)?;
    let Some((kind, name)) = targets.first().and_then(|t| t.names.first().map(|n| (t.kind, n.clone()))) else {
        return Err(Error::cli("You must provide one or more resources by argument or filename."));
    };
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some("kubectl-expose".into());
    let Some(obj) = cluster.get(&Key::new(kind, &ctx.namespace, &name))? else {
        cluster.abandon()?;
        return Err(Error::not_found(&kind.resource(), &name));
    };
    let svc = match build(&obj, &req) {
        Ok(s) => s,
        Err(e) => {
            cluster.abandon()?;
            return Err(e);
        }
    };
    let created = ctx.create_built(cluster, svc, req.dry_run)?;
    print(ctx, &created, &req)
}

fn print(ctx: &mut Context, svc: &Value, req: &Request) -> Result<()> {
    if req.output.is_some() {
        return print_created(ctx, &SERVICE, svc, req.output.as_ref(), req.dry_run, 0);
    }
    ctx.say(&format!("service/{} exposed{}", svc.name(), req.dry_run.suffix()))
}

/// The pods' labels the service selects (`MapBasedSelectorForObject`).
fn selector(obj: &Value) -> Result<Value> {
    let sel = match obj.kind() {
        "Pod" => obj.at("metadata.labels").cloned(),
        "Service" => obj.at("spec.selector").cloned(),
        _ => {
            if obj.array_at("spec.selector.matchExpressions").iter().next().is_some() {
                return Err(Error::cli(format!(
                    "couldn't retrieve selectors via --selector flag or introspection: {} has invalid selector, matchExpressions are not supported",
                    obj.name()
                )));
            }
            obj.at("spec.selector.matchLabels").cloned()
        }
    };
    match sel.filter(|s| s.as_object().is_some_and(|m| !m.is_empty())) {
        Some(s) => Ok(s),
        None => Err(Error::cli(format!(
            "couldn't retrieve selectors via --selector flag or introspection: the {} has no labels",
            obj.kind().to_lowercase()
        ))),
    }
}

/// The container ports of the resource's pods (`PortsForObject`), or a service's ports.
fn introspected_ports(obj: &Value) -> Vec<(i64, String, String)> {
    if obj.kind() == "Service" {
        return obj
            .array_at("spec.ports")
            .iter()
            .map(|p| (p.i64_at("port").unwrap_or(0), p.str_at("protocol").to_string(), p.str_at("name").to_string()))
            .collect();
    }
    let containers = if obj.kind() == "Pod" { "spec.containers" } else { "spec.template.spec.containers" };
    obj.array_at(containers)
        .iter()
        .flat_map(|c| c.array_at("ports").iter())
        .map(|p| {
            let protocol = if p.str_at("protocol").is_empty() { "TCP" } else { p.str_at("protocol") };
            (p.i64_at("containerPort").unwrap_or(0), protocol.to_string(), p.str_at("name").to_string())
        })
        .collect()
}

fn build(obj: &Value, req: &Request) -> Result<Value> {
    let selector = selector(obj)?;
    let ports: Vec<(i64, String, String)> = match &req.port {
        Some(p) => {
            let n = p.parse::<i64>().map_err(|_| Error::cli(format!("strconv.Atoi: parsing {p:?}: invalid syntax")))?;
            vec![(n, req.protocol.clone().unwrap_or_else(|| "TCP".into()), String::new())]
        }
        None => introspected_ports(obj),
    };
    if ports.is_empty() {
        return Err(Error::cli("couldn't find port via --port flag or introspection"));
    }
    let many = ports.len() > 1;
    let list: Vec<Value> = ports
        .iter()
        .enumerate()
        .map(|(i, (port, protocol, name))| {
            let target = match &req.target_port {
                Some(t) => t.parse::<i64>().map_or_else(|_| json!(t), |n| json!(n)),
                None if !name.is_empty() && obj.kind() != "Service" => json!(name),
                None => json!(port),
            };
            let mut p = json!({"port": port, "protocol": protocol, "targetPort": target});
            if many {
                p["name"] = json!(if name.is_empty() { format!("port-{}", i + 1) } else { name.clone() });
            }
            p
        })
        .collect();
    let name = req.name.clone().unwrap_or_else(|| obj.name().to_string());
    let mut spec = json!({"ports": list, "selector": selector});
    if let Some(t) = &req.service_type {
        spec["type"] = json!(t);
    }
    let mut meta = json!({"creationTimestamp": null, "name": name});
    if let Some(labels) = obj.at("metadata.labels").filter(|l| l.as_object().is_some_and(|m| !m.is_empty())) {
        meta["labels"] = labels.clone();
    }
    Ok(json!({"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec, "status": {"loadBalancer": {}}}))
}
