//! The deprecated `vars` (kustomize's `ResolveVars`, run last, after names are final): each
//! var names an object (`objref`, by the name it was written with) and a field of it
//! (`fieldref.fieldpath`, default `metadata.name`), and `$(NAME)` in the fields of the
//! `varReference` table (container commands, args, env values, ...) becomes that field's value.
//! `$$` stands for `$`; an unknown `$(X)` is left as written.

use serde::Deserialize;
use serde_json::Value;

use super::config;
use super::fieldspec::{self, FieldSpec};
use super::resource::{split_api_version, Resource};

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(default)]
pub struct Var {
    pub name: String,
    pub objref: ObjRef,
    pub fieldref: FieldRef,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct ObjRef {
    pub api_version: String,
    pub group: String,
    pub version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct FieldRef {
    pub field_path: String,
}

/// Adds a kustomization's vars to those of the bases (`ResAccumulator.MergeVars`).
pub fn merge(into: &mut Vec<Var>, new: &[Var]) -> Result<(), String> {
    for v in new {
        if into.iter().any(|x| x.name == v.name) {
            return Err(format!("var '{}' already encountered", v.name));
        }
        into.push(v.clone());
    }
    Ok(())
}

pub fn resolve(resources: &mut [Resource], vars: &[Var]) -> Result<(), String> {
    if vars.is_empty() {
        return Ok(());
    }
    let mut values = Vec::new();
    for v in vars {
        let target = resources
            .iter()
            .find(|r| selects(&v.objref, r))
            .ok_or_else(|| format!("var '{}' cannot be mapped to a field in the set of known resources", v.name))?;
        let path = if v.fieldref.field_path.is_empty() { "metadata.name" } else { &v.fieldref.field_path };
        let value = field_value(&target.value, path)
            .ok_or_else(|| format!("field specified in var '{}' not found in corresponding resource", v.name))?;
        values.push((v.name.clone(), value));
    }
    let specs = fieldspec::parse(config::VAR_REFERENCE);
    for r in resources.iter_mut() {
        let selected: Vec<&FieldSpec> = specs.iter().filter(|s| s.selects(r)).collect();
        for spec in selected {
            fieldspec::visit(&mut r.value, &spec.path, false, &mut |v| replace_in(v, &values));
        }
    }
    Ok(())
}

/// The var's object: its kind and the name it has or had, and the group, version and
/// namespace when the var gives them.
fn selects(o: &ObjRef, r: &Resource) -> bool {
    let (group, version) = r.group_version();
    let (want_group, want_version) = if o.api_version.is_empty() {
        (o.group.as_str(), o.version.as_str())
    } else {
        split_api_version(&o.api_version)
    };
    r.kind() == o.kind
        && r.had_name(&o.name)
        && (want_group.is_empty() || want_group == group)
        && (want_version.is_empty() || want_version == version)
        && (o.namespace.is_empty() || o.namespace == r.namespace() || o.namespace == r.orig_namespace)
}

/// A dotted path with `[N]` indexes (`spec.ports[0].port`); only strings, numbers and booleans.
fn field_value(obj: &Value, path: &str) -> Option<Value> {
    let mut cur = obj;
    for part in path.split('.') {
        let (key, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            cur = cur.get(key)?;
        }
        for idx in indexes.split('[').filter(|s| !s.is_empty()) {
            cur = cur.get(idx.strip_suffix(']')?.parse::<usize>().ok()?)?;
        }
    }
    matches!(cur, Value::String(_) | Value::Number(_) | Value::Bool(_)).then(|| cur.clone())
}

/// A string, a list of strings, or the string values of a map (`metadata.annotations`).
fn replace_in(v: &mut Value, values: &[(String, Value)]) {
    match v {
        Value::String(s) => *v = expand(s, values),
        Value::Array(items) => items.iter_mut().filter(|i| i.is_string()).for_each(|i| replace_in(i, values)),
        Value::Object(m) => m.values_mut().filter(|i| i.is_string()).for_each(|i| replace_in(i, values)),
        _ => {}
    }
}

/// `DoReplacements`: a string that is exactly `$(NAME)` takes the value with its type.
fn expand(input: &str, values: &[(String, Value)]) -> Value {
    let lookup = |name: &str| values.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    if let Some(name) = input.strip_prefix("$(").and_then(|s| s.strip_suffix(')')) {
        if !name.contains(')') {
            if let Some(v) = lookup(name) {
                return v;
            }
        }
    }
    let mut out = String::new();
    let mut rest = input;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(body) = after.strip_prefix('(') {
            match body.find(')') {
                Some(end) => {
                    let name = &body[..end];
                    match lookup(name) {
                        Some(Value::String(s)) => out.push_str(&s),
                        Some(other) => out.push_str(&other.to_string()),
                        None => out.push_str(&format!("$({name})")),
                    }
                    rest = &body[end + 1..];
                }
                None => {
                    out.push_str("$(");
                    rest = body;
                }
            }
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    Value::String(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expands_as_kustomize_does() {
        let values = vec![("S".to_string(), json!("svc")), ("P".to_string(), json!(80))];
        assert_eq!(expand("$(S)", &values), json!("svc"));
        assert_eq!(expand("$(P)", &values), json!(80));
        assert_eq!(expand("http://$(S):$(P)/$(X)", &values), json!("http://svc:80/$(X)"));
        assert_eq!(expand("$$(S) $ $(", &values), json!("$(S) $ $("));
    }
}
