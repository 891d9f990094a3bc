//! base64, sha256sum, expr, readlink, realpath, nproc, tac, mktemp, timeout.

use super::super::backing::Entry;
use super::super::interp::{Flow, Res, Shell};
use super::super::io::Io;
use super::{getopt, gnu, open_arg, put, usage_error};
use sha2::{Digest, Sha256};

/// `base64 [-d] [-w COLS] [FILE]`: encodes (lines of 76 characters) or decodes.
pub fn base64(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "diw:") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "base64", &m, 1),
    };
    let file = o.operands.first().cloned().unwrap_or_else(|| "-".into());
    let data = match open_arg(sh, io, &file) {
        Ok(s) => s.into_bytes(),
        Err(e) => {
            io.err(&format!("base64: {file}: {e}\n"));
            return Ok(1);
        }
    };
    if o.has('d') {
        let text: Vec<u8> = data.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
        let (bytes, ok) = decode64(&text);
        if let Err(code) = put(io, "base64", &bytes) {
            return Ok(code);
        }
        if !ok {
            io.err("base64: invalid input\n");
            return Ok(1);
        }
        return Ok(0);
    }
    let cols: usize = o.value('w').and_then(|w| w.parse().ok()).unwrap_or(76);
    let enc = crate::base64::encode(&data);
    let mut out = String::new();
    if cols == 0 {
        // `-w 0`: one line, without a newline at its end.
        out.push_str(&enc);
    } else {
        for chunk in enc.as_bytes().chunks(cols) {
            out.push_str(&String::from_utf8_lossy(chunk));
            out.push('\n');
        }
    }
    Ok(put(io, "base64", out.as_bytes()).err().unwrap_or(0))
}

/// Standard base64 decoding; false when the text is not valid base64 (what came before is kept).
fn decode64(text: &[u8]) -> (Vec<u8>, bool) {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    };
    let body_len = text.len() - text.iter().rev().take_while(|c| **c == b'=').count();
    let (body, pad) = text.split_at(body_len);
    let mut out = Vec::new();
    for chunk in body.chunks(4) {
        let mut n = 0u32;
        for (k, c) in chunk.iter().enumerate() {
            let Some(v) = val(*c) else { return (out, false) };
            n |= v << (18 - 6 * k);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        match chunk.len() {
            4 => out.extend_from_slice(&bytes),
            3 => out.extend_from_slice(&bytes[..2]),
            2 => out.push(bytes[0]),
            _ => return (out, false),
        }
    }
    let complete = (body.len() + pad.len()) % 4 == 0 && pad.len() <= 2;
    (out, complete)
}

/// `sha256sum [FILE...]`: `HASH  NAME` lines (`-` for stdin).
pub fn sha256sum(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    checksum(sh, io, argv, "sha256sum", |data| Sha256::digest(data).to_vec())
}

/// A checksum program: the digest of each file (stdin for `-` or none) as `HASH  NAME` lines;
/// a file it cannot read is reported and makes the status 1.
fn checksum(sh: &mut Shell, io: &mut Io, argv: &[String], name: &str, digest: fn(&[u8]) -> Vec<u8>) -> Res {
    let files: Vec<String> = argv[1..].iter().filter(|a| !a.starts_with('-') || *a == "-").cloned().collect();
    let files = if files.is_empty() { vec!["-".to_string()] } else { files };
    let mut status = 0;
    for f in &files {
        match open_arg(sh, io, f) {
            Ok(s) => {
                let hex: String = digest(&s.into_bytes()).iter().map(|b| format!("{b:02x}")).collect();
                if let Err(code) = put(io, name, format!("{hex}  {f}\n").as_bytes()) {
                    return Ok(code);
                }
            }
            Err(e) => {
                io.err(&format!("{name}: {f}: {e}\n"));
                status = 1;
            }
        }
    }
    Ok(status)
}

