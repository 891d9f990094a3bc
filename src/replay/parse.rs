//! Document → steps: finds commands, their expected outputs and embedded manifests the way a reader
//! does. Plain text: `$ ` or `# ` prompts followed by `kubectl`/`kstate`, output up to the next blank
//! line. Code blocks (Markdown, AsciiDoc, reStructuredText): commands (prompted, or lines starting
//! with a command word) and the lines after them up to the next command. Commands typed in a
//! container's shell (after `kubectl exec -it POD -- bash`) are marked to run in that container.

use super::blocks::{self, Block};
use super::classify;
use super::prompt::{is_assignment, prompted, starts_command};
use super::shortcode;

/// Where a command is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shell {
    Host,
    /// In the container shell a `kubectl exec -it ... -- bash` opened: the exec command without
    /// `-it` and the shell (`kubectl exec web-0 -c nginx`).
    Pod(String),
    /// In a shell replay cannot enter (`kubectl run -it ... -- sh`), opened at this document line.
    Unreachable(usize),
}

/// One command of a document and the output the document shows for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// 1-based line of the command in the document.
    pub line: usize,
    /// The shell text (continuation lines and here-documents included), without the prompt.
    pub command: String,
    /// The output lines the document shows (block indentation removed).
    pub expected: Vec<String>,
    /// Where the shown output lies (0-based first line, line count, indentation), for `--update`.
    pub span: Span,
    /// The command is in plain text (outside a code block), where the end of its output is a guess.
    pub plain: bool,
    pub shell: Shell,
    /// How long the prose just above tells the reader to wait before this command ("After 35
    /// seconds, view the Pod events"), as a duration (`35s`).
    pub wait: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub len: usize,
    pub indent: String,
}

/// A manifest the document shows (a YAML block, a plain-text block starting with `apiVersion:`,
/// or a Hugo shortcode naming an example file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// 0-based line where the manifest starts.
    pub line: usize,
    pub text: String,
    /// File names the document gives it (fence info, a `# file.yaml` comment, the prose just above).
    pub names: Vec<String>,
    /// The example file a shortcode shows (relative to the examples folder); `text` is then empty.
    pub example: Option<String>,
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub steps: Vec<Step>,
    pub manifests: Vec<Manifest>,
}

const SHELL_LANGS: [&str; 15] = [
    "sh",
    "bash",
    "shell",
    "console",
    "shell-session",
    "shellsession",
    "zsh",
    "terminal",
    "session",
    "powershell",
    "pwsh",
    "ps1",
    "azurecli",
    "azurecli-interactive",
    "cmd",
];
const OUTPUT_LANGS: [&str; 7] = ["", "text", "txt", "none", "output", "plaintext", "log"];

/// Splits a document into lines without their terminators.
pub fn lines(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l).to_string()).collect();
    if text.ends_with('\n') {
        v.pop();
    }
    v
}

/// `key=value` lines of which some key no shell variable could have (`server.1=zk-0...:2888:3888`,
/// `autopurge.purgeInterval=0`): a configuration file's text (zookeeper's `zoo.cfg`), which
/// nobody types as commands, even where the prose does not call it output.
fn config_listing(body: &[String]) -> bool {
    let keys: Option<Vec<&str>> = body
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .map(|l| l.split_once('=').map(|(k, _)| k).filter(|k| !k.is_empty() && !k.contains(char::is_whitespace)))
        .collect();
    let identifier = |k: &str| k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    keys.is_some_and(|k| !k.is_empty() && k.iter().any(|k| !identifier(k)))
}

