//! The controller's work-queue back-off for a set whose sync failed (a creation the API server
//! refused): client-go's default controller rate limiter retries the key after 5 ms, doubling per
//! consecutive failure up to 1000 s, and forgets the failures once a sync succeeds. The retries
//! run in cluster time, from a timer on the set, so a refused pod's `FailedCreate` event repeats
//! at that pace (`(x8 over 1s)` a second later, one more every 1000 s in the end).

use serde::{Deserialize, Serialize};

use crate::api::kinds::STATEFULSET;
use crate::cluster::{Cluster, Key};
use crate::Result;

/// `ItemExponentialFailureRateLimiter(5ms, 1000s)`, in milliseconds.
const BASE_MS: i64 = 5;
const MAX_MS: i64 = 1_000_000;

/// The runtime row (beside the set's uid) that holds its back-off across commands.
const ROW: &str = "statefulset/requeue";

/// Consecutive failed syncs and when the queue hands the set out again (ms).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Backoff {
    failures: u32,
    next: i64,
}

/// The delay before the retry that follows `failures` earlier consecutive failures.
fn delay(failures: u32) -> i64 {
    1_i64.checked_shl(failures).and_then(|f| f.checked_mul(BASE_MS)).map_or(MAX_MS, |d| d.min(MAX_MS))
}

fn load(cluster: &Cluster, uid: &str) -> Result<Option<Backoff>> {
    Ok(cluster.runtime(uid, ROW)?.and_then(|t| serde_json::from_str(&t).ok()))
}

/// Records how the sync of set `key` (uid `uid`) ended: a failure requeues the set after its
/// back-off (an earlier retry already due stays), a success forgets the failures.
pub fn after_sync(cluster: &mut Cluster, key: &Key, uid: &str, failed: bool) -> Result<()> {
    let old = load(cluster, uid)?;
    if !failed {
        if old.is_some() {
            cluster.set_runtime(uid, ROW, None)?;
            cluster.set_timer(key, None)?;
        }
        return Ok(());
    }
    let now = cluster.now_ms();
    let mut b = old.unwrap_or_default();
    let at = now.saturating_add(delay(b.failures));
    b.failures = b.failures.saturating_add(1);
    b.next = if b.next > now { b.next.min(at) } else { at };
    let text = serde_json::to_string(&b).map_err(|e| crate::Error::Internal(e.into()))?;
    cluster.set_runtime(uid, ROW, Some(&text))?;
    debug_assert_eq!(key.kind, STATEFULSET.kind);
    cluster.set_timer(key, Some(b.next))
}

/// Drops the back-off of a set that is gone.
pub fn forget(cluster: &mut Cluster, uid: &str) -> Result<()> {
    cluster.set_runtime(uid, ROW, None)
}

/// Whether the set waits for a retry that is not due yet.
pub fn backing_off(cluster: &Cluster, uid: &str) -> Result<bool> {
    let now = cluster.now_ms();
    Ok(load(cluster, uid)?.is_some_and(|b| b.next > now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_from_five_milliseconds_to_a_thousand_seconds() {
        let delays: Vec<i64> = (0..4).map(delay).collect();
        assert_eq!(delays, [5, 10, 20, 40]);
        assert_eq!(delay(17), 655_360);
        assert_eq!(delay(18), MAX_MS);
        assert_eq!(delay(200), MAX_MS);
    }
}
