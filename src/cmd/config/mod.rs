//! `kstate config view|current-context|get-contexts|use-context|set-context|set-cluster`: kubectl's
//! context commands over kstate's kubeconfig (see [`kubeconfig`]), where a context names a state
//! directory and remembers a default namespace.

pub mod kubeconfig;

use std::path::Path;

use serde_json::{json, Value};

use super::Context;
use crate::api::ObjectExt;
use crate::print::tabwriter::align;
use crate::{Error, Result};
use kubeconfig::{absolute, location, Kubeconfig};

/// Which file, and the directory of the implicit context.
pub struct Source<'a> {
    pub kubeconfig: Option<&'a str>,
    pub default_dir: &'a Path,
}

fn load(src: &Source) -> Result<Kubeconfig> {
    Kubeconfig::load(location(src.kubeconfig), src.default_dir)
}

pub fn current_context(ctx: &mut Context, src: &Source) -> Result<()> {
    let config = load(src)?;
    match config.current() {
        "" => Err(Error::cli("current-context is not set")),
        name => ctx.say(name),
    }
}

pub fn get_contexts(
    ctx: &mut Context,
    src: &Source,
    names: &[String],
    output_name: bool,
    no_headers: bool,
) -> Result<()> {
    let config = load(src)?;
    let mut contexts: Vec<&Value> = config.contexts();
    contexts.sort_by(|a, b| a.str_at("name").cmp(b.str_at("name")));
    let mut missing = Vec::new();
    if !names.is_empty() {
        missing =
            names.iter().filter(|n| config.context(n).is_none()).map(|n| format!("context {n} not found")).collect();
        contexts.retain(|c| names.iter().any(|n| n == c.str_at("name")));
    }
    let mut text = String::new();
    if output_name {
        contexts.iter().for_each(|c| text.push_str(&format!("{}\n", c.str_at("name"))));
    } else {
        if !no_headers {
            text.push_str("CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n");
        }
        for c in &contexts {
            let name = c.str_at("name");
            let mark = if name == config.current() { "*" } else { " " };
            let body = c.get("context").unwrap_or(&Value::Null);
            let (cluster, user, ns) = (body.str_at("cluster"), body.str_at("user"), body.str_at("namespace"));
            text.push_str(&format!("{mark}\t{name}\t{cluster}\t{user}\t{ns}\n"));
        }
        text = align(&text, (6, 3));
    }
    std::io::Write::write_all(ctx.out, text.as_bytes()).map_err(super::io)?;
    match missing.len() {
        0 => Ok(()),
        1 => Err(Error::cli(missing.remove(0))),
        _ => Err(Error::cli(format!("[{}]", missing.join(", ")))),
    }
}

pub fn use_context(ctx: &mut Context, src: &Source, name: &str) -> Result<()> {
    let mut config = load(src)?;
    if config.context(name).is_none() {
        return Err(Error::cli(format!("no context exists with the name: \"{name}\"")));
    }
    config.doc["current-context"] = json!(name);
    config.save()?;
    ctx.say(&format!("Switched to context \"{name}\"."))
}

/// `set-context NAME|--current [--cluster C] [--user U] [--namespace N]`.
pub struct SetContext {
    pub name: Option<String>,
    pub current: bool,
    pub cluster: Option<String>,
    pub user: Option<String>,
    pub namespace: Option<String>,
}

pub fn set_context(ctx: &mut Context, src: &Source, req: SetContext) -> Result<()> {
    let mut config = load(src)?;
    let name = match (req.name, req.current) {
        (Some(_), true) => return Err(Error::cli("you cannot specify both a context name and --current")),
        (Some(n), false) => n,
        (None, true) if config.current().is_empty() => return Err(Error::cli("no current context is set")),
        (None, true) => config.current().to_string(),
        (None, false) => return Err(Error::cli("you must specify a non-empty context name or --current")),
    };
    let mut body = config.context(&name).cloned().filter(Value::is_object).unwrap_or_else(|| json!({}));
    for (field, value) in [("cluster", req.cluster), ("user", req.user), ("namespace", req.namespace)] {
        if let Some(v) = value {
            body[field] = json!(v);
        }
    }
    let created = config.upsert("contexts", "context", &name, body);
    config.save()?;
    ctx.say(&format!("Context \"{name}\" {}.", if created { "created" } else { "modified" }))
}

/// `set-cluster NAME --server=DIR`: a cluster is a state directory (a path or a `file://` URL).
pub fn set_cluster(ctx: &mut Context, src: &Source, name: &str, server: Option<&str>) -> Result<()> {
    let mut config = load(src)?;
    let mut body = json!({});
    if let Some(s) = server {
        let dir = s.strip_prefix("file://").unwrap_or(s);
        body["server"] = json!(format!("file://{}", absolute(Path::new(dir)).display()));
    }
    config.upsert("clusters", "cluster", name, body);
    config.save()?;
    ctx.say(&format!("Cluster \"{name}\" set."))
}

pub fn view(ctx: &mut Context, src: &Source, minify: bool, json_output: bool) -> Result<()> {
    let config = load(src)?;
    let mut doc = config.doc.clone();
    if minify {
        let current = config.current().to_string();
        let Some(body) = config.context(&current) else {
            return Err(Error::cli("current-context must exist in order to minify"));
        };
        let keep = |list: &str, name: &str| -> Value {
            let items = config.doc.get(list).and_then(Value::as_array).cloned().unwrap_or_default();
            Value::Array(items.into_iter().filter(|e| e.str_at("name") == name).collect())
        };
        doc["contexts"] = keep("contexts", &current);
        doc["clusters"] = keep("clusters", body.str_at("cluster"));
        doc["users"] = keep("users", body.str_at("user"));
    }
    for (field, empty) in
        [("preferences", json!({})), ("clusters", Value::Null), ("contexts", Value::Null), ("users", Value::Null)]
    {
        if doc.get(field).is_none() {
            doc[field] = empty;
        }
    }
    let text = if json_output { crate::print::json::to_json(&doc) } else { crate::print::yaml::to_yaml(&doc) };
    std::io::Write::write_all(ctx.out, text.as_bytes()).map_err(super::io)
}
