//! More of kubectl v1.32's `create` generators: `create cronjob`, `create secret tls`, `create
//! secret docker-registry`, `create service externalname` and `create poddisruptionbudget`, with
//! kubectl's client-side checks and messages. Creating and printing is `create_generators`'.

use serde_json::{json, Map, Value};

use super::create_generators::{create_generated, service};
use super::dry_run::DryRun;
use super::Context;
use crate::api::selector::Selector;
use crate::cluster::base64;
use crate::print::{json as gojson, OutputFormat};
use crate::{Error, Result};

pub enum Generator {
    CronJob {
        name: String,
        image: Option<String>,
        schedule: Option<String>,
        restart: Option<String>,
        command: Vec<String>,
    },
    SecretTls {
        name: String,
        cert: Option<String>,
        key: Option<String>,
    },
    SecretDockerRegistry {
        name: String,
        server: String,
        username: Option<String>,
        password: Option<String>,
        email: Option<String>,
        files: Vec<String>,
    },
    ExternalName {
        name: String,
        external_name: Option<String>,
        tcp: Vec<String>,
    },
    Pdb {
        name: String,
        selector: Option<String>,
        min_available: Option<String>,
        max_unavailable: Option<String>,
    },
}

pub fn run(
    ctx: &mut Context,
    generator: Generator,
    dry_run: DryRun,
    output: Option<OutputFormat>,
    save_config: bool,
) -> Result<()> {
    let obj = build(ctx, generator)?;
    create_generated(ctx, obj, dry_run, output.as_ref(), save_config)
}

fn build(ctx: &Context, generator: Generator) -> Result<Value> {
    match generator {
        Generator::CronJob { name, image, schedule, restart, command } => {
            let missing: Vec<&str> = [("image", image.is_none()), ("schedule", schedule.is_none())]
                .into_iter()
                .filter_map(|(f, gone)| gone.then_some(f))
                .collect();
            if !missing.is_empty() {
                return Err(ctx.required_flags(&missing));
            }
            Ok(cronjob(&name, &image.unwrap_or_default(), &schedule.unwrap_or_default(), restart, &command))
        }
        Generator::SecretTls { name, cert, key } => secret_tls(&name, cert.as_deref(), key.as_deref()),
        Generator::SecretDockerRegistry { name, server, username, password, email, files } => {
            docker_registry(&name, &server, username, password, email.unwrap_or_default(), files)
        }
        Generator::ExternalName { name, external_name, tcp } => {
            let Some(external) = external_name else { return Err(ctx.required_flags(&["external-name"])) };
            external_name_service(&name, &external, &tcp)
        }
        Generator::Pdb { name, selector, min_available, max_unavailable } => {
            pdb(&name, selector.as_deref(), min_available.as_deref(), max_unavailable.as_deref())
        }
    }
}

/// `CreateCronJobOptions.createCronJob`: the command after `--` is the container's command.
fn cronjob(name: &str, image: &str, schedule: &str, restart: Option<String>, command: &[String]) -> Value {
    let mut container = json!({"image": image, "name": name, "resources": {}});
    if !command.is_empty() {
        container["command"] = json!(command);
    }
    let restart = restart.filter(|r| !r.is_empty()).unwrap_or_else(|| "OnFailure".into());
    json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"creationTimestamp": null, "name": name},
        "spec": {
            "jobTemplate": {
                "metadata": {"creationTimestamp": null, "name": name},
                "spec": {"template": {"metadata": {"creationTimestamp": null},
                                      "spec": {"containers": [container], "restartPolicy": restart}}}
            },
            "schedule": schedule
        },
        "status": {}
    })
}

/// `create secret tls`: both files, read whole, checked as Go's `tls.X509KeyPair` checks the PEM
/// blocks (which block holds what; kstate does not check that the key matches the certificate).
fn secret_tls(name: &str, cert: Option<&str>, key: Option<&str>) -> Result<Value> {
    let (Some(cert), Some(key)) = (cert.filter(|c| !c.is_empty()), key.filter(|k| !k.is_empty())) else {
        return Err(Error::cli("key and cert must be specified"));
    };
    let read = |path: &str| {
        std::fs::read(path).map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ => e.to_string(),
            };
            Error::cli(format!("Cannot read file {path}, open {path}: {why}"))
        })
    };
    let (cert_bytes, key_bytes) = (read(cert)?, read(key)?);
    check_key_pair(&cert_bytes, &key_bytes).map_err(|e| Error::cli(format!("tls: {e}")))?;
    Ok(json!({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"creationTimestamp": null, "name": name},
        "data": {"tls.crt": base64(&cert_bytes), "tls.key": base64(&key_bytes)},
        "type": "kubernetes.io/tls"
    }))
}

/// The labels of the PEM blocks in `bytes` (`CERTIFICATE`, `RSA PRIVATE KEY`, ...), in order.
fn pem_labels(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut labels = Vec::new();
    let mut open: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some(label) = line.strip_prefix("-----BEGIN ").and_then(|l| l.strip_suffix("-----")) {
            open = Some(label.to_string());
        } else if let Some(label) = line.strip_prefix("-----END ").and_then(|l| l.strip_suffix("-----")) {
            if open.as_deref() == Some(label) {
                labels.push(label.to_string());
            }
            open = None;
        }
    }
    labels
}

