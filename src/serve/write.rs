//! POST, PUT, PATCH and DELETE: each one transaction through the same API code as the CLI's
//! verbs (admission, defaulting, validation), then the controllers converge and it commits.

use serde_json::{json, Value};

use super::http::{Request, Response};
use super::read::{self, Filter};
use super::route::Target;
use super::session::{self, Env};
use super::status;
use crate::api::decode::{self, FieldValidation};
use crate::api::object::set_at;
use crate::api::subresource;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key, Propagation};
use crate::cmd::patch::{apply_patch, no_change, PatchType};
use crate::{Error, Result};

/// What the write's query asks for.
struct Options {
    dry_run: bool,
}

impl Options {
    fn of(req: &Request) -> Options {
        Options { dry_run: req.params("dryRun").any(|v| v == "All") }
    }
}

/// The manager a write records in managedFields: `fieldManager`, else, as the API server
/// defaults it, the product name of the User-Agent (`kubectl` of `kubectl/v1.32.4 (...)`).
fn field_manager(req: &Request) -> Option<String> {
    let manager = match req.param("fieldManager").filter(|m| !m.is_empty()) {
        Some(m) => m.to_string(),
        None => req.header("user-agent").and_then(|ua| ua.split('/').next()).unwrap_or("").chars().take(128).collect(),
    };
    (!manager.is_empty()).then_some(manager)
}

/// The request's `fieldValidation` (the API server's default is `Warn`).
fn field_validation(req: &Request) -> Result<FieldValidation> {
    match req.param("fieldValidation").unwrap_or("") {
        "" | "Warn" => Ok(FieldValidation::Warn),
        "Strict" => Ok(FieldValidation::Strict),
        "Ignore" => Ok(FieldValidation::Ignore),
        other => Err(Error::BadRequest(format!(
            "fieldValidation parameter unsupported: {other}. Supported values are: Ignore, Warn, Strict"
        ))),
    }
}

/// The API server's decoding of a body as its kind's type (as the CLI's `decode_request`):
/// wrong types refused, unknown fields refused, reported or dropped by `fieldValidation`.
fn decode_body(req: &Request, obj: &mut Value) -> Result<Vec<String>> {
    decode::decode(obj, field_validation(req)?)
}

/// Decodes a JSON (or, for apply patches, YAML) body.
pub(super) fn body(req: &Request) -> Result<Value> {
    if req.header("content-type").is_some_and(|c| c.starts_with("application/vnd.kubernetes.protobuf")) {
        return super::protobuf::decode(&req.body).map_err(Error::BadRequest);
    }
    if req.body.is_empty() {
        return Err(Error::BadRequest("the request body is empty".into()));
    }
    match serde_json::from_slice(&req.body) {
        Ok(v) => Ok(v),
        Err(e) if is_apply(req) => {
            let text = std::str::from_utf8(&req.body).map_err(|_| Error::BadRequest(e.to_string()))?;
            crate::manifest::yaml_to_json(text).map_err(Error::BadRequest)
        }
        Err(e) => Err(Error::BadRequest(format!("the request body is not valid JSON: {e}"))),
    }
}

fn is_apply(req: &Request) -> bool {
    req.header("content-type").is_some_and(|c| c.starts_with("application/apply-patch"))
}

/// Adds the API server's `Warning` headers.
fn with_warnings(mut resp: Response, warnings: &[String]) -> Response {
    for w in warnings {
        resp.headers.push(("Warning".into(), format!("299 - {:?}", w)));
    }
    resp
}

/// The object in a write body must be of the path's kind, in the path's namespace.
fn check_body(target: &Target, obj: &mut Value) -> Result<()> {
    // A body without its type (clients may leave it to the path) is the path's kind.
    let untyped = obj.get("kind").is_none() || (obj.kind() == target.kind.kind && obj.str_at("apiVersion").is_empty());
    if untyped {
        obj["kind"] = json!(target.kind.kind);
        obj["apiVersion"] = json!(target.kind.api_version());
    }
    if obj.kind() != target.kind.kind || obj.str_at("apiVersion") != target.kind.api_version() {
        return Err(Error::BadRequest(format!(
            "the API version in the data ({}) does not match the expected API version ({})",
            obj.str_at("apiVersion"),
            target.kind.api_version()
        )));
    }
    if let Some(ns) = &target.namespace {
        match obj.namespace() {
            "" => set_at(obj, "metadata.namespace", json!(ns)),
            given if given != ns => {
                return Err(Error::BadRequest(
                    "the namespace of the provided object does not match the namespace sent on the request".into(),
                ))
            }
            _ => {}
        }
    }
    Ok(())
}

