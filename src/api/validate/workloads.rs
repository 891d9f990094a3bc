//! Validation of the other workloads (apps `ValidateDeployment`, `ValidateReplicaSet`,
//! `ValidateDaemonSet`, batch `ValidateJob`, `ValidateCronJob`, v1.32): the checks a user meets
//! with a hand-written manifest. The pod template's spec is validated as a pod's.

use serde_json::Value;

use super::names::{self, q};
use super::statefulset::selector_and_template;
use super::{meta, pod, policy, Causes};
use crate::api::cron::Schedule;
use crate::api::object::ObjectExt;
use crate::error::FieldError;

fn template(spec: &Value, c: &mut Causes) {
    let pod_spec = spec.at("template.spec").cloned().unwrap_or(Value::Null);
    pod::pod_spec(&pod_spec, "spec.template.spec", &[], c);
}

/// `ValidatePodTemplate`: its metadata and its template's pod spec.
pub fn pod_template(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns_subdomain, c);
    let pod_spec = obj.at("template.spec").cloned().unwrap_or(Value::Null);
    pod::pod_spec(&pod_spec, "template.spec", &[], c);
}

/// `ValidateReplicationController`: a selector map, which the template's labels must match, and
/// pods that always restart.
pub fn replication_controller(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns_subdomain, c);
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    meta::non_negative(spec.get("replicas"), "spec.replicas", c);
    meta::non_negative(spec.get("minReadySeconds"), "spec.minReadySeconds", c);
    let selector = spec.get("selector").and_then(Value::as_object);
    let labels = spec.at("template.metadata.labels");
    match selector {
        Some(sel) if !sel.is_empty() => {
            let label_map = labels.and_then(Value::as_object);
            let matches = sel.iter().all(|(k, v)| label_map.and_then(|m| m.get(k)) == Some(v));
            if spec.get("template").is_some() && !matches {
                c.push(FieldError::invalid(
                    "spec.template.metadata.labels",
                    &names::go_string_map(labels),
                    "`selector` does not match template `labels`",
                ));
            }
        }
        _ => c.push(FieldError::required("spec.selector", "")),
    }
    if spec.get("template").is_none() {
        c.push(FieldError::required("spec.template", ""));
        return;
    }
    template(spec, c);
    let restart = spec.str_at("template.spec.restartPolicy");
    if restart != "Always" {
        c.retain(|e| e.field != "spec.template.spec.restartPolicy");
        c.push(FieldError::unsupported("spec.template.spec.restartPolicy", restart, &["Always"]));
    }
    no_active_deadline(spec, "ReplicationController", c);
}

/// Pods that always restart have no deadline.
fn no_active_deadline(spec: &Value, owner: &str, c: &mut Causes) {
    if spec.at("template.spec.activeDeadlineSeconds").is_some_and(|v| !v.is_null()) {
        c.push(FieldError::forbidden(
            "spec.template.spec.activeDeadlineSeconds",
            &format!("activeDeadlineSeconds in {owner} is not Supported"),
        ));
    }
}

/// Deployments, ReplicaSets and DaemonSets: their pods always restart.
pub fn replicated(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns_subdomain, c);
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    meta::non_negative(spec.get("replicas"), "spec.replicas", c);
    meta::non_negative(spec.get("minReadySeconds"), "spec.minReadySeconds", c);
    selector_and_template(spec, &obj.kind().to_lowercase(), c);
    template(spec, c);
    let restart = spec.str_at("template.spec.restartPolicy");
    if restart != "Always" {
        c.retain(|e| e.field != "spec.template.spec.restartPolicy");
        c.push(FieldError::unsupported("spec.template.spec.restartPolicy", restart, &["Always"]));
    }
    // Deployments share the ReplicaSet template rule, wording included.
    let owner = if obj.kind() == "DaemonSet" { "DaemonSet" } else { "ReplicaSet" };
    no_active_deadline(spec, owner, c);
    if obj.kind() == "Deployment" {
        deployment_strategy(spec, c);
    }
    if obj.kind() == "DaemonSet" {
        daemonset_strategy(spec, c);
    }
}

