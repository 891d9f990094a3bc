//! Patches, as the API server applies them: JSON merge patch (RFC 7386), JSON patch (RFC 6902)
//! and strategic merge patch (`apimachinery/pkg/util/strategicpatch`), plus the three-way merge
//! `kubectl apply` computes from the last-applied configuration, the new manifest and the live
//! object.
//!
//! Strategic merge needs each list's patch strategy and merge key, which Kubernetes keeps in the
//! Go struct tags of the API types. kstate serves a handful of kinds, so [`list_strategy`] knows
//! them by field name (and, for `ports`, by whether the list sits under a container).

use serde_json::{Map, Value};

/// How a strategic merge treats a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStrategy {
    /// Elements are maps merged by this key (`containers` by `name`).
    MergeByKey(&'static str),
    /// Elements are scalars; the patch's are added (`finalizers`).
    MergeScalars,
    /// The patch's list replaces the live one.
    Replace,
}

/// The patch strategy of the list at `field`, `path` being the field names above it.
pub fn list_strategy(path: &[String], field: &str) -> ListStrategy {
    let under_container =
        path.iter().any(|p| matches!(p.as_str(), "containers" | "initContainers" | "ephemeralContainers"));
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets"
        | "resourceClaims" => ListStrategy::MergeByKey("name"),
        "ports" if under_container => ListStrategy::MergeByKey("containerPort"),
        "ports" if path.last().map(String::as_str) == Some("spec") => ListStrategy::MergeByKey("port"),
        "volumeMounts" => ListStrategy::MergeByKey("mountPath"),
        "volumeDevices" => ListStrategy::MergeByKey("devicePath"),
        "hostAliases" => ListStrategy::MergeByKey("ip"),
        "topologySpreadConstraints" => ListStrategy::MergeByKey("topologyKey"),
        "ownerReferences" => ListStrategy::MergeByKey("uid"),
        "conditions" => ListStrategy::MergeByKey("type"),
        "finalizers" => ListStrategy::MergeScalars,
        _ => ListStrategy::Replace,
    }
}

/// Go's `omitempty` on `ObjectMeta.Labels` and `.Annotations`: an emptied map is not stored.
pub fn drop_empty_meta(obj: &mut Value) {
    for meta in ["/metadata", "/spec/template/metadata"] {
        if let Some(m) = obj.pointer_mut(meta).and_then(Value::as_object_mut) {
            for field in ["labels", "annotations"] {
                if m.get(field).is_some_and(|v| v.as_object().is_some_and(Map::is_empty) || v.is_null()) {
                    m.remove(field);
                }
            }
        }
    }
}

/// RFC 7386: objects merge recursively, `null` removes, anything else replaces.
pub fn merge_patch(target: &Value, patch: &Value) -> Value {
    let Value::Object(p) = patch else { return patch.clone() };
    let mut out = match target {
        Value::Object(t) => t.clone(),
        _ => Map::new(),
    };
    for (k, v) in p {
        if v.is_null() {
            out.remove(k);
        } else {
            let merged = merge_patch(out.get(k).unwrap_or(&Value::Null), v);
            out.insert(k.clone(), merged);
        }
    }
    Value::Object(out)
}

