//! The report: one line per command, details under drift and failures, a diff under each failure,
//! a table of counts and a summary line; or the same as JSON for CI.

use comfy_table::{presets::ASCII_FULL_CONDENSED, Table};
use serde::Serialize;

use super::compare::loosely_equal;
use super::{DocReport, Status};

/// Counts per status over all documents.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Counts {
    pub ok: usize,
    pub drift: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl Counts {
    pub fn of(docs: &[DocReport]) -> Counts {
        let mut c = Counts::default();
        for s in docs.iter().flat_map(|d| &d.steps) {
            match s.status {
                Status::Ok => c.ok += 1,
                Status::Drift => c.drift += 1,
                Status::Failed => c.failed += 1,
                Status::Skipped => c.skipped += 1,
            }
        }
        c
    }

    pub fn total(&self) -> usize {
        self.ok + self.drift + self.failed + self.skipped
    }
}

/// A line diff of the document's output (`-`) against kstate's (`+`), lined up by shape.
pub fn diff(expected: &[String], actual: &[String], bad: &[usize]) -> Vec<String> {
    let same = |i: usize, j: usize| !bad.contains(&i) && loosely_equal(&expected[i], &actual[j]);
    let (n, m) = (expected.len(), actual.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if same(i, j) { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut out = vec!["--- document".to_string(), "+++ kstate".to_string()];
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && same(i, j) && lcs[i][j] == lcs[i + 1][j + 1] + 1 {
            out.push(format!("  {}", actual[j]));
            i += 1;
            j += 1;
        } else if i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(format!("- {}", expected[i]));
            i += 1;
        } else {
            out.push(format!("+ {}", actual[j]));
            j += 1;
        }
    }
    out
}

fn first_line(command: &str) -> String {
    let mut lines = command.lines();
    let first = lines.next().unwrap_or("").to_string();
    if lines.next().is_some() {
        format!("{first} …")
    } else {
        first
    }
}

/// The text report.
pub fn text(docs: &[DocReport], strict: bool) -> String {
    let mut out = String::new();
    let pad = " ".repeat(21);
    for d in docs {
        out.push_str(&format!("replay {}\n", d.document));
        if d.steps.is_empty() {
            out.push_str("  no commands found\n");
        }
        for s in &d.steps {
            out.push_str(&format!(
                "  {:<9} {:<8} {}\n",
                format!("line {}", s.line),
                s.status.word(),
                first_line(&s.command)
            ));
            if let Some(r) = &s.reason {
                out.push_str(&format!("{pad}{r}\n"));
            }
            for dr in &s.drift {
                out.push_str(&format!("{pad}drift ({}): {}\n{pad}  today: {}\n", dr.kind, dr.message, dr.today));
            }
            for m in &s.mismatches {
                out.push_str(&format!("{pad}{m}\n"));
            }
            for l in &s.diff {
                out.push_str(&format!("{pad}{l}\n"));
            }
            for n in &s.notes {
                if n.starts_with("took") {
                    out.push_str(&format!("{pad}note: {n}\n"));
                }
            }
        }
        out.push('\n');
    }
    let c = Counts::of(docs);
    let mut table = Table::new();
    table.load_style(ASCII_FULL_CONDENSED);
    table.set_header(vec!["status", "commands"]);
    for (name, n) in [("ok", c.ok), ("drift", c.drift), ("failed", c.failed), ("skipped", c.skipped)] {
        table.add_row(vec![name.to_string(), n.to_string()]);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    out.push_str(&summary(&c, docs.len(), strict));
    out.push('\n');
    out
}

pub fn summary(c: &Counts, documents: usize, strict: bool) -> String {
    let verdict = if c.failed > 0 { "FAILED" } else { "passed" };
    let strict = if strict { " (strict: drift fails)" } else { "" };
    format!(
        "{verdict}: {} command(s) in {documents} document(s): {} ok, {} drift, {} failed, {} skipped{strict}",
        c.total(),
        c.ok,
        c.drift,
        c.failed,
        c.skipped
    )
}

#[derive(Serialize)]
struct Json<'a> {
    documents: &'a [DocReport],
    summary: Counts,
    strict: bool,
    passed: bool,
}

pub fn json(docs: &[DocReport], strict: bool) -> String {
    let summary = Counts::of(docs);
    let j = Json { documents: docs, summary, strict, passed: summary.failed == 0 };
    serde_json::to_string_pretty(&j).unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string())) + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.lines().map(String::from).collect()
    }

    #[test]
    fn diff_lines_up_by_shape() {
        let d = diff(&v("NAME  AGE\nweb-0  5m\nweb-1  5m"), &v("NAME AGE\nweb-0 0s\nweb-2 0s"), &[]);
        assert_eq!(d, ["--- document", "+++ kstate", "  NAME AGE", "  web-0 0s", "- web-1  5m", "+ web-2 0s"]);
    }
}
