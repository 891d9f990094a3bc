//! `kstate set resources TYPE/NAME --limits=cpu=200m,memory=512Mi --requests=...`
//! (`-c/--containers` glob, default `*`): sets containers' resource requirements; prints
//! `resource requirements updated`. `--local -f FILE` changes the files' objects and prints them,
//! without the cluster.

use serde_json::{Map, Value};

use super::dry_run::DryRun;
use super::set_pod_template::{self, container_lists, glob, Targets};
use super::Context;
use crate::print::OutputFormat;
use crate::{Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub containers: String,
    pub limits: Option<String>,
    pub requests: Option<String>,
    pub output: Option<OutputFormat>,
    pub local: bool,
    pub dry_run: DryRun,
}

/// `cpu=200m,memory=512Mi` as a resource list, each quantity checked.
fn parse_list(text: &str) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    for pair in text.split(',').filter(|p| !p.is_empty()) {
        let Some((name, qty)) = pair.split_once('=') else {
            return Err(Error::cli(format!("invalid argument syntax {pair}")));
        };
        if crate::api::quantity::Quantity::parse(qty).is_err() {
            return Err(Error::cli(
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
            ));
        }
        out.insert(name.to_string(), Value::String(qty.to_string()));
    }
    Ok(out)
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    if req.limits.is_none() && req.requests.is_none() {
        return Err(Error::cli(
            "you must specify an update to requests or limits (in the form of --requests/--limits)",
        ));
    }
    let limits = req.limits.as_deref().map(parse_list).transpose()?;
    let requests = req.requests.as_deref().map(parse_list).transpose()?;
    let edit = |obj: &mut Value, kind: &str| set_resources(obj, kind, &req.containers, &limits, &requests);
    let targets = Targets {
        resources: &req.resources,
        filenames: &req.filenames,
        recursive: req.recursive,
        output: req.output.clone(),
        dry_run: req.dry_run,
    };
    if req.local {
        return set_pod_template::update_local(ctx, &targets, "resource requirements", edit);
    }
    set_pod_template::update(ctx, &targets, "set resources", "resource requirements", edit)
}

/// Merges the limits and requests into the matching containers (init containers included);
/// none matching is kubectl's `unable to find container named`.
fn set_resources(
    obj: &mut Value,
    kind: &str,
    pattern: &str,
    limits: &Option<Map<String, Value>>,
    requests: &Option<Map<String, Value>>,
) -> std::result::Result<(), String> {
    let mut found = false;
    for list in container_lists(kind) {
        let Some(Value::Array(cs)) = obj.pointer_mut(list) else { continue };
        for c in cs.iter_mut().filter_map(Value::as_object_mut) {
            if !glob(pattern, c.get("name").and_then(Value::as_str).unwrap_or_default()) {
                continue;
            }
            found = true;
            let resources = c.entry("resources").or_insert_with(|| Value::Object(Map::new()));
            let Some(r) = resources.as_object_mut() else { return Err("resources is not an object".into()) };
            for (field, list) in [("limits", limits), ("requests", requests)] {
                if let Some(list) = list {
                    let target = r.entry(field).or_insert_with(|| Value::Object(Map::new()));
                    if let Some(t) = target.as_object_mut() {
                        t.extend(list.clone());
                    }
                }
            }
        }
    }
    match found {
        true => Ok(()),
        false => Err(format!("unable to find container named {pattern}")),
    }
}
