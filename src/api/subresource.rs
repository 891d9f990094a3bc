//! Subresources `kubectl --subresource` reaches: `scale` (an `autoscaling/v1` Scale view of the
//! replicas of a StatefulSet, Deployment, ReplicaSet, ReplicationController or custom resource
//! with a scale subresource) and `status`.

use serde_json::{json, Value};

use super::kinds::Kind;
use super::selector::Selector;
use super::ObjectExt;

/// The `Scale` object of a resource, as the API server builds it.
pub static SCALE: Kind = Kind {
    kind: "Scale",
    plural: "scale",
    singular: "scale",
    short: &[],
    group: "autoscaling",
    version: "v1",
    namespaced: true,
};

/// Which subresource a command addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subresource {
    Scale,
    Status,
}

impl Subresource {
    /// Parses `--subresource`, with kubectl's message for other values (without `error: `).
    pub fn parse(value: Option<&str>) -> Result<Option<Subresource>, String> {
        match value {
            None | Some("") => Ok(None),
            Some("scale") => Ok(Some(Subresource::Scale)),
            Some("status") => Ok(Some(Subresource::Status)),
            Some(other) => Err(format!("invalid subresource value: \"{other}\". Must be one of [status scale]")),
        }
    }
}

/// Does the kind have a `scale` subresource? The workloads with replicas do, and custom
/// resources whose CustomResourceDefinition declares one.
pub fn has_scale(kind: &Kind) -> bool {
    matches!(kind.kind, "StatefulSet" | "Deployment" | "ReplicaSet" | "ReplicationController")
        || super::custom::scale_paths(kind.kind).is_some()
}

/// The Scale of a StatefulSet (or another kind [`has_scale`]): desired replicas, observed replicas and the selector as text. A
/// custom resource's comes from the paths of its CRD's scale subresource.
pub fn scale_of(obj: &Value) -> Value {
    let paths = super::custom::scale_paths(obj.kind());
    let selector = match &paths {
        Some(p) => p.label_selector.as_deref().map(|l| obj.str_at(l).to_string()).unwrap_or_default(),
        // A ReplicationController's selector is a map of labels.
        None if obj.kind() == "ReplicationController" => {
            obj.map_at("spec.selector").iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
        }
        None => obj
            .at("spec.selector")
            .and_then(|s| Selector::from_label_selector(s).ok())
            .map(|s| s.to_string_form())
            .unwrap_or_default(),
    };
    let (spec_path, status_path, default) = match &paths {
        Some(p) => (p.spec_replicas.as_str(), p.status_replicas.as_str(), 0),
        None => ("spec.replicas", "status.replicas", 1),
    };
    let mut meta = json!({"name": obj.name(), "namespace": obj.namespace(), "uid": obj.uid(),
                          "resourceVersion": obj.str_at("metadata.resourceVersion")});
    if let Some(t) = obj.at("metadata.creationTimestamp") {
        meta["creationTimestamp"] = t.clone();
    }
    json!({
        "apiVersion": "autoscaling/v1",
        "kind": "Scale",
        "metadata": meta,
        "spec": {"replicas": obj.i64_at(spec_path).unwrap_or(default)},
        "status": {"replicas": obj.i64_at(status_path).unwrap_or(0), "selector": selector},
    })
}

/// Writes a (patched) Scale's desired replicas back into the object.
pub fn apply_scale(obj: &Value, scale: &Value) -> Value {
    let mut next = obj.clone();
    let path = super::custom::scale_paths(obj.kind()).map(|p| p.spec_replicas);
    if let Some(r) = scale.at("spec.replicas") {
        super::object::set_at(&mut next, path.as_deref().unwrap_or("spec.replicas"), r.clone());
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_round_trip() {
        let sts = json!({"kind": "StatefulSet", "metadata": {"name": "web", "namespace": "default", "uid": "u"},
                         "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "nginx"}}},
                         "status": {"replicas": 2}});
        let scale = scale_of(&sts);
        assert_eq!(scale["status"]["selector"], "app=nginx");
        assert_eq!(scale["spec"]["replicas"], 2);
        let back = apply_scale(&sts, &json!({"spec": {"replicas": 4}}));
        assert_eq!(back["spec"]["replicas"], 4);
        assert_eq!(
            Subresource::parse(Some("spec")).unwrap_err(),
            "invalid subresource value: \"spec\". Must be one of [status scale]"
        );
    }
}
