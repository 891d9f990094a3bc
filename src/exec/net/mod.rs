//! Networking from inside a pod: name resolution as the C library does it (/etc/hosts, then
//! the cluster DNS with /etc/resolv.conf's search list and ndots), `nslookup` in its three
//! wordings (busybox up to 1.28, busybox 1.29+, Debian's bind9), `getent hosts`, `ping`, and
//! connections to the web servers of other containers (`client.rs`, `http.rs`).

pub mod app;
pub mod client;
pub mod forward;
pub mod http;
pub mod log;
pub mod startup;

use super::builtins::{getopt, put};
use super::image::{repository, Flavor};
use super::interp::{Res, Shell};
use super::io::Io;
use super::{Dial, Peer};

/// The cluster DNS service's address (kube-dns in kube-system).
pub const DNS_SERVER: &str = "10.96.0.10";

pub fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

/// What /etc/resolv.conf says: nameservers, search list and ndots.
pub struct ResolvConf {
    pub servers: Vec<String>,
    pub search: Vec<String>,
    pub ndots: usize,
}

pub fn resolv_conf(sh: &mut Shell) -> ResolvConf {
    let text = sh.fs.read("/", "/etc/resolv.conf").unwrap_or_default();
    let mut rc = ResolvConf { servers: Vec::new(), search: Vec::new(), ndots: 1 };
    for line in String::from_utf8_lossy(&text).lines() {
        let mut words = line.split_whitespace();
        match words.next() {
            Some("nameserver") => rc.servers.extend(words.next().map(str::to_string)),
            Some("search") | Some("domain") => rc.search = words.map(str::to_string).collect(),
            Some("options") => {
                for w in words {
                    if let Some(n) = w.strip_prefix("ndots:").and_then(|n| n.parse().ok()) {
                        rc.ndots = n;
                    }
                }
            }
            _ => {}
        }
    }
    rc
}

/// The names the resolver tries for `name`, in order (search list and ndots applied).
pub fn candidates(rc: &ResolvConf, name: &str) -> Vec<String> {
    if let Some(abs) = name.strip_suffix('.') {
        return vec![abs.to_string()];
    }
    let searched: Vec<String> = rc.search.iter().map(|d| format!("{name}.{d}")).collect();
    let dots = name.matches('.').count();
    if dots >= rc.ndots {
        std::iter::once(name.to_string()).chain(searched).collect()
    } else {
        searched.into_iter().chain(std::iter::once(name.to_string())).collect()
    }
}

/// /etc/hosts entries naming `name`: (address, canonical name and aliases).
fn hosts_entries(sh: &mut Shell, name: &str) -> Vec<(String, Vec<String>)> {
    let text = sh.fs.read("/", "/etc/hosts").unwrap_or_default();
    let mut out = Vec::new();
    for line in String::from_utf8_lossy(&text).lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut words = line.split_whitespace();
        let Some(ip) = words.next() else { continue };
        let names: Vec<String> = words.map(str::to_string).collect();
        if names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            out.push((ip.to_string(), names));
        }
    }
    out
}

/// A successful lookup: the canonical name and IPv4 addresses.
pub struct Host {
    pub name: String,
    pub addrs: Vec<String>,
}

/// getaddrinfo for IPv4: a literal, /etc/hosts, then DNS through the search list.
pub fn resolve(sh: &mut Shell, name: &str) -> Option<Host> {
    if name.is_empty() {
        return None;
    }
    if is_ipv4(name) {
        return Some(Host { name: name.to_string(), addrs: vec![name.to_string()] });
    }
    let from_hosts: Vec<(String, Vec<String>)> =
        hosts_entries(sh, name).into_iter().filter(|(ip, _)| is_ipv4(ip)).collect();
    if let Some((_, names)) = from_hosts.first() {
        let canonical = names.first().cloned().unwrap_or_else(|| name.to_string());
        return Some(Host { name: canonical, addrs: from_hosts.iter().map(|(ip, _)| ip.clone()).collect() });
    }
    let net = sh.net?;
    let rc = resolv_conf(sh);
    for cand in candidates(&rc, &name.to_ascii_lowercase()) {
        if let Some(addrs) = net.lookup(&cand) {
            if !addrs.is_empty() {
                return Some(Host { name: cand, addrs });
            }
        }
    }
    None
}

