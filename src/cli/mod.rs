//! clap definitions: argv into typed requests. clap types never leave this module; `run` turns a
//! parsed command into the request of one `cmd` verb.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::cmd::{self, Context};
use crate::print::OutputFormat;
use crate::{Error, Result};

#[derive(Parser, Debug)]
#[command(
    name = "kstate",
    version,
    about = "kubectl for a local, simulated Kubernetes cluster kept in one SQLite file",
    disable_help_subcommand = true
)]
pub struct Cli {
    /// The namespace scope for this request.
    #[arg(short = 'n', long, global = true, value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// The directory holding the cluster's state (default: $KSTATE_HOME, else ~/.kstate).
    #[arg(long, global = true, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create resources from files or stdin.
    Create(CreateArgs),
    /// Display one or many resources.
    Get(GetArgs),
    /// Show details of a specific resource or group of resources.
    Describe(DescribeArgs),
    /// Delete resources by file names, stdin, resources and names, or by resources and label selector.
    Delete(DeleteArgs),
    /// Set a new size for a StatefulSet.
    Scale(ScaleArgs),
    /// Execute a command in a container.
    Exec(ExecArgs),
    /// Replay a walkthrough's commands on a fresh cluster and check the outputs it shows.
    Replay(ReplayArgs),
}

#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// Documents (plain text or markdown), or - for stdin.
    pub files: Vec<String>,
    /// Report drift (older kubectl formats, compatibility-only commands) as failure.
    #[arg(long)]
    pub strict: bool,
    /// Report format: text or json.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
    /// Rewrite the outputs the documents show with what kstate printed.
    #[arg(long)]
    pub update: bool,
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Files, folders or - (stdin) with the resources to create.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process folders named in -f recursively.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Output format (only `name`).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
}

#[derive(Args, Debug)]
pub struct GetArgs {
    /// TYPE[,TYPE...] [NAME...] or TYPE/NAME ...
    pub resources: Vec<String>,
    /// Output format: wide, yaml, json, name, jsonpath=..., custom-columns=...
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// Label selector (=, ==, !=, in, notin, key, !key).
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// List across all namespaces.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Do not print headers.
    #[arg(long)]
    pub no_headers: bool,
    /// Show all labels as the last column.
    #[arg(long)]
    pub show_labels: bool,
    /// Labels to show as columns.
    #[arg(short = 'L', long = "label-columns", value_delimiter = ',')]
    pub label_columns: Vec<String>,
}

#[derive(Args, Debug)]
pub struct DescribeArgs {
    /// TYPE [NAME_PREFIX] or TYPE/NAME
    pub resources: Vec<String>,
    /// Label selector.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Describe across all namespaces.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
}

#[derive(Args, Debug)]
pub struct DeleteArgs {
    /// TYPE NAME... or TYPE/NAME...
    pub resources: Vec<String>,
    /// Files, folders or - naming the resources to delete.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Label selector.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Delete all resources of the type.
    #[arg(long)]
    pub all: bool,
    /// background, foreground or orphan (false means orphan, deprecated).
    #[arg(long, default_value = "background", num_args = 0..=1, default_missing_value = "background")]
    pub cascade: String,
    /// Seconds to wait for graceful termination (0 with --force deletes at once).
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub grace_period: i64,
    /// Delete immediately.
    #[arg(long)]
    pub force: bool,
    /// Treat "not found" as success.
    #[arg(long)]
    pub ignore_not_found: bool,
    /// Wait for deletion (kstate always converges before returning).
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub wait: Option<bool>,
    /// Output format (only `name`).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
}

#[derive(Args, Debug)]
pub struct ScaleArgs {
    /// TYPE NAME or TYPE/NAME
    pub resources: Vec<String>,
    /// The new number of replicas.
    #[arg(long)]
    pub replicas: Option<i64>,
    /// Files naming the resources to scale.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Precondition on the current size (-1: none).
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub current_replicas: i64,
}

#[derive(Args, Debug)]
pub struct ExecArgs {
    /// POD or TYPE/NAME, then (deprecated form) the command.
    #[arg(allow_hyphen_values = false)]
    pub target: Vec<String>,
    /// Container name (default: the first).
    #[arg(short = 'c', long)]
    pub container: Option<String>,
    /// Pass stdin to the container.
    #[arg(short = 'i', long)]
    pub stdin: bool,
    /// Stdin is a TTY.
    #[arg(short = 't', long)]
    pub tty: bool,
    /// Only print output from the remote session.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// The command and its arguments, after `--`.
    #[arg(last = true)]
    pub command: Vec<String>,
}

/// kubectl's name for a subcommand, for usage-error hints.
fn subcommand_name(argv: &[OsString]) -> String {
    argv.iter().skip(1).filter_map(|a| a.to_str()).find(|a| !a.starts_with('-')).unwrap_or("").to_string()
}

/// Parses argv, with kubectl's wording for the errors users hit most.
pub fn parse(argv: &[OsString]) -> std::result::Result<Cli, clap::Error> {
    Cli::try_parse_from(argv)
}

