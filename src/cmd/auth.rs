//! `kstate auth can-i`: the simulated user is the cluster's admin (`system:masters`), so every
//! action is allowed; `--list` shows the cluster-admin role's rules as kubectl prints them.

use super::Context;
use crate::print::tabwriter::align;
use crate::{Error, Result};

pub struct CanI {
    pub args: Vec<String>,
    pub list: bool,
    pub quiet: bool,
    pub no_headers: bool,
}

pub fn can_i(ctx: &mut Context, req: CanI) -> Result<()> {
    if req.list {
        return list(ctx, req.no_headers);
    }
    if !(1..=2).contains(&req.args.len()) {
        return Err(Error::cli("you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples"));
    }
    if !req.quiet {
        ctx.say("yes")?;
    }
    Ok(())
}

/// The cluster-admin rules (the discovery and self-review rules every user also has are left out).
fn list(ctx: &mut Context, no_headers: bool) -> Result<()> {
    let mut text = String::new();
    if !no_headers {
        text.push_str("Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
    }
    text.push_str("*.*\t[]\t[]\t[*]\n\t[*]\t[]\t[*]\n");
    std::io::Write::write_all(ctx.out, align(&text, (6, 3)).as_bytes()).map_err(super::io)
}
