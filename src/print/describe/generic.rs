//! The generic describer kubectl falls back to for kinds without one of their own
//! (ControllerRevision, Event): `printUnstructuredContent` over the object's JSON.

use serde_json::{Map, Value};

use super::common::{annotations_multiline, events, labels_multiline, string_map, Ctx, Writer};
use crate::api::ObjectExt;
use crate::print::json::{go_float_g, json_number};

/// Paths (dotted from the root, with a leading dot) the generic describer leaves out.
const SKIP: [&str; 5] =
    [".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels", ".metadata.annotations"];

pub fn describe(obj: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", obj.name()));
    w.line(0, &format!("Namespace:\t{}", obj.namespace()));
    labels_multiline(&mut w, "Labels", &obj.labels());
    annotations_multiline(&mut w, "Annotations", &string_map(obj, "metadata.annotations"));
    if let Value::Object(m) = obj {
        content(&mut w, 0, m, "");
    }
    events(&mut w, ctx);
    w.finish()
}

/// Fields sorted by name; maps and lists get a title line and nest one level deeper.
fn content(w: &mut Writer, level: usize, map: &Map<String, Value>, prefix: &str) {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    for key in keys {
        let path = format!("{prefix}.{key}");
        if SKIP.contains(&path.as_str()) {
            continue;
        }
        match &map[key] {
            Value::Object(child) => {
                w.line(level, &format!("{}:", smart_label(key)));
                content(w, level + 1, child, &path);
            }
            Value::Array(items) => {
                w.line(level, &format!("{}:", smart_label(key)));
                for item in items {
                    match item {
                        Value::Object(child) => content(w, level + 1, child, &path),
                        other => w.line(level + 1, &scalar(other)),
                    }
                }
            }
            other => w.line(level, &format!("{}:\t{}", smart_label(key), scalar(other))),
        }
    }
}

/// Go `%v` of an unstructured value (JSON integers are int64, other numbers float64).
fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_string(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        // kubectl decodes the object's JSON text: a number that reads as an int64 is one (so
        // `-0` is 0), any other is a float64 printed by `%v`.
        Value::Number(n) => {
            let text = json_number(n);
            match text.parse::<i64>() {
                Ok(i) => i.to_string(),
                Err(_) => go_float_g(text.parse::<f64>().unwrap_or(0.0)),
            }
        }
        Value::Array(items) => format!("[{}]", items.iter().map(scalar).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys.iter().map(|k| format!("{k}:{}", scalar(&m[*k]))).collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

/// `smartLabelFor`: `apiVersion` → `API Version`; names with other than letters or '-' stay as is.
fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    const ACRONYMS: [&str; 5] = ["API", "URL", "UID", "OSB", "GUID"];
    camel_split(field)
        .iter()
        .filter(|p| p.as_str() != "_")
        .map(|p| {
            let upper = p.to_uppercase();
            if ACRONYMS.contains(&upper.as_str()) {
                upper
            } else {
                title(p)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn title(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[derive(PartialEq, Clone, Copy)]
enum Class {
    Lower,
    Upper,
    Digit,
    Other,
}

fn class(c: char) -> Class {
    if c.is_lowercase() {
        Class::Lower
    } else if c.is_uppercase() {
        Class::Upper
    } else if c.is_numeric() {
        Class::Digit
    } else {
        Class::Other
    }
}

/// fatih/camelcase `Split`: runs of one character class, an upper run followed by lowers
/// giving its last letter to them (`HTTPServer` → `HTTP`, `Server`).
fn camel_split(s: &str) -> Vec<String> {
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last: Option<Class> = None;
    for c in s.chars() {
        let k = class(c);
        match runs.last_mut() {
            Some(run) if last == Some(k) => run.push(c),
            _ => runs.push(vec![c]),
        }
        last = Some(k);
    }
    for i in 0..runs.len().saturating_sub(1) {
        let upper_then_lower =
            runs[i].first().is_some_and(|c| c.is_uppercase()) && runs[i + 1].first().is_some_and(|c| c.is_lowercase());
        if upper_then_lower {
            if let Some(c) = runs[i].pop() {
                runs[i + 1].insert(0, c);
            }
        }
    }
    runs.into_iter().filter(|r| !r.is_empty()).map(|r| r.into_iter().collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::smart_label;

    #[test]
    fn labels_like_kubectl() {
        assert_eq!(smart_label("apiVersion"), "API Version");
        assert_eq!(smart_label("creationTimestamp"), "Creation Timestamp");
        assert_eq!(smart_label("uid"), "UID");
        assert_eq!(smart_label("involvedObject"), "Involved Object");
        assert_eq!(smart_label("f:spec"), "f:spec");
        assert_eq!(smart_label("podIP"), "Pod IP");
    }
}