/// Which nslookup an image has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nslookup {
    /// busybox up to 1.28: getaddrinfo (search list applied), `Address 1: ip name`.
    BusyboxOld,
    /// busybox 1.29 and later: its own DNS client; the search list only for dotless names.
    BusyboxNew,
    /// bind9's nslookup (Debian images that have one).
    Bind,
}

fn nslookup_kind(sh: &Shell) -> Nslookup {
    if sh.flavor == Flavor::Debian {
        return Nslookup::Bind;
    }
    let image = &sh.fs.c.image;
    let repo = repository(image);
    let tag = image.split('@').next().unwrap_or(image).get(repo.len()..).unwrap_or("").trim_start_matches(':');
    let mut nums = tag.split(['.', '-']).map(|p| p.parse::<u32>().ok());
    match (nums.next().flatten(), nums.next().flatten()) {
        (Some(1), Some(minor)) if minor <= 28 => Nslookup::BusyboxOld,
        _ => Nslookup::BusyboxNew,
    }
}

pub fn nslookup(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let args: Vec<&String> = argv[1..].iter().filter(|a| !a.starts_with('-')).collect();
    let Some(name) = args.first().map(|s| s.to_string()) else {
        return match nslookup_kind(sh) {
            Nslookup::Bind => {
                io.err("nslookup: interactive mode is not supported by kstate\n");
                Ok(1)
            }
            _ => {
                io.err("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n");
                Ok(1)
            }
        };
    };
    let rc = resolv_conf(sh);
    let server = args.get(1).map(|s| s.to_string()).or_else(|| rc.servers.first().cloned());
    let server = server.unwrap_or_else(|| "127.0.0.1".to_string());
    let net = sh.net;
    let reachable = server == DNS_SERVER && net.is_some();
    match nslookup_kind(sh) {
        Nslookup::BusyboxOld => {
            let ptr = net.and_then(|n| n.reverse(&server));
            let mut out = format!("{:<10} {server}\n", "Server:");
            out.push_str(&address_line(1, &server, ptr.as_deref()));
            out.push('\n');
            let found = if reachable { resolve(sh, &name) } else { None };
            let Some(host) = found else {
                let _ = put(io, "nslookup", out.as_bytes());
                io.err(&format!("nslookup: can't resolve '{name}'\n"));
                return Ok(1);
            };
            out.push_str(&format!("{:<10} {name}\n", "Name:"));
            for (i, ip) in host.addrs.iter().enumerate() {
                let ptr = net.and_then(|n| n.reverse(ip));
                out.push_str(&address_line(i + 1, ip, ptr.as_deref()));
            }
            Ok(put(io, "nslookup", out.as_bytes()).err().unwrap_or(0))
        }
        Nslookup::BusyboxNew => {
            if !reachable {
                let _ = put(io, "nslookup", b";; connection timed out; no servers could be reached\n\n");
                return Ok(1);
            }
            let Some(net) = net else { return Ok(1) };
            let mut out = format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n");
            let mut status = 0;
            if is_ipv4(&name) {
                let arpa = format!("{}.in-addr.arpa", name.split('.').rev().collect::<Vec<_>>().join("."));
                match net.reverse(&name) {
                    Some(ptr) => out.push_str(&format!("{arpa}\tname = {ptr}\n")),
                    None => {
                        out.push_str(&format!("** server can't find {arpa}: NXDOMAIN\n"));
                        status = 1;
                    }
                }
                out.push('\n');
                return Ok(put(io, "nslookup", out.as_bytes()).err().unwrap_or(status));
            }
            let queries: Vec<String> = if name.contains('.') || rc.search.is_empty() {
                vec![name.clone()]
            } else {
                rc.search.iter().map(|d| format!("{name}.{d}")).collect()
            };
            for aaaa in [false, true] {
                for q in &queries {
                    match net.lookup(&q.trim_end_matches('.').to_ascii_lowercase()) {
                        None => {
                            out.push_str(&format!("** server can't find {q}: NXDOMAIN\n"));
                            status = 1;
                        }
                        Some(addrs) if !aaaa => {
                            for ip in addrs {
                                out.push_str(&format!("Name:\t{q}\nAddress: {ip}\n"));
                            }
                        }
                        Some(_) => {}
                    }
                    out.push('\n');
                }
            }
            Ok(put(io, "nslookup", out.as_bytes()).err().unwrap_or(status))
        }
        Nslookup::Bind => {
            if !reachable {
                let _ = put(io, "nslookup", b";; connection timed out; no servers could be reached\n\n");
                return Ok(1);
            }
            let Some(net) = net else { return Ok(1) };
            let mut out = format!("Server:\t\t{server}\nAddress:\t{server}#53\n\n");
            if is_ipv4(&name) {
                let arpa = format!("{}.in-addr.arpa", name.split('.').rev().collect::<Vec<_>>().join("."));
                return Ok(match net.reverse(&name) {
                    Some(ptr) => {
                        out.push_str(&format!("{arpa}\tname = {ptr}.\n\n"));
                        put(io, "nslookup", out.as_bytes()).err().unwrap_or(0)
                    }
                    None => {
                        out.push_str(&format!("** server can't find {arpa}: NXDOMAIN\n\n"));
                        put(io, "nslookup", out.as_bytes()).err().unwrap_or(1)
                    }
                });
            }
            for cand in candidates(&rc, &name.to_ascii_lowercase()) {
                if let Some(addrs) = net.lookup(&cand) {
                    for ip in addrs {
                        out.push_str(&format!("Name:\t{cand}\nAddress: {ip}\n"));
                    }
                    out.push('\n');
                    return Ok(put(io, "nslookup", out.as_bytes()).err().unwrap_or(0));
                }
            }
            out.push_str(&format!("** server can't find {name}: NXDOMAIN\n\n"));
            Ok(put(io, "nslookup", out.as_bytes()).err().unwrap_or(1))
        }
    }
}

