//! client-go's event aggregator (`EventAggregator` in tools/record/events_cache.go): events
//! about one object from one source with one type and reason but different messages are
//! similar; when a new message makes ten of them within ten minutes of the last (the record
//! starts again after a longer gap), the recorder writes one `(combined from similar events):
//! MESSAGE` event instead, and counts it up (its message the latest) at each further one. A
//! quota's refused pods, each named by the pod name the API server generated, so come to one
//! event with a growing count, as a ReplicaSet's `Created pod: ...` of a large scale-up does.
//!
//! The real aggregator keeps its records in memory; kstate derives them from the stored events
//! (once per object and reason in a command, then kept up to date), taking an event seen several
//! times as seen throughout its first and last time.

use super::{Cluster, EventSource, Key};
use crate::api::kinds;
use crate::clock::{parse_rfc3339, Instant};
use crate::Result;

/// `defaultAggregateMaxEvents`: the distinct messages that make events combined.
const MAX_EVENTS: usize = 10;
/// `defaultAggregateIntervalInSeconds`: the longest gap within one record.
const MAX_INTERVAL: Instant = 600;
/// `EventAggregatorByReasonMessageFunc`'s prefix.
pub const COMBINED: &str = "(combined from similar events): ";

/// An event about the object with the reason: who said it, what, and when.
pub struct Seen {
    key: Key,
    message: String,
    type_: String,
    component: String,
    host: String,
    first: Instant,
    last: Instant,
}

impl Seen {
    fn combined(&self) -> bool {
        self.message.starts_with(COMBINED)
    }
}

/// What the recorder writes for a new message.
pub enum Aggregate {
    /// The event as it is.
    Plain,
    /// The combined event: counted up if it is stored, else written anew.
    Combined(Option<Key>),
}

impl Cluster {
    /// The events about `uid` with `reason`, read from the store on first use in a command.
    fn seen(&mut self, uid: &str, reason: &str) -> Result<&mut Vec<Seen>> {
        let known = self.similar.get(uid).is_some_and(|by_reason| by_reason.contains_key(reason));
        if !known {
            // An object created in this command has no stored events.
            let stored =
                if self.created.contains(uid) { Vec::new() } else { self.store.events_of_reason(uid, reason)? };
            let list = stored
                .into_iter()
                .map(|f| Seen {
                    key: Key::new(&kinds::EVENT, &f.namespace, &f.name),
                    first: parse_rfc3339(&f.first).unwrap_or(0),
                    last: parse_rfc3339(&f.last).unwrap_or(0),
                    message: f.message,
                    type_: f.type_,
                    component: f.component,
                    host: f.host,
                })
                .collect();
            self.similar.entry(uid.to_string()).or_default().insert(reason.to_string(), list);
        }
        Ok(self.similar.entry(uid.to_string()).or_default().entry(reason.to_string()).or_default())
    }

    /// `EventAggregate` for an event whose message is new about the object (no stored event
    /// says it): whether it is to be combined with the similar ones.
    pub(super) fn aggregate(
        &mut self,
        uid: &str,
        type_: &str,
        source: EventSource,
        reason: &str,
        message: &str,
    ) -> Result<Aggregate> {
        // A command that writes nothing keeps its events in memory only: they stay plain.
        if !self.writable {
            return Ok(Aggregate::Plain);
        }
        let now = self.clock.now();
        let seen = self.seen(uid, reason)?;
        let mut similar: Vec<&Seen> = seen
            .iter()
            .filter(|s| s.type_ == type_ && s.component == source.component && s.host == source.host)
            .collect();
        similar.sort_by_key(|s| std::cmp::Reverse(s.last));
        // The record: the similar events back from now while no gap is longer than the interval.
        let mut start = now;
        let mut messages: Vec<&str> = Vec::new();
        let mut full = false;
        for s in &similar {
            if start - s.last > MAX_INTERVAL {
                break;
            }
            start = start.min(s.first);
            if s.combined() {
                full = true;
            } else if !messages.contains(&s.message.as_str()) && s.message != message {
                messages.push(&s.message);
            }
        }
        if !full && messages.len() + 1 < MAX_EVENTS {
            return Ok(Aggregate::Plain);
        }
        // The combined event is found by its key whatever its age, as the recorder's cache of
        // observed events finds it.
        Ok(Aggregate::Combined(similar.iter().find(|s| s.combined()).map(|s| s.key.clone())))
    }

    /// Notes an event just written (new, or counted up) about `uid` with `reason`, once its
    /// similar events are known in this command.
    pub(super) fn note_similar(
        &mut self,
        uid: &str,
        key: &Key,
        type_: &str,
        source: EventSource,
        reason: &str,
        message: &str,
    ) {
        let Some(seen) = self.similar.get_mut(uid).and_then(|by_reason| by_reason.get_mut(reason)) else { return };
        let now = self.clock.now();
        match seen.iter_mut().find(|s| &s.key == key) {
            Some(s) => {
                s.last = now;
                s.message = message.to_string();
            }
            None => seen.push(Seen {
                key: key.clone(),
                message: message.to_string(),
                type_: type_.to_string(),
                component: source.component.to_string(),
                host: source.host.to_string(),
                first: now,
                last: now,
            }),
        }
    }
}
