//! GET of one object, a subresource or a collection (with label and field selectors, `limit` and
//! `continue`), as JSON or as a Table.

use serde_json::{json, Value};

use super::http::{Request, Response};
use super::route::Target;
use super::session::Env;
use super::table;
use crate::api::selector::Selector;
use crate::api::subresource;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::cmd::field_selector::FieldSelector;
use crate::{Error, Result};

/// What a list or watch keeps: label and field selectors.
pub struct Filter {
    labels: Selector,
    fields: FieldSelector,
}

impl Filter {
    pub fn from_request(req: &Request, target: &Target) -> Result<Filter> {
        let labels = match req.param("labelSelector") {
            Some(s) if !s.is_empty() => Selector::parse(s).map_err(Error::BadRequest)?,
            _ => Selector::everything(),
        };
        let fields = match req.param("fieldSelector") {
            Some(s) if !s.is_empty() => {
                let f = FieldSelector::parse(s).map_err(Error::BadRequest)?;
                f.check(target.kind, req.param("labelSelector").unwrap_or("")).map_err(Error::BadRequest)?;
                f
            }
            _ => FieldSelector::default(),
        };
        Ok(Filter { labels, fields })
    }

    pub fn matches(&self, target: &Target, obj: &Value) -> bool {
        self.labels.matches_object(obj) && self.fields.matches(target.kind, obj)
    }
}

/// The object at `target` (name required), or its NotFound.
pub fn object(cluster: &mut Cluster, target: &Target) -> Result<Value> {
    let name = target.name.as_deref().unwrap_or_default();
    let key = Key::new(target.kind, target.namespace.as_deref().unwrap_or_default(), name);
    cluster.get(&key)?.ok_or_else(|| Error::not_found(&target.kind.resource(), name))
}

/// An object as the path's version shows it: a custom resource's other version (conversion
/// strategy None: only the apiVersion differs), an autoscaler's autoscaling/v1 view.
pub fn at_version(target: &Target, mut obj: Value) -> Value {
    if crate::api::hpa_v1::is_v1(target.kind) {
        return crate::api::hpa_v1::to_v1(&obj);
    }
    if crate::api::custom::is_custom(target.kind.kind) && obj.is_object() {
        obj["apiVersion"] = json!(target.kind.api_version());
    }
    obj
}

/// The subresource view of an object: `status` (and a pod's `ephemeralcontainers`) is the
/// object, `scale` its Scale.
pub fn view(target: &Target, obj: Value) -> Result<Value> {
    match target.subresource.as_deref() {
        None | Some("status") => Ok(at_version(target, obj)),
        Some("ephemeralcontainers") if target.kind.kind == "Pod" => Ok(at_version(target, obj)),
        Some("scale") if subresource::has_scale(target.kind) => Ok(subresource::scale_of(&obj)),
        Some(_) => Err(Error::NotFoundRaw("the server could not find the requested resource".into())),
    }
}

pub fn get(env: &Env, req: &Request, target: &Target) -> Result<Response> {
    let mut cluster = env.read()?;
    let found = object(&mut cluster, target);
    let now = cluster.clock.now();
    let revision = cluster.revision();
    cluster.abandon()?;
    let obj = view(target, found?)?;
    if table::wanted(req) && target.subresource.is_none() {
        let t = table::build(target.kind, &[obj], now, &revision.to_string(), true, include_object(req));
        return Ok(Response::new(200, table::CONTENT_TYPE, super::http::json_line(&t)));
    }
    Ok(Response::json(200, &obj))
}

fn include_object(req: &Request) -> bool {
    req.param("includeObject") == Some("Object")
}

/// The matching objects of a collection, in the store's order (namespace, then name), and the
/// cluster's resourceVersion they were read at.
pub fn matching(env: &Env, req: &Request, target: &Target) -> Result<(Vec<Value>, i64, i64)> {
    let filter = Filter::from_request(req, target)?;
    let mut cluster = env.read()?;
    let ns = target.namespace.as_deref();
    let listed = cluster.load(target.kind, ns).map(|_| {
        cluster
            .iter(target.kind, ns)
            .filter(|o| filter.matches(target, o))
            .map(|o| at_version(target, o.clone()))
            .collect::<Vec<_>>()
    });
    let (revision, now) = (cluster.revision(), cluster.clock.now());
    cluster.abandon()?;
    Ok((listed?, revision, now))
}

pub fn list(env: &Env, req: &Request, target: &Target) -> Result<Response> {
    let (mut items, revision, now) = matching(env, req, target)?;
    if let Some(token) = req.param("continue").filter(|t| !t.is_empty()) {
        let after = decode_continue(token)?;
        items.retain(|o| (o.namespace(), o.name()) > (after.0.as_str(), after.1.as_str()));
    }
    let limit: Option<usize> = match req.param("limit") {
        Some(l) => Some(l.parse().map_err(|_| Error::BadRequest(format!("invalid limit {l:?}")))?),
        None => None,
    };
    let mut meta = json!({"resourceVersion": revision.to_string()});
    if let Some(limit) = limit.filter(|&l| l > 0 && items.len() > l) {
        let rest = items.len() - limit;
        items.truncate(limit);
        if let Some(last) = items.last() {
            meta["continue"] = json!(encode_continue(last.namespace(), last.name()));
            meta["remainingItemCount"] = json!(rest);
        }
    }
    if table::wanted(req) {
        let mut t = table::build(target.kind, &items, now, &revision.to_string(), true, include_object(req));
        t["metadata"] = meta;
        return Ok(Response::new(200, table::CONTENT_TYPE, super::http::json_line(&t)));
    }
    let list_kind = match crate::api::custom::definition(target.kind.kind) {
        Some(def) => def.list_kind.clone(),
        None => format!("{}List", target.kind.kind),
    };
    let list = json!({
        "kind": list_kind,
        "apiVersion": target.kind.api_version(),
        "metadata": meta,
        "items": items,
    });
    Ok(Response::json(200, &list))
}

/// Continue tokens are the last returned key, hex-encoded: opaque to clients, stateless here.
fn encode_continue(namespace: &str, name: &str) -> String {
    format!("{namespace}/{name}").bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode_continue(token: &str) -> Result<(String, String)> {
    let invalid = || Error::BadRequest(format!("invalid continue token {token:?}"));
    if token.len() % 2 != 0 {
        return Err(invalid());
    }
    let bytes: Option<Vec<u8>> =
        (0..token.len()).step_by(2).map(|i| token.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok())).collect();
    let text = bytes.and_then(|b| String::from_utf8(b).ok()).ok_or_else(invalid)?;
    let (ns, name) = text.split_once('/').ok_or_else(invalid)?;
    Ok((ns.to_string(), name.to_string()))
}

/// An integer query parameter.
pub fn number(req: &Request, name: &str) -> Result<Option<i64>> {
    match req.param(name) {
        Some(v) => v.parse().map(Some).map_err(|_| Error::BadRequest(format!("invalid {name} {v:?}"))),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continue_tokens_round_trip() {
        let t = encode_continue("default", "web-1");
        assert_eq!(decode_continue(&t).unwrap(), ("default".to_string(), "web-1".to_string()));
        assert!(decode_continue("zz").is_err());
        assert!(decode_continue("abc").is_err());
    }
}
