//! Controllers, run to a fixed point after every change, inside the command's transaction.
//!
//! Each controller is level-triggered, as in kube-runtime: it watches changes, maps each to the keys
//! it must reconcile (its informer's event handlers), and reconciles one key at a time toward the
//! desired state. Work is proportional to what changed: a command that changes nothing reconciles
//! nothing. Queues run in a fixed priority (garbage collection, volumes, scheduling, kubelet, then
//! workload controllers), so the cluster settles bottom-up the way a real one does in a few
//! hundred milliseconds, and the order of everything, events included, is deterministic.

mod attach;
mod autoscaler;
mod cronjob;
mod daemonset;
mod daemonset_history;
mod deployment;
mod disruption;
mod endpoints;
mod gc;
mod job;
pub mod kubelet;
mod namespace;
mod node_lifecycle;
mod quota;
mod replicaset;
mod requeue;
pub mod role_aggregation;
mod scheduler;
mod service_lb;
pub mod serviceaccount;
pub mod snapshot;
pub mod statefulset;
mod volume;
mod workload;

pub use attach::drivers::{csi_driver, csi_node, for_profile as csi_drivers_for_profile};
pub use volume::ephemeral::claim_name as ephemeral_claim_name;
pub use volume::{admit_resize, volume_id};

use std::collections::VecDeque;

use foldhash::HashSet;

use crate::clock::Instant;
use crate::cluster::{Change, Cluster, Key};
use crate::{Error, Result};

/// One controller of the controller manager.
pub trait Controller {
    /// Adds to `queue` the keys this change makes worth reconciling.
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()>;

    /// Moves the object named by `key` one or more steps toward its desired state.
    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()>;

    /// Adds keys to reconcile at the start of every command's controller pass.
    fn start(&mut self, _cluster: &mut Cluster, _queue: &mut Vec<Key>) -> Result<()> {
        Ok(())
    }

    /// Adds the keys whose state depends on time, when the clock has passed a wake-up time.
    fn resync(&mut self, _cluster: &mut Cluster, _queue: &mut Vec<Key>) -> Result<()> {
        Ok(())
    }

    /// Writes back what the controller kept in memory during a pass, once the pass has converged.
    fn finish(&mut self, _cluster: &mut Cluster) -> Result<()> {
        Ok(())
    }
}

/// Upper bound on reconciles in one pass: a bug guard, not a size cap. A set scaled by N pods
/// takes about ten reconciles per pod (a million for 100,000 replicas), so the bound leaves room
/// for millions of pods, yet a bug that makes two controllers fight still ends with an error
/// (after minutes) instead of hanging.
const MAX_RECONCILES: usize = 100_000_000;

#[derive(Default)]
struct Queue {
    keys: VecDeque<Key>,
    pending: HashSet<Key>,
}

impl Queue {
    fn push(&mut self, key: Key) {
        if self.pending.insert(key.clone()) {
            self.keys.push_back(key);
        }
    }

    fn pop(&mut self) -> Option<Key> {
        let key = self.keys.pop_front()?;
        self.pending.remove(&key);
        Some(key)
    }
}

/// Distinct instants one command catches up at most; past it the rest of the backlog waits for
/// the next command (a cluster of very chatty probes catches up over several commands).
const MAX_INSTANTS: usize = 200_000;

/// The controller manager of one pass: controllers in priority order, one queue each.
struct Manager {
    controllers: Vec<Box<dyn Controller>>,
    queues: Vec<Queue>,
    /// The kind whose timers wake each controller (a pod's wake the kubelet), if any.
    timer_kinds: Vec<Option<&'static str>>,
}

impl Manager {
    fn new() -> Manager {
        let list: Vec<(Option<&'static str>, Box<dyn Controller>)> = vec![
            (None, Box::<gc::GarbageCollector>::default()),
            (Some("Namespace"), Box::new(namespace::NamespaceController)),
            (None, Box::new(serviceaccount::ServiceAccountsController)),
            (None, Box::new(serviceaccount::TokensController)),
            (None, Box::new(volume::ephemeral::EphemeralController)),
            (None, Box::<volume::VolumeController>::default()),
            (None, Box::<snapshot::SnapshotController>::default()),
            (None, Box::<node_lifecycle::NodeLifecycle>::default()),
            (None, Box::<scheduler::Scheduler>::default()),
            (Some("PersistentVolume"), Box::<attach::AttachDetach>::default()),
            (Some("Pod"), Box::<kubelet::Kubelet>::default()),
            (Some("ReplicaSet"), Box::<replicaset::ReplicaSetController>::default()),
            (Some("ReplicationController"), Box::new(replicaset::ReplicaSetController::replication())),
            (Some("Deployment"), Box::<deployment::DeploymentController>::default()),
            (Some("Job"), Box::<job::JobController>::default()),
            (Some("CronJob"), Box::<cronjob::CronJobController>::default()),
            (Some("DaemonSet"), Box::<daemonset::DaemonSetController>::default()),
            (None, Box::<autoscaler::AutoscalerController>::default()),
            (Some("StatefulSet"), Box::<statefulset::StatefulSetController>::default()),
            (None, Box::new(endpoints::EndpointsController)),
            (None, Box::<service_lb::ServiceLbController>::default()),
            (None, Box::new(disruption::DisruptionController)),
            (None, Box::new(quota::QuotaController)),
            (None, Box::new(role_aggregation::RoleAggregation)),
        ];
        let (timer_kinds, controllers): (Vec<_>, Vec<_>) = list.into_iter().unzip();
        let queues = controllers.iter().map(|_| Queue::default()).collect();
        Manager { controllers, queues, timer_kinds }
    }

