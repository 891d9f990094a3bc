//! The matching rules the filters share: taints and tolerations, node selector terms, and pod
//! affinity terms (label selector plus namespaces).

use serde_json::Value;

use crate::api::object::Labels;
use crate::api::selector::Selector;
use crate::api::ObjectExt;

/// Does `toleration` tolerate `taint` (`v1.Toleration.ToleratesTaint`)?
pub fn tolerates(toleration: &Value, taint: &Value) -> bool {
    let effect = toleration.str_at("effect");
    if !effect.is_empty() && effect != taint.str_at("effect") {
        return false;
    }
    let key = toleration.str_at("key");
    if !key.is_empty() && key != taint.str_at("key") {
        return false;
    }
    match toleration.str_at("operator") {
        "Exists" => true,
        "" | "Equal" => !key.is_empty() && toleration.str_at("value") == taint.str_at("value"),
        _ => false,
    }
}

pub fn tolerated(tolerations: &[Value], taint: &Value) -> bool {
    tolerations.iter().any(|t| tolerates(t, taint))
}

/// The first NoSchedule or NoExecute taint of the node the pod does not tolerate.
pub fn untolerated_taint<'a>(taints: &'a [Value], tolerations: &[Value]) -> Option<&'a Value> {
    taints
        .iter()
        .filter(|t| matches!(t.str_at("effect"), "NoSchedule" | "NoExecute"))
        .find(|t| !tolerated(tolerations, t))
}

/// `{key: value}` as the TaintToleration reason prints a taint.
pub fn taint_text(taint: &Value) -> String {
    format!("{{{}: {}}}", taint.str_at("key"), taint.str_at("value"))
}

/// One `matchExpressions` requirement on a node's labels (or `matchFields` on its name).
#[derive(Debug, Clone)]
struct Requirement {
    key: String,
    operator: String,
    values: Vec<String>,
}

impl Requirement {
    fn of(expr: &Value) -> Requirement {
        Requirement {
            key: expr.str_at("key").to_string(),
            operator: expr.str_at("operator").to_string(),
            values: expr.array_at("values").iter().filter_map(Value::as_str).map(String::from).collect(),
        }
    }

    fn admits(&self, value: Option<&str>) -> bool {
        let number = |s: &str| s.parse::<i64>().ok();
        match self.operator.as_str() {
            "In" => value.is_some_and(|v| self.values.iter().any(|x| x == v)),
            "NotIn" => value.is_none_or(|v| !self.values.iter().any(|x| x == v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            "Gt" | "Lt" => {
                let (Some(have), Some(bound)) = (value.and_then(number), self.values.first().and_then(|v| number(v)))
                else {
                    return false;
                };
                if self.operator == "Gt" {
                    have > bound
                } else {
                    have < bound
                }
            }
            _ => false,
        }
    }
}

/// A node selector term (expressions AND fields), read from its JSON once and then matched
/// against every node a pod is tried on.
#[derive(Debug, Clone)]
pub struct SelectorTerm {
    exprs: Vec<Requirement>,
    fields: Vec<Requirement>,
}

impl SelectorTerm {
    pub fn of(term: &Value) -> SelectorTerm {
        SelectorTerm {
            exprs: term.array_at("matchExpressions").iter().map(Requirement::of).collect(),
            fields: term.array_at("matchFields").iter().map(Requirement::of).collect(),
        }
    }

    /// Does the term admit the node? An empty term matches nothing.
    pub fn matches(&self, name: &str, labels: &Labels) -> bool {
        if self.exprs.is_empty() && self.fields.is_empty() {
            return false;
        }
        self.exprs.iter().all(|e| e.admits(labels.get(&e.key).map(String::as_str)))
            && self.fields.iter().all(|f| f.admits((f.key == "metadata.name").then_some(name)))
    }
}

/// The terms of a node selector (`nodeSelectorTerms`).
pub fn selector_terms(terms: &[Value]) -> Vec<SelectorTerm> {
    terms.iter().map(SelectorTerm::of).collect()
}

/// A StorageClass's `allowedTopologies` as node selector terms: each `matchLabelExpressions`
/// entry asks for its key's label to be one of its values (`MatchTopologySelectorTerms`).
pub fn topology_terms(terms: &[Value]) -> Vec<SelectorTerm> {
    let term = |t: &Value| SelectorTerm {
        exprs: t
            .array_at("matchLabelExpressions")
            .iter()
            .map(|e| Requirement { operator: "In".to_string(), ..Requirement::of(e) })
            .collect(),
        fields: Vec::new(),
    };
    terms.iter().map(term).collect()
}

/// A node selector: any of its terms.
pub fn selector_matches(terms: &[SelectorTerm], name: &str, labels: &Labels) -> bool {
    terms.iter().any(|t| t.matches(name, labels))
}

/// The pod's `nodeSelector` and required node affinity (the NodeAffinity filter), read from the
/// pod once and then matched against every node.
pub struct NodeAffinity<'a> {
    selector: Option<&'a serde_json::Map<String, Value>>,
    /// The required terms, when the pod has a required node affinity at all.
    required: Option<Vec<SelectorTerm>>,
}

impl<'a> NodeAffinity<'a> {
    pub fn of(pod: &'a Value) -> NodeAffinity<'a> {
        let required = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution";
        NodeAffinity {
            selector: pod.get("spec").and_then(|s| s.get("nodeSelector")).and_then(Value::as_object),
            required: pod.at(required).map(|r| selector_terms(r.array_at("nodeSelectorTerms"))),
        }
    }

    pub fn matches(&self, name: &str, labels: &Labels) -> bool {
        let selector_ok =
            self.selector.is_none_or(|m| m.iter().all(|(k, v)| labels.get(k).map(String::as_str) == v.as_str()));
        selector_ok && self.required.as_ref().is_none_or(|terms| selector_matches(terms, name, labels))
    }
}

/// A pod (anti-)affinity term: which pods it selects and over which topology.
#[derive(Debug, Clone)]
pub struct PodTerm {
    pub selector: Selector,
    /// Namespaces the term looks in; empty means the owning pod's own namespace.
    pub namespaces: Vec<String>,
    /// `namespaceSelector: {}`: every namespace.
    pub all_namespaces: bool,
    pub owner_namespace: String,
    pub topology_key: String,
    pub weight: i64,
}

impl PodTerm {
    fn parse(term: &Value, owner_namespace: &str, weight: i64) -> Option<PodTerm> {
        let selector = match term.get("labelSelector") {
            Some(s) if !s.is_null() => Selector::from_label_selector(s).ok()?,
            // No selector selects no pods.
            _ => return None,
        };
        let namespaces = term.array_at("namespaces").iter().filter_map(Value::as_str).map(String::from).collect();
        let all_namespaces = term.get("namespaceSelector").and_then(Value::as_object).is_some_and(|m| m.is_empty());
        Some(PodTerm {
            selector,
            namespaces,
            all_namespaces,
            owner_namespace: owner_namespace.to_string(),
            topology_key: term.str_at("topologyKey").to_string(),
            weight,
        })
    }

