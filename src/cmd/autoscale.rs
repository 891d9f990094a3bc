//! `kstate autoscale (deployment|replicaset|statefulset|replicationcontroller) NAME --max=N
//! [--min=N] [--cpu-percent=N] [--name=HPA] [--save-config]`: the autoscaling/v1
//! HorizontalPodAutoscaler kubectl v1.32 builds for the workload, stored as its v2 form.

use serde_json::{json, Value};

use super::create_generators::print_created;
use super::dry_run::DryRun;
use super::{parse_targets, Context};
use crate::api::hpa_v1;
use crate::api::kinds::HPA;
use crate::api::ObjectExt;
use crate::cluster::Key;
use crate::print::OutputFormat;
use crate::{Error, Result};

pub struct Request {
    pub resources: Vec<String>,
    /// `-f`: the files' objects, as if named.
    pub filenames: Vec<String>,
    pub name: Option<String>,
    pub min: i64,
    pub max: i64,
    pub cpu_percent: i64,
    /// `--save-config`: the autoscaler carries its own manifest as the last-applied annotation.
    pub save_config: bool,
    pub dry_run: DryRun,
    pub output: Option<OutputFormat>,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    if req.max < 1 {
        return Err(Error::cli(format!("--max=MAXPODS is required and must be at least 1, max replicas: {}", req.max)));
    }
    if req.max < req.min {
        return Err(Error::cli(format!(
            "--max=MAXPODS must be larger or equal to --min=MINPODS, max replicas: {}, min replicas: {}",
            req.max, req.min
        )));
    }
    let named = if req.filenames.is_empty() {
        parse_targets(&req.resources)?.into_iter().flat_map(|t| t.names.into_iter().map(move |n| (t.kind, n))).collect()
    } else {
        let files = super::patch::named(ctx, &[], &req.filenames, false)?;
        files.into_iter().map(|n| (n.kind, n.name)).collect::<Vec<_>>()
    };
    let Some((kind, name)) = named.into_iter().next() else {
        return Err(Error::cli("You must provide one or more resources by argument or filename."));
    };
    if !matches!(kind.kind, "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController") {
        return Err(Error::cli(format!("cannot autoscale a {}: cannot autoscale a {}", kind.kind, kind.kind)));
    }
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some("kubectl-autoscale".into());
    let Some(target) = cluster.get(&Key::new(kind, &ctx.namespace, &name))? else {
        cluster.abandon()?;
        return Err(Error::not_found(&kind.resource(), &name));
    };
    let mut hpa = build(&target, req.name.as_deref().unwrap_or(&name), req.min, req.max, req.cpu_percent);
    // As expose does, kubectl writes the annotation after a client dry run would have printed.
    if req.save_config && req.dry_run != DryRun::Client {
        super::apply::with_last_applied(&mut hpa)?;
    }
    // kubectl v1.32 sends an autoscaling/v1 object and prints the server's v1 answer; kstate
    // stores the v2 form and shows its v1 view.
    if req.dry_run == DryRun::Client {
        let printed = ctx.create_built(cluster, hpa, req.dry_run)?;
        return print(ctx, &printed, &req);
    }
    let created = ctx.create_built(cluster, hpa_v1::to_v2(&hpa), req.dry_run)?;
    print(ctx, &hpa_v1::to_v1(&created), &req)
}

fn print(ctx: &mut Context, hpa: &Value, req: &Request) -> Result<()> {
    if req.output.is_some() {
        return print_created(ctx, &HPA, hpa, req.output.as_ref(), req.dry_run, 0);
    }
    // kubectl v1.32 prints a client dry run with its `created` printer.
    let verb = if req.dry_run == DryRun::Client { "created" } else { "autoscaled" };
    ctx.say(&format!("{}/{} {verb}{}", HPA.name_prefix(), hpa.name(), req.dry_run.suffix()))
}

fn build(target: &Value, name: &str, min: i64, max: i64, cpu_percent: i64) -> Value {
    let mut spec = json!({
        "maxReplicas": max,
        "scaleTargetRef": {"apiVersion": target.str_at("apiVersion"), "kind": target.kind(), "name": target.name()},
    });
    if min > 0 {
        spec["minReplicas"] = json!(min);
    }
    if cpu_percent >= 0 {
        spec["targetCPUUtilizationPercentage"] = json!(cpu_percent);
    }
    json!({"apiVersion": hpa_v1::API_VERSION, "kind": "HorizontalPodAutoscaler",
           "metadata": {"creationTimestamp": null, "name": name}, "spec": spec, "status": {"currentReplicas": 0, "desiredReplicas": 0}})
}
