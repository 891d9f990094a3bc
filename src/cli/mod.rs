//! clap definitions: argv into typed requests. clap types never leave this module; `run` turns a
//! parsed command into the request of one `cmd` verb.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

mod api_args;
mod args;
mod docs_check;
mod flags;
pub mod help;
mod kustomize_arg;
mod more_args;
mod node_args;
mod record;
mod set_args;
mod suggest;

pub use api_args::{
    CreateCronJobArgs, CreatePdbArgs, EventsArgs, ExternalNameArgs, SecretDockerRegistryArgs, SecretTlsArgs,
};
pub use args::*;
pub use flags::go_bool;
pub use more_args::{
    AuthCommand, CanIArgs, ConfigCommand, DiffArgs, ReplaceArgs, SetEnvArgs, SetResourcesArgs, TopCommand,
};
pub use node_args::*;

use crate::api::subresource::Subresource;
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

    /// kubectl's connection flags, accepted so scripts run unchanged: kstate has one local cluster.
    #[command(flatten)]
    pub connection: ConnectionFlags,

    /// Record the command line in the resource's kubernetes.io/change-cause annotation (deprecated).
    #[arg(long, global = true, hide = true)]
    pub record: bool,

    /// If true, ignore errors in templates when a field or map key is missing (jsonpath and
    /// go-template output); `=false` makes a missing key an error, as kubectl's printer flags do.
    #[arg(long, global = true, hide = true, default_value = "true", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub allow_missing_template_keys: String,

    /// What `--record` asks, read off argv by [`parse`].
    #[arg(skip)]
    pub recording: record::Record,

    #[command(subcommand)]
    pub command: Command,
}

/// kubectl's global connection and logging flags. kstate talks to no server, so they are accepted
/// and have no effect.
#[derive(clap::Args, Debug, Default)]
pub struct ConnectionFlags {
    #[arg(long, global = true, hide = true)]
    pub context: Option<String>,
    #[arg(long, global = true, hide = true)]
    pub kubeconfig: Option<String>,
    #[arg(long, global = true, hide = true)]
    pub cluster: Option<String>,
    #[arg(long, global = true, hide = true)]
    pub user: Option<String>,
    #[arg(long, global = true, hide = true)]
    pub request_timeout: Option<String>,
    /// The API server's address (`-s`, `--server`; no effect).
    #[arg(short = 's', long, global = true, hide = true)]
    pub server: Option<String>,
    /// Log verbosity (no effect).
    #[arg(short = 'v', long = "v", global = true, hide = true)]
    pub verbosity: Option<String>,
}

