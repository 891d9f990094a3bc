//! The shell's syntax tree. It is serializable because a suspended container process keeps its
//! functions' bodies in its stored state.

use serde::{Deserialize, Serialize};

/// One piece of a word, remembered with its quoting so expansion knows what to split and glob.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Part {
    /// Unquoted text: subject to field splitting (when it came from expansion) and globbing.
    Lit(String),
    /// Quoted text: taken as is.
    Quoted(String),
    /// `$name`, `${name}`, `${name:-word}`, `${#name}`; `quoted` when inside double quotes.
    Param { name: String, op: ParamOp, quoted: bool },
    /// `$(...)` or backticks.
    Subst { body: Box<Cmd>, quoted: bool },
    /// `$((...))`: the expression text, expanded before evaluation.
    Arith { expr: Word, quoted: bool },
    /// A leading `~`.
    Tilde,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ParamOp {
    Plain,
    Length,
    /// `op` is one of `-`, `:-`, `=`, `:=`, `+`, `:+`, `?`, `:?`, `#`, `##`, `%`, `%%`.
    With(String, Word),
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Word(pub Vec<Part>);

impl Word {
    /// The word's text when it is plain unquoted text (reserved words, assignments).
    pub fn literal(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum RedirOp {
    /// `>`
    Out,
    /// `>>`
    Append,
    /// `<`
    In,
    /// `>&N` / `<&N`
    Dup,
    /// `<<` with the (already read) body in `target`.
    Here,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Redir {
    pub fd: u32,
    pub op: RedirOp,
    pub target: Word,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cmd {
    Simple {
        assigns: Vec<(String, Word)>,
        words: Vec<Word>,
        redirs: Vec<Redir>,
        line: u32,
    },
    Pipeline {
        cmds: Vec<Cmd>,
        bang: bool,
    },
    And(Box<Cmd>, Box<Cmd>),
    Or(Box<Cmd>, Box<Cmd>),
    Seq(Vec<Cmd>),
    /// `cmd &`: run to completion in the background's stead (nothing runs concurrently here).
    Background(Box<Cmd>),
    If {
        arms: Vec<(Cmd, Cmd)>,
        otherwise: Option<Box<Cmd>>,
    },
    For {
        var: String,
        items: Option<Vec<Word>>,
        body: Box<Cmd>,
    },
    While {
        cond: Box<Cmd>,
        body: Box<Cmd>,
        until: bool,
    },
    Case {
        word: Word,
        arms: Vec<(Vec<Word>, Cmd)>,
    },
    Group {
        body: Box<Cmd>,
        redirs: Vec<Redir>,
    },
    Subshell {
        body: Box<Cmd>,
        redirs: Vec<Redir>,
    },
    Func {
        name: String,
        body: Box<Cmd>,
    },
    /// Wraps a compound command that has redirections of its own (`while ...; done < f`).
    Redirected {
        body: Box<Cmd>,
        redirs: Vec<Redir>,
    },
}
