//! `patches`, `patchesStrategicMerge` and `patchesJson6902` (kustomize's `PatchTransformer`,
//! `PatchStrategicMergeTransformer` and `PatchJson6902Transformer`). A patch that parses as a
//! list of operations is a JSON 6902 patch and needs a target; anything else is a strategic
//! merge patch, applied to the object its own kind and name identify, or to every object the
//! target selects.

use std::collections::BTreeMap;
use std::path::Path;

use regex::Regex;
use serde_json::Value;

use super::load::{Patch, Selector};
use super::merge;
use super::paths;
use super::resource::{str_at, Resource};
use crate::api::patch::json_patch;

/// One `patches` entry.
pub fn apply_patch(resources: &mut Vec<Resource>, root: &Path, p: &Patch) -> Result<(), String> {
    let (text, source) = patch_text(root, p)?;
    let text = text.as_str();
    if text.trim().is_empty() {
        return Err(format!("unable to parse SM or JSON patch from {source}"));
    }
    match crate::manifest::yaml_to_json(text) {
        Ok(ops @ Value::Array(_)) => {
            let Some(target) = &p.target else {
                return Err(format!("must specify a target for JSON patch {source}"));
            };
            json6902(resources, target, &ops)
        }
        _ => {
            let docs = parse_docs(text).map_err(|_| format!("unable to parse SM or JSON patch from {source}"))?;
            match &p.target {
                Some(target) => {
                    if docs.len() > 1 {
                        return Err(format!("Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field: {source}"));
                    }
                    let Some(patch) = docs.first() else { return Ok(()) };
                    let selected = select(resources, target)?;
                    for i in selected.into_iter().rev() {
                        smp(resources, i, patch, &p.options)?;
                    }
                    Ok(())
                }
                None => {
                    for patch in &docs {
                        let i = find_by_id(resources, patch)?;
                        smp(resources, i, patch, &p.options)?;
                    }
                    Ok(())
                }
            }
        }
    }
}

/// One `patchesStrategicMerge` entry: a file name or an inline patch.
pub fn apply_strategic_merge(resources: &mut Vec<Resource>, root: &Path, entry: &str) -> Result<(), String> {
    let text = if !entry.contains('\n') && paths::join(root, entry).is_file() {
        String::from_utf8_lossy(&paths::read_file(root, entry)?).into_owned()
    } else {
        entry.to_string()
    };
    let docs = parse_docs(&text)?;
    for patch in &docs {
        let i = find_by_id(resources, patch)?;
        smp(resources, i, patch, &BTreeMap::new())?;
    }
    Ok(())
}

/// One `patchesJson6902` entry.
pub fn apply_json6902(resources: &mut [Resource], root: &Path, p: &Patch) -> Result<(), String> {
    let (text, _) = patch_text(root, p)?;
    let ops = crate::manifest::yaml_to_json(&text).map_err(|e| format!("failed to decode JSON patch: {e}"))?;
    let Some(target) = &p.target else { return Err("must specify the target field in patchesJson6902".into()) };
    json6902(resources, target, &ops)
}

fn patch_text(root: &Path, p: &Patch) -> Result<(String, String), String> {
    match (p.patch.trim().is_empty(), p.path.is_empty()) {
        (true, true) => Err("must specify one of patch and path".into()),
        (false, false) => Err("patch and path can't be set at the same time".into()),
        // kustomize trims an inline patch (a literal block's last newline goes too), not a file.
        (false, true) => Ok((p.patch.trim().to_string(), format!("[patch: {:?}]", p.patch.trim()))),
        (true, false) => {
            let bytes = paths::read_file(root, &p.path)
                .map_err(|e| format!("failed to get the patch file from path({}): {e}", p.path))?;
            Ok((String::from_utf8_lossy(&bytes).into_owned(), format!("[path: {:?}]", p.path)))
        }
    }
}

fn parse_docs(text: &str) -> Result<Vec<Value>, String> {
    let mut docs = Vec::new();
    for d in crate::manifest::parse_each("patch", text, false) {
        docs.push(d.map_err(|e| e.to_string())?.value);
    }
    Ok(docs)
}

fn json6902(resources: &mut [Resource], target: &Selector, ops: &Value) -> Result<(), String> {
    for i in select(resources, target)? {
        let r = &mut resources[i];
        r.value = json_patch(&r.value, ops)?;
        let name = str_at(&r.value, "/metadata/name").to_string();
        r.set_name(&name);
    }
    Ok(())
}

