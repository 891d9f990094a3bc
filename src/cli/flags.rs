//! Flag values as pflag and kubectl read them, where clap reads them differently.
//!
//! pflag lets every boolean flag take a value (`--overwrite=true`, `--rm=false`); clap's switches
//! take none. Before clap sees argv, `--NAME=VALUE` of a switch of the command being parsed becomes
//! `--NAME` (a Go true) or disappears (a Go false); other values are left for clap to refuse.

use std::ffi::OsString;

use clap::{ArgAction, Command};

use crate::api::decode::FieldValidation;
use crate::cmd::dry_run::DryRun;
use crate::cmd::Context;
use crate::{Error, Result};

/// What clap hands over for a bare `--dry-run` (cobra's `NoOptDefVal`).
pub const DRY_RUN_BARE: &str = "unchanged";

/// Whether argv has a `--name=value` word before `--`: the only form [`normalize_switches`] rewrites.
pub fn has_valued_long(argv: &[OsString]) -> bool {
    argv.iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .any(|a| a.to_str().is_some_and(|t| t.starts_with("--") && t.contains('=')))
}

/// argv with the valued boolean switches of `cmd` and of the subcommands argv names rewritten.
pub fn normalize_switches(cmd: &Command, argv: &[OsString]) -> Vec<OsString> {
    let mut chain = cmd;
    let mut switches: Vec<&str> = long_switches(cmd).collect();
    let mut out = Vec::with_capacity(argv.len());
    let mut rest = argv.iter();
    out.extend(rest.next().cloned());
    for arg in rest.by_ref() {
        if arg == "--" {
            out.push(arg.clone());
            break;
        }
        let text = arg.to_str().unwrap_or("");
        if let Some(sub) = chain.find_subcommand(text).filter(|_| !text.starts_with('-')) {
            chain = sub;
            switches.extend(long_switches(sub));
        }
        match text.strip_prefix("--").and_then(|t| t.split_once('=')) {
            Some((name, value)) if switches.contains(&name) => match go_bool(value) {
                Some(true) => out.push(OsString::from(format!("--{name}"))),
                Some(false) => {}
                None => out.push(arg.clone()),
            },
            _ => out.push(arg.clone()),
        }
    }
    out.extend(rest.cloned());
    out
}

/// The long names (and aliases) of the switches a command defines.
fn long_switches(cmd: &Command) -> impl Iterator<Item = &str> {
    cmd.get_arguments()
        .filter(|a| matches!(a.get_action(), ArgAction::SetTrue))
        .flat_map(|a| a.get_long().into_iter().chain(a.get_all_aliases().unwrap_or_default()))
}

/// How pflag names a flag in its errors: `-i, --stdin` when it has a shorthand, else `--rm`.
/// `flag` is clap's rendering of it (`--stdin` or `-i`).
pub fn pflag_name(flag: &str) -> String {
    fn find(cmd: &Command, flag: &str) -> Option<String> {
        let own = cmd.get_arguments().find(|a| {
            a.get_long().is_some_and(|l| flag.strip_prefix("--") == Some(l))
                || a.get_short().is_some_and(|c| flag.strip_prefix('-') == Some(c.to_string().as_str()))
        });
        match own {
            Some(a) => Some(match (a.get_short(), a.get_long()) {
                (Some(c), Some(l)) => format!("-{c}, --{l}"),
                _ => flag.to_string(),
            }),
            None => cmd.get_subcommands().find_map(|sub| find(sub, flag)),
        }
    }
    find(&crate::cli::full_command(), flag).unwrap_or_else(|| flag.to_string())
}

/// PrintFlags' `--template`: the text of a template output format (`-o jsonpath --template=...`),
/// or a go-template when `-o` is not given; the `-o` value to parse.
pub fn output_with_template(output: Option<&str>, template: Option<&str>) -> Option<String> {
    const TAKES_TEMPLATE: &[&str] = &[
        "go-template",
        "template",
        "go-template-file",
        "templatefile",
        "jsonpath",
        "jsonpath-as-json",
        "jsonpath-file",
        "custom-columns",
        "custom-columns-file",
    ];
    match (output, template) {
        (None, Some(t)) => Some(format!("go-template={t}")),
        (Some(o), Some(t)) if TAKES_TEMPLATE.contains(&o) => Some(format!("{o}={t}")),
        (o, _) => o.map(str::to_string),
    }
}

