//! `kstate replace -f FILE|DIR|-`: each manifest replaces the live object whole (`PUT`), with its
//! `metadata.resourceVersion`, if any, as a precondition; `replaced` per object. `--force`
//! deletes the object (immediately) and creates it from the manifest: `deleted`, then `replaced`.
//! `--dry-run=client|server` prints `replaced (dry run)` / `replaced (server dry run)` and keeps
//! nothing.

use serde_json::Value;

use super::create::{decode_request, read_filenames, report_visit, to_served_doc, visit_entries};
use super::dry_run::DryRun;
use super::Context;
use crate::api::decode::FieldValidation;
use crate::api::object::{remove_at, set_at};
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key, Propagation};
use crate::manifest::Document;
use crate::{Error, Result};

pub struct Request {
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub force: bool,
    pub output_name: bool,
    pub validation: FieldValidation,
    pub dry_run: DryRun,
    /// `--save-config`: the manifest becomes the last-applied annotation, as `create` writes it.
    pub save_config: bool,
}

struct Outcome {
    written: usize,
    errors: Vec<(Error, String)>,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let entries = read_filenames(ctx, &req.filenames, req.recursive, req.validation, "replace")?;
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some("kubectl-replace".into());
    let mut out = Outcome { written: 0, errors: Vec::new() };
    let visit = visit_entries(entries, |doc| replace_doc(ctx, &mut cluster, doc, &req, &mut out))?;
    if out.written > 0 && req.dry_run == DryRun::None {
        ctx.finish(cluster)?;
    } else {
        cluster.abandon()?;
    }
    report_visit(out.errors, visit, "replacing")
}

fn replace_doc(
    ctx: &mut Context,
    cluster: &mut Cluster,
    doc: Document,
    req: &Request,
    out: &mut Outcome,
) -> Result<Option<Error>> {
    let Document { source, value: mut obj, list_item, .. } = doc;
    if let Err(e) = to_served_doc(ctx, &mut obj, &source, list_item.is_some()) {
        return Ok(Some(e));
    }
    let kind = match Cluster::kind_of(&obj) {
        Ok(k) => k,
        Err(e) => return Ok(Some(e)),
    };
    if kind.namespaced {
        let namespace = if !ctx.namespace_given && !obj.namespace().is_empty() {
            obj.namespace().to_string()
        } else {
            ctx.namespace.clone()
        };
        set_at(&mut obj, "metadata.namespace", Value::String(namespace));
    }
    if req.save_config {
        super::apply::with_last_applied(&mut obj)?;
    }
    if let Err(e) = decode_request(ctx, &mut obj, req.validation) {
        out.errors.push((e, source));
        return Ok(None);
    }
    let line = format!("{}/{}", kind.name_prefix(), obj.name());
    // A client dry run only checks the object; a server dry run is the whole update, then
    // abandoned with the transaction.
    let result = match (req.force, req.dry_run) {
        (true, _) => force_replace(ctx, cluster, obj),
        (false, DryRun::Client) => Ok(()),
        (false, _) => cluster.update(obj).map(|_| ()),
    };
    match result {
        Ok(()) => {
            out.written += 1;
            let line = if req.output_name { line } else { format!("{line} replaced{}", req.dry_run.suffix()) };
            ctx.say(&line)?;
            Ok(None)
        }
        Err(e @ Error::Internal(_)) => Err(e),
        Err(e) if e.reason().is_some() => {
            out.errors.push((e, source));
            Ok(None)
        }
        Err(e) => Ok(Some(e)),
    }
}

/// Delete, wait for the object to be gone (here: delete with no grace), create.
fn force_replace(ctx: &mut Context, cluster: &mut Cluster, mut obj: Value) -> Result<()> {
    let kind = Cluster::kind_of(&obj)?;
    let key = Key::new(kind, obj.namespace(), obj.name());
    if cluster.get(&key)?.is_some() {
        cluster.delete(&key, Propagation::Background, Some(0))?;
        crate::controller::converge(cluster)?;
        ctx.say(&format!("{} \"{}\" deleted", kind.name_prefix(), key.name))?;
    }
    remove_at(&mut obj, "metadata.resourceVersion");
    let namespace = obj.namespace().to_string();
    cluster.create(obj, &namespace).map(|_| ())
}
