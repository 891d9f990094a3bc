//! kubectl v1.32's `create ingress NAME --rule=host/path=service:port[,tls[=secret]]`
//! (staging/src/k8s.io/kubectl/pkg/cmd/create/create_ingress.go): rules of one host gather
//! their paths, a trailing `*` makes a path a Prefix (else Exact), `,tls` adds the host to a TLS
//! entry per secret; `--class`, `--default-backend=service:port` and `--annotation=key=value`.

use regex::Regex;
use serde_json::{json, Map, Value};

use super::create_generators::create_generated;
use super::dry_run::DryRun;
use super::Context;
use crate::print::OutputFormat;
use crate::{Error, Result};

pub struct Request {
    pub name: String,
    pub class: Option<String>,
    pub rules: Vec<String>,
    pub default_backend: Option<String>,
    pub annotations: Vec<String>,
}

/// `ruleRegex` (Go's `\w` is ASCII).
const RULE: &str = r"^(?P<host>[0-9A-Za-z_*\-.]*)(?P<path>/[^,=\n]*)=(?P<svcname>[0-9A-Za-z_\-]+):(?P<svcport>[0-9A-Za-z_\-]+)(,(?P<istls>tls)=?(?P<secretname>[0-9A-Za-z_\-]+)?)?$";

/// `Validate`.
fn validate(req: &Request) -> Result<()> {
    let backend = req.default_backend.as_deref().unwrap_or_default();
    if backend.is_empty() && req.rules.is_empty() {
        return Err(Error::cli("not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)"));
    }
    let rule = Regex::new(RULE).map_err(|_| Error::cli("failed to compile the regex"))?;
    if let Some(bad) = req.rules.iter().find(|r| !rule.is_match(r)) {
        return Err(Error::cli(format!(
            "rule {bad} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]"
        )));
    }
    if let Some(bad) = req.annotations.iter().find(|a| !a.contains('=')) {
        return Err(Error::cli(format!("annotation {bad} is invalid and should be in format key=[value]")));
    }
    if !backend.is_empty() && backend.split(':').count() != 2 {
        return Err(Error::cli("default-backend should be in format servicename:serviceport"));
    }
    Ok(())
}

/// `buildIngressBackendSvc`: a number port when it parses as one, else a named port.
fn backend(service: &str) -> Value {
    let mut parts = service.split(':');
    let name = parts.next().unwrap_or_default();
    let port = parts.next().unwrap_or_default();
    let port = match port.parse::<i64>() {
        Ok(n) => json!({"number": n}),
        Err(_) => json!({"name": port}),
    };
    json!({"service": {"name": name, "port": port}})
}

/// `buildHTTPIngressPath` of `path=service:port` (the part after the host's `/`).
fn http_path(path_and_service: &str) -> Value {
    let mut parts = path_and_service.split('=');
    let mut path = format!("/{}", parts.next().unwrap_or_default());
    let service = parts.next().unwrap_or_default();
    let mut kind = "Exact";
    if path.ends_with('*') {
        kind = "Prefix";
        path.pop();
    }
    json!({"path": path, "pathType": kind, "backend": backend(service)})
}

/// `buildTLSRules`: each host once, hosts with the same secret in one entry.
fn tls_rules(rules: &[String]) -> Vec<Value> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out: Vec<(Vec<String>, String)> = Vec::new();
    for rule in rules {
        let parts: Vec<&str> = rule.split(',').collect();
        if parts.len() != 2 {
            continue;
        }
        let host = rule.split('/').next().unwrap_or_default();
        let secret = parts[1].split('=').nth(1).unwrap_or_default().to_string();
        if seen.contains(&host) {
            continue;
        }
        seen.push(host);
        if let Some(entry) = out.iter_mut().find(|(_, s)| *s == secret) {
            entry.0.push(host.to_string());
            continue;
        }
        let hosts: Vec<String> = if host.is_empty() { Vec::new() } else { vec![host.to_string()] };
        if !secret.is_empty() || !hosts.is_empty() {
            out.push((hosts, secret));
        }
    }
    out.into_iter()
        .map(|(hosts, secret)| {
            let mut entry = Map::new();
            if !hosts.is_empty() {
                entry.insert("hosts".into(), json!(hosts));
            }
            if !secret.is_empty() {
                entry.insert("secretName".into(), json!(secret));
            }
            Value::Object(entry)
        })
        .collect()
}

