//! `kstate advance DURATION`: moves cluster time forward, as if the user had waited that long,
//! without waiting. Everything time-driven happens in between, in order: processes run and sleep,
//! probes fire, back-offs and grace periods end. Scripts use it where a walkthrough says "wait a
//! minute"; it is cheap to jump hours ahead.

use super::Context;
use crate::{controller, Error, Result};

pub fn run(ctx: &mut Context, duration: &str) -> Result<()> {
    let seconds = crate::clock::parse_duration(duration).ok_or_else(|| {
        Error::cli(format!(
            "invalid duration {duration:?}: use a number of seconds or a Go duration such as 90s, 10m or 1h30m"
        ))
    })?;
    let mut cluster = ctx.write()?;
    cluster.advance_clock(seconds)?;
    controller::catch_up(&mut cluster)?;
    ctx.finish(cluster)
}
