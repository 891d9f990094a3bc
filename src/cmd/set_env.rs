//! `kstate set env TYPE/NAME KEY=VALUE... KEY-...` (`-c/--containers` glob, default `*`): sets
//! and removes plain environment variables of a pod template's containers, as kubectl's
//! `set env` does; prints `env updated`. `--from=secret/NAME|configmap/NAME` (with `--keys`,
//! `--prefix`) adds a variable per key, read from the object (`valueFrom`), as kubectl does.

use serde_json::{json, Map, Value};

use super::dry_run::DryRun;
use super::patch::Named;
use super::set_pod_template::{self, Targets};
use super::Context;
use crate::api::ObjectExt;
use crate::{Error, Result};

pub struct Request {
    pub args: Vec<String>,
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub containers: String,
    /// `--local`: change the `-f` files' objects and print them, without the cluster.
    pub local: bool,
    pub output: Option<crate::print::OutputFormat>,
    pub dry_run: DryRun,
    pub from: Option<String>,
    pub keys: Vec<String>,
    pub prefix: String,
    /// `-e/--env KEY=VALUE`: changes after those among the arguments.
    pub env: Vec<String>,
    /// `--overwrite=false`: refuse to change a variable that has another value.
    pub overwrite: bool,
    /// `--list`: print the containers' variables (after the changes) instead of writing.
    pub list: bool,
    /// `--resolve`: with `--list`, print the values `valueFrom` references.
    pub resolve: bool,
    /// `--all`: a bare type names every object of it in the namespace.
    pub all: bool,
    /// `-l`: a bare type names its objects with these labels.
    pub selector: Option<String>,
}

/// One change: set NAME to VALUE, or remove NAME (`NAME-`).
#[derive(Debug, PartialEq, Eq)]
enum Change {
    /// The variable's name and its whole entry (`value` or `valueFrom`).
    Set(String, Value),
    Remove(String),
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let mut resources = Vec::new();
    let mut arg_changes = Vec::new();
    for a in &req.args {
        if let Some((k, v)) = a.split_once('=') {
            super::create_generators::check_env_var_name(k)?;
            arg_changes.push(Change::Set(k.to_string(), json!({"name": k, "value": v})));
        } else if let Some(k) = a.strip_suffix('-').filter(|k| !k.is_empty() && !k.contains('/')) {
            arg_changes.push(Change::Remove(k.to_string()));
        } else if arg_changes.is_empty() {
            resources.push(a.clone());
        } else {
            // kubectl's message quotes every argument, not the one out of place.
            let all = req.args.join(" ");
            return Err(Error::cli(format!("all resources must be specified before environment changes: {all}")));
        }
    }
    // kubectl's order: the `-e` flags, then the arguments, then the `--from` object's keys.
    let mut changes = Vec::new();
    for e in &req.env {
        match e.split_once('=') {
            Some((k, v)) => {
                super::create_generators::check_env_var_name(k)?;
                changes.push(Change::Set(k.to_string(), json!({"name": k, "value": v})));
            }
            // kubectl's `ParseEnv`: `-e KEY-` removes, anything else without `=` is refused.
            None => match e.strip_suffix('-').filter(|k| !k.is_empty()) {
                Some(k) => changes.push(Change::Remove(k.to_string())),
                None => return Err(Error::cli(format!("unknown environment variable: {e}"))),
            },
        }
    }
    changes.extend(arg_changes);
    let selecting = !resources.is_empty() && (req.all || req.selector.is_some());
    let resources = every_selected(ctx, &req, resources)?;
    if selecting && resources.is_empty() && (req.list || !changes.is_empty()) {
        // Nothing selected: kubectl prints nothing and succeeds.
        return Ok(());
    }
    if let Some(from) = &req.from {
        changes.extend(from_object(ctx, from, &req.keys)?);
    }
    // kubectl puts `--prefix` before the name of every variable it sets, not only `--from`'s.
    for change in changes.iter_mut() {
        if let Change::Set(name, entry) = change {
            *name = format!("{}{name}", req.prefix);
            entry["name"] = Value::String(name.clone());
        }
    }
    if req.list {
        return list(ctx, &req, &resources, &changes);
    }
    if !req.overwrite {
        no_overwrites(ctx, &req, &resources, &changes)?;
    } else if !req.local {
        warn_unmatched(ctx, &req, &resources);
    }
    if changes.is_empty() {
        return Err(Error::cli("at least one environment variable must be provided"));
    }
    let targets = Targets {
        resources: &resources,
        filenames: &req.filenames,
        recursive: req.recursive,
        output: req.output.clone(),
        dry_run: req.dry_run,
    };
    set_pod_template::run(ctx, targets, req.local, "env", "env", &req.containers, |c| {
        apply(c, &changes);
        Ok(())
    })
}

