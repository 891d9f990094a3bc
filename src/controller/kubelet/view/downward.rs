//! The downward API: a pod's own fields (`fieldRef`) and its containers' resources
//! (`resourceFieldRef`), resolved as the kubelet resolves them for environment variables and for
//! downwardAPI volume files. Errors carry the kubelet's words, since they end up in a container's
//! `CreateContainerConfigError` message.

use serde_json::Value;

use crate::api::object::Labels;
use crate::api::quantity::Quantity;
use crate::api::ObjectExt;

/// The resources a `resourceFieldRef` may name (besides `hugepages-<size>`). A missing limit of
/// any of them is filled from the node's allocatable first, so a container without a limit sees
/// the whole node.
const RESOURCES: [&str; 3] = ["cpu", "memory", "ephemeral-storage"];

/// The node facts a fieldRef may ask for: the addresses of the pod's host.
#[derive(Debug, Clone, Default)]
pub struct Host {
    pub ips: Vec<String>,
}

impl Host {
    /// The node's InternalIP addresses (as the kubelet's own node reports them), or the pod's
    /// `status.hostIPs` when the node is unknown.
    pub fn of(node: Option<&Value>, pod: &Value) -> Host {
        let from_node: Vec<String> = node
            .map(|n| n.array_at("status.addresses"))
            .unwrap_or(&[])
            .iter()
            .filter(|a| a.str_at("type") == "InternalIP")
            .map(|a| a.str_at("address").to_string())
            .collect();
        let ips = if from_node.is_empty() {
            pod.array_at("status.hostIPs").iter().map(|a| a.str_at("ip").to_string()).collect()
        } else {
            from_node
        };
        Host { ips }
    }
}

/// A `fieldRef` for an environment variable (`podFieldSelectorRuntimeValue`): the pod's
/// metadata plus the node name, service account and addresses.
pub fn env_field(pod: &Value, host: &Host, field: &Value) -> Result<String, String> {
    let path = converted_path(field)?;
    let pod_ips: Vec<&str> = pod.array_at("status.podIPs").iter().map(|a| a.str_at("ip")).collect();
    let pod_ip = pod_ips.first().copied().unwrap_or_else(|| pod.str_at("status.podIP"));
    Ok(match path.as_str() {
        "spec.nodeName" | "spec.serviceAccountName" => pod.str_at(&path).to_string(),
        "status.hostIP" => host.ips.first().cloned().unwrap_or_default(),
        "status.hostIPs" => host.ips.join(","),
        "status.podIP" => pod_ip.to_string(),
        "status.podIPs" => pod_ips.join(","),
        _ => return metadata_field(pod, &path),
    })
}

/// `ConvertDownwardAPIFieldLabel`: the paths the kubelet accepts at all (`spec.host` is the old
/// spelling of `spec.nodeName`).
fn converted_path(field: &Value) -> Result<String, String> {
    let version = match field.str_at("apiVersion") {
        "" => "v1",
        v => v,
    };
    if version != "v1" {
        return Err(format!("unsupported pod version: {version}"));
    }
    let path = field.str_at("fieldPath");
    let bare = split_subscript(path).map_or(path, |(p, _)| p);
    match bare {
        "spec.host" => Ok("spec.nodeName".to_string()),
        "metadata.annotations"
        | "metadata.labels"
        | "metadata.name"
        | "metadata.namespace"
        | "metadata.uid"
        | "spec.nodeName"
        | "spec.restartPolicy"
        | "spec.serviceAccountName"
        | "spec.schedulerName"
        | "status.phase"
        | "status.hostIP"
        | "status.hostIPs"
        | "status.podIP"
        | "status.podIPs" => Ok(path.to_string()),
        _ => Err(format!("field label not supported: {path}")),
    }
}

/// `ExtractFieldPathAsString`: what a downwardAPI volume file may show (and what an env fieldRef
/// falls back to). Whole label and annotation maps are written as [`format_map`] does.
pub fn metadata_field(pod: &Value, path: &str) -> Result<String, String> {
    if let Some((map, key)) = split_subscript(path) {
        return match map {
            "metadata.labels" => Ok(pod.labels().remove(key).unwrap_or_default()),
            "metadata.annotations" => Ok(kubelet_annotations(pod).remove(key).unwrap_or_default()),
            _ => Err(format!("fieldPath \"{path}\" does not support subscript")),
        };
    }
    match path {
        "metadata.labels" => Ok(format_map(&pod.labels())),
        "metadata.annotations" => Ok(format_map(&kubelet_annotations(pod))),
        "metadata.name" | "metadata.namespace" | "metadata.uid" => Ok(pod.str_at(path).to_string()),
        _ => Err(format!("unsupported fieldPath: {path}")),
    }
}