/// RFC 6902. Errors read as the API server's (`the server rejected our request...` aside).
pub fn json_patch(target: &Value, ops: &Value) -> Result<Value, String> {
    let Value::Array(ops) = ops else {
        return Err("json: cannot unmarshal object into Go value of type jsonpatch.Patch".into());
    };
    let mut doc = target.clone();
    for op in ops {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = op.get("path").and_then(Value::as_str);
        let value = op.get("value");
        match kind {
            "add" => {
                let path = path.ok_or("add operation does not apply: doc is missing path: \"\"")?;
                let value = value.ok_or("missing value")?.clone();
                add(&mut doc, path, value)?;
            }
            "remove" => {
                let path = path.ok_or("remove operation does not apply: doc is missing path: \"\"")?;
                remove(&mut doc, path)?;
            }
            "replace" => {
                let path = path.ok_or("replace operation does not apply: doc is missing key: \"\"")?;
                let value = value.ok_or("missing value")?.clone();
                let slot = doc
                    .pointer_mut(path)
                    .ok_or_else(|| format!("replace operation does not apply: doc is missing key: {path}"))?;
                *slot = value;
            }
            "move" | "copy" => {
                let from = op.get("from").and_then(Value::as_str).unwrap_or("");
                let to = path.unwrap_or("");
                let v = doc
                    .pointer(from)
                    .cloned()
                    .ok_or_else(|| format!("{kind} operation does not apply: doc is missing from path: {from}"))?;
                if kind == "move" {
                    remove(&mut doc, from)?;
                }
                add(&mut doc, to, v)?;
            }
            "test" => {
                let path = path.unwrap_or("");
                if doc.pointer(path) != value {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(doc)
}

fn split_pointer(path: &str) -> Result<(String, String), String> {
    let (parent, last) = path.rsplit_once('/').ok_or_else(|| format!("invalid path: {path}"))?;
    Ok((parent.to_string(), last.replace("~1", "/").replace("~0", "~")))
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (parent, last) = split_pointer(path)?;
    let missing = || format!("add operation does not apply: doc is missing path: \"{path}\": missing value");
    match doc.pointer_mut(&parent).ok_or_else(missing)? {
        Value::Object(m) => {
            m.insert(last, value);
            Ok(())
        }
        Value::Array(a) => {
            let idx = if last == "-" { a.len() } else { last.parse::<usize>().map_err(|_| missing())? };
            if idx > a.len() {
                return Err(format!("add operation does not apply: doc is missing path: \"{path}\": invalid index"));
            }
            a.insert(idx, value);
            Ok(())
        }
        _ => Err(missing()),
    }
}

fn remove(doc: &mut Value, path: &str) -> Result<(), String> {
    let (parent, last) = split_pointer(path)?;
    let missing = || format!("remove operation does not apply: doc is missing path: \"{path}\"");
    match doc.pointer_mut(&parent).ok_or_else(missing)? {
        Value::Object(m) => m.remove(&last).map(|_| ()).ok_or_else(missing),
        Value::Array(a) => {
            let idx = last.parse::<usize>().map_err(|_| missing())?;
            if idx >= a.len() {
                return Err(missing());
            }
            a.remove(idx);
            Ok(())
        }
        _ => Err(missing()),
    }
}

const DIRECTIVE: &str = "$patch";
const RETAIN_KEYS: &str = "$retainKeys";
const ORDER_PREFIX: &str = "$setElementOrder/";
const DELETE_PRIMITIVE_PREFIX: &str = "$deleteFromPrimitiveList/";

/// Applies a strategic merge patch to `target` (the whole object).
pub fn strategic_merge(target: &Value, patch: &Value) -> Result<Value, String> {
    let Value::Object(p) = patch else {
        return Err("unable to find api field in struct for the patch: patch is not an object".into());
    };
    let t = match target {
        Value::Object(t) => t.clone(),
        _ => Map::new(),
    };
    Ok(merge_map(t, p, &mut Vec::new())?.map(Value::Object).unwrap_or_else(|| Value::Object(Map::new())))
}

/// Merges `patch` into `target`; `None` when the patch deletes the map.
fn merge_map(
    mut target: Map<String, Value>,
    patch: &Map<String, Value>,
    path: &mut Vec<String>,
) -> Result<Option<Map<String, Value>>, String> {
    match patch.get(DIRECTIVE).and_then(Value::as_str) {
        Some("replace") => return Ok(Some(strip_directives(patch))),
        Some("delete") => return Ok(None),
        Some("merge") | None => {}
        Some(other) => return Err(format!("Unknown patch type: {other:?}")),
    }
    for (k, v) in patch {
        if k == DIRECTIVE || k == RETAIN_KEYS || k.starts_with(ORDER_PREFIX) {
            continue;
        }
        if let Some(field) = k.strip_prefix(DELETE_PRIMITIVE_PREFIX) {
            if let (Some(Value::Array(list)), Value::Array(gone)) = (target.get_mut(field), v) {
                list.retain(|e| !gone.contains(e));
            }
            continue;
        }
        if v.is_null() {
            target.remove(k);
            continue;
        }
        path.push(k.clone());
        let merged = match (target.remove(k), v) {
            (Some(Value::Object(t)), Value::Object(p)) => merge_map(t, p, path)?.map(Value::Object),
            (None, Value::Object(p)) => merge_map(Map::new(), p, path)?.map(Value::Object),
            (t, Value::Array(p)) => {
                let t = match t {
                    Some(Value::Array(t)) => t,
                    _ => Vec::new(),
                };
                let strategy = list_strategy(&path[..path.len() - 1], k);
                let order = patch.get(&format!("{ORDER_PREFIX}{k}")).and_then(Value::as_array);
                let server_order = t.clone();
                let merged = merge_list(t, p, strategy, path)?;
                Some(Value::Array(enforce_order(merged, order.map_or(p, Vec::as_slice), &server_order, strategy)))
            }
            (_, v) => Some(strip_value(v)),
        };
        path.pop();
        if let Some(m) = merged {
            target.insert(k.clone(), m);
        }
    }
    if let Some(Value::Array(keep)) = patch.get(RETAIN_KEYS) {
        let keep: Vec<&str> = keep.iter().filter_map(Value::as_str).collect();
        target.retain(|k, _| keep.contains(&k.as_str()));
    }
    Ok(Some(target))
}

fn merge_list(
    mut target: Vec<Value>,
    patch: &[Value],
    strategy: ListStrategy,
    path: &mut Vec<String>,
) -> Result<Vec<Value>, String> {
    // `[{"$patch": "replace"}, ...]` replaces the list whatever its strategy.
    let replace = patch.iter().any(|e| e.get(DIRECTIVE).and_then(Value::as_str) == Some("replace"));
    if replace || strategy == ListStrategy::Replace {
        return Ok(patch
            .iter()
            .filter(|e| e.get(DIRECTIVE).and_then(Value::as_str) != Some("replace"))
            .map(strip_value)
            .collect());
    }
    match strategy {
        ListStrategy::MergeScalars => {
            for e in patch {
                if !target.contains(e) {
                    target.push(e.clone());
                }
            }
            Ok(target)
        }
        ListStrategy::MergeByKey(key) => {
            for e in patch {
                let Value::Object(pe) = e else {
                    return Err(format!("unable to merge a non-map element into a list merged by {key}"));
                };
                let Some(id) = pe.get(key) else {
                    return Err(format!("map: {} does not contain declared merge key: {key}", go_map(pe)));
                };
                let pos = target.iter().position(|t| t.get(key) == Some(id));
                let delete = pe.get(DIRECTIVE).and_then(Value::as_str) == Some("delete");
                match (pos, delete) {
                    (Some(i), true) => {
                        target.remove(i);
                    }
                    (None, true) => {}
                    (Some(i), false) => {
                        let current = match target[i].take() {
                            Value::Object(m) => m,
                            _ => Map::new(),
                        };
                        match merge_map(current, pe, path)? {
                            Some(m) => target[i] = Value::Object(m),
                            None => {
                                target.remove(i);
                            }
                        }
                    }
                    (None, false) => target.push(Value::Object(strip_directives(pe))),
                }
            }
            Ok(target)
        }
        ListStrategy::Replace => Ok(patch.to_vec()),
    }
}

/// The order `normalizeElementOrder` gives a merged list: the elements the patch names (or its
/// `$setElementOrder/` list names) in the patch's order, the live-only elements in their live
/// order, the two interleaved so that an element the live list had before a patch element stays
/// before it; a new element goes before the live-only elements that follow it (a strategic patch
/// adding a container puts it first: `[{"name": "redis"}]` on `[nginx]` gives `[redis, nginx]`).
fn enforce_order(
    merged: Vec<Value>,
    patch_order: &[Value],
    server_order: &[Value],
    strategy: ListStrategy,
) -> Vec<Value> {
    let key = match strategy {
        ListStrategy::MergeByKey(key) => Some(key),
        ListStrategy::MergeScalars => None,
        ListStrategy::Replace => return merged,
    };
    let id = |e: &Value| match key {
        Some(k) => e.get(k).cloned(),
        None => Some(e.clone()),
    };
    let index = |list: &[Value], e: &Value| {
        let want = id(e)?;
        list.iter().position(|o| o.get(DIRECTIVE).is_none() && id(o).as_ref() == Some(&want))
    };
    let (mut named, mut live_only): (Vec<Value>, Vec<Value>) =
        merged.into_iter().partition(|e| index(patch_order, e).is_some());
    named.sort_by_key(|e| index(patch_order, e));
    live_only.sort_by_key(|e| index(server_order, e));
    // `mergeSortedSlice`: a live-only element goes first only when both are live and it came first.
    let mut out = Vec::with_capacity(named.len() + live_only.len());
    let (mut l, mut r) = (live_only.into_iter().peekable(), named.into_iter().peekable());
    loop {
        let take_live = match (l.peek(), r.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(a), Some(b)) => match (index(server_order, a), index(server_order, b)) {
                (Some(ia), Some(ib)) => ia < ib,
                _ => false,
            },
        };
        out.extend(if take_live { l.next() } else { r.next() });
    }
    out
}

/// A patch value with its directives removed, as it lands in the object.
fn strip_value(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(strip_directives(m)),
        Value::Array(a) => Value::Array(a.iter().map(strip_value).collect()),
        other => other.clone(),
    }
}

fn strip_directives(m: &Map<String, Value>) -> Map<String, Value> {
    m.iter().filter(|(k, v)| !k.starts_with('$') && !v.is_null()).map(|(k, v)| (k.clone(), strip_value(v))).collect()
}

/// Go's `%v` of a map, for the merge-key error.
fn go_map(m: &Map<String, Value>) -> String {
    let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k}:{}", go_scalar(v))).collect();
    format!("map[{}]", parts.join(" "))
}

fn go_scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(m) => go_map(m),
        other => other.to_string(),
    }
}

