//! kustomize's strategic merge (kyaml's `merge2` walker), which differs from the API server's in
//! the order of merged lists: a list merged by key comes out as the patch's elements in the
//! patch's order (merged with the object's element of the same key), then the object's other
//! elements; a merged list of scalars likewise (`finalizers: [c, a]` onto `[a, b]` gives
//! `[c, a, b]`). Checked against kubectl v1.32.5. Which lists merge by which key is the API
//! server's rule (`api::patch::list_strategy`).

use serde_json::{Map, Value};

use crate::api::patch::{list_strategy, ListStrategy};

const DIRECTIVE: &str = "$patch";

/// `patch` merged into `dest` (both whole objects); `None` when the patch deletes it.
pub fn merge(dest: &Value, patch: &Value) -> Option<Value> {
    merge_value(dest, patch, &mut Vec::new())
}

fn merge_value(dest: &Value, patch: &Value, path: &mut Vec<String>) -> Option<Value> {
    match (dest, patch) {
        (Value::Object(d), Value::Object(p)) => merge_map(d, p, path),
        (_, p) => Some(clean(p)),
    }
}

fn merge_map(dest: &Map<String, Value>, patch: &Map<String, Value>, path: &mut Vec<String>) -> Option<Value> {
    match patch.get(DIRECTIVE).and_then(Value::as_str) {
        Some("delete") => return None,
        Some("replace") => return Some(clean(&Value::Object(patch.clone()))),
        _ => {}
    }
    let mut out = dest.clone();
    for (key, pv) in patch {
        if key.starts_with('$') {
            continue;
        }
        if pv.is_null() {
            out.remove(key);
            continue;
        }
        let merged = match (out.get(key), pv) {
            (Some(Value::Array(d)), Value::Array(p)) => Some(merge_list(d, p, path, key)),
            (Some(d), p) => {
                path.push(key.clone());
                let m = merge_value(d, p, path);
                path.pop();
                m
            }
            (None, p) => Some(clean(p)),
        };
        match merged {
            Some(v) => out.insert(key.clone(), v),
            None => out.remove(key),
        };
    }
    Some(Value::Object(out))
}

fn merge_list(dest: &[Value], patch: &[Value], path: &mut Vec<String>, field: &str) -> Value {
    match list_strategy(path, field) {
        ListStrategy::MergeByKey(key) if patch.iter().all(Value::is_object) => {
            let key_of = |v: &Value| v.get(key).cloned();
            let mut out = Vec::new();
            let mut taken = Vec::new();
            for p in patch {
                let k = key_of(p);
                taken.push(k.clone());
                let existing = dest.iter().find(|d| k.is_some() && key_of(d) == k);
                let is_delete = p.get(DIRECTIVE).and_then(Value::as_str) == Some("delete");
                if is_delete {
                    continue;
                }
                path.push(field.to_string());
                let merged = match existing {
                    Some(d) => merge_value(d, p, path),
                    None => Some(clean(p)),
                };
                path.pop();
                out.extend(merged);
            }
            out.extend(dest.iter().filter(|d| !taken.contains(&key_of(d))).cloned());
            Value::Array(out)
        }
        ListStrategy::MergeScalars => {
            let mut out: Vec<Value> = patch.to_vec();
            out.extend(dest.iter().filter(|d| !patch.contains(d)).cloned());
            Value::Array(out)
        }
        _ => Value::Array(patch.iter().map(clean).collect()),
    }
}

/// A patch value as it lands where nothing was: without directives.
fn clean(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.iter().filter(|(k, _)| !k.starts_with('$')).map(|(k, v)| (k.clone(), clean(v))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(clean).collect()),
        other => other.clone(),
    }
}
