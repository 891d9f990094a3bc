//! `kstate create -f FILE --edit`: each object of the manifests opens in the editor (as YAML, its
//! namespace filled in, under `edit`'s header) and what was saved is created, printing
//! `kind/name created`, as kubectl's `RunEditOnCreate` does one object at a time.

use serde_json::Value;

use super::dry_run::DryRun;
use super::{editor, Context};
use crate::api::decode::FieldValidation;
use crate::api::kinds::Kind;
use crate::api::ObjectExt;
use crate::cluster::Cluster;
use crate::{manifest, Error, Result};

pub struct Request {
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub dry_run: DryRun,
    pub validation: FieldValidation,
    pub output: Option<crate::print::OutputFormat>,
    /// `--windows-line-endings`.
    pub crlf: bool,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    if req.filenames.is_empty() {
        return Err(Error::no_resources());
    }
    let docs = manifest::read(&req.filenames, req.recursive, ctx.stdin)?;
    for (index, doc) in docs.into_iter().enumerate() {
        let mut obj = doc.value;
        super::create::to_served_doc(ctx, &mut obj, &doc.source, false)?;
        let kind = Cluster::kind_of(&obj)?;
        if kind.namespaced && obj.namespace().is_empty() {
            crate::api::object::set_at(&mut obj, "metadata.namespace", Value::String(ctx.namespace.clone()));
        }
        let body = crate::print::yaml::to_yaml(&obj);
        let Some(saved) = editor::open(ctx, super::edit::HEADER, &body, "yaml", req.crlf)? else { continue };
        let (kind, created) = match create_one(ctx, &saved.text, &req) {
            Ok(done) => done,
            Err(e) => return Err(editor::preserved(ctx, &saved, e)),
        };
        let _ = std::fs::remove_file(&saved.path);
        let text = super::set_field::render(kind, &created, req.output.as_ref(), "created", req.dry_run, index)?;
        ctx.out.write_all(text.as_bytes()).map_err(super::io)?;
    }
    Ok(())
}

/// Creates what the user saved: its kind and the stored object.
fn create_one(ctx: &mut Context, text: &str, req: &Request) -> Result<(&'static Kind, Value)> {
    let mut obj = manifest::yaml_to_json(text).map_err(|e| Error::cli(format!("error parsing edited file: {e}")))?;
    let kind = Cluster::kind_of(&obj)?;
    super::create::decode_request(ctx, &mut obj, req.validation)?;
    let mut cluster = ctx.write()?;
    // `RunEditOnCreate` is handed `create`'s field manager.
    cluster.field_manager = Some("kubectl-create".into());
    Ok((kind, ctx.create_built(cluster, obj, req.dry_run)?))
}