/// `expr`: arithmetic (`+ - * / %`), comparisons, `&`, `|`, `:` (anchored match), `length`,
/// `substr`, `index`, with parentheses; exit 1 when the result is 0 or empty, 2 on bad input.
pub fn expr(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let toks: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    if toks.is_empty() {
        return usage_error(sh, io, "expr", "missing operand", 2);
    }
    let mut p = ExprP { t: &toks, i: 0, gnu: gnu(sh) };
    let v = match p.or() {
        Ok(v) if p.i == toks.len() => v,
        Ok(_) => {
            let msg = if p.gnu {
                format!("expr: syntax error: unexpected argument {}\n", super::q(toks[p.i]))
            } else {
                "expr: syntax error\n".to_string()
            };
            io.err(&msg);
            return Ok(2);
        }
        Err(m) => {
            io.err(&format!("expr: {m}\n"));
            return Ok(2);
        }
    };
    let zero = v.is_empty() || v.parse::<i64>().is_ok_and(|n| n == 0);
    if let Err(code) = put(io, "expr", format!("{v}\n").as_bytes()) {
        return Ok(code);
    }
    Ok(i32::from(zero))
}

struct ExprP<'a> {
    t: &'a [&'a str],
    i: usize,
    gnu: bool,
}

impl<'a> ExprP<'a> {
    fn peek(&self) -> Option<&'a str> {
        self.t.get(self.i).copied()
    }
    fn num(&self, s: &str) -> Result<i64, String> {
        s.trim().parse::<i64>().map_err(|_| "non-integer argument".to_string())
    }
    fn or(&mut self) -> Result<String, String> {
        let mut l = self.and()?;
        while self.peek() == Some("|") {
            self.i += 1;
            let r = self.and()?;
            if is_null(&l) {
                l = if is_null(&r) { "0".into() } else { r };
            }
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<String, String> {
        let mut l = self.cmp()?;
        while self.peek() == Some("&") {
            self.i += 1;
            let r = self.cmp()?;
            if is_null(&l) || is_null(&r) {
                l = "0".into();
            }
        }
        Ok(l)
    }
    fn cmp(&mut self) -> Result<String, String> {
        let mut l = self.add()?;
        while let Some(op @ ("<" | "<=" | "=" | "==" | "!=" | ">=" | ">")) = self.peek() {
            self.i += 1;
            let r = self.add()?;
            let ord = match (l.parse::<i64>(), r.parse::<i64>()) {
                (Ok(a), Ok(b)) => a.cmp(&b),
                _ => l.cmp(&r),
            };
            use std::cmp::Ordering::*;
            let t = match op {
                "<" => ord == Less,
                "<=" => ord != Greater,
                "=" | "==" => ord == Equal,
                "!=" => ord != Equal,
                ">=" => ord != Less,
                _ => ord == Greater,
            };
            l = if t { "1".into() } else { "0".into() };
        }
        Ok(l)
    }
    fn add(&mut self) -> Result<String, String> {
        let mut l = self.mul()?;
        while let Some(op @ ("+" | "-")) = self.peek() {
            self.i += 1;
            let r = self.mul()?;
            let (a, b) = (self.num(&l)?, self.num(&r)?);
            l = if op == "+" { a.checked_add(b) } else { a.checked_sub(b) }.ok_or("integer overflow")?.to_string();
        }
        Ok(l)
    }
    fn mul(&mut self) -> Result<String, String> {
        let mut l = self.matching()?;
        while let Some(op @ ("*" | "/" | "%")) = self.peek() {
            self.i += 1;
            let r = self.matching()?;
            let (a, b) = (self.num(&l)?, self.num(&r)?);
            if op != "*" && b == 0 {
                return Err("division by zero".into());
            }
            l = match op {
                "*" => a.checked_mul(b).ok_or("integer overflow")?,
                "/" => a / b,
                _ => a % b,
            }
            .to_string();
        }
        Ok(l)
    }
    fn matching(&mut self) -> Result<String, String> {
        let mut l = self.primary()?;
        while self.peek() == Some(":") {
            self.i += 1;
            let pat = self.primary()?;
            l = anchored_match(&l, &pat)?;
        }
        Ok(l)
    }
    fn primary(&mut self) -> Result<String, String> {
        let Some(t) = self.peek() else {
            return Err(if self.gnu {
                format!("syntax error: missing argument after {}", super::q(self.t.last().copied().unwrap_or("")))
            } else {
                "syntax error".into()
            });
        };
        self.i += 1;
        match t {
            "(" => {
                let v = self.or()?;
                if self.peek() != Some(")") {
                    return Err(if self.gnu { "syntax error: expecting ')'".into() } else { "syntax error".into() });
                }
                self.i += 1;
                Ok(v)
            }
            "length" => Ok(self.primary()?.chars().count().to_string()),
            "substr" => {
                let s: Vec<char> = self.primary()?.chars().collect();
                let (p, n) = (self.primary()?, self.primary()?);
                let (p, n) = (p.parse::<usize>().unwrap_or(0), n.parse::<usize>().unwrap_or(0));
                if p == 0 || p > s.len() {
                    return Ok(String::new());
                }
                Ok(s[p - 1..(p - 1 + n).min(s.len())].iter().collect())
            }
            "index" => {
                let s = self.primary()?;
                let chars = self.primary()?;
                Ok(s.chars().position(|c| chars.contains(c)).map_or(0, |p| p + 1).to_string())
            }
            "match" => {
                let s = self.primary()?;
                let pat = self.primary()?;
                anchored_match(&s, &pat)
            }
            "+" => self.primary(),
            t => Ok(t.to_string()),
        }
    }
}

fn is_null(s: &str) -> bool {
    s.is_empty() || s == "0"
}

/// `STRING : REGEX`: the match is anchored at the start; the first group's text, or the length.
fn anchored_match(s: &str, pat: &str) -> Result<String, String> {
    let re = super::regex::Regex::new(&format!("^{}", pat.trim_start_matches('^')), false, false)
        .map_err(|e| format!("Invalid regular expression: {e}"))?;
    let chars: Vec<char> = s.chars().collect();
    let caps = re.find_at(&chars, 0).filter(|c| c[0].is_some_and(|(a, _)| a == 0));
    let has_group = pat.contains("\\(");
    Ok(match caps {
        Some(c) if has_group => {
            c.get(1).copied().flatten().map(|(a, b)| chars[a..b].iter().collect()).unwrap_or_default()
        }
        Some(c) => c[0].map_or(0, |(a, b)| b - a).to_string(),
        None if has_group => String::new(),
        None => "0".into(),
    })
}

/// `readlink [-f|-e|-m] PATH`: a link's target, or with `-f` the canonical path.
pub fn readlink(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "femnqsvz") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "readlink", &m, 1),
    };
    let canon = o.has('f') || o.has('e') || o.has('m');
    let mut status = 0;
    let cwd = sh.env.cwd.clone();
    for f in &o.operands {
        let got = if canon {
            sh.fs.resolve(&cwd, f, true).ok().filter(|p| !o.has('e') || sh.fs.lstat(p).ok().flatten().is_some())
        } else {
            let p = super::super::path::normalize(&cwd, f);
            match sh.fs.lstat(&p) {
                Ok(Some(e)) if e.kind == super::super::backing::EntryKind::Symlink => {
                    Some(String::from_utf8_lossy(&e.data).into_owned())
                }
                _ => None,
            }
        };
        match got {
            Some(t) => {
                if let Err(code) = put(io, "readlink", format!("{t}\n").as_bytes()) {
                    return Ok(code);
                }
            }
            None => status = 1,
        }
    }
    Ok(status)
}

