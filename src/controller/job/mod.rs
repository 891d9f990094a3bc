//! The Job controller (`pkg/controller/job`, v1.32) with the TTL-after-finished controller:
//! pods run to completion through the kubelet; the Job creates up to `parallelism` of them
//! until `completions` succeed (or, without completions, until one succeeds and the rest end),
//! retries failures with the exponential back-off up to `backoffLimit`, ends at
//! `activeDeadlineSeconds`, applies the pod failure policy (FailJob, Ignore and Count rules),
//! supports the Indexed completion mode and suspension, and is deleted
//! `ttlSecondsAfterFinished` after it finished. Everything time-driven runs on the Job's timer.

mod failure_policy;
mod status;

use serde_json::{json, Value};

use super::requeue::{self, JOBS};
use super::workload::{is_active, is_ready, pod_from_template, SlowStart};
use super::Controller;
use crate::api::kinds::{JOB, POD};
use crate::api::object::{set_annotation, set_at, set_label};
use crate::api::ObjectExt;
use crate::clock::{format_rfc3339, Instant};
use crate::cluster::{Change, Cluster, EventSource, Key, Propagation};
use crate::Result;
use failure_policy::Verdict;

pub use status::is_finished;

const SOURCE: EventSource<'static> = EventSource::component("job-controller");
const INDEX: &str = "batch.kubernetes.io/job-completion-index";
/// With `backoffLimitPerIndex`: how many counted failures of its index came before the pod, and
/// (when some did) how many the pod failure policy ignored.
const INDEX_FAILURES: &str = "batch.kubernetes.io/job-index-failure-count";
const INDEX_IGNORED: &str = "batch.kubernetes.io/job-index-ignored-failure-count";
/// The first retry waits 10 s, each later one twice as long, at most 6 minutes.
const BACKOFF_BASE: i64 = 10;
const BACKOFF_MAX: i64 = 360;

#[derive(Default)]
pub struct JobController;

impl Controller for JobController {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match change.key.kind {
            "Job" if change.object.is_some() => {
                // A status write of a job waiting out its API back-off: the real controller
                // batches such syncs a second later, when its first retry is due anyway.
                let waiting = match status_write_of(change) {
                    Some(job) => JOBS.backing_off(cluster, job.uid())?,
                    None => false,
                };
                if !waiting {
                    queue.push(change.key.clone());
                }
            }
            // A deleted job's work-queue back-off goes with it (the queue forgets the key).
            "Job" => JOBS.forget_deleted(cluster, change, JOB.kind)?,
            "ServiceAccount" => queue.extend(super::workload::sets_waiting_for_account(cluster, change, &JOB)?),
            "Pod" => {
                for pod in change.object.iter().chain(change.old.iter()) {
                    if let Some(owner) = pod.controller_ref().filter(|o| o.str_at("kind") == "Job") {
                        queue.push(Key::new(&JOB, pod.namespace(), owner.str_at("name")));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some(job) = cluster.get(key)?.filter(|j| !j.is_deleting()) else {
            return cluster.set_timer(key, None);
        };
        let now = cluster.clock.now();
        if is_finished(&job) {
            return expire(cluster, key, &job, now);
        }
        let mut pods = cluster.list_by_ref(&POD, job.uid())?;
        pods.retain(|p| p.controller_uid() == job.uid());
        let mut sync = Sync { job: &job, now, timer: None, refused: false };
        let status = sync.run(cluster, &pods)?;
        // A refused creation fails the sync: the queue retries the job after its API back-off
        // (apart from the back-off after failed pods, which the job's own timer keeps).
        let retry = JOBS.after_sync(cluster, job.uid(), sync.refused)?;
        cluster.set_timer(key, requeue::earliest(sync.timer.map(|t| t.saturating_mul(1000)), retry))?;
        if job.get("status") != Some(&status) {
            let mut updated = job.clone();
            updated["status"] = status;
            cluster.update_status(updated)?;
        }
        Ok(())
    }
}

/// The job a write changed without changing its spec (the same generation): a status write.
fn status_write_of(change: &Change) -> Option<&Value> {
    let (job, old) = (change.object.as_deref()?, change.old.as_deref()?);
    (job.i64_at("metadata.generation") == old.i64_at("metadata.generation")).then_some(job)
}

/// The TTL-after-finished controller: a finished job goes `ttlSecondsAfterFinished` after it
/// finished.
fn expire(cluster: &mut Cluster, key: &Key, job: &Value, now: Instant) -> Result<()> {
    let Some(ttl) = job.i64_at("spec.ttlSecondsAfterFinished") else { return cluster.set_timer(key, None) };
    let finished = ["Complete", "Failed"]
        .iter()
        .filter_map(|t| status::condition(job, t))
        .filter_map(|c| c.time_at("lastTransitionTime"))
        .min()
        .unwrap_or(now);
    if now < finished.saturating_add(ttl) {
        return cluster.set_timer(key, Some(finished.saturating_add(ttl).saturating_mul(1000)));
    }
    cluster.set_timer(key, None)?;
    cluster.delete(key, Propagation::Foreground, None)?;
    Ok(())
}

struct Sync<'a> {
    job: &'a Value,
    now: Instant,
    /// When the job must be looked at again (a back-off or a deadline ends).
    timer: Option<Instant>,
    /// Whether the API server refused a pod this sync created.
    refused: bool,
}

impl Sync<'_> {
    fn wake(&mut self, at: Instant) {
        if at > self.now {
            self.timer = Some(self.timer.map_or(at, |t| t.min(at)));
        }
    }

