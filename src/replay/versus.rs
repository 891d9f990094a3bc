//! The same document on kstate and on a real cluster: which steps differ between them. A step
//! differs when its verdicts differ, or when both ran and printed outputs of different shapes.

use serde::Serialize;

use super::compare::{self, Bindings, Where};
use super::{DocReport, Status};

/// A step whose result on kstate is not the real cluster's.
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    pub document: String,
    pub line: usize,
    pub command: String,
    pub kstate: Status,
    pub cluster: Status,
    /// How the outputs differ (kstate's output read as the document's).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
}

/// The real cluster a replay was compared with, and the steps that differ.
#[derive(Debug, Serialize)]
pub struct Versus {
    pub target: String,
    pub differences: Vec<Difference>,
}

fn ran(s: Status) -> bool {
    s != Status::Skipped
}

pub fn differences(kstate: &DocReport, cluster: &DocReport) -> Vec<Difference> {
    // Generated names bind across the whole document, as in a replay.
    let mut bindings = Bindings::default();
    let mut out = Vec::new();
    for (k, c) in kstate.steps.iter().zip(&cluster.steps) {
        let mut details = Vec::new();
        if ran(k.status) && ran(c.status) {
            let at = Where { line: k.line, may_have_tail: false, shows: "kstate", printed: "the cluster" };
            details = compare::compare(&k.printed, &c.printed, &mut bindings, &at).mismatches;
            if k.exit_code != c.exit_code {
                details.push(format!(
                    "kstate exited with {}, the cluster's kubectl with {}",
                    k.exit_code.unwrap_or(-1),
                    c.exit_code.unwrap_or(-1)
                ));
            }
        }
        if k.status != c.status || !details.is_empty() {
            out.push(Difference {
                document: kstate.document.clone(),
                line: k.line,
                command: k.command.clone(),
                kstate: k.status,
                cluster: c.status,
                details,
            });
        }
    }
    out
}
