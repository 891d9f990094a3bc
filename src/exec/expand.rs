//! Word expansion: parameters, command substitution, arithmetic, field splitting and globbing.

use super::ast::{ParamOp, Part, Word};
use super::interp::{Flow, Shell};
use super::io::{Io, Sink};
use super::{errno::Errno, glob, MAX_WORD_BYTES};

/// A stretch of expanded text and how the rest of expansion may treat it.
enum Piece {
    /// `glob`: unquoted, so pattern characters stay special; `split`: came from an unquoted expansion.
    Text { text: String, glob: bool, split: bool },
    /// Ends the current field even if empty (between the words of `"$@"`).
    Break,
}

#[derive(Default)]
struct Field {
    chars: Vec<(char, bool)>,
    /// Holds quoted text, so it survives even when empty.
    real: bool,
}

impl Shell<'_> {
    /// Words to argument strings (split and globbed).
    pub fn expand_words(&mut self, words: &[Word], io: &mut Io) -> Result<Vec<String>, Flow> {
        let mut out = Vec::new();
        let mut total = 0;
        for w in words {
            for f in self.fields(w, io)? {
                let text: String = f.chars.iter().map(|(c, _)| *c).collect();
                let globby = f.chars.iter().any(|(c, g)| *g && matches!(c, '*' | '?' | '['));
                let matched = if globby { self.glob_field(&f) } else { Vec::new() };
                total += text.len();
                if matched.is_empty() {
                    out.push(text);
                } else {
                    total += matched.iter().map(String::len).sum::<usize>();
                    out.extend(matched);
                }
                if total > MAX_WORD_BYTES {
                    return Err(Flow::Abort("arguments too long"));
                }
            }
        }
        Ok(out)
    }

    /// One word to one string, without splitting or globbing (assignments, redirections, case).
    pub fn expand_word(&mut self, w: &Word, io: &mut Io) -> Result<String, Flow> {
        let mut s = String::new();
        for p in self.pieces(w, io)? {
            if let Piece::Text { text, .. } = p {
                s.push_str(&text);
            } else {
                s.push(' ');
            }
        }
        Ok(s)
    }

    /// A pattern (case, `${x#pat}`): quoted characters lose their special meaning.
    pub fn expand_pattern(&mut self, w: &Word, io: &mut Io) -> Result<String, Flow> {
        let mut s = String::new();
        for p in self.pieces(w, io)? {
            if let Piece::Text { text, glob, .. } = p {
                for c in text.chars() {
                    if !glob && matches!(c, '*' | '?' | '[' | ']' | '\\') {
                        s.push('\\');
                    }
                    s.push(c);
                }
            }
        }
        Ok(s)
    }

    fn glob_field(&mut self, f: &Field) -> Vec<String> {
        let mut pat = String::new();
        for (c, g) in &f.chars {
            if !g && matches!(c, '*' | '?' | '[' | ']' | '\\') {
                pat.push('\\');
            }
            pat.push(*c);
        }
        let cwd = self.env.cwd.clone();
        glob::expand(&mut self.fs, &cwd, &pat)
    }

    fn fields(&mut self, w: &Word, io: &mut Io) -> Result<Vec<Field>, Flow> {
        let ifs = self.var("IFS").unwrap_or(" \t\n").to_string();
        let mut fields = Vec::new();
        let mut cur = Field::default();
        for piece in self.pieces(w, io)? {
            match piece {
                Piece::Break => fields.push(std::mem::take(&mut cur)),
                Piece::Text { text, glob, split: false } => {
                    cur.real |= !glob || !text.is_empty();
                    cur.chars.extend(text.chars().map(|c| (c, glob)));
                }
                Piece::Text { text, split: true, .. } => {
                    for c in text.chars() {
                        if ifs.contains(c) {
                            if cur.real || !cur.chars.is_empty() {
                                fields.push(std::mem::take(&mut cur));
                            }
                        } else {
                            cur.chars.push((c, true));
                        }
                    }
                }
            }
        }
        if cur.real || !cur.chars.is_empty() {
            fields.push(cur);
        }
        Ok(fields)
    }

    fn pieces(&mut self, w: &Word, io: &mut Io) -> Result<Vec<Piece>, Flow> {
        let mut out = Vec::new();
        for part in &w.0 {
            match part {
                Part::Lit(s) => out.push(Piece::Text { text: s.clone(), glob: true, split: false }),
                Part::Quoted(s) => out.push(Piece::Text { text: s.clone(), glob: false, split: false }),
                Part::Tilde => {
                    let home = self.var("HOME").unwrap_or("/").to_string();
                    out.push(Piece::Text { text: home, glob: false, split: false });
                }
                Part::Param { name, op, quoted } => self.param(name, op, *quoted, io, &mut out)?,
                Part::Subst { body, quoted } => {
                    let text = self.capture(body, io)?;
                    out.push(Piece::Text { text, glob: !quoted, split: !quoted });
                }
                Part::Arith { expr, quoted } => {
                    let text = self.expand_word(expr, io)?;
                    let n = self.arith(&text, io)?;
                    out.push(Piece::Text { text: n.to_string(), glob: false, split: !quoted });
                }
            }
        }
        // Doubling a variable in a loop must not exhaust memory before the step limit.
        let size: usize = out.iter().map(|p| if let Piece::Text { text, .. } = p { text.len() } else { 0 }).sum();
        if size > MAX_WORD_BYTES {
            return Err(Flow::Abort("arguments too long"));
        }
        Ok(out)
    }

    /// `$(...)`: the output of `body` run in a subshell, trailing newlines removed.
    pub fn capture(&mut self, body: &super::ast::Cmd, io: &mut Io) -> Result<String, Flow> {
        // bash's `$(<file)`: the file's contents, without running a command.
        if let super::ast::Cmd::Simple { assigns, words, redirs, .. } = body {
            if let ([], [], [r]) = (assigns.as_slice(), words.as_slice(), redirs.as_slice()) {
                if r.op == super::ast::RedirOp::In && r.fd == 0 && self.kind == super::interp::ShellKind::Bash {
                    let name = self.expand_word(&r.target, io)?;
                    let cwd = self.env.cwd.clone();
                    return match self.fs.read(&cwd, &name) {
                        Ok(data) => {
                            self.status = 0;
                            Ok(String::from_utf8_lossy(&data).trim_end_matches('\n').to_string())
                        }
                        Err(e) => {
                            io.err(&self.diag(&format!("{name}: {e}")));
                            self.status = 1;
                            Ok(String::new())
                        }
                    };
                }
            }
        }
        let saved = io.fds[1];
        let mark = io.sinks.len();
        io.fds[1] = Some(io.push(Sink::buffer(MAX_WORD_BYTES, Errno::Pipe)));
        self.trace_level += 1;
        let r = self.holding(|sh| sh.subshell(io, |sh, io| sh.run(body, io)));
        self.trace_level -= 1;
        let out = io.pop_to(mark);
        io.fds[1] = saved;
        let status = r?;
        self.subst_status = Some(status);
        self.status = status;
        let mut text = String::from_utf8_lossy(&out.into_iter().next().map(|s| s.buf).unwrap_or_default()).to_string();
        while text.ends_with('\n') {
            text.pop();
        }
        Ok(text)
    }

    fn arith(&mut self, text: &str, io: &mut Io) -> Result<i64, Flow> {
        let mut assigned = Vec::new();
        let vars = &self.env.vars;
        let r = super::arith::eval(text, &|n| vars.get(n).cloned(), &mut assigned);
        match r {
            Ok(n) => {
                for (k, v) in assigned {
                    self.set_var(&k, v.to_string());
                }
                Ok(n)
            }
            Err(msg) => {
                io.err(&self.diag(&format!("arithmetic expression: {msg}: \"{text}\"")));
                Err(Flow::Exit(2))
            }
        }
    }

    /// `items[$i]`, `items[i+1]` → `items[2]`: bash evaluates an indexed array's subscript as
    /// arithmetic (after expanding `$NAME` in it). `None` when the name has no such subscript.
    fn subscript(&mut self, name: &str, io: &mut Io) -> Result<Option<String>, Flow> {
        let Some((base, index)) = name.strip_suffix(']').and_then(|n| n.split_once('[')) else { return Ok(None) };
        if index.chars().all(|c| c.is_ascii_digit()) {
            return Ok(None);
        }
        let mut text = String::new();
        let mut rest = index;
        while let Some(at) = rest.find('$') {
            text.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            let (var, len) = match after.strip_prefix('{') {
                Some(inner) => {
                    let end = inner.find('}').unwrap_or(inner.len());
                    (&inner[..end], end + 2)
                }
                None => {
                    let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
                    (&after[..end], end)
                }
            };
            text.push_str(&self.param_value(var).unwrap_or_default());
            rest = &after[len.min(after.len())..];
        }
        text.push_str(rest);
        let n = self.arith(&text, io)?;
        Ok(Some(format!("{base}[{n}]")))
    }

    /// The value of a special or named parameter; None when unset.
    pub fn param_value(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.status.to_string()),
            "$" => Some("1".into()),
            "!" => self.env.last_job.map(|p| p.to_string()),
            "#" => Some(self.env.args.len().to_string()),
            "-" => {
                let (e, x) = (if self.env.errexit { "e" } else { "" }, if self.env.xtrace { "x" } else { "" });
                // dash lists `x` before `e`, busybox and bash the other way round.
                Some(if self.kind == super::interp::ShellKind::Dash { format!("{x}{e}") } else { format!("{e}{x}") })
            }
            "0" => Some(self.name.clone()),
            "@" | "*" => Some(self.env.args.join(" ")),
            _ if name.chars().all(|c| c.is_ascii_digit()) => {
                name.parse::<usize>().ok().and_then(|i| self.env.args.get(i.wrapping_sub(1)).cloned())
            }
            _ => self.var(name).map(str::to_string),
        }
    }

    fn param(&mut self, name: &str, op: &ParamOp, quoted: bool, io: &mut Io, out: &mut Vec<Piece>) -> Result<(), Flow> {
        if name == "@" && quoted && *op == ParamOp::Plain {
            for (i, a) in self.env.args.clone().into_iter().enumerate() {
                if i > 0 {
                    out.push(Piece::Break);
                }
                out.push(Piece::Text { text: a, glob: false, split: false });
            }
            return Ok(());
        }
        let element = self.subscript(name, io)?;
        let name = element.as_deref().unwrap_or(name);
        let value = self.param_value(name);
        let text = match op {
            ParamOp::Plain => value.unwrap_or_default(),
            ParamOp::Length => value.unwrap_or_default().chars().count().to_string(),
            ParamOp::With(o, word) => match self.param_op(name, value, o, word, io)? {
                Some(t) => t,
                None => return Ok(()),
            },
        };
        out.push(Piece::Text { text, glob: !quoted, split: !quoted });
        Ok(())
    }

    fn param_op(
        &mut self,
        name: &str,
        value: Option<String>,
        op: &str,
        word: &Word,
        io: &mut Io,
    ) -> Result<Option<String>, Flow> {
        let unset_or_null = value.as_deref().is_none_or(str::is_empty);
        let missing = if op.starts_with(':') { unset_or_null } else { value.is_none() };
        Ok(Some(match op.trim_start_matches(':') {
            "-" if missing => self.expand_word(word, io)?,
            "=" if missing => {
                let v = self.expand_word(word, io)?;
                self.set_var(name, v.clone());
                v
            }
            "+" => {
                if missing {
                    String::new()
                } else {
                    self.expand_word(word, io)?
                }
            }
            "?" if missing => {
                let msg = self.expand_word(word, io)?;
                let msg = if msg.is_empty() { "parameter not set".to_string() } else { msg };
                io.err(&self.diag(&format!("{name}: {msg}")));
                return Err(Flow::Exit(2));
            }
            "#" | "##" | "%" | "%%" => {
                let pat = self.expand_pattern(word, io)?;
                strip_pattern(&value.unwrap_or_default(), &pat, op)
            }
            _ => value.unwrap_or_default(),
        }))
    }
}

/// `${v#pat}` (shortest prefix), `##` (longest), `%` (shortest suffix), `%%` (longest).
fn strip_pattern(v: &str, pat: &str, op: &str) -> String {
    let idx: Vec<usize> = v.char_indices().map(|(i, _)| i).chain(std::iter::once(v.len())).collect();
    let prefixes: Box<dyn Iterator<Item = &usize>> =
        if op == "#" { Box::new(idx.iter()) } else { Box::new(idx.iter().rev()) };
    match op {
        "#" | "##" => {
            for &i in prefixes {
                if glob::matches(pat, &v[..i]) {
                    return v[i..].to_string();
                }
            }
        }
        _ => {
            let order: Box<dyn Iterator<Item = &usize>> =
                if op == "%" { Box::new(idx.iter().rev()) } else { Box::new(idx.iter()) };
            for &i in order {
                if glob::matches(pat, &v[i..]) {
                    return v[..i].to_string();
                }
            }
        }
    }
    v.to_string()
}
