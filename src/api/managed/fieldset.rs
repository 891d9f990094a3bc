//! Field sets in the API server's `FieldsV1` form: a tree whose keys are `f:NAME` (a field),
//! `k:{"name":"x"}` (a list element by its merge key), `v:VALUE` (a set element) and `.` (the
//! element or map itself), with `{}` as a leaf. The tree is kept in that JSON form, so what is
//! computed is what `managedFields[].fieldsV1` stores.

use serde_json::{json, Map, Value};

use crate::api::patch::{list_strategy, ListStrategy};

/// Fields the API server never records an owner for (`stripmeta.go`), plus status.
const STRIPPED_META: [&str; 9] = [
    "name",
    "namespace",
    "creationTimestamp",
    "selfLink",
    "uid",
    "generation",
    "managedFields",
    "resourceVersion",
    "deletionTimestamp",
];

/// Maps that an `Update` records as a member of its own (`.`), as for Go maps.
const MAPS: [&str; 10] = [
    "labels",
    "annotations",
    "data",
    "binaryData",
    "stringData",
    "nodeSelector",
    "selector",
    "limits",
    "requests",
    "parameters",
];

/// Whether the set also records granular maps and list elements themselves (`Update` does, for
/// what it creates; `Apply` records list elements only).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Apply,
    Update,
}

/// The field set of an object, without the fields no manager owns.
pub fn of_object(obj: &Value, mode: Mode) -> Value {
    let mut tree = Map::new();
    let Some(top) = obj.as_object() else { return Value::Object(tree) };
    for (k, v) in top {
        if matches!(k.as_str(), "apiVersion" | "kind" | "status") {
            continue;
        }
        let child = if k == "metadata" {
            let mut meta = v.as_object().cloned().unwrap_or_default();
            for f in STRIPPED_META {
                meta.remove(f);
            }
            if meta.is_empty() {
                continue;
            }
            walk(&Value::Object(meta), std::slice::from_ref(k), mode)
        } else {
            walk(v, std::slice::from_ref(k), mode)
        };
        tree.insert(format!("f:{k}"), child);
    }
    Value::Object(tree)
}

fn walk(v: &Value, path: &[String], mode: Mode) -> Value {
    let field = path.last().map(String::as_str).unwrap_or("");
    match v {
        Value::Object(m) if !m.is_empty() && !is_atomic(field, m) => {
            let mut node = Map::new();
            if mode == Mode::Update && MAPS.contains(&field) {
                node.insert(".".into(), json!({}));
            }
            for (k, child) in m {
                let mut p = path.to_vec();
                p.push(k.clone());
                node.insert(format!("f:{k}"), walk(child, &p, mode));
            }
            Value::Object(node)
        }
        Value::Array(items) if !items.is_empty() => {
            let parents = &path[..path.len() - 1];
            match list_strategy(parents, field) {
                ListStrategy::MergeByKey(_) => {
                    let mut node = Map::new();
                    for item in items {
                        let Some(key) = element_key(parents, field, item) else { return json!({}) };
                        let mut child = match walk_element(item, path, mode) {
                            Value::Object(m) => m,
                            _ => Map::new(),
                        };
                        child.insert(".".into(), json!({}));
                        node.insert(key, Value::Object(child));
                    }
                    Value::Object(node)
                }
                ListStrategy::MergeScalars => {
                    let node: Map<String, Value> = items.iter().map(|i| (format!("v:{}", i), json!({}))).collect();
                    Value::Object(node)
                }
                ListStrategy::Replace => json!({}),
            }
        }
        _ => json!({}),
    }
}

fn walk_element(item: &Value, path: &[String], mode: Mode) -> Value {
    let Some(m) = item.as_object() else { return json!({}) };
    let mut node = Map::new();
    for (k, child) in m {
        let mut p = path.to_vec();
        p.push(k.clone());
        node.insert(format!("f:{k}"), walk(child, &p, mode));
    }
    Value::Object(node)
}

/// A label selector (`matchLabels`/`matchExpressions`) is atomic: owned as a whole.
fn is_atomic(field: &str, m: &Map<String, Value>) -> bool {
    field == "selector" && (m.contains_key("matchLabels") || m.contains_key("matchExpressions"))
}

