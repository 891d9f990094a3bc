//! A small backtracking regular-expression engine for grep and sed: POSIX basic and extended
//! syntax (with GNU's `\+ \? \|` in basic), bracket expressions, groups and `\1`-style captures.
//! Every search has a step budget, so a pathological pattern fails instead of running forever.

/// Steps one search may take before it gives up (as no match).
const MAX_STEPS: usize = 2_000_000;
/// Nested matcher calls allowed (the matcher recurses once per pattern node matched).
const MAX_REC: usize = 1_000;

#[derive(Debug, Clone)]
enum Node {
    Char(char),
    Any,
    /// Ranges, negated?
    Class(Vec<(char, char)>, bool),
    Start,
    End,
    Group(Vec<Vec<Node>>, usize),
    Repeat(Box<Node>, usize, usize),
    WordChar(bool),
}

#[derive(Debug, Clone)]
pub struct Regex {
    alts: Vec<Vec<Node>>,
    groups: usize,
    icase: bool,
}

/// A match: whole span and group spans, in char indices.
pub type Caps = Vec<Option<(usize, usize)>>;

struct P<'a> {
    c: &'a [char],
    i: usize,
    ere: bool,
    groups: usize,
}

impl Regex {
    pub fn new(pat: &str, ere: bool, icase: bool) -> Result<Regex, String> {
        let chars: Vec<char> = pat.chars().collect();
        let mut p = P { c: &chars, i: 0, ere, groups: 0 };
        let alts = p.alt(0)?;
        if p.i < chars.len() {
            return Err("Unmatched ) or \\)".into());
        }
        Ok(Regex { alts, groups: p.groups, icase })
    }

    /// The leftmost match in `text` at or after char index `from`.
    pub fn find_at(&self, text: &[char], from: usize) -> Option<Caps> {
        let mut m = M { t: text, icase: self.icase, steps: 0, depth: 0, caps: vec![None; self.groups + 1] };
        for start in from..=text.len() {
            m.caps.iter_mut().for_each(|c| *c = None);
            let mut end = None;
            let root = Node::Group(self.alts.clone(), 0);
            if m.node(&root, start, &mut |_, e| {
                end = Some(e);
                true
            }) {
                let mut caps = m.caps.clone();
                caps[0] = end.map(|e| (start, e));
                return Some(caps);
            }
            if m.steps > MAX_STEPS {
                return None;
            }
        }
        None
    }

    pub fn is_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        self.find_at(&chars, 0).is_some()
    }
}

