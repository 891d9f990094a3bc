//! `kstate replay FILE...`: replays walkthroughs against a fresh simulated cluster and reports,
//! command by command, whether each document still holds (see docs/replay.md).

use std::path::PathBuf;

use crate::cmd::Context;
use crate::{Error, Result};

// The replay engine lives in src/replay/ (parse, classify, runner, compare, drift, report, update).
use crate::replay::{self, report, runner::Sandbox, update, Options};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

pub struct Request {
    pub files: Vec<String>,
    /// Run in this state directory instead of a temporary one (kept afterwards).
    pub state_dir: Option<PathBuf>,
    pub strict: bool,
    pub format: Format,
    pub update: bool,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    if req.files.is_empty() {
        return Err(Error::cli("replay needs at least one FILE (or - for stdin)"));
    }
    if req.update && req.files.iter().any(|f| f == "-") {
        return Err(Error::cli("--update cannot rewrite stdin; name a file"));
    }
    let opts = Options { strict: req.strict };
    let mut docs = Vec::new();
    let mut updated = Vec::new();
    // Failures `--update` cannot fix by rewriting an output.
    let mut unfixed = 0;
    for file in &req.files {
        let text = if file == "-" {
            let mut s = String::new();
            ctx.stdin.read_to_string(&mut s).map_err(|e| Error::cli(format!("reading stdin: {e}")))?;
            s
        } else {
            std::fs::read_to_string(file).map_err(|e| Error::cli(format!("{file}: {e}")))?
        };
        let (name, dir) = replay::location(file);
        let sandbox = Sandbox::new(req.state_dir.as_deref()).map_err(|e| Error::cli(format!("replay: {e:#}")))?;
        let doc =
            replay::replay(&name, &text, &dir, &sandbox, &opts).map_err(|e| Error::cli(format!("{file}: {e:#}")))?;
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
        docs.push(doc);
    }
    let out = match req.format {
        Format::Text => report::text(&docs, req.strict),
        Format::Json => report::json(&docs, req.strict),
    };
    ctx.out.write_all(out.as_bytes()).map_err(crate::cmd::io)?;
    for f in &updated {
        ctx.say_err(&format!("updated {f}"))?;
    }
    let failed = if req.update { unfixed } else { report::Counts::of(&docs).failed };
    if failed > 0 {
        return Err(Error::Silent(1));
    }
    Ok(())
}
