//! Service validation (`ValidateService`, the parts a headless/ClusterIP service meets).

use std::collections::BTreeSet;

use serde_json::Value;

use super::names::{self, q};
use super::{meta, pod, Causes};
use crate::api::object::ObjectExt;
use crate::error::FieldError;

const TYPES: [&str; 4] = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];

pub fn create(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns1035_label, c);
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let ty = spec.str_at("type");
    let ports = spec.array_at("ports");
    let headless = spec.str_at("clusterIP") == "None";
    if ports.is_empty() && ty != "ExternalName" && !headless {
        c.push(FieldError::required("spec.ports", ""));
    }
    let mut seen = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        port(p, &format!("spec.ports[{i}]"), ports.len() > 1, &mut seen, c);
    }
    meta::labels(spec.get("selector"), "spec.selector", c);
    let affinity = spec.str_at("sessionAffinity");
    if affinity != "None" && affinity != "ClientIP" {
        c.push(FieldError::unsupported("spec.sessionAffinity", affinity, &["ClientIP", "None"]));
    }
    if !TYPES.contains(&ty) {
        c.push(FieldError::unsupported("spec.type", ty, &TYPES));
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
    match p.get("targetPort") {
        Some(Value::Number(n)) => {
            let n = n.as_i64().unwrap_or(0);
            for msg in names::port_num(n) {
                c.push(FieldError::invalid(format!("{path}.targetPort"), &n.to_string(), &msg));
            }
        }
        Some(Value::String(s)) => {
            for msg in names::port_name(s) {
                c.push(FieldError::invalid(format!("{path}.targetPort"), &q(s), &msg));
            }
        }
        _ => {}
    }
}