/// `realpath PATH...`: the canonical path.
pub fn realpath(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let cwd = sh.env.cwd.clone();
    let mut status = 0;
    for f in argv[1..].iter().filter(|a| !a.starts_with('-')) {
        match sh.fs.resolve(&cwd, f, true) {
            Ok(p) => {
                if let Err(code) = put(io, "realpath", format!("{p}\n").as_bytes()) {
                    return Ok(code);
                }
            }
            Err(e) => {
                io.err(&format!("realpath: {f}: {e}\n"));
                status = 1;
            }
        }
    }
    Ok(status)
}

/// `nproc`: the node's CPUs (4), or the container's CPU limit rounded up when it has one.
pub fn nproc(_: &mut Shell, io: &mut Io, _: &[String]) -> Res {
    Ok(put(io, "nproc", b"4\n").err().unwrap_or(0))
}

/// `tac [FILE...]`: lines in reverse order.
pub fn tac(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let files = if argv.len() > 1 { argv[1..].to_vec() } else { vec!["-".to_string()] };
    let mut status = 0;
    for f in &files {
        match open_arg(sh, io, f) {
            Ok(s) => {
                let data = s.into_bytes();
                let mut lines: Vec<&[u8]> = data.split_inclusive(|b| *b == b'\n').collect();
                lines.reverse();
                let out: Vec<u8> = lines.concat();
                if let Err(code) = put(io, "tac", &out) {
                    return Ok(code);
                }
            }
            Err(e) => {
                let msg = if gnu(sh) {
                    format!("tac: failed to open {} for reading: {e}\n", super::q(f))
                } else {
                    format!("tac: can't open '{f}': {e}\n")
                };
                io.err(&msg);
                status = 1;
            }
        }
    }
    Ok(status)
}

