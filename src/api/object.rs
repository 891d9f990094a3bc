//! Objects are documents: every API object is a JSON value (as in kube-rs' `DynamicObject`), so
//! fields kstate does not model survive untouched. [`ObjectExt`] gives typed access to the fields
//! the code does use; paths are dotted (`spec.template.metadata.labels`).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::clock::{parse_rfc3339, Instant};

pub type Labels = BTreeMap<String, String>;

/// Read access to an object's fields by dotted path.
pub trait ObjectExt {
    fn at(&self, path: &str) -> Option<&Value>;

    fn str_at(&self, path: &str) -> &str {
        self.at(path).and_then(Value::as_str).unwrap_or("")
    }

    fn i64_at(&self, path: &str) -> Option<i64> {
        self.at(path).and_then(Value::as_i64)
    }

    fn array_at(&self, path: &str) -> &[Value] {
        self.at(path).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The value under one key (no path parsing; for the fields read most).
    fn key(&self, key: &str) -> Option<&Value>;

    /// A string under `metadata` (`name`, `namespace`, `uid`: read by every controller for
    /// every change, so without parsing a path).
    fn meta_str(&self, key: &str) -> &str {
        self.key("metadata").and_then(|m| m.key(key)).and_then(Value::as_str).unwrap_or("")
    }

    fn kind(&self) -> &str {
        self.key("kind").and_then(Value::as_str).unwrap_or("")
    }

    fn name(&self) -> &str {
        self.meta_str("name")
    }

    fn namespace(&self) -> &str {
        self.meta_str("namespace")
    }

    fn uid(&self) -> &str {
        self.meta_str("uid")
    }

    /// A string map such as `metadata.labels` (non-string values are skipped).
    fn map_at(&self, path: &str) -> Labels {
        let mut out = Labels::new();
        if let Some(Value::Object(m)) = self.at(path) {
            for (k, v) in m {
                if let Some(s) = v.as_str() {
                    out.insert(k.clone(), s.to_string());
                }
            }
        }
        out
    }

    fn labels(&self) -> Labels {
        self.map_at("metadata.labels")
    }

    fn annotation(&self, key: &str) -> Option<&str> {
        match self.at("metadata.annotations") {
            Some(Value::Object(m)) => m.get(key).and_then(Value::as_str),
            _ => None,
        }
    }

    fn time_at(&self, path: &str) -> Option<Instant> {
        parse_rfc3339(self.str_at(path))
    }

    fn created(&self) -> Option<Instant> {
        self.time_at("metadata.creationTimestamp")
    }

    fn is_deleting(&self) -> bool {
        !self.meta_str("deletionTimestamp").is_empty()
    }

    /// The owner reference with `controller: true`, if any.
    fn controller_ref(&self) -> Option<&Value> {
        self.array_at("metadata.ownerReferences")
            .iter()
            .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
    }

    fn controller_uid(&self) -> &str {
        self.controller_ref().and_then(|r| r.get("uid")).and_then(Value::as_str).unwrap_or("")
    }

    fn finalizers(&self) -> Vec<String> {
        self.array_at("metadata.finalizers").iter().filter_map(|v| v.as_str().map(String::from)).collect()
    }
}

impl ObjectExt for Value {
    fn key(&self, key: &str) -> Option<&Value> {
        field(self, key)
    }

