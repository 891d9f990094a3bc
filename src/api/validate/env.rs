//! A container's environment (`ValidateEnv`, `ValidateEnvFrom`) and the downward API field
//! selectors env vars and volume files share, v1.32.

use serde_json::Value;

use super::names::{self, q};
use super::pod_volumes::selector_key;
use super::Causes;
use crate::api::object::ObjectExt;
use crate::error::FieldError;

/// The fieldRef paths an env var may name (sorted, as `sets.List` gives them).
const ENV_FIELD_PATHS: [&str; 9] = [
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// Every field label the downward API converts (`ConvertDownwardAPIFieldLabel`, v1).
const DOWNWARD_LABELS: [&str; 14] = [
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.serviceAccountName",
    "spec.schedulerName",
    "status.phase",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

const RESOURCE_FIELD_PATHS: [&str; 6] = [
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
];

fn present<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key).filter(|s| !s.is_null())
}

/// `IsRelaxedEnvVarName`, the v1.32 default (RelaxedEnvironmentVariableValidation is beta and
/// on): printable ASCII other than '='.
fn env_var_name(name: &str) -> Vec<String> {
    if name.chars().all(|ch| (' '..='~').contains(&ch) && ch != '=') {
        Vec::new()
    } else {
        vec!["a valid environment variable name must consist only of printable ASCII characters other than '='".into()]
    }
}

/// `ValidateEnv`: a name, then where the value comes from.
pub fn env(ctr: &Value, path: &str, c: &mut Causes) {
    for (i, ev) in ctr.array_at("env").iter().enumerate() {
        let name = ev.str_at("name");
        if name.is_empty() {
            c.push(FieldError::required(format!("{path}[{i}].name"), ""));
        } else {
            for msg in env_var_name(name) {
                c.push(FieldError::invalid(format!("{path}[{i}].name"), &q(name), &msg));
            }
        }
        if let Some(from) = present(ev, "valueFrom") {
            value_from(from, !ev.str_at("value").is_empty(), &format!("{path}[{i}].valueFrom"), c);
        }
    }
}

/// `validateEnvVarValueFrom`: each source's own checks, then exactly one source and no `value`.
fn value_from(from: &Value, has_value: bool, path: &str, c: &mut Causes) {
    let mut sources = 0;
    if let Some(f) = present(from, "fieldRef") {
        sources += 1;
        object_field_selector(f, &ENV_FIELD_PATHS, &format!("{path}.fieldRef"), c);
    }
    if let Some(r) = present(from, "resourceFieldRef") {
        sources += 1;
        resource_field_selector(r, false, &format!("{path}.resourceFieldRef"), c);
    }
    for key in ["configMapKeyRef", "secretKeyRef"] {
        if let Some(s) = present(from, key) {
            sources += 1;
            key_selector(s, &format!("{path}.{key}"), c);
        }
    }
    let detail = match sources {
        0 => "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        _ if has_value => "may not be specified when `value` is not empty",
        1 => return,
        _ => "may not have more than one field specified at a time",
    };
    c.push(FieldError::invalid(path, "\"\"", detail));
}

/// `validateConfigMapKeySelector` / `validateSecretKeySelector`: a DNS subdomain name (empty
/// fails it too) and a config key.
fn key_selector(s: &Value, path: &str, c: &mut Causes) {
    let name = s.str_at("name");
    for msg in names::dns1123_subdomain(name) {
        c.push(FieldError::invalid(format!("{path}.name"), &q(name), &msg));
    }
    selector_key(s.str_at("key"), &format!("{path}.key"), c);
}

/// A `metadata.labels['x']` style path: the base and the subscript.
fn split_subscript(p: &str) -> Option<(&str, &str)> {
    let inner = p.strip_suffix("']")?;
    let open = inner.find("['")?;
    Some((&inner[..open], &inner[open + 2..]))
}

