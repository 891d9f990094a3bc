//! Pod validation (`ValidatePodCreate` → `ValidatePodSpec`, v1.32), in the server's order:
//! volumes, containers, init containers, host network ports, restartPolicy, dnsPolicy,
//! nodeSelector, securityContext, affinity, dnsConfig, readiness and scheduling gates,
//! topology spread, names (service account, node, hostname, subdomain), tolerations, host
//! aliases and the scheduling class names.

use std::collections::BTreeSet;
use std::net::IpAddr;

use serde_json::Value;

use super::container::{self, id_range, seccomp_profile};
use super::names::{self, q};
use super::{affinity, meta, pod_volumes, Causes};
use crate::api::object::ObjectExt;
use crate::error::FieldError;

pub use super::container::protocol;

pub fn create(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns_subdomain, c);
    let spec = obj.get("spec").cloned().unwrap_or(Value::Null);
    pod_spec(&spec, "spec", &[], c);
    // Only a real pod's images are checked for stray whitespace (templates keep the old leniency).
    for key in ["containers", "initContainers"] {
        for (i, ctr) in spec.array_at(key).iter().enumerate() {
            let image = ctr.str_at("image");
            if image.trim() != image {
                let msg = "must not have leading or trailing whitespace";
                c.push(FieldError::invalid(format!("spec.{key}[{i}].image"), &q(image), msg));
            }
        }
    }
    // `ValidatePodCreate`: debug containers come through their subresource, and a pod bound to a
    // node has no scheduling gates left.
    if !spec.array_at("ephemeralContainers").is_empty() {
        c.push(FieldError::forbidden("spec.ephemeralContainers", "cannot be set on create"));
    }
    if !spec.str_at("nodeName").is_empty() && !spec.array_at("schedulingGates").is_empty() {
        c.push(FieldError::forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared"));
    }
}

/// A pod spec at `path`; `extra_volumes` are names mounts may also refer to (a StatefulSet's
/// claim templates).
pub fn pod_spec(spec: &Value, path: &str, extra_volumes: &[String], c: &mut Causes) {
    let mut vols = pod_volumes::volumes(spec, &format!("{path}.volumes"), c);
    vols.extend(extra_volumes.iter().cloned());
    containers(spec, path, &vols, c);
    host_network_ports(spec, path, c);
    let restart = spec.str_at("restartPolicy");
    match restart {
        "Always" | "OnFailure" | "Never" => {}
        "" => c.push(FieldError::required(format!("{path}.restartPolicy"), "")),
        other => {
            c.push(FieldError::unsupported(format!("{path}.restartPolicy"), other, &["Always", "OnFailure", "Never"]))
        }
    }
    let dns = spec.str_at("dnsPolicy");
    match dns {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => {}
        "" => c.push(FieldError::required(format!("{path}.dnsPolicy"), "")),
        other => c.push(FieldError::unsupported(
            format!("{path}.dnsPolicy"),
            other,
            &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        )),
    }
    meta::labels(spec.get("nodeSelector"), &format!("{path}.nodeSelector"), c);
    pod_security_context(spec, &format!("{path}.securityContext"), c);
    affinity::affinity(spec, &format!("{path}.affinity"), c);
    dns_config(spec, &format!("{path}.dnsConfig"), c);
    gates(spec, path, c);
    affinity::topology_spread(spec, &format!("{path}.topologySpreadConstraints"), c);
    names_and_deadline(spec, path, c);
    affinity::tolerations(spec, &format!("{path}.tolerations"), c);
    host_aliases(spec, &format!("{path}.hostAliases"), c);
    for key in ["priorityClassName", "runtimeClassName"] {
        subdomain_field(spec, key, path, c);
    }
    if let Some(p) = spec.get("preemptionPolicy").and_then(Value::as_str) {
        match p {
            "PreemptLowerPriority" | "Never" => {}
            "" => c.push(FieldError::required(format!("{path}.preemptionPolicy"), "")),
            other => c.push(FieldError::unsupported(
                format!("{path}.preemptionPolicy"),
                other,
                &["PreemptLowerPriority", "Never"],
            )),
        }
    }
}

/// `validateContainers` then `validateInitContainers`: names unique across both lists, host
/// ports unique across the regular containers.
fn containers(spec: &Value, path: &str, vols: &BTreeSet<String>, c: &mut Causes) {
    let list = spec.array_at("containers");
    let grace = spec.get("terminationGracePeriodSeconds").and_then(Value::as_i64);
    let mut names = BTreeSet::new();
    if list.is_empty() {
        c.push(FieldError::required(format!("{path}.containers"), ""));
    }
    for (i, ctr) in list.iter().enumerate() {
        let at = format!("{path}.containers[{i}]");
        container::common(ctr, &at, vols, c);
        let name = ctr.str_at("name");
        if !names.insert(name.to_string()) {
            c.push(FieldError { field: format!("{at}.name"), detail: format!("Duplicate value: {}", q(name)) });
        }
        container::regular_extras(ctr, &at, grace, c);
    }
    host_port_conflicts(list, &format!("{path}.containers"), c);
    for (i, ctr) in spec.array_at("initContainers").iter().enumerate() {
        let at = format!("{path}.initContainers[{i}]");
        container::common(ctr, &at, vols, c);
        let sidecar = container::init_extras(ctr, &at, c);
        let name = ctr.str_at("name");
        if names.contains(name) {
            c.push(FieldError { field: format!("{at}.name"), detail: format!("Duplicate value: {}", q(name)) });
        } else if !name.is_empty() {
            names.insert(name.to_string());
        }
        container::init_hooks(ctr, &at, sidecar, grace, c);
    }
}

