//! Reading a kustomization file: which of the three names it has, kustomize's strict decoding
//! (`invalid Kustomization: json: unknown field "x"`), the deprecation warnings it prints, and
//! the typed view the build uses.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

/// `konfig.RecognizedKustomizationFileNames()`, in kustomize's order.
const FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// The fields of kustomize v5.5.0's `types.Kustomization`, with the Go type its decoder names
/// in a type error. Fields kstate does not build are decoded and then refused by name.
const FIELDS: [(&str, &str); 34] = [
    ("apiVersion", "string"),
    ("kind", "string"),
    ("metadata", "types.ObjectMeta"),
    ("openapi", "map[string]string"),
    ("namePrefix", "string"),
    ("nameSuffix", "string"),
    ("namespace", "string"),
    ("commonLabels", "map[string]string"),
    ("labels", "[]types.Label"),
    ("commonAnnotations", "map[string]string"),
    ("patchesStrategicMerge", "[]types.PatchStrategicMerge"),
    ("patchesJson6902", "[]types.Patch"),
    ("patches", "[]types.Patch"),
    ("images", "[]types.Image"),
    ("imageTags", "[]types.Image"),
    ("replacements", "[]types.ReplacementField"),
    ("replicas", "[]types.Replica"),
    ("vars", "[]types.Var"),
    ("sortOptions", "types.SortOptions"),
    ("resources", "[]string"),
    ("components", "[]string"),
    ("crds", "[]string"),
    ("bases", "[]string"),
    ("configMapGenerator", "[]types.ConfigMapArgs"),
    ("secretGenerator", "[]types.SecretArgs"),
    ("helmGlobals", "types.HelmGlobals"),
    ("helmCharts", "[]types.HelmChart"),
    ("helmChartInflationGenerator", "[]types.HelmChartArgs"),
    ("generatorOptions", "types.GeneratorOptions"),
    ("configurations", "[]string"),
    ("generators", "[]string"),
    ("transformers", "[]string"),
    ("validators", "[]string"),
    ("buildMetadata", "[]string"),
];

/// Fields kstate's build does not implement; a kustomization using one is refused.
const UNSUPPORTED: [&str; 10] = [
    "openapi",
    "crds",
    "helmGlobals",
    "helmCharts",
    "helmChartInflationGenerator",
    "configurations",
    "generators",
    "transformers",
    "validators",
    "buildMetadata",
];

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Kustomization {
    /// `Kustomization` (the default) or `Component`.
    pub kind: String,
    pub components: Vec<String>,
    pub name_prefix: String,
    pub name_suffix: String,
    pub namespace: String,
    pub common_labels: BTreeMap<String, String>,
    pub labels: Vec<Label>,
    pub common_annotations: BTreeMap<String, String>,
    pub patches_strategic_merge: Vec<String>,
    #[serde(rename = "patchesJson6902")]
    pub patches_json6902: Vec<Patch>,
    pub patches: Vec<Patch>,
    pub images: Vec<Image>,
    pub image_tags: Vec<Image>,
    pub replicas: Vec<Replica>,
    pub vars: Vec<super::vars::Var>,
    pub replacements: Vec<super::replacements::Entry>,
    pub sort_options: Option<SortOptions>,
    pub resources: Vec<String>,
    pub bases: Vec<String>,
    pub config_map_generator: Vec<GeneratorArgs>,
    pub secret_generator: Vec<GeneratorArgs>,
    pub generator_options: Option<GeneratorOptions>,
}