/// Turns a clap error into kubectl's words: `error: unknown flag: --foo` and the usage hint.
pub fn usage_error(err: &clap::Error, argv: &[OsString]) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let sub = subcommand_name(argv);
    let hint = format!("See 'kubectl {sub} --help' for usage.");
    let invalid = match err.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => s.clone(),
        _ => String::new(),
    };
    match err.kind() {
        ErrorKind::UnknownArgument => {
            let flag = invalid.split('=').next().unwrap_or("").to_string();
            if flag.starts_with("--") {
                format!("error: unknown flag: {flag}\n{hint}")
            } else if flag.starts_with('-') {
                let c = flag.trim_start_matches('-').chars().next().unwrap_or('?');
                format!("error: unknown shorthand flag: '{c}' in {flag}\n{hint}")
            } else {
                format!("error: unknown command \"{flag}\" for \"kubectl\"\n\nDid you mean this?\n\t{flag}\n\nRun 'kubectl --help' for usage.")
            }
        }
        ErrorKind::InvalidSubcommand => {
            let name = match err.get(ContextKind::InvalidSubcommand) {
                Some(ContextValue::String(s)) => s.clone(),
                _ => invalid,
            };
            format!("error: unknown command \"{name}\" for \"kubectl\"\nRun 'kubectl --help' for usage.")
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let value = match err.get(ContextKind::InvalidValue) {
                Some(ContextValue::String(s)) => s.clone(),
                _ => String::new(),
            };
            let flag = invalid.split_whitespace().next().unwrap_or("").to_string();
            let flag = flag.split('=').next().unwrap_or("").to_string();
            format!("error: invalid argument \"{value}\" for \"{flag}\" flag: {}\n{hint}", value_problem(&value))
        }
        _ => {
            let text = err.to_string();
            text.lines().next().unwrap_or("error").to_string()
        }
    }
}

fn value_problem(value: &str) -> String {
    format!("strconv.ParseInt: parsing \"{value}\": invalid syntax")
}

/// Runs a parsed command line.
pub fn run(cli: Cli, ctx: &mut Context) -> Result<()> {
    if let Some(ns) = cli.namespace {
        ctx.namespace = ns;
        ctx.namespace_given = true;
    }
    match cli.command {
        Command::Create(a) => cmd::create::run(
            ctx,
            cmd::create::Request {
                filenames: a.filenames,
                recursive: a.recursive,
                output_name: output_name(a.output.as_deref(), "create")?,
            },
        ),
        Command::Get(a) => {
            let output = OutputFormat::parse(a.output.as_deref()).map_err(Error::cli)?;
            cmd::get::run(
                ctx,
                cmd::get::Request {
                    resources: a.resources,
                    output,
                    selector: a.selector,
                    all_namespaces: a.all_namespaces,
                    no_headers: a.no_headers,
                    show_labels: a.show_labels,
                    label_columns: a.label_columns,
                },
            )
        }
        Command::Describe(a) => cmd::describe::run(
            ctx,
            cmd::describe::Request { resources: a.resources, selector: a.selector, all_namespaces: a.all_namespaces },
        ),
        Command::Delete(a) => {
            let cascade = match a.cascade.as_str() {
                "background" | "true" => crate::cluster::Propagation::Background,
                "foreground" => crate::cluster::Propagation::Foreground,
                "orphan" => crate::cluster::Propagation::Orphan,
                "false" => {
                    ctx.warn(
                        "--cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.",
                    );
                    crate::cluster::Propagation::Orphan
                }
                other => {
                    return Err(Error::cli(format!(
                        "invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
                    )))
                }
            };
            cmd::delete::run(
                ctx,
                cmd::delete::Request {
                    resources: a.resources,
                    filenames: a.filenames,
                    recursive: a.recursive,
                    selector: a.selector,
                    all: a.all,
                    cascade,
                    grace_period: a.grace_period,
                    force: a.force,
                    ignore_not_found: a.ignore_not_found,
                    output_name: output_name(a.output.as_deref(), "delete")?,
                },
            )
        }
        Command::Scale(a) => cmd::scale::run(
            ctx,
            cmd::scale::Request {
                resources: a.resources,
                replicas: a.replicas,
                filenames: a.filenames,
                current_replicas: a.current_replicas,
            },
        ),
        Command::Exec(a) => cmd::exec::run(
            ctx,
            cmd::exec::Request {
                target: a.target,
                container: a.container,
                stdin: a.stdin,
                tty: a.tty,
                quiet: a.quiet,
                command: a.command,
            },
        ),
        Command::Replay(a) => cmd::replay::run(
            ctx,
            cmd::replay::Request {
                files: a.files,
                state_dir: cli.state_dir,
                strict: a.strict,
                format: if a.format == "json" { cmd::replay::Format::Json } else { cmd::replay::Format::Text },
                update: a.update,
            },
        ),
    }
}

fn output_name(output: Option<&str>, verb: &str) -> Result<bool> {
    match output {
        None | Some("") => Ok(false),
        Some("name") => Ok(true),
        // `delete` prints through its own name printer only.
        Some(other) if verb == "delete" => {
            Err(Error::cli(format!("unexpected -o output mode: {other}. We only support '-o name'")))
        }
        // Formats kubectl's create knows, which kstate does not print.
        Some(other) if CREATE_FORMATS.contains(&other.split_once('=').map_or(other, |(f, _)| f)) => {
            Err(Error::cli(format!(
                "unable to match a printer suitable for the output format \"{other}\", allowed formats are: name (for {verb})"
            )))
        }
        Some(other) => Err(Error::cli(format!(
            "unable to match a printer suitable for the output format \"{other}\", allowed formats are: {}",
            CREATE_FORMATS.join(",")
        ))),
    }
}

/// `kubectl create -o` formats (its printer flags without the table ones), in kubectl's order.
const CREATE_FORMATS: [&str; 10] = [
    "go-template",
    "go-template-file",
    "json",
    "jsonpath",
    "jsonpath-as-json",
    "jsonpath-file",
    "name",
    "template",
    "templatefile",
    "yaml",
];
