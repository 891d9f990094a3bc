//! The kubelet's atomic writer layout for configMap, secret, downwardAPI and projected volumes:
//! the files live in a timestamped directory (`..2026_11_27_09_00_00.1234567890`), `..data`
//! points at it, and each top-level name is a symlink through `..data`. A changed payload gets a
//! new directory and `..data` moves to it, so a reader sees the old or the new set, never a mix;
//! an unchanged payload is left alone (the directory keeps its name and time).

use std::collections::BTreeMap;

use super::payload::{File, Payload};
use crate::exec::{Backing, Entry, EntryKind};
use crate::Result;

/// The symlink naming the current timestamped directory.
const DATA: &str = "..data";

/// Most entries removed from an old timestamped directory (payloads are small; this bounds a
/// corrupted store).
const MAX_ENTRIES: usize = 10_000;

/// Who owns the volume's files, and how its root looks.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub root_mode: u32,
    /// The pod's `fsGroup`: every entry gets this group, files `g+r`, directories `g+rx` and
    /// set-group-ID, as the kubelet's SetVolumeOwnership does for these read-only volumes.
    pub fs_group: Option<u32>,
}

impl Layout {
    fn entry(&self, mut e: Entry) -> Entry {
        if let Some(gid) = self.fs_group {
            e.gid = gid;
            match e.kind {
                EntryKind::Dir => e.mode |= 0o2550,
                EntryKind::File => e.mode |= 0o440,
                _ => {}
            }
        }
        e
    }
}

/// Makes volume `id` show `payload`, writing only when it differs from what is there.
pub fn publish(files: &mut dyn Backing, id: &str, payload: &Payload, layout: Layout, now: i64) -> Result<()> {
    let root = layout.entry(Entry::dir(layout.root_mode, now));
    let old_root = files.get(id, "/")?;
    // The root is written first and only goes with the whole volume: without it there is no
    // `..data` to look up (a pod's first sync writes each of its volumes so).
    let current = if old_root.is_some() { current_dir(files, id)? } else { None };
    if let Some(dir) = &current {
        let same_root = old_root.as_ref().is_some_and(|r| r.mode == root.mode && r.gid == root.gid);
        if same_root && stored_files(files, id, dir)? == wanted(payload, layout) {
            return Ok(());
        }
    }
    // A volume never written holds nothing (its root comes first): no stale names to list and
    // remove, no links to check.
    let fresh = current.is_none() && old_root.is_none();
    files.put(id, "/", &root)?;
    let dir = timestamp_dir(id, payload, now);
    files.put(id, &format!("/{dir}"), &layout.entry(Entry::dir(0o755, now)))?;
    for (path, file) in payload {
        let mut parent = format!("/{dir}");
        for part in path.split('/').collect::<Vec<_>>().split_last().map_or(&[][..], |(_, dirs)| dirs) {
            parent = format!("{parent}/{part}");
            files.put(id, &parent, &layout.entry(Entry::dir(0o755, now)))?;
        }
        files.put(id, &format!("/{dir}/{path}"), &layout.entry(Entry::file(file.mode, now, file.data.clone())))?;
    }
    files.put(id, &format!("/{DATA}"), &layout.entry(Entry::symlink(&dir, now)))?;
    let mut top: Vec<&str> = payload.keys().filter_map(|p| p.split('/').next()).collect();
    // Paths sharing a first name are next to each other in the payload's order.
    top.dedup();
    let stale = if fresh { Vec::new() } else { files.children(id, "/")? };
    for name in stale {
        if !name.starts_with("..") && !top.contains(&name.as_str()) {
            files.remove(id, &format!("/{name}"))?;
        }
    }
    for name in &top {
        // The writer only adds the links that are missing; the others already point through `..data`.
        let link = layout.entry(Entry::symlink(&format!("{DATA}/{name}"), now));
        let path = format!("/{name}");
        if fresh || files.get(id, &path)?.is_none_or(|e| (e.kind, &e.data, e.gid) != (link.kind, &link.data, link.gid))
        {
            files.put(id, &path, &link)?;
        }
    }
    if let Some(old) = current.filter(|old| *old != dir) {
        remove_tree(files, id, &format!("/{old}"), &mut MAX_ENTRIES.clone())?;
    }
    Ok(())
}

