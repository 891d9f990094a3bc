//! `kstate auth can-i`: the simulated user is the cluster's admin (`system:masters`), so every
//! action is allowed; `--list` shows the cluster-admin role's rules as kubectl prints them. With
//! `--as=USER` the answer is the RBAC authorizer's for that user (a service account named
//! `system:serviceaccount:NS:NAME` with its groups): the rules of the roles bound to it in the
//! namespace and cluster-wide.

use super::Context;
use crate::print::tabwriter::align;
use crate::{Error, Result};

pub struct CanI {
    pub args: Vec<String>,
    pub list: bool,
    pub quiet: bool,
    pub no_headers: bool,
    /// `--as`: the user whose permissions are checked (None: the admin).
    pub as_user: Option<String>,
    pub all_namespaces: bool,
    pub subresource: String,
}

pub fn can_i(ctx: &mut Context, req: CanI) -> Result<()> {
    if req.list {
        return list(ctx, req.no_headers);
    }
    if req.args.len() != 2 {
        return Err(Error::cli("you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples."));
    }
    warn_unknown(ctx, &req.args[0], &req.args[1]);
    let allowed = match req.as_user.as_deref().filter(|u| !u.is_empty()) {
        None => true,
        Some(user) => rbac_allows(ctx, &req, &crate::api::rbac::User::named(user))?,
    };
    if !req.quiet {
        ctx.say(if allowed { "yes" } else { "no" })?;
    }
    if allowed {
        Ok(())
    } else {
        Err(Error::Silent(1))
    }
}

/// The RBAC authorizer's answer for `user`: does a rule of a role bound to it (cluster-wide, or
/// in the namespace) allow the request?
fn rbac_allows(ctx: &mut Context, req: &CanI, user: &crate::api::rbac::User) -> Result<bool> {
    use crate::api::kinds::{CLUSTERROLE, CLUSTERROLEBINDING, ROLE, ROLEBINDING};
    use crate::api::rbac::{rule_allows, Request};
    use crate::api::ObjectExt;
    use crate::cluster::Key;
    let (verb, target) = (req.args[0].as_str(), req.args[1].as_str());
    let (typed, name) = target.split_once('/').unwrap_or((target, ""));
    let (group, resource) = match crate::api::kinds::lookup(typed) {
        Some(k) => (k.group.to_string(), k.plural.to_string()),
        None => match typed.split_once('.') {
            Some((r, g)) => (g.to_string(), r.to_string()),
            None => (String::new(), typed.to_string()),
        },
    };
    let request = if target.starts_with('/') {
        Request::Url { verb, path: target }
    } else {
        Request::Resource { verb, group: &group, resource: &resource, subresource: &req.subresource, name }
    };
    let namespace = ctx.namespace.clone();
    let mut cluster = ctx.read()?;
    let mut bindings = cluster.list(&CLUSTERROLEBINDING, None)?;
    if !req.all_namespaces && !target.starts_with('/') {
        bindings.extend(cluster.list(&ROLEBINDING, Some(&namespace))?);
    }
    let mut allowed = false;
    for binding in bindings.iter().filter(|b| user.bound_by(b)) {
        let key = match binding.str_at("roleRef.kind") {
            "ClusterRole" => Key::new(&CLUSTERROLE, "", binding.str_at("roleRef.name")),
            _ => Key::new(&ROLE, binding.namespace(), binding.str_at("roleRef.name")),
        };
        if let Some(role) = cluster.get(&key)? {
            if role.array_at("rules").iter().any(|r| rule_allows(r, &request)) {
                allowed = true;
                break;
            }
        }
    }
    cluster.abandon()?;
    Ok(allowed)
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
