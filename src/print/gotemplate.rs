//! `-o go-template=` / `--template`: the part of Go's `text/template` that kubectl users write,
//! evaluated over the unstructured object (or the `kind: List` wrapper) with
//! `missingkey=default`, as kubectl's `GoTemplatePrinter` runs it.
//!
//! Supported: text and `{{ }}` actions with `{{-`/`-}}` trimming, comments, field chains
//! (`.a.b`, `$x.a`, `(pipeline).a`), variables (`$x := ...`, `$x = ...`, `$i, $e := range`),
//! pipelines with `|`, `if`/`else if`/`else`/`end`, `range` (with `else`), `with`, string, raw
//! string, number, `true`/`false`/`nil` literals, and the functions `and`, `or`, `not`, `eq`, `ne`,
//! `lt`, `le`, `gt`, `ge`, `len`, `index`, `print`, `println`, `printf`, plus kubectl's
//! `base64decode`. Not supported: `define`/`template`/`block`, `break`/`continue`, `call`, `slice`,
//! `html`, `js`, `urlquery`.

use serde_json::Value;

use crate::format::{self, Capped};
use crate::print::jsonpath::go_fmt_v;

/// Bytes one template may print (kstate's bound; Go has none).
const MAX_OUTPUT: usize = 64 << 20;
/// Range iterations one template may run (kstate's bound; `{{range 100000000000}}`).
const MAX_ITERATIONS: u64 = 10_000_000;

fn too_long() -> String {
    format!("template output exceeds {} MiB", MAX_OUTPUT >> 20)
}

/// Renders `template` against `data`; Err(kubectl's message without `error: `).
pub fn render(template: &str, data: &Value) -> Result<String, String> {
    render_keys(template, data, true).map_err(|f| f.message)
}

/// A template that failed while executing: what kubectl wrote to stdout before giving up, and
/// its error message (without `error: `).
pub struct Failure {
    pub stdout: String,
    pub message: String,
}

/// [`render`] with kubectl's `--allow-missing-template-keys` (false: the template runs with
/// `missingkey=error`). A missing key then fails as Go reports it, at the field's line and
/// column, and the stdout part carries the output so far and the printer's dump of the data.
pub fn render_keys(template: &str, data: &Value, allow_missing: bool) -> Result<String, Failure> {
    let nodes = parse(template).map_err(|e| Failure {
        stdout: String::new(),
        message: format!("error parsing template {template}, template: output:{e}"),
    })?;
    let mut st = State {
        vars: vec![("$".to_string(), Some(data.clone()))],
        out: String::new(),
        iterations: 0,
        strict: !allow_missing,
        missing: None,
    };
    match st.walk(&nodes, &Some(data.clone())) {
        Ok(()) => Ok(st.out),
        Err(e) => match st.missing.take() {
            Some((chain, parts)) => {
                let err =
                    format!("template: output:{}: executing \"output\" at <{chain}>: {e}", position(template, &parts));
                let stdout = format!(
                    "{}Error executing template: {err}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\traw data was:\n\t\t{}\n\tobject given to template engine was:\n\t\t{}\n\n",
                    st.out,
                    crate::print::json::to_compact_json(data),
                    go_fmt_v(data)
                );
                Err(Failure { stdout, message: format!("error executing template \"{template}\": {err}") })
            }
            None => Err(Failure {
                stdout: String::new(),
                message: format!(
                    "error executing template \"{template}\": template: output: executing \"output\": {e}"
                ),
            }),
        },
    }
}

/// `LINE:COL` of a field chain in the template, as text/template's ErrorContext gives it: the
/// parser puts a chain of two or more names at its second name (`.data.x` at `.x`), one name at
/// itself. kstate's parser keeps no positions, so the chain's first occurrence is used.
fn position(template: &str, parts: &[String]) -> String {
    let text: String = parts.concat();
    let start = template.find(&text).unwrap_or(0);
    let pos = start + if parts.len() > 1 { parts[0].len() } else { 0 };
    let before = &template[..pos];
    let line = 1 + before.matches('\n').count();
    let col = before.rfind('\n').map_or(pos, |nl| pos - nl - 1);
    format!("{line}:{col}")
}