/// `checkHostPortConflicts`: one protocol/hostIP/hostPort per pod.
fn host_port_conflicts(list: &[Value], path: &str, c: &mut Causes) {
    let mut seen = BTreeSet::new();
    for (ci, ctr) in list.iter().enumerate() {
        for (pi, p) in ctr.array_at("ports").iter().enumerate() {
            let port = p.i64_at("hostPort").unwrap_or(0);
            if port == 0 {
                continue;
            }
            let key = format!("{}/{}/{port}", p.str_at("protocol"), p.str_at("hostIP"));
            if !seen.insert(key.clone()) {
                c.push(FieldError {
                    field: format!("{path}[{ci}].ports[{pi}].hostPort"),
                    detail: format!("Duplicate value: {}", q(&key)),
                });
            }
        }
    }
}

/// `validatePodHostNetworkDeps`: with the host's network a host port must be the container port
/// (defaulting fills it in when unset).
fn host_network_ports(spec: &Value, path: &str, c: &mut Causes) {
    if !spec.get("hostNetwork").and_then(Value::as_bool).unwrap_or(false) {
        return;
    }
    for (i, ctr) in spec.array_at("containers").iter().enumerate() {
        for (j, p) in ctr.array_at("ports").iter().enumerate() {
            let (hp, cp) = (p.i64_at("hostPort").unwrap_or(0), p.i64_at("containerPort").unwrap_or(0));
            if hp != 0 && hp != cp {
                c.push(FieldError::invalid(
                    format!("{path}.containers[{i}].ports[{j}].hostPort"),
                    &hp.to_string(),
                    "must match `containerPort` when `hostNetwork` is true",
                ));
            }
        }
    }
}

/// `validatePodSpecSecurityContext`: ids, supplemental groups, sysctls, the fsGroup change
/// policy and the seccomp profile.
fn pod_security_context(spec: &Value, path: &str, c: &mut Causes) {
    let Some(sc) = spec.get("securityContext").filter(|v| v.is_object()) else { return };
    id_range(sc, "fsGroup", path, c);
    id_range(sc, "runAsUser", path, c);
    id_range(sc, "runAsGroup", path, c);
    for (g, gid) in sc.array_at("supplementalGroups").iter().enumerate() {
        let gid = gid.as_i64().unwrap_or(0);
        if !(0..=2147483647).contains(&gid) {
            c.push(FieldError::invalid(
                format!("{path}.supplementalGroups[{g}]"),
                &gid.to_string(),
                "must be between 0 and 2147483647, inclusive",
            ));
        }
    }
    let host_pid = spec.get("hostPID").and_then(Value::as_bool).unwrap_or(false);
    if host_pid && spec.get("shareProcessNamespace").and_then(Value::as_bool).unwrap_or(false) {
        c.push(FieldError::invalid(
            format!("{path}.shareProcessNamespace"),
            "true",
            "ShareProcessNamespace and HostPID cannot both be enabled",
        ));
    }
    let mut sysctls = BTreeSet::new();
    for (i, s) in sc.array_at("sysctls").iter().enumerate() {
        let name = s.str_at("name");
        if name.is_empty() {
            c.push(FieldError::required(format!("{path}.sysctls[{i}].name"), ""));
        } else if !sysctls.insert(name.to_string()) {
            c.push(FieldError {
                field: format!("{path}.sysctls[{i}].name"),
                detail: format!("Duplicate value: {}", q(name)),
            });
        }
    }
    if let Some(p) = sc.get("fsGroupChangePolicy").and_then(Value::as_str) {
        if p != "Always" && p != "OnRootMismatch" {
            c.push(FieldError::unsupported(format!("{path}.fsGroupChangePolicy"), p, &["Always", "OnRootMismatch"]));
        }
    }
    seccomp_profile(sc, path, c);
}

