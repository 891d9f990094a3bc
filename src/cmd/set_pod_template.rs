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
/// refuses that object), writes the changed ones and prints `... {what} updated`; with `local`,
/// changes and prints the `-f` files' objects instead ([`update_local`]).
pub fn run(
    ctx: &mut Context,
    t: Targets,
    local: bool,
    verb: &str,
    what: &str,
    pattern: &str,
    change: impl Fn(&mut serde_json::Map<String, Value>) -> std::result::Result<(), String>,
) -> Result<()> {
    let edit = |obj: &mut Value, kind: &str| {
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
    };
    if local {
        return update_local(ctx, &t, what, edit);
    }
    update(ctx, &t, &format!("set {verb}"), what, edit)
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
            errors.push(Error::cli(format!("{}/{} {}", target.kind.plural, target.name, no_pod_template(&live))));
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
                    errors.push(super::set_field::patch_failed(what, e));
                    continue;
                }
            },
        };
        let index = lines.len();
        let updated = format!("{what} updated");
        lines.push(super::set_field::render_typed(target.kind, &shown, t.output.as_ref(), &updated, t.dry_run, index)?);
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

/// `--local`: the `-f` files' objects changed by `edit` and printed as kubectl prints its typed
/// objects, without the cluster. As kubectl's `CalculatePatches` loop: an object the change leaves
/// as it was prints nothing (an empty patch); a refusal from `edit` (`unable to find container
/// named`) is reported first, then one error per object without a pod template; the objects
/// that did change are printed before the errors.
pub fn update_local(
    ctx: &mut Context,
    t: &Targets,
    what: &str,
    edit: impl Fn(&mut Value, &str) -> std::result::Result<(), String>,
) -> Result<()> {
    if !t.resources.is_empty() || t.filenames.is_empty() {
        return Err(Error::cli(
            "you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'",
        ));
    }
    if t.dry_run == DryRun::Server {
        return Err(Error::cli("cannot specify --local and --dry-run=server - did you mean --dry-run=client?"));
    }
    let (mut out, mut refused, mut failed) = (String::new(), Vec::new(), Vec::new());
    let mut printed = 0;
    for doc in read_local(ctx, t.filenames, t.recursive)? {
        let kind = crate::cluster::Cluster::kind_of(&doc.value)?;
        if !has_pod_spec(kind.kind) {
            failed.push(format!("error: {} {}\n", local_name(kind, &doc.value), no_pod_template(&doc.value)));
            continue;
        }
        let before = crate::print::typed::normalize(&doc.value);
        let mut obj = doc.value;
        if let Err(m) = edit(&mut obj, kind.kind) {
            refused.push(format!("error: {m}"));
        }
        if crate::print::typed::normalize(&obj) == before {
            continue;
        }
        let updated = format!("{what} updated");
        out.push_str(&super::set_field::render_typed(kind, &obj, t.output.as_ref(), &updated, t.dry_run, printed)?);
        printed += 1;
    }
    ctx.out.write_all(out.as_bytes()).map_err(super::io)?;
    refused.extend(failed);
    collected_errors(refused)
}

/// The `-f` files' objects of a `--local` `set`, each read into its Go type as kubectl's builder
/// reads them: a value of the wrong type ends the command before anything is printed.
pub fn read_local(ctx: &mut Context, filenames: &[String], recursive: bool) -> Result<Vec<crate::manifest::Document>> {
    let docs = crate::manifest::read(filenames, recursive, ctx.stdin)?;
    for doc in &docs {
        if let Some(why) = crate::api::decode::type_error(&doc.value) {
            let source = crate::manifest::go_quote(&doc.source);
            return Err(Error::cli(format!("unable to decode {source}: {why}")));
        }
    }
    Ok(docs)
}

/// An object read from a file as kubectl's `Info.ObjectName` names it without a REST mapping:
/// `configmap/cfg`, or for a kind with a group `role.rbac.authorization.k8s.io/r` and a newline
/// (kubectl's format string ends in one).
pub fn local_name(kind: &crate::api::kinds::Kind, obj: &Value) -> String {
    use crate::api::ObjectExt;
    let newline = if kind.group.is_empty() { "" } else { "\n" };
    format!("{}/{}{newline}", kind.name_prefix(), obj.name())
}

/// `UpdatePodSpecForObject`'s refusal of a kind without a pod template, naming the Go type.
pub fn no_pod_template(obj: &Value) -> String {
    format!("the object is not a pod or does not have a pod template: {}", crate::api::decode::go_type(obj))
}

/// The errors a `set` command collected, each as Go's `err.Error()` (`error: configmap/cfg ...\n`,
/// `failed to patch ...`): one is printed as `CheckErr` prints it (`error: ` added when missing),
/// several one after another, each followed by a newline (`MultipleErrors`).
pub fn collected_errors(mut errors: Vec<String>) -> Result<()> {
    match errors.len() {
        0 => Ok(()),
        1 => {
            let one = errors.remove(0);
            let one = one.trim_end_matches('\n');
            Err(Error::Raw(if one.starts_with("error: ") { one.to_string() } else { format!("error: {one}") }))
        }
        _ => Err(Error::Aggregate(errors)),
    }
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
