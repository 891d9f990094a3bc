//! touch, mkdir, rm, rmdir, ln, chmod.

use super::super::backing::{Entry, EntryKind};
use super::super::errno::{Errno, FsResult};
use super::super::interp::{Res, Shell};
use super::super::io::Io;
use super::super::path;
use super::{getopt, gnu, q, usage_error};

/// Most entries one `rm -r` or `cp -r` visits.
pub const MAX_TREE: usize = 100_000;

fn missing_operand(sh: &Shell, io: &mut Io, prog: &str) -> Res {
    usage_error(sh, io, prog, "missing operand", 1)
}

pub fn touch(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "camd:t:r:") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "touch", &m, 1),
    };
    if o.operands.is_empty() {
        return usage_error(sh, io, "touch", "missing file operand", 1);
    }
    let mut status = 0;
    for f in &o.operands {
        if let Err(e) = touch_one(sh, f, o.has('c')) {
            let msg =
                if gnu(sh) { format!("touch: cannot touch {}: {e}\n", q(f)) } else { format!("touch: {f}: {e}\n") };
            io.err(&msg);
            status = 1;
        }
    }
    Ok(status)
}

fn touch_one(sh: &mut Shell, f: &str, no_create: bool) -> FsResult<()> {
    let cwd = sh.env.cwd.clone();
    let now = sh.fs.now;
    let p = sh.fs.resolve(&cwd, f, true)?;
    match sh.fs.lstat(&p)? {
        Some(mut e) => {
            e.mtime = now;
            if e.kind == EntryKind::File && p.starts_with("/dev/") {
                return Ok(());
            }
            sh.fs.put(&p, &e)
        }
        None if no_create => Ok(()),
        None => sh.fs.write_file(&p, Entry::file(0o644, now, Vec::new())),
    }
}

pub fn mkdir(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "pvm:") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "mkdir", &m, 1),
    };
    if o.operands.is_empty() {
        return missing_operand(sh, io, "mkdir");
    }
    let mode = o.value('m').and_then(|m| u32::from_str_radix(m, 8).ok()).unwrap_or(0o755);
    let mut status = 0;
    for d in &o.operands {
        let r = if o.has('p') { mkdir_p(sh, d, mode) } else { mkdir_one(sh, d, mode) };
        if let Err(e) = r {
            let msg = if gnu(sh) {
                format!("mkdir: cannot create directory {}: {e}\n", q(d))
            } else {
                format!("mkdir: can't create directory '{d}': {e}\n")
            };
            io.err(&msg);
            status = 1;
        }
    }
    Ok(status)
}

fn mkdir_one(sh: &mut Shell, d: &str, mode: u32) -> FsResult<()> {
    let cwd = sh.env.cwd.clone();
    let p = sh.fs.resolve(&cwd, d, false)?;
    if sh.fs.lstat(&p)?.is_some() {
        return Err(Errno::Exist);
    }
    let now = sh.fs.now;
    sh.fs.mkdir_entry(&p, &Entry::dir(mode, now))
}

