//! `describePersistentVolume`.

use serde_json::Value;

use super::common::{
    annotations_multiline, bool_at, events, labels_multiline, since, string_map, strings_at, Ctx, Writer,
};
use super::pod::{csi_attributes, host_path, resource_list};
use super::pvc::access_modes;
use crate::api::ObjectExt;

pub fn describe(pv: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", pv.name()));
    labels_multiline(&mut w, "Labels", &pv.labels());
    annotations_multiline(&mut w, "Annotations", &string_map(pv, "metadata.annotations"));
    w.line(0, &format!("Finalizers:\t[{}]", pv.finalizers().join(" ")));
    w.line(0, &format!("StorageClass:\t{}", volume_class(pv)));
    if pv.is_deleting() {
        w.line(0, &format!("Status:\tTerminating (lasts {})", since(ctx.now, pv, "metadata.deletionTimestamp")));
    } else {
        w.line(0, &format!("Status:\t{}", pv.str_at("status.phase")));
    }
    let claim = match pv.at("spec.claimRef").filter(|v| v.is_object()) {
        Some(r) => format!("{}/{}", r.str_at("namespace"), r.str_at("name")),
        None => String::new(),
    };
    w.line(0, &format!("Claim:\t{claim}"));
    w.line(0, &format!("Reclaim Policy:\t{}", pv.str_at("spec.persistentVolumeReclaimPolicy")));
    w.line(0, &format!("Access Modes:\t{}", access_modes(&strings_at(pv, "spec.accessModes"))));
    if let Some(mode) = pv.at("spec.volumeMode").and_then(Value::as_str) {
        w.line(0, &format!("VolumeMode:\t{mode}"));
    }
    let storage = resource_list(pv.at("spec.capacity")).get("storage").map(|q| q.render());
    w.line(0, &format!("Capacity:\t{}", storage.unwrap_or_else(|| "0".into())));
    node_affinity(&mut w, pv);
    w.line(0, &format!("Message:\t{}", pv.str_at("status.message")));
    w.line(0, "Source:");
    source(&mut w, pv);
    events(&mut w, ctx);
    w.finish()
}

/// `GetPersistentVolumeClass`: the beta annotation wins over `spec.storageClassName`.
fn volume_class(pv: &Value) -> String {
    if let Some(c) = pv.annotation("volume.beta.kubernetes.io/storage-class") {
        return c.to_string();
    }
    pv.str_at("spec.storageClassName").to_string()
}

fn node_affinity(w: &mut Writer, pv: &Value) {
    w.write(0, "Node Affinity:\t");
    let Some(required) = pv.at("spec.nodeAffinity.required").filter(|v| v.is_object()) else {
        w.line(0, "<none>");
        return;
    };
    w.line(0, "");
    w.write(1, "Required Terms:\t");
    let terms = required.array_at("nodeSelectorTerms");
    if terms.is_empty() {
        w.line(0, "<none>");
        return;
    }
    w.line(0, "");
    for (i, term) in terms.iter().enumerate() {
        w.write(2, &format!("Term {i}:\t"));
        let reqs = term.array_at("matchExpressions");
        if reqs.is_empty() {
            w.line(0, "<none>");
            continue;
        }
        for (j, r) in reqs.iter().enumerate() {
            if j != 0 {
                w.write(2, "\t");
            }
            let mut expr = format!("{} {}", r.str_at("key"), r.str_at("operator").to_lowercase());
            let values = strings_at(r, "values");
            if !values.is_empty() {
                expr.push_str(&format!(" [{}]", values.join(", ")));
            }
            w.line(0, &expr);
        }
    }
}

fn source(w: &mut Writer, pv: &Value) {
    let src = |k: &str| pv.at(&format!("spec.{k}")).filter(|v| v.is_object());
    if let Some(h) = src("hostPath") {
        host_path(w, h);
    } else if let Some(n) = src("nfs") {
        w.line(2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)");
        w.line(2, &format!("Server:\t{}", n.str_at("server")));
        w.line(2, &format!("Path:\t{}", n.str_at("path")));
        w.line(2, &format!("ReadOnly:\t{}", bool_at(n, "readOnly")));
    } else if let Some(l) = src("local") {
        w.line(2, "Type:\tLocalVolume (a persistent volume backed by local storage on a node)");
        w.line(2, &format!("Path:\t{}", l.str_at("path")));
    } else if let Some(c) = src("csi") {
        w.line(2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)");
        w.line(2, &format!("Driver:\t{}", c.str_at("driver")));
        w.line(2, &format!("FSType:\t{}", c.str_at("fsType")));
        w.line(2, &format!("VolumeHandle:\t{}", c.str_at("volumeHandle")));
        w.line(2, &format!("ReadOnly:\t{}", bool_at(c, "readOnly")));
        csi_attributes(w, &string_map(c, "volumeAttributes"));
    } else if !pv.get("spec").is_some_and(|spec| super::legacy_volumes::describe_pv(w, spec)) {
        w.line(1, "<unknown>");
    }
}
