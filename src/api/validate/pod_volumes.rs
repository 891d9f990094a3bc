//! A pod's volumes (`ValidateVolumes`, `validateVolumeSource` and the per-source checks of the
//! sources manifests use: emptyDir, hostPath, secret, nfs, persistentVolumeClaim, downwardAPI,
//! configMap, projected, csi) and the path rules they share with volume mounts.

use std::collections::BTreeSet;

use serde_json::Value;

use super::config::config_key;
use super::names::{self, q};
use super::Causes;
use crate::api::object::ObjectExt;
use crate::api::quantity::Quantity;
use crate::error::FieldError;

/// The volume source keys in `validateVolumeSource`'s order, with the name its "more than 1
/// volume type" error uses (the server spells two of them differently from the JSON keys).
const SOURCES: [(&str, &str); 30] = [
    ("emptyDir", "emptyDir"),
    ("hostPath", "hostPath"),
    ("gitRepo", "gitRepo"),
    ("gcePersistentDisk", "gcePersistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"),
    ("secret", "secret"),
    ("nfs", "nfs"),
    ("iscsi", "iscsi"),
    ("glusterfs", "glusterfs"),
    ("flocker", "flocker"),
    ("persistentVolumeClaim", "persistentVolumeClaim"),
    ("rbd", "rbd"),
    ("cinder", "cinder"),
    ("cephfs", "cephFS"),
    ("quobyte", "quobyte"),
    ("downwardAPI", "downwarAPI"),
    ("fc", "fc"),
    ("flexVolume", "flexVolume"),
    ("configMap", "configMap"),
    ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"),
    ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"),
    ("azureDisk", "azureDisk"),
    ("storageos", "storageos"),
    ("projected", "projected"),
    ("scaleIO", "scaleIO"),
    ("csi", "csi"),
    ("ephemeral", "ephemeral"),
    ("image", "image"),
];

const FILE_MODE_MSG: &str = "must be a number between 0 and 0777 (octal), both inclusive";

/// The fieldRef paths a downwardAPI volume file may name (sorted, as `sets.List` gives them).
const VOLUME_FIELD_PATHS: [&str; 5] =
    ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"];

/// `ValidateVolumes`: each volume's source, then its name (required, DNS label, unique).
/// Returns the names of the valid volumes, which mounts may refer to.
pub fn volumes(spec: &Value, path: &str, c: &mut Causes) -> BTreeSet<String> {
    let mut valid = BTreeSet::new();
    for (i, v) in spec.array_at("volumes").iter().enumerate() {
        let at = format!("{path}[{i}]");
        let mut el = Causes::new();
        source(v, &at, &mut el);
        let name = v.str_at("name");
        let name_path = format!("{at}.name");
        if name.is_empty() {
            el.push(FieldError::required(name_path.clone(), ""));
        } else {
            for msg in names::dns1123_label(name) {
                el.push(FieldError::invalid(name_path.clone(), &q(name), &msg));
            }
        }
        // Only an earlier valid volume makes a name a duplicate.
        if valid.contains(name) {
            el.push(FieldError { field: name_path, detail: format!("Duplicate value: {}", q(name)) });
        }
        if el.is_empty() {
            valid.insert(name.to_string());
        }
        c.extend(el);
    }
    valid
}

fn present<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key).filter(|s| !s.is_null())
}

/// `validateVolumeSource`: exactly one source, and that source's own rules.
fn source(v: &Value, path: &str, c: &mut Causes) {
    let mut count = 0;
    for (key, forbidden_name) in SOURCES {
        let Some(src) = present(v, key) else { continue };
        if count > 0 {
            c.push(FieldError::forbidden(
                format!("{path}.{forbidden_name}"),
                "may not specify more than 1 volume type",
            ));
            continue;
        }
        count += 1;
        let at = format!("{path}.{key}");
        match key {
            "emptyDir" => empty_dir(src, &at, c),
            "hostPath" => host_path(src, &at, c),
            "secret" => secret(src, &at, c),
            "nfs" => nfs(src, &at, c),
            "persistentVolumeClaim" if src.str_at("claimName").is_empty() => {
                c.push(FieldError::required(format!("{at}.claimName"), ""));
            }
            "downwardAPI" => downward_api(src, &at, c),
            "configMap" => config_map(src, &at, c),
            "projected" => projected(src, &at, c),
            "csi" if src.str_at("driver").is_empty() => c.push(FieldError::required(format!("{at}.driver"), "")),
            _ => {}
        }
    }
    if count == 0 {
        c.push(FieldError::required(path, "must specify a volume type"));
    }
}

fn empty_dir(src: &Value, path: &str, c: &mut Causes) {
    if src.get("sizeLimit").and_then(Quantity::from_json).is_some_and(|q| q.is_negative()) {
        c.push(FieldError::forbidden(format!("{path}.sizeLimit"), "SizeLimit field must be a valid resource quantity"));
    }
}

