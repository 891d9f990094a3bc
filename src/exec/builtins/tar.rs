//! `tar`: real archives (GNU tar's format: ustar headers with the `ustar  ` magic, long names as
//! `././@LongLink` entries; pax `path`/`linkpath` records are read too), created from and
//! extracted into the container's files. kubectl's `cp` runs `tar cf - PATH` and
//! `tar -xmf - -C DIR` in the container, so it works through `kstate serve`.

use super::super::backing::{Entry, EntryKind};
use super::super::clock_fmt::{mode_string, strftime};
use super::super::errno::Errno;
use super::super::interp::{Res, Shell};
use super::super::io::Io;
use super::super::path;
use super::{gnu, open_arg, put};

const BLOCK: usize = 512;
/// GNU tar writes whole records of 20 blocks.
const RECORD: usize = 20 * BLOCK;
/// Members one archive may hold (as the other tree walks).
const MAX_MEMBERS: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Create,
    Extract,
    List,
}

#[derive(Debug, Default)]
struct Opts {
    mode: Option<Mode>,
    file: Option<String>,
    dir: Option<String>,
    verbose: bool,
    touch: bool,
    operands: Vec<String>,
}

/// One member of an archive.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub name: String,
    pub kind: EntryKind,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub mtime: i64,
    /// File bytes, or a symlink's target.
    pub data: Vec<u8>,
}

fn options(argv: &[String]) -> Result<Opts, String> {
    let mut o = Opts::default();
    let mut args: Vec<String> = argv[1..].to_vec();
    // The traditional form: the first word is a bundle of letters without a dash (`cf`, `xmf`).
    if let Some(first) = args.first().filter(|a| !a.starts_with('-')).cloned() {
        args[0] = format!("-{first}");
    }
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        if let Some(long) = a.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            };
            let mut value =
                || inline.clone().or_else(|| it.next()).ok_or(format!("option '--{name}' requires an argument"));
            match name.as_str() {
                "create" => o.mode = Some(Mode::Create),
                "extract" | "get" => o.mode = Some(Mode::Extract),
                "list" => o.mode = Some(Mode::List),
                "file" => o.file = Some(value()?),
                "directory" => o.dir = Some(value()?),
                "verbose" => o.verbose = true,
                "touch" => o.touch = true,
                "no-same-owner"
                | "no-same-permissions"
                | "same-owner"
                | "same-permissions"
                | "preserve-permissions"
                | "overwrite"
                | "numeric-owner"
                | "no-overwrite-dir"
                | "keep-old-files"
                | "format"
                | "warning" => {}
                _ => return Err(format!("unrecognized option '--{name}'")),
            }
            continue;
        }
        let Some(letters) = a.strip_prefix('-').filter(|l| !l.is_empty()) else {
            o.operands.push(a);
            continue;
        };
        let chars: Vec<char> = letters.chars().collect();
        for (j, c) in chars.iter().enumerate() {
            let rest: String = chars[j + 1..].iter().collect();
            // A letter that takes a value takes the rest of the word, or the next word.
            let mut value = || -> Result<String, String> {
                if rest.is_empty() {
                    it.next().ok_or(format!("option requires an argument -- '{c}'"))
                } else {
                    Ok(rest.clone())
                }
            };
            match c {
                'c' => o.mode = Some(Mode::Create),
                'x' => o.mode = Some(Mode::Extract),
                't' => o.mode = Some(Mode::List),
                'f' => {
                    o.file = Some(value()?);
                    break;
                }
                'C' => {
                    o.dir = Some(value()?);
                    break;
                }
                'v' => o.verbose = true,
                'm' => o.touch = true,
                'p' | 'o' | 'h' | 'P' | 'k' | 'U' => {}
                'z' | 'j' | 'J' | 'Z' => return Err("kstate's tar has no compression".to_string()),
                other => return Err(format!("invalid option -- '{other}'")),
            }
        }
    }
    Ok(o)
}

