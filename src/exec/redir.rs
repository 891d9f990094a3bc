//! Redirections: opening the files they name (with the shells' error texts) and writing the
//! collected bytes back when the command is done.

use super::ast::{Redir, RedirOp};
use super::backing::{Entry, EntryKind};
use super::errno::Errno;
use super::interp::{Res, Shell, ShellKind};
use super::io::{Input, Io, Sink, SinkKind, NFDS};
use super::source::Source;

/// What to put back after a command's redirections.
pub struct Saved {
    mark: usize,
    fds: [Option<usize>; NFDS],
    stdin: Option<Input>,
}

impl Shell<'_> {
    /// Runs `f` with `redirs` applied; a redirection that fails stops the command with status 2
    /// (dash) or 1 (bash, busybox).
    pub fn with_redirs(&mut self, redirs: &[Redir], io: &mut Io, f: impl FnOnce(&mut Self, &mut Io) -> Res) -> Res {
        if redirs.is_empty() {
            return f(self, io);
        }
        let mut saved = Saved { mark: io.sinks.len(), fds: io.fds, stdin: None };
        if let Some(failed) = self.open_redirs(redirs, io, &mut saved) {
            self.close_redirs(saved, io);
            return failed;
        }
        let r = f(self, io);
        self.close_redirs(saved, io);
        r
    }

    /// Opens each redirection in turn; on failure, the result the command ends with.
    fn open_redirs(&mut self, redirs: &[Redir], io: &mut Io, saved: &mut Saved) -> Option<Res> {
        for r in redirs {
            let target = match self.expand_word(&r.target, io) {
                Ok(t) => t,
                Err(e) => return Some(Err(e)),
            };
            let fd = r.fd as usize;
            if fd >= NFDS {
                continue;
            }
            let opened = match r.op {
                RedirOp::Here => {
                    saved.stdin.get_or_insert_with(|| io.stdin.clone());
                    io.stdin = Input::new(target.into_bytes());
                    Ok(())
                }
                RedirOp::In => self.open_input(&target, io, saved),
                RedirOp::Dup => self.dup(fd, &target, io),
                // A resumed process re-enters a redirection it opened before: the file is not
                // truncated a second time.
                RedirOp::Out | RedirOp::Append => {
                    let append = r.op == RedirOp::Append || self.resuming();
                    self.open_output(fd, &target, append, io)
                }
            };
            if let Err(msg) = opened {
                io.err(&msg);
                let code = if self.kind == ShellKind::Dash { 2 } else { 1 };
                return Some(Ok(code));
            }
        }
        None
    }

    fn open_input(&mut self, target: &str, io: &mut Io, saved: &mut Saved) -> Result<(), String> {
        let cwd = self.env.cwd.clone();
        let source = match self.fs.open(&cwd, target) {
            Ok(s) => s,
            Err(Errno::IsDir) => Source::Bytes(Vec::new()),
            Err(e) => {
                return Err(match self.kind {
                    ShellKind::Dash => self.diag(&format!("cannot open {target}: {}", dash_errno(e, false))),
                    ShellKind::Bash => self.diag(&format!("{target}: {e}")),
                    ShellKind::Ash => self.diag(&format!("can't open '{target}': {e}")),
                })
            }
        };
        saved.stdin.get_or_insert_with(|| io.stdin.clone());
        io.stdin = Input::from_source(source);
        Ok(())
    }

    fn dup(&mut self, fd: usize, target: &str, io: &mut Io) -> Result<(), String> {
        if target == "-" {
            io.fds[fd] = None;
            return Ok(());
        }
        match target.parse::<usize>() {
            Ok(src) if src < NFDS && (src == 0 || io.fds[src].is_some()) => {
                if src != 0 {
                    io.fds[fd] = io.fds[src];
                }
                Ok(())
            }
            Ok(_) => Err(self.diag(&format!("{target}: Bad file descriptor"))),
            Err(_) => self.open_output(fd, target, false, io),
        }
    }

    fn open_output(&mut self, fd: usize, target: &str, append: bool, io: &mut Io) -> Result<(), String> {
        let cwd = self.env.cwd.clone();
        let p = match self.fs.resolve(&cwd, target, true) {
            Ok(p) => p,
            Err(e) => return Err(self.create_error(target, e)),
        };
        let sink = match p.as_str() {
            "/dev/stdout" | "/dev/stderr" => {
                io.fds[fd] = io.fds[if p == "/dev/stdout" { 1 } else { 2 }];
                return Ok(());
            }
            "/dev/null" | "/dev/zero" | "/dev/tty" => {
                Sink { kind: SinkKind::Null, buf: Vec::new(), limit: 0, full: Errno::NoSpc }
            }
            "/dev/full" => Sink { kind: SinkKind::Buffer, buf: Vec::new(), limit: 0, full: Errno::NoSpc },
            _ => {
                self.create_file(&p, append).map_err(|e| self.create_error(target, e))?;
                let limit = usize::try_from(self.fs.room_for(&p)).unwrap_or(usize::MAX);
                Sink { kind: SinkKind::File { path: p, append }, buf: Vec::new(), limit, full: Errno::NoSpc }
            }
        };
        io.fds[fd] = Some(io.push(sink));
        Ok(())
    }

    /// Opens for writing as `open(O_CREAT|O_TRUNC)` would: the file exists (empty unless appending).
    fn create_file(&mut self, p: &str, append: bool) -> Result<(), Errno> {
        let existing = self.fs.lstat(p)?;
        let now = self.fs.now;
        match existing {
            Some(e) if e.is_dir() => Err(Errno::IsDir),
            Some(e) if append => {
                self.fs.check_writable(p)?;
                let _ = e;
                Ok(())
            }
            Some(mut e) => {
                e.data.clear();
                e.mtime = now;
                self.fs.write_file(p, e)
            }
            None => self.fs.write_file(p, Entry::file(0o644, now, Vec::new())),
        }
    }

    fn create_error(&self, target: &str, e: Errno) -> String {
        match self.kind {
            ShellKind::Dash => self.diag(&format!("cannot create {target}: {}", dash_errno(e, true))),
            ShellKind::Bash => self.diag(&format!("{target}: {e}")),
            ShellKind::Ash => self.diag(&format!("can't create {target}: {e}")),
        }
    }

    /// Closes the sinks a command opened, storing file contents.
    pub fn close_redirs(&mut self, saved: Saved, io: &mut Io) {
        io.fds = saved.fds;
        if let Some(stdin) = saved.stdin {
            io.stdin = stdin;
        }
        let now = self.fs.now;
        for sink in io.pop_to(saved.mark) {
            let SinkKind::File { path, append } = sink.kind else { continue };
            let mut entry = match self.fs.lstat(&path) {
                Ok(Some(e)) if e.kind == EntryKind::File => e,
                _ => Entry::file(0o644, now, Vec::new()),
            };
            if !append {
                entry.data.clear();
            }
            if sink.buf.is_empty() && append {
                continue;
            }
            entry.data.extend_from_slice(&sink.buf);
            entry.mtime = now;
            // A short write was already reported to the writer as ENOSPC when the sink filled.
            let _ = self.fs.write_file(&path, entry);
        }
    }
}

/// dash's `errmsg`: ENOENT and ENOTDIR read `No such file` when opening and
/// `Directory nonexistent` when creating; other errors use strerror.
fn dash_errno(e: Errno, create: bool) -> &'static str {
    match e {
        Errno::Noent | Errno::NotDir if create => "Directory nonexistent",
        Errno::Noent | Errno::NotDir => "No such file",
        other => other.text(),
    }
}
