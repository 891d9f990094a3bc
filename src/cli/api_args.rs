//! Arguments of `events` and `get --raw`-style reads, and their translation into requests.

use clap::Args;

use crate::cmd::dry_run::DryRun;
use crate::cmd::{self, Context};
use crate::print::OutputFormat;
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
    let output = super::flags::output_with_template(a.output.as_deref(), a.template.as_deref());
    let output = cmd::create_generators::parse_output(output.as_deref())?;
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

#[derive(Args, Debug)]
pub struct CreateCronJobArgs {
    /// The cron job's name.
    pub name: String,
    /// Image name to run.
    #[arg(long)]
    pub image: Option<String>,
    /// A schedule in the Cron format the job should be run with.
    #[arg(long)]
    pub schedule: Option<String>,
    /// Job's restart policy: OnFailure (default) or Never.
    #[arg(long)]
    pub restart: Option<String>,
    /// The command after `--`.
    #[arg(last = true)]
    pub command: Vec<String>,
}

#[derive(Args, Debug)]
pub struct CreatePdbArgs {
    /// The budget's name.
    pub name: String,
    /// A label selector to use for this budget.
    #[arg(long)]
    pub selector: Option<String>,
    /// The minimum number or percentage of available pods this budget requires.
    #[arg(long)]
    pub min_available: Option<String>,
    /// The maximum number or percentage of unavailable pods this budget requires.
    #[arg(long)]
    pub max_unavailable: Option<String>,
}

#[derive(Args, Debug)]
pub struct SecretTlsArgs {
    /// The secret's name.
    pub name: String,
    /// Path to PEM encoded public key certificate.
    #[arg(long)]
    pub cert: Option<String>,
    /// Path to private key associated with given certificate.
    #[arg(long)]
    pub key: Option<String>,
}

#[derive(Args, Debug)]
pub struct SecretDockerRegistryArgs {
    /// The secret's name.
    pub name: String,
    /// Server location for Docker registry.
    #[arg(long, default_value = "https://index.docker.io/v1/")]
    pub docker_server: String,
    /// Username for Docker registry authentication.
    #[arg(long)]
    pub docker_username: Option<String>,
    /// Password for Docker registry authentication.
    #[arg(long)]
    pub docker_password: Option<String>,
    /// Email for Docker registry.
    #[arg(long)]
    pub docker_email: Option<String>,
    /// Key files (`[KEY=]PATH`; the key defaults to .dockerconfigjson). Repeatable.
    #[arg(long)]
    pub from_file: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ExternalNameArgs {
    /// The service's name.
    pub name: String,
    /// External name of service.
    #[arg(long)]
    pub external_name: Option<String>,
    /// Port pairs PORT[:TARGET], repeatable or comma-separated.
    #[arg(long)]
    pub tcp: Vec<String>,
}

/// Runs one generator of `cmd::create_more`.
/// How `create` runs a generator: its `-o`, `--dry-run` and `--save-config`.
pub struct CreateFlags {
    pub output: Option<OutputFormat>,
    pub dry_run: DryRun,
    pub save_config: bool,
}

fn create_more(ctx: &mut Context, generator: More, f: CreateFlags) -> Result<()> {
    cmd::create_more::run(ctx, generator, f.dry_run, f.output, f.save_config)
}

use cmd::create_more::Generator as More;

pub fn create_cronjob(ctx: &mut Context, c: CreateCronJobArgs, f: CreateFlags) -> Result<()> {
    let g =
        More::CronJob { name: c.name, image: c.image, schedule: c.schedule, restart: c.restart, command: c.command };
    create_more(ctx, g, f)
}

pub fn create_pdb(ctx: &mut Context, p: CreatePdbArgs, f: CreateFlags) -> Result<()> {
    let g = More::Pdb {
        name: p.name,
        selector: p.selector,
        min_available: p.min_available,
        max_unavailable: p.max_unavailable,
    };
    create_more(ctx, g, f)
}

pub fn create_tls(ctx: &mut Context, t: SecretTlsArgs, f: CreateFlags) -> Result<()> {
    create_more(ctx, More::SecretTls { name: t.name, cert: t.cert, key: t.key }, f)
}

pub fn create_docker_registry(ctx: &mut Context, r: SecretDockerRegistryArgs, f: CreateFlags) -> Result<()> {
    let g = More::SecretDockerRegistry {
        name: r.name,
        server: r.docker_server,
        username: r.docker_username,
        password: r.docker_password,
        email: r.docker_email,
        files: r.from_file,
    };
    create_more(ctx, g, f)
}

pub fn create_external_name(ctx: &mut Context, e: ExternalNameArgs, f: CreateFlags) -> Result<()> {
    create_more(ctx, More::ExternalName { name: e.name, external_name: e.external_name, tcp: e.tcp }, f)
}

/// `apply view-last-applied|set-last-applied|edit-last-applied`.
#[derive(clap::Subcommand, Debug)]
// The variants are kubectl's subcommand names (`view-last-applied`, `edit-last-applied`, ...).
#[allow(clippy::enum_variant_names)]
pub enum LastAppliedCommand {
    /// View the latest last-applied-configuration annotations of a resource/object.
    ViewLastApplied {
        /// TYPE NAME or TYPE/NAME
        resources: Vec<String>,
        /// Output format: yaml (default) or json.
        #[arg(short = 'o', long, default_value = "yaml")]
        output: String,
        /// Label selector.
        #[arg(short = 'l', long)]
        selector: Option<String>,
        /// Select all resources in the namespace of the specified resource types.
        #[arg(long)]
        all: bool,
        /// Files naming the objects.
        #[arg(short = 'f', long = "filename")]
        filenames: Vec<String>,
        #[arg(short = 'R', long)]
        recursive: bool,
    },
    /// Set the last-applied-configuration annotation on a live object to match the contents of a file.
    SetLastApplied {
        #[arg(short = 'f', long = "filename")]
        filenames: Vec<String>,
        #[arg(short = 'R', long)]
        recursive: bool,
        /// Create the annotation when the object has none.
        #[arg(long)]
        create_annotation: bool,
        /// Output format (only `name`).
        #[arg(short = 'o', long)]
        output: Option<String>,
        /// none, client or server.
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = crate::cli::flags::DRY_RUN_BARE)]
        dry_run: Option<String>,
    },
    /// Edit latest last-applied-configuration annotations of a resource/object.
    EditLastApplied {
        /// TYPE NAME or TYPE/NAME
        resources: Vec<String>,
        #[arg(short = 'f', long = "filename")]
        filenames: Vec<String>,
        #[arg(short = 'R', long)]
        recursive: bool,
        /// yaml (default) or json: the format to edit in; name prints only the names.
        #[arg(short = 'o', long)]
        output: Option<String>,
        /// Write the file to edit with Windows line endings.
        #[arg(long)]
        windows_line_endings: bool,
        /// The field manager of the update (default kubectl-client-side-apply).
        #[arg(long)]
        field_manager: Option<String>,
    },
}

