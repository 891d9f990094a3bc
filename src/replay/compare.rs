//! Output comparison like a careful reader: tables by column name, lines by whitespace-separated
//! words, generated values by shape with consistent bindings across the whole document.

use std::collections::HashMap;

use super::drift::{self, Drift};
use super::shape::{self, Class};

/// Document value ↔ replay value of every generated id seen so far.
#[derive(Debug, Default, Clone)]
pub struct Bindings {
    fwd: HashMap<(Class, String), (String, usize)>,
    rev: HashMap<(Class, String), (String, usize)>,
    /// The replay cluster's node names: wherever one is printed, the document shows its own.
    nodes: Vec<String>,
}

impl Bindings {
    pub fn set_nodes(&mut self, nodes: Vec<String>) {
        self.nodes = nodes;
    }

    fn is_node(&self, name: &str) -> bool {
        self.nodes.iter().any(|n| n == name)
    }

    /// The replay value a document value is bound to, in any class.
    fn lookup(&self, doc: &str) -> Option<&str> {
        self.fwd.iter().find(|((_, d), _)| d == doc).map(|(_, (g, _))| g.as_str())
    }

    /// Binds `doc` to `got` (first seen at document line `line`), or explains the inconsistency.
    fn bind(&mut self, class: Class, doc: &str, got: &str, line: usize) -> Result<(), String> {
        if let Some((was, at)) = self.fwd.get(&(class, doc.to_string())) {
            if was != got {
                return Err(format!(
                    "{} {doc} was {was} in the replay (line {at}), here the replay shows {got}",
                    class.label()
                ));
            }
            return Ok(());
        }
        if let Some((was, at)) = self.rev.get(&(class, got.to_string())) {
            if was != doc {
                return Err(format!(
                    "{} {got} in the replay already stands for {was} (line {at}), here the document shows {doc}",
                    class.label()
                ));
            }
        }
        self.fwd.insert((class, doc.to_string()), (got.to_string(), line));
        self.rev.insert((class, got.to_string()), (doc.to_string(), line));
        Ok(())
    }
}

/// What one comparison found.
#[derive(Debug, Default)]
pub struct Outcome {
    pub mismatches: Vec<String>,
    pub drift: Vec<Drift>,
    /// Trailing document lines taken as page text (plain-text documents only).
    pub ignored_tail: Vec<String>,
    /// Indexes (into the expected lines) of the lines that did not match.
    pub bad: Vec<usize>,
}

pub struct Where {
    /// Document line of the first expected output line.
    pub line: usize,
    /// The last command of a plain-text document: its output may run into the page's footer.
    pub may_have_tail: bool,
    /// Who shows the expected lines and who printed the others, as messages name them.
    pub shows: &'static str,
    pub printed: &'static str,
}

impl Where {
    /// Expected lines from the document at `line`, printed by `printed` (kstate or kubectl).
    pub fn document(line: usize, may_have_tail: bool, printed: &'static str) -> Where {
        Where { line, may_have_tail, shows: "the document", printed }
    }
}

/// Values of this column vary on a real cluster.
fn column_class(col: &str) -> Option<Class> {
    match col {
        "AGE" | "LAST SEEN" | "FIRST SEEN" | "DURATION" | "SINCE" => Some(Class::Age),
        "NODE" | "NOMINATED NODE" => Some(Class::Node),
        _ => None,
    }
}

/// One word of the document against one word of the replay.
fn word_match(e: &str, a: &str, age_ok: bool, b: &mut Bindings, line: usize) -> Result<(), String> {
    if e == a {
        return Ok(());
    }
    if age_ok && shape::is_age(e) && shape::is_age(a) {
        return Ok(());
    }
    if b.is_node(a) && shape::is_host_name(e) {
        // `kubectl get pod x --template {{.spec.nodeName}}`, `Node: ip-10-0-1-5.ec2.internal/10.0.1.5`.
        return b.bind(Class::Node, e, a, line);
    }
    // Split on punctuation that joins values (10.0.0.1:80, pvc/name, key=value) and compare parts.
    let ep = parts(e);
    let ap = parts(a);
    let same_skeleton = ep.iter().zip(&ap).all(|((v, s), (w, t))| v == w && (*v || s == t));
    if ep.len() != ap.len() || !same_skeleton {
        return Err(String::new());
    }
    for ((_, x), (_, y)) in ep.iter().zip(&ap) {
        if x == y {
            continue;
        }
        if b.is_node(y) && shape::is_host_name(x) {
            b.bind(Class::Node, x, y, line)?;
            continue;
        }
        match (shape::classify(x), shape::classify(y)) {
            (Some(cx), Some(cy)) if cx == cy => {
                if cx.binds() {
                    b.bind(cx, x, y, line)?;
                }
            }
            _ => match (shape::generated_suffix(x), shape::generated_suffix(y)) {
                (Some(i), Some(j)) if x[..i] == y[..j] => b.bind(Class::Suffix, x, y, line)?,
                _ => return Err(String::new()),
            },
        }
    }
    Ok(())
}

