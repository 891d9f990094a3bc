//! `kstate create -f FILE|DIR|-`: every document is created in order; the ones that fail are
//! reported the way kubectl reports them, and the ones that succeed stay created.

use serde_json::Value;

use super::Context;
use crate::api::{convert, ObjectExt};
use crate::cluster::Cluster;
use crate::{manifest, Error, Result};

pub struct Request {
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub output_name: bool,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let docs = manifest::read(&req.filenames, req.recursive, ctx.stdin)?;
    let mut cluster = ctx.write()?;
    let mut errors: Vec<(Error, String)> = Vec::new();
    let mut created = 0;
    for doc in docs {
        match create_one(ctx, &mut cluster, doc.value, &doc.source) {
            Ok(obj) => {
                created += 1;
                let kind = Cluster::kind_of(&obj)?;
                let line = format!("{}/{}", kind.name_prefix(), obj.name());
                ctx.say(&if req.output_name { line } else { format!("{line} created") })?;
            }
            Err(e) => errors.push((e, doc.source.clone())),
        }
    }
    if created > 0 {
        ctx.finish(cluster)?;
    } else {
        cluster.abandon()?;
    }
    report(errors, "creating")
}

fn create_one(ctx: &mut Context, cluster: &mut Cluster, mut obj: Value, source: &str) -> Result<Value> {
    if let Some(warning) = convert::to_served(&mut obj, source)? {
        ctx.warn(&warning);
    }
    let namespace = if !ctx.namespace_given && !obj.namespace().is_empty() {
        obj.namespace().to_string()
    } else {
        ctx.namespace.clone()
    };
    cluster.create(obj, &namespace)
}

/// One error prints in its own form; several print one line each, without `error: `.
pub fn report(errors: Vec<(Error, String)>, verb: &str) -> Result<()> {
    match errors.len() {
        0 => Ok(()),
        1 => {
            let (e, source) = errors.into_iter().next().expect("one error");
            Err(e.with_source(verb, &source))
        }
        _ => Err(Error::Aggregate(errors.iter().map(|(e, s)| e.aggregate_line(verb, s)).collect())),
    }
}
