//! find, stat, du, df.

use super::super::backing::{Entry, EntryKind};
use super::super::clock_fmt::{mode_string, stat_time};
use super::super::glob;
use super::super::interp::{Res, Shell};
use super::super::io::Io;
use super::super::path;
use super::ls::{blocks_of, human, size_of};
use super::{getopt, gnu, put, q, usage_error};

/// Most entries a walk visits (find, du).
const MAX_WALK: usize = 100_000;

struct Query {
    name: Option<(String, bool)>,
    kind: Option<char>,
    maxdepth: usize,
    mindepth: usize,
}

pub fn find(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let mut roots = Vec::new();
    let mut i = 1;
    while i < argv.len() && !argv[i].starts_with('-') {
        roots.push(argv[i].clone());
        i += 1;
    }
    let mut qy = Query { name: None, kind: None, maxdepth: usize::MAX, mindepth: 0 };
    while i < argv.len() {
        let val = argv.get(i + 1).cloned();
        let Some(val) = val.filter(|_| argv[i] != "-print") else {
            if argv[i] != "-print" {
                io.err(&format!("find: missing argument to `{}'\n", argv[i]));
                return Ok(1);
            }
            i += 1;
            continue;
        };
        match argv[i].as_str() {
            "-name" => qy.name = Some((val, false)),
            "-iname" => qy.name = Some((val.to_lowercase(), true)),
            "-type" => qy.kind = val.chars().next(),
            "-maxdepth" => qy.maxdepth = val.parse().unwrap_or(usize::MAX),
            "-mindepth" => qy.mindepth = val.parse().unwrap_or(0),
            other => {
                io.err(&if gnu(sh) {
                    format!("find: unknown predicate `{other}'\n")
                } else {
                    format!("find: unrecognized: {other}\n")
                });
                return Ok(1);
            }
        }
        i += 2;
    }
    if roots.is_empty() {
        roots.push(".".into());
    }
    let cwd = sh.env.cwd.clone();
    let (mut out, mut status, mut budget) = (String::new(), 0, MAX_WALK);
    for r in &roots {
        match sh.fs.lookup(&cwd, r) {
            Ok((p, e)) => walk(sh, &qy, &p, r, e, 0, &mut out, &mut budget),
            Err(e) => {
                io.err(&if gnu(sh) { format!("find: {}: {e}\n", q(r)) } else { format!("find: {r}: {e}\n") });
                status = 1;
            }
        }
    }
    Ok(put(io, "find", out.as_bytes()).err().unwrap_or(status))
}

#[allow(clippy::too_many_arguments)]
fn walk(
    sh: &mut Shell,
    qy: &Query,
    p: &str,
    shown: &str,
    e: Entry,
    depth: usize,
    out: &mut String,
    budget: &mut usize,
) {
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    let name = path::base(shown);
    let name_ok = qy
        .name
        .as_ref()
        .is_none_or(|(pat, icase)| glob::matches(pat, &if *icase { name.to_lowercase() } else { name.to_string() }));
    let type_ok = qy.kind.is_none_or(|k| match k {
        'f' => e.kind == EntryKind::File,
        'd' => e.is_dir(),
        'l' => e.kind == EntryKind::Symlink,
        _ => false,
    });
    if name_ok && type_ok && depth >= qy.mindepth {
        out.push_str(shown);
        out.push('\n');
    }
    if e.is_dir() && depth < qy.maxdepth {
        for child in sh.fs.children(p).unwrap_or_default() {
            let cp = path::join(p, &child);
            if let Ok(Some(ce)) = sh.fs.lstat(&cp) {
                let cs = if shown.ends_with('/') { format!("{shown}{child}") } else { format!("{shown}/{child}") };
                walk(sh, qy, &cp, &cs, ce, depth + 1, out, budget);
            }
        }
    }
}

fn file_type(e: &Entry, p: &str) -> &'static str {
    match e.kind {
        EntryKind::Dir => "directory",
        EntryKind::Symlink => "symbolic link",
        _ if p.starts_with("/dev/") => "character special file",
        _ if e.data.is_empty() => "regular empty file",
        _ => "regular file",
    }
}

