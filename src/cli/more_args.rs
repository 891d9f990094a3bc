//! Arguments of `replace` and `auth`, and their translation into requests.

use clap::{Args, Subcommand};

use super::flags;
use crate::cmd::{self, Context};
use crate::{Error, Result};

#[derive(Args, Debug)]
pub struct ReplaceArgs {
    /// Files, folders or - (stdin) with the configuration to replace.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the kustomization directory. This flag can't be used together with -f or -R.
    #[arg(short = 'k', long = "kustomize")]
    pub kustomize: Option<String>,
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Delete and re-create the resource.
    #[arg(long)]
    pub force: bool,
    /// Write the last-applied annotation, as apply would.
    #[arg(long)]
    pub save_config: bool,
    /// Output format (only `name`).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// How the server treats unknown fields: strict (or true), warn, ignore (or false).
    #[arg(long, num_args = 0..=1, require_equals = true, default_value = "strict", default_missing_value = "strict")]
    pub validate: String,
    /// Accepted for compatibility: kstate deletes within the command.
    #[arg(long)]
    pub grace_period: Option<i64>,
    /// Accepted for compatibility: kstate deletes within the command.
    #[arg(long)]
    pub timeout: Option<String>,
    /// Accepted for compatibility: kstate deletes within the command.
    #[arg(long)]
    pub wait: bool,
    /// none, client (print only) or server (admit but do not persist).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = crate::cli::flags::DRY_RUN_BARE)]
    pub dry_run: Option<String>,
    /// Positional arguments: none are expected (cobra hands them over; kubectl refuses them with
    /// `Unexpected args: [...]`, or, for `replace`, ignores them).
    #[arg(hide = true)]
    pub unexpected: Vec<String>,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// Files, folders or - (stdin) with the configuration to compare.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the kustomization directory. This flag can't be used together with -f or -R.
    #[arg(short = 'k', long = "kustomize")]
    pub kustomize: Option<String>,
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Compare with what a server-side apply would store.
    #[arg(long)]
    pub server_side: bool,
    #[arg(long)]
    pub force_conflicts: bool,
    #[arg(long)]
    pub field_manager: Option<String>,
    /// Keep managedFields in the compared objects.
    #[arg(long)]
    pub show_managed_fields: bool,
    /// Positional arguments: none are expected (cobra hands them over; kubectl refuses them with
    /// `Unexpected args: [...]`, or, for `replace`, ignores them).
    #[arg(hide = true)]
    pub unexpected: Vec<String>,
}

#[derive(Args, Debug)]
pub struct SetEnvArgs {
    /// TYPE NAME | TYPE/NAME, then KEY=VALUE... and KEY-...
    pub args: Vec<String>,
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// The names of containers to change (a glob).
    #[arg(short = 'c', long, default_value = "*")]
    pub containers: String,
    /// Change the objects of the -f files and print them, without the cluster.
    #[arg(long)]
    pub local: bool,
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = crate::cli::flags::DRY_RUN_BARE)]
    pub dry_run: Option<String>,
    /// A secret or configmap (TYPE/NAME) whose keys become variables.
    #[arg(long)]
    pub from: Option<String>,
    /// With --from: only these keys.
    #[arg(long, value_delimiter = ',')]
    pub keys: Vec<String>,
    /// With --from: a prefix for the variables' names.
    #[arg(long, default_value = "")]
    pub prefix: String,
    /// Variables to set (KEY=VALUE), as the arguments do.
    #[arg(short = 'e', long = "env")]
    pub env: Vec<String>,
    /// Allow changing a variable that has another value (true by default).
    #[arg(long, default_value = "true", num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub overwrite: bool,
    /// Print the containers' variables instead of changing them.
    #[arg(long)]
    pub list: bool,
    /// With --list: print the values of references to secrets, config maps and fields.
    #[arg(long)]
    pub resolve: bool,
    /// Every object of the given types in the namespace.
    #[arg(long)]
    pub all: bool,
    /// Label selector for the objects of a bare type.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
}

#[derive(Args, Debug)]
pub struct SetResourcesArgs {
    /// TYPE NAME | TYPE/NAME
    pub resources: Vec<String>,
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// The names of containers to change (a glob).
    #[arg(short = 'c', long, default_value = "*")]
    pub containers: String,
    /// The resource limits, e.g. cpu=200m,memory=512Mi.
    #[arg(long)]
    pub limits: Option<String>,
    /// The resource requests, e.g. cpu=100m,memory=256Mi.
    #[arg(long)]
    pub requests: Option<String>,
    /// Change the files' objects and print them, without the cluster.
    #[arg(long)]
    pub local: bool,
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = crate::cli::flags::DRY_RUN_BARE)]
    pub dry_run: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum AuthCommand {
    /// Check whether an action is allowed.
    CanI(CanIArgs),
}

