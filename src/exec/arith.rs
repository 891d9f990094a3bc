//! `$(( ... ))`: integer arithmetic with C precedence, as POSIX shells do it.

/// Nesting limit of parentheses and variable references inside one expression.
const MAX_ARITH_DEPTH: u32 = 64;

struct Ev<'a> {
    toks: Vec<String>,
    pos: usize,
    get: &'a dyn Fn(&str) -> Option<String>,
    assigned: &'a mut Vec<(String, i64)>,
    depth: u32,
}

/// Evaluates `expr`; assignments (`i=i+1`, `x+=2`) are returned in `assigned`.
pub fn eval(
    expr: &str,
    get: &dyn Fn(&str) -> Option<String>,
    assigned: &mut Vec<(String, i64)>,
) -> Result<i64, String> {
    eval_depth(expr, get, assigned, 0)
}

fn eval_depth(
    expr: &str,
    get: &dyn Fn(&str) -> Option<String>,
    assigned: &mut Vec<(String, i64)>,
    depth: u32,
) -> Result<i64, String> {
    if depth > MAX_ARITH_DEPTH {
        return Err("expression recursion level exceeded".into());
    }
    let toks = tokens(expr)?;
    if toks.is_empty() {
        return Ok(0);
    }
    let mut ev = Ev { toks, pos: 0, get, assigned, depth };
    let v = ev.binary(0)?;
    if ev.pos < ev.toks.len() {
        return Err("expecting EOF".into());
    }
    Ok(v)
}

fn tokens(s: &str) -> Result<Vec<String>, String> {
    let c: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
        } else if ch.is_ascii_alphanumeric() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push(c[start..i].iter().collect());
        } else {
            let two: String = c[i..(i + 2).min(c.len())].iter().collect();
            let ops2 = ["<=", ">=", "==", "!=", "&&", "||", "<<", ">>", "+=", "-=", "*=", "/=", "%="];
            if ops2.contains(&two.as_str()) {
                out.push(two);
                i += 2;
            } else if "+-*/%()<>!~&|^=?:".contains(ch) {
                out.push(ch.to_string());
                i += 1;
            } else {
                return Err("expecting primary".into());
            }
        }
    }
    Ok(out)
}

fn prec(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "|" => 3,
        "^" => 4,
        "&" => 5,
        "==" | "!=" => 6,
        "<" | ">" | "<=" | ">=" => 7,
        "<<" | ">>" => 8,
        "+" | "-" => 9,
        "*" | "/" | "%" => 10,
        _ => return None,
    })
}

impl Ev<'_> {
    fn peek(&self) -> Option<&str> {
        self.toks.get(self.pos).map(String::as_str)
    }

    fn binary(&mut self, min: u8) -> Result<i64, String> {
        let mut left = self.unary()?;
        while let Some(op) = self.peek().map(str::to_string) {
            let Some(p) = prec(&op) else { break };
            if p < min {
                break;
            }
            self.pos += 1;
            let right = self.binary(p + 1)?;
            left = apply(&op, left, right)?;
        }
        if min == 0 && self.peek() == Some("?") {
            self.pos += 1;
            let a = self.binary(0)?;
            if self.peek() != Some(":") {
                return Err("expecting ':'".into());
            }
            self.pos += 1;
            let b = self.binary(0)?;
            return Ok(if left != 0 { a } else { b });
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > MAX_ARITH_DEPTH * 4 {
            return Err("expression recursion level exceeded".into());
        }
        let r = self.unary_inner();
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> Result<i64, String> {
        let Some(t) = self.peek().map(str::to_string) else { return Err("expecting primary".into()) };
        self.pos += 1;
        match t.as_str() {
            "-" => Ok(self.unary()?.wrapping_neg()),
            "+" => self.unary(),
            "!" => Ok(i64::from(self.unary()? == 0)),
            "~" => Ok(!self.unary()?),
            "(" => {
                let v = self.binary(0)?;
                if self.peek() != Some(")") {
                    return Err("expecting ')'".into());
                }
                self.pos += 1;
                Ok(v)
            }
            _ if t.starts_with(|c: char| c.is_ascii_digit()) => number(&t),
            _ if t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') => self.variable(t),
            _ => Err("expecting primary".into()),
        }
    }

    fn variable(&mut self, name: String) -> Result<i64, String> {
        let current = self.value_of(&name)?;
        let op = self.peek().map(str::to_string);
        match op.as_deref() {
            Some("=" | "+=" | "-=" | "*=" | "/=" | "%=") => {
                let op = op.unwrap_or_default();
                self.pos += 1;
                let rhs = self.binary(0)?;
                let v = if op == "=" { rhs } else { apply(&op[..1], current, rhs)? };
                self.assigned.push((name, v));
                Ok(v)
            }
            _ => Ok(current),
        }
    }

    fn value_of(&mut self, name: &str) -> Result<i64, String> {
        if let Some((_, v)) = self.assigned.iter().rev().find(|(n, _)| n == name) {
            return Ok(*v);
        }
        let raw = (self.get)(name).unwrap_or_default();
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(0);
        }
        if let Ok(n) = number(raw) {
            return Ok(n);
        }
        let mut nested = Vec::new();
        eval_depth(raw, self.get, &mut nested, self.depth + 1)
    }
}

fn number(t: &str) -> Result<i64, String> {
    let r = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        i64::from_str_radix(h, 16)
    } else if t.len() > 1 && t.starts_with('0') {
        i64::from_str_radix(&t[1..], 8)
    } else {
        t.parse()
    };
    r.map_err(|_| "expecting EOF".to_string())
}

fn apply(op: &str, a: i64, b: i64) -> Result<i64, String> {
    Ok(match op {
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return Err("division by zero".into()),
        "/" => a.wrapping_div(b),
        "%" => a.wrapping_rem(b),
        "<" => i64::from(a < b),
        ">" => i64::from(a > b),
        "<=" => i64::from(a <= b),
        ">=" => i64::from(a >= b),
        "==" => i64::from(a == b),
        "!=" => i64::from(a != b),
        "&&" => i64::from(a != 0 && b != 0),
        "||" => i64::from(a != 0 || b != 0),
        "&" => a & b,
        "|" => a | b,
        "^" => a ^ b,
        "<<" => a.wrapping_shl(b as u32),
        ">>" => a.wrapping_shr(b as u32),
        _ => return Err("expecting primary".into()),
    })
}