// Deferred: a subcommand's flags are defined only when argv names it (clap builds the path it
// parses), so a short command does not build the other hundred verbs' flags first (about 40 % of
// the instructions of `get pods`). Code that walks other verbs' flags uses [`full_command`].
#[derive(Subcommand, Debug)]
#[command(defer = true)]
pub enum Command {
    /// Create resources from files or stdin.
    Create(CreateArgs),
    /// Display one or many resources.
    Get(GetArgs),
    /// Show details of a specific resource or group of resources.
    Describe(DescribeArgs),
    /// Delete resources by file names, stdin, resources and names, or by resources and label selector.
    Delete(DeleteArgs),
    /// Set a new size for a deployment, replica set, replication controller or stateful set.
    Scale(ScaleArgs),
    /// Auto-scale a deployment, replica set, stateful set or replication controller.
    Autoscale(AutoscaleArgs),
    /// Expose a deployment, replica set, replication controller, pod or service as a new service.
    Expose(ExposeArgs),
    /// Wait for a condition on one or many resources (kstate has already converged).
    Wait(WaitArgs),
    /// Execute a command in a container.
    Exec(ExecArgs),
    /// Create debugging sessions for troubleshooting workloads and nodes.
    Debug(DebugArgs),
    /// Forward one or more local ports to a pod.
    PortForward(PortForwardArgs),
    /// Run a proxy to the Kubernetes API server.
    Proxy(ProxyArgs),
    /// Apply a configuration to a resource by file name or stdin.
    Apply(ApplyArgs),
    /// Update fields of a resource.
    Patch(PatchArgs),
    /// Replace a resource by file name or stdin.
    Replace(ReplaceArgs),
    /// Diff the live version against a would-be applied version.
    Diff(DiffArgs),
    /// Inspect authorization.
    #[command(subcommand)]
    Auth(AuthCommand),
    /// Display resource (CPU/memory) usage.
    #[command(subcommand)]
    Top(TopCommand),
    /// Modify kubeconfig files: contexts, each a state directory and a default namespace.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Edit a resource on the server.
    Edit(EditArgs),
    /// Update the labels on a resource.
    Label(LabelArgs),
    /// Update the annotations on a resource.
    Annotate(LabelArgs),
    /// Set specific features on objects.
    Set(SetArgs),
    /// Manage the rollout of a resource.
    Rollout(RolloutArgs),
    /// Print the supported API resources on the server.
    ApiResources(ApiResourcesArgs),
    /// Print the client and server version information.
    Version(VersionArgs),
    /// Get documentation for a resource.
    Explain { resource: Option<String> },
    /// Output shell completion code for the specified shell (bash, zsh or fish).
    Completion { shell: Option<String> },
    /// Completion helper the shell scripts call: prints candidates for the last word.
    #[command(name = "__complete", hide = true)]
    Complete {
        #[arg(allow_hyphen_values = true, trailing_var_arg = true)]
        words: Vec<String>,
    },
    /// List events.
    Events(EventsArgs),
    /// Display cluster information.
    ClusterInfo {
        #[command(subcommand)]
        dump: Option<set_args::ClusterInfoCommand>,
    },
    /// Print the supported API versions on the server, in the form of "group/version".
    ApiVersions,
    /// Print the logs for a container in a pod.
    Logs(LogsArgs),
    /// Copy files and directories to and from containers.
    Cp(CpArgs),
    /// Run a particular image on the cluster.
    Run(RunArgs),
    /// Replay a walkthrough's commands on a fresh cluster and check the outputs it shows.
    Replay(ReplayArgs),
    /// Move cluster time forward (kstate's own): what would happen while waiting happens now.
    Advance {
        /// How long: seconds, or a Go duration such as 90s, 10m or 1h30m.
        duration: String,
    },
    /// Mark node as unschedulable.
    Cordon(CordonArgs),
    /// Mark node as schedulable.
    Uncordon(CordonArgs),
    /// Drain node in preparation for maintenance.
    Drain(DrainArgs),
    /// Update the taints on one or more nodes.
    Taint(TaintArgs),
    /// Create the cluster of the state directory from a profile (kstate's own).
    Init {
        /// ack (default), eks, gke, aks, kind, minikube or k3s.
        #[arg(long)]
        profile: Option<String>,
        /// How many nodes (default: the profile's).
        #[arg(long)]
        nodes: Option<String>,
    },
    /// Show the profile the cluster was created from (kstate's own).
    Profile {
        /// List the profiles instead.
        #[arg(long)]
        list: bool,
    },
    /// Make a node fail (its kubelet stops posting status) or recover (kstate's own).
    Node {
        /// fail or recover.
        action: String,
        name: String,
    },
    /// Show the ownership tree of an object (kstate's own, after the kubectl-tree plugin).
    Tree {
        /// The object, as KIND/NAME (statefulset/web).
        target: String,
    },
    /// Serve the Kubernetes API over HTTP on a loopback address (kstate's own), for kubectl and
    /// client libraries.
    Serve {
        /// Address to listen on; port 0 picks a free port.
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: String,
        /// Write a kubeconfig for the server into this file.
        #[arg(long = "write-kubeconfig")]
        write_kubeconfig: Option<std::path::PathBuf>,
        /// Serve HTTPS with a self-signed certificate made at start-up; the kubeconfig trusts it.
        #[arg(long)]
        tls: bool,
    },
    /// Build a kustomization target from a directory.
    Kustomize {
        /// The kustomization directory (default: the current directory).
        dir: Option<String>,
        /// If specified, write output to this path.
        #[arg(short = 'o', long)]
        output: Option<String>,
        /// Deprecated: legacy (kustomize's kind order, the default) or none (as read).
        #[arg(long)]
        reorder: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum CreateCommand {
    /// Create a namespace with the specified name.
    #[command(alias = "ns")]
    Namespace { name: String },
    /// Create a service using a specified subcommand.
    #[command(subcommand, alias = "svc")]
    Service(ServiceCommand),
    /// Create a config map from literal values or files.
    #[command(alias = "cm")]
    Configmap(DataArgs),
    /// Create a secret using a specified subcommand.
    #[command(subcommand)]
    Secret(SecretCommand),
    /// Create a deployment with the specified name.
    #[command(alias = "deploy")]
    Deployment(CreateDeploymentArgs),
    /// Create a job with the specified name.
    Job(CreateJobArgs),
    /// Create a cron job with the specified name.
    #[command(alias = "cj")]
    Cronjob(CreateCronJobArgs),
    /// Create a pod disruption budget with the specified name.
    #[command(alias = "pdb")]
    Poddisruptionbudget(CreatePdbArgs),
    /// Create a priority class with the specified name.
    #[command(alias = "pc")]
    Priorityclass(CreatePriorityClassArgs),
    /// Create a service account with the specified name.
    #[command(alias = "sa")]
    Serviceaccount {
        /// The service account's name.
        name: String,
    },
    /// Create a resource quota with the specified name, hard limits, and optional scopes.
    #[command(alias = "resourcequota")]
    Quota(api_args::CreateQuotaArgs),
    /// Request a service account token.
    Token(api_args::CreateTokenArgs),
    /// Create an ingress with the specified name.
    #[command(alias = "ing")]
    Ingress(api_args::CreateIngressArgs),
    /// Create a role with single rule.
    Role(api_args::CreateRoleArgs),
    /// Create a cluster role.
    Clusterrole(api_args::CreateClusterRoleArgs),
    /// Create a role binding for a particular role or cluster role.
    Rolebinding(api_args::CreateRoleBindingArgs),
    /// Create a cluster role binding for a particular cluster role.
    Clusterrolebinding(api_args::CreateClusterRoleBindingArgs),
}

#[derive(Subcommand, Debug)]
pub enum SecretCommand {
    /// Create a secret from literal values or files.
    Generic(DataArgs),
    /// Create a TLS secret.
    Tls(SecretTlsArgs),
    /// Create a secret for use with a Docker registry.
    DockerRegistry(SecretDockerRegistryArgs),
}

#[derive(Subcommand, Debug)]
pub enum ServiceCommand {
    /// Create a ClusterIP service.
    Clusterip(ServiceArgs),
    /// Create a NodePort service.
    Nodeport(ServiceArgs),
    /// Create a LoadBalancer service.
    Loadbalancer(ServiceArgs),
    /// Create an ExternalName service.
    Externalname(ExternalNameArgs),
}

#[derive(Subcommand, Debug)]
pub enum SetCommand {
    /// Update the image of a pod template.
    Image(SetImageArgs),
    /// Update environment variables on a pod template.
    Env(SetEnvArgs),
    /// Update resource requests/limits on objects with pod templates.
    Resources(SetResourcesArgs),
    /// Set the selector on a resource.
    Selector(set_args::SetFieldArgs),
    /// Update the service account of a resource.
    #[command(alias = "sa")]
    Serviceaccount(set_args::SetFieldArgs),
    /// Update the user, group, or service account in a role binding or cluster role binding.
    Subject(set_args::SetSubjectArgs),
}

#[derive(Subcommand, Debug)]
pub enum RolloutCommand {
    /// Show the status of the rollout.
    Status {
        #[command(flatten)]
        target: RolloutTarget,
        /// Watch the status until done (in cluster time).
        #[arg(short = 'w', long, default_value = "true", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
        watch: String,
        /// The longest wait (0: until done; kstate stops after a day of cluster time).
        #[arg(long)]
        timeout: Option<String>,
    },
    /// View rollout history.
    History {
        #[command(flatten)]
        target: RolloutTarget,
        /// Show the details of this revision.
        #[arg(long, default_value_t = 0)]
        revision: i64,
    },
    /// Undo a previous rollout.
    Undo {
        #[command(flatten)]
        target: RolloutTarget,
        /// The revision to roll back to (0: the previous one).
        #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
        to_revision: i64,
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = crate::cli::flags::DRY_RUN_BARE)]
        dry_run: Option<String>,
        /// Output format: yaml, json, name, jsonpath=..., go-template=...
        #[arg(short = 'o', long)]
        output: Option<String>,
    },
    /// Restart a resource.
    Restart {
        #[command(flatten)]
        target: RolloutTarget,
    },
    /// Mark the provided resource as paused.
    Pause {
        #[command(flatten)]
        target: RolloutTarget,
    },
    /// Resume a paused resource.
    Resume {
        #[command(flatten)]
        target: RolloutTarget,
    },
}

