//! The work-queue back-off of the workload controllers, for an object whose sync failed (a pod
//! creation the API server refused): client-go's rate-limited queue retries the key after a base
//! delay, doubling per consecutive failure up to a maximum, and forgets the failures once a sync
//! succeeds. The retries run in cluster time, from a timer on the object, so a refused pod's
//! `FailedCreate` event repeats at that pace (`(x8 over 1s)` a second later with the default
//! controller limiter, one more every 1000 s in the end).
//!
//! The ReplicaSet, ReplicationController, DaemonSet and StatefulSet controllers use
//! `DefaultTypedControllerRateLimiter` (5 ms to 1000 s; its overall 10 qps bucket never binds
//! here); the Job controller its own API back-off (1 s to 60 s, `DefaultJobApiBackOff`), apart
//! from its back-off after failed pods.

use serde::{Deserialize, Serialize};

use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster};
use crate::Result;

/// One controller's `ItemExponentialFailureRateLimiter`, and the runtime row (beside the
/// object's uid) that holds an object's failures across commands.
pub struct RateLimiter {
    row: &'static str,
    base_ms: i64,
    max_ms: i64,
}

/// `ItemExponentialFailureRateLimiter(5ms, 1000s)`, the default controller limiter's.
const fn default_limiter(row: &'static str) -> RateLimiter {
    RateLimiter { row, base_ms: 5, max_ms: 1_000_000 }
}

pub const STATEFULSETS: RateLimiter = default_limiter("statefulset/requeue");
pub const REPLICASETS: RateLimiter = default_limiter("replicaset/requeue");
pub const REPLICATIONCONTROLLERS: RateLimiter = default_limiter("replicationcontroller/requeue");
pub const DAEMONSETS: RateLimiter = default_limiter("daemonset/requeue");
/// The Job controller's queue: `DefaultJobApiBackOff` (1 s) to `MaxJobApiBackOff` (1 min).
pub const JOBS: RateLimiter = RateLimiter { row: "job/requeue", base_ms: 1_000, max_ms: 60_000 };

/// Consecutive failed syncs and when the queue hands the object out again (ms).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Backoff {
    failures: u32,
    next: i64,
}

impl RateLimiter {
    /// The delay before the retry that follows `failures` earlier consecutive failures.
    fn delay(&self, failures: u32) -> i64 {
        1_i64
            .checked_shl(failures)
            .and_then(|f| f.checked_mul(self.base_ms))
            .map_or(self.max_ms, |d| d.min(self.max_ms))
    }

    fn load(&self, cluster: &Cluster, uid: &str) -> Result<Option<Backoff>> {
        Ok(cluster.runtime(uid, self.row)?.and_then(|t| serde_json::from_str(&t).ok()))
    }

    /// Records how the sync of the object (uid `uid`) ended and returns when it is retried (ms),
    /// if it failed: a failure requeues it after its back-off (an earlier retry already due
    /// stays), a success forgets the failures. The caller sets the object's timer no later
    /// than the retry.
    pub fn after_sync(&self, cluster: &mut Cluster, uid: &str, failed: bool) -> Result<Option<i64>> {
        let old = self.load(cluster, uid)?;
        if !failed {
            if old.is_some() {
                cluster.set_runtime(uid, self.row, None)?;
            }
            return Ok(None);
        }
        let now = cluster.now_ms();
        let mut b = old.unwrap_or_default();
        let at = now.saturating_add(self.delay(b.failures));
        b.failures = b.failures.saturating_add(1);
        b.next = if b.next > now { b.next.min(at) } else { at };
        let text = serde_json::to_string(&b).map_err(|e| crate::Error::Internal(e.into()))?;
        cluster.set_runtime(uid, self.row, Some(&text))?;
        Ok(Some(b.next))
    }

    /// Drops the back-off of an object that is gone (the queue forgets its key).
    pub fn forget(&self, cluster: &mut Cluster, uid: &str) -> Result<()> {
        cluster.set_runtime(uid, self.row, None)
    }

    /// A watched change that deletes an object of `kind`: its back-off goes with it.
    pub fn forget_deleted(&self, cluster: &mut Cluster, change: &Change, kind: &str) -> Result<()> {
        match &change.old {
            Some(old) if change.object.is_none() && change.key.kind == kind => self.forget(cluster, old.uid()),
            _ => Ok(()),
        }
    }

    /// Whether the object waits for a retry that is not due yet.
    pub fn backing_off(&self, cluster: &Cluster, uid: &str) -> Result<bool> {
        let now = cluster.now_ms();
        Ok(self.load(cluster, uid)?.is_some_and(|b| b.next > now))
    }
}

/// The earlier of two wake-up times (ms), either of which may be absent.
pub fn earliest(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_delay_doubles_from_five_milliseconds_to_a_thousand_seconds() {
        let l = &REPLICASETS;
        let delays: Vec<i64> = (0..4).map(|f| l.delay(f)).collect();
        assert_eq!(delays, [5, 10, 20, 40]);
        assert_eq!(l.delay(17), 655_360);
        assert_eq!(l.delay(18), 1_000_000);
        assert_eq!(l.delay(200), 1_000_000);
    }

    #[test]
    fn the_job_api_delay_doubles_from_one_second_to_a_minute() {
        let delays: Vec<i64> = (0..8).map(|f| JOBS.delay(f)).collect();
        assert_eq!(delays, [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    }

    #[test]
    fn earliest_keeps_the_sooner_time() {
        assert_eq!(earliest(Some(5), Some(3)), Some(3));
        assert_eq!(earliest(None, Some(3)), Some(3));
        assert_eq!(earliest(Some(5), None), Some(5));
        assert_eq!(earliest(None, None), None);
    }
}
