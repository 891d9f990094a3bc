//! `replacements` (kustomize's `ReplacementTransformer`, the last transformer of a
//! kustomization): copy a field of one object (`source`) into fields of others (`targets`).
//! A field path is dot-separated; `[key=value]` picks list elements by a field, a number picks
//! by position, `*` takes every element. `options.delimiter` and `index` take or set one part
//! of a delimited string; `options.create` makes a missing target field.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::load::Selector;
use super::resource::Resource;

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(default)]
pub struct Entry {
    pub path: String,
    pub source: Option<Source>,
    pub targets: Option<Vec<Target>>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct Source {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub field_path: String,
    pub options: Option<Options>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct Target {
    pub select: Option<Selector>,
    pub reject: Vec<Selector>,
    pub field_paths: Vec<String>,
    pub options: Option<Options>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(default)]
pub struct Options {
    pub delimiter: String,
    pub index: i64,
    pub create: bool,
}

const DEFAULT_PATH: &str = "metadata.name";

/// The replacements of one kustomization, `path:` entries read from their files.
pub fn load(root: &std::path::Path, entries: &[Entry]) -> Result<Vec<Entry>, String> {
    let mut out = Vec::new();
    for e in entries {
        if e.path.is_empty() {
            out.push(e.clone());
            continue;
        }
        let bytes = super::paths::read_file(root, &e.path)?;
        let value = crate::manifest::yaml_to_json(&String::from_utf8_lossy(&bytes))?;
        let items = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            out.push(serde_json::from_value(item).map_err(|e| format!("invalid replacement: {e}"))?);
        }
    }
    Ok(out)
}

pub fn apply(resources: &mut [Resource], entries: &[Entry]) -> Result<(), String> {
    for e in entries {
        let (Some(source), Some(targets)) = (&e.source, &e.targets) else {
            return Err("replacements must specify a source and at least one target".into());
        };
        let value = source_value(resources, source)?;
        for t in targets {
            let Some(select) = &t.select else { return Err("target must specify resources to select".into()) };
            let paths = if t.field_paths.is_empty() { vec![DEFAULT_PATH.to_string()] } else { t.field_paths.clone() };
            for r in resources.iter_mut() {
                let id_ok = ids_match(r, select) && !t.reject.iter().any(|x| !id_empty(x) && ids_match(r, x));
                let labels_ok = selectors_match(r, select)?
                    && !t.reject.iter().any(|x| {
                        (!x.label_selector.is_empty() || !x.annotation_selector.is_empty())
                            && selectors_match(r, x).unwrap_or(false)
                    });
                if !(id_ok && labels_ok) {
                    continue;
                }
                for p in &paths {
                    set_target(&mut r.value, p, &value, t.options.as_ref())?;
                }
            }
        }
    }
    Ok(())
}

fn source_value(resources: &[Resource], s: &Source) -> Result<Value, String> {
    let sel = Selector {
        group: s.group.clone(),
        version: s.version.clone(),
        kind: s.kind.clone(),
        name: s.name.clone(),
        namespace: s.namespace.clone(),
        ..Selector::default()
    };
    let matches: Vec<&Resource> = resources.iter().filter(|r| ids_match(r, &sel)).collect();
    let source = match matches.as_slice() {
        [one] => *one,
        [] => return Err(format!("nothing selected by {}", describe(&sel))),
        _ => return Err(format!("multiple matches for selector {}", describe(&sel))),
    };
    let path = if s.field_path.is_empty() { DEFAULT_PATH } else { &s.field_path };
    let mut found = Vec::new();
    collect(&source.value, &split(path), &mut found);
    let Some(value) = found.into_iter().next().filter(|v| !is_empty(v)) else {
        return Err(format!("fieldPath `{path}` is missing for replacement source {}", describe(&sel)));
    };
    match s.options.as_ref().filter(|o| !o.delimiter.is_empty()) {
        None => Ok(value.clone()),
        Some(o) => {
            let text = scalar_text(value).ok_or("delimiter option can only be used with scalar nodes")?;
            let parts: Vec<&str> = text.split(o.delimiter.as_str()).collect();
            let part = usize::try_from(o.index)
                .ok()
                .and_then(|i| parts.get(i))
                .ok_or_else(|| format!("options.index {} is out of bounds for value {text}", o.index))?;
            Ok(Value::String(part.to_string()))
        }
    }
}

fn describe(s: &Selector) -> String {
    let or = |v: &str, d: &str| if v.is_empty() { d.to_string() } else { v.to_string() };
    format!(
        "{}.{}.{}/{}.{}",
        or(&s.kind, "[noKind]"),
        or(&s.version, "[noVer]"),
        or(&s.group, "[noGrp]"),
        or(&s.name, "[noName]"),
        or(&s.namespace, "[noNs]")
    )
}

fn id_empty(s: &Selector) -> bool {
    s.group.is_empty() && s.version.is_empty() && s.kind.is_empty() && s.name.is_empty() && s.namespace.is_empty()
}

/// `ResId.IsSelectedBy` over the object's current and earlier names: every part the selector
/// gives must be equal.
fn ids_match(r: &Resource, s: &Selector) -> bool {
    let (group, version) = r.group_version();
    (s.group.is_empty() || s.group == group)
        && (s.version.is_empty() || s.version == version)
        && (s.kind.is_empty() || s.kind == r.kind())
        && (s.name.is_empty() || r.had_name(&s.name))
        && (s.namespace.is_empty() || s.namespace == r.namespace() || s.namespace == r.orig_namespace)
}

fn selectors_match(r: &Resource, s: &Selector) -> Result<bool, String> {
    let test = |sel: &str, pointer: &str| -> Result<bool, String> {
        if sel.is_empty() {
            return Ok(true);
        }
        let parsed = crate::api::selector::Selector::parse(sel)?;
        let map = r
            .value
            .pointer(pointer)
            .and_then(Value::as_object)
            .map(|m| m.iter().filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string()))).collect())
            .unwrap_or_default();
        Ok(parsed.matches(&map))
    };
    Ok(test(&s.label_selector, "/metadata/labels")? && test(&s.annotation_selector, "/metadata/annotations")?)
}

