//! `describePod`, and the container/volume sections `DescribePodTemplate` reuses.

use std::collections::BTreeMap;

use serde_json::Value;

use super::common::{
    annotations_multiline, bool_at, controlled_by, events, go_value, int_at, labels_multiline, or_none, print_bool,
    rfc1123, since, string_map, strings_at, tolerations_multiline, Ctx, Writer,
};
use super::quantity::Quantity;
use crate::api::ObjectExt;

pub fn describe(pod: &Value, ctx: &Ctx) -> String {
    let mut w = Writer::new();
    header(&mut w, pod, ctx);
    body(&mut w, pod);
    events(&mut w, ctx);
    w.finish()
}

/// Everything from `Name:` to `NominatedNodeName:`.
fn header(w: &mut Writer, pod: &Value, ctx: &Ctx) {
    w.line(0, &format!("Name:\t{}", pod.name()));
    w.line(0, &format!("Namespace:\t{}", pod.namespace()));
    if let Some(p) = pod.i64_at("spec.priority") {
        w.line(0, &format!("Priority:\t{p}"));
    }
    optional(w, "Priority Class Name", pod.str_at("spec.priorityClassName"));
    optional(w, "Runtime Class Name", pod.str_at("spec.runtimeClassName"));
    optional(w, "Service Account", pod.str_at("spec.serviceAccountName"));
    match pod.str_at("spec.nodeName") {
        "" => w.line(0, "Node:\t<none>"),
        node => w.line(0, &format!("Node:\t{node}/{}", pod.str_at("status.hostIP"))),
    }
    if pod.time_at("status.startTime").is_some() {
        w.line(0, &format!("Start Time:\t{}", rfc1123(pod, "status.startTime")));
    }
    labels_multiline(w, "Labels", &pod.labels());
    annotations_multiline(w, "Annotations", &string_map(pod, "metadata.annotations"));
    let phase = pod.str_at("status.phase");
    if pod.is_deleting() && phase != "Failed" && phase != "Succeeded" {
        w.line(0, &format!("Status:\tTerminating (lasts {})", since(ctx.now, pod, "metadata.deletionTimestamp")));
        w.line(0, &format!("Termination Grace Period:\t{}s", int_at(pod, "metadata.deletionGracePeriodSeconds")));
    } else {
        w.line(0, &format!("Status:\t{phase}"));
    }
    optional(w, "Reason", pod.str_at("status.reason"));
    optional(w, "Message", pod.str_at("status.message"));
    if let Some(profile) = pod.at("spec.securityContext.seccompProfile").filter(|v| v.is_object()) {
        seccomp(w, 0, 0, profile);
    }
    w.line(0, &format!("IP:\t{}", pod.str_at("status.podIP")));
    pod_ips(w, pod);
    if let Some(c) = controlled_by(pod) {
        w.line(0, &format!("Controlled By:\t{c}"));
    }
    optional(w, "NominatedNodeName", pod.str_at("status.nominatedNodeName"));
}

/// Containers to the end of Topology Spread Constraints.
fn body(w: &mut Writer, pod: &Value) {
    if let Some(res) = pod.at("spec.resources").filter(|v| v.is_object()) {
        w.line(0, "Resources:");
        resources(w, res, 1);
    }
    let init = pod.array_at("spec.initContainers");
    if !init.is_empty() {
        containers(w, "Init Containers", init, pod.array_at("status.initContainerStatuses"), Some(pod), "");
    }
    containers(
        w,
        "Containers",
        pod.array_at("spec.containers"),
        pod.array_at("status.containerStatuses"),
        Some(pod),
        "",
    );
    let ephemeral = pod.array_at("spec.ephemeralContainers");
    if !ephemeral.is_empty() {
        let statuses = pod.array_at("status.ephemeralContainerStatuses");
        containers(w, "Ephemeral Containers", ephemeral, statuses, Some(pod), "");
    }
    readiness_gates(w, pod);
    conditions(w, pod);
    volumes(w, pod.array_at("spec.volumes"), "");
    w.line(0, &format!("QoS Class:\t{}", qos_class(pod)));
    labels_multiline(w, "Node-Selectors", &string_map(pod, "spec.nodeSelector"));
    tolerations_multiline(w, "Tolerations", pod.array_at("spec.tolerations"));
    topology_spread(w, pod.array_at("spec.topologySpreadConstraints"), "");
}

