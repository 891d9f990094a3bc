//! `apply view-last-applied` and `apply set-last-applied`: the
//! `kubectl.kubernetes.io/last-applied-configuration` annotation, read or written.

use serde_json::Value;

use super::apply::LAST_APPLIED;
use super::dry_run::DryRun;
use super::{io, Context};
use crate::api::decode::FieldValidation;
use crate::api::object::set_at;
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::manifest::Entry;
use crate::print::json::to_compact_json;
use crate::{Error, Result};

pub struct ViewRequest {
    pub resources: Vec<String>,
    pub output: String,
    pub json: bool,
    pub selector: Option<String>,
    pub all: bool,
    pub filenames: Vec<String>,
    pub recursive: bool,
}

const NO_RESOURCES: &str = "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/// Prints each object's annotation: YAML (sorted keys, as `yaml.JSONToYAML`), or the stored JSON
/// re-indented by two spaces (Go's `json.Indent`). Objects without it print nothing.
pub fn view(ctx: &mut Context, req: ViewRequest) -> Result<()> {
    if req.output != "yaml" && req.output != "json" {
        return Err(Error::Usage {
            cmd: "apply view-last-applied".into(),
            msg: format!("Unexpected -o output mode: {}, the flag 'output' must be one of yaml|json", req.output),
        });
    }
    let mut targets = req.resources.clone();
    if !req.filenames.is_empty() {
        targets.extend(file_targets(ctx, &req.filenames, req.recursive)?);
    }
    if targets.is_empty() {
        return Err(Error::cli(NO_RESOURCES));
    }
    let selector = match &req.selector {
        Some(s) => Selector::parse(s).map_err(Error::cli)?,
        None => Selector::everything(),
    };
    let parsed = super::parse_targets(&targets)?;
    let mut cluster = ctx.read()?;
    let mut objects = Vec::new();
    for t in &parsed {
        if t.names.is_empty() {
            let ns = t.kind.namespaced.then(|| ctx.namespace.clone());
            cluster.load(t.kind, ns.as_deref())?;
            objects.extend(cluster.iter(t.kind, ns.as_deref()).filter(|o| selector.matches_object(o)).cloned());
            continue;
        }
        for name in &t.names {
            match cluster.get(&Key::new(t.kind, &ctx.namespace, name))? {
                Some(o) => objects.push(o),
                None => {
                    cluster.abandon()?;
                    return Err(Error::not_found(&t.kind.resource(), name));
                }
            }
        }
    }
    cluster.abandon()?;
    let _ = req.all;
    let mut out = String::new();
    for o in &objects {
        let Some(text) = o.annotation(LAST_APPLIED) else { continue };
        if req.json {
            out.push_str(&go_json_indent(text));
        } else {
            let value: Value = serde_json::from_str(text).map_err(|e| Error::cli(e.to_string()))?;
            out.push_str(&crate::print::yaml::to_yaml(&value));
        }
    }
    ctx.out.write_all(out.as_bytes()).map_err(io)
}

pub(super) fn file_targets(ctx: &mut Context, filenames: &[String], recursive: bool) -> Result<Vec<String>> {
    let docs = crate::manifest::read(filenames, recursive, ctx.stdin)?;
    let mut out = Vec::new();
    for doc in docs {
        let kind = Cluster::kind_of(&doc.value)?;
        out.push(format!("{}/{}", kind.name_prefix(), doc.value.name()));
    }
    Ok(out)
}

/// Go's `json.Indent(dst, src, "", "  ")`: the same tokens in the same order, one member or
/// element a line; empty objects and arrays stay `{}` and `[]`; trailing whitespace is kept.
fn go_json_indent(src: &str) -> String {
    let trimmed = src.trim_start();
    let body_end = trimmed.trim_end().len();
    let (body, tail) = trimmed.split_at(body_end);
    let mut out = String::with_capacity(src.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = body.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                while chars.peek().is_some_and(|n| n.is_whitespace()) {
                    chars.next();
                }
                if chars.peek() == Some(&close) {
                    chars.next();
                    out.push(close);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out.push_str(tail);
    out
}

pub struct SetRequest {
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub create_annotation: bool,
    pub output_name: bool,
    pub dry_run: DryRun,
}

/// Sets each live object's annotation to its manifest (compact JSON, the namespace filled in).
pub fn set(ctx: &mut Context, req: SetRequest) -> Result<()> {
    if req.filenames.is_empty() {
        return Err(Error::cli(NO_RESOURCES));
    }
    let entries = super::create::read_filenames(ctx, &req.filenames, req.recursive, FieldValidation::Strict, "apply")?;
    let mut docs = Vec::new();
    for entry in entries {
        match entry {
            Entry::Doc(d) => docs.push(d.value),
            Entry::List(items) => {
                for item in items {
                    docs.push(item?.value);
                }
            }
            Entry::Error(e) => return Err(e),
        }
    }
    let mut cluster = ctx.write()?;
    let mut updates = Vec::new();
    let mut lines = Vec::new();
    for mut obj in docs {
        let kind = Cluster::kind_of(&obj)?;
        let namespace = if !ctx.namespace_given && !obj.namespace().is_empty() {
            obj.namespace().to_string()
        } else {
            ctx.namespace.clone()
        };
        if kind.namespaced {
            set_at(&mut obj, "metadata.namespace", Value::String(namespace.clone()));
        }
        let name = obj.name().to_string();
        let Some(mut live) = cluster.get(&Key::new(kind, &namespace, &name))? else {
            cluster.abandon()?;
            return Err(Error::not_found(&kind.resource(), &name));
        };
        let text = format!("{}\n", to_compact_json(&obj));
        match live.annotation(LAST_APPLIED) {
            None if !req.create_annotation => {
                cluster.abandon()?;
                return Err(Error::cli(format!("no last-applied-configuration annotation found on resource: {name}, to create the annotation, run the command with --create-annotation")));
            }
            Some(old) if old == text => {
                lines.push(format!("set-last-applied {name}: no changes required."));
                continue;
            }
            _ => {}
        }
        let mut annotations = match live.at("metadata.annotations") {
            Some(Value::Object(m)) => m.clone(),
            _ => serde_json::Map::new(),
        };
        annotations.insert(LAST_APPLIED.into(), Value::String(text));
        set_at(&mut live, "metadata.annotations", Value::Object(annotations));
        let prefix = format!("{}/{name}", kind.name_prefix());
        lines.push(if req.output_name { prefix } else { format!("{prefix} configured{}", req.dry_run.suffix()) });
        updates.push(live);
    }
    if req.dry_run != DryRun::None || updates.is_empty() {
        cluster.abandon()?;
    } else {
        cluster.field_manager = Some("kubectl-client-side-apply".into());
        for u in updates {
            if let Err(e) = cluster.update(u) {
                cluster.abandon()?;
                return Err(e);
            }
        }
        ctx.finish(cluster)?;
    }
    for l in lines {
        ctx.say(&l)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::go_json_indent;

    #[test]
    fn indents_like_go() {
        assert_eq!(
            go_json_indent("{\"a\":{\"b\":[1,\"x,y\"]},\"c\":{},\"d\":[]}\n"),
            "{\n  \"a\": {\n    \"b\": [\n      1,\n      \"x,y\"\n    ]\n  },\n  \"c\": {},\n  \"d\": []\n}\n"
        );
    }
}
