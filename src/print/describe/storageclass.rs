//! `describeStorageClass`: annotations and parameters on one `k=v,k2=v2` line.

use serde_json::Value;

use super::common::{events, go_value, print_bool, string_map, strings_at, Ctx, Writer};
use crate::api::object::format_labels;
use crate::api::ObjectExt;

pub fn describe(sc: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", sc.name()));
    w.line(0, &format!("IsDefaultClass:\t{}", is_default(sc)));
    w.line(0, &format!("Annotations:\t{}", format_labels(&string_map(sc, "metadata.annotations"))));
    w.line(0, &format!("Provisioner:\t{}", sc.str_at("provisioner")));
    w.line(0, &format!("Parameters:\t{}", format_labels(&string_map(sc, "parameters"))));
    let expansion = sc.at("allowVolumeExpansion").and_then(Value::as_bool).map(print_bool).unwrap_or("<unset>");
    w.line(0, &format!("AllowVolumeExpansion:\t{expansion}"));
    let options = strings_at(sc, "mountOptions");
    if options.is_empty() {
        w.line(0, "MountOptions:\t<none>");
    } else {
        w.line(0, "MountOptions:");
        options.iter().for_each(|o| w.line(1, o));
    }
    if let Some(p) = sc.at("reclaimPolicy").and_then(Value::as_str) {
        w.line(0, &format!("ReclaimPolicy:\t{p}"));
    }
    if let Some(m) = sc.at("volumeBindingMode").and_then(Value::as_str) {
        w.line(0, &format!("VolumeBindingMode:\t{m}"));
    }
    if let Some(Value::Array(terms)) = sc.at("allowedTopologies") {
        allowed_topologies(&mut w, terms);
    }
    events(&mut w, ctx);
    w.finish()
}

/// `IsDefaultAnnotationText`: `Yes` when the (beta) default-class annotation is "true".
fn is_default(sc: &Value) -> &'static str {
    let yes = |k: &str| sc.annotation(k) == Some("true");
    if yes("storageclass.kubernetes.io/is-default-class") || yes("storageclass.beta.kubernetes.io/is-default-class") {
        "Yes"
    } else {
        "No"
    }
}

fn allowed_topologies(w: &mut Writer, terms: &[Value]) {
    w.write(0, "AllowedTopologies:\t");
    if terms.is_empty() {
        w.line(0, "<none>");
        return;
    }
    w.line(0, "");
    for (i, term) in terms.iter().enumerate() {
        w.write(1, &format!("Term {i}:\t"));
        let reqs = term.array_at("matchLabelExpressions");
        if reqs.is_empty() {
            w.line(0, "<none>");
            continue;
        }
        for (j, r) in reqs.iter().enumerate() {
            if j != 0 {
                w.write(1, "\t");
            }
            let values: Vec<String> = r
                .get("values")
                .and_then(Value::as_array)
                .map(|v| v.iter().map(|x| go_value(Some(x))).collect())
                .unwrap_or_default();
            let mut expr = format!("{} in", r.str_at("key"));
            if !values.is_empty() {
                expr.push_str(&format!(" [{}]", values.join(", ")));
            }
            w.line(0, &expr);
        }
    }
}
