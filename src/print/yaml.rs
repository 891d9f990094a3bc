//! `kubectl get -o yaml`: a port of the path kubectl's YAML printer takes.
//!
//! kubectl calls `sigs.k8s.io/yaml.Marshal`: Go `json.Marshal`, then `JSONToYAML`, which decodes
//! that JSON with go-yaml v2 (`sigs.k8s.io/yaml/goyaml.v2`, a fork of v2.4.0) and encodes it
//! again with go-yaml v2. Consequences reproduced here:
//! * numbers are re-read from Go's JSON text: integers print as integers, other numbers through
//!   `FormatFloat(f, 'g', -1, 64)` (`1e+21`, `0.5`), so `1.0` prints `1`;
//! * map keys are ordered by go-yaml's `keyList.Less` (a "natural" order: digit runs compare
//!   numerically, non-letters before letters), not plain byte order;
//! * strings go through `encode.go` `stringv` (plain unless it would read back as another type,
//!   then double-quoted; literal block `|` when it contains `\n`) and then the libyaml emitter's
//!   `yaml_emitter_analyze_scalar`/`select_scalar_style`, which may demote plain to single-quoted
//!   and literal to double-quoted;
//! * **long lines are folded**: go-yaml v2.4.0 reverted v2.3.0's unlimited width, so the emitter
//!   keeps `best_width = 80` and breaks plain, single- and double-quoted scalars at a space once
//!   the column passes 80 (verified with kubectl v1.32.5: a 150-character annotation of words is
//!   printed on two lines). Literal blocks (any string with `\n`, e.g. `last-applied-configuration`)
//!   and keys are never folded.
//!
//! The emitter below keeps libyaml's state (column, indent stack, `whitespace`, `indention`) so
//! indentation and folding decisions are made exactly where libyaml makes them.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use crate::print::json::{go_float_g, json_number};
use crate::print::yaml_resolve::needs_quotes;

/// What `kubectl get -o yaml` prints for one object.
pub fn to_yaml(v: &Value) -> String {
    let mut e = Emitter::new();
    e.emit_node(v, Context::default());
    e.document_end();
    e.out
}

/// go-yaml's reader error when `JSONToYAML` decodes Go's JSON text of `v`.
pub const CONTROL_CHARACTERS: &str = "yaml: control characters are not allowed";

/// Whether go-yaml can read back Go's JSON text of `v`. Go's encoder escapes the C0 controls
/// (and U+2028/U+2029) but writes DEL, the C1 controls and U+FFFE/U+FFFF raw, and go-yaml's
/// reader refuses those (U+0085 excepted), so kubectl's YAML printer fails with
/// [`CONTROL_CHARACTERS`] and prints nothing.
pub fn readable(v: &Value) -> bool {
    let ok = |s: &str| !s.chars().any(|c| matches!(c as u32, 0x7f..=0x84 | 0x86..=0x9f | 0xfffe | 0xffff));
    match v {
        Value::String(s) => ok(s),
        Value::Array(items) => items.iter().all(readable),
        Value::Object(m) => m.iter().all(|(k, v)| ok(k) && readable(v)),
        _ => true,
    }
}

/// kubectl's YAML printer over `v`: the text, or go-yaml's refusal ([`readable`]).
pub fn checked(v: &Value) -> Result<String, &'static str> {
    if readable(v) {
        Ok(to_yaml(v))
    } else {
        Err(CONTROL_CHARACTERS)
    }
}

/// Several objects printed by separate `PrintObj` calls: documents separated by `---`.
pub fn to_yaml_documents(vs: &[Value]) -> String {
    vs.iter().map(to_yaml).collect::<Vec<_>>().join("---\n")
}

/// libyaml's `best_width` default, which go-yaml v2.4.0 keeps.
const BEST_WIDTH: usize = 80;
const BEST_INDENT: i32 = 2;
/// Keys longer than this (bytes) are written in the explicit `? key` form.
const MAX_SIMPLE_KEY: usize = 128;

#[derive(Clone, Copy, Default)]
struct Context {
    mapping: bool,
    simple_key: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

struct Emitter {
    out: String,
    column: usize,
    indent: i32,
    indents: Vec<i32>,
    /// The last thing written was whitespace (so an indicator needs no separating space).
    whitespace: bool,
    /// Only indentation has been written on this line.
    indention: bool,
}

impl Emitter {
    fn new() -> Emitter {
        Emitter { out: String::new(), column: 0, indent: -1, indents: Vec::new(), whitespace: true, indention: true }
    }

