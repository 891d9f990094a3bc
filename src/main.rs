//! kstate: kubectl for a local, simulated Kubernetes cluster kept in one SQLite file.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

// kstate's work is building and dropping many small JSON maps; mimalloc serves that pattern
// markedly faster than the system allocator, and keeps doing so once a large change has freed
// much of what it allocated.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut err = std::io::stderr().lock();
    let mut stdin = std::io::stdin().lock();
    let code = kstate::app::run(std::env::args_os().collect(), &mut stdin, &mut out, &mut err);
    let _ = out.flush();
    ExitCode::from(code.clamp(0, 255) as u8)
}