/// A line that runs kubectl: `kubectl get pods`, or an assignment from it
/// (`podName=$(kubectl get pods -o jsonpath=...)`), as untyped blocks of commands hold them.
fn kubectl_line(line: &str) -> bool {
    let command = match line.split_once("=$(") {
        Some((name, rest)) if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => rest,
        _ => line,
    };
    command.strip_prefix("kubectl ").or_else(|| command.strip_prefix("kstate ")).is_some_and(|rest| !rest.is_empty())
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
                let l = blocks::strip_indent(&lines[i], indent);
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
            let l = blocks::strip_indent(&lines[i], indent);
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

/// What the walk through a document carries from one block to the next.
struct Walk<'a> {
    lines: &'a [String],
    p: Parsed,
    shell: Shell,
    /// The last step of a shell block and the line after that block, while its output may still
    /// follow in an output block.
    awaiting: Option<(usize, usize)>,
    /// The line after the last code block, where the prose before the next one starts.
    after_block: usize,
}

pub fn parse(text: &str) -> Parsed {
    let lines = lines(text);
    let markup = blocks::markup_of(&lines);
    let mut w = Walk { lines: &lines, p: Parsed::default(), shell: Shell::Host, awaiting: None, after_block: 0 };
    let mut i = 0;
    // The content indent of the last Markdown text line, for indented code blocks.
    let mut base = 0;
    while i < lines.len() {
        let line = &lines[i];
        if markup == blocks::Markup::Markdown {
            let fence = blocks::at(&lines, i, markup).is_some();
            if let Some(b) = blocks::indented(&lines, i, base).filter(|_| !fence) {
                w.block(&b);
                i = b.next.max(i + 1);
                continue;
            }
            if !line.trim().is_empty() {
                base = blocks::content_indent(line);
            }
        }
        if let Some(command) = shortcode::tab_command(line).filter(|_| !w.in_pod()) {
            // A tab named after a command shows its output.
            let end = (i + 1..lines.len()).find(|k| shortcode::tab_end(&lines[*k])).unwrap_or(lines.len());
            let (start, len) = trim_span(&lines[i + 1..end], i + 1);
            let expected = lines[start..start + len].to_vec();
            w.push(i + 1, command, expected, Span { start, len, indent: String::new() }, false);
            w.after_block = end + 1;
            i = end + 1;
            continue;
        }
        if let Some(file) = shortcode::example_file(line) {
            let base = file.rsplit('/').next().unwrap_or(&file).to_string();
            w.p.manifests.push(Manifest { line: i, text: String::new(), names: vec![base], example: Some(file) });
            i += 1;
            continue;
        }
        if let Some(b) = blocks::at(&lines, i, markup) {
            w.block(&b);
            i = b.next.max(i + 1);
            continue;
        }
        if let Some(cmd) = prompted(line, false, w.in_pod()) {
            let (command, next) = take_command(cmd, &lines, i + 1, 0);
            let mut end = next;
            while end < lines.len()
                && !lines[end].trim().is_empty()
                && prompted(&lines[end], false, w.in_pod()).is_none()
                && blocks::at(&lines, end, markup).is_none()
            {
                end += 1;
            }
            let expected = lines[next..end].to_vec();
            let span = Span { start: next, len: end - next, indent: String::new() };
            w.push(i + 1, command, expected, span, true);
            i = end.max(i + 1);
            continue;
        }
        if line.starts_with("apiVersion:") {
            let start = i;
            let mut end = i;
            while end < lines.len() && yamlish(&lines[end]) && prompted(&lines[end], false, false).is_none() {
                end += 1;
            }
            while end > start + 1 && lines[end - 1].trim().is_empty() {
                end -= 1;
            }
            let mut text = lines[start..end].join("\n");
            text.push('\n');
            w.p.manifests.push(Manifest { line: start, text, names: names_above(&lines, start), example: None });
            i = end;
            continue;
        }
        i += 1;
    }
    w.p
}

