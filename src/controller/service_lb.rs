//! The cloud provider's service controller (`k8s.io/cloud-provider/controllers/service`, v1.32)
//! on the cloud profiles: a Service of type LoadBalancer gets the `load-balancer-cleanup`
//! finalizer, an `EnsuringLoadBalancer` and an `EnsuredLoadBalancer` event and its load
//! balancer's address in `status.loadBalancer.ingress` (an IP, `ipMode: VIP`, on ACK, GKE and
//! AKS; an ELB hostname on EKS). A Service that stops being one, or is deleted, has its load
//! balancer deleted (`DeletingLoadBalancer`, `DeletedLoadBalancer`), its status cleared and the
//! finalizer removed. The local profiles (kind, minikube, k3s) have no cloud: their load
//! balancers stay `<pending>`. The cloud provisions at once, where a real one takes a minute.

use serde_json::{json, Value};

use super::Controller;
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, EventSource, Key};
use crate::Result;

/// `servicehelper.LoadBalancerCleanupFinalizer`.
pub const CLEANUP_FINALIZER: &str = "service.kubernetes.io/load-balancer-cleanup";
const SOURCE: EventSource<'static> = EventSource::component("service-controller");
/// Load balancers provisioned so far: each gets the next address.
const COUNTER: &str = "service-lb/allocated";

#[derive(Default)]
pub struct ServiceLbController {
    /// `needsUpdate`'s `Type` events (`ClusterIP -> LoadBalancer`) owed to Services whose
    /// change made them start or stop wanting a load balancer.
    type_changes: Vec<(Key, String, String)>,
}

fn wants_lb(svc: &Value) -> bool {
    svc.str_at("spec.type") == "LoadBalancer"
}

fn has_finalizer(svc: &Value) -> bool {
    svc.finalizers().iter().any(|f| f == CLEANUP_FINALIZER)
}

/// Whether the cluster's profile runs a cloud controller manager.
fn has_cloud(cluster: &Cluster) -> bool {
    matches!(cluster.profile.name, "ack" | "eks" | "gke" | "aks")
}

impl Controller for ServiceLbController {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        if change.key.kind != "Service" || !has_cloud(cluster) {
            return Ok(());
        }
        if let Some(svc) = &change.object {
            if let Some(old) = change.old.as_ref().filter(|old| wants_lb(old) != wants_lb(svc)) {
                let types = (old.str_at("spec.type").to_string(), svc.str_at("spec.type").to_string());
                self.type_changes.push((change.key.clone(), types.0, types.1));
            }
            if wants_lb(svc) || has_finalizer(svc) {
                queue.push(change.key.clone());
            }
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some(svc) = cluster.get(key)? else { return Ok(()) };
        let owed: Vec<(String, String)> = self
            .type_changes
            .iter()
            .filter(|(k, _, _)| k == key)
            .map(|(_, from, to)| (from.clone(), to.clone()))
            .collect();
        self.type_changes.retain(|(k, _, _)| k != key);
        // The controller's writes stay out of the id sequence, so the names and uids scripts
        // saw before it existed stay the same.
        cluster.aside(&format!("service-lb/{}/{}", key.namespace, key.name), |c| {
            for (from, to) in &owed {
                c.normal(&svc, SOURCE, "Type", &format!("{from} -> {to}"))?;
            }
            if svc.is_deleting() || !wants_lb(&svc) {
                cleanup(c, key, &svc)
            } else {
                ensure(c, key, &svc)
            }
        })
    }
}

/// Provisions the Service's load balancer unless it has one.
fn ensure(cluster: &mut Cluster, key: &Key, svc: &Value) -> Result<()> {
    if has_finalizer(svc) && !svc.array_at("status.loadBalancer.ingress").is_empty() {
        return Ok(());
    }
    let mut svc = svc.clone();
    if !has_finalizer(&svc) {
        let mut list = svc.finalizers();
        list.push(CLEANUP_FINALIZER.to_string());
        svc["metadata"]["finalizers"] = json!(list);
        // A metadata write of the controller's own, not the command's update.
        svc = (*cluster.update_status(svc)?).clone();
    }
    cluster.normal(&svc, SOURCE, "EnsuringLoadBalancer", "Ensuring load balancer")?;
    let n = cluster.counter(COUNTER)?;
    cluster.add_counter(COUNTER, 1)?;
    let ingress = address(cluster, n, svc.uid());
    cluster.normal(&svc, SOURCE, "EnsuredLoadBalancer", "Ensured load balancer")?;
    let Some(mut fresh) = cluster.get(key)? else { return Ok(()) };
    fresh["status"] = json!({"loadBalancer": {"ingress": [ingress]}});
    cluster.update_status(fresh)?;
    Ok(())
}

/// Deletes the Service's load balancer: its address goes, then the finalizer.
fn cleanup(cluster: &mut Cluster, key: &Key, svc: &Value) -> Result<()> {
    if !has_finalizer(svc) {
        return Ok(());
    }
    cluster.normal(svc, SOURCE, "DeletingLoadBalancer", "Deleting load balancer")?;
    cluster.normal(svc, SOURCE, "DeletedLoadBalancer", "Deleted load balancer")?;
    if !svc.array_at("status.loadBalancer.ingress").is_empty() {
        let mut cleared = svc.clone();
        cleared["status"] = json!({"loadBalancer": {}});
        cluster.update_status(cleared)?;
    }
    cluster.remove_finalizer(key, CLEANUP_FINALIZER)
}

/// The `n`th load balancer's address on the profile's cloud.
fn address(cluster: &Cluster, n: i64, uid: &str) -> Value {
    let n = n.max(0);
    let (a, b) = (n / 250 % 250, n % 250 + 2);
    match cluster.profile.name {
        // An ELB's DNS name: `a` and the Service's uid without dashes, a number, the region.
        "eks" => {
            let id: String = uid.chars().filter(|c| *c != '-').take(32).collect();
            let number = 1_000_000_000 + (n * 7_919_071) % 999_999_999;
            json!({"hostname": format!("a{id}-{number}.{}.elb.amazonaws.com", cluster.profile.region)})
        }
        "gke" => json!({"ip": format!("34.118.{a}.{b}"), "ipMode": "VIP"}),
        "aks" => json!({"ip": format!("20.81.{a}.{b}"), "ipMode": "VIP"}),
        _ => json!({"ip": format!("47.93.{a}.{b}"), "ipMode": "VIP"}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_load_balancers_are_wanted() {
        assert!(wants_lb(&json!({"spec": {"type": "LoadBalancer"}})));
        assert!(!wants_lb(&json!({"spec": {"type": "NodePort"}})));
        let svc = json!({"metadata": {"finalizers": [CLEANUP_FINALIZER]}});
        assert!(has_finalizer(&svc));
    }
}
