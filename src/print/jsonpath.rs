//! Placeholder jsonpath.

use serde_json::Value;

pub fn render(_template: &str, _v: &Value) -> Result<String, String> {
    Err("jsonpath not yet supported".into())
}

pub fn results(_template: &str, _v: &Value) -> Result<Vec<Value>, String> {
    Err("jsonpath not yet supported".into())
}
