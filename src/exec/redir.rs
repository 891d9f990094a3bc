//! Redirections: opening the files they name (with the shells' error texts) and writing the
//! collected bytes back when the command is done.

use super::ast::{Part, Redir, RedirOp, Word};
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
    /// Input descriptors replaced, with what they held.
    in_fds: Vec<(usize, Option<Input>)>,
    /// Input descriptors lent to stdin by `<&N`, given back (at the offset reached) on close.
    lent: Vec<usize>,
    /// The scope of a process or subshell: descriptors it opened or closed are put back, but
    /// one it only read from keeps its offset (the file offset is shared with the parent).
    scope: bool,
}

impl Saved {
    fn new(io: &Io) -> Saved {
        Saved { mark: io.sinks.len(), fds: io.fds, stdin: None, in_fds: Vec::new(), lent: Vec::new(), scope: false }
    }

    /// Everything a new process or subshell may change with `exec`, to put back when it ends.
    pub fn scope(io: &Io) -> Saved {
        // Standard input is shared with the parent (what a subshell reads is gone for it too).
        let mut s = Saved::new(io);
        s.scope = true;
        s.in_fds = io.in_fds.iter().enumerate().filter(|(_, i)| i.is_some()).map(|(n, i)| (n, i.clone())).collect();
        s.in_fds.extend((0..NFDS).filter(|n| io.in_fds[*n].is_none()).map(|n| (n, None)));
        s
    }
}

