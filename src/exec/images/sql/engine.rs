//! Runs parsed statements against tables kept as files: a database is a directory under the
//! server's data directory, a table one JSON file in it (`<db>/<table>.<ext>`).

use serde::{Deserialize, Serialize};

use super::ast::{Expr, Select, Stmt, TableRef, Value};
use crate::exec::clock_fmt::strftime;
use crate::exec::images::data;
use crate::exec::interp::Shell;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<(String, String)>,
    pub rows: Vec<Vec<Value>>,
}

/// What a statement can fail with; each dialect words it (`ERROR 1049 (42000): ...`).
#[derive(Debug, Clone, PartialEq)]
pub enum SqlError {
    Syntax(usize),
    DbExists(String),
    UnknownDb(String),
    NoDb,
    TableExists(String),
    NoTable(String, String),
    UnknownColumn(String, &'static str),
    ColumnCount,
    ReadOnly,
    UnknownSysVar(String),
    UnknownFunction(String),
    Storage,
}

pub enum Output {
    Rows {
        cols: Vec<String>,
        rows: Vec<Vec<Value>>,
        numeric: Vec<bool>,
    },
    /// A statement without a result set, with the rows it changed.
    Done(u64),
}

/// Databases every server shows that are not directories of user data.
pub struct Session<'v> {
    /// The server's data directory (`/var/lib/mysql`).
    pub root: String,
    pub ext: &'static str,
    pub db: Option<String>,
    /// Schemas shown first by SHOW DATABASES that have no directory (`information_schema`).
    pub virtual_dbs: &'static [&'static str],
    pub sysvar: &'v dyn Fn(&str) -> Option<Value>,
    /// The NOW() format.
    pub now_format: &'static str,
}

impl Session<'_> {
    fn db_dir(&self, db: &str) -> String {
        format!("{}/{db}", self.root)
    }
    fn table_file(&self, db: &str, t: &str) -> String {
        format!("{}/{db}/{t}.{}", self.root, self.ext)
    }
    fn db_of(&self, t: &TableRef) -> Result<String, SqlError> {
        t.db.clone().or_else(|| self.db.clone()).ok_or(SqlError::NoDb)
    }
}

