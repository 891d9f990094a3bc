//! `describeDeployment`, `describeReplicaSet`, `describeJob` and `describeCronJob` of kubectl
//! v1.32's `describe.go`.

use serde_json::Value;

use super::common::{
    annotations_multiline, controlled_by, events, int_at, labels_multiline, rfc1123, string_map, Ctx, Writer,
};
use super::pod::int_or_string;
use super::statefulset::{pod_counts, pod_template, selector_string};
use crate::api::ObjectExt;
use crate::print::age::human_duration;

fn head(w: &mut Writer, obj: &Value) {
    w.line(0, &format!("Name:\t{}", obj.name()));
    w.line(0, &format!("Namespace:\t{}", obj.namespace()));
}

fn selector(obj: &Value, path: &str) -> String {
    obj.at(path).map(selector_string).unwrap_or_default()
}

/// `Type \tStatus\tReason` rows (the space after the type is kubectl's).
fn conditions(w: &mut Writer, obj: &Value) {
    let list = obj.array_at("status.conditions");
    if list.is_empty() {
        return;
    }
    w.line(0, "Conditions:\n  Type\tStatus\tReason");
    w.line(1, "----\t------\t------");
    for c in list {
        w.line(1, &format!("{} \t{}\t{}", c.str_at("type"), c.str_at("status"), c.str_at("reason")));
    }
}

/// `printReplicaSetsByLabels`.
fn sets_line(sets: &[&Value]) -> String {
    if sets.is_empty() {
        return "<none>".into();
    }
    let parts: Vec<String> = sets
        .iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                rs.name(),
                int_at(rs, "status.replicas"),
                rs.i64_at("spec.replicas").unwrap_or(1)
            )
        })
        .collect();
    parts.join(", ")
}

/// `related.owned` holds the deployment's ReplicaSets.
pub fn deployment(d: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    head(&mut w, d);
    w.line(0, &format!("CreationTimestamp:\t{}", rfc1123(d, "metadata.creationTimestamp")));
    labels_multiline(&mut w, "Labels", &d.labels());
    annotations_multiline(&mut w, "Annotations", &string_map(d, "metadata.annotations"));
    w.line(0, &format!("Selector:\t{}", selector(d, "spec.selector")));
    w.line(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable",
            d.i64_at("spec.replicas").unwrap_or(1),
            int_at(d, "status.updatedReplicas"),
            int_at(d, "status.replicas"),
            int_at(d, "status.availableReplicas"),
            int_at(d, "status.unavailableReplicas")
        ),
    );
    w.line(0, &format!("StrategyType:\t{}", d.str_at("spec.strategy.type")));
    w.line(0, &format!("MinReadySeconds:\t{}", int_at(d, "spec.minReadySeconds")));
    if let Some(ru) = d.at("spec.strategy.rollingUpdate").filter(|v| v.is_object()) {
        w.line(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge",
                int_or_string(ru.get("maxUnavailable")),
                int_or_string(ru.get("maxSurge"))
            ),
        );
    }
    pod_template(&mut w, d.at("spec.template"));
    conditions(&mut w, d);
    let template = d.at("spec.template");
    let mut owned: Vec<&Value> = ctx.related.owned.iter().filter(|rs| rs.controller_uid() == d.uid()).collect();
    // deploymentutil.FindNewReplicaSet sorts the list in place by creation time (then name), so
    // the old sets print oldest first and the oldest of several matching sets is the new one.
    owned.sort_by(|a, b| {
        let created = |rs: &Value| rs.str_at("metadata.creationTimestamp").to_string();
        created(a).cmp(&created(b)).then_with(|| a.name().cmp(b.name()))
    });
    let is_new = |rs: &Value| {
        let mut t = rs.at("spec.template").cloned().unwrap_or(Value::Null);
        crate::api::object::remove_at(&mut t, "metadata.labels.pod-template-hash");
        Some(&t) == template
    };
    let new = owned.iter().copied().find(|rs| is_new(rs));
    let old: Vec<&Value> = owned.iter().copied().filter(|rs| new.is_none_or(|n| n.uid() != rs.uid())).collect();
    w.line(0, &format!("OldReplicaSets:\t{}", sets_line(&old)));
    w.line(0, &format!("NewReplicaSet:\t{}", sets_line(&new.into_iter().collect::<Vec<_>>())));
    events(&mut w, ctx);
    w.finish()
}

/// `related.pods` holds the set's pods.
pub fn replicaset(rs: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    head(&mut w, rs);
    w.line(0, &format!("Selector:\t{}", selector(rs, "spec.selector")));
    labels_multiline(&mut w, "Labels", &rs.labels());
    annotations_multiline(&mut w, "Annotations", &string_map(rs, "metadata.annotations"));
    if let Some(owner) = controlled_by(rs) {
        w.line(0, &format!("Controlled By:\t{owner}"));
    }
    w.line(
        0,
        &format!(
            "Replicas:\t{} current / {} desired",
            int_at(rs, "status.replicas"),
            rs.i64_at("spec.replicas").unwrap_or(1)
        ),
    );
    let (r, wt, s, f) = pod_counts(rs, &ctx.related.pods);
    w.line(0, &format!("Pods Status:\t{r} Running / {wt} Waiting / {s} Succeeded / {f} Failed"));
    pod_template(&mut w, rs.at("spec.template"));
    conditions(&mut w, rs);
    events(&mut w, ctx);
    w.finish()
}