/// Only parses (kubectl refuses a bad template before reading objects).
pub fn check(template: &str) -> Result<(), String> {
    parse(template).map(|_| ()).map_err(|e| format!("error parsing template {template}, template: output:{e}"))
}

// ------------------------------------------------------------------------------------- lexer

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Field(String),
    Var(String),
    Ident(String),
    Str(String),
    Num(f64, bool),
    LParen,
    RParen,
    Pipe,
    Declare,
    Assign,
    Comma,
}

enum Piece {
    Text(String),
    Action(Vec<Tok>),
}

fn split_pieces(src: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut rest = src;
    let mut line = 1;
    while let Some(start) = rest.find("{{") {
        let mut text = rest[..start].to_string();
        let after = &rest[start + 2..];
        let (after, trim_left) = match after.strip_prefix("- ") {
            Some(a) => (a, true),
            None => match after.strip_prefix("-\t").or_else(|| after.strip_prefix("-\n")) {
                Some(a) => (a, true),
                None => (after, false),
            },
        };
        if trim_left {
            text = text.trim_end().to_string();
        }
        line += text.matches('\n').count();
        pieces.push(Piece::Text(text));
        let end = find_close(after).ok_or_else(|| format!("{line}: unclosed action"))?;
        let mut inner = &after[..end];
        let mut tail = &after[end + 2..];
        if let Some(i) =
            inner.strip_suffix(" -").or_else(|| inner.strip_suffix("\t-")).or_else(|| inner.strip_suffix("\n-"))
        {
            inner = i;
            tail = tail.trim_start();
        }
        let trimmed = inner.trim();
        if !(trimmed.starts_with("/*") && trimmed.ends_with("*/")) {
            pieces.push(Piece::Action(lex(inner).map_err(|e| format!("{line}: {e}"))?));
        }
        rest = tail;
    }
    pieces.push(Piece::Text(rest.to_string()));
    Ok(pieces)
}

/// The `}}` closing an action, skipping quoted strings.
fn find_close(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'`' => {
                i += 1;
                while i < b.len() && b[i] != b'`' {
                    i += 1;
                }
            }
            b'}' if b[i + 1] == b'}' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn lex(s: &str) -> Result<Vec<Tok>, String> {
    let cs: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < cs.len() {
        let c = cs[i];
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '(' => {
                out.push(Tok::LParen);
                i += 1
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1
            }
            '|' => {
                out.push(Tok::Pipe);
                i += 1
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1
            }
            ':' if cs.get(i + 1) == Some(&'=') => {
                out.push(Tok::Declare);
                i += 2
            }
            '=' => {
                out.push(Tok::Assign);
                i += 1
            }
            '"' => {
                let mut v = String::new();
                i += 1;
                loop {
                    let Some(&c) = cs.get(i) else { return Err("unterminated quoted string".into()) };
                    i += 1;
                    match c {
                        '"' => break,
                        '\\' => {
                            let e = cs.get(i).copied().ok_or("unterminated quoted string")?;
                            i += 1;
                            v.push(match e {
                                'n' => '\n',
                                't' => '\t',
                                'r' => '\r',
                                '0' => '\0',
                                other => other,
                            });
                        }
                        c => v.push(c),
                    }
                }
                out.push(Tok::Str(v));
            }
            '`' => {
                let start = i + 1;
                let end = cs[start..].iter().position(|&c| c == '`').ok_or("unterminated raw quoted string")?;
                out.push(Tok::Str(cs[start..start + end].iter().collect()));
                i = start + end + 1;
            }
            '.' | '$' => {
                let start = i;
                i += 1;
                while i < cs.len() && (is_word(cs[i]) || (cs[i] == '.' && cs.get(i + 1).is_some_and(|&c| is_word(c)))) {
                    i += 1;
                }
                let word: String = cs[start..i].iter().collect();
                if c == '$' {
                    let (var, fields) = match word.find('.') {
                        Some(p) => (word[..p].to_string(), word[p..].to_string()),
                        None => (word, String::new()),
                    };
                    out.push(Tok::Var(var));
                    if !fields.is_empty() {
                        out.push(Tok::Field(fields));
                    }
                } else {
                    out.push(Tok::Field(word));
                }
            }
            c if c.is_ascii_digit() || ((c == '-' || c == '+') && cs.get(i + 1).is_some_and(char::is_ascii_digit)) => {
                let start = i;
                i += 1;
                while i < cs.len() && (cs[i].is_ascii_alphanumeric() || cs[i] == '.') {
                    i += 1;
                }
                let text: String = cs[start..i].iter().collect();
                let n: f64 = text.parse().map_err(|_| format!("bad number syntax: {text:?}"))?;
                out.push(Tok::Num(n, !text.contains(['.', 'e', 'E'])));
            }
            c if is_word(c) => {
                let start = i;
                while i < cs.len() && is_word(cs[i]) {
                    i += 1;
                }
                out.push(Tok::Ident(cs[start..i].iter().collect()));
            }
            other => return Err(format!("unexpected {other:?} in command")),
        }
    }
    Ok(out)
}