/// The host path types, sorted (the empty one first).
const HOST_PATH_TYPES: [&str; 8] =
    ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];

fn host_path(src: &Value, path: &str, c: &mut Causes) {
    let p = src.str_at("path");
    if p.is_empty() {
        c.push(FieldError::required(format!("{path}.path"), ""));
        return;
    }
    no_backsteps(p, &format!("{path}.path"), c);
    if let Some(ty) = src.get("type").and_then(Value::as_str) {
        if !HOST_PATH_TYPES.contains(&ty) {
            c.push(FieldError::unsupported(format!("{path}.type"), ty, &HOST_PATH_TYPES));
        }
    }
}

fn nfs(src: &Value, path: &str, c: &mut Causes) {
    if src.str_at("server").is_empty() {
        c.push(FieldError::required(format!("{path}.server"), ""));
    }
    let p = src.str_at("path");
    if p.is_empty() {
        c.push(FieldError::required(format!("{path}.path"), ""));
    }
    if !p.starts_with('/') {
        c.push(FieldError::invalid(format!("{path}.path"), &q(p), "must be an absolute path"));
    }
}

fn mode(v: &Value, key: &str, path: &str, c: &mut Causes) {
    if let Some(m) = v.get(key).and_then(Value::as_i64) {
        if !(0..=0o777).contains(&m) {
            c.push(FieldError::invalid(format!("{path}.{key}"), &m.to_string(), FILE_MODE_MSG));
        }
    }
}

fn secret(src: &Value, path: &str, c: &mut Causes) {
    if src.str_at("secretName").is_empty() {
        c.push(FieldError::required(format!("{path}.secretName"), ""));
    }
    mode(src, "defaultMode", path, c);
    items(src, path, c);
}

fn config_map(src: &Value, path: &str, c: &mut Causes) {
    if src.str_at("name").is_empty() {
        c.push(FieldError::required(format!("{path}.name"), ""));
    }
    mode(src, "defaultMode", path, c);
    items(src, path, c);
}

fn items(src: &Value, path: &str, c: &mut Causes) {
    for (i, kp) in src.array_at("items").iter().enumerate() {
        key_to_path(kp, &format!("{path}.items[{i}]"), c);
    }
}

/// `validateKeyToPath`.
fn key_to_path(kp: &Value, path: &str, c: &mut Causes) {
    if kp.str_at("key").is_empty() {
        c.push(FieldError::required(format!("{path}.key"), ""));
    }
    let p = kp.str_at("path");
    if p.is_empty() {
        c.push(FieldError::required(format!("{path}.path"), ""));
    }
    local_non_reserved(p, &format!("{path}.path"), c);
    mode(kp, "mode", path, c);
}

/// `validatePathNoBacksteps`: no `..` element (one error however many).
pub fn no_backsteps(p: &str, path: &str, c: &mut Causes) {
    if p.split('/').any(|part| part == "..") {
        c.push(FieldError::invalid(path, &q(p), "must not contain '..'"));
    }
}

/// `validateLocalDescendingPath`: relative, without backsteps.
pub fn local_descending(p: &str, path: &str, c: &mut Causes) {
    if p.starts_with('/') {
        c.push(FieldError::invalid(path, &q(p), "must be a relative path"));
    }
    no_backsteps(p, path, c);
}

/// `ValidateLocalNonReservedPath`.
fn local_non_reserved(p: &str, path: &str, c: &mut Causes) {
    local_descending(p, path, c);
    if p.starts_with("..") && !p.starts_with("../") {
        c.push(FieldError::invalid(path, &q(p), "must not start with '..'"));
    }
}

fn downward_api(src: &Value, path: &str, c: &mut Causes) {
    mode(src, "defaultMode", path, c);
    for file in src.array_at("items") {
        // The server reports every file's errors at the source's path, not the item's.
        downward_api_file(file, path, c);
    }
}

/// `validateDownwardAPIVolumeFile`.
fn downward_api_file(file: &Value, path: &str, c: &mut Causes) {
    let p = file.str_at("path");
    if p.is_empty() {
        c.push(FieldError::required(format!("{path}.path"), ""));
    }
    local_non_reserved(p, &format!("{path}.path"), c);
    match (present(file, "fieldRef"), present(file, "resourceFieldRef")) {
        (Some(f), other) => {
            super::env::object_field_selector(f, &VOLUME_FIELD_PATHS, &format!("{path}.fieldRef"), c);
            if other.is_some() {
                c.push(FieldError::invalid(
                    path,
                    "\"resource\"",
                    "fieldRef and resourceFieldRef can not be specified simultaneously",
                ));
            }
        }
        (None, Some(r)) => super::env::resource_field_selector(r, true, &format!("{path}.resourceFieldRef"), c),
        (None, None) => c.push(FieldError::required(path, "one of fieldRef and resourceFieldRef is required")),
    }
    mode(file, "mode", path, c);
}