fn optional(w: &mut Writer, label: &str, value: &str) {
    if !value.is_empty() {
        w.line(0, &format!("{label}:\t{value}"));
    }
}

/// Pod level prints both lines at level 0; container level puts LocalhostProfile one deeper.
fn seccomp(w: &mut Writer, level: usize, localhost_level: usize, profile: &Value) {
    let kind = profile.str_at("type");
    w.line(level, &format!("SeccompProfile:\t{kind}"));
    if kind == "Localhost" {
        w.line(localhost_level, &format!("LocalhostProfile:\t{}", profile.str_at("localhostProfile")));
    }
}

fn pod_ips(w: &mut Writer, pod: &Value) {
    let ips = pod.array_at("status.podIPs");
    if ips.is_empty() {
        w.line(0, "IPs:\t<none>");
        return;
    }
    w.line(0, "IPs:");
    for ip in ips {
        w.line(1, &format!("IP:\t{}", ip.str_at("ip")));
    }
}

fn readiness_gates(w: &mut Writer, pod: &Value) {
    let gates = pod.array_at("spec.readinessGates");
    if gates.is_empty() {
        return;
    }
    w.line(0, "Readiness Gates:\n  Type\tStatus");
    for g in gates {
        let kind = g.str_at("conditionType");
        let status = pod
            .array_at("status.conditions")
            .iter()
            .find(|c| c.str_at("type") == kind)
            .map(|c| c.str_at("status"))
            .unwrap_or("<none>");
        w.line(1, &format!("{kind} \t{status} "));
    }
}

fn conditions(w: &mut Writer, pod: &Value) {
    let conds = pod.array_at("status.conditions");
    if conds.is_empty() {
        return;
    }
    w.line(0, "Conditions:\n  Type\tStatus");
    for c in conds {
        w.line(1, &format!("{} \t{} ", c.str_at("type"), c.str_at("status")));
    }
}

/// `describeTopologySpreadConstraints`, sorted by topology key.
pub fn topology_spread(w: &mut Writer, tscs: &[Value], space: &str) {
    if tscs.is_empty() {
        return;
    }
    let mut sorted: Vec<&Value> = tscs.iter().collect();
    sorted.sort_by(|a, b| a.str_at("topologyKey").cmp(b.str_at("topologyKey")));
    w.write(0, &format!("{space}Topology Spread Constraints:\t"));
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(0, &format!("{space}\t"));
        }
        let mut s = format!(
            "{}:{} when max skew {} is exceeded",
            t.str_at("topologyKey"),
            t.str_at("whenUnsatisfiable"),
            int_at(t, "maxSkew")
        );
        if let Some(sel) = t.at("labelSelector").filter(|v| v.is_object()) {
            s.push_str(&format!(" for selector {}", format_label_selector(sel)));
        }
        w.line(0, &s);
    }
}

/// `metav1.FormatLabelSelector`: `a=b,c in (x,y)`, `<none>` when empty.
pub fn format_label_selector(sel: &Value) -> String {
    let mut parts: Vec<String> = string_map(sel, "matchLabels").iter().map(|(k, v)| format!("{k}={v}")).collect();
    for e in sel.array_at("matchExpressions") {
        let key = e.str_at("key");
        let values = strings_at(e, "values");
        parts.push(match e.str_at("operator") {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.to_string(),
            "DoesNotExist" => format!("!{key}"),
            op => format!("{key} {op} ({})", values.join(",")),
        });
    }
    if parts.is_empty() {
        "<none>".to_string()
    } else {
        parts.join(",")
    }
}

