//! Which lines are commands: prompts (`$ `, `# `, `user@host:~$ `, `PS C:\> `) and, in blocks
//! without prompts, lines that start with a command word or an assignment from a command.

use super::classify::HOST_TOOLS;

/// Words that start a command line in a shell block without prompts (besides the host tools).
const COMMAND_WORDS: [&str; 27] = [
    "kubectl", "kstate", "for", "while", "if", "until", "echo", "cat", "export", "cd", "ls", "sleep", "watch", "grep",
    "mkdir", "rm", "cp", "mv", "touch", "sudo", "source", "alias", "chmod", "printf", "k", "time", "unset",
];

/// Words that start a command typed in a container's shell.
const POD_WORDS: [&str; 22] = [
    "exit", "logout", "apt", "apt-get", "apk", "yum", "dnf", "hostname", "env", "printenv", "ps", "nslookup", "dig",
    "ping", "df", "mount", "id", "whoami", "uname", "head", "tail", "wc",
];

/// The first word that is not an assignment, looking inside `NAME=$(...)`: `kubectl` in
/// `grace=$(kubectl get pods)`, `kubectl` in `KUBECONFIG=x kubectl get ns`.
pub fn command_word(s: &str) -> &str {
    for w in s.split_whitespace() {
        let Some((name, value)) = w.split_once('=') else { return w };
        if !is_name(name) {
            return w;
        }
        let inner = value.trim_start_matches(['"', '\'']);
        if let Some(sub) = inner.strip_prefix("$(").or_else(|| inner.strip_prefix('`')) {
            return sub.trim_start_matches(['(', '"']);
        }
    }
    ""
}

/// Whether the line only assigns variables (`POD=web-0`, `export NS=demo` is a command word).
pub fn is_assignment(s: &str) -> bool {
    s.split_once('=').is_some_and(|(name, _)| is_name(name.trim()))
}

fn is_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_') && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}

fn is_kube(word: &str) -> bool {
    word == "kubectl" || word == "kstate" || word.ends_with("/kubectl") || word.ends_with("/kstate")
}

/// The command after a prompt on this line. `any_command`: any command may follow `$ ` (in a
/// shell block), else only kubectl. `in_pod`: the reader is in a container's shell, where
/// `root@web-0:/# ls` is a command too.
pub fn prompted(line: &str, any_command: bool, in_pod: bool) -> Option<String> {
    let t = line.trim_start();
    let (mark, rest) = powershell(t).or_else(|| posix(t))?;
    // `## Heading`: Markdown, not a prompt `#` after a host name.
    if mark == '#' && t.len() > rest.len() + 1 && t[..t.len() - rest.len()].chars().all(|c| c == '#') {
        return None;
    }
    let rest = rest.trim_start();
    let kube = is_kube(command_word(rest));
    // In a container's shell a bare `# ` is root's prompt, but `# Run this in a shell` is a
    // comment: a command there starts with a program's name (lower case, or a path).
    let bare_root = mark == '#' && t.len() == rest.len() + 2;
    let in_pod = in_pod && (!bare_root || looks_like_program(command_word(rest)));
    let allowed = kube || in_pod || (any_command && mark == '$') || (any_command && mark == '>');
    (!rest.is_empty() && allowed).then(|| rest.to_string())
}

/// `ls`, `printenv`, `/bin/sh`, `./run.sh`: no capitals or punctuation of prose.
fn looks_like_program(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_./-".contains(c))
}

/// `$ cmd`, `# cmd`, `user@host:~/dir$ cmd`: the prompt character and the rest.
fn posix(t: &str) -> Option<(char, &str)> {
    for (i, c) in t.char_indices() {
        if c == ' ' || c == '\t' || i > 60 {
            return None;
        }
        if (c == '$' || c == '#') && t[i + 1..].starts_with(' ') {
            return Some((c, &t[i + 1..]));
        }
    }
    None
}

/// `PS> cmd`, `PS C:\Users\me> cmd`.
fn powershell(t: &str) -> Option<(char, &str)> {
    let rest = t.strip_prefix("PS")?;
    if !rest.starts_with(['>', ' ']) {
        return None;
    }
    let end = rest.find("> ")?;
    (end <= 60).then(|| ('>', &rest[end + 1..]))
}

/// Whether a line in a prompt-less shell block starts a command.
pub fn starts_command(line: &str, in_pod: bool) -> bool {
    let t = line.trim();
    let w = command_word(t);
    if w.is_empty() {
        // Only assignments: `POD_NAME=web-0`.
        return is_assignment(t) && !t.contains(' ');
    }
    COMMAND_WORDS.contains(&w) || HOST_TOOLS.contains(&w) || is_kube(w) || (in_pod && POD_WORDS.contains(&w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts() {
        assert_eq!(prompted("$ kubectl get ns", false, false).as_deref(), Some("kubectl get ns"));
        assert_eq!(prompted("root@master:~# kubectl get ns", false, false).as_deref(), Some("kubectl get ns"));
        assert_eq!(prompted("# Heading", true, false), None);
        assert_eq!(prompted("$ helm list", false, false), None);
        assert_eq!(prompted("$ helm list", true, false).as_deref(), Some("helm list"));
        assert_eq!(prompted("PS C:\\Users\\me> kubectl get ns", false, false).as_deref(), Some("kubectl get ns"));
        assert_eq!(prompted("PS> kubectl get pods", false, false).as_deref(), Some("kubectl get pods"));
        assert_eq!(prompted("PS> Get-Item x", true, false).as_deref(), Some("Get-Item x"));
        assert_eq!(prompted("root@web-0:/# ls /data", true, false), None);
        assert_eq!(prompted("root@web-0:/# ls /data", true, true).as_deref(), Some("ls /data"));
        assert_eq!(prompted("# ls /data", true, true).as_deref(), Some("ls /data"));
        assert_eq!(prompted("# Run this in a shell inside the container", true, true), None);
        assert_eq!(prompted("## Use container fields as values", true, true), None);
        assert_eq!(prompted("### kubectl get pods", false, false), None);
        assert_eq!(
            prompted("$ grace=$(kubectl get pod x)", false, false).as_deref(),
            Some("grace=$(kubectl get pod x)")
        );
    }

    #[test]
    fn command_lines() {
        assert!(starts_command("grace=$(kubectl get pods -o name)", false));
        assert!(starts_command("POD_NAME=web-0", false));
        assert!(starts_command("KUBECONFIG=x kubectl get ns", false));
        assert!(!starts_command("NAME=web-0 READY=1/1", false));
        assert!(!starts_command("Labels: app=nginx", false));
        assert!(!starts_command("apk add curl", false));
        assert!(starts_command("apk add curl", true));
        assert_eq!(command_word("x=\"$(kubectl get pods)\""), "kubectl");
    }
}
