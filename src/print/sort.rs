//! `--sort-by=JSONPATH`: kubectl's `RuntimeSort` / `TableSorter` (`pkg/cmd/get/sorter.go`).
//!
//! The path is relaxed (`.a.b`, `a.b`, `{.a.b}`); values compare by type: numbers numerically,
//! strings that are both quantities as quantities, other strings (timestamps included) in natural order (`sortorder.NaturalLess`: digit runs compare
//! as numbers), `false` before `true`. An object without the field sorts first. The sort is
//! stable. When no object has the field, kubectl fails with
//! `couldn't find any field with path "{.x}" in the list of objects`.

use std::cmp::Ordering;

use serde_json::Value;

use crate::api::quantity::Quantity;
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
    keyed.sort_by(|a, b| compare(&a.0, &b.0));
    for (slot, (_, o)) in objects.iter_mut().zip(keyed) {
        *slot = o;
    }
    Ok(())
}

fn compare(a: &Option<Value>, b: &Option<Value>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(x), Some(y)) => compare_values(x, y),
    }
}

fn compare_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x.as_f64().unwrap_or(0.0).partial_cmp(&y.as_f64().unwrap_or(0.0)).unwrap_or(Ordering::Equal)
        }
        // sorter.go's isLess: two strings that both parse as quantities (`64Mi`, `1G`, `250m`,
        // `0.5`) compare as quantities; others in natural order.
        (Value::String(x), Value::String(y)) => match (Quantity::parse(x), Quantity::parse(y)) {
            (Ok(p), Ok(q)) => p.cmp(&q),
            _ => natural_cmp(x, y),
        },
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Array(x), Value::Array(y)) => {
            for (p, q) in x.iter().zip(y) {
                let o = compare_values(p, q);
                if o != Ordering::Equal {
                    return o;
                }
            }
            x.len().cmp(&y.len())
        }
        _ => Ordering::Equal,
    }
}

/// `sortorder.NaturalLess` as an ordering: runs of digits compare by value (then by length, so
/// leading zeros sort first), everything else byte by byte.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (ca, cb) = (a[i], b[j]);
        if ca.is_ascii_digit() && cb.is_ascii_digit() {
            let si = i;
            while i < a.len() && a[i] == b'0' {
                i += 1;
            }
            let sj = j;
            while j < b.len() && b[j] == b'0' {
                j += 1;
            }
            let (ni, nj) = (i, j);
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let (da, db) = (&a[ni..i], &b[nj..j]);
            let o = da.len().cmp(&db.len()).then_with(|| da.cmp(db));
            if o != Ordering::Equal {
                return o;
            }
            // Equal values: fewer leading zeros first.
            let o = (ni - si).cmp(&(nj - sj));
            if o != Ordering::Equal {
                return o;
            }
            continue;
        }
        if ca != cb {
            return ca.cmp(&cb);
        }
        i += 1;
        j += 1;
    }
    (a.len() - i).cmp(&(b.len() - j))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quantities_sort_by_value() {
        let mut objs = vec![json!({"m": "1G"}), json!({"m": "64Mi"}), json!({"m": "0.5"}), json!({"m": "250m"})];
        sort_objects(&mut objs, ".m").unwrap();
        assert_eq!(objs.iter().map(|o| o["m"].as_str().unwrap()).collect::<Vec<_>>(), ["250m", "0.5", "64Mi", "1G"]);
    }

    #[test]
    fn natural_order() {
        let mut v = vec!["web-10", "web-2", "web-1", "a"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["a", "web-1", "web-2", "web-10"]);
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
