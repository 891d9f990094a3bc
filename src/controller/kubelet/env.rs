//! The environment the kubelet gives a container when it starts (`makeEnvironmentVariables`):
//! the service link variables, then `envFrom` in order, then `env` in order, where a literal
//! value may refer to earlier variables with `$(VAR)`. Later definitions of a name win. The
//! runtime adds `PATH`, `HOSTNAME` and the image's own variables around these (`exec/`).
//!
//! The kubelet hands the runtime a Go map, so a real container lists these in no fixed order;
//! kstate lists them in definition order, then the service variables no definition replaced.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};
use serde_json::Value;

// Absolute paths: this module is declared in view.rs for now (see there), later in kubelet/mod.rs.
use crate::api::kinds::{NODE, SERVICE};
use crate::api::ObjectExt;
use crate::clock::Instant;
use crate::cluster::{Cluster, Key};
use crate::controller::kubelet::view::downward::{env_field, resource_field, Host};
use crate::controller::kubelet::view::sources::{Data, Source};

/// The container's environment as the kubelet builds it when the container starts, or the
/// kubelet's CreateContainerConfigError message (`configmap "x" not found`, `couldn't find key K in ConfigMap NS/NAME`, ...).
pub fn container_env(
    cluster: &mut Cluster,
    pod: &Value,
    container: &Value,
) -> crate::Result<std::result::Result<Vec<(String, String)>, String>> {
    let services = service_vars(cluster, pod, started_at(pod, container))?;
    let (host, allocatable) = match cluster.get_ref(&Key::new(&NODE, "", pod.str_at("spec.nodeName")))? {
        Some(node) => (Host::of(Some(node), pod), node.at("status.allocatable").cloned()),
        None => (Host::of(None, pod), None),
    };
    let mut builder = Builder {
        cluster,
        pod,
        host,
        allocatable,
        vars: Vars::default(),
        services: services.iter().cloned().collect(),
        objects: HashMap::new(),
    };
    if let Err(message) = builder.env_from(container)? {
        return Ok(Err(message));
    }
    if let Err(message) = builder.env(container)? {
        return Ok(Err(message));
    }
    let Vars { mut list, index } = builder.vars;
    list.extend(services.into_iter().filter(|(k, _)| !index.contains_key(k)));
    Ok(Ok(list))
}

/// Whether building the container's environment can fail: only `envFrom` and `valueFrom` read
/// sources that may be missing or wrong (literal values and service variables always work).
pub fn may_fail(container: &Value) -> bool {
    !container.array_at("envFrom").is_empty()
        || container.array_at("env").iter().any(|v| v.get("valueFrom").is_some_and(Value::is_object))
}

/// `$(VAR)` expansion as the kubelet applies it to env values, `command` and `args`: a known
/// name is replaced by its value, an unknown one stays as written, `$$` is one `$`, and any other
/// `$` (or an unterminated `$(`) is kept.
pub fn expand_vars(s: &str, env: &[(String, String)]) -> String {
    expand(s, |name| env.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str()))
}