/// `k:{...}`: the element's merge key, with ports keyed by number and protocol (default TCP).
pub fn element_key(parents: &[String], field: &str, item: &Value) -> Option<String> {
    let ListStrategy::MergeByKey(key) = list_strategy(parents, field) else { return None };
    let mut k = Map::new();
    k.insert(key.to_string(), item.get(key)?.clone());
    if field == "ports" {
        let protocol = item.get("protocol").cloned().unwrap_or_else(|| json!("TCP"));
        k.insert("protocol".into(), protocol);
    }
    Some(format!("k:{}", Value::Object(k)))
}

/// Every leaf of a set as its path of keys (`.` markers are not leaves).
pub fn leaves(set: &Value) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    collect(set, &mut Vec::new(), &mut out);
    out
}

fn collect(node: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let Some(m) = node.as_object() else { return };
    let children: Vec<_> = m.iter().filter(|(k, _)| k.as_str() != ".").collect();
    if children.is_empty() {
        if !path.is_empty() {
            out.push(path.clone());
        }
        return;
    }
    for (k, child) in children {
        path.push(k.clone());
        collect(child, path, out);
        path.pop();
    }
}

/// Whether the set holds `path` (as a leaf or an inner node).
pub fn contains(set: &Value, path: &[String]) -> bool {
    let mut node = set;
    for k in path {
        match node.get(k) {
            Some(n) => node = n,
            None => return false,
        }
    }
    true
}

/// Takes `path` out of the set, and the parents it leaves empty.
pub fn remove(set: &mut Value, path: &[String]) {
    let Some((last, parents)) = path.split_last() else { return };
    if let Some(parent) = descend(set, parents) {
        parent.remove(last);
        let only_marker = parent.len() == 1 && parent.contains_key(".");
        if (parent.is_empty() || only_marker) && !parents.is_empty() {
            remove(set, parents);
        }
    }
}

fn descend<'a>(set: &'a mut Value, path: &[String]) -> Option<&'a mut Map<String, Value>> {
    let mut node = set;
    for k in path {
        node = node.get_mut(k)?;
    }
    node.as_object_mut()
}

/// The union of two sets.
pub fn union(a: &Value, b: &Value) -> Value {
    match (a.as_object(), b.as_object()) {
        (Some(x), Some(y)) => {
            let mut out = x.clone();
            for (k, v) in y {
                let merged = match out.get(k) {
                    Some(existing) => union(existing, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        _ => b.clone(),
    }
}

/// The value an object holds at a set path, if any.
pub fn value_at<'a>(obj: &'a Value, path: &[String]) -> Option<&'a Value> {
    let mut node = obj;
    let mut names: Vec<String> = Vec::new();
    for k in path {
        if let Some(f) = k.strip_prefix("f:") {
            node = node.get(f)?;
            names.push(f.to_string());
        } else if let Some(v) = k.strip_prefix("v:") {
            let wanted: Value = serde_json::from_str(v).ok()?;
            node = node.as_array()?.iter().find(|i| **i == wanted)?;
        } else if k.starts_with("k:") {
            let (field, parents) = names.split_last()?;
            node = node.as_array()?.iter().find(|i| element_key(parents, field, i).as_deref() == Some(k))?;
        } else {
            return None;
        }
    }
    Some(node)
}

/// The API server's path notation for a conflict: `.spec.replicas`,
/// `.spec.containers[name="nginx"].image`.
pub fn display(path: &[String]) -> String {
    let mut s = String::new();
    for k in path {
        if let Some(f) = k.strip_prefix("f:") {
            s.push('.');
            s.push_str(f);
        } else if let Some(key) = k.strip_prefix("k:") {
            let m: Map<String, Value> = serde_json::from_str(key).unwrap_or_default();
            let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k}={v}")).collect();
            s.push_str(&format!("[{}]", parts.join(",")));
        } else if let Some(v) = k.strip_prefix("v:") {
            s.push_str(&format!("[={v}]"));
        }
    }
    s
}