// ------------------------------------------------------------------------------------ parser

#[derive(Debug, Clone)]
enum Arg {
    /// `.` followed by fields (empty: dot itself).
    Dot(Vec<String>),
    Var(String, Vec<String>),
    Func(String),
    Lit(Value),
    Nil,
    Sub(Box<Pipeline>, Vec<String>),
}

#[derive(Debug, Clone, Default)]
struct Pipeline {
    decl: Vec<String>,
    assign: bool,
    cmds: Vec<Vec<Arg>>,
}

#[derive(Debug, Clone)]
enum Node {
    Text(String),
    Action(Pipeline),
    If(Pipeline, Vec<Node>, Vec<Node>),
    Range(Pipeline, Vec<Node>, Vec<Node>),
    With(Pipeline, Vec<Node>, Vec<Node>),
}

fn fields(text: &str) -> Vec<String> {
    text.split('.').filter(|s| !s.is_empty()).map(String::from).collect()
}

fn parse_pipeline(toks: &[Tok]) -> Result<Pipeline, String> {
    let mut p = Pipeline::default();
    let mut rest = toks;
    // `$x :=` / `$x =` / `$i, $e :=`
    let decl_end = rest.iter().position(|t| matches!(t, Tok::Declare | Tok::Assign));
    if let Some(end) = decl_end {
        if rest[..end].iter().all(|t| matches!(t, Tok::Var(_) | Tok::Comma)) && end > 0 {
            p.decl =
                rest[..end].iter().filter_map(|t| if let Tok::Var(v) = t { Some(v.clone()) } else { None }).collect();
            p.assign = rest[end] == Tok::Assign;
            rest = &rest[end + 1..];
        }
    }
    let mut pos = 0;
    let mut cmd = Vec::new();
    while pos < rest.len() {
        match &rest[pos] {
            Tok::Pipe => {
                if cmd.is_empty() {
                    return Err("missing command".into());
                }
                p.cmds.push(std::mem::take(&mut cmd));
                pos += 1;
            }
            _ => {
                let (arg, next) = parse_operand(rest, pos)?;
                cmd.push(arg);
                pos = next;
            }
        }
    }
    if cmd.is_empty() {
        return Err("missing value for command".into());
    }
    p.cmds.push(cmd);
    Ok(p)
}

