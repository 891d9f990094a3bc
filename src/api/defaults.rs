//! Defaulting, as the API server applies it on create. (Placeholder until the full rules land.)

use serde_json::Value;

pub fn apply(_obj: &mut Value) {}
