//! `kstate describe`: one object, a name prefix, a selector, or every object of a kind.

use serde_json::{json, Value};

use super::{io, Context};
use crate::api::kinds::{Kind, EVENT, POD};
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
        "Node" => related.pods = node_pods(cluster.list(&POD, None)?, obj.name()),
        _ => {}
    }
    Ok(describe(kind, obj, &related, now))
}

/// kubectl lists a node's pods with the field selector
/// `spec.nodeName=N,status.phase!=Succeeded,status.phase!=Failed`.
fn node_pods(pods: Vec<Value>, node: &str) -> Vec<Value> {
    pods.into_iter()
        .filter(|p| p.str_at("spec.nodeName") == node && !matches!(p.str_at("status.phase"), "Succeeded" | "Failed"))
        .collect()
}

/// The EndpointSlices the endpoint-slice controller would keep for a service (kstate stores none):
/// its selected pods, one slice per distinct set of resolved ports, as `reconciler.go` groups them.
fn endpoint_slices(cluster: &mut Cluster, svc: &Value) -> Result<Vec<Value>> {
    let selector = svc.map_at("spec.selector");
    if selector.is_empty() {
        return Ok(Vec::new());
    }
    let pods = cluster.list(&POD, Some(svc.namespace()))?;
    Ok(synthesize_slices(svc, &pods))
}

/// `podutil.FindPort`: a numeric targetPort as is (the port when unset), a named one looked up in the
/// pod's container ports with the service port's protocol.
fn find_port(pod: &Value, svc_port: &Value) -> Option<i64> {
    let protocol = container_protocol(svc_port);
    match svc_port.get("targetPort") {
        Some(Value::String(name)) => pod
            .array_at("spec.containers")
            .iter()
            .flat_map(|c| c.array_at("ports"))
            .find(|p| p.str_at("name") == name && container_protocol(p) == protocol)
            .and_then(|p| p.i64_at("containerPort")),
        Some(Value::Number(n)) => n.as_i64(),
        _ => svc_port.i64_at("port"),
    }
}

fn container_protocol(port: &Value) -> &str {
    match port.str_at("protocol") {
        "" => "TCP",
        p => p,
    }
}

fn synthesize_slices(svc: &Value, pods: &[Value]) -> Vec<Value> {
    let selector = svc.map_at("spec.selector");
    let publish_not_ready = svc.at("spec.publishNotReadyAddresses").and_then(Value::as_bool).unwrap_or(false);
    // Grouped by resolved ports, in the order the groups first appear.
    let mut groups: Vec<(Vec<Value>, Vec<Value>)> = Vec::new();
    for p in pods {
        let phase = p.str_at("status.phase");
        if !selector.iter().all(|(k, v)| p.labels().get(k) == Some(v))
            || p.str_at("status.podIP").is_empty()
            || phase == "Succeeded"
            || phase == "Failed"
        {
            continue;
        }
        let ports: Vec<Value> = svc
            .array_at("spec.ports")
            .iter()
            .filter_map(|sp| {
                let number = find_port(p, sp)?;
                Some(json!({"name": sp.str_at("name"), "port": number, "protocol": sp.at("protocol").cloned().unwrap_or(json!("TCP"))}))
            })
            .collect();
        let serving = publish_not_ready || crate::controller::statefulset::condition_true(p, "Ready");
        let endpoint = json!({"addresses": [p.str_at("status.podIP")],
            "conditions": {"ready": serving && !p.is_deleting(), "serving": serving, "terminating": p.is_deleting()},
            "nodeName": p.str_at("spec.nodeName"),
            "targetRef": {"kind": "Pod", "name": p.name(), "namespace": p.namespace(), "uid": p.uid()}});
        match groups.iter_mut().find(|(key, _)| *key == ports) {
            Some((_, endpoints)) => endpoints.push(endpoint),
            None => groups.push((ports, vec![endpoint])),
        }
    }
    if groups.is_empty() {
        // The controller keeps one empty slice (the service's ports, no endpoints) for a selector that matches nothing.
        groups.push((Vec::new(), Vec::new()));
    }
    groups
        .into_iter()
        .enumerate()
        .map(|(i, (ports, endpoints))| {
            json!({
                "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
                "endpoints": endpoints, "ports": ports,
                "metadata": {"name": format!("{}-slice{i}", svc.name()), "namespace": svc.namespace(),
                             "labels": {"kubernetes.io/service-name": svc.name()}},
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, ip: &str, ready: bool) -> Value {
        json!({"metadata": {"name": name, "namespace": "default", "uid": name, "labels": {"app": "nginx"}},
               "spec": {"nodeName": "n1", "containers": [{"name": "c", "ports": [{"name": "web", "containerPort": 8080}]}]},
               "status": {"phase": "Running", "podIP": ip,
                          "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]}})
    }

    #[test]
    fn a_node_lists_only_its_pods_that_have_not_finished() {
        let mut done = pod("done", "10.0.0.3", false);
        done["status"]["phase"] = json!("Succeeded");
        let mut elsewhere = pod("elsewhere", "10.0.0.4", true);
        elsewhere["spec"]["nodeName"] = json!("n2");
        let kept = node_pods(vec![pod("a", "10.0.0.1", true), done, elsewhere], "n1");
        assert_eq!(kept.iter().map(|p| p.name()).collect::<Vec<_>>(), ["a"]);
    }

    #[test]
    fn named_target_ports_resolve_to_the_container_port() {
        let svc = json!({"metadata": {"name": "s", "namespace": "default"},
                         "spec": {"selector": {"app": "nginx"}, "ports": [{"port": 80, "targetPort": "web", "protocol": "TCP"}]}});
        let slices = synthesize_slices(&svc, &[pod("a", "10.0.0.1", true), pod("b", "10.0.0.2", false)]);
        assert_eq!(slices.len(), 1);
        assert_eq!(slices[0]["ports"][0]["port"], json!(8080));
        assert_eq!(slices[0]["endpoints"][1]["conditions"]["ready"], json!(false));
    }

    #[test]
    fn pods_without_the_named_port_get_their_own_slice() {
        let svc = json!({"metadata": {"name": "s", "namespace": "default"},
                         "spec": {"selector": {"app": "nginx"}, "ports": [{"port": 80, "targetPort": "http"}]}});
        let slices = synthesize_slices(&svc, &[pod("a", "10.0.0.1", true)]);
        assert_eq!(slices.len(), 1);
        assert_eq!(slices[0]["ports"], json!([]));
    }

    #[test]
    fn a_selector_matching_nothing_leaves_an_empty_placeholder() {
        let svc = json!({"metadata": {"name": "s", "namespace": "default"},
                         "spec": {"selector": {"app": "none"}, "ports": [{"port": 80}]}});
        let slices = synthesize_slices(&svc, &[pod("a", "10.0.0.1", true)]);
        assert_eq!(slices.len(), 1);
        assert_eq!(slices[0]["endpoints"], json!([]));
    }
}
