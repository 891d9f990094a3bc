//! `describePersistentVolumeClaim` / `printPersistentVolumeClaim`.

use serde_json::Value;

use super::common::{
    annotations_multiline, events, labels_multiline, rfc1123, since, string_map, strings_at, Ctx, Writer,
};
use super::pod::resource_list;
use crate::api::ObjectExt;

pub fn describe(pvc: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    print_claim(&mut w, pvc, Some(ctx));
    used_by(&mut w, pvc, &ctx.related.pods);
    conditions(&mut w, pvc);
    events(&mut w, ctx);
    w.finish()
}

/// `printPersistentVolumeClaim`: a full claim (`ctx` given) also shows its name, namespace, status
/// and finalizers; an ephemeral volume's claim template only the rest.
pub fn print_claim(w: &mut Writer, pvc: &Value, ctx: Option<&Ctx>) {
    if ctx.is_some() {
        w.line(0, &format!("Name:\t{}", pvc.name()));
        w.line(0, &format!("Namespace:\t{}", pvc.namespace()));
    }
    w.line(0, &format!("StorageClass:\t{}", claim_class(pvc)));
    if let Some(ctx) = ctx {
        if pvc.is_deleting() {
            w.line(0, &format!("Status:\tTerminating (lasts {})", since(ctx.now, pvc, "metadata.deletionTimestamp")));
        } else {
            w.line(0, &format!("Status:\t{}", pvc.str_at("status.phase")));
        }
    }
    w.line(0, &format!("Volume:\t{}", pvc.str_at("spec.volumeName")));
    labels_multiline(w, "Labels", &pvc.labels());
    annotations_multiline(w, "Annotations", &string_map(pvc, "metadata.annotations"));
    if ctx.is_some() {
        w.line(0, &format!("Finalizers:\t[{}]", pvc.finalizers().join(" ")));
    }
    capacity_and_modes(w, pvc);
    if let Some(mode) = pvc.at("spec.volumeMode").and_then(Value::as_str) {
        w.line(0, &format!("VolumeMode:\t{mode}"));
    }
    data_source(w, pvc);
}

/// `GetPersistentVolumeClaimClass`: the beta annotation wins over `spec.storageClassName`.
pub fn claim_class(pvc: &Value) -> String {
    if let Some(c) = pvc.annotation("volume.beta.kubernetes.io/storage-class") {
        return c.to_string();
    }
    pvc.str_at("spec.storageClassName").to_string()
}

/// Capacity and Access Modes are shown only once the claim is bound to a volume.
fn capacity_and_modes(w: &mut Writer, pvc: &Value) {
    let (mut capacity, mut modes) = (String::new(), String::new());
    if !pvc.str_at("spec.volumeName").is_empty() {
        modes = access_modes(&strings_at(pvc, "status.accessModes"));
        capacity = resource_list(pvc.at("status.capacity")).get("storage").map(|q| q.render()).unwrap_or("0".into());
    }
    w.line(0, &format!("Capacity:\t{capacity}"));
    w.line(0, &format!("Access Modes:\t{modes}"));
}

/// `GetAccessModesAsString`: RWO,ROX,RWX,RWOP in that fixed order.
pub fn access_modes(modes: &[String]) -> String {
    let has = |m: &str| modes.iter().any(|x| x == m);
    let mut out = Vec::new();
    for (mode, short) in
        [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")]
    {
        if has(mode) {
            out.push(short);
        }
    }
    out.join(",")
}

fn data_source(w: &mut Writer, pvc: &Value) {
    let Some(ds) = pvc.at("spec.dataSource").filter(|v| v.is_object()) else { return };
    w.line(0, "DataSource:");
    if let Some(g) = ds.get("apiGroup").and_then(Value::as_str) {
        w.line(1, &format!("APIGroup:\t{g}"));
    }
    w.line(1, &format!("Kind:\t{}", ds.str_at("kind")));
    w.line(1, &format!("Name:\t{}", ds.str_at("name")));
}

/// Pods mounting the claim by name, then pods owning it, sorted by name.
fn used_by(w: &mut Writer, pvc: &Value, pods: &[Value]) {
    let mut users: Vec<&Value> = Vec::new();
    for p in pods {
        for v in p.array_at("spec.volumes") {
            if v.at("persistentVolumeClaim.claimName").and_then(Value::as_str) == Some(pvc.name()) {
                users.push(p);
            }
        }
    }
    for owner in pvc.array_at("metadata.ownerReferences").iter().filter(|o| o.str_at("kind") == "Pod") {
        let Some(p) = pods.iter().find(|p| p.uid() == owner.str_at("uid")) else { continue };
        if !users.iter().any(|u| u.uid() == p.uid()) {
            users.push(p);
        }
    }
    w.write(0, "Used By:\t");
    if users.is_empty() {
        w.line(0, "<none>");
        return;
    }
    users.sort_by(|a, b| a.name().cmp(b.name()));
    for (i, p) in users.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        w.line(0, p.name());
    }
}

fn conditions(w: &mut Writer, pvc: &Value) {
    let conds = pvc.array_at("status.conditions");
    if conds.is_empty() {
        return;
    }
    w.line(0, "Conditions:");
    w.line(1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage");
    w.line(1, "----\t------\t-----------------\t------------------\t------\t-------");
    for c in conds {
        w.line(
            1,
            &format!(
                "{} \t{} \t{} \t{} \t{} \t{}",
                c.str_at("type"),
                c.str_at("status"),
                rfc1123(c, "lastProbeTime"),
                rfc1123(c, "lastTransitionTime"),
                c.str_at("reason"),
                c.str_at("message")
            ),
        );
    }
}
