//! `awk`: mawk in Debian images, busybox's awk in busybox images. A subset of POSIX awk:
//! patterns (`BEGIN`, `END`, expressions, `/re/`, ranges), fields and `-F`, `-v`, variables,
//! arrays, the usual statements, user functions, `print`/`printf` (also `> file`, `>> file`),
//! `getline` (`getline [VAR]`, `getline [VAR] < FILE`, `CMD | getline [VAR]`) and the string
//! and arithmetic builtins. Output pipes and `nextfile` are refused with a message saying so
//! (exit 2).

mod lex;
mod parse;
mod value;

use std::collections::HashMap;

use super::super::interp::{Flow, Res, Shell};
use super::super::io::Io;
use super::regex::Regex;
use super::{gnu, open_arg, put};
use parse::{Expr, GetSource, PErr, Pattern, Program, Stmt};
use std::collections::VecDeque;
use value::{c_format, Val};

/// Statements and expressions one awk run may evaluate (a loop that never ends is stopped).
const MAX_AWK_STEPS: u64 = 20_000_000;
/// Nested user-function calls.
const MAX_CALL_DEPTH: usize = 200;
/// Bytes of output (and of one string) an awk run may build.
const MAX_AWK_BYTES: usize = 64 << 20;

#[derive(Debug, Clone)]
enum Cell {
    Scalar(Val),
    Array(HashMap<String, Val>),
    /// A function parameter bound to the caller's array.
    Alias(usize, String),
}

/// How a statement ended other than by finishing.
enum Jump {
    Next,
    Exit(i32),
    Return(Val),
    Break,
    Continue,
    /// A runtime error: message (after `awk: `), exit 2.
    Error(String),
    /// The shell's own stop (a bound, a closed output).
    Flow(Flow),
}

type Ex<T> = Result<T, Jump>;

struct Awk<'p> {
    prog: &'p Program,
    globals: HashMap<String, Cell>,
    /// Function frames: locals, innermost last.
    frames: Vec<HashMap<String, Cell>>,
    fields: Vec<String>,
    /// `$0` changed (fields to split again) or a field changed (`$0` to join again).
    record: String,
    nf: usize,
    regexes: HashMap<String, Regex>,
    out: Vec<u8>,
    files: Vec<(String, bool, Vec<u8>)>,
    steps: u64,
    range_on: Vec<bool>,
    busybox: bool,
    rand_seed: f64,
    rand_state: u64,
    /// Records of the main input not read yet (plain `getline` takes from here).
    pending: VecDeque<String>,
    /// Standard input read by a `getline` in BEGIN, for the main loop to go on with.
    preloaded: Option<VecDeque<String>>,
    main_started: bool,
    has_files: bool,
    /// `getline < FILE` and `CMD | getline`: what each still has to give.
    readers: HashMap<String, VecDeque<String>>,
    commands: HashMap<String, VecDeque<String>>,
}

/// The awk program's name in messages: `awk` for both mawk (as invoked) and busybox.
const NAME: &str = "awk";

pub fn awk(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let busybox = !gnu(sh);
    let mut fs: Option<String> = None;
    let mut assigns: Vec<(String, String)> = Vec::new();
    let mut program: Option<String> = None;
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        i += 1;
        let (flag, rest) = a[1..].split_at(1.min(a.len() - 1));
        let mut value = || -> Option<String> {
            if !rest.is_empty() {
                return Some(rest.to_string());
            }
            let v = argv.get(i).cloned();
            i += 1;
            v
        };
        match flag {
            "F" => fs = value(),
            "v" => match value().and_then(|v| v.split_once('=').map(|(a, b)| (a.to_string(), b.to_string()))) {
                Some(kv) => assigns.push(kv),
                None => return usage(io, busybox, "improper assignment: -v"),
            },
            "f" => {
                let Some(file) = value() else { return usage(io, busybox, "option requires an argument -- f") };
                match open_arg(sh, io, &file) {
                    Ok(s) => program = Some(String::from_utf8_lossy(&s.into_bytes()).into_owned()),
                    Err(e) => {
                        io.err(&format!("{NAME}: couldn't open file {file}: {e}\n"));
                        return Ok(2);
                    }
                }
            }
            "W" | "-" => {
                let _ = value();
            }
            _ => return usage(io, busybox, &format!("not an option: {a}")),
        }
    }
    let program = match program {
        Some(p) => p,
        None => match argv.get(i) {
            Some(p) => {
                i += 1;
                p.clone()
            }
            None => return usage(io, busybox, "no program"),
        },
    };
    let parsed = lex::lex(&program).map_err(|(line, msg)| PErr::Syntax(line, msg)).and_then(parse::parse);
    let prog = match parsed {
        Ok(p) => p,
        Err(PErr::Syntax(line, msg)) => {
            let text = if busybox {
                format!("{NAME}: cmd. line:{line}: {}\n", busybox_syntax(&msg))
            } else {
                format!("{NAME}: line {line}: {msg}\n")
            };
            io.err(&text);
            return Ok(2);
        }
        Err(PErr::Unsupported(line, what)) => {
            io.err(&format!("{NAME}: line {line}: {what} is not supported by kstate's awk\n"));
            return Ok(2);
        }
    };
    let operands: Vec<String> = argv[i..].to_vec();
    let mut a = Awk {
        prog: &prog,
        globals: HashMap::new(),
        frames: Vec::new(),
        fields: Vec::new(),
        record: String::new(),
        nf: 0,
        regexes: HashMap::new(),
        out: Vec::new(),
        files: Vec::new(),
        steps: 0,
        range_on: vec![false; prog.rules.len()],
        busybox,
        rand_seed: 0.0,
        rand_state: 0x2545_f491_4f6c_dd1d,
        pending: VecDeque::new(),
        preloaded: None,
        main_started: false,
        has_files: operands.iter().any(|o| !is_assignment(o)),
        readers: HashMap::new(),
        commands: HashMap::new(),
    };
    a.init_vars(sh, fs, &assigns, &operands);
    let status = a.run(sh, io, &operands);
    let status = match status {
        Ok(s) => s,
        Err(Jump::Error(msg)) => {
            let _ = a.flush(io);
            io.err(&format!("{NAME}: {msg}\n"));
            2
        }
        Err(Jump::Flow(f)) => return Err(f),
        Err(_) => 0,
    };
    if let Err(code) = a.flush(io) {
        return Ok(code);
    }
    a.write_files(sh, io);
    Ok(status)
}

