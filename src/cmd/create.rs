//! `kstate create -f FILE|DIR|-`: every document is created in order; the ones that fail are
//! reported the way kubectl reports them, and the ones that succeed stay created.
//!
//! kubectl's resource builder reads `-f` lazily: documents before a parse error are still
//! created, and a document that cannot be mapped to a served kind is skipped. The errors come back
//! in two groups (cli-runtime `ContinueOnErrorVisitor` around an `EagerVisitorList`): first the
//! errors of the create calls, one each, then one aggregate of everything the builder met while
//! reading (parse, validation, decoding and mapping errors; the item errors of a `kind: List` as
//! a nested aggregate of their own). See [`report_visit`] for how kubectl prints that shape.

use super::create_generators::print_created_unstructured;
use super::dry_run::DryRun;
use super::Context;
use crate::api::decode::{self, FieldValidation};
use crate::api::{convert, ObjectExt};
use crate::cluster::Cluster;
use crate::manifest::{self, Document, Entry};
use crate::{Error, Result};

pub struct Request {
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub output: Option<crate::print::OutputFormat>,
    pub dry_run: DryRun,
    pub validation: FieldValidation,
    /// `-l`: only the manifests' objects whose labels match are created.
    pub selector: Option<crate::api::selector::Selector>,
    /// `--save-config`: the last-applied annotation is set, as `apply` would.
    pub save_config: bool,
}

/// Hands every document read from `-f` to `each`, in order, collecting what went wrong the way
/// kubectl's resource builder groups it (a list's item errors together).
pub fn visit_entries(
    entries: Vec<Entry>,
    mut each: impl FnMut(manifest::Document) -> Result<Option<Error>>,
) -> Result<Vec<VisitError>> {
    let mut visit = Vec::new();
    for entry in entries {
        match entry {
            Entry::Doc(doc) => {
                if let Some(e) = each(doc)? {
                    visit.push(VisitError::One(e));
                }
            }
            Entry::Error(e) => visit.push(VisitError::One(e)),
            Entry::List(items) => {
                let mut item_errors = Vec::new();
                for item in items {
                    match item {
                        Err(e) => item_errors.push(e),
                        Ok(doc) => item_errors.extend(each(doc)?),
                    }
                }
                if !item_errors.is_empty() {
                    visit.push(VisitError::List(item_errors));
                }
            }
        }
    }
    Ok(visit)
}

/// An error the builder met while reading: a plain one, or the item errors of one list.
pub enum VisitError {
    One(Error),
    List(Vec<Error>),
}

/// Reads every `-f` source for `verb` (create/apply), with kubectl's errors for no `-f` at all
/// and for sources that hold no objects.
pub fn read_filenames(
    ctx: &mut Context,
    filenames: &[String],
    recursive: bool,
    validation: FieldValidation,
    verb: &str,
) -> Result<Vec<Entry>> {
    if filenames.is_empty() {
        return Err(Error::cli("must specify one of -f and -k"));
    }
    let opts = manifest::Options { recursive, validate: validation != FieldValidation::Ignore };
    let entries = manifest::read_entries(filenames, opts, ctx.stdin)?;
    if entries.is_empty() {
        return Err(Error::cli(format!("no objects passed to {verb}")));
    }
    Ok(entries)
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let entries = read_filenames(ctx, &req.filenames, req.recursive, req.validation, "create")?;
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some("kubectl-create".into());
    let mut out = Outcome {
        output: req.output,
        dry_run: req.dry_run,
        validation: req.validation,
        created: 0,
        errors: Vec::new(),
        selector: req.selector,
        save_config: req.save_config,
        selected: 0,
    };
    let visit = visit_entries(entries, |doc| create_doc(ctx, &mut cluster, doc, &mut out))?;
    if out.created > 0 && out.dry_run == DryRun::None {
        ctx.finish(cluster)?;
    } else {
        cluster.abandon()?;
    }
    report_visit(out.errors, visit, "creating")?;
    no_objects_left(out.selected, "create")
}

/// kubectl's error when the builder handed over no object: the sources held only empty lists,
/// or `-l` matched none of their objects.
pub fn no_objects_left(selected: usize, verb: &str) -> Result<()> {
    match selected {
        0 => Err(Error::cli(format!("no objects passed to {verb}"))),
        _ => Ok(()),
    }
}