/// Values and the punctuation between them; `true` marks a value.
fn parts(s: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if ",:/=()\"'[]{}<>;".contains(c) {
            if start < i {
                out.push((true, &s[start..i]));
            }
            out.push((false, &s[i..i + c.len_utf8()]));
            start = i + c.len_utf8();
        }
    }
    if start < s.len() {
        out.push((true, &s[start..]));
    }
    out
}

/// A line (or a table cell) of the document against one of the replay, word by word.
fn line_match(e: &str, a: &str, col: Option<&str>, b: &mut Bindings, line: usize) -> Result<(), String> {
    let ew: Vec<&str> = e.split_whitespace().collect();
    let aw: Vec<&str> = a.split_whitespace().collect();
    if ew.len() != aw.len() {
        return Err(String::new());
    }
    let class = col.and_then(column_class);
    let event = matches!(ew.first(), Some(&"Normal") | Some(&"Warning"));
    let mut date_left = 0;
    for (k, (x, y)) in ew.iter().zip(&aw).enumerate() {
        if date_left > 0 {
            date_left -= 1;
            continue;
        }
        // `Fri, 27 Nov 2026 09:00:00 +0000`
        if x.len() == 4 && x.ends_with(',') && y.len() == 4 && y.ends_with(',') && is_weekday(&x[..3]) {
            date_left = 5;
            continue;
        }
        if class == Some(Class::Node) && x != y {
            b.bind(Class::Node, x, y, line)?;
            continue;
        }
        let next = ew.get(k + 1).copied().unwrap_or("");
        let age_ok = class == Some(Class::Age) || event || next.starts_with("ago") || x.starts_with('(');
        let (xs, ys) = (x.trim_start_matches('('), y.trim_start_matches('('));
        word_match(xs, ys, age_ok, b, line)?;
    }
    Ok(())
}

fn is_weekday(s: &str) -> bool {
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].contains(&s)
}

/// A line that looks like a table header: upper-case words.
pub fn is_header(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.len() >= 2
        && words.iter().any(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase()))
        && line.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || " -_()/.:%".contains(c))
}

const MULTI_WORD: [&str; 8] = [
    "ACCESS MODES",
    "RECLAIM POLICY",
    "NOMINATED NODE",
    "READINESS GATES",
    "LAST SEEN",
    "FIRST SEEN",
    "SERVICE ACCOUNT",
    "PORT(S)",
];

/// Header names and the character column each starts at.
fn header_columns(line: &str) -> Vec<(String, usize)> {
    let chars: Vec<char> = line.chars().collect();
    let mut cols: Vec<(String, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && !(chars[i] == ' ' && (i + 1 >= chars.len() || chars[i + 1] == ' ')) {
            i += 1;
        }
        let name: String = chars[start..i].iter().collect();
        if name.contains(' ') && !MULTI_WORD.contains(&name.as_str()) {
            // A hand-written header with single spaces: split it, keeping known two-word names.
            let words: Vec<&str> = name.split(' ').collect();
            let mut off = start;
            let mut k = 0;
            while k < words.len() {
                let pair = words.get(k + 1).map(|n| format!("{} {n}", words[k]));
                if let Some(p) = pair.filter(|p| MULTI_WORD.contains(&p.as_str())) {
                    cols.push((p.clone(), off));
                    off += p.chars().count() + 1;
                    k += 2;
                } else {
                    cols.push((words[k].to_string(), off));
                    off += words[k].chars().count() + 1;
                    k += 1;
                }
            }
        } else {
            cols.push((name, start));
        }
    }
    cols
}

