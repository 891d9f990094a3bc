//! `kubectl get` columns of the kinds that govern access, as pkg/printers/internalversion prints
//! them: the RBAC kinds (roles show when they were created, bindings the role they bind and, with
//! `-o wide`, their subjects) and the networking kinds (NetworkPolicy, Ingress, IngressClass).

use serde_json::Value;

use crate::api::ObjectExt;
use crate::clock::Instant;
use crate::print::age::age;

/// The columns of `kind` and whether only `-o wide` shows them. NAME comes first.
pub fn columns(kind: &str) -> Option<&'static [(&'static str, bool)]> {
    Some(match kind {
        "Role" | "ClusterRole" => &[("NAME", false), ("CREATED AT", false)],
        "RoleBinding" | "ClusterRoleBinding" => &[
            ("NAME", false),
            ("ROLE", false),
            ("AGE", false),
            ("USERS", true),
            ("GROUPS", true),
            ("SERVICEACCOUNTS", true),
        ],
        "NetworkPolicy" => &[("NAME", false), ("POD-SELECTOR", false), ("AGE", false)],
        "Ingress" => {
            &[("NAME", false), ("CLASS", false), ("HOSTS", false), ("ADDRESS", false), ("PORTS", false), ("AGE", false)]
        }
        "IngressClass" => &[("NAME", false), ("CONTROLLER", false), ("PARAMETERS", false), ("AGE", false)],
        _ => return None,
    })
}

/// Every cell of one row of `kind`.
pub fn cells(kind: &str, obj: &Value, now: Instant) -> Option<Vec<String>> {
    let name = obj.name().to_string();
    Some(match kind {
        // `CreationTimestamp.UTC().Format(time.RFC3339)`, which the stored timestamp already is.
        "Role" | "ClusterRole" => vec![name, obj.str_at("metadata.creationTimestamp").to_string()],
        "RoleBinding" | "ClusterRoleBinding" => {
            let role = format!("{}/{}", obj.str_at("roleRef.kind"), obj.str_at("roleRef.name"));
            let [users, groups, accounts] = subjects(obj);
            vec![name, role, age(now, obj.created()), users, groups, accounts]
        }
        "NetworkPolicy" => {
            vec![name, super::workload_table::label_selector(obj.at("spec.podSelector")), age(now, obj.created())]
        }
        "Ingress" => {
            let class = obj.at("spec.ingressClassName").and_then(Value::as_str).unwrap_or("<none>").to_string();
            let ports = if obj.array_at("spec.tls").is_empty() { "80" } else { "80, 443" };
            vec![name, class, hosts(obj), address(obj, false), ports.to_string(), age(now, obj.created())]
        }
        "IngressClass" => {
            let parameters = match obj.at("spec.parameters").filter(|p| p.is_object()) {
                None => "<none>".to_string(),
                Some(p) => {
                    let group = p.at("apiGroup").and_then(Value::as_str).map(|g| format!(".{g}")).unwrap_or_default();
                    format!("{}{group}/{}", p.str_at("kind"), p.str_at("name"))
                }
            };
            vec![name, obj.str_at("spec.controller").to_string(), parameters, age(now, obj.created())]
        }
        _ => return None,
    })
}

/// `formatHosts`: up to three rule hosts, `*` when none, `+ N more...` counting rules.
fn hosts(obj: &Value) -> String {
    let rules = obj.array_at("spec.rules");
    let mut list: Vec<&str> = Vec::new();
    let mut more = false;
    for rule in rules {
        if list.len() == 3 {
            more = true;
        }
        let host = rule.str_at("host");
        if !more && !host.is_empty() {
            list.push(host);
        }
    }
    if list.is_empty() {
        return "*".to_string();
    }
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", rules.len() - 3)
    } else {
        joined
    }
}

/// `ingressLoadBalancerStatusStringer`: the load balancer's IPs and host names, sorted; cut to
/// 16 bytes unless wide. (kstate runs no ingress controller, so it is usually empty.)
pub fn address(obj: &Value, wide: bool) -> String {
    let mut set: Vec<String> = Vec::new();
    for entry in obj.array_at("status.loadBalancer.ingress") {
        for f in ["ip", "hostname"] {
            let v = entry.str_at(f);
            if !v.is_empty() && !set.iter().any(|s| s == v) {
                set.push(v.to_string());
            }
        }
    }
    set.sort();
    let r = set.join(",");
    if !wide && r.len() > 16 {
        format!("{}...", r.get(..13).unwrap_or(&r))
    } else {
        r
    }
}

/// `rbac.SubjectsStrings`, each list joined with ", ": users, groups, `namespace/name` of the
/// service accounts.
fn subjects(obj: &Value) -> [String; 3] {
    let (mut users, mut groups, mut accounts) = (Vec::new(), Vec::new(), Vec::new());
    for s in obj.array_at("subjects") {
        match s.str_at("kind") {
            "ServiceAccount" => accounts.push(format!("{}/{}", s.str_at("namespace"), s.str_at("name"))),
            "User" => users.push(s.str_at("name").to_string()),
            "Group" => groups.push(s.str_at("name").to_string()),
            _ => {}
        }
    }
    [users.join(", "), groups.join(", "), accounts.join(", ")]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bindings_show_their_role_and_subjects() {
        let b = json!({"metadata": {"name": "read"}, "roleRef": {"kind": "ClusterRole", "name": "view"},
            "subjects": [{"kind": "User", "name": "jane"}, {"kind": "ServiceAccount", "name": "sa", "namespace": "ns"},
                         {"kind": "User", "name": "joe"}]});
        let row = cells("RoleBinding", &b, 0).expect("row");
        assert_eq!(row[1], "ClusterRole/view");
        assert_eq!(row[3..], ["jane, joe", "", "ns/sa"]);
        assert_eq!(row.len(), columns("RoleBinding").map_or(0, <[_]>::len));
    }
}
