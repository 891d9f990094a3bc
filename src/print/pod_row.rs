//! What the pod table reads of a stored pod, decoded without the rest: a listing of 10,000 pods
//! spends most of its time building `Value`s, and a pod's spec (volumes, tolerations, each
//! container's environment and mounts) is half of its body while the table reads only the
//! containers' names and restart policies, the node and the readiness gates. Metadata and status
//! are kept whole. Used only where nothing but the table sees the object (no field selector:
//! pods' field selectors read `spec`).

use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize)]
struct PodRow {
    #[serde(rename = "apiVersion")]
    api_version: Option<Value>,
    kind: Option<Value>,
    metadata: Option<Value>,
    spec: Option<SpecRow>,
    status: Option<Value>,
}

#[derive(Deserialize)]
struct SpecRow {
    containers: Option<Vec<ContainerRow>>,
    #[serde(rename = "initContainers")]
    init_containers: Option<Vec<ContainerRow>>,
    #[serde(rename = "nodeName")]
    node_name: Option<Value>,
    #[serde(rename = "readinessGates")]
    readiness_gates: Option<Value>,
}

#[derive(Deserialize)]
struct ContainerRow {
    name: Option<Value>,
    #[serde(rename = "restartPolicy")]
    restart_policy: Option<Value>,
}

/// Decodes a stored pod keeping what `print::table`'s pod row reads.
pub fn decode(body: &str) -> serde_json::Result<Value> {
    let row: PodRow = serde_json::from_str(body)?;
    let mut pod = Map::new();
    put(&mut pod, "apiVersion", row.api_version);
    put(&mut pod, "kind", row.kind);
    put(&mut pod, "metadata", row.metadata);
    put(&mut pod, "status", row.status);
    if let Some(spec) = row.spec {
        let mut s = Map::new();
        put(&mut s, "containers", spec.containers.map(containers));
        put(&mut s, "initContainers", spec.init_containers.map(containers));
        put(&mut s, "nodeName", spec.node_name);
        put(&mut s, "readinessGates", spec.readiness_gates);
        pod.insert("spec".into(), Value::Object(s));
    }
    Ok(Value::Object(pod))
}

fn put(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        map.insert(key.to_string(), v);
    }
}

fn containers(list: Vec<ContainerRow>) -> Value {
    list.into_iter()
        .map(|c| {
            let mut m = Map::new();
            put(&mut m, "name", c.name);
            put(&mut m, "restartPolicy", c.restart_policy);
            Value::Object(m)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::table;
    use serde_json::json;

    /// The pod row printed from the projection is the row printed from the whole pod.
    #[test]
    fn the_table_row_is_the_same() {
        let pods = [
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "web-0", "namespace": "default", "creationTimestamp": "2026-11-27T09:00:00Z",
                    "labels": {"app": "nginx"}},
                "spec": {"nodeName": "node-1", "volumes": [{"name": "v", "emptyDir": {}}],
                    "readinessGates": [{"conditionType": "x"}],
                    "initContainers": [{"name": "side", "image": "busybox", "restartPolicy": "Always"},
                        {"name": "init", "image": "busybox"}],
                    "containers": [{"name": "nginx", "image": "nginx", "env": [{"name": "A", "value": "1"}]}]},
                "status": {"phase": "Pending", "podIP": "10.0.0.1",
                    "initContainerStatuses": [{"name": "side", "restartCount": 1, "started": true, "ready": false,
                        "state": {"running": {}}}],
                    "containerStatuses": [{"name": "nginx", "restartCount": 2, "ready": false,
                        "state": {"waiting": {"reason": "PodInitializing"}}}]}}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bare"}}),
        ];
        for pod in pods {
            let projected = decode(&pod.to_string()).unwrap();
            for wide in [false, true] {
                let opts = table::TableOptions {
                    wide,
                    no_headers: false,
                    kind_prefix: false,
                    all_namespaces: true,
                    show_labels: true,
                    label_columns: vec!["app".into()],
                };
                let row = |p: &Value| table::render(&crate::api::kinds::POD, std::slice::from_ref(p), &opts, 0);
                assert_eq!(row(&projected), row(&pod));
            }
        }
    }
}
