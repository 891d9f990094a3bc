//! The resource types kstate serves: names, short names, groups and scope, as discovery reports them.

/// One served resource type.
#[derive(Debug, PartialEq, Eq)]
pub struct Kind {
    pub kind: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub short: &'static [&'static str],
    /// API group; empty for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub namespaced: bool,
}

impl Kind {
    /// `apps/v1`, or `v1` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The resource as API errors name it: `pods`, `statefulsets.apps`.
    pub fn resource(&self) -> String {
        qualify(self.plural, self.group)
    }

    /// The prefix of `-o name` and of success messages: `pod`, `statefulset.apps`.
    pub fn name_prefix(&self) -> String {
        qualify(&self.kind.to_lowercase(), self.group)
    }

    /// Does a user-typed resource name (`po`, `pods`, `statefulset.apps`, `sts`) mean this kind?
    fn matches(&self, typed: &str) -> bool {
        let (base, group) = match typed.split_once('.') {
            Some((b, g)) => (b, Some(g)),
            None => (typed, None),
        };
        if let Some(g) = group {
            // autoscaling/v1 is served beside v2: `hpa.v1.autoscaling` names the same objects.
            let other_version = self.kind == super::hpa_v1::KIND.kind && g == "v1.autoscaling";
            let g_ok = g == self.group || g == format!("{}.{}", self.version, self.group) || other_version;
            if !g_ok {
                return false;
            }
        }
        base == self.plural
            || base == self.singular
            || base.eq_ignore_ascii_case(self.kind)
            || self.short.contains(&base)
    }

    /// A name with the start of its group, after an optional version (`hpa.autoscal`,
    /// `deploy.ap`, `hpa.v2.autoscal`): kubectl's REST mapper tries this when nothing matched
    /// exactly.
    fn matches_group_prefix(&self, typed: &str) -> bool {
        let Some((base, rest)) = typed.split_once('.') else { return false };
        let prefix = match rest.split_once('.') {
            Some((version, g)) if version == self.version => g,
            _ => rest,
        };
        !prefix.is_empty() && !self.group.is_empty() && self.group.starts_with(prefix) && self.matches(base)
    }
}

fn qualify(base: &str, group: &str) -> String {
    if group.is_empty() {
        base.to_string()
    } else {
        format!("{base}.{group}")
    }
}

macro_rules! kind {
    ($kind:literal, $plural:literal, [$($short:literal),*], $group:literal, $ns:literal) => {
        Kind {
            kind: $kind,
            plural: $plural,
            singular: "",
            short: &[$($short),*],
            group: $group,
            version: "v1",
            namespaced: $ns,
        }
    };
}

const fn with_singular(mut k: Kind, singular: &'static str) -> Kind {
    k.singular = singular;
    k
}

pub static POD: Kind = with_singular(kind!("Pod", "pods", ["po"], "", true), "pod");
pub static SERVICE: Kind = with_singular(kind!("Service", "services", ["svc"], "", true), "service");
pub static STATEFULSET: Kind =
    with_singular(kind!("StatefulSet", "statefulsets", ["sts"], "apps", true), "statefulset");
pub static PVC: Kind =
    with_singular(kind!("PersistentVolumeClaim", "persistentvolumeclaims", ["pvc"], "", true), "persistentvolumeclaim");
pub static PV: Kind =
    with_singular(kind!("PersistentVolume", "persistentvolumes", ["pv"], "", false), "persistentvolume");
pub static STORAGECLASS: Kind =
    with_singular(kind!("StorageClass", "storageclasses", ["sc"], "storage.k8s.io", false), "storageclass");
pub static NAMESPACE: Kind = with_singular(kind!("Namespace", "namespaces", ["ns"], "", false), "namespace");
pub static NODE: Kind = with_singular(kind!("Node", "nodes", ["no"], "", false), "node");
pub static EVENT: Kind = with_singular(kind!("Event", "events", ["ev"], "", true), "event");
pub static CONTROLLERREVISION: Kind =
    with_singular(kind!("ControllerRevision", "controllerrevisions", [], "apps", true), "controllerrevision");