/// Cells of a row, by header position; falls back to splitting on runs of spaces when the row is not
/// aligned under the header.
fn row_cells(row: &str, cols: &[(String, usize)]) -> Option<Vec<String>> {
    let chars: Vec<char> = row.chars().collect();
    let aligned = cols.iter().skip(1).all(|(_, s)| *s >= chars.len() || (*s > 0 && chars[*s - 1] == ' '));
    if aligned {
        let mut cells = Vec::new();
        for (k, (_, s)) in cols.iter().enumerate() {
            let end = cols.get(k + 1).map_or(chars.len(), |c| c.1).min(chars.len());
            let s = (*s).min(chars.len());
            cells.push(chars[s..end].iter().collect::<String>().trim().to_string());
        }
        return Some(cells);
    }
    let by_runs: Vec<String> = row.split("  ").map(str::trim).filter(|c| !c.is_empty()).map(String::from).collect();
    if by_runs.len() == cols.len() {
        return Some(by_runs);
    }
    let words: Vec<String> = row.split_whitespace().map(String::from).collect();
    (words.len() == cols.len()).then_some(words)
}

fn normalize(lines: &[String]) -> Vec<String> {
    let mut v: Vec<String> = lines.iter().map(|l| l.trim_end().to_string()).collect();
    while v.last().is_some_and(|l| l.is_empty()) {
        v.pop();
    }
    let lead = v.iter().take_while(|l| l.is_empty()).count();
    v.drain(..lead);
    v
}

fn segments(lines: &[String]) -> Vec<&[String]> {
    lines.split(|l| l.trim().is_empty()).filter(|s| !s.is_empty()).collect()
}

/// Compares what the document shows with what kstate printed (compatibility notices removed).
pub fn compare(expected: &[String], actual: &[String], b: &mut Bindings, at: &Where) -> Outcome {
    let e = normalize(expected);
    let a = normalize(actual);
    let mut out = Outcome::default();
    let es = segments(&e);
    let as_ = segments(&a);
    if es.len() == as_.len() {
        for (x, y) in es.iter().zip(&as_) {
            segment(x, y, b, at, &mut out);
        }
    } else {
        let x: Vec<String> = e.iter().filter(|l| !l.trim().is_empty()).cloned().collect();
        let y: Vec<String> = a.iter().filter(|l| !l.trim().is_empty()).cloned().collect();
        segment(&x, &y, b, at, &mut out);
    }
    out
}

fn segment(e: &[String], a: &[String], b: &mut Bindings, at: &Where, out: &mut Outcome) {
    match (e.first(), a.first()) {
        (Some(x), Some(y)) if is_header(x) && is_header(y) => table(e, a, b, at, out),
        _ => lines(e, a, b, at, out),
    }
}

fn lines(e: &[String], a: &[String], b: &mut Bindings, at: &Where, out: &mut Outcome) {
    let (doc, got) = (at.shows, at.printed);
    let n = e.len().min(a.len());
    for k in 0..n {
        let line = at.line + k;
        if let Err(why) = line_match(&e[k], &a[k], None, b, line) {
            if let Some(d) = drift::old_message(&e[k], &a[k]) {
                out.drift.push(d);
                continue;
            }
            let why = if why.is_empty() { String::new() } else { format!(" ({why})") };
            out.bad.push(line - at.line);
            out.mismatches.push(format!(
                "line {line}: {doc} shows `{}`, {got} printed `{}`{why}",
                e[k].trim(),
                a[k].trim()
            ));
        }
    }
    if e.len() > a.len() {
        if at.may_have_tail && out.mismatches.is_empty() {
            out.ignored_tail.extend(e[n..].iter().cloned());
        } else {
            out.mismatches.push(format!("{doc} shows {} more line(s) than {got} printed", e.len() - n));
        }
    } else if a.len() > e.len() {
        out.mismatches.push(format!("{got} printed {} more line(s) than {doc} shows", a.len() - n));
    }
}

