//! `kstate cp SRC DEST [-c CONTAINER]`: copies files and folders between the host and a pod's
//! container. The host side is the only place kstate touches host files: exactly the paths the
//! user names (and, for folders, what lies below them); symlinks are neither followed nor made
//! on the host.

use std::fs;
use std::path::{Path, PathBuf};

use super::exec::prepare_running;
use super::{io, Context};
use crate::cluster::Cluster;
use crate::exec::{export_tree, import_tree, is_dir_in, Container, EntryKind, Flavor, TreeEntry};
use crate::{Error, Result};

pub struct Request {
    pub src: String,
    pub dest: String,
    pub container: Option<String>,
}

/// `[NAMESPACE/]POD:PATH`, or a local path.
enum Spec {
    Local(String),
    Remote { namespace: Option<String>, pod: String, path: String },
}

fn parse(spec: &str) -> Spec {
    match spec.split_once(':') {
        Some((pod, path)) if remote_pod(pod) => {
            let (namespace, pod) = match pod.split_once('/') {
                Some((ns, p)) => (Some(ns.to_string()), p.to_string()),
                None => (None, pod.to_string()),
            };
            Spec::Remote { namespace, pod, path: path.to_string() }
        }
        _ => Spec::Local(spec.to_string()),
    }
}

/// kubectl treats `X:Y` as remote unless X looks like a local path.
fn remote_pod(pod: &str) -> bool {
    !pod.is_empty() && !pod.starts_with('.') && !pod.starts_with('/') && pod.matches('/').count() <= 1
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    match (parse(&req.src), parse(&req.dest)) {
        (Spec::Local(_), Spec::Local(_)) => Err(Error::cli("one of src or dest must be a remote file specification")),
        (Spec::Remote { .. }, Spec::Remote { .. }) => {
            Err(Error::cli("one of src or dest must be a local file specification"))
        }
        (Spec::Local(src), Spec::Remote { namespace, pod, path }) => {
            if src.is_empty() || path.is_empty() {
                return Err(Error::cli("filepath can not be empty"));
            }
            to_pod(ctx, &src, namespace, &pod, &path, req.container)
        }
        (Spec::Remote { namespace, pod, path }, Spec::Local(dest)) => {
            if dest.is_empty() || path.is_empty() {
                return Err(Error::cli("filepath can not be empty"));
            }
            from_pod(ctx, namespace, &pod, &path, &dest, req.container)
        }
    }
}

fn exec_request(container: Option<String>) -> super::exec::Request {
    super::exec::Request { target: Vec::new(), container, stdin: false, tty: false, quiet: false, command: Vec::new() }
}

/// Reads the host tree at `src` (a file or a folder), without following symlinks below it.
fn read_local(src: &Path) -> Result<Vec<TreeEntry>> {
    let mut out = Vec::new();
    let mut total = 0u64;
    let mut todo = vec![(src.to_path_buf(), String::new())];
    while let Some((p, rel)) = todo.pop() {
        let meta = if rel.is_empty() { fs::metadata(&p) } else { fs::symlink_metadata(&p) }.map_err(io)?;
        let mode = mode_of(&meta);
        if meta.is_dir() {
            out.push(TreeEntry { rel: rel.clone(), kind: EntryKind::Dir, mode, data: Vec::new() });
            let mut names: Vec<String> = fs::read_dir(&p)
                .map_err(io)?
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            for name in names.into_iter().rev() {
                let crel = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
                todo.push((p.join(&name), crel));
            }
        } else if meta.file_type().is_symlink() {
            let target = fs::read_link(&p).map_err(io)?;
            out.push(TreeEntry {
                rel,
                kind: EntryKind::Symlink,
                mode: 0o777,
                data: target.to_string_lossy().as_bytes().to_vec(),
            });
        } else if meta.is_file() {
            total += meta.len();
            if total > crate::exec::store_limit() {
                return Err(Error::cli(format!(
                    "{} is larger than kstate stores in one copy ({} bytes)",
                    src.display(),
                    crate::exec::store_limit()
                )));
            }
            out.push(TreeEntry { rel, kind: EntryKind::File, mode, data: fs::read(&p).map_err(io)? });
        }
    }
    Ok(out)
}

