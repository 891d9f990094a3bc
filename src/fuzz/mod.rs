//! Generated-input tests: every reader and formatter a user can feed is run on inputs built
//! from its own grammar's tokens plus stray bytes, and must answer (Ok or Err) without
//! panicking. CI runs a few hundred inputs per target; `KSTATE_FUZZ_CASES=100000` runs the long
//! campaign recorded in docs/hardening.md; `KSTATE_FUZZ_TRACE=1` prints each input before it runs.

mod targets;

use std::panic::{catch_unwind, AssertUnwindSafe};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Inputs per target: `KSTATE_FUZZ_CASES`, else a short run.
pub fn cases() -> usize {
    std::env::var("KSTATE_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300)
}

/// Random inputs made of `tokens` (up to `max` of them), with an occasional random character.
pub struct Inputs {
    rng: ChaCha8Rng,
    tokens: &'static [&'static str],
    max: usize,
}

impl Inputs {
    pub fn new(seed: u64, tokens: &'static [&'static str], max: usize) -> Inputs {
        Inputs { rng: ChaCha8Rng::seed_from_u64(seed), tokens, max }
    }

    pub fn next_input(&mut self) -> String {
        let n = self.rng.random_range(0..=self.max);
        let mut s = String::new();
        for _ in 0..n {
            if self.rng.random_range(0..20) == 0 {
                s.push(char::from_u32(self.rng.random_range(0..0x3000)).unwrap_or('?'));
            } else {
                s.push_str(self.tokens[self.rng.random_range(0..self.tokens.len())]);
            }
        }
        s
    }

    pub fn pick(&mut self, from: &'static [&'static str]) -> &'static str {
        from[self.rng.random_range(0..from.len())]
    }
}

/// Runs `target` on `cases()` inputs; fails naming the first input that panicked.
pub fn run(name: &str, seed: u64, tokens: &'static [&'static str], max: usize, target: impl Fn(&mut Inputs, &str)) {
    let mut inputs = Inputs::new(seed, tokens, max);
    let started = std::time::Instant::now();
    let total = cases();
    let trace = std::env::var_os("KSTATE_FUZZ_TRACE").is_some();
    for i in 0..total {
        let input = inputs.next_input();
        if trace {
            eprintln!("fuzz {name}: input #{i}: {input:?}");
        }
        let one = std::time::Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| target(&mut inputs, &input)));
        assert!(outcome.is_ok(), "{name}: input #{i} panicked: {input:?}");
        if one.elapsed() > std::time::Duration::from_secs(1) {
            eprintln!("fuzz {name}: input #{i} took {:.1?}: {input:?}", one.elapsed());
        }
    }
    eprintln!("fuzz {name}: {total} inputs, 0 panics, {:.1?}", started.elapsed());
}
