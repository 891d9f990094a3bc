//! Running the syntax tree: control flow, pipelines, subshells and resource bounds.

use super::ast::Cmd;
use super::fs::Fs;
use super::image::Flavor;
use super::io::{Io, Sink};
use super::{errno::Errno, Network, MAX_DEPTH, MAX_PIPE_BYTES, MAX_STEPS};
use std::collections::{BTreeMap, BTreeSet};

/// How a command ended other than by finishing normally.
#[derive(Debug, Clone, PartialEq)]
pub enum Flow {
    Exit(i32),
    Break(u32),
    Continue(u32),
    Return(i32),
    /// A resource bound was hit: the whole run stops.
    Abort(&'static str),
}

pub type Res = Result<i32, Flow>;

/// Which shell is interpreting: they word their diagnostics differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShellKind {
    /// Debian's /bin/sh: `sh: 1: foo: not found`.
    Dash,
    /// `bash: line 1: foo: command not found`.
    Bash,
    /// busybox: `sh: foo: not found`.
    Ash,
}

/// The state a subshell copies and throws away.
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub vars: BTreeMap<String, String>,
    pub exported: BTreeSet<String>,
    pub funcs: BTreeMap<String, Cmd>,
    /// `$1`, `$2`, ...
    pub args: Vec<String>,
    pub cwd: String,
    pub errexit: bool,
}

pub struct Shell<'a> {
    pub fs: Fs<'a>,
    pub flavor: Flavor,
    pub kind: ShellKind,
    /// `$0`, and the name diagnostics start with.
    pub name: String,
    pub env: Env,
    pub status: i32,
    /// Status of the last command substitution, for commands that are only assignments.
    pub subst_status: Option<i32>,
    pub steps: u64,
    pub depth: u32,
    pub line: u32,
    /// Where cluster DNS and HTTP are answered (none for commands that do not use the network).
    pub net: Option<&'a dyn Network>,
    /// The signal sent to PID 1, the container's main process, if a command sent one.
    pub main_signal: Option<String>,
}

