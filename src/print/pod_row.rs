//! What the pod table reads of a stored pod, decoded without the rest: a listing of 10,000 pods
//! spends most of its time building `Value`s, and a pod's spec (volumes, tolerations, each
//! container's environment and mounts) is half of its body while the table reads only the
//! containers' names and restart policies, the node and the readiness gates. Metadata and status
//! are kept whole. Used only where nothing but the table sees the object (no field selector:
//! pods' field selectors read `spec`).

use serde_json::Value;

use crate::api::pluck::{pluck, Want};

/// The fields of a container the row reads.
const CONTAINER: Want = Want::Fields(&[("name", Want::All), ("restartPolicy", Want::All)]);

const ROW: &[(&str, Want)] = &[
    ("apiVersion", Want::All),
    ("kind", Want::All),
    ("metadata", Want::All),
    (
        "spec",
        Want::Fields(&[
            ("containers", CONTAINER),
            ("initContainers", CONTAINER),
            ("nodeName", Want::All),
            ("readinessGates", Want::All),
        ]),
    ),
    ("status", Want::All),
];

/// Decodes a stored pod keeping what `print::table`'s pod row reads.
pub fn decode(body: &str) -> anyhow::Result<Value> {
    pluck(body, ROW)
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
