//! Pod and pod-template defaults (core/v1 `SetDefaults_Pod`, `SetDefaults_PodSpec`,
//! `SetDefaults_Container`, `SetDefaults_Probe`, `SetDefaults_Volume`, ...).

use serde_json::{json, Map, Value};

use super::{canonical_quantities, default, each_item, obj_mut};

/// A Pod on create: spec defaults, `enableServiceLinks`, requests copied from limits. (Priority
/// and preemptionPolicy come from the Priority admission plugin, `Cluster::admit_priority`.)
pub fn pod(obj: &mut Value) {
    let Some(spec) = obj_mut(obj, "spec") else { return };
    default(spec, "enableServiceLinks", Value::Bool(true));
    for key in ["initContainers", "containers"] {
        for c in each_item(spec, key) {
            requests_from_limits(c);
        }
    }
    if let Some(spec) = obj.get_mut("spec") {
        pod_template_defaults(spec);
    }
}

/// What admission adds to every real pod besides priority: the two NoExecute tolerations of
/// DefaultTolerationSeconds and the `default` service account. (The projected token volume the
/// ServiceAccount plugin also adds is left to the caller, which owns the random name.)
pub fn pod_admission(obj: &mut Value) {
    let Some(spec) = obj_mut(obj, "spec") else { return };
    default(spec, "serviceAccountName", json!("default"));
    let sa = spec.get("serviceAccountName").cloned().unwrap_or(json!("default"));
    default(spec, "serviceAccount", sa);
    let tolerations = spec.entry("tolerations").or_insert_with(|| json!([]));
    if !tolerations.is_array() {
        return;
    }
    for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
        let Some(list) = tolerations.as_array_mut() else { return };
        let covered = list.iter().any(|t| {
            let k = t.get("key").and_then(Value::as_str).unwrap_or("");
            let effect = t.get("effect").and_then(Value::as_str).unwrap_or("");
            (k == key || k.is_empty()) && (effect == "NoExecute" || effect.is_empty())
        });
        if !covered {
            list.push(json!({"effect": "NoExecute", "key": key, "operator": "Exists", "tolerationSeconds": 300}));
        }
    }
}

/// The defaults of a PodSpec, shared by Pods and StatefulSet templates.
pub fn pod_template_defaults(spec: &mut Value) {
    let Some(s) = spec.as_object_mut() else { return };
    deprecated_service_account(s);
    default(s, "dnsPolicy", json!("ClusterFirst"));
    default(s, "restartPolicy", json!("Always"));
    default(s, "securityContext", json!({}));
    default(s, "terminationGracePeriodSeconds", json!(30));
    default(s, "schedulerName", json!("default-scheduler"));
    let host_network = s.get("hostNetwork").and_then(Value::as_bool).unwrap_or(false);
    for key in ["initContainers", "containers"] {
        for c in each_item(s, key) {
            container(c, host_network);
        }
    }
    for v in each_item(s, "volumes") {
        volume(v);
    }
}

/// The API server's conversion of every PodSpec (pods and templates alike): v1 to internal
/// takes the deprecated `serviceAccount` when `serviceAccountName` is empty, and internal to v1
/// writes `serviceAccount` back as a copy of `serviceAccountName`. So `set serviceaccount`,
/// which changes only `serviceAccountName`, shows both changed.
fn deprecated_service_account(s: &mut Map<String, Value>) {
    let named = |s: &Map<String, Value>, key: &str| s.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    if named(s, "serviceAccountName").is_empty() {
        let deprecated = named(s, "serviceAccount");
        if !deprecated.is_empty() {
            s.insert("serviceAccountName".into(), json!(deprecated));
        }
    }
    let name = named(s, "serviceAccountName");
    if !name.is_empty() {
        s.insert("serviceAccount".into(), json!(name));
    }
}

