//! `kstate config view|current-context|get-contexts|use-context|set-context|set-cluster`: kubectl's
//! context commands over kstate's kubeconfig (see [`kubeconfig`]), where a context names a state
//! directory and remembers a default namespace.

pub mod kubeconfig;

use std::path::Path;

use serde_json::{json, Value};

use super::Context;
use crate::api::ObjectExt;
use crate::print::tabwriter::align;
use crate::print::{gotemplate, jsonpath, OutputFormat};
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

/// The field order of clientcmd's v1 `Config` and the types it holds, by the path of keys to an
/// object (`config view -o json` marshals the typed object).
fn config_order(path: &[&str]) -> &'static [&'static str] {
    match path {
        [] => &["kind", "apiVersion", "preferences", "clusters", "users", "contexts", "current-context", "extensions"],
        ["clusters"] => &["name", "cluster"],
        ["users"] => &["name", "user"],
        ["contexts"] => &["name", "context"],
        ["clusters", "cluster"] => &[
            "server",
            "tls-server-name",
            "insecure-skip-tls-verify",
            "certificate-authority",
            "certificate-authority-data",
            "proxy-url",
            "disable-compression",
            "extensions",
        ],
        ["users", "user"] => &[
            "client-certificate",
            "client-certificate-data",
            "client-key",
            "client-key-data",
            "token",
            "tokenFile",
            "as",
            "as-uid",
            "as-groups",
            "as-user-extra",
            "username",
            "password",
            "auth-provider",
            "exec",
            "extensions",
        ],
        ["contexts", "context"] => &["cluster", "user", "namespace", "extensions"],
        _ => &[],
    }
}

/// kubectl's v1 kubeconfig types: the fields Go always writes (`server`, a context's `cluster` and
/// `user`, no `omitempty`), and secrets and certificate data hidden as `config view` hides them
/// without `--raw`.
fn complete_entries(doc: &mut Value, raw: bool) {
    let always: [(&str, &str, &[&str]); 3] =
        [("clusters", "cluster", &["server"]), ("contexts", "context", &["cluster", "user"]), ("users", "user", &[])];
    for (list, field, required) in always {
        let Some(entries) = doc.get_mut(list).and_then(Value::as_array_mut) else { continue };
        if entries.is_empty() {
            // Go's empty map of entries is written as null.
            doc[list] = Value::Null;
            continue;
        }
        for entry in entries {
            let Some(body) = entry.get_mut(field).and_then(Value::as_object_mut) else { continue };
            for key in required {
                body.entry(key.to_string()).or_insert_with(|| json!(""));
            }
            if raw {
                continue;
            }
            // RedactSecrets, then ShortenConfig: secrets REDACTED, certificate data omitted.
            let hidden: &[(&str, &str)] = match list {
                "users" => &[
                    ("password", "REDACTED"),
                    ("token", "REDACTED"),
                    ("client-key-data", "DATA+OMITTED"),
                    ("client-certificate-data", "DATA+OMITTED"),
                ],
                "clusters" => &[("certificate-authority-data", "DATA+OMITTED")],
                _ => &[],
            };
            for (key, shown) in hidden {
                if let Some(v) = body.get_mut(*key).filter(|v| v.as_str().is_some_and(|s| !s.is_empty())) {
                    *v = json!(shown);
                }
            }
        }
    }
}

/// The body of entry `name` of `list` (`clusters`, `users`), an empty object when there is none.
fn entry_body(config: &kubeconfig::Kubeconfig, list: &str, field: &str, name: &str) -> Value {
    let entries = config.doc.get(list).and_then(Value::as_array);
    let entry = entries.and_then(|l| l.iter().find(|e| e.str_at("name") == name));
    entry.and_then(|e| e.get(field)).cloned().filter(Value::is_object).unwrap_or_else(|| json!({}))
}

/// `set-cluster NAME --server=DIR`: a cluster is a state directory (a path or a `file://` URL).
/// Fields not given keep their values, as kubectl modifies an existing entry.
pub fn set_cluster(
    ctx: &mut Context,
    src: &Source,
    name: &str,
    server: Option<&str>,
    proxy_url: Option<&str>,
) -> Result<()> {
    let mut config = load(src)?;
    let mut body = entry_body(&config, "clusters", "cluster", name);
    if let Some(s) = server {
        let dir = s.strip_prefix("file://").unwrap_or(s);
        body["server"] = json!(format!("file://{}", absolute(Path::new(dir)).display()));
    }
    if let Some(p) = proxy_url {
        body["proxy-url"] = json!(p);
    }
    config.upsert("clusters", "cluster", name, body);
    config.save()?;
    ctx.say(&format!("Cluster \"{name}\" set."))
}

/// `set-credentials NAME [--username U --password P | --token T ...]`: kept in the file (a kstate
/// cluster asks for no credentials); fields not given keep their values.
pub fn set_credentials(ctx: &mut Context, src: &Source, name: &str, fields: &[(&str, Option<String>)]) -> Result<()> {
    let given = |key: &str| fields.iter().any(|(k, v)| *k == key && v.as_deref().is_some_and(|v| !v.is_empty()));
    if given("token") && (given("username") || given("password")) {
        return Err(Error::cli(
            "you cannot specify more than one authentication method at the same time: --token, --username/--password",
        ));
    }
    let mut config = load(src)?;
    let mut body = entry_body(&config, "users", "user", name);
    for (key, value) in fields {
        if let Some(v) = value {
            body[*key] = json!(v);
        }
    }
    config.upsert("users", "user", name, body);
    config.save()?;
    ctx.say(&format!("User \"{name}\" set."))
}

