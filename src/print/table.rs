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
    let mut table = Rows::new(kind, opts, now);
    objects.iter().for_each(|o| table.push(o));
    table.render()
}

/// The table's lines as escaped cells (the header first unless `no_headers`), before alignment.
pub fn rows(kind: &Kind, objects: &[Value], opts: &TableOptions, now: Instant) -> Vec<Vec<String>> {
    let mut table = Rows::new(kind, opts, now);
    objects.iter().for_each(|o| table.push(o));
    table.into_lines()
}

/// A table built one object at a time, so a listing keeps only its cells, not its objects.
pub struct Rows<'a> {
    kind: &'a Kind,
    opts: &'a TableOptions,
    now: Instant,
    shown: Vec<usize>,
    name_column: usize,
    header: Option<Vec<String>>,
    rows: Vec<Vec<String>>,
}

impl<'a> Rows<'a> {
    pub fn new(kind: &'a Kind, opts: &'a TableOptions, now: Instant) -> Rows<'a> {
        let columns = columns(kind.kind);
        let shown: Vec<usize> = (0..columns.len()).filter(|&i| opts.wide || !columns[i].wide).collect();
        let header = (!opts.no_headers).then(|| {
            let mut header = Vec::new();
            if opts.all_namespaces && kind.namespaced {
                header.push("NAMESPACE".to_string());
            }
            header.extend(shown.iter().map(|&i| columns[i].header.to_string()));
            header.extend(opts.label_columns.iter().map(|k| label_header(k)));
            if opts.show_labels {
                header.push("LABELS".to_string());
            }
            header.iter().map(|c| escape_cell(c)).collect()
        });
        let name_column = columns.iter().position(|c| c.is_name).unwrap_or(0);
        Rows { kind, opts, now, shown, name_column, header, rows: Vec::new() }
    }

    /// Adds the row of one object.
    pub fn push(&mut self, obj: &Value) {
        let (kind, opts) = (self.kind, self.opts);
        let mut all = cells(kind.kind, obj, self.now);
        if opts.kind_prefix {
            if let Some(cell) = all.get_mut(self.name_column) {
                *cell = format!("{}/{}", kind.name_prefix(), cell);
            }
        }
        let mut row = Vec::new();
        if opts.all_namespaces && kind.namespaced {
            row.push(obj.namespace().to_string());
        }
        row.extend(self.shown.iter().map(|&i| all.get(i).cloned().unwrap_or_default()));
        let labels = obj.labels();
        row.extend(opts.label_columns.iter().map(|k| labels.get(k).cloned().unwrap_or_default()));
        if opts.show_labels {
            row.push(format_labels(&labels));
        }
        self.rows.push(row.iter().map(|c| escape_cell(c)).collect());
    }

    /// How many objects the table holds.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn into_lines(self) -> Vec<Vec<String>> {
        self.header.into_iter().chain(self.rows).collect()
    }

    /// The aligned table; "" without rows.
    pub fn render(self) -> String {
        if self.rows.is_empty() {
            return String::new();
        }
        let text: String = self.into_lines().iter().map(|r| r.join("\t") + "\n").collect();
        align(&text, tabwriter::TABLE)
    }
}