/// The annotations of the kubelet's copy of the pod: its config source adds where the pod came
/// from (`api`) and when the kubelet first saw it (here its start time, which the kubelet sets in
/// the same sync), so a downward API file shows them beside the API object's.
fn kubelet_annotations(pod: &Value) -> Labels {
    let mut map = pod.map_at("metadata.annotations");
    match pod.str_at("status.startTime") {
        "" => {}
        seen => {
            map.insert("kubernetes.io/config.seen".into(), seen.into());
        }
    }
    map.insert("kubernetes.io/config.source".into(), "api".into());
    map
}

/// `metadata.labels['app']` → (`metadata.labels`, `app`).
fn split_subscript(path: &str) -> Option<(&str, &str)> {
    let (map, key) = path.strip_suffix("']")?.split_once("['")?;
    (!map.is_empty()).then_some((map, key))
}

/// `FormatMap`: one `key="value"` line per entry, keys sorted, values quoted as Go's `%q`, and
/// no newline after the last line.
pub fn format_map(map: &Labels) -> String {
    let lines: Vec<String> = map.iter().map(|(k, v)| format!("{k}={}", crate::manifest::go_quote(v))).collect();
    lines.join("\n")
}

/// A `resourceFieldRef` (`ExtractContainerResourceValue`): the container's request or limit
/// divided by `divisor` (default 1) and rounded up; a missing cpu, memory or ephemeral-storage
/// limit is the node's allocatable amount.
pub fn resource_field(container: &Value, allocatable: Option<&Value>, field: &Value) -> Result<String, String> {
    let resource = field.str_at("resource");
    let unsupported = || format!("unsupported container resource : {resource}");
    let (family, name) = resource.split_once('.').ok_or_else(unsupported)?;
    let known = RESOURCES.contains(&name) || name.starts_with("hugepages-");
    if !matches!(family, "limits" | "requests") || !known {
        return Err(unsupported());
    }
    let amount = container
        .at("resources")
        .and_then(|r| r.get(family))
        .and_then(|m| m.get(name))
        .or_else(|| allocatable.filter(|_| family == "limits").and_then(|a| a.get(name)))
        .and_then(Quantity::from_json)
        .unwrap_or_else(|| Quantity::from_bytes(0));
    let divisor = field.get("divisor").and_then(Quantity::from_json).filter(|d| !d.is_zero());
    let (value, unit) = if name == "cpu" {
        (amount.milli_value(), divisor.map_or(1000, |d| d.milli_value()))
    } else {
        (amount.value_ceil(), divisor.map_or(1, |d| d.value_ceil()))
    };
    Ok(ceil_div(value, unit.max(1)).to_string())
}

