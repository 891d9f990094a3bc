//! kstate's kubeconfig: kubectl's file format, in which a cluster's `server` is the `file://` URL
//! of a state directory. The file is `--kubeconfig`, else the first path of `$KUBECONFIG`, else
//! `~/.kube/kstate-config` (never kubectl's own `~/.kube/config`, whose servers kstate cannot
//! reach). Without a file there is one implicit context, `kstate`, on the default state directory.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::api::ObjectExt;
use crate::{Error, Result};

/// The implicit context, cluster and user of a missing file.
pub const IMPLICIT: &str = "kstate";

pub struct Kubeconfig {
    pub path: PathBuf,
    pub doc: Value,
}

/// Where the file is.
pub fn location(flag: Option<&str>) -> PathBuf {
    if let Some(p) = flag.filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    if let Some(first) =
        std::env::var("KUBECONFIG").ok().and_then(|v| v.split(':').find(|p| !p.is_empty()).map(PathBuf::from))
    {
        return first;
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    home.join(".kube").join("kstate-config")
}

impl Kubeconfig {
    /// Reads the file, or makes the implicit configuration on `default_dir`.
    pub fn load(path: PathBuf, default_dir: &Path) -> Result<Kubeconfig> {
        let doc = match std::fs::read_to_string(&path) {
            Ok(text) => crate::manifest::yaml_to_json(&text)
                .map_err(|e| Error::cli(format!("error loading config file \"{}\": {e}", path.display())))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => implicit(default_dir),
            Err(e) => return Err(Error::cli(format!("error loading config file \"{}\": {e}", path.display()))),
        };
        Ok(Kubeconfig { path, doc })
    }

    pub fn save(&self) -> Result<()> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(crate::cmd::io)?;
        }
        std::fs::write(&self.path, crate::print::yaml::to_yaml(&self.doc)).map_err(crate::cmd::io)
    }

    pub fn current(&self) -> &str {
        self.doc.str_at("current-context")
    }

    fn named<'a>(&'a self, list: &str, name: &str) -> Option<&'a Value> {
        self.doc.get(list)?.as_array()?.iter().find(|e| e.str_at("name") == name)
    }

    pub fn context(&self, name: &str) -> Option<&Value> {
        self.named("contexts", name).map(|c| c.get("context").unwrap_or(&Value::Null))
    }

    pub fn contexts(&self) -> Vec<&Value> {
        self.doc.get("contexts").and_then(Value::as_array).map(|l| l.iter().collect()).unwrap_or_default()
    }

    /// The state directory of a context: its cluster's `file://` server.
    pub fn state_dir(&self, context: &str) -> Option<PathBuf> {
        let cluster = self.context(context)?.str_at("cluster").to_string();
        let server = self.named("clusters", &cluster)?.str_at("cluster.server").to_string();
        server.strip_prefix("file://").map(PathBuf::from)
    }

    /// Inserts or replaces the entry `name` of a list (`contexts`, `clusters`), with `body` under
    /// `field`; whether it was new.
    pub fn upsert(&mut self, list: &str, field: &str, name: &str, body: Value) -> bool {
        if !self.doc[list].is_array() {
            self.doc[list] = json!([]);
        }
        let entries = self.doc[list].as_array_mut().expect("made an array above");
        match entries.iter_mut().find(|e| e.str_at("name") == name) {
            Some(e) => {
                e[field] = body;
                false
            }
            None => {
                entries.push(json!({ "name": name, field: body }));
                true
            }
        }
    }
}

fn implicit(dir: &Path) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": IMPLICIT, "cluster": {"server": format!("file://{}", absolute(dir).display())}}],
        "contexts": [{"name": IMPLICIT, "context": {"cluster": IMPLICIT, "user": IMPLICIT}}],
        "current-context": IMPLICIT,
        "preferences": {},
        "users": [{"name": IMPLICIT, "user": {}}],
    })
}

pub fn absolute(dir: &Path) -> PathBuf {
    std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// What the command line and the configuration select: the state directory and the namespace a
/// context gives (`-n` still wins).
pub struct Selection {
    pub state_dir: PathBuf,
    pub namespace: Option<String>,
}

/// `--state-dir` > `--context` > `$KSTATE_HOME` > the current context > `~/.kstate`. A context's
/// namespace applies when the chosen directory is that context's.
pub fn select(
    flag_dir: Option<PathBuf>,
    context: Option<&str>,
    kubeconfig: Option<&str>,
    home_env: Option<PathBuf>,
    default_dir: PathBuf,
) -> Result<Selection> {
    let config = Kubeconfig::load(location(kubeconfig), home_env.as_deref().unwrap_or(&default_dir))?;
    let chosen = match context.filter(|c| !c.is_empty()) {
        Some(name) => {
            if config.context(name).is_none() {
                return Err(Error::cli(format!("context was not found for specified context: {name}")));
            }
            name.to_string()
        }
        None => config.current().to_string(),
    };
    let context_dir = config.state_dir(&chosen);
    let state_dir = match (flag_dir, context.is_some(), home_env) {
        (Some(d), _, _) => d,
        (None, true, _) => context_dir.clone().unwrap_or(default_dir),
        (None, false, Some(h)) => h,
        (None, false, None) => context_dir.clone().unwrap_or(default_dir),
    };
    let same_dir = context_dir.is_some_and(|d| absolute(&d) == absolute(&state_dir));
    let namespace =
        config.context(&chosen).map(|c| c.str_at("namespace").to_string()).filter(|ns| same_dir && !ns.is_empty());
    Ok(Selection { state_dir, namespace })
}
