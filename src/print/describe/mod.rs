//! `kubectl describe`: a port of kubectl v1.32's `pkg/describe/describe.go` for the kinds kstate serves.
//!
//! Every describer writes `Label:\tvalue` lines through a [`Writer`](common::Writer) (kubectl's
//! `PrefixWriter`: two spaces per level) and the text is aligned at the end by the Go `text/tabwriter`
//! port with kubectl's settings (padding 2). The caller gathers the related objects a real kubectl
//! would fetch (events, pods, EndpointSlices, the node Lease) and passes them in [`Related`].

mod account;
mod autoscaler;
mod common;
mod csinode;
mod data;
mod generic;
mod legacy_volumes;
mod namespace;
mod networking;
mod node;
mod pod;
mod pv;
mod pvc;
mod quantity;
mod quota;
mod rbac;
mod service;
mod statefulset;
mod storageclass;
mod workloads;

#[cfg(test)]
mod tests;

use serde_json::Value;

use crate::api::{Kind, ObjectExt};
use crate::clock::Instant;

/// Objects related to the described one, gathered by the caller (the caller filters them).
#[derive(Default)]
pub struct Related {
    /// Events whose involvedObject is this object (uid match; for a Node also those whose
    /// involvedObject.uid is the node's name, as kubelet writes them), any order: sorted here.
    pub events: Vec<Value>,
    /// StatefulSet: pods matching its selector (those controlled by its uid are kept here);
    /// PVC: all pods in its namespace (for Used By); Node: non-terminated pods on the node.
    pub pods: Vec<Value>,
    /// Service: EndpointSlices labelled `kubernetes.io/service-name=<svc>` (Ingress: those of
    /// each backend's service).
    pub endpoint_slices: Vec<Value>,
    /// Node: its Lease in `kube-node-lease`.
    pub lease: Option<Value>,
    /// Deployment: the ReplicaSets it controls.
    pub owned: Vec<Value>,
    /// ServiceAccount: the Secrets of its namespace.
    pub secrets: Vec<Value>,
    /// Namespace: its ResourceQuotas and LimitRanges.
    pub quotas: Vec<Value>,
    pub limit_ranges: Vec<Value>,
    /// Ingress: the Services its backends name (those that exist); their EndpointSlices are
    /// in `endpoint_slices`.
    pub services: Vec<Value>,
}

pub use networking::ingress_service_names;

/// `DescribePodTemplate` written through a bare `PrefixWriter` (tabs kept, nothing aligned), as
/// `kubectl rollout history --revision=N` prints a revision's template.
pub fn pod_template_unaligned(template: Option<&Value>) -> String {
    let mut w = common::Writer::new();
    statefulset::pod_template(&mut w, template);
    w.unaligned()
}

/// kubectl describe output for one object of `kind`, ending with '\n'. `now` for ages.
pub fn describe(kind: &Kind, obj: &Value, related: &Related, now: Instant) -> String {
    // The object's own `kind` decides when the Kind is one kstate does not list (EndpointSlice).
    let name = if kind.kind.is_empty() { obj.kind() } else { kind.kind };
    let ctx = common::Ctx { related, now };
    match name {
        "Pod" => pod::describe(obj, &ctx),
        "StatefulSet" => statefulset::describe(obj, &ctx),
        "Deployment" => workloads::deployment(obj, &ctx),
        "ReplicaSet" => workloads::replicaset(obj, &ctx),
        "ReplicationController" => workloads::replication_controller(obj, &ctx),
        "DaemonSet" => workloads::daemonset(obj, &ctx),
        "Job" => workloads::job(obj, &ctx),
        "CronJob" => workloads::cronjob(obj, &ctx),
        "PersistentVolumeClaim" => pvc::describe(obj, &ctx),
        "PersistentVolume" => pv::describe(obj, &ctx),
        "Service" => service::describe(obj, &ctx),
        "Endpoints" => service::describe_endpoints(obj, &ctx),
        "EndpointSlice" => service::describe_endpoint_slice(obj, &ctx),
        "StorageClass" => storageclass::describe(obj, &ctx),
        "CSINode" => csinode::describe(obj, &ctx),
        "Namespace" => namespace::describe(obj, &ctx),
        "ResourceQuota" => quota::describe_quota(obj),
        "LimitRange" => quota::describe_limit_range(obj),
        "Node" => node::describe(obj, &ctx),
        "ConfigMap" => data::config_map(obj, &ctx),
        "Secret" => data::secret(obj),
        "ServiceAccount" => account::describe(obj, &ctx),
        "PodDisruptionBudget" => data::pod_disruption_budget(obj, &ctx),
        "PriorityClass" => data::priority_class(obj, &ctx),
        "HorizontalPodAutoscaler" => autoscaler::describe(obj, &ctx),
        "NetworkPolicy" => networking::network_policy(obj),
        "Ingress" => networking::ingress(obj, &ctx),
        "IngressClass" => networking::ingress_class(obj, &ctx),
        "Role" | "ClusterRole" => rbac::role(obj),
        "RoleBinding" | "ClusterRoleBinding" => rbac::binding(obj),
        _ => generic::describe(obj, &ctx),
    }
}
