//! Resource arithmetic as the scheduler does it: a pod's effective requests (init containers and
//! sidecars counted as kube-scheduler counts them, plus overhead) and a node's allocatable.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::api::quantity::Quantity;
use crate::api::ObjectExt;

/// Requests or capacity: millicores, bytes and counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resources {
    pub milli_cpu: i128,
    pub memory: i128,
    pub ephemeral_storage: i128,
    pub pods: i128,
    /// Extended resources (`nvidia.com/gpu`, hugepages) by name, in whole units.
    pub scalar: BTreeMap<String, i128>,
}

/// Containers without requests count as this much when scoring (`DefaultMilliCPURequest`,
/// `DefaultMemoryRequest`), never when filtering.
pub const DEFAULT_MILLI_CPU: i128 = 100;
pub const DEFAULT_MEMORY: i128 = 200 * 1024 * 1024;

impl Resources {
    /// A resource list (`{cpu: 500m, memory: 1Gi}`).
    pub fn from_list(list: Option<&Value>) -> Resources {
        let mut r = Resources::default();
        let Some(map) = list.and_then(Value::as_object) else { return r };
        for (name, v) in map {
            let Some(q) = Quantity::from_json(v) else { continue };
            match name.as_str() {
                "cpu" => r.milli_cpu = q.milli_value(),
                "memory" => r.memory = q.value_ceil(),
                "ephemeral-storage" => r.ephemeral_storage = q.value_ceil(),
                "pods" => r.pods = q.value_ceil(),
                other => {
                    r.scalar.insert(other.to_string(), q.value_ceil());
                }
            }
        }
        r
    }

    pub fn add(&mut self, o: &Resources) {
        self.milli_cpu += o.milli_cpu;
        self.memory += o.memory;
        self.ephemeral_storage += o.ephemeral_storage;
        self.pods += o.pods;
        for (k, v) in &o.scalar {
            *self.scalar.entry(k.clone()).or_default() += v;
        }
    }

    pub fn sub(&mut self, o: &Resources) {
        self.milli_cpu -= o.milli_cpu;
        self.memory -= o.memory;
        self.ephemeral_storage -= o.ephemeral_storage;
        self.pods -= o.pods;
        for (k, v) in &o.scalar {
            *self.scalar.entry(k.clone()).or_default() -= v;
        }
    }

    /// Each resource the larger of the two.
    fn max_with(&mut self, o: &Resources) {
        self.milli_cpu = self.milli_cpu.max(o.milli_cpu);
        self.memory = self.memory.max(o.memory);
        self.ephemeral_storage = self.ephemeral_storage.max(o.ephemeral_storage);
        for (k, v) in &o.scalar {
            let e = self.scalar.entry(k.clone()).or_default();
            *e = (*e).max(*v);
        }
    }
}

fn requests(container: &Value) -> Resources {
    Resources::from_list(container.at("resources.requests"))
}

/// What a pod asks of its node: the larger of the app containers (plus sidecars) and each init
/// container (plus the sidecars started before it), plus the pod overhead. `non_zero` counts
/// request-less containers at the scoring defaults.
pub fn pod_requests(pod: &Value, non_zero: bool) -> Resources {
    let req = |c: &Value| {
        let mut r = requests(c);
        if non_zero {
            let requested = c.at("resources.requests");
            let has = |k: &str| requested.and_then(|r| r.get(k)).is_some();
            if !has("cpu") {
                r.milli_cpu = DEFAULT_MILLI_CPU;
            }
            if !has("memory") {
                r.memory = DEFAULT_MEMORY;
            }
        }
        r
    };
    let mut total = Resources::default();
    for c in pod.array_at("spec.containers") {
        total.add(&req(c));
    }
    let mut sidecars = Resources::default();
    let mut init_peak = Resources::default();
    for c in pod.array_at("spec.initContainers") {
        if c.str_at("restartPolicy") == "Always" {
            sidecars.add(&req(c));
            init_peak.max_with(&sidecars);
        } else {
            let mut during = sidecars.clone();
            during.add(&req(c));
            init_peak.max_with(&during);
        }
    }
    total.add(&sidecars);
    total.max_with(&init_peak);
    total.add(&Resources::from_list(pod.at("spec.overhead")));
    total
}

/// The resources each failing check names: `Too many pods`, `Insufficient cpu`, ...
pub fn insufficient(
    pod: &Resources,
    requested: &Resources,
    allocatable: &Resources,
    pods_on_node: i128,
) -> Vec<String> {
    let mut out = Vec::new();
    if pods_on_node + 1 > allocatable.pods {
        out.push("Too many pods".to_string());
    }
    let short = |want: i128, used: i128, have: i128| want > 0 && want > have - used;
    if short(pod.milli_cpu, requested.milli_cpu, allocatable.milli_cpu) {
        out.push("Insufficient cpu".to_string());
    }
    if short(pod.memory, requested.memory, allocatable.memory) {
        out.push("Insufficient memory".to_string());
    }
    if short(pod.ephemeral_storage, requested.ephemeral_storage, allocatable.ephemeral_storage) {
        out.push("Insufficient ephemeral-storage".to_string());
    }
    for (name, want) in &pod.scalar {
        let used = requested.scalar.get(name).copied().unwrap_or(0);
        let have = allocatable.scalar.get(name).copied().unwrap_or(0);
        if short(*want, used, have) {
            out.push(format!("Insufficient {name}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn init_containers_count_at_their_peak_and_sidecars_throughout() {
        let pod = json!({"spec": {
            "initContainers": [
                {"name": "setup", "resources": {"requests": {"cpu": "2"}}},
                {"name": "proxy", "restartPolicy": "Always", "resources": {"requests": {"cpu": "100m"}}},
            ],
            "containers": [{"name": "app", "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}}}],
        }});
        let r = pod_requests(&pod, false);
        assert_eq!(r.milli_cpu, 2000);
        assert_eq!(r.memory, 1 << 30);
        let pod = json!({"spec": {"containers": [{"name": "a"}]}});
        assert_eq!(pod_requests(&pod, true).milli_cpu, DEFAULT_MILLI_CPU);
        assert_eq!(pod_requests(&pod, false).milli_cpu, 0);
    }

    #[test]
    fn every_short_resource_is_named() {
        let alloc =
            Resources::from_list(Some(&json!({"cpu": "2", "memory": "1Gi", "pods": "2", "nvidia.com/gpu": "1"})));
        let want = Resources::from_list(Some(&json!({"cpu": "3", "memory": "1Gi", "nvidia.com/gpu": "2"})));
        let used = Resources::default();
        assert_eq!(
            insufficient(&want, &used, &alloc, 2),
            ["Too many pods", "Insufficient cpu", "Insufficient nvidia.com/gpu"]
        );
    }
}