fn apply(container: &mut serde_json::Map<String, Value>, changes: &[Change]) {
    let mut env: Vec<Value> = container.get("env").and_then(Value::as_array).cloned().unwrap_or_default();
    for change in changes {
        match change {
            Change::Set(name, entry) => {
                let entry = entry.clone();
                match env.iter_mut().find(|e| e.get("name").and_then(Value::as_str) == Some(name)) {
                    Some(e) => *e = entry,
                    None => env.push(entry),
                }
            }
            Change::Remove(name) => env.retain(|e| e.get("name").and_then(Value::as_str) != Some(name)),
        }
    }
    if env.is_empty() {
        container.remove("env");
    } else {
        container.insert("env".into(), Value::Array(env));
    }
}

/// The variables `--from=secret/NAME|configmap/NAME` gives: one per key of its data (those of
/// `keys` when given), named as kubectl's `keyToEnvName` names them (characters other than letters,
/// digits and `_` become `_`, upper-cased) after `prefix`, read through `secretKeyRef` or
/// `configMapKeyRef`. Keys in sorted order (kubectl walks a Go map).
fn from_object(ctx: &mut Context, from: &str, keys: &[String]) -> Result<Vec<Change>> {
    let named = super::patch::named(ctx, &[from.to_string()], &[], false)?;
    let mut changes = Vec::new();
    let mut cluster = ctx.read()?;
    for target in named {
        let obj = cluster.get(&target.key())?;
        let Some(obj) = obj else {
            cluster.abandon()?;
            return Err(target.not_found());
        };
        let reference = match target.kind.kind {
            "Secret" => "secretKeyRef",
            "ConfigMap" => "configMapKeyRef",
            _ => continue,
        };
        let mut data: Vec<String> =
            obj.get("data").and_then(Value::as_object).into_iter().flat_map(|m| m.keys().cloned()).collect();
        data.sort();
        for key in data.into_iter().filter(|k| keys.is_empty() || keys.contains(k)) {
            // kubectl warns of the renaming before it adds the prefix.
            let name = env_name(&key);
            if name != key {
                ctx.warn(&format!("key {key} transferred to {name}"));
            }
            let entry = json!({"name": name, "valueFrom": {reference: {"key": key, "name": target.name}}});
            changes.push(Change::Set(name, entry));
        }
    }
    cluster.abandon()?;
    Ok(changes)
}

/// kubectl's `keyToEnvName`.
fn env_name(key: &str) -> String {
    key.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c.to_ascii_uppercase() } else { '_' }).collect()
}

/// The named objects with a pod spec, each with its containers then init containers (the order
/// kubectl's `--list` walks), as the command would find them.
fn objects(ctx: &mut Context, req: &Request, resources: &[String]) -> Result<Vec<(Named, Value)>> {
    if resources.is_empty() && req.filenames.is_empty() {
        return Err(Error::Usage {
            cmd: "set env".into(),
            msg: "one or more resources must be specified as <resource> <name> or <resource>/<name>".into(),
        });
    }
    let targets = super::patch::named(ctx, resources, &req.filenames, req.recursive)?;
    if targets.iter().any(|t| t.name.is_empty()) {
        return Err(Error::no_name());
    }
    let mut cluster = ctx.read()?;
    let mut out = Vec::new();
    for t in targets {
        let Some(obj) = cluster.get(&t.key())? else {
            cluster.abandon()?;
            return Err(t.not_found());
        };
        if set_pod_template::has_pod_spec(t.kind.kind) {
            out.push((t, obj));
        }
    }
    cluster.abandon()?;
    Ok(out)
}

/// The containers of `obj` matching `pattern`, containers before init containers; a warning
/// (kubectl's) when none does.
fn matching(ctx: &mut Context, t: &Named, obj: &Value, pattern: &str) -> Vec<Map<String, Value>> {
    let [init, main] = set_pod_template::container_lists(t.kind.kind);
    let found: Vec<Map<String, Value>> = [main, init]
        .iter()
        .filter_map(|list| obj.pointer(list).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_object)
        .filter(|c| set_pod_template::glob(pattern, c.get("name").and_then(Value::as_str).unwrap_or_default()))
        .cloned()
        .collect();
    if found.is_empty() {
        ctx.warn(&format!("{}/{} does not have any containers matching {pattern:?}", t.kind.kind, t.name));
    }
    found
}