/// `describeContainers`: `space` is "  " inside a pod template (names get one more space).
pub fn containers(w: &mut Writer, label: &str, list: &[Value], statuses: &[Value], pod: Option<&Value>, space: &str) {
    let none = if list.is_empty() { " <none>" } else { "" };
    w.line(0, &format!("{space}{label}:{none}"));
    for c in list {
        let status = statuses.iter().find(|s| s.str_at("name") == c.str_at("name"));
        basic_info(w, c, status, space);
        command(w, c);
        if let Some(s) = status {
            container_state(w, s);
        }
        if let Some(res) = c.at("resources") {
            resources(w, res, 2);
        }
        probes(w, c);
        if !c.array_at("envFrom").is_empty() {
            env_from(w, c);
        }
        env(w, c, pod);
        mounts(w, c);
    }
}

fn basic_info(w: &mut Writer, c: &Value, status: Option<&Value>, space: &str) {
    let indent = if space.is_empty() { "" } else { " " };
    w.line(1, &format!("{indent}{}:", c.str_at("name")));
    if let Some(s) = status {
        w.line(2, &format!("Container ID:\t{}", s.str_at("containerID")));
    }
    w.line(2, &format!("Image:\t{}", c.str_at("image")));
    if let Some(s) = status {
        w.line(2, &format!("Image ID:\t{}", s.str_at("imageID")));
    }
    let ports = c.array_at("ports");
    let proto = |p: &Value| p.str_at("protocol").to_string();
    let list: Vec<String> = ports.iter().map(|p| format!("{}/{}", int_at(p, "containerPort"), proto(p))).collect();
    let hosts: Vec<String> = ports.iter().map(|p| format!("{}/{}", int_at(p, "hostPort"), proto(p))).collect();
    port_line(w, "Port", &list.join(", "));
    port_line(w, "Host Port", &hosts.join(", "));
    if let Some(profile) = c.at("securityContext.seccompProfile").filter(|v| v.is_object()) {
        seccomp(w, 2, 3, profile);
    }
}

/// `Port:` for one, `Ports:` when the joined list has a comma.
fn port_line(w: &mut Writer, label: &str, joined: &str) {
    if joined.contains(',') {
        w.line(2, &format!("{label}s:\t{joined}"));
    } else {
        w.line(2, &format!("{label}:\t{}", or_none(joined)));
    }
}

fn command(w: &mut Writer, c: &Value) {
    for (field, label) in [("command", "Command:"), ("args", "Args:")] {
        let items = strings_at(c, field);
        if items.is_empty() {
            continue;
        }
        w.line(2, label);
        for item in &items {
            for s in item.split('\n') {
                w.line(3, s);
            }
        }
    }
}

fn container_state(w: &mut Writer, s: &Value) {
    state(w, "State", s.at("state"));
    if let Some(last) = s.at("lastState").filter(|l| l.at("terminated").is_some_and(|t| !t.is_null())) {
        state(w, "Last State", Some(last));
    }
    w.line(2, &format!("Ready:\t{}", print_bool(bool_at(s, "ready"))));
    w.line(2, &format!("Restart Count:\t{}", int_at(s, "restartCount")));
}

fn state(w: &mut Writer, name: &str, st: Option<&Value>) {
    let get = |k: &str| st.and_then(|s| s.get(k)).filter(|v| !v.is_null());
    if let Some(r) = get("running") {
        w.line(2, &format!("{name}:\tRunning"));
        w.line(3, &format!("Started:\t{}", rfc1123(r, "startedAt")));
    } else if let Some(wt) = get("waiting") {
        w.line(2, &format!("{name}:\tWaiting"));
        if !wt.str_at("reason").is_empty() {
            w.line(3, &format!("Reason:\t{}", wt.str_at("reason")));
        }
    } else if let Some(t) = get("terminated") {
        terminated(w, name, t);
    } else {
        w.line(2, &format!("{name}:\tWaiting"));
    }
}

fn terminated(w: &mut Writer, name: &str, t: &Value) {
    w.line(2, &format!("{name}:\tTerminated"));
    for (field, label) in [("reason", "Reason"), ("message", "Message")] {
        if !t.str_at(field).is_empty() {
            w.line(3, &format!("{label}:\t{}", t.str_at(field)));
        }
    }
    w.line(3, &format!("Exit Code:\t{}", int_at(t, "exitCode")));
    if int_at(t, "signal") > 0 {
        w.line(3, &format!("Signal:\t{}", int_at(t, "signal")));
    }
    w.line(3, &format!("Started:\t{}", rfc1123(t, "startedAt")));
    w.line(3, &format!("Finished:\t{}", rfc1123(t, "finishedAt")));
}

