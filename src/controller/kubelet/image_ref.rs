//! Whether the kubelet can read a container's image reference (and whether kubectl accepts one). Before it pulls, the v1.32 kubelet
//! parses the image with distribution/reference's `ParseNormalizedNamed` (pkg/util/parsers); a
//! reference that does not parse leaves the container waiting in `InvalidImageName`, with the
//! message built here.

use std::sync::LazyLock;

use regex::Regex;

/// distribution/reference's grammar (regexp.go), anchored: name, optional tag, optional digest.
static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    let alphanumeric = "[a-z0-9]+";
    let separator = "(?:[._]|__|[-]+)";
    let component = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    let host = format!(r"(?:{component}(?:\.{component})*|\[(?:[a-fA-F0-9:]+)\])");
    let domain = format!("{host}(?::[0-9]+)?");
    let path = format!("{alphanumeric}(?:{separator}{alphanumeric})*");
    let name = format!("(?:{domain}/)?{path}(?:/{path})*");
    let tag = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    let digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    Regex::new(&format!("^({name})(?::({tag}))?(?:@({digest}))?$")).expect("reference grammar")
});

/// Whether `s` matches the reference grammar as written (`ReferenceRegexp`, no docker.io
/// implied): what `kubectl run` checks its `--image` against.
pub fn is_reference(s: &str) -> bool {
    plainly_valid(s) || REFERENCE.is_match(s)
}

/// The common reference, checked by hand: `[host[:port]/]path[/path...][:tag]` in lowercase,
/// without a digest. Every such string matches the grammar, and a short normalized name passes
/// the other checks too, so the grammar (whose compilation costs more than starting a
/// container) is built only for the rest.
fn plainly_valid(s: &str) -> bool {
    if s.len() > 200 || s.contains(['@', '[']) {
        return false;
    }
    let (name, tag) = match s.rfind(':') {
        Some(i) if !s[i + 1..].contains('/') => (&s[..i], Some(&s[i + 1..])),
        _ => (s, None),
    };
    if tag.is_some_and(|t| !is_tag(t)) {
        return false;
    }
    // A 64-digit hexadecimal name is refused (it would read as an image id).
    if name.len() == 64 && name.bytes().all(|b| matches!(b, b'a'..=b'f' | b'0'..=b'9')) {
        return false;
    }
    let mut parts = name.split('/');
    let first = parts.next().unwrap_or_default();
    let first_ok = if name.contains('/') && (first.contains(['.', ':']) || first == "localhost") {
        is_host(first)
    } else {
        is_path_component(first)
    };
    first_ok && parts.all(is_path_component)
}

/// `[a-z0-9]+` runs joined by one separator each: `.`, `_`, `__` or one or more `-`.
fn is_path_component(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if b.first().is_none_or(|&x| !alnum(x)) || b.last().is_none_or(|&x| !alnum(x)) {
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
        match &c[start..i] {
            "." | "_" | "__" => {}
            sep if sep.bytes().all(|x| x == b'-') => {}
            _ => return false,
        }
    }
    true
}

/// A lowercase registry host (dot-separated labels of `[a-z0-9-]`, not starting or ending with
/// `-`) with an optional port.
fn is_host(h: &str) -> bool {
    let (host, port) = match h.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (h, None),
    };
    let label = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|x| x.is_ascii_lowercase() || x.is_ascii_digit() || x == b'-')
    };
    host.split('.').all(label) && port.is_none_or(|p| !p.is_empty() && p.bytes().all(|x| x.is_ascii_digit()))
}

/// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
fn is_tag(t: &str) -> bool {
    let word = |x: u8| x.is_ascii_alphanumeric() || x == b'_';
    (1..=128).contains(&t.len())
        && t.bytes().next().is_some_and(word)
        && t.bytes().all(|x| word(x) || x == b'.' || x == b'-')
}

/// `NameTotalLengthMax`: the longest repository path.
const NAME_MAX: usize = 255;

/// The kubelet's `InvalidImageName` message for `image`, or `None` when it parses.
pub fn invalid_image_message(image: &str) -> Option<String> {
    if plainly_valid(image) {
        return None;
    }
    let err = parse_normalized(image).err()?;
    let q = crate::format::go::quote_str(image);
    Some(format!("Failed to apply default image tag {q}: couldn't parse image name {q}: {err}"))
}

/// `ParseNormalizedNamed`: docker.io and `library/` are implied for short names, and the
/// repository must be lowercase.
fn parse_normalized(s: &str) -> Result<(), String> {
    if s.len() == 64 && s.bytes().all(|b| matches!(b, b'a'..=b'f' | b'0'..=b'9')) {
        return Err(format!("invalid repository name ({s}), cannot specify 64-byte hexadecimal strings"));
    }
    let (domain, remainder) = split_docker_domain(s);
    let remote = remainder.split(':').next().unwrap_or_default();
    if remote.to_lowercase() != remote {
        return Err(format!("invalid reference format: repository name ({remote}) must be lowercase"));
    }
    parse(&format!("{domain}/{remainder}"))
}

