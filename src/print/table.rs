//! Placeholder tables (replaced by the full per-kind columns).

use serde_json::Value;

use crate::api::{Kind, ObjectExt};
use crate::clock::Instant;

#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    pub wide: bool,
    pub no_headers: bool,
    pub kind_prefix: bool,
    pub all_namespaces: bool,
    pub show_labels: bool,
    pub label_columns: Vec<String>,
}

pub fn render(kind: &Kind, objects: &[Value], opts: &TableOptions, now: Instant) -> String {
    if objects.is_empty() {
        return String::new();
    }
    let mut text = String::new();
    if !opts.no_headers {
        text.push_str("NAME\tSTATUS\tAGE\n");
    }
    for o in objects {
        let name = if opts.kind_prefix { format!("{}/{}", kind.name_prefix(), o.name()) } else { o.name().to_string() };
        text.push_str(&format!("{name}\t{}\t{}\n", o.str_at("status.phase"), crate::print::age::age(now, o.created())));
    }
    crate::print::tabwriter::align(&text, crate::print::tabwriter::TABLE)
}

pub fn custom_columns(_spec: &str, _objects: &[Value], _no_headers: bool) -> Result<String, String> {
    Err("custom-columns not yet supported".into())
}
