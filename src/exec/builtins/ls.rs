//! `ls` with -l -a -A -1 -R -d -h -t -S -r, in GNU or busybox layout.

use super::super::backing::{Entry, EntryKind};
use super::super::clock_fmt::{ls_date, mode_string};
use super::super::interp::{Res, Shell};
use super::super::io::Io;
use super::super::path;
use super::{getopt, gnu, put, q, usage_error, Opts};

/// Most entries one `ls -R` lists, so a huge tree cannot stall a command.
const MAX_LISTED: usize = 100_000;

struct Item {
    name: String,
    path: String,
    entry: Entry,
}

pub fn ls(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "laA1RdhtSrF") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "ls", &m, 2),
    };
    let operands = if o.operands.is_empty() { vec![".".to_string()] } else { o.operands.clone() };
    let follow = !(o.has('l') || o.has('d'));
    let cwd = sh.env.cwd.clone();
    let (mut files, mut dirs, mut status) = (Vec::new(), Vec::new(), 0);
    for op in &operands {
        let r = if follow || op.ends_with('/') { sh.fs.stat(&cwd, op) } else { sh.fs.lookup(&cwd, op) };
        match r {
            Ok((p, e)) if e.is_dir() && !o.has('d') => dirs.push(Item { name: op.clone(), path: p, entry: e }),
            Ok((p, e)) => files.push(Item { name: op.clone(), path: p, entry: e }),
            Err(e) => {
                let msg =
                    if gnu(sh) { format!("ls: cannot access {}: {e}\n", q(op)) } else { format!("ls: {op}: {e}\n") };
                io.err(&msg);
                status = if gnu(sh) { 2 } else { 1 };
            }
        }
    }
    sort_items(&mut files, &o);
    sort_items(&mut dirs, &o);
    let mut out = String::new();
    let show_headers = operands.len() > 1 || o.has('R');
    if !files.is_empty() {
        out.push_str(&format_items(sh, &files, &o));
    }
    let mut queue: Vec<Item> = dirs;
    queue.reverse();
    let mut first = files.is_empty();
    let mut listed = 0;
    while let Some(d) = queue.pop() {
        if !first {
            out.push('\n');
        }
        first = false;
        if show_headers {
            out.push_str(&format!("{}:\n", d.name));
        }
        let mut items = children(sh, &d, &o);
        listed += items.len();
        sort_items(&mut items, &o);
        if o.has('l') {
            let blocks: u64 = items.iter().map(|i| blocks_of(&i.entry, &i.path)).sum();
            out.push_str(&format!("total {}\n", if o.has('h') { human(blocks * 1024) } else { blocks.to_string() }));
        }
        out.push_str(&format_items(sh, &items, &o));
        if o.has('R') && listed < MAX_LISTED {
            let subdirs: Vec<Item> = items
                .into_iter()
                .filter(|i| i.entry.is_dir() && i.name != "." && i.name != "..")
                .map(|i| Item { name: path_join_display(&d.name, &i.name), ..i })
                .collect();
            queue.extend(subdirs.into_iter().rev());
        }
        if out.len() > super::super::MAX_OUTPUT_BYTES {
            break;
        }
    }
    if let Err(code) = put(io, "ls", out.as_bytes()) {
        return Ok(code);
    }
    Ok(status)
}

