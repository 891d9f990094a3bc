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
    let targets = Targets {
        resources: &resources,
        filenames: &req.filenames,
        recursive: req.recursive,
        output_name: req.output_name,
        dry_run: req.dry_run,
    };
    update(ctx, &targets, "set image", "image", |obj, _| set_images(obj, &images))
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
