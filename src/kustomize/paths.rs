//! Files a kustomization names, resolved against its directory the way kustomize's loader does
//! (`api/internal/loader/fileloader.go`): absolute paths are used as given, and nothing outside
//! the kustomization's directory may be read ("security; file ... is not in or below ...").

use std::path::{Component, Path, PathBuf};

/// `filepath.Join(root, rel)` cleaned, without touching the file system.
pub fn join(root: &Path, rel: &str) -> PathBuf {
    let joined = if Path::new(rel).is_absolute() { PathBuf::from(rel) } else { root.join(rel) };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The bytes of a file a generator or patch names, inside `root`.
pub fn read_file(root: &Path, rel: &str) -> Result<Vec<u8>, String> {
    let path = join(root, rel);
    let real = std::fs::canonicalize(&path).map_err(|e| {
        format!("evalsymlink failure on '{}' : lstat {}: {}", path.display(), path.display(), go_io_error(&e))
    })?;
    if !real.starts_with(root) {
        return Err(format!("security; file '{}' is not in or below '{}'", real.display(), root.display()));
    }
    std::fs::read(&real).map_err(|e| format!("read {}: {}", real.display(), go_io_error(&e)))
}

/// Go's text for the usual I/O errors.
pub fn go_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ if e.raw_os_error() == Some(21) => "is a directory".into(),
        _ => e.to_string(),
    }
}
