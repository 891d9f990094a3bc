//! The Eviction subresource (`POST pods/<name>/eviction`): a graceful delete that a
//! PodDisruptionBudget can refuse.

use serde_json::{json, Value};

use super::{Cluster, Key, Propagation};
use crate::api::kinds::{PDB, POD};
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::{Error, Result};

/// Why an eviction was refused, with the HTTP status kubectl acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// 404: the pod is gone (drain treats it as done).
    NotFound,
    /// 429: a budget does not allow it now; retry later.
    TooManyRequests(String),
    /// Any other failure.
    Failed(String),
}

pub const BUDGET_VIOLATION: &str = "Cannot evict pod as it would violate the pod's disruption budget.";

impl Cluster {
    /// Evicts a pod as the API server does: pods that are not running, or are already going, are
    /// deleted; otherwise the one budget selecting it must allow a disruption, which the eviction
    /// then uses up.
    pub fn evict(&mut self, key: &Key, grace: Option<i64>) -> Result<std::result::Result<(), Refused>> {
        let Some(pod) = self.get(key)? else { return Ok(Err(Refused::NotFound)) };
        let exempt = pod.is_deleting() || matches!(pod.str_at("status.phase"), "Succeeded" | "Failed" | "Pending");
        if !exempt {
            self.load(&PDB, Some(pod.namespace()))?;
            let budgets: Vec<Value> = self
                .iter(&PDB, Some(pod.namespace()))
                .filter(|b| {
                    b.at("spec.selector")
                        .and_then(|s| Selector::from_label_selector(s).ok())
                        .is_some_and(|s| !s.is_empty() && s.matches_object(&pod))
                })
                .cloned()
                .collect();
            match budgets.as_slice() {
                [] => {}
                [budget] => {
                    if let Err(refused) = self.take_disruption(budget, &pod)? {
                        return Ok(Err(refused));
                    }
                }
                _ => return Ok(Err(Refused::Failed(
                    "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."
                        .into(),
                ))),
            }
        }
        match self.delete(key, Propagation::Background, grace) {
            Ok(_) => Ok(Ok(())),
            Err(Error::NotFound { .. }) => Ok(Err(Refused::NotFound)),
            Err(e @ Error::Internal(_)) => Err(e),
            Err(e) => Ok(Err(Refused::Failed(e.to_string()))),
        }
    }

    fn take_disruption(&mut self, budget: &Value, pod: &Value) -> Result<std::result::Result<(), Refused>> {
        let observed = budget.i64_at("status.observedGeneration");
        if observed.is_none() || observed < budget.i64_at("metadata.generation") {
            return Ok(Err(Refused::TooManyRequests(BUDGET_VIOLATION.into())));
        }
        let allowed = budget.i64_at("status.disruptionsAllowed").unwrap_or(0);
        if allowed < 0 {
            return Ok(Err(Refused::Failed("pdb disruptions allowed is negative".into())));
        }
        if allowed == 0 {
            return Ok(Err(Refused::TooManyRequests(BUDGET_VIOLATION.into())));
        }
        let mut next = budget.clone();
        next["status"]["disruptionsAllowed"] = json!(allowed - 1);
        next["status"]["disruptedPods"][pod.name()] = json!(self.clock.now_rfc3339());
        self.update_status(next)?;
        Ok(Ok(()))
    }
}

/// The pods bound to a node, by namespace and name.
pub fn pods_on(cluster: &mut Cluster, node: &str) -> Result<Vec<Value>> {
    cluster.load(&POD, None)?;
    Ok(cluster.iter(&POD, None).filter(|p| p.str_at("spec.nodeName") == node).cloned().collect())
}
