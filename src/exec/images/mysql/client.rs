//! The `mysql` and `mysqladmin` clients: options, the connection (the local socket when no
//! host or `localhost` is named, TCP otherwise) and the output of each statement's result.

use super::errors::describe;
use super::format;
use super::server::{Mysql, Reply, Request};
use super::SOCKET;
use crate::exec::images::sql::engine::Output;
use crate::exec::images::sql::statements;
use crate::exec::images::wire::{call, serve_local, Refusal};
use crate::exec::interp::{Res, Shell};
use crate::exec::io::Io;

#[derive(Default)]
struct Opts {
    host: Option<String>,
    port: u16,
    execute: Option<String>,
    database: Option<String>,
    skip_names: bool,
    batch: bool,
    table: bool,
    rest: Vec<String>,
}

/// Parses the options both clients share; `Err` is the unknown option.
fn options(argv: &[String], prog: &str) -> Result<Opts, String> {
    let mut o = Opts { port: 3306, ..Opts::default() };
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].clone();
        i += 1;
        let mut value = |name: &str, inline: Option<&str>| -> Result<String, String> {
            if let Some(v) = inline.filter(|v| !v.is_empty()) {
                return Ok(v.to_string());
            }
            let v = argv.get(i).cloned().ok_or_else(|| format!("{prog}: option '{name}' requires an argument"))?;
            i += 1;
            Ok(v)
        };
        if let Some(long) = a.strip_prefix("--") {
            let (name, inline) = long.split_once('=').map_or((long, None), |(n, v)| (n, Some(v)));
            match name {
                "host" => o.host = Some(value("--host", inline)?),
                "port" => o.port = value("--port", inline)?.parse().unwrap_or(3306),
                "execute" => o.execute = Some(value("--execute", inline)?),
                "database" => o.database = Some(value("--database", inline)?),
                "user" | "password" | "socket" | "protocol" | "default-character-set" | "connect-timeout" => {
                    if name != "password" || inline.is_some() {
                        value(name, inline)?;
                    }
                }
                "skip-column-names" => o.skip_names = true,
                "batch" | "silent" => o.batch = true,
                "table" => o.table = true,
                "force" | "verbose" | "no-beep" | "skip-ssl" | "ssl-mode" | "raw" | "unbuffered" => {}
                _ => return Err(format!("{prog}: [ERROR] unknown option '--{name}'.")),
            }
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                j += 1;
                let rest: String = chars[j..].iter().collect();
                match c {
                    'h' | 'P' | 'e' | 'D' | 'u' | 'S' => {
                        let v = value(&format!("-{c}"), Some(&rest))?;
                        match c {
                            'h' => o.host = Some(v),
                            'P' => o.port = v.parse().unwrap_or(3306),
                            'e' => o.execute = Some(v),
                            'D' => o.database = Some(v),
                            _ => {}
                        }
                        break;
                    }
                    // `-pSECRET`; a bare `-p` would prompt, which a pod without a terminal skips.
                    'p' => break,
                    'N' => o.skip_names = true,
                    'B' | 's' => o.batch = true,
                    't' => o.table = true,
                    'f' | 'v' | 'n' | 'r' | 'A' => {}
                    _ => return Err(format!("{prog}: [ERROR] unknown option '-{c}'.")),
                }
            }
            continue;
        }
        o.rest.push(a);
    }
    Ok(o)
}

/// Sends a request to the server the options name.
fn send(sh: &mut Shell, o: &Opts, req: Request) -> Result<Reply, String> {
    let host = o.host.clone().unwrap_or_else(|| "localhost".into());
    let local = "Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)".to_string();
    let reply = if host == "localhost" {
        serve_local::<Mysql>(sh, 3306, req).ok_or(local.clone())?
    } else {
        call::<Mysql>(sh, &host, o.port, req).map_err(|r| match r {
            Refusal::UnknownHost => format!("Unknown MySQL server host '{host}' (-2)"),
            Refusal::Refused => format!("Can't connect to MySQL server on '{host}' (111)"),
            Refusal::Unreachable => format!("Can't connect to MySQL server on '{host}' (110)"),
        })?
    };
    match reply {
        Reply::Down if host == "localhost" => Err(local),
        Reply::Down => Err(format!("Can't connect to MySQL server on '{host}' (111)")),
        r => Ok(r),
    }
}

fn connect_code(msg: &str) -> u32 {
    if msg.starts_with("Unknown MySQL") {
        2005
    } else if msg.contains("local MySQL") {
        2002
    } else {
        2003
    }
}