/// `describeResources`: `Limits:`/`Requests:` with one sorted `name:\tquantity` line each.
pub fn resources(w: &mut Writer, res: &Value, level: usize) {
    for (field, label) in [("limits", "Limits:"), ("requests", "Requests:")] {
        let list = resource_list(res.get(field));
        if list.is_empty() {
            continue;
        }
        w.line(level, label);
        for (name, q) in &list {
            w.line(level + 1, &format!("{name}:\t{}", q.render()));
        }
    }
}

/// A ResourceList as sorted name → quantity (unparsable values are skipped).
pub fn resource_list(v: Option<&Value>) -> BTreeMap<String, Quantity> {
    let mut out = BTreeMap::new();
    if let Some(Value::Object(m)) = v {
        for (k, v) in m {
            if let Some(q) = Quantity::from_json(Some(v)) {
                out.insert(k.clone(), q);
            }
        }
    }
    out
}

fn probes(w: &mut Writer, c: &Value) {
    for (field, label) in [("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"), ("startupProbe", "Startup")]
    {
        if let Some(p) = c.get(field).filter(|p| p.is_object()) {
            w.line(2, &format!("{label}:\t{}", describe_probe(p)));
        }
    }
}

/// `DescribeProbe`: `http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3`.
fn describe_probe(p: &Value) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        int_at(p, "initialDelaySeconds"),
        int_at(p, "timeoutSeconds"),
        int_at(p, "periodSeconds"),
        int_at(p, "successThreshold"),
        int_at(p, "failureThreshold")
    );
    if let Some(e) = p.get("exec").filter(|v| v.is_object()) {
        return format!("exec [{}] {attrs}", strings_at(e, "command").join(" "));
    }
    if let Some(h) = p.get("httpGet").filter(|v| v.is_object()) {
        return format!("http-get {} {attrs}", http_get_url(h));
    }
    if let Some(t) = p.get("tcpSocket").filter(|v| v.is_object()) {
        return format!("tcp-socket {}:{} {attrs}", t.str_at("host"), int_or_string(t.get("port")));
    }
    if let Some(g) = p.get("grpc").filter(|v| v.is_object()) {
        return format!("grpc <pod>:{} {} {attrs}", int_at(g, "port"), g.str_at("service"));
    }
    format!("unknown {attrs}")
}

/// The probe URL as Go's `url.URL{Scheme, Host, Path}.String()` builds it.
fn http_get_url(h: &Value) -> String {
    let port = int_or_string(h.get("port"));
    let host = h.str_at("host");
    let host = if port.is_empty() {
        host.to_string()
    } else if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let path = h.str_at("path");
    let path = if !path.is_empty() && !path.starts_with('/') { format!("/{path}") } else { path.to_string() };
    format!("{}://{host}{path}", h.str_at("scheme").to_lowercase())
}

/// An IntOrString field as `String()` prints it.
pub fn int_or_string(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => "0".to_string(),
    }
}

fn env_from(w: &mut Writer, c: &Value) {
    w.line(2, "Environment Variables from:");
    for e in c.array_at("envFrom") {
        let (from, r) = if let Some(r) = e.get("configMapRef").filter(|v| v.is_object()) {
            ("ConfigMap", Some(r))
        } else if let Some(r) = e.get("secretRef").filter(|v| v.is_object()) {
            ("Secret", Some(r))
        } else {
            ("", None)
        };
        let name = r.map(|r| r.str_at("name")).unwrap_or("");
        let optional = r.map(|r| bool_at(r, "optional")).unwrap_or(false);
        match e.str_at("prefix") {
            "" => w.line(3, &format!("{name}\t{from}\tOptional: {optional}")),
            prefix => w.line(3, &format!("{name}\t{from} with prefix '{prefix}'\tOptional: {optional}")),
        }
    }
}

