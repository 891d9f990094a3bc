//! Which strings go-yaml v2 would read back as something other than a string.
//!
//! go-yaml v2's encoder (`encode.go` `stringv`) writes a string plain only when `resolve("", s)`
//! says it is a `!!str` and it does not look like a base-60 float; otherwise it double-quotes it.
//! This is a port of that decision (`resolve.go`, YAML 1.1 flavoured): booleans `y/yes/on/...`
//! in three spellings each, nulls, `.inf`/`.nan`, Go `ParseInt(s, 0, 64)` integers (hex, octal,
//! binary, underscores), floats, and timestamps as `parseTimestamp` accepts them.

/// Would go-yaml v2 resolve the plain scalar `s` to a non-string (or refuse it as base-60)?
pub fn needs_quotes(s: &str) -> bool {
    resolves_to_non_string(s) || is_base60_float(s)
}

/// The words go-yaml v2's `resolveMap` knows (bools, nulls, infinities, NaN).
const SPECIAL_WORDS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no", "No", "NO", "false",
    "False", "FALSE", "off", "Off", "OFF", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
    "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
];

fn resolves_to_non_string(s: &str) -> bool {
    let Some(&first) = s.as_bytes().first() else {
        return true; // the empty plain scalar is null
    };
    // `resolveTable`: only these first bytes can lead to a non-string.
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => SPECIAL_WORDS.contains(&s),
        b'.' => SPECIAL_WORDS.contains(&s) || go_parse_float(s),
        b'+' | b'-' | b'0'..=b'9' => {
            if SPECIAL_WORDS.contains(&s) || is_timestamp(s) {
                return true;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            is_go_int(&plain) || (is_yaml_style_float(&plain) && plain.parse::<f64>().is_ok_and(f64::is_finite))
        }
        _ => false,
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)` or `ParseUint(s, 0, 64)` succeeds (underscores already gone).
fn is_go_int(s: &str) -> bool {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() {
        return false;
    }
    let Ok(v) = u64::from_str_radix(digits, radix) else {
        return false;
    };
    // ParseUint takes no sign; ParseInt allows magnitudes up to 2^63 when negative.
    if neg {
        v <= 1u64 << 63
    } else {
        true
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseFloat` for strings starting with `.` (decimal digits, `_` between digits,
/// optional exponent) succeeding without overflow.
fn go_parse_float(s: &str) -> bool {
    if !underscores_ok(s) {
        return false;
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    is_yaml_style_float(&plain) && plain.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Go's `underscoreOK`: each `_` sits between digits.
fn underscores_ok(s: &str) -> bool {
    let mut prev = '^';
    for c in s.chars() {
        if c == '_' {
            if prev != '0' {
                return false;
            }
            prev = '_';
        } else if c.is_ascii_digit() {
            prev = '0';
        } else {
            if prev == '_' {
                return false;
            }
            prev = '!';
        }
    }
    prev != '_'
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$` (go-yaml quotes these for old parsers).
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 2 {
            i += 1;
        }
        let group = &b[start..i];
        let ok = match group.len() {
            1 => true,
            2 => group[0] <= b'5',
            _ => false,
        };
        if !ok {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// go-yaml v2 `parseTimestamp`: `YYYY-M-D`, optionally followed by `T`/`t`/` ` and `h:m:s`
/// with optional fraction and (for T/t) a `Z` or `±hh:mm` zone; fields are range-checked as Go's
/// `time.Parse` does.
pub fn is_timestamp(s: &str) -> bool {
    let mut p = Cursor { b: s.as_bytes(), i: 0 };
    let Some(year) = p.fixed_digits(4) else { return false };
    if !p.eat(b'-') {
        return false;
    }
    let Some(month) = p.num12() else { return false };
    if !p.eat(b'-') {
        return false;
    }
    let Some(day) = p.num12() else { return false };
    if !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
        return false;
    }
    if p.done() {
        return true;
    }
    let zone_required = match p.next() {
        Some(b'T' | b't') => true,
        Some(b' ') => false,
        _ => return false,
    };
    let (Some(h), true, Some(m), true, Some(sec)) = (p.num12(), p.eat(b':'), p.num12(), p.eat(b':'), p.num12()) else {
        return false;
    };
    if h > 23 || m > 59 || sec > 59 {
        return false;
    }
    // Optional fraction (Go also accepts a comma).
    if matches!(p.peek(), Some(b'.' | b',')) && p.b.get(p.i + 1).is_some_and(u8::is_ascii_digit) {
        p.i += 1;
        while p.peek().is_some_and(|c| c.is_ascii_digit()) {
            p.i += 1;
        }
    }
    if !zone_required {
        return p.done();
    }
    match p.next() {
        Some(b'Z') => p.done(),
        Some(b'+' | b'-') => {
            let (Some(zh), true, Some(zm)) = (p.fixed_digits(2), p.eat(b':'), p.fixed_digits(2)) else {
                return false;
            };
            zh <= 24 && zm <= 60 && p.done()
        }
        _ => false,
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn next(&mut self) -> Option<u8> {
        let c = self.peek();
        self.i += 1;
        c
    }
    fn done(&self) -> bool {
        self.i >= self.b.len()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn fixed_digits(&mut self, n: usize) -> Option<u32> {
        let part = self.b.get(self.i..self.i + n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(part.iter().fold(0, |a, d| a * 10 + u32::from(d - b'0')))
    }
    /// Go's one-or-two digit field (`getnum(value, false)`).
    fn num12(&mut self) -> Option<u32> {
        let two = self.b.get(self.i + 1).is_some_and(u8::is_ascii_digit);
        self.fixed_digits(if two { 2 } else { 1 })
    }
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_reads_back_as_another_type() {
        for s in [
            "",
            "y",
            "Y",
            "yes",
            "No",
            "ON",
            "off",
            "true",
            "FALSE",
            "~",
            "null",
            "NULL",
            "0",
            "-1",
            "+1",
            "123",
            "0x1F",
            "0o17",
            "017",
            "0b101",
            "1_000",
            "1.5",
            "1e3",
            ".5",
            ".inf",
            "-.Inf",
            ".NaN",
            "08",
            "1.",
            "2026-11-27T09:45:23Z",
            "2026-11-27",
            "2026-1-2",
            "2026-11-27 09:45:23",
            "2026-11-27t09:45:23.5+01:00",
            "1:20",
            "-1:20:30.5",
            "18446744073709551615",
            "99999999999999999999999",
        ] {
            assert!(needs_quotes(s), "{s:?} should be quoted");
        }
    }

    #[test]
    fn leaves_real_strings_plain() {
        for s in [
            "nginx",
            "yEs",
            "True1",
            "Nope",
            "1.2.3",
            "1e",
            "0x",
            "0xG",
            "_1",
            "1e400",
            "v1.32.0",
            "2026-13-01",
            "2026-02-30",
            "2026-11-27T09:45:23",
            "10.244.0.5",
            "80/TCP",
            "1Gi",
            "100m",
            "<<",
            "1:60",
            "1a",
        ] {
            assert!(!needs_quotes(s), "{s:?} should stay plain");
        }
    }
}
