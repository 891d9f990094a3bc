//! The report: one line per command, details under drift and failures, a diff under each failure,
//! a table of counts and a summary line; or the same as JSON for CI.

use comfy_table::{presets::ASCII_FULL_CONDENSED, Table};
use serde::Serialize;

use super::compare::loosely_equal;
use super::versus::Versus;
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

/// A line diff of the document's output (`-`) against what was printed (`+`), lined up by shape.
pub fn diff(expected: &[String], actual: &[String], bad: &[usize], printed: &str) -> Vec<String> {
    let same = |i: usize, j: usize| !bad.contains(&i) && loosely_equal(&expected[i], &actual[j]);
    let (n, m) = (expected.len(), actual.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if same(i, j) { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut out = vec!["--- document".to_string(), format!("+++ {printed}")];
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

/// Notes worth a reader's eye (files written and unchecked outputs are not).
fn shown_note(n: &str) -> bool {
    !n.starts_with("wrote ") && n != "the document shows no output"
}

/// The heading of one document's replay.
fn heading(d: &DocReport) -> String {
    if d.target == "kstate" {
        format!("replay {}", d.document)
    } else {
        format!("replay {} on {}", d.document, d.target)
    }
}

/// The text report.
pub fn text(docs: &[DocReport], versus: Option<&Versus>, strict: bool) -> String {
    let mut out = String::new();
    let pad = " ".repeat(21);
    for d in docs {
        out.push_str(&heading(d));
        out.push('\n');
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
            for n in s.notes.iter().filter(|n| shown_note(n)) {
                out.push_str(&format!("{pad}note: {n}\n"));
            }
        }
        for c in &d.cleanup {
            out.push_str(&format!("  cleanup: {c}\n"));
        }
        out.push('\n');
    }
    if let Some(v) = versus {
        out.push_str(&versus_text(v));
    }
    out.push_str(&table(docs));
    out.push('\n');
    out.push_str(&summary(&Counts::of(docs), docs, strict));
    out.push('\n');
    if let Some(v) = versus {
        out.push_str(&verdict(docs, v));
        out.push('\n');
    }
    out
}

fn versus_text(v: &Versus) -> String {
    let mut out = String::new();
    if v.differences.is_empty() {
        out.push_str(&format!("kstate and {} agree on every command\n\n", v.target));
        return out;
    }
    out.push_str(&format!("kstate and {} differ:\n", v.target));
    for d in &v.differences {
        out.push_str(&format!(
            "  {} line {}: kstate {}, cluster {}: {}\n",
            d.document,
            d.line,
            d.kstate.word(),
            d.cluster.word(),
            first_line(&d.command)
        ));
        for x in &d.details {
            out.push_str(&format!("      {x}\n"));
        }
    }
    out.push('\n');
    out
}

/// One row per document (and target), then the totals.
fn table(docs: &[DocReport]) -> String {
    let mut table = Table::new();
    table.load_style(ASCII_FULL_CONDENSED);
    table.set_header(vec!["document", "target", "ok", "drift", "failed", "skipped", "result"]);
    let row = |name: &str, target: &str, c: Counts| {
        let result = if c.failed > 0 { "FAILED" } else { "passed" };
        vec![
            name.to_string(),
            target.to_string(),
            c.ok.to_string(),
            c.drift.to_string(),
            c.failed.to_string(),
            c.skipped.to_string(),
            result.to_string(),
        ]
    };
    for d in docs {
        table.add_row(row(&d.document, &d.target, Counts::of(std::slice::from_ref(d))));
    }
    if docs.len() > 1 {
        table.add_row(row("total", "", Counts::of(docs)));
    }
    table.to_string()
}

/// The document count: documents replayed on more than one target count once.
fn documents(docs: &[DocReport]) -> usize {
    let mut names: Vec<&str> = docs.iter().map(|d| d.document.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    names.len()
}

pub fn summary(c: &Counts, docs: &[DocReport], strict: bool) -> String {
    let verdict = if c.failed > 0 { "FAILED" } else { "passed" };
    let strict = if strict { " (strict: drift fails)" } else { "" };
    format!(
        "{verdict}: {} command(s) in {} document(s): {} ok, {} drift, {} failed, {} skipped{strict}",
        c.total(),
        documents(docs),
        c.ok,
        c.drift,
        c.failed,
        c.skipped
    )
}

/// Whether the documents hold on both kstate and the real cluster.
fn verdict(docs: &[DocReport], v: &Versus) -> String {
    let passed = |target: &str| {
        let on: Vec<&DocReport> = docs.iter().filter(|d| d.target == target).collect();
        on.iter().all(|d| d.steps.iter().all(|s| s.status != Status::Failed))
    };
    match (passed("kstate"), passed(&v.target)) {
        (true, true) => format!("verified on kstate and on {}", v.target),
        (true, false) => format!("not verified: passed on kstate, failed on {}", v.target),
        (false, true) => format!("not verified: failed on kstate, passed on {}", v.target),
        (false, false) => format!("not verified: failed on kstate and on {}", v.target),
    }
}

#[derive(Serialize)]
struct Json<'a> {
    documents: &'a [DocReport],
    summary: Counts,
    strict: bool,
    passed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    versus: Option<&'a Versus>,
}

pub fn json(docs: &[DocReport], versus: Option<&Versus>, strict: bool) -> String {
    let summary = Counts::of(docs);
    let j = Json { documents: docs, summary, strict, passed: summary.failed == 0, versus };
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
        let d = diff(&v("NAME  AGE\nweb-0  5m\nweb-1  5m"), &v("NAME AGE\nweb-0 0s\nweb-2 0s"), &[], "kstate");
        assert_eq!(d, ["--- document", "+++ kstate", "  NAME AGE", "  web-0 0s", "- web-1  5m", "+ web-2 0s"]);
    }
}
