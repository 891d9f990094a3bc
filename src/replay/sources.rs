//! Where the files a command reads with `-f` come from: the manifests the document shows (YAML
//! blocks, Hugo shortcodes resolved in the examples folder), files next to the document, and for
//! `-f https://...` a local mirror folder or the examples folder. Nothing is fetched.

use std::path::{Path, PathBuf};

use super::classify;
use super::parse::{Manifest, Step};
use super::runner::Sandbox;

/// The local folders a replay reads published files from.
#[derive(Debug, Clone, Default)]
pub struct Folders {
    /// The document's folder (files next to it).
    pub beside: PathBuf,
    /// kubernetes.io's examples (`content/en/examples`), for shortcodes and `k8s.io/examples` URLs.
    pub examples: Option<PathBuf>,
    /// A mirror of downloaded files: `MIRROR/host/path` or `MIRROR/path`.
    pub mirror: Option<PathBuf>,
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

fn base_name(s: &str) -> &str {
    s.trim_end_matches('/').rsplit('/').next().unwrap_or(s)
}

fn safe_relative(p: &str) -> bool {
    !p.is_empty() && !p.starts_with('/') && !p.split('/').any(|x| x == "..")
}

/// `a/b/c.yaml`, `b/c.yaml`, `c.yaml` under `dir`: the first that exists.
fn by_suffix(dir: &Path, path: &str) -> Option<PathBuf> {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty() && *p != "." && *p != "..").collect();
    (0..parts.len()).map(|k| dir.join(parts[k..].join("/"))).find(|p| p.is_file())
}

/// The file a URL names in the mirror (`host/path` first) or the examples folder.
fn local_copy(url: &str, f: &Folders) -> Option<PathBuf> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if let Some(m) = &f.mirror {
        let exact = m.join(host).join(path);
        if safe_relative(path) && exact.is_file() {
            return Some(exact);
        }
        if let Some(p) = by_suffix(m, path) {
            return Some(p);
        }
    }
    f.examples.as_deref().and_then(|e| by_suffix(e, path))
}

/// The text of a manifest: shown inline, or the example file its shortcode names.
fn text_of(m: &Manifest, f: &Folders) -> Result<String, String> {
    let Some(file) = &m.example else { return Ok(m.text.clone()) };
    let Some(dir) = &f.examples else {
        return Err(format!("shows {file} with a shortcode; give the examples folder with --examples DIR"));
    };
    std::fs::read_to_string(dir.join(file)).map_err(|e| format!("{file} in the examples folder: {e}"))
}

/// Puts the files the command reads into the working directory; returns the command with URLs
/// replaced by the local copies, or why it cannot run.
pub fn provide(
    step: &Step,
    manifests: &[Manifest],
    f: &Folders,
    sandbox: &Sandbox,
) -> anyhow::Result<Result<String, String>> {
    let mut command = step.command.clone();
    let before: Vec<&Manifest> = manifests.iter().filter(|m| m.line + 1 < step.line).collect();
    for arg in classify::manifest_args(&step.command) {
        let base = base_name(&arg).to_string();
        let named = before.iter().rev().find(|m| m.names.contains(&base));
        let unnamed = before.iter().rev().find(|m| m.names.is_empty());
        if is_url(&arg) {
            if let Some(local) = local_copy(&arg, f) {
                sandbox.copy_in(&local, &base)?;
            } else {
                let Some(m) = named.or(unnamed) else {
                    return Ok(Err(format!("reads {arg}, a file the document does not show and no mirror holds")));
                };
                match text_of(m, f) {
                    Ok(text) => sandbox.write(&base, &text)?,
                    Err(why) => return Ok(Err(why)),
                }
            }
            command = command.replace(&arg, &base);
            continue;
        }
        if !safe_relative(&arg) {
            continue;
        }
        let beside = f.beside.join(&arg);
        // A shortcode's example the examples folder does not hold: the reader's download of it
        // next to the document ("save it to a file named `web.yaml`").
        let shown = named.map(|m| text_of(m, f));
        if let Some(Ok(text)) = &shown {
            sandbox.write(&arg, text)?;
        } else if beside.exists() {
            sandbox.copy_in(&beside, &arg)?;
        } else if let Some(example) = f.examples.as_deref().and_then(|e| by_suffix(e, &arg)) {
            sandbox.copy_in(&example, &arg)?;
        } else if let Some(Err(why)) = shown {
            return Ok(Err(why));
        } else if let Some(m) = unnamed {
            sandbox.write(&arg, &m.text)?;
        }
    }
    Ok(Ok(command))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_resolve_in_the_mirror_then_the_examples() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mirror = dir.path().join("mirror");
        let examples = dir.path().join("examples");
        for (p, text) in [
            ("mirror/raw.example.com/org/repo/deploy/web.yaml", "exact"),
            ("mirror/deploy/other.yaml", "suffix"),
            ("examples/application/web/web.yaml", "example"),
        ] {
            let p = dir.path().join(p);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, text).expect("write");
        }
        let f = Folders { beside: dir.path().into(), examples: Some(examples.clone()), mirror: Some(mirror.clone()) };
        let read = |url: &str| local_copy(url, &f).map(|p| std::fs::read_to_string(p).expect("read"));
        assert_eq!(read("https://raw.example.com/org/repo/deploy/web.yaml").as_deref(), Some("exact"));
        assert_eq!(read("https://other.example.com/x/deploy/other.yaml?raw=1").as_deref(), Some("suffix"));
        assert_eq!(read("https://k8s.io/examples/application/web/web.yaml").as_deref(), Some("example"));
        assert_eq!(read("https://k8s.io/examples/missing.yaml"), None);
        assert_eq!(read("https://x.io/../../etc/passwd"), None);
    }
}