fn parse_operand(toks: &[Tok], pos: usize) -> Result<(Arg, usize), String> {
    let take_fields = |next: usize| -> (Vec<String>, usize) {
        match toks.get(next) {
            Some(Tok::Field(f)) if f != "." => (fields(f), next + 1),
            _ => (Vec::new(), next),
        }
    };
    Ok(match &toks[pos] {
        Tok::Field(f) => (Arg::Dot(fields(f)), pos + 1),
        Tok::Var(v) => {
            let (fs, next) = take_fields(pos + 1);
            (Arg::Var(v.clone(), fs), next)
        }
        Tok::Str(s) => (Arg::Lit(Value::String(s.clone())), pos + 1),
        Tok::Num(n, int) => {
            let v = if *int {
                Value::from(*n as i64)
            } else {
                serde_json::Number::from_f64(*n).map(Value::Number).unwrap_or(Value::Null)
            };
            (Arg::Lit(v), pos + 1)
        }
        Tok::Ident(w) => match w.as_str() {
            "true" => (Arg::Lit(Value::Bool(true)), pos + 1),
            "false" => (Arg::Lit(Value::Bool(false)), pos + 1),
            "nil" => (Arg::Nil, pos + 1),
            f if FUNCS.contains(&f) => (Arg::Func(f.to_string()), pos + 1),
            f => return Err(format!("function {f:?} not defined")),
        },
        Tok::LParen => {
            let mut depth = 0;
            let mut end = None;
            for (i, t) in toks.iter().enumerate().skip(pos) {
                match t {
                    Tok::LParen => depth += 1,
                    Tok::RParen => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(i);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let end = end.ok_or("unclosed left paren")?;
            let inner = parse_pipeline(&toks[pos + 1..end])?;
            let (fs, next) = take_fields(end + 1);
            (Arg::Sub(Box::new(inner), fs), next)
        }
        Tok::RParen => return Err("unexpected right paren".into()),
        other => return Err(format!("unexpected {other:?} in operand")),
    })
}

const FUNCS: [&str; 15] = [
    "and",
    "or",
    "not",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "len",
    "index",
    "print",
    "println",
    "printf",
    "base64decode",
];

/// Parses into a tree; Err("LINE: message").
fn parse(src: &str) -> Result<Vec<Node>, String> {
    let pieces = split_pieces(src)?;
    let mut it = pieces.into_iter().peekable();
    let (nodes, end) = parse_list(&mut it)?;
    match end {
        None => Ok(nodes),
        Some(e) => Err(format!("1: unexpected {{{{{e}}}}}")),
    }
}

type Pieces = std::iter::Peekable<std::vec::IntoIter<Piece>>;

/// Parses nodes up to an `end`/`else` (returned as the terminator: "end", "else", "else if ...").
fn parse_list(it: &mut Pieces) -> Result<(Vec<Node>, Option<String>), String> {
    let mut nodes = Vec::new();
    while let Some(piece) = it.next() {
        let toks = match piece {
            Piece::Text(t) => {
                if !t.is_empty() {
                    nodes.push(Node::Text(t));
                }
                continue;
            }
            Piece::Action(t) => t,
        };
        let keyword = match toks.first() {
            Some(Tok::Ident(w)) => w.as_str(),
            None => return Err("1: missing value for command".into()),
            _ => "",
        };
        match keyword {
            "end" => return Ok((nodes, Some("end".into()))),
            "else" => {
                // `else if PIPELINE`: keep the condition for the caller.
                if toks.len() > 1 {
                    if toks[1] == Tok::Ident("if".into()) {
                        let pipe = parse_pipeline(&toks[2..]).map_err(|e| format!("1: {e}"))?;
                        ELSE_IF.with(|c| *c.borrow_mut() = Some(pipe));
                        return Ok((nodes, Some("else if".into())));
                    }
                    return Err("1: unexpected token after else".into());
                }
                return Ok((nodes, Some("else".into())));
            }
            "if" | "range" | "with" => {
                let pipe = parse_pipeline(&toks[1..]).map_err(|e| format!("1: {e}"))?;
                let node = parse_control(keyword, pipe, it)?;
                nodes.push(node);
            }
            "define" | "template" | "block" | "break" | "continue" => {
                return Err(format!("1: {{{{{keyword}}}}} is not supported by kstate"))
            }
            _ => nodes.push(Node::Action(parse_pipeline(&toks).map_err(|e| format!("1: {e}"))?)),
        }
    }
    Ok((nodes, None))
}

thread_local! {
    static ELSE_IF: std::cell::RefCell<Option<Pipeline>> = const { std::cell::RefCell::new(None) };
}

fn parse_control(keyword: &str, pipe: Pipeline, it: &mut Pieces) -> Result<Node, String> {
    let (body, end) = parse_list(it)?;
    let else_body = match end.as_deref() {
        Some("end") => Vec::new(),
        Some("else") => {
            let (e, end2) = parse_list(it)?;
            if end2.as_deref() != Some("end") {
                return Err(format!("1: expected end; found {}", end2.unwrap_or_else(|| "EOF".into())));
            }
            e
        }
        Some("else if") => {
            let cond = ELSE_IF.with(|c| c.borrow_mut().take()).ok_or("1: bad else if")?;
            // `else if` nests an if that shares the outer `end`.
            vec![parse_control("if", cond, it)?]
        }
        _ => return Err(format!("1: unexpected EOF in {keyword}")),
    };
    Ok(match keyword {
        "if" => Node::If(pipe, body, else_body),
        "range" => Node::Range(pipe, body, else_body),
        _ => Node::With(pipe, body, else_body),
    })
}

// --------------------------------------------------------------------------------- evaluator

type Val = Option<Value>;

struct State {
    vars: Vec<(String, Val)>,
    out: String,
    /// Range iterations run so far.
    iterations: u64,
    /// `missingkey=error`: a map without the key is an error instead of `<no value>`.
    strict: bool,
    /// The chain (`.data.x`) and its parts (`.data`, `.x`) whose key was missing, for the message.
    missing: Option<(String, Vec<String>)>,
}

fn truth(v: &Val) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(m)) => !m.is_empty(),
    }
}