/// kyaml's `SmarterPathSplitter`: dots inside `[...]` do not split.
fn split(path: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => {
                depth += 1;
                cur.push(c);
            }
            ']' => {
                depth -= 1;
                cur.push(c);
            }
            '.' if depth == 0 => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    parts.push(cur);
    parts
}

/// What one path segment picks from a list: elements by a field's value, by position, or all.
fn list_picks(items: &[Value], seg: &str) -> Vec<usize> {
    if seg == "*" {
        return (0..items.len()).collect();
    }
    if let Some(inner) = seg.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        let (k, v) = inner.split_once('=').unwrap_or((inner, ""));
        return (0..items.len())
            .filter(|&i| match k {
                "" => scalar_text(&items[i]).as_deref() == Some(v),
                _ => items[i].get(k).and_then(scalar_text).as_deref() == Some(v),
            })
            .collect();
    }
    seg.parse::<usize>().ok().filter(|&i| i < items.len()).into_iter().collect()
}

fn collect<'a>(node: &'a Value, path: &[String], out: &mut Vec<&'a Value>) {
    let Some((seg, rest)) = path.split_first() else {
        out.push(node);
        return;
    };
    match node {
        Value::Object(m) => {
            if let Some(child) = m.get(seg.as_str()) {
                collect(child, rest, out);
            }
        }
        Value::Array(items) => {
            for i in list_picks(items, seg) {
                collect(&items[i], rest, out);
            }
        }
        _ => {}
    }
}

fn set_target(obj: &mut Value, path: &str, value: &Value, options: Option<&Options>) -> Result<(), String> {
    let create = options.is_some_and(|o| o.create);
    let mut count = 0;
    set_at(obj, &split(path), value, options, create, &mut count)?;
    if count == 0 {
        return Err(if create {
            format!("unable to find or create field {path:?} in replacement target")
        } else {
            format!("unable to find field {path:?} in replacement target")
        });
    }
    Ok(())
}

fn set_at(
    node: &mut Value,
    path: &[String],
    value: &Value,
    options: Option<&Options>,
    create: bool,
    count: &mut usize,
) -> Result<(), String> {
    let Some((seg, rest)) = path.split_first() else {
        *count += 1;
        return set_value(node, value, options);
    };
    match node {
        Value::Object(m) => {
            if !m.contains_key(seg.as_str()) {
                if !create {
                    return Ok(());
                }
                let fresh = if rest.is_empty() { Value::Null } else { Value::Object(Map::new()) };
                m.insert(seg.clone(), fresh);
            }
            match m.get_mut(seg.as_str()) {
                Some(child) => set_at(child, rest, value, options, create, count),
                None => Ok(()),
            }
        }
        Value::Array(items) => {
            for i in list_picks(items, seg) {
                set_at(&mut items[i], rest, value, options, create, count)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// `setFieldValue`: a scalar target keeps its type where the value allows (a number stays a
/// number); anything else takes the source's value whole.
fn set_value(target: &mut Value, value: &Value, options: Option<&Options>) -> Result<(), String> {
    let mut value = value.clone();
    if let Some(o) = options.filter(|o| !o.delimiter.is_empty()) {
        let current = scalar_text(target).ok_or("delimiter option can only be used with scalar nodes")?;
        let mut parts: Vec<String> = current.split(o.delimiter.as_str()).map(str::to_string).collect();
        let v = scalar_text(&value).unwrap_or_default();
        match usize::try_from(o.index) {
            Err(_) => parts.insert(0, v),
            Ok(i) if i >= parts.len() => parts.push(v),
            Ok(i) => parts[i] = v,
        }
        value = Value::String(parts.join(&o.delimiter));
    }
    *target = match (&*target, scalar_text(&value)) {
        (Value::String(_), Some(text)) => Value::String(text),
        (Value::Number(_), Some(text)) => {
            serde_json::from_str::<serde_json::Number>(&text).map(Value::Number).unwrap_or(Value::String(text))
        }
        (Value::Bool(_), Some(text)) => match text.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text),
        },
        _ => value,
    };
    Ok(())
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        _ => false,
    }
}
