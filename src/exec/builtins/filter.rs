//! sort, uniq, cut, tr, seq.

use super::super::interp::{Res, Shell};
use super::super::io::Io;
use super::{getopt, lines, put, q, read_arg, usage_error};

/// Reads all operands (or stdin) as one text; errors are reported as `prog: name: error`.
fn gather(sh: &mut Shell, io: &mut Io, prog: &str, operands: &[String]) -> (Vec<u8>, i32) {
    let files = if operands.is_empty() { vec!["-".to_string()] } else { operands.to_vec() };
    let (mut all, mut status) = (Vec::new(), 0);
    for f in &files {
        match read_arg(sh, io, f) {
            Ok(d) => {
                all.extend_from_slice(&d);
                if !all.is_empty() && !all.ends_with(b"\n") {
                    all.push(b'\n');
                }
            }
            Err(e) => {
                let msg = if prog == "sort" && super::gnu(sh) {
                    format!("sort: cannot read: {f}: {e}\n")
                } else {
                    format!("{prog}: {f}: {e}\n")
                };
                io.err(&msg);
                status = 2;
            }
        }
    }
    (all, status)
}

fn num_prefix(s: &str) -> f64 {
    let t = s.trim_start();
    let end = t
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-')))
        .map_or(t.len(), |(i, _)| i);
    t[..end].parse().unwrap_or(0.0)
}

pub fn sort(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "rnufk:t:bso:") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "sort", &m, 2),
    };
    let (data, status) = gather(sh, io, "sort", &o.operands);
    let mut ls = lines(&data);
    let key_field: Option<usize> =
        o.value('k').and_then(|k| k.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok());
    let sep = o.value('t').and_then(|t| t.chars().next());
    let key = |l: &str| -> String {
        match key_field {
            Some(k) if k > 0 => match sep {
                Some(c) => l.split(c).skip(k - 1).collect::<Vec<_>>().join(&c.to_string()),
                None => l.split_whitespace().skip(k - 1).collect::<Vec<_>>().join(" "),
            },
            _ => l.to_string(),
        }
    };
    let fold = o.has('f');
    ls.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        let ord = if o.has('n') {
            num_prefix(&ka).partial_cmp(&num_prefix(&kb)).unwrap_or(std::cmp::Ordering::Equal)
        } else if fold {
            ka.to_uppercase().cmp(&kb.to_uppercase())
        } else {
            ka.as_bytes().cmp(kb.as_bytes())
        };
        ord.then_with(|| {
            if key_field.is_some() || o.has('n') {
                a.as_bytes().cmp(b.as_bytes())
            } else {
                std::cmp::Ordering::Equal
            }
        })
    });
    if o.has('r') {
        ls.reverse();
    }
    if o.has('u') {
        ls.dedup_by(|a, b| if o.has('n') { num_prefix(&key(a)) == num_prefix(&key(b)) } else { key(a) == key(b) });
    }
    let out: String = ls.iter().map(|l| format!("{l}\n")).collect();
    Ok(put(io, "sort", out.as_bytes()).err().unwrap_or(status))
}

pub fn uniq(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "cdui") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "uniq", &m, 1),
    };
    let (data, status) = gather(sh, io, "uniq", &o.operands[..o.operands.len().min(1)]);
    let mut groups: Vec<(String, usize)> = Vec::new();
    for l in lines(&data) {
        let same = groups.last().is_some_and(|(g, _)| if o.has('i') { g.eq_ignore_ascii_case(&l) } else { *g == l });
        match groups.last_mut() {
            Some((_, n)) if same => *n += 1,
            _ => groups.push((l, 1)),
        }
    }
    let mut out = String::new();
    for (l, n) in groups {
        if (o.has('d') && n < 2) || (o.has('u') && n > 1) {
            continue;
        }
        if o.has('c') {
            out.push_str(&format!("{n:>7} {l}\n"));
        } else {
            out.push_str(&format!("{l}\n"));
        }
    }
    Ok(put(io, "uniq", out.as_bytes()).err().unwrap_or(status))
}

/// A `cut` list (`1,3-5,7-`) as 1-based inclusive ranges.
fn parse_list(s: &str) -> Option<Vec<(usize, usize)>> {
    s.split(',')
        .map(|part| {
            let (a, b) = match part.split_once('-') {
                Some((a, b)) => (
                    if a.is_empty() { 1 } else { a.parse().ok()? },
                    if b.is_empty() { usize::MAX } else { b.parse().ok()? },
                ),
                None => {
                    let n = part.parse().ok()?;
                    (n, n)
                }
            };
            (a >= 1 && a <= b).then_some((a, b))
        })
        .collect()
}

