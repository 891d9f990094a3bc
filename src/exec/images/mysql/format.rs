//! The `mysql` client's result formats: the boxed table (a terminal, or `-t`) and batch
//! output (tab-separated, with a header line unless `-N`).

use crate::exec::images::sql::ast::Value;

fn shown(v: &Value) -> String {
    v.text().unwrap_or_else(|| "NULL".to_string())
}

pub fn table(cols: &[String], rows: &[Vec<Value>], numeric: &[bool]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut widths: Vec<usize> = cols.iter().map(|c| c.chars().count()).collect();
    for row in rows {
        for (i, v) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(shown(v).chars().count());
            }
        }
    }
    let rule: String = widths.iter().map(|w| format!("+{}", "-".repeat(w + 2))).collect::<String>() + "+\n";
    let line = |cells: Vec<String>, right: &dyn Fn(usize) -> bool| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            if right(i) {
                s.push_str(&format!("| {c:>w$} "));
            } else {
                s.push_str(&format!("| {c:<w$} "));
            }
        }
        s + "|\n"
    };
    let mut out = rule.clone();
    out.push_str(&line(cols.to_vec(), &|_| false));
    out.push_str(&rule);
    for row in rows {
        out.push_str(&line(row.iter().map(shown).collect(), &|i| numeric.get(i).copied().unwrap_or(false)));
    }
    out.push_str(&rule);
    out
}

pub fn batch(cols: &[String], rows: &[Vec<Value>], header: bool) -> String {
    let escape = |s: String| s.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n");
    let mut out = String::new();
    if header && !rows.is_empty() {
        out.push_str(&cols.join("\t"));
        out.push('\n');
    }
    for row in rows {
        let cells: Vec<String> = row.iter().map(|v| escape(shown(v))).collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}
