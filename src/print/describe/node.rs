//! `describeNode`: header, Lease, Conditions, Addresses, Capacity, System Info, the
//! Non-terminated Pods table and Allocated resources.

use std::collections::BTreeMap;

use serde_json::Value;

use super::common::{annotations_multiline, events, labels_multiline, rfc1123, since, string_map, Ctx, Writer};
use super::pod::resource_list;
use super::quantity::Quantity;
use crate::api::ObjectExt;
use crate::print::table::node_roles;

type Resources = BTreeMap<String, Quantity>;

pub fn describe(node: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", node.name()));
    w.line(0, &format!("Roles:\t{}", node_roles(node)));
    labels_multiline(&mut w, "Labels", &node.labels());
    annotations_multiline(&mut w, "Annotations", &string_map(node, "metadata.annotations"));
    w.line(0, &format!("CreationTimestamp:\t{}", rfc1123(node, "metadata.creationTimestamp")));
    taints(&mut w, node.array_at("spec.taints"));
    let unschedulable = node.at("spec.unschedulable").and_then(Value::as_bool).unwrap_or(false);
    w.line(0, &format!("Unschedulable:\t{unschedulable}"));
    lease(&mut w, node, ctx.related.lease.as_ref());
    conditions(&mut w, node);
    w.line(0, "Addresses:");
    for a in node.array_at("status.addresses") {
        w.line(1, &format!("{}:\t{}", a.str_at("type"), a.str_at("address")));
    }
    resource_block(&mut w, "Capacity:", &resource_list(node.at("status.capacity")));
    resource_block(&mut w, "Allocatable:", &resource_list(node.at("status.allocatable")));
    system_info(&mut w, node);
    pods_table(&mut w, node, ctx);
    allocated(&mut w, node, &ctx.related.pods);
    events(&mut w, ctx);
    w.finish()
}

/// Taints sorted by `effect,key`, printed as `key[=value][:effect]`.
fn taints(w: &mut Writer, list: &[Value]) {
    w.write(0, "Taints:\t");
    if list.is_empty() {
        w.line(0, "<none>");
        return;
    }
    let mut sorted: Vec<&Value> = list.iter().collect();
    sorted.sort_by_key(|t| format!("{},{}", t.str_at("effect"), t.str_at("key")));
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let mut s = t.str_at("key").to_string();
        if !t.str_at("value").is_empty() {
            s.push_str(&format!("={}", t.str_at("value")));
        }
        if !t.str_at("effect").is_empty() {
            s.push_str(&format!(":{}", t.str_at("effect")));
        }
        w.line(0, &s);
    }
}

fn lease(w: &mut Writer, node: &Value, lease: Option<&Value>) {
    let Some(l) = lease else {
        w.line(0, &format!("Lease:\tFailed to get lease: leases.coordination.k8s.io \"{}\" not found", node.name()));
        return;
    };
    w.line(0, "Lease:");
    let holder = l.at("spec.holderIdentity").and_then(Value::as_str).unwrap_or("<unset>");
    w.line(1, &format!("HolderIdentity:\t{holder}"));
    for (field, label) in [("acquireTime", "AcquireTime"), ("renewTime", "RenewTime")] {
        let path = format!("spec.{field}");
        let value = if l.time_at(&path).is_some() { rfc1123(l, &path) } else { "<unset>".to_string() };
        w.line(1, &format!("{label}:\t{value}"));
    }
}

