//! `kstate delete`: by name, `-f`, `-l` or `--all`, with `--cascade` and graceful or forced deletion.

use serde_json::Value;

use super::dry_run::DryRun;
use super::{parse_targets, Context};
use crate::api::kinds::Kind;
use crate::api::selector::Selector;
use crate::api::{convert, ObjectExt};
use crate::cluster::{Cluster, Key, Propagation};
use crate::{controller, manifest, Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub selector: Option<String>,
    pub all: bool,
    pub cascade: Propagation,
    /// `-A`: a selector or `--all` reaches every namespace.
    pub all_namespaces: bool,
    pub grace_period: i64,
    pub force: bool,
    pub ignore_not_found: bool,
    pub output_name: bool,
    /// Wait (in cluster time) until the objects are gone, as kubectl's `--wait` does by default.
    pub wait: bool,
    /// The longest wait, in seconds (kubectl waits "forever" by default: a week here).
    pub timeout: Option<i64>,
    /// `--dry-run`: client prints what would be deleted (kubectl does not fetch named objects,
    /// so a missing one is printed too); server deletes in a transaction that is thrown away.
    pub dry_run: DryRun,
}

/// What to delete: a kind and a name, with where the request came from (a file, for messages).
struct Victim {
    kind: &'static Kind,
    namespace: String,
    name: String,
    source: Option<String>,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    if req.resources.is_empty() && req.filenames.is_empty() {
        return Err(Error::no_resources());
    }
    let mut cluster = ctx.write()?;
    let victims = match select(ctx, &mut cluster, &req) {
        Ok(v) => v,
        Err(e) => {
            cluster.abandon()?;
            return Err(e);
        }
    };
    if victims.is_empty() && req.filenames.is_empty() {
        cluster.abandon()?;
        return ctx.say("No resources found");
    }
    let grace =
        if req.force && req.grace_period < 0 { Some(0) } else { (req.grace_period >= 0).then_some(req.grace_period) };
    if req.force && grace == Some(0) {
        ctx.warn("Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.");
    }
    let mut errors = Vec::new();
    let mut deleted = Vec::new();
    let suffix = req.dry_run.suffix();
    // kubectl's WarnClusterScope: an explicit -n does not scope cluster-scoped objects; said once,
    // through its WarningPrinter (`Warning: `).
    let mut warn_cluster_scope = ctx.namespace_given && !req.all_namespaces;
    for v in victims {
        if warn_cluster_scope && !v.kind.namespaced {
            ctx.warn("deleting cluster-scoped resources, not scoped to the provided namespace");
            warn_cluster_scope = false;
        }
        let key = Key::new(v.kind, &v.namespace, &v.name);
        let outcome = match req.dry_run {
            DryRun::Client => Ok(Value::Null),
            _ => cluster.delete(&key, req.cascade, grace),
        };
        match outcome {
            Ok(_) => {
                deleted.push(key);
                let what = format!("{} \"{}\"", v.kind.name_prefix(), v.name);
                let line = if req.output_name {
                    format!("{}/{}", v.kind.name_prefix(), v.name)
                } else if req.force && grace == Some(0) {
                    format!("{what} force deleted{suffix}")
                } else {
                    format!("{what} deleted{suffix}")
                };
                ctx.say(&line)?;
            }
            Err(Error::NotFound { .. }) if req.ignore_not_found => {}
            Err(e) => errors.push((e, v.source.unwrap_or_default())),
        }
    }
    if !deleted.is_empty() && req.dry_run == DryRun::None {
        let left = if req.wait { wait_gone(&mut cluster, &deleted, req.timeout.unwrap_or(7 * 86_400))? } else { None };
        ctx.finish(cluster)?;
        // What was deleted stays deleted; kubectl's wait then reports the object it gave up on.
        if let Some(key) = left {
            let plural = crate::api::kinds::by_kind(key.kind).map_or(key.kind, |k| k.plural);
            errors.push((
                Error::cli(format!("timed out waiting for the condition on {plural}/{}", key.name)),
                String::new(),
            ));
        }
    } else {
        cluster.abandon()?;
    }
    match errors.len() {
        0 => Ok(()),
        1 => {
            let (e, source) = errors.remove(0);
            Err(if source.is_empty() { e } else { e.with_source("deleting", &source) })
        }
        _ => Err(Error::Aggregate(
            errors
                .iter()
                .map(|(e, s)| if s.is_empty() { e.to_string() } else { e.aggregate_line("deleting", s) })
                .collect(),
        )),
    }
}

