//! `kstate expose (-f FILE | (deployment|replicaset|replicationcontroller|pod|service) NAME)
//! [--port=P] [--target-port=T] [--protocol=P] [--type=T] [--name=N] [--selector=S]
//! [--save-config] [--overrides=JSON]`: a Service selecting the resource's pods, as kubectl v1.32's `expose` builds
//! it (selector and ports found by introspection when not given). Named objects are read from the
//! server; the objects of `-f` files are exposed as the files describe them, without a read.

use serde_json::{json, Map, Value};

use super::create_generators::print_created;
use super::dry_run::DryRun;
use super::{parse_targets, Context};
use crate::api::convert;
use crate::api::kinds::SERVICE;
use crate::api::ObjectExt;
use crate::cluster::Key;
use crate::print::OutputFormat;
use crate::{manifest, Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    pub filenames: Vec<String>,
    pub port: Option<String>,
    pub target_port: Option<String>,
    pub protocol: Option<String>,
    pub service_type: Option<String>,
    pub name: Option<String>,
    /// `--selector`: equality-based only, used instead of the resource's.
    pub selector: Option<String>,
    /// `--overrides`: a JSON merge patch (RFC 7386) over the built service.
    pub overrides: Option<String>,
    pub save_config: bool,
    pub dry_run: DryRun,
    pub output: Option<OutputFormat>,
}

/// Where the exposed object comes from: a file's document, or a name to read from the server.
enum Source {
    File(Value),
    Named(&'static crate::api::kinds::Kind, String),
}

/// A service name is a DNS-1035 label: kubectl cuts a name it inherits to this length.
const MAX_NAME: usize = 63;

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let sources = sources(ctx, &req)?;
    if sources.is_empty() {
        return Err(Error::cli("You must provide one or more resources by argument or filename."));
    }
    for (index, source) in sources.into_iter().enumerate() {
        expose_one(ctx, &req, source, index)?;
    }
    Ok(())
}

fn sources(ctx: &mut Context, req: &Request) -> Result<Vec<Source>> {
    if !req.filenames.is_empty() {
        let mut out = Vec::new();
        for mut doc in manifest::read(&req.filenames, false, ctx.stdin)? {
            convert::to_served(&mut doc.value, &doc.source)?;
            out.push(Source::File(doc.value));
        }
        return Ok(out);
    }
    let mut out = Vec::new();
    for target in parse_targets(&req.resources)? {
        if target.names.is_empty() {
            return Err(Error::no_name());
        }
        out.extend(target.names.into_iter().map(|n| Source::Named(target.kind, n)));
    }
    Ok(out)
}

fn expose_one(ctx: &mut Context, req: &Request, source: Source, index: usize) -> Result<()> {
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some("kubectl-expose".into());
    let obj = match source {
        Source::File(obj) => obj,
        Source::Named(kind, name) => match cluster.get(&Key::new(kind, &ctx.namespace, &name))? {
            Some(obj) => obj,
            None => {
                cluster.abandon()?;
                return Err(Error::not_found(&kind.resource(), &name));
            }
        },
    };
    let mut svc = match build(&obj, req).and_then(|svc| overridden(svc, req.overrides.as_deref())) {
        Ok(s) => s,
        Err(e) => {
            cluster.abandon()?;
            return Err(e);
        }
    };
    if req.dry_run == DryRun::Client && ctx.namespace_given {
        crate::api::object::set_at(&mut svc, "metadata.namespace", json!(ctx.namespace));
    }
    // kubectl writes the annotation after the client dry run has printed.
    if req.save_config && req.dry_run != DryRun::Client {
        super::apply::with_last_applied(&mut svc)?;
    }
    let created = ctx.create_built(cluster, svc, req.dry_run)?;
    if req.output.is_some() {
        return print_created(ctx, &SERVICE, &created, req.output.as_ref(), req.dry_run, index);
    }
    ctx.say(&format!("service/{} exposed{}", created.name(), req.dry_run.suffix()))
}

/// `--overrides`, as kubectl's `cmdutil.Merge` applies it: a JSON merge patch of the service.
fn overridden(svc: Value, overrides: Option<&str>) -> Result<Value> {
    let Some(text) = overrides.filter(|t| !t.is_empty()) else { return Ok(svc) };
    let patch: Value = serde_json::from_str(text).map_err(|_| Error::cli("Invalid JSON Patch"))?;
    Ok(crate::api::patch::merge_patch(&svc, &patch))
}

/// `CanBeExposed`: the kinds kubectl knows how to find pods and ports for.
fn can_be_exposed(obj: &Value) -> Result<()> {
    let kind = obj.kind();
    let group = obj.str_at("apiVersion").split_once('/').map_or("", |(g, _)| g);
    let exposable = match group {
        "" => matches!(kind, "ReplicationController" | "Service" | "Pod"),
        "apps" | "extensions" => matches!(kind, "Deployment" | "ReplicaSet"),
        _ => false,
    };
    match (exposable, group) {
        (true, _) => Ok(()),
        // A GroupKind prints as `Kind.group`, or `Kind` in the core group.
        (false, "") => Err(Error::cli(format!("cannot expose a {kind}"))),
        (false, g) => Err(Error::cli(format!("cannot expose a {kind}.{g}"))),
    }
}

