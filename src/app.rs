//! The process edge: environment, argv, streams and exit codes. `main` only calls [`run`].

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::PathBuf;

use crate::clock::Clock;
use crate::cluster::{profile, Bootstrap};
use crate::cmd::Context;
use crate::{cli, Error};

/// Where the state lives when neither `--state-dir` nor `KSTATE_HOME` says.
fn default_state_dir() -> PathBuf {
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(".kstate"),
        None => PathBuf::from(".kstate"),
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Runs one kstate command line and returns the process exit code.
pub fn run(argv: Vec<OsString>, stdin: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    // kubectl's help for kubectl's commands; clap's for kstate's own.
    if let Some(text) = cli::help::intercept(&argv) {
        return match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Ok(()) => 0,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
            Err(_) => 1,
        };
    }
    if let Some(text) = cli::help::unknown_topic(&argv) {
        let _ = err.write_all(text.as_bytes());
        return 0;
    }
    let parsed = match cli::parse(&argv) {
        Ok(p) => p,
        Err(e) => return clap_exit(&e, &argv, out, err),
    };
    let result = (|| {
        let clock = Clock::from_env(env("KSTATE_NOW").as_deref()).map_err(Error::cli)?;
        let seed = match env("KSTATE_SEED") {
            Some(s) => Some(
                s.trim()
                    .parse::<u64>()
                    .map_err(|_| Error::cli(format!("KSTATE_SEED: {s:?} is not a non-negative integer")))?,
            ),
            None => None,
        };
        if let Some(limit) = env("KSTATE_MAX_STORED_BYTES") {
            let bytes = crate::api::quantity::parse_bytes(&limit)
                .and_then(|b| u64::try_from(b).ok())
                .ok_or_else(|| Error::cli(format!("KSTATE_MAX_STORED_BYTES: {limit:?} is not a size such as 64Mi")))?;
            crate::exec::set_store_limit(bytes);
        }
        let bootstrap = bootstrap_from_env()?;
        // `replay --kubectl --context` names a context of the real kubectl.
        let context = match parsed.command {
            cli::Command::Replay(_) => None,
            _ => parsed.connection.context.as_deref(),
        };
        let selection = crate::cmd::config::kubeconfig::select(
            parsed.state_dir.clone(),
            context,
            parsed.connection.kubeconfig.as_deref(),
            env("KSTATE_HOME").map(PathBuf::from),
            default_state_dir(),
        )?;
        let mut ctx = Context {
            state_dir: selection.state_dir,
            clock,
            seed,
            bootstrap,
            namespace: selection.namespace.unwrap_or_else(|| "default".to_string()),
            namespace_given: false,
            out: &mut *out,
            err: &mut *err,
            stdin,
            change_cause: None,
            state_dir_named: parsed.state_dir.is_some(),
        };
        // Kinds served by the state's CustomResourceDefinitions, for the command's arguments. A
        // state that cannot be read is reported by the command itself when it opens the cluster.
        let _ = crate::cluster::load_custom_kinds(&ctx.state_dir);
        cli::run(parsed, &mut ctx)
    })();
    let _ = out.flush();
    match result {
        Ok(()) => 0,
        Err(e) if is_broken_pipe(&e) => 0,
        Err(Error::Silent(code)) => code,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            e.exit_code()
        }
    }
}

/// `KSTATE_PROFILE` and `KSTATE_NODES`: how the first command creates the cluster.
fn bootstrap_from_env() -> Result<Bootstrap, Error> {
    let profile = match env("KSTATE_PROFILE") {
        Some(name) => Some(profile::by_name(name.trim()).ok_or_else(|| {
            Error::cli(format!("KSTATE_PROFILE: unknown profile {name:?} (one of {})", profile::names()))
        })?),
        None => None,
    };
    let nodes = match env("KSTATE_NODES") {
        Some(n) => Some(parse_nodes(&n).map_err(|e| Error::cli(format!("KSTATE_NODES: {e}")))?),
        None => None,
    };
    Ok(Bootstrap { profile, nodes })
}

/// A node count: 1 to [`profile::MAX_NODES`].
pub fn parse_nodes(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=profile::MAX_NODES).contains(&n) => Ok(n),
        _ => Err(format!("{text:?} is not a node count from 1 to {}", profile::MAX_NODES)),
    }
}

fn is_broken_pipe(e: &Error) -> bool {
    match e {
        Error::Internal(inner) => inner
            .chain()
            .any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)),
        _ => false,
    }
}

/// Help and version go to stdout with exit 0; usage errors read as kubectl's, exit 1.
fn clap_exit(e: &clap::Error, argv: &[OsString], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    use clap::error::ErrorKind;
    match e.kind() {
        // A group run without its subcommand: kubectl's help for the group where there is one.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let text = cli::help::for_command(argv).map_or_else(|| e.render().to_string(), str::to_string);
            let _ = write!(out, "{text}");
            0
        }
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = write!(out, "{}", e.render());
            0
        }
        _ => {
            let _ = writeln!(err, "{}", cli::usage_error(e, argv));
            1
        }
    }
}
