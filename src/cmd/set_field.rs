//! What `set selector` and `set serviceaccount` share: kubectl's builder over `TYPE NAME...`,
//! `TYPE/NAME...`, `TYPE --all` or `-f` (or the `-f` manifests alone with `--local`), one change
//! per object, then `<prefix>/<name> <what> updated` or the object in the `-o` format.
//!
//! Unlike `set image` and `set env`, these two send their patch even when it changes nothing,
//! so kubectl prints `updated` for every object.

use serde_json::Value;

use super::dry_run::DryRun;
use super::patch::finish_errors;
use super::{io, parse_targets, Context};
use crate::api::kinds::Kind;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::print::{json, yaml, OutputFormat};
use crate::{Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub all: bool,
    pub local: bool,
    pub output: Option<OutputFormat>,
    pub dry_run: DryRun,
    /// `--resource-version` (set selector): the update's precondition.
    pub resource_version: Option<String>,
    /// `--field-manager` (default `kubectl-set`).
    pub field_manager: Option<String>,
}

/// The change: `Err` is the message that refuses this object.
pub type Change<'a> = dyn Fn(&mut Value, &'static Kind) -> std::result::Result<(), String> + 'a;

/// Runs `change` over the objects `req` names, printing `... {what} updated`.
pub fn run(ctx: &mut Context, req: Request, what: &str, change: &Change) -> Result<()> {
    if req.local {
        return run_local(ctx, &req, what, change);
    }
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some(req.field_manager.clone().unwrap_or_else(|| "kubectl-set".into()));
    let found = match find(ctx, &mut cluster, &req) {
        Ok(f) => f,
        Err(e) => {
            cluster.abandon()?;
            return Err(e);
        }
    };
    let (mut text, mut errors, mut wrote, mut count) = (String::new(), Vec::new(), false, 0);
    for item in found {
        let (kind, live) = match item {
            Ok(found) => found,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let mut obj = live.clone();
        if let Err(m) = change(&mut obj, kind) {
            errors.push(Error::cli(m));
            continue;
        }
        if let Some(rv) = &req.resource_version {
            crate::api::object::set_at(&mut obj, "metadata.resourceVersion", Value::String(rv.clone()));
        }
        let printed = if req.dry_run == DryRun::Client {
            // `--record`'s annotation is on what a client dry run prints, as with kubectl.
            if let Some(cause) = &ctx.change_cause {
                crate::api::object::set_annotation(&mut obj, "kubernetes.io/change-cause", cause);
            }
            obj
        } else {
            match cluster.update(obj) {
                Ok(stored) => {
                    wrote = true;
                    stored
                }
                Err(e @ Error::Internal(_)) => return Err(e),
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            }
        };
        text.push_str(&render(kind, &printed, req.output.as_ref(), &format!("{what} updated"), req.dry_run, count)?);
        count += 1;
    }
    if wrote && req.dry_run == DryRun::None {
        ctx.finish(cluster)?;
    } else {
        cluster.abandon()?;
    }
    ctx.out.write_all(text.as_bytes()).map_err(io)?;
    finish_errors(errors)
}

type Found = Result<(&'static Kind, Value)>;

/// The objects, in kubectl's order; a missing one is an error in its place.
fn find(ctx: &mut Context, cluster: &mut Cluster, req: &Request) -> Result<Vec<Found>> {
    let mut out = Vec::new();
    if !req.filenames.is_empty() {
        for named in super::patch::named(ctx, &[], &req.filenames, req.recursive)? {
            out.push(match cluster.get(&named.key())? {
                Some(obj) => Ok((named.kind, obj)),
                None => Err(named.not_found()),
            });
        }
        return Ok(out);
    }
    if req.resources.is_empty() {
        return Err(Error::no_resources());
    }
    let targets = parse_targets(&req.resources)?;
    if !req.all && targets.iter().any(|t| t.names.is_empty()) {
        return Err(Error::no_name());
    }
    for target in targets {
        if target.names.is_empty() {
            cluster.load(target.kind, Some(&ctx.namespace))?;
            let objects: Vec<Value> = cluster.iter(target.kind, Some(&ctx.namespace)).cloned().collect();
            out.extend(objects.into_iter().map(|o| Ok((target.kind, o))));
            continue;
        }
        for name in &target.names {
            let key = Key::new(target.kind, &ctx.namespace, name);
            out.push(match cluster.get(&key)? {
                Some(obj) => Ok((target.kind, obj)),
                None => Err(Error::not_found(&target.kind.resource(), name)),
            });
        }
    }
    Ok(out)
}

/// `--local`: the manifests' objects, changed and printed, without the cluster.
fn run_local(ctx: &mut Context, req: &Request, what: &str, change: &Change) -> Result<()> {
    if req.filenames.is_empty() {
        return Err(Error::cli(
            "you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'",
        ));
    }
    if req.dry_run == DryRun::Server {
        return Err(Error::cli("cannot specify --local and --dry-run=server - did you mean --dry-run=client?"));
    }
    let mut text = String::new();
    let docs = crate::manifest::read(&req.filenames, req.recursive, ctx.stdin)?;
    for (index, doc) in docs.into_iter().enumerate() {
        let kind = Cluster::kind_of(&doc.value)?;
        let mut obj = doc.value;
        change(&mut obj, kind).map_err(Error::cli)?;
        text.push_str(&render(kind, &obj, req.output.as_ref(), &format!("{what} updated"), req.dry_run, index)?);
    }
    ctx.out.write_all(text.as_bytes()).map_err(io)
}

/// One object as `-o` asks: the `{what}` line (`selector updated`, `scaled`), its name, or the
/// object without managedFields (`index` counts the objects before: YAML ones after the first
/// start with `---`, as kubectl's YAML printer does).
pub fn render(
    kind: &Kind,
    obj: &Value,
    output: Option<&OutputFormat>,
    what: &str,
    dry_run: DryRun,
    index: usize,
) -> Result<String> {
    let line = format!("{}/{}", kind.name_prefix(), obj.name());
    let mut shown = obj.clone();
    if let Some(meta) = shown.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    Ok(match output {
        None => format!("{line} {what}{}\n", dry_run.suffix()),
        Some(OutputFormat::Name) => format!("{line}\n"),
        Some(OutputFormat::Yaml) if index > 0 => format!("---\n{}", yaml::to_yaml(&shown)),
        Some(OutputFormat::Yaml) => yaml::to_yaml(&shown),
        Some(OutputFormat::Json) => json::to_json(&shown),
        Some(OutputFormat::JsonPath(t)) => crate::print::jsonpath::render(t, &shown).map_err(Error::cli)?,
        Some(OutputFormat::JsonPathAsJson(t)) => {
            crate::print::jsonpath::render_as_json(t, &shown).map_err(Error::cli)?
        }
        Some(OutputFormat::GoTemplate(t)) => crate::print::gotemplate::render(t, &shown).map_err(Error::cli)?,
        Some(_) => String::new(),
    })
}
