//! Statements and expressions of the SQL subset (see docs/images.md).

use serde::{Deserialize, Serialize};

/// A stored or computed value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

impl Value {
    pub fn text(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Int(n) => Some(n.to_string()),
            Value::Text(s) => Some(s.clone()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Lit(Value),
    Col(String),
    /// `@@server_id`
    SysVar(String),
    /// A function call: `NOW()`, `COUNT(*)`, `VERSION()`, `DATABASE()`.
    Call(String, Vec<Expr>),
    Star,
    Bin(Box<Expr>, &'static str, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    IsNull(Box<Expr>, bool),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableRef {
    pub db: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Select {
    /// Each item with the column name it gets (its text as written, or its alias).
    pub items: Vec<(Expr, String)>,
    pub from: Option<TableRef>,
    pub filter: Option<Expr>,
    pub order: Vec<(Expr, bool)>,
    pub limit: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    CreateDb {
        name: String,
        if_not_exists: bool,
    },
    DropDb {
        name: String,
        if_exists: bool,
    },
    Use(String),
    CreateTable {
        table: TableRef,
        cols: Vec<(String, String)>,
        if_not_exists: bool,
    },
    DropTable {
        table: TableRef,
        if_exists: bool,
    },
    Insert {
        table: TableRef,
        cols: Option<Vec<String>>,
        rows: Vec<Vec<Expr>>,
    },
    Select(Select),
    Update {
        table: TableRef,
        sets: Vec<(String, Expr)>,
        filter: Option<Expr>,
    },
    Delete {
        table: TableRef,
        filter: Option<Expr>,
    },
    ShowDatabases,
    ShowTables,
    /// `CHANGE MASTER TO NAME=value, ...` (names upper-cased).
    ChangeMaster(Vec<(String, Value)>),
    StartSlave,
    StopSlave,
    /// `SET ...`, `FLUSH ...`, `BEGIN`, `COMMIT`: accepted, no effect on the simulation.
    Noop,
}

impl Stmt {
    /// Whether the statement changes data (refused by a read-only server, written to the binlog).
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Stmt::CreateDb { .. }
                | Stmt::DropDb { .. }
                | Stmt::CreateTable { .. }
                | Stmt::DropTable { .. }
                | Stmt::Insert { .. }
                | Stmt::Update { .. }
                | Stmt::Delete { .. }
        )
    }
}