impl<'a> Shell<'a> {
    pub fn new(fs: Fs<'a>, net: Option<&'a dyn Network>) -> Shell<'a> {
        let flavor = fs.image.flavor;
        let kind = if flavor == Flavor::Busybox { ShellKind::Ash } else { ShellKind::Dash };
        let mut env = Env { cwd: fs.image.workdir.clone(), ..Env::default() };
        let mut set = |k: &str, v: &str| {
            env.vars.insert(k.to_string(), v.to_string());
            env.exported.insert(k.to_string());
        };
        let c = fs.c;
        set("PATH", fs.image.path_var());
        set("HOSTNAME", &c.hostname);
        for (k, v) in fs.image.env.iter().chain(c.env.iter()) {
            set(k, v);
        }
        set("HOME", "/root");
        Shell {
            fs,
            flavor,
            kind,
            name: "sh".into(),
            env,
            status: 0,
            subst_status: None,
            steps: 0,
            depth: 0,
            line: 1,
            net,
            main_signal: None,
        }
    }

    /// Counts one unit of work; a script that does too much is stopped.
    pub fn tick(&mut self) -> Result<(), Flow> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(Flow::Abort("too many commands"));
        }
        Ok(())
    }

    /// A shell diagnostic with the current shell's prefix (`sh: 1: ` / `bash: line 1: ` / `sh: `).
    pub fn diag(&self, msg: &str) -> String {
        match self.kind {
            ShellKind::Dash => format!("{}: {}: {msg}\n", self.name, self.line),
            ShellKind::Bash => format!("{}: line {}: {msg}\n", self.name, self.line),
            ShellKind::Ash => format!("{}: {msg}\n", self.name),
        }
    }

    pub fn var(&self, name: &str) -> Option<&str> {
        self.env.vars.get(name).map(String::as_str)
    }

    pub fn set_var(&mut self, name: &str, value: String) {
        self.env.vars.insert(name.to_string(), value);
    }

    pub fn run(&mut self, cmd: &Cmd, io: &mut Io) -> Res {
        let status = self.run_inner(cmd, io)?;
        self.status = status;
        Ok(status)
    }

    fn run_inner(&mut self, cmd: &Cmd, io: &mut Io) -> Res {
        match cmd {
            Cmd::Simple { assigns, words, redirs, line } => self.run_simple(assigns, words, redirs, *line, io),
            Cmd::Pipeline { cmds, bang } => {
                let s = self.run_pipeline(cmds, io)?;
                Ok(if *bang { i32::from(s == 0) } else { s })
            }
            Cmd::And(a, b) => match self.run(a, io)? {
                0 => self.run(b, io),
                s => Ok(s),
            },
            Cmd::Or(a, b) => match self.run(a, io)? {
                0 => Ok(0),
                _ => self.run(b, io),
            },
            Cmd::Seq(cmds) => {
                let mut s = 0;
                for c in cmds {
                    s = self.run(c, io)?;
                    if s != 0 && self.env.errexit && !matches!(c, Cmd::And(..) | Cmd::Or(..)) {
                        return Err(Flow::Exit(s));
                    }
                }
                Ok(s)
            }
            Cmd::Background(c) => {
                self.subshell(io, |sh, io| sh.run(c, io))?;
                Ok(0)
            }
            Cmd::If { arms, otherwise } => {
                for (cond, body) in arms {
                    if self.run(cond, io)? == 0 {
                        return self.run(body, io);
                    }
                }
                match otherwise {
                    Some(o) => self.run(o, io),
                    None => Ok(0),
                }
            }
            Cmd::For { var, items, body } => self.run_for(var, items.as_deref(), body, io),
            Cmd::While { cond, body, until } => self.run_while(cond, body, *until, io),
            Cmd::Case { word, arms } => self.run_case(word, arms, io),
            Cmd::Group { body, redirs } | Cmd::Redirected { body, redirs } => {
                self.with_redirs(redirs, io, |sh, io| sh.run(body, io))
            }
            Cmd::Subshell { body, redirs } => {
                self.with_redirs(redirs, io, |sh, io| sh.subshell(io, |sh, io| sh.run(body, io)))
            }
            Cmd::Func { name, body } => {
                self.env.funcs.insert(name.clone(), (**body).clone());
                Ok(0)
            }
        }
    }

    /// Runs `f` with a copy of the environment that is thrown away after; `exit` inside only
    /// ends the subshell.
    pub fn subshell(&mut self, io: &mut Io, f: impl FnOnce(&mut Self, &mut Io) -> Res) -> Res {
        self.enter()?;
        let saved = self.env.clone();
        let r = f(self, io);
        self.env = saved;
        self.depth -= 1;
        match r {
            Ok(s) | Err(Flow::Exit(s)) | Err(Flow::Return(s)) => Ok(s),
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => Ok(0),
            Err(a @ Flow::Abort(_)) => Err(a),
        }
    }

    /// Bounds nesting of subshells, functions and shells started by the script.
    pub fn enter(&mut self) -> Result<(), Flow> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            return Err(Flow::Abort("nesting too deep"));
        }
        Ok(())
    }

    /// Each stage runs in a subshell, one after another; a stage's output is the next one's input.
    fn run_pipeline(&mut self, cmds: &[Cmd], io: &mut Io) -> Res {
        let saved_stdin = std::mem::take(&mut io.stdin);
        let saved_fd1 = io.fds[1];
        let mut input = Some(saved_stdin.clone());
        let mut status = 0;
        for (i, c) in cmds.iter().enumerate() {
            io.stdin = input.take().unwrap_or_default();
            let last = i + 1 == cmds.len();
            let mark = io.sinks.len();
            if !last {
                io.fds[1] = Some(io.push(Sink::buffer(MAX_PIPE_BYTES, Errno::Pipe)));
            } else {
                io.fds[1] = saved_fd1;
            }
            let r = if cmds.len() == 1 { self.run(c, io) } else { self.subshell(io, |sh, io| sh.run(c, io)) };
            let out = io.pop_to(mark);
            io.fds[1] = saved_fd1;
            status = r?;
            input = Some(super::io::Input::new(out.into_iter().next().map(|s| s.buf).unwrap_or_default()));
        }
        io.stdin = saved_stdin;
        Ok(status)
    }

    fn run_for(&mut self, var: &str, items: Option<&[super::ast::Word]>, body: &Cmd, io: &mut Io) -> Res {
        let values = match items {
            Some(words) => self.expand_words(words, io)?,
            None => self.env.args.clone(),
        };
        let mut status = 0;
        for v in values {
            self.tick()?;
            self.set_var(var, v);
            if !self.loop_body(body, &mut status, io)? {
                break;
            }
        }
        Ok(status)
    }

    /// One pass of a loop body: false when a `break` ends this loop. A `break N`/`continue N`
    /// for an outer loop leaves with one level fewer.
    fn loop_body(&mut self, body: &Cmd, status: &mut i32, io: &mut Io) -> Result<bool, Flow> {
        match self.run(body, io) {
            Ok(s) => *status = s,
            Err(Flow::Break(n)) if n > 1 => return Err(Flow::Break(n - 1)),
            Err(Flow::Break(_)) => return Ok(false),
            Err(Flow::Continue(n)) if n > 1 => return Err(Flow::Continue(n - 1)),
            Err(Flow::Continue(_)) => {}
            Err(e) => return Err(e),
        }
        Ok(true)
    }

    fn run_while(&mut self, cond: &Cmd, body: &Cmd, until: bool, io: &mut Io) -> Res {
        let mut status = 0;
        loop {
            self.tick()?;
            let c = self.run(cond, io)?;
            if (c == 0) == until {
                break;
            }
            if !self.loop_body(body, &mut status, io)? {
                break;
            }
        }
        Ok(status)
    }

    fn run_case(&mut self, word: &super::ast::Word, arms: &[(Vec<super::ast::Word>, Cmd)], io: &mut Io) -> Res {
        let subject = self.expand_word(word, io)?;
        for (pats, body) in arms {
            for p in pats {
                let pat = self.expand_pattern(p, io)?;
                if super::glob::matches(&pat, &subject) {
                    return self.run(body, io);
                }
            }
        }
        Ok(0)
    }

    /// Runs a function with its own positional parameters.
    pub fn call_function(&mut self, body: &Cmd, argv: &[String], io: &mut Io) -> Res {
        self.enter()?;
        let saved = std::mem::replace(&mut self.env.args, argv[1..].to_vec());
        let r = self.run(body, io);
        self.env.args = saved;
        self.depth -= 1;
        match r {
            Err(Flow::Return(s)) => Ok(s),
            other => other,
        }
    }
}