fn conditions(w: &mut Writer, node: &Value) {
    let list = node.array_at("status.conditions");
    if list.is_empty() {
        return;
    }
    w.line(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage");
    w.line(1, "----\t------\t-----------------\t------------------\t------\t-------");
    for c in list {
        let (hb, tr) = (rfc1123(c, "lastHeartbeatTime"), rfc1123(c, "lastTransitionTime"));
        let (kind, status, reason, msg) =
            (c.str_at("type"), c.str_at("status"), c.str_at("reason"), c.str_at("message"));
        w.line(1, &format!("{kind} \t{status} \t{hb} \t{tr} \t{reason} \t{msg}"));
    }
}

fn resource_block(w: &mut Writer, title: &str, list: &Resources) {
    if list.is_empty() {
        return;
    }
    w.line(0, title);
    for (name, q) in list {
        w.line(0, &format!("  {name}:\t{}", q.render()));
    }
}

fn system_info(w: &mut Writer, node: &Value) {
    w.line(0, "System Info:");
    for (field, label) in [
        ("machineID", "Machine ID"),
        ("systemUUID", "System UUID"),
        ("bootID", "Boot ID"),
        ("kernelVersion", "Kernel Version"),
        ("osImage", "OS Image"),
        ("operatingSystem", "Operating System"),
        ("architecture", "Architecture"),
        ("containerRuntimeVersion", "Container Runtime Version"),
        ("kubeletVersion", "Kubelet Version"),
        ("kubeProxyVersion", "Kube-Proxy Version"),
    ] {
        w.line(0, &format!("  {label}:\t{}", node.str_at(&format!("status.nodeInfo.{field}"))));
    }
    if !node.str_at("spec.podCIDR").is_empty() {
        w.line(0, &format!("PodCIDR:\t{}", node.str_at("spec.podCIDR")));
    }
    let cidrs: Vec<&str> = node.array_at("spec.podCIDRs").iter().filter_map(Value::as_str).collect();
    if !cidrs.is_empty() {
        w.line(0, &format!("PodCIDRs:\t{}", cidrs.join(",")));
    }
    if !node.str_at("spec.providerID").is_empty() {
        w.line(0, &format!("ProviderID:\t{}", node.str_at("spec.providerID")));
    }
}

/// Allocatable, or capacity when the node reports no allocatable.
fn allocatable(node: &Value) -> Resources {
    let alloc = resource_list(node.at("status.allocatable"));
    if alloc.is_empty() {
        resource_list(node.at("status.capacity"))
    } else {
        alloc
    }
}

/// `int64(float64(a) / float64(b) * 100)`, with Go's conversion of NaN/±Inf to i64::MIN.
fn percent(a: i64, b: i64) -> i64 {
    let f = a as f64 / b as f64 * 100.0;
    if f.is_finite() {
        f as i64
    } else {
        i64::MIN
    }
}

fn sorted_pods(pods: &[Value]) -> Vec<&Value> {
    let mut sorted: Vec<&Value> = pods.iter().collect();
    sorted.sort_by(|a, b| (a.namespace(), a.name()).cmp(&(b.namespace(), b.name())));
    sorted
}

fn pods_table(w: &mut Writer, node: &Value, ctx: &Ctx) {
    let pods = sorted_pods(&ctx.related.pods);
    w.line(0, &format!("Non-terminated Pods:\t({} in total)", pods.len()));
    w.line(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge");
    w.line(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---");
    let alloc = allocatable(node);
    let get = |r: &Resources, k: &str| r.get(k).copied().unwrap_or_default();
    let (cpu_alloc, mem_alloc) = (get(&alloc, "cpu").milli_value(), get(&alloc, "memory").value());
    for pod in pods {
        let (req, lim) = pod_requests_and_limits(pod);
        let (cr, cl, mr, ml) = (get(&req, "cpu"), get(&lim, "cpu"), get(&req, "memory"), get(&lim, "memory"));
        w.line(
            1,
            &format!(
                "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}",
                pod.namespace(),
                pod.name(),
                cr.render(),
                percent(cr.milli_value(), cpu_alloc),
                cl.render(),
                percent(cl.milli_value(), cpu_alloc),
                mr.render(),
                percent(mr.value(), mem_alloc),
                ml.render(),
                percent(ml.value(), mem_alloc),
                since(ctx.now, pod, "metadata.creationTimestamp")
            ),
        );
    }
}

fn allocated(w: &mut Writer, node: &Value, pods: &[Value]) {
    w.line(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)");
    w.line(1, "Resource\tRequests\tLimits");
    w.line(1, "--------\t--------\t------");
    let (mut reqs, mut limits) = (Resources::new(), Resources::new());
    for pod in pods {
        let (r, l) = pod_requests_and_limits(pod);
        add_list(&mut reqs, &r);
        add_list(&mut limits, &l);
    }
    let alloc = allocatable(node);
    let get = |r: &Resources, k: &str| r.get(k).copied().unwrap_or_default();
    for (name, milli) in [("cpu", true), ("memory", false), ("ephemeral-storage", false)] {
        let (r, l, a) = (get(&reqs, name), get(&limits, name), get(&alloc, name));
        let val = |q: &Quantity| if milli { q.milli_value() } else { q.value() };
        let (pr, pl) = if val(&a) == 0 { (0, 0) } else { (percent(val(&r), val(&a)), percent(val(&l), val(&a))) };
        w.line(1, &format!("{name}\t{} ({pr}%)\t{} ({pl}%)", r.render(), l.render()));
    }
    for name in alloc.keys().filter(|k| k.starts_with("hugepages-")) {
        let (r, l, a) = (get(&reqs, name), get(&limits, name), get(&alloc, name));
        let (pr, pl) =
            if a.value() == 0 { (0, 0) } else { (percent(r.value(), a.value()), percent(l.value(), a.value())) };
        w.line(1, &format!("{name}\t{} ({pr}%)\t{} ({pl}%)", r.render(), l.render()));
    }
    for name in alloc.keys().filter(|k| is_extended(k)) {
        w.line(1, &format!("{name}\t{}\t{}", get(&reqs, name).render(), get(&limits, name).render()));
    }
}

/// Not a standard container resource, not `pods`, not hugepages.
fn is_extended(name: &str) -> bool {
    !matches!(name, "cpu" | "memory" | "ephemeral-storage" | "storage" | "pods") && !name.starts_with("hugepages-")
}

fn add_list(into: &mut Resources, from: &Resources) {
    for (k, q) in from {
        match into.get_mut(k) {
            Some(existing) => existing.add(q),
            None => {
                into.insert(k.clone(), *q);
            }
        }
    }
}

fn max_list(into: &mut Resources, from: &Resources) {
    for (k, q) in from {
        if into.get(k).is_none_or(|e| q.cmp(e).is_gt()) {
            into.insert(k.clone(), *q);
        }
    }
}

/// `resourcehelper.PodRequestsAndLimits`: containers summed, init containers (sidecars added
/// to the running set) taken as a maximum, plus the pod overhead.
fn pod_requests_and_limits(pod: &Value) -> (Resources, Resources) {
    (pod_total(pod, "requests"), pod_total(pod, "limits"))
}

fn pod_total(pod: &Value, field: &str) -> Resources {
    let mut total = Resources::new();
    for c in pod.array_at("spec.containers") {
        add_list(&mut total, &resource_list(c.at(&format!("resources.{field}"))));
    }
    let (mut sidecars, mut init_max) = (Resources::new(), Resources::new());
    for c in pod.array_at("spec.initContainers") {
        let own = resource_list(c.at(&format!("resources.{field}")));
        let effective = if c.str_at("restartPolicy") == "Always" {
            add_list(&mut total, &own);
            add_list(&mut sidecars, &own);
            sidecars.clone()
        } else {
            let mut tmp = own.clone();
            add_list(&mut tmp, &sidecars);
            tmp
        };
        max_list(&mut init_max, &effective);
    }
    max_list(&mut total, &init_max);
    add_list(&mut total, &resource_list(pod.at("spec.overhead")));
    total
}
