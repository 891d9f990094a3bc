//! The arguments of each command, as clap parses them.

use std::path::PathBuf;

use clap::Args;

use super::{CreateCommand, RolloutCommand, SetCommand};

#[derive(Args, Debug)]
pub struct ApiResourcesArgs {
    /// Output format: wide or name.
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// Only namespaced (true) or cluster-scoped (false) resources.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub namespaced: Option<bool>,
    /// Limit to resources in the specified API group ("" for the core group).
    #[arg(long)]
    pub api_group: Option<String>,
    /// Do not print headers.
    #[arg(long)]
    pub no_headers: bool,
    /// Limit to resources that support the specified verbs.
    #[arg(long, value_delimiter = ',')]
    pub verbs: Vec<String>,
    /// Limit to resources that belong to the specified categories.
    #[arg(long, value_delimiter = ',')]
    pub categories: Vec<String>,
    /// If non-empty, sort list of resources using specified field: 'name' or 'kind'.
    #[arg(long)]
    pub sort_by: Option<String>,
    /// Accepted: kstate's discovery is never stale.
    #[arg(long)]
    pub cached: bool,
}

#[derive(Args, Debug)]
pub struct VersionArgs {
    /// Client version only (no server required).
    #[arg(long)]
    pub client: bool,
    /// One of 'yaml' or 'json'.
    #[arg(short = 'o', long)]
    pub output: Option<String>,
}

#[derive(Args, Debug)]
pub struct LogsArgs {
    /// POD or TYPE/NAME, then optionally the container.
    pub target: Vec<String>,
    #[arg(short = 'c', long)]
    pub container: Option<String>,
    /// Lines of recent log to show (-1: all).
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub tail: i64,
    /// The previous instance of the container.
    #[arg(short = 'p', long)]
    pub previous: bool,
    /// Stream the logs (kstate prints what there is and returns).
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// Prefix each line with its RFC3339 timestamp.
    #[arg(long)]
    pub timestamps: bool,
    /// The logs of every pod this label selector matches.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// The logs of every container of the pod(s).
    #[arg(long)]
    pub all_containers: bool,
    /// Prefix each line with its source: `[pod/NAME/CONTAINER]`.
    #[arg(long)]
    pub prefix: bool,
    /// Only lines newer than this duration (5s, 2m, 3h).
    #[arg(long)]
    pub since: Option<String>,
    /// Only lines at or after this RFC3339 time.
    #[arg(long)]
    pub since_time: Option<String>,
    /// The most bytes to print.
    #[arg(long)]
    pub limit_bytes: Option<usize>,
    /// Accepted for compatibility (kstate never streams).
    #[arg(long, default_value_t = 5)]
    pub max_log_requests: i64,
    /// Accepted: kstate's pods have converged when logs runs.
    #[arg(long)]
    pub pod_running_timeout: Option<String>,
    /// Accepted: kstate reads every log in one request.
    #[arg(long)]
    pub ignore_errors: bool,
}