/// `kubectl apply`'s three-way merge: fields the last-applied configuration (`original`) had and
/// the new manifest (`modified`) dropped are removed from the live object (`current`); what the
/// manifest sets wins; what only the live object has (defaults, controller fields) stays.
/// Lists merge by their strategic key, in the manifest's order, live-only elements after.
pub fn three_way(original: Option<&Value>, modified: &Value, current: &Value) -> Value {
    let kind = modified.get("kind").and_then(Value::as_str).unwrap_or_default().to_string();
    let mut path = vec![kind];
    merge3(original, modified, current, &mut path)
}

/// Whether the map at `path` (the kind, then field names) has the `retainKeys` patch strategy:
/// a patch that changes it lists the keys to keep (`$retainKeys`), so the keys the manifest no
/// longer sets go, defaults included (`DeploymentStrategy`, a DaemonSet's update strategy, a
/// volume's source).
fn retains_keys(path: &[String]) -> bool {
    let names: Vec<&str> = path.iter().map(String::as_str).collect();
    matches!(names.as_slice(), ["Deployment", "spec", "strategy"] | ["DaemonSet", "spec", "updateStrategy"])
        || names.last() == Some(&"volumes")
}

fn merge3(original: Option<&Value>, modified: &Value, current: &Value, path: &mut Vec<String>) -> Value {
    match (modified, current) {
        (Value::Object(m), Value::Object(c)) => {
            let o = original.and_then(Value::as_object);
            let mut out = Map::new();
            for (k, cv) in c {
                match m.get(k) {
                    Some(Value::Null) => {}
                    Some(mv) => {
                        path.push(k.clone());
                        let ov = o.and_then(|o| o.get(k));
                        out.insert(k.clone(), merge3_field(ov, mv, cv, k, path));
                        path.pop();
                    }
                    None if o.is_some_and(|o| o.contains_key(k)) => {}
                    None => {
                        out.insert(k.clone(), cv.clone());
                    }
                }
            }
            for (k, mv) in m {
                if !c.contains_key(k) && !mv.is_null() {
                    out.insert(k.clone(), mv.clone());
                }
            }
            if retains_keys(path) && &out != c {
                out.retain(|k, _| m.contains_key(k));
            }
            Value::Object(out)
        }
        _ => modified.clone(),
    }
}

