//! The event recorder: core/v1 Events about objects, aggregated the way client-go's recorder does
//! (the same object, reason, message and source bump `count` and `lastTimestamp`).

use serde_json::{json, Value};

use super::similar::{Aggregate, COMBINED};
use super::{Cluster, Key, Propagation};
use crate::api::kinds;
use crate::api::ObjectExt;
use crate::store::ObjectRow;
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

/// `<object name>.<16 hex digits>`, written by hand: a large change names a dozen events per pod.
fn event_name(about: &str, suffix: u64) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut name = String::with_capacity(about.len() + 17);
    name.push_str(about);
    name.push('.');
    for shift in (0..16).rev() {
        name.push(char::from(HEX[(suffix >> (shift * 4)) as usize & 0xf]));
    }
    name
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
        let Some(key) = self.find_event(uid, &(reason.to_string(), message.to_string()))? else { return Ok(false) };
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
        let uid = about.uid();
        let now = self.clock.now_rfc3339();
        // The object's events by reason and message: the key to look for, then to index by.
        let index_key = (reason.to_string(), message.to_string());
        if let Some(key) = self.find_event(uid, &index_key)? {
            if self.count_up(&key, None)? {
                self.note_similar(uid, &key, type_, source, reason, message);
                return Ok(());
            }
        }
        // A new message: perhaps the tenth similar one, to be combined with the others.
        let combined;
        let mut message = message;
        if let Aggregate::Combined(existing) = self.aggregate(uid, type_, source, reason, message)? {
            combined = format!("{COMBINED}{message}");
            message = &combined;
            if let Some(key) = existing {
                if self.count_up(&key, Some(message))? {
                    self.note_similar(uid, &key, type_, source, reason, message);
                    return Ok(());
                }
            }
        }
        let index_key = (reason.to_string(), message.to_string());
        let about_namespace = about.namespace();
        let namespace = if about_namespace.is_empty() { "default" } else { about_namespace };
        let about_name = about.name();
        // Names sort by creation, as the recorder's `<name>.<nanoseconds in hex>` names do.
        let name = event_name(about_name, self.clock.now() as u64 * 1_000_000_000 + self.revision() as u64);
        let event = NewEvent {
            involved: Involved {
                api_version: about.str_at("apiVersion"),
                kind: about.kind(),
                name: about_name,
                namespace: about_namespace,
                resource_version: about.str_at("metadata.resourceVersion"),
                uid,
                field_path,
            },
            type_,
            source,
            reason,
            message,
            now: &now,
            name: &name,
            namespace,
            uid: &self.ids.uid(),
            revision: self.revision + 1,
        };
        let key = Key::new(&kinds::EVENT, namespace, &name);
        self.write_new_event(&key, &event)?;
        self.note_similar(uid, &key, type_, source, reason, message);
        self.event_index.entry(uid.to_string()).or_default().insert(index_key, key);
        Ok(())
    }

    /// Counts a recorded event up (its message replaced by `message` if given, as a combined
    /// event's is); false when it is gone (expired).
    fn count_up(&mut self, key: &Key, message: Option<&str>) -> Result<bool> {
        let Some(mut ev) = self.get(key)? else { return Ok(false) };
        let count = ev.i64_at("count").unwrap_or(1) + 1;
        ev["count"] = json!(count);
        ev["lastTimestamp"] = Value::String(self.clock.now_rfc3339());
        if let Some(message) = message {
            ev["message"] = json!(message);
        }
        self.store_object(ev, Propagation::Background)?;
        Ok(true)
    }

    /// Stores a new event, as [`Cluster::store_object`] stores an event: written through to
    /// the store at once, with its expiry. The recorder writes its JSON text itself: a large
    /// change records ten events per pod, and a `Value` built only to be serialized and
    /// dropped took as many instructions as SQLite's writes of the event.
    fn write_new_event(&mut self, key: &Key, event: &NewEvent) -> Result<()> {
        let body = event.to_json();
        if !self.writable {
            // Kept in memory until the transaction is rolled back, as any write is.
            let ev: Value = serde_json::from_str(&body).map_err(anyhow::Error::from)?;
            self.store_object(ev, Propagation::Background)?;
            return Ok(());
        }
        self.revision = event.revision;
        self.note_reference(key, event.involved.uid);
        self.write_event_through(key, |store, expires| {
            store.put_row(&ObjectRow {
                kind: key.kind,
                namespace: &key.namespace,
                name: &key.name,
                uid: event.uid,
                reference: event.involved.uid,
                revision: event.revision,
                body: &body,
                expires,
            })
        })
    }

    /// The event about `uid` with this reason and message (`index_key`), recorded in this
    /// command or stored. An object's first few lookups in a command ask the store for their
    /// own reason and message (a one-pod change to a set of 10,000 pods says one thing about a
    /// set with 20,000 events); after that its events are indexed once, so a large change does
    /// not ask once per event.
    fn find_event(&mut self, uid: &str, index_key: &(String, String)) -> Result<Option<Key>> {
        if let Some(key) = self.indexed_event(uid, index_key) {
            return Ok(Some(key));
        }
        let asked = self.event_lookups.entry(uid.to_string()).or_default();
        *asked += 1;
        let targeted = *asked <= TARGETED_LOOKUPS && self.writable && !self.events_indexed.contains(uid);
        if !targeted {
            self.index_events(uid)?;
            return Ok(self.indexed_event(uid, index_key));
        }
        // This command's events about `uid` are in the index already (checked above).
        if self.created.contains(uid) {
            return Ok(None);
        }
        let found = self.store.find_events_said(uid, &index_key.0, &index_key.1)?;
        // As the index would have it: of two alike (a user's), the last in name order.
        Ok(found.last().map(|f| Key::new(&kinds::EVENT, &f.namespace, &f.name)))
    }

    /// The event about `uid` with this reason and message (`index_key`), when one is indexed.
    fn indexed_event(&self, uid: &str, index_key: &(String, String)) -> Option<Key> {
        self.event_index.get(uid)?.get(index_key).cloned()
    }

    /// Forgets the index of the events about `uid` (the object left memory; see `view`): a
    /// later event about it indexes them again from the store, which is why the uid stops
    /// counting as created in this command (its events are in the store).
    pub(super) fn forget_events_of(&mut self, uid: &str) {
        self.event_lookups.remove(uid);
        self.similar.remove(uid);
        let indexed = self.events_indexed.remove(uid);
        if self.event_index.remove(uid).is_some() || indexed {
            self.ref_index.remove(&(kinds::EVENT.kind, uid.to_string()));
            self.refs_loaded.remove(&(kinds::EVENT.kind, uid.to_string()));
            self.created.remove(uid);
        }
    }

    /// Indexes, once per command, the stored events about `uid` by reason and message, so that
    /// a repeated event updates its count instead of appearing twice.
    fn index_events(&mut self, uid: &str) -> Result<()> {
        if self.events_indexed.contains(uid) {
            return Ok(());
        }
        self.events_indexed.insert(uid.to_string());
        // A writing command's events are all in the store (written through); nothing in it is
        // about an object this command created, until that object leaves memory (see
        // `forget_events_of`).
        let found = if !self.writable {
            self.map_by_ref(&kinds::EVENT, uid, |e| {
                let key = Key::new(&kinds::EVENT, e.namespace(), e.name());
                Some(((e.str_at("reason").to_string(), e.str_at("message").to_string()), key))
            })?
        } else if self.created.contains(uid) {
            Vec::new()
        } else {
            let facts = self.store.event_facts_by_ref(uid)?;
            facts.into_iter().map(|f| ((f.reason, f.message), Key::new(&kinds::EVENT, &f.namespace, &f.name))).collect()
        };
        self.event_index.entry(uid.to_string()).or_default().extend(found);
        Ok(())
    }
}

