//! Go's `encoding/json` matches an object's keys to struct fields without regard to case (an
//! exact match first, else `strings.EqualFold`), and kustomize decodes kustomization files with
//! it: `nameprefix:` is `namePrefix:` (Kubernetes' own hack/testdata/kustomize relies on it).
//! This renames keys to their field's spelling, for the structs kstate reads, and reports the
//! first key that names no field as the decoder does (`json: unknown field "x"`).

use serde_json::{Map, Value};

/// The fields of one Go struct, and the struct each nested field holds (or a list of).
struct Shape {
    fields: &'static [&'static str],
    nested: &'static [(&'static str, &'static Shape)],
}

const TARGET: Shape = Shape {
    fields: &["group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"],
    nested: &[],
};
const PATCH: Shape = Shape { fields: &["path", "patch", "target", "options"], nested: &[("target", &TARGET)] };
const LABEL: Shape = Shape { fields: &["pairs", "includeSelectors", "includeTemplates", "fields"], nested: &[] };
const IMAGE: Shape = Shape { fields: &["name", "newName", "newTag", "tagSuffix", "digest"], nested: &[] };
const REPLICA: Shape = Shape { fields: &["name", "count"], nested: &[] };
const OPTIONS: Shape = Shape { fields: &["labels", "annotations", "disableNameSuffixHash", "immutable"], nested: &[] };
const GENERATOR: Shape = Shape {
    fields: &["name", "namespace", "behavior", "literals", "files", "envs", "env", "type", "options"],
    nested: &[("options", &OPTIONS)],
};

const OBJREF: Shape = Shape { fields: &["apiVersion", "group", "version", "kind", "name", "namespace"], nested: &[] };
const FIELDREF: Shape = Shape { fields: &["fieldPath"], nested: &[] };
const VAR: Shape =
    Shape { fields: &["name", "objref", "fieldref"], nested: &[("objref", &OBJREF), ("fieldref", &FIELDREF)] };

const OPTIONS_FIELDS: Shape = Shape { fields: &["delimiter", "index", "create"], nested: &[] };
const SOURCE: Shape = Shape {
    fields: &["group", "version", "kind", "name", "namespace", "fieldPath", "options"],
    nested: &[("options", &OPTIONS_FIELDS)],
};
const SELECT: Shape = Shape {
    fields: &["group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"],
    nested: &[],
};
const TARGET_SELECTOR: Shape = Shape {
    fields: &["select", "reject", "fieldPaths", "options"],
    nested: &[("select", &SELECT), ("reject", &SELECT), ("options", &OPTIONS_FIELDS)],
};
const REPLACEMENT: Shape =
    Shape { fields: &["path", "source", "targets"], nested: &[("source", &SOURCE), ("targets", &TARGET_SELECTOR)] };

const LEGACY_SORT: Shape = Shape { fields: &["orderFirst", "orderLast"], nested: &[] };
const SORT: Shape = Shape { fields: &["order", "legacySortOptions"], nested: &[("legacySortOptions", &LEGACY_SORT)] };

/// The nested structs of `types.Kustomization` kstate reads field by field.
const KUSTOMIZATION_NESTED: &[(&str, &Shape)] = &[
    ("labels", &LABEL),
    ("patches", &PATCH),
    ("patchesJson6902", &PATCH),
    ("images", &IMAGE),
    ("imageTags", &IMAGE),
    ("replicas", &REPLICA),
    ("configMapGenerator", &GENERATOR),
    ("secretGenerator", &GENERATOR),
    ("generatorOptions", &OPTIONS),
    ("vars", &VAR),
    ("replacements", &REPLACEMENT),
    ("sortOptions", &SORT),
];

/// Renames the kustomization's keys (its top-level `fields`, then the nested structs) to their
/// fields' spelling.
pub fn fold_kustomization(value: &mut Value, fields: &[&'static str]) -> Result<(), String> {
    let Value::Object(m) = value else { return Ok(()) };
    rename(m, fields)?;
    nested(m, KUSTOMIZATION_NESTED)
}

fn fold(value: &mut Value, shape: &Shape) -> Result<(), String> {
    match value {
        Value::Array(items) => items.iter_mut().try_for_each(|i| fold(i, shape)),
        Value::Object(m) => {
            rename(m, shape.fields)?;
            nested(m, shape.nested)
        }
        _ => Ok(()),
    }
}

/// Keys in the order Go's decoder meets them (sigs.k8s.io/yaml writes them sorted); a later key
/// for the same field overwrites an earlier one.
fn rename(m: &mut Map<String, Value>, fields: &[&'static str]) -> Result<(), String> {
    let mut out = Map::new();
    for (key, v) in std::mem::take(m) {
        let field = fields
            .iter()
            .find(|f| **f == key)
            .or_else(|| fields.iter().find(|f| f.eq_ignore_ascii_case(&key)))
            .ok_or_else(|| format!("json: unknown field \"{key}\""))?;
        out.insert(field.to_string(), v);
    }
    *m = out;
    Ok(())
}

fn nested(m: &mut Map<String, Value>, shapes: &[(&str, &Shape)]) -> Result<(), String> {
    for (field, shape) in shapes {
        if let Some(v) = m.get_mut(*field) {
            fold(v, shape)?;
        }
    }
    Ok(())
}