fn ip_errors(ip: &str, path: &str, c: &mut Causes) {
    if ip.parse::<IpAddr>().is_err() {
        c.push(FieldError::invalid(path, &q(ip), "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
    }
}

/// Go's `%#v` of a `[]string`.
fn go_string_slice(v: &[Value]) -> String {
    let items: Vec<String> = v.iter().map(|s| q(s.as_str().unwrap_or(""))).collect();
    format!("[]string{{{}}}", items.join(", "))
}

/// `validatePodDNSConfig`: a config with a nameserver when the policy is None; at most three
/// valid nameservers, at most 32 search domains that are DNS names, named options.
fn dns_config(spec: &Value, path: &str, c: &mut Causes) {
    let config = spec.get("dnsConfig").filter(|v| v.is_object());
    if spec.str_at("dnsPolicy") == "None" {
        let Some(config) = config else {
            c.push(FieldError::required(path, "must provide `dnsConfig` when `dnsPolicy` is None"));
            return;
        };
        if config.array_at("nameservers").is_empty() {
            c.push(FieldError::required(
                format!("{path}.nameservers"),
                "must provide at least one DNS nameserver when `dnsPolicy` is None",
            ));
            return;
        }
    }
    let Some(config) = config else { return };
    let servers = config.array_at("nameservers");
    if servers.len() > 3 {
        let msg = "must not have more than 3 nameservers";
        c.push(FieldError::invalid(format!("{path}.nameservers"), &go_string_slice(servers), msg));
    }
    for (i, ns) in servers.iter().enumerate() {
        ip_errors(ns.as_str().unwrap_or(""), &format!("{path}.nameservers[{i}]"), c);
    }
    let searches = config.array_at("searches");
    if searches.len() > 32 {
        let msg = "must not have more than 32 search paths";
        c.push(FieldError::invalid(format!("{path}.searches"), &go_string_slice(searches), msg));
    }
    let joined: Vec<&str> = searches.iter().map(|s| s.as_str().unwrap_or("")).collect();
    if joined.join(" ").len() > 2048 {
        let msg = "must not have more than 2048 characters (including spaces) in the search list";
        c.push(FieldError::invalid(format!("{path}.searches"), &go_string_slice(searches), msg));
    }
    for (i, s) in joined.iter().enumerate() {
        let s = s.strip_suffix('.').unwrap_or(s);
        for msg in names::dns1123_subdomain(s) {
            c.push(FieldError::invalid(format!("{path}.searches[{i}]"), &q(s), &msg));
        }
    }
    for (i, o) in config.array_at("options").iter().enumerate() {
        if o.str_at("name").is_empty() {
            c.push(FieldError::required(format!("{path}.options[{i}]"), "must not be empty"));
        }
    }
}

/// Readiness gates' condition types and scheduling gates' names are qualified names; scheduling
/// gates are unique.
fn gates(spec: &Value, path: &str, c: &mut Causes) {
    for (i, g) in spec.array_at("readinessGates").iter().enumerate() {
        let ty = g.str_at("conditionType");
        for msg in names::qualified_name(ty) {
            c.push(FieldError::invalid(format!("{path}.readinessGates[{i}].conditionType"), &q(ty), &msg));
        }
    }
    let mut seen = BTreeSet::new();
    for (i, g) in spec.array_at("schedulingGates").iter().enumerate() {
        let name = g.str_at("name");
        let at = format!("{path}.schedulingGates[{i}]");
        for msg in names::qualified_name(name) {
            c.push(FieldError::invalid(at.clone(), &q(name), &msg));
        }
        if !seen.insert(name.to_string()) {
            c.push(FieldError { field: at, detail: format!("Duplicate value: {}", q(name)) });
        }
    }
}

fn subdomain_field(spec: &Value, key: &str, path: &str, c: &mut Causes) {
    let v = spec.str_at(key);
    if !v.is_empty() {
        for msg in names::dns1123_subdomain(v) {
            c.push(FieldError::invalid(format!("{path}.{key}"), &q(v), &msg));
        }
    }
}

/// The service account and node names (DNS subdomains), the deadline (a positive int32), and
/// the pod's hostname and subdomain (DNS labels).
fn names_and_deadline(spec: &Value, path: &str, c: &mut Causes) {
    subdomain_field(spec, "serviceAccountName", path, c);
    subdomain_field(spec, "nodeName", path, c);
    if let Some(d) = spec.get("activeDeadlineSeconds").and_then(Value::as_i64) {
        if !(1..=2147483647).contains(&d) {
            c.push(FieldError::invalid(
                format!("{path}.activeDeadlineSeconds"),
                &d.to_string(),
                "must be between 1 and 2147483647, inclusive",
            ));
        }
    }
    for key in ["hostname", "subdomain"] {
        let v = spec.str_at(key);
        if !v.is_empty() {
            for msg in names::dns1123_label(v) {
                c.push(FieldError::invalid(format!("{path}.{key}"), &q(v), &msg));
            }
        }
    }
}

/// `ValidateHostAliases`: an IP and DNS-subdomain host names.
fn host_aliases(spec: &Value, path: &str, c: &mut Causes) {
    for (i, a) in spec.array_at("hostAliases").iter().enumerate() {
        ip_errors(a.str_at("ip"), &format!("{path}[{i}].ip"), c);
        for (j, h) in a.array_at("hostnames").iter().enumerate() {
            let h = h.as_str().unwrap_or("");
            for msg in names::dns1123_subdomain(h) {
                c.push(FieldError::invalid(format!("{path}[{i}].hostnames[{j}]"), &q(h), &msg));
            }
        }
    }
}