/// The part of a script before the client's own `exit`, `quit` or `\\q` command, which ends the
/// session when it starts a line outside a statement (a named command needs no `;`).
fn until_quit(script: &str) -> &str {
    let mut open_statement = false;
    let mut offset = 0;
    for line in script.split_inclusive('\n') {
        let word = line.trim().trim_end_matches(';').trim_end();
        if !open_statement && (word.eq_ignore_ascii_case("exit") || word.eq_ignore_ascii_case("quit") || word == "\\q")
        {
            return &script[..offset];
        }
        let text = line.trim();
        if !text.is_empty() && !text.starts_with("--") && !text.starts_with('#') {
            open_statement = !text.ends_with(';');
        }
        offset += line.len();
    }
    script
}

pub fn mysql(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match options(argv, "mysql") {
        Ok(o) => o,
        Err(e) => {
            io.err(&format!("{e}\n"));
            return Ok(7);
        }
    };
    let script = match &o.execute {
        Some(e) => e.clone(),
        None => until_quit(&String::from_utf8_lossy(&io.stdin.take_all())).to_string(),
    };
    let db = o.database.clone().or_else(|| o.rest.first().cloned());
    let req = Request::Query { db, statements: statements(&script) };
    let reply = match send(sh, &o, req) {
        Ok(r) => r,
        Err(msg) => {
            io.err(&format!("ERROR {} (HY000): {msg}\n", connect_code(&msg)));
            return Ok(1);
        }
    };
    let Reply::Results { outputs, error } = reply else { return Ok(1) };
    let boxed = o.table || (sh.fs.c.tty && o.execute.is_some() && !o.batch);
    let mut out = String::new();
    for r in outputs {
        if let Output::Rows { cols, rows, numeric } = r {
            out.push_str(&if boxed {
                format::table(&cols, &rows, &numeric)
            } else {
                format::batch(&cols, &rows, !o.skip_names)
            });
        }
    }
    let _ = io.out(out.as_bytes());
    match error {
        None => Ok(0),
        Some((line, text, e)) => {
            let (code, state, msg) = describe(&e, &text);
            if line == 0 {
                io.err(&format!("ERROR {code} ({state}): {msg}\n"));
            } else {
                io.err(&format!("ERROR {code} ({state}) at line {line}: {msg}\n"));
            }
            Ok(1)
        }
    }
}

pub fn mysqladmin(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match options(argv, "mysqladmin") {
        Ok(o) => o,
        Err(e) => {
            io.err(&format!("{e}\n"));
            return Ok(7);
        }
    };
    let Some(cmd) = o.rest.first().cloned() else {
        io.err("mysqladmin  Ver 8.42 Distrib 5.7.44, for Linux on x86_64\nUsage: mysqladmin [OPTIONS] command command....\n");
        return Ok(1);
    };
    let host = o.host.clone().unwrap_or_else(|| "localhost".into());
    match send(sh, &o, Request::Ping) {
        Ok(_) if cmd == "ping" => {
            let _ = io.out(b"mysqld is alive\n");
            Ok(0)
        }
        Ok(_) if cmd == "status" => {
            let _ = io.out(b"Uptime: 1  Threads: 1  Questions: 1  Slow queries: 0  Opens: 1  Flush tables: 1  Open tables: 1  Queries per second avg: 1.000\n");
            Ok(0)
        }
        Ok(_) => {
            io.err(&format!("mysqladmin: Unknown command: '{cmd}'\n"));
            Ok(1)
        }
        Err(msg) => {
            let mut text = format!("mysqladmin: connect to server at '{host}' failed\nerror: '{msg}'\n");
            if host == "localhost" {
                text.push_str(&format!("Check that mysqld is running and that the socket: '{SOCKET}' exists!\n"));
            }
            io.err(&text);
            Ok(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::until_quit;

    #[test]
    fn a_named_quit_command_ends_the_script_only_outside_a_statement() {
        assert_eq!(until_quit("SHOW DATABASES;\nexit\nSELECT 1;\n"), "SHOW DATABASES;\n");
        assert_eq!(until_quit("select 1;\n  QUIT;\n"), "select 1;\n");
        assert_eq!(until_quit("\\q\n"), "");
        // Inside an unfinished statement `exit` is a word of it (a column alias here).
        assert_eq!(until_quit("SELECT 1 AS\nexit;\n"), "SELECT 1 AS\nexit;\n");
        assert_eq!(until_quit("SELECT 1;"), "SELECT 1;");
    }
}