/// `top pod` and `top node`. kstate runs no Metrics Server, so both end as kubectl does on a
/// cluster without one; the flags are accepted as kubectl's.
#[derive(Subcommand, Debug)]
pub enum TopCommand {
    /// Display resource (CPU/memory) usage of pods.
    #[command(visible_aliases = ["pods", "po"])]
    Pod(TopArgs),
    /// Display resource (CPU/memory) usage of nodes.
    #[command(visible_aliases = ["nodes", "no"])]
    Node(TopArgs),
}

#[derive(Args, Debug)]
pub struct TopArgs {
    /// NAME (a pod or node).
    pub name: Option<String>,
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    #[arg(long)]
    pub containers: bool,
    #[arg(long)]
    pub field_selector: Option<String>,
    #[arg(long)]
    pub no_headers: bool,
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    #[arg(long)]
    pub sort_by: Option<String>,
    #[arg(long)]
    pub sum: bool,
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub use_protocol_buffers: Option<String>,
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub show_capacity: Option<String>,
}

pub fn top(_ctx: &mut Context, command: TopCommand) -> Result<()> {
    let (TopCommand::Pod(a) | TopCommand::Node(a)) = command;
    if a.sort_by.as_deref().is_some_and(|s| !s.is_empty() && s != "cpu" && s != "memory") {
        return Err(crate::Error::cli("--sort-by accepts only cpu or memory"));
    }
    // kubectl asks the server's discovery for metrics.k8s.io first; kstate serves no such group.
    Err(crate::Error::cli("Metrics API not available"))
}

#[derive(Args, Debug)]
pub struct CanIArgs {
    /// VERB [TYPE | TYPE/NAME | NONRESOURCEURL]
    pub args: Vec<String>,
    /// List all allowed actions in the namespace.
    #[arg(long)]
    pub list: bool,
    /// If true, suppress output and just return the exit code.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// If true, check the specified action in all namespaces.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// SubResource such as pod/log or deployment/scale.
    #[arg(long)]
    pub subresource: Option<String>,
    /// Username to impersonate: the answer follows the cluster's RBAC bindings for that user.
    #[arg(long = "as")]
    pub as_user: Option<String>,
    #[arg(long)]
    pub no_headers: bool,
}

pub fn replace(ctx: &mut Context, a: ReplaceArgs) -> Result<()> {
    let output_name = match a.output.as_deref() {
        None | Some("") => false,
        Some("name") => true,
        Some(other) => {
            return Err(Error::cli(format!("unexpected -o output mode: {other}. We only support '-o name'")))
        }
    };
    let dry_run = flags::dry_run(ctx, a.dry_run.as_deref())?;
    // ReplaceOptions.Validate, in its order. A negative grace period is kubectl's "unset".
    if a.grace_period.is_some_and(|g| g >= 0) && !a.force {
        return Err(Error::cli("--grace-period must have --force specified"));
    }
    if a.timeout.as_deref().is_some_and(|t| !t.is_empty() && t != "0" && t != "0s") && !a.force {
        return Err(Error::cli("--timeout must have --force specified"));
    }
    if a.force && dry_run != cmd::dry_run::DryRun::None {
        return Err(Error::cli("--dry-run can not be used when --force is set"));
    }
    let filenames = super::kustomize_arg::filenames(ctx, a.filenames, a.kustomize, a.recursive)?;
    if filenames.is_empty() {
        return Err(Error::cli("must specify --filename to replace"));
    }
    let validation = flags::field_validation(&a.validate)?;
    let request = cmd::replace::Request {
        filenames,
        recursive: a.recursive,
        force: a.force,
        output_name,
        validation,
        dry_run,
        save_config: a.save_config,
    };
    cmd::replace::run(ctx, request)
}