/// The path inside the volume that a `subPath` names, with the writer's symlinks followed (the
/// kubelet bind-mounts the resolved file or directory).
pub fn resolve_sub_path(files: &mut dyn Backing, id: &str, sub_path: &str) -> Result<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut todo: Vec<String> = sub_path.split('/').rev().map(str::to_string).collect();
    let mut links = 0;
    while let Some(part) = todo.pop() {
        if part.is_empty() || part == "." {
            continue;
        }
        let path = format!("/{}", parts.iter().chain([&part]).cloned().collect::<Vec<_>>().join("/"));
        match files.get(id, &path)? {
            // Relative links only: the writer makes no others, and they stay inside the volume.
            Some(e) if e.kind == EntryKind::Symlink && links < 8 && !e.data.starts_with(b"/") => {
                links += 1;
                let target = String::from_utf8_lossy(&e.data).into_owned();
                todo.extend(target.split('/').rev().map(str::to_string));
            }
            _ => parts.push(part),
        }
    }
    Ok(parts.join("/"))
}

/// The directory `..data` points at, if the volume was written before.
fn current_dir(files: &mut dyn Backing, id: &str) -> Result<Option<String>> {
    Ok(files
        .get(id, &format!("/{DATA}"))?
        .filter(|e| e.kind == EntryKind::Symlink)
        .map(|e| String::from_utf8_lossy(&e.data).into_owned()))
}

/// (mode, gid, bytes) per file path, as the payload should be stored.
type Stored = BTreeMap<String, (u32, u32, Vec<u8>)>;

fn wanted(payload: &Payload, layout: Layout) -> Stored {
    payload
        .iter()
        .map(|(p, File { mode, data })| {
            let e = layout.entry(Entry::file(*mode, 0, Vec::new()));
            (p.clone(), (e.mode, e.gid, data.clone()))
        })
        .collect()
}

/// The files under the timestamped directory `dir`, keyed by their path below it.
fn stored_files(files: &mut dyn Backing, id: &str, dir: &str) -> Result<Stored> {
    let mut out = Stored::new();
    let mut todo = vec![String::new()];
    while let Some(rel) = todo.pop() {
        let base = if rel.is_empty() { format!("/{dir}") } else { format!("/{dir}/{rel}") };
        for name in files.children(id, &base)? {
            let path = if rel.is_empty() { name } else { format!("{rel}/{name}") };
            match files.get(id, &format!("/{dir}/{path}"))? {
                Some(e) if e.kind == EntryKind::Dir => todo.push(path),
                Some(e) => {
                    out.insert(path, (e.mode, e.gid, e.data));
                }
                None => {}
            }
            if out.len() + todo.len() > MAX_ENTRIES {
                return Ok(out);
            }
        }
    }
    Ok(out)
}

fn remove_tree(files: &mut dyn Backing, id: &str, path: &str, budget: &mut usize) -> Result<()> {
    for name in files.children(id, path)? {
        if *budget == 0 {
            return Ok(());
        }
        *budget -= 1;
        remove_tree(files, id, &format!("{path}/{name}"), budget)?;
    }
    files.remove(id, path)?;
    Ok(())
}

