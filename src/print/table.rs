//! `kubectl get` tables: the server-side columns of `pkg/printers/internalversion/printers.go`
//! (v1.32) and the client-side decoration of cli-runtime's `tableprinter.go` (kind prefix,
//! NAMESPACE, `-L`, `--show-labels`), laid out by the tab writer.
//!
//! Each kind lists all its columns with their priority (wide-only columns have priority 1) and
//! computes every cell, as the server does; the printer then drops wide columns unless `-o wide`.

use serde_json::Value;

use crate::api::kinds::Kind;
use crate::api::object::{format_labels, ObjectExt};
use crate::clock::{parse_rfc3339, Instant};
use crate::print::age::age;
use crate::print::tabwriter::{self, align};

pub struct TableOptions {
    pub wide: bool,
    pub no_headers: bool,
    /// NAME cell prefixed `pod/`, `statefulset.apps/` (multi-kind get).
    pub kind_prefix: bool,
    /// NAMESPACE column first.
    pub all_namespaces: bool,
    pub show_labels: bool,
    /// `-L` keys.
    pub label_columns: Vec<String>,
}

/// One kind's table for `objects` (all of `kind`), aligned, each line ending in '\n'.
/// Returns "" when objects is empty (kubectl prints no header without rows).
pub fn render(kind: &Kind, objects: &[Value], opts: &TableOptions, now: Instant) -> String {
    if objects.is_empty() {
        return String::new();
    }
    let columns = columns(kind.kind);
    let shown: Vec<usize> = (0..columns.len()).filter(|&i| opts.wide || !columns[i].wide).collect();
    let mut rows: Vec<Vec<String>> = Vec::new();
    if !opts.no_headers {
        let mut header = Vec::new();
        if opts.all_namespaces && kind.namespaced {
            header.push("NAMESPACE".to_string());
        }
        header.extend(shown.iter().map(|&i| columns[i].header.to_string()));
        header.extend(opts.label_columns.iter().map(|k| label_header(k)));
        if opts.show_labels {
            header.push("LABELS".to_string());
        }
        rows.push(header);
    }
    let name_column = columns.iter().position(|c| c.is_name).unwrap_or(0);
    for obj in objects {
        let mut all = cells(kind.kind, obj, now, opts.wide);
        if opts.kind_prefix {
            if let Some(cell) = all.get_mut(name_column) {
                *cell = format!("{}/{}", kind.name_prefix(), cell);
            }
        }
        let mut row = Vec::new();
        if opts.all_namespaces && kind.namespaced {
            row.push(obj.namespace().to_string());
        }
        row.extend(shown.iter().map(|&i| all.get(i).cloned().unwrap_or_default()));
        let labels = obj.labels();
        row.extend(opts.label_columns.iter().map(|k| labels.get(k).cloned().unwrap_or_default()));
        if opts.show_labels {
            row.push(format_labels(&labels));
        }
        rows.push(row);
    }
    let text: String =
        rows.iter().map(|r| r.iter().map(|c| escape_cell(c)).collect::<Vec<_>>().join("\t") + "\n").collect();
    align(&text, tabwriter::TABLE)
}

/// `-L a/b/key` column header: the part after the last `/`, upper-cased.
fn label_header(key: &str) -> String {
    key.rsplit('/').next().unwrap_or(key).to_uppercase()
}

/// tableprinter.go: a cell is cut at the first `\f`, `\n` or `\r` (then `...`), and ESC shows as `^[`.
fn escape_cell(cell: &str) -> String {
    let (text, cut) = match cell.find(['\u{c}', '\n', '\r']) {
        Some(i) => (&cell[..i], true),
        None => (cell, false),
    };
    let mut out = text.replace('\u{1b}', "^[");
    if cut {
        out.push_str("...");
    }
    out
}

struct Column {
    header: &'static str,
    wide: bool,
    /// The column with `Format: name`, which gets the kind prefix.
    is_name: bool,
}

const fn col(header: &'static str) -> Column {
    Column { header, wide: false, is_name: false }
}
const fn wide(header: &'static str) -> Column {
    Column { header, wide: true, is_name: false }
}
const NAME: Column = Column { header: "NAME", wide: false, is_name: true };
const AGE: Column = col("AGE");

