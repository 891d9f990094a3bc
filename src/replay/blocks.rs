//! Code blocks as the three markups people publish walkthroughs in write them: Markdown fences,
//! AsciiDoc delimited blocks (`[source,bash]` + `----`, literal `....`) and reStructuredText
//! directives (`.. code-block:: bash`, a paragraph ending in `::`). Each becomes the same [`Block`].

/// The markup a document is written in, told from its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// Markdown, or plain text (fences are found in both).
    Markdown,
    AsciiDoc,
    Rst,
}

/// One code block: its info (language), its body without the block's indentation, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// 0-based line where the block starts (fence, attribute line or directive).
    pub open: usize,
    /// 0-based line of `body[0]`.
    pub first: usize,
    /// 0-based line after the block (after its closing delimiter, if any).
    pub next: usize,
    /// Indentation removed from the body lines.
    pub indent: usize,
    /// The info string: `bash`, `yaml title="web.yaml"`, empty for untyped blocks.
    pub info: String,
    pub body: Vec<String>,
}

impl Block {
    /// The language word of the info string, lower-case (`shell`, `yaml`, or empty).
    pub fn lang(&self) -> String {
        let word = self
            .info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{' || c == ':')
            .find(|w| !w.is_empty())
            .unwrap_or("");
        word.trim_start_matches('.').to_ascii_lowercase()
    }
}

/// Tells the markup from directives only that markup uses.
pub fn markup_of(lines: &[String]) -> Markup {
    let rst = lines.iter().any(|l| {
        let t = l.trim_start();
        RST_DIRECTIVES.iter().any(|d| t.starts_with(d))
    });
    if rst {
        return Markup::Rst;
    }
    let adoc = lines.iter().any(|l| asciidoc_attributes(l).is_some())
        || lines.first().is_some_and(|l| l.starts_with("= ") && lines.iter().any(|l| l == "----"));
    if adoc {
        Markup::AsciiDoc
    } else {
        Markup::Markdown
    }
}

const RST_DIRECTIVES: [&str; 4] = [".. code-block::", ".. code::", ".. sourcecode::", ".. prompt::"];

/// The block that starts at line `i`, if one does.
pub fn at(lines: &[String], i: usize, markup: Markup) -> Option<Block> {
    if let Some(b) = fenced(lines, i) {
        return Some(b);
    }
    match markup {
        Markup::Markdown => None,
        Markup::AsciiDoc => asciidoc(lines, i),
        Markup::Rst => rst(lines, i),
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Removes up to `indent` leading spaces.
pub fn strip_indent(line: &str, indent: usize) -> String {
    let n = line.bytes().take(indent).take_while(|c| *c == b' ').count();
    line[n..].to_string()
}

fn fenced(lines: &[String], i: usize) -> Option<Block> {
    let line = &lines[i];
    let indent = indent_of(line);
    let t = &line[indent..];
    let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.chars().take_while(|x| *x == c).count();
    if n < 3 {
        return None;
    }
    let info = t[n..].trim().to_string();
    let closes = |l: &String| {
        let t = l.trim();
        t.chars().take_while(|x| *x == c).count() >= n && t.chars().all(|x| x == c)
    };
    let close = lines[i + 1..].iter().position(closes).map_or(lines.len(), |k| i + 1 + k);
    let body = lines[i + 1..close].iter().map(|l| strip_indent(l, indent)).collect();
    Some(Block { open: i, first: i + 1, next: close + 1, indent, info, body })
}

/// Where the text of a Markdown line starts: after its indentation and, for a list item (`- `,
/// `* `, `+ `, `1. `, `1) `), after the marker. An indented code block inside that item is
/// indented four more columns.
pub fn content_indent(line: &str) -> usize {
    let indent = indent_of(line);
    let t = &line[indent..];
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let marker = if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") {
        1
    } else if (1..=9).contains(&digits) && (t[digits..].starts_with(". ") || t[digits..].starts_with(") ")) {
        digits + 1
    } else {
        0
    };
    if marker == 0 {
        return indent;
    }
    let spaces = t[marker..].bytes().take_while(|c| *c == b' ').count();
    indent + marker + spaces
}

/// A Markdown indented code block starting at line `i`: after a blank line, lines indented at
/// least four columns past `base` (the content indent of the paragraph or list item they belong
/// to), up to the first line indented less. kubernetes.io's older pages show commands and outputs
/// this way inside numbered steps. The block is untyped.
pub fn indented(lines: &[String], i: usize, base: usize) -> Option<Block> {
    let deep = |l: &String| !l.trim().is_empty() && indent_of(l) >= base + 4 && !l.starts_with('\t');
    if !deep(&lines[i]) || (i > 0 && !lines[i - 1].trim().is_empty()) {
        return None;
    }
    let mut k = i;
    while k < lines.len() && (lines[k].trim().is_empty() || deep(&lines[k])) {
        k += 1;
    }
    while k > i && lines[k - 1].trim().is_empty() {
        k -= 1;
    }
    let indent = lines[i..k].iter().filter(|l| !l.trim().is_empty()).map(|l| indent_of(l)).min().unwrap_or(0);
    let body = lines[i..k].iter().map(|l| strip_indent(l, indent)).collect();
    Some(Block { open: i, first: i, next: k, indent, info: String::new(), body })
}

/// `[source,bash]`, `[source, yaml]`, `[,console]`, `[listing]`, `[literal]`: the language.
fn asciidoc_attributes(line: &str) -> Option<String> {
    let inner = line.trim().strip_prefix('[')?.strip_suffix(']')?;
    let mut parts = inner.split(',').map(str::trim);
    let style = parts.next().unwrap_or("");
    match style {
        "source" | "" => Some(parts.next().unwrap_or("").to_string()).filter(|l| style == "source" || !l.is_empty()),
        "listing" | "literal" => Some(String::new()),
        _ => None,
    }
}

fn asciidoc_delimiter(line: &str) -> Option<char> {
    let t = line.trim_end();
    let c = t.chars().next().filter(|c| *c == '-' || *c == '.')?;
    (t.len() >= 4 && t.chars().all(|x| x == c)).then_some(c)
}

fn asciidoc(lines: &[String], i: usize) -> Option<Block> {
    let (info, mut d) = match asciidoc_attributes(&lines[i]) {
        Some(lang) => (lang, i + 1),
        None => (String::new(), i),
    };
    // A block title (`.Output`) may sit between the attributes and the delimiter.
    if d > i && lines.get(d).is_some_and(|l| l.starts_with('.') && asciidoc_delimiter(l).is_none()) {
        d += 1;
    }
    let delim = lines.get(d)?.trim_end().to_string();
    asciidoc_delimiter(&delim)?;
    let close = lines[d + 1..].iter().position(|l| l.trim_end() == delim).map_or(lines.len(), |k| d + 1 + k);
    let body = lines[d + 1..close].to_vec();
    Some(Block { open: i, first: d + 1, next: close + 1, indent: 0, info, body })
}

fn rst(lines: &[String], i: usize) -> Option<Block> {
    let line = &lines[i];
    let t = line.trim_start();
    let info = if let Some(d) = RST_DIRECTIVES.iter().find(|d| t.starts_with(**d)) {
        t[d.len()..].trim().to_string()
    } else if t.ends_with("::") && !t.starts_with("..") {
        // A literal block after a paragraph ending in `::`: untyped.
        String::new()
    } else {
        return None;
    };
    let outer = indent_of(line);
    let mut k = i + 1;
    // Directive options (`:linenos:`) and blank lines before the body.
    while k < lines.len()
        && (lines[k].trim().is_empty() || (indent_of(&lines[k]) > outer && lines[k].trim_start().starts_with(':')))
    {
        k += 1;
    }
    let first = k;
    while k < lines.len() && (lines[k].trim().is_empty() || indent_of(&lines[k]) > outer) {
        k += 1;
    }
    let mut end = k;
    while end > first && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    if end == first {
        return None;
    }
    let indent = lines[first..end].iter().filter(|l| !l.trim().is_empty()).map(|l| indent_of(l)).min().unwrap_or(0);
    let body = lines[first..end].iter().map(|l| strip_indent(l, indent)).collect();
    Some(Block { open: i, first, next: end, indent, info, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.lines().map(String::from).collect()
    }

    #[test]
    fn markdown_fences() {
        let l = v("text\n  ```shell title=x\n  kubectl get ns\n  ```\nafter");
        assert_eq!(markup_of(&l), Markup::Markdown);
        let b = at(&l, 1, Markup::Markdown).expect("fence");
        assert_eq!((b.open, b.first, b.next, b.indent), (1, 2, 4, 2));
        assert_eq!((b.lang().as_str(), b.body.as_slice()), ("shell", ["kubectl get ns".to_string()].as_slice()));
        assert_eq!(at(&l, 0, Markup::Markdown), None);
    }

    #[test]
    fn asciidoc_source_and_literal_blocks() {
        let l = v("= Title\n\n[source,bash]\n----\nkubectl get ns\n----\n\n....\nNAME\n....\n");
        assert_eq!(markup_of(&l), Markup::AsciiDoc);
        let b = at(&l, 2, Markup::AsciiDoc).expect("source");
        assert_eq!((b.first, b.next, b.lang().as_str()), (4, 6, "bash"));
        assert_eq!(b.body, ["kubectl get ns"]);
        let b = at(&l, 7, Markup::AsciiDoc).expect("literal");
        assert_eq!((b.lang().as_str(), b.body.as_slice()), ("", ["NAME".to_string()].as_slice()));
        // Not a block in Markdown: a horizontal rule.
        assert_eq!(at(&l, 3, Markup::Markdown), None);
    }

    #[test]
    fn rst_directives_and_literal_paragraphs() {
        let l = v("Run:\n\n.. code-block:: console\n   :linenos:\n\n   $ kubectl get ns\n   NAME\n\n     indented\nback\n\nOutput::\n\n    NAME  AGE\nend");
        assert_eq!(markup_of(&l), Markup::Rst);
        let b = at(&l, 2, Markup::Rst).expect("directive");
        assert_eq!((b.first, b.next, b.indent, b.lang().as_str()), (5, 9, 3, "console"));
        assert_eq!(b.body, ["$ kubectl get ns", "NAME", "", "  indented"]);
        let b = at(&l, 11, Markup::Rst).expect("literal");
        assert_eq!((b.first, b.lang().as_str(), b.body.as_slice()), (13, "", ["NAME  AGE".to_string()].as_slice()));
    }
}