/// `mktemp [-d] [-p DIR] [TEMPLATE]`: creates a file (or directory) with a fresh name.
pub fn mktemp(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "dqup:t") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "mktemp", &m, 1),
    };
    let template = o.operands.first().cloned().unwrap_or_else(|| "tmp.XXXXXXXXXX".into());
    let xs = template.chars().rev().take_while(|c| *c == 'X').count();
    if xs < 3 {
        io.err(&format!("mktemp: too few X's in template {}\n", super::q(&template)));
        return Ok(1);
    }
    let dir = o.value('p').map(str::to_string).or_else(|| (!template.contains('/')).then(|| "/tmp".to_string()));
    let cwd = sh.env.cwd.clone();
    let now = sh.fs.now;
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for attempt in 0u64..100 {
        let mut seed = Sha256::new();
        seed.update(format!("{template}{now}{attempt}{}", sh.fs.c.pod_name));
        let h = seed.finalize();
        let suffix: String = h.iter().take(xs).map(|b| CHARS[*b as usize % CHARS.len()] as char).collect();
        let name = format!("{}{suffix}", &template[..template.len() - xs]);
        let full = match &dir {
            Some(d) => format!("{}/{name}", d.trim_end_matches('/')),
            None => name,
        };
        let p = super::super::path::normalize(&cwd, &full);
        if sh.fs.lstat(&p).ok().flatten().is_some() {
            continue;
        }
        let entry = if o.has('d') { Entry::dir(0o700, now) } else { Entry::file(0o600, now, Vec::new()) };
        let made = if o.has('u') { Ok(()) } else { sh.fs.write_file(&p, entry) };
        return match made {
            Ok(()) => Ok(put(io, "mktemp", format!("{full}\n").as_bytes()).err().unwrap_or(0)),
            Err(e) => {
                let what = if o.has('d') { "directory" } else { "file" };
                io.err(&format!("mktemp: failed to create {what} via template {}: {e}\n", super::q(&full)));
                Ok(1)
            }
        };
    }
    Ok(1)
}