    fn indexed(&self) -> bool {
        self.job.str_at("spec.completionMode") == "Indexed"
    }

    /// One sync; returns the new status.
    fn run(&mut self, cluster: &mut Cluster, pods: &[Value]) -> Result<Value> {
        let job = self.job;
        let mut status = job.get("status").cloned().filter(Value::is_object).unwrap_or_else(|| json!({}));
        let suspended = job.at("spec.suspend").and_then(Value::as_bool) == Some(true);
        if status.get("startTime").is_none() && !suspended {
            status["startTime"] = json!(format_rfc3339(self.now));
        }
        let active: Vec<&Value> = pods.iter().filter(|p| is_active(p)).collect();
        let terminating_pods: Vec<&Value> = pods.iter().filter(|p| p.is_deleting() && !finished(p)).collect();
        let terminating = terminating_pods.len();
        let succeeded: Vec<&Value> = pods.iter().filter(|p| p.str_at("status.phase") == "Succeeded").collect();
        let failed_pods = pods.iter().filter(|p| p.str_at("status.phase") == "Failed");
        let verdicts: Vec<(&Value, Verdict)> = failed_pods.map(|p| (p, failure_policy::judge(job, p))).collect();
        // Failures the pod failure policy ignores count neither as failed nor for the back-off.
        let failed: Vec<&Value> = verdicts.iter().filter(|(_, v)| *v != Verdict::Ignore).map(|(p, _)| *p).collect();
        let fail_job = verdicts.iter().find_map(|(_, v)| match v {
            Verdict::FailJob(message) => Some(message.as_str()),
            _ => None,
        });
        let done_indexes: Vec<i64> = succeeded.iter().filter_map(|p| index_of(p)).collect();
        let succeeded_n = if self.indexed() {
            i64::try_from(
                status::format_indexes(&done_indexes)
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(range_len)
                    .sum::<usize>(),
            )
            .unwrap_or(0)
        } else {
            i64::try_from(succeeded.len()).unwrap_or(0)
        };
        let failed_n = i64::try_from(failed.len()).unwrap_or(0);
        let completions = job.i64_at("spec.completions");
        let failed_indexes = self.failed_indexes(&status, &verdicts);
        let parallelism = job.i64_at("spec.parallelism").unwrap_or(1).max(0);

        // Why the job fails, if it does.
        let restarts: i64 = if job.str_at("spec.template.spec.restartPolicy") == "OnFailure" {
            active.iter().map(|p| restart_count(p)).sum()
        } else {
            0
        };
        let backoff_limit = job.i64_at("spec.backoffLimit").unwrap_or(6);
        let deadline = job.i64_at("spec.activeDeadlineSeconds").and_then(|d| {
            let start = status.str_at("startTime");
            // int64 in the API: `activeDeadlineSeconds: 9223372036854775807` means never.
            crate::clock::parse_rfc3339(start).map(|s| s.saturating_add(d))
        });
        // A FailJob rule wins over the back-off limit, as in syncJob.
        let failure = if status::in_status(&status, "FailureTarget").is_some() {
            None
        } else if let Some(message) = fail_job {
            Some((status::POD_FAILURE_POLICY, message))
        } else if failed_n + restarts > backoff_limit {
            Some(status::BACKOFF_LIMIT)
        } else if deadline.is_some_and(|d| self.now >= d) {
            Some(status::DEADLINE)
        } else {
            failed_indexes.as_deref().and_then(|f| self.index_failure(f, succeeded_n))
        };
        if let Some(f) = failure {
            status::add_condition(&mut status, "FailureTarget", f, self.now);
            cluster.warning(job, SOURCE, f.0, f.1)?;
        }
        if let Some(target) = status::in_status(&status, "FailureTarget").cloned() {
            for pod in &active {
                self.delete_pod(cluster, pod)?;
            }
            if active.is_empty() && terminating == 0 {
                let reason = (target.str_at("reason"), target.str_at("message"));
                status::add_condition(&mut status, "Failed", reason, self.now);
            }
            let counts = Counts { active: 0, terminating: terminating + active.len(), succeeded_n, failed_n };
            return Ok(self.counts(status, counts, &done_indexes, failed_indexes.as_deref(), pods));
        }
        if let Some(d) = deadline {
            self.wake(d);
        }

        let complete = match completions {
            Some(c) => succeeded_n >= c,
            None => succeeded_n > 0 && active.is_empty(),
        };
        if complete {
            status::add_condition(&mut status, "SuccessCriteriaMet", status::COMPLETIONS_REACHED, self.now);
            for pod in &active {
                self.delete_pod(cluster, pod)?;
            }
            if active.is_empty() && terminating == 0 {
                status::add_condition(&mut status, "Complete", status::COMPLETIONS_REACHED, self.now);
                status["completionTime"] = json!(format_rfc3339(self.now));
                cluster.normal(job, SOURCE, "Completed", "Job completed")?;
            }
            let counts = Counts { active: 0, terminating: terminating + active.len(), succeeded_n, failed_n };
            return Ok(self.counts(status, counts, &done_indexes, failed_indexes.as_deref(), pods));
        }

        let mut active_n = i64::try_from(active.len()).unwrap_or(0);
        if suspended {
            for pod in &active {
                self.delete_pod(cluster, pod)?;
            }
            active_n = 0;
        } else {
            let wanted = match completions {
                Some(c) => parallelism.min(c - succeeded_n),
                None if succeeded_n > 0 => 0,
                None => parallelism,
            };
            // `podReplacementPolicy: Failed` (the default with a pod failure policy): a terminating
            // pod is replaced once it has failed, not while it terminates (manageJob subtracts
            // the terminating pods, and their indexes stay taken).
            let waiting = match job.str_at("spec.podReplacementPolicy") {
                "Failed" => terminating_pods.as_slice(),
                _ => &[],
            };
            let missing = wanted - active_n - i64::try_from(waiting.len()).unwrap_or(0);
            if active_n > wanted {
                for pod in active.iter().rev().take(usize::try_from(active_n - wanted).unwrap_or(0)) {
                    self.delete_pod(cluster, pod)?;
                }
            } else if missing > 0 && self.backoff_over(&failed, &succeeded) {
                let taken: Vec<i64> = active
                    .iter()
                    .chain(waiting)
                    .filter_map(|p| index_of(p))
                    .chain(done_indexes.iter().copied())
                    .chain(failed_indexes.iter().flatten().copied())
                    .collect();
                let all_failed: Vec<&Value> = verdicts.iter().map(|(p, _)| *p).collect();
                let last_failed = if failed_indexes.is_some() { last_failed_by_index(&all_failed) } else { Vec::new() };
                let created = self.create_pods(cluster, missing, &taken, &last_failed)?;
                active_n += created;
            }
        }
        let counts = Counts { active: active_n, terminating, succeeded_n, failed_n };
        Ok(self.counts(status, counts, &done_indexes, failed_indexes.as_deref(), pods))
    }

