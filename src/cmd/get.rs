//! `kstate get`: tables, `-o wide|yaml|json|name|jsonpath|custom-columns`, several kinds at once.

use serde_json::Value;

use super::field_selector::FieldSelector;
use super::{io, parse_targets, Context, Target};
use crate::api::selector::Selector;
use crate::api::subresource::{self, Subresource};
use crate::api::{managed, ObjectExt};
use crate::cluster::{Cluster, Key};
use crate::print::table::{self, TableOptions};
use crate::print::{gotemplate, json, jsonpath, sort, yaml, OutputFormat};
use crate::{Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    /// `-f`: the objects the manifests name, as `TYPE/NAME` targets.
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub ignore_not_found: bool,
    /// `--show-managed-fields`: print `metadata.managedFields` (hidden by default, as kubectl does).
    pub show_managed_fields: bool,
    /// `--allow-missing-template-keys` (true by default).
    pub allow_missing_template_keys: bool,
    pub output: OutputFormat,
    pub selector: Option<String>,
    pub field_selector: Option<String>,
    pub sort_by: Option<String>,
    pub all_namespaces: bool,
    pub no_headers: bool,
    pub show_labels: bool,
    pub label_columns: Vec<String>,
    pub watch: bool,
    pub watch_only: bool,
    pub output_watch_events: bool,
    pub subresource: Option<Subresource>,
}

const NO_TYPE: &str = "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples";

/// Replaces a StatefulSet's (or a scalable custom resource's) objects with their Scale subresource.
fn as_scale(found: &mut Found) -> Result<()> {
    if !subresource::has_scale(found.target.kind) {
        return Err(Error::NotFoundRaw("the server could not find the requested resource".into()));
    }
    found.objects = found.objects.iter().map(subresource::scale_of).collect();
    found.target.kind = &subresource::SCALE;
    Ok(())
}

/// The objects one target matched, and the names it did not find.
pub(crate) struct Found {
    pub target: Target,
    pub objects: Vec<Value>,
    pub missing: Vec<Error>,
    /// A listing printed as a table straight from the store: its row count and aligned text
    /// (the objects themselves are not kept).
    pub table: Option<(usize, String)>,
}

impl Found {
    fn count(&self) -> usize {
        self.objects.len() + self.table.as_ref().map_or(0, |t| t.0)
    }
}

/// What the selectors of one request keep.
pub(crate) struct Filter {
    pub labels: Selector,
    pub fields: FieldSelector,
}

impl Filter {
    pub fn matches(&self, kind: &crate::api::Kind, obj: &Value) -> bool {
        self.labels.matches_object(obj) && self.fields.matches(kind, obj)
    }
}

