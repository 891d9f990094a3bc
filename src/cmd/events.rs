//! `kstate events`: kubectl v1.32's `kubectl events` (`pkg/cmd/events`): the events of a namespace
//! (or all), optionally those of one object (`--for TYPE/NAME`) or of some types, sorted by time
//! with Go's unstable `sort.Sort`, as a `LAST SEEN TYPE REASON OBJECT MESSAGE` table or as the
//! typed `EventList` kubectl prints with `-o`.

use serde_json::{Map, Value};

use super::{io, Context};
use crate::api::kinds::{self, EVENT};
use crate::api::ObjectExt;
use crate::clock::{parse_rfc3339, Instant};
use crate::print::age::age;
use crate::print::{gosort, gotemplate, json, jsonpath, tabwriter, yaml, OutputFormat};
use crate::{Error, Result};

pub struct Request {
    pub all_namespaces: bool,
    /// `--for TYPE/NAME`.
    pub for_object: Option<String>,
    /// `--types`, as given (validated here).
    pub types: Vec<String>,
    pub no_headers: bool,
    /// `-o`, already parsed (None: the events table).
    pub output: Option<OutputFormat>,
    pub watch: bool,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let involved = match req.for_object.as_deref() {
        Some(f) if !f.is_empty() => Some(for_object(f)?),
        _ => None,
    };
    if req.types.iter().any(|t| !t.eq_ignore_ascii_case("Normal") && !t.eq_ignore_ascii_case("Warning")) {
        return Err(Error::cli("valid --types are Normal or Warning"));
    }
    let cluster_ns = (!req.all_namespaces).then(|| ctx.namespace.clone());
    let mut cluster = ctx.read()?;
    cluster.load(&EVENT, cluster_ns.as_deref())?;
    let mut events: Vec<Value> = cluster
        .iter(&EVENT, cluster_ns.as_deref())
        .filter(|e| match &involved {
            Some((kind, name)) => e.str_at("involvedObject.kind") == *kind && e.str_at("involvedObject.name") == name,
            None => true,
        })
        .filter(|e| req.types.is_empty() || req.types.iter().any(|t| t.eq_ignore_ascii_case(e.str_at("type"))))
        .map(typed_event)
        .collect();
    let now = cluster.clock.now();
    cluster.abandon()?;
    // The API server lists by key: namespace, then name.
    events.sort_by(|a, b| (a.namespace(), a.name()).cmp(&(b.namespace(), b.name())));
    if req.watch {
        return watch(ctx, &req, &events, now);
    }
    if events.is_empty() {
        let msg = if req.all_namespaces {
            "No events found.".to_string()
        } else {
            format!("No events found in {} namespace.", ctx.namespace)
        };
        return ctx.say_err(&msg);
    }
    gosort::sort(&mut events, |a, b| sort_time(a) < sort_time(b));
    let text = match &req.output {
        None => {
            let mut table = String::new();
            if !req.no_headers {
                table.push_str(&header(req.all_namespaces));
            }
            for e in &events {
                table.push_str(&row(e, now, req.all_namespaces));
            }
            tabwriter::align(&table, tabwriter::TABLE)
        }
        Some(format) => print(format, &event_list(events))?,
    };
    ctx.out.write_all(text.as_bytes()).map_err(io)
}

/// `-w`: kubectl watches without a resourceVersion, so the server first sends every existing
/// event (in its key order) and kubectl prints each as it comes, flushing its tab writer after
/// each one. kstate's cluster has converged, so the watch ends there.
fn watch(ctx: &mut Context, req: &Request, events: &[Value], now: Instant) -> Result<()> {
    let mut out = String::new();
    for (i, e) in events.iter().enumerate() {
        match &req.output {
            None => {
                let mut chunk = String::new();
                if i == 0 && !req.no_headers {
                    chunk.push_str(&header(req.all_namespaces));
                }
                chunk.push_str(&row(e, now, req.all_namespaces));
                out.push_str(&tabwriter::align(&chunk, tabwriter::TABLE));
            }
            Some(OutputFormat::Yaml) if i > 0 => out.push_str(&format!("---\n{}", print(&OutputFormat::Yaml, e)?)),
            Some(format) => out.push_str(&print(format, e)?),
        }
    }
    ctx.out.write_all(out.as_bytes()).map_err(io)
}

/// `--for TYPE/NAME`: the kind and the name, with kubectl's errors.
fn for_object(spec: &str) -> Result<(&'static str, String)> {
    let Some((typed, name)) = spec.split_once('/') else {
        return Err(Error::cli("--for must be in resource/name form"));
    };
    if name.contains('/') {
        return Err(Error::cli("arguments in resource/name form may not have more than one slash"));
    }
    let kind = kinds::lookup(typed)
        .ok_or_else(|| Error::Raw(format!("the server doesn't have a resource type \"{typed}\"")))?;
    Ok((kind.kind, name.to_string()))
}

fn header(all_namespaces: bool) -> String {
    let ns = if all_namespaces { "NAMESPACE\t" } else { "" };
    format!("{ns}LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n")
}

/// One line of kubectl's `EventPrinter`.
fn row(e: &Value, now: Instant, all_namespaces: bool) -> String {
    let ns = if all_namespaces { format!("{}\t", e.namespace()) } else { String::new() };
    format!(
        "{ns}{}\t{}\t{}\t{}/{}\t{}\n",
        interval(e, now),
        escape(e.str_at("type")),
        escape(e.str_at("reason")),
        escape(e.str_at("involvedObject.kind")),
        escape(e.str_at("involvedObject.name")),
        escape(e.str_at("message").trim()),
    )
}