fn columns(kind: &str) -> Vec<Column> {
    match kind {
        "Pod" => vec![
            NAME,
            col("READY"),
            col("STATUS"),
            col("RESTARTS"),
            AGE,
            wide("IP"),
            wide("NODE"),
            wide("NOMINATED NODE"),
            wide("READINESS GATES"),
        ],
        "Service" => {
            vec![NAME, col("TYPE"), col("CLUSTER-IP"), col("EXTERNAL-IP"), col("PORT(S)"), AGE, wide("SELECTOR")]
        }
        "StatefulSet" => vec![NAME, col("READY"), AGE, wide("CONTAINERS"), wide("IMAGES")],
        "PersistentVolumeClaim" => vec![
            NAME,
            col("STATUS"),
            col("VOLUME"),
            col("CAPACITY"),
            col("ACCESS MODES"),
            col("STORAGECLASS"),
            col("VOLUMEATTRIBUTESCLASS"),
            AGE,
            wide("VOLUMEMODE"),
        ],
        "PersistentVolume" => vec![
            NAME,
            col("CAPACITY"),
            col("ACCESS MODES"),
            col("RECLAIM POLICY"),
            col("STATUS"),
            col("CLAIM"),
            col("STORAGECLASS"),
            col("VOLUMEATTRIBUTESCLASS"),
            col("REASON"),
            AGE,
            wide("VOLUMEMODE"),
        ],
        "StorageClass" => vec![
            NAME,
            col("PROVISIONER"),
            col("RECLAIMPOLICY"),
            col("VOLUMEBINDINGMODE"),
            col("ALLOWVOLUMEEXPANSION"),
            AGE,
        ],
        "Node" => vec![
            NAME,
            col("STATUS"),
            col("ROLES"),
            AGE,
            col("VERSION"),
            wide("INTERNAL-IP"),
            wide("EXTERNAL-IP"),
            wide("OS-IMAGE"),
            wide("KERNEL-VERSION"),
            wide("CONTAINER-RUNTIME"),
        ],
        "Event" => vec![
            col("LAST SEEN"),
            col("TYPE"),
            col("REASON"),
            col("OBJECT"),
            wide("SUBOBJECT"),
            wide("SOURCE"),
            col("MESSAGE"),
            wide("FIRST SEEN"),
            wide("COUNT"),
            Column { header: "NAME", wide: true, is_name: true },
        ],
        "ControllerRevision" => vec![NAME, col("CONTROLLER"), col("REVISION"), AGE],
        "Endpoints" => vec![NAME, col("ENDPOINTS"), AGE],
        // Namespace, and the server's fallback for kinds without a printer.
        "Namespace" => vec![NAME, col("STATUS"), AGE],
        _ => vec![NAME, AGE],
    }
}

/// Every cell of `obj`'s row, in column order (wide ones included).
fn cells(kind: &str, obj: &Value, now: Instant, wide: bool) -> Vec<String> {
    let age = age(now, obj.created());
    let name = obj.name().to_string();
    match kind {
        "Pod" => pod_cells(obj, now),
        "Service" => service_cells(obj, now, wide),
        "StatefulSet" => {
            let (names, images) = container_cells(obj.array_at("spec.template.spec.containers"));
            let ready = format!("{}/{}", obj.i64_at("status.readyReplicas").unwrap_or(0), replicas(obj));
            vec![name, ready, age, names, images]
        }
        "PersistentVolumeClaim" => pvc_cells(obj, now),
        "PersistentVolume" => pv_cells(obj, now),
        "StorageClass" => vec![
            storage_class_name(obj),
            obj.str_at("provisioner").to_string(),
            or(obj.str_at("reclaimPolicy"), "Delete"),
            or(obj.str_at("volumeBindingMode"), "Immediate"),
            obj.at("allowVolumeExpansion").and_then(Value::as_bool).unwrap_or(false).to_string(),
            age,
        ],
        "Node" => node_cells(obj, now),
        "Event" => event_cells(obj, now),
        "ControllerRevision" => {
            vec![name, controller_name(obj), obj.at("revision").map(go_scalar).unwrap_or_else(|| "0".into()), age]
        }
        "Endpoints" => vec![name, format_endpoints(obj), age],
        "Namespace" => vec![name, obj.str_at("status.phase").to_string(), age],
        _ => vec![name, age],
    }
}

fn or(s: &str, default: &str) -> String {
    if s.is_empty() { default } else { s }.to_string()
}

/// `spec.replicas` as the API server defaults it (1 when unset).
fn replicas(obj: &Value) -> i64 {
    obj.i64_at("spec.replicas").unwrap_or(1)
}

/// A JSON scalar as Go's `%v` prints it.
fn go_scalar(v: &Value) -> String {
    crate::print::jsonpath::go_fmt_v(v)
}

