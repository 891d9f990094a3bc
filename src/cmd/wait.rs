//! `kstate wait --for=condition=Ready|--for=jsonpath=...|--for=delete TYPE NAME`: kstate has
//! already converged when a command runs, so the condition either holds now or never will
//! without another command; kubectl's timeout message says so.

use serde_json::Value;

use super::{parse_targets, Context};
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::Key;
use crate::print::jsonpath;
use crate::{Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    pub selector: Option<String>,
    pub all: bool,
    pub condition: String,
}

/// What `--for` asks.
enum Wanted {
    Delete,
    Condition { type_: String, status: String },
    JsonPath { path: String, value: Option<String> },
}

fn parse_for(text: &str) -> Result<Wanted> {
    if text == "delete" {
        return Ok(Wanted::Delete);
    }
    if let Some(cond) = text.strip_prefix("condition=") {
        let (type_, status) = match cond.split_once('=') {
            Some((t, s)) => (t, s),
            None => (cond, "True"),
        };
        return Ok(Wanted::Condition { type_: type_.to_string(), status: status.to_string() });
    }
    if let Some(expr) = text.strip_prefix("jsonpath=") {
        // `{.status.phase}=Running`: the value follows the closing brace.
        let (path, value) = match expr.rfind('}') {
            Some(i) if expr[i + 1..].starts_with('=') => (&expr[..=i], Some(expr[i + 2..].to_string())),
            _ => (expr, None),
        };
        jsonpath::check(path).map_err(|e| Error::cli(format!("unrecognized condition: \"{text}\": {e}")))?;
        return Ok(Wanted::JsonPath { path: path.to_string(), value });
    }
    Err(Error::cli(format!("unrecognized condition: \"{text}\"")))
}

fn holds(obj: &Value, wanted: &Wanted) -> bool {
    match wanted {
        Wanted::Delete => false,
        Wanted::Condition { type_, status } => obj
            .array_at("status.conditions")
            .iter()
            .any(|c| c.str_at("type").eq_ignore_ascii_case(type_) && c.str_at("status").eq_ignore_ascii_case(status)),
        Wanted::JsonPath { path, value } => match jsonpath::results(path, obj) {
            Ok(found) => match value {
                None => !found.is_empty(),
                Some(v) => found.iter().any(|f| match f {
                    Value::String(s) => s == v,
                    other => serde_json::from_str::<Value>(v).is_ok_and(|parsed| &parsed == other),
                }),
            },
            Err(_) => false,
        },
    }
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let wanted = parse_for(&req.condition)?;
    if req.resources.is_empty() {
        return Err(Error::no_name());
    }
    let selector = match &req.selector {
        Some(s) => Selector::parse(s).map_err(Error::cli)?,
        None => Selector::everything(),
    };
    let mut cluster = ctx.read()?;
    let mut lines = Vec::new();
    let mut failed = Vec::new();
    let mut matched = 0;
    for target in parse_targets(&req.resources)? {
        let kind = target.kind;
        let objects: Vec<(String, Option<Value>)> = if target.names.is_empty() {
            if req.selector.is_none() && !req.all {
                return Err(Error::no_name());
            }
            cluster.load(kind, Some(&ctx.namespace))?;
            let found = cluster.iter(kind, Some(&ctx.namespace)).filter(|o| selector.matches_object(o));
            found.map(|o| (o.name().to_string(), Some(o.clone()))).collect()
        } else {
            let mut out = Vec::new();
            for name in &target.names {
                out.push((name.clone(), cluster.get(&Key::new(kind, &ctx.namespace, name))?));
            }
            out
        };
        for (name, obj) in objects {
            matched += 1;
            match (obj, &wanted) {
                (None, Wanted::Delete) => {}
                (None, _) => failed.push(Error::not_found(&kind.resource(), &name).to_string()),
                (Some(o), w) if holds(&o, w) => lines.push(format!("{}/{name} condition met", kind.name_prefix())),
                (Some(_), _) => {
                    failed.push(format!("error: timed out waiting for the condition on {}/{name}", kind.plural))
                }
            }
        }
    }
    cluster.abandon()?;
    for line in lines {
        ctx.say(&line)?;
    }
    if matched == 0 {
        return Err(Error::cli("no matching resources found"));
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Error::Aggregate(failed))
    }
}
