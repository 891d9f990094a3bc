//! Placeholders a document leaves for the reader to fill: `<node-name>`, `$POD_NAME`,
//! `YOUR_NAMESPACE`. What they stand for is told by their words (node, pod, namespace, ...); replay
//! fills them from the cluster (the object of that kind the document created last, else one the
//! cluster has) and reports what it chose. The same placeholder keeps its value in the document.

use std::collections::{BTreeMap, HashSet};

/// The kind of object a placeholder names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Node,
    Namespace,
    /// A process ID in a container (`kill <pid>`): its main process is PID 1.
    Process,
    /// A namespaced resource, by its kubectl name (`pods`, `statefulsets`, ...).
    Resource(&'static str),
}

/// Placeholder words and the kind each names, most specific first.
const WORDS: [(&str, Kind); 17] = [
    ("node", Kind::Node),
    ("pid", Kind::Process),
    ("namespace", Kind::Namespace),
    ("ns", Kind::Namespace),
    ("statefulset", Kind::Resource("statefulsets")),
    ("sts", Kind::Resource("statefulsets")),
    ("deployment", Kind::Resource("deployments")),
    ("deploy", Kind::Resource("deployments")),
    ("service", Kind::Resource("services")),
    ("svc", Kind::Resource("services")),
    ("pvc", Kind::Resource("persistentvolumeclaims")),
    ("claim", Kind::Resource("persistentvolumeclaims")),
    // `<your-pv-name>` (change-pv-reclaim-policy): a volume, which no namespace holds.
    ("pv", Kind::Resource("persistentvolumes")),
    ("persistentvolume", Kind::Resource("persistentvolumes")),
    ("pod", Kind::Resource("pods")),
    ("configmap", Kind::Resource("configmaps")),
    ("secret", Kind::Resource("secrets")),
];

/// The kind a placeholder's name tells, from its words (`<your-pod-name>` → pods). The last word
/// naming a kind is the noun (`<stateful-set-pod>` is a pod of a StatefulSet); kubernetes.io
/// writes `stateful-set` in two words.
pub fn kind_of(name: &str) -> Option<Kind> {
    let lower = name.to_ascii_lowercase().replace("stateful-set", "statefulset").replace("stateful_set", "statefulset");
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    // `<stateful-set-file-updated>`, `<pod-manifest.yaml>`: a file of the reader's, no object.
    if words.iter().any(|w| ["file", "yaml", "yml", "json", "manifest", "path", "url", "dir"].contains(w)) {
        return None;
    }
    words
        .iter()
        .rev()
        .find_map(|x| WORDS.iter().find(|(w, _)| x == w || x.strip_suffix('s') == Some(w)).map(|(_, k)| *k))
}