/// `buildIngressRules`: one rule per host, its paths in order.
fn ingress_rules(rules: &[String]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for rule in rules {
        let without_tls = rule.split(',').next().unwrap_or_default();
        let (host, rest) = without_tls.split_once('/').unwrap_or((without_tls, ""));
        let path = http_path(rest);
        if let Some(existing) = out.iter_mut().find(|r| r.get("host").and_then(Value::as_str).unwrap_or("") == host) {
            if let Some(paths) = existing.pointer_mut("/http/paths").and_then(Value::as_array_mut) {
                paths.push(path);
            }
            continue;
        }
        let mut r = json!({"http": {"paths": [path]}});
        if !host.is_empty() {
            r["host"] = json!(host);
        }
        out.push(r);
    }
    out
}

fn ingress_object(req: &Request) -> Value {
    let mut spec = Map::new();
    if let Some(class) = req.class.as_deref().filter(|c| !c.is_empty()) {
        spec.insert("ingressClassName".into(), json!(class));
    }
    if let Some(b) = req.default_backend.as_deref().filter(|b| !b.is_empty()) {
        spec.insert("defaultBackend".into(), backend(b));
    }
    let tls = tls_rules(&req.rules);
    if !tls.is_empty() {
        spec.insert("tls".into(), Value::Array(tls));
    }
    let rules = ingress_rules(&req.rules);
    if !rules.is_empty() {
        spec.insert("rules".into(), Value::Array(rules));
    }
    let mut metadata = json!({"creationTimestamp": null, "name": req.name});
    let annotations: Map<String, Value> =
        req.annotations.iter().filter_map(|a| a.split_once('=')).map(|(k, v)| (k.to_string(), json!(v))).collect();
    if !annotations.is_empty() {
        metadata["annotations"] = Value::Object(annotations);
    }
    json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": metadata,
           "spec": spec, "status": {"loadBalancer": {}}})
}

pub fn run(
    ctx: &mut Context,
    req: Request,
    dry_run: DryRun,
    output: Option<OutputFormat>,
    save_config: bool,
) -> Result<()> {
    validate(&req)?;
    let obj = ingress_object(&req);
    create_generated(ctx, obj, dry_run, output.as_ref(), save_config).map_err(|e| match e {
        Error::Invalid { .. } | Error::AlreadyExists { .. } | Error::NotFound { .. } | Error::Forbidden(_) => {
            Error::cli(format!("failed to create ingress: {}", e.server_message()))
        }
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(rules: &[&str]) -> Request {
        Request {
            name: "i".into(),
            class: None,
            rules: rules.iter().map(|r| r.to_string()).collect(),
            default_backend: None,
            annotations: Vec::new(),
        }
    }

    #[test]
    fn rules_gather_by_host_and_tls_by_secret() {
        let r = req(&["foo.com/=svc:https,tls", "foo.com/path/subpath*=othersvc:8080", "bar.com/*=svc:8080,tls=s1"]);
        assert!(validate(&r).is_ok());
        let obj = ingress_object(&r);
        assert_eq!(obj["spec"]["tls"], json!([{"hosts": ["foo.com"]}, {"hosts": ["bar.com"], "secretName": "s1"}]));
        assert_eq!(obj["spec"]["rules"][0]["http"]["paths"][1]["path"], json!("/path/subpath"));
        assert_eq!(obj["spec"]["rules"][0]["http"]["paths"][1]["pathType"], json!("Prefix"));
        assert_eq!(obj["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"], json!({"name": "https"}));
        assert!(validate(&req(&["foo.com=svc:80"])).is_err());
    }
}
