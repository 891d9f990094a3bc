//! `kstate rollout status|history|undo|restart|pause|resume` for StatefulSets and Deployments
//! (deployment specifics in `rollout_deployment`), with kubectl's texts
//! (`polymorphichelpers`: the StatefulSet status viewer, history viewer and rollbacker, and the
//! object restarter).
//!
//! `rollout status` never waits: every kstate command converges the cluster before it returns,
//! so what `status` sees is final until the next command. When the rollout is complete it prints
//! kubectl's last line and exits 0; when it is not (a pod that never becomes ready, a partition
//! holding pods back is *complete* by kubectl's rules) it prints the waiting line once and fails
//! as kubectl does when its `--timeout` runs out: `error: timed out waiting for the condition`.
//! `--watch=false` prints the line once and exits 0, as kubectl does.

use serde_json::{json, Value};

use std::collections::BTreeMap;

use super::dry_run::DryRun;
use super::patch::{every_of_type, named, Named};
use super::rollout_deployment;
use super::Context;
use crate::api::kinds::CONTROLLERREVISION;
use crate::api::object::set_at;
use crate::api::ObjectExt;
use crate::print::describe::pod_template_unaligned;
use crate::print::tabwriter::align;
use crate::{Error, Result};

pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
/// The manager `rollout restart|pause|resume` write as (`--field-manager`'s default).
const FIELD_MANAGER: &str = "kubectl-rollout";

pub enum Action {
    /// `timeout`: seconds of cluster time to wait for the rollout.
    Status {
        watch: bool,
        timeout: i64,
    },
    History {
        revision: i64,
    },
    Undo {
        to_revision: i64,
        dry_run: DryRun,
        /// `-o`: print the object (as fetched before the rollback, as kubectl does) instead of
        /// the line.
        output: Option<crate::print::OutputFormat>,
    },
    Restart,
    Pause,
    Resume,
}

pub struct Request {
    pub action: Action,
    pub resources: Vec<String>,
    pub filenames: Vec<String>,
    pub recursive: bool,
}

fn verb(action: &Action) -> &'static str {
    match action {
        Action::Status { .. } => "rollout status",
        Action::History { .. } => "rollout history",
        Action::Undo { .. } => "rollout undo",
        Action::Restart => "rollout restart",
        Action::Pause => "rollout pause",
        Action::Resume => "rollout resume",
    }
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    if req.resources.is_empty() && req.filenames.is_empty() {
        return Err(Error::Usage { cmd: verb(&req.action).into(), msg: "required resource not specified".into() });
    }
    let targets = named(ctx, &req.resources, &req.filenames, req.recursive)?;
    let targets = every_of_type(ctx, targets)?;
    if matches!(req.action, Action::Status { .. }) && targets.len() != 1 {
        return Err(Error::cli(
            "rollout status is only supported on individual resources and resource collections are not supported yet",
        ));
    }
    let mut errors = Vec::new();
    for t in &targets {
        let result = match &req.action {
            Action::Status { watch, timeout } => status(ctx, t, *watch, *timeout),
            Action::History { revision } => history(ctx, t, *revision),
            Action::Undo { to_revision, dry_run, output } => {
                undo(ctx, t, *to_revision, *dry_run, Report { output: output.as_ref() })
            }
            Action::Restart => restart(ctx, t),
            Action::Pause => pause(ctx, t, true),
            Action::Resume => pause(ctx, t, false),
        };
        if let Err(e) = result {
            if targets.len() == 1 {
                return Err(e);
            }
            errors.push(e);
        }
    }
    super::patch::finish_errors(errors)
}