pub static ENDPOINTS: Kind = with_singular(kind!("Endpoints", "endpoints", ["ep"], "", true), "endpoints");
pub static ENDPOINTSLICE: Kind =
    with_singular(kind!("EndpointSlice", "endpointslices", [], "discovery.k8s.io", true), "endpointslice");
pub static CONFIGMAP: Kind = with_singular(kind!("ConfigMap", "configmaps", ["cm"], "", true), "configmap");
pub static SECRET: Kind = with_singular(kind!("Secret", "secrets", [], "", true), "secret");
pub static PODTEMPLATE: Kind = with_singular(kind!("PodTemplate", "podtemplates", [], "", true), "podtemplate");
pub static REPLICATIONCONTROLLER: Kind =
    with_singular(kind!("ReplicationController", "replicationcontrollers", ["rc"], "", true), "replicationcontroller");
pub static RESOURCEQUOTA: Kind =
    with_singular(kind!("ResourceQuota", "resourcequotas", ["quota"], "", true), "resourcequota");
pub static LIMITRANGE: Kind = with_singular(kind!("LimitRange", "limitranges", ["limits"], "", true), "limitrange");
pub static SERVICEACCOUNT: Kind =
    with_singular(kind!("ServiceAccount", "serviceaccounts", ["sa"], "", true), "serviceaccount");
pub static PDB: Kind =
    with_singular(kind!("PodDisruptionBudget", "poddisruptionbudgets", ["pdb"], "policy", true), "poddisruptionbudget");
pub static PRIORITYCLASS: Kind =
    with_singular(kind!("PriorityClass", "priorityclasses", ["pc"], "scheduling.k8s.io", false), "priorityclass");
pub static LEASE: Kind = with_singular(kind!("Lease", "leases", [], "coordination.k8s.io", true), "lease");
pub static DEPLOYMENT: Kind = with_singular(kind!("Deployment", "deployments", ["deploy"], "apps", true), "deployment");
pub static REPLICASET: Kind = with_singular(kind!("ReplicaSet", "replicasets", ["rs"], "apps", true), "replicaset");
pub static DAEMONSET: Kind = with_singular(kind!("DaemonSet", "daemonsets", ["ds"], "apps", true), "daemonset");
pub static JOB: Kind = with_singular(kind!("Job", "jobs", [], "batch", true), "job");
pub static CRONJOB: Kind = with_singular(kind!("CronJob", "cronjobs", ["cj"], "batch", true), "cronjob");
pub static HPA: Kind = Kind {
    version: "v2",
    ..with_singular(
        kind!("HorizontalPodAutoscaler", "horizontalpodautoscalers", ["hpa"], "autoscaling", true),
        "horizontalpodautoscaler",
    )
};

pub static CRD: Kind = with_singular(
    kind!("CustomResourceDefinition", "customresourcedefinitions", ["crd", "crds"], "apiextensions.k8s.io", false),
    "customresourcedefinition",
);

pub static VOLUMESNAPSHOTCLASS: Kind = with_singular(
    kind!("VolumeSnapshotClass", "volumesnapshotclasses", ["vsclass", "vsclasses"], "snapshot.storage.k8s.io", false),
    "volumesnapshotclass",
);
pub static VOLUMESNAPSHOTCONTENT: Kind = with_singular(
    kind!("VolumeSnapshotContent", "volumesnapshotcontents", ["vsc", "vscs"], "snapshot.storage.k8s.io", false),
    "volumesnapshotcontent",
);
pub static VOLUMESNAPSHOT: Kind = with_singular(
    kind!("VolumeSnapshot", "volumesnapshots", ["vs"], "snapshot.storage.k8s.io", true),
    "volumesnapshot",
);

