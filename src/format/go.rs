//! Go's `fmt.Sprintf` over the values a template holds (JSON: nil, bool, int64, float64,
//! string, `[]interface {}`, `map[string]interface {}`), as go-template's `printf` calls it.
//!
//! Widths and precisions follow Go's parser: a number that grows past 10^6 before its last
//! digit is "crazy long", ends the format and prints `%!(NOVERB)`, so no width exceeds about
//! ten million. The result is bounded by the caller's sink.

use serde_json::Value;

use super::field::Field;
use super::float::go_float;
use super::int::{digits, radix};
use super::sink::Sink;
use super::spec::Spec;

/// Go's `tooLarge`: widths and precisions stop growing past this.
const TOO_LARGE: usize = 1_000_000;

/// `fmt.Sprintf(format, args...)` into `sink`; None and `Some(Null)` are Go's nil.
pub fn sprintf<S: Sink>(format: &str, args: &[Option<&Value>], sink: &mut S) -> Result<(), S::Error> {
    let f = format.as_bytes();
    let (mut i, mut next, mut reordered) = (0, 0, false);
    while i < f.len() {
        let lit = f[i..].iter().position(|c| *c == b'%').map_or(f.len(), |n| i + n);
        sink.put(&f[i..lit])?;
        if lit >= f.len() {
            break;
        }
        i = lit + 1;
        let mut spec = Spec::default();
        while let Some(&c) = f.get(i) {
            if !spec.flag(c) {
                break;
            }
            i += 1;
        }
        let mut good = true;
        let mut after_index = index(f, &mut i, &mut next, args.len(), &mut good, &mut reordered);
        if f.get(i) == Some(&b'*') {
            i += 1;
            match int_arg(args, &mut next) {
                Some(w) => {
                    spec.minus |= w < 0;
                    spec.width = w.unsigned_abs() as usize;
                }
                None => sink.put(b"%!(BADWIDTH)")?,
            }
            after_index = false;
        } else if let Some(w) = parse_num(f, &mut i) {
            spec.width = w;
            good &= !after_index;
        }
        if i + 1 < f.len() && f[i] == b'.' {
            i += 1;
            if after_index {
                good = false;
            }
            after_index = index(f, &mut i, &mut next, args.len(), &mut good, &mut reordered);
            if f.get(i) == Some(&b'*') {
                i += 1;
                match int_arg(args, &mut next).filter(|p| *p >= 0) {
                    Some(p) => spec.prec = Some(p as usize),
                    None => sink.put(b"%!(BADPREC)")?,
                }
                after_index = false;
            } else {
                spec.prec = Some(parse_num(f, &mut i).unwrap_or(0));
            }
        }
        if !after_index {
            index(f, &mut i, &mut next, args.len(), &mut good, &mut reordered);
        }
        let Some(verb) = format.get(i..).and_then(|s| s.chars().next()) else {
            sink.put(b"%!(NOVERB)")?;
            break;
        };
        i += verb.len_utf8();
        if verb == '%' {
            sink.put(b"%")?;
        } else if !good {
            sink.put(format!("%!{verb}(BADINDEX)").as_bytes())?;
        } else if let Some(arg) = args.get(next) {
            next += 1;
            print_arg(*arg, verb, &spec, sink)?;
        } else {
            sink.put(format!("%!{verb}(MISSING)").as_bytes())?;
        }
    }
    if !reordered && next < args.len() {
        let extra: Vec<String> = args[next..].iter().map(|a| typed(*a)).collect();
        sink.put(format!("%!(EXTRA {})", extra.join(", ")).as_bytes())?;
    }
    Ok(())
}

/// Go's `parsenum`: digits at `*i`; a number that is already past 10^6 when another digit
/// follows is "crazy long": the rest of the format is consumed and None returned.
fn parse_num(f: &[u8], i: &mut usize) -> Option<usize> {
    let start = *i;
    let mut n = 0usize;
    while let Some(d) = f.get(*i).filter(|c| c.is_ascii_digit()) {
        if n > TOO_LARGE {
            *i = f.len();
            return None;
        }
        n = n * 10 + usize::from(d - b'0');
        *i += 1;
    }
    (*i > start).then_some(n)
}

