//! `kubectl describe` of the networking kinds: a NetworkPolicy's spec in kubectl's prose
//! ("Allowing ingress traffic:", "To Port:", "From:"), an Ingress's rules with each backend's
//! endpoints (from the EndpointSlices of the backend's service), an
//! IngressClass's controller and parameters.

use serde_json::Value;

use super::common::{annotations_multiline, events, labels_multiline, string_map, Ctx, Writer};
use crate::api::ObjectExt;
use crate::clock::split;
use crate::print::workload_table::label_selector;

/// Go's `time.Time.String()` in UTC, as `%s` of a `metav1.Time` prints.
fn go_time(obj: &Value, path: &str) -> String {
    let Some(t) = obj.time_at(path) else { return "0001-01-01 00:00:00 +0000 UTC".to_string() };
    let (y, mo, d, h, mi, s) = split(t);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} +0000 UTC")
}

/// `NetworkPolicyDescriber`.
pub fn network_policy(obj: &Value) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", obj.name()));
    w.line(0, &format!("Namespace:\t{}", obj.namespace()));
    w.line(0, &format!("Created on:\t{}", go_time(obj, "metadata.creationTimestamp")));
    labels_multiline(&mut w, "Labels", &string_map(obj, "metadata.labels"));
    annotations_multiline(&mut w, "Annotations", &string_map(obj, "metadata.annotations"));
    w.line(0, "Spec:");
    w.write(1, "PodSelector: ");
    let selector = obj.at("spec.podSelector");
    let empty =
        selector.is_none_or(|s| s.map_at("matchLabels").is_empty() && s.array_at("matchExpressions").is_empty());
    if empty {
        w.line(2, "<none> (Allowing the specific traffic to all pods in this namespace)");
    } else {
        w.line(2, &label_selector(selector));
    }
    let types: Vec<&str> = obj.array_at("spec.policyTypes").iter().filter_map(Value::as_str).collect();
    for (kind, rules, peers) in [("ingress", "spec.ingress", "From"), ("egress", "spec.egress", "To")] {
        let wanted = if kind == "ingress" { "Ingress" } else { "Egress" };
        if types.contains(&wanted) {
            w.line(1, &format!("Allowing {kind} traffic:"));
            policy_rules(&mut w, obj.array_at(rules), kind, peers);
        } else {
            w.line(1, &format!("Not affecting {kind} traffic"));
        }
    }
    w.line(1, &format!("Policy Types: {}", types.join(", ")));
    w.finish()
}

const INDENT: &str = "    ";

/// `printNetworkPolicySpecIngressFrom` / `printNetworkPolicySpecEgressTo`.
fn policy_rules(w: &mut Writer, rules: &[Value], kind: &str, peers: &str) {
    if rules.is_empty() {
        w.line(0, &format!("{INDENT}<none> (Selected pods are isolated for {kind} connectivity)"));
        return;
    }
    let field = peers.to_ascii_lowercase();
    for (i, rule) in rules.iter().enumerate() {
        let ports = rule.array_at("ports");
        if ports.is_empty() {
            w.line(0, &format!("{INDENT}To Port: <any> (traffic allowed to all ports)"));
        }
        for port in ports {
            let proto = port.at("protocol").and_then(Value::as_str).unwrap_or("TCP");
            let number = match port.get("port") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => "<nil>".to_string(),
            };
            match port.get("endPort").and_then(Value::as_i64) {
                None => w.line(0, &format!("{INDENT}To Port: {number}/{proto}")),
                Some(end) => w.line(0, &format!("{INDENT}To Port Range: {number}-{end}/{proto}")),
            }
        }
        let list = rule.array_at(&field);
        if list.is_empty() {
            let what = if peers == "From" { "source" } else { "destination" };
            w.line(0, &format!("{INDENT}{peers}: <any> (traffic not restricted by {what})"));
        }
        for peer in list {
            w.line(0, &format!("{INDENT}{peers}:"));
            let pods = peer.get("podSelector").filter(|v| !v.is_null());
            let namespaces = peer.get("namespaceSelector").filter(|v| !v.is_null());
            if namespaces.is_some() {
                w.line(1, &format!("{INDENT}NamespaceSelector: {}", label_selector(namespaces)));
            }
            if pods.is_some() {
                w.line(1, &format!("{INDENT}PodSelector: {}", label_selector(pods)));
            }
            if let (None, None, Some(block)) = (pods, namespaces, peer.get("ipBlock").filter(|v| !v.is_null())) {
                w.line(1, &format!("{INDENT}IPBlock:"));
                w.line(2, &format!("{INDENT}CIDR: {}", block.str_at("cidr")));
                let except: Vec<&str> = block.array_at("except").iter().filter_map(Value::as_str).collect();
                w.line(2, &format!("{INDENT}Except: {}", except.join(", ")));
            }
        }
        if i + 1 != rules.len() {
            w.line(0, &format!("{INDENT}----------"));
        }
    }
}