/// How many times a command looks an object's event up in the store by reason and message
/// before it indexes all of the object's events (see `find_event`).
const TARGETED_LOOKUPS: u32 = 8;

/// The object an event is about, as its `involvedObject` holds it.
struct Involved<'a> {
    api_version: &'a str,
    kind: &'a str,
    name: &'a str,
    /// Empty for a cluster-scoped object (the field is left out).
    namespace: &'a str,
    resource_version: &'a str,
    uid: &'a str,
    /// Empty unless the event is about one container (the field is left out).
    field_path: &'a str,
}

/// A new event (`count` 1), stored with resourceVersion `revision`.
struct NewEvent<'a> {
    involved: Involved<'a>,
    type_: &'a str,
    source: EventSource<'a>,
    reason: &'a str,
    message: &'a str,
    /// Its first and last timestamp and creation time (RFC 3339).
    now: &'a str,
    name: &'a str,
    namespace: &'a str,
    uid: &'a str,
    revision: i64,
}

impl NewEvent<'_> {
    /// The event's JSON exactly as `serde_json::to_string` writes its `Value`: compact, the keys
    /// of every object in sorted order, strings escaped by serde_json itself.
    fn to_json(&self) -> String {
        let mut out = Json(String::with_capacity(1024));
        let inv = &self.involved;
        out.raw(r#"{"apiVersion":"v1","count":1,"eventTime":null,"firstTimestamp":"#);
        out.str(self.now);
        out.raw(r#","involvedObject":{"apiVersion":"#);
        out.str(inv.api_version);
        out.opt_field("fieldPath", inv.field_path);
        out.field("kind", inv.kind);
        out.field("name", inv.name);
        out.opt_field("namespace", inv.namespace);
        out.field("resourceVersion", inv.resource_version);
        out.field("uid", inv.uid);
        out.raw(r#"},"kind":"Event","lastTimestamp":"#);
        out.str(self.now);
        out.field("message", self.message);
        out.raw(r#","metadata":{"creationTimestamp":"#);
        out.str(self.now);
        out.field("name", self.name);
        out.field("namespace", self.namespace);
        out.field("resourceVersion", &self.revision.to_string());
        out.field("uid", self.uid);
        out.raw("}");
        out.field("reason", self.reason);
        out.field("reportingComponent", self.source.component);
        out.field("reportingInstance", self.source.host);
        out.raw(r#","source":{"component":"#);
        out.str(self.source.component);
        out.opt_field("host", self.source.host);
        out.raw("}");
        out.field("type", self.type_);
        out.raw("}");
        out.0
    }
}

/// JSON text being written by hand (see [`NewEvent::to_json`]).
struct Json(String);

impl Json {
    fn raw(&mut self, text: &str) {
        self.0.push_str(text);
    }

    /// A string value, escaped as serde_json escapes it.
    fn str(&mut self, value: &str) {
        crate::store::json::write_string(&mut self.0, value);
    }

    /// `,"key":value` (keys are plain identifiers: nothing to escape).
    fn field(&mut self, key: &str, value: &str) {
        self.raw(",\"");
        self.raw(key);
        self.raw("\":");
        self.str(value);
    }

    /// [`Json::field`], left out when `value` is empty.
    fn opt_field(&mut self, key: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        self.field(key, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names_end_in_sixteen_hex_digits() {
        for n in [0, 1, 0xabc, 1_795_772_723_000_000_042, u64::MAX] {
            assert_eq!(event_name("web-0", n), format!("web-0.{n:016x}"));
        }
    }

    /// The event as a `Value`, as the recorder used to build it before serializing it.
    fn as_value(e: &NewEvent) -> Value {
        let inv = &e.involved;
        let mut involved = json!({
            "apiVersion": inv.api_version,
            "kind": inv.kind,
            "name": inv.name,
            "resourceVersion": inv.resource_version,
            "uid": inv.uid,
        });
        if !inv.namespace.is_empty() {
            involved["namespace"] = json!(inv.namespace);
        }
        if !inv.field_path.is_empty() {
            involved["fieldPath"] = json!(inv.field_path);
        }
        let mut src = json!({"component": e.source.component});
        if !e.source.host.is_empty() {
            src["host"] = json!(e.source.host);
        }
        json!({
            "apiVersion": "v1",
            "count": 1,
            "eventTime": null,
            "firstTimestamp": e.now,
            "involvedObject": involved,
            "kind": "Event",
            "lastTimestamp": e.now,
            "message": e.message,
            "metadata": {
                "creationTimestamp": e.now,
                "name": e.name,
                "namespace": e.namespace,
                "resourceVersion": e.revision.to_string(),
                "uid": e.uid,
            },
            "reason": e.reason,
            "reportingComponent": e.source.component,
            "reportingInstance": e.source.host,
            "source": src,
            "type": e.type_,
        })
    }

    #[test]
    fn a_new_event_is_written_as_serde_json_writes_its_value() {
        let odd = "quote \" backslash \\ tab \t newline \n nul \u{0} bell \u{7} del \u{7f} é ✓ 😀 </script>";
        for (namespace, field_path, host, message) in [
            ("default", "", "", "Successfully assigned default/web-0 to node-1"),
            ("", "spec.containers{nginx}", "node-1", odd),
            ("kube-system", "spec.initContainers{init}", "", ""),
            ("", "", "gke-node-7", "Back-off restarting failed container"),
        ] {
            let event = NewEvent {
                involved: Involved {
                    api_version: if namespace.is_empty() { "" } else { "v1" },
                    kind: "Pod",
                    name: "web-0",
                    namespace,
                    resource_version: "42",
                    uid: "0b8c-uid",
                    field_path,
                },
                type_: "Warning",
                source: EventSource { component: "kubelet", host },
                reason: "Odd\"Reason",
                message,
                now: "2026-11-27T09:00:00Z",
                name: "web-0.18ebdb4cf44da0e1",
                namespace: if namespace.is_empty() { "default" } else { namespace },
                uid: "ac8f8e62-d558-482a-b54d-d0bdb78370f5",
                revision: 1_234_567,
            };
            let want = serde_json::to_string(&as_value(&event)).expect("serialize");
            assert_eq!(event.to_json(), want);
        }
    }
}
