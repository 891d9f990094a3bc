//! `kstate drain NODE`: cordon, then evict the node's pods through the Eviction API, retrying in
//! cluster time every 5 s while a PodDisruptionBudget refuses, until the pods are gone or the
//! timeout passes, with kubectl v1.32's filters, warnings and messages.

use serde_json::Value;

use super::cordon::{select_nodes, set_unschedulable, DryRun};
use super::Context;
use crate::api::kinds::POD;
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::eviction::{pods_on, Refused};
use crate::cluster::{Cluster, Key, Propagation};
use crate::{controller, Error, Result};

pub struct Request {
    pub nodes: Vec<String>,
    pub selector: Option<String>,
    pub pod_selector: Option<String>,
    pub force: bool,
    pub ignore_daemonsets: bool,
    pub delete_emptydir_data: bool,
    pub disable_eviction: bool,
    /// Seconds; negative: each pod's own.
    pub grace_period: i64,
    /// Seconds; 0: no limit (kstate stops after an hour of cluster time, see docs).
    pub timeout: i64,
    pub dry_run: DryRun,
}

/// How long a drain without `--timeout` keeps retrying, in cluster time.
const NO_TIMEOUT_LIMIT: i64 = 3600;
const RETRY_SECONDS: i64 = 5;

/// One filter's verdict on a pod: delete it, or not, with a message either way.
struct Verdict {
    delete: bool,
    warning: Option<&'static str>,
    error: Option<&'static str>,
}

fn controller_of(pod: &Value) -> Option<&Value> {
    pod.array_at("metadata.ownerReferences").iter().find(|o| o.get("controller") == Some(&Value::Bool(true)))
}

/// kubectl's filters, in order: skip deleted, DaemonSet, mirror, local storage, unreplicated.
fn judge(cluster: &mut Cluster, pod: &Value, req: &Request) -> Result<Option<Verdict>> {
    if matches!(pod.str_at("status.phase"), "Succeeded" | "Failed") {
        return Ok(Some(Verdict { delete: true, warning: None, error: None }));
    }
    if pod.annotation("kubernetes.io/config.mirror").is_some() {
        return Ok(None);
    }
    let owner = controller_of(pod);
    if owner.is_some_and(|o| o.str_at("kind") == "DaemonSet") {
        return Ok(Some(if req.ignore_daemonsets {
            Verdict { delete: false, warning: Some("ignoring DaemonSet-managed Pods"), error: None }
        } else {
            Verdict {
                delete: false,
                warning: None,
                error: Some("DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"),
            }
        }));
    }
    let mut verdict = Verdict { delete: true, warning: None, error: None };
    if pod.array_at("spec.volumes").iter().any(|v| v.get("emptyDir").is_some()) {
        if req.delete_emptydir_data {
            verdict.warning = Some("deleting Pods with local storage");
        } else {
            return Ok(Some(Verdict {
                delete: false,
                warning: None,
                error: Some("Pods with local storage (use --delete-emptydir-data to override)"),
            }));
        }
    }
    if owner.is_none() {
        if req.force {
            verdict.warning = Some("deleting Pods that declare no controller");
        } else {
            return Ok(Some(Verdict {
                delete: false,
                warning: None,
                error: Some("cannot delete Pods that declare no controller (use --force to override)"),
            }));
        }
    }
    let _ = cluster;
    Ok(Some(verdict))
}

