//! `describeService` (v1.31+: endpoints from EndpointSlices), `describeEndpoints`, `describeEndpointSliceV1`.

use serde_json::Value;

use super::common::{annotations_multiline, events, int_at, labels_multiline, string_map, strings_at, Ctx, Writer};
use super::pod::int_or_string;
use crate::api::object::format_labels;
use crate::api::ObjectExt;

pub fn describe(svc: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", svc.name()));
    w.line(0, &format!("Namespace:\t{}", svc.namespace()));
    labels_multiline(&mut w, "Labels", &svc.labels());
    annotations_multiline(&mut w, "Annotations", &string_map(svc, "metadata.annotations"));
    w.line(0, &format!("Selector:\t{}", format_labels(&string_map(svc, "spec.selector"))));
    w.line(0, &format!("Type:\t{}", svc.str_at("spec.type")));
    if let Some(p) = svc.at("spec.ipFamilyPolicy").and_then(Value::as_str) {
        w.line(0, &format!("IP Family Policy:\t{p}"));
    }
    w.line(0, &format!("IP Families:\t{}", joined_or_none(&strings_at(svc, "spec.ipFamilies"))));
    w.line(0, &format!("IP:\t{}", svc.str_at("spec.clusterIP")));
    w.line(0, &format!("IPs:\t{}", joined_or_none(&strings_at(svc, "spec.clusterIPs"))));
    addresses(&mut w, svc);
    for port in svc.array_at("spec.ports") {
        port_lines(&mut w, port, &ctx.related.endpoint_slices);
    }
    w.line(0, &format!("Session Affinity:\t{}", svc.str_at("spec.sessionAffinity")));
    trailing_policies(&mut w, svc);
    events(&mut w, ctx);
    w.finish()
}

fn joined_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "<none>".to_string()
    } else {
        items.join(",")
    }
}

/// External IPs, the desired LoadBalancer IP, External Name and LoadBalancer Ingress, when set.
fn addresses(w: &mut Writer, svc: &Value) {
    let external = strings_at(svc, "spec.externalIPs");
    if !external.is_empty() {
        w.line(0, &format!("External IPs:\t{}", external.join(",")));
    }
    if !svc.str_at("spec.loadBalancerIP").is_empty() {
        w.line(0, &format!("Desired LoadBalancer IP:\t{}", svc.str_at("spec.loadBalancerIP")));
    }
    if !svc.str_at("spec.externalName").is_empty() {
        w.line(0, &format!("External Name:\t{}", svc.str_at("spec.externalName")));
    }
    let ingress = svc.array_at("status.loadBalancer.ingress");
    if !ingress.is_empty() {
        let list: Vec<String> = ingress
            .iter()
            .map(|i| match (i.str_at("ip"), i.str_at("ipMode")) {
                ("", _) => i.str_at("hostname").to_string(),
                (ip, "") => ip.to_string(),
                (ip, mode) => format!("{ip} ({mode})"),
            })
            .collect();
        w.line(0, &format!("LoadBalancer Ingress:\t{}", list.join(", ")));
    }
}

fn port_lines(w: &mut Writer, port: &Value, slices: &[Value]) {
    let name = match port.str_at("name") {
        "" => "<unset>",
        n => n,
    };
    let proto = port.str_at("protocol");
    w.line(0, &format!("Port:\t{name}\t{}/{proto}", int_at(port, "port")));
    w.line(0, &format!("TargetPort:\t{}/{proto}", int_or_string(port.get("targetPort"))));
    if int_at(port, "nodePort") != 0 {
        w.line(0, &format!("NodePort:\t{name}\t{}/{proto}", int_at(port, "nodePort")));
    }
    w.line(0, &format!("Endpoints:\t{}", format_endpoint_slices(slices, port.str_at("name"))));
}

fn trailing_policies(w: &mut Writer, svc: &Value) {
    if !svc.str_at("spec.externalTrafficPolicy").is_empty() {
        w.line(0, &format!("External Traffic Policy:\t{}", svc.str_at("spec.externalTrafficPolicy")));
    }
    if let Some(p) = svc.at("spec.internalTrafficPolicy").and_then(Value::as_str) {
        w.line(0, &format!("Internal Traffic Policy:\t{p}"));
    }
    if int_at(svc, "spec.healthCheckNodePort") != 0 {
        w.line(0, &format!("HealthCheck NodePort:\t{}", int_at(svc, "spec.healthCheckNodePort")));
    }
    let ranges = strings_at(svc, "spec.loadBalancerSourceRanges");
    if !ranges.is_empty() {
        w.line(0, &format!("LoadBalancer Source Ranges:\t{}", ranges.join(",")));
    }
    if !svc.str_at("spec.trafficDistribution").is_empty() {
        w.line(0, &format!("Traffic Distribution:\t{}", svc.str_at("spec.trafficDistribution")));
    }
}