pub fn last_applied(ctx: &mut Context, a: super::ApplyArgs) -> Result<()> {
    match a.last_applied {
        Some(LastAppliedCommand::ViewLastApplied { resources, output, selector, all, filenames, recursive }) => {
            cmd::last_applied::view(
                ctx,
                cmd::last_applied::ViewRequest {
                    resources,
                    json: output == "json",
                    output,
                    selector,
                    all,
                    filenames,
                    recursive,
                },
            )
        }
        Some(LastAppliedCommand::SetLastApplied { filenames, recursive, create_annotation, output, dry_run }) => {
            let dry_run = super::flags::dry_run(ctx, dry_run.as_deref())?;
            cmd::last_applied::set(
                ctx,
                cmd::last_applied::SetRequest {
                    filenames,
                    recursive,
                    create_annotation,
                    output_name: output.as_deref() == Some("name"),
                    dry_run,
                },
            )
        }
        Some(LastAppliedCommand::EditLastApplied {
            resources,
            filenames,
            recursive,
            output,
            windows_line_endings,
            field_manager,
        }) => cmd::edit_last_applied::run(
            ctx,
            cmd::edit_last_applied::Request {
                resources,
                filenames,
                recursive,
                json: output.as_deref() == Some("json"),
                output_name: output.as_deref() == Some("name"),
                crlf: windows_line_endings,
                field_manager,
            },
        ),
        None => Ok(()),
    }
}

