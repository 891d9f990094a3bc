//! One file per verb. A verb opens the cluster (one transaction), acts through the API, lets the
//! controllers converge, commits, and hands objects to `print`. It never formats by itself beyond
//! kubectl's one-line messages.

pub mod advance;
pub mod annotate;
pub mod api_resources;
pub mod apply;
mod apply_server_side;
pub mod auth;
pub mod autoscale;
pub mod cluster_info;
pub mod cluster_info_dump;
pub mod completion;
pub mod config;
pub mod cordon;
pub mod cp;
pub mod create;
pub mod create_core;
pub mod create_edit;
pub mod create_generators;
pub mod create_ingress;
pub mod create_more;
pub mod create_rbac;
mod create_workloads;
pub mod debug;
pub mod delete;
pub mod describe;
pub mod diff;
pub mod drain;
pub mod dry_run;
pub mod edit;
pub mod edit_last_applied;
mod editor;
pub mod events;
pub mod exec;
pub mod explain;
pub mod expose;
pub mod field_selector;
pub mod get;
pub mod init;
pub mod kustomize;
pub mod label;
pub mod last_applied;
pub mod logs;
pub mod node;
pub mod patch;
pub mod port_forward;
pub mod replace;
pub mod replay;
pub mod rollout;
mod rollout_deployment;
pub mod run;
mod run_expose;
pub mod scale;
pub mod set_env;
pub mod set_field;
pub mod set_image;
mod set_pod_template;
pub mod set_resources;
pub mod set_selector;
pub mod set_serviceaccount;
pub mod set_subject;
pub mod taint;
mod targets;
pub mod tree;
pub mod version;
pub mod wait;
pub mod watch;

use std::io::{Read, Write};
use std::path::PathBuf;

use crate::clock::Clock;
use crate::cluster::{Bootstrap, Cluster, Settings};
use crate::{controller, Result};

pub use targets::{parse_targets, Target};

/// Everything a verb needs from the outside world.
pub struct Context<'a> {
    pub state_dir: PathBuf,
    pub clock: Clock,
    pub seed: Option<u64>,
    /// How to create the cluster if the state directory has none (`KSTATE_PROFILE`, `KSTATE_NODES`).
    pub bootstrap: Bootstrap,
    pub namespace: String,
    /// Whether `-n` was given (cluster-scoped kinds ignore it either way).
    pub namespace_given: bool,
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub stdin: &'a mut dyn Read,
    /// `--record`: the `kubernetes.io/change-cause` the command's writes carry.
    pub change_cause: Option<String>,
    /// The state directory was named by `--state-dir` (not the environment or a context).
    pub state_dir_named: bool,
}

