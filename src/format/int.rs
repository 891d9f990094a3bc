//! Integers in every base C and Go print them.

/// The digits of `n` in `base` (2, 8, 10 or 16).
pub fn digits(mut n: u64, base: u64, upper: bool) -> Vec<u8> {
    let table: &[u8; 16] = if upper { b"0123456789ABCDEF" } else { b"0123456789abcdef" };
    let mut out = Vec::with_capacity(64);
    loop {
        out.push(table[(n % base) as usize]);
        n /= base;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    out
}

/// The base and letter case of an integer verb: `d i u` 10, `o O` 8, `x` 16, `X` 16 upper,
/// `b` 2. None for any other verb.
pub fn radix(verb: char) -> Option<(u64, bool)> {
    Some(match verb {
        'd' | 'i' | 'u' => (10, false),
        'o' | 'O' => (8, false),
        'x' => (16, false),
        'X' => (16, true),
        'b' => (2, false),
        _ => return None,
    })
}
