//! One YAML document → JSON value, the way kubectl's `sigs.k8s.io/yaml` (go-yaml v2, YAML 1.1)
//! does it, so that what a user wrote means the same thing to kstate as to kubectl:
//!
//! * plain `yes`/`no`/`on`/`off`/`y`/`n` (any of their cases go-yaml knows) are booleans, as in
//!   YAML 1.1; quoted they stay strings;
//! * plain `012` is octal (10), `1_000` is 1000, `0x1F` is 31, `0b101` is 5, `08` is 8;
//! * numbers go through JSON as Go writes them, so an integral float (`1.0`, `1e3`) becomes the
//!   integer 1 / 1000 and an integer beyond int64 becomes a float;
//! * `.inf` and `.nan` cannot be written as JSON: kubectl fails with `json: unsupported value`;
//! * timestamps stay strings; non-string map keys become strings (`true`, `1`); `<<` merges;
//! * a repeated key keeps its last value.
//!
//! serde_norway resolves plain scalars by YAML 1.2 rules and does not say whether a string was
//! quoted. It does hand out strings borrowed from the input, though: a borrowed string preceded
//! and followed by the same quote character was quoted. That is how plain scalars are found and
//! re-resolved by go-yaml's YAML 1.1 rules here.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Why a document could not be converted: go-yaml's text (`yaml: line 7: ...`) or a JSON one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError(pub String);

/// Converts one document (the text between `---` lines). An empty document gives `Value::Null`.
pub fn to_json(doc: &str) -> Result<Value, YamlError> {
    // go-yaml's Unmarshal reads only the first document of a chunk (one ended by `...`).
    let Some(de) = serde_yaml::Deserializer::from_str(doc).next() else {
        return Ok(Value::Null);
    };
    let seed = Seed { input: doc };
    match seed.deserialize(de) {
        Ok(v) => v.map_err(YamlError),
        Err(e) => Err(YamlError(go_yaml_message(&e, doc))),
    }
}

/// Values carry their own conversion error (`json: unsupported value: +Inf`), which must win
/// over nothing else: serde's error type would add a position kubectl does not print.
type Conv = Result<Value, String>;

#[derive(Clone, Copy)]
struct Seed<'a> {
    input: &'a str,
}

