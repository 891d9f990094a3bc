//! `kstate apply -f FILE|DIR|-`: client-side apply. A new object is created with the
//! `kubectl.kubernetes.io/last-applied-configuration` annotation; an existing one gets the
//! three-way merge of that annotation, the manifest and the live object (`api::patch::three_way`).
//! Each object prints `created`, `configured` or `unchanged`; documents are read and errors
//! reported as `create` does (kubectl's builder order).

use serde_json::{Map, Value};

use super::apply_server_side::{self, Applied, Options};
use super::create::report_visit;
use super::dry_run::DryRun;
use super::Context;
use crate::api::decode::FieldValidation;
use crate::api::object::set_at;
use crate::api::{patch, ObjectExt};
use crate::cluster::{Cluster, Key};
use crate::manifest::Document;
use crate::print::json::to_compact_json;
use crate::{Error, Result};

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

pub struct Request {
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub output_name: bool,
    pub dry_run: DryRun,
    pub validation: FieldValidation,
    /// `--server-side`: the field manager (`--field-manager`, default `kubectl`) and
    /// `--force-conflicts`.
    pub server_side: Option<ServerSide>,
    /// `--field-manager` of a client-side apply.
    pub field_manager: Option<String>,
}

pub struct ServerSide {
    pub manager: String,
    pub force: bool,
}