#[derive(Args, Debug)]
pub struct CpArgs {
    /// SRC and DEST: a local path and [NAMESPACE/]POD:PATH, either way round.
    pub paths: Vec<String>,
    #[arg(short = 'c', long)]
    pub container: Option<String>,
    /// Accepted for compatibility (ownership and permissions are not kept either way).
    #[arg(long)]
    pub no_preserve: bool,
    /// Accepted for compatibility.
    #[arg(long, default_value_t = 0)]
    pub retries: i64,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// The pod's name.
    pub name: Option<String>,
    /// The container image.
    #[arg(long)]
    pub image: Option<String>,
    /// Always, OnFailure or Never.
    #[arg(long, default_value = "Always")]
    pub restart: String,
    #[arg(short = 'i', long)]
    pub stdin: bool,
    #[arg(short = 't', long)]
    pub tty: bool,
    /// Delete the pod after it exits (attached only).
    #[arg(long)]
    pub rm: bool,
    /// Use the arguments as the command instead of the image's entrypoint's arguments.
    #[arg(long)]
    pub command: bool,
    /// Comma-separated labels (default run=NAME).
    #[arg(short = 'l', long)]
    pub labels: Option<String>,
    /// Environment variables (KEY=VALUE), repeatable.
    #[arg(long)]
    pub env: Vec<String>,
    /// The container port to expose.
    #[arg(long)]
    pub port: Option<String>,
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Also create a ClusterIP service selecting the pod (needs --port).
    #[arg(long)]
    pub expose: bool,
    /// Save the pod's configuration in its last-applied annotation.
    #[arg(long)]
    pub save_config: bool,
    /// client (print what would be created) or server (the API server's answer, nothing stored).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = crate::cli::flags::DRY_RUN_BARE)]
    pub dry_run: Option<String>,
    /// Print the created objects: yaml, json, name, jsonpath=..., go-template=...
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// Arguments (or the command with --command): every word after NAME, as kubectl passes
    /// them (`--` or not; after `--`, words starting with `-` too).
    pub args: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// Documents (plain text, Markdown, AsciiDoc, reStructuredText), or - for stdin.
    pub files: Vec<String>,
    /// Report drift (older kubectl formats, compatibility-only commands) as failure.
    #[arg(long)]
    pub strict: bool,
    /// Report format: text, json or junit.
    #[arg(long, default_value = "text", value_parser = ["text", "json", "junit"])]
    pub format: String,
    /// Rewrite the outputs the documents show with what kstate printed.
    #[arg(long)]
    pub update: bool,
    /// Also replay on a real cluster through this kubectl (default: kubectl on PATH); --context picks the cluster.
    #[arg(long, value_name = "PATH", num_args = 0..=1, default_missing_value = "kubectl")]
    pub kubectl: Option<String>,
    /// How long (seconds) a read on the real cluster may wait for it to converge.
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub converge_timeout: u64,
    /// kubernetes.io's examples folder (content/en/examples): shortcodes and k8s.io/examples URLs.
    #[arg(long, value_name = "DIR")]
    pub examples: Option<PathBuf>,
    /// A folder of downloaded files that `-f https://...` reads (MIRROR/host/path or MIRROR/path).
    #[arg(long, value_name = "DIR")]
    pub mirror: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// How the server treats unknown fields: strict (or true), warn, ignore (or false).
    #[arg(long, num_args = 0..=1, require_equals = true, default_value = "strict", default_missing_value = "strict", global = true)]
    pub validate: String,
    /// Files, folders or - (stdin) with the resources to create.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the kustomization directory. This flag can't be used together with -f or -R.
    #[arg(short = 'k', long = "kustomize")]
    pub kustomize: Option<String>,
    /// Process folders named in -f recursively.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Output format: yaml, json, name, jsonpath=..., go-template=...
    #[arg(short = 'o', long, global = true)]
    pub output: Option<String>,
    /// Go template for -o go-template / template (also implies -o go-template).
    #[arg(long, global = true)]
    pub template: Option<String>,
    /// none, client (print only) or server (admit but do not persist).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = crate::cli::flags::DRY_RUN_BARE, global = true)]
    pub dry_run: Option<String>,
    /// Label selector: only matching objects from the files are created.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Save the configuration of the object in its last-applied annotation, for a later apply.
    #[arg(long, global = true)]
    pub save_config: bool,
    /// Edit the objects in $KUBE_EDITOR (else $EDITOR, else vi) before creating them.
    #[arg(long)]
    pub edit: bool,
    /// With --edit, write the file to edit with Windows line endings.
    #[arg(long)]
    pub windows_line_endings: bool,
    #[command(subcommand)]
    pub generator: Option<CreateCommand>,
    /// Positional arguments: none are expected (cobra hands them over; kubectl refuses them with
    /// `Unexpected args: [...]`, or, for `replace`, ignores them).
    #[arg(hide = true)]
    pub unexpected: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ServiceArgs {
    pub name: String,
    /// Port pairs PORT[:TARGET], repeatable or comma-separated.
    #[arg(long)]
    pub tcp: Vec<String>,
    /// Assign your own ClusterIP or set to 'None' for a 'headless' service.
    #[arg(long = "clusterip")]
    pub cluster_ip: Option<String>,
    /// Port used to expose the service on each node (nodeport).
    #[arg(long)]
    pub node_port: Option<i64>,
}

#[derive(Args, Debug)]
pub struct GetArgs {
    /// TYPE[,TYPE...] [NAME...] or TYPE/NAME ...
    pub resources: Vec<String>,
    /// Files, folders or - (stdin) naming the objects to get.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the kustomization directory. This flag can't be used together with -f or -R.
    #[arg(short = 'k', long = "kustomize")]
    pub kustomize: Option<String>,
    /// Process folders named in -f recursively.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// A named object that does not exist is not an error.
    #[arg(long)]
    pub ignore_not_found: bool,
    /// If true, keep the managedFields when printing objects in JSON or YAML format.
    #[arg(long)]
    pub show_managed_fields: bool,
    /// The subresource to get: scale or status.
    #[arg(long)]
    pub subresource: Option<String>,
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
    /// Field selector (=, ==, !=; metadata.name, status.phase, spec.nodeName, event fields...).
    #[arg(long)]
    pub field_selector: Option<String>,
    /// Sort by a JSONPath expression (e.g. '{.metadata.name}').
    #[arg(long)]
    pub sort_by: Option<String>,
    /// Go template for -o go-template / template (also implies -o go-template).
    #[arg(long)]
    pub template: Option<String>,
    /// After the list, print the changes of the last changing command, then exit.
    #[arg(short = 'w', long)]
    pub watch: bool,
    /// Print only the changes of the last changing command.
    #[arg(long)]
    pub watch_only: bool,
    /// Raw URI to request from the server (the paths `kstate serve` answers).
    #[arg(long)]
    pub raw: Option<String>,
    /// With --watch, print the event type (ADDED, MODIFIED, DELETED) of each row.
    #[arg(long)]
    pub output_watch_events: bool,
    /// Accepted for compatibility: kstate lists in one chunk.
    #[arg(long)]
    pub chunk_size: Option<i64>,
    /// Accepted for compatibility: kstate prints its own tables either way.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub server_print: Option<String>,
}

#[derive(Args, Debug)]
pub struct DescribeArgs {
    /// TYPE [NAME_PREFIX] or TYPE/NAME
    pub resources: Vec<String>,
    /// Files, folders or - naming the resources to describe.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the kustomization directory. This flag can't be used together with -f or -R.
    #[arg(short = 'k', long = "kustomize")]
    pub kustomize: Option<String>,
    /// Process folders named in -f recursively.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Label selector.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Describe across all namespaces.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Show the events related to the described object (`--show-events=false`: leave them out).
    #[arg(long, default_value = "true", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub show_events: String,
    /// Accepted for compatibility: kstate lists in one chunk.
    #[arg(long)]
    pub chunk_size: Option<i64>,
}

#[derive(Args, Debug)]
pub struct DeleteArgs {
    /// TYPE NAME... or TYPE/NAME...
    pub resources: Vec<String>,
    /// Files, folders or - naming the resources to delete.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the kustomization directory. This flag can't be used together with -f or -R.
    #[arg(short = 'k', long = "kustomize")]
    pub kustomize: Option<String>,
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Label selector.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// With --all or -l: across all namespaces.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Delete all resources of the type.
    #[arg(long)]
    pub all: bool,
    /// background, foreground or orphan (false means orphan, deprecated).
    #[arg(long, default_value = "background", num_args = 0..=1, require_equals = true, default_missing_value = "background")]
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
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub wait: Option<bool>,
    /// Signal the resource for immediate shutdown (grace period 1).
    #[arg(long)]
    pub now: bool,
    /// none, client (print only) or server (delete in a transaction that is thrown away).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = crate::cli::flags::DRY_RUN_BARE)]
    pub dry_run: Option<String>,
    /// How long to wait for deletion (kstate deletes within the command).
    #[arg(long)]
    pub timeout: Option<String>,
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
    /// Every object of the given types in the namespace.
    #[arg(long)]
    pub all: bool,
    /// Change the files' objects and print them, without the cluster.
    #[arg(long)]
    pub local: bool,
    /// Label selector: the objects of the given types whose labels match.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Output format (only `name`).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// Accepted: kstate's controllers have converged when scale returns.
    #[arg(long)]
    pub timeout: Option<String>,
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = crate::cli::flags::DRY_RUN_BARE)]
    pub dry_run: Option<String>,
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

