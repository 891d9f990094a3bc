//! The built-in transformers a kustomization configures, each as kustomize v5.5.0 applies it:
//! namespace, name prefix and suffix, labels, annotations, replica counts and image names.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::config;
use super::fieldspec::{self, FieldSpec};
use super::load::{Image, Label, Replica};
use super::resource::{is_cluster_scoped, Resource};

/// `NamespaceTransformer`: `metadata.namespace` of every namespaced object, the name of a
/// Namespace object, and the `default` service account of role bindings' subjects.
pub fn namespace(resources: &mut [Resource], ns: &str) {
    for r in resources.iter_mut() {
        let kind = r.kind().to_string();
        if kind == "Namespace" {
            r.set_name(ns);
            continue;
        }
        if !is_cluster_scoped(&kind) {
            if let Some(meta) = r.value.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.insert("namespace".into(), Value::String(ns.to_string()));
            }
        }
        if kind == "RoleBinding" || kind == "ClusterRoleBinding" {
            if let Some(subjects) = r.value.get_mut("subjects").and_then(Value::as_array_mut) {
                for s in subjects {
                    let is_default_sa = s.get("kind").and_then(Value::as_str) == Some("ServiceAccount")
                        && s.get("name").and_then(Value::as_str) == Some("default");
                    if let (true, Some(m)) = (is_default_sa, s.as_object_mut()) {
                        m.insert("namespace".into(), Value::String(ns.to_string()));
                    }
                }
            }
        }
        if kind == "APIService" {
            fieldspec::visit(&mut r.value, &path(&["spec", "service", "namespace"]), false, &mut |v| {
                *v = Value::String(ns.to_string())
            });
        }
    }
}

