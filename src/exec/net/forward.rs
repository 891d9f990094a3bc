//! Connections from outside the pod network to a pod's port: the kubelet's port-forward (a
//! connection the kubelet opens to `localhost:PORT` inside the pod's network namespace) and the
//! API server's pods/proxy and services/proxy (an HTTP request to `podIP:PORT`). The request is
//! answered by the same simulated servers `curl` and `wget` reach from inside the cluster.

use super::http::{serve, Request, Response};
use crate::exec::backing::{Backing, Entry};
use crate::exec::image::listens;
use crate::exec::{Dial, Network};

/// What an HTTP request to `ip:port` gets.
#[derive(Debug)]
pub enum Reached {
    /// The web server (or sample application) that listens there answered.
    Http(Box<Response>),
    /// A server listens there but does not speak HTTP (a database): kstate has nothing to say
    /// on its behalf, and the connection ends without an answer.
    NotHttp,
    /// Nothing listens on the port (or the service has no ready endpoint for it).
    Refused,
    /// No running pod or service has the address.
    Unreachable,
}

/// Serves `req` on `ip:port` as the cluster network routes it: a pod's address reaches its
/// containers, a service's address one of its ready endpoints (round-robin, as `curl` in a pod
/// is balanced). The answering server logs the request as it logs any other.
pub fn reach(backing: &mut dyn Backing, net: &dyn Network, ip: &str, port: u16, req: &Request, now: i64) -> Reached {
    let (key, endpoints) = match net.dial(ip, port) {
        Dial::Unreachable => return Reached::Unreachable,
        Dial::Refused => return Reached::Refused,
        Dial::Endpoints { key, endpoints } => (key, endpoints),
    };
    if endpoints.is_empty() {
        return Reached::Refused;
    }
    let pick = if endpoints.len() > 1 { next_turn(backing, &key, now) % endpoints.len() } else { 0 };
    let ep = &endpoints[pick];
    let Some(peer) = ep.containers.iter().find(|p| listens(&p.container, ep.port)) else {
        return Reached::Refused;
    };
    match serve(backing, peer, ep.port, req, now) {
        Some(resp) => Reached::Http(Box::new(resp)),
        None => Reached::NotHttp,
    }
}

/// Whether a container listens on `ip:port` (a pod's address).
pub fn listening(net: &dyn Network, ip: &str, port: u16) -> bool {
    match net.dial(ip, port) {
        Dial::Endpoints { endpoints, .. } => {
            endpoints.iter().any(|ep| ep.containers.iter().any(|p| listens(&p.container, ep.port)))
        }
        _ => false,
    }
}

/// A command for the Redis server listening on `ip:port` (a pod's address), as a client on the
/// local machine sends it through a forwarded port: the RESP reply, or `None` when no Redis
/// server listens there.
pub fn redis_command(
    backing: &mut dyn Backing,
    net: &dyn Network,
    ip: &str,
    port: u16,
    argv: Vec<String>,
    now: i64,
) -> Option<Vec<u8>> {
    let Dial::Endpoints { endpoints, .. } = net.dial(ip, port) else { return None };
    let ep = endpoints.first()?;
    let peer = ep.containers.iter().find(|p| listens(&p.container, ep.port))?;
    let repo = crate::exec::image::repository(&peer.container.image);
    if repo.rsplit('/').next() != Some("redis") {
        return None;
    }
    Some(crate::exec::images::redis::resp_command(backing, &peer.container, net, now, argv))
}

/// kube-proxy's turn among a service's endpoints, kept in the store so that it advances across
/// commands (the same counter `curl` in a pod advances).
pub(crate) fn next_turn(backing: &mut dyn Backing, key: &str, now: i64) -> usize {
    let vol = "net/balancer";
    let file = format!("/{}", key.replace('/', "_"));
    let n = match backing.get(vol, &file) {
        Ok(Some(e)) => String::from_utf8_lossy(&e.data).trim().parse::<usize>().unwrap_or(0),
        _ => 0,
    };
    if backing.get(vol, "/").ok().flatten().is_none() {
        let _ = backing.put(vol, "/", &Entry::dir(0o755, now));
    }
    let _ = backing.put(vol, &file, &Entry::file(0o644, now, (n + 1).to_string().into_bytes()));
    n
}

/// The response as the server puts it on the wire: the status line and headers, then the body,
/// chunked when the server announced `Transfer-Encoding: chunked` (Node's http module).
pub fn wire(resp: &Response) -> Vec<u8> {
    let mut out = resp.head_text().into_bytes();
    let chunked = resp.header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
    if chunked {
        if !resp.body.is_empty() {
            out.extend_from_slice(format!("{:x}\r\n", resp.body.len()).as_bytes());
            out.extend_from_slice(&resp.body);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"0\r\n\r\n");
    } else {
        out.extend_from_slice(&resp.body);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunked_body_is_framed_and_a_sized_one_is_not() {
        let mut resp = Response {
            status: 200,
            headers: vec![("Transfer-Encoding".into(), "chunked".into())],
            body: b"hello\n".to_vec(),
        };
        assert_eq!(
            wire(&resp),
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello\n\r\n0\r\n\r\n".to_vec()
        );
        resp.headers = vec![("Content-Length".into(), "6".into())];
        assert_eq!(wire(&resp), b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello\n".to_vec());
    }
}