/// `timeout [-s SIG] [-k D] DURATION CMD [ARGS]`: runs the command; time does not pass inside a
/// command, so it always finishes first.
pub fn timeout(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        match a.as_str() {
            "-s" | "-k" | "--signal" | "--kill-after" => i += 2,
            "--preserve-status" | "--foreground" | "-v" | "--verbose" => i += 1,
            s if s.starts_with('-') && s.len() > 1 && !s[1..].starts_with(|c: char| c.is_ascii_digit()) => i += 1,
            _ => break,
        }
    }
    let Some(duration) = argv.get(i) else {
        return usage_error(sh, io, "timeout", "missing operand", 125);
    };
    if super::super::timed::sleep_millis(std::slice::from_ref(duration)).is_err() {
        io.err(&format!("timeout: invalid time interval {}\n", super::q(duration)));
        return Ok(125);
    }
    let Some(cmd) = argv.get(i + 1) else {
        return usage_error(sh, io, "timeout", &format!("missing operand after {}", super::q(duration)), 125);
    };
    let found = sh.find_program(cmd);
    match found {
        super::super::simple::Lookup::NotFound => {
            let msg = if gnu(sh) {
                format!("timeout: failed to run command {}: No such file or directory\n", super::q(cmd))
            } else {
                format!("timeout: can't execute '{cmd}': No such file or directory\n")
            };
            io.err(&msg);
            Ok(127)
        }
        super::super::simple::Lookup::Denied => {
            io.err(&format!("timeout: failed to run command {}: Permission denied\n", super::q(cmd)));
            Ok(126)
        }
        found => match sh.exec_found(found, &argv[i + 1..], io) {
            Ok(s) | Err(Flow::Exit(s)) => Ok(s),
            Err(e) => Err(e),
        },
    }
}

/// `chown [-R] USER[:GROUP] FILE...` and `chgrp [-R] GROUP FILE...`: names from the image's
/// `/etc/passwd` and `/etc/group`, or numbers.
pub fn chown(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let prog = if argv[0].ends_with("chgrp") { "chgrp" } else { "chown" };
    let o = match getopt(&argv[1..], "RfvhHLP") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, prog, &m, 1),
    };
    let Some((spec, files)) = o.operands.split_first() else {
        return usage_error(sh, io, prog, "missing operand", 1);
    };
    if files.is_empty() {
        return usage_error(sh, io, prog, &format!("missing operand after {}", super::q(spec)), 1);
    }
    let (user, group) = if prog == "chgrp" {
        (None, Some(spec.as_str()))
    } else {
        match spec.split_once([':', '.']) {
            Some((u, g)) => ((!u.is_empty()).then_some(u), (!g.is_empty()).then_some(g)),
            None => (Some(spec.as_str()), None),
        }
    };
    let uid = match user.map(|u| id_of(sh, "/etc/passwd", u)) {
        Some(None) => return bad_owner(sh, io, prog, "user", user.unwrap_or_default()),
        other => other.flatten(),
    };
    let gid = match group.map(|g| id_of(sh, "/etc/group", g)) {
        Some(None) => return bad_owner(sh, io, prog, "group", group.unwrap_or_default()),
        other => other.flatten(),
    };
    let cwd = sh.env.cwd.clone();
    let mut status = 0;
    for f in files {
        let r = sh.fs.stat(&cwd, f).and_then(|(p, _)| chown_tree(sh, &p, uid, gid, o.has('R'), 0));
        if let Err(e) = r {
            let msg = if gnu(sh) && e == super::super::errno::Errno::Noent {
                format!("{prog}: cannot access {}: {e}\n", super::q(f))
            } else if gnu(sh) {
                format!("{prog}: changing ownership of {}: {e}\n", super::q(f))
            } else {
                format!("{prog}: {f}: {e}\n")
            };
            io.err(&msg);
            status = 1;
        }
    }
    Ok(status)
}

fn bad_owner(sh: &Shell, io: &mut Io, prog: &str, what: &str, name: &str) -> Res {
    let msg = if gnu(sh) {
        format!("{prog}: invalid {what}: {}\n", super::q(name))
    } else {
        format!("{prog}: unknown {what} {name}\n")
    };
    io.err(&msg);
    Ok(1)
}

