//! `cqlsh` and the coordinator's side of CQL (port 9042), with the replica traffic between
//! members (on the gossip port): schema and rows go to every member that answers.

use std::collections::BTreeMap;

use super::cql::{self, invalid, show, typed, Rows, Schema, Stmt, Val};
use crate::exec::images::wire::{call, serve_local, Protocol, Refusal};
use crate::exec::interp::{Res, Shell};
use crate::exec::io::Io;

const CQL: u16 = 9042;
const GOSSIP: u16 = 7000;

/// The system keyspaces, in the order cqlsh lists them around the users' ones.
const SYSTEM_FIRST: [&str; 3] = ["system_schema", "system_auth", "system"];
const SYSTEM_LAST: [&str; 2] = ["system_distributed", "system_traces"];

pub enum Outcome {
    Done,
    Rows { cols: Vec<String>, rows: Vec<Vec<Val>>, warning: Option<String> },
    Names(Vec<String>),
    Failed(String),
}

pub struct Run {
    pub keyspace: Option<String>,
    pub statements: Vec<String>,
}

/// The coordinator: runs a session's statements in order.
pub struct Coordinator;

impl Protocol for Coordinator {
    type Request = Run;
    type Reply = Vec<Outcome>;

    fn serve(sh: &mut Shell, req: Run) -> Vec<Outcome> {
        let mut session = req.keyspace;
        let mut out = Vec::new();
        for text in req.statements {
            out.push(match cql::parse(&text) {
                Ok(stmt) => run(sh, &mut session, stmt),
                Err(e) => Outcome::Failed(e),
            });
        }
        out
    }
}

/// What members ask each other.
pub enum ReplicaReq {
    Schema,
    PutSchema(Schema),
    Drop(String, Option<String>),
    Rows(String, String),
    PutRows(String, String, Rows),
}

pub enum ReplicaReply {
    Schema(Schema),
    Rows(Rows),
    Done,
}

pub struct Replica;

impl Protocol for Replica {
    type Request = ReplicaReq;
    type Reply = ReplicaReply;

    fn serve(sh: &mut Shell, req: ReplicaReq) -> ReplicaReply {
        match req {
            ReplicaReq::Schema => ReplicaReply::Schema(cql::load_schema(sh)),
            ReplicaReq::PutSchema(theirs) => {
                let mut mine = cql::load_schema(sh);
                cql::merge_schema(&mut mine, theirs);
                cql::save_schema(sh, &mine);
                ReplicaReply::Done
            }
            ReplicaReq::Drop(ks, table) => {
                drop_local(sh, &ks, table.as_deref());
                ReplicaReply::Done
            }
            ReplicaReq::Rows(ks, t) => ReplicaReply::Rows(cql::load_rows(sh, &ks, &t)),
            ReplicaReq::PutRows(ks, t, rows) => {
                let mut mine = cql::load_rows(sh, &ks, &t);
                cql::merge_rows(&mut mine, rows);
                cql::save_rows(sh, &ks, &t, &mine);
                ReplicaReply::Done
            }
        }
    }
}

fn drop_local(sh: &mut Shell, ks: &str, table: Option<&str>) {
    let mut schema = cql::load_schema(sh);
    match table {
        Some(t) => {
            if let Some(k) = schema.keyspaces.get_mut(ks) {
                k.tables.remove(t);
            }
            let _ = crate::exec::images::data::remove_tree(sh, &format!("/cassandra_data/data/{ks}/{t}"));
        }
        None => {
            schema.keyspaces.remove(ks);
            let _ = crate::exec::images::data::remove_tree(sh, &format!("/cassandra_data/data/{ks}"));
        }
    }
    cql::save_schema(sh, &schema);
}

/// Sends `req` to every other member of the ring; the replies of those that answered.
fn to_members(sh: &mut Shell, req: impl Fn() -> ReplicaReq) -> Vec<ReplicaReply> {
    let me = sh.fs.c.pod_ip.clone();
    let mut replies = Vec::new();
    for addr in super::ring::member_addresses(sh) {
        if addr != me {
            if let Ok(r) = call::<Replica>(sh, &addr, GOSSIP, req()) {
                replies.push(r);
            }
        }
    }
    replies
}

