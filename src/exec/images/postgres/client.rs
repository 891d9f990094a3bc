//! `psql` and `pg_isready`: options, the connection (the Unix socket when no host is named) and
//! psql's aligned, unaligned and tuples-only result formats.

use super::server::{Postgres, Reply, Request, TITLE};
use crate::exec::images::sql::ast::Value;
use crate::exec::images::sql::engine::Output;
use crate::exec::images::wire::{call, serve_local, Refusal};
use crate::exec::interp::{Res, Shell};
use crate::exec::io::Io;

const SOCKET: &str = "/var/run/postgresql/.s.PGSQL.5432";

fn send(sh: &mut Shell, host: Option<&str>, port: u16, req: Request) -> Result<Reply, Refusal> {
    match host {
        None | Some("localhost") | Some("127.0.0.1") => serve_local::<Postgres>(sh, port, req).ok_or(Refusal::Refused),
        Some(h) => call::<Postgres>(sh, h, port, req),
    }
}

/// How libpq names where it tried to connect: the socket, or the host with the address a name
/// resolved to (`"postgres-0.postgres" (10.244.0.2), port 5432`).
pub fn target(sh: &mut Shell, host: Option<&str>, port: u16) -> String {
    match host {
        None => format!("connection to server on socket \"{SOCKET}\" failed"),
        Some(h) => match crate::exec::net::resolve(sh, h).and_then(|r| r.addrs.first().cloned()) {
            Some(ip) if ip != h => format!("connection to server at \"{h}\" ({ip}), port {port} failed"),
            _ => format!("connection to server at \"{h}\", port {port} failed"),
        },
    }
}

#[derive(Default)]
struct Opts {
    host: Option<String>,
    port: Option<u16>,
    user: Option<String>,
    db: Option<String>,
    commands: Vec<String>,
    tuples_only: bool,
    unaligned: bool,
}

fn options(argv: &[String]) -> Result<Opts, String> {
    let mut o = Opts::default();
    let mut it = argv[1..].iter();
    while let Some(a) = it.next() {
        // `--name=value`, `--name value`, `-xVALUE`, `-x VALUE`, or a bundle of switches (`-tA`).
        let (mut flags, mut inline): (Vec<String>, Option<String>) = match a.strip_prefix("--") {
            Some(long) => long
                .split_once('=')
                .map_or((vec![long.to_string()], None), |(f, v)| (vec![f.to_string()], Some(v.to_string()))),
            None if a.starts_with('-') && a.len() > 1 => (a[1..].chars().map(String::from).collect(), None),
            None => {
                if o.db.is_none() {
                    o.db = Some(a.clone());
                } else {
                    o.user = Some(a.clone());
                }
                continue;
            }
        };
        while !flags.is_empty() {
            let flag = flags.remove(0);
            let takes = matches!(
                flag.as_str(),
                "h" | "host" | "p" | "port" | "U" | "username" | "d" | "dbname" | "c" | "command"
            );
            let value = if takes {
                let rest: String = std::mem::take(&mut flags).concat();
                let v = if rest.is_empty() { inline.take().or_else(|| it.next().cloned()) } else { Some(rest) };
                v.ok_or(format!("psql: error: option requires an argument -- '{flag}'"))?
            } else {
                String::new()
            };
            match flag.as_str() {
                "h" | "host" => o.host = Some(value),
                "p" | "port" => o.port = value.parse().ok(),
                "U" | "username" => o.user = Some(value),
                "d" | "dbname" => o.db = Some(value),
                "c" | "command" => o.commands.push(value),
                "t" | "tuples-only" => o.tuples_only = true,
                "A" | "no-align" => o.unaligned = true,
                "X" | "q" | "w" | "W" | "no-psqlrc" | "quiet" | "no-password" => {}
                _ => {
                    return Err(format!(
                        "psql: error: unrecognized option '{a}'\npsql: hint: Try \"psql --help\" for more information."
                    ))
                }
            }
        }
    }
    Ok(o)
}

