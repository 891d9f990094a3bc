//! `GET …/pods/NAME/log`: the container's log as plain text, read as `kstate logs` reads it; with
//! `follow=true` the response stays open and sends what the container writes as cluster time
//! passes, until the client goes away.

use std::net::TcpStream;
use std::time::Duration;

use super::http::{client_gone, Chunked, Request, Response};
use super::read::number;
use super::route::Target;
use super::session::{Env, Streams};
use crate::cmd::logs;
use crate::Result;

const FOLLOW_EVERY: Duration = Duration::from_millis(500);

fn request(req: &Request, target: &Target) -> Result<logs::Request> {
    Ok(logs::Request {
        pod: vec![target.name.clone().unwrap_or_default()],
        container: req.param("container").map(String::from),
        tail: number(req, "tailLines")?.unwrap_or(-1),
        previous: req.flag("previous"),
        follow: false,
        timestamps: req.flag("timestamps"),
        selector: None,
        all_containers: false,
        prefix: false,
        since: number(req, "sinceSeconds")?,
        since_time: req.param("sinceTime").map(String::from),
        limit_bytes: number(req, "limitBytes")?.and_then(|n| usize::try_from(n).ok()),
    })
}

/// The log text now.
pub fn read(env: &Env, req: &Request, target: &Target) -> Result<Vec<u8>> {
    let mut streams = Streams::new();
    let mut out = Vec::new();
    let mut ctx = env.context(&mut streams, target.namespace.as_deref());
    ctx.out = &mut out;
    logs::run(&mut ctx, request(req, target)?)?;
    Ok(out)
}

pub fn get(env: &Env, req: &Request, target: &Target) -> Result<Response> {
    Ok(Response::new(200, "text/plain", read(env, req, target)?))
}

/// Streams the log, then each later addition, until the client leaves or `stop` says so.
/// Errors before the stream starts are returned for a Status answer.
pub fn follow(env: &Env, req: &Request, target: &Target, conn: &mut TcpStream, stop: &dyn Fn() -> bool) -> Result<()> {
    let mut sent = read(env, req, target)?;
    let mut out = Chunked::start(conn, "text/plain").map_err(crate::cmd::io)?;
    if out.send(&sent).is_err() {
        return Ok(());
    }
    while !stop() {
        std::thread::sleep(FOLLOW_EVERY);
        if client_gone(out.inner()).unwrap_or(true) {
            return Ok(());
        }
        // The pod may be gone or restarted: the stream ends as the real one does.
        let Ok(now) = read(env, req, target) else { break };
        if let Some(new) = now.strip_prefix(sent.as_slice()) {
            if out.send(new).is_err() {
                return Ok(());
            }
            sent = now;
        }
    }
    let _ = out.finish();
    Ok(())
}