/// `getInterval`: the age of the first sighting, or `LAST (xN over FIRST)` for repeated events.
fn interval(e: &Value, now: Instant) -> String {
    let first = match e.time_at("eventTime") {
        Some(t) => age(now, Some(t)),
        None => age(now, e.time_at("firstTimestamp")),
    };
    if let Some(series) = e.at("series").filter(|s| s.is_object()) {
        let count = series.i64_at("count").unwrap_or(0);
        return format!("{} (x{count} over {first})", age(now, series.time_at("lastObservedTime")));
    }
    let count = e.i64_at("count").unwrap_or(0);
    if count > 1 {
        return format!("{} (x{count} over {first})", age(now, e.time_at("lastTimestamp")));
    }
    first
}

/// The event printer's cell escaping: cut at the first line break (then `...`), ESC as `^[`.
fn escape(cell: &str) -> String {
    let (text, cut) = match cell.find(['\u{c}', '\n', '\r']) {
        Some(i) => (&cell[..i], true),
        None => (cell, false),
    };
    let mut out = text.replace('\u{1b}', "^[");
    if cut {
        out.push_str("...");
    }
    out
}

/// The time kubectl sorts by (`eventTime()`), in microseconds: the series' last sighting, else
/// `lastTimestamp`, else `eventTime`; no time at all sorts first.
fn sort_time(e: &Value) -> i64 {
    let micros = |path: &str| -> Option<i64> {
        let text = e.str_at(path);
        let seconds = parse_rfc3339(text)?;
        let frac = text.get(20..).filter(|_| text.as_bytes().get(19) == Some(&b'.')).unwrap_or("");
        let digits: String = frac.chars().take_while(|c| c.is_ascii_digit()).chain("000000".chars()).take(6).collect();
        Some(seconds * 1_000_000 + digits.parse::<i64>().unwrap_or(0))
    };
    let zero = i64::MIN;
    if e.at("series").is_some_and(|s| s.is_object()) {
        return micros("series.lastObservedTime").unwrap_or(zero);
    }
    micros("lastTimestamp").or_else(|| micros("eventTime")).unwrap_or(zero)
}

/// The event as the typed client sees it: kind and apiVersion set, and the fields Go always
/// marshals (no `omitempty`, or a struct) present.
fn typed_event(e: &Value) -> Value {
    let mut m: Map<String, Value> = e.as_object().cloned().unwrap_or_default();
    m.insert("kind".into(), "Event".into());
    m.insert("apiVersion".into(), "v1".into());
    for (field, zero) in [
        ("metadata", Value::Object(Map::new())),
        ("involvedObject", Value::Object(Map::new())),
        ("source", Value::Object(Map::new())),
        ("firstTimestamp", Value::Null),
        ("lastTimestamp", Value::Null),
        ("eventTime", Value::Null),
        ("reportingComponent", Value::from("")),
        ("reportingInstance", Value::from("")),
    ] {
        m.entry(field).or_insert(zero);
    }
    if let Some(meta) = m.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.entry("creationTimestamp").or_insert(Value::Null);
    }
    Value::Object(m)
}

fn event_list(items: Vec<Value>) -> Value {
    let mut m = Map::new();
    m.insert("kind".into(), "EventList".into());
    m.insert("apiVersion".into(), "v1".into());
    m.insert("metadata".into(), Value::Object(Map::new()));
    m.insert("items".into(), Value::Array(items));
    Value::Object(m)
}

/// kubectl's printers over the typed list (or one event, when watching). The name printer fails
/// on it and kubectl ignores the error, so `-o name` prints nothing.
fn print(format: &OutputFormat, v: &Value) -> Result<String> {
    Ok(match format {
        OutputFormat::Yaml => yaml::checked(v).map_err(Error::cli)?,
        OutputFormat::Json if v.str_at("kind") == "EventList" => json::to_json_typed(v, &list_order),
        OutputFormat::Json => json::to_json_typed(v, &event_order),
        OutputFormat::JsonPath(t) => jsonpath::render(t, v).map_err(Error::cli)?,
        OutputFormat::JsonPathAsJson(t) => jsonpath::render_as_json(t, v).map_err(Error::cli)?,
        OutputFormat::GoTemplate(t) => gotemplate::render(t, v).map_err(Error::cli)?,
        _ => String::new(),
    })
}

/// The field order of `corev1.EventList`, by the path of keys to an object.
fn list_order(path: &[&str]) -> &'static [&'static str] {
    match path.split_first() {
        None => &["kind", "apiVersion", "metadata", "items"],
        Some((&"items", rest)) => event_order(rest),
        Some(_) => &[],
    }
}

/// The field order of `corev1.Event` and the types it holds, by the path of keys to an object.
fn event_order(path: &[&str]) -> &'static [&'static str] {
    const OBJECT_META: &[&str] = crate::print::json::OBJECT_META_ORDER;
    const EVENT_FIELDS: &[&str] = &[
        "kind",
        "apiVersion",
        "metadata",
        "involvedObject",
        "reason",
        "message",
        "source",
        "firstTimestamp",
        "lastTimestamp",
        "count",
        "type",
        "eventTime",
        "series",
        "action",
        "related",
        "reportingComponent",
        "reportingInstance",
    ];
    const REFERENCE: &[&str] = &["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"];
    match path {
        [] => EVENT_FIELDS,
        ["metadata"] => OBJECT_META,
        ["metadata", "ownerReferences"] => &["apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion"],
        ["metadata", "managedFields"] => {
            &["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1", "subresource"]
        }
        ["involvedObject"] | ["related"] => REFERENCE,
        ["source"] => &["component", "host"],
        ["series"] => &["count", "lastObservedTime"],
        _ => &[],
    }
}
