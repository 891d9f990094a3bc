//! One object of a build, with what kustomize remembers about it besides its current content:
//! the name and namespace it was read or generated with (name references are fixed against
//! those at the end, as kustomize's `FixBackReferences` does with its "original ids"), and
//! whether a content hash is still to be appended to its name.

use serde_json::Value;

#[derive(Debug, Clone)]
pub struct Resource {
    pub value: Value,
    /// Every name the object has had, oldest first (kustomize's original and previous ids).
    pub names: Vec<String>,
    pub orig_namespace: String,
    /// A generated ConfigMap or Secret whose name gets `-<hash>` at the end of the build.
    pub needs_hash: bool,
    /// The (prefix, suffix) pairs applied to the name, innermost kustomization first: name
    /// references prefer objects renamed like the referrer (kustomize's `prefixSuffixEquals`).
    pub affixes: Vec<(String, String)>,
}

impl Resource {
    pub fn new(value: Value) -> Resource {
        let name = str_at(&value, "/metadata/name").to_string();
        let namespace = str_at(&value, "/metadata/namespace").to_string();
        Resource { value, names: vec![name], orig_namespace: namespace, needs_hash: false, affixes: Vec::new() }
    }

    pub fn kind(&self) -> &str {
        str_at(&self.value, "/kind")
    }

    pub fn name(&self) -> &str {
        str_at(&self.value, "/metadata/name")
    }

    pub fn namespace(&self) -> &str {
        str_at(&self.value, "/metadata/namespace")
    }

    /// `(group, version)` of `apiVersion` (`apps/v1` → `("apps", "v1")`, `v1` → `("", "v1")`).
    pub fn group_version(&self) -> (&str, &str) {
        split_api_version(str_at(&self.value, "/apiVersion"))
    }

    pub fn set_name(&mut self, name: &str) {
        if let Some(meta) = self.value.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("name".into(), Value::String(name.to_string()));
        }
        if self.names.last().map(String::as_str) != Some(name) {
            self.names.push(name.to_string());
        }
    }

    /// Whether `name` is, or once was, this object's name.
    pub fn had_name(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// kustomize's `ResId.String()`: `Kind.version.group/name.namespace`, with its placeholders.
    pub fn id(&self) -> String {
        let (group, version) = self.group_version();
        let or = |s: &str, d: &str| if s.is_empty() { d.to_string() } else { s.to_string() };
        format!(
            "{}.{}.{}/{}.{}",
            or(self.kind(), "[noKind]"),
            or(version, "[noVer]"),
            or(group, "[noGrp]"),
            or(self.name(), "[noName]"),
            or(self.namespace(), "[noNs]")
        )
    }
}

pub fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    }
}

pub fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// Kinds kustomize treats as cluster-scoped (its built-in OpenAPI knows them): they get no
/// `metadata.namespace` from the `namespace` field.
pub fn is_cluster_scoped(kind: &str) -> bool {
    matches!(
        kind,
        "Namespace"
            | "Node"
            | "PersistentVolume"
            | "StorageClass"
            | "CustomResourceDefinition"
            | "ClusterRole"
            | "ClusterRoleBinding"
            | "PriorityClass"
            | "CSIDriver"
            | "CSINode"
            | "VolumeAttachment"
            | "ValidatingWebhookConfiguration"
            | "MutatingWebhookConfiguration"
            | "ValidatingAdmissionPolicy"
            | "ValidatingAdmissionPolicyBinding"
            | "APIService"
            | "IngressClass"
            | "RuntimeClass"
            | "PodSecurityPolicy"
            | "ComponentStatus"
            | "CertificateSigningRequest"
            | "VolumeSnapshotClass"
            | "VolumeSnapshotContent"
            | "FlowSchema"
            | "PriorityLevelConfiguration"
            | "TokenReview"
            | "SelfSubjectAccessReview"
            | "SelfSubjectRulesReview"
            | "SubjectAccessReview"
    )
}

/// kustomize's check of a resource read from a file: a kind and a name, reported with Go's
/// print of the object's `TypeMeta` and `ObjectMeta` parts (`{{v1 } {{a } map[] map[]}}`).
pub fn missing_type(v: &Value) -> Option<String> {
    let what = if str_at(v, "/kind").is_empty() {
        "missing kind in object"
    } else if str_at(v, "/metadata/name").is_empty() {
        "missing metadata.name in object"
    } else {
        return None;
    };
    let go_map = |pointer: &str| {
        let entries: Vec<String> = v
            .pointer(pointer)
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| format!("{k}:{}", v.as_str().unwrap_or_default())).collect())
            .unwrap_or_default();
        format!("map[{}]", entries.join(" "))
    };
    Some(format!(
        "{what} {{{{{} {}}} {{{{{} {}}} {} {}}}}}",
        str_at(v, "/apiVersion"),
        str_at(v, "/kind"),
        str_at(v, "/metadata/name"),
        str_at(v, "/metadata/namespace"),
        go_map("/metadata/labels"),
        go_map("/metadata/annotations")
    ))
}