/// kubectl's name for a subcommand, for usage-error hints: cobra's command path (`set env`,
/// `create deployment`), skipping the values of global flags (`--state-dir DIR`, `-n NS`).
fn subcommand_name(argv: &[OsString]) -> String {
    let root = full_command();
    let mut cmd = &root;
    let mut names: Vec<String> = Vec::new();
    let mut words = argv.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(w) = words.next() {
        if w == "--" {
            break;
        }
        if w.starts_with('-') {
            let takes_value = root.get_arguments().any(|a| {
                let named = a.get_long().is_some_and(|l| w == format!("--{l}"))
                    || a.get_short().is_some_and(|c| w == format!("-{c}"));
                named && !matches!(a.get_action(), clap::ArgAction::SetTrue)
            });
            if takes_value {
                words.next();
            }
            continue;
        }
        match cmd.find_subcommand(w) {
            Some(sub) => {
                names.push(sub.get_name().to_string());
                cmd = sub;
            }
            None if names.is_empty() => return w.to_string(),
            None => break,
        }
    }
    names.join(" ")
}

/// The whole clap definition with every deferred subcommand defined, for code that walks flags
/// of commands argv has not parsed yet.
pub(crate) fn full_command() -> clap::Command {
    use clap::CommandFactory;
    let mut command = Cli::command();
    command.build();
    command
}

/// Parses argv, with kubectl's wording for the errors users hit most.
pub fn parse(argv: &[OsString]) -> std::result::Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    // Normalizing `--switch=false` and composing `--record`'s text read the flags of the
    // subcommands argv names before clap parses it: only then is every verb defined up front.
    let mut command = if flags::has_valued_long(argv) || record::asked(argv) { full_command() } else { Cli::command() };
    // `kubectl help VERB...` is `kubectl VERB... --help` (cobra's help command).
    let rewritten: Vec<OsString>;
    let argv = if argv.get(1).is_some_and(|w| w == "help") {
        rewritten = argv[..1].iter().chain(&argv[2..]).cloned().chain([OsString::from("--help")]).collect();
        &rewritten[..]
    } else {
        argv
    };
    let normalized = flags::normalize_switches(&command, argv);
    let matches = command.try_get_matches_from_mut(normalized)?;
    let mut cli = Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut command))?;
    cli.recording = record::read(&command, argv, cli.record);
    if let Command::Run(run) = &mut cli.command {
        if run.name.is_some() && !run_named_before_dash(argv) {
            run.name = None;
        }
    }
    if cli.recording.given && !record::accepted(&record::path(&matches)) {
        use clap::error::{ContextKind, ContextValue, ErrorKind};
        let mut e = clap::Error::new(ErrorKind::UnknownArgument).with_cmd(&command);
        e.insert(ContextKind::InvalidArg, ContextValue::String("--record".into()));
        return Err(e);
    }
    Ok(cli)
}

/// What argv names before `--`: the subcommand path (its first word and the leaf command) and
/// how many other words (names) stand between, flags and their values aside. cobra's
/// `ArgsLenAtDash` counts the same words.
struct Words<'a, 'c> {
    first: &'a str,
    depth: usize,
    leaf: &'c clap::Command,
    names: usize,
}

fn words_before_dash<'a, 'c>(root: &'c clap::Command, words: &[&'a str]) -> Words<'a, 'c> {
    // A flag whose value is optional (`--dry-run`, `-w`) takes one only after `=`, as pflag's.
    let takes_value = |cmd: &clap::Command, w: &str| {
        cmd.get_arguments().chain(root.get_arguments()).any(|a| {
            let named = a.get_long().is_some_and(|l| w == format!("--{l}"))
                || a.get_short().is_some_and(|c| w == format!("-{c}"));
            named && a.get_action().takes_values() && a.get_num_args().is_none_or(|n| n.min_values() > 0)
        })
    };
    let mut cmd = root;
    let (mut first, mut depth, mut names, mut i) = ("", 0, 0, 0);
    while i < words.len() {
        let w = words[i];
        i += 1;
        if w == "--" {
            break;
        }
        if w.starts_with('-') && w.len() > 1 {
            if !w.contains('=') && takes_value(cmd, w) {
                i += 1;
            }
            continue;
        }
        match cmd.find_subcommand(w) {
            Some(sub) if names == 0 => {
                if depth == 0 {
                    first = w;
                }
                depth += 1;
                cmd = sub;
            }
            _ => names += 1,
        }
    }
    Words { first, depth, leaf: cmd, names }
}

/// The number of names given to a `create` generator (`create configmap NAME`, `create secret
/// generic NAME`), which takes exactly one (`NameFromCommandArgs`). None for other commands.
fn create_names(argv: &[OsString]) -> Option<usize> {
    let root = full_command();
    let words: Vec<&str> = argv.iter().skip(1).filter_map(|a| a.to_str()).collect();
    let walk = words_before_dash(&root, &words);
    let is_generator = walk.depth >= 2 && walk.leaf.get_subcommands().next().is_none();
    // cobra checks required flags first; those errors are the command's own (needing the
    // clock for their log line), so leave them to it.
    let required: &[&str] = match walk.leaf.get_name() {
        "deployment" => &["--image"],
        "cronjob" => &["--image", "--schedule"],
        "clusterrolebinding" => &["--clusterrole"],
        "externalname" => &["--external-name"],
        _ => &[],
    };
    let given = |flag: &str| words.iter().any(|w| *w == flag || w.starts_with(&format!("{flag}=")));
    let flags_given = required.iter().all(|f| given(f));
    (is_generator && walk.first == "create" && flags_given && walk.names != 1).then_some(walk.names)
}