#[derive(Args, Debug)]
pub struct PortForwardArgs {
    /// TYPE/NAME (or a pod's name), then [LOCAL_PORT:]REMOTE_PORT...
    #[arg(allow_hyphen_values = false)]
    pub args: Vec<String>,
    /// Addresses to listen on (comma separated): IP addresses or localhost.
    #[arg(long, value_delimiter = ',', default_value = "localhost")]
    pub address: Vec<String>,
    /// How long to wait for a running pod (kstate's cluster has already converged).
    #[arg(long = "pod-running-timeout", default_value = "1m0s")]
    pub pod_running_timeout: String,
}

#[derive(Args, Debug)]
pub struct ProxyArgs {
    /// The port on which to run the proxy. Set to 0 to pick a random port.
    #[arg(short = 'p', long, default_value = "8001")]
    pub port: String,
    /// The IP address on which to serve on.
    #[arg(long, default_value = "127.0.0.1")]
    pub address: String,
    /// Prefix to serve the proxied API under.
    #[arg(long = "api-prefix", default_value = "/")]
    pub api_prefix: String,
    /// Also serve static files from the given directory under the specified prefix.
    #[arg(short = 'w', long)]
    pub www: Option<String>,
    /// Prefix to serve static files under, if static file directory is specified.
    #[arg(short = 'P', long = "www-prefix", default_value = "/static/")]
    pub www_prefix: String,
    /// Regular expression for hosts that the proxy should accept.
    #[arg(long = "accept-hosts", default_value = "^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$")]
    pub accept_hosts: String,
    /// Regular expression for paths that the proxy should accept.
    #[arg(long = "accept-paths", default_value = "^.*")]
    pub accept_paths: String,
    /// Regular expression for paths that the proxy should reject.
    #[arg(long = "reject-paths", default_value = "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach")]
    pub reject_paths: String,
    /// Regular expression for HTTP methods that the proxy should reject.
    #[arg(long = "reject-methods", default_value = "^$")]
    pub reject_methods: String,
    /// If true, disable request filtering in the proxy.
    #[arg(long = "disable-filter", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub disable_filter: Option<String>,
    /// Unix socket on which to run the proxy (kstate listens on TCP only).
    #[arg(short = 'u', long = "unix-socket")]
    pub unix_socket: Option<String>,
    /// Keep-alive period for an active network connection (no effect).
    #[arg(long)]
    pub keepalive: Option<String>,
    /// Append the kube context server path to each request (no effect).
    #[arg(long = "append-server-path", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub append_server_path: Option<String>,
}

