//! echo and printf.

use super::super::interp::{Res, Shell};
use super::super::io::Io;
use super::put;
use crate::exec::errno::Errno;
use crate::format::c::Dialect;
use crate::format::{self, Sink};

/// Backslash escapes of `echo -e` / dash's echo / printf's `%b`. Returns true at `\c` (stop).
fn escapes(s: &str, out: &mut Vec<u8>) -> bool {
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match it.next() {
            Some('n') => out.push(b'\n'),
            Some('t') => out.push(b'\t'),
            Some('r') => out.push(b'\r'),
            Some('a') => out.push(7),
            Some('b') => out.push(8),
            Some('f') => out.push(12),
            Some('v') => out.push(11),
            Some('e') => out.push(27),
            Some('\\') => out.push(b'\\'),
            Some('c') => return true,
            Some('0') => {
                let mut v = 0u32;
                for _ in 0..3 {
                    match it.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            it.next();
                        }
                        None => break,
                    }
                }
                out.push(v as u8);
            }
            Some(o) => {
                out.push(b'\\');
                let mut buf = [0; 4];
                out.extend_from_slice(o.encode_utf8(&mut buf).as_bytes());
            }
            None => out.push(b'\\'),
        }
    }
    false
}

/// GNU coreutils / busybox echo: `-n`, `-e`, `-E`; escapes off by default.
pub fn echo(_: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let (mut newline, mut interp, mut i) = (true, false, 1);
    while let Some(a) = argv.get(i) {
        let flags = a.strip_prefix('-').filter(|f| !f.is_empty() && f.chars().all(|c| "neE".contains(c)));
        let Some(flags) = flags else { break };
        for c in flags.chars() {
            match c {
                'n' => newline = false,
                'e' => interp = true,
                _ => interp = false,
            }
        }
        i += 1;
    }
    let mut out = Vec::new();
    let mut stopped = false;
    for (k, a) in argv[i..].iter().enumerate() {
        if k > 0 {
            out.push(b' ');
        }
        if interp {
            if escapes(a, &mut out) {
                stopped = true;
                break;
            }
        } else {
            out.extend_from_slice(a.as_bytes());
        }
    }
    if newline && !stopped {
        out.push(b'\n');
    }
    Ok(put(io, "echo", &out).err().unwrap_or(0))
}

/// dash's builtin echo: only `-n`, and escapes are always interpreted.
pub fn echo_dash(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let (newline, start) = if argv.get(1).is_some_and(|a| a == "-n") { (false, 2) } else { (true, 1) };
    let mut out = Vec::new();
    let mut stopped = false;
    for (k, a) in argv[start..].iter().enumerate() {
        if k > 0 {
            out.push(b' ');
        }
        if escapes(a, &mut out) {
            stopped = true;
            break;
        }
    }
    if newline && !stopped {
        out.push(b'\n');
    }
    match io.out(&out) {
        Ok(()) => Ok(0),
        Err(e) => {
            if e != super::super::errno::Errno::Pipe {
                io.err(&sh.diag("echo: echo: I/O error"));
            }
            Ok(1)
        }
    }
}

/// GNU coreutils' `printf` (busybox's answers the same way here).
pub fn printf(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    run_printf(sh, io, argv, Dialect::Gnu)
}

/// dash's builtin `printf`.
pub fn printf_dash(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    run_printf(sh, io, argv, Dialect::Dash)
}

fn run_printf(sh: &mut Shell, io: &mut Io, argv: &[String], dialect: Dialect) -> Res {
    let Some(fmt) = argv.get(1) else {
        return Ok(match dialect {
            Dialect::Dash => {
                io.err(&sh.diag("printf: usage: printf format [arg ...]"));
                2
            }
            Dialect::Gnu if super::gnu(sh) => {
                io.err("printf: missing operand\nTry 'printf --help' for more information.\n");
                1
            }
            Dialect::Gnu => {
                io.err("printf: usage: printf format [arguments]\n");
                2
            }
        });
    };
    let mut diags = Vec::new();
    let result = format::c::printf(dialect, fmt.as_bytes(), &argv[2..], &mut Stdout(io), &mut diags);
    for d in diags {
        match dialect {
            Dialect::Dash => io.err(&sh.diag(&format!("printf: {d}"))),
            Dialect::Gnu => io.err(&format!("printf: {d}\n")),
        }
    }
    Ok(match result {
        Ok(status) => status,
        Err(Errno::Pipe) => 141,
        Err(e) => {
            io.err(&format!("printf: write error: {e}\n"));
            1
        }
    })
}

/// fd 1 as the formatter's sink.
struct Stdout<'a>(&'a mut Io);

impl Sink for Stdout<'_> {
    type Error = Errno;

    fn put(&mut self, bytes: &[u8]) -> Result<(), Errno> {
        self.0.out(bytes)
    }
}
