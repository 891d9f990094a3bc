//! Conversion of the removed apiVersions kstate still accepts. (Placeholder.)

use serde_json::Value;

pub fn to_served(obj: &mut Value, _source: &str) -> crate::Result<Option<String>> {
    let api = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("").to_string();
    if api == "apps/v1beta1" || api == "apps/v1beta2" {
        obj["apiVersion"] = Value::String("apps/v1".into());
        return Ok(Some(format!("{api} StatefulSet is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 StatefulSet")));
    }
    Ok(None)
}