impl Context<'_> {
    fn settings(&self) -> Settings<'_> {
        Settings { state_dir: &self.state_dir, clock: self.clock, seed: self.seed }
    }

    /// Opens the cluster for reading. When time-based work has become due since the last command
    /// (a pod became available after minReadySeconds), the controllers run first, in a write.
    pub fn read(&self) -> Result<Cluster> {
        // A mistyped `--state-dir` must not read as a new, empty cluster. A directory that exists
        // (say, made by `mktemp -d`) still gets a fresh cluster, as does any command that writes.
        if self.state_dir_named && !self.state_dir.exists() {
            return Err(crate::Error::cli(format!(
                "the state directory {:?} does not exist (a command that creates objects, such as create or apply, starts a new cluster there)",
                self.state_dir.display().to_string()
            )));
        }
        let cluster = Cluster::open_or_create(&self.settings(), false, self.bootstrap)?;
        if !cluster.time_work_due() && !cluster.events_expired() {
            return Ok(cluster);
        }
        cluster.abandon()?;
        let mut cluster = self.write()?;
        controller::converge(&mut cluster)?;
        cluster.commit()?;
        Cluster::open(&self.settings(), false)
    }

    /// Opens the cluster for a change: one IMMEDIATE transaction for the whole command, in which
    /// what time brought since the last command (processes, probes, back-offs) happens first.
    pub fn write(&self) -> Result<Cluster> {
        let mut cluster = Cluster::open_or_create(&self.settings(), true, self.bootstrap)?;
        if cluster.time_work_due() || cluster.events_expired() {
            controller::catch_up(&mut cluster)?;
        }
        cluster.change_cause = self.change_cause.clone();
        Ok(cluster)
    }

    /// Runs the controllers to a fixed point, prints the API server's warnings and commits.
    pub fn finish(&mut self, mut cluster: Cluster) -> Result<()> {
        cluster.field_manager = None;
        cluster.change_cause = None;
        let t0 = std::time::Instant::now();
        controller::converge(&mut cluster)?;
        crate::trace::phase("controllers converged", t0);
        for w in std::mem::take(&mut cluster.warnings) {
            self.warn(&w);
        }
        cluster.commit()
    }

    /// Creates an object a generator built (`create deployment`, `expose`, `autoscale`...) as
    /// `--dry-run` asks, and hands back what to print: the built object for a client dry run,
    /// else what the API server stored. The cluster is left as it was on error or dry run.
    pub fn create_built(
        &mut self,
        mut cluster: Cluster,
        obj: serde_json::Value,
        dry_run: dry_run::DryRun,
    ) -> Result<serde_json::Value> {
        if dry_run == dry_run::DryRun::Client {
            cluster.abandon()?;
            // `--record` marks what a client dry run prints, as kubectl's recorder does.
            let mut obj = obj;
            if let Some(cause) = &self.change_cause {
                crate::api::object::set_annotation(&mut obj, "kubernetes.io/change-cause", cause);
            }
            return Ok(obj);
        }
        let namespace = self.namespace.clone();
        let created = match cluster.create(obj, &namespace) {
            Ok(o) => (*o).clone(),
            Err(e) => {
                cluster.abandon()?;
                return Err(e);
            }
        };
        if dry_run == dry_run::DryRun::Server {
            cluster.abandon()?;
        } else {
            self.finish(cluster)?;
        }
        Ok(created)
    }

    /// Writes one updated object and converges, or leaves the cluster as it was when the API
    /// refuses the update.
    pub fn update_one(&mut self, mut cluster: Cluster, obj: serde_json::Value) -> Result<()> {
        if let Err(e) = cluster.update(obj) {
            cluster.abandon()?;
            return Err(e);
        }
        self.finish(cluster)
    }

    /// `Warning: ...` on stderr, as kubectl prints server and client warnings.
    pub fn warn(&mut self, msg: &str) {
        let _ = self.out.flush();
        let _ = writeln!(self.err, "Warning: {msg}");
    }

    /// A klog warning as kubectl's own code logs it: `W1127 09:45:00.000000    4242 FILE:LINE] msg`
    /// (the header's time from the clock, in whole seconds; the process id as it is).
    pub fn klog_warning(&mut self, at: &str, msg: &str) {
        let (_, month, day, h, m, s) = crate::clock::split(self.clock.now());
        let pid = std::process::id();
        let _ = self.out.flush();
        let _ = writeln!(self.err, "W{month:02}{day:02} {h:02}:{m:02}:{s:02}.000000 {pid:>7} {at}] {msg}");
    }

    /// cobra's missing required flags, as kubectl v1.32 reports them: through klog, as an error line
    /// (`E1127 09:00:00.000000    4242 run.go:72] "command failed" err="required flag(s) \"image\" not set"`).
    pub fn required_flags(&self, names: &[&str]) -> crate::Error {
        let (_, month, day, h, m, s) = crate::clock::split(self.clock.now());
        let pid = std::process::id();
        let quoted: Vec<String> = names.iter().map(|n| format!("\\\"{n}\\\"")).collect();
        crate::Error::Raw(format!(
            "E{month:02}{day:02} {h:02}:{m:02}:{s:02}.000000 {pid:>7} run.go:72] \"command failed\" err=\"required flag(s) {} not set\"",
            quoted.join(", ")
        ))
    }

    pub fn say(&mut self, line: &str) -> Result<()> {
        writeln!(self.out, "{line}").map_err(io)
    }

    /// A line on stderr, after what stdout holds so far (a terminal shows them in order).
    pub fn say_err(&mut self, line: &str) -> Result<()> {
        self.out.flush().map_err(io)?;
        writeln!(self.err, "{line}").map_err(io)
    }
}

/// Output failures (a closed pipe) surface as internal errors; main treats BrokenPipe as success.
pub fn io(e: std::io::Error) -> crate::Error {
    crate::Error::Internal(anyhow::Error::new(e))
}