/// Lays out table lines with widths remembered from earlier flushes (cli-runtime's tab writer with
/// `RememberWidths`, as `get --watch` uses it): a column is as wide as the widest cell plus 3, at
/// least 6, and never narrower than it was before.
pub fn align_remembered(rows: &[Vec<String>], remembered: &mut Vec<usize>) -> String {
    let (minwidth, padding) = tabwriter::TABLE;
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    for c in 0..columns.saturating_sub(1) {
        let mut w = minwidth;
        for r in rows {
            if c + 1 < r.len() {
                w = w.max(r[c].chars().count() + padding);
            }
        }
        match remembered.get_mut(c) {
            Some(old) => *old = (*old).max(w),
            None => remembered.push(w),
        }
    }
    let mut out = String::new();
    for r in rows {
        for (c, cell) in r.iter().enumerate() {
            out.push_str(cell);
            if c + 1 < r.len() {
                let w = remembered.get(c).copied().unwrap_or(0);
                out.extend(std::iter::repeat_n(' ', w.saturating_sub(cell.chars().count())));
            }
        }
        out.push('\n');
    }
    out
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

/// One server-side column: its header, whether only `-o wide` shows it (priority 1).
pub struct Column {
    pub header: &'static str,
    pub wide: bool,
    /// The column with `Format: name`, which gets the kind prefix.
    pub is_name: bool,
}

const fn col(header: &'static str) -> Column {
    Column { header, wide: false, is_name: false }
}
const fn wide(header: &'static str) -> Column {
    Column { header, wide: true, is_name: false }
}
const NAME: Column = Column { header: "NAME", wide: false, is_name: true };
const AGE: Column = col("AGE");

/// The columns the API server's table convertor gives `kind` (`kstate serve` sends them as they are).
pub fn columns(kind: &str) -> Vec<Column> {
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
        "EndpointSlice" => vec![NAME, col("ADDRESSTYPE"), col("PORTS"), col("ENDPOINTS"), AGE],
        "Lease" => vec![NAME, col("HOLDER"), AGE],
        "Scale" => vec![NAME, col("DESIRED"), col("AVAILABLE")],
        "ConfigMap" => vec![NAME, col("DATA"), AGE],
        "Secret" => vec![NAME, col("TYPE"), col("DATA"), AGE],
        "ServiceAccount" => vec![NAME, col("SECRETS"), AGE],
        "ResourceQuota" => vec![NAME, AGE, col("REQUEST"), col("LIMIT")],
        "LimitRange" => vec![NAME, col("CREATED AT")],
        "PodTemplate" => vec![NAME, col("CONTAINERS"), col("IMAGES"), col("POD LABELS")],
        "PriorityClass" => vec![NAME, col("VALUE"), col("GLOBAL-DEFAULT"), AGE, col("PREEMPTIONPOLICY")],
        "PodDisruptionBudget" => {
            vec![NAME, col("MIN AVAILABLE"), col("MAX UNAVAILABLE"), col("ALLOWED DISRUPTIONS"), AGE]
        }
        // Namespace, and the server's fallback for kinds without a printer.
        "Namespace" => vec![NAME, col("STATUS"), AGE],
        "CustomResourceDefinition" => vec![NAME, col("CREATED AT")],
        other if crate::api::custom::is_custom(other) => custom_columns_of(other),
        other => match super::workload_table::columns(other).or_else(|| super::access_table::columns(other)) {
            Some(cols) => {
                cols.iter().map(|&(header, wide)| Column { header, wide, is_name: header == "NAME" }).collect()
            }
            None => match super::snapshot_table::columns(other) {
                Some(cols) => {
                    cols.iter().map(|&header| Column { header, wide: false, is_name: header == "NAME" }).collect()
                }
                None => vec![NAME, AGE],
            },
        },
    }
}

