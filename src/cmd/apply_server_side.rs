//! `kstate apply --server-side`: each manifest is sent whole as an apply patch; the API server
//! merges it and records the field manager (`api::managed::apply`). A field another manager owns
//! with another value fails with the server's conflict message and kubectl's advice, unless
//! `--force-conflicts`. After the apply, kubectl hands client-side apply's fields to the applier.

use serde_json::Value;

use super::dry_run::DryRun;
use super::Context;
use crate::api::decode::FieldValidation;
use crate::api::managed::{self, apply::Conflicts, Writer};
use crate::cluster::{Cluster, Key};
use crate::{Error, Result};

/// kubectl's advice after the server's conflict message (`apply.go`).
const ADVICE: &str = "Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts";

pub struct Options<'a> {
    pub manager: &'a str,
    pub force: bool,
    pub dry_run: DryRun,
    pub validation: FieldValidation,
}

/// What one apply did: whether it wrote.
pub enum Applied {
    Written,
    Unchanged,
}

/// Applies one manifest (its namespace already set) as `opts.manager`.
pub fn apply_one(ctx: &mut Context, cluster: &mut Cluster, mut obj: Value, opts: &Options) -> Result<Applied> {
    super::create::decode_request(ctx, &mut obj, opts.validation)?;
    let kind = Cluster::kind_of(&obj)?;
    let key = Key::new(kind, crate::api::ObjectExt::namespace(&obj), crate::api::ObjectExt::name(&obj));
    let live = cluster.get(&key)?;
    let api_version = crate::api::ObjectExt::str_at(&obj, "apiVersion").to_string();
    let time = cluster.clock.now_rfc3339();
    let writer = Writer { manager: opts.manager, api_version: &api_version, time: &time };
    let mut applied = managed::apply::apply(live.as_ref(), &obj, writer, opts.force).map_err(conflict_error)?;
    if opts.dry_run == DryRun::Client {
        return Ok(Applied::Unchanged);
    }
    cluster.field_manager = None;
    let Some(live) = live else {
        let namespace = crate::api::ObjectExt::namespace(&applied).to_string();
        cluster.create(applied, &namespace)?;
        return Ok(Applied::Written);
    };
    managed::apply::migrate_client_side(&mut applied, opts.manager);
    if same_content(&live, &applied) {
        return Ok(Applied::Unchanged);
    }
    cluster.update(applied)?;
    Ok(Applied::Written)
}

fn conflict_error(c: Conflicts) -> Error {
    Error::cli(format!("{}\n{ADVICE}", c.message()))
}

/// Whether an apply changed nothing but the time of its own entry: the server writes nothing.
fn same_content(live: &Value, applied: &Value) -> bool {
    let strip_times = |o: &Value| {
        let mut o = o.clone();
        if let Some(list) = o.pointer_mut("/metadata/managedFields").and_then(Value::as_array_mut) {
            for e in list.iter_mut().filter_map(Value::as_object_mut) {
                e.remove("time");
            }
            list.sort_by_key(|e| e.to_string());
        }
        o
    };
    strip_times(live) == strip_times(applied)
}
