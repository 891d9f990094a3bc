//! The postgres server's side: its cluster in `PGDATA` (a database is a directory under
//! `base/`, a table a JSON file in it), the roles initdb made, and statements run through the
//! shared SQL subset.

use serde::{Deserialize, Serialize};

use crate::exec::images::data;
use crate::exec::images::sql::engine::{execute, Output, Session, SqlError};
use crate::exec::images::sql::parse::parse;
use crate::exec::images::wire::Protocol;
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

/// initdb: the version file, the superuser and its database.
pub fn initialize(sh: &mut Shell, major: &str, user: &str, db: &str) -> Result<(), crate::exec::errno::Errno> {
    data::write(sh, &format!("{PGDATA}/PG_VERSION"), format!("{major}\n").into_bytes())?;
    data::save(sh, ROLES, &Roles { superuser: user.to_string() })?;
    for d in ["postgres", "template1", "template0", db] {
        data::mkdir_p(sh, &format!("{PGDATA}/base/{d}"))?;
    }
    Ok(())
}

pub enum Request {
    Ping,
    Query { user: String, db: String, commands: Vec<String> },
}

pub enum Reply {
    Down,
    Pong,
    NoRole(String),
    NoDb(String),
    /// Each command's last result; the failing command ends the list.
    Results {
        outputs: Vec<(String, Output)>,
        error: Option<SqlError>,
    },
}

pub struct Postgres;

impl Protocol for Postgres {
    type Request = Request;
    type Reply = Reply;

    fn serve(sh: &mut Shell, req: Request) -> Reply {
        if !initialized(sh) {
            return Reply::Down;
        }
        let Request::Query { user, db, commands } = req else { return Reply::Pong };
        let roles: Roles = data::load(sh, ROLES).unwrap_or_default();
        if user != roles.superuser {
            return Reply::NoRole(user);
        }
        if !data::is_dir(sh, &format!("{PGDATA}/base/{db}")) {
            return Reply::NoDb(db);
        }
        let mut s = Session {
            root: format!("{PGDATA}/base"),
            ext: "json",
            db: Some(db),
            virtual_dbs: &[],
            sysvar: &|_| None,
            now_format: "%Y-%m-%d %H:%M:%S.000000+00",
        };
        let mut outputs = Vec::new();
        for command in commands {
            let mut last = None;
            for (_, text) in crate::exec::images::sql::statements(&command) {
                let stmt = match parse(&text) {
                    Ok(st) if dialect_has(&text) => st,
                    Ok(_) => return Reply::Results { outputs, error: Some(SqlError::Syntax(0)) },
                    Err(e) => return Reply::Results { outputs, error: Some(SqlError::Syntax(e.0)) },
                };
                match execute(sh, &mut s, &stmt) {
                    Ok(out) => last = Some((tag(&text, out_count(&out)), out)),
                    Err(e) => return Reply::Results { outputs, error: Some(e) },
                }
            }
            outputs.extend(last);
        }
        Reply::Results { outputs, error: None }
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
