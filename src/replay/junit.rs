//! The report as JUnit XML, which CI systems show as test results: one suite per document (and
//! target), one test case per command; failures carry the mismatches and the diff, skipped
//! commands their reason, drift goes to the case's output.

use super::report::Counts;
use super::{DocReport, Status, StepReport};

/// `s` with XML's special characters escaped (and characters XML 1.0 cannot hold dropped).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

fn suite_name(d: &DocReport) -> String {
    if d.target == "kstate" {
        d.document.clone()
    } else {
        format!("{} on {}", d.document, d.target)
    }
}

fn case(d: &DocReport, s: &StepReport) -> String {
    let first = s.command.lines().next().unwrap_or("");
    let name = escape(&format!("line {}: {first}", s.line));
    let mut out = format!("    <testcase classname=\"{}\" name=\"{name}\"", escape(&suite_name(d)));
    let mut body = String::new();
    match s.status {
        Status::Failed => {
            let message = s.reason.clone().or_else(|| s.mismatches.first().cloned()).unwrap_or_default();
            let mut text: Vec<String> = s.mismatches.clone();
            text.extend(s.diff.iter().cloned());
            body.push_str(&format!(
                "      <failure message=\"{}\">{}</failure>\n",
                escape(&message),
                escape(&text.join("\n"))
            ));
        }
        Status::Skipped => {
            body.push_str(&format!("      <skipped message=\"{}\"/>\n", escape(s.reason.as_deref().unwrap_or(""))));
        }
        Status::Ok | Status::Drift => {}
    }
    if !s.drift.is_empty() {
        let text: Vec<String> =
            s.drift.iter().map(|d| format!("drift ({}): {}; today: {}", d.kind, d.message, d.today)).collect();
        body.push_str(&format!("      <system-out>{}</system-out>\n", escape(&text.join("\n"))));
    }
    if body.is_empty() {
        out.push_str("/>\n");
    } else {
        out.push_str(&format!(">\n{body}    </testcase>\n"));
    }
    out
}

/// The whole report as one `<testsuites>` document.
pub fn junit(docs: &[DocReport]) -> String {
    let all = Counts::of(docs);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"kstate replay\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n",
        all.total(),
        all.failed,
        all.skipped
    ));
    for d in docs {
        let c = Counts::of(std::slice::from_ref(d));
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n",
            escape(&suite_name(d)),
            c.total(),
            c.failed,
            c.skipped
        ));
        for s in &d.steps {
            out.push_str(&case(d, s));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(line: usize, status: Status) -> StepReport {
        StepReport {
            line,
            command: "kubectl get pods | grep \"web\"".into(),
            status,
            reason: None,
            drift: Vec::new(),
            mismatches: Vec::new(),
            diff: Vec::new(),
            notes: Vec::new(),
            exit_code: Some(0),
            printed: Vec::new(),
        }
    }

    #[test]
    fn suites_cases_failures_and_skips() {
        let mut failed = step(3, Status::Failed);
        failed.mismatches.push("line 4: the document shows `a<b`, kstate printed `c`".into());
        let mut skipped = step(5, Status::Skipped);
        skipped.reason = Some("`helm` is a tool kstate does not simulate".into());
        let doc = DocReport {
            document: "a.md".into(),
            target: "kstate".into(),
            steps: vec![step(1, Status::Ok), failed, skipped],
            cleanup: Vec::new(),
        };
        let want = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<testsuites name=\"kstate replay\" tests=\"3\" failures=\"1\" skipped=\"1\">
  <testsuite name=\"a.md\" tests=\"3\" failures=\"1\" skipped=\"1\">
    <testcase classname=\"a.md\" name=\"line 1: kubectl get pods | grep &quot;web&quot;\"/>
    <testcase classname=\"a.md\" name=\"line 3: kubectl get pods | grep &quot;web&quot;\">
      <failure message=\"line 4: the document shows `a&lt;b`, kstate printed `c`\">line 4: the document shows `a&lt;b`, kstate printed `c`</failure>
    </testcase>
    <testcase classname=\"a.md\" name=\"line 5: kubectl get pods | grep &quot;web&quot;\">
      <skipped message=\"`helm` is a tool kstate does not simulate\"/>
    </testcase>
  </testsuite>
</testsuites>
";
        assert_eq!(junit(&[doc]), want);
    }
}
