//! redis-server's side: the command table, replies as RESP types, and replication (a replica
//! takes its primary's whole keyspace each time it is asked something, as a full resync).

use super::store::{Entry, Store};
use crate::exec::glob;
use crate::exec::images::wire::{call, Protocol};
use crate::exec::interp::Shell;

/// A RESP reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Status(String),
    Error(String),
    Int(i64),
    Bulk(Option<String>),
    Array(Vec<Value>),
}

pub enum Request {
    Command(Vec<String>),
    /// From a replica at this address: the whole keyspace.
    Sync(String),
}

pub enum Reply {
    Value(Value),
    Keyspace(Box<Store>),
}

/// The primary PID 1's arguments name (`--replicaof HOST PORT`, `--slaveof`).
fn configured_primary(sh: &Shell) -> Option<(String, u16)> {
    let argv = crate::exec::pid1_argv(sh.fs.c);
    let at = argv.iter().position(|a| a == "--replicaof" || a == "--slaveof")?;
    let rest = argv.get(at + 1)?;
    // `--replicaof "host port"` or `--replicaof host port`.
    let (host, port) = match rest.split_once(' ') {
        Some((h, p)) => (h.to_string(), p.to_string()),
        None => (rest.clone(), argv.get(at + 2)?.clone()),
    };
    Some((host, port.parse().ok()?))
}

pub struct Redis;

impl Protocol for Redis {
    type Request = Request;
    type Reply = Reply;

    fn serve(sh: &mut Shell, req: Request) -> Reply {
        let mut store = Store::load(sh);
        match req {
            Request::Sync(from) => {
                if !store.replicas.contains(&from) {
                    store.replicas.push(from);
                    store.save(sh);
                }
                Reply::Keyspace(Box::new(store))
            }
            Request::Command(argv) => {
                let primary = store.replicaof.clone().or_else(|| configured_primary(sh));
                let mut link_up = false;
                if let Some((host, port)) = &primary {
                    let me = sh.fs.c.pod_ip.clone();
                    if let Ok(Reply::Keyspace(theirs)) = call::<Redis>(sh, host, *port, Request::Sync(me)) {
                        store.keys = theirs.keys;
                        link_up = true;
                    }
                }
                let ctx = Context { now: sh.fs.now * 1000, primary, link_up };
                let (value, changed) = run(&mut store, &ctx, &argv);
                if changed || link_up {
                    store.save(sh);
                }
                Reply::Value(value)
            }
        }
    }
}

struct Context {
    now: i64,
    primary: Option<(String, u16)>,
    link_up: bool,
}

const WRITES: &[&str] =
    &["set", "del", "incr", "decr", "incrby", "decrby", "expire", "append", "flushall", "flushdb", "persist"];

fn err(msg: &str) -> Value {
    Value::Error(msg.to_string())
}

fn ok() -> Value {
    Value::Status("OK".into())
}

fn arity(name: &str) -> Value {
    Value::Error(format!("ERR wrong number of arguments for '{name}' command"))
}