impl P<'_> {
    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }
    fn at(&self, s: &str) -> bool {
        s.chars().enumerate().all(|(k, ch)| self.c.get(self.i + k) == Some(&ch))
    }
    fn alt_sep(&self) -> bool {
        if self.ere {
            self.at("|")
        } else {
            self.at("\\|")
        }
    }
    fn close(&self) -> bool {
        if self.ere {
            self.at(")")
        } else {
            self.at("\\)")
        }
    }

    fn alt(&mut self, depth: usize) -> Result<Vec<Vec<Node>>, String> {
        if depth > 50 {
            return Err("nesting too deep".into());
        }
        let mut alts = vec![self.seq(depth)?];
        while self.alt_sep() {
            self.i += if self.ere { 1 } else { 2 };
            alts.push(self.seq(depth)?);
        }
        Ok(alts)
    }

    fn seq(&mut self, depth: usize) -> Result<Vec<Node>, String> {
        let mut seq: Vec<Node> = Vec::new();
        while self.peek().is_some() && !self.alt_sep() && !(depth > 0 && self.close()) {
            if self.ere && self.at(")") && depth == 0 {
                return Err("Unmatched ) or \\)".into());
            }
            let atom = self.atom(depth, seq.is_empty())?;
            let atom = self.quantifiers(atom)?;
            seq.push(atom);
        }
        Ok(seq)
    }

    fn quantifiers(&mut self, mut atom: Node) -> Result<Node, String> {
        loop {
            let (min, max, len) = if self.at("*") {
                (0, usize::MAX, 1)
            } else if self.ere && self.at("+") || !self.ere && self.at("\\+") {
                (1, usize::MAX, if self.ere { 1 } else { 2 })
            } else if self.ere && self.at("?") || !self.ere && self.at("\\?") {
                (0, 1, if self.ere { 1 } else { 2 })
            } else if self.ere && self.at("{") || !self.ere && self.at("\\{") {
                self.i += if self.ere { 1 } else { 2 };
                let (a, b) = self.bounds()?;
                (a, b, 0)
            } else {
                return Ok(atom);
            };
            self.i += len;
            atom = Node::Repeat(Box::new(atom), min, max);
        }
    }

    fn bounds(&mut self) -> Result<(usize, usize), String> {
        let end_tok = if self.ere { "}" } else { "\\}" };
        let mut body = String::new();
        while !self.at(end_tok) {
            let Some(c) = self.peek() else { return Err("Unmatched \\{".into()) };
            body.push(c);
            self.i += 1;
        }
        self.i += end_tok.len();
        let num = |s: &str| s.trim().parse::<usize>().map_err(|_| "Invalid content of \\{\\}".to_string());
        Ok(match body.split_once(',') {
            None => (num(&body)?, num(&body)?),
            Some((a, "")) => (num(a)?, usize::MAX),
            Some((a, b)) => (if a.is_empty() { 0 } else { num(a)? }, num(b)?),
        })
    }

    fn atom(&mut self, depth: usize, first: bool) -> Result<Node, String> {
        let c = self.peek().unwrap_or_default();
        self.i += 1;
        Ok(match c {
            '.' => Node::Any,
            '^' if self.ere || first => Node::Start,
            '$' if self.ere || self.peek().is_none() || self.close() || self.alt_sep() => Node::End,
            '[' => self.bracket()?,
            '(' if self.ere => self.group(depth)?,
            '*' if first => Node::Char('*'),
            '\\' => {
                let n = self.peek().ok_or("Trailing backslash")?;
                self.i += 1;
                match n {
                    '(' if !self.ere => self.group(depth)?,
                    'w' => Node::WordChar(true),
                    'W' => Node::WordChar(false),
                    's' => Node::Class(vec![(' ', ' '), ('\t', '\t'), ('\n', '\n'), ('\r', '\r')], false),
                    'S' => Node::Class(vec![(' ', ' '), ('\t', '\t'), ('\n', '\n'), ('\r', '\r')], true),
                    'n' => Node::Char('\n'),
                    't' => Node::Char('\t'),
                    other => Node::Char(other),
                }
            }
            other => Node::Char(other),
        })
    }

    fn group(&mut self, depth: usize) -> Result<Node, String> {
        self.groups += 1;
        let idx = self.groups;
        let alts = self.alt(depth + 1)?;
        if !self.close() {
            return Err("Unmatched ( or \\(".into());
        }
        self.i += if self.ere { 1 } else { 2 };
        Ok(Node::Group(alts, idx))
    }

    fn bracket(&mut self) -> Result<Node, String> {
        let negate = self.peek() == Some('^');
        if negate {
            self.i += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else { return Err("Unmatched [, [^, [:, [., or [=".into()) };
            if c == ']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            if self.at("[:") {
                let end = (self.i..self.c.len()).find(|k| self.c[*k] == ':' && self.c.get(k + 1) == Some(&']'));
                let Some(end) = end else { return Err("Unmatched [, [^, [:, [., or [=".into()) };
                let name: String = self.c[self.i + 2..end].iter().collect();
                ranges.extend(class_ranges(&name).ok_or("Invalid character class name")?);
                self.i = end + 2;
                continue;
            }
            self.i += 1;
            if self.peek() == Some('-') && self.c.get(self.i + 1).is_some_and(|e| *e != ']') {
                let hi = self.c[self.i + 1];
                ranges.push((c, hi));
                self.i += 2;
            } else {
                ranges.push((c, c));
            }
        }
        Ok(Node::Class(ranges, negate))
    }
}