/// `msg: ns/a, ns/b; msg2: ns/c` in first-seen order.
fn group(items: &[(&'static str, String)]) -> String {
    let mut order: Vec<&str> = Vec::new();
    for (m, _) in items {
        if !order.contains(m) {
            order.push(m);
        }
    }
    order
        .iter()
        .map(|m| {
            let pods: Vec<&str> = items.iter().filter(|(x, _)| x == m).map(|(_, p)| p.as_str()).collect();
            format!("{m}: {}", pods.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Go's `time.Duration` text for whole seconds: `30s`, `1m30s`, `1h0m0s`.
pub fn go_duration(seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    if h > 0 {
        format!("{h}h{m}m{s}s")
    } else if m > 0 {
        format!("{m}m{s}s")
    } else {
        format!("{s}s")
    }
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let pod_selector = match &req.pod_selector {
        Some(s) => Some(
            Selector::parse(s).map_err(|_| Error::cli(format!("--pod-selector={s} must be a valid label selector")))?,
        ),
        None => None,
    };
    let mut cluster = ctx.write()?;
    let nodes = match select_nodes(&mut cluster, &req.nodes, req.selector.as_deref()) {
        Ok(n) => n,
        Err(e) => {
            cluster.abandon()?;
            return Err(e);
        }
    };
    let mut failed = Vec::new();
    for node in nodes {
        let name = node.name().to_string();
        let line = set_unschedulable(&mut cluster, node, true, req.dry_run)?;
        ctx.say(&line)?;
        if req.dry_run == DryRun::None {
            controller::converge(&mut cluster)?;
        }
        if let Err(e) = drain_node(ctx, &mut cluster, &name, &req, pod_selector.as_ref()) {
            failed.push((name, e));
        }
    }
    if req.dry_run == DryRun::None {
        ctx.finish(cluster)?;
    } else {
        cluster.abandon()?;
    }
    if failed.is_empty() {
        return Ok(());
    }
    let mut lines = Vec::new();
    for (name, e) in &failed {
        lines.push(format!("error: unable to drain node {name:?} due to error: {e}, continuing command..."));
    }
    lines.push("There are pending nodes to be drained:".into());
    for (name, _) in &failed {
        lines.push(format!(" {name}"));
    }
    for (_, e) in &failed {
        lines.push(e.clone());
    }
    Err(Error::Aggregate(lines))
}

/// Evicts (or deletes) the node's pods; the error text kubectl would aggregate.
fn drain_node(
    ctx: &mut Context,
    cluster: &mut Cluster,
    node: &str,
    req: &Request,
    pod_selector: Option<&Selector>,
) -> std::result::Result<(), String> {
    let io = |e: Error| e.to_string();
    let pods = pods_on(cluster, node).map_err(io)?;
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let mut victims = Vec::new();
    for pod in pods.iter().filter(|p| pod_selector.is_none_or(|s| s.matches_object(p))) {
        if pod.is_deleting() && pod.str_at("metadata.deletionTimestamp").is_empty() {
            continue;
        }
        let Some(v) = judge(cluster, pod, req).map_err(io)? else { continue };
        let who = format!("{}/{}", pod.namespace(), pod.name());
        if let Some(e) = v.error {
            errors.push((e, who.clone()));
        }
        if let Some(w) = v.warning {
            warnings.push((w, who.clone()));
        }
        if v.delete {
            victims.push(Key::new(&POD, pod.namespace(), pod.name()));
        }
    }
    if !errors.is_empty() {
        return Err(format!("cannot delete {}", group(&errors)));
    }
    if !warnings.is_empty() {
        ctx.warn(&group(&warnings));
    }
    if req.dry_run != DryRun::None {
        for k in &victims {
            let _ = ctx.say(&format!("evicting pod {}/{}{}", k.namespace, k.name, req.dry_run.suffix()));
        }
        let _ = ctx.say(&format!("node/{node} drained{}", req.dry_run.suffix()));
        return Ok(());
    }
    evict_all(ctx, cluster, victims, req).map_err(io)??;
    let _ = ctx.say(&format!("node/{node} drained"));
    Ok(())
}

/// The eviction loop: every pod is asked in turn; refused ones are asked again after 5 s of
/// cluster time; evicted ones are waited for until they are gone.
fn evict_all(
    ctx: &mut Context,
    cluster: &mut Cluster,
    mut pending: Vec<Key>,
    req: &Request,
) -> Result<std::result::Result<(), String>> {
    let grace = (req.grace_period >= 0).then_some(req.grace_period);
    let limit = if req.timeout > 0 { req.timeout } else { NO_TIMEOUT_LIMIT };
    let start = cluster.clock.now();
    let mut waiting: Vec<Key> = Vec::new();
    loop {
        let mut refused = Vec::new();
        let mut retry = Vec::new();
        for key in pending.drain(..) {
            if !req.disable_eviction {
                ctx.say(&format!("evicting pod {}/{}", key.namespace, key.name))?;
            }
            let outcome = if req.disable_eviction {
                match cluster.delete(&key, Propagation::Background, grace) {
                    Ok(_) => Ok(()),
                    Err(Error::NotFound { .. }) => Err(Refused::NotFound),
                    Err(e @ Error::Internal(_)) => return Err(e),
                    Err(e) => Err(Refused::Failed(e.to_string())),
                }
            } else {
                cluster.evict(&key, grace)?
            };
            match outcome {
                Ok(()) => waiting.push(key),
                Err(Refused::NotFound) => {}
                Err(Refused::TooManyRequests(msg)) => {
                    refused.push(format!(
                        "error when evicting pods/{:?} -n {:?} (will retry after 5s): {msg}",
                        key.name, key.namespace
                    ));
                    retry.push(key);
                }
                Err(Refused::Failed(msg)) => {
                    return Ok(Err(format!("error when evicting pods/{:?} -n {:?}: {msg}", key.name, key.namespace)))
                }
            }
        }
        for line in refused {
            ctx.say_err(&line)?;
        }
        controller::converge(cluster)?;
        wait_gone(ctx, cluster, &mut waiting, req.disable_eviction, start + limit)?;
        if retry.is_empty() {
            return Ok(Ok(()));
        }
        if cluster.clock.now() + RETRY_SECONDS - start > limit {
            let errs: Vec<String> = retry
                .iter()
                .map(|k| {
                    format!(
                        "error when evicting pods/{:?} -n {:?}: global timeout reached: {}",
                        k.name,
                        k.namespace,
                        go_duration(limit)
                    )
                })
                .collect();
            return Ok(Err(if errs.len() == 1 { errs[0].clone() } else { format!("[{}]", errs.join(", ")) }));
        }
        cluster.advance_clock(RETRY_SECONDS)?;
        controller::catch_up(cluster)?;
        controller::converge(cluster)?;
        pending = retry;
    }
}

/// Waits (in cluster time, up to `deadline`) for evicted pods to be gone or replaced by a new
/// pod of the same name, printing `pod/<name> evicted` for each.
fn wait_gone(
    ctx: &mut Context,
    cluster: &mut Cluster,
    waiting: &mut Vec<Key>,
    deleted: bool,
    deadline: i64,
) -> Result<()> {
    let word = if deleted { "deleted" } else { "evicted" };
    loop {
        let mut still = Vec::new();
        let mut until = cluster.clock.now();
        for key in waiting.drain(..) {
            match cluster.get_ref(&key)? {
                Some(p) if p.is_deleting() => {
                    let at = crate::clock::parse_rfc3339(p.str_at("metadata.deletionTimestamp")).unwrap_or(until);
                    until = until.max(at.saturating_add(p.i64_at("metadata.deletionGracePeriodSeconds").unwrap_or(0)));
                    still.push(key);
                }
                _ => ctx.say(&format!("pod/{} {word}", key.name))?,
            }
        }
        if still.is_empty() {
            return Ok(());
        }
        let step = (until - cluster.clock.now()).max(1).min(deadline - cluster.clock.now());
        if step <= 0 {
            *waiting = still;
            return Ok(());
        }
        cluster.advance_clock(step)?;
        controller::catch_up(cluster)?;
        controller::converge(cluster)?;
        *waiting = still;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_as_go_prints_them() {
        assert_eq!(go_duration(30), "30s");
        assert_eq!(go_duration(90), "1m30s");
        assert_eq!(go_duration(3600), "1h0m0s");
    }

    #[test]
    fn messages_group_by_reason_in_order() {
        let items = vec![("a", "ns/x".to_string()), ("b", "ns/y".to_string()), ("a", "ns/z".to_string())];
        assert_eq!(group(&items), "a: ns/x, ns/z; b: ns/y");
    }
}
