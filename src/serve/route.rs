//! URL paths to what they address: discovery documents, OpenAPI, or a resource (collection,
//! object or subresource) of a served kind.

use crate::api::kinds::{self, Kind};

/// What a request path names.
#[derive(Debug, PartialEq)]
pub enum Route {
    Version,
    /// `/healthz`, `/livez`, `/readyz`.
    Health,
    /// `/api`, `/apis`: the group lists (aggregated or legacy).
    CoreGroups,
    Groups,
    /// `/api/v1`, `/apis/G/V`: one group version's resource list.
    GroupVersion {
        group: String,
        version: String,
    },
    OpenApiIndex,
    /// `/openapi/v3/api/v1`, `/openapi/v3/apis/G/V`.
    OpenApiDoc {
        group: String,
        version: String,
    },
    Resource(Target),
    /// `/`: the browser page.
    Page,
    Unknown,
}

/// A resource path: the kind, its namespace (None: all namespaces or cluster-scoped), the name
/// and the subresource.
#[derive(Debug, PartialEq)]
pub struct Target {
    pub kind: &'static Kind,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub subresource: Option<String>,
}

pub fn parse(path: &str) -> Route {
    let segs: Vec<&str> = path.trim_end_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    match segs.as_slice() {
        [] => Route::Page,
        ["version"] => Route::Version,
        ["healthz" | "livez" | "readyz"] => Route::Health,
        ["api"] => Route::CoreGroups,
        ["apis"] => Route::Groups,
        ["openapi", "v3"] => Route::OpenApiIndex,
        ["openapi", "v3", "api", v] => Route::OpenApiDoc { group: String::new(), version: v.to_string() },
        ["openapi", "v3", "apis", g, v] => Route::OpenApiDoc { group: g.to_string(), version: v.to_string() },
        ["api", v] => Route::GroupVersion { group: String::new(), version: v.to_string() },
        ["apis", g, v] => Route::GroupVersion { group: g.to_string(), version: v.to_string() },
        ["api", v, rest @ ..] => resource("", v, rest),
        ["apis", g, v, rest @ ..] => resource(g, v, rest),
        _ => Route::Unknown,
    }
}

/// The served kind of `plural` in group version `group/version` (autoscaling/v1
/// HorizontalPodAutoscalers too, which are converted to and from the stored v2).
pub fn kind_for(group: &str, version: &str, plural: &str) -> Option<&'static Kind> {
    let v1 = &crate::api::hpa_v1::KIND;
    kinds::all()
        .into_iter()
        .find(|k| k.group == group && k.version == version && k.plural == plural)
        .or_else(|| (group == v1.group && version == v1.version && plural == v1.plural).then_some(v1))
}

fn resource(group: &str, version: &str, rest: &[&str]) -> Route {
    let target = |plural: &str, namespace: Option<&str>, name: Option<&str>, sub: Option<&str>| {
        let kind = kind_for(group, version, plural)?;
        if namespace.is_some() && !kind.namespaced {
            return None;
        }
        // A namespaced kind is reached by name only inside its namespace.
        if namespace.is_none() && name.is_some() && kind.namespaced {
            return None;
        }
        Some(Route::Resource(Target {
            kind,
            namespace: namespace.map(String::from),
            name: name.map(String::from),
            subresource: sub.map(String::from),
        }))
    };
    let namespaced_list = |plural: &str| kind_for(group, version, plural).is_some_and(|k| k.namespaced);
    let route = match rest {
        [plural] => target(plural, None, None, None),
        ["namespaces", ns, plural] if namespaced_list(plural) => target(plural, Some(ns), None, None),
        ["namespaces", ns, plural, name] => target(plural, Some(ns), Some(name), None),
        ["namespaces", ns, plural, name, sub] => target(plural, Some(ns), Some(name), Some(sub)),
        [plural, name] => target(plural, None, Some(name), None),
        [plural, name, sub] => target(plural, None, Some(name), Some(sub)),
        _ => None,
    };
    route.unwrap_or(Route::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(path: &str) -> Target {
        match parse(path) {
            Route::Resource(t) => t,
            other => panic!("{path}: {other:?}"),
        }
    }

    #[test]
    fn resource_paths() {
        let t = target("/apis/apps/v1/namespaces/default/statefulsets/web/scale");
        assert_eq!(
            (t.kind.kind, t.namespace.as_deref(), t.name.as_deref()),
            ("StatefulSet", Some("default"), Some("web"))
        );
        assert_eq!(t.subresource.as_deref(), Some("scale"));
        let t = target("/api/v1/namespaces/kube-system");
        assert_eq!((t.kind.kind, t.name.as_deref()), ("Namespace", Some("kube-system")));
        let t = target("/api/v1/namespaces/default/pods");
        assert_eq!((t.kind.kind, t.name), ("Pod", None));
        let t = target("/api/v1/namespaces/default/status");
        assert_eq!((t.kind.kind, t.subresource.as_deref()), ("Namespace", Some("status")));
        assert_eq!(target("/api/v1/pods").namespace, None);
    }

    #[test]
    fn unknown_paths() {
        for p in ["/api/v1/pods/x", "/apis/apps/v2/statefulsets", "/api/v1/namespaces/a/nodes/b", "/nope"] {
            assert_eq!(parse(p), Route::Unknown, "{p}");
        }
    }
}
