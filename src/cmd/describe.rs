//! `kstate describe`: one object, a name prefix, a selector, or every object of a kind.

use serde_json::Value;

use super::{io, Context};
use crate::api::kinds::{Kind, ENDPOINTSLICE, EVENT, LEASE, POD};
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::print::describe::{describe, Related};
use crate::{Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    /// `-f`: the objects the manifests name (`-k` arrives here built).
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub selector: Option<String>,
    pub all_namespaces: bool,
    /// `--show-events=false` leaves the Events section out.
    pub show_events: bool,
}

pub fn run(ctx: &mut Context, mut req: Request) -> Result<()> {
    if !req.filenames.is_empty() {
        if !req.resources.is_empty() {
            return Err(Error::cli(
                "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well",
            ));
        }
        req.resources = super::get::file_targets(ctx, &req.filenames, req.recursive)?;
    }
    if req.resources.is_empty() {
        return Err(Error::cli(
            "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.",
        ));
    }
    let targets = super::get::ordered_targets(&req.resources)?;
    if req.selector.is_some() && targets.iter().any(|t| !t.names.is_empty()) {
        return Err(Error::cli(super::get::selector_with_names(&req.resources)));
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
    for target in targets {
        let kind = target.kind;
        if target.names.is_empty() {
            cluster.load(kind, namespace.as_deref())?;
            let all: Vec<Value> =
                cluster.iter(kind, namespace.as_deref()).filter(|o| selector.matches_object(o)).cloned().collect();
            for obj in all {
                texts.push(render(&mut cluster, kind, &obj, now, req.show_events)?);
            }
            continue;
        }
        let ns = namespace.clone().unwrap_or_else(|| "default".into());
        for name in &target.names {
            if let Some(obj) = cluster.get(&Key::new(kind, &ns, name))? {
                texts.push(render(&mut cluster, kind, &obj, now, req.show_events)?);
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
                texts.push(render(&mut cluster, kind, &obj, now, req.show_events)? + "\n");
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
fn render(cluster: &mut Cluster, kind: &Kind, obj: &Value, now: i64, show_events: bool) -> Result<String> {
    let mut related = Related { events: cluster.list_by_ref(&EVENT, obj.uid())?, ..Related::default() };
    match kind.kind {
        "StatefulSet" | "ReplicaSet" | "ReplicationController" | "DaemonSet" => {
            related.pods = cluster.list_by_ref(&POD, obj.uid())?
        }
        "Deployment" => related.owned = cluster.list_by_ref(&crate::api::kinds::REPLICASET, obj.uid())?,
        "PersistentVolumeClaim" => related.pods = cluster.list(&POD, Some(obj.namespace()))?,
        "Service" => related.endpoint_slices = endpoint_slices(cluster, obj)?,
        "Namespace" => {
            related.quotas = cluster.list(&crate::api::kinds::RESOURCEQUOTA, Some(obj.name()))?;
            related.limit_ranges = cluster.list(&crate::api::kinds::LIMITRANGE, Some(obj.name()))?;
        }
        "ServiceAccount" => related.secrets = cluster.list(&crate::api::kinds::SECRET, Some(obj.namespace()))?,
        "Ingress" => {
            // The describer lists each backend's EndpointSlices and gets its Service by name.
            let ns = obj.namespace();
            let names = crate::print::describe::ingress_service_names(obj);
            for name in &names {
                if let Some(svc) = cluster.get(&Key::new(&crate::api::kinds::SERVICE, ns, name))? {
                    related.services.push(svc);
                }
            }
            if !names.is_empty() {
                related.endpoint_slices = cluster
                    .list(&crate::api::kinds::ENDPOINTSLICE, Some(ns))?
                    .into_iter()
                    .filter(|s| s.labels().get("kubernetes.io/service-name").is_some_and(|n| names.contains(n)))
                    .collect();
            }
        }
        "Node" => {
            related.pods = node_pods(cluster.list(&POD, None)?, obj.name());
            related.lease = cluster.get(&Key::new(&LEASE, "kube-node-lease", obj.name()))?;
        }
        _ => {}
    }
    let text = describe(kind, obj, &related, now);
    if show_events {
        return Ok(text);
    }
    // kubectl's describers print the events last, from an `Events:` line on.
    Ok(match text.rfind("\nEvents:") {
        Some(at) => text[..=at].to_string(),
        None => text,
    })
}

/// kubectl lists a node's pods with the field selector
/// `spec.nodeName=N,status.phase!=Succeeded,status.phase!=Failed`.
fn node_pods(pods: Vec<Value>, node: &str) -> Vec<Value> {
    pods.into_iter()
        .filter(|p| p.str_at("spec.nodeName") == node && !matches!(p.str_at("status.phase"), "Succeeded" | "Failed"))
        .collect()
}

/// The EndpointSlices of a service, as kubectl finds them: by the `kubernetes.io/service-name` label.
fn endpoint_slices(cluster: &mut Cluster, svc: &Value) -> Result<Vec<Value>> {
    cluster.load(&ENDPOINTSLICE, Some(svc.namespace()))?;
    Ok(cluster
        .iter(&ENDPOINTSLICE, Some(svc.namespace()))
        .filter(|s| s.labels().get("kubernetes.io/service-name").map(String::as_str) == Some(svc.name()))
        .cloned()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(name: &str, node: &str, phase: &str) -> Value {
        json!({"metadata": {"name": name}, "spec": {"nodeName": node}, "status": {"phase": phase}})
    }

    #[test]
    fn a_node_lists_only_its_pods_that_have_not_finished() {
        let pods = vec![pod("a", "n1", "Running"), pod("done", "n1", "Succeeded"), pod("elsewhere", "n2", "Running")];
        let kept = node_pods(pods, "n1");
        assert_eq!(kept.iter().map(|p| p.name()).collect::<Vec<_>>(), ["a"]);
    }
}
