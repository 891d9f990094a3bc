//! What `set env` and `set resources` share: find the named objects, change the containers of
//! their pod template (or pod) and write them back, printing `<prefix>/<name> <what> updated`;
//! nothing for an object the change leaves as it was.

use serde_json::Value;

use super::dry_run::DryRun;
use super::patch::{finish_errors, named};
use super::Context;
use crate::print::OutputFormat;
use crate::{Error, Result};

pub struct Targets<'a> {
    pub resources: &'a [String],
    pub filenames: &'a [String],
    pub recursive: bool,
    /// `-o`: none prints kubectl's `... updated` line, `name` the object's name, the others the
    /// object as written (or, on a client dry run, as changed).
    pub output: Option<OutputFormat>,
    pub dry_run: DryRun,
}

/// The kinds whose pod template (or pod spec) the `set` verbs change (`UpdatePodSpecForObject`).
pub fn has_pod_spec(kind: &str) -> bool {
    matches!(
        kind,
        "Pod" | "StatefulSet" | "Deployment" | "ReplicaSet" | "DaemonSet" | "Job" | "CronJob" | "ReplicationController"
    )
}

/// The containers lists of an object's pod spec, as JSON pointers (init containers first).
pub fn container_lists(kind: &str) -> [&'static str; 2] {
    match kind {
        "Pod" => ["/spec/initContainers", "/spec/containers"],
        "CronJob" => {
            ["/spec/jobTemplate/spec/template/spec/initContainers", "/spec/jobTemplate/spec/template/spec/containers"]
        }
        _ => ["/spec/template/spec/initContainers", "/spec/template/spec/containers"],
    }
}

/// kubectl's `--containers` glob: `*` matches any run of characters.
pub fn glob(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, rest)) => {
            let Some(tail) = name.strip_prefix(head) else { return false };
            (0..=tail.len()).any(|i| tail.is_char_boundary(i) && glob(rest, &tail[i..]))
        }
    }
}

/// Applies `change` to each container matching `pattern` in each named object (a `String` error
/// refuses that object), writes the changed ones and prints `... {what} updated`.
pub fn run(
    ctx: &mut Context,
    t: Targets,
    verb: &str,
    what: &str,
    pattern: &str,
    change: impl Fn(&mut serde_json::Map<String, Value>) -> std::result::Result<(), String>,
) -> Result<()> {
    update(ctx, &t, &format!("set {verb}"), what, |obj, kind| {
        let mut failed = None;
        for list in container_lists(kind) {
            let Some(Value::Array(cs)) = obj.pointer_mut(list) else { continue };
            for c in cs.iter_mut().filter_map(Value::as_object_mut) {
                let name = c.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
                if glob(pattern, &name) {
                    if let Err(m) = change(c) {
                        failed.get_or_insert(m);
                    }
                }
            }
        }
        failed.map_or(Ok(()), Err)
    })
}

/// The loop every `set` verb shares: finds the named objects, refuses those without a pod
/// template, applies `edit` to a copy (a `String` error refuses that object), writes the ones that
/// changed as `--dry-run` asks, and prints `<prefix>/<name> {what} updated` for each.
pub fn update(
    ctx: &mut Context,
    t: &Targets,
    command: &str,
    what: &str,
    edit: impl Fn(&mut Value, &str) -> std::result::Result<(), String>,
) -> Result<()> {
    if t.resources.is_empty() && t.filenames.is_empty() {
        return Err(Error::Usage {
            cmd: command.to_string(),
            msg: "one or more resources must be specified as <resource> <name> or <resource>/<name>".into(),
        });
    }
    let targets = named(ctx, t.resources, t.filenames, t.recursive)?;
    if targets.iter().any(|t| t.name.is_empty()) {
        return Err(Error::no_name());
    }
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some("kubectl-set".into());
    let (mut lines, mut errors, mut wrote) = (Vec::new(), Vec::new(), false);
    for target in &targets {
        let Some(live) = cluster.get(&target.key())? else {
            errors.push(target.not_found());
            continue;
        };
        let kind = target.kind.kind;
        if !has_pod_spec(kind) {
            errors.push(Error::cli(format!(
                "{}/{} the object is not a pod or does not have a pod template: *v1.{kind}",
                target.kind.plural, target.name
            )));
            continue;
        }
        let mut obj = live.clone();
        if let Err(m) = edit(&mut obj, kind) {
            errors.push(Error::cli(m));
            continue;
        }
        if obj == live {
            continue;
        }
        // A client dry run prints the object as changed here; otherwise as the server wrote it.
        let shown = match t.dry_run {
            DryRun::Client => obj,
            _ => match cluster.update(obj) {
                Ok(stored) => {
                    wrote = true;
                    stored
                }
                Err(e @ Error::Internal(_)) => return Err(e),
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            },
        };
        let index = lines.len();
        let updated = format!("{what} updated");
        lines.push(super::set_field::render(target.kind, &shown, t.output.as_ref(), &updated, t.dry_run, index)?);
    }
    if wrote && t.dry_run == DryRun::None {
        ctx.finish(cluster)?;
    } else {
        cluster.abandon()?;
    }
    for l in lines {
        ctx.out.write_all(l.as_bytes()).map_err(super::io)?;
    }
    finish_errors(errors)
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn container_globs() {
        assert!(glob("*", "nginx"));
        assert!(glob("ng*", "nginx"));
        assert!(glob("*x", "nginx"));
        assert!(!glob("side*", "nginx"));
        assert!(glob("nginx", "nginx"));
    }
}
