//! Accumulating a kustomization's objects (kustomize's `KustTarget.accumulateTarget`): its
//! resources (files, and directories with their own kustomization, built recursively under
//! the loader's restrictions), its generators, its components, then its transformers in
//! kustomize's fixed order.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::generators::{self, Kind};
use super::resource::{self, Resource};
use super::{load, patches, paths, replacements, transform, vars};

/// How deep kustomizations may nest before the build is refused as a cycle.
const MAX_DEPTH: usize = 64;

/// One `components` entry: a directory whose kustomization (of kind Component) adds its
/// resources and generators to the objects accumulated so far and transforms them all.
fn accumulate_component(
    root: &Path,
    entry: &str,
    resources: Vec<Resource>,
    warnings: &mut Vec<String>,
    vars: &mut Vec<vars::Var>,
    chain: &[PathBuf],
) -> Result<Vec<Resource>, String> {
    if Path::new(entry).is_absolute() {
        let why = format!("new root '{entry}' cannot be absolute");
        return Err(format!("loader.New {}", crate::format::go::quote_str(&why)));
    }
    let path = paths::join(root, entry);
    let real = std::fs::canonicalize(&path).map_err(|e| {
        let why = format!(
            "must build at directory: not a valid directory: evalsymlink failure on '{0}' : lstat {0}: {1}",
            path.display(),
            paths::go_io_error(&e)
        );
        format!("loader.New {}", crate::format::go::quote_str(&why))
    })?;
    if let Some(why) = cycle(&real, root, chain) {
        return Err(format!("loader.New {}", crate::format::go::quote_str(&why)));
    }
    let quoted = |e: String| format!("accumulateDirectory: {}", crate::format::go::quote_str(&e));
    let loaded =
        load::load(&real).map_err(|e| quoted(format!("couldn't make target for path '{}': {e}", real.display())))?;
    warnings.extend(loaded.warnings);
    let k = &loaded.kustomization;
    if k.kind != "Component" {
        let kind = if k.kind.is_empty() { "Kustomization" } else { &k.kind };
        return Err(quoted(format!("expected kind 'Component' for path '{}' but got '{kind}'", real.display())));
    }
    target(&real, k, resources, warnings, vars, &deeper(chain, root))
        .map_err(|e| quoted(format!("recursed accumulation of path '{}': {e}", real.display())))
}

/// `KustTarget.accumulateTarget` of a kustomization: resources, generators, components,
/// transformers, on top of `resources` (empty but for a component's).
pub fn target(
    root: &Path,
    k: &load::Kustomization,
    mut resources: Vec<Resource>,
    warnings: &mut Vec<String>,
    vars: &mut Vec<vars::Var>,
    chain: &[PathBuf],
) -> Result<Vec<Resource>, String> {
    if chain.len() > MAX_DEPTH {
        return Err(format!("kustomizations nest more than {MAX_DEPTH} deep (a cycle?) at '{}'", root.display()));
    }
    for entry in k.resources.iter().chain(&k.bases) {
        add_entry(root, entry, &mut resources, warnings, vars, chain)
            .map_err(|e| format!("accumulating resources: {e}"))?;
    }
    for (kind, list) in [(Kind::ConfigMap, &k.config_map_generator), (Kind::Secret, &k.secret_generator)] {
        for args in list {
            let g = generators::generate(root, kind, args, k.generator_options.as_ref())?;
            absorb_generated(&mut resources, g)?;
        }
    }
    for entry in &k.components {
        resources = accumulate_component(root, entry, resources, warnings, vars, chain)
            .map_err(|e| format!("accumulating components: {e}"))?;
    }
    for entry in &k.patches_strategic_merge {
        patches::apply_strategic_merge(&mut resources, root, entry)?;
    }
    for p in &k.patches {
        patches::apply_patch(&mut resources, root, p)?;
    }
    if !k.namespace.is_empty() {
        transform::namespace(&mut resources, &k.namespace);
    }
    if !k.name_prefix.is_empty() || !k.name_suffix.is_empty() {
        transform::prefix_suffix(&mut resources, &k.name_prefix, &k.name_suffix);
    }
    for label in &k.labels {
        transform::set_map_entries(&mut resources, &label.pairs, &transform::label_specs(label));
    }
    transform::set_map_entries(&mut resources, &k.common_labels, &transform::common_label_specs());
    transform::annotations(&mut resources, &k.common_annotations);
    for p in &k.patches_json6902 {
        patches::apply_json6902(&mut resources, root, p)?;
    }
    for replica in &k.replicas {
        transform::replicas(&mut resources, replica)?;
    }
    for image in k.images.iter().chain(&k.image_tags) {
        transform::images(&mut resources, image);
    }
    if !k.replacements.is_empty() {
        let entries = replacements::load(root, &k.replacements)?;
        replacements::apply(&mut resources, &entries)?;
    }
    vars::merge(vars, &k.vars).map_err(|e| format!("merging vars {e}"))?;
    Ok(resources)
}

