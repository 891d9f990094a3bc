//! `kstate apply -f FILE|DIR|-`: client-side apply. A new object is created with the
//! `kubectl.kubernetes.io/last-applied-configuration` annotation; an existing one gets the
//! three-way merge of that annotation, the manifest and the live object (`api::patch::three_way`).
//! Each object prints `created`, `configured` or `unchanged`; documents are read and errors
//! reported as `create` does (kubectl's builder order).

use serde_json::{json, Map, Value};

use super::apply_server_side::{self, Applied, Options};
use super::create::report_visit;
use super::dry_run::DryRun;
use super::Context;
use crate::api::decode::FieldValidation;
use crate::api::object::set_at;
use crate::api::{patch, ObjectExt};
use std::collections::BTreeSet;

use foldhash::{HashSet, HashSetExt};

use crate::api::kinds::{self, Kind};
use crate::api::selector::Selector;
use crate::cluster::{Cluster, Key, Propagation};
use crate::manifest::Document;
use crate::print::json::to_compact_json;
use crate::print::{gotemplate, json, jsonpath, yaml, OutputFormat};
use crate::{Error, Result};

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

pub struct Request {
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub output_name: bool,
    /// `-o yaml|json|jsonpath=...|go-template=...`: the applied objects are printed instead of
    /// the `created`/`configured` lines, once every object is applied.
    pub print: Option<OutputFormat>,
    pub dry_run: DryRun,
    pub validation: FieldValidation,
    /// `--server-side`: the field manager (`--field-manager`, default `kubectl`) and
    /// `--force-conflicts`.
    pub server_side: Option<ServerSide>,
    /// `--field-manager` of a client-side apply.
    pub field_manager: Option<String>,
    /// `-l/--selector`: only the manifests' objects with matching labels are applied.
    pub selector: Option<Selector>,
    /// `--prune`: what else to delete afterwards.
    pub prune: Option<Prune>,
    /// `--force`: an object the patch cannot change is deleted and created from the manifest.
    pub force: bool,
}

/// `--prune` (kubectl's legacy pruning, without `--applyset`): objects of the allowlisted kinds in
/// the namespaces the apply visited that match the selector, carry the last-applied annotation
/// and were not part of this apply are deleted.
pub struct Prune {
    /// `--prune-allowlist` kinds (`core/v1/ConfigMap`); empty: kubectl's default allowlist.
    pub allowlist: Vec<&'static Kind>,
}

/// kubectl v1.32's default prune allowlist, in its order (the kinds kstate serves: it serves no
/// ReplicationController or Ingress), namespaced kinds first.
const DEFAULT_PRUNE: [&Kind; 14] = [
    &kinds::CONFIGMAP,
    &kinds::ENDPOINTS,
    &kinds::PVC,
    &kinds::POD,
    &kinds::SECRET,
    &kinds::SERVICE,
    &kinds::JOB,
    &kinds::CRONJOB,
    &kinds::DAEMONSET,
    &kinds::DEPLOYMENT,
    &kinds::REPLICASET,
    &kinds::STATEFULSET,
    &kinds::NAMESPACE,
    &kinds::PV,
];

pub struct ServerSide {
    pub manager: String,
    pub force: bool,
}

