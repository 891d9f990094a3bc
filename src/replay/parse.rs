//! Document → steps: finds commands, their expected outputs and embedded manifests the way a reader
//! does. Plain text: `$ ` or `# ` prompts followed by `kubectl`/`kstate`, output up to the next blank
//! line. Fenced shell blocks: commands (prompted, or lines starting with a command word) and the lines
//! after them up to the next command.

use super::classify::HOST_TOOLS;

/// One command of a document and the output the document shows for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// 1-based line of the command in the document.
    pub line: usize,
    /// The shell text (continuation lines and here-documents included), without the prompt.
    pub command: String,
    /// The output lines the document shows (fence indentation removed).
    pub expected: Vec<String>,
    /// Where the shown output lies (0-based first line, line count, indentation), for `--update`.
    pub span: Span,
    /// The command is in plain text (outside a fenced block), where the end of its output is a guess.
    pub plain: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub len: usize,
    pub indent: String,
}

/// A manifest the document shows (a YAML fence or a plain-text block starting with `apiVersion:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// 0-based line where the manifest starts.
    pub line: usize,
    pub text: String,
    /// File names the document gives it (fence info, a `# file.yaml` comment, the prose just above).
    pub names: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub steps: Vec<Step>,
    pub manifests: Vec<Manifest>,
}

const SHELL_LANGS: [&str; 9] =
    ["sh", "bash", "shell", "console", "shell-session", "shellsession", "zsh", "terminal", "session"];
const OUTPUT_LANGS: [&str; 6] = ["", "text", "txt", "none", "output", "plaintext"];

/// Words that start a command line in a fenced shell block without prompts (besides the host
/// tools the classifier knows).
const COMMAND_WORDS: [&str; 26] = [
    "kubectl", "kstate", "for", "while", "if", "until", "echo", "cat", "export", "cd", "ls", "sleep", "watch", "grep",
    "mkdir", "rm", "cp", "mv", "touch", "sudo", "source", "alias", "chmod", "printf", "k", "time",
];

/// Splits a document into lines without their terminators.
pub fn lines(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l).to_string()).collect();
    if text.ends_with('\n') {
        v.pop();
    }
    v
}

/// A prompted command on this line: the command text after the prompt.
fn prompted(line: &str, any_command: bool) -> Option<String> {
    let t = line.trim_start();
    for (i, c) in t.char_indices() {
        if c == ' ' || c == '\t' {
            return None;
        }
        if (c == '$' || c == '#') && t[i + 1..].starts_with(' ') {
            let prefix = &t[..i];
            if prefix.len() > 60 {
                return None;
            }
            let rest = t[i + 1..].trim_start();
            let first = first_word(rest);
            let kube = first == "kubectl" || first == "kstate";
            if rest.is_empty() || (c == '#' && !kube) || (!any_command && !kube) {
                return None;
            }
            return Some(rest.to_string());
        }
    }
    None
}

fn first_word(s: &str) -> &str {
    s.split_whitespace().next().unwrap_or("")
}

/// Whether a line in a prompt-less shell block starts a command.
fn starts_command(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let mut w = words.next().unwrap_or("");
    // FOO=bar kubectl ...
    while w.contains('=') && !w.starts_with('=') && !w.starts_with('-') {
        w = words.next().unwrap_or("");
    }
    COMMAND_WORDS.contains(&w) || HOST_TOOLS.contains(&w) || w.ends_with("/kubectl") || w.ends_with("/kstate")
}

/// The delimiter of a here-document started on this line (`<<EOF`, `<<-'EOF'`).
pub fn heredoc_word(line: &str) -> Option<String> {
    let i = line.find("<<")?;
    let rest = line[i + 2..].trim_start_matches('-').trim_start();
    let rest = rest.trim_start_matches(['\'', '"']);
    let word: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    (!word.is_empty() && !line[i..].starts_with("<<<")).then_some(word)
}

fn has_word(s: &str, w: &str) -> bool {
    s.split(|c: char| c.is_whitespace() || c == ';').any(|x| x == w)
}

