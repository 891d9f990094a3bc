//! `kstate set subject rolebinding|clusterrolebinding NAME --user=U --group=G
//! --serviceaccount=NS:SA`: adds subjects to role bindings, as kubectl v1.32's `set subject`
//! does (`--all`, `-l`, `-f`, `--local`, `--dry-run`, `-o`). Subjects already bound are not
//! added again, and a binding that gains none is neither sent nor printed (kubectl skips an
//! empty patch); the others print `<prefix>/<name> subjects updated` or the typed object.

use serde_json::{json, Value};

use super::dry_run::DryRun;
use super::set_field::{find, patch_failed, render_typed, Request};
use super::set_pod_template::{collected_errors, local_name};
use super::{io, Context};
use crate::api::kinds::Kind;
use crate::api::ObjectExt;
use crate::cluster::Cluster;
use crate::{Error, Result};

/// The subjects asked for.
pub struct Subjects {
    pub users: Vec<String>,
    pub groups: Vec<String>,
    /// `NAMESPACE:NAME`; an empty namespace is the command's.
    pub service_accounts: Vec<String>,
}

const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

pub fn run(ctx: &mut Context, req: Request, subjects: Subjects) -> Result<()> {
    if req.local {
        if !req.resources.is_empty() {
            return Err(Error::cli(
                "you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'",
            ));
        }
        if req.filenames.is_empty() {
            return Err(Error::no_resources());
        }
        let mut objects = Vec::new();
        for doc in super::set_pod_template::read_local(ctx, &req.filenames, req.recursive)? {
            objects.push((Cluster::kind_of(&doc.value)?, doc.value));
        }
        validate(&req, &subjects, &objects)?;
        return update_local(ctx, &req, &subjects, objects);
    }
    let mut cluster = ctx.write()?;
    cluster.field_manager = Some(req.field_manager.clone().unwrap_or_else(|| "kubectl-set".into()));
    // kubectl collects every object before it validates or changes any: a missing one ends it.
    let found = find(ctx, &mut cluster, &req).and_then(|found| {
        let (objects, errors): (Vec<_>, Vec<_>) = found.into_iter().partition(|f| f.is_ok());
        super::patch::finish_errors(errors.into_iter().filter_map(|e| e.err()).collect())?;
        let objects: Vec<(&'static Kind, Value)> = objects.into_iter().filter_map(|o| o.ok()).collect();
        validate(&req, &subjects, &objects)?;
        Ok(objects)
    });
    let objects = match found {
        Ok(objects) => objects,
        Err(e) => {
            cluster.abandon()?;
            return Err(e);
        }
    };
    let wanted = wanted(&subjects, &ctx.namespace);
    let (mut text, mut errors, mut wrote, mut printed) = (String::new(), Vec::new(), false, 0);
    for (kind, live) in objects {
        let mut obj = live.clone();
        match add_subjects(&mut obj, kind, &wanted) {
            Err(m) => {
                errors.push(format!("error: {}/{} {m}\n", kind.plural, obj.name()));
                continue;
            }
            Ok(false) => continue,
            Ok(true) => {}
        }
        let shown = if req.dry_run == DryRun::Client {
            obj
        } else {
            match cluster.update(obj) {
                Ok(stored) => {
                    wrote = true;
                    stored
                }
                Err(e @ Error::Internal(_)) => return Err(e),
                Err(e) => {
                    errors.push(patch_failed("subjects", e).server_message());
                    continue;
                }
            }
        };
        text.push_str(&render_typed(kind, &shown, req.output.as_ref(), "subjects updated", req.dry_run, printed)?);
        printed += 1;
    }
    if wrote && req.dry_run == DryRun::None {
        ctx.finish(cluster)?;
    } else {
        cluster.abandon()?;
    }
    ctx.out.write_all(text.as_bytes()).map_err(io)?;
    collected_errors(errors)
}

/// `--local`: the files' bindings with the subjects added, printed; the cluster untouched.
fn update_local(
    ctx: &mut Context,
    req: &Request,
    subjects: &Subjects,
    objects: Vec<(&'static Kind, Value)>,
) -> Result<()> {
    let wanted = wanted(subjects, &ctx.namespace);
    let (mut text, mut errors, mut printed) = (String::new(), Vec::new(), 0);
    for (kind, mut obj) in objects {
        match add_subjects(&mut obj, kind, &wanted) {
            Err(m) => errors.push(format!("error: {} {m}\n", local_name(kind, &obj))),
            Ok(false) => {}
            Ok(true) => {
                text.push_str(&render_typed(
                    kind,
                    &obj,
                    req.output.as_ref(),
                    "subjects updated",
                    req.dry_run,
                    printed,
                )?);
                printed += 1;
            }
        }
    }
    ctx.out.write_all(text.as_bytes()).map_err(io)?;
    collected_errors(errors)
}

/// kubectl's `Validate`, in its order, once the objects are known.
fn validate(req: &Request, subjects: &Subjects, objects: &[(&'static Kind, Value)]) -> Result<()> {
    if req.local && req.dry_run == DryRun::Server {
        return Err(Error::cli("cannot specify --local and --dry-run=server - did you mean --dry-run=client?"));
    }
    if req.all && req.selector.as_deref().is_some_and(|s| !s.is_empty()) {
        return Err(Error::cli("cannot set --all and --selector at the same time"));
    }
    if subjects.users.is_empty() && subjects.groups.is_empty() && subjects.service_accounts.is_empty() {
        return Err(Error::cli("you must specify at least one value of user, group or serviceaccount"));
    }
    let cluster_binding = objects.iter().any(|(kind, _)| kind.kind == "ClusterRoleBinding");
    for sa in &subjects.service_accounts {
        let tokens: Vec<&str> = sa.split(':').collect();
        if tokens.len() != 2 || tokens[1].is_empty() {
            return Err(Error::cli("serviceaccount must be <namespace>:<name>"));
        }
        if cluster_binding && tokens[0].is_empty() {
            return Err(Error::cli("serviceaccount must be <namespace>:<name>, namespace must be specified"));
        }
    }
    Ok(())
}

/// The subjects to bind, as kubectl builds them: users, then groups, then service accounts,
/// each sorted and without repeats (a Go string set's `List`).
fn wanted(subjects: &Subjects, namespace: &str) -> Vec<Value> {
    let sorted = |list: &[String]| {
        let mut v = list.to_vec();
        v.sort();
        v.dedup();
        v
    };
    let mut out = Vec::new();
    for user in sorted(&subjects.users) {
        out.push(json!({"kind": "User", "apiGroup": RBAC_GROUP, "name": user}));
    }
    for group in sorted(&subjects.groups) {
        out.push(json!({"kind": "Group", "apiGroup": RBAC_GROUP, "name": group}));
    }
    for sa in sorted(&subjects.service_accounts) {
        let (ns, name) = sa.split_once(':').unwrap_or(("", &sa));
        let ns = if ns.is_empty() { namespace } else { ns };
        out.push(json!({"kind": "ServiceAccount", "name": name, "namespace": ns}));
    }
    out
}

/// Appends the subjects the binding lacks (a subject matches when kind, API group, name and
/// namespace are all equal); `Ok(false)` when it already has them all.
fn add_subjects(obj: &mut Value, kind: &Kind, wanted: &[Value]) -> std::result::Result<bool, String> {
    if !matches!(kind.kind, "RoleBinding" | "ClusterRoleBinding") {
        return Err("setting subjects is only supported for RoleBinding/ClusterRoleBinding".into());
    }
    let existing: Vec<Value> = obj.get("subjects").and_then(Value::as_array).cloned().unwrap_or_default();
    let same =
        |a: &Value, b: &Value| ["kind", "apiGroup", "name", "namespace"].iter().all(|f| a.str_at(f) == b.str_at(f));
    let missing: Vec<Value> = wanted.iter().filter(|w| !existing.iter().any(|e| same(e, w))).cloned().collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let mut all = existing;
    all.extend(missing);
    crate::api::object::set_at(obj, "subjects", Value::Array(all));
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subjects(users: &[&str], groups: &[&str], sas: &[&str]) -> Subjects {
        let own = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
        Subjects { users: own(users), groups: own(groups), service_accounts: own(sas) }
    }

    #[test]
    fn subjects_are_sorted_deduplicated_and_namespaced() {
        let w = wanted(&subjects(&["foo", "bar", "foo"], &["g"], &[":sa", "ns:a"]), "team");
        let names: Vec<&str> = w.iter().map(|s| s.str_at("name")).collect();
        assert_eq!(names, ["bar", "foo", "g", "sa", "a"]);
        assert_eq!(w[3], json!({"kind": "ServiceAccount", "name": "sa", "namespace": "team"}));
    }

    #[test]
    fn only_missing_subjects_are_added() {
        let rb = &crate::api::kinds::ROLEBINDING;
        let mut obj =
            json!({"kind": "RoleBinding", "subjects": [{"kind": "User", "apiGroup": RBAC_GROUP, "name": "a"}]});
        let w = wanted(&subjects(&["a"], &[], &[]), "default");
        assert_eq!(add_subjects(&mut obj, rb, &w), Ok(false));
        let w = wanted(&subjects(&["a", "b"], &[], &[]), "default");
        assert_eq!(add_subjects(&mut obj, rb, &w), Ok(true));
        assert_eq!(obj["subjects"].as_array().map(Vec::len), Some(2));
        let cm = &crate::api::kinds::CONFIGMAP;
        assert!(add_subjects(&mut json!({}), cm, &w).is_err());
    }
}
