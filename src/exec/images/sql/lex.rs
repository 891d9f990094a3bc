//! Tokens of the SQL both database images understand.

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A name or keyword (keywords compare case-insensitively); backquoted names are `quoted`.
    Ident {
        text: String,
        quoted: bool,
    },
    Int(i64),
    Str(String),
    /// `@@server_id`.
    SysVar(String),
    /// `( ) , ; * = < > <= >= <> != + - . /`
    Sym(&'static str),
}

/// A token and the byte offset where it starts (syntax errors quote the text from there).
pub type Spanned = (Tok, usize);

const SYMS: &[&str] = &["<=", ">=", "<>", "!=", "(", ")", ",", ";", "*", "=", "<", ">", "+", "-", ".", "/"];

/// Splits a statement into tokens; `Err(offset)` where no token starts.
pub fn tokens(src: &str) -> Result<Vec<Spanned>, usize> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i] as char;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c == '\'' || c == '"' || c == '`' {
            let mut text = String::new();
            i += 1;
            loop {
                let Some(&ch) = b.get(i) else { return Err(start) };
                if ch as char == c {
                    if b.get(i + 1) == Some(&ch) {
                        text.push(c);
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                if ch == b'\\' && c != '`' {
                    if let Some(&n) = b.get(i + 1) {
                        text.push(match n {
                            b'n' => '\n',
                            b't' => '\t',
                            b'0' => '\0',
                            _ => n as char,
                        });
                        i += 2;
                        continue;
                    }
                }
                let len = utf8_len(ch);
                text.push_str(src.get(i..i + len).unwrap_or(""));
                i += len;
            }
            out.push((if c == '`' { Tok::Ident { text, quoted: true } } else { Tok::Str(text) }, start));
            continue;
        }
        if c.is_ascii_digit() {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let n = src[start..i].parse().map_err(|_| start)?;
            out.push((Tok::Int(n), start));
            continue;
        }
        if c == '@' && b.get(i + 1) == Some(&b'@') {
            i += 2;
            let from = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
            out.push((Tok::SysVar(src[from..i].to_ascii_lowercase()), start));
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' || c == '$' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$') {
                i += 1;
            }
            out.push((Tok::Ident { text: src[start..i].to_string(), quoted: false }, start));
            continue;
        }
        let Some(sym) = SYMS.iter().find(|s| src[i..].starts_with(**s)) else { return Err(start) };
        i += sym.len();
        out.push((Tok::Sym(sym), start));
    }
    Ok(out)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}