/// A user's or group's id by name or number from a passwd-style file.
fn id_of(sh: &mut Shell, file: &str, name: &str) -> Option<u32> {
    if let Ok(n) = name.parse::<u32>() {
        return Some(n);
    }
    let text = String::from_utf8_lossy(&sh.fs.read("/", file).unwrap_or_default()).into_owned();
    text.lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.first() == Some(&name))
        .and_then(|f| f.get(2)?.parse().ok())
}

fn chown_tree(
    sh: &mut Shell,
    p: &str,
    uid: Option<u32>,
    gid: Option<u32>,
    recursive: bool,
    depth: usize,
) -> Result<(), super::super::errno::Errno> {
    let Some(mut e) = sh.fs.lstat(p)? else { return Err(super::super::errno::Errno::Noent) };
    if let Some(u) = uid {
        e.uid = u;
    }
    if let Some(g) = gid {
        e.gid = g;
    }
    sh.fs.put(p, &e)?;
    if recursive && e.is_dir() && depth < 64 {
        for name in sh.fs.children(p)?.into_iter().take(100_000) {
            chown_tree(sh, &super::super::path::join(p, &name), uid, gid, true, depth + 1)?;
        }
    }
    Ok(())
}

/// `nohup CMD [ARGS]`: runs the command (no terminal here, so nothing is redirected).
pub fn nohup(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let Some(cmd) = argv.get(1) else {
        return usage_error(sh, io, "nohup", "missing operand", 125);
    };
    match sh.find_program(cmd) {
        super::super::simple::Lookup::NotFound => {
            io.err(&format!("nohup: failed to run command {}: No such file or directory\n", super::q(cmd)));
            Ok(127)
        }
        found => match sh.exec_found(found, &argv[1..], io) {
            Ok(s) | Err(Flow::Exit(s)) => Ok(s),
            Err(e) => Err(e),
        },
    }
}

/// `sync`: everything is stored when written.
pub fn sync(_: &mut Shell, _: &mut Io, _: &[String]) -> Res {
    Ok(0)
}

/// `tty`: the terminal of `exec -t`, else `not a tty` (exit 1).
pub fn tty(sh: &mut Shell, io: &mut Io, _: &[String]) -> Res {
    if sh.fs.c.tty {
        return Ok(put(io, "tty", b"/dev/pts/0\n").err().unwrap_or(0));
    }
    Ok(put(io, "tty", b"not a tty\n").err().unwrap_or(1))
}

/// `md5sum [FILE...]`: `HASH  NAME` lines.
pub fn md5sum(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    checksum(sh, io, argv, "md5sum", |data| md5(data).to_vec())
}

/// MD5 (RFC 1321).
fn md5(data: &[u8]) -> [u8; 16] {
    let s: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14,
        20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6,
        10, 15, 21,
    ];
    let k: Vec<u32> = (0..64).map(|i| ((i as f64 + 1.0).sin().abs() * 4_294_967_296.0) as u32).collect();
    let mut h: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_le_bytes());
    for block in msg.chunks(64) {
        let m: Vec<u32> = block.chunks(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect();
        let [mut a, mut b, mut c, mut d] = h;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(k[i]).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(s[i]));
        }
        h = [h[0].wrapping_add(a), h[1].wrapping_add(b), h[2].wrapping_add(c), h[3].wrapping_add(d)];
    }
    let mut out = [0u8; 16];
    for (i, w) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&w.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn md5_of_known_strings() {
        let hex = |d: &[u8]| super::md5(d).iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hex(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(hex(b"The quick brown fox jumps over the lazy dog"), "9e107d9d372bb6826bd81d3542a419d6");
        // Two blocks (RFC 1321's test suite).
        let digits = "1234567890".repeat(8);
        assert_eq!(hex(digits.as_bytes()), "57edf4a22be3c955ac49da2e2107b67a");
    }
}
