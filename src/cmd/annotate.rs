//! `kstate annotate`: `label`'s machinery over `metadata.annotations` (see `label.rs`).

use super::label::{self, Which};
use super::Context;
use crate::Result;

pub fn run(ctx: &mut Context, mut req: label::Request) -> Result<()> {
    req.which = Which::Annotations;
    label::run(ctx, req)
}
