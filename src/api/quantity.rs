//! Resource quantities (`20Gi`, `1G`, `500m`, `1e3`, `1.5Gi`), as apimachinery's
//! `resource.Quantity` parses, compares and writes them.
//!
//! The value is kept exactly, in nano-units (i128 holds ±1.7e38, far above the 1E·1e9 needed).
//! Precision below 1n is rounded up, as Kubernetes does. The canonical form keeps the family of
//! suffix the user wrote (binary `Ki…Ei`, decimal `n…E`, or exponent `e3`) and picks the largest
//! suffix that leaves an integer: `1024Mi` → `1Gi`, `1.5Gi` → `1536Mi`, `1500M` stays, `0.5` →
//! `500m`; a binary quantity under 1024 or with a fraction falls back to decimal (`0.5Ki` → `512`).

use std::cmp::Ordering;
use std::fmt;

/// The API server's message when a string is not a quantity.
pub const FORMAT_ERROR: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const NANO: i128 = 1_000_000_000;

/// The suffix family a quantity was written in; it decides how it is written back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    BinarySI,
    DecimalSI,
    DecimalExponent,
}

#[derive(Debug, Clone, Copy)]
pub struct Quantity {
    nanos: i128,
    format: Format,
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.nanos == other.nanos
    }
}
impl Eq for Quantity {}
impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.nanos.cmp(&other.nanos)
    }
}

impl Quantity {
    /// Parses a quantity; the error is the API server's text.
    pub fn parse(s: &str) -> Result<Quantity, String> {
        parse(s).ok_or_else(|| FORMAT_ERROR.to_string())
    }

    /// A quantity from a JSON value: a string, or a bare number as Quantity's UnmarshalJSON allows.
    pub fn from_json(v: &serde_json::Value) -> Option<Quantity> {
        match v {
            serde_json::Value::String(s) => parse(s.trim()),
            serde_json::Value::Number(n) => parse(&n.to_string()),
            _ => None,
        }
    }

    pub fn from_bytes(bytes: i128) -> Quantity {
        Quantity { nanos: bytes * NANO, format: Format::BinarySI }
    }

    pub fn format(&self) -> Format {
        self.format
    }

    pub fn is_zero(&self) -> bool {
        self.nanos == 0
    }

    pub fn is_negative(&self) -> bool {
        self.nanos < 0
    }

    /// Zero, as `resource.Quantity{Format: DecimalSI}` (written `0`).
    pub fn zero() -> Quantity {
        Quantity { nanos: 0, format: Format::DecimalSI }
    }

    /// `q.Add(y)`: a zero quantity takes the other's format, as Go's does.
    pub fn plus(self, other: Quantity) -> Quantity {
        let format = if self.nanos == 0 { other.format } else { self.format };
        Quantity { nanos: self.nanos.saturating_add(other.nanos), format }
    }

    /// `q.Sub(y)`, keeping `q`'s format.
    pub fn minus(self, other: Quantity) -> Quantity {
        Quantity { nanos: self.nanos.saturating_sub(other.nanos), format: self.format }
    }

    /// `resource.NewQuantity(q.Value(), format)`: the value rounded up to a whole unit, written
    /// in `format`.
    pub fn whole_in(self, format: Format) -> Quantity {
        Quantity { nanos: self.value_ceil().saturating_mul(NANO), format }
    }

    /// The value in nano-units, for ratios.
    pub fn nanos(&self) -> i128 {
        self.nanos
    }

    /// The value rounded up to a whole unit (`Value()`): bytes for storage.
    pub fn value_ceil(&self) -> i128 {
        div_ceil(self.nanos, NANO)
    }

    /// The value in thousandths, rounded up (`MilliValue()`): millicores for CPU.
    pub fn milli_value(&self) -> i128 {
        div_ceil(self.nanos, 1_000_000)
    }
}

fn div_ceil(a: i128, b: i128) -> i128 {
    let q = a / b;
    if a % b != 0 && a > 0 {
        q + 1
    } else {
        q
    }
}

/// Bytes of a storage quantity, rounded up; None for garbage or a negative value.
pub fn parse_bytes(s: &str) -> Option<u128> {
    let q = parse(s)?;
    u128::try_from(q.value_ceil()).ok()
}

/// The canonical text of a quantity (`1024Mi` → `1Gi`), or None when `s` is not one.
pub fn canonical(s: &str) -> Option<String> {
    parse(s).map(|q| q.to_string())
}

/// Splits `s` into sign+number and suffix per the regex in [`FORMAT_ERROR`], then evaluates it.
fn parse(s: &str) -> Option<Quantity> {
    let num_end = s
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '+' || c == '-'))))
        .map_or(s.len(), |(i, _)| i);
    let (number, suffix) = s.split_at(num_end);
    let (negative, digits) = match number.as_bytes().first()? {
        b'-' => (true, &number[1..]),
        b'+' => (false, &number[1..]),
        _ => (false, number),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    if (int_part.is_empty() && frac_part.is_empty()) || frac_part.contains('.') {
        return None;
    }
    let (scale, format) = suffix_scale(suffix)?;
    let nanos = evaluate(int_part, frac_part, scale)?;
    Some(Quantity { nanos: if negative { -nanos } else { nanos }, format })
}

/// The multiplier of a suffix: a power of ten or of two.
enum Scale {
    Ten(i32),
    Two(u32),
}