    /// With `backoffLimitPerIndex` (Indexed Jobs): the failed indexes, those already in the
    /// status and those whose pod failed for the last allowed time or matched a FailIndex rule.
    fn failed_indexes(&self, status: &Value, verdicts: &[(&Value, Verdict)]) -> Option<Vec<i64>> {
        let limit = self.job.i64_at("spec.backoffLimitPerIndex").filter(|_| self.indexed())?;
        let completions = self.job.i64_at("spec.completions").unwrap_or(0);
        let mut indexes = status::parse_indexes(status.str_at("failedIndexes"), completions);
        for (pod, verdict) in verdicts {
            let Some(index) = index_of(pod).filter(|i| *i < completions) else { continue };
            let exhausted = *verdict != Verdict::Ignore && annotation_count(pod, INDEX_FAILURES) >= limit;
            if *verdict == Verdict::FailIndex || exhausted {
                indexes.push(index);
            }
        }
        indexes.sort_unstable();
        indexes.dedup();
        Some(indexes)
    }

    /// Whether the failed indexes fail the Job: more than `maxFailedIndexes`, or every index
    /// done with some failed.
    fn index_failure(&self, failed: &[i64], succeeded: i64) -> Option<(&'static str, &'static str)> {
        let failed_n = i64::try_from(failed.len()).unwrap_or(i64::MAX);
        let completions = self.job.i64_at("spec.completions").unwrap_or(0);
        if self.job.i64_at("spec.maxFailedIndexes").is_some_and(|max| failed_n > max) {
            Some(status::MAX_FAILED_INDEXES)
        } else if failed_n > 0 && failed_n + succeeded >= completions {
            Some(status::FAILED_INDEXES)
        } else {
            None
        }
    }

