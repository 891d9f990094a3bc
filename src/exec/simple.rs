//! Simple commands: assignments, functions, shell builtins and programs found on PATH.

use super::ast::{Redir, Word};
use super::builtins;
use super::image::program_of;
use super::interp::{Res, Shell, ShellKind};
use super::io::Io;
use super::path;

/// What a command name refers to in the container.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// A program kstate simulates, by its name (`ls`, `dash`, ...).
    Program(String),
    /// A script file to run with the shell its `#!` line names.
    Script(String),
    NotFound,
    /// Exists but cannot run (a directory, no execute bit).
    Denied,
}

impl Shell<'_> {
    pub fn run_simple(
        &mut self,
        assigns: &[(String, Word)],
        words: &[Word],
        redirs: &[Redir],
        line: u32,
        io: &mut Io,
    ) -> Res {
        self.tick()?;
        self.line = line;
        self.subst_status = None;
        let argv = self.expand_words(words, io)?;
        let mut values = Vec::new();
        for (name, w) in assigns {
            values.push((name.clone(), self.expand_word(w, io)?));
        }
        let subst_status = self.subst_status;
        if self.env.xtrace {
            let trace = self.trace_line(&values, &argv);
            io.err(&trace);
        }
        if argv.len() == 1 && argv[0] == "exec" && !redirs.is_empty() && !self.env.funcs.contains_key("exec") {
            return self.exec_redirs(redirs, io);
        }
        self.with_redirs(redirs, io, |sh, io| {
            if argv.is_empty() {
                for (n, v) in values {
                    sh.set_var(&n, v);
                }
                return Ok(subst_status.unwrap_or(0));
            }
            sh.invoke(&argv, &values, io)
        })
    }

    /// What `set -x` writes for a command about to run, before its redirections: PS4, then the
    /// assignments and words as expanded. dash writes them as they are, busybox ash and bash
    /// single-quote those that need it; bash writes the assignments of a command on a line of
    /// their own and repeats PS4's first character once per command substitution or `eval`.
    fn trace_line(&self, assigns: &[(String, String)], argv: &[String]) -> String {
        let ps4 = self.var("PS4").unwrap_or("+ ").to_string();
        let prefix = match (self.kind, ps4.chars().next()) {
            (ShellKind::Bash, Some(c)) => {
                let extra: String = std::iter::repeat_n(c, self.trace_level.saturating_sub(1) as usize).collect();
                format!("{extra}{ps4}")
            }
            _ => ps4,
        };
        let quote = |w: &str, assignment: bool| match self.kind {
            ShellKind::Dash => w.to_string(),
            ShellKind::Ash => ash_quote(w),
            ShellKind::Bash => bash_quote(w, assignment),
        };
        if self.kind == ShellKind::Bash && argv.first().is_some_and(|w| w == "[[") {
            // bash traces a conditional expression by its operands, unquoted.
            return format!("{prefix}{} ]]\n", argv.join(" "));
        }
        let assigned: Vec<String> = assigns.iter().map(|(n, v)| format!("{n}={}", quote(v, true))).collect();
        let words: Vec<String> = argv.iter().map(|w| quote(w, false)).collect();
        if self.kind == ShellKind::Bash && !assigned.is_empty() && !words.is_empty() {
            return format!("{prefix}{}\n{prefix}{}\n", assigned.join(" "), words.join(" "));
        }
        let all: Vec<String> = assigned.into_iter().chain(words).collect();
        format!("{prefix}{}\n", all.join(" "))
    }

    fn invoke(&mut self, argv: &[String], assigns: &[(String, String)], io: &mut Io) -> Res {
        let name = argv[0].as_str();
        if let Some(body) = self.env.funcs.get(name).cloned() {
            return self.with_assigns(assigns, false, |sh| sh.call_function(&body, argv, io));
        }
        if let Some(b) = builtins::shell_builtin(name, self.kind) {
            let persist = builtins::is_special(name);
            return self.with_assigns(assigns, persist, |sh| b(sh, io, argv));
        }
        let found = self.find_program(name);
        if io.sinks.iter().skip(2).any(|s| s.held && !s.buf.is_empty()) {
            self.flush_file_sinks(io);
        }
        self.with_assigns(assigns, false, |sh| sh.exec_found(found, argv, io))
    }

    /// Runs what `find_program` found, reporting failures as the current shell does.
    pub fn exec_found(&mut self, found: Lookup, argv: &[String], io: &mut Io) -> Res {
        let name = argv[0].as_str();
        match found {
            Lookup::Program(prog) => self.run_program(&prog, argv, io),
            Lookup::Script(p) => self.run_script_file(&p, argv, io),
            Lookup::NotFound => {
                let msg = match self.kind {
                    ShellKind::Bash if name.contains('/') => format!("{name}: No such file or directory"),
                    ShellKind::Bash => format!("{name}: command not found"),
                    _ => format!("{name}: not found"),
                };
                io.err(&self.diag(&msg));
                Ok(127)
            }
            Lookup::Denied => {
                io.err(&self.diag(&format!("{name}: Permission denied")));
                Ok(126)
            }
        }
    }

    /// Applies `NAME=value` prefixes: for the command's duration, or for good before special builtins.
    fn with_assigns(&mut self, assigns: &[(String, String)], persist: bool, f: impl FnOnce(&mut Self) -> Res) -> Res {
        if persist || assigns.is_empty() {
            for (n, v) in assigns {
                self.set_var(n, v.clone());
            }
            return f(self);
        }
        let saved: Vec<_> = assigns
            .iter()
            .map(|(n, _)| (n.clone(), self.env.vars.get(n).cloned(), self.env.exported.contains(n)))
            .collect();
        for (n, v) in assigns {
            self.set_var(n, v.clone());
            self.env.exported.insert(n.clone());
        }
        let r = f(self);
        for (n, old, exported) in saved {
            match old {
                Some(v) => self.env.vars.insert(n.clone(), v),
                None => self.env.vars.remove(&n),
            };
            if !exported {
                self.env.exported.remove(&n);
            }
        }
        r
    }

    /// Looks a command name up as `execvp` would: a name with a slash is a path, others are
    /// searched in `$PATH`.
    pub fn find_program(&mut self, name: &str) -> Lookup {
        if name.is_empty() {
            return Lookup::NotFound;
        }
        let cwd = self.env.cwd.clone();
        if name.contains('/') {
            return self.check_program(&cwd, name, name);
        }
        let path_var = self.var("PATH").unwrap_or_default().to_string();
        // A process in cluster time runs the same programs over and over: PATH is searched once
        // per name (a script that installs programs into PATH as it runs is not seen).
        let cache_key = (name.to_string(), path_var.clone());
        if let Some(found) = self.timed.as_ref().and_then(|t| t.programs.get(&cache_key)) {
            return found.clone();
        }
        let found = self.search_path(&cwd, &path_var, name);
        if let Some(t) = self.timed.as_mut() {
            t.programs.insert(cache_key, found.clone());
        }
        found
    }

    fn search_path(&mut self, cwd: &str, path_var: &str, name: &str) -> Lookup {
        for dir in path_var.split(':') {
            let dir = if dir.is_empty() { "." } else { dir };
            let candidate = format!("{dir}/{name}");
            match self.check_program(cwd, &candidate, name) {
                Lookup::NotFound => continue,
                found => return found,
            }
        }
        Lookup::NotFound
    }

    fn check_program(&mut self, cwd: &str, candidate: &str, name: &str) -> Lookup {
        let Ok((p, entry)) = self.fs.stat(cwd, candidate) else { return Lookup::NotFound };
        if entry.is_dir() {
            return if name.contains('/') { Lookup::Denied } else { Lookup::NotFound };
        }
        match program_of(&entry) {
            // busybox decides what to be from the name it was started by.
            Some(prog) if prog == "busybox" => Lookup::Program(path::base(candidate).to_string()),
            Some(prog) => Lookup::Program(prog),
            None if entry.mode & 0o111 == 0 => Lookup::Denied,
            None => Lookup::Script(p),
        }
    }

    /// A program: one of the shells, or a utility.
    pub fn run_program(&mut self, prog: &str, argv: &[String], io: &mut Io) -> Res {
        let kind = match (prog, self.flavor) {
            ("bash", _) => Some(ShellKind::Bash),
            ("dash", _) => Some(ShellKind::Dash),
            ("sh" | "ash", super::image::Flavor::Busybox) => Some(ShellKind::Ash),
            ("sh", _) => Some(ShellKind::Dash),
            _ => None,
        };
        if let Some(kind) = kind {
            return self.run_shell(kind, argv, io);
        }
        match builtins::utility(prog) {
            Some(b) => {
                self.tick()?;
                b(self, io, argv)
            }
            None => {
                // A program the image has but kstate does not simulate (nginx, busybox itself).
                io.err(&format!("{prog}: this program is not simulated by kstate\n"));
                Ok(126)
            }
        }
    }

    /// A script file: runs its `#!` interpreter if that is a shell we simulate.
    fn run_script_file(&mut self, p: &str, argv: &[String], io: &mut Io) -> Res {
        let cwd = self.env.cwd.clone();
        let data = self.fs.read(&cwd, p).unwrap_or_default();
        let first = String::from_utf8_lossy(data.split(|b| *b == b'\n').next().unwrap_or_default()).to_string();
        let interp = first.strip_prefix("#!").map(|s| s.split_whitespace().next().unwrap_or("").to_string());
        let interp = interp.unwrap_or_else(|| "/bin/sh".to_string());
        let mut args = vec![interp.clone(), p.to_string()];
        args.extend(argv[1..].iter().cloned());
        match self.find_program(&interp) {
            Lookup::Program(prog) => self.run_program(&prog, &args, io),
            _ => {
                io.err(&self.diag(&format!("{}: not found", argv[0])));
                Ok(127)
            }
        }
    }

    /// The error kubectl shows when the runtime cannot start the command at all.
    pub fn start_error(&self, name: &str, found: &Lookup) -> String {
        let why = match found {
            Lookup::Denied => "permission denied".to_string(),
            _ => "executable file not found in $PATH".to_string(),
        };
        let why = if name.contains('/') && !matches!(found, Lookup::Denied) {
            format!("stat {name}: no such file or directory")
        } else {
            why
        };
        format!(
            "error: Internal error occurred: error executing command in container: failed to exec in container: \
             failed to start exec \"{}\": OCI runtime exec failed: exec failed: unable to start container process: \
             exec: \"{name}\": {why}: unknown\n",
            exec_id(self.fs.c)
        )
    }
}

