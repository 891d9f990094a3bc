//! Reading manifests: YAML and JSON streams from files, folders and stdin, the way kubectl's
//! resource builder reads `-f` (cli-runtime `pkg/resource`: `FileVisitor`, `StreamVisitor`,
//! `FlattenListVisitor`), with kubectl's error texts.
//!
//! kubectl handles each document as it reads it: a document that cannot be parsed or fails the
//! client-side check ends its file (documents before it are still applied), one that cannot be
//! decoded or mapped is reported and skipped. [`read_each`] gives that stream of documents and
//! errors in order; [`read`] is the all-or-nothing form.

mod check;
mod json;
mod paths;
mod stream;
mod yaml;

use serde_json::Value;

use crate::{Error, Result};

/// One object read from a manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The path as the user gave it (or as kubectl joins it inside a folder); `STDIN` for `-`.
    pub source: String,
    /// 0-based position among the objects of this source, after lists are expanded.
    pub index: usize,
    /// 1-based line where the document starts (its first line that is not blank or a comment).
    pub line: usize,
    pub value: Value,
    /// The item's position when the object came from a list document. kubectl words a few
    /// errors differently for list items (see `api::convert::to_served_list_item`).
    pub list_item: Option<usize>,
}

/// How `-f` is read: `-R` and `--validate`.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub recursive: bool,
    /// kubectl's client-side check that `apiVersion` and `kind` are set (`--validate=false` skips it).
    pub validate: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { recursive: false, validate: true }
    }
}

/// Reads -f arguments: a file, a folder (its .yaml/.yml/.json files, sorted, not recursive unless
/// `recursive`), or "-" (stdin). Any error fails the whole read (see [`read_each`] for kubectl's
/// document-by-document behaviour). Several errors come back as one [`Error::Aggregate`].
pub fn read(paths: &[String], recursive: bool, stdin: &mut dyn std::io::Read) -> Result<Vec<Document>> {
    let items = read_each(paths, Options { recursive, validate: true }, stdin)?;
    collect(items)
}

/// Parses one source's text (validation on).
pub fn parse_str(source: &str, text: &str) -> Result<Vec<Document>> {
    collect(parse_each(source, text, true))
}

/// One thing kubectl's resource builder meets while reading `-f`, in order.
#[derive(Debug)]
pub enum Entry {
    /// An object to act on.
    Doc(Document),
    /// A per-source or per-document error (unreadable file, parse, validation, decoding). kubectl
    /// gathers these in the builder's own aggregate, after the errors of the verb itself.
    Error(Error),
    /// The items of a list document, objects and per-item errors in order. kubectl's
    /// `FlattenListVisitor` gathers the errors of one list into a nested aggregate.
    List(Vec<Result<Document>>),
}

/// kubectl's view: every document and every per-document error, in the order kubectl meets them.
/// A missing path fails before anything is read, as in kubectl.
pub fn read_each(paths: &[String], opts: Options, stdin: &mut dyn std::io::Read) -> Result<Vec<Result<Document>>> {
    Ok(flatten(read_entries(paths, opts, stdin)?))
}

/// [`read_each`] with list documents kept together, for verbs that report errors kubectl's way.
pub fn read_entries(paths: &[String], opts: Options, stdin: &mut dyn std::io::Read) -> Result<Vec<Entry>> {
    let sources = paths::expand(paths, opts.recursive)?;
    let mut out = Vec::new();
    for source in sources {
        if let Some((dir, text)) = split_built(&source) {
            out.extend(parse_entries(dir, text, opts.validate));
            continue;
        }
        match paths::load(&source, stdin) {
            Ok(text) => out.extend(parse_entries(&source, &text, opts.validate)),
            // The server refused the request that would have carried the document.
            Err(e @ Error::TooLarge(_)) => out.push(Entry::Error(e.with_source("creating", &source))),
            Err(e) => out.push(Entry::Error(e)),
        }
    }
    Ok(out)
}

fn flatten(entries: Vec<Entry>) -> Vec<Result<Document>> {
    let mut out = Vec::new();
    for entry in entries {
        match entry {
            Entry::Doc(d) => out.push(Ok(d)),
            Entry::Error(e) => out.push(Err(e)),
            Entry::List(items) => out.extend(items),
        }
    }
    out
}

