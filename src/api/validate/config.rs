//! ConfigMap and Secret validation (core `ValidateConfigMap`, `ValidateSecret`, v1.32): keys
//! must be valid config keys, a ConfigMap key may not be in both bags, and the typed Secrets
//! must carry their keys.

use serde_json::Value;

use super::names::{self, q};
use super::{meta, Causes};
use crate::api::object::ObjectExt;
use crate::error::FieldError;

/// `IsConfigMapKey`.
pub fn config_key(key: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if key.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    let shape = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if !shape {
        errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')".to_string());
    }
    match key {
        "." => errs.push("must not be '.'".to_string()),
        ".." => errs.push("must not be '..'".to_string()),
        k if k.starts_with("..") => errs.push("must not start with '..'".to_string()),
        _ => {}
    }
    errs
}

/// The keys of a string map, sorted (Go ranges over the map; one bad key is the common case).
fn keys(v: Option<&Value>) -> Vec<String> {
    let mut keys: Vec<String> = v.and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default();
    keys.sort();
    keys
}

pub fn config_map(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns_subdomain, c);
    let binary = keys(obj.get("binaryData"));
    for key in keys(obj.get("data")) {
        for msg in config_key(&key) {
            c.push(FieldError::invalid(format!("data[{key}]"), &q(&key), &msg));
        }
        if binary.contains(&key) {
            c.push(FieldError::invalid(format!("data[{key}]"), &q(&key), "duplicate of key present in binaryData"));
        }
    }
    for key in binary {
        for msg in config_key(&key) {
            c.push(FieldError::invalid(format!("binaryData[{key}]"), &q(&key), &msg));
        }
    }
}

pub fn secret(obj: &Value, c: &mut Causes) {
    meta::object_meta(obj, true, names::name_is_dns_subdomain, c);
    // `stringData` joins `data` in the conversion before validation, so its keys are `data[...]`.
    let mut all = keys(obj.get("data"));
    all.extend(keys(obj.get("stringData")));
    all.sort();
    all.dedup();
    for key in &all {
        for msg in config_key(key) {
            c.push(FieldError::invalid(format!("data[{key}]"), &q(key), &msg));
        }
    }
    let has = |k: &str| all.iter().any(|x| x == k);
    let required = |c: &mut Causes, k: &str| c.push(FieldError::required(format!("data[{k}]"), ""));
    match obj.str_at("type") {
        "kubernetes.io/service-account-token" => {
            let account = obj.at("metadata.annotations").and_then(|a| a.get("kubernetes.io/service-account.name"));
            if account.and_then(Value::as_str).unwrap_or("").is_empty() {
                c.push(FieldError::required("metadata.annotations[kubernetes.io/service-account.name]", ""));
            }
        }
        "kubernetes.io/dockercfg" if !has(".dockercfg") => required(c, ".dockercfg"),
        "kubernetes.io/dockerconfigjson" if !has(".dockerconfigjson") => required(c, ".dockerconfigjson"),
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            required(c, "username");
            required(c, "password");
        }
        "kubernetes.io/ssh-auth" if !has("ssh-privatekey") => required(c, "ssh-privatekey"),
        "kubernetes.io/tls" => {
            if !has("tls.crt") {
                required(c, "tls.crt");
            }
            if !has("tls.key") {
                required(c, "tls.key");
            }
        }
        _ => {}
    }
}