/// `ValidateDaemonSetUpdateStrategy`'s unknown type: the server prints the whole strategy struct
/// with `%#v` and the valid types unsorted. A `rollingUpdate` given with it is a pointer whose
/// address changes with every request; kstate prints a fixed one.
fn daemonset_strategy(spec: &Value, c: &mut Causes) {
    let kind = spec.str_at("updateStrategy.type");
    if matches!(kind, "RollingUpdate" | "OnDelete") {
        return;
    }
    let rolling = match spec.at("updateStrategy.rollingUpdate") {
        None | Some(Value::Null) => "(*apps.RollingUpdateDaemonSet)(nil)",
        Some(_) => "(*apps.RollingUpdateDaemonSet)(0xc000a1b2c0)",
    };
    c.push(FieldError {
        field: "spec.updateStrategy".into(),
        detail: format!(
            "Unsupported value: apps.DaemonSetUpdateStrategy{{Type:{}, RollingUpdate:{rolling}}}: supported values: \"RollingUpdate\", \"OnDelete\"",
            q(kind)
        ),
    });
}

fn deployment_strategy(spec: &Value, c: &mut Causes) {
    match spec.str_at("strategy.type") {
        "RollingUpdate" => {
            if let Some(ru) = spec.at("strategy.rollingUpdate").filter(|v| v.is_object()) {
                rolling_update(ru, c);
            }
        }
        "Recreate" => {
            if spec.at("strategy.rollingUpdate").is_some_and(|v| !v.is_null()) {
                c.push(FieldError::forbidden(
                    "spec.strategy.rollingUpdate",
                    "may not be specified when strategy `type` is 'Recreate'",
                ));
            }
        }
        other => c.push(FieldError::unsupported("spec.strategy.type", other, &["Recreate", "RollingUpdate"])),
    }
    if let (Some(deadline), min) = (spec.i64_at("progressDeadlineSeconds"), spec.i64_at("minReadySeconds").unwrap_or(0))
    {
        if deadline <= min {
            c.push(FieldError::invalid(
                "spec.progressDeadlineSeconds",
                &deadline.to_string(),
                "must be greater than minReadySeconds",
            ));
        }
    }
}

/// `ValidateRollingUpdateDeployment`.
fn rolling_update(ru: &Value, c: &mut Causes) {
    let zero = Value::from(0);
    let unavailable = ru.get("maxUnavailable").filter(|v| !v.is_null()).unwrap_or(&zero);
    let surge = ru.get("maxSurge").filter(|v| !v.is_null()).unwrap_or(&zero);
    let path = "spec.strategy.rollingUpdate";
    policy::int_or_percent(unavailable, &format!("{path}.maxUnavailable"), false, c);
    policy::int_or_percent(surge, &format!("{path}.maxSurge"), false, c);
    let value = |v: &Value| match v {
        Value::String(s) => s.strip_suffix('%').and_then(|n| n.parse::<i64>().ok()).unwrap_or(0),
        other => other.as_i64().unwrap_or(0),
    };
    if value(unavailable) == 0 && value(surge) == 0 {
        c.push(FieldError::invalid(
            format!("{path}.maxUnavailable"),
            &policy::int_or_string(unavailable),
            "may not be 0 when `maxSurge` is 0",
        ));
    }
    if unavailable.is_string() && value(unavailable) > 100 {
        c.push(FieldError::invalid(
            format!("{path}.maxUnavailable"),
            &policy::int_or_string(unavailable),
            "must not be greater than 100%",
        ));
    }
}

/// A job spec at `path` (`spec`, or `spec.jobTemplate.spec`).
fn job_spec(spec: &Value, path: &str, c: &mut Causes) {
    for field in ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"] {
        meta::non_negative(spec.get(field), &format!("{path}.{field}"), c);
    }
    match spec.str_at("completionMode") {
        "" | "NonIndexed" | "Indexed" => {}
        other => c.push(FieldError::unsupported(format!("{path}.completionMode"), other, &["NonIndexed", "Indexed"])),
    }
    if spec.str_at("completionMode") == "Indexed" && spec.i64_at("completions").is_none() {
        c.push(FieldError::required(format!("{path}.completions"), "when completion mode is Indexed"));
    }
    let restart = spec.str_at("template.spec.restartPolicy");
    if restart != "OnFailure" && restart != "Never" {
        c.push(FieldError::unsupported(
            format!("{path}.template.spec.restartPolicy"),
            restart,
            &["OnFailure", "Never"],
        ));
    }
}