/// With `--all` or `-l`, each bare type becomes its objects in the namespace (those `-l` selects),
/// by name, as kubectl's builder selects them.
fn every_selected(ctx: &mut Context, req: &Request, resources: Vec<String>) -> Result<Vec<String>> {
    if !req.all && req.selector.is_none() {
        return Ok(resources);
    }
    let selector = match &req.selector {
        Some(s) => Some(crate::api::selector::Selector::parse(s).map_err(Error::cli)?),
        None => None,
    };
    if resources.iter().any(|r| r.contains('/')) {
        return Err(Error::cli("selectors and the all flag cannot be used when passing resource/name arguments"));
    }
    let named = super::patch::named(ctx, &resources, &[], false)?;
    if selector.is_some() && named.iter().any(|n| !n.name.is_empty()) {
        return Err(Error::cli("name cannot be provided when a selector is specified"));
    }
    let mut cluster = ctx.read()?;
    let mut out = Vec::new();
    for t in named {
        if !t.name.is_empty() {
            out.push(format!("{}/{}", t.kind.resource(), t.name));
            continue;
        }
        let mut names: Vec<String> = cluster
            .list(t.kind, Some(&t.namespace))?
            .iter()
            .filter(|o| selector.as_ref().is_none_or(|s| s.matches(&o.labels())))
            .map(|o| o.name().to_string())
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|n| format!("{}/{n}", t.kind.resource())));
    }
    cluster.abandon()?;
    Ok(out)
}

/// kubectl's warning for each object none of whose containers `--containers` matches; the
/// update that follows reports missing objects and other errors.
fn warn_unmatched(ctx: &mut Context, req: &Request, resources: &[String]) {
    if req.containers == "*" {
        return;
    }
    if let Ok(found) = objects(ctx, req, resources) {
        for (t, obj) in found {
            matching(ctx, &t, &obj, &req.containers);
        }
    }
}

/// `--overwrite=false`: kubectl's `validateNoOverwrites`, before anything is written.
fn no_overwrites(ctx: &mut Context, req: &Request, resources: &[String], changes: &[Change]) -> Result<()> {
    for (t, obj) in objects(ctx, req, resources)? {
        for c in matching(ctx, &t, &obj, &req.containers) {
            let env = c.get("env").and_then(Value::as_array).cloned().unwrap_or_default();
            for change in changes {
                let Change::Set(name, entry) = change else { continue };
                let Some(current) = env.iter().find(|e| e.get("name").and_then(Value::as_str) == Some(name)) else {
                    continue;
                };
                let value = |e: &Value| e.get("value").and_then(Value::as_str).unwrap_or_default().to_string();
                if value(current) != value(entry) {
                    return Err(Error::cli(format!(
                        "{}/{} '{name}' already has a value ({}), and --overwrite is false",
                        t.kind.plural,
                        t.name,
                        value(current)
                    )));
                }
            }
        }
    }
    Ok(())
}

/// `--list`: each matching container's variables, after the changes (nothing is written):
/// `# Kind name, container c`, then `NAME=value` lines and `# NAME from ...` for references
/// (their values with `--resolve`; what cannot be resolved is reported on stderr).
fn list(ctx: &mut Context, req: &Request, resources: &[String], changes: &[Change]) -> Result<()> {
    let mut cluster = None;
    for (t, obj) in objects(ctx, req, resources)? {
        for mut c in matching(ctx, &t, &obj, &req.containers) {
            apply(&mut c, changes);
            let name = c.get("name").and_then(Value::as_str).unwrap_or_default();
            let mut text = format!("# {} {}, container {name}\n", t.kind.kind, t.name);
            let mut failures: std::collections::BTreeMap<String, Vec<String>> = Default::default();
            for e in c.get("env").and_then(Value::as_array).into_iter().flatten() {
                let var = e.get("name").and_then(Value::as_str).unwrap_or_default();
                let Some(from) = e.get("valueFrom") else {
                    text.push_str(&format!("{var}={}\n", e.get("value").and_then(Value::as_str).unwrap_or_default()));
                    continue;
                };
                if req.resolve {
                    let cluster = match &mut cluster {
                        Some(c) => c,
                        None => cluster.insert(ctx.read()?),
                    };
                    match resolve(cluster, &t.namespace, from, &obj, &c)? {
                        Ok(value) => {
                            text.push_str(&format!("{var}={value}\n"));
                            continue;
                        }
                        Err(why) => failures.entry(why).or_default().push(var.to_string()),
                    }
                }
                text.push_str(&format!("# {var} from {}\n", reference(from)));
            }
            ctx.out.write_all(text.as_bytes()).map_err(super::io)?;
            let _ = ctx.out.flush();
            let mut lines: Vec<String> = failures
                .into_iter()
                .map(|(why, mut vars)| {
                    vars.sort();
                    format!("error retrieving reference for {}: {why}", vars.join(", "))
                })
                .collect();
            lines.sort();
            for l in lines {
                ctx.say_err(&l)?;
            }
        }
    }
    if let Some(c) = cluster {
        c.abandon()?;
    }
    Ok(())
}

