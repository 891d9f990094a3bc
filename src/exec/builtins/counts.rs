//! `wc`'s counts, kept as the input goes by, so a device is counted chunk by chunk without being
//! held whole. Words are maximal runs of non-whitespace characters of the input decoded as UTF-8
//! (invalid bytes count as U+FFFD), whatever the chunk boundaries.

#[derive(Debug, Default)]
pub struct Counts {
    pub lines: u64,
    pub words: u64,
    pub bytes: u64,
    in_word: bool,
    /// The start of a character cut by the end of the last chunk.
    carry: Vec<u8>,
}

impl Counts {
    /// Counts all of `data`.
    #[cfg(test)]
    pub fn of(data: &[u8]) -> Counts {
        let mut c = Counts::default();
        c.feed(data);
        c.finish();
        c
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        self.bytes += chunk.len() as u64;
        self.lines += chunk.iter().filter(|b| **b == b'\n').count() as u64;
        let mut buf = std::mem::take(&mut self.carry);
        buf.extend_from_slice(chunk);
        let cut = incomplete_tail(&buf);
        self.carry = buf.split_off(buf.len() - cut);
        self.words_of(&buf);
    }

    /// Ends the input: a character still cut short is one invalid character.
    pub fn finish(&mut self) {
        let rest = std::mem::take(&mut self.carry);
        self.words_of(&rest);
    }

    fn words_of(&mut self, bytes: &[u8]) {
        for ch in String::from_utf8_lossy(bytes).chars() {
            if ch.is_whitespace() {
                self.in_word = false;
            } else if !self.in_word {
                self.in_word = true;
                self.words += 1;
            }
        }
    }
}

/// How many bytes at the end of `buf` begin a character that the next bytes may complete.
fn incomplete_tail(buf: &[u8]) -> usize {
    for k in 1..=3.min(buf.len()) {
        let tail = &buf[buf.len() - k..];
        if tail[0] & 0xC0 != 0x80 {
            return match std::str::from_utf8(tail) {
                Err(e) if e.valid_up_to() == 0 && e.error_len().is_none() => k,
                _ => 0,
            };
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counting in pieces cut anywhere gives the counts of the whole.
    #[test]
    fn chunk_boundaries_do_not_change_counts() {
        let text = "héllo wörld\n\u{2003}日本語 x\u{1F600}y \n".as_bytes().to_vec();
        let mut bad = text.clone();
        bad.extend_from_slice(b"\xE6\x97 z\xFF\xF0\x9F");
        for data in [text, bad] {
            let whole = Counts::of(&data);
            let want = String::from_utf8_lossy(&data).split_whitespace().count() as u64;
            assert_eq!(whole.words, want);
            for cut in 0..=data.len() {
                let mut c = Counts::default();
                c.feed(&data[..cut]);
                c.feed(&data[cut..]);
                c.finish();
                assert_eq!((c.lines, c.words, c.bytes), (whole.lines, whole.words, whole.bytes), "cut at {cut}");
            }
        }
    }
}