/// What the creates so far did.
struct Outcome {
    output: Option<crate::print::OutputFormat>,
    dry_run: DryRun,
    validation: FieldValidation,
    created: usize,
    /// API errors with the source they came from.
    errors: Vec<(Error, String)>,
    selector: Option<crate::api::selector::Selector>,
    save_config: bool,
    /// Objects the builder handed over: read, mapped and matching `-l`.
    selected: usize,
}

/// Converts a read document to its served version (a list item by the list's rules), printing
/// any deprecation warning; the error is one for the builder's aggregate.
pub fn to_served_doc(ctx: &mut Context, obj: &mut serde_json::Value, source: &str, list_item: bool) -> Result<()> {
    let converted = if list_item { convert::to_served_list_item(obj) } else { convert::to_served(obj, source) };
    if let Some(warning) = converted? {
        ctx.warn(&warning);
    }
    Ok(())
}

/// The server's decoding of a request body, its warnings printed as kubectl prints them.
pub fn decode_request(ctx: &mut Context, obj: &mut serde_json::Value, validation: FieldValidation) -> Result<()> {
    for warning in decode::decode(obj, validation)? {
        ctx.warn(&warning);
    }
    Ok(())
}

/// Maps and creates one object, printing its line. An API error joins `out.errors`; a
/// client-side error (mapping, namespace mismatch) is returned for the builder's aggregate.
fn create_doc(ctx: &mut Context, cluster: &mut Cluster, doc: Document, out: &mut Outcome) -> Result<Option<Error>> {
    let Document { source, value: mut obj, list_item, .. } = doc;
    if let Err(e) = to_served_doc(ctx, &mut obj, &source, list_item.is_some()) {
        return Ok(Some(e));
    }
    let namespace = if !ctx.namespace_given && !obj.namespace().is_empty() {
        obj.namespace().to_string()
    } else {
        ctx.namespace.clone()
    };
    if out.selector.as_ref().is_some_and(|sel| !sel.matches_object(&obj)) {
        return Ok(None);
    }
    out.selected += 1;
    // kubectl's builder (`SetNamespace`) fills in a namespaced object's namespace before
    // anything else sees it, so a client dry run prints it and the saved configuration names it.
    if Cluster::kind_of(&obj).is_ok_and(|k| k.namespaced) {
        crate::api::object::set_at(&mut obj, "metadata.namespace", serde_json::Value::String(namespace.clone()));
    }
    if out.save_config {
        super::apply::with_last_applied(&mut obj)?;
    }
    // `--record` after the saved configuration, as kubectl does; a client dry run prints it.
    if let Some(cause) = &ctx.change_cause {
        crate::api::object::set_annotation(&mut obj, "kubernetes.io/change-cause", cause);
    }
    if out.dry_run == DryRun::Client {
        // kubectl prints what it would send, without asking the server.
        let kind = Cluster::kind_of(&obj)?;
        print_created_unstructured(ctx, kind, &obj, out.output.as_ref(), out.dry_run, out.created)?;
        out.created += 1;
        return Ok(None);
    }
    if let Err(e) = decode_request(ctx, &mut obj, out.validation) {
        out.errors.push((e, source));
        return Ok(None);
    }
    match cluster.create(obj, &namespace) {
        Ok(obj) => {
            let kind = Cluster::kind_of(&obj)?;
            print_created_unstructured(ctx, kind, &obj, out.output.as_ref(), out.dry_run, out.created)?;
            out.created += 1;
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

/// One error prints in its own form; several print one line each, without `error: `.
pub fn report(errors: Vec<(Error, String)>, verb: &str) -> Result<()> {
    report_visit(errors, Vec::new(), verb)
}

/// kubectl's `checkErr` over `[api errors..., aggregate(visit errors)]`:
/// - a single API error prints in its own form (`Error from server (..): error when creating ..`,
///   or the `The Kind "name" is invalid: ...` layout);
/// - the builder's aggregate alone is unwrapped once: one plain error prints as `error: <msg>`,
///   several (or one list's nested aggregate) print one line each without `error: `;
/// - otherwise one line per API error, then the whole builder aggregate on one line: its message
///   when it holds one distinct error, else `[a, b, ...]`.
pub fn report_visit(errors: Vec<(Error, String)>, visit: Vec<VisitError>, verb: &str) -> Result<()> {
    match (errors.len(), visit.is_empty()) {
        (0, true) => Ok(()),
        (1, true) => {
            let (e, source) = errors.into_iter().next().expect("one error");
            Err(e.with_source(verb, &source))
        }
        (0, false) => {
            let mut visit = visit;
            if visit.len() == 1 {
                match visit.remove(0) {
                    VisitError::One(e) => return Err(e),
                    VisitError::List(items) => {
                        return Err(Error::Aggregate(items.iter().map(manifest::message_in_aggregate).collect()))
                    }
                }
            }
            Err(Error::Aggregate(visit.iter().map(visit_line).collect()))
        }
        _ => {
            let mut lines: Vec<String> = errors.iter().map(|(e, s)| e.aggregate_line(verb, s)).collect();
            if !visit.is_empty() {
                lines.push(aggregate_message(&visit));
            }
            Err(Error::Aggregate(lines))
        }
    }
}

/// A builder error's line in kubectl's multi-error output.
fn visit_line(v: &VisitError) -> String {
    match v {
        VisitError::One(e) => manifest::message_in_aggregate(e),
        VisitError::List(items) => aggregate_text(items.iter().map(manifest::message_in_aggregate).collect()),
    }
}

/// apimachinery's `aggregate.Error()` over the builder's errors, nested lists flattened.
fn aggregate_message(visit: &[VisitError]) -> String {
    let mut msgs = Vec::new();
    for v in visit {
        match v {
            VisitError::One(e) => msgs.push(manifest::message_in_aggregate(e)),
            VisitError::List(items) => msgs.extend(items.iter().map(manifest::message_in_aggregate)),
        }
    }
    aggregate_text(msgs)
}

/// `aggregate.Error()`: distinct messages in order; one alone as is, several as `[a, b]`.
fn aggregate_text(msgs: Vec<String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for m in msgs {
        if !seen.contains(&m) {
            seen.push(m);
        }
    }
    if seen.len() == 1 {
        seen.remove(0)
    } else {
        format!("[{}]", seen.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exists(name: &str) -> (Error, String) {
        (Error::AlreadyExists { resource: "services".into(), name: name.into() }, "m.yaml".into())
    }

    fn mapping(kind: &str) -> Error {
        Error::Cli(format!("resource mapping not found for {kind}"))
    }

    #[test]
    fn a_lone_mapping_error_keeps_its_prefix() {
        let e = report_visit(vec![], vec![VisitError::One(mapping("Foo"))], "creating").unwrap_err();
        assert_eq!(e.to_string(), "error: resource mapping not found for Foo");
    }

    #[test]
    fn a_lone_list_aggregate_loses_the_prefix() {
        let e =
            report_visit(vec![], vec![VisitError::List(vec![Error::Raw("unable to recognize x".into())])], "creating")
                .unwrap_err();
        assert_eq!(e.to_string(), "unable to recognize x");
    }

    #[test]
    fn builder_errors_follow_api_errors_in_one_line() {
        let visit = vec![VisitError::One(mapping("Foo")), VisitError::One(mapping("Bar"))];
        let e = report_visit(vec![exists("nginx")], visit, "creating").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Error from server (AlreadyExists): error when creating \"m.yaml\": services \"nginx\" already exists\n\
             [resource mapping not found for Foo, resource mapping not found for Bar]"
        );
        let e = report_visit(vec![exists("a")], vec![VisitError::One(mapping("Foo"))], "creating").unwrap_err();
        assert!(e.to_string().ends_with("already exists\nresource mapping not found for Foo"));
    }

    #[test]
    fn repeated_builder_errors_are_printed_once_inside_the_aggregate() {
        let visit = vec![VisitError::One(mapping("Foo")), VisitError::One(mapping("Foo"))];
        let e = report_visit(vec![exists("a")], visit, "creating").unwrap_err();
        assert!(e.to_string().ends_with("already exists\nresource mapping not found for Foo"));
    }
}
