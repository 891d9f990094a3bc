//! Tokens of the shell language: words (with their quoting kept) and operators.

use super::ast::{ParamOp, Part, Word};
use super::parser::{PErr, Parser};

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Word(Word),
    /// `;` `;;` `&` `&&` `|` `||` `(` `)`
    Op(&'static str),
    /// A redirection operator with its explicit fd (`2>`), if any.
    Redir(Option<u32>, &'static str),
    Newline,
    Eof,
}

const OPS: &[&str] = &[";;", "&&", "||", ";", "&", "|", "(", ")"];
const REDIRS: &[&str] = &["<<-", "<<", ">>", ">&", "<&", ">|", "<>", "<", ">"];

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Parser {
    pub(super) fn peek_char(&self) -> Option<char> {
        self.src.get(self.pos).copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars().enumerate().all(|(i, c)| self.src.get(self.pos + i) == Some(&c))
    }

    /// Reads the next token from the source.
    pub(super) fn lex(&mut self) -> Result<Tok, PErr> {
        loop {
            match self.peek_char() {
                Some(' ' | '\t') => self.pos += 1,
                Some('\\') if self.src.get(self.pos + 1) == Some(&'\n') => {
                    self.pos += 2;
                    self.line += 1;
                }
                Some('#') => {
                    while self.peek_char().is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        let Some(c) = self.peek_char() else { return Ok(Tok::Eof) };
        if c == '\n' {
            self.pos += 1;
            self.line += 1;
            self.read_pending_heredocs()?;
            return Ok(Tok::Newline);
        }
        let digits: String = self.src[self.pos..].iter().take_while(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() && matches!(self.src.get(self.pos + digits.len()), Some('<' | '>')) {
            self.pos += digits.len();
            let fd = digits.parse().map_err(|_| PErr::Unexpected(digits.clone()))?;
            return self.redir_op(Some(fd));
        }
        if c == '<' || c == '>' {
            return self.redir_op(None);
        }
        for op in OPS {
            if self.starts_with(op) {
                self.pos += op.len();
                return Ok(Tok::Op(op));
            }
        }
        Ok(Tok::Word(self.word(None)?))
    }

    fn redir_op(&mut self, fd: Option<u32>) -> Result<Tok, PErr> {
        for op in REDIRS {
            if self.starts_with(op) {
                self.pos += op.len();
                return Ok(Tok::Redir(fd, op));
            }
        }
        Err(PErr::Unexpected(self.peek_char().map(String::from).unwrap_or_default()))
    }

    /// Reads one word. Unquoted, it ends at a blank or operator; with `stop`, at that char
    /// (the `}` of `${x:-word}`), where blanks are part of the word.
    pub(super) fn word(&mut self, stop: Option<char>) -> Result<Word, PErr> {
        let mut parts: Vec<Part> = Vec::new();
        let mut lit = String::new();
        let start = self.pos;
        while let Some(c) = self.peek_char() {
            if Some(c) == stop {
                break;
            }
            let special = if self.cond { ";" } else { "|&;<>()" };
            if stop.is_none() && (matches!(c, ' ' | '\t' | '\n') || special.contains(c)) {
                break;
            }
            match c {
                '\\' => {
                    self.pos += 1;
                    match self.peek_char() {
                        Some('\n') => {
                            self.pos += 1;
                            self.line += 1;
                        }
                        Some(n) => {
                            self.pos += 1;
                            flush(&mut parts, &mut lit);
                            parts.push(Part::Quoted(n.to_string()));
                        }
                        None => lit.push('\\'),
                    }
                }
                '\'' => {
                    flush(&mut parts, &mut lit);
                    self.pos += 1;
                    let mut s = String::new();
                    loop {
                        match self.peek_char() {
                            None => return Err(PErr::Unterminated),
                            Some('\'') => break,
                            Some(ch) => {
                                if ch == '\n' {
                                    self.line += 1;
                                }
                                s.push(ch);
                                self.pos += 1;
                            }
                        }
                    }
                    self.pos += 1;
                    parts.push(Part::Quoted(s));
                }
                '"' => {
                    flush(&mut parts, &mut lit);
                    self.pos += 1;
                    let inner = self.dquoted(Some('"'))?;
                    self.pos += 1;
                    // `""` still makes an (empty) word.
                    if inner.is_empty() {
                        parts.push(Part::Quoted(String::new()));
                    }
                    parts.extend(inner);
                }
                '$' | '`' => {
                    flush(&mut parts, &mut lit);
                    parts.push(self.dollar(false)?);
                }
                '~' if self.pos == start && stop.is_none() => {
                    self.pos += 1;
                    parts.push(Part::Tilde);
                }
                _ => {
                    if c == '\n' {
                        self.line += 1;
                    }
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut parts, &mut lit);
        Ok(Word(parts))
    }

    /// Contents of double quotes (or a here-document body when `end` is None), up to `end`.
    pub(super) fn dquoted(&mut self, end: Option<char>) -> Result<Vec<Part>, PErr> {
        let mut parts = Vec::new();
        let mut s = String::new();
        loop {
            let Some(c) = self.peek_char() else {
                if end.is_some() {
                    return Err(PErr::Unterminated);
                }
                break;
            };
            if Some(c) == end {
                break;
            }
            match c {
                '\\' => {
                    let next = self.src.get(self.pos + 1).copied();
                    match next {
                        Some('$' | '`' | '"' | '\\') if end.is_some() || next != Some('"') => {
                            s.push(next.unwrap_or('\\'));
                            self.pos += 2;
                        }
                        Some('\n') => self.pos += 2,
                        _ => {
                            s.push('\\');
                            self.pos += 1;
                        }
                    }
                }
                '$' | '`' => {
                    if !s.is_empty() {
                        parts.push(Part::Quoted(std::mem::take(&mut s)));
                    }
                    parts.push(self.dollar(true)?);
                }
                _ => {
                    if c == '\n' {
                        self.line += 1;
                    }
                    s.push(c);
                    self.pos += 1;
                }
            }
        }
        if !s.is_empty() {
            parts.push(Part::Quoted(s));
        }
        Ok(parts)
    }

    /// `$...` or a backtick substitution, at the current position.
    fn dollar(&mut self, quoted: bool) -> Result<Part, PErr> {
        // A command substitution inside `[[ ]]` is lexed as ordinary shell.
        let cond = std::mem::replace(&mut self.cond, false);
        let r = self.dollar_inner(quoted);
        self.cond = cond;
        r
    }

    fn dollar_inner(&mut self, quoted: bool) -> Result<Part, PErr> {
        if self.peek_char() == Some('`') {
            return self.backtick(quoted);
        }
        self.pos += 1;
        let lit = || if quoted { Part::Quoted("$".into()) } else { Part::Lit("$".into()) };
        match self.peek_char() {
            Some('(') if self.src.get(self.pos + 1) == Some(&'(') => {
                self.pos += 2;
                let text = self.arith_text()?;
                let mut sub = Parser::new(&text, self.depth + 1)?;
                let expr = Word(sub.dquoted(None)?);
                Ok(Part::Arith { expr, quoted })
            }
            Some('(') => {
                self.pos += 1;
                let body = self.nested_list()?;
                Ok(Part::Subst { body: Box::new(body), quoted })
            }
            Some('{') => {
                self.pos += 1;
                self.braced_param(quoted)
            }
            Some(c) if "?$#@*!-0123456789".contains(c) => {
                self.pos += 1;
                Ok(Part::Param { name: c.to_string(), op: ParamOp::Plain, quoted })
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let mut name = String::new();
                while let Some(c) = self.peek_char().filter(|c| is_name_char(*c)) {
                    name.push(c);
                    self.pos += 1;
                }
                Ok(Part::Param { name, op: ParamOp::Plain, quoted })
            }
            _ => Ok(lit()),
        }
    }

    fn braced_param(&mut self, quoted: bool) -> Result<Part, PErr> {
        // `${a:-${a:-...}}` nests words inside words.
        self.depth += 1;
        if self.depth > super::parser::MAX_PARSE_DEPTH {
            return Err(PErr::TooDeep);
        }
        let r = self.braced_param_inner(quoted);
        self.depth -= 1;
        r
    }

    fn braced_param_inner(&mut self, quoted: bool) -> Result<Part, PErr> {
        let length = self.peek_char() == Some('#') && self.src.get(self.pos + 1).is_some_and(|c| *c != '}');
        if length {
            self.pos += 1;
        }
        let mut name = String::new();
        match self.peek_char() {
            Some(c) if "?$#@*!-".contains(c) || c.is_ascii_digit() => {
                name.push(c);
                self.pos += 1;
            }
            _ => {
                while let Some(c) = self.peek_char().filter(|c| is_name_char(*c)) {
                    name.push(c);
                    self.pos += 1;
                }
            }
        }
        if name.is_empty() {
            return Err(PErr::BadSubst);
        }
        // `${BASH_REMATCH[1]}`, `${items[$i]}`: an element of an indexed array, stored as
        // `NAME[i]`; a subscript that is not a number is evaluated when expanded.
        if self.peek_char() == Some('[') {
            let close = self.src[self.pos..].iter().position(|c| *c == ']').ok_or(PErr::BadSubst)?;
            let index: String = self.src[self.pos + 1..self.pos + close].iter().collect();
            if index.trim().is_empty() || index.contains(['@', '*', '}']) {
                return Err(PErr::BadSubst);
            }
            name = format!("{name}[{index}]");
            self.pos += close + 1;
        }
        if self.peek_char() == Some('}') {
            self.pos += 1;
            let op = if length { ParamOp::Length } else { ParamOp::Plain };
            return Ok(Part::Param { name, op, quoted });
        }
        let ops = [":-", ":=", ":+", ":?", "##", "%%", "-", "=", "+", "?", "#", "%"];
        let Some(op) = ops.iter().find(|o| self.starts_with(o)) else { return Err(PErr::BadSubst) };
        if length {
            return Err(PErr::BadSubst);
        }
        self.pos += op.len();
        let word = self.word(Some('}'))?;
        if self.peek_char() != Some('}') {
            return Err(PErr::Unterminated);
        }
        self.pos += 1;
        Ok(Part::Param { name, op: ParamOp::With(op.to_string(), word), quoted })
    }

    /// Text of `$((...))` up to the matching `))`.
    fn arith_text(&mut self) -> Result<String, PErr> {
        let mut depth = 0;
        let mut s = String::new();
        loop {
            match self.peek_char() {
                None => return Err(PErr::Eof(Some("))"))),
                Some(')') if depth == 0 && self.src.get(self.pos + 1) == Some(&')') => {
                    self.pos += 2;
                    return Ok(s);
                }
                Some(c) => {
                    depth += i32::from(c == '(') - i32::from(c == ')');
                    s.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn backtick(&mut self, quoted: bool) -> Result<Part, PErr> {
        self.pos += 1;
        let mut s = String::new();
        loop {
            match self.peek_char() {
                None => return Err(PErr::Unterminated),
                Some('`') => break,
                Some('\\') if matches!(self.src.get(self.pos + 1), Some('`' | '\\' | '$')) => {
                    s.push(self.src[self.pos + 1]);
                    self.pos += 2;
                }
                Some(c) => {
                    s.push(c);
                    self.pos += 1;
                }
            }
        }
        self.pos += 1;
        let mut sub = Parser::new(&s, self.depth + 1)?;
        let body = sub.program()?;
        Ok(Part::Subst { body: Box::new(body), quoted })
    }
}

fn flush(parts: &mut Vec<Part>, lit: &mut String) {
    if !lit.is_empty() {
        parts.push(Part::Lit(std::mem::take(lit)));
    }
}