pub static CSIDRIVER: Kind = with_singular(kind!("CSIDriver", "csidrivers", [], "storage.k8s.io", false), "csidriver");
pub static CSINODE: Kind = with_singular(kind!("CSINode", "csinodes", [], "storage.k8s.io", false), "csinode");
pub static VOLUMEATTACHMENT: Kind =
    with_singular(kind!("VolumeAttachment", "volumeattachments", [], "storage.k8s.io", false), "volumeattachment");

pub static INGRESSCLASS: Kind =
    with_singular(kind!("IngressClass", "ingressclasses", [], "networking.k8s.io", false), "ingressclass");
pub static INGRESS: Kind = with_singular(kind!("Ingress", "ingresses", ["ing"], "networking.k8s.io", true), "ingress");
pub static NETWORKPOLICY: Kind =
    with_singular(kind!("NetworkPolicy", "networkpolicies", ["netpol"], "networking.k8s.io", true), "networkpolicy");

pub static CLUSTERROLEBINDING: Kind = with_singular(
    kind!("ClusterRoleBinding", "clusterrolebindings", [], "rbac.authorization.k8s.io", false),
    "clusterrolebinding",
);
pub static CLUSTERROLE: Kind =
    with_singular(kind!("ClusterRole", "clusterroles", [], "rbac.authorization.k8s.io", false), "clusterrole");
pub static ROLEBINDING: Kind =
    with_singular(kind!("RoleBinding", "rolebindings", [], "rbac.authorization.k8s.io", true), "rolebinding");
pub static ROLE: Kind = with_singular(kind!("Role", "roles", [], "rbac.authorization.k8s.io", true), "role");

/// Every kind, in the order `kubectl api-resources` lists them (core group first).
pub static ALL: [&Kind; 42] = [
    &CONFIGMAP,
    &ENDPOINTS,
    &EVENT,
    &LIMITRANGE,
    &NAMESPACE,
    &NODE,
    &PVC,
    &PV,
    &POD,
    &PODTEMPLATE,
    &REPLICATIONCONTROLLER,
    &RESOURCEQUOTA,
    &SECRET,
    &SERVICEACCOUNT,
    &SERVICE,
    &CONTROLLERREVISION,
    &DAEMONSET,
    &DEPLOYMENT,
    &REPLICASET,
    &STATEFULSET,
    &CRD,
    &HPA,
    &CRONJOB,
    &JOB,
    &LEASE,
    &ENDPOINTSLICE,
    &INGRESSCLASS,
    &INGRESS,
    &NETWORKPOLICY,
    &PDB,
    &CLUSTERROLEBINDING,
    &CLUSTERROLE,
    &ROLEBINDING,
    &ROLE,
    &PRIORITYCLASS,
    &VOLUMESNAPSHOTCLASS,
    &VOLUMESNAPSHOTCONTENT,
    &VOLUMESNAPSHOT,
    &CSIDRIVER,
    &CSINODE,
    &STORAGECLASS,
    &VOLUMEATTACHMENT,
];

/// The kind a user means by `typed` (`po`, `pods`, `Pod`, `statefulsets.apps`), if kstate serves it
/// (built in, or served by a CustomResourceDefinition at its preferred version).
pub fn lookup(typed: &str) -> Option<&'static Kind> {
    let lower = typed.to_ascii_lowercase();
    ALL.iter()
        .copied()
        .find(|k| k.matches(&lower))
        .or_else(|| super::custom::preferred_kinds().into_iter().find(|k| k.matches(&lower)))
        .or_else(|| ALL.iter().copied().find(|k| k.matches_group_prefix(&lower)))
        .or_else(|| super::custom::preferred_kinds().into_iter().find(|k| k.matches_group_prefix(&lower)))
}

