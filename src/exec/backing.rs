//! Where volumes keep their files: the trait the store implements, and an in-memory version.

use std::collections::BTreeMap;

/// What a stored path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// Only in a container's writable layer: the image's entry at this path was deleted.
    Whiteout,
}

/// One stored file, directory, symlink or whiteout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntryKind,
    /// Permission bits only (`0o644`); the kind is in `kind`.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Unix seconds.
    pub mtime: i64,
    /// File bytes, or a symlink's target; empty for directories and whiteouts.
    pub data: Vec<u8>,
}

impl Entry {
    pub fn file(mode: u32, mtime: i64, data: Vec<u8>) -> Entry {
        Entry { kind: EntryKind::File, mode, uid: 0, gid: 0, mtime, data }
    }
    pub fn dir(mode: u32, mtime: i64) -> Entry {
        Entry { kind: EntryKind::Dir, mode, uid: 0, gid: 0, mtime, data: Vec::new() }
    }
    pub fn symlink(target: &str, mtime: i64) -> Entry {
        Entry { kind: EntryKind::Symlink, mode: 0o777, uid: 0, gid: 0, mtime, data: target.as_bytes().to_vec() }
    }
    pub fn whiteout(mtime: i64) -> Entry {
        Entry { kind: EntryKind::Whiteout, mode: 0, uid: 0, gid: 0, mtime, data: Vec::new() }
    }
    pub fn is_dir(&self) -> bool {
        self.kind == EntryKind::Dir
    }
}

/// Persistent storage of volumes' files. A volume is a string id (`pv/d-2ze...`,
/// `layer/<pod-uid>/nginx`, `emptydir/<pod-uid>/cache`). Paths are absolute inside the volume
/// (`/`, `/lost+found`, `/a/b.txt`), normalised, without a trailing slash except the root.
pub trait Backing {
    fn get(&mut self, volume: &str, path: &str) -> anyhow::Result<Option<Entry>>;
    fn put(&mut self, volume: &str, path: &str, entry: &Entry) -> anyhow::Result<()>;
    /// Removes one entry (not its children).
    fn remove(&mut self, volume: &str, path: &str) -> anyhow::Result<()>;
    /// Names directly under `dir`, sorted.
    fn children(&mut self, volume: &str, dir: &str) -> anyhow::Result<Vec<String>>;
    /// Sum of the data lengths of the volume's entries.
    fn used_bytes(&mut self, volume: &str) -> anyhow::Result<u64>;
}

/// A [`Backing`] in memory, for tests and dry runs.
#[derive(Debug, Default, Clone)]
pub struct MemBacking {
    /// (volume, path) → entry; a BTreeMap so children come out sorted.
    pub entries: BTreeMap<(String, String), Entry>,
}

impl MemBacking {
    pub fn new() -> MemBacking {
        MemBacking::default()
    }
}

impl Backing for MemBacking {
    fn get(&mut self, volume: &str, path: &str) -> anyhow::Result<Option<Entry>> {
        Ok(self.entries.get(&(volume.to_string(), path.to_string())).cloned())
    }

    fn put(&mut self, volume: &str, path: &str, entry: &Entry) -> anyhow::Result<()> {
        self.entries.insert((volume.to_string(), path.to_string()), entry.clone());
        Ok(())
    }

    fn remove(&mut self, volume: &str, path: &str) -> anyhow::Result<()> {
        self.entries.remove(&(volume.to_string(), path.to_string()));
        Ok(())
    }

    fn children(&mut self, volume: &str, dir: &str) -> anyhow::Result<Vec<String>> {
        let prefix = if dir == "/" { "/".to_string() } else { format!("{dir}/") };
        let start = (volume.to_string(), prefix.clone());
        let mut names: Vec<String> = self
            .entries
            .range(start..)
            .take_while(|((v, p), _)| v == volume && p.starts_with(&prefix))
            .filter_map(|((_, p), _)| {
                let rest = &p[prefix.len()..];
                (!rest.is_empty() && !rest.contains('/')).then(|| rest.to_string())
            })
            .collect();
        names.sort();
        Ok(names)
    }

    fn used_bytes(&mut self, volume: &str) -> anyhow::Result<u64> {
        Ok(self.entries.iter().filter(|((v, _), _)| v == volume).map(|(_, e)| e.data.len() as u64).sum())
    }
}