fn env(w: &mut Writer, c: &Value, pod: Option<&Value>) {
    let vars = c.array_at("env");
    w.line(2, if vars.is_empty() { "Environment:\t<none>" } else { "Environment:" });
    for e in vars {
        let name = e.str_at("name");
        let Some(from) = e.get("valueFrom").filter(|v| v.is_object()) else {
            for (i, s) in e.str_at("value").split('\n').enumerate() {
                w.line(3, &if i == 0 { format!("{name}:\t{s}") } else { format!("\t{s}") });
            }
            continue;
        };
        if let Some(f) = from.get("fieldRef").filter(|v| v.is_object()) {
            let value = pod.map(|p| field_value(p, f.str_at("fieldPath"))).unwrap_or_default();
            w.line(3, &format!("{name}:\t{value} ({}:{})", f.str_at("apiVersion"), f.str_at("fieldPath")));
        } else if let Some(r) = from.get("resourceFieldRef").filter(|v| v.is_object()) {
            let resource = r.str_at("resource");
            let mut value = resource_field_value(c, r);
            if value == "0" && (resource == "limits.cpu" || resource == "limits.memory") {
                value = "node allocatable".to_string();
            }
            w.line(3, &format!("{name}:\t{value} ({resource})"));
        } else if let Some(s) = from.get("secretKeyRef").filter(|v| v.is_object()) {
            let (key, n, opt) = (s.str_at("key"), s.str_at("name"), bool_at(s, "optional"));
            w.line(3, &format!("{name}:\t<set to the key '{key}' in secret '{n}'>\tOptional: {opt}"));
        } else if let Some(m) = from.get("configMapKeyRef").filter(|v| v.is_object()) {
            let (key, n, opt) = (m.str_at("key"), m.str_at("name"), bool_at(m, "optional"));
            w.line(3, &format!("{name}:\t<set to the key '{key}' of config map '{n}'>\tOptional: {opt}"));
        }
    }
}

/// kubectl's `EnvValueRetriever`: the field path first goes through its scheme's
/// `ConvertFieldLabel`, which (no Pod conversion being registered on the client side) accepts only
/// `metadata.name` and `metadata.namespace`; every other path (uid, labels, annotations, spec and
/// status fields) prints empty.
fn field_value(pod: &Value, path: &str) -> String {
    match path {
        "metadata.name" | "metadata.namespace" => pod.str_at(path).to_string(),
        _ => String::new(),
    }
}

/// `ExtractContainerResourceValue` for `limits.*`/`requests.*` with the divisor (default 1).
fn resource_field_value(c: &Value, r: &Value) -> String {
    let resource = r.str_at("resource");
    let Some((kind, name)) = resource.split_once('.') else { return String::new() };
    let q = resource_list(c.at(&format!("resources.{kind}"))).get(name).copied().unwrap_or_default();
    let divisor = Quantity::from_json(r.get("divisor")).filter(|d| !d.is_zero());
    if name == "cpu" {
        let d = divisor.map(|d| d.milli_value()).unwrap_or(1000).max(1);
        let m = q.milli_value();
        return ((m + d - 1).div_euclid(d)).to_string();
    }
    let d = divisor.map(|d| d.value()).unwrap_or(1).max(1);
    ((q.value() + d - 1).div_euclid(d)).to_string()
}

fn mounts(w: &mut Writer, c: &Value) {
    let mut list: Vec<&Value> = c.array_at("volumeMounts").iter().collect();
    w.line(2, if list.is_empty() { "Mounts:\t<none>" } else { "Mounts:" });
    list.sort_by(|a, b| a.str_at("mountPath").cmp(b.str_at("mountPath")));
    for m in list {
        let mut flags = vec![if bool_at(m, "readOnly") { "ro".to_string() } else { "rw".to_string() }];
        if !m.str_at("subPath").is_empty() {
            flags.push(format!("path={:?}", m.str_at("subPath")));
        }
        w.line(3, &format!("{} from {} ({})", m.str_at("mountPath"), m.str_at("name"), flags.join(",")));
    }
    let mut devices: Vec<&Value> = c.array_at("volumeDevices").iter().collect();
    if !devices.is_empty() {
        w.line(2, "Devices:");
        devices.sort_by(|a, b| a.str_at("devicePath").cmp(b.str_at("devicePath")));
        for d in devices {
            w.line(3, &format!("{} from {}", d.str_at("devicePath"), d.str_at("name")));
        }
    }
}

