//! MySQL's error numbers, SQL states and texts for what the engine refuses.

use crate::exec::images::sql::engine::SqlError;

/// `ERROR 1049 (42000)` and its message, for a statement (whose text syntax errors quote).
pub fn describe(e: &SqlError, statement: &str) -> (u32, &'static str, String) {
    match e {
        SqlError::Syntax(at) => {
            let rest = statement.get(*at..).unwrap_or("");
            let line = statement.get(..*at).map_or(1, |s| s.matches('\n').count() + 1);
            let near: String = rest.chars().take(80).collect();
            (
                1064,
                "42000",
                format!("You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '{near}' at line {line}"),
            )
        }
        SqlError::DbExists(d) => (1007, "HY000", format!("Can't create database '{d}'; database exists")),
        SqlError::UnknownDb(d) => (1049, "42000", format!("Unknown database '{d}'")),
        SqlError::NoDb => (1046, "3D000", "No database selected".into()),
        SqlError::TableExists(t) => (1050, "42S01", format!("Table '{t}' already exists")),
        SqlError::NoTable(d, t) => (1146, "42S02", format!("Table '{d}.{t}' doesn't exist")),
        SqlError::UnknownColumn(c, place) => (1054, "42S22", format!("Unknown column '{c}' in '{place}'")),
        SqlError::ColumnCount => (1136, "21S01", "Column count doesn't match value count at row 1".into()),
        SqlError::ReadOnly => (
            1290,
            "HY000",
            "The MySQL server is running with the --super-read-only option so it cannot execute this statement".into(),
        ),
        SqlError::UnknownSysVar(v) => (1193, "HY000", format!("Unknown system variable '{v}'")),
        SqlError::UnknownFunction(f) => (1305, "42000", format!("FUNCTION {} does not exist", f.to_lowercase())),
        SqlError::Storage => (1030, "HY000", "Got error 28 from storage engine".into()),
    }
}
