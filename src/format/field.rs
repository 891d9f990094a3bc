//! One conversion's text before padding, and padding it to a width.

use super::sink::Sink;
use super::spec::Spec;

/// A converted value: `prefix` (sign, `0x`), `zeros` leading zeros, `body`, `trailing` zeros
/// and `suffix` (an exponent). Long runs of zeros stay counts, never allocated.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Field {
    pub prefix: String,
    pub zeros: usize,
    pub body: Vec<u8>,
    /// How wide `body` counts: its bytes for C, its characters for Go's strings.
    pub body_width: usize,
    pub trailing: usize,
    pub suffix: String,
    /// Whether the width is filled with zeros after the prefix instead of spaces.
    pub zero_pad: bool,
}

impl Field {
    /// Text that pads with spaces and counts its bytes.
    pub fn bytes(body: Vec<u8>) -> Field {
        Field { body_width: body.len(), body, ..Field::default() }
    }

    /// Text that counts its characters, as Go's widths do.
    pub fn chars(body: String) -> Field {
        Field { body_width: body.chars().count(), body: body.into_bytes(), ..Field::default() }
    }

    /// The width of the unpadded field; None past `usize`.
    pub fn width(&self) -> Option<usize> {
        [self.prefix.len(), self.body_width, self.suffix.len(), self.zeros, self.trailing]
            .into_iter()
            .try_fold(0usize, |a, b| a.checked_add(b))
    }

    /// The padded width: `width` or the field's own, whichever is larger.
    pub fn padded_width(&self, spec: &Spec) -> Option<usize> {
        Some(self.width()?.max(spec.width))
    }

    /// Writes the field padded to `spec.width`: spaces on the left (right with `-`), or zeros
    /// after the prefix for a zero-padded number.
    pub fn emit<S: Sink>(&self, spec: &Spec, sink: &mut S) -> Result<(), S::Error> {
        let fill = spec.width.saturating_sub(self.width().unwrap_or(usize::MAX));
        let (left, zeros, right) = match () {
            _ if spec.minus => (0, 0, fill),
            _ if self.zero_pad => (0, fill, 0),
            _ => (fill, 0, 0),
        };
        sink.repeat(b' ', left)?;
        sink.put(self.prefix.as_bytes())?;
        sink.repeat(b'0', zeros.saturating_add(self.zeros))?;
        sink.put(&self.body)?;
        sink.repeat(b'0', self.trailing)?;
        sink.put(self.suffix.as_bytes())?;
        sink.repeat(b' ', right)
    }
}
