//! The arguments of the node verbs: cordon, uncordon, drain, taint.

use clap::Args;

#[derive(Args, Debug)]
pub struct CordonArgs {
    pub nodes: Vec<String>,
    /// Selector (label query) to filter on.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// none, client or server.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "client")]
    pub dry_run: Option<String>,
}

#[derive(Args, Debug)]
pub struct DrainArgs {
    pub nodes: Vec<String>,
    /// Selector (label query) to filter nodes on.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Label selector to filter pods on the node.
    #[arg(long)]
    pub pod_selector: Option<String>,
    /// Continue even if there are pods that do not declare a controller.
    #[arg(long)]
    pub force: bool,
    /// Ignore DaemonSet-managed pods.
    #[arg(long)]
    pub ignore_daemonsets: bool,
    /// Continue even if there are pods using emptyDir (local data that will be deleted). Its old
    /// name `--delete-local-data` is gone: kubectl v1.32 rejects it as an unknown flag.
    #[arg(long)]
    pub delete_emptydir_data: bool,
    /// Delete pods instead of evicting them, bypassing PodDisruptionBudgets.
    #[arg(long)]
    pub disable_eviction: bool,
    /// Seconds given to each pod to terminate gracefully (-1: the pod's own).
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub grace_period: i64,
    /// The length of time to wait before giving up (0: no limit).
    #[arg(long, default_value = "0s")]
    pub timeout: String,
    /// none, client or server.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "client")]
    pub dry_run: Option<String>,
    /// Accepted for compatibility.
    #[arg(long, hide = true)]
    pub skip_wait_for_delete_timeout: Option<i64>,
    /// Accepted for compatibility.
    #[arg(long, hide = true)]
    pub chunk_size: Option<i64>,
}

#[derive(Args, Debug)]
pub struct TaintArgs {
    /// `nodes NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N-`
    pub args: Vec<String>,
    /// Selector (label query) to filter on.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Select all nodes in the cluster.
    #[arg(long)]
    pub all: bool,
    /// Allow taints to be overwritten.
    #[arg(long)]
    pub overwrite: bool,
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = crate::cli::flags::DRY_RUN_BARE)]
    pub dry_run: Option<String>,
}
