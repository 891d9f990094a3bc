//! `kstate api-resources`: discovery's table for the kinds kstate serves, laid out as kubectl
//! prints it (sorted by API group, stable, so the core group comes first).

use super::{io, Context};
use crate::api::kinds::{Kind, ALL};
use crate::print::tabwriter::{align, TABLE};
use crate::{Error, Result};

pub struct Request {
    pub output: Option<String>,
    pub namespaced: Option<bool>,
    pub api_group: Option<String>,
    pub no_headers: bool,
    /// `--verbs`: only resources that support all of them.
    pub verbs: Vec<String>,
    /// `--categories`: only resources in all of them.
    pub categories: Vec<String>,
    /// `--sort-by`: `name`, `kind`, or the API group when unset.
    pub sort_by: Option<String>,
}

fn verbs(k: &Kind) -> &'static str {
    match k.kind {
        "Namespace" => "create delete get list patch update watch",
        // Custom resources: the apiextensions server's discovery order.
        _ if k.group == "snapshot.storage.k8s.io" || crate::api::custom::is_custom(k.kind) => {
            "delete deletecollection get list patch create update watch"
        }
        _ => "create delete deletecollection get list patch update watch",
    }
}

fn categories(k: &Kind) -> String {
    if let Some(def) = crate::api::custom::definition(k.kind) {
        return def.categories.join(",");
    }
    let builtin = match k.kind {
        "Pod"
        | "Service"
        | "StatefulSet"
        | "Deployment"
        | "ReplicaSet"
        | "ReplicationController"
        | "DaemonSet"
        | "Job"
        | "CronJob"
        | "HorizontalPodAutoscaler" => "all",
        _ => "",
    };
    builtin.to_string()
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    let wide = match req.output.as_deref() {
        None | Some("") => false,
        Some("wide") => true,
        Some("name") => false,
        Some(other) => {
            return Err(Error::cli(format!("--output {other} is not available")));
        }
    };
    if req.sort_by.as_deref().is_some_and(|b| !matches!(b, "" | "name" | "kind")) {
        return Err(Error::cli("--sort-by accepts only name or kind"));
    }
    let wanted = |have: &str, want: &[String]| {
        let have: Vec<&str> = have.split([' ', ',']).filter(|v| !v.is_empty()).collect();
        want.iter().filter(|w| !w.is_empty()).all(|w| have.contains(&w.as_str()))
    };
    // Opening the cluster loads the kinds of its CustomResourceDefinitions.
    ctx.read()?.abandon()?;
    let mut kinds: Vec<&Kind> = ALL
        .iter()
        .copied()
        .chain(crate::api::custom::preferred_kinds())
        .filter(|k| req.namespaced.is_none_or(|n| n == k.namespaced))
        .filter(|k| req.api_group.as_deref().is_none_or(|g| g == k.group))
        .filter(|k| wanted(verbs(k), &req.verbs))
        .filter(|k| wanted(&categories(k), &req.categories))
        .collect();
    // kubectl's sortableResource: by the field asked for (the API group by default), then name.
    kinds.sort_by(|a, b| {
        let key = |k: &Kind| match req.sort_by.as_deref() {
            Some("name") => k.plural.to_string(),
            Some("kind") => k.kind.to_string(),
            _ => k.group.to_string(),
        };
        key(a).cmp(&key(b)).then_with(|| a.plural.cmp(b.plural))
    });
    let mut text = String::new();
    if req.output.as_deref() == Some("name") {
        for k in &kinds {
            text.push_str(&format!("{}\n", k.resource()));
        }
        return ctx.out.write_all(text.as_bytes()).map_err(io);
    }
    if !req.no_headers {
        text.push_str("NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND");
        text.push_str(if wide { "\tVERBS\tCATEGORIES\n" } else { "\n" });
    }
    for k in &kinds {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}",
            k.plural,
            k.short.join(","),
            k.api_version(),
            k.namespaced,
            k.kind
        ));
        if wide {
            text.push_str(&format!("\t{}\t{}", verbs(k).replace(' ', ","), categories(k)));
        }
        text.push('\n');
    }
    ctx.out.write_all(align(&text, TABLE).as_bytes()).map_err(io)
}
