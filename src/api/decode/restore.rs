//! The API server's error for a strategic merge patch whose result has a wrong type. A strategic
//! patch is applied to the object as a map and the map is converted to the Go type with
//! `runtime.DefaultUnstructuredConverter` (not the JSON decoder), whose `cannot restore map from
//! string` becomes a 422 with no kind and no name (apiserver's `applyPatchToObject`); kubectl
//! prints such a 422 as `The request is invalid: patch: Invalid value: "<patch as %+v>": <why>`.

use serde_json::Value;

/// The converter's words for the decoder's `json: cannot unmarshal <json> into Go struct field
/// <f> of type <map|slice>` error, and kubectl's line for it; None for other decode errors.
pub fn strategic_patch_error(decode_error: &str, patch: &Value) -> Option<String> {
    let rest = decode_error.strip_prefix("json: cannot unmarshal ")?;
    let (json_type, rest) = rest.split_once(" into Go ")?;
    let target = rest.rsplit_once(" of type ")?.1;
    let container = if target.starts_with("map[") {
        "map"
    } else if target.starts_with("[]") {
        "slice"
    } else {
        return None;
    };
    // reflect.Kind of what encoding/json left in the unstructured map.
    let kind = match json_type {
        "string" => "string",
        "bool" => "bool",
        "number" => "int64",
        "array" => "slice",
        "object" => "map",
        _ => return None,
    };
    Some(format!(
        "The request is invalid: patch: Invalid value: {:?}: cannot restore {container} from {kind}",
        go_value(patch)
    ))
}

/// Go's `%+v` of a decoded JSON value: maps with sorted keys as `map[k:v]`, slices as `[a b]`.
fn go_value(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => format!("[{}]", items.iter().map(go_value).collect::<Vec<_>>().join(" ")),
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys.iter().map(|k| format!("{k}:{}", go_value(&map[k.as_str()]))).collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_where_labels_are_a_map() {
        let patch = serde_json::json!({"metadata": {"labels": "invalid"}});
        let err =
            "json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type map[string]string";
        assert_eq!(
            strategic_patch_error(err, &patch).as_deref(),
            Some("The request is invalid: patch: Invalid value: \"map[metadata:map[labels:invalid]]\": cannot restore map from string")
        );
        assert_eq!(strategic_patch_error("json: cannot unmarshal bool into Go value of type int32", &patch), None);
    }
}