fn usage(io: &mut Io, busybox: bool, msg: &str) -> Res {
    if busybox {
        io.err(&format!("{NAME}: {msg}\nBusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n"));
        return Ok(1);
    }
    io.err(&format!("{NAME}: {msg}\nusage: mawk [-F value] [-v var=value] [--] 'program text' [file ...]\n"));
    Ok(2)
}

/// busybox says `Unexpected token` where mawk names the token.
fn busybox_syntax(msg: &str) -> String {
    if msg.starts_with("syntax error") {
        "Unexpected token".to_string()
    } else {
        msg.to_string()
    }
}

impl Awk<'_> {
    fn init_vars(&mut self, sh: &Shell, fs: Option<String>, assigns: &[(String, String)], operands: &[String]) {
        let set = |g: &mut HashMap<String, Cell>, k: &str, v: Val| {
            g.insert(k.to_string(), Cell::Scalar(v));
        };
        let fs = fs.map(|f| if f == "t" { "\t".to_string() } else { unescape(&f) });
        set(&mut self.globals, "FS", Val::Str(fs.unwrap_or_else(|| " ".into())));
        set(&mut self.globals, "OFS", Val::Str(" ".into()));
        set(&mut self.globals, "ORS", Val::Str("\n".into()));
        set(&mut self.globals, "RS", Val::Str("\n".into()));
        set(&mut self.globals, "SUBSEP", Val::Str("\x1c".into()));
        set(&mut self.globals, "CONVFMT", Val::Str("%.6g".into()));
        set(&mut self.globals, "OFMT", Val::Str("%.6g".into()));
        set(&mut self.globals, "NR", Val::Num(0.0));
        set(&mut self.globals, "FNR", Val::Num(0.0));
        set(&mut self.globals, "RSTART", Val::Num(0.0));
        set(&mut self.globals, "RLENGTH", Val::Num(-1.0));
        set(&mut self.globals, "FILENAME", Val::Str(String::new()));
        let env: HashMap<String, Val> =
            super::sys::environment(sh).into_iter().map(|(k, v)| (k, Val::StrNum(v))).collect();
        self.globals.insert("ENVIRON".into(), Cell::Array(env));
        let mut args: HashMap<String, Val> = HashMap::new();
        args.insert("0".into(), Val::Str(NAME.into()));
        for (n, o) in operands.iter().enumerate() {
            args.insert((n + 1).to_string(), Val::StrNum(o.clone()));
        }
        self.globals.insert("ARGV".into(), Cell::Array(args));
        set(&mut self.globals, "ARGC", Val::Num((operands.len() + 1) as f64));
        for (k, v) in assigns {
            set(&mut self.globals, k, Val::StrNum(unescape(v)));
        }
    }

    fn run(&mut self, sh: &mut Shell, io: &mut Io, operands: &[String]) -> Ex<i32> {
        let prog = self.prog;
        let has_main = prog.rules.iter().any(|(p, _)| !matches!(p, Pattern::Begin));
        for (p, action) in &prog.rules {
            if let (Pattern::Begin, Some(body)) = (p, action) {
                match self.exec_block(body, sh, io) {
                    Err(Jump::Exit(s)) => return self.end(sh, io, s, true),
                    Err(Jump::Next) => return Err(Jump::Error("improper use of next".into())),
                    r => r?,
                }
            }
        }
        if has_main {
            let files: Vec<String> = if operands.iter().any(|o| !is_assignment(o)) {
                operands.to_vec()
            } else {
                let mut v = operands.to_vec();
                v.push("-".into());
                v
            };
            for f in files {
                if let Some((k, v)) = f.split_once('=').filter(|_| is_assignment(&f)) {
                    self.set_var(k, Val::StrNum(unescape(v)))?;
                    continue;
                }
                self.main_started = true;
                if f == "-" {
                    if let Some(pre) = self.preloaded.take() {
                        self.pending = pre;
                        if let Some(status) = self.main_loop(sh, io)? {
                            return Ok(status);
                        }
                        continue;
                    }
                }
                let data = match open_arg(sh, io, &f) {
                    Ok(s) => s.into_bytes(),
                    Err(e) => {
                        self.flush(io).map_err(|c| Jump::Error(format!("write error ({c})")))?;
                        let msg = if self.busybox {
                            format!("{NAME}: {f}: {e}\n")
                        } else {
                            format!("{NAME}: cannot open \"{f}\" (No such file or directory)\n")
                        };
                        io.err(&msg);
                        return Ok(2);
                    }
                };
                self.set_var("FILENAME", Val::Str(if f == "-" { String::new() } else { f.clone() }))?;
                self.set_var("FNR", Val::Num(0.0))?;
                let text = String::from_utf8_lossy(&data).into_owned();
                self.pending = self.records(&text).into();
                if let Some(status) = self.main_loop(sh, io)? {
                    return Ok(status);
                }
            }
        }
        self.end(sh, io, 0, true)
    }

    /// Runs the rules on each pending record; `Some` when an `exit` ended the program.
    fn main_loop(&mut self, sh: &mut Shell, io: &mut Io) -> Ex<Option<i32>> {
        while let Some(rec) = self.pending.pop_front() {
            self.count_record(true)?;
            self.set_record(rec);
            match self.rules(sh, io) {
                Ok(()) | Err(Jump::Next) => {}
                Err(Jump::Exit(s)) => return self.end(sh, io, s, true).map(Some),
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }

    fn count_record(&mut self, fnr: bool) -> Ex<()> {
        let nr = self.get_var("NR").num() + 1.0;
        self.set_var("NR", Val::Num(nr))?;
        if fnr {
            let n = self.get_var("FNR").num() + 1.0;
            self.set_var("FNR", Val::Num(n))?;
        }
        Ok(())
    }

    /// `getline` in its three forms: 1 with a record, 0 at the end, -1 when the file cannot be
    /// opened.
    fn getline(&mut self, var: &Option<Box<Expr>>, src: &GetSource, sh: &mut Shell, io: &mut Io) -> Ex<Val> {
        let convfmt = self.get_var("CONVFMT").str("%.6g");
        let (rec, counts) = match src {
            GetSource::Input => {
                if self.pending.is_empty() && !self.main_started && !self.has_files && self.preloaded.is_none() {
                    // In BEGIN: read standard input now; the main loop goes on from here.
                    let text = String::from_utf8_lossy(&io.stdin.take_all()).into_owned();
                    self.preloaded = Some(self.records(&text).into());
                }
                let rec = match self.preloaded.as_mut() {
                    Some(pre) if !self.main_started => pre.pop_front(),
                    _ => self.pending.pop_front(),
                };
                (rec, Some(true))
            }
            GetSource::File(e) => {
                let name = self.eval(e, sh, io)?.str(&convfmt);
                if !self.readers.contains_key(&name) {
                    let Ok(source) = open_arg(sh, io, &name) else { return Ok(Val::Num(-1.0)) };
                    let text = String::from_utf8_lossy(&source.into_bytes()).into_owned();
                    let recs = self.records(&text).into();
                    self.readers.insert(name.clone(), recs);
                }
                (self.readers.get_mut(&name).and_then(VecDeque::pop_front), None)
            }
            GetSource::Command(e) => {
                let cmd = self.eval(e, sh, io)?.str(&convfmt);
                if !self.commands.contains_key(&cmd) {
                    let out = self.capture(&cmd, sh, io)?;
                    let recs = self.records(&out).into();
                    self.commands.insert(cmd.clone(), recs);
                }
                (self.commands.get_mut(&cmd).and_then(VecDeque::pop_front), Some(false))
            }
        };
        let Some(rec) = rec else { return Ok(Val::Num(0.0)) };
        if let Some(fnr) = counts {
            self.count_record(fnr)?;
        }
        match var {
            Some(v) => self.assign(v, Val::StrNum(rec), sh, io)?,
            None => self.set_record(rec),
        }
        Ok(Val::Num(1.0))
    }

    /// Runs `sh -c CMD` and returns what it wrote to stdout (its stderr goes to awk's).
    fn capture(&mut self, cmd: &str, sh: &mut Shell, io: &mut Io) -> Ex<String> {
        use super::super::errno::Errno;
        use super::super::io::Sink;
        self.flush(io).map_err(|c| Jump::Flow(Flow::Exit(c)))?;
        let mark = io.sinks.len();
        let saved = io.fds[1];
        io.fds[1] = Some(io.push(Sink::buffer(super::super::MAX_PIPE_BYTES, Errno::Pipe)));
        let argv = vec!["sh".to_string(), "-c".to_string(), cmd.to_string()];
        let found = sh.find_program("sh");
        let r = sh.exec_found(found, &argv, io);
        let out = io.pop_to(mark);
        io.fds[1] = saved;
        match r {
            Ok(_) | Err(Flow::Exit(_)) => {}
            Err(f) => return Err(Jump::Flow(f)),
        }
        Ok(out.into_iter().next().map(|s| String::from_utf8_lossy(&s.buf).into_owned()).unwrap_or_default())
    }

    /// Runs the END actions (an `exit` in them ends at once).
    fn end(&mut self, sh: &mut Shell, io: &mut Io, status: i32, run_end: bool) -> Ex<i32> {
        if !run_end {
            return Ok(status);
        }
        let prog = self.prog;
        let mut status = status;
        for (p, action) in &prog.rules {
            if let (Pattern::End, Some(body)) = (p, action) {
                match self.exec_block(body, sh, io) {
                    Err(Jump::Exit(s)) => return Ok(s),
                    Err(Jump::Next) => return Err(Jump::Error("improper use of next".into())),
                    Err(e) => return Err(e),
                    Ok(()) => {}
                }
            }
        }
        status = status.max(0);
        Ok(status)
    }

    fn records(&self, text: &str) -> Vec<String> {
        let rs = self.get_var("RS").str("%.6g");
        if rs.is_empty() {
            // Paragraph mode: records are separated by blank lines; newline also splits fields.
            return text.split("\n\n").map(|r| r.trim_matches('\n').to_string()).filter(|r| !r.is_empty()).collect();
        }
        let sep = if rs == "\n" { "\n".to_string() } else { rs.chars().next().unwrap_or('\n').to_string() };
        let mut v: Vec<String> = text.split(sep.as_str()).map(str::to_string).collect();
        if v.last().is_some_and(String::is_empty) {
            v.pop();
        }
        v
    }

    fn rules(&mut self, sh: &mut Shell, io: &mut Io) -> Ex<()> {
        let prog = self.prog;
        for (n, (p, action)) in prog.rules.iter().enumerate() {
            let hit = match p {
                Pattern::Begin | Pattern::End => continue,
                Pattern::All => true,
                Pattern::Expr(e) => self.eval(e, sh, io)?.truthy(),
                Pattern::Range(a, b) => {
                    if self.range_on[n] {
                        if self.eval(b, sh, io)?.truthy() {
                            self.range_on[n] = false;
                        }
                        true
                    } else if self.eval(a, sh, io)?.truthy() {
                        self.range_on[n] = !self.eval(b, sh, io)?.truthy();
                        true
                    } else {
                        false
                    }
                }
            };
            if !hit {
                continue;
            }
            match action {
                Some(body) => self.exec_block(body, sh, io)?,
                None => {
                    let line = format!("{}{}", self.record, self.get_var("ORS").str("%.6g"));
                    self.emit(line.as_bytes(), io)?;
                }
            }
        }
        Ok(())
    }

    fn tick(&mut self) -> Ex<()> {
        self.steps += 1;
        if self.steps > MAX_AWK_STEPS {
            return Err(Jump::Flow(Flow::Abort("too many commands")));
        }
        Ok(())
    }

    fn emit(&mut self, bytes: &[u8], io: &mut Io) -> Ex<()> {
        self.out.extend_from_slice(bytes);
        if self.out.len() > 1 << 16 {
            self.flush(io).map_err(|c| Jump::Flow(Flow::Exit(c)))?;
        }
        Ok(())
    }

    fn flush(&mut self, io: &mut Io) -> Result<(), i32> {
        let out = std::mem::take(&mut self.out);
        put(io, NAME, &out)
    }

    /// Stores what `print > file` wrote.
    fn write_files(&mut self, sh: &mut Shell, io: &mut Io) {
        use super::super::backing::{Entry, EntryKind};
        let cwd = sh.env.cwd.clone();
        let now = sh.fs.now;
        for (name, append, data) in std::mem::take(&mut self.files) {
            if name == "/dev/stdout" || name == "-" {
                let _ = put(io, NAME, &data);
                continue;
            }
            if name == "/dev/stderr" {
                io.err(&String::from_utf8_lossy(&data));
                continue;
            }
            let r = sh.fs.resolve(&cwd, &name, true).and_then(|p| {
                let mut e = match sh.fs.lstat(&p)? {
                    Some(e) if e.kind == EntryKind::File => e,
                    Some(e) if e.is_dir() => return Err(super::super::errno::Errno::IsDir),
                    _ => Entry::file(0o644, now, Vec::new()),
                };
                if !append {
                    e.data.clear();
                }
                e.data.extend_from_slice(&data);
                e.mtime = now;
                sh.fs.write_file(&p, e)
            });
            if let Err(e) = r {
                io.err(&format!("{NAME}: cannot open \"{name}\" for output ({e})\n"));
            }
        }
    }

    fn exec_block(&mut self, body: &[Stmt], sh: &mut Shell, io: &mut Io) -> Ex<()> {
        for s in body {
            self.exec(s, sh, io)?;
        }
        Ok(())
    }

    fn exec(&mut self, s: &Stmt, sh: &mut Shell, io: &mut Io) -> Ex<()> {
        self.tick()?;
        match s {
            Stmt::Expr(e) => {
                self.eval(e, sh, io)?;
            }
            Stmt::Print(args, redirect) => {
                let ofs = self.get_var("OFS").str("%.6g");
                let ofmt = self.get_var("OFMT").str("%.6g");
                let mut line = String::new();
                if args.is_empty() {
                    line.push_str(&self.record);
                }
                for (k, a) in args.iter().enumerate() {
                    if k > 0 {
                        line.push_str(&ofs);
                    }
                    let v = self.eval(a, sh, io)?;
                    line.push_str(&v.str(&ofmt));
                }
                line.push_str(&self.get_var("ORS").str("%.6g"));
                self.output(line.into_bytes(), redirect, sh, io)?;
            }
            Stmt::Printf(args, redirect) => {
                let mut vals = Vec::new();
                for a in args {
                    vals.push(self.eval(a, sh, io)?);
                }
                let text = self.sprintf(&vals)?;
                self.output(text.into_bytes(), redirect, sh, io)?;
            }
            Stmt::If(c, a, b) => {
                if self.eval(c, sh, io)?.truthy() {
                    self.exec(a, sh, io)?;
                } else if let Some(b) = b {
                    self.exec(b, sh, io)?;
                }
            }
            Stmt::While(c, body) => {
                while self.eval(c, sh, io)?.truthy() {
                    self.tick()?;
                    match self.exec(body, sh, io) {
                        Err(Jump::Break) => break,
                        Err(Jump::Continue) | Ok(()) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            Stmt::Do(body, c) => loop {
                self.tick()?;
                match self.exec(body, sh, io) {
                    Err(Jump::Break) => break,
                    Err(Jump::Continue) | Ok(()) => {}
                    Err(e) => return Err(e),
                }
                if !self.eval(c, sh, io)?.truthy() {
                    break;
                }
            },
            Stmt::For(init, cond, step, body) => {
                if let Some(i) = init {
                    self.exec(i, sh, io)?;
                }
                loop {
                    if let Some(c) = cond {
                        if !self.eval(c, sh, io)?.truthy() {
                            break;
                        }
                    }
                    self.tick()?;
                    match self.exec(body, sh, io) {
                        Err(Jump::Break) => break,
                        Err(Jump::Continue) | Ok(()) => {}
                        Err(e) => return Err(e),
                    }
                    if let Some(st) = step {
                        self.exec(st, sh, io)?;
                    }
                }
            }
            Stmt::ForIn(var, arr, body) => {
                let mut keys: Vec<String> = self.array(arr)?.keys().cloned().collect();
                sort_keys(&mut keys);
                for k in keys {
                    self.set_var(var, Val::StrNum(k))?;
                    match self.exec(body, sh, io) {
                        Err(Jump::Break) => break,
                        Err(Jump::Continue) | Ok(()) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            Stmt::Block(b) => self.exec_block(b, sh, io)?,
            Stmt::Next => return Err(Jump::Next),
            Stmt::Exit(e) => {
                let code = match e {
                    Some(e) => self.eval(e, sh, io)?.num() as i32,
                    None => 0,
                };
                return Err(Jump::Exit(code & 0xff));
            }
            Stmt::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e, sh, io)?,
                    None => Val::Uninit,
                };
                return Err(Jump::Return(v));
            }
            Stmt::Break => return Err(Jump::Break),
            Stmt::Continue => return Err(Jump::Continue),
            Stmt::Delete(name, subs) => match subs {
                None => self.array(name)?.clear(),
                Some(subs) => {
                    let key = self.subscript(subs, sh, io)?;
                    self.array(name)?.remove(&key);
                }
            },
        }
        Ok(())
    }

    fn output(&mut self, bytes: Vec<u8>, redirect: &Option<(bool, Expr)>, sh: &mut Shell, io: &mut Io) -> Ex<()> {
        let Some((append, target)) = redirect else { return self.emit(&bytes, io) };
        let name = self.eval(target, sh, io)?.str("%.6g");
        if let Some(f) = self.files.iter_mut().find(|f| f.0 == name) {
            f.2.extend_from_slice(&bytes);
            if f.2.len() > MAX_AWK_BYTES {
                return Err(Jump::Error("output too large".into()));
            }
        } else {
            self.files.push((name, *append, bytes));
        }
        Ok(())
    }

    // ---- variables ----

    fn lookup(&self, name: &str) -> Option<&Cell> {
        if let Some(frame) = self.frames.last() {
            if let Some(c) = frame.get(name) {
                return match c {
                    Cell::Alias(depth, target) => self.cell_at(*depth, target),
                    c => Some(c),
                };
            }
        }
        self.globals.get(name)
    }

    /// A cell in frame `depth` (`usize::MAX`: globals), following aliases.
    fn cell_at(&self, depth: usize, name: &str) -> Option<&Cell> {
        let c = if depth == usize::MAX { self.globals.get(name) } else { self.frames.get(depth)?.get(name) };
        match c {
            Some(Cell::Alias(d, t)) => self.cell_at(*d, t),
            other => other,
        }
    }

    /// Where `name` lives: (frame depth or `usize::MAX` for globals, name there).
    fn home(&self, name: &str) -> (usize, String) {
        let mut depth = self.frames.len().checked_sub(1);
        let mut name = name.to_string();
        while let Some(d) = depth {
            match self.frames[d].get(&name) {
                Some(Cell::Alias(d2, t)) => {
                    depth = (*d2 != usize::MAX).then_some(*d2);
                    name = t.clone();
                    if *d2 == usize::MAX {
                        return (usize::MAX, name);
                    }
                }
                Some(_) => return (d, name),
                None => return (usize::MAX, name),
            }
        }
        (usize::MAX, name)
    }

    fn cell_mut(&mut self, name: &str) -> &mut Cell {
        let (depth, name) = self.home(name);
        let map = if depth == usize::MAX { &mut self.globals } else { &mut self.frames[depth] };
        map.entry(name).or_insert(Cell::Scalar(Val::Uninit))
    }

    fn get_var(&self, name: &str) -> Val {
        if name == "NF" {
            return Val::Num(self.nf as f64);
        }
        match self.lookup(name) {
            Some(Cell::Scalar(v)) => v.clone(),
            _ => Val::Uninit,
        }
    }

    fn set_var(&mut self, name: &str, v: Val) -> Ex<()> {
        if name == "NF" {
            let n = v.num().max(0.0) as usize;
            self.fields.resize(n, String::new());
            self.nf = n;
            self.join_record();
            return Ok(());
        }
        let cell = self.cell_mut(name);
        if matches!(cell, Cell::Array(_)) {
            return Err(Jump::Error(format!("can't assign to {name}; it's an array name.")));
        }
        *cell = Cell::Scalar(v);
        Ok(())
    }

    fn array(&mut self, name: &str) -> Ex<&mut HashMap<String, Val>> {
        let cell = self.cell_mut(name);
        if let Cell::Scalar(Val::Uninit) = cell {
            *cell = Cell::Array(HashMap::new());
        }
        match cell {
            Cell::Array(a) => Ok(a),
            _ => Err(Jump::Error(format!("can't use scalar {name} as array"))),
        }
    }

    fn subscript(&mut self, subs: &[Expr], sh: &mut Shell, io: &mut Io) -> Ex<String> {
        let sep = self.get_var("SUBSEP").str("%.6g");
        let convfmt = self.get_var("CONVFMT").str("%.6g");
        let mut parts = Vec::new();
        for s in subs {
            parts.push(self.eval(s, sh, io)?.str(&convfmt));
        }
        Ok(parts.join(&sep))
    }

    // ---- records and fields ----

    fn set_record(&mut self, rec: String) {
        self.record = rec;
        self.split_record();
    }

    fn split_record(&mut self) {
        let fs = self.get_var("FS").str("%.6g");
        let paragraph = self.get_var("RS").str("%.6g").is_empty();
        self.fields = self.split(&self.record.clone(), &fs, paragraph);
        self.nf = self.fields.len();
    }

    fn split(&mut self, text: &str, fs: &str, paragraph: bool) -> Vec<String> {
        if text.is_empty() {
            return Vec::new();
        }
        if fs == " " {
            return text.split([' ', '\t', '\n']).filter(|s| !s.is_empty()).map(str::to_string).collect();
        }
        let mut pieces: Vec<String> = if fs.chars().count() == 1 && fs != "\\" {
            let c = fs.chars().next().unwrap_or(' ');
            if paragraph {
                text.split(['\n', c]).map(str::to_string).collect()
            } else {
                text.split(c).map(str::to_string).collect()
            }
        } else {
            let Some(re) = self.regex(fs) else { return vec![text.to_string()] };
            let chars: Vec<char> = text.chars().collect();
            let mut out = Vec::new();
            let mut start = 0;
            let mut at = 0;
            while at <= chars.len() {
                let Some(caps) = re.find_at(&chars, at) else { break };
                let Some((s, e)) = caps[0] else { break };
                if e == s {
                    at = s + 1;
                    if at > chars.len() {
                        break;
                    }
                    continue;
                }
                out.push(chars[start..s].iter().collect());
                start = e;
                at = e;
            }
            out.push(chars[start..].iter().collect());
            out
        };
        if pieces.len() == 1 && pieces[0].is_empty() {
            pieces.clear();
        }
        pieces
    }

    fn join_record(&mut self) {
        let ofs = self.get_var("OFS").str("%.6g");
        self.record = self.fields.join(&ofs);
    }

    fn get_field(&self, n: usize) -> Val {
        if n == 0 {
            return Val::StrNum(self.record.clone());
        }
        self.fields.get(n - 1).map_or(Val::Uninit, |f| Val::StrNum(f.clone()))
    }

    fn set_field(&mut self, n: usize, v: String) -> Ex<()> {
        if n == 0 {
            self.set_record(v);
            return Ok(());
        }
        if n > 100_000 {
            return Err(Jump::Error(format!("program limit exceeded: maximum number of fields size={n}")));
        }
        if n > self.fields.len() {
            self.fields.resize(n, String::new());
        }
        self.fields[n - 1] = v;
        self.nf = self.fields.len();
        self.join_record();
        Ok(())
    }

    fn field_index(&mut self, e: &Expr, sh: &mut Shell, io: &mut Io) -> Ex<usize> {
        let n = self.eval(e, sh, io)?.num();
        if n < 0.0 {
            return Err(Jump::Error(format!("trying to access out of range field {}", n as i64)));
        }
        Ok(n as usize)
    }

    fn regex(&mut self, pat: &str) -> Option<Regex> {
        if let Some(r) = self.regexes.get(pat) {
            return Some(r.clone());
        }
        let r = Regex::new(pat, true, false).ok()?;
        if self.regexes.len() < 1000 {
            self.regexes.insert(pat.to_string(), r.clone());
        }
        Some(r)
    }

    fn regex_or_err(&mut self, pat: &str) -> Ex<Regex> {
        self.regex(pat)
            .ok_or_else(|| Jump::Error(format!("regular expression compile failed (bad class -- [], [^] or [)\n{pat}")))
    }

    /// The pattern a value names: a `/re/` literal as written, anything else by its string.
    fn pattern_of(&mut self, e: &Expr, sh: &mut Shell, io: &mut Io) -> Ex<String> {
        if let Expr::Regex(r) = e {
            return Ok(r.clone());
        }
        let convfmt = self.get_var("CONVFMT").str("%.6g");
        Ok(self.eval(e, sh, io)?.str(&convfmt))
    }

    // ---- expressions ----

    fn assign(&mut self, target: &Expr, v: Val, sh: &mut Shell, io: &mut Io) -> Ex<()> {
        match target {
            Expr::Var(n) => self.set_var(n, v),
            Expr::Field(e) => {
                let n = self.field_index(e, sh, io)?;
                let convfmt = self.get_var("CONVFMT").str("%.6g");
                self.set_field(n, v.str(&convfmt))
            }
            Expr::Index(n, subs) => {
                let key = self.subscript(subs, sh, io)?;
                self.array(n)?.insert(key, v);
                Ok(())
            }
            _ => Err(Jump::Error("assignment to a non-variable".into())),
        }
    }

    fn eval(&mut self, e: &Expr, sh: &mut Shell, io: &mut Io) -> Ex<Val> {
        self.tick()?;
        let convfmt = || "%.6g".to_string();
        Ok(match e {
            Expr::Num(n) => Val::Num(*n),
            Expr::Str(s) => Val::Str(s.clone()),
            Expr::Regex(r) => {
                let re = self.regex_or_err(r)?;
                Val::Num(f64::from(u8::from(re.is_match(&self.record))))
            }
            Expr::Var(n) => {
                if matches!(self.lookup(n), Some(Cell::Array(_))) {
                    return Err(Jump::Error(format!("can't use array {n} in scalar context")));
                }
                self.get_var(n)
            }
            Expr::Field(i) => {
                let n = self.field_index(i, sh, io)?;
                self.get_field(n)
            }
            Expr::Index(n, subs) => {
                let key = self.subscript(subs, sh, io)?;
                self.array(n)?.entry(key).or_insert(Val::Uninit).clone()
            }
            Expr::Assign(op, target, value) => {
                let v = self.eval(value, sh, io)?;
                let v = if *op == "=" {
                    v
                } else {
                    let old = self.eval(target, sh, io)?.num();
                    Val::Num(self.arith(&op[..1], old, v.num())?)
                };
                self.assign(target, v.clone(), sh, io)?;
                v
            }
            Expr::Cond(c, a, b) => {
                if self.eval(c, sh, io)?.truthy() {
                    self.eval(a, sh, io)?
                } else {
                    self.eval(b, sh, io)?
                }
            }
            Expr::And(a, b) => {
                let t = self.eval(a, sh, io)?.truthy() && self.eval(b, sh, io)?.truthy();
                Val::Num(f64::from(u8::from(t)))
            }
            Expr::Or(a, b) => {
                let t = self.eval(a, sh, io)?.truthy() || self.eval(b, sh, io)?.truthy();
                Val::Num(f64::from(u8::from(t)))
            }
            Expr::Not(a) => Val::Num(f64::from(u8::from(!self.eval(a, sh, io)?.truthy()))),
            Expr::Neg(a) => Val::Num(-self.eval(a, sh, io)?.num()),
            Expr::Plus(a) => Val::Num(self.eval(a, sh, io)?.num()),
            Expr::Bin(op, a, b) => {
                let x = self.eval(a, sh, io)?.num();
                let y = self.eval(b, sh, io)?.num();
                Val::Num(self.arith(op, x, y)?)
            }
            Expr::Cmp(op, a, b) => {
                let x = self.eval(a, sh, io)?;
                let y = self.eval(b, sh, io)?;
                let ord = if x.is_numeric() && y.is_numeric() {
                    x.num().partial_cmp(&y.num()).unwrap_or(std::cmp::Ordering::Equal)
                } else {
                    let c = self.get_var("CONVFMT").str(&convfmt());
                    x.str(&c).cmp(&y.str(&c))
                };
                use std::cmp::Ordering::*;
                let t = match *op {
                    "<" => ord == Less,
                    "<=" => ord != Greater,
                    "==" => ord == Equal,
                    "!=" => ord != Equal,
                    ">=" => ord != Less,
                    _ => ord == Greater,
                };
                Val::Num(f64::from(u8::from(t)))
            }
            Expr::Concat(a, b) => {
                let c = self.get_var("CONVFMT").str(&convfmt());
                let mut s = self.eval(a, sh, io)?.str(&c);
                s.push_str(&self.eval(b, sh, io)?.str(&c));
                if s.len() > MAX_AWK_BYTES {
                    return Err(Jump::Error("string too long".into()));
                }
                Val::Str(s)
            }
            Expr::Match(neg, a, b) => {
                let c = self.get_var("CONVFMT").str(&convfmt());
                let text = self.eval(a, sh, io)?.str(&c);
                let pat = self.pattern_of(b, sh, io)?;
                let re = self.regex_or_err(&pat)?;
                Val::Num(f64::from(u8::from(re.is_match(&text) != *neg)))
            }
            Expr::In(subs, arr) => {
                let key = self.subscript(subs, sh, io)?;
                Val::Num(f64::from(u8::from(self.array(arr)?.contains_key(&key))))
            }
            Expr::Incr(pre, d, target) => {
                let old = self.eval(target, sh, io)?.num();
                self.assign(target, Val::Num(old + d), sh, io)?;
                Val::Num(if *pre { old + d } else { old })
            }
            Expr::Group(list) => {
                // `(a, b)` outside print: awk's grammar has no such expression.
                let _ = list;
                return Err(Jump::Error("syntax error: a parenthesised list outside print".into()));
            }
            Expr::Getline(var, src) => self.getline(var, src, sh, io)?,
            Expr::Call(name, args) => self.builtin(name, args, sh, io)?,
            Expr::User(name, args) => self.call(name, args, sh, io)?,
        })
    }

    fn arith(&self, op: &str, x: f64, y: f64) -> Ex<f64> {
        Ok(match op {
            "+" => x + y,
            "-" => x - y,
            "*" => x * y,
            "/" => {
                if y == 0.0 {
                    return Err(Jump::Error(if self.busybox {
                        "cmd. line:1: Division by zero".into()
                    } else {
                        "division by zero".into()
                    }));
                }
                x / y
            }
            "%" => {
                if y == 0.0 {
                    return Err(Jump::Error(if self.busybox {
                        "cmd. line:1: Division by zero".into()
                    } else {
                        "division by zero in %".into()
                    }));
                }
                x % y
            }
            _ => x.powf(y),
        })
    }

    fn call(&mut self, name: &str, args: &[Expr], sh: &mut Shell, io: &mut Io) -> Ex<Val> {
        let prog = self.prog;
        let Some((params, body)) = prog.funcs.get(name) else {
            return Err(Jump::Error(format!("function {name} never defined")));
        };
        if self.frames.len() >= MAX_CALL_DEPTH {
            return Err(Jump::Flow(Flow::Abort("nesting too deep")));
        }
        let mut frame = HashMap::new();
        for (k, p) in params.iter().enumerate() {
            let cell = match args.get(k) {
                Some(Expr::Var(v))
                    if matches!(self.lookup(v), Some(Cell::Array(_)) | None) && self.lookup(v).is_some() =>
                {
                    let (depth, n) = self.home(v);
                    Cell::Alias(depth, n)
                }
                Some(Expr::Var(v)) if self.lookup(v).is_none() => {
                    // An unset name may become an array inside: bind it to the caller's name.
                    let (depth, n) = self.home(v);
                    let map = if depth == usize::MAX { &mut self.globals } else { &mut self.frames[depth] };
                    map.insert(n.clone(), Cell::Scalar(Val::Uninit));
                    Cell::Alias(depth, n)
                }
                Some(e) => Cell::Scalar(self.eval(e, sh, io)?),
                None => Cell::Scalar(Val::Uninit),
            };
            frame.insert(p.clone(), cell);
        }
        self.frames.push(frame);
        let r = self.exec_block(body, sh, io);
        self.frames.pop();
        match r {
            Ok(()) => Ok(Val::Uninit),
            Err(Jump::Return(v)) => Ok(v),
            Err(e) => Err(e),
        }
    }

    fn builtin(&mut self, name: &str, args: &[Expr], sh: &mut Shell, io: &mut Io) -> Ex<Val> {
        let convfmt = self.get_var("CONVFMT").str("%.6g");
        let num = |k: usize, a: &mut Self, sh: &mut Shell, io: &mut Io| -> Ex<f64> {
            match args.get(k) {
                Some(e) => Ok(a.eval(e, sh, io)?.num()),
                None => Ok(0.0),
            }
        };
        let v = match name {
            "length" => match args.first() {
                None => Val::Num(self.record.chars().count() as f64),
                Some(Expr::Var(n)) if matches!(self.lookup(n), Some(Cell::Array(_))) => {
                    Val::Num(self.array(n)?.len() as f64)
                }
                Some(e) => Val::Num(self.eval(e, sh, io)?.str(&convfmt).chars().count() as f64),
            },
            "substr" => {
                let s: Vec<char> = self.str_arg(args, 0, sh, io)?.chars().collect();
                let m = num(1, self, sh, io)?;
                let m = if m.is_nan() { 1.0 } else { round_half_even(m) };
                let n = if args.len() > 2 { round_half_even(num(2, self, sh, io)?) } else { f64::INFINITY };
                let start = m.max(1.0);
                let end = (m + n).min(s.len() as f64 + 1.0);
                if end <= start {
                    Val::Str(String::new())
                } else {
                    Val::Str(s[(start as usize - 1)..(end as usize - 1)].iter().collect())
                }
            }
            "index" => {
                let s = self.str_arg(args, 0, sh, io)?;
                let t = self.str_arg(args, 1, sh, io)?;
                Val::Num(s.find(&t).map_or(0, |b| s[..b].chars().count() + 1) as f64)
            }
            "split" => {
                let s = self.str_arg(args, 0, sh, io)?;
                let Some(Expr::Var(arr)) = args.get(1) else {
                    return Err(Jump::Error("split: second argument must be an array".into()));
                };
                let fs = match args.get(2) {
                    Some(e) => self.pattern_of(e, sh, io)?,
                    None => self.get_var("FS").str(&convfmt),
                };
                let parts = self.split(&s, &fs, false);
                let a = self.array(arr)?;
                a.clear();
                for (k, p) in parts.iter().enumerate() {
                    a.insert((k + 1).to_string(), Val::StrNum(p.clone()));
                }
                Val::Num(parts.len() as f64)
            }
            "sub" | "gsub" => {
                let pat = match args.first() {
                    Some(e) => self.pattern_of(e, sh, io)?,
                    None => return Err(Jump::Error(format!("{name}: missing arguments"))),
                };
                let repl = self.str_arg(args, 1, sh, io)?;
                let target = args.get(2).cloned().unwrap_or(Expr::Field(Box::new(Expr::Num(0.0))));
                let text = self.eval(&target, sh, io)?.str(&convfmt);
                let re = self.regex_or_err(&pat)?;
                let (new, n) = substitute(&re, &text, &repl, name == "gsub");
                if n > 0 {
                    self.assign(&target, Val::Str(new), sh, io)?;
                }
                Val::Num(n as f64)
            }
            "match" => {
                let s = self.str_arg(args, 0, sh, io)?;
                let pat = match args.get(1) {
                    Some(e) => self.pattern_of(e, sh, io)?,
                    None => return Err(Jump::Error("match: missing arguments".into())),
                };
                let re = self.regex_or_err(&pat)?;
                let chars: Vec<char> = s.chars().collect();
                let (start, len) = match re.find_at(&chars, 0).and_then(|c| c[0]) {
                    Some((a, b)) => (a as f64 + 1.0, (b - a) as f64),
                    None => (0.0, -1.0),
                };
                self.set_var("RSTART", Val::Num(start))?;
                self.set_var("RLENGTH", Val::Num(len))?;
                Val::Num(start)
            }
            "sprintf" => {
                let mut vals = Vec::new();
                for a in args {
                    vals.push(self.eval(a, sh, io)?);
                }
                if vals.is_empty() {
                    return Err(Jump::Error("sprintf: no format".into()));
                }
                Val::Str(self.sprintf(&vals)?)
            }
            "tolower" => Val::Str(self.str_arg(args, 0, sh, io)?.to_lowercase()),
            "toupper" => Val::Str(self.str_arg(args, 0, sh, io)?.to_uppercase()),
            "int" => Val::Num(num(0, self, sh, io)?.trunc()),
            "sqrt" => Val::Num(num(0, self, sh, io)?.sqrt()),
            "exp" => Val::Num(num(0, self, sh, io)?.exp()),
            "log" => Val::Num(num(0, self, sh, io)?.ln()),
            "sin" => Val::Num(num(0, self, sh, io)?.sin()),
            "cos" => Val::Num(num(0, self, sh, io)?.cos()),
            "atan2" => {
                let y = num(0, self, sh, io)?;
                Val::Num(y.atan2(num(1, self, sh, io)?))
            }
            "rand" => {
                // xorshift: a fixed sequence, as awk's is without srand().
                let mut x = self.rand_state;
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                self.rand_state = x;
                Val::Num((x >> 11) as f64 / (1u64 << 53) as f64)
            }
            "srand" => {
                let old = self.rand_seed;
                let seed = if args.is_empty() { sh.fs.now as f64 } else { num(0, self, sh, io)? };
                self.rand_seed = seed;
                self.rand_state = (seed.to_bits() ^ 0x9e37_79b9_7f4a_7c15) | 1;
                Val::Num(old)
            }
            "system" => {
                let cmd = self.str_arg(args, 0, sh, io)?;
                self.flush(io).map_err(|c| Jump::Flow(Flow::Exit(c)))?;
                let argv = vec!["sh".to_string(), "-c".to_string(), cmd];
                let found = sh.find_program("sh");
                let s = match sh.exec_found(found, &argv, io) {
                    Ok(s) | Err(Flow::Exit(s)) => s,
                    Err(f) => return Err(Jump::Flow(f)),
                };
                Val::Num(f64::from(s))
            }
            "close" => {
                let name = self.str_arg(args, 0, sh, io)?;
                let known = self.readers.remove(&name).is_some() | self.commands.remove(&name).is_some();
                Val::Num(if known { 0.0 } else { -1.0 })
            }
            "fflush" => Val::Num(0.0),
            _ => return Err(Jump::Error(format!("function {name} never defined"))),
        };
        Ok(v)
    }

    fn str_arg(&mut self, args: &[Expr], k: usize, sh: &mut Shell, io: &mut Io) -> Ex<String> {
        let convfmt = self.get_var("CONVFMT").str("%.6g");
        match args.get(k) {
            Some(e) => Ok(self.eval(e, sh, io)?.str(&convfmt)),
            None => Ok(String::new()),
        }
    }

    /// printf's format applied to values: each conversion through GNU printf, numbers and
    /// strings converted first as awk converts them.
    fn sprintf(&mut self, vals: &[Val]) -> Ex<String> {
        let convfmt = self.get_var("CONVFMT").str("%.6g");
        let fmt: Vec<char> = vals[0].str(&convfmt).chars().collect();
        let mut args = vals[1..].iter();
        let mut out = String::new();
        let mut i = 0;
        while i < fmt.len() {
            if fmt[i] != '%' {
                out.push(fmt[i]);
                i += 1;
                continue;
            }
            if fmt.get(i + 1) == Some(&'%') {
                out.push('%');
                i += 2;
                continue;
            }
            let start = i;
            i += 1;
            let mut spec = String::from("%");
            while i < fmt.len() && "-+ #0".contains(fmt[i]) {
                spec.push(fmt[i]);
                i += 1;
            }
            for _ in 0..2 {
                if fmt.get(i) == Some(&'*') {
                    let n = args.next().map_or(0.0, Val::num) as i64;
                    spec.push_str(&n.to_string());
                    i += 1;
                } else {
                    while i < fmt.len() && fmt[i].is_ascii_digit() {
                        spec.push(fmt[i]);
                        i += 1;
                    }
                }
                if fmt.get(i) == Some(&'.') {
                    spec.push('.');
                    i += 1;
                } else {
                    break;
                }
            }
            while i < fmt.len() && "hlLqjzt".contains(fmt[i]) {
                i += 1;
            }
            let Some(&conv) = fmt.get(i) else {
                out.extend(fmt[start..].iter());
                break;
            };
            i += 1;
            let arg = args.next().cloned().unwrap_or(Val::Uninit);
            let piece = match conv {
                'd' | 'i' => {
                    let n = arg.num();
                    let n = if n.is_finite() { n.trunc() as i64 } else { i64::MAX };
                    c_format(&format!("{spec}d"), &n.to_string())
                }
                'o' | 'x' | 'X' | 'u' => {
                    let n = arg.num();
                    let n = if n < 0.0 { (n.trunc() as i64) as u64 } else { n.trunc() as u64 };
                    c_format(&format!("{spec}{conv}"), &n.to_string())
                }
                'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'a' | 'A' => {
                    c_format(&format!("{spec}{conv}"), &format!("{:e}", arg.num()))
                }
                'c' => {
                    let ch = match &arg {
                        Val::Num(n) => char::from_u32(*n as u32).map(String::from).unwrap_or_default(),
                        v => v.str(&convfmt).chars().next().map(String::from).unwrap_or_default(),
                    };
                    c_format(&format!("{spec}s"), &ch)
                }
                's' => c_format(&format!("{spec}s"), &arg.str(&convfmt)),
                other => {
                    return Err(Jump::Error(format!("bad conversion in printf format: %{other}")));
                }
            };
            out.push_str(&piece);
            if out.len() > MAX_AWK_BYTES {
                return Err(Jump::Error("string too long".into()));
            }
        }
        Ok(out)
    }
}

fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 && r % 2.0 != 0.0 {
        r - x.signum()
    } else {
        r
    }
}

/// sub/gsub: `&` is the match, `\&` a literal `&`; returns the text and the count.
fn substitute(re: &Regex, text: &str, repl: &str, global: bool) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let (mut at, mut last, mut n) = (0, 0, 0);
    while at <= chars.len() {
        let Some((s, e)) = re.find_at(&chars, at).and_then(|c| c[0]) else { break };
        out.extend(&chars[last..s]);
        let mut r = repl.chars().peekable();
        while let Some(c) = r.next() {
            match c {
                '\\' if r.peek() == Some(&'&') => {
                    out.push('&');
                    r.next();
                }
                '\\' if r.peek() == Some(&'\\') => {
                    out.push('\\');
                    r.next();
                }
                '&' => out.extend(&chars[s..e]),
                c => out.push(c),
            }
        }
        n += 1;
        if e == s {
            if s < chars.len() {
                out.push(chars[s]);
            }
            last = (s + 1).min(chars.len());
            at = s + 1;
        } else {
            last = e;
            at = e;
        }
        if !global {
            break;
        }
    }
    if last <= chars.len() {
        out.extend(&chars[last..]);
    }
    (out, n)
}

/// `for (k in a)` order: numeric keys by value, then the rest as strings (mawk's order is a
/// hash order; a stable one is easier to read).
fn sort_keys(keys: &mut [String]) {
    keys.sort_by(|a, b| match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
        (Ok(_), Err(_)) => std::cmp::Ordering::Less,
        (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        _ => a.cmp(b),
    });
}

/// An operand `name=value` assigns instead of naming a file.
fn is_assignment(s: &str) -> bool {
    match s.split_once('=') {
        Some((k, _)) => {
            !k.is_empty()
                && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !k.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

/// Escapes in `-v` values and `-F`: `\t`, `\n`, `\\`.
fn unescape(s: &str) -> String {
    let c: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < c.len() {
        if c[i] == '\\' && i + 1 < c.len() {
            let (v, used) = lex::escape(&c[i + 1..]);
            out.push_str(&v);
            i += 1 + used;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}
