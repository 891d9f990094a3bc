//! Which tags exist in the registries, for the repositories of kstate's image catalogue only:
//! a tag such a repository has never published (`nginx:1.161`, the Kubernetes Basics
//! tutorial's `kubernetes-bootcamp:v10`) fails to pull with containerd's not-found error, as on a
//! real cluster. Every other image pulls: repositories kstate does not know, and any reference by
//! digest. The tag sets are generous (every published version of a known line and the
//! documented variants), so that a tag a user really pulls never fails here.

use super::normalize_image;

/// The container runtime's error for pulling `image` (as the kubelet receives it over CRI), or
/// `None` when the pull succeeds.
///
/// containerd's CRI plugin wraps the client's resolve error (`failed to pull and unpack image`,
/// then `failed to resolve reference`, then the resolver's `REF: not found`), and gRPC carries
/// it with the NotFound code.
pub fn pull_error(image: &str) -> Option<String> {
    if image.contains('@') {
        return None;
    }
    let full = normalize_image(image);
    let (repository, tag) = full.rsplit_once(':').filter(|(_, t)| !t.contains('/'))?;
    let exists = match repository {
        "docker.io/library/nginx" => nginx_tag(tag),
        "docker.io/library/busybox" => busybox_tag(tag),
        "docker.io/library/httpd" => httpd_tag(tag),
        "gcr.io/google-samples/kubernetes-bootcamp" | "docker.io/jocatalin/kubernetes-bootcamp" => {
            matches!(tag, "latest" | "v1" | "v2")
        }
        "gcr.io/google-samples/hello-app" | "us-docker.pkg.dev/google-samples/containers/gke/hello-app" => {
            matches!(tag, "latest" | "1.0" | "2.0")
        }
        _ => true,
    };
    if exists {
        return None;
    }
    let q = crate::format::go::quote_str(&full);
    Some(format!(
        "rpc error: code = NotFound desc = failed to pull and unpack image {q}: failed to resolve reference {q}: {full}: not found"
    ))
}

/// nginx: `latest`, or a version (`1`, `1.N`, `1.N.P`) or channel (`stable`, `mainline`)
/// followed by variants (`-alpine`, `-alpine3.20`, `-slim`, `-perl`, `-otel`, `-bookworm`, ...),
/// or variants alone (`alpine`, `perl`, `alpine-slim`, `bookworm`).
fn nginx_tag(tag: &str) -> bool {
    const WORDS: &[&str] = &["alpine", "slim", "perl", "otel", "bookworm", "bullseye", "buster", "stretch", "trixie"];
    let version = |v: &str| release(v, 1, 31, 20) || matches!(v, "stable" | "mainline");
    tag == "latest" || versioned(tag, version, WORDS)
}

/// busybox: `latest`, a version (`1`, `1.N`, `1.N.P`) or channel (`stable`, `unstable`) with an
/// optional libc variant (`-musl`, `-glibc`, `-uclibc`), a variant alone, or the old
/// `buildroot-...` and `ubuntu-...` builds.
fn busybox_tag(tag: &str) -> bool {
    const WORDS: &[&str] = &["musl", "glibc", "uclibc"];
    if tag.starts_with("buildroot-") || tag.starts_with("ubuntu-") {
        return true;
    }
    let version = |v: &str| release(v, 1, 38, 10) || matches!(v, "stable" | "unstable");
    tag == "latest" || versioned(tag, version, WORDS)
}

/// httpd: `latest`, a version (`2`, `2.2`, `2.4`, `2.4.P`) with optional variants (`-alpine`,
/// `-alpine3.20`, `-bookworm`, ...), or a variant alone.
fn httpd_tag(tag: &str) -> bool {
    const WORDS: &[&str] = &["alpine", "bookworm", "bullseye", "buster", "stretch", "jessie", "trixie"];
    let version =
        |v: &str| release(v, 2, 4, 80) && !v.starts_with("2.0") && !v.starts_with("2.1") && !v.starts_with("2.3");
    tag == "latest" || versioned(tag, version, WORDS)
}

/// `HEAD[-WORD]...` where HEAD passes `version` or is itself a variant word, and every WORD is a
/// variant (`alpine3.N` counts as `alpine`).
fn versioned(tag: &str, version: impl Fn(&str) -> bool, words: &[&str]) -> bool {
    let word = |w: &str| {
        words.contains(&w)
            || w.strip_prefix("alpine3.").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let mut parts = tag.split('-');
    let head = parts.next().unwrap_or_default();
    (version(head) || word(head)) && parts.all(word)
}

/// `MAJOR`, `MAJOR.MINOR` or `MAJOR.MINOR.PATCH` with MINOR and PATCH within bounds.
fn release(v: &str, major: u32, max_minor: u32, max_patch: u32) -> bool {
    let mut parts = v.split('.');
    let number = |p: Option<&str>| -> Option<u32> {
        p.filter(|s| !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse().ok())
    };
    if number(parts.next()) != Some(major) {
        return false;
    }
    let Some(minor) = parts.next() else { return true };
    if number(Some(minor)).is_none_or(|m| m > max_minor) {
        return false;
    }
    let Some(patch) = parts.next() else { return true };
    number(Some(patch)).is_some_and(|p| p <= max_patch) && parts.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_the_registries_have_pull() {
        for image in [
            "nginx",
            "nginx:latest",
            "nginx:1.14.2",
            "nginx:1.16.1",
            "nginx:1.27.3",
            "nginx:1.28",
            "nginx:1",
            "nginx:stable",
            "nginx:mainline-alpine",
            "nginx:stable-alpine",
            "nginx:alpine",
            "nginx:alpine-slim",
            "nginx:perl",
            "nginx:1.27-alpine3.20-slim",
            "nginx:1.27.3-bookworm-perl",
            "docker.io/library/nginx:1.25",
            "busybox",
            "busybox:1.28",
            "busybox:1.36.1-musl",
            "busybox:stable-glibc",
            "busybox:uclibc",
            "httpd:2.4",
            "httpd:2.4.39-alpine",
            "httpd:alpine3.20",
            "gcr.io/google-samples/kubernetes-bootcamp:v1",
            "docker.io/jocatalin/kubernetes-bootcamp:v2",
            "gcr.io/google-samples/hello-app:1.0",
            "us-docker.pkg.dev/google-samples/containers/gke/hello-app:2.0",
            // Repositories kstate does not know, and digests, always pull.
            "registry.k8s.io/nginx:test-cmd",
            "example.com/nginx:1.161",
            "redis:whatever",
            "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert_eq!(pull_error(image), None, "{image}");
        }
    }

    #[test]
    fn tags_never_published_fail_with_containerds_not_found() {
        assert_eq!(
            pull_error("nginx:1.161").as_deref(),
            Some(
                "rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:1.161\": \
                 failed to resolve reference \"docker.io/library/nginx:1.161\": docker.io/library/nginx:1.161: not found"
            )
        );
        for image in [
            "nginx:sometag",
            "nginx:2",
            "nginx:1.27.300",
            "nginx:1.27-ubuntu",
            "busybox:2.0",
            "busybox:1.99",
            "httpd:2.5",
            "gcr.io/google-samples/kubernetes-bootcamp:v10",
            "gcr.io/google-samples/hello-app:3.0",
        ] {
            assert!(pull_error(image).is_some(), "{image}");
        }
        let bootcamp = pull_error("gcr.io/google-samples/kubernetes-bootcamp:v10").unwrap_or_default();
        assert!(bootcamp.ends_with(": gcr.io/google-samples/kubernetes-bootcamp:v10: not found"), "{bootcamp}");
    }
}
