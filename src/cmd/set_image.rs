//! `kstate set image sts/web nginx=nginx:1.27` (`*=IMAGE` for every container): changes the
//! images of a pod template (or a pod) and prints `image updated`; nothing when nothing changed.

use serde_json::Value;

use super::dry_run::DryRun;
use super::label::resources_and_pairs;
use super::patch::{finish_errors, named};
use super::Context;
use crate::{Error, Result};

pub struct Request {
    pub args: Vec<String>,
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub output_name: bool,
    pub dry_run: DryRun,
}

/// The containers lists of an object's pod spec, as JSON pointers.
fn container_lists(kind: &str) -> [&'static str; 2] {
    match kind {
        "Pod" => ["/spec/initContainers", "/spec/containers"],
        "CronJob" => {
            ["/spec/jobTemplate/spec/template/spec/initContainers", "/spec/jobTemplate/spec/template/spec/containers"]
        }
        _ => ["/spec/template/spec/initContainers", "/spec/template/spec/containers"],
    }
}

/// Sets the images; `Err` names the first container not found.
fn set_images(obj: &mut Value, images: &[(String, String)]) -> std::result::Result<(), String> {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
    for (name, image) in images {
        let mut found = false;
        for list in container_lists(&kind) {
            let Some(Value::Array(cs)) = obj.pointer_mut(list) else { continue };
            for c in cs.iter_mut() {
                if name == "*" || c.get("name").and_then(Value::as_str) == Some(name.as_str()) {
                    c["image"] = Value::String(image.clone());
                    found = true;
                }
            }
        }
        if !found && name != "*" {
            return Err(format!("unable to find container named {name:?}"));
        }
    }
    Ok(())
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let (resources, pairs) = resources_and_pairs(&req.args, "image")?;
    if pairs.is_empty() {
        return Err(Error::cli("at least one image update is required"));
    }
    let mut images = Vec::new();
    for p in &pairs {
        match p.split_once('=') {
            Some((c, i)) if !c.is_empty() && !i.is_empty() => images.push((c.to_string(), i.to_string())),
            _ => return Err(Error::cli(format!("invalid image {p}"))),
        }
    }
    if resources.is_empty() && req.filenames.is_empty() {
        return Err(Error::Usage {
            cmd: "set image".into(),
            msg: "one or more resources must be specified as <resource> <name> or <resource>/<name>".into(),
        });
    }
    let targets = named(ctx, &resources, &req.filenames, req.recursive)?;
    if targets.iter().any(|t| t.name.is_empty()) {
        return Err(Error::no_name());
    }
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some("kubectl-set".into());
    let (mut lines, mut errors, mut wrote) = (Vec::new(), Vec::new(), false);
    for t in &targets {
        let Some(live) = cluster.get(&t.key())? else {
            errors.push(t.not_found());
            continue;
        };
        if !matches!(t.kind.kind, "Pod" | "StatefulSet" | "Deployment" | "ReplicaSet" | "DaemonSet" | "Job" | "CronJob")
        {
            errors.push(Error::cli(format!(
                "{}/{} the object is not a pod or does not have a pod template: *v1.{}",
                t.kind.plural, t.name, t.kind.kind
            )));
            continue;
        }
        let mut obj = live.clone();
        if let Err(m) = set_images(&mut obj, &images) {
            errors.push(Error::cli(m));
            continue;
        }
        if obj == live {
            continue;
        }
        let refused = errors.len();
        wrote |= super::patch::try_update(&mut cluster, obj, req.dry_run, &mut errors)?;
        if errors.len() > refused {
            continue;
        }
        let line = format!("{}/{}", t.kind.name_prefix(), t.name);
        lines.push(if req.output_name { line } else { format!("{line} image updated{}", req.dry_run.suffix()) });
    }
    if wrote && req.dry_run == DryRun::None {
        ctx.finish(cluster)?;
    } else {
        cluster.abandon()?;
    }
    for l in lines {
        ctx.say(&l)?;
    }
    finish_errors(errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sets_named_and_all_images() {
        let mut s = json!({"kind": "StatefulSet", "spec": {"template": {"spec": {"containers": [
            {"name": "nginx", "image": "nginx"}, {"name": "side", "image": "busybox"}]}}}});
        set_images(&mut s, &[("nginx".into(), "nginx:1.27".into())]).unwrap();
        assert_eq!(s.pointer("/spec/template/spec/containers/0/image").unwrap(), "nginx:1.27");
        set_images(&mut s, &[("*".into(), "x".into())]).unwrap();
        assert_eq!(s.pointer("/spec/template/spec/containers/1/image").unwrap(), "x");
        assert!(set_images(&mut s, &[("nope".into(), "x".into())]).is_err());
    }
}
