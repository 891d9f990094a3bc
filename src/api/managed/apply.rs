//! Server-side apply (`PATCH` with `application/apply-patch+yaml`): the applied configuration is
//! merged into the live object, the applier owns exactly the fields of its configuration, fields
//! it owned before and no longer applies are removed when nobody else owns them, and a field
//! another manager owns with a different value is a conflict unless forced.

use serde_json::Value;

use super::fieldset::{self, Mode};
use super::{entries, entry, is, set_entries, Writer};
use crate::api::patch::strategic_merge;
use crate::api::ObjectExt;

/// The client-side apply manager; the first server-side apply takes its fields over.
pub const CLIENT_SIDE: &str = "kubectl-client-side-apply";
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Fields another manager owns with another value.
#[derive(Debug, PartialEq, Eq)]
pub struct Conflicts(pub Vec<(String, String)>);

impl Conflicts {
    /// `Apply failed with N conflict(s): ...`, as `managedfields/internal/conflict.go` words it.
    pub fn message(&self) -> String {
        if let [(manager, path)] = self.0.as_slice() {
            return format!("Apply failed with 1 conflict: conflict with {manager}: {path}");
        }
        let mut managers: Vec<&String> = self.0.iter().map(|(m, _)| m).collect();
        managers.sort();
        managers.dedup();
        let mut lines = Vec::new();
        for m in managers {
            lines.push(format!("conflicts with {m}:"));
            lines.extend(self.0.iter().filter(|(x, _)| x == m).map(|(_, p)| format!("- {p}")));
        }
        format!("Apply failed with {} conflicts: {}", self.0.len(), lines.join("\n"))
    }
}

/// How a conflict names a manager (`printManager`): an `Update` with its API version.
fn manager_display(e: &Value) -> String {
    let mut s = format!("{:?}", e.str_at("manager"));
    let sub = e.str_at("subresource");
    if !sub.is_empty() {
        s.push_str(&format!(" with subresource {sub:?}"));
    }
    if e.str_at("operation") == "Update" {
        s.push_str(&format!(" using {}", e.str_at("apiVersion")));
    }
    s
}

/// The object after `writer` applied `config` to `live` (none: the object is created).
pub fn apply(live: Option<&Value>, config: &Value, writer: Writer, force: bool) -> Result<Value, Conflicts> {
    let mut config = config.clone();
    if let Some(meta) = config.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    let applied = fieldset::of_object(&config, Mode::Apply);
    let Some(live) = live else {
        let mut obj = config;
        set_entries(&mut obj, vec![entry(writer, "Apply", applied)]);
        return Ok(obj);
    };
    let mut list = entries(live);
    let last_applied: Option<Value> = live.annotation(LAST_APPLIED).and_then(|s| serde_json::from_str(s).ok());
    let mut conflicts = Vec::new();
    let mut taken = Vec::new();
    for leaf in fieldset::leaves(&applied) {
        if fieldset::value_at(&config, &leaf) == fieldset::value_at(live, &leaf) {
            continue;
        }
        for e in list.iter().filter(|e| !is(e, writer.manager, "Apply")) {
            if !fieldset::contains(&e["fieldsV1"], &leaf) {
                continue;
            }
            // The last-applied manager: what client-side apply last applied is handed over, to
            // kubectl's own manager only (others opt out of the upgrade, `lastAppliedManager`).
            let handed_over = writer.manager == "kubectl"
                && is(e, CLIENT_SIDE, "Update")
                && last_applied.as_ref().is_some_and(|l| fieldset::value_at(l, &leaf).is_some());
            if !force && !handed_over {
                conflicts.push((manager_display(e), fieldset::display(&leaf)));
            }
        }
        taken.push(leaf);
    }
    if !conflicts.is_empty() {
        return Err(Conflicts(conflicts));
    }
    for e in list.iter_mut().filter(|e| !is(e, writer.manager, "Apply")) {
        if let Some(set) = e.get_mut("fieldsV1") {
            taken.iter().for_each(|leaf| fieldset::remove(set, leaf));
        }
    }
    let mut obj = strategic_merge(live, &config).unwrap_or_else(|_| live.clone());
    if let Some(own) = list.iter().find(|e| is(e, writer.manager, "Apply")) {
        for leaf in fieldset::leaves(&own["fieldsV1"]) {
            let elsewhere =
                list.iter().any(|e| !is(e, writer.manager, "Apply") && fieldset::contains(&e["fieldsV1"], &leaf));
            if !fieldset::contains(&applied, &leaf) && !elsewhere {
                remove_field(&mut obj, &leaf);
            }
        }
    }
    list.retain(|e| !is(e, writer.manager, "Apply"));
    list.push(entry(writer, "Apply", applied));
    set_entries(&mut obj, list);
    // The API server's `lastAppliedUpdater`: kubectl's own server-side apply keeps an existing
    // last-applied annotation in step with what it applied, so a later client-side apply merges
    // against it (the downgrade path).
    if writer.manager == "kubectl" && live.annotation(LAST_APPLIED).is_some() {
        let text = last_applied_of(&config);
        if let Some(m) = obj.pointer_mut("/metadata/annotations").and_then(Value::as_object_mut) {
            m.insert(LAST_APPLIED.to_string(), Value::String(text));
        }
    }
    Ok(obj)
}