fn table(e: &[String], a: &[String], b: &mut Bindings, at: &Where, out: &mut Outcome) {
    let (doc, got) = (at.shows, at.printed);
    let ec = header_columns(&e[0]);
    let ac = header_columns(&a[0]);
    let mut index = Vec::new();
    for (name, _) in &ec {
        match ac.iter().position(|(n, _)| n == name) {
            Some(p) => index.push(Some(p)),
            None => {
                out.mismatches.push(format!("column {name}: {got} prints no such column (header `{}`)", a[0].trim()));
                index.push(None);
            }
        }
    }
    for (name, _) in &ac {
        if ec.iter().any(|(n, _)| n == name) {
            continue;
        }
        match drift::new_column(name) {
            Some(why) => out.drift.push(Drift {
                kind: "missing-column",
                message: format!("header without the {name} column: {why}"),
                today: a[0].trim().to_string(),
            }),
            None => out.mismatches.push(format!("column {name}: {got} prints it, {doc} does not")),
        }
    }
    let er = &e[1..];
    let ar = by_identity(er, &a[1..], b);
    let ar = ar.as_slice();
    if er.len() != ar.len() {
        let names =
            |rows: &[String]| rows.iter().filter_map(|r| r.split_whitespace().next()).collect::<Vec<_>>().join(", ");
        out.mismatches.push(format!(
            "{doc} shows {} row(s) ({}), {got} printed {} ({})",
            er.len(),
            names(er),
            ar.len(),
            names(ar)
        ));
    }
    for (k, (x, y)) in er.iter().zip(ar).enumerate() {
        let line = at.line + 1 + k;
        let (Some(xc), Some(yc)) = (row_cells(x, &ec), row_cells(y, &ac)) else {
            if line_match(x, y, None, b, line).is_err() {
                out.bad.push(k + 1);
                out.mismatches.push(format!("line {line}: {doc} shows `{}`, {got} printed `{}`", x.trim(), y.trim()));
            }
            continue;
        };
        let row = xc.first().cloned().unwrap_or_default();
        for (c, (name, _)) in ec.iter().enumerate() {
            let Some(Some(p)) = index.get(c) else { continue };
            let (ev, av) = (&xc[c], &yc[*p]);
            if let Err(why) = line_match(ev, av, Some(name), b, line) {
                let why = if why.is_empty() { String::new() } else { format!(": {why}") };
                out.bad.push(k + 1);
                out.mismatches
                    .push(format!("line {line}, {row}, {name}: {doc} shows `{ev}`, {got} printed `{av}`{why}"));
            }
        }
    }
}

/// Rows of the replay in the document's order: kubectl sorts by name, and a generated name (a
/// volume's disk id) sorts differently on every run, so rows whose name is already bound are paired
/// by that binding.
fn by_identity(er: &[String], ar: &[String], b: &Bindings) -> Vec<String> {
    let key = |r: &String| r.split_whitespace().next().unwrap_or("").to_string();
    let mut left: Vec<Option<&String>> = ar.iter().map(Some).collect();
    let mut out: Vec<Option<String>> = vec![None; er.len()];
    for (k, r) in er.iter().enumerate() {
        if let Some(want) = b.lookup(&key(r)) {
            if let Some(slot) = left.iter_mut().find(|x| x.is_some_and(|x| key(x) == want)) {
                out[k] = slot.take().cloned();
            }
        }
    }
    let mut rest = left.into_iter().flatten();
    let mut rows: Vec<String> = out.into_iter().map_while(|x| x.or_else(|| rest.next().cloned())).collect();
    rows.extend(rest.cloned());
    rows
}

