//! `kstate run NAME --image=I --port=P --expose`: the ClusterIP service kubectl's `run` makes
//! with its `expose` generator (ServiceV2) after creating the pod: named like the pod, selecting
//! the pod's labels (`-l`, else `run=NAME`), port and target port P. kubectl prints the service
//! before the pod; a service that cannot be created is reported after the pod.

use serde_json::{json, Map, Value};

use super::create_generators::print_created;
use super::dry_run::DryRun;
use super::run::Request;
use super::Context;
use crate::api::kinds::{POD, SERVICE};
use crate::cluster::Cluster;
use crate::print::OutputFormat;
use crate::{Error, Result};

/// The service kubectl's generator builds for the pod, or the error of a port that is no number.
pub fn service(req: &Request, name: &str) -> Result<Value> {
    let port_text = req.port.as_deref().unwrap_or_default();
    let Ok(port) = port_text.parse::<i64>() else {
        return Err(Error::cli(format!("strconv.Atoi: parsing {port_text:?}: invalid syntax")));
    };
    let given = req.labels.as_deref().filter(|l| !l.is_empty());
    let selector = pairs(given.unwrap_or(&format!("run={name}")));
    let mut metadata = json!({"name": name});
    if let Some(labels) = given {
        metadata["labels"] = Value::Object(pairs(labels));
    }
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata,
        "spec": {
            "ports": [{"port": port, "protocol": "TCP", "targetPort": port}],
            "selector": selector,
        },
    }))
}

/// Creates the service in `cluster`: the stored service, or the error the API server gave.
pub fn create(ctx: &Context, cluster: &mut Cluster, req: &Request, name: &str) -> Result<Result<Value>> {
    let built = match service(req, name) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    match cluster.create(built, &ctx.namespace) {
        Ok(created) => Ok(Ok((*created).clone())),
        Err(e @ Error::Internal(_)) => Err(e),
        Err(e) => Ok(Err(e)),
    }
}

/// `a=b,c=d` as a map (the run command has checked the labels when it built the pod).
fn pairs(text: &str) -> Map<String, Value> {
    text.split(',').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.to_string(), json!(v))).collect()
}

/// Prints the service (when it was created), then the pod, each as `-o` asks (kubectl's `created`
/// line by default); then the service's error.
pub fn report(
    ctx: &mut Context,
    exposed: Option<Result<Value>>,
    pod: &Value,
    output: Option<&OutputFormat>,
    dry_run: DryRun,
) -> Result<()> {
    let (service, failed) = match exposed {
        Some(Ok(svc)) => (Some(svc), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    if let Some(svc) = &service {
        print_created(ctx, &SERVICE, svc, output, dry_run, 0)?;
        // kubectl v1.32 prints two separators between the service's document and the pod's.
        if output == Some(&OutputFormat::Yaml) {
            ctx.out.write_all(b"---\n").map_err(super::io)?;
        }
    }
    print_created(ctx, &POD, pod, output, dry_run, usize::from(service.is_some()))?;
    failed.map_or(Ok(()), Err)
}
