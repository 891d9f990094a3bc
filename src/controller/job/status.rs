//! What a Job's status says (`pkg/controller/job`, v1.32): counts, the terminal conditions in
//! their two steps (SuccessCriteriaMet then Complete; FailureTarget then Failed), indexes.

use serde_json::{json, Value};

use crate::api::ObjectExt;
use crate::clock::{format_rfc3339, Instant};

pub const COMPLETIONS_REACHED: (&str, &str) = ("CompletionsReached", "Reached expected number of succeeded pods");
pub const BACKOFF_LIMIT: (&str, &str) = ("BackoffLimitExceeded", "Job has reached the specified backoff limit");
/// The reason of the conditions a FailJob rule of the pod failure policy sets (the message names
/// the pod and the rule).
pub const POD_FAILURE_POLICY: &str = "PodFailurePolicy";
pub const DEADLINE: (&str, &str) = ("DeadlineExceeded", "Job was active longer than specified deadline");
pub const MAX_FAILED_INDEXES: (&str, &str) =
    ("MaxFailedIndexesExceeded", "Job has exceeded the specified maximal number of failed indexes");
pub const FAILED_INDEXES: (&str, &str) = ("FailedIndexes", "Job has failed indexes");

pub fn condition<'a>(job: &'a Value, type_: &str) -> Option<&'a Value> {
    job.array_at("status.conditions").iter().find(|c| c.str_at("type") == type_ && c.str_at("status") == "True")
}

/// The same, in a status object of its own.
pub fn in_status<'a>(status: &'a Value, type_: &str) -> Option<&'a Value> {
    status.array_at("conditions").iter().find(|c| c.str_at("type") == type_ && c.str_at("status") == "True")
}

pub fn is_finished(job: &Value) -> bool {
    condition(job, "Complete").is_some() || condition(job, "Failed").is_some()
}

/// Appends a true condition unless one of that type is there.
pub fn add_condition(status: &mut Value, type_: &str, (reason, message): (&str, &str), now: Instant) {
    let mut list = status.array_at("conditions").to_vec();
    if list.iter().any(|c| c.str_at("type") == type_) {
        return;
    }
    let t = format_rfc3339(now);
    list.push(json!({"type": type_, "status": "True", "reason": reason, "message": message,
                     "lastProbeTime": t, "lastTransitionTime": t}));
    status["conditions"] = Value::Array(list);
}

/// `1,3-5`: sorted indexes as the Job controller writes `completedIndexes` and `failedIndexes`
/// (two neighbours are written `3,4`, not as a range).
pub fn format_indexes(indexes: &[i64]) -> String {
    let mut sorted = indexes.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut end = start;
        while i + 1 < sorted.len() && sorted[i + 1] == end + 1 {
            i += 1;
            end = sorted[i];
        }
        parts.push(match end - start {
            0 => start.to_string(),
            1 => format!("{start},{end}"),
            _ => format!("{start}-{end}"),
        });
        i += 1;
    }
    parts.join(",")
}

/// The indexes below `completions` a `completedIndexes`/`failedIndexes` string lists (parts
/// that do not parse are skipped, as the controller does).
pub fn parse_indexes(text: &str, completions: i64) -> Vec<i64> {
    let mut out = Vec::new();
    for part in text.split(',').filter(|p| !p.is_empty()) {
        let (first, last) = part.split_once('-').unwrap_or((part, part));
        let (Ok(first), Ok(last)) = (first.parse::<i64>(), last.parse::<i64>()) else { continue };
        out.extend(first..=last.min(completions - 1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_collapse_into_ranges() {
        assert_eq!(format_indexes(&[4, 0, 1, 2, 7]), "0-2,4,7");
        assert_eq!(format_indexes(&[]), "");
        assert_eq!(format_indexes(&[3, 4, 9]), "3,4,9");
    }

    #[test]
    fn written_indexes_read_back() {
        assert_eq!(parse_indexes("0-2,4,7,8", 10), [0, 1, 2, 4, 7, 8]);
        assert_eq!(parse_indexes("5-12,x", 8), [5, 6, 7]);
        assert_eq!(parse_indexes("", 3), Vec::<i64>::new());
    }
}
