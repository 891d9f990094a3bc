//! yes, xargs, dd, od: programs that move or show a stream of bytes.

use super::super::errno::Errno;
use super::super::interp::{Flow, Res, Shell};
use super::super::io::Io;
use super::super::simple::Lookup;
use super::super::source::Source;
use super::{gnu, open_arg, put, q, usage_error};
use crate::format::c::{printf, Dialect};
use crate::format::Capped;

/// Bytes `yes` writes to a sink that never fills (/dev/null) before it is taken to run forever.
const YES_ENDLESS_BYTES: usize = 1 << 30;

/// `yes [STRING...]`: the line, over and over, until the output is closed or full.
pub fn yes(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let line = if argv.len() > 1 { argv[1..].join(" ") } else { "y".to_string() };
    let mut chunk = Vec::new();
    while chunk.len() < 8192 {
        chunk.extend_from_slice(line.as_bytes());
        chunk.push(b'\n');
    }
    let mut written = 0;
    loop {
        match io.out(&chunk) {
            Ok(()) => {}
            Err(Errno::Pipe) => return Ok(141),
            Err(e) => {
                let msg =
                    if gnu(sh) { format!("yes: standard output: {e}\n") } else { format!("yes: write error: {e}\n") };
                io.err(&msg);
                return Ok(1);
            }
        }
        written += chunk.len();
        if written > YES_ENDLESS_BYTES {
            // Into /dev/null `yes` never ends; kstate stops it as it stops any endless command.
            return Err(Flow::Abort("too many commands"));
        }
    }
}

/// `xargs [-0] [-d D] [-n N] [-L N] [-I R] [-r] [-t] [CMD [ARGS]]`: runs the command with the
/// items of standard input as further arguments (GNU's exit codes: 123, 124, 126, 127).
pub fn xargs(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let mut i = 1;
    let (mut nul, mut delim, mut max_args, mut max_lines, mut repl, mut no_empty, mut trace, mut eof) =
        (false, None::<char>, None::<usize>, None::<usize>, None::<String>, false, false, None::<String>);
    while let Some(a) = argv.get(i) {
        if !a.starts_with('-') || a == "-" {
            break;
        }
        i += 1;
        if a == "--" {
            break;
        }
        for (k, c) in a[1..].char_indices() {
            let rest = &a[1 + k + c.len_utf8()..];
            let takes = matches!(c, 'd' | 'n' | 'L' | 'I' | 'P' | 's' | 'E' | 'a');
            let value = if !takes {
                None
            } else if !rest.is_empty() {
                Some(rest.to_string())
            } else if let Some(v) = argv.get(i) {
                i += 1;
                Some(v.clone())
            } else {
                return usage_error(sh, io, "xargs", &format!("option requires an argument -- '{c}'"), 1);
            };
            match c {
                '0' => nul = true,
                'r' => no_empty = true,
                't' => trace = true,
                'x' | 'p' => {}
                'd' => delim = value.as_deref().map(unescape_delim),
                'n' => max_args = value.and_then(|v| v.parse().ok()).filter(|n| *n > 0),
                'L' => max_lines = value.and_then(|v| v.parse().ok()).filter(|n| *n > 0),
                'I' => repl = value,
                'E' => eof = value,
                'P' | 's' | 'a' => {}
                other => return usage_error(sh, io, "xargs", &format!("invalid option -- '{other}'"), 1),
            }
            if takes {
                break;
            }
        }
    }
    let cmd: Vec<String> = if i < argv.len() { argv[i..].to_vec() } else { vec!["echo".to_string()] };
    let input = String::from_utf8_lossy(&io.stdin.take_all()).into_owned();
    // Each run's arguments: items, grouped by -n/-L, one line per run with -I.
    let runs: Vec<Vec<String>> = if let Some(r) = &repl {
        input
            .lines()
            .map(|l| l.trim_start().to_string())
            .filter(|l| !l.is_empty())
            .map(|l| cmd[1..].iter().map(|a| a.replace(r.as_str(), &l)).collect())
            .collect()
    } else {
        let lines: Vec<Vec<String>> = if nul || delim.is_some() {
            let d = if nul { '\0' } else { delim.unwrap_or('\n') };
            let mut items: Vec<String> = input.split(d).map(str::to_string).collect();
            if items.last().is_some_and(|s| s.is_empty()) || (!nul && items.last().is_some_and(|s| s == "\n")) {
                items.pop();
            }
            vec![items]
        } else {
            match split_items(&input, eof.as_deref()) {
                Ok(v) => v,
                Err(quote) => {
                    let msg = if gnu(sh) {
                        format!("xargs: unmatched {quote} quote; by default quotes are special to xargs unless you use the -0 option\n")
                    } else {
                        format!("xargs: unmatched {quote} quote\n")
                    };
                    io.err(&msg);
                    return Ok(1);
                }
            }
        };
        let items: Vec<String> = lines.iter().flatten().cloned().collect();
        let groups: Vec<Vec<String>> = if let Some(n) = max_lines {
            lines.chunks(n).map(|c| c.concat()).collect()
        } else if let Some(n) = max_args {
            items.chunks(n).map(<[String]>::to_vec).collect()
        } else if items.is_empty() {
            Vec::new()
        } else {
            vec![items]
        };
        // Without -r, empty input still runs the command once (GNU and busybox alike).
        let groups = if groups.is_empty() && !no_empty { vec![Vec::new()] } else { groups };
        groups.into_iter().map(|g| cmd[1..].iter().cloned().chain(g).collect()).collect()
    };
    let found = sh.find_program(&cmd[0]);
    let mut status = 0;
    for args in runs {
        let mut full = vec![cmd[0].clone()];
        full.extend(args);
        if trace {
            io.err(&format!("{}\n", full.join(" ")));
        }
        match &found {
            Lookup::NotFound => {
                io.err(&format!("xargs: {}: No such file or directory\n", cmd[0]));
                return Ok(127);
            }
            Lookup::Denied => {
                io.err(&format!("xargs: {}: Permission denied\n", cmd[0]));
                return Ok(126);
            }
            _ => {}
        }
        // The command reads nothing: xargs gives it /dev/null.
        let stdin = std::mem::take(&mut io.stdin);
        let r = sh.exec_found(found.clone(), &full, io);
        io.stdin = stdin;
        let s = match r {
            Ok(s) | Err(Flow::Exit(s)) => s,
            Err(e) => return Err(e),
        };
        if s == 255 {
            io.err(&format!("xargs: {}: exited with status 255; aborting\n", cmd[0]));
            return Ok(124);
        }
        if s == 141 || s > 128 {
            io.err(&format!("xargs: {}: terminated by signal {}\n", cmd[0], s - 128));
            return Ok(125);
        }
        if s != 0 {
            status = 123;
        }
    }
    Ok(status)
}

