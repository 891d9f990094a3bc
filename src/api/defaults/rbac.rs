//! rbac/v1 defaults (pkg/apis/rbac/v1/defaults.go): a binding's roleRef and its User and Group
//! subjects name the RBAC group when they leave it out.

use serde_json::{json, Value};

use super::{default, obj_mut};

const GROUP: &str = "rbac.authorization.k8s.io";

/// `SetDefaults_RoleBinding`, `SetDefaults_ClusterRoleBinding` and `SetDefaults_Subject`.
pub fn binding(obj: &mut Value) {
    if let Some(role_ref) = obj_mut(obj, "roleRef") {
        default(role_ref, "apiGroup", json!(GROUP));
    }
    let Some(subjects) = obj.get_mut("subjects").and_then(Value::as_array_mut) else { return };
    for subject in subjects.iter_mut().filter_map(Value::as_object_mut) {
        let kind = subject.get("kind").and_then(Value::as_str).unwrap_or_default();
        if matches!(kind, "User" | "Group") {
            default(subject, "apiGroup", json!(GROUP));
        }
    }
}
