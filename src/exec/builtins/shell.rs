//! Builtins that change the shell itself.

use super::super::interp::{Flow, Res, Shell, ShellKind};
use super::super::io::Io;
use super::super::simple::Lookup;

pub fn true_(_: &mut Shell, _: &mut Io, _: &[String]) -> Res {
    Ok(0)
}

pub fn false_(_: &mut Shell, _: &mut Io, _: &[String]) -> Res {
    Ok(1)
}

pub fn cd(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let target = match argv.get(1).map(String::as_str) {
        None => sh.var("HOME").unwrap_or("/").to_string(),
        Some("-") => sh.var("OLDPWD").unwrap_or("/").to_string(),
        Some(t) => t.to_string(),
    };
    let cwd = sh.env.cwd.clone();
    match sh.fs.stat(&cwd, &target) {
        Ok((p, e)) if e.is_dir() => {
            sh.set_var("OLDPWD", cwd);
            sh.set_var("PWD", p.clone());
            sh.env.cwd = p;
            if argv.get(1).map(String::as_str) == Some("-") {
                let _ = io.out(format!("{}\n", sh.env.cwd).as_bytes());
            }
            Ok(0)
        }
        other => {
            let e =
                other.map(|_| super::super::errno::Errno::NotDir).err().unwrap_or(super::super::errno::Errno::NotDir);
            let msg = match sh.kind {
                ShellKind::Dash => sh.diag(&format!("cd: can't cd to {target}")),
                ShellKind::Bash => sh.diag(&format!("cd: {target}: {e}")),
                ShellKind::Ash => sh.diag(&format!("cd: can't cd to {target}: {e}")),
            };
            io.err(&msg);
            Ok(if sh.kind == ShellKind::Dash { 2 } else { 1 })
        }
    }
}

pub fn export(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let names: Vec<&String> = argv[1..].iter().filter(|a| !a.starts_with('-')).collect();
    if names.is_empty() {
        let mut out = String::new();
        for k in &sh.env.exported {
            if let Some(v) = sh.env.vars.get(k) {
                out.push_str(&format!("export {k}='{}'\n", v.replace('\'', "'\\''")));
            }
        }
        let _ = io.out(out.as_bytes());
        return Ok(0);
    }
    for a in names {
        let (name, value) = match a.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (a.clone(), None),
        };
        if let Some(v) = value {
            sh.set_var(&name, v);
        }
        sh.env.exported.insert(name);
    }
    Ok(0)
}

pub fn local(sh: &mut Shell, _: &mut Io, argv: &[String]) -> Res {
    for a in &argv[1..] {
        if let Some((n, v)) = a.split_once('=') {
            sh.set_var(n, v.to_string());
        }
    }
    Ok(0)
}

pub fn unset(sh: &mut Shell, _: &mut Io, argv: &[String]) -> Res {
    let funcs = argv.iter().any(|a| a == "-f");
    for a in argv[1..].iter().filter(|a| !a.starts_with('-')) {
        if funcs {
            sh.env.funcs.remove(a);
        } else {
            sh.env.vars.remove(a);
            sh.env.exported.remove(a);
        }
    }
    Ok(0)
}

pub fn set(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    if argv.len() == 1 {
        let out: String = sh.env.vars.iter().map(|(k, v)| format!("{k}='{}'\n", v.replace('\'', "'\\''"))).collect();
        let _ = io.out(out.as_bytes());
        return Ok(0);
    }
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        match a.as_str() {
            "--" => {
                sh.env.args = argv[i + 1..].to_vec();
                return Ok(0);
            }
            s if s.len() > 1 && (s.starts_with('-') || s.starts_with('+')) => {
                // A bundle such as `-ex`, `+x` or `-euo pipefail` (`o` takes the next word).
                let on = s.starts_with('-');
                for ch in s[1..].chars() {
                    match ch {
                        'e' => sh.env.errexit = on,
                        'x' => sh.env.xtrace = on,
                        'o' => {
                            i += 1;
                            let Some(name) = argv.get(i) else { return Ok(0) };
                            if let Err(flow) = set_named(sh, io, name, on) {
                                return flow;
                            }
                        }
                        // Options kstate does not model are accepted.
                        _ => {}
                    }
                }
            }
            _ => {
                sh.env.args = argv[i..].to_vec();
                return Ok(0);
            }
        }
        i += 1;
    }
    Ok(0)
}

/// `set -o NAME`: the options each shell knows (dash has no `pipefail`); an unknown one is
/// refused as the shell refuses it (dash, for which `set` is special, exits).
fn set_named(sh: &mut Shell, io: &mut Io, name: &str, on: bool) -> Result<(), Res> {
    const COMMON: &[&str] = &[
        "errexit",
        "xtrace",
        "nounset",
        "noglob",
        "verbose",
        "allexport",
        "noclobber",
        "monitor",
        "notify",
        "ignoreeof",
        "vi",
        "emacs",
        "noexec",
    ];
    let known = COMMON.contains(&name) || (name == "pipefail" && sh.kind != ShellKind::Dash);
    if !known {
        let sign = if on { '-' } else { '+' };
        return Err(match sh.kind {
            ShellKind::Dash => {
                io.err(&sh.diag(&format!("set: Illegal option {sign}o {name}")));
                Err(Flow::Exit(2))
            }
            ShellKind::Bash => {
                io.err(&sh.diag(&format!("set: {name}: invalid option name")));
                Ok(2)
            }
            ShellKind::Ash => {
                io.err(&sh.diag(&format!("illegal option {sign}o {name}")));
                Ok(1)
            }
        });
    }
    match name {
        "errexit" => sh.env.errexit = on,
        "xtrace" => sh.env.xtrace = on,
        _ => {}
    }
    Ok(())
}

