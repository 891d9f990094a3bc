//! The postgres server's side: its cluster in `PGDATA` (a database is a directory under
//! `base/`, a table a JSON file in it), the roles initdb made, and statements run through the
//! shared SQL subset. A standby (`standby.signal`, made by `pg_basebackup -R`) follows the
//! primary its `primary_conninfo` names: before answering it takes the primary's databases (a
//! full copy standing for WAL streaming), and it refuses writes as a hot standby does.

use serde::{Deserialize, Serialize};

use crate::exec::images::data;
use crate::exec::images::sql::ast::Value;
use crate::exec::images::sql::engine::{execute, Output, Session, SqlError};
use crate::exec::images::sql::parse::parse;
use crate::exec::images::wire::{call, Protocol};
use crate::exec::interp::Shell;

pub const PGDATA: &str = "/var/lib/postgresql/data";
const ROLES: &str = "/var/lib/postgresql/data/global/pg_authid";

#[derive(Debug, Default, Serialize, Deserialize)]
struct Roles {
    superuser: String,
}

pub fn initialized(sh: &mut Shell) -> bool {
    data::exists(sh, &format!("{PGDATA}/PG_VERSION"))
}

/// The `pg_hba.conf` initdb writes (its comments left out), with the line the image's
/// entrypoint appends: password logins from anywhere, replication only from the host itself.
const PG_HBA: &str = "# TYPE  DATABASE        USER            ADDRESS                 METHOD

# \"local\" is for Unix domain socket connections only
local   all             all                                     trust
# IPv4 local connections:
host    all             all             127.0.0.1/32            trust
# IPv6 local connections:
host    all             all             ::1/128                 trust
# Allow replication connections from localhost, by a user with the
# replication privilege.
local   replication     all                                     trust
host    replication     all             127.0.0.1/32            trust
host    replication     all             ::1/128                 trust

host all all all scram-sha-256
";

/// initdb: the version file, the superuser and its database, `pg_hba.conf`.
pub fn initialize(sh: &mut Shell, major: &str, user: &str, db: &str) -> Result<(), crate::exec::errno::Errno> {
    data::write(sh, &format!("{PGDATA}/PG_VERSION"), format!("{major}\n").into_bytes())?;
    data::write(sh, &format!("{PGDATA}/pg_hba.conf"), PG_HBA.as_bytes().to_vec())?;
    data::write(sh, &format!("{PGDATA}/postgresql.conf"), b"listen_addresses = '*'\n".to_vec())?;
    data::save(sh, ROLES, &Roles { superuser: user.to_string() })?;
    for d in ["postgres", "template1", "template0", db] {
        data::mkdir_p(sh, &format!("{PGDATA}/base/{d}"))?;
    }
    Ok(())
}

pub enum Request {
    Ping,
    Query {
        user: String,
        db: String,
        commands: Vec<String>,
    },
    /// A base backup (and, from a standby, the stream that keeps it current): every file of
    /// the primary's `PGDATA`, as relative paths.
    Backup {
        user: String,
        from: String,
    },
}

/// The tag of a meta-command's listing starts with this, then its title.
pub const TITLE: &str = "\u{0}title:";

pub enum Reply {
    Down,
    Pong,
    NoRole(String),
    NoDb(String),
    /// No `pg_hba.conf` line lets this (replication) connection in: the client's address.
    NoHba(String),
    /// Each command's last result (a tag starting with [`TITLE`] carries a listing's title);
    /// the failing command ends the list with its message (`ERROR:  ...`); notices are
    /// messages psql prints on stderr without failing (`Did not find any relations.`).
    Results {
        outputs: Vec<(String, Output)>,
        error: Option<String>,
        notices: Vec<String>,
    },
    Files(Vec<(String, Vec<u8>)>),
}

/// Whether this cluster is a standby (`standby.signal` in `PGDATA`).
pub fn standby(sh: &mut Shell) -> bool {
    data::exists(sh, &format!("{PGDATA}/standby.signal"))
}