/// `GetById(patch.OrgId())`: the one object of the patch's kind and group that has (or had)
/// its name, in its namespace when the patch names one.
fn find_by_id(resources: &[Resource], patch: &Value) -> Result<usize, String> {
    let probe = Resource::new(patch.clone());
    let (group, _) = probe.group_version();
    let matches: Vec<usize> = resources
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.kind() == probe.kind()
                && r.group_version().0 == group
                && r.had_name(probe.name())
                && (probe.namespace().is_empty()
                    || probe.namespace() == r.namespace()
                    || probe.namespace() == r.orig_namespace)
        })
        .map(|(i, _)| i)
        .collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!(
            "no resource matches strategic merge patch \"{}\": no matches for Id {}; failed to find unique target for patch {}",
            probe.id(),
            probe.id(),
            probe.id()
        )),
        _ => Err(format!("multiple matches for Id {}; failed to find unique target for patch {}", probe.id(), probe.id())),
    }
}

/// Applies a strategic merge patch to `resources[i]`, keeping the object's identity unless the
/// patch's options allow a change; `$patch: delete` removes the object.
fn smp(resources: &mut Vec<Resource>, i: usize, patch: &Value, options: &BTreeMap<String, bool>) -> Result<(), String> {
    let Some(mut merged) = merge::merge(&resources[i].value, patch) else {
        resources.remove(i);
        return Ok(());
    };
    let r = &mut resources[i];
    let before = r.value.clone();
    let keep = |merged: &mut Value, pointer: &str, field: &str| {
        let old = before.pointer(pointer).cloned();
        let parent = if pointer.starts_with("/metadata") { merged.get_mut("metadata") } else { Some(merged) };
        if let Some(m) = parent.and_then(Value::as_object_mut) {
            match old {
                Some(v) => m.insert(field.to_string(), v),
                None => m.remove(field),
            };
        }
    };
    if !options.get("allowNameChange").copied().unwrap_or(false) {
        keep(&mut merged, "/metadata/name", "name");
    }
    if !options.get("allowKindChange").copied().unwrap_or(false) {
        keep(&mut merged, "/kind", "kind");
        keep(&mut merged, "/apiVersion", "apiVersion");
    }
    keep(&mut merged, "/metadata/namespace", "namespace");
    r.value = merged;
    let name = r.name().to_string();
    r.set_name(&name);
    Ok(())
}

/// `ResMap.Select`: the objects a target selects; kind, name and namespace are regular
/// expressions matched whole.
fn select(resources: &[Resource], t: &Selector) -> Result<Vec<usize>, String> {
    let re = |p: &str| -> Result<Option<Regex>, String> {
        if p.is_empty() {
            return Ok(None);
        }
        Regex::new(&format!("^(?:{p})$")).map(Some).map_err(|e| e.to_string())
    };
    let (kind, name, ns) = (re(&t.kind)?, re(&t.name)?, re(&t.namespace)?);
    let labels = parse_selector(&t.label_selector)?;
    let annotations = parse_selector(&t.annotation_selector)?;
    let mut out = Vec::new();
    for (i, r) in resources.iter().enumerate() {
        let (group, version) = r.group_version();
        let ok = (t.group.is_empty() || t.group == group)
            && (t.version.is_empty() || t.version == version)
            && kind.as_ref().is_none_or(|k| k.is_match(r.kind()))
            && name.as_ref().is_none_or(|n| r.names.iter().any(|x| n.is_match(x)))
            && ns.as_ref().is_none_or(|n| n.is_match(r.namespace()) || n.is_match(&r.orig_namespace))
            && labels.as_ref().is_none_or(|s| s.matches(&string_map(r.value.pointer("/metadata/labels"))))
            && annotations.as_ref().is_none_or(|s| s.matches(&string_map(r.value.pointer("/metadata/annotations"))));
        if ok {
            out.push(i);
        }
    }
    Ok(out)
}

fn parse_selector(s: &str) -> Result<Option<crate::api::selector::Selector>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    crate::api::selector::Selector::parse(s).map(Some)
}

fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| m.iter().filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string()))).collect())
        .unwrap_or_default()
}
