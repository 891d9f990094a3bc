//! ConfigMaps and Secrets as the kubelet reads them for a container's env and volumes: their
//! keys and bytes, and the kubelet's words when one is missing.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::api::kinds::{CONFIGMAP, SECRET};
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::Result;

/// Which kind of object holds the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    ConfigMap,
    Secret,
}

/// The keys of one ConfigMap or Secret.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Data {
    /// `data`; a Secret's values decoded from base64.
    pub data: BTreeMap<String, Vec<u8>>,
    /// A ConfigMap's `binaryData`: volumes show it, env variables do not.
    pub binary: BTreeMap<String, Vec<u8>>,
}

impl Source {
    /// `ConfigMap` or `Secret`, as the kubelet's `couldn't find key` message names the kind.
    pub fn word(self) -> &'static str {
        match self {
            Source::ConfigMap => "ConfigMap",
            Source::Secret => "Secret",
        }
    }

    /// The kubelet's message for a missing object. Its object cache builds the NotFound error
    /// with the singular resource name, so it reads `configmap "x" not found`.
    pub fn not_found(self, name: &str) -> String {
        let resource = match self {
            Source::ConfigMap => "configmap",
            Source::Secret => "secret",
        };
        format!("{resource} \"{name}\" not found")
    }

    /// The keys of the named object in `namespace`, or None when it does not exist.
    pub fn read(self, cluster: &mut Cluster, namespace: &str, name: &str) -> Result<Option<Data>> {
        let kind = match self {
            Source::ConfigMap => &CONFIGMAP,
            Source::Secret => &SECRET,
        };
        let Some(obj) = cluster.get_ref(&Key::new(kind, namespace, name))? else { return Ok(None) };
        let strings = |field: &str, decode: bool| -> BTreeMap<String, Vec<u8>> {
            let Some(Value::Object(map)) = obj.at(field) else { return BTreeMap::new() };
            map.iter()
                .filter_map(|(k, v)| {
                    let text = v.as_str()?;
                    Some((k.clone(), if decode { unbase64(text) } else { text.as_bytes().to_vec() }))
                })
                .collect()
        };
        Ok(Some(match self {
            Source::ConfigMap => Data { data: strings("data", false), binary: strings("binaryData", true) },
            Source::Secret => Data { data: strings("data", true), binary: BTreeMap::new() },
        }))
    }
}

impl Data {
    /// Every key a volume shows: `data` and `binaryData`.
    pub fn all(&self) -> impl Iterator<Item = (&String, &Vec<u8>)> {
        self.data.iter().chain(&self.binary)
    }

    /// One key for a volume item, from `data` or `binaryData`.
    pub fn key(&self, key: &str) -> Option<&Vec<u8>> {
        self.data.get(key).or_else(|| self.binary.get(key))
    }
}

/// Decodes standard base64, skipping anything outside the alphabet (the API server has already
/// refused invalid values, so this only sees padding and line breaks).
fn unbase64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, d)| acc | (u32::from(*d) << (18 - 6 * i)));
        for i in 0..chunk.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_with_and_without_padding() {
        assert_eq!(unbase64("YWRtaW4="), b"admin");
        assert_eq!(unbase64("MWYyZDFlMmU2N2Rm"), b"1f2d1e2e67df");
        assert_eq!(unbase64("YQ"), b"a");
        assert_eq!(unbase64(""), b"");
    }

    #[test]
    fn missing_objects_are_named_as_the_kubelet_names_them() {
        assert_eq!(Source::ConfigMap.not_found("x"), "configmap \"x\" not found");
        assert_eq!(Source::Secret.not_found("db"), "secret \"db\" not found");
    }
}