// ---------------------------------------------------------------- Pod

fn is_restartable_init(container: Option<&Value>) -> bool {
    container.is_some_and(|c| c.str_at("restartPolicy") == "Always")
}

fn terminated_reason(t: &Value, prefix: &str) -> String {
    let reason = t.str_at("reason");
    if !reason.is_empty() {
        return format!("{prefix}{reason}");
    }
    match t.i64_at("signal").unwrap_or(0) {
        0 => format!("{prefix}ExitCode:{}", t.i64_at("exitCode").unwrap_or(0)),
        s => format!("{prefix}Signal:{s}"),
    }
}

fn last_termination(status: &Value) -> Option<Instant> {
    let t = status.at("lastState.terminated")?;
    parse_rfc3339(t.str_at("finishedAt")).or(Some(i64::MIN))
}

fn condition_true(obj: &Value, kind: &str) -> bool {
    obj.array_at("status.conditions").iter().any(|c| c.str_at("type") == kind && c.str_at("status") == "True")
}

/// `printPod`: READY, STATUS (init containers, container reasons, Terminating), RESTARTS.
fn pod_cells(pod: &Value, now: Instant) -> Vec<String> {
    let init_specs = pod.array_at("spec.initContainers");
    let init_spec = |name: &str| init_specs.iter().find(|c| c.str_at("name") == name);
    let mut total = pod.array_at("spec.containers").len();
    total += init_specs.iter().filter(|c| is_restartable_init(Some(c))).count();
    let mut ready = 0;
    let mut restarts = 0i64;
    let mut last_restart: Option<Instant> = None;
    let mut sidecar_restarts = 0i64;
    let mut sidecar_last_restart: Option<Instant> = None;

    let phase = pod.str_at("status.phase");
    let mut reason = or(pod.str_at("status.reason"), phase);
    let gated = pod
        .array_at("status.conditions")
        .iter()
        .any(|c| c.str_at("type") == "PodScheduled" && c.str_at("reason") == "SchedulingGated");
    if gated {
        reason = "SchedulingGated".into();
    }

    let mut initializing = false;
    for (i, cs) in pod.array_at("status.initContainerStatuses").iter().enumerate() {
        let count = cs.i64_at("restartCount").unwrap_or(0);
        restarts += count;
        let finished = last_termination(cs);
        last_restart = last_restart.max(finished);
        let restartable = is_restartable_init(init_spec(cs.str_at("name")));
        if restartable {
            sidecar_restarts += count;
            sidecar_last_restart = sidecar_last_restart.max(finished);
        }
        let terminated = cs.at("state.terminated");
        let waiting_reason = cs.str_at("state.waiting.reason");
        if terminated.is_some_and(|t| t.i64_at("exitCode").unwrap_or(0) == 0) {
            continue;
        }
        if restartable && cs.at("started").and_then(Value::as_bool) == Some(true) {
            if cs.at("ready").and_then(Value::as_bool) == Some(true) {
                ready += 1;
            }
            continue;
        }
        reason = match terminated {
            Some(t) => terminated_reason(t, "Init:"),
            None if !waiting_reason.is_empty() && waiting_reason != "PodInitializing" => {
                format!("Init:{waiting_reason}")
            }
            None => format!("Init:{i}/{}", init_specs.len()),
        };
        initializing = true;
        break;
    }

    if !initializing || condition_true(pod, "Initialized") {
        restarts = sidecar_restarts;
        last_restart = sidecar_last_restart;
        let mut has_running = false;
        for cs in pod.array_at("status.containerStatuses").iter().rev() {
            restarts += cs.i64_at("restartCount").unwrap_or(0);
            last_restart = last_restart.max(last_termination(cs));
            let waiting_reason = cs.str_at("state.waiting.reason");
            let terminated = cs.at("state.terminated");
            if !waiting_reason.is_empty() {
                reason = waiting_reason.to_string();
            } else if let Some(t) = terminated {
                reason = terminated_reason(t, "");
            } else if cs.at("ready").and_then(Value::as_bool) == Some(true) && cs.at("state.running").is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if condition_true(pod, "Ready") { "Running" } else { "NotReady" }.into();
        }
    }

    if pod.is_deleting() && pod.str_at("status.reason") == "NodeLost" {
        reason = "Unknown".into();
    } else if pod.is_deleting() && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".into();
    }

    let restarts_cell = match last_restart {
        // A zero `finishedAt` (unparsable here) prints the bare count, like Go's IsZero check.
        Some(t) if restarts != 0 && t != i64::MIN => format!("{restarts} ({} ago)", age(now, Some(t))),
        _ => restarts.to_string(),
    };

    let ip = pod.array_at("status.podIPs").first().map(|p| p.str_at("ip")).unwrap_or("");
    vec![
        pod.name().to_string(),
        format!("{ready}/{total}"),
        reason,
        restarts_cell,
        age(now, pod.created()),
        or(ip, "<none>"),
        or(pod.str_at("spec.nodeName"), "<none>"),
        or(pod.str_at("status.nominatedNodeName"), "<none>"),
        readiness_gates(pod),
    ]
}

