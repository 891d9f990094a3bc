//! kustomize, as kubectl v1.32 embeds it (kustomize v5.5.0, `sigs.k8s.io/kustomize/api`
//! v0.18.0): `kubectl kustomize DIR` and the `-k DIR` of the verbs that read manifests.
//!
//! A build follows kustomize's `KustTarget`: each kustomization accumulates its resources
//! (files, and directories with their own kustomization, built recursively), runs its
//! generators and components, then its transformers in kustomize's fixed order (see
//! `accumulate`); at the top, generated names get their content hash, references to renamed
//! objects follow, `vars` are replaced, and the objects are put in kustomize's legacy order
//! (or as `sortOptions` says). Only local directories are read: kstate has no network.

mod accumulate;
mod config;
mod fieldspec;
mod fold;
mod generators;
mod hash;
mod load;
mod merge;
mod namerefs;
mod order;
mod patches;
mod paths;
mod replacements;
mod resource;
mod transform;
mod vars;

use std::path::PathBuf;

use serde_json::Value;

/// What a build gives: the objects in output order (or kustomize's error), and the warnings
/// kustomize prints on stderr (deprecated fields) as it loads each kustomization, failed builds
/// included.
pub struct Build {
    pub objects: Result<Vec<Value>, String>,
    pub warnings: Vec<String>,
}

/// The output order when the kustomization has no `sortOptions` (`kubectl kustomize
/// --reorder`): kustomize's legacy order, or as read and generated.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Legacy,
    None,
}

/// Builds the kustomization in `dir`. Errors are kustomize's messages.
pub fn build(dir: &str, order: Order) -> Build {
    let mut warnings = Vec::new();
    let objects = build_objects(dir, order, &mut warnings);
    Build { objects, warnings }
}

fn build_objects(dir: &str, order: Order, warnings: &mut Vec<String>) -> Result<Vec<Value>, String> {
    let root = build_root(dir)?;
    let mut vars = Vec::new();
    let loaded = load::load(&root)?;
    warnings.extend(loaded.warnings);
    let top = &loaded.kustomization;
    let mut resources = accumulate::target(&root, top, Vec::new(), warnings, &mut vars, &[])?;
    for r in resources.iter_mut().filter(|r| r.needs_hash) {
        let name = format!("{}-{}", r.name(), hash::hash(r));
        r.set_name(&name);
    }
    namerefs::fix(&mut resources);
    vars::resolve(&mut resources, &vars)?;
    resources.retain(|r| {
        r.value.pointer("/metadata/annotations/config.kubernetes.io~1local-config").and_then(Value::as_str)
            != Some("true")
    });
    match &top.sort_options {
        None if order == Order::None => {}
        None => order::sort(&mut resources, &order::DEFAULT),
        Some(o) if o.order == "fifo" && o.legacy_sort_options.is_some() => {
            return Err(
                "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'"
                    .into(),
            )
        }
        Some(o) if o.order == "fifo" => {}
        Some(o) if o.order == "legacy" => match &o.legacy_sort_options {
            None => order::sort(&mut resources, &order::DEFAULT),
            Some(l) => {
                let first: Vec<&str> = l.order_first.iter().map(String::as_str).collect();
                let last: Vec<&str> = l.order_last.iter().map(String::as_str).collect();
                order::sort(&mut resources, &order::Lists { first: &first, last: &last });
            }
        },
        Some(_) => return Err("the field 'sortOptions.order' must be one of [fifo, legacy]".into()),
    }
    Ok(resources.into_iter().map(|r| r.value).collect())
}

/// The objects as `kubectl kustomize` prints them: YAML documents separated by `---`.
pub fn to_yaml(objects: &[Value]) -> String {
    crate::print::yaml::to_yaml_documents(objects)
}

/// kustomize's loader roots a build at the directory's real path.
fn build_root(dir: &str) -> Result<PathBuf, String> {
    let real = std::fs::canonicalize(dir).map_err(|e| {
        let abs = paths::join(&std::env::current_dir().unwrap_or_default(), dir);
        format!(
            "must build at directory: not a valid directory: evalsymlink failure on '{dir}' : lstat {}: {}",
            abs.display(),
            paths::go_io_error(&e)
        )
    })?;
    if !real.is_dir() {
        return Err(format!("must build at directory: '{dir}': file is not directory"));
    }
    Ok(real)
}
