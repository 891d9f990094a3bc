//! `kstate edit TYPE NAME`: writes the object as YAML (or JSON with `-o json`) under kubectl's
//! header comment to a temporary file, runs `$KUBE_EDITOR`, else `$EDITOR`, else `vi` on it, and
//! updates the object with what was saved. An unchanged file prints `Edit cancelled, no changes
//! made.`; an empty one `Edit cancelled, saved file was empty.`. When the update is rejected the
//! file is reopened once with the errors in the header, as kubectl does; saving it without a
//! change then gives up, leaving a copy of the changes behind. An edit of an object that changed
//! (Conflict) or went away meanwhile is not reopened: the file is kept for `replace -f`.
//! `edit TYPE` (no name) edits the kind's objects as one List; `--output-patch` prints the
//! strategic merge patch of each edit; `--windows-line-endings` writes the file with CRLF.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::patch::{finish_errors, named};
use super::Context;
use crate::api::kinds::Kind;
use crate::api::ObjectExt;
use crate::print::{json::to_json, yaml::to_yaml};
use crate::{manifest, Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub json: bool,
    pub output_name: bool,
    /// `--output-patch`: print `Patch: {...}` (the two-way strategic merge patch) per edit.
    pub output_patch: bool,
    /// `--windows-line-endings`: the editor's file has CRLF line endings.
    pub windows_line_endings: bool,
    /// `--save-config`: the saved object carries the last-applied annotation, as `apply` writes it.
    pub save_config: bool,
}

pub(super) const HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
";

fn editor() -> String {
    for var in ["KUBE_EDITOR", "EDITOR"] {
        if let Ok(v) = std::env::var(var) {
            if !v.trim().is_empty() {
                return v;
            }
        }
    }
    "vi".to_string()
}

/// Runs the editor on `path` through the shell, as kubectl does for editors with arguments.
pub(super) fn launch(path: &Path) -> Result<()> {
    let editor = editor();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(path)
        .status()
        .map_err(|e| Error::cli(format!("unable to launch the editor {editor:?}: {e}")))?;
    if !status.success() {
        return Err(Error::cli(format!("there was a problem with the editor {editor:?}")));
    }
    Ok(())
}

/// The file's text without comment lines (kubectl's `StripComments`).
pub(super) fn strip_comments(text: &str) -> String {
    text.lines().filter(|l| !l.trim_start().starts_with('#')).map(|l| format!("{l}\n")).collect()
}

pub(super) fn temp_path(ext: &str) -> PathBuf {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    std::env::temp_dir().join(format!("kubectl-edit-{}{nanos}.{ext}", std::process::id()))
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    if req.resources.is_empty() && req.filenames.is_empty() {
        return Err(Error::no_resources_usage("edit"));
    }
    let targets = named(ctx, &req.resources, &req.filenames, req.recursive)?;
    if let [only] = targets.as_slice() {
        if only.name.is_empty() {
            return edit_list(ctx, &req, only.kind, &only.namespace);
        }
    }
    if targets.iter().any(|t| t.name.is_empty()) {
        return Err(Error::no_name());
    }
    let mut errors = Vec::new();
    for t in &targets {
        let live = {
            let mut cluster = ctx.read()?;
            let obj = cluster.get(&t.key())?;
            cluster.abandon()?;
            obj
        };
        let Some(live) = live else {
            errors.push(t.not_found());
            continue;
        };
        if let Err(e) = edit_one(ctx, &req, &t.kind.name_prefix(), &t.kind.resource(), live) {
            if targets.len() == 1 {
                return Err(e);
            }
            errors.push(e);
        }
    }
    finish_errors(errors)
}

fn edit_one(ctx: &mut Context, req: &Request, prefix: &str, resource: &str, mut live: Value) -> Result<()> {
    crate::api::managed::hide(&mut live);
    let (ext, body) = if req.json { ("json", to_json(&live)) } else { ("yaml", to_yaml(&live)) };
    let original = body.clone();
    let path = temp_path(ext);
    let mut header = HEADER.to_string();
    let mut previous: Option<String> = None;
    loop {
        let shown = match &previous {
            Some(p) => p.clone(),
            None => original.clone(),
        };
        let text = format!("{header}{shown}");
        let text = if req.windows_line_endings { text.replace('\n', "\r\n") } else { text };
        std::fs::write(&path, text).map_err(super::io)?;
        launch(&path)?;
        let edited = std::fs::read_to_string(&path).map_err(super::io)?;
        let stripped = strip_comments(&edited);
        if stripped.trim().is_empty() {
            let _ = std::fs::remove_file(&path);
            return ctx.say_err("Edit cancelled, saved file was empty.");
        }
        if previous.is_none() && stripped == strip_comments(&original) {
            let _ = std::fs::remove_file(&path);
            return ctx.say_err("Edit cancelled, no changes made.");
        }
        if previous.as_deref().is_some_and(|p| strip_comments(p) == stripped) {
            ctx.say_err(&format!("A copy of your changes has been stored to {:?}", path.display().to_string()))?;
            return Err(Error::cli("Edit cancelled, no valid changes were saved."));
        }
        let result = match manifest::yaml_to_json(&stripped) {
            Err(e) => Err(format!("# The edited file had a syntax error: {e}\n#\n")),
            Ok(obj) => match save(ctx, obj, &live, req.output_patch, req.save_config) {
                Ok(changed) => Ok(changed),
                Err(e @ (Error::Conflict { .. } | Error::NotFound { .. })) => {
                    return keep_for_retry(ctx, resource, live.name(), &path, &e)
                }
                Err(e) => Err(invalid_header(resource, live.name(), &e)),
            },
        };
        match result {
            Ok(changed) => {
                let _ = std::fs::remove_file(&path);
                let line = format!("{prefix}/{}", live.name());
                if req.output_name {
                    return ctx.say(&line);
                }
                return ctx.say(&format!("{line} {}", if changed { "edited" } else { "skipped" }));
            }
            Err(err_header) => {
                header = format!("{HEADER}{err_header}");
                previous = Some(stripped);
            }
        }
    }
}