/// How `{{ value }}` prints: Go's `fmt.Fprint` of the value, `<no value>` for missing/nil.
fn text_of(v: &Val) -> String {
    match v {
        None | Some(Value::Null) => "<no value>".into(),
        Some(v) => go_fmt_v(v),
    }
}

fn field_chain(mut v: Val, fs: &[String]) -> Result<Val, String> {
    for f in fs {
        v = match v {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) => m.get(f).cloned(),
            Some(other) => return Err(format!("can't evaluate field {f} in type {}", go_type(&other))),
        };
    }
    Ok(v)
}

fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "interface {}",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

impl State {
    fn emit(&mut self, text: &str) -> Result<(), String> {
        if text.len() > MAX_OUTPUT - self.out.len() {
            return Err(too_long());
        }
        self.out.push_str(text);
        Ok(())
    }

    fn walk(&mut self, nodes: &[Node], dot: &Val) -> Result<(), String> {
        for n in nodes {
            match n {
                Node::Text(t) => self.emit(t)?,
                Node::Action(p) => {
                    let v = self.pipeline(p, dot)?;
                    if p.decl.is_empty() {
                        self.emit(&text_of(&v))?;
                    }
                }
                Node::If(p, body, other) => {
                    let mark = self.vars.len();
                    let v = self.pipeline(p, dot)?;
                    if truth(&v) {
                        self.walk(body, dot)?;
                    } else {
                        self.walk(other, dot)?;
                    }
                    self.vars.truncate(mark);
                }
                Node::With(p, body, other) => {
                    let mark = self.vars.len();
                    let v = self.pipeline(p, dot)?;
                    if truth(&v) {
                        self.walk(body, &v)?;
                    } else {
                        self.walk(other, dot)?;
                    }
                    self.vars.truncate(mark);
                }
                Node::Range(p, body, other) => {
                    let mark = self.vars.len();
                    let mut inner = p.clone();
                    let decl = std::mem::take(&mut inner.decl);
                    let v = self.pipeline(&inner, dot)?;
                    let items: Vec<(Value, Value)> = match &v {
                        None | Some(Value::Null) => Vec::new(),
                        Some(Value::Array(a)) => {
                            a.iter().enumerate().map(|(i, x)| (Value::from(i as i64), x.clone())).collect()
                        }
                        Some(Value::Object(m)) => {
                            let mut keys: Vec<&String> = m.keys().collect();
                            keys.sort();
                            keys.into_iter().map(|k| (Value::String(k.clone()), m[k].clone())).collect()
                        }
                        Some(Value::Number(n)) if n.as_i64().is_some() => {
                            let n = n.as_i64().unwrap_or(0).max(0);
                            if n as u64 > MAX_ITERATIONS - self.iterations {
                                return Err(format!("range over {n}: more than {MAX_ITERATIONS} iterations"));
                            }
                            (0..n).map(|i| (Value::from(i), Value::from(i))).collect()
                        }
                        Some(other) => return Err(format!("range can't iterate over {}", go_fmt_v(other))),
                    };
                    if items.is_empty() {
                        self.walk(other, dot)?;
                    }
                    for (k, x) in items {
                        self.iterations += 1;
                        if self.iterations > MAX_ITERATIONS {
                            return Err(format!("more than {MAX_ITERATIONS} range iterations"));
                        }
                        let inner_mark = self.vars.len();
                        match decl.as_slice() {
                            [e] => self.vars.push((e.clone(), Some(x.clone()))),
                            [i, e, ..] => {
                                self.vars.push((i.clone(), Some(k)));
                                self.vars.push((e.clone(), Some(x.clone())));
                            }
                            _ => {}
                        }
                        self.walk(body, &Some(x))?;
                        self.vars.truncate(inner_mark);
                    }
                    self.vars.truncate(mark);
                }
            }
        }
        Ok(())
    }

