//! `metav1.Status` bodies: kstate's typed errors as the API server reports them, so kubectl prints
//! `Error from server (<reason>): <message>` with kstate's own words.

use serde_json::{json, Value};

use super::http::Response;
use crate::Error;

/// A failure Status with an HTTP code, a reason and a message.
pub fn failure(code: u16, reason: &str, message: &str) -> Value {
    json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    })
}

pub fn response(code: u16, reason: &str, message: &str) -> Response {
    Response::json(code, &failure(code, reason, message))
}

pub fn bad_request(message: &str) -> Response {
    response(400, "BadRequest", message)
}

pub fn not_found() -> Response {
    response(404, "NotFound", "the server could not find the requested resource")
}

pub fn method_not_allowed(method: &str) -> Response {
    response(
        405,
        "MethodNotAllowed",
        &format!("the server does not allow this method on the requested resource ({method})"),
    )
}

/// The 409 of an update whose resourceVersion is not the stored one.
pub fn conflict(resource: &str, name: &str) -> Response {
    response(
        409,
        "Conflict",
        &format!(
            "Operation cannot be fulfilled on {resource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again"
        ),
    )
}

/// An error from the shared API code, with the code and reason a v1.32 API server gives it.
pub fn from_error(e: &Error) -> Response {
    let (code, reason) = match e {
        Error::NotFound { .. } | Error::NotFoundRaw(_) => (404, "NotFound"),
        Error::AlreadyExists { .. } => (409, "AlreadyExists"),
        Error::Conflict { .. } => (409, "Conflict"),
        Error::Invalid { .. } => (422, "Invalid"),
        Error::BadRequest(_) | Error::Cli(_) | Error::Usage { .. } | Error::Raw(_) | Error::Aggregate(_) => {
            (400, "BadRequest")
        }
        Error::Forbidden(_) => (403, "Forbidden"),
        Error::TooLarge(_) => (413, "RequestEntityTooLarge"),
        Error::ExitCode(_) | Error::Silent(_) | Error::Internal(_) => (500, "InternalError"),
    };
    let message = match e {
        Error::Raw(m) => m.strip_prefix("Error from server: ").unwrap_or(m).to_string(),
        Error::Internal(inner) => format!("Internal error occurred: {inner:#}"),
        other => other.server_message(),
    };
    let mut body = failure(code, reason, &message);
    if let Error::Invalid { kind, group, name, causes } = e {
        body["details"] = json!({
            "name": name,
            "group": group,
            "kind": kind,
            "causes": causes
                .iter()
                .map(|c| json!({"reason": cause_reason(&c.detail), "message": c.detail, "field": c.field}))
                .collect::<Vec<_>>(),
        });
    }
    if let Error::NotFound { resource, name } | Error::AlreadyExists { resource, name } = e {
        let (kind, group) = resource.split_once('.').unwrap_or((resource, ""));
        body["details"] = json!({"name": name, "group": group, "kind": kind});
    }
    Response::json(code, &body)
}

/// The `CauseType` of a field error, from the words its message starts with (apimachinery's
/// `field.ErrorType` strings and their cause types).
fn cause_reason(detail: &str) -> &'static str {
    const TYPES: [(&str, &str); 9] = [
        ("Invalid value", "FieldValueInvalid"),
        ("Required value", "FieldValueRequired"),
        ("Unsupported value", "FieldValueNotSupported"),
        ("Forbidden", "FieldValueForbidden"),
        ("Duplicate value", "FieldValueDuplicate"),
        ("Not found", "FieldValueNotFound"),
        ("Too long", "FieldValueTooLong"),
        ("Too many", "FieldValueTooMany"),
        ("Internal error", "InternalError"),
    ];
    TYPES.iter().find(|(words, _)| detail.starts_with(words)).map_or("FieldValueInvalid", |(_, reason)| reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_carries_kubectls_message() {
        let r = from_error(&Error::not_found("statefulsets.apps", "web"));
        assert_eq!(r.status, 404);
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(body["message"], "statefulsets.apps \"web\" not found");
        assert_eq!(body["details"], json!({"name": "web", "group": "apps", "kind": "statefulsets"}));
    }
}