pub fn tar(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match options(argv) {
        Ok(o) => o,
        Err(e) => return super::usage_error(sh, io, "tar", &e, 2),
    };
    let Some(mode) = o.mode else {
        let msg = if gnu(sh) {
            "tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\nTry 'tar --help' or 'tar --usage' for more information.\n"
        } else {
            "tar: need at least one of -c, -x, -t\n"
        };
        io.err(msg);
        return Ok(2);
    };
    if let Some(d) = &o.dir {
        let cwd = sh.env.cwd.clone();
        match sh.fs.resolve(&cwd, d, true) {
            Ok(p) if sh.fs.is_dir("/", &p) => sh.env.cwd = p,
            Ok(_) | Err(_) => {
                let why = if sh.fs.stat(&cwd, d).is_ok() { Errno::NotDir } else { Errno::Noent };
                if gnu(sh) {
                    io.err(&format!("tar: {d}: Cannot open: {why}\ntar: Error is not recoverable: exiting now\n"));
                } else {
                    io.err(&format!("tar: can't change directory to '{d}': {why}\n"));
                }
                return Ok(2);
            }
        }
    }
    // GNU tar reads or writes the archive named by -f (or $TAPE); `-` is stdin or stdout.
    let file = o.file.clone().unwrap_or_else(|| "-".to_string());
    match mode {
        Mode::Create => create(sh, io, &o, &file),
        Mode::Extract | Mode::List => {
            let data = match open_arg(sh, io, &file) {
                Ok(src) => src.into_bytes(),
                Err(e) => {
                    io.err(&format!("tar: {file}: Cannot open: {e}\ntar: Error is not recoverable: exiting now\n"));
                    return Ok(2);
                }
            };
            let members = match parse(&data) {
                Ok(m) => m,
                Err(Corrupt) => {
                    io.err(if gnu(sh) {
                        "tar: This does not look like a tar archive\ntar: Exiting with failure status due to previous errors\n"
                    } else {
                        "tar: invalid tar magic\n"
                    });
                    return Ok(2);
                }
            };
            if mode == Mode::List {
                list(io, &members, o.verbose)
            } else {
                extract(sh, io, &o, members)
            }
        }
    }
}

fn create(sh: &mut Shell, io: &mut Io, o: &Opts, file: &str) -> Res {
    if o.operands.is_empty() {
        io.err(if gnu(sh) {
            "tar: Cowardly refusing to create an empty archive\nTry 'tar --help' or 'tar --usage' for more information.\n"
        } else {
            "tar: empty archive\n"
        });
        return Ok(2);
    }
    let mut members = Vec::new();
    let mut failed = false;
    let mut warned = false;
    let cwd = sh.env.cwd.clone();
    for operand in &o.operands {
        let name = operand.trim_start_matches('/');
        if name.len() != operand.len() && !warned {
            warned = true;
            io.err(if gnu(sh) {
                "tar: Removing leading `/' from member names\n"
            } else {
                "tar: removing leading '/' from member names\n"
            });
        }
        let found = sh.fs.resolve(&cwd, operand, false).and_then(|abs| Ok((sh.fs.lstat(&abs)?, abs)));
        match found {
            Ok((Some(e), abs)) if e.kind != EntryKind::Whiteout => walk(sh, &abs, name, e, &mut members),
            _ => {
                failed = true;
                io.err(&if gnu(sh) {
                    format!("tar: {operand}: Cannot stat: No such file or directory\n")
                } else {
                    format!("tar: {operand}: No such file or directory\n")
                });
            }
        }
    }
    if o.verbose {
        let names: String = members.iter().map(|m| format!("{}\n", display_name(m))).collect();
        // With the archive on stdout, the names go to stderr.
        if file == "-" {
            io.err(&names);
        } else if let Err(code) = put(io, "tar", names.as_bytes()) {
            return Ok(code);
        }
    }
    let archive = write(&members);
    if file == "-" {
        if let Err(code) = put(io, "tar", &archive) {
            return Ok(code);
        }
    } else {
        let target = path::join(&cwd, file);
        let now = sh.fs.now;
        let written =
            sh.fs.resolve("/", &target, true).and_then(|p| sh.fs.write_file(&p, Entry::file(0o644, now, archive)));
        if let Err(e) = written {
            io.err(&format!("tar: {file}: Cannot open: {e}\ntar: Error is not recoverable: exiting now\n"));
            return Ok(2);
        }
    }
    if failed {
        if gnu(sh) {
            io.err("tar: Exiting with failure status due to previous errors\n");
        }
        return Ok(if gnu(sh) { 2 } else { 1 });
    }
    Ok(0)
}

