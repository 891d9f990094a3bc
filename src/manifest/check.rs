//! What kubectl checks on each document before it talks to the server: the client-side
//! validation of `apiVersion`/`kind` (on unless `--validate=false`), the decoding into an object,
//! and the expansion of lists (`kind: List`, `PodList`, any object with an `items` array).

use serde_json::Value;

/// `error validating data: ...` reasons, or None when the document may go on.
/// kubectl's `GetObjectKind` reports both fields in one go: `[apiVersion not set, kind not set]`.
pub fn validation_reason(v: &Value) -> Option<String> {
    let Value::Object(m) = v else {
        return Some("invalid object to validate".to_string());
    };
    let mut reasons = Vec::new();
    match m.get("apiVersion") {
        None | Some(Value::Null) => reasons.push("apiVersion not set".to_string()),
        Some(Value::String(gv)) if gv.matches('/').count() > 1 => {
            reasons.push(format!("unexpected GroupVersion string: {gv}"))
        }
        Some(Value::String(_)) => {}
        Some(_) => reasons.push("apiVersion isn't string type".to_string()),
    }
    match m.get("kind") {
        None | Some(Value::Null) => reasons.push("kind not set".to_string()),
        Some(Value::String(_)) => {}
        Some(_) => reasons.push("kind isn't string type".to_string()),
    }
    match reasons.len() {
        0 => None,
        1 => reasons.pop(),
        _ => Some(format!("[{}]", reasons.join(", "))),
    }
}

/// Go's name for a JSON value's type in `json: cannot unmarshal <type> into ...`.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => "null",
    }
}

/// Why kubectl's unstructured decoder refuses the document (`unable to decode "<src>": <why>`).
pub fn decode_reason(v: &Value) -> Option<String> {
    let Value::Object(m) = v else {
        return Some(format!("json: cannot unmarshal {} into Go value of type unstructured.detector", go_type(v)));
    };
    for field in ["apiVersion", "kind"] {
        match m.get(field) {
            None | Some(Value::Null) | Some(Value::String(_)) => {}
            Some(other) => {
                return Some(format!(
                    "json: cannot unmarshal {} into Go struct field metadataOnlyObject.{field} of type string",
                    go_type(other)
                ))
            }
        }
    }
    let kind = m.get("kind").and_then(Value::as_str).unwrap_or("");
    let gv = m.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    if kind.is_empty() || gv.matches('/').count() > 1 {
        return Some(format!("Object 'Kind' is missing in '{}'", go_json(v)));
    }
    metadata_reason(m.get("metadata"))
}

/// kubectl decodes `metadata` into a typed ObjectMeta to read the name and namespace, so wrong
/// types there fail on the client (a common one: an unquoted number as a label value). Fields are
/// checked in key order, as Go meets them in the sorted JSON.
fn metadata_reason(meta: Option<&Value>) -> Option<String> {
    let field_err = |got: &Value, field: &str, ty: &str| {
        Some(format!("json: cannot unmarshal {} into Go struct field {field} of type {ty}", go_type(got)))
    };
    let m = match meta {
        None | Some(Value::Null) => return None,
        Some(Value::Object(m)) => m,
        Some(other) => return field_err(other, "metadataOnlyObject.metadata", "v1.ObjectMeta"),
    };
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    for key in keys {
        let v = &m[key];
        let path = format!("ObjectMeta.metadata.{key}");
        let bad = match key.as_str() {
            "name" | "generateName" | "namespace" | "uid" | "resourceVersion" | "selfLink" => scalar_not_string(v),
            "labels" | "annotations" => match v {
                Value::Object(entries) => entries.values().find_map(scalar_not_string),
                Value::Null => None,
                other => return field_err(other, &path, "map[string]string"),
            },
            "finalizers" => match v {
                Value::Array(items) => items.iter().find_map(scalar_not_string),
                Value::Null => None,
                other => return field_err(other, &path, "[]string"),
            },
            _ => None,
        };
        if let Some(got) = bad {
            return field_err(got, &path, "string");
        }
    }
    None
}

/// The value itself when it cannot be read as a Go string (null can).
fn scalar_not_string(v: &Value) -> Option<&Value> {
    (!matches!(v, Value::String(_) | Value::Null)).then_some(v)
}