fn run(sh: &mut Shell, session: &mut Option<String>, stmt: Stmt) -> Outcome {
    // The schema agreed by the members that answer.
    let mut schema = cql::load_schema(sh);
    for r in to_members(sh, || ReplicaReq::Schema) {
        if let ReplicaReply::Schema(theirs) = r {
            cql::merge_schema(&mut schema, theirs);
        }
    }
    cql::save_schema(sh, &schema);
    let keyspace_of = |ks: Option<String>, session: &Option<String>| {
        ks.or_else(|| session.clone()).ok_or_else(|| {
            invalid("No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename")
        })
    };
    match stmt {
        Stmt::Use(ks) => {
            if schema.keyspaces.contains_key(&ks)
                || SYSTEM_FIRST.contains(&ks.as_str())
                || SYSTEM_LAST.contains(&ks.as_str())
            {
                *session = Some(ks);
                Outcome::Done
            } else {
                Outcome::Failed(invalid(&format!("Keyspace '{ks}' does not exist")))
            }
        }
        Stmt::CreateKeyspace { name, if_not_exists, strategy, rf } => {
            if schema.keyspaces.contains_key(&name) || SYSTEM_FIRST.contains(&name.as_str()) {
                return if if_not_exists {
                    Outcome::Done
                } else {
                    Outcome::Failed(format!("AlreadyExists: Keyspace '{name}' already exists"))
                };
            }
            schema.keyspaces.insert(name, cql::Keyspace { strategy, replication_factor: rf, tables: BTreeMap::new() });
            publish(sh, &schema)
        }
        Stmt::CreateTable { ks, name, if_not_exists, table } => {
            let ks = match keyspace_of(ks, session) {
                Ok(k) => k,
                Err(e) => return Outcome::Failed(e),
            };
            let Some(k) = schema.keyspaces.get_mut(&ks) else {
                return Outcome::Failed(invalid(&format!("Keyspace {ks} doesn't exist")));
            };
            if k.tables.contains_key(&name) {
                return if if_not_exists {
                    Outcome::Done
                } else {
                    Outcome::Failed(format!("AlreadyExists: Table '{ks}.{name}' already exists"))
                };
            }
            k.tables.insert(name, table);
            publish(sh, &schema)
        }
        Stmt::DropKeyspace { name, if_exists } => {
            if !schema.keyspaces.contains_key(&name) {
                return if if_exists {
                    Outcome::Done
                } else {
                    Outcome::Failed(format!("ConfigurationException: Cannot drop non existing keyspace '{name}'."))
                };
            }
            drop_local(sh, &name, None);
            to_members(sh, || ReplicaReq::Drop(name.clone(), None));
            Outcome::Done
        }
        Stmt::DropTable { ks, name, if_exists } => {
            let ks = match keyspace_of(ks, session) {
                Ok(k) => k,
                Err(e) => return Outcome::Failed(e),
            };
            if !schema.keyspaces.get(&ks).is_some_and(|k| k.tables.contains_key(&name)) {
                return if if_exists {
                    Outcome::Done
                } else {
                    Outcome::Failed(invalid(&format!("Table '{ks}.{name}' doesn't exist")))
                };
            }
            drop_local(sh, &ks, Some(&name));
            to_members(sh, || ReplicaReq::Drop(ks.clone(), Some(name.clone())));
            Outcome::Done
        }
        Stmt::Insert { ks, name, cols, vals } => {
            let ks = match keyspace_of(ks, session) {
                Ok(k) => k,
                Err(e) => return Outcome::Failed(e),
            };
            let Some(table) = schema.keyspaces.get(&ks).and_then(|k| k.tables.get(&name)).cloned() else {
                return Outcome::Failed(match schema.keyspaces.contains_key(&ks) {
                    true => invalid(&format!("unconfigured table {name}")),
                    false => invalid(&format!("Keyspace {ks} does not exist")),
                });
            };
            let mut row = BTreeMap::new();
            for (c, v) in cols.into_iter().zip(vals) {
                let Some((_, ty)) = table.columns.iter().find(|(n, _)| *n == c) else {
                    return Outcome::Failed(invalid(&format!("Undefined column name {c}")));
                };
                match typed(&c, ty, v) {
                    Ok(v) => row.insert(c, v),
                    Err(e) => return Outcome::Failed(e),
                };
            }
            let missing: Vec<&String> = table.partition.iter().filter(|k| !row.contains_key(*k)).collect();
            if !missing.is_empty() {
                let list: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
                return Outcome::Failed(invalid(&format!("Some partition key parts are missing: {}", list.join(", "))));
            }
            if let Some(c) = table.clustering.iter().find(|k| !row.contains_key(*k)) {
                return Outcome::Failed(invalid(&format!("Some clustering keys are missing: {c}")));
            }
            let key: Vec<&Val> = table.partition.iter().chain(&table.clustering).filter_map(|k| row.get(k)).collect();
            let key = serde_json::to_string(&key).unwrap_or_default();
            let mut rows = cql::load_rows(sh, &ks, &name);
            let now = sh.fs.now * 1000;
            // An INSERT is an upsert of the columns it names.
            let (ts, mut merged) = rows.remove(&key).unwrap_or((now, BTreeMap::new()));
            merged.extend(row);
            let ts = now.max(ts + 1);
            rows.insert(key.clone(), (ts, merged.clone()));
            cql::save_rows(sh, &ks, &name, &rows);
            let one: Rows = BTreeMap::from([(key, (ts, merged))]);
            to_members(sh, || ReplicaReq::PutRows(ks.clone(), name.clone(), one.clone()));
            Outcome::Done
        }
        Stmt::Select { ks, name, cols, count, filter, limit, allow_filtering } => {
            let ks = match keyspace_of(ks, session) {
                Ok(k) => k,
                Err(e) => return Outcome::Failed(e),
            };
            let Some(table) = schema.keyspaces.get(&ks).and_then(|k| k.tables.get(&name)).cloned() else {
                return Outcome::Failed(match schema.keyspaces.contains_key(&ks) {
                    true => invalid(&format!("unconfigured table {name}")),
                    false => invalid(&format!("Keyspace {ks} does not exist")),
                });
            };
            let known = |c: &String| table.columns.iter().any(|(n, _)| n == c);
            if let Some(c) = cols.iter().flatten().chain(filter.iter().map(|(c, _)| c)).find(|c| !known(c)) {
                return Outcome::Failed(invalid(&format!("Undefined column name {c}")));
            }
            let keyed = filter.iter().all(|(c, _)| table.partition.contains(c) || table.clustering.contains(c));
            if !keyed && !allow_filtering {
                return Outcome::Failed(invalid("Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING"));
            }
            let mut rows = cql::load_rows(sh, &ks, &name);
            for r in to_members(sh, || ReplicaReq::Rows(ks.clone(), name.clone())) {
                if let ReplicaReply::Rows(theirs) = r {
                    cql::merge_rows(&mut rows, theirs);
                }
            }
            let mut found: Vec<BTreeMap<String, Val>> = rows
                .into_values()
                .map(|(_, r)| r)
                .filter(|r| filter.iter().all(|(c, v)| r.get(c) == Some(v)))
                .collect();
            // Token order, then clustering order.
            found.sort_by(|a, b| {
                let ka = (
                    cql::token(&table, a),
                    table.clustering.iter().map(|c| show(a.get(c).unwrap_or(&Val::Null))).collect::<Vec<_>>(),
                );
                let kb = (
                    cql::token(&table, b),
                    table.clustering.iter().map(|c| show(b.get(c).unwrap_or(&Val::Null))).collect::<Vec<_>>(),
                );
                ka.cmp(&kb)
            });
            if let Some(n) = limit {
                found.truncate(n);
            }
            if count {
                let warning = (!filter.iter().any(|(c, _)| table.partition.contains(c)))
                    .then(|| "Aggregation query used without partition key".to_string());
                return Outcome::Rows {
                    cols: vec!["count".into()],
                    rows: vec![vec![Val::Int(found.len() as i64)]],
                    warning,
                };
            }
            let cols = cols.unwrap_or_else(|| {
                // Key columns first, then the others by name.
                let mut rest: Vec<String> = table
                    .columns
                    .iter()
                    .map(|(c, _)| c.clone())
                    .filter(|c| !table.partition.contains(c) && !table.clustering.contains(c))
                    .collect();
                rest.sort();
                table.partition.iter().chain(&table.clustering).cloned().chain(rest).collect()
            });
            let rows =
                found.iter().map(|r| cols.iter().map(|c| r.get(c).cloned().unwrap_or(Val::Null)).collect()).collect();
            Outcome::Rows { cols, rows, warning: None }
        }
        Stmt::DescribeKeyspaces => {
            let users = schema.keyspaces.keys().cloned();
            let names = SYSTEM_FIRST
                .iter()
                .map(|s| s.to_string())
                .chain(users)
                .chain(SYSTEM_LAST.iter().map(|s| s.to_string()));
            Outcome::Names(names.collect())
        }
        Stmt::DescribeTables => Outcome::Failed("Improper DESCRIBE command.".into()),
    }
}