fn display_name(m: &Member) -> String {
    if m.kind == EntryKind::Dir {
        format!("{}/", m.name.trim_end_matches('/'))
    } else {
        m.name.clone()
    }
}

/// The member at `abs` and, for a directory, everything below it (in name order).
fn walk(sh: &mut Shell, abs: &str, name: &str, e: Entry, out: &mut Vec<Member>) {
    if out.len() >= MAX_MEMBERS {
        return;
    }
    let is_dir = e.is_dir();
    out.push(Member {
        name: name.to_string(),
        kind: e.kind,
        mode: e.mode,
        uid: e.uid,
        gid: e.gid,
        mtime: e.mtime,
        data: e.data,
    });
    if is_dir {
        for child in sh.fs.children(abs).unwrap_or_default() {
            let cabs = path::join(abs, &child);
            if let Ok(Some(ce)) = sh.fs.lstat(&cabs) {
                if ce.kind != EntryKind::Whiteout {
                    let cname = if name.is_empty() { child } else { format!("{}/{child}", name.trim_end_matches('/')) };
                    walk(sh, &cabs, &cname, ce, out);
                }
            }
        }
    }
}

fn extract(sh: &mut Shell, io: &mut Io, o: &Opts, members: Vec<Member>) -> Res {
    let cwd = sh.env.cwd.clone();
    let now = sh.fs.now;
    let mut warned = false;
    let mut failed = false;
    for m in members {
        let name = m.name.trim_start_matches('/');
        if name.len() != m.name.len() && !warned {
            warned = true;
            io.err(if gnu(sh) {
                "tar: Removing leading `/' from member names\n"
            } else {
                "tar: removing leading '/' from member names\n"
            });
        }
        let name = name.trim_end_matches('/');
        if name.is_empty() || name == "." {
            continue;
        }
        if o.verbose {
            if let Err(code) = put(io, "tar", format!("{}\n", display_name(&m)).as_bytes()) {
                return Ok(code);
            }
        }
        let target = path::join(&cwd, name);
        let mtime = if o.touch { now } else { m.mtime };
        let r = make_parents(sh, &target, now).and_then(|()| {
            let p = sh.fs.resolve("/", &target, false)?;
            match m.kind {
                EntryKind::Dir => match sh.fs.lstat(&p)? {
                    Some(existing) if existing.is_dir() => Ok(()),
                    _ => sh.fs.mkdir_entry(&p, &Entry::dir(m.mode & 0o7777, mtime)),
                },
                EntryKind::Symlink => {
                    if sh.fs.lstat(&p)?.is_some() {
                        sh.fs.remove(&p)?;
                    }
                    let mut link = Entry::symlink(&String::from_utf8_lossy(&m.data), mtime);
                    link.mtime = mtime;
                    sh.fs.put(&p, &link)
                }
                _ => {
                    if matches!(sh.fs.lstat(&p)?, Some(e) if e.is_dir()) {
                        return Err(Errno::IsDir);
                    }
                    sh.fs.write_file(&p, Entry::file(m.mode & 0o7777, mtime, m.data.clone()))
                }
            }
        });
        if let Err(e) = r {
            failed = true;
            io.err(&if gnu(sh) {
                format!("tar: {name}: Cannot open: {e}\n")
            } else {
                format!("tar: can't open '{name}': {e}\n")
            });
        }
    }
    if failed {
        if gnu(sh) {
            io.err("tar: Exiting with failure status due to previous errors\n");
        }
        return Ok(2);
    }
    Ok(0)
}

