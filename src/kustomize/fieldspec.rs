//! kustomize's field specs: "this field, on these kinds". A path is `/`-separated (`\/` escapes a
//! slash inside an annotation key); a list met on the way is walked element by element, as
//! kyaml's `PathGetter` does, with or without the `[]` mark.

use serde_json::{Map, Value};

use super::resource::Resource;

#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub path: Vec<String>,
    pub create: bool,
}

impl FieldSpec {
    pub fn new(path: &str, create: bool) -> FieldSpec {
        FieldSpec { group: String::new(), version: String::new(), kind: String::new(), path: split_path(path), create }
    }

    /// `ResId.IsSelected`: every part the spec names must match.
    pub fn selects(&self, res: &Resource) -> bool {
        let (group, version) = res.group_version();
        (self.kind.is_empty() || self.kind == res.kind())
            && (self.group.is_empty() || self.group == group)
            && (self.version.is_empty() || self.version == version)
    }

    /// The spec from one YAML/JSON map (`path`, `create`, `group`, `version`, `kind`).
    pub fn from_value(v: &Value) -> FieldSpec {
        let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        FieldSpec {
            group: s("group"),
            version: s("version"),
            kind: s("kind"),
            path: split_path(&s("path")),
            create: v.get("create").and_then(Value::as_bool).unwrap_or(false),
        }
    }
}

/// Parses a list of field specs written as in kustomize's `builtinpluginconsts`.
pub fn parse(yaml: &str) -> Vec<FieldSpec> {
    match crate::manifest::yaml_to_json(yaml) {
        Ok(Value::Array(items)) => items.iter().map(FieldSpec::from_value).collect(),
        _ => Vec::new(),
    }
}

fn split_path(path: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'/') => {
                cur.push('/');
                chars.next();
            }
            '/' => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    parts.push(cur);
    parts.into_iter().map(|p| p.strip_suffix("[]").map(str::to_string).unwrap_or(p)).filter(|p| !p.is_empty()).collect()
}

/// Calls `f` on every node the path reaches in `node`. With `create`, missing maps on the way
/// are made and a missing last field is passed to `f` as `Null` (kept only if `f` fills it).
pub fn visit(node: &mut Value, path: &[String], create: bool, f: &mut dyn FnMut(&mut Value)) {
    let Some((first, rest)) = path.split_first() else {
        f(node);
        return;
    };
    match node {
        Value::Array(items) => {
            for item in items {
                visit(item, path, create, f);
            }
        }
        Value::Object(m) => {
            if !m.contains_key(first) {
                if !create {
                    return;
                }
                let fresh = if rest.is_empty() { Value::Null } else { Value::Object(Map::new()) };
                m.insert(first.clone(), fresh);
            }
            if let Some(child) = m.get_mut(first) {
                visit(child, rest, create, f);
            }
            if m.get(first).is_some_and(Value::is_null) && rest.is_empty() {
                m.remove(first);
            }
        }
        _ => {}
    }
}
