//! One request, run as one kstate command: a [`Context`] over the shared state directory, with
//! the same read and write paths (catch-up, converge, commit) as the CLI, and the API server's
//! warnings collected for `Warning` headers instead of printed.

use std::io;
use std::path::PathBuf;

use crate::clock::Clock;
use crate::cluster::{Bootstrap, Cluster};
use crate::cmd::Context;
use crate::{controller, Result};

/// What every request needs to open the cluster.
#[derive(Clone)]
pub struct Env {
    pub state_dir: PathBuf,
    pub seed: Option<u64>,
    /// `KSTATE_NOW`: the frozen clock, when set; otherwise each request reads the system clock.
    pub frozen: Option<Clock>,
    /// How a first command creates the cluster (`KSTATE_PROFILE`, `KSTATE_NODES`).
    pub bootstrap: Bootstrap,
}

/// The streams a [`Context`] borrows; the server has no terminal.
pub struct Streams {
    out: io::Sink,
    err: Vec<u8>,
    stdin: io::Empty,
}

impl Streams {
    pub fn new() -> Streams {
        Streams { out: io::sink(), err: Vec::new(), stdin: io::empty() }
    }
}

impl Env {
    pub fn clock(&self) -> Clock {
        self.frozen.unwrap_or_else(Clock::system)
    }

    /// A command context in `namespace` (the path's, or `default`).
    pub fn context<'a>(&self, streams: &'a mut Streams, namespace: Option<&str>) -> Context<'a> {
        Context {
            state_dir: self.state_dir.clone(),
            clock: self.clock(),
            seed: self.seed,
            bootstrap: self.bootstrap,
            namespace: namespace.unwrap_or("default").to_string(),
            namespace_given: namespace.is_some(),
            out: &mut streams.out,
            err: &mut streams.err,
            stdin: &mut streams.stdin,
            change_cause: None,
            state_dir_named: false,
        }
    }

    /// Opens the cluster for reading, as `kstate get` does.
    pub fn read(&self) -> Result<Cluster> {
        let mut streams = Streams::new();
        self.context(&mut streams, None).read()
    }

    /// Opens the cluster for a write, as a changing command does (time-driven work caught up).
    pub fn write(&self) -> Result<Cluster> {
        let mut streams = Streams::new();
        self.context(&mut streams, None).write()
    }
}

/// Converges and commits a write, or (dry run) converges nothing and rolls back; returns the
/// API server's warnings.
pub fn finish(mut cluster: Cluster, dry_run: bool) -> Result<Vec<String>> {
    let warnings = std::mem::take(&mut cluster.warnings);
    if dry_run {
        cluster.abandon()?;
        return Ok(warnings);
    }
    controller::converge(&mut cluster)?;
    let mut all = warnings;
    all.append(&mut cluster.warnings);
    cluster.commit()?;
    Ok(all)
}