/// A stable 64-hex-digit exec id (containerd's are random; ours derive from the pod and time).
fn exec_id(c: &super::Container) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in c.pod_name.bytes().chain(c.namespace.bytes()).chain(c.now.to_le_bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    (0..4).map(|i| format!("{:016x}", h.rotate_left(i * 16).wrapping_mul(0x9E37_79B9_7F4A_7C15))).collect()
}

/// `'...'` around `w`, a `'` inside written as `'"'"'` (busybox) or `'\''` (bash).
fn single_quote(w: &str, quote_in_quotes: &str) -> String {
    format!("'{}'", w.replace('\'', quote_in_quotes))
}

/// busybox ash's `maybe_single_quote`: quoted when a byte is outside `+,-./0-9:@A-Z]^_a-z`,
/// or when the word is a reserved word.
fn ash_quote(w: &str) -> String {
    let plain = |b: u8| b >= b'+' && !(b';'..=b'?').contains(&b) && b != b'`' && b != b'[' && b != b'\\' && b <= b'z';
    const RESERVED: &[&str] =
        &["case", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if", "in", "then", "until", "while"];
    if w.bytes().all(plain) && !RESERVED.contains(&w) {
        w.to_string()
    } else {
        // The quote ends the last piece: no empty `''` after it.
        let q = single_quote(w, "'\"'\"'");
        match w.ends_with('\'') {
            true => q[..q.len() - 2].to_string(),
            false => q,
        }
    }
}

/// bash's xtrace quoting: `''` for an empty word (not for an empty assigned value), single
/// quotes around a word holding a shell metacharacter, `$'...'` around control characters.
fn bash_quote(w: &str, assignment: bool) -> String {
    if w.is_empty() {
        return if assignment { String::new() } else { "''".to_string() };
    }
    let meta = w.char_indices().any(|(i, c)| match c {
        ' ' | '\t' | '\n' | '\'' | '"' | '\\' | '|' | '&' | ';' | '(' | ')' | '<' | '>' | '!' | '{' | '}' | '*'
        | '[' | '?' | ']' | '^' | '$' | '`' => true,
        '~' => i == 0 || matches!(w[..i].chars().last(), Some('=' | ':')),
        '#' => i == 0,
        _ => false,
    });
    if meta {
        return single_quote(w, "'\\''");
    }
    if w.chars().any(|c| c.is_control()) {
        let body: String =
            w.chars().map(|c| if c.is_control() { format!("\\{:03o}", c as u32) } else { c.to_string() }).collect();
        return format!("$'{body}'");
    }
    w.to_string()
}
