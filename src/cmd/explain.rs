//! `kstate explain TYPE[.FIELD]`: the fields of the kinds kstate serves, in kubectl v1.32's
//! plaintext layout (`KIND:`, `VERSION:`, `FIELD:`, `DESCRIPTION:`, `FIELDS:` with `name\t<type>`).
//! kstate has no OpenAPI document: it knows the top-level fields of every kind and the `spec`
//! fields of Pod, StatefulSet, PersistentVolumeClaim and Service, each with its type; the long
//! OpenAPI descriptions are reduced to one line.

use super::{io, Context};
use crate::api::kinds::{self, Kind};
use crate::{Error, Result};

pub struct Request {
    pub resource: Option<String>,
}

/// A field: its name, its type as explain prints it (`integer`, `[]Container`, `PodSpec`),
/// whether it is required.
pub(crate) type Field = (&'static str, &'static str, bool);

const META: [Field; 3] =
    [("apiVersion", "string", false), ("kind", "string", false), ("metadata", "ObjectMeta", false)];

/// The top-level fields of `kind` (also the source of `kstate serve`'s OpenAPI schemas).
pub(crate) fn top(kind: &Kind) -> Vec<Field> {
    let mut f: Vec<Field> = META.to_vec();
    let extra: &[Field] = match kind.kind {
        "Pod" => &[("spec", "PodSpec", false), ("status", "PodStatus", false)],
        "Service" => &[("spec", "ServiceSpec", false), ("status", "ServiceStatus", false)],
        "StatefulSet" => &[("spec", "StatefulSetSpec", false), ("status", "StatefulSetStatus", false)],
        "PersistentVolumeClaim" => {
            &[("spec", "PersistentVolumeClaimSpec", false), ("status", "PersistentVolumeClaimStatus", false)]
        }
        "PersistentVolume" => &[("spec", "PersistentVolumeSpec", false), ("status", "PersistentVolumeStatus", false)],
        "Node" => &[("spec", "NodeSpec", false), ("status", "NodeStatus", false)],
        "Namespace" => &[("spec", "NamespaceSpec", false), ("status", "NamespaceStatus", false)],
        "StorageClass" => &[
            ("allowVolumeExpansion", "boolean", false),
            ("allowedTopologies", "[]TopologySelectorTerm", false),
            ("mountOptions", "[]string", false),
            ("parameters", "map[string]string", false),
            ("provisioner", "string", true),
            ("reclaimPolicy", "string", false),
            ("volumeBindingMode", "string", false),
        ],
        "ControllerRevision" => &[("data", "Object", false), ("revision", "integer", true)],
        "Role" => &[("rules", "[]PolicyRule", false)],
        "ClusterRole" => &[("aggregationRule", "AggregationRule", false), ("rules", "[]PolicyRule", false)],
        "RoleBinding" | "ClusterRoleBinding" => &[("roleRef", "RoleRef", true), ("subjects", "[]Subject", false)],
        "NetworkPolicy" => &[("spec", "NetworkPolicySpec", false)],
        "Ingress" => &[("spec", "IngressSpec", false), ("status", "IngressStatus", false)],
        "IngressClass" => &[("spec", "IngressClassSpec", false)],
        "Endpoints" => &[("subsets", "[]EndpointSubset", false)],
        "ServiceAccount" => &[
            ("automountServiceAccountToken", "boolean", false),
            ("imagePullSecrets", "[]LocalObjectReference", false),
            ("secrets", "[]ObjectReference", false),
        ],
        "ResourceQuota" => &[("spec", "ResourceQuotaSpec", false), ("status", "ResourceQuotaStatus", false)],
        "LimitRange" => &[("spec", "LimitRangeSpec", false)],
        "Event" => &[
            ("action", "string", false),
            ("count", "integer", false),
            ("eventTime", "MicroTime", false),
            ("firstTimestamp", "Time", false),
            ("involvedObject", "ObjectReference", true),
            ("lastTimestamp", "Time", false),
            ("message", "string", false),
            ("reason", "string", false),
            ("related", "ObjectReference", false),
            ("reportingComponent", "string", false),
            ("reportingInstance", "string", false),
            ("series", "EventSeries", false),
            ("source", "EventSource", false),
            ("type", "string", false),
        ],
        _ => &[],
    };
    f.extend_from_slice(extra);
    f.sort_by_key(|x| x.0);
    f
}

