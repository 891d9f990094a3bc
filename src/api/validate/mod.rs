//! API validation with Kubernetes' v1.32 field paths and messages (pkg/apis/core/validation,
//! pkg/apis/apps/validation, pkg/apis/storage/validation, apimachinery's ObjectMeta and label
//! rules). Causes come back in the API server's order, all at once, as one `Error::Invalid`.
//! Objects are expected to be defaulted first (`api::defaults::apply`), as on the server.

mod affinity;
mod config;
mod container;
mod env;
mod immutable;
mod meta;
mod names;
mod networking;
mod pod;
mod pod_volumes;
mod policy;
mod quota;
mod rbac;
mod scheduling;
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
pub use scheduling::SYSTEM_CLASSES;

/// Field errors gathered in order.
pub(crate) type Causes = Vec<FieldError>;

/// Validates an object about to be created.
pub fn validate_create(obj: &Value) -> Result<()> {
    let mut c = Causes::new();
    match obj.kind() {
        "StatefulSet" => statefulset::create(obj, &mut c),
        "Deployment" | "ReplicaSet" | "DaemonSet" => workloads::replicated(obj, &mut c),
        "ReplicationController" => workloads::replication_controller(obj, &mut c),
        "PodTemplate" => workloads::pod_template(obj, &mut c),
        "Job" => workloads::job(obj, &mut c),
        "CronJob" => workloads::cronjob(obj, &mut c),
        "Pod" => pod::create(obj, &mut c),
        "PersistentVolumeClaim" => storage::pvc(obj, &mut c),
        "PersistentVolume" => storage::pv(obj, &mut c),
        "StorageClass" => storage::storage_class(obj, &mut c),
        "PriorityClass" => scheduling::priority_class(obj, &mut c),
        "VolumeAttachment" => storage::volume_attachment(obj, &mut c),
        "Service" => service::create(obj, &mut c),
        "Namespace" => meta::object_meta(obj, false, names::name_is_dns_label, &mut c),
        "ConfigMap" => config::config_map(obj, &mut c),
        "Secret" => config::secret(obj, &mut c),
        // `ValidateServiceAccount`: its metadata only (the name is a DNS subdomain).
        "ResourceQuota" => quota::resource_quota(obj, &mut c),
        "LimitRange" => quota::limit_range(obj, &mut c),
        "ServiceAccount" => meta::object_meta(obj, true, names::name_is_dns_subdomain, &mut c),
        "PodDisruptionBudget" => policy::pdb(obj, &mut c),
        "HorizontalPodAutoscaler" => policy::hpa(obj, &mut c),
        "NetworkPolicy" => networking::network_policy(obj, &mut c),
        "Ingress" => networking::ingress(obj, &mut c),
        "IngressClass" => networking::ingress_class(obj, &mut c),
        "Role" | "ClusterRole" => rbac::role(obj, &mut c),
        "RoleBinding" | "ClusterRoleBinding" => rbac::binding(obj, &mut c),
        "Node" | "Endpoints" | "Event" | "ControllerRevision" | "EndpointSlice" | "Lease" => {
            let namespaced = kinds::by_kind(obj.kind()).is_some_and(|k| k.namespaced);
            meta::object_meta(obj, namespaced, names::name_is_dns_subdomain, &mut c)
        }
        "CustomResourceDefinition" => {
            meta::object_meta(obj, false, names::name_is_dns_subdomain, &mut c);
            c.extend(super::custom::validate_definition(obj, &kinds::ALL));
        }
        other => custom_resource(other, obj, &mut c),
    }
    finish(obj, c)
}

/// A custom resource: its metadata, then its version's schema.
fn custom_resource(kind: &str, obj: &Value, c: &mut Causes) {
    let Some(def) = super::custom::definition(kind) else { return };
    meta::object_meta(obj, def.kind().namespaced, names::name_is_dns_subdomain, c);
    let version = obj.str_at("apiVersion").rsplit('/').next().unwrap_or_default();
    if let Some(v) = def.version(version) {
        c.extend(super::custom::validate(obj, &v.schema));
    }
}

/// Validates an update of `old` to `new` (both defaulted).
pub fn validate_update(old: &Value, new: &Value) -> Result<()> {
    let mut c = Causes::new();
    update::validate(old, new, &mut c);
    if new.kind() == "CustomResourceDefinition" {
        c.extend(super::custom::validate_definition(new, &kinds::ALL));
    } else if let Some(def) = super::custom::definition(new.kind()) {
        let version = new.str_at("apiVersion").rsplit('/').next().unwrap_or_default();
        if let Some(v) = def.version(version) {
            c.extend(super::custom::validate(new, &v.schema));
        }
    }
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