    fn at(&self, path: &str) -> Option<&Value> {
        if path.is_empty() {
            return Some(self);
        }
        // Split by hand: paths are a few short keys, and `str::split`'s searcher cost more than
        // the lookups. '.' is one byte, so every cut is a char boundary.
        let mut cur = self;
        let mut rest = path;
        while let Some(dot) = find_dot(rest.as_bytes()) {
            cur = field(cur, &rest[..dot])?;
            rest = &rest[dot + 1..];
        }
        field(cur, rest)
    }
}

/// The index of the first '.' in `bytes`, found eight bytes at a time (a byte loop was half of
/// `at`'s own time, which every controller spends on every change).
fn find_dot(bytes: &[u8]) -> Option<usize> {
    const DOTS: u64 = u64::from_le_bytes([b'.'; 8]);
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        // A byte equal to '.' is zero after the XOR; the lowest byte flagged by the zero-byte
        // test is the first zero (a borrow only flags bytes above one).
        let word = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or_default()) ^ DOTS;
        let zero = word.wrapping_sub(ONES) & !word & HIGHS;
        if zero != 0 {
            return Some(offset + (zero.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    chunks.remainder().iter().position(|&b| b == b'.').map(|i| offset + i)
}

/// Keys a map may have for [`field`] to look through them in order.
const SCAN_LIMIT: usize = 16;

/// `value.get(key)` for an object. The maps of Kubernetes objects are small, and a B-tree search
/// compares the key with its neighbours through `memcmp` (a tenth of scaling to 1,500 pods); a
/// walk over a small map compares lengths first and bytes only on a match.
fn field<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    let Value::Object(map) = value else { return None };
    if map.len() > SCAN_LIMIT {
        return map.get(key);
    }
    let key = key.as_bytes();
    map.iter().find(|(k, _)| k.len() == key.len() && same_bytes(k.as_bytes(), key)).map(|(_, v)| v)
}

/// Byte equality of two slices of the same length, inline (a call to `memcmp` costs more than
/// comparing a key of a few bytes).
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.iter().zip(b).all(|(x, y)| x == y)
}

/// The uid an object is indexed by: its controller's, or for an Event the involved object's.
/// A VolumeAttachment (which has no controller) is indexed by the name of its volume instead:
/// the attach/detach controller looks a volume's attachments up, and a volume's name
/// (`pvc-<uid>`, or a name an administrator chose) is never a uid.
pub fn index_ref(obj: &Value) -> &str {
    match obj.kind() {
        "Event" => obj.str_at("involvedObject.uid"),
        "VolumeAttachment" => obj.str_at("spec.source.persistentVolumeName"),
        _ => obj.controller_uid(),
    }
}

/// Sets `path` to `value`, creating objects on the way (and replacing non-objects in the way).
pub fn set_at(obj: &mut Value, path: &str, value: Value) {
    let mut cur = obj;
    let mut rest = path;
    loop {
        if !cur.is_object() {
            *cur = Value::Object(Map::new());
        }
        let Some(map) = cur.as_object_mut() else { return };
        let Some(dot) = find_dot(rest.as_bytes()) else {
            // Most writes replace a field that is there: its key is not allocated again.
            match map.get_mut(rest) {
                Some(slot) => *slot = value,
                None => {
                    map.insert(rest.to_string(), value);
                }
            }
            return;
        };
        let key = &rest[..dot];
        rest = &rest[dot + 1..];
        if !map.contains_key(key) {
            map.insert(key.to_string(), Value::Object(Map::new()));
        }
        let Some(next) = map.get_mut(key) else { return };
        cur = next;
    }
}

/// Mutable access to `path`, creating it as an empty object when missing.
pub fn entry_at<'a>(obj: &'a mut Value, path: &str) -> &'a mut Value {
    if obj.at(path).is_none() {
        set_at(obj, path, Value::Object(Map::new()));
    }
    let mut cur = obj;
    for key in path.split('.') {
        cur = &mut cur[key];
    }
    cur
}

/// Removes `path` if present.
pub fn remove_at(obj: &mut Value, path: &str) -> Option<Value> {
    let (parent, last) = match path.rsplit_once('.') {
        Some((p, l)) => (p, l),
        None => ("", path),
    };
    let mut cur = obj;
    if !parent.is_empty() {
        for key in parent.split('.') {
            cur = cur.get_mut(key)?;
        }
    }
    cur.as_object_mut()?.remove(last)
}

pub fn set_label(obj: &mut Value, key: &str, value: &str) {
    entry_at(obj, "metadata.labels")[key] = Value::String(value.to_string());
}