/// `host` and `port` of `primary_conninfo` in `postgresql.auto.conf` (or `postgresql.conf`).
pub fn primary_conninfo(sh: &mut Shell) -> Option<(String, u16)> {
    let mut conninfo = None;
    for file in ["postgresql.conf", "postgresql.auto.conf"] {
        let text = data::read_text(sh, &format!("{PGDATA}/{file}")).unwrap_or_default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once('=') else { continue };
            if key.trim() == "primary_conninfo" {
                conninfo = Some(value.trim().trim_matches('\'').replace("''", "'"));
            }
        }
    }
    let fields = conninfo_fields(&conninfo?);
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    Some((field("host")?, field("port").and_then(|p| p.parse().ok()).unwrap_or(5432)))
}

/// `key=value` pairs of a libpq connection string; a value is bare or single-quoted, with `\`
/// escaping inside quotes.
fn conninfo_fields(conninfo: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = conninfo.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let key: String = std::iter::from_fn(|| chars.next_if(|c| *c != '=' && !c.is_whitespace())).collect();
        if key.is_empty() || chars.next() != Some('=') {
            return out;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '\'' => break,
                    c => value.push(c),
                }
            }
        } else {
            value = std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace())).collect();
        }
        out.push((key, value));
    }
}

/// The files of `PGDATA` below `dir` (relative to `PGDATA`), at most `MAX_FILES`.
fn files_below(sh: &mut Shell, dir: &str, out: &mut Vec<(String, Vec<u8>)>) {
    const MAX_FILES: usize = 10_000;
    for name in data::list(sh, &format!("{PGDATA}/{dir}")) {
        let rel = if dir.is_empty() { name } else { format!("{dir}/{name}") };
        let full = format!("{PGDATA}/{rel}");
        if out.len() >= MAX_FILES || rel == "postmaster.pid" {
            continue;
        }
        if data::is_dir(sh, &full) {
            out.push((format!("{rel}/"), Vec::new()));
            files_below(sh, &rel, out);
        } else if let Ok(bytes) = sh.fs.read("/", &full) {
            out.push((rel, bytes));
        }
    }
}

/// Whether `pg_hba.conf` has a line admitting a replication connection from `from` (an IPv4
/// address, or `local` for the socket): database `replication`, address `all` or a CIDR.
fn replication_allowed(sh: &mut Shell, from: &str) -> bool {
    let hba = data::read_text(sh, &format!("{PGDATA}/pg_hba.conf")).unwrap_or_default();
    hba.lines().map(|l| l.split('#').next().unwrap_or_default()).any(|line| {
        let f: Vec<&str> = line.split_whitespace().collect();
        let replication = |db: &str| db.split(',').any(|d| d == "replication");
        match f.as_slice() {
            ["local", db, _, method, ..] => from == "local" && replication(db) && *method != "reject",
            [kind, db, _, addr, method, ..] if kind.starts_with("host") => {
                from != "local" && replication(db) && *method != "reject" && address_matches(addr, from)
            }
            _ => false,
        }
    })
}

/// `all`, `samehost`-less IPv4 CIDRs (`10.244.0.0/16`) and bare addresses.
fn address_matches(pattern: &str, ip: &str) -> bool {
    if pattern == "all" || pattern == "0.0.0.0/0" {
        return true;
    }
    let parse = |a: &str| a.parse::<std::net::Ipv4Addr>().ok().map(u32::from);
    let (net, bits) = pattern.split_once('/').unwrap_or((pattern, "32"));
    match (parse(net), bits.parse::<u32>(), parse(ip)) {
        (Some(net), Ok(bits), Some(ip)) if bits <= 32 => {
            let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
            net & mask == ip & mask
        }
        _ => false,
    }
}

