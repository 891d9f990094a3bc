//! `--field-selector`: the API server's field selectors (`fields.ParseSelector` and each kind's
//! supported field labels), applied to listed objects.

use serde_json::Value;

use crate::api::kinds::Kind;
use crate::api::ObjectExt;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    field: String,
    value: String,
    equal: bool,
}

/// A parsed field selector; the empty one matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSelector {
    text: String,
    terms: Vec<Term>,
}

/// Splits on commas not escaped with `\`.
fn split_terms(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
        } else if c == '\\' {
            cur.push(c);
            escaped = true;
        } else if c == ',' {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl FieldSelector {
    /// `a=b,c==d,e!=f`; Err(kubectl's message) for a term without an operator.
    pub fn parse(s: &str) -> Result<FieldSelector, String> {
        let mut terms = Vec::new();
        for term in split_terms(s) {
            if term.is_empty() {
                continue;
            }
            let found =
                ["!=", "==", "="].iter().filter_map(|op| term.find(op).map(|i| (i, *op))).min_by_key(|(i, _)| *i);
            let Some((i, op)) = found else {
                return Err(format!("invalid selector: '{s}'; can't understand '{term}'"));
            };
            terms.push(Term {
                field: term[..i].trim().to_string(),
                value: unescape(&term[i + op.len()..]),
                equal: op != "!=",
            });
        }
        Ok(FieldSelector { text: s.to_string(), terms })
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The API server's check that every field is a supported label for `kind`.
    pub fn check(&self, kind: &Kind, label_selector: &str) -> Result<(), String> {
        for t in &self.terms {
            if field_value(kind, &Value::Null, &t.field).is_none() {
                let gvr = format!("{{{:?} {:?} {:?}}}", kind.group, kind.version, kind.plural);
                return Err(format!(
                    "Unable to find {gvr} that match label selector {label_selector:?}, field selector {:?}: field label not supported: {}",
                    self.text, t.field
                ));
            }
        }
        Ok(())
    }

    pub fn matches(&self, kind: &Kind, obj: &Value) -> bool {
        self.terms.iter().all(|t| {
            let v = field_value(kind, obj, &t.field).unwrap_or_default();
            (v == t.value) == t.equal
        })
    }
}

/// The value of a selectable field (`None`: the kind does not support the field).
fn field_value(kind: &Kind, obj: &Value, field: &str) -> Option<String> {
    let s = |path: &str| Some(obj.str_at(path).to_string());
    match (kind.kind, field) {
        (_, "metadata.name") => s("metadata.name"),
        (_, "metadata.namespace") if kind.namespaced => s("metadata.namespace"),
        ("Pod", "spec.nodeName" | "spec.restartPolicy" | "spec.schedulerName" | "spec.serviceAccountName")
        | ("Pod", "status.phase" | "status.podIP" | "status.nominatedNodeName") => s(field),
        ("Pod", "spec.hostNetwork") => {
            Some(obj.at("spec.hostNetwork").and_then(Value::as_bool).unwrap_or(false).to_string())
        }
        ("Namespace", "status.phase") => s(field),
        ("Node", "spec.unschedulable") => {
            Some(obj.at("spec.unschedulable").and_then(Value::as_bool).unwrap_or(false).to_string())
        }
        ("Event", f) => match f {
            "involvedObject.kind"
            | "involvedObject.namespace"
            | "involvedObject.name"
            | "involvedObject.uid"
            | "involvedObject.apiVersion"
            | "involvedObject.resourceVersion"
            | "involvedObject.fieldPath"
            | "reason"
            | "reportingComponent"
            | "type" => s(f),
            "source" => s("source.component"),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::kinds::{EVENT, POD, STATEFULSET};
    use serde_json::json;

    #[test]
    fn every_operator() {
        let pod = json!({"metadata": {"name": "web-0", "namespace": "default"},
                         "spec": {"nodeName": "n1"}, "status": {"phase": "Running"}});
        for (sel, want) in [
            ("status.phase=Running", true),
            ("status.phase==Running", true),
            ("status.phase!=Running", false),
            ("spec.nodeName=n1,metadata.name=web-0", true),
            ("spec.nodeName=n1,metadata.name!=web-0", false),
            ("metadata.namespace=kube-system", false),
        ] {
            assert_eq!(FieldSelector::parse(sel).unwrap().matches(&POD, &pod), want, "{sel}");
        }
        assert!(FieldSelector::parse("nope").is_err());
    }

    #[test]
    fn unsupported_fields_are_rejected_per_kind() {
        let sel = FieldSelector::parse("status.phase=Running").unwrap();
        assert!(sel.check(&POD, "").is_ok());
        assert_eq!(
            sel.check(&STATEFULSET, "").unwrap_err(),
            "Unable to find {\"apps\" \"v1\" \"statefulsets\"} that match label selector \"\", field selector \"status.phase=Running\": field label not supported: status.phase"
        );
        let ev = FieldSelector::parse("involvedObject.kind=Pod,reason=Scheduled,type!=Warning").unwrap();
        assert!(ev.check(&EVENT, "").is_ok());
    }
}