/// `validateProjectedVolumeSource`: the mode, then each source (one kind each) with paths unique
/// across all of them.
fn projected(src: &Value, path: &str, c: &mut Causes) {
    mode(src, "defaultMode", path, c);
    let mut paths = BTreeSet::new();
    for (i, s) in src.array_at("sources").iter().enumerate() {
        let at = format!("{path}.sources[{i}]");
        let mut kinds = 0;
        for key in ["secret", "configMap"] {
            let Some(obj) = present(s, key) else { continue };
            kinds += 1;
            let proj = format!("{at}.{key}");
            if obj.str_at("name").is_empty() {
                c.push(FieldError::required(format!("{proj}.name"), ""));
            }
            for (j, kp) in obj.array_at("items").iter().enumerate() {
                key_to_path(kp, &format!("{proj}.items[{j}]"), c);
                let p = kp.str_at("path");
                if !p.is_empty() && !paths.insert(p.to_string()) {
                    c.push(FieldError::invalid(path, &q(obj.str_at("name")), "conflicting duplicate paths"));
                }
            }
        }
        if let Some(obj) = present(s, "downwardAPI") {
            kinds += 1;
            let proj = format!("{at}.downwardAPI");
            for file in obj.array_at("items") {
                downward_api_file(file, &proj, c);
                let p = file.str_at("path");
                if !p.is_empty() && !paths.insert(p.to_string()) {
                    c.push(FieldError::invalid(path, &q(p), "conflicting duplicate paths"));
                }
            }
        }
        if let Some(obj) = present(s, "serviceAccountToken") {
            kinds += 1;
            service_account_token(obj, &format!("{at}.serviceAccountToken"), path, c);
        }
        if present(s, "clusterTrustBundle").is_some() {
            kinds += 1;
        }
        if kinds > 1 {
            c.push(FieldError::forbidden(at, "may not specify more than 1 volume type per source"));
        }
    }
}

/// A projected token: at least ten minutes, at most 2^32 seconds, and a path (whose errors the
/// server reports at the projection's path).
fn service_account_token(obj: &Value, path: &str, projected_path: &str, c: &mut Causes) {
    // Unset means the default hour (`SetDefaults_ServiceAccountTokenProjection`).
    let secs = obj.i64_at("expirationSeconds").unwrap_or(3600);
    if secs < 600 {
        c.push(FieldError::invalid(
            format!("{path}.expirationSeconds"),
            &secs.to_string(),
            "may not specify a duration less than 10 minutes",
        ));
    }
    if secs > 1 << 32 {
        c.push(FieldError::invalid(
            format!("{path}.expirationSeconds"),
            &secs.to_string(),
            "may not specify a duration larger than 2^32 seconds",
        ));
    }
    let p = obj.str_at("path");
    if p.is_empty() {
        c.push(FieldError::required(format!("{projected_path}.path"), ""));
    } else {
        local_non_reserved(p, &format!("{projected_path}.path"), c);
    }
}

/// `IsConfigMapKey` on a key selector's key (shared with env `valueFrom`).
pub fn selector_key(key: &str, path: &str, c: &mut Causes) {
    if key.is_empty() {
        c.push(FieldError::required(path, ""));
    } else {
        for msg in config_key(key) {
            c.push(FieldError::invalid(path, &q(key), &msg));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(c: &Causes) -> Vec<String> {
        c.iter().map(|e| format!("{}: {}", e.field, e.detail)).collect()
    }

    #[test]
    fn a_name_repeats_only_an_earlier_valid_volume() {
        let spec = json!({"volumes": [
            {"name": "a", "secret": {}},
            {"name": "a", "emptyDir": {}},
            {"name": "a", "emptyDir": {}},
        ]});
        let mut c = Causes::new();
        let valid = volumes(&spec, "spec.volumes", &mut c);
        assert_eq!(
            fields(&c),
            ["spec.volumes[0].secret.secretName: Required value", "spec.volumes[2].name: Duplicate value: \"a\""]
        );
        assert_eq!(valid.into_iter().collect::<Vec<_>>(), ["a"]);
    }

    #[test]
    fn two_sources_and_paths_that_leave_the_volume() {
        let spec = json!({"volumes": [{"name": "x", "emptyDir": {}, "configMap": {"name": "m",
            "items": [{"key": "k", "path": "../etc"}, {"key": "k", "path": "..a"}]}}]});
        let mut c = Causes::new();
        volumes(&spec, "v", &mut c);
        assert_eq!(fields(&c), ["v[0].configMap: Forbidden: may not specify more than 1 volume type"]);
        let mut c = Causes::new();
        config_map(&spec["volumes"][0]["configMap"], "m", &mut c);
        assert_eq!(
            fields(&c),
            [
                "m.items[0].path: Invalid value: \"../etc\": must not contain '..'",
                "m.items[1].path: Invalid value: \"..a\": must not start with '..'",
            ]
        );
    }
}
