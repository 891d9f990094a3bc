//! `kstate scale sts web --replicas=N`: the scale subresource.

use serde_json::json;

use super::{parse_targets, Context};
use crate::api::ObjectExt;
use crate::cluster::Key;
use crate::{Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    pub replicas: Option<i64>,
    pub filenames: Vec<String>,
    pub current_replicas: i64,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let Some(replicas) = req.replicas else {
        return Err(Error::cli("required flag(s) \"replicas\" not set"));
    };
    if replicas < 0 {
        return Err(Error::cli("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"));
    }
    if req.resources.is_empty() {
        return Err(Error::Usage { cmd: "scale".into(), msg: "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'".into() });
    }
    let targets = parse_targets(&req.resources)?;
    let mut cluster = ctx.write()?;
    let mut scaled = Vec::new();
    for target in targets {
        if target.kind.kind != "StatefulSet" {
            cluster.abandon()?;
            return Err(Error::cli(format!("cannot scale {}", target.kind.plural)));
        }
        if target.names.is_empty() {
            cluster.abandon()?;
            return Err(Error::cli("resource(s) were provided, but no name was specified"));
        }
        for name in target.names {
            let key = Key::new(target.kind, &ctx.namespace, &name);
            let Some(mut obj) = cluster.get(&key)? else {
                cluster.abandon()?;
                return Err(Error::cli(format!(
                    "no objects passed to scale {} \"{name}\" not found",
                    target.kind.resource()
                )));
            };
            let current = obj.i64_at("spec.replicas").unwrap_or(1);
            if req.current_replicas >= 0 && req.current_replicas != current {
                cluster.abandon()?;
                return Err(Error::cli(format!("Expected replicas to be {}, was {current}", req.current_replicas)));
            }
            obj["spec"]["replicas"] = json!(replicas);
            cluster.update(obj)?;
            scaled.push(format!("{}/{name} scaled", target.kind.name_prefix()));
        }
    }
    ctx.finish(cluster)?;
    for line in scaled {
        ctx.say(&line)?;
    }
    Ok(())
}
