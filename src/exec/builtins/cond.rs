//! `[[ expr ]]` (bash): `!`, `&&`, `||`, parentheses, the unary file and string tests of
//! `test`, `==`/`!=` (pattern match), `=~` (ERE, filling `BASH_REMATCH`), `<`, `>` and the
//! arithmetic comparisons. Its words arrive unsplit and unglobbed (`exec/cond.rs`).

use super::super::glob;
use super::super::interp::{Res, Shell};
use super::super::io::Io;
use super::regex::Regex;

pub fn cond(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let mut p = Cond { a: &argv[1..], i: 0 };
    match p.or(sh, io) {
        Ok(b) if p.i == p.a.len() => Ok(i32::from(!b)),
        Ok(_) => syntax(sh, io, p.a.get(p.i).map_or("]]", String::as_str)),
        Err(tok) => syntax(sh, io, &tok),
    }
}

fn syntax(sh: &Shell, io: &mut Io, tok: &str) -> Res {
    io.err(&sh.diag(&format!("syntax error in conditional expression: unexpected token `{tok}'")));
    Ok(2)
}

struct Cond<'a> {
    a: &'a [String],
    i: usize,
}

const UNARY: &[&str] =
    &["-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-L", "-n", "-p", "-r", "-s", "-S", "-t", "-u", "-w", "-x", "-z"];

impl Cond<'_> {
    fn peek(&self) -> Option<&str> {
        self.a.get(self.i).map(String::as_str)
    }

    fn take(&mut self) -> Result<String, String> {
        let w = self.a.get(self.i).cloned().ok_or_else(|| "]]".to_string())?;
        self.i += 1;
        Ok(w)
    }

    fn or(&mut self, sh: &mut Shell, io: &mut Io) -> Result<bool, String> {
        let mut v = self.and(sh, io)?;
        while self.peek() == Some("||") {
            self.i += 1;
            let r = self.and(sh, io)?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self, sh: &mut Shell, io: &mut Io) -> Result<bool, String> {
        let mut v = self.not(sh, io)?;
        while self.peek() == Some("&&") {
            self.i += 1;
            let r = self.not(sh, io)?;
            v = v && r;
        }
        Ok(v)
    }

    fn not(&mut self, sh: &mut Shell, io: &mut Io) -> Result<bool, String> {
        if self.peek() == Some("!") {
            self.i += 1;
            return Ok(!self.not(sh, io)?);
        }
        self.primary(sh, io)
    }

    fn primary(&mut self, sh: &mut Shell, io: &mut Io) -> Result<bool, String> {
        let first = self.take()?;
        if first == "(" {
            let v = self.or(sh, io)?;
            return match self.take()? {
                close if close == ")" => Ok(v),
                other => Err(other),
            };
        }
        if UNARY.contains(&first.as_str()) && self.peek().is_some_and(|n| !matches!(n, "&&" | "||" | ")")) {
            let operand = self.take()?;
            let argv = vec!["test".to_string(), first, operand];
            return Ok(matches!(super::test::test(sh, io, &argv), Ok(0)));
        }
        let Some(op) = self.peek().map(str::to_string) else { return Ok(!first.is_empty()) };
        let binary = ["==", "=", "!=", "=~", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"];
        if !binary.contains(&op.as_str()) {
            return Ok(!first.is_empty());
        }
        self.i += 1;
        let right = self.take()?;
        Ok(match op.as_str() {
            "==" | "=" => glob::matches(&right, &first),
            "!=" => !glob::matches(&right, &first),
            "<" => first < right,
            ">" => first > right,
            "=~" => regex_match(sh, &first, &right)?,
            "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge" => {
                let (l, r) = (integer(&first), integer(&right));
                match op.as_str() {
                    "-eq" => l == r,
                    "-ne" => l != r,
                    "-lt" => l < r,
                    "-le" => l <= r,
                    "-gt" => l > r,
                    _ => l >= r,
                }
            }
            _ => false,
        })
    }
}

/// An operand of an arithmetic comparison: a number, else 0 (an unset name's value).
fn integer(s: &str) -> i64 {
    s.trim().parse().unwrap_or(0)
}

/// `text =~ pattern`: sets `BASH_REMATCH[0..]` (and `BASH_REMATCH`) on a match.
fn regex_match(sh: &mut Shell, text: &str, pattern: &str) -> Result<bool, String> {
    // bash hands the pattern to regcomp; `*?` and `+?` mean the same as `*` and `+` there.
    let pattern = pattern.replace("*?", "*").replace("+?", "+");
    let Ok(re) = Regex::new(&pattern, true, false) else { return Ok(false) };
    let chars: Vec<char> = text.chars().collect();
    let stale: Vec<String> = sh.env.vars.keys().filter(|k| k.starts_with("BASH_REMATCH")).cloned().collect();
    for k in stale {
        sh.env.vars.remove(&k);
    }
    let Some(caps) = re.find_at(&chars, 0) else { return Ok(false) };
    for (i, cap) in caps.iter().enumerate() {
        let s: String = cap.map(|(a, b)| chars[a..b].iter().collect()).unwrap_or_default();
        if i == 0 {
            sh.set_var("BASH_REMATCH", s.clone());
        }
        sh.set_var(&format!("BASH_REMATCH[{i}]"), s);
    }
    Ok(true)
}