/// A body sent to the autoscaling/v1 path, as the stored (v2) object; others as they are.
fn as_stored(target: &Target, obj: Value) -> Value {
    match crate::api::hpa_v1::is_v1(target.kind) {
        true => crate::api::hpa_v1::to_v2(&obj),
        false => obj,
    }
}

/// Runs `f` in one write transaction; an error leaves the cluster untouched.
fn in_write<T>(env: &Env, dry_run: bool, f: impl FnOnce(&mut Cluster) -> Result<T>) -> Result<(T, Vec<String>)> {
    let mut cluster = env.write()?;
    match f(&mut cluster) {
        Ok(v) => Ok((v, session::finish(cluster, dry_run)?)),
        Err(e) => {
            cluster.abandon()?;
            Err(e)
        }
    }
}

pub fn create(env: &Env, req: &Request, target: &Target) -> Result<Response> {
    if target.name.is_some() {
        return Ok(status::method_not_allowed("POST"));
    }
    let mut obj = body(req)?;
    check_body(target, &mut obj)?;
    let mut obj = as_stored(target, obj);
    let mut warnings = decode_body(req, &mut obj)?;
    let namespace = target.namespace.clone().unwrap_or_default();
    let manager = field_manager(req);
    let (created, more) = in_write(env, Options::of(req).dry_run, |c| {
        c.field_manager = manager;
        Ok((*c.create(obj, &namespace)?).clone())
    })?;
    warnings.extend(more);
    Ok(with_warnings(Response::json(201, &read::at_version(target, created)), &warnings))
}

pub fn update(env: &Env, req: &Request, target: &Target) -> Result<Response> {
    let mut obj = body(req)?;
    let name = target.name.clone().unwrap_or_default();
    let sub = target.subresource.as_deref();
    let mut decoded = Vec::new();
    if sub != Some("scale") {
        check_body(target, &mut obj)?;
        obj = as_stored(target, obj);
        decoded = decode_body(req, &mut obj)?;
    }
    if !obj.name().is_empty() && obj.name() != name {
        return Err(Error::BadRequest("the name of the object does not match the name on the URL".into()));
    }
    let sent_rv = obj.str_at("metadata.resourceVersion").to_string();
    let manager = field_manager(req);
    let (result, warnings) = in_write(env, Options::of(req).dry_run, |c| {
        c.field_manager = manager;
        let live = read::object(c, target)?;
        if !sent_rv.is_empty() && sent_rv != live.str_at("metadata.resourceVersion") {
            return Ok(None);
        }
        let next = match sub {
            Some("scale") => subresource::apply_scale(&live, &obj),
            Some("status") => {
                let mut next = live.clone();
                next["status"] = obj.get("status").cloned().unwrap_or(Value::Null);
                return Ok(Some((*c.update_status(next)?).clone()));
            }
            _ if crate::api::hpa_v1::is_v1(target.kind) => crate::api::hpa_v1::over(&live, &obj),
            _ => obj,
        };
        let stored = c.update(next)?;
        Ok(Some(stored))
    })?;
    let Some(stored) = result else { return Ok(status::conflict(&target.kind.resource(), &name)) };
    decoded.extend(warnings);
    Ok(with_warnings(Response::json(200, &read::view(target, stored)?), &decoded))
}

fn patch_type(req: &Request) -> Option<PatchType> {
    let ct = req.header("content-type").unwrap_or("application/strategic-merge-patch+json");
    let ct = ct.split(';').next().unwrap_or("").trim();
    match ct {
        "application/strategic-merge-patch+json" | "application/apply-patch+yaml" => Some(PatchType::Strategic),
        "application/merge-patch+json" => Some(PatchType::Merge),
        "application/json-patch+json" => Some(PatchType::Json),
        _ => None,
    }
}