/// `sortOptions` (read from the top kustomization only): `legacy` (the default) or `fifo`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SortOptions {
    pub order: String,
    pub legacy_sort_options: Option<LegacySortOptions>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LegacySortOptions {
    pub order_first: Vec<String>,
    pub order_last: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Label {
    pub pairs: BTreeMap<String, String>,
    pub include_selectors: bool,
    pub include_templates: bool,
    pub fields: Vec<Value>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct Patch {
    pub path: String,
    pub patch: String,
    pub target: Option<Selector>,
    pub options: BTreeMap<String, bool>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct Selector {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub label_selector: String,
    pub annotation_selector: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Image {
    pub name: String,
    pub new_name: String,
    pub new_tag: String,
    pub tag_suffix: String,
    pub digest: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Replica {
    pub name: String,
    pub count: i64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GeneratorArgs {
    pub name: String,
    pub namespace: String,
    pub behavior: String,
    pub literals: Vec<String>,
    pub files: Vec<String>,
    pub envs: Vec<String>,
    pub env: String,
    #[serde(rename = "type")]
    pub secret_type: String,
    pub options: Option<GeneratorOptions>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct GeneratorOptions {
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub disable_name_suffix_hash: Option<bool>,
    pub immutable: Option<bool>,
}

/// A loaded kustomization and the deprecation warnings its fields call for.
pub struct Loaded {
    pub kustomization: Kustomization,
    pub warnings: Vec<String>,
}

/// The kustomization file of `root` (an existing directory).
pub fn load(root: &Path) -> Result<Loaded, String> {
    let found: Vec<&'static str> = FILE_NAMES.iter().copied().filter(|n| root.join(n).is_file()).collect();
    let file_name = match found.as_slice() {
        [] => {
            return Err(format!(
                "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{}'",
                root.display()
            ))
        }
        [one] => *one,
        _ => return Err(format!("Found multiple kustomization files under: {}\n", root.display())),
    };
    let path = root.join(file_name);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let value = crate::manifest::yaml_to_json(&text).map_err(|e| format!("invalid Kustomization: {e}"))?;
    let value = match value {
        Value::Null => Value::Object(Default::default()),
        v @ Value::Object(_) => v,
        other => {
            return Err(format!(
                "invalid Kustomization: json: cannot unmarshal {} into Go value of type types.Kustomization",
                json_type(&other)
            ))
        }
    };
    let mut value = value;
    let names: Vec<&'static str> = FIELDS.iter().map(|(f, _)| *f).collect();
    super::fold::fold_kustomization(&mut value, &names).map_err(|e| format!("invalid Kustomization: {e}"))?;
    check_fields(&value)?;
    let warnings = deprecation_warnings(&value);
    let kustomization: Kustomization =
        serde_json::from_value(value.clone()).map_err(|e| format!("invalid Kustomization: json: {e}"))?;
    if is_empty(&value) {
        return Err(format!("{file_name} is empty"));
    }
    if let Some(field) = UNSUPPORTED.iter().find(|f| value.get(**f).is_some_and(|v| !is_zero(v))) {
        return Err(format!("kstate's kustomize does not support the kustomization field '{field}'"));
    }
    Ok(Loaded { kustomization, warnings })
}

/// Go's decoder with `DisallowUnknownFields`, for the top level: the first unknown field, or
/// a top-level field of the wrong JSON type (kustomize's messages).
fn check_fields(value: &Value) -> Result<(), String> {
    let Some(map) = value.as_object() else { return Ok(()) };
    for (key, v) in map {
        let Some((_, go_type)) = FIELDS.iter().find(|(f, _)| f == key) else {
            return Err(format!("invalid Kustomization: json: unknown field \"{key}\""));
        };
        let fits = match *go_type {
            "string" => v.is_string() || v.is_null(),
            t if t.starts_with("[]") => v.is_array() || v.is_null(),
            _ => v.is_object() || v.is_null(),
        };
        if !fits {
            return Err(format!(
                "invalid Kustomization: json: cannot unmarshal {} into Go struct field Kustomization.{key} of type {go_type}",
                json_type(v)
            ));
        }
    }
    Ok(())
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn is_zero(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Number(_) => false,
    }
}

/// `CheckEmpty`: nothing but `apiVersion` and `kind`.
fn is_empty(value: &Value) -> bool {
    value.as_object().is_none_or(|m| m.iter().all(|(k, v)| k == "apiVersion" || k == "kind" || is_zero(v)))
}

/// `CheckDeprecatedFields`, in kustomize's order.
fn deprecation_warnings(value: &Value) -> Vec<String> {
    const FIX: &str = "Run 'kustomize edit fix' to update your Kustomization automatically.";
    const FIX_EXPERIMENTAL: &str =
        "[EXPERIMENTAL] Run 'kustomize edit fix' to update your Kustomization automatically.";
    let present = |f: &str| value.get(f).is_some_and(|v| !v.is_null());
    let mut out = Vec::new();
    for (field, use_instead, fix) in [
        ("bases", "resources", FIX),
        ("commonLabels", "labels", FIX),
        ("imageTags", "images", FIX),
        ("patchesJson6902", "patches", FIX),
        ("patchesStrategicMerge", "patches", FIX),
        ("vars", "replacements", FIX_EXPERIMENTAL),
    ] {
        if present(field) {
            out.push(format!("# Warning: '{field}' is deprecated. Please use '{use_instead}' instead. {fix}"));
        }
    }
    out
}