pub fn set_annotation(obj: &mut Value, key: &str, value: &str) {
    entry_at(obj, "metadata.annotations")[key] = Value::String(value.to_string());
}

/// A controller owner reference to `owner`, as controllers write them.
pub fn controller_ref_to(owner: &Value) -> Value {
    serde_json::json!({
        "apiVersion": owner.str_at("apiVersion"),
        "blockOwnerDeletion": true,
        "controller": true,
        "kind": owner.kind(),
        "name": owner.name(),
        "uid": owner.uid(),
    })
}

/// `labels` rendered as kubectl's `FormatLabels`: `a=b,c=d`, or `<none>`.
pub fn format_labels(labels: &Labels) -> String {
    if labels.is_empty() {
        return "<none>".to_string();
    }
    labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_and_writes_paths() {
        let mut o = json!({"metadata": {"name": "web-0", "labels": {"app": "nginx"}}});
        assert_eq!(o.name(), "web-0");
        assert_eq!(o.labels().get("app").map(String::as_str), Some("nginx"));
        set_at(&mut o, "spec.nodeName", json!("node-1"));
        assert_eq!(o.str_at("spec.nodeName"), "node-1");
        set_label(&mut o, "tier", "web");
        assert_eq!(format_labels(&o.labels()), "app=nginx,tier=web");
        assert_eq!(remove_at(&mut o, "spec.nodeName"), Some(json!("node-1")));
        assert_eq!(o.at("spec.nodeName"), None);
    }

    #[test]
    fn paths_split_at_every_dot() {
        let o = json!({"a": {"": {"b": 1}, "é.x": 2}, "": 3, "c": [4]});
        assert_eq!(o.at("a..b"), Some(&json!(1)));
        assert_eq!(o.at(""), Some(&o));
        assert_eq!(o.at("."), None);
        assert_eq!(o.at("a.é"), None);
        assert_eq!(o.at("c.0"), None);
        assert_eq!(o.at("a.b"), None);
        assert_eq!(o.i64_at("a..b"), Some(1));
    }

    #[test]
    fn finds_the_controller() {
        let o = json!({"metadata": {"ownerReferences": [
            {"kind": "X", "uid": "a"}, {"kind": "StatefulSet", "uid": "b", "controller": true}]}});
        assert_eq!(o.controller_uid(), "b");
    }

    #[test]
    fn finds_the_first_dot_at_any_position() {
        for len in 0..40 {
            for dot in 0..len {
                let mut bytes = vec![b'a'; len];
                bytes[dot] = b'.';
                if dot + 3 < len {
                    bytes[dot + 3] = b'.';
                }
                // Bytes just around '.' (0x2e) and with the high bit set must not match.
                for (i, b) in bytes.iter_mut().enumerate().take(dot) {
                    *b = [b'-', b'/', 0xae, 0x2f, 0x2d, 0xff, 0x00][i % 7];
                }
                assert_eq!(find_dot(&bytes), Some(dot), "{bytes:?}");
            }
            assert_eq!(find_dot(&vec![b'x'; len]), None);
        }
    }

    #[test]
    fn looks_up_keys_in_small_and_large_maps_alike() {
        let small = json!({"ab": 1, "ba": 2, "b": 3, "abc": 4});
        for (key, want) in
            [("ab", Some(1)), ("ba", Some(2)), ("b", Some(3)), ("abc", Some(4)), ("a", None), ("bb", None)]
        {
            assert_eq!(small.i64_at(key), want, "{key}");
        }
        let large: Value = (0..40).map(|i| (format!("k{i}"), json!(i))).collect::<serde_json::Map<_, _>>().into();
        assert_eq!(large.i64_at("k0"), Some(0));
        assert_eq!(large.i64_at("k39"), Some(39));
        assert_eq!(large.i64_at("k40"), None);
        assert_eq!(json!([1, 2]).at("0"), None);
        assert_eq!(json!("text").at("x"), None);
    }
}
