//! `kstate kustomize [DIR]`: kubectl's `kustomize` verb, which builds a kustomization and prints
//! the objects as YAML without touching the cluster (so it opens no state at all).

use super::{io, Context};
use crate::{Error, Result};

pub struct Request {
    /// The kustomization directory (default `.`).
    pub dir: String,
    /// `-o FILE`: write the YAML there instead of stdout.
    pub output: Option<String>,
    /// The deprecated `--reorder legacy|none`.
    pub reorder: Option<String>,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let mut order = crate::kustomize::Order::Legacy;
    if let Some(reorder) = &req.reorder {
        // cobra's notice for a deprecated flag, printed as the flag is parsed.
        writeln!(
            ctx.err,
            "Flag --reorder has been deprecated, use the new 'sortOptions' field in kustomization.yaml instead."
        )
        .map_err(io)?;
        order = match reorder.as_str() {
            "legacy" => crate::kustomize::Order::Legacy,
            "none" => crate::kustomize::Order::None,
            other => {
                return Err(Error::cli(format!("illegal flag value --reorder {other}; legal values: [legacy none]")))
            }
        };
    }
    let built = build_ordered(ctx, &req.dir, order)?;
    let yaml = crate::kustomize::to_yaml(&built);
    match req.output.filter(|o| !o.is_empty()) {
        Some(path) => std::fs::write(&path, yaml).map_err(io),
        None => ctx.out.write_all(yaml.as_bytes()).map_err(io),
    }
}

/// Builds `dir`, printing kustomize's warnings on stderr as it does; the objects in its order.
/// `-k DIR` of the other verbs reads through here too.
pub fn build(ctx: &mut Context, dir: &str) -> Result<Vec<serde_json::Value>> {
    build_ordered(ctx, dir, crate::kustomize::Order::Legacy)
}

fn build_ordered(ctx: &mut Context, dir: &str, order: crate::kustomize::Order) -> Result<Vec<serde_json::Value>> {
    let built = crate::kustomize::build(dir, order);
    for w in &built.warnings {
        writeln!(ctx.err, "{w}").map_err(io)?;
    }
    // kubectl prints an error ending in a newline without adding another.
    built.objects.map_err(|e| Error::Cli(e.trim_end_matches('\n').to_string()))
}
