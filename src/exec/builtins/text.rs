//! cat, head, tail, wc, tee.

use super::super::backing::{Entry, EntryKind};
use super::super::errno::Errno;
use super::super::interp::{Res, Shell};
use super::super::io::Io;
use super::super::source::Source;
use super::counts::Counts;
use super::follow::Followed;
use super::{getopt, gnu, open_arg, put, q, usage_error};

pub fn cat(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "nuAevtsbE") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "cat", &m, 1),
    };
    let files = if o.operands.is_empty() { vec!["-".to_string()] } else { o.operands.clone() };
    let mut status = 0;
    let mut line_no = 0;
    for f in &files {
        match open_arg(sh, io, f) {
            Ok(source) if o.has('n') => {
                if let Err(code) = put(io, "cat", &number_lines(&source.into_bytes(), &mut line_no)) {
                    return Ok(code);
                }
            }
            Ok(mut source) => {
                while let Some(chunk) = source.next_chunk() {
                    if let Err(code) = put(io, "cat", &chunk) {
                        return Ok(code);
                    }
                }
            }
            Err(e) => {
                let msg = match (gnu(sh), e) {
                    (true, _) => format!("cat: {f}: {e}\n"),
                    (false, Errno::IsDir) => "cat: read error: Is a directory\n".to_string(),
                    (false, _) => format!("cat: can't open '{f}': {e}\n"),
                };
                io.err(&msg);
                status = 1;
            }
        }
    }
    Ok(status)
}

/// busybox `rev`: each line of the files (or stdin) with its characters reversed; every line it
/// prints ends in a newline (it `puts` them), a file it cannot open is reported and skipped.
pub fn rev(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let files = if argv.len() > 1 { argv[1..].to_vec() } else { vec!["-".to_string()] };
    let mut status = 0;
    for f in &files {
        match open_arg(sh, io, f) {
            Ok(source) => {
                let data = source.into_bytes();
                let text = String::from_utf8_lossy(&data);
                let mut out = String::new();
                for line in text.lines() {
                    out.extend(line.chars().rev());
                    out.push('\n');
                }
                if let Err(code) = put(io, "rev", out.as_bytes()) {
                    return Ok(code);
                }
            }
            Err(e) => {
                io.err(&format!("rev: {f}: {e}\n"));
                status = 1;
            }
        }
    }
    Ok(status)
}

fn number_lines(data: &[u8], n: &mut usize) -> Vec<u8> {
    let mut out = Vec::new();
    for line in data.split_inclusive(|b| *b == b'\n') {
        *n += 1;
        out.extend_from_slice(format!("{:>6}\t", n).as_bytes());
        out.extend_from_slice(line);
    }
    out
}

/// `10`, `1K` (1024), `20G`, `+5` (from line 5, for tail), `-5` (all but the last 5, for head).
fn parse_count(s: &str) -> Option<(i64, bool)> {
    let (plus, s) = match s.strip_prefix('+') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    let mult: i64 = match &s[digits.len()..] {
        "" => 1,
        "b" => 512,
        "K" | "KiB" | "k" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        "G" | "GiB" => 1 << 30,
        "T" | "TiB" => 1 << 40,
        "kB" | "KB" => 1000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        _ => return None,
    };
    let n: i64 = digits.parse::<i64>().ok()?.saturating_mul(mult);
    Some((if neg { -n } else { n }, plus))
}

/// `head -5` and `tail -5` are `-n 5`.
fn legacy_count(args: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in args {
        let after_opt = out.last().is_some_and(|p| p == "-n" || p == "-c");
        match a.strip_prefix('-') {
            Some(d) if !after_opt && !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()) => {
                out.push(format!("-n{d}"))
            }
            _ => out.push(a.clone()),
        }
    }
    out
}

pub fn head(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    head_tail(sh, io, argv, true)
}

pub fn tail(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    head_tail(sh, io, argv, false)
}