/// `buildLastApplied`: the applied configuration without the annotation, as compact JSON
/// (sorted keys, a trailing newline, as Go's JSON encoder writes it).
fn last_applied_of(config: &Value) -> String {
    let mut c = config.clone();
    if let Some(m) = c.pointer_mut("/metadata/annotations").and_then(Value::as_object_mut) {
        m.remove(LAST_APPLIED);
    }
    format!("{}\n", crate::print::json::to_compact_json(&c))
}

/// kubectl's migration after a server-side apply (`csaupgrade`): the fields of the client-side
/// apply managers become the applier's.
pub fn migrate_client_side(obj: &mut Value, manager: &str) {
    let mut list = entries(obj);
    let mut moved = Value::Object(Default::default());
    for e in list.iter().filter(|e| is(e, CLIENT_SIDE, "Update") || is(e, "kubectl", "Update")) {
        moved = fieldset::union(&moved, &e["fieldsV1"]);
    }
    if moved.as_object().is_none_or(|m| m.is_empty()) {
        return;
    }
    list.retain(|e| !(is(e, CLIENT_SIDE, "Update") || is(e, "kubectl", "Update")));
    if let Some(own) = list.iter_mut().find(|e| is(e, manager, "Apply")) {
        own["fieldsV1"] = fieldset::union(&moved, &own["fieldsV1"]);
    }
    set_entries(obj, list);
}

/// Removes the field at a set path from the object.
fn remove_field(obj: &mut Value, path: &[String]) {
    let Some((last, parents)) = path.split_last() else { return };
    let Some(parent) = value_at_mut(obj, parents) else { return };
    if let Some(f) = last.strip_prefix("f:") {
        if let Some(m) = parent.as_object_mut() {
            m.remove(f);
        }
    } else if let Some(items) = parent.as_array_mut() {
        let probe = Value::Array(items.clone());
        let wanted = fieldset::value_at(&probe, std::slice::from_ref(last)).cloned();
        if let Some(w) = wanted {
            items.retain(|i| *i != w);
        }
    }
}

fn value_at_mut<'a>(obj: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    let mut node = obj;
    let mut names: Vec<String> = Vec::new();
    for k in path {
        node = if let Some(f) = k.strip_prefix("f:") {
            names.push(f.to_string());
            node.get_mut(f)?
        } else {
            let (field, parents) = names.split_last()?;
            let items = node.as_array_mut()?;
            let idx = items.iter().position(|i| match k.strip_prefix("v:") {
                Some(v) => serde_json::from_str::<Value>(v).ok().as_ref() == Some(i),
                None => fieldset::element_key(parents, field, i).as_deref() == Some(k.as_str()),
            })?;
            items.get_mut(idx)?
        };
    }
    Some(node)
}
