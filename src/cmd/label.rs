//! `kstate label` and `kstate annotate`: `KEY=VALUE` sets, `KEY-` removes, `--overwrite` allows
//! changing a value, `--all` / `-l` pick objects of a type. kubectl's messages: `labeled`,
//! `not labeled`, `unlabeled`; `annotated`.

use serde_json::{Map, Value};

use super::dry_run::DryRun;
use super::patch::{finish_errors, named, Named};
use super::Context;
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::print::OutputFormat;
use crate::{Error, Result};

/// Which map of the metadata the verb edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Labels,
    Annotations,
}

impl Which {
    fn verb(self) -> &'static str {
        match self {
            Which::Labels => "label",
            Which::Annotations => "annotate",
        }
    }

    /// The field manager kubectl names for the verb.
    fn manager(self) -> &'static str {
        match self {
            Which::Labels => "kubectl-label",
            Which::Annotations => "kubectl-annotate",
        }
    }

    fn field(self) -> &'static str {
        match self {
            Which::Labels => "labels",
            Which::Annotations => "annotations",
        }
    }
}

pub struct Request {
    pub which: Which,
    /// Resources then `KEY=VALUE` / `KEY-` pairs, as typed.
    pub args: Vec<String>,
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub overwrite: bool,
    pub all: bool,
    pub selector: Option<String>,
    /// `-o`: none prints kubectl's `labeled` line, the others the object the server returned
    /// (or, for a client dry run, the changed object), as `get` prints it.
    pub output: Option<OutputFormat>,
    pub dry_run: DryRun,
    /// `--list`: print the objects' labels (annotations), after the changes, without writing.
    pub list: bool,
    /// `--resource-version`: the change is made only on this version of the (one) object.
    pub resource_version: Option<String>,
    /// `--field-manager`, instead of `kubectl-label` / `kubectl-annotate`.
    pub field_manager: Option<String>,
}

/// kubectl's `GetResourcesAndPairs`: resources first, then pairs.
pub fn resources_and_pairs(args: &[String], pair_type: &str) -> Result<(Vec<String>, Vec<String>)> {
    let (mut resources, mut pairs) = (Vec::new(), Vec::new());
    let mut found_pair = false;
    for s in args {
        let pair = (s.contains('=') && !s.starts_with('=')) || (s.ends_with('-') && s != "-");
        match (found_pair, pair) {
            (_, true) => {
                found_pair = true;
                pairs.push(s.clone());
            }
            (false, false) => resources.push(s.clone()),
            (true, false) => {
                return Err(Error::cli(format!("all resources must be specified before {pair_type} changes: {s}")))
            }
        }
    }
    Ok((resources, pairs))
}

type Changes = (Vec<(String, String)>, Vec<String>);

