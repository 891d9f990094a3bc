//! `-k DIR` of the verbs that read manifests: kubectl's `FilenameOptions` checks, then the
//! build, handed on as one `-f` entry (see `manifest::built_source`).

use crate::cmd::{self, Context};
use crate::{Error, Result};

/// The `-f` list a verb reads: `filenames` as given, or the objects `-k DIR` builds.
pub fn filenames(
    ctx: &mut Context,
    filenames: Vec<String>,
    kustomize: Option<String>,
    recursive: bool,
) -> Result<Vec<String>> {
    let Some(dir) = kustomize.filter(|d| !d.is_empty()) else { return Ok(filenames) };
    if !filenames.is_empty() {
        return Err(Error::cli("only one of -f or -k can be specified"));
    }
    if recursive {
        return Err(Error::cli("the -k flag can't be used with -f or -R"));
    }
    let objects = cmd::kustomize::build(ctx, &dir)?;
    Ok(vec![crate::manifest::built_source(&dir, &objects)])
}
