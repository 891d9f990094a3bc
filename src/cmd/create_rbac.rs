//! kubectl v1.32's RBAC generators: `create role`, `create clusterrole`, `create rolebinding` and
//! `create clusterrolebinding`, with kubectl's client-side checks, warnings and messages
//! (staging/src/k8s.io/kubectl/pkg/cmd/create/create_role.go and friends). Resource names are
//! resolved as kubectl's REST mapper resolves them, through discovery (`rs.apps` is
//! `replicasets` in `apps`); creating and printing is `create_generators`'.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::create_generators::create_generated;
use super::dry_run::DryRun;
use super::Context;
use crate::api::kinds;
use crate::print::OutputFormat;
use crate::{Error, Result};

const GROUP: &str = "rbac.authorization.k8s.io";

/// `validResourceVerbs`: other verbs draw a warning.
const RESOURCE_VERBS: [&str; 14] = [
    "*",
    "get",
    "delete",
    "list",
    "create",
    "update",
    "patch",
    "watch",
    "proxy",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
];
/// `validNonResourceVerbs`.
const NON_RESOURCE_VERBS: [&str; 8] = ["*", "get", "post", "put", "delete", "patch", "head", "options"];

/// `specialVerbs`: the verbs that only make sense on certain resources.
fn special_verb(verb: &str) -> Option<&'static [(&'static str, &'static str)]> {
    Some(match verb {
        "use" => &[("policy", "podsecuritypolicies"), ("extensions", "podsecuritypolicies")],
        "bind" | "escalate" => &[(GROUP, "roles"), (GROUP, "clusterroles")],
        "impersonate" => {
            &[("", "users"), ("", "serviceaccounts"), ("", "groups"), ("authentication.k8s.io", "userextras")]
        }
        _ => return None,
    })
}

/// Resources a v1.32 API server serves that kstate does not (plural, group, short names), so a
/// rule may name them as on a real cluster.
const OTHER_RESOURCES: &[(&str, &str, &[&str])] = &[
    ("bindings", "", &[]),
    ("componentstatuses", "", &["cs"]),
    ("limitranges", "", &["limits"]),
    ("podtemplates", "", &[]),
    ("replicationcontrollers", "", &["rc"]),
    ("resourcequotas", "", &["quota"]),
    ("serviceaccounts", "", &["sa"]),
    ("mutatingwebhookconfigurations", "admissionregistration.k8s.io", &[]),
    ("validatingadmissionpolicies", "admissionregistration.k8s.io", &[]),
    ("validatingadmissionpolicybindings", "admissionregistration.k8s.io", &[]),
    ("validatingwebhookconfigurations", "admissionregistration.k8s.io", &[]),
    ("apiservices", "apiregistration.k8s.io", &[]),
    ("selfsubjectreviews", "authentication.k8s.io", &[]),
    ("tokenreviews", "authentication.k8s.io", &[]),
    ("localsubjectaccessreviews", "authorization.k8s.io", &[]),
    ("selfsubjectaccessreviews", "authorization.k8s.io", &[]),
    ("selfsubjectrulesreviews", "authorization.k8s.io", &[]),
    ("subjectaccessreviews", "authorization.k8s.io", &[]),
    ("certificatesigningrequests", "certificates.k8s.io", &["csr"]),
    ("flowschemas", "flowcontrol.apiserver.k8s.io", &[]),
    ("prioritylevelconfigurations", "flowcontrol.apiserver.k8s.io", &[]),
    ("ingressclasses", "networking.k8s.io", &[]),
    ("ingresses", "networking.k8s.io", &["ing"]),
    ("networkpolicies", "networking.k8s.io", &["netpol"]),
    ("runtimeclasses", "node.k8s.io", &[]),
    ("csistoragecapacities", "storage.k8s.io", &[]),
];

/// One `--resource`: `resource.group/subresource`.
#[derive(Clone, Debug, PartialEq)]
struct ResourceArg {
    group: String,
    resource: String,
    sub: String,
}

