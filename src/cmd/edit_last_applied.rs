//! `kstate apply edit-last-applied TYPE NAME|TYPE/NAME|-f FILE`: the objects'
//! `kubectl.kubernetes.io/last-applied-configuration` annotations open in the editor (YAML, or
//! JSON with `-o json`; several objects as one `List`) under kubectl's own header, and each saved
//! configuration that differs from the one shown becomes the annotation (compact JSON and a
//! newline, as kubectl's `GetApplyPatch` encodes it): `configmap/a edited`, else `configmap/a skipped`. Only the
//! annotation changes; the object's other fields stay as they are.

use serde_json::{json, Value};

use super::apply::LAST_APPLIED;
use super::{editor, Context};
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::print::json::to_compact_json;
use crate::{manifest, Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    pub filenames: Vec<String>,
    pub recursive: bool,
    /// `-o json`: edit JSON instead of YAML.
    pub json: bool,
    pub output_name: bool,
    pub crlf: bool,
    pub field_manager: Option<String>,
}

const HEADER: &str = "# Please edit the 'last-applied-configuration' annotations below.
# Lines beginning with a '#' will be ignored, and an empty file will abort the edit.
#
";

const NONE_FOUND: &str = "no last-applied-configuration annotation found on resources, to create the annotation, use command `kubectl apply set-last-applied --create-annotation`";

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let mut targets = req.resources.clone();
    if !req.filenames.is_empty() {
        targets.extend(super::last_applied::file_targets(ctx, &req.filenames, req.recursive)?);
    }
    if targets.is_empty() {
        return Err(Error::no_resources());
    }
    let parsed = super::parse_targets(&targets)?;
    if parsed.iter().any(|t| t.names.is_empty()) {
        return Err(Error::no_name());
    }
    let mut configs = Vec::new();
    let mut cluster = ctx.read()?;
    for t in &parsed {
        for name in &t.names {
            let Some(live) = cluster.get(&Key::new(t.kind, &ctx.namespace, name))? else {
                cluster.abandon()?;
                return Err(Error::not_found(&t.kind.resource(), name));
            };
            if let Some(text) = live.annotation(LAST_APPLIED) {
                configs.push(serde_json::from_str::<Value>(text).map_err(|e| Error::cli(e.to_string()))?);
            }
        }
    }
    cluster.abandon()?;
    if configs.is_empty() {
        return Err(Error::cli(NONE_FOUND));
    }
    let shown = match configs.as_slice() {
        [one] => one.clone(),
        many => json!({"apiVersion": "v1", "items": many, "kind": "List", "metadata": {}}),
    };
    let (ext, body) = match req.json {
        true => ("json", crate::print::json::to_json(&shown)),
        false => ("yaml", crate::print::yaml::to_yaml(&shown)),
    };
    let Some(saved) = editor::open(ctx, HEADER, &body, ext, req.crlf)? else { return Ok(()) };
    match save(ctx, &req, &configs, &saved.text) {
        Ok(lines) => {
            let _ = std::fs::remove_file(&saved.path);
            for l in lines {
                ctx.say(&l)?;
            }
            Ok(())
        }
        Err(e) => Err(editor::preserved(ctx, &saved, e)),
    }
}

/// Writes each edited configuration that changed; the lines to print.
fn save(ctx: &mut Context, req: &Request, originals: &[Value], text: &str) -> Result<Vec<String>> {
    let edited = manifest::yaml_to_json(text).map_err(|e| Error::cli(format!("error parsing edited file: {e}")))?;
    let items = match edited.kind() {
        "List" => edited.get("items").and_then(Value::as_array).cloned().unwrap_or_default(),
        _ => vec![edited],
    };
    let mut cluster = ctx.write()?;
    // kubectl records the change cause in the configuration it writes, not on the object.
    cluster.change_cause = None;
    cluster.field_manager = Some(req.field_manager.clone().unwrap_or_else(|| "kubectl-client-side-apply".into()));
    let (mut lines, mut wrote) = (Vec::new(), false);
    for mut item in items {
        if let Some(cause) = &ctx.change_cause {
            crate::api::object::set_annotation(&mut item, "kubernetes.io/change-cause", cause);
        }
        let kind = match Cluster::kind_of(&item) {
            Ok(k) => k,
            Err(e) => return abandon(cluster, e),
        };
        // kubectl pairs an edited configuration with the first shown one of the same uid.
        let uid = item.str_at("metadata.uid").to_string();
        let original = originals.iter().find(|o| o.str_at("metadata.uid") == uid);
        let line = format!("{}/{}", kind.name_prefix(), item.name());
        if original.is_none() {
            return abandon(cluster, Error::cli(format!("no original object found for {}", item.name())));
        }
        if original == Some(&item) {
            lines.push(if req.output_name { line } else { format!("{line} skipped") });
            continue;
        }
        let key = Key::new(kind, &ctx.namespace, item.name());
        let Some(mut live) = cluster.get(&key)? else {
            return abandon(cluster, Error::not_found(&kind.resource(), item.name()));
        };
        crate::api::object::set_annotation(&mut live, LAST_APPLIED, &format!("{}\n", to_compact_json(&item)));
        if let Err(e) = cluster.update(live) {
            return abandon(cluster, e);
        }
        wrote = true;
        lines.push(if req.output_name { line } else { format!("{line} edited") });
    }
    if wrote {
        ctx.finish(cluster)?;
    } else {
        cluster.abandon()?;
    }
    Ok(lines)
}

fn abandon<T>(cluster: Cluster, e: Error) -> Result<T> {
    cluster.abandon()?;
    Err(e)
}
