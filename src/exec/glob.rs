//! Shell patterns: `fnmatch` and pathname expansion.

use super::fs::Fs;
use super::path;

/// Most paths one pattern may expand to.
pub const MAX_MATCHES: usize = 10_000;

/// Whether `text` matches the shell pattern `pat` (`*`, `?`, `[...]`, `\x`).
pub fn matches(pat: &str, text: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let step = match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
                continue;
            }
            Some('?') => Some(1),
            Some('[') => class(&p, pi, t[ti]).and_then(|(ok, len)| ok.then_some(len)),
            Some('\\') if pi + 1 < p.len() => (p[pi + 1] == t[ti]).then_some(2),
            Some(c) => (*c == t[ti]).then_some(1),
            None => None,
        };
        match step {
            Some(n) => {
                pi += n;
                ti += 1;
            }
            None => match star {
                // Let the last `*` swallow one more character and retry.
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// A bracket expression at `p[start]`: whether `c` is in it, and its length.
fn class(p: &[char], start: usize, c: char) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = matches!(p.get(i), Some('!' | '^'));
    if negate {
        i += 1;
    }
    let mut found = false;
    let mut first = true;
    while let Some(&ch) = p.get(i) {
        if ch == ']' && !first {
            return Some((found != negate, i + 1 - start));
        }
        first = false;
        if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|e| *e != ']') {
            if ch <= c && c <= p[i + 2] {
                found = true;
            }
            i += 3;
        } else {
            found |= ch == c;
            i += 1;
        }
    }
    // No closing bracket: `[` is an ordinary character.
    (c == '[').then_some((true, 1))
}

fn has_magic(s: &str) -> bool {
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if matches!(c, '*' | '?' | '[') {
            return true;
        }
    }
    false
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut escaped = false;
    for c in s.chars() {
        if c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        escaped = false;
        out.push(c);
    }
    out
}

/// Paths matching `pattern`, sorted; empty when none (the shell then keeps the word).
pub fn expand(fs: &mut Fs, cwd: &str, pattern: &str) -> Vec<String> {
    let absolute = pattern.starts_with('/');
    let mut results: Vec<String> = vec![String::new()];
    for comp in pattern.split('/').filter(|c| !c.is_empty()) {
        let mut next = Vec::new();
        for prefix in &results {
            let shown =
                |name: &str| if prefix.is_empty() && !absolute { name.to_string() } else { format!("{prefix}/{name}") };
            if !has_magic(comp) {
                next.push(shown(&unescape(comp)));
                continue;
            }
            let dir_user = if prefix.is_empty() {
                if absolute {
                    "/".to_string()
                } else {
                    ".".to_string()
                }
            } else {
                prefix.clone()
            };
            let Ok((dir, e)) = fs.stat(cwd, &dir_user) else { continue };
            if !e.is_dir() {
                continue;
            }
            for name in fs.children(&dir).unwrap_or_default() {
                if name.starts_with('.') && !comp.starts_with('.') {
                    continue;
                }
                if matches(comp, &name) && next.len() < MAX_MATCHES {
                    next.push(shown(&name));
                }
            }
        }
        results = next;
    }
    let mut out: Vec<String> = results
        .into_iter()
        .filter(|p| !p.is_empty())
        .filter(|p| fs.lookup(cwd, p).is_ok())
        .map(|p| if absolute && !p.starts_with('/') { path::join("/", &p) } else { p })
        .collect();
    out.sort();
    out
}