/// The `spec` fields of the kinds kstate describes that deeply.
pub(crate) fn spec(kind: &Kind) -> Option<Vec<Field>> {
    let f: &[Field] = match kind.kind {
        "Pod" => &[
            ("activeDeadlineSeconds", "integer", false),
            ("affinity", "Affinity", false),
            ("automountServiceAccountToken", "boolean", false),
            ("containers", "[]Container", true),
            ("dnsConfig", "PodDNSConfig", false),
            ("dnsPolicy", "string", false),
            ("enableServiceLinks", "boolean", false),
            ("hostname", "string", false),
            ("initContainers", "[]Container", false),
            ("nodeName", "string", false),
            ("nodeSelector", "map[string]string", false),
            ("priority", "integer", false),
            ("priorityClassName", "string", false),
            ("readinessGates", "[]PodReadinessGate", false),
            ("restartPolicy", "string", false),
            ("schedulerName", "string", false),
            ("securityContext", "PodSecurityContext", false),
            ("serviceAccountName", "string", false),
            ("subdomain", "string", false),
            ("terminationGracePeriodSeconds", "integer", false),
            ("tolerations", "[]Toleration", false),
            ("topologySpreadConstraints", "[]TopologySpreadConstraint", false),
            ("volumes", "[]Volume", false),
        ],
        "StatefulSet" => &[
            ("minReadySeconds", "integer", false),
            ("ordinals", "StatefulSetOrdinals", false),
            ("persistentVolumeClaimRetentionPolicy", "StatefulSetPersistentVolumeClaimRetentionPolicy", false),
            ("podManagementPolicy", "string", false),
            ("replicas", "integer", false),
            ("revisionHistoryLimit", "integer", false),
            ("selector", "LabelSelector", true),
            ("serviceName", "string", false),
            ("template", "PodTemplateSpec", true),
            ("updateStrategy", "StatefulSetUpdateStrategy", false),
            ("volumeClaimTemplates", "[]PersistentVolumeClaim", false),
        ],
        "PersistentVolumeClaim" => &[
            ("accessModes", "[]string", false),
            ("dataSource", "TypedLocalObjectReference", false),
            ("dataSourceRef", "TypedObjectReference", false),
            ("resources", "VolumeResourceRequirements", false),
            ("selector", "LabelSelector", false),
            ("storageClassName", "string", false),
            ("volumeAttributesClassName", "string", false),
            ("volumeMode", "string", false),
            ("volumeName", "string", false),
        ],
        "Service" => &[
            ("allocateLoadBalancerNodePorts", "boolean", false),
            ("clusterIP", "string", false),
            ("clusterIPs", "[]string", false),
            ("externalIPs", "[]string", false),
            ("externalName", "string", false),
            ("externalTrafficPolicy", "string", false),
            ("healthCheckNodePort", "integer", false),
            ("internalTrafficPolicy", "string", false),
            ("ipFamilies", "[]string", false),
            ("ipFamilyPolicy", "string", false),
            ("loadBalancerClass", "string", false),
            ("loadBalancerIP", "string", false),
            ("loadBalancerSourceRanges", "[]string", false),
            ("ports", "[]ServicePort", false),
            ("publishNotReadyAddresses", "boolean", false),
            ("selector", "map[string]string", false),
            ("sessionAffinity", "string", false),
            ("sessionAffinityConfig", "SessionAffinityConfig", false),
            ("trafficDistribution", "string", false),
            ("type", "string", false),
        ],
        _ => return None,
    };
    Some(f.to_vec())
}

pub(crate) fn description(kind: &Kind) -> String {
    match kind.kind {
        "Pod" => "Pod is a collection of containers that can run on a host. This resource is\n    created by clients and scheduled onto hosts.".into(),
        "StatefulSet" => "StatefulSet represents a set of pods with consistent identities. Identities\n    are defined as:\n      - Network: A single stable DNS and hostname.\n      - Storage: As many VolumeClaims as requested.\n    \n    The StatefulSet guarantees that a given network identity will always map to\n    the same storage identity.".into(),
        "PersistentVolumeClaim" => "PersistentVolumeClaim is a user's request for and claim to a persistent\n    volume".into(),
        "Service" => "Service is a named abstraction of software service (for example, mysql)\n    consisting of local port (for example 3306) that the proxy listens on, and\n    the selector that determines which pods will answer requests sent through\n    the proxy.".into(),
        other => format!("{other} (kstate serves this kind; see the Kubernetes API reference)."),
    }
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let Some(resource) = req.resource else {
        return Err(Error::Usage {
            cmd: "explain".into(),
            msg: "You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.".into(),
        });
    };
    let (typed, path) = match resource.split_once('.') {
        Some((t, p)) => (t, Some(p)),
        None => (resource.as_str(), None),
    };
    let kind = kinds::lookup(typed)
        .ok_or_else(|| Error::cli(format!("the server doesn't have a resource type \"{typed}\"")))?;
    let mut text = format!("KIND:       {}\nVERSION:    {}\n\n", kind.kind, kind.api_version());
    let fields = match path {
        None => {
            text.push_str(&format!("DESCRIPTION:\n    {}\n    \n", description(kind)));
            top(kind)
        }
        Some("spec") => {
            let ty = top(kind).into_iter().find(|f| f.0 == "spec").map(|f| f.1).unwrap_or("Object");
            let fields = spec(kind)
                .ok_or_else(|| Error::cli(format!("kstate does not describe the fields of {}.spec", kind.kind)))?;
            text.push_str(&format!("FIELD: spec <{ty}>\n\n\nDESCRIPTION:\n    Spec of the {}.\n    \n", kind.kind));
            fields
        }
        Some(p) => match top(kind).into_iter().find(|f| f.0 == p) {
            Some(f) => {
                text.push_str(&format!("FIELD: {} <{}>\n\n\nDESCRIPTION:\n    {}.\n    \n", f.0, f.1, f.0));
                Vec::new()
            }
            None => return Err(Error::cli(format!("field \"{}\" does not exist", p.split('.').next().unwrap_or(p)))),
        },
    };
    if !fields.is_empty() {
        text.push_str("FIELDS:\n");
        for (name, ty, required) in fields {
            let req = if required { " -required-" } else { "" };
            text.push_str(&format!("  {name}\t<{ty}>{req}\n\n"));
        }
    }
    ctx.out.write_all(text.as_bytes()).map_err(io)
}
