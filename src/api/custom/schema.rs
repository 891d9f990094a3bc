//! A custom resource against its version's structural schema (`openAPIV3Schema`): pruning of the
//! fields the schema does not declare (with the schema's defaults filled in), and validation
//! with the API server's field errors (types, required, enum, bounds, lengths, patterns).

use serde_json::{Map, Value};

use crate::error::FieldError;

/// Fields at the root that every object has and the schema does not govern.
const ROOT_FIELDS: [&str; 3] = ["apiVersion", "kind", "metadata"];

fn preserves(schema: &Value) -> bool {
    schema.get("x-kubernetes-preserve-unknown-fields").and_then(Value::as_bool) == Some(true)
}

fn child_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Removes the fields `schema` does not declare and fills in its defaults; returns the removed
/// fields' paths (`spec.foo`, `spec.items[0].bar`), sorted, as strict field validation reports them.
pub fn prune(obj: &mut Value, schema: &Value) -> Vec<String> {
    let mut pruned = Vec::new();
    walk_prune(obj, schema, "", true, &mut pruned);
    pruned.sort();
    pruned
}

fn walk_prune(v: &mut Value, schema: &Value, path: &str, root: bool, pruned: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            let additional = schema.get("additionalProperties").filter(|a| a.is_object());
            if let Some(props) = props {
                for (key, prop) in props {
                    if let Some(default) = prop.get("default") {
                        if !map.contains_key(key) {
                            map.insert(key.clone(), default.clone());
                        }
                    }
                }
            }
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                if root && ROOT_FIELDS.contains(&key.as_str()) {
                    continue;
                }
                let sub = props.and_then(|p| p.get(&key)).or(additional);
                match sub {
                    Some(sub) => {
                        if let Some(child) = map.get_mut(&key) {
                            walk_prune(child, sub, &child_path(path, &key), false, pruned);
                        }
                    }
                    None if preserves(schema) => {}
                    None => {
                        map.remove(&key);
                        pruned.push(child_path(path, &key));
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items").filter(|i| i.is_object()) {
                for (i, item) in items.iter_mut().enumerate() {
                    walk_prune(item, item_schema, &format!("{path}[{i}]"), false, pruned);
                }
            }
        }
        _ => {}
    }
}

/// The schema's field errors for `obj`, in the API server's order (an object's required fields,
/// then its fields by name).
pub fn validate(obj: &Value, schema: &Value) -> Vec<FieldError> {
    let mut causes = Vec::new();
    walk_validate(obj, schema, "", true, &mut causes);
    causes
}

/// The type name kube-openapi's validator gives a JSON value.
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A value as apimachinery's field errors print it: `%v` for numbers and booleans, `%q` for
/// strings, JSON otherwise.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => crate::format::go::quote_str(s),
        Value::Number(n) => go_number(n),
        Value::Null => "null".to_string(),
        other => other.to_string(),
    }
}

fn go_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e21 => format!("{}", f as i64),
        Some(f) => f.to_string(),
        None => n.to_string(),
    }
}

fn type_matches(ty: &str, v: &Value) -> bool {
    match ty {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => v.is_number(),
        _ => true,
    }
}

fn walk_validate(v: &Value, schema: &Value, path: &str, root: bool, causes: &mut Vec<FieldError>) {
    let ty = schema.get("type").and_then(Value::as_str).unwrap_or("");
    let int_or_string = schema.get("x-kubernetes-int-or-string").and_then(Value::as_bool) == Some(true);
    if v.is_null() {
        let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
        if !nullable && !ty.is_empty() && !root {
            causes.push(FieldError::invalid(
                path,
                "\"null\"",
                &format!("{path} in body must be of type {ty}: \"null\""),
            ));
        }
        return;
    }
    if int_or_string {
        if !(v.is_string() || type_matches("integer", v)) {
            let actual = type_name(v);
            causes.push(FieldError::invalid(
                path,
                &format!("{actual:?}"),
                &format!("{path} in body must be of type integer,string: {actual:?}"),
            ));
            return;
        }
    } else if !ty.is_empty() && !type_matches(ty, v) {
        let actual = type_name(v);
        causes.push(FieldError::invalid(
            path,
            &format!("{actual:?}"),
            &format!("{path} in body must be of type {ty}: {actual:?}"),
        ));
        return;
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(v) {
            let list: Vec<String> = options.iter().map(shown).collect();
            causes.push(FieldError {
                field: path.to_string(),
                detail: format!("Unsupported value: {}: supported values: {}", shown(v), list.join(", ")),
            });
        }
    }
    match v {
        Value::Number(n) => bounds(n, schema, path, causes),
        Value::String(s) => string_checks(s, schema, path, causes),
        Value::Array(items) => {
            let count = items.len() as u64;
            if let Some(min) = schema.get("minItems").and_then(Value::as_u64).filter(|m| count < *m) {
                causes.push(FieldError::invalid(
                    path,
                    &shown(v),
                    &format!("{path} in body should have at least {min} items"),
                ));
            }
            if let Some(max) = schema.get("maxItems").and_then(Value::as_u64).filter(|m| count > *m) {
                causes.push(FieldError {
                    field: path.to_string(),
                    detail: format!("Too many: {count}: must have at most {max} items"),
                });
            }
            if let Some(item_schema) = schema.get("items").filter(|i| i.is_object()) {
                for (i, item) in items.iter().enumerate() {
                    walk_validate(item, item_schema, &format!("{path}[{i}]"), false, causes);
                }
            }
        }
        Value::Object(map) => object(map, schema, path, root, causes),
        _ => {}
    }
}

