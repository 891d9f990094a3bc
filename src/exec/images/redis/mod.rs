//! Redis (`redis:7`, 7.4.1): the image's entrypoint, `redis-server` keeping its keyspace in
//! `/data`, replicas (`--replicaof`, `REPLICAOF`) and the `redis-cli` client.

mod cli;
mod server;
mod store;

use super::Profile;
use crate::exec::builtins::Builtin;
use crate::exec::clock_fmt::strftime;
use crate::exec::interp::{Res, Shell};
use crate::exec::io::Io;

pub const REDIS: Profile = Profile {
    repos: &["redis"],
    entrypoint: &["docker-entrypoint.sh"],
    cmd: &["redis-server"],
    programs: &[
        ("/usr/local/bin/docker-entrypoint.sh", "redis-entrypoint"),
        ("/usr/local/bin/redis-server", "redis-server"),
        ("/usr/local/bin/redis-cli", "redis-cli"),
    ],
    env: &[("REDIS_VERSION", "7.4.1")],
    dirs: &[("/data", 0o755)],
    files: &[],
    links: &[],
    listens: &[(6379, "redis-server")],
    // Its default `proc-title-template` ("{title} {listen-addr} {server-mode}").
    server_title: Some("redis-server *:6379"),
    server_user: Some("redis"),
};

/// One command arriving over a forwarded port (`redis-cli -p 7000` on the local machine): the
/// server's reply, encoded as RESP for the client.
pub fn resp_command(
    backing: &mut dyn crate::exec::Backing,
    c: &crate::exec::Container,
    net: &dyn crate::exec::Network,
    now: i64,
    argv: Vec<String>,
) -> Vec<u8> {
    let reply = super::wire::serve_from_outside::<server::Redis>(backing, c, net, now, server::Request::Command(argv));
    let mut out = Vec::new();
    if let server::Reply::Value(v) = reply {
        encode(&v, &mut out);
    }
    out
}

/// A reply in RESP2, as redis-server writes it to a client.
fn encode(v: &server::Value, out: &mut Vec<u8>) {
    match v {
        server::Value::Status(s) => out.extend_from_slice(format!("+{s}\r\n").as_bytes()),
        server::Value::Error(e) => out.extend_from_slice(format!("-{e}\r\n").as_bytes()),
        server::Value::Int(n) => out.extend_from_slice(format!(":{n}\r\n").as_bytes()),
        server::Value::Bulk(None) => out.extend_from_slice(b"$-1\r\n"),
        server::Value::Bulk(Some(s)) => out.extend_from_slice(format!("${}\r\n{s}\r\n", s.len()).as_bytes()),
        server::Value::Array(items) => {
            out.extend_from_slice(format!("*{}\r\n", items.len()).as_bytes());
            for item in items {
                encode(item, out);
            }
        }
    }
}

pub fn program(name: &str) -> Option<Builtin> {
    Some(match name {
        "redis-entrypoint" => entrypoint,
        "redis-server" => redis_server,
        "redis-cli" => cli::redis_cli,
        _ => return None,
    })
}

/// The image's `docker-entrypoint.sh`: options or a `.conf` file imply `redis-server`.
fn entrypoint(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let mut args: Vec<String> = argv[1..].to_vec();
    if args.first().is_none_or(|a| a.starts_with('-') || a.ends_with(".conf")) {
        args.insert(0, "redis-server".into());
    }
    let found = sh.find_program(&args[0]);
    sh.exec_found(found, &args, io)
}

/// `redis-server [CONFIG] [--option value...]`: the start-up log, then serves until stopped.
fn redis_server(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    if argv.iter().any(|a| a == "--version" || a == "-v") {
        let _ = io.out(b"Redis server v=7.4.1 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=0\n");
        return Ok(0);
    }
    let port = argv.iter().position(|a| a == "--port").and_then(|i| argv.get(i + 1)).cloned().unwrap_or("6379".into());
    let stamp = strftime("%d %b %Y %H:%M:%S.000", sh.fs.now);
    let configured = if argv.len() > 1 {
        format!("1:C {stamp} * Configuration loaded\n")
    } else {
        format!("1:C {stamp} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf\n")
    };
    let mut log = format!(
        "1:C {stamp} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n1:C {stamp} * Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started\n{configured}1:M {stamp} * monotonic clock: POSIX clock_gettime\n1:M {stamp} * Running mode=standalone, port={port}.\n1:M {stamp} * Server initialized\n"
    );
    if !sh.is_timed() {
        log.push_str(&format!("1:M {stamp} # Warning: Could not create server TCP listening socket *:{port}: bind: Address already in use\n1:M {stamp} # Failed listening on port {port} (tcp), aborting.\n"));
        let _ = io.out(log.as_bytes());
        return Ok(1);
    }
    log.push_str(&format!("1:M {stamp} * Ready to accept connections tcp\n"));
    let _ = io.out(log.as_bytes());
    sh.serve(io)
}