/// `describeVolumes`; `space` is "  " inside a pod template.
pub fn volumes(w: &mut Writer, list: &[Value], space: &str) {
    if list.is_empty() {
        w.line(0, &format!("{space}Volumes:\t<none>"));
        return;
    }
    w.line(0, &format!("{space}Volumes:"));
    let indent = if space.is_empty() { "" } else { " " };
    for v in list {
        w.line(1, &format!("{indent}{}:", v.str_at("name")));
        volume_source(w, v);
    }
}

fn volume_source(w: &mut Writer, v: &Value) {
    let src = |k: &str| v.get(k).filter(|s| s.is_object());
    if let Some(h) = src("hostPath") {
        host_path(w, h);
    } else if let Some(e) = src("emptyDir") {
        let size = Quantity::from_json(e.get("sizeLimit")).filter(|q| q.cmp(&Quantity::default()).is_gt());
        let size = size.map(|q| q.render()).unwrap_or_else(|| "<unset>".to_string());
        w.line(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)");
        w.line(2, &format!("Medium:\t{}", e.str_at("medium")));
        w.line(2, &format!("SizeLimit:\t{size}"));
    } else if let Some(s) = src("secret") {
        w.line(2, "Type:\tSecret (a volume populated by a Secret)");
        w.line(2, &format!("SecretName:\t{}", s.str_at("secretName")));
        w.line(2, &format!("Optional:\t{}", bool_at(s, "optional")));
    } else if let Some(c) = src("configMap") {
        w.line(2, "Type:\tConfigMap (a volume populated by a ConfigMap)");
        w.line(2, &format!("Name:\t{}", c.str_at("name")));
        w.line(2, &format!("Optional:\t{}", bool_at(c, "optional")));
    } else if let Some(c) = src("persistentVolumeClaim") {
        w.line(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)");
        w.line(2, &format!("ClaimName:\t{}", c.str_at("claimName")));
        w.line(2, &format!("ReadOnly:\t{}", bool_at(c, "readOnly")));
    } else if let Some(e) = src("ephemeral") {
        w.line(
            2,
            "Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)",
        );
        if let Some(t) = e.get("volumeClaimTemplate").filter(|t| t.is_object()) {
            // The template as a claim: its metadata and spec, nothing else.
            let claim = serde_json::json!({"metadata": t.get("metadata"), "spec": t.get("spec")});
            w.nested(2, |w| super::pvc::print_claim(w, &claim, None));
        }
    } else if let Some(d) = src("downwardAPI") {
        downward_api(w, d);
    } else if let Some(p) = src("projected") {
        projected(w, p);
    } else if let Some(c) = src("csi") {
        csi_inline(w, c);
    } else if let Some(n) = src("nfs") {
        w.line(2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)");
        w.line(2, &format!("Server:\t{}", n.str_at("server")));
        w.line(2, &format!("Path:\t{}", n.str_at("path")));
        w.line(2, &format!("ReadOnly:\t{}", bool_at(n, "readOnly")));
    } else if !super::legacy_volumes::describe(w, v) {
        w.line(1, "<unknown>");
    }
}

/// HostPath, shared with PersistentVolume sources.
pub fn host_path(w: &mut Writer, h: &Value) {
    let kind = h.get("type").filter(|t| !t.is_null()).map(|t| go_value(Some(t))).unwrap_or_else(|| "<none>".into());
    w.line(2, "Type:\tHostPath (bare host directory volume)");
    w.line(2, &format!("Path:\t{}", h.str_at("path")));
    w.line(2, &format!("HostPathType:\t{kind}"));
}

