//! `metadata.managedFields` as the API server keeps them (`apimachinery/pkg/util/managedfields`):
//! who owns which field, recorded on every write a field manager makes (`Update`) and by
//! server-side apply (`Apply`, see [`apply`]). Entries are sorted as the server sorts them:
//! by operation, then time, then manager.

pub mod apply;
pub mod fieldset;

use serde_json::{json, Value};

use crate::api::ObjectExt;
use fieldset::Mode;

/// Who writes: a manager and the API version it writes in.
#[derive(Debug, Clone, Copy)]
pub struct Writer<'a> {
    pub manager: &'a str,
    pub api_version: &'a str,
    /// RFC 3339, the instant of the write.
    pub time: &'a str,
}

/// The entries an object carries.
pub fn entries(obj: &Value) -> Vec<Value> {
    obj.pointer("/metadata/managedFields").and_then(Value::as_array).cloned().unwrap_or_default()
}

fn set_entries(obj: &mut Value, mut list: Vec<Value>) {
    list.retain(|e| e.get("fieldsV1").and_then(Value::as_object).is_some_and(|m| !m.is_empty()));
    list.sort_by_key(sort_key);
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        if list.is_empty() {
            meta.remove("managedFields");
        } else {
            meta.insert("managedFields".into(), Value::Array(list));
        }
    }
}

fn sort_key(e: &Value) -> (String, String, String, String) {
    let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    (s("operation"), s("time"), s("manager"), s("apiVersion"))
}

fn entry(writer: Writer, operation: &str, fields: Value) -> Value {
    json!({
        "apiVersion": writer.api_version,
        "fieldsType": "FieldsV1",
        "fieldsV1": fields,
        "manager": writer.manager,
        "operation": operation,
        "time": writer.time,
    })
}

fn is(e: &Value, manager: &str, operation: &str) -> bool {
    e.str_at("manager") == manager && e.str_at("operation") == operation
}

/// Records an `Update` by `writer` that turned `old` (none for a create) into `new`: the writer
/// owns what it changed, which no other manager owns any longer, and fields gone from the object
/// leave every set. A request's own managedFields are ignored; the stored ones are kept.
pub fn record_update(old: Option<&Value>, new: &mut Value, writer: Writer) {
    let mut list = old.map(entries).unwrap_or_default();
    let changed = changed_fields(old, new);
    for e in list.iter_mut() {
        let Some(set) = e.get_mut("fieldsV1") else { continue };
        for leaf in fieldset::leaves(set) {
            let gone = fieldset::value_at(new, &leaf).is_none();
            if gone || fieldset::contains(&changed, &leaf) {
                fieldset::remove(set, &leaf);
            }
        }
    }
    let changed_any = changed.as_object().is_some_and(|m| !m.is_empty());
    if changed_any {
        match list.iter_mut().find(|e| is(e, writer.manager, "Update") && e.str_at("apiVersion") == writer.api_version)
        {
            Some(own) => {
                own["fieldsV1"] = fieldset::union(&own["fieldsV1"], &changed);
                own["time"] = json!(writer.time);
            }
            None => list.push(entry(writer, "Update", changed)),
        }
    }
    set_entries(new, list);
}

/// The part of `new`'s field set whose values differ from `old`'s, with the `.` markers of the
/// maps and list elements that are new.
fn changed_fields(old: Option<&Value>, new: &Value) -> Value {
    let full = fieldset::of_object(new, Mode::Update);
    let Some(old) = old else { return full };
    filter(&full, &mut Vec::new(), old, new)
}

fn filter(node: &Value, path: &mut Vec<String>, old: &Value, new: &Value) -> Value {
    let Some(m) = node.as_object() else { return json!({}) };
    let mut out = serde_json::Map::new();
    for (k, child) in m {
        if k == "." {
            continue;
        }
        path.push(k.clone());
        let is_leaf = child.as_object().is_none_or(|c| c.keys().all(|x| x == "."));
        if is_leaf {
            if fieldset::value_at(old, path) != fieldset::value_at(new, path) {
                out.insert(k.clone(), child.clone());
            }
        } else {
            let mut kept = filter(child, path, old, new);
            if kept.as_object().is_some_and(|c| !c.is_empty()) {
                let fresh = fieldset::value_at(old, path).is_none();
                if fresh && child.get(".").is_some() {
                    kept["."] = json!({});
                }
                out.insert(k.clone(), kept);
            }
        }
        path.pop();
    }
    Value::Object(out)
}

/// The object as `get` prints it without `--show-managed-fields`.
pub fn hide(obj: &mut Value) {
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    if let Some(items) = obj.get_mut("items").and_then(Value::as_array_mut) {
        items.iter_mut().for_each(hide);
    }
}

#[cfg(test)]
mod tests;
