//! A container as the simulated runtime sees it: its image, its writable layer and its mounts, each
//! backed by a volume in the store. `exec` and the kubelet's probes both run commands in it.

use serde_json::Value;

use crate::api::kinds::{PV, PVC};
use crate::api::quantity::parse_bytes;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::exec::{Container, Mount};
use crate::Result;

/// Where Kubernetes mounts the service-account token.
pub const SERVICE_ACCOUNT_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The store volume of a container's writable layer (gone when the container restarts).
pub fn layer_volume(pod: &Value, container: &str) -> String {
    format!("layer/{}/{container}", pod.uid())
}

/// The runtime view of `container` (a `spec.containers[]` entry) of `pod`.
pub fn container_view(cluster: &mut Cluster, pod: &Value, container: &Value) -> Result<Container> {
    let name = container.str_at("name").to_string();
    Ok(Container {
        pod_name: pod.name().to_string(),
        namespace: pod.namespace().to_string(),
        hostname: match pod.str_at("spec.hostname") {
            "" => pod.name().to_string(),
            h => h.to_string(),
        },
        subdomain: pod.str_at("spec.subdomain").to_string(),
        pod_ip: pod.str_at("status.podIP").to_string(),
        container_name: name.clone(),
        image: container.str_at("image").to_string(),
        env: container
            .array_at("env")
            .iter()
            .filter(|e| e.get("value").is_some())
            .map(|e| (e.str_at("name").to_string(), e.str_at("value").to_string()))
            .collect(),
        layer: layer_volume(pod, &name),
        mounts: mounts(cluster, pod, container)?,
        now: cluster.clock.now(),
        tty: false,
    })
}

fn size(s: &str) -> Option<u64> {
    parse_bytes(s).and_then(|b| u64::try_from(b).ok())
}

/// The container's mounts, each backed by a store volume.
fn mounts(cluster: &mut Cluster, pod: &Value, container: &Value) -> Result<Vec<Mount>> {
    let mut out = Vec::new();
    for m in container.array_at("volumeMounts") {
        let name = m.str_at("name");
        let Some(volume) = pod.array_at("spec.volumes").iter().find(|v| v.str_at("name") == name).cloned() else {
            continue;
        };
        let mut read_only = m.get("readOnly").and_then(Value::as_bool).unwrap_or(false);
        let (id, capacity) = if let Some(claim) = volume.get("persistentVolumeClaim") {
            read_only |= claim.get("readOnly").and_then(Value::as_bool).unwrap_or(false);
            claim_volume(cluster, pod.namespace(), claim.str_at("claimName"))?
        } else if volume.get("emptyDir").is_some() {
            (format!("emptydir/{}/{name}", pod.uid()), size(volume.str_at("emptyDir.sizeLimit")))
        } else if let Some((source, key)) = data_source(&volume) {
            // configMap and secret volumes are read-only copies of their object's data.
            read_only = true;
            let id = format!("volume/{}/{name}", pod.uid());
            project_data(cluster, pod, &id, source, key)?;
            (id, None)
        } else if volume.get("projected").is_some() && m.str_at("mountPath") == SERVICE_ACCOUNT_DIR {
            (format!("serviceaccount/{}", pod.uid()), None)
        } else {
            (format!("volume/{}/{name}", pod.uid()), None)
        };
        out.push(Mount {
            path: m.str_at("mountPath").to_string(),
            volume: id,
            read_only,
            capacity_bytes: capacity,
            sub_path: m.str_at("subPath").to_string(),
        });
    }
    Ok(out)
}

/// The object a configMap or secret volume shows, and the volume's source definition.
fn data_source(volume: &Value) -> Option<(&'static crate::api::Kind, &Value)> {
    if let Some(cm) = volume.get("configMap") {
        return Some((&crate::api::kinds::CONFIGMAP, cm));
    }
    volume.get("secret").map(|s| (&crate::api::kinds::SECRET, s))
}

/// Writes the keys of a ConfigMap or Secret (all, or the `items` asked for) as files of `id`.
fn project_data(cluster: &mut Cluster, pod: &Value, id: &str, kind: &crate::api::Kind, source: &Value) -> Result<()> {
    let name = if kind.kind == "Secret" { source.str_at("secretName") } else { source.str_at("name") };
    let object = cluster.get(&Key::new(kind, pod.namespace(), name))?;
    let mode = source.i64_at("defaultMode").map_or(0o644, |m| m as u32);
    let now = cluster.clock.now();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    if let Some(obj) = &object {
        let data = |key: &str| -> Option<Vec<u8>> {
            let v = obj.at("data").and_then(|d| d.get(key)).and_then(Value::as_str)?;
            Some(if kind.kind == "Secret" { unbase64(v) } else { v.as_bytes().to_vec() })
        };
        let items = source.array_at("items");
        if items.is_empty() {
            for key in
                obj.at("data").and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_else(Vec::new)
            {
                files.extend(data(&key).map(|d| (key.clone(), d)));
            }
        } else {
            for item in items {
                files.extend(data(item.str_at("key")).map(|d| (item.str_at("path").to_string(), d)));
            }
        }
    }
    let mut store = cluster.files();
    store.drop_volume(id)?;
    crate::exec::format_volume(&mut store, id, false, now)?;
    for (path, data) in files {
        let path = format!("/{}", path.trim_start_matches('/'));
        crate::exec::Backing::put(&mut store, id, &path, &crate::exec::Entry::file(mode, now, data))?;
    }
    Ok(())
}

/// Decodes standard base64, skipping anything outside the alphabet.
fn unbase64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, d)| acc | (u32::from(*d) << (18 - 6 * i)));
        for i in 0..chunk.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

/// A claim's store volume and capacity: its bound volume's files.
fn claim_volume(cluster: &mut Cluster, namespace: &str, claim: &str) -> Result<(String, Option<u64>)> {
    let pv_name = cluster
        .get_ref(&Key::new(&PVC, namespace, claim))?
        .map(|p| p.str_at("spec.volumeName").to_string())
        .unwrap_or_default();
    let capacity = cluster.get_ref(&Key::new(&PV, "", &pv_name))?.and_then(|p| size(p.str_at("spec.capacity.storage")));
    Ok((crate::controller::volume_id(&pv_name), capacity))
}
