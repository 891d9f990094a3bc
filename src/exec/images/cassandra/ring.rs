//! The ring: each node keeps the members it knows in `/cassandra_data/system/peers`; a node
//! joins by telling its seeds (`CASSANDRA_SEEDS`) about itself and taking their members, and a
//! member is Up when its gossip port answers. `nodetool status` prints the ring.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::exec::images::data;
use crate::exec::images::wire::{call, Protocol};
use crate::exec::interp::{Res, Shell};
use crate::exec::io::Io;

const PEERS: &str = "/cassandra_data/system/peers";
const GOSSIP: u16 = 7000;
const TOKENS: &str = "32";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Node {
    pub host_id: String,
    pub rack: String,
    pub dc: String,
}

/// Members by address.
type Members = BTreeMap<String, Node>;

pub enum Request {
    /// A node announcing itself; the reply is every member known.
    Join(String, Node),
    Members,
}

pub struct Gossip;

impl Protocol for Gossip {
    type Request = Request;
    type Reply = Members;

    fn serve(sh: &mut Shell, req: Request) -> Members {
        let mut members: Members = data::load(sh, PEERS).unwrap_or_default();
        if let Request::Join(addr, node) = req {
            if members.get(&addr) != Some(&node) {
                members.insert(addr, node);
                let _ = data::save(sh, PEERS, &members);
            }
        }
        members
    }
}

fn env(sh: &Shell, key: &str, default: &str) -> String {
    sh.var(key).filter(|v| !v.is_empty()).unwrap_or(default).to_string()
}

/// This node: its address, and its identity (a host ID kept with its data).
fn me(sh: &mut Shell) -> (String, Node) {
    let addr = sh.fs.c.pod_ip.clone();
    let mut members: Members = data::load(sh, PEERS).unwrap_or_default();
    let node = Node {
        host_id: host_id(&sh.fs.c.hostname),
        rack: env(sh, "CASSANDRA_RACK", "rack1"),
        dc: env(sh, "CASSANDRA_DC", "datacenter1"),
    };
    // A node that comes back with a new address keeps its host ID.
    members.retain(|_, n| n.host_id != node.host_id);
    members.insert(addr.clone(), node.clone());
    let _ = data::save(sh, PEERS, &members);
    (addr, node)
}

/// A UUID-shaped host ID derived from the node's name (the real one is random).
fn host_id(name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut hex = String::new();
    for round in 0..2u8 {
        for b in name.bytes().chain(std::iter::once(round)) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        // splitmix64's finalizer, so that similar names get unrelated IDs.
        let mut z = h;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        hex.push_str(&format!("{:016x}", z ^ (z >> 31)));
    }
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// The addresses of the members this node knows (itself included).
pub fn member_addresses(sh: &mut Shell) -> Vec<String> {
    let members: Members = data::load(sh, PEERS).unwrap_or_default();
    members.into_keys().collect()
}

/// At start: announce this node to every seed and learn the members they know.
pub fn join(sh: &mut Shell) {
    let (addr, node) = me(sh);
    let seeds = env(sh, "CASSANDRA_SEEDS", "");
    let mut members: Members = data::load(sh, PEERS).unwrap_or_default();
    for seed in seeds.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if let Ok(theirs) = call::<Gossip>(sh, seed, GOSSIP, Request::Join(addr.clone(), node.clone())) {
            members.extend(theirs.into_iter().filter(|(a, _)| *a != addr));
        }
    }
    let _ = data::save(sh, PEERS, &members);
}

/// `nodetool status` (and `drain`, which has nothing to flush here).
pub fn nodetool(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    match argv.get(1).map(String::as_str) {
        Some("status") => {}
        Some("drain") => return Ok(0),
        Some(other) => {
            io.err(&format!(
                "nodetool: Found unexpected parameters: [{other}]\nSee 'nodetool help' or 'nodetool help <command>'.\n"
            ));
            return Ok(1);
        }
        None => {
            io.err("usage: nodetool [(-h <host> | --host <host>)] <command> [<args>]\n");
            return Ok(1);
        }
    }
    if !crate::exec::image::listens(sh.fs.c, GOSSIP) {
        io.err("nodetool: Failed to connect to '127.0.0.1:7199' - ConnectException: 'Connection refused (Connection refused)'.\n");
        return Ok(1);
    }
    let (addr, _) = me(sh);
    let mut members: Members = data::load(sh, PEERS).unwrap_or_default();
    // Gossip: ask every member known, and every member they know of, once.
    let mut up = vec![addr.clone()];
    let mut asked = vec![addr];
    while let Some(peer) = members.keys().find(|a| !asked.contains(a)).cloned() {
        asked.push(peer.clone());
        if let Ok(theirs) = call::<Gossip>(sh, &peer, GOSSIP, Request::Members) {
            up.push(peer);
            for (a, n) in theirs {
                members.entry(a).or_insert(n);
            }
        }
    }
    let _ = data::save(sh, PEERS, &members);
    let _ = io.out(status(&members, &up).as_bytes());
    Ok(0)
}

fn status(members: &Members, up: &[String]) -> String {
    let width = members.keys().map(String::len).max().unwrap_or(7).max(7);
    let share = 100.0 / members.len().max(1) as f64;
    let mut by_dc: BTreeMap<&str, Vec<(&String, &Node)>> = BTreeMap::new();
    for (a, n) in members {
        by_dc.entry(n.dc.as_str()).or_default().push((a, n));
    }
    let mut out = String::new();
    for (dc, nodes) in by_dc {
        let title = format!("Datacenter: {dc}");
        out.push_str(&format!("{title}\n{}\n", "=".repeat(title.len())));
        out.push_str("Status=Up/Down\n|/ State=Normal/Leaving/Joining/Moving\n");
        let row = |cols: [&str; 7]| {
            format!(
                "{:<2}  {:<width$}  {:<9}  {:<11}  {:<16}  {:<36}  {}\n",
                cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6]
            )
        };
        out.push_str(&row(["--", "Address", "Load", "Tokens", "Owns (effective)", "Host ID", "Rack"]));
        for (a, n) in nodes {
            let state = if up.contains(a) { "UN" } else { "DN" };
            let load = "103.61 KiB";
            let owns = format!("{share:.1}%");
            out.push_str(&row([state, a, load, TOKENS, &owns, &n.host_id, &n.rack]));
        }
    }
    out
}
