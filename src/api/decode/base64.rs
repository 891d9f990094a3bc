//! Go's `base64.StdEncoding.DecodeString` as far as its errors go: where the first illegal byte
//! is (`illegal base64 data at input byte N`). Newlines are skipped, as Go skips them.

/// The offset Go's `CorruptInputError` reports, or None when `s` is valid padded base64.
pub fn corrupt_at(s: &str) -> Option<usize> {
    let src = s.as_bytes();
    let mut si = 0;
    loop {
        // One quantum of four significant bytes.
        let mut j = 0;
        while j < 4 {
            if si == src.len() {
                return match j {
                    0 => None,
                    _ => Some(si - j),
                };
            }
            let c = src[si];
            si += 1;
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c == b'=' {
                return padding(src, si, j);
            }
            if !is_alphabet(c) {
                return Some(si - 1);
            }
            j += 1;
        }
    }
}

/// A `=` was met as byte `j` of a quantum (`si` is just past it).
fn padding(src: &[u8], mut si: usize, j: usize) -> Option<usize> {
    match j {
        0 | 1 => return Some(si - 1),
        2 => {
            // A second `=` must follow (newlines allowed in between).
            while si < src.len() && matches!(src[si], b'\n' | b'\r') {
                si += 1;
            }
            if si == src.len() {
                return Some(src.len());
            }
            if src[si] != b'=' {
                return Some(si - 1);
            }
            si += 1;
        }
        _ => {}
    }
    while si < src.len() && matches!(src[si], b'\n' | b'\r') {
        si += 1;
    }
    (si < src.len()).then_some(si)
}

fn is_alphabet(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
}

#[cfg(test)]
mod tests {
    use super::corrupt_at;

    #[test]
    fn valid_strings_pass() {
        for ok in ["", "YQ==", "YWI=", "YWJj", "aGVsbG8gd29ybGQ=", "YWJj\nZGVm"] {
            assert_eq!(corrupt_at(ok), None, "{ok}");
        }
    }

    #[test]
    fn errors_point_where_go_points() {
        assert_eq!(corrupt_at("abc"), Some(0));
        assert_eq!(corrupt_at("abcde"), Some(4));
        assert_eq!(corrupt_at("ab!d"), Some(2));
        assert_eq!(corrupt_at("hello world"), Some(5));
        assert_eq!(corrupt_at("a==="), Some(1));
        assert_eq!(corrupt_at("ab="), Some(3));
        assert_eq!(corrupt_at("ab=c"), Some(2));
        assert_eq!(corrupt_at("YQ==YQ=="), Some(4));
        assert_eq!(corrupt_at("YWJj="), Some(4));
    }
}
