//! The `printf` utility: GNU coreutils' program and dash's builtin, over C's conversions.
//!
//! The format is reused while arguments remain. A conversion whose width or precision, or whose
//! whole output, exceeds C's `INT_MAX` fails as glibc's does (`EOVERFLOW`): GNU prints nothing
//! for it and ends with `write error`; dash stops with `xvsnprintf failed`.

use super::cnum::{self, Read};
use super::field::Field;
use super::float::c_float;
use super::int::{digits, radix};
use super::sink::Sink;
use super::spec::{number, Spec};

/// Whose printf: their escapes, conversions and messages differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// GNU coreutils (Debian's /usr/bin/printf; busybox's answers the same way here).
    Gnu,
    /// dash's builtin (Debian's /bin/sh).
    Dash,
}

/// The largest width, precision or output of one conversion (C's `INT_MAX`).
const INT_MAX: u64 = i32::MAX as u64;

/// Runs `printf FORMAT ARGS...` into `sink`; diagnostics (without the `printf: ` prefix) go to
/// `diags`. Returns the exit status, or the sink's error when it refused output.
pub fn printf<S: Sink>(
    dialect: Dialect,
    format: &[u8],
    args: &[String],
    sink: &mut S,
    diags: &mut Vec<String>,
) -> Result<i32, S::Error> {
    let mut run = Run { dialect, args, next: 0, status: 0, diags, overflowed: false };
    loop {
        let before = run.next;
        if let Some(status) = run.pass(format, sink)? {
            return Ok(status);
        }
        if run.next == before || run.next >= args.len() {
            break;
        }
    }
    if run.overflowed {
        run.diags.push("write error".into());
        return Ok(1);
    }
    Ok(run.status)
}

struct Run<'a> {
    dialect: Dialect,
    args: &'a [String],
    next: usize,
    status: i32,
    diags: &'a mut Vec<String>,
    /// A conversion failed with EOVERFLOW (GNU goes on and reports it at the end).
    overflowed: bool,
}

/// A conversion's directive, from `%` to its conversion character.
struct Directive {
    spec: Spec,
    conv: char,
    text: String,
    overflow: bool,
}