/// kubectl waits until what it deleted is gone: a preStop hook or a process that ignores
/// SIGTERM makes a pod take up to its grace period. The wait passes in cluster time, from one due
/// timer to the next, so the next command sees the pods gone and the clock moved by the wait.
/// Returns an object still there when the timeout ran out.
fn wait_gone(cluster: &mut Cluster, keys: &[Key], timeout: i64) -> Result<Option<Key>> {
    controller::converge(cluster)?;
    let limit = cluster.clock.now().saturating_add(timeout);
    loop {
        let mut deadline = None;
        for key in keys {
            let Some(obj) = cluster.get_ref(key)? else { continue };
            let Some(deleted) = crate::clock::parse_rfc3339(obj.str_at("metadata.deletionTimestamp")) else {
                continue;
            };
            let mut end = deleted.saturating_add(obj.i64_at("metadata.deletionGracePeriodSeconds").unwrap_or(0));
            // A namespace goes once its pods' grace periods have run out.
            if key.kind == crate::api::kinds::NAMESPACE.kind {
                end = end.max(pods_gone_by(cluster, &key.name)?);
            }
            deadline = Some(deadline.map_or(end, |d: i64| d.max(end)));
        }
        let Some(deadline) = deadline else { return Ok(None) };
        if !controller::pass_time(cluster, deadline.min(limit), controller::Idle::WaitOut)? {
            if cluster.clock.now() < limit {
                return Ok(None);
            }
            for key in keys {
                if cluster.get_ref(key)?.is_some() {
                    return Ok(Some(key.clone()));
                }
            }
            return Ok(None);
        }
    }
}

/// When the last of a namespace's terminating pods is gone at the latest.
fn pods_gone_by(cluster: &mut Cluster, namespace: &str) -> Result<i64> {
    let pods = cluster.list(&crate::api::kinds::POD, Some(namespace))?;
    let ends = pods.iter().filter_map(|p| {
        let deleted = crate::clock::parse_rfc3339(p.str_at("metadata.deletionTimestamp"))?;
        Some(deleted.saturating_add(p.i64_at("metadata.deletionGracePeriodSeconds").unwrap_or(0)))
    });
    Ok(ends.max().unwrap_or(0))
}

fn select(ctx: &mut Context, cluster: &mut Cluster, req: &Request) -> Result<Vec<Victim>> {
    if !req.filenames.is_empty() {
        return from_files(ctx, req);
    }
    let selector = match &req.selector {
        Some(s) => Some(Selector::parse(s).map_err(Error::cli)?),
        None => None,
    };
    if req.all && selector.as_ref().is_some_and(|s| !s.is_empty()) {
        return Err(Error::cli("setting 'all' parameter but found a non empty selector. "));
    }
    let mut out = Vec::new();
    for target in parse_targets(&req.resources)? {
        let ns = if target.kind.namespaced { ctx.namespace.clone() } else { String::new() };
        if req.all_namespaces && target.kind.namespaced && !target.names.is_empty() {
            return Err(Error::cli("a resource cannot be retrieved by name across all namespaces"));
        }
        if !target.names.is_empty() {
            if selector.is_some() || req.all {
                return Err(Error::cli("name cannot be provided when a selector is specified"));
            }
            for name in target.names {
                out.push(Victim { kind: target.kind, namespace: ns.clone(), name, source: None });
            }
            continue;
        }
        if selector.is_none() && !req.all {
            return Err(Error::no_name());
        }
        let everything = Selector::everything();
        let sel = selector.as_ref().unwrap_or(&everything);
        let scope = (!req.all_namespaces || !target.kind.namespaced).then_some(ns.as_str());
        cluster.load(target.kind, scope)?;
        for o in cluster.iter(target.kind, scope).filter(|o| sel.matches_object(o)) {
            let namespace = if target.kind.namespaced { o.namespace().to_string() } else { String::new() };
            out.push(Victim { kind: target.kind, namespace, name: o.name().to_string(), source: None });
        }
    }
    Ok(out)
}

fn from_files(ctx: &mut Context, req: &Request) -> Result<Vec<Victim>> {
    let mut out = Vec::new();
    for doc in manifest::read(&req.filenames, req.recursive, ctx.stdin)? {
        let mut obj: Value = doc.value;
        convert::to_served(&mut obj, &doc.source)?;
        let kind = Cluster::kind_of(&obj)?;
        let ns = if !kind.namespaced {
            String::new()
        } else if !ctx.namespace_given && !obj.namespace().is_empty() {
            obj.namespace().to_string()
        } else {
            ctx.namespace.clone()
        };
        out.push(Victim { kind, namespace: ns, name: obj.name().to_string(), source: Some(doc.source.clone()) });
    }
    Ok(out)
}