    fn var(&self, name: &str) -> Result<Val, String> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| format!("undefined variable: {name}"))
    }

    fn pipeline(&mut self, p: &Pipeline, dot: &Val) -> Result<Val, String> {
        let mut last: Option<Val> = None;
        for cmd in &p.cmds {
            last = Some(self.command(cmd, dot, last)?);
        }
        let v = last.unwrap_or(None);
        if p.assign {
            for name in &p.decl {
                let slot = self
                    .vars
                    .iter_mut()
                    .rev()
                    .find(|(n, _)| n == name)
                    .ok_or_else(|| format!("undefined variable: {name}"))?;
                slot.1 = v.clone();
            }
        } else if let Some(name) = p.decl.first() {
            self.vars.push((name.clone(), v.clone()));
        }
        Ok(v)
    }

    fn arg(&mut self, a: &Arg, dot: &Val) -> Result<Val, String> {
        match a {
            Arg::Dot(fs) => {
                let parts: Vec<String> = fs.iter().map(|f| format!(".{f}")).collect();
                self.strict_chain(dot.clone(), fs, parts)
            }
            Arg::Var(name, fs) => {
                let v = self.var(name)?;
                let parts: Vec<String> =
                    std::iter::once(name.clone()).chain(fs.iter().map(|f| format!(".{f}"))).collect();
                self.strict_chain(v, fs, parts)
            }
            Arg::Lit(v) => Ok(Some(v.clone())),
            Arg::Nil => Ok(Some(Value::Null)),
            Arg::Sub(p, fs) => {
                let v = self.pipeline(p, dot)?;
                field_chain(v, fs)
            }
            Arg::Func(f) => self.call(f, &[], dot),
        }
    }

    /// [`field_chain`], but under `missingkey=error` a map without the key stops the template.
    fn strict_chain(&mut self, v: Val, fs: &[String], parts: Vec<String>) -> Result<Val, String> {
        if self.strict {
            let mut cur = v.clone();
            for f in fs {
                cur = match cur {
                    Some(Value::Object(m)) => match m.get(f) {
                        Some(x) => Some(x.clone()),
                        None => {
                            self.missing = Some((parts.concat(), parts));
                            return Err(format!("map has no entry for key {}", crate::format::go::quote_str(f)));
                        }
                    },
                    _ => break,
                };
            }
        }
        field_chain(v, fs)
    }

    fn command(&mut self, cmd: &[Arg], dot: &Val, piped: Option<Val>) -> Result<Val, String> {
        match &cmd[0] {
            Arg::Func(f) => {
                let mut args = Vec::new();
                for a in &cmd[1..] {
                    args.push(self.arg(a, dot)?);
                }
                if let Some(p) = piped {
                    args.push(p);
                }
                self.call(f, &args, dot)
            }
            first => {
                if cmd.len() > 1 || piped.is_some() {
                    return Err(format!("can't give argument to non-function {}", describe_arg(first)));
                }
                self.arg(first, dot)
            }
        }
    }

    fn call(&mut self, f: &str, args: &[Val], _dot: &Val) -> Result<Val, String> {
        let need = |n: usize| -> Result<(), String> {
            if args.len() < n {
                Err(format!("wrong number of args for {f}: want at least {n} got {}", args.len()))
            } else {
                Ok(())
            }
        };
        Ok(match f {
            "and" => {
                need(1)?;
                args.iter().find(|a| !truth(a)).unwrap_or(&args[args.len() - 1]).clone()
            }
            "or" => {
                need(1)?;
                args.iter().find(|a| truth(a)).unwrap_or(&args[args.len() - 1]).clone()
            }
            "not" => {
                need(1)?;
                Some(Value::Bool(!truth(&args[0])))
            }
            "eq" => {
                need(2)?;
                Some(Value::Bool(args[1..].iter().any(|b| equal(&args[0], b))))
            }
            "ne" => {
                need(2)?;
                Some(Value::Bool(!equal(&args[0], &args[1])))
            }
            "lt" | "le" | "gt" | "ge" => {
                need(2)?;
                let ord = compare(&args[0], &args[1])?;
                use std::cmp::Ordering::*;
                Some(Value::Bool(match f {
                    "lt" => ord == Less,
                    "le" => ord != Greater,
                    "gt" => ord == Greater,
                    _ => ord != Less,
                }))
            }
            "len" => {
                need(1)?;
                let n = match &args[0] {
                    Some(Value::String(s)) => s.len(),
                    Some(Value::Array(a)) => a.len(),
                    Some(Value::Object(m)) => m.len(),
                    other => {
                        return Err(format!(
                            "error calling len: len of type {}",
                            other.as_ref().map_or("<nil>", go_type)
                        ))
                    }
                };
                Some(Value::from(n as i64))
            }
            "index" => {
                need(1)?;
                let mut v = args[0].clone();
                for key in &args[1..] {
                    v = match (&v, key) {
                        (Some(Value::Object(m)), Some(Value::String(k))) => {
                            Some(m.get(k).cloned().unwrap_or(Value::Null))
                        }
                        (Some(Value::Array(a)), Some(Value::Number(n))) => {
                            let i = n.as_i64().unwrap_or(-1);
                            if i < 0 || i as usize >= a.len() {
                                return Err(format!("error calling index: index out of range: {i}"));
                            }
                            Some(a[i as usize].clone())
                        }
                        (None | Some(Value::Null), _) => return Err("error calling index: index of untyped nil".into()),
                        (_, k) => return Err(format!("error calling index: cannot index with {}", text_of(k))),
                    };
                }
                v
            }
            "print" => Some(Value::String(go_print(args, false))),
            "println" => Some(Value::String(go_print(args, true))),
            "printf" => {
                need(1)?;
                let format = match &args[0] {
                    Some(Value::String(s)) => s.clone(),
                    other => return Err(format!("wrong type for value; expected string; got {}", text_of(other))),
                };
                let values: Vec<Option<&Value>> = args[1..].iter().map(Option::as_ref).collect();
                let mut out = Capped::new(MAX_OUTPUT - self.out.len());
                format::go::sprintf(&format, &values, &mut out).map_err(|_| too_long())?;
                Some(Value::String(String::from_utf8_lossy(&out.buf).into_owned()))
            }
            "base64decode" => {
                need(1)?;
                let s = match &args[0] {
                    Some(Value::String(s)) => s.clone(),
                    _ => String::new(),
                };
                Some(Value::String(base64_decode(&s).map_err(|e| format!("error calling base64decode: {e}"))?))
            }
            other => return Err(format!("function {other:?} not defined")),
        })
    }
}