pub fn cut(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "d:f:c:b:s") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "cut", &m, 1),
    };
    let (list, fields) = match (o.value('f'), o.value('c').or(o.value('b'))) {
        (Some(f), _) => (f, true),
        (None, Some(c)) => (c, false),
        _ => return usage_error(sh, io, "cut", "you must specify a list of bytes, characters, or fields", 1),
    };
    let Some(ranges) = parse_list(list) else {
        io.err(&format!("cut: invalid field value {}\n", q(list)));
        return Ok(1);
    };
    let delim = o.value('d').and_then(|d| d.chars().next()).unwrap_or('\t');
    let want = |i: usize| ranges.iter().any(|(a, b)| *a <= i && i <= *b);
    let (data, status) = gather(sh, io, "cut", &o.operands);
    let mut out = String::new();
    for l in lines(&data) {
        if fields {
            if !l.contains(delim) {
                if !o.has('s') {
                    out.push_str(&format!("{l}\n"));
                }
                continue;
            }
            let picked: Vec<&str> = l.split(delim).enumerate().filter(|(i, _)| want(i + 1)).map(|(_, f)| f).collect();
            out.push_str(&picked.join(&delim.to_string()));
        } else {
            out.extend(l.chars().enumerate().filter(|(i, _)| want(i + 1)).map(|(_, c)| c));
        }
        out.push('\n');
    }
    Ok(put(io, "cut", out.as_bytes()).err().unwrap_or(status))
}

/// A `tr` set: ranges (`a-z`), escapes (`\n`) and classes (`[:upper:]`).
fn expand_set(s: &str) -> Vec<char> {
    let s = s
        .replace("[:upper:]", "A-Z")
        .replace("[:lower:]", "a-z")
        .replace("[:digit:]", "0-9")
        .replace("[:alpha:]", "A-Za-z")
        .replace("[:alnum:]", "A-Za-z0-9")
        .replace("[:space:]", " \t\n\r\x0b\x0c");
    let mut chars = Vec::new();
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        let c = if c == '\\' {
            match it.next() {
                Some('n') => '\n',
                Some('t') => '\t',
                Some('r') => '\r',
                Some(d) if d.is_digit(8) => {
                    let mut v = d.to_digit(8).unwrap_or(0);
                    for _ in 0..2 {
                        match it.peek().and_then(|x| x.to_digit(8)) {
                            Some(x) => {
                                v = v * 8 + x;
                                it.next();
                            }
                            None => break,
                        }
                    }
                    char::from_u32(v).unwrap_or('\0')
                }
                Some(o) => o,
                None => '\\',
            }
        } else {
            c
        };
        chars.push(c);
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if i + 2 < chars.len() && chars[i + 1] == '-' && chars[i] <= chars[i + 2] {
            out.extend(chars[i]..=chars[i + 2]);
            i += 3;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

pub fn tr(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "dscC") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "tr", &m, 1),
    };
    let need = if o.has('d') && !o.has('s') { 1 } else { 2 };
    if o.operands.len() < need && !(o.has('s') && o.operands.len() == 1) {
        return usage_error(sh, io, "tr", "missing operand", 1);
    }
    let set1 = expand_set(&o.operands[0]);
    let set2 = o.operands.get(1).map(|s| expand_set(s)).unwrap_or_default();
    let text = String::from_utf8_lossy(&io.stdin.take_all()).to_string();
    let mut out = String::new();
    let squeeze_set = if o.operands.len() > 1 && !o.has('d') { &set2 } else { &set1 };
    for c in text.chars() {
        let inset = set1.contains(&c) != o.has('c');
        if o.has('d') && inset {
            continue;
        }
        let mapped = if !o.has('d') && inset && !set2.is_empty() {
            let idx = set1.iter().position(|x| *x == c).unwrap_or(0);
            set2.get(idx).or(set2.last()).copied().unwrap_or(c)
        } else {
            c
        };
        if o.has('s') && squeeze_set.contains(&mapped) && out.ends_with(mapped) {
            continue;
        }
        out.push(mapped);
    }
    Ok(put(io, "tr", out.as_bytes()).err().unwrap_or(0))
}

pub fn seq(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let mut sep = "\n".to_string();
    let mut nums = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        match argv[i].as_str() {
            "-s" => {
                sep = argv.get(i + 1).cloned().unwrap_or_default();
                i += 1;
            }
            s if s.starts_with("-s") => sep = s[2..].to_string(),
            a => match a.parse::<f64>() {
                Ok(n) => nums.push(n),
                Err(_) => {
                    io.err(&format!("seq: invalid floating point argument: {}\n", q(a)));
                    return Ok(1);
                }
            },
        }
        i += 1;
    }
    let (first, step, last) = match nums.as_slice() {
        [l] => (1.0, 1.0, *l),
        [f, l] => (*f, 1.0, *l),
        [f, s, l] => (*f, *s, *l),
        _ => return usage_error(sh, io, "seq", "missing operand", 1),
    };
    if step == 0.0 {
        io.err("seq: invalid Zero increment value: '0'\n");
        return Ok(1);
    }
    let mut out = String::new();
    let mut v = first;
    let mut n = 0;
    while (step > 0.0 && v <= last) || (step < 0.0 && v >= last) {
        if n > 0 {
            out.push_str(&sep);
        }
        out.push_str(&if v.fract() == 0.0 { format!("{}", v as i64) } else { format!("{v}") });
        n += 1;
        v = first + step * n as f64;
        if out.len() > super::super::MAX_OUTPUT_BYTES {
            break;
        }
    }
    if n > 0 {
        out.push('\n');
    }
    Ok(put(io, "seq", out.as_bytes()).err().unwrap_or(0))
}