/// Go's `strconv.ParseBool`.
pub fn go_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// `--validate[=VALUE]` as kubectl's `GetValidationDirective` reads it: a Go boolean or one of
/// `strict`, `warn`, `ignore`.
pub fn field_validation(value: &str) -> Result<FieldValidation> {
    match go_bool(value) {
        Some(true) => return Ok(FieldValidation::Strict),
        Some(false) => return Ok(FieldValidation::Ignore),
        None => {}
    }
    match value {
        "strict" => Ok(FieldValidation::Strict),
        "warn" => Ok(FieldValidation::Warn),
        "ignore" => Ok(FieldValidation::Ignore),
        other => Err(Error::cli(format!(
            "invalid - validate option {other:?}; must be one of: strict (or true), warn, ignore (or false)"
        ))),
    }
}

/// `--dry-run[=VALUE]` as kubectl v1.32 reads it (`cmdutil.GetDryRunStrategy`): `none`, `client`
/// or `server`; a bare `--dry-run` and Go booleans are still taken, with klog's deprecation warning.
pub fn dry_run(ctx: &mut Context, value: Option<&str>) -> Result<DryRun> {
    let Some(value) = value else { return Ok(DryRun::None) };
    match value {
        "client" => return Ok(DryRun::Client),
        "server" => return Ok(DryRun::Server),
        "none" => return Ok(DryRun::None),
        DRY_RUN_BARE => {
            ctx.klog_warning("helpers.go:702", "--dry-run is deprecated and can be replaced with --dry-run=client.");
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
    let msg =
        format!("--dry-run={value} is deprecated (boolean value) and can be replaced with --dry-run={replacement}.");
    ctx.klog_warning(line, &msg);
    Ok(strategy)
}

/// `--request-timeout`: client-go checks it while building the client, before any request. kstate
/// answers within the command, so a valid value has no effect.
pub fn request_timeout(value: Option<&str>) -> Result<()> {
    match value {
        Some(v) if !v.is_empty() && crate::clock::parse_duration(v).is_none() => Err(Error::cli(
            "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_values_are_kubectls() {
        assert_eq!(field_validation("true").unwrap(), FieldValidation::Strict);
        assert_eq!(field_validation("strict").unwrap(), FieldValidation::Strict);
        assert_eq!(field_validation("F").unwrap(), FieldValidation::Ignore);
        assert_eq!(field_validation("warn").unwrap(), FieldValidation::Warn);
        assert_eq!(
            field_validation("foo").unwrap_err().to_string(),
            "error: invalid - validate option \"foo\"; must be one of: strict (or true), warn, ignore (or false)"
        );
    }

    fn normalized(args: &[&str]) -> Vec<String> {
        let argv: Vec<OsString> = args.iter().map(OsString::from).collect();
        let out = normalize_switches(&crate::cli::full_command(), &argv);
        out.iter().map(|a| a.to_string_lossy().into_owned()).collect()
    }

    #[test]
    fn valued_switches_become_plain_or_vanish() {
        assert_eq!(
            normalized(&["k", "label", "ns", "a", "x=y", "--overwrite=true"]),
            ["k", "label", "ns", "a", "x=y", "--overwrite"]
        );
        assert_eq!(normalized(&["k", "get", "pods", "--show-labels=False"]), ["k", "get", "pods"]);
        // A subcommand's switches count once argv names it; a value that is no Go bool stays.
        assert_eq!(
            normalized(&["k", "create", "namespace", "x", "--all=1"]),
            ["k", "create", "namespace", "x", "--all=1"]
        );
        assert_eq!(
            normalized(&["k", "run", "b", "--rm=t", "--", "echo", "--rm=f"]),
            ["k", "run", "b", "--rm", "--", "echo", "--rm=f"]
        );
        assert_eq!(normalized(&["k", "get", "pods", "--show-labels=yes"]), ["k", "get", "pods", "--show-labels=yes"]);
        // Options that take values are not switches.
        assert_eq!(normalized(&["k", "get", "pods", "--output=false"]), ["k", "get", "pods", "--output=false"]);
    }

    #[test]
    fn go_bool_takes_go_spellings_only() {
        assert_eq!(go_bool("T"), Some(true));
        assert_eq!(go_bool("False"), Some(false));
        assert_eq!(go_bool("yes"), None);
        assert_eq!(go_bool("tRUE"), None);
    }
}
