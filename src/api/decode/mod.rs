//! The API server's decoding of a request body: the object is read into the Go type of its
//! kind (`types.schema`), so wrong types, bad quantities and bad base64 are refused, and fields
//! the type does not have are refused, reported or dropped according to the request's field
//! validation (kubectl's `--validate=strict|warn|ignore`). Pure: the object in, the decoded
//! object and its warnings out.

mod base64;
pub mod restore;
pub(crate) mod schema;
mod walk;

use serde_json::Value;

use crate::api::ObjectExt;
use crate::{Error, Result};

/// The request's `fieldValidation`: what the server does with unknown fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldValidation {
    /// Refuse the request (kubectl's default, `--validate=strict|true`).
    #[default]
    Strict,
    /// Drop the fields and answer with a warning per field (`--validate=warn`).
    Warn,
    /// Drop the fields silently (`--validate=ignore|false`).
    Ignore,
}

/// Decodes `obj` in place as a request body of its `apiVersion` and `kind`. Returns the
/// warnings the server sends back (`unknown field "spec.foo"` under `Warn`). An object of a
/// version kstate has no schema for is left as it is.
pub fn decode(obj: &mut Value, validation: FieldValidation) -> Result<Vec<String>> {
    let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or_default().to_string();
    let kind = obj.kind().to_string();
    let version = api_version.rsplit('/').next().unwrap_or_default().to_string();
    let refuse =
        |why: String| Error::BadRequest(format!("{kind} in version {version:?} cannot be handled as a {kind}: {why}"));
    let types = schema::schema();
    let unknown_fields = match types.kind(&api_version, &kind) {
        Some(root) => {
            let outcome = walk::decode(types, root, obj);
            if let Some(why) = outcome.error {
                return Err(refuse(why));
            }
            outcome.unknown
        }
        // A custom resource is pruned to its version's schema.
        None => match crate::api::custom::definition(&kind) {
            Some(def) => match def.version(&version) {
                Some(v) => crate::api::custom::prune(obj, &v.schema),
                None => return Ok(Vec::new()),
            },
            None => return Ok(Vec::new()),
        },
    };
    let unknown: Vec<String> = unknown_fields.iter().map(|f| format!("unknown field {f:?}")).collect();
    match validation {
        FieldValidation::Strict if !unknown.is_empty() => {
            Err(refuse(format!("strict decoding error: {}", unknown.join(", "))))
        }
        FieldValidation::Warn => Ok(unknown),
        _ => Ok(Vec::new()),
    }
}

/// Why Go's JSON decoder refuses to read `obj` into the struct of its kind, as kubectl's builder
/// does for the `set` commands (`json: cannot unmarshal bool into Go struct field ...`); None
/// when it reads, or kstate has no schema for its kind. Unknown fields are no error there.
pub fn type_error(obj: &Value) -> Option<String> {
    let types = schema::schema();
    let root = types.kind(obj.get("apiVersion").and_then(Value::as_str)?, obj.kind())?;
    walk::decode(types, root, &mut obj.clone()).error
}

/// Go's `%T` of the object kubectl decodes `obj` into: `*v1.ConfigMap`, `*v2.HorizontalPodAutoscaler`,
/// or `*unstructured.Unstructured` for a kind outside kstate's schema.
pub fn go_type(obj: &Value) -> String {
    let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or_default();
    match schema::schema().kind(api_version, obj.kind()) {
        Some(root) => format!("*{}", root.display),
        None => "*unstructured.Unstructured".into(),
    }
}

#[cfg(test)]
mod tests;
