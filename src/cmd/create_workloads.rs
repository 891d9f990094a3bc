//! `create deployment NAME --image=I [--replicas=N] [--port=P] [-- COMMAND]` and
//! `create job NAME --image=I [-- COMMAND]`: the objects kubectl v1.32's generators build.

use serde_json::{json, Value};

use crate::{Error, Result};

/// `parseImageName` and `sanitizeAndUniquify`: a container name from an image reference
/// (`registry/path/nginx:1.27` → `nginx`), `_` made `-`, duplicates numbered.
fn container_names(images: &[String]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for image in images {
        let base = image.rsplit('/').next().unwrap_or(image);
        let base = base.split('@').next().unwrap_or(base);
        let base = base.split(':').next().unwrap_or(base).replace('_', "-");
        let mut name = base.clone();
        let mut n = 1;
        while names.contains(&name) {
            name = format!("{base}-{n}");
            n += 1;
        }
        names.push(name);
    }
    names
}

pub fn deployment(name: &str, images: &[String], replicas: i64, port: i64, command: &[String]) -> Result<Value> {
    if images.is_empty() {
        return Err(Error::cli("required flag(s) \"image\" not set"));
    }
    if images.len() > 1 && !command.is_empty() {
        return Err(Error::cli("cannot specify multiple --image options and command"));
    }
    let containers: Vec<Value> = container_names(images)
        .into_iter()
        .zip(images)
        .enumerate()
        .map(|(i, (cname, image))| {
            let mut c = json!({"image": image, "name": cname, "resources": {}});
            if !command.is_empty() {
                c["command"] = json!(command);
            }
            // kubectl sets `--port` on the first container only.
            if port >= 0 && i == 0 {
                c["ports"] = json!([{"containerPort": port}]);
            }
            c
        })
        .collect();
    let labels = json!({"app": name});
    Ok(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"creationTimestamp": null, "labels": labels, "name": name},
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels}, "strategy": {},
                 "template": {"metadata": {"creationTimestamp": null, "labels": labels},
                              "spec": {"containers": containers}}},
        "status": {}
    }))
}

pub fn job(name: &str, image: &str, command: &[String]) -> Result<Value> {
    if image.is_empty() {
        return Err(Error::cli("--image must be specified"));
    }
    let mut container = json!({"image": image, "name": name, "resources": {}});
    if !command.is_empty() {
        container["command"] = json!(command);
    }
    Ok(json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"creationTimestamp": null, "name": name},
        "spec": {"template": {"metadata": {"creationTimestamp": null},
                              "spec": {"containers": [container], "restartPolicy": "Never"}}},
        "status": {}
    }))
}

/// `create job NAME --from=cronjob/CJ`: the CronJob's job template, marked as instantiated by
/// hand and owned by the CronJob.
pub fn job_from_cronjob(name: &str, cronjob: &Value) -> Value {
    let template = cronjob.pointer("/spec/jobTemplate").cloned().unwrap_or_else(|| json!({}));
    let mut annotations = template.pointer("/metadata/annotations").cloned().unwrap_or_else(|| json!({}));
    annotations["cronjob.kubernetes.io/instantiate"] = json!("manual");
    let mut meta = json!({"annotations": annotations, "creationTimestamp": null, "name": name,
        "ownerReferences": [{"apiVersion": "batch/v1", "controller": true, "kind": "CronJob",
            "name": cronjob.pointer("/metadata/name").cloned().unwrap_or(Value::Null),
            "uid": cronjob.pointer("/metadata/uid").cloned().unwrap_or(Value::Null)}]});
    if let Some(labels) = template.pointer("/metadata/labels") {
        meta["labels"] = labels.clone();
    }
    json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta,
           "spec": template.get("spec").cloned().unwrap_or_else(|| json!({})), "status": {}})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::yaml;

    #[test]
    fn names_containers_after_their_images() {
        let images = ["registry.k8s.io/nginx:1.27".to_string(), "nginx".into(), "my_app@sha256:ab".into()];
        assert_eq!(container_names(&images), ["nginx", "nginx-1", "my-app"]);
    }

    #[test]
    fn deployment_as_kubectl_generates_it() {
        let d = deployment("web", &["nginx".into()], 1, -1, &[]).unwrap();
        assert_eq!(
            yaml::to_yaml(&d),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  strategy: {}\n  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: nginx\n        name: nginx\n        resources: {}\nstatus: {}\n"
        );
    }
}
