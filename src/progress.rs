//! A progress line on stderr while the controllers write a very large change (kstate's own:
//! kubectl has none). Shown only when stderr is a terminal, so pipes, scripts and tests never see
//! it: one line, rewritten in place with `\r` and cleared when the pass ends.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// A pass shows progress once it has written this many objects...
const MIN_OBJECTS: i64 = 5_000;
/// ...or has run this long.
const MIN_TIME: Duration = Duration::from_secs(1);

/// The progress of one controller pass. [`Progress::tick`] is cheap enough to call every few
/// thousand reconciles; nothing is printed until the pass is large or slow.
pub struct Progress {
    start: Instant,
    /// The revision the pass started at: writes since are the objects written.
    first_revision: i64,
    /// Whether stderr is a terminal; asked at the first tick only.
    terminal: Option<bool>,
    /// The length of the line on screen, to clear it.
    shown: usize,
}

impl Progress {
    pub fn new(revision: i64) -> Progress {
        Progress { start: Instant::now(), first_revision: revision, terminal: None, shown: 0 }
    }

    /// Updates the line with the objects written so far, when the pass is large enough.
    pub fn tick(&mut self, revision: i64) {
        let written = revision - self.first_revision;
        if written < MIN_OBJECTS && self.start.elapsed() < MIN_TIME {
            return;
        }
        if !*self.terminal.get_or_insert_with(|| std::io::stderr().is_terminal()) {
            return;
        }
        let text = line(written);
        let mut err = std::io::stderr().lock();
        // Progress is a courtesy: a stderr that cannot be written to does not fail the command.
        let _ = write!(err, "\r{text}");
        let _ = err.flush();
        self.shown = text.chars().count();
    }

    /// Clears the line, if one was shown.
    pub fn finish(&mut self) {
        if self.shown > 0 {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{}\r", " ".repeat(self.shown));
            let _ = err.flush();
            self.shown = 0;
        }
    }
}

/// `kstate: converging… 12,345 objects written`.
pub fn line(written: i64) -> String {
    let noun = if written == 1 { "object" } else { "objects" };
    format!("kstate: converging… {} {noun} written", thousands(written))
}

/// `12345` → `12,345`.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_counts_with_thousands_separators() {
        assert_eq!(line(0), "kstate: converging… 0 objects written");
        assert_eq!(line(1), "kstate: converging… 1 object written");
        assert_eq!(line(999), "kstate: converging… 999 objects written");
        assert_eq!(line(1_000), "kstate: converging… 1,000 objects written");
        assert_eq!(line(12_345), "kstate: converging… 12,345 objects written");
        assert_eq!(line(1_234_567), "kstate: converging… 1,234,567 objects written");
    }

    #[test]
    fn a_small_quick_pass_prints_nothing_and_asks_nothing() {
        let mut p = Progress::new(100);
        p.tick(100 + MIN_OBJECTS - 1);
        assert_eq!(p.terminal, None);
        p.finish();
        assert_eq!(p.shown, 0);
    }
}