/// Creates the missing directories above `target` (mode 0755), as tar does for a member whose
/// directory the archive does not hold.
fn make_parents(sh: &mut Shell, target: &str, now: i64) -> Result<(), Errno> {
    let parent = path::parent(target);
    if parent == "/" || sh.fs.is_dir("/", parent) {
        return Ok(());
    }
    make_parents(sh, parent, now)?;
    let p = sh.fs.resolve("/", parent, false)?;
    sh.fs.mkdir_entry(&p, &Entry::dir(0o755, now))
}

fn list(io: &mut Io, members: &[Member], verbose: bool) -> Res {
    let mut out = String::new();
    // GNU tar's `tv` layout: the owner and size column grows to fit (as GNU tar 1.34 prints
    // it, `root/root` and a one-digit size are 18 characters apart at most).
    let mut ugswidth = 18;
    for m in members {
        let name = display_name(m);
        if !verbose {
            out.push_str(&format!("{name}\n"));
            continue;
        }
        let entry = Entry { kind: m.kind, mode: m.mode, uid: m.uid, gid: m.gid, mtime: m.mtime, data: Vec::new() };
        let owner = format!("{}/{}", owner_name(m.uid), owner_name(m.gid));
        let size = if m.kind == EntryKind::File { m.data.len().to_string() } else { "0".to_string() };
        let pad = owner.len() + size.len();
        ugswidth = ugswidth.max(pad);
        let width = ugswidth - pad + size.len();
        let link = if m.kind == EntryKind::Symlink {
            format!(" -> {}", String::from_utf8_lossy(&m.data))
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{} {owner} {size:>width$} {} {name}{link}\n",
            mode_string(&entry),
            strftime("%Y-%m-%d %H:%M", m.mtime)
        ));
    }
    match put(io, "tar", out.as_bytes()) {
        Ok(()) => Ok(0),
        Err(code) => Ok(code),
    }
}

fn owner_name(id: u32) -> String {
    if id == 0 {
        "root".to_string()
    } else {
        id.to_string()
    }
}

// ---- the format ----

/// An archive holding `members`, as GNU tar writes it.
pub fn write(members: &[Member]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in members {
        let mut name = m.name.clone();
        if m.kind == EntryKind::Dir && !name.ends_with('/') {
            name.push('/');
        }
        let (flag, link, size) = match m.kind {
            EntryKind::Dir => (b'5', String::new(), 0),
            EntryKind::Symlink => (b'2', String::from_utf8_lossy(&m.data).into_owned(), 0),
            _ => (b'0', String::new(), m.data.len()),
        };
        if link.len() > 100 {
            long_entry(&mut out, b'K', &link);
        }
        if name.len() > 100 {
            long_entry(&mut out, b'L', &name);
        }
        out.extend_from_slice(&header(&name, m.mode, m.uid, m.gid, size as u64, m.mtime, flag, &link));
        if flag == b'0' {
            out.extend_from_slice(&m.data);
            pad(&mut out);
        }
    }
    out.extend_from_slice(&[0u8; 2 * BLOCK]);
    let records = out.len().div_ceil(RECORD);
    out.resize(records * RECORD, 0);
    out
}

/// A `././@LongLink` entry holding a name (`L`) or link target (`K`) too long for the header.
fn long_entry(out: &mut Vec<u8>, flag: u8, text: &str) {
    let mut data = text.as_bytes().to_vec();
    data.push(0);
    out.extend_from_slice(&header("././@LongLink", 0o644, 0, 0, data.len() as u64, 0, flag, ""));
    out.extend_from_slice(&data);
    pad(out);
}