pub fn run(ctx: &mut Context, mut req: Request) -> Result<()> {
    if !req.filenames.is_empty() {
        if !req.resources.is_empty() {
            return Err(Error::cli(
                "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well",
            ));
        }
        req.resources = file_targets(ctx, &req.filenames, req.recursive)?;
    }
    if req.resources.is_empty() {
        return Err(Error::Raw(NO_TYPE.to_string()));
    }
    let targets = ordered_targets(&req.resources)?;
    if req.all_namespaces && targets.iter().any(|t| t.kind.namespaced && !t.names.is_empty()) {
        return Err(Error::cli("a resource cannot be retrieved by name across all namespaces"));
    }
    if (req.selector.is_some() || req.field_selector.is_some()) && targets.iter().any(|t| !t.names.is_empty()) {
        return Err(Error::cli(selector_with_names(&req.resources)));
    }
    let watching = req.watch || req.watch_only;
    if watching && targets.len() > 1 {
        return Err(Error::cli(format!(
            "watch is only supported on individual resources and resource collections, but {} resources were found",
            targets.len()
        )));
    }
    let filter = Filter {
        labels: match &req.selector {
            Some(s) => Selector::parse(s).map_err(Error::cli)?,
            None => Selector::everything(),
        },
        fields: match &req.field_selector {
            Some(s) => FieldSelector::parse(s).map_err(Error::BadRequest)?,
            None => FieldSelector::default(),
        },
    };
    for t in &targets {
        filter.fields.check(t.kind, req.selector.as_deref().unwrap_or("")).map_err(Error::BadRequest)?;
    }
    let mut cluster = ctx.read()?;
    let namespace = (!req.all_namespaces).then(|| ctx.namespace.clone());
    let now = cluster.clock.now();
    // A plain table of a listing is built row by row as the store reads the objects.
    let streamed = matches!(req.output, OutputFormat::Table | OutputFormat::Wide)
        && !watching
        && req.sort_by.is_none()
        && req.subresource.is_none();
    let mut found: Vec<Found> = targets
        .into_iter()
        .map(|t| match streamed && t.names.is_empty() {
            true => Ok(Found { target: t, objects: Vec::new(), missing: Vec::new(), table: None }),
            false => fetch(&mut cluster, t, namespace.as_deref(), &filter),
        })
        .collect::<Result<_>>()?;
    if streamed {
        let opts = table_options(&req, &found);
        for f in found.iter_mut().filter(|f| f.target.names.is_empty()) {
            let kind = f.target.kind;
            let mut rows = table::Rows::new(kind, &opts, now);
            // The pod table reads little of a pod's spec; field selectors read more.
            let decode = (kind.kind == "Pod" && req.field_selector.as_deref().unwrap_or("").is_empty())
                .then_some(table_pod_row as fn(&str) -> anyhow::Result<Value>);
            cluster.scan_decoded(kind, namespace.as_deref(), decode, &mut |o| {
                if filter.matches(kind, &o) {
                    rows.push(&o);
                }
            })?;
            f.table = Some((rows.len(), rows.render()));
        }
    }
    if req.subresource == Some(Subresource::Scale) {
        found.iter_mut().try_for_each(as_scale)?;
    }
    let history = if watching { cluster.history()? } else { Vec::new() };
    cluster.abandon()?;
    if let Some(field) = &req.sort_by {
        if !matches!(req.output, OutputFormat::Table | OutputFormat::Wide) {
            // Other printers sort the whole list at once.
            let mut all: Vec<Value> = found.iter_mut().flat_map(|f| std::mem::take(&mut f.objects)).collect();
            sort::sort_objects(&mut all, field).map_err(Error::cli)?;
            regroup(&mut found, all);
        } else {
            for f in &mut found {
                sort::sort_objects(&mut f.objects, field).map_err(Error::cli)?;
            }
        }
    }
    if watching {
        let found = found.pop().ok_or_else(|| Error::cli("no resource to watch"))?;
        // The watch starts from a GET of the named object: a missing one is the GET's NotFound.
        if let Some(e) = found.missing.into_iter().next() {
            return Err(e);
        }
        let found = Found { missing: Vec::new(), ..found };
        let w = super::watch::Watch { found, history, namespace: namespace.as_deref(), filter: &filter, now };
        return super::watch::run(ctx, &req, w);
    }
    // The builder's "single item implied": exactly one name of one kind. Then the object itself is
    // printed, or, when it is missing, only the error.
    let single = found.len() == 1 && found[0].target.names.len() == 1;
    let any = found.iter().any(|f| f.count() > 0);
    if req.ignore_not_found {
        found.iter_mut().for_each(|f| f.missing.clear());
        if single && !any {
            return Ok(());
        }
    }
    let missing: Vec<String> = found.iter().flat_map(|f| &f.missing).map(|e| e.to_string()).collect();
    match &req.output {
        OutputFormat::Table | OutputFormat::Wide => print_tables(ctx, &req, &found, now)?,
        _ if single && !missing.is_empty() => {}
        other => {
            let mut found = found;
            // kubectl wraps only its JSON and YAML printers in OmitManagedFieldsPrinter
            // (JSONYamlPrintFlags.ToPrinter); templates, jsonpath and custom columns see the
            // managed fields the server sent.
            if !req.show_managed_fields && matches!(other, OutputFormat::Json | OutputFormat::Yaml) {
                found.iter_mut().flat_map(|f| f.objects.iter_mut()).for_each(managed::hide);
            }
            print_objects(ctx, other, &found, single, &req)?
        }
    }
    if !missing.is_empty() {
        return Err(Error::Aggregate(missing));
    }
    if !any && !req.ignore_not_found && matches!(req.output, OutputFormat::Table | OutputFormat::Wide) {
        ctx.say_err(&no_resources(&req, &ctx.namespace))?;
    }
    Ok(())
}

