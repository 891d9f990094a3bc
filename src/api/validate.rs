//! API validation with Kubernetes' field paths and messages. (Placeholder until the rules land.)

use serde_json::Value;

pub fn validate_create(_obj: &Value) -> crate::Result<()> {
    Ok(())
}

pub fn validate_update(_old: &Value, _new: &Value) -> crate::Result<()> {
    Ok(())
}