/// `describeReplicationController`: a ReplicaSet's layout with the selector map, no
/// `Controlled By`, and conditions without messages.
pub fn replication_controller(rc: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    head(&mut w, rc);
    let sel = rc.map_at("spec.selector");
    let sel = sel.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
    w.line(0, &format!("Selector:\t{}", if sel.is_empty() { "<none>" } else { &sel }));
    labels_multiline(&mut w, "Labels", &rc.labels());
    annotations_multiline(&mut w, "Annotations", &string_map(rc, "metadata.annotations"));
    w.line(
        0,
        &format!(
            "Replicas:\t{} current / {} desired",
            int_at(rc, "status.replicas"),
            rc.i64_at("spec.replicas").unwrap_or(1)
        ),
    );
    let (r, wt, s, f) = pod_counts(rc, &ctx.related.pods);
    w.line(0, &format!("Pods Status:\t{r} Running / {wt} Waiting / {s} Succeeded / {f} Failed"));
    pod_template(&mut w, rc.at("spec.template"));
    let conditions = rc.array_at("status.conditions");
    if !conditions.is_empty() {
        w.line(0, "Conditions:\n  Type\tStatus\tReason");
        w.line(1, "----\t------\t------");
        for c in conditions {
            w.line(1, &format!("{} \t{}\t{}", c.str_at("type"), c.str_at("status"), c.str_at("reason")));
        }
    }
    events(&mut w, ctx);
    w.finish()
}

pub fn job(job: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    head(&mut w, job);
    w.line(0, &format!("Selector:\t{}", selector(job, "spec.selector")));
    labels_multiline(&mut w, "Labels", &job.labels());
    annotations_multiline(&mut w, "Annotations", &string_map(job, "metadata.annotations"));
    if let Some(owner) = controlled_by(job) {
        w.line(0, &format!("Controlled By:\t{owner}"));
    }
    if let Some(p) = job.i64_at("spec.parallelism") {
        w.line(0, &format!("Parallelism:\t{p}"));
    }
    match job.i64_at("spec.completions") {
        Some(c) => w.line(0, &format!("Completions:\t{c}")),
        None => w.line(0, "Completions:\t<unset>"),
    }
    let mode = job.str_at("spec.completionMode");
    if !mode.is_empty() {
        w.line(0, &format!("Completion Mode:\t{mode}"));
    }
    if let Some(s) = job.at("spec.suspend").and_then(Value::as_bool) {
        w.line(0, &format!("Suspend:\t{s}"));
    }
    if let Some(b) = job.i64_at("spec.backoffLimit") {
        w.line(0, &format!("Backoff Limit:\t{b}"));
    }
    if let Some(t) = job.i64_at("spec.ttlSecondsAfterFinished") {
        w.line(0, &format!("TTL Seconds After Finished:\t{t}"));
    }
    let (start, end) = (job.time_at("status.startTime"), job.time_at("status.completionTime"));
    if start.is_some() {
        w.line(0, &format!("Start Time:\t{}", rfc1123(job, "status.startTime")));
    }
    if end.is_some() {
        w.line(0, &format!("Completed At:\t{}", rfc1123(job, "status.completionTime")));
    }
    if let (Some(s), Some(e)) = (start, end) {
        w.line(0, &format!("Duration:\t{}", human_duration(e - s)));
    }
    if let Some(d) = job.i64_at("spec.activeDeadlineSeconds") {
        w.line(0, &format!("Active Deadline Seconds:\t{d}s"));
    }
    let (active, succeeded, failed) =
        (int_at(job, "status.active"), int_at(job, "status.succeeded"), int_at(job, "status.failed"));
    match job.i64_at("status.ready") {
        Some(ready) => w.line(
            0,
            &format!("Pods Statuses:\t{active} Active ({ready} Ready) / {succeeded} Succeeded / {failed} Failed"),
        ),
        None => w.line(0, &format!("Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed")),
    }
    if mode == "Indexed" {
        w.line(0, &format!("Completed Indexes:\t{}", cap_indexes(job.str_at("status.completedIndexes"), 50)));
    }
    pod_template(&mut w, job.at("spec.template"));
    events(&mut w, ctx);
    w.finish()
}

/// kubectl's `capIndexesListOrNone`: the list up to the first comma at or past `soft_limit`
/// characters, then `...`.
fn cap_indexes(indexes: &str, soft_limit: usize) -> String {
    if indexes.is_empty() {
        return "<none>".to_string();
    }
    match indexes.bytes().enumerate().skip(soft_limit).find(|(_, b)| *b == b',') {
        Some((comma, _)) => format!("{}...", &indexes[..=comma]),
        None => indexes.to_string(),
    }
}

