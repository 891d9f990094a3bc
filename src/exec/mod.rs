//! The simulated container behind `kstate exec`: a POSIX shell subset, the programs of the
//! nginx/httpd (Debian: dash + GNU coreutils) and busybox images, and the filesystem a
//! container sees. Nothing here runs a host program or touches a host file: every byte lives in
//! a [`Backing`] the caller provides.
//!
//! Layout: `run` (this file) → `simple`/`shellrun` (finding and starting programs) →
//! `parser`/`lexer`/`compound` (shell syntax) → `interp`/`expand`/`redir` (running it) →
//! `builtins` (the programs) → `fs`/`resolve` (the container's tree) → [`Backing`].
//!
//! Which wording: images whose name contains `busybox` or `alpine` answer as busybox (ash and
//! its applets); all others as Debian (dash as `sh`, bash as `bash`, GNU coreutils).

mod arith;
mod ast;
mod backing;
mod builtins;
mod clock_fmt;
mod compound;
mod errno;
mod expand;
mod fs;
mod glob;
mod heredoc;
mod image;
mod image_files;
mod interp;
mod io;
mod lexer;
mod parser;
mod path;
mod redir;
mod resolve;
mod shellrun;
mod simple;
mod special;

#[cfg(test)]
mod tests;

pub use backing::{Backing, Entry, EntryKind, MemBacking};
pub use image::Flavor;

use interp::{Flow, Shell};
use simple::Lookup;

/// Bytes one command may add to volumes in all; past it writes fail with ENOSPC. Bounds
/// `head -c 20G /dev/zero > /data/x` to a quick failure.
pub const MAX_STORED_BYTES: u64 = 64 << 20;
/// Commands (and loop iterations) one exec may run before it is stopped.
pub const MAX_STEPS: u64 = 100_000;
/// Nesting of subshells, functions, `sh -c` inside `sh -c`, `eval`.
pub const MAX_DEPTH: u32 = 32;
/// What a pipe holds between two stages; a writer past it ends as if by SIGPIPE.
pub const MAX_PIPE_BYTES: usize = 16 << 20;
/// Bytes of stdout (and, separately, stderr) returned to the caller.
pub const MAX_OUTPUT_BYTES: usize = 16 << 20;
/// Longest expansion (arguments, `$(...)` output) a command may build.
pub const MAX_WORD_BYTES: usize = 16 << 20;
/// Exit code when the runtime could not start the command (see [`run`]).
pub const START_FAILURE_CODE: i32 = 127;
/// Exit code when a resource bound stopped the command (as if killed by SIGKILL).
pub const KILLED_CODE: i32 = 137;

/// A volume mounted into the container.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mount {
    /// Mount point inside the container (`/data`).
    pub path: String,
    /// Volume id in the [`Backing`].
    pub volume: String,
    pub read_only: bool,
    /// The volume never holds more bytes than this.
    pub capacity_bytes: Option<u64>,
    /// Directory inside the volume that is mounted (`subPath`); empty for the volume's root.
    pub sub_path: String,
}

/// The container a command runs in, as the caller knows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Container {
    pub pod_name: String,
    pub namespace: String,
    pub hostname: String,
    /// The pod's `spec.subdomain` (may be empty).
    pub subdomain: String,
    pub pod_ip: String,
    pub container_name: String,
    pub image: String,
    /// The container's `env`, in order (including injected service variables, if any).
    pub env: Vec<(String, String)>,
    /// Volume id of this container's writable layer (the upper dir over the image).
    pub layer: String,
    pub mounts: Vec<Mount>,
    /// Unix seconds: mtimes of files written, and what `date` prints.
    pub now: i64,
}

/// What the command printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub code: i32,
}

impl Output {
    /// Whether the runtime refused to start the command (unknown program): then `stderr`
    /// holds kubectl's whole `error: Internal error occurred: ...` line, which kubectl prints
    /// instead of `command terminated with exit code N`, and exits 1.
    pub fn is_start_failure(&self) -> bool {
        self.code == START_FAILURE_CODE && self.stderr.starts_with(b"error: Internal error occurred:")
    }
}

