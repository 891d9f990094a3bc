//! Conversion of a manifest's apiVersion to the version kstate serves.
//!
//! A v1.32 server serves StatefulSets only as apps/v1, and kubectl refuses apps/v1beta1 and
//! apps/v1beta2 manifests client-side. kstate still accepts those two (the seed walkthrough is
//! written with apps/v1beta2), converts them to apps/v1 and returns the deprecation warning an
//! API server that still served them (≤ v1.15) sent. autoscaling/v1 HorizontalPodAutoscalers,
//! which v1.32 serves beside v2, become their v2 form without a warning. Any other unknown
//! kind/version fails with kubectl's REST-mapping error.

use serde_json::Value;

use super::kinds::{self, Kind};
use super::object::{set_at, ObjectExt};
use crate::{Error, Result};

/// Converts a manifest object to the served version in place. apps/v1beta1 and apps/v1beta2
/// StatefulSets become apps/v1 and return the API server's deprecation warning text (without
/// "Warning: "). Ok(None) for served versions. An unknown kind/version → `Error::Cli` with
/// kubectl's text.
pub fn to_served(obj: &mut Value, source: &str) -> Result<Option<String>> {
    convert(obj).map_err(|(kind, gv)| {
        Error::Cli(format!(
            "resource mapping not found for name: {} namespace: {} from {}: no matches for kind {} in version {}\n\
             ensure CRDs are installed first",
            go_q(obj.name()),
            go_q(obj.namespace()),
            go_q(source),
            go_q(&kind),
            go_q(&gv)
        ))
    })
}

/// [`to_served`] for an item of a `kind: List` document, where kubectl words the failure
/// differently (and without `error: `): `unable to recognize no matches for kind "X" in version "Y"`.
pub fn to_served_list_item(obj: &mut Value) -> Result<Option<String>> {
    convert(obj).map_err(|(kind, gv)| {
        Error::Raw(format!("unable to recognize no matches for kind {} in version {}", go_q(&kind), go_q(&gv)))
    })
}

/// The served kind of a manifest object, if kstate serves its kind at its version.
pub fn served_kind(obj: &Value) -> Option<&'static Kind> {
    let kind = kinds::by_kind(obj.kind())?;
    (obj.str_at("apiVersion") == kind.api_version()).then_some(kind)
}

/// Ok(warning) after converting, or Err((kind, apiVersion)) when nothing serves it.
fn convert(obj: &mut Value) -> std::result::Result<Option<String>, (String, String)> {
    let kind_name = obj.kind().to_string();
    let gv = obj.str_at("apiVersion").to_string();
    let Some(kind) = kinds::by_kind(&kind_name) else {
        return Err((kind_name, gv));
    };
    if gv == kind.api_version() {
        return Ok(None);
    }
    // Another served version of a custom resource: conversion strategy None changes only the
    // apiVersion.
    if let Some(def) = super::custom::definition(&kind_name) {
        if def.versions.iter().any(|v| v.kind.api_version() == gv) {
            return Ok(None);
        }
    }
    // Without an apiVersion (only possible with --validate=false) kubectl maps the kind to its
    // preferred version.
    if gv.is_empty() {
        set_at(obj, "apiVersion", Value::String(kind.api_version()));
        return Ok(None);
    }
    match (gv.as_str(), kind_name.as_str()) {
        ("apps/v1beta1", "StatefulSet") => {
            // apps/v1beta1 defaulted spec.selector and metadata.labels from the template labels
            // (pkg/apis/apps/v1beta1/defaults.go). Its default updateStrategy was OnDelete; kstate
            // applies apps/v1 defaults after conversion, so an absent strategy becomes RollingUpdate.
            default_selector_from_template(obj);
            set_at(obj, "apiVersion", Value::String("apps/v1".into()));
            Ok(Some(deprecation("apps/v1beta1", "StatefulSet", 8)))
        }
        ("apps/v1beta2", "StatefulSet") => {
            // apps/v1beta2 already required the selector and had apps/v1's defaults.
            set_at(obj, "apiVersion", Value::String("apps/v1".into()));
            Ok(Some(deprecation("apps/v1beta2", "StatefulSet", 9)))
        }
        (super::hpa_v1::API_VERSION, "HorizontalPodAutoscaler") => {
            *obj = super::hpa_v1::to_v2(obj);
            Ok(None)
        }
        _ => Err((kind_name, gv)),
    }
}