fn suffix_scale(suffix: &str) -> Option<(Scale, Format)> {
    let dec = |e| Some((Scale::Ten(e), Format::DecimalSI));
    let bin = |p| Some((Scale::Two(p), Format::BinarySI));
    match suffix {
        "" => dec(0),
        "n" => dec(-9),
        "u" => dec(-6),
        "m" => dec(-3),
        "k" => dec(3),
        "M" => dec(6),
        "G" => dec(9),
        "T" => dec(12),
        "P" => dec(15),
        "E" => dec(18),
        "Ki" => bin(10),
        "Mi" => bin(20),
        "Gi" => bin(30),
        "Ti" => bin(40),
        "Pi" => bin(50),
        "Ei" => bin(60),
        _ => {
            let exp = suffix.strip_prefix(['e', 'E'])?;
            let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let e: i32 = exp.parse().ok()?;
            Some((Scale::Ten(e), Format::DecimalExponent))
        }
    }
}

/// int.frac × scale in nano-units, rounding any rest below 1n up.
fn evaluate(int_part: &str, frac_part: &str, scale: Scale) -> Option<i128> {
    let digits = format!("{int_part}{frac_part}");
    let digits = digits.trim_start_matches('0');
    let mantissa: i128 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
    let frac_digits = frac_part.len() as i32;
    match scale {
        Scale::Ten(e) => {
            let shift = e + 9 - frac_digits;
            if shift >= 0 {
                mantissa.checked_mul(10i128.checked_pow(shift as u32)?)
            } else {
                let div = 10i128.checked_pow((-shift) as u32)?;
                Some(div_ceil(mantissa, div))
            }
        }
        Scale::Two(p) => {
            let scaled = mantissa.checked_mul(1i128 << p)?.checked_mul(NANO)?;
            Some(div_ceil(scaled, 10i128.checked_pow(frac_digits as u32)?))
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nanos == 0 {
            return f.write_str("0");
        }
        let sign = if self.nanos < 0 { "-" } else { "" };
        let abs = self.nanos.abs();
        let binary_ok = abs % NANO == 0 && abs >= 1024 * NANO;
        let text = match self.format {
            Format::BinarySI if binary_ok => binary(abs / NANO),
            Format::DecimalExponent => decimal(abs, true),
            _ => decimal(abs, false),
        };
        write!(f, "{sign}{text}")
    }
}

fn binary(bytes: i128) -> String {
    const SUFFIXES: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    let mut v = bytes;
    let mut i = 0;
    while i < 6 && v % 1024 == 0 {
        v /= 1024;
        i += 1;
    }
    format!("{v}{}", SUFFIXES[i])
}

/// The largest exponent (a multiple of 3, from -9 to 18) that leaves an integer mantissa.
fn decimal(nanos: i128, exponent_form: bool) -> String {
    const SUFFIXES: [&str; 10] = ["n", "u", "m", "", "k", "M", "G", "T", "P", "E"];
    let mut v = nanos;
    let mut i = 0;
    while i < 9 && v % 1000 == 0 {
        v /= 1000;
        i += 1;
    }
    let exp = (i as i32) * 3 - 9;
    if exponent_form {
        return if exp == 0 { format!("{v}") } else { format!("{v}e{exp}") };
    }
    format!("{v}{}", SUFFIXES[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> String {
        canonical(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(c("20Gi"), "20Gi");
        assert_eq!(c("1024Mi"), "1Gi");
        assert_eq!(c("1.5Gi"), "1536Mi");
        assert_eq!(c("0.5Ki"), "512");
        assert_eq!(c("1025"), "1025");
        assert_eq!(c("1G"), "1G");
        assert_eq!(c("1000M"), "1G");
        assert_eq!(c("1500M"), "1500M");
        assert_eq!(c("1.5G"), "1500M");
        assert_eq!(c("0.5"), "500m");
        assert_eq!(c("500m"), "500m");
        assert_eq!(c("1e3"), "1e3");
        assert_eq!(c("1000e0"), "1e3");
        assert_eq!(c("0"), "0");
        assert_eq!(c("0Gi"), "0");
        assert_eq!(c("-1Gi"), "-1Gi");
        assert_eq!(c("+2Ki"), "2Ki");
        assert_eq!(c("0.1n"), "1n");
        assert_eq!(c("1.5"), "1500m");
        assert_eq!(c("2048Ki"), "2Mi");
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "abc", "1.2.3", "Gi", "1GiB", "1 Gi", "1e", "--1", "1ee3", "."] {
            assert!(canonical(bad).is_none(), "{bad}");
        }
        assert_eq!(Quantity::parse("abc").unwrap_err(), FORMAT_ERROR);
    }

    #[test]
    fn bytes_and_comparison() {
        assert_eq!(parse_bytes("20Gi"), Some(20 * 1024 * 1024 * 1024));
        assert_eq!(parse_bytes("1G"), Some(1_000_000_000));
        assert_eq!(parse_bytes("1.5Ki"), Some(1536));
        assert_eq!(parse_bytes("500m"), Some(1));
        assert_eq!(parse_bytes("-1"), None);
        let a = Quantity::parse("1Gi").unwrap();
        let b = Quantity::parse("1024Mi").unwrap();
        let g = Quantity::parse("1G").unwrap();
        assert_eq!(a, b);
        assert!(g < a);
        assert_eq!(Quantity::parse("250m").unwrap().milli_value(), 250);
        assert_eq!(Quantity::from_json(&serde_json::json!(3)).unwrap().to_string(), "3");
        assert_eq!(Quantity::from_bytes(21474836480).to_string(), "20Gi");
    }
}