/// A standby's catching up: its databases become the primary's.
fn follow_primary(sh: &mut Shell, user: &str) {
    let Some((host, port)) = primary_conninfo(sh) else { return };
    let from = sh.fs.c.pod_ip.clone();
    let Ok(Reply::Files(files)) = call::<Postgres>(sh, &host, port, Request::Backup { user: user.to_string(), from })
    else {
        return;
    };
    let _ = data::remove_tree(sh, &format!("{PGDATA}/base"));
    for (rel, bytes) in files {
        if !rel.starts_with("base/") {
            continue;
        }
        let _ = match rel.strip_suffix('/') {
            Some(d) => data::mkdir_p(sh, &format!("{PGDATA}/{d}")),
            None => data::write(sh, &format!("{PGDATA}/{rel}"), bytes),
        };
    }
}

pub struct Postgres;

impl Protocol for Postgres {
    type Request = Request;
    type Reply = Reply;

    fn serve(sh: &mut Shell, req: Request) -> Reply {
        if !initialized(sh) {
            return Reply::Down;
        }
        let roles: Roles = data::load(sh, ROLES).unwrap_or_default();
        let (user, db, commands) = match req {
            Request::Ping => return Reply::Pong,
            Request::Backup { user, .. } if user != roles.superuser => return Reply::NoRole(user),
            Request::Backup { from, .. } if !replication_allowed(sh, &from) => return Reply::NoHba(from),
            Request::Backup { .. } => {
                let mut files = Vec::new();
                files_below(sh, "", &mut files);
                return Reply::Files(files);
            }
            Request::Query { user, db, commands } => (user, db, commands),
        };
        if user != roles.superuser {
            return Reply::NoRole(user);
        }
        let standby = standby(sh);
        if standby {
            follow_primary(sh, &user);
        }
        if !data::is_dir(sh, &format!("{PGDATA}/base/{db}")) {
            return Reply::NoDb(db);
        }
        let mut s = Session {
            root: format!("{PGDATA}/base"),
            ext: "json",
            db: Some(db.clone()),
            virtual_dbs: &[],
            sysvar: &|name| {
                (name == "pg_is_in_recovery()").then(|| Value::Text(if standby { "t" } else { "f" }.into()))
            },
            now_format: "%Y-%m-%d %H:%M:%S.000000+00",
        };
        let mut outputs = Vec::new();
        let mut notices = Vec::new();
        let major = data::read_text(sh, &format!("{PGDATA}/PG_VERSION")).unwrap_or_default().trim().to_string();
        for command in commands {
            if let Some(meta) = command.trim().strip_prefix('\\') {
                match meta_command(sh, meta, &db, &roles.superuser, &major) {
                    Meta::Listing(title, out) => outputs.push((format!("{TITLE}{title}"), out)),
                    Meta::Notice(n) => notices.push(n),
                    Meta::Nothing => {}
                    Meta::Invalid => {
                        let name = meta.split_whitespace().next().unwrap_or_default();
                        return Reply::Results { outputs, error: Some(format!("invalid command \\{name}")), notices };
                    }
                }
                continue;
            }
            // Errors quote the whole command string psql sent, with the caret where the failing
            // statement's problem is in it.
            let mut cursor = 0;
            for (_, text) in crate::exec::images::sql::statements(&command) {
                let base = command.get(cursor..).and_then(|rest| rest.find(&text)).map_or(0, |i| cursor + i);
                cursor = base + text.len();
                let fail = |outputs, e: &SqlError, notices| Reply::Results {
                    outputs,
                    error: Some(error_text(e, &command, &text, base)),
                    notices,
                };
                let stmt = match parse(&text) {
                    Ok(st) if dialect_has(&text) => st,
                    Ok(_) => return fail(outputs, &SqlError::Syntax(0), notices),
                    Err(e) => return fail(outputs, &SqlError::Syntax(e.0), notices),
                };
                if standby && stmt.writes() {
                    let error = format!("ERROR:  cannot execute {} in a read-only transaction", command_name(&text));
                    return Reply::Results { outputs, error: Some(error), notices };
                }
                match execute(sh, &mut s, &stmt) {
                    Ok(out) => outputs.push((tag(&text, out_count(&out)), renamed(out))),
                    Err(e) => return fail(outputs, &e, notices),
                }
            }
        }
        Reply::Results { outputs, error: None, notices }
    }
}

