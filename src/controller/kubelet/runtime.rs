//! What the kubelet and the container runtime know of a container beyond its status: its process,
//! its restart back-off and its probe workers. Kept beside the pod (one row per container) so it
//! survives between kstate commands.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cluster::Cluster;
use crate::exec::process::Process;
use crate::Result;

/// One container's runtime state; times in milliseconds since the epoch.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Runtime {
    /// The process while the container runs.
    pub process: Option<Process>,
    /// When the process next wants to run; `None` while it waits to be stopped.
    pub wake: Option<i64>,
    /// The process ended with this code at this time; the kubelet notices at that time.
    pub exit: Option<(i32, i64)>,
    /// The container restarts at this time, when its back-off ends.
    pub restart_at: Option<i64>,
    /// The next back-off delay in seconds: 0 before the first restart, then 10 doubling to 300.
    pub backoff: i64,
    /// Probe workers by probe field (`livenessProbe`, ...).
    pub probes: BTreeMap<String, ProbeWorker>,
    /// Sent SIGTERM and ignoring it: killed at this time.
    pub kill_at: Option<i64>,
    /// The environment the container started with (the kubelet builds it once per start).
    #[serde(default)]
    pub env: Option<Vec<(String, String)>>,
    /// The pending `exit` is the OOM killer's (reason `OOMKilled` rather than `Error`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub oom_killed: bool,
    /// In a back-off: when the kubelet's first retried sync comes (its pod worker retries a sync
    /// that ended in the back-off error after 10 s), and the `CrashLoopBackOff` message it shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_sync: Option<(i64, String)>,
    /// The kubelet's image back-off for the container's image, after a pull failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_backoff: Option<PullBackOff>,
    /// The image (as the spec spells it) the container last started from, or tried to: the
    /// kubelet's container hash covers the name and the image only, so a running container whose
    /// spec names another image is restarted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

/// The image back-off of one pod and image (the kubelet's `imageBackOff` entry, keyed by pod UID
/// and image): the last failed pull and the window after it in which no pull is tried.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PullBackOff {
    pub image: String,
    /// When the last pull failed (ms).
    pub last: i64,
    /// The window, in seconds: 10 doubling to 300.
    pub secs: i64,
}

/// One probe worker: when it probes next and the run of equal results so far.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProbeWorker {
    pub next: i64,
    pub successes: u32,
    pub failures: u32,
}

impl Runtime {
    /// The earliest time something is due for this container.
    pub fn next_due(&self) -> Option<i64> {
        let process = self.process.as_ref().and(self.wake);
        let probes = self.process.as_ref().and_then(|_| self.probes.values().map(|w| w.next).min());
        let backoff = self.backoff_sync.as_ref().map(|(t, _)| *t);
        [process, self.exit.map(|e| e.1), self.restart_at, probes, self.kill_at, backoff].into_iter().flatten().min()
    }
}

pub fn load(cluster: &Cluster, pod_uid: &str, container: &str) -> Result<Runtime> {
    let Some(text) = cluster.runtime(pod_uid, container)? else { return Ok(Runtime::default()) };
    // A state written by another kstate version starts over rather than failing the command.
    Ok(serde_json::from_str(&text).unwrap_or_default())
}

pub fn save(cluster: &mut Cluster, pod_uid: &str, container: &str, rt: &Runtime) -> Result<()> {
    let text = serde_json::to_string(rt).map_err(|e| crate::Error::Internal(e.into()))?;
    cluster.set_runtime(pod_uid, container, Some(&text))
}
