//! networking/v1 validation (pkg/apis/networking/validation): a NetworkPolicy's selectors, ports,
//! peers and IP blocks, and its policy types; an Ingress's rules, paths, backends and TLS hosts;
//! an IngressClass's controller and parameters.

use serde_json::Value;

use super::names::{self, q};
use super::{meta, Causes};
use crate::api::object::ObjectExt;
use crate::error::FieldError;

/// `ValidateLabelSelector`: label rules for matchLabels, then for each expression an operator
/// and values that fit it, a qualified-name key and label-value values.
pub(super) fn label_selector(sel: Option<&Value>, path: &str, c: &mut Causes) {
    let Some(sel) = sel.filter(|s| s.is_object()) else { return };
    meta::labels(sel.get("matchLabels"), &format!("{path}.matchLabels"), c);
    for (i, e) in sel.array_at("matchExpressions").iter().enumerate() {
        let p = format!("{path}.matchExpressions[{i}]");
        let values = e.array_at("values");
        match e.str_at("operator") {
            "In" | "NotIn" if values.is_empty() => c.push(FieldError::required(
                format!("{p}.values"),
                "must be specified when `operator` is 'In' or 'NotIn'",
            )),
            "Exists" | "DoesNotExist" if !values.is_empty() => c.push(FieldError::forbidden(
                format!("{p}.values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            op => c.push(FieldError::invalid(format!("{p}.operator"), &q(op), "not a valid selector operator")),
        }
        let key = e.str_at("key");
        for msg in names::qualified_name(key) {
            c.push(FieldError::invalid(format!("{p}.key"), &q(key), &msg));
        }
        for (j, v) in values.iter().enumerate() {
            let v = v.as_str().unwrap_or("");
            for msg in names::label_value(v) {
                c.push(FieldError::invalid(format!("{p}.values[{j}]"), &q(v), &msg));
            }
        }
    }
}

/// `ValidateNetworkPolicy` (create and update).
pub fn network_policy(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns_subdomain, c);
    label_selector(obj.at("spec.podSelector"), "spec.podSelector", c);
    for (direction, peers) in [("ingress", "from"), ("egress", "to")] {
        for (i, rule) in obj.array_at(&format!("spec.{direction}")).iter().enumerate() {
            let path = format!("spec.{direction}[{i}]");
            for (j, port) in rule.array_at("ports").iter().enumerate() {
                policy_port(port, &format!("{path}.ports[{j}]"), c);
            }
            for (j, peer) in rule.array_at(peers).iter().enumerate() {
                policy_peer(peer, &format!("{path}.{peers}[{j}]"), c);
            }
        }
    }
    let types = obj.array_at("spec.policyTypes");
    if types.len() > 2 {
        let shown: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
        c.push(FieldError::invalid(
            "spec.policyTypes",
            &format!("[{}]", shown.join(" ")),
            "may not specify more than two policyTypes",
        ));
        return;
    }
    for (i, t) in types.iter().enumerate() {
        let t = t.as_str().unwrap_or_default();
        if t != "Ingress" && t != "Egress" {
            c.push(FieldError::unsupported(format!("spec.policyTypes[{i}]"), t, &["Ingress", "Egress"]));
        }
    }
}

/// `ValidateNetworkPolicyPort`.
fn policy_port(port: &Value, path: &str, c: &mut Causes) {
    let protocol = port.str_at("protocol");
    if !["TCP", "UDP", "SCTP"].contains(&protocol) {
        c.push(FieldError::unsupported(format!("{path}.protocol"), protocol, &["TCP", "UDP", "SCTP"]));
    }
    let end = port.get("endPort").and_then(Value::as_i64);
    match port.get("port") {
        Some(Value::Number(n)) => {
            let p = n.as_i64().unwrap_or(0);
            for msg in names::port_num(p) {
                c.push(FieldError::invalid(format!("{path}.port"), &p.to_string(), &msg));
            }
            if let Some(end) = end {
                if end < p {
                    c.push(FieldError::invalid(
                        format!("{path}.endPort"),
                        &end.to_string(),
                        "must be greater than or equal to `port`",
                    ));
                }
                for msg in names::port_num(end) {
                    c.push(FieldError::invalid(format!("{path}.endPort"), &end.to_string(), &msg));
                }
            }
        }
        Some(Value::String(s)) => {
            if let Some(end) = end {
                c.push(FieldError::invalid(
                    format!("{path}.endPort"),
                    &end.to_string(),
                    "may not be specified when `port` is non-numeric",
                ));
            }
            for msg in names::port_name(s) {
                c.push(FieldError::invalid(format!("{path}.port"), &q(s), &msg));
            }
        }
        _ => {
            if let Some(end) = end {
                c.push(FieldError::invalid(
                    format!("{path}.endPort"),
                    &end.to_string(),
                    "may not be specified when `port` is not specified",
                ));
            }
        }
    }
}

/// `ValidateNetworkPolicyPeer`: pod and namespace selectors together, or an IP block alone.
fn policy_peer(peer: &Value, path: &str, c: &mut Causes) {
    let present = |f: &str| peer.get(f).is_some_and(|v| !v.is_null());
    let mut peers = 0;
    for f in ["podSelector", "namespaceSelector"] {
        if present(f) {
            peers += 1;
            label_selector(peer.get(f), &format!("{path}.{f}"), c);
        }
    }
    if present("ipBlock") {
        peers += 1;
        ip_block(peer.get("ipBlock").unwrap_or(&Value::Null), &format!("{path}.ipBlock"), c);
    }
    if peers == 0 {
        c.push(FieldError::required(path.to_string(), "must specify a peer"));
    } else if peers > 1 && present("ipBlock") {
        c.push(FieldError::forbidden(path.to_string(), "may not specify both ipBlock and another peer"));
    }
}

/// An IPv4 or IPv6 CIDR: (address bits, prefix length), or None when it does not parse.
fn parse_cidr(s: &str) -> Option<(u128, u32, u32)> {
    let (ip, len) = s.split_once('/')?;
    let len: u32 = len.parse().ok()?;
    if let Ok(v4) = ip.parse::<std::net::Ipv4Addr>() {
        return (len <= 32).then_some((u128::from(u32::from(v4)), len, 32));
    }
    let v6 = ip.parse::<std::net::Ipv6Addr>().ok()?;
    (len <= 128).then_some((u128::from(v6), len, 128))
}

const CIDR_MSG: &str = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

/// `ValidateIPBlock`: a CIDR, and exceptions strictly inside it.
fn ip_block(block: &Value, path: &str, c: &mut Causes) {
    let cidr = block.str_at("cidr");
    if cidr.is_empty() {
        c.push(FieldError::required(format!("{path}.cidr"), ""));
        return;
    }
    let Some((net, len, bits)) = parse_cidr(cidr) else {
        c.push(FieldError::invalid(format!("{path}.cidr"), &q(cidr), CIDR_MSG));
        return;
    };
    for (i, except) in block.array_at("except").iter().enumerate() {
        let except = except.as_str().unwrap_or_default();
        let p = format!("{path}.except[{i}]");
        let Some((ip, except_len, except_bits)) = parse_cidr(except) else {
            c.push(FieldError::invalid(p, &q(except), CIDR_MSG));
            continue;
        };
        let shift = bits - len;
        let inside = except_bits == bits && (shift >= 128 || (ip >> shift) == (net >> shift));
        if !inside || len >= except_len {
            c.push(FieldError::invalid(p, &q(except), "must be a strict subset of `cidr`"));
        }
    }
}

/// `ValidateIngressCreate` / `ValidateIngressUpdate` (the relaxations for stored invalid
/// objects aside).
pub fn ingress(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns_subdomain, c);
    let rules = obj.at("spec.rules").and_then(Value::as_array);
    let backend = obj.at("spec.defaultBackend").filter(|b| !b.is_null());
    if rules.is_none_or(Vec::is_empty) && backend.is_none() {
        let shown = if rules.is_some() { "[]networking.IngressRule{}" } else { "[]networking.IngressRule(nil)" };
        c.push(FieldError::invalid("spec", shown, "either `defaultBackend` or `rules` must be specified"));
    }
    if let Some(b) = backend {
        ingress_backend(b, "spec.defaultBackend", c);
    }
    for (i, rule) in rules.map_or(&[][..], Vec::as_slice).iter().enumerate() {
        let path = format!("spec.rules[{i}]");
        let host = rule.str_at("host");
        if !host.is_empty() {
            if host.parse::<std::net::IpAddr>().is_ok() {
                c.push(FieldError::invalid(format!("{path}.host"), &q(host), "must be a DNS name, not an IP address"));
            }
            for msg in dns_host(host) {
                c.push(FieldError::invalid(format!("{path}.host"), &q(host), &msg));
            }
        }
        if let Some(http) = rule.get("http").filter(|h| !h.is_null()) {
            let paths = http.array_at("paths");
            if paths.is_empty() {
                c.push(FieldError::required(format!("{path}.http.paths"), ""));
            }
            for (j, p) in paths.iter().enumerate() {
                http_path(p, &format!("{path}.http.paths[{j}]"), c);
            }
        }
    }
    for (i, tls) in obj.array_at("spec.tls").iter().enumerate() {
        for (j, host) in tls.array_at("hosts").iter().enumerate() {
            let host = host.as_str().unwrap_or_default();
            for msg in dns_host(host) {
                c.push(FieldError::invalid(format!("spec.tls[{i}].hosts[{j}]"), &q(host), &msg));
            }
        }
        let secret = tls.str_at("secretName");
        if !secret.is_empty() {
            for msg in names::name_is_dns_subdomain(secret, false) {
                c.push(FieldError::invalid(format!("spec.tls[{i}].secretName"), &q(secret), &msg));
            }
        }
    }
    if let Some(class) = obj.at("spec.ingressClassName").and_then(Value::as_str) {
        for msg in names::name_is_dns_subdomain(class, false) {
            c.push(FieldError::invalid("spec.ingressClassName", &q(class), &msg));
        }
        if let Some(annotation) = obj.annotation("kubernetes.io/ingress.class").filter(|a| *a != class) {
            c.push(FieldError::invalid(
                "annotations.kubernetes.io/ingress.class",
                &q(annotation),
                "must match `ingressClassName` when both are specified",
            ));
        }
    }
}

/// `IsDNS1123Subdomain`, or `IsWildcardDNS1123Subdomain` for a host with a `*`.
fn dns_host(host: &str) -> Vec<String> {
    match host.strip_prefix("*.") {
        _ if !host.contains('*') => names::dns1123_subdomain(host),
        Some(rest) if !rest.contains('*') && names::dns1123_subdomain(rest).is_empty() => Vec::new(),
        _ => vec!["a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".to_string()],
    }
}

/// `validateHTTPIngressPath`.
fn http_path(p: &Value, path: &str, c: &mut Causes) {
    let Some(kind) = p.at("pathType").and_then(Value::as_str) else {
        c.push(FieldError::required(format!("{path}.pathType"), "pathType must be specified"));
        return;
    };
    let value = p.str_at("path");
    match kind {
        "Exact" | "Prefix" => {
            if !value.starts_with('/') {
                c.push(FieldError::invalid(format!("{path}.path"), &q(value), "must be an absolute path"));
            }
            for bad in ["//", "/./", "/../", "%2f", "%2F"].iter().filter(|b| !value.is_empty() && value.contains(**b)) {
                c.push(FieldError::invalid(format!("{path}.path"), &q(value), &format!("must not contain '{bad}'")));
            }
            for bad in ["/..", "/."].iter().filter(|b| value.ends_with(**b)) {
                c.push(FieldError::invalid(format!("{path}.path"), &q(value), &format!("cannot end with '{bad}'")));
            }
        }
        "ImplementationSpecific" => {
            if !value.is_empty() && !value.starts_with('/') {
                c.push(FieldError::invalid(format!("{path}.path"), &q(value), "must be an absolute path"));
            }
        }
        other => c.push(FieldError::unsupported(
            format!("{path}.pathType"),
            other,
            &["Exact", "ImplementationSpecific", "Prefix"],
        )),
    }
    ingress_backend(p.get("backend").unwrap_or(&Value::Null), &format!("{path}.backend"), c);
}

/// `validateIngressBackend`: a service (name and port name or number) or a resource, not both.
fn ingress_backend(b: &Value, path: &str, c: &mut Causes) {
    let service = b.get("service").filter(|v| !v.is_null());
    let resource = b.get("resource").filter(|v| !v.is_null());
    match (service, resource) {
        (Some(_), Some(_)) => {
            c.push(FieldError::invalid(path, "\"\"", "cannot set both resource and service backends"))
        }
        (None, Some(r)) => {
            for f in ["kind", "name"] {
                let v = r.str_at(f);
                if v.is_empty() {
                    c.push(FieldError::required(format!("{path}.resource.{f}"), ""));
                }
                for msg in super::rbac::path_segment_name(v, false) {
                    c.push(FieldError::invalid(format!("{path}.resource.{f}"), &q(v), &msg));
                }
            }
        }
        (Some(s), None) => {
            let name = s.str_at("name");
            if name.is_empty() {
                c.push(FieldError::required(format!("{path}.service.name"), ""));
            }
            for msg in names::name_is_dns1035_label(name, false).into_iter().filter(|_| !name.is_empty()) {
                c.push(FieldError::invalid(format!("{path}.service.name"), &q(name), &msg));
            }
            let port_name = s.str_at("port.name");
            let number = s.i64_at("port.number").unwrap_or(0);
            match (port_name.is_empty(), number == 0) {
                (false, false) => c.push(FieldError::invalid(path, "\"\"", "cannot set both port name & port number")),
                (false, true) => {
                    for msg in names::port_name(port_name) {
                        c.push(FieldError::invalid(format!("{path}.service.port.name"), &q(port_name), &msg));
                    }
                }
                (true, false) => {
                    for msg in names::port_num(number) {
                        c.push(FieldError::invalid(format!("{path}.service.port.number"), &number.to_string(), &msg));
                    }
                }
                (true, true) => c.push(FieldError::required(path.to_string(), "port name or number is required")),
            }
        }
        (None, None) => c.push(FieldError::invalid(path, "\"\"", "resource or service backend is required")),
    }
}

/// `ValidateIngressClass`: a domain-prefixed controller and well-formed parameters.
pub fn ingress_class(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, false, names::name_is_dns_subdomain, c);
    let controller = obj.str_at("spec.controller");
    if controller.is_empty() {
        c.push(FieldError::required("spec.controller", ""));
    } else if controller.len() > 250 {
        c.push(FieldError {
            field: "spec.controller".into(),
            detail: "Too long: may not be more than 250 bytes".into(),
        });
    } else {
        match controller.split_once('/') {
            Some((host, rest)) if !host.is_empty() && !rest.is_empty() => {
                for msg in names::dns1123_subdomain(host) {
                    c.push(FieldError::invalid("spec.controller", &q(host), &msg));
                }
            }
            _ => c.push(FieldError::invalid(
                "spec.controller",
                &q(controller),
                "must be a domain-prefixed path (such as \"acme.io/foo\")",
            )),
        }
    }
    let Some(params) = obj.at("spec.parameters").filter(|p| p.is_object()) else { return };
    for f in ["kind", "name"] {
        let v = params.str_at(f);
        if v.is_empty() {
            c.push(FieldError::required(format!("spec.parameters.{f}"), ""));
        }
        for msg in super::rbac::path_segment_name(v, false) {
            c.push(FieldError::invalid(format!("spec.parameters.{f}"), &q(v), &msg));
        }
    }
    let namespace = params.get("namespace").and_then(Value::as_str);
    match params.str_at("scope") {
        "Namespace" if namespace.is_none() => {
            c.push(FieldError::required("spec.parameters.namespace", "`parameters.scope` is set to 'Namespace'"))
        }
        "Cluster" if namespace.is_some() => {
            c.push(FieldError::forbidden("spec.parameters.namespace", "`parameters.scope` is set to 'Cluster'"))
        }
        "Namespace" | "Cluster" => {}
        other => c.push(FieldError::unsupported("spec.parameters.scope", other, &["Cluster", "Namespace"])),
    }
}