pub(super) fn container(c: &mut Map<String, Value>, host_network: bool) {
    let image = c.get("image").and_then(Value::as_str).unwrap_or("").to_string();
    let policy = if image_tag(&image) == "latest" { "Always" } else { "IfNotPresent" };
    default(c, "imagePullPolicy", json!(policy));
    default(c, "terminationMessagePath", json!("/dev/termination-log"));
    default(c, "terminationMessagePolicy", json!("File"));
    default(c, "resources", json!({}));
    if let Some(Value::Object(r)) = c.get_mut("resources") {
        canonical_quantities(r.get_mut("requests"));
        canonical_quantities(r.get_mut("limits"));
    }
    for p in each_item(c, "ports") {
        default(p, "protocol", json!("TCP"));
        if host_network {
            let port = p.get("containerPort").cloned().unwrap_or(Value::Null);
            default(p, "hostPort", port);
        }
    }
    for probe_key in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(Value::Object(p)) = c.get_mut(probe_key) {
            probe(p);
        }
    }
    if let Some(Value::Object(l)) = c.get_mut("lifecycle") {
        for hook in ["postStart", "preStop"] {
            if let Some(Value::Object(h)) = l.get_mut(hook) {
                http_get(h);
            }
        }
    }
    for e in each_item(c, "env") {
        if let Some(Value::Object(from)) = e.get_mut("valueFrom") {
            field_refs(from);
        }
    }
}

