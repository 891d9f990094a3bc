//! The RBAC authorizer's decision (plugin/pkg/auth/authorizer/rbac): which bindings apply to a
//! user and whether one of their roles' rules allows a request. No I/O: the caller gathers the
//! bindings and roles.

use serde_json::Value;

use super::object::ObjectExt;

/// Who asks: a user name and the groups the authenticator gives it.
pub struct User {
    pub name: String,
    pub groups: Vec<String>,
}

impl User {
    /// A user named by `--as`: a service account (`system:serviceaccount:NS:NAME`) is in
    /// `system:serviceaccounts` and `system:serviceaccounts:NS`; everyone is authenticated.
    pub fn named(name: &str) -> User {
        let mut groups = Vec::new();
        if let Some(rest) = name.strip_prefix("system:serviceaccount:") {
            if let Some((ns, _)) = rest.split_once(':') {
                groups.push("system:serviceaccounts".to_string());
                groups.push(format!("system:serviceaccounts:{ns}"));
            }
        }
        groups.push("system:authenticated".to_string());
        User { name: name.to_string(), groups }
    }

    /// `appliesToUser`: does a binding's subject name this user (a service account subject in
    /// the binding's own namespace when it names none)?
    fn is(&self, subject: &Value, binding_namespace: &str) -> bool {
        let name = subject.str_at("name");
        match subject.str_at("kind") {
            "User" => self.name == name,
            "Group" => self.groups.iter().any(|g| g == name),
            "ServiceAccount" => {
                let ns = match subject.str_at("namespace") {
                    "" => binding_namespace,
                    ns => ns,
                };
                self.name == format!("system:serviceaccount:{ns}:{name}")
            }
            _ => false,
        }
    }

    /// Whether `binding` (a RoleBinding or ClusterRoleBinding) binds this user.
    pub fn bound_by(&self, binding: &Value) -> bool {
        binding.array_at("subjects").iter().any(|s| self.is(s, binding.namespace()))
    }
}

/// A request for a resource (`group`, `resource`, `subresource`, `name`) or a non-resource URL.
pub enum Request<'a> {
    Resource { verb: &'a str, group: &'a str, resource: &'a str, subresource: &'a str, name: &'a str },
    Url { verb: &'a str, path: &'a str },
}

fn strings(rule: &Value, field: &str) -> Vec<String> {
    rule.array_at(field).iter().filter_map(Value::as_str).map(str::to_string).collect()
}

fn has(list: &[String], item: &str) -> bool {
    list.iter().any(|v| v == "*" || v == item)
}

/// `RuleAllows`.
pub fn rule_allows(rule: &Value, req: &Request) -> bool {
    match req {
        Request::Resource { verb, group, resource, subresource, name } => {
            let combined =
                if subresource.is_empty() { resource.to_string() } else { format!("{resource}/{subresource}") };
            let resources = strings(rule, "resources");
            let resource_ok = resources.iter().any(|r| {
                r == "*" || *r == combined || (!subresource.is_empty() && r.strip_prefix("*/") == Some(subresource))
            });
            let names = strings(rule, "resourceNames");
            has(&strings(rule, "verbs"), verb)
                && has(&strings(rule, "apiGroups"), group)
                && resource_ok
                && (names.is_empty() || names.iter().any(|n| n == name))
        }
        Request::Url { verb, path } => {
            has(&strings(rule, "verbs"), verb)
                && strings(rule, "nonResourceURLs").iter().any(|u| {
                    u == "*" || u == path || u.strip_suffix('*').is_some_and(|prefix| path.starts_with(prefix))
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn rules_match_verbs_groups_resources_names_and_urls() {
        let rule = json!({"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods", "*/log"], "resourceNames": ["a"]});
        let get =
            |resource, subresource, name| Request::Resource { verb: "get", group: "", resource, subresource, name };
        assert!(rule_allows(&rule, &get("pods", "", "a")));
        assert!(!rule_allows(&rule, &get("pods", "", "b")));
        assert!(rule_allows(&rule, &get("pods", "log", "a")));
        assert!(!rule_allows(&rule, &get("secrets", "", "a")));
        let urls = json!({"verbs": ["get"], "nonResourceURLs": ["/healthz", "/logs/*"]});
        assert!(rule_allows(&urls, &Request::Url { verb: "get", path: "/logs/kubelet" }));
        assert!(!rule_allows(&urls, &Request::Url { verb: "post", path: "/healthz" }));
        let sa = User::named("system:serviceaccount:dev:app");
        assert!(sa.bound_by(
            &json!({"metadata": {"namespace": "dev"}, "subjects": [{"kind": "ServiceAccount", "name": "app"}]})
        ));
        assert!(sa.bound_by(&json!({"subjects": [{"kind": "Group", "name": "system:serviceaccounts:dev"}]})));
        assert!(!sa.bound_by(&json!({"subjects": [{"kind": "User", "name": "app"}]})));
    }
}
