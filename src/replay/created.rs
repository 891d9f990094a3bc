//! The objects a document created, read from what kubectl printed (`statefulset.apps/web created`):
//! placeholders name the last one of a kind, and a replay on a real cluster deletes them afterwards.

/// One object a command created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    /// `statefulset.apps`, `service`, `pod`, as kubectl prints it.
    pub resource: String,
    pub name: String,
    /// The namespace the command named (`-n`), if any.
    pub namespace: Option<String>,
}

impl Object {
    /// Whether this object is of the kind a plural resource name (`statefulsets`) names.
    pub fn is(&self, plural: &str) -> bool {
        let kind = self.resource.split('.').next().unwrap_or("");
        plural.strip_suffix('s') == Some(kind) || plural == kind
    }

    /// `statefulset.apps/web`.
    pub fn reference(&self) -> String {
        format!("{}/{}", self.resource, self.name)
    }
}

/// The `-n`/`--namespace` value of a command, if it names one.
pub fn namespace_of(command: &str) -> Option<String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    words.iter().enumerate().find_map(|(k, w)| match *w {
        "-n" | "--namespace" => words.get(k + 1).map(|v| v.to_string()),
        _ => w.strip_prefix("--namespace=").or_else(|| w.strip_prefix("-n=")).map(String::from),
    })
}

/// The objects printed lines report as created.
pub fn from_output(printed: &[String], command: &str) -> Vec<Object> {
    let namespace = namespace_of(command);
    printed
        .iter()
        .filter_map(|l| {
            let (reference, rest) = l.trim().split_once(' ')?;
            let (resource, name) = reference.split_once('/')?;
            let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-.".contains(c));
            (rest == "created" && plain(resource) && plain(name)).then(|| Object {
                resource: resource.to_string(),
                name: name.to_string(),
                namespace: namespace.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_objects() {
        let printed: Vec<String> =
            ["service/nginx created", "statefulset.apps/web created", "pod/x created (dry run)", "pod/y configured"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        let got = from_output(&printed, "kubectl apply -n demo -f web.yaml");
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].reference(), "statefulset.apps/web");
        assert_eq!(got[1].namespace.as_deref(), Some("demo"));
        assert!(got[1].is("statefulsets") && !got[1].is("services") && got[0].is("services"));
        assert_eq!(namespace_of("kubectl get pods --namespace=kube-system"), Some("kube-system".into()));
    }
}
