//! Placeholder describe.

use serde_json::Value;

use crate::api::{Kind, ObjectExt};
use crate::clock::Instant;

#[derive(Default)]
pub struct Related {
    pub events: Vec<Value>,
    pub pods: Vec<Value>,
    pub endpoint_slices: Vec<Value>,
    pub lease: Option<Value>,
}

pub fn describe(_kind: &Kind, obj: &Value, _related: &Related, _now: Instant) -> String {
    let mut s = format!("Name:\t{}\n", obj.name());
    for v in obj.array_at("spec.volumes") {
        let claim = v.str_at("persistentVolumeClaim.claimName");
        if !claim.is_empty() {
            s.push_str(&format!("    ClaimName:\t{claim}\n"));
        }
    }
    crate::print::tabwriter::align(&s, crate::print::tabwriter::DESCRIBE)
}
