//! cp and mv.

use super::super::backing::{Entry, EntryKind};
use super::super::errno::{Errno, FsResult};
use super::super::interp::{Res, Shell};
use super::super::io::Io;
use super::super::path;
use super::files::{remove_tree, MAX_TREE};
use super::{getopt, gnu, q, usage_error};

/// Where a copy failed, for the message.
enum CopyErr {
    Stat(Errno),
    Create(String, Errno),
    Write(String, Errno),
    OmitDir,
    IntoItself,
}

pub fn cp(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "rRapfivdPL") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "cp", &m, 1),
    };
    let recursive = o.has('r') || o.has('R') || o.has('a');
    // GNU cp follows a symlink named as the source unless copying recursively (or -P, -d).
    let follow = (!recursive || o.has('L')) && !o.has('P') && !o.has('d');
    transfer(sh, io, "cp", &o.operands, follow, |sh, src, dst| {
        copy_tree(sh, src, dst, recursive, &mut MAX_TREE.clone())
    })
}

pub fn mv(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "fivnT") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "mv", &m, 1),
    };
    transfer(sh, io, "mv", &o.operands, false, |sh, src, dst| {
        if src == dst {
            return Ok(());
        }
        if sh.fs.c.mounts.iter().any(|m| m.path == src) {
            return Err(CopyErr::Create(dst.to_string(), Errno::Busy));
        }
        sh.fs.check_writable(src).map_err(|e| CopyErr::Create(dst.to_string(), e))?;
        copy_tree(sh, src, dst, true, &mut MAX_TREE.clone())?;
        remove_tree(sh, src, &mut MAX_TREE.clone()).map_err(|(p, e)| CopyErr::Create(p, e))
    })
}

/// Shared operand handling: `SRC DST`, or `SRC... DIR`.
fn transfer(
    sh: &mut Shell,
    io: &mut Io,
    prog: &str,
    ops: &[String],
    follow: bool,
    mut each: impl FnMut(&mut Shell, &str, &str) -> Result<(), CopyErr>,
) -> Res {
    let cwd = sh.env.cwd.clone();
    let (srcs, dst) = match ops {
        [] => return usage_error(sh, io, prog, "missing file operand", 1),
        [one] => return usage_error(sh, io, prog, &format!("missing destination file operand after {}", q(one)), 1),
        [s @ .., d] => (s, d),
    };
    let dst_is_dir = sh.fs.is_dir(&cwd, dst);
    if srcs.len() > 1 && !dst_is_dir {
        io.err(&format!("{prog}: target {} is not a directory\n", q(dst)));
        return Ok(1);
    }
    let mut status = 0;
    for s in srcs {
        let r = (|| {
            let (sp, _) = if follow {
                sh.fs.stat(&cwd, s).map_err(CopyErr::Stat)?
            } else {
                sh.fs.lookup(&cwd, s).map_err(CopyErr::Stat)?
            };
            let dp = if dst_is_dir {
                path::join(&sh.fs.resolve(&cwd, dst, true).map_err(CopyErr::Stat)?, &path::basename_of(s))
            } else {
                sh.fs.resolve(&cwd, dst, true).map_err(|e| CopyErr::Create(dst.clone(), e))?
            };
            if dp != sp && path::is_within(&dp, &sp) {
                return Err(CopyErr::IntoItself);
            }
            each(sh, &sp, &dp)
        })();
        if let Err(e) = r {
            status = 1;
            report(sh, io, prog, s, dst, e);
        }
    }
    Ok(status)
}

fn report(sh: &Shell, io: &mut Io, prog: &str, src: &str, dst: &str, e: CopyErr) {
    let g = gnu(sh);
    let msg = match e {
        CopyErr::Stat(e) if g => format!("{prog}: cannot stat {}: {e}", q(src)),
        CopyErr::Stat(e) => format!("{prog}: can't stat '{src}': {e}"),
        CopyErr::Create(p, e) if g && prog == "mv" => format!("mv: cannot move {} to {}: {e}", q(src), q(&p)),
        CopyErr::Create(p, e) if g => format!("cp: cannot create regular file {}: {e}", q(&p)),
        CopyErr::Create(p, e) => format!("{prog}: can't create '{p}': {e}"),
        CopyErr::Write(p, e) if g => format!("{prog}: error writing {}: {e}", q(&p)),
        CopyErr::Write(p, e) => format!("{prog}: write error: {p}: {e}"),
        CopyErr::OmitDir if g => format!("cp: -r not specified; omitting directory {}", q(src)),
        CopyErr::OmitDir => format!("cp: omitting directory '{src}'"),
        CopyErr::IntoItself => format!("{prog}: cannot copy a directory, {}, into itself, {}", q(src), q(dst)),
    };
    io.err(&format!("{msg}\n"));
}

fn copy_tree(sh: &mut Shell, src: &str, dst: &str, recursive: bool, budget: &mut usize) -> Result<(), CopyErr> {
    *budget = budget.saturating_sub(1);
    if *budget == 0 {
        return Err(CopyErr::Write(dst.to_string(), Errno::NoSpc));
    }
    let entry = sh.fs.lstat(src).map_err(CopyErr::Stat)?.ok_or(CopyErr::Stat(Errno::Noent))?;
    let now = sh.fs.now;
    match entry.kind {
        EntryKind::Dir => {
            if !recursive {
                return Err(CopyErr::OmitDir);
            }
            match sh.fs.lstat(dst).map_err(CopyErr::Stat)? {
                Some(e) if e.is_dir() => {}
                Some(_) => return Err(CopyErr::Create(dst.to_string(), Errno::Exist)),
                None => sh
                    .fs
                    .mkdir_entry(dst, &Entry::dir(entry.mode, now))
                    .map_err(|e| CopyErr::Create(dst.to_string(), e))?,
            }
            for name in sh.fs.children(src).map_err(CopyErr::Stat)? {
                copy_tree(sh, &path::join(src, &name), &path::join(dst, &name), true, budget)?;
            }
            Ok(())
        }
        _ => {
            let data = if entry.kind == EntryKind::Symlink { entry.data.clone() } else { read_file(sh, src)? };
            if matches!(sh.fs.lstat(dst), Ok(Some(e)) if e.is_dir()) {
                return Err(CopyErr::Create(dst.to_string(), Errno::IsDir));
            }
            sh.fs.check_writable(dst).map_err(|e| CopyErr::Create(dst.to_string(), e))?;
            let new = Entry { data, mtime: now, ..entry };
            sh.fs.write_file(dst, new).map_err(|e| match e {
                Errno::NoSpc => CopyErr::Write(dst.to_string(), e),
                e => CopyErr::Create(dst.to_string(), e),
            })
        }
    }
}

fn read_file(sh: &mut Shell, p: &str) -> Result<Vec<u8>, CopyErr> {
    let r: FsResult<Vec<u8>> = sh.fs.read("/", p);
    r.map_err(CopyErr::Stat)
}