fn downward_api(w: &mut Writer, d: &Value) {
    w.line(2, "Type:\tDownwardAPI (a volume populated by information about the pod)");
    w.line(2, "Items:");
    for item in d.array_at("items") {
        if let Some(f) = item.get("fieldRef").filter(|v| v.is_object()) {
            w.line(3, &format!("{} -> {}", f.str_at("fieldPath"), item.str_at("path")));
        }
        if let Some(r) = item.get("resourceFieldRef").filter(|v| v.is_object()) {
            w.line(3, &format!("{} -> {}", r.str_at("resource"), item.str_at("path")));
        }
    }
}

/// Projected sources; v1.32 prints the `optional` pointers with `%v` (`<nil>` when unset).
fn projected(w: &mut Writer, p: &Value) {
    w.line(2, "Type:\tProjected (a volume that contains injected data from multiple sources)");
    for s in p.array_at("sources") {
        let get = |k: &str| s.get(k).filter(|v| v.is_object());
        if let Some(sec) = get("secret") {
            w.line(2, &format!("SecretName:\t{}", sec.str_at("name")));
            w.line(2, &format!("SecretOptionalName:\t{}", go_value(sec.get("optional"))));
        } else if get("downwardAPI").is_some() {
            w.line(2, "DownwardAPI:\ttrue");
        } else if let Some(cm) = get("configMap") {
            w.line(2, &format!("ConfigMapName:\t{}", cm.str_at("name")));
            w.line(2, &format!("ConfigMapOptional:\t{}", go_value(cm.get("optional"))));
        } else if let Some(t) = get("serviceAccountToken") {
            w.line(2, &format!("TokenExpirationSeconds:\t{}", int_at(t, "expirationSeconds")));
        }
    }
}

fn csi_inline(w: &mut Writer, c: &Value) {
    w.line(2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)");
    w.line(2, &format!("Driver:\t{}", c.str_at("driver")));
    w.line(2, &format!("FSType:\t{}", c.str_at("fsType")));
    w.line(2, &format!("ReadOnly:\t{}", bool_at(c, "readOnly")));
    csi_attributes(w, &string_map(c, "volumeAttributes"));
}

/// `printCSIPersistentVolumeAttributesMultiline` at level 2.
pub fn csi_attributes(w: &mut Writer, attrs: &BTreeMap<String, String>) {
    w.write(2, "VolumeAttributes:\t");
    if attrs.is_empty() {
        w.line(0, "<none>");
        return;
    }
    for (i, (k, v)) in attrs.iter().enumerate() {
        if i != 0 {
            w.write(2, "");
            w.write(2, "\t");
        }
        w.line(2, &super::common::shorten(&format!("{k}={v}"), 140));
    }
}

/// `qos.GetPodQOS`: the status field when set, else computed from cpu/memory requests and limits.
pub fn qos_class(pod: &Value) -> String {
    match pod.str_at("status.qosClass") {
        "" => compute_qos(pod).to_string(),
        q => q.to_string(),
    }
}

fn compute_qos(pod: &Value) -> &'static str {
    let mut requests: BTreeMap<String, Quantity> = BTreeMap::new();
    let mut limits: BTreeMap<String, Quantity> = BTreeMap::new();
    let mut guaranteed = true;
    let all = pod.array_at("spec.containers").iter().chain(pod.array_at("spec.initContainers"));
    for c in all {
        sum_positive(&mut requests, c.at("resources.requests"));
        let found = sum_positive(&mut limits, c.at("resources.limits"));
        if !(found.contains(&"cpu".to_string()) && found.contains(&"memory".to_string())) {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed {
        guaranteed = requests.iter().all(|(k, r)| limits.get(k).is_some_and(|l| l.cmp(r).is_eq()));
    }
    if guaranteed && requests.len() == limits.len() {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

/// Adds the positive cpu/memory quantities of `list` into `into`; returns the names found.
fn sum_positive(into: &mut BTreeMap<String, Quantity>, list: Option<&Value>) -> Vec<String> {
    let mut found = Vec::new();
    for (name, q) in resource_list(list) {
        if (name == "cpu" || name == "memory") && q.cmp(&Quantity::default()).is_gt() {
            into.entry(name.clone()).or_default().add(&q);
            found.push(name);
        }
    }
    found
}