#[derive(Args, Debug)]
pub struct DebugArgs {
    /// POD, TYPE/NAME (`node/NAME`).
    pub target: Vec<String>,
    /// The debug container's command and its arguments, after `--`.
    #[arg(last = true)]
    pub command: Vec<String>,
    /// Pass the words after `--` as the container's args instead of its command.
    #[arg(long)]
    pub arguments_only: bool,
    /// Attach to the container once it runs (default: with -i). A value, not a switch, so that
    /// `--attach=false` is seen as given.
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub attach: Option<String>,
    /// The debug container's name (or, with --copy-to, the container to change).
    #[arg(short = 'c', long)]
    pub container: Option<String>,
    /// Create a copy of the target pod with this name.
    #[arg(long)]
    pub copy_to: Option<String>,
    /// With --copy-to, delete the original pod.
    #[arg(long)]
    pub replace: bool,
    /// Environment variables of the container (KEY=VALUE,...), repeatable.
    #[arg(long)]
    pub env: Vec<String>,
    /// The debug container's image.
    #[arg(long)]
    pub image: Option<String>,
    #[arg(long)]
    pub keep_labels: bool,
    #[arg(long)]
    pub keep_annotations: bool,
    #[arg(long)]
    pub keep_liveness: bool,
    #[arg(long)]
    pub keep_readiness: bool,
    #[arg(long)]
    pub keep_startup: bool,
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub keep_init_containers: Option<String>,
    /// With --copy-to, NAME=IMAGE pairs changing the copy's images (`*` for all), repeatable.
    #[arg(long)]
    pub set_image: Vec<String>,
    #[arg(long)]
    pub image_pull_policy: Option<String>,
    /// Keep stdin open on the container and attach it.
    #[arg(short = 'i', long)]
    pub stdin: bool,
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// With --copy-to, schedule the copy on the same node.
    #[arg(long)]
    pub same_node: bool,
    /// With --copy-to, share the copy's process namespace (a value: `--share-processes=false`).
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub share_processes: Option<String>,
    /// The container whose processes an ephemeral container targets.
    #[arg(long = "target")]
    pub target_container: Option<String>,
    #[arg(short = 't', long)]
    pub tty: bool,
    /// legacy (default), general, baseline, netadmin, restricted or sysadmin.
    #[arg(long, default_value = "legacy")]
    pub profile: String,
    /// A partial container spec (JSON or YAML) applied over the profile.
    #[arg(long)]
    pub custom: Option<String>,
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ApplyArgs {
    /// How the server treats unknown fields: strict (or true), warn, ignore (or false).
    #[arg(long, num_args = 0..=1, require_equals = true, default_value = "strict", default_missing_value = "strict")]
    pub validate: String,
    /// Files, folders or - (stdin) with the configuration to apply.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process the kustomization directory. This flag can't be used together with -f or -R.
    #[arg(short = 'k', long = "kustomize")]
    pub kustomize: Option<String>,
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Output format (only `name`).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// none, client or server.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = crate::cli::flags::DRY_RUN_BARE)]
    pub dry_run: Option<String>,
    /// Apply on the server (field ownership, conflicts) instead of the client.
    #[arg(long)]
    pub server_side: bool,
    /// Take over fields other managers own (server-side apply only).
    #[arg(long)]
    pub force_conflicts: bool,
    /// The name of the manager tracking field ownership.
    #[arg(long)]
    pub field_manager: Option<String>,
    /// Accepted: apply -o json|yaml prints objects without their managedFields.
    #[arg(long)]
    pub show_managed_fields: bool,
    /// Delete the objects of the allowlisted kinds that the manifests no longer hold (needs -l or --all).
    #[arg(long)]
    pub prune: bool,
    /// Label selector: only matching objects are applied (and pruned).
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// With --prune: every object of the allowlisted kinds is a candidate.
    #[arg(long)]
    pub all: bool,
    /// With --prune: the kinds to prune, as group/version/kind (core/v1/ConfigMap), repeatable.
    #[arg(long = "prune-allowlist")]
    pub prune_allowlist: Vec<String>,
    /// Delete and re-create an object the patch cannot change (a conflict or an invalid update).
    #[arg(long)]
    pub force: bool,
    /// Accepted: the manifest's values always win over the live object's.
    #[arg(long)]
    pub overwrite: bool,
    /// Accepted with --force: the replaced object goes at once.
    #[arg(long)]
    pub grace_period: Option<i64>,
    #[command(subcommand)]
    pub last_applied: Option<crate::cli::api_args::LastAppliedCommand>,
    /// Positional arguments: none are expected (cobra hands them over; kubectl refuses them with
    /// `Unexpected args: [...]`, or, for `replace`, ignores them).
    #[arg(hide = true)]
    pub unexpected: Vec<String>,
}

#[derive(Args, Debug)]
pub struct PatchArgs {
    /// TYPE NAME or TYPE/NAME
    pub resources: Vec<String>,
    /// The subresource to patch: scale or status.
    #[arg(long)]
    pub subresource: Option<String>,
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// The patch (JSON or YAML).
    #[arg(short = 'p', long)]
    pub patch: Option<String>,
    /// A file holding the patch.
    #[arg(long)]
    pub patch_file: Option<String>,
    /// json, merge or strategic.
    #[arg(long = "type", default_value = "strategic")]
    pub patch_type: String,
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = crate::cli::flags::DRY_RUN_BARE)]
    pub dry_run: Option<String>,
    /// Patch the objects of the -f files and print them, without the cluster.
    #[arg(long)]
    pub local: bool,
}