    /// When an index whose last pod failed may get its next one: 10 s after that failure,
    /// doubled for each earlier failure of the index (counted or ignored), at most 6 minutes.
    fn index_retry_at(last: &Value) -> Option<Instant> {
        let earlier = annotation_count(last, INDEX_FAILURES) + annotation_count(last, INDEX_IGNORED);
        finished_at(last).map(|t| t + backoff_delay(earlier))
    }

    /// Whether the back-off after the latest failure is over (waking up when it ends). It grows
    /// with the failures since the last success, as the controller's backoff record counts them.
    fn backoff_over(&mut self, failed: &[&Value], succeeded: &[&Value]) -> bool {
        let last_success = succeeded.iter().filter_map(|p| finished_at(p)).max();
        let since: Vec<Instant> =
            failed.iter().filter_map(|p| finished_at(p)).filter(|t| last_success.is_none_or(|s| *t > s)).collect();
        let Some(&last) = since.iter().max() else { return true };
        let delay = backoff_delay(i64::try_from(since.len()).unwrap_or(i64::MAX) - 1);
        if self.now >= last + delay {
            return true;
        }
        self.wake(last + delay);
        false
    }

    /// Creates up to `count` pods; an Indexed Job's take the first free indexes, except those
    /// still backing off after their last pod failed (`last_failed`, with backoffLimitPerIndex).
    fn create_pods(
        &mut self,
        cluster: &mut Cluster,
        count: i64,
        taken: &[i64],
        last_failed: &[(i64, &Value)],
    ) -> Result<i64> {
        let job = self.job;
        let template = job.at("spec.template").cloned().unwrap_or_else(|| json!({}));
        let completions = job.i64_at("spec.completions").unwrap_or(1);
        let per_index = job.at("spec.backoffLimitPerIndex").is_some();
        let mut free = (0..completions).filter(|i| !taken.contains(i));
        let mut created = 0;
        let mut batches = SlowStart::new(usize::try_from(count).unwrap_or(0));
        while batches.next() {
            let mut pod;
            if self.indexed() {
                let Some(index) = free.next() else { break };
                let last = last_failed.iter().find(|(i, _)| *i == index).map(|(_, p)| *p);
                if let Some(at) = last.and_then(Self::index_retry_at).filter(|at| *at > self.now) {
                    self.wake(at);
                    continue;
                }
                pod = pod_from_template(job, &template, &format!("{}-{index}-", job.name()));
                if per_index {
                    self.note_index_failures(&mut pod, last);
                }
                set_annotation(&mut pod, INDEX, &index.to_string());
                set_label(&mut pod, INDEX, &index.to_string());
                set_at(&mut pod, "spec.hostname", json!(format!("{}-{index}", job.name())));
                if !job.str_at("spec.template.spec.subdomain").is_empty() {
                    set_at(&mut pod, "spec.subdomain", json!(job.str_at("spec.template.spec.subdomain")));
                }
                add_index_env(&mut pod);
            } else {
                pod = pod_from_template(job, &template, &format!("{}-", job.name()));
            }
            match cluster.create(pod, job.namespace()) {
                Ok(p) => {
                    cluster.normal(job, SOURCE, "SuccessfulCreate", &format!("Created pod: {}", p.name()))?;
                    created += 1;
                }
                Err(e @ crate::Error::Internal(_)) => return Err(e),
                Err(e) => {
                    let msg = format!("Error creating: {}", e.server_message());
                    cluster.warning(job, SOURCE, "FailedCreate", &msg)?;
                    self.refused = true;
                    batches.fail();
                }
            }
        }
        Ok(created)
    }