fn pad(out: &mut Vec<u8>) {
    let rem = out.len() % BLOCK;
    if rem != 0 {
        out.resize(out.len() + BLOCK - rem, 0);
    }
}

#[allow(clippy::too_many_arguments)]
fn header(name: &str, mode: u32, uid: u32, gid: u32, size: u64, mtime: i64, flag: u8, link: &str) -> [u8; BLOCK] {
    let mut h = [0u8; BLOCK];
    let field = |h: &mut [u8; BLOCK], at: usize, len: usize, bytes: &[u8]| {
        let n = bytes.len().min(len);
        h[at..at + n].copy_from_slice(&bytes[..n]);
    };
    field(&mut h, 0, 100, name.as_bytes());
    field(&mut h, 100, 8, format!("{:07o}\0", mode & 0o7777).as_bytes());
    field(&mut h, 108, 8, format!("{:07o}\0", uid.min(0o7777777)).as_bytes());
    field(&mut h, 116, 8, format!("{:07o}\0", gid.min(0o7777777)).as_bytes());
    field(&mut h, 124, 12, format!("{:011o}\0", size.min(0o77777777777)).as_bytes());
    field(&mut h, 136, 12, format!("{:011o}\0", mtime.clamp(0, 0o77777777777)).as_bytes());
    h[156] = flag;
    field(&mut h, 157, 100, link.as_bytes());
    field(&mut h, 257, 8, b"ustar  \0");
    if flag != b'L' && flag != b'K' {
        field(&mut h, 265, 32, owner_name(uid).as_bytes());
        field(&mut h, 297, 32, owner_name(gid).as_bytes());
    }
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|b| u32::from(*b)).sum();
    field(&mut h, 148, 8, format!("{sum:06o}\0 ").as_bytes());
    h
}

/// The archive is not one tar can read.
#[derive(Debug, PartialEq, Eq)]
pub struct Corrupt;

fn octal(field: &[u8]) -> Result<u64, Corrupt> {
    // Base-256 (GNU's encoding for values too large for octal).
    if field.first().is_some_and(|b| b & 0x80 != 0) {
        let mut v: u64 = u64::from(field[0] & 0x7f);
        for b in &field[1..] {
            v = v.checked_mul(256).ok_or(Corrupt)?.checked_add(u64::from(*b)).ok_or(Corrupt)?;
        }
        return Ok(v);
    }
    let text: String = field.iter().take_while(|b| **b != 0).map(|b| *b as char).collect();
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    u64::from_str_radix(text, 8).map_err(|_| Corrupt)
}

fn text(field: &[u8]) -> String {
    String::from_utf8_lossy(&field[..field.iter().position(|b| *b == 0).unwrap_or(field.len())]).into_owned()
}

