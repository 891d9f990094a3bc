//! A recursive-descent parser for the POSIX shell subset kstate runs.

use std::cell::RefCell;
use std::rc::Rc;

use foldhash::{HashMap, HashMapExt};

use super::ast::{Cmd, Part, Redir, RedirOp, Word};
use super::lexer::Tok;

/// Deepest nesting of `$(...)`, backticks and compound commands the parser accepts.
pub const MAX_PARSE_DEPTH: u32 = 64;

/// Longest `&&`/`||` chain accepted.
const MAX_CHAIN: usize = 1000;

/// A syntax error, rendered per shell by `interp`.
#[derive(Debug, Clone, PartialEq)]
pub enum PErr {
    /// End of input where `expecting` (a closing word) was due.
    Eof(Option<&'static str>),
    /// A token that cannot come here.
    Unexpected(String),
    Unterminated,
    BadSubst,
    TooDeep,
}

pub struct Parser {
    pub(super) src: Vec<char>,
    pub(super) pos: usize,
    pub(super) line: u32,
    pub(super) depth: u32,
    peeked: Option<Tok>,
    /// Here-documents whose bodies start at the next newline: (delimiter, quoted, redir slot).
    pending: Vec<(String, bool, bool, usize)>,
    pub(super) heredocs: Vec<Word>,
    /// Inside `[[ ... ]]`: parentheses, `<`, `>` and `|` are part of words.
    pub(super) cond: bool,
}

/// Parses a whole script.
pub fn parse(src: &str) -> Result<Cmd, (PErr, u32)> {
    let mut p = Parser::new(src, 0).map_err(|e| (e, 1))?;
    p.program().map_err(|e| (e, p.line))
}

/// A parse result shared by every run of the same script text.
pub type Parsed = Rc<Result<Cmd, (PErr, u32)>>;

/// Scripts up to this size are parsed once per kstate process.
const MAX_SHARED_SCRIPT: usize = 64 << 10;
/// Distinct scripts kept; the cache starts over past it.
const MAX_SHARED_SCRIPTS: usize = 256;

thread_local! {
    /// Parses by script text: every container of an image runs the same entrypoint script, and
    /// a scale-up starts thousands of them in one command.
    static SHARED: RefCell<HashMap<String, Parsed>> = RefCell::new(HashMap::new());
}

/// [`parse`], reusing the result for a script parsed before (parsing depends on the text alone).
pub fn parse_shared(src: &str) -> Parsed {
    if src.len() > MAX_SHARED_SCRIPT {
        return Rc::new(parse(src));
    }
    SHARED.with(|cache| {
        if let Some(parsed) = cache.borrow().get(src) {
            return Rc::clone(parsed);
        }
        let parsed = Rc::new(parse(src));
        let mut cache = cache.borrow_mut();
        if cache.len() >= MAX_SHARED_SCRIPTS {
            cache.clear();
        }
        cache.insert(src.to_string(), Rc::clone(&parsed));
        parsed
    })
}

const STOPS_TOP: &[&str] = &[];

impl Parser {
    pub fn new(src: &str, depth: u32) -> Result<Parser, PErr> {
        if depth > MAX_PARSE_DEPTH {
            return Err(PErr::TooDeep);
        }
        let src = src.chars().collect();
        Ok(Parser { src, pos: 0, line: 1, depth, peeked: None, pending: Vec::new(), heredocs: Vec::new(), cond: false })
    }

