//! Defaults of the other workloads: apps/v1 `SetDefaults_Deployment`, `SetDefaults_ReplicaSet`,
//! `SetDefaults_DaemonSet`, batch/v1 `SetDefaults_Job` and `SetDefaults_CronJob` (v1.32).

use serde_json::{json, Map, Value};

use super::statefulset::template_defaults;
use super::{default, obj_mut};

pub fn deployment(obj: &mut Value) {
    let Some(spec) = obj_mut(obj, "spec") else { return };
    default(spec, "replicas", json!(1));
    let strategy = spec.entry("strategy").or_insert_with(|| json!({}));
    if let Some(s) = strategy.as_object_mut() {
        default(s, "type", json!("RollingUpdate"));
        if s.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
            let ru = s.entry("rollingUpdate").or_insert_with(|| json!({}));
            if let Some(ru) = ru.as_object_mut() {
                default(ru, "maxUnavailable", json!("25%"));
                default(ru, "maxSurge", json!("25%"));
            }
        }
    }
    default(spec, "revisionHistoryLimit", json!(10));
    default(spec, "progressDeadlineSeconds", json!(600));
    template(spec);
}

pub fn replicaset(obj: &mut Value) {
    let Some(spec) = obj_mut(obj, "spec") else { return };
    default(spec, "replicas", json!(1));
    template(spec);
}

/// A PodTemplate: its template's pod defaults.
pub fn pod_template(obj: &mut Value) {
    if let Some(m) = obj.as_object_mut() {
        template(m);
    }
}

/// `SetDefaults_ReplicationController`: the template's labels are the selector and the
/// controller's labels when those are empty; one replica.
pub fn replication_controller(obj: &mut Value) {
    let labels =
        obj.pointer("/spec/template/metadata/labels").cloned().filter(|l| l.as_object().is_some_and(|m| !m.is_empty()));
    if let Some(labels) = labels {
        let empty = |v: Option<&Value>| v.and_then(Value::as_object).is_none_or(|m| m.is_empty());
        if empty(obj.pointer("/spec/selector")) {
            if let Some(spec) = obj_mut(obj, "spec") {
                spec.insert("selector".into(), labels.clone());
            }
        }
        if empty(obj.pointer("/metadata/labels")) {
            if let Some(meta) = obj_mut(obj, "metadata") {
                meta.insert("labels".into(), labels);
            }
        }
    }
    let Some(spec) = obj_mut(obj, "spec") else { return };
    default(spec, "replicas", json!(1));
    template(spec);
}

pub fn daemonset(obj: &mut Value) {
    let Some(spec) = obj_mut(obj, "spec") else { return };
    let strategy = spec.entry("updateStrategy").or_insert_with(|| json!({}));
    if let Some(s) = strategy.as_object_mut() {
        default(s, "type", json!("RollingUpdate"));
        if s.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
            let ru = s.entry("rollingUpdate").or_insert_with(|| json!({}));
            if let Some(ru) = ru.as_object_mut() {
                default(ru, "maxUnavailable", json!(1));
                default(ru, "maxSurge", json!(0));
            }
        }
    }
    default(spec, "revisionHistoryLimit", json!(10));
    template(spec);
}

/// `completions` and `parallelism` both default to 1 only when both are unset; a set
/// `parallelism` leaves `completions` unset (a work queue).
pub fn job(obj: &mut Value) {
    let Some(spec) = obj_mut(obj, "spec") else { return };
    job_spec(spec);
}

fn job_spec(spec: &mut Map<String, Value>) {
    let unset = |m: &Map<String, Value>, k: &str| m.get(k).is_none_or(Value::is_null);
    if unset(spec, "completions") && unset(spec, "parallelism") {
        spec.insert("completions".into(), json!(1));
    }
    default(spec, "parallelism", json!(1));
    let per_index = !unset(spec, "backoffLimitPerIndex");
    default(spec, "backoffLimit", json!(if per_index { i32::MAX } else { 6 }));
    default(spec, "completionMode", json!("NonIndexed"));
    default(spec, "suspend", json!(false));
    let policy = if unset(spec, "podFailurePolicy") { "TerminatingOrFailed" } else { "Failed" };
    default(spec, "podReplacementPolicy", json!(policy));
    template(spec);
}

pub fn cronjob(obj: &mut Value) {
    let Some(spec) = obj_mut(obj, "spec") else { return };
    default(spec, "concurrencyPolicy", json!("Allow"));
    default(spec, "suspend", json!(false));
    default(spec, "successfulJobsHistoryLimit", json!(3));
    default(spec, "failedJobsHistoryLimit", json!(1));
    let Some(job_template) = obj_mut_in(spec, "jobTemplate") else { return };
    if let Some(meta) = obj_mut_in(job_template, "metadata") {
        meta.entry("creationTimestamp").or_insert(Value::Null);
    }
    if let Some(job) = obj_mut_in(job_template, "spec") {
        job_spec(job);
    }
}

