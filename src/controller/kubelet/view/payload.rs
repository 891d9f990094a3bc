//! What a configMap, secret, downwardAPI or projected volume shows: the files the kubelet
//! computes from the API objects each time it syncs the pod (its "payload"), before they are
//! written in the atomic writer's layout (`atomic.rs`).

use std::collections::BTreeMap;

use serde_json::Value;

use super::downward::{metadata_field, resource_field};
use super::sources::Source;
use crate::api::kinds::NODE;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::Result;

/// One file of a payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Permission bits (`items[].mode`, else the volume's `defaultMode`, else 0644).
    pub mode: u32,
    pub data: Vec<u8>,
}

/// Files by their path inside the volume (`app.conf`, `conf/app.conf`).
pub type Payload = BTreeMap<String, File>;

/// The file mode when neither the item nor the volume gives one.
const DEFAULT_MODE: u32 = 0o644;

/// A projected kind of volume: its root's mode and its payload.
pub struct Projected {
    /// Secrets and projected volumes live on tmpfs (`drwxrwxrwt`); configMap and downwardAPI
    /// volumes in a directory of the pod (`drwxrwxrwx`).
    pub root_mode: u32,
    pub files: Payload,
}

/// The files of `volume` (a `spec.volumes[]` entry) when it is a projected kind of volume. A
/// source the kubelet could not read (a missing object or key that is not optional, an
/// unsupported field) contributes nothing: kstate does not hold the pod in ContainerCreating for it.
pub fn of_volume(cluster: &mut Cluster, pod: &Value, volume: &Value) -> Result<Option<Projected>> {
    let mut out = Payload::new();
    let root_mode = if let Some(cm) = volume.get("configMap") {
        let mode = mode_of(cm.get("defaultMode"), DEFAULT_MODE);
        add_object(cluster, pod, Source::ConfigMap, cm.str_at("name"), cm, mode, &mut out)?;
        0o777
    } else if let Some(secret) = volume.get("secret") {
        let mode = mode_of(secret.get("defaultMode"), DEFAULT_MODE);
        add_object(cluster, pod, Source::Secret, secret.str_at("secretName"), secret, mode, &mut out)?;
        0o1777
    } else if let Some(downward) = volume.get("downwardAPI") {
        let mode = mode_of(downward.get("defaultMode"), DEFAULT_MODE);
        add_downward(cluster, pod, downward, mode, &mut out)?;
        0o777
    } else if let Some(projected) = volume.get("projected") {
        let mode = mode_of(projected.get("defaultMode"), DEFAULT_MODE);
        for source in projected.array_at("sources") {
            add_projection(cluster, pod, source, mode, &mut out)?;
        }
        0o1777
    } else {
        return Ok(None);
    };
    Ok(Some(Projected { root_mode, files: out }))
}

/// One source of a projected volume.
fn add_projection(cluster: &mut Cluster, pod: &Value, source: &Value, mode: u32, out: &mut Payload) -> Result<()> {
    if let Some(cm) = source.get("configMap") {
        add_object(cluster, pod, Source::ConfigMap, cm.str_at("name"), cm, mode, out)?;
    } else if let Some(secret) = source.get("secret") {
        add_object(cluster, pod, Source::Secret, secret.str_at("name"), secret, mode, out)?;
    } else if let Some(downward) = source.get("downwardAPI") {
        add_downward(cluster, pod, downward, mode, out)?;
    } else if let Some(token) = source.get("serviceAccountToken") {
        insert(out, token.str_at("path"), mode, service_account_token(pod));
    }
    Ok(())
}

/// A ConfigMap's or Secret's keys: all of them, or the `items` asked for (renamed to their path).
fn add_object(
    cluster: &mut Cluster,
    pod: &Value,
    kind: Source,
    name: &str,
    source: &Value,
    mode: u32,
    out: &mut Payload,
) -> Result<()> {
    let Some(data) = kind.read(cluster, pod.namespace(), name)? else { return Ok(()) };
    let items = source.array_at("items");
    if items.is_empty() {
        for (key, bytes) in data.all() {
            insert(out, key, mode, bytes.clone());
        }
    }
    for item in items {
        if let Some(bytes) = data.key(item.str_at("key")) {
            insert(out, item.str_at("path"), mode_of(item.get("mode"), mode), bytes.clone());
        }
    }
    Ok(())
}

/// A downwardAPI source's items: pod metadata (`fieldRef`) and container resources.
fn add_downward(cluster: &mut Cluster, pod: &Value, source: &Value, mode: u32, out: &mut Payload) -> Result<()> {
    let node = pod.str_at("spec.nodeName");
    let allocatable = cluster.get_ref(&Key::new(&NODE, "", node))?.and_then(|n| n.at("status.allocatable")).cloned();
    for item in source.array_at("items") {
        let value = if let Some(field) = item.get("fieldRef") {
            metadata_field(pod, field.str_at("fieldPath"))
        } else if let Some(field) = item.get("resourceFieldRef") {
            let wanted = field.str_at("containerName");
            let containers = pod.array_at("spec.containers").iter().chain(pod.array_at("spec.initContainers"));
            match containers.into_iter().find(|c| c.str_at("name") == wanted) {
                Some(c) => resource_field(c, allocatable.as_ref(), field),
                None => continue,
            }
        } else {
            continue;
        };
        if let Ok(text) = value {
            insert(out, item.str_at("path"), mode_of(item.get("mode"), mode), text.into_bytes());
        }
    }
    Ok(())
}

/// Adds a file when its path is one the API server accepts: relative, without `..` components,
/// and not starting with `..` (the writer's own names).
fn insert(out: &mut Payload, path: &str, mode: u32, data: Vec<u8>) {
    let parts: Vec<&str> = path.split('/').collect();
    let valid = !path.starts_with("..") && parts.iter().all(|p| !p.is_empty() && *p != "..");
    if valid {
        out.insert(path.to_string(), File { mode, data });
    }
}

/// A mode from the API (a decimal number such as 420 = 0644), else `default`.
fn mode_of(v: Option<&Value>, default: u32) -> u32 {
    v.and_then(Value::as_u64).and_then(|m| u32::try_from(m & 0o7777).ok()).unwrap_or(default)
}

/// The bound token the kubelet requests for the pod: a stand-in that names the pod, stable so
/// that the volume is not rewritten at every sync.
fn service_account_token(pod: &Value) -> Vec<u8> {
    format!("eyJhbGciOiJSUzI1NiIsImtpZCI6ImtzdGF0ZSJ9.{}.kstate-simulated", pod.name()).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_the_api_accepts_are_written() {
        let mut out = Payload::new();
        for p in ["a", "dir/b", "..data", "../x", "c/../d", "/abs", "e//f", ""] {
            insert(&mut out, p, 0o644, Vec::new());
        }
        assert_eq!(out.keys().cloned().collect::<Vec<_>>(), vec!["a".to_string(), "dir/b".to_string()]);
    }

    #[test]
    fn modes_come_from_the_item_then_the_volume() {
        assert_eq!(mode_of(Some(&serde_json::json!(256)), 0o644), 0o400);
        assert_eq!(mode_of(None, 0o600), 0o600);
        assert_eq!(mode_of(Some(&serde_json::json!(-1)), 0o644), 0o644);
    }
}