    /// The failure counts a replacement pod carries on from the pod it replaces (`last`).
    fn note_index_failures(&self, pod: &mut Value, last: Option<&Value>) {
        let (mut failures, mut ignored) = (0, 0);
        if let Some(last) = last {
            failures = annotation_count(last, INDEX_FAILURES);
            ignored = annotation_count(last, INDEX_IGNORED);
            if failure_policy::judge(self.job, last) == Verdict::Ignore {
                ignored += 1;
            } else {
                failures += 1;
            }
        }
        set_annotation(pod, INDEX_FAILURES, &failures.to_string());
        if ignored > 0 {
            set_annotation(pod, INDEX_IGNORED, &ignored.to_string());
        }
    }

    fn delete_pod(&self, cluster: &mut Cluster, pod: &Value) -> Result<()> {
        if pod.is_deleting() {
            return Ok(());
        }
        cluster.delete(&Key::new(&POD, pod.namespace(), pod.name()), Propagation::Background, None)?;
        cluster.normal(self.job, SOURCE, "SuccessfulDelete", &format!("Deleted pod: {}", pod.name()))
    }

    fn counts(
        &self,
        mut status: Value,
        counts: Counts,
        indexes: &[i64],
        failed: Option<&[i64]>,
        pods: &[Value],
    ) -> Value {
        let Some(m) = status.as_object_mut() else { return status };
        let Counts { active, terminating, succeeded_n, failed_n } = counts;
        for (field, n) in [("active", active), ("succeeded", succeeded_n), ("failed", failed_n)] {
            if n > 0 {
                m.insert(field.into(), json!(n));
            } else {
                m.remove(field);
            }
        }
        let ready = pods.iter().filter(|p| is_active(p) && is_ready(p)).count();
        m.insert("ready".into(), json!(ready));
        m.insert("terminating".into(), json!(terminating));
        m.insert("uncountedTerminatedPods".into(), json!({}));
        if self.indexed() && !indexes.is_empty() {
            m.insert("completedIndexes".into(), json!(status::format_indexes(indexes)));
        }
        // With backoffLimitPerIndex the field is always written, "" while no index failed.
        if let Some(failed) = failed {
            m.insert("failedIndexes".into(), json!(status::format_indexes(failed)));
        }
        status
    }
}

/// The wait before a retry after `earlier` + 1 failures: 10 s, doubled for each earlier
/// failure, at most 6 minutes.
fn backoff_delay(earlier: i64) -> i64 {
    let n = u32::try_from(earlier.max(0)).unwrap_or(u32::MAX).min(16);
    BACKOFF_BASE.saturating_mul(1_i64 << n).min(BACKOFF_MAX)
}

/// The pod counts a Job's status shows.
struct Counts {
    active: i64,
    terminating: usize,
    succeeded_n: i64,
    failed_n: i64,
}

/// A non-negative count from a pod's annotation (0 when absent or not a number, as the
/// controller reads it).
fn annotation_count(pod: &Value, key: &str) -> i64 {
    pod.annotation(key)
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|n| (0..=i64::from(i32::MAX)).contains(n))
        .unwrap_or(0)
}