pub fn patch(env: &Env, req: &Request, target: &Target) -> Result<Response> {
    let Some(kind) = patch_type(req) else {
        let ct = req.header("content-type").unwrap_or("");
        return Ok(status::response(415, "UnsupportedMediaType", &format!("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got {ct:?})")));
    };
    let p = body(req)?;
    let apply = is_apply(req);
    let validation = field_validation(req)?;
    let namespace = target.namespace.clone().unwrap_or_default();
    let mut decoded = Vec::new();
    // A server-side apply computes its managers itself.
    let manager = if apply { None } else { field_manager(req) };
    let (outcome, warnings) = in_write(env, Options::of(req).dry_run, |c| {
        c.field_manager = manager;
        let live = match read::object(c, target) {
            Ok(live) => live,
            // Server-side apply creates what does not exist yet.
            Err(Error::NotFound { .. }) if apply && target.subresource.is_none() => {
                let mut obj = p.clone();
                check_body(target, &mut obj)?;
                let mut obj = as_stored(target, obj);
                decoded = decode::decode(&mut obj, validation)?;
                return Ok((201, (*c.create(obj, &namespace)?).clone()));
            }
            Err(e) => return Err(e),
        };
        let view = read::view(target, live.clone())?;
        let patched_view = apply_patch(&view, &p, kind)?;
        let mut patched = match target.subresource.as_deref() {
            Some("scale") => subresource::apply_scale(&live, &patched_view),
            _ if crate::api::hpa_v1::is_v1(target.kind) => crate::api::hpa_v1::over(&live, &patched_view),
            _ => patched_view,
        };
        if target.subresource.as_deref() != Some("scale") {
            decoded = decode::decode(&mut patched, validation)?;
        }
        if no_change(&live, &patched) {
            return Ok((200, live));
        }
        // `kubectl debug` adds its container through this subresource only.
        if target.subresource.as_deref() == Some("ephemeralcontainers") {
            return Ok((200, (*c.update_ephemeral_containers(&live, &patched)?).clone()));
        }
        if target.subresource.as_deref() == Some("status") {
            return Ok((200, (*c.update_status(patched)?).clone()));
        }
        Ok((200, c.update(patched)?))
    })?;
    let (code, obj) = outcome;
    decoded.extend(warnings);
    Ok(with_warnings(Response::json(code, &read::view(target, obj)?), &decoded))
}

/// `DeleteOptions` from the body (or the query, as older clients send them): the propagation,
/// the grace period, and whether it is a dry run (kubectl sends `dryRun: ["All"]` in the body).
fn delete_options(req: &Request) -> Result<(Propagation, Option<i64>, bool)> {
    let opts: Value = if req.body.is_empty() { json!({}) } else { body(req)? };
    let dry_run = Options::of(req).dry_run || opts.array_at("dryRun").iter().any(|v| v.as_str() == Some("All"));
    let policy = opts.str_at("propagationPolicy").to_string();
    let policy = if policy.is_empty() { req.param("propagationPolicy").unwrap_or("").to_string() } else { policy };
    let propagation = match policy.as_str() {
        "" | "Background" => Propagation::Background,
        "Foreground" => Propagation::Foreground,
        "Orphan" => Propagation::Orphan,
        other => {
            return Err(Error::BadRequest(format!(
                "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{other}\": supported values: \"Foreground\", \"Background\", \"Orphan\""
            )))
        }
    };
    let grace = match opts.at("gracePeriodSeconds").and_then(Value::as_i64) {
        Some(g) => Some(g),
        None => read::number(req, "gracePeriodSeconds")?,
    };
    Ok((propagation, grace, dry_run))
}

/// Kinds whose DELETE answers with the object rather than a Status.
fn returns_object(kind: &str) -> bool {
    matches!(kind, "Pod" | "PersistentVolumeClaim" | "PersistentVolume")
}

pub fn delete(env: &Env, req: &Request, target: &Target) -> Result<Response> {
    let (propagation, grace, dry_run) = delete_options(req)?;
    let name = target.name.clone().unwrap_or_default();
    let key = Key::new(target.kind, target.namespace.as_deref().unwrap_or_default(), &name);
    let (deleted, warnings) = in_write(env, dry_run, |c| c.delete(&key, propagation, grace))?;
    if returns_object(target.kind.kind) {
        // A graceful pod deletion leaves the pod with its deletionTimestamp for a while; a
        // controller may already have made a new one under the same name.
        let mut cluster = env.read()?;
        let now = cluster.get(&key);
        cluster.abandon()?;
        let obj = now?.filter(|o| !dry_run && o.uid() == deleted.uid()).unwrap_or(deleted);
        return Ok(with_warnings(Response::json(200, &obj), &warnings));
    }
    let details = json!({"name": name, "group": target.kind.group, "kind": target.kind.plural, "uid": deleted.uid()});
    let body = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details});
    Ok(with_warnings(Response::json(200, &body), &warnings))
}

/// `DELETE` on a collection: every matching object, answered with the list of what was deleted.
pub fn delete_collection(env: &Env, req: &Request, target: &Target) -> Result<Response> {
    let (propagation, grace, dry_run) = delete_options(req)?;
    let filter = Filter::from_request(req, target)?;
    let ns = target.namespace.clone();
    let (items, _) = in_write(env, dry_run, |c| {
        c.load(target.kind, ns.as_deref())?;
        let keys: Vec<Key> =
            c.iter(target.kind, ns.as_deref()).filter(|o| filter.matches(target, o)).filter_map(Key::of).collect();
        keys.iter().map(|k| c.delete(k, propagation, grace)).collect::<Result<Vec<_>>>()
    })?;
    let list = json!({"kind": format!("{}List", target.kind.kind), "apiVersion": target.kind.api_version(),
                      "metadata": {}, "items": items});
    Ok(Response::json(200, &list))
}
