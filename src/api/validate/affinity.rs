//! A pod spec's scheduling constraints (`validateAffinity`, `validateTopologySpreadConstraints`,
//! `ValidateTolerations`), v1.32.

use serde_json::Value;

use super::names::{self, q};
use super::networking::label_selector;
use super::Causes;
use crate::api::object::ObjectExt;
use crate::error::FieldError;

fn present<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key).filter(|s| !s.is_null())
}

/// `ValidateLabelName`: a qualified name.
fn label_name(key: &str, path: &str, c: &mut Causes) {
    for msg in names::qualified_name(key) {
        c.push(FieldError::invalid(path, &q(key), &msg));
    }
}

/// `validateAffinity`: node affinity, then pod affinity, then pod anti-affinity.
pub fn affinity(spec: &Value, path: &str, c: &mut Causes) {
    let Some(a) = present(spec, "affinity") else { return };
    if let Some(na) = present(a, "nodeAffinity") {
        node_affinity(na, &format!("{path}.nodeAffinity"), c);
    }
    for key in ["podAffinity", "podAntiAffinity"] {
        let Some(pa) = present(a, key) else { continue };
        let at = format!("{path}.{key}");
        let required = format!("{at}.requiredDuringSchedulingIgnoredDuringExecution");
        for (i, term) in pa.array_at("requiredDuringSchedulingIgnoredDuringExecution").iter().enumerate() {
            pod_affinity_term(term, &format!("{required}[{i}]"), c);
        }
        let preferred = format!("{at}.preferredDuringSchedulingIgnoredDuringExecution");
        for (i, w) in pa.array_at("preferredDuringSchedulingIgnoredDuringExecution").iter().enumerate() {
            let at = format!("{preferred}[{i}]");
            weight(w, &at, c);
            let term = w.get("podAffinityTerm").unwrap_or(&Value::Null);
            pod_affinity_term(term, &format!("{at}.podAffinityTerm"), c);
        }
    }
}

fn weight(w: &Value, path: &str, c: &mut Causes) {
    let n = w.i64_at("weight").unwrap_or(0);
    if !(1..=100).contains(&n) {
        c.push(FieldError::invalid(format!("{path}.weight"), &n.to_string(), "must be in the range 1-100"));
    }
}

/// `validatePodAffinityTerm`: the selectors, namespace names, and a topology key that is
/// present and a qualified name (an empty one fails both).
fn pod_affinity_term(term: &Value, path: &str, c: &mut Causes) {
    label_selector(term.get("labelSelector"), &format!("{path}.labelSelector"), c);
    label_selector(term.get("namespaceSelector"), &format!("{path}.namespaceSelector"), c);
    for ns in term.array_at("namespaces") {
        let ns = ns.as_str().unwrap_or("");
        for msg in names::dns1123_label(ns) {
            c.push(FieldError::invalid(format!("{path}.namespace"), &q(ns), &msg));
        }
    }
    let key = term.str_at("topologyKey");
    if key.is_empty() {
        c.push(FieldError::required(format!("{path}.topologyKey"), "can not be empty"));
    }
    label_name(key, &format!("{path}.topologyKey"), c);
}

/// `validateNodeAffinity`: the required selector, then each preferred term.
fn node_affinity(na: &Value, path: &str, c: &mut Causes) {
    if let Some(sel) = present(na, "requiredDuringSchedulingIgnoredDuringExecution") {
        let terms_path = format!("{path}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms");
        let terms = sel.array_at("nodeSelectorTerms");
        if terms.is_empty() {
            c.push(FieldError::required(terms_path.clone(), "must have at least one node selector term"));
        }
        for (i, term) in terms.iter().enumerate() {
            node_selector_term(term, true, &format!("{terms_path}[{i}]"), c);
        }
    }
    let preferred = format!("{path}.preferredDuringSchedulingIgnoredDuringExecution");
    for (i, p) in na.array_at("preferredDuringSchedulingIgnoredDuringExecution").iter().enumerate() {
        let at = format!("{preferred}[{i}]");
        weight(p, &at, c);
        // Preferred terms may use any label value: they can still match on a one-node cluster.
        node_selector_term(p.get("preference").unwrap_or(&Value::Null), false, &format!("{at}.preference"), c);
    }
}

/// `ValidateNodeSelectorTerm`: label expressions, then field expressions.
fn node_selector_term(term: &Value, check_values: bool, path: &str, c: &mut Causes) {
    for (j, rq) in term.array_at("matchExpressions").iter().enumerate() {
        node_selector_requirement(rq, check_values, &format!("{path}.matchExpressions[{j}]"), c);
    }
    for (j, rq) in term.array_at("matchFields").iter().enumerate() {
        node_field_requirement(rq, &format!("{path}.matchFields[{j}]"), c);
    }
}

