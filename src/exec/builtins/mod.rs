//! The programs and shell builtins kstate simulates, and what they share: option parsing,
//! output that can fail, and error texts in GNU or busybox wording.

mod apt;
mod awk;
mod cond;
mod copy;
mod counts;
mod echo;
mod extra;
mod files;
mod filter;
mod find;
mod follow;
mod grep;
mod ls;
mod perl;
pub mod regex;
mod sed;
mod shell;
mod stream;
mod sys;
mod tar;
mod test;
mod text;

use super::errno::Errno;
use super::image::Flavor;
use super::interp::{Res, Shell, ShellKind};
use super::io::Io;
use super::source::Source;

pub use follow::Followed;

/// A program or builtin: gets the whole argv (argv[0] included), returns the exit status.
pub type Builtin = fn(&mut Shell, &mut Io, &[String]) -> Res;

/// Builtins of dash/bash/ash: found before PATH is searched.
pub fn shell_builtin(name: &str, kind: ShellKind) -> Option<Builtin> {
    Some(match name {
        ":" | "true" => shell::true_,
        "false" => shell::false_,
        "cd" => shell::cd,
        "export" => shell::export,
        "readonly" => shell::export,
        "unset" => shell::unset,
        "set" => shell::set,
        "shift" => shell::shift,
        "exit" => shell::exit,
        "return" => shell::return_,
        "break" => shell::break_,
        "continue" => shell::continue_,
        "eval" => shell::eval,
        "." | "source" => shell::source,
        "read" => shell::read,
        "local" => shell::local,
        "wait" => shell::wait,
        "trap" => shell::trap,
        "umask" | "ulimit" | "hash" | "alias" | "unalias" => shell::true_,
        "type" | "command" => shell::type_,
        "exec" => shell::exec,
        "echo" if kind == ShellKind::Dash => echo::echo_dash,
        "echo" => echo::echo,
        "printf" if kind == ShellKind::Dash => echo::printf_dash,
        "printf" => echo::printf,
        "test" | "[" => test::test,
        "[[" if kind != ShellKind::Dash => cond::cond,
        "pwd" => sys::pwd,
        "kill" => sys::kill,
        _ => return None,
    })
}

/// POSIX special builtins: assignments before them stay.
pub fn is_special(name: &str) -> bool {
    matches!(
        name,
        ":" | "."
            | "break"
            | "continue"
            | "eval"
            | "exec"
            | "exit"
            | "export"
            | "readonly"
            | "return"
            | "set"
            | "shift"
            | "unset"
    )
}

/// Programs on disk, run when PATH lookup finds a file we know how to run.
pub fn utility(name: &str) -> Option<Builtin> {
    Some(match name {
        "true" => shell::true_,
        "false" => shell::false_,
        "echo" => echo::echo,
        "printf" => echo::printf,
        "test" | "[" => test::test,
        "ls" => ls::ls,
        "cat" => text::cat,
        "rev" => text::rev,
        "head" => text::head,
        "tail" => text::tail,
        "wc" => text::wc,
        "tee" => text::tee,
        "touch" => files::touch,
        "mkdir" => files::mkdir,
        "rm" => files::rm,
        "rmdir" => files::rmdir,
        "ln" => files::ln,
        "chmod" => files::chmod,
        "cp" => copy::cp,
        "mv" => copy::mv,
        "sort" => filter::sort,
        "uniq" => filter::uniq,
        "cut" => filter::cut,
        "tr" => filter::tr,
        "seq" => filter::seq,
        "grep" => grep::grep,
        "sed" => sed::sed,
        "find" => find::find,
        "stat" => find::stat,
        "du" => find::du,
        "df" => find::df,
        "env" => sys::env,
        "printenv" => sys::printenv,
        "perl" => perl::perl,
        "yes" => stream::yes,
        "base64" => extra::base64,
        "sha256sum" => extra::sha256sum,
        "expr" => extra::expr,
        "readlink" => extra::readlink,
        "realpath" => extra::realpath,
        "nproc" => extra::nproc,
        "tac" => extra::tac,
        "mktemp" => extra::mktemp,
        "timeout" => extra::timeout,
        "chown" | "chgrp" => extra::chown,
        "nohup" => extra::nohup,
        "sync" => extra::sync,
        "tty" => extra::tty,
        "md5sum" => extra::md5sum,
        "awk" | "mawk" => awk::awk,
        "xargs" => stream::xargs,
        "dd" => stream::dd,
        "od" => stream::od,
        "tar" => tar::tar,
        "pwd" => sys::pwd,
        "id" => sys::id,
        "whoami" => sys::whoami,
        "uname" => sys::uname,
        "date" => sys::date,
        "sleep" => sys::sleep,
        "hostname" => sys::hostname,
        "kill" => sys::kill,
        "ps" => sys::ps,
        "procps-ps" => sys::procps_ps,
        "apt" | "apt-get" => apt::apt,
        "pkill" => sys::pkill,
        "basename" => sys::basename,
        "dirname" => sys::dirname,
        "which" => sys::which,
        "nginx" => sys::nginx,
        "httpd" => sys::server,
        "nslookup" => super::net::nslookup,
        "getent" => super::net::getent,
        "ping" => super::net::ping,
        "curl" => super::net::client::curl,
        "wget" => super::net::client::wget,
        _ => return super::images::program(name),
    })
}