/// The `TYPE/NAME` of every object the manifests hold. A manifest's namespace becomes the
/// request's when `-n` was not given (kstate asks one namespace per request).
pub(crate) fn file_targets(ctx: &mut Context, filenames: &[String], recursive: bool) -> Result<Vec<String>> {
    let docs = crate::manifest::read(filenames, recursive, ctx.stdin)?;
    let mut out = Vec::with_capacity(docs.len());
    for doc in docs {
        let kind = Cluster::kind_of(&doc.value)?;
        if !ctx.namespace_given && kind.namespaced && !doc.value.namespace().is_empty() {
            ctx.namespace = doc.value.namespace().to_string();
        }
        out.push(format!("{}/{}", kind.name_prefix(), doc.value.name()));
    }
    Ok(out)
}

/// `No resources found in X namespace.` (namespaced kinds without -A) or `No resources found`.
pub fn no_resources(req: &Request, namespace: &str) -> String {
    let targets = parse_targets(&req.resources).unwrap_or_default();
    if !req.all_namespaces && targets.iter().all(|t| t.kind.namespaced) {
        format!("No resources found in {namespace} namespace.")
    } else {
        "No resources found".to_string()
    }
}

/// kubectl's builder error for names together with `-l`: the resource/name form and the
/// `TYPE NAME` form word it differently.
pub(crate) fn selector_with_names(args: &[String]) -> String {
    if args.first().is_some_and(|a| a.contains('/')) {
        "selectors and the all flag cannot be used when passing resource/name arguments".into()
    } else {
        "name cannot be provided when a selector is specified".into()
    }
}

/// kubectl's `all` category, for the kinds kstate serves: discovery lists the core group first,
/// then the groups in order, resources alphabetically within each.
pub(crate) const ALL_CATEGORY: [&str; 10] = [
    "pods",
    "replicationcontrollers",
    "services",
    "daemonsets.apps",
    "deployments.apps",
    "replicasets.apps",
    "statefulsets.apps",
    "horizontalpodautoscalers.autoscaling",
    "cronjobs.batch",
    "jobs.batch",
];

/// The resources of a category: `all` (the built-in ones, then custom resources that list it), or
/// a category of custom resources; empty when `name` is no category (or also a resource name).
fn category(name: &str) -> Vec<String> {
    let custom: Vec<String> = crate::api::custom::preferred_kinds()
        .into_iter()
        .filter(|k| crate::api::custom::definition(k.kind).is_some_and(|d| d.categories.iter().any(|c| c == name)))
        .map(|k| k.resource())
        .collect();
    if name == "all" {
        return ALL_CATEGORY.iter().map(|r| r.to_string()).chain(custom).collect();
    }
    if crate::api::kinds::lookup(name).is_some() {
        return Vec::new();
    }
    custom
}

fn expand_categories(args: &[String]) -> Vec<String> {
    let mut out = args.to_vec();
    if let Some(first) = out.first_mut() {
        if !first.contains('/') && first.split(',').any(|p| !category(p).is_empty()) {
            let mut parts: Vec<String> = Vec::new();
            for p in first.split(',') {
                match category(p) {
                    found if found.is_empty() => parts.push(p.to_string()),
                    found => parts.extend(found),
                }
            }
            *first = parts.join(",");
        }
    }
    out
}

/// `parse_targets`, but keeping the order of `TYPE/NAME` arguments as the resource builder visits
/// them: `pod/a svc/b pod/c` is three groups (three tables), not two. Consecutive names of one kind
/// share a group.
pub(crate) fn ordered_targets(args: &[String]) -> Result<Vec<Target>> {
    let args = &expand_categories(args);
    let merged = parse_targets(args)?;
    if !args.first().is_some_and(|a| a.contains('/')) {
        return Ok(merged);
    }
    let mut out: Vec<Target> = Vec::new();
    for arg in args {
        for t in parse_targets(std::slice::from_ref(arg))? {
            match out.last_mut() {
                Some(last) if std::ptr::eq(last.kind, t.kind) => last.names.extend(t.names),
                _ => out.push(t),
            }
        }
    }
    Ok(out)
}

/// Puts sorted objects back into their groups (all into the first; kubectl's printers see one list).
fn regroup(found: &mut [Found], all: Vec<Value>) {
    if let Some(first) = found.first_mut() {
        first.objects = all;
    }
}

