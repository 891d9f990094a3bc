//! Service validation (`ValidateService`, v1.32), in the server's order: ports required, the
//! type's own rules, each port, the selector, session affinity, external IPs, the type, node
//! ports, duplicate ports, source ranges and the traffic policies.

use std::collections::BTreeSet;
use std::net::IpAddr;

use serde_json::Value;

use super::container::port_num_or_name;
use super::names::{self, q};
use super::{meta, pod, Causes};
use crate::api::object::ObjectExt;
use crate::error::FieldError;

const TYPES: [&str; 4] = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const TRAFFIC_POLICIES: [&str; 2] = ["Cluster", "Local"];

pub fn create(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns1035_label, c);
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let ty = spec.str_at("type");
    let ports = spec.array_at("ports");
    // The strategy copies clusterIP into clusterIPs before validation.
    let first_ip = spec.array_at("clusterIPs").first().and_then(Value::as_str).unwrap_or(spec.str_at("clusterIP"));
    let headless = first_ip == "None";
    if ports.is_empty() && ty != "ExternalName" && !headless {
        c.push(FieldError::required("spec.ports", ""));
    }
    type_rules(spec, ty, first_ip, c);
    let mut seen = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        port(p, &format!("spec.ports[{i}]"), ports.len() > 1, &mut seen, c);
    }
    meta::labels(spec.get("selector"), "spec.selector", c);
    session_affinity(spec, c);
    for (i, ip) in spec.array_at("externalIPs").iter().enumerate() {
        let ip = ip.as_str().unwrap_or("");
        if ip.parse::<IpAddr>().is_err() {
            c.push(FieldError::invalid(
                format!("spec.externalIPs[{i}]"),
                &q(ip),
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ));
        }
    }
    if !TYPES.contains(&ty) {
        c.push(FieldError::unsupported("spec.type", ty, &TYPES));
    }
    node_ports(ports, ty, c);
    duplicate_ports(ports, c);
    if !spec.array_at("loadBalancerSourceRanges").is_empty() && ty != "LoadBalancer" {
        c.push(FieldError::forbidden(
            "spec.LoadBalancerSourceRanges",
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    if spec.get("allocateLoadBalancerNodePorts").is_some_and(|v| !v.is_null()) && ty != "LoadBalancer" {
        c.push(FieldError::forbidden(
            "spec.allocateLoadBalancerNodePorts",
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    traffic_policies(spec, ty, c);
}

/// The per-type rules: no headless NodePort or LoadBalancer; an ExternalName service has a DNS
/// name and no cluster IPs or families.
fn type_rules(spec: &Value, ty: &str, first_ip: &str, c: &mut Causes) {
    match ty {
        "LoadBalancer" | "NodePort" if first_ip == "None" => c.push(FieldError::invalid(
            "spec.clusterIPs[0]",
            &q(first_ip),
            &format!("may not be set to 'None' for {ty} services"),
        )),
        "ExternalName" => {
            if !first_ip.is_empty() {
                c.push(FieldError::forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
            }
            if !spec.array_at("ipFamilies").is_empty() {
                c.push(FieldError::forbidden("spec.ipFamilies", "may not be set for ExternalName services"));
            }
            if spec.get("ipFamilyPolicy").is_some_and(|v| !v.is_null()) {
                c.push(FieldError::forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"));
            }
            let name = spec.str_at("externalName");
            let cname = name.strip_suffix('.').unwrap_or(name);
            if cname.is_empty() {
                c.push(FieldError::required("spec.externalName", ""));
            }
            for msg in names::dns1123_subdomain(cname).into_iter().filter(|_| !cname.is_empty()) {
                c.push(FieldError::invalid("spec.externalName", &q(cname), &msg));
            }
        }
        _ => {}
    }
}

/// `validateServicePort`.
fn port(p: &Value, path: &str, require_name: bool, seen: &mut BTreeSet<String>, c: &mut Causes) {
    let name = p.str_at("name");
    if require_name && name.is_empty() {
        c.push(FieldError::required(format!("{path}.name"), ""));
    } else if !name.is_empty() {
        for msg in names::dns1123_label(name) {
            c.push(FieldError::invalid(format!("{path}.name"), &q(name), &msg));
        }
        if !seen.insert(name.to_string()) {
            c.push(FieldError { field: format!("{path}.name"), detail: format!("Duplicate value: {}", q(name)) });
        }
    }
    let number = p.i64_at("port").unwrap_or(0);
    for msg in names::port_num(number) {
        c.push(FieldError::invalid(format!("{path}.port"), &number.to_string(), &msg));
    }
    pod::protocol(p.get("protocol"), &format!("{path}.protocol"), c);
    port_num_or_name(p.get("targetPort"), &format!("{path}.targetPort"), c);
    if let Some(app) = p.get("appProtocol").and_then(Value::as_str) {
        for msg in names::qualified_name(app) {
            c.push(FieldError::invalid(format!("{path}.appProtocol"), &q(app), &msg));
        }
    }
}

/// ClientIP affinity needs a timeout in (0, 86400]; None takes no config.
fn session_affinity(spec: &Value, c: &mut Causes) {
    let affinity = spec.str_at("sessionAffinity");
    match affinity {
        "" => c.push(FieldError::required("spec.sessionAffinity", "")),
        "None" | "ClientIP" => {}
        other => c.push(FieldError::unsupported("spec.sessionAffinity", other, &["ClientIP", "None"])),
    }
    let config = spec.get("sessionAffinityConfig").filter(|v| !v.is_null());
    if affinity == "None" && config.is_some() {
        c.push(FieldError::forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"));
    }
    if affinity != "ClientIP" {
        return;
    }
    let path = "spec.sessionAffinityConfig";
    let when = "when session affinity type is ClientIP";
    let Some(config) = config else { return c.push(FieldError::required(path, when)) };
    let Some(client) = config.get("clientIP").filter(|v| !v.is_null()) else {
        return c.push(FieldError::required(format!("{path}.clientIP"), when));
    };
    match client.i64_at("timeoutSeconds") {
        None => c.push(FieldError::required(format!("{path}.clientIP.timeoutSeconds"), when)),
        Some(t) if t <= 0 || t > 86400 => c.push(FieldError::invalid(
            format!("{path}.clientIP.timeoutSeconds"),
            &t.to_string(),
            "must be greater than 0 and less than 86400",
        )),
        Some(_) => {}
    }
}

/// What ValidateService checks again on an update that the immutability rules do not: a
/// service patched to ClusterIP keeps the node ports it had, which that type refuses.
pub fn update(obj: &Value, c: &mut Causes) {
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    node_ports(spec.array_at("ports"), spec.str_at("type"), c);
}

/// Node ports: none on a ClusterIP service, and one protocol/nodePort pair per service.
fn node_ports(ports: &[Value], ty: &str, c: &mut Causes) {
    if ty == "ClusterIP" {
        for (i, p) in ports.iter().enumerate() {
            if p.i64_at("nodePort").unwrap_or(0) != 0 {
                c.push(FieldError::forbidden(
                    format!("spec.ports[{i}].nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    let mut seen = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let node_port = p.i64_at("nodePort").unwrap_or(0);
        if node_port != 0 && !seen.insert((p.str_at("protocol").to_string(), node_port)) {
            c.push(FieldError {
                field: format!("spec.ports[{i}].nodePort"),
                detail: format!("Duplicate value: {node_port}"),
            });
        }
    }
}

/// One protocol/port pair per service; the server prints the pair as the Go struct it keys on.
fn duplicate_ports(ports: &[Value], c: &mut Causes) {
    let mut seen = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let (protocol, number) = (p.str_at("protocol"), p.i64_at("port").unwrap_or(0));
        if !seen.insert((protocol.to_string(), number)) {
            c.push(FieldError {
                field: format!("spec.ports[{i}]"),
                detail: format!(
                    "Duplicate value: core.ServicePort{{Name:\"\", Protocol:{}, AppProtocol:(*string)(nil), Port:{number}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
                    q(protocol)
                ),
            });
        }
    }
}

/// `validateServiceExternalTrafficPolicy` (the policy part) and the internal policy's values.
fn traffic_policies(spec: &Value, ty: &str, c: &mut Causes) {
    let external = spec.str_at("externalTrafficPolicy");
    let accessible =
        matches!(ty, "LoadBalancer" | "NodePort") || (ty == "ClusterIP" && !spec.array_at("externalIPs").is_empty());
    if !accessible && !external.is_empty() {
        c.push(FieldError::invalid(
            "spec.externalTrafficPolicy",
            &q(external),
            "may only be set for externally-accessible services",
        ));
    } else if accessible && !external.is_empty() && !TRAFFIC_POLICIES.contains(&external) {
        c.push(FieldError::unsupported("spec.externalTrafficPolicy", external, &TRAFFIC_POLICIES));
    }
    if let Some(internal) = spec.get("internalTrafficPolicy").and_then(Value::as_str) {
        if !TRAFFIC_POLICIES.contains(&internal) {
            c.push(FieldError::unsupported("spec.internalTrafficPolicy", internal, &TRAFFIC_POLICIES));
        }
    }
}
