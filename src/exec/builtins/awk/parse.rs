//! awk's grammar: patterns and actions, statements and expressions with awk's precedence
//! (assignment, `?:`, `||`, `&&`, `in`, `~`, comparison, concatenation, `+ -`, `* / %`, unary,
//! `^`, `++ --`, `$`).

use super::lex::Tok;

#[derive(Debug, Clone)]
pub enum Expr {
    Num(f64),
    Str(String),
    /// `/re/` alone: matches `$0`.
    Regex(String),
    Var(String),
    Field(Box<Expr>),
    Index(String, Vec<Expr>),
    /// `op` is `=` or a compound operator such as `+=`.
    Assign(&'static str, Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Plus(Box<Expr>),
    Bin(&'static str, Box<Expr>, Box<Expr>),
    Cmp(&'static str, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Match(bool, Box<Expr>, Box<Expr>),
    In(Vec<Expr>, String),
    /// `++x` / `--x` (pre) and `x++` / `x--`.
    Incr(bool, f64, Box<Expr>),
    Call(String, Vec<Expr>),
    User(String, Vec<Expr>),
    /// `(a, b)`: only as print's argument list.
    Group(Vec<Expr>),
    /// `getline [VAR]` (next input record), `getline [VAR] < FILE` and `CMD | getline [VAR]`.
    Getline(Option<Box<Expr>>, GetSource),
}

#[derive(Debug, Clone)]
pub enum GetSource {
    Input,
    File(Box<Expr>),
    Command(Box<Expr>),
}

#[derive(Debug, Clone)]
pub enum Stmt {
    /// Arguments, and `> file` / `>> file`.
    Print(Vec<Expr>, Option<(bool, Expr)>),
    Printf(Vec<Expr>, Option<(bool, Expr)>),
    Expr(Expr),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(Option<Box<Stmt>>, Option<Expr>, Option<Box<Stmt>>, Box<Stmt>),
    ForIn(String, String, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    Exit(Option<Expr>),
    Return(Option<Expr>),
    Break,
    Continue,
    Delete(String, Option<Vec<Expr>>),
}

#[derive(Debug, Clone)]
pub enum Pattern {
    Begin,
    End,
    All,
    Expr(Expr),
    Range(Expr, Expr),
}

#[derive(Debug, Default, Clone)]
pub struct Program {
    pub rules: Vec<(Pattern, Option<Vec<Stmt>>)>,
    pub funcs: std::collections::HashMap<String, (Vec<String>, Vec<Stmt>)>,
}

/// A parse failure: the line and mawk's wording (`syntax error at or near X`), or a feature
/// kstate's awk does not have.
#[derive(Debug)]
pub enum PErr {
    Syntax(u32, String),
    Unsupported(u32, &'static str),
}

pub struct Parser {
    toks: Vec<(Tok, u32)>,
    pos: usize,
    /// Inside print's arguments outside parentheses: `>` redirects.
    no_gt: bool,
    /// Inside `for (x in a)`'s head: `in` is not an operator.
    no_in: bool,
    depth: u32,
}

type R<T> = Result<T, PErr>;

pub fn parse(toks: Vec<(Tok, u32)>) -> R<Program> {
    let mut p = Parser { toks, pos: 0, no_gt: false, no_in: false, depth: 0 };
    let mut prog = Program::default();
    p.skip_terms();
    while p.peek() != &Tok::Eof {
        p.item(&mut prog)?;
        p.skip_terms();
    }
    Ok(prog)
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].0
    }
    fn line(&self) -> u32 {
        self.toks[self.pos.min(self.toks.len() - 1)].1
    }
    fn next(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn is_op(&self, o: &str) -> bool {
        matches!(self.peek(), Tok::Op(x) if *x == o)
    }
    fn is_kw(&self, k: &str) -> bool {
        matches!(self.peek(), Tok::Kw(x) if *x == k)
    }
    fn err<T>(&self) -> R<T> {
        let near = match self.peek() {
            Tok::Num(n) => super::value::num_to_str(*n, "%.6g"),
            Tok::Str(s) => format!("\"{s}\""),
            Tok::Regex(r) => format!("/{r}/"),
            Tok::Name(n) | Tok::FuncName(n) | Tok::Builtin(n) => n.clone(),
            Tok::Kw(k) => k.to_string(),
            Tok::Op(o) => o.to_string(),
            Tok::Newline => "end of line".into(),
            Tok::Eof => "end of file".into(),
        };
        Err(PErr::Syntax(self.line(), format!("syntax error at or near {near}")))
    }
    fn expect_op(&mut self, o: &str) -> R<()> {
        if self.is_op(o) {
            self.pos += 1;
            Ok(())
        } else {
            self.err()
        }
    }
    fn skip_newlines(&mut self) {
        while self.peek() == &Tok::Newline {
            self.pos += 1;
        }
    }
    fn skip_terms(&mut self) {
        while self.peek() == &Tok::Newline || self.is_op(";") {
            self.pos += 1;
        }
    }

    fn item(&mut self, prog: &mut Program) -> R<()> {
        if self.is_kw("function") || self.is_kw("func") {
            self.pos += 1;
            let name = match self.next() {
                Tok::Name(n) | Tok::FuncName(n) => n,
                _ => {
                    self.pos -= 1;
                    return self.err();
                }
            };
            self.expect_op("(")?;
            let mut params = Vec::new();
            while !self.is_op(")") {
                match self.next() {
                    Tok::Name(n) => params.push(n),
                    _ => {
                        self.pos -= 1;
                        return self.err();
                    }
                }
                if self.is_op(",") {
                    self.pos += 1;
                    self.skip_newlines();
                }
            }
            self.pos += 1;
            self.skip_newlines();
            let body = self.block()?;
            prog.funcs.insert(name, (params, body));
            return Ok(());
        }
        let pattern = if self.is_kw("BEGIN") {
            self.pos += 1;
            Pattern::Begin
        } else if self.is_kw("END") {
            self.pos += 1;
            Pattern::End
        } else if self.is_op("{") {
            Pattern::All
        } else {
            let a = self.expr()?;
            if self.is_op(",") {
                self.pos += 1;
                self.skip_newlines();
                Pattern::Range(a, self.expr()?)
            } else {
                Pattern::Expr(a)
            }
        };
        let action = if self.is_op("{") {
            Some(self.block()?)
        } else if matches!(pattern, Pattern::Begin | Pattern::End) {
            return self.err();
        } else {
            None
        };
        prog.rules.push((pattern, action));
        Ok(())
    }

    fn block(&mut self) -> R<Vec<Stmt>> {
        self.expect_op("{")?;
        self.depth += 1;
        if self.depth > 100 {
            return self.err();
        }
        let mut body = Vec::new();
        self.skip_terms();
        while !self.is_op("}") {
            if self.peek() == &Tok::Eof {
                return self.err();
            }
            body.push(self.stmt()?);
            self.skip_terms();
        }
        self.pos += 1;
        self.depth -= 1;
        Ok(body)
    }

    /// A statement's end: `;`, a newline, or (left in place) `}`.
    fn end_simple(&mut self) -> R<()> {
        if self.is_op(";") || self.peek() == &Tok::Newline {
            self.pos += 1;
            return Ok(());
        }
        if self.is_op("}") || self.peek() == &Tok::Eof {
            return Ok(());
        }
        self.err()
    }

    fn body(&mut self) -> R<Box<Stmt>> {
        self.skip_newlines();
        if self.is_op(";") {
            self.pos += 1;
            return Ok(Box::new(Stmt::Block(Vec::new())));
        }
        Ok(Box::new(self.stmt()?))
    }

    fn stmt(&mut self) -> R<Stmt> {
        let line = self.line();
        if self.is_op("{") {
            return Ok(Stmt::Block(self.block()?));
        }
        let Tok::Kw(k) = self.peek().clone() else {
            let e = self.expr()?;
            self.end_simple()?;
            return Ok(Stmt::Expr(e));
        };
        self.pos += 1;
        let s = match k {
            "if" => {
                self.expect_op("(")?;
                let c = self.expr()?;
                self.expect_op(")")?;
                let then = self.body()?;
                let save = self.pos;
                self.skip_terms();
                let otherwise = if self.is_kw("else") {
                    self.pos += 1;
                    Some(self.body()?)
                } else {
                    self.pos = save;
                    None
                };
                return Ok(Stmt::If(c, then, otherwise));
            }
            "while" => {
                self.expect_op("(")?;
                let c = self.expr()?;
                self.expect_op(")")?;
                if self.is_op(";") {
                    self.pos += 1;
                    return Ok(Stmt::While(c, Box::new(Stmt::Block(Vec::new()))));
                }
                return Ok(Stmt::While(c, self.body()?));
            }
            "do" => {
                let body = self.body()?;
                self.skip_terms();
                if !self.is_kw("while") {
                    return self.err();
                }
                self.pos += 1;
                self.expect_op("(")?;
                let c = self.expr()?;
                self.expect_op(")")?;
                Stmt::Do(body, c)
            }
            "for" => {
                self.expect_op("(")?;
                if let (Tok::Name(v), Tok::Kw("in"), Tok::Name(a), Tok::Op(")")) = (
                    self.peek().clone(),
                    self.toks.get(self.pos + 1).map_or(Tok::Eof, |t| t.0.clone()),
                    self.toks.get(self.pos + 2).map_or(Tok::Eof, |t| t.0.clone()),
                    self.toks.get(self.pos + 3).map_or(Tok::Eof, |t| t.0.clone()),
                ) {
                    self.pos += 4;
                    return Ok(Stmt::ForIn(v, a, self.body()?));
                }
                let init = if self.is_op(";") { None } else { Some(Box::new(Stmt::Expr(self.expr()?))) };
                self.expect_op(";")?;
                self.skip_newlines();
                let cond = if self.is_op(";") { None } else { Some(self.expr()?) };
                self.expect_op(";")?;
                self.skip_newlines();
                let step = if self.is_op(")") { None } else { Some(Box::new(Stmt::Expr(self.expr()?))) };
                self.expect_op(")")?;
                if self.is_op(";") {
                    self.pos += 1;
                    return Ok(Stmt::For(init, cond, step, Box::new(Stmt::Block(Vec::new()))));
                }
                return Ok(Stmt::For(init, cond, step, self.body()?));
            }
            "break" => Stmt::Break,
            "continue" => Stmt::Continue,
            "next" => Stmt::Next,
            "nextfile" => return Err(PErr::Unsupported(line, "nextfile")),
            "getline" => {
                self.pos -= 1;
                let e = self.expr()?;
                self.end_simple()?;
                return Ok(Stmt::Expr(e));
            }
            "exit" | "return" => {
                let e = if self.is_op(";") || self.is_op("}") || self.peek() == &Tok::Newline {
                    None
                } else {
                    Some(self.expr()?)
                };
                if k == "exit" {
                    Stmt::Exit(e)
                } else {
                    Stmt::Return(e)
                }
            }
            "delete" => {
                let Tok::Name(name) = self.next() else {
                    self.pos -= 1;
                    return self.err();
                };
                if self.is_op("[") {
                    self.pos += 1;
                    let subs = self.expr_list("]")?;
                    Stmt::Delete(name, Some(subs))
                } else {
                    Stmt::Delete(name, None)
                }
            }
            "print" | "printf" => {
                let mut args = Vec::new();
                let saved = self.no_gt;
                self.no_gt = true;
                if !(self.is_op(";") || self.is_op("}") || self.is_op(">") || self.is_op(">>") || self.is_op("|"))
                    && self.peek() != &Tok::Newline
                    && self.peek() != &Tok::Eof
                {
                    args.push(self.expr()?);
                    while self.is_op(",") {
                        self.pos += 1;
                        self.skip_newlines();
                        args.push(self.expr()?);
                    }
                }
                self.no_gt = saved;
                if args.len() == 1 {
                    if let Expr::Group(list) = &args[0] {
                        args = list.clone();
                    }
                }
                let redirect = if self.is_op(">") || self.is_op(">>") {
                    let append = self.is_op(">>");
                    self.pos += 1;
                    let saved = self.no_gt;
                    self.no_gt = true;
                    let target = self.concat()?;
                    self.no_gt = saved;
                    Some((append, target))
                } else if self.is_op("|") {
                    return Err(PErr::Unsupported(line, "output to a command (print | \"cmd\")"));
                } else {
                    None
                };
                if k == "print" {
                    Stmt::Print(args, redirect)
                } else {
                    if args.is_empty() {
                        return self.err();
                    }
                    Stmt::Printf(args, redirect)
                }
            }
            _ => {
                self.pos -= 1;
                return self.err();
            }
        };
        self.end_simple()?;
        Ok(s)
    }

    fn expr_list(&mut self, close: &str) -> R<Vec<Expr>> {
        let mut v = vec![self.expr()?];
        while self.is_op(",") {
            self.pos += 1;
            self.skip_newlines();
            v.push(self.expr()?);
        }
        self.expect_op(close)?;
        Ok(v)
    }

    pub fn expr(&mut self) -> R<Expr> {
        self.depth += 1;
        if self.depth > 200 {
            return self.err();
        }
        let r = self.ternary();
        self.depth -= 1;
        r
    }

    fn ternary(&mut self) -> R<Expr> {
        let c = self.or()?;
        if self.is_op("?") {
            self.pos += 1;
            self.skip_newlines();
            let a = self.ternary()?;
            self.skip_newlines();
            self.expect_op(":")?;
            self.skip_newlines();
            let b = self.ternary()?;
            return Ok(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)));
        }
        if let Tok::Op(op @ ("=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^=" | "**=")) = self.peek().clone() {
            if matches!(c, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
                self.pos += 1;
                self.skip_newlines();
                let v = self.ternary()?;
                let op = if op == "**=" { "^=" } else { op };
                return Ok(Expr::Assign(op, Box::new(c), Box::new(v)));
            }
        }
        Ok(c)
    }

    fn or(&mut self) -> R<Expr> {
        let mut l = self.and()?;
        while self.is_op("||") {
            self.pos += 1;
            self.skip_newlines();
            l = Expr::Or(Box::new(l), Box::new(self.and()?));
        }
        Ok(l)
    }

    fn and(&mut self) -> R<Expr> {
        let mut l = self.in_()?;
        while self.is_op("&&") {
            self.pos += 1;
            self.skip_newlines();
            l = Expr::And(Box::new(l), Box::new(self.in_()?));
        }
        Ok(l)
    }

    fn in_(&mut self) -> R<Expr> {
        let mut l = self.matching()?;
        while self.is_kw("in") && !self.no_in {
            self.pos += 1;
            let Tok::Name(a) = self.next() else {
                self.pos -= 1;
                return self.err();
            };
            l = Expr::In(vec![l], a);
        }
        Ok(l)
    }

    fn matching(&mut self) -> R<Expr> {
        let mut l = self.compare()?;
        while self.is_op("~") || self.is_op("!~") {
            let neg = self.is_op("!~");
            self.pos += 1;
            l = Expr::Match(neg, Box::new(l), Box::new(self.compare()?));
        }
        Ok(l)
    }

    fn compare(&mut self) -> R<Expr> {
        let mut l = self.concat()?;
        while self.is_op("|") && matches!(self.toks.get(self.pos + 1).map(|t| &t.0), Some(Tok::Kw("getline"))) {
            self.pos += 2;
            let var = self.getline_var()?;
            l = Expr::Getline(var, GetSource::Command(Box::new(l)));
        }
        let op = match self.peek() {
            Tok::Op(o @ ("<" | "<=" | "==" | "!=" | ">=")) => *o,
            Tok::Op(">") if !self.no_gt => ">",
            _ => return Ok(l),
        };
        self.pos += 1;
        let r = self.concat()?;
        Ok(Expr::Cmp(op, Box::new(l), Box::new(r)))
    }

    fn starts_operand(&self) -> bool {
        match self.peek() {
            Tok::Num(_) | Tok::Str(_) | Tok::Regex(_) | Tok::Name(_) | Tok::FuncName(_) | Tok::Builtin(_) => true,
            Tok::Op(o) => matches!(*o, "$" | "(" | "!" | "-" | "+" | "++" | "--"),
            Tok::Kw(k) => *k == "getline",
            _ => false,
        }
    }

    fn concat(&mut self) -> R<Expr> {
        let mut l = self.additive()?;
        // `a -1` is a subtraction, `a !b` is not a concatenation: only plain operands follow.
        while self.starts_operand() && !self.is_op("-") && !self.is_op("+") && !self.is_op("!") {
            if self.is_kw("in") {
                break;
            }
            let r = self.additive()?;
            l = Expr::Concat(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn additive(&mut self) -> R<Expr> {
        let mut l = self.mul()?;
        while let Tok::Op(o @ ("+" | "-")) = self.peek().clone() {
            self.pos += 1;
            l = Expr::Bin(o, Box::new(l), Box::new(self.mul()?));
        }
        Ok(l)
    }

    fn mul(&mut self) -> R<Expr> {
        let mut l = self.unary()?;
        while let Tok::Op(o @ ("*" | "/" | "%")) = self.peek().clone() {
            self.pos += 1;
            l = Expr::Bin(o, Box::new(l), Box::new(self.unary()?));
        }
        Ok(l)
    }

    fn unary(&mut self) -> R<Expr> {
        match self.peek() {
            Tok::Op("!") => {
                self.pos += 1;
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            Tok::Op("-") => {
                self.pos += 1;
                Ok(Expr::Neg(Box::new(self.unary()?)))
            }
            Tok::Op("+") => {
                self.pos += 1;
                Ok(Expr::Plus(Box::new(self.unary()?)))
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> R<Expr> {
        let base = self.incdec()?;
        if self.is_op("^") || self.is_op("**") {
            self.pos += 1;
            // Right-associative, and binds tighter than a unary minus on its right.
            let exp = if self.is_op("-") {
                self.pos += 1;
                Expr::Neg(Box::new(self.power()?))
            } else {
                self.power()?
            };
            return Ok(Expr::Bin("^", Box::new(base), Box::new(exp)));
        }
        Ok(base)
    }

    fn incdec(&mut self) -> R<Expr> {
        if self.is_op("++") || self.is_op("--") {
            let d = if self.is_op("++") { 1.0 } else { -1.0 };
            self.pos += 1;
            let target = self.primary()?;
            if !matches!(target, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
                return self.err();
            }
            return Ok(Expr::Incr(true, d, Box::new(target)));
        }
        let e = self.primary()?;
        if matches!(e, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) && (self.is_op("++") || self.is_op("--")) {
            let d = if self.is_op("++") { 1.0 } else { -1.0 };
            self.pos += 1;
            return Ok(Expr::Incr(false, d, Box::new(e)));
        }
        Ok(e)
    }

    fn primary(&mut self) -> R<Expr> {
        match self.next() {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Regex(r) => Ok(Expr::Regex(r)),
            Tok::Op("$") => {
                let e = self.incdec_operand()?;
                Ok(Expr::Field(Box::new(e)))
            }
            Tok::Op("-") => Ok(Expr::Neg(Box::new(self.primary()?))),
            Tok::Op("!") => Ok(Expr::Not(Box::new(self.primary()?))),
            Tok::Op("(") => {
                let (sgt, sin) = (self.no_gt, self.no_in);
                self.no_gt = false;
                self.no_in = false;
                self.skip_newlines();
                let first = self.expr()?;
                let mut list = vec![first];
                while self.is_op(",") {
                    self.pos += 1;
                    self.skip_newlines();
                    list.push(self.expr()?);
                }
                self.skip_newlines();
                self.expect_op(")")?;
                self.no_gt = sgt;
                self.no_in = sin;
                if list.len() > 1 {
                    if self.is_kw("in") {
                        self.pos += 1;
                        let Tok::Name(a) = self.next() else {
                            self.pos -= 1;
                            return self.err();
                        };
                        return Ok(Expr::In(list, a));
                    }
                    return Ok(Expr::Group(list));
                }
                Ok(list.pop().unwrap_or(Expr::Num(0.0)))
            }
            Tok::Name(n) => {
                if self.is_op("[") {
                    self.pos += 1;
                    let subs = self.expr_list("]")?;
                    return Ok(Expr::Index(n, subs));
                }
                Ok(Expr::Var(n))
            }
            Tok::FuncName(n) => {
                self.expect_op("(")?;
                let args = if self.is_op(")") {
                    self.pos += 1;
                    Vec::new()
                } else {
                    self.expr_list(")")?
                };
                Ok(Expr::User(n, args))
            }
            Tok::Builtin(b) => {
                if !self.is_op("(") {
                    if b == "length" {
                        return Ok(Expr::Call(b, Vec::new()));
                    }
                    self.pos -= 1;
                    return self.err();
                }
                self.pos += 1;
                let args = if self.is_op(")") {
                    self.pos += 1;
                    Vec::new()
                } else {
                    self.expr_list(")")?
                };
                Ok(Expr::Call(b, args))
            }
            Tok::Kw("getline") => {
                let var = self.getline_var()?;
                if self.is_op("<") {
                    self.pos += 1;
                    let file = self.primary()?;
                    return Ok(Expr::Getline(var, GetSource::File(Box::new(file))));
                }
                Ok(Expr::Getline(var, GetSource::Input))
            }
            _ => {
                self.pos -= 1;
                self.err()
            }
        }
    }

    /// The variable `getline` reads into, if one follows.
    fn getline_var(&mut self) -> R<Option<Box<Expr>>> {
        match self.peek() {
            Tok::Name(_) => Ok(Some(Box::new(self.primary()?))),
            Tok::Op("$") => Ok(Some(Box::new(self.primary()?))),
            _ => Ok(None),
        }
    }

    /// What `$` applies to: a primary, with `++`/`--` (`$i++` is `($i)++`).
    fn incdec_operand(&mut self) -> R<Expr> {
        if self.is_op("++") || self.is_op("--") {
            return self.incdec();
        }
        if self.is_op("-") {
            self.pos += 1;
            return Ok(Expr::Neg(Box::new(self.primary()?)));
        }
        self.primary()
    }
}