fn address_line(n: usize, ip: &str, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("Address {n}: {ip} {name}\n"),
        None => format!("Address {n}: {ip}\n"),
    }
}

/// `getent hosts NAME...` (glibc): the address and the names, one address per line.
pub fn getent(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let Some(db) = argv.get(1) else {
        io.err("Usage: getent [OPTION...] database [key ...]\nTry `getent --help' or `getent --usage' for more information.\n");
        return Ok(1);
    };
    if db != "hosts" && db != "ahosts" && db != "ahostsv4" {
        io.err(&format!("Unknown database: {db}\nTry `getent --help' or `getent --usage' for more information.\n"));
        return Ok(1);
    }
    let mut out = String::new();
    let mut status = 0;
    if argv.len() < 3 {
        let text = sh.fs.read("/", "/etc/hosts").unwrap_or_default();
        for line in String::from_utf8_lossy(&text).lines() {
            let line = line.split('#').next().unwrap_or("");
            let mut words = line.split_whitespace();
            if let Some(ip) = words.next() {
                let names: Vec<&str> = words.collect();
                out.push_str(&format!("{ip:<15} {}\n", names.join(" ")));
            }
        }
    }
    for key in &argv[2..] {
        let v6: Vec<(String, Vec<String>)> =
            hosts_entries(sh, key).into_iter().filter(|(ip, _)| ip.contains(':')).collect();
        if db == "hosts" && !v6.is_empty() {
            for (ip, names) in v6 {
                out.push_str(&format!("{ip:<15} {}\n", names.join(" ")));
            }
            continue;
        }
        let from_hosts: Vec<(String, Vec<String>)> =
            hosts_entries(sh, key).into_iter().filter(|(ip, _)| is_ipv4(ip)).collect();
        let lines: Vec<(String, String)> = if !from_hosts.is_empty() {
            from_hosts.into_iter().map(|(ip, names)| (ip, names.join(" "))).collect()
        } else if let Some(host) = resolve(sh, key) {
            let name = if is_ipv4(key) { sh.net.and_then(|n| n.reverse(key)).unwrap_or(host.name) } else { host.name };
            host.addrs.into_iter().map(|ip| (ip, name.clone())).collect()
        } else {
            status = 2;
            continue;
        };
        for (ip, names) in lines {
            if db == "hosts" {
                out.push_str(&format!("{ip:<15} {names}\n"));
            } else {
                for kind in ["STREAM", "DGRAM", "RAW"] {
                    let n = if kind == "STREAM" { names.as_str() } else { "" };
                    out.push_str(&format!("{ip:<15} {kind} {n}\n"));
                }
            }
        }
    }
    Ok(put(io, "getent", out.as_bytes()).err().unwrap_or(status))
}