/// `ValidateIngressClassUpdate`: the controller never changes.
pub fn ingress_class_update(old: &Value, new: &Value, c: &mut Causes) {
    let controller = new.str_at("spec.controller");
    if old.str_at("spec.controller") != controller {
        c.push(FieldError::invalid("spec.controller", &q(controller), "field is immutable"));
    }
    ingress_class(new, c);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn peers_ports_and_blocks_are_checked() {
        let np = json!({"kind": "NetworkPolicy", "metadata": {"name": "n", "namespace": "default"},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Sideways"],
                "ingress": [{"ports": [{"protocol": "ICMP", "port": 70000}],
                             "from": [{}, {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["11.0.0.0/16"]},
                                           "podSelector": {}}]}]}});
        let mut c = Causes::new();
        network_policy(&np, &mut c);
        let got: Vec<String> = c.iter().map(|e| format!("{}: {}", e.field, e.detail)).collect();
        assert_eq!(
            got,
            [
                "spec.ingress[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\"",
                "spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
                "spec.ingress[0].from[0]: Required value: must specify a peer",
                "spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: \"11.0.0.0/16\": must be a strict subset of `cidr`",
                "spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer",
                "spec.policyTypes[1]: Unsupported value: \"Sideways\": supported values: \"Ingress\", \"Egress\"",
            ]
        );
    }
}