/// `apply -l`, `--prune`, `--all`, `--prune-allowlist`, checked as kubectl checks them.
pub fn prune(a: &super::ApplyArgs) -> Result<(Option<crate::api::selector::Selector>, Option<cmd::apply::Prune>)> {
    let selector = match a.selector.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(crate::api::selector::Selector::parse(s).map_err(Error::cli)?),
        None => None,
    };
    if a.all && selector.is_some() {
        return Err(Error::cli("cannot set --all and --selector at the same time"));
    }
    if !a.prune {
        return Ok((selector, None));
    }
    if !a.all && selector.is_none() {
        return Err(Error::cli("all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector"));
    }
    let mut allowlist = Vec::new();
    for gvk in &a.prune_allowlist {
        let parts: Vec<&str> = gvk.split('/').collect();
        let [group, version, kind] = parts.as_slice() else {
            return Err(Error::cli(format!(
                "invalid GroupVersionKind format: {gvk}, please follow <group/version/kind>"
            )));
        };
        let group = if *group == "core" { "" } else { *group };
        let found = crate::api::kinds::by_kind(kind).filter(|k| k.group == group && k.version == *version);
        let k = found.ok_or_else(|| {
            Error::cli(format!(
                "no matches for kind \"{kind}\" in version \"{}\"",
                if group.is_empty() { version.to_string() } else { format!("{group}/{version}") }
            ))
        })?;
        allowlist.push(k);
    }
    Ok((selector, Some(cmd::apply::Prune { allowlist })))
}

#[derive(Args, Debug)]
pub struct CreateQuotaArgs {
    /// The quota's name.
    pub name: String,
    /// A comma-delimited set of resource=quantity pairs that define a hard limit.
    #[arg(long, default_value = "")]
    pub hard: String,
    /// A comma-delimited set of quota scopes that must all match each object tracked by the quota.
    #[arg(long, default_value = "")]
    pub scopes: String,
}

#[derive(Args, Debug)]
pub struct CreateTokenArgs {
    /// The service account's name.
    pub name: String,
    /// Requested lifetime of the issued token (a Go duration; 0: the server's default, an hour).
    #[arg(long, default_value = "0s")]
    pub duration: String,
    /// Audience of the requested token (repeatable).
    #[arg(long)]
    pub audience: Vec<String>,
    /// Kind of an object to bind the token to (Node, Pod, Secret).
    #[arg(long, default_value = "")]
    pub bound_object_kind: String,
    /// Name of an object to bind the token to.
    #[arg(long, default_value = "")]
    pub bound_object_name: String,
    /// UID of an object to bind the token to.
    #[arg(long, default_value = "")]
    pub bound_object_uid: String,
}

pub fn create_core(ctx: &mut Context, g: cmd::create_core::Generator, f: CreateFlags) -> Result<()> {
    cmd::create_core::run(ctx, g, f.dry_run, f.output, f.save_config)
}

pub fn create_quota(ctx: &mut Context, q: CreateQuotaArgs, f: CreateFlags) -> Result<()> {
    create_core(ctx, cmd::create_core::Generator::Quota { name: q.name, hard: q.hard, scopes: q.scopes }, f)
}

pub fn create_token(ctx: &mut Context, t: CreateTokenArgs, f: CreateFlags) -> Result<()> {
    let req = cmd::create_core::TokenRequest {
        account: t.name,
        duration: t.duration,
        audiences: t.audience,
        bound: [t.bound_object_kind, t.bound_object_name, t.bound_object_uid],
    };
    cmd::create_core::token(ctx, req, f.output)
}

#[derive(Args, Debug)]
pub struct CreateRoleArgs {
    /// The role's name.
    pub name: String,
    /// Verb that applies to the resources contained in the rule.
    #[arg(long, value_delimiter = ',')]
    pub verb: Vec<String>,
    /// Resource that the rule applies to (`resource.group/subresource`).
    #[arg(long, value_delimiter = ',')]
    pub resource: Vec<String>,
    /// Resource in the white list that the rule applies to; repeat for multiple items.
    #[arg(long)]
    pub resource_name: Vec<String>,
    /// Accepted: the name of the field manager (kubectl-create).
    #[arg(long)]
    pub field_manager: Option<String>,
}

#[derive(Args, Debug)]
pub struct CreateClusterRoleArgs {
    #[command(flatten)]
    pub role: CreateRoleArgs,
    /// A partial url that user should have access to.
    #[arg(long, value_delimiter = ',')]
    pub non_resource_url: Vec<String>,
    /// An aggregation label selector for combining ClusterRoles (`key=value,...`).
    #[arg(long)]
    pub aggregation_rule: Vec<String>,
}

