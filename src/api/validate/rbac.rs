//! RBAC validation (pkg/apis/rbac/validation): role and binding names are path segments, every
//! rule has verbs and either resources (with API groups) or non-resource URLs (cluster roles
//! only), and a binding's roleRef names a Role or ClusterRole of the RBAC group, for good.

use serde_json::Value;

use super::immutable::go_string_slice;
use super::names::{self, q};
use super::{meta, Causes};
use crate::api::object::ObjectExt;
use crate::error::FieldError;

const GROUP: &str = "rbac.authorization.k8s.io";

/// `path.IsValidPathSegmentName`, the only rule RBAC applies to its names.
pub(super) fn path_segment_name(name: &str, _prefix: bool) -> Vec<String> {
    if name == "." || name == ".." {
        return vec![format!("may not be '{name}'")];
    }
    ["/", "%"].iter().filter(|bad| name.contains(**bad)).map(|bad| format!("may not contain '{bad}'")).collect()
}

/// `ValidateRole` and `ValidateClusterRole`.
pub fn role(obj: &Value, c: &mut Causes) {
    let namespaced = obj.kind() == "Role";
    meta::object_meta(obj, namespaced, path_segment_name, c);
    for (i, rule) in obj.array_at("rules").iter().enumerate() {
        policy_rule(rule, namespaced, &format!("rules[{i}]"), c);
    }
}

fn list<'a>(rule: &'a Value, field: &str) -> &'a [Value] {
    rule.get(field).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// `validatePolicyRule`.
fn policy_rule(rule: &Value, namespaced: bool, path: &str, c: &mut Causes) {
    let (verbs, groups, resources, names, urls) = (
        list(rule, "verbs"),
        list(rule, "apiGroups"),
        list(rule, "resources"),
        list(rule, "resourceNames"),
        list(rule, "nonResourceURLs"),
    );
    if verbs.is_empty() {
        c.push(FieldError::required(format!("{path}.verbs"), "verbs must contain at least one value"));
    }
    if !urls.is_empty() {
        let shown = go_string_slice(urls);
        if namespaced {
            c.push(FieldError::invalid(
                format!("{path}.nonResourceURLs"),
                &shown,
                "namespaced rules cannot apply to non-resource URLs",
            ));
        }
        if !groups.is_empty() || !resources.is_empty() || !names.is_empty() {
            c.push(FieldError::invalid(
                format!("{path}.nonResourceURLs"),
                &shown,
                "rules cannot apply to both regular resources and non-resource URLs",
            ));
        }
        return;
    }
    if groups.is_empty() {
        c.push(FieldError::required(format!("{path}.apiGroups"), "resource rules must supply at least one api group"));
    }
    if resources.is_empty() {
        c.push(FieldError::required(format!("{path}.resources"), "resource rules must supply at least one resource"));
    }
    if !names.is_empty() && resources.len() > 1 {
        c.push(FieldError::required(
            format!("{path}.resourceNames"),
            "resource names cannot apply to multiple resources",
        ));
    }
}

/// `ValidateRoleBinding` and `ValidateClusterRoleBinding`.
pub fn binding(obj: &Value, c: &mut Causes) {
    let namespaced = obj.kind() == "RoleBinding";
    meta::object_meta(obj, namespaced, path_segment_name, c);
    let group = obj.str_at("roleRef.apiGroup");
    if group != GROUP {
        c.push(FieldError::unsupported("roleRef.apiGroup", group, &[GROUP]));
    }
    let kind = obj.str_at("roleRef.kind");
    let kinds: &[&str] = if namespaced { &["Role", "ClusterRole"] } else { &["ClusterRole"] };
    if !kinds.contains(&kind) {
        c.push(FieldError::unsupported("roleRef.kind", kind, kinds));
    }
    let name = obj.str_at("roleRef.name");
    if name.is_empty() {
        c.push(FieldError::required("roleRef.name", ""));
    }
    for msg in path_segment_name(name, false) {
        c.push(FieldError::invalid("roleRef.name", &q(name), &msg));
    }
    for (i, subject) in obj.array_at("subjects").iter().enumerate() {
        binding_subject(subject, namespaced, &format!("subjects[{i}]"), c);
    }
}

/// `validateRoleBindingSubject`.
fn binding_subject(subject: &Value, namespaced: bool, path: &str, c: &mut Causes) {
    let (name, group) = (subject.str_at("name"), subject.str_at("apiGroup"));
    if name.is_empty() {
        c.push(FieldError::required(format!("{path}.name"), ""));
    }
    match subject.str_at("kind") {
        "ServiceAccount" => {
            if !name.is_empty() {
                for msg in names::name_is_dns_subdomain(name, false) {
                    c.push(FieldError::invalid(format!("{path}.name"), &q(name), &msg));
                }
            }
            if !group.is_empty() {
                c.push(FieldError::unsupported(format!("{path}.apiGroup"), group, &[""]));
            }
            if !namespaced && subject.str_at("namespace").is_empty() {
                c.push(FieldError::required(format!("{path}.namespace"), ""));
            }
        }
        kind @ ("User" | "Group") => {
            if name.is_empty() {
                let what = if kind == "User" { "user" } else { "group" };
                c.push(FieldError::invalid(format!("{path}.name"), "\"\"", &format!("{what} name cannot be empty")));
            }
            if group != GROUP {
                c.push(FieldError::unsupported(format!("{path}.apiGroup"), group, &[GROUP]));
            }
        }
        other => c.push(FieldError::unsupported(format!("{path}.kind"), other, &["ServiceAccount", "User", "Group"])),
    }
}

/// `ValidateRoleBindingUpdate`: the roleRef never changes.
pub fn binding_update(old: &Value, new: &Value, c: &mut Causes) {
    binding(new, c);
    if old.get("roleRef") != new.get("roleRef") {
        let shown = format!(
            "rbac.RoleRef{{APIGroup:{}, Kind:{}, Name:{}}}",
            q(new.str_at("roleRef.apiGroup")),
            q(new.str_at("roleRef.kind")),
            q(new.str_at("roleRef.name"))
        );
        c.push(FieldError::invalid("roleRef", &shown, "cannot change roleRef"));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn causes(obj: Value) -> Vec<String> {
        let mut c = Causes::new();
        match obj.kind() {
            "Role" | "ClusterRole" => role(&obj, &mut c),
            _ => binding(&obj, &mut c),
        }
        c.into_iter().map(|e| format!("{}: {}", e.field, e.detail)).collect()
    }

    #[test]
    fn rules_need_verbs_and_resources_or_urls() {
        let role = json!({"kind": "Role", "metadata": {"name": "r", "namespace": "default"},
            "rules": [{"apiGroups": [""]}, {"verbs": ["get"], "nonResourceURLs": ["/healthz"]}]});
        assert_eq!(
            causes(role),
            [
                "rules[0].verbs: Required value: verbs must contain at least one value",
                "rules[0].resources: Required value: resource rules must supply at least one resource",
                "rules[1].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs",
            ]
        );
    }

    #[test]
    fn cluster_bindings_refer_to_cluster_roles_and_namespaced_service_accounts() {
        let b = json!({"kind": "ClusterRoleBinding", "metadata": {"name": "a/b"},
            "roleRef": {"apiGroup": GROUP, "kind": "Role", "name": "x"},
            "subjects": [{"kind": "ServiceAccount", "name": "sa"}, {"kind": "Robot", "name": "r"}]});
        assert_eq!(
            causes(b),
            [
                "metadata.name: Invalid value: \"a/b\": may not contain '/'",
                "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
                "subjects[0].namespace: Required value",
                "subjects[1].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"",
            ]
        );
    }
}