impl Run<'_> {
    fn arg(&mut self) -> Option<&str> {
        let a = self.args.get(self.next)?;
        self.next += 1;
        Some(a)
    }

    fn warn(&mut self, msg: String) {
        self.diags.push(msg);
        self.status = 1;
    }

    /// `'x'` in GNU's messages, bare in dash's.
    fn quote(&self, s: &str) -> String {
        match self.dialect {
            Dialect::Dash => s.to_string(),
            Dialect::Gnu if s.contains('\'') => format!("\"{s}\""),
            Dialect::Gnu => format!("'{s}'"),
        }
    }

    /// Reports how a numeric argument failed to convert.
    fn check<T: Copy>(&mut self, arg: &str, read: Read<T>) -> T {
        let what = match (read, self.dialect) {
            (Read::Whole(_), _) => None,
            (Read::NotNumber(_), Dialect::Gnu) => Some("expected a numeric value"),
            (Read::NotNumber(_), Dialect::Dash) => Some("expected numeric value"),
            (Read::Partial(_), Dialect::Gnu) => Some("value not completely converted"),
            (Read::Partial(_), Dialect::Dash) => Some("not completely converted"),
            (Read::Range(_), _) => Some("Numerical result out of range"),
        };
        if let Some(what) = what {
            let msg = format!("{}: {what}", self.quote(arg));
            self.warn(msg);
        }
        read.value()
    }

    /// One pass over the format. Some(status) ends the program.
    fn pass<S: Sink>(&mut self, f: &[u8], sink: &mut S) -> Result<Option<i32>, S::Error> {
        let mut i = 0;
        while i < f.len() {
            match f[i] {
                b'\\' => {
                    i += 1;
                    match self.escape(f, &mut i, false) {
                        Ok(Some(bytes)) => sink.put(&bytes)?,
                        Ok(None) => return Ok(Some(0)),
                        Err(status) => return Ok(Some(status)),
                    }
                }
                b'%' if f.get(i + 1) == Some(&b'%') => {
                    sink.put(b"%")?;
                    i += 2;
                }
                b'%' => {
                    if let Some(status) = self.directive(f, &mut i, sink)? {
                        return Ok(Some(status));
                    }
                }
                _ => {
                    let end = f[i..].iter().position(|c| *c == b'\\' || *c == b'%').map_or(f.len(), |n| i + n);
                    sink.put(&f[i..end])?;
                    i = end;
                }
            }
        }
        Ok(None)
    }

    /// A backslash escape at `f[*i..]` (after the backslash). Ok(None) is `\c` (stop);
    /// Err(status) a fatal error. `in_b` selects `%b`'s rules (`\0nnn`, `\c`).
    fn escape(&mut self, f: &[u8], i: &mut usize, in_b: bool) -> Result<Option<Vec<u8>>, i32> {
        let Some(&c) = f.get(*i) else { return Ok(Some(b"\\".to_vec())) };
        let simple = match c {
            b'\\' => Some(b'\\'),
            b'a' => Some(7),
            b'b' => Some(8),
            b'f' => Some(12),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(11),
            b'e' => Some(27),
            b'"' if self.dialect == Dialect::Gnu => Some(b'"'),
            _ => None,
        };
        if let Some(b) = simple {
            *i += 1;
            return Ok(Some(vec![b]));
        }
        if c == b'c' && (in_b || self.dialect == Dialect::Gnu) {
            return Ok(None);
        }
        if (b'0'..=b'7').contains(&c) {
            // `\0nnn` in %b; `\nnn` (one to three digits) everywhere.
            if in_b && c == b'0' {
                *i += 1;
            }
            let mut n: u32 = 0;
            for _ in 0..3 {
                match f.get(*i).filter(|d| (b'0'..=b'7').contains(*d)) {
                    Some(d) => n = n * 8 + u32::from(d - b'0'),
                    None => break,
                }
                *i += 1;
            }
            return Ok(Some(vec![n as u8]));
        }
        if self.dialect == Dialect::Gnu && matches!(c, b'x' | b'u' | b'U') {
            return self.hex_escape(f, i, c);
        }
        *i += 1;
        Ok(Some(vec![b'\\', c]))
    }

    /// GNU's `\xHH`, `\uHHHH` and `\UHHHHHHHH`.
    fn hex_escape(&mut self, f: &[u8], i: &mut usize, c: u8) -> Result<Option<Vec<u8>>, i32> {
        let (min, max) = match c {
            b'x' => (1, 2),
            b'u' => (4, 4),
            _ => (8, 8),
        };
        let start = *i + 1;
        let n = f[start.min(f.len())..].iter().take(max).take_while(|d| d.is_ascii_hexdigit()).count();
        if n < min {
            self.diags.push("missing hexadecimal number in escape".into());
            return Err(1);
        }
        let text = std::str::from_utf8(&f[start..start + n]).unwrap_or("0");
        let v = u32::from_str_radix(text, 16).unwrap_or(0);
        *i = start + n;
        if c == b'x' {
            return Ok(Some(vec![v as u8]));
        }
        match char::from_u32(v) {
            Some(ch) => Ok(Some(ch.to_string().into_bytes())),
            None => {
                self.diags.push(format!("invalid universal character name \\{}{}", c as char, text));
                Err(1)
            }
        }
    }

    /// Parses the directive at `f[*i]` (a `%`); None when the format ends inside it.
    fn parse(&mut self, f: &[u8], i: &mut usize) -> Result<Directive, Option<String>> {
        let start = *i;
        *i += 1;
        let mut spec = Spec::default();
        let mut overflow = false;
        while let Some(&c) = f.get(*i) {
            let grouping = c == b'\'' && self.dialect == Dialect::Gnu;
            if !grouping && !spec.flag(c) {
                break;
            }
            *i += 1;
        }
        if f.get(*i) == Some(&b'*') {
            *i += 1;
            let w = self.star("field width")?;
            if w < 0 {
                spec.minus = true;
            }
            spec.width = w.unsigned_abs() as usize;
        } else if let Some(w) = number(f, i) {
            overflow |= w > INT_MAX;
            spec.width = w.min(INT_MAX + 1) as usize;
        }
        if f.get(*i) == Some(&b'.') {
            *i += 1;
            if f.get(*i) == Some(&b'*') {
                *i += 1;
                let p = self.star("precision")?;
                spec.prec = usize::try_from(p).ok();
            } else {
                let p = number(f, i).unwrap_or(0);
                overflow |= p > INT_MAX;
                spec.prec = Some(p.min(INT_MAX + 1) as usize);
            }
        }
        if self.dialect == Dialect::Gnu {
            while f.get(*i).is_some_and(|c| b"hlLjzt".contains(c)) {
                *i += 1;
            }
        }
        let conv = std::str::from_utf8(&f[*i..]).ok().and_then(|s| s.chars().next()).or(f.get(*i).map(|b| *b as char));
        let conv_len = conv.map_or(0, char::len_utf8).min(f.len() - *i);
        let text = String::from_utf8_lossy(&f[start..*i + conv_len]).into_owned();
        *i += conv_len;
        match conv {
            Some(conv) => Ok(Directive { spec, conv, text, overflow }),
            None => Err(Some(text)),
        }
    }

    /// A `*` width or precision taken from the next argument.
    fn star(&mut self, what: &str) -> Result<i64, Option<String>> {
        let Some(arg) = self.arg().map(str::to_string) else { return Ok(0) };
        let read = cnum::signed(&arg);
        if self.dialect == Dialect::Gnu && !(i64::from(i32::MIN)..=i64::from(i32::MAX)).contains(&read.value()) {
            self.diags.push(format!("invalid {what}: {}", self.quote(&arg)));
            return Err(None);
        }
        Ok(self.check(&arg, read))
    }

    /// Formats one directive; Some(status) ends the program.
    fn directive<S: Sink>(&mut self, f: &[u8], i: &mut usize, sink: &mut S) -> Result<Option<i32>, S::Error> {
        let d = match self.parse(f, i) {
            Ok(d) => d,
            Err(None) => return Ok(Some(1)),
            Err(Some(text)) => return Ok(Some(self.invalid(&text, true))),
        };
        let (field, stop) = match self.convert(&d) {
            Ok(converted) => converted,
            Err(()) => return Ok(Some(self.invalid(&d.text, false))),
        };
        let too_long = field.padded_width(&d.spec).is_none_or(|w| w as u64 > INT_MAX);
        if d.overflow || too_long {
            return Ok(self.overflow());
        }
        field.emit(&d.spec, sink)?;
        Ok(stop.then(|| self.status_after_stop()))
    }

    /// `\c` inside `%b`: GNU exits with success, dash keeps its status.
    fn status_after_stop(&self) -> i32 {
        match self.dialect {
            Dialect::Gnu => 0,
            Dialect::Dash => self.status,
        }
    }

    fn invalid(&mut self, text: &str, unfinished: bool) -> i32 {
        match self.dialect {
            Dialect::Gnu => {
                self.diags.push(format!("{text}: invalid conversion specification"));
                1
            }
            Dialect::Dash if unfinished => {
                self.diags.push("missing format character".into());
                2
            }
            Dialect::Dash => {
                self.diags.push(format!("{text}: invalid directive"));
                2
            }
        }
    }

    fn overflow(&mut self) -> Option<i32> {
        match self.dialect {
            Dialect::Gnu => {
                self.overflowed = true;
                None
            }
            Dialect::Dash => {
                self.diags.push("xvsnprintf failed".into());
                Some(2)
            }
        }
    }

    /// The field of one conversion, and whether a `\c` in `%b` ends the program after it;
    /// Err(()) for an unknown conversion.
    fn convert(&mut self, d: &Directive) -> Result<(Field, bool), ()> {
        let mut spec = d.spec;
        let gnu = self.dialect == Dialect::Gnu;
        let known = match d.conv {
            'd' | 'i' | 'o' | 'u' | 'x' | 'X' | 'c' | 's' => true,
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'a' | 'A' => true,
            // GNU takes neither flags, width nor precision with %b, and has %q without precision.
            'b' => !gnu || spec == Spec::default(),
            'q' => gnu && spec.prec.is_none(),
            _ => false,
        };
        if !known {
            return Err(());
        }
        let arg = self.arg().unwrap_or_default().to_string();
        let mut stop = false;
        let field = match d.conv {
            'd' | 'i' => {
                let v = self.check(&arg, cnum::signed(&arg));
                integer(v < 0, v.unsigned_abs(), 10, false, &spec)
            }
            'o' | 'u' | 'x' | 'X' => {
                let v = self.check(&arg, cnum::unsigned(&arg));
                let (base, upper) = radix(d.conv).unwrap_or((10, false));
                spec.plus = false;
                spec.space = false;
                integer(false, v, base, upper, &spec)
            }
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'a' | 'A' => {
                let v = self.check(&arg, cnum::float(&arg));
                c_float(v, d.conv, &spec)
            }
            'c' => Field::bytes(vec![arg.bytes().next().unwrap_or(0)]),
            's' => {
                let mut b = arg.into_bytes();
                b.truncate(spec.prec.unwrap_or(usize::MAX));
                Field::bytes(b)
            }
            'b' => {
                let mut out = Vec::new();
                let src = arg.as_bytes();
                let mut j = 0;
                while j < src.len() {
                    if src[j] != b'\\' {
                        out.push(src[j]);
                        j += 1;
                        continue;
                    }
                    j += 1;
                    match self.escape(src, &mut j, true) {
                        Ok(Some(bytes)) => out.extend(bytes),
                        _ => {
                            stop = true;
                            break;
                        }
                    }
                }
                out.truncate(spec.prec.unwrap_or(usize::MAX));
                Field::bytes(out)
            }
            _ => Field::bytes(shell_quote(&arg).into_bytes()),
        };
        Ok((field, stop))
    }
}

