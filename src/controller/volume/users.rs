//! Which pods use each claim, per namespace: built from the namespace's pods the first time a
//! claim there needs it, then kept current from the change stream, so syncing one claim does not
//! read every pod of its namespace (a set of N claims would otherwise cost N × N).

use std::collections::BTreeMap;

use foldhash::HashMap;
use serde_json::Value;

use super::{claims_of, same_claims};
use crate::api::kinds::POD;
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster};
use crate::Result;

/// What the volume controller needs of a pod using a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Use {
    /// Not yet on a node: a WaitForFirstConsumer claim waits for it.
    pub unscheduled: bool,
    /// Succeeded or Failed: it no longer holds the claim.
    pub finished: bool,
}

fn use_of(pod: &Value) -> Use {
    Use {
        unscheduled: pod.str_at("spec.nodeName").is_empty(),
        finished: matches!(pod.str_at("status.phase"), "Succeeded" | "Failed"),
    }
}

/// Claim name → the pods (by name) using it.
type Index = HashMap<String, BTreeMap<String, Use>>;

#[derive(Default)]
pub struct ClaimUsers {
    by_namespace: HashMap<String, Index>,
}

impl ClaimUsers {
    /// Applies a pod change to the namespaces already indexed.
    pub fn observe(&mut self, change: &Change) {
        if change.key.kind != "Pod" {
            return;
        }
        let Some(index) = self.by_namespace.get_mut(&change.key.namespace) else { return };
        // A pod that keeps its claims and its use of them (most changes) changes nothing here.
        if let (Some(old), Some(new)) = (change.old.as_deref(), change.object.as_deref()) {
            if use_of(old) == use_of(new) && same_claims(old, new) {
                return;
            }
        }
        for claim in change.old.iter().flat_map(|old| claims_of(old)) {
            if let Some(pods) = index.get_mut(&claim) {
                pods.remove(&change.key.name);
                if pods.is_empty() {
                    index.remove(&claim);
                }
            }
        }
        if let Some(pod) = &change.object {
            let used = use_of(pod);
            for claim in claims_of(pod) {
                index.entry(claim).or_default().insert(change.key.name.clone(), used);
            }
        }
    }

    /// The pods using claim `name` in `namespace`, by pod name.
    pub fn of(&mut self, cluster: &mut Cluster, namespace: &str, name: &str) -> Result<Vec<(String, Use)>> {
        if !self.by_namespace.contains_key(namespace) {
            cluster.load(&POD, Some(namespace))?;
            let mut index = Index::default();
            for pod in cluster.iter(&POD, Some(namespace)) {
                for claim in claims_of(pod) {
                    index.entry(claim).or_default().insert(pod.name().to_string(), use_of(pod));
                }
            }
            self.by_namespace.insert(namespace.to_string(), index);
        }
        let pods = self.by_namespace.get(namespace).and_then(|index| index.get(name));
        Ok(pods.map(|p| p.iter().map(|(n, u)| (n.clone(), *u)).collect()).unwrap_or_default())
    }
}
