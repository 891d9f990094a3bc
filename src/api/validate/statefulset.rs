//! StatefulSet validation (apps `ValidateStatefulSet` / `ValidateStatefulSetSpec`).
//!
//! Version choice: a v1.32 server checks only the template's labels and annotations and lets a
//! broken pod template through (every pod create then fails). kstate follows v1.34+ (PR #131790,
//! #132212) and also validates the template's pod spec (volume mounts may name a claim template)
//! and each claim template at create, so a user sees the mistake at once.

use serde_json::Value;

use super::names::{self, go_string_map, q};
use super::{meta, pod, storage, Causes};
use crate::api::object::ObjectExt;
use crate::api::selector::Selector;
use crate::error::FieldError;

pub fn create(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns_label, c);
    spec(obj, c);
    template_pod_spec(obj, c);
}

/// `ValidateStatefulSetSpec`, shared by create and update.
pub fn spec(obj: &Value, c: &mut Causes) {
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    match spec.str_at("podManagementPolicy") {
        "OrderedReady" | "Parallel" => {}
        "" => c.push(FieldError::required("spec.podManagementPolicy", "")),
        other => {
            c.push(FieldError::invalid("spec.podManagementPolicy", &q(other), "must be 'OrderedReady' or 'Parallel'"))
        }
    }
    update_strategy(spec, c);
    retention(spec, c);
    meta::non_negative(spec.get("replicas"), "spec.replicas", c);
    meta::non_negative(spec.get("minReadySeconds"), "spec.minReadySeconds", c);
    meta::non_negative(spec.at("ordinals.start"), "spec.ordinals.start", c);
    selector_and_template(spec, "statefulset", c);
    let restart = spec.str_at("template.spec.restartPolicy");
    if restart != "Always" {
        c.push(FieldError::unsupported("spec.template.spec.restartPolicy", restart, &["Always"]));
    }
    if spec.at("template.spec.activeDeadlineSeconds").is_some_and(|v| !v.is_null()) {
        c.push(FieldError::forbidden(
            "spec.template.spec.activeDeadlineSeconds",
            "activeDeadlineSeconds in StatefulSet is not Supported",
        ));
    }
}

fn update_strategy(spec: &Value, c: &mut Causes) {
    let ru = spec.at("updateStrategy.rollingUpdate").filter(|v| !v.is_null());
    match spec.str_at("updateStrategy.type") {
        "" => c.push(FieldError::required("spec.updateStrategy", "")),
        "OnDelete" => {
            if let Some(ru) = ru {
                let rendered = format!(
                    "apps.RollingUpdateStatefulSetStrategy{{Partition:{}, MaxUnavailable:(*intstr.IntOrString)(nil)}}",
                    ru.i64_at("partition").unwrap_or(0)
                );
                c.push(FieldError::invalid(
                    "spec.updateStrategy.rollingUpdate",
                    &rendered,
                    "only allowed for updateStrategy 'RollingUpdate'",
                ));
            }
        }
        "RollingUpdate" => {
            if let Some(ru) = ru {
                meta::non_negative(ru.get("partition"), "spec.updateStrategy.rollingUpdate.partition", c);
            }
        }
        other => {
            let rendered = format!(
                "apps.StatefulSetUpdateStrategy{{Type:{}, RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}}",
                q(other)
            );
            c.push(FieldError::invalid("spec.updateStrategy", &rendered, "must be 'RollingUpdate' or 'OnDelete'"));
        }
    }
}

fn retention(spec: &Value, c: &mut Causes) {
    let Some(policy) = spec.get("persistentVolumeClaimRetentionPolicy").filter(|v| v.is_object()) else { return };
    for field in ["whenDeleted", "whenScaled"] {
        let v = policy.str_at(field);
        if v != "Retain" && v != "Delete" {
            c.push(FieldError::unsupported(
                format!("spec.persistentVolumeClaimRetentionPolicy.{field}"),
                v,
                &["Delete", "Retain"],
            ));
        }
    }
}

/// Go's `%#v` of a LabelSelector value.
pub(super) fn render_selector(sel: &Value) -> String {
    let exprs = match sel.get("matchExpressions").and_then(Value::as_array) {
        None => "[]v1.LabelSelectorRequirement(nil)".to_string(),
        Some(a) if a.is_empty() => "[]v1.LabelSelectorRequirement{}".to_string(),
        Some(_) => "[]v1.LabelSelectorRequirement{...}".to_string(),
    };
    format!("v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{exprs}}}", go_string_map(sel.get("matchLabels")))
}

/// A required, non-empty selector that matches the template's labels; `what` names the kind in
/// the empty-selector message.
pub(super) fn selector_and_template(spec: &Value, what: &str, c: &mut Causes) {
    let sel = spec.get("selector").filter(|v| !v.is_null());
    let mut parsed = None;
    match sel {
        None => c.push(FieldError::required("spec.selector", "")),
        Some(sel) => {
            meta::labels(sel.get("matchLabels"), "spec.selector.matchLabels", c);
            for (i, e) in sel.array_at("matchExpressions").iter().enumerate() {
                let op = e.str_at("operator");
                if !matches!(op, "In" | "NotIn" | "Exists" | "DoesNotExist") {
                    let path = format!("spec.selector.matchExpressions[{i}].operator");
                    c.push(FieldError::invalid(path, &q(op), "not a valid selector operator"));
                }
            }
            let n = sel.get("matchLabels").and_then(Value::as_object).map_or(0, |m| m.len())
                + sel.get("matchExpressions").and_then(Value::as_array).map_or(0, Vec::len);
            if n == 0 {
                c.push(FieldError::invalid(
                    "spec.selector",
                    &render_selector(sel),
                    &format!("empty selector is invalid for {what}"),
                ));
            }
            parsed = Some(sel);
        }
    }
    let template = spec.get("template").unwrap_or(&Value::Null);
    let labels = template.at("metadata.labels");
    if let Some(sel) = parsed {
        match Selector::from_label_selector(sel) {
            Err(_) => c.push(FieldError::invalid("spec.selector", &render_selector(sel), "")),
            Ok(s) if !s.is_empty() && !s.matches(&template.map_at("metadata.labels")) => c.push(FieldError::invalid(
                "spec.template.metadata.labels",
                &go_string_map(labels),
                "`selector` does not match template `labels`",
            )),
            Ok(_) => {}
        }
    }
    meta::labels(labels, "spec.template.labels", c);
    meta::annotations(template.at("metadata.annotations"), "spec.template.annotations", c);
}

/// The v1.34+ checks: the template's pod spec, then each claim template.
pub(super) fn template_pod_spec(obj: &Value, c: &mut Causes) {
    let claims = obj.array_at("spec.volumeClaimTemplates");
    let claim_names: Vec<String> = claims.iter().map(|t| t.str_at("metadata.name").to_string()).collect();
    let pod_spec = obj.at("spec.template.spec").cloned().unwrap_or(Value::Null);
    let mut pod_causes = Causes::new();
    pod::pod_spec(&pod_spec, "spec.template.spec", &claim_names, &mut pod_causes);
    // restartPolicy has its own StatefulSet rule above.
    c.extend(pod_causes.into_iter().filter(|e| e.field != "spec.template.spec.restartPolicy"));
    for (i, t) in claims.iter().enumerate() {
        storage::claim_spec(t.get("spec").unwrap_or(&Value::Null), &format!("spec.volumeClaimTemplates[{i}].spec"), c);
    }
}