impl<'de> DeserializeSeed<'de> for Seed<'de> {
    type Value = Conv;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Conv, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'de> {
    type Value = Conv;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_unit<E>(self) -> Result<Conv, E> {
        Ok(Ok(Value::Null))
    }
    fn visit_none<E>(self) -> Result<Conv, E> {
        Ok(Ok(Value::Null))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Conv, E> {
        Ok(Ok(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Conv, E> {
        Ok(Ok(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Conv, E> {
        Ok(Ok(int_or_float(v as i128)))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Conv, E> {
        Ok(Ok(int_or_float(v)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Conv, E> {
        Ok(Ok(float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Conv, E> {
        Ok(go_float(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Conv, E> {
        if was_quoted(self.input, v) {
            return Ok(Ok(Value::String(v.to_string())));
        }
        Ok(resolve_plain(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Conv, E> {
        // Not borrowed: quoted with escapes, a block scalar or a multi-line plain scalar;
        // none of these can resolve to anything but a string.
        Ok(Ok(Value::String(v.to_string())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Conv, A::Error> {
        let mut out = Vec::new();
        let mut first_err = None;
        while let Some(item) = seq.next_element_seed(self)? {
            match item {
                Ok(v) => out.push(v),
                Err(e) => first_err = first_err.or(Some(e)),
            }
        }
        Ok(match first_err {
            Some(e) => Err(e),
            None => Ok(Value::Array(out)),
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Conv, A::Error> {
        let mut out = Map::new();
        let mut merges = Vec::new();
        let mut first_err = None;
        while let Some(key) = map.next_key_seed(self)? {
            let value = map.next_value_seed(self)?;
            match (key, value) {
                (Ok(k), Ok(v)) => {
                    let k = key_string(&k);
                    if k == "<<" {
                        merges.push(v);
                    } else {
                        out.insert(k, v);
                    }
                }
                (Err(e), _) | (_, Err(e)) => first_err = first_err.or(Some(e)),
            }
        }
        if let Some(e) = first_err {
            return Ok(Err(e));
        }
        for m in merges {
            merge_into(&mut out, m);
        }
        Ok(Ok(Value::Object(out)))
    }
}

/// `<<: *base` or `<<: [*a, *b]`: keys already present win, earlier merge sources win.
fn merge_into(out: &mut Map<String, Value>, source: Value) {
    match source {
        Value::Object(m) => {
            for (k, v) in m {
                out.entry(k).or_insert(v);
            }
        }
        Value::Array(items) => {
            for item in items {
                merge_into(out, item);
            }
        }
        _ => {}
    }
}

/// sigs.k8s.io/yaml turns non-string keys into strings: ints in decimal, bools as words.
fn key_string(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_string(),
        other => other.to_string(),
    }
}

/// A borrowed string sits inside the input; if the bytes around it are the same quote, it was
/// quoted. Plain scalars cannot start with a quote character, so this never misfires on them.
fn was_quoted(input: &str, v: &str) -> bool {
    let base = input.as_ptr() as usize;
    let start = v.as_ptr() as usize;
    if start <= base || start > base + input.len() {
        return false;
    }
    let at = start - base;
    let bytes = input.as_bytes();
    let before = bytes[at - 1];
    matches!(before, b'"' | b'\'') && bytes.get(at + v.len()) == Some(&before)
}

fn int_or_float(v: i128) -> Value {
    match i64::try_from(v) {
        Ok(i) => Value::from(i),
        Err(_) => float(v as f64),
    }
}

fn float(f: f64) -> Value {
    Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)
}

/// A float as it comes back after Go's `json.Marshal` and kubectl's number conversion: Go writes
/// integral floats below 1e21 without a fraction, which then read back as int64 when they fit.
fn go_float(f: f64) -> Conv {
    if f.is_nan() {
        return Err("json: unsupported value: NaN".to_string());
    }
    if f.is_infinite() {
        let sign = if f > 0.0 { "+" } else { "-" };
        return Err(format!("json: unsupported value: {sign}Inf"));
    }
    if f.fract() == 0.0 && f.abs() < 9.223_372_036_854_775e18 {
        return Ok(Value::from(f as i64));
    }
    Ok(float(f))
}

/// go-yaml v2's resolution of a plain scalar that serde_norway left as a string.
fn resolve_plain(s: &str) -> Conv {
    match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => return Ok(Value::Bool(true)),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => return Ok(Value::Bool(false)),
        _ => {}
    }
    let starts_numeric = s.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'));
    if starts_numeric {
        if let Some(v) = resolve_number(&s.replace('_', "")) {
            return v;
        }
    }
    Ok(Value::String(s.to_string()))
}

/// Go's `ParseInt(s, 0)`, then `ParseUint`, then the YAML float pattern, then `0b` forms.
fn resolve_number(plain: &str) -> Option<Conv> {
    if let Some(i) = go_parse_int(plain) {
        return Some(Ok(int_or_float(i)));
    }
    if yaml_float_pattern(plain) {
        return plain.parse::<f64>().ok().map(go_float);
    }
    None
}

fn go_parse_int(s: &str) -> Option<i128> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(r) = lower.strip_prefix("0x") {
        (16, r.to_string())
    } else if let Some(r) = lower.strip_prefix("0o") {
        (8, r.to_string())
    } else if let Some(r) = lower.strip_prefix("0b") {
        (2, r.to_string())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string())
    } else {
        (10, lower)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let v = u64::from_str_radix(&digits, radix).ok()? as i128;
    let v = if neg { -v } else { v };
    // ParseInt fails below int64's minimum, and ParseUint never takes a sign.
    (v >= i64::MIN as i128).then_some(v)
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn yaml_float_pattern(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    let exp_ok = match exp {
        Some(e) => digits(e.strip_prefix(['-', '+']).unwrap_or(e)),
        None => true,
    };
    mantissa_ok && exp_ok
}

/// go-yaml v2 reports `yaml: line N: <problem>`. For scanner errors N is the problem's line; for
/// parser errors go-yaml prints the 0-based line of the problem (one less than the real line).
/// Either way a problem on the first line (0-based line 0) takes the context's 0-based line
/// instead, and no line at all when that is 0 too (`kubectl patch -p 'a: b: c'` says `yaml:
/// mapping values are not allowed in this context`). Other failures have no line.
fn go_yaml_message(e: &serde_yaml::Error, doc: &str) -> String {
    let debug = format!("{e:?}");
    let display = e.to_string();
    if display.starts_with("unknown anchor") {
        return format!("yaml: unknown anchor '{}' referenced", alias_at(e, doc));
    }
    let problem = display.split(" at line ").next().unwrap_or(&display);
    let problem = problem.split(" at position ").next().unwrap_or(problem);
    let problem = problem.split(", ").next().unwrap_or(problem);
    let line = match e.location() {
        Some(loc) if debug.contains("kind: SCANNER") && loc.line() > 1 => loc.line(),
        Some(loc) if debug.contains("kind: SCANNER") || debug.contains("kind: PARSER") => {
            let zero_based = loc.line().saturating_sub(1);
            if zero_based == 0 {
                context_line(&debug).unwrap_or(0)
            } else {
                zero_based
            }
        }
        _ => 0,
    };
    if line == 0 {
        format!("yaml: {problem}")
    } else {
        format!("yaml: line {line}: {problem}")
    }
}

/// The name of the alias (`*name`) an error points at.
fn alias_at(e: &serde_yaml::Error, doc: &str) -> String {
    let Some(loc) = e.location() else { return String::new() };
    let line = doc.lines().nth(loc.line().saturating_sub(1)).unwrap_or("");
    let rest = line.get(loc.column().saturating_sub(1)..).unwrap_or("");
    let rest = rest.strip_prefix('*').unwrap_or(rest);
    rest.split(|c: char| c.is_whitespace() || ",[]{}".contains(c)).next().unwrap_or("").to_string()
}

/// The 0-based context line from serde_norway's debug text (`context_mark: Mark { line: 3, ..`),
/// which prints it 1-based.
fn context_line(debug: &str) -> Option<usize> {
    let rest = debug.split("context_mark: Mark { line: ").nth(1)?;
    let n: usize = rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()?;
    Some(n.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn conv(s: &str) -> Value {
        to_json(s).unwrap()
    }

    #[test]
    fn yaml_1_1_booleans_when_plain() {
        let v = conv("a: yes\nb: on\nc: 'yes'\nd: \"off\"\ne: N\nf: True\ng: no\n");
        assert_eq!(v, json!({"a": true, "b": true, "c": "yes", "d": "off", "e": false, "f": true, "g": false}));
    }

    #[test]
    fn numbers_like_go_yaml_then_json() {
        let v = conv("a: 012\nb: 1_000\nc: 0x1F\nd: 1e3\ne: 1.0\nf: 1.5\ng: 08\nh: 0b101\ni: +12\nj: 12345678901234567890\nk: \"0\"\nl: 0o12\n");
        assert_eq!(v["a"], json!(10));
        assert_eq!(v["b"], json!(1000));
        assert_eq!(v["c"], json!(31));
        assert_eq!(v["d"], json!(1000));
        assert_eq!(v["e"], json!(1));
        assert_eq!(v["f"], json!(1.5));
        assert_eq!(v["g"], json!(8));
        assert_eq!(v["h"], json!(5));
        assert_eq!(v["i"], json!(12));
        assert_eq!(v["j"], json!(12345678901234567890.0));
        assert_eq!(v["k"], json!("0"));
        assert_eq!(v["l"], json!(10));
    }

    #[test]
    fn strings_nulls_and_keys() {
        let v = conv("a: ~\nb:\nc: 2001-12-14\nd: 1:20\nn: x\n1: y\ne: |\n  yes\nf: \"a\\tb\"\n");
        assert_eq!(v["a"], Value::Null);
        assert_eq!(v["b"], Value::Null);
        assert_eq!(v["c"], json!("2001-12-14"));
        assert_eq!(v["d"], json!("1:20"));
        assert_eq!(v["false"], json!("x"));
        assert_eq!(v["1"], json!(true));
        assert_eq!(v["e"], json!("yes\n"));
        assert_eq!(v["f"], json!("a\tb"));
    }

    #[test]
    fn duplicate_keys_keep_the_last_and_merges_apply() {
        assert_eq!(conv("a: 1\na: 2\n"), json!({"a": 2}));
        let v = conv("base: &b {x: 1, z: 2}\nd:\n  <<: *b\n  z: 3\n");
        assert_eq!(v["d"], json!({"x": 1, "z": 3}));
        // go-yaml v2 reads the key `y` as the boolean true, which becomes the key "true".
        assert_eq!(conv("y: 1\n"), json!({"true": 1}));
    }

    #[test]
    fn infinity_is_not_json() {
        assert_eq!(to_json("a: .inf\n").unwrap_err().0, "json: unsupported value: +Inf");
    }

    #[test]
    fn scanner_errors_name_the_line() {
        let e = to_json("a: b\nc:\n  d: e: f\n").unwrap_err();
        assert_eq!(e.0, "yaml: line 3: mapping values are not allowed in this context");
        // On the first line go-yaml v2 names no line (checked with kubectl v1.32).
        let e = to_json("a: b: c\n").unwrap_err();
        assert_eq!(e.0, "yaml: mapping values are not allowed in this context");
        let e = to_json("a: 1\n\tb: 2\n").unwrap_err();
        assert_eq!(e.0, "yaml: line 2: found a tab character that violates indentation");
    }

    #[test]
    fn empty_document_is_null() {
        assert_eq!(conv(""), Value::Null);
        assert_eq!(conv("# only a comment\n"), Value::Null);
    }
}

#[cfg(test)]
mod limits {
    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("a: {}", "[".repeat(2_000));
        assert!(super::to_json(&text).is_err());
    }
}
