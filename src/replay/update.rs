//! `--update`: rewrites the outputs a document shows with what kstate printed, as snapshot tools
//! do. Only outputs that failed or drifted in format change; every other byte stays as it was.

use super::parse::Step;
use super::{Status, StepReport};

/// Whether this step's shown output should be replaced.
pub fn stale(step: &Step, r: &StepReport) -> bool {
    let output_drift = r.drift.iter().any(|d| matches!(d.kind, "old-message" | "old-column" | "missing-column"));
    let failed = r.status == Status::Failed && (!r.mismatches.is_empty());
    step.span.len > 0 && (failed || output_drift)
}

/// The document with stale outputs rewritten; `None` when nothing changes.
pub fn rewrite(text: &str, steps: &[Step], reports: &[StepReport]) -> Option<String> {
    let mut spans: Vec<(usize, usize, &str, &[String])> = steps
        .iter()
        .zip(reports)
        .filter(|(s, r)| stale(s, r))
        .map(|(s, r)| (s.span.start, s.span.len, s.span.indent.as_str(), r.printed.as_slice()))
        .collect();
    if spans.is_empty() {
        return None;
    }
    spans.sort_by_key(|s| s.0);
    // Lines with their own terminators, so untouched lines keep theirs byte for byte.
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut next = spans.iter().peekable();
    while i < lines.len() {
        if let Some((start, len, indent, printed)) = next.peek().copied().filter(|s| s.0 == i) {
            next.next();
            let term = if lines[i].ends_with("\r\n") { "\r\n" } else { "\n" };
            for l in printed.iter() {
                if l.is_empty() {
                    out.push_str(term);
                } else {
                    out.push_str(indent);
                    out.push_str(l);
                    out.push_str(term);
                }
            }
            let last = (start + len).min(lines.len());
            // Keep the document's (missing) final newline when the output was its last line.
            if last == lines.len() && !lines[last - 1].ends_with('\n') && out.ends_with(term) {
                out.truncate(out.len() - term.len());
            }
            i = last;
            continue;
        }
        out.push_str(lines[i]);
        i += 1;
    }
    (out != text).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::super::parse::parse;
    use super::*;

    fn failed(printed: &[&str]) -> StepReport {
        StepReport {
            line: 0,
            command: String::new(),
            status: Status::Failed,
            reason: None,
            drift: Vec::new(),
            mismatches: vec!["x".into()],
            diff: Vec::new(),
            notes: Vec::new(),
            exit_code: Some(0),
            printed: printed.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn only_stale_outputs_change() {
        let doc =
            "Intro\r\n\r\n```console\r\n  $ kubectl get ns x\r\n  old line\r\n```\r\n\r\n# kubectl get pods\nNAME\n";
        let p = parse(doc);
        let mut ok = failed(&[]);
        ok.status = Status::Ok;
        ok.mismatches.clear();
        let got = rewrite(doc, &p.steps, &[failed(&["NAME   STATUS", "x      Active"]), ok]);
        assert_eq!(
            got.as_deref(),
            Some("Intro\r\n\r\n```console\r\n  $ kubectl get ns x\r\nNAME   STATUS\r\nx      Active\r\n```\r\n\r\n# kubectl get pods\nNAME\n")
        );
    }
}