pub fn stat(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "Lc:t") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "stat", &m, 1),
    };
    if o.operands.is_empty() {
        return usage_error(sh, io, "stat", "missing operand", 1);
    }
    let names = super::sys::Names::load(sh);
    let cwd = sh.env.cwd.clone();
    let (mut out, mut status) = (String::new(), 0);
    for f in &o.operands {
        let r = if o.has('L') { sh.fs.stat(&cwd, f) } else { sh.fs.lookup(&cwd, f) };
        let (p, e) = match r {
            Ok(x) => x,
            Err(err) => {
                io.err(&if gnu(sh) {
                    format!("stat: cannot statx {}: {err}\n", q(f))
                } else {
                    format!("stat: can't stat '{f}': {err}\n")
                });
                status = 1;
                continue;
            }
        };
        let (user, group) = (names.user(e.uid), names.group(e.gid));
        let vals = |c: char| -> String {
            match c {
                'n' => f.clone(),
                's' => size_of(&e, &p).to_string(),
                'a' => format!("{:o}", e.mode),
                'A' => mode_string(&e),
                'u' => e.uid.to_string(),
                'g' => e.gid.to_string(),
                'U' => user.clone(),
                'G' => group.clone(),
                'F' => file_type(&e, &p).to_string(),
                'h' => "1".into(),
                'y' | 'x' | 'z' => stat_time(e.mtime),
                'Y' | 'X' | 'Z' => e.mtime.to_string(),
                'b' => (blocks_of(&e, &p) * 2).to_string(),
                'i' => "0".into(),
                '%' => "%".into(),
                other => format!("?{other}"),
            }
        };
        if let Some(fmt) = o.value('c') {
            let mut s = String::new();
            let mut it = fmt.chars();
            while let Some(ch) = it.next() {
                if ch == '%' {
                    s.push_str(&it.next().map(vals).unwrap_or_default());
                } else {
                    s.push(ch);
                }
            }
            out.push_str(&format!("{s}\n"));
            continue;
        }
        let shown = if e.kind == EntryKind::Symlink {
            format!("{f} -> {}", String::from_utf8_lossy(&e.data))
        } else {
            f.clone()
        };
        let t = stat_time(e.mtime);
        out.push_str(&format!(
            "  File: {shown}\n  Size: {:<10}\tBlocks: {:<10} IO Block: 4096   {}\nDevice: 0,52\tInode: {:<11} Links: {}\n\
             Access: ({:04o}/{})  Uid: ({:>5}/{:>8})   Gid: ({:>5}/{:>8})\nAccess: {t}\nModify: {t}\nChange: {t}\n Birth: -\n",
            vals('s'),
            vals('b'),
            vals('F'),
            inode(&p),
            if e.is_dir() { 2 } else { 1 },
            e.mode,
            vals('A'),
            e.uid,
            user,
            e.gid,
            group
        ));
    }
    Ok(put(io, "stat", out.as_bytes()).err().unwrap_or(status))
}

/// A stable inode number derived from the path.
fn inode(p: &str) -> u64 {
    p.bytes().fold(1_000_003u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))) % 10_000_000
}

pub fn du(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match getopt(&argv[1..], "shakcd:") {
        Ok(o) => o,
        Err(m) => return usage_error(sh, io, "du", &m, 1),
    };
    let operands = if o.operands.is_empty() { vec![".".to_string()] } else { o.operands.clone() };
    let cwd = sh.env.cwd.clone();
    let (mut out, mut status, mut grand) = (String::new(), 0, 0);
    for op in &operands {
        match sh.fs.lookup(&cwd, op) {
            Ok((p, e)) => {
                let mut budget = MAX_WALK;
                let k = du_walk(sh, &p, op, &e, &o, 0, &mut out, &mut budget);
                grand += k;
            }
            Err(e) => {
                io.err(&if gnu(sh) {
                    format!("du: cannot access {}: {e}\n", q(op))
                } else {
                    format!("du: {op}: {e}\n")
                });
                status = 1;
            }
        }
    }
    if o.has('c') {
        out.push_str(&format!("{}\ttotal\n", fmt_k(grand, o.has('h'))));
    }
    Ok(put(io, "du", out.as_bytes()).err().unwrap_or(status))
}

fn fmt_k(k: u64, h: bool) -> String {
    if h {
        if k == 0 {
            "0".into()
        } else {
            human(k * 1024)
        }
    } else {
        k.to_string()
    }
}

