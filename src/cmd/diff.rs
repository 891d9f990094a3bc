//! `kstate diff -f FILE|DIR|-`: what `apply` would change. Each manifest is applied in a
//! transaction that is thrown away (`apply`'s three-way merge, or `--server-side`'s merge); the
//! live and the resulting objects are written as YAML to `LIVE-*` and `MERGED-*` directories under
//! kubectl's file names (`apps.v1.Deployment.default.web`), and `$KUBECTL_EXTERNAL_DIFF` (default
//! `diff -u -N`) compares them, as kubectl does. Exit 0: no differences; 1: differences; 2: an
//! error.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::apply::{with_last_applied, LAST_APPLIED};
use super::create::{decode_request, read_filenames, to_served_doc};
use super::Context;
use crate::api::decode::FieldValidation;
use crate::api::managed::{self, Writer};
use crate::api::object::set_at;
use crate::api::{patch, ObjectExt};
use crate::cluster::{Cluster, Key};
use crate::manifest::Entry;
use crate::print::yaml::to_yaml;
use crate::{Error, Result};

pub struct Request {
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub server_side: bool,
    pub field_manager: Option<String>,
    pub force_conflicts: bool,
    pub show_managed_fields: bool,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let entries = read_filenames(ctx, &req.filenames, req.recursive, FieldValidation::Strict, "diff")?;
    let mut cluster = ctx.write()?;
    let dirs = TempDirs::new()?;
    let mut result = Ok(());
    for entry in entries {
        let Entry::Doc(doc) = entry else { continue };
        let mut obj = doc.value;
        if let Err(e) =
            to_served_doc(ctx, &mut obj, &doc.source, false).and_then(|_| one(ctx, &mut cluster, obj, &req, &dirs))
        {
            result = Err(e);
            break;
        }
    }
    cluster.abandon()?;
    result?;
    let (code, out, err) = dirs.compare()?;
    std::io::Write::write_all(ctx.out, &out).map_err(super::io)?;
    std::io::Write::write_all(ctx.err, &err).map_err(super::io)?;
    match code {
        0 => Ok(()),
        1 => Err(Error::Silent(1)),
        other => Err(Error::cli(format!("exit status {other}"))),
    }
}

fn one(ctx: &mut Context, cluster: &mut Cluster, mut obj: Value, req: &Request, dirs: &TempDirs) -> Result<()> {
    let kind = Cluster::kind_of(&obj)?;
    let namespace = if !ctx.namespace_given && !obj.namespace().is_empty() {
        obj.namespace().to_string()
    } else {
        ctx.namespace.clone()
    };
    if kind.namespaced {
        set_at(&mut obj, "metadata.namespace", Value::String(namespace.clone()));
    }
    decode_request(ctx, &mut obj, FieldValidation::Strict)?;
    let key = Key::new(kind, &namespace, obj.name());
    let name = file_name(kind.group, kind.version, kind.kind, &namespace, obj.name());
    let live = cluster.get(&key)?;
    let time = cluster.clock.now_rfc3339();
    let api_version = obj.str_at("apiVersion").to_string();
    let merged: Value = if req.server_side {
        // kubectl diff's `--field-manager` defaults to `kubectl-client-side-apply`, with or
        // without --server-side (so the API server keeps the last-applied annotation as it is).
        let manager = req.field_manager.as_deref().unwrap_or("kubectl-client-side-apply");
        let writer = Writer { manager, api_version: &api_version, time: &time };
        let applied = managed::apply::apply(live.as_ref(), &obj, writer, req.force_conflicts)
            .map_err(|c| Error::Raw(format!("Error from server (Conflict): {}", c.message())))?;
        store(cluster, live.is_some(), applied, &namespace, None)?
    } else {
        with_last_applied(&mut obj)?;
        let manager = req.field_manager.clone().unwrap_or_else(|| "kubectl-client-side-apply".into());
        match &live {
            None => store(cluster, false, obj, &namespace, Some(manager))?,
            Some(l) => {
                let original: Option<Value> = l.annotation(LAST_APPLIED).and_then(|s| serde_json::from_str(s).ok());
                let mut merged = patch::three_way(original.as_ref(), &obj, l);
                patch::drop_empty_meta(&mut merged);
                store(cluster, true, merged, &namespace, Some(manager))?
            }
        }
    };
    // A dry run writes nothing: the resourceVersion stays, and a no-op is the live object.
    let merged = match &live {
        Some(l) if super::patch::no_change(l, &merged) => l.clone(),
        Some(l) => {
            let mut m = merged;
            set_at(
                &mut m,
                "metadata.resourceVersion",
                l.at("metadata.resourceVersion").cloned().unwrap_or(Value::Null),
            );
            m
        }
        None => {
            let mut m = merged;
            crate::api::object::remove_at(&mut m, "metadata.resourceVersion");
            m
        }
    };
    if let Some(l) = live {
        dirs.write(&dirs.live, &name, l, req.show_managed_fields)?;
    }
    dirs.write(&dirs.merged, &name, merged, req.show_managed_fields)
}

/// Writes the object in the thrown-away transaction and returns what the server would store.
fn store(cluster: &mut Cluster, exists: bool, obj: Value, namespace: &str, manager: Option<String>) -> Result<Value> {
    cluster.field_manager = manager;
    if exists {
        cluster.update(obj)
    } else {
        cluster.create(obj, namespace).map(|o| (*o).clone())
    }
}

/// kubectl's file name for an object: `[GROUP.]VERSION.KIND.NAMESPACE.NAME`.
fn file_name(group: &str, version: &str, kind: &str, namespace: &str, name: &str) -> String {
    let group = if group.is_empty() { String::new() } else { format!("{group}.") };
    format!("{group}{version}.{kind}.{namespace}.{name}")
}

struct TempDirs {
    live: PathBuf,
    merged: PathBuf,
}

impl TempDirs {
    fn new() -> Result<TempDirs> {
        let stamp =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let tmp = std::env::temp_dir();
        let live = tmp.join(format!("LIVE-{}{stamp}", std::process::id()));
        let merged = tmp.join(format!("MERGED-{}{stamp}", std::process::id()));
        std::fs::create_dir_all(&live).map_err(super::io)?;
        std::fs::create_dir_all(&merged).map_err(super::io)?;
        Ok(TempDirs { live, merged })
    }

    fn write(&self, dir: &Path, name: &str, mut obj: Value, show_managed_fields: bool) -> Result<()> {
        if !show_managed_fields {
            managed::hide(&mut obj);
        }
        std::fs::write(dir.join(name), to_yaml(&obj)).map_err(super::io)
    }

    /// Runs the diff program on the two directories: its exit code and what it printed.
    fn compare(&self) -> Result<(i32, Vec<u8>, Vec<u8>)> {
        let program = std::env::var("KUBECTL_EXTERNAL_DIFF").ok().filter(|p| !p.trim().is_empty());
        let program = program.unwrap_or_else(|| "diff -u -N".to_string());
        let output = Command::new("sh")
            .arg("-c")
            .arg(format!("{program} \"$1\" \"$2\""))
            .arg("sh")
            .arg(&self.live)
            .arg(&self.merged)
            .output()
            .map_err(|e| Error::cli(format!("failed to run \"{program}\": {e}")))?;
        Ok((output.status.code().unwrap_or(2), output.stdout, output.stderr))
    }
}

impl Drop for TempDirs {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.live);
        let _ = std::fs::remove_dir_all(&self.merged);
    }
}
