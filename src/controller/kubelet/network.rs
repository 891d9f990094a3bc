//! The cluster network seen from a pod, over the API objects: kube-dns's records (services,
//! headless services' pods, `<pod>.<subdomain>`, `a-b-c-d.<ns>.pod`), PTR names, and what
//! answers on pod and service addresses (kube-proxy: a service port leads to the target port
//! of its ready endpoints). A snapshot taken before the command runs.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};
use serde_json::{json, Value};

use super::view::container_view;
use crate::api::kinds::{POD, SERVICE};
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::Cluster;
use crate::exec::{serves, Dial, Endpoint, Network, Peer};
use crate::Result;

const DOMAIN: &str = "cluster.local";

/// One running pod: its address, whether it is Ready, its containers as peers and their ports.
struct PodInfo {
    namespace: String,
    ip: String,
    ready: bool,
    labels: crate::api::object::Labels,
    /// Containers that run a web server (others never answer).
    peers: Vec<Peer>,
    /// Named container ports, for services' named target ports.
    named_ports: HashMap<String, u16>,
}

struct ServicePort {
    port: u16,
    target: Value,
}

struct ServiceInfo {
    key: String,
    ports: Vec<ServicePort>,
    /// Indexes into `pods` of the ready endpoints.
    endpoints: Vec<usize>,
}

/// kube-dns and kube-proxy for one command.
#[derive(Default)]
pub struct ClusterNet {
    pods: Vec<PodInfo>,
    by_ip: HashMap<String, usize>,
    records: BTreeMap<String, Vec<String>>,
    ptr: HashMap<String, String>,
    services: HashMap<String, ServiceInfo>,
}

impl ClusterNet {
    pub fn build(cluster: &mut Cluster) -> Result<ClusterNet> {
        let mut net = ClusterNet::default();
        let pods = cluster.list(&POD, None)?;
        let services = cluster.list(&SERVICE, None)?;
        for pod in &pods {
            let ip = pod.str_at("status.podIP");
            if ip.is_empty() || pod.str_at("status.phase") != "Running" || pod.is_deleting() {
                continue;
            }
            let ready = pod
                .array_at("status.conditions")
                .iter()
                .any(|c| c.str_at("type") == "Ready" && c.str_at("status") == "True");
            let mut peers = Vec::new();
            let mut named_ports = HashMap::new();
            for spec in pod.array_at("spec.containers") {
                for p in spec.array_at("ports") {
                    if let (name, Some(n)) = (p.str_at("name"), p.i64_at("containerPort")) {
                        if !name.is_empty() {
                            named_ports.insert(name.to_string(), u16::try_from(n).unwrap_or(0));
                        }
                    }
                }
                if serves(spec.str_at("image")) && running(pod, spec.str_at("name")) {
                    let container = container_view(cluster, pod, spec)?;
                    let log = format!("log/{}/{}", pod.uid(), spec.str_at("name"));
                    peers.push(Peer { container, log });
                }
            }
            net.by_ip.insert(ip.to_string(), net.pods.len());
            net.pods.push(PodInfo {
                namespace: pod.namespace().to_string(),
                ip: ip.to_string(),
                ready,
                labels: pod.labels(),
                peers,
                named_ports,
            });
        }
        let hostnames: Vec<(usize, String, String)> = pods
            .iter()
            .filter_map(|p| {
                let i = *net.by_ip.get(p.str_at("status.podIP"))?;
                let host = match p.str_at("spec.hostname") {
                    "" => p.name(),
                    h => h,
                };
                Some((i, host.to_string(), p.str_at("spec.subdomain").to_string()))
            })
            .collect();
        for svc in &services {
            let (ns, name) = (svc.namespace().to_string(), svc.name().to_string());
            let fqdn = format!("{name}.{ns}.svc.{DOMAIN}");
            let publish_all = svc.at("spec.publishNotReadyAddresses").and_then(Value::as_bool).unwrap_or(false);
            let selector = svc.at("spec.selector").filter(|s| s.as_object().is_some_and(|m| !m.is_empty()));
            let endpoints: Vec<usize> = match selector {
                Some(sel) => match Selector::from_label_selector(&json!({ "matchLabels": sel })) {
                    Ok(sel) => (0..net.pods.len())
                        .filter(|&i| {
                            let p = &net.pods[i];
                            p.namespace == ns && (p.ready || publish_all) && sel.matches(&p.labels)
                        })
                        .collect(),
                    Err(_) => Vec::new(),
                },
                None => Vec::new(),
            };
            let cluster_ip = svc.str_at("spec.clusterIP").to_string();
            if cluster_ip == "None" {
                let ips: Vec<String> = endpoints.iter().map(|&i| net.pods[i].ip.clone()).collect();
                if !ips.is_empty() {
                    net.records.insert(fqdn.clone(), ips);
                }
                for &i in &endpoints {
                    let ip = net.pods[i].ip.clone();
                    let own = hostnames.iter().find(|(j, _, sub)| *j == i && *sub == name);
                    let pod_name = match own {
                        Some((_, host, _)) => {
                            let n = format!("{host}.{name}.{ns}.svc.{DOMAIN}");
                            net.records.insert(n.clone(), vec![ip.clone()]);
                            n
                        }
                        None => format!("{}.{name}.{ns}.svc.{DOMAIN}", ip.replace('.', "-")),
                    };
                    net.ptr.entry(ip).or_insert(pod_name);
                }
            } else if !cluster_ip.is_empty() {
                net.records.insert(fqdn.clone(), vec![cluster_ip.clone()]);
                net.ptr.insert(cluster_ip.clone(), fqdn.clone());
                let ports = svc
                    .array_at("spec.ports")
                    .iter()
                    .filter_map(|p| {
                        let port = u16::try_from(p.i64_at("port")?).ok()?;
                        Some(ServicePort { port, target: p.get("targetPort").cloned().unwrap_or(json!(port)) })
                    })
                    .collect();
                net.services.insert(cluster_ip, ServiceInfo { key: format!("{ns}/{name}"), ports, endpoints });
            }
        }
        Ok(net)
    }
}