/// `validateObjectFieldSelector`: apiVersion and fieldPath required, a label the downward API
/// knows, and one of `allowed` (or a subscript of labels or annotations).
pub fn object_field_selector(f: &Value, allowed: &[&str], path: &str, c: &mut Causes) {
    let (version, field) = (f.str_at("apiVersion"), f.str_at("fieldPath"));
    if version.is_empty() {
        c.push(FieldError::required(format!("{path}.apiVersion"), ""));
        return;
    }
    if field.is_empty() {
        c.push(FieldError::required(format!("{path}.fieldPath"), ""));
        return;
    }
    let conversion = if version != "v1" {
        Err(format!("unsupported pod version: {version}"))
    } else if let Some((base, _)) = split_subscript(field) {
        match base {
            "metadata.annotations" | "metadata.labels" => Ok(()),
            _ => Err(format!("field label does not support subscript: {field}")),
        }
    } else if DOWNWARD_LABELS.contains(&field) || field == "spec.host" {
        Ok(())
    } else {
        Err(format!("field label not supported: {field}"))
    };
    if let Err(e) = conversion {
        let msg = format!("error converting fieldPath: {e}");
        c.push(FieldError::invalid(format!("{path}.fieldPath"), &q(field), &msg));
        return;
    }
    let field = if field == "spec.host" { "spec.nodeName" } else { field };
    match split_subscript(field) {
        Some((base, key)) => {
            let key = if base == "metadata.annotations" { key.to_lowercase() } else { key.to_string() };
            for msg in names::qualified_name(&key) {
                c.push(FieldError::invalid(path, &q(&key), &msg));
            }
        }
        None if !allowed.contains(&field) => {
            c.push(FieldError::unsupported(format!("{path}.fieldPath"), field, allowed))
        }
        None => {}
    }
}

/// `validateContainerResourceFieldSelector`; a volume file must also name its container.
pub fn resource_field_selector(r: &Value, volume: bool, path: &str, c: &mut Causes) {
    let resource = r.str_at("resource");
    if volume && r.str_at("containerName").is_empty() {
        c.push(FieldError::required(format!("{path}.containerName"), ""));
    } else if resource.is_empty() {
        c.push(FieldError::required(format!("{path}.resource"), ""));
    } else if !RESOURCE_FIELD_PATHS.contains(&resource)
        && !resource.starts_with("limits.hugepages-")
        && !resource.starts_with("requests.hugepages-")
    {
        c.push(FieldError::unsupported(format!("{path}.resource"), resource, &RESOURCE_FIELD_PATHS));
    }
}

/// `ValidateEnvFrom`: a prefix that is a valid name, and exactly one source with a name.
pub fn env_from(ctr: &Value, path: &str, c: &mut Causes) {
    for (i, ev) in ctr.array_at("envFrom").iter().enumerate() {
        let prefix = ev.str_at("prefix");
        for msg in env_var_name(prefix) {
            c.push(FieldError::invalid(format!("{path}[{i}].prefix"), &q(prefix), &msg));
        }
        let mut sources = 0;
        for key in ["configMapRef", "secretRef"] {
            let Some(src) = present(ev, key) else { continue };
            sources += 1;
            let name = src.str_at("name");
            let at = format!("{path}[{i}].{key}.name");
            if name.is_empty() {
                c.push(FieldError::required(at, ""));
            } else {
                for msg in names::name_is_dns_subdomain(name, true) {
                    c.push(FieldError::invalid(at.clone(), &q(name), &msg));
                }
            }
        }
        // Both errors name the list, not the entry.
        match sources {
            0 => c.push(FieldError::invalid(path, "\"\"", "must specify one of: `configMapRef` or `secretRef`")),
            1 => {}
            _ => c.push(FieldError::invalid(path, "\"\"", "may not have more than one field specified at a time")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relaxed_env_names_allow_printable_ascii_but_equals() {
        assert!(env_var_name("1x").is_empty());
        assert!(env_var_name("MY VAR.with-dash").is_empty());
        assert_eq!(env_var_name("A=B").len(), 1);
        assert_eq!(env_var_name("tab\there").len(), 1);
        assert_eq!(env_var_name("é").len(), 1);
    }

    #[test]
    fn subscripts_split() {
        assert_eq!(split_subscript("metadata.labels['app']"), Some(("metadata.labels", "app")));
        assert_eq!(split_subscript("metadata.name"), None);
    }
}