/// `SetDefaults_Probe`: zero means unset for these int32 fields.
fn probe(p: &mut Map<String, Value>) {
    for (key, value) in [("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1), ("failureThreshold", 3)]
    {
        if p.get(key).and_then(Value::as_i64).unwrap_or(0) == 0 {
            p.insert(key.to_string(), json!(value));
        }
    }
    http_get(p);
    // `GRPCAction.service` is `+default=""`: stored as an empty string, never left out (kubectl's
    // describe dereferences it).
    if let Some(g) = p.get_mut("grpc").and_then(Value::as_object_mut) {
        default(g, "service", json!(""));
    }
}

fn http_get(handler: &mut Map<String, Value>) {
    if let Some(h) = handler.get_mut("httpGet").and_then(Value::as_object_mut) {
        default(h, "path", json!("/"));
        default(h, "scheme", json!("HTTP"));
    }
}

/// `fieldRef.apiVersion: v1`; `resourceFieldRef.divisor` always shows (a Quantity is never omitted).
fn field_refs(from: &mut Map<String, Value>) {
    if let Some(f) = from.get_mut("fieldRef").and_then(Value::as_object_mut) {
        default(f, "apiVersion", json!("v1"));
    }
    if let Some(r) = from.get_mut("resourceFieldRef").and_then(Value::as_object_mut) {
        default(r, "divisor", json!("0"));
    }
}

const VOLUME_SOURCES: [&str; 30] = [
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
];

/// `SetDefaults_Volume` (no source → emptyDir) and the per-source defaults.
fn volume(v: &mut Map<String, Value>) {
    if !VOLUME_SOURCES.iter().any(|k| v.get(*k).is_some_and(|s| !s.is_null())) {
        v.insert("emptyDir".into(), json!({}));
    }
    for key in ["configMap", "secret", "downwardAPI", "projected"] {
        if let Some(src) = existing_map(v, key) {
            default(src, "defaultMode", json!(420));
        }
    }
    if let Some(src) = existing_map(v, "hostPath") {
        default(src, "type", json!(""));
    }
    legacy_volume_defaults(v);
    if let Some(src) = existing_map(v, "downwardAPI") {
        downward_api_items(src);
    }
    // `SetDefaults_PersistentVolumeClaimSpec` reaches an ephemeral volume's claim template too; its
    // ObjectMeta is a struct, never omitted, so an unset one reads `creationTimestamp: null`.
    if let Some(template) = existing_map(v, "ephemeral").and_then(|e| e.get_mut("volumeClaimTemplate")) {
        if template.is_object() {
            if let Some(meta) = obj_mut(template, "metadata") {
                meta.entry("creationTimestamp").or_insert(Value::Null);
            }
            if let Some(spec) = obj_mut(template, "spec") {
                default(spec, "volumeMode", json!("Filesystem"));
                if let Some(Value::Object(r)) = spec.get_mut("resources") {
                    canonical_quantities(r.get_mut("requests"));
                    canonical_quantities(r.get_mut("limits"));
                }
            }
        }
    }
    if let Some(src) = existing_map(v, "projected") {
        for s in each_item(src, "sources") {
            if let Some(d) = existing_map(s, "downwardAPI") {
                downward_api_items(d);
            }
            // `SetDefaults_ServiceAccountTokenProjection`: an hour.
            if let Some(t) = existing_map(s, "serviceAccountToken") {
                default(t, "expirationSeconds", json!(3600));
            }
        }
    }
}

/// The defaults of the in-tree volume sources (`SetDefaults_ISCSIVolumeSource`,
/// `_AzureDiskVolumeSource`, `_RBDVolumeSource`, `_ScaleIOVolumeSource`); kubectl's describe
/// dereferences the Azure Disk pointers. A PersistentVolume's sources of these kinds get the same.
pub(crate) fn legacy_volume_defaults(v: &mut Map<String, Value>) {
    if let Some(src) = existing_map(v, "iscsi") {
        default(src, "iscsiInterface", json!("default"));
    }
    if let Some(src) = existing_map(v, "azureDisk") {
        for (key, value) in [("cachingMode", json!("ReadWrite")), ("kind", json!("Shared")), ("fsType", json!("ext4"))]
        {
            if src.get(key).is_none_or(Value::is_null) {
                src.insert(key.into(), value);
            }
        }
        if src.get("readOnly").is_none_or(Value::is_null) {
            src.insert("readOnly".into(), json!(false));
        }
    }
    if let Some(src) = existing_map(v, "rbd") {
        default(src, "pool", json!("rbd"));
        default(src, "user", json!("admin"));
        default(src, "keyring", json!("/etc/ceph/keyring"));
    }
    if let Some(src) = existing_map(v, "scaleIO") {
        default(src, "storageMode", json!("ThinProvisioned"));
        default(src, "fsType", json!("xfs"));
    }
}

/// `SetDefaults_ObjectFieldSelector` on a downwardAPI volume's (or projection's) files.
fn downward_api_items(src: &mut Map<String, Value>) {
    for item in each_item(src, "items") {
        if let Some(f) = item.get_mut("fieldRef").and_then(Value::as_object_mut) {
            default(f, "apiVersion", json!("v1"));
        }
    }
}

fn existing_map<'a>(v: &'a mut Map<String, Value>, key: &str) -> Option<&'a mut Map<String, Value>> {
    v.get_mut(key)?.as_object_mut()
}

/// `SetDefaults_Pod`: a limit without a request makes the request equal to it.
fn requests_from_limits(c: &mut Map<String, Value>) {
    let Some(Value::Object(r)) = c.get_mut("resources") else { return };
    let Some(Value::Object(limits)) = r.get("limits").cloned() else { return };
    let requests = r.entry("requests").or_insert_with(|| json!({}));
    if let Some(req) = requests.as_object_mut() {
        for (k, v) in limits {
            req.entry(k).or_insert(v);
        }
    }
}

/// The tag kubelet's image parser finds: `latest` when the image has neither tag nor digest.
fn image_tag(image: &str) -> &str {
    if image.is_empty() {
        return "";
    }
    let (name, digest) = match image.split_once('@') {
        Some((n, _)) => (n, true),
        None => (image, false),
    };
    let last = name.rsplit('/').next().unwrap_or(name);
    match last.split_once(':') {
        Some((_, tag)) => tag,
        None if digest => "",
        None => "latest",
    }
}

#[cfg(test)]
pub(super) fn tag_for_test(image: &str) -> &str {
    image_tag(image)
}