/// The apiserver's warning for a deprecated API: both removed in v1.16, replaced by apps/v1.
fn deprecation(gv: &str, kind: &str, deprecated_minor: u32) -> String {
    format!("{gv} {kind} is deprecated in v1.{deprecated_minor}+, unavailable in v1.16+; use apps/v1 {kind}")
}

fn default_selector_from_template(obj: &mut Value) {
    let Some(labels) = obj.at("spec.template.metadata.labels").filter(|v| v.is_object()).cloned() else {
        return;
    };
    if obj.at("spec.selector").is_none_or(Value::is_null) {
        set_at(obj, "spec.selector", serde_json::json!({ "matchLabels": labels.clone() }));
    }
    if obj.at("metadata.labels").and_then(Value::as_object).is_none_or(|m| m.is_empty()) {
        set_at(obj, "metadata.labels", labels);
    }
}

fn go_q(s: &str) -> String {
    crate::format::go::quote_str(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sts(gv: &str) -> Value {
        json!({"apiVersion": gv, "kind": "StatefulSet", "metadata": {"name": "web"},
               "spec": {"template": {"metadata": {"labels": {"app": "nginx"}}}}})
    }

    #[test]
    fn served_versions_are_left_alone() {
        for (gv, kind) in [("v1", "Pod"), ("apps/v1", "StatefulSet"), ("storage.k8s.io/v1", "StorageClass")] {
            let mut o = json!({"apiVersion": gv, "kind": kind, "metadata": {"name": "x"}});
            let before = o.clone();
            assert_eq!(to_served(&mut o, "f.yaml").unwrap(), None);
            assert_eq!(o, before);
        }
    }

    #[test]
    fn beta_statefulsets_become_apps_v1_with_a_warning() {
        let mut o = sts("apps/v1beta2");
        assert_eq!(
            to_served(&mut o, "web.yaml").unwrap().unwrap(),
            "apps/v1beta2 StatefulSet is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 StatefulSet"
        );
        assert_eq!(o["apiVersion"], "apps/v1");
        assert!(o["spec"].get("selector").is_none());
        let mut o = sts("apps/v1beta1");
        assert_eq!(
            to_served(&mut o, "web.yaml").unwrap().unwrap(),
            "apps/v1beta1 StatefulSet is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 StatefulSet"
        );
        assert_eq!(o["spec"]["selector"], json!({"matchLabels": {"app": "nginx"}}));
        assert_eq!(o["metadata"]["labels"], json!({"app": "nginx"}));
    }

    #[test]
    fn unknown_versions_fail_like_kubectl() {
        let mut o = sts("apps/v1beta9");
        let e = to_served(&mut o, "web.yaml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "error: resource mapping not found for name: \"web\" namespace: \"\" from \"web.yaml\": \
             no matches for kind \"StatefulSet\" in version \"apps/v1beta9\"\nensure CRDs are installed first"
        );
        let mut o = json!({"apiVersion": "v1", "kind": "Foo", "metadata": {"name": "d", "namespace": "x"}});
        assert!(to_served(&mut o, "l5.yaml").unwrap_err().to_string().contains("namespace: \"x\""));
        let mut o = sts("apps/v1beta9");
        assert_eq!(
            to_served_list_item(&mut o).unwrap_err().to_string(),
            "unable to recognize no matches for kind \"StatefulSet\" in version \"apps/v1beta9\""
        );
    }

    #[test]
    fn autoscaling_v1_autoscalers_become_v2() {
        let mut o = json!({"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"},
                           "spec": {"maxReplicas": 2, "targetCPUUtilizationPercentage": 50}});
        assert_eq!(to_served(&mut o, "h.yaml").unwrap(), None);
        assert_eq!(o["apiVersion"], "autoscaling/v2");
        assert_eq!(o.pointer("/spec/metrics/0/resource/target/averageUtilization"), Some(&json!(50)));
    }

    #[test]
    fn missing_api_version_maps_to_the_served_one() {
        let mut o = json!({"kind": "Service", "metadata": {"name": "b"}});
        assert_eq!(to_served(&mut o, "f.yaml").unwrap(), None);
        assert_eq!(o["apiVersion"], "v1");
        assert_eq!(served_kind(&o).unwrap().kind, "Service");
    }
}
