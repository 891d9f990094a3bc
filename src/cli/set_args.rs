//! Arguments of `set selector`, `set serviceaccount` and `cluster-info dump`.

use clap::Args;

use super::flags;
use crate::cmd::{self, Context};
use crate::Result;

#[derive(Args, Debug)]
pub struct SetFieldArgs {
    /// TYPE NAME... or TYPE/NAME..., then the selector (set selector) or service account.
    pub args: Vec<String>,
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Every object of the given types in the namespace.
    #[arg(long)]
    pub all: bool,
    /// Change the objects of the -f files and print them, without the cluster.
    #[arg(long)]
    pub local: bool,
    /// Output format: yaml, json, name, jsonpath=..., go-template=...
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = crate::cli::flags::DRY_RUN_BARE)]
    pub dry_run: Option<String>,
    /// The update succeeds only if this is the object's current resourceVersion (set selector).
    #[arg(long = "resource-version")]
    pub resource_version: Option<String>,
    /// The field manager of the update (default kubectl-set).
    #[arg(long = "field-manager")]
    pub field_manager: Option<String>,
}

fn request(ctx: &mut Context, a: &SetFieldArgs) -> Result<cmd::set_field::Request> {
    Ok(cmd::set_field::Request {
        resources: Vec::new(),
        filenames: a.filenames.clone(),
        recursive: a.recursive,
        all: a.all,
        selector: None,
        local: a.local,
        output: cmd::create_generators::parse_output(a.output.as_deref())?,
        dry_run: flags::dry_run(ctx, a.dry_run.as_deref())?,
        resource_version: a.resource_version.clone().filter(|v| !v.is_empty()),
        field_manager: a.field_manager.clone(),
    })
}

pub fn set_selector(ctx: &mut Context, a: SetFieldArgs) -> Result<()> {
    let req = request(ctx, &a)?;
    cmd::set_selector::run(ctx, req, a.args)
}

pub fn set_serviceaccount(ctx: &mut Context, a: SetFieldArgs) -> Result<()> {
    // The flags are shared with `set selector`; kubectl's `set serviceaccount` has no precondition.
    if a.resource_version.is_some() {
        return Err(crate::Error::Raw(
            "error: unknown flag: --resource-version\nSee 'kubectl set serviceaccount --help' for usage.".into(),
        ));
    }
    let req = request(ctx, &a)?;
    cmd::set_serviceaccount::run(ctx, req, a.args)
}

#[derive(Args, Debug)]
pub struct SetSubjectArgs {
    /// TYPE NAME... or TYPE/NAME... of role bindings and cluster role bindings.
    pub resources: Vec<String>,
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Every object of the given types in the namespace.
    #[arg(long)]
    pub all: bool,
    /// Label selector for the objects of a bare type.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Change the objects of the -f files and print them, without the cluster.
    #[arg(long)]
    pub local: bool,
    /// Output format: yaml, json, name, jsonpath=..., go-template=...
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = crate::cli::flags::DRY_RUN_BARE)]
    pub dry_run: Option<String>,
    /// Usernames to bind to the role (the field is named as the global `--user` flag it shadows).
    #[arg(long)]
    pub user: Vec<String>,
    /// Groups to bind to the role.
    #[arg(long)]
    pub group: Vec<String>,
    /// Service accounts (NAMESPACE:NAME) to bind to the role.
    #[arg(long)]
    pub serviceaccount: Vec<String>,
    /// The field manager of the update (default kubectl-set).
    #[arg(long = "field-manager")]
    pub field_manager: Option<String>,
}

pub fn set_subject(ctx: &mut Context, a: SetSubjectArgs) -> Result<()> {
    let req = cmd::set_field::Request {
        resources: a.resources,
        filenames: a.filenames,
        recursive: a.recursive,
        all: a.all,
        selector: a.selector,
        local: a.local,
        output: cmd::create_generators::parse_output(a.output.as_deref())?,
        dry_run: flags::dry_run(ctx, a.dry_run.as_deref())?,
        resource_version: None,
        field_manager: a.field_manager,
    };
    let subjects = cmd::set_subject::Subjects { users: a.user, groups: a.group, service_accounts: a.serviceaccount };
    cmd::set_subject::run(ctx, req, subjects)
}

#[derive(clap::Subcommand, Debug)]
pub enum ClusterInfoCommand {
    /// Dump relevant information for debugging and diagnosis.
    Dump {
        /// Where to write the files (empty or - for stdout).
        #[arg(long = "output-directory")]
        output_directory: Option<String>,
        /// A comma separated list of namespaces to dump.
        #[arg(long, value_delimiter = ',')]
        namespaces: Vec<String>,
        /// Dump every namespace (--namespaces is then ignored).
        #[arg(short = 'A', long = "all-namespaces")]
        all_namespaces: bool,
        /// json (default) or yaml.
        #[arg(short = 'o', long)]
        output: Option<String>,
        /// Accepted: kstate's pods have converged.
        #[arg(long = "pod-running-timeout")]
        pod_running_timeout: Option<String>,
    },
}

pub fn cluster_info_dump(ctx: &mut Context, c: ClusterInfoCommand) -> Result<()> {
    let ClusterInfoCommand::Dump { output_directory, namespaces, all_namespaces, output, pod_running_timeout } = c;
    let _ = pod_running_timeout;
    let yaml = match output.as_deref() {
        None | Some("" | "json") => false,
        Some("yaml") => true,
        Some(other) => {
            return Err(crate::Error::cli(format!("kstate cluster-info dump prints json or yaml, not {other:?}")))
        }
    };
    let req = cmd::cluster_info_dump::Request { namespaces, all_namespaces, output_directory, yaml };
    cmd::cluster_info_dump::run(ctx, req)
}
