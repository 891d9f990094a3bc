//! `configMapGenerator` and `secretGenerator` (kustomize's `api/internal/generators` and
//! `api/kv`): key/value pairs from env files, then literals, then files, into a ConfigMap's
//! `data` (or `binaryData` for bytes that are not UTF-8) or a Secret's base64 `data`.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Map, Value};

use super::load::{GeneratorArgs, GeneratorOptions};
use super::paths;
use super::resource::Resource;

#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    ConfigMap,
    Secret,
}

/// One generated object; `behavior` says how it meets an object of the same name from a base.
pub struct Generated {
    pub resource: Resource,
    pub behavior: String,
}

pub fn generate(
    root: &Path,
    kind: Kind,
    args: &GeneratorArgs,
    global: Option<&GeneratorOptions>,
) -> Result<Generated, String> {
    let what = if kind == Kind::ConfigMap { "configmap" } else { "secret" };
    if args.name.is_empty() {
        return Err(format!("a {what} must have a name"));
    }
    let pairs = pairs(root, args).map_err(|e| format!("loading KV pairs: {e}"))?;
    let mut data = Map::new();
    let mut binary = Map::new();
    for (key, bytes) in pairs {
        if !valid_key(&key) {
            return Err(format!(
                "\"{key}\" is not a valid key name: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
            ));
        }
        if data.contains_key(&key) || binary.contains_key(&key) {
            return Err(format!("{what} {} illegally repeats the key `{key}`", args.name));
        }
        match (kind, String::from_utf8(bytes)) {
            (Kind::ConfigMap, Ok(text)) => {
                data.insert(key, Value::String(text));
            }
            (Kind::ConfigMap, Err(e)) => {
                binary.insert(key, Value::String(base64_lines(e.as_bytes())));
            }
            (Kind::Secret, text) => {
                let bytes = text.map(String::into_bytes).unwrap_or_else(|e| e.into_bytes());
                data.insert(key, Value::String(base64_lines(&bytes)));
            }
        }
    }
    let kind_name = if kind == Kind::ConfigMap { "ConfigMap" } else { "Secret" };
    let mut metadata = Map::new();
    metadata.insert("name".into(), Value::String(args.name.clone()));
    if !args.namespace.is_empty() {
        metadata.insert("namespace".into(), Value::String(args.namespace.clone()));
    }
    let options = merge_options(args.options.as_ref(), global);
    if !options.labels.is_empty() {
        metadata.insert("labels".into(), json!(options.labels));
    }
    if !options.annotations.is_empty() {
        metadata.insert("annotations".into(), json!(options.annotations));
    }
    let mut obj = Map::new();
    obj.insert("apiVersion".into(), "v1".into());
    obj.insert("kind".into(), kind_name.into());
    obj.insert("metadata".into(), Value::Object(metadata));
    if !data.is_empty() {
        obj.insert("data".into(), Value::Object(data));
    }
    if !binary.is_empty() {
        obj.insert("binaryData".into(), Value::Object(binary));
    }
    if kind == Kind::Secret {
        let t = if args.secret_type.is_empty() { "Opaque" } else { &args.secret_type };
        obj.insert("type".into(), t.into());
    }
    if options.immutable == Some(true) {
        obj.insert("immutable".into(), Value::Bool(true));
    }
    let mut resource = Resource::new(Value::Object(obj));
    resource.needs_hash = options.disable_name_suffix_hash != Some(true);
    let behavior = if args.behavior.is_empty() { "create".to_string() } else { args.behavior.clone() };
    if !matches!(behavior.as_str(), "create" | "merge" | "replace") {
        return Err(format!("invalid generator behavior: {behavior}"));
    }
    Ok(Generated { resource, behavior })
}

/// `MergeGlobalOptionsIntoLocal`: the generator's own labels and annotations win over
/// `generatorOptions`' ones; the global switches apply unless the generator sets its own.
fn merge_options(local: Option<&GeneratorOptions>, global: Option<&GeneratorOptions>) -> GeneratorOptions {
    let mut out = global.cloned().unwrap_or_default();
    if let Some(l) = local {
        out.labels.extend(l.labels.clone());
        out.annotations.extend(l.annotations.clone());
        if l.disable_name_suffix_hash.is_some() && out.disable_name_suffix_hash != Some(true) {
            out.disable_name_suffix_hash = l.disable_name_suffix_hash;
        }
        if l.immutable.is_some() && out.immutable != Some(true) {
            out.immutable = l.immutable;
        }
    }
    out
}