fn publish(sh: &mut Shell, schema: &Schema) -> Outcome {
    cql::save_schema(sh, schema);
    to_members(sh, || ReplicaReq::PutSchema(schema.clone()));
    Outcome::Done
}

/// Whether this image has a Python for cqlsh: only the `-dev` builds of the tutorial's image.
fn has_python(image: &str) -> bool {
    let tag = image.split('@').next().unwrap_or(image).rsplit_once(':').map(|(_, t)| t).unwrap_or("");
    tag.ends_with("-dev")
}

const USAGE: &str = "Usage: cqlsh.py [options] [host [port]]\n\ncqlsh.py: error: ";

/// `cqlsh [options] [host [port]]`: `-e STATEMENTS`, `-f FILE`, statements from stdin, `-k`.
pub fn cqlsh(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    if !has_python(&sh.fs.c.image) {
        io.err("No appropriate python interpreter found.\n");
        return Ok(1);
    }
    let (mut execute, mut file, mut keyspace, mut positional) = (None, None, None, Vec::new());
    let mut it = argv[1..].iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let mut value = |name: &str| {
            inline.clone().or_else(|| it.next().cloned()).ok_or(format!("{USAGE}{name} option requires an argument\n"))
        };
        let r = match flag {
            "-e" | "--execute" => value("-e").map(|v| execute = Some(v)),
            "-f" | "--file" => value("-f").map(|v| file = Some(v)),
            "-k" | "--keyspace" => value("-k").map(|v| keyspace = Some(v.to_lowercase())),
            "-u" | "--username" | "-p" | "--password" | "--cqlversion" | "--request-timeout" | "--connect-timeout"
            | "--encoding" => value(flag).map(|_| ()),
            "-C" | "--color" | "--no-color" | "--debug" | "--ssl" | "--no_compact" | "-t" | "--tty" => Ok(()),
            f if f.starts_with('-') => Err(format!("{USAGE}no such option: {f}\n")),
            _ => {
                positional.push(a.clone());
                Ok(())
            }
        };
        if let Err(e) = r {
            io.err(&e);
            return Ok(2);
        }
    }
    let host = positional
        .first()
        .cloned()
        .or_else(|| sh.var("CQLSH_HOST").map(str::to_string))
        .unwrap_or_else(|| "127.0.0.1".into());
    let port: u16 = match positional.get(1).map(|p| p.parse()) {
        None => CQL,
        Some(Ok(p)) => p,
        Some(Err(_)) => {
            io.err(&format!("{USAGE}invalid port number\n"));
            return Ok(2);
        }
    };
    let script = match (&execute, &file) {
        (Some(e), _) => e.clone(),
        (None, Some(f)) => {
            let cwd = sh.env.cwd.clone();
            match sh.fs.read(&cwd, f) {
                Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                Err(e) => {
                    io.err(&format!("Can't open '{f}': [Errno 2] {e}: '{f}'\n"));
                    return Ok(2);
                }
            }
        }
        (None, None) => String::from_utf8_lossy(&io.stdin.take_all()).into_owned(),
    };
    let statements = crate::exec::images::sql::statements(&script);
    let lines: Vec<u32> = statements.iter().map(|(l, _)| *l).collect();
    let run = Run { keyspace, statements: statements.into_iter().map(|(_, t)| t).collect() };
    let reply = match host.as_str() {
        "127.0.0.1" | "localhost" => serve_local::<Coordinator>(sh, port, run).ok_or(Refusal::Refused),
        h => call::<Coordinator>(sh, h, port, run),
    };
    let outcomes = match reply {
        Ok(o) => o,
        Err(why) => {
            let ip =
                crate::exec::net::resolve(sh, &host).and_then(|h| h.addrs.first().cloned()).unwrap_or(host.clone());
            let error = match why {
                Refusal::UnknownHost => "gaierror(-2, 'Name or service not known')".to_string(),
                _ => format!("error(111, \"Tried connecting to [('{ip}', {port})]. Last error: Connection refused\")"),
            };
            io.err(&format!("Connection error: ('Unable to connect to any servers', {{'{ip}': {error}}})\n"));
            return Ok(1);
        }
    };
    let mut failed = false;
    for (outcome, line) in outcomes.into_iter().zip(lines) {
        match outcome {
            Outcome::Done => {}
            Outcome::Failed(e) => {
                failed = true;
                io.err(&format!("<stdin>:{line}:{e}\n"));
            }
            Outcome::Names(names) => {
                let _ = io.out(format!("\n{}\n", columnize(&names, 80)).as_bytes());
            }
            Outcome::Rows { cols, rows, warning } => {
                let _ = io.out(table(&cols, &rows).as_bytes());
                if let Some(w) = warning {
                    let _ = io.out(format!("\nWarnings :\n{w}\n\n").as_bytes());
                }
            }
        }
    }
    Ok(if failed { 2 } else { 0 })
}

