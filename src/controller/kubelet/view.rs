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

/// A claim's store volume and capacity: its bound volume's files.
fn claim_volume(cluster: &mut Cluster, namespace: &str, claim: &str) -> Result<(String, Option<u64>)> {
    let pv_name = cluster
        .get_ref(&Key::new(&PVC, namespace, claim))?
        .map(|p| p.str_at("spec.volumeName").to_string())
        .unwrap_or_default();
    let capacity = cluster.get_ref(&Key::new(&PV, "", &pv_name))?.and_then(|p| size(p.str_at("spec.capacity.storage")));
    Ok((crate::controller::volume_id(&pv_name), capacity))
}
