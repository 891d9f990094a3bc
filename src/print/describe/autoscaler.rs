//! `describeHorizontalPodAutoscalerV2`: target, metrics as `( current / target )` (every metric
//! type kubectl knows), replicas, the scaling behavior when the spec has one, conditions and events.

use serde_json::Value;

use super::common::{annotations_multiline, events, labels_multiline, rfc1123, string_map, Ctx, Writer};
use super::quantity::Quantity;
use crate::api::ObjectExt;
use crate::print::gosyntax::quote;

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
    if let Some(behavior) = hpa.at("spec.behavior").filter(|b| b.is_object()) {
        w.line(0, "Behavior:");
        direction_behavior(&mut w, "Scale Up", behavior.get("scaleUp"));
        direction_behavior(&mut w, "Scale Down", behavior.get("scaleDown"));
    }
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

/// `printDirectionBehavior`: a scaling direction's window and policies (Select Policy defaults to Max).
fn direction_behavior(w: &mut Writer, direction: &str, rules: Option<&Value>) {
    let Some(rules) = rules.filter(|r| r.is_object()) else { return };
    w.line(1, &format!("{direction}:"));
    if let Some(window) = rules.i64_at("stabilizationWindowSeconds") {
        w.line(2, &format!("Stabilization Window: {window} seconds"));
    }
    let policies = rules.array_at("policies");
    if policies.is_empty() {
        return;
    }
    let select = rules.str_at("selectPolicy");
    w.line(2, &format!("Select Policy: {}", if select.is_empty() { "Max" } else { select }));
    w.line(2, "Policies:");
    for p in policies {
        let (value, period) = (p.i64_at("value").unwrap_or(0), p.i64_at("periodSeconds").unwrap_or(0));
        w.line(3, &format!("- Type: {}\tValue: {value}\tPeriod: {period} seconds", p.str_at("type")));
    }
}

/// `Quantity.String()` of an optional quantity: canonical form, `<nil>` when absent (a nil pointer).
fn qty(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "<nil>".to_string(),
        Some(v) => Quantity::from_json(Some(v))
            .map(|q| q.render())
            .unwrap_or_else(|| v.as_str().unwrap_or_default().to_string()),
    }
}

/// The status entry for metric `i` when it has the `source` member (`resource`, `pods`, ...).
fn current_of<'a>(current: Option<&'a Value>, source: &str) -> Option<&'a Value> {
    current.and_then(|c| c.get(source)).filter(|s| s.is_object())
}

/// One metric, as each branch of kubectl's switch on the metric type prints it:
/// `resource cpu on pods  (as a percentage of request):  <unknown> / 50%`.
fn metric_line(w: &mut Writer, metric: &Value, current: Option<&Value>) {
    match metric.str_at("type") {
        "External" => {
            let name = quote(metric.str_at("external.metric.name"));
            let now = current_of(current, "external");
            if let Some(average) = metric.at("external.target.averageValue").filter(|v| !v.is_null()) {
                let cur = now
                    .and_then(|c| c.at("current.averageValue"))
                    .filter(|v| !v.is_null())
                    .map_or("<unknown>".to_string(), |v| qty(Some(v)));
                w.line(1, &format!("{name} (target average value):\t{cur} / {}", qty(Some(average))));
            } else {
                let cur = now.map_or("<unknown>".to_string(), |c| qty(c.at("current.value")));
                w.line(1, &format!("{name} (target value):\t{cur} / {}", qty(metric.at("external.target.value"))));
            }
        }
        "Pods" => {
            let cur =
                current_of(current, "pods").map_or("<unknown>".to_string(), |c| qty(c.at("current.averageValue")));
            let target = qty(metric.at("pods.target.averageValue"));
            w.line(1, &format!("{} on pods:\t{cur} / {target}", quote(metric.str_at("pods.metric.name"))));
        }
        "Object" => {
            let described = format!(
                "{}/{}",
                metric.str_at("object.describedObject.kind"),
                metric.str_at("object.describedObject.name")
            );
            w.write(1, &format!("{} on {described} ", quote(metric.str_at("object.metric.name"))));
            let now = current_of(current, "object");
            if metric.str_at("object.target.type") == "AverageValue" {
                let cur = now.map_or("<unknown>".to_string(), |c| qty(c.at("current.averageValue")));
                w.line(
                    0,
                    &format!("(target average value):\t{cur} / {}", qty(metric.at("object.target.averageValue"))),
                );
            } else {
                let cur = now.map_or("<unknown>".to_string(), |c| qty(c.at("current.value")));
                w.line(0, &format!("(target value):\t{cur} / {}", qty(metric.at("object.target.value"))));
            }
        }
        "Resource" => {
            w.write(1, &format!("resource {} on pods", metric.str_at("resource.name")));
            resource_target(w, metric.get("resource"), current_of(current, "resource"));
        }
        "ContainerResource" => {
            let source = metric.get("containerResource");
            let (name, container) = source.map_or(("", ""), |s| (s.str_at("name"), s.str_at("container")));
            w.write(1, &format!("resource {name} of container {} on pods", quote(container)));
            resource_target(w, source, current_of(current, "containerResource"));
        }
        other => w.line(1, &format!("<unknown metric type {}>", quote(other))),
    }
}

/// The target part of a Resource or ContainerResource metric: an average value, else a
/// utilization (`<auto>` when the target names none).
fn resource_target(w: &mut Writer, source: Option<&Value>, now: Option<&Value>) {
    let source = source.unwrap_or(&Value::Null);
    if let Some(average) = source.at("target.averageValue").filter(|v| !v.is_null()) {
        let cur = now.map_or("<unknown>".to_string(), |c| qty(c.at("current.averageValue")));
        w.line(0, &format!(":\t{cur} / {}", qty(Some(average))));
        return;
    }
    let cur = now.and_then(|c| {
        let pct = c.i64_at("current.averageUtilization")?;
        Some(format!("{pct}% ({})", qty(c.at("current.averageValue"))))
    });
    let target = source.i64_at("target.averageUtilization").map_or("<auto>".to_string(), |t| format!("{t}%"));
    w.line(1, &format!("(as a percentage of request):\t{} / {target}", cur.as_deref().unwrap_or("<unknown>")));
}