pub fn job(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns_subdomain, c);
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    job_spec(spec, "spec", c);
    let mut pod_causes = Causes::new();
    template(spec, &mut pod_causes);
    c.extend(pod_causes.into_iter().filter(|e| e.field != "spec.template.spec.restartPolicy"));
}

pub fn cronjob(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns_subdomain, c);
    if obj.name().len() > 52 {
        c.push(FieldError::invalid("metadata.name", &q(obj.name()), "must be no more than 52 characters"));
    }
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let schedule = spec.str_at("schedule");
    if schedule.is_empty() {
        c.push(FieldError::required("spec.schedule", ""));
    } else if let Err(e) = Schedule::parse(schedule) {
        c.push(FieldError::invalid("spec.schedule", &q(schedule), &e));
    }
    match spec.str_at("concurrencyPolicy") {
        "Allow" | "Forbid" | "Replace" => {}
        other => c.push(FieldError::unsupported("spec.concurrencyPolicy", other, &["Allow", "Forbid", "Replace"])),
    }
    meta::non_negative(spec.get("startingDeadlineSeconds"), "spec.startingDeadlineSeconds", c);
    let job = spec.get("jobTemplate").and_then(|t| t.get("spec")).unwrap_or(&Value::Null);
    job_spec(job, "spec.jobTemplate.spec", c);
    // The job template's pod spec, as a Job's (its restart policy has the job's own rule above).
    let pod_spec = job.at("template.spec").cloned().unwrap_or(Value::Null);
    let mut pod_causes = Causes::new();
    pod::pod_spec(&pod_spec, "spec.jobTemplate.spec.template.spec", &[], &mut pod_causes);
    c.extend(pod_causes.into_iter().filter(|e| e.field != "spec.jobTemplate.spec.template.spec.restartPolicy"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(c: &Causes) -> Vec<String> {
        c.iter().map(|e| format!("{}: {}", e.field, e.detail)).collect()
    }

    #[test]
    fn a_deployment_selector_must_match_its_template() {
        let d = json!({"kind": "Deployment", "metadata": {"name": "web", "namespace": "default"},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "a"}}, "strategy": {"type": "RollingUpdate"},
                     "progressDeadlineSeconds": 600,
                     "template": {"metadata": {"labels": {"app": "b"}}, "spec": {"restartPolicy": "Always",
                        "containers": [{"name": "c", "image": "nginx", "imagePullPolicy": "Always",
                                        "terminationMessagePolicy": "File"}], "dnsPolicy": "ClusterFirst"}}}});
        let mut c = Causes::new();
        replicated(&d, &mut c);
        assert!(
            fields(&c).iter().any(|f| f.ends_with("`selector` does not match template `labels`")),
            "{:?}",
            fields(&c)
        );
    }

    #[test]
    fn a_job_must_not_restart_always_and_a_schedule_must_parse() {
        let mut c = Causes::new();
        job_spec(&json!({"template": {"spec": {"restartPolicy": "Always"}}}), "spec", &mut c);
        assert_eq!(fields(&c), ["spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\""]);
        let cj = json!({"kind": "CronJob", "metadata": {"name": "x", "namespace": "default"},
            "spec": {"schedule": "* * *", "concurrencyPolicy": "Allow", "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "Never", "dnsPolicy": "ClusterFirst",
                "containers": [{"name": "c", "image": "busybox", "imagePullPolicy": "Always",
                                "terminationMessagePolicy": "File"}]}}}}}});
        let mut c = Causes::new();
        cronjob(&cj, &mut c);
        assert_eq!(
            fields(&c),
            ["spec.schedule: Invalid value: \"* * *\": expected exactly 5 fields, found 3: [* * *]"]
        );
    }
}
