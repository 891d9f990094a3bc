//! An interactive shell session (`kstate exec -it POD -- sh` on a terminal): the shell reads one
//! line at a time, runs it, and prints its prompt again; `exit` or end of input ends it. The
//! shell's state (variables, functions, working directory) lives in the session between lines,
//! so each line can run in its own short transaction and never holds the cluster for long.

use super::interp::{Env, Flow, Shell, ShellKind};
use super::io::Io;
use super::{fs, image, normalized, Backing, Container, Network, Output, MAX_OUTPUT_BYTES};

/// One interactive shell.
pub struct Session {
    kind: ShellKind,
    /// `$0` and the name in diagnostics.
    name: String,
    env: Option<Env>,
    line: u32,
    status: i32,
    /// Set once the shell ran `exit`: its status.
    pub exited: Option<i32>,
}

impl Session {
    /// A session of the shell `program` (`sh`, `bash`, `ash`, `/bin/sh`...) in an image of
    /// `flavor`, or `None` when the program is not a shell kstate simulates.
    pub fn start(c: &Container, program: &str) -> Option<Session> {
        let name = program.rsplit('/').next().unwrap_or(program);
        let busybox = image::image_for(c).flavor == image::Flavor::Busybox;
        let kind = match name {
            "bash" => ShellKind::Bash,
            "sh" | "ash" if busybox => ShellKind::Ash,
            "sh" | "dash" => ShellKind::Dash,
            _ => return None,
        };
        Some(Session { kind, name: program.to_string(), env: None, line: 0, status: 0, exited: None })
    }

    /// The prompt the shell prints before reading a line (root's, as the images run as root).
    pub fn prompt(&self, c: &Container) -> String {
        let cwd = self.env.as_ref().map(|e| e.cwd.clone()).unwrap_or_else(|| image::image_for(c).workdir.clone());
        let sign = if c.uid == 0 { '#' } else { '$' };
        match self.kind {
            ShellKind::Ash => format!("{cwd} {sign} "),
            ShellKind::Dash => format!("{sign} "),
            ShellKind::Bash => {
                let user = if c.uid == 0 { "root".to_string() } else { "I have no name!".to_string() };
                format!("{user}@{}:{cwd}{sign} ", c.hostname)
            }
        }
    }

    /// Runs one line typed at the prompt.
    pub fn run_line(
        &mut self,
        backing: &mut dyn Backing,
        c: &Container,
        net: Option<&dyn Network>,
        text: &str,
    ) -> Output {
        let c = normalized(c);
        let fs = fs::Fs::new(backing, &c, image::image_for(&c));
        let mut sh = Shell::new(fs, net);
        sh.kind = self.kind;
        sh.name = self.name.clone();
        if let Some(env) = self.env.take() {
            sh.env = env;
        }
        self.line += 1;
        sh.line = self.line;
        sh.status = self.status;
        let mut io = Io::new(&[], MAX_OUTPUT_BYTES);
        let r = match super::parser::parse(text) {
            Ok(cmd) => sh.run(&cmd, &mut io),
            Err(_) => sh.run_source(text, &mut io),
        };
        let code = match r {
            Ok(s) | Err(Flow::Return(s)) => s,
            Err(Flow::Exit(s)) => {
                self.exited = Some(s);
                s
            }
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) | Err(Flow::Suspend) => 0,
            Err(Flow::Abort(why)) => {
                io.err(&format!("kstate: command stopped: {why}\n"));
                super::KILLED_CODE
            }
        };
        self.status = code;
        self.env = Some(std::mem::take(&mut sh.env));
        let main_signal = sh.main_signal.take();
        let mut sinks = io.sinks.into_iter();
        let stdout = sinks.next().map(|s| s.buf).unwrap_or_default();
        let stderr = sinks.next().map(|s| s.buf).unwrap_or_default();
        Output { stdout, stderr, code, main_signal }
    }

    /// Whether `text` is an unfinished command (an open `if`, loop, quote or `\` continuation):
    /// the shell then prints its secondary prompt (`> `) and reads another line.
    pub fn incomplete(text: &str) -> bool {
        let continued = text.trim_end_matches('\n').ends_with('\\');
        continued
            || matches!(
                super::parser::parse(text),
                Err((super::parser::PErr::Eof(_) | super::parser::PErr::Unterminated, _))
            )
    }

    /// The status the session ends with (`exit N`, or the last command's at end of input).
    pub fn status(&self) -> i32 {
        self.exited.unwrap_or(self.status)
    }

    /// The container's main process ended: the kernel kills every other process of the
    /// container, this shell with them (SIGKILL, 128 + 9).
    pub fn killed(&mut self) {
        self.exited = Some(super::KILLED_CODE);
    }
}
