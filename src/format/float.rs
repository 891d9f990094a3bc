//! Floating-point conversions `%e %f %g %a` with exact decimal digits at any precision.
//!
//! Rust's formatter gives the exact, correctly rounded expansion (ties to even, as glibc and Go's
//! strconv do) but refuses precisions past 65535; every `f64` is exact within 1074 fraction
//! digits and 767 significant ones, so digits beyond those are zeros and stay a count.

use super::field::Field;
use super::spec::Spec;

/// Fraction digits past which every f64's expansion is zeros.
const EXACT_FRACTION: usize = 1100;
/// Significant digits past which every f64's expansion is zeros.
const EXACT_SIGNIFICANT: usize = 800;

/// How the exponent is written: C's `e+05`/`p+5`, and Go's the same with two digits after `p`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    C,
    Go,
}

/// Digits before the exponent, zeros that follow them, and the decimal exponent.
struct Digits {
    text: String,
    zeros: usize,
    exp: i32,
}

/// `|v|` with `prec` fraction digits.
fn fixed(a: f64, prec: usize) -> Digits {
    let p = prec.min(EXACT_FRACTION);
    Digits { text: format!("{a:.p$}"), zeros: prec - p, exp: 0 }
}

/// `|v|` as `d.ddd` with `prec` fraction digits, and its exponent.
fn scientific(a: f64, prec: usize) -> Digits {
    let p = prec.min(EXACT_SIGNIFICANT);
    let s = format!("{a:.p$e}");
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    Digits { text: m.to_string(), zeros: prec - p, exp: e.parse().unwrap_or(0) }
}

/// `|v|` in the fewest digits that read back as `v` (Go's precision -1), as `d.ddd` and exponent.
fn shortest(a: f64) -> Digits {
    let s = format!("{a:e}");
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    Digits { text: m.to_string(), zeros: 0, exp: e.parse().unwrap_or(0) }
}

fn exponent(letter: char, exp: i32, min_digits: usize) -> String {
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{letter}{sign}{:0min_digits$}", exp.unsigned_abs())
}

/// Drops the zeros after the last significant fraction digit, and a bare point.
fn trim_fraction(d: &mut Digits) {
    if d.text.contains('.') {
        let keep = d.text.trim_end_matches('0').trim_end_matches('.').len();
        d.text.truncate(keep);
    }
    d.zeros = 0;
}

/// The `%g` choice: fixed notation when the exponent X of the rounded number is in
/// [-4, precision), scientific otherwise; trailing zeros go unless `#` keeps them.
fn general(a: f64, prec: usize, sharp: bool) -> (Digits, bool) {
    let p = prec.max(1);
    let sci = scientific(a, p - 1);
    let x = i64::from(sci.exp);
    let p_i = i64::try_from(p).unwrap_or(i64::MAX);
    let fixed_form = (-4..p_i).contains(&x);
    let mut d = if fixed_form { fixed(a, (p_i - 1 - x) as usize) } else { sci };
    if !sharp {
        trim_fraction(&mut d);
    } else if !d.text.contains('.') {
        d.text.push('.');
    }
    (d, fixed_form)
}

/// The conversions of a finite number, without sign: `e E f F g G`, `v` for Go's shortest `%g`,
/// `a A` (`x X` in Go) for hexadecimal. `prec` None means the verb's default.
fn finite(a: f64, verb: char, prec: Option<usize>, sharp: bool, flavor: Flavor) -> (Digits, Option<String>) {
    let upper = verb.is_ascii_uppercase();
    let e = if upper { 'E' } else { 'e' };
    match verb.to_ascii_lowercase() {
        'f' => {
            let mut d = fixed(a, prec.unwrap_or(6));
            if sharp && !d.text.contains('.') {
                d.text.push('.');
            }
            (d, None)
        }
        'e' => {
            let mut d = scientific(a, prec.unwrap_or(6));
            if sharp && !d.text.contains('.') {
                d.text.push('.');
            }
            let suffix = exponent(e, d.exp, 2);
            (d, Some(suffix))
        }
        'g' if prec.is_none() && flavor == Flavor::Go => {
            let d = shortest(a);
            if d.exp < -4 || d.exp >= 6 {
                let suffix = exponent(e, d.exp, 2);
                (d, Some(suffix))
            } else {
                (Digits { text: format!("{a}"), zeros: 0, exp: 0 }, None)
            }
        }
        'g' => {
            let (d, fixed_form) = general(a, prec.unwrap_or(6), sharp);
            if fixed_form {
                (d, None)
            } else {
                let suffix = exponent(e, d.exp, 2);
                (d, Some(suffix))
            }
        }
        _ => {
            let mut d = hex(a, prec, upper);
            if sharp && !d.text.contains('.') {
                d.text.push('.');
            }
            let digits = if flavor == Flavor::Go { 2 } else { 1 };
            let suffix = exponent(if upper { 'P' } else { 'p' }, d.exp, digits);
            (d, Some(suffix))
        }
    }
}

