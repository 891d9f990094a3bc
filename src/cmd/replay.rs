//! `kstate replay FILE...`: replays walkthroughs against a fresh simulated cluster (and, with
//! `--kubectl`, against a real cluster too) and reports, command by command, whether each document
//! still holds (see docs/replay.md).

use std::path::PathBuf;
use std::time::Duration;

use crate::cmd::Context;
use crate::{Error, Result};

// The replay engine lives in src/replay/ (parse, classify, step, compare, drift, report, update).
use crate::replay::runner::{Sandbox, Target};
use crate::replay::{self, report, update, versus, DocReport, Options};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Junit,
}

impl Format {
    /// The format a `--format` value names (clap has checked it is one of them).
    pub fn parse(s: &str) -> Format {
        match s {
            "json" => Format::Json,
            "junit" => Format::Junit,
            _ => Format::Text,
        }
    }
}

pub struct Request {
    pub files: Vec<String>,
    /// Run in this state directory instead of a temporary one (kept afterwards).
    pub state_dir: Option<PathBuf>,
    pub strict: bool,
    pub format: Format,
    pub update: bool,
    /// Also replay through this real kubectl.
    pub kubectl: Option<String>,
    /// The kubeconfig context the real kubectl uses.
    pub context: Option<String>,
    pub converge: Duration,
    pub examples: Option<PathBuf>,
    pub mirror: Option<PathBuf>,
}

fn read(ctx: &mut Context, file: &str) -> Result<String> {
    if file == "-" {
        let mut s = String::new();
        ctx.stdin.read_to_string(&mut s).map_err(|e| Error::cli(format!("reading stdin: {e}")))?;
        return Ok(s);
    }
    std::fs::read_to_string(file).map_err(|e| Error::cli(format!("{file}: {e}")))
}

fn replay_on(target: &Target, file: &str, text: &str, opts: &Options) -> Result<DocReport> {
    let (name, dir) = replay::location(file);
    let sandbox = Sandbox::new(target).map_err(|e| Error::cli(format!("replay: {e:#}")))?;
    replay::replay(&name, text, &dir, &sandbox, opts).map_err(|e| Error::cli(format!("{file}: {e:#}")))
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    if req.files.is_empty() {
        return Err(Error::cli("replay needs at least one FILE (or - for stdin)"));
    }
    if req.update && req.files.iter().any(|f| f == "-") {
        return Err(Error::cli("--update cannot rewrite stdin; name a file"));
    }
    if req.context.is_some() && req.kubectl.is_none() {
        return Err(Error::cli("--context names a real cluster's context; give --kubectl too"));
    }
    let opts = Options { strict: req.strict, examples: req.examples, mirror: req.mirror, converge: req.converge };
    let kstate = Target::Kstate { state: req.state_dir };
    let real = req.kubectl.map(|path| Target::Kubectl { path, context: req.context });
    let mut docs = Vec::new();
    let mut differences = Vec::new();
    let mut updated = Vec::new();
    // Failures `--update` cannot fix by rewriting an output.
    let mut unfixed = 0;
    for file in &req.files {
        let text = read(ctx, file)?;
        let doc = replay_on(&kstate, file, &text, &opts)?;
        if req.update {
            let steps = replay::parse::parse(&text).steps;
            unfixed += steps
                .iter()
                .zip(&doc.steps)
                .filter(|(s, r)| r.status == replay::Status::Failed && !update::stale(s, r))
                .count();
            if let Some(new) = update::rewrite(&text, &steps, &doc.steps) {
                std::fs::write(file, new).map_err(|e| Error::cli(format!("{file}: {e}")))?;
                updated.push(file.clone());
            }
        }
        if let Some(target) = &real {
            let on_cluster = replay_on(target, file, &text, &opts)?;
            differences.extend(versus::differences(&doc, &on_cluster));
            docs.push(doc);
            docs.push(on_cluster);
        } else {
            docs.push(doc);
        }
    }
    let versus = real.as_ref().map(|t| versus::Versus { target: t.label(), differences });
    let out = match req.format {
        Format::Text => report::text(&docs, versus.as_ref(), req.strict),
        Format::Json => report::json(&docs, versus.as_ref(), req.strict),
        Format::Junit => replay::junit::junit(&docs),
    };
    ctx.out.write_all(out.as_bytes()).map_err(crate::cmd::io)?;
    for f in &updated {
        ctx.say_err(&format!("updated {f}"))?;
    }
    let failed = if req.update && real.is_none() { unfixed } else { report::Counts::of(&docs).failed };
    if failed > 0 {
        return Err(Error::Silent(1));
    }
    Ok(())
}
