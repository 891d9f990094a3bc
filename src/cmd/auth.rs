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
    if req.args.len() != 2 {
        return Err(Error::cli("you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples."));
    }
    warn_unknown(ctx, &req.args[0], &req.args[1]);
    if !req.quiet {
        ctx.say("yes")?;
    }
    Ok(())
}

/// kubectl's warnings (`warningf`, a blank line after each) for a resource type the server does
/// not serve and a verb RBAC does not know; the admin is still allowed.
fn warn_unknown(ctx: &mut Context, verb: &str, target: &str) {
    let (known, mut warnings) = if target.starts_with('/') {
        (NON_RESOURCE_VERBS, Vec::new())
    } else {
        let resource = target.split('/').next().unwrap_or_default();
        let served = resource == "*" || crate::api::kinds::lookup(resource).is_some();
        let missing = format!("the server doesn't have a resource type '{resource}'");
        (RESOURCE_VERBS, if served { Vec::new() } else { vec![missing] })
    };
    if !known.contains(&verb) {
        warnings.push(format!("verb '{verb}' is not a known verb"));
    }
    for w in warnings {
        ctx.warn(&format!("{w}\n"));
    }
}

/// The verbs kubectl's `auth can-i` knows for resources and for non-resource URLs.
const RESOURCE_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "use",
    "bind",
    "impersonate",
    "*",
    "approve",
    "sign",
    "escalate",
    "attest",
];
const NON_RESOURCE_VERBS: &[&str] = &["get", "put", "post", "head", "options", "delete", "patch", "*"];

/// The cluster-admin rules (the discovery and self-review rules every user also has are left out).
fn list(ctx: &mut Context, no_headers: bool) -> Result<()> {
    let mut text = String::new();
    if !no_headers {
        text.push_str("Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
    }
    text.push_str("*.*\t[]\t[]\t[*]\n\t[*]\t[]\t[*]\n");
    std::io::Write::write_all(ctx.out, align(&text, (6, 3)).as_bytes()).map_err(super::io)
}
