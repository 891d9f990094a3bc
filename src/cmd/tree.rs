//! `kstate tree KIND/NAME` (kstate's own, after the kubectl-tree plugin): the objects an object
//! owns, recursively (by ownerReferences), and for the volumes a pod uses, its claims and their
//! volumes, so a StatefulSet shows its ControllerRevisions, pods, claims and volumes at once.

use foldhash::{HashSet, HashSetExt};
use serde_json::Value;

use super::{io, parse_targets, Context};
use crate::api::kinds::{self, PV, PVC};
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::print::tree::{render, Node};
use crate::{Error, Result};

/// Deep enough for any chain of owners; a cycle stops at objects already drawn.
const MAX_DEPTH: usize = 16;

pub fn run(ctx: &mut Context, target: &str) -> Result<()> {
    let targets = parse_targets(&[target.to_string()])?;
    let (kind, name) = match targets.as_slice() {
        [t] if t.names.len() == 1 => (t.kind, t.names[0].clone()),
        _ => return Err(Error::cli("specify one object as KIND/NAME, for example statefulset/web")),
    };
    let mut cluster = ctx.read()?;
    let root = cluster.get(&Key::new(kind, &ctx.namespace, &name))?;
    let result = match root {
        Some(obj) => build(&mut cluster, obj, &mut HashSet::new(), 0).map(|tree| render(&tree, cluster.clock.now())),
        None => Err(Error::not_found(&kind.resource(), &name)),
    };
    cluster.abandon()?;
    ctx.out.write_all(result?.as_bytes()).map_err(io)
}

fn build(cluster: &mut Cluster, object: Value, seen: &mut HashSet<String>, depth: usize) -> Result<Node> {
    seen.insert(object.uid().to_string());
    let mut children = Vec::new();
    if depth < MAX_DEPTH {
        for child in owned(cluster, &object)?.into_iter().chain(storage(cluster, &object)?) {
            if !seen.contains(child.uid()) {
                children.push(build(cluster, child, seen, depth + 1)?);
            }
        }
    }
    Ok(Node { object, children })
}

/// Objects with an ownerReference to `owner`, by kind then name.
fn owned(cluster: &mut Cluster, owner: &Value) -> Result<Vec<Value>> {
    let uid = owner.uid();
    let mut out = Vec::new();
    for kind in kinds::ALL.iter().copied().filter(|k| k.kind != "Event") {
        let ns = if kind.namespaced { Some(owner.namespace()) } else { None };
        if kind.namespaced && owner.namespace().is_empty() {
            continue;
        }
        cluster.load(kind, ns)?;
        out.extend(
            cluster
                .iter(kind, ns)
                .filter(|o| o.array_at("metadata.ownerReferences").iter().any(|r| r.str_at("uid") == uid))
                .cloned(),
        );
    }
    out.sort_by(|a, b| (a.kind(), a.name()).cmp(&(b.kind(), b.name())));
    Ok(out)
}

/// A pod's claims (in the order of its volumes) and a claim's bound volume.
fn storage(cluster: &mut Cluster, obj: &Value) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    match obj.kind() {
        "Pod" => {
            for v in obj.array_at("spec.volumes") {
                let claim = v.str_at("persistentVolumeClaim.claimName");
                if !claim.is_empty() {
                    out.extend(cluster.get(&Key::new(&PVC, obj.namespace(), claim))?);
                }
            }
        }
        "PersistentVolumeClaim" => {
            let volume = obj.str_at("spec.volumeName");
            if !volume.is_empty() {
                out.extend(cluster.get(&Key::new(&PV, "", volume))?);
            }
        }
        _ => {}
    }
    Ok(out)
}