    // ---- output primitives (libyaml put/put_break/write_indent/write_indicator) ----

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, indicator: &str, need_whitespace: bool, is_whitespace: bool, is_indention: bool) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    /// The implicit document end: finish the last line. (No `...` even after a `|+` scalar:
    /// verified with kubectl v1.32.5.)
    fn document_end(&mut self) {
        self.indent = -1;
        self.write_indent();
    }

    // ---- nodes ----

    fn emit_node(&mut self, v: &Value, ctx: Context) {
        match v {
            Value::Object(m) if m.is_empty() => self.emit_empty_flow("{", "}"),
            Value::Array(a) if a.is_empty() => self.emit_empty_flow("[", "]"),
            Value::Object(m) => self.emit_block_mapping(m),
            Value::Array(a) => self.emit_block_sequence(a, ctx),
            Value::String(s) => self.emit_string(s, ctx),
            Value::Null => self.emit_scalar("null", Style::Plain, ctx),
            Value::Bool(b) => self.emit_scalar(if *b { "true" } else { "false" }, Style::Plain, ctx),
            Value::Number(n) => self.emit_scalar(&yaml_number(&json_number(n)), Style::Plain, ctx),
        }
    }

    /// Empty collections are the only flow collections go-yaml writes: `{}` / `[]`.
    fn emit_empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.pop_indent();
        self.write_indicator(close, false, false, false);
    }

    fn emit_block_mapping(&mut self, m: &Map<String, Value>) {
        self.increase_indent(false, false);
        for (k, v) in sorted_keys(m) {
            self.write_indent();
            let folded = fold_raw_line_breaks(k);
            let simple = folded.len() <= MAX_SIMPLE_KEY && !folded.chars().any(is_break);
            if simple {
                self.emit_string(k, Context { mapping: true, simple_key: true });
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.emit_string(k, Context { mapping: true, simple_key: false });
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.emit_node(v, Context { mapping: true, simple_key: false });
        }
        self.pop_indent();
    }

    fn emit_block_sequence(&mut self, a: &[Value], ctx: Context) {
        // A sequence that is a mapping value is "indentless": `- ` at the key's column.
        self.increase_indent(false, ctx.mapping && !self.indention);
        for item in a {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.emit_node(item, Context::default());
        }
        self.pop_indent();
    }

    /// go-yaml v2 `stringv`: literal for multi-line text, plain when it reads back as a string,
    /// double-quoted otherwise.
    fn emit_string(&mut self, s: &str, ctx: Context) {
        let folded = fold_raw_line_breaks(s);
        let s = folded.as_str();
        let style = if s.contains('\n') {
            Style::Literal
        } else if needs_quotes(s) {
            Style::DoubleQuoted
        } else {
            Style::Plain
        };
        self.emit_scalar(s, style, ctx);
    }

    fn emit_scalar(&mut self, s: &str, requested: Style, ctx: Context) {
        let style = select_style(s, requested, ctx.simple_key);
        self.increase_indent(true, false);
        let allow_breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(s, allow_breaks),
            Style::SingleQuoted => self.write_single_quoted(s, allow_breaks),
            Style::DoubleQuoted => self.write_double_quoted(s, allow_breaks),
            Style::Literal => self.write_literal(s),
        }
        self.pop_indent();
    }

    // ---- scalar writers (yaml_emitter_write_*_scalar) ----

    fn write_plain(&mut self, s: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_is_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !next_is_space {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                self.indention = false;
                spaces = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, s: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = s.chars().collect();
        let last = chars.len().saturating_sub(1);
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_is_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i != 0 && i != last && !next_is_space {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, s: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = s.chars().collect();
        // libyaml compares byte offsets with the last byte offset; only the ends matter here.
        let last = chars.len().saturating_sub(1);
        let mut spaces = false;
        // libyaml's `is_bom(value, i)` ignores `i` and tests the start of the value, so a value
        // that starts with U+FEFF has every character escaped.
        let escape_all = s.starts_with('\u{feff}');
        for (i, &c) in chars.iter().enumerate() {
            if escape_all || !is_printable(c) || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                self.write_escape(c);
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i != 0 && i != last {
                    self.write_indent();
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// The part after `\` of a double-quoted escape.
    fn write_escape(&mut self, c: char) {
        let short = match c {
            '\0' => Some('0'),
            '\u{7}' => Some('a'),
            '\u{8}' => Some('b'),
            '\t' => Some('t'),
            '\n' => Some('n'),
            '\u{b}' => Some('v'),
            '\u{c}' => Some('f'),
            '\r' => Some('r'),
            '\u{1b}' => Some('e'),
            '"' => Some('"'),
            '\\' => Some('\\'),
            '\u{85}' => Some('N'),
            '\u{a0}' => Some('_'),
            '\u{2028}' => Some('L'),
            '\u{2029}' => Some('P'),
            _ => None,
        };
        if let Some(s) = short {
            self.put(s);
            return;
        }
        let v = c as u32;
        let (letter, digits) = if v <= 0xff {
            ('x', 2)
        } else if v <= 0xffff {
            ('u', 4)
        } else {
            ('U', 8)
        };
        self.put(letter);
        for k in (0..digits).rev() {
            let d = (v >> (k * 4)) & 0xf;
            self.put(char::from_digit(d, 16).unwrap_or('0').to_ascii_uppercase());
        }
    }

    fn write_literal(&mut self, s: &str) {
        self.write_indicator("|", true, false, false);
        self.write_block_hints(s);
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in s.chars() {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }

    /// Indentation hint (`|2`) when the text starts with a space or break; chomping `-`/`+`.
    fn write_block_hints(&mut self, s: &str) {
        if s.starts_with(' ') || s.chars().next().is_some_and(is_break) {
            self.write_indicator("2", false, false, false);
        }
        let mut rev = s.chars().rev();
        let chomp = match (rev.next(), rev.next()) {
            (None, _) => Some("-"),
            (Some(last), _) if !is_break(last) => Some("-"),
            (Some(_), None) => Some("+"),
            (Some(_), Some(prev)) if is_break(prev) => Some("+"),
            _ => None,
        };
        if let Some(hint) = chomp {
            self.write_indicator(hint, false, false, false);
        }
    }

    /// A line break copied from the text: `\n` becomes a newline, other breaks are kept as is.
    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }
}

/// What go-yaml's parser makes of a string that Go's JSON encoder wrote with a raw U+0085 (NEL):
/// Go escapes `\n`, `\r`, U+2028 and U+2029 but not NEL, which YAML 1.1 treats as a line break,
/// so the double-quoted scalar is line-folded on the way in: spaces before the break vanish,
/// spaces after it are skipped, one break becomes a space and further breaks become newlines.
fn fold_raw_line_breaks(s: &str) -> String {
    if !s.contains('\u{85}') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != ' ' && chars[i] != '\u{85}' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i] == ' ' || chars[i] == '\u{85}') {
            i += 1;
        }
        let run = &chars[start..i];
        let breaks = run.iter().filter(|&&c| c == '\u{85}').count();
        match breaks {
            0 => out.extend(run),
            1 => out.push(' '),
            n => out.extend(std::iter::repeat_n('\n', n - 1)),
        }
    }
    out
}

/// `yaml_emitter_select_scalar_style` after `yaml_emitter_analyze_scalar` (block context).
fn select_style(s: &str, requested: Style, simple_key: bool) -> Style {
    let a = analyze(s);
    let mut style = requested;
    if simple_key && a.multiline {
        style = Style::DoubleQuoted;
    }
    if style == Style::Plain && (!a.block_plain_allowed || (s.is_empty() && simple_key)) {
        style = Style::SingleQuoted;
    }
    if style == Style::SingleQuoted && !a.single_quoted_allowed {
        style = Style::DoubleQuoted;
    }
    if style == Style::Literal && (!a.block_allowed || simple_key) {
        style = Style::DoubleQuoted;
    }
    style
}

struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

/// go-yaml v2 `yaml_emitter_analyze_scalar`, reduced to what block context needs.
fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let chars: Vec<char> = s.chars().collect();
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) = (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let followed_by_whitespace = next.is_none_or(|n| n == ' ' || n == '\t' || is_break(n));
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => {
                    block_indicators = true
                }
                '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => block_indicators = true,
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if !is_printable(c) {
            special = true;
        }
        let last = i + 1 == chars.len();
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = c == ' ' || c == '\t' || is_break(c);
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break || line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    a
}

fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// libyaml's `is_printable` (tab and anything outside the BMP are not "printable").
fn is_printable(c: char) -> bool {
    matches!(c as u32, 0x0a | 0x20..=0x7e | 0xa0..=0xd7ff | 0xe000..=0xfffd) && c != '\u{feff}'
}

/// A number re-read by go-yaml from Go's JSON text, then formatted by go-yaml.
fn yaml_number(json_text: &str) -> String {
    if let Ok(i) = json_text.parse::<i64>() {
        return i.to_string();
    }
    if let Ok(u) = json_text.parse::<u64>() {
        return u.to_string();
    }
    match json_text.parse::<f64>() {
        Ok(f) if f.is_infinite() => if f > 0.0 { ".inf" } else { "-.inf" }.to_string(),
        Ok(f) => go_float_g(f),
        Err(_) => json_text.to_string(),
    }
}

fn sorted_keys(m: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = m.iter().collect();
    entries.sort_by(|a, b| key_order(a.0, b.0));
    entries
}

fn key_order(a: &str, b: &str) -> Ordering {
    if key_less(a, b) {
        Ordering::Less
    } else if key_less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

/// go-yaml v2 `keyList.Less` for two string keys. (Go's `unicode.IsLetter`/`IsDigit` are
/// approximated by `char::is_alphabetic`/ASCII digits, exact for ASCII keys.)
fn key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut digits = false;
    for i in 0..ar.len().min(br.len()) {
        if ar[i] == br[i] {
            digits = ar[i].is_ascii_digit();
            continue;
        }
        let (al, bl) = (ar[i].is_alphabetic(), br[i].is_alphabetic());
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return if digits { al } else { bl };
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            // A zero inside a number (`10` vs `1a`) still counts as part of that number.
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an.wrapping_mul(10).wrapping_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn.wrapping_mul(10).wrapping_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn block_layout_like_kubectl() {
        let v = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web-0", "labels": {"app": "nginx", "apps.kubernetes.io/pod-index": "0"},
                          "creationTimestamp": "2026-11-27T09:45:23Z", "resourceVersion": "1000"},
            "spec": {"containers": [{"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80}],
                                      "resources": {}, "args": []}]},
            "status": {"conditions": [{"lastProbeTime": null, "status": "True", "type": "Ready"}]}
        });
        let want = "\
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: \"2026-11-27T09:45:23Z\"
  labels:
    app: nginx
    apps.kubernetes.io/pod-index: \"0\"
  name: web-0
  resourceVersion: \"1000\"