#[allow(clippy::too_many_arguments)]
fn du_walk(
    sh: &mut Shell,
    p: &str,
    shown: &str,
    e: &Entry,
    o: &super::Opts,
    depth: usize,
    out: &mut String,
    budget: &mut usize,
) -> u64 {
    *budget = budget.saturating_sub(1);
    let mut k = blocks_of(e, p);
    if e.is_dir() && *budget > 0 {
        for child in sh.fs.children(p).unwrap_or_default() {
            let cp = path::join(p, &child);
            if let Ok(Some(ce)) = sh.fs.lstat(&cp) {
                let cs = if shown.ends_with('/') { format!("{shown}{child}") } else { format!("{shown}/{child}") };
                k += du_walk(sh, &cp, &cs, &ce, o, depth + 1, out, budget);
            }
        }
    }
    let print = if o.has('s') { depth == 0 } else { e.is_dir() || o.has('a') || depth == 0 };
    if print {
        out.push_str(&format!("{}\t{shown}\n", fmt_k(k, o.has('h'))));
    }
    k
}

pub fn df(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let h = argv[1..].iter().any(|a| a.starts_with('-') && a.contains('h'));
    let operands: Vec<&String> = argv[1..].iter().filter(|a| !a.starts_with('-')).collect();
    let layer_used = sh.fs.usage(&sh.fs.c.layer.clone());
    const ROOT_K: u64 = 41_152_736;
    // Filesystem, size and used KiB, mount point.
    let mut rows: Vec<(String, u64, u64, String)> = vec![
        ("overlay".into(), ROOT_K, 8_452_460 + layer_used.div_ceil(1024), "/".into()),
        ("tmpfs".into(), 65_536, 0, "/dev".into()),
    ];
    let mounts = sh.fs.c.mounts.clone();
    let mut disk = b'b';
    for m in &mounts {
        let used_bytes = sh.fs.usage(&m.volume);
        let is_pv = m.volume.starts_with("pv/");
        let dev = if !m.device.is_empty() {
            m.device.clone()
        } else if is_pv {
            let d = format!("/dev/vd{}", disk as char);
            disk = disk.saturating_add(1);
            d
        } else {
            "/dev/vda1".into()
        };
        let total = match m.capacity_bytes {
            Some(c) if is_pv && m.fs_type == "ext4" => ext4_size_k(c),
            Some(c) => c / 1024,
            None => ROOT_K,
        };
        // A disk's filesystem takes a little of it (an SMB share's files are all there is).
        let used = used_bytes.div_ceil(1024) + if is_pv && m.fs_type != "cifs" { 24 } else { 0 };
        rows.push((dev, total, used, m.path.clone()));
    }
    let mut status = 0;
    if !operands.is_empty() {
        // Each operand's filesystem: the mount holding the path, the deepest one.
        let cwd = sh.env.cwd.clone();
        let mut picked = Vec::new();
        for op in operands {
            match sh.fs.lookup(&cwd, op) {
                Ok((p, _)) => {
                    let holds = |mnt: &str| mnt == "/" || p == mnt || p.starts_with(&format!("{mnt}/"));
                    let best = rows.iter().filter(|r| holds(&r.3)).max_by_key(|r| r.3.len());
                    picked.extend(best.cloned());
                }
                Err(e) => {
                    // GNU quotes only names that need it; busybox finds no mount point.
                    io.err(&if gnu(sh) {
                        format!("df: {op}: {e}\n")
                    } else {
                        format!("df: {op}: can't find mount point\n")
                    });
                    status = 1;
                }
            }
        }
        if picked.is_empty() {
            return Ok(status);
        }
        rows = picked;
    }
    let size = |k: u64| if h { human(k * 1024) } else { k.to_string() };
    let mut table = vec![[
        "Filesystem".to_string(),
        if h { "Size" } else { "1K-blocks" }.to_string(),
        "Used".to_string(),
        if h { "Avail" } else { "Available" }.to_string(),
        "Use%".to_string(),
        "Mounted on".to_string(),
    ]];
    for (fs, total, used, mnt) in rows {
        let avail = total.saturating_sub(used);
        let pct =
            if total == 0 { "-".to_string() } else { format!("{}%", (used * 100).div_ceil(used + avail).min(100)) };
        table.push([fs, size(total), size(used), size(avail), pct, mnt]);
    }
    // GNU df's columns are at least as wide as its defaults (Filesystem 14, numbers 5, Use% 4).
    let least: [usize; 5] = if gnu(sh) { [14, 5, 5, 5, 4] } else { [0; 5] };
    let w: Vec<usize> = (0..5).map(|k| table.iter().map(|r| r[k].len()).max().unwrap_or(0).max(least[k])).collect();
    let out: String = table
        .iter()
        .map(|r| {
            format!(
                "{:<w0$} {:>w1$} {:>w2$} {:>w3$} {:>w4$} {}\n",
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                w0 = w[0],
                w1 = w[1],
                w2 = w[2],
                w3 = w[3],
                w4 = w[4]
            )
        })
        .collect();
    Ok(put(io, "df", out.as_bytes()).err().unwrap_or(status))
}

