//! `kubectl describe` of the networking kinds: a NetworkPolicy's spec in kubectl's prose
//! ("Allowing ingress traffic:", "To Port:", "From:"), none of them with events.

use serde_json::Value;

use super::common::{annotations_multiline, labels_multiline, string_map, Writer};
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