spec:
  containers:
  - args: []
    image: nginx
    name: nginx
    ports:
    - containerPort: 80
    resources: {}
status:
  conditions:
  - lastProbeTime: null
    status: \"True\"
    type: Ready
";
        assert_eq!(to_yaml(&v), want);
    }

    #[test]
    fn nested_sequences_and_empty_root_collections() {
        assert_eq!(to_yaml(&json!({"a": [[1, 2], []]})), "a:\n- - 1\n  - 2\n- []\n");
        assert_eq!(to_yaml(&json!({})), "{}\n");
        assert_eq!(to_yaml(&json!({"items": []})), "items: []\n");
    }

    #[test]
    fn documents_are_separated() {
        assert_eq!(to_yaml_documents(&[json!({"a": 1}), json!({"b": 2})]), "a: 1\n---\nb: 2\n");
    }

    #[test]
    fn natural_key_order() {
        let v = json!({"a10": 1, "a9": 2, "a_b": 3, "aB": 4, "a-b": 5});
        assert_eq!(to_yaml(&v), "a-b: 5\na_b: 3\na9: 2\na10: 1\naB: 4\n");
    }

    /// Cases checked byte for byte against kubectl v1.32.5 (`label --local -o yaml`).
    #[test]
    fn scalar_styles_match_kubectl() {
        let v = json!({
            "Y": "Y", "colon": "a: b", "dash": "- a", "date": "2026-11-27", "empty": "", "hash": "a #b",
            "hex": "0x1F", "inf": ".inf", "ml": "line one\nline two\n", "ml2": "line one\nline two",
            "ml3": "line one\n\n", "ml4": " lead\nx", "ml5": "trail \nx", "n": "123", "ok:": "a:b", "q": "?a",
            "sixty": "1:20", "sp": " a", "star": "*a", "tab": "a\tb", "tsp": "a ", "emoji": "\u{1F600} x",
            "bom": "\u{feff}a b", "nel": "a \u{85} b",
        });
        let want = r#""Y": "Y"
bom: "\uFEFF\x61\x20\x62"
colon: 'a: b'
dash: '- a'
date: "2026-11-27"
emoji: "\U0001F600 x"
empty: ""
hash: 'a #b'
hex: "0x1F"
inf: ".inf"
ml: |
  line one
  line two
ml2: |-
  line one
  line two
ml3: |+
  line one

ml4: |2-
   lead
  x
ml5: "trail \nx"
"n": "123"
nel: a b
'ok:': a:b
q: ?a
sixty: "1:20"
sp: ' a'
star: '*a'
tab: "a\tb"
tsp: 'a '
"#;
        assert_eq!(to_yaml(&v), want);
    }

    /// go-yaml v2.4.0 folds long flow scalars at 80 columns (kubectl v1.32.5 output).
    #[test]
    fn folds_long_lines_at_80_columns() {
        let v = json!({"metadata": {"annotations": {"long": format!("{}end", "word ".repeat(30))}}});
        let want = "metadata:\n  annotations:\n    long: word word word word word word word word word word word word word word word\n      word word word word word word word word word word word word word word word end\n";
        assert_eq!(to_yaml(&v), want);
    }
}