/// What `df` reports as the size (KiB) of the ext4 filesystem the kubelet makes on a disk of
/// `bytes` (`mkfs.ext4 -m0`, 4 KiB blocks): the disk less its inode tables (a 256-byte inode per
/// 16 KiB), the journal (mke2fs's default size), two bitmap blocks per 128 MiB group, and a
/// superblock and group descriptor copy in groups 0, 1 and the powers of 3, 5 and 7. A 10 GiB
/// disk shows 9.8G, a 20 GiB one 20511312 KiB, as on the clouds.
fn ext4_size_k(bytes: u64) -> u64 {
    let blocks = bytes / 4096;
    if blocks < 2048 {
        return bytes / 1024;
    }
    let journal = match blocks {
        b if b < 32_768 => 1_024,
        b if b < 256 * 1024 => 4_096,
        b if b < 512 * 1024 => 8_192,
        b if b < 4_096 * 1024 => 16_384,
        b if b < 8_192 * 1024 => 32_768,
        b if b < 16_384 * 1024 => 65_536,
        b if b < 32_768 * 1024 => 131_072,
        _ => 262_144,
    };
    let groups = blocks.div_ceil(32_768);
    let inode_blocks = (bytes / 16_384) * 256 / 4096;
    let descriptor_blocks = (groups * 64).div_ceil(4096);
    let backups = (0..groups).filter(|&g| has_backup(g)).count() as u64;
    let overhead = journal + inode_blocks + 2 * groups + backups * (1 + descriptor_blocks);
    blocks.saturating_sub(overhead) * 4
}

/// Does ext4 group `g` hold a superblock copy (sparse_super: 0, 1 and powers of 3, 5, 7)?
fn has_backup(g: u64) -> bool {
    if g <= 1 {
        return true;
    }
    [3u64, 5, 7].iter().any(|&base| {
        let mut p = base;
        while p < g {
            p *= base;
        }
        p == g
    })
}

#[cfg(test)]
mod tests {
    use super::{ext4_size_k, has_backup};

    #[test]
    fn ext4_sizes_are_what_df_shows_on_the_clouds_disks() {
        const GIB: u64 = 1 << 30;
        // ACK's 20 GiB disk (its StatefulSet page), in KiB.
        assert_eq!(ext4_size_k(20 * GIB), 20_511_312);
        // `df -h`: Azure's 10 GiB 9.8G, GCE's 6 GiB 5.9G and 9 GiB 8.8G, Azure's 15 GiB 15G.
        assert_eq!(super::human(ext4_size_k(10 * GIB) * 1024), "9.8G");
        assert_eq!(super::human(ext4_size_k(6 * GIB) * 1024), "5.9G");
        assert_eq!(super::human(ext4_size_k(9 * GIB) * 1024), "8.8G");
        assert_eq!(super::human(ext4_size_k(15 * GIB) * 1024), "15G");
        assert_eq!(super::human(10 * GIB - 25 * 1024), "10G");
        assert_eq!(super::human(GIB - 25 * 1024), "1.0G");
        let backups: Vec<u64> = (0..100).filter(|&g| has_backup(g)).collect();
        assert_eq!(backups, [0, 1, 3, 5, 7, 9, 25, 27, 49, 81]);
    }
}
