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
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::print::{json, yaml, OutputFormat};
use crate::{Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub all: bool,
    /// `-l`: a bare type names its objects with these labels (set subject).
    pub selector: Option<String>,
    pub local: bool,
    pub output: Option<OutputFormat>,
    pub dry_run: DryRun,
    /// `--resource-version` (set selector): the update's precondition.
    pub resource_version: Option<String>,
    /// `--field-manager` (default `kubectl-set`).
    pub field_manager: Option<String>,
}

/// Why a change refuses an object.
pub enum Refusal {
    /// kubectl's message as it is (`setting a selector is only supported for Services`).
    Message(String),
    /// The kind has no pod template (`set serviceaccount`): kubectl names the object, which reads
    /// differently for an object from the cluster and one from a `--local` file.
    NoPodTemplate,
}

/// The change: `Err` refuses this object.
pub type Change<'a> = dyn Fn(&mut Value, &'static Kind) -> std::result::Result<(), Refusal> + 'a;

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
        match change(&mut obj, kind) {
            Ok(()) => {}
            Err(Refusal::Message(m)) => {
                errors.push(Error::cli(m));
                continue;
            }
            Err(Refusal::NoPodTemplate) => {
                let no_template = super::set_pod_template::no_pod_template(&obj);
                errors.push(Error::cli(format!("{}/{} {no_template}", kind.plural, obj.name())));
                continue;
            }
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
                    errors.push(patch_failed(what, e));
                    continue;
                }
            }
        };
        // kubectl prints each object after the server took its change: a printer that fails
        // (go-yaml's refusal, a jsonpath that does not parse) ends the command, keeping the changes.
        match render_typed(kind, &printed, req.output.as_ref(), &format!("{what} updated"), req.dry_run, count) {
            Ok(shown) => text.push_str(&shown),
            Err(e) => {
                errors.push(e);
                break;
            }
        }
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

/// kubectl's wrapping of a patch the server refused, per `set` command (named by the word of its
/// `... updated` line): `failed to patch image update to pod template: Pod "web" is invalid: ...`.
/// `set selector` passes the server's error on as it is.
pub fn patch_failed(what: &str, e: Error) -> Error {
    let prefix = match what {
        "image" => "failed to patch image update to pod template: ",
        "env" => "failed to patch env update to pod template: ",
        // No colon in kubectl's format string.
        "resource requirements" => "failed to patch resources update to pod template ",
        "serviceaccount" => "failed to patch ServiceAccountName ",
        "subjects" => "failed to patch subjects to rolebinding: ",
        _ => return e,
    };
    Error::cli(format!("{prefix}{}", e.server_message()))
}

type Found = Result<(&'static Kind, Value)>;

/// The objects, in kubectl's order; a missing one is an error in its place.
pub(crate) fn find(ctx: &mut Context, cluster: &mut Cluster, req: &Request) -> Result<Vec<Found>> {
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
    let selector = req.selector.as_deref().map(Selector::parse).transpose().map_err(Error::cli)?;
    if selector.is_some() && targets.iter().any(|t| !t.names.is_empty()) {
        return Err(Error::cli("name cannot be provided when a selector is specified"));
    }
    if !req.all && selector.is_none() && targets.iter().any(|t| t.names.is_empty()) {
        return Err(Error::no_name());
    }
    for target in targets {
        if target.names.is_empty() {
            cluster.load(target.kind, Some(&ctx.namespace))?;
            let objects: Vec<Value> = cluster
                .iter(target.kind, Some(&ctx.namespace))
                .filter(|o| selector.as_ref().is_none_or(|s| s.matches_object(o)))
                .cloned()
                .collect();
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
    let (mut text, mut failed, mut printed) = (String::new(), Vec::new(), 0);
    let docs = super::set_pod_template::read_local(ctx, &req.filenames, req.recursive)?;
    for doc in docs {
        let kind = Cluster::kind_of(&doc.value)?;
        let mut obj = doc.value;
        match change(&mut obj, kind) {
            Ok(()) => {}
            // `set selector` stops at the first object it cannot change.
            Err(Refusal::Message(m)) => {
                ctx.out.write_all(text.as_bytes()).map_err(io)?;
                return Err(Error::cli(m));
            }
            // `set serviceaccount` reports the object and goes on to the next.
            Err(Refusal::NoPodTemplate) => {
                let name = super::set_pod_template::local_name(kind, &obj);
                failed.push(format!("error: {name} {}\n", super::set_pod_template::no_pod_template(&obj)));
                continue;
            }
        }
        text.push_str(&render_typed(
            kind,
            &obj,
            req.output.as_ref(),
            &format!("{what} updated"),
            req.dry_run,
            printed,
        )?);
        printed += 1;
    }
    ctx.out.write_all(text.as_bytes()).map_err(io)?;
    super::set_pod_template::collected_errors(failed)
}

/// One object as `-o` asks: the `{what}` line (`selector updated`, `scaled`), its name, or the
/// object without managedFields (`index` counts the objects before: YAML ones after the first
/// start with `---`, as kubectl's YAML printer does). For an object kubectl holds unstructured
/// (`scale`); the `set` commands print theirs typed, [`render_typed`].
pub fn render(
    kind: &Kind,
    obj: &Value,
    output: Option<&OutputFormat>,
    what: &str,
    dry_run: DryRun,
    index: usize,
) -> Result<String> {
    render_as(kind, obj, output, what, dry_run, index, false)
}

/// [`render`] for an object kubectl decoded into its Go type (the `set` commands' builder has
/// kubectl's scheme): printed as Go encodes the struct, print::typed.
pub fn render_typed(
    kind: &Kind,
    obj: &Value,
    output: Option<&OutputFormat>,
    what: &str,
    dry_run: DryRun,
    index: usize,
) -> Result<String> {
    render_as(kind, obj, output, what, dry_run, index, true)
}

fn render_as(
    kind: &Kind,
    obj: &Value,
    output: Option<&OutputFormat>,
    what: &str,
    dry_run: DryRun,
    index: usize,
    typed: bool,
) -> Result<String> {
    let line = format!("{}/{}", kind.name_prefix(), obj.name());
    let mut shown = if typed { crate::print::typed::normalize(obj) } else { obj.clone() };
    if let Some(meta) = shown.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    Ok(match output {
        None => format!("{line} {what}{}\n", dry_run.suffix()),
        Some(OutputFormat::Name) => format!("{line}\n"),
        Some(OutputFormat::Yaml) if index > 0 => format!("---\n{}", yaml::checked(&shown).map_err(Error::cli)?),
        Some(OutputFormat::Yaml) => yaml::checked(&shown).map_err(Error::cli)?,
        Some(OutputFormat::Json) if typed => crate::print::typed::to_json(&shown),
        Some(OutputFormat::Json) => json::to_json(&shown),
        Some(OutputFormat::JsonPath(t)) => crate::print::jsonpath::render(t, &shown).map_err(Error::cli)?,
        Some(OutputFormat::JsonPathAsJson(t)) => {
            crate::print::jsonpath::render_as_json(t, &shown).map_err(Error::cli)?
        }
        Some(OutputFormat::GoTemplate(t)) => crate::print::gotemplate::render(t, &shown).map_err(Error::cli)?,
        Some(_) => String::new(),
    })
}