pub fn execute(sh: &mut Shell, s: &mut Session, stmt: &Stmt) -> Result<Output, SqlError> {
    let done = |changed: u64| Ok(Output::Done(changed));
    match stmt {
        Stmt::CreateDb { name, if_not_exists } => {
            let dir = s.db_dir(name);
            if data::is_dir(sh, &dir) {
                return if *if_not_exists { done(0) } else { Err(SqlError::DbExists(name.clone())) };
            }
            data::mkdir_p(sh, &dir).map_err(|_| SqlError::Storage)?;
            done(1)
        }
        Stmt::DropDb { name, if_exists } => {
            let dir = s.db_dir(name);
            if !data::is_dir(sh, &dir) {
                return if *if_exists { done(0) } else { Err(SqlError::UnknownDb(name.clone())) };
            }
            let tables = data::list(sh, &dir).len() as u64;
            data::remove_tree(sh, &dir).map_err(|_| SqlError::Storage)?;
            if s.db.as_deref() == Some(name) {
                s.db = None;
            }
            done(tables)
        }
        Stmt::Use(name) => {
            if !data::is_dir(sh, &s.db_dir(name)) && !s.virtual_dbs.contains(&name.as_str()) {
                return Err(SqlError::UnknownDb(name.clone()));
            }
            s.db = Some(name.clone());
            done(0)
        }
        Stmt::CreateTable { table, cols, if_not_exists } => {
            let db = s.db_of(table)?;
            if !data::is_dir(sh, &s.db_dir(&db)) {
                return Err(SqlError::UnknownDb(db));
            }
            let file = s.table_file(&db, &table.name);
            if data::exists(sh, &file) {
                return if *if_not_exists { done(0) } else { Err(SqlError::TableExists(table.name.clone())) };
            }
            let t = Table { columns: cols.clone(), rows: Vec::new() };
            data::save(sh, &file, &t).map_err(|_| SqlError::Storage)?;
            done(0)
        }
        Stmt::DropTable { table, if_exists } => {
            let db = s.db_of(table)?;
            let file = s.table_file(&db, &table.name);
            if !data::exists(sh, &file) {
                return if *if_exists { done(0) } else { Err(SqlError::NoTable(db, table.name.clone())) };
            }
            data::remove_tree(sh, &file).map_err(|_| SqlError::Storage)?;
            done(0)
        }
        Stmt::Insert { table, cols, rows } => {
            let (file, mut t) = open(sh, s, table)?;
            let order: Vec<usize> = match cols {
                None => (0..t.columns.len()).collect(),
                Some(names) => names
                    .iter()
                    .map(|n| column(&t, n).ok_or_else(|| SqlError::UnknownColumn(n.clone(), "field list")))
                    .collect::<Result<_, _>>()?,
            };
            for row in rows {
                if row.len() != order.len() {
                    return Err(SqlError::ColumnCount);
                }
                let mut new = vec![Value::Null; t.columns.len()];
                for (e, &i) in row.iter().zip(&order) {
                    new[i] = eval(s, e, &t, &[])?;
                }
                t.rows.push(new);
            }
            data::save(sh, &file, &t).map_err(|_| SqlError::Storage)?;
            done(rows.len() as u64)
        }
        Stmt::Update { table, sets, filter } => {
            let (file, mut t) = open(sh, s, table)?;
            let mut n = 0;
            for r in 0..t.rows.len() {
                if !selected(s, filter.as_ref(), &t, &t.rows[r])? {
                    continue;
                }
                let mut row = t.rows[r].clone();
                for (col, e) in sets {
                    let i = column(&t, col).ok_or_else(|| SqlError::UnknownColumn(col.clone(), "field list"))?;
                    row[i] = eval(s, e, &t, &t.rows[r])?;
                }
                if row != t.rows[r] {
                    n += 1;
                }
                t.rows[r] = row;
            }
            data::save(sh, &file, &t).map_err(|_| SqlError::Storage)?;
            done(n)
        }
        Stmt::Delete { table, filter } => {
            let (file, mut t) = open(sh, s, table)?;
            let mut keep = Vec::new();
            for row in &t.rows {
                if !selected(s, filter.as_ref(), &t, row)? {
                    keep.push(row.clone());
                }
            }
            let n = (t.rows.len() - keep.len()) as u64;
            t.rows = keep;
            data::save(sh, &file, &t).map_err(|_| SqlError::Storage)?;
            done(n)
        }
        Stmt::Select(sel) => select(sh, s, sel),
        Stmt::ShowDatabases => {
            let mut rows: Vec<Vec<Value>> = s.virtual_dbs.iter().map(|d| vec![Value::Text(d.to_string())]).collect();
            let root = s.root.clone();
            for name in data::list(sh, &root) {
                if data::is_dir(sh, &format!("{root}/{name}")) && !name.starts_with('#') && name != "lost+found" {
                    rows.push(vec![Value::Text(name)]);
                }
            }
            Ok(Output::Rows { cols: vec!["Database".into()], rows, numeric: vec![false] })
        }
        Stmt::ShowTables => {
            let db = s.db.clone().ok_or(SqlError::NoDb)?;
            let dir = s.db_dir(&db);
            let suffix = format!(".{}", s.ext);
            let rows = data::list(sh, &dir)
                .into_iter()
                .filter_map(|f| f.strip_suffix(&suffix).map(|t| vec![Value::Text(t.to_string())]))
                .collect();
            Ok(Output::Rows { cols: vec![format!("Tables_in_{db}")], rows, numeric: vec![false] })
        }
        Stmt::ChangeMaster(_) | Stmt::StartSlave | Stmt::StopSlave | Stmt::Noop => done(0),
    }
}

fn open(sh: &mut Shell, s: &Session, table: &TableRef) -> Result<(String, Table), SqlError> {
    let db = s.db_of(table)?;
    let file = s.table_file(&db, &table.name);
    match data::load::<Table>(sh, &file) {
        Some(t) => Ok((file, t)),
        None => Err(SqlError::NoTable(db, table.name.clone())),
    }
}

/// Fails with the first column `e` names that `t` does not have.
fn known_columns(e: &Expr, t: &Table, place: &'static str) -> Result<(), SqlError> {
    match e {
        Expr::Col(c) if column(t, c).is_none() => Err(SqlError::UnknownColumn(c.clone(), place)),
        Expr::Call(_, args) => args.iter().try_for_each(|a| known_columns(a, t, place)),
        Expr::Bin(a, _, b) => known_columns(a, t, place).and_then(|()| known_columns(b, t, place)),
        Expr::Not(x) | Expr::Neg(x) | Expr::IsNull(x, _) => known_columns(x, t, place),
        _ => Ok(()),
    }
}

fn column(t: &Table, name: &str) -> Option<usize> {
    t.columns.iter().position(|(c, _)| c.eq_ignore_ascii_case(name))
}

fn selected(s: &Session, filter: Option<&Expr>, t: &Table, row: &[Value]) -> Result<bool, SqlError> {
    match filter {
        None => Ok(true),
        Some(f) => Ok(truthy(&eval(s, f, t, row)?)),
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Int(n) => *n != 0,
        Value::Text(t) => t.trim().parse::<f64>().is_ok_and(|f| f != 0.0),
    }
}

