//! mysqld's side: the configuration it reads, its data directory, statements run against it,
//! the binary log a primary writes and the replication a replica runs from it.

use serde::{Deserialize, Serialize};

use super::{version, DATADIR};
use crate::exec::images::data;
use crate::exec::images::sql::ast::{Stmt, Value};
use crate::exec::images::sql::engine::{execute, Output, Session, SqlError};
use crate::exec::images::sql::parse::parse;
use crate::exec::images::wire::{call, Protocol};
use crate::exec::interp::Shell;

/// The binary log's file name and where its first event starts (5.7's format header).
pub const BINLOG: &str = "mysql-bin.000001";
const BINLOG_START: u64 = 154;
const MASTER_INFO: &str = "/var/lib/mysql/master.info";

/// What `[mysqld]` sections of `/etc/mysql/conf.d/*.cnf` set.
#[derive(Debug, Default)]
pub struct Config {
    pub server_id: i64,
    pub log_bin: bool,
    pub super_read_only: bool,
}

impl Config {
    pub fn read(sh: &mut Shell) -> Config {
        let mut c = Config::default();
        for name in data::list(sh, "/etc/mysql/conf.d") {
            if !name.ends_with(".cnf") {
                continue;
            }
            let text = data::read_text(sh, &format!("/etc/mysql/conf.d/{name}")).unwrap_or_default();
            for line in text.lines().map(str::trim) {
                let (key, value) = line.split_once('=').map_or((line, ""), |(k, v)| (k.trim(), v.trim()));
                match key.replace('_', "-").as_str() {
                    "server-id" => c.server_id = value.parse().unwrap_or(0),
                    "log-bin" => c.log_bin = true,
                    "super-read-only" => c.super_read_only = value != "0" && value != "OFF",
                    _ => {}
                }
            }
        }
        c
    }
}

pub fn initialized(sh: &mut Shell) -> bool {
    data::is_dir(sh, &format!("{DATADIR}/mysql"))
}

/// `mysqld --initialize-insecure`: the system schemas' directories and InnoDB's files.
pub fn initialize(sh: &mut Shell) -> Result<(), crate::exec::errno::Errno> {
    for dir in ["mysql", "performance_schema", "sys"] {
        data::mkdir_p(sh, &format!("{DATADIR}/{dir}"))?;
    }
    data::write(sh, &format!("{DATADIR}/ibdata1"), Vec::new())?;
    data::write(
        sh,
        &format!("{DATADIR}/auto.cnf"),
        b"[auto]\nserver-uuid=00000000-0000-0000-0000-000000000000\n".to_vec(),
    )
}

/// One statement a primary logged: where the log stands after it, its database and its text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Event {
    pub end: u64,
    pub db: Option<String>,
    pub sql: String,
}

/// A replica's connection to its primary (`CHANGE MASTER TO`, `START SLAVE`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MasterInfo {
    pub host: String,
    pub file: String,
    pub pos: u64,
    pub running: bool,
}

pub enum Request {
    Ping,
    /// Statements with the line each starts on, run in order until one fails.
    Query {
        db: Option<String>,
        statements: Vec<(u32, String)>,
    },
    /// The primary's events after a log position.
    Binlog {
        from: u64,
    },
}

pub enum Reply {
    /// The server is not initialized or not running.
    Down,
    Pong,
    Results {
        outputs: Vec<Output>,
        error: Option<(u32, String, SqlError)>,
    },
    Events(Vec<Event>),
}

pub struct Mysql;

impl Protocol for Mysql {
    type Request = Request;
    type Reply = Reply;

    fn serve(sh: &mut Shell, req: Request) -> Reply {
        if !initialized(sh) {
            return Reply::Down;
        }
        match req {
            Request::Ping => Reply::Pong,
            Request::Binlog { from } => Reply::Events(events(sh).into_iter().filter(|e| e.end > from).collect()),
            Request::Query { db, statements } => {
                catch_up(sh);
                run(sh, db, &statements)
            }
        }
    }
}

