//! `describeHorizontalPodAutoscalerV2`: target, metrics as `( current / target )`, replicas,
//! conditions and events. Resource metrics are rendered as kubectl renders them; other metric
//! types show their name with `<unknown>` values.

use serde_json::Value;

use super::common::{annotations_multiline, events, labels_multiline, rfc1123, string_map, Ctx, Writer};
use crate::api::ObjectExt;

pub fn describe(hpa: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", hpa.name()));
    w.line(0, &format!("Namespace:\t{}", hpa.namespace()));
    labels_multiline(&mut w, "Labels", &hpa.labels());
    annotations_multiline(&mut w, "Annotations", &string_map(hpa, "metadata.annotations"));
    w.line(0, &format!("CreationTimestamp:\t{}", rfc1123(hpa, "metadata.creationTimestamp")));
    let target_kind = hpa.str_at("spec.scaleTargetRef.kind");
    w.line(0, &format!("Reference:\t{target_kind}/{}", hpa.str_at("spec.scaleTargetRef.name")));
    w.line(0, "Metrics:\t( current / target )");
    let current = hpa.array_at("status.currentMetrics");
    for (i, metric) in hpa.array_at("spec.metrics").iter().enumerate() {
        metric_line(&mut w, metric, current.get(i));
    }
    let min = hpa.i64_at("spec.minReplicas").map_or("<unset>".to_string(), |m| m.to_string());
    w.line(0, &format!("Min replicas:\t{min}"));
    w.line(0, &format!("Max replicas:\t{}", hpa.i64_at("spec.maxReplicas").unwrap_or(0)));
    w.line(
        0,
        &format!(
            "{target_kind} pods:\t{} current / {} desired",
            hpa.i64_at("status.currentReplicas").unwrap_or(0),
            hpa.i64_at("status.desiredReplicas").unwrap_or(0)
        ),
    );
    let conditions = hpa.array_at("status.conditions");
    if !conditions.is_empty() {
        w.line(0, "Conditions:");
        w.line(1, "Type\tStatus\tReason\tMessage");
        w.line(1, "----\t------\t------\t-------");
        for c in conditions {
            let row = [c.str_at("type"), c.str_at("status"), c.str_at("reason"), c.str_at("message")].join("\t");
            w.line(1, &row);
        }
    }
    events(&mut w, ctx);
    w.finish()
}

/// One metric: `resource cpu on pods  (as a percentage of request):  <unknown> / 50%`.
fn metric_line(w: &mut Writer, metric: &Value, current: Option<&Value>) {
    if metric.str_at("type") != "Resource" {
        w.line(1, &format!("{} metric:\t<unknown> / <unknown>", metric.str_at("type")));
        return;
    }
    w.write(1, &format!("resource {} on pods", metric.str_at("resource.name")));
    let now = current.and_then(|c| c.get("resource"));
    if let Some(average) = metric.at("resource.target.averageValue").and_then(Value::as_str) {
        let cur = now.map(|c| c.str_at("current.averageValue").to_string()).filter(|s| !s.is_empty());
        w.line(0, &format!(":\t{} / {average}", cur.as_deref().unwrap_or("<unknown>")));
        return;
    }
    let cur = now.and_then(|c| {
        let pct = c.i64_at("current.averageUtilization")?;
        Some(format!("{pct}% ({})", c.str_at("current.averageValue")))
    });
    let target = metric.i64_at("resource.target.averageUtilization").map_or("<auto>".to_string(), |t| format!("{t}%"));
    w.line(1, &format!("(as a percentage of request):\t{} / {target}", cur.as_deref().unwrap_or("<unknown>")));
}