pub fn shift(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let n: usize = argv.get(1).and_then(|a| a.parse().ok()).unwrap_or(1);
    if n > sh.env.args.len() {
        io.err(&sh.diag("shift: can't shift that many"));
        return Err(Flow::Exit(2));
    }
    sh.env.args.drain(..n);
    Ok(0)
}

fn number_arg(sh: &Shell, io: &mut Io, argv: &[String], default: i32) -> Result<i32, Flow> {
    match argv.get(1) {
        None => Ok(default),
        // dash reads these with its `number()`, which takes no sign: `exit -1` is an error there.
        Some(a) => match a.parse::<i64>().ok().filter(|n| *n >= 0 || sh.kind != ShellKind::Dash) {
            Some(n) => Ok((n & 0xff) as i32),
            None => {
                io.err(&sh.diag(&format!("{}: Illegal number: {a}", argv[0])));
                Err(Flow::Exit(2))
            }
        },
    }
}

pub fn exit(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let code = number_arg(sh, io, argv, sh.status)?;
    Err(Flow::Exit(code))
}

pub fn return_(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let code = number_arg(sh, io, argv, sh.status)?;
    Err(Flow::Return(code))
}

pub fn break_(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let n = number_arg(sh, io, argv, 1)?.max(1);
    Err(Flow::Break(n as u32))
}

pub fn continue_(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let n = number_arg(sh, io, argv, 1)?.max(1);
    Err(Flow::Continue(n as u32))
}

pub fn eval(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let src = argv[1..].join(" ");
    sh.enter()?;
    let cmd = super::super::parser::parse(&src);
    let bash = sh.kind == ShellKind::Bash;
    sh.trace_level += u32::from(bash);
    let r = match cmd {
        Ok(c) => sh.run(&c, io),
        Err(_) => {
            io.err(&sh.diag("eval: syntax error"));
            Ok(2)
        }
    };
    sh.trace_level -= u32::from(bash);
    sh.depth -= 1;
    r
}

pub fn source(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let Some(file) = argv.get(1) else { return Ok(0) };
    let cwd = sh.env.cwd.clone();
    match sh.fs.read(&cwd, file) {
        Ok(d) => {
            sh.enter()?;
            let r = match super::super::parser::parse(&String::from_utf8_lossy(&d)) {
                Ok(c) => sh.run(&c, io),
                Err(_) => Ok(2),
            };
            sh.depth -= 1;
            r
        }
        Err(_) => {
            io.err(&sh.diag(&format!("{}: cannot open {file}: No such file", argv[0])));
            Err(Flow::Exit(2))
        }
    }
}

pub fn read(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    // dash knows only -r and -p PROMPT; bash's options that take a value (-n 5, -t 1, -d :)
    // have it skipped, so it is not taken for a variable name.
    let mut raw = false;
    let mut at = 1;
    while let Some(a) = argv.get(at).filter(|a| a.len() > 1 && a.starts_with('-')) {
        at += 1;
        if a == "--" {
            break;
        }
        for (i, c) in a.char_indices().skip(1) {
            match c {
                'r' => raw = true,
                'p' | 'n' | 'N' | 't' | 'd' | 'u' | 'a' | 'i' if c == 'p' || sh.kind != ShellKind::Dash => {
                    at += usize::from(i + 1 == a.len());
                    break;
                }
                _ if sh.kind == ShellKind::Dash => {
                    io.err(&sh.diag(&format!("read: Illegal option -{c}")));
                    return Ok(2);
                }
                _ => {}
            }
        }
    }
    let names: Vec<&String> = argv.get(at..).unwrap_or_default().iter().collect();
    let Some(mut line) = io.stdin.read_line() else {
        for n in &names {
            sh.set_var(n, String::new());
        }
        return Ok(1);
    };
    if !raw {
        line = line.replace('\\', "");
    }
    let names: Vec<String> = if names.is_empty() { vec!["REPLY".into()] } else { names.into_iter().cloned().collect() };
    let mut rest = line.trim_start();
    for (i, n) in names.iter().enumerate() {
        if i + 1 == names.len() {
            sh.set_var(n, rest.trim_end().to_string());
        } else {
            let (head, tail) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            sh.set_var(n, head.to_string());
            rest = tail.trim_start();
        }
    }
    Ok(0)
}

