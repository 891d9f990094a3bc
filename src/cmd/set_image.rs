//! `kstate set image sts/web nginx=nginx:1.27` (`*=IMAGE` for every container): changes the
//! images of a pod template (or a pod) and prints `image updated`; nothing when nothing changed.

use serde_json::Value;

use super::dry_run::DryRun;
use super::label::resources_and_pairs;
use super::set_pod_template::{container_lists, update, update_local, Targets};
use super::Context;
use crate::print::OutputFormat;
use crate::{Error, Result};

pub struct Request {
    pub args: Vec<String>,
    /// `--all`: a bare type names every object of it in the namespace.
    pub all: bool,
    pub filenames: Vec<String>,
    pub recursive: bool,
    /// `--local`: change the `-f` files' objects and print them, without the cluster.
    pub local: bool,
    pub output: Option<OutputFormat>,
    pub dry_run: DryRun,
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
    if req.local {
        return run_local(ctx, &req, &resources, &pairs);
    }
    let images = parse_images(&pairs)?;
    let resources = if req.all {
        let named = super::patch::named(ctx, &resources, &[], false)?;
        let every = super::patch::every_of_type(ctx, named)?;
        every.iter().map(|n| format!("{}/{}", n.kind.resource(), n.name)).collect()
    } else {
        resources
    };
    let targets = Targets {
        resources: &resources,
        filenames: &req.filenames,
        recursive: req.recursive,
        output: req.output.clone(),
        dry_run: req.dry_run,
    };
    update(ctx, &targets, "set image", "image", |obj, _| set_images(obj, &images))
}

/// `set image --local -f FILE`: the files' objects with their images set, printed (`-o`, or
/// kubectl's `image updated` line), the cluster untouched.
fn run_local(ctx: &mut Context, req: &Request, resources: &[String], pairs: &[String]) -> Result<()> {
    if !resources.is_empty() {
        return Err(Error::cli(
            "you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'",
        ));
    }
    let images = parse_images(pairs)?;
    let targets = Targets {
        resources,
        filenames: &req.filenames,
        recursive: req.recursive,
        output: req.output.clone(),
        dry_run: req.dry_run,
    };
    update_local(ctx, &targets, "image", |obj, _| set_images(obj, &images))
}

/// `CONTAINER=IMAGE` pairs; at least one.
fn parse_images(pairs: &[String]) -> Result<Vec<(String, String)>> {
    if pairs.is_empty() {
        return Err(Error::cli("at least one image update is required"));
    }
    let mut images = Vec::new();
    for p in pairs {
        match p.split_once('=') {
            Some((c, i)) if !c.is_empty() && !i.is_empty() => images.push((c.to_string(), i.to_string())),
            _ => return Err(Error::cli(format!("invalid image {p}"))),
        }
    }
    Ok(images)
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
