//! `tail -f` and `tail -F` in cluster time: after printing the files' ends, tail looks at them
//! again every second, as busybox's tail and GNU's (without inotify, `-s 1`) do, and prints what
//! was appended meanwhile. A sidecar streaming a log file another container writes (the logging
//! architecture page's `tail -n+1 -F /var/log/1.log`) therefore shows each line in `kubectl logs`
//! at the second it was written. Only regular files are looked at again: `tail -f /dev/null`, the
//! usual way to keep a container running, waits to be stopped and costs nothing while it does.

use serde::{Deserialize, Serialize};

use super::super::backing::{Entry, EntryKind};
use super::super::fs::Place;
use super::super::interp::{Flow, Res, Shell};
use super::super::io::Io;
use super::super::timed::Frame;
use super::put;

/// How often tail looks at its files again (busybox sleeps a second between looks).
const POLL_MS: i64 = 1_000;

/// What a following tail keeps between its looks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Followed {
    /// Each followed operand with the bytes of it already printed (`None`: not open, `-F`
    /// retries it).
    pub files: Vec<(String, Option<u64>)>,
    /// When tail looks next, in milliseconds since the epoch.
    pub next: i64,
    /// The operand printed last: output of another one is headed by its name.
    pub last: usize,
    /// Whether output is headed by file names (several operands, no `-q`).
    pub headers: bool,
    /// `-F`: a file that goes away is opened again, from its start, when it is back.
    pub retry: bool,
}

impl Followed {
    /// Whether anything can grow: `tail -f /dev/null` has nothing to look at again.
    pub fn any(&self) -> bool {
        !self.files.is_empty()
    }
}

/// Starts following after the first output: the first look is a second from now.
pub fn start(sh: &mut Shell, io: &mut Io, mut st: Followed) -> Res {
    let held = sh.timed.as_ref().is_none_or(|t| t.hold > 0);
    if !st.any() || held {
        return sh.serve(io);
    }
    st.next = sh.timed.as_ref().map_or(0, |t| t.clock) + POLL_MS;
    follow(sh, io, st)
}

/// Re-enters a suspended tail. A process saved before tail followed files (waiting as a server)
/// goes on waiting.
pub fn resume(sh: &mut Shell, io: &mut Io) -> Res {
    let frame = sh.resumed(|f| match f {
        Frame::Follow(st) => Some(Some(st)),
        Frame::Serve | Frame::Sleep { .. } => Some(None),
        _ => None,
    })?;
    match frame.flatten() {
        Some(st) => follow(sh, io, st),
        None => sh.serve(io),
    }
}

/// Looks at the files at each second up to the horizon, then suspends until the next look (or
/// until a background job of the shell wants to run).
fn follow(sh: &mut Shell, io: &mut Io, mut st: Followed) -> Res {
    loop {
        let Some(horizon) = sh.timed.as_ref().map(|t| t.horizon) else { return Ok(0) };
        if st.next > horizon {
            sh.advance_jobs(horizon);
            sh.flush_log(io);
            let wake = sh.jobs_wake().map_or(st.next, |j| j.min(st.next));
            if let Some(t) = sh.timed.as_mut() {
                t.wake = Some(wake);
                t.saved.push(Frame::Follow(st));
            }
            return Err(Flow::Suspend);
        }
        sh.advance_jobs(st.next);
        if let Some(t) = sh.timed.as_mut() {
            t.clock = t.clock.max(st.next);
            t.cpu = 0;
            t.busy = 0;
        }
        sh.fs.now = st.next.div_euclid(1000);
        if let Err(code) = look(sh, io, &mut st) {
            return Ok(code);
        }
        sh.flush_log(io);
        st.next += POLL_MS;
    }
}

/// The file at `path` when it is a regular file that can grow (not the kernel's `/dev` and
/// `/proc`).
pub fn growing(sh: &mut Shell, path: &str) -> Option<Entry> {
    let cwd = sh.env.cwd.clone();
    let (resolved, entry) = sh.fs.stat(&cwd, path).ok()?;
    let kernel = matches!(sh.fs.place(&resolved), Place::Kernel);
    (entry.kind == EntryKind::File && !kernel).then_some(entry)
}

/// One look at every followed file: prints what was appended since the last one.
fn look(sh: &mut Shell, io: &mut Io, st: &mut Followed) -> Result<(), i32> {
    for i in 0..st.files.len() {
        let (path, printed) = st.files[i].clone();
        let data = match growing(sh, &path) {
            // Written after this look's time by a process that ran ahead of this one (each
            // process runs up to the present on its own): seen at the first look after it.
            Some(entry) if entry.mtime > sh.fs.now => continue,
            Some(entry) => entry.data,
            // Gone (or not a file): `-F` starts it over when it is back; `-f` holds the file it
            // opened, which nothing can append to any more.
            None => {
                if st.retry {
                    st.files[i].1 = None;
                }
                continue;
            }
        };
        let len = data.len() as u64;
        let from = match printed {
            Some(p) if len < p => {
                io.err(&format!("tail: {path}: file truncated\n"));
                0
            }
            Some(p) => p,
            None => 0,
        };
        if len > from {
            if st.headers && st.last != i {
                put(io, "tail", format!("\n==> {path} <==\n").as_bytes())?;
            }
            put(io, "tail", &data[usize::try_from(from).unwrap_or(0)..])?;
            st.last = i;
        }
        st.files[i].1 = Some(len);
    }
    Ok(())
}