/// `-d '\n'`, `-d ,`: the delimiter character.
fn unescape_delim(s: &str) -> char {
    match s {
        "\\n" => '\n',
        "\\t" => '\t',
        "\\0" => '\0',
        _ => s.chars().next().unwrap_or('\n'),
    }
}

/// xargs' default parsing: blank-separated items, `'...'` and `"..."` quoting, backslash
/// escapes; items grouped by input line (for -L). `Err` names an unmatched quote.
fn split_items(input: &str, eof: Option<&str>) -> Result<Vec<Vec<String>>, &'static str> {
    let mut lines = Vec::new();
    for line in input.lines() {
        let mut items = Vec::new();
        let (mut cur, mut have, mut chars) = (String::new(), false, line.chars());
        while let Some(c) = chars.next() {
            match c {
                ' ' | '\t' => {
                    if have {
                        items.push(std::mem::take(&mut cur));
                        have = false;
                    }
                }
                '\'' | '"' => {
                    have = true;
                    loop {
                        match chars.next() {
                            Some(x) if x == c => break,
                            Some(x) => cur.push(x),
                            None => return Err(if c == '\'' { "single" } else { "double" }),
                        }
                    }
                }
                '\\' => {
                    have = true;
                    if let Some(x) = chars.next() {
                        cur.push(x);
                    }
                }
                other => {
                    have = true;
                    cur.push(other);
                }
            }
        }
        if have {
            items.push(cur);
        }
        if let Some(e) = eof {
            if let Some(at) = items.iter().position(|i| i == e) {
                items.truncate(at);
                lines.push(items);
                break;
            }
        }
        if !items.is_empty() {
            lines.push(items);
        }
    }
    Ok(lines)
}

/// dd's operands.
struct Dd {
    input: Option<String>,
    output: Option<String>,
    ibs: usize,
    obs: usize,
    count: Option<u64>,
    skip: u64,
    seek: u64,
    notrunc: bool,
    status: String,
}

