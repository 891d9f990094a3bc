//! Decoding a JSON value into the Go types of the schema, as apimachinery's strict JSON decoder
//! (sigs.k8s.io/json, case-sensitive) does: the first type mismatch is remembered and decoding
//! goes on; an error from a type's own `UnmarshalJSON` (quantities, int-or-strings, times) ends
//! it at once; every unknown field is collected (with list indices) and dropped from the object.

use serde_json::Value;

use super::base64;
use super::schema::{Schema, Struct, Ty};
use crate::api::quantity::Quantity;

/// What decoding met.
#[derive(Debug, Default)]
pub struct Outcome {
    /// `spec.containers[0].imagePullPolice`, in the order the sorted JSON is read.
    pub unknown: Vec<String>,
    /// The error the decoder returns (Go's saved type error, or an unmarshaler's error).
    pub error: Option<String>,
}

struct Walker<'s> {
    schema: &'s Schema,
    /// The strict path: JSON names with `[i]` for list items.
    path: Vec<String>,
    /// Go's error context: JSON field names only, and the innermost struct's name.
    fields: Vec<&'s str>,
    struct_name: &'s str,
    unknown: Vec<String>,
    saved: Option<String>,
    abort: Option<String>,
}

/// Decodes `obj` as `root`, removing the fields the type does not have.
pub fn decode(schema: &Schema, root: &Struct, obj: &mut Value) -> Outcome {
    let mut w = Walker {
        schema,
        path: Vec::new(),
        fields: Vec::new(),
        struct_name: root.name,
        unknown: Vec::new(),
        saved: None,
        abort: None,
    };
    w.object(root, obj);
    Outcome { unknown: w.unknown, error: w.abort.or(w.saved) }
}

impl<'s> Walker<'s> {
    fn value(&mut self, ty: &'s Ty, v: &mut Value) {
        if self.abort.is_some() || v.is_null() {
            return;
        }
        match ty {
            Ty::Any => {}
            Ty::Str(_) => self.expect(v.is_string(), ty, v),
            Ty::Bool => self.expect(v.is_boolean(), ty, v),
            Ty::Float64 => self.expect(v.is_number(), ty, v),
            Ty::Int32 => self.integer(ty, v, i64::from(i32::MIN), i64::from(i32::MAX)),
            Ty::Int64 => self.integer(ty, v, i64::MIN, i64::MAX),
            Ty::Quantity => {
                let text = match v {
                    Value::String(s) => s.trim().to_string(),
                    other => other.to_string(),
                };
                if let Err(e) = Quantity::parse(&text) {
                    self.abort = Some(e);
                }
            }
            Ty::IntOrString => {
                if !v.is_string() && !fits_i32(v) {
                    self.abort = Some(format!("json: cannot unmarshal {} into Go value of type int32", go_value(v)));
                }
            }
            Ty::Time => {
                if !v.is_string() {
                    self.abort = Some(format!("json: cannot unmarshal {} into Go value of type string", go_kind(v)));
                }
            }
            Ty::Bytes => match v {
                Value::String(s) => {
                    if let Some(at) = base64::corrupt_at(s) {
                        self.save(format!("illegal base64 data at input byte {at}"));
                    }
                }
                other => self.mismatch(ty, go_kind(other).to_string()),
            },
            Ty::Quantities => self.map(&Ty::Quantity, ty, v),
            Ty::Map(elem) => self.map(elem, ty, v),
            Ty::List(elem) => match v {
                Value::Array(items) => {
                    for (i, item) in items.iter_mut().enumerate() {
                        if let Some(last) = self.path.last_mut() {
                            last.push_str(&format!("[{i}]"));
                        }
                        self.value(elem, item);
                        if let Some(last) = self.path.last_mut() {
                            let cut = last.rfind('[').unwrap_or(last.len());
                            last.truncate(cut);
                        }
                    }
                }
                other => self.mismatch(ty, go_kind(other).to_string()),
            },
            Ty::Struct(i) => {
                let st = &self.schema.structs[*i];
                if v.is_object() {
                    self.object(st, v);
                } else {
                    self.mismatch(ty, go_kind(v).to_string());
                }
            }
        }
    }

    fn object(&mut self, st: &'s Struct, v: &mut Value) {
        let Value::Object(map) = v else { return };
        let outer = std::mem::replace(&mut self.struct_name, st.name);
        let keys: Vec<String> = map.keys().cloned().collect();
        for key in keys {
            match st.field(&key) {
                Some(f) => {
                    self.path.push(key.clone());
                    self.fields.push(f.name);
                    self.struct_name = st.name;
                    if let Some(field) = map.get_mut(&key) {
                        self.value(&f.ty, field);
                    }
                    self.fields.pop();
                    self.path.pop();
                }
                None => {
                    let mut full = self.path.join(".");
                    if !full.is_empty() {
                        full.push('.');
                    }
                    full.push_str(&key);
                    self.unknown.push(full);
                    map.remove(&key);
                }
            }
        }
        self.struct_name = outer;
    }

    fn map(&mut self, elem: &'s Ty, ty: &Ty, v: &mut Value) {
        match v {
            Value::Object(entries) => {
                for item in entries.values_mut() {
                    self.value(elem, item);
                }
            }
            other => self.mismatch(ty, go_kind(other).to_string()),
        }
    }

    fn integer(&mut self, ty: &Ty, v: &Value, min: i64, max: i64) {
        match v {
            Value::Number(n) => {
                if !n.as_i64().is_some_and(|i| (min..=max).contains(&i)) {
                    self.mismatch(ty, format!("number {n}"));
                }
            }
            other => self.mismatch(ty, go_kind(other).to_string()),
        }
    }

    fn expect(&mut self, ok: bool, ty: &Ty, v: &Value) {
        if !ok {
            self.mismatch(ty, go_kind(v).to_string());
        }
    }

    /// Go's `UnmarshalTypeError` in its struct-field form.
    fn mismatch(&mut self, ty: &Ty, value: String) {
        let msg = format!(
            "json: cannot unmarshal {value} into Go struct field {}.{} of type {}",
            self.struct_name,
            self.fields.join("."),
            self.schema.display(ty)
        );
        self.save(msg);
    }

    fn save(&mut self, msg: String) {
        if self.saved.is_none() {
            self.saved = Some(msg);
        }
    }
}

fn fits_i32(v: &Value) -> bool {
    v.as_i64().is_some_and(|i| i32::try_from(i).is_ok())
}

/// Go's word for a JSON value in a type error (`number` alone when the target is not numeric).
fn go_kind(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => "null",
    }
}

/// The value as Go names it when decoding into an integer: numbers carry their text.
fn go_value(v: &Value) -> String {
    match v {
        Value::Number(n) => format!("number {n}"),
        other => go_kind(other).to_string(),
    }
}
