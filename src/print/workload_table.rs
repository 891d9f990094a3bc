//! `kubectl get` columns of the workload kinds (v1.32 `printers.go`: printDeployment,
//! printReplicaSet, printDaemonSet, printJob, printCronJob, printHorizontalPodAutoscaler).

use serde_json::Value;

use crate::api::ObjectExt;
use crate::clock::Instant;
use crate::print::age::{age, human_duration};

/// The columns of `kind`: header and whether it is wide-only. NAME comes first.
pub fn columns(kind: &str) -> Option<&'static [(&'static str, bool)]> {
    const TEMPLATE: [(&str, bool); 3] = [("CONTAINERS", true), ("IMAGES", true), ("SELECTOR", true)];
    Some(match kind {
        "Deployment" => &[
            ("NAME", false),
            ("READY", false),
            ("UP-TO-DATE", false),
            ("AVAILABLE", false),
            ("AGE", false),
            TEMPLATE[0],
            TEMPLATE[1],
            TEMPLATE[2],
        ],
        "ReplicaSet" | "ReplicationController" => &[
            ("NAME", false),
            ("DESIRED", false),
            ("CURRENT", false),
            ("READY", false),
            ("AGE", false),
            TEMPLATE[0],
            TEMPLATE[1],
            TEMPLATE[2],
        ],
        "DaemonSet" => &[
            ("NAME", false),
            ("DESIRED", false),
            ("CURRENT", false),
            ("READY", false),
            ("UP-TO-DATE", false),
            ("AVAILABLE", false),
            ("NODE SELECTOR", false),
            ("AGE", false),
            TEMPLATE[0],
            TEMPLATE[1],
            TEMPLATE[2],
        ],
        "Job" => &[
            ("NAME", false),
            ("STATUS", false),
            ("COMPLETIONS", false),
            ("DURATION", false),
            ("AGE", false),
            TEMPLATE[0],
            TEMPLATE[1],
            TEMPLATE[2],
        ],
        "CronJob" => &[
            ("NAME", false),
            ("SCHEDULE", false),
            ("TIMEZONE", false),
            ("SUSPEND", false),
            ("ACTIVE", false),
            ("LAST SCHEDULE", false),
            ("AGE", false),
            TEMPLATE[0],
            TEMPLATE[1],
            TEMPLATE[2],
        ],
        "HorizontalPodAutoscaler" => &[
            ("NAME", false),
            ("REFERENCE", false),
            ("TARGETS", false),
            ("MINPODS", false),
            ("MAXPODS", false),
            ("REPLICAS", false),
            ("AGE", false),
        ],
        _ => return None,
    })
}

/// Every cell of one row of `kind`, wide ones included.
pub fn cells(kind: &str, obj: &Value, now: Instant) -> Option<Vec<String>> {
    let n = |path: &str| obj.i64_at(path).unwrap_or(0).to_string();
    let name = obj.name().to_string();
    let created = age(now, obj.created());
    let mut row = match kind {
        "Deployment" => {
            let ready = format!("{}/{}", n("status.readyReplicas"), obj.i64_at("spec.replicas").unwrap_or(1));
            vec![name, ready, n("status.updatedReplicas"), n("status.availableReplicas"), created]
        }
        "ReplicaSet" | "ReplicationController" => {
            vec![name, n("spec.replicas"), n("status.replicas"), n("status.readyReplicas"), created]
        }
        "DaemonSet" => vec![
            name,
            n("status.desiredNumberScheduled"),
            n("status.currentNumberScheduled"),
            n("status.numberReady"),
            n("status.updatedNumberScheduled"),
            n("status.numberAvailable"),
            node_selector(obj),
            created,
        ],
        "Job" => vec![name, job_status(obj), job_completions(obj), job_duration(obj, now), created],
        "CronJob" => {
            let tz = obj.str_at("spec.timeZone");
            let last =
                obj.time_at("status.lastScheduleTime").map_or_else(|| "<none>".to_string(), |t| age(now, Some(t)));
            vec![
                name,
                obj.str_at("spec.schedule").to_string(),
                if tz.is_empty() { "<none>".into() } else { tz.to_string() },
                bool_cell(obj.at("spec.suspend")),
                obj.array_at("status.active").len().to_string(),
                last,
                created,
            ]
        }
        "HorizontalPodAutoscaler" => {
            let target =
                format!("{}/{}", obj.str_at("spec.scaleTargetRef.kind"), obj.str_at("spec.scaleTargetRef.name"));
            let min = obj.i64_at("spec.minReplicas").map_or_else(|| "<unset>".into(), |m| m.to_string());
            return Some(vec![
                name,
                target,
                hpa_targets(obj),
                min,
                n("spec.maxReplicas"),
                n("status.currentReplicas"),
                created,
            ]);
        }
        _ => return None,
    };
    let template = if kind == "CronJob" { "spec.jobTemplate.spec.template" } else { "spec.template" };
    let containers = obj.array_at(&format!("{template}.spec.containers"));
    row.push(containers.iter().map(|c| c.str_at("name")).collect::<Vec<_>>().join(","));
    row.push(containers.iter().map(|c| c.str_at("image")).collect::<Vec<_>>().join(","));
    let selector_path = if kind == "CronJob" { "spec.jobTemplate.spec.selector" } else { "spec.selector" };
    if kind == "ReplicationController" {
        // `labels.FormatLabels` of the selector map.
        let sel = obj.map_at("spec.selector");
        let text = sel.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
        row.push(if text.is_empty() { "<none>".into() } else { text });
    } else {
        row.push(label_selector(obj.at(selector_path)));
    }
    Some(row)
}