/// Runs one command; the flag says whether the keyspace changed.
fn run(s: &mut Store, ctx: &Context, argv: &[String]) -> (Value, bool) {
    let Some(name) = argv.first().map(|n| n.to_ascii_lowercase()) else { return (err("ERR empty command"), false) };
    let args = &argv[1..];
    if ctx.primary.is_some() && WRITES.contains(&name.as_str()) {
        return (err("READONLY You can't write against a read only replica."), false);
    }
    let int = |v: &str| v.parse::<i64>().map_err(|_| err("ERR value is not an integer or out of range"));
    let value = match (name.as_str(), args) {
        ("ping", []) => Value::Status("PONG".into()),
        ("ping", [msg]) | ("echo", [msg]) => Value::Bulk(Some(msg.clone())),
        ("get", [k]) => Value::Bulk(s.get(k).cloned()),
        ("set", [k, v, opts @ ..]) => return set(s, ctx, k, v, opts),
        ("del", keys) if !keys.is_empty() => {
            let n = keys.iter().filter(|k| s.keys.remove(*k).is_some()).count();
            return (Value::Int(n as i64), n > 0);
        }
        ("exists", keys) if !keys.is_empty() => {
            Value::Int(keys.iter().filter(|k| s.keys.contains_key(*k)).count() as i64)
        }
        ("keys", [pattern]) => Value::Array(
            s.keys.keys().filter(|k| glob::matches(pattern, k)).map(|k| Value::Bulk(Some(k.clone()))).collect(),
        ),
        ("dbsize", []) => Value::Int(s.keys.len() as i64),
        ("incr" | "decr", [k]) => return add(s, k, if name == "incr" { 1 } else { -1 }),
        ("incrby" | "decrby", [k, by]) => match int(by) {
            // `DECRBY k -9223372036854775808` has no negation: Redis refuses it by name.
            Ok(n) if name == "decrby" && n == i64::MIN => err("ERR decrement would overflow"),
            Ok(n) => return add(s, k, if name == "incrby" { n } else { -n }),
            Err(e) => e,
        },
        ("expire", [k, secs]) => match int(secs) {
            // Seconds that overflow milliseconds, or the instant, are refused as Redis 7 does.
            Ok(n) if n.checked_mul(1000).and_then(|ms| ms.checked_add(ctx.now)).is_none() => {
                err("ERR invalid expire time in 'expire' command")
            }
            Ok(n) => match s.keys.get_mut(k) {
                Some(e) => {
                    e.expires = Some(ctx.now + n * 1000);
                    return (Value::Int(1), true);
                }
                None => Value::Int(0),
            },
            Err(e) => e,
        },
        ("ttl", [k]) => Value::Int(match s.keys.get(k) {
            None => -2,
            Some(Entry { expires: None, .. }) => -1,
            Some(Entry { expires: Some(t), .. }) => (t - ctx.now + 999) / 1000,
        }),
        ("flushall" | "flushdb", []) => {
            s.keys.clear();
            return (ok(), true);
        }
        ("info", [section]) if section.eq_ignore_ascii_case("replication") => Value::Bulk(Some(replication(s, ctx))),
        ("replicaof" | "slaveof", [host, port]) => {
            if host.eq_ignore_ascii_case("no") && port.eq_ignore_ascii_case("one") {
                s.replicaof = None;
            } else {
                match port.parse() {
                    Ok(p) => s.replicaof = Some((host.clone(), p)),
                    Err(_) => return (err("ERR Invalid master port"), false),
                }
            }
            return (ok(), true);
        }
        (
            "ping" | "echo" | "get" | "set" | "del" | "exists" | "keys" | "dbsize" | "incr" | "decr" | "incrby"
            | "decrby" | "expire" | "ttl" | "flushall" | "flushdb" | "replicaof" | "slaveof",
            _,
        ) => arity(&name),
        _ => {
            let shown: Vec<String> = args.iter().map(|a| format!("'{a}' ")).collect();
            Value::Error(format!("ERR unknown command '{}', with args beginning with: {}", argv[0], shown.concat()))
        }
    };
    (value, false)
}

fn set(s: &mut Store, ctx: &Context, k: &str, v: &str, opts: &[String]) -> (Value, bool) {
    let mut expires = None;
    let (mut nx, mut xx) = (false, false);
    let mut it = opts.iter();
    while let Some(o) = it.next() {
        match o.to_ascii_uppercase().as_str() {
            "NX" => nx = true,
            "XX" => xx = true,
            unit @ ("EX" | "PX") => {
                let scale = if unit == "EX" { 1000 } else { 1 };
                let at = it
                    .next()
                    .and_then(|n| n.parse::<i64>().ok())
                    .filter(|n| *n > 0)
                    .and_then(|n| n.checked_mul(scale))
                    .and_then(|ms| ms.checked_add(ctx.now));
                let Some(at) = at else {
                    return (err("ERR invalid expire time in 'set' command"), false);
                };
                expires = Some(at);
            }
            _ => return (err("ERR syntax error"), false),
        }
    }
    let exists = s.keys.contains_key(k);
    if (nx && exists) || (xx && !exists) {
        return (Value::Bulk(None), false);
    }
    s.keys.insert(k.to_string(), Entry { value: v.to_string(), expires });
    (ok(), true)
}

fn add(s: &mut Store, k: &str, by: i64) -> (Value, bool) {
    let current = match s.get(k).map(|v| v.parse::<i64>()) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => return (err("ERR value is not an integer or out of range"), false),
    };
    let Some(next) = current.checked_add(by) else {
        return (err("ERR increment or decrement would overflow"), false);
    };
    let expires = s.keys.get(k).and_then(|e| e.expires);
    s.keys.insert(k.to_string(), Entry { value: next.to_string(), expires });
    (Value::Int(next), true)
}

/// `INFO replication`, with CRLF line ends as the server sends them.
fn replication(s: &Store, ctx: &Context) -> String {
    let mut lines = vec!["# Replication".to_string()];
    match &ctx.primary {
        Some((host, port)) => {
            lines.push("role:slave".into());
            lines.push(format!("master_host:{host}"));
            lines.push(format!("master_port:{port}"));
            lines.push(format!("master_link_status:{}", if ctx.link_up { "up" } else { "down" }));
        }
        None => {
            lines.push("role:master".into());
            lines.push(format!("connected_slaves:{}", s.replicas.len()));
            for (i, r) in s.replicas.iter().enumerate() {
                lines.push(format!("slave{i}:ip={r},port=6379,state=online,offset=0,lag=0"));
            }
        }
    }
    lines.iter().map(|l| format!("{l}\r\n")).collect()
}
