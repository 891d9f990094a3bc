//! Whole trees in and out of a container, for `kstate cp` (kubectl runs `tar` in the container;
//! kstate reads and writes the container's view of its files directly, with the same rules as
//! the shell: paths stay inside the container, read-only mounts and capacities are enforced).

use super::backing::{Backing, Entry, EntryKind};
use super::fs::{Fs, Place};
use super::image::image_for;
use super::{normalized, path, store_limit, Container};

/// Entries one copy may move.
pub const MAX_TREE_ENTRIES: usize = 100_000;

/// One file, directory or symlink of a copied tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeEntry {
    /// Path below the copied root (`""` for the root itself, `a/b.txt`).
    pub rel: String,
    pub kind: EntryKind,
    pub mode: u32,
    /// File bytes, or a symlink's target.
    pub data: Vec<u8>,
}

/// Whether `p` is a directory in the container (following symlinks).
pub fn is_dir_in(backing: &mut dyn Backing, c: &Container, p: &str) -> bool {
    let c = normalized(c);
    let mut fs = Fs::new(backing, &c, image_for(&c));
    fs.is_dir("/", p)
}

/// The tree at `p` (a file gives one entry), or the error text (`No such file or directory`).
pub fn export_tree(backing: &mut dyn Backing, c: &Container, p: &str) -> Result<Vec<TreeEntry>, String> {
    let c = normalized(c);
    let mut fs = Fs::new(backing, &c, image_for(&c));
    let (root, entry) = fs.stat("/", p).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut bytes = 0u64;
    let mut todo = vec![(root, String::new(), entry)];
    while let Some((abs, rel, e)) = todo.pop() {
        if out.len() >= MAX_TREE_ENTRIES || bytes > store_limit() {
            return Err("File too large".to_string());
        }
        if matches!(fs.place(&abs), Place::Kernel) {
            continue;
        }
        bytes += e.data.len() as u64;
        if e.is_dir() {
            let mut children = fs.children(&abs).map_err(|e| e.to_string())?;
            children.reverse();
            for name in children {
                let child = path::join(&abs, &name);
                if let Ok(Some(ce)) = fs.lstat(&child) {
                    let crel = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
                    todo.push((child, crel, ce));
                }
            }
        }
        if e.kind != EntryKind::Whiteout {
            out.push(TreeEntry { rel, kind: e.kind, mode: e.mode, data: e.data });
        }
    }
    Ok(out)
}

/// Writes `entries` with their root at `dest`; the first failure's path and text.
pub fn import_tree(
    backing: &mut dyn Backing,
    c: &Container,
    dest: &str,
    entries: &[TreeEntry],
) -> Result<(), (String, String)> {
    let c = normalized(c);
    let now = c.now;
    let mut fs = Fs::new(backing, &c, image_for(&c));
    for e in entries.iter().take(MAX_TREE_ENTRIES) {
        let target = if e.rel.is_empty() { dest.to_string() } else { format!("{dest}/{}", e.rel) };
        let fail = |err: super::errno::Errno| (target.clone(), err.to_string());
        let p = fs.resolve("/", &target, false).map_err(fail)?;
        match e.kind {
            EntryKind::Dir => match fs.lstat(&p).map_err(fail)? {
                Some(existing) if existing.is_dir() => {}
                _ => fs.mkdir_entry(&p, &Entry::dir(e.mode, now)).map_err(fail)?,
            },
            EntryKind::File => {
                let p = fs.resolve("/", &target, true).map_err(fail)?;
                if matches!(fs.lstat(&p), Ok(Some(x)) if x.is_dir()) {
                    return Err((target, "Is a directory".to_string()));
                }
                fs.write_file(&p, Entry::file(e.mode, now, e.data.clone())).map_err(fail)?;
            }
            EntryKind::Symlink => {
                let to = String::from_utf8_lossy(&e.data).to_string();
                fs.put(&p, &Entry::symlink(&to, now)).map_err(fail)?;
            }
            EntryKind::Whiteout => {}
        }
    }
    Ok(())
}
