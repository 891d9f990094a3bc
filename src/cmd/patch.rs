//! `kstate patch TYPE NAME -p PATCH [--type strategic|merge|json]` (or `-f FILE -p PATCH`):
//! the API server's PATCH. Prints `patched`, or `patched (no change)` when the patched object is
//! what was stored.

use serde_json::Value;

use super::dry_run::DryRun;
use super::{parse_targets, Context};
use crate::api::kinds::Kind;
use crate::api::subresource::{self, Subresource, SCALE};
use crate::api::{convert, defaults, patch, ObjectExt};
use crate::cluster::{Cluster, Key};
use crate::manifest;
use crate::{Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub patch: Option<String>,
    pub patch_file: Option<String>,
    pub patch_type: String,
    /// `-o`: none prints kubectl's `patched` line, the others the object the server returned (a
    /// client dry run: the patched object), as `get` prints it.
    pub output: Option<crate::print::OutputFormat>,
    pub dry_run: DryRun,
    pub subresource: Option<Subresource>,
}

/// One object a verb acts on, as named on the command line or in `-f`.
#[derive(Debug, Clone)]
pub struct Named {
    pub kind: &'static Kind,
    pub namespace: String,
    pub name: String,
}

impl Named {
    pub fn key(&self) -> Key {
        Key::new(self.kind, &self.namespace, &self.name)
    }

    pub fn not_found(&self) -> Error {
        Error::not_found(&self.kind.resource(), &self.name)
    }
}

/// The objects named by `TYPE NAME...`, `TYPE/NAME...` or `-f`; `need_names` makes a bare type
/// an error (`patch`, `rollout`), otherwise a bare type comes back with an empty name.
pub fn named(ctx: &mut Context, resources: &[String], filenames: &[String], recursive: bool) -> Result<Vec<Named>> {
    let mut out = Vec::new();
    if !filenames.is_empty() {
        let docs = manifest::read(filenames, recursive, ctx.stdin)?;
        for mut doc in docs {
            convert::to_served(&mut doc.value, &doc.source)?;
            let kind = Cluster::kind_of(&doc.value)?;
            let namespace = if !ctx.namespace_given && !doc.value.namespace().is_empty() {
                doc.value.namespace().to_string()
            } else {
                ctx.namespace.clone()
            };
            out.push(Named { kind, namespace, name: doc.value.name().to_string() });
        }
        return Ok(out);
    }
    for target in parse_targets(resources)? {
        if target.names.is_empty() {
            out.push(Named { kind: target.kind, namespace: ctx.namespace.clone(), name: String::new() });
        }
        for name in target.names {
            out.push(Named { kind: target.kind, namespace: ctx.namespace.clone(), name });
        }
    }
    Ok(out)
}

/// A type without names stands for every object of that type in the namespace, by name, as
/// kubectl's `ResourceTypeOrNameArgs(true, ...)` selects them (`rollout undo daemonset`,
/// `set image deployments --all`).
pub fn every_of_type(ctx: &mut Context, targets: Vec<Named>) -> Result<Vec<Named>> {
    if targets.iter().all(|t| !t.name.is_empty()) {
        return Ok(targets);
    }
    let mut cluster = ctx.read()?;
    let mut out = Vec::new();
    for t in targets {
        if !t.name.is_empty() {
            out.push(t);
            continue;
        }
        let mut names: Vec<String> =
            cluster.list(t.kind, Some(&t.namespace))?.iter().map(|o| o.name().to_string()).collect();
        names.sort();
        out.extend(names.into_iter().map(|name| Named { kind: t.kind, namespace: t.namespace.clone(), name }));
    }
    cluster.abandon()?;
    Ok(out)
}

/// The patch types kubectl knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    Strategic,
    Merge,
    Json,
}

impl PatchType {
    fn parse(s: &str) -> Result<PatchType> {
        match s.to_ascii_lowercase().as_str() {
            "strategic" => Ok(PatchType::Strategic),
            "merge" => Ok(PatchType::Merge),
            "json" => Ok(PatchType::Json),
            _ => Err(Error::cli(format!("--type must be one of [json merge strategic], not \"{s}\""))),
        }
    }
}