/// Where a connection from this container to `ip:port` ends: the peer that answers (a pod
/// balanced round-robin when the address is a service), or the failure.
pub enum Connection {
    /// The container that accepted, and the port it accepted on (a service's target port).
    Peer(Box<Peer>, u16),
    Refused,
    Unreachable,
}

pub fn connect(sh: &mut Shell, ip: &str, port: u16) -> Connection {
    let own = sh.fs.c.pod_ip.clone();
    let ip = if ip.starts_with("127.") { own.as_str() } else { ip };
    let Some(net) = sh.net else { return Connection::Unreachable };
    match net.dial(ip, port) {
        Dial::Unreachable => Connection::Unreachable,
        Dial::Refused => Connection::Refused,
        Dial::Endpoints { key, endpoints } => {
            if endpoints.is_empty() {
                return Connection::Refused;
            }
            let pick = next_turn(sh, &key) % endpoints.len();
            let ep = &endpoints[pick];
            let listening = ep.containers.iter().find(|p| super::image::listens(&p.container, ep.port));
            match listening {
                Some(p) => Connection::Peer(Box::new(p.clone()), ep.port),
                None => Connection::Refused,
            }
        }
    }
}

/// kube-proxy's choice among a service's endpoints, round-robin across commands.
fn next_turn(sh: &mut Shell, key: &str) -> usize {
    let now = sh.fs.now;
    forward::next_turn(sh.fs.backing(), key, now)
}

/// `ping [-c N] HOST`: pods answer, service addresses do not (kube-proxy only forwards ports).
pub fn ping(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let opts = match getopt(&argv[1..], "c:W:w:i:s:q4") {
        Ok(o) => o,
        Err(e) => return super::builtins::usage_error(sh, io, "ping", &e, 1),
    };
    let count: u32 = opts.value('c').and_then(|c| c.parse().ok()).unwrap_or(4).clamp(1, 1000);
    let Some(target) = opts.operands.first().cloned() else {
        return super::builtins::usage_error(sh, io, "ping", "missing operand", 1);
    };
    let busybox = sh.flavor == Flavor::Busybox;
    let Some(host) = resolve(sh, &target) else {
        io.err(&if busybox {
            format!("ping: bad address '{target}'\n")
        } else {
            format!("ping: {target}: Name or service not known\n")
        });
        return Ok(if busybox { 1 } else { 2 });
    };
    let ip = host.addrs[0].clone();
    let answers = connect_icmp(sh, &ip);
    let quiet = opts.has('q');
    let mut out = String::new();
    let received = if answers { count } else { 0 };
    let loss = if answers { 0 } else { 100 };
    if busybox {
        out.push_str(&format!("PING {target} ({ip}): 56 data bytes\n"));
        if answers && !quiet {
            for seq in 0..count {
                out.push_str(&format!("64 bytes from {ip}: seq={seq} ttl=64 time=0.081 ms\n"));
            }
        }
        out.push_str(&format!(
            "\n--- {target} ping statistics ---\n{count} packets transmitted, {received} packets received, {loss}% packet loss\n"
        ));
        if answers {
            out.push_str("round-trip min/avg/max = 0.081/0.081/0.081 ms\n");
        }
    } else {
        let shown = if is_ipv4(&target) { target.clone() } else { host.name.clone() };
        out.push_str(&format!("PING {shown} ({ip}) 56(84) bytes of data.\n"));
        if answers && !quiet {
            for seq in 1..=count {
                out.push_str(&format!("64 bytes from {ip}: icmp_seq={seq} ttl=64 time=0.081 ms\n"));
            }
        }
        let time = if count > 1 { (count - 1) * 1000 + 1 } else { 0 };
        out.push_str(&format!(
            "\n--- {shown} ping statistics ---\n{count} packets transmitted, {received} received, {loss}% packet loss, time {time}ms\n"
        ));
        if answers {
            out.push_str("rtt min/avg/max/mdev = 0.081/0.081/0.081/0.000 ms\n");
        }
    }
    let code = if answers { 0 } else { 1 };
    Ok(put(io, "ping", out.as_bytes()).err().unwrap_or(code))
}

/// Whether an address answers ICMP echo: the container itself and running pods.
fn connect_icmp(sh: &mut Shell, ip: &str) -> bool {
    if ip.starts_with("127.") || ip == sh.fs.c.pod_ip {
        return true;
    }
    matches!(sh.net.map(|n| n.dial(ip, 0)), Some(Dial::Endpoints { .. }))
}