/// The StatefulSet `t` names, or kubectl's error for another kind or a missing object.
fn statefulset(ctx: &mut Context, t: &Named, what: &str) -> Result<(crate::cluster::Cluster, Value)> {
    let mut cluster = ctx.read()?;
    let obj = cluster.get(&t.key())?;
    let Some(obj) = obj else {
        cluster.abandon()?;
        return Err(t.not_found());
    };
    // DaemonSets have a status viewer and a history viewer (their ControllerRevisions) too.
    let daemon = t.kind.kind == "DaemonSet" && what != "rollbacker";
    if !matches!(t.kind.kind, "StatefulSet" | "Deployment") && !daemon {
        cluster.abandon()?;
        // StatusViewerFor formats the GroupKind with %v, the history viewer with %q.
        let gk = if what == "status viewer" { group_kind(t) } else { format!("{:?}", group_kind(t)) };
        return Err(Error::cli(format!("no {what} has been implemented for {gk}")));
    }
    Ok((cluster, obj))
}

/// `schema.GroupKind.String()`: `Pod`, `StorageClass.storage.k8s.io`.
fn group_kind(t: &Named) -> String {
    if t.kind.group.is_empty() {
        t.kind.kind.to_string()
    } else {
        format!("{}.{}", t.kind.kind, t.kind.group)
    }
}

/// The message kubectl's StatefulSet status viewer gives, and whether the rollout is done.
pub fn status_message(sts: &Value) -> Result<(String, bool)> {
    if sts.str_at("spec.updateStrategy.type") != "RollingUpdate" {
        return Err(Error::cli("rollout status is only available for RollingUpdate strategy type"));
    }
    let generation = sts.i64_at("metadata.generation").unwrap_or(0);
    let observed = sts.i64_at("status.observedGeneration").unwrap_or(0);
    if observed == 0 || generation > observed {
        return Ok(("Waiting for statefulset spec update to be observed...".into(), false));
    }
    let replicas = sts.i64_at("spec.replicas").unwrap_or(1);
    let ready = sts.i64_at("status.readyReplicas").unwrap_or(0);
    if ready < replicas {
        return Ok((format!("Waiting for {} pods to be ready...", replicas - ready), false));
    }
    let updated = sts.i64_at("status.updatedReplicas").unwrap_or(0);
    if let Some(ru) = sts.at("spec.updateStrategy.rollingUpdate").filter(|v| v.is_object()) {
        if let Some(partition) = ru.i64_at("partition") {
            if updated < replicas - partition {
                return Ok((
                    format!(
                        "Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...",
                        replicas - partition
                    ),
                    false,
                ));
            }
        }
        return Ok((format!("partitioned roll out complete: {updated} new pods have been updated..."), true));
    }
    let (current_rev, update_rev) = (sts.str_at("status.currentRevision"), sts.str_at("status.updateRevision"));
    if update_rev != current_rev {
        return Ok((
            format!("waiting for statefulset rolling update to complete {updated} pods at revision {update_rev}..."),
            false,
        ));
    }
    let current = sts.i64_at("status.currentReplicas").unwrap_or(0);
    Ok((format!("statefulset rolling update complete {current} pods at revision {current_rev}..."), true))
}

fn status(ctx: &mut Context, t: &Named, watch: bool, timeout: i64) -> Result<()> {
    let (cluster, obj) = statefulset(ctx, t, "status viewer")?;
    cluster.abandon()?;
    let (msg, done) = rollout_status(t, &obj)?;
    ctx.say(&msg)?;
    if done || !watch {
        return Ok(());
    }
    // kubectl watches until the rollout is done; here the watch passes in cluster time, from one
    // due event to the next, printing each new status line, and the clock keeps the time waited.
    let mut cluster = ctx.write()?;
    let deadline = cluster.clock.now().saturating_add(timeout);
    let mut last = msg;
    let outcome = loop {
        if !crate::controller::pass_time(&mut cluster, deadline, crate::controller::Idle::GiveUp)? {
            break Err(Error::cli("timed out waiting for the condition"));
        }
        let Some(obj) = cluster.get(&t.key())? else { break Err(t.not_found()) };
        let (msg, done) = match rollout_status(t, &obj) {
            Ok(m) => m,
            Err(e) => break Err(e),
        };
        if msg != last {
            ctx.say(&msg)?;
            last = msg;
        }
        if done {
            break Ok(());
        }
    };
    ctx.finish(cluster)?;
    outcome
}

