//! Typed errors inside, kubectl's words outside.
//!
//! The core returns [`Error`]; `Display` renders exactly what kubectl prints on stderr (without the
//! trailing newline) and [`Error::exit_code`] gives kubectl's exit code. Nothing else formats errors.

use std::fmt;

/// One field-level cause of an `Invalid` error, as apimachinery's `field.Error` renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Path such as `spec.replicas`.
    pub field: String,
    /// Body such as `Invalid value: -1: must be greater than or equal to 0`.
    pub detail: String,
}

impl FieldError {
    pub fn required(field: impl Into<String>, detail: &str) -> Self {
        let detail = if detail.is_empty() { "Required value".to_string() } else { format!("Required value: {detail}") };
        FieldError { field: field.into(), detail }
    }

    /// `value` must already be rendered the way Go's `%v`/`%q` would (see `api::validate`).
    pub fn invalid(field: impl Into<String>, value: &str, detail: &str) -> Self {
        FieldError { field: field.into(), detail: format!("Invalid value: {value}: {detail}") }
    }

    pub fn not_found(field: impl Into<String>, value: &str) -> Self {
        FieldError { field: field.into(), detail: format!("Not found: {value}") }
    }

    pub fn forbidden(field: impl Into<String>, detail: &str) -> Self {
        FieldError { field: field.into(), detail: format!("Forbidden: {detail}") }
    }

    pub fn unsupported(field: impl Into<String>, value: &str, supported: &[&str]) -> Self {
        let list: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
        FieldError {
            field: field.into(),
            detail: format!("Unsupported value: {value:?}: supported values: {}", list.join(", ")),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.detail)
    }
}

/// Everything that can go wrong in a kstate command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `resource` is the plural, group-qualified resource (`pods`, `statefulsets.apps`).
    #[error("Error from server (NotFound): {resource} \"{name}\" not found")]
    NotFound { resource: String, name: String },

    #[error("Error from server (AlreadyExists): {resource} \"{name}\" already exists")]
    AlreadyExists { resource: String, name: String },

    /// A 422: `kind` is the bare kind (`StatefulSet`), `group` its API group (may be empty).
    #[error("{}", render_invalid(kind, name, causes))]
    Invalid { kind: String, group: String, name: String, causes: Vec<FieldError> },

    /// A write whose resourceVersion precondition no longer holds.
    #[error("Error from server (Conflict): {}", conflict_message(resource, name))]
    Conflict { resource: String, name: String },

    #[error("Error from server (BadRequest): {0}")]
    BadRequest(String),

    /// A NotFound whose message is not about one named object.
    #[error("Error from server (NotFound): {0}")]
    NotFoundRaw(String),

    #[error("Error from server (Forbidden): {0}")]
    Forbidden(String),

    /// A request body past the API server's limit (`limit` bytes).
    #[error("Error from server (RequestEntityTooLarge): Request entity too large: limit is {0}")]
    TooLarge(u64),

    /// A client-side error kubectl prints as `error: <msg>`.
    #[error("error: {0}")]
    Cli(String),

    /// A usage error: `error: <msg>` plus `See 'kubectl <cmd> -h' for help and examples`.
    #[error("error: {msg}\nSee 'kubectl {cmd} -h' for help and examples")]
    Usage { cmd: String, msg: String },

    /// Text printed verbatim (already in kubectl's shape), exit code 1.
    #[error("{0}")]
    Raw(String),

    /// Several errors printed one per line without prefix, as kubectl's aggregate does.
    #[error("{}", .0.join("\n"))]
    Aggregate(Vec<String>),

    /// A command run by `exec` exited non-zero: kubectl reports it and exits with its code.
    #[error("command terminated with exit code {0}")]
    ExitCode(i32),

    /// A failure whose message was already printed; only the exit code is left.
    #[error("")]
    Silent(i32),

    /// An internal failure (database, I/O): never a user's fault.
    #[error("error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

fn conflict_message(resource: &str, name: &str) -> String {
    format!(
        "Operation cannot be fulfilled on {resource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again"
    )
}