/// Every cell of `obj`'s row, in column order (wide ones included): the API server's table
/// convertor always generates with `GenerateOptions{Wide: true}`, and kubectl only hides columns.
pub fn cells(kind: &str, obj: &Value, now: Instant) -> Vec<String> {
    let age = age(now, obj.created());
    let name = obj.name().to_string();
    match kind {
        "Pod" => pod_cells(obj, now),
        "Service" => service_cells(obj, now),
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
        "EndpointSlice" => {
            vec![name, obj.str_at("addressType").to_string(), slice_ports(obj), slice_endpoints(obj), age]
        }
        "Lease" => vec![name, obj.str_at("spec.holderIdentity").to_string(), age],
        "ConfigMap" => vec![name, (object_len(obj, "data") + object_len(obj, "binaryData")).to_string(), age],
        "ServiceAccount" => vec![name, obj.array_at("secrets").len().to_string(), age],
        "ResourceQuota" => {
            let (request, limit) = quota_cells(obj);
            vec![name, age, request, limit]
        }
        "LimitRange" => vec![name, obj.str_at("metadata.creationTimestamp").to_string()],
        "PodTemplate" => {
            let containers = obj.array_at("template.spec.containers");
            let names = containers.iter().map(|c| c.str_at("name")).collect::<Vec<_>>().join(",");
            let images = containers.iter().map(|c| c.str_at("image")).collect::<Vec<_>>().join(",");
            let labels = obj.map_at("template.metadata.labels");
            let labels = labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
            vec![name, names, images, if labels.is_empty() { "<none>".into() } else { labels }]
        }
        "Secret" => vec![name, obj.str_at("type").to_string(), object_len(obj, "data").to_string(), age],
        "PodDisruptionBudget" => {
            let bound = |p: &str| obj.at(p).map(go_scalar).unwrap_or_else(|| "N/A".to_string());
            let allowed = obj.i64_at("status.disruptionsAllowed").unwrap_or(0).to_string();
            vec![name, bound("spec.minAvailable"), bound("spec.maxUnavailable"), allowed, age]
        }
        "PriorityClass" => vec![
            name,
            obj.i64_at("value").unwrap_or(0).to_string(),
            obj.at("globalDefault").and_then(Value::as_bool).unwrap_or(false).to_string(),
            age,
            obj.str_at("preemptionPolicy").to_string(),
        ],
        "Scale" => {
            let n = |p: &str| obj.i64_at(p).unwrap_or(0).to_string();
            vec![name, n("spec.replicas"), n("status.replicas")]
        }
        "Namespace" => vec![name, obj.str_at("status.phase").to_string(), age],
        "CustomResourceDefinition" => vec![name, obj.str_at("metadata.creationTimestamp").to_string()],
        other if crate::api::custom::is_custom(other) => custom_cells(other, obj, now),
        other => super::workload_table::cells(other, obj, now)
            .or_else(|| super::snapshot_table::cells(other, obj, now))
            .or_else(|| super::access_table::cells(other, obj, now))
            .unwrap_or_else(|| vec![name, age]),
    }
}

/// A custom resource's columns: NAME, then its version's additionalPrinterColumns (priority
/// above 0 only with `-o wide`), or AGE when it declares none.
fn custom_columns_of(kind: &str) -> Vec<Column> {
    let Some(def) = crate::api::custom::definition(kind) else { return vec![NAME, AGE] };
    let columns = &def.preferred().columns;
    if columns.is_empty() {
        return vec![NAME, AGE];
    }
    let mut out = vec![NAME];
    out.extend(columns.iter().map(|c| Column { header: c.header, wide: c.priority > 0, is_name: false }));
    out
}

/// The cells of a custom resource's row, as the apiextensions table convertor computes them: the
/// column's JSONPath, its first result shown by the column's type, `<none>` when nothing matches.
fn custom_cells(kind: &str, obj: &Value, now: Instant) -> Vec<String> {
    let mut out = vec![obj.name().to_string()];
    let Some(def) = crate::api::custom::definition(kind) else { return vec![out.remove(0), age(now, obj.created())] };
    let columns = &def.preferred().columns;
    if columns.is_empty() {
        out.push(age(now, obj.created()));
        return out;
    }
    for c in columns {
        let found = super::jsonpath::results(&format!("{{{}}}", c.json_path), obj).ok();
        let value = found.and_then(|r| r.into_iter().next()).filter(|v| !v.is_null());
        let cell = match (c.type_.as_str(), value) {
            (_, None) => None,
            ("string", Some(v)) => Some(match v {
                Value::String(s) => s,
                other => super::jsonpath::go_fmt_v(&other),
            }),
            ("integer", Some(v)) => v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)).map(|i| i.to_string()),
            ("number", Some(v)) => v.as_f64().map(super::json::go_float_g),
            ("boolean", Some(v)) => v.as_bool().map(|b| b.to_string()),
            ("date", Some(Value::String(s))) => {
                Some(parse_rfc3339(&s).map(|t| age(now, Some(t))).unwrap_or_else(|| "<invalid>".to_string()))
            }
            _ => None,
        };
        out.push(cell.unwrap_or_else(|| "<none>".to_string()));
    }
    out
}

