//! `fsGroup` on writable volumes (emptyDir, disk claims): the kubelet's SetVolumeOwnership gives
//! every entry the group, `g+rw` (`g+r` on a read-only volume), and directories `g+x` plus the
//! set-group-ID bit, so files created later inherit the group.

use crate::exec::{Backing, EntryKind};
use crate::Result;

/// Most entries one pass changes; a bigger volume is left partly unchanged.
const MAX_ENTRIES: usize = 100_000;

/// Applies `gid` to volume `id`. The walk is skipped when the root already has the group and the
/// set-group-ID bit (what `fsGroupChangePolicy: OnRootMismatch` checks): the view is rebuilt at
/// every command, and after the first walk only files brought in with another group (none a
/// container can make: new entries inherit the group) would differ.
pub fn apply_fs_group(files: &mut dyn Backing, id: &str, gid: u32, read_only: bool) -> Result<()> {
    let Some(root) = files.get(id, "/")? else { return Ok(()) };
    if root.gid == gid && root.mode & 0o2000 != 0 {
        return Ok(());
    }
    let mask = if read_only { 0o440 } else { 0o660 };
    let mut todo = vec!["/".to_string()];
    let mut budget = MAX_ENTRIES;
    while let Some(path) = todo.pop() {
        let Some(mut e) = files.get(id, &path)? else { continue };
        e.gid = gid;
        match e.kind {
            EntryKind::Dir => {
                e.mode |= mask | 0o2110;
                for name in files.children(id, &path)? {
                    todo.push(if path == "/" { format!("/{name}") } else { format!("{path}/{name}") });
                }
            }
            EntryKind::File => e.mode |= mask,
            // A symlink's own mode means nothing (lchown only); whiteouts never live in volumes.
            EntryKind::Symlink | EntryKind::Whiteout => {}
        }
        files.put(id, &path, &e)?;
        budget -= 1;
        if budget == 0 {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::{Entry, MemBacking};

    #[test]
    fn every_entry_gets_the_group_and_directories_get_setgid() {
        let mut b = MemBacking::new();
        b.put("v", "/", &Entry::dir(0o777, 0)).unwrap();
        b.put("v", "/lost+found", &Entry::dir(0o700, 0)).unwrap();
        b.put("v", "/lost+found/f", &Entry::file(0o600, 0, b"x".to_vec())).unwrap();
        b.put("v", "/link", &Entry::symlink("lost+found", 0)).unwrap();
        apply_fs_group(&mut b, "v", 2000, false).unwrap();
        let got = |p: &str| b.entries.get(&("v".to_string(), p.to_string())).map(|e| (e.mode, e.gid));
        assert_eq!(got("/"), Some((0o2777, 2000)));
        assert_eq!(got("/lost+found"), Some((0o2770, 2000)));
        assert_eq!(got("/lost+found/f"), Some((0o660, 2000)));
        assert_eq!(got("/link"), Some((0o777, 2000)));
    }

    #[test]
    fn a_read_only_volume_gets_group_read_only_and_a_matching_root_is_left_alone() {
        let mut b = MemBacking::new();
        b.put("v", "/", &Entry::dir(0o755, 0)).unwrap();
        b.put("v", "/f", &Entry::file(0o600, 0, Vec::new())).unwrap();
        apply_fs_group(&mut b, "v", 7, true).unwrap();
        assert_eq!(b.get("v", "/f").unwrap().map(|e| (e.mode, e.gid)), Some((0o640, 7)));
        b.put("v", "/f", &Entry::file(0o600, 0, Vec::new())).unwrap();
        apply_fs_group(&mut b, "v", 7, true).unwrap();
        assert_eq!(b.get("v", "/f").unwrap().map(|e| (e.mode, e.gid)), Some((0o600, 0)));
    }
}
