//! `describeStatefulSet`, with `DescribePodTemplate` and `describeVolumeClaimTemplates`.

use serde_json::Value;

use super::common::{
    annotations_multiline, events, int_at, labels_multiline, labels_multiline_indent, rfc1123, string_map, strings_at,
    tolerations_multiline, Ctx, Writer,
};
use super::pod::{containers, int_or_string, resource_list, topology_spread, volumes};
use crate::api::ObjectExt;

pub fn describe(sts: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", sts.name()));
    w.line(0, &format!("Namespace:\t{}", sts.namespace()));
    w.line(0, &format!("CreationTimestamp:\t{}", rfc1123(sts, "metadata.creationTimestamp")));
    let selector = sts.at("spec.selector").map(selector_string).unwrap_or_default();
    w.line(0, &format!("Selector:\t{selector}"));
    labels_multiline(&mut w, "Labels", &sts.labels());
    annotations_multiline(&mut w, "Annotations", &string_map(sts, "metadata.annotations"));
    w.line(
        0,
        &format!("Replicas:\t{} desired | {} total", int_at(sts, "spec.replicas"), int_at(sts, "status.replicas")),
    );
    update_strategy(&mut w, sts);
    let (r, wt, s, f) = pod_counts(sts, &ctx.related.pods);
    w.line(0, &format!("Pods Status:\t{r} Running / {wt} Waiting / {s} Succeeded / {f} Failed"));
    pod_template(&mut w, sts.at("spec.template"));
    claim_templates(&mut w, sts.array_at("spec.volumeClaimTemplates"));
    events(&mut w, ctx);
    w.finish()
}

/// `LabelSelectorAsSelector(...).String()`: requirements sorted by key, `in`/`notin` values
/// sorted; an empty selector is the empty string.
pub(super) fn selector_string(sel: &Value) -> String {
    let mut reqs: Vec<(String, String)> =
        string_map(sel, "matchLabels").into_iter().map(|(k, v)| (k.clone(), format!("{k}={v}"))).collect();
    for e in sel.array_at("matchExpressions") {
        let key = e.str_at("key").to_string();
        let mut values = strings_at(e, "values");
        values.sort();
        let text = match e.str_at("operator") {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.clone(),
            "DoesNotExist" => format!("!{key}"),
            op => format!("{key} {op} ({})", values.join(",")),
        };
        reqs.push((key, text));
    }
    reqs.sort_by(|a, b| a.0.cmp(&b.0));
    reqs.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(",")
}

fn update_strategy(w: &mut Writer, sts: &Value) {
    w.line(0, &format!("Update Strategy:\t{}", sts.str_at("spec.updateStrategy.type")));
    let Some(ru) = sts.at("spec.updateStrategy.rollingUpdate").filter(|v| v.is_object()) else { return };
    if let Some(p) = ru.i64_at("partition") {
        w.line(1, &format!("Partition:\t{p}"));
        if let Some(mu) = ru.get("maxUnavailable").filter(|v| !v.is_null()) {
            w.line(1, &format!("MaxUnavailable:\t{}", int_or_string(Some(mu))));
        }
    }
}

/// Running / Waiting (Pending) / Succeeded / Failed among the pods this set controls.
pub(super) fn pod_counts(sts: &Value, pods: &[Value]) -> (usize, usize, usize, usize) {
    let mut counts = (0, 0, 0, 0);
    for p in pods.iter().filter(|p| p.controller_ref().is_some() && p.controller_uid() == sts.uid()) {
        match p.str_at("status.phase") {
            "Running" => counts.0 += 1,
            "Pending" => counts.1 += 1,
            "Succeeded" => counts.2 += 1,
            "Failed" => counts.3 += 1,
            _ => {}
        }
    }
    counts
}

/// `DescribePodTemplate` (v1.30+ layout, with Node-Selectors and Tolerations).
pub fn pod_template(w: &mut Writer, template: Option<&Value>) {
    w.line(0, "Pod Template:");
    let Some(t) = template.filter(|t| t.is_object()) else {
        w.line(1, "<unset>");
        return;
    };
    labels_multiline(w, "  Labels", &string_map(t, "metadata.labels"));
    let annotations = string_map(t, "metadata.annotations");
    if !annotations.is_empty() {
        annotations_multiline(w, "  Annotations", &annotations);
    }
    if !t.str_at("spec.serviceAccountName").is_empty() {
        w.line(1, &format!("Service Account:\t{}", t.str_at("spec.serviceAccountName")));
    }
    let init = t.array_at("spec.initContainers");
    if !init.is_empty() {
        containers(w, "Init Containers", init, &[], None, "  ");
    }
    containers(w, "Containers", t.array_at("spec.containers"), &[], None, "  ");
    volumes(w, t.array_at("spec.volumes"), "  ");
    topology_spread(w, t.array_at("spec.topologySpreadConstraints"), "  ");
    if !t.str_at("spec.priorityClassName").is_empty() {
        w.line(1, &format!("Priority Class Name:\t{}", t.str_at("spec.priorityClassName")));
    }
    labels_multiline(w, "  Node-Selectors", &string_map(t, "spec.nodeSelector"));
    tolerations_multiline(w, "  Tolerations", t.array_at("spec.tolerations"));
}

fn claim_templates(w: &mut Writer, templates: &[Value]) {
    if templates.is_empty() {
        w.line(0, "Volume Claims:\t<none>");
        return;
    }
    w.line(0, "Volume Claims:");
    for pvc in templates {
        w.line(1, &format!("Name:\t{}", pvc.name()));
        w.line(1, &format!("StorageClass:\t{}", super::pvc::claim_class(pvc)));
        labels_multiline_indent(w, "  ", "Labels", &pvc.labels());
        labels_multiline_indent(w, "  ", "Annotations", &string_map(pvc, "metadata.annotations"));
        let capacity = resource_list(pvc.at("spec.resources.requests")).get("storage").map(|q| q.render());
        w.line(1, &format!("Capacity:\t{}", capacity.unwrap_or_else(|| "<default>".to_string())));
        w.line(1, &format!("Access Modes:\t[{}]", strings_at(pvc, "spec.accessModes").join(" ")));
    }
}