pub fn type_(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let (verbose, names): (bool, Vec<&String>) = if argv[0] == "command" {
        if argv.get(1).is_some_and(|a| a == "-v" || a == "-V") {
            (false, argv[2..].iter().collect())
        } else {
            let rest = argv[1..].to_vec();
            if rest.is_empty() {
                return Ok(0);
            }
            let found = sh.find_program(&rest[0]);
            return sh.exec_found(found, &rest, io);
        }
    } else {
        (true, argv[1..].iter().collect())
    };
    let mut status = 0;
    for n in names {
        let builtin = super::shell_builtin(n, sh.kind).is_some();
        let found = if builtin { None } else { Some(sh.find_program(n)) };
        let text = match (&found, verbose) {
            (None, true) => format!("{n} is a shell builtin\n"),
            (None, false) => format!("{n}\n"),
            (Some(Lookup::Program(_)) | Some(Lookup::Script(_)), _) => {
                let p = which_path(sh, n).unwrap_or_else(|| n.clone());
                if verbose {
                    format!("{n} is {p}\n")
                } else {
                    format!("{p}\n")
                }
            }
            _ => {
                status = 127;
                if verbose {
                    format!("{n}: not found\n")
                } else {
                    String::new()
                }
            }
        };
        let _ = io.out(text.as_bytes());
    }
    Ok(status)
}

/// The first PATH entry holding `name`, as `which` and `command -v` print it.
pub fn which_path(sh: &mut Shell, name: &str) -> Option<String> {
    if name.contains('/') {
        return Some(name.to_string());
    }
    let path_var = sh.var("PATH").unwrap_or_default().to_string();
    let cwd = sh.env.cwd.clone();
    for dir in path_var.split(':').filter(|d| !d.is_empty()) {
        let cand = format!("{dir}/{name}");
        if let Ok((_, e)) = sh.fs.stat(&cwd, &cand) {
            if !e.is_dir() && e.mode & 0o111 != 0 {
                return Some(cand);
            }
        }
    }
    None
}

pub fn exec(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    if argv.len() < 2 {
        return Ok(0);
    }
    let rest = argv[1..].to_vec();
    let found = sh.find_program(&rest[0]);
    let s = sh.exec_found(found, &rest, io)?;
    Err(Flow::Exit(s))
}

/// `wait [PID...]`: background jobs run ahead when started, so it waits, in cluster time, for
/// the time they end (see `timed.rs`); outside a container's process it returns at once. With
/// pids, the status is the last one's; a pid that is no job of this shell gives 127.
pub fn wait(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let operands: Vec<&String> = argv[1..].iter().skip_while(|a| *a == "--").collect();
    if operands.is_empty() {
        return sh.wait_jobs(io);
    }
    let mut pids = Vec::new();
    for a in operands {
        if a.starts_with('%') {
            // Job specs: this shell has no job control, so no job answers to one.
            let msg = match sh.kind {
                ShellKind::Bash => sh.diag(&format!("wait: {a}: no such job")),
                _ => sh.diag(&format!("wait: No such job: {a}")),
            };
            io.err(&msg);
            return Ok(if sh.kind == ShellKind::Bash { 127 } else { 2 });
        }
        match a.parse::<u32>() {
            Ok(pid) => {
                if sh.kind == ShellKind::Bash && !sh.env.jobs.contains_key(&pid) {
                    io.err(&sh.diag(&format!("wait: pid {pid} is not a child of this shell")));
                }
                pids.push(pid);
            }
            Err(_) if sh.kind == ShellKind::Bash => {
                io.err(&sh.diag(&format!("wait: `{a}': not a pid or valid job spec")));
                return Ok(1);
            }
            Err(_) => {
                io.err(&sh.diag(&format!("wait: Illegal number: {a}")));
                return Ok(2);
            }
        }
    }
    sh.wait_pids(&pids, io)
}

/// `trap [ACTION] SIGNAL...`: the action a signal runs (`-` resets it, `''` ignores the signal);
/// without arguments, the traps set, as `trap -- 'ACTION' SIGNAL` lines.
pub fn trap(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let args: Vec<&String> = argv[1..].iter().filter(|a| a.as_str() != "--").collect();
    if args.is_empty() {
        let listing: String = sh.env.traps.iter().map(|(sig, action)| format!("trap -- '{action}' {sig}\n")).collect();
        return Ok(super::put(io, "trap", listing.as_bytes()).err().unwrap_or(0));
    }
    let (action, signals) = if args.len() == 1 || args[0].parse::<u32>().is_ok() && args.len() == 1 {
        ("-".to_string(), &args[..])
    } else {
        (args[0].clone(), &args[1..])
    };
    for sig in signals {
        let name = signal_name(sig);
        if action == "-" {
            sh.env.traps.remove(&name);
        } else {
            sh.env.traps.insert(name, action.clone());
        }
    }
    Ok(0)
}

/// `TERM`, `SIGTERM`, `15` → `TERM`; `EXIT`/`0` → `EXIT`.
pub fn signal_name(sig: &str) -> String {
    let s = sig.trim_start_matches("SIG").to_ascii_uppercase();
    match s.as_str() {
        "0" => "EXIT".into(),
        "1" => "HUP".into(),
        "2" => "INT".into(),
        "3" => "QUIT".into(),
        "9" => "KILL".into(),
        "15" => "TERM".into(),
        _ => s,
    }
}
