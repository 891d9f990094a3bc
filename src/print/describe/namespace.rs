//! `describeNamespace`, with its ResourceQuotas and LimitRanges.

use serde_json::Value;

use super::common::{annotations_multiline, labels_multiline, rfc1123, string_map, Ctx, Writer};
use crate::api::ObjectExt;

pub fn describe(ns: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", ns.name()));
    labels_multiline(&mut w, "Labels", &ns.labels());
    annotations_multiline(&mut w, "Annotations", &string_map(ns, "metadata.annotations"));
    w.line(0, &format!("Status:\t{}", ns.str_at("status.phase")));
    let conditions = ns.array_at("status.conditions");
    if !conditions.is_empty() {
        w.line(0, "Conditions:");
        w.line(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage");
        w.line(1, "----\t------\t------------------\t------\t-------");
        for c in conditions {
            let t = rfc1123(c, "lastTransitionTime");
            let (kind, status, reason, msg) =
                (c.str_at("type"), c.str_at("status"), c.str_at("reason"), c.str_at("message"));
            w.line(1, &format!("{kind}\t{status}\t{t}\t{reason}\t{msg}"));
        }
    }
    w.line(0, "");
    super::quota::namespace_quotas(&mut w, &ctx.related.quotas);
    w.line(0, "");
    super::quota::namespace_limits(&mut w, &ctx.related.limit_ranges);
    w.finish()
}
