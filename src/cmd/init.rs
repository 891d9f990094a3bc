//! `kstate init [--profile P] [--nodes N]` creates the cluster of a state directory from a
//! profile; `kstate profile [--list]` says which profile a cluster was made from.

use super::Context;
use crate::cluster::{profile, Cluster};
use crate::{Error, Result};

pub fn init(ctx: &mut Context, profile_name: Option<&str>, nodes: Option<&str>) -> Result<()> {
    let mut boot = ctx.bootstrap;
    if let Some(name) = profile_name {
        boot.profile = Some(
            profile::by_name(name)
                .ok_or_else(|| Error::cli(format!("unknown profile {name:?} (one of {})", profile::names())))?,
        );
    }
    if let Some(n) = nodes {
        boot.nodes = Some(crate::app::parse_nodes(n).map_err(|e| Error::cli(format!("--nodes: {e}")))?);
    }
    if Cluster::exists(&ctx.state_dir)? {
        let cluster = ctx.read()?;
        let name = cluster.profile.name;
        cluster.abandon()?;
        return Err(Error::cli(format!(
            "{} already holds a cluster (profile {name}); delete the directory to start over",
            ctx.state_dir.display()
        )));
    }
    ctx.bootstrap = boot;
    let cluster = ctx.write()?;
    let p = cluster.profile;
    let nodes = boot.nodes.unwrap_or(p.default_nodes);
    ctx.finish(cluster)?;
    ctx.say(&format!(
        "cluster created: profile {} ({}), {nodes} node{}",
        p.name,
        p.title,
        if nodes == 1 { "" } else { "s" }
    ))
}

pub fn show(ctx: &mut Context, list: bool) -> Result<()> {
    if list {
        for p in profile::ALL {
            ctx.say(&format!("{:<9} {}", p.name, p.title))?;
        }
        return Ok(());
    }
    let cluster = ctx.read()?;
    let p = cluster.profile;
    cluster.abandon()?;
    ctx.say(&format!("{} ({})", p.name, p.title))?;
    ctx.say(&format!("server version: {}", p.server_version))
}