fn path_join_display(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

fn children(sh: &mut Shell, d: &Item, o: &Opts) -> Vec<Item> {
    let mut items = Vec::new();
    if o.has('a') {
        items.push(Item { name: ".".into(), path: d.path.clone(), entry: d.entry.clone() });
        let parent = path::parent(&d.path).to_string();
        let pe = sh.fs.lstat(&parent).ok().flatten().unwrap_or_else(|| d.entry.clone());
        items.push(Item { name: "..".into(), path: parent, entry: pe });
    }
    for name in sh.fs.children(&d.path).unwrap_or_default() {
        if name.starts_with('.') && !o.has('a') && !o.has('A') {
            continue;
        }
        let p = path::join(&d.path, &name);
        if let Ok(Some(entry)) = sh.fs.lstat(&p) {
            items.push(Item { name, path: p, entry });
        }
    }
    items
}

fn sort_items(items: &mut [Item], o: &Opts) {
    items.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    if o.has('t') {
        items.sort_by_key(|i| std::cmp::Reverse(i.entry.mtime));
    } else if o.has('S') {
        items.sort_by_key(|i| std::cmp::Reverse(size_of(&i.entry, &i.path)));
    }
    if o.has('r') {
        items.reverse();
    }
}

/// What `ls -l` and `stat` report as the size.
pub fn size_of(e: &Entry, p: &str) -> u64 {
    match e.kind {
        EntryKind::Dir if p.ends_with("/lost+found") => 16384,
        EntryKind::Dir => 4096,
        _ => e.data.len() as u64,
    }
}

/// 1K blocks used, as ext4 with 4K blocks allocates them.
pub fn blocks_of(e: &Entry, p: &str) -> u64 {
    match e.kind {
        EntryKind::Symlink => 0,
        _ => size_of(e, p).div_ceil(4096) * 4,
    }
}

/// GNU `-h`: one decimal below 10, rounded up (`4.0K`, `16K`, `1.2M`).
pub fn human(n: u64) -> String {
    const UNITS: [&str; 6] = ["K", "M", "G", "T", "P", "E"];
    if n < 1024 {
        return n.to_string();
    }
    let mut v = n as f64;
    for u in UNITS {
        v /= 1024.0;
        // One decimal below 10, rounded up; a value that rounds up to 10 prints without it
        // ("10G", not "10.0G"), and one that rounds up to 1024 in the next unit, as GNU's
        // human.c does.
        let tenths = (v * 10.0).ceil() / 10.0;
        if tenths < 10.0 {
            return format!("{tenths:.1}{u}");
        }
        if v.ceil() < 1024.0 {
            return format!("{}{u}", v.ceil() as u64);
        }
    }
    n.to_string()
}

fn suffix(e: &Entry, o: &Opts) -> &'static str {
    if !o.has('F') {
        return "";
    }
    match e.kind {
        EntryKind::Dir => "/",
        EntryKind::Symlink => "@",
        _ if e.mode & 0o111 != 0 => "*",
        _ => "",
    }
}

fn format_items(sh: &mut Shell, items: &[Item], o: &Opts) -> String {
    if !o.has('l') {
        return items.iter().map(|i| format!("{}{}\n", i.name, suffix(&i.entry, o))).collect();
    }
    let names = super::sys::Names::load(sh);
    let now = sh.fs.now;
    let rows: Vec<[String; 6]> = items
        .iter()
        .map(|i| {
            let nlink = if i.entry.is_dir() { 2 + subdir_count(sh, &i.path) } else { 1 };
            let size = size_of(&i.entry, &i.path);
            let mut name = format!("{}{}", i.name, suffix(&i.entry, o));
            if i.entry.kind == EntryKind::Symlink {
                name.push_str(&format!(" -> {}", String::from_utf8_lossy(&i.entry.data)));
            }
            [
                mode_string(&i.entry),
                nlink.to_string(),
                names.user(i.entry.uid),
                names.group(i.entry.gid),
                if o.has('h') { human(size) } else { size.to_string() },
                format!("{} {name}", ls_date(i.entry.mtime, now)),
            ]
        })
        .collect();
    let width = |k: usize| rows.iter().map(|r| r[k].len()).max().unwrap_or(0);
    let (w1, w2, w3, w4) = (width(1), width(2), width(3), width(4));
    rows.iter()
        .map(|r| {
            if gnu(sh) {
                format!("{} {:>w1$} {:<w2$} {:<w3$} {:>w4$} {}\n", r[0], r[1], r[2], r[3], r[4], r[5])
            } else {
                format!("{} {:>4} {:<8} {:<8} {:>9} {}\n", r[0], r[1], r[2], r[3], r[4], r[5])
            }
        })
        .collect()
}

fn subdir_count(sh: &mut Shell, dir: &str) -> usize {
    let names = sh.fs.children(dir).unwrap_or_default();
    names.iter().filter(|n| matches!(sh.fs.lstat(&path::join(dir, n)), Ok(Some(e)) if e.is_dir())).count()
}