/// An explicit argument index `[n]` at `*i`; returns whether one was there.
fn index(f: &[u8], i: &mut usize, next: &mut usize, nargs: usize, good: &mut bool, reordered: &mut bool) -> bool {
    if f.get(*i) != Some(&b'[') {
        return false;
    }
    *reordered = true;
    let close = f[*i..].iter().position(|c| *c == b']');
    let (n, ok, width) = match close {
        Some(c) if f.len() - *i >= 3 => {
            let mut j = *i + 1;
            let n = parse_num(&f[..*i + c], &mut j);
            (n, n.is_some() && j == *i + c, c + 1)
        }
        _ => (None, false, 1),
    };
    *i += width;
    match n.filter(|n| ok && (1..=nargs).contains(n)) {
        Some(n) => {
            *next = n - 1;
            true
        }
        None => {
            *good = false;
            ok
        }
    }
}

/// A `*` width or precision: the next argument when it is an integer.
fn int_arg(args: &[Option<&Value>], next: &mut usize) -> Option<i64> {
    let v = args.get(*next)?;
    *next += 1;
    let n = v.and_then(Value::as_i64)?;
    (n.unsigned_abs() as usize <= TOO_LARGE).then_some(n)
}

/// Go's type name of a template value.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_i64() => "int",
        Value::Number(n) if n.is_u64() => "uint64",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

/// `type=value` as `%!verb(...)` and `%!(EXTRA ...)` print an argument.
fn typed(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "<nil>".into(),
        Some(v) => {
            let mut s = super::sink::Capped::new(usize::MAX);
            let _ = print_arg(Some(v), 'v', &Spec::default(), &mut s);
            format!("{}={}", type_name(v), String::from_utf8_lossy(&s.buf))
        }
    }
}

fn bad_verb<S: Sink>(v: Option<&Value>, verb: char, sink: &mut S) -> Result<(), S::Error> {
    sink.put(format!("%!{verb}({})", typed(v)).as_bytes())
}

/// Go's `printArg`/`printValue` for one argument.
fn print_arg<S: Sink>(v: Option<&Value>, verb: char, spec: &Spec, sink: &mut S) -> Result<(), S::Error> {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return match verb {
            'v' | 'T' => text(b"<nil>".to_vec(), spec, sink),
            _ => bad_verb(None, verb, sink),
        };
    };
    if verb == 'T' {
        return text(type_name(v).as_bytes().to_vec(), spec, sink);
    }
    match v {
        Value::Bool(b) => match verb {
            't' | 'v' => text(b.to_string().into_bytes(), spec, sink),
            _ => bad_verb(Some(v), verb, sink),
        },
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => int(i < 0, i.unsigned_abs(), v, verb, spec, sink),
            (None, Some(u)) => int(false, u, v, verb, spec, sink),
            _ => match verb {
                'b' | 'g' | 'G' | 'x' | 'X' | 'f' | 'F' | 'e' | 'E' | 'v' => {
                    go_float(n.as_f64().unwrap_or(0.0), verb, spec).emit(spec, sink)
                }
                _ => bad_verb(Some(v), verb, sink),
            },
        },
        Value::String(s) => string(s, v, verb, spec, sink),
        Value::Array(items) => {
            sink.put(b"[")?;
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    sink.put(b" ")?;
                }
                element(item, verb, spec, sink)?;
            }
            sink.put(b"]")
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            sink.put(b"map[")?;
            for (k, key) in keys.into_iter().enumerate() {
                if k > 0 {
                    sink.put(b" ")?;
                }
                string(key, &Value::Null, verb, spec, sink)?;
                sink.put(b":")?;
                element(&map[key], verb, spec, sink)?;
            }
            sink.put(b"]")
        }
        Value::Null => Ok(()),
    }
}

/// An element of a list or map: a nil one prints `<nil>` whatever the verb.
fn element<S: Sink>(v: &Value, verb: char, spec: &Spec, sink: &mut S) -> Result<(), S::Error> {
    if v.is_null() {
        return text(b"<nil>".to_vec(), spec, sink);
    }
    print_arg(Some(v), verb, spec, sink)
}

/// Text padded with spaces (Go ignores `0` for strings), its width counted in characters.
fn text<S: Sink>(body: Vec<u8>, spec: &Spec, sink: &mut S) -> Result<(), S::Error> {
    let s = String::from_utf8_lossy(&body).into_owned();
    Field::chars(s).emit(spec, sink)
}

