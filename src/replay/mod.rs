//! `kstate replay`: runs a walkthrough's commands against a fresh simulated cluster and checks the
//! outputs it shows. A doctest for Kubernetes walkthroughs.
//!
//! parse (document → steps) → classify (run, write, skip) → runner (bash with kubectl = kstate) →
//! drift (compatibility notices) + compare (shapes and bindings) → report / update.

pub mod blocks;
pub mod classify;
pub mod compare;
pub mod drift;
pub mod parse;
pub mod prompt;
pub mod report;
pub mod runner;
pub mod shape;
pub mod shortcode;
pub mod update;

use std::path::{Path, PathBuf};

use serde::Serialize;

use classify::Plan;
use compare::{Bindings, Where};
use drift::Drift;
use parse::{Manifest, Shell, Step};
use runner::Sandbox;

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
    pub steps: Vec<StepReport>,
}

pub struct Options {
    pub strict: bool,
}

/// Replays one document (its text, the folder its files are next to) in the sandbox.
pub fn replay(name: &str, text: &str, dir: &Path, sandbox: &Sandbox, opts: &Options) -> anyhow::Result<DocReport> {
    let parsed = parse::parse(text);
    let mut bindings = Bindings::default();
    let mut steps = Vec::new();
    let last_plain = parsed.steps.last().filter(|s| s.plain).map(|s| s.line);
    for step in &parsed.steps {
        let may_have_tail = last_plain == Some(step.line);
        let mut r = run_step(step, &parsed.manifests, dir, sandbox, &mut bindings, may_have_tail)?;
        if opts.strict && r.status == Status::Drift {
            r.status = Status::Failed;
            r.reason = Some("drift fails with --strict".into());
        }
        steps.push(r);
    }
    Ok(DocReport { document: name.to_string(), steps })
}

fn report(step: &Step, status: Status) -> StepReport {
    StepReport {
        line: step.line,
        command: step.command.clone(),
        status,
        reason: None,
        drift: Vec::new(),
        mismatches: Vec::new(),
        diff: Vec::new(),
        notes: Vec::new(),
        exit_code: None,
        printed: Vec::new(),
    }
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

fn base_name(s: &str) -> &str {
    s.trim_end_matches('/').rsplit('/').next().unwrap_or(s)
}

/// Puts the manifests the command names into the working directory; returns the command with URLs
/// replaced by the local copies, or why it cannot run.
fn provide_manifests(
    step: &Step,
    manifests: &[Manifest],
    dir: &Path,
    sandbox: &Sandbox,
) -> anyhow::Result<Result<String, String>> {
    let mut command = step.command.clone();
    let before: Vec<&Manifest> = manifests.iter().filter(|m| m.line + 1 < step.line).collect();
    for arg in classify::manifest_args(&step.command) {
        let base = base_name(&arg).to_string();
        let named = before.iter().rev().find(|m| m.names.contains(&base));
        let unnamed = before.iter().rev().find(|m| m.names.is_empty());
        if is_url(&arg) {
            match named.or(unnamed) {
                Some(m) => {
                    sandbox.write(&base, &m.text)?;
                    command = command.replace(&arg, &base);
                }
                None => return Ok(Err(format!("reads {arg}, a manifest the document does not show"))),
            }
            continue;
        }
        if arg.starts_with('/') || arg.split('/').any(|p| p == "..") {
            continue;
        }
        let beside = dir.join(&arg);
        if let Some(m) = named {
            sandbox.write(&arg, &m.text)?;
        } else if beside.exists() {
            sandbox.copy_in(&beside, &arg)?;
        } else if let Some(m) = unnamed {
            sandbox.write(&arg, &m.text)?;
        }
    }
    Ok(Ok(command))
}

fn run_step(
    step: &Step,
    manifests: &[Manifest],
    dir: &Path,
    sandbox: &Sandbox,
    bindings: &mut Bindings,
    may_have_tail: bool,
) -> anyhow::Result<StepReport> {
    let plan = match &step.shell {
        Shell::Host => classify::plan(&step.command),
        Shell::Pod(_) => classify::plan_in_pod(&step.command),
        Shell::Unreachable(at) => {
            Plan::Skip(format!("typed in the interactive shell of line {at}, which replay cannot enter"))
        }
    };
    match plan {
        Plan::Skip(why) => {
            let mut r = report(step, Status::Skipped);
            r.reason = Some(why);
            return Ok(r);
        }
        Plan::Write { name, body } => {
            sandbox.write(&name, &body)?;
            let mut r = report(step, Status::Ok);
            r.notes.push(format!("wrote {name}"));
            return Ok(r);
        }
        Plan::Run => {}
    }
    let provided = match &step.shell {
        Shell::Pod(exec) => Ok(format!("{exec} -- sh -c {}", runner::shell_quote(&step.command))),
        _ => provide_manifests(step, manifests, dir, sandbox)?,
    };
    let command = match provided {
        Ok(c) => c,
        Err(why) => {
            let mut r = report(step, Status::Skipped);
            r.reason = Some(why);
            return Ok(r);
        }
    };
    let ran = sandbox.run(&command)?;
    let mut r = report(step, Status::Ok);
    r.exit_code = Some(ran.code);
    if ran.timed_out {
        r.status = Status::Failed;
        r.reason = Some("timed out".into());
        return Ok(r);
    }
    let all: Vec<String> = parse::lines(&ran.output);
    let (notices, printed): (Vec<String>, Vec<String>) = all.into_iter().partition(|l| drift::is_notice(l));
    r.drift = drift::from_notices(&notices, &step.command);
    r.printed = printed;
    if step.expected.is_empty() {
        if ran.code != 0 {
            r.status = Status::Failed;
            r.reason = Some(format!("exited with {}", ran.code));
            r.diff = r.printed.iter().map(|l| format!("+ {l}")).collect();
            return Ok(r);
        }
        if !r.printed.is_empty() {
            r.notes.push("the document shows no output".into());
        }
    } else {
        let expected: Vec<String> = step.expected.iter().filter(|l| !drift::is_notice(l)).cloned().collect();
        let at = Where { line: step.span.start + 1, may_have_tail };
        let o = compare::compare(&expected, &r.printed, bindings, &at);
        r.drift.extend(o.drift);
        if !o.ignored_tail.is_empty() {
            r.notes.push(format!(
                "took {} trailing line(s) as page text: {}",
                o.ignored_tail.len(),
                o.ignored_tail.join(" | ")
            ));
        }
        if !o.mismatches.is_empty() {
            r.status = Status::Failed;
            r.mismatches = o.mismatches;
            r.diff = report::diff(&expected, &r.printed, &o.bad);
            if ran.code != 0 {
                r.reason = Some(format!("exited with {}", ran.code));
            }
            return Ok(r);
        }
    }
    if !r.drift.is_empty() {
        r.status = Status::Drift;
    }
    Ok(r)
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
