//! kubectl's printing of a typed object: what `-o json|yaml` shows for the objects kubectl holds
//! as Go structs rather than as unstructured maps (the `create` generators, `run`, `expose`, the
//! `set` commands, whose builder decodes into kubectl's scheme).
//!
//! Go's JSON encoder writes a struct's fields in the struct's order and follows the json tags:
//! a field with `omitempty` is left out when empty, one without it is written even when unset
//! (`""`, `0`, `false`, `null`), a struct that is not a pointer is always written (`{}`), and
//! `metav1.Time`'s zero value is `null` (hence `creationTimestamp: null`). Decoding into the struct
//! first drops fields the type does not have, and quantities come back canonical (`1024Mi` →
//! `1Gi`). The YAML printer marshals to JSON and re-reads it as a map, so YAML keeps the typed
//! content with sorted keys. The shapes come from `types.schema` (api::decode::schema).

use serde_json::{Map, Value};

use crate::api::decode::schema::{schema, Field, Schema, Struct, Ty};
use crate::api::ObjectExt;

/// A value as Go's encoder writes it: objects keep the struct's field order.
enum Node {
    Leaf(Value),
    Object(Vec<(String, Node)>),
    List(Vec<Node>),
}

/// The Go struct kubectl decodes `obj` into, or None when kubectl would hold it unstructured
/// (custom resources, CRDs and VolumeSnapshots are outside its scheme; versions kstate has no
/// schema for).
fn root(obj: &Value) -> Option<&'static Struct> {
    let api_version = obj.str_at("apiVersion");
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    if matches!(group, "apiextensions.k8s.io" | "snapshot.storage.k8s.io") {
        return None;
    }
    schema().kind(api_version, obj.str_at("kind"))
}

/// `obj` as kubectl's typed object: fields its Go type lacks dropped, unset fields Go always
/// writes added. Keys are a map's, so this is what the YAML, JSONPath and template printers see.
/// An object kubectl would not type is returned as it is.
pub fn normalize(obj: &Value) -> Value {
    match root(obj) {
        Some(st) => to_value(encode_struct(schema(), st, obj)),
        None => obj.clone(),
    }
}

/// `json.MarshalIndent(obj, "", "    ")` of the typed object, newline included: fields in Go
/// struct order. An object kubectl would not type prints as `-o json` prints any object.
pub fn to_json(obj: &Value) -> String {
    let Some(st) = root(obj) else { return super::json::to_json(obj) };
    let mut out = String::new();
    write(&mut out, &encode_struct(schema(), st, obj), 0);
    out.push('\n');
    out
}

/// The YAML kubectl prints for the typed object.
pub fn to_yaml(obj: &Value) -> String {
    super::yaml::to_yaml(&normalize(obj))
}

fn encode_struct(s: &Schema, st: &Struct, v: &Value) -> Node {
    let empty = Map::new();
    let map = v.as_object().unwrap_or(&empty);
    let fields = st.fields.iter().filter_map(|f| field(s, f, map.get(f.name)).map(|n| (f.name.to_string(), n)));
    Node::Object(fields.collect())
}

/// One field, or None when Go's encoder leaves it out.
fn field(s: &Schema, f: &Field, v: Option<&Value>) -> Option<Node> {
    let Some(v) = v.filter(|v| !v.is_null()) else { return unset(s, f) };
    if !f.pointer && !f.always && is_empty(&f.ty, v) {
        return None;
    }
    Some(encode(s, &f.ty, v))
}

/// What Go writes for a field the object does not set: nothing for a pointer or an `omitempty`
/// scalar, list or map; a struct's own encoding for a struct.
fn unset(s: &Schema, f: &Field) -> Option<Node> {
    if f.pointer {
        return f.always.then_some(Node::Leaf(Value::Null));
    }
    match &f.ty {
        Ty::Struct(_) | Ty::Any | Ty::Time | Ty::Quantity | Ty::IntOrString => Some(zero(s, &f.ty)),
        _ if f.always => Some(zero(s, &f.ty)),
        _ => None,
    }
}

/// Go's zero value of a type, as its encoder writes it.
fn zero(s: &Schema, ty: &Ty) -> Node {
    match ty {
        Ty::Str(_) | Ty::Bytes => Node::Leaf(Value::String(String::new())),
        Ty::Bool => Node::Leaf(Value::Bool(false)),
        Ty::Int32 | Ty::Int64 | Ty::Float64 | Ty::IntOrString => Node::Leaf(Value::from(0)),
        Ty::Quantity => Node::Leaf(Value::String("0".into())),
        Ty::Struct(i) => encode_struct(s, &s.structs[*i], &Value::Null),
        // An unmodelled struct, written as its zero: `{}`.
        Ty::Any => Node::Object(Vec::new()),
        // metav1.Time's MarshalJSON writes `null` for the zero time; nil lists and maps are null.
        Ty::Time | Ty::List(_) | Ty::Map(_) | Ty::Quantities => Node::Leaf(Value::Null),
    }
}

