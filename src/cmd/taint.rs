//! `kstate taint nodes NAME KEY[=VALUE]:EFFECT ... [KEY[:EFFECT]-]`: kubectl's parsing, checks,
//! messages and ordering (new taints first).

use serde_json::{json, Value};

use super::cordon::select_nodes;
use super::Context;
use crate::api::ObjectExt;
use crate::{Error, Result};

pub struct Request {
    /// `nodes NAME`, `node/NAME`, then the taint specs.
    pub args: Vec<String>,
    pub selector: Option<String>,
    pub all: bool,
    pub overwrite: bool,
    pub dry_run: super::dry_run::DryRun,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Taint {
    key: String,
    value: String,
    effect: String,
}

impl Taint {
    fn to_json(&self) -> Value {
        let mut t = json!({"effect": self.effect, "key": self.key});
        if !self.value.is_empty() {
            t["value"] = json!(self.value);
        }
        t
    }

    fn same(&self, t: &Value) -> bool {
        t.str_at("key") == self.key && t.str_at("effect") == self.effect
    }
}

const EFFECTS: [&str; 3] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

fn parse_effect(e: &str) -> Result<String> {
    if EFFECTS.contains(&e) {
        Ok(e.to_string())
    } else {
        Err(Error::cli(format!("invalid taint effect: {e}, unsupported taint effect")))
    }
}

/// Parses the specs into taints to add and taints to remove (effect may be empty: all effects).
fn parse_specs(specs: &[String]) -> Result<(Vec<Taint>, Vec<Taint>)> {
    let (mut add, mut remove) = (Vec::new(), Vec::new());
    for spec in specs {
        if let Some(body) = spec.strip_suffix('-') {
            let (key, effect) = match body.split_once(':') {
                Some((k, e)) => (k, parse_effect(e)?),
                None => (body, String::new()),
            };
            remove.push(Taint { key: key.to_string(), value: String::new(), effect });
            continue;
        }
        let Some((kv, effect)) = spec.split_once(':') else {
            return Err(Error::cli(format!("invalid taint spec: {spec}")));
        };
        let effect = parse_effect(effect)?;
        let (key, value) = kv.split_once('=').unwrap_or((kv, ""));
        if key.is_empty() {
            return Err(Error::cli(format!("invalid taint spec: {spec}")));
        }
        let t = Taint { key: key.to_string(), value: value.to_string(), effect };
        if add.iter().any(|a: &Taint| a.key == t.key && a.effect == t.effect) {
            return Err(Error::cli(format!("duplicated taints with the same key and effect: {}", spec)));
        }
        add.push(t);
    }
    for r in &remove {
        if add.iter().any(|a| a.key == r.key && (r.effect.is_empty() || a.effect == r.effect)) {
            return Err(Error::cli(format!(
                "can not both modify and remove the following taint(s) in the same command: {}={}",
                r.key, r.effect
            )));
        }
    }
    if add.is_empty() && remove.is_empty() {
        return Err(Error::cli("at least one taint update is required"));
    }
    Ok((add, remove))
}

/// Splits `nodes NAME... specs` / `node/NAME specs` into node names and specs.
fn split_args(args: &[String]) -> Result<(Vec<String>, Vec<String>)> {
    let Some(first) = args.first() else {
        return Err(Error::cli("at least one taint update is required"));
    };
    let (kind, rest, mut names) = match first.split_once('/') {
        Some((k, n)) => (k, &args[1..], vec![n.to_string()]),
        None => (first.as_str(), &args[1..], Vec::new()),
    };
    if !matches!(kind, "node" | "nodes" | "no") {
        return Err(Error::cli(format!("invalid resource type {kind}, only node types are supported")));
    }
    let mut specs = Vec::new();
    for a in rest {
        if a.contains(':') || a.contains('=') || a.ends_with('-') {
            specs.push(a.clone());
        } else {
            names.push(a.clone());
        }
    }
    Ok((names, specs))
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let (names, specs) = split_args(&req.args)?;
    let (add, remove) = parse_specs(&specs)?;
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some("kubectl-taint".into());
    let nodes = if req.all {
        cluster.list(&crate::api::kinds::NODE, None)
    } else {
        select_nodes(&mut cluster, &names, req.selector.as_deref())
    };
    let result = nodes.and_then(|nodes| {
        let mut lines = Vec::new();
        for node in nodes {
            let (next, verb) = apply(&node, &add, &remove, req.overwrite)?;
            // kubectl's taint prints no dry-run suffix.
            lines.push(format!("node/{} {verb}", node.name()));
            // A client dry run sends nothing; a server one is validated, then thrown away.
            if req.dry_run != super::dry_run::DryRun::Client {
                cluster.update(next)?;
            }
        }
        Ok(lines)
    });
    match result {
        Ok(lines) => {
            if req.dry_run == super::dry_run::DryRun::None {
                ctx.finish(cluster)?;
            } else {
                cluster.abandon()?;
            }
            for l in lines {
                ctx.say(&l)?;
            }
            Ok(())
        }
        Err(e) => {
            cluster.abandon()?;
            Err(e)
        }
    }
}

/// The node with its taints updated, and kubectl's verb: tainted, untainted or modified.
fn apply(node: &Value, add: &[Taint], remove: &[Taint], overwrite: bool) -> Result<(Value, &'static str)> {
    let current = node.array_at("spec.taints").to_vec();
    if !overwrite {
        let clashing: Vec<&str> =
            add.iter().filter(|a| current.iter().any(|t| a.same(t))).map(|a| a.key.as_str()).collect();
        if !clashing.is_empty() {
            return Err(Error::cli(format!(
                "node {} already has {} taint(s) with same effect(s) and --overwrite is false",
                node.name(),
                clashing.join(",")
            )));
        }
    }
    let mut kept: Vec<Value> = Vec::new();
    let mut removed = false;
    for t in &current {
        let gone =
            remove.iter().any(|r| r.key == t.str_at("key") && (r.effect.is_empty() || r.effect == t.str_at("effect")));
        removed |= gone;
        if !gone && !add.iter().any(|a| a.same(t)) {
            kept.push(t.clone());
        }
    }
    for r in remove {
        let found =
            current.iter().any(|t| r.key == t.str_at("key") && (r.effect.is_empty() || r.effect == t.str_at("effect")));
        if !found {
            let spec = if r.effect.is_empty() { r.key.clone() } else { format!("{}:{}", r.key, r.effect) };
            return Err(Error::cli(format!("taint {spec:?} not found")));
        }
    }
    let replaced = add.iter().any(|a| current.iter().any(|t| a.same(t)));
    let mut taints: Vec<Value> = add.iter().map(Taint::to_json).collect();
    taints.extend(kept);
    let mut next = node.clone();
    if taints.is_empty() {
        if let Some(spec) = next.get_mut("spec").and_then(Value::as_object_mut) {
            spec.remove("taints");
        }
    } else {
        next["spec"]["taints"] = Value::Array(taints);
    }
    let verb = match (!add.is_empty(), removed) {
        _ if overwrite || replaced => "modified",
        (true, true) => "modified",
        (false, true) => "untainted",
        _ => "tainted",
    };
    Ok((next, verb))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn specs_parse_as_kubectl_parses_them() {
        let (add, remove) = parse_specs(&specs(&["dedicated=infra:NoSchedule", "gpu-"])).unwrap();
        assert_eq!(add[0], Taint { key: "dedicated".into(), value: "infra".into(), effect: "NoSchedule".into() });
        assert_eq!(remove[0].key, "gpu");
        assert_eq!(parse_specs(&specs(&["a=b"])).unwrap_err().to_string(), "error: invalid taint spec: a=b");
        assert_eq!(
            parse_specs(&specs(&["a=b:Sometimes"])).unwrap_err().to_string(),
            "error: invalid taint effect: Sometimes, unsupported taint effect"
        );
    }

    #[test]
    fn new_taints_go_first_and_clashes_need_overwrite() {
        let node = json!({"metadata": {"name": "n"}, "spec": {"taints": [{"key": "a", "effect": "NoSchedule"}]}});
        let (add, _) = parse_specs(&specs(&["b=1:NoExecute"])).unwrap();
        let (next, verb) = apply(&node, &add, &[], false).unwrap();
        assert_eq!(verb, "tainted");
        assert_eq!(next["spec"]["taints"][0]["key"], "b");
        let (add, _) = parse_specs(&specs(&["a=2:NoSchedule"])).unwrap();
        let err = apply(&node, &add, &[], false).unwrap_err().to_string();
        assert_eq!(err, "error: node n already has a taint(s) with same effect(s) and --overwrite is false");
        assert_eq!(apply(&node, &add, &[], true).unwrap().1, "modified");
    }
}