fn mkdir_p(sh: &mut Shell, d: &str, mode: u32) -> FsResult<()> {
    let mut prefix = if d.starts_with('/') { "/".to_string() } else { String::new() };
    for comp in d.split('/').filter(|c| !c.is_empty()) {
        prefix = if prefix.is_empty() || prefix.ends_with('/') {
            format!("{prefix}{comp}")
        } else {
            format!("{prefix}/{comp}")
        };
        let cwd = sh.env.cwd.clone();
        match sh.fs.stat(&cwd, &prefix) {
            Ok((_, e)) if e.is_dir() => continue,
            Ok(_) => return Err(Errno::Exist),
            Err(Errno::Noent) => mkdir_one(sh, &prefix, mode)?,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

pub fn rm(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "rRfivd") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "rm", &m, 1),
    };
    let (recursive, force) = (o.has('r') || o.has('R'), o.has('f'));
    if o.operands.is_empty() {
        return if force { Ok(0) } else { missing_operand(sh, io, "rm") };
    }
    let mut status = 0;
    let cwd = sh.env.cwd.clone();
    for f in &o.operands {
        let target = match sh.fs.lookup(&cwd, f) {
            Ok((p, _)) if p == "/" && recursive => {
                io.err("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
                status = 1;
                continue;
            }
            Ok((p, e)) => (p, e),
            Err(Errno::Noent) if force => continue,
            Err(e) => {
                rm_error(sh, io, f, e);
                status = 1;
                continue;
            }
        };
        if target.1.is_dir() && !recursive && !o.has('d') {
            let msg = if gnu(sh) {
                format!("rm: cannot remove {}: Is a directory\n", q(f))
            } else {
                format!("rm: '{f}' is a directory\n")
            };
            io.err(&msg);
            status = 1;
            continue;
        }
        let mut budget = MAX_TREE;
        if let Err((p, e)) = remove_tree(sh, &target.0, &mut budget) {
            let shown =
                if p == target.0 { f.clone() } else { format!("{}{}", f.trim_end_matches('/'), &p[target.0.len()..]) };
            rm_error(sh, io, &shown, e);
            status = 1;
        }
    }
    Ok(status)
}

fn rm_error(sh: &Shell, io: &mut Io, f: &str, e: Errno) {
    let msg =
        if gnu(sh) { format!("rm: cannot remove {}: {e}\n", q(f)) } else { format!("rm: can't remove '{f}': {e}\n") };
    io.err(&msg);
}

/// Removes `p` and everything under it, children first; reports the first failure's path.
pub fn remove_tree(sh: &mut Shell, p: &str, budget: &mut usize) -> Result<(), (String, Errno)> {
    *budget = budget.saturating_sub(1);
    if *budget == 0 {
        return Err((p.to_string(), Errno::Busy));
    }
    let e = sh.fs.lstat(p).map_err(|e| (p.to_string(), e))?;
    let mut failed = None;
    if e.as_ref().is_some_and(Entry::is_dir) {
        for name in sh.fs.children(p).map_err(|e| (p.to_string(), e))? {
            if let Err(err) = remove_tree(sh, &path::join(p, &name), budget) {
                failed.get_or_insert(err);
            }
        }
    }
    if let Some(err) = failed {
        return Err(err);
    }
    sh.fs.remove(p).map_err(|e| (p.to_string(), e))
}

pub fn rmdir(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "pv") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "rmdir", &m, 1),
    };
    if o.operands.is_empty() {
        return missing_operand(sh, io, "rmdir");
    }
    let mut status = 0;
    let cwd = sh.env.cwd.clone();
    for d in &o.operands {
        let r = match sh.fs.lookup(&cwd, d) {
            Ok((_, e)) if !e.is_dir() => Err(Errno::NotDir),
            Ok((p, _)) => match sh.fs.children(&p) {
                Ok(c) if !c.is_empty() => Err(Errno::NotEmpty),
                _ => sh.fs.remove(&p),
            },
            Err(e) => Err(e),
        };
        if let Err(e) = r {
            let msg = if gnu(sh) {
                format!("rmdir: failed to remove {}: {e}\n", q(d))
            } else {
                format!("rmdir: '{d}': {e}\n")
            };
            io.err(&msg);
            status = 1;
        }
    }
    Ok(status)
}

pub fn ln(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "sfnvT") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "ln", &m, 1),
    };
    let (target, link) = match o.operands.as_slice() {
        [t] => (t.clone(), path::basename_of(t)),
        [t, l] => (t.clone(), l.clone()),
        [] => return missing_operand(sh, io, "ln"),
        _ => return usage_error(sh, io, "ln", "extra operand", 1),
    };
    let cwd = sh.env.cwd.clone();
    let r = (|| -> FsResult<()> {
        let mut p = sh.fs.resolve(&cwd, &link, false)?;
        if sh.fs.is_dir(&cwd, &link) && !o.has('n') {
            p = path::join(&p, &path::basename_of(&target));
        }
        if sh.fs.lstat(&p)?.is_some() {
            if !o.has('f') {
                return Err(Errno::Exist);
            }
            sh.fs.remove(&p)?;
        }
        let now = sh.fs.now;
        let entry = if o.has('s') {
            Entry::symlink(&target, now)
        } else {
            let (_, e) = sh.fs.stat(&cwd, &target)?;
            if e.is_dir() {
                return Err(Errno::Perm);
            }
            e
        };
        sh.fs.write_file(&p, entry)
    })();
    if let Err(e) = r {
        let what = if o.has('s') { "symbolic link" } else { "hard link" };
        let msg = if gnu(sh) {
            format!("ln: failed to create {what} {}: {e}\n", q(&link))
        } else {
            format!("ln: {link}: {e}\n")
        };
        io.err(&msg);
        return Ok(1);
    }
    Ok(0)
}