fn parse_pairs(which: Which, pairs: &[String]) -> Result<Changes> {
    let (mut set, mut remove) = (Vec::new(), Vec::new());
    for p in pairs {
        if let Some(k) = p.strip_suffix('-').filter(|_| !p.contains('=')) {
            remove.push(k.to_string());
            continue;
        }
        match p.split_once('=') {
            Some((k, v)) if !k.is_empty() && (which == Which::Annotations || !v.contains('=')) => {
                set.push((k.to_string(), v.to_string()))
            }
            _ => {
                return Err(Error::cli(match which {
                    Which::Labels => format!("invalid label spec: {p}"),
                    Which::Annotations => format!("invalid annotation format: {p}"),
                }))
            }
        }
    }
    let both: Vec<&str> = remove.iter().filter(|r| set.iter().any(|(k, _)| k == *r)).map(String::as_str).collect();
    if !both.is_empty() {
        let noun = if which == Which::Labels { "label" } else { "annotation" };
        return Err(Error::cli(format!(
            "can not both modify and remove the following {noun}(s) in the same command: {}",
            both.join(", ")
        )));
    }
    Ok((set, remove))
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let which = req.which;
    let (resources, pairs) = resources_and_pairs(&req.args, which.verb())?;
    let (set, remove) = parse_pairs(which, &pairs)?;
    if pairs.is_empty() && !req.list {
        let noun = if which == Which::Labels { "label" } else { "annotation" };
        return Err(Error::cli(format!("at least one {noun} update is required")));
    }
    if resources.is_empty() && req.filenames.is_empty() {
        return Err(Error::Usage {
            cmd: which.verb().into(),
            msg: "one or more resources must be specified as <resource> <name> or <resource>/<name>".into(),
        });
    }
    let selector = match &req.selector {
        Some(s) => Some(Selector::parse(s).map_err(Error::cli)?),
        None => None,
    };
    let named_targets = named(ctx, &resources, &req.filenames, req.recursive)?;
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some(req.field_manager.clone().unwrap_or_else(|| which.manager().into()));
    let mut targets: Vec<Named> = Vec::new();
    for t in named_targets {
        if !t.name.is_empty() {
            targets.push(t);
            continue;
        }
        if !req.all && selector.is_none() {
            cluster.abandon()?;
            return Err(Error::no_name());
        }
        let ns = t.namespace.clone();
        for obj in cluster.list(t.kind, Some(&ns))? {
            if selector.as_ref().is_none_or(|s| s.matches(&obj.labels())) {
                targets.push(Named { kind: t.kind, namespace: ns.clone(), name: obj.name().to_string() });
            }
        }
    }
    // kubectl's builder implies a single item when one object is named.
    let one = targets.len() == 1 && req.selector.is_none() && !req.all;
    if req.resource_version.is_some() && !one && !req.list {
        cluster.abandon()?;
        return Err(Error::cli("--resource-version may only be used with a single resource"));
    }
    if req.list {
        let text = list(&mut cluster, which, &targets, one, (&set, &remove), req.overwrite);
        cluster.abandon()?;
        return text.and_then(|t| ctx.out.write_all(t.as_bytes()).map_err(super::io));
    }
    let mut errors = Vec::new();
    let mut lines = Vec::new();
    let mut wrote = false;
    for t in &targets {
        let Some(live) = cluster.get(&t.key())? else {
            errors.push(t.not_found());
            continue;
        };
        let (mut obj, op, mut notes) = match change(which, &live, &set, &remove, req.overwrite) {
            // kubectl notes missing labels only on its way to the server, not on a client dry run.
            Err((_, e)) if req.dry_run == DryRun::Client => {
                cluster.abandon()?;
                flush(ctx, &lines)?;
                return Err(e);
            }
            Ok(done) => done,
            Err((notes, e)) => {
                cluster.abandon()?;
                lines.extend(notes.into_iter().map(|n| n + "\n"));
                flush(ctx, &lines)?;
                return Err(e);
            }
        };
        if req.dry_run == DryRun::Client {
            notes.clear();
        }
        // The version kubectl puts in its patch: the server refuses it if the object moved on.
        if let Some(rv) = &req.resource_version {
            crate::api::object::set_at(&mut obj, "metadata.resourceVersion", Value::String(rv.clone()));
        }
        lines.extend(notes.into_iter().map(|n| n + "\n"));
        // kubectl prints what the server answered its patch (the live object when nothing
        // changed); a client dry run prints the object as changed here.
        let shown = if obj == live || req.dry_run == DryRun::Client {
            obj
        } else {
            match super::patch::update_returning(&mut cluster, obj, &mut errors)? {
                Some(stored) => {
                    wrote = true;
                    stored
                }
                None => continue,
            }
        };
        // kubectl makes a printer per object (YAML documents get no `---` between them), after the
        // server took the change: a printer that fails ends the command, keeping the changes.
        match super::set_field::render(t.kind, &shown, req.output.as_ref(), op, req.dry_run, 0) {
            Ok(text) => lines.push(text),
            Err(e) => {
                errors.push(e);
                break;
            }
        }
    }
    if wrote && req.dry_run == DryRun::None {
        ctx.finish(cluster)?;
    } else {
        cluster.abandon()?;
    }
    flush(ctx, &lines)?;
    finish_errors(errors)
}

/// `--list`: each object's labels (annotations) as `KEY=VALUE` lines, with the changes applied
/// but not written, under a `Listing labels for KIND.GROUP/NAME:` header (lines indented by a
/// space) unless one object was named. kubectl prints them in Go's random map order; kstate sorts.
fn list(
    cluster: &mut crate::cluster::Cluster,
    which: Which,
    targets: &[Named],
    one: bool,
    (set, remove): (&[(String, String)], &[String]),
    overwrite: bool,
) -> Result<String> {
    let mut text = String::new();
    for t in targets {
        let Some(live) = cluster.get(&t.key())? else { return Err(t.not_found()) };
        let (obj, _, _) = change(which, &live, set, remove, overwrite).map_err(|(_, e)| e)?;
        let indent = if one { "" } else { " " };
        if !one {
            let noun = which.field();
            text.push_str(&format!("Listing {noun} for {}.{}/{}:\n", t.kind.kind, t.kind.group, t.name));
        }
        for (k, v) in obj.map_at(&format!("metadata.{}", which.field())) {
            text.push_str(&format!("{indent}{k}={v}\n"));
        }
    }
    Ok(text)
}

