//! `KSTATE_TRACE=1` prints how long the phases of a command took, on stderr (for benchmarks).

use std::time::Instant;

/// Prints `phase` and the time since `since` when tracing is on.
pub fn phase(phase: &str, since: Instant) {
    if std::env::var_os("KSTATE_TRACE").is_some() {
        eprintln!("kstate trace: {phase} after {:.1} ms", since.elapsed().as_secs_f64() * 1000.0);
    }
}
