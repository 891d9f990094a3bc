//! A container's own checks (`validateContainerCommon` and what `validateContainers` /
//! `validateInitContainers` add: probes, lifecycle hooks, restart policy), v1.32, in the
//! server's order.

use std::collections::BTreeSet;

use serde_json::Value;

use super::names::{self, q, scalar};
use super::pod_volumes::local_descending;
use super::Causes;
use crate::api::object::ObjectExt;
use crate::api::quantity::Quantity;
use crate::error::FieldError;

fn present<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key).filter(|s| !s.is_null())
}

/// `validateContainerCommon`: name, image, termination message policy, ports, env, envFrom,
/// mounts, pull policy, resources, security context.
pub fn common(ctr: &Value, path: &str, vols: &BTreeSet<String>, c: &mut Causes) {
    let name = ctr.str_at("name");
    if name.is_empty() {
        c.push(FieldError::required(format!("{path}.name"), ""));
    } else {
        for msg in names::dns1123_label(name) {
            c.push(FieldError::invalid(format!("{path}.name"), &q(name), &msg));
        }
    }
    if ctr.str_at("image").is_empty() {
        c.push(FieldError::required(format!("{path}.image"), ""));
    }
    match ctr.str_at("terminationMessagePolicy") {
        "File" | "FallbackToLogsOnError" => {}
        "" => c.push(FieldError::required(format!("{path}.terminationMessagePolicy"), "")),
        other => c.push(FieldError::unsupported(
            format!("{path}.terminationMessagePolicy"),
            other,
            &["File", "FallbackToLogsOnError"],
        )),
    }
    ports(ctr, &format!("{path}.ports"), c);
    super::env::env(ctr, &format!("{path}.env"), c);
    super::env::env_from(ctr, &format!("{path}.envFrom"), c);
    volume_mounts(ctr, &format!("{path}.volumeMounts"), vols, c);
    match ctr.str_at("imagePullPolicy") {
        "Always" | "IfNotPresent" | "Never" => {}
        "" => c.push(FieldError::required(format!("{path}.imagePullPolicy"), "")),
        other => c.push(FieldError::unsupported(
            format!("{path}.imagePullPolicy"),
            other,
            &["Always", "IfNotPresent", "Never"],
        )),
    }
    resources(ctr, &format!("{path}.resources"), c);
    if let Some(sc) = present(ctr, "securityContext") {
        security_context(sc, &format!("{path}.securityContext"), c);
    }
}

/// What a regular container adds: its hooks and probes (readiness may not set a grace
/// period, liveness and startup need one success), and no restart policy of its own.
pub fn regular_extras(ctr: &Value, path: &str, grace: Option<i64>, c: &mut Causes) {
    hooks_and_probes(ctr, path, grace, c);
    if present(ctr, "restartPolicy").is_some() {
        c.push(FieldError::forbidden(format!("{path}.restartPolicy"), "may not be set for non-init containers"));
    }
}

/// `grace` is the pod's termination grace period, which a sleep hook may not outlast.
fn hooks_and_probes(ctr: &Value, path: &str, grace: Option<i64>, c: &mut Causes) {
    if let Some(l) = present(ctr, "lifecycle") {
        for hook in ["postStart", "preStop"] {
            if let Some(h) = present(l, hook) {
                let kinds = ["exec", "httpGet", "tcpSocket", "sleep"];
                handler(h, &kinds, grace, &format!("{path}.lifecycle.{hook}"), c);
            }
        }
    }
    for key in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = present(ctr, key) {
            probe(p, key, grace, &format!("{path}.{key}"), c);
        }
    }
}

/// An init container: a restart policy of Always at most; only such a sidecar may carry hooks
/// and probes.
pub fn init_extras(ctr: &Value, path: &str, c: &mut Causes) -> bool {
    let policy = present(ctr, "restartPolicy").and_then(Value::as_str);
    if let Some(p) = policy.filter(|p| *p != "Always") {
        c.push(FieldError::unsupported(format!("{path}.restartPolicy"), p, &["Always"]));
    }
    policy == Some("Always")
}

/// The second half of an init container's checks, after its duplicate-name check.
pub fn init_hooks(ctr: &Value, path: &str, sidecar: bool, grace: Option<i64>, c: &mut Causes) {
    if sidecar {
        hooks_and_probes(ctr, path, grace, c);
        return;
    }
    for key in ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"] {
        if present(ctr, key).is_some() {
            c.push(FieldError::forbidden(
                format!("{path}.{key}"),
                "may not be set for init containers without restartPolicy=Always",
            ));
        }
    }
}