fn readiness_gates(pod: &Value) -> String {
    let gates = pod.array_at("spec.readinessGates");
    if gates.is_empty() {
        return "<none>".into();
    }
    let conditions = pod.array_at("status.conditions");
    let true_count = gates
        .iter()
        .filter(|g| {
            conditions
                .iter()
                .find(|c| c.str_at("type") == g.str_at("conditionType"))
                .is_some_and(|c| c.str_at("status") == "True")
        })
        .count();
    format!("{true_count}/{}", gates.len())
}

// ---------------------------------------------------------------- Service

fn service_cells(svc: &Value, now: Instant, wide: bool) -> Vec<String> {
    let cluster_ip = svc.array_at("spec.clusterIPs").first().and_then(Value::as_str).unwrap_or("<none>");
    let ports: Vec<String> = svc
        .array_at("spec.ports")
        .iter()
        .map(|p| {
            let port = p.i64_at("port").unwrap_or(0);
            let proto = p.str_at("protocol");
            match p.i64_at("nodePort").unwrap_or(0) {
                n if n > 0 => format!("{port}:{n}/{proto}"),
                _ => format!("{port}/{proto}"),
            }
        })
        .collect();
    let ports = if ports.is_empty() { "<none>".to_string() } else { ports.join(",") };
    vec![
        svc.name().to_string(),
        svc.str_at("spec.type").to_string(),
        cluster_ip.to_string(),
        external_ip(svc, wide),
        ports,
        age(now, svc.created()),
        format_labels(&svc.map_at("spec.selector")),
    ]
}

fn external_ip(svc: &Value, wide: bool) -> String {
    let external: Vec<&str> = svc.array_at("spec.externalIPs").iter().filter_map(Value::as_str).collect();
    match svc.str_at("spec.type") {
        "ClusterIP" | "NodePort" => {
            if external.is_empty() {
                "<none>".into()
            } else {
                external.join(",")
            }
        }
        "LoadBalancer" => {
            let mut ingress: Vec<&str> = svc
                .array_at("status.loadBalancer.ingress")
                .iter()
                .map(|i| if i.str_at("ip").is_empty() { i.str_at("hostname") } else { i.str_at("ip") })
                .filter(|s| !s.is_empty())
                .collect();
            ingress.sort_unstable();
            ingress.dedup();
            let mut lb = ingress.join(",");
            if !wide && lb.len() > 16 {
                lb = format!("{}...", lb.get(..13).unwrap_or(&lb));
            }
            let mut all: Vec<&str> = if lb.is_empty() { Vec::new() } else { lb.split(',').collect() };
            if !external.is_empty() {
                all.extend(external);
                return all.join(",");
            }
            if lb.is_empty() {
                "<pending>".into()
            } else {
                lb
            }
        }
        "ExternalName" => svc.str_at("spec.externalName").to_string(),
        _ => "<unknown>".into(),
    }
}

// ---------------------------------------------------------------- StatefulSet, storage

fn container_cells(containers: &[Value]) -> (String, String) {
    let names: Vec<&str> = containers.iter().map(|c| c.str_at("name")).collect();
    let images: Vec<&str> = containers.iter().map(|c| c.str_at("image")).collect();
    (names.join(","), images.join(","))
}

