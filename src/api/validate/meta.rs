//! `ValidateObjectMeta` and label/annotation rules.

use serde_json::Value;

use super::names::{self, q, NameFn};
use super::Causes;
use crate::api::object::ObjectExt;
use crate::error::FieldError;

/// Name/generateName by `name_fn`, the namespace when given, labels and annotations.
/// (A namespaced object always has its namespace by the time it is validated: the server takes
/// it from the request. kubectl strips it from cluster-scoped objects.)
pub fn object_meta(obj: &Value, namespaced: bool, name_fn: NameFn, c: &mut Causes) {
    let generate = obj.str_at("metadata.generateName");
    if !generate.is_empty() {
        for msg in name_fn(generate, true) {
            c.push(FieldError::invalid("metadata.generateName", &q(generate), &msg));
        }
    }
    let name = obj.name();
    if name.is_empty() {
        c.push(FieldError::required("metadata.name", "name or generateName is required"));
    } else {
        for msg in name_fn(name, false) {
            c.push(FieldError::invalid("metadata.name", &q(name), &msg));
        }
    }
    let ns = obj.namespace();
    if namespaced && !ns.is_empty() {
        for msg in names::name_is_dns_label(ns, false) {
            c.push(FieldError::invalid("metadata.namespace", &q(ns), &msg));
        }
    }
    labels(obj.at("metadata.labels"), "metadata.labels", c);
    annotations(obj.at("metadata.annotations"), "metadata.annotations", c);
}

/// `ValidateLabels`: keys are qualified names, values label values (sorted by key, as Go's
/// validation walks a map in random order but reports are stable enough to sort).
pub fn labels(v: Option<&Value>, path: &str, c: &mut Causes) {
    let Some(m) = v.and_then(Value::as_object) else { return };
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    for k in keys {
        for msg in names::qualified_name(k) {
            c.push(FieldError::invalid(path, &q(k), &msg));
        }
        let value = m[k].as_str().unwrap_or("");
        for msg in names::label_value(value) {
            c.push(FieldError::invalid(path, &q(value), &msg));
        }
    }
}

/// `ValidateAnnotations`: qualified-name keys and a 256 KiB total.
pub fn annotations(v: Option<&Value>, path: &str, c: &mut Causes) {
    let Some(m) = v.and_then(Value::as_object) else { return };
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    let mut total = 0;
    for k in keys {
        for msg in names::qualified_name(&k.to_lowercase()) {
            c.push(FieldError::invalid(path, &q(k), &msg));
        }
        total += k.len() + m[k].as_str().map_or(0, str::len);
    }
    if total > 256 * 1024 {
        c.push(FieldError { field: path.to_string(), detail: "Too long: must have at most 262144 bytes".into() });
    }
}

/// `ValidateNonnegativeField`.
pub fn non_negative(v: Option<&Value>, path: &str, c: &mut Causes) {
    if let Some(n) = v.and_then(Value::as_i64) {
        if n < 0 {
            c.push(FieldError::invalid(path, &n.to_string(), "must be greater than or equal to 0"));
        }
    }
}
