//! awk's tokens. A `/` starts a regular expression where an operand is expected, and divides
//! after one; newlines end statements except after `{`, `&&`, `||`, `,`, `do`, `else` and `;`.

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Num(f64),
    Str(String),
    Regex(String),
    Name(String),
    /// A user function name directly followed by `(`.
    FuncName(String),
    Builtin(String),
    Kw(&'static str),
    Op(&'static str),
    Newline,
    Eof,
}

const KEYWORDS: [&str; 17] = [
    "BEGIN", "END", "function", "func", "if", "else", "while", "for", "do", "break", "continue", "next", "nextfile",
    "exit", "return", "delete", "in",
];
const KEYWORDS2: [&str; 3] = ["getline", "print", "printf"];
pub const BUILTINS: [&str; 22] = [
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "tolower", "toupper", "int", "sqrt",
    "exp", "log", "sin", "cos", "atan2", "rand", "srand", "system", "close", "fflush",
];
const OPS: [&str; 41] = [
    "+=", "-=", "*=", "/=", "%=", "^=", "**=", "**", "==", "<=", ">=", "!=", "++", "--", "&&", "||", ">>", "!~", "{",
    "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!", ">", "<", "|", "?", ":", "~", "$", "=",
];

/// The tokens of `src` with the line each starts on; `Err` is (line, message).
pub fn lex(src: &str) -> Result<Vec<(Tok, u32)>, (u32, String)> {
    let c: Vec<char> = src.chars().collect();
    let (mut i, mut line, mut out) = (0, 1u32, Vec::<(Tok, u32)>::new());
    while i < c.len() {
        let ch = c[i];
        if ch == '\\' && c.get(i + 1) == Some(&'\n') {
            i += 2;
            line += 1;
            continue;
        }
        if ch == ' ' || ch == '\t' || ch == '\r' {
            i += 1;
            continue;
        }
        if ch == '#' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if ch == '\n' {
            out.push((Tok::Newline, line));
            line += 1;
            i += 1;
            continue;
        }
        if ch == '"' {
            let mut s = String::new();
            i += 1;
            loop {
                match c.get(i) {
                    None | Some('\n') => return Err((line, "runaway string constant".into())),
                    Some('"') => break,
                    Some('\\') => {
                        i += 1;
                        let (v, used) = escape(&c[i..]);
                        s.push_str(&v);
                        i += used;
                        continue;
                    }
                    Some(x) => s.push(*x),
                }
                i += 1;
            }
            i += 1;
            out.push((Tok::Str(s), line));
            continue;
        }
        if ch == '/' && expects_operand(out.last().map(|t| &t.0)) {
            let mut s = String::new();
            i += 1;
            let mut in_class = false;
            loop {
                match c.get(i) {
                    None | Some('\n') => return Err((line, "runaway regular expression".into())),
                    Some('/') if !in_class => break,
                    Some('\\') if c.get(i + 1) == Some(&'/') => {
                        s.push('/');
                        i += 1;
                    }
                    Some('\\') => {
                        s.push('\\');
                        if let Some(x) = c.get(i + 1) {
                            s.push(*x);
                        }
                        i += 1;
                    }
                    Some('[') => {
                        in_class = true;
                        s.push('[');
                        if c.get(i + 1) == Some(&']') {
                            s.push(']');
                            i += 1;
                        }
                    }
                    Some(']') => {
                        in_class = false;
                        s.push(']');
                    }
                    Some(x) => s.push(*x),
                }
                i += 1;
            }
            i += 1;
            out.push((Tok::Regex(s), line));
            continue;
        }
        if ch.is_ascii_digit() || (ch == '.' && c.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let start = i;
            while i < c.len() && (c[i].is_ascii_digit() || c[i] == '.') {
                i += 1;
            }
            if i < c.len() && (c[i] == 'e' || c[i] == 'E') {
                let mut j = i + 1;
                if j < c.len() && (c[j] == '+' || c[j] == '-') {
                    j += 1;
                }
                if j < c.len() && c[j].is_ascii_digit() {
                    i = j;
                    while i < c.len() && c[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let text: String = c[start..i].iter().collect();
            out.push((Tok::Num(super::value::str_to_num(&text)), line));
            continue;
        }
        if ch.is_ascii_alphabetic() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            let w: String = c[start..i].iter().collect();
            let tok = if let Some(k) = KEYWORDS.iter().chain(KEYWORDS2.iter()).find(|k| **k == w) {
                Tok::Kw(k)
            } else if BUILTINS.contains(&w.as_str()) {
                Tok::Builtin(w)
            } else if c.get(i) == Some(&'(') {
                Tok::FuncName(w)
            } else {
                Tok::Name(w)
            };
            out.push((tok, line));
            continue;
        }
        let rest: String = c[i..(i + 3).min(c.len())].iter().collect();
        let Some(op) = OPS.iter().find(|o| rest.starts_with(**o)) else {
            return Err((line, format!("syntax error at or near {ch}")));
        };
        i += op.chars().count();
        out.push((Tok::Op(op), line));
    }
    out.push((Tok::Eof, line));
    Ok(out)
}

/// Whether a `/` after `prev` starts a regular expression (no operand before it).
fn expects_operand(prev: Option<&Tok>) -> bool {
    match prev {
        None => true,
        Some(Tok::Num(_) | Tok::Str(_) | Tok::Name(_) | Tok::Regex(_) | Tok::Builtin(_)) => false,
        Some(Tok::Op(o)) => !matches!(*o, ")" | "]" | "$" | "++" | "--"),
        _ => true,
    }
}

/// The escape after a backslash in a string: its text and how many characters it used.
pub fn escape(c: &[char]) -> (String, usize) {
    match c.first() {
        None => ("\\".into(), 0),
        Some('n') => ("\n".into(), 1),
        Some('t') => ("\t".into(), 1),
        Some('r') => ("\r".into(), 1),
        Some('\\') => ("\\".into(), 1),
        Some('"') => ("\"".into(), 1),
        Some('/') => ("/".into(), 1),
        Some('a') => ("\x07".into(), 1),
        Some('b') => ("\x08".into(), 1),
        Some('f') => ("\x0c".into(), 1),
        Some('v') => ("\x0b".into(), 1),
        Some(d) if d.is_digit(8) => {
            let n = c.iter().take(3).take_while(|x| x.is_digit(8)).count();
            let s: String = c[..n].iter().collect();
            let v = u32::from_str_radix(&s, 8).unwrap_or(0);
            (char::from_u32(v).unwrap_or('?').to_string(), n)
        }
        // Unknown escapes keep their backslash (mawk): "\." stays `\.` for a dynamic regex.
        Some(x) => (format!("\\{x}"), 1),
    }
}
