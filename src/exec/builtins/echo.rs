//! echo and printf.

use super::super::interp::{Res, Shell};
use super::super::io::Io;
use super::put;

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

pub fn printf(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let Some(fmt) = argv.get(1) else {
        io.err(if super::gnu(sh) { "printf: missing operand\n" } else { "printf: usage: printf format [arguments]\n" });
        return Ok(if super::gnu(sh) { 1 } else { 2 });
    };
    let args = &argv[2..];
    let mut out = Vec::new();
    let mut used = 0;
    let mut status = 0;
    // The format is reused while arguments remain, as POSIX requires.
    for _ in 0..=args.len() {
        let consumed = format_once(fmt, &args[used.min(args.len())..], &mut out, &mut status);
        used += consumed;
        if consumed == 0 || used >= args.len() {
            break;
        }
    }
    if status != 0 {
        io.err("printf: invalid number\n");
    }
    Ok(put(io, "printf", &out).err().unwrap_or(status))
}

/// Formats `fmt` once with `args`; returns how many arguments it used.
fn format_once(fmt: &str, args: &[String], out: &mut Vec<u8>, status: &mut i32) -> usize {
    let chars: Vec<char> = fmt.chars().collect();
    let mut used = 0;
    let mut i = 0;
    let next = |used: &mut usize| -> String {
        let v = args.get(*used).cloned().unwrap_or_default();
        *used += 1;
        v
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let end = (i + 2).min(chars.len());
            let seq: String = if chars.get(i + 1) == Some(&'0') {
                let n = chars[i + 2..].iter().take(3).take_while(|d| d.is_digit(8)).count();
                chars[i..i + 2 + n].iter().collect()
            } else {
                chars[i..end].iter().collect()
            };
            i += seq.chars().count();
            escapes(&seq, out);
            continue;
        }
        if c != '%' {
            out.extend_from_slice(c.to_string().as_bytes());
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < chars.len() && "-+ #0123456789.".contains(chars[i]) {
            i += 1;
        }
        let Some(&conv) = chars.get(i) else {
            out.extend_from_slice(chars[start..].iter().collect::<String>().as_bytes());
            break;
        };
        i += 1;
        let spec: String = chars[start + 1..i - 1].iter().collect();
        let text = match conv {
            '%' => "%".to_string(),
            's' => next(&mut used),
            'b' => {
                let mut v = Vec::new();
                escapes(&next(&mut used), &mut v);
                String::from_utf8_lossy(&v).to_string()
            }
            'c' => next(&mut used).chars().next().map(String::from).unwrap_or_default(),
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                let a = next(&mut used);
                let n = parse_num(&a).unwrap_or_else(|| {
                    *status = 1;
                    0
                });
                match conv {
                    'x' => format!("{n:x}"),
                    'X' => format!("{n:X}"),
                    'o' => format!("{n:o}"),
                    _ => n.to_string(),
                }
            }
            'f' | 'g' | 'e' => {
                let n: f64 = next(&mut used).trim().parse().unwrap_or(0.0);
                let prec = spec.split_once('.').and_then(|(_, p)| p.parse().ok()).unwrap_or(6);
                format!("{n:.prec$}")
            }
            other => format!("%{spec}{other}"),
        };
        out.extend_from_slice(pad(&text, &spec).as_bytes());
    }
    used
}

fn parse_num(a: &str) -> Option<i64> {
    let a = a.trim();
    if a.is_empty() {
        return Some(0);
    }
    if let Some(c) = a.strip_prefix('\'').or_else(|| a.strip_prefix('"')) {
        return c.chars().next().map(|c| c as i64);
    }
    a.parse().ok()
}

/// Applies a `%-10s` / `%05d` style width.
fn pad(text: &str, spec: &str) -> String {
    let left = spec.contains('-');
    let zero = spec.starts_with('0') && !left;
    let width_part: String =
        spec.chars().skip_while(|c| "-+ #0".contains(*c)).take_while(|c| c.is_ascii_digit()).collect();
    let width: usize = width_part.parse().unwrap_or(0);
    let text = match spec.split_once('.') {
        Some((_, p)) if !text.chars().all(|c| c.is_ascii_digit() || c == '-') => {
            let p: usize = p.parse().unwrap_or(usize::MAX);
            text.chars().take(p).collect()
        }
        _ => text.to_string(),
    };
    let n = text.chars().count();
    if n >= width {
        return text;
    }
    let fill = width - n;
    if left {
        format!("{text}{}", " ".repeat(fill))
    } else if zero {
        format!("{}{text}", "0".repeat(fill))
    } else {
        format!("{}{text}", " ".repeat(fill))
    }
}