/// Whether `run` was given its NAME before `--`: kubectl takes no name from after it
/// (`kubectl run -- nginx` is `NAME is required for run`).
fn run_named_before_dash(argv: &[OsString]) -> bool {
    let words: Vec<&str> = argv.iter().skip(1).filter_map(|a| a.to_str()).collect();
    words_before_dash(&full_command(), &words).names > 0
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
    let stray_word = err.kind() == ErrorKind::UnknownArgument && !invalid.starts_with('-');
    if err.kind() == ErrorKind::MissingRequiredArgument || stray_word {
        if let Some(count) = create_names(argv) {
            return format!(
                "error: exactly one NAME is required, got {count}\nSee 'kubectl {sub} -h' for help and examples"
            );
        }
    }
    match err.kind() {
        ErrorKind::UnknownArgument => {
            let flag = invalid.split('=').next().unwrap_or("").to_string();
            if flag.starts_with("--") {
                format!("error: unknown flag: {flag}\n{hint}")
            } else if flag.starts_with('-') {
                let c = flag.trim_start_matches('-').chars().next().unwrap_or('?');
                format!("error: unknown shorthand flag: '{c}' in {flag}\n{hint}")
            } else {
                suggest::unknown_command(&flag)
            }
        }
        ErrorKind::InvalidSubcommand => {
            let name = match err.get(ContextKind::InvalidSubcommand) {
                Some(ContextValue::String(s)) => s.clone(),
                _ => invalid,
            };
            if name == sub {
                // An unknown root command: cobra's suggestions, as kubectl's CheckErr prints them.
                suggest::unknown_command(&name)
            } else {
                format!("error: unknown command \"{name}\" for \"kubectl\"\nRun 'kubectl --help' for usage.")
            }
        }
        // Only a switch given a value that is no Go bool gets here (see `flags`).
        ErrorKind::TooManyValues => {
            let value = match err.get(ContextKind::InvalidValue) {
                Some(ContextValue::String(s)) => s.clone(),
                _ => String::new(),
            };
            let flag = flags::pflag_name(&invalid);
            format!("error: invalid argument \"{value}\" for \"{flag}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax\n{hint}")
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let value = match err.get(ContextKind::InvalidValue) {
                Some(ContextValue::String(s)) => s.clone(),
                _ => String::new(),
            };
            let flag = invalid.split_whitespace().next().unwrap_or("").to_string();
            let flag = flag.split('=').next().unwrap_or("").to_string();
            // kstate's own path flag: clap refuses an empty path, which is no number problem.
            let problem = if flag == "--state-dir" {
                "the state directory path is empty".to_string()
            } else {
                value_problem(&value)
            };
            format!("error: invalid argument \"{value}\" for \"{flag}\" flag: {problem}\n{hint}")
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
    flags::request_timeout(cli.connection.request_timeout.as_deref())?;
    // `--namespace=` is no override: kubeconfig's namespace applies, as in clientcmd.
    if let Some(ns) = cli.namespace.filter(|n| !n.is_empty()) {
        ctx.namespace = ns;
        ctx.namespace_given = true;
    }
    if cli.recording.given {
        ctx.say_err(record::DEPRECATED)?;
    }
    ctx.change_cause = cli.recording.cause;
    let allow_missing = flags::go_bool(&cli.allow_missing_template_keys).ok_or_else(|| {
        Error::cli(format!(
            "invalid argument \"{0}\" for \"--allow-missing-template-keys\" flag: strconv.ParseBool: parsing \"{0}\": invalid syntax",
            cli.allow_missing_template_keys
        ))
    })?;
    crate::print::set_allow_missing_template_keys(allow_missing);
    match cli.command {
        Command::Create(a) if !a.unexpected.is_empty() && a.generator.is_none() => {
            Err(unexpected_args("create", &a.unexpected))
        }
        Command::Create(a) => {
            let output = flags::output_with_template(a.output.as_deref(), a.template.as_deref());
            let output = cmd::create_generators::parse_output(output.as_deref())?;
            let dry_run = flags::dry_run(ctx, a.dry_run.as_deref())?;
            let validation = flags::field_validation(&a.validate)?;
            let Some(g) = a.generator else {
                let filenames = kustomize_arg::filenames(ctx, a.filenames, a.kustomize, a.recursive)?;
                if a.edit {
                    let crlf = a.windows_line_endings;
                    let recursive = a.recursive;
                    let req = cmd::create_edit::Request { filenames, recursive, dry_run, validation, output, crlf };
                    return cmd::create_edit::run(ctx, req);
                }
                let req = cmd::create::Request {
                    filenames,
                    recursive: a.recursive,
                    output,
                    dry_run,
                    validation,
                    selector: match a.selector.as_deref().filter(|s| !s.is_empty()) {
                        Some(s) => Some(crate::api::selector::Selector::parse(s).map_err(Error::cli)?),
                        None => None,
                    },
                    save_config: a.save_config,
                };
                return cmd::create::run(ctx, req);
            };
            use cmd::create_generators::Generator;
            let flags = api_args::CreateFlags { output: output.clone(), dry_run, save_config: a.save_config };
            let generator = match g {
                CreateCommand::Cronjob(c) => return api_args::create_cronjob(ctx, c, flags),
                CreateCommand::Poddisruptionbudget(p) => return api_args::create_pdb(ctx, p, flags),
                CreateCommand::Serviceaccount { name } => {
                    return api_args::create_core(ctx, cmd::create_core::Generator::ServiceAccount { name }, flags)
                }
                CreateCommand::Quota(q) => return api_args::create_quota(ctx, q, flags),
                CreateCommand::Token(t) => return api_args::create_token(ctx, t, flags),
                CreateCommand::Ingress(i) => return api_args::create_ingress(ctx, i, flags),
                CreateCommand::Role(r) => return api_args::create_role(ctx, r, flags),
                CreateCommand::Clusterrole(r) => return api_args::create_cluster_role(ctx, r, flags),
                CreateCommand::Rolebinding(b) => return api_args::create_role_binding(ctx, b, flags),
                CreateCommand::Clusterrolebinding(b) => return api_args::create_cluster_role_binding(ctx, b, flags),
                CreateCommand::Secret(SecretCommand::Tls(t)) => return api_args::create_tls(ctx, t, flags),
                CreateCommand::Secret(SecretCommand::DockerRegistry(d)) => {
                    return api_args::create_docker_registry(ctx, d, flags)
                }
                CreateCommand::Service(ServiceCommand::Externalname(e)) => {
                    return api_args::create_external_name(ctx, e, flags)
                }
                CreateCommand::Namespace { name } => Generator::Namespace { name },
                CreateCommand::Configmap(d) if d.secret_type.is_some() => {
                    return Err(Error::Raw(
                        "Error: unknown flag: --type\nSee 'kubectl create configmap --help' for usage.".into(),
                    ))
                }
                CreateCommand::Configmap(d) => Generator::Data {
                    secret: None,
                    name: d.name,
                    literals: d.from_literal,
                    files: d.from_file,
                    env_files: d.from_env_file,
                },
                CreateCommand::Secret(SecretCommand::Generic(d)) => Generator::Data {
                    secret: Some(d.secret_type.unwrap_or_default()),
                    name: d.name,
                    literals: d.from_literal,
                    files: d.from_file,
                    env_files: d.from_env_file,
                },
                CreateCommand::Deployment(d) if d.image.is_empty() => return Err(ctx.required_flags(&["image"])),
                CreateCommand::Deployment(d) => Generator::Deployment {
                    name: d.name,
                    images: d.image,
                    replicas: d.replicas,
                    port: d.port,
                    command: d.command,
                },
                CreateCommand::Job(j) => Generator::Job {
                    name: j.name,
                    image: j.image.unwrap_or_default(),
                    from: j.from,
                    command: j.command,
                },
                CreateCommand::Priorityclass(p) => Generator::PriorityClass {
                    name: p.name,
                    value: p.value,
                    global_default: p.global_default,
                    description: p.description,
                    preemption_policy: p.preemption_policy,
                },
                CreateCommand::Service(s) => {
                    let (kind, s) = match s {
                        ServiceCommand::Clusterip(s) => ("clusterip", s),
                        ServiceCommand::Nodeport(s) => ("nodeport", s),
                        ServiceCommand::Loadbalancer(s) => ("loadbalancer", s),
                        ServiceCommand::Externalname(e) => return api_args::create_external_name(ctx, e, flags),
                    };
                    Generator::Service {
                        kind: kind.into(),
                        name: s.name,
                        tcp: s.tcp,
                        cluster_ip: s.cluster_ip,
                        node_port: s.node_port,
                    }
                }
            };
            cmd::create_generators::run(
                ctx,
                cmd::create_generators::Request { generator, dry_run, output, save_config: a.save_config },
            )
        }
        Command::Get(a) if a.raw.as_deref().is_some_and(|r| !r.is_empty()) => api_args::get_raw(ctx, a),
        Command::Get(a) => {
            let _ = (a.chunk_size, &a.server_print);
            // The global flag, read and checked before the verb runs.
            let allow_missing_template_keys = crate::print::allow_missing_template_keys();
            let output = flags::output_with_template(a.output.as_deref(), a.template.as_deref());
            let output = OutputFormat::parse(output.as_deref()).map_err(Error::cli)?;
            let filenames = kustomize_arg::filenames(ctx, a.filenames, a.kustomize, a.recursive)?;
            cmd::get::run(
                ctx,
                cmd::get::Request {
                    resources: a.resources,
                    filenames,
                    recursive: a.recursive,
                    ignore_not_found: a.ignore_not_found,
                    show_managed_fields: a.show_managed_fields,
                    output,
                    selector: a.selector,
                    field_selector: a.field_selector,
                    sort_by: a.sort_by.filter(|s| !s.is_empty()),
                    all_namespaces: a.all_namespaces,
                    no_headers: a.no_headers,
                    show_labels: a.show_labels,
                    label_columns: a.label_columns,
                    watch: a.watch,
                    watch_only: a.watch_only,
                    output_watch_events: a.output_watch_events,
                    subresource: Subresource::parse(a.subresource.as_deref()).map_err(Error::cli)?,
                    allow_missing_template_keys,
                },
            )
        }
        Command::Describe(a) => {
            let show_events = flags::go_bool(&a.show_events).ok_or_else(|| {
                Error::cli(format!(
                    "invalid argument \"{0}\" for \"--show-events\" flag: strconv.ParseBool: parsing \"{0}\": invalid syntax",
                    a.show_events
                ))
            })?;
            let _ = a.chunk_size;
            let filenames = kustomize_arg::filenames(ctx, a.filenames, a.kustomize, a.recursive)?;
            cmd::describe::run(
                ctx,
                cmd::describe::Request {
                    resources: a.resources,
                    filenames,
                    recursive: a.recursive,
                    selector: a.selector,
                    all_namespaces: a.all_namespaces,
                    show_events,
                },
            )
        }
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
            let dry_run = flags::dry_run(ctx, a.dry_run.as_deref())?;
            let filenames = kustomize_arg::filenames(ctx, a.filenames, a.kustomize, a.recursive)?;
            cmd::delete::run(
                ctx,
                cmd::delete::Request {
                    resources: a.resources,
                    filenames,
                    recursive: a.recursive,
                    selector: a.selector,
                    all: a.all,
                    all_namespaces: a.all_namespaces,
                    cascade,
                    grace_period: if a.now && a.grace_period < 0 { 1 } else { a.grace_period },
                    force: a.force,
                    ignore_not_found: a.ignore_not_found,
                    output_name: output_name(a.output.as_deref(), "delete")?,
                    wait: a.wait.unwrap_or(true),
                    timeout: a.timeout.as_deref().and_then(crate::clock::parse_duration),
                    dry_run,
                },
            )
        }
        Command::Autoscale(a) => {
            let output = cmd::create_generators::parse_output(a.output.as_deref())?;
            let dry_run = flags::dry_run(ctx, a.dry_run.as_deref())?;
            cmd::autoscale::run(
                ctx,
                cmd::autoscale::Request {
                    resources: a.resources,
                    filenames: a.filenames,
                    name: a.name,
                    min: a.min,
                    max: a.max,
                    cpu_percent: a.cpu_percent,
                    save_config: a.save_config,
                    dry_run,
                    output,
                },
            )
        }
        Command::Expose(a) => {
            let output = cmd::create_generators::parse_output(a.output.as_deref())?;
            let dry_run = flags::dry_run(ctx, a.dry_run.as_deref())?;
            cmd::expose::run(
                ctx,
                cmd::expose::Request {
                    resources: a.resources,
                    port: a.port,
                    target_port: a.target_port,
                    protocol: a.protocol,
                    service_type: a.service_type,
                    name: a.name,
                    filenames: a.filenames,
                    selector: a.selector,
                    overrides: a.overrides,
                    save_config: a.save_config,
                    dry_run,
                    output,
                },
            )
        }
        Command::Scale(a) => {
            let dry_run = flags::dry_run(ctx, a.dry_run.as_deref())?;
            // pflag parses the duration even though kstate has nothing to wait for.
            if let Some(t) = a.timeout.as_deref().filter(|t| crate::clock::parse_duration(t).is_none()) {
                return Err(Error::Raw(format!(
                    "error: invalid argument \"{t}\" for \"--timeout\" flag: time: invalid duration \"{t}\"\nSee 'kubectl scale --help' for usage."
                )));
            }
            cmd::scale::run(
                ctx,
                cmd::scale::Request {
                    dry_run,
                    resources: a.resources,
                    replicas: a.replicas,
                    filenames: a.filenames,
                    current_replicas: a.current_replicas,
                    all: a.all,
                    selector: a.selector,
                    output: cmd::create_generators::parse_output(a.output.as_deref())?,
                },
            )
        }
        Command::Wait(a) => {
            let resources = match a.filenames.is_empty() {
                true => a.resources,
                false if !a.resources.is_empty() => return Err(Error::cli(
                    "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well",
                )),
                false => cmd::get::file_targets(ctx, &a.filenames, a.recursive)?,
            };
            cmd::wait::run(
                ctx,
                cmd::wait::Request {
                    resources,
                    selector: a.selector,
                    all: a.all,
                    condition: a.condition,
                    timeout: match a.timeout.as_deref() {
                        None => 30,
                        // A negative timeout waits "forever": a week of cluster time here.
                        Some(t) if t.starts_with('-') => 7 * 86_400,
                        Some(t) => crate::clock::parse_duration(t).ok_or_else(|| {
                            Error::cli(format!(
                                "invalid argument \"{t}\" for \"--timeout\" flag: time: invalid duration \"{t}\""
                            ))
                        })?,
                    },
                },
            )
        }
        Command::ApiResources(a) => cmd::api_resources::run(
            ctx,
            cmd::api_resources::Request {
                output: a.output,
                namespaced: a.namespaced,
                api_group: a.api_group,
                no_headers: a.no_headers,
                verbs: a.verbs,
                categories: a.categories,
                sort_by: a.sort_by,
            },
        ),
        Command::Version(a) => cmd::version::run(ctx, cmd::version::Request { client: a.client, output: a.output }),
        Command::Explain { resource } => cmd::explain::run(ctx, cmd::explain::Request { resource }),
        Command::Completion { shell } => cmd::completion::script(ctx, shell.as_deref()),
        Command::Complete { words } => cmd::completion::complete(ctx, words),
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
        Command::PortForward(a) => {
            cmd::port_forward::run(ctx, cmd::port_forward::Request { args: a.args, address: a.address })
        }
        Command::Proxy(a) => more_args::proxy(ctx, a),
        Command::Debug(a) => cmd::debug::run(
            ctx,
            cmd::debug::Request {
                names: a.target,
                args: a.command,
                args_only: a.arguments_only,
                attach: a.attach,
                container: a.container,
                copy_to: a.copy_to,
                replace: a.replace,
                env: a.env,
                image: a.image,
                keep: cmd::debug::Keep {
                    labels: a.keep_labels,
                    annotations: a.keep_annotations,
                    liveness: a.keep_liveness,
                    readiness: a.keep_readiness,
                    startup: a.keep_startup,
                    init_containers: a.keep_init_containers.as_deref().and_then(go_bool).unwrap_or(true),
                },
                set_image: a.set_image,
                pull_policy: a.image_pull_policy,
                stdin: a.stdin,
                quiet: a.quiet,
                same_node: a.same_node,
                share_processes: a.share_processes,
                target: a.target_container,
                tty: a.tty,
                profile: a.profile,
                custom: a.custom,
                filenames: a.filenames,
            },
        ),
        Command::Apply(a) if a.last_applied.is_some() => api_args::last_applied(ctx, a),
        Command::Apply(a) if !a.unexpected.is_empty() => Err(unexpected_args("apply", &a.unexpected)),
        Command::Apply(a) => {
            let (selector, prune) = api_args::prune(&a)?;
            let dry_run = flags::dry_run(ctx, a.dry_run.as_deref())?;
            let validation = flags::field_validation(&a.validate)?;
            if a.force_conflicts && !a.server_side {
                return Err(Error::cli("--force-conflicts only works with --server-side"));
            }
            if a.server_side && dry_run == cmd::dry_run::DryRun::Client {
                return Err(Error::cli(
                    "--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)",
                ));
            }
            let server_side = a.server_side.then(|| cmd::apply::ServerSide {
                manager: a.field_manager.clone().unwrap_or_else(|| "kubectl".into()),
                force: a.force_conflicts,
            });
            let filenames = kustomize_arg::filenames(ctx, a.filenames, a.kustomize, a.recursive)?;
            cmd::apply::run(
                ctx,
                cmd::apply::Request {
                    filenames,
                    recursive: a.recursive,
                    output_name: a.output.as_deref() == Some("name"),
                    print: match a.output.as_deref() {
                        Some("name") => None,
                        o => cmd::create_generators::parse_output(o)?,
                    },
                    dry_run,
                    validation,
                    server_side,
                    field_manager: a.field_manager,
                    selector,
                    prune,
                    force: a.force,
                },
            )
        }
        Command::Patch(a) if a.local => {
            let output = cmd::create_generators::parse_output(a.output.as_deref())?;
            let req = patch_request(a, output, cmd::dry_run::DryRun::None, None);
            cmd::patch::run_local(ctx, req)
        }
        Command::Patch(a) => {
            let dry_run = flags::dry_run(ctx, a.dry_run.as_deref())?;
            let output = cmd::create_generators::parse_output(a.output.as_deref())?;
            let subresource = Subresource::parse(a.subresource.as_deref()).map_err(Error::cli)?;
            cmd::patch::run(ctx, patch_request(a, output, dry_run, subresource))
        }
        Command::Edit(a) => cmd::edit::run(
            ctx,
            cmd::edit::Request {
                resources: a.resources,
                filenames: a.filenames,
                recursive: a.recursive,
                json: a.output.as_deref() == Some("json"),
                output_name: a.output.as_deref() == Some("name"),
                output_patch: a.output_patch,
                windows_line_endings: a.windows_line_endings,
                save_config: a.save_config,
            },
        ),
        Command::Label(a) if a.local => label_local(ctx, a, cmd::label::Which::Labels),
        Command::Annotate(a) if a.local => label_local(ctx, a, cmd::label::Which::Annotations),
        Command::Label(a) => {
            let req = label_request(ctx, a, cmd::label::Which::Labels)?;
            cmd::label::run(ctx, req)
        }
        Command::Annotate(a) => {
            let req = label_request(ctx, a, cmd::label::Which::Annotations)?;
            cmd::annotate::run(ctx, req)
        }
        Command::Set(SetArgs { command: SetCommand::Env(a) }) => more_args::set_env(ctx, a),
        Command::Set(SetArgs { command: SetCommand::Resources(a) }) => more_args::set_resources(ctx, a),
        Command::Set(SetArgs { command: SetCommand::Selector(a) }) => set_args::set_selector(ctx, a),
        Command::Set(SetArgs { command: SetCommand::Serviceaccount(a) }) => set_args::set_serviceaccount(ctx, a),
        Command::Set(SetArgs { command: SetCommand::Subject(a) }) => set_args::set_subject(ctx, a),
        Command::Set(SetArgs { command: SetCommand::Image(a) }) => {
            let dry_run = flags::dry_run(ctx, a.dry_run.as_deref())?;
            cmd::set_image::run(
                ctx,
                cmd::set_image::Request {
                    args: a.args,
                    all: a.all,
                    filenames: a.filenames,
                    recursive: a.recursive,
                    local: a.local,
                    output: cmd::create_generators::parse_output(a.output.as_deref())?,
                    dry_run,
                },
            )
        }
        Command::Rollout(a) => {
            use cmd::rollout::Action;
            let (action, t) = match a.command {
                RolloutCommand::Status { target, watch, timeout } => {
                    let watch = flags::go_bool(&watch).ok_or_else(|| {
                        Error::cli(format!(
                            "invalid argument \"{watch}\" for \"-w, --watch\" flag: strconv.ParseBool: parsing \"{watch}\": invalid syntax"
                        ))
                    })?;
                    let timeout = match timeout.as_deref() {
                        None | Some("0") | Some("0s") => 86_400,
                        Some(t) => crate::clock::parse_duration(t).ok_or_else(|| {
                            Error::cli(format!(
                                "invalid argument \"{t}\" for \"--timeout\" flag: time: invalid duration \"{t}\""
                            ))
                        })?,
                    };
                    (Action::Status { watch, timeout }, target)
                }
                RolloutCommand::History { target, revision } => (Action::History { revision }, target),
                RolloutCommand::Undo { target, to_revision, dry_run, output } => {
                    let dry_run = flags::dry_run(ctx, dry_run.as_deref())?;
                    let output = cmd::create_generators::parse_output(output.as_deref())?;
                    (Action::Undo { to_revision, dry_run, output }, target)
                }
                RolloutCommand::Restart { target } => (Action::Restart, target),
                RolloutCommand::Pause { target } => (Action::Pause, target),
                RolloutCommand::Resume { target } => (Action::Resume, target),
            };
            cmd::rollout::run(
                ctx,
                cmd::rollout::Request {
                    action,
                    resources: t.resources,
                    filenames: t.filenames,
                    recursive: t.recursive,
                },
            )
        }
        Command::Logs(a) => cmd::logs::run(
            ctx,
            cmd::logs::Request {
                pod: a.target,
                container: a.container,
                tail: a.tail,
                previous: a.previous,
                follow: a.follow,
                timestamps: a.timestamps,
                since: match &a.since {
                    Some(d) => Some(crate::clock::parse_duration(d).ok_or_else(|| {
                        Error::cli(format!(
                            "invalid argument \"{d}\" for \"--since\" flag: time: invalid duration \"{d}\""
                        ))
                    })?),
                    None => None,
                },
                selector: a.selector,
                all_containers: a.all_containers,
                prefix: a.prefix,
                since_time: a.since_time,
                limit_bytes: a.limit_bytes,
            },
        ),
        Command::Cp(a) => {
            let _ = (a.no_preserve, a.retries);
            let mut paths = a.paths.into_iter();
            match (paths.next(), paths.next(), paths.next()) {
                (Some(src), Some(dest), None) => {
                    cmd::cp::run(ctx, cmd::cp::Request { src, dest, container: a.container })
                }
                _ => Err(Error::cli("source and destination are required")),
            }
        }
        Command::Run(a) => {
            let dry_run = flags::dry_run(ctx, a.dry_run.as_deref())?;
            let output = cmd::create_generators::parse_output(a.output.as_deref())?;
            cmd::run::run(
                ctx,
                cmd::run::Request {
                    dry_run,
                    output,
                    name: a.name,
                    image: a.image,
                    restart: a.restart,
                    stdin: a.stdin,
                    tty: a.tty,
                    rm: a.rm,
                    command: a.command,
                    labels: a.labels,
                    env: a.env,
                    port: a.port,
                    args: a.args,
                    quiet: a.quiet,
                    expose: a.expose,
                    save_config: a.save_config,
                },
            )
        }
        Command::Events(a) => api_args::events(ctx, a),
        Command::ClusterInfo { dump: None } => cmd::cluster_info::cluster_info(ctx),
        Command::ClusterInfo { dump: Some(d) } => set_args::cluster_info_dump(ctx, d),
        Command::ApiVersions => cmd::cluster_info::api_versions(ctx),
        Command::Advance { duration } => cmd::advance::run(ctx, &duration),
        Command::Cordon(a) => cordon(ctx, a, true),
        Command::Uncordon(a) => cordon(ctx, a, false),
        Command::Drain(a) => drain(ctx, a),
        Command::Taint(a) => {
            let dry_run = flags::dry_run(ctx, a.dry_run.as_deref())?;
            let request =
                cmd::taint::Request { args: a.args, selector: a.selector, all: a.all, overwrite: a.overwrite, dry_run };
            cmd::taint::run(ctx, request)
        }
        Command::Init { profile, nodes } => cmd::init::init(ctx, profile.as_deref(), nodes.as_deref()),
        Command::Profile { list } => cmd::init::show(ctx, list),
        Command::Replace(a) => more_args::replace(ctx, a),
        Command::Diff(a) => more_args::diff(ctx, a),
        Command::Auth(a) => more_args::auth(ctx, a),
        Command::Top(a) => more_args::top(ctx, a),
        Command::Config(a) => {
            let namespace = ctx.namespace_given.then(|| ctx.namespace.clone());
            more_args::config(ctx, a, cli.connection.kubeconfig.as_deref(), namespace)
        }
        Command::Node { action, name } => cmd::node::run(ctx, &action, &name),
        Command::Tree { target } => cmd::tree::run(ctx, &target),
        Command::Serve { listen, write_kubeconfig, tls } => {
            crate::serve::run(ctx, crate::serve::Options { listen, kubeconfig: write_kubeconfig, tls })
        }
        Command::Kustomize { dir, output, reorder } => cmd::kustomize::run(
            ctx,
            cmd::kustomize::Request { dir: dir.unwrap_or_else(|| ".".into()), output, reorder },
        ),
        Command::Replay(a) => cmd::replay::run(
            ctx,
            cmd::replay::Request {
                files: a.files,
                state_dir: cli.state_dir,
                strict: a.strict,
                format: cmd::replay::Format::parse(&a.format),
                update: a.update,
                kubectl: a.kubectl,
                context: cli.connection.context,
                converge: std::time::Duration::from_secs(a.converge_timeout),
                examples: a.examples,
                mirror: a.mirror,
            },
        ),
    }
}

fn label_request(ctx: &mut Context, a: LabelArgs, which: cmd::label::Which) -> Result<cmd::label::Request> {
    if a.list && a.output.as_deref().is_some_and(|o| !o.is_empty()) {
        return Err(Error::cli("--list and --output may not be specified together"));
    }
    Ok(cmd::label::Request {
        list: a.list,
        which,
        args: a.args,
        filenames: a.filenames,
        recursive: a.recursive,
        overwrite: a.overwrite,
        all: a.all,
        selector: a.selector,
        output: cmd::create_generators::parse_output(a.output.as_deref())?,
        dry_run: flags::dry_run(ctx, a.dry_run.as_deref())?,
        resource_version: a.resource_version.filter(|v| !v.is_empty()),
        field_manager: a.field_manager.filter(|m| !m.is_empty()),
    })
}

/// `label|annotate --local`: the changed manifests, printed as `-o` asks.
fn label_local(ctx: &mut Context, a: LabelArgs, which: cmd::label::Which) -> Result<()> {
    let req = label_request(ctx, a, which)?;
    cmd::label::run_local(ctx, req)
}

/// The patch request of `patch` and `patch --local`, which differ in output, dry run and
/// subresource only.
fn patch_request(
    a: args::PatchArgs,
    output: Option<crate::print::OutputFormat>,
    dry_run: cmd::dry_run::DryRun,
    subresource: Option<Subresource>,
) -> cmd::patch::Request {
    cmd::patch::Request {
        resources: a.resources,
        filenames: a.filenames,
        recursive: a.recursive,
        patch: a.patch,
        patch_file: a.patch_file,
        patch_type: a.patch_type,
        output,
        dry_run,
        subresource,
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

fn cordon(ctx: &mut Context, a: CordonArgs, cordon: bool) -> Result<()> {
    let dry_run = cmd::cordon::DryRun::parse(a.dry_run.as_deref())?;
    cmd::cordon::run(ctx, cmd::cordon::Request { nodes: a.nodes, selector: a.selector, cordon, dry_run })
}

fn drain(ctx: &mut Context, a: DrainArgs) -> Result<()> {
    let dry_run = cmd::cordon::DryRun::parse(a.dry_run.as_deref())?;
    let timeout = crate::clock::parse_duration(&a.timeout).ok_or_else(|| {
        Error::cli(format!(
            "invalid argument {:?} for \"--timeout\" flag: time: invalid duration {:?}",
            a.timeout, a.timeout
        ))
    })?;
    cmd::drain::run(
        ctx,
        cmd::drain::Request {
            nodes: a.nodes,
            selector: a.selector,
            pod_selector: a.pod_selector,
            force: a.force,
            ignore_daemonsets: a.ignore_daemonsets,
            delete_emptydir_data: a.delete_emptydir_data,
            disable_eviction: a.disable_eviction,
            grace_period: a.grace_period,
            timeout,
            dry_run,
        },
    )
}

/// kubectl's usage error for positional arguments a command takes none of (`apply`, `create -f`,
/// `diff`): `Unexpected args: [a b]`, Go's `%v` of the slice.
pub(crate) fn unexpected_args(cmd: &str, args: &[String]) -> Error {
    Error::Usage { cmd: cmd.to_string(), msg: format!("Unexpected args: [{}]", args.join(" ")) }
}