/// kubectl's `GetEnvVarRefString`.
fn reference(from: &Value) -> String {
    let s = |p: &str| from.pointer(p).and_then(Value::as_str).unwrap_or_default().to_string();
    if from.get("configMapKeyRef").is_some() {
        format!("configmap {}, key {}", s("/configMapKeyRef/name"), s("/configMapKeyRef/key"))
    } else if from.get("secretKeyRef").is_some() {
        format!("secret {}, key {}", s("/secretKeyRef/name"), s("/secretKeyRef/key"))
    } else if from.get("fieldRef").is_some() {
        format!("field path {}", s("/fieldRef/fieldPath"))
    } else if from.get("resourceFieldRef").is_some() {
        let container = s("/resourceFieldRef/containerName");
        let prefix = if container.is_empty() { String::new() } else { format!("{container}/") };
        format!("resource field {prefix}{}", s("/resourceFieldRef/resource"))
    } else {
        "invalid source".into()
    }
}

/// kubectl's `GetEnvVarRefValue`: the referenced value, or why it cannot be had.
fn resolve(
    cluster: &mut crate::cluster::Cluster,
    namespace: &str,
    from: &Value,
    obj: &Value,
    container: &Map<String, Value>,
) -> Result<std::result::Result<String, String>> {
    use crate::api::kinds::{CONFIGMAP, SECRET};
    let s = |p: &str| from.pointer(p).and_then(Value::as_str).unwrap_or_default().to_string();
    for (field, kind, noun) in [("configMapKeyRef", &CONFIGMAP, "config map"), ("secretKeyRef", &SECRET, "secret")] {
        if from.get(field).is_none() {
            continue;
        }
        let (name, key) = (s(&format!("/{field}/name")), s(&format!("/{field}/key")));
        let Some(source) = cluster.get(&crate::cluster::Key::new(kind, namespace, &name))? else {
            return Ok(Err(format!("{}s {name:?} not found", kind.kind.to_lowercase())));
        };
        let value = source.get("data").and_then(|d| d.get(&key)).and_then(Value::as_str);
        return Ok(match (value, kind.kind) {
            (Some(v), "Secret") => Ok(decode_base64(v)),
            (Some(v), _) => Ok(v.to_string()),
            (None, _) => Err(format!("key {key} not found in {noun} {name}")),
        });
    }
    if from.get("fieldRef").is_some() {
        return Ok(field_path(obj, &s("/fieldRef/fieldPath")));
    }
    if from.get("resourceFieldRef").is_some() {
        return Ok(resource_field(container, &s("/resourceFieldRef/resource")));
    }
    Ok(Err("invalid valueFrom".into()))
}

/// kubectl's `ExtractFieldPathAsString` over the object `set env` reads.
fn field_path(obj: &Value, path: &str) -> std::result::Result<String, String> {
    let meta = |f: &str| obj.pointer(&format!("/metadata/{f}"));
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
    let map_entry = |field: &str, rest: &str| {
        let key = rest.strip_prefix("['").and_then(|r| r.strip_suffix("']"))?;
        Some(text(meta(field).and_then(|m| m.get(key))))
    };
    if let Some(rest) = path.strip_prefix("metadata.labels") {
        if let Some(v) = map_entry("labels", rest) {
            return Ok(v);
        }
    }
    if let Some(rest) = path.strip_prefix("metadata.annotations") {
        if let Some(v) = map_entry("annotations", rest) {
            return Ok(v);
        }
    }
    match path {
        "metadata.name" => Ok(text(meta("name"))),
        "metadata.namespace" => Ok(text(meta("namespace"))),
        "metadata.uid" => Ok(text(meta("uid"))),
        _ => Err(format!("unsupported fieldPath: {path}")),
    }
}

/// kubectl's `ExtractContainerResourceValue` with the default divisor: CPU in whole cores
/// (rounded up), memory and storage in bytes; unset is 0.
fn resource_field(container: &Map<String, Value>, resource: &str) -> std::result::Result<String, String> {
    let Some((section, name)) = resource.split_once('.') else {
        return Err(format!("unsupported container resource : {resource}"));
    };
    if !matches!(section, "limits" | "requests") || !matches!(name, "cpu" | "memory" | "ephemeral-storage") {
        return Err(format!("unsupported container resource : {resource}"));
    }
    let quantity = container
        .get("resources")
        .and_then(|r| r.get(section))
        .and_then(|m| m.get(name))
        .and_then(crate::api::quantity::Quantity::from_json);
    Ok(quantity.map_or(0, |q| q.value_ceil()).to_string())
}

fn decode_base64(v: &str) -> String {
    crate::print::gotemplate::base64_decode(v).unwrap_or_default()
}