/// Whether two lines match by shape alone (for lining up a diff).
pub fn loosely_equal(e: &str, a: &str) -> bool {
    let mut scratch = Bindings::default();
    e.split_whitespace().eq(a.split_whitespace()) || line_match(e, a, Some("AGE"), &mut scratch, 0).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.lines().map(String::from).collect()
    }

    fn at() -> Where {
        Where::document(10, false, "kstate")
    }

    const OLD_PODS: &str = "NAME      READY     STATUS    RESTARTS   AGE\nweb-0     1/1       Running   0          21m\nweb-1     1/1       Running   0          20m";
    const NEW_PODS: &str = "NAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          0s\nweb-1   1/1     Running   0          0s";

    #[test]
    fn old_layout_and_ages_match() {
        let o = compare(&v(OLD_PODS), &v(NEW_PODS), &mut Bindings::default(), &at());
        assert!(o.mismatches.is_empty() && o.drift.is_empty(), "{o:?}");
    }

    #[test]
    fn wrong_status_and_name_fail() {
        let wrong = OLD_PODS.replace("web-1     1/1       Running", "web-9     1/1       Pending");
        let o = compare(&v(&wrong), &v(NEW_PODS), &mut Bindings::default(), &at());
        assert_eq!(o.mismatches.len(), 2, "{o:?}");
        assert!(o.mismatches[1].contains("STATUS"), "{o:?}");
    }

    #[test]
    fn new_column_is_drift_and_ids_bind() {
        let doc = v("NAME   STATUS   VOLUME                   AGE\nd0     Bound    d-2ze9k2rrtcy92e97d3ie   1m\nd1     Bound    d-2ze5dwq6gyjnvdcrmtwg   1m");
        let got = v("NAME   STATUS   VOLUME                   VOLUMEATTRIBUTESCLASS   AGE\nd0     Bound    d-aaaaaaaaaaaaaaaaaa11   <unset>                 0s\nd1     Bound    d-bbbbbbbbbbbbbbbbbb22   <unset>                 0s");
        let mut b = Bindings::default();
        let o = compare(&doc, &got, &mut b, &at());
        assert!(o.mismatches.is_empty(), "{o:?}");
        assert_eq!(o.drift.len(), 1);
        // The same document id must stay the same replay id.
        let swapped = v("NAME   STATUS   VOLUME                   VOLUMEATTRIBUTESCLASS   AGE\nd0     Bound    d-bbbbbbbbbbbbbbbbbb22   <unset>                 0s\nd1     Bound    d-aaaaaaaaaaaaaaaaaa11   <unset>                 0s");
        let o = compare(&doc, &swapped, &mut b, &at());
        assert_eq!(o.mismatches.len(), 2, "{o:?}");
        assert!(o.mismatches[0].contains("disk id d-2ze9k2rrtcy92e97d3ie was d-aaaaaaaaaaaaaaaaaa11"), "{o:?}");
    }

    #[test]
    fn whitespace_insensitive_lines_and_old_messages() {
        let o = compare(
            &v("ClaimName:  disk-ssd-web-1"),
            &v("    ClaimName:  disk-ssd-web-1"),
            &mut Bindings::default(),
            &at(),
        );
        assert!(o.mismatches.is_empty());
        let o = compare(
            &v("statefulset.apps \"web\" scaled"),
            &v("statefulset.apps/web scaled"),
            &mut Bindings::default(),
            &at(),
        );
        assert!(o.mismatches.is_empty());
        assert_eq!(o.drift[0].kind, "old-message");
    }

    #[test]
    fn restarts_ago_and_dates() {
        let o = compare(
            &v("NAME    READY   STATUS    RESTARTS      AGE\nweb-0   1/1     Running   1 (5m ago)    9m"),
            &v("NAME    READY   STATUS    RESTARTS     AGE\nweb-0   1/1     Running   1 (0s ago)   0s"),
            &mut Bindings::default(),
            &at(),
        );
        assert!(o.mismatches.is_empty(), "{o:?}");
        let o = compare(
            &v("Start Time:   Mon, 02 Jan 2006 15:04:05 +0000"),
            &v("Start Time:   Fri, 27 Nov 2026 09:00:00 +0000"),
            &mut Bindings::default(),
            &at(),
        );
        assert!(o.mismatches.is_empty(), "{o:?}");
    }

    #[test]
    fn tail_of_a_plain_text_page() {
        let o = compare(
            &v("lost+found\nstatefulset\nLogo"),
            &v("lost+found\nstatefulset"),
            &mut Bindings::default(),
            &Where::document(1, true, "kstate"),
        );
        assert!(o.mismatches.is_empty());
        assert_eq!(o.ignored_tail, ["Logo"]);
        let o = compare(
            &v("lost+found\nstatefulset\nLogo"),
            &v("lost+found\nstatefulset"),
            &mut Bindings::default(),
            &at(),
        );
        assert_eq!(o.mismatches.len(), 1);
    }
}