/// `dd if= of= bs= ibs= obs= count= skip= seek= conv=notrunc status=none|noxfer`: copies
/// blocks and reports the records and bytes on stderr. No time passes inside a command, so
/// the transfer is reported at a fixed 1 GB/s.
pub fn dd(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let mut o = Dd {
        input: None,
        output: None,
        ibs: 512,
        obs: 512,
        count: None,
        skip: 0,
        seek: 0,
        notrunc: false,
        status: String::new(),
    };
    for a in &argv[1..] {
        let Some((k, v)) = a.split_once('=') else {
            return dd_usage(sh, io, &format!("unrecognized operand {}", q(a)));
        };
        let size = || dd_size(v);
        let bad = |sh: &Shell, io: &mut Io| {
            let msg =
                if gnu(sh) { format!("dd: invalid number: {}\n", q(v)) } else { format!("dd: invalid number '{v}'\n") };
            io.err(&msg);
            Ok(1)
        };
        match k {
            "if" => o.input = Some(v.to_string()),
            "of" => o.output = Some(v.to_string()),
            "bs" | "ibs" | "obs" => {
                let Some(n) = size().filter(|n| *n > 0 && *n <= 1 << 30) else { return bad(sh, io) };
                if k != "obs" {
                    o.ibs = n as usize;
                }
                if k != "ibs" {
                    o.obs = n as usize;
                }
            }
            "count" => {
                o.count = Some(match size() {
                    Some(n) => n,
                    None => return bad(sh, io),
                })
            }
            "skip" | "iseek" => {
                o.skip = match size() {
                    Some(n) => n,
                    None => return bad(sh, io),
                }
            }
            "seek" | "oseek" => {
                o.seek = match size() {
                    Some(n) => n,
                    None => return bad(sh, io),
                }
            }
            "conv" => o.notrunc = v.split(',').any(|c| c == "notrunc"),
            "status" => o.status = v.to_string(),
            "iflag" | "oflag" | "cbs" => {}
            _ => return dd_usage(sh, io, &format!("unrecognized operand {}", q(a))),
        }
    }
    let mut src = match &o.input {
        None => io.stdin.take_source(),
        Some(f) => match open_arg(sh, io, f) {
            Ok(s) => s,
            Err(e) => {
                io.err(&format!("dd: failed to open {}: {e}\n", q(f)));
                return Ok(1);
            }
        },
    };
    let skip_bytes = o.skip.saturating_mul(o.ibs as u64);
    let _ = take_bytes(&mut src, skip_bytes);
    let (mut full_in, mut part_in, mut data) = (0u64, 0u64, Vec::new());
    let limit = super::super::MAX_STORED_BYTES as usize + 1;
    while o.count.is_none_or(|c| full_in + part_in < c) {
        let block = src.take(o.ibs);
        if block.is_empty() {
            break;
        }
        if block.len() == o.ibs {
            full_in += 1;
        } else {
            part_in += 1;
        }
        data.extend_from_slice(&block);
        if data.len() > limit {
            // Past what any write can store: the rest would fail the same way.
            break;
        }
    }
    let (written, error) = match &o.output {
        None => match io.out(&data) {
            Ok(()) => (data.len(), None),
            Err(Errno::Pipe) => return Ok(141),
            Err(e) => (0, Some(format!("dd: error writing 'standard output': {e}\n"))),
        },
        Some(f) => dd_write(sh, f, &data, o.seek.saturating_mul(o.obs as u64), o.notrunc),
    };
    let written = written as u64;
    let obs = o.obs as u64;
    let (full_out, part_out) = if o.ibs == o.obs && error.is_none() {
        (full_in, part_in)
    } else {
        (written / obs, u64::from(written % obs != 0))
    };
    if let Some(e) = &error {
        io.err(e);
    }
    if o.status != "none" {
        let mut report = format!("{full_in}+{part_in} records in\n{full_out}+{part_out} records out\n");
        if o.status != "noxfer" {
            report.push_str(&transfer_line(gnu(sh), written));
        }
        io.err(&report);
    }
    Ok(i32::from(error.is_some()))
}

fn dd_usage(sh: &mut Shell, io: &mut Io, msg: &str) -> Res {
    usage_error(sh, io, "dd", msg, 1)
}

