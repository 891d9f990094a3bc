//! API validation with Kubernetes' v1.32 field paths and messages (pkg/apis/core/validation,
//! pkg/apis/apps/validation, pkg/apis/storage/validation, apimachinery's ObjectMeta and label
//! rules). Causes come back in the API server's order, all at once, as one `Error::Invalid`.
//! Objects are expected to be defaulted first (`api::defaults::apply`), as on the server.

mod immutable;
mod meta;
mod names;
mod pod;
mod service;
mod statefulset;
mod storage;
mod update;
mod workloads;

use serde_json::Value;

use super::kinds;
use super::object::ObjectExt;
use crate::error::FieldError;
use crate::{Error, Result};

pub use names::{dns1123_label, dns1123_subdomain, go_string_map};

/// Field errors gathered in order.
pub(crate) type Causes = Vec<FieldError>;

/// Validates an object about to be created.
pub fn validate_create(obj: &Value) -> Result<()> {
    let mut c = Causes::new();
    match obj.kind() {
        "StatefulSet" => statefulset::create(obj, &mut c),
        "Deployment" | "ReplicaSet" | "DaemonSet" => workloads::replicated(obj, &mut c),
        "Job" => workloads::job(obj, &mut c),
        "CronJob" => workloads::cronjob(obj, &mut c),
        "Pod" => pod::create(obj, &mut c),
        "PersistentVolumeClaim" => storage::pvc(obj, &mut c),
        "PersistentVolume" => storage::pv(obj, &mut c),
        "StorageClass" => storage::storage_class(obj, &mut c),
        "VolumeAttachment" => storage::volume_attachment(obj, &mut c),
        "Service" => service::create(obj, &mut c),
        "Namespace" => meta::object_meta(obj, false, names::name_is_dns_label, &mut c),
        "Node"
        | "Endpoints"
        | "Event"
        | "ControllerRevision"
        | "ConfigMap"
        | "Secret"
        | "PodDisruptionBudget"
        | "EndpointSlice"
        | "Lease"
        | "HorizontalPodAutoscaler" => {
            let namespaced = kinds::by_kind(obj.kind()).is_some_and(|k| k.namespaced);
            meta::object_meta(obj, namespaced, names::name_is_dns_subdomain, &mut c)
        }
        _ => {}
    }
    finish(obj, c)
}

/// Validates an update of `old` to `new` (both defaulted).
pub fn validate_update(old: &Value, new: &Value) -> Result<()> {
    let mut c = Causes::new();
    update::validate(old, new, &mut c);
    finish(new, c)
}

fn finish(obj: &Value, causes: Causes) -> Result<()> {
    if causes.is_empty() {
        return Ok(());
    }
    let kind = obj.kind().to_string();
    let group = kinds::by_kind(&kind).map(|k| k.group.to_string()).unwrap_or_default();
    Err(Error::Invalid { kind, group, name: obj.name().to_string(), causes })
}

#[cfg(test)]
mod tests;