fn head_tail(sh: &mut Shell, io: &mut Io, argv: &[String], head: bool) -> Res {
    let prog = if head { "head" } else { "tail" };
    let o = match getopt(&legacy_count(&argv[1..]), "n:c:qvfF") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, prog, &m, 1),
    };
    let (bytes, spec) = match (o.value('c'), o.value('n')) {
        (Some(c), _) => (true, c.to_string()),
        (None, Some(n)) => (false, n.to_string()),
        _ => (false, "10".to_string()),
    };
    let Some((count, plus)) = parse_count(&spec) else {
        let what = if bytes { "bytes" } else { "lines" };
        io.err(&format!("{prog}: invalid number of {what}: {}\n", q(&spec)));
        return Ok(1);
    };
    let files = if o.operands.is_empty() { vec!["-".to_string()] } else { o.operands.clone() };
    // `tail -f FILE` (`-F`: retrying a missing file) runs until it is stopped, the container's
    // `tail -f /dev/null`; re-entered to be resumed, it printed its lines already.
    let follow = !head && (o.has('f') || o.has('F')) && files.iter().any(|f| f != "-");
    if follow && sh.is_timed() && sh.resuming() {
        return super::follow::resume(sh, io);
    }
    let headers = (files.len() > 1 || o.has('v')) && !o.has('q');
    let mut followed = Followed { files: Vec::new(), next: 0, last: 0, headers, retry: o.has('F') };
    let mut status = 0;
    let mut opened = 0;
    for (i, f) in files.iter().enumerate() {
        let mut source = match open_arg(sh, io, f) {
            Ok(s) => {
                opened += 1;
                s
            }
            Err(e) => {
                if follow && followed.retry && f != "-" {
                    followed.files.push((f.clone(), None));
                }
                let msg = if gnu(sh) {
                    format!("{prog}: cannot open {} for reading: {e}\n", q(f))
                } else {
                    format!("{prog}: can't open '{f}': {e}\n")
                };
                io.err(&msg);
                status = 1;
                continue;
            }
        };
        if headers {
            let name = if f == "-" { "standard input" } else { f };
            let head_line = format!("{}==> {name} <==\n", if i > 0 { "\n" } else { "" });
            if let Err(code) = put(io, prog, head_line.as_bytes()) {
                return Ok(code);
            }
        }
        let regular = follow && f != "-" && super::follow::growing(sh, f).is_some();
        let out = match (head && count >= 0, bytes) {
            (true, true) => source.take(usize::try_from(count).unwrap_or(usize::MAX)),
            (true, false) => first_lines(source, count.unsigned_abs()),
            (false, by_bytes) => {
                let data = source.into_bytes();
                // Only a regular file can grow: it is looked at again from where it ends now.
                if regular {
                    followed.last = followed.files.len();
                    followed.files.push((f.clone(), Some(data.len() as u64)));
                }
                let cut = if by_bytes {
                    slice_bytes(&data, count, plus, head)
                } else {
                    slice_lines(&data, count, plus, head)
                };
                cut.to_vec()
            }
        };
        if let Err(e) = io.out(&out) {
            if e == Errno::Pipe {
                return Ok(141);
            }
            io.err(&format!("{prog}: error writing 'standard output': {e}\n"));
            return Ok(1);
        }
    }
    if follow && sh.is_timed() {
        if opened == 0 && !o.has('F') {
            io.err(if gnu(sh) { "tail: no files remaining\n" } else { "tail: no files\n" });
            return Ok(1);
        }
        return super::follow::start(sh, io, followed);
    }
    Ok(status)
}

/// `head -n N`: the first `n` lines, read only as far as they go.
fn first_lines(mut source: Source, n: u64) -> Vec<u8> {
    let (mut out, mut left) = (Vec::new(), n);
    while left > 0 {
        let Some(chunk) = source.next_chunk() else { break };
        let mut newlines = chunk.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i);
        match newlines.nth(usize::try_from(left - 1).unwrap_or(usize::MAX)) {
            Some(end) => {
                out.extend_from_slice(&chunk[..=end]);
                break;
            }
            None => {
                left -= chunk.iter().filter(|b| **b == b'\n').count() as u64;
                out.extend(chunk);
            }
        }
    }
    out
}