fn path(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

/// `PrefixTransformer` and `SuffixTransformer`: CRDs, APIServices and Namespaces keep their names.
pub fn prefix_suffix(resources: &mut [Resource], prefix: &str, suffix: &str) {
    for r in resources.iter_mut() {
        if matches!(r.kind(), "CustomResourceDefinition" | "APIService" | "Namespace") {
            continue;
        }
        let name = format!("{prefix}{}{suffix}", r.name());
        r.set_name(&name);
        r.affixes.push((prefix.to_string(), suffix.to_string()));
    }
}

/// The field specs of one `labels` entry (kusttarget's `LabelTransformer` configuration).
pub fn label_specs(label: &Label) -> Vec<FieldSpec> {
    let mut specs: Vec<FieldSpec> = label.fields.iter().map(FieldSpec::from_value).collect();
    if label.include_selectors {
        specs.extend(common_label_specs());
    } else {
        if label.include_templates {
            specs.extend(fieldspec::parse(config::METADATA_LABELS));
        }
        let meta = FieldSpec::new("metadata/labels", true);
        if !specs.contains(&meta) {
            specs.push(meta);
        }
    }
    specs
}

/// `commonLabels`' field specs: selectors and templates as well as `metadata.labels`.
pub fn common_label_specs() -> Vec<FieldSpec> {
    let mut specs = fieldspec::parse(config::SELECTOR_LABELS);
    specs.extend(fieldspec::parse(config::METADATA_LABELS));
    specs
}

/// Sets every pair into the string map each selected field spec reaches.
pub fn set_map_entries(resources: &mut [Resource], pairs: &BTreeMap<String, String>, specs: &[FieldSpec]) {
    if pairs.is_empty() {
        return;
    }
    for r in resources.iter_mut() {
        for spec in specs {
            if !spec.selects(r) {
                continue;
            }
            fieldspec::visit(&mut r.value, &spec.path, spec.create, &mut |v| {
                if v.is_null() {
                    *v = Value::Object(Map::new());
                }
                if let Some(m) = v.as_object_mut() {
                    for (k, val) in pairs {
                        m.insert(k.clone(), Value::String(val.clone()));
                    }
                }
            });
        }
    }
}

/// `commonAnnotations`.
pub fn annotations(resources: &mut [Resource], pairs: &BTreeMap<String, String>) {
    set_map_entries(resources, pairs, &fieldspec::parse(config::ANNOTATIONS));
}

/// `ReplicaCountTransformer`: objects of the replica kinds named (now or before) `name`.
pub fn replicas(resources: &mut [Resource], replica: &Replica) -> Result<(), String> {
    let specs = fieldspec::parse(config::REPLICAS);
    let mut found = false;
    for r in resources.iter_mut() {
        if !(r.had_name(&replica.name)) {
            continue;
        }
        for spec in &specs {
            if spec.selects(r) {
                found = true;
                fieldspec::visit(&mut r.value, &spec.path, spec.create, &mut |v| *v = Value::from(replica.count));
            }
        }
    }
    if !found {
        // The order of kustomize's merged replica field specs, not of `replicasFieldSpecs`.
        return Err(format!(
            "resource with name {} does not match a config with the following GVK [Deployment.[noVer].[noGrp] \
             StatefulSet.[noVer].[noGrp] ReplicaSet.[noVer].[noGrp] ReplicationController.[noVer].[noGrp]]",
            replica.name
        ));
    }
    Ok(())
}

/// `ImageTagTransformer`: its legacy filter changes every `containers`/`initContainers` list
/// anywhere in an object; the images field specs of v5.5.0 reach only fields of those lists,
/// so the second pass kustomize makes changes nothing more.
pub fn images(resources: &mut [Resource], image: &Image) {
    for r in resources.iter_mut() {
        walk_containers(&mut r.value, image);
    }
}

fn walk_containers(v: &mut Value, image: &Image) {
    match v {
        Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                if (k == "containers" || k == "initContainers") && child.is_array() {
                    for c in child.as_array_mut().into_iter().flatten() {
                        if let Some(Value::String(s)) = c.get_mut("image") {
                            if let Some(new) = update_image(s, image) {
                                *s = new;
                            }
                        }
                    }
                } else {
                    walk_containers(child, image);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| walk_containers(i, image)),
        _ => {}
    }
}

/// `imageTagUpdater.SetImageValue`.
fn update_image(value: &str, image: &Image) -> Option<String> {
    if !image_matches(value, &image.name) {
        return None;
    }
    let (mut name, mut tag, mut digest) = split_image(value);
    if !image.new_name.is_empty() {
        name = image.new_name.clone();
    }
    if !image.new_tag.is_empty() && !image.digest.is_empty() {
        tag = image.new_tag.clone();
        digest = image.digest.clone();
    } else if !image.new_tag.is_empty() {
        tag = image.new_tag.clone();
        digest.clear();
    } else if !image.digest.is_empty() {
        tag.clear();
        digest = image.digest.clone();
    } else if !image.tag_suffix.is_empty() {
        tag.push_str(&image.tag_suffix);
        digest.clear();
    }
    if !tag.is_empty() {
        name = format!("{name}:{tag}");
    }
    if !digest.is_empty() {
        name = format!("{name}@{digest}");
    }
    Some(name)
}

/// `IsImageMatched`: the name, then an optional `:tag` and an optional `@algorithm:digest`.
fn image_matches(value: &str, name: &str) -> bool {
    let Some(rest) = value.strip_prefix(name) else { return false };
    let tag_char = |c: char| c.is_ascii_alphanumeric() || "_.{}-".contains(c);
    let (tag_part, digest_part) = match rest.find('@') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let tag_ok = tag_part.is_empty() || tag_part.strip_prefix(':').is_some_and(|t| t.chars().all(tag_char));
    let digest_ok = digest_part.is_none_or(|d| match d.split_once(':') {
        Some((alg, hex)) => {
            !alg.is_empty()
                && alg
                    .split(['.', '+', '_', '-'])
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
                && hex.chars().all(tag_char)
        }
        None => false,
    });
    tag_ok && digest_ok
}

/// `image.Split`: name, tag and digest, a registry's `host:port` left in the name.
fn split_image(image: &str) -> (String, String, String) {
    let slash = image.find('/').filter(|&i| i > 0).unwrap_or(0);
    let search = &image[slash..];
    let id = search.find('@');
    let ic = search.find(':');
    match (ic, id) {
        (None, None) => (image.to_string(), String::new(), String::new()),
        (ic, Some(id)) if ic.is_none_or(|c| id < c) => {
            let id = id + slash;
            (image[..id].to_string(), String::new(), image[id + 1..].to_string())
        }
        (Some(ic), Some(id)) => {
            let (ic, id) = (ic + slash, id + slash);
            (image[..ic].to_string(), image[ic + 1..id].to_string(), image[id + 1..].to_string())
        }
        (Some(ic), None) => {
            let ic = ic + slash;
            (image[..ic].to_string(), image[ic + 1..].to_string(), String::new())
        }
        (None, Some(_)) => (image.to_string(), String::new(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_matches_images() {
        assert_eq!(split_image("nginx"), ("nginx".into(), "".into(), "".into()));
        assert_eq!(split_image("reg:5000/nginx:1.2"), ("reg:5000/nginx".into(), "1.2".into(), "".into()));
        assert_eq!(split_image("nginx@sha256:abc"), ("nginx".into(), "".into(), "sha256:abc".into()));
        assert!(image_matches("nginx:1.7.9", "nginx"));
        assert!(!image_matches("nginx-slim:1", "nginx"));
        assert!(image_matches("nginx@sha256:ab12", "nginx"));
    }
}