/// The services an Ingress's backends name, each once, in order.
pub fn ingress_service_names(ing: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut backends: Vec<&Value> = ing.at("spec.defaultBackend").into_iter().collect();
    for rule in ing.array_at("spec.rules") {
        backends.extend(rule.array_at("http.paths").iter().filter_map(|p| p.get("backend")));
    }
    for name in backends.iter().map(|b| b.str_at("service.name")).filter(|n| !n.is_empty()) {
        if !out.iter().any(|o| o == name) {
            out.push(name.to_string());
        }
    }
    out
}

/// `describeBackendV1`: `service:port (endpoints)`, or the error fetching them; a resource
/// backend as `APIGroup: G, Kind: K, Name: N`.
fn backend(b: &Value, ctx: &Ctx) -> String {
    if let Some(svc) = b.get("service").filter(|s| !s.is_null()) {
        let name = svc.str_at("name");
        let number = svc.i64_at("port.number").unwrap_or(0);
        let port = if number != 0 { number.to_string() } else { svc.str_at("port.name").to_string() };
        let sb = format!("{name}:{port}");
        let Some(service) = ctx.related.services.iter().find(|s| s.name() == name) else {
            return format!("{sb} (<error: services \"{name}\" not found>)");
        };
        let mut port_name = String::new();
        for sp in service.array_at("spec.ports") {
            let matches_number = number != 0 && sp.i64_at("port") == Some(number);
            let matches_name = !svc.str_at("port.name").is_empty() && svc.str_at("port.name") == sp.str_at("name");
            if matches_number || matches_name {
                port_name = sp.str_at("name").to_string();
            }
        }
        let slices: Vec<Value> = ctx
            .related
            .endpoint_slices
            .iter()
            .filter(|s| s.labels().get("kubernetes.io/service-name").map(String::as_str) == Some(name))
            .cloned()
            .collect();
        return format!("{sb} ({})", super::service::format_endpoint_slices(&slices, &port_name));
    }
    if let Some(r) = b.get("resource").filter(|r| !r.is_null()) {
        let group = r.get("apiGroup").and_then(Value::as_str).unwrap_or("<none>");
        return format!("APIGroup: {group}, Kind: {}, Name: {}", r.str_at("kind"), r.str_at("name"));
    }
    String::new()
}

/// `describeIngressV1`.
pub fn ingress(ing: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", ing.name()));
    labels_multiline(&mut w, "Labels", &string_map(ing, "metadata.labels"));
    w.line(0, &format!("Namespace:\t{}", ing.namespace()));
    w.line(0, &format!("Address:\t{}", crate::print::access_table::address(ing, true)));
    let class = ing.at("spec.ingressClassName").and_then(Value::as_str).unwrap_or("<none>");
    w.line(0, &format!("Ingress Class:\t{class}"));
    let default = match ing.at("spec.defaultBackend").filter(|b| !b.is_null()) {
        Some(b) => backend(b, ctx),
        None => "<default>".to_string(),
    };
    w.line(0, &format!("Default backend:\t{default}"));
    let tls = ing.array_at("spec.tls");
    if !tls.is_empty() {
        w.line(0, "TLS:");
        for t in tls {
            let hosts: Vec<&str> = t.array_at("hosts").iter().filter_map(Value::as_str).collect();
            match t.str_at("secretName") {
                "" => w.line(1, &format!("SNI routes {}", hosts.join(","))),
                secret => w.line(1, &format!("{secret} terminates {}", hosts.join(","))),
            }
        }
    }
    w.line(0, "Rules:\n  Host\tPath\tBackends");
    w.line(1, "----\t----\t--------");
    let mut count = 0;
    for rule in ing.array_at("spec.rules") {
        let Some(http) = rule.get("http").filter(|h| !h.is_null()) else { continue };
        count += 1;
        let host = match rule.str_at("host") {
            "" => "*",
            h => h,
        };
        w.line(1, &format!("{host}\t"));
        for p in http.array_at("paths") {
            let b = p.get("backend").map(|b| backend(b, ctx)).unwrap_or_default();
            w.line(2, &format!("\t{} \t{b}", p.str_at("path")));
        }
    }
    if count == 0 {
        w.line(1, &format!("*\t*\t{default}"));
    }
    annotations_multiline(&mut w, "Annotations", &string_map(ing, "metadata.annotations"));
    events(&mut w, ctx);
    w.finish()
}

/// `describeIngressClassV1`.
pub fn ingress_class(ic: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", ic.name()));
    labels_multiline(&mut w, "Labels", &string_map(ic, "metadata.labels"));
    annotations_multiline(&mut w, "Annotations", &string_map(ic, "metadata.annotations"));
    w.line(0, &format!("Controller:\t{}", ic.str_at("spec.controller")));
    if let Some(params) = ic.at("spec.parameters").filter(|p| p.is_object()) {
        w.line(0, "Parameters:");
        if let Some(group) = params.get("apiGroup").and_then(Value::as_str) {
            w.line(1, &format!("APIGroup:\t{group}"));
        }
        w.line(1, &format!("Kind:\t{}", params.str_at("kind")));
        w.line(1, &format!("Name:\t{}", params.str_at("name")));
    }
    events(&mut w, ctx);
    w.finish()
}