struct Outcome {
    output_name: bool,
    print: Option<OutputFormat>,
    /// With `print`: each applied object, by key, or as kubectl holds it without a server's answer
    /// (a client dry run's new object: the manifest with its last-applied annotation).
    applied: Vec<(Key, Option<Value>)>,
    dry_run: DryRun,
    validation: FieldValidation,
    server_side: Option<ServerSide>,
    written: usize,
    /// API errors with their source and kubectl's verb for them.
    errors: Vec<(Error, String, &'static str)>,
    selector: Option<Selector>,
    /// What `--prune` must keep: the namespaces visited and the objects applied.
    visited_namespaces: BTreeSet<String>,
    visited: HashSet<(&'static str, String, String)>,
    force: bool,
    /// Objects the builder handed over: read, mapped and matching `-l`.
    selected: usize,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let entries = super::create::read_filenames(ctx, &req.filenames, req.recursive, req.validation, "apply")?;
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some(req.field_manager.clone().unwrap_or_else(|| "kubectl-client-side-apply".into()));
    let mut out = Outcome {
        output_name: req.output_name,
        print: req.print,
        applied: Vec::new(),
        dry_run: req.dry_run,
        validation: req.validation,
        server_side: req.server_side,
        written: 0,
        errors: Vec::new(),
        selector: req.selector,
        visited_namespaces: BTreeSet::new(),
        visited: HashSet::new(),
        force: req.force,
        selected: 0,
    };
    let visit = super::create::visit_entries(entries, |doc| apply_doc(ctx, &mut cluster, doc, &mut out))?;
    if out.selected == 0 && visit.is_empty() {
        cluster.abandon()?;
        return super::create::no_objects_left(0, "apply");
    }
    // kubectl's post-processor prints, then prunes, and runs only when every object applied.
    // A printer that fails (go-yaml's refusal) fails the command after the objects were applied,
    // and before pruning.
    let mut printed = Ok(());
    if out.errors.is_empty() && visit.is_empty() {
        printed = match print_applied(ctx, &mut cluster, &out) {
            Err(e @ Error::Internal(_)) => return Err(e),
            other => other,
        };
        if let (Ok(()), Some(prune)) = (&printed, &req.prune) {
            prune_all(ctx, &mut cluster, prune, &mut out)?;
        }
    }
    if out.written > 0 && req.dry_run == DryRun::None {
        ctx.finish(cluster)?;
    } else {
        cluster.abandon()?;
    }
    printed?;
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
    // The builder filters by `-l` before apply checks each object's namespace.
    if out.selector.as_ref().is_some_and(|sel| !sel.matches_object(&obj)) {
        return Ok(None);
    }
    out.selected += 1;
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
    out.visited_namespaces.insert(if kind.namespaced { namespace.clone() } else { String::new() });
    out.visited.insert((
        kind.kind,
        if kind.namespaced { namespace.clone() } else { String::new() },
        obj.name().to_string(),
    ));
    // kubectl records the change cause before it computes the last-applied configuration, so
    // the annotation is in both.
    if let Some(cause) = &ctx.change_cause {
        crate::api::object::set_annotation(&mut obj, "kubernetes.io/change-cause", cause);
    }
    let line = format!("{}/{}", kind.name_prefix(), obj.name());
    let key = Key::new(kind, &namespace, obj.name());
    if let Some(ss) = &out.server_side {
        let opts = Options { manager: &ss.manager, force: ss.force, dry_run: out.dry_run, validation: out.validation };
        return match apply_server_side::apply_one(ctx, cluster, obj, &opts) {
            Ok(applied) => {
                if matches!(applied, Applied::Written) {
                    out.written += 1;
                }
                done(ctx, out, &key, None, &line, "serverside-applied").map(|_| None)
            }
            Err(e @ Error::Internal(_)) => Err(e),
            Err(e) => Ok(Some(e)),
        };
    }
    with_last_applied(&mut obj)?;
    let live = cluster.get(&key)?;
    let Some(live) = live else {
        let unsent = (out.dry_run == DryRun::Client).then(|| obj.clone());
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
        return done(ctx, out, &key, unsent, &line, "created").map(|_| None);
    };
    if out.dry_run == DryRun::Client {
        return done(ctx, out, &key, None, &line, "configured").map(|_| None);
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
        return done(ctx, out, &key, None, &line, "unchanged").map(|_| None);
    }
    // kubectl sent a patch (so `configured`); the server finds nothing to change and writes nothing.
    if super::patch::no_change(&live, &merged) {
        return done(ctx, out, &key, None, &line, "configured").map(|_| None);
    }
    let mut updated = cluster.update(merged);
    if out.force && matches!(&updated, Err(Error::Conflict { .. } | Error::Invalid { .. })) {
        updated = delete_and_create(cluster, &key, &live, obj, &namespace).map(|o| (*o).clone());
    }
    match updated {
        Ok(_) => {}
        Err(e @ Error::Internal(_)) => return Err(e),
        Err(e) if e.reason().is_some() => {
            out.errors.push((e, source, "applying patch"));
            return Ok(None);
        }
        Err(e) => return Ok(Some(e)),
    }
    out.written += 1;
    done(ctx, out, &key, None, &line, "configured").map(|_| None)
}

/// `apply --force` (kubectl's `deleteAndCreate`): the live object is deleted, and, once it is
/// gone, the manifest created in its place; if the manifest cannot be created the old object is
/// created again and the manifest's error returned.
fn delete_and_create(
    cluster: &mut Cluster,
    key: &Key,
    live: &Value,
    obj: Value,
    namespace: &str,
) -> Result<std::rc::Rc<Value>> {
    cluster.delete(key, Propagation::Background, Some(0))?;
    match cluster.create(obj, namespace) {
        Ok(created) => Ok(created),
        Err(e) => {
            let mut old = live.clone();
            for field in ["resourceVersion", "uid", "creationTimestamp", "managedFields"] {
                crate::api::object::remove_at(&mut old, &format!("metadata.{field}"));
            }
            cluster.create(old, namespace)?;
            Err(e)
        }
    }
}

/// kubectl's `pruneAll`: namespaced kinds in each visited namespace, then cluster-scoped kinds.
fn prune_all(ctx: &mut Context, cluster: &mut Cluster, prune: &Prune, out: &mut Outcome) -> Result<()> {
    let kinds: Vec<&'static Kind> = if prune.allowlist.is_empty() {
        // kubectl passes `namespace != ""`, which its namespace always is.
        ctx.klog_warning("prune.go:71", "Deprecated: kubectl apply will no longer prune non-namespaced resources by default when used with the --namespace flag in a future release. To preserve the current behaviour, list the resources you want to target explicitly in the --prune-allowlist flag.");
        DEFAULT_PRUNE.to_vec()
    } else {
        prune.allowlist.clone()
    };
    let namespaces: Vec<Option<String>> = out
        .visited_namespaces
        .iter()
        .filter(|n| !n.is_empty())
        .map(|n| Some(n.clone()))
        .chain(std::iter::once(None))
        .collect();
    for namespace in namespaces {
        for kind in kinds.iter().filter(|k| k.namespaced == namespace.is_some()) {
            cluster.load(kind, namespace.as_deref())?;
            let mut doomed: Vec<Value> = cluster
                .iter(kind, namespace.as_deref())
                .filter(|o| o.annotation(LAST_APPLIED).is_some())
                .filter(|o| out.selector.as_ref().is_none_or(|sel| sel.matches_object(o)))
                .filter(|o| !out.visited.contains(&(kind.kind, o.namespace().to_string(), o.name().to_string())))
                .cloned()
                .collect();
            doomed.sort_by(|a, b| a.name().cmp(b.name()));
            for obj in doomed {
                if out.dry_run != DryRun::Client {
                    let key = Key::new(kind, obj.namespace(), obj.name());
                    cluster.delete(&key, Propagation::Background, None)?;
                    out.written += 1;
                }
                let line = format!("{}/{}", kind.name_prefix(), obj.name());
                say(ctx, out, &line, "pruned")?;
            }
        }
    }
    Ok(())
}

/// One object applied: its line, or, with `-o`, the object kept for printing at the end.
fn done(
    ctx: &mut Context,
    out: &mut Outcome,
    key: &Key,
    unsent: Option<Value>,
    line: &str,
    operation: &str,
) -> Result<()> {
    if out.print.is_some() {
        out.applied.push((key.clone(), unsent));
        return Ok(());
    }
    say(ctx, out, line, operation)
}

/// kubectl's `printObjects`: the one object applied, or a `v1` List of them, in the `-o` format.
fn print_applied(ctx: &mut Context, cluster: &mut Cluster, out: &Outcome) -> Result<()> {
    let Some(format) = &out.print else { return Ok(()) };
    let mut objects = Vec::new();
    for (key, unsent) in &out.applied {
        match unsent {
            Some(o) => objects.push(o.clone()),
            None => objects.extend(cluster.get(key)?),
        }
    }
    // kubectl's JSON and YAML printers leave managedFields out (`--show-managed-fields=false`).
    if matches!(format, OutputFormat::Json | OutputFormat::Yaml) {
        objects.iter_mut().for_each(crate::api::managed::hide);
    }
    let text = match objects.len() {
        0 => return Ok(()),
        1 => render(format, &objects[0])?,
        _ => match format {
            // A typed corev1.List: Go's encoder keeps its struct order and omits the empty
            // resourceVersion (the YAML printer sorts the keys of the same JSON).
            OutputFormat::Json => list_json(&objects),
            _ => render(format, &json!({"apiVersion": "v1", "items": objects, "kind": "List", "metadata": {}}))?,
        },
    };
    ctx.out.write_all(text.as_bytes()).map_err(super::io)
}

fn render(format: &OutputFormat, obj: &Value) -> Result<String> {
    Ok(match format {
        OutputFormat::Yaml => yaml::checked(obj).map_err(Error::cli)?,
        OutputFormat::Json => json::to_json(obj),
        OutputFormat::JsonPath(t) => jsonpath::render(t, obj).map_err(Error::cli)?,
        OutputFormat::JsonPathAsJson(t) => jsonpath::render_as_json(t, obj).map_err(Error::cli)?,
        OutputFormat::GoTemplate(t) => gotemplate::render(t, obj).map_err(Error::cli)?,
        _ => String::new(),
    })
}

fn list_json(objects: &[Value]) -> String {
    let items: Vec<String> = objects
        .iter()
        .map(|o| {
            let text = json::to_json(o);
            let lines: Vec<String> = text.trim_end().lines().map(|l| format!("        {l}")).collect();
            lines.join("\n")
        })
        .collect();
    format!(
        "{{\n    \"kind\": \"List\",\n    \"apiVersion\": \"v1\",\n    \"metadata\": {{}},\n    \"items\": [\n{}\n    ]\n}}\n",
        items.join(",\n")
    )
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
