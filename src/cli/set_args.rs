//! Arguments of `set selector` and `set serviceaccount`.

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
    #[arg(long, num_args = 0..=1, default_missing_value = crate::cli::flags::DRY_RUN_BARE)]
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
