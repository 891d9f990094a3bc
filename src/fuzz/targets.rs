//! One test per reader and formatter.

use serde_json::{json, Value};

use super::run;
use crate::format::{self, Capped};

fn data() -> Value {
    json!({"kind": "List", "items": [
        {"metadata": {"name": "web-0", "labels": {"app": "nginx"}}, "spec": {"replicas": 3}, "status": {"ok": true}},
        {"metadata": {"name": "web-1"}, "spec": {"replicas": 1.5}, "status": {"ok": null}}
    ]})
}

#[rustfmt::skip]
const PRINTF: &[&str] = &[
    "%", "d", "i", "u", "s", "x", "X", "o", "e", "E", "f", "g", "G", "a", "b", "c", "q", "v", "t", "T", "U", "*", ".",
    "-", "+", " ", "#", "0", "7", "99999999999", "2147483648", "[1]", "[9]", "%%", "\\", "c", "x4", "0101", "u00e9",
    "abc", "é", "l", "h", "\n",
];
const C_ARGS: &[&str] =
    &["1", "-1", "x", "1e400", "0x1p3", "'a", "", "99999999999999999999", "\\c", "inf", "-0", "3.5"];

#[test]
fn c_printf() {
    run("printf (C)", 1, PRINTF, 12, |inputs, fmt| {
        let args: Vec<String> = (0..3).map(|_| inputs.pick(C_ARGS).to_string()).collect();
        for dialect in [format::c::Dialect::Gnu, format::c::Dialect::Dash] {
            let mut sink = Capped::new(1 << 16);
            let _ = format::c::printf(dialect, fmt.as_bytes(), &args, &mut sink, &mut Vec::new());
            assert!(sink.buf.len() <= 1 << 16);
        }
    });
}

#[test]
fn go_printf() {
    let values =
        [json!(1), json!(-7), json!(2.5), json!("é"), json!(true), json!(null), json!([1, "a"]), json!({"k": 1})];
    run("printf (Go)", 2, PRINTF, 12, |inputs, fmt| {
        let k = inputs.pick(&["0", "1", "2", "3"]).parse::<usize>().unwrap_or(0);
        let args: Vec<Option<&Value>> = values.iter().take(k).map(Some).collect();
        let mut sink = Capped::new(1 << 16);
        let _ = format::go::sprintf(fmt, &args, &mut sink);
    });
}

#[rustfmt::skip]
const JSONPATH: &[&str] = &[
    "{", "}", ".", "..", "[", "]", "*", "?(@.", "==", "!=", "<", "'", "\"", "items", "metadata", "name", "labels", "0",
    "-1", ":", ",", "range", "end", "$", "@", "(", ")", "\\", " ", "spec.replicas", "=~", "3",
];

#[test]
fn jsonpath() {
    let v = data();
    run("jsonpath", 3, JSONPATH, 16, |_, t| {
        let _ = crate::print::jsonpath::render(t, &v);
    });
}

#[rustfmt::skip]
const TEMPLATE: &[&str] = &[
    "{{", "}}", ".", "items", "metadata", "name", "range", "end", "if", "else", "with", "printf", "\"%d\"", "\"%5.2f\"",
    "|", "$x", ":=", "$", "len", "index", "1", "-1", "(", ")", "-", " ", "eq", "\"a\"", "nil", "and", "or", "not",
    "print", "base64decode", "{{-", "-}}", "/*", "*/", "100000000000",
];

#[test]
fn go_template() {
    let v = data();
    run("go-template", 4, TEMPLATE, 16, |_, t| {
        let _ = crate::print::gotemplate::render(t, &v);
    });
}

#[rustfmt::skip]
const MANIFEST: &[&str] = &[
    "apiVersion: v1\n", "kind: Pod\n", "kind: List\n", "items:\n", "---\n", "  ", "- ", "{", "}", "[", "]", ": ", "\"",
    "'", "&a ", "*a", "!!str ", "\n", "|\n", ">-\n", "# c\n", "é", "metadata:\n", "  name: x\n", "null", "~", "1e5",
    "0x1F", ",", "\t", "\\u00e9", "<<: *a\n", "? ", "%YAML 1.1\n",
];

#[test]
fn manifests() {
    run("manifest reader", 5, MANIFEST, 24, |_, text| {
        let _ = crate::manifest::parse_each("fuzz.yaml", text, true);
    });
}
