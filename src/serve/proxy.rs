//! The pods/proxy and services/proxy subresources: `/api/v1/namespaces/NS/pods/[SCHEME:]NAME[:PORT]/proxy/PATH`
//! and `/api/v1/namespaces/NS/services/[SCHEME:]NAME[:PORT]/proxy/PATH`. The API server sends
//! the request to the pod's address (a service: one of its ready endpoints for the port) and
//! relays the answer; here the pods' simulated servers answer, as they answer `curl` in a pod.
//! Status bodies for what fails follow the API server's (pod and service ResourceLocation, the
//! proxy transport's `error trying to reach service`).

use serde_json::Value;

use super::http::{Request, Response};
use super::session::Env;
use super::status;
use crate::api::kinds::{POD, SERVICE};
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::controller::kubelet::ClusterNet;
use crate::exec::{self, Dial, HttpRequest, Network, Reached};
use crate::{Error, Result};

/// A proxy path: which object, as the path names it (`http:web:8080`), and the rest of the path.
#[derive(Debug, PartialEq, Eq)]
pub struct Proxy {
    pub namespace: String,
    pub service: bool,
    pub id: String,
    /// The path after `/proxy`, empty when the request stopped there.
    pub rest: String,
}

/// The proxy subresource a path names, if it names one.
pub fn parse(path: &str) -> Option<Proxy> {
    let tail = path.strip_prefix("/api/v1/namespaces/")?;
    let (namespace, tail) = tail.split_once('/')?;
    let (plural, tail) = tail.split_once('/')?;
    let service = match plural {
        "pods" => false,
        "services" => true,
        _ => return None,
    };
    let (id, tail) = tail.split_once('/')?;
    let rest = tail.strip_prefix("proxy")?;
    if !(rest.is_empty() || rest.starts_with('/')) || namespace.is_empty() || id.is_empty() {
        return None;
    }
    Some(Proxy { namespace: namespace.to_string(), service, id: id.to_string(), rest: rest.to_string() })
}

/// utilnet.SplitSchemeNamePort: `name`, `name:port` or `scheme:name:port` (http or https).
fn split_scheme_name_port(id: &str) -> Option<(String, String, String)> {
    let parts: Vec<&str> = id.split(':').collect();
    let (scheme, name, port) = match parts.as_slice() {
        [name] => ("", *name, ""),
        [name, port] => ("", *name, *port),
        [scheme, name, port] => (*scheme, *name, *port),
        _ => return None,
    };
    if name.is_empty() || !matches!(scheme, "" | "http" | "https") {
        return None;
    }
    Some((scheme.to_string(), name.to_string(), port.to_string()))
}

pub fn handle(env: &Env, req: &Request, p: &Proxy) -> Response {
    // The proxy's root without its slash is redirected to it (kubernetes issue 4958).
    if p.rest.is_empty() {
        let query = raw_query(req);
        let location = if query.is_empty() { format!("{}/", req.path) } else { format!("{}/?{query}", req.path) };
        return Response::new(301, "text/plain; charset=utf-8", Vec::new()).with_header("Location", &location);
    }
    let answered = (|| -> Result<Response> {
        let mut cluster = env.write()?;
        let resp = if p.service { service(&mut cluster, req, p) } else { pod(&mut cluster, req, p) };
        match resp {
            Ok(r) => {
                super::session::finish(cluster, false)?;
                Ok(r)
            }
            Err(e) => {
                cluster.abandon()?;
                Err(e)
            }
        }
    })();
    answered.unwrap_or_else(|e| status::from_error(&e))
}

fn pod(cluster: &mut Cluster, req: &Request, p: &Proxy) -> Result<Response> {
    let Some((scheme, name, mut port)) = split_scheme_name_port(&p.id) else {
        return Err(Error::BadRequest(format!("invalid pod request {:?}", p.id)));
    };
    let pod = cluster.get(&Key::new(&POD, &p.namespace, &name))?.ok_or_else(|| Error::not_found("pods", &name))?;
    if port.is_empty() {
        let first = pod.array_at("spec.containers").iter().find_map(|c| c.array_at("ports").first().cloned());
        if let Some(n) = first.and_then(|f| f.i64_at("containerPort")) {
            port = n.to_string();
        }
    }
    let ip = pod.str_at("status.podIP").to_string();
    if ip.parse::<std::net::Ipv4Addr>().is_err() {
        return Err(Error::BadRequest("address not allowed".into()));
    }
    let port_number: u16 = match port.as_str() {
        "" if scheme == "https" => 443,
        "" => 80,
        n => n.parse().map_err(|_| Error::BadRequest(format!("invalid pod request {:?}", p.id)))?,
    };
    let net = ClusterNet::build(cluster)?;
    Ok(forward(cluster, &net, req, p, &scheme, &ip, port_number, &format!("{ip}:{port_number}"), &pod))
}

