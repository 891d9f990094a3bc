//! ResourceQuota and LimitRange validation (core `ValidateResourceQuota`, `ValidateLimitRange`,
//! v1.32), for what kstate's quota and limit admission read: quantities that are not negative,
//! whole numbers for counted resources, known scopes and limit types, and `min <= max`.

use serde_json::Value;

use super::names::{self, q};
use super::{meta, Causes};
use crate::api::object::ObjectExt;
use crate::api::quantity::Quantity;
use crate::error::FieldError;

const SCOPES: [&str; 6] =
    ["Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity"];
const LIMIT_TYPES: [&str; 3] = ["Container", "PersistentVolumeClaim", "Pod"];

/// Resources counted in whole objects (`IsIntegerResourceName`).
fn integer_resource(name: &str) -> bool {
    matches!(
        name,
        "pods"
            | "services"
            | "replicationcontrollers"
            | "resourcequotas"
            | "secrets"
            | "configmaps"
            | "persistentvolumeclaims"
            | "services.nodeports"
            | "services.loadbalancers"
    ) || name.starts_with("count/")
}

/// The quantities of a ResourceList, in key order.
fn list(obj: &Value, path: &str) -> Vec<(String, Quantity)> {
    let mut out: Vec<(String, Quantity)> = obj
        .at(path)
        .and_then(Value::as_object)
        .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), Quantity::from_json(v)?))).collect())
        .unwrap_or_default();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

pub fn resource_quota(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns_subdomain, c);
    for (name, value) in list(obj, "spec.hard") {
        let field = format!("spec.hard[{name}]");
        if value.is_negative() {
            c.push(FieldError::invalid(&field, &q(&value.to_string()), "must be greater than or equal to 0"));
        } else if integer_resource(&name) && value.milli_value() % 1000 != 0 {
            c.push(FieldError::invalid(&field, &q(&value.to_string()), "must be an integer"));
        }
    }
    let scopes: Vec<&str> = obj.array_at("spec.scopes").iter().filter_map(Value::as_str).collect();
    if scopes.iter().any(|s| !SCOPES.contains(s)) {
        c.push(FieldError::invalid("spec.scopes", &format!("[{}]", scopes.join(" ")), "unsupported scope"));
    }
}

pub fn limit_range(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns_subdomain, c);
    for (i, item) in obj.array_at("spec.limits").iter().enumerate() {
        let at = format!("spec.limits[{i}]");
        let ty = item.str_at("type");
        if !LIMIT_TYPES.contains(&ty) {
            c.push(FieldError::unsupported(format!("{at}.type"), ty, &LIMIT_TYPES));
        }
        let max = list(item, "max");
        for (name, min) in list(item, "min") {
            let Some((_, max)) = max.iter().find(|(k, _)| *k == name) else { continue };
            if min > *max {
                c.push(FieldError::invalid(
                    format!("{at}.min[{name}]"),
                    &q(&min.to_string()),
                    &format!("min value {min} is greater than max value {max}"),
                ));
            }
        }
    }
}