fn rollout_status(t: &Named, obj: &Value) -> Result<(String, bool)> {
    match t.kind.kind {
        "Deployment" => rollout_deployment::status_message(obj),
        "DaemonSet" => rollout_deployment::daemonset_status(obj),
        _ => status_message(obj),
    }
}

/// The set's ControllerRevisions, oldest revision first.
fn revisions(cluster: &mut crate::cluster::Cluster, sts: &Value) -> Result<Vec<Value>> {
    let mut revs = cluster.list_by_ref(&CONTROLLERREVISION, sts.uid())?;
    revs.sort_by_key(|r| r.i64_at("revision").unwrap_or(0));
    Ok(revs)
}

/// The pod template a revision holds (its data is a patch replacing `spec.template`).
fn revision_template(rev: &Value) -> Value {
    let mut t = rev.at("data.spec.template").cloned().unwrap_or_else(|| json!({}));
    if let Some(m) = t.as_object_mut() {
        m.remove("$patch");
    }
    t
}

fn history(ctx: &mut Context, t: &Named, revision: i64) -> Result<()> {
    let (mut cluster, obj) = statefulset(ctx, t, "history viewer")?;
    if t.kind.kind == "Deployment" {
        let revs = rollout_deployment::history(&mut cluster, &obj)?;
        cluster.abandon()?;
        return deployment_history(ctx, t, &revs, revision);
    }
    let revs = revisions(&mut cluster, &obj)?;
    cluster.abandon()?;
    let head = format!("{}/{}", t.kind.name_prefix(), t.name);
    if revs.is_empty() {
        return ctx.say(&format!("{head} \nNo rollout history found."));
    }
    if revision > 0 {
        let Some(rev) = revs.iter().find(|r| r.i64_at("revision") == Some(revision)) else {
            return Err(Error::cli("unable to find the specified revision"));
        };
        let template = revision_template(rev);
        let text = pod_template_unaligned(Some(&template));
        return ctx.say(&format!("{head} with revision #{revision}\n{text}"));
    }
    let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
    for r in &revs {
        let cause = r.annotation(CHANGE_CAUSE).filter(|c| !c.is_empty()).unwrap_or("<none>");
        table.push_str(&format!("{}\t{cause}\n", r.i64_at("revision").unwrap_or(0)));
    }
    ctx.say(&format!("{head} \n{}", align(&table, (0, 2))))
}

