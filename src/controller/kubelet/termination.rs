//! The termination message: the kubelet mounts a fresh, empty, world-writable file at the
//! container's `terminationMessagePath` (`/dev/termination-log`) for each run; what the process
//! wrote there becomes `lastState.terminated.message` (at most 4096 bytes), or, with
//! `terminationMessagePolicy: FallbackToLogsOnError`, the end of its log when it failed and wrote
//! nothing.

use serde_json::Value;

use crate::api::ObjectExt;
use crate::cluster::Cluster;
use crate::exec::{Backing, Entry, Mount};
use crate::Result;

const FILE: &str = "/termination-log";
const MAX_MESSAGE: usize = 4096;
const FALLBACK_LINES: usize = 80;
const FALLBACK_BYTES: usize = 2048;

fn volume(pod: &Value, container: &str) -> String {
    format!("termination/{}/{container}", pod.uid())
}

/// The file mount the runtime gives the container.
pub fn mount(pod: &Value, container: &Value) -> Mount {
    let path = match container.str_at("terminationMessagePath") {
        "" => "/dev/termination-log",
        p => p,
    };
    Mount {
        path: path.to_string(),
        volume: volume(pod, container.str_at("name")),
        read_only: false,
        capacity_bytes: Some(MAX_MESSAGE as u64 * 4),
        sub_path: FILE.to_string(),
        ..Mount::default()
    }
}

/// A new run of the container starts with an empty file.
pub fn reset(cluster: &mut Cluster, pod: &Value, container: &str) -> Result<()> {
    let id = volume(pod, container);
    let now = cluster.clock.now();
    let mut files = cluster.files();
    Backing::put(&mut files, &id, "/", &Entry::dir(0o755, now))?;
    Backing::put(&mut files, &id, FILE, &Entry::file(0o666, now, Vec::new()))?;
    Ok(())
}

/// The message of a run that ended with `code`: the file's text, or the log's end.
pub fn message(cluster: &mut Cluster, pod: &Value, spec: &Value, code: i32) -> Result<Option<String>> {
    let id = volume(pod, spec.str_at("name"));
    let written = cluster.files().get(&id, FILE)?.map(|e| e.data).unwrap_or_default();
    let mut text = String::from_utf8_lossy(&written[..written.len().min(MAX_MESSAGE)]).into_owned();
    if text.is_empty() && code != 0 && spec.str_at("terminationMessagePolicy") == "FallbackToLogsOnError" {
        let log = format!("log/{}/{}", pod.uid(), spec.str_at("name"));
        let lines = crate::exec::read_log(&mut cluster.files(), &log);
        let tail: Vec<String> = lines.iter().rev().take(FALLBACK_LINES).rev().map(|l| l.text.clone()).collect();
        let joined = tail.join("\n");
        let start = joined.len().saturating_sub(FALLBACK_BYTES);
        let start = (start..=joined.len()).find(|i| joined.is_char_boundary(*i)).unwrap_or(joined.len());
        text = joined[start..].to_string();
    }
    Ok((!text.is_empty()).then_some(text))
}