#[derive(Args, Debug)]
pub struct EditArgs {
    /// TYPE NAME or TYPE/NAME
    pub resources: Vec<String>,
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// yaml (default), json or name.
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// Print the strategic merge patch of each edit (`Patch: {...}`) before its line.
    #[arg(long)]
    pub output_patch: bool,
    /// Write the file for the editor with CRLF line endings.
    #[arg(long)]
    pub windows_line_endings: bool,
    /// Write the last-applied annotation, as apply would.
    #[arg(long)]
    pub save_config: bool,
}

#[derive(Args, Debug)]
pub struct LabelArgs {
    /// TYPE NAME... KEY=VALUE... KEY-...
    pub args: Vec<String>,
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Allow changing existing values.
    #[arg(long)]
    pub overwrite: bool,
    /// Every object of the type in the namespace.
    #[arg(long)]
    pub all: bool,
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = crate::cli::flags::DRY_RUN_BARE)]
    pub dry_run: Option<String>,
    /// Change the objects of the -f files and print them, without the cluster.
    #[arg(long)]
    pub local: bool,
    /// Display the labels (annotations) of the objects.
    #[arg(long)]
    pub list: bool,
    /// Change the object only if this is its current resourceVersion (one object only).
    #[arg(long)]
    pub resource_version: Option<String>,
    /// The manager recorded in managedFields (kubectl-label, kubectl-annotate by default).
    #[arg(long)]
    pub field_manager: Option<String>,
}

