//! What every describer shares: kubectl's `PrefixWriter`, the multi-line label/annotation/toleration
//! helpers, the Events section and Go-style value formatting.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Related;
use crate::api::ObjectExt;
use crate::clock::{format_rfc1123z, Instant};
use crate::print::age::human_duration;
use crate::print::tabwriter::{align, DESCRIBE};

/// What a describer needs besides the object.
pub struct Ctx<'a> {
    pub related: &'a Related,
    pub now: Instant,
}

/// kubectl's `PrefixWriter` over a tabwriter: `line(level, text)` prepends two spaces per level.
/// `flush` aligns what was written so far on its own, as `w.Flush()` does before the Events table.
#[derive(Default)]
pub struct Writer {
    pending: String,
    done: String,
    /// Levels added to every write, as kubectl's `NewNestedPrefixWriter` (even to level-0 fragments).
    nest: usize,
}

impl Writer {
    pub fn new() -> Writer {
        Writer::default()
    }

    /// Writes `text` (which may hold tabs and several lines) after `level` indents, escaped as
    /// kubectl's `printers.WriteEscaped` does (ESC as `^[`, CR as `\r`) before the tabwriter sees it.
    pub fn write(&mut self, level: usize, text: &str) {
        for _ in 0..level + self.nest {
            self.pending.push_str("  ");
        }
        if text.contains(['\x1b', '\r']) {
            self.pending.push_str(&text.replace('\x1b', "^[").replace('\r', "\\r"));
        } else {
            self.pending.push_str(text);
        }
    }

    /// `write` plus the newline every kubectl format string ends with.
    pub fn line(&mut self, level: usize, text: &str) {
        self.write(level, text);
        self.pending.push('\n');
    }

    /// Runs `f` with every write `by` levels deeper (`NewNestedPrefixWriter(w, by)`).
    pub fn nested(&mut self, by: usize, f: impl FnOnce(&mut Writer)) {
        self.nest += by;
        f(self);
        self.nest -= by;
    }

    pub fn flush(&mut self) {
        let text = std::mem::take(&mut self.pending);
        self.done.push_str(&align(&text, DESCRIBE));
    }

    /// What was written, without the tabwriter (kubectl's bare `PrefixWriter` over a buffer).
    pub fn unaligned(self) -> String {
        self.done + &self.pending
    }

    pub fn finish(mut self) -> String {
        self.flush();
        self.done
    }
}

/// Go's zero `time.Time` formatted with RFC1123Z, printed when a timestamp is missing.
const ZERO_TIME: &str = "Mon, 01 Jan 0001 00:00:00 +0000";

/// A timestamp field as `describe` prints absolute times (UTC, RFC1123Z).
pub fn rfc1123(obj: &Value, path: &str) -> String {
    obj.time_at(path).map(format_rfc1123z).unwrap_or_else(|| ZERO_TIME.to_string())
}

/// `translateTimestampSince`: the age of a timestamp field, `<unknown>` when unset.
pub fn since(now: Instant, obj: &Value, path: &str) -> String {
    match obj.time_at(path) {
        Some(t) => human_duration(now - t),
        None => "<unknown>".to_string(),
    }
}

/// Go `%v` of a JSON scalar the way the typed API structs print it; `<nil>` for null/missing.
pub fn go_value(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "<nil>".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => go_slice(items),
        Some(Value::Object(m)) => {
            let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k}:{}", go_value(Some(v)))).collect();
            format!("map[{}]", parts.join(" "))
        }
        Some(other) => other.to_string(),
    }
}

/// Go `%v` of a slice: `[a b]`.
pub fn go_slice(items: &[Value]) -> String {
    let parts: Vec<String> = items.iter().map(|v| go_value(Some(v))).collect();
    format!("[{}]", parts.join(" "))
}

/// A bool field printed with `%v` (`false` when unset, as Go's zero value).
pub fn bool_at(obj: &Value, path: &str) -> bool {
    obj.at(path).and_then(Value::as_bool).unwrap_or(false)
}

/// kubectl's `printBool`.
pub fn print_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// An integer field as `%d` (0 when unset).
pub fn int_at(obj: &Value, path: &str) -> i64 {
    obj.i64_at(path).unwrap_or(0)
}

pub fn or_none(s: &str) -> &str {
    if s.is_empty() {
        "<none>"
    } else {
        s
    }
}

/// A string map at `path` (labels, selectors), sorted by key.
pub fn string_map(obj: &Value, path: &str) -> BTreeMap<String, String> {
    obj.map_at(path)
}

/// The strings of an array field.
pub fn strings_at(obj: &Value, path: &str) -> Vec<String> {
    obj.array_at(path).iter().map(|v| go_value(Some(v))).collect()
}