/// `0x1.8` and the binary exponent of `a` (finite, non-negative), the mantissa rounded to
/// `prec` hex digits (ties to even; a carry makes the leading digit 2, as glibc prints it), or
/// the fewest digits that are exact.
fn hex(a: f64, prec: Option<usize>, upper: bool) -> Digits {
    let bits = a.to_bits();
    let raw_exp = ((bits >> 52) & 0x7ff) as i32;
    let mut mant = bits & ((1u64 << 52) - 1);
    let (mut lead, exp) = match (raw_exp, mant) {
        (0, 0) => (0u64, 0),
        (0, _) => (0, -1022),
        _ => (1, raw_exp - 1023),
    };
    if let Some(p) = prec.filter(|p| *p < 13) {
        let drop = 4 * (13 - p) as u32;
        let rest = mant & ((1u64 << drop) - 1);
        let half = 1u64 << (drop - 1);
        mant >>= drop;
        let odd = if p == 0 { lead & 1 == 1 } else { mant & 1 == 1 };
        if rest > half || (rest == half && odd) {
            mant += 1;
            if mant >> (4 * p) != 0 {
                mant = 0;
                lead += 1;
            }
        }
        let frac = if p == 0 { String::new() } else { format!(".{mant:0p$x}") };
        return Digits { text: case(format!("0x{lead}{frac}"), upper), zeros: 0, exp };
    }
    let mut frac = format!("{mant:013x}");
    if prec.is_none() {
        frac = frac.trim_end_matches('0').to_string();
    }
    let text = if frac.is_empty() { format!("0x{lead}") } else { format!("0x{lead}.{frac}") };
    Digits { text: case(text, upper), zeros: prec.map_or(0, |p| p.saturating_sub(13)), exp }
}

fn case(s: String, upper: bool) -> String {
    if upper {
        s.to_ascii_uppercase()
    } else {
        s
    }
}

/// A float conversion as C's printf writes it: `inf`/`nan` (upper case for upper-case verbs),
/// `-nan` for a negative NaN, never zero-padded.
pub fn c_float(v: f64, verb: char, spec: &Spec) -> Field {
    let upper = verb.is_ascii_uppercase();
    if !v.is_finite() {
        let word = if v.is_nan() { "nan" } else { "inf" };
        let word = if upper { word.to_ascii_uppercase() } else { word.to_string() };
        return Field { prefix: spec.sign(v.is_sign_negative()).into(), ..Field::bytes(word.into_bytes()) };
    }
    number(v, verb, spec, Flavor::C)
}

/// A float conversion as Go's fmt writes it: `+Inf`, `-Inf`, `NaN`; `v` is `%g` shortest.
pub fn go_float(v: f64, verb: char, spec: &Spec) -> Field {
    if v.is_nan() {
        let sign = if spec.plus {
            "+"
        } else if spec.space {
            " "
        } else {
            ""
        };
        return Field { prefix: sign.into(), ..Field::bytes(b"NaN".to_vec()) };
    }
    if v.is_infinite() {
        let sign = if v < 0.0 {
            "-"
        } else if spec.plus {
            "+"
        } else if spec.space {
            " "
        } else {
            ""
        };
        return Field { prefix: sign.into(), ..Field::bytes(b"Inf".to_vec()) };
    }
    let verb = if verb == 'v' { 'g' } else { verb };
    let verb = match verb {
        'x' => 'a',
        'X' => 'A',
        other => other,
    };
    number(v, verb, spec, Flavor::Go)
}

fn number(v: f64, verb: char, spec: &Spec, flavor: Flavor) -> Field {
    let (d, suffix) = finite(v.abs(), verb, spec.prec, spec.sharp, flavor);
    Field {
        prefix: spec.sign(v.is_sign_negative()).into(),
        body_width: d.text.len(),
        body: d.text.into_bytes(),
        trailing: d.zeros,
        suffix: suffix.unwrap_or_default(),
        zero_pad: spec.zero_pads(),
        ..Field::default()
    }
}
