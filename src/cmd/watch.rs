//! `get -w/--watch`, `--watch-only`, `--output-watch-events`, replayed from the history of the last
//! command that changed the cluster.
//!
//! kstate converges inside each command, so there is nothing left to wait for when `get -w` runs.
//! What a user watching during the last changing command would have seen is in the store's
//! history: the state of every object that command touched before it ran, then each version it
//! wrote. The watch prints the list as it was before that command (current objects, with the
//! touched ones replaced by their earlier state), then one event per later version, and exits.
//!
//! Layout follows kubectl: the list is one table; each event is one more row, printed without a
//! header and laid out with the widths remembered from earlier rows (they may grow, never shrink);
//! a deleted object prints its last state. `--output-watch-events` adds the EVENT column (`ADDED`,
//! `MODIFIED`, `DELETED`), or wraps objects as `{"type", "object"}` for json/yaml.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};
use serde_json::{json, Value};

use super::get::{Filter, Found, Request};
use super::{io, Context};
use crate::api::ObjectExt;
use crate::clock::Instant;
use crate::cluster::HistoryRow;
use crate::print::table::{self, TableOptions};
use crate::print::{gotemplate, json, jsonpath, sort, yaml, OutputFormat};
use crate::{Error, Result};

pub(crate) struct Watch<'a> {
    pub found: Found,
    pub history: Vec<HistoryRow>,
    /// None with `-A`.
    pub namespace: Option<&'a str>,
    pub filter: &'a Filter,
    pub now: Instant,
}

type ObjKey = (String, String);

/// One watch event: its type and the object it carries.
struct Event {
    kind: &'static str,
    object: Value,
}

pub(crate) fn run(ctx: &mut Context, req: &Request, w: Watch) -> Result<()> {
    let kind = w.found.target.kind;
    let names = &w.found.target.names;
    let in_scope = |ns: &str, name: &str| {
        (!kind.namespaced || w.namespace.is_none_or(|n| n == ns))
            && (names.is_empty() || names.iter().any(|x| x == name))
    };
    let rows: Vec<&HistoryRow> =
        w.history.iter().filter(|r| r.kind == kind.kind && in_scope(&r.namespace, &r.name)).collect();

    // The list as it was before the last changing command.
    let mut before: BTreeMap<ObjKey, Value> =
        w.found.objects.into_iter().map(|o| ((o.namespace().to_string(), o.name().to_string()), o)).collect();
    let mut state: HashMap<ObjKey, Option<Value>> = HashMap::new();
    for r in rows.iter().filter(|r| r.initial) {
        let key = (r.namespace.clone(), r.name.clone());
        before.remove(&key);
        if let Some(b) = &r.body {
            if w.filter.matches(kind, b) {
                before.insert(key.clone(), b.clone());
            }
        }
        state.insert(key, r.body.clone());
    }
    let mut initial: Vec<Value> = before.into_values().collect();
    if let Some(field) = &req.sort_by {
        sort::sort_objects(&mut initial, field).map_err(Error::cli)?;
    }

    let mut events: Vec<Event> = Vec::new();
    for r in rows.iter().filter(|r| !r.initial) {
        let key = (r.namespace.clone(), r.name.clone());
        let prev = state.get(&key).cloned().flatten();
        match &r.body {
            Some(b) => {
                if w.filter.matches(kind, b) {
                    events.push(Event { kind: if prev.is_some() { "MODIFIED" } else { "ADDED" }, object: b.clone() });
                }
            }
            None => {
                if let Some(last) = &prev {
                    if w.filter.matches(kind, last) {
                        events.push(Event { kind: "DELETED", object: last.clone() });
                    }
                }
            }
        }
        state.insert(key, r.body.clone());
    }

    let mut batches: Vec<Vec<Event>> = Vec::new();
    if !req.watch_only {
        batches.push(initial.into_iter().map(|o| Event { kind: "ADDED", object: o }).collect());
    }
    batches.extend(events.into_iter().map(|e| vec![e]));

    match &req.output {
        OutputFormat::Table | OutputFormat::Wide => {
            let opts = TableOptions {
                wide: req.output == OutputFormat::Wide,
                no_headers: req.no_headers,
                kind_prefix: false,
                all_namespaces: req.all_namespaces,
                show_labels: req.show_labels,
                label_columns: req.label_columns.clone(),
            };
            let mut widths: Vec<usize> = Vec::new();
            let mut header_printed = false;
            for batch in batches {
                if batch.is_empty() {
                    continue;
                }
                let objects: Vec<Value> = batch.iter().map(|e| e.object.clone()).collect();
                let header_opts = TableOptions { no_headers: opts.no_headers || header_printed, ..clone_opts(&opts) };
                let mut lines = table::rows(kind, &objects, &header_opts, w.now);
                if req.output_watch_events {
                    let skip = usize::from(!header_opts.no_headers);
                    for (i, line) in lines.iter_mut().enumerate() {
                        let cell = if i < skip { "EVENT" } else { batch[i - skip].kind };
                        line.insert(0, cell.to_string());
                    }
                }
                header_printed = true;
                let text = table::align_remembered(&lines, &mut widths);
                ctx.out.write_all(text.as_bytes()).map_err(io)?;
            }
        }
        format => {
            for (printed, e) in batches.into_iter().flatten().enumerate() {
                let subject = if req.output_watch_events {
                    json!({"type": e.kind, "object": e.object})
                } else {
                    e.object.clone()
                };
                let text = match format {
                    OutputFormat::Yaml => {
                        let doc = yaml::checked(&subject).map_err(Error::cli)?;
                        if printed > 0 {
                            format!("---\n{doc}")
                        } else {
                            doc
                        }
                    }
                    OutputFormat::Json => json::to_json(&subject),
                    OutputFormat::Name => format!("{}/{}\n", kind.name_prefix(), e.object.name()),
                    OutputFormat::JsonPath(t) => jsonpath::render(t, &subject).map_err(Error::cli)?,
                    OutputFormat::JsonPathAsJson(t) => jsonpath::render_as_json(t, &subject).map_err(Error::cli)?,
                    OutputFormat::GoTemplate(t) => gotemplate::render(t, &subject).map_err(Error::cli)?,
                    OutputFormat::CustomColumns(spec) => {
                        table::custom_columns(spec, std::slice::from_ref(&e.object), req.no_headers || printed > 0)
                            .map_err(Error::cli)?
                    }
                    OutputFormat::Table | OutputFormat::Wide => String::new(),
                };
                ctx.out.write_all(text.as_bytes()).map_err(io)?;
            }
        }
    }
    Ok(())
}

fn clone_opts(o: &TableOptions) -> TableOptions {
    TableOptions {
        wide: o.wide,
        no_headers: o.no_headers,
        kind_prefix: o.kind_prefix,
        all_namespaces: o.all_namespaces,
        show_labels: o.show_labels,
        label_columns: o.label_columns.clone(),
    }
}
