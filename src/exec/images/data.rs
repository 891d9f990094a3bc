//! The files a database keeps in its container's volumes: read and written through the
//! container's own view (so they land in the mounted PV, or in the writable layer when nothing
//! is mounted), as JSON documents kstate defines (the real formats are binary).

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::exec::backing::Entry;
use crate::exec::errno::Errno;
use crate::exec::interp::Shell;
use crate::exec::path;

/// A JSON document at `p`, or `None` when it is missing or unreadable.
pub fn load<T: DeserializeOwned>(sh: &mut Shell, p: &str) -> Option<T> {
    let bytes = sh.fs.read("/", p).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Writes `value` as JSON at `p`, creating missing directories.
pub fn save<T: Serialize>(sh: &mut Shell, p: &str, value: &T) -> Result<(), Errno> {
    let bytes = serde_json::to_vec(value).map_err(|_| Errno::Io)?;
    write(sh, p, bytes)
}

/// Writes raw bytes at `p`, creating missing directories.
pub fn write(sh: &mut Shell, p: &str, bytes: Vec<u8>) -> Result<(), Errno> {
    mkdir_p(sh, path::parent(p))?;
    let now = sh.fs.now;
    let canon = sh.fs.resolve("/", p, true)?;
    sh.fs.write_file(&canon, Entry::file(0o640, now, bytes))
}

pub fn read_text(sh: &mut Shell, p: &str) -> Option<String> {
    sh.fs.read("/", p).ok().map(|b| String::from_utf8_lossy(&b).into_owned())
}

pub fn exists(sh: &mut Shell, p: &str) -> bool {
    sh.fs.stat("/", p).is_ok()
}

pub fn is_dir(sh: &mut Shell, p: &str) -> bool {
    sh.fs.is_dir("/", p)
}

/// Creates `p` and its missing parents (mode 0750, as database servers make theirs).
pub fn mkdir_p(sh: &mut Shell, p: &str) -> Result<(), Errno> {
    if p == "/" || is_dir(sh, p) {
        return Ok(());
    }
    mkdir_p(sh, path::parent(p))?;
    let canon = sh.fs.resolve("/", p, true)?;
    let now = sh.fs.now;
    sh.fs.mkdir_entry(&canon, &Entry::dir(0o750, now))
}

/// Removes `p` and everything below it.
pub fn remove_tree(sh: &mut Shell, p: &str) -> Result<(), Errno> {
    let canon = sh.fs.resolve("/", p, false)?;
    if sh.fs.is_dir("/", &canon) {
        for child in sh.fs.children(&canon)? {
            remove_tree(sh, &format!("{canon}/{child}"))?;
        }
    }
    sh.fs.remove(&canon)
}

/// Names in directory `p` (sorted), empty when it is missing.
pub fn list(sh: &mut Shell, p: &str) -> Vec<String> {
    match sh.fs.resolve("/", p, true) {
        Ok(canon) => sh.fs.children(&canon).unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}