#[derive(Args, Debug)]
pub struct CreateRoleBindingArgs {
    /// The binding's name.
    pub name: String,
    /// ClusterRole this binding should reference.
    #[arg(long)]
    pub clusterrole: Option<String>,
    /// Role this RoleBinding should reference.
    #[arg(long)]
    pub role: Option<String>,
    /// Usernames to bind to the role; repeatable.
    #[arg(long)]
    pub user: Vec<String>,
    /// Groups to bind to the role; repeatable.
    #[arg(long)]
    pub group: Vec<String>,
    /// Service accounts to bind to the role, as <namespace>:<name>; repeatable.
    #[arg(long)]
    pub serviceaccount: Vec<String>,
    /// Accepted: the name of the field manager (kubectl-create).
    #[arg(long)]
    pub field_manager: Option<String>,
}

#[derive(Args, Debug)]
pub struct CreateClusterRoleBindingArgs {
    /// The binding's name.
    pub name: String,
    /// ClusterRole this ClusterRoleBinding should reference.
    #[arg(long)]
    pub clusterrole: Option<String>,
    /// Usernames to bind to the clusterrole; repeatable.
    #[arg(long)]
    pub user: Vec<String>,
    /// Groups to bind to the clusterrole; repeatable.
    #[arg(long)]
    pub group: Vec<String>,
    /// Service accounts to bind to the clusterrole, as <namespace>:<name>; repeatable.
    #[arg(long)]
    pub serviceaccount: Vec<String>,
    /// Accepted: the name of the field manager (kubectl-create).
    #[arg(long)]
    pub field_manager: Option<String>,
}

fn role_request(
    cluster: bool,
    r: CreateRoleArgs,
    urls: Vec<String>,
    aggregation: Vec<String>,
) -> cmd::create_rbac::RoleRequest {
    cmd::create_rbac::RoleRequest {
        cluster,
        name: r.name,
        verbs: r.verb,
        resources: r.resource,
        resource_names: r.resource_name,
        non_resource_urls: urls,
        aggregation_rule: aggregation,
    }
}

pub fn create_role(ctx: &mut Context, r: CreateRoleArgs, f: CreateFlags) -> Result<()> {
    cmd::create_rbac::role(ctx, role_request(false, r, Vec::new(), Vec::new()), f.dry_run, f.output, f.save_config)
}

pub fn create_cluster_role(ctx: &mut Context, r: CreateClusterRoleArgs, f: CreateFlags) -> Result<()> {
    let req = role_request(true, r.role, r.non_resource_url, r.aggregation_rule);
    cmd::create_rbac::role(ctx, req, f.dry_run, f.output, f.save_config)
}

pub fn create_role_binding(ctx: &mut Context, b: CreateRoleBindingArgs, f: CreateFlags) -> Result<()> {
    let req = cmd::create_rbac::BindingRequest {
        cluster: false,
        name: b.name,
        role: b.role,
        cluster_role: b.clusterrole,
        users: b.user,
        groups: b.group,
        service_accounts: b.serviceaccount,
    };
    cmd::create_rbac::binding(ctx, req, f.dry_run, f.output, f.save_config)
}

pub fn create_cluster_role_binding(ctx: &mut Context, b: CreateClusterRoleBindingArgs, f: CreateFlags) -> Result<()> {
    if b.clusterrole.is_none() {
        return Err(ctx.required_flags(&["clusterrole"]));
    }
    let req = cmd::create_rbac::BindingRequest {
        cluster: true,
        name: b.name,
        role: None,
        cluster_role: b.clusterrole,
        users: b.user,
        groups: b.group,
        service_accounts: b.serviceaccount,
    };
    cmd::create_rbac::binding(ctx, req, f.dry_run, f.output, f.save_config)
}

#[derive(Args, Debug)]
pub struct CreateIngressArgs {
    /// The ingress's name.
    pub name: String,
    /// Ingress Class to be used.
    #[arg(long)]
    pub class: Option<String>,
    /// Rule in format host/path=service:port[,tls=secretname]; repeatable.
    #[arg(long)]
    pub rule: Vec<String>,
    /// Default service for backend, in format of svcname:port.
    #[arg(long)]
    pub default_backend: Option<String>,
    /// Annotation to insert in the ingress object, in the format annotation=value; repeatable.
    #[arg(long)]
    pub annotation: Vec<String>,
    /// Accepted: the name of the field manager (kubectl-create).
    #[arg(long)]
    pub field_manager: Option<String>,
}

pub fn create_ingress(ctx: &mut Context, i: CreateIngressArgs, f: CreateFlags) -> Result<()> {
    let req = cmd::create_ingress::Request {
        name: i.name,
        class: i.class,
        rules: i.rule,
        default_backend: i.default_backend,
        annotations: i.annotation,
    };
    cmd::create_ingress::run(ctx, req, f.dry_run, f.output, f.save_config)
}