/// The items of a list document, or None when `v` is a single object. Items of a typed list
/// (`ServiceList`) that carry neither kind nor apiVersion get them from the list, as kubectl's
/// decoder does; an item still without a kind is an error.
pub fn list_items(v: &Value) -> Option<Vec<Result<Value, String>>> {
    let items = v.get("items")?.as_array()?;
    let list_kind = v.get("kind").and_then(Value::as_str).unwrap_or("");
    let item_kind = list_kind.strip_suffix("List").unwrap_or("");
    let list_gv = v.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let out = items
        .iter()
        .map(|item| {
            let mut item = item.clone();
            if let Value::Object(m) = &mut item {
                let has = |k: &str| m.get(k).and_then(Value::as_str).is_some_and(|s| !s.is_empty());
                if !has("kind") && !has("apiVersion") {
                    m.insert("kind".into(), Value::String(item_kind.to_string()));
                    m.insert("apiVersion".into(), Value::String(list_gv.to_string()));
                }
            }
            if item.get("kind").and_then(Value::as_str).unwrap_or("").is_empty() {
                return Err("unable to get type info from the object \"*unstructured.Unstructured\": \
                            Object 'Kind' is missing in 'object has no kind field '"
                    .to_string());
            }
            Ok(item)
        })
        .collect();
    Some(out)
}

/// Compact JSON as Go's `json.Marshal` writes a map: keys sorted, `<`, `>`, `&` escaped.
pub fn go_json(v: &Value) -> String {
    let mut out = String::new();
    write_go_json(v, &mut out);
    out
}

fn write_go_json(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_string(k, out);
                out.push(':');
                write_go_json(&m[k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_json(item, out);
            }
            out.push(']');
        }
        Value::String(s) => write_go_string(s, out),
        other => out.push_str(&other.to_string()),
    }
}

fn write_go_string(s: &str, out: &mut String) {
    let quoted = Value::String(s.to_string()).to_string();
    out.push_str(&quoted.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn validation_names_both_missing_fields() {
        assert_eq!(validation_reason(&json!({"metadata": {}})).unwrap(), "[apiVersion not set, kind not set]");
        assert_eq!(validation_reason(&json!({"kind": "Pod"})).unwrap(), "apiVersion not set");
        assert_eq!(validation_reason(&json!({"apiVersion": "v1"})).unwrap(), "kind not set");
        assert_eq!(
            validation_reason(&json!({"apiVersion": 1})).unwrap(),
            "[apiVersion isn't string type, kind not set]"
        );
        assert_eq!(
            validation_reason(&json!({"apiVersion": "a/b/c", "kind": "Pod"})).unwrap(),
            "unexpected GroupVersion string: a/b/c"
        );
        assert_eq!(validation_reason(&json!("hello")).unwrap(), "invalid object to validate");
        assert!(validation_reason(&json!({"apiVersion": "v1", "kind": ""})).is_none());
    }

    #[test]
    fn decoding_needs_a_kind() {
        assert_eq!(
            decode_reason(&json!({"metadata": {"name": "b"}, "apiVersion": "v1"})).unwrap(),
            "Object 'Kind' is missing in '{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"b\"}}'"
        );
        assert_eq!(
            decode_reason(&json!(["a"])).unwrap(),
            "json: cannot unmarshal array into Go value of type unstructured.detector"
        );
        assert_eq!(
            decode_reason(&json!({"apiVersion": 1, "kind": "Service"})).unwrap(),
            "json: cannot unmarshal number into Go struct field metadataOnlyObject.apiVersion of type string"
        );
        assert!(decode_reason(&json!({"apiVersion": "v1", "kind": "Pod"})).is_none());
        let labels = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "labels": {"v": 1.5}}});
        assert_eq!(
            decode_reason(&labels).unwrap(),
            "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"
        );
        let labels = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"labels": ["a"]}});
        assert_eq!(
            decode_reason(&labels).unwrap(),
            "json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string"
        );
        let meta = json!({"apiVersion": "v1", "kind": "Pod", "metadata": 5});
        assert_eq!(
            decode_reason(&meta).unwrap(),
            "json: cannot unmarshal number into Go struct field metadataOnlyObject.metadata of type v1.ObjectMeta"
        );
        let name = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": true}});
        assert_eq!(
            decode_reason(&name).unwrap(),
            "json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.name of type string"
        );
    }

    #[test]
    fn typed_lists_fill_in_item_kinds() {
        let list = json!({"apiVersion": "v1", "kind": "ServiceList", "items": [{"metadata": {"name": "a"}}]});
        let items = list_items(&list).unwrap();
        assert_eq!(items[0].as_ref().unwrap()["kind"], "Service");
        let list = json!({"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1"}]});
        assert!(list_items(&list).unwrap()[0].as_ref().unwrap_err().contains("object has no kind field"));
        assert!(list_items(&json!({"kind": "Pod"})).is_none());
    }
}
