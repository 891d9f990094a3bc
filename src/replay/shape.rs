//! Shapes of the values a real cluster varies: ages, generated ids, IPs, hashes, timestamps. Two
//! values of the same shape match; an id shape also binds the document's value to the replay's.

/// A kind of generated value. `bind` says whether the same document value must stay the same
/// replay value everywhere (ids do; ages and timestamps do not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    Age,
    Timestamp,
    Uid,
    PvcUid,
    DiskId,
    Ip,
    Hash,
    /// A generated suffix such as a pod-template-hash or a generateName suffix.
    Suffix,
    /// Node names differ from cluster to cluster.
    Node,
}

impl Class {
    pub fn binds(self) -> bool {
        !matches!(self, Class::Age | Class::Timestamp)
    }

    pub fn label(self) -> &'static str {
        match self {
            Class::Age => "age",
            Class::Timestamp => "timestamp",
            Class::Uid => "uid",
            Class::PvcUid => "volume name",
            Class::DiskId => "disk id",
            Class::Ip => "IP",
            Class::Hash => "hash",
            Class::Suffix => "generated name",
            Class::Node => "node name",
        }
    }
}

/// `21m`, `3m20s`, `2d5h`, `<invalid>`.
pub fn is_age(s: &str) -> bool {
    if s == "<invalid>" || s == "<unknown>" {
        return true;
    }
    let mut digits = 0;
    let mut units = 0;
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits += 1;
        } else if "smhdy".contains(c) && digits > 0 {
            digits = 0;
            units += 1;
        } else {
            return false;
        }
    }
    units > 0 && digits == 0
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

pub fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5 && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && is_hex(p))
}

fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

/// `2026-11-27T09:00:00Z` and with fractions or offsets.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
}

/// Lower-case letters and digits with at least one of each, as generated names are.
fn mixed(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes().any(|b| b.is_ascii_lowercase())
}

/// The class of a whole value, if it is one a cluster generates.
pub fn classify(s: &str) -> Option<Class> {
    if is_uuid(s) {
        Some(Class::Uid)
    } else if s.strip_prefix("pvc-").is_some_and(is_uuid) {
        Some(Class::PvcUid)
    } else if s.strip_prefix("d-").is_some_and(|r| r.len() >= 8 && mixed(r)) {
        Some(Class::DiskId)
    } else if is_ipv4(s) {
        Some(Class::Ip)
    } else if is_timestamp(s) {
        Some(Class::Timestamp)
    } else if s.len() >= 12 && is_hex(s) && mixed(s) {
        Some(Class::Hash)
    } else {
        None
    }
}

/// A name a node could have: `ip-10-0-1-5.ec2.internal`, `aks-nodepool1-1234-vmss000000`, `minikube`.
pub fn is_host_name(s: &str) -> bool {
    s.len() >= 3
        && s.len() <= 253
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
}

/// `base-suffix` where the suffix looks generated (5 to 10 lower-case letters and digits with a
/// digit, or the 8 to 10 decimal digits of the pod-template-hash kubectl before v1.11 showed, as
/// in `nginx-deployment-1771418926`): returns the split point.
pub fn generated_suffix(s: &str) -> Option<usize> {
    let i = s.rfind('-')?;
    let suffix = &s[i + 1..];
    let old_hash = (8..=10).contains(&suffix.len()) && suffix.bytes().all(|b| b.is_ascii_digit());
    // The API server's alphabet has no vowels, so a suffix may be letters only (`web-wjzwn`).
    let generated = suffix.bytes().all(|b| b"bcdfghjklmnpqrstvwxz2456789".contains(&b));
    (i > 0 && (5..=10).contains(&suffix.len()) && (mixed(suffix) || old_hash || generated)).then_some(i)
}

/// A pod-template-hash on its own (`pod-template-hash=75675f5897`): the replay's in the API
/// server's alphabet, the document's of the same shape or an older cluster's decimal one.
pub fn template_hashes(x: &str, y: &str) -> bool {
    let alnum = |s: &str| s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (8..=10).contains(&y.len())
        && y.bytes().all(|b| b"bcdfghjklmnpqrstvwxz2456789".contains(&b))
        && (8..=10).contains(&x.len())
        && alnum(x)
        && x.bytes().any(|b| b.is_ascii_digit())
}

/// Two names that differ only in generated suffixes: the document's `x` and the replay's `y`, as
/// `web-1771418926-7o5ns` and `web-7d7598bf9d-x8k2p` (a pod of a Deployment's ReplicaSet carries
/// two). Older clusters drew a pod's five characters from all letters (`fxcez`), so a document's
/// five lower-case letters stand for a generated suffix where the replay shows one.
pub fn same_but_suffixes(x: &str, y: &str) -> bool {
    let old_pod_suffix = |s: &str| {
        s.rfind('-').filter(|i| *i > 0 && s.len() - i - 1 == 5 && s[i + 1..].bytes().all(|b| b.is_ascii_lowercase()))
    };
    match (generated_suffix(x).or_else(|| old_pod_suffix(x)), generated_suffix(y)) {
        (Some(i), Some(j)) => x[..i] == y[..j] || same_but_suffixes(&x[..i], &y[..j]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        for a in ["21m", "0s", "3m20s", "2d5h", "<invalid>"] {
            assert!(is_age(a), "{a}");
        }
        for a in ["20Gi", "m", "1/1", "web-0", "5"] {
            assert!(!is_age(a), "{a}");
        }
    }

    #[test]
    fn classes() {
        assert_eq!(classify("d-2ze9k2rrtcy92e97d3ie"), Some(Class::DiskId));
        assert_eq!(classify("pvc-0b1c2d3e-1111-2222-3333-444455556666"), Some(Class::PvcUid));
        assert_eq!(classify("0b1c2d3e-1111-2222-3333-444455556666"), Some(Class::Uid));
        assert_eq!(classify("10.0.0.12"), Some(Class::Ip));
        assert_eq!(classify("2026-11-27T09:00:00Z"), Some(Class::Timestamp));
        assert_eq!(classify("disk-ssd-web-2"), None);
        assert_eq!(classify("alicloud-disk-ssd"), None);
        assert_eq!(generated_suffix("web-7b8d9c6f5"), Some(3));
        assert_eq!(generated_suffix("nginx-x8k2p"), Some(5));
        assert_eq!(generated_suffix("web-2"), None);
        assert_eq!(generated_suffix("nginx-deployment-1771418926"), Some(16));
        assert_eq!(generated_suffix("web-2024"), None);
        assert_eq!(generated_suffix("nginx-wjzwn"), Some(5));
        assert_eq!(generated_suffix("web-nginx"), None);
        assert!(same_but_suffixes("nginx-deployment-1771418926-7o5ns", "nginx-deployment-77bd6c8ddf-m87jx"));
        assert!(same_but_suffixes("nginx-deployment-148880595-fxcez", "nginx-deployment-858456866b-nnvfp"));
        assert!(template_hashes("75675f5897", "77bd6c8ddf"));
        assert!(template_hashes("1771418926", "77bd6c8ddf"));
        assert!(!template_hashes("deployment", "77bd6c8ddf"));
        assert!(!same_but_suffixes("nginx-1771418926-7o5ns", "web-77bd6c8ddf-m87jx"));
        assert_eq!(generated_suffix("alicloud-disk-essd"), None);
    }
}
