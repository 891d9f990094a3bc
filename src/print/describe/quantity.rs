//! Just enough of apimachinery's `resource.Quantity` for describe: parse, add, compare, and print
//! in canonical form (`1536Mi`, `500m`, `1G`). Kept private: `api::quantity` belongs to another module.

use std::cmp::Ordering;

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    DecimalSI,
    BinarySI,
    DecimalExponent,
}

/// A quantity in nano-units (values are rounded up to 1e-9, as the API server does).
#[derive(Debug, Clone, Copy)]
pub struct Quantity {
    nanos: i128,
    format: Format,
}

const NANO: i128 = 1_000_000_000;

impl Default for Quantity {
    fn default() -> Quantity {
        Quantity { nanos: 0, format: Format::DecimalSI }
    }
}

fn div_ceil(a: i128, b: i128) -> i128 {
    let q = a / b;
    if a % b != 0 && (a > 0) == (b > 0) {
        q + 1
    } else {
        q
    }
}

impl Quantity {
    /// Parses `1Gi`, `500m`, `0.5`, `1e3`; `None` if malformed.
    pub fn parse(s: &str) -> Option<Quantity> {
        let s = s.trim();
        let (neg, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let num_len = body.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(body.len());
        let (num, suffix) = body.split_at(num_len);
        let (int_part, frac_part) = num.split_once('.').unwrap_or((num, ""));
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        let digits = format!("{int_part}{frac_part}");
        let mantissa: i128 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
        let frac = frac_part.len() as i32;
        let (format, nanos) = scale(mantissa, frac, suffix)?;
        Some(Quantity { nanos: if neg { -nanos } else { nanos }, format })
    }

    /// A resource value from JSON (`"1Gi"`, or a bare number).
    pub fn from_json(v: Option<&Value>) -> Option<Quantity> {
        match v? {
            Value::String(s) => Quantity::parse(s),
            Value::Number(n) => Quantity::parse(&n.to_string()),
            _ => None,
        }
    }

    pub fn is_zero(&self) -> bool {
        self.nanos == 0
    }

    /// `Add` keeps the receiver's format.
    pub fn add(&mut self, other: &Quantity) {
        self.nanos += other.nanos;
    }

    pub fn cmp(&self, other: &Quantity) -> Ordering {
        self.nanos.cmp(&other.nanos)
    }

    /// `Value()`: whole units, rounded up.
    pub fn value(&self) -> i64 {
        div_ceil(self.nanos, NANO) as i64
    }

    /// `MilliValue()`: thousandths, rounded up.
    pub fn milli_value(&self) -> i64 {
        div_ceil(self.nanos, 1_000_000) as i64
    }

    /// `String()`: the canonical form.
    pub fn render(&self) -> String {
        if self.nanos == 0 {
            return "0".to_string();
        }
        let whole = self.nanos % NANO == 0;
        // Small or fractional binary quantities print in decimal so nothing is rounded.
        if self.format == Format::BinarySI && whole && self.nanos.abs() >= 1024 * NANO {
            return binary(self.nanos / NANO);
        }
        let (mut m, mut e) = (self.nanos, -9);
        while m % 1000 == 0 && e < 18 {
            m /= 1000;
            e += 3;
        }
        if self.format == Format::DecimalExponent {
            return if e == 0 { m.to_string() } else { format!("{m}e{e}") };
        }
        let suffix = match e {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            _ => "",
        };
        format!("{m}{suffix}")
    }
}

fn binary(mut v: i128) -> String {
    const SUFFIXES: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    let mut i = 0;
    while v % 1024 == 0 && i < 6 {
        v /= 1024;
        i += 1;
    }
    format!("{v}{}", SUFFIXES[i])
}

/// Nano-units of `mantissa * 10^-frac` with `suffix` applied, and the format the suffix implies.
fn scale(mantissa: i128, frac: i32, suffix: &str) -> Option<(Format, i128)> {
    let binary_exp = match suffix {
        "Ki" => Some(1),
        "Mi" => Some(2),
        "Gi" => Some(3),
        "Ti" => Some(4),
        "Pi" => Some(5),
        "Ei" => Some(6),
        _ => None,
    };
    if let Some(k) = binary_exp {
        let num = mantissa.checked_mul(1i128 << (10 * k))?.checked_mul(NANO)?;
        return Some((Format::BinarySI, div_ceil(num, 10i128.pow(frac as u32))));
    }
    let (format, exp) = match suffix {
        "" => (Format::DecimalSI, 0),
        "n" => (Format::DecimalSI, -9),
        "u" => (Format::DecimalSI, -6),
        "m" => (Format::DecimalSI, -3),
        "k" => (Format::DecimalSI, 3),
        "M" => (Format::DecimalSI, 6),
        "G" => (Format::DecimalSI, 9),
        "T" => (Format::DecimalSI, 12),
        "P" => (Format::DecimalSI, 15),
        "E" => (Format::DecimalSI, 18),
        _ => {
            let e: i32 = suffix.strip_prefix(['e', 'E'])?.parse().ok()?;
            (Format::DecimalExponent, e)
        }
    };
    let shift = exp + 9 - frac;
    let nanos = if shift >= 0 {
        mantissa.checked_mul(10i128.checked_pow(shift as u32)?)?
    } else {
        div_ceil(mantissa, 10i128.checked_pow((-shift) as u32)?)
    };
    Some((format, nanos))
}

#[cfg(test)]
mod tests {
    use super::Quantity;

    fn canon(s: &str) -> String {
        Quantity::parse(s).map(|q| q.render()).unwrap_or_else(|| "ERR".into())
    }

    #[test]
    fn canonical_forms() {
        for (input, want) in [
            ("1Gi", "1Gi"),
            ("1.5Gi", "1536Mi"),
            ("0.5", "500m"),
            ("1500m", "1500m"),
            ("1000M", "1G"),
            ("100", "100"),
            ("512", "512"),
            ("128974848", "128974848"),
            ("129e6", "129e6"),
            ("0", "0"),
            ("1000Ki", "1000Ki"),
            ("100Mi", "100Mi"),
        ] {
            assert_eq!(canon(input), want, "{input}");
        }
        assert_eq!(canon("x"), "ERR");
    }

    #[test]
    fn adds_and_rounds_up() {
        let mut q = Quantity::parse("100m").unwrap_or_default();
        q.add(&Quantity::parse("250m").unwrap_or_default());
        assert_eq!(q.render(), "350m");
        assert_eq!(q.milli_value(), 350);
        assert_eq!(q.value(), 1);
    }
}
