//! Running the syntax tree: control flow, pipelines, subshells and resource bounds.

use serde::{Deserialize, Serialize};

use super::ast::Cmd;
use super::fs::Fs;
use super::image::Flavor;
use super::io::{Io, Sink};
use super::timed::Frame;
use super::{errno::Errno, Network, MAX_DEPTH, MAX_LOOKUP_BYTES, MAX_PIPE_BYTES, MAX_STEPS};
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
    /// A process running in cluster time reached the present (see `timed.rs`).
    Suspend,
}

pub type Res = Result<i32, Flow>;

/// Which shell is interpreting: they word their diagnostics differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShellKind {
    /// Debian's /bin/sh: `sh: 1: foo: not found`.
    Dash,
    /// `bash: line 1: foo: command not found`.
    Bash,
    /// busybox: `sh: foo: not found`.
    Ash,
}

/// The state a subshell copies and throws away.
///
/// Saved with every running container's state: `exported` is left out when it names exactly the
/// variables (a container's shell exports its whole environment, so the list would repeat every
/// name), and a record without it exports every variable.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "EnvRecord")]
pub struct Env {
    pub vars: BTreeMap<String, String>,
    pub exported: BTreeSet<String>,
    pub funcs: BTreeMap<String, Cmd>,
    /// `$1`, `$2`, ...
    pub args: Vec<String>,
    pub cwd: String,
    pub errexit: bool,
    /// `set -x`: each simple command is written to stderr before it runs.
    #[serde(default)]
    pub xtrace: bool,
    /// `trap ACTION SIGNAL`: what the shell runs when the signal arrives (by signal name).
    #[serde(default)]
    pub traps: BTreeMap<String, String>,
    /// `exec`'s output redirections, opened again when a suspended process resumes.
    pub exec_redirs: Vec<super::ast::Redir>,
    /// Background jobs started (`cmd &`), by the pid `$!` gave them.
    pub jobs: BTreeMap<u32, Job>,
    /// `$!`: the pid of the last background job.
    pub last_job: Option<u32>,
}

/// A background job as `wait PID` sees it: how it ended (or ends, in cluster time).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub status: i32,
    /// When it ended, in milliseconds since the epoch (`None` while it runs).
    pub end: Option<i64>,
    /// A job still running in cluster time: where it stands, to go on with later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<Box<super::timed::JobRun>>,
}

/// [`Env`] as it is read back; `exported` is absent when it was every variable.
#[derive(Deserialize)]
struct EnvRecord {
    vars: BTreeMap<String, String>,
    #[serde(default)]
    exported: Option<BTreeSet<String>>,
    funcs: BTreeMap<String, Cmd>,
    args: Vec<String>,
    cwd: String,
    errexit: bool,
    #[serde(default)]
    xtrace: bool,
    #[serde(default)]
    traps: BTreeMap<String, String>,
    #[serde(default)]
    exec_redirs: Vec<super::ast::Redir>,
    #[serde(default)]
    jobs: BTreeMap<u32, Job>,
    #[serde(default)]
    last_job: Option<u32>,
}

impl From<EnvRecord> for Env {
    fn from(r: EnvRecord) -> Env {
        let exported = r.exported.unwrap_or_else(|| r.vars.keys().cloned().collect());
        Env {
            vars: r.vars,
            exported,
            funcs: r.funcs,
            args: r.args,
            cwd: r.cwd,
            errexit: r.errexit,
            xtrace: r.xtrace,
            traps: r.traps,
            exec_redirs: r.exec_redirs,
            jobs: r.jobs,
            last_job: r.last_job,
        }
    }
}

/// [`Env`] as it is saved, borrowed (fields in the order records always had).
#[derive(Serialize)]
struct EnvRef<'e> {
    vars: &'e BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exported: Option<&'e BTreeSet<String>>,
    funcs: &'e BTreeMap<String, Cmd>,
    args: &'e [String],
    cwd: &'e str,
    errexit: bool,
    xtrace: bool,
    traps: &'e BTreeMap<String, String>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    exec_redirs: &'e [super::ast::Redir],
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    jobs: &'e BTreeMap<u32, Job>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_job: Option<u32>,
}