/// `math.Ceil(a / b)` for the non-negative amounts resources have.
fn ceil_div(a: i128, b: i128) -> i128 {
    a.div_euclid(b) + i128::from(a.rem_euclid(b) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod() -> Value {
        json!({
            "metadata": {"name": "web-0", "namespace": "shop", "uid": "u-1",
                         "labels": {"zone": "us-est-coast", "cluster": "test-cluster1", "rack": "rack-22"},
                         "annotations": {"build": "two", "note": "say \"hi\"\n\\"}},
            "spec": {"nodeName": "node-1", "serviceAccountName": "default"},
            "status": {"podIP": "10.244.1.5", "podIPs": [{"ip": "10.244.1.5"}, {"ip": "fd00::5"}],
                       "hostIPs": [{"ip": "192.168.0.7"}]},
        })
    }

    fn env(path: &str) -> Result<String, String> {
        env_field(&pod(), &Host::of(None, &pod()), &json!({"apiVersion": "v1", "fieldPath": path}))
    }

    #[test]
    fn env_fields_resolve_as_the_kubelet_resolves_them() {
        assert_eq!(env("metadata.name").as_deref(), Ok("web-0"));
        assert_eq!(env("metadata.namespace").as_deref(), Ok("shop"));
        assert_eq!(env("metadata.uid").as_deref(), Ok("u-1"));
        assert_eq!(env("metadata.labels['rack']").as_deref(), Ok("rack-22"));
        assert_eq!(env("metadata.labels['absent']").as_deref(), Ok(""));
        assert_eq!(env("metadata.annotations['build']").as_deref(), Ok("two"));
        assert_eq!(env("spec.nodeName").as_deref(), Ok("node-1"));
        assert_eq!(env("spec.host").as_deref(), Ok("node-1"));
        assert_eq!(env("spec.serviceAccountName").as_deref(), Ok("default"));
        assert_eq!(env("status.hostIP").as_deref(), Ok("192.168.0.7"));
        assert_eq!(env("status.hostIPs").as_deref(), Ok("192.168.0.7"));
        assert_eq!(env("status.podIP").as_deref(), Ok("10.244.1.5"));
        assert_eq!(env("status.podIPs").as_deref(), Ok("10.244.1.5,fd00::5"));
    }

    #[test]
    fn unsupported_fields_fail_with_the_kubelets_words() {
        assert_eq!(env("spec.hostname"), Err("field label not supported: spec.hostname".to_string()));
        assert_eq!(env("status.phase"), Err("unsupported fieldPath: status.phase".to_string()));
        assert_eq!(
            env("metadata.name['x']"),
            Err("fieldPath \"metadata.name['x']\" does not support subscript".into())
        );
        let v2 = json!({"apiVersion": "v2", "fieldPath": "metadata.name"});
        assert_eq!(env_field(&pod(), &Host::default(), &v2), Err("unsupported pod version: v2".to_string()));
    }

    #[test]
    fn the_node_address_wins_over_the_pods_record_of_it() {
        let node = json!({"status": {"addresses": [{"type": "InternalIP", "address": "192.168.0.9"},
                                                   {"type": "Hostname", "address": "node-1"}]}});
        assert_eq!(Host::of(Some(&node), &pod()).ips, vec!["192.168.0.9".to_string()]);
    }

    #[test]
    fn label_files_are_sorted_quoted_and_end_without_a_newline() {
        assert_eq!(
            metadata_field(&pod(), "metadata.labels").as_deref(),
            Ok("cluster=\"test-cluster1\"\nrack=\"rack-22\"\nzone=\"us-est-coast\"")
        );
        assert_eq!(
            metadata_field(&pod(), "metadata.annotations").as_deref(),
            Ok("build=\"two\"\nkubernetes.io/config.source=\"api\"\nnote=\"say \\\"hi\\\"\\n\\\\\"")
        );
        assert_eq!(metadata_field(&json!({}), "metadata.labels").as_deref(), Ok(""));
    }

    fn resource(resource: &str, divisor: Option<&str>) -> Result<String, String> {
        let c = json!({"resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "250m"}}});
        let alloc = json!({"cpu": "3920m", "memory": "13340020Ki", "ephemeral-storage": "113014201201"});
        let mut f = json!({"resource": resource});
        if let Some(d) = divisor {
            f["divisor"] = json!(d);
        }
        resource_field(&c, Some(&alloc), &f)
    }

    #[test]
    fn resources_divide_and_round_up() {
        assert_eq!(resource("limits.cpu", None).as_deref(), Ok("1"));
        assert_eq!(resource("limits.cpu", Some("1m")).as_deref(), Ok("500"));
        assert_eq!(resource("requests.cpu", Some("100m")).as_deref(), Ok("3"));
        assert_eq!(resource("limits.memory", None).as_deref(), Ok("134217728"));
        assert_eq!(resource("limits.memory", Some("1Mi")).as_deref(), Ok("128"));
        assert_eq!(resource("limits.memory", Some("1M")).as_deref(), Ok("135"));
        assert_eq!(resource("limits.memory", Some("0")).as_deref(), Ok("134217728"));
    }

    #[test]
    fn a_missing_limit_is_the_nodes_allocatable_and_a_missing_request_is_zero() {
        assert_eq!(resource("limits.ephemeral-storage", None).as_deref(), Ok("113014201201"));
        assert_eq!(resource("requests.memory", None).as_deref(), Ok("0"));
        let bare = json!({});
        let alloc = json!({"cpu": "3920m"});
        assert_eq!(resource_field(&bare, Some(&alloc), &json!({"resource": "limits.cpu"})).as_deref(), Ok("4"));
        assert_eq!(resource_field(&bare, None, &json!({"resource": "limits.memory"})).as_deref(), Ok("0"));
    }

    #[test]
    fn unknown_resources_are_refused() {
        assert_eq!(resource("limits.gpu", None), Err("unsupported container resource : limits.gpu".to_string()));
        assert_eq!(resource("cpu", None), Err("unsupported container resource : cpu".to_string()));
    }
}