fn node_selector_requirement(rq: &Value, check_values: bool, path: &str, c: &mut Causes) {
    let values = rq.array_at("values");
    let values_path = format!("{path}.values");
    match rq.str_at("operator") {
        "In" | "NotIn" if values.is_empty() => {
            c.push(FieldError::required(values_path.clone(), "must be specified when `operator` is 'In' or 'NotIn'"))
        }
        "Exists" | "DoesNotExist" if !values.is_empty() => c.push(FieldError::forbidden(
            values_path.clone(),
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        )),
        "Gt" | "Lt" if values.len() != 1 => c.push(FieldError::required(
            values_path.clone(),
            "must be specified single value when `operator` is 'Lt' or 'Gt'",
        )),
        "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt" => {}
        op => c.push(FieldError::invalid(format!("{path}.operator"), &q(op), "not a valid selector operator")),
    }
    label_name(rq.str_at("key"), &format!("{path}.key"), c);
    if check_values {
        for (i, v) in values.iter().enumerate() {
            let v = v.as_str().unwrap_or("");
            for msg in names::label_value(v) {
                c.push(FieldError::invalid(format!("{values_path}[{i}]"), &q(v), &msg));
            }
        }
    }
}

/// `ValidateNodeFieldSelectorRequirement`: only `metadata.name`, with one value.
fn node_field_requirement(rq: &Value, path: &str, c: &mut Causes) {
    let values = rq.array_at("values");
    match rq.str_at("operator") {
        "In" | "NotIn" => {
            if values.len() != 1 {
                c.push(FieldError::required(
                    format!("{path}.values"),
                    "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                ));
            }
        }
        op => c.push(FieldError::invalid(format!("{path}.operator"), &q(op), "not a valid selector operator")),
    }
    let key = rq.str_at("key");
    if key != "metadata.name" {
        c.push(FieldError::invalid(format!("{path}.key"), &q(key), "not a valid field selector key"));
        return;
    }
    for (i, v) in values.iter().enumerate() {
        let v = v.as_str().unwrap_or("");
        for msg in names::dns1123_subdomain(v) {
            c.push(FieldError::invalid(format!("{path}.values[{i}]"), &q(v), &msg));
        }
    }
}

/// `validateTopologySpreadConstraints`.
pub fn topology_spread(spec: &Value, path: &str, c: &mut Causes) {
    let list = spec.array_at("topologySpreadConstraints");
    for (i, t) in list.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let skew = t.i64_at("maxSkew").unwrap_or(0);
        if skew <= 0 {
            c.push(FieldError::invalid(format!("{at}.maxSkew"), &skew.to_string(), "must be greater than zero"));
        }
        let key = t.str_at("topologyKey");
        if key.is_empty() {
            c.push(FieldError::required(format!("{at}.topologyKey"), "can not be empty"));
        }
        let action = t.str_at("whenUnsatisfiable");
        if action != "DoNotSchedule" && action != "ScheduleAnyway" {
            c.push(FieldError::unsupported(
                format!("{at}.whenUnsatisfiable"),
                action,
                &["DoNotSchedule", "ScheduleAnyway"],
            ));
        }
        let repeated =
            list[i + 1..].iter().any(|r| r.str_at("topologyKey") == key && r.str_at("whenUnsatisfiable") == action);
        if repeated {
            c.push(FieldError {
                field: format!("{at}.{{topologyKey, whenUnsatisfiable}}"),
                detail: format!("Duplicate value: {}", q(&format!("{{{key}, {action}}}"))),
            });
        }
        if let Some(min) = t.i64_at("minDomains") {
            if min <= 0 {
                c.push(FieldError::invalid(format!("{at}.minDomains"), &min.to_string(), "must be greater than zero"));
            }
            if action != "DoNotSchedule" {
                let msg = format!("can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}");
                c.push(FieldError::invalid(format!("{at}.minDomains"), &min.to_string(), &msg));
            }
        }
        label_selector(t.get("labelSelector"), &format!("{at}.labelSelector"), c);
    }
}

/// `ValidateTolerations`: a qualified-name key, an empty key only with Exists, tolerationSeconds
/// only with NoExecute, a label value for Equal and none for Exists, and a known effect.
pub fn tolerations(spec: &Value, path: &str, c: &mut Causes) {
    for (i, t) in spec.array_at("tolerations").iter().enumerate() {
        let at = format!("{path}[{i}]");
        let (key, op, effect, value) = (t.str_at("key"), t.str_at("operator"), t.str_at("effect"), t.str_at("value"));
        if !key.is_empty() {
            label_name(key, &format!("{at}.key"), c);
        }
        if key.is_empty() && op != "Exists" {
            let msg = "operator must be Exists when `key` is empty, which means \"match all values and all keys\"";
            c.push(FieldError::invalid(format!("{at}.operator"), &q(op), msg));
        }
        if present(t, "tolerationSeconds").is_some() && effect != "NoExecute" {
            let msg = "effect must be 'NoExecute' when `tolerationSeconds` is set";
            c.push(FieldError::invalid(format!("{at}.effect"), &q(effect), msg));
        }
        match op {
            "" | "Equal" => {
                let errs = names::label_value(value);
                if !errs.is_empty() {
                    c.push(FieldError::invalid(format!("{at}.operator"), &q(value), &errs.join(";")));
                }
            }
            "Exists" => {
                if !value.is_empty() {
                    let msg = "value must be empty when `operator` is 'Exists'";
                    c.push(FieldError::invalid(format!("{at}.operator"), &q(value), msg));
                }
            }
            other => c.push(FieldError::unsupported(format!("{at}.operator"), other, &["Equal", "Exists"])),
        }
        if !matches!(effect, "" | "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
            let supported = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
            c.push(FieldError::unsupported(format!("{at}.effect"), effect, &supported));
        }
    }
}