fn fetch(cluster: &mut Cluster, target: Target, namespace: Option<&str>, filter: &Filter) -> Result<Found> {
    let kind = target.kind;
    let mut found = Found { objects: Vec::new(), missing: Vec::new(), target, table: None };
    if found.target.names.is_empty() {
        cluster.load(kind, namespace)?;
        found.objects = cluster.iter(kind, namespace).filter(|o| filter.matches(kind, o)).cloned().collect();
        return Ok(found);
    }
    let ns = namespace.unwrap_or("default");
    for name in &found.target.names {
        match cluster.get(&Key::new(kind, ns, name))? {
            Some(o) if filter.matches(kind, &o) => found.objects.push(o),
            Some(_) => {}
            None => found.missing.push(Error::not_found(&kind.resource(), name)),
        }
    }
    Ok(found)
}

fn table_options(req: &Request, found: &[Found]) -> TableOptions {
    // `multipleGVKsRequested` over the builder's infos: a list request is one info even when empty,
    // a named request one per object found.
    let mut kinds: Vec<&str> = Vec::new();
    for f in found.iter().filter(|f| f.target.names.is_empty() || !f.objects.is_empty()) {
        if !kinds.contains(&f.target.kind.kind) {
            kinds.push(f.target.kind.kind);
        }
    }
    TableOptions {
        wide: req.output == OutputFormat::Wide,
        no_headers: req.no_headers,
        kind_prefix: kinds.len() > 1,
        all_namespaces: req.all_namespaces,
        show_labels: req.show_labels,
        label_columns: req.label_columns.clone(),
    }
}

fn print_tables(ctx: &mut Context, req: &Request, found: &[Found], now: i64) -> Result<()> {
    let opts = table_options(req, found);
    let mut first = true;
    for f in found {
        let text = match &f.table {
            Some((_, text)) => text.clone(),
            None => table::render(f.target.kind, &f.objects, &opts, now),
        };
        if text.is_empty() {
            continue;
        }
        // get.go sets the separator only when headers are printed.
        if !first && !req.no_headers {
            ctx.out.write_all(b"\n").map_err(io)?;
        }
        first = false;
        ctx.out.write_all(text.as_bytes()).map_err(io)?;
    }
    Ok(())
}

fn print_objects(ctx: &mut Context, format: &OutputFormat, found: &[Found], single: bool, req: &Request) -> Result<()> {
    let objects: Vec<Value> = found.iter().flat_map(|f| f.objects.iter().cloned()).collect();
    let subject = match (single, objects.first()) {
        (true, Some(only)) => only.clone(),
        _ => json::list(objects.clone()),
    };
    let text = match format {
        OutputFormat::Yaml => yaml::checked(&subject).map_err(Error::cli)?,
        OutputFormat::Json => json::to_json(&subject),
        OutputFormat::Name => {
            let mut s = String::new();
            for f in found {
                for o in &f.objects {
                    s.push_str(&format!("{}/{}\n", f.target.kind.name_prefix(), o.name()));
                }
            }
            s
        }
        OutputFormat::JsonPath(t) => jsonpath::render(t, &subject).map_err(Error::cli)?,
        OutputFormat::JsonPathAsJson(t) => {
            let values = jsonpath::printed_results(t, &subject).map_err(Error::cli)?;
            json::to_json(&Value::Array(values))
        }
        OutputFormat::CustomColumns(spec) => {
            table::custom_columns(spec, &objects, req.no_headers).map_err(Error::cli)?
        }
        OutputFormat::GoTemplate(t) => match gotemplate::render_keys(t, &subject, req.allow_missing_template_keys) {
            Ok(text) => text,
            // The printer writes what it ran and its debugging dump to stdout before failing.
            Err(f) => {
                ctx.out.write_all(f.stdout.as_bytes()).map_err(io)?;
                return Err(Error::cli(f.message));
            }
        },
        OutputFormat::Table | OutputFormat::Wide => String::new(),
    };
    ctx.out.write_all(text.as_bytes()).map_err(io)
}

/// A stored pod decoded as the pod table reads it.
fn table_pod_row(body: &str) -> anyhow::Result<Value> {
    use anyhow::Context;
    crate::print::pod_row::decode(body).context("corrupt object in the database")
}