    /// Does the term select a pod in `namespace` with `labels`?
    pub fn matches(&self, namespace: &str, labels: &Labels) -> bool {
        let ns_ok = self.all_namespaces
            || if self.namespaces.is_empty() {
                namespace == self.owner_namespace
            } else {
                self.namespaces.iter().any(|n| n == namespace)
            };
        ns_ok && self.selector.matches(labels)
    }
}

/// The pod's terms at `path` (`podAffinity` or `podAntiAffinity`): required, then preferred.
pub fn pod_terms(pod: &Value, kind: &str) -> (Vec<PodTerm>, Vec<PodTerm>) {
    // Read for every pod placed: most pods have no affinity, found without building paths.
    let Some(terms) = pod.at("spec.affinity").and_then(|a| a.get(kind)) else { return (Vec::new(), Vec::new()) };
    let ns = pod.namespace();
    let required = terms
        .array_at("requiredDuringSchedulingIgnoredDuringExecution")
        .iter()
        .filter_map(|t| PodTerm::parse(t, ns, 0))
        .collect();
    let preferred = terms
        .array_at("preferredDuringSchedulingIgnoredDuringExecution")
        .iter()
        .filter_map(|p| PodTerm::parse(p.get("podAffinityTerm")?, ns, p.i64_at("weight").unwrap_or(0)))
        .collect();
    (required, preferred)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tolerations_match_as_the_api_defines() {
        let taint = json!({"key": "dedicated", "value": "infra", "effect": "NoSchedule"});
        assert!(tolerates(&json!({"key": "dedicated", "operator": "Equal", "value": "infra"}), &taint));
        assert!(tolerates(&json!({"key": "dedicated", "operator": "Exists", "effect": "NoSchedule"}), &taint));
        assert!(tolerates(&json!({"operator": "Exists"}), &taint));
        assert!(!tolerates(&json!({"key": "dedicated", "value": "db"}), &taint));
        assert!(!tolerates(&json!({"key": "dedicated", "operator": "Exists", "effect": "NoExecute"}), &taint));
        assert_eq!(
            taint_text(&json!({"key": "node-role.kubernetes.io/control-plane"})),
            "{node-role.kubernetes.io/control-plane: }"
        );
    }

    #[test]
    fn node_selector_terms_or_their_terms_and_their_expressions() {
        let labels: Labels = [("zone".to_string(), "a".to_string()), ("cores".to_string(), "8".to_string())].into();
        let term_matches = |t: &Value, name: &str, labels: &Labels| SelectorTerm::of(t).matches(name, labels);
        let t = |e: Value| json!({"matchExpressions": [e]});
        assert!(term_matches(&t(json!({"key": "zone", "operator": "In", "values": ["a", "b"]})), "n", &labels));
        assert!(!term_matches(&t(json!({"key": "zone", "operator": "NotIn", "values": ["a"]})), "n", &labels));
        assert!(term_matches(&t(json!({"key": "cores", "operator": "Gt", "values": ["4"]})), "n", &labels));
        assert!(!term_matches(&json!({}), "n", &labels));
        let by_name = json!({"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n"]}]});
        assert!(term_matches(&by_name, "n", &labels));
    }
}