/// The kind named by a manifest's `kind` field.
pub fn by_kind(kind: &str) -> Option<&'static Kind> {
    ALL.iter().copied().find(|k| k.kind == kind).or_else(|| super::custom::definition(kind).map(|d| d.kind()))
}

/// Every served kind: the built-in ones, then each served version of each CustomResourceDefinition.
pub fn all() -> Vec<&'static Kind> {
    let mut out: Vec<&'static Kind> = ALL.to_vec();
    out.extend(super::custom::kinds());
    out
}

/// What discovery lists: [`all`], and autoscaling/v1's HorizontalPodAutoscaler, served beside
/// v2 (the preferred version) though kept out of the kinds table.
pub fn served() -> Vec<&'static Kind> {
    let mut out = all();
    out.push(&super::hpa_v1::KIND);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_kinds_by_every_name() {
        for typed in ["po", "pod", "pods", "Pod", "pods.v1."] {
            let found = lookup(typed).map(|k| k.kind);
            assert!(found == Some("Pod") || typed.ends_with('.'), "{typed}");
        }
        assert_eq!(lookup("sts").unwrap().kind, "StatefulSet");
        assert_eq!(lookup("statefulsets.apps").unwrap().kind, "StatefulSet");
        assert_eq!(lookup("statefulset.v1.apps").unwrap().kind, "StatefulSet");
        assert_eq!(lookup("pvc").unwrap().kind, "PersistentVolumeClaim");
        assert_eq!(lookup("deploy").unwrap().kind, "Deployment");
        assert_eq!(lookup("hpa").unwrap().api_version(), "autoscaling/v2");
        assert_eq!(lookup("jobs.batch").unwrap().kind, "Job");
        assert_eq!(lookup("vs").unwrap().kind, "VolumeSnapshot");
        assert_eq!(lookup("vsc").unwrap().kind, "VolumeSnapshotContent");
        assert_eq!(lookup("vsclass").unwrap().kind, "VolumeSnapshotClass");
        assert_eq!(lookup("volumesnapshots.snapshot.storage.k8s.io").unwrap().kind, "VolumeSnapshot");
        assert_eq!(lookup("netpol").unwrap().kind, "NetworkPolicy");
        assert_eq!(lookup("ing").unwrap().kind, "Ingress");
        assert_eq!(lookup("clusterrolebindings.rbac.authorization.k8s.io").unwrap().kind, "ClusterRoleBinding");
        assert_eq!(lookup("hpa.autoscal").unwrap().kind, "HorizontalPodAutoscaler");
        assert_eq!(lookup("horizontalpodautoscalers.autoscal").unwrap().kind, "HorizontalPodAutoscaler");
        assert_eq!(lookup("hpa.v2.autoscal").unwrap().kind, "HorizontalPodAutoscaler");
        // autoscaling/v1 is served too: its names find the (stored) v2 kind, as kubectl's
        // expansion of `hpa` does.
        assert_eq!(lookup("hpa.v1.autoscaling").unwrap().api_version(), "autoscaling/v2");
        assert_eq!(lookup("horizontalpodautoscalers.v1.autoscaling").unwrap().kind, "HorizontalPodAutoscaler");
        assert!(lookup("deployments.v1.autoscaling").is_none());
        assert_eq!(lookup("deploy.ap").unwrap().kind, "Deployment");
        assert!(lookup("horizontalpodautoscaler.autoscaling.k8s").is_none());
        assert!(lookup("runtimeclasses").is_none());
        assert!(lookup("pods.apps").is_none());
    }

    #[test]
    fn names_resources_like_the_api() {
        assert_eq!(STATEFULSET.resource(), "statefulsets.apps");
        assert_eq!(STATEFULSET.name_prefix(), "statefulset.apps");
        assert_eq!(POD.resource(), "pods");
        assert_eq!(STORAGECLASS.name_prefix(), "storageclass.storage.k8s.io");
        assert_eq!(STATEFULSET.api_version(), "apps/v1");
    }
}
