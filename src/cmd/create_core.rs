//! kubectl v1.32's `create serviceaccount` and `create quota` generators, with kubectl's
//! client-side checks and messages. Creating and printing is `create_generators`'.

use serde_json::{json, Map, Value};

use super::create_generators::create_generated;
use super::dry_run::DryRun;
use super::Context;
use crate::api::quantity::Quantity;
use crate::api::token;
use crate::print::OutputFormat;
use crate::{Error, Result};

pub enum Generator {
    ServiceAccount { name: String },
    Quota { name: String, hard: String, scopes: String },
}

pub fn run(
    ctx: &mut Context,
    generator: Generator,
    dry_run: DryRun,
    output: Option<OutputFormat>,
    save_config: bool,
) -> Result<()> {
    let obj = match generator {
        Generator::ServiceAccount { name } => service_account(&name),
        Generator::Quota { name, hard, scopes } => quota(&name, &hard, &scopes)?,
    };
    create_generated(ctx, obj, dry_run, output.as_ref(), save_config)
}

/// `ServiceAccountOpts.createServiceAccount`: a name and nothing else.
fn service_account(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"creationTimestamp": null, "name": name}})
}

/// `QuotaOpts.createQuota`: `--hard=cpu=1,pods=2` and `--scopes=BestEffort,...` (the scopes are the
/// server's to check); an empty spec still serializes as `spec: {}`.
fn quota(name: &str, hard: &str, scopes: &str) -> Result<Value> {
    let mut spec = Map::new();
    if !hard.is_empty() {
        let mut list = Map::new();
        for statement in hard.split(',') {
            let parts: Vec<&str> = statement.split('=').collect();
            let [resource, value] = parts[..] else {
                return Err(Error::cli(format!("Invalid argument syntax {statement}, expected <resource>=<value>")));
            };
            let q = Quantity::parse(value).map_err(Error::cli)?;
            list.insert(resource.to_string(), Value::String(q.to_string()));
        }
        spec.insert("hard".into(), Value::Object(list));
    }
    if !scopes.is_empty() {
        let list: Vec<&str> = scopes.split(',').collect();
        if list.iter().any(|s| s.is_empty()) {
            return Err(Error::cli("invalid resource quota scope \"\""));
        }
        spec.insert("scopes".into(), json!(list));
    }
    Ok(json!({
        "apiVersion": "v1", "kind": "ResourceQuota",
        "metadata": {"creationTimestamp": null, "name": name},
        "spec": spec, "status": {},
    }))
}

/// `create token SA`: what the TokenRequest subresource would return.
pub struct TokenRequest {
    pub account: String,
    pub duration: String,
    pub audiences: Vec<String>,
    /// `--bound-object-kind`, `--bound-object-name`, `--bound-object-uid`.
    pub bound: [String; 3],
}

/// `TokenOptions.Validate`, in kubectl's order.
fn check_token(req: &TokenRequest) -> Result<i64> {
    let seconds = match req.duration.as_str() {
        "0" | "0s" => 0,
        d if d.starts_with('-') => return Err(Error::cli("--duration must be greater than or equal to 0")),
        d if d.ends_with("ms") || d.ends_with("us") || d.ends_with("ns") => {
            return Err(Error::cli("--duration cannot be expressed in units less than seconds"))
        }
        d => crate::clock::parse_duration(d).ok_or_else(|| {
            Error::cli(format!("invalid argument \"{d}\" for \"--duration\" flag: time: invalid duration \"{d}\""))
        })?,
    };
    if req.audiences.iter().any(String::is_empty) {
        return Err(Error::cli("--audience must not be an empty string"));
    }
    let [kind, name, uid] = &req.bound;
    if kind.is_empty() {
        if !name.is_empty() {
            return Err(Error::cli("--bound-object-name can only be set if --bound-object-kind is provided"));
        }
        if !uid.is_empty() {
            return Err(Error::cli("--bound-object-uid can only be set if --bound-object-kind is provided"));
        }
    } else {
        if !matches!(kind.as_str(), "Node" | "Pod" | "Secret") {
            return Err(Error::cli("supported --bound-object-kind values are Node, Pod, Secret"));
        }
        if name.is_empty() {
            return Err(Error::cli("--bound-object-name is required if --bound-object-kind is provided"));
        }
    }
    Ok(seconds)
}

/// Prints a JWT for the account: its claims are what a real token carries (audiences, expiry,
/// the account's namespace, name and uid), its signature is random bytes, as kstate has no keys.
/// Like kubectl, no newline follows the token when the output is not a terminal.
pub fn token(ctx: &mut Context, req: TokenRequest, output: Option<OutputFormat>) -> Result<()> {
    let seconds = check_token(&req)?;
    if output.is_some() {
        return Err(Error::cli("kstate: create token prints the token only (no -o)"));
    }
    let mut cluster = ctx.read()?;
    let key = crate::cluster::Key::new(&crate::api::kinds::SERVICEACCOUNT, &ctx.namespace, &req.account);
    let sa = cluster.get(&key)?;
    let Some(sa) = sa else {
        cluster.abandon()?;
        return Err(Error::cli(format!("failed to create token: serviceaccounts \"{}\" not found", req.account)));
    };
    let seconds = if seconds == 0 { token::DEFAULT_SECONDS } else { seconds };
    if let Some(msg) = token::too_short(&req.account, seconds) {
        cluster.abandon()?;
        return Err(Error::cli(format!("failed to create token: {msg}")));
    }
    let now = cluster.clock.now();
    let jti = cluster.ids.uid();
    let signature: Vec<u8> = (0..256).map(|_| cluster.ids.below(256) as u8).collect();
    cluster.abandon()?;
    let jwt = token::jwt(&sa, now, seconds, &req.audiences, &jti, &signature);
    let newline = if std::io::IsTerminal::is_terminal(&std::io::stdout()) { "\n" } else { "" };
    ctx.out.write_all(format!("{jwt}{newline}").as_bytes()).map_err(super::io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_hard_list_and_its_errors() {
        let q = quota("q", "cpu=1,memory=1024Mi", "BestEffort").unwrap_or_default();
        assert_eq!(q["spec"], json!({"hard": {"cpu": "1", "memory": "1Gi"}, "scopes": ["BestEffort"]}));
        let err = |hard: &str, scopes: &str| quota("q", hard, scopes).err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(err("cpu", ""), "error: Invalid argument syntax cpu, expected <resource>=<value>");
        assert!(err("cpu=x", "").starts_with("error: quantities must match"));
        assert_eq!(err("", "a,"), "error: invalid resource quota scope \"\"");
    }
}
