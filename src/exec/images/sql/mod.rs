//! The SQL subset MySQL and PostgreSQL share here: tokens, statements, and their execution
//! over tables stored as files in the server's data directory.

pub mod ast;
pub mod engine;
pub mod lex;
pub mod parse;

/// Splits a script into statements at `;` outside quotes, each with the line it starts on.
pub fn statements(script: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut line = 1;
    let mut start = 1;
    let mut quote: Option<char> = None;
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) if c == '\\' => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
                continue;
            }
            Some(_) => {}
            None if c == '\'' || c == '"' || c == '`' => quote = Some(c),
            None if c == ';' => {
                if !cur.trim().is_empty() {
                    out.push((start, cur.trim().to_string()));
                }
                cur.clear();
                start = line;
                continue;
            }
            None if c == '-' && chars.peek() == Some(&'-') && cur.trim().is_empty() => {
                // A comment line: skip to its end.
                for n in chars.by_ref() {
                    if n == '\n' {
                        line += 1;
                        break;
                    }
                }
                start = line;
                continue;
            }
            None => {}
        }
        if cur.trim().is_empty() && c.is_whitespace() {
            if c == '\n' {
                start = line;
            }
            continue;
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        out.push((start, cur.trim().to_string()));
    }
    out
}
