//! apimachinery's name and label rules (`pkg/util/validation/validation.go`) with their exact
//! v1.32 messages, and Go's rendering of bad values inside field errors.

use serde_json::Value;

const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const QUALIFIED_NAME_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const QUALIFIED_FORMAT_MSG: &str = "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";

fn max_len(n: usize) -> String {
    format!("must be no more than {n} characters")
}

fn is_lower_alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn label_shape(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && is_lower_alnum(b[0])
        && is_lower_alnum(b[b.len() - 1])
        && b.iter().all(|&c| is_lower_alnum(c) || c == b'-')
}

/// `IsDNS1123Label`.
pub fn dns1123_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len(63));
    }
    if !label_shape(s) {
        errs.push(DNS1123_LABEL_MSG.to_string());
    }
    errs
}

/// `IsDNS1123Subdomain`.
pub fn dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push(max_len(253));
    }
    if !s.split('.').all(label_shape) {
        errs.push(DNS1123_SUBDOMAIN_MSG.to_string());
    }
    errs
}

/// `IsDNS1035Label` (Service names).
pub fn dns1035_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len(63));
    }
    if !(label_shape(s) && s.as_bytes()[0].is_ascii_lowercase()) {
        errs.push(DNS1035_LABEL_MSG.to_string());
    }
    errs
}

/// A name validator; `prefix` is true for `generateName`, whose trailing dash is allowed.
pub type NameFn = fn(&str, bool) -> Vec<String>;

fn mask_trailing_dash(s: &str, prefix: bool) -> String {
    if prefix && s.len() > 1 && s.ends_with('-') {
        format!("{}a", &s[..s.len() - 1])
    } else {
        s.to_string()
    }
}

pub fn name_is_dns_label(s: &str, prefix: bool) -> Vec<String> {
    dns1123_label(&mask_trailing_dash(s, prefix))
}

pub fn name_is_dns_subdomain(s: &str, prefix: bool) -> Vec<String> {
    dns1123_subdomain(&mask_trailing_dash(s, prefix))
}

pub fn name_is_dns1035_label(s: &str, prefix: bool) -> Vec<String> {
    dns1035_label(&mask_trailing_dash(s, prefix))
}

fn alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

fn qualified_part_shape(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && alnum(b[0])
        && alnum(b[b.len() - 1])
        && b.iter().all(|&c| alnum(c) || matches!(c, b'-' | b'_' | b'.'))
}

/// `IsQualifiedName` (label and annotation keys, provisioner names).
pub fn qualified_name(s: &str) -> Vec<String> {
    let parts: Vec<&str> = s.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                return vec!["prefix part must be non-empty".to_string()];
            }
            let mut errs: Vec<String> =
                dns1123_subdomain(prefix).into_iter().map(|m| format!("prefix part {m}")).collect();
            errs.extend(qualified_name_part(name));
            return errs;
        }
        _ => return vec![QUALIFIED_FORMAT_MSG.to_string()],
    };
    qualified_name_part(name)
}

fn qualified_name_part(name: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len(63)));
    }
    if !qualified_part_shape(name) {
        errs.push(QUALIFIED_NAME_MSG.to_string());
    }
    errs
}

/// `IsValidLabelValue`.
pub fn label_value(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len(63));
    }
    if !s.is_empty() && !qualified_part_shape(s) {
        errs.push(LABEL_VALUE_MSG.to_string());
    }
    errs
}

/// `IsValidPortName`.
pub fn port_name(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 15 {
        errs.push(max_len(15));
    }
    if !s.bytes().all(|c| is_lower_alnum(c) || c == b'-') {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string());
    }
    if !s.bytes().any(|c| c.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".to_string());
    }
    if s.contains("--") {
        errs.push("must not contain consecutive hyphens".to_string());
    }
    if s.starts_with('-') || s.ends_with('-') {
        errs.push("must not begin or end with a hyphen".to_string());
    }
    errs
}

/// `IsValidPortNum`.
pub fn port_num(p: i64) -> Vec<String> {
    if (1..=65535).contains(&p) {
        Vec::new()
    } else {
        vec!["must be between 1 and 65535, inclusive".to_string()]
    }
}

/// Go's `%q` of a string.
pub fn q(s: &str) -> String {
    crate::format::go::quote_str(s)
}

/// Go's `%#v` of a `map[string]string` (keys sorted, `nil` when absent).
pub fn go_string_map(v: Option<&Value>) -> String {
    match v.and_then(Value::as_object) {
        None => "map[string]string(nil)".to_string(),
        Some(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let body: Vec<String> =
                keys.iter().map(|k| format!("{}:{}", q(k), q(m[*k].as_str().unwrap_or("")))).collect();
            format!("map[string]string{{{}}}", body.join(", "))
        }
    }
}

/// A JSON scalar as field errors print it: strings quoted, numbers and bools plain.
pub fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => q(s),
        Value::Null => "null".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_rules() {
        assert!(dns1123_label("web").is_empty());
        assert_eq!(dns1123_label("Web"), vec![DNS1123_LABEL_MSG.to_string()]);
        assert_eq!(dns1123_label("a.b"), vec![DNS1123_LABEL_MSG.to_string()]);
        assert_eq!(dns1123_label(&"a".repeat(64)), vec!["must be no more than 63 characters".to_string()]);
        assert!(dns1123_subdomain("a.b-c").is_empty());
        assert_eq!(dns1123_subdomain("a..b").len(), 1);
        assert_eq!(dns1035_label("1abc"), vec![DNS1035_LABEL_MSG.to_string()]);
        assert!(name_is_dns_label("web-", true).is_empty());
    }

    #[test]
    fn label_rules() {
        assert!(qualified_name("app.kubernetes.io/name").is_empty());
        assert_eq!(qualified_name("a/b/c"), vec![QUALIFIED_FORMAT_MSG.to_string()]);
        assert_eq!(qualified_name("-x"), vec![QUALIFIED_NAME_MSG.to_string()]);
        assert_eq!(qualified_name("Bad_/x")[0], format!("prefix part {DNS1123_SUBDOMAIN_MSG}"));
        assert!(label_value("").is_empty());
        assert_eq!(label_value("bad value"), vec![LABEL_VALUE_MSG.to_string()]);
    }

    #[test]
    fn go_renderings() {
        let m = serde_json::json!({"b": "2", "app": "nginx-x"});
        assert_eq!(go_string_map(Some(&m)), "map[string]string{\"app\":\"nginx-x\", \"b\":\"2\"}");
        assert_eq!(go_string_map(None), "map[string]string(nil)");
        assert_eq!(port_name("web"), Vec::<String>::new());
        assert_eq!(port_name("80"), vec!["must contain at least one letter (a-z)".to_string()]);
    }
}
