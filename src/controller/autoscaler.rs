//! The HorizontalPodAutoscaler controller (`pkg/controller/podautoscaler`, v1.32) of a cluster
//! without a metrics server: the target's scale is read and held within minReplicas and
//! maxReplicas, and every metric fails as it does there (`FailedGetResourceMetric`), so nothing
//! is scaled by load. kstate does not simulate resource usage.

use serde_json::{json, Value};

use super::Controller;
use crate::api::kinds::{self, HPA};
use crate::api::ObjectExt;
use crate::clock::format_rfc3339;
use crate::cluster::{Change, Cluster, EventSource, Key};
use crate::Result;

const SOURCE: EventSource<'static> = EventSource::component("horizontal-pod-autoscaler");
const NO_METRICS: &str = "unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)";

#[derive(Default)]
pub struct AutoscalerController;

impl Controller for AutoscalerController {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match change.key.kind {
            "HorizontalPodAutoscaler" if change.object.is_some() => queue.push(change.key.clone()),
            "Deployment" | "ReplicaSet" | "StatefulSet" => {
                let Some(obj) = &change.object else { return Ok(()) };
                let replicas = |o: &Value| o.i64_at("spec.replicas");
                if change.old.as_deref().map(replicas) == Some(replicas(obj)) {
                    return Ok(());
                }
                cluster.load(&HPA, Some(obj.namespace()))?;
                let targets = cluster.iter(&HPA, Some(obj.namespace())).filter(|h| {
                    h.str_at("spec.scaleTargetRef.kind") == change.key.kind
                        && h.str_at("spec.scaleTargetRef.name") == obj.name()
                });
                queue.extend(targets.map(|h| Key::new(&HPA, h.namespace(), h.name())).collect::<Vec<_>>());
            }
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some(hpa) = cluster.get(key)?.filter(|h| !h.is_deleting()) else { return Ok(()) };
        let now = format_rfc3339(cluster.clock.now());
        let target_kind = kinds::by_kind(hpa.str_at("spec.scaleTargetRef.kind"));
        let target = match target_kind {
            Some(k) => cluster.get(&Key::new(k, hpa.namespace(), hpa.str_at("spec.scaleTargetRef.name")))?,
            None => None,
        };
        let mut status = hpa.get("status").cloned().filter(Value::is_object).unwrap_or_else(|| json!({}));
        let Some(mut target) = target else {
            let msg = format!(
                "the HPA controller was unable to get the target's current scale: {} {:?} not found",
                target_kind.map(|k| k.resource()).unwrap_or_default(),
                hpa.str_at("spec.scaleTargetRef.name")
            );
            set_condition(&mut status, "AbleToScale", "False", "FailedGetScale", &msg, &now);
            cluster.warning(&hpa, SOURCE, "FailedGetScale", &msg)?;
            return write(cluster, &hpa, status);
        };
        let current = target.i64_at("spec.replicas").unwrap_or(1);
        let (min, max) = (hpa.i64_at("spec.minReplicas").unwrap_or(1), hpa.i64_at("spec.maxReplicas").unwrap_or(1));
        status["currentReplicas"] = json!(target.i64_at("status.replicas").unwrap_or(0));
        set_condition(
            &mut status,
            "AbleToScale",
            "True",
            "SucceededGetScale",
            "the HPA controller was able to get the target's current scale",
            &now,
        );
        let rescale = if current > max {
            Some((max, "Current number of replicas above Spec.MaxReplicas"))
        } else if current < min {
            Some((min, "Current number of replicas below Spec.MinReplicas"))
        } else {
            None
        };
        match rescale {
            Some((to, reason)) => {
                target["spec"]["replicas"] = json!(to);
                cluster.update(target)?;
                status["desiredReplicas"] = json!(to);
                status["lastScaleTime"] = json!(now);
                cluster.normal(&hpa, SOURCE, "SuccessfulRescale", &format!("New size: {to}; reason: {reason}"))?;
            }
            None => {
                status["desiredReplicas"] = json!(0);
                let msg = format!(
                    "the HPA was unable to compute the replica count: failed to get cpu utilization: {NO_METRICS}"
                );
                set_condition(&mut status, "ScalingActive", "False", "FailedGetResourceMetric", &msg, &now);
                cluster.warning(
                    &hpa,
                    SOURCE,
                    "FailedGetResourceMetric",
                    &format!("failed to get cpu utilization: {NO_METRICS}"),
                )?;
                let invalid = format!("invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: {NO_METRICS}");
                cluster.warning(&hpa, SOURCE, "FailedComputeMetricsReplicas", &invalid)?;
            }
        }
        write(cluster, &hpa, status)
    }
}

fn set_condition(status: &mut Value, type_: &str, value: &str, reason: &str, message: &str, now: &str) {
    let mut list = status.array_at("conditions").to_vec();
    let cond = json!({"type": type_, "status": value, "reason": reason, "message": message, "lastTransitionTime": now});
    match list.iter_mut().find(|c| c.str_at("type") == type_) {
        Some(c) if c.str_at("status") == value => {
            c["reason"] = json!(reason);
            c["message"] = json!(message);
        }
        Some(c) => *c = cond,
        None => list.push(cond),
    }
    status["conditions"] = Value::Array(list);
}

fn write(cluster: &mut Cluster, hpa: &Value, status: Value) -> Result<()> {
    if hpa.get("status") == Some(&status) {
        return Ok(());
    }
    let mut updated = hpa.clone();
    updated["status"] = status;
    cluster.update_status(updated)?;
    Ok(())
}
