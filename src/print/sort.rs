//! `--sort-by=JSONPATH`: kubectl's `RuntimeSort` / `TableSorter` (`pkg/cmd/get/sorter.go`).
//!
//! The path is relaxed (`.a.b`, `a.b`, `{.a.b}`); values compare as kubectl v1.32's `isLess`
//! compares them: numbers numerically; two strings that both parse as quantities (`100Mi`, `5`,
//! `250m`) by value, other strings byte by byte (kubectl 1.31 dropped the natural order);
//! `false` before `true`. kubectl's `Less` holds for an object without the field against any
//! other, and it sorts with Go's unstable `sort.Sort`, so kstate sorts with the same algorithm
//! (`gosort`): objects without the field come first, in the order that algorithm leaves them
//! (for a short list, reversed). When no object has the field, kubectl fails with
//! `couldn't find any field with path "{.x}" in the list of objects`.

use serde_json::Value;

use crate::print::jsonpath;
/// `.a.b` / `a.b` / `{.a.b}` → `{.a.b}`.
pub fn relaxed(path: &str) -> String {
    let body = path.strip_prefix('{').and_then(|p| p.strip_suffix('}')).unwrap_or(path);
    let body = body.strip_prefix('.').unwrap_or(body);
    format!("{{.{body}}}")
}

/// Sorts `objects` by the value at `field`; Err(message without `error: `).
pub fn sort_objects(objects: &mut [Value], field: &str) -> Result<(), String> {
    let template = relaxed(field);
    jsonpath::check(&template).map_err(|e| jsonpath::parse_error_message(&template, &e))?;
    let mut keyed: Vec<(Option<Value>, Value)> = Vec::with_capacity(objects.len());
    for o in objects.iter() {
        let v = jsonpath::results(&template, o).ok().and_then(|r| r.into_iter().next());
        keyed.push((v, o.clone()));
    }
    if keyed.len() > 1 && keyed.iter().all(|(v, _)| v.is_none()) {
        return Err(format!("couldn't find any field with path {template:?} in the list of objects"));
    }
    crate::print::gosort::sort(&mut keyed, |a, b| less(&a.0, &b.0));
    for (slot, (_, o)) in objects.iter_mut().zip(keyed) {
        *slot = o;
    }
    Ok(())
}

/// kubectl's `RuntimeSort.Less`: an object without the field is less than any other.
fn less(a: &Option<Value>, b: &Option<Value>) -> bool {
    match (a, b) {
        (None, _) => true,
        (_, None) => false,
        (Some(x), Some(y)) => is_less(x, y),
    }
}

/// kubectl's `isLess` over the JSON values of an unstructured object (values of different
/// types, which make kubectl exit, are not less).
fn is_less(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(p), Some(q)) => p < q,
            _ => x.as_f64().unwrap_or(0.0) < y.as_f64().unwrap_or(0.0),
        },
        (Value::String(x), Value::String(y)) => {
            match (crate::api::quantity::Quantity::parse(x), crate::api::quantity::Quantity::parse(y)) {
                (Ok(p), Ok(q)) => p < q,
                _ => x.as_bytes() < y.as_bytes(),
            }
        }
        (Value::Bool(x), Value::Bool(y)) => !x & y,
        // Go's slice case: the first pair that is not less decides; a shorter prefix is less.
        (Value::Array(x), Value::Array(y)) => {
            for (p, q) in x.iter().zip(y) {
                if !is_less(p, q) {
                    return false;
                }
            }
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quantities_compare_by_value_other_strings_by_bytes() {
        let mut objs: Vec<Value> = ["100Mi", "10", "5", "web-2", "web-10"].iter().map(|s| json!({"s": s})).collect();
        sort_objects(&mut objs, ".s").unwrap();
        let got: Vec<&str> = objs.iter().map(|o| o["s"].as_str().unwrap()).collect();
        // A quantity against a name compares as bytes, names too (`web-10` before `web-2`).
        assert_eq!(got, ["5", "10", "100Mi", "web-10", "web-2"]);
        let mut objs: Vec<Value> = ["100Mi", "10", "5"].iter().map(|s| json!({"s": s})).collect();
        sort_objects(&mut objs, ".s").unwrap();
        let got: Vec<&str> = objs.iter().map(|o| o["s"].as_str().unwrap()).collect();
        assert_eq!(got, ["5", "10", "100Mi"]);
    }

    #[test]
    fn objects_without_the_field_come_first_reversed() {
        let mut objs = vec![json!({"n": "b"}), json!({"x": 5, "n": "c"}), json!({"n": "d"})];
        sort_objects(&mut objs, ".x").unwrap();
        let got: Vec<&str> = objs.iter().map(|o| o["n"].as_str().unwrap()).collect();
        assert_eq!(got, ["d", "b", "c"]);
    }

    #[test]
    fn sorts_by_number_and_reports_missing_fields() {
        let mut objs = vec![json!({"n": 10, "s": "b"}), json!({"n": 2}), json!({"n": 3, "s": "a"})];
        sort_objects(&mut objs, ".n").unwrap();
        assert_eq!(objs.iter().map(|o| o["n"].as_i64().unwrap()).collect::<Vec<_>>(), [2, 3, 10]);
        sort_objects(&mut objs, "{.s}").unwrap();
        assert_eq!(objs.iter().map(|o| o["n"].as_i64().unwrap()).collect::<Vec<_>>(), [2, 3, 10]);
        assert!(sort_objects(&mut objs, ".nope").is_err());
    }
}
