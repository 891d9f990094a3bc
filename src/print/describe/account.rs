//! `describeServiceAccount`: the account's image pull secrets, mountable secrets and legacy token
//! Secrets (each `(not found)` when no Secret of that name exists), in the sorted order of their
//! headers, then its events.

use std::collections::BTreeSet;

use serde_json::Value;

use super::common::{annotations_multiline, events, labels_multiline, string_map, Ctx, Writer};
use crate::api::ObjectExt;

/// Continuation lines under a header are indented by this many spaces (its width).
const EMPTY_HEADER: &str = "                   ";

pub fn describe(sa: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", sa.name()));
    w.line(0, &format!("Namespace:\t{}", sa.namespace()));
    labels_multiline(&mut w, "Labels", &sa.labels());
    annotations_multiline(&mut w, "Annotations", &string_map(sa, "metadata.annotations"));
    let existing: BTreeSet<&str> = ctx.related.secrets.iter().map(|s| s.name()).collect();
    let names =
        |field: &str| -> Vec<String> { sa.array_at(field).iter().map(|r| r.str_at("name").to_string()).collect() };
    // Token Secrets the legacy token controller made for this very account (name and uid).
    let tokens: Vec<String> = ctx
        .related
        .secrets
        .iter()
        .filter(|s| s.str_at("type") == "kubernetes.io/service-account-token")
        .filter(|s| {
            let a = string_map(s, "metadata.annotations");
            a.get("kubernetes.io/service-account.name").map(String::as_str) == Some(sa.name())
                && a.get("kubernetes.io/service-account.uid").map(String::as_str) == Some(sa.uid())
        })
        .map(|s| s.name().to_string())
        .collect();
    let missing = |name: &str| !existing.contains(name);
    let sections = [
        ("Image pull secrets:", names("imagePullSecrets"), true),
        ("Mountable secrets: ", names("secrets"), true),
        ("Tokens:            ", tokens, false),
    ];
    for (header, list, can_miss) in sections {
        if list.is_empty() {
            w.line(0, &format!("{header}\t<none>"));
            continue;
        }
        let mut prefix = header;
        for name in &list {
            let note = if can_miss && missing(name) { " (not found)" } else { "" };
            w.line(0, &format!("{prefix}\t{name}{note}"));
            prefix = EMPTY_HEADER;
        }
    }
    events(&mut w, ctx);
    w.finish()
}
