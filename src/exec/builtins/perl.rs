//! `perl` of the `perl` image, as far as kubernetes.io's Job example uses it:
//! `perl -Mbignum=bpi -wle 'print bpi(N)'` prints π to N significant digits (Math::BigFloat's
//! `bpi`, rounded). Any other script is refused plainly: kstate does not interpret Perl.

use super::super::interp::{Res, Shell};
use super::super::io::Io;
use super::put;

/// The most digits kstate computes (the example asks for 2,000).
const MAX_DIGITS: usize = 100_000;

pub fn perl(_: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let script = argv.iter().skip(1).find(|a| !a.starts_with('-')).cloned().unwrap_or_default();
    let asks_bpi = argv.iter().any(|a| a == "-Mbignum=bpi");
    let digits = script
        .trim()
        .strip_prefix("print bpi(")
        .and_then(|rest| rest.trim_end_matches(';').strip_suffix(')'))
        .and_then(|n| n.trim().parse::<usize>().ok());
    match digits {
        Some(n) if asks_bpi && (1..=MAX_DIGITS).contains(&n) => {
            Ok(put(io, "perl", format!("{}\n", pi(n)).as_bytes()).err().unwrap_or(0))
        }
        _ => {
            io.err("kstate: this perl only runs `print bpi(N)` with -Mbignum=bpi (Perl is not simulated)\n");
            Ok(255)
        }
    }
}

/// π to `n` significant digits, rounded half up, by Machin's formula
/// π = 16·atan(1/5) − 4·atan(1/239) in fixed point with guard digits.
pub fn pi(n: usize) -> String {
    let scale = n + 12;
    let limbs = scale.div_ceil(9) + 2;
    let mut sum = atan_inverse(5, limbs);
    mul_small(&mut sum, 16);
    let mut other = atan_inverse(239, limbs);
    mul_small(&mut other, 4);
    sub(&mut sum, &other);
    // sum = π · 10^(9·(limbs−1)): the integer part in limb 0, the fraction in the rest.
    let mut text = sum[0].to_string();
    for limb in &sum[1..] {
        text.push_str(&format!("{limb:09}"));
    }
    let keep: Vec<u8> = text.bytes().take(n + 1).collect();
    let mut digits: Vec<u8> = keep[..n.min(keep.len())].to_vec();
    if keep.get(n).is_some_and(|d| *d >= b'5') {
        round_up(&mut digits);
    }
    let mut out = String::from_utf8_lossy(&digits[..1]).into_owned();
    if n > 1 {
        out.push('.');
        out.push_str(&String::from_utf8_lossy(&digits[1..]));
    }
    out
}

/// atan(1/x) · 10^(9·(limbs−1)), as base-10⁹ limbs, most significant first.
fn atan_inverse(x: u64, limbs: usize) -> Vec<u64> {
    let mut term = vec![0u64; limbs];
    term[0] = 1;
    div_small(&mut term, x);
    let mut sum = term.clone();
    let x2 = x * x;
    let mut k: u64 = 1;
    loop {
        div_small(&mut term, x2);
        if term.iter().all(|l| *l == 0) {
            return sum;
        }
        let mut t = term.clone();
        div_small(&mut t, 2 * k + 1);
        if k % 2 == 1 {
            sub(&mut sum, &t);
        } else {
            add(&mut sum, &t);
        }
        k += 1;
    }
}

const BASE: u64 = 1_000_000_000;

fn div_small(a: &mut [u64], d: u64) {
    let mut rem = 0u64;
    for limb in a.iter_mut() {
        let cur = rem * BASE + *limb;
        *limb = cur / d;
        rem = cur % d;
    }
}

fn mul_small(a: &mut [u64], m: u64) {
    let mut carry = 0u64;
    for limb in a.iter_mut().rev() {
        let cur = *limb * m + carry;
        *limb = cur % BASE;
        carry = cur / BASE;
    }
}

fn add(a: &mut [u64], b: &[u64]) {
    let mut carry = 0u64;
    for (x, y) in a.iter_mut().zip(b).rev() {
        let cur = *x + *y + carry;
        *x = cur % BASE;
        carry = cur / BASE;
    }
}

fn sub(a: &mut [u64], b: &[u64]) {
    let mut borrow = 0u64;
    for (x, y) in a.iter_mut().zip(b).rev() {
        let need = *y + borrow;
        if *x >= need {
            *x -= need;
            borrow = 0;
        } else {
            *x = *x + BASE - need;
            borrow = 1;
        }
    }
}

fn round_up(digits: &mut [u8]) {
    for d in digits.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pi;

    #[test]
    fn pi_to_n_significant_digits_rounded() {
        assert_eq!(pi(1), "3");
        assert_eq!(pi(5), "3.1416");
        assert_eq!(pi(20), "3.1415926535897932385");
        let long = pi(2000);
        assert_eq!(long.len(), 2001);
        assert!(long.starts_with("3.14159265358979323846264338327950288419716939937510582097494459230781640628620899"));
        // Digits 990-1000 of π (the Feynman point region is at 762: six 9s).
        assert!(long.contains("999999837297804995105973173281609631859"), "{long}");
    }
}