/// The members of an archive, in order.
pub fn parse(data: &[u8]) -> Result<Vec<Member>, Corrupt> {
    let mut out = Vec::new();
    let mut at = 0;
    let (mut long_name, mut long_link): (Option<String>, Option<String>) = (None, None);
    while at + BLOCK <= data.len() && out.len() < MAX_MEMBERS {
        let h = &data[at..at + BLOCK];
        if h.iter().all(|b| *b == 0) {
            break;
        }
        let stored = octal(&h[148..156])?;
        let sum: u64 =
            h.iter().enumerate().map(|(i, b)| if (148..156).contains(&i) { 32 } else { u64::from(*b) }).sum();
        if stored != sum {
            return Err(Corrupt);
        }
        let size = usize::try_from(octal(&h[124..136])?).map_err(|_| Corrupt)?;
        let start = at + BLOCK;
        let end = start.checked_add(size).ok_or(Corrupt)?;
        let body = data.get(start..end).ok_or(Corrupt)?;
        at = start + size.div_ceil(BLOCK) * BLOCK;
        let flag = h[156];
        match flag {
            b'L' => {
                long_name = Some(text(body));
                continue;
            }
            b'K' => {
                long_link = Some(text(body));
                continue;
            }
            b'x' => {
                for (k, v) in pax_records(body) {
                    match k.as_str() {
                        "path" => long_name = Some(v),
                        "linkpath" => long_link = Some(v),
                        _ => {}
                    }
                }
                continue;
            }
            b'g' => continue,
            _ => {}
        }
        let mut name = text(&h[0..100]);
        if &h[257..263] == b"ustar\0" {
            let prefix = text(&h[345..500]);
            if !prefix.is_empty() {
                name = format!("{prefix}/{name}");
            }
        }
        let name = long_name.take().unwrap_or(name);
        let link = long_link.take().unwrap_or_else(|| text(&h[157..257]));
        let (kind, data) = match flag {
            b'5' => (EntryKind::Dir, Vec::new()),
            b'2' => (EntryKind::Symlink, link.into_bytes()),
            // A hard link becomes a copy of the member it names, as kstate's `ln` makes them.
            b'1' => {
                let target = link.trim_end_matches('/');
                let copy = out.iter().rev().find(|m: &&Member| m.name.trim_end_matches('/') == target);
                (EntryKind::File, copy.map(|m| m.data.clone()).unwrap_or_default())
            }
            _ if name.ends_with('/') => (EntryKind::Dir, Vec::new()),
            _ => (EntryKind::File, body.to_vec()),
        };
        out.push(Member {
            name,
            kind,
            mode: octal(&h[100..108])? as u32 & 0o7777,
            uid: octal(&h[108..116])? as u32,
            gid: octal(&h[116..124])? as u32,
            mtime: octal(&h[136..148])? as i64,
            data,
        });
    }
    if out.is_empty() && data.iter().any(|b| *b != 0) {
        return Err(Corrupt);
    }
    Ok(out)
}

/// `LEN key=value\n` records of a pax extended header.
fn pax_records(body: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let Some(sp) = rest.iter().position(|b| *b == b' ') else { break };
        let Some(len) = std::str::from_utf8(&rest[..sp]).ok().and_then(|l| l.parse::<usize>().ok()) else { break };
        if len <= sp || len > rest.len() {
            break;
        }
        let record = String::from_utf8_lossy(&rest[sp + 1..len]);
        if let Some((k, v)) = record.trim_end_matches('\n').split_once('=') {
            out.push((k.to_string(), v.to_string()));
        }
        rest = &rest[len..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, data: &[u8]) -> Member {
        Member {
            name: name.into(),
            kind: EntryKind::File,
            mode: 0o644,
            uid: 0,
            gid: 0,
            mtime: 1_764_234_000,
            data: data.to_vec(),
        }
    }

    #[test]
    fn what_is_written_reads_back_long_names_included() {
        let long = format!("d/{}", "n".repeat(150));
        let members = vec![
            Member { name: "d".into(), kind: EntryKind::Dir, mode: 0o755, uid: 0, gid: 0, mtime: 5, data: Vec::new() },
            file("d/a.txt", b"hello\n"),
            file(&long, b"x"),
        ];
        let archive = write(&members);
        assert_eq!(archive.len() % RECORD, 0);
        // The header's checksum and magic are GNU tar's.
        assert_eq!(&archive[257..265], b"ustar  \0");
        let back = parse(&archive).expect("parses");
        assert_eq!(back.len(), 3);
        assert_eq!(back[0].name, "d/");
        assert_eq!(back[0].kind, EntryKind::Dir);
        assert_eq!(back[1], file("d/a.txt", b"hello\n"));
        assert_eq!(back[2].name, long);
    }

    #[test]
    fn garbage_and_bad_checksums_are_refused() {
        assert_eq!(parse(b"not a tar archive at all"), Err(Corrupt));
        let mut archive = write(&[file("a", b"1")]);
        archive[0] = b'b';
        assert_eq!(parse(&archive), Err(Corrupt));
        assert_eq!(parse(&[]), Ok(Vec::new()));
    }
}
