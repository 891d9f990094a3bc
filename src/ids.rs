//! Identifiers: uids, generated-name suffixes, disk ids, IP picks.
//!
//! Every random choice kstate makes comes from one generator. With `KSTATE_SEED` set, the generator
//! of a command is seeded from that seed and the cluster's revision counter, so the same sequence of
//! commands yields the same uids and disk ids on every run, while two commands never repeat a value.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes).
pub const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
const DISK_ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

pub struct Ids {
    rng: ChaCha8Rng,
}

impl Ids {
    /// `seed` is `KSTATE_SEED` when set; `salt` distinguishes the commands of one cluster.
    pub fn new(seed: Option<u64>, salt: u64) -> Ids {
        let base = seed.unwrap_or_else(rand::random::<u64>);
        let mixed = base ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17);
        Ids { rng: ChaCha8Rng::seed_from_u64(mixed) }
    }

    fn pick(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| alphabet[self.rng.random_range(0..alphabet.len())] as char).collect()
    }

    /// An RFC 4122 version-4 uid, as the API server assigns.
    pub fn uid(&mut self) -> String {
        let mut b: [u8; 16] = self.rng.random();
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(36);
        for (i, x) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out.push('-');
            }
            out.push(HEX[usize::from(x >> 4)] as char);
            out.push(HEX[usize::from(x & 0xf)] as char);
        }
        out
    }

    /// A `generateName` suffix (5 characters).
    pub fn name_suffix(&mut self) -> String {
        self.pick(NAME_ALPHABET, 5)
    }

    /// An Alibaba Cloud disk id: `d-` + a region prefix + 17 characters of [0-9a-z].
    pub fn disk_id(&mut self, region_prefix: &str) -> String {
        let rest = 20usize.saturating_sub(region_prefix.len());
        format!("d-{region_prefix}{}", self.pick(DISK_ALPHABET, rest))
    }

    /// `n` lowercase hex digits (container ids, event name suffixes).
    pub fn hex(&mut self, n: usize) -> String {
        self.pick(b"0123456789abcdef", n)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.rng.random_range(0..n)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_ids_repeat_and_differ_by_salt() {
        let (mut a, mut b, mut c) = (Ids::new(Some(7), 1), Ids::new(Some(7), 1), Ids::new(Some(7), 2));
        let (ua, ub, uc) = (a.uid(), b.uid(), c.uid());
        assert_eq!(ua, ub);
        assert_ne!(ua, uc);
        assert_eq!(ua.len(), 36);
        assert_eq!(&ua[14..15], "4");
    }

    #[test]
    fn disk_ids_have_ack_shape() {
        let id = Ids::new(Some(1), 0).disk_id("2ze");
        assert_eq!(id.len(), 22);
        assert!(id.starts_with("d-2ze"));
        assert!(id[2..].bytes().all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()));
    }
}
