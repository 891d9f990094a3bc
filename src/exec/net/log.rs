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
    /// Milliseconds within `time` (lines a process wrote between two seconds).
    pub millis: u32,
    pub text: String,
}

/// Appends lines each stamped with its own time in milliseconds (`<secs>.<ms> <line>`).
pub fn append_log_lines(backing: &mut dyn Backing, volume: &str, lines: &[(i64, String)]) {
    let Some(last) = lines.last().map(|l| l.0) else { return };
    let mut data = match backing.get(volume, FILE) {
        Ok(Some(e)) => e.data,
        _ => Vec::new(),
    };
    for (t, l) in lines {
        data.extend_from_slice(format!("{}.{:03} {l}\n", t.div_euclid(1000), t.rem_euclid(1000)).as_bytes());
    }
    store(backing, volume, data, last.div_euclid(1000));
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
    store(backing, volume, data, time);
}

/// Writes the log back, dropping its oldest lines past [`MAX_LOG_BYTES`].
fn store(backing: &mut dyn Backing, volume: &str, mut data: Vec<u8>, time: i64) {
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
            let (secs, ms) = t.split_once('.').unwrap_or((t, "0"));
            LogLine { time: secs.parse().unwrap_or(0), millis: ms.parse().unwrap_or(0), text: text.to_string() }
        })
        .collect()
}