/// `validateProbe` and the per-kind rules around it.
fn probe(p: &Value, kind: &str, grace: Option<i64>, path: &str, c: &mut Causes) {
    handler(p, &["exec", "httpGet", "tcpSocket", "grpc"], grace, path, c);
    for field in ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] {
        super::meta::non_negative(p.get(field), &format!("{path}.{field}"), c);
    }
    let grace = p.get("terminationGracePeriodSeconds").and_then(Value::as_i64);
    if let Some(g) = grace.filter(|g| *g <= 0) {
        c.push(FieldError::invalid(
            format!("{path}.terminationGracePeriodSeconds"),
            &g.to_string(),
            "must be greater than 0",
        ));
    }
    if kind == "readinessProbe" {
        if let Some(g) = grace {
            c.push(FieldError::invalid(
                format!("{path}.terminationGracePeriodSeconds"),
                &g.to_string(),
                "must not be set for readinessProbes",
            ));
        }
    } else {
        let success = p.i64_at("successThreshold").unwrap_or(0);
        if success != 1 {
            c.push(FieldError::invalid(format!("{path}.successThreshold"), &success.to_string(), "must be 1"));
        }
    }
}

/// `validateHandler`: exactly one of `kinds`, each checked.
fn handler(h: &Value, kinds: &[&str], grace: Option<i64>, path: &str, c: &mut Causes) {
    let mut count = 0;
    for kind in kinds {
        let Some(action) = present(h, kind) else { continue };
        let at = format!("{path}.{kind}");
        if count > 0 {
            c.push(FieldError::forbidden(at, "may not specify more than 1 handler type"));
            continue;
        }
        count += 1;
        match *kind {
            "exec" if action.array_at("command").is_empty() => {
                c.push(FieldError::required(format!("{at}.command"), ""));
            }
            "httpGet" => http_get(action, &at, c),
            "tcpSocket" => port_num_or_name(action.get("port"), &format!("{at}.port"), c),
            "sleep" => sleep(action, grace, &at, c),
            "grpc" => {
                let port = action.i64_at("port").unwrap_or(0);
                for msg in names::port_num(port) {
                    c.push(FieldError::invalid(format!("{at}.port"), &port.to_string(), &msg));
                }
            }
            _ => {}
        }
    }
    if count == 0 {
        c.push(FieldError::required(path, "must specify a handler type"));
    }
}

/// `validateSleepAction` with v1.32's defaults (PodLifecycleSleepActionAllowZero is alpha, off):
/// more than zero seconds and no more than the pod's grace period.
fn sleep(action: &Value, grace: Option<i64>, path: &str, c: &mut Causes) {
    let Some(grace) = grace else { return };
    let secs = action.i64_at("seconds").unwrap_or(0);
    if secs <= 0 || secs > grace {
        let msg = format!("must be greater than 0 and less than terminationGracePeriodSeconds ({grace}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.");
        c.push(FieldError::invalid(path, &secs.to_string(), &msg));
    }
}

fn http_get(h: &Value, path: &str, c: &mut Causes) {
    if h.str_at("path").is_empty() {
        c.push(FieldError::required(format!("{path}.path"), ""));
    }
    port_num_or_name(h.get("port"), &format!("{path}.port"), c);
    let scheme = h.str_at("scheme");
    if scheme != "HTTP" && scheme != "HTTPS" {
        c.push(FieldError::unsupported(format!("{path}.scheme"), scheme, &["HTTP", "HTTPS"]));
    }
}

/// `ValidatePortNumOrName`: a number in range or a port name.
pub fn port_num_or_name(v: Option<&Value>, path: &str, c: &mut Causes) {
    match v {
        Some(Value::String(s)) => {
            for msg in names::port_name(s) {
                c.push(FieldError::invalid(path, &q(s), &msg));
            }
        }
        other => {
            let n = other.and_then(Value::as_i64).unwrap_or(0);
            for msg in names::port_num(n) {
                c.push(FieldError::invalid(path, &n.to_string(), &msg));
            }
        }
    }
}

/// `validateContainerPorts`.
fn ports(ctr: &Value, path: &str, c: &mut Causes) {
    let mut port_names = BTreeSet::new();
    for (i, p) in ctr.array_at("ports").iter().enumerate() {
        let at = format!("{path}[{i}]");
        let name = p.str_at("name");
        if !name.is_empty() {
            let errs = names::port_name(name);
            for msg in &errs {
                c.push(FieldError::invalid(format!("{at}.name"), &q(name), msg));
            }
            if errs.is_empty() && !port_names.insert(name.to_string()) {
                c.push(FieldError { field: format!("{at}.name"), detail: format!("Duplicate value: {}", q(name)) });
            }
        }
        let port = p.i64_at("containerPort").unwrap_or(0);
        if port == 0 {
            c.push(FieldError::required(format!("{at}.containerPort"), ""));
        } else {
            for msg in names::port_num(port) {
                c.push(FieldError::invalid(format!("{at}.containerPort"), &port.to_string(), &msg));
            }
        }
        if let Some(host) = p.i64_at("hostPort").filter(|h| *h != 0) {
            for msg in names::port_num(host) {
                c.push(FieldError::invalid(format!("{at}.hostPort"), &host.to_string(), &msg));
            }
        }
        protocol(p.get("protocol"), &format!("{at}.protocol"), c);
    }
}

