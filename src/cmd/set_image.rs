//! `kstate set image sts/web nginx=nginx:1.27` (`*=IMAGE` for every container): changes the
//! images of a pod template (or a pod) and prints `image updated`; nothing when nothing changed.

use serde_json::Value;

use super::dry_run::DryRun;
use super::label::resources_and_pairs;
use super::set_pod_template::{container_lists, update, Targets};
use super::Context;
use crate::{Error, Result};

pub struct Request {
    pub args: Vec<String>,
    /// `--all`: a bare type names every object of it in the namespace.
    pub all: bool,
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub output_name: bool,
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
        output: req.output_name.then_some(crate::print::OutputFormat::Name),
        dry_run: req.dry_run,
    };
    update(ctx, &targets, "set image", "image", |obj, _| set_images(obj, &images))
}

/// `set image --local -f FILE`: the files' objects with their images set, printed (`-o yaml|json|
/// name`, or kubectl's `image updated` line), the cluster untouched.
pub fn run_local(ctx: &mut Context, req: Request, output: Option<&str>) -> Result<()> {
    let (resources, pairs) = resources_and_pairs(&req.args, "image")?;
    if !resources.is_empty() || req.filenames.is_empty() {
        return Err(Error::cli(
            "you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'",
        ));
    }
    let images = parse_images(&pairs)?;
    let mut out = String::new();
    for doc in crate::manifest::read(&req.filenames, req.recursive, ctx.stdin)? {
        let kind = crate::cluster::Cluster::kind_of(&doc.value)?;
        let mut obj = doc.value;
        set_images(&mut obj, &images).map_err(Error::cli)?;
        let line = format!("{}/{}", kind.name_prefix(), crate::api::ObjectExt::name(&obj));
        out.push_str(&match output {
            Some("yaml") => crate::print::yaml::to_yaml(&obj),
            Some("json") => crate::print::json::to_json(&obj),
            Some("name") => format!("{line}\n"),
            _ => format!("{line} image updated\n"),
        });
    }
    ctx.out.write_all(out.as_bytes()).map_err(super::io)
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