/// `printLabelsMultilineWithIndent`: first `k=v` on the title line, the others on continuation lines.
pub fn labels_multiline_indent(w: &mut Writer, indent: &str, title: &str, labels: &BTreeMap<String, String>) {
    w.write(0, &format!("{indent}{title}:\t"));
    if labels.is_empty() {
        w.line(0, "<none>");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            // Two writes, as kubectl's: a nested writer prefixes each.
            w.write(0, indent);
            w.write(0, "\t");
        }
        w.line(0, &format!("{k}={v}"));
    }
}

pub fn labels_multiline(w: &mut Writer, title: &str, labels: &BTreeMap<String, String>) {
    labels_multiline_indent(w, "", title, labels);
}

const MAX_ANNOTATION_LEN: usize = 140;

/// `printAnnotationsMultiline`: `k: v`, long or multi-line values on their own indented lines.
pub fn annotations_multiline(w: &mut Writer, title: &str, annotations: &BTreeMap<String, String>) {
    w.write(0, &format!("{title}:\t"));
    let keys: Vec<&String> =
        annotations.keys().filter(|k| k.as_str() != "kubectl.kubernetes.io/last-applied-configuration").collect();
    if keys.is_empty() {
        w.line(0, "<none>");
        return;
    }
    for (i, key) in keys.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let raw = &annotations[*key];
        let value = raw.strip_suffix('\n').unwrap_or(raw);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.line(0, &format!("{key}:"));
            for s in value.split('\n') {
                w.line(0, &format!("\t  {}", shorten(s, MAX_ANNOTATION_LEN - 2)));
            }
        } else {
            w.line(0, &format!("{key}: {value}"));
        }
    }
}

/// Go's `s[:max] + "..."` on bytes (a cut inside a UTF-8 sequence keeps the valid prefix).
pub fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let cut = String::from_utf8_lossy(&s.as_bytes()[..max]).into_owned();
    format!("{cut}...")
}

/// `printTolerationsMultilineWithIndent`, sorted by key (stable, as Go's insertion sort for few items).
pub fn tolerations_multiline(w: &mut Writer, title: &str, tolerations: &[Value]) {
    w.write(0, &format!("{title}:\t"));
    if tolerations.is_empty() {
        w.line(0, "<none>");
        return;
    }
    let mut sorted: Vec<&Value> = tolerations.iter().collect();
    sorted.sort_by(|a, b| a.str_at("key").cmp(b.str_at("key")));
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        w.line(0, &toleration_text(t));
    }
}

fn toleration_text(t: &Value) -> String {
    let (key, value, effect) = (t.str_at("key"), t.str_at("value"), t.str_at("effect"));
    let mut s = key.to_string();
    if !value.is_empty() {
        s.push_str(&format!("={value}"));
    }
    if !effect.is_empty() {
        s.push_str(&format!(":{effect}"));
    }
    // `operator: Exists` without a value tolerates everything matching key/effect.
    if t.str_at("operator") == "Exists" && value.is_empty() {
        s.push_str(if key.is_empty() && effect.is_empty() { "op=Exists" } else { " op=Exists" });
    }
    if let Some(secs) = t.i64_at("tolerationSeconds") {
        s.push_str(&format!(" for {secs}s"));
    }
    s
}

/// `Kind/name` of the controller owner reference, if any.
pub fn controlled_by(obj: &Value) -> Option<String> {
    obj.controller_ref().map(|r| format!("{}/{}", r.str_at("kind"), r.str_at("name")))
}

/// `DescribeEvents`: `Events:\t<none>` joins the block above; a table is aligned on its own.
pub fn events(w: &mut Writer, ctx: &Ctx) {
    let list = &ctx.related.events;
    if list.is_empty() {
        w.line(0, "Events:\t<none>");
        return;
    }
    w.flush();
    let mut sorted: Vec<&Value> = list.iter().collect();
    // kubectl's SortableEvents orders by lastTimestamp; an unset one is Go's zero time (first).
    sorted.sort_by_key(|e| e.time_at("lastTimestamp").unwrap_or(i64::MIN));
    w.line(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage");
    w.line(1, "----\t------\t----\t----\t-------");
    for e in sorted {
        let source = match e.str_at("source.component") {
            "" => e.str_at("reportingComponent"),
            c => c,
        };
        w.line(
            1,
            &format!(
                "{}\t{}\t{}\t{}\t{}",
                e.str_at("type"),
                e.str_at("reason"),
                event_age(e, ctx.now),
                source,
                e.str_at("message").trim()
            ),
        );
    }
}

/// The Age cell: first-seen age, or `last (xN over first)` for repeated or series events.
fn event_age(e: &Value, now: Instant) -> String {
    let first =
        if e.time_at("eventTime").is_some() { since(now, e, "eventTime") } else { since(now, e, "firstTimestamp") };
    if e.at("series").is_some_and(|s| !s.is_null()) {
        let count = int_at(e, "series.count");
        return format!("{} (x{count} over {first})", since(now, e, "series.lastObservedTime"));
    }
    let count = int_at(e, "count");
    if count > 1 {
        return format!("{} (x{count} over {first})", since(now, e, "lastTimestamp"));
    }
    first
}