pub fn diff(ctx: &mut Context, a: DiffArgs) -> Result<()> {
    if !a.unexpected.is_empty() {
        ctx.say_err(&super::unexpected_args("diff", &a.unexpected).to_string())?;
        return Err(Error::Silent(2));
    }
    // A failed -k build exits 2, as kubectl's `CheckDiffErr` makes every diff error.
    let filenames = match super::kustomize_arg::filenames(ctx, a.filenames, a.kustomize, a.recursive) {
        Ok(f) => f,
        Err(e) => {
            ctx.say_err(&e.to_string())?;
            return Err(Error::Silent(e.exit_code() + 1));
        }
    };
    if filenames.is_empty() {
        return Err(Error::cli("must specify --filename to diff"));
    }
    let request = cmd::diff::Request {
        filenames,
        recursive: a.recursive,
        server_side: a.server_side,
        field_manager: a.field_manager,
        force_conflicts: a.force_conflicts,
        show_managed_fields: a.show_managed_fields,
    };
    // kubectl's `CheckDiffErr`: 1 means differences, so errors exit one higher than elsewhere.
    match cmd::diff::run(ctx, request) {
        Err(e @ (Error::Silent(_) | Error::Internal(_))) => Err(e),
        Err(e) => {
            ctx.say_err(&e.to_string())?;
            Err(Error::Silent(e.exit_code() + 1))
        }
        ok => ok,
    }
}

pub fn set_env(ctx: &mut Context, a: SetEnvArgs) -> Result<()> {
    if a.list && a.output.as_deref().is_some_and(|o| !o.is_empty()) {
        return Err(Error::cli("--list and --output may not be specified together"));
    }
    let request = cmd::set_env::Request {
        local: a.local,
        output: cmd::create_generators::parse_output(a.output.as_deref())?,
        dry_run: flags::dry_run(ctx, a.dry_run.as_deref())?,
        args: a.args,
        filenames: a.filenames,
        recursive: a.recursive,
        containers: a.containers,
        from: a.from,
        keys: a.keys,
        prefix: a.prefix,
        env: a.env,
        overwrite: a.overwrite,
        list: a.list,
        resolve: a.resolve,
        all: a.all,
        selector: a.selector,
    };
    cmd::set_env::run(ctx, request)
}

pub fn set_resources(ctx: &mut Context, a: SetResourcesArgs) -> Result<()> {
    let request = cmd::set_resources::Request {
        output: cmd::create_generators::parse_output(a.output.as_deref())?,
        local: a.local,
        dry_run: flags::dry_run(ctx, a.dry_run.as_deref())?,
        resources: a.resources,
        filenames: a.filenames,
        recursive: a.recursive,
        containers: a.containers,
        limits: a.limits,
        requests: a.requests,
    };
    cmd::set_resources::run(ctx, request)
}

pub fn auth(ctx: &mut Context, a: AuthCommand) -> Result<()> {
    match a {
        AuthCommand::CanI(c) => cmd::auth::can_i(
            ctx,
            cmd::auth::CanI {
                args: c.args,
                list: c.list,
                quiet: c.quiet,
                no_headers: c.no_headers,
                as_user: c.as_user,
                all_namespaces: c.all_namespaces,
                subresource: c.subresource.unwrap_or_default(),
            },
        ),
    }
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Display merged kubeconfig settings or a specified kubeconfig file.
    View {
        /// Remove all information not used by the current context.
        #[arg(long)]
        minify: bool,
        /// Output format: yaml (default), json, name, jsonpath, go-template (and their -file forms).
        #[arg(short = 'o', long)]
        output: Option<String>,
        /// The template for -o go-template|jsonpath (go-template when -o is not given).
        #[arg(long)]
        template: Option<String>,
        /// Show passwords and tokens as they are (not REDACTED).
        #[arg(long)]
        raw: bool,
        /// Accepted: kstate's kubeconfig holds no certificate files.
        #[arg(long)]
        flatten: bool,
    },
    /// Display the current-context.
    CurrentContext,
    /// Describe one or many contexts.
    GetContexts {
        names: Vec<String>,
        /// Output format: only `name`.
        #[arg(short = 'o', long)]
        output: Option<String>,
        #[arg(long)]
        no_headers: bool,
    },
    /// Set the current-context in a kubeconfig file.
    UseContext { name: String },
    /// Set a context entry in kubeconfig.
    SetContext {
        name: Option<String>,
        /// Modify the current context.
        #[arg(long)]
        current: bool,
        /// The context's cluster (a kstate state directory, see set-cluster).
        #[arg(long)]
        cluster: Option<String>,
        #[arg(long)]
        user: Option<String>,
    },
    /// Set a cluster entry in kubeconfig: for kstate, a state directory.
    SetCluster {
        name: String,
        /// The state directory (a path or a file:// URL).
        #[arg(long)]
        server: Option<String>,
        /// Kept in the entry: kstate reaches its state directory without a proxy.
        #[arg(long)]
        proxy_url: Option<String>,
    },
    /// Set a user entry in kubeconfig (kept: kstate's users need no credentials).
    SetCredentials {
        name: String,
        #[arg(long)]
        username: Option<String>,
        #[arg(long)]
        password: Option<String>,
        #[arg(long)]
        token: Option<String>,
        #[arg(long)]
        client_certificate: Option<String>,
        #[arg(long)]
        client_key: Option<String>,
    },
    /// Unset an individual value in a kubeconfig file (`users.foo`, `contexts.dev.namespace`).
    Unset { property: Option<String> },
}