pub fn hpa(obj: &mut Value) {
    let Some(spec) = obj_mut(obj, "spec") else { return };
    default(spec, "minReplicas", json!(1));
    if spec.get("metrics").is_none_or(Value::is_null) {
        spec.insert(
            "metrics".into(),
            json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]),
        );
    }
    hpa_behavior(spec);
}

/// A given `behavior` gets every unset rule filled in (`SetDefaults_HorizontalPodAutoscalerBehavior`):
/// scale up by at most 4 pods or 100 % per 15 s, the larger, without stabilization; scale down by
/// at most 100 % per 15 s, leaving its stabilization window to the controller's flag (300 s).
fn hpa_behavior(spec: &mut Map<String, Value>) {
    let Some(behavior) = spec.get_mut("behavior").and_then(Value::as_object_mut) else { return };
    let up = json!({"stabilizationWindowSeconds": 0, "selectPolicy": "Max", "policies": [
        {"type": "Pods", "value": 4, "periodSeconds": 15},
        {"type": "Percent", "value": 100, "periodSeconds": 15}]});
    let down = json!({"selectPolicy": "Max", "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]});
    for (key, defaults) in [("scaleUp", up), ("scaleDown", down)] {
        let Value::Object(mut rules) = defaults else { continue };
        // copyHPAScalingRules: each field given (not null) wins over its default.
        if let Some(given) = behavior.get(key).and_then(Value::as_object) {
            for (field, value) in given.iter().filter(|(_, v)| !v.is_null()) {
                rules.insert(field.clone(), value.clone());
            }
        }
        behavior.insert(key.into(), Value::Object(rules));
    }
}

fn obj_mut_in<'a>(map: &'a mut Map<String, Value>, key: &str) -> Option<&'a mut Map<String, Value>> {
    let slot = map.entry(key.to_string()).or_insert_with(|| json!({}));
    if slot.is_null() {
        *slot = json!({});
    }
    slot.as_object_mut()
}

fn template(spec: &mut Map<String, Value>) {
    if let Some(t) = spec.get_mut("template") {
        template_defaults(t);
    }
}

/// The Job strategy's `generateSelector` (after the uid is set): unless `manualSelector`, the
/// selector is the job's uid and the template carries the uid and name labels, both the
/// `batch.kubernetes.io/` ones and the legacy ones.
pub fn job_selector(job: &mut Value) {
    let uid = job.pointer("/metadata/uid").and_then(Value::as_str).unwrap_or_default().to_string();
    let name = job.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
    job["status"] = json!({});
    if job.pointer("/spec/manualSelector").and_then(Value::as_bool) != Some(true) {
        generated_selector(job, &uid, &name);
    }
    // SetDefaults_Job copies the template's labels to a Job that has none; the API server applies
    // it again whenever it reads the Job back from storage, so the labels just added show.
    let labels = job.pointer("/spec/template/metadata/labels").filter(|l| l.as_object().is_some_and(|m| !m.is_empty()));
    if let Some(labels) = labels.cloned() {
        let own = job.pointer("/metadata/labels").and_then(Value::as_object).is_some_and(|m| !m.is_empty());
        if !own {
            if let Some(meta) = obj_mut(job, "metadata") {
                meta.insert("labels".into(), labels);
            }
        }
    }
}

fn generated_selector(job: &mut Value, uid: &str, name: &str) {
    let Some(spec) = obj_mut(job, "spec") else { return };
    spec.insert("selector".into(), json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}));
    let Some(template) = obj_mut_in(spec, "template") else { return };
    let Some(meta) = obj_mut_in(template, "metadata") else { return };
    let Some(labels) = obj_mut_in(meta, "labels") else { return };
    for (k, v) in [
        ("batch.kubernetes.io/controller-uid", uid),
        ("batch.kubernetes.io/job-name", name),
        ("controller-uid", uid),
        ("job-name", name),
    ] {
        labels.insert(k.into(), json!(v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployment_gets_the_rolling_update_defaults() {
        let mut d = json!({"spec": {"template": {"spec": {"containers": []}}}});
        deployment(&mut d);
        assert_eq!(
            d["spec"]["strategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}})
        );
        assert_eq!(d["spec"]["progressDeadlineSeconds"], json!(600));
        let mut r = json!({"spec": {"strategy": {"type": "Recreate"}}});
        deployment(&mut r);
        assert_eq!(r["spec"]["strategy"], json!({"type": "Recreate"}));
    }

    #[test]
    fn job_parallelism_alone_leaves_completions_unset() {
        let mut j = json!({"spec": {"parallelism": 2}});
        job(&mut j);
        assert!(j["spec"].get("completions").is_none());
        let mut j = json!({"spec": {}});
        job(&mut j);
        assert_eq!((j["spec"]["completions"].clone(), j["spec"]["backoffLimit"].clone()), (json!(1), json!(6)));
    }
}
