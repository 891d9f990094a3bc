//! `create namespace NAME`, `create service clusterip|nodeport|loadbalancer NAME --tcp=P[:T]`, and
//! what every `create` shares: `--dry-run=client|server` and `-o yaml|json|name|jsonpath|go-template`.
//!
//! The generators build the object as kubectl's typed structs serialize it (so a client dry run
//! shows `creationTimestamp: null`, `spec: {}`, `status: {}` / `status: {loadBalancer: {}}`).

use serde_json::{json, Value};

use super::dry_run::DryRun;
use super::{create_workloads, io, Context};
use crate::api::kinds::Kind;
use crate::api::ObjectExt;
use crate::cluster::Cluster;
use crate::print::{gotemplate, json, jsonpath, typed, yaml, OutputFormat};
use crate::{Error, Result};

/// `-o` of `create` (no table formats).
pub fn parse_output(value: Option<&str>) -> Result<Option<OutputFormat>> {
    const ALLOWED: &str =
        "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml";
    match value {
        None | Some("") => Ok(None),
        Some(v) => match OutputFormat::parse(Some(v)) {
            Ok(OutputFormat::Table | OutputFormat::Wide | OutputFormat::CustomColumns(_)) | Err(_)
                if !v.starts_with("jsonpath") && !v.starts_with("go-template") && !v.starts_with("template") =>
            {
                Err(Error::cli(format!(
                    "unable to match a printer suitable for the output format \"{v}\", allowed formats are: {ALLOWED}"
                )))
            }
            Ok(f) => Ok(Some(f)),
            Err(e) => Err(Error::cli(e)),
        },
    }
}

/// Prints one object a generator built (or the server returned for it): `kind/name created[ (dry
/// run)]`, or the object in the `-o` format as kubectl prints its typed objects (Go struct order,
/// `creationTimestamp: null`, `status: {}`). `index` counts the objects printed before (YAML
/// documents after the first start with `---`).
pub fn print_created(
    ctx: &mut Context,
    kind: &Kind,
    obj: &Value,
    output: Option<&OutputFormat>,
    dry_run: DryRun,
    index: usize,
) -> Result<()> {
    print_object(ctx, kind, obj, output, dry_run, index, true)
}

/// [`print_created`] for an object kubectl holds unstructured (`create -f`): keys in byte order,
/// only the fields the object has.
pub fn print_created_unstructured(
    ctx: &mut Context,
    kind: &Kind,
    obj: &Value,
    output: Option<&OutputFormat>,
    dry_run: DryRun,
    index: usize,
) -> Result<()> {
    print_object(ctx, kind, obj, output, dry_run, index, false)
}

fn print_object(
    ctx: &mut Context,
    kind: &Kind,
    obj: &Value,
    output: Option<&OutputFormat>,
    dry_run: DryRun,
    index: usize,
    typed: bool,
) -> Result<()> {
    let name_line = format!("{}/{}", kind.name_prefix(), obj.name());
    let seen = if typed { typed::normalize(obj) } else { obj.clone() };
    // kubectl's JSON and YAML printers leave managedFields out (`--show-managed-fields=false`);
    // jsonpath and go-template see them.
    let hidden = || {
        let mut o = obj.clone();
        crate::api::managed::hide(&mut o);
        o
    };
    let text = match output {
        None => format!("{name_line} created{}\n", dry_run.suffix()),
        Some(OutputFormat::Name) => format!("{name_line}\n"),
        Some(OutputFormat::Yaml) => {
            let shown = hidden();
            if !crate::print::yaml::readable(&shown) {
                return Err(Error::cli(crate::print::yaml::CONTROL_CHARACTERS));
            }
            let doc = if typed { typed::to_yaml(&shown) } else { yaml::to_yaml(&shown) };
            if index > 0 {
                format!("---\n{doc}")
            } else {
                doc
            }
        }
        Some(OutputFormat::Json) if typed => typed::to_json(&hidden()),
        Some(OutputFormat::Json) => json::to_json(&hidden()),
        Some(OutputFormat::JsonPath(t)) => jsonpath::render(t, &seen).map_err(Error::cli)?,
        Some(OutputFormat::JsonPathAsJson(t)) => jsonpath::render_as_json(t, &seen).map_err(Error::cli)?,
        Some(OutputFormat::GoTemplate(t)) => gotemplate::render(t, &seen).map_err(Error::cli)?,
        Some(_) => String::new(),
    };
    ctx.out.write_all(text.as_bytes()).map_err(io)
}

