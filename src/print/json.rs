//! `kubectl get -o json`: Go's `json.MarshalIndent(obj, "", "    ")` plus a newline.
//!
//! kubectl handles objects as unstructured maps, so keys come out sorted by bytes at every level,
//! and strings are escaped the way Go's `encoding/json` does (HTML-safe: `<`, `>`, `&` become
//! `\u003c`, `\u003e`, `\u0026`; non-ASCII text is left alone). The number helpers here are shared
//! by the YAML and JSONPath printers, which all start from Go's view of a JSON number.

use serde_json::{Map, Number, Value};

/// What `kubectl get -o json` prints for `v`, trailing newline included.
pub fn to_json(v: &Value) -> String {
    let mut out = String::new();
    write_indented(&mut out, v, 0);
    out.push('\n');
    out
}

/// The field order of `metav1.ObjectMeta`, for printing an object as Go's encoder does.
pub const OBJECT_META_ORDER: &[&str] = &[
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
];

/// `json.MarshalIndent` of a typed Go object, whose fields come out in struct order: `order`
/// gives, for the path of keys leading to an object (array indices left out), the field order
/// of its Go type; keys it does not list (map keys) follow in byte order.
pub fn to_json_typed(v: &Value, order: &dyn Fn(&[&str]) -> &'static [&'static str]) -> String {
    let mut out = String::new();
    let mut path = Vec::new();
    write_typed(&mut out, v, 0, &mut path, order);
    out.push('\n');
    out
}

fn write_typed<'a>(
    out: &mut String,
    v: &'a Value,
    depth: usize,
    path: &mut Vec<&'a str>,
    order: &dyn Fn(&[&str]) -> &'static [&'static str],
) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            let fields = order(path);
            let mut entries: Vec<(&'a String, &'a Value)> = fields.iter().filter_map(|f| m.get_key_value(*f)).collect();
            entries.extend(sorted_entries(m).into_iter().filter(|(k, _)| !fields.contains(&k.as_str())));
            out.push('{');
            for (i, (k, val)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(out, depth + 1);
                write_string(out, k);
                out.push_str(": ");
                path.push(k);
                write_typed(out, val, depth + 1, path, order);
                path.pop();
            }
            newline_indent(out, depth);
            out.push('}');
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('[');
            for (i, val) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(out, depth + 1);
                write_typed(out, val, depth + 1, path, order);
            }
            newline_indent(out, depth);
            out.push(']');
        }
        _ => write_compact(out, v),
    }
}

/// The synthetic list kubectl prints for a list request: always `kind: List`, never `PodList`.
pub fn list(items: Vec<Value>) -> Value {
    let mut metadata = Map::new();
    metadata.insert("resourceVersion".into(), Value::String(String::new()));
    let mut m = Map::new();
    m.insert("apiVersion".into(), Value::String("v1".into()));
    m.insert("items".into(), Value::Array(items));
    m.insert("kind".into(), Value::String("List".into()));
    m.insert("metadata".into(), Value::Object(metadata));
    Value::Object(m)
}

/// Go's compact `json.Marshal` (used by JSONPath for maps and lists).
pub fn to_compact_json(v: &Value) -> String {
    let mut out = String::new();
    write_compact(&mut out, v);
    out
}

/// Keys in Go's map order (byte order), whatever order the `Map` keeps.
pub(crate) fn sorted_entries(m: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = m.iter().collect();
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    entries
}

/// `v` indented as `json.MarshalIndent` writes it at `depth` (keys in byte order).
pub(crate) fn write_value(out: &mut String, v: &Value, depth: usize) {
    write_indented(out, v, depth)
}

fn write_indented(out: &mut String, v: &Value, depth: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('{');
            for (i, (k, val)) in sorted_entries(m).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(out, depth + 1);
                write_string(out, k);
                out.push_str(": ");
                write_indented(out, val, depth + 1);
            }
            newline_indent(out, depth);
            out.push('}');
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('[');
            for (i, val) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(out, depth + 1);
                write_indented(out, val, depth + 1);
            }
            newline_indent(out, depth);
            out.push(']');
        }
        _ => write_compact(out, v),
    }
}

pub(crate) fn newline_indent(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("    ");
    }
}

fn write_compact(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&json_number(n)),
        Value::String(s) => write_string(out, s),
        Value::Array(a) => {
            out.push('[');
            for (i, val) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(out, val);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, val)) in sorted_entries(m).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_compact(out, val);
            }
            out.push('}');
        }
    }
}

/// A JSON string literal escaped like Go's `encoding/json` (Go ≥ 1.22: `\b` and `\f` short forms).
pub(crate) fn write_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' | '\u{0}'..='\u{1f}' => {
                let n = c as u32;
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[((n >> shift) & 0xf) as usize] as char);
                }
            }
            _ => out.push(c),
        }
    }
    out.push('"');
}

/// A number as Go sees it in an unstructured object: integers that fit int64 stay integers,
/// everything else is a float64.
pub(crate) enum GoNumber {
    Int(i64),
    Float(f64),
}

