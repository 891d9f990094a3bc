//! Pod validation (`ValidatePodCreate` → `ValidatePodSpec`), in the server's order: volumes,
//! containers, init containers, restartPolicy, dnsPolicy.

use std::collections::BTreeSet;

use serde_json::Value;

use super::names::{self, q, scalar};
use super::{meta, Causes};
use crate::api::object::ObjectExt;
use crate::api::quantity::Quantity;
use crate::error::FieldError;

pub fn create(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns_subdomain, c);
    let spec = obj.get("spec").cloned().unwrap_or(Value::Null);
    pod_spec(&spec, "spec", &[], c);
}

/// A pod spec at `path`; `extra_volumes` are names mounts may also refer to (a StatefulSet's
/// claim templates).
pub fn pod_spec(spec: &Value, path: &str, extra_volumes: &[String], c: &mut Causes) {
    let mut vols = volumes(spec, &format!("{path}.volumes"), c);
    vols.extend(extra_volumes.iter().cloned());
    let containers = spec.get("containers").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    if containers.is_empty() {
        c.push(FieldError::required(format!("{path}.containers"), ""));
    }
    let mut seen = BTreeSet::new();
    for (i, ctr) in containers.iter().enumerate() {
        container(ctr, &format!("{path}.containers[{i}]"), &vols, &mut seen, c);
    }
    let inits = spec.get("initContainers").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    for (i, ctr) in inits.iter().enumerate() {
        container(ctr, &format!("{path}.initContainers[{i}]"), &vols, &mut seen, c);
    }
    let restart = spec.get("restartPolicy").and_then(Value::as_str).unwrap_or("");
    match restart {
        "Always" | "OnFailure" | "Never" => {}
        "" => c.push(FieldError::required(format!("{path}.restartPolicy"), "")),
        other => {
            c.push(FieldError::unsupported(format!("{path}.restartPolicy"), other, &["Always", "OnFailure", "Never"]))
        }
    }
    let dns = spec.get("dnsPolicy").and_then(Value::as_str).unwrap_or("");
    match dns {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => {}
        "" => c.push(FieldError::required(format!("{path}.dnsPolicy"), "")),
        other => c.push(FieldError::unsupported(
            format!("{path}.dnsPolicy"),
            other,
            &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        )),
    }
    tolerations(spec, &format!("{path}.tolerations"), c);
}

/// `ValidateTolerations`, but for the label syntax of keys and values: an empty key needs
/// Exists, `tolerationSeconds` needs NoExecute, and operator and effect are from their lists.
fn tolerations(spec: &Value, path: &str, c: &mut Causes) {
    let list = spec.get("tolerations").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    for (i, t) in list.iter().enumerate() {
        let (key, op, effect) = (t.str_at("key"), t.str_at("operator"), t.str_at("effect"));
        if key.is_empty() && op != "Exists" {
            let msg = "operator must be Exists when `key` is empty, which means \"match all values and all keys\"";
            c.push(FieldError::invalid(format!("{path}[{i}].operator"), &q(op), msg));
        }
        if t.get("tolerationSeconds").is_some_and(|v| !v.is_null()) && effect != "NoExecute" {
            let msg = "effect must be 'NoExecute' when `tolerationSeconds` is set";
            c.push(FieldError::invalid(format!("{path}[{i}].effect"), &q(effect), msg));
        }
        if !matches!(op, "" | "Equal" | "Exists") {
            c.push(FieldError::unsupported(format!("{path}[{i}].operator"), op, &["Equal", "Exists"]));
        }
        if !matches!(effect, "" | "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
            let supported = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
            c.push(FieldError::unsupported(format!("{path}[{i}].effect"), effect, &supported));
        }
    }
}

