//! CustomResourceDefinitions (apiextensions.k8s.io/v1): the kinds they serve.
//!
//! Kinds are `&'static Kind` everywhere else in kstate, so a served CRD's kind is made once and
//! kept for the life of the process (interned: the same definition read again reuses it). The
//! registry holds the definitions of the state directory's established CRDs; a cluster opened on
//! a state whose CRD revision counter moved reloads it (`sync`), so a long-running `serve` sees
//! CRDs created by another process.

mod schema;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use serde_json::{json, Value};

use super::kinds::Kind;
use super::object::{set_at, ObjectExt};
use crate::error::FieldError;

pub use schema::{prune, validate};

/// The kind name of the definitions themselves.
pub const CRD: &str = "CustomResourceDefinition";

/// One additional printer column of a version.
#[derive(Debug, Clone)]
pub struct PrinterColumn {
    /// The header as kubectl prints it (the name in upper case).
    pub header: &'static str,
    pub type_: String,
    pub json_path: String,
    /// Only shown with `-o wide` when above 0.
    pub priority: i64,
}

/// The scale subresource's paths (`.spec.replicas`), without their leading dot.
#[derive(Debug, Clone)]
pub struct ScalePaths {
    pub spec_replicas: String,
    pub status_replicas: String,
    pub label_selector: Option<String>,
}

/// One version of a definition.
#[derive(Debug)]
pub struct Version {
    pub name: String,
    pub served: bool,
    pub storage: bool,
    /// `schema.openAPIV3Schema`.
    pub schema: Value,
    pub columns: Vec<PrinterColumn>,
    pub status: bool,
    pub scale: Option<ScalePaths>,
    /// The kind at this version.
    pub kind: &'static Kind,
}

/// An established CustomResourceDefinition.
#[derive(Debug)]
pub struct Definition {
    /// `crontabs.stable.example.com`.
    pub name: String,
    pub list_kind: String,
    pub categories: Vec<String>,
    /// Served versions, the preferred (highest priority) first.
    pub versions: Vec<Version>,
}

impl Definition {
    /// The kind at the preferred version.
    pub fn kind(&self) -> &'static Kind {
        self.versions[0].kind
    }

    pub fn version(&self, name: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.name == name)
    }

    pub fn preferred(&self) -> &Version {
        &self.versions[0]
    }
}

struct Registry {
    /// The state directory and CRD revision the definitions were read at.
    source: Option<(PathBuf, i64)>,
    defs: Vec<Arc<Definition>>,
}

static REGISTRY: RwLock<Registry> = RwLock::new(Registry { source: None, defs: Vec::new() });
static STRINGS: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
static KINDS: Mutex<Vec<&'static Kind>> = Mutex::new(Vec::new());

fn leak(s: &str) -> &'static str {
    let mut set = STRINGS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(found) = set.get(s) {
        return found;
    }
    let leaked: &'static str = Box::leak(s.to_string().into_boxed_str());
    set.insert(leaked);
    leaked
}

fn intern(kind: Kind) -> &'static Kind {
    let mut all = KINDS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(found) = all.iter().find(|k| ***k == kind) {
        return found;
    }
    let leaked: &'static Kind = Box::leak(Box::new(kind));
    all.push(leaked);
    leaked
}

fn defs() -> Vec<Arc<Definition>> {
    REGISTRY.read().map(|r| r.defs.clone()).unwrap_or_default()
}

/// Every served version's kind, each definition's preferred version first.
pub fn kinds() -> Vec<&'static Kind> {
    defs().iter().flat_map(|d| d.versions.iter().map(|v| v.kind)).collect()
}

/// The preferred kind of each definition.
pub fn preferred_kinds() -> Vec<&'static Kind> {
    defs().iter().map(|d| d.kind()).collect()
}

/// The definition serving `kind` (a kind name such as `CronTab`).
pub fn definition(kind: &str) -> Option<Arc<Definition>> {
    defs().into_iter().find(|d| d.kind().kind == kind)
}

