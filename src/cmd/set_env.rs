//! `kstate set env TYPE/NAME KEY=VALUE... KEY-...` (`-c/--containers` glob, default `*`): sets
//! and removes plain environment variables of a pod template's containers, as kubectl's
//! `set env` does; prints `env updated`. `--from=secret/NAME|configmap/NAME` (with `--keys`,
//! `--prefix`) adds a variable per key, read from the object (`valueFrom`), as kubectl does.

use serde_json::{json, Value};

use super::dry_run::DryRun;
use super::set_pod_template::{self, Targets};
use super::Context;
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
    let mut changes = Vec::new();
    for a in &req.args {
        if let Some((k, v)) = a.split_once('=') {
            super::create_generators::check_env_var_name(k)?;
            changes.push(Change::Set(k.to_string(), json!({"name": k, "value": v})));
        } else if let Some(k) = a.strip_suffix('-').filter(|k| !k.is_empty() && !k.contains('/')) {
            changes.push(Change::Remove(k.to_string()));
        } else if changes.is_empty() {
            resources.push(a.clone());
        } else {
            return Err(Error::cli(format!("all resources must be specified before environment changes: {a}")));
        }
    }
    if let Some(from) = &req.from {
        changes.splice(0..0, from_object(ctx, from, &req.keys, &req.prefix)?);
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
fn from_object(ctx: &mut Context, from: &str, keys: &[String], prefix: &str) -> Result<Vec<Change>> {
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
            let name = format!("{prefix}{}", env_name(&key));
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