pub(crate) fn go_number(n: &Number) -> GoNumber {
    match n.as_i64() {
        Some(i) => GoNumber::Int(i),
        None => GoNumber::Float(n.as_f64().unwrap_or(0.0)),
    }
}

/// Go's `encoding/json` text of a number.
pub(crate) fn json_number(n: &Number) -> String {
    match go_number(n) {
        GoNumber::Int(i) => i.to_string(),
        GoNumber::Float(f) => json_float(f),
    }
}

/// `encoding/json` float64: `%f`-like in [1e-6, 1e21), else exponent form with `e-7` (not `e-07`).
pub(crate) fn json_float(f: f64) -> String {
    if !f.is_finite() {
        // Go refuses to marshal these; kubectl never has them. Print something harmless.
        return "null".into();
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format_e(f);
        // Go trims one leading zero from a negative two-digit exponent only.
        if let Some(pos) = s.find("e-0") {
            return format!("{}e-{}", &s[..pos], &s[pos + 3..]);
        }
        return s;
    }
    format_f(f)
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which is also what `%v` prints.
pub(crate) fn go_float_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    let (_, _, dp) = decompose(f);
    let exp = dp - 1;
    // With shortest precision Go switches to %e below 1e-4 and from 1e6 on (eprec = 6).
    if f != 0.0 && !(-4..6).contains(&exp) {
        return format_e(f);
    }
    format_f(f)
}

/// Shortest round-trip digits of |f| and the decimal point position: |f| = 0.DIGITS × 10^dp.
fn decompose(f: f64) -> (bool, String, i32) {
    let neg = f.is_sign_negative();
    if f == 0.0 {
        return (neg, String::new(), 0);
    }
    // Rust's `{:e}` prints the shortest digits that round-trip, like Go's precision -1.
    let s = format!("{:e}", f.abs());
    let (mantissa, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0').to_string();
    let digits = if digits.is_empty() { "0".to_string() } else { digits };
    (neg, digits, exp + 1)
}

/// `%e` with shortest digits and Go's signed, at least two-digit exponent (`1e+06`).
fn format_e(f: f64) -> String {
    let (neg, digits, dp) = decompose(f);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if digits.is_empty() {
        out.push_str("0e+00");
        return out;
    }
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let exp = dp - 1;
    let sign = if exp < 0 { '-' } else { '+' };
    out.push('e');
    out.push(sign);
    out.push_str(&format!("{:02}", exp.abs()));
    out
}

/// `%f` with the shortest digits (Go's `'f', -1`).
fn format_f(f: f64) -> String {
    let (neg, digits, dp) = decompose(f);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if digits.is_empty() {
        out.push('0');
        return out;
    }
    let len = digits.len() as i32;
    if dp <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-dp) as usize));
        out.push_str(&digits);
    } else if dp >= len {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (dp - len) as usize));
    } else {
        out.push_str(&digits[..dp as usize]);
        out.push('.');
        out.push_str(&digits[dp as usize..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn indents_with_four_spaces_and_sorts_keys() {
        let v = json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"labels": {}, "finalizers": []}});
        assert_eq!(
            to_json(&v),
            "{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"Pod\",\n    \"metadata\": {\n        \"finalizers\": [],\n        \"labels\": {}\n    }\n}\n"
        );
    }

    #[test]
    fn escapes_like_go() {
        let v = json!({"a": "<b>&\u{2028}\u{1}\u{8}\u{c}\t\"\\é\u{7f}"});
        assert_eq!(
            to_compact_json(&v),
            r#"{"a":"\u003cb\u003e\u0026\u2028\u0001\b\f\t\"\\é"#.to_string() + "\u{7f}\"}"
        );
    }

    /// Verified with kubectl v1.32.5 (`label --local -o json` / `-o jsonpath`).
    #[test]
    fn floats_like_go() {
        let cases = [
            (1.5, "1.5", "1.5"),
            (1e6, "1000000", "1e+06"),
            (1e21, "1e+21", "1e+21"),
            (1e20, "100000000000000000000", "1e+20"),
            (0.000001, "0.000001", "1e-06"),
            (1e-7, "1e-7", "1e-07"),
            (123456789.0, "123456789", "1.23456789e+08"),
            (3e-5, "0.00003", "3e-05"),
            (12345678901234567890.0, "12345678901234567000", "1.2345678901234567e+19"),
            (-0.0, "-0", "-0"),
            (100000.0, "100000", "100000"),
            (1.0, "1", "1"),
        ];
        for (f, json, g) in cases {
            assert_eq!(json_float(f), json, "{f}");
            assert_eq!(go_float_g(f), g, "{f}");
        }
    }

    #[test]
    fn builds_the_list_envelope() {
        assert_eq!(
            to_compact_json(&list(vec![])),
            r#"{"apiVersion":"v1","items":[],"kind":"List","metadata":{"resourceVersion":""}}"#
        );
    }
}