/// `helper.GetAccessModesAsString`: fixed order, de-duplicated.
fn access_modes(modes: &[Value]) -> String {
    let has = |m: &str| modes.iter().any(|v| v.as_str() == Some(m));
    [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")]
        .iter()
        .filter(|(long, _)| has(long))
        .map(|(_, short)| *short)
        .collect::<Vec<_>>()
        .join(",")
}

/// The beta annotation wins over `spec.storageClassName` when present (even if empty).
fn storage_class_of(obj: &Value) -> String {
    match obj.annotation("volume.beta.kubernetes.io/storage-class") {
        Some(c) => c.to_string(),
        None => obj.str_at("spec.storageClassName").to_string(),
    }
}

fn volume_attributes_class(obj: &Value) -> String {
    or(obj.str_at("spec.volumeAttributesClassName"), "<unset>")
}

fn pvc_cells(pvc: &Value, now: Instant) -> Vec<String> {
    let phase = if pvc.is_deleting() { "Terminating" } else { pvc.str_at("status.phase") };
    let volume = pvc.str_at("spec.volumeName");
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (or(pvc.str_at("status.capacity.storage"), "0"), access_modes(pvc.array_at("status.accessModes")))
    };
    vec![
        pvc.name().to_string(),
        phase.to_string(),
        volume.to_string(),
        capacity,
        modes,
        storage_class_of(pvc),
        volume_attributes_class(pvc),
        age(now, pvc.created()),
        or(pvc.str_at("spec.volumeMode"), "<unset>"),
    ]
}

fn pv_cells(pv: &Value, now: Instant) -> Vec<String> {
    let claim = match pv.at("spec.claimRef") {
        Some(r) => format!("{}/{}", r.str_at("namespace"), r.str_at("name")),
        None => String::new(),
    };
    let phase = if pv.is_deleting() { "Terminating" } else { pv.str_at("status.phase") };
    vec![
        pv.name().to_string(),
        or(pv.str_at("spec.capacity.storage"), "0"),
        access_modes(pv.array_at("spec.accessModes")),
        pv.str_at("spec.persistentVolumeReclaimPolicy").to_string(),
        phase.to_string(),
        claim,
        storage_class_of(pv),
        volume_attributes_class(pv),
        pv.str_at("status.reason").to_string(),
        age(now, pv.created()),
        or(pv.str_at("spec.volumeMode"), "<unset>"),
    ]
}

fn storage_class_name(sc: &Value) -> String {
    let is_default = sc.annotation("storageclass.kubernetes.io/is-default-class") == Some("true")
        || sc.annotation("storageclass.beta.kubernetes.io/is-default-class") == Some("true");
    if is_default {
        format!("{} (default)", sc.name())
    } else {
        sc.name().to_string()
    }
}

// ---------------------------------------------------------------- Node, Event, ControllerRevision, Endpoints

fn node_cells(node: &Value, now: Instant) -> Vec<String> {
    let ready = node.array_at("status.conditions").iter().rev().find(|c| c.str_at("type") == "Ready");
    let mut status = match ready {
        Some(c) if c.str_at("status") == "True" => "Ready".to_string(),
        Some(_) => "NotReady".to_string(),
        None => "Unknown".to_string(),
    };
    if node.at("spec.unschedulable").and_then(Value::as_bool) == Some(true) {
        status.push_str(",SchedulingDisabled");
    }
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in node.labels() {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.push(role.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v);
        }
    }
    roles.sort();
    roles.dedup();
    let address = |kind: &str| {
        node.array_at("status.addresses")
            .iter()
            .find(|a| a.str_at("type") == kind)
            .map(|a| a.str_at("address").to_string())
            .unwrap_or_else(|| "<none>".into())
    };
    vec![
        node.name().to_string(),
        status,
        if roles.is_empty() { "<none>".into() } else { roles.join(",") },
        age(now, node.created()),
        node.str_at("status.nodeInfo.kubeletVersion").to_string(),
        address("InternalIP"),
        address("ExternalIP"),
        or(node.str_at("status.nodeInfo.osImage"), "<unknown>"),
        or(node.str_at("status.nodeInfo.kernelVersion"), "<unknown>"),
        or(node.str_at("status.nodeInfo.containerRuntimeVersion"), "<unknown>"),
    ]
}

fn event_cells(ev: &Value, now: Instant) -> Vec<String> {
    let first = match ev.time_at("firstTimestamp") {
        Some(t) => age(now, Some(t)),
        None => age(now, ev.time_at("eventTime")),
    };
    let mut last = match ev.time_at("lastTimestamp") {
        Some(t) => age(now, Some(t)),
        None => first.clone(),
    };
    let mut count = ev.i64_at("count").unwrap_or(0);
    if let Some(series) = ev.at("series").filter(|s| s.is_object()) {
        last = age(now, series.time_at("lastObservedTime"));
        count = series.i64_at("count").unwrap_or(0);
    } else if count == 0 {
        count = 1;
    }
    let kind = ev.str_at("involvedObject.kind").to_lowercase();
    let name = ev.str_at("involvedObject.name");
    let target = if name.is_empty() { kind } else { format!("{kind}/{name}") };
    let component = or(ev.str_at("source.component"), ev.str_at("reportingController"));
    let host = or(ev.str_at("source.host"), ev.str_at("reportingInstance"));
    let source = if host.is_empty() { component } else { format!("{component}, {host}") };
    vec![
        last,
        ev.str_at("type").to_string(),
        ev.str_at("reason").to_string(),
        target,
        ev.str_at("involvedObject.fieldPath").to_string(),
        source,
        ev.str_at("message").trim().to_string(),
        first,
        count.to_string(),
        ev.name().to_string(),
    ]
}