fn slice_bytes(d: &[u8], n: i64, plus: bool, head: bool) -> &[u8] {
    let len = d.len() as i64;
    let (a, b) = match (head, n < 0, plus) {
        (true, false, _) => (0, n.min(len)),
        (true, true, _) => (0, (len + n).max(0)),
        (false, _, true) => ((n.abs() - 1).clamp(0, len), len),
        (false, _, false) => ((len - n.abs()).max(0), len),
    };
    &d[a as usize..b as usize]
}

fn slice_lines(d: &[u8], n: i64, plus: bool, head: bool) -> &[u8] {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(d.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1))
        .filter(|i| *i < d.len())
        .collect();
    let count = starts.len() as i64;
    // Empty input has no line starts at all: every line number then means the end.
    let at = |line: i64| -> usize {
        if line >= count {
            d.len()
        } else {
            starts.get(line.max(0) as usize).copied().unwrap_or(d.len())
        }
    };
    match (head, n < 0, plus) {
        (true, false, _) => &d[..at(n)],
        (true, true, _) => &d[..at(count + n)],
        (false, _, true) => &d[at(n.abs() - 1)..],
        (false, _, false) => &d[at(count - n.abs())..],
    }
}

pub fn wc(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "lwcmL") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "wc", &m, 1),
    };
    let all = !(o.has('l') || o.has('w') || o.has('c') || o.has('m'));
    let cols: Vec<usize> = [(o.has('l') || all, 0), (o.has('w') || all, 1), (o.has('m'), 2), (o.has('c') || all, 2)]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, k)| *k)
        .collect();
    let files = if o.operands.is_empty() { vec!["-".to_string()] } else { o.operands.clone() };
    let (mut rows, mut total, mut status) = (Vec::new(), [0u64; 3], 0);
    for f in &files {
        match open_arg(sh, io, f) {
            Ok(mut source) => {
                let mut counts = Counts::default();
                while let Some(chunk) = source.next_chunk() {
                    counts.feed(&chunk);
                }
                counts.finish();
                let c = [counts.lines, counts.words, counts.bytes];
                (0..3).for_each(|k| total[k] += c[k]);
                rows.push((c, if f == "-" && o.operands.is_empty() { String::new() } else { f.clone() }));
            }
            Err(e) => {
                io.err(&format!("wc: {f}: {e}\n"));
                status = 1;
            }
        }
    }
    if files.len() > 1 {
        rows.push((total, "total".into()));
    }
    let width = if cols.len() == 1 && rows.len() == 1 {
        1
    } else if o.operands.is_empty() {
        7
    } else {
        total[2].max(1).to_string().len()
    };
    let mut out = String::new();
    for (c, name) in rows {
        let nums: Vec<String> = cols.iter().map(|k| format!("{:>width$}", c[*k])).collect();
        out.push_str(&nums.join(" "));
        if !name.is_empty() {
            out.push(' ');
            out.push_str(&name);
        }
        out.push('\n');
    }
    Ok(put(io, "wc", out.as_bytes()).err().unwrap_or(status))
}

pub fn tee(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "ai") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "tee", &m, 1),
    };
    let data = io.stdin.take_all();
    let mut status = 0;
    let cwd = sh.env.cwd.clone();
    let now = sh.fs.now;
    for f in &o.operands {
        let r = sh.fs.resolve(&cwd, f, true).and_then(|p| {
            if matches!(sh.fs.place(&p), super::super::fs::Place::Kernel) {
                return Ok(());
            }
            let mut e = match sh.fs.lstat(&p)? {
                Some(e) if e.is_dir() => return Err(Errno::IsDir),
                Some(e) if e.kind == EntryKind::File => e,
                _ => Entry::file(0o644, now, Vec::new()),
            };
            if !o.has('a') {
                e.data.clear();
            }
            e.data.extend_from_slice(&data);
            e.mtime = now;
            sh.fs.write_file(&p, e)
        });
        if let Err(e) = r {
            io.err(&format!("tee: {f}: {e}\n"));
            status = 1;
        }
    }
    Ok(put(io, "tee", &data).err().unwrap_or(status))
}