impl Walk<'_> {
    fn in_pod(&self) -> bool {
        self.shell != Shell::Host
    }

    /// Records a step, leaving or entering a container's shell as the command does. `exit` in a
    /// container's shell is not a step: it returns to the host.
    fn push(&mut self, line: usize, command: String, expected: Vec<String>, span: Span, plain: bool) {
        let word = command.split_whitespace().next().unwrap_or("");
        if self.in_pod() && (word == "exit" || word == "logout") {
            self.shell = Shell::Host;
            return;
        }
        if self.in_pod() && (word == "kubectl" || word == "kstate") {
            // kubectl is typed on the host again.
            self.shell = Shell::Host;
        }
        let shell = self.shell.clone();
        if shell == Shell::Host {
            match classify::opened_shell(&command) {
                Some(Some(exec)) => self.shell = Shell::Pod(exec),
                Some(None) => self.shell = Shell::Unreachable(line),
                None => {}
            }
        }
        self.p.steps.push(Step { line, command, expected, span, plain, shell, wait: None });
    }

    fn block(&mut self, b: &Block) {
        self.block_kind(b);
        self.after_block = b.next;
    }

    fn block_kind(&mut self, b: &Block) {
        let lang = b.lang();
        let first_text = b.body.iter().find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
        let untyped = OUTPUT_LANGS.contains(&lang.as_str());
        let is_manifest = matches!(lang.as_str(), "yaml" | "yml" | "json")
            || (untyped && first_text.is_some_and(|l| l.starts_with("apiVersion:")));
        let has_prompt = b.body.iter().any(|l| prompted(l, false, self.in_pod()).is_some());
        // An untyped block of nothing but kubectl lines holds commands (READMEs fence commands
        // without a language), never a command's output.
        let only_kubectl = untyped
            && first_text.is_some()
            && b.body.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).all(kubectl_line);
        // An untyped block that opens with a loop running kubectl (`for i in 0 1; do kubectl exec
        // ...; done` and its output) is a shell block without its language. (A bare `kubectl get`
        // line over a table may be the output's caption, see the test below.)
        let opens_with_kubectl = untyped
            && first_text.is_some_and(|l| {
                let word = l.split_whitespace().next().unwrap_or("");
                ["for", "while", "until"].contains(&word) && l.contains("kubectl ")
            });
        if SHELL_LANGS.contains(&lang.as_str()) && self.shows_assignments_as_output(b) {
            self.output_block(b);
        } else if SHELL_LANGS.contains(&lang.as_str())
            || (untyped && (has_prompt || only_kubectl || opens_with_kubectl))
        {
            let before = self.p.steps.len();
            self.shell_block(b);
            let lead_in = &self.lines[self.after_block.min(b.open)..b.open];
            if let Some(step) = self.p.steps.get_mut(before) {
                step.wait = told_wait(lead_in);
            }
            if self.p.steps.len() > before {
                self.awaiting = Some((self.p.steps.len() - 1, b.next));
            } else if !self.in_pod() {
                // A shell block with no command in it: output, as an output block is.
                self.output_block(b);
            }
        } else if is_manifest {
            let mut names: Vec<String> = yaml_name(&b.info).into_iter().collect();
            if let Some(first) = b.body.iter().find(|l| !l.trim().is_empty()) {
                if first.trim_start().starts_with('#') {
                    names.extend(yaml_name(first));
                }
            }
            names.extend(names_above(self.lines, b.open));
            let mut text = b.body.join("\n");
            text.push('\n');
            self.p.manifests.push(Manifest { line: b.open, text, names, example: None });
        } else if untyped {
            self.output_block(b);
        }
    }

    /// A shell block of nothing but `name="value"` lines that the prose calls output ("The
    /// output shows that all of the Pod's labels have been written to the `labels` file:"),
    /// right after a command shown without output: a labels file's content, not assignments.
    ///
    /// Likewise a shell block (without prompts) whose first line is no command ("And you will see
    /// output similar to:" over a fenced `Name:  frontend`): it is output, even where a line of
    /// it looks like an assignment (`tier=frontend` of a describe's labels).
    fn shows_assignments_as_output(&self, b: &Block) -> bool {
        let awaited = self.awaiting.is_some_and(|(s, _)| self.p.steps[s].expected.is_empty());
        let mut text = b.body.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).peekable();
        let in_pod = self.in_pod();
        let opens_with_output =
            text.clone().find(|l| !l.starts_with('#')).is_some_and(|l| !starts_command(l, in_pod) && !is_assignment(l))
                && b.body.iter().all(|l| prompted(l, true, in_pod).is_none());
        let assignments = text.peek().is_some()
            && text.all(|l| is_assignment(l) && !l.contains("$(") && !l.contains('`') && !l.starts_with("export "));
        let from = self.after_block.min(b.open);
        let told = self.lines[from..b.open].iter().any(|l| l.to_ascii_lowercase().contains("output"));
        awaited && ((told && (assignments || opens_with_output)) || config_listing(&b.body))
    }

    /// An output block: of the command the prose just above tells the reader to run
    /// (kubernetes.io's "run `kubectl get rs`. The output is similar to this:"), else of the last
    /// command of the shell block right before it, if that command shows no output.
    fn output_block(&mut self, b: &Block) {
        let from = self.after_block.min(b.open);
        if let Some((at, command)) = inline_command(&self.lines[from..b.open]) {
            if !self.in_pod() {
                self.awaiting = None;
                let (start, len) = trim_span(&b.body, b.first);
                let off = start - b.first;
                let expected = b.body[off..off + len].to_vec();
                let span = Span { start, len, indent: " ".repeat(b.indent) };
                self.push(from + at + 1, command, expected, span, false);
                return;
            }
        }
        if let Some((s, after)) = self.awaiting.take() {
            let prose_between = self.lines[after.min(b.open)..b.open].iter().filter(|l| !l.trim().is_empty()).count();
            if self.p.steps[s].expected.is_empty() && prose_between <= 2 {
                let (start, len) = trim_span(&b.body, b.first);
                let off = start - b.first;
                self.p.steps[s].expected = b.body[off..off + len].to_vec();
                self.p.steps[s].span = Span { start, len, indent: " ".repeat(b.indent) };
            }
        }
    }

    fn shell_block(&mut self, b: &Block) {
        let body = &b.body;
        let is_command = |l: &str, prompts: bool, in_pod: bool| {
            if prompts {
                prompted(l, true, in_pod)
            } else if starts_command(l, in_pod) {
                Some(l.trim().to_string())
            } else {
                None
            }
        };
        let prompt_mode = body.iter().any(|l| prompted(l, true, self.in_pod()).is_some());
        let mut i = 0;
        while i < body.len() {
            let Some(cmd) = is_command(&body[i], prompt_mode, self.in_pod()) else {
                i += 1;
                continue;
            };
            let line = b.first + i + 1;
            let (command, next) = take_command(cmd, body, i + 1, 0);
            // The output ends at the next command, typed where this one leaves the reader.
            let before = self.p.steps.len();
            self.push(line, command, Vec::new(), Span { start: b.first + next, len: 0, indent: String::new() }, false);
            let in_pod = self.in_pod();
            let mut end = next;
            while end < body.len() {
                let l = &body[end];
                let comment = !prompt_mode && l.trim_start().starts_with('#');
                if comment || is_command(l, prompt_mode, in_pod).is_some() {
                    break;
                }
                end += 1;
            }
            let (start, len) = trim_span(&body[next..end], b.first + next);
            let off = start - b.first;
            // `exit` is no step; what follows it is not compared.
            if let Some(step) = self.p.steps.get_mut(before) {
                step.expected = body[off..off + len].to_vec();
                step.span = Span { start, len, indent: " ".repeat(b.indent) };
            }
            i = end;
            while i < body.len() && !prompt_mode && body[i].trim_start().starts_with('#') {
                i += 1;
            }
        }
    }
}