/// `Complete`'s parsing: a bare `*` stands for every resource and ends the list.
fn parse_resources(args: &[String]) -> Vec<ResourceArg> {
    let mut out = Vec::new();
    for arg in args {
        let (main, sub) = match arg.split_once('/') {
            Some((m, s)) => (m, s.to_string()),
            None => (arg.as_str(), String::new()),
        };
        let (resource, group) = match main.split_once('.') {
            Some((r, g)) => (r.to_string(), g.to_string()),
            None => (main.to_string(), String::new()),
        };
        let r = ResourceArg { group, resource, sub };
        if arg == "*" {
            return vec![r];
        }
        out.push(r);
    }
    out
}

/// The REST mapper's `ResourceFor`: the served (group, plural) a typed resource means.
fn resource_for(r: &ResourceArg) -> Option<(String, String)> {
    let typed = r.resource.to_ascii_lowercase();
    let full = if r.group.is_empty() { typed.clone() } else { format!("{typed}.{}", r.group) };
    if let Some(k) = kinds::lookup(&full) {
        return Some((k.group.to_string(), k.plural.to_string()));
    }
    OTHER_RESOURCES
        .iter()
        .find(|(plural, group, short)| {
            (r.group.is_empty() || r.group == *group)
                && (*plural == typed
                    || plural.strip_suffix('s') == Some(typed.as_str())
                    || short.contains(&typed.as_str()))
        })
        .map(|(plural, group, _)| (group.to_string(), plural.to_string()))
}

/// The mapper's error for a resource discovery does not know, which kubectl prints bare.
fn no_match(r: &ResourceArg) -> Error {
    let group = if r.group.is_empty() { String::new() } else { format!(" in group \"{}\"", r.group) };
    Error::Raw(format!("the server doesn't have a resource type \"{}\"{group}", r.resource))
}

/// Order-keeping de-duplication; a `*` verb stands for all.
fn dedupe(items: &[String], star: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in items {
        if star && v == "*" {
            return vec!["*".to_string()];
        }
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}

/// `validateResource`.
fn validate_resources(resources: &[ResourceArg], verbs: &[String]) -> Result<()> {
    for r in resources {
        if r.resource.is_empty() {
            return Err(Error::cli("resource must be specified if apiGroup/subresource specified"));
        }
        if r.resource == "*" {
            return Ok(());
        }
        let found = resource_for(r);
        let (group, resource) = found.clone().unwrap_or_else(|| (r.group.clone(), r.resource.clone()));
        // A special verb on its own resource is fine even where discovery fails (`users`).
        let mut special = false;
        for v in verbs {
            if let Some(allowed) = special_verb(v) {
                if !allowed.iter().any(|(g, res)| *g == group && *res == resource) {
                    return Err(Error::cli(format!("can not perform '{v}' on '{resource}' in group '{group}'")));
                }
                special = true;
            }
        }
        if found.is_none() && !special {
            return Err(no_match(r));
        }
    }
    Ok(())
}

/// `generateResourcePolicyRules`: one rule per API group (groups sorted), then one for the
/// non-resource URLs.
fn rules(verbs: &[String], resources: &[ResourceArg], names: &[String], urls: &[String]) -> Vec<Value> {
    let mut by_group: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in resources {
        let (group, mut resource) = resource_for(r).unwrap_or_else(|| (r.group.clone(), r.resource.clone()));
        if !r.sub.is_empty() {
            resource = format!("{resource}/{}", r.sub);
        }
        let list = by_group.entry(group).or_default();
        if !list.contains(&resource) {
            list.push(resource);
        }
    }
    let mut out: Vec<Value> = by_group
        .into_iter()
        .map(|(group, resources)| {
            let mut rule = json!({"verbs": verbs, "apiGroups": [group], "resources": resources});
            if !names.is_empty() {
                rule["resourceNames"] = json!(names);
            }
            rule
        })
        .collect();
    if !urls.is_empty() {
        out.push(json!({"verbs": verbs, "nonResourceURLs": urls}));
    }
    out
}

/// `create role` and `create clusterrole`.
pub struct RoleRequest {
    pub cluster: bool,
    pub name: String,
    pub verbs: Vec<String>,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
    pub non_resource_urls: Vec<String>,
    /// `--aggregation-rule` (cluster roles): `key=value` pairs, comma-separated or repeated.
    pub aggregation_rule: Vec<String>,
}

/// `--aggregation-rule`'s `mapStringString` flag value.
fn aggregation_labels(values: &[String]) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    for value in values {
        for pair in value.split(',') {
            let Some((k, v)) = pair.split_once('=') else {
                return Err(Error::Raw(format!(
                    "error: invalid argument \"{value}\" for \"--aggregation-rule\" flag: {pair} must be formatted as key=value"
                )));
            };
            out.insert(k.trim().to_string(), json!(v.trim()));
        }
    }
    Ok(out)
}