impl Shell<'_> {
    /// Runs `f` with `redirs` applied; a redirection that fails stops the command with status 2
    /// (dash) or 1 (bash, busybox).
    pub fn with_redirs(&mut self, redirs: &[Redir], io: &mut Io, f: impl FnOnce(&mut Self, &mut Io) -> Res) -> Res {
        if redirs.is_empty() {
            return f(self, io);
        }
        let mut saved = Saved::new(io);
        if let Some(failed) = self.open_redirs(redirs, io, &mut saved) {
            self.close_redirs(saved, io);
            return failed;
        }
        let r = f(self, io);
        self.close_redirs(saved, io);
        r
    }

    /// `exec` without a command: the redirections stay for the rest of the shell (until the
    /// process, subshell or redirected compound command around it ends). A failure ends dash
    /// and busybox ash, as for any special builtin; bash reports it and goes on.
    pub fn exec_redirs(&mut self, redirs: &[Redir], io: &mut Io) -> Res {
        let mut saved = Saved::new(io);
        match self.open_redirs(redirs, io, &mut saved) {
            Some(Ok(code)) if self.kind != ShellKind::Bash => Err(super::interp::Flow::Exit(code)),
            Some(failed) => failed,
            None => {
                // What was lent stays lent: `exec <&3` moves descriptor 3 to standard input.
                for sink in io.sinks.iter_mut().skip(saved.mark) {
                    sink.held = true;
                }
                self.remember_exec_redirs(redirs, io);
                Ok(0)
            }
        }
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
                RedirOp::Here if fd != 0 => {
                    set_input(io, saved, fd, Some(Input::new(target.into_bytes())));
                    Ok(())
                }
                RedirOp::Here => {
                    saved.stdin.get_or_insert_with(|| io.stdin.clone());
                    io.stdin = Input::new(target.into_bytes());
                    Ok(())
                }
                RedirOp::In => self.open_input(fd, &target, io, saved),
                RedirOp::Dup
                    if fd == 0 && target.parse::<usize>().is_ok_and(|n| n < NFDS && io.in_fds[n].is_some()) =>
                {
                    // `<&3`: standard input reads on from where descriptor 3 stands.
                    let n: usize = target.parse().unwrap_or(0);
                    saved.stdin.get_or_insert_with(|| io.stdin.clone());
                    io.stdin = io.in_fds[n].take().unwrap_or_default();
                    saved.lent.push(n);
                    Ok(())
                }
                RedirOp::Dup if target == "-" => {
                    if fd == 0 {
                        saved.stdin.get_or_insert_with(|| io.stdin.clone());
                        io.stdin = Input::default();
                    } else if io.in_fds[fd].is_some() {
                        set_input(io, saved, fd, None);
                    }
                    io.fds[fd] = None;
                    Ok(())
                }
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

    fn open_input(&mut self, fd: usize, target: &str, io: &mut Io, saved: &mut Saved) -> Result<(), String> {
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
        if fd != 0 {
            set_input(io, saved, fd, Some(Input::from_source(source)));
            io.fds[fd] = None;
            return Ok(());
        }
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
                Sink { kind: SinkKind::Null, buf: Vec::new(), limit: 0, full: Errno::NoSpc, held: false }
            }
            "/dev/full" => Sink { kind: SinkKind::Buffer, buf: Vec::new(), limit: 0, full: Errno::NoSpc, held: false },
            _ => {
                self.create_file(&p, append).map_err(|e| self.create_error(target, e))?;
                let limit = usize::try_from(self.fs.room_for(&p)).unwrap_or(usize::MAX);
                Sink {
                    kind: SinkKind::File { path: p, append },
                    buf: Vec::new(),
                    limit,
                    full: Errno::NoSpc,
                    held: false,
                }
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

    /// Stores what redirections that are still open have collected for their files, so a
    /// program run now reads it (`exec 3>f; echo a >&3; cat f`); the sinks go on appending.
    pub fn flush_file_sinks(&mut self, io: &mut Io) {
        let now = self.fs.now;
        for sink in io.sinks.iter_mut().skip(2) {
            let SinkKind::File { path, append } = &mut sink.kind else { continue };
            if sink.buf.is_empty() || !sink.held {
                continue;
            }
            let mut entry = match self.fs.lstat(path) {
                Ok(Some(e)) if e.kind == EntryKind::File => e,
                _ => Entry::file(0o644, now, Vec::new()),
            };
            if !*append {
                entry.data.clear();
            }
            let written = std::mem::take(&mut sink.buf);
            sink.limit = sink.limit.saturating_sub(written.len());
            entry.data.extend_from_slice(&written);
            entry.mtime = now;
            let _ = self.fs.write_file(path, entry);
            *append = true;
        }
    }

    /// Closes the sinks a command opened, storing file contents.
    pub fn close_redirs(&mut self, saved: Saved, io: &mut Io) {
        io.fds = saved.fds;
        for n in saved.lent.into_iter().rev() {
            io.in_fds[n] = Some(std::mem::take(&mut io.stdin));
        }
        if let Some(stdin) = saved.stdin {
            io.stdin = stdin;
        }
        for (n, old) in saved.in_fds.into_iter().rev() {
            if saved.scope && old.is_some() && io.in_fds[n].is_some() {
                continue;
            }
            io.in_fds[n] = old;
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

impl Shell<'_> {
    /// Notes `exec`'s output redirections in the environment, so that a process suspended in
    /// cluster time opens them again when it resumes (appending: the file was truncated once).
    fn remember_exec_redirs(&mut self, redirs: &[Redir], io: &mut Io) {
        if !self.is_timed() {
            return;
        }
        for r in redirs {
            let Ok(target) = self.expand_word(&r.target, io) else { continue };
            let (op, target) = match r.op {
                RedirOp::Out | RedirOp::Append => (RedirOp::Append, super::path::normalize(&self.env.cwd, &target)),
                RedirOp::Dup if r.fd != 0 => (RedirOp::Dup, target),
                _ => continue,
            };
            let referenced =
                self.env.exec_redirs.iter().any(|e| e.op == RedirOp::Dup && word_text(&e.target) == r.fd.to_string());
            if !referenced {
                self.env.exec_redirs.retain(|e| e.fd != r.fd);
            }
            if self.env.exec_redirs.len() < 32 {
                self.env.exec_redirs.push(Redir { fd: r.fd, op, target: Word(vec![Part::Quoted(target)]) });
            }
        }
    }

    /// Opens again what `exec` redirected before the process was suspended.
    pub fn reopen_exec_redirs(&mut self, io: &mut Io) {
        let redirs = self.env.exec_redirs.clone();
        if !redirs.is_empty() {
            let mut saved = Saved::new(io);
            let _ = self.open_redirs(&redirs, io, &mut saved);
            for sink in io.sinks.iter_mut().skip(saved.mark) {
                sink.held = true;
            }
        }
    }
}

fn word_text(w: &Word) -> String {
    w.0.iter().map(|p| if let Part::Lit(s) | Part::Quoted(s) = p { s.as_str() } else { "" }).collect()
}

/// Points input descriptor `fd` at `input`, remembering what it held.
fn set_input(io: &mut Io, saved: &mut Saved, fd: usize, input: Option<Input>) {
    let old = std::mem::replace(&mut io.in_fds[fd], input);
    saved.in_fds.push((fd, old));
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