fn object(map: &Map<String, Value>, schema: &Value, path: &str, root: bool, causes: &mut Vec<FieldError>) {
    for name in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
        if !map.contains_key(name) {
            causes.push(FieldError::required(child_path(path, name), ""));
        }
    }
    let props = schema.get("properties").and_then(Value::as_object);
    let additional = schema.get("additionalProperties").filter(|a| a.is_object());
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    for key in keys {
        if root && ROOT_FIELDS.contains(&key.as_str()) {
            continue;
        }
        if let Some(sub) = props.and_then(|p| p.get(key)).or(additional) {
            walk_validate(&map[key], sub, &child_path(path, key), false, causes);
        }
    }
}

fn bounds(n: &serde_json::Number, schema: &Value, path: &str, causes: &mut Vec<FieldError>) {
    let Some(x) = n.as_f64() else { return };
    let value = go_number(n);
    let exclusive = |k: &str| schema.get(k).and_then(Value::as_bool) == Some(true);
    if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
        let over = if exclusive("exclusiveMaximum") { x >= max } else { x > max };
        if over {
            let words = if exclusive("exclusiveMaximum") { "less than" } else { "less than or equal to" };
            let max = schema.get("maximum").and_then(Value::as_number).map(go_number).unwrap_or_default();
            causes.push(FieldError::invalid(path, &value, &format!("{path} in body should be {words} {max}")));
        }
    }
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
        let under = if exclusive("exclusiveMinimum") { x <= min } else { x < min };
        if under {
            let words = if exclusive("exclusiveMinimum") { "greater than" } else { "greater than or equal to" };
            let min = schema.get("minimum").and_then(Value::as_number).map(go_number).unwrap_or_default();
            causes.push(FieldError::invalid(path, &value, &format!("{path} in body should be {words} {min}")));
        }
    }
    if let Some(m) = schema.get("multipleOf").and_then(Value::as_f64).filter(|m| *m > 0.0) {
        if (x / m).fract() != 0.0 {
            let shown_m = schema.get("multipleOf").and_then(Value::as_number).map(go_number).unwrap_or_default();
            causes.push(FieldError::invalid(
                path,
                &value,
                &format!("{path} in body should be a multiple of {shown_m}"),
            ));
        }
    }
}

fn string_checks(s: &str, schema: &Value, path: &str, causes: &mut Vec<FieldError>) {
    let len = s.chars().count() as u64;
    let value = crate::format::go::quote_str(s);
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64).filter(|m| len > *m) {
        let unit = if max == 1 { "byte" } else { "bytes" };
        causes.push(FieldError {
            field: path.to_string(),
            detail: format!("Too long: may not be more than {max} {unit}"),
        });
    }
    if let Some(min) = schema.get("minLength").and_then(Value::as_u64).filter(|m| len < *m) {
        causes.push(FieldError::invalid(path, &value, &format!("{path} in body should be at least {min} chars long")));
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        // A pattern the schema compiler refused would have failed the CRD; skip it here.
        if let Ok(re) = regex::Regex::new(pattern) {
            if !re.is_match(s) {
                causes.push(FieldError::invalid(path, &value, &format!("{path} in body should match '{pattern}'")));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn crontab_schema() -> Value {
        json!({"type": "object", "properties": {"spec": {"type": "object", "properties": {
            "cronSpec": {"type": "string", "pattern": "^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$"},
            "image": {"type": "string"},
            "replicas": {"type": "integer", "minimum": 1, "maximum": 10}}}}})
    }

    #[test]
    fn prunes_unknown_fields_and_reports_them_sorted() {
        let mut obj = json!({"apiVersion": "stable.example.com/v1", "kind": "CronTab", "metadata": {"name": "x"},
                             "spec": {"image": "i", "zeta": 1, "alpha": {"b": 2}}, "extra": true});
        let pruned = prune(&mut obj, &crontab_schema());
        assert_eq!(pruned, ["extra", "spec.alpha", "spec.zeta"]);
        assert_eq!(obj["spec"], json!({"image": "i"}));
        assert_eq!(obj["metadata"]["name"], "x");
    }

    #[test]
    fn preserves_unknown_fields_where_the_schema_says_so() {
        let schema = json!({"type": "object", "properties": {"spec": {"type": "object",
            "x-kubernetes-preserve-unknown-fields": true, "properties": {"n": {"type": "integer", "default": 3}}}}});
        let mut obj = json!({"spec": {"anything": {"goes": 1}}});
        assert!(prune(&mut obj, &schema).is_empty());
        assert_eq!(obj["spec"], json!({"anything": {"goes": 1}, "n": 3}));
    }

    #[test]
    fn validation_messages_are_the_api_servers() {
        let obj = json!({"spec": {"cronSpec": "* * * *", "image": "my-awesome-cron-image", "replicas": 15}});
        let causes: Vec<String> = validate(&obj, &crontab_schema()).iter().map(|c| c.to_string()).collect();
        assert_eq!(
            causes,
            [
                "spec.cronSpec: Invalid value: \"* * * *\": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'",
                "spec.replicas: Invalid value: 15: spec.replicas in body should be less than or equal to 10",
            ]
        );
        let obj = json!({"spec": {"replicas": "two"}});
        assert_eq!(
            validate(&obj, &crontab_schema())[0].to_string(),
            "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""
        );
        let schema = json!({"type": "object", "required": ["spec"], "properties": {"spec": {"type": "object",
            "required": ["size"], "properties": {"size": {"type": "string", "enum": ["S", "M"]}}}}});
        assert_eq!(validate(&json!({}), &schema)[0].to_string(), "spec: Required value");
        assert_eq!(validate(&json!({"spec": {}}), &schema)[0].to_string(), "spec.size: Required value");
        assert_eq!(
            validate(&json!({"spec": {"size": "L"}}), &schema)[0].to_string(),
            "spec.size: Unsupported value: \"L\": supported values: \"S\", \"M\""
        );
    }
}
