//! networking/v1 validation (pkg/apis/networking/validation): a NetworkPolicy's selectors, ports,
//! peers and IP blocks, and its policy types. (Ingress and IngressClass come later in this file.)

use serde_json::Value;

use super::names::{self, q};
use super::{meta, Causes};
use crate::api::object::ObjectExt;
use crate::error::FieldError;

/// `ValidateLabelSelector`: label rules for matchLabels, an operator and values that fit it for
/// each expression.
pub(super) fn label_selector(sel: Option<&Value>, path: &str, c: &mut Causes) {
    let Some(sel) = sel.filter(|s| s.is_object()) else { return };
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
    }
    meta::labels(sel.get("matchLabels"), &format!("{path}.matchLabels"), c);
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
