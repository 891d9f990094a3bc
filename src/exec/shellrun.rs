//! Starting a shell program (`sh -c '...'`, `bash script.sh`, `sh < script`).

use super::interp::{Env, Flow, Res, Shell, ShellKind};
use super::io::Io;
use super::parser::{self, PErr};
use super::timed::Frame;

impl Shell<'_> {
    /// Runs `argv` as the shell `kind` would: options, then `-c STRING [NAME [ARGS]]`, a script
    /// file, or the script on standard input.
    pub fn run_shell(&mut self, kind: ShellKind, argv: &[String], io: &mut Io) -> Res {
        let argv0 = argv[0].clone();
        let (mut cmd_mode, mut errexit, mut xtrace, mut i) = (false, false, false, 1);
        while let Some(a) = argv.get(i) {
            if a == "--" {
                i += 1;
                break;
            }
            if !a.starts_with('-') || a.len() < 2 {
                break;
            }
            for ch in a[1..].chars() {
                match ch {
                    'c' => cmd_mode = true,
                    'e' => errexit = true,
                    'x' => xtrace = true,
                    'u' | 's' | 'i' | 'l' | 'f' | 'v' => {}
                    other => {
                        io.err(&shell_usage(kind, &argv0, &format!("Illegal option -{other}")));
                        return Ok(2);
                    }
                }
            }
            i += 1;
        }
        let (script, name, args) = if cmd_mode {
            let Some(script) = argv.get(i) else {
                io.err(&shell_usage(kind, &argv0, "-c requires an argument"));
                return Ok(2);
            };
            let name = argv.get(i + 1).cloned().unwrap_or(argv0.clone());
            (script.clone(), name, argv.get(i + 2..).unwrap_or_default().to_vec())
        } else if let Some(file) = argv.get(i) {
            let cwd = self.env.cwd.clone();
            match self.fs.read(&cwd, file) {
                Ok(d) => (String::from_utf8_lossy(&d).to_string(), file.clone(), argv[i + 1..].to_vec()),
                Err(e) => {
                    let msg = match kind {
                        ShellKind::Dash => format!("{argv0}: 0: cannot open {file}: No such file\n"),
                        ShellKind::Bash => format!("{argv0}: {file}: {e}\n"),
                        ShellKind::Ash => format!("{argv0}: can't open '{file}': {e}\n"),
                    };
                    io.err(&msg);
                    return Ok(if kind == ShellKind::Bash { 127 } else { 2 });
                }
            }
        } else {
            (String::from_utf8_lossy(&io.stdin.take_all()).to_string(), argv0.clone(), Vec::new())
        };
        self.child_shell(kind, &name, args, (errexit, xtrace), &script, io)
    }

    /// A new shell process: only exported variables and the working directory carry over.
    fn child_shell(
        &mut self,
        kind: ShellKind,
        name: &str,
        args: Vec<String>,
        (errexit, xtrace): (bool, bool),
        script: &str,
        io: &mut Io,
    ) -> Res {
        self.enter()?;
        let resumed = self.resumed(|f| match f {
            Frame::Shell { env, kind, name, line, status } => Some((env, kind, name, line, status)),
            _ => None,
        })?;
        let exported = self.env.exported.clone();
        let vars = self.env.vars.iter().filter(|(k, _)| exported.contains(*k)).map(|(k, v)| (k.clone(), v.clone()));
        let env = Env {
            vars: vars.collect(),
            exported,
            funcs: Default::default(),
            args,
            cwd: self.env.cwd.clone(),
            errexit,
            xtrace,
            traps: Default::default(),
            exec_redirs: Vec::new(),
            jobs: Default::default(),
            last_job: None,
        };
        let saved_env = std::mem::replace(&mut self.env, env);
        let saved = (self.kind, std::mem::replace(&mut self.name, name.to_string()), self.line, self.status);
        self.kind = kind;
        self.status = 0;
        let resumed_shell = resumed.is_some();
        if let Some((env, kind, name, line, status)) = resumed {
            (self.env, self.kind, self.name, self.line, self.status) = (*env, kind, name, line, status);
        }
        // What `exec` redirects lasts as long as this shell.
        let scope = super::redir::Saved::scope(io);
        if resumed_shell {
            self.reopen_exec_redirs(io);
        }
        let r = self.run_source(script, io);
        self.close_redirs(scope, io);
        let r = self.on_suspend(r, |sh| Frame::Shell {
            env: Box::new(sh.env.clone()),
            kind: sh.kind,
            name: sh.name.clone(),
            line: sh.line,
            status: sh.status,
        });
        self.env = saved_env;
        (self.kind, self.name, self.line, self.status) = saved;
        self.depth -= 1;
        r
    }

    /// Parses and runs a script in the current shell.
    pub fn run_source(&mut self, script: &str, io: &mut Io) -> Res {
        let parsed = parser::parse_shared(script);
        let cmd = match parsed.as_ref() {
            Ok(c) => c,
            Err((e, line)) => {
                self.line = *line;
                io.err(&self.syntax_error(e));
                return Ok(2);
            }
        };
        match self.run(cmd, io) {
            Ok(s) | Err(Flow::Exit(s)) | Err(Flow::Return(s)) => Ok(s),
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => Ok(self.status),
            Err(a) => Err(a),
        }
    }

    fn syntax_error(&self, e: &PErr) -> String {
        let quoted = |t: &str| if t == "newline" || t == "end of file" { t.to_string() } else { format!("\"{t}\"") };
        match self.kind {
            ShellKind::Dash => self.diag(&match e {
                PErr::Eof(Some(w)) => format!("Syntax error: end of file unexpected (expecting \"{w}\")"),
                PErr::Eof(None) => "Syntax error: end of file unexpected".into(),
                PErr::Unexpected(t) => format!("Syntax error: {} unexpected", quoted(t)),
                PErr::Unterminated => "Syntax error: Unterminated quoted string".into(),
                PErr::BadSubst => "Syntax error: Bad substitution".into(),
                PErr::TooDeep => "Syntax error: nesting too deep".into(),
            }),
            ShellKind::Bash => match e {
                PErr::Eof(_) | PErr::Unterminated => self.diag("syntax error: unexpected end of file"),
                PErr::Unexpected(t) => self.diag(&format!("syntax error near unexpected token `{t}'")),
                PErr::BadSubst => self.diag("bad substitution"),
                PErr::TooDeep => self.diag("syntax error: nesting too deep"),
            },
            ShellKind::Ash => self.diag(&match e {
                PErr::Eof(Some(w)) => format!("syntax error: unexpected end of file (expecting \"{w}\")"),
                PErr::Eof(None) => "syntax error: unexpected end of file".into(),
                PErr::Unexpected(t) => format!("syntax error: unexpected {}", quoted(t)),
                PErr::Unterminated => "syntax error: unterminated quoted string".into(),
                PErr::BadSubst => "syntax error: bad substitution".into(),
                PErr::TooDeep => "syntax error: nesting too deep".into(),
            }),
        }
    }
}

fn shell_usage(kind: ShellKind, argv0: &str, msg: &str) -> String {
    match kind {
        ShellKind::Dash => format!("{argv0}: 0: {msg}\n"),
        _ => format!("{argv0}: {msg}\n"),
    }
}