fn merge3_field(
    original: Option<&Value>,
    modified: &Value,
    current: &Value,
    field: &str,
    path: &mut Vec<String>,
) -> Value {
    let (Value::Array(m), Value::Array(c)) = (modified, current) else {
        return merge3(original, modified, current, path);
    };
    // The kind heads the path; list strategies go by field names.
    let parent = &path[1.min(path.len())..path.len() - 1];
    match list_strategy(parent, field) {
        ListStrategy::MergeByKey(key) => {
            let o = original.and_then(Value::as_array);
            let mut out = Vec::new();
            for me in m {
                let id = me.get(key);
                let ce = c.iter().find(|ce| id.is_some() && ce.get(key) == id);
                let oe = o.and_then(|o| o.iter().find(|oe| id.is_some() && oe.get(key) == id));
                match ce {
                    Some(ce) => out.push(merge3(oe, me, ce, path)),
                    None => out.push(me.clone()),
                }
            }
            for ce in c {
                let id = ce.get(key);
                let in_modified = m.iter().any(|me| me.get(key) == id);
                let in_original = o.is_some_and(|o| o.iter().any(|oe| oe.get(key) == id));
                if !in_modified && !in_original {
                    out.push(ce.clone());
                }
            }
            Value::Array(out)
        }
        ListStrategy::MergeScalars => {
            let o = original.and_then(Value::as_array);
            let mut out: Vec<Value> = m.clone();
            for ce in c {
                if !out.contains(ce) && !o.is_some_and(|o| o.contains(ce)) {
                    out.push(ce.clone());
                }
            }
            Value::Array(out)
        }
        ListStrategy::Replace => modified.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sts() -> Value {
        json!({"spec": {"replicas": 2, "template": {"spec": {"containers": [
            {"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80, "name": "web"}],
             "env": [{"name": "A", "value": "1"}]},
            {"name": "side", "image": "busybox"}]}}}})
    }

    #[test]
    fn merge_patch_follows_rfc_7386() {
        let t = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        let p = json!({"a": "z", "c": {"f": null}});
        assert_eq!(merge_patch(&t, &p), json!({"a": "z", "c": {"d": "e"}}));
        assert_eq!(merge_patch(&json!({"a": [1, 2]}), &json!({"a": [3]})), json!({"a": [3]}));
    }

    /// The orders kubectl v1.32's `patch --local` (apimachinery's strategic merge) prints.
    #[test]
    fn strategic_merge_orders_lists_as_normalize_element_order_does() {
        let pod = json!({"metadata": {"finalizers": ["a", "b"]}, "spec": {"containers": [
            {"name": "A"}, {"name": "B"}, {"name": "C"}]}});
        let names = |p: Value| {
            let v = strategic_merge(&pod, &p).unwrap();
            let list = v["spec"]["containers"].as_array().unwrap().iter();
            list.map(|c| c["name"].as_str().unwrap().to_string()).collect::<Vec<_>>().join(" ")
        };
        let finalizers = |p: Value| strategic_merge(&pod, &p).unwrap()["metadata"]["finalizers"].clone();
        assert_eq!(finalizers(json!({"metadata": {"finalizers": ["c"]}})), json!(["c", "a", "b"]));
        assert_eq!(finalizers(json!({"metadata": {"finalizers": ["b", "c"]}})), json!(["a", "b", "c"]));
        assert_eq!(names(json!({"spec": {"containers": [{"name": "B", "image": "b"}, {"name": "D"}]}})), "A B D C");
        assert_eq!(names(json!({"spec": {"containers": [{"name": "D"}, {"name": "A", "image": "a"}]}})), "D A B C");
        assert_eq!(names(json!({"spec": {"containers": [{"name": "B", "$patch": "delete"}, {"name": "D"}]}})), "D A C");
        let ordered = json!({"spec": {
            "$setElementOrder/containers": [{"name": "C"}, {"name": "D"}, {"name": "A"}, {"name": "B"}],
            "containers": [{"name": "D"}]}});
        assert_eq!(names(ordered), "C D A B");
    }

    #[test]
    fn json_patch_ops() {
        let t = json!({"spec": {"replicas": 2, "list": [1, 2]}});
        let ops = json!([
            {"op": "replace", "path": "/spec/replicas", "value": 5},
            {"op": "add", "path": "/spec/list/-", "value": 3},
            {"op": "remove", "path": "/spec/list/0"},
            {"op": "test", "path": "/spec/replicas", "value": 5}
        ]);
        assert_eq!(json_patch(&t, &ops).unwrap(), json!({"spec": {"replicas": 5, "list": [2, 3]}}));
        assert!(json_patch(&t, &json!([{"op": "replace", "path": "/spec/nope", "value": 1}])).is_err());
        assert!(json_patch(&t, &json!([{"op": "test", "path": "/spec/replicas", "value": 1}])).is_err());
    }

    #[test]
    fn strategic_merge_merges_containers_by_name() {
        let p = json!({"spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}}});
        let out = strategic_merge(&sts(), &p).unwrap();
        let cs = out.pointer("/spec/template/spec/containers").unwrap();
        assert_eq!(cs[0]["image"], "nginx:1.27");
        assert_eq!(cs[0]["ports"][0]["containerPort"], 80);
        assert_eq!(cs[1]["name"], "side");
    }

    #[test]
    fn strategic_merge_directives() {
        let del = json!({"spec": {"template": {"spec": {"containers": [{"name": "side", "$patch": "delete"}]}}}});
        let out = strategic_merge(&sts(), &del).unwrap();
        assert_eq!(out.pointer("/spec/template/spec/containers").unwrap().as_array().unwrap().len(), 1);
        let rep = json!({"spec": {"template": {"spec": {"containers": [{"$patch": "replace"}, {"name": "x", "image": "y"}]}}}});
        let out = strategic_merge(&sts(), &rep).unwrap();
        assert_eq!(out.pointer("/spec/template/spec/containers").unwrap(), &json!([{"name": "x", "image": "y"}]));
        let env = json!({"spec": {"template": {"spec": {"containers": [{"name": "nginx", "env": [{"name": "B", "value": "2"}],
            "ports": [{"containerPort": 443}]}]}}}});
        let out = strategic_merge(&sts(), &env).unwrap();
        let c = &out.pointer("/spec/template/spec/containers").unwrap()[0];
        assert_eq!(c["env"].as_array().unwrap().len(), 2);
        assert_eq!(c["ports"].as_array().unwrap().len(), 2);
        let map_replace = json!({"spec": {"template": {"$patch": "replace", "spec": {}}}});
        assert_eq!(strategic_merge(&sts(), &map_replace).unwrap()["spec"]["template"], json!({"spec": {}}));
        let missing_key = json!({"spec": {"template": {"spec": {"containers": [{"image": "y"}]}}}});
        assert!(strategic_merge(&sts(), &missing_key).is_err());
    }

    #[test]
    fn three_way_removes_what_the_manifest_dropped_and_keeps_server_fields() {
        let original = json!({"metadata": {"labels": {"a": "1", "b": "2"}}, "spec": {"replicas": 2}});
        let modified = json!({"metadata": {"labels": {"a": "1"}}, "spec": {"replicas": 3}});
        let current = json!({"metadata": {"labels": {"a": "1", "b": "2", "c": "3"}, "uid": "u"},
                             "spec": {"replicas": 2, "revisionHistoryLimit": 10}});
        let out = three_way(Some(&original), &modified, &current);
        assert_eq!(
            out,
            json!({"metadata": {"labels": {"a": "1", "c": "3"}, "uid": "u"}, "spec": {"replicas": 3, "revisionHistoryLimit": 10}})
        );
    }

    #[test]
    fn three_way_merges_containers_keeping_defaults() {
        let manifest = json!({"spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:2"}]}}}});
        let live = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "nginx", "image": "nginx", "terminationMessagePath": "/dev/termination-log"}]}}}});
        let out = three_way(Some(&manifest), &manifest, &live);
        let c = &out.pointer("/spec/template/spec/containers").unwrap()[0];
        assert_eq!(c["image"], "nginx:2");
        assert_eq!(c["terminationMessagePath"], "/dev/termination-log");
    }
}
