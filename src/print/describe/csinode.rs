//! `describeCSINode`: each driver's node id, its allocatable volume count and topology keys.

use serde_json::Value;

use super::common::{annotations_multiline, events, labels_multiline, rfc1123, string_map, strings_at, Ctx, Writer};
use crate::api::ObjectExt;

pub fn describe(node: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", node.name()));
    labels_multiline(&mut w, "Labels", &string_map(node, "metadata.labels"));
    annotations_multiline(&mut w, "Annotations", &string_map(node, "metadata.annotations"));
    w.line(0, &format!("CreationTimestamp:\t{}", rfc1123(node, "metadata.creationTimestamp")));
    w.line(0, "Spec:");
    if let Some(Value::Array(drivers)) = node.at("spec.drivers") {
        w.line(1, "Drivers:");
        for d in drivers {
            w.line(2, &format!("{}:", d.str_at("name")));
            w.line(3, &format!("Node ID:\t{}", d.str_at("nodeID")));
            if let Some(count) = d.at("allocatable.count").and_then(Value::as_i64) {
                w.line(3, "Allocatables:");
                w.line(4, &format!("Count:\t{count}"));
            }
            if d.at("topologyKeys").is_some_and(|k| !k.is_null()) {
                // Go's %s of a []string: [a b c].
                w.line(3, &format!("Topology Keys:\t[{}]", strings_at(d, "topologyKeys").join(" ")));
            }
        }
    }
    events(&mut w, ctx);
    w.finish()
}