/// `..2026_11_27_09_00_00.<digits>`: the time of the write and a number fixed by the volume and
/// the content (Go's MkdirTemp picks a random one; a hash keeps runs reproducible).
fn timestamp_dir(id: &str, payload: &Payload, now: i64) -> String {
    let (y, mo, d, h, mi, s) = crate::clock::split(now);
    let mut hash: u32 = 0x811c_9dc5;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash = (hash ^ u32::from(*b)).wrapping_mul(0x0100_0193);
        }
    };
    feed(id.as_bytes());
    feed(&now.to_le_bytes());
    for (path, file) in payload {
        feed(path.as_bytes());
        feed(&file.mode.to_le_bytes());
        feed(&file.data);
    }
    format!("..{y:04}_{mo:02}_{d:02}_{h:02}_{mi:02}_{s:02}.{hash}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::MemBacking;

    const NOW: i64 = 1_795_770_000; // 2026-11-27T09:00:00Z

    fn payload(files: &[(&str, u32, &str)]) -> Payload {
        files.iter().map(|(p, m, d)| (p.to_string(), File { mode: *m, data: d.as_bytes().to_vec() })).collect()
    }

    fn listing(b: &MemBacking) -> Vec<String> {
        b.entries
            .iter()
            .map(|((_, p), e)| match e.kind {
                EntryKind::Symlink => format!("{p} -> {}", String::from_utf8_lossy(&e.data)),
                EntryKind::Dir => format!("{}/ {:o} g{}", p.trim_end_matches('/'), e.mode, e.gid),
                _ => format!("{p} {:o} g{} {}", e.mode, e.gid, String::from_utf8_lossy(&e.data)),
            })
            .collect()
    }

    const PLAIN: Layout = Layout { root_mode: 0o777, fs_group: None };

    #[test]
    fn files_live_in_a_timestamped_directory_behind_symlinks() {
        let mut b = MemBacking::new();
        publish(&mut b, "v", &payload(&[("game.properties", 0o644, "lives=3"), ("conf/ui", 0o400, "x")]), PLAIN, NOW)
            .unwrap();
        let dir = current_dir(&mut b, "v").unwrap().unwrap();
        assert!(dir.starts_with("..2026_11_27_09_00_00."), "{dir}");
        let want = [
            "/ 777 g0".to_string(),
            format!("/{dir}/ 755 g0"),
            format!("/{dir}/conf/ 755 g0"),
            format!("/{dir}/conf/ui 400 g0 x"),
            format!("/{dir}/game.properties 644 g0 lives=3"),
            format!("/..data -> {dir}"),
            "/conf -> ..data/conf".to_string(),
            "/game.properties -> ..data/game.properties".to_string(),
        ];
        let mut want = want.to_vec();
        want.sort();
        assert_eq!(listing(&b), want);
        assert_eq!(resolve_sub_path(&mut b, "v", "conf/ui").unwrap(), format!("{dir}/conf/ui"));
    }

    #[test]
    fn an_unchanged_payload_is_not_rewritten_and_a_changed_one_replaces_the_old() {
        let mut b = MemBacking::new();
        publish(&mut b, "v", &payload(&[("a", 0o644, "1"), ("b", 0o644, "2")]), PLAIN, NOW).unwrap();
        let first = current_dir(&mut b, "v").unwrap().unwrap();
        publish(&mut b, "v", &payload(&[("a", 0o644, "1"), ("b", 0o644, "2")]), PLAIN, NOW + 60).unwrap();
        assert_eq!(current_dir(&mut b, "v").unwrap().unwrap(), first);
        publish(&mut b, "v", &payload(&[("a", 0o644, "one")]), PLAIN, NOW + 60).unwrap();
        let second = current_dir(&mut b, "v").unwrap().unwrap();
        assert!(second.starts_with("..2026_11_27_09_01_00."), "{second}");
        let want = vec![
            "/ 777 g0".to_string(),
            format!("/{second}/ 755 g0"),
            format!("/{second}/a 644 g0 one"),
            format!("/..data -> {second}"),
            "/a -> ..data/a".to_string(),
        ];
        let mut sorted = want.clone();
        sorted.sort();
        assert_eq!(listing(&b), sorted);
    }

    #[test]
    fn an_fs_group_owns_everything_with_group_read_and_setgid_directories() {
        let mut b = MemBacking::new();
        let layout = Layout { root_mode: 0o1777, fs_group: Some(2000) };
        publish(&mut b, "v", &payload(&[("token", 0o600, "t")]), layout, NOW).unwrap();
        let dir = current_dir(&mut b, "v").unwrap().unwrap();
        assert_eq!(b.get("v", "/").unwrap().map(|e| (e.mode, e.gid)), Some((0o3777, 2000)));
        assert_eq!(b.get("v", &format!("/{dir}")).unwrap().map(|e| (e.mode, e.gid)), Some((0o2755, 2000)));
        assert_eq!(b.get("v", &format!("/{dir}/token")).unwrap().map(|e| (e.mode, e.gid)), Some((0o640, 2000)));
        assert_eq!(b.get("v", "/token").unwrap().map(|e| e.gid), Some(2000));
    }
}