fn undo(ctx: &mut Context, t: &Named, to_revision: i64, dry_run: DryRun, report: Report) -> Result<()> {
    if to_revision < 0 {
        return Err(Error::cli(format!("unable to find specified revision {to_revision} in history")));
    }
    let mut cluster = ctx.write()?;
    let head = format!("{}/{}", t.kind.name_prefix(), t.name);
    if t.kind.kind == "Deployment" {
        let Some(d) = cluster.get(&t.key())? else {
            cluster.abandon()?;
            return Err(t.not_found());
        };
        if dry_run == DryRun::Client {
            // kubectl prints the revision's template before it looks at pause or equality.
            let template = rollout_deployment::revision_template(&mut cluster, &d, to_revision);
            cluster.abandon()?;
            let line = format!("{head} {}{}", pod_template_unaligned(Some(&template?)), dry_run.suffix());
            return report.say(ctx, t, &d, &line);
        }
        return match rollout_deployment::rollback(&mut cluster, &d, to_revision) {
            Ok(Ok(updated)) => {
                finish_undo(ctx, cluster, updated, dry_run)?;
                report.say(ctx, t, &d, &format!("{head} rolled back{}", dry_run.suffix()))
            }
            Ok(Err(skipped)) => {
                cluster.abandon()?;
                report.say(ctx, t, &d, &format!("{head} {skipped}{}", dry_run.suffix()))
            }
            Err(e) => {
                cluster.abandon()?;
                Err(e)
            }
        };
    }
    if !matches!(t.kind.kind, "StatefulSet" | "DaemonSet") {
        cluster.abandon()?;
        return Err(Error::cli(format!("no rollbacker has been implemented for {:?}", group_kind(t))));
    }
    let Some(mut set) = cluster.get(&t.key())? else {
        cluster.abandon()?;
        return Err(t.not_found());
    };
    let revs = revisions(&mut cluster, &set)?;
    let target = if to_revision == 0 {
        if revs.len() <= 1 {
            cluster.abandon()?;
            return Err(Error::cli("no last revision to roll back to"));
        }
        revs.get(revs.len() - 2)
    } else {
        revs.iter().find(|r| r.i64_at("revision") == Some(to_revision))
    };
    let Some(target) = target else {
        cluster.abandon()?;
        return Err(Error::cli(format!("unable to find specified revision {to_revision} in history")));
    };
    let number = target.i64_at("revision").unwrap_or(0);
    let template = revision_template(target);
    if dry_run == DryRun::Client {
        // The StatefulSet and DaemonSet rollbackers print the template they would restore.
        cluster.abandon()?;
        let text = pod_template_unaligned(Some(&template));
        return report.say(ctx, t, &set, &format!("{head} will roll back to {text}{}", dry_run.suffix()));
    }
    if set.at("spec.template") == Some(&template) {
        cluster.abandon()?;
        let line =
            format!("{head} skipped rollback (current template already matches revision {number}){}", dry_run.suffix());
        return report.say(ctx, t, &set, &line);
    }
    let before = set.clone();
    set_at(&mut set, "spec.template", template);
    finish_undo(ctx, cluster, set, dry_run)?;
    report.say(ctx, t, &before, &format!("{head} rolled back{}", dry_run.suffix()))
}

/// How one undo is reported: kubectl's line, or with `-o` the object as the command fetched it
/// before the rollback (kubectl prints its builder's typed object, never the rolled-back one).
struct Report<'a> {
    output: Option<&'a crate::print::OutputFormat>,
}

impl Report<'_> {
    fn say(&self, ctx: &mut Context, t: &Named, before: &Value, line: &str) -> Result<()> {
        let Some(output) = self.output else { return ctx.say(line) };
        // kubectl makes a printer per object: YAML documents get no `---` between them.
        let text = super::set_field::render_typed(t.kind, before, Some(output), "", DryRun::None, 0)?;
        ctx.out.write_all(text.as_bytes()).map_err(super::io)
    }
}

/// Writes the rolled-back object (or, for `--dry-run=server`, validates it and keeps nothing).
fn finish_undo(ctx: &mut Context, mut cluster: crate::cluster::Cluster, obj: Value, dry_run: DryRun) -> Result<()> {
    if dry_run == DryRun::Server {
        let outcome = cluster.update(obj).map(|_| ());
        cluster.abandon()?;
        outcome?;
    } else {
        ctx.update_one(cluster, obj)?;
    }
    Ok(())
}

/// `rollout history` of a deployment: the revisions' table, or one revision's template.
fn deployment_history(ctx: &mut Context, t: &Named, revs: &BTreeMap<i64, Value>, revision: i64) -> Result<()> {
    let head = format!("{}/{}", t.kind.name_prefix(), t.name);
    if revs.is_empty() {
        return ctx.say(&format!("{head} \nNo rollout history found."));
    }
    if revision > 0 {
        let Some(template) = revs.get(&revision) else {
            return Err(Error::cli("unable to find the specified revision"));
        };
        let text = pod_template_unaligned(Some(template));
        return ctx.say(&format!("{head} with revision #{revision}\n{text}"));
    }
    let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
    for (r, template) in revs {
        table.push_str(&format!("{r}\t{}\n", rollout_deployment::change_cause(template)));
    }
    ctx.say(&format!("{head} \n{}", align(&table, (0, 2))))
}

