//! A container's log (what `kstate logs` shows beyond the image's startup lines): one file per
//! container in the store, volume `log/<pod-uid>/<container>`, one `<unix-seconds> <line>` per
//! line. The oldest lines go when it outgrows [`MAX_LOG_BYTES`], as the kubelet rotates logs.

use crate::exec::backing::{Backing, Entry};

/// Bytes a container's stored log keeps.
pub const MAX_LOG_BYTES: usize = 1 << 20;
const FILE: &str = "/log";

/// One logged line, without its newline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub time: i64,
    pub text: String,
}

/// Appends lines stamped with `time`; a store error loses the lines, never the command.
pub fn append_log(backing: &mut dyn Backing, volume: &str, time: i64, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    let mut data = match backing.get(volume, FILE) {
        Ok(Some(e)) => e.data,
        _ => Vec::new(),
    };
    for l in lines {
        data.extend_from_slice(format!("{time} {l}\n").as_bytes());
    }
    if data.len() > MAX_LOG_BYTES {
        let cut = data.len() - MAX_LOG_BYTES;
        let next = data[cut..].iter().position(|b| *b == b'\n').map_or(data.len(), |i| cut + i + 1);
        data.drain(..next);
    }
    if backing.get(volume, "/").ok().flatten().is_none() {
        let _ = backing.put(volume, "/", &Entry::dir(0o755, time));
    }
    let _ = backing.put(volume, FILE, &Entry::file(0o640, time, data));
}

/// The stored lines, oldest first.
pub fn read_log(backing: &mut dyn Backing, volume: &str) -> Vec<LogLine> {
    let data = match backing.get(volume, FILE) {
        Ok(Some(e)) => e.data,
        _ => return Vec::new(),
    };
    String::from_utf8_lossy(&data)
        .lines()
        .map(|l| {
            let (t, text) = l.split_once(' ').unwrap_or((l, ""));
            LogLine { time: t.parse().unwrap_or(0), text: text.to_string() }
        })
        .collect()
}