/// Placeholders in a command, in order of first appearance: `<...>` words, `$NAME`/`${NAME}` the
/// document never assigned, and `YOUR_...` words. Only those whose words name a kind are returned.
pub fn find(command: &str, assigned: &HashSet<String>) -> Vec<(String, Kind)> {
    let mut out: Vec<(String, Kind)> = Vec::new();
    let mut add = |text: &str, name: &str| {
        if let Some(k) = kind_of(name) {
            if !out.iter().any(|(t, _)| t == text) {
                out.push((text.to_string(), k));
            }
        }
    };
    let b = command.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'<' if i + 1 < b.len() && b[i + 1] != b'<' && (i == 0 || b[i - 1] != b'<') => {
                let end = command[i + 1..].find('>').map(|e| i + 1 + e);
                if let Some(end) = end {
                    let inner = &command[i + 1..end];
                    // `<node-name>`, also in words (`<node name>`, as older task pages write it).
                    let word = !inner.is_empty()
                        && inner.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                        && !inner.ends_with(' ')
                        && !inner.contains("  ")
                        && inner.chars().all(|c| c.is_ascii_alphanumeric() || "-_ ".contains(c));
                    if word {
                        add(&command[i..=end], inner);
                        i = end + 1;
                        continue;
                    }
                }
            }
            b'$' => {
                let rest = &command[i + 1..];
                let braced = rest.starts_with('{');
                let name: String = rest
                    .trim_start_matches('{')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let len = name.len() + if braced { 3 } else { 1 };
                let upper = !name.is_empty() && name.chars().all(|c| !c.is_ascii_lowercase());
                let whole = command.get(i..i + len).is_some_and(|t| !braced || t.ends_with('}'));
                if upper && whole && !assigned.contains(&name) {
                    add(&command[i..i + len], &name);
                }
                if !name.is_empty() {
                    i += len.min(command.len() - i);
                    continue;
                }
            }
            b'Y' if command[i..].starts_with("YOUR_") && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) => {
                let word: String = command[i..]
                    .chars()
                    .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                add(&word, &word);
                i += word.len();
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Variables a command assigns (`NAME=...`, `export NAME=...`, `for NAME in`, `read NAME`).
pub fn assigned_by(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let words: Vec<&str> = command.split(|c: char| c.is_whitespace() || c == ';').filter(|w| !w.is_empty()).collect();
    for (k, w) in words.iter().enumerate() {
        if let Some((name, _)) = w.split_once('=') {
            if super::prompt::is_assignment(w) && !name.is_empty() {
                out.push(name.to_string());
            }
        }
        if matches!(*w, "for" | "read") {
            if let Some(n) = words.get(k + 1) {
                out.push(n.trim_start_matches('-').to_string());
            }
        }
    }
    out
}

/// Values chosen so far, so a placeholder means the same object everywhere in the document.
#[derive(Debug, Default)]
pub struct Fills {
    chosen: BTreeMap<String, String>,
}

impl Fills {
    pub fn get(&self, text: &str) -> Option<&str> {
        self.chosen.get(text).map(String::as_str)
    }

    pub fn set(&mut self, text: &str, value: &str) {
        self.chosen.insert(text.to_string(), value.to_string());
    }
}

/// `text` with every placeholder replaced by its value.
pub fn fill(text: &str, values: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (p, v) in values {
        out = out.replace(p.as_str(), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_their_kinds() {
        let none = HashSet::new();
        let found = find("kubectl describe node <node-name> -n YOUR_NAMESPACE; kubectl logs $POD_NAME", &none);
        assert_eq!(
            found,
            [
                ("<node-name>".to_string(), Kind::Node),
                ("YOUR_NAMESPACE".to_string(), Kind::Namespace),
                ("$POD_NAME".to_string(), Kind::Resource("pods"))
            ]
        );
        let assigned: HashSet<String> = ["POD_NAME".to_string()].into();
        assert!(find("kubectl logs ${POD_NAME}", &assigned).is_empty());
        assert_eq!(find("kubectl logs ${POD_NAME}", &none)[0].0, "${POD_NAME}");
        // Redirections, here-documents, lower-case variables and unknown words are not placeholders.
        assert!(find("cat <<EOF > x\nkubectl get pods < in $i <value>", &none).is_empty());
        assert_eq!(find("kubectl drain <node name>", &none), [("<node name>".to_string(), Kind::Node)]);
        assert_eq!(find("kill <pid>", &none), [("<pid>".to_string(), Kind::Process)]);
        assert!(find("sort < in.txt > out.txt", &none).is_empty());
        assert_eq!(kind_of("your-statefulset"), Some(Kind::Resource("statefulsets")));
        assert_eq!(kind_of("pods"), Some(Kind::Resource("pods")));
        assert_eq!(kind_of("your-pv-name"), Some(Kind::Resource("persistentvolumes")));
        assert_eq!(kind_of("pvc-name"), Some(Kind::Resource("persistentvolumeclaims")));
        assert_eq!(kind_of("stateful-set-name"), Some(Kind::Resource("statefulsets")));
        assert_eq!(kind_of("stateful-set-pod"), Some(Kind::Resource("pods")));
        assert_eq!(kind_of("pod-namespace"), Some(Kind::Namespace));
        assert_eq!(kind_of("stateful-set-file-updated"), None);
    }

    #[test]
    fn assignments() {
        assert_eq!(assigned_by("POD=$(kubectl get pods -o name); export NS=x"), ["POD", "NS"]);
        assert_eq!(assigned_by("for p in a b; do echo $p; done"), ["p"]);
    }
}
