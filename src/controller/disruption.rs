//! The disruption controller: a PodDisruptionBudget's status counts the pods it selects, how many
//! are healthy, how many must stay healthy, and so how many may be disrupted.

use serde_json::{json, Value};

use super::Controller;
use crate::api::kinds::{PDB, POD};
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, Key};
use crate::Result;

pub struct DisruptionController;

fn selector_of(pdb: &Value) -> Option<Selector> {
    Selector::from_label_selector(pdb.at("spec.selector")?).ok()
}

impl Controller for DisruptionController {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match change.key.kind {
            "PodDisruptionBudget" if change.object.is_some() => queue.push(change.key.clone()),
            "Pod" => {
                let ns = change.key.namespace.clone();
                cluster.load(&PDB, Some(&ns))?;
                for pdb in cluster.iter(&PDB, Some(&ns)) {
                    let Some(sel) = selector_of(pdb) else { continue };
                    if change.object.iter().chain(change.old.iter()).any(|p| sel.matches_object(p)) {
                        queue.push(Key::new(&PDB, &ns, pdb.name()));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some(pdb) = cluster.get(key)? else { return Ok(()) };
        let Some(selector) = selector_of(&pdb) else { return Ok(()) };
        cluster.load(&POD, Some(&key.namespace))?;
        let (mut expected, mut healthy) = (0i64, 0i64);
        // Pods of a scalable controller count as its replicas (a pod being replaced is still
        // expected); other pods count themselves.
        let mut owners: std::collections::BTreeSet<(String, String)> = Default::default();
        for pod in cluster.iter(&POD, Some(&key.namespace)).filter(|p| selector.matches_object(p)) {
            let owner =
                pod.array_at("metadata.ownerReferences").iter().find(|o| o.get("controller") == Some(&json!(true)));
            match owner {
                Some(o) => {
                    owners.insert((o.str_at("kind").to_string(), o.str_at("name").to_string()));
                }
                None if !pod.is_deleting() => expected += 1,
                None => {}
            }
            healthy += i64::from(!pod.is_deleting() && super::statefulset::is_running_and_ready(pod));
        }
        for (kind, name) in owners {
            let replicas = crate::api::kinds::by_kind(&kind)
                .and_then(|k| cluster.get_ref(&Key::new(k, &key.namespace, &name)).ok().flatten())
                .and_then(|o| o.i64_at("spec.replicas"));
            expected += replicas.unwrap_or(1);
        }
        let desired = desired_healthy(&pdb, expected);
        let allowed = (healthy - desired).max(0);
        let now = cluster.clock.now_rfc3339();
        let status = json!({
            "conditions": disruption_allowed(pdb.array_at("status.conditions"), allowed, &now),
            "currentHealthy": healthy,
            "desiredHealthy": desired,
            "disruptionsAllowed": allowed,
            "expectedPods": expected,
            "observedGeneration": pdb.i64_at("metadata.generation").unwrap_or(1),
        });
        if pdb.get("status") != Some(&status) {
            let mut next = pdb;
            next["status"] = status;
            cluster.update_status(next)?;
        }
        Ok(())
    }
}

/// The conditions with `DisruptionAllowed` set as pdbhelper.UpdateDisruptionAllowedCondition sets
/// it (meta.SetStatusCondition: the transition time moves only when the status flips; no
/// observedGeneration, an empty message).
fn disruption_allowed(conditions: &[Value], allowed: i64, now: &str) -> Vec<Value> {
    let (state, reason) = if allowed > 0 { ("True", "SufficientPods") } else { ("False", "InsufficientPods") };
    let mut out = conditions.to_vec();
    match out.iter_mut().find(|c| c.str_at("type") == "DisruptionAllowed") {
        Some(c) => {
            if c.str_at("status") != state {
                c["status"] = json!(state);
                c["lastTransitionTime"] = json!(now);
            }
            c["reason"] = json!(reason);
            c["message"] = json!("");
        }
        None => out.push(json!({
            "lastTransitionTime": now,
            "message": "",
            "reason": reason,
            "status": state,
            "type": "DisruptionAllowed",
        })),
    }
    out
}

/// How many selected pods must stay healthy: `minAvailable`, or all but `maxUnavailable`
/// (percentages of the expected pods, rounded up for minAvailable and down for maxUnavailable).
fn desired_healthy(pdb: &Value, expected: i64) -> i64 {
    let amount = |v: &Value, round_up: bool| -> i64 {
        match v {
            Value::String(s) if s.ends_with('%') => {
                let pct: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
                let scaled = expected * pct;
                if round_up {
                    (scaled + 99) / 100
                } else {
                    scaled / 100
                }
            }
            other => other.as_i64().unwrap_or(0),
        }
    };
    if let Some(min) = pdb.at("spec.minAvailable") {
        return amount(min, true);
    }
    match pdb.at("spec.maxUnavailable") {
        Some(max) => (expected - amount(max, false)).max(0),
        None => expected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desired_healthy_follows_min_available_or_max_unavailable() {
        assert_eq!(desired_healthy(&json!({"spec": {"maxUnavailable": 1}}), 3), 2);
        assert_eq!(desired_healthy(&json!({"spec": {"minAvailable": 2}}), 3), 2);
        assert_eq!(desired_healthy(&json!({"spec": {"minAvailable": "50%"}}), 3), 2);
        assert_eq!(desired_healthy(&json!({"spec": {"maxUnavailable": "50%"}}), 3), 2);
    }
}
