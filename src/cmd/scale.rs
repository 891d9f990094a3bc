//! `kstate scale sts web --replicas=N`: the scale subresource.

use serde_json::json;

use super::dry_run::DryRun;
use super::{parse_targets, Context, Target};
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::Key;
use crate::{Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    pub replicas: Option<i64>,
    pub filenames: Vec<String>,
    pub current_replicas: i64,
    /// `--all` / `-l`: the objects of the given types (all, or those the selector matches).
    pub all: bool,
    pub selector: Option<String>,
    /// `-o name|yaml|json|jsonpath=...|go-template=...`: kubectl prints each object as it
    /// fetched it, before the scale (its printer is handed the object the builder read).
    pub output: Option<crate::print::OutputFormat>,
    pub dry_run: DryRun,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let Some(replicas) = req.replicas else {
        return Err(ctx.required_flags(&["replicas"]));
    };
    if replicas < 0 {
        return Err(Error::cli("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"));
    }
    if req.resources.is_empty() && req.filenames.is_empty() {
        return Err(Error::no_resources());
    }
    let targets = match req.filenames.is_empty() {
        true => parse_targets(&req.resources)?,
        false => file_targets(ctx, &req.filenames)?,
    };
    let selector = match req.selector.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(Selector::parse(s).map_err(Error::cli)?),
        None => None,
    };
    let listing = req.all || selector.is_some();
    if !listing && targets.iter().any(|t| t.names.is_empty()) {
        return Err(Error::no_name());
    }
    let mut cluster = ctx.write()?;
    // kubectl's builder first fetches every object; the missing ones are reported after the
    // others are scaled (or, when none was found, as "no objects passed to scale").
    let mut found = Vec::new();
    let mut missing: Vec<Error> = Vec::new();
    for target in &targets {
        if target.names.is_empty() {
            cluster.load(target.kind, Some(&ctx.namespace))?;
            let everything = Selector::everything();
            let sel = selector.as_ref().unwrap_or(&everything);
            let objects: Vec<_> =
                cluster.iter(target.kind, Some(&ctx.namespace)).filter(|o| sel.matches_object(o)).cloned().collect();
            found.extend(objects.into_iter().map(|o| (target.kind, o.name().to_string(), o)));
            continue;
        }
        for name in &target.names {
            let key = Key::new(target.kind, &ctx.namespace, name);
            match cluster.get(&key)? {
                Some(obj) => found.push((target.kind, name.clone(), obj)),
                None => missing.push(Error::not_found(&target.kind.resource(), name)),
            }
        }
    }
    if found.is_empty() && missing.is_empty() {
        cluster.abandon()?;
        return Err(Error::cli("no objects passed to scale"));
    }
    if found.is_empty() {
        cluster.abandon()?;
        let msgs: Vec<String> = missing.iter().map(Error::server_message).collect();
        let reason = if msgs.len() == 1 { msgs.join("") } else { format!("[{}]", msgs.join(", ")) };
        return Err(Error::cli(format!("no objects passed to scale {reason}")));
    }
    let mut scaled = Vec::new();
    for (kind, _, mut obj) in found {
        let custom = crate::api::custom::scale_paths(kind.kind);
        if !matches!(kind.kind, "StatefulSet" | "Deployment" | "ReplicaSet" | "ReplicationController")
            && custom.is_none()
        {
            cluster.abandon()?;
            return Err(Error::cli(format!("cannot scale {}", kind.plural)));
        }
        let index = scaled.len();
        scaled.push(super::set_field::render(kind, &obj, req.output.as_ref(), "scaled", req.dry_run, index)?);
        let path = custom.map(|p| p.spec_replicas).unwrap_or_else(|| "spec.replicas".to_string());
        let current = obj.i64_at(&path).unwrap_or(if path == "spec.replicas" { 1 } else { 0 });
        // A client dry run prints the objects without checking the precondition or writing.
        if req.dry_run == DryRun::Client {
            continue;
        }
        if req.current_replicas >= 0 && req.current_replicas != current {
            cluster.abandon()?;
            return Err(Error::cli(format!("Expected replicas to be {}, was {current}", req.current_replicas)));
        }
        if replicas > i64::from(i32::MAX) {
            // The scale subresource's replicas are an int32: the API server cannot decode more.
            cluster.abandon()?;
            return Err(Error::BadRequest(format!(
                "Scale in version \"v1\" cannot be handled as a Scale: json: cannot unmarshal number {replicas} \
                 into Go struct field ScaleSpec.spec.replicas of type int32"
            )));
        }
        crate::api::object::set_at(&mut obj, &path, json!(replicas));
        if let Err(e) = cluster.update(obj) {
            cluster.abandon()?;
            return Err(e);
        }
    }
    if req.dry_run == DryRun::None {
        ctx.finish(cluster)?;
    } else {
        cluster.abandon()?;
    }
    for text in scaled {
        ctx.out.write_all(text.as_bytes()).map_err(super::io)?;
    }
    match missing.len() {
        0 => Ok(()),
        1 => Err(missing.remove(0)),
        _ => Err(Error::Aggregate(missing.iter().map(Error::to_string).collect())),
    }
}

/// `-f`: the objects the files describe, scaled by kind and name as the server has them (the
/// builder reads the files; the scale itself goes to each object's scale subresource).
fn file_targets(ctx: &mut Context, filenames: &[String]) -> Result<Vec<Target>> {
    let mut out: Vec<Target> = Vec::new();
    for named in super::patch::named(ctx, &[], filenames, false)? {
        match out.iter_mut().find(|t| std::ptr::eq(t.kind, named.kind)) {
            Some(t) => t.names.push(named.name),
            None => out.push(Target { kind: named.kind, names: vec![named.name] }),
        }
    }
    Ok(out)
}