/// The pairs in kustomize's order: env files, literals, files.
fn pairs(root: &Path, args: &GeneratorArgs) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut out = Vec::new();
    let mut envs = args.envs.clone();
    if !args.env.is_empty() {
        envs.push(args.env.clone());
    }
    for env in &envs {
        let bytes = paths::read_file(root, env).map_err(|e| format!("env source files: [{}]: {e}", envs.join(" ")))?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        for (i, line) in text.split('\n').enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let line = if i == 0 { line.strip_prefix('\u{feff}').unwrap_or(line) } else { line };
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = line.split_once('=').unwrap_or((line, ""));
            if !valid_env_name(key) {
                return Err(format!(
                    "env source files: [{}]: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
                    envs.join(" ")
                ));
            }
            out.push((key.to_string(), value.as_bytes().to_vec()));
        }
    }
    for literal in &args.literals {
        let bad = || {
            format!(
                "literal sources [{}]: invalid literal source {literal}, expected key=value",
                args.literals.join(" ")
            )
        };
        if literal.starts_with('=') {
            return Err(bad());
        }
        let (key, value) = literal.split_once('=').ok_or_else(bad)?;
        out.push((key.to_string(), remove_quotes(value).as_bytes().to_vec()));
    }
    for source in &args.files {
        let (key, file) = parse_file_source(source)?;
        let bytes =
            paths::read_file(root, &file).map_err(|e| format!("file sources: [{}]: {e}", args.files.join(" ")))?;
        out.push((key, bytes));
    }
    Ok(out)
}

fn parse_file_source(source: &str) -> Result<(String, String), String> {
    match source.matches('=').count() {
        0 => Ok((source.rsplit('/').find(|s| !s.is_empty()).unwrap_or(source).to_string(), source.to_string())),
        1 if source.starts_with('=') => {
            Err(format!("missing key name for file path {:?} in source {source:?}", source.trim_start_matches('=')))
        }
        1 if source.ends_with('=') => {
            Err(format!("missing file path for key name {:?} in source {source:?}", source.trim_end_matches('=')))
        }
        1 => {
            let (k, f) = source.split_once('=').unwrap_or_default();
            Ok((k.to_string(), f.to_string()))
        }
        _ => Err(format!("source {source:?} key name or file path contains '='")),
    }
}

fn remove_quotes(s: &str) -> &str {
    let b = s.as_bytes();
    if b.len() >= 2 && b[0] == b[b.len() - 1] && (b[0] == b'"' || b[0] == b'\'') {
        return &s[1..s.len() - 1];
    }
    s
}

fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= 253 && key.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

fn valid_env_name(key: &str) -> bool {
    let mut bytes = key.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b"-_.".contains(&b))
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// What `behavior: merge|replace` does to the base's object of the same name.
pub fn merge_into(base: &mut Resource, new: &Resource, behavior: &str) {
    for field in ["data", "binaryData"] {
        let incoming = new.value.get(field).and_then(Value::as_object).cloned().unwrap_or_default();
        let Some(obj) = base.value.as_object_mut() else { return };
        if behavior == "replace" {
            obj.remove(field);
        }
        if !incoming.is_empty() {
            let entry = obj.entry(field).or_insert_with(|| Value::Object(Map::new()));
            if let Some(m) = entry.as_object_mut() {
                m.extend(incoming);
            }
        }
    }
    for field in ["labels", "annotations"] {
        let incoming: BTreeMap<String, Value> = new
            .value
            .pointer(&format!("/metadata/{field}"))
            .and_then(Value::as_object)
            .map(|m| m.clone().into_iter().collect())
            .unwrap_or_default();
        if incoming.is_empty() {
            continue;
        }
        if let Some(meta) = base.value.get_mut("metadata").and_then(Value::as_object_mut) {
            let entry = meta.entry(field).or_insert_with(|| Value::Object(Map::new()));
            if let Some(m) = entry.as_object_mut() {
                m.extend(incoming);
            }
        }
    }
    base.needs_hash = base.needs_hash || new.needs_hash;
}

/// kyaml's `encodeBase64`: an encoding of 70 characters or more is cut into lines of 70, each
/// ending in a newline (the value then prints as a literal block).
fn base64_lines(bytes: &[u8]) -> String {
    const LINE: usize = 70;
    let enc = crate::cluster::base64(bytes);
    if enc.len() < LINE {
        return enc;
    }
    let mut out = String::with_capacity(enc.len() + enc.len() / LINE + 1);
    for chunk in enc.as_bytes().chunks(LINE) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out
}
