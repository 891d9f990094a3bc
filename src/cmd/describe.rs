//! `kstate describe`: one object, a name prefix, a selector, or every object of a kind.

use serde_json::{json, Value};

use super::{io, parse_targets, Context};
use crate::api::kinds::{Kind, EVENT, NODE, POD};
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::print::describe::{describe, Related};
use crate::{Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    pub selector: Option<String>,
    pub all_namespaces: bool,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    if req.resources.is_empty() {
        return Err(Error::cli(
            "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.",
        ));
    }
    let selector = match &req.selector {
        Some(s) => Selector::parse(s).map_err(Error::cli)?,
        None => Selector::everything(),
    };
    let mut cluster = ctx.read()?;
    let namespace = (!req.all_namespaces).then(|| ctx.namespace.clone());
    let now = cluster.clock.now();
    let mut texts: Vec<String> = Vec::new();
    let mut prefixed = false;
    let mut errors = Vec::new();
    for target in parse_targets(&req.resources)? {
        let kind = target.kind;
        if target.names.is_empty() {
            cluster.load(kind, namespace.as_deref())?;
            let all: Vec<Value> =
                cluster.iter(kind, namespace.as_deref()).filter(|o| selector.matches_object(o)).cloned().collect();
            for obj in all {
                texts.push(render(&mut cluster, kind, &obj, now)?);
            }
            continue;
        }
        let ns = namespace.clone().unwrap_or_else(|| "default".into());
        for name in &target.names {
            if let Some(obj) = cluster.get(&Key::new(kind, &ns, name))? {
                texts.push(render(&mut cluster, kind, &obj, now)?);
                continue;
            }
            // No exact match: kubectl describes every object whose name starts with the argument.
            cluster.load(kind, Some(&ns))?;
            let matches: Vec<Value> =
                cluster.iter(kind, Some(&ns)).filter(|o| o.name().starts_with(name.as_str())).cloned().collect();
            if matches.is_empty() {
                errors.push(Error::not_found(&kind.resource(), name).to_string());
            }
            for obj in matches {
                prefixed = true;
                texts.push(render(&mut cluster, kind, &obj, now)? + "\n");
            }
        }
    }
    cluster.abandon()?;
    let joined = if prefixed { texts.concat() } else { texts.join("\n\n") };
    ctx.out.write_all(joined.as_bytes()).map_err(io)?;
    if !errors.is_empty() {
        return Err(Error::Aggregate(errors));
    }
    if texts.is_empty() {
        ctx.say_err(&format!("No resources found in {} namespace.", ctx.namespace))?;
    }
    Ok(())
}

/// Gathers what kubectl's describer would fetch for `obj`, then renders it.
fn render(cluster: &mut Cluster, kind: &Kind, obj: &Value, now: i64) -> Result<String> {
    let mut related = Related { events: cluster.list_by_ref(&EVENT, obj.uid())?, ..Related::default() };
    match kind.kind {
        "StatefulSet" => related.pods = cluster.list_by_ref(&POD, obj.uid())?,
        "PersistentVolumeClaim" => related.pods = cluster.list(&POD, Some(obj.namespace()))?,
        "Service" => related.endpoint_slices = endpoint_slices(cluster, obj)?,
        "Node" => {
            related.pods =
                cluster.list(&POD, None)?.into_iter().filter(|p| p.str_at("spec.nodeName") == obj.name()).collect();
        }
        _ => {}
    }
    let _ = &NODE;
    Ok(describe(kind, obj, &related, now))
}

/// The EndpointSlice the endpoint-slice controller keeps for a service: its selected pods' IPs.
fn endpoint_slices(cluster: &mut Cluster, svc: &Value) -> Result<Vec<Value>> {
    let selector = svc.map_at("spec.selector");
    if selector.is_empty() {
        return Ok(Vec::new());
    }
    let pods = cluster.list(&POD, Some(svc.namespace()))?;
    let endpoints: Vec<Value> = pods
        .iter()
        .filter(|p| selector.iter().all(|(k, v)| p.labels().get(k) == Some(v)) && !p.str_at("status.podIP").is_empty())
        .map(|p| {
            let ready = crate::controller::statefulset::condition_true(p, "Ready");
            json!({"addresses": [p.str_at("status.podIP")], "conditions": {"ready": ready, "serving": ready, "terminating": p.is_deleting()},
                   "nodeName": p.str_at("spec.nodeName"),
                   "targetRef": {"kind": "Pod", "name": p.name(), "namespace": p.namespace(), "uid": p.uid()}})
        })
        .collect();
    let ports: Vec<Value> = svc
        .array_at("spec.ports")
        .iter()
        .map(|p| {
            let target = p.get("targetPort").cloned().unwrap_or(json!(p.get("port")));
            json!({"name": p.str_at("name"), "port": target, "protocol": p.at("protocol").cloned().unwrap_or(json!("TCP"))})
        })
        .collect();
    Ok(vec![json!({
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
        "endpoints": endpoints, "ports": ports,
        "metadata": {"name": format!("{}-slice", svc.name()), "namespace": svc.namespace(),
                     "labels": {"kubernetes.io/service-name": svc.name()}},
    })])
}
