//! Deployment conditions and status (`pkg/controller/deployment/util` and `sync.go`, v1.32).

use serde_json::{json, Value};

use crate::api::ObjectExt;
use crate::clock::{format_rfc3339, Instant};

pub const AVAILABLE: &str = "Available";
pub const PROGRESSING: &str = "Progressing";
pub const NEW_RS_CREATED: &str = "NewReplicaSetCreated";
pub const FOUND_NEW_RS: &str = "FoundNewReplicaSet";
pub const RS_UPDATED: &str = "ReplicaSetUpdated";
pub const NEW_RS_AVAILABLE: &str = "NewReplicaSetAvailable";
pub const TIMED_OUT: &str = "ProgressDeadlineExceeded";
pub const PAUSED: &str = "DeploymentPaused";
pub const RESUMED: &str = "DeploymentResumed";

/// A new condition, both of its times now.
pub fn new_condition(type_: &str, status: &str, reason: &str, message: &str, now: Instant) -> Value {
    let t = format_rfc3339(now);
    json!({"type": type_, "status": status, "reason": reason, "message": message,
           "lastUpdateTime": t, "lastTransitionTime": t})
}

pub fn get<'a>(status: &'a Value, type_: &str) -> Option<&'a Value> {
    status.array_at("conditions").iter().find(|c| c.str_at("type") == type_)
}

/// `SetDeploymentCondition`: the same status and reason change nothing; the same status keeps
/// its transition time. Conditions keep their order; a new type goes last.
pub fn set(status: &mut Value, mut cond: Value) {
    let type_ = cond.str_at("type").to_string();
    if let Some(cur) = get(status, &type_) {
        if cur.str_at("status") == cond.str_at("status") && cur.str_at("reason") == cond.str_at("reason") {
            return;
        }
        if cur.str_at("status") == cond.str_at("status") {
            cond["lastTransitionTime"] = cur.get("lastTransitionTime").cloned().unwrap_or(Value::Null);
        }
    }
    let mut list: Vec<Value> =
        status.array_at("conditions").iter().filter(|c| c.str_at("type") != type_).cloned().collect();
    list.push(cond);
    status["conditions"] = Value::Array(list);
}

pub fn remove(status: &mut Value, type_: &str) {
    let list: Vec<Value> =
        status.array_at("conditions").iter().filter(|c| c.str_at("type") != type_).cloned().collect();
    status["conditions"] = Value::Array(list);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_reason_with_the_same_status_keeps_the_transition_time() {
        let mut s = json!({});
        set(&mut s, new_condition(PROGRESSING, "True", NEW_RS_CREATED, "a", 10));
        set(&mut s, new_condition(PROGRESSING, "True", RS_UPDATED, "b", 20));
        let c = get(&s, PROGRESSING).unwrap();
        assert_eq!(c.str_at("lastTransitionTime"), format_rfc3339(10));
        assert_eq!(c.str_at("lastUpdateTime"), format_rfc3339(20));
        set(&mut s, new_condition(PROGRESSING, "True", RS_UPDATED, "c", 30));
        assert_eq!(get(&s, PROGRESSING).unwrap().str_at("message"), "b");
    }
}