fn warn_verbs(ctx: &mut Context, verbs: &[String]) -> Result<()> {
    for v in verbs.iter().filter(|v| !RESOURCE_VERBS.contains(&v.as_str())) {
        ctx.err.write_all(format!("Warning: '{v}' is not a standard resource verb\n").as_bytes()).map_err(super::io)?;
    }
    Ok(())
}

/// `Validate` of `create role` / `create clusterrole`, then the object kubectl builds.
fn role_object(ctx: &mut Context, req: &RoleRequest) -> Result<Value> {
    let verbs = dedupe(&req.verbs, true);
    let resources = parse_resources(&req.resources);
    let names = dedupe(&req.resource_names, false);
    let urls = dedupe(&req.non_resource_urls, false);
    let aggregation = aggregation_labels(&req.aggregation_rule)?;
    let kind = if req.cluster { "ClusterRole" } else { "Role" };
    let mut obj = json!({"apiVersion": format!("{GROUP}/v1"), "kind": kind,
                         "metadata": {"creationTimestamp": null, "name": req.name}});
    if req.cluster && !aggregation.is_empty() {
        if !urls.is_empty() || !verbs.is_empty() || !resources.is_empty() || !names.is_empty() {
            return Err(Error::cli(
                "aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames",
            ));
        }
        obj["aggregationRule"] = json!({"clusterRoleSelectors": [{"matchLabels": aggregation}]});
        obj["rules"] = Value::Null;
        return Ok(obj);
    }
    if verbs.is_empty() {
        return Err(Error::cli("at least one verb must be specified"));
    }
    if req.cluster {
        if resources.is_empty() && urls.is_empty() {
            return Err(Error::cli("one of resource or nonResourceURL must be specified"));
        }
        if !resources.is_empty() {
            warn_verbs(ctx, &verbs)?;
            validate_resources(&resources, &verbs)?;
        }
        validate_urls(&urls, &verbs)?;
    } else {
        warn_verbs(ctx, &verbs)?;
        if resources.is_empty() {
            return Err(Error::cli("at least one resource must be specified"));
        }
        validate_resources(&resources, &verbs)?;
    }
    obj["rules"] = Value::Array(rules(&verbs, &resources, &names, &urls));
    Ok(obj)
}

/// The non-resource URL checks of `create clusterrole`.
fn validate_urls(urls: &[String], verbs: &[String]) -> Result<()> {
    if urls.is_empty() {
        return Ok(());
    }
    if let Some(v) = verbs.iter().find(|v| !NON_RESOURCE_VERBS.contains(&v.as_str())) {
        return Err(Error::cli(format!("invalid verb: '{v}' for nonResourceURL")));
    }
    for url in urls.iter().filter(|u| u.as_str() != "*") {
        if !url.starts_with('/') {
            return Err(Error::cli("nonResourceURL should start with /"));
        }
        // Everything but the last character (which may be any character).
        if url.strip_suffix(|_: char| true).unwrap_or_default().contains('*') {
            return Err(Error::cli("nonResourceURL only supports wildcard matches when '*' is at the end"));
        }
    }
    Ok(())
}

pub fn role(
    ctx: &mut Context,
    req: RoleRequest,
    dry_run: DryRun,
    output: Option<OutputFormat>,
    save_config: bool,
) -> Result<()> {
    let obj = role_object(ctx, &req)?;
    create_generated(ctx, obj, dry_run, output.as_ref(), save_config)
}

