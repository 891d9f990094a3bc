//! `kstate wait --for=condition=Ready|--for=jsonpath=...|--for=delete TYPE NAME [--timeout=D]`:
//! waits, in cluster time, until the condition holds or the timeout passes (kubectl's timeout
//! message then). The clock moves by the time waited, as if the user had waited.

use serde_json::Value;

use super::{parse_targets, Context};
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::print::jsonpath;
use crate::{controller, Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    pub selector: Option<String>,
    pub all: bool,
    pub condition: String,
    /// How long to wait, in seconds of cluster time (kubectl's `--timeout`, 30 s by default).
    pub timeout: i64,
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
    let targets = parse_targets(&req.resources)?;
    if targets.iter().any(|t| t.names.is_empty()) && req.selector.is_none() && !req.all {
        return Err(Error::no_name());
    }
    let mut cluster = ctx.write()?;
    let deadline = cluster.clock.now().saturating_add(req.timeout);
    // kubectl waits up to --timeout; here the wait passes in cluster time, from one due timer to
    // the next, so what the wait saw happen has happened for the next command too.
    let outcome = loop {
        let outcome = match evaluate(ctx, &mut cluster, &targets, &selector, &wanted) {
            Ok(o) => o,
            Err(e) => {
                cluster.abandon()?;
                return Err(e);
            }
        };
        let now = cluster.clock.now();
        if outcome.failed.is_empty() || now >= deadline {
            break outcome;
        }
        controller::pass_time(&mut cluster, deadline, controller::Idle::WaitOut)?;
    };
    ctx.finish(cluster)?;
    for line in &outcome.lines {
        ctx.say(line)?;
    }
    if outcome.matched == 0 {
        return Err(Error::cli("no matching resources found"));
    }
    if outcome.failed.is_empty() {
        Ok(())
    } else {
        Err(Error::Aggregate(outcome.failed))
    }
}

/// What one look at the objects found.
struct Outcome {
    lines: Vec<String>,
    failed: Vec<String>,
    matched: usize,
}

fn evaluate(
    ctx: &Context,
    cluster: &mut Cluster,
    targets: &[super::Target],
    selector: &Selector,
    wanted: &Wanted,
) -> Result<Outcome> {
    let mut out = Outcome { lines: Vec::new(), failed: Vec::new(), matched: 0 };
    for target in targets {
        let kind = target.kind;
        let objects: Vec<(String, Option<Value>)> = if target.names.is_empty() {
            cluster.load(kind, Some(&ctx.namespace))?;
            let found = cluster.iter(kind, Some(&ctx.namespace)).filter(|o| selector.matches_object(o));
            found.map(|o| (o.name().to_string(), Some(o.clone()))).collect()
        } else {
            let mut found = Vec::new();
            for name in &target.names {
                found.push((name.clone(), cluster.get(&Key::new(kind, &ctx.namespace, name))?));
            }
            found
        };
        for (name, obj) in objects {
            out.matched += 1;
            match (obj, wanted) {
                (None, Wanted::Delete) => {}
                (None, _) => out.failed.push(Error::not_found(&kind.resource(), &name).to_string()),
                (Some(o), w) if holds(&o, w) => out.lines.push(format!("{}/{name} condition met", kind.name_prefix())),
                (Some(_), _) => {
                    out.failed.push(format!("error: timed out waiting for the condition on {}/{name}", kind.plural))
                }
            }
        }
    }
    Ok(out)
}
