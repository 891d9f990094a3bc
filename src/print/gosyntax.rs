//! Go's `%#v` of the unstructured form of an object (`map[string]interface {}`, `[]interface {}`,
//! string, int64, float64, bool, nil) and `strconv.Quote`, for the messages kubectl prints with
//! them (a failed jsonpath evaluation dumps the object it was given).

use serde_json::Value;

use crate::print::json::{go_float_g, go_number, GoNumber};

/// `fmt.Sprintf("%#v", v)` where `v` is the value as `json` decodes it into `interface{}` in the
/// unstructured form: integers as int64, other numbers as float64. Go sorts map keys.
pub fn sharp_v(v: &Value) -> String {
    let mut out = String::new();
    write(&mut out, v, true);
    out
}

/// `top` is false where the value sits in an `interface{}` slot of a map or a slice, where a nil
/// prints with its type (`interface {}(nil)`).
fn write(out: &mut String, v: &Value, top: bool) {
    match v {
        Value::Null if top => out.push_str("<nil>"),
        Value::Null => out.push_str("interface {}(nil)"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&match go_number(n) {
            GoNumber::Int(i) => i.to_string(),
            GoNumber::Float(f) => go_float_g(f),
        }),
        Value::String(s) => out.push_str(&quote(s)),
        Value::Array(items) => {
            out.push_str("[]interface {}{");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(out, item, false);
            }
            out.push('}');
        }
        Value::Object(map) => {
            out.push_str("map[string]interface {}{");
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quote(k));
                out.push(':');
                write(out, &map[k], false);
            }
            out.push('}');
        }
    }
}

/// Go's `strconv.Quote`: `"` and `\` escaped, the C escapes for control characters, `\x` for
/// other bytes below a space and DEL, `\u`/`\U` for non-printable code points.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_slices_and_scalars_as_go_prints_them() {
        let v = json!({"b": [1, 2.5, "x", null, true], "a": {}, "c": 1e21});
        assert_eq!(
            sharp_v(&v),
            "map[string]interface {}{\"a\":map[string]interface {}{}, \"b\":[]interface {}{1, 2.5, \"x\", interface {}(nil), true}, \"c\":1e+21}"
        );
        assert_eq!(quote("a\"b\\\n\u{1}é"), "\"a\\\"b\\\\\\n\\x01é\"");
    }
}
