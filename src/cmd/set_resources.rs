//! `kstate set resources TYPE/NAME --limits=cpu=200m,memory=512Mi --requests=...`
//! (`-c/--containers` glob, default `*`): sets containers' resource requirements; prints
//! `resource requirements updated`.

use serde_json::{Map, Value};

use super::dry_run::DryRun;
use super::set_pod_template::{self, Targets};
use super::Context;
use crate::{Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub containers: String,
    pub limits: Option<String>,
    pub requests: Option<String>,
    pub output_name: bool,
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
    let targets = Targets {
        resources: &req.resources,
        filenames: &req.filenames,
        recursive: req.recursive,
        output_name: req.output_name,
        dry_run: req.dry_run,
    };
    set_pod_template::run(ctx, targets, "resources", "resource requirements", &req.containers, |c| {
        let resources = c.entry("resources").or_insert_with(|| Value::Object(Map::new()));
        let Some(r) = resources.as_object_mut() else { return Err("resources is not an object".into()) };
        for (field, list) in [("limits", &limits), ("requests", &requests)] {
            if let Some(list) = list {
                let target = r.entry(field).or_insert_with(|| Value::Object(Map::new()));
                if let Some(t) = target.as_object_mut() {
                    t.extend(list.clone());
                }
            }
        }
        Ok(())
    })
}
