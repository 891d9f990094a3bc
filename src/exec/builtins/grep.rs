//! grep: -i -v -c -n -r -R -q -E -F -l -L -w -x -o -s -h -H -e.

use super::super::interp::{Res, Shell};
use super::super::io::Io;
use super::super::path;
use super::super::special;
use super::regex::Regex;
use super::{getopt, lines, put, read_arg, usage_error, Opts};

/// Most files `grep -r` reads.
const MAX_FILES: usize = 10_000;

pub fn grep(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "ivcnrRqEFlLwxoshHe:") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "grep", &m, 2),
    };
    let mut operands = o.operands.clone();
    let patterns: Vec<String> = if o.values.iter().any(|(k, _)| *k == 'e') {
        o.values.iter().filter(|(k, _)| *k == 'e').map(|(_, v)| v.clone()).collect()
    } else if operands.is_empty() {
        return usage_error(sh, io, "grep", "Usage: grep [OPTION]... PATTERNS [FILE]...", 2);
    } else {
        operands.remove(0).split('\n').map(str::to_string).collect()
    };
    let res: Result<Vec<Regex>, String> = patterns.iter().map(|p| compile(p, &o)).collect();
    let regexes = match res {
        Ok(r) => r,
        Err(m) => {
            io.err(&format!("grep: {m}\n"));
            return Ok(2);
        }
    };
    let recursive = o.has('r') || o.has('R');
    if operands.is_empty() {
        operands.push(if recursive { ".".into() } else { "-".into() });
    }
    let files = expand_files(sh, io, &operands, recursive, o.has('s'));
    let show_names = (files.0.len() > 1 || recursive) && !o.has('h') || o.has('H');
    let (mut matched_any, mut status, mut out) = (false, files.1, String::new());
    for f in &files.0 {
        let data = match read_arg(sh, io, f) {
            Ok(d) => d,
            Err(e) => {
                if !o.has('s') {
                    io.err(&format!("grep: {f}: {e}\n"));
                }
                status = 2;
                continue;
            }
        };
        let shown = if f == "-" { "(standard input)" } else { f.as_str() };
        let mut count = 0;
        for (i, line) in lines(&data).iter().enumerate() {
            let hit = regexes.iter().any(|r| r.is_match(line)) != o.has('v');
            if !hit {
                continue;
            }
            count += 1;
            matched_any = true;
            if o.has('q') {
                return Ok(0);
            }
            if o.has('c') || o.has('l') || o.has('L') {
                continue;
            }
            let prefix = format!(
                "{}{}",
                if show_names { format!("{shown}:") } else { String::new() },
                if o.has('n') { format!("{}:", i + 1) } else { String::new() }
            );
            if o.has('o') && !o.has('v') {
                for piece in only_matching(&regexes, line) {
                    out.push_str(&format!("{prefix}{piece}\n"));
                }
            } else {
                out.push_str(&format!("{prefix}{line}\n"));
            }
        }
        if o.has('c') {
            out.push_str(&if show_names { format!("{shown}:{count}\n") } else { format!("{count}\n") });
        } else if o.has('l') && count > 0 || o.has('L') && count == 0 {
            out.push_str(&format!("{shown}\n"));
        }
        if out.len() > super::super::MAX_OUTPUT_BYTES {
            break;
        }
    }
    if let Err(code) = put(io, "grep", out.as_bytes()) {
        return Ok(code);
    }
    Ok(if status == 2 && !(o.has('q') && matched_any) {
        2
    } else if matched_any {
        0
    } else {
        1
    })
}

fn compile(p: &str, o: &Opts) -> Result<Regex, String> {
    let mut pat = if o.has('F') { escape(p) } else { p.to_string() };
    let ere = o.has('E');
    if o.has('w') {
        pat = if ere {
            format!("(^|[^[:alnum:]_])({pat})([^[:alnum:]_]|$)")
        } else {
            format!("\\(^\\|[^[:alnum:]_]\\)\\({pat}\\)\\([^[:alnum:]_]\\|$\\)")
        };
    }
    if o.has('x') {
        pat = if ere { format!("^({pat})$") } else { format!("^\\({pat}\\)$") };
    }
    Regex::new(&pat, ere, o.has('i'))
}

fn escape(p: &str) -> String {
    p.chars().flat_map(|c| if "\\.[]*^$".contains(c) { vec!['\\', c] } else { vec![c] }).collect()
}

fn only_matching(regexes: &[Regex], line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut pos = 0;
    while pos <= chars.len() {
        let best = regexes.iter().filter_map(|r| r.find_at(&chars, pos)).filter_map(|c| c[0]).min_by_key(|(s, _)| *s);
        let Some((s, e)) = best else { break };
        if e > s {
            out.push(chars[s..e].iter().collect());
        }
        pos = if e > s { e } else { s + 1 };
    }
    out
}

/// Operands with directories walked for `-r`; also the status so far (2 after a directory
/// named without -r).
fn expand_files(sh: &mut Shell, io: &mut Io, operands: &[String], recursive: bool, quiet: bool) -> (Vec<String>, i32) {
    let cwd = sh.env.cwd.clone();
    let (mut files, mut status) = (Vec::new(), 0);
    for op in operands {
        if op == "-" {
            files.push(op.clone());
            continue;
        }
        match sh.fs.stat(&cwd, op) {
            Ok((p, e)) if e.is_dir() => {
                if recursive {
                    walk(sh, &p, op, &mut files);
                } else {
                    if !quiet {
                        io.err(&format!("grep: {op}: Is a directory\n"));
                    }
                    status = 2;
                }
            }
            _ => files.push(op.clone()),
        }
    }
    (files, status)
}

fn walk(sh: &mut Shell, dir: &str, shown: &str, files: &mut Vec<String>) {
    for name in sh.fs.children(dir).unwrap_or_default() {
        if files.len() >= MAX_FILES {
            return;
        }
        let p = path::join(dir, &name);
        let display = format!("{}/{name}", shown.trim_end_matches('/'));
        match sh.fs.lstat(&p) {
            Ok(Some(e)) if e.is_dir() => walk(sh, &p, &display, files),
            // GNU grep skips devices it meets while recursing (--devices=skip).
            Ok(Some(e)) if e.kind == super::super::backing::EntryKind::File && !special::is_device(&p) => {
                files.push(display)
            }
            _ => {}
        }
    }
}
