//! bash's conditional command `[[ ... ]]`, parsed here into a call of the `[[` builtin
//! (`builtins/cond.rs`) whose words are neither split nor globbed, as bash expands them.

use super::ast::{Cmd, Part, Word};
use super::parser::{PErr, Parser};

impl Parser {
    /// `[[ expr ]]`: the words up to `]]`, with parentheses, `<` and `>` inside words.
    pub(super) fn cond_cmd(&mut self) -> Result<Cmd, PErr> {
        let line = self.line;
        self.next_tok()?;
        let mut words = vec![Word(vec![Part::Lit("[[".into())])];
        loop {
            while matches!(self.peek_char(), Some(' ' | '\t')) {
                self.pos += 1;
            }
            let at = |p: &Parser, s: &str| s.chars().enumerate().all(|(i, c)| p.src.get(p.pos + i) == Some(&c));
            if at(self, "\\\n") {
                self.pos += 2;
                self.line += 1;
                continue;
            }
            if at(self, "]]") && self.src.get(self.pos + 2).is_none_or(|c| " \t\n;&|)".contains(*c)) {
                self.pos += 2;
                break;
            }
            if at(self, "&&") || at(self, "||") {
                let op: String = self.src[self.pos..self.pos + 2].iter().collect();
                self.pos += 2;
                words.push(Word(vec![Part::Lit(op)]));
                continue;
            }
            match self.peek_char() {
                None | Some('\n' | ';') => return Err(PErr::Eof(Some("]]"))),
                _ => {}
            }
            self.cond = true;
            let w = self.word(None);
            self.cond = false;
            let w = w?;
            if w.0.is_empty() {
                return Err(PErr::Unexpected(self.peek_char().map(String::from).unwrap_or_default()));
            }
            words.push(unsplit(w));
        }
        if words.len() == 1 {
            return Err(PErr::Unexpected("]]".into()));
        }
        Ok(short_circuit(words, line))
    }
}

/// `[[ A && B ]]` as `[[ A ]] && [[ B ]]` where that means the same, so that B's expansions
/// (`$(<file)`) only happen when A holds, as in bash. Parentheses, or `||` before `&&` (which
/// binds tighter inside `[[`), keep the expression whole.
fn short_circuit(words: Vec<Word>, line: u32) -> Cmd {
    let op = |w: &Word| match w.0.as_slice() {
        [Part::Lit(s)] if s == "&&" || s == "||" => Some(s.clone()),
        _ => None,
    };
    let paren = words.iter().any(|w| matches!(w.0.as_slice(), [Part::Quoted(s)] if s == "(" || s == ")"));
    let ops: Vec<String> = words.iter().filter_map(op).collect();
    let or_then_and = ops.iter().position(|o| o == "||").is_some_and(|i| ops[i..].iter().any(|o| o == "&&"));
    let simple = |w: Vec<Word>| Cmd::Simple { assigns: Vec::new(), words: w, redirs: Vec::new(), line };
    if ops.is_empty() || paren || or_then_and {
        return simple(words);
    }
    let head = words[0].clone();
    let mut cmd: Option<Cmd> = None;
    let mut pending: Option<String> = None;
    let mut group = vec![head.clone()];
    for w in words.into_iter().skip(1).chain(std::iter::once(Word(vec![Part::Lit("&&".into())]))) {
        match op(&w) {
            Some(o) => {
                let this = simple(std::mem::replace(&mut group, vec![head.clone()]));
                cmd = Some(match (cmd.take(), pending.as_deref()) {
                    (None, _) => this,
                    (Some(prev), Some("||")) => Cmd::Or(Box::new(prev), Box::new(this)),
                    (Some(prev), _) => Cmd::And(Box::new(prev), Box::new(this)),
                });
                pending = Some(o);
            }
            None => group.push(w),
        }
    }
    cmd.unwrap_or_else(|| simple(group))
}

/// The word as `[[` expands it: no field splitting, no pathname expansion.
fn unsplit(w: Word) -> Word {
    let parts =
        w.0.into_iter()
            .map(|p| match p {
                Part::Lit(s) => Part::Quoted(s),
                Part::Param { name, op, .. } => Part::Param { name, op, quoted: true },
                Part::Subst { body, .. } => Part::Subst { body, quoted: true },
                Part::Arith { expr, .. } => Part::Arith { expr, quoted: true },
                Part::Tilde => Part::Tilde,
                Part::Quoted(s) => Part::Quoted(s),
            })
            .collect();
    Word(parts)
}