/// Drops `n` bytes from the front of a source.
fn take_bytes(src: &mut Source, mut n: u64) -> u64 {
    let mut taken = 0;
    while n > 0 {
        let chunk = src.take(n.min(1 << 20) as usize);
        if chunk.is_empty() {
            break;
        }
        n -= chunk.len() as u64;
        taken += chunk.len() as u64;
    }
    taken
}

/// Writes `data` into file `f` at byte `offset`; returns the bytes stored and the error text.
fn dd_write(sh: &mut Shell, f: &str, data: &[u8], offset: u64, notrunc: bool) -> (usize, Option<String>) {
    use super::super::backing::{Entry, EntryKind};
    let cwd = sh.env.cwd.clone();
    let now = sh.fs.now;
    let p = match sh.fs.resolve(&cwd, f, true) {
        Ok(p) => p,
        Err(e) => return (0, Some(format!("dd: failed to open {}: {e}\n", q(f)))),
    };
    if matches!(p.as_str(), "/dev/null" | "/dev/zero") {
        return (data.len(), None);
    }
    if p == "/dev/full" {
        return (0, Some(format!("dd: error writing {}: No space left on device\n", q(f))));
    }
    let mut e = match sh.fs.lstat(&p) {
        Ok(Some(e)) if e.is_dir() => return (0, Some(format!("dd: failed to open {}: Is a directory\n", q(f)))),
        Ok(Some(e)) if e.kind == EntryKind::File => e,
        Ok(_) => Entry::file(0o644, now, Vec::new()),
        Err(err) => return (0, Some(format!("dd: failed to open {}: {err}\n", q(f)))),
    };
    let offset = offset.min(super::super::MAX_STORED_BYTES) as usize;
    if !notrunc {
        e.data.truncate(offset);
    }
    if e.data.len() < offset {
        e.data.resize(offset, 0);
    }
    let end = offset + data.len();
    if e.data.len() < end {
        e.data.resize(end, 0);
    }
    e.data[offset..end].copy_from_slice(data);
    e.mtime = now;
    let total = e.data.len();
    match sh.fs.write_file(&p, e) {
        Ok(()) => (data.len(), None),
        Err(Errno::NoSpc) => {
            let stored = sh.fs.lstat(&p).ok().flatten().map_or(0, |e| e.data.len());
            let short = total - stored.min(total);
            (data.len().saturating_sub(short), Some(format!("dd: error writing {}: No space left on device\n", q(f))))
        }
        Err(err) => (0, Some(format!("dd: failed to open {}: {err}\n", q(f)))),
    }
}

/// dd's sizes: `512`, `1K`/`1k` (1024), `1kB` (1000), `1M`, `1MB`, `1G`, `b` (512), `w` (2),
/// `c` (1), and products such as `2x512`.
fn dd_size(s: &str) -> Option<u64> {
    if let Some((a, b)) = s.split_once('x') {
        return dd_size(a)?.checked_mul(dd_size(b)?);
    }
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n: u64 = s[..digits].parse().ok()?;
    let mult: u64 = match &s[digits..] {
        "" | "c" => 1,
        "w" => 2,
        "b" => 512,
        "kB" | "KB" => 1000,
        "K" | "k" | "KiB" => 1 << 10,
        "MB" => 1_000_000,
        "M" | "MiB" => 1 << 20,
        "GB" => 1_000_000_000,
        "G" | "GiB" => 1 << 30,
        "TB" => 1_000_000_000_000,
        "T" | "TiB" => 1 << 40,
        _ => return None,
    };
    n.checked_mul(mult)
}

/// The seconds a transfer of `bytes` is reported to take (1 GB/s, plus a tenth of a
/// millisecond to start).
fn transfer_seconds(bytes: u64) -> f64 {
    0.0001 + bytes as f64 / 1.0e9
}

