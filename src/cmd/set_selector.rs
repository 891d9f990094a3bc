//! `kstate set selector svc NAME KEY=VALUE,...`: overwrites a Service's `spec.selector` (only
//! Services have one kubectl sets), with `--resource-version` as the update's precondition.

use serde_json::Value;

use super::set_field::{self, Refusal, Request};
use super::Context;
use crate::api::selector::Selector;
use crate::{Error, Result};

/// `args` ends with the selector; the rest name the objects.
pub fn run(ctx: &mut Context, mut req: Request, mut args: Vec<String>) -> Result<()> {
    let Some(text) = args.pop() else {
        return Err(Error::cli("one selector is required"));
    };
    let selector = Selector::parse(&text)
        .and_then(|s| s.to_label_selector())
        .map_err(|e| Error::cli(format!("couldn't parse the selector string \"{text}\": {e}")))?;
    let expressions = selector.get("matchExpressions").and_then(Value::as_array).cloned().unwrap_or_default();
    let labels = selector.get("matchLabels").cloned().unwrap_or_else(|| Value::Object(Default::default()));
    req.resources = args;
    set_field::run(ctx, req, "selector", &|obj, kind| {
        if kind.kind != "Service" {
            return Err(Refusal::Message("setting a selector is only supported for Services".into()));
        }
        if !expressions.is_empty() {
            let m = format!("match expression {} not supported on this object", go_requirements(&expressions));
            return Err(Refusal::Message(m));
        }
        let spec = obj.as_object_mut().map(|o| o.entry("spec").or_insert_with(|| Value::Object(Default::default())));
        if let Some(spec) = spec.and_then(Value::as_object_mut) {
            if labels.as_object().is_some_and(|m| m.is_empty()) {
                spec.remove("selector");
            } else {
                spec.insert("selector".into(), labels.clone());
            }
        }
        Ok(())
    })
}

/// Go's `%v` of `[]metav1.LabelSelectorRequirement`: `[{app In [a b]}]`.
fn go_requirements(list: &[Value]) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|e| {
            let values: Vec<&str> =
                e.get("values").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
            let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
            let op = e.get("operator").and_then(Value::as_str).unwrap_or_default();
            format!("{{{key} {op} [{}]}}", values.join(" "))
        })
        .collect();
    format!("[{}]", items.join(" "))
}

#[cfg(test)]
mod tests {
    #[test]
    fn requirements_print_as_go_structs() {
        let list = vec![serde_json::json!({"key": "app", "operator": "In", "values": ["a", "b"]})];
        assert_eq!(super::go_requirements(&list), "[{app In [a b]}]");
    }
}