fn string<S: Sink>(s: &str, v: &Value, verb: char, spec: &Spec, sink: &mut S) -> Result<(), S::Error> {
    let truncated = |s: &str| -> String { s.chars().take(spec.prec.unwrap_or(usize::MAX)).collect() };
    match verb {
        'v' | 's' => text(truncated(s).into_bytes(), spec, sink),
        'q' => text(quote(&truncated(s), spec).into_bytes(), spec, sink),
        'x' | 'X' => text(hex_bytes(s.as_bytes(), verb == 'X', spec).into_bytes(), spec, sink),
        _ => bad_verb(Some(v).filter(|v| !v.is_null()).or(Some(&Value::Null)), verb, sink).and(Ok(())),
    }
}

/// `%x` of a string: two digits a byte; `% x` separates bytes, `#` adds `0x`.
fn hex_bytes(b: &[u8], upper: bool, spec: &Spec) -> String {
    let b = &b[..b.len().min(spec.prec.unwrap_or(usize::MAX))];
    let x = if upper { "0X" } else { "0x" };
    let mut out = String::new();
    for (k, byte) in b.iter().enumerate() {
        if spec.space && k > 0 {
            out.push(' ');
        }
        if spec.sharp && (spec.space || k == 0) {
            out.push_str(x);
        }
        out.push_str(&if upper { format!("{byte:02X}") } else { format!("{byte:02x}") });
    }
    out
}

/// `strconv.Quote` (`+` for ASCII only, `#` for a backquoted raw string when possible).
fn quote(s: &str, spec: &Spec) -> String {
    if spec.sharp && !s.chars().any(|c| c == '`' || c == '\u{FEFF}' || (c.is_control() && c != '\t')) {
        return format!("`{s}`");
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        escape_rune(c, '"', spec.plus, &mut out);
    }
    out.push('"');
    out
}

fn escape_rune(c: char, quote: char, ascii: bool, out: &mut String) {
    match c {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        '\\' => out.push_str("\\\\"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if c.is_ascii() || (!ascii && printable(c)) => out.push(c),
        c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// An approximation of Go's `unicode.IsPrint` outside ASCII.
fn printable(c: char) -> bool {
    !c.is_control() && !c.is_whitespace() && !('\u{e000}'..='\u{f8ff}').contains(&c) && c != '\u{feff}'
}

/// Go's `fmtInteger`, `%c`, `%q` and `%U` for an int64 or uint64.
fn int<S: Sink>(negative: bool, mag: u64, v: &Value, verb: char, spec: &Spec, sink: &mut S) -> Result<(), S::Error> {
    let rune = || char::from_u32(u32::try_from(mag).unwrap_or(0xFFFD)).filter(|_| !negative).unwrap_or('\u{FFFD}');
    match verb {
        'c' => return text(rune().to_string().into_bytes(), spec, sink),
        'q' => {
            let mut q = String::from("'");
            escape_rune(rune(), '\'', spec.plus, &mut q);
            q.push('\'');
            return text(q.into_bytes(), spec, sink);
        }
        'U' => {
            let mut u = format!("U+{mag:04X}");
            if spec.sharp && printable(rune()) {
                u.push_str(&format!(" '{}'", rune()));
            }
            return text(u.into_bytes(), spec, sink);
        }
        _ => {}
    }
    let Some((base, upper)) = radix(if verb == 'v' { 'd' } else { verb }).filter(|_| !matches!(verb, 'i' | 'u')) else {
        return bad_verb(Some(v), verb, sink);
    };
    if spec.prec == Some(0) && mag == 0 {
        return sink.repeat(b' ', spec.width);
    }
    let body = digits(mag, base, upper);
    let sign = spec.sign(negative);
    let min_digits = match spec.prec {
        Some(p) => p,
        None if spec.zero_pads() && spec.width > 0 => spec.width.saturating_sub(sign.len()),
        None => 0,
    };
    let mut zeros = min_digits.saturating_sub(body.len());
    let mut prefix = String::new();
    match (spec.sharp, base) {
        (true, 2) => prefix.push_str("0b"),
        (true, 8) if zeros == 0 && body.first() != Some(&b'0') => zeros = 1,
        (true, 16) => prefix.push_str(if upper { "0X" } else { "0x" }),
        _ => {}
    }
    if verb == 'O' {
        prefix.insert_str(0, "0o");
    }
    prefix.insert_str(0, sign);
    let field = Field { prefix, zeros, ..Field::bytes(body) };
    field.emit(&Spec { zero: false, ..*spec }, sink)
}
