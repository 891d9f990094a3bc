//! Path resolution inside the container's tree: `..` stops at `/`, symlinks are followed within
//! the tree (an absolute target restarts at the container's root, never the host's).

use super::backing::{Entry, EntryKind};
use super::errno::{Errno, FsResult};
use super::fs::Fs;
use super::source::Source;
use super::special;
use std::collections::VecDeque;

/// Linux's limit on symlinks followed in one lookup.
pub const MAX_SYMLINKS: u32 = 40;

/// Longest path accepted, as Linux's PATH_MAX.
pub const MAX_PATH: usize = 4096;

impl Fs<'_> {
    /// The canonical path `user` names from `cwd`. Symlinks in parent components are always
    /// followed; the last one only when `follow`. A missing last component is fine (the caller
    /// may be about to create it); a missing or non-directory parent is not.
    pub fn resolve(&mut self, cwd: &str, user: &str, follow: bool) -> FsResult<String> {
        if user.is_empty() {
            return Err(Errno::Noent);
        }
        if user.len() > MAX_PATH {
            return Err(Errno::NameTooLong);
        }
        let start = if user.starts_with('/') { user.to_string() } else { format!("{cwd}/{user}") };
        let mut todo: VecDeque<String> = start.split('/').map(str::to_string).collect();
        let must_be_dir = user.ends_with('/') || user.ends_with("/.");
        // The canonical path so far (empty for the root), and where each of its components
        // begins, so that `..` drops the last one.
        let mut cur = String::new();
        let mut starts: Vec<usize> = Vec::new();
        let mut links = 0;
        while let Some(comp) = todo.pop_front() {
            match comp.as_str() {
                "" | "." => continue,
                ".." => {
                    if let Some(start) = starts.pop() {
                        cur.truncate(start);
                    }
                    continue;
                }
                _ => {}
            }
            let is_last = todo.iter().all(|c| c.is_empty() || c == ".");
            let parent_len = cur.len();
            cur.push('/');
            cur.push_str(&comp);
            self.looked_up = self.looked_up.saturating_add(cur.len() as u64);
            match self.lstat(&cur)? {
                None if is_last => {
                    starts.push(parent_len);
                    break;
                }
                None => return Err(Errno::Noent),
                Some(e) if e.kind == EntryKind::Symlink && (!is_last || follow || must_be_dir) => {
                    cur.truncate(parent_len);
                    links += 1;
                    if links > MAX_SYMLINKS {
                        return Err(Errno::Loop);
                    }
                    let target = String::from_utf8_lossy(&e.data).to_string();
                    if target.starts_with('/') {
                        cur.clear();
                        starts.clear();
                    }
                    for c in target.split('/').rev() {
                        todo.push_front(c.to_string());
                    }
                }
                Some(e) => {
                    if !is_last && !e.is_dir() {
                        return Err(Errno::NotDir);
                    }
                    starts.push(parent_len);
                }
            }
        }
        if cur.is_empty() {
            cur.push('/');
        }
        Ok(cur)
    }

    /// The existing entry `user` names, following a final symlink.
    pub fn stat(&mut self, cwd: &str, user: &str) -> FsResult<(String, Entry)> {
        self.existing(cwd, user, true)
    }

    /// The existing entry `user` names, not following a final symlink.
    pub fn lookup(&mut self, cwd: &str, user: &str) -> FsResult<(String, Entry)> {
        self.existing(cwd, user, false)
    }

    fn existing(&mut self, cwd: &str, user: &str, follow: bool) -> FsResult<(String, Entry)> {
        let p = self.resolve(cwd, user, follow)?;
        let e = self.lstat(&p)?.ok_or(Errno::Noent)?;
        if (user.ends_with('/') || user.ends_with("/.")) && !e.is_dir() {
            return Err(Errno::NotDir);
        }
        Ok((p, e))
    }

    /// A file's bytes (kernel files generated on the fly; an endless device whole).
    pub fn read(&mut self, cwd: &str, user: &str) -> FsResult<Vec<u8>> {
        self.open(cwd, user).map(Source::into_bytes)
    }

    /// A file opened for reading: its bytes, or an endless device's stream.
    pub fn open(&mut self, cwd: &str, user: &str) -> FsResult<Source> {
        let (p, e) = self.stat(cwd, user)?;
        if e.is_dir() {
            return Err(Errno::IsDir);
        }
        if matches!(self.place(&p), super::fs::Place::Kernel) {
            return Ok(match special::DeviceStream::open(&p, self.c.now) {
                Some(device) => Source::Device(device),
                None => Source::Bytes(special::read(&p, self.c)),
            });
        }
        Ok(Source::Bytes(e.data))
    }

    /// Whether `user` names an existing directory (following symlinks).
    pub fn is_dir(&mut self, cwd: &str, user: &str) -> bool {
        matches!(self.stat(cwd, user), Ok((_, e)) if e.is_dir())
    }
}