/// A generator the user asked for.
pub enum Generator {
    Namespace {
        name: String,
    },
    Service {
        kind: String,
        name: String,
        tcp: Vec<String>,
        cluster_ip: Option<String>,
        node_port: Option<i64>,
    },
    Deployment {
        name: String,
        images: Vec<String>,
        replicas: i64,
        port: i64,
        command: Vec<String>,
    },
    Job {
        name: String,
        image: String,
        from: Option<String>,
        command: Vec<String>,
    },
    PriorityClass {
        name: String,
        value: i32,
        global_default: bool,
        description: String,
        preemption_policy: String,
    },
    /// `create configmap` and `create secret generic` (with the secret's `--type`, empty when not given).
    Data {
        secret: Option<String>,
        name: String,
        literals: Vec<String>,
        files: Vec<String>,
        env_files: Vec<String>,
    },
}

pub struct Request {
    pub generator: Generator,
    pub dry_run: DryRun,
    pub output: Option<OutputFormat>,
    /// `--save-config`: the last-applied annotation is set on the generated object.
    pub save_config: bool,
}

/// Builds, creates (unless a client dry run) and prints the generated object.
pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let obj = match &req.generator {
        Generator::Job { name, from: Some(from), .. } => job_from(ctx, name, from)?,
        g => build(g)?,
    };
    create_generated(ctx, obj, req.dry_run, req.output.as_ref(), req.save_config)
}

/// Creates (unless a client dry run) an object a `create` generator built, as `kubectl-create`,
/// and prints it.
pub fn create_generated(
    ctx: &mut Context,
    mut obj: Value,
    dry_run: DryRun,
    output: Option<&OutputFormat>,
    save_config: bool,
) -> Result<()> {
    let kind = Cluster::kind_of(&obj)?;
    // The generators' `if o.EnforceNamespace { obj.Namespace = o.Namespace }`: an explicit -n
    // shows in a client dry run's output too.
    if kind.namespaced && ctx.namespace_given {
        crate::api::object::set_at(&mut obj, "metadata.namespace", Value::String(ctx.namespace.clone()));
    }
    if save_config {
        if kind.namespaced {
            crate::api::object::set_at(&mut obj, "metadata.namespace", Value::String(ctx.namespace.clone()));
        }
        super::apply::with_last_applied(&mut obj)?;
    }
    if dry_run == DryRun::Client {
        return print_created(ctx, kind, &obj, output, dry_run, 0);
    }
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some("kubectl-create".into());
    let created = ctx.create_built(cluster, obj, dry_run)?;
    print_created(ctx, kind, &created, output, dry_run, 0)
}

fn build(g: &Generator) -> Result<Value> {
    match g {
        Generator::Namespace { name } => Ok(json!({
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"creationTimestamp": null, "name": name},
            "spec": {}, "status": {}
        })),
        Generator::Service { kind, name, tcp, cluster_ip, node_port } => {
            service(kind, name, tcp, cluster_ip, *node_port)
        }
        Generator::Data { secret, name, literals, files, env_files } => {
            data_object(secret.as_deref(), name, &Sources { literals, files, env_files })
        }
        Generator::Deployment { name, images, replicas, port, command } => {
            create_workloads::deployment(name, images, *replicas, *port, command)
        }
        Generator::Job { name, image, command, .. } => create_workloads::job(name, image, command),
        Generator::PriorityClass { name, value, global_default, description, preemption_policy } => {
            Ok(priority_class(name, *value, *global_default, description, preemption_policy))
        }
    }
}

/// `create job NAME --from=cronjob/CJ`.
fn job_from(ctx: &mut Context, name: &str, from: &str) -> Result<Value> {
    let (kind, source) = from.split_once('/').unwrap_or((from, ""));
    if !matches!(kind, "cronjob" | "cronjobs" | "cj" | "cronjob.batch" | "cronjobs.batch") {
        return Err(Error::cli(format!("from must be an existing cronjob: no kind {kind:?} is registered")));
    }
    let mut cluster = ctx.read()?;
    let cj = cluster.get(&crate::cluster::Key::new(&crate::api::kinds::CRONJOB, &ctx.namespace, source))?;
    cluster.abandon()?;
    let cj = cj.ok_or_else(|| Error::not_found("cronjobs.batch", source))?;
    Ok(create_workloads::job_from_cronjob(name, &cj))
}

/// What `create configmap` and `create secret generic` read their data from.
struct Sources<'a> {
    literals: &'a [String],
    files: &'a [String],
    env_files: &'a [String],
}

