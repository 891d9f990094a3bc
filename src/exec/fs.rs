//! The filesystem a container sees: image files under its writable layer, the volumes mounted
//! over them, and the kernel's /dev and /proc. All paths here are canonical (absolute, no `.`,
//! `..` or symlinks in the parent part); `resolve.rs` turns user paths into such paths.

use std::collections::BTreeMap;

use super::backing::{Backing, Entry, EntryKind};
use super::errno::{Errno, FsResult};
use super::image::{self, Image};
use super::{path, special, store_limit, Container, Mount};

/// Which storage answers for a canonical path.
pub enum Place<'m> {
    /// The image overlaid by the container's writable layer.
    Root,
    /// A volume mount, with the path inside the volume.
    Mount(&'m Mount, String),
    /// /dev or /proc, served by the simulated kernel.
    Kernel,
}

/// One command's view of the container's files.
pub struct Fs<'a> {
    backing: &'a mut dyn Backing,
    pub c: &'a Container,
    pub image: std::rc::Rc<Image>,
    /// Bytes this run has added to any volume, capped by [`store_limit`].
    pub stored: u64,
    /// Unix seconds: the time files are stamped with and `date` prints (a process's own clock).
    pub now: i64,
    /// What the writable layer holds at the paths this run looked up (`None`: nothing), so that
    /// a path resolved again (each PATH search, a script read after it was found) is not read
    /// from the store again. A write to the layer forgets the path written and everything under
    /// it (ordered, so that is one range): forgetting everything made each write in a deep
    /// directory read every ancestor again, and `mkdir -p` of 500 levels took 18 s.
    layer_seen: BTreeMap<String, Option<Entry>>,
    /// Bytes of the paths this run looked up, one ancestor at a time: a lookup costs the depth
    /// of its path, so `while :; do mkdir d; cd d; done` grows the cost of each command until
    /// the shell stops it (see [`super::MAX_LOOKUP_BYTES`]).
    pub looked_up: u64,
}