impl Network for ClusterNet {
    fn lookup(&self, fqdn: &str) -> Option<Vec<String>> {
        let fqdn = fqdn.trim_end_matches('.').to_ascii_lowercase();
        if let Some(ips) = self.records.get(&fqdn) {
            return Some(ips.clone());
        }
        // `a-b-c-d.<ns>.pod.cluster.local` answers the address it spells.
        let rest = fqdn.strip_suffix(&format!(".pod.{DOMAIN}"))?;
        let (dashed, _ns) = rest.split_once('.')?;
        let ip = dashed.replace('-', ".");
        let octets: Vec<&str> = ip.split('.').collect();
        (octets.len() == 4 && octets.iter().all(|o| o.parse::<u8>().is_ok())).then(|| vec![ip])
    }

    fn reverse(&self, ip: &str) -> Option<String> {
        self.ptr.get(ip).cloned()
    }

    fn dial(&self, ip: &str, port: u16) -> Dial {
        if let Some(&i) = self.by_ip.get(ip) {
            let pod = &self.pods[i];
            return Dial::Endpoints {
                key: ip.to_string(),
                endpoints: vec![Endpoint { port, containers: pod.peers.clone() }],
            };
        }
        let Some(svc) = self.services.get(ip) else { return Dial::Unreachable };
        let Some(sp) = svc.ports.iter().find(|p| p.port == port) else { return Dial::Refused };
        let endpoints: Vec<Endpoint> = svc
            .endpoints
            .iter()
            .filter_map(|&i| {
                let pod = &self.pods[i];
                let target = match &sp.target {
                    Value::String(name) => match name.parse::<u16>() {
                        Ok(n) => n,
                        Err(_) => *pod.named_ports.get(name)?,
                    },
                    v => v.as_u64().and_then(|n| u16::try_from(n).ok()).unwrap_or(sp.port),
                };
                Some(Endpoint { port: target, containers: pod.peers.clone() })
            })
            .collect();
        if endpoints.is_empty() {
            return Dial::Refused;
        }
        Dial::Endpoints { key: format!("{}:{port}", svc.key), endpoints }
    }
}

/// Whether a container of the pod is running (a crashed or waiting one accepts nothing).
fn running(pod: &Value, container: &str) -> bool {
    pod.array_at("status.containerStatuses")
        .iter()
        .find(|s| s.str_at("name") == container)
        .is_some_and(|s| s.at("state.running").is_some())
}