fn select(sh: &mut Shell, s: &Session, sel: &Select) -> Result<Output, SqlError> {
    let (_, t) = match &sel.from {
        Some(table) => open(sh, s, table)?,
        None => (String::new(), Table { columns: Vec::new(), rows: vec![Vec::new()] }),
    };
    // Columns are resolved before any row is read: an unknown one fails on an empty table too.
    for (e, _) in &sel.items {
        known_columns(e, &t, "field list")?;
    }
    if let Some(f) = &sel.filter {
        known_columns(f, &t, "where clause")?;
    }
    let mut rows: Vec<&Vec<Value>> = Vec::new();
    for row in &t.rows {
        if selected(s, sel.filter.as_ref(), &t, row)? {
            rows.push(row);
        }
    }
    if !sel.order.is_empty() {
        let mut keyed = Vec::new();
        for row in rows {
            let keys: Vec<Value> = sel.order.iter().map(|(e, _)| eval(s, e, &t, row)).collect::<Result<_, _>>()?;
            keyed.push((keys, row));
        }
        keyed.sort_by(|(a, _), (b, _)| {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                let o = compare(x, y);
                let o = if sel.order[i].1 { o.reverse() } else { o };
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
            }
            std::cmp::Ordering::Equal
        });
        rows = keyed.into_iter().map(|(_, r)| r).collect();
    }
    if let Some(n) = sel.limit {
        rows.truncate(usize::try_from(n).unwrap_or(usize::MAX));
    }
    let aggregate = sel.items.iter().any(|(e, _)| matches!(e, Expr::Call(f, _) if f == "COUNT"));
    let mut cols = Vec::new();
    for (e, name) in &sel.items {
        if *e == Expr::Star {
            if sel.from.is_none() {
                return Err(SqlError::NoDb);
            }
            cols.extend(t.columns.iter().map(|(c, _)| c.clone()));
        } else {
            cols.push(name.clone());
        }
    }
    let mut out = Vec::new();
    if aggregate {
        let mut row = Vec::new();
        for (e, _) in &sel.items {
            row.push(match e {
                Expr::Call(f, _) if f == "COUNT" => Value::Int(rows.len() as i64),
                e => eval(s, e, &t, rows.first().map_or(&[][..], |r| r.as_slice()))?,
            });
        }
        out.push(row);
    } else {
        for row in rows {
            let mut r = Vec::new();
            for (e, _) in &sel.items {
                if *e == Expr::Star {
                    r.extend(row.iter().cloned());
                } else {
                    r.push(eval(s, e, &t, row)?);
                }
            }
            out.push(r);
        }
    }
    let numeric = (0..cols.len()).map(|i| numeric_column(&sel.items, &t, i, &out)).collect();
    Ok(Output::Rows { cols, rows: out, numeric })
}

/// Whether column `i` holds numbers (the client aligns them right).
fn numeric_column(items: &[(Expr, String)], t: &Table, i: usize, rows: &[Vec<Value>]) -> bool {
    let star = items.iter().any(|(e, _)| *e == Expr::Star);
    if star && items.len() == 1 {
        if let Some((_, ty)) = t.columns.get(i) {
            return is_numeric_type(ty);
        }
    }
    if let Some((Expr::Col(c), _)) = items.get(i).filter(|_| !star) {
        if let Some(ci) = column(t, c) {
            return is_numeric_type(&t.columns[ci].1);
        }
    }
    !rows.is_empty() && rows.iter().all(|r| r.get(i).is_none_or(|v| !matches!(v, Value::Text(_))))
}

fn is_numeric_type(ty: &str) -> bool {
    let base = ty.split('(').next().unwrap_or(ty);
    matches!(
        base,
        "INT"
            | "INTEGER"
            | "BIGINT"
            | "SMALLINT"
            | "TINYINT"
            | "MEDIUMINT"
            | "SERIAL"
            | "DECIMAL"
            | "NUMERIC"
            | "FLOAT"
            | "DOUBLE"
            | "REAL"
    )
}

pub fn compare(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => std::cmp::Ordering::Equal,
        (Value::Null, _) => std::cmp::Ordering::Less,
        (_, Value::Null) => std::cmp::Ordering::Greater,
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Int(x), Value::Text(y)) => (*x as f64).total_cmp(&y.trim().parse::<f64>().unwrap_or(0.0)),
        (Value::Text(x), Value::Int(y)) => x.trim().parse::<f64>().unwrap_or(0.0).total_cmp(&(*y as f64)),
        (Value::Text(x), Value::Text(y)) => x.to_lowercase().cmp(&y.to_lowercase()),
    }
}

fn number(v: &Value) -> i64 {
    match v {
        Value::Int(n) => *n,
        Value::Text(t) => t.trim().parse::<f64>().map(|f| f as i64).unwrap_or(0),
        Value::Null => 0,
    }
}

