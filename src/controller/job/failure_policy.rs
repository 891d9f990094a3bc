//! A Job's `podFailurePolicy` (`pkg/controller/job/pod_failure_policy.go`, v1.32): the first
//! rule a failed pod matches, by a container's non-zero exit code or by a pod condition, decides
//! whether its failure fails the whole Job (FailJob), is not counted (Ignore) or counts as usual
//! (Count), or fails the pod's index (FailIndex, with per-index back-off limits).

use serde_json::Value;

use crate::api::ObjectExt;

/// What a failed pod's matching rule asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The Job fails at once, with this message in its FailureTarget and Failed conditions.
    FailJob(String),
    /// The failure does not count towards `backoffLimit`.
    Ignore,
    /// The failure counts (also when no rule matches, or the Job has no policy).
    Count,
    /// The pod's index fails at once (a counted failure; only with `backoffLimitPerIndex`).
    FailIndex,
}

/// The verdict of the Job's policy on a pod in phase Failed.
pub fn judge(job: &Value, pod: &Value) -> Verdict {
    for (index, rule) in job.array_at("spec.podFailurePolicy.rules").iter().enumerate() {
        let matched = if rule.at("onExitCodes").is_some() {
            exit_code_match(rule, pod).map(|(name, code)| {
                format!(
                    "Container {name} for pod {}/{} failed with exit code {code} matching {} rule at index {index}",
                    pod.namespace(),
                    pod.name(),
                    rule.str_at("action")
                )
            })
        } else {
            condition_match(rule, pod).map(|type_| {
                format!(
                    "Pod {}/{} has condition {type_} matching {} rule at index {index}",
                    pod.namespace(),
                    pod.name(),
                    rule.str_at("action")
                )
            })
        };
        let Some(message) = matched else { continue };
        return match rule.str_at("action") {
            "FailJob" => Verdict::FailJob(message),
            "Ignore" => Verdict::Ignore,
            // FailIndex without backoffLimitPerIndex falls through to the next rule in v1.32.
            "FailIndex" if job.at("spec.backoffLimitPerIndex").is_none() => continue,
            "FailIndex" => Verdict::FailIndex,
            _ => Verdict::Count,
        };
    }
    Verdict::Count
}

/// The first container (init containers first) that ended with a non-zero code the rule's
/// `onExitCodes` selects: its name and code.
fn exit_code_match<'a>(rule: &Value, pod: &'a Value) -> Option<(&'a str, i64)> {
    let wanted = rule.at("onExitCodes")?;
    let container = wanted.str_at("containerName");
    let values: Vec<i64> = wanted.array_at("values").iter().filter_map(Value::as_i64).collect();
    let statuses = pod.array_at("status.initContainerStatuses").iter().chain(pod.array_at("status.containerStatuses"));
    statuses
        .filter_map(|s| Some((s.str_at("name"), s.i64_at("state.terminated.exitCode")?)))
        .filter(|&(name, code)| code != 0 && (container.is_empty() || container == name))
        .find(|(_, code)| match wanted.str_at("operator") {
            "In" => values.contains(code),
            "NotIn" => !values.contains(code),
            _ => false,
        })
}

/// The type of the first pod condition one of the rule's `onPodConditions` patterns selects.
fn condition_match<'a>(rule: &Value, pod: &'a Value) -> Option<&'a str> {
    let patterns = rule.array_at("onPodConditions");
    pod.array_at("status.conditions").iter().find_map(|c| {
        let selected = patterns.iter().any(|p| {
            let status = Some(p.str_at("status")).filter(|s| !s.is_empty()).unwrap_or("True");
            p.str_at("type") == c.str_at("type") && status == c.str_at("status")
        });
        selected.then(|| c.str_at("type"))
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn job(rules: Value) -> Value {
        json!({"spec": {"podFailurePolicy": {"rules": rules}}})
    }

    fn failed_pod(code: i64, conditions: Value) -> Value {
        json!({"metadata": {"name": "p", "namespace": "default"},
               "status": {"phase": "Failed", "conditions": conditions,
                          "containerStatuses": [{"name": "main", "state": {"terminated": {"exitCode": code}}}]}})
    }

    #[test]
    fn an_exit_code_in_the_list_fails_the_job() {
        let j = job(
            json!([{"action": "FailJob", "onExitCodes": {"containerName": "main", "operator": "In", "values": [42]}}]),
        );
        let msg = "Container main for pod default/p failed with exit code 42 matching FailJob rule at index 0";
        assert_eq!(judge(&j, &failed_pod(42, json!([]))), Verdict::FailJob(msg.into()));
        assert_eq!(judge(&j, &failed_pod(1, json!([]))), Verdict::Count);
    }

    #[test]
    fn a_disruption_is_ignored_and_rules_apply_in_order() {
        let j = job(json!([
            {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]},
            {"action": "FailJob", "onExitCodes": {"operator": "NotIn", "values": [0]}}
        ]));
        let disrupted = failed_pod(137, json!([{"type": "DisruptionTarget", "status": "True"}]));
        assert_eq!(judge(&j, &disrupted), Verdict::Ignore);
        assert!(matches!(judge(&j, &failed_pod(3, json!([]))), Verdict::FailJob(_)));
    }
}