/// The pods' labels the service selects (`MapBasedSelectorForObject`), or its message.
fn introspected_selector(obj: &Value) -> std::result::Result<Map<String, Value>, String> {
    let labels = |v: Option<&Value>| v.and_then(Value::as_object).cloned().unwrap_or_default();
    let kind = obj.kind();
    let selector = match kind {
        "ReplicationController" => labels(obj.at("spec.selector")),
        "Pod" => {
            let l = labels(obj.at("metadata.labels"));
            if l.is_empty() {
                return Err("the pod has no labels and cannot be exposed".into());
            }
            l
        }
        "Service" => match obj.at("spec.selector") {
            Some(Value::Object(m)) => m.clone(),
            _ => return Err("the service has no pod selector set".into()),
        },
        _ => {
            let what = if kind == "Deployment" { "deployment" } else { "replicaset" };
            let l = labels(obj.at("spec.selector.matchLabels"));
            if l.is_empty() {
                return Err(format!("invalid {what}: no selectors, therefore cannot be exposed"));
            }
            let expressions = obj.array_at("spec.selector.matchExpressions");
            if !expressions.is_empty() {
                return Err(format!(
                    "couldn't convert expressions - \"{}\" to map-based selector format",
                    go_requirements(expressions)
                ));
            }
            l
        }
    };
    Ok(selector)
}

/// Label selector requirements as Go's `%+v` prints the slice: `[{Key:k Operator:In Values:[a b]}]`.
fn go_requirements(expressions: &[Value]) -> String {
    let each: Vec<String> = expressions
        .iter()
        .map(|e| {
            let values: Vec<&str> = e.array_at("values").iter().filter_map(Value::as_str).collect();
            format!("{{Key:{} Operator:{} Values:[{}]}}", e.str_at("key"), e.str_at("operator"), values.join(" "))
        })
        .collect();
    format!("[{}]", each.join(" "))
}

/// `--selector k=v,k2=v2`: kubectl's `ParseLabels`.
fn parsed_selector(spec: &str) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    for pair in spec.split(',') {
        match pair.split_once('=') {
            Some((k, v)) if !k.is_empty() && !v.contains('=') => {
                out.insert(k.to_string(), json!(v));
            }
            _ => return Err(Error::cli(format!("unexpected label spec: {pair}"))),
        }
    }
    Ok(out)
}

/// The container ports of the resource's pods (`PortsForObject`, numbers without repeats) or
/// a service's ports, each with the protocol it was declared with.
fn introspected_ports(obj: &Value) -> Vec<(i64, String)> {
    let declared: Vec<(i64, String)> = if obj.kind() == "Service" {
        obj.array_at("spec.ports")
            .iter()
            .map(|p| (p.i64_at("port").unwrap_or(0), p.str_at("protocol").to_string()))
            .collect()
    } else {
        let containers = if obj.kind() == "Pod" { "spec.containers" } else { "spec.template.spec.containers" };
        obj.array_at(containers)
            .iter()
            .flat_map(|c| c.array_at("ports").iter())
            .map(|p| (p.i64_at("containerPort").unwrap_or(0), p.str_at("protocol").to_string()))
            .collect()
    };
    let mut out: Vec<(i64, String)> = Vec::new();
    for (port, protocol) in declared {
        if !out.iter().any(|(p, _)| *p == port) {
            let protocol = if protocol.is_empty() { "TCP".to_string() } else { protocol };
            out.push((port, protocol));
        }
    }
    out
}

fn build(obj: &Value, req: &Request) -> Result<Value> {
    can_be_exposed(obj)?;
    let selector = match req.selector.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => parsed_selector(s)?,
        None => introspected_selector(obj).map_err(|e| {
            Error::cli(format!("couldn't retrieve selectors via --selector flag or introspection: {e}"))
        })?,
    };
    let ports: Vec<(i64, String)> = match &req.port {
        Some(p) => {
            let n = p.parse::<i64>().map_err(|_| Error::cli(format!("strconv.Atoi: parsing {p:?}: invalid syntax")))?;
            vec![(n, req.protocol.clone().unwrap_or_else(|| "TCP".into()))]
        }
        None => introspected_ports(obj)
            .into_iter()
            .map(|(port, protocol)| (port, req.protocol.clone().unwrap_or(protocol)))
            .collect(),
    };
    if ports.is_empty() {
        return Err(Error::cli("couldn't find port via --port flag or introspection"));
    }
    if selector.is_empty() {
        return Err(Error::cli("selector must be specified"));
    }
    let many = ports.len() > 1;
    let list: Vec<Value> = ports
        .iter()
        .enumerate()
        .map(|(i, (port, protocol))| {
            // Without --target-port the service forwards to the port itself.
            let target = match &req.target_port {
                Some(t) => t.parse::<i64>().map_or_else(|_| json!(t), |n| json!(n)),
                None => json!(port),
            };
            let mut p = json!({"port": port, "protocol": protocol, "targetPort": target});
            if many {
                p["name"] = json!(format!("port-{}", i + 1));
            }
            p
        })
        .collect();
    let name = match &req.name {
        Some(n) => n.clone(),
        None => obj.name().chars().take(MAX_NAME).collect(),
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_kubectls_kinds_can_be_exposed() {
        let sts = json!({"apiVersion": "apps/v1", "kind": "StatefulSet"});
        assert_eq!(
            can_be_exposed(&sts).map_err(|e| e.server_message()),
            Err("cannot expose a StatefulSet.apps".into())
        );
        let node = json!({"apiVersion": "v1", "kind": "Node"});
        assert_eq!(can_be_exposed(&node).map_err(|e| e.server_message()), Err("cannot expose a Node".into()));
        assert!(can_be_exposed(&json!({"apiVersion": "v1", "kind": "ReplicationController"})).is_ok());
    }

    #[test]
    fn a_bad_selector_flag_is_a_label_spec_error() {
        assert_eq!(parsed_selector("a=b,c").map_err(|e| e.server_message()), Err("unexpected label spec: c".into()));
        assert_eq!(parsed_selector("a=b,c=d").map(|m| m.len()).ok(), Some(2));
    }
}
