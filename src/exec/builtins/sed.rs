//! sed: `-n -e -i -E/-r`, addresses (N, $, /re/, ranges) and the commands s, d, p, q, =.

use super::super::backing::Entry;
use super::super::interp::{Res, Shell};
use super::super::io::Io;
use super::regex::Regex;
use super::{gnu, lines, put, read_arg};

#[derive(Clone)]
enum Addr {
    Line(usize),
    Last,
    Re(Regex),
}

struct Cmd {
    from: Option<Addr>,
    to: Option<Addr>,
    op: char,
    re: Option<Regex>,
    replacement: String,
    global: bool,
    print: bool,
    nth: usize,
}

pub fn sed(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let (mut quiet, mut in_place, mut ere, mut scripts, mut files) = (false, false, false, Vec::new(), Vec::new());
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        match a.as_str() {
            "-n" => quiet = true,
            "-E" | "-r" => ere = true,
            "-e" => {
                i += 1;
                scripts.push(argv.get(i).cloned().unwrap_or_default());
            }
            s if s.starts_with("-i") => in_place = true,
            s if s.starts_with('-') && s.len() > 1 => {
                io.err(&format!("sed: invalid option -- '{}'\n", s.chars().nth(1).unwrap_or('-')));
                return Ok(1);
            }
            _ => files.push(a.clone()),
        }
        i += 1;
    }
    if scripts.is_empty() {
        if files.is_empty() {
            io.err("Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n");
            return Ok(1);
        }
        scripts.push(files.remove(0));
    }
    let cmds = match parse_script(&scripts.join("\n"), ere) {
        Ok(c) => c,
        Err(m) => {
            io.err(&format!("sed: -e expression #1, char 0: {m}\n"));
            return Ok(1);
        }
    };
    if files.is_empty() {
        files.push("-".into());
    }
    let mut status = 0;
    for f in &files {
        let data = match read_arg(sh, io, f) {
            Ok(d) => d,
            Err(e) => {
                io.err(&if gnu(sh) { format!("sed: can't read {f}: {e}\n") } else { format!("sed: {f}: {e}\n") });
                status = 2;
                continue;
            }
        };
        let out = run_script(&cmds, &lines(&data), quiet);
        if in_place && f != "-" {
            let cwd = sh.env.cwd.clone();
            let now = sh.fs.now;
            let r = sh
                .fs
                .stat(&cwd, f)
                .and_then(|(p, e)| sh.fs.write_file(&p, Entry { data: out.into_bytes(), mtime: now, ..e }));
            if let Err(e) = r {
                io.err(&format!("sed: couldn't edit {f}: {e}\n"));
                status = 4;
            }
        } else if let Err(code) = put(io, "sed", out.as_bytes()) {
            return Ok(code);
        }
    }
    Ok(status)
}

fn parse_script(s: &str, ere: bool) -> Result<Vec<Cmd>, String> {
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut cmds = Vec::new();
    while i < c.len() {
        while i < c.len() && (c[i].is_whitespace() || c[i] == ';') {
            i += 1;
        }
        if i >= c.len() {
            break;
        }
        let from = parse_addr(&c, &mut i, ere)?;
        let to = if from.is_some() && c.get(i) == Some(&',') {
            i += 1;
            parse_addr(&c, &mut i, ere)?
        } else {
            None
        };
        let op = *c.get(i).ok_or("missing command")?;
        i += 1;
        let mut cmd = Cmd { from, to, op, re: None, replacement: String::new(), global: false, print: false, nth: 1 };
        match op {
            's' => {
                let delim = *c.get(i).ok_or("unterminated `s' command")?;
                i += 1;
                let pat = until(&c, &mut i, delim)?;
                cmd.replacement = until(&c, &mut i, delim)?;
                let mut icase = false;
                while let Some(&f) = c.get(i).filter(|f| !matches!(f, ';' | '\n' | '}')) {
                    match f {
                        'g' => cmd.global = true,
                        'p' => cmd.print = true,
                        'I' | 'i' => icase = true,
                        d if d.is_ascii_digit() => cmd.nth = d.to_digit(10).unwrap_or(1) as usize,
                        ' ' => {}
                        _ => return Err("unknown option to `s'".to_string()),
                    }
                    i += 1;
                }
                cmd.re = Some(Regex::new(&pat, ere, icase)?);
            }
            'd' | 'p' | 'q' | '=' => {}
            other => return Err(format!("unknown command: `{other}'")),
        }
        cmds.push(cmd);
    }
    Ok(cmds)
}

