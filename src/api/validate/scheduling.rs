//! PriorityClass validation (pkg/apis/scheduling/validation): the `system-` prefix is reserved for
//! the two built-in classes, user values stop at one billion, and value and preemptionPolicy never
//! change.

use serde_json::Value;

use super::names::{self, q};
use super::{meta, Causes};
use crate::api::object::ObjectExt;
use crate::error::FieldError;

/// `HighestUserDefinablePriority`.
pub const HIGHEST_USER_PRIORITY: i64 = 1_000_000_000;
/// The classes every cluster has (`SystemPriorityClasses`): name, value, description.
pub const SYSTEM_CLASSES: [(&str, i64, &str); 2] = [
    (
        "system-node-critical",
        2_000_001_000,
        "Used for system critical pods that must not be moved from their current node.",
    ),
    (
        "system-cluster-critical",
        2_000_000_000,
        "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
    ),
];
const POLICIES: [&str; 2] = ["Never", "PreemptLowerPriority"];

fn global_default(pc: &Value) -> bool {
    pc.at("globalDefault").and_then(Value::as_bool).unwrap_or(false)
}

/// `IsKnownSystemPriorityClass`: why a `system-` name is not one of the built-in classes.
fn system_class_error(pc: &Value) -> Option<String> {
    let name = pc.name();
    let value = pc.i64_at("value").unwrap_or(0);
    match SYSTEM_CLASSES.iter().find(|(n, _, _)| *n == name) {
        None => Some(format!("{name} is not a known system priority class")),
        Some((_, v, _)) if *v != value => Some(format!("value of {name} PriorityClass must be {v}")),
        Some(_) if global_default(pc) => Some(format!("globalDefault of {name} PriorityClass must be false")),
        Some(_) => None,
    }
}

pub fn priority_class(pc: &Value, c: &mut Causes) {
    meta::object_meta(pc, false, names::name_is_dns_subdomain, c);
    if pc.name().starts_with("system-") {
        if let Some(err) = system_class_error(pc) {
            c.push(FieldError::forbidden(
                "metadata.name",
                &format!("priority class names with 'system-' prefix are reserved for system use only. error: {err}"),
            ));
        }
    } else if pc.i64_at("value").unwrap_or(0) > HIGHEST_USER_PRIORITY {
        c.push(FieldError::forbidden(
            "value",
            &format!("maximum allowed value of a user defined priority is {HIGHEST_USER_PRIORITY}"),
        ));
    }
    preemption_policy(pc, c);
}

fn preemption_policy(pc: &Value, c: &mut Causes) {
    if let Some(Value::String(p)) = pc.get("preemptionPolicy") {
        if !POLICIES.contains(&p.as_str()) {
            c.push(FieldError::unsupported("preemptionPolicy", p, &POLICIES));
        }
    }
}

/// `ValidatePriorityClassUpdate`: value and preemptionPolicy are immutable.
pub fn priority_class_update(old: &Value, new: &Value, c: &mut Causes) {
    if old.i64_at("value") != new.i64_at("value") {
        c.push(FieldError::forbidden("value", "may not be changed in an update."));
    }
    let policy = |pc: &Value| pc.str_at("preemptionPolicy").to_string();
    if policy(old) != policy(new) {
        c.push(FieldError::invalid("preemptionPolicy", &q(&policy(new)), "field is immutable"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn causes(pc: Value) -> Vec<String> {
        let mut c = Causes::new();
        priority_class(&pc, &mut c);
        c.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn system_names_and_large_values_are_refused() {
        let pc = |name: &str, value: i64| json!({"kind": "PriorityClass", "metadata": {"name": name}, "value": value});
        assert_eq!(causes(pc("system-cluster-critical", 2_000_000_000)), Vec::<String>::new());
        assert_eq!(
            causes(pc("system-x", 5)),
            ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-x is not a known system priority class"]
        );
        assert_eq!(
            causes(pc("system-node-critical", 5)),
            ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000"]
        );
        assert_eq!(
            causes(pc("big", 1_000_000_001)),
            ["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"]
        );
        assert_eq!(causes(pc("low", -2_147_483_648)), Vec::<String>::new());
    }
}