impl<'a> Fs<'a> {
    pub fn new(backing: &'a mut dyn Backing, c: &'a Container, image: std::rc::Rc<Image>) -> Fs<'a> {
        Fs { backing, c, image, stored: 0, now: c.now, layer_seen: BTreeMap::new(), looked_up: 0 }
    }

    /// The store behind every container, to reach another container's files (`net/`).
    pub fn backing(&mut self) -> &mut dyn Backing {
        // The caller may write through it.
        self.layer_seen.clear();
        &mut *self.backing
    }

    /// The mount covering `p` (longest prefix wins: a mount hides what is beneath it).
    pub fn place(&self, p: &str) -> Place<'a> {
        let c: &'a Container = self.c;
        let best = c.mounts.iter().filter(|m| path::is_within(p, &m.path)).max_by_key(|m| m.path.len());
        if let Some(m) = best {
            let inner = path::strip(p, &m.path);
            // `inner` is canonical already; only a subPath needs joining (every lookup under a
            // deep directory comes here once per ancestor).
            let vpath = if matches!(m.sub_path.as_str(), "" | "/") {
                inner
            } else {
                path::normalize("/", &format!("{}/{}", m.sub_path, inner))
            };
            return Place::Mount(m, vpath);
        }
        if path::is_within(p, "/dev") || path::is_within(p, "/proc") {
            return Place::Kernel;
        }
        Place::Root
    }

    /// Whether `p` lies strictly above some mount point, so the runtime created it as a directory.
    fn holds_mount_point(&self, p: &str) -> bool {
        self.c.mounts.iter().any(|m| m.path != p && path::is_within(&m.path, p))
    }

    /// The entry at a canonical path, without following a final symlink.
    pub fn lstat(&mut self, p: &str) -> FsResult<Option<Entry>> {
        let found = match self.place(p) {
            Place::Kernel => special::lstat(p, self.now),
            Place::Mount(m, vp) => {
                // The kubelet creates a missing subPath directory before it mounts it.
                let (vol, is_root) = (m.volume.clone(), p == m.path);
                let got = self.backing.get(&vol, &vp).map_err(|_| Errno::Io)?;
                match got {
                    None if is_root => Some(Entry::dir(0o755, self.now)),
                    other => other,
                }
            }
            Place::Root => match self.layer_entry(p)? {
                Some(e) if e.kind == EntryKind::Whiteout => None,
                Some(e) => Some(e),
                None => image::kubelet_file(self.c, p).or_else(|| self.image.files.get(p).cloned()),
            },
        };
        if found.is_none() && self.holds_mount_point(p) {
            return Ok(Some(Entry::dir(0o755, self.now)));
        }
        Ok(found)
    }

    /// The writable layer's entry at a canonical path.
    ///
    /// Every entry of a layer is stored with its parent directories (copy-up, see
    /// [`Fs::copy_up_parents`]): below a path the layer does not hold, it holds nothing. So the
    /// path's ancestors are looked at first, outermost first, and the first one missing answers:
    /// a new container's PATH search reads `/usr` from the store once, not each directory and
    /// program under it.
    fn layer_entry(&mut self, p: &str) -> FsResult<Option<Entry>> {
        if let Some(seen) = self.layer_seen.get(p) {
            return Ok(seen.clone());
        }
        // The ends of `p`'s components: `/usr/bin/sh` → `/usr`, `/usr/bin`, `/usr/bin/sh`.
        let ends = p.match_indices('/').map(|(i, _)| i).filter(|i| *i > 0).chain(std::iter::once(p.len()));
        let mut found = None;
        for end in ends {
            let at = &p[..end];
            found = match self.layer_seen.get(at) {
                Some(seen) => seen.clone(),
                None => {
                    let got = self.backing.get(&self.c.layer, at).map_err(|_| Errno::Io)?;
                    self.layer_seen.insert(at.to_string(), got.clone());
                    got
                }
            };
            if found.is_none() {
                break;
            }
        }
        self.layer_seen.insert(p.to_string(), found.clone());
        Ok(found)
    }

    /// Stores an entry in a volume (every write goes through here or [`Fs::unstore`]).
    fn store(&mut self, vol: &str, vp: &str, entry: &Entry) -> FsResult<()> {
        self.forget(vol, vp);
        self.backing.put(vol, vp, entry).map_err(|_| Errno::Io)
    }

    fn unstore(&mut self, vol: &str, vp: &str) -> FsResult<()> {
        self.forget(vol, vp);
        self.backing.remove(vol, vp).map_err(|_| Errno::Io)
    }

    /// Drops what [`Fs::layer_entry`] remembers at `vp` and below it when `vol` is the layer (a
    /// volume's files are not remembered).
    fn forget(&mut self, vol: &str, vp: &str) {
        if vol != self.c.layer {
            return;
        }
        if vp == "/" {
            self.layer_seen.clear();
            return;
        }
        self.layer_seen.remove(vp);
        let below = format!("{vp}/");
        let stale: Vec<String> = self
            .layer_seen
            .range(below.clone()..)
            .map(|(k, _)| k)
            .take_while(|k| k.starts_with(&below))
            .cloned()
            .collect();
        for k in stale {
            self.layer_seen.remove(&k);
        }
    }

    /// Names directly under a canonical directory, sorted, without `.` and `..`.
    pub fn children(&mut self, dir: &str) -> FsResult<Vec<String>> {
        let mut names: Vec<String> = match self.place(dir) {
            Place::Kernel => special::children(dir),
            Place::Mount(m, vp) => {
                let vol = m.volume.clone();
                self.backing.children(&vol, &vp).map_err(|_| Errno::Io)?
            }
            Place::Root => self.root_children(dir)?,
        };
        for m in &self.c.mounts {
            if m.path != dir && path::parent(&m.path) == dir {
                names.push(path::base(&m.path).to_string());
            }
        }
        if dir == "/" {
            names.extend(["dev".to_string(), "proc".to_string()]);
        }
        names.sort();
        names.dedup();
        Ok(names)
    }

    /// The merged listing of the image and the writable layer.
    fn root_children(&mut self, dir: &str) -> FsResult<Vec<String>> {
        let layer = self.c.layer.clone();
        let mut names = Vec::new();
        let mut hidden = Vec::new();
        for name in self.backing.children(&layer, dir).map_err(|_| Errno::Io)? {
            let p = path::join(dir, &name);
            match self.backing.get(&layer, &p).map_err(|_| Errno::Io)? {
                Some(e) if e.kind == EntryKind::Whiteout => hidden.push(name),
                Some(_) => names.push(name),
                None => {}
            }
        }
        if dir == "/etc" {
            names
                .extend(image::KUBELET_FILES.iter().filter(|n| !hidden.iter().any(|h| h == *n)).map(|n| n.to_string()));
        }
        let prefix = if dir == "/" { "/".to_string() } else { format!("{dir}/") };
        for (p, _) in self.image.files.range(prefix.clone()..) {
            let Some(rest) = p.strip_prefix(&prefix) else { break };
            if !rest.is_empty() && !rest.contains('/') && !hidden.iter().any(|h| h == rest) {
                names.push(rest.to_string());
            }
        }
        Ok(names)
    }

    /// Refuses writes where the container may not write.
    pub fn check_writable(&self, p: &str) -> FsResult<()> {
        match self.place(p) {
            Place::Mount(m, _) if m.read_only => Err(Errno::Rofs),
            Place::Kernel if p.starts_with("/proc") => Err(Errno::Rofs),
            Place::Kernel => Err(Errno::Perm),
            Place::Root if self.c.read_only_root => Err(Errno::Rofs),
            _ => Ok(()),
        }
    }

    /// Creates or replaces the entry at a canonical path whose parent exists.
    pub fn put(&mut self, p: &str, entry: &Entry) -> FsResult<()> {
        // A file mounted over a path (`/dev/termination-log`, a subPath file) can be rewritten;
        // a directory mount point cannot be replaced.
        let file_mount =
            entry.kind == EntryKind::File && matches!(self.lstat(p), Ok(Some(e)) if e.kind == EntryKind::File);
        if p == "/" || (!file_mount && self.c.mounts.iter().any(|m| m.path == p)) {
            return Err(Errno::Busy);
        }
        self.check_writable(p)?;
        let entry = self.owned(p, entry)?;
        let (vol, vp) = self.volume_of(p);
        self.copy_up_parents(&vol, &vp, p)?;
        self.store(&vol, &vp, &entry)
    }

    /// A new entry belongs to the container's user and group, or to the group of a set-group-ID
    /// parent directory (whose subdirectories inherit the bit), as Linux creates files. An entry
    /// that replaces another keeps what the caller gives it.
    fn owned(&mut self, p: &str, entry: &Entry) -> FsResult<Entry> {
        let mut entry = entry.clone();
        if self.lstat(p)?.is_some() {
            return Ok(entry);
        }
        entry.uid = self.c.uid;
        entry.gid = self.c.gid;
        if let Some(parent) = self.lstat(path::parent(p))?.filter(|d| d.is_dir() && d.mode & 0o2000 != 0) {
            entry.gid = parent.gid;
            if entry.is_dir() {
                entry.mode |= 0o2000;
            }
        }
        Ok(entry)
    }

    /// Stores file bytes, within the volume's capacity and the per-run cap. When they do not
    /// fit, keeps the prefix that does (as a short write would) and reports ENOSPC.
    pub fn write_file(&mut self, p: &str, mut entry: Entry) -> FsResult<()> {
        self.check_writable(p)?;
        let old_len = match self.lstat(p)? {
            Some(e) if e.kind == EntryKind::File => e.data.len() as u64,
            _ => 0,
        };
        let mut room = (store_limit().saturating_sub(self.stored)).saturating_add(old_len);
        if let Place::Mount(m, _) = self.place(p) {
            if let Some(cap) = m.capacity_bytes {
                let vol = m.volume.clone();
                let used = self.backing.used_bytes(&vol).map_err(|_| Errno::Io)?;
                room = room.min(cap.saturating_sub(used.saturating_sub(old_len)));
            }
        }
        let full = (entry.data.len() as u64) > room;
        if full {
            entry.data.truncate(room as usize);
        }
        self.stored += (entry.data.len() as u64).saturating_sub(old_len);
        self.put(p, &entry)?;
        if full {
            Err(Errno::NoSpc)
        } else {
            Ok(())
        }
    }

    /// Bytes a write to `p` may still add (for sinks that report ENOSPC as they fill).
    pub fn room_for(&mut self, p: &str) -> u64 {
        let mut room = store_limit().saturating_sub(self.stored);
        if let Place::Mount(m, _) = self.place(p) {
            if let Some(cap) = m.capacity_bytes {
                let vol = m.volume.clone();
                let used = self.backing.used_bytes(&vol).unwrap_or(cap);
                room = room.min(cap.saturating_sub(used));
            }
        }
        room
    }

    /// Removes one entry; an image entry is hidden by a whiteout in the layer.
    pub fn remove(&mut self, p: &str) -> FsResult<()> {
        if p == "/" || self.c.mounts.iter().any(|m| m.path == p) {
            return Err(Errno::Busy);
        }
        self.check_writable(p)?;
        let (vol, vp) = self.volume_of(p);
        let in_image = matches!(self.place(p), Place::Root) && self.image.files.contains_key(p);
        if in_image {
            self.copy_up_parents(&vol, &vp, p)?;
            self.store(&vol, &vp, &Entry::whiteout(self.now))
        } else {
            self.unstore(&vol, &vp)
        }
    }

    /// Makes a directory at `p` that shows none of the image's old children (an opaque dir).
    pub fn mkdir_entry(&mut self, p: &str, entry: &Entry) -> FsResult<()> {
        let was_whiteout = matches!(self.place(p), Place::Root)
            && matches!(self.backing.get(&self.c.layer, p), Ok(Some(e)) if e.kind == EntryKind::Whiteout);
        self.put(p, entry)?;
        if was_whiteout {
            let lower: Vec<String> =
                self.image.files.keys().filter(|k| path::parent(k) == p && k.as_str() != p).cloned().collect();
            let layer = self.c.layer.clone();
            for k in lower {
                self.store(&layer, &k, &Entry::whiteout(self.now))?;
            }
        }
        Ok(())
    }

    fn volume_of(&self, p: &str) -> (String, String) {
        match self.place(p) {
            Place::Mount(m, vp) => (m.volume.clone(), vp),
            _ => (self.c.layer.clone(), p.to_string()),
        }
    }

    /// Stores missing parent directories in the volume (overlayfs' copy-up, or a subPath's dirs).
    fn copy_up_parents(&mut self, vol: &str, vp: &str, p: &str) -> FsResult<()> {
        let mut missing = Vec::new();
        let (mut vdir, mut cdir) = (path::parent(vp).to_string(), path::parent(p).to_string());
        while vdir != "/" {
            if self.backing.get(vol, &vdir).map_err(|_| Errno::Io)?.is_some() {
                break;
            }
            missing.push((vdir.clone(), cdir.clone()));
            vdir = path::parent(&vdir).to_string();
            cdir = path::parent(&cdir).to_string();
        }
        for (v, c) in missing.into_iter().rev() {
            let e = match self.image.files.get(&c) {
                Some(e) if e.is_dir() => e.clone(),
                _ => Entry::dir(0o755, self.now),
            };
            self.store(vol, &v, &e)?;
        }
        Ok(())
    }

    /// Capacity and use of a volume, for `df`.
    pub fn usage(&mut self, volume: &str) -> u64 {
        self.backing.used_bytes(volume).unwrap_or(0)
    }
}
