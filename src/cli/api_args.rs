//! Arguments of `events` and `get --raw`-style reads, and their translation into requests.

use clap::Args;

use crate::cmd::{self, Context};
use crate::{Error, Result};

#[derive(Args, Debug)]
pub struct EventsArgs {
    /// Accepted and ignored, as kubectl ignores arguments to `events`.
    #[arg(hide = true)]
    pub args: Vec<String>,
    /// After listing the requested events, watch for more events (kstate: the list is all there is).
    #[arg(short = 'w', long)]
    pub watch: bool,
    /// List the requested object(s) across all namespaces.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Filter events to only those pertaining to the specified resource (TYPE/NAME).
    #[arg(long = "for")]
    pub for_object: Option<String>,
    /// Output only events of given types (Normal, Warning).
    #[arg(long, value_delimiter = ',')]
    pub types: Vec<String>,
    /// When using the default output format, don't print headers.
    #[arg(long)]
    pub no_headers: bool,
    /// Output format: json, yaml, name, go-template, jsonpath...
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// Go template for -o go-template / template.
    #[arg(long)]
    pub template: Option<String>,
    /// Accepted for compatibility: kstate lists in one chunk.
    #[arg(long, hide = true)]
    pub chunk_size: Option<i64>,
}

pub fn events(ctx: &mut Context, a: EventsArgs) -> Result<()> {
    let _ = (a.args, a.chunk_size);
    let output = match (a.output.as_deref(), a.template) {
        (None | Some("go-template" | "template"), Some(t)) => Some(crate::print::OutputFormat::GoTemplate(t)),
        (o, _) => cmd::create_generators::parse_output(o)?,
    };
    cmd::events::run(
        ctx,
        cmd::events::Request {
            all_namespaces: a.all_namespaces,
            for_object: a.for_object,
            types: a.types,
            no_headers: a.no_headers,
            output,
            watch: a.watch,
        },
    )
}

/// `get --raw PATH`, with kubectl's checks of what may go with it (in kubectl's order).
pub fn get_raw(ctx: &mut Context, a: super::GetArgs) -> Result<()> {
    let raw = a.raw.unwrap_or_default();
    if !a.resources.is_empty() {
        return Err(Error::cli("arguments may not be passed when --raw is specified"));
    }
    if a.watch || a.watch_only || a.selector.as_deref().is_some_and(|s| !s.is_empty()) {
        return Err(Error::cli(
            "--raw may not be specified with other flags that filter the server request or alter the output",
        ));
    }
    if a.output.as_deref().is_some_and(|o| !o.is_empty()) {
        return Err(Error::cli("--raw and --output are mutually exclusive"));
    }
    if !raw.starts_with('/') {
        return Err(Error::cli(format!("--raw must be a valid URL path: parse {raw:?}: invalid URI for request")));
    }
    let body = crate::serve::get_raw(ctx, &raw)?;
    ctx.out.write_all(&body).map_err(cmd::io)
}
