//! PodDisruptionBudget and HorizontalPodAutoscaler validation (policy
//! `ValidatePodDisruptionBudgetSpec`, autoscaling `validateHorizontalPodAutoscalerSpec`, v1.32).

use serde_json::Value;

use super::names::{self, q};
use super::{meta, Causes};
use crate::error::FieldError;

/// Go's `%#v` of an `intstr.IntOrString` (its `String` has a pointer receiver, so field errors
/// print the struct).
pub fn int_or_string(v: &Value) -> String {
    match v {
        Value::String(s) => format!("intstr.IntOrString{{Type:1, IntVal:0, StrVal:{}}}", q(s)),
        other => format!("intstr.IntOrString{{Type:0, IntVal:{}, StrVal:\"\"}}", other.as_i64().unwrap_or(0)),
    }
}

/// The percentage of a `"N%"` string.
fn percent(v: &Value) -> Option<i64> {
    v.as_str().and_then(|s| s.strip_suffix('%')).and_then(|n| n.parse().ok())
}

/// `ValidatePositiveIntOrPercent` and, with `at_most_100`, `IsNotMoreThan100Percent`.
pub fn int_or_percent(v: &Value, path: &str, at_most_100: bool, c: &mut Causes) {
    match v {
        Value::String(s) => {
            let digits = s.strip_suffix('%').filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if digits.is_none() {
                c.push(FieldError::invalid(path, &int_or_string(v), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
            }
        }
        other => meta::non_negative(Some(other), path, c),
    }
    if at_most_100 && percent(v).is_some_and(|p| p > 100) {
        c.push(FieldError::invalid(path, &int_or_string(v), "must not be greater than 100%"));
    }
}

pub fn pdb(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns_subdomain, c);
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    // Both set is refused with a dump of the Go spec (pointers included), left to the server.
    for field in ["minAvailable", "maxUnavailable"] {
        if let Some(v) = spec.get(field).filter(|v| !v.is_null()) {
            int_or_percent(v, &format!("spec.{field}"), true, c);
        }
    }
    if let Some(policy) = spec.get("unhealthyPodEvictionPolicy").and_then(Value::as_str) {
        if policy != "AlwaysAllow" && policy != "IfHealthyBudget" {
            c.push(FieldError::unsupported(
                "spec.unhealthyPodEvictionPolicy",
                policy,
                &["AlwaysAllow", "IfHealthyBudget"],
            ));
        }
    }
}

/// `IsValidPathSegmentName`.
fn path_segment(s: &str) -> Vec<String> {
    if s == "." || s == ".." {
        return vec![format!("may not be '{s}'")];
    }
    ["/", "%"].iter().filter(|bad| s.contains(**bad)).map(|bad| format!("may not contain '{bad}'")).collect()
}

pub fn hpa(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns_subdomain, c);
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let min = spec.get("minReplicas").and_then(Value::as_i64);
    let max = spec.get("maxReplicas").and_then(Value::as_i64).unwrap_or(0);
    if let Some(min) = min.filter(|m| *m < 1) {
        c.push(FieldError::invalid("spec.minReplicas", &min.to_string(), "must be greater than or equal to 1"));
    }
    if max < 1 {
        c.push(FieldError::invalid("spec.maxReplicas", &max.to_string(), "must be greater than 0"));
    }
    if min.is_some_and(|m| max < m) {
        c.push(FieldError::invalid(
            "spec.maxReplicas",
            &max.to_string(),
            "must be greater than or equal to `minReplicas`",
        ));
    }
    let target = spec.get("scaleTargetRef").unwrap_or(&Value::Null);
    for field in ["kind", "name"] {
        let value = target.get(field).and_then(Value::as_str).unwrap_or("");
        let path = format!("spec.scaleTargetRef.{field}");
        if value.is_empty() {
            c.push(FieldError::required(path, ""));
        } else {
            for msg in path_segment(value) {
                c.push(FieldError::invalid(path.clone(), &q(value), &msg));
            }
        }
    }
}
