//! The event recorder: core/v1 Events about objects, aggregated the way client-go's recorder does
//! (the same object, reason, message and source bump `count` and `lastTimestamp`).

use serde_json::{json, Value};

use super::{Cluster, Key, Propagation};
use crate::api::kinds;
use crate::api::ObjectExt;
use crate::Result;

/// Who reports an event: `source.component` and, for the kubelet, `source.host`.
#[derive(Debug, Clone, Copy)]
pub struct EventSource<'a> {
    pub component: &'a str,
    pub host: &'a str,
}

impl<'a> EventSource<'a> {
    pub const fn component(component: &'a str) -> Self {
        EventSource { component, host: "" }
    }
}

impl Cluster {
    /// Records a `Normal` event about `about`.
    pub fn normal(&mut self, about: &Value, source: EventSource, reason: &str, message: &str) -> Result<()> {
        self.event(about, "Normal", source, reason, message, "")
    }

    /// Records a `Warning` event about `about`.
    pub fn warning(&mut self, about: &Value, source: EventSource, reason: &str, message: &str) -> Result<()> {
        self.event(about, "Warning", source, reason, message, "")
    }

    /// Whether an event with this reason and message about `about` was recorded already.
    pub fn has_event(&mut self, about: &Value, reason: &str, message: &str) -> Result<bool> {
        let uid = about.uid();
        self.index_events(uid)?;
        let Some(key) = self.indexed_event(uid, reason, message) else { return Ok(false) };
        // It may have expired since it was indexed.
        Ok(self.get_ref(&key)?.is_some())
    }

    /// Records an event; `field_path` names a container (`spec.containers{nginx}`) when relevant.
    pub fn event(
        &mut self,
        about: &Value,
        type_: &str,
        source: EventSource,
        reason: &str,
        message: &str,
        field_path: &str,
    ) -> Result<()> {
        let uid = about.uid().to_string();
        let now = self.clock.now_rfc3339();
        self.index_events(&uid)?;
        if let Some(key) = self.indexed_event(&uid, reason, message) {
            if let Some(mut ev) = self.get(&key)? {
                let count = ev.i64_at("count").unwrap_or(1) + 1;
                ev["count"] = json!(count);
                ev["lastTimestamp"] = Value::String(now);
                self.store_object(ev, Propagation::Background)?;
                return Ok(());
            }
        }
        let namespace = if about.namespace().is_empty() { "default" } else { about.namespace() };
        // Names sort by creation, as the recorder's `<name>.<nanoseconds in hex>` names do.
        let name =
            format!("{}.{:016x}", about.name(), self.clock.now() as u64 * 1_000_000_000 + self.revision() as u64);
        let mut involved = json!({
            "apiVersion": about.str_at("apiVersion"),
            "kind": about.kind(),
            "name": about.name(),
            "resourceVersion": about.str_at("metadata.resourceVersion"),
            "uid": uid,
        });
        if !about.namespace().is_empty() {
            involved["namespace"] = json!(about.namespace());
        }
        if !field_path.is_empty() {
            involved["fieldPath"] = json!(field_path);
        }
        let mut src = json!({"component": source.component});
        if !source.host.is_empty() {
            src["host"] = json!(source.host);
        }
        let ev = json!({
            "apiVersion": "v1",
            "count": 1,
            "eventTime": null,
            "firstTimestamp": now,
            "involvedObject": involved,
            "kind": "Event",
            "lastTimestamp": now,
            "message": message,
            "metadata": {
                "creationTimestamp": now,
                "name": name,
                "namespace": namespace,
                "uid": self.ids.uid(),
            },
            "reason": reason,
            "reportingComponent": source.component,
            "reportingInstance": source.host,
            "source": src,
            "type": type_,
        });
        let key = Key::new(&kinds::EVENT, namespace, &name);
        self.store_object(ev, Propagation::Background)?;
        self.event_index.entry(uid).or_default().insert((reason.to_string(), message.to_string()), key);
        Ok(())
    }

    /// The event about `uid` with this reason and message, when one is indexed.
    fn indexed_event(&self, uid: &str, reason: &str, message: &str) -> Option<Key> {
        self.event_index.get(uid)?.get(&(reason.to_string(), message.to_string())).cloned()
    }

    /// Forgets the index of the events about `uid` (the object left memory; see `view`): a
    /// later event about it indexes them again from the store, which is why the uid stops
    /// counting as created in this command (its events are in the store).
    pub(super) fn forget_events_of(&mut self, uid: &str) {
        if self.events_indexed.remove(uid) {
            self.event_index.remove(uid);
            self.ref_index.remove(&(kinds::EVENT.kind, uid.to_string()));
            self.refs_loaded.remove(&(kinds::EVENT.kind, uid.to_string()));
            self.created.remove(uid);
        }
    }

    /// Indexes, once per command, the stored events about `uid` by reason and message, so that
    /// a repeated event updates its count instead of appearing twice.
    fn index_events(&mut self, uid: &str) -> Result<()> {
        if !self.events_indexed.insert(uid.to_string()) {
            return Ok(());
        }
        let found = self.map_by_ref(&kinds::EVENT, uid, |e| {
            let key = Key::new(&kinds::EVENT, e.namespace(), e.name());
            Some(((e.str_at("reason").to_string(), e.str_at("message").to_string()), key))
        })?;
        self.event_index.entry(uid.to_string()).or_default().extend(found);
        Ok(())
    }
}