/// Where name lookups and HTTP requests from inside a pod will be answered. Not used yet: the
/// shell keeps an `Option<&dyn Network>` so `nslookup`/`wget`/`curl` can be added without
/// changing the entry points.
pub trait Network {
    /// Addresses `name` resolves to from the pod (search path applied), or None (NXDOMAIN).
    fn resolve(&self, from: &Container, name: &str) -> Option<Vec<String>>;
    /// An HTTP GET from the pod: status and body, or a connection error text.
    fn http_get(&self, from: &Container, url: &str) -> Result<(u16, Vec<u8>), String>;
}

/// Runs `argv` (argv[0] is the program: `ls`, `sh`, `/bin/sh`, `touch`, ...) in the container,
/// as `kubectl exec POD -- argv...` would.
///
/// When argv[0] is not found the result has code [`START_FAILURE_CODE`], empty stdout and
/// stderr `error: Internal error occurred: error executing command in container: failed to
/// exec in container: failed to start exec "<id>": OCI runtime exec failed: exec failed: unable
/// to start container process: exec: "<cmd>": executable file not found in $PATH: unknown\n`
/// (see [`Output::is_start_failure`]). When a resource bound stops a script, stderr ends with
/// `kstate: command stopped: <reason>` and the code is [`KILLED_CODE`].
pub fn run(backing: &mut dyn Backing, c: &Container, argv: &[String], stdin: &[u8]) -> Output {
    run_with(backing, c, argv, stdin, None)
}

/// [`run`] with a network to answer DNS and HTTP from the pod (reserved for later).
pub fn run_with(
    backing: &mut dyn Backing,
    c: &Container,
    argv: &[String],
    stdin: &[u8],
    net: Option<&dyn Network>,
) -> Output {
    let c = normalized(c);
    let image = image::image_for(&c);
    let fs = fs::Fs::new(backing, &c, image);
    let mut sh = Shell::new(fs, net);
    let mut io = io::Io::new(stdin, MAX_OUTPUT_BYTES);
    let cmd = argv.first().cloned().unwrap_or_default();
    let found = sh.find_program(&cmd);
    let code = match found {
        Lookup::NotFound | Lookup::Denied => {
            io.err(&sh.start_error(&cmd, &found));
            START_FAILURE_CODE
        }
        found => match sh.exec_found(found, argv, &mut io) {
            Ok(s) | Err(Flow::Exit(s)) | Err(Flow::Return(s)) => s,
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => 0,
            Err(Flow::Abort(why)) => {
                io.err(&format!("kstate: command stopped: {why}\n"));
                KILLED_CODE
            }
        },
    };
    let mut sinks = io.sinks.into_iter();
    let stdout = sinks.next().map(|s| s.buf).unwrap_or_default();
    let stderr = sinks.next().map(|s| s.buf).unwrap_or_default();
    Output { stdout, stderr, code }
}

/// Mount points and sub-paths in canonical form, so prefix matching is exact.
fn normalized(c: &Container) -> Container {
    let mut c = c.clone();
    for m in &mut c.mounts {
        m.path = path::normalize("/", &m.path);
        m.sub_path = path::normalize("/", &m.sub_path);
    }
    c
}

/// Gives a fresh volume the files it starts with: a new ext4 cloud disk has its root
/// (`0755`) and `/lost+found` (`0700`, root); other volumes (local-path, emptyDir) just a
/// world-writable root (`0777`), as their provisioners create them. Existing entries are kept.
pub fn format_volume(backing: &mut dyn Backing, volume: &str, ext4: bool, now: i64) -> anyhow::Result<()> {
    if backing.get(volume, "/")?.is_none() {
        backing.put(volume, "/", &Entry::dir(if ext4 { 0o755 } else { 0o777 }, now))?;
    }
    if ext4 && backing.get(volume, "/lost+found")?.is_none() {
        backing.put(volume, "/lost+found", &Entry::dir(0o700, now))?;
    }
    Ok(())
}
