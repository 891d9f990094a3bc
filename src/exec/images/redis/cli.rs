//! `redis-cli [-h HOST] [-p PORT] [--raw|--no-raw] CMD ARGS...`: one command, its reply printed
//! as redis-cli prints it: plainly when stdout is not a terminal, with types when it is.

use super::server::{Redis, Reply, Request, Value};
use crate::exec::images::wire::{call, serve_local, Refusal};
use crate::exec::interp::{Res, Shell};
use crate::exec::io::Io;

pub fn redis_cli(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let mut host = "127.0.0.1".to_string();
    let mut port: u16 = 6379;
    let mut typed = sh.fs.c.tty;
    let mut words = Vec::new();
    let mut it = argv[1..].iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-h" => host = it.next().cloned().unwrap_or(host),
            "-p" => match it.next().and_then(|p| p.parse().ok()) {
                Some(p) => port = p,
                None => {
                    io.err("Invalid server port.\n");
                    return Ok(1);
                }
            },
            "--raw" => typed = false,
            "--no-raw" => typed = true,
            _ => words.push(a.clone()),
        }
    }
    if words.is_empty() {
        // Without a terminal the interactive prompt reads nothing and ends.
        return Ok(0);
    }
    let req = Request::Command(words);
    let reply = if host == "127.0.0.1" || host == "localhost" {
        serve_local::<Redis>(sh, port, req).ok_or(Refusal::Refused)
    } else {
        call::<Redis>(sh, &host, port, req)
    };
    let value = match reply {
        Ok(Reply::Value(v)) => v,
        Ok(Reply::Keyspace(_)) | Err(Refusal::Refused) | Err(Refusal::Unreachable) => {
            io.err(&format!("Could not connect to Redis at {host}:{port}: Connection refused\n"));
            return Ok(1);
        }
        Err(Refusal::UnknownHost) => {
            io.err(&format!("Could not connect to Redis at {host}:{port}: Name or service not known\n"));
            return Ok(1);
        }
    };
    let failed = matches!(value, Value::Error(_));
    let text = if typed { typed_text(&value, "") } else { raw(&value) };
    let _ = io.out(text.as_bytes());
    Ok(i32::from(failed))
}

fn raw(v: &Value) -> String {
    match v {
        Value::Status(s) | Value::Error(s) | Value::Bulk(Some(s)) => format!("{s}\n"),
        Value::Int(n) => format!("{n}\n"),
        Value::Bulk(None) => "\n".into(),
        Value::Array(items) => items.iter().map(raw).collect(),
    }
}

fn typed_text(v: &Value, indent: &str) -> String {
    match v {
        Value::Status(s) => format!("{s}\n"),
        Value::Error(s) => format!("(error) {s}\n"),
        Value::Int(n) => format!("(integer) {n}\n"),
        Value::Bulk(None) => "(nil)\n".into(),
        Value::Bulk(Some(s)) if s.contains("\r\n") => s.replace("\r\n", "\n"),
        Value::Bulk(Some(s)) => format!("\"{}\"\n", s.escape_default()),
        Value::Array(items) if items.is_empty() => "(empty array)\n".into(),
        Value::Array(items) => {
            let width = items.len().to_string().len();
            let mut out = String::new();
            for (i, item) in items.iter().enumerate() {
                let prefix = if i == 0 { String::new() } else { indent.to_string() };
                out.push_str(&format!("{prefix}{:>width$}) {}", i + 1, typed_text(item, indent)));
            }
            out
        }
    }
}