/// Protocol required and one of SCTP/TCP/UDP (listed sorted, as `sets.List` gives them).
pub fn protocol(v: Option<&Value>, path: &str, c: &mut Causes) {
    match v.and_then(Value::as_str).unwrap_or("") {
        "TCP" | "UDP" | "SCTP" => {}
        "" => c.push(FieldError::required(path, "")),
        other => c.push(FieldError::unsupported(path, other, &["SCTP", "TCP", "UDP"])),
    }
}

/// `ValidateVolumeMounts`: each mount names a volume (or claim template) and has a unique path;
/// a subPath stays inside the volume.
fn volume_mounts(ctr: &Value, path: &str, vols: &BTreeSet<String>, c: &mut Causes) {
    let mut paths = BTreeSet::new();
    let privileged = ctr.at("securityContext.privileged").and_then(Value::as_bool).unwrap_or(false);
    for (i, m) in ctr.array_at("volumeMounts").iter().enumerate() {
        let at = format!("{path}[{i}]");
        let name = m.str_at("name");
        if name.is_empty() {
            c.push(FieldError::required(format!("{at}.name"), ""));
        }
        if !vols.contains(name) {
            c.push(FieldError::not_found(format!("{at}.name"), &q(name)));
        }
        let mount_path = m.get("mountPath").unwrap_or(&Value::Null);
        let mp = mount_path.as_str().unwrap_or("");
        if mp.is_empty() {
            c.push(FieldError::required(format!("{at}.mountPath"), ""));
        }
        if !paths.insert(mp.to_string()) {
            c.push(FieldError::invalid(format!("{at}.mountPath"), &scalar(mount_path), "must be unique"));
        }
        // The server reports these two at the list's path, not the mount's.
        let (sub, expr) = (m.str_at("subPath"), m.str_at("subPathExpr"));
        if !sub.is_empty() {
            local_descending(sub, &format!("{path}.subPath"), c);
        }
        if !expr.is_empty() {
            if !sub.is_empty() {
                c.push(FieldError::invalid(
                    format!("{at}.subPathExpr"),
                    &q(expr),
                    "subPathExpr and subPath are mutually exclusive",
                ));
            }
            local_descending(expr, &format!("{path}.subPathExpr"), c);
        }
        if let Some(prop) = m.get("mountPropagation").and_then(Value::as_str) {
            mount_propagation(prop, privileged, &format!("{path}.mountPropagation"), c);
        }
    }
}

fn mount_propagation(prop: &str, privileged: bool, path: &str, c: &mut Causes) {
    let supported = ["Bidirectional", "HostToContainer", "None"];
    if !supported.contains(&prop) {
        c.push(FieldError::unsupported(path, prop, &supported));
    }
    if prop == "Bidirectional" && !privileged {
        c.push(FieldError::forbidden(
            path,
            "Bidirectional mount propagation is available only to privileged containers",
        ));
    }
}

/// `IsStandardResourceName`'s unprefixed names.
const STANDARD_RESOURCES: [&str; 20] = [
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
    "services",
    "replicationcontrollers",
    "resourcequotas",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "storage",
    "requests.storage",
    "services.nodeports",
    "services.loadbalancers",
];

/// `validateContainerResourceName`: a qualified name; unprefixed, a resource containers have.
fn resource_name(name: &str, path: &str, c: &mut Causes) {
    let errs = names::qualified_name(name);
    for msg in &errs {
        c.push(FieldError::invalid(path, &q(name), msg));
    }
    if !errs.is_empty() || name.contains('/') {
        return;
    }
    let hugepages = name.starts_with("hugepages-");
    if !hugepages && !name.starts_with("requests.hugepages-") && !STANDARD_RESOURCES.contains(&name) {
        c.push(FieldError::invalid(path, &q(name), "must be a standard resource type or fully qualified"));
    }
    if !hugepages && !matches!(name, "cpu" | "memory" | "ephemeral-storage") {
        c.push(FieldError::invalid(path, &q(name), "must be a standard resource for containers"));
    }
}

/// `IsOvercommitAllowed`: native resources other than huge pages may be requested below their
/// limit; extended ones (`nvidia.com/gpu`) and huge pages need a limit equal to the request.
fn overcommit_allowed(name: &str) -> bool {
    let native = !name.contains('/') || name.contains("kubernetes.io/");
    native && !name.starts_with("hugepages-")
}

