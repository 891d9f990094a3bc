//! Resource arguments as kubectl's resource builder reads them: `pods`, `pods,pvc`,
//! `pods web-0 web-1`, `pod/web-0 svc/nginx`.

use crate::api::kinds::{self, Kind};
use crate::{Error, Result};

/// One kind the user named, with the names asked for (empty: all of that kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: &'static Kind,
    pub names: Vec<String>,
}

fn kind(typed: &str) -> Result<&'static Kind> {
    kinds::lookup(typed).ok_or_else(|| Error::cli(format!("the server doesn't have a resource type \"{typed}\"")))
}

/// Parses resource arguments into targets, in the order given (a kind appears once).
pub fn parse_targets(args: &[String]) -> Result<Vec<Target>> {
    let mut out: Vec<Target> = Vec::new();
    let Some(first) = args.first() else { return Ok(out) };
    if first.contains('/') {
        for arg in args {
            let Some((typed, name)) = arg.split_once('/') else {
                return Err(Error::cli(
                    "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
                ));
            };
            if name.contains('/') {
                // `deploy/web,sts/web` too: kubectl splits on every slash.
                return Err(Error::cli("arguments in resource/name form may not have more than one slash"));
            }
            if typed.is_empty() || name.is_empty() {
                return Err(Error::cli("arguments in resource/name form must have a single resource and name"));
            }
            let k = kind(typed)?;
            match out.iter_mut().find(|t| std::ptr::eq(t.kind, k)) {
                Some(t) => t.names.push(name.to_string()),
                None => out.push(Target { kind: k, names: vec![name.to_string()] }),
            }
        }
        return Ok(out);
    }
    for typed in first.split(',').filter(|s| !s.is_empty()) {
        let k = kind(typed)?;
        if !out.iter().any(|t| std::ptr::eq(t.kind, k)) {
            out.push(Target { kind: k, names: Vec::new() });
        }
    }
    let names: Vec<String> = args[1..].to_vec();
    if names.iter().any(|n| n.contains('/')) {
        return Err(Error::cli(
            "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
        ));
    }
    for t in &mut out {
        t.names = names.clone();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(t: &[Target]) -> Vec<(&str, Vec<String>)> {
        t.iter().map(|t| (t.kind.kind, t.names.clone())).collect()
    }

    #[test]
    fn reads_every_form() {
        let a = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(names(&parse_targets(&a(&["po"])).unwrap()), vec![("Pod", vec![])]);
        assert_eq!(
            names(&parse_targets(&a(&["pods,pvc"])).unwrap()),
            vec![("Pod", vec![]), ("PersistentVolumeClaim", vec![])]
        );
        assert_eq!(names(&parse_targets(&a(&["sts", "web"])).unwrap()), vec![("StatefulSet", vec!["web".into()])]);
        assert_eq!(
            names(&parse_targets(&a(&["pod/web-0", "svc/nginx", "pod/web-1"])).unwrap()),
            vec![("Pod", vec!["web-0".into(), "web-1".into()]), ("Service", vec!["nginx".into()])]
        );
        assert!(parse_targets(&a(&["foo"])).is_err());
        assert!(parse_targets(&a(&["pod/web-0", "web-1"])).is_err());
        let slashes = parse_targets(&a(&["deploy/web,sts/web"])).unwrap_err();
        assert_eq!(slashes.to_string(), "error: arguments in resource/name form may not have more than one slash");
    }
}