/// A ConfigMap or an Opaque Secret from `--from-literal`, `--from-file` or `--from-env-file` (the
/// only host files read are the ones named).
fn data_object(secret: Option<&str>, name: &str, sources: &Sources) -> Result<Value> {
    let others = !sources.literals.is_empty() || !sources.files.is_empty();
    if !sources.env_files.is_empty() && others {
        return Err(Error::cli("from-env-file cannot be combined with from-file or from-literal"));
    }
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for lit in sources.literals {
        let Some((k, v)) = lit.split_once('=') else {
            return Err(Error::cli(format!("invalid literal source {lit}, expected key=value")));
        };
        entries.push((k.to_string(), v.as_bytes().to_vec()));
    }
    for spec in sources.files {
        for (key, path) in file_sources(spec)? {
            let bytes = std::fs::read(&path)
                .map_err(|_| Error::cli(format!("error reading {path}: no such file or directory")))?;
            entries.push((key, bytes));
        }
    }
    for path in sources.env_files {
        entries.extend(env_file(path)?.into_iter().map(|(k, v)| (k, v.into_bytes())));
    }
    if let Some(key) = duplicate(&entries) {
        return Err(Error::cli(match secret {
            Some(_) => format!("cannot add key {key}, another key by that name already exists"),
            None => format!(
                "cannot add key {key:?}, another key by that name already exists in Data for ConfigMap {name:?}"
            ),
        }));
    }
    if let Some(secret_type) = secret {
        let encoded: serde_json::Map<String, Value> =
            entries.into_iter().map(|(k, v)| (k, Value::String(crate::cluster::base64(&v)))).collect();
        // Without `--type` kubectl sends none and the API server defaults it to Opaque.
        let mut secret =
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"creationTimestamp": null, "name": name}});
        if !secret_type.is_empty() {
            secret["type"] = json!(secret_type);
        }
        if !encoded.is_empty() {
            secret["data"] = Value::Object(encoded);
        }
        return Ok(secret);
    }
    // kubectl puts what is not UTF-8 into binaryData, base64-encoded.
    let (mut data, mut binary) = (serde_json::Map::new(), serde_json::Map::new());
    for (k, v) in entries {
        match String::from_utf8(v) {
            Ok(text) => data.insert(k, Value::String(text)),
            Err(e) => binary.insert(k, Value::String(crate::cluster::base64(e.as_bytes()))),
        };
    }
    let mut cm =
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"creationTimestamp": null, "name": name}});
    if !binary.is_empty() {
        cm["binaryData"] = Value::Object(binary);
    }
    if !data.is_empty() {
        cm["data"] = Value::Object(data);
    }
    Ok(cm)
}

/// The first key given twice.
fn duplicate(entries: &[(String, Vec<u8>)]) -> Option<&str> {
    let mut seen = std::collections::HashSet::new();
    entries.iter().map(|(k, _)| k.as_str()).find(|k| !seen.insert(*k))
}

/// The `KEY=value` lines of an env file (kubectl's `AddFromEnvFile`): leading whitespace, blank
/// lines and `#` comments are skipped, a UTF-8 BOM opening the file too; quotes stay part of the
/// value, and a line without `=` takes the variable's value from kubectl's own environment.
fn env_file(path: &str) -> Result<Vec<(String, String)>> {
    let bytes =
        std::fs::read(path).map_err(|_| Error::cli(format!("error reading {path}: no such file or directory")))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&bytes);
    let mut vars = Vec::new();
    for (n, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let Ok(line) = std::str::from_utf8(raw) else {
            return Err(Error::cli(format!("env file {path} contains invalid utf8 bytes at line {}: {raw:?}", n + 1)));
        };
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = match line.split_once('=') {
            Some((k, v)) => (k, v.to_string()),
            None => (line, std::env::var(line).unwrap_or_default()),
        };
        check_env_var_name(key)?;
        vars.push((key.to_string(), value));
    }
    Ok(vars)
}

/// apimachinery's `IsEnvVarName` message.
const ENV_NAME_RULE: &str = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

/// `IsEnvVarName`, the strict rule kubectl applies on the client (`--from-env-file`, `set env
/// NAME=VALUE`) whatever the server accepts: `[-._a-zA-Z][-._a-zA-Z0-9]*`, and not `.`, `..`
/// or a `..` prefix.
fn env_var_name_errors(key: &str) -> Vec<&'static str> {
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
    let mut errs = Vec::new();
    if !(key.chars().next().is_some_and(|c| ok(c) && !c.is_ascii_digit()) && key.chars().all(ok)) {
        errs.push(ENV_NAME_RULE);
    }
    match key {
        "." => errs.push("must not be '.'"),
        ".." => errs.push("must not be '..'"),
        k if k.starts_with("..") => errs.push("must not start with '..'"),
        _ => {}
    }
    errs
}

/// kubectl's `"KEY" is not a valid key name: ...` for a name `IsEnvVarName` refuses.
pub(crate) fn check_env_var_name(key: &str) -> Result<()> {
    let errs = env_var_name_errors(key);
    if errs.is_empty() {
        return Ok(());
    }
    let quoted = crate::format::go::quote_str(key);
    Err(Error::cli(format!("{quoted} is not a valid key name: {}", errs.join(";"))))
}

