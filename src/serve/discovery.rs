//! Discovery: `/api`, `/apis` (aggregated `apidiscovery.k8s.io/v2`, or the legacy lists when the
//! client does not ask for it) and `/api/v1`, `/apis/G/V`, all from kstate's kind table.

use serde_json::{json, Value};

use super::http::{Request, Response};
use crate::api::custom;
use crate::api::kinds::{self, Kind};

const AGGREGATED: &str = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const VERBS: [&str; 8] = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

/// The kinds in kubectl's `all` category.
fn in_all(kind: &Kind) -> bool {
    crate::cmd::get::ALL_CATEGORY.contains(&kind.resource().as_str())
}

/// The categories discovery lists for `kind`: `all` for the built-in workloads, a custom
/// resource's own.
fn categories(kind: &Kind) -> Vec<String> {
    match custom::definition(kind.kind) {
        Some(def) => def.categories.clone(),
        None if in_all(kind) => vec!["all".to_string()],
        None => Vec::new(),
    }
}

/// A subresource: its name, response kind (group, version, kind) and verbs.
pub type Subresource = (&'static str, (&'static str, &'static str, &'static str), &'static [&'static str]);

/// Subresources served for `kind`.
pub fn subresources(kind: &Kind) -> Vec<Subresource> {
    let own = (kind.group, kind.version, kind.kind);
    let mut out = Vec::new();
    // The RBAC kinds, NetworkPolicy and IngressClass have no status.
    let statusless = matches!(
        kind.kind,
        "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" | "NetworkPolicy" | "IngressClass"
    );
    if (!custom::is_custom(kind.kind) && !statusless) || custom::has_status(kind.kind) {
        out.push(("status", own, &["get", "patch", "update"][..]));
    }
    if crate::api::subresource::has_scale(kind) {
        out.push(("scale", ("autoscaling", "v1", "Scale"), &["get", "patch", "update"][..]));
    }
    if kind.kind == "Pod" {
        out.push(("attach", ("", "v1", "PodAttachOptions"), &["create", "get"][..]));
        out.push(("exec", ("", "v1", "PodExecOptions"), &["create", "get"][..]));
        out.push(("log", ("", "v1", "Pod"), &["get"][..]));
        out.push(("eviction", ("policy", "v1", "Eviction"), &["create"][..]));
        out.push(("ephemeralcontainers", own, &["get", "patch", "update"][..]));
    }
    if kind.kind == "ServiceAccount" {
        out.push(("token", ("authentication.k8s.io", "v1", "TokenRequest"), &["create"][..]));
    }
    out
}

/// The groups served with their versions, the preferred one first, in discovery order (the
/// core group first, custom resources' groups last).
fn groups() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut out: Vec<(&str, Vec<&str>)> = Vec::new();
    for k in kinds::served() {
        match out.iter_mut().find(|(g, _)| *g == k.group) {
            Some((_, versions)) if !versions.contains(&k.version) => versions.push(k.version),
            Some(_) => {}
            None => out.push((k.group, vec![k.version])),
        }
    }
    out
}

fn kinds_of(group: &str, version: &str) -> Vec<&'static Kind> {
    kinds::served().into_iter().filter(|k| k.group == group && k.version == version).collect()
}

fn aggregated_resource(k: &Kind) -> Value {
    let subs: Vec<Value> = subresources(k)
        .into_iter()
        .map(|(name, (g, v, kind), verbs)| {
            json!({"subresource": name, "responseKind": {"group": g, "version": v, "kind": kind}, "verbs": verbs})
        })
        .collect();
    let mut r = json!({
        "resource": k.plural,
        "responseKind": {"group": k.group, "version": k.version, "kind": k.kind},
        "scope": if k.namespaced { "Namespaced" } else { "Cluster" },
        "singularResource": k.singular,
        "verbs": VERBS,
        "subresources": subs,
    });
    if !k.short.is_empty() {
        r["shortNames"] = json!(k.short);
    }
    let categories = categories(k);
    if !categories.is_empty() {
        r["categories"] = json!(categories);
    }
    r
}

fn aggregated(core: bool) -> Value {
    let items: Vec<Value> = groups()
        .into_iter()
        .filter(|(g, _)| g.is_empty() == core)
        .map(|(g, versions)| {
            let versions: Vec<Value> = versions
                .iter()
                .map(|v| {
                    let resources: Vec<Value> = kinds_of(g, v).into_iter().map(aggregated_resource).collect();
                    json!({"version": v, "resources": resources, "freshness": "Current"})
                })
                .collect();
            json!({"metadata": {"name": g, "creationTimestamp": null}, "versions": versions})
        })
        .collect();
    json!({"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {}, "items": items})
}

fn wants_aggregated(req: &Request) -> bool {
    req.header("accept").is_some_and(|a| a.contains("g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"))
}

fn aggregated_response(core: bool) -> Response {
    Response::new(200, AGGREGATED, super::http::json_line(&aggregated(core))).with_header("Vary", "Accept")
}

/// `GET /api`.
pub fn core_groups(req: &Request, address: &str) -> Response {
    if wants_aggregated(req) {
        return aggregated_response(true);
    }
    Response::json(
        200,
        &json!({"kind": "APIVersions", "versions": ["v1"],
                "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": address}]}),
    )
}

/// `GET /apis`.
pub fn groups_list(req: &Request) -> Response {
    if wants_aggregated(req) {
        return aggregated_response(false);
    }
    let list: Vec<Value> = groups()
        .into_iter()
        .filter(|(g, _)| !g.is_empty())
        .map(|(g, versions)| {
            let gvs: Vec<Value> =
                versions.iter().map(|v| json!({"groupVersion": format!("{g}/{v}"), "version": v})).collect();
            json!({"name": g, "versions": gvs, "preferredVersion": gvs[0]})
        })
        .collect();
    Response::json(200, &json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": list}))
}

/// `GET /api/v1` or `/apis/G/V`: `None` when the group version is not served.
pub fn resource_list(group: &str, version: &str) -> Option<Response> {
    let mut resources = Vec::new();
    for k in kinds_of(group, version) {
        let mut r = json!({"name": k.plural, "singularName": k.singular, "namespaced": k.namespaced,
                           "kind": k.kind, "verbs": VERBS});
        if !k.short.is_empty() {
            r["shortNames"] = json!(k.short);
        }
        let categories = categories(k);
        if !categories.is_empty() {
            r["categories"] = json!(categories);
        }
        resources.push(r);
        for (name, (g, v, kind), verbs) in subresources(k) {
            let mut s = json!({"name": format!("{}/{name}", k.plural), "singularName": "",
                               "namespaced": k.namespaced, "kind": kind, "verbs": verbs});
            if (g, v) != (k.group, k.version) {
                s["group"] = json!(g);
                s["version"] = json!(v);
            }
            resources.push(s);
        }
    }
    if resources.is_empty() {
        return None;
    }
    let gv = if group.is_empty() { version.to_string() } else { format!("{group}/{version}") };
    Some(Response::json(
        200,
        &json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources}),
    ))
}

/// `GET /version`, as a v1.32 server reports itself.
pub fn version() -> Response {
    let v = crate::cmd::version::SERVER_VERSION;
    Response::json(
        200,
        &json!({"major": "1", "minor": "32", "gitVersion": v, "gitCommit": "kstate", "gitTreeState": "clean",
                "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.23.8", "compiler": "gc",
                "platform": "linux/amd64"}),
    )
}
