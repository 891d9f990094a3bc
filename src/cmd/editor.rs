//! One round in the editor for `create --edit` and `apply edit-last-applied`, on `edit`'s
//! machinery (edit.rs): the text under a header in a temporary file, `$KUBE_EDITOR` / `$EDITOR`
//! / `vi` on it, and kubectl's two ways to cancel.

use std::path::PathBuf;

use super::edit::{launch, strip_comments, temp_path};
use super::Context;
use crate::Result;

/// What the user saved: the text without comment lines, and the file (kept for error reports).
pub struct Saved {
    pub text: String,
    pub path: PathBuf,
}

/// Opens `body` under `header`; `None` when the edit was cancelled (kubectl's note printed):
/// saved unchanged, then saved empty, in kubectl's order. `crlf` writes Windows line endings
/// (`--windows-line-endings`); they are read back as plain ones.
pub fn open(ctx: &mut Context, header: &str, body: &str, ext: &str, crlf: bool) -> Result<Option<Saved>> {
    let path = temp_path(ext);
    let mut text = format!("{header}{body}");
    if crlf {
        text = text.replace('\n', "\r\n");
    }
    std::fs::write(&path, text).map_err(super::io)?;
    launch(&path)?;
    let edited = std::fs::read_to_string(&path).map_err(super::io)?.replace("\r\n", "\n");
    let stripped = strip_comments(&edited);
    if stripped == strip_comments(body) {
        let _ = std::fs::remove_file(&path);
        ctx.say_err("Edit cancelled, no changes made.")?;
        return Ok(None);
    }
    if stripped.trim().is_empty() {
        let _ = std::fs::remove_file(&path);
        ctx.say_err("Edit cancelled, saved file was empty.")?;
        return Ok(None);
    }
    Ok(Some(Saved { text: stripped, path }))
}

/// kubectl's `preservedFile`: the error comes after a note on where the edits are.
pub fn preserved(ctx: &mut Context, saved: &Saved, e: crate::Error) -> crate::Error {
    let _ = ctx.say_err(&format!("A copy of your changes has been stored to {:?}", saved.path.display().to_string()));
    e
}