fn describe_arg(a: &Arg) -> String {
    match a {
        Arg::Dot(fs) => format!(".{}", fs.join(".")),
        Arg::Var(n, fs) if fs.is_empty() => n.clone(),
        Arg::Var(n, fs) => format!("{n}.{}", fs.join(".")),
        Arg::Lit(v) => go_fmt_v(v),
        _ => "value".into(),
    }
}

fn num(v: &Val) -> Option<f64> {
    match v {
        Some(Value::Number(n)) => n.as_f64(),
        _ => None,
    }
}

fn equal(a: &Val, b: &Val) -> bool {
    match (num(a), num(b)) {
        (Some(x), Some(y)) => x == y,
        _ => match (a, b) {
            (None | Some(Value::Null), None | Some(Value::Null)) => true,
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

fn compare(a: &Val, b: &Val) -> Result<std::cmp::Ordering, String> {
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        return x.partial_cmp(&y).ok_or_else(|| "incompatible types for comparison".into());
    }
    match (a, b) {
        (Some(Value::String(x)), Some(Value::String(y))) => Ok(x.cmp(y)),
        _ => Err("error calling lt: incompatible types for comparison".into()),
    }
}

/// `fmt.Sprint` / `fmt.Sprintln`: Sprint adds spaces between operands when neither is a string.
fn go_print(args: &[Val], ln: bool) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        let is_str = matches!(a, Some(Value::String(_)));
        if i > 0 && (ln || (!is_str && !matches!(args[i - 1], Some(Value::String(_))))) {
            out.push(' ');
        }
        out.push_str(&match a {
            None | Some(Value::Null) => "<nil>".to_string(),
            Some(v) => go_fmt_v(v),
        });
    }
    if ln {
        out.push('\n');
    }
    out
}