/// Extends a command that starts at `lines[i]` over continuation lines, here-documents and loops;
/// returns the command text and the index of the line after it.
fn take_command(first: String, lines: &[String], mut i: usize, indent: usize) -> (String, usize) {
    let mut cmd = first;
    loop {
        let last = cmd.lines().last().unwrap_or("").to_string();
        if let Some(word) = heredoc_word(&last) {
            while i < lines.len() {
                let l = strip_indent(&lines[i], indent);
                i += 1;
                cmd.push('\n');
                cmd.push_str(&l);
                if l.trim() == word {
                    break;
                }
            }
            continue;
        }
        let open_loop =
            (has_word(&cmd, "do") && !has_word(&cmd, "done")) || (has_word(&cmd, "then") && !has_word(&cmd, "fi"));
        if (last.trim_end().ends_with('\\') || open_loop) && i < lines.len() {
            let l = strip_indent(&lines[i], indent);
            let l = prompt_continuation(&l);
            i += 1;
            cmd.push('\n');
            cmd.push_str(&l);
            continue;
        }
        return (cmd, i);
    }
}

/// `> ` continuation prompts in console transcripts.
fn prompt_continuation(l: &str) -> String {
    l.strip_prefix("> ").unwrap_or(l).to_string()
}

fn strip_indent(line: &str, indent: usize) -> String {
    let n = line.chars().take(indent).take_while(|c| *c == ' ').count();
    line[n..].to_string()
}

fn fence_open(line: &str) -> Option<(usize, char, usize, String)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let t = &line[indent..];
    let c = t.chars().next()?;
    if c != '`' && c != '~' {
        return None;
    }
    let n = t.chars().take_while(|x| *x == c).count();
    (n >= 3).then(|| (indent, c, n, t[n..].trim().to_string()))
}

fn fence_close(line: &str, c: char, n: usize) -> bool {
    let t = line.trim();
    t.chars().take_while(|x| *x == c).count() >= n && t.chars().all(|x| x == c)
}

fn yaml_name(s: &str) -> Option<String> {
    s.split(|c: char| c.is_whitespace() || "`'\"=:,()（）：，".contains(c))
        .map(|w| w.trim_end_matches(['.', '。']))
        .find(|w| {
            let l = w.to_ascii_lowercase();
            (l.ends_with(".yaml") || l.ends_with(".yml") || l.ends_with(".json")) && l.len() > 5
        })
        .map(|w| w.rsplit('/').next().unwrap_or(w).to_string())
}

/// Names the prose just above line `at` gives a manifest.
fn names_above(lines: &[String], at: usize) -> Vec<String> {
    let mut names = Vec::new();
    let mut seen = 0;
    let mut i = at;
    while i > 0 && seen < 2 {
        i -= 1;
        if lines[i].trim().is_empty() {
            continue;
        }
        seen += 1;
        if let Some(n) = yaml_name(&lines[i]) {
            names.push(n);
            break;
        }
    }
    names
}

fn yamlish(line: &str) -> bool {
    if line.trim().is_empty()
        || line.starts_with(' ')
        || line.starts_with('\t')
        || line.starts_with("- ")
        || line == "---"
    {
        return true;
    }
    if line.starts_with('#') {
        return true;
    }
    match line.split_once(':') {
        Some((k, v)) => {
            !k.is_empty()
                && k.chars().all(|c| c.is_ascii_alphanumeric() || "_-.\"'".contains(c))
                && (v.is_empty() || v.starts_with(' '))
        }
        None => false,
    }
}