/// `ValidateContainerResourceRequirements`: names, no negative quantity, requests within their
/// limits (equal to them for resources that cannot be overcommitted, which need a limit), huge
/// pages only with cpu or memory. Go walks the maps in random order; kstate sorts them.
fn resources(ctr: &Value, path: &str, c: &mut Causes) {
    let map =
        |k: &str| ctr.get("resources").and_then(|r| r.get(k)).and_then(Value::as_object).cloned().unwrap_or_default();
    let (limits, requests) = (map("limits"), map("requests"));
    let checked = |kind: &str, name: &str, v: &Value, c: &mut Causes| {
        let field = format!("{path}.{kind}[{name}]");
        resource_name(name, &field, c);
        let amount = Quantity::from_json(v)?;
        if amount.is_negative() {
            c.push(FieldError::invalid(field, &q(&amount.to_string()), "must be greater than or equal to 0"));
        }
        Some(amount)
    };
    for (name, v) in &limits {
        checked("limits", name, v, c);
    }
    for (name, v) in &requests {
        let req = checked("requests", name, v, c);
        let lim = limits.get(name).and_then(Quantity::from_json);
        match (req, lim) {
            (Some(req), Some(lim)) if req != lim && !overcommit_allowed(name) => {
                let msg = format!("must be equal to {name} limit of {lim}");
                c.push(FieldError::invalid(format!("{path}.requests"), &q(&req.to_string()), &msg));
            }
            (Some(req), Some(lim)) if req > lim => {
                let msg = format!("must be less than or equal to {name} limit of {lim}");
                c.push(FieldError::invalid(format!("{path}.requests"), &q(&req.to_string()), &msg));
            }
            _ if !limits.contains_key(name) && !overcommit_allowed(name) => c.push(FieldError::required(
                format!("{path}.limits"),
                "Limit must be set for non overcommitable resources",
            )),
            _ => {}
        }
    }
    let has = |m: &serde_json::Map<String, Value>, f: &dyn Fn(&str) -> bool| m.keys().any(|k| f(k));
    let cpu_or_memory = |k: &str| k == "cpu" || k == "memory";
    let huge = |k: &str| k.starts_with("hugepages-");
    if !has(&limits, &cpu_or_memory)
        && !has(&requests, &cpu_or_memory)
        && (has(&limits, &huge) || has(&requests, &huge))
    {
        c.push(FieldError::forbidden(path, "hugepages- require cpu or memory"));
    }
}

/// `IsValidUserID` / `IsValidGroupID`.
pub fn id_range(sc: &Value, key: &str, path: &str, c: &mut Causes) {
    if let Some(id) = sc.get(key).and_then(Value::as_i64) {
        if !(0..=2147483647).contains(&id) {
            c.push(FieldError::invalid(
                format!("{path}.{key}"),
                &id.to_string(),
                "must be between 0 and 2147483647, inclusive",
            ));
        }
    }
}

/// `ValidateSecurityContext` (a container's): user and group ids, procMount, the seccomp
/// profile.
fn security_context(sc: &Value, path: &str, c: &mut Causes) {
    id_range(sc, "runAsUser", path, c);
    id_range(sc, "runAsGroup", path, c);
    if let Some(pm) = sc.get("procMount").and_then(Value::as_str) {
        if pm != "Default" && pm != "Unmasked" {
            c.push(FieldError::unsupported(format!("{path}.procMount"), pm, &["Default", "Unmasked"]));
        }
    }
    seccomp_profile(sc, path, c);
}

/// `validateSeccompProfileField`.
pub fn seccomp_profile(sc: &Value, path: &str, c: &mut Causes) {
    let Some(sp) = present(sc, "seccompProfile") else { return };
    let path = format!("{path}.seccompProfile");
    let ty = sp.str_at("type");
    match ty {
        "Localhost" | "RuntimeDefault" | "Unconfined" => {}
        "" => c.push(FieldError::required(format!("{path}.type"), "type is required when seccompProfile is set")),
        other => c.push(FieldError::unsupported(
            format!("{path}.type"),
            other,
            &["Localhost", "RuntimeDefault", "Unconfined"],
        )),
    }
    match (ty, sp.get("localhostProfile").and_then(Value::as_str)) {
        ("Localhost", None) => c.push(FieldError::required(
            format!("{path}.localhostProfile"),
            "must be set when seccomp type is Localhost",
        )),
        ("Localhost", Some(p)) => local_descending(p, &format!("{path}.localhostProfile"), c),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_resource_names() {
        let mut c = Causes::new();
        resource_name("cpus", "r", &mut c);
        assert_eq!(c.len(), 2, "{c:?}");
        let mut c = Causes::new();
        for ok in ["cpu", "memory", "hugepages-2Mi", "nvidia.com/gpu"] {
            resource_name(ok, "r", &mut c);
        }
        assert!(c.is_empty(), "{c:?}");
    }
}