#[derive(Args, Debug)]
pub struct SetArgs {
    #[command(subcommand)]
    pub command: SetCommand,
}

#[derive(Args, Debug)]
pub struct SetImageArgs {
    /// TYPE NAME CONTAINER=IMAGE...
    pub args: Vec<String>,
    /// Every object of the given types in the namespace.
    #[arg(long)]
    pub all: bool,
    /// Change the files' objects and print them, without the cluster.
    #[arg(long)]
    pub local: bool,
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    #[arg(short = 'R', long)]
    pub recursive: bool,
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = crate::cli::flags::DRY_RUN_BARE)]
    pub dry_run: Option<String>,
}

#[derive(Args, Debug)]
pub struct RolloutArgs {
    #[command(subcommand)]
    pub command: RolloutCommand,
}

#[derive(Args, Debug)]
pub struct RolloutTarget {
    /// TYPE NAME or TYPE/NAME
    pub resources: Vec<String>,
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    #[arg(short = 'R', long)]
    pub recursive: bool,
}

#[derive(Args, Debug)]
pub struct WaitArgs {
    /// TYPE NAME..., TYPE/NAME..., or TYPE with -l or --all
    pub resources: Vec<String>,
    /// Files, folders or - naming the resources to wait for.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// Process folders named in -f recursively.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// delete, condition=NAME[=VALUE] or jsonpath='{PATH}'=VALUE
    #[arg(long = "for", required = true)]
    pub condition: String,
    /// Label selector.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Every resource of the type.
    #[arg(long)]
    pub all: bool,
    /// How long kubectl would wait (kstate has already converged, so it does not wait).
    #[arg(long)]
    pub timeout: Option<String>,
}