/// The PEM part of `tls.X509KeyPair`'s errors.
fn check_key_pair(cert: &[u8], key: &[u8]) -> std::result::Result<(), String> {
    let go_list = |types: &[String]| format!("[{}]", types.join(" "));
    let (certs, skipped): (Vec<String>, Vec<String>) = pem_labels(cert).into_iter().partition(|l| l == "CERTIFICATE");
    if certs.is_empty() {
        return Err(match skipped.as_slice() {
            [] => "failed to find any PEM data in certificate input".into(),
            [one] if one.ends_with("PRIVATE KEY") => "failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched".into(),
            more => format!(
                "failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of the following types: {}",
                go_list(more)
            ),
        });
    }
    let is_key = |l: &String| l == "PRIVATE KEY" || l.ends_with(" PRIVATE KEY");
    let labels = pem_labels(key);
    if !labels.iter().any(is_key) {
        return Err(match labels.as_slice() {
            [] => "failed to find any PEM data in key input".into(),
            [one] if one == "CERTIFICATE" => "found a certificate rather than a key in the PEM for the private key".into(),
            more => format!(
                "failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM blocks of the following types: {}",
                go_list(more)
            ),
        });
    }
    Ok(())
}

/// `create secret docker-registry`: a `.dockerconfigjson` from the flags, or the named files
/// (a file without `KEY=` is the `.dockerconfigjson` key).
fn docker_registry(
    name: &str,
    server: &str,
    username: Option<String>,
    password: Option<String>,
    email: String,
    files: Vec<String>,
) -> Result<Value> {
    let mut data = Map::new();
    if files.is_empty() {
        let (Some(username), Some(password)) = (username.filter(|u| !u.is_empty()), password.filter(|p| !p.is_empty()))
        else {
            return Err(Error::cli(
                "either --from-file or the combination of --docker-username, --docker-password and --docker-server is required",
            ));
        };
        let auth = base64(format!("{username}:{password}").as_bytes());
        let s = |v: &str| gojson::to_compact_json(&Value::String(v.to_string()));
        let email = if email.is_empty() { String::new() } else { format!(",\"email\":{}", s(&email)) };
        let config = format!(
            "{{\"auths\":{{{}:{{\"username\":{},\"password\":{}{email},\"auth\":{}}}}}}}",
            s(server),
            s(&username),
            s(&password),
            s(&auth)
        );
        data.insert(".dockerconfigjson".into(), Value::String(base64(config.as_bytes())));
    } else {
        for spec in files {
            let (key, path) = match spec.split_once('=') {
                Some((k, p)) => (k.to_string(), p.to_string()),
                None => (".dockerconfigjson".to_string(), spec),
            };
            let bytes = std::fs::read(&path)
                .map_err(|_| Error::cli(format!("error reading {path}: no such file or directory")))?;
            data.insert(key, Value::String(base64(&bytes)));
        }
    }
    Ok(json!({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"creationTimestamp": null, "name": name},
        "data": data,
        "type": "kubernetes.io/dockerconfigjson"
    }))
}

/// `create service externalname NAME --external-name=HOST [--tcp=...]`.
fn external_name_service(name: &str, external: &str, tcp: &[String]) -> Result<Value> {
    if !crate::api::validate::dns1123_subdomain(external).is_empty() {
        return Err(Error::cli(format!("invalid service external name {external}")));
    }
    let mut spec = json!({"externalName": external, "selector": {"app": name}, "type": "ExternalName"});
    if !tcp.is_empty() {
        let built = service("clusterip", name, tcp, &None, None)?;
        if let Some(ports) = built.pointer("/spec/ports") {
            spec["ports"] = ports.clone();
        }
    }
    Ok(json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"creationTimestamp": null, "labels": {"app": name}, "name": name},
        "spec": spec,
        "status": {"loadBalancer": {}}
    }))
}

/// `create poddisruptionbudget NAME --selector=SEL --min-available=N|--max-unavailable=N`.
fn pdb(name: &str, selector: Option<&str>, min: Option<&str>, max: Option<&str>) -> Result<Value> {
    let selector = selector.filter(|s| !s.is_empty()).ok_or_else(|| Error::cli("a selector must be specified"))?;
    let (min, max) = (min.filter(|m| !m.is_empty()), max.filter(|m| !m.is_empty()));
    let (field, value, flag) = match (min, max) {
        (None, None) => return Err(Error::cli("one of min-available or max-unavailable must be specified")),
        (Some(_), Some(_)) => return Err(Error::cli("min-available and max-unavailable cannot be both specified")),
        (Some(m), None) => ("minAvailable", m, "min-available"),
        (None, Some(m)) => ("maxUnavailable", m, "max-unavailable"),
    };
    let digits = value.strip_suffix('%').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::cli(format!("invalid format specified for {flag}")));
    }
    let amount = match value.parse::<i64>() {
        Ok(n) if i32::try_from(n).is_ok() => json!(n),
        _ => json!(value),
    };
    let label_selector = Selector::parse(selector).and_then(|s| s.to_label_selector()).map_err(Error::cli)?;
    Ok(json!({
        "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
        "metadata": {"creationTimestamp": null, "name": name},
        "spec": {field: amount, "selector": label_selector},
        "status": {"currentHealthy": 0, "desiredHealthy": 0, "disruptionsAllowed": 0, "expectedPods": 0}
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_blocks_are_checked_as_go_does() {
        let cert = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let key = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        assert_eq!(check_key_pair(cert, key), Ok(()));
        assert!(check_key_pair(key, cert).is_err_and(|e| e.contains("PEM inputs may have been switched")));
        assert!(check_key_pair(cert, cert).is_err_and(|e| e.contains("found a certificate rather than a key")));
        assert!(check_key_pair(b"x", key).is_err_and(|e| e == "failed to find any PEM data in certificate input"));
    }
}