pub(crate) fn base64_decode(s: &str) -> Result<String, String> {
    const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for (i, c) in s.bytes().enumerate() {
        if c == b'=' {
            break;
        }
        let v = ALPHA.iter().position(|&a| a == c).ok_or_else(|| format!("illegal base64 data at input byte {i}"))?;
        bits = (bits << 6) | v as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn data() -> Value {
        json!({"kind": "List", "items": [
            {"metadata": {"name": "web-0", "labels": {"app": "nginx"}}, "status": {"phase": "Running", "restarts": 2}},
            {"metadata": {"name": "web-1", "labels": {}}, "status": {"phase": "Pending", "restarts": 0}}
        ]})
    }

    fn r(t: &str) -> String {
        render(t, &data()).unwrap()
    }

    #[test]
    fn fields_range_index_and_missing_keys() {
        assert_eq!(r("{{.kind}}"), "List");
        assert_eq!(r("{{.nope}}|{{.nope.deeper}}"), "<no value>|<no value>");
        assert_eq!(r("{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}"), "web-0\nweb-1\n");
        assert_eq!(r(r#"{{range .items}}{{index .metadata.labels "app"}};{{end}}"#), "nginx;<no value>;");
        assert_eq!(r("{{range $i, $p := .items}}{{$i}}={{$p.metadata.name}} {{end}}"), "0=web-0 1=web-1 ");
        assert_eq!(r("{{len .items}}"), "2");
    }

    #[test]
    fn conditions_variables_and_functions() {
        let t = r#"{{range .items}}{{if eq .status.phase "Running"}}up{{else if eq .status.phase "Pending"}}wait{{else}}?{{end}} {{end}}"#;
        assert_eq!(r(t), "up wait ");
        assert_eq!(r(r#"{{$n := len .items}}{{if and (gt $n 1) (not false)}}many{{end}}"#), "many");
        assert_eq!(
            r(r#"{{range .items}}{{printf "%-6s|%3d" .metadata.name .status.restarts}}{{"\n"}}{{end}}"#),
            "web-0 |  2\nweb-1 |  0\n"
        );
        assert_eq!(r(r#"{{or .nope "dflt"}} {{ne 1 2}}"#), "dflt true");
        assert_eq!(r("{{- range .items -}}\n  {{ .metadata.name }}\n{{- end }}"), "web-0web-1");
        assert_eq!(r(r#"{{with index .items 0}}{{.metadata.name}}{{end}}"#), "web-0");
        assert_eq!(r(r#"{{.kind | printf "%q"}}"#), "\"List\"");
        assert_eq!(r("{{/* comment */}}x"), "x");
    }

    #[test]
    fn errors() {
        assert!(render("{{.kind", &data()).is_err());
        assert!(render("{{if .kind}}x", &data()).is_err());
        assert!(render("{{nofunc .kind}}", &data()).is_err());
        assert!(render("{{index .kind 1}}", &data()).is_err());
    }
}
