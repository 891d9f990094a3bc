//! `kstate set serviceaccount|sa TYPE NAME SA`: sets `serviceAccountName` in the pod spec of a
//! pod or of a workload's pod template.

use serde_json::Value;

use super::set_field::{self, Refusal, Request};
use super::Context;
use crate::{Error, Result};

/// `args` ends with the service account; the rest name the objects.
pub fn run(ctx: &mut Context, mut req: Request, mut args: Vec<String>) -> Result<()> {
    let Some(account) = args.pop() else {
        return Err(Error::cli("serviceaccount is required"));
    };
    req.resources = args;
    set_field::run(ctx, req, "serviceaccount", &|obj, kind| {
        let spec = match kind.kind {
            "Pod" => "/spec",
            "CronJob" => "/spec/jobTemplate/spec/template/spec",
            "StatefulSet" | "Deployment" | "ReplicaSet" | "ReplicationController" | "DaemonSet" | "Job" => {
                "/spec/template/spec"
            }
            _ => return Err(Refusal::NoPodTemplate),
        };
        if let Some(spec) = obj.pointer_mut(spec).and_then(Value::as_object_mut) {
            spec.insert("serviceAccountName".into(), Value::String(account.clone()));
        }
        Ok(())
    })
}