fn object_len(obj: &Value, field: &str) -> usize {
    obj.get(field).and_then(Value::as_object).map_or(0, |m| m.len())
}

/// An EndpointSlice's port numbers, `80,443`, or `<unset>` (`formatPorts` in printers.go).
fn slice_ports(obj: &Value) -> String {
    let ports: Vec<String> =
        obj.array_at("ports").iter().filter_map(|p| p.i64_at("port")).map(|p| p.to_string()).collect();
    if ports.is_empty() {
        "<unset>".into()
    } else {
        ports.join(",")
    }
}

/// Up to three addresses, then ` + N more...`, or `<unset>` (`formatDiscoveryEndpoints`).
fn slice_endpoints(obj: &Value) -> String {
    let addresses: Vec<&str> =
        obj.array_at("endpoints").iter().flat_map(|e| e.array_at("addresses")).filter_map(Value::as_str).collect();
    match addresses.len() {
        0 => "<unset>".into(),
        n if n > 3 => format!("{} + {} more...", addresses[..3].join(","), n - 3),
        _ => addresses.join(","),
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

fn service_cells(svc: &Value, now: Instant) -> Vec<String> {
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
        external_ip(svc),
        ports,
        age(now, svc.created()),
        format_labels(&svc.map_at("spec.selector")),
    ]
}

/// `getServiceExternalIP(svc, wide=true)`: the server never cuts the LoadBalancer ingress list.
fn external_ip(svc: &Value) -> String {
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
            let lb = ingress.join(",");
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

/// A `*string` field: `<unset>` only when absent (or null); a set empty string prints empty.
fn optional_string(obj: &Value, path: &str) -> String {
    match obj.at(path).and_then(Value::as_str) {
        Some(s) => s.to_string(),
        None => "<unset>".to_string(),
    }
}

fn volume_attributes_class(obj: &Value) -> String {
    optional_string(obj, "spec.volumeAttributesClassName")
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
        optional_string(pvc, "spec.volumeMode"),
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
        optional_string(pv, "spec.volumeMode"),
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

/// `findNodeRoles`, shared by the ROLES column and describe's `Roles:`: the names under
/// `node-role.kubernetes.io/<role>` keys and the `kubernetes.io/role` value, sorted, once each.
pub fn node_roles(node: &Value) -> String {
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
    if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.join(",")
    }
}

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
        node_roles(node),
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
    // Subsets whose addresses are all not-ready print an empty cell, not `<none>`.
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", count - MAX)
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

/// `printResourceQuota`: `name: used/hard` of every hard resource, in name order, the `limits.*`
/// ones in the LIMIT column.
fn quota_cells(obj: &Value) -> (String, String) {
    let hard = crate::api::quota::hard(obj);
    let used = crate::api::quota::used(obj);
    let (mut request, mut limit) = (Vec::new(), Vec::new());
    for (name, h) in &hard {
        let u = used.get(name).map(ToString::to_string).unwrap_or_else(|| "0".into());
        let cell = format!("{name}: {u}/{h}");
        if name.split('.').count() > 1 && name.starts_with("limits.") {
            limit.push(cell);
        } else {
            request.push(cell);
        }
    }
    (request.join(", "), limit.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::kinds;
    use crate::clock::format_rfc3339;
    use serde_json::json;

    const NOW: Instant = 1_795_772_000; // any fixed instant

    fn ago(secs: i64) -> String {
        format_rfc3339(NOW - secs)
    }

    #[test]
    fn node_roles_come_from_both_label_forms_sorted_once_each() {
        let labels = json!({"node-role.kubernetes.io/worker": "", "node-role.kubernetes.io/": "x",
            "kubernetes.io/role": "worker", "node-role.kubernetes.io/control-plane": "", "kubernetes.io/os": "linux"});
        assert_eq!(node_roles(&json!({"metadata": {"labels": labels}})), "control-plane,worker");
        let none = json!({"metadata": {"labels": {"kubernetes.io/role": ""}}});
        assert_eq!(node_roles(&none), "<none>");
    }

    fn opts() -> TableOptions {
        TableOptions {
            wide: false,
            no_headers: false,
            kind_prefix: false,
            all_namespaces: false,
            show_labels: false,
            label_columns: vec![],
        }
    }

    fn pod(name: &str, age: i64, ip: &str, state: Value, ready: bool, restarts: i64, last: Option<i64>) -> Value {
        let mut cs = json!({"name": "nginx", "ready": ready, "restartCount": restarts, "state": state});
        if let Some(l) = last {
            cs["lastState"] = json!({"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": ago(l)}});
        }
        let mut p = json!({
            "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "creationTimestamp": ago(age),
                          "labels": {"app": "nginx", "statefulset.kubernetes.io/pod-name": name}},
            "spec": {"nodeName": "minikube", "containers": [{"name": "nginx", "image": "nginx"}]},
            "status": {"phase": if ready { "Running" } else { "Pending" }, "containerStatuses": [cs]}
        });
        if !ip.is_empty() {
            p["status"]["podIPs"] = json!([{"ip": ip}]);
        }
        p
    }

    fn pods() -> Vec<Value> {
        vec![
            pod("web-0", 318, "10.244.0.5", json!({"running": {}}), true, 0, None),
            pod("web-1", 307, "10.244.0.6", json!({"running": {}}), true, 2, Some(191)),
            pod("web-2", 10, "", json!({"waiting": {"reason": "ContainerCreating"}}), false, 0, None),
        ]
    }

    #[test]
    fn get_pods() {
        let want = "\
NAME    READY   STATUS              RESTARTS        AGE
web-0   1/1     Running             0               5m18s
web-1   1/1     Running             2 (3m11s ago)   5m7s
web-2   0/1     ContainerCreating   0               10s
";
        assert_eq!(render(&kinds::POD, &pods(), &opts(), NOW), want);
    }

    #[test]
    fn get_pods_wide() {
        let want = "\
NAME    READY   STATUS              RESTARTS        AGE     IP           NODE       NOMINATED NODE   READINESS GATES
web-0   1/1     Running             0               5m18s   10.244.0.5   minikube   <none>           <none>
web-1   1/1     Running             2 (3m11s ago)   5m7s    10.244.0.6   minikube   <none>           <none>
web-2   0/1     ContainerCreating   0               10s     <none>       minikube   <none>           <none>
";
        assert_eq!(render(&kinds::POD, &pods(), &TableOptions { wide: true, ..opts() }, NOW), want);
    }

    #[test]
    fn get_pods_labels_prefix_and_namespace() {
        let o =
            TableOptions { label_columns: vec!["app".into(), "statefulset.kubernetes.io/pod-name".into()], ..opts() };
        let out = render(&kinds::POD, &pods()[..1], &o, NOW);
        assert_eq!(out, "NAME    READY   STATUS    RESTARTS   AGE     APP     POD-NAME\nweb-0   1/1     Running   0          5m18s   nginx   web-0\n");
        let o = TableOptions { kind_prefix: true, ..opts() };
        assert_eq!(
            render(&kinds::POD, &pods()[..1], &o, NOW),
            "NAME        READY   STATUS    RESTARTS   AGE\npod/web-0   1/1     Running   0          5m18s\n"
        );
        let o = TableOptions { all_namespaces: true, show_labels: true, no_headers: true, ..opts() };
        assert_eq!(
            render(&kinds::POD, &pods()[..1], &o, NOW),
            "default   web-0   1/1   Running   0     5m18s   app=nginx,statefulset.kubernetes.io/pod-name=web-0\n"
        );
        assert_eq!(render(&kinds::POD, &[], &opts(), NOW), "");
    }

    #[test]
    fn pod_status_rules() {
        let mut p = pods().remove(0);
        p["metadata"]["deletionTimestamp"] = json!(ago(1));
        assert_eq!(pod_cells(&p, NOW)[2], "Terminating");
        let mut p = pods().remove(0);
        p["status"]["containerStatuses"][0]["state"] = json!({"waiting": {"reason": "CrashLoopBackOff"}});
        p["status"]["containerStatuses"][0]["ready"] = json!(false);
        assert_eq!(pod_cells(&p, NOW)[..3], ["web-0", "0/1", "CrashLoopBackOff"]);
        let mut p = pods().remove(0);
        p["spec"]["initContainers"] = json!([{"name": "init"}]);
        p["status"]["initContainerStatuses"] = json!([{"name": "init", "state": {"running": {}}, "restartCount": 0}]);
        assert_eq!(pod_cells(&p, NOW)[2], "Init:0/1");
        p["status"]["initContainerStatuses"][0]["state"] = json!({"terminated": {"exitCode": 2}});
        assert_eq!(pod_cells(&p, NOW)[2], "Init:ExitCode:2");
    }

    fn pvc(name: &str, age: i64, volume: &str) -> Value {
        let mut v = json!({"metadata": {"name": name, "creationTimestamp": ago(age)},
            "spec": {"storageClassName": "standard", "accessModes": ["ReadWriteOnce"], "volumeMode": "Filesystem"},
            "status": {"phase": "Pending"}});
        if !volume.is_empty() {
            v["spec"]["volumeName"] = json!(volume);
            v["status"] = json!({"phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "1Gi"}});
        }
        v
    }

    #[test]
    fn get_pvc() {
        let objs = [
            pvc("www-web-0", 319, "pvc-5f3c8a2e-9b1d-4e7f-a6c2-1d8e9f0a3b41"),
            pvc("www-web-1", 308, "pvc-7a2b4c6d-8e0f-4a1b-9c3d-5e7f9a1b3c52"),
            pvc("www-web-2", 11, ""),
        ];
        let want = "\
NAME        STATUS    VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
www-web-0   Bound     pvc-5f3c8a2e-9b1d-4e7f-a6c2-1d8e9f0a3b41   1Gi        RWO            standard       <unset>                 5m19s
www-web-1   Bound     pvc-7a2b4c6d-8e0f-4a1b-9c3d-5e7f9a1b3c52   1Gi        RWO            standard       <unset>                 5m8s
www-web-2   Pending                                                                        standard       <unset>                 11s
";
        assert_eq!(render(&kinds::PVC, &objs, &opts(), NOW), want);
    }

    #[test]
    fn get_pv() {
        let pv = json!({"metadata": {"name": "pvc-5f3c8a2e-9b1d-4e7f-a6c2-1d8e9f0a3b41", "creationTimestamp": ago(318)},
            "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                     "persistentVolumeReclaimPolicy": "Delete", "storageClassName": "standard",
                     "claimRef": {"namespace": "default", "name": "www-web-0"}},
            "status": {"phase": "Bound"}});
        let want = "\
NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM               STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
pvc-5f3c8a2e-9b1d-4e7f-a6c2-1d8e9f0a3b41   1Gi        RWO            Delete           Bound    default/www-web-0   standard       <unset>                          5m18s
";
        assert_eq!(render(&kinds::PV, &[pv], &opts(), NOW), want);
    }

    #[test]
    fn get_sc_with_and_without_prefix() {
        let sc = json!({"metadata": {"name": "standard", "creationTimestamp": ago(2 * 86400 + 2 * 3600),
                "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
            "provisioner": "k8s.io/minikube-hostpath", "reclaimPolicy": "Delete", "volumeBindingMode": "Immediate"});
        let want = "\
NAME                 PROVISIONER                RECLAIMPOLICY   VOLUMEBINDINGMODE   ALLOWVOLUMEEXPANSION   AGE
standard (default)   k8s.io/minikube-hostpath   Delete          Immediate           false                  2d2h
";
        assert_eq!(render(&kinds::STORAGECLASS, std::slice::from_ref(&sc), &opts(), NOW), want);
        let want = "\
NAME                                             PROVISIONER                RECLAIMPOLICY   VOLUMEBINDINGMODE   ALLOWVOLUMEEXPANSION   AGE
storageclass.storage.k8s.io/standard (default)   k8s.io/minikube-hostpath   Delete          Immediate           false                  2d2h
";
        assert_eq!(render(&kinds::STORAGECLASS, &[sc], &TableOptions { kind_prefix: true, ..opts() }, NOW), want);
    }

    #[test]
    fn get_svc_sts_ns_cr() {
        let svcs = [
            json!({"metadata": {"name": "nginx", "creationTimestamp": ago(321)},
                   "spec": {"type": "ClusterIP", "clusterIP": "None", "clusterIPs": ["None"],
                            "ports": [{"port": 80, "protocol": "TCP"}], "selector": {"app": "nginx"}}}),
            json!({"metadata": {"name": "kubernetes", "creationTimestamp": ago(2 * 86400 + 3 * 3600)},
                   "spec": {"type": "ClusterIP", "clusterIPs": ["10.96.0.1"], "ports": [{"port": 443, "protocol": "TCP"}]}}),
        ];
        let want = "\
NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
nginx        ClusterIP   None         <none>        80/TCP    5m21s
kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   2d3h
";
        assert_eq!(render(&kinds::SERVICE, &svcs, &opts(), NOW), want);
        let sts = json!({"metadata": {"name": "web", "creationTimestamp": ago(321)},
            "spec": {"replicas": 3, "template": {"spec": {"containers": [{"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24"}]}}},
            "status": {"readyReplicas": 2}});
        let want = "\
NAME   READY   AGE     CONTAINERS   IMAGES
web    2/3     5m21s   nginx        registry.k8s.io/nginx-slim:0.24
";
        assert_eq!(render(&kinds::STATEFULSET, &[sts], &TableOptions { wide: true, ..opts() }, NOW), want);
        let ns = json!({"metadata": {"name": "default", "creationTimestamp": ago(2 * 86400 + 3 * 3600)}, "status": {"phase": "Active"}});
        assert_eq!(render(&kinds::NAMESPACE, &[ns], &opts(), NOW), "NAME      STATUS   AGE\ndefault   Active   2d3h\n");
        let cr = json!({"metadata": {"name": "web-6d8f5d6b6c", "creationTimestamp": ago(322),
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web", "controller": true}]}, "revision": 1});
        assert_eq!(
            render(&kinds::CONTROLLERREVISION, &[cr], &opts(), NOW),
            "NAME             CONTROLLER             REVISION   AGE\nweb-6d8f5d6b6c   statefulset.apps/web   1          5m22s\n"
        );
    }

    #[test]
    fn get_nodes_wide_and_events() {
        let node = json!({"metadata": {"name": "minikube", "creationTimestamp": ago(2 * 86400 + 3 * 3600),
                "labels": {"node-role.kubernetes.io/control-plane": ""}},
            "status": {"conditions": [{"type": "Ready", "status": "True"}],
                "addresses": [{"type": "InternalIP", "address": "192.168.49.2"}, {"type": "Hostname", "address": "minikube"}],
                "nodeInfo": {"kubeletVersion": "v1.31.0", "osImage": "Ubuntu 22.04.4 LTS", "kernelVersion": "6.8.0-1015-azure",
                             "containerRuntimeVersion": "docker://27.2.0"}}});
        let want = "\
NAME       STATUS   ROLES           AGE    VERSION   INTERNAL-IP    EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION     CONTAINER-RUNTIME
minikube   Ready    control-plane   2d3h   v1.31.0   192.168.49.2   <none>        Ubuntu 22.04.4 LTS   6.8.0-1015-azure   docker://27.2.0
";
        assert_eq!(render(&kinds::NODE, &[node], &TableOptions { wide: true, ..opts() }, NOW), want);
        let ev = json!({"metadata": {"name": "web-0.17f", "namespace": "default"}, "type": "Normal", "reason": "Scheduled",
            "involvedObject": {"kind": "Pod", "name": "web-0"}, "message": "Successfully assigned default/web-0 to minikube ",
            "firstTimestamp": ago(320), "lastTimestamp": ago(320), "count": 1, "source": {"component": "default-scheduler"}});
        let want = "\
LAST SEEN   TYPE     REASON      OBJECT      MESSAGE
5m20s       Normal   Scheduled   pod/web-0   Successfully assigned default/web-0 to minikube
";
        assert_eq!(
            render(&kinds::EVENT, std::slice::from_ref(&ev), &TableOptions { kind_prefix: true, ..opts() }, NOW),
            want
        );
        let wide = render(&kinds::EVENT, &[ev], &TableOptions { wide: true, kind_prefix: true, ..opts() }, NOW);
        assert!(wide.ends_with("5m20s        1       event/web-0.17f\n"), "{wide}");
    }

    #[test]
    fn endpoints_column() {
        let ep = |addrs: &[&str]| {
            let a: Vec<Value> = addrs.iter().map(|ip| json!({"ip": ip})).collect();
            json!({"metadata": {"name": "nginx"}, "subsets": [{"addresses": a, "ports": [{"port": 80}]}]})
        };
        assert_eq!(format_endpoints(&ep(&["10.0.0.1", "10.0.0.2"])), "10.0.0.1:80,10.0.0.2:80");
        assert_eq!(
            format_endpoints(&ep(&["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "fd00::5"])),
            "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more..."
        );
        assert_eq!(format_endpoints(&json!({"metadata": {"name": "x"}})), "<none>");
        // Only not-ready addresses: the subset exists, the cell is empty.
        let not_ready = json!({"subsets": [{"notReadyAddresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 80}]}]});
        assert_eq!(format_endpoints(&not_ready), "");
        assert_eq!(join_host_port("fd00::5", 80), "[fd00::5]:80");
    }

    #[test]
    fn load_balancer_ingress_is_never_cut() {
        let svc = json!({"metadata": {"name": "lb"}, "spec": {"type": "LoadBalancer", "clusterIPs": ["10.96.0.7"],
            "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}]},
            "status": {"loadBalancer": {"ingress": [{"hostname": "a-very-long-name.elb.example.com"}, {"ip": "47.93.1.2"}]}}});
        let cells = service_cells(&svc, 0);
        assert_eq!(cells[3], "47.93.1.2,a-very-long-name.elb.example.com");
        assert_eq!(cells[4], "80:30080/TCP");
    }

    #[test]
    fn pointer_fields_distinguish_unset_from_empty() {
        let claim = json!({"spec": {"volumeAttributesClassName": "", "volumeMode": "Block"}});
        assert_eq!(volume_attributes_class(&claim), "");
        assert_eq!(optional_string(&claim, "spec.volumeMode"), "Block");
        assert_eq!(volume_attributes_class(&json!({"spec": {}})), "<unset>");
    }

    #[test]
    fn custom_columns_like_kubectl() {
        let objs = pods();
        let out = custom_columns("NAME:.metadata.name,NODE:.spec.nodeName,IP:.status.podIP", &objs[..1], false);
        assert_eq!(out.as_deref(), Ok("NAME    NODE       IP\nweb-0   minikube   <none>\n"));
        let out = custom_columns("N:{.metadata.name},L:metadata.labels", &objs[..1], true);
        assert_eq!(out.as_deref(), Ok("web-0   map[app:nginx statefulset.kubernetes.io/pod-name:web-0]\n"));
        assert_eq!(custom_columns("NAME:.metadata.name", &[], false).as_deref(), Ok("NAME\n"));
        assert_eq!(
            custom_columns("NAME", &objs, false),
            Err("unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>".into())
        );
        assert!(custom_columns("", &objs, false).is_err());
        assert!(custom_columns("A:{.a", &objs, false).is_err());
    }
}
