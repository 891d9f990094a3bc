//! `?watch=true`: chunked JSON events (`ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK`, `ERROR`), one per
//! line, from the watch cache. Without a resourceVersion (or with `0`, or `sendInitialEvents`)
//! the current objects come first as ADDED; a resourceVersion older than the cache's window gets
//! one `ERROR` event with a 410 `Expired` Status, then the stream ends.

use std::io::{self, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::cache::{Cache, Event};
use super::http::{json_line, Chunked, Request};
use super::read::{self, Filter};
use super::route::Target;
use super::session::Env;
use super::{status, table};
use crate::api::ObjectExt;
use crate::{Error, Result};

const BOOKMARK_EVERY: Duration = Duration::from_secs(30);

/// Where the stream starts.
enum Start {
    /// The current objects as ADDED, then changes after their revision.
    Initial {
        end_bookmark: bool,
    },
    After(i64),
}

fn start_of(req: &Request) -> Result<Start> {
    let end_bookmark = req.flag("sendInitialEvents");
    match req.param("resourceVersion").unwrap_or("") {
        _ if end_bookmark => Ok(Start::Initial { end_bookmark }),
        "" | "0" => Ok(Start::Initial { end_bookmark: false }),
        rv => rv
            .parse()
            .map(Start::After)
            .map_err(|_| Error::BadRequest(format!("invalid resourceVersion {rv:?}: must be an integer"))),
    }
}

/// Everything a watch keeps checking against each event.
struct Scope<'a> {
    target: &'a Target,
    filter: Filter,
    table: bool,
    bookmarks: bool,
}

impl Scope<'_> {
    /// The event this watcher sees, if any: a change that moves an object into the selection is
    /// ADDED for it, one that moves it out is DELETED, as the API server's watch filter does.
    fn view(&self, e: &Event) -> Option<&'static str> {
        let t = self.target;
        let in_scope = e.kind == t.kind.kind
            && t.namespace.as_deref().is_none_or(|ns| ns == e.namespace)
            && t.name.as_deref().is_none_or(|n| n == e.name);
        if !in_scope {
            return None;
        }
        let now = self.filter.matches(t, &e.object);
        let before = e.previous.as_deref().map(|p| self.filter.matches(t, p));
        match (e.kind_of_event, before, now) {
            ("MODIFIED", Some(true), true) => Some("MODIFIED"),
            ("MODIFIED", Some(false), true) => Some("ADDED"),
            ("MODIFIED", Some(true), false) => Some("DELETED"),
            ("MODIFIED", _, _) => now.then_some("MODIFIED"),
            (other, _, _) => now.then_some(other),
        }
    }
}

/// Streams a watch until the client goes away, `timeoutSeconds` pass, or the server stops.
pub fn stream(
    env: &Env,
    cache: &Cache,
    req: &Request,
    target: &Target,
    conn: &mut TcpStream,
    stop: &dyn Fn() -> bool,
) -> Result<Option<super::http::Response>> {
    let start = start_of(req)?;
    let filter = Filter::from_request(req, target)?;
    let timeout = read::number(req, "timeoutSeconds")?.filter(|&t| t > 0).map(|t| Duration::from_secs(t as u64));
    let scope = Scope { target, filter, table: table::wanted(req), bookmarks: req.flag("allowWatchBookmarks") };
    let (initial, mut cursor, end_bookmark) = match start {
        Start::Initial { end_bookmark } => {
            let (items, revision, _) = read::matching(env, req, target)?;
            (items, revision, end_bookmark)
        }
        Start::After(rv) => (Vec::new(), rv, false),
    };
    let content_type = if scope.table { table::CONTENT_TYPE } else { "application/json" };
    let mut out = Chunked::start(conn, content_type).map_err(crate::cmd::io)?;
    let result = (|| -> io::Result<()> {
        let mut headers_sent = false;
        for obj in initial {
            send(&mut out, &scope, env, "ADDED", obj, &mut headers_sent)?;
        }
        if end_bookmark {
            let b = bookmark(target, cursor, true);
            out.send(&json_line(&json!({"type": "BOOKMARK", "object": b})))?;
        }
        let began = Instant::now();
        let mut last_sent = Instant::now();
        loop {
            if stop() || timeout.is_some_and(|t| began.elapsed() >= t) {
                return Ok(());
            }
            let events = match cache.since(cursor) {
                Ok(events) => events,
                Err(expired) => {
                    let msg = format!("too old resource version: {cursor} ({})", expired.oldest);
                    let s = status::failure(410, "Expired", &msg);
                    return out.send(&json_line(&json!({"type": "ERROR", "object": s})));
                }
            };
            for e in events {
                cursor = cursor.max(e.rv);
                if let Some(kind) = scope.view(&e) {
                    send(&mut out, &scope, env, kind, (*e.object).clone(), &mut headers_sent)?;
                    last_sent = Instant::now();
                }
            }
            if scope.bookmarks && last_sent.elapsed() >= BOOKMARK_EVERY {
                let b = bookmark(target, cursor.max(cache.revision()), false);
                out.send(&json_line(&json!({"type": "BOOKMARK", "object": b})))?;
                last_sent = Instant::now();
            }
            cache.wait(cursor, Duration::from_millis(500));
            if super::http::client_gone(out.inner())? {
                return Ok(());
            }
        }
    })();
    // A client that went away mid-write ends the stream; there is nobody to tell.
    if result.is_ok() {
        let _ = out.finish();
    }
    Ok(None)
}

fn send<W: Write>(
    out: &mut Chunked<'_, W>,
    scope: &Scope,
    env: &Env,
    kind: &str,
    obj: Value,
    headers_sent: &mut bool,
) -> io::Result<()> {
    let object = if scope.table {
        let rv = obj.str_at("metadata.resourceVersion").to_string();
        let t = table::build(scope.target.kind, &[obj], env.clock().now(), &rv, !*headers_sent, false);
        *headers_sent = true;
        t
    } else {
        obj
    };
    out.send(&json_line(&json!({"type": kind, "object": object})))
}

fn bookmark(target: &Target, rv: i64, initial_end: bool) -> Value {
    let mut meta = json!({"resourceVersion": rv.to_string()});
    if initial_end {
        meta["annotations"] = json!({"k8s.io/initial-events-end": "true"});
    }
    json!({"kind": target.kind.kind, "apiVersion": target.kind.api_version(), "metadata": meta})
}