/// cqlsh's result table when its output is not a terminal: a blank line, the names (left
/// aligned), the rule, the values (right aligned), a blank line (two when there are no rows)
/// and `(N rows)`.
fn table(cols: &[String], rows: &[Vec<Val>]) -> String {
    let cells: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(show).collect()).collect();
    let mut widths: Vec<usize> = cols.iter().map(|c| c.chars().count()).collect();
    for r in &cells {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let header: Vec<String> = cols.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
    let mut out = format!("\n {}\n", header.join(" | ").trim_end());
    out.push_str(&format!("-{}-\n", widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("-+-")));
    if cells.is_empty() {
        out.push('\n');
    }
    for r in &cells {
        let line: Vec<String> = r.iter().zip(&widths).map(|(c, w)| format!("{c:>w$}")).collect();
        out.push_str(&format!(" {}\n", line.join(" | ")));
    }
    out.push_str(&format!("\n({} rows)\n", rows.len()));
    out
}

/// Python's `cmd.Cmd.columnize`: the fewest rows whose columns fit in `width`.
fn columnize(names: &[String], width: usize) -> String {
    let size = names.len();
    if size == 0 {
        return "<empty>\n".into();
    }
    let mut layout = (size, vec![names.iter().map(|n| n.len()).max().unwrap_or(0)]);
    for nrows in 1..size {
        let ncols = size.div_ceil(nrows);
        let widths: Vec<usize> = (0..ncols)
            .map(|col| (0..nrows).filter_map(|row| names.get(row + nrows * col)).map(String::len).max().unwrap_or(0))
            .collect();
        let total = widths.iter().map(|w| w + 2).sum::<usize>().saturating_sub(2);
        if total <= width {
            layout = (nrows, widths);
            break;
        }
    }
    let (nrows, widths) = layout;
    let mut out = String::new();
    for row in 0..nrows {
        let texts: Vec<String> = widths
            .iter()
            .enumerate()
            .filter_map(|(col, w)| names.get(row + nrows * col).map(|n| format!("{n:<w$}")))
            .collect();
        out.push_str(&texts.join("  "));
        out.push('\n');
    }
    out
}