/// `omitempty`'s test: false, 0, "", and empty lists and maps. Structs are never empty.
fn is_empty(ty: &Ty, v: &Value) -> bool {
    match ty {
        Ty::Struct(_) | Ty::Any | Ty::Time | Ty::Quantity | Ty::IntOrString => false,
        _ => match v {
            Value::Bool(b) => !b,
            Value::Number(n) => n.as_f64() == Some(0.0),
            Value::String(t) => t.is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Object(m) => m.is_empty(),
            Value::Null => true,
        },
    }
}

fn encode(s: &Schema, ty: &Ty, v: &Value) -> Node {
    match (ty, v) {
        // A null item of a list or value of a map decodes to the zero value.
        (_, Value::Null) => zero(s, ty),
        (Ty::Struct(i), _) => encode_struct(s, &s.structs[*i], v),
        (Ty::List(item), Value::Array(a)) => Node::List(a.iter().map(|x| encode(s, item, x)).collect()),
        (Ty::Map(value), Value::Object(m)) => {
            Node::Object(sorted(m).map(|(k, x)| (k.clone(), encode(s, value, x))).collect())
        }
        (Ty::Quantities, Value::Object(m)) => {
            Node::Object(sorted(m).map(|(k, x)| (k.clone(), encode(s, &Ty::Quantity, x))).collect())
        }
        (Ty::Quantity, _) => Node::Leaf(canonical_quantity(v)),
        _ => Node::Leaf(v.clone()),
    }
}

/// Go map keys come out in byte order.
fn sorted(m: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    super::json::sorted_entries(m).into_iter()
}

/// A quantity as resource.Quantity marshals it: canonical (`0.5` → `500m`, `1024Mi` → `1Gi`).
fn canonical_quantity(v: &Value) -> Value {
    let text = match v {
        Value::String(t) => t.trim().to_string(),
        Value::Number(n) => n.to_string(),
        other => return other.clone(),
    };
    Value::String(crate::api::quantity::canonical(&text).unwrap_or(text))
}

fn to_value(n: Node) -> Value {
    match n {
        Node::Leaf(v) => v,
        Node::List(items) => Value::Array(items.into_iter().map(to_value).collect()),
        Node::Object(fields) => Value::Object(fields.into_iter().map(|(k, v)| (k, to_value(v))).collect()),
    }
}

/// Go's indented JSON of a node: fields as ordered, leaves as `-o json` writes any value.
fn write(out: &mut String, n: &Node, depth: usize) {
    use super::json::{newline_indent, write_string, write_value};
    match n {
        Node::Leaf(v) => write_value(out, v, depth),
        Node::Object(fields) if fields.is_empty() => out.push_str("{}"),
        Node::List(items) if items.is_empty() => out.push_str("[]"),
        Node::Object(fields) => {
            out.push('{');
            for (i, (k, v)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(out, depth + 1);
                write_string(out, k);
                out.push_str(": ");
                write(out, v, depth + 1);
            }
            newline_indent(out, depth);
            out.push('}');
        }
        Node::List(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(out, depth + 1);
                write(out, v, depth + 1);
            }
            newline_indent(out, depth);
            out.push(']');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_deployment_prints_as_the_go_struct() {
        let d = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "x", "labels": {"app": "x"}, "bogus": 1},
            "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "x"}},
                "template": {"metadata": {"labels": {"app": "x"}}, "spec": {"hostNetwork": false,
                    "containers": [{"name": "c", "image": "i", "resources": {"limits": {"memory": "1024Mi"}}}]}}}});
        let n = normalize(&d);
        assert_eq!(n["metadata"], json!({"name": "x", "labels": {"app": "x"}, "creationTimestamp": null}));
        assert_eq!(n["spec"]["replicas"], 0, "a pointer keeps its zero");
        assert_eq!(n["spec"]["strategy"], json!({}));
        assert_eq!(n["status"], json!({}));
        let pod = &n["spec"]["template"]["spec"];
        assert!(pod.get("hostNetwork").is_none(), "omitempty drops false");
        assert_eq!(pod["containers"][0]["resources"]["limits"]["memory"], "1Gi");
        let text = to_json(&d);
        assert!(text.starts_with("{\n    \"kind\": \"Deployment\",\n    \"apiVersion\": \"apps/v1\",\n"), "{text}");
        assert!(text.contains("\"name\": \"c\",\n"));
        let (template, strategy) = (text.find("\"template\"").unwrap(), text.find("\"strategy\"").unwrap());
        assert!(template < strategy, "struct order, not byte order");
    }

    #[test]
    fn fields_without_omitempty_are_written_unset() {
        let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
            "spec": {"ports": [{"targetPort": 80}]}});
        let n = normalize(&svc);
        assert_eq!(n["spec"]["ports"][0], json!({"port": 0, "targetPort": 80}));
        assert_eq!(n["status"], json!({"loadBalancer": {}}));
        let role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "r"}});
        assert_eq!(normalize(&role)["rules"], Value::Null);
    }

    #[test]
    fn objects_outside_kubectls_scheme_are_left_alone() {
        let cr = json!({"apiVersion": "example.com/v1", "kind": "Widget", "b": 1, "a": {}});
        assert_eq!(normalize(&cr), cr);
        assert_eq!(to_json(&cr), super::super::json::to_json(&cr));
    }
}
