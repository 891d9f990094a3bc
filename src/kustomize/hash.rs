//! The content hash kustomize appends to generated names (`api/hasher`): SHA-256 of Go's JSON
//! encoding of the parts that matter, the first ten hex digits with `0 1 3 a e` replaced so the
//! suffix holds no vowels and cannot spell words (`g h k m t`).
//!
//! The name kustomize means to hash is looked up as the single field `metadata/name`, which no
//! object has, so it always hashes as `""` (checked against kubectl v1.32.5: a generated
//! ConfigMap's suffix does not change with `namePrefix`). kstate hashes the same way.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::resource::Resource;

/// `Hasher.Hash`: ConfigMaps by kind, name, data and binaryData; Secrets by kind, type, name,
/// data and stringData; anything else by its whole encoding.
pub fn hash(res: &Resource) -> String {
    let v = &res.value;
    let field = |k: &str| v.get(k).cloned().unwrap_or_else(|| Value::String(String::new()));
    let mut m = Map::new();
    match res.kind() {
        "ConfigMap" => {
            m.insert("kind".into(), "ConfigMap".into());
            m.insert("name".into(), "".into());
            m.insert("data".into(), field("data"));
            if let Some(b @ Value::Object(_)) = v.get("binaryData") {
                m.insert("binaryData".into(), b.clone());
            }
        }
        "Secret" => {
            m.insert("kind".into(), "Secret".into());
            m.insert("type".into(), field("type"));
            m.insert("name".into(), "".into());
            m.insert("data".into(), field("data"));
            if let Some(s @ Value::Object(_)) = v.get("stringData") {
                m.insert("stringData".into(), s.clone());
            }
        }
        _ => return encode(&crate::print::json::to_compact_json(v)),
    }
    encode(&crate::print::json::to_compact_json(&Value::Object(m)))
}

fn encode(json: &str) -> String {
    let digest = Sha256::digest(json.as_bytes());
    let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    hex.chars()
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            other => other,
        })
        .collect()
}
