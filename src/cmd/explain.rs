//! `kstate explain TYPE[.FIELD...]`: the fields of the kinds kstate serves, in kubectl v1.32's
//! plaintext layout (`KIND:`, `VERSION:`, `FIELD:`, `DESCRIPTION:`, `FIELDS:` with `name\t<type>`).
//! kstate has no OpenAPI document: field names and types come from the Go types it decodes
//! (`types.schema`), or for kinds without them its lists of top-level fields; the long OpenAPI
//! descriptions are reduced to one line.

use super::{io, Context};
use crate::api::decode::schema::{schema, Struct, Ty};
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
    if let (Some(path), Some(root)) = (path, schema().kind(&kind.api_version(), kind.kind)) {
        text.push_str(&explain_path(kind.kind, root, path)?);
        return ctx.out.write_all(text.as_bytes()).map_err(io);
    }
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

/// `FIELD:` and `FIELDS:` for a dotted path below a kind whose Go types kstate knows
/// (`types.schema`): each step names a field of the struct reached so far, through lists and maps
/// of structs, as kubectl walks the OpenAPI schema.
fn explain_path(kind: &str, root: &Struct, path: &str) -> Result<String> {
    let mut here = root;
    let mut last = None;
    for step in path.split('.') {
        let Some(st) = last.map_or(Some(here), |(_, ty): (&str, &Ty)| struct_of(ty)) else {
            return Err(Error::cli(format!("field \"{step}\" does not exist")));
        };
        here = st;
        let field = here.field(step).ok_or_else(|| Error::cli(format!("field \"{step}\" does not exist")))?;
        last = Some((field.name, &field.ty));
    }
    let Some((name, ty)) = last else { return Ok(String::new()) };
    let description = if path == "spec" { format!("Spec of the {kind}") } else { name.to_string() };
    let mut text = format!("FIELD: {name} <{}>\n\n\nDESCRIPTION:\n    {description}.\n    \n", explain_type(ty));
    if let Some(st) = struct_of(ty) {
        text.push_str("FIELDS:\n");
        let mut fields: Vec<_> = st.fields.iter().collect();
        fields.sort_by_key(|f| f.name);
        for f in fields {
            // A json tag without omitempty is what Kubernetes' OpenAPI generator marks required
            // (Container.name, ServicePort.port, StatefulSetSpec.selector and .template).
            let required = if f.always && !f.pointer { " -required-" } else { "" };
            text.push_str(&format!("  {}\t<{}>{required}\n\n", f.name, explain_type(&f.ty)));
        }
    }
    Ok(text)
}

/// The struct a field's values are (itself, or the items of its list or map).
fn struct_of(ty: &Ty) -> Option<&'static Struct> {
    match ty {
        Ty::Struct(i) => schema().structs.get(*i),
        Ty::List(inner) | Ty::Map(inner) => struct_of(inner),
        _ => None,
    }
}

/// A type as kubectl's explain names it from the OpenAPI schema: JSON types for scalars, the
/// referenced definition's last name for structs and wrapped types.
fn explain_type(ty: &Ty) -> String {
    match ty {
        Ty::Str(_) | Ty::Bytes => "string".into(),
        Ty::Bool => "boolean".into(),
        Ty::Int32 | Ty::Int64 => "integer".into(),
        Ty::Float64 => "number".into(),
        Ty::Quantity => "Quantity".into(),
        Ty::IntOrString => "IntOrString".into(),
        Ty::Time => "Time".into(),
        Ty::Quantities => "map[string]Quantity".into(),
        Ty::Any => "Object".into(),
        Ty::List(inner) => format!("[]{}", explain_type(inner)),
        Ty::Map(inner) => format!("map[string]{}", explain_type(inner)),
        Ty::Struct(i) => {
            let display = schema().structs.get(*i).map_or("Object", |s| s.display);
            display.rsplit('.').next().unwrap_or(display).to_string()
        }
    }
}