fn expand<'v>(s: &str, lookup: impl Fn(&str) -> Option<&'v str>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some((name, tail)) = after.strip_prefix('(').and_then(|a| a.split_once(')')) {
            match lookup(name) {
                Some(value) => out.push_str(value),
                None => out.push_str(&format!("$({name})")),
            }
            rest = tail;
        } else {
            // A `$` that starts no reference stays; so does `$(` without its `)`.
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Variables in definition order; redefining a name replaces its value in place.
#[derive(Default)]
struct Vars {
    list: Vec<(String, String)>,
    index: HashMap<String, usize>,
}

impl Vars {
    fn set(&mut self, name: String, value: String) {
        match self.index.get(&name) {
            Some(&i) => self.list[i].1 = value,
            None => {
                self.index.insert(name.clone(), self.list.len());
                self.list.push((name, value));
            }
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.index.get(name).map(|&i| self.list[i].1.as_str())
    }
}

/// One container's environment in the making.
struct Builder<'a> {
    cluster: &'a mut Cluster,
    pod: &'a Value,
    host: Host,
    allocatable: Option<Value>,
    vars: Vars,
    services: HashMap<String, String>,
    /// ConfigMaps and Secrets read so far (None: it does not exist), as the kubelet caches them
    /// while it builds one environment.
    objects: HashMap<(Source, String), Option<Data>>,
}

/// What the kubelet reports instead of starting the container.
type ConfigError = String;

impl Builder<'_> {
    /// `envFrom`: every key of each ConfigMap or Secret, with the entry's prefix.
    fn env_from(&mut self, container: &Value) -> crate::Result<Result<(), ConfigError>> {
        for from in container.array_at("envFrom") {
            let (source, reference) = if let Some(r) = from.get("configMapRef").filter(|r| r.is_object()) {
                (Source::ConfigMap, r)
            } else if let Some(r) = from.get("secretRef").filter(|r| r.is_object()) {
                (Source::Secret, r)
            } else {
                continue;
            };
            let name = reference.str_at("name");
            let Some(data) = self.object(source, name)? else {
                if optional(reference) {
                    continue;
                }
                return Ok(Err(source.not_found(name)));
            };
            let prefix = from.str_at("prefix");
            for (key, value) in &data.data {
                self.vars.set(format!("{prefix}{key}"), String::from_utf8_lossy(value).into_owned());
            }
        }
        Ok(Ok(()))
    }

    /// `env`: literal values (expanded) and `valueFrom` sources, in order.
    fn env(&mut self, container: &Value) -> crate::Result<Result<(), ConfigError>> {
        for var in container.array_at("env") {
            let literal = var.str_at("value");
            let value = if !literal.is_empty() {
                let (vars, services) = (&self.vars, &self.services);
                expand(literal, |name| vars.get(name).or_else(|| services.get(name).map(String::as_str)))
            } else if let Some(from) = var.get("valueFrom").filter(|f| f.is_object()) {
                match self.value_from(container, from)? {
                    Ok(Some(value)) => value,
                    Ok(None) => continue,
                    Err(message) => return Ok(Err(message)),
                }
            } else {
                String::new()
            };
            self.vars.set(var.str_at("name").to_string(), value);
        }
        Ok(Ok(()))
    }

    /// One `valueFrom`; `Ok(None)` when an optional source is missing (the variable is left out).
    fn value_from(&mut self, container: &Value, from: &Value) -> crate::Result<Result<Option<String>, ConfigError>> {
        if let Some(field) = from.get("fieldRef").filter(|f| f.is_object()) {
            return Ok(env_field(self.pod, &self.host, field).map(Some));
        }
        if let Some(field) = from.get("resourceFieldRef").filter(|f| f.is_object()) {
            return Ok(resource_field(container, self.allocatable.as_ref(), field).map(Some));
        }
        let (source, reference) = if let Some(r) = from.get("configMapKeyRef").filter(|r| r.is_object()) {
            (Source::ConfigMap, r)
        } else if let Some(r) = from.get("secretKeyRef").filter(|r| r.is_object()) {
            (Source::Secret, r)
        } else {
            return Ok(Ok(Some(String::new())));
        };
        let (name, key) = (reference.str_at("name"), reference.str_at("key"));
        let Some(data) = self.object(source, name)? else {
            return Ok(if optional(reference) { Ok(None) } else { Err(source.not_found(name)) });
        };
        Ok(match data.data.get(key) {
            Some(value) => Ok(Some(String::from_utf8_lossy(value).into_owned())),
            None if optional(reference) => Ok(None),
            None => {
                let namespace = self.pod.namespace();
                Err(format!("couldn't find key {key} in {} {namespace}/{name}", source.word()))
            }
        })
    }

    /// The keys of a ConfigMap or Secret in the pod's namespace, read once per environment.
    fn object(&mut self, source: Source, name: &str) -> crate::Result<Option<Data>> {
        let key = (source, name.to_string());
        if let Some(known) = self.objects.get(&key) {
            return Ok(known.clone());
        }
        let data = source.read(self.cluster, self.pod.namespace(), name)?;
        self.objects.insert(key, data.clone());
        Ok(data)
    }
}

fn optional(reference: &Value) -> bool {
    reference.get("optional").and_then(Value::as_bool).unwrap_or(false)
}

/// When the running container started, if it has: the environment is the one it got then.
fn started_at(pod: &Value, container: &Value) -> Option<Instant> {
    let name = container.str_at("name");
    let statuses = pod.array_at("status.containerStatuses").iter().chain(pod.array_at("status.initContainerStatuses"));
    statuses.into_iter().find(|s| s.str_at("name") == name).and_then(|s| s.time_at("state.running.startedAt"))
}