/// The documents and errors of one source's text.
pub fn parse_each(source: &str, text: &str, validate: bool) -> Vec<Result<Document>> {
    flatten(parse_entries(source, text, validate))
}

/// [`parse_each`] with list documents kept together.
pub fn parse_entries(source: &str, text: &str, validate: bool) -> Vec<Entry> {
    let (raws, parse_err) = stream::documents(text);
    let mut out = Vec::new();
    let mut index = 0;
    for raw in raws {
        if validate {
            if let Some(reason) = check::validation_reason(&raw.value) {
                out.push(Entry::Error(Error::Cli(format!(
                    "error validating {}: error validating data: {reason}; if you choose to ignore these \
                     errors, turn validation off with --validate=false",
                    go_quote(source)
                ))));
                return out;
            }
        }
        if let Some(reason) = check::decode_reason(&raw.value) {
            out.push(Entry::Error(Error::Cli(format!("unable to decode {}: {reason}", go_quote(source)))));
            continue;
        }
        let line = raw.line;
        match check::list_items(&raw.value) {
            None => {
                out.push(Entry::Doc(Document {
                    source: source.to_string(),
                    index,
                    line,
                    value: raw.value,
                    list_item: None,
                }));
                index += 1;
            }
            Some(items) => {
                let mut list = Vec::new();
                for (i, item) in items.into_iter().enumerate() {
                    match item {
                        Ok(value) => {
                            list.push(Ok(Document {
                                source: source.to_string(),
                                index,
                                line,
                                value,
                                list_item: Some(i),
                            }));
                            index += 1;
                        }
                        Err(msg) => list.push(Err(Error::Raw(msg))),
                    }
                }
                out.push(Entry::List(list));
            }
        }
    }
    if let Some(e) = parse_err {
        out.push(Entry::Error(Error::Cli(format!("error parsing {source}: {e}"))));
    }
    out
}

/// Marks a `-f` entry that carries the objects `-k DIR` built. It starts with a NUL byte, which
/// no command-line argument can hold, so a user's path is never taken for it.
const BUILT: &str = "\0kustomize\0";

/// `-k DIR`: the objects a kustomization built, as one `-f` entry. They are read as a JSON
/// stream under the source name DIR, as kubectl's `KustomizeVisitor` streams its build under
/// the directory's name, so every verb that reads `-f` reads `-k` the same way.
pub fn built_source(dir: &str, objects: &[Value]) -> String {
    let mut s = format!("{BUILT}{dir}\0");
    for o in objects {
        s.push_str(&o.to_string());
        s.push('\n');
    }
    s
}

/// The directory name and the text of a [`built_source`] entry.
fn split_built(source: &str) -> Option<(&str, &str)> {
    source.strip_prefix(BUILT)?.split_once('\0')
}

/// The documents of one source's text, up to the first parse error (its message, without the
/// source), with none of kubectl's checks: kustomize reads resource files so and checks them itself.
pub fn documents(text: &str) -> (Vec<Value>, Option<String>) {
    let (raws, err) = stream::documents(text);
    (raws.into_iter().map(|r| r.value).collect(), err)
}

/// One YAML (or JSON) text to a JSON value, as `sigs.k8s.io/yaml.ToJSON` reads `kubectl patch -p`.
pub fn yaml_to_json(text: &str) -> std::result::Result<Value, String> {
    yaml::to_json(text).map_err(|e| e.0)
}

/// All documents, or the errors as kubectl prints them when it fails.
fn collect(items: Vec<Result<Document>>) -> Result<Vec<Document>> {
    let mut docs = Vec::new();
    let mut errs = Vec::new();
    for item in items {
        match item {
            Ok(d) => docs.push(d),
            Err(e) => errs.push(e),
        }
    }
    match errs.len() {
        0 => Ok(docs),
        1 => Err(errs.remove(0)),
        _ => Err(Error::Aggregate(errs.iter().map(message_in_aggregate).collect())),
    }
}

/// Inside kubectl's multi-error output no line carries `error: `.
pub(crate) fn message_in_aggregate(e: &Error) -> String {
    match e {
        Error::Cli(m) | Error::Raw(m) => m.clone(),
        other => other.to_string(),
    }
}

/// Go's `%q`, as the messages about files and sources quote them.
pub(crate) use crate::format::go::quote_str as go_quote;

#[cfg(test)]
mod tests;