struct Outcome {
    output_name: bool,
    dry_run: DryRun,
    validation: FieldValidation,
    server_side: Option<ServerSide>,
    written: usize,
    /// API errors with their source and kubectl's verb for them.
    errors: Vec<(Error, String, &'static str)>,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let entries = super::create::read_filenames(ctx, &req.filenames, req.recursive, req.validation, "apply")?;
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some(req.field_manager.clone().unwrap_or_else(|| "kubectl-client-side-apply".into()));
    let mut out = Outcome {
        output_name: req.output_name,
        dry_run: req.dry_run,
        validation: req.validation,
        server_side: req.server_side,
        written: 0,
        errors: Vec::new(),
    };
    let visit = super::create::visit_entries(entries, |doc| apply_doc(ctx, &mut cluster, doc, &mut out))?;
    if out.written > 0 && req.dry_run == DryRun::None {
        ctx.finish(cluster)?;
    } else {
        cluster.abandon()?;
    }
    // One verb names the failed requests (`error when creating` / `error when applying patch`).
    let verb = out.errors.first().map(|(_, _, v)| *v).unwrap_or("applying patch");
    let errors = out.errors.into_iter().map(|(e, source, _)| (e, source)).collect();
    report_visit(errors, visit, verb)
}

/// The manifest as kubectl sends it: the served version, its namespace filled in, the
/// last-applied annotation set to the manifest itself (without that annotation).
pub fn with_last_applied(obj: &mut Value) -> Result<()> {
    let mut annotations = match obj.at("metadata.annotations") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    annotations.remove(LAST_APPLIED);
    set_at(obj, "metadata.annotations", Value::Object(annotations));
    let text = format!("{}\n", to_compact_json(obj));
    if let Some(m) = obj.pointer_mut("/metadata/annotations").and_then(Value::as_object_mut) {
        m.insert(LAST_APPLIED.to_string(), Value::String(text));
    }
    Ok(())
}

fn apply_doc(ctx: &mut Context, cluster: &mut Cluster, doc: Document, out: &mut Outcome) -> Result<Option<Error>> {
    let Document { source, value: mut obj, list_item, .. } = doc;
    if let Err(e) = super::create::to_served_doc(ctx, &mut obj, &source, list_item.is_some()) {
        return Ok(Some(e));
    }
    let kind = match Cluster::kind_of(&obj) {
        Ok(k) => k,
        Err(e) => return Ok(Some(e)),
    };
    let namespace = if !ctx.namespace_given && !obj.namespace().is_empty() {
        obj.namespace().to_string()
    } else {
        ctx.namespace.clone()
    };
    if kind.namespaced {
        let given = obj.namespace().to_string();
        if !given.is_empty() && given != namespace {
            return Ok(Some(Error::cli(format!(
                "the namespace from the provided object \"{given}\" does not match the namespace \"{namespace}\". You must pass '--namespace={given}' to perform this operation."
            ))));
        }
        set_at(&mut obj, "metadata.namespace", Value::String(namespace.clone()));
    }
    let line = format!("{}/{}", kind.name_prefix(), obj.name());
    if let Some(ss) = &out.server_side {
        let opts = Options { manager: &ss.manager, force: ss.force, dry_run: out.dry_run, validation: out.validation };
        return match apply_server_side::apply_one(ctx, cluster, obj, &opts) {
            Ok(applied) => {
                if matches!(applied, Applied::Written) {
                    out.written += 1;
                }
                say(ctx, out, &line, "serverside-applied").map(|_| None)
            }
            Err(e @ Error::Internal(_)) => Err(e),
            Err(e) => Ok(Some(e)),
        };
    }
    with_last_applied(&mut obj)?;
    let key = Key::new(kind, &namespace, obj.name());
    let live = cluster.get(&key)?;
    let Some(live) = live else {
        if out.dry_run != DryRun::Client {
            if let Err(e) = super::create::decode_request(ctx, &mut obj, out.validation) {
                out.errors.push((e, source, "creating"));
                return Ok(None);
            }
            match cluster.create(obj, &namespace) {
                Ok(_) => {}
                Err(e @ Error::Internal(_)) => return Err(e),
                Err(e) if e.reason().is_some() => {
                    out.errors.push((e, source, "creating"));
                    return Ok(None);
                }
                Err(e) => return Ok(Some(e)),
            }
        }
        out.written += 1;
        return say(ctx, out, &line, "created").map(|_| None);
    };
    if out.dry_run == DryRun::Client {
        return say(ctx, out, &line, "configured").map(|_| None);
    }
    if let Err(e) = super::create::decode_request(ctx, &mut obj, out.validation) {
        out.errors.push((e, source, "applying patch"));
        return Ok(None);
    }
    if live.annotation(LAST_APPLIED).is_none() {
        ctx.warn(&format!(
            "resource {}/{} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.",
            kind.plural,
            live.name()
        ));
    }
    let original: Option<Value> = live.annotation(LAST_APPLIED).and_then(|s| serde_json::from_str(s).ok());
    let mut merged = patch::three_way(original.as_ref(), &obj, &live);
    patch::drop_empty_meta(&mut merged);
    if merged == live {
        return say(ctx, out, &line, "unchanged").map(|_| None);
    }
    // kubectl sent a patch (so `configured`); the server finds nothing to change and writes nothing.
    if super::patch::no_change(&live, &merged) {
        return say(ctx, out, &line, "configured").map(|_| None);
    }
    match cluster.update(merged) {
        Ok(_) => {}
        Err(e @ Error::Internal(_)) => return Err(e),
        Err(e) if e.reason().is_some() => {
            out.errors.push((e, source, "applying patch"));
            return Ok(None);
        }
        Err(e) => return Ok(Some(e)),
    }
    out.written += 1;
    say(ctx, out, &line, "configured").map(|_| None)
}

fn say(ctx: &mut Context, out: &Outcome, line: &str, operation: &str) -> Result<()> {
    if out.output_name {
        ctx.say(line)
    } else {
        ctx.say(&format!("{line} {operation}{}", out.dry_run.suffix()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn last_applied_is_the_manifest_in_compact_json_with_a_newline() {
        let mut o =
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "nginx", "namespace": "default"}});
        with_last_applied(&mut o).unwrap();
        assert_eq!(
            o.annotation(LAST_APPLIED),
            Some("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"annotations\":{},\"name\":\"nginx\",\"namespace\":\"default\"}}\n")
        );
    }
}
