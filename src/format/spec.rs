//! The flags, width and precision of one conversion, as C's printf and Go's fmt share them.

/// `%-+ #0<width>.<prec>`: what C and Go both let a directive say before its verb.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// `-`: pad on the right.
    pub minus: bool,
    /// `+`: always print a sign.
    pub plus: bool,
    /// ` `: a space where a plus sign would go.
    pub space: bool,
    /// `#`: the alternate form (`0x`, a kept decimal point).
    pub sharp: bool,
    /// `0`: pad numbers with zeros after the sign.
    pub zero: bool,
    /// Minimum width (0 when none was given).
    pub width: usize,
    /// Precision, when one was given (`%.f` gives `Some(0)`).
    pub prec: Option<usize>,
}

impl Spec {
    /// Applies one flag character; false when `c` is not a flag.
    pub fn flag(&mut self, c: u8) -> bool {
        match c {
            b'-' => self.minus = true,
            b'+' => self.plus = true,
            b' ' => self.space = true,
            b'#' => self.sharp = true,
            b'0' => self.zero = true,
            _ => return false,
        }
        true
    }

    /// The sign of a number under these flags: `-`, `+`, ` ` or nothing.
    pub fn sign(&self, negative: bool) -> &'static str {
        if negative {
            "-"
        } else if self.plus {
            "+"
        } else if self.space {
            " "
        } else {
            ""
        }
    }

    /// Whether numbers fill their width with zeros: `0` without `-`.
    pub fn zero_pads(&self) -> bool {
        self.zero && !self.minus
    }
}

/// Reads a run of decimal digits at `*i`, advancing past them; saturates instead of
/// overflowing. None when there is no digit.
pub fn number(bytes: &[u8], i: &mut usize) -> Option<u64> {
    let start = *i;
    let mut n: u64 = 0;
    while let Some(d) = bytes.get(*i).filter(|b| b.is_ascii_digit()) {
        n = n.saturating_mul(10).saturating_add(u64::from(d - b'0'));
        *i += 1;
    }
    (*i > start).then_some(n)
}
