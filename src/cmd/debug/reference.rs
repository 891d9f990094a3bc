//! Whether an image name is a valid reference, as kubectl checks `--image` and `--set-image`
//! (distribution/reference's `ReferenceRegexp`: `[domain[:port]/]path[:tag][@digest]`).

/// Whether `image` is a well-formed reference.
pub fn valid(image: &str) -> bool {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    if digest.is_some_and(|d| !valid_digest(d)) {
        return false;
    }
    // A tag follows the last `:` after the last `/` (a `:` before it is the registry's port).
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[slash..].find(':') {
        Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..])),
        None => (rest, None),
    };
    if tag.is_some_and(|t| !valid_tag(t)) {
        return false;
    }
    let parts: Vec<&str> = name.split('/').collect();
    let (first, others) = match parts.split_first() {
        Some(split) => split,
        None => return false,
    };
    let first_ok = path_component(first) || (!others.is_empty() && domain(first));
    first_ok && others.iter().all(|p| path_component(p))
}

/// `[a-z0-9]+` joined by `.`, `_`, `__` or runs of `-`.
fn path_component(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &s[start..i];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|c| c == b'-')) {
            return false;
        }
    }
    true
}

/// A registry host (letters, digits, inner `-`, dot-separated), with an optional `:port`.
fn domain(s: &str) -> bool {
    let (host, port) = match s.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (s, None),
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit())) {
        return false;
    }
    host.split('.').all(|c| {
        let b = c.as_bytes();
        !b.is_empty()
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter().all(|x| x.is_ascii_alphanumeric() || *x == b'-')
    })
}

/// `[\w][\w.-]{0,127}`.
fn valid_tag(t: &str) -> bool {
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let b = t.as_bytes();
    !b.is_empty() && b.len() <= 128 && word(b[0]) && b.iter().all(|c| word(*c) || *c == b'.' || *c == b'-')
}

/// `algorithm:hex` with at least 32 hex digits.
fn valid_digest(d: &str) -> bool {
    let Some((algo, hex)) = d.split_once(':') else { return false };
    let algo_ok = algo.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && algo.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'+' | b'.'));
    algo_ok && hex.len() >= 32 && hex.bytes().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::valid;

    #[test]
    fn references_as_distribution_reads_them() {
        for ok in [
            "busybox",
            "busybox:1.28",
            "registry.k8s.io/pause:3.1",
            "localhost:5000/app",
            "my_org/app-name__x:v1.0-rc_1",
            "nginx@sha256:0123456789abcdef0123456789abcdef",
        ] {
            assert!(valid(ok), "{ok}");
        }
        for bad in ["", "Busybox", "busybox:", "busybox:-x", "a//b", "-a", "a:b/c:d:e", "nginx@sha256:12"] {
            assert!(!valid(bad), "{bad}");
        }
    }
}