pub fn parse(text: &str) -> Parsed {
    let lines = lines(text);
    let mut p = Parsed::default();
    let mut i = 0;
    // Index of the last step found in a shell fence and the line where that fence closed.
    let mut after_shell: Option<(usize, usize)> = None;
    while i < lines.len() {
        let line = &lines[i];
        if let Some((indent, c, n, info)) = fence_open(line) {
            let mut close = i + 1;
            while close < lines.len() && !fence_close(&lines[close], c, n) {
                close += 1;
            }
            let body: Vec<String> =
                lines[i + 1..close.min(lines.len())].iter().map(|l| strip_indent(l, indent)).collect();
            let lang =
                info.split(|c: char| c.is_whitespace() || c == ',' || c == '{' || c == ':').find(|w| !w.is_empty());
            let lang = lang.unwrap_or("").trim_start_matches('.').to_ascii_lowercase();
            let first_text = body.iter().find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
            let is_manifest = matches!(lang.as_str(), "yaml" | "yml" | "json")
                || (OUTPUT_LANGS.contains(&lang.as_str()) && first_text.is_some_and(|l| l.starts_with("apiVersion:")));
            let has_prompt = body.iter().any(|l| prompted(l, false).is_some());
            if SHELL_LANGS.contains(&lang.as_str()) || (OUTPUT_LANGS.contains(&lang.as_str()) && has_prompt) {
                let before = p.steps.len();
                shell_block(&body, i + 1, indent, &mut p.steps);
                if p.steps.len() > before {
                    after_shell = Some((p.steps.len() - 1, close));
                }
            } else if is_manifest {
                let mut names: Vec<String> = yaml_name(&info).into_iter().collect();
                if let Some(first) = body.iter().find(|l| !l.trim().is_empty()) {
                    if first.trim_start().starts_with('#') {
                        names.extend(yaml_name(first));
                    }
                }
                names.extend(names_above(&lines, i));
                let mut text = body.join("\n");
                text.push('\n');
                p.manifests.push(Manifest { line: i, text, names });
            } else if OUTPUT_LANGS.contains(&lang.as_str()) {
                // An output block right after a shell block whose last command shows no output.
                if let Some((s, closed)) = after_shell {
                    let prose_between = lines[closed + 1..i].iter().filter(|l| !l.trim().is_empty()).count();
                    if p.steps[s].expected.is_empty() && prose_between <= 2 {
                        let (start, len) = trim_span(&body, i + 1);
                        p.steps[s].expected = body[start - i - 1..start - i - 1 + len].to_vec();
                        p.steps[s].span = Span { start, len, indent: " ".repeat(indent) };
                    }
                }
                after_shell = None;
            }
            i = close + 1;
            continue;
        }
        if let Some(cmd) = prompted(line, false) {
            let (command, next) = take_command(cmd, &lines, i + 1, 0);
            let mut end = next;
            while end < lines.len()
                && !lines[end].trim().is_empty()
                && prompted(&lines[end], false).is_none()
                && fence_open(&lines[end]).is_none()
            {
                end += 1;
            }
            let expected = lines[next..end].to_vec();
            let span = Span { start: next, len: end - next, indent: String::new() };
            p.steps.push(Step { line: i + 1, command, expected, span, plain: true });
            i = end;
            continue;
        }
        if line.starts_with("apiVersion:") {
            let start = i;
            let mut end = i;
            while end < lines.len() && yamlish(&lines[end]) && prompted(&lines[end], false).is_none() {
                end += 1;
            }
            while end > start + 1 && lines[end - 1].trim().is_empty() {
                end -= 1;
            }
            let mut text = lines[start..end].join("\n");
            text.push('\n');
            p.manifests.push(Manifest { line: start, text, names: names_above(&lines, start) });
            i = end;
            continue;
        }
        i += 1;
    }
    p
}

/// Drops leading and trailing blank lines of a block starting at document line `first`.
fn trim_span(body: &[String], first: usize) -> (usize, usize) {
    let lead = body.iter().take_while(|l| l.trim().is_empty()).count();
    let trail = body.iter().rev().take_while(|l| l.trim().is_empty()).count();
    let len = body.len().saturating_sub(lead + trail);
    (first + lead, len)
}

