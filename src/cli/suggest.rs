//! cobra's "Did you mean this?" for an unknown command: kubectl's available commands, in the
//! order kubectl adds them, whose Levenshtein distance (ignoring case) to the typed word is at
//! most 2 or whose name starts with it.

/// kubectl v1.32's root commands in `NewKubectlCommand`'s order (cobra appends `help` last).
/// kubectl suggests its own commands, including the ones kstate does not have.
const KUBECTL_COMMANDS: &[&str] = &[
    "create",
    "expose",
    "run",
    "set",
    "explain",
    "get",
    "edit",
    "delete",
    "rollout",
    "scale",
    "autoscale",
    "certificate",
    "cluster-info",
    "top",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "describe",
    "logs",
    "attach",
    "exec",
    "port-forward",
    "proxy",
    "cp",
    "auth",
    "debug",
    "events",
    "diff",
    "apply",
    "patch",
    "replace",
    "wait",
    "kustomize",
    "label",
    "annotate",
    "completion",
    "alpha",
    "api-resources",
    "api-versions",
    "config",
    "plugin",
    "version",
    "options",
    "help",
];

/// Whether kubectl v1.32 has a root command of this name.
#[cfg(test)]
pub fn is_kubectl_command(name: &str) -> bool {
    KUBECTL_COMMANDS.contains(&name)
}

/// cobra's `ld` with `ignoreCase`.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// `error: unknown command "W" for "kubectl"` with cobra's suggestions (without `error: `'s
/// final newline, which the caller adds).
pub fn unknown_command(word: &str) -> String {
    let typed = word.to_lowercase();
    // A kubectl command kstate lacks (`attach`) is not suggested to itself.
    let near: Vec<&str> = KUBECTL_COMMANDS
        .iter()
        .copied()
        .filter(|name| *name != typed && (distance(word, name) <= 2 || name.starts_with(&typed)))
        .collect();
    let mut msg = format!("error: unknown command {} for \"kubectl\"", crate::format::go::quote_str(word));
    if !near.is_empty() {
        msg.push_str("\n\nDid you mean this?\n");
        for name in &near {
            msg.push_str(&format!("\t{name}\n"));
        }
        // kubectl's message ends with the last suggestion's newline; the caller adds one more
        // only when it is missing.
        msg.pop();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_as_cobra_does() {
        assert_eq!(distance("gett", "set"), 2);
        assert_eq!(
            unknown_command("gett"),
            "error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget"
        );
        assert_eq!(
            unknown_command("lgs"),
            "error: unknown command \"lgs\" for \"kubectl\"\n\nDid you mean this?\n\tlogs"
        );
        assert_eq!(unknown_command("zzzzzz"), "error: unknown command \"zzzzzz\" for \"kubectl\"");
    }
}
