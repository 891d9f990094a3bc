//! OpenAPI v3, as much as kubectl's default validation needs: the index of group versions, and
//! per group version a document whose PATCH operations declare the `fieldValidation` parameter
//! with each kind's `x-kubernetes-group-version-kind`, so kubectl leaves validation to the server
//! (`fieldValidation=Strict`). Schemas come from `kstate explain`'s field tables (top-level fields
//! of every kind, `spec` fields of the kinds it describes), so `kubectl explain` shows the same
//! fields and types; other nested types are open objects.

use serde_json::{json, Map, Value};

use super::http::{json_line, Response};
use crate::api::custom;
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

/// The document's hash: the build's for built-in groups; for a custom resource's group it also
/// covers the schemas, so kubectl's cache never keeps a document of an older CRD.
fn hash(group: &str, version: &str) -> String {
    use std::hash::{Hash, Hasher};
    let custom: Vec<String> = kinds_of(group, version)
        .iter()
        .filter_map(|k| custom::definition(k.kind))
        .filter_map(|d| d.version(version).map(|v| format!("{}{}{}", d.name, v.schema, v.status)))
        .collect();
    if custom.is_empty() {
        return HASH.to_string();
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    custom.hash(&mut h);
    format!("{HASH}-{:016x}", h.finish())
}

fn kinds_of(group: &str, version: &str) -> Vec<&'static Kind> {
    kinds::all().into_iter().filter(|k| k.group == group && k.version == version).collect()
}

pub fn index() -> Response {
    let mut paths = Map::new();
    for k in kinds::all() {
        let p = gv_path(k.group, k.version);
        let url = format!("/openapi/v3/{p}?hash={}", hash(k.group, k.version));
        paths.insert(p.clone(), json!({"serverRelativeURL": url}));
    }
    Response::json(200, &json!({"paths": paths}))
}

fn schema_name(k: &Kind) -> String {
    if custom::is_custom(k.kind) {
        // The apiextensions server names them by the reversed group.
        let reversed: Vec<&str> = k.group.split('.').rev().collect();
        return format!("{}.{}.{}", reversed.join("."), k.version, k.kind);
    }
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

/// A custom resource's schema: its version's openAPIV3Schema with the fields every object has, as
/// the apiextensions server publishes it.
fn add_custom_schema(k: &Kind, schemas: &mut Map<String, Value>) {
    let Some(def) = custom::definition(k.kind) else { return };
    let Some(version) = def.version(k.version) else { return };
    let mut schema = version.schema.clone();
    if !schema.is_object() {
        schema = json!({"type": "object"});
    }
    let described = |text: &str, extra: Value| {
        let mut v = json!({"description": text});
        if let (Some(m), Value::Object(e)) = (v.as_object_mut(), extra) {
            m.extend(e);
        }
        v
    };
    let props = schema.as_object_mut().map(|m| m.entry("properties").or_insert_with(|| json!({})));
    if let Some(Value::Object(props)) = props {
        props.insert("apiVersion".into(), described("APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources", json!({"type": "string"})));
        props.insert("kind".into(), described("Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds", json!({"type": "string"})));
        props.insert("metadata".into(), described("Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata", json!({"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}]})));
    }
    schema["x-kubernetes-group-version-kind"] = json!([gvk(k)]);
    schemas.insert(schema_name(k), schema);
    schemas.entry("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta".to_string()).or_insert_with(|| {
        json!({"type": "object", "description": "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
               "x-kubernetes-preserve-unknown-fields": true})
    });
}

/// The kind's schema, its spec's (when kstate knows the spec's fields) and open objects for the
/// other named types they mention.
fn add_schemas(k: &Kind, schemas: &mut Map<String, Value>) {
    if custom::is_custom(k.kind) {
        return add_custom_schema(k, schemas);
    }
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
    let served = kinds_of(group, version);
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
            .with_header("Etag", &format!("\"{}\"", hash(group, version)))
            .with_header("Cache-Control", "public, immutable"),
    )
}