/// The service link variables (`envvars.FromServices`): every service with a cluster IP in the
/// pod's namespace when `enableServiceLinks` is on (the default), and always the API server's
/// `kubernetes` service of `default`; only services that existed when the container started
/// (`started`). Services are taken in name order.
fn service_vars(cluster: &mut Cluster, pod: &Value, started: Option<Instant>) -> crate::Result<Vec<(String, String)>> {
    let links = pod.at("spec.enableServiceLinks").and_then(Value::as_bool).unwrap_or(true);
    let namespace = pod.namespace();
    let existed = |svc: &Value| started.is_none_or(|t| svc.created().is_none_or(|c| c <= t));
    let mut by_name: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    if links {
        cluster.load(&SERVICE, Some(namespace))?;
        for svc in cluster.iter(&SERVICE, Some(namespace)).filter(|s| existed(s)) {
            by_name.insert(svc.name().to_string(), link_vars(svc));
        }
    }
    if !by_name.contains_key("kubernetes") {
        if let Some(svc) = cluster.get_ref(&Key::new(&SERVICE, "default", "kubernetes"))?.filter(|s| existed(s)) {
            by_name.insert("kubernetes".to_string(), link_vars(svc));
        }
    }
    Ok(by_name.into_values().flatten().collect())
}

/// The variables of one service: `X_SERVICE_HOST`, `X_SERVICE_PORT`, one `X_SERVICE_PORT_<NAME>`
/// per named port, then Docker's link variables (`X_PORT`, and `X_PORT_<port>_<PROTO>` with
/// `_PROTO`, `_PORT` and `_ADDR` per port). Headless and ExternalName services have none.
fn link_vars(svc: &Value) -> Vec<(String, String)> {
    let ip = svc.str_at("spec.clusterIP");
    let ports = svc.array_at("spec.ports");
    if ip.is_empty() || ip == "None" || ports.is_empty() {
        return Vec::new();
    }
    let prefix = svc.name().replace('-', "_").to_uppercase();
    let port_of = |p: &Value| p.i64_at("port").unwrap_or(0).to_string();
    let mut vars = vec![
        (format!("{prefix}_SERVICE_HOST"), ip.to_string()),
        (format!("{prefix}_SERVICE_PORT"), port_of(&ports[0])),
    ];
    for p in ports.iter().filter(|p| !p.str_at("name").is_empty()) {
        let name = p.str_at("name").replace('-', "_").to_uppercase();
        vars.push((format!("{prefix}_SERVICE_PORT_{name}"), port_of(p)));
    }
    // An IPv6 cluster IP is bracketed in a URL, as Go's net.JoinHostPort writes it.
    let host = if ip.contains(':') { format!("[{ip}]") } else { ip.to_string() };
    for (i, p) in ports.iter().enumerate() {
        let protocol = match p.str_at("protocol") {
            "" => "TCP",
            other => other,
        };
        let (lower, port) = (protocol.to_lowercase(), port_of(p));
        let url = format!("{lower}://{host}:{port}");
        if i == 0 {
            vars.push((format!("{prefix}_PORT"), url.clone()));
        }
        let each = format!("{prefix}_PORT_{port}_{}", protocol.to_uppercase());
        vars.push((each.clone(), url));
        vars.push((format!("{each}_PROTO"), lower));
        vars.push((format!("{each}_PORT"), port));
        vars.push((format!("{each}_ADDR"), ip.to_string()));
    }
    vars
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Settings;
    use serde_json::json;

    /// A fresh cluster (nodes, `kubernetes` service at 10.96.0.1) holding `objects` in `shop`.
    fn cluster_with(dir: &tempfile::TempDir, objects: &[Value]) -> Cluster {
        let settings =
            Settings { state_dir: dir.path(), clock: crate::clock::Clock::fixed(1_795_770_000), seed: Some(7) };
        let mut cluster = Cluster::open(&settings, true).expect("open cluster");
        cluster.create(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}), "").expect("ns");
        for obj in objects {
            cluster.create(obj.clone(), "shop").expect("create");
        }
        cluster
    }

    fn config_map(name: &str, data: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data})
    }

    fn secret(name: &str, data: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "data": data})
    }

    fn pod(links: Option<bool>) -> Value {
        let mut p = json!({
            "metadata": {"name": "app", "namespace": "shop", "uid": "u-7", "labels": {"tier": "web"}},
            "spec": {"nodeName": "cn-beijing.192.168.0.101", "serviceAccountName": "default"},
            "status": {"podIP": "10.244.0.5", "podIPs": [{"ip": "10.244.0.5"}]},
        });
        if let Some(links) = links {
            p["spec"]["enableServiceLinks"] = json!(links);
        }
        p
    }

    fn env_of(cluster: &mut Cluster, pod: &Value, container: Value) -> Result<Vec<(String, String)>, String> {
        container_env(cluster, pod, &container).expect("no internal error")
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    const KUBERNETES: [(&str, &str); 8] = [
        ("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
        ("KUBERNETES_SERVICE_PORT", "443"),
        ("KUBERNETES_SERVICE_PORT_HTTPS", "443"),
        ("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
        ("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443"),
        ("KUBERNETES_PORT_443_TCP_PROTO", "tcp"),
        ("KUBERNETES_PORT_443_TCP_PORT", "443"),
        ("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1"),
    ];

    #[test]
    fn expansion_follows_the_kubelets_rules() {
        let env = pairs(&[("A", "1"), ("B", "two"), ("A", "3")]);
        assert_eq!(expand_vars("$(A)-$(B)", &env), "3-two");
        assert_eq!(expand_vars("$(C) stays", &env), "$(C) stays");
        assert_eq!(expand_vars("$$(A) is escaped, $$ is one", &env), "$(A) is escaped, $ is one");
        assert_eq!(expand_vars("$A $ and $(unterminated", &env), "$A $ and $(unterminated");
        assert_eq!(expand_vars("trailing $", &env), "trailing $");
        assert_eq!(expand_vars("$$$(B)", &env), "$two");
        assert_eq!(expand_vars("$()", &env), "$()");
        assert_eq!(expand_vars("é$(B)ü", &env), "étwoü");
    }

    #[test]
    fn every_source_in_definition_order_then_the_service_variables() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut cluster = cluster_with(
            &dir,
            &[config_map("cfg", json!({"MODE": "fast", "LEVEL": "3"})), secret("db", json!({"password": "czNjcjN0"}))],
        );
        let container = json!({
            "name": "c",
            "resources": {"limits": {"memory": "64Mi"}},
            "envFrom": [{"configMapRef": {"name": "cfg"}, "prefix": "CFG_"}, {"secretRef": {"name": "db"}}],
            "env": [
                {"name": "GREETING", "value": "hi $(MY_POD) $$(MY_POD) $(CFG_MODE) $(KUBERNETES_SERVICE_HOST)"},
                {"name": "MY_POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                {"name": "AGAIN", "value": "$(MY_POD)"},
                {"name": "TIER", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['tier']"}}},
                {"name": "MEM_MI", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}},
                {"name": "CPU", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}},
                {"name": "LEVEL", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "LEVEL"}}},
                {"name": "PASS", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
                {"name": "EMPTY"},
                {"name": "CFG_MODE", "value": "slow"},
            ],
        });
        let want = [
            ("CFG_LEVEL", "3"),
            ("CFG_MODE", "slow"),
            ("password", "s3cr3t"),
            ("GREETING", "hi $(MY_POD) $(MY_POD) fast 10.96.0.1"),
            ("MY_POD", "app"),
            ("AGAIN", "app"),
            ("TIER", "web"),
            ("MEM_MI", "64"),
            ("CPU", "4"),
            ("LEVEL", "3"),
            ("PASS", "s3cr3t"),
            ("EMPTY", ""),
        ];
        let mut all = pairs(&want);
        all.extend(pairs(&KUBERNETES));
        assert_eq!(env_of(&mut cluster, &pod(None), container), Ok(all));
    }

    #[test]
    fn missing_sources_are_config_errors_unless_optional() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut cluster = cluster_with(&dir, &[config_map("cfg", json!({"A": "1"})), secret("db", json!({}))]);
        let p = pod(Some(false));
        let env_var = |from: Value| json!({"name": "c", "env": [{"name": "X", "valueFrom": from}]});
        let cases = [
            (json!({"configMapKeyRef": {"name": "nope", "key": "A"}}), "configmap \"nope\" not found"),
            (json!({"configMapKeyRef": {"name": "cfg", "key": "B"}}), "couldn't find key B in ConfigMap shop/cfg"),
            (json!({"secretKeyRef": {"name": "nope", "key": "A"}}), "secret \"nope\" not found"),
            (json!({"secretKeyRef": {"name": "db", "key": "pw"}}), "couldn't find key pw in Secret shop/db"),
            (json!({"fieldRef": {"fieldPath": "spec.hostname"}}), "field label not supported: spec.hostname"),
            (json!({"resourceFieldRef": {"resource": "limits.gpu"}}), "unsupported container resource : limits.gpu"),
        ];
        for (from, message) in cases {
            assert!(may_fail(&env_var(from.clone())));
            assert_eq!(env_of(&mut cluster, &p, env_var(from)), Err(message.to_string()));
        }
        let from_missing = json!({"name": "c", "envFrom": [{"secretRef": {"name": "gone"}}]});
        assert!(may_fail(&from_missing));
        assert_eq!(env_of(&mut cluster, &p, from_missing), Err("secret \"gone\" not found".to_string()));
        assert!(!may_fail(&json!({"name": "c", "env": [{"name": "X", "value": "$(Y)"}, {"name": "Y"}]})));
        let tolerated = json!({"name": "c",
            "envFrom": [{"configMapRef": {"name": "gone", "optional": true}}],
            "env": [{"name": "X", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "B", "optional": true}}},
                    {"name": "Y", "valueFrom": {"secretKeyRef": {"name": "gone", "key": "B", "optional": true}}},
                    {"name": "Z", "value": "$(X)"}]});
        let mut want = pairs(&[("Z", "$(X)")]);
        want.extend(pairs(&KUBERNETES));
        assert_eq!(env_of(&mut cluster, &p, tolerated), Ok(want));
    }

    #[test]
    fn service_links_cover_the_pods_namespace_unless_turned_off() {
        let dir = tempfile::tempdir().expect("temp dir");
        let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "my-nginx"},
                         "spec": {"clusterIP": "10.96.5.5",
                                  "ports": [{"name": "http", "port": 80}, {"name": "dns-udp", "port": 53, "protocol": "UDP"}]}});
        let headless = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "peers"},
                              "spec": {"clusterIP": "None", "ports": [{"port": 80}]}});
        let mut cluster = cluster_with(&dir, &[svc, headless]);
        let mut want = pairs(&KUBERNETES);
        assert_eq!(env_of(&mut cluster, &pod(Some(false)), json!({"name": "c"})), Ok(want.clone()));
        want.extend(pairs(&[
            ("MY_NGINX_SERVICE_HOST", "10.96.5.5"),
            ("MY_NGINX_SERVICE_PORT", "80"),
            ("MY_NGINX_SERVICE_PORT_HTTP", "80"),
            ("MY_NGINX_SERVICE_PORT_DNS_UDP", "53"),
            ("MY_NGINX_PORT", "tcp://10.96.5.5:80"),
            ("MY_NGINX_PORT_80_TCP", "tcp://10.96.5.5:80"),
            ("MY_NGINX_PORT_80_TCP_PROTO", "tcp"),
            ("MY_NGINX_PORT_80_TCP_PORT", "80"),
            ("MY_NGINX_PORT_80_TCP_ADDR", "10.96.5.5"),
            ("MY_NGINX_PORT_53_UDP", "udp://10.96.5.5:53"),
            ("MY_NGINX_PORT_53_UDP_PROTO", "udp"),
            ("MY_NGINX_PORT_53_UDP_PORT", "53"),
            ("MY_NGINX_PORT_53_UDP_ADDR", "10.96.5.5"),
        ]));
        assert_eq!(env_of(&mut cluster, &pod(None), json!({"name": "c"})), Ok(want.clone()));
        // Only the services that existed when the container started: here, none of them.
        let mut early = pod(None);
        early["status"]["containerStatuses"] =
            json!([{"name": "c", "state": {"running": {"startedAt": "2026-11-27T08:59:59Z"}}}]);
        assert_eq!(env_of(&mut cluster, &early, json!({"name": "c"})), Ok(vec![]));
        early["status"]["containerStatuses"][0]["state"]["running"]["startedAt"] = json!("2026-11-27T09:00:00Z");
        assert_eq!(env_of(&mut cluster, &early, json!({"name": "c"})), Ok(want));
    }
}
