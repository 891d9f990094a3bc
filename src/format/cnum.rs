//! Reading printf's numeric arguments as C's `strtoimax`, `strtoumax` and `strtod` do, with the
//! way each can fail.

/// What became of an argument read as a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Read<T> {
    /// The whole argument was the number (or it was empty).
    Whole(T),
    /// No number at the start: the value is zero.
    NotNumber(T),
    /// A number followed by other characters: the value is the number.
    Partial(T),
    /// Out of range: the value is clamped.
    Range(T),
}

impl<T: Copy> Read<T> {
    pub fn value(&self) -> T {
        match *self {
            Read::Whole(v) | Read::NotNumber(v) | Read::Partial(v) | Read::Range(v) => v,
        }
    }
}

/// A leading `'c` or `"c` stands for the code of `c`.
fn char_constant(s: &str) -> Option<u64> {
    let rest = s.strip_prefix('\'').or_else(|| s.strip_prefix('"'))?;
    Some(rest.bytes().next().map_or(0, u64::from))
}

/// Optional blanks and sign, then the magnitude's digits in base 16 (`0x`), 8 (`0`) or 10.
/// Returns (negative, magnitude, overflowed, bytes consumed), consumed 0 when no digit.
fn magnitude(s: &str) -> (bool, u64, bool, usize) {
    let b = s.as_bytes();
    let mut i = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    let negative = b.get(i) == Some(&b'-');
    if matches!(b.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let hex = b.get(i) == Some(&b'0')
        && matches!(b.get(i + 1), Some(b'x' | b'X'))
        && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
    let (base, start) = match () {
        _ if hex => (16, i + 2),
        _ if b.get(i) == Some(&b'0') => (8, i),
        _ => (10, i),
    };
    let (mut n, mut over, mut end) = (0u64, false, start);
    while let Some(d) = b.get(end).and_then(|c| (*c as char).to_digit(base)) {
        match n.checked_mul(u64::from(base)).and_then(|m| m.checked_add(u64::from(d))) {
            Some(m) => n = m,
            None => over = true,
        }
        end += 1;
    }
    if end == start {
        return (false, 0, false, 0);
    }
    (negative, n, over, end)
}

fn classify<T>(s: &str, end: usize, value: T, over: bool) -> Read<T> {
    match () {
        _ if over => Read::Range(value),
        _ if end == s.len() => Read::Whole(value),
        _ if end == 0 => Read::NotNumber(value),
        _ => Read::Partial(value),
    }
}

/// `strtoimax`: `%d` and `%i`.
pub fn signed(s: &str) -> Read<i64> {
    if let Some(c) = char_constant(s) {
        return Read::Whole(c as i64);
    }
    let (negative, n, over, end) = magnitude(s);
    let limit = if negative { i64::MIN.unsigned_abs() } else { i64::MAX as u64 };
    let over = over || n > limit;
    let value = match (over, negative) {
        (true, true) => i64::MIN,
        (true, false) => i64::MAX,
        (false, true) => (n as i64).wrapping_neg(),
        (false, false) => n as i64,
    };
    classify(s, end, value, over)
}

/// `strtoumax`: `%o %u %x %X`; a minus sign negates modulo 2^64, as C's does.
pub fn unsigned(s: &str) -> Read<u64> {
    if let Some(c) = char_constant(s) {
        return Read::Whole(c);
    }
    let (negative, n, over, end) = magnitude(s);
    let value = match (over, negative) {
        (true, _) => u64::MAX,
        (false, true) => n.wrapping_neg(),
        (false, false) => n,
    };
    classify(s, end, value, over)
}

/// `strtod`: decimal and hexadecimal numbers, `inf`, `infinity`, `nan`. Results that overflow
/// or underflow a double are out of range, as glibc reports them.
pub fn float(s: &str) -> Read<f64> {
    if let Some(c) = char_constant(s) {
        return Read::Whole(c as f64);
    }
    let b = s.as_bytes();
    let lead = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    let body = &s[lead..];
    let signed_len = usize::from(matches!(body.as_bytes().first(), Some(b'-' | b'+')));
    let negative = body.starts_with('-');
    let rest = &body[signed_len..];
    let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
    let (len, v, nonzero) = if lower.starts_with("infinity") {
        (8, f64::INFINITY, false)
    } else if lower.starts_with("inf") {
        (3, f64::INFINITY, false)
    } else if lower.starts_with("nan") {
        (3, f64::NAN, false)
    } else if rest.len() > 2 && lower.starts_with("0x") && rest.as_bytes()[2].is_ascii_hexdigit() {
        hex_float(rest)
    } else {
        decimal(rest)
    };
    if len == 0 {
        return classify(s, 0, 0.0, false);
    }
    let v = if negative { -v } else { v };
    let end = lead + signed_len + len;
    let over = (v.is_infinite() && !lower.starts_with("inf")) || (v == 0.0 && nonzero);
    classify(s, end, v, over)
}

/// The longest decimal number at the start: digits, a point, digits, an exponent. Returns its
/// length, value and whether its digits were not all zeros.
fn decimal(s: &str) -> (usize, f64, bool) {
    let b = s.as_bytes();
    let int = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut end = int;
    let mut digits = int;
    if b.get(end) == Some(&b'.') {
        let frac = b[end + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        digits += frac;
        end += 1 + frac;
    }
    if digits == 0 {
        return (0, 0.0, false);
    }
    let nonzero = b[..end].iter().any(|c| (b'1'..=b'9').contains(c));
    if matches!(b.get(end), Some(b'e' | b'E')) {
        let mut j = end + 1;
        if matches!(b.get(j), Some(b'-' | b'+')) {
            j += 1;
        }
        let exp = b[j.min(b.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp > 0 {
            end = j + exp;
        }
    }
    (end, s[..end].parse().unwrap_or(0.0), nonzero)
}

/// `0x1.8p3`: hexadecimal digits, a point, more, and a binary exponent.
fn hex_float(s: &str) -> (usize, f64, bool) {
    let b = s.as_bytes();
    let (mut end, mut mant, mut scale, mut seen_point) = (2, 0f64, 0i64, false);
    while let Some(&c) = b.get(end) {
        if c == b'.' && !seen_point {
            seen_point = true;
        } else if let Some(d) = (c as char).to_digit(16) {
            mant = mant * 16.0 + f64::from(d);
            if seen_point {
                scale -= 4;
            }
        } else {
            break;
        }
        end += 1;
    }
    if matches!(b.get(end), Some(b'p' | b'P')) {
        let mut j = end + 1;
        let neg = b.get(j) == Some(&b'-');
        if matches!(b.get(j), Some(b'-' | b'+')) {
            j += 1;
        }
        let n = b[j.min(b.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n > 0 {
            let e: i64 = s[j..j + n].parse().unwrap_or(i64::MAX);
            scale = scale.saturating_add(if neg { -e } else { e });
            end = j + n;
        }
    }
    let scale = scale.clamp(-2200, 2200) as i32;
    (end, mant * 2f64.powi(scale), mant != 0.0)
}