/// C's integer conversion: the precision is a minimum digit count (`%.0d` of 0 prints no
/// digit), `#` adds `0x` to non-zero hex and a leading zero to octal, and `0` pads after the
/// sign unless a precision is given.
fn integer(negative: bool, magnitude: u64, base: u64, upper: bool, spec: &Spec) -> Field {
    let body = if spec.prec == Some(0) && magnitude == 0 { Vec::new() } else { digits(magnitude, base, upper) };
    let mut zeros = spec.prec.map_or(0, |p| p.saturating_sub(body.len()));
    let mut prefix = spec.sign(negative).to_string();
    if spec.sharp && base == 16 && magnitude != 0 {
        prefix.push_str(if upper { "0X" } else { "0x" });
    }
    if spec.sharp && base == 8 && zeros == 0 && body.first() != Some(&b'0') {
        zeros = 1;
    }
    Field { prefix, zeros, zero_pad: spec.zero_pads() && spec.prec.is_none(), ..Field::bytes(body) }
}

/// GNU's `%q`: the argument as the shell would read it back.
fn shell_quote(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "%+,-./:=@_^".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        return s.to_string();
    }
    if !s.contains('\'') {
        return format!("'{s}'");
    }
    if !s.chars().any(|c| "\"$`\\!".contains(c)) {
        return format!("\"{s}\"");
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}