fn bool_cell(v: Option<&Value>) -> String {
    match v.and_then(Value::as_bool) {
        Some(true) => "True".into(),
        Some(false) => "False".into(),
        None => "<unset>".into(),
    }
}

fn node_selector(obj: &Value) -> String {
    let labels = obj.map_at("spec.template.spec.nodeSelector");
    if labels.is_empty() {
        return "<none>".into();
    }
    labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// `metav1.FormatLabelSelector`.
pub fn label_selector(sel: Option<&Value>) -> String {
    let Some(sel) = sel.filter(|s| s.is_object()) else { return "<none>".into() };
    let mut reqs: Vec<(String, String)> =
        sel.map_at("matchLabels").into_iter().map(|(k, v)| (k.clone(), format!("{k}={v}"))).collect();
    for e in sel.array_at("matchExpressions") {
        let key = e.str_at("key").to_string();
        let mut values: Vec<&str> = e.array_at("values").iter().filter_map(Value::as_str).collect();
        values.sort_unstable();
        let text = match e.str_at("operator") {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.clone(),
            "DoesNotExist" => format!("!{key}"),
            _ => format!("{key} ({})", values.join(",")),
        };
        reqs.push((key, text));
    }
    reqs.sort_by(|a, b| a.0.cmp(&b.0));
    let text = reqs.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(",");
    if text.is_empty() {
        "<none>".into()
    } else {
        text
    }
}

fn has_condition(obj: &Value, type_: &str) -> bool {
    obj.array_at("status.conditions").iter().any(|c| c.str_at("type") == type_ && c.str_at("status") == "True")
}

fn job_status(job: &Value) -> String {
    let s = if has_condition(job, "Complete") {
        "Complete"
    } else if has_condition(job, "Failed") {
        "Failed"
    } else if job.is_deleting() {
        "Terminating"
    } else if has_condition(job, "SuccessCriteriaMet") {
        "SuccessCriteriaMet"
    } else if has_condition(job, "Suspended") {
        "Suspended"
    } else if has_condition(job, "FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    };
    s.to_string()
}

fn job_completions(job: &Value) -> String {
    let succeeded = job.i64_at("status.succeeded").unwrap_or(0);
    match job.i64_at("spec.completions") {
        Some(c) => format!("{succeeded}/{c}"),
        None => {
            let parallelism = job.i64_at("spec.parallelism").unwrap_or(0);
            if parallelism > 1 {
                format!("{succeeded}/1 of {parallelism}")
            } else {
                format!("{succeeded}/1")
            }
        }
    }
}

fn job_duration(job: &Value, now: Instant) -> String {
    let Some(start) = job.time_at("status.startTime") else { return String::new() };
    let end = job.time_at("status.completionTime").unwrap_or(now);
    human_duration(end - start)
}

/// The TARGETS cell: each metric as `name: current/target`, `<unknown>` without a reading.
fn hpa_targets(hpa: &Value) -> String {
    let specs = hpa.array_at("spec.metrics");
    if specs.is_empty() {
        return "<none>".into();
    }
    let current = hpa.array_at("status.currentMetrics");
    let parts: Vec<String> = specs
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let kind = m.str_at("type");
            let r = if kind == "ContainerResource" { m.at("containerResource") } else { m.at("resource") };
            let (name, target) = match r {
                Some(r) => {
                    let t = r.get("target").cloned().unwrap_or(Value::Null);
                    let target = match t.i64_at("averageUtilization") {
                        Some(u) => format!("{u}%"),
                        None => t.str_at("averageValue").to_string(),
                    };
                    (r.str_at("name").to_string(), target)
                }
                None => (String::new(), "<unknown>".into()),
            };
            let now = current
                .get(i)
                .and_then(|c| c.at("resource.current.averageUtilization"))
                .and_then(Value::as_i64)
                .map_or_else(|| "<unknown>".to_string(), |u| format!("{u}%"));
            format!("{name}: {now}/{target}")
        })
        .collect();
    parts.join(", ")
}