/// Up to three ready `ip:port` for the named service port, then ` + N more...`; `<none>` without slices.
pub(super) fn format_endpoint_slices(slices: &[Value], port_name: &str) -> String {
    if slices.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let (mut list, mut more, mut count) = (Vec::new(), false, 0usize);
    let mut add = |entry: String, list: &mut Vec<String>| {
        if list.len() == MAX {
            more = true;
        }
        if !more {
            list.push(entry);
        }
        count += 1;
    };
    for slice in slices {
        let ready: Vec<&str> = slice
            .array_at("endpoints")
            .iter()
            .filter(|e| e.at("conditions.ready").and_then(Value::as_bool).unwrap_or(true))
            .filter_map(|e| e.array_at("addresses").first().and_then(Value::as_str))
            .collect();
        let ports = slice.array_at("ports");
        if ports.is_empty() {
            // Headless services may have no ports: bare addresses.
            ready.iter().for_each(|a| add(a.to_string(), &mut list));
            continue;
        }
        for p in ports.iter().filter(|p| p.str_at("name") == port_name) {
            for a in &ready {
                let host = if a.contains(':') { format!("[{a}]") } else { a.to_string() };
                add(format!("{host}:{}", int_at(p, "port")), &mut list);
            }
        }
    }
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", count - MAX)
    } else {
        joined
    }
}

pub fn describe_endpoints(ep: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", ep.name()));
    w.line(0, &format!("Namespace:\t{}", ep.namespace()));
    labels_multiline(&mut w, "Labels", &ep.labels());
    annotations_multiline(&mut w, "Annotations", &string_map(ep, "metadata.annotations"));
    w.line(0, "Subsets:");
    for subset in ep.array_at("subsets") {
        for (field, label) in [("addresses", "Addresses"), ("notReadyAddresses", "NotReadyAddresses")] {
            let ips: Vec<&str> = subset.array_at(field).iter().map(|a| a.str_at("ip")).collect();
            let joined = ips.join(",");
            w.line(1, &format!("{label}:\t{}", if joined.is_empty() { "<none>" } else { &joined }));
        }
        let ports = subset.array_at("ports");
        if !ports.is_empty() {
            w.line(1, "Ports:");
            w.line(2, "Name\tPort\tProtocol");
            w.line(2, "----\t----\t--------");
            for p in ports {
                let name = if p.str_at("name").is_empty() { "<unset>" } else { p.str_at("name") };
                w.line(2, &format!("{name}\t{}\t{}", int_at(p, "port"), p.str_at("protocol")));
            }
        }
        w.line(0, "");
    }
    events(&mut w, ctx);
    w.finish()
}

pub fn describe_endpoint_slice(eps: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", eps.name()));
    w.line(0, &format!("Namespace:\t{}", eps.namespace()));
    labels_multiline(&mut w, "Labels", &eps.labels());
    annotations_multiline(&mut w, "Annotations", &string_map(eps, "metadata.annotations"));
    w.line(0, &format!("AddressType:\t{}", eps.str_at("addressType")));
    slice_ports(&mut w, eps.array_at("ports"));
    let endpoints = eps.array_at("endpoints");
    if endpoints.is_empty() {
        w.line(0, "Endpoints: <none>");
    } else {
        w.line(0, "Endpoints:");
        for e in endpoints {
            slice_endpoint(&mut w, e);
        }
    }
    events(&mut w, ctx);
    w.finish()
}

fn slice_ports(w: &mut Writer, ports: &[Value]) {
    if ports.is_empty() {
        w.line(0, "Ports: <unset>");
        return;
    }
    w.line(0, "Ports:");
    w.line(1, "Name\tPort\tProtocol");
    w.line(1, "----\t----\t--------");
    for p in ports {
        let name = if p.str_at("name").is_empty() { "<unset>" } else { p.str_at("name") };
        let num = p.i64_at("port").map(|n| n.to_string()).unwrap_or_else(|| "<unset>".into());
        w.line(1, &format!("{name}\t{num}\t{}", p.str_at("protocol")));
    }
}

fn slice_endpoint(w: &mut Writer, e: &Value) {
    let addresses = strings_at(e, "addresses").join(", ");
    w.line(1, &format!("- Addresses:\t{}", if addresses.is_empty() { "<none>" } else { &addresses }));
    w.line(2, "Conditions:");
    let ready = e.at("conditions.ready").and_then(Value::as_bool).map(|b| b.to_string());
    w.line(3, &format!("Ready:\t{}", ready.unwrap_or_else(|| "<unset>".into())));
    let opt = |path: &str| e.at(path).and_then(Value::as_str).unwrap_or("<unset>").to_string();
    w.line(2, &format!("Hostname:\t{}", opt("hostname")));
    if let Some(t) = e.get("targetRef").filter(|v| v.is_object()) {
        w.line(2, &format!("TargetRef:\t{}/{}", t.str_at("kind"), t.str_at("name")));
    }
    w.line(2, &format!("NodeName:\t{}", opt("nodeName")));
    w.line(2, &format!("Zone:\t{}", opt("zone")));
}
