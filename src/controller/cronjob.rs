//! The CronJob controller (`pkg/controller/cronjob`, v1.32), in cluster time: at each scheduled
//! minute that `kstate advance` (or a later command) passes, a Job named
//! `<cronjob>-<minutes since the epoch>` is created from the job template, as concurrencyPolicy
//! and startingDeadlineSeconds allow; finished jobs leave `status.active` and the oldest beyond
//! the history limits are deleted. The CronJob's timer wakes it at its next scheduled time.

use serde_json::{json, Value};

use super::job::is_finished;
use super::Controller;
use crate::api::cron::Schedule;
use crate::api::kinds::{CRONJOB, JOB};
use crate::api::object::{controller_ref_to, set_annotation, set_at};
use crate::api::ObjectExt;
use crate::clock::{format_rfc3339, Instant};
use crate::cluster::{Change, Cluster, EventSource, Key, Propagation};
use crate::Result;

const SOURCE: EventSource<'static> = EventSource::component("cronjob-controller");
const SCHEDULED: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

#[derive(Default)]
pub struct CronJobController;

impl Controller for CronJobController {
    fn watch(&mut self, change: &Change, _cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match change.key.kind {
            "CronJob" if change.object.is_some() => queue.push(change.key.clone()),
            "Job" => {
                for job in change.object.iter().chain(change.old.iter()) {
                    if let Some(owner) = job.controller_ref().filter(|o| o.str_at("kind") == "CronJob") {
                        queue.push(Key::new(&CRONJOB, job.namespace(), owner.str_at("name")));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some(cj) = cluster.get(key)?.filter(|c| !c.is_deleting()) else {
            return cluster.set_timer(key, None);
        };
        let now = cluster.clock.now();
        let mut jobs = cluster.list_by_ref(&JOB, cj.uid())?;
        jobs.retain(|j| j.controller_uid() == cj.uid());
        let mut status = cj.get("status").cloned().filter(Value::is_object).unwrap_or_else(|| json!({}));
        track_jobs(cluster, &cj, &jobs, &mut status)?;
        cleanup(cluster, &cj, &jobs)?;
        let Ok(schedule) = Schedule::parse(cj.str_at("spec.schedule")) else {
            cluster.set_timer(key, None)?;
            return write_status(cluster, &cj, status);
        };
        if cj.at("spec.suspend").and_then(Value::as_bool) != Some(true) {
            if let Some(at) = due_time(&schedule, &cj, &status, now) {
                start_job(cluster, &cj, &jobs, &mut status, at, now)?;
            }
        }
        let next = schedule.next_after(now);
        cluster.set_timer(key, next.map(|t| t.saturating_mul(1000)))?;
        write_status(cluster, &cj, status)
    }
}

fn write_status(cluster: &mut Cluster, cj: &Value, status: Value) -> Result<()> {
    if cj.get("status") == Some(&status) {
        return Ok(());
    }
    let mut updated = cj.clone();
    updated["status"] = status;
    cluster.update_status(updated)?;
    Ok(())
}

/// The latest scheduled time after the last one (or the CronJob's creation) that has come.
fn due_time(schedule: &Schedule, cj: &Value, status: &Value, now: Instant) -> Option<Instant> {
    let since = status.time_at("lastScheduleTime").or_else(|| cj.created())?;
    let mut t = schedule.next_after(since)?;
    if t > now {
        return None;
    }
    while let Some(n) = schedule.next_after(t).filter(|n| *n <= now) {
        t = n;
    }
    Some(t)
}

/// `status.active` keeps the unfinished jobs; finished ones are noted and update
/// `lastSuccessfulTime`.
fn track_jobs(cluster: &mut Cluster, cj: &Value, jobs: &[Value], status: &mut Value) -> Result<()> {
    let mut active = Vec::new();
    for job in jobs {
        let listed = status.array_at("active").iter().any(|r| r.str_at("uid") == job.uid());
        if !is_finished(job) {
            active.push(reference(job));
            continue;
        }
        if listed {
            let condition = if job
                .array_at("status.conditions")
                .iter()
                .any(|c| c.str_at("type") == "Complete" && c.str_at("status") == "True")
            {
                "Complete"
            } else {
                "Failed"
            };
            let msg = format!("Saw completed job: {}, condition: {condition}", job.name());
            cluster.normal(cj, SOURCE, "SawCompletedJob", &msg)?;
        }
        if let Some(done) = job.time_at("status.completionTime") {
            let later = status.time_at("lastSuccessfulTime").is_none_or(|t| t < done);
            if later {
                status["lastSuccessfulTime"] = json!(format_rfc3339(done));
            }
        }
    }
    if let Some(m) = status.as_object_mut() {
        if active.is_empty() {
            m.remove("active");
        } else {
            m.insert("active".into(), Value::Array(active));
        }
    }
    Ok(())
}

fn reference(job: &Value) -> Value {
    json!({"apiVersion": "batch/v1", "kind": "Job", "name": job.name(), "namespace": job.namespace(),
           "resourceVersion": job.str_at("metadata.resourceVersion"), "uid": job.uid()})
}

/// Finished jobs beyond `successfulJobsHistoryLimit` / `failedJobsHistoryLimit`, oldest first.
fn cleanup(cluster: &mut Cluster, cj: &Value, jobs: &[Value]) -> Result<()> {
    let complete = |j: &Value| {
        j.array_at("status.conditions").iter().any(|c| c.str_at("type") == "Complete" && c.str_at("status") == "True")
    };
    for (limit_field, want_complete) in
        [("spec.successfulJobsHistoryLimit", true), ("spec.failedJobsHistoryLimit", false)]
    {
        let Some(limit) = cj.i64_at(limit_field) else { continue };
        let mut done: Vec<&Value> =
            jobs.iter().filter(|j| is_finished(j) && complete(j) == want_complete && !j.is_deleting()).collect();
        done.sort_by(|a, b| {
            a.str_at("status.startTime").cmp(b.str_at("status.startTime")).then(a.name().cmp(b.name()))
        });
        let excess = done.len().saturating_sub(usize::try_from(limit.max(0)).unwrap_or(0));
        for job in done.into_iter().take(excess) {
            cluster.delete(&Key::new(&JOB, job.namespace(), job.name()), Propagation::Background, None)?;
            cluster.normal(cj, SOURCE, "SuccessfulDelete", &format!("Deleted job {}", job.name()))?;
        }
    }
    Ok(())
}

/// Starts the job of the scheduled time `at`, as the deadline and concurrency policy allow.
fn start_job(
    cluster: &mut Cluster,
    cj: &Value,
    jobs: &[Value],
    status: &mut Value,
    at: Instant,
    now: Instant,
) -> Result<()> {
    if let Some(deadline) = cj.i64_at("spec.startingDeadlineSeconds") {
        if at.saturating_add(deadline) < now {
            let msg = format!("Missed scheduled time to start a job: {}", format_rfc3339(at));
            cluster.warning(cj, SOURCE, "MissSchedule", &msg)?;
            status["lastScheduleTime"] = json!(format_rfc3339(at));
            return Ok(());
        }
    }
    let running: Vec<&Value> = jobs.iter().filter(|j| !is_finished(j)).collect();
    match cj.str_at("spec.concurrencyPolicy") {
        "Forbid" if !running.is_empty() => {
            let msg = "Not starting job because prior execution is running and concurrency policy is Forbid";
            return cluster.normal(cj, SOURCE, "JobAlreadyActive", msg);
        }
        "Replace" => {
            for job in running {
                cluster.delete(&Key::new(&JOB, job.namespace(), job.name()), Propagation::Background, None)?;
                cluster.normal(cj, SOURCE, "SuccessfulDelete", &format!("Deleted job {}", job.name()))?;
            }
        }
        _ => {}
    }
    let name = format!("{}-{}", cj.name(), at.div_euclid(60));
    let template = cj.at("spec.jobTemplate").cloned().unwrap_or_else(|| json!({}));
    let mut job = json!({"apiVersion": "batch/v1", "kind": "Job",
        "metadata": template.get("metadata").cloned().unwrap_or_else(|| json!({})),
        "spec": template.get("spec").cloned().unwrap_or_else(|| json!({}))});
    if let Some(m) = job.get_mut("metadata").and_then(Value::as_object_mut) {
        m.remove("creationTimestamp");
    }
    set_at(&mut job, "metadata.name", json!(name));
    set_at(&mut job, "metadata.ownerReferences", json!([controller_ref_to(cj)]));
    set_annotation(&mut job, SCHEDULED, &format_rfc3339(at));
    match cluster.create(job, cj.namespace()) {
        Ok(created) => {
            cluster.normal(cj, SOURCE, "SuccessfulCreate", &format!("Created job {name}"))?;
            let mut active = status.array_at("active").to_vec();
            active.push(reference(&created));
            status["active"] = Value::Array(active);
            status["lastScheduleTime"] = json!(format_rfc3339(at));
        }
        Err(crate::Error::AlreadyExists { .. }) => {
            status["lastScheduleTime"] = json!(format_rfc3339(at));
        }
        Err(e @ crate::Error::Internal(_)) => return Err(e),
        Err(e) => {
            cluster.warning(cj, SOURCE, "FailedCreate", &format!("Error creating job: {}", e.server_message()))?
        }
    }
    Ok(())
}