/// Is `kind` served by a CustomResourceDefinition?
pub fn is_custom(kind: &str) -> bool {
    definition(kind).is_some()
}

/// Reloads the definitions when the state directory or its CRD revision changed since the last
/// load; `load` lists the stored CustomResourceDefinitions.
pub fn sync<E>(state_dir: &Path, revision: i64, load: impl FnOnce() -> Result<Vec<Value>, E>) -> Result<(), E> {
    let current = REGISTRY.read().map(|r| r.source.clone()).unwrap_or_default();
    if current.as_ref().is_some_and(|(dir, rev)| dir == state_dir && *rev == revision) {
        return Ok(());
    }
    let crds = load()?;
    install(Some((state_dir.to_path_buf(), revision)), &crds);
    Ok(())
}

/// Replaces the registry with the established ones of `crds`.
fn install(source: Option<(PathBuf, i64)>, crds: &[Value]) {
    let defs: Vec<Arc<Definition>> =
        crds.iter().filter(|c| established(c) && !c.is_deleting()).filter_map(parse).map(Arc::new).collect();
    if let Ok(mut r) = REGISTRY.write() {
        r.source = source;
        r.defs = defs;
    }
}

fn established(crd: &Value) -> bool {
    crd.array_at("status.conditions").iter().any(|c| c.str_at("type") == "Established" && c.str_at("status") == "True")
}

/// Kubernetes' version priority: GA before beta before alpha before other names; a higher major
/// then minor first; other names alphabetically.
fn priority(version: &str) -> (u8, i64, i64, String) {
    let parse = |rest: &str| -> Option<(u8, i64, i64)> {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let major: i64 = digits.parse().ok()?;
        let tail = &rest[digits.len()..];
        if tail.is_empty() {
            return Some((0, -major, 0));
        }
        for (tier, word) in [(1, "beta"), (2, "alpha")] {
            if let Some(n) = tail.strip_prefix(word) {
                let minor: i64 = n.parse().ok()?;
                return Some((tier, -major, -minor));
            }
        }
        None
    };
    match version.strip_prefix('v').and_then(parse) {
        Some((tier, major, minor)) => (tier, major, minor, String::new()),
        None => (3, 0, 0, version.to_string()),
    }
}

/// Reads a CRD's served versions into a definition.
fn parse(crd: &Value) -> Option<Definition> {
    let group = crd.str_at("spec.group");
    let names = crd.at("status.acceptedNames").filter(|n| n.is_object()).or_else(|| crd.at("spec.names"))?;
    let kind_name = names.str_at("kind");
    let plural = names.str_at("plural");
    if group.is_empty() || kind_name.is_empty() || plural.is_empty() {
        return None;
    }
    let singular = match names.str_at("singular") {
        "" => kind_name.to_lowercase(),
        s => s.to_string(),
    };
    let short: Vec<&'static str> = names.array_at("shortNames").iter().filter_map(Value::as_str).map(leak).collect();
    let short: &'static [&'static str] = leak_slice(short);
    let namespaced = crd.str_at("spec.scope") != "Cluster";
    let mut versions: Vec<Version> = crd
        .array_at("spec.versions")
        .iter()
        .filter(|v| v.get("served").and_then(Value::as_bool).unwrap_or(false))
        .map(|v| {
            let name = v.str_at("name").to_string();
            let kind = intern(Kind {
                kind: leak(kind_name),
                plural: leak(plural),
                singular: leak(&singular),
                short,
                group: leak(group),
                version: leak(&name),
                namespaced,
            });
            let columns = v
                .array_at("additionalPrinterColumns")
                .iter()
                .map(|c| PrinterColumn {
                    header: leak(&c.str_at("name").to_uppercase()),
                    type_: c.str_at("type").to_string(),
                    json_path: c.str_at("jsonPath").to_string(),
                    priority: c.i64_at("priority").unwrap_or(0),
                })
                .collect();
            let path = |p: &str| v.str_at(p).trim_start_matches('.').to_string();
            let scale = v.at("subresources.scale").filter(|s| s.is_object()).map(|_| ScalePaths {
                spec_replicas: path("subresources.scale.specReplicasPath"),
                status_replicas: path("subresources.scale.statusReplicasPath"),
                label_selector: Some(path("subresources.scale.labelSelectorPath")).filter(|p| !p.is_empty()),
            });
            Version {
                name,
                served: true,
                storage: v.get("storage").and_then(Value::as_bool).unwrap_or(false),
                schema: v.at("schema.openAPIV3Schema").cloned().unwrap_or_else(|| json!({})),
                columns,
                status: v.at("subresources.status").is_some_and(Value::is_object),
                scale,
                kind,
            }
        })
        .collect();
    if versions.is_empty() {
        return None;
    }
    versions.sort_by_key(|v| priority(&v.name));
    let list_kind = match names.str_at("listKind") {
        "" => format!("{kind_name}List"),
        l => l.to_string(),
    };
    Some(Definition {
        name: crd.name().to_string(),
        list_kind,
        categories: names.array_at("categories").iter().filter_map(Value::as_str).map(String::from).collect(),
        versions,
    })
}

