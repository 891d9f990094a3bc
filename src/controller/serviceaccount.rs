//! The service accounts controller (`pkg/controller/serviceaccount`): every active namespace has
//! a `default` ServiceAccount; one that is deleted is made again. Its writes stay out of the id
//! sequence (`Cluster::aside`), so creating a namespace leaves the uids and names a script saw
//! before this controller existed as they were.

use serde_json::json;

use super::Controller;
use crate::api::kinds::{NAMESPACE, SERVICEACCOUNT};
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, Key};
use crate::Result;

/// The account every namespace gets (`DefaultServiceAccountName`).
pub const DEFAULT_ACCOUNT: &str = "default";

pub struct ServiceAccountsController;

impl Controller for ServiceAccountsController {
    fn watch(&mut self, change: &Change, _cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match change.key.kind {
            // A namespace that appears (or an update of one still active).
            "Namespace" if change.object.as_ref().is_some_and(|ns| !ns.is_deleting()) => {
                queue.push(change.key.clone());
            }
            "ServiceAccount" if change.object.is_none() && change.key.name == DEFAULT_ACCOUNT => {
                queue.push(Key::new(&NAMESPACE, "", &change.key.namespace));
            }
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let active = cluster.get_ref(key)?.is_some_and(|ns| !ns.is_deleting());
        if !active {
            return Ok(());
        }
        let account = Key::new(&SERVICEACCOUNT, &key.name, DEFAULT_ACCOUNT);
        if cluster.get_ref(&account)?.is_some() {
            return Ok(());
        }
        let namespace = key.name.clone();
        cluster.aside(&format!("serviceaccount/{namespace}"), |c| c.create(default_account(), &namespace).map(|_| ()))
    }
}

/// What the controller creates: a bare account.
pub fn default_account() -> serde_json::Value {
    json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": DEFAULT_ACCOUNT}})
}
