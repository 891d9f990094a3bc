//! OpenAPI v3, as much as kubectl's default validation needs: the index of group versions, and
//! per group version a document whose PATCH operations declare the `fieldValidation` parameter
//! with each kind's `x-kubernetes-group-version-kind`, so kubectl leaves validation to the server
//! (`fieldValidation=Strict`). Schemas are open objects: `explain` finds the kinds but no fields.

use serde_json::{json, Map, Value};

use super::http::{json_line, Response};
use crate::api::kinds::{self, Kind};

/// A stable hash of the document (it only changes with the kstate build).
const HASH: &str = concat!("kstate-", env!("CARGO_PKG_VERSION"));

fn gv_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

pub fn index() -> Response {
    let mut paths = Map::new();
    for k in kinds::ALL.iter() {
        let p = gv_path(k.group, k.version);
        paths.insert(p.clone(), json!({"serverRelativeURL": format!("/openapi/v3/{p}?hash={HASH}")}));
    }
    Response::json(200, &json!({"paths": paths}))
}

fn schema_name(k: &Kind) -> String {
    let group = if k.group.is_empty() { "core" } else { k.group.split('.').next().unwrap_or(k.group) };
    format!("io.k8s.api.{group}.{}.{}", k.version, k.kind)
}

fn gvk(k: &Kind) -> Value {
    json!({"group": k.group, "version": k.version, "kind": k.kind})
}

fn operations(k: &Kind) -> Value {
    let reference = json!({"$ref": format!("#/components/schemas/{}", schema_name(k))});
    let ok = json!({"200": {"description": "OK", "content": {"application/json": {"schema": reference}}}});
    let query = |name: &str| json!({"name": name, "in": "query", "schema": {"type": "string", "uniqueItems": true}});
    json!({
        "get": {"x-kubernetes-action": "get", "x-kubernetes-group-version-kind": gvk(k), "responses": ok},
        "put": {"x-kubernetes-action": "put", "x-kubernetes-group-version-kind": gvk(k), "responses": ok,
                "parameters": [query("dryRun"), query("fieldManager"), query("fieldValidation")]},
        "patch": {"x-kubernetes-action": "patch", "x-kubernetes-group-version-kind": gvk(k), "responses": ok,
                  "parameters": [query("dryRun"), query("fieldManager"), query("fieldValidation"), query("force")]},
        "delete": {"x-kubernetes-action": "delete", "x-kubernetes-group-version-kind": gvk(k), "responses": ok},
    })
}

/// `/openapi/v3/api/v1`, `/openapi/v3/apis/G/V`: `None` when not served.
pub fn document(group: &str, version: &str) -> Option<Response> {
    let served: Vec<&Kind> = kinds::ALL.iter().copied().filter(|k| k.group == group && k.version == version).collect();
    if served.is_empty() {
        return None;
    }
    let prefix = format!("/{}", gv_path(group, version));
    let mut paths = Map::new();
    let mut schemas = Map::new();
    for k in served {
        let item = if k.namespaced {
            format!("{prefix}/namespaces/{{namespace}}/{}/{{name}}", k.plural)
        } else {
            format!("{prefix}/{}/{{name}}", k.plural)
        };
        paths.insert(item, operations(k));
        schemas.insert(
            schema_name(k),
            json!({
                "type": "object",
                "description": format!("{} is served by kstate.", k.kind),
                "properties": {
                    "apiVersion": {"type": "string"},
                    "kind": {"type": "string"},
                    "metadata": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                    "spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                    "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                },
                "x-kubernetes-group-version-kind": [gvk(k)],
            }),
        );
    }
    let doc = json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": crate::cmd::version::SERVER_VERSION},
        "paths": paths,
        "components": {"schemas": schemas},
    });
    Some(
        Response::new(200, "application/json", json_line(&doc))
            .with_header("Etag", &format!("\"{HASH}\""))
            .with_header("Cache-Control", "public, immutable"),
    )
}