#[cfg(unix)]
fn mode_of(meta: &fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode_of(meta: &fs::Metadata) -> u32 {
    if meta.is_dir() {
        0o755
    } else {
        0o644
    }
}

/// Opens the cluster for writing and finds the running container the copy goes to or from;
/// on failure the cluster is left untouched.
fn open_running(
    ctx: &mut Context,
    ns: Option<String>,
    pod: &str,
    container: Option<String>,
) -> Result<(Cluster, Container)> {
    if let Some(ns) = ns {
        ctx.namespace = ns;
    }
    let mut cluster = ctx.write()?;
    match prepare_running(ctx, &mut cluster, pod, &exec_request(container)) {
        Ok(c) => Ok((cluster, c)),
        Err(e) => {
            cluster.abandon()?;
            Err(e)
        }
    }
}

fn to_pod(
    ctx: &mut Context,
    src: &str,
    ns: Option<String>,
    pod: &str,
    path: &str,
    container: Option<String>,
) -> Result<()> {
    let src_path = PathBuf::from(src);
    if fs::metadata(&src_path).is_err() {
        return Err(Error::cli(format!("{src} doesn't exist in local filesystem")));
    }
    let entries = read_local(&src_path)?;
    let (cluster, c) = open_running(ctx, ns, pod, container)?;
    let mut dest = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
    let result = {
        let mut files = cluster.files();
        if is_dir_in(&mut files, &c, &dest) {
            let base = src_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if !base.is_empty() && base != "." && base != ".." {
                dest = format!("{}/{base}", dest.trim_end_matches('/'));
            }
        }
        import_tree(&mut files, &c, &dest, &entries)
    };
    ctx.finish(cluster)?;
    if let Err((p, why)) = result {
        let member = p.trim_start_matches('/');
        ctx.say_err(&format!("tar: {member}: Cannot open: {why}"))?;
        ctx.say_err("tar: Exiting with failure status due to previous errors")?;
        return Err(Error::ExitCode(2));
    }
    Ok(())
}

fn from_pod(
    ctx: &mut Context,
    ns: Option<String>,
    pod: &str,
    path: &str,
    dest: &str,
    container: Option<String>,
) -> Result<()> {
    let (cluster, c) = open_running(ctx, ns, pod, container)?;
    let busybox = crate::exec::flavor_of(&c) == Flavor::Busybox;
    let src = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
    let exported = {
        let mut files = cluster.files();
        export_tree(&mut files, &c, &src)
    };
    ctx.finish(cluster)?;
    if path.starts_with('/') {
        ctx.say_err(if busybox {
            "tar: removing leading '/' from member names"
        } else {
            "tar: Removing leading `/' from member names"
        })?;
    }
    let entries = match exported {
        Ok(e) => e,
        Err(why) => {
            let member = path.to_string();
            ctx.say_err(&if busybox {
                format!("tar: {member}: {why}")
            } else {
                format!("tar: {member}: Cannot stat: {why}\ntar: Exiting with failure status due to previous errors")
            })?;
            return Err(Error::ExitCode(if busybox { 1 } else { 2 }));
        }
    };
    write_local(ctx, Path::new(dest), &entries)
}

/// Writes the copied tree at `dest` on the host: a file replaces `dest` (or goes inside it when
/// it is a folder), a folder's contents go below `dest`.
fn write_local(ctx: &mut Context, dest: &Path, entries: &[TreeEntry]) -> Result<()> {
    let Some(root) = entries.first() else { return Ok(()) };
    if root.kind == EntryKind::File {
        let target = if dest.is_dir() {
            let name = Path::new(&root.rel).file_name().map(|n| n.to_os_string());
            dest.join(name.unwrap_or_default())
        } else {
            dest.to_path_buf()
        };
        return write_file(&target, &root.data, root.mode);
    }
    for e in entries {
        let safe = e.rel.split('/').all(|c| !c.is_empty() && c != "." && c != "..") || e.rel.is_empty();
        if !safe {
            continue;
        }
        let target = if e.rel.is_empty() { dest.to_path_buf() } else { dest.join(&e.rel) };
        if has_symlink_between(dest, &target) {
            ctx.say_err(&format!("warning: skipping \"{}\": a symlink is in the way", target.display()))?;
            continue;
        }
        match e.kind {
            EntryKind::Dir => fs::create_dir_all(&target).map_err(io)?,
            EntryKind::File => write_file(&target, &e.data, e.mode)?,
            EntryKind::Symlink => ctx.say_err(&format!(
                "warning: skipping symlink: \"{}\" -> \"{}\"",
                target.display(),
                String::from_utf8_lossy(&e.data)
            ))?,
            EntryKind::Whiteout => {}
        }
    }
    Ok(())
}

/// Whether an existing host symlink lies on the way from `base` to `target` (inclusive).
fn has_symlink_between(base: &Path, target: &Path) -> bool {
    let Ok(rest) = target.strip_prefix(base) else { return true };
    let mut p = base.to_path_buf();
    for comp in rest.components() {
        p.push(comp);
        if fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink()) {
            return true;
        }
    }
    false
}

fn write_file(target: &Path, data: &[u8], mode: u32) -> Result<()> {
    if fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink()) {
        fs::remove_file(target).map_err(io)?;
    }
    fs::write(target, data).map_err(|e| Error::cli(format!("open {}: {}", target.display(), os_text(&e))))?;
    set_mode(target, mode);
    Ok(())
}

fn os_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(unix)]
fn set_mode(target: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = fs::set_permissions(target, fs::Permissions::from_mode(mode & 0o777));
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}
