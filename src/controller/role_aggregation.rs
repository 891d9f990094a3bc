//! The ClusterRole aggregation controller: a ClusterRole with an `aggregationRule` has, as its
//! rules, every distinct rule of the other ClusterRoles its selectors match (each selector's
//! roles taken by name). Bootstrap's `admin`, `edit` and `view` are made so.

use serde_json::Value;

use super::Controller;
use crate::api::kinds::CLUSTERROLE;
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, Key};
use crate::Result;

pub struct RoleAggregation;

fn aggregates(role: &Value) -> bool {
    role.at("aggregationRule").is_some_and(|r| !r.is_null())
}

/// The rules `role` aggregates from `roles` (all ClusterRoles), or None when it aggregates none.
pub fn aggregated_rules(role: &Value, roles: &[Value]) -> Option<Vec<Value>> {
    if !aggregates(role) {
        return None;
    }
    let mut sorted: Vec<&Value> = roles.iter().collect();
    sorted.sort_by(|a, b| a.name().cmp(b.name()));
    let mut rules: Vec<Value> = Vec::new();
    for selector in role.array_at("aggregationRule.clusterRoleSelectors") {
        // An invalid selector selects nothing (the controller logs and skips it).
        let Ok(sel) = Selector::from_label_selector(selector) else { continue };
        for other in sorted.iter().filter(|o| o.name() != role.name() && sel.matches_object(o)) {
            for rule in other.array_at("rules") {
                if !rules.contains(rule) {
                    rules.push(rule.clone());
                }
            }
        }
    }
    Some(rules)
}

impl Controller for RoleAggregation {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        if change.key.kind != "ClusterRole" {
            return Ok(());
        }
        // Any role's labels or rules may feed an aggregating role: those few are all requeued.
        cluster.load(&CLUSTERROLE, None)?;
        for role in cluster.iter(&CLUSTERROLE, None).filter(|r| aggregates(r)) {
            queue.push(Key::new(&CLUSTERROLE, "", role.name()));
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some(role) = cluster.get(key)? else { return Ok(()) };
        let roles = cluster.list(&CLUSTERROLE, None)?;
        let Some(rules) = aggregated_rules(&role, &roles) else { return Ok(()) };
        let current = role.get("rules").and_then(Value::as_array).cloned().unwrap_or_default();
        if current != rules {
            let mut next = role;
            next["rules"] = Value::Array(rules);
            cluster.update_status(next)?;
        }
        Ok(())
    }
}