pub fn config(ctx: &mut Context, a: ConfigCommand, kubeconfig: Option<&str>, namespace: Option<String>) -> Result<()> {
    let default_dir = ctx.state_dir.clone();
    let src = cmd::config::Source { kubeconfig, default_dir: &default_dir };
    match a {
        ConfigCommand::View { minify, output, raw, flatten, template } => {
            let output = super::flags::output_with_template(output.as_deref(), template.as_deref());
            let format = cmd::config::view_format(output.as_deref()).map_err(Error::cli)?;
            cmd::config::view(ctx, &src, cmd::config::View { minify, raw: raw || flatten, format })
        }
        ConfigCommand::CurrentContext => cmd::config::current_context(ctx, &src),
        ConfigCommand::GetContexts { names, output, no_headers } => {
            let output_name = match output.as_deref() {
                None | Some("") => false,
                Some("name") => true,
                Some(other) => return Err(Error::cli(format!("output must be one of '' or 'name': {other}"))),
            };
            cmd::config::get_contexts(ctx, &src, &names, output_name, no_headers)
        }
        ConfigCommand::UseContext { name } => cmd::config::use_context(ctx, &src, &name),
        ConfigCommand::SetContext { name, current, cluster, user } => {
            let req = cmd::config::SetContext { name, current, cluster, user, namespace };
            cmd::config::set_context(ctx, &src, req)
        }
        ConfigCommand::SetCluster { name, server, proxy_url } => {
            cmd::config::set_cluster(ctx, &src, &name, server.as_deref(), proxy_url.as_deref())
        }
        ConfigCommand::SetCredentials { name, username, password, token, client_certificate, client_key } => {
            let fields = [
                ("username", username),
                ("password", password),
                ("token", token),
                ("client-certificate", client_certificate),
                ("client-key", client_key),
            ];
            cmd::config::set_credentials(ctx, &src, &name, &fields)
        }
        ConfigCommand::Unset { property } => cmd::config::unset(ctx, &src, property.as_deref().unwrap_or("")),
    }
}

/// `kstate proxy`: kubectl proxy's flags, then the server.
pub fn proxy(ctx: &mut Context, a: super::args::ProxyArgs) -> Result<()> {
    let usage = "See 'kubectl proxy --help' for usage.";
    let port: i64 = a.port.parse().map_err(|_| {
        Error::cli(format!(
            "invalid argument \"{}\" for \"-p, --port\" flag: strconv.ParseInt: parsing \"{}\": invalid syntax\n{usage}",
            a.port, a.port
        ))
    })?;
    let port = u16::try_from(port)
        .map_err(|_| Error::cli(format!("listen tcp: address {}:{port}: invalid port", a.address)))?;
    let bool_flag = |v: &Option<String>, name: &str| -> Result<bool> {
        match v {
            None => Ok(false),
            Some(v) => flags::go_bool(v).ok_or_else(|| {
                Error::cli(format!(
                    "invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax\n{usage}"
                ))
            }),
        }
    };
    let disable_filter = bool_flag(&a.disable_filter, "disable-filter")?;
    bool_flag(&a.append_server_path, "append-server-path")?;
    if a.unix_socket.as_deref().is_some_and(|s| !s.is_empty()) {
        return Err(Error::cli("kstate proxy listens on TCP only (--unix-socket is not supported)"));
    }
    if disable_filter {
        ctx.say_err("Request filter disabled, your proxy is vulnerable to XSRF attacks, please be cautious")?;
    }
    crate::serve::proxy(
        ctx,
        crate::serve::ProxyOptions {
            address: a.address,
            port,
            api_prefix: a.api_prefix,
            www: a.www.filter(|w| !w.is_empty()).map(std::path::PathBuf::from),
            www_prefix: a.www_prefix,
            accept_hosts: a.accept_hosts,
            accept_paths: a.accept_paths,
            reject_paths: a.reject_paths,
            reject_methods: a.reject_methods,
            disable_filter,
        },
    )
}
