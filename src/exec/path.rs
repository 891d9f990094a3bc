//! Lexical path helpers. Nothing here looks at the filesystem.

/// `dir` joined with `name` (`/` + `a` = `/a`, `/x` + `a` = `/x/a`).
pub fn join(dir: &str, name: &str) -> String {
    if dir == "/" {
        format!("/{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// The parent of a normalised absolute path (`/` is its own parent).
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// The last component (`/` for the root).
pub fn base(path: &str) -> &str {
    if path == "/" {
        return "/";
    }
    path.rsplit('/').next().unwrap_or(path)
}

/// `path` made absolute against `cwd` and normalised lexically: `.` dropped, `..` pops but
/// never above `/`, repeated slashes collapsed.
pub fn normalize(cwd: &str, path: &str) -> String {
    if is_canonical(path) {
        return path.to_string();
    }
    let mut parts: Vec<&str> = Vec::new();
    let full = if path.starts_with('/') { path.to_string() } else { format!("{cwd}/{path}") };
    for comp in full.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Whether `path` is already absolute and normalised (most paths are: mount points, PATH
/// entries), so [`normalize`] has nothing to do.
fn is_canonical(path: &str) -> bool {
    path == "/" || path.strip_prefix('/').is_some_and(|rest| rest.split('/').all(|c| !matches!(c, "" | "." | "..")))
}

/// Whether `path` is `prefix` or lies beneath it.
pub fn is_within(path: &str, prefix: &str) -> bool {
    prefix == "/" || path == prefix || (path.starts_with(prefix) && path.as_bytes().get(prefix.len()) == Some(&b'/'))
}

/// `path` relative to `prefix` as an absolute in-volume path (`/data/a`, `/data` → `/a`).
pub fn strip(path: &str, prefix: &str) -> String {
    if prefix == "/" {
        return path.to_string();
    }
    match path.get(prefix.len()..) {
        Some("") | None => "/".to_string(),
        Some(rest) => rest.to_string(),
    }
}

/// The basename as `basename(1)` prints it: trailing slashes ignored.
pub fn basename_of(arg: &str) -> String {
    let t = arg.trim_end_matches('/');
    if t.is_empty() {
        return if arg.is_empty() { String::new() } else { "/".into() };
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

/// The directory as `dirname(1)` prints it.
pub fn dirname_of(arg: &str) -> String {
    let t = arg.trim_end_matches('/');
    if t.is_empty() {
        return if arg.starts_with('/') { "/".into() } else { ".".into() };
    }
    match t.rfind('/') {
        None => ".".into(),
        Some(i) => {
            let d = t[..i].trim_end_matches('/');
            if d.is_empty() {
                "/".into()
            } else {
                d.to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn canonical_paths_stay_as_they_are_and_others_are_normalised() {
        for p in ["/", "/data", "/usr/local/bin", "/a..b/.c"] {
            assert_eq!(normalize("/", p), p);
        }
        assert_eq!(normalize("/", "/data/"), "/data");
        assert_eq!(normalize("/", "//a//b/./c/.."), "/a/b");
        assert_eq!(normalize("/x", "y/../z"), "/x/z");
        assert_eq!(normalize("/", "/.."), "/");
        assert_eq!(normalize("/w", ""), "/w");
    }
}
