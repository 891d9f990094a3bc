//! Placeholder YAML printer.

pub fn to_yaml(v: &serde_json::Value) -> String {
    serde_yaml::to_string(v).unwrap_or_default()
}