/// The keys and files one `--from-file` names: `[key=]file`, or a directory, whose regular files
/// (in name order, as `os.ReadDir` lists them) each become a key of their own name
/// (`handleConfigMapFromFileSources`).
fn file_sources(spec: &str) -> Result<Vec<(String, String)>> {
    let (key, path) = match spec.split_once('=') {
        Some((k, p)) => (Some(k.to_string()), p.to_string()),
        None => (None, spec.to_string()),
    };
    let missing = || Error::cli(format!("error reading {path}: no such file or directory"));
    let meta = std::fs::metadata(&path).map_err(|_| missing())?;
    if !meta.is_dir() {
        let base = || std::path::Path::new(&path).file_name().map(|n| n.to_string_lossy().into_owned());
        return Ok(vec![(key.or_else(base).unwrap_or_default(), path.clone())]);
    }
    if key.is_some() {
        return Err(Error::cli("cannot give a key name for a directory path"));
    }
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&path).map_err(|_| missing())?.flatten() {
        // Only regular files: subdirectories, symlinks, devices and pipes are left out.
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let joined = std::path::Path::new(&path).join(&name).to_string_lossy().into_owned();
            found.push((name, joined));
        }
    }
    found.sort();
    Ok(found)
}

/// kubectl's `PriorityClassOptions.createPriorityClass` (empty description and false default are
/// left out, as the typed struct serializes them).
fn priority_class(name: &str, value: i32, global_default: bool, description: &str, policy: &str) -> Value {
    let mut pc = json!({
        "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
        "metadata": {"creationTimestamp": null, "name": name},
        "preemptionPolicy": policy, "value": value,
    });
    if global_default {
        pc["globalDefault"] = json!(true);
    }
    if !description.is_empty() {
        pc["description"] = json!(description);
    }
    pc
}

/// kubectl's `ServiceOptions.createService`.
pub(crate) fn service(
    kind: &str,
    name: &str,
    tcp: &[String],
    cluster_ip: &Option<String>,
    node_port: Option<i64>,
) -> Result<Value> {
    let svc_type = match kind {
        "clusterip" => "ClusterIP",
        "nodeport" => "NodePort",
        "loadbalancer" => "LoadBalancer",
        other => return Err(Error::cli(format!("unknown service type {other:?}"))),
    };
    let headless = cluster_ip.as_deref() == Some("None");
    if tcp.is_empty() && !headless {
        return Err(Error::cli("at least one tcp port specifier must be provided"));
    }
    let mut ports = Vec::new();
    for spec in tcp.iter().flat_map(|t| t.split(',')) {
        // kubectl names a port `PORT-TARGET`, or `PORT` alone when no target was given.
        let (port, target, port_name) = match spec.split_once(':') {
            Some((p, t)) => (p, t, format!("{p}-{t}")),
            None => (spec, spec, spec.to_string()),
        };
        let port_n: i64 =
            port.parse().map_err(|_| Error::cli(format!("strconv.Atoi: parsing {port:?}: invalid syntax")))?;
        let target_v = match target.parse::<i64>() {
            Ok(n) => json!(n),
            Err(_) => json!(target),
        };
        let mut p = json!({"name": port_name, "port": port_n, "protocol": "TCP", "targetPort": target_v});
        if let Some(np) = node_port.filter(|n| *n > 0) {
            p["nodePort"] = json!(np);
        }
        ports.push(p);
    }
    let mut spec = json!({"ports": ports, "selector": {"app": name}, "type": svc_type});
    if let Some(ip) = cluster_ip {
        spec["clusterIP"] = json!(ip);
    }
    if ports_empty(&spec) {
        if let Some(m) = spec.as_object_mut() {
            m.remove("ports");
        }
    }
    Ok(json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"creationTimestamp": null, "labels": {"app": name}, "name": name},
        "spec": spec,
        "status": {"loadBalancer": {}}
    }))
}

fn ports_empty(spec: &Value) -> bool {
    spec.array_at("ports").is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusterip_service_as_kubectl_generates_it() {
        let s = service("clusterip", "my-svc", &["80:8080".into()], &None, None).unwrap();
        assert_eq!(
            yaml::to_yaml(&s),
            "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: my-svc\n  name: my-svc\nspec:\n  ports:\n  - name: 80-8080\n    port: 80\n    protocol: TCP\n    targetPort: 8080\n  selector:\n    app: my-svc\n  type: ClusterIP\nstatus:\n  loadBalancer: {}\n"
        );
        assert!(service("clusterip", "x", &[], &None, None).is_err());
        let headless = service("clusterip", "x", &[], &Some("None".into()), None).unwrap();
        assert_eq!(headless["spec"]["clusterIP"], "None");
        // A port without a target is named by the port alone (checked with kubectl v1.32).
        let names = service("clusterip", "x", &["80,5678:http".into()], &None, None).unwrap();
        assert_eq!(names["spec"]["ports"][0]["name"], "80");
        assert_eq!(names["spec"]["ports"][1]["name"], "5678-http");
    }
}
