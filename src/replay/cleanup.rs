//! After a replay on a real cluster: delete what the document created (newest first, namespaces
//! last) and the claims that appeared while it ran (a StatefulSet's claims outlive it).

use std::collections::BTreeSet;

use super::created::Object;
use super::runner::{shell_quote, Sandbox};
use super::{drift, parse};

const CLAIMS: &str =
    "kubectl get persistentvolumeclaims -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}{\"\\n\"}{end}'";

/// `namespace/name` of every claim in the cluster.
pub fn claims(sandbox: &Sandbox) -> anyhow::Result<BTreeSet<String>> {
    let ran = sandbox.run(CLAIMS)?;
    if ran.code != 0 {
        return Ok(BTreeSet::new());
    }
    Ok(parse::lines(&ran.output).into_iter().filter(|l| l.contains('/') && !drift::is_notice(l)).collect())
}

/// Deletes one object (`what` is `resource/name`).
fn delete(sandbox: &Sandbox, what: &str, namespace: Option<&str>, done: &mut Vec<String>) -> anyhow::Result<()> {
    let ns = namespace.map(|n| format!(" -n {}", shell_quote(n))).unwrap_or_default();
    let ran = sandbox.run(&format!("kubectl delete {}{ns} --ignore-not-found --wait=false", shell_quote(what)))?;
    let shown = match namespace {
        Some(n) => format!("{what} in {n}"),
        None => what.to_string(),
    };
    if ran.code == 0 {
        done.push(format!("deleted {shown}"));
    } else {
        let why = parse::lines(&ran.output).into_iter().next().unwrap_or_default();
        done.push(format!("could not delete {shown}: {why}"));
    }
    Ok(())
}

/// Deletes what the replay left; returns one line per deletion for the report.
pub fn run(sandbox: &Sandbox, created: &[Object], claims_before: &BTreeSet<String>) -> anyhow::Result<Vec<String>> {
    let mut done = Vec::new();
    let (namespaces, objects): (Vec<&Object>, Vec<&Object>) = created.iter().partition(|o| o.is("namespaces"));
    let mut seen = BTreeSet::new();
    for o in objects.iter().rev() {
        if seen.insert((o.reference(), o.namespace.clone())) {
            delete(sandbox, &o.reference(), o.namespace.as_deref(), &mut done)?;
        }
    }
    for claim in claims(sandbox)?.difference(claims_before) {
        if let Some((ns, name)) = claim.split_once('/') {
            if !namespaces.iter().any(|n| n.name == ns) {
                delete(sandbox, &format!("persistentvolumeclaim/{name}"), Some(ns), &mut done)?;
            }
        }
    }
    for n in namespaces.iter().rev() {
        delete(sandbox, &n.reference(), None, &mut done)?;
    }
    Ok(done)
}
