//! OpenAPI v3, as much as kubectl's default validation needs: the index of group versions, and
//! per group version a document whose PATCH operations declare the `fieldValidation` parameter
//! with each kind's `x-kubernetes-group-version-kind`, so kubectl leaves validation to the server
//! (`fieldValidation=Strict`). Schemas come from `kstate explain`'s field tables (top-level fields
//! of every kind, `spec` fields of the kinds it describes), so `kubectl explain` shows the same
//! fields and types; other nested types are open objects.

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

/// The schema name of a named field type; kubectl shows the part after the last dot.
fn type_name(ty: &str) -> String {
    format!("io.k8s.kstate.v1.{ty}")
}

/// A field type as a schema: scalars, `[]T`, `map[string]T`, or a reference to a named type
/// (collected in `named`).
fn field_schema(ty: &str, named: &mut Vec<String>) -> Value {
    match ty {
        "string" | "integer" | "boolean" | "number" => json!({"type": ty}),
        "Time" | "MicroTime" => json!({"type": "string", "format": "date-time"}),
        "Object" => json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true}),
        _ => {
            if let Some(item) = ty.strip_prefix("[]") {
                return json!({"type": "array", "items": field_schema(item, named)});
            }
            if let Some(value) = ty.strip_prefix("map[string]") {
                return json!({"type": "object", "additionalProperties": field_schema(value, named)});
            }
            named.push(ty.to_string());
            json!({"allOf": [{"$ref": format!("#/components/schemas/{}", type_name(ty))}]})
        }
    }
}

fn object_schema(fields: &[crate::cmd::explain::Field], description: &str, named: &mut Vec<String>) -> Value {
    let mut properties = Map::new();
    for (name, ty, _) in fields {
        properties.insert(name.to_string(), field_schema(ty, named));
    }
    let required: Vec<&str> = fields.iter().filter(|f| f.2).map(|f| f.0).collect();
    let mut schema = json!({"type": "object", "description": description, "properties": properties});
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

/// The kind's schema, its spec's (when kstate knows the spec's fields) and open objects for the
/// other named types they mention.
fn add_schemas(k: &Kind, schemas: &mut Map<String, Value>) {
    use crate::cmd::explain;
    let mut named = Vec::new();
    // The CLI's text is laid out for its own page; kubectl wraps descriptions itself.
    let description = explain::description(k).split_whitespace().collect::<Vec<_>>().join(" ");
    let mut kind_schema = object_schema(&explain::top(k), &description, &mut named);
    kind_schema["x-kubernetes-group-version-kind"] = json!([gvk(k)]);
    schemas.insert(schema_name(k), kind_schema);
    let spec_type = explain::top(k).into_iter().find(|f| f.0 == "spec").map(|f| f.1);
    if let (Some(ty), Some(fields)) = (spec_type, explain::spec(k)) {
        let description = format!("{ty} is the specification of a {}.", k.kind);
        schemas.insert(type_name(ty), object_schema(&fields, &description, &mut named));
    }
    for ty in named {
        schemas.entry(type_name(&ty)).or_insert_with(|| {
            json!({"type": "object", "description": format!("{ty} (kstate does not describe its fields)."),
                   "x-kubernetes-preserve-unknown-fields": true})
        });
    }
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
        add_schemas(k, &mut schemas);
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