/// The last `kubectl` command the prose tells the reader to run in inline code (`Run \`kubectl get
/// deployments\` to check`), within the three lines of text above an output block: its index in
/// `prose` and the command.
fn inline_command(prose: &[String]) -> Option<(usize, String)> {
    let text: Vec<usize> = (0..prose.len()).filter(|k| !prose[*k].trim().is_empty()).collect();
    let mut found = None;
    for &k in text.iter().rev().take(3).rev() {
        let line = &prose[k];
        let mut rest = line.as_str();
        let mut before = String::new();
        while let Some(open) = rest.find('`') {
            before.push_str(&rest[..open]);
            let Some(len) = rest[open + 1..].find('`') else { break };
            let span = &rest[open + 1..open + 1 + len];
            let lead = before.trim_end().to_ascii_lowercase();
            let told = ["run", "running", "execute", "enter", "type"].iter().any(|w| lead.ends_with(w));
            if told && span.starts_with("kubectl ") && !span.contains('<') {
                found = Some((k, span.trim().to_string()));
            }
            before.push_str(&rest[open..open + 2 + len]);
            rest = &rest[open + 2 + len..];
        }
    }
    found
}

/// The wait the last two lines of text above a command tell the reader to make: "After 35
/// seconds", "Wait another 30 seconds", "a minute later", "in around one minute" (not "Within
/// 30 seconds").
fn told_wait(prose: &[String]) -> Option<String> {
    let text: Vec<&String> = prose.iter().filter(|l| !l.trim().is_empty()).collect();
    let tail = text[text.len().saturating_sub(2)..].iter().map(|l| l.to_ascii_lowercase()).collect::<Vec<_>>();
    let words: Vec<String> = tail
        .join(" ")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    let mut found = None;
    for (k, w) in words.iter().enumerate() {
        let (n, unit, span) = if let Some((n, unit)) = compact_duration(w) {
            // "After around 30s": the number and its unit in one word.
            (n, unit, 0)
        } else {
            let unit = match w.trim_end_matches('s') {
                "second" => "s",
                "minute" => "m",
                _ => continue,
            };
            // "a few seconds": the reader waits long enough for a probe to fail three times.
            let few = k >= 2 && words[k - 1] == "few" && words[k - 2] == "a" && unit == "s";
            match k.checked_sub(1).and_then(|i| number(&words[i])).filter(|n| *n > 0) {
                _ if few => (A_FEW_SECONDS, unit, 2),
                Some(n) => (n, unit, 1),
                None => continue,
            }
        };
        let before = words[..k - span].iter().rev().take(2).map(String::as_str).collect::<Vec<_>>();
        let after = words.get(k + 1).map(String::as_str);
        let roughly =
            before.len() == 2 && ["around", "about"].contains(&before[0]) && ["in", "after"].contains(&before[1]);
        let told = before.first().is_some_and(|w| ["after", "wait", "another"].contains(w))
            || before.contains(&"wait")
            || roughly
            || after == Some("later");
        if told {
            // The last wait told, the one nearest the command.
            found = Some(format!("{n}{unit}"));
        }
    }
    found
}

