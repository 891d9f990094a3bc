//! Parsing of compound commands: if, while/until, for, case.

use super::ast::{Cmd, Word};
use super::lexer::Tok;
use super::parser::{unexpected, PErr, Parser};

impl Parser {
    pub(super) fn if_cmd(&mut self) -> Result<Cmd, PErr> {
        self.next_tok()?;
        let mut arms = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.list_until(&["then"])?;
            self.expect_reserved("then")?;
            let body = self.list_until(&["elif", "else", "fi"])?;
            arms.push((cond, body));
            match self.next_reserved(&["elif", "else", "fi"], "fi")?.as_str() {
                "elif" => continue,
                "else" => {
                    otherwise = Some(Box::new(self.list_until(&["fi"])?));
                    self.expect_reserved("fi")?;
                    break;
                }
                _ => break,
            }
        }
        Ok(Cmd::If { arms, otherwise })
    }

    pub(super) fn while_cmd(&mut self) -> Result<Cmd, PErr> {
        let until = matches!(self.next_tok()?, Tok::Word(w) if w.literal() == Some("until"));
        let cond = self.list_until(&["do"])?;
        let body = self.do_group()?;
        Ok(Cmd::While { cond: Box::new(cond), body: Box::new(body), until })
    }

    fn do_group(&mut self) -> Result<Cmd, PErr> {
        self.expect_reserved("do")?;
        let body = self.list_until(&["done"])?;
        self.expect_reserved("done")?;
        Ok(body)
    }

    pub(super) fn for_cmd(&mut self) -> Result<Cmd, PErr> {
        self.next_tok()?;
        let var = match self.next_tok()? {
            Tok::Word(w) => w.literal().map(str::to_string).ok_or(PErr::BadSubst)?,
            Tok::Eof => return Err(PErr::Eof(None)),
            other => return Err(unexpected(&other)),
        };
        self.skip_nl()?;
        let mut items = None;
        if self.peek_word()?.as_deref() == Some("in") {
            self.next_tok()?;
            let mut list = Vec::new();
            loop {
                match self.next_tok()? {
                    Tok::Word(w) => list.push(w),
                    Tok::Op(";") | Tok::Newline => break,
                    Tok::Eof => return Err(PErr::Eof(Some("do"))),
                    other => return Err(unexpected(&other)),
                }
            }
            items = Some(list);
        } else if self.peek_tok()? == &Tok::Op(";") {
            self.next_tok()?;
        }
        let body = self.do_group()?;
        Ok(Cmd::For { var, items, body: Box::new(body) })
    }

    pub(super) fn case_cmd(&mut self) -> Result<Cmd, PErr> {
        self.next_tok()?;
        let word = match self.next_tok()? {
            Tok::Word(w) => w,
            Tok::Eof => return Err(PErr::Eof(None)),
            other => return Err(unexpected(&other)),
        };
        self.skip_nl()?;
        self.expect_reserved("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_nl()?;
            if self.peek_word()?.as_deref() == Some("esac") {
                self.next_tok()?;
                return Ok(Cmd::Case { word, arms });
            }
            if self.peek_tok()? == &Tok::Op("(") {
                self.next_tok()?;
            }
            let pats = self.case_patterns()?;
            let body = self.list_until(&["esac"])?;
            if self.peek_tok()? == &Tok::Op(";;") {
                self.next_tok()?;
            }
            arms.push((pats, body));
        }
    }

    fn case_patterns(&mut self) -> Result<Vec<Word>, PErr> {
        let mut pats = Vec::new();
        loop {
            match self.next_tok()? {
                Tok::Word(w) => pats.push(w),
                Tok::Eof => return Err(PErr::Eof(Some("esac"))),
                other => return Err(unexpected(&other)),
            }
            match self.next_tok()? {
                Tok::Op("|") => continue,
                Tok::Op(")") => return Ok(pats),
                Tok::Eof => return Err(PErr::Eof(Some(")"))),
                other => return Err(unexpected(&other)),
            }
        }
    }

    /// Reads the word that closes a part of a compound command, one of `allowed`.
    fn next_reserved(&mut self, allowed: &[&str], expecting: &'static str) -> Result<String, PErr> {
        self.skip_nl()?;
        match self.next_tok()? {
            Tok::Word(w) if w.literal().is_some_and(|l| allowed.contains(&l)) => {
                Ok(w.literal().unwrap_or_default().to_string())
            }
            Tok::Eof => Err(PErr::Eof(Some(expecting))),
            other => Err(unexpected(&other)),
        }
    }
}