#[derive(Args, Debug)]
pub struct DataArgs {
    /// The object's name.
    pub name: String,
    /// A key and literal value (`key=value`), repeatable.
    #[arg(long)]
    pub from_literal: Vec<String>,
    /// A file (`[key=]path`); the key defaults to the file's name. Repeatable.
    #[arg(long)]
    pub from_file: Vec<String>,
    /// An env file of `KEY=value` lines, one key each. Repeatable.
    #[arg(long)]
    pub from_env_file: Vec<String>,
    /// The type of secret to create (secret generic only; default Opaque).
    #[arg(long = "type")]
    pub secret_type: Option<String>,
}

#[derive(Args, Debug)]
pub struct CreateDeploymentArgs {
    /// The deployment's name.
    pub name: String,
    /// Image names to run; one container each.
    #[arg(long)]
    pub image: Vec<String>,
    /// Number of replicas to create.
    #[arg(short = 'r', long, default_value_t = 1)]
    pub replicas: i64,
    /// The containerPort the deployment exposes (-1: none).
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub port: i64,
    /// The command after `--`.
    #[arg(last = true)]
    pub command: Vec<String>,
}

#[derive(Args, Debug)]
pub struct CreateJobArgs {
    /// The job's name.
    pub name: String,
    /// Image name to run.
    #[arg(long)]
    pub image: Option<String>,
    /// The resource to create a job from (only cronjob is supported).
    #[arg(long)]
    pub from: Option<String>,
    /// The command after `--`.
    #[arg(last = true)]
    pub command: Vec<String>,
}

#[derive(Args, Debug)]
pub struct CreatePriorityClassArgs {
    /// The priority class's name.
    pub name: String,
    /// The value of this priority class.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub value: i32,
    /// Whether this PriorityClass should be considered as the default priority.
    #[arg(long)]
    pub global_default: bool,
    /// An arbitrary string that usually provides guidelines on when this priority class should be used.
    #[arg(long, default_value = "")]
    pub description: String,
    /// The policy for preempting pods with lower priority.
    #[arg(long, default_value = "PreemptLowerPriority")]
    pub preemption_policy: String,
}

#[derive(Args, Debug)]
pub struct AutoscaleArgs {
    /// TYPE NAME or TYPE/NAME
    pub resources: Vec<String>,
    /// A file naming the object to autoscale.
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// The upper limit for the number of pods.
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub max: i64,
    /// The lower limit for the number of pods (-1: the server's default).
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub min: i64,
    /// The target average CPU utilization (-1: the server's default policy).
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub cpu_percent: i64,
    /// The name of the autoscaler (default: the target's).
    #[arg(long)]
    pub name: Option<String>,
    /// Save the autoscaler's configuration in its last-applied annotation.
    #[arg(long)]
    pub save_config: bool,
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "unchanged")]
    pub dry_run: Option<String>,
    #[arg(short = 'o', long)]
    pub output: Option<String>,
}

#[derive(Args, Debug)]
pub struct ExposeArgs {
    /// TYPE NAME or TYPE/NAME
    pub resources: Vec<String>,
    /// The port the service serves on (default: the resource's container ports).
    #[arg(long)]
    pub port: Option<String>,
    /// The port (number or name) on the pods the service forwards to (default: --port).
    #[arg(long)]
    pub target_port: Option<String>,
    /// The protocol of the port (default TCP).
    #[arg(long)]
    pub protocol: Option<String>,
    /// ClusterIP, NodePort, LoadBalancer or ExternalName.
    #[arg(long = "type")]
    pub service_type: Option<String>,
    /// The service's name (default: the resource's, cut to 63 characters).
    #[arg(long)]
    pub name: Option<String>,
    /// Files naming the resources to expose (their objects are exposed as written).
    #[arg(short = 'f', long = "filename")]
    pub filenames: Vec<String>,
    /// The service's selector, equality-based only (default: the resource's).
    #[arg(long)]
    pub selector: Option<String>,
    /// Save the service's configuration in its last-applied annotation.
    #[arg(long)]
    pub save_config: bool,
    /// A JSON merge patch applied to the built service.
    #[arg(long)]
    pub overrides: Option<String>,
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "unchanged")]
    pub dry_run: Option<String>,
    #[arg(short = 'o', long)]
    pub output: Option<String>,
}