/// Applies `p` of type `t` to `obj`; errors read as the API server's.
pub fn apply_patch(obj: &Value, p: &Value, t: PatchType) -> Result<Value> {
    let patched = match t {
        PatchType::Merge => Ok(patch::merge_patch(obj, p)),
        PatchType::Json => patch::json_patch(obj, p),
        PatchType::Strategic => patch::strategic_merge(obj, p),
    };
    let mut patched = patched.map_err(|m| Error::Raw(format!("Error from server: {m}")))?;
    patch::drop_empty_meta(&mut patched);
    Ok(patched)
}

/// Whether writing `patched` over `live` would change nothing (after the server's defaulting).
/// Whether the server would store nothing new for `patched` through the main resource (which
/// keeps the stored status, among other things).
pub fn no_change(live: &Value, patched: &Value) -> bool {
    let mut check = patched.clone();
    crate::api::strategy::prepare_update(live, &mut check);
    same_after_defaults(live, check)
}

fn same_after_defaults(live: &Value, mut check: Value) -> bool {
    defaults::apply(&mut check);
    &check == live
}

/// `patch --local -f FILE`: the patch applied to the manifests' objects and printed as `-o` asks
/// (none: kubectl's line), the cluster untouched.
pub fn run_local(ctx: &mut Context, req: Request) -> Result<()> {
    if !req.resources.is_empty() {
        return Err(Error::cli("cannot specify --local and server resources"));
    }
    let patch_type = PatchType::parse(&req.patch_type)?;
    let text = match (&req.patch, &req.patch_file) {
        (Some(p), _) => p.clone(),
        (None, Some(f)) => std::fs::read_to_string(f).map_err(|e| Error::cli(format!("open {f}: {}", io_text(&e))))?,
        (None, None) => {
            return Err(Error::cli("must specify --patch or --patch-file containing the contents of the patch"))
        }
    };
    if req.filenames.is_empty() {
        return Err(Error::no_resources_usage("patch"));
    }
    let patch_value =
        manifest::yaml_to_json(&text).map_err(|e| Error::cli(format!("unable to parse {:?}: {e}", text)))?;
    let mut out = String::new();
    for doc in manifest::read(&req.filenames, req.recursive, ctx.stdin)? {
        let kind = crate::cluster::Cluster::kind_of(&doc.value)?;
        let patched = apply_patch(&doc.value, &patch_value, patch_type)?;
        let op = if patched == doc.value { "patched (no change)" } else { "patched" };
        out.push_str(&super::set_field::render(kind, &patched, req.output.as_ref(), op, DryRun::None, 0)?);
    }
    ctx.out.write_all(out.as_bytes()).map_err(super::io)
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let patch_type = PatchType::parse(&req.patch_type)?;
    let text = match (&req.patch, &req.patch_file) {
        (Some(p), _) => p.clone(),
        (None, Some(f)) => std::fs::read_to_string(f).map_err(|e| Error::cli(format!("open {f}: {}", io_text(&e))))?,
        (None, None) => {
            return Err(Error::cli("must specify --patch or --patch-file containing the contents of the patch"))
        }
    };
    if req.resources.is_empty() && req.filenames.is_empty() {
        return Err(Error::no_resources_usage("patch"));
    }
    let patch_value =
        manifest::yaml_to_json(&text).map_err(|e| Error::cli(format!("unable to parse {:?}: {e}", text)))?;
    let targets = named(ctx, &req.resources, &req.filenames, req.recursive)?;
    if targets.iter().any(|t| t.name.is_empty()) {
        return Err(Error::no_name());
    }
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some("kubectl-patch".into());
    let mut lines = Vec::new();
    let mut errors: Vec<Error> = Vec::new();
    let mut wrote = false;
    for t in &targets {
        let Some(live) = cluster.get(&t.key())? else {
            errors.push(t.not_found());
            continue;
        };
        // kubectl's patch sends no `fieldValidation`, which the server reads as `Warn`: an
        // unknown field is dropped with a warning, a field of the wrong type is refused.
        let decoded = patch_subresource(&live, &patch_value, patch_type, req.subresource, t.kind).and_then(|mut p| {
            if req.subresource.is_none() {
                for warning in crate::api::decode::decode(&mut p, crate::api::decode::FieldValidation::Warn)? {
                    ctx.warn(&warning);
                }
            }
            Ok(p)
        });
        let patched = match decoded {
            Ok(p) => p,
            Err(Error::BadRequest(m)) if patch_type == PatchType::Strategic => {
                let restore = m
                    .split_once(": ")
                    .and_then(|(_, why)| crate::api::decode::restore::strategic_patch_error(why, &patch_value));
                errors.push(restore.map(Error::Raw).unwrap_or(Error::BadRequest(m)));
                continue;
            }
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let prefix =
            if req.subresource == Some(Subresource::Scale) { SCALE.name_prefix() } else { t.kind.name_prefix() };
        let line = format!("{prefix}/{}", t.name);
        let unchanged = match req.subresource {
            Some(Subresource::Status) => same_after_defaults(&live, patched.clone()),
            _ => no_change(&live, &patched),
        };
        let mut shown = if unchanged { live } else { patched };
        if !unchanged && req.dry_run != DryRun::Client {
            let written = if req.subresource == Some(Subresource::Status) {
                cluster.update_status(shown).map(|o| (*o).clone())
            } else {
                cluster.update(shown)
            };
            match written {
                Ok(stored) => {
                    wrote = true;
                    shown = stored;
                }
                Err(e @ Error::Internal(_)) => return Err(e),
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            }
        }
        let mut shown_kind = t.kind;
        if req.subresource == Some(Subresource::Scale) {
            shown = subresource::scale_of(&shown);
            shown_kind = &SCALE;
        }
        let op = if unchanged { "patched (no change)" } else { "patched" };
        let text = match &req.output {
            None => format!("{line} {op}{}\n", req.dry_run.suffix()),
            // kubectl makes a printer per object: YAML documents get no `---` between them.
            Some(f) => super::set_field::render(shown_kind, &shown, Some(f), op, req.dry_run, 0)?,
        };
        lines.push(text);
    }
    if wrote && req.dry_run == DryRun::None {
        ctx.finish(cluster)?;
    } else {
        cluster.abandon()?;
    }
    ctx.out.write_all(lines.concat().as_bytes()).map_err(super::io)?;
    finish_errors(errors)
}

/// Applies the patch to the object, or to its scale or status subresource.
fn patch_subresource(
    live: &Value,
    patch: &Value,
    patch_type: PatchType,
    subresource: Option<Subresource>,
    kind: &Kind,
) -> Result<Value> {
    match subresource {
        None => apply_patch(live, patch, patch_type),
        Some(Subresource::Scale) if subresource::has_scale(kind) => {
            let scale = apply_patch(&subresource::scale_of(live), patch, patch_type)?;
            Ok(subresource::apply_scale(live, &scale))
        }
        Some(Subresource::Scale) => Err(Error::NotFoundRaw("the server could not find the requested resource".into())),
        // The status subresource changes status only; whatever the patch says of the spec is dropped.
        Some(Subresource::Status) => {
            let patched = apply_patch(live, patch, patch_type)?;
            let mut next = live.clone();
            next["status"] = patched.get("status").cloned().unwrap_or(Value::Null);
            Ok(next)
        }
    }
}

/// Writes `obj` (a server dry run keeps nothing, as the command abandons the transaction) and
/// returns what was stored; an API refusal joins `errors` and gives `None`, an internal failure
/// ends the command.
pub(crate) fn update_returning(cluster: &mut Cluster, obj: Value, errors: &mut Vec<Error>) -> Result<Option<Value>> {
    match cluster.update(obj) {
        Ok(stored) => Ok(Some(stored)),
        Err(e @ Error::Internal(_)) => Err(e),
        Err(e) => {
            errors.push(e);
            Ok(None)
        }
    }
}

/// One error alone in its own form, several one per line (kubectl's aggregate).
pub fn finish_errors(mut errors: Vec<Error>) -> Result<()> {
    match errors.len() {
        0 => Ok(()),
        1 => Err(errors.remove(0)),
        _ => Err(Error::Aggregate(errors.iter().map(Error::server_message_line).collect())),
    }
}

fn io_text(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory",
        std::io::ErrorKind::PermissionDenied => "permission denied",
        _ => "input/output error",
    }
}

trait AggregateLine {
    fn server_message_line(&self) -> String;
}

impl AggregateLine for Error {
    /// The line of one error inside kubectl's multi-error output.
    fn server_message_line(&self) -> String {
        match self.reason() {
            Some(reason) => format!("Error from server ({reason}): {}", self.server_message()),
            None => crate::manifest::message_in_aggregate(self),
        }
    }
}
