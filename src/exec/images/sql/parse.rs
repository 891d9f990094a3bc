//! A recursive-descent parser for the SQL subset. A syntax error carries the byte offset of
//! the token that could not be parsed; each dialect words the error itself.

use super::ast::{Expr, Select, Stmt, TableRef, Value};
use super::lex::{tokens, Spanned, Tok};

/// Where parsing failed: the offset of the offending token (the statement's length at its end).
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError(pub usize);

pub fn parse(src: &str) -> Result<Stmt, SyntaxError> {
    let toks = tokens(src).map_err(SyntaxError)?;
    let mut p = P { t: toks, i: 0, src, end: src.trim_end().len() };
    let s = p.stmt()?;
    if p.sym(";") {
        // a trailing `;` is allowed
    }
    match p.t.get(p.i) {
        None => Ok(s),
        Some((_, at)) => Err(SyntaxError(*at)),
    }
}

struct P<'a> {
    t: Vec<Spanned>,
    i: usize,
    src: &'a str,
    end: usize,
}

type R<T> = Result<T, SyntaxError>;

impl P<'_> {
    fn here(&self) -> SyntaxError {
        SyntaxError(self.t.get(self.i).map_or(self.end, |(_, at)| *at))
    }
    fn kw(&mut self, word: &str) -> bool {
        match self.t.get(self.i) {
            Some((Tok::Ident { text, quoted: false }, _)) if text.eq_ignore_ascii_case(word) => {
                self.i += 1;
                true
            }
            _ => false,
        }
    }
    fn expect_kw(&mut self, word: &str) -> R<()> {
        if self.kw(word) {
            Ok(())
        } else {
            Err(self.here())
        }
    }
    fn sym(&mut self, s: &str) -> bool {
        if matches!(self.t.get(self.i), Some((Tok::Sym(x), _)) if *x == s) {
            self.i += 1;
            return true;
        }
        false
    }
    fn expect_sym(&mut self, s: &str) -> R<()> {
        if self.sym(s) {
            Ok(())
        } else {
            Err(self.here())
        }
    }
    fn name(&mut self) -> R<String> {
        match self.t.get(self.i) {
            Some((Tok::Ident { text, .. }, _)) => {
                let t = text.clone();
                self.i += 1;
                Ok(t)
            }
            _ => Err(self.here()),
        }
    }
    fn table(&mut self) -> R<TableRef> {
        let first = self.name()?;
        if self.sym(".") {
            return Ok(TableRef { db: Some(first), name: self.name()? });
        }
        Ok(TableRef { db: None, name: first })
    }
    fn if_exists(&mut self, not: bool) -> R<bool> {
        if !self.kw("IF") {
            return Ok(false);
        }
        if not {
            self.expect_kw("NOT")?;
        }
        self.expect_kw("EXISTS")?;
        Ok(true)
    }

    fn stmt(&mut self) -> R<Stmt> {
        if self.kw("SELECT") {
            return Ok(Stmt::Select(self.select()?));
        }
        if self.kw("CREATE") {
            if self.kw("DATABASE") || self.kw("SCHEMA") {
                let if_not_exists = self.if_exists(true)?;
                return Ok(Stmt::CreateDb { if_not_exists, name: self.name()? });
            }
            self.expect_kw("TABLE")?;
            let if_not_exists = self.if_exists(true)?;
            let table = self.table()?;
            self.expect_sym("(")?;
            let mut cols = Vec::new();
            loop {
                if self.kw("PRIMARY") || self.kw("KEY") || self.kw("UNIQUE") || self.kw("INDEX") {
                    self.skip_group()?;
                } else {
                    let name = self.name()?;
                    let ty = self.column_type()?;
                    cols.push((name, ty));
                }
                if !self.sym(",") {
                    break;
                }
            }
            self.expect_sym(")")?;
            return Ok(Stmt::CreateTable { table, cols, if_not_exists });
        }
        if self.kw("DROP") {
            if self.kw("DATABASE") || self.kw("SCHEMA") {
                let if_exists = self.if_exists(false)?;
                return Ok(Stmt::DropDb { if_exists, name: self.name()? });
            }
            self.expect_kw("TABLE")?;
            let if_exists = self.if_exists(false)?;
            return Ok(Stmt::DropTable { if_exists, table: self.table()? });
        }
        if self.kw("USE") {
            return Ok(Stmt::Use(self.name()?));
        }
        if self.kw("INSERT") {
            self.expect_kw("INTO")?;
            let table = self.table()?;
            let mut cols = None;
            if self.sym("(") {
                let mut names = vec![self.name()?];
                while self.sym(",") {
                    names.push(self.name()?);
                }
                self.expect_sym(")")?;
                cols = Some(names);
            }
            if !self.kw("VALUES") {
                self.expect_kw("VALUE")?;
            }
            let mut rows = Vec::new();
            loop {
                self.expect_sym("(")?;
                let mut row = vec![self.expr()?];
                while self.sym(",") {
                    row.push(self.expr()?);
                }
                self.expect_sym(")")?;
                rows.push(row);
                if !self.sym(",") {
                    break;
                }
            }
            return Ok(Stmt::Insert { table, cols, rows });
        }
        if self.kw("UPDATE") {
            let table = self.table()?;
            self.expect_kw("SET")?;
            let mut sets = Vec::new();
            loop {
                let col = self.name()?;
                self.expect_sym("=")?;
                sets.push((col, self.expr()?));
                if !self.sym(",") {
                    break;
                }
            }
            let filter = if self.kw("WHERE") { Some(self.expr()?) } else { None };
            return Ok(Stmt::Update { table, sets, filter });
        }
        if self.kw("DELETE") {
            self.expect_kw("FROM")?;
            let table = self.table()?;
            let filter = if self.kw("WHERE") { Some(self.expr()?) } else { None };
            return Ok(Stmt::Delete { table, filter });
        }
        if self.kw("SHOW") {
            if self.kw("DATABASES") || self.kw("SCHEMAS") {
                return Ok(Stmt::ShowDatabases);
            }
            self.expect_kw("TABLES")?;
            return Ok(Stmt::ShowTables);
        }
        if self.kw("CHANGE") {
            self.expect_kw("MASTER")?;
            self.expect_kw("TO")?;
            let mut opts = Vec::new();
            loop {
                let name = self.name()?.to_ascii_uppercase();
                self.expect_sym("=")?;
                let v = match self.t.get(self.i) {
                    Some((Tok::Str(s), _)) => Value::Text(s.clone()),
                    Some((Tok::Int(n), _)) => Value::Int(*n),
                    _ => return Err(self.here()),
                };
                self.i += 1;
                opts.push((name, v));
                if !self.sym(",") {
                    break;
                }
            }
            return Ok(Stmt::ChangeMaster(opts));
        }
        if self.kw("START") {
            if !self.kw("SLAVE") {
                self.expect_kw("REPLICA")?;
            }
            return Ok(Stmt::StartSlave);
        }
        if self.kw("STOP") {
            if !self.kw("SLAVE") {
                self.expect_kw("REPLICA")?;
            }
            return Ok(Stmt::StopSlave);
        }
        if self.kw("SET") || self.kw("FLUSH") {
            self.i = self.t.len();
            return Ok(Stmt::Noop);
        }
        if self.kw("BEGIN") || self.kw("COMMIT") || self.kw("ROLLBACK") {
            return Ok(Stmt::Noop);
        }
        Err(self.here())
    }

    /// A column type with its arguments (`VARCHAR(250)`, `INT NOT NULL`), kept as text.
    fn column_type(&mut self) -> R<String> {
        let mut ty = self.name()?.to_ascii_uppercase();
        if self.sym("(") {
            let from = self.i;
            self.skip_to_close()?;
            let inner: Vec<String> = self.t[from..self.i - 1]
                .iter()
                .map(|(t, _)| match t {
                    Tok::Int(n) => n.to_string(),
                    _ => ",".to_string(),
                })
                .collect();
            ty = format!("{ty}({})", inner.concat());
        }
        // Constraints and attributes up to the next column.
        while let Some((t, _)) = self.t.get(self.i) {
            match t {
                Tok::Sym(",") | Tok::Sym(")") => break,
                Tok::Sym("(") => {
                    self.i += 1;
                    self.skip_to_close()?;
                }
                _ => self.i += 1,
            }
        }
        Ok(ty)
    }

    fn skip_group(&mut self) -> R<()> {
        while !matches!(self.t.get(self.i), Some((Tok::Sym("("), _)) | None) {
            self.i += 1;
        }
        self.expect_sym("(")?;
        self.skip_to_close()
    }

    /// Skips to just after the `)` closing an already opened `(`.
    fn skip_to_close(&mut self) -> R<()> {
        let mut depth = 1;
        while depth > 0 {
            match self.t.get(self.i) {
                None => return Err(self.here()),
                Some((Tok::Sym("("), _)) => depth += 1,
                Some((Tok::Sym(")"), _)) => depth -= 1,
                _ => {}
            }
            self.i += 1;
        }
        Ok(())
    }

    fn select(&mut self) -> R<Select> {
        let mut items = Vec::new();
        loop {
            let start = self.t.get(self.i).map_or(self.end, |(_, at)| *at);
            let e = if self.sym("*") { Expr::Star } else { self.expr()? };
            let stop = self.t.get(self.i).map_or(self.end, |(_, at)| *at);
            let mut name = self.src.get(start..stop).unwrap_or("").trim_end().to_string();
            if self.kw("AS") {
                name = self.name()?;
            } else if let Some((Tok::Ident { text, .. }, _)) = self.t.get(self.i) {
                if !is_clause(text) {
                    name = text.clone();
                    self.i += 1;
                }
            }
            items.push((e, name));
            if !self.sym(",") {
                break;
            }
        }
        let from = if self.kw("FROM") { Some(self.table()?) } else { None };
        let filter = if self.kw("WHERE") { Some(self.expr()?) } else { None };
        let mut order = Vec::new();
        if self.kw("ORDER") {
            self.expect_kw("BY")?;
            loop {
                let e = self.expr()?;
                let desc = if self.kw("DESC") {
                    true
                } else {
                    self.kw("ASC");
                    false
                };
                order.push((e, desc));
                if !self.sym(",") {
                    break;
                }
            }
        }
        let limit = if self.kw("LIMIT") {
            match self.t.get(self.i) {
                Some((Tok::Int(n), _)) => {
                    self.i += 1;
                    Some(u64::try_from(*n).unwrap_or(0))
                }
                _ => return Err(self.here()),
            }
        } else {
            None
        };
        Ok(Select { items, from, filter, order, limit })
    }

    fn expr(&mut self) -> R<Expr> {
        let mut l = self.and()?;
        while self.kw("OR") {
            l = Expr::Bin(Box::new(l), "OR", Box::new(self.and()?));
        }
        Ok(l)
    }
    fn and(&mut self) -> R<Expr> {
        let mut l = self.not()?;
        while self.kw("AND") {
            l = Expr::Bin(Box::new(l), "AND", Box::new(self.not()?));
        }
        Ok(l)
    }
    fn not(&mut self) -> R<Expr> {
        if self.kw("NOT") {
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.cmp()
    }
    fn cmp(&mut self) -> R<Expr> {
        let l = self.sum()?;
        if self.kw("IS") {
            let not = self.kw("NOT");
            self.expect_kw("NULL")?;
            return Ok(Expr::IsNull(Box::new(l), !not));
        }
        for op in ["=", "<>", "!=", "<=", ">=", "<", ">"] {
            if self.sym(op) {
                let op = if op == "!=" { "<>" } else { op };
                let op: &'static str = ["=", "<>", "<=", ">=", "<", ">"].into_iter().find(|o| *o == op).unwrap_or("=");
                return Ok(Expr::Bin(Box::new(l), op, Box::new(self.sum()?)));
            }
        }
        if self.kw("LIKE") {
            return Ok(Expr::Bin(Box::new(l), "LIKE", Box::new(self.sum()?)));
        }
        Ok(l)
    }
    fn sum(&mut self) -> R<Expr> {
        let mut l = self.term()?;
        loop {
            let op = if self.sym("+") {
                "+"
            } else if self.sym("-") {
                "-"
            } else {
                return Ok(l);
            };
            l = Expr::Bin(Box::new(l), op, Box::new(self.term()?));
        }
    }
    fn term(&mut self) -> R<Expr> {
        let mut l = self.atom()?;
        loop {
            let op = if self.sym("*") {
                "*"
            } else if self.sym("/") {
                "/"
            } else {
                return Ok(l);
            };
            l = Expr::Bin(Box::new(l), op, Box::new(self.atom()?));
        }
    }
    fn atom(&mut self) -> R<Expr> {
        let Some((t, _)) = self.t.get(self.i).cloned() else { return Err(self.here()) };
        self.i += 1;
        Ok(match t {
            Tok::Int(n) => Expr::Lit(Value::Int(n)),
            Tok::Str(s) => Expr::Lit(Value::Text(s)),
            Tok::SysVar(v) => Expr::SysVar(v),
            Tok::Sym("-") => Expr::Neg(Box::new(self.atom()?)),
            Tok::Sym("(") => {
                let e = self.expr()?;
                self.expect_sym(")")?;
                e
            }
            Tok::Ident { text, quoted } => {
                if !quoted && text.eq_ignore_ascii_case("NULL") {
                    return Ok(Expr::Lit(Value::Null));
                }
                if !quoted && (text.eq_ignore_ascii_case("TRUE") || text.eq_ignore_ascii_case("FALSE")) {
                    return Ok(Expr::Lit(Value::Int(i64::from(text.eq_ignore_ascii_case("TRUE")))));
                }
                if self.sym("(") {
                    let mut args = Vec::new();
                    if !self.sym(")") {
                        loop {
                            args.push(if self.sym("*") { Expr::Star } else { self.expr()? });
                            if !self.sym(",") {
                                break;
                            }
                        }
                        self.expect_sym(")")?;
                    }
                    return Ok(Expr::Call(text.to_ascii_uppercase(), args));
                }
                if self.sym(".") {
                    // `t.col`: tables are never joined, so the qualifier only names the table.
                    return Ok(Expr::Col(self.name()?));
                }
                if !quoted && is_clause(&text) {
                    self.i -= 1;
                    return Err(self.here());
                }
                Expr::Col(text)
            }
            _ => {
                self.i -= 1;
                return Err(self.here());
            }
        })
    }
}

fn is_clause(word: &str) -> bool {
    ["FROM", "WHERE", "ORDER", "LIMIT", "GROUP", "AND", "OR", "ASC", "DESC", "AS", "SET", "VALUES"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(word))
}