/// Per index, the failed pod a replacement carries on from: the one with the most failures
/// before it, the latest to finish among equals.
fn last_failed_by_index<'a>(failed: &[&'a Value]) -> Vec<(i64, &'a Value)> {
    let mut last: Vec<(i64, &Value)> = Vec::new();
    for pod in failed {
        let Some(index) = index_of(pod) else { continue };
        let rank =
            |p: &Value| (annotation_count(p, INDEX_FAILURES) + annotation_count(p, INDEX_IGNORED), finished_at(p));
        match last.iter_mut().find(|(i, _)| *i == index) {
            Some(entry) if rank(pod) >= rank(entry.1) => entry.1 = pod,
            Some(_) => {}
            None => last.push((index, pod)),
        }
    }
    last
}

fn finished(pod: &Value) -> bool {
    matches!(pod.str_at("status.phase"), "Succeeded" | "Failed")
}

/// When the pod's last container finished.
fn finished_at(pod: &Value) -> Option<Instant> {
    pod.array_at("status.containerStatuses").iter().filter_map(|c| c.time_at("state.terminated.finishedAt")).max()
}

fn restart_count(pod: &Value) -> i64 {
    pod.array_at("status.containerStatuses").iter().filter_map(|c| c.i64_at("restartCount")).sum()
}

fn index_of(pod: &Value) -> Option<i64> {
    pod.annotation(INDEX).and_then(|i| i.parse().ok())
}

fn range_len(part: &str) -> usize {
    match part.split_once('-') {
        Some((a, b)) => match (a.parse::<usize>(), b.parse::<usize>()) {
            (Ok(a), Ok(b)) if b >= a => b - a + 1,
            _ => 0,
        },
        None => 1,
    }
}

/// Indexed pods see their index as `JOB_COMPLETION_INDEX` (`addCompletionIndexEnvVariables`):
/// appended to the env of every init container and container that does not set it, from the
/// index label (v1.32's PodIndexLabel), so an init container can read it too.
fn add_index_env(pod: &mut Value) {
    let env = json!({"name": "JOB_COMPLETION_INDEX",
        "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": format!("metadata.labels['{INDEX}']")}}});
    for list in ["/spec/initContainers", "/spec/containers"] {
        let Some(containers) = pod.pointer_mut(list).and_then(Value::as_array_mut) else { continue };
        for c in containers {
            let mut vars = c.array_at("env").to_vec();
            if !vars.iter().any(|v| v.str_at("name") == "JOB_COMPLETION_INDEX") {
                vars.push(env.clone());
                c["env"] = Value::Array(vars);
            }
        }
    }
}