/// `ValidateVolumes`: names (required, DNS label, unique); returns the valid names.
fn volumes(spec: &Value, path: &str, c: &mut Causes) -> BTreeSet<String> {
    let mut names_seen = BTreeSet::new();
    let list = spec.get("volumes").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    for (i, v) in list.iter().enumerate() {
        let name = v.get("name").and_then(Value::as_str).unwrap_or("");
        let name_path = format!("{path}[{i}].name");
        if name.is_empty() {
            c.push(FieldError::required(name_path, ""));
        } else {
            let errs = names::dns1123_label(name);
            for msg in &errs {
                c.push(FieldError::invalid(name_path.clone(), &q(name), msg));
            }
            if names_seen.contains(name) {
                c.push(FieldError { field: name_path, detail: format!("Duplicate value: {}", q(name)) });
            } else if errs.is_empty() {
                names_seen.insert(name.to_string());
            }
        }
    }
    names_seen
}

fn container(ctr: &Value, path: &str, vols: &BTreeSet<String>, seen: &mut BTreeSet<String>, c: &mut Causes) {
    let name = ctr.get("name").and_then(Value::as_str).unwrap_or("");
    if name.is_empty() {
        c.push(FieldError::required(format!("{path}.name"), ""));
    } else {
        for msg in names::dns1123_label(name) {
            c.push(FieldError::invalid(format!("{path}.name"), &q(name), &msg));
        }
    }
    if ctr.get("image").and_then(Value::as_str).unwrap_or("").is_empty() {
        c.push(FieldError::required(format!("{path}.image"), ""));
    }
    ports(ctr, &format!("{path}.ports"), c);
    env(ctr, &format!("{path}.env"), c);
    volume_mounts(ctr, &format!("{path}.volumeMounts"), vols, c);
    let pull = ctr.get("imagePullPolicy").and_then(Value::as_str).unwrap_or("");
    match pull {
        "Always" | "IfNotPresent" | "Never" => {}
        "" => c.push(FieldError::required(format!("{path}.imagePullPolicy"), "")),
        other => c.push(FieldError::unsupported(
            format!("{path}.imagePullPolicy"),
            other,
            &["Always", "IfNotPresent", "Never"],
        )),
    }
    resources(ctr, &format!("{path}.resources"), c);
    if !name.is_empty() && !seen.insert(name.to_string()) {
        c.push(FieldError { field: format!("{path}.name"), detail: format!("Duplicate value: {}", q(name)) });
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = ctr.get(probe).filter(|p| p.is_object()) {
            let handlers =
                ["exec", "httpGet", "tcpSocket", "grpc"].iter().filter(|h| p.get(**h).is_some_and(|v| !v.is_null()));
            if handlers.count() == 0 {
                c.push(FieldError::required(format!("{path}.{probe}"), "must specify a handler type"));
            }
        }
    }
}

/// `ValidateEnv`'s rules on where a value comes from: a `valueFrom` names exactly one source and
/// excludes a `value` (what `kubectl set env` followed by an `apply` with `valueFrom` produces).
fn env(ctr: &Value, path: &str, c: &mut Causes) {
    let list = ctr.get("env").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    for (i, ev) in list.iter().enumerate() {
        if ev.get("name").and_then(Value::as_str).unwrap_or("").is_empty() {
            c.push(FieldError::required(format!("{path}[{i}].name"), ""));
        }
        let Some(from) = ev.get("valueFrom").filter(|v| v.is_object()) else { continue };
        let sources = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"]
            .iter()
            .filter(|k| from.get(**k).is_some_and(|v| !v.is_null()))
            .count();
        let has_value = !ev.get("value").and_then(Value::as_str).unwrap_or("").is_empty();
        let detail = match sources {
            0 => "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
            _ if has_value => "may not be specified when `value` is not empty",
            1 => continue,
            _ => "may not have more than one field specified at a time",
        };
        c.push(FieldError::invalid(format!("{path}[{i}].valueFrom"), "\"\"", detail));
    }
}