/// `unset PROPERTY`: a dotted path through the kubeconfig, as kubectl walks its Config type: a
/// top-level field, an entry of `clusters`/`contexts`/`users` by name (the longest name that
/// exists, so `users.kubeuser/foo.kubernetes.com` is one user), then a field of that entry.
pub fn unset(ctx: &mut Context, src: &Source, property: &str) -> Result<()> {
    if property.is_empty() {
        return Err(Error::cli("you must specify a property"));
    }
    let mut config = load(src)?;
    let parts: Vec<&str> = property.split('.').collect();
    match parts[0] {
        "current-context" if parts.len() == 1 => config.doc["current-context"] = json!(""),
        "preferences" if parts.len() == 1 => config.doc["preferences"] = json!({}),
        list @ ("clusters" | "contexts" | "users") => unset_in_list(&mut config, list, &parts[1..])?,
        _ => {
            let done = parts[..parts.len() - 1].join(".");
            let at = if done.is_empty() { "api.Config".to_string() } else { format!("api.Config.{done}") };
            let last = parts[parts.len() - 1];
            return Err(Error::cli(format!("unable to parse {last} after [] at {at}")));
        }
    }
    config.save()?;
    ctx.say(&format!("Property \"{property}\" unset."))
}

fn unset_in_list(config: &mut kubeconfig::Kubeconfig, list: &str, rest: &[&str]) -> Result<()> {
    if rest.is_empty() {
        if let Some(doc) = config.doc.as_object_mut() {
            doc.remove(list);
        }
        return Ok(());
    }
    let field = match list {
        "clusters" => "cluster",
        "contexts" => "context",
        _ => "user",
    };
    let names: Vec<String> = config
        .doc
        .get(list)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|e| e.str_at("name").to_string())
        .collect();
    let taken = (1..=rest.len()).rev().find(|&k| names.iter().any(|n| *n == rest[..k].join("."))).unwrap_or(1);
    let name = rest[..taken].join(".");
    let fields = &rest[taken..];
    let Some(entries) = config.doc.get_mut(list).and_then(Value::as_array_mut) else {
        return missing_key(&name, fields);
    };
    let Some(at) = entries.iter().position(|e| e.str_at("name") == name) else {
        return missing_key(&name, fields);
    };
    match fields {
        [] => {
            entries.remove(at);
        }
        [key, ..] => {
            if let Some(body) = entries[at].get_mut(field).and_then(Value::as_object_mut) {
                body.remove(*key);
            }
        }
    }
    Ok(())
}

/// Unsetting a whole entry that is not there is nothing to do; a field of one is kubectl's error.
fn missing_key(name: &str, fields: &[&str]) -> Result<()> {
    if fields.is_empty() {
        Ok(())
    } else {
        Err(Error::cli(format!("current map key `{name}` is invalid")))
    }
}

/// `config view -o`: kubectl's generic printers without the table ones (custom-columns, wide),
/// which a kubeconfig has no columns for; YAML when unset.
pub fn view_format(output: Option<&str>) -> std::result::Result<OutputFormat, String> {
    const ALLOWED: &str =
        "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml";
    let unknown = |v: &str| {
        format!("unable to match a printer suitable for the output format \"{v}\", allowed formats are: {ALLOWED}")
    };
    match output {
        None | Some("") => Ok(OutputFormat::Yaml),
        Some(v) => match OutputFormat::parse(Some(v)) {
            Ok(OutputFormat::Table | OutputFormat::Wide | OutputFormat::CustomColumns(_)) => Err(unknown(v)),
            Ok(format) => Ok(format),
            Err(e) if e.starts_with("unable to match a printer") => Err(unknown(v)),
            Err(e) => Err(e),
        },
    }
}

/// `config view`'s flags.
pub struct View {
    pub minify: bool,
    /// `--raw` or `--flatten`: secrets shown as they are.
    pub raw: bool,
    pub format: OutputFormat,
}

pub fn view(ctx: &mut Context, src: &Source, req: View) -> Result<()> {
    let View { minify, raw, format } = req;
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
    complete_entries(&mut doc, raw);
    let text = match &format {
        OutputFormat::Json => crate::print::json::to_json_typed(&doc, &config_order),
        OutputFormat::JsonPath(t) => jsonpath::render(t, &doc).map_err(Error::cli)?,
        OutputFormat::JsonPathAsJson(t) => jsonpath::render_as_json(t, &doc).map_err(Error::cli)?,
        OutputFormat::GoTemplate(t) => gotemplate::render(t, &doc).map_err(Error::cli)?,
        // kubectl's name printer on a Config: kind `config`, no name.
        OutputFormat::Name => "config/<unknown>\n".to_string(),
        _ => crate::print::yaml::to_yaml(&doc),
    };
    std::io::Write::write_all(ctx.out, text.as_bytes()).map_err(super::io)
}