/// What the label or annotation changes make of `live`: the new object, kubectl's verb for it and
/// the notes printed before it (`label "x" not found.`); or those notes and the `--overwrite` clash.
type Changed = (Value, &'static str, Vec<String>);

fn change(
    which: Which,
    live: &Value,
    set: &[(String, String)],
    remove: &[String],
    overwrite: bool,
) -> std::result::Result<Changed, (Vec<String>, Error)> {
    let mut notes = Vec::new();
    let current = live.map_at(&format!("metadata.{}", which.field()));
    if which == Which::Labels {
        for r in remove {
            if !current.contains_key(r) {
                notes.push(format!("label {r:?} not found."));
            }
        }
    }
    if !overwrite {
        let clashes: Vec<String> = set
            .iter()
            .filter(|(k, _)| which == Which::Labels || k != "kubernetes.io/change-cause")
            .filter_map(|(k, v)| current.get(k).filter(|c| *c != v).map(|c| (k, c)))
            .map(|(k, c)| format!("'{k}' already has a value ({c})"))
            .collect();
        if !clashes.is_empty() {
            let e = match which {
                Which::Labels if clashes.len() > 1 => {
                    Error::Aggregate(clashes.iter().map(|c| format!("{c}, and --overwrite is false")).collect())
                }
                Which::Labels => Error::cli(format!("{}, and --overwrite is false", clashes[0])),
                Which::Annotations => Error::cli(format!(
                    "--overwrite is false but found the following declared annotation(s): {}",
                    clashes.join("; ")
                )),
            };
            return Err((notes, e));
        }
    }
    let mut obj = live.clone();
    let mut map: Map<String, Value> =
        obj.pointer(&format!("/metadata/{}", which.field())).and_then(Value::as_object).cloned().unwrap_or_default();
    for (k, v) in set {
        map.insert(k.clone(), Value::String(v.clone()));
    }
    for r in remove {
        map.remove(r);
    }
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert(which.field().to_string(), Value::Object(map));
    }
    crate::api::patch::drop_empty_meta(&mut obj);
    let (before, after) = (json_len(live), json_len(&obj));
    let op = match which {
        Which::Annotations => "annotated",
        Which::Labels if obj == *live => "not labeled",
        Which::Labels if !overwrite && after < before => "unlabeled",
        Which::Labels => "labeled",
    };
    Ok((obj, op, notes))
}

/// `label|annotate --local -f FILE`: the changes made to the manifests and printed, the cluster
/// untouched, printed as `-o` asks (none: kubectl's line).
pub fn run_local(ctx: &mut Context, req: Request) -> Result<()> {
    let which = req.which;
    let (resources, pairs) = resources_and_pairs(&req.args, which.verb())?;
    if req.filenames.is_empty() || !resources.is_empty() {
        return Err(Error::cli(
            "can only use local files by -f pod.yaml or --filename=pod.json when --local=true is set",
        ));
    }
    if pairs.is_empty() {
        let noun = if which == Which::Labels { "label" } else { "annotation" };
        return Err(Error::cli(format!("at least one {noun} update is required")));
    }
    let (set, remove) = parse_pairs(which, &pairs)?;
    let mut text = String::new();
    for doc in crate::manifest::read(&req.filenames, req.recursive, ctx.stdin)? {
        let kind = crate::cluster::Cluster::kind_of(&doc.value)?;
        // kubectl prints no `label "x" not found.` notes for local files.
        let (obj, op, _) = change(which, &doc.value, &set, &remove, req.overwrite).map_err(|(_, e)| e)?;
        text.push_str(&super::set_field::render(kind, &obj, req.output.as_ref(), op, DryRun::None, 0)?);
    }
    ctx.out.write_all(text.as_bytes()).map_err(super::io)
}

/// Writes the notes and printed objects, each ending in its own newline (a jsonpath has none).
fn flush(ctx: &mut Context, texts: &[String]) -> Result<()> {
    ctx.out.write_all(texts.concat().as_bytes()).map_err(super::io)
}

fn json_len(v: &Value) -> usize {
    serde_json::to_string(v).map(|s| s.len()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn splits_resources_from_pairs() {
        let (r, p) = resources_and_pairs(&a(&["pod", "web-0", "tier=x", "app-"]), "label").unwrap();
        assert_eq!((r, p), (a(&["pod", "web-0"]), a(&["tier=x", "app-"])));
        assert!(resources_and_pairs(&a(&["pod", "a=b", "web-0"]), "label").is_err());
        let (set, rm) = parse_pairs(Which::Labels, &a(&["tier=x", "app-"])).unwrap();
        assert_eq!(set, vec![("tier".to_string(), "x".to_string())]);
        assert_eq!(rm, a(&["app"]));
        assert!(parse_pairs(Which::Labels, &a(&["a=b", "a-"])).is_err());
    }
}