fn render_invalid(kind: &str, name: &str, causes: &[FieldError]) -> String {
    match causes {
        [one] => format!("The {kind} \"{name}\" is invalid: {one}"),
        many => {
            let mut s = format!("The {kind} \"{name}\" is invalid: ");
            for c in many {
                s.push_str(&format!("\n* {c}"));
            }
            s
        }
    }
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::ExitCode(code) | Error::Silent(code) => *code,
            _ => 1,
        }
    }

    /// The message this error has inside kubectl's multi-error form, where a 422 loses its
    /// special layout (`StatefulSet.apps "web" is invalid: ...`) and nothing carries `error: `.
    pub fn server_message(&self) -> String {
        match self {
            Error::NotFound { resource, name } => format!("{resource} \"{name}\" not found"),
            Error::AlreadyExists { resource, name } => format!("{resource} \"{name}\" already exists"),
            Error::Invalid { kind, group, name, causes } => {
                let qualified = if group.is_empty() { kind.clone() } else { format!("{kind}.{group}") };
                let list: Vec<String> = causes.iter().map(|c| c.to_string()).collect();
                let body = if list.len() == 1 { list[0].clone() } else { format!("[{}]", list.join(", ")) };
                format!("{qualified} \"{name}\" is invalid: {body}")
            }
            Error::BadRequest(m) | Error::NotFoundRaw(m) | Error::Forbidden(m) | Error::Cli(m) | Error::Raw(m) => {
                m.clone()
            }
            Error::TooLarge(limit) => format!("Request entity too large: limit is {limit}"),
            Error::Conflict { resource, name } => conflict_message(resource, name),
            other => other.to_string(),
        }
    }

    /// The reason kubectl shows in `Error from server (<Reason>)`, when the error came from the API.
    pub fn reason(&self) -> Option<&'static str> {
        match self {
            Error::NotFound { .. } | Error::NotFoundRaw(_) => Some("NotFound"),
            Error::AlreadyExists { .. } => Some("AlreadyExists"),
            Error::Invalid { .. } => Some("Invalid"),
            Error::BadRequest(_) => Some("BadRequest"),
            Error::Conflict { .. } => Some("Conflict"),
            Error::Forbidden(_) => Some("Forbidden"),
            Error::TooLarge(_) => Some("RequestEntityTooLarge"),
            _ => None,
        }
    }

    /// kubectl's `AddSourceToErr`: `error when creating "web.yaml": ...` inside the server error.
    pub fn with_source(self, verb: &str, source: &str) -> Error {
        match self.reason() {
            Some(reason) if !matches!(self, Error::Invalid { .. }) => Error::Raw(format!(
                "Error from server ({reason}): error when {verb} \"{source}\": {}",
                self.server_message()
            )),
            _ => self,
        }
    }

    /// The line this error contributes to an aggregate of several errors.
    pub fn aggregate_line(&self, verb: &str, source: &str) -> String {
        match self.reason() {
            Some(reason) => {
                format!("Error from server ({reason}): error when {verb} \"{source}\": {}", self.server_message())
            }
            None => match self {
                Error::Cli(m) => m.clone(),
                other => other.to_string(),
            },
        }
    }

    pub fn not_found(resource: &str, name: &str) -> Error {
        Error::NotFound { resource: resource.to_string(), name: name.to_string() }
    }

    pub fn cli(msg: impl Into<String>) -> Error {
        Error::Cli(msg.into())
    }

    /// A verb that acts on named objects was given a resource type alone.
    pub fn no_name() -> Error {
        Error::cli("resource(s) were provided, but no name was specified")
    }

    /// A verb was given neither resources nor files (`delete`, `scale`).
    pub fn no_resources() -> Error {
        Error::cli(NO_RESOURCES)
    }

    /// The same, as a usage error that points at the verb's help (`edit`, `patch`).
    pub fn no_resources_usage(cmd: &str) -> Error {
        Error::Usage { cmd: cmd.to_string(), msg: NO_RESOURCES.to_string() }
    }
}

/// kubectl's words when a verb was given nothing to act on.
const NO_RESOURCES: &str = "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_reads_like_kubectl() {
        let e = Error::not_found("pods", "web-9");
        assert_eq!(e.to_string(), "Error from server (NotFound): pods \"web-9\" not found");
        assert_eq!(e.exit_code(), 1);
    }

    #[test]
    fn single_invalid_cause_is_one_line() {
        let e = Error::Invalid {
            kind: "StatefulSet".into(),
            group: "apps".into(),
            name: "web".into(),
            causes: vec![FieldError::invalid("spec.replicas", "-1", "must be greater than or equal to 0")],
        };
        assert_eq!(
            e.to_string(),
            "The StatefulSet \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
    }

    #[test]
    fn several_invalid_causes_are_bulleted() {
        let e = Error::Invalid {
            kind: "Pod".into(),
            group: String::new(),
            name: "p".into(),
            causes: vec![FieldError::required("spec.containers", ""), FieldError::required("metadata.name", "")],
        };
        assert_eq!(
            e.to_string(),
            "The Pod \"p\" is invalid: \n* spec.containers: Required value\n* metadata.name: Required value"
        );
    }

    #[test]
    fn source_is_added_to_server_errors() {
        let e = Error::AlreadyExists { resource: "services".into(), name: "nginx".into() }
            .with_source("creating", "web.yaml");
        assert_eq!(
            e.to_string(),
            "Error from server (AlreadyExists): error when creating \"web.yaml\": services \"nginx\" already exists"
        );
    }
}
