//! `kstate set env TYPE/NAME KEY=VALUE... KEY-...` (`-c/--containers` glob, default `*`): sets
//! and removes plain environment variables of a pod template's containers, as kubectl's
//! `set env` does; prints `env updated`.

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
    pub output_name: bool,
    pub dry_run: DryRun,
}

/// One change: set NAME to VALUE, or remove NAME (`NAME-`).
#[derive(Debug, PartialEq, Eq)]
enum Change {
    Set(String, String),
    Remove(String),
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let mut resources = Vec::new();
    let mut changes = Vec::new();
    for a in &req.args {
        if let Some((k, v)) = a.split_once('=') {
            changes.push(Change::Set(k.to_string(), v.to_string()));
        } else if let Some(k) = a.strip_suffix('-').filter(|k| !k.is_empty() && !k.contains('/')) {
            changes.push(Change::Remove(k.to_string()));
        } else if changes.is_empty() {
            resources.push(a.clone());
        } else {
            return Err(Error::cli(format!("all resources must be specified before environment changes: {a}")));
        }
    }
    if changes.is_empty() {
        return Err(Error::cli("at least one environment variable must be provided"));
    }
    let targets = Targets {
        resources: &resources,
        filenames: &req.filenames,
        recursive: req.recursive,
        output_name: req.output_name,
        dry_run: req.dry_run,
    };
    set_pod_template::run(ctx, targets, "env", "env", &req.containers, |c| {
        apply(c, &changes);
        Ok(())
    })
}

fn apply(container: &mut serde_json::Map<String, Value>, changes: &[Change]) {
    let mut env: Vec<Value> = container.get("env").and_then(Value::as_array).cloned().unwrap_or_default();
    for change in changes {
        match change {
            Change::Set(name, value) => {
                let entry = json!({"name": name, "value": value});
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