pub fn psql(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match options(argv) {
        Ok(o) => o,
        Err(e) => {
            io.err(&format!("{e}\n"));
            return Ok(1);
        }
    };
    let user = o.user.clone().or_else(|| sh.var("PGUSER").map(str::to_string)).unwrap_or_else(|| {
        if sh.fs.c.uid == 0 {
            "root".to_string()
        } else {
            sh.fs.c.uid.to_string()
        }
    });
    let db = o.db.clone().unwrap_or_else(|| user.clone());
    let port = o.port.unwrap_or(5432);
    let host = o.host.as_deref();
    // Without `-c`, psql runs what standard input holds, statement by statement, going on after
    // an error and exiting 0; with `-c`, the first error ends it with exit 1.
    let (batches, script) = if o.commands.is_empty() {
        let script = String::from_utf8_lossy(&io.stdin.take_all()).into_owned();
        (script_segments(&script).into_iter().map(|s| vec![s]).collect(), true)
    } else {
        (vec![o.commands.clone()], false)
    };
    let place = target(sh, host, port);
    let failed = |io: &mut Io, why: &str| {
        io.err(&format!("psql: error: {place}: {why}\n"));
        Ok(2)
    };
    for commands in batches {
        let req = Request::Query { user: user.clone(), db: db.clone(), commands };
        let (outputs, error) = match send(sh, host, port, req) {
            Ok(Reply::Results { outputs, error, notices }) => {
                for n in notices {
                    io.err(&format!("{n}\n"));
                }
                (outputs, error)
            }
            Ok(Reply::NoRole(r)) => return failed(io, &format!("FATAL:  role \"{r}\" does not exist")),
            Ok(Reply::NoDb(d)) => return failed(io, &format!("FATAL:  database \"{d}\" does not exist")),
            Err(Refusal::UnknownHost) => {
                let h = host.unwrap_or_default();
                io.err(&format!(
                    "psql: error: could not translate host name \"{h}\" to address: Name or service not known\n"
                ));
                return Ok(2);
            }
            Ok(Reply::Down | Reply::Pong | Reply::Files(_) | Reply::NoHba(_)) | Err(_) => {
                let why = if host.is_none() {
                    "No such file or directory\n\tIs the server running locally and accepting connections on that socket?"
                } else {
                    "Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?"
                };
                return failed(io, why);
            }
        };
        let mut out = String::new();
        for (tag, output) in outputs {
            out.push_str(&match output {
                Output::Done(_) if tag.is_empty() => String::new(),
                Output::Done(_) => format!("{tag}\n"),
                // A meta-command's listing: its title in the tag.
                Output::Rows { cols, rows, numeric } if tag.starts_with(TITLE) => {
                    let title = Some(&tag[TITLE.len()..]);
                    table_text(title, &cols, &rows, &numeric, o.tuples_only, o.unaligned)
                }
                Output::Rows { cols, rows, numeric } => {
                    table_text(None, &cols, &rows, &numeric, o.tuples_only, o.unaligned)
                }
            });
        }
        let _ = io.out(out.as_bytes());
        if let Some(e) = error {
            io.err(&format!("{e}\n"));
            if !script {
                return Ok(1);
            }
        }
    }
    Ok(0)
}

/// A script's statements as psql sends them: each SQL statement up to and with its `;` (a last
/// one without it too), and each backslash command on a line of its own.
fn script_segments(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut sql = String::new();
    let flush = |sql: &mut String, out: &mut Vec<String>| {
        let ended = sql.trim_end().ends_with(';');
        let statements = crate::exec::images::sql::statements(sql);
        let n = statements.len();
        for (i, (_, text)) in statements.into_iter().enumerate() {
            out.push(if i + 1 < n || ended { format!("{text};") } else { text });
        }
        sql.clear();
    };
    for line in script.lines() {
        if line.trim_start().starts_with('\\') && sql.trim().is_empty() {
            flush(&mut sql, &mut out);
            out.push(line.trim().to_string());
        } else {
            sql.push_str(line);
            sql.push('\n');
        }
    }
    flush(&mut sql, &mut out);
    out
}