/// `ValidateResourceRequirements` for cpu, memory and the like: no negative quantity, and no
/// request above its limit (reported on the requests map, as v1.32 does).
fn resources(ctr: &Value, path: &str, c: &mut Causes) {
    let map =
        |k: &str| ctr.get("resources").and_then(|r| r.get(k)).and_then(Value::as_object).cloned().unwrap_or_default();
    let (limits, requests) = (map("limits"), map("requests"));
    let negative = |kind: &str, name: &str, amount: &Quantity, c: &mut Causes| {
        if amount.is_negative() {
            let field = format!("{path}.{kind}[{name}]");
            c.push(FieldError::invalid(field, &q(&amount.to_string()), "must be greater than or equal to 0"));
        }
    };
    for (name, v) in &limits {
        if let Some(lim) = Quantity::from_json(v) {
            negative("limits", name, &lim, c);
        }
    }
    for (name, v) in &requests {
        let Some(req) = Quantity::from_json(v) else { continue };
        negative("requests", name, &req, c);
        if let Some(lim) = limits.get(name).and_then(Quantity::from_json).filter(|lim| req > *lim) {
            let msg = format!("must be less than or equal to {name} limit of {lim}");
            c.push(FieldError::invalid(format!("{path}.requests"), &q(&req.to_string()), &msg));
        }
    }
}

/// `validateContainerPorts`.
fn ports(ctr: &Value, path: &str, c: &mut Causes) {
    let list = ctr.get("ports").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let mut port_names = BTreeSet::new();
    for (i, p) in list.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let name = p.get("name").and_then(Value::as_str).unwrap_or("");
        if !name.is_empty() {
            for msg in names::port_name(name) {
                c.push(FieldError::invalid(format!("{at}.name"), &q(name), &msg));
            }
            if !port_names.insert(name.to_string()) {
                c.push(FieldError { field: format!("{at}.name"), detail: format!("Duplicate value: {}", q(name)) });
            }
        }
        let port = p.get("containerPort").and_then(Value::as_i64).unwrap_or(0);
        if port == 0 {
            c.push(FieldError::required(format!("{at}.containerPort"), ""));
        } else {
            for msg in names::port_num(port) {
                c.push(FieldError::invalid(format!("{at}.containerPort"), &port.to_string(), &msg));
            }
        }
        if let Some(host) = p.get("hostPort").and_then(Value::as_i64).filter(|h| *h != 0) {
            for msg in names::port_num(host) {
                c.push(FieldError::invalid(format!("{at}.hostPort"), &host.to_string(), &msg));
            }
        }
        protocol(p.get("protocol"), &format!("{at}.protocol"), c);
    }
}

/// Protocol required and one of SCTP/TCP/UDP (listed sorted, as `sets.List` gives them).
pub fn protocol(v: Option<&Value>, path: &str, c: &mut Causes) {
    match v.and_then(Value::as_str).unwrap_or("") {
        "TCP" | "UDP" | "SCTP" => {}
        "" => c.push(FieldError::required(path, "")),
        other => c.push(FieldError::unsupported(path, other, &["SCTP", "TCP", "UDP"])),
    }
}

/// `ValidateVolumeMounts`: each mount names a volume (or claim template) and has a unique path.
fn volume_mounts(ctr: &Value, path: &str, vols: &BTreeSet<String>, c: &mut Causes) {
    let list = ctr.get("volumeMounts").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let mut paths = BTreeSet::new();
    for (i, m) in list.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let name = m.get("name").and_then(Value::as_str).unwrap_or("");
        if name.is_empty() {
            c.push(FieldError::required(format!("{at}.name"), ""));
        }
        if !vols.contains(name) {
            c.push(FieldError::not_found(format!("{at}.name"), &q(name)));
        }
        let mount_path = m.get("mountPath").unwrap_or(&Value::Null);
        let mp = mount_path.as_str().unwrap_or("");
        if mp.is_empty() {
            c.push(FieldError::required(format!("{at}.mountPath"), ""));
        }
        if !paths.insert(mp.to_string()) {
            c.push(FieldError::invalid(format!("{at}.mountPath"), &scalar(mount_path), "must be unique"));
        }
    }
}
