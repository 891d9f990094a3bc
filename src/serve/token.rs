//! `POST …/serviceaccounts/NAME/token` (what `kubectl create token` sends): a TokenRequest comes
//! back with a token for the account (api::token), for the lifetime asked (an hour by default).

use serde_json::{json, Value};

use super::http::{Request, Response};
use super::route::Target;
use super::session::Env;
use crate::api::token;
use crate::api::ObjectExt;
use crate::error::FieldError;
use crate::{Error, Result};

pub fn create(env: &Env, req: &Request, target: &Target) -> Result<Response> {
    let body = super::write::body(req)?;
    let name = target.name.clone().unwrap_or_default();
    let mut cluster = env.read()?;
    let sa = super::read::object(&mut cluster, target);
    let (now, jti, signature) = {
        let jti = cluster.ids.uid();
        let signature: Vec<u8> = (0..256).map(|_| cluster.ids.below(256) as u8).collect();
        (cluster.clock.now(), jti, signature)
    };
    cluster.abandon()?;
    let sa = sa?;
    let seconds = body.at("spec.expirationSeconds").and_then(Value::as_i64).unwrap_or(token::DEFAULT_SECONDS);
    if token::too_short(&name, seconds).is_some() {
        let cause = FieldError::invalid(
            "spec.expirationSeconds",
            &seconds.to_string(),
            "may not specify a duration less than 10 minutes",
        );
        return Err(Error::Invalid {
            kind: "TokenRequest".into(),
            group: "authentication.k8s.io".into(),
            name,
            causes: vec![cause],
        });
    }
    let audiences: Vec<String> =
        body.array_at("spec.audiences").iter().filter_map(Value::as_str).map(str::to_string).collect();
    let jwt = token::jwt(&sa, now, seconds, &audiences, &jti, &signature);
    let shown = if audiences.is_empty() { vec![token::API_AUDIENCE.to_string()] } else { audiences };
    let expires = crate::clock::format_rfc3339(now + seconds);
    let out = json!({
        "kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
        "metadata": {"name": name, "namespace": sa.namespace(), "creationTimestamp": null},
        "spec": {"audiences": shown, "expirationSeconds": seconds, "boundObjectRef": body.at("spec.boundObjectRef")},
        "status": {"token": jwt, "expirationTimestamp": expires},
    });
    Ok(Response::json(201, &out))
}
