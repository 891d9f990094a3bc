//! The resource quota controller (`pkg/controller/resourcequota`): a quota's `status.hard` follows
//! its spec and `status.used` is recounted when the quota changes or when an object of its
//! namespace stops using what it used (deleted, finished, resized). A new object was charged by
//! admission already, so creations cause no recount.

use super::Controller;
use crate::api::kinds::{self, RESOURCEQUOTA};
use crate::api::quota;
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, Key};
use crate::Result;

pub struct QuotaController;

impl Controller for QuotaController {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        if change.key.kind == "ResourceQuota" {
            let spec = |o: &Option<std::rc::Rc<serde_json::Value>>| o.as_ref().and_then(|q| q.at("spec").cloned());
            if change.object.is_some() && spec(&change.old) != spec(&change.object) {
                queue.push(change.key.clone());
            }
            return Ok(());
        }
        if change.key.namespace.is_empty() || change.old.is_none() || change.key.kind == "Event" {
            return Ok(());
        }
        // Most namespaces have no quota: that is one look at a cached list.
        let ns = change.key.namespace.as_str();
        cluster.load(&RESOURCEQUOTA, Some(ns))?;
        if cluster.iter(&RESOURCEQUOTA, Some(ns)).next().is_none() {
            return Ok(());
        }
        let Some(kind) = kinds::by_kind(change.key.kind) else { return Ok(()) };
        let usage = |o: &Option<std::rc::Rc<serde_json::Value>>| o.as_ref().map(|v| quota::usage(kind, v));
        if usage(&change.old) == usage(&change.object) {
            return Ok(());
        }
        queue.extend(cluster.iter(&RESOURCEQUOTA, Some(ns)).map(|q| Key::new(&RESOURCEQUOTA, ns, q.name())));
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some(q) = cluster.get(key)?.filter(|q| !q.is_deleting()) else { return Ok(()) };
        cluster.recount_quota(&q).map(|_| ())
    }
}