fn optional(w: &mut Writer, label: &str, v: Option<i64>, suffix: &str) {
    match v {
        Some(n) => w.line(0, &format!("{label}:\t{n}{suffix}")),
        None => w.line(0, &format!("{label}:\t<unset>")),
    }
}

pub fn cronjob(cj: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    head(&mut w, cj);
    labels_multiline(&mut w, "Labels", &cj.labels());
    annotations_multiline(&mut w, "Annotations", &string_map(cj, "metadata.annotations"));
    w.line(0, &format!("Schedule:\t{}", cj.str_at("spec.schedule")));
    w.line(0, &format!("Concurrency Policy:\t{}", cj.str_at("spec.concurrencyPolicy")));
    let suspend = match cj.at("spec.suspend").and_then(Value::as_bool) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    w.line(0, &format!("Suspend:\t{suspend}"));
    optional(&mut w, "Successful Job History Limit", cj.i64_at("spec.successfulJobsHistoryLimit"), "");
    optional(&mut w, "Failed Job History Limit", cj.i64_at("spec.failedJobsHistoryLimit"), "");
    optional(&mut w, "Starting Deadline Seconds", cj.i64_at("spec.startingDeadlineSeconds"), "s");
    let spec = cj.at("spec.jobTemplate.spec").cloned().unwrap_or(Value::Null);
    match spec.get("selector").filter(|s| s.is_object()) {
        Some(sel) => w.line(0, &format!("Selector:\t{}", selector_string(sel))),
        None => w.line(0, "Selector:\t<unset>"),
    }
    optional(&mut w, "Parallelism", spec.i64_at("parallelism"), "");
    optional(&mut w, "Completions", spec.i64_at("completions"), "");
    if let Some(d) = spec.i64_at("activeDeadlineSeconds") {
        w.line(0, &format!("Active Deadline Seconds:\t{d}s"));
    }
    pod_template(&mut w, spec.get("template"));
    match cj.time_at("status.lastScheduleTime") {
        Some(_) => w.line(0, &format!("Last Schedule Time:\t{}", rfc1123(cj, "status.lastScheduleTime"))),
        None => w.line(0, "Last Schedule Time:\t<unset>"),
    }
    let active: Vec<&str> = cj.array_at("status.active").iter().map(|j| j.str_at("name")).collect();
    w.line(0, &format!("Active Jobs:\t{}", if active.is_empty() { "<none>".to_string() } else { active.join(", ") }));
    events(&mut w, ctx);
    w.finish()
}

/// `related.pods` holds the daemon set's pods.
pub fn daemonset(ds: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", ds.name()));
    w.line(0, &format!("Selector:\t{}", selector(ds, "spec.selector")));
    let node_selector = string_map(ds, "spec.template.spec.nodeSelector");
    let formatted: Vec<String> = node_selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
    w.line(0, &format!("Node-Selector:\t{}", if formatted.is_empty() { "<none>".into() } else { formatted.join(",") }));
    labels_multiline(&mut w, "Labels", &ds.labels());
    annotations_multiline(&mut w, "Annotations", &string_map(ds, "metadata.annotations"));
    w.line(0, &format!("Desired Number of Nodes Scheduled: {}", int_at(ds, "status.desiredNumberScheduled")));
    w.line(0, &format!("Current Number of Nodes Scheduled: {}", int_at(ds, "status.currentNumberScheduled")));
    w.line(
        0,
        &format!("Number of Nodes Scheduled with Up-to-date Pods: {}", int_at(ds, "status.updatedNumberScheduled")),
    );
    w.line(0, &format!("Number of Nodes Scheduled with Available Pods: {}", int_at(ds, "status.numberAvailable")));
    w.line(0, &format!("Number of Nodes Misscheduled: {}", int_at(ds, "status.numberMisscheduled")));
    let (r, wt, s, f) = pod_counts(ds, &ctx.related.pods);
    w.line(0, &format!("Pods Status:\t{r} Running / {wt} Waiting / {s} Succeeded / {f} Failed"));
    pod_template(&mut w, ds.at("spec.template"));
    events(&mut w, ctx);
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::cap_indexes;

    #[test]
    fn long_index_lists_are_cut_at_a_comma_past_the_limit() {
        assert_eq!(cap_indexes("", 50), "<none>");
        assert_eq!(cap_indexes("0-4", 50), "0-4");
        let long: Vec<String> = (0..40).map(|i| (i * 2).to_string()).collect();
        let long = long.join(",");
        // "0,2,4,...": the 50th character is inside "34"; the list is cut after the comma that follows.
        assert_eq!(cap_indexes(&long, 50), format!("{}...", &long[..=long[50..].find(',').unwrap() + 50]));
        assert!(cap_indexes(&long, 50).ends_with(",..."));
    }
}