fn eval(s: &Session, e: &Expr, t: &Table, row: &[Value]) -> Result<Value, SqlError> {
    Ok(match e {
        Expr::Lit(v) => v.clone(),
        Expr::Star => Value::Null,
        Expr::Col(c) => match column(t, c) {
            Some(i) => row.get(i).cloned().unwrap_or(Value::Null),
            None => return Err(SqlError::UnknownColumn(c.clone(), "where clause")),
        },
        Expr::SysVar(v) => (s.sysvar)(v).ok_or_else(|| SqlError::UnknownSysVar(v.clone()))?,
        Expr::Call(f, args) => match f.as_str() {
            "NOW" | "CURRENT_TIMESTAMP" | "SYSDATE" => Value::Text(strftime(s.now_format, now_of(s))),
            "DATABASE" | "SCHEMA" | "CURRENT_DATABASE" => s.db.clone().map_or(Value::Null, Value::Text),
            "VERSION" => (s.sysvar)("version").unwrap_or(Value::Null),
            "COUNT" => Value::Int(1),
            "UPPER" | "LOWER" | "LENGTH" | "CONCAT" => {
                let vals: Vec<Value> = args.iter().map(|a| eval(s, a, t, row)).collect::<Result<_, _>>()?;
                let text = |v: &Value| v.text().unwrap_or_default();
                match f.as_str() {
                    "UPPER" => vals.first().map_or(Value::Null, |v| Value::Text(text(v).to_uppercase())),
                    "LOWER" => vals.first().map_or(Value::Null, |v| Value::Text(text(v).to_lowercase())),
                    "LENGTH" => vals.first().map_or(Value::Null, |v| Value::Int(text(v).len() as i64)),
                    _ => Value::Text(vals.iter().map(text).collect()),
                }
            }
            // A server's own functions (`pg_is_in_recovery()`) come from its variables.
            other => (s.sysvar)(&format!("{}()", other.to_ascii_lowercase()))
                .ok_or_else(|| SqlError::UnknownFunction(other.to_string()))?,
        },
        Expr::Not(x) => {
            let v = eval(s, x, t, row)?;
            if v == Value::Null {
                Value::Null
            } else {
                Value::Int(i64::from(!truthy(&v)))
            }
        }
        Expr::Neg(x) => Value::Int(-number(&eval(s, x, t, row)?)),
        Expr::IsNull(x, want) => Value::Int(i64::from((eval(s, x, t, row)? == Value::Null) == *want)),
        Expr::Bin(a, op, b) => {
            let (l, r) = (eval(s, a, t, row)?, eval(s, b, t, row)?);
            match *op {
                "AND" => Value::Int(i64::from(truthy(&l) && truthy(&r))),
                "OR" => Value::Int(i64::from(truthy(&l) || truthy(&r))),
                _ if l == Value::Null || r == Value::Null => Value::Null,
                "+" => Value::Int(number(&l).saturating_add(number(&r))),
                "-" => Value::Int(number(&l).saturating_sub(number(&r))),
                "*" => Value::Int(number(&l).saturating_mul(number(&r))),
                "/" => match number(&r) {
                    0 => Value::Null,
                    d => Value::Int(number(&l) / d),
                },
                "LIKE" => Value::Int(i64::from(like(&l.text().unwrap_or_default(), &r.text().unwrap_or_default()))),
                cmp => {
                    let o = compare(&l, &r);
                    Value::Int(i64::from(match cmp {
                        "=" => o.is_eq(),
                        "<>" => o.is_ne(),
                        "<" => o.is_lt(),
                        ">" => o.is_gt(),
                        "<=" => o.is_le(),
                        _ => o.is_ge(),
                    }))
                }
            }
        }
    })
}

fn now_of(s: &Session) -> i64 {
    match (s.sysvar)("timestamp") {
        Some(Value::Int(t)) => t,
        _ => 0,
    }
}

/// SQL LIKE with `%` and `_`, case-insensitive.
fn like(text: &str, pat: &str) -> bool {
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let p: Vec<char> = pat.to_lowercase().chars().collect();
    let mut dp = vec![vec![false; t.len() + 1]; p.len() + 1];
    dp[0][0] = true;
    for i in 1..=p.len() {
        dp[i][0] = dp[i - 1][0] && p[i - 1] == '%';
        for j in 1..=t.len() {
            dp[i][j] = match p[i - 1] {
                '%' => dp[i - 1][j] || dp[i][j - 1],
                '_' => dp[i - 1][j - 1],
                c => dp[i - 1][j - 1] && c == t[j - 1],
            };
        }
    }
    dp[p.len()][t.len()]
}
