//! awk's values: numbers, strings, and strings from input that compare as numbers when they
//! look like one.

use crate::format::c::{printf, Dialect};
use crate::format::Capped;

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Num(f64),
    Str(String),
    /// A field, `getline` or `-v` value: a number in comparisons when it looks like one.
    StrNum(String),
    Uninit,
}

impl Val {
    pub fn num(&self) -> f64 {
        match self {
            Val::Num(n) => *n,
            Val::Str(s) | Val::StrNum(s) => str_to_num(s),
            Val::Uninit => 0.0,
        }
    }

    /// The string value, numbers formatted with `convfmt` unless integral.
    pub fn str(&self, convfmt: &str) -> String {
        match self {
            Val::Num(n) => num_to_str(*n, convfmt),
            Val::Str(s) | Val::StrNum(s) => s.clone(),
            Val::Uninit => String::new(),
        }
    }

    pub fn truthy(&self) -> bool {
        match self {
            Val::Num(n) => *n != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::StrNum(s) => {
                if looks_numeric(s) {
                    str_to_num(s) != 0.0
                } else {
                    !s.is_empty()
                }
            }
            Val::Uninit => false,
        }
    }

    /// Whether comparisons take this value as a number.
    pub fn is_numeric(&self) -> bool {
        match self {
            Val::Num(_) | Val::Uninit => true,
            Val::StrNum(s) => looks_numeric(s),
            Val::Str(_) => false,
        }
    }
}

/// The leading number of a string, as strtod reads it (0 when there is none).
pub fn str_to_num(s: &str) -> f64 {
    let t = s.trim_start_matches([' ', '\t', '\n']);
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i == digits_start || (i == digits_start + 1 && b[digits_start] == b'.') {
        return 0.0;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    t[..i].parse().unwrap_or(0.0)
}

/// Whether the whole string (blanks around it aside) is a number.
pub fn looks_numeric(s: &str) -> bool {
    let t = s.trim_matches([' ', '\t', '\n']);
    if t.is_empty() {
        return false;
    }
    let body = t.trim_start_matches(['+', '-']);
    if body.len() + 1 < t.len() || body.is_empty() {
        return false;
    }
    let ok_chars = body.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    ok_chars && body.starts_with(|c: char| c.is_ascii_digit() || c == '.') && body.parse::<f64>().is_ok()
}

/// A number as awk prints it: integers as integers, others through `fmt` (`%.6g`).
pub fn num_to_str(n: f64, fmt: &str) -> String {
    if n == n.trunc() && n.abs() < 1e30 {
        return format!("{n:.0}");
    }
    if n.is_nan() {
        return if n.is_sign_negative() { "-nan".into() } else { "nan".into() };
    }
    if n.is_infinite() {
        return if n < 0.0 { "-inf".into() } else { "inf".into() };
    }
    c_format(fmt, &format!("{n:e}"))
}

/// One C conversion of one argument, as GNU printf formats it.
pub fn c_format(directive: &str, arg: &str) -> String {
    let mut sink = Capped::new(1 << 20);
    let _ = printf(Dialect::Gnu, directive.as_bytes(), &[arg.to_string()], &mut sink, &mut Vec::new());
    String::from_utf8_lossy(&sink.buf).into_owned()
}