pub fn chmod(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let recursive = argv.iter().any(|a| a == "-R");
    let rest: Vec<&String> = argv[1..].iter().filter(|a| *a != "-R" && *a != "-v" && *a != "-f").collect();
    let Some((mode, files)) = rest.split_first() else { return missing_operand(sh, io, "chmod") };
    if files.is_empty() {
        return usage_error(sh, io, "chmod", &format!("missing operand after {}", q(mode)), 1);
    }
    let mut status = 0;
    let cwd = sh.env.cwd.clone();
    for f in files {
        let r = sh.fs.stat(&cwd, f).and_then(|(p, _)| chmod_tree(sh, &p, mode, recursive));
        match r {
            Ok(()) => {}
            Err(Errno::Inval) => {
                io.err(&format!("chmod: invalid mode: {}\n", q(mode)));
                return Ok(1);
            }
            Err(e) => {
                let msg = if gnu(sh) && e == Errno::Noent {
                    format!("chmod: cannot access {}: {e}\n", q(f))
                } else if gnu(sh) {
                    format!("chmod: changing permissions of {}: {e}\n", q(f))
                } else {
                    format!("chmod: {f}: {e}\n")
                };
                io.err(&msg);
                status = 1;
            }
        }
    }
    Ok(status)
}

fn chmod_tree(sh: &mut Shell, p: &str, spec: &str, recursive: bool) -> FsResult<()> {
    let Some(mut e) = sh.fs.lstat(p)? else { return Err(Errno::Noent) };
    e.mode = apply_mode(e.mode, spec, e.is_dir()).ok_or(Errno::Inval)?;
    sh.fs.put(p, &e)?;
    if recursive && e.is_dir() {
        for name in sh.fs.children(p)?.into_iter().take(MAX_TREE) {
            chmod_tree(sh, &path::join(p, &name), spec, true)?;
        }
    }
    Ok(())
}

/// An octal (`755`) or symbolic (`u+x,go-w`, `+x`, `a=r`) mode applied to `old`.
pub fn apply_mode(old: u32, spec: &str, is_dir: bool) -> Option<u32> {
    if spec.chars().all(|c| c.is_digit(8)) && !spec.is_empty() {
        return u32::from_str_radix(spec, 8).ok().filter(|m| *m <= 0o7777);
    }
    let mut mode = old;
    for clause in spec.split(',') {
        let who_end = clause.find(|c| "+-=".contains(c))?;
        let (who, rest) = clause.split_at(who_end);
        let mut mask = 0;
        for w in who.chars() {
            mask |= match w {
                'u' => 0o4700,
                'g' => 0o2070,
                'o' => 0o1007,
                'a' => 0o7777,
                _ => return None,
            };
        }
        if mask == 0 {
            mask = 0o7777;
        }
        let op = rest.chars().next()?;
        let mut bits = 0;
        for p in rest[1..].chars() {
            bits |= match p {
                'r' => 0o444,
                'w' => 0o222,
                'x' => 0o111,
                'X' if is_dir || old & 0o111 != 0 => 0o111,
                'X' => 0,
                's' => 0o6000,
                't' => 0o1000,
                _ => return None,
            };
        }
        let bits = bits & mask;
        mode = match op {
            '+' => mode | bits,
            '-' => mode & !bits,
            _ => (mode & !(mask & 0o777)) | bits,
        };
    }
    Some(mode)
}