fn cell(v: &Value) -> String {
    v.text().unwrap_or_default()
}

/// psql's aligned table (or `-A`'s unaligned one): a centered title, centered column names,
/// numbers right-aligned, the last column unpadded, a cell of several lines continued with `+`
/// in the separator's place, then `(N rows)` and a blank line.
fn table_text(
    title: Option<&str>,
    cols: &[String],
    rows: &[Vec<Value>],
    numeric: &[bool],
    tuples_only: bool,
    unaligned: bool,
) -> String {
    let footer = format!("({} {})\n", rows.len(), if rows.len() == 1 { "row" } else { "rows" });
    if unaligned {
        let mut out = if tuples_only {
            String::new()
        } else {
            format!("{}{}\n", title.map_or(String::new(), |t| format!("{t}\n")), cols.join("|"))
        };
        for r in rows {
            out.push_str(&format!("{}\n", r.iter().map(cell).collect::<Vec<_>>().join("|")));
        }
        if !tuples_only {
            out.push_str(&footer);
        }
        return out;
    }
    let cells: Vec<Vec<Vec<String>>> =
        rows.iter().map(|r| r.iter().map(|v| cell(v).split('\n').map(str::to_string).collect()).collect()).collect();
    let mut widths: Vec<usize> = cols.iter().map(|c| c.chars().count()).collect();
    for r in &cells {
        for (w, lines) in widths.iter_mut().zip(r) {
            for l in lines {
                *w = (*w).max(l.chars().count());
            }
        }
    }
    let last = cols.len().saturating_sub(1);
    let mut out = String::new();
    if !tuples_only {
        if let Some(t) = title {
            let total = widths.iter().sum::<usize>() + cols.len() * 3 - 1;
            let len = t.chars().count();
            out.push_str(&format!("{}{t}\n", " ".repeat(total.saturating_sub(len) / 2)));
        }
        let header: Vec<String> = cols
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                let pad = w - c.chars().count();
                format!("{}{c}{}", " ".repeat(pad / 2), " ".repeat(pad - pad / 2))
            })
            .collect();
        out.push_str(&format!(" {} \n", header.join(" | ")));
        out.push_str(&widths.iter().map(|w| "-".repeat(w + 2)).collect::<Vec<_>>().join("+"));
        out.push('\n');
    }
    for r in &cells {
        let height = r.iter().map(Vec::len).max().unwrap_or(1);
        for line in 0..height {
            let mut text = String::from(" ");
            for (i, lines) in r.iter().enumerate() {
                let w = widths.get(i).copied().unwrap_or(0);
                let part = lines.get(line).map_or("", String::as_str);
                let more = line + 1 < lines.len();
                let right = numeric.get(i).copied().unwrap_or(false);
                match (i == last, more) {
                    (true, false) if right => text.push_str(&format!("{part:>w$}")),
                    (true, false) => text.push_str(part),
                    (true, true) => text.push_str(&format!("{part:<w$}+")),
                    (false, _) => {
                        if right {
                            text.push_str(&format!("{part:>w$}"));
                        } else {
                            text.push_str(&format!("{part:<w$}"));
                        }
                        text.push_str(if more { "+| " } else { " | " });
                    }
                }
            }
            out.push_str(&text);
            out.push('\n');
        }
    }
    if !tuples_only {
        out.push_str(&footer);
    }
    out.push('\n');
    out
}

/// `pg_isready [-h HOST] [-p PORT]`: 0 accepting, 2 no response.
pub fn pg_isready(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = options(argv).unwrap_or_default();
    let port = o.port.unwrap_or(5432);
    let host = o.host.as_deref();
    let place = host.map_or("/var/run/postgresql".to_string(), str::to_string);
    let (status, code) = match send(sh, host, port, Request::Ping) {
        Ok(Reply::Pong) => ("accepting connections", 0),
        _ => ("no response", 2),
    };
    let _ = io.out(format!("{place}:{port} - {status}\n").as_bytes());
    Ok(code)
}