    /// Queues a key whose timer is due with the controller that set it.
    fn wake(&mut self, key: Key) {
        if let Some(i) = self.timer_kinds.iter().position(|k| *k == Some(key.kind)) {
            self.queues[i].push(key);
        }
    }
}

/// Brings everything time-driven up to the command's time before the command acts: each instant
/// at which a timer is due, in order, with the clock set to it and the controllers converged
/// there, so what happened in between happened in the order it would have.
pub fn catch_up(cluster: &mut Cluster) -> Result<()> {
    let until = cluster.target().saturating_mul(1000);
    let mut m = Manager::new();
    for _ in 0..MAX_INSTANTS {
        let Some((at, keys)) = cluster.take_due_timers(until)? else {
            // Events whose hour ran out while nothing else happened go too.
            cluster.expire_events(until)?;
            break;
        };
        // What expired before this instant is gone when its controllers look (an aggregated
        // event that expired starts a new one).
        cluster.expire_events(at)?;
        cluster.set_instant(Some(at));
        keys.into_iter().for_each(|k| m.wake(k));
        run(&mut m, cluster)?;
    }
    cluster.set_instant(None);
    Ok(())
}

/// What a waiting command does when nothing is due before its deadline.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Idle {
    /// Wait out the deadline anyway (the time a user would have spent waiting).
    WaitOut,
    /// Stop waiting: nothing time could bring is left.
    GiveUp,
}

/// Lets cluster time pass, for a command that waits (`delete`, `wait`, `rollout status`), to the
/// next due timer (at least a second on, at most `deadline`, in seconds), and converges there.
/// Returns false, without moving the clock, when there is nothing more to wait for.
pub fn pass_time(cluster: &mut Cluster, deadline: Instant, idle: Idle) -> Result<bool> {
    let now = cluster.clock.now();
    if now >= deadline {
        return Ok(false);
    }
    let step_to = match cluster.next_timer()? {
        Some(at) => (at + 999).div_euclid(1000).max(now + 1).min(deadline),
        None if idle == Idle::WaitOut => deadline,
        None => return Ok(false),
    };
    cluster.advance_clock(step_to - now)?;
    catch_up(cluster)?;
    converge(cluster)?;
    Ok(true)
}

/// Runs every controller until no change is left unprocessed and no key waits.
pub fn converge(cluster: &mut Cluster) -> Result<()> {
    let mut m = Manager::new();
    let mut scratch = Vec::new();
    let due = cluster.time_work_due();
    for (c, q) in m.controllers.iter_mut().zip(m.queues.iter_mut()) {
        c.start(cluster, &mut scratch)?;
        if due {
            c.resync(cluster, &mut scratch)?;
        }
        scratch.drain(..).for_each(|k| q.push(k));
    }
    run(&mut m, cluster)
}

/// Feeds changes to the controllers' watches and reconciles queued keys until both run dry.
fn run(m: &mut Manager, cluster: &mut Cluster) -> Result<()> {
    let Manager { controllers, queues, .. } = m;
    let mut progress = crate::progress::Progress::new(cluster.revision());
    let result = reconcile_all(controllers, queues, cluster, &mut progress);
    progress.finish();
    result?;
    controllers.iter_mut().try_for_each(|c| c.finish(cluster))
}

/// Reconciles between two looks at the progress line (and the clock).
const PROGRESS_EVERY: usize = 256;

fn reconcile_all(
    controllers: &mut [Box<dyn Controller>],
    queues: &mut [Queue],
    cluster: &mut Cluster,
    progress: &mut crate::progress::Progress,
) -> Result<()> {
    let mut scratch = Vec::new();
    for step in 0..MAX_RECONCILES {
        if step % PROGRESS_EVERY == PROGRESS_EVERY - 1 {
            progress.tick(cluster.revision());
        }
        while let Some(change) = cluster.next_change() {
            for (c, q) in controllers.iter_mut().zip(queues.iter_mut()) {
                c.watch(&change, cluster, &mut scratch)?;
                scratch.drain(..).for_each(|k| q.push(k));
            }
        }
        let Some(i) = queues.iter().position(|q| !q.keys.is_empty()) else {
            return Ok(());
        };
        if let Some(key) = queues[i].pop() {
            // A controller whose API call is refused gives up on this key for now, as a real one
            // logs and retries later; only internal failures end the command.
            if let Err(e @ Error::Internal(_)) = controllers[i].reconcile(&key, cluster) {
                return Err(e);
            }
        }
    }
    Err(Error::Internal(anyhow::anyhow!("controllers did not converge after {MAX_RECONCILES} steps")))
}