/// `formatResourceName(gvk.GroupKind(), name, true)`: `statefulset.apps/web`, `<none>` without one.
fn controller_name(obj: &Value) -> String {
    let Some(r) = obj.controller_ref() else {
        return "<none>".into();
    };
    let api_version = r.str_at("apiVersion");
    let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    let kind = r.str_at("kind").to_lowercase();
    let name = r.str_at("name");
    if group.is_empty() {
        format!("{kind}/{name}")
    } else {
        format!("{kind}.{group}/{name}")
    }
}

/// `formatEndpoints(endpoints, nil)`: up to three `ip:port`, then ` + N more...`.
fn format_endpoints(ep: &Value) -> String {
    const MAX: usize = 3;
    let subsets = ep.array_at("subsets");
    if subsets.is_empty() {
        return "<none>".into();
    }
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    for ss in subsets {
        let addresses = ss.array_at("addresses");
        let ports = ss.array_at("ports");
        if ports.is_empty() {
            // Headless services may have no ports: bare IPs.
            count += addresses.len();
            for a in addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(a.str_at("ip").to_string());
            }
            continue;
        }
        for port in ports {
            count += addresses.len();
            for a in addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(join_host_port(a.str_at("ip"), port.i64_at("port").unwrap_or(0)));
            }
        }
    }
    let joined = list.join(",");
    if more {
        return format!("{joined} + {} more...", count - MAX);
    }
    if joined.is_empty() {
        "<none>".into()
    } else {
        joined
    }
}

/// Go's `net.JoinHostPort`: IPv6 hosts are bracketed.
fn join_host_port(host: &str, port: i64) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

// ---------------------------------------------------------------- custom columns

/// `-o custom-columns=SPEC` (SPEC "HDR:path,HDR2:path2"); Err(message) for a bad spec with
/// kubectl's message text (without "error: "). Header cells are printed as given.
pub fn custom_columns(spec: &str, objects: &[Value], no_headers: bool) -> Result<String, String> {
    if spec.is_empty() {
        return Err("custom-columns format specified but no custom columns given".into());
    }
    let mut columns = Vec::new();
    for part in spec.split(',') {
        let Some((header, path)) = part.split_once(':') else {
            return Err(format!("unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"));
        };
        let template = relaxed_json_path(path)?;
        // Parse once up front so a bad path fails even without objects, as kubectl does.
        crate::print::jsonpath::results(&template, &Value::Null)?;
        columns.push((header, template));
    }
    let mut text = String::new();
    if !no_headers {
        text.push_str(&columns.iter().map(|(h, _)| *h).collect::<Vec<_>>().join("\t"));
        text.push('\n');
    }
    for obj in objects {
        let mut cells = Vec::new();
        for (_, template) in &columns {
            let values = crate::print::jsonpath::results(template, obj)?;
            let cell = if values.is_empty() {
                "<none>".to_string()
            } else {
                values.iter().map(crate::print::jsonpath::go_fmt_v).collect::<Vec<_>>().join(",")
            };
            cells.push(cell);
        }
        text.push_str(&cells.join("\t"));
        text.push('\n');
    }
    Ok(align(&text, tabwriter::TABLE))
}

/// kubectl's `RelaxedJSONPathExpression`: `a.b`, `.a.b`, `{a.b}`, `{.a.b}` all mean `{.a.b}`.
fn relaxed_json_path(path: &str) -> Result<String, String> {
    if path.is_empty() {
        return Ok(String::new());
    }
    // `^\{\.?([^{}]+)\}$|^\.?([^{}]+)$`: the optional dot is dropped only if text remains.
    let body = match path.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
        Some(b) => b,
        None => path,
    };
    if body.is_empty() || body.contains(['{', '}']) {
        return Err(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"
                .into(),
        );
    }
    let field = match body.strip_prefix('.') {
        Some(rest) if !rest.is_empty() => rest,
        _ => body,
    };
    Ok(format!("{{.{field}}}"))
}