/// dd's last line: GNU's `N bytes (10 MB, 10 MiB) copied, 0.0105 s, 999 MB/s`, busybox's
/// `N bytes (10.0MB) copied, 0.010586 seconds, 944.6MB/s`.
fn transfer_line(gnu: bool, bytes: u64) -> String {
    let secs = transfer_seconds(bytes);
    if !gnu {
        return format!(
            "{bytes} bytes ({}B) copied, {secs:.6} seconds, {}B/s\n",
            busybox_human(bytes as f64),
            busybox_human(bytes as f64 / secs)
        );
    }
    let rate = format!("{}/s", human(bytes as f64 / secs, 1000.0, false));
    let time = format!("{} s", c_g(secs));
    let si = human(bytes as f64, 1000.0, false);
    let iec = human(bytes as f64, 1024.0, true);
    if bytes < 1000 {
        let noun = if bytes == 1 { "byte" } else { "bytes" };
        format!("{bytes} {noun} copied, {time}, {rate}\n")
    } else if bytes < 1024 {
        format!("{bytes} bytes ({si}) copied, {time}, {rate}\n")
    } else {
        format!("{bytes} bytes ({si}, {iec}) copied, {time}, {rate}\n")
    }
}

/// gnulib's human_readable with autoscale, rounding to nearest and a space before the unit:
/// `512 B`, `1.0 kB`, `10 MB`, `10 MiB`.
fn human(v: f64, base: f64, iec: bool) -> String {
    let units: [&str; 7] =
        if iec { ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"] } else { ["B", "kB", "MB", "GB", "TB", "PB", "EB"] };
    let mut x = v;
    let mut e = 0;
    while x >= base && e + 1 < units.len() {
        x /= base;
        e += 1;
    }
    if e == 0 {
        return format!("{} B", x.round() as u64);
    }
    if x < 10.0 {
        let r = (x * 10.0).round() / 10.0;
        if r < 10.0 {
            return format!("{r:.1} {}", units[e]);
        }
    }
    let r = x.round();
    if r >= base && e + 1 < units.len() {
        return format!("1.0 {}", units[e + 1]);
    }
    format!("{} {}", r as u64, units[e])
}

/// busybox's make_human_readable_str(n, 1, 0): `512`, `10.0M`, `1.5G`.
fn busybox_human(v: f64) -> String {
    let units = ["", "K", "M", "G", "T", "P", "E"];
    let mut x = v;
    let mut e = 0;
    while x >= 1024.0 && e + 1 < units.len() {
        x /= 1024.0;
        e += 1;
    }
    if e == 0 {
        format!("{}", x as u64)
    } else {
        format!("{x:.1}{}", units[e])
    }
}

/// C's `%g`.
fn c_g(v: f64) -> String {
    let mut sink = Capped::new(64);
    let _ = printf(Dialect::Gnu, b"%g", &[format!("{v:e}")], &mut sink, &mut Vec::new());
    String::from_utf8_lossy(&sink.buf).into_owned()
}

/// One output type of od.
#[derive(Clone, Copy, PartialEq)]
enum OdType {
    /// `o`, `x`, `d`, `u` with a size in bytes.
    Int(char, usize),
    /// `c`: characters and C escapes.
    Char,
    /// `a`: named characters.
    Named,
    /// `f` with a size (4 or 8).
    Float(usize),
}

impl OdType {
    fn size(self) -> usize {
        match self {
            OdType::Int(_, n) | OdType::Float(n) => n,
            OdType::Char | OdType::Named => 1,
        }
    }

    /// Characters a field takes, without the space before it.
    fn width(self) -> usize {
        match self {
            OdType::Int('o', n) => [3, 6, 11, 22][n.trailing_zeros() as usize],
            OdType::Int('x', n) => 2 * n,
            OdType::Int('d', n) => [4, 6, 11, 20][n.trailing_zeros() as usize],
            OdType::Int(_, n) => [3, 5, 10, 20][n.trailing_zeros() as usize],
            OdType::Char | OdType::Named => 3,
            OdType::Float(4) => 14,
            OdType::Float(_) => 23,
        }
    }

    fn field(self, bytes: &[u8]) -> String {
        let mut v: u64 = 0;
        for (i, b) in bytes.iter().enumerate() {
            v |= u64::from(*b) << (8 * i);
        }
        let w = self.width();
        match self {
            OdType::Int('o', _) => format!("{v:0w$o}"),
            OdType::Int('x', _) => format!("{v:0w$x}"),
            OdType::Int('d', n) => {
                let shift = 64 - 8 * n as u32;
                let s = ((v << shift) as i64) >> shift;
                format!("{s:>w$}")
            }
            OdType::Int(_, _) => format!("{v:>w$}"),
            OdType::Char => format!("{:>w$}", od_char(bytes[0])),
            OdType::Named => format!("{:>w$}", od_named(bytes[0])),
            OdType::Float(4) => format!("{:>w$}", c_g_prec(f64::from(f32::from_bits(v as u32)), 8)),
            OdType::Float(_) => format!("{:>w$}", c_g_prec(f64::from_bits(v), 17)),
        }
    }
}

fn c_g_prec(v: f64, p: usize) -> String {
    let mut sink = Capped::new(64);
    let _ = printf(Dialect::Gnu, format!("%.{p}g").as_bytes(), &[format!("{v:e}")], &mut sink, &mut Vec::new());
    String::from_utf8_lossy(&sink.buf).into_owned()
}

fn od_char(b: u8) -> String {
    match b {
        0 => "\\0".into(),
        7 => "\\a".into(),
        8 => "\\b".into(),
        b'\t' => "\\t".into(),
        b'\n' => "\\n".into(),
        11 => "\\v".into(),
        12 => "\\f".into(),
        b'\r' => "\\r".into(),
        32..=126 => (b as char).to_string(),
        _ => format!("{b:03o}"),
    }
}

fn od_named(b: u8) -> String {
    const NAMES: [&str; 33] = [
        "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl", "vt", "ff", "cr", "so", "si", "dle",
        "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub", "esc", "fs", "gs", "rs", "us", "sp",
    ];
    match b & 0x7f {
        n @ 0..=32 => NAMES[n as usize].into(),
        127 => "del".into(),
        n => (n as char).to_string(),
    }
}

/// `-t` type strings: `x1`, `o2`, `d4`, `u8`, `c`, `a`, `f8`, `xC`, `dI`, several per string.
fn od_types(spec: &str) -> Option<Vec<OdType>> {
    let mut out = Vec::new();
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            'c' => out.push(OdType::Char),
            'a' => out.push(OdType::Named),
            'o' | 'x' | 'd' | 'u' | 'f' => {
                let mut size = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit() || "CSILFD".contains(**d)) {
                    size.push(*d);
                    chars.next();
                }
                let n = match size.as_str() {
                    "" if c == 'f' => 8,
                    "" => 4,
                    "C" => 1,
                    "S" => 2,
                    "I" | "F" => 4,
                    "L" | "D" => 8,
                    s => s.parse().ok()?,
                };
                if c == 'f' {
                    if n != 4 && n != 8 {
                        return None;
                    }
                    out.push(OdType::Float(n));
                } else {
                    if ![1, 2, 4, 8].contains(&n) {
                        return None;
                    }
                    out.push(OdType::Int(c, n));
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

/// `od [-A d|o|x|n] [-t TYPE] [-bcdiloxsv] [-N N] [-j N] [-w N] [FILE...]`: GNU's layout
/// (busybox's od answers the same way).
pub fn od(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let (mut radix, mut types, mut limit, mut skip, mut width, mut verbose, mut files) =
        ('o', Vec::new(), None::<u64>, 0u64, 16usize, false, Vec::new());
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        i += 1;
        if a == "--" {
            files.extend(argv[i..].iter().cloned());
            break;
        }
        if !a.starts_with('-') || a == "-" {
            files.push(a.clone());
            continue;
        }
        for (k, c) in a[1..].char_indices() {
            let rest = &a[1 + k + c.len_utf8()..];
            let takes = matches!(c, 'A' | 't' | 'N' | 'j' | 'w');
            let value = if !takes {
                String::new()
            } else if !rest.is_empty() {
                rest.to_string()
            } else if c == 'w' {
                "32".to_string()
            } else if let Some(v) = argv.get(i) {
                i += 1;
                v.clone()
            } else {
                return usage_error(sh, io, "od", &format!("option requires an argument -- '{c}'"), 1);
            };
            match c {
                'A' => match value.as_str() {
                    "d" | "o" | "x" | "n" => radix = value.chars().next().unwrap_or('o'),
                    _ => {
                        io.err(&format!(
                            "od: invalid output address radix '{value}'; it must be one character from [doxn]\n"
                        ));
                        return Ok(1);
                    }
                },
                't' => match od_types(&value) {
                    Some(t) => types.extend(t),
                    None => {
                        io.err(&format!("od: invalid type string {}\n", q(&value)));
                        return Ok(1);
                    }
                },
                'N' | 'j' => {
                    let Some(n) = dd_size(&value).or_else(|| parse_c_number(&value)) else {
                        io.err(&format!("od: invalid {} argument {}\n", if c == 'N' { "-N" } else { "-j" }, q(&value)));
                        return Ok(1);
                    };
                    if c == 'N' {
                        limit = Some(n);
                    } else {
                        skip = n;
                    }
                }
                'w' => width = value.parse().ok().filter(|w| *w > 0).unwrap_or(32),
                'v' => verbose = true,
                'b' => types.push(OdType::Int('o', 1)),
                'c' => types.push(OdType::Char),
                'd' => types.push(OdType::Int('u', 2)),
                'o' => types.push(OdType::Int('o', 2)),
                'x' => types.push(OdType::Int('x', 2)),
                's' => types.push(OdType::Int('d', 2)),
                'i' => types.push(OdType::Int('d', 4)),
                'l' => types.push(OdType::Int('d', 8)),
                other => return usage_error(sh, io, "od", &format!("invalid option -- '{other}'"), 1),
            }
            if takes {
                break;
            }
        }
    }
    if types.is_empty() {
        types.push(OdType::Int('o', 2));
    }
    if files.is_empty() {
        files.push("-".to_string());
    }
    let mut data = Vec::new();
    let mut status = 0;
    let want = limit.map(|l| l.saturating_add(skip));
    for f in &files {
        let room = want.map(|w| w.saturating_sub(data.len() as u64));
        if room == Some(0) {
            break;
        }
        match open_arg(sh, io, f) {
            Ok(mut src) => match room {
                Some(r) => data.extend(src.take(r.min(super::super::MAX_STORED_BYTES + 1) as usize)),
                None => data.extend(src.into_bytes()),
            },
            Err(e) => {
                io.err(&format!("od: {f}: {e}\n"));
                status = 1;
            }
        }
    }
    let start = (skip as usize).min(data.len());
    if (skip as usize) > data.len() {
        io.err("od: cannot skip past end of combined input\n");
        return Ok(1);
    }
    let end = limit.map_or(data.len(), |l| (start + l as usize).min(data.len()));
    let out = od_dump(&data[start..end], start as u64, radix, &types, width, verbose);
    Ok(put(io, "od", out.as_bytes()).err().unwrap_or(status))
}

/// `0x10`, `020` (octal), `16`.
fn parse_c_number(s: &str) -> Option<u64> {
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return u64::from_str_radix(h, 16).ok();
    }
    if s.len() > 1 && s.starts_with('0') {
        return u64::from_str_radix(&s[1..], 8).ok();
    }
    s.parse().ok()
}

fn od_address(radix: char, n: u64) -> String {
    match radix {
        'd' => format!("{n:07}"),
        'x' => format!("{n:06x}"),
        'n' => String::new(),
        _ => format!("{n:07o}"),
    }
}

/// od's lines: the address, then one row per type; a row equal to the one before is shown as
/// a single `*` unless `-v`.
fn od_dump(data: &[u8], base: u64, radix: char, types: &[OdType], width: usize, verbose: bool) -> String {
    // Every type's fields of a line take the same room: each field is padded to the widest
    // type's share of it, as GNU od lines up several types.
    let per_byte = types.iter().map(|t| (t.width() + 1) as f64 / t.size() as f64).fold(0.0, f64::max);
    let mut out = String::new();
    let mut prev: Option<&[u8]> = None;
    let mut starred = false;
    for (n, line) in data.chunks(width).enumerate() {
        let addr = base + (n * width) as u64;
        if !verbose && prev == Some(line) && line.len() == width {
            if !starred {
                out.push_str("*\n");
                starred = true;
            }
            continue;
        }
        starred = false;
        prev = Some(line);
        for (k, t) in types.iter().enumerate() {
            out.push_str(&if k == 0 { od_address(radix, addr) } else { " ".repeat(od_address(radix, addr).len()) });
            let size = t.size();
            let field_room = (per_byte * size as f64).round() as usize;
            for chunk in line.chunks(size) {
                let mut bytes = chunk.to_vec();
                bytes.resize(size, 0);
                let text = t.field(&bytes);
                out.push_str(&" ".repeat(field_room.saturating_sub(text.len())));
                out.push_str(&text);
            }
            out.push('\n');
        }
    }
    if radix != 'n' {
        out.push_str(&od_address(radix, base + data.len() as u64));
        out.push('\n');
    }
    out
}