    fn peek(&mut self) -> Result<&Tok, PErr> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lex()?);
        }
        Ok(self.peeked.get_or_insert(Tok::Eof))
    }

    fn next(&mut self) -> Result<Tok, PErr> {
        self.peek()?;
        Ok(self.peeked.take().unwrap_or(Tok::Eof))
    }

    fn peek_reserved(&mut self) -> Result<Option<String>, PErr> {
        Ok(match self.peek()? {
            Tok::Word(w) => w.literal().map(str::to_string),
            _ => None,
        })
    }

    fn skip_newlines(&mut self) -> Result<(), PErr> {
        while self.peek()? == &Tok::Newline {
            self.next()?;
        }
        Ok(())
    }

    fn expect_word(&mut self, word: &'static str) -> Result<(), PErr> {
        self.skip_newlines()?;
        match self.next()? {
            Tok::Word(w) if w.literal() == Some(word) => Ok(()),
            Tok::Eof => Err(PErr::Eof(Some(word))),
            other => Err(unexpected(&other)),
        }
    }

    pub(super) fn next_tok(&mut self) -> Result<Tok, PErr> {
        self.next()
    }
    pub(super) fn peek_tok(&mut self) -> Result<&Tok, PErr> {
        self.peek()
    }
    pub(super) fn peek_word(&mut self) -> Result<Option<String>, PErr> {
        self.peek_reserved()
    }
    pub(super) fn skip_nl(&mut self) -> Result<(), PErr> {
        self.skip_newlines()
    }
    pub(super) fn expect_reserved(&mut self, word: &'static str) -> Result<(), PErr> {
        self.expect_word(word)
    }
    pub(super) fn list_until(&mut self, stops: &[&str]) -> Result<Cmd, PErr> {
        self.list(stops)
    }

    pub fn program(&mut self) -> Result<Cmd, PErr> {
        let mut body = self.list(STOPS_TOP)?;
        match self.next()? {
            Tok::Eof => {
                if !self.pending.is_empty() {
                    self.read_pending_heredocs()?;
                }
                super::heredoc::fill(&mut body, &self.heredocs);
                Ok(body)
            }
            other => Err(unexpected(&other)),
        }
    }

    /// `$( ... )`: a list up to the closing parenthesis.
    pub(super) fn nested_list(&mut self) -> Result<Cmd, PErr> {
        let saved = self.peeked.take();
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH {
            return Err(PErr::TooDeep);
        }
        let body = self.list(STOPS_TOP)?;
        match self.next()? {
            Tok::Op(")") => {}
            Tok::Eof => return Err(PErr::Eof(Some(")"))),
            other => return Err(unexpected(&other)),
        }
        self.depth -= 1;
        self.peeked = saved;
        Ok(body)
    }

    /// Commands separated by `;`, `&` or newlines, up to a word in `stops`, `)`, `;;` or the end.
    fn list(&mut self, stops: &[&str]) -> Result<Cmd, PErr> {
        let mut cmds = Vec::new();
        loop {
            self.skip_newlines()?;
            if let Some(w) = self.peek_reserved()? {
                if stops.contains(&w.as_str()) {
                    break;
                }
            }
            if matches!(self.peek()?, Tok::Eof | Tok::Op(")") | Tok::Op(";;")) {
                break;
            }
            let cmd = self.and_or()?;
            match self.peek()? {
                Tok::Op(";") | Tok::Newline => {
                    self.next()?;
                    cmds.push(cmd);
                }
                Tok::Op("&") => {
                    self.next()?;
                    cmds.push(Cmd::Background(Box::new(cmd)));
                }
                _ => {
                    cmds.push(cmd);
                    break;
                }
            }
        }
        Ok(if cmds.len() == 1 { cmds.remove(0) } else { Cmd::Seq(cmds) })
    }

    fn and_or(&mut self) -> Result<Cmd, PErr> {
        let mut left = self.pipeline()?;
        // `a && b && ...` nests to the left; a very long chain would recurse that deep when run.
        for _ in 0..MAX_CHAIN {
            let op = match self.peek()? {
                Tok::Op("&&") => "&&",
                Tok::Op("||") => "||",
                _ => return Ok(left),
            };
            self.next()?;
            self.skip_newlines()?;
            let right = self.pipeline()?;
            left = if op == "&&" {
                Cmd::And(Box::new(left), Box::new(right))
            } else {
                Cmd::Or(Box::new(left), Box::new(right))
            };
        }
        Err(PErr::TooDeep)
    }

    fn pipeline(&mut self) -> Result<Cmd, PErr> {
        let bang = self.peek_reserved()?.as_deref() == Some("!");
        if bang {
            self.next()?;
        }
        let mut cmds = vec![self.command()?];
        while self.peek()? == &Tok::Op("|") {
            self.next()?;
            self.skip_newlines()?;
            cmds.push(self.command()?);
        }
        Ok(if cmds.len() == 1 && !bang { cmds.remove(0) } else { Cmd::Pipeline { cmds, bang } })
    }

    fn command(&mut self) -> Result<Cmd, PErr> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH {
            return Err(PErr::TooDeep);
        }
        let cmd = self.command_inner();
        self.depth -= 1;
        cmd
    }

    fn command_inner(&mut self) -> Result<Cmd, PErr> {
        let body = match self.peek()?.clone() {
            Tok::Op("(") => {
                self.next()?;
                let body = self.list(STOPS_TOP)?;
                match self.next()? {
                    Tok::Op(")") => {}
                    Tok::Eof => return Err(PErr::Eof(Some(")"))),
                    other => return Err(unexpected(&other)),
                }
                Cmd::Subshell { body: Box::new(body), redirs: Vec::new() }
            }
            Tok::Word(w) => match w.literal() {
                Some("if") => self.if_cmd()?,
                Some("while") | Some("until") => self.while_cmd()?,
                Some("for") => self.for_cmd()?,
                Some("case") => self.case_cmd()?,
                Some("[[") => self.cond_cmd()?,
                Some("{") => {
                    self.next()?;
                    let body = self.list(&["}"])?;
                    self.expect_word("}")?;
                    Cmd::Group { body: Box::new(body), redirs: Vec::new() }
                }
                Some(r @ ("then" | "else" | "elif" | "fi" | "do" | "done" | "esac" | "}" | "in")) => {
                    return Err(PErr::Unexpected(r.to_string()))
                }
                _ => return self.simple(),
            },
            Tok::Redir(..) => return self.simple(),
            Tok::Eof => return Err(PErr::Eof(None)),
            other => return Err(unexpected(&other)),
        };
        let mut redirs = Vec::new();
        while let Tok::Redir(..) = self.peek()? {
            redirs.push(self.redir()?);
        }
        Ok(if redirs.is_empty() { body } else { Cmd::Redirected { body: Box::new(body), redirs } })
    }

    fn simple(&mut self) -> Result<Cmd, PErr> {
        let line = self.line;
        let (mut assigns, mut words, mut redirs) = (Vec::new(), Vec::new(), Vec::new());
        loop {
            match self.peek()? {
                Tok::Redir(..) => redirs.push(self.redir()?),
                Tok::Word(_) => {
                    let Tok::Word(w) = self.next()? else { break };
                    if words.is_empty() {
                        if let Some((name, value)) = split_assignment(&w) {
                            if value.0.is_empty() && self.peek()? == &Tok::Op("(") {
                                assigns.extend(self.array(&name)?);
                                continue;
                            }
                            assigns.push((name, value));
                            continue;
                        }
                        if self.peek()? == &Tok::Op("(") {
                            return self.function(w);
                        }
                    }
                    words.push(w);
                }
                _ => break,
            }
        }
        if assigns.is_empty() && words.is_empty() && redirs.is_empty() {
            let t = self.next()?;
            return Err(if t == Tok::Eof { PErr::Eof(None) } else { unexpected(&t) });
        }
        Ok(Cmd::Simple { assigns, words, redirs, line })
    }

    /// `items=(foo bar baz)`: bash's indexed array, kept as `items[0]`, `items[1]`, ... (and
    /// `items`, which names element 0).
    fn array(&mut self, name: &str) -> Result<Vec<(String, Word)>, PErr> {
        self.next()?;
        let mut elements = Vec::new();
        loop {
            match self.next()? {
                Tok::Op(")") => break,
                Tok::Newline => {}
                Tok::Word(w) => elements.push(w),
                other => return Err(unexpected(&other)),
            }
        }
        let mut assigns: Vec<(String, Word)> =
            elements.iter().enumerate().map(|(i, w)| (format!("{name}[{i}]"), w.clone())).collect();
        assigns.push((name.to_string(), elements.first().cloned().unwrap_or_default()));
        Ok(assigns)
    }

    fn function(&mut self, name: Word) -> Result<Cmd, PErr> {
        self.next()?;
        match self.next()? {
            Tok::Op(")") => {}
            other => return Err(unexpected(&other)),
        }
        self.skip_newlines()?;
        let name = name.literal().unwrap_or_default().to_string();
        let body = self.command()?;
        Ok(Cmd::Func { name, body: Box::new(body) })
    }

    fn redir(&mut self) -> Result<Redir, PErr> {
        let Tok::Redir(fd, op) = self.next()? else { return Err(PErr::Unexpected(String::new())) };
        let target = match self.next()? {
            Tok::Word(w) => w,
            Tok::Eof => return Err(PErr::Eof(None)),
            other => return Err(unexpected(&other)),
        };
        let (op, default_fd) = match op {
            ">" | ">|" => (RedirOp::Out, 1),
            ">>" => (RedirOp::Append, 1),
            "<" | "<>" => (RedirOp::In, 0),
            ">&" => (RedirOp::Dup, 1),
            "<&" => (RedirOp::Dup, 0),
            _ => {
                let slot = self.heredocs.len();
                let quoted = target.0.iter().any(|p| matches!(p, Part::Quoted(_)));
                let delim = word_text(&target);
                self.heredocs.push(Word::default());
                self.pending.push((delim, quoted, op == "<<-", slot));
                let target = Word(vec![Part::Lit(format!("\0{slot}"))]);
                return Ok(Redir { fd: fd.unwrap_or(0), op: RedirOp::Here, target });
            }
        };
        Ok(Redir { fd: fd.unwrap_or(default_fd), op, target })
    }

    /// Called at each newline: the lines after it are the bodies of pending here-documents.
    pub(super) fn read_pending_heredocs(&mut self) -> Result<(), PErr> {
        for (delim, quoted, strip, slot) in std::mem::take(&mut self.pending) {
            let mut body = String::new();
            loop {
                if self.pos >= self.src.len() {
                    break;
                }
                let end = self.src[self.pos..].iter().position(|c| *c == '\n').map_or(self.src.len(), |i| self.pos + i);
                let line: String = self.src[self.pos..end].iter().collect();
                self.pos = (end + 1).min(self.src.len());
                self.line += 1;
                let line = if strip { line.trim_start_matches('\t').to_string() } else { line };
                if line == delim {
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            let word = if quoted {
                Word(vec![Part::Quoted(body)])
            } else {
                Word(Parser::new(&body, self.depth + 1)?.dquoted(None)?)
            };
            if let Some(w) = self.heredocs.get_mut(slot) {
                *w = word;
            }
        }
        Ok(())
    }
}

fn word_text(w: &Word) -> String {
    w.0.iter()
        .map(|p| match p {
            Part::Lit(s) | Part::Quoted(s) => s.clone(),
            _ => String::new(),
        })
        .collect()
}

pub(super) fn unexpected(t: &Tok) -> PErr {
    PErr::Unexpected(match t {
        Tok::Word(w) => word_text(w),
        Tok::Op(o) => o.to_string(),
        Tok::Redir(_, o) => o.to_string(),
        Tok::Newline => "newline".into(),
        Tok::Eof => "end of file".into(),
    })
}

/// `NAME=value` at the start of a simple command.
fn split_assignment(w: &Word) -> Option<(String, Word)> {
    let Some(Part::Lit(first)) = w.0.first() else { return None };
    let (name, rest) = first.split_once('=')?;
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return None;
    }
    let mut parts = Vec::new();
    if !rest.is_empty() {
        parts.push(Part::Lit(rest.to_string()));
    }
    parts.extend(w.0[1..].iter().cloned());
    Some((name.to_string(), Word(parts)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_is_parsed_once_and_shared() {
        let first = parse_shared("set -e\nexec \"$@\"\n");
        let again = parse_shared("set -e\nexec \"$@\"\n");
        assert!(Rc::ptr_eq(&first, &again));
        assert_eq!(*first, parse("set -e\nexec \"$@\"\n"));
        let broken = parse_shared("if true; then");
        assert_eq!(*broken, parse("if true; then"));
        assert!(broken.is_err());
    }
}