impl Serialize for Env {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let every_var = self.exported.len() == self.vars.len() && self.exported.iter().eq(self.vars.keys());
        EnvRef {
            vars: &self.vars,
            exported: (!every_var).then_some(&self.exported),
            funcs: &self.funcs,
            args: &self.args,
            cwd: &self.cwd,
            errexit: self.errexit,
            xtrace: self.xtrace,
            traps: &self.traps,
            exec_redirs: &self.exec_redirs,
            jobs: &self.jobs,
            last_job: self.last_job,
        }
        .serialize(s)
    }
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
    /// Set when the shell runs a container's process in cluster time.
    pub timed: Option<Box<super::timed::Timed>>,
    /// How deep in command substitutions and `eval` bash is, for its `++ ` trace prefix.
    pub trace_level: u32,
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
            timed: None,
            trace_level: 1,
        }
    }

    /// Counts one unit of work; a script that does too much is stopped.
    pub fn tick(&mut self) -> Result<(), Flow> {
        if self.fs.looked_up > MAX_LOOKUP_BYTES {
            return Err(Flow::Abort("too many path lookups"));
        }
        if self.is_timed() {
            return self.tick_time();
        }
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
            Cmd::And(a, b) => self.run_and_or(a, b, true, io),
            Cmd::Or(a, b) => self.run_and_or(a, b, false, io),
            Cmd::Seq(cmds) => self.run_seq(cmds, io),
            Cmd::Background(c) => {
                // A background job runs until it ends or reaches the present (a sleep past it, a
                // wait); the foreground goes on from where it started. A job that stopped is kept
                // with where it stands and goes on when the shell sleeps or waits (`timed.rs`).
                let clock = self.timed.as_ref().map(|t| t.clock);
                // Lines are stamped when flushed: the foreground's now, the job's at its end.
                self.flush_log(io);
                let r = self.subshell(io, |sh, io| sh.run(c, io));
                self.flush_log(io);
                let mut end = Some(clock.unwrap_or(0));
                let mut run = None;
                if let (Some(t), Some(clock)) = (self.timed.as_mut(), clock) {
                    end = Some(t.clock);
                    if matches!(r, Err(Flow::Suspend)) {
                        let mut frames = std::mem::take(&mut t.saved);
                        frames.reverse();
                        let job = super::timed::JobRun { cmd: (**c).clone(), frames, clock: t.clock, wake: t.wake };
                        run = Some(Box::new(job));
                        end = None;
                    }
                    t.saved.clear();
                    t.wake = None;
                    t.clock = clock;
                    self.fs.now = clock.div_euclid(1000);
                }
                let status = match r {
                    Ok(s) => s,
                    Err(Flow::Suspend) => 0,
                    Err(e) => return Err(e),
                };
                self.note_job(status, end, run);
                Ok(0)
            }
            Cmd::If { arms, otherwise } => self.run_if(arms, otherwise.as_deref(), io),
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
        // A subshell is a new process: its parent's jobs are not its children (and a job that
        // goes on runs once, in the shell that started it).
        self.env.jobs.clear();
        let mut resumed_env = false;
        if let Some(env) = self.resumed(|f| match f {
            Frame::Subshell { env } => Some(env),
            _ => None,
        })? {
            self.env = *env;
            resumed_env = true;
        }
        let scope = super::redir::Saved::scope(io);
        if resumed_env {
            self.reopen_exec_redirs(io);
        }
        let r = f(self, io);
        self.close_redirs(scope, io);
        let r = self.on_suspend(r, |sh| Frame::Subshell { env: Box::new(sh.env.clone()) });
        self.env = saved;
        self.depth -= 1;
        match r {
            Ok(s) | Err(Flow::Exit(s)) | Err(Flow::Return(s)) => Ok(s),
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => Ok(0),
            Err(a @ (Flow::Abort(_) | Flow::Suspend)) => Err(a),
        }
    }

    fn run_and_or(&mut self, a: &Cmd, b: &Cmd, and: bool, io: &mut Io) -> Res {
        let second = self.resumed(|f| match f {
            Frame::Operand(second) => Some(second),
            _ => None,
        })?;
        if second != Some(true) {
            let r = self.run(a, io);
            let s = self.on_suspend(r, |_| Frame::Operand(false))?;
            if (s == 0) != and {
                return Ok(s);
            }
        }
        let r = self.run(b, io);
        self.on_suspend(r, |_| Frame::Operand(true))
    }

    fn run_seq(&mut self, cmds: &[Cmd], io: &mut Io) -> Res {
        let start = self.resumed(|f| match f {
            Frame::Seq(i) => Some(i),
            _ => None,
        })?;
        let mut s = 0;
        for (i, c) in cmds.iter().enumerate().skip(start.unwrap_or(0)) {
            let r = self.run(c, io);
            s = self.on_suspend(r, |_| Frame::Seq(i))?;
            if s != 0 && self.env.errexit && !matches!(c, Cmd::And(..) | Cmd::Or(..)) {
                return Err(Flow::Exit(s));
            }
        }
        Ok(s)
    }

    fn run_if(&mut self, arms: &[(Cmd, Cmd)], otherwise: Option<&Cmd>, io: &mut Io) -> Res {
        let at = self.resumed(|f| match f {
            Frame::If { arm, body } => Some((arm, body)),
            _ => None,
        })?;
        let (first, in_body) = at.unwrap_or((0, false));
        for (i, (cond, body)) in arms.iter().enumerate().skip(first) {
            if !(i == first && in_body) {
                let r = self.run(cond, io);
                if self.on_suspend(r, |_| Frame::If { arm: i, body: false })? != 0 {
                    continue;
                }
            }
            let r = self.run(body, io);
            return self.on_suspend(r, |_| Frame::If { arm: i, body: true });
        }
        let Some(o) = otherwise else { return Ok(0) };
        let r = self.run(o, io);
        self.on_suspend(r, |_| Frame::If { arm: arms.len(), body: true })
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
        if cmds.len() == 1 {
            return self.run(&cmds[0], io);
        }
        let resumed = self.resumed(|f| match f {
            Frame::Pipe { stage, input } => Some((stage, input)),
            _ => None,
        })?;
        let saved_stdin = std::mem::take(&mut io.stdin);
        let saved_fd1 = io.fds[1];
        let (first, mut input) = match resumed {
            Some((stage, data)) => (stage, Some(super::io::Input::new(data))),
            None => (0, Some(saved_stdin.clone())),
        };
        let mut status = 0;
        for (i, c) in cmds.iter().enumerate().skip(first) {
            io.stdin = input.take().unwrap_or_default();
            let last = i + 1 == cmds.len();
            let mark = io.sinks.len();
            if !last {
                io.fds[1] = Some(io.push(Sink::buffer(MAX_PIPE_BYTES, Errno::Pipe)));
            } else {
                io.fds[1] = saved_fd1;
            }
            let r = self.subshell(io, |sh, io| sh.run(c, io));
            let out = io.pop_to(mark);
            io.fds[1] = saved_fd1;
            let rest = io.stdin.take_all();
            status = self.on_suspend(r, |_| Frame::Pipe { stage: i, input: rest })?;
            input = Some(super::io::Input::new(out.into_iter().next().map(|s| s.buf).unwrap_or_default()));
        }
        io.stdin = saved_stdin;
        Ok(status)
    }

    fn run_for(&mut self, var: &str, items: Option<&[super::ast::Word]>, body: &Cmd, io: &mut Io) -> Res {
        let resumed = self.resumed(|f| match f {
            Frame::For { values, index, status } => Some((values, index, status)),
            _ => None,
        })?;
        let (values, first, mut status, mut in_body) = match resumed {
            Some((values, index, status)) => (values, index, status, true),
            None => {
                let values = match items {
                    Some(words) => self.expand_words(words, io)?,
                    None => self.env.args.clone(),
                };
                (values, 0, 0, false)
            }
        };
        for i in first..values.len() {
            if !std::mem::take(&mut in_body) {
                if let Err(e) = self.tick() {
                    return Err(self.mark(e, |_| Frame::For { values: values.clone(), index: i, status }));
                }
                self.set_var(var, values[i].clone());
            }
            match self.loop_body(body, &mut status, io) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(self.mark(e, |_| Frame::For { values: values.clone(), index: i, status })),
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
        let resumed = self.resumed(|f| match f {
            Frame::While { body, status } => Some((body, status)),
            _ => None,
        })?;
        let (mut in_body, mut status) = resumed.unwrap_or((false, 0));
        let mut resuming_cond = resumed.is_some() && !in_body;
        loop {
            if !std::mem::take(&mut in_body) {
                if !std::mem::take(&mut resuming_cond) {
                    if let Err(e) = self.tick() {
                        return Err(self.mark(e, |_| Frame::While { body: false, status }));
                    }
                }
                let r = self.run(cond, io);
                let c = self.on_suspend(r, |_| Frame::While { body: false, status })?;
                if (c == 0) == until {
                    break;
                }
            }
            match self.loop_body(body, &mut status, io) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(self.mark(e, |_| Frame::While { body: true, status })),
            }
        }
        Ok(status)
    }

    fn run_case(&mut self, word: &super::ast::Word, arms: &[(Vec<super::ast::Word>, Cmd)], io: &mut Io) -> Res {
        if let Some(arm) = self.resumed(|f| match f {
            Frame::Case { arm } => Some(arm),
            _ => None,
        })? {
            let Some((_, body)) = arms.get(arm) else { return Err(Flow::Abort("the process cannot resume")) };
            let r = self.run(body, io);
            return self.on_suspend(r, |_| Frame::Case { arm });
        }
        let subject = self.expand_word(word, io)?;
        for (arm, (pats, body)) in arms.iter().enumerate() {
            for p in pats {
                let pat = self.expand_pattern(p, io)?;
                if super::glob::matches(&pat, &subject) {
                    let r = self.run(body, io);
                    return self.on_suspend(r, |_| Frame::Case { arm });
                }
            }
        }
        Ok(0)
    }

    /// Runs a function with its own positional parameters.
    pub fn call_function(&mut self, body: &Cmd, argv: &[String], io: &mut Io) -> Res {
        self.enter()?;
        let args = self
            .resumed(|f| match f {
                Frame::Function { args } => Some(args),
                _ => None,
            })?
            .unwrap_or_else(|| argv[1..].to_vec());
        let saved = std::mem::replace(&mut self.env.args, args);
        let r = self.run(body, io);
        let r = self.on_suspend(r, |sh| Frame::Function { args: sh.env.args.clone() });
        self.env.args = saved;
        self.depth -= 1;
        match r {
            Err(Flow::Return(s)) => Ok(s),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)], exported: &[&str]) -> Env {
        Env {
            vars: vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            exported: exported.iter().map(|k| k.to_string()).collect(),
            cwd: "/".into(),
            ..Env::default()
        }
    }

    #[test]
    fn a_saved_environment_names_its_exports_only_when_some_variable_is_not_exported() {
        let all = env(&[("A", "1"), ("PATH", "/bin")], &["A", "PATH"]);
        let text = serde_json::to_string(&all).unwrap();
        assert!(!text.contains("exported"), "{text}");
        assert_eq!(serde_json::from_str::<Env>(&text).unwrap(), all);

        let some = env(&[("A", "1"), ("PATH", "/bin")], &["PATH"]);
        let text = serde_json::to_string(&some).unwrap();
        assert!(text.contains(r#""exported":["PATH"]"#), "{text}");
        assert_eq!(serde_json::from_str::<Env>(&text).unwrap(), some);

        let none = env(&[("A", "1")], &[]);
        assert_eq!(serde_json::from_str::<Env>(&serde_json::to_string(&none).unwrap()).unwrap(), none);
    }

    #[test]
    fn a_record_saved_with_its_export_list_reads_as_before() {
        let old = r#"{"vars":{"A":"1","B":"2"},"exported":["B"],"funcs":{},"args":[],"cwd":"/","errexit":false}"#;
        assert_eq!(serde_json::from_str::<Env>(old).unwrap(), env(&[("A", "1"), ("B", "2")], &["B"]));
        // Fields keep their order: a record that lists its exports is written as it always was.
        let text = serde_json::to_string(&env(&[("A", "1"), ("B", "2")], &["B"])).unwrap();
        assert_eq!(
            text,
            r#"{"vars":{"A":"1","B":"2"},"exported":["B"],"funcs":{},"args":[],"cwd":"/","errexit":false,"xtrace":false,"traps":{}}"#
        );
    }
}
