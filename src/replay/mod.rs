//! `kstate replay`: runs a walkthrough's commands against a fresh simulated cluster and checks the
//! outputs it shows. A doctest for Kubernetes walkthroughs.
//!
//! parse (blocks, prompts, shortcodes: document → steps) → step (classify: run, write, skip;
//! placeholder; sources: `-f` files; runner: bash with kubectl = kstate, or a real kubectl) →
//! drift (notices, old forms) + compare (header, table, elide, shapes and bindings) → report /
//! junit / update. With `--kubectl` the document runs on both targets; versus lists the steps that
//! differ and cleanup deletes what the document created on the real cluster.

pub mod blocks;
pub mod classify;
pub mod cleanup;
pub mod compare;
pub mod created;
pub mod drift;
pub mod elide;
pub mod header;
pub mod junit;
pub mod parse;
pub mod placeholder;
pub mod prompt;
pub mod report;
pub mod runner;
pub mod shape;
pub mod shortcode;
pub mod sources;
pub mod step;
pub mod table;
pub mod update;
pub mod versus;
pub mod watch;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use drift::Drift;
use runner::Sandbox;
use sources::Folders;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Drift,
    Failed,
    Skipped,
}

impl Status {
    pub fn word(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Drift => "drift",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
        }
    }
}

/// The verdict on one command.
#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    pub line: usize,
    pub command: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub drift: Vec<Drift>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mismatches: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diff: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub exit_code: Option<i32>,
    /// What kstate printed, compatibility notices left out (what `--update` writes).
    #[serde(skip)]
    pub printed: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct DocReport {
    pub document: String,
    /// `kstate`, or `kubectl (context NAME)`.
    pub target: String,
    pub steps: Vec<StepReport>,
    /// What was deleted after a replay on a real cluster.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cleanup: Vec<String>,
}

pub struct Options {
    pub strict: bool,
    /// kubernetes.io's examples folder and a mirror of downloaded files.
    pub examples: Option<PathBuf>,
    pub mirror: Option<PathBuf>,
    /// How long a read on a real cluster may wait for the cluster to converge.
    pub converge: Duration,
}

/// Replays one document (its text, the folder its files are next to) in the sandbox.
pub fn replay(name: &str, text: &str, dir: &Path, sandbox: &Sandbox, opts: &Options) -> anyhow::Result<DocReport> {
    let parsed = parse::parse(text);
    let folders = Folders { beside: dir.to_path_buf(), examples: opts.examples.clone(), mirror: opts.mirror.clone() };
    let real = sandbox.target.is_real();
    let converge = if real { opts.converge } else { Duration::ZERO };
    let mut doc = step::Doc::new(&parsed.manifests, &folders, sandbox, converge);
    doc.learn_nodes()?;
    let claims_before = if real { cleanup::claims(sandbox)? } else { Default::default() };
    let mut steps = Vec::new();
    let last_plain = parsed.steps.last().filter(|s| s.plain).map(|s| s.line);
    for step in &parsed.steps {
        let mut r = doc.run(step, last_plain == Some(step.line))?;
        if opts.strict && r.status == Status::Drift {
            r.status = Status::Failed;
            r.reason = Some("drift fails with --strict".into());
        }
        steps.push(r);
    }
    let cleanup = if real { cleanup::run(sandbox, &doc.created, &claims_before)? } else { Vec::new() };
    Ok(DocReport { document: name.to_string(), target: sandbox.target.label(), steps, cleanup })
}

/// The document's name and folder for a FILE argument (`-` is stdin, files next to the current dir).
pub fn location(arg: &str) -> (String, PathBuf) {
    if arg == "-" {
        return ("<stdin>".into(), PathBuf::from("."));
    }
    let p = Path::new(arg);
    let dir = p.parent().filter(|d| !d.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    (arg.to_string(), dir)
}