fn leak_slice(items: Vec<&'static str>) -> &'static [&'static str] {
    if items.is_empty() {
        return &[];
    }
    Box::leak(items.into_boxed_slice())
}

/// What the API server defaults and sets on a CustomResourceDefinition it accepts: the names'
/// singular and listKind, the conversion strategy, and a status whose conditions say the names
/// were accepted and the kind is established (kstate serves it at once).
pub fn admit_definition(crd: &mut Value, now: &str, old: Option<&Value>) {
    let kind = crd.str_at("spec.names.kind").to_string();
    if crd.str_at("spec.names.singular").is_empty() {
        set_at(crd, "spec.names.singular", json!(kind.to_lowercase()));
    }
    if crd.str_at("spec.names.listKind").is_empty() {
        set_at(crd, "spec.names.listKind", json!(format!("{kind}List")));
    }
    if crd.at("spec.conversion").is_none() {
        set_at(crd, "spec.conversion", json!({"strategy": "None"}));
    }
    let names = crd.at("spec.names").cloned().unwrap_or_else(|| json!({}));
    let storage: Vec<String> = crd
        .array_at("spec.versions")
        .iter()
        .filter(|v| v.get("storage").and_then(Value::as_bool) == Some(true))
        .map(|v| v.str_at("name").to_string())
        .collect();
    let mut stored: Vec<String> = old
        .map(|o| o.array_at("status.storedVersions").iter().filter_map(Value::as_str).map(String::from).collect())
        .unwrap_or_default();
    for s in storage {
        if !stored.contains(&s) {
            stored.push(s);
        }
    }
    let since = |ty: &str| {
        old.and_then(|o| {
            o.array_at("status.conditions")
                .iter()
                .find(|c| c.str_at("type") == ty)
                .map(|c| c.str_at("lastTransitionTime").to_string())
        })
        .unwrap_or_else(|| now.to_string())
    };
    crd["status"] = json!({
        "acceptedNames": names,
        "conditions": [
            {"lastTransitionTime": since("NamesAccepted"), "message": "no conflicts found",
             "reason": "NoConflicts", "status": "True", "type": "NamesAccepted"},
            {"lastTransitionTime": since("Established"), "message": "the initial names have been accepted",
             "reason": "InitialNamesAccepted", "status": "True", "type": "Established"},
        ],
        "storedVersions": stored,
    });
}

/// The API server's validation of a CustomResourceDefinition (the checks a hand-written CRD
/// most often fails), in its order.
pub fn validate_definition(crd: &Value, taken: &[&Kind]) -> Vec<FieldError> {
    let mut causes = Vec::new();
    let group = crd.str_at("spec.group");
    let plural = crd.str_at("spec.names.plural");
    let want = format!("{plural}.{group}");
    if crd.name() != want {
        causes.push(FieldError::invalid(
            "metadata.name",
            &format!("{:?}", crd.name()),
            "must be spec.names.plural+\".\"+spec.group",
        ));
    }
    if group.is_empty() {
        causes.push(FieldError::required("spec.group", ""));
    } else if !group.contains('.') {
        causes.push(FieldError::invalid(
            "spec.group",
            &format!("{group:?}"),
            "should be a domain with at least one dot",
        ));
    }
    match crd.str_at("spec.scope") {
        "Namespaced" | "Cluster" => {}
        "" => causes.push(FieldError::required("spec.scope", "")),
        other => causes.push(FieldError::unsupported("spec.scope", other, &["Cluster", "Namespaced"])),
    }
    let versions = crd.array_at("spec.versions");
    if versions.is_empty() {
        causes.push(FieldError::invalid(
            "spec.versions",
            "null",
            "must have exactly one version marked as storage version",
        ));
    } else {
        let storage = versions.iter().filter(|v| v.get("storage").and_then(Value::as_bool) == Some(true)).count();
        if storage != 1 {
            causes.push(FieldError {
                field: "spec.versions".into(),
                detail: "Invalid value: []apiextensions.CustomResourceDefinitionVersion{...}: must have exactly one version marked as storage version".into(),
            });
        }
        for (i, v) in versions.iter().enumerate() {
            if v.str_at("name").is_empty() {
                causes.push(FieldError::required(format!("spec.versions[{i}].name"), ""));
            }
            if v.at("schema.openAPIV3Schema").is_none() {
                causes.push(FieldError::required(
                    format!("spec.versions[{i}].schema.openAPIV3Schema"),
                    "schemas are required",
                ));
            }
        }
    }
    if plural.is_empty() {
        causes.push(FieldError::required("spec.names.plural", ""));
    }
    if crd.str_at("spec.names.kind").is_empty() {
        causes.push(FieldError::required("spec.names.kind", ""));
    }
    // Names built-in kinds already use in the same group conflict.
    if taken.iter().any(|k| k.group == group && (k.plural == plural || k.kind == crd.str_at("spec.names.kind"))) {
        causes.push(FieldError::invalid("spec.names.plural", &format!("{plural:?}"), "is already in use"));
    }
    causes
}

/// A custom resource written at another served version is stored at the preferred one
/// (conversion strategy None: only the apiVersion changes).
pub fn to_preferred_version(obj: &mut Value) {
    if let Some(def) = definition(obj.kind()) {
        obj["apiVersion"] = Value::String(def.kind().api_version());
    }
}

/// The `Scale` paths of `kind`, if its CRD has the scale subresource.
pub fn scale_paths(kind: &str) -> Option<ScalePaths> {
    definition(kind).and_then(|d| d.preferred().scale.clone())
}

/// Does `kind` have the status subresource?
pub fn has_status(kind: &str) -> bool {
    definition(kind).is_some_and(|d| d.preferred().status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_priority_orders_like_kubernetes() {
        let mut v = vec!["v1beta1", "foo", "v2", "v1", "v1alpha1", "v10beta3", "v1beta2"];
        v.sort_by_key(|s| priority(s));
        assert_eq!(v, ["v2", "v1", "v10beta3", "v1beta2", "v1beta1", "v1alpha1", "foo"]);
    }

    #[test]
    fn interns_kinds_and_strings() {
        assert!(std::ptr::eq(leak("crontabs"), leak("crontabs")));
        let make = || Kind {
            kind: "CronTab",
            plural: "crontabs",
            singular: "crontab",
            short: &[],
            group: "stable.example.com",
            version: "v1",
            namespaced: true,
        };
        assert!(std::ptr::eq(intern(make()), intern(make())));
    }
}