/// Parsed command-line options.
#[derive(Debug, Default)]
pub struct Opts {
    pub flags: Vec<char>,
    pub values: Vec<(char, String)>,
    pub operands: Vec<String>,
}

impl Opts {
    pub fn has(&self, c: char) -> bool {
        self.flags.contains(&c)
    }
    pub fn value(&self, c: char) -> Option<&str> {
        self.values.iter().rev().find(|(k, _)| *k == c).map(|(_, v)| v.as_str())
    }
}

/// getopt with GNU's argument permutation. `spec` lists letters; `x:` takes a value.
/// Errors are the text after `prog: ` (`invalid option -- 'z'`).
pub fn getopt(args: &[String], spec: &str) -> Result<Opts, String> {
    let mut o = Opts::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            o.operands.extend(args[i..].iter().cloned());
            break;
        }
        if a.starts_with("--") {
            return Err(format!("unrecognized option '{a}'"));
        }
        if !a.starts_with('-') || a == "-" {
            o.operands.push(a.clone());
            continue;
        }
        let chars: Vec<char> = a[1..].chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let c = chars[j];
            let Some(pos) = spec.find(c) else { return Err(format!("invalid option -- '{c}'")) };
            if spec[pos + c.len_utf8()..].starts_with(':') {
                let rest: String = chars[j + 1..].iter().collect();
                let value = if !rest.is_empty() {
                    rest
                } else if i < args.len() {
                    i += 1;
                    args[i - 1].clone()
                } else {
                    return Err(format!("option requires an argument -- '{c}'"));
                };
                o.values.push((c, value));
                break;
            }
            o.flags.push(c);
            j += 1;
        }
    }
    Ok(o)
}

/// Reports a bad option the way GNU or busybox does; returns the status to exit with.
pub fn usage_error(sh: &Shell, io: &mut Io, prog: &str, msg: &str, status: i32) -> Res {
    match sh.flavor {
        Flavor::Debian => io.err(&format!("{prog}: {msg}\nTry '{prog} --help' for more information.\n")),
        Flavor::Busybox => {
            io.err(&format!("{prog}: {msg}\nBusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n"))
        }
    }
    Ok(status)
}

/// Writes to stdout; a full device is reported (`cat: write error: No space left on device`),
/// a closed pipe ends the program quietly.
pub fn put(io: &mut Io, prog: &str, data: &[u8]) -> Result<(), i32> {
    match io.out(data) {
        Ok(()) => Ok(()),
        Err(Errno::Pipe) => Err(141),
        Err(e) => {
            io.err(&format!("{prog}: write error: {e}\n"));
            Err(1)
        }
    }
}

/// GNU's quoting of a file name in messages: `'name'`.
pub fn q(name: &str) -> String {
    if name.contains('\'') {
        format!("\"{name}\"")
    } else {
        format!("'{name}'")
    }
}

pub fn gnu(sh: &Shell) -> bool {
    sh.flavor == Flavor::Debian
}

/// Reads a named file or `-` (stdin), as `cat`-like programs do.
pub fn read_arg(sh: &mut Shell, io: &mut Io, name: &str) -> Result<Vec<u8>, Errno> {
    open_arg(sh, io, name).map(Source::into_bytes)
}

/// Opens a named file or `-` (stdin) for a reader that may want only part of it.
pub fn open_arg(sh: &mut Shell, io: &mut Io, name: &str) -> Result<Source, Errno> {
    if name == "-" || name == "/dev/stdin" {
        return Ok(io.stdin.take_source());
    }
    let cwd = sh.env.cwd.clone();
    sh.fs.open(&cwd, name)
}

/// Lines of text, each without its newline (a missing final newline still makes a line).
pub fn lines(data: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(data);
    let mut v: Vec<String> = text.split('\n').map(str::to_string).collect();
    if text.ends_with('\n') || text.is_empty() {
        v.pop();
    }
    v
}