/// `create rolebinding` and `create clusterrolebinding`.
pub struct BindingRequest {
    pub cluster: bool,
    pub name: String,
    pub role: Option<String>,
    pub cluster_role: Option<String>,
    pub users: Vec<String>,
    pub groups: Vec<String>,
    pub service_accounts: Vec<String>,
}

fn binding_object(req: &BindingRequest) -> Result<Value> {
    let cluster_role = req.cluster_role.clone().unwrap_or_default();
    let role = req.role.clone().unwrap_or_default();
    if !req.cluster && cluster_role.is_empty() == role.is_empty() {
        return Err(Error::cli("exactly one of clusterrole or role must be specified"));
    }
    let (kind, role_kind, role_name) = match (req.cluster, role.is_empty()) {
        (true, _) => ("ClusterRoleBinding", "ClusterRole", cluster_role),
        (false, false) => ("RoleBinding", "Role", role),
        (false, true) => ("RoleBinding", "ClusterRole", cluster_role),
    };
    let mut subjects: Vec<Value> = Vec::new();
    for user in &req.users {
        subjects.push(json!({"kind": "User", "apiGroup": GROUP, "name": user}));
    }
    for group in &req.groups {
        subjects.push(json!({"kind": "Group", "apiGroup": GROUP, "name": group}));
    }
    for sa in &req.service_accounts {
        match sa.split(':').collect::<Vec<_>>()[..] {
            [ns, name] if !ns.is_empty() && !name.is_empty() => {
                subjects.push(json!({"kind": "ServiceAccount", "name": name, "namespace": ns}));
            }
            _ => return Err(Error::cli("serviceaccount must be <namespace>:<name>")),
        }
    }
    let mut obj = json!({
        "apiVersion": format!("{GROUP}/v1"), "kind": kind,
        "metadata": {"creationTimestamp": null, "name": req.name},
        "roleRef": {"apiGroup": GROUP, "kind": role_kind, "name": role_name},
    });
    if !subjects.is_empty() {
        obj["subjects"] = Value::Array(subjects);
    }
    Ok(obj)
}

pub fn binding(
    ctx: &mut Context,
    req: BindingRequest,
    dry_run: DryRun,
    output: Option<OutputFormat>,
    save_config: bool,
) -> Result<()> {
    let obj = binding_object(&req)?;
    let what = if req.cluster { "clusterrolebinding" } else { "rolebinding" };
    // kubectl wraps the server's refusal: `failed to create rolebinding: <message>`.
    create_generated(ctx, obj, dry_run, output.as_ref(), save_config).map_err(|e| match e {
        Error::Invalid { .. } | Error::AlreadyExists { .. } | Error::NotFound { .. } | Error::Forbidden(_) => {
            Error::cli(format!("failed to create {what}: {}", e.server_message()))
        }
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn resources_resolve_through_discovery_and_group_into_rules() {
        let resources = parse_resources(&strings(&["pods", "rs.apps", "deployments/scale", "pods/status", "sa"]));
        let got = rules(&strings(&["get"]), &resources, &[], &[]);
        assert_eq!(
            got,
            vec![
                json!({"verbs": ["get"], "apiGroups": [""], "resources": ["pods", "pods/status", "serviceaccounts"]}),
                json!({"verbs": ["get"], "apiGroups": ["apps"], "resources": ["replicasets", "deployments/scale"]}),
            ]
        );
    }

    #[test]
    fn special_verbs_and_unknown_resources_are_refused() {
        let verbs = strings(&["use"]);
        let err = validate_resources(&parse_resources(&strings(&["pods"])), &verbs).unwrap_err();
        assert_eq!(err.to_string(), "error: can not perform 'use' on 'pods' in group ''");
        let err = validate_resources(&parse_resources(&strings(&["foo.bar"])), &strings(&["get"])).unwrap_err();
        assert_eq!(err.to_string(), "the server doesn't have a resource type \"foo\" in group \"bar\"");
        assert!(validate_resources(&parse_resources(&strings(&["*"])), &verbs).is_ok());
    }
}