fn events(sh: &mut Shell) -> Vec<Event> {
    let text = data::read_text(sh, &format!("{DATADIR}/{BINLOG}")).unwrap_or_default();
    text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

/// The end of the binary log (the position `SHOW MASTER STATUS` and a backup report).
pub fn binlog_position(sh: &mut Shell) -> u64 {
    events(sh).last().map_or(BINLOG_START, |e| e.end)
}

fn log_event(sh: &mut Shell, db: Option<String>, sql: &str) {
    let end = binlog_position(sh) + 31 + sql.len() as u64;
    let file = format!("{DATADIR}/{BINLOG}");
    let mut text = data::read_text(sh, &file).unwrap_or_default();
    if let Ok(line) = serde_json::to_string(&Event { end, db, sql: sql.to_string() }) {
        text.push_str(&line);
        text.push('\n');
        let _ = data::write(sh, &file, text.into_bytes());
    }
}

pub fn master_info(sh: &mut Shell) -> Option<MasterInfo> {
    data::load(sh, MASTER_INFO)
}

/// A running replica applies what its primary logged since its position.
fn catch_up(sh: &mut Shell) {
    let Some(mut info) = master_info(sh).filter(|i| i.running && !i.host.is_empty()) else { return };
    let Ok(Reply::Events(evs)) = call::<Mysql>(sh, &info.host.clone(), 3306, Request::Binlog { from: info.pos }) else {
        return;
    };
    for ev in evs {
        if let Ok(stmt) = parse(&ev.sql) {
            let mut s = session(sh, ev.db.clone());
            let vars = sysvars(sh);
            let lookup = |n: &str| vars.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
            s.sysvar = &lookup;
            let _ = execute(sh, &mut s, &stmt);
        }
        info.pos = ev.end;
    }
    let _ = data::save(sh, MASTER_INFO, &info);
}

fn sysvars(sh: &mut Shell) -> Vec<(String, Value)> {
    let c = Config::read(sh);
    let v = version(&sh.fs.c.image);
    vec![
        ("server_id".into(), Value::Int(c.server_id)),
        (
            "version".into(),
            Value::Text(if c.log_bin && v.starts_with('5') { format!("{v}-log") } else { v.to_string() }),
        ),
        ("hostname".into(), Value::Text(sh.fs.c.hostname.clone())),
        ("port".into(), Value::Int(3306)),
        ("read_only".into(), Value::Int(i64::from(c.super_read_only))),
        ("super_read_only".into(), Value::Int(i64::from(c.super_read_only))),
        ("log_bin".into(), Value::Int(i64::from(c.log_bin))),
        ("timestamp".into(), Value::Int(sh.fs.now)),
    ]
}

fn session<'v>(_sh: &mut Shell, db: Option<String>) -> Session<'v> {
    Session {
        root: DATADIR.to_string(),
        ext: "ibd",
        db,
        virtual_dbs: &["information_schema"],
        sysvar: &|_| None,
        now_format: "%Y-%m-%d %H:%M:%S",
    }
}

fn run(sh: &mut Shell, db: Option<String>, statements: &[(u32, String)]) -> Reply {
    let config = Config::read(sh);
    let vars = sysvars(sh);
    let lookup = |n: &str| vars.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let mut s = session(sh, db);
    s.sysvar = &lookup;
    if let Some(d) = s.db.clone() {
        if !data::is_dir(sh, &format!("{DATADIR}/{d}")) {
            return Reply::Results { outputs: Vec::new(), error: Some((0, String::new(), SqlError::UnknownDb(d))) };
        }
    }
    let mut outputs = Vec::new();
    for (line, text) in statements {
        let stmt = match parse(text) {
            Ok(s) => s,
            Err(e) => return Reply::Results { outputs, error: Some((*line, text.clone(), SqlError::Syntax(e.0))) },
        };
        let fail = |e| Reply::Results { outputs: Vec::new(), error: Some((*line, text.clone(), e)) };
        match &stmt {
            Stmt::ChangeMaster(opts) => {
                let mut info = master_info(sh).unwrap_or_default();
                for (k, v) in opts {
                    match (k.as_str(), v) {
                        ("MASTER_HOST", Value::Text(h)) => info.host = h.clone(),
                        ("MASTER_LOG_FILE", Value::Text(f)) => info.file = f.clone(),
                        ("MASTER_LOG_POS", Value::Int(p)) => info.pos = u64::try_from(*p).unwrap_or(0),
                        _ => {}
                    }
                }
                let _ = data::save(sh, MASTER_INFO, &info);
                outputs.push(Output::Done(0));
                continue;
            }
            Stmt::StartSlave | Stmt::StopSlave => {
                let mut info = master_info(sh).unwrap_or_default();
                info.running = stmt == Stmt::StartSlave;
                let _ = data::save(sh, MASTER_INFO, &info);
                if info.running {
                    catch_up(sh);
                }
                outputs.push(Output::Done(0));
                continue;
            }
            _ => {}
        }
        if stmt.writes() && config.super_read_only {
            let mut r = fail(SqlError::ReadOnly);
            if let Reply::Results { outputs: o, .. } = &mut r {
                *o = outputs;
            }
            return r;
        }
        let db_before = s.db.clone();
        match execute(sh, &mut s, &stmt) {
            Ok(out) => {
                if stmt.writes() && config.log_bin {
                    log_event(sh, db_before, text);
                }
                outputs.push(out);
            }
            Err(e) => return Reply::Results { outputs, error: Some((*line, text.clone(), e)) },
        }
    }
    Reply::Results { outputs, error: None }
}
