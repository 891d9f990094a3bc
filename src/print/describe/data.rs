//! `describeConfigMap`, `describeSecret`, `describePodDisruptionBudget` and `describePriorityClass`.

use serde_json::Value;

use super::common::{annotations_multiline, events, labels_multiline, string_map, Ctx, Writer};
use crate::api::selector::Selector;
use crate::api::ObjectExt;

fn header(w: &mut Writer, obj: &Value) {
    w.line(0, &format!("Name:\t{}", obj.name()));
    w.line(0, &format!("Namespace:\t{}", obj.namespace()));
    labels_multiline(w, "Labels", &obj.labels());
    annotations_multiline(w, "Annotations", &string_map(obj, "metadata.annotations"));
}

fn sorted_keys(obj: &Value, field: &str) -> Vec<(String, Value)> {
    let mut items: Vec<(String, Value)> = obj
        .get(field)
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    items.sort_by(|a, b| a.0.cmp(&b.0));
    items
}

/// Every key with its whole value under a `----` rule, then the binary keys with their sizes.
pub fn config_map(obj: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    header(&mut w, obj);
    w.line(0, "");
    w.line(0, "Data");
    w.line(0, "====");
    for (k, v) in sorted_keys(obj, "data") {
        w.line(0, &format!("{k}:"));
        w.line(0, "----");
        w.line(0, v.as_str().unwrap_or_default());
        w.line(0, "");
    }
    w.line(0, "");
    w.line(0, "BinaryData");
    w.line(0, "====");
    for (k, v) in sorted_keys(obj, "binaryData") {
        w.line(0, &format!("{k}: {} bytes", decoded_len(v.as_str().unwrap_or_default())));
    }
    w.line(0, "");
    events(&mut w, ctx);
    w.finish()
}

/// Secret values are never shown, only their sizes.
pub fn secret(obj: &Value) -> String {
    let mut w = Writer::new();
    header(&mut w, obj);
    w.line(0, "");
    w.line(0, &format!("Type:\t{}", obj.str_at("type")));
    w.line(0, "");
    w.line(0, "Data");
    w.line(0, "====");
    let token_secret = obj.str_at("type") == crate::controller::serviceaccount::TOKEN_SECRET;
    for (k, v) in sorted_keys(obj, "data") {
        let text = v.as_str().unwrap_or_default();
        match crate::print::gotemplate::base64_decode(text) {
            // kubectl shows an account token's token itself.
            Ok(token) if token_secret && k == "token" => w.line(0, &format!("{k}:\t{token}")),
            _ => w.line(0, &format!("{k}:\t{} bytes", decoded_len(text))),
        }
    }
    w.finish()
}

/// The length of base64 text once decoded.
fn decoded_len(text: &str) -> usize {
    let digits = text.bytes().filter(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/').count();
    digits * 3 / 4
}

pub fn pod_disruption_budget(obj: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", obj.name()));
    w.line(0, &format!("Namespace:\t{}", obj.namespace()));
    let scalar = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if let Some(min) = obj.at("spec.minAvailable") {
        w.line(0, &format!("Min available:\t{}", scalar(min)));
    }
    if let Some(max) = obj.at("spec.maxUnavailable") {
        w.line(0, &format!("Max unavailable:\t{}", scalar(max)));
    }
    let selector = obj
        .at("spec.selector")
        .and_then(|s| Selector::from_label_selector(s).ok())
        .map(|s| s.to_string_form())
        .unwrap_or_else(|| "<unset>".to_string());
    w.line(0, &format!("Selector:\t{selector}"));
    w.line(0, "Status:");
    let n = |p: &str| obj.i64_at(p).unwrap_or(0);
    w.line(2, &format!("Allowed disruptions:\t{}", n("status.disruptionsAllowed")));
    w.line(2, &format!("Current:\t{}", n("status.currentHealthy")));
    w.line(2, &format!("Desired:\t{}", n("status.desiredHealthy")));
    w.line(2, &format!("Total:\t{}", n("status.expectedPods")));
    events(&mut w, ctx);
    w.finish()
}

/// `describePriorityClass`: value, default flag, policy, description, annotations on one line.
pub fn priority_class(pc: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", pc.name()));
    w.line(0, &format!("Value:\t{}", pc.i64_at("value").unwrap_or(0)));
    w.line(0, &format!("GlobalDefault:\t{}", pc.at("globalDefault").and_then(Value::as_bool).unwrap_or(false)));
    w.line(0, &format!("PreemptionPolicy:\t{}", pc.str_at("preemptionPolicy")));
    w.line(0, &format!("Description:\t{}", pc.str_at("description")));
    let annotations = crate::api::object::format_labels(&string_map(pc, "metadata.annotations"));
    w.line(0, &format!("Annotations:\t{annotations}"));
    events(&mut w, ctx);
    w.finish()
}