fn class_ranges(name: &str) -> Option<Vec<(char, char)>> {
    Some(match name {
        "digit" => vec![('0', '9')],
        "alpha" => vec![('a', 'z'), ('A', 'Z')],
        "alnum" => vec![('a', 'z'), ('A', 'Z'), ('0', '9')],
        "upper" => vec![('A', 'Z')],
        "lower" => vec![('a', 'z')],
        "space" => vec![(' ', ' '), ('\t', '\r')],
        "blank" => vec![(' ', ' '), ('\t', '\t')],
        "punct" => vec![('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        "xdigit" => vec![('0', '9'), ('a', 'f'), ('A', 'F')],
        _ => return None,
    })
}

struct M<'t> {
    t: &'t [char],
    icase: bool,
    steps: usize,
    depth: usize,
    caps: Caps,
}

type K<'k, 't> = &'k mut dyn FnMut(&mut M<'t>, usize) -> bool;

impl<'t> M<'t> {
    fn eq(&self, a: char, b: char) -> bool {
        a == b || (self.icase && a.to_lowercase().eq(b.to_lowercase()))
    }

    fn seq(&mut self, nodes: &[Node], pos: usize, k: K<'_, 't>) -> bool {
        match nodes.split_first() {
            None => k(self, pos),
            Some((n, rest)) => self.node(n, pos, &mut |m, p| m.seq(rest, p, k)),
        }
    }

    /// Whether a one-character node matches `x`; None for other nodes.
    fn single(&self, n: &Node, x: char) -> Option<bool> {
        Some(match n {
            Node::Char(c) => self.eq(x, *c),
            Node::Any => x != '\n',
            Node::Class(r, neg) => {
                let hit = r.iter().any(|(a, b)| {
                    (*a <= x && x <= *b)
                        || (self.icase && x.to_lowercase().chain(x.to_uppercase()).any(|y| *a <= y && y <= *b))
                });
                hit != *neg
            }
            Node::WordChar(want) => (x.is_alphanumeric() || x == '_') == *want,
            _ => return None,
        })
    }

    fn node(&mut self, n: &Node, pos: usize, k: K<'_, 't>) -> bool {
        self.steps += 1;
        if self.steps > MAX_STEPS || self.depth > MAX_REC {
            return false;
        }
        self.depth += 1;
        let r = self.node_inner(n, pos, k);
        self.depth -= 1;
        r
    }

    fn node_inner(&mut self, n: &Node, pos: usize, k: K<'_, 't>) -> bool {
        if let Some(x) = self.t.get(pos) {
            if let Some(hit) = self.single(n, *x) {
                return hit && k(self, pos + 1);
            }
        }
        match n {
            Node::Char(_) | Node::Any | Node::Class(..) | Node::WordChar(_) => false,
            Node::Start => pos == 0 && k(self, pos),
            Node::End => pos == self.t.len() && k(self, pos),
            Node::Group(alts, idx) => {
                let idx = *idx;
                for alt in alts {
                    let prev = self.caps[idx];
                    if self.seq(alt, pos, &mut |m, e| {
                        let before = m.caps[idx];
                        m.caps[idx] = Some((pos, e));
                        k(m, e) || {
                            m.caps[idx] = before;
                            false
                        }
                    }) {
                        return true;
                    }
                    self.caps[idx] = prev;
                }
                false
            }
            Node::Repeat(inner, min, max) => self.repeat(inner, *min, *max, 0, pos, k),
        }
    }

    fn repeat(&mut self, inner: &Node, min: usize, max: usize, count: usize, pos: usize, k: K<'_, 't>) -> bool {
        // One-character nodes repeat without recursion, so long lines cannot exhaust the stack.
        if matches!(inner, Node::Char(_) | Node::Any | Node::Class(..) | Node::WordChar(_)) {
            let mut n = 0;
            while n < max && self.t.get(pos + n).is_some_and(|x| self.single(inner, *x) == Some(true)) {
                n += 1;
            }
            for i in (min..=n).rev() {
                self.steps += 1;
                if self.steps > MAX_STEPS {
                    return false;
                }
                if k(self, pos + i) {
                    return true;
                }
            }
            return false;
        }
        if count < max
            && self
                .node(inner, pos, &mut |m, p| (p != pos || count < min) && m.repeat(inner, min, max, count + 1, p, k))
        {
            return true;
        }
        count >= min && k(self, pos)
    }
}