fn service(cluster: &mut Cluster, req: &Request, p: &Proxy) -> Result<Response> {
    let Some((scheme, name, port)) = split_scheme_name_port(&p.id) else {
        return Err(Error::BadRequest(format!("invalid service request {:?}", p.id)));
    };
    let svc =
        cluster.get(&Key::new(&SERVICE, &p.namespace, &name))?.ok_or_else(|| Error::not_found("services", &name))?;
    let ports = svc.array_at("spec.ports");
    // A port number means the service port with that number, named as that port is.
    let port_name = match port.parse::<i64>() {
        Ok(n) => match ports.iter().find(|sp| sp.i64_at("port") == Some(n)) {
            Some(sp) => sp.str_at("name").to_string(),
            None => {
                return Ok(status::response(
                    503,
                    "ServiceUnavailable",
                    &format!("no service port {n} found for service {name:?}"),
                ))
            }
        },
        Err(_) => port,
    };
    let no_endpoints =
        || status::response(503, "ServiceUnavailable", &format!("no endpoints available for service {:?}", p.id));
    let Some(number) = ports
        .iter()
        .find(|sp| sp.str_at("name") == port_name)
        .and_then(|sp| sp.i64_at("port"))
        .and_then(|n| u16::try_from(n).ok())
    else {
        return Ok(no_endpoints());
    };
    let cluster_ip = svc.str_at("spec.clusterIP").to_string();
    let net = ClusterNet::build(cluster)?;
    let endpoint = match net.dial(&cluster_ip, number) {
        Dial::Endpoints { endpoints, .. } if !endpoints.is_empty() => endpoints,
        _ => return Ok(no_endpoints()),
    };
    // The address the refusal names: the (first) endpoint's pod and target port.
    let first = &endpoint[0];
    let shown = first
        .containers
        .first()
        .map(|c| format!("{}:{}", c.container.pod_ip, first.port))
        .unwrap_or_else(|| format!("{cluster_ip}:{number}"));
    Ok(forward(cluster, &net, req, p, &scheme, &cluster_ip, number, &shown, &svc))
}

/// Sends the request on and relays the answer, or the API server's failure.
#[allow(clippy::too_many_arguments)]
fn forward(
    cluster: &mut Cluster,
    net: &ClusterNet,
    req: &Request,
    p: &Proxy,
    scheme: &str,
    ip: &str,
    port: u16,
    shown: &str,
    obj: &Value,
) -> Response {
    let unreachable =
        |why: &str| status::response(503, "ServiceUnavailable", &format!("error trying to reach service: {why}"));
    if scheme == "https" {
        // The simulated servers speak plain HTTP only.
        return unreachable("tls: first record does not look like a TLS handshake");
    }
    let query = raw_query(req);
    let target = if query.is_empty() { p.rest.clone() } else { format!("{}?{query}", p.rest) };
    let forwarded = HttpRequest {
        method: req.method.clone(),
        target,
        host: req.header("host").unwrap_or_default().to_string(),
        user_agent: req.header("user-agent").unwrap_or_default().to_string(),
        referer: req.header("referer").unwrap_or_default().to_string(),
        // The API server's connection comes from its node.
        client: api_server_address(obj),
    };
    let now = cluster.clock.now();
    let reached = {
        let mut files = cluster.files();
        exec::reach(&mut files, net, ip, port, &forwarded, now)
    };
    match reached {
        Reached::Http(resp) => relay(*resp),
        Reached::NotHttp => unreachable("EOF"),
        Reached::Refused => unreachable(&format!("dial tcp {shown}: connect: connection refused")),
        Reached::Unreachable => unreachable(&format!("dial tcp {shown}: i/o timeout")),
    }
}

/// The pod's node address (a pod: its hostIP), standing for the API server's.
fn api_server_address(obj: &Value) -> String {
    match obj.str_at("status.hostIP") {
        "" => "127.0.0.1".to_string(),
        ip => ip.to_string(),
    }
}

/// The query string as the client sent it (the request keeps it decoded).
fn raw_query(req: &Request) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' | b':' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    req.query.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

/// The backend's answer as the API server relays it: its status, headers and body; the
/// connection's own headers (framing, keep-alive) are the API server's.
fn relay(resp: exec::HttpResponse) -> Response {
    let content_type = resp.header("content-type").unwrap_or("text/plain; charset=utf-8").to_string();
    let mut out = Response::new(resp.status, &content_type, resp.body);
    for (name, value) in resp.headers {
        let hop = ["content-type", "content-length", "connection", "transfer-encoding", "keep-alive"];
        if !hop.contains(&name.to_ascii_lowercase().as_str()) {
            out.headers.push((name, value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_paths() {
        let p = parse("/api/v1/namespaces/default/pods/web:8080/proxy/a/b").unwrap();
        assert_eq!(
            p,
            Proxy { namespace: "default".into(), service: false, id: "web:8080".into(), rest: "/a/b".into() }
        );
        assert_eq!(parse("/api/v1/namespaces/default/services/http:web:80/proxy").unwrap().rest, "");
        assert!(parse("/api/v1/namespaces/default/pods/web/log").is_none());
        assert!(parse("/api/v1/namespaces/default/pods/web/proxyx").is_none());
        assert!(parse("/api/v1/namespaces/default/configmaps/web/proxy/").is_none());
    }

    #[test]
    fn ids_split_as_the_api_server_splits_them() {
        assert_eq!(split_scheme_name_port("web"), Some(("".into(), "web".into(), "".into())));
        assert_eq!(split_scheme_name_port("https:web:443"), Some(("https".into(), "web".into(), "443".into())));
        assert_eq!(split_scheme_name_port("ftp:web:21"), None);
        assert_eq!(split_scheme_name_port("a:b:c:d"), None);
    }
}