fn until(c: &[char], i: &mut usize, delim: char) -> Result<String, String> {
    let mut s = String::new();
    while let Some(&ch) = c.get(*i) {
        *i += 1;
        if ch == '\\' && c.get(*i) == Some(&delim) {
            s.push(delim);
            *i += 1;
        } else if ch == '\\' {
            s.push('\\');
            if let Some(&n) = c.get(*i) {
                s.push(n);
                *i += 1;
            }
        } else if ch == delim {
            return Ok(s);
        } else {
            s.push(ch);
        }
    }
    Err("unterminated `s' command".into())
}

fn parse_addr(c: &[char], i: &mut usize, ere: bool) -> Result<Option<Addr>, String> {
    match c.get(*i) {
        Some('$') => {
            *i += 1;
            Ok(Some(Addr::Last))
        }
        Some('/') => {
            *i += 1;
            let pat = until(c, i, '/').map_err(|_| "unterminated address regex".to_string())?;
            Ok(Some(Addr::Re(Regex::new(&pat, ere, false)?)))
        }
        Some(d) if d.is_ascii_digit() => {
            let start = *i;
            while c.get(*i).is_some_and(char::is_ascii_digit) {
                *i += 1;
            }
            let n: String = c[start..*i].iter().collect();
            Ok(Some(Addr::Line(n.parse().map_err(|_| "invalid line")?)))
        }
        _ => Ok(None),
    }
}

fn addr_hit(a: &Addr, n: usize, last: bool, line: &str) -> bool {
    match a {
        Addr::Line(k) => *k == n,
        Addr::Last => last,
        Addr::Re(r) => r.is_match(line),
    }
}

fn run_script(cmds: &[Cmd], input: &[String], quiet: bool) -> String {
    let mut out = String::new();
    let mut in_range = vec![false; cmds.len()];
    'lines: for (idx, orig) in input.iter().enumerate() {
        let (n, last) = (idx + 1, idx + 1 == input.len());
        let mut line = orig.clone();
        for (k, cmd) in cmds.iter().enumerate() {
            let selected = match (&cmd.from, &cmd.to) {
                (None, _) => true,
                (Some(a), None) => addr_hit(a, n, last, &line),
                (Some(a), Some(b)) => {
                    if in_range[k] {
                        if addr_hit(b, n, last, &line) || matches!(b, Addr::Line(e) if *e <= n) {
                            in_range[k] = false;
                        }
                        true
                    } else if addr_hit(a, n, last, &line) {
                        in_range[k] = !matches!(b, Addr::Line(e) if *e <= n);
                        true
                    } else {
                        false
                    }
                }
            };
            if !selected {
                continue;
            }
            match cmd.op {
                'd' => continue 'lines,
                'p' => out.push_str(&format!("{line}\n")),
                '=' => out.push_str(&format!("{n}\n")),
                'q' => {
                    if !quiet {
                        out.push_str(&format!("{line}\n"));
                    }
                    return out;
                }
                's' => {
                    if let Some(re) = &cmd.re {
                        let (new, changed) = substitute(re, &line, &cmd.replacement, cmd.global, cmd.nth);
                        line = new;
                        if changed && cmd.print {
                            out.push_str(&format!("{line}\n"));
                        }
                    }
                }
                _ => {}
            }
        }
        if !quiet {
            out.push_str(&format!("{line}\n"));
        }
        if out.len() > super::super::MAX_OUTPUT_BYTES {
            break;
        }
    }
    out
}

fn substitute(re: &Regex, line: &str, rep: &str, global: bool, nth: usize) -> (String, bool) {
    let chars: Vec<char> = line.chars().collect();
    let (mut out, mut pos, mut count, mut changed) = (String::new(), 0, 0, false);
    while pos <= chars.len() {
        let Some(caps) = re.find_at(&chars, pos) else { break };
        let Some((s, e)) = caps[0] else { break };
        count += 1;
        out.extend(&chars[pos..s]);
        if count >= nth {
            out.push_str(&expand_rep(rep, &chars, &caps));
            changed = true;
        } else {
            out.extend(&chars[s..e]);
        }
        pos = if e > s {
            e
        } else {
            if let Some(c) = chars.get(s) {
                out.push(*c);
            }
            s + 1
        };
        if changed && !global {
            break;
        }
    }
    if pos <= chars.len() {
        out.extend(&chars[pos.min(chars.len())..]);
    }
    (out, changed)
}

fn expand_rep(rep: &str, chars: &[char], caps: &super::regex::Caps) -> String {
    let group = |k: usize| {
        caps.get(k).copied().flatten().map(|(a, b)| chars[a..b].iter().collect::<String>()).unwrap_or_default()
    };
    let mut out = String::new();
    let mut it = rep.chars();
    while let Some(c) = it.next() {
        match c {
            '&' => out.push_str(&group(0)),
            '\\' => match it.next() {
                Some(d) if d.is_ascii_digit() => out.push_str(&group(d.to_digit(10).unwrap_or(0) as usize)),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            },
            _ => out.push(c),
        }
    }
    out
}