/// `splitDockerDomain`: the first path element is a registry when it has a dot or a port, is
/// `localhost` or has capitals; otherwise the registry is docker.io.
fn split_docker_domain(name: &str) -> (String, String) {
    let (mut domain, mut remainder) = match name.find('/') {
        Some(i) => {
            let first = &name[..i];
            let registry = first.contains(['.', ':']) || first == "localhost" || first.to_lowercase() != first;
            if registry {
                (first.to_string(), name[i + 1..].to_string())
            } else {
                ("docker.io".to_string(), name.to_string())
            }
        }
        None => ("docker.io".to_string(), name.to_string()),
    };
    if domain == "index.docker.io" {
        domain = "docker.io".to_string();
    }
    if domain == "docker.io" && !remainder.contains('/') {
        remainder = format!("library/{remainder}");
    }
    (domain, remainder)
}

/// `Parse`: the whole grammar, the path's length and the digest.
fn parse(s: &str) -> Result<(), String> {
    let Some(m) = REFERENCE.captures(s) else {
        if s.is_empty() {
            return Err("repository name must have at least one component".into());
        }
        if REFERENCE.is_match(&s.to_lowercase()) {
            return Err("repository name must be lowercase".into());
        }
        return Err("invalid reference format".into());
    };
    let name = m.get(1).map_or("", |n| n.as_str());
    // The path is the name without its registry (the part before the first `/` here, where a
    // registry is always present).
    let path = name.split_once('/').map_or(name, |(_, p)| p);
    if path.len() > NAME_MAX {
        return Err(format!("repository name must not be more than {NAME_MAX} characters"));
    }
    match m.get(3) {
        Some(d) => validate_digest(d.as_str()),
        None => Ok(()),
    }
}

/// go-digest's `Validate` for the algorithms the kubelet links in (sha256, sha384, sha512).
fn validate_digest(d: &str) -> Result<(), String> {
    let (algorithm, encoded) = d.split_once(':').unwrap_or((d, ""));
    let size = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return Err("unsupported digest algorithm".into()),
    };
    if encoded.len() != size {
        return Err("invalid checksum digest length".into());
    }
    if !encoded.bytes().all(|b| matches!(b, b'a'..=b'f' | b'0'..=b'9')) {
        return Err("invalid checksum digest format".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand check accepts only what the grammar accepts, and the common references.
    #[test]
    fn the_hand_check_is_a_subset_of_the_grammar() {
        let plain = [
            "nginx",
            "nginx:1.27",
            "registry.k8s.io/pause:3.10",
            "localhost:5000/a/b:c",
            "gcr.io/google-samples/hello-app:1.0",
            "docker.io/library/busybox:1.28",
            "my-app__x.y:v1.0-rc_1",
            "quay.io/a--b/c",
        ];
        for s in plain {
            assert!(plainly_valid(s), "{s}");
        }
        let odd = [
            "nginx:",
            "Nginx",
            "a b",
            ":1",
            "/a",
            "a/",
            "a//b",
            "-a",
            "a-",
            "a..b",
            "a___b",
            "nginx:-1",
            "foo:bar/baz",
            "host:/a",
            "host:x/a",
            "UPPER.io/a",
            "a@sha256:0",
            "[::1]/a",
        ];
        for s in plain.iter().chain(&odd) {
            if plainly_valid(s) {
                assert!(REFERENCE.is_match(s), "{s} passed by hand but not by the grammar");
            }
        }
        for s in odd {
            assert!(!plainly_valid(s) || REFERENCE.is_match(s), "{s}");
        }
    }

    /// What kubectl checks `run --image`, `debug --image` and `--set-image` against.
    #[test]
    fn references_as_written() {
        for ok in [
            "busybox",
            "busybox:1.28",
            "registry.k8s.io/pause:3.1",
            "localhost:5000/app",
            "my_org/app-name__x:v1.0-rc_1",
            "nginx@sha256:0123456789abcdef0123456789abcdef",
        ] {
            assert!(is_reference(ok), "{ok}");
        }
        for bad in ["", "Busybox", "busybox:", "busybox:-x", "a//b", "-a", "a:b/c:d:e", "nginx@sha256:12"] {
            assert!(!is_reference(bad), "{bad}");
        }
    }

    #[test]
    fn references_that_parse() {
        let digest = format!("nginx@sha256:{}", "a".repeat(64));
        for image in ["nginx", "nginx:1.27", "registry.k8s.io/pause:3.10", "localhost:5000/a/b:c", "Foo/bar", &digest] {
            assert_eq!(invalid_image_message(image), None, "{image}");
        }
    }

    #[test]
    fn references_that_do_not_parse_give_the_kubelets_message() {
        let cases = [
            ("nginx:", "invalid reference format"),
            ("a b", "invalid reference format"),
            ("Nginx", "invalid reference format: repository name (library/Nginx) must be lowercase"),
            ("example.com/Team/app:1", "invalid reference format: repository name (Team/app) must be lowercase"),
            ("nginx@sha256:abc", "invalid reference format"),
            ("nginx@md5:0123456789abcdef0123456789abcdef", "unsupported digest algorithm"),
        ];
        for (image, err) in cases {
            let q = crate::format::go::quote_str(image);
            let want = format!("Failed to apply default image tag {q}: couldn't parse image name {q}: {err}");
            assert_eq!(invalid_image_message(image).as_deref(), Some(want.as_str()), "{image}");
        }
        let long = format!("nginx@sha256:{}", "a".repeat(40));
        assert!(invalid_image_message(&long).is_some_and(|m| m.ends_with(": invalid checksum digest length")));
    }
}
