//! The `meta.k8s.io/v1` Table that `kubectl get` asks for, with the columns and cells of
//! `print::table` (the printers `kstate get` uses), so both print the same bytes.

use serde_json::{json, Value};

use super::http::Request;
use crate::api::kinds::Kind;
use crate::clock::Instant;
use crate::print::table;

pub const CONTENT_TYPE: &str = "application/json;as=Table;v=v1;g=meta.k8s.io";

/// Whether the client asked for a Table (kubectl's human-readable `get`).
pub fn wanted(req: &Request) -> bool {
    req.header("accept").is_some_and(|a| a.split(',').next().is_some_and(|first| first.contains("as=Table")))
}

fn column_definitions(kind: &Kind) -> Vec<Value> {
    table::columns(kind.kind)
        .iter()
        .map(|c| {
            json!({
                "name": title(c.header),
                "type": "string",
                "format": if c.is_name { "name" } else { "" },
                "description": "",
                "priority": if c.wide { 1 } else { 0 },
            })
        })
        .collect()
}

/// `NOMINATED NODE` → `Nominated Node` (kubectl upper-cases the names again).
fn title(header: &str) -> String {
    let lower = header.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut start = true;
    for ch in lower.chars() {
        if start {
            out.extend(ch.to_uppercase());
        } else {
            out.push(ch);
        }
        start = ch == ' ';
    }
    out
}

/// The row object when `includeObject` is not given: the object's metadata only.
fn partial(obj: &Value) -> Value {
    json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
           "metadata": obj.get("metadata").cloned().unwrap_or_else(|| json!({}))})
}

/// A Table of `objects`; `headers` false leaves out the column definitions (watch events after
/// the first).
pub fn build(kind: &Kind, objects: &[Value], now: Instant, resource_version: &str, headers: bool, full: bool) -> Value {
    let rows: Vec<Value> = objects
        .iter()
        .map(|o| {
            let object = if full { o.clone() } else { partial(o) };
            json!({"cells": table::cells(kind.kind, o, now), "object": object})
        })
        .collect();
    let columns = if headers { column_definitions(kind) } else { Vec::new() };
    json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": resource_version},
        "columnDefinitions": columns,
        "rows": rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_read_as_the_api_servers() {
        assert_eq!(title("NOMINATED NODE"), "Nominated Node");
        assert_eq!(title("PORT(S)"), "Port(s)");
    }
}