/// `30s`, `2m`: a duration written as one word.
fn compact_duration(word: &str) -> Option<(u32, &'static str)> {
    let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let n = word[..digits].parse().ok().filter(|n| *n > 0)?;
    match &word[digits..] {
        "s" => Some((n, "s")),
        "m" | "min" => Some((n, "m")),
        _ => None,
    }
}

/// How long "a few seconds" is: a readiness probe of a 2-second period fails its default three
/// times in 6 seconds, one of 10 seconds not yet (a page that means longer says so).
const A_FEW_SECONDS: u32 = 10;

/// `35`, `a`, `one` ... `ten`.
fn number(word: &str) -> Option<u32> {
    const WORDS: [&str; 10] = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    match word {
        "a" | "an" => Some(1),
        w => w.parse().ok().or_else(|| WORDS.iter().position(|x| *x == w).and_then(|i| u32::try_from(i + 1).ok())),
    }
}

/// Drops leading and trailing blank lines of a block starting at document line `first`.
fn trim_span(body: &[String], first: usize) -> (usize, usize) {
    let lead = body.iter().take_while(|l| l.trim().is_empty()).count();
    let trail = body.iter().rev().take_while(|l| l.trim().is_empty()).count();
    let len = body.len().saturating_sub(lead + trail);
    (first + lead, len)
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
    fn indented_markdown_blocks_in_numbered_steps() {
        let doc = "1. Create it:\n\n        kubectl apply -f d.yaml\n\n1. List the pods:\n\n        kubectl get pods\n\n    The output is similar to this:\n\n        NAME   READY\n        web    1/1\n\n    where `x` is a pod.\n\nDelete it:\n\n    kubectl delete deployment web\n";
        let p = parse(doc);
        let cmds: Vec<&str> = p.steps.iter().map(|s| s.command.as_str()).collect();
        assert_eq!(cmds, ["kubectl apply -f d.yaml", "kubectl get pods", "kubectl delete deployment web"]);
        assert_eq!(p.steps[1].expected, ["NAME   READY", "web    1/1"]);
        assert_eq!(p.steps[1].span, Span { start: 10, len: 2, indent: " ".repeat(8) });
        assert!(p.steps[2].expected.is_empty());
        // Prose indented under a list item is no code block.
        assert!(parse("- item\n\n  kubectl get pods\n").steps.is_empty());
    }

    #[test]
    fn commands_the_prose_tells_to_run_own_the_output_below() {
        let doc = "1. Create it:\n   ```shell\n   kubectl apply -f d.yaml\n   ```\n\n2. Run `kubectl get deployments` to check.\n\n   The output is similar to:\n   ```\n   NAME   READY\n   ```\n3. With `kubectl get rs` you see more:\n   ```\n   NAME\n   ```\n";
        let p = parse(doc);
        let cmds: Vec<&str> = p.steps.iter().map(|s| s.command.as_str()).collect();
        assert_eq!(cmds, ["kubectl apply -f d.yaml", "kubectl get deployments"]);
        assert!(p.steps[0].expected.is_empty());
        assert_eq!((p.steps[1].line, p.steps[1].expected.as_slice()), (6, ["NAME   READY".to_string()].as_slice()));
    }

    #[test]
    fn untyped_fences_opening_with_a_kubectl_command_are_shell_blocks() {
        let doc = "```\nfor i in 0 1; do kubectl exec web-$i -- hostname; done\nweb-0\nweb-1\n```\n\n```\nNAME  kubectl get\n```\n";
        let p = parse(doc);
        assert_eq!(p.steps.len(), 1);
        assert_eq!(p.steps[0].expected, ["web-0", "web-1"]);
    }

    #[test]
    fn waits_the_prose_tells() {
        let w = |s: &str| told_wait(&lines(s));
        assert_eq!(w("After 35 seconds, view the Pod events again:").as_deref(), Some("35s"));
        assert_eq!(w("Wait another 30 seconds, and verify that the container restarted:").as_deref(), Some("30s"));
        assert_eq!(w("Run it again a minute later.\n2 minutes later, run:").as_deref(), Some("2m"));
        assert_eq!(w("Watch for the job to be created in around one minute:").as_deref(), Some("1m"));
        assert_eq!(
            w("After a few seconds, the Pod should report one of its containers as not Ready,").as_deref(),
            Some("10s")
        );
        let job = "After around 30s the entire Job should be terminated. Inspect the status of the Job by running:";
        assert_eq!(w(job).as_deref(), Some("30s"));
        assert_eq!(w("Wait 2m, then run:").as_deref(), Some("2m"));
        assert_eq!(w("Keep 30s between retries (for example, 3s0 or 90x):"), None);
        assert_eq!(w("Within 30 seconds, view the Pod events:"), None);
        assert_eq!(w("It takes around 10 seconds to complete."), None);
    }

    #[test]
    fn a_configuration_file_after_a_command_is_its_output() {
        let doc = "```shell\nkubectl exec zk-0 -- cat zoo.cfg\n```\n\nIn the server.1 properties:\n\n```shell\nclientPort=2181\nminSessionTimeout= 4000\nserver.1=zk-0.zk-hs:2888:3888\n```\n\n```shell\nPOD=web-0\nNS=default\n```\n";
        let p = parse(doc);
        let cmds: Vec<&str> = p.steps.iter().map(|s| s.command.as_str()).collect();
        assert_eq!(cmds, ["kubectl exec zk-0 -- cat zoo.cfg", "POD=web-0", "NS=default"]);
        assert_eq!(
            p.steps[0].expected,
            ["clientPort=2181", "minSessionTimeout= 4000", "server.1=zk-0.zk-hs:2888:3888"]
        );
    }

    #[test]
    fn a_shell_block_of_values_the_prose_calls_output_is_output() {
        let doc = "```shell\nkubectl exec p -- cat /etc/podinfo/labels\n```\n\nThe output shows the labels:\n\n```shell\ncluster=\"test-cluster1\"\nrack=\"rack-22\"\n```\n\nSet it:\n\n```shell\nPOD=web-0\n```\n";
        let p = parse(doc);
        let cmds: Vec<&str> = p.steps.iter().map(|s| s.command.as_str()).collect();
        assert_eq!(cmds, ["kubectl exec p -- cat /etc/podinfo/labels", "POD=web-0"]);
        assert_eq!(p.steps[0].expected, ["cluster=\"test-cluster1\"", "rack=\"rack-22\""]);
        // A describe fenced as shell: its first line is no command, its label lines no assignments.
        let doc = "```shell\nkubectl describe rs/frontend\n```\n\nAnd you will see output similar to:\n\n```shell\nName:    frontend\nLabels:  app=guestbook\n         tier=frontend\n```\n";
        let p = parse(doc);
        assert_eq!(p.steps.len(), 1);
        assert_eq!(p.steps[0].expected, ["Name:    frontend", "Labels:  app=guestbook", "         tier=frontend"]);
    }

    #[test]
    fn untyped_fences_of_kubectl_lines_are_commands() {
        let doc = "```\nkubectl create -f pvc.yaml\nkubectl create -f pod.yaml\n```\n\nThe output:\n```\nNAME   READY\n```\n\n```\nkubectl get pods\nNAME   READY\n```\n";
        let p = parse(doc);
        let cmds: Vec<&str> = p.steps.iter().map(|s| s.command.as_str()).collect();
        assert_eq!(cmds, ["kubectl create -f pvc.yaml", "kubectl create -f pod.yaml"]);
        assert_eq!(p.steps[1].expected, ["NAME   READY"]);
        // An assignment from kubectl, fenced without a language after a command shown without
        // output, is the next command, not that command's output.
        let doc = "```sh\ncat <<EOF > p.yaml\nx: 1\nEOF\n```\nSecond:\n```\nn=$(kubectl get pods -o name)\n```\n";
        let cmds: Vec<String> = parse(doc).steps.into_iter().map(|s| s.command).collect();
        assert_eq!(cmds, ["cat <<EOF > p.yaml\nx: 1\nEOF", "n=$(kubectl get pods -o name)"]);
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

    fn commands(p: &Parsed) -> Vec<(&str, &Shell)> {
        p.steps.iter().map(|s| (s.command.as_str(), &s.shell)).collect()
    }

    #[test]
    fn commands_typed_in_a_container_shell() {
        let doc = "```shell\nkubectl exec -it shell-demo -- /bin/bash\n```\n\nIn the shell:\n\n```shell\napt-get update\ncurl http://localhost\n<!DOCTYPE html>\nexit\nkubectl get pods\n```\n\n```console\n$ kubectl exec -it web-0 -c nginx -- sh\nroot@web-0:/# ls /data\nlost+found\nroot@web-0:/# exit\n$ kubectl get ns\n```\n";
        let p = parse(doc);
        let pod = Shell::Pod("kubectl exec shell-demo".into());
        let web = Shell::Pod("kubectl exec web-0 -c nginx".into());
        assert_eq!(
            commands(&p),
            [
                ("kubectl exec -it shell-demo -- /bin/bash", &Shell::Host),
                ("apt-get update", &pod),
                ("curl http://localhost", &pod),
                ("kubectl get pods", &Shell::Host),
                ("kubectl exec -it web-0 -c nginx -- sh", &Shell::Host),
                ("ls /data", &web),
                ("kubectl get ns", &Shell::Host),
            ]
        );
        assert_eq!(p.steps[2].expected, ["<!DOCTYPE html>"]);
        assert_eq!(p.steps[5].expected, ["lost+found"]);
        let p = parse("```shell\nkubectl run -it --rm t --image=busybox -- sh\nnslookup web-0.nginx\n```\n");
        assert_eq!(p.steps[1].shell, Shell::Unreachable(2));
    }

    #[test]
    fn assignments_from_commands_are_commands() {
        let doc = "```shell\ngrace=$(kubectl get pods web-0 --template '{{.spec.terminationGracePeriodSeconds}}')\necho $grace\n10\n```\n\n$ POD=$(kubectl get pods -o name)\n";
        let p = parse(doc);
        let cmds: Vec<&str> = p.steps.iter().map(|s| s.command.as_str()).collect();
        assert_eq!(
            cmds,
            [
                "grace=$(kubectl get pods web-0 --template '{{.spec.terminationGracePeriodSeconds}}')",
                "echo $grace",
                "POD=$(kubectl get pods -o name)"
            ]
        );
        assert_eq!(p.steps[1].expected, ["10"]);
    }

    #[test]
    fn output_in_a_shell_fence() {
        let doc = "```shell\nkubectl get pods\n```\n\n```shell\nNAME    READY\nweb-0   1/1\n```\n";
        let p = parse(doc);
        assert_eq!(p.steps.len(), 1);
        assert_eq!(p.steps[0].expected, ["NAME    READY", "web-0   1/1"]);
        assert_eq!(p.steps[0].span.start, 5);
    }

    #[test]
    fn asciidoc_and_rst_documents() {
        let adoc = "= Demo\n\n[source,bash]\n----\nkubectl get ns default\n----\n\n....\nNAME      STATUS   AGE\ndefault   Active   1d\n....\n\n[source,yaml]\n.web.yaml\n----\napiVersion: v1\n----\n";
        let p = parse(adoc);
        assert_eq!(p.steps[0].command, "kubectl get ns default");
        assert_eq!(p.steps[0].expected, ["NAME      STATUS   AGE", "default   Active   1d"]);
        assert_eq!(p.manifests[0].text, "apiVersion: v1\n");
        let rst = "Run:\n\n.. code-block:: console\n\n   $ kubectl get ns default\n   NAME      STATUS   AGE\n   default   Active   1d\n\nDone.\n";
        let p = parse(rst);
        assert_eq!(p.steps[0].command, "kubectl get ns default");
        assert_eq!(p.steps[0].expected, ["NAME      STATUS   AGE", "default   Active   1d"]);
        assert_eq!(p.steps[0].span, Span { start: 5, len: 2, indent: "   ".into() });
    }

    #[test]
    fn powershell_prompts_and_shortcodes() {
        let doc = "{{< codenew file=\"application/web/web.yaml\" >}}\n\n```powershell\nPS C:\\> kubectl apply -f https://k8s.io/examples/application/web/web.yaml\nservice/nginx created\n```\n";
        let p = parse(doc);
        assert_eq!(p.manifests[0].example.as_deref(), Some("application/web/web.yaml"));
        assert_eq!(p.manifests[0].names, ["web.yaml"]);
        assert_eq!(p.steps[0].command, "kubectl apply -f https://k8s.io/examples/application/web/web.yaml");
        assert_eq!(p.steps[0].expected, ["service/nginx created"]);
    }
}
