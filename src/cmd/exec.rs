//! `kstate exec POD -- CMD...` (wired to the simulated container once it lands).

use super::Context;
use crate::{Error, Result};

pub struct Request {
    pub target: Vec<String>,
    pub container: Option<String>,
    pub stdin: bool,
    pub tty: bool,
    pub quiet: bool,
    pub command: Vec<String>,
}

pub fn run(_ctx: &mut Context, _req: Request) -> Result<()> {
    Err(Error::cli("exec is not available yet"))
}
