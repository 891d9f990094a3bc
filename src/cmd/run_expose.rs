//! `kstate run NAME --image=I --port=P --expose`: the ClusterIP service kubectl's `run` makes
//! with its `expose` generator (ServiceV2) after creating the pod: named like the pod, selecting
//! the pod's labels (`-l`, else `run=NAME`), port and target port P. kubectl prints the service's
//! line before the pod's; a service that cannot be created is reported after the pod's line.

use serde_json::{json, Map, Value};

use super::run::Request;
use super::Context;
use crate::cluster::Cluster;
use crate::{Error, Result};

/// Creates the service in `cluster`: its `created` line, or the error the API server gave.
pub fn create(ctx: &Context, cluster: &mut Cluster, req: &Request, name: &str) -> Result<Result<String>> {
    let port_text = req.port.as_deref().unwrap_or_default();
    let Ok(port) = port_text.parse::<i64>() else {
        return Ok(Err(Error::cli(format!("strconv.Atoi: parsing {port_text:?}: invalid syntax"))));
    };
    let given = req.labels.as_deref().filter(|l| !l.is_empty());
    let selector = pairs(given.unwrap_or(&format!("run={name}")));
    let mut metadata = json!({"name": name});
    if let Some(labels) = given {
        metadata["labels"] = Value::Object(pairs(labels));
    }
    let service = json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata,
        "spec": {
            "ports": [{"port": port, "protocol": "TCP", "targetPort": port}],
            "selector": selector,
        },
    });
    match cluster.create(service, &ctx.namespace) {
        Ok(_) => Ok(Ok(format!("service/{name} created"))),
        Err(e @ Error::Internal(_)) => Err(e),
        Err(e) => Ok(Err(e)),
    }
}

/// `a=b,c=d` as a map (the run command has checked the labels when it built the pod).
fn pairs(text: &str) -> Map<String, Value> {
    text.split(',').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.to_string(), json!(v))).collect()
}

/// Prints the service's line (when it was created), then `pod_line`; then the service's error.
pub fn report(ctx: &mut Context, exposed: Option<Result<String>>, pod_line: &str) -> Result<()> {
    let failed = match exposed {
        Some(Ok(line)) => {
            ctx.say(&line)?;
            None
        }
        Some(Err(e)) => Some(e),
        None => None,
    };
    ctx.say(pod_line)?;
    failed.map_or(Ok(()), Err)
}
