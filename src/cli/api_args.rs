//! Arguments of `events` and `get --raw`-style reads, and their translation into requests.

use clap::Args;

use crate::cmd::{self, Context};
use crate::Result;

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