/// One `resources` entry: a manifest file, or a directory with its own kustomization.
fn add_entry(
    root: &Path,
    entry: &str,
    resources: &mut Vec<Resource>,
    warnings: &mut Vec<String>,
    vars: &mut Vec<vars::Var>,
    chain: &[PathBuf],
) -> Result<(), String> {
    let accumulation = |e: String| format!("accumulation err='accumulating resources from '{entry}': {e}");
    if entry.contains("://") || entry.starts_with("github.com/") || entry.starts_with("git@") {
        return Err(accumulation(
            "kstate has no network access; clone the repository and name a local directory'".into(),
        ));
    }
    let path = paths::join(root, entry);
    // After the file attempt fails, kustomize tries the entry as a directory, which may not
    // be given as an absolute path.
    let absolute = Path::new(entry).is_absolute();
    let no_absolute = format!("new root '{entry}' cannot be absolute");
    let (Ok(meta), Ok(real)) = (std::fs::metadata(&path), std::fs::canonicalize(&path)) else {
        let why = format!("evalsymlink failure on '{0}' : lstat {0}: no such file or directory", path.display());
        if absolute {
            return Err(format!("{}': {no_absolute}", accumulation(why)));
        }
        return Err(format!("{}': must build at directory: not a valid directory: {why}", accumulation(why.clone())));
    };
    if meta.is_dir() {
        let dir_err = format!("'{}' must resolve to a file'", path.display());
        if absolute {
            return Err(format!("{}: {no_absolute}", accumulation(dir_err)));
        }
        if let Some(why) = cycle(&real, root, chain) {
            return Err(format!("{}: {why}", accumulation(dir_err)));
        }
        let loaded = load::load(&path).map_err(|e| {
            format!("{}: couldn't make target for path '{}': {e}", accumulation(dir_err.clone()), path.display())
        })?;
        warnings.extend(loaded.warnings);
        if loaded.kustomization.kind == "Component" {
            return Err(format!(
                "{}: expected kind != 'Component' for path '{}'",
                accumulation(dir_err),
                path.display()
            ));
        }
        let inner = target(&path, &loaded.kustomization, Vec::new(), warnings, vars, &deeper(chain, root));
        let sub = inner.map_err(|e| {
            format!("{}: recursed accumulation of path '{}': {e}", accumulation(dir_err.clone()), path.display())
        })?;
        for r in sub {
            absorb(resources, r).map_err(|e| {
                format!("{}: recursed merging from path '{}': {e}", accumulation(dir_err.clone()), path.display())
            })?;
        }
        return Ok(());
    }
    if !real.starts_with(root) {
        let why = format!("security; file '{}' is not in or below '{}''", real.display(), root.display());
        if absolute {
            return Err(format!("{}: {no_absolute}", accumulation(why)));
        }
        return Err(format!(
            "{}: must build at directory: '{}': file is not directory",
            accumulation(why),
            path.display()
        ));
    }
    // kustomize reads the file into its own set first (a repeated id inside the file is an
    // "accumulating" error), then merges that set ("merging").
    let text = std::fs::read(&path).map_err(|e| accumulation(format!("{}'", paths::go_io_error(&e))))?;
    let text = String::from_utf8_lossy(&text);
    let not_dir = format!("must build at directory: '{}': file is not directory", path.display());
    let (docs, parse_err) = crate::manifest::documents(&text);
    if let Some(e) = parse_err {
        let e = e.strip_prefix("error converting YAML to JSON: ").unwrap_or(&e);
        return Err(format!("accumulating resources from '{entry}': MalformedYAMLError: {e} in File: {entry}"));
    }
    let mut own = Vec::new();
    for value in docs.into_iter().flat_map(list_items) {
        if let Some(why) = resource::missing_type(&value) {
            return Err(format!("{}': {not_dir}", accumulation(why)));
        }
        absorb(&mut own, Resource::new(value)).map_err(|e| format!("{}': {not_dir}", accumulation(e)))?;
    }
    for r in own {
        absorb(resources, r)
            .map_err(|e| format!("accumulation err='merging resources from '{entry}': {e}': {not_dir}"))?;
    }
    Ok(())
}

/// A `*List` object's items (kustomize expands lists), or the object itself.
fn list_items(value: Value) -> Vec<Value> {
    let is_list = value.get("kind").and_then(Value::as_str).is_some_and(|k| k.ends_with("List"));
    match (is_list, value.get("items")) {
        (true, Some(Value::Array(items))) => items.clone(),
        _ => vec![value],
    }
}

/// The referrers' roots and `root`: the chain a nested kustomization is loaded under.
fn deeper(chain: &[PathBuf], root: &Path) -> Vec<PathBuf> {
    let mut out = chain.to_vec();
    out.push(root.to_path_buf());
    out
}

/// kustomize's loader refuses a directory that contains one it is already inside (itself, a
/// parent, or a referrer's root), nearest first.
fn cycle(candidate: &Path, root: &Path, chain: &[PathBuf]) -> Option<String> {
    let visited = std::iter::once(root).chain(chain.iter().rev().map(PathBuf::as_path));
    visited.into_iter().find(|v| v.starts_with(candidate)).map(|v| {
        format!("cycle detected: candidate root '{}' contains visited root '{}'", candidate.display(), v.display())
    })
}

/// Adds an object unless one with its id is already there.
fn absorb(resources: &mut Vec<Resource>, r: Resource) -> Result<(), String> {
    let id = r.id();
    if resources.iter().any(|x| x.id() == id) {
        return Err(format!("may not add resource with an already registered id: {id}"));
    }
    resources.push(r);
    Ok(())
}

/// A generated object: new (`create`), or merged into / replacing the base's object that had
/// its name (`merge`, `replace`).
fn absorb_generated(resources: &mut Vec<Resource>, g: generators::Generated) -> Result<(), String> {
    if g.behavior == "create" {
        return absorb(resources, g.resource);
    }
    let new = g.resource;
    let found = resources.iter_mut().find(|r| {
        r.kind() == new.kind()
            && r.had_name(new.name())
            && (new.namespace().is_empty() || new.namespace() == r.namespace())
    });
    match found {
        Some(base) => {
            generators::merge_into(base, &new, &g.behavior);
            Ok(())
        }
        None => Err(format!("id {} does not exist; cannot merge or replace", new.id())),
    }
}