/// `edit TYPE` without a name: every object of the kind in one `kind: List` file. Each item
/// saved changed is updated (`edited`), the others are left alone. Unlike a single object, a
/// rejected item is reported without reopening the file.
fn edit_list(ctx: &mut Context, req: &Request, kind: &'static Kind, namespace: &str) -> Result<()> {
    let mut live = {
        let mut cluster = ctx.read()?;
        let objects = cluster.list(kind, kind.namespaced.then_some(namespace))?;
        cluster.abandon()?;
        objects
    };
    live.iter_mut().for_each(crate::api::managed::hide);
    // kubectl's editor builds its own List: its metadata is empty (not `resourceVersion: ""`).
    let list = serde_json::json!({"apiVersion": "v1", "items": live.clone(), "kind": "List", "metadata": {}});
    let (ext, body) = if req.json { ("json", to_json(&list)) } else { ("yaml", to_yaml(&list)) };
    let path = temp_path(ext);
    let text = format!("{HEADER}{body}");
    std::fs::write(&path, if req.windows_line_endings { text.replace('\n', "\r\n") } else { text })
        .map_err(super::io)?;
    launch(&path)?;
    let edited = std::fs::read_to_string(&path).map_err(super::io)?;
    let _ = std::fs::remove_file(&path);
    let stripped = strip_comments(&edited);
    if stripped.trim().is_empty() {
        return ctx.say_err("Edit cancelled, saved file was empty.");
    }
    if stripped == strip_comments(&body) {
        return ctx.say_err("Edit cancelled, no changes made.");
    }
    let edited = manifest::yaml_to_json(&stripped).map_err(|e| Error::cli(e.to_string()))?;
    let items = edited.get("items").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut errors = Vec::new();
    for item in items {
        let Some(old) = live.iter().find(|o| o.name() == item.name()) else {
            errors.push(Error::cli("At least one of apiVersion, kind and name was changed"));
            continue;
        };
        if item == *old {
            continue;
        }
        match save(ctx, item.clone(), old, req.output_patch, req.save_config) {
            Ok(_) => {
                let line = format!("{}/{}", kind.name_prefix(), item.name());
                ctx.say(&if req.output_name { line.clone() } else { format!("{line} edited") })?;
            }
            Err(e) => errors.push(e),
        }
    }
    finish_errors(errors)
}

/// A stale edit (the object changed or went away meanwhile) is not reopened: kubectl leaves the
/// edited file behind and says how to retry it.
fn keep_for_retry(ctx: &mut Context, resource: &str, name: &str, path: &Path, e: &Error) -> Result<()> {
    let file = path.display();
    if matches!(e, Error::NotFound { .. }) {
        ctx.say_err(&format!("error: {resource} {name:?} could not be found on the server"))?;
        ctx.say_err(&format!("The edits you made on deleted resources have been saved to \"{file}\""))?;
    } else {
        ctx.say_err(&format!("error: {resource} {name:?} could not be patched: {}", e.server_message()))?;
        ctx.say_err(&format!("You can run `kubectl replace -f {file}` to try this update again."))?;
    }
    Err(Error::Silent(1))
}

/// The header lines kubectl adds above a rejected edit.
fn invalid_header(resource: &str, name: &str, e: &Error) -> String {
    let mut s = format!("# {resource} {name:?} was not valid:\n");
    match e {
        Error::Invalid { causes, .. } => {
            for c in causes {
                s.push_str(&format!("# * {c}\n"));
            }
        }
        other => s.push_str(&format!("# * {}\n", crate::manifest::message_in_aggregate(other))),
    }
    s.push_str("#\n");
    s
}

/// Writes the edited object; `Ok(false)` when it equals the stored one. With `--output-patch`
/// the patch kubectl would send is printed first; with `--save-config` the saved object carries
/// the last-applied annotation, as `apply` writes it.
fn save(ctx: &mut Context, mut edited: Value, live: &Value, output_patch: bool, save_config: bool) -> Result<bool> {
    if edited.name() != live.name() || edited.kind() != live.kind() {
        return Err(Error::cli("At least one of apiVersion, kind and name was changed"));
    }
    if output_patch && edited != *live {
        let patch = crate::api::two_way_patch::create(live, &edited);
        ctx.say(&format!("Patch: {}", crate::print::json::to_compact_json(&patch)))?;
    }
    crate::api::decode::decode(&mut edited, crate::api::decode::FieldValidation::Strict)?;
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some("kubectl-edit".into());
    if super::patch::no_change(live, &edited) {
        cluster.abandon()?;
        return Ok(false);
    }
    if save_config {
        super::apply::with_last_applied(&mut edited)?;
    }
    match cluster.update(edited) {
        Ok(_) => {
            ctx.finish(cluster)?;
            Ok(true)
        }
        Err(e) => {
            cluster.abandon()?;
            Err(e)
        }
    }
}
