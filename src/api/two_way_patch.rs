//! The strategic merge patch that turns one object into another: `strategicpatch.
//! CreateTwoWayMergePatch` with its `SetElementOrder` option on, as `kubectl edit` computes it
//! (and prints it with `--output-patch`). Maps carry what changed (removed keys as `null`); a
//! list merged by a key carries the changed and new elements (with their key), the removed ones
//! as `{"$patch": "delete"}` entries, and `$setElementOrder/FIELD` (the new order of the keys)
//! whenever it changed at all; a list of scalars merged as a set carries the added values,
//! `$deleteFromPrimitiveList/FIELD` and `$setElementOrder/FIELD`; any other list is replaced.

use serde_json::{Map, Value};

use super::patch::{list_strategy, ListStrategy};

/// The patch from `original` to `modified` (`{}` when they are equal).
pub fn create(original: &Value, modified: &Value) -> Value {
    match (original.as_object(), modified.as_object()) {
        (Some(o), Some(m)) => Value::Object(diff_maps(o, m, &mut Vec::new())),
        _ => modified.clone(),
    }
}

fn diff_maps(
    original: &Map<String, Value>,
    modified: &Map<String, Value>,
    path: &mut Vec<String>,
) -> Map<String, Value> {
    let mut patch = Map::new();
    for (key, m) in modified {
        let Some(o) = original.get(key) else {
            patch.insert(key.clone(), m.clone());
            continue;
        };
        match (o, m) {
            (Value::Object(o), Value::Object(m)) => {
                path.push(key.clone());
                let sub = diff_maps(o, m, path);
                path.pop();
                if !sub.is_empty() {
                    patch.insert(key.clone(), Value::Object(sub));
                }
            }
            (Value::Array(o), Value::Array(m)) => slice_diff(key, o, m, path, &mut patch),
            _ if o != m => {
                patch.insert(key.clone(), m.clone());
            }
            _ => {}
        }
    }
    for key in original.keys().filter(|k| !modified.contains_key(*k)) {
        patch.insert(key.clone(), Value::Null);
    }
    patch
}

fn slice_diff(
    key: &str,
    original: &[Value],
    modified: &[Value],
    path: &mut Vec<String>,
    patch: &mut Map<String, Value>,
) {
    match list_strategy(path, key) {
        ListStrategy::MergeByKey(merge_key) if all_maps(original) && all_maps(modified) => {
            let mut changes = Vec::new();
            for m in modified {
                let id = m.get(merge_key);
                match original.iter().find(|o| id.is_some() && o.get(merge_key) == id) {
                    Some(o) => {
                        path.push(key.to_string());
                        let mut sub =
                            diff_maps(o.as_object().unwrap_or(&Map::new()), m.as_object().unwrap_or(&Map::new()), path);
                        path.pop();
                        if !sub.is_empty() {
                            if let Some(id) = id {
                                sub.insert(merge_key.to_string(), id.clone());
                            }
                            changes.push(Value::Object(sub));
                        }
                    }
                    None => changes.push(m.clone()),
                }
            }
            for o in original {
                let id = o.get(merge_key);
                if !modified.iter().any(|m| m.get(merge_key) == id) {
                    let mut gone = Map::new();
                    gone.insert("$patch".into(), Value::String("delete".into()));
                    if let Some(id) = id {
                        gone.insert(merge_key.to_string(), id.clone());
                    }
                    changes.push(Value::Object(gone));
                }
            }
            let keys = |l: &[Value]| l.iter().map(|e| e.get(merge_key).cloned()).collect::<Vec<_>>();
            if !changes.is_empty() || keys(original) != keys(modified) {
                let order = modified
                    .iter()
                    .map(|m| {
                        let mut only = Map::new();
                        if let Some(id) = m.get(merge_key) {
                            only.insert(merge_key.to_string(), id.clone());
                        }
                        Value::Object(only)
                    })
                    .collect();
                patch.insert(format!("$setElementOrder/{key}"), Value::Array(order));
            }
            if !changes.is_empty() {
                patch.insert(key.to_string(), Value::Array(changes));
            }
        }
        ListStrategy::MergeScalars => {
            let added: Vec<Value> = modified.iter().filter(|m| !original.contains(m)).cloned().collect();
            let removed: Vec<Value> = original.iter().filter(|o| !modified.contains(o)).cloned().collect();
            if !added.is_empty() || !removed.is_empty() || original != modified {
                patch.insert(format!("$setElementOrder/{key}"), Value::Array(modified.to_vec()));
            }
            if !added.is_empty() {
                patch.insert(key.to_string(), Value::Array(added));
            }
            if !removed.is_empty() {
                patch.insert(format!("$deleteFromPrimitiveList/{key}"), Value::Array(removed));
            }
        }
        _ if original != modified => {
            patch.insert(key.to_string(), Value::Array(modified.to_vec()));
        }
        _ => {}
    }
}

fn all_maps(list: &[Value]) -> bool {
    list.iter().all(Value::is_object)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::create;

    #[test]
    fn an_image_change_carries_the_merge_key_and_the_order() {
        let before = json!({"metadata": {"name": "p", "labels": {"a": "1", "b": "2"}},
            "spec": {"containers": [{"name": "c", "image": "nginx"}, {"name": "d", "image": "x"}]}});
        let after = json!({"metadata": {"name": "p", "labels": {"a": "1"}},
            "spec": {"containers": [{"name": "c", "image": "k8s.gcr.io/serve_hostname"}, {"name": "d", "image": "x"}]}});
        assert_eq!(
            create(&before, &after),
            json!({"metadata": {"labels": {"b": null}},
                "spec": {"$setElementOrder/containers": [{"name": "c"}, {"name": "d"}],
                    "containers": [{"image": "k8s.gcr.io/serve_hostname", "name": "c"}]}})
        );
        assert_eq!(create(&after, &after), json!({}));
    }

    #[test]
    fn removed_elements_and_replaced_lists() {
        let before = json!({"spec": {"containers": [{"name": "c"}, {"name": "d"}], "args": ["a"]}});
        let after = json!({"spec": {"containers": [{"name": "c"}], "args": ["b"]}});
        assert_eq!(
            create(&before, &after),
            json!({"spec": {"$setElementOrder/containers": [{"name": "c"}],
                "containers": [{"$patch": "delete", "name": "d"}], "args": ["b"]}})
        );
    }
}
