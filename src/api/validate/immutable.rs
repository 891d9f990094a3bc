//! Update rules of pods, services and jobs (`ValidatePodUpdate`, `ValidateServiceUpdate`,
//! `ValidateJobSpecUpdate`): which parts of a stored spec may change.

use serde_json::{Map, Value};

use super::Causes;
use crate::api::object::ObjectExt;
use crate::error::FieldError;

/// v1.32's list of what a pod update may change. The server follows it with a diff of the Go
/// structs (`core.PodSpec{...}`), which kstate does not print.
pub const POD_FORBIDDEN: &str = "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/// A pod's spec may change only in its images, its deadline, added tolerations, removed
/// scheduling gates and a negative grace period set to 1.
pub fn pod(old: &Value, new: &Value, c: &mut Causes) {
    let old_spec = spec(old);
    let mut munged = spec(new);
    for list in ["containers", "initContainers"] {
        let olds = old_spec.get(list).and_then(Value::as_array);
        if let Some(Value::Array(items)) = munged.get_mut(list) {
            for (i, item) in items.iter_mut().enumerate() {
                let old_image = olds.and_then(|o| o.get(i)).and_then(|o| o.get("image")).cloned();
                if let (Some(image), Some(m)) = (old_image, item.as_object_mut()) {
                    m.insert("image".into(), image);
                }
            }
        }
    }
    keep(&old_spec, &mut munged, "activeDeadlineSeconds");
    let old_tolerations = old_spec.get("tolerations").and_then(Value::as_array).cloned().unwrap_or_default();
    let new_tolerations = munged.get("tolerations").and_then(Value::as_array).cloned().unwrap_or_default();
    if old_tolerations.iter().all(|t| new_tolerations.contains(t)) {
        keep(&old_spec, &mut munged, "tolerations");
    }
    let old_gates = old_spec.get("schedulingGates").and_then(Value::as_array).cloned().unwrap_or_default();
    let new_gates = munged.get("schedulingGates").and_then(Value::as_array).cloned().unwrap_or_default();
    if new_gates.iter().all(|g| old_gates.contains(g)) {
        keep(&old_spec, &mut munged, "schedulingGates");
    }
    let grace = |s: &Map<String, Value>| s.get("terminationGracePeriodSeconds").and_then(Value::as_i64);
    if grace(&old_spec).is_some_and(|g| g < 0) && grace(&munged) == Some(1) {
        keep(&old_spec, &mut munged, "terminationGracePeriodSeconds");
    }
    if munged != old_spec {
        c.push(FieldError::forbidden("spec", POD_FORBIDDEN));
    }
}

/// A Service's primary cluster IP may not change once set (unless it is or becomes an
/// ExternalName service).
pub fn service(old: &Value, new: &Value, c: &mut Causes) {
    if old.str_at("spec.type") == "ExternalName" || new.str_at("spec.type") == "ExternalName" {
        return;
    }
    let (o, n) = (old.array_at("spec.clusterIPs"), new.array_at("spec.clusterIPs"));
    if let (Some(first_old), Some(first_new)) = (o.first(), n.first()) {
        if first_old != first_new {
            c.push(FieldError::invalid("spec.clusterIPs[0]", &go_string_slice(n), "may not change once set"));
        }
    }
}

/// A Job's selector and (unless it is suspended) pod template are immutable; kstate cannot
/// print the Go struct the server shows as the value, so it shows the field's JSON.
pub fn job(old: &Value, new: &Value, c: &mut Causes) {
    for field in ["selector", "template"] {
        let path = format!("spec.{field}");
        if old.at(&path) != new.at(&path) {
            let shown = new.at(&path).map(Value::to_string).unwrap_or_else(|| "null".into());
            c.push(FieldError::invalid(path, &shown, "field is immutable"));
        }
    }
    for field in ["completionMode", "podFailurePolicy", "backoffLimitPerIndex"] {
        let path = format!("spec.{field}");
        if old.at(&path) != new.at(&path) {
            let shown = new.at(&path).map(Value::to_string).unwrap_or_else(|| "null".into());
            c.push(FieldError::invalid(path, &shown, "field is immutable"));
        }
    }
}

fn spec(obj: &Value) -> Map<String, Value> {
    obj.get("spec").and_then(Value::as_object).cloned().unwrap_or_default()
}

fn keep(old: &Map<String, Value>, new: &mut Map<String, Value>, field: &str) {
    match old.get(field) {
        Some(v) => new.insert(field.to_string(), v.clone()),
        None => new.remove(field),
    };
}

/// Go's `%#v` of a `[]string`.
pub(super) fn go_string_slice(items: &[Value]) -> String {
    let quoted: Vec<String> = items.iter().map(|v| format!("{:?}", v.as_str().unwrap_or_default())).collect();
    format!("[]string{{{}}}", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn causes(f: fn(&Value, &Value, &mut Causes), old: Value, new: Value) -> Vec<String> {
        let mut c = Causes::new();
        f(&old, &new, &mut c);
        c.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn pods_may_change_images_and_add_tolerations_only() {
        let old = json!({"spec": {"containers": [{"name": "c", "image": "a"}], "tolerations": [{"key": "k"}]}});
        let ok = json!({"spec": {"containers": [{"name": "c", "image": "b"}],
                                 "tolerations": [{"key": "k"}, {"key": "l"}], "activeDeadlineSeconds": 5}});
        assert!(causes(pod, old.clone(), ok).is_empty());
        let bad = json!({"spec": {"containers": [{"name": "c", "image": "a", "ports": [{"containerPort": 80}]}],
                                  "tolerations": [{"key": "k"}]}});
        assert_eq!(causes(pod, old.clone(), bad), vec![format!("spec: Forbidden: {POD_FORBIDDEN}")]);
        let removed = json!({"spec": {"containers": [{"name": "c", "image": "a"}]}});
        assert_eq!(causes(pod, old, removed).len(), 1);
    }

    #[test]
    fn a_service_keeps_its_cluster_ip() {
        let old = json!({"spec": {"clusterIPs": ["10.96.0.9"]}});
        let new = json!({"spec": {"clusterIPs": ["10.96.0.10"]}});
        assert_eq!(
            causes(service, old.clone(), new),
            vec!["spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.10\"}: may not change once set"]
        );
        assert!(causes(service, old.clone(), old).is_empty());
    }

    #[test]
    fn a_job_template_is_immutable() {
        let old = json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "a"}]}}}});
        let new = json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "b"}]}}}});
        let got = causes(job, old, new);
        assert_eq!(got.len(), 1);
        assert!(got[0].starts_with("spec.template: Invalid value: {") && got[0].ends_with(": field is immutable"));
    }
}