/// `rollout pause|resume`: only deployments can be paused.
fn pause(ctx: &mut Context, t: &Named, paused: bool) -> Result<()> {
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some(FIELD_MANAGER.into());
    let Some(mut obj) = cluster.get(&t.key())? else {
        cluster.abandon()?;
        return Err(t.not_found());
    };
    let verb = if paused { "paused" } else { "resumed" };
    if t.kind.kind != "Deployment" {
        cluster.abandon()?;
        let what = if paused { "pausing" } else { "resuming" };
        return Err(Error::cli(format!("{} {:?} {what} is not supported", t.kind.resource(), t.name)));
    }
    let head = format!("{}/{}", t.kind.name_prefix(), t.name);
    if (obj.at("spec.paused").and_then(Value::as_bool) == Some(true)) == paused {
        cluster.abandon()?;
        return ctx.say(&format!("{head} already {verb}"));
    }
    if paused {
        set_at(&mut obj, "spec.paused", json!(true));
    } else if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
        spec.remove("paused");
    }
    ctx.update_one(cluster, obj)?;
    ctx.say(&format!("{head} {verb}"))
}

fn restart(ctx: &mut Context, t: &Named) -> Result<()> {
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some(FIELD_MANAGER.into());
    let Some(mut sts) = cluster.get(&t.key())? else {
        cluster.abandon()?;
        return Err(t.not_found());
    };
    if !matches!(t.kind.kind, "StatefulSet" | "Deployment" | "DaemonSet") {
        cluster.abandon()?;
        return Err(Error::cli(format!("{} {:?} restarting is not supported", t.kind.resource(), t.name)));
    }
    if t.kind.kind == "Deployment" && sts.at("spec.paused").and_then(Value::as_bool) == Some(true) {
        cluster.abandon()?;
        return Err(Error::cli(format!(
            "{} {:?} can't restart paused deployment (run rollout resume first)",
            t.kind.resource(),
            t.name
        )));
    }
    let now = cluster.clock.now_rfc3339();
    if sts.at("spec.template.metadata.annotations").and_then(|a| a.get(RESTARTED_AT)).and_then(Value::as_str)
        == Some(now.as_str())
    {
        cluster.abandon()?;
        return Err(Error::cli(format!(
            "failed to create patch for {}: if restart has already been triggered within the past second, please wait before attempting to trigger another",
            t.name
        )));
    }
    let annotations = crate::api::object::entry_at(&mut sts, "spec.template.metadata.annotations");
    if let Some(m) = annotations.as_object_mut() {
        m.insert(RESTARTED_AT.to_string(), Value::String(now));
    }
    ctx.update_one(cluster, sts)?;
    ctx.say(&format!("{}/{} restarted", t.kind.name_prefix(), t.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sts(status: Value) -> Value {
        json!({"metadata": {"generation": 2}, "spec": {"replicas": 3,
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}}, "status": status})
    }

    #[test]
    fn status_texts() {
        let m = |s| status_message(&sts(s)).unwrap();
        assert_eq!(m(json!({"observedGeneration": 1})).0, "Waiting for statefulset spec update to be observed...");
        assert_eq!(m(json!({"observedGeneration": 2, "readyReplicas": 1})).0, "Waiting for 2 pods to be ready...");
        assert_eq!(
            m(json!({"observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 1})),
            ("Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...".into(), false)
        );
        assert_eq!(
            m(json!({"observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 3})),
            ("partitioned roll out complete: 3 new pods have been updated...".into(), true)
        );
        let mut s = sts(json!({"observedGeneration": 2, "readyReplicas": 3, "currentReplicas": 3,
            "currentRevision": "web-a", "updateRevision": "web-a"}));
        s["spec"]["updateStrategy"] = json!({"type": "RollingUpdate"});
        assert_eq!(
            status_message(&s).unwrap(),
            ("statefulset rolling update complete 3 pods at revision web-a...".into(), true)
        );
        s["spec"]["updateStrategy"] = json!({"type": "OnDelete"});
        assert!(status_message(&s).is_err());
    }
}
