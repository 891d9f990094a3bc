//! The service accounts controller (`pkg/controller/serviceaccount`): every active namespace has
//! a `default` ServiceAccount; one that is deleted is made again. Its writes stay out of the id
//! sequence (`Cluster::aside`), so creating a namespace leaves the uids and names a script saw
//! before this controller existed as they were.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::Controller;
use crate::api::kinds::{CONFIGMAP, NAMESPACE, SECRET, SERVICEACCOUNT};
use crate::api::ObjectExt;
use crate::cluster::{base64, Change, Cluster, Key};
use crate::Result;

/// The account every namespace gets (`DefaultServiceAccountName`).
pub const DEFAULT_ACCOUNT: &str = "default";

pub struct ServiceAccountsController;

impl Controller for ServiceAccountsController {
    fn watch(&mut self, change: &Change, _cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        match change.key.kind {
            // A namespace that appears (or an update of one still active).
            "Namespace" if change.object.as_ref().is_some_and(|ns| !ns.is_deleting()) => {
                queue.push(change.key.clone());
            }
            "ServiceAccount" if change.object.is_none() && change.key.name == DEFAULT_ACCOUNT => {
                queue.push(Key::new(&NAMESPACE, "", &change.key.namespace));
            }
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let active = cluster.get_ref(key)?.is_some_and(|ns| !ns.is_deleting());
        if !active {
            return Ok(());
        }
        let account = Key::new(&SERVICEACCOUNT, &key.name, DEFAULT_ACCOUNT);
        if cluster.get_ref(&account)?.is_some() {
            return Ok(());
        }
        let namespace = key.name.clone();
        cluster.aside(&format!("serviceaccount/{namespace}"), |c| c.create(default_account(), &namespace).map(|_| ()))
    }
}

/// What the controller creates: a bare account.
pub fn default_account() -> serde_json::Value {
    json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": DEFAULT_ACCOUNT}})
}

/// The type of a Secret that holds a long-lived token for an account.
pub const TOKEN_SECRET: &str = "kubernetes.io/service-account-token";
const ACCOUNT_NAME: &str = "kubernetes.io/service-account.name";
const ACCOUNT_UID: &str = "kubernetes.io/service-account.uid";

/// The tokens controller (`pkg/controller/serviceaccount/tokens_controller.go`): a Secret of
/// type `kubernetes.io/service-account-token` naming an existing account gets the account's uid
/// in its annotations and `ca.crt`, `namespace` and a legacy `token` in its data. A Secret whose
/// account does not exist (yet) is left as it is.
pub struct TokensController;

impl Controller for TokensController {
    fn watch(&mut self, change: &Change, cluster: &mut Cluster, queue: &mut Vec<Key>) -> Result<()> {
        let Some(obj) = change.object.as_ref() else { return Ok(()) };
        match change.key.kind {
            "Secret" if obj.str_at("type") == TOKEN_SECRET && !obj.is_deleting() => queue.push(change.key.clone()),
            // An account created after its token Secret.
            "ServiceAccount" if change.old.is_none() => {
                for secret in cluster.list(&SECRET, Some(&change.key.namespace))? {
                    if secret.str_at("type") == TOKEN_SECRET && annotation(&secret, ACCOUNT_NAME) == change.key.name {
                        queue.push(Key::new(&SECRET, &change.key.namespace, secret.name()));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn reconcile(&mut self, key: &Key, cluster: &mut Cluster) -> Result<()> {
        let Some(secret) = cluster.get(key)? else { return Ok(()) };
        if secret.str_at("type") != TOKEN_SECRET || secret.is_deleting() {
            return Ok(());
        }
        let account = Key::new(&SERVICEACCOUNT, &key.namespace, annotation(&secret, ACCOUNT_NAME));
        let Some(sa) = cluster.get(&account)? else { return Ok(()) };
        let data = secret.get("data").and_then(Value::as_object);
        let filled = ["ca.crt", "namespace", "token"].iter().all(|k| data.is_some_and(|d| d.contains_key(*k)));
        if filled && annotation(&secret, ACCOUNT_UID) == sa.uid() {
            return Ok(());
        }
        let ca = Key::new(&CONFIGMAP, &key.namespace, "kube-root-ca.crt");
        let bundle = match cluster.get_ref(&ca)? {
            Some(cm) => {
                cm.get("data").and_then(|d| d.get("ca.crt")).and_then(Value::as_str).unwrap_or_default().to_string()
            }
            None => String::new(),
        };
        let mut next = secret.clone();
        crate::api::object::set_annotation(&mut next, ACCOUNT_UID, sa.uid());
        let mut data = data.cloned().unwrap_or_default();
        let token = legacy_token(&sa, secret.name(), secret.uid());
        for (k, v) in [("ca.crt", bundle), ("namespace", key.namespace.clone()), ("token", token)] {
            data.entry(k.to_string()).or_insert_with(|| Value::String(base64(v.as_bytes())));
        }
        next["data"] = Value::Object(data);
        cluster.aside(&format!("token/{}/{}", key.namespace, key.name), |c| c.update(next).map(|_| ()))
    }
}

fn annotation<'a>(obj: &'a Value, name: &str) -> &'a str {
    obj.at("metadata.annotations").and_then(|a| a.get(name)).and_then(Value::as_str).unwrap_or_default()
}

/// A secret-based token's JWT (`serviceaccount.LegacyClaims`): no expiry, the issuer
/// `kubernetes/serviceaccount`, the account and the Secret named in private claims. kstate holds
/// no signing key: the signature is bytes derived from the Secret's uid.
fn legacy_token(sa: &Value, secret: &str, secret_uid: &str) -> String {
    let ns = sa.namespace();
    let claims = json!({
        "iss": "kubernetes/serviceaccount",
        "kubernetes.io/serviceaccount/namespace": ns,
        "kubernetes.io/serviceaccount/secret.name": secret,
        "kubernetes.io/serviceaccount/service-account.name": sa.name(),
        "kubernetes.io/serviceaccount/service-account.uid": sa.uid(),
        "sub": format!("system:serviceaccount:{ns}:{}", sa.name()),
    });
    let header = json!({"alg": "RS256", "kid": "kstate"});
    let digest = Sha256::digest(secret_uid.as_bytes());
    let signature: Vec<u8> = digest.iter().cycle().take(256).copied().collect();
    let url = |b: &[u8]| base64(b).trim_end_matches('=').replace('+', "-").replace('/', "_");
    format!("{}.{}.{}", url(header.to_string().as_bytes()), url(claims.to_string().as_bytes()), url(&signature))
}
