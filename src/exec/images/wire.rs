//! How a client program reaches a server program in another container (or its own pod over
//! 127.0.0.1): the address is resolved and dialled as any connection is (`net::connect`), and
//! the server's side of the protocol runs in a shell over the server container's own files.
//! Each image states its protocol once, as a [`Protocol`]; clients never special-case servers.

use crate::exec::image::image_for;
use crate::exec::interp::Shell;
use crate::exec::net::{connect, resolve, Connection};
use crate::exec::{fs, normalized};

/// One image's server side: what a request is, what comes back, and how the server answers it.
pub trait Protocol {
    type Request;
    type Reply;
    /// Answers `req` in the server's container: `server` reads and writes that container's files
    /// and may itself dial other servers (a replica reaching its primary).
    fn serve(server: &mut Shell, req: Self::Request) -> Self::Reply;
}

/// Why no server answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The name does not resolve.
    UnknownHost,
    /// The address exists but nothing listens on the port.
    Refused,
    /// No host has the address.
    Unreachable,
}

/// Servers calling servers (replication chains) stop here.
const MAX_HOPS: u32 = 4;

/// Sends `req` to the server listening on `host:port`.
pub fn call<P: Protocol>(sh: &mut Shell, host: &str, port: u16, req: P::Request) -> Result<P::Reply, Refusal> {
    let Some(h) = resolve(sh, host) else { return Err(Refusal::UnknownHost) };
    let ip = h.addrs.first().cloned().ok_or(Refusal::UnknownHost)?;
    let (peer, _) = match connect(sh, &ip, port) {
        Connection::Peer(peer, port) => (peer, port),
        Connection::Refused => return Err(Refusal::Refused),
        Connection::Unreachable => return Err(Refusal::Unreachable),
    };
    if sh.depth >= MAX_HOPS {
        return Err(Refusal::Refused);
    }
    let target = normalized(&peer.container);
    let image = image_for(&target);
    let now = sh.fs.now;
    let net = sh.net;
    let depth = sh.depth + 1;
    let mut fs = fs::Fs::new(sh.fs.backing(), &target, image);
    fs.now = now;
    let mut server = Shell::new(fs, net);
    server.depth = depth;
    Ok(P::serve(&mut server, req))
}

/// Serves `req` in `c`, a server container reached from outside the pod network (the kubelet's
/// port-forward): the server reads and writes its own files over `backing`.
pub fn serve_from_outside<P: Protocol>(
    backing: &mut dyn crate::exec::Backing,
    c: &crate::exec::Container,
    net: &dyn crate::exec::Network,
    now: i64,
    req: P::Request,
) -> P::Reply {
    let target = normalized(c);
    let image = image_for(&target);
    let mut fs = fs::Fs::new(backing, &target, image);
    fs.now = now;
    let mut server = Shell::new(fs, Some(net));
    P::serve(&mut server, req)
}

/// Serves `req` in the caller's own container (a local socket), when its PID 1 listens on
/// `port`; `None` when no server runs there.
pub fn serve_local<P: Protocol>(sh: &mut Shell, port: u16, req: P::Request) -> Option<P::Reply> {
    let c = sh.fs.c.clone();
    if !crate::exec::image::listens(&c, port) {
        return None;
    }
    let image = image_for(&c);
    let now = sh.fs.now;
    let net = sh.net;
    let depth = sh.depth + 1;
    let mut fs = fs::Fs::new(sh.fs.backing(), &c, image);
    fs.now = now;
    let mut server = Shell::new(fs, net);
    server.depth = depth;
    Some(P::serve(&mut server, req))
}
