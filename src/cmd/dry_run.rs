//! `--dry-run` as kubectl v1.32 reads it (`cmdutil.GetDryRunStrategy`): `none`, `client` or
//! `server`; a bare `--dry-run` and Go boolean values are still taken, with klog's deprecation
//! warnings on stderr.

use super::Context;
use crate::{Error, Result};

/// What clap hands over for a bare `--dry-run` (cobra's `NoOptDefVal`).
pub const BARE: &str = "unchanged";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DryRun {
    None,
    Client,
    Server,
}

impl DryRun {
    /// The strategy of `--dry-run[=VALUE]`, or kubectl's error for a value it does not know.
    pub fn parse(ctx: &mut Context, value: Option<&str>) -> Result<DryRun> {
        let Some(value) = value else { return Ok(DryRun::None) };
        match value {
            "client" => return Ok(DryRun::Client),
            "server" => return Ok(DryRun::Server),
            "none" => return Ok(DryRun::None),
            BARE => {
                ctx.klog_warning(
                    "helpers.go:702",
                    "--dry-run is deprecated and can be replaced with --dry-run=client.",
                );
                return Ok(DryRun::Client);
            }
            _ => {}
        }
        let (strategy, replacement, line) = match go_bool(value) {
            Some(true) => (DryRun::Client, "client", "helpers.go:716"),
            Some(false) => (DryRun::None, "none", "helpers.go:719"),
            None => {
                return Err(Error::cli(format!(
                    "Invalid dry-run value ({value}). Must be \"none\", \"server\", or \"client\"."
                )))
            }
        };
        let msg = format!(
            "--dry-run={value} is deprecated (boolean value) and can be replaced with --dry-run={replacement}."
        );
        ctx.klog_warning(line, &msg);
        Ok(strategy)
    }

    /// The suffix the name printer adds.
    pub fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }
}

/// Go's `strconv.ParseBool`.
fn go_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::go_bool;

    #[test]
    fn go_bool_takes_go_spellings_only() {
        assert_eq!(go_bool("T"), Some(true));
        assert_eq!(go_bool("False"), Some(false));
        assert_eq!(go_bool("yes"), None);
        assert_eq!(go_bool("tRUE"), None);
    }
}