enum Meta {
    Listing(&'static str, Output),
    Notice(String),
    Nothing,
    Invalid,
}

/// psql's backslash commands kstate answers: `\l` (`\list`), `\dt` and `\d` (tables are the
/// only relations here), `\q`.
fn meta_command(sh: &mut Shell, meta: &str, db: &str, owner: &str, major: &str) -> Meta {
    let text = |s: &str| Value::Text(s.to_string());
    match meta.split_whitespace().next().unwrap_or_default() {
        "q" | "quit" => Meta::Nothing,
        "l" | "list" => {
            let privileges = format!("=c/{owner}\n{owner}=CTc/{owner}");
            let rows = data::list(sh, &format!("{PGDATA}/base"))
                .into_iter()
                .map(|name| {
                    let access = if name.starts_with("template") { privileges.clone() } else { String::new() };
                    let (locale, empty) = ("en_US.utf8", "");
                    if major == "15" {
                        vec![
                            text(&name),
                            text(owner),
                            text("UTF8"),
                            text(locale),
                            text(locale),
                            text(empty),
                            text("libc"),
                            text(&access),
                        ]
                    } else {
                        vec![
                            text(&name),
                            text(owner),
                            text("UTF8"),
                            text("libc"),
                            text(locale),
                            text(locale),
                            text(empty),
                            text(empty),
                            text(&access),
                        ]
                    }
                })
                .collect::<Vec<_>>();
            let cols: &[&str] = if major == "15" {
                &["Name", "Owner", "Encoding", "Collate", "Ctype", "ICU Locale", "Locale Provider", "Access privileges"]
            } else {
                &[
                    "Name",
                    "Owner",
                    "Encoding",
                    "Locale Provider",
                    "Collate",
                    "Ctype",
                    "ICU Locale",
                    "ICU Rules",
                    "Access privileges",
                ]
            };
            let cols: Vec<String> = cols.iter().map(|c| c.to_string()).collect();
            let numeric = vec![false; cols.len()];
            Meta::Listing("List of databases", Output::Rows { cols, rows, numeric })
        }
        "dt" | "d" => {
            let rows: Vec<Vec<Value>> = data::list(sh, &format!("{PGDATA}/base/{db}"))
                .into_iter()
                .filter_map(|f| f.strip_suffix(".json").map(str::to_string))
                .map(|t| vec![text("public"), text(&t), text("table"), text(owner)])
                .collect();
            if rows.is_empty() {
                return Meta::Notice("Did not find any relations.".into());
            }
            let cols = ["Schema", "Name", "Type", "Owner"].iter().map(|c| c.to_string()).collect();
            Meta::Listing("List of relations", Output::Rows { cols, rows, numeric: vec![false; 4] })
        }
        _ => Meta::Invalid,
    }
}

/// MySQL's statements the shared parser knows and PostgreSQL has not.
fn dialect_has(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
    !matches!(first.as_str(), "USE" | "SHOW" | "CHANGE" | "START" | "STOP")
}

fn out_count(out: &Output) -> u64 {
    match out {
        Output::Done(n) => *n,
        Output::Rows { rows, .. } => rows.len() as u64,
    }
}

/// The command tag psql prints for a statement without rows.
fn tag(text: &str, n: u64) -> String {
    let words: Vec<String> = text.split_whitespace().take(2).map(str::to_ascii_uppercase).collect();
    match words.first().map(String::as_str) {
        Some("INSERT") => format!("INSERT 0 {n}"),
        Some("UPDATE" | "DELETE") => format!("{} {n}", words[0]),
        Some("CREATE" | "DROP") => words.join(" "),
        Some(w) => w.to_string(),
        None => String::new(),
    }
}

fn identifier(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The statement's name as PostgreSQL's messages give it: `INSERT`, `CREATE TABLE`.
fn command_name(text: &str) -> String {
    let words: Vec<String> = text.split_whitespace().take(2).map(str::to_ascii_uppercase).collect();
    match words.first().map(String::as_str) {
        Some("CREATE" | "DROP") => words.join(" "),
        _ => words.first().cloned().unwrap_or_default(),
    }
}

/// The error psql prints for a refused statement: `ERROR:  message`, then for errors about a
/// place in the statement the `LINE n:` line and a caret under that place (and a HINT for an
/// unknown function).
pub fn error_text(e: &SqlError, full: &str, statement: &str, base: usize) -> String {
    let at = match e {
        SqlError::Syntax(at) => Some(*at),
        SqlError::NoTable(_, name) | SqlError::UnknownColumn(name, _) | SqlError::UnknownFunction(name) => {
            word_at(statement, name)
        }
        _ => None,
    };
    let mut out = format!("ERROR:  {}", message(e, statement));
    let at = at.map(|a| base + a).filter(|a| *a <= full.len() && full.is_char_boundary(*a));
    if let Some(at) = at {
        let line_no = full[..at].matches('\n').count() + 1;
        let start = full[..at].rfind('\n').map_or(0, |i| i + 1);
        let line = full[start..].split('\n').next().unwrap_or_default();
        let prefix = format!("LINE {line_no}: ");
        let col = full[start..at].chars().count();
        out.push_str(&format!("\n{prefix}{line}\n{}^", " ".repeat(prefix.len() + col)));
    }
    if matches!(e, SqlError::UnknownFunction(_)) {
        out.push_str("\nHINT:  No function matches the given name and argument types. You might need to add explicit type casts.");
    }
    out
}

/// Where `word` first appears in `text` as a whole word (case-insensitively).
fn word_at(text: &str, word: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    let word = word.to_ascii_lowercase();
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    lower.match_indices(&word).map(|(i, _)| i).find(|&i| {
        let before = lower[..i].chars().last().is_none_or(|c| !is_word(c));
        let after = lower[i + word.len()..].chars().next().is_none_or(|c| !is_word(c));
        before && after
    })
}

/// PostgreSQL's message for what the engine refuses.
fn message(e: &SqlError, statement: &str) -> String {
    match e {
        SqlError::Syntax(at) => {
            let rest = statement.get(*at..).unwrap_or("").trim_start();
            let token: String = match rest.chars().next() {
                None => return "syntax error at end of input".to_string(),
                Some(c) if c.is_alphanumeric() || c == '_' => {
                    rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
                }
                Some(c) => c.to_string(),
            };
            format!("syntax error at or near \"{token}\"")
        }
        SqlError::DbExists(d) => format!("database \"{d}\" already exists"),
        SqlError::UnknownDb(d) => format!("database \"{d}\" does not exist"),
        SqlError::TableExists(t) => format!("relation \"{t}\" already exists"),
        SqlError::NoTable(_, t) => format!("relation \"{t}\" does not exist"),
        SqlError::UnknownColumn(c, _) => format!("column \"{c}\" does not exist"),
        SqlError::ColumnCount => "INSERT has more expressions than target columns".to_string(),
        SqlError::UnknownFunction(f) => format!("function {}() does not exist", f.to_lowercase()),
        SqlError::UnknownSysVar(v) => format!("syntax error at or near \"@@{v}\""),
        SqlError::NoDb | SqlError::ReadOnly | SqlError::Storage => "could not complete the statement".to_string(),
    }
}

/// PostgreSQL names an unaliased function call's column after the function (`now`, `count`)
/// and any other unaliased expression `?column?`.
fn renamed(out: Output) -> Output {
    match out {
        Output::Rows { cols, rows, numeric } => {
            let cols = cols
                .into_iter()
                .map(|c| match c.split_once('(') {
                    Some((f, _)) if c.ends_with(')') && identifier(f) => f.to_ascii_lowercase(),
                    _ if identifier(&c) => c,
                    _ => "?column?".to_string(),
                })
                .collect();
            Output::Rows { cols, rows, numeric }
        }
        done => done,
    }
}