fn shell_block(body: &[String], first: usize, indent: usize, steps: &mut Vec<Step>) {
    let prompt_mode = body.iter().any(|l| prompted(l, true).is_some());
    let mut i = 0;
    while i < body.len() {
        let cmd = if prompt_mode {
            prompted(&body[i], true)
        } else if starts_command(&body[i]) {
            Some(body[i].trim().to_string())
        } else {
            None
        };
        let Some(cmd) = cmd else {
            i += 1;
            continue;
        };
        let line = first + i + 1;
        let (command, next) = take_command(cmd, body, i + 1, 0);
        let mut end = next;
        while end < body.len() {
            let l = &body[end];
            let is_cmd = if prompt_mode { prompted(l, true).is_some() } else { starts_command(l) };
            let comment = !prompt_mode && l.trim_start().starts_with('#');
            if is_cmd || comment {
                break;
            }
            end += 1;
        }
        let (start, len) = trim_span(&body[next..end], first + next);
        let off = start - first;
        let expected = body[off..off + len].to_vec();
        steps.push(Step {
            line,
            command,
            expected,
            span: Span { start, len, indent: " ".repeat(indent) },
            plain: false,
        });
        i = end;
        while i < body.len() && !prompt_mode && body[i].trim_start().starts_with('#') {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_prompts_and_outputs() {
        let doc = "intro\n\n# kubectl get pod\nNAME  READY\nweb-0 1/1\n\nprose\n$ kubectl exec web-1 ls /data\n# kubectl scale sts web --replicas=3\nstatefulset.apps \"web\" scaled\n";
        let p = parse(doc);
        assert_eq!(p.steps.len(), 3);
        assert_eq!(p.steps[0].line, 3);
        assert_eq!(p.steps[0].command, "kubectl get pod");
        assert_eq!(p.steps[0].expected, ["NAME  READY", "web-0 1/1"]);
        assert_eq!(p.steps[0].span, Span { start: 3, len: 2, indent: String::new() });
        assert!(p.steps[1].expected.is_empty());
        assert_eq!(p.steps[2].expected, ["statefulset.apps \"web\" scaled"]);
        assert!(p.steps.iter().all(|s| s.plain));
    }

    #[test]
    fn comments_and_other_prompts_are_not_commands() {
        let p = parse("# Introduction\n$ helm install x\nroot@m:~# kubectl get ns\n");
        assert_eq!(p.steps.len(), 1);
        assert_eq!(p.steps[0].command, "kubectl get ns");
    }

    #[test]
    fn fenced_blocks_with_and_without_prompts() {
        let doc = "```shell\nkubectl get pods\nNAME   READY\nweb-0  1/1\n# comment\nfor i in 0 1; do\n  kubectl exec web-$i -- hostname\ndone\nweb-0\nweb-1\n```\n\n```console\n$ kubectl get sts\nNAME  READY\n$ helm list\n```\n";
        let p = parse(doc);
        let cmds: Vec<&str> = p.steps.iter().map(|s| s.command.as_str()).collect();
        assert_eq!(
            cmds,
            [
                "kubectl get pods",
                "for i in 0 1; do\n  kubectl exec web-$i -- hostname\ndone",
                "kubectl get sts",
                "helm list"
            ]
        );
        assert_eq!(p.steps[0].expected, ["NAME   READY", "web-0  1/1"]);
        assert_eq!(p.steps[1].expected, ["web-0", "web-1"]);
        assert_eq!(p.steps[1].line, 6);
        assert_eq!(p.steps[2].expected, ["NAME  READY"]);
        assert!(!p.steps[0].plain);
        // Every host tool the classifier skips also starts a command in a prompt-less block.
        let p = parse("```sh\nk3d cluster create demo\nINFO done\ngit clone x\n```\n");
        let cmds: Vec<&str> = p.steps.iter().map(|s| s.command.as_str()).collect();
        assert_eq!(cmds, ["k3d cluster create demo", "git clone x"]);
    }

    #[test]
    fn heredocs_belong_to_the_command() {
        let doc =
            "```bash\nkubectl create -f - <<EOF\napiVersion: v1\nkind: Namespace\nEOF\nnamespace/x created\n```\n";
        let p = parse(doc);
        assert_eq!(p.steps.len(), 1);
        assert!(p.steps[0].command.ends_with("EOF"));
        assert_eq!(p.steps[0].expected, ["namespace/x created"]);
    }

    #[test]
    fn manifests_in_fences_and_plain_text() {
        let doc = "Save as `web.yaml`:\n\n```yaml\napiVersion: v1\nkind: Service\n```\n\ntext\napiVersion: v1\nkind: Pod\nspec:\n  a: 1\n\n  b: 2\n\n验证\n";
        let p = parse(doc);
        assert_eq!(p.manifests.len(), 2);
        assert_eq!(p.manifests[0].names, ["web.yaml"]);
        assert_eq!(p.manifests[0].text, "apiVersion: v1\nkind: Service\n");
        assert_eq!(p.manifests[1].text, "apiVersion: v1\nkind: Pod\nspec:\n  a: 1\n\n  b: 2\n");
    }

    #[test]
    fn output_fence_after_a_shell_fence() {
        let doc = "```shell\nkubectl get pods\n```\nThe output is similar to:\n```\nNAME  READY\n```\n";
        let p = parse(doc);
        assert_eq!(p.steps[0].expected, ["NAME  READY"]);
        assert_eq!(p.steps[0].span.start, 5);
    }

    #[test]
    fn indented_fences_keep_their_indent() {
        let doc = "1. Run:\n\n   ```shell\n   kubectl get ns\n   NAME\n   ```\n";
        let p = parse(doc);
        assert_eq!(p.steps[0].expected, ["NAME"]);
        assert_eq!(p.steps[0].span.indent, "   ");
    }
}
