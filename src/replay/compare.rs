//! Output comparison like a careful reader: tables by column name, lines by whitespace-separated
//! words, generated values by shape with consistent bindings across the whole document.

use std::collections::HashMap;

use super::drift::{self, Drift};
use super::elide;
use super::header;
use super::shape::{self, Class};
use super::table;

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
    pub(super) fn lookup(&self, doc: &str) -> Option<&str> {
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
        "AGE" | "LAST SEEN" | "FIRST SEEN" | "DURATION" | "SINCE" | "LAST SCHEDULE" => Some(Class::Age),
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
    // A whole value first, quotes aside: `"2020-02-12T07:06:16Z"` would split at its colons.
    let (et, at) = (e.trim_matches('"'), a.trim_matches('"'));
    if let (Some(Class::Timestamp), Some(Class::Timestamp)) = (shape::classify(et), shape::classify(at)) {
        return Ok(());
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
            _ if shape::same_but_suffixes(x, y) || shape::template_hashes(x, y) => b.bind(Class::Suffix, x, y, line)?,
            _ => return Err(String::new()),
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
pub(super) fn line_match(e: &str, a: &str, col: Option<&str>, b: &mut Bindings, line: usize) -> Result<(), String> {
    let ew: Vec<&str> = e.split_whitespace().collect();
    let aw: Vec<&str> = a.split_whitespace().collect();
    if let Some(g) = ew.iter().position(|w| elide::is_elision(w)) {
        // `Image: nginx ...`: the words before and after the elision, at both ends of the line.
        let tail = ew.len() - g - 1;
        if aw.len() < g + tail {
            return Err(String::new());
        }
        let e2: Vec<&str> = ew[..g].iter().chain(&ew[g + 1..]).copied().collect();
        let a2: Vec<&str> = aw[..g].iter().chain(&aw[aw.len() - tail..]).copied().collect();
        return line_match(&e2.join(" "), &a2.join(" "), col, b, line);
    }
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
        // `date`'s `Tue Feb 22 01:24:44 UTC 2022`
        if is_date_output(&ew[k..]) && is_date_output(&aw[k..]) {
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

/// Whether `words` start with what `date` prints: weekday, month, day, time, zone, year.
fn is_date_output(words: &[&str]) -> bool {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let digits = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == ':');
    matches!(words, [day, month, date, time, zone, year, ..]
        if is_weekday(day) && MONTHS.contains(month) && digits(date) && digits(time) && time.contains(':')
            && zone.chars().all(|c| c.is_ascii_uppercase()) && year.len() == 4 && digits(year))
}

fn is_weekday(s: &str) -> bool {
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].contains(&s)
}

/// Expands tabs to the next multiple of 8, as a terminal shows them.
fn expand_tabs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if c == '\t' {
            let n = 8 - out.chars().count() % 8;
            out.extend(std::iter::repeat_n(' ', n));
        } else {
            out.push(c);
        }
    }
    out
}

fn normalize(lines: &[String]) -> Vec<String> {
    let mut v: Vec<String> = lines.iter().map(|l| expand_tabs(l.trim_end())).collect();
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
    let elided = e.iter().any(|l| elide::is_elision(l));
    if es.len() == as_.len() && !elided {
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
    let first_header = |v: &[String]| v.iter().position(|l| header::is_header(l));
    let at_a = first_header(a);
    // A one-column header (`REVISION`) is a header where today's kubectl prints one.
    let lone = |j: usize| {
        e.get(j).is_some_and(|l| {
            let w = l.trim();
            w.len() >= 2
                && w.chars().all(|c| c.is_ascii_uppercase() || c == '-')
                && a[j].split_whitespace().next() == Some(w)
        })
    };
    let at_e = first_header(e).or(at_a.filter(|&j| lone(j)));
    match (at_e, at_a) {
        (Some(0), Some(0)) => table::compare(e, a, b, at, out),
        // `statefulset.apps/web` above `REVISION  CHANGE-CAUSE`: the lines, then the table.
        (Some(k), Some(j)) if k == j && !e[..k].iter().any(|l| elide::is_elision(l)) => {
            lines(&e[..k], &a[..k], b, at, out);
            let below =
                Where { line: at.line + k, may_have_tail: at.may_have_tail, shows: at.shows, printed: at.printed };
            table::compare(&e[k..], &a[k..], b, &below, out);
        }
        _ => lines(e, a, b, at, out),
    }
}

/// Lines around elisions: each run of shown lines must be found, in order, in what was printed.
fn elided_lines(e: &[String], a: &[String], b: &mut Bindings, at: &Where, out: &mut Outcome) {
    let (doc, got) = (at.shows, at.printed);
    // The alignment tries pairs without binding, but knows the nodes (`MY_NODE_NAME=minikube`).
    let nodes = b.nodes.clone();
    let fits =
        |i: usize, j: usize| loosely_equal_on(&e[i], &a[j], &nodes) || drift::old_message(&e[i], &a[j]).is_some();
    let Some(pairs) = elide::align(e.len(), |i| elide::is_elision(&e[i]), a.len(), fits) else {
        out.bad.extend((0..e.len()).filter(|&i| !elide::is_elision(&e[i])));
        out.mismatches.push(format!("the lines {doc} shows around its elision are not in what {got} printed"));
        return;
    };
    for (i, j) in pairs {
        line_pair(&e[i], &a[j], i, b, at, out);
    }
}

/// One shown line against one printed line.
fn line_pair(e: &str, a: &str, k: usize, b: &mut Bindings, at: &Where, out: &mut Outcome) {
    let line = at.line + k;
    if let Err(why) = line_match(e, a, None, b, line) {
        if let Some(d) = drift::old_message(e, a) {
            out.drift.push(d);
            return;
        }
        let why = if why.is_empty() { String::new() } else { format!(" ({why})") };
        out.bad.push(k);
        out.mismatches.push(format!(
            "line {line}: {} shows `{}`, {} printed `{}`{why}",
            at.shows,
            e.trim(),
            at.printed,
            a.trim()
        ));
    }
}

fn lines(e: &[String], a: &[String], b: &mut Bindings, at: &Where, out: &mut Outcome) {
    if e.iter().any(|l| elide::is_elision(l)) {
        return elided_lines(e, a, b, at, out);
    }
    let (doc, got) = (at.shows, at.printed);
    let n = e.len().min(a.len());
    for k in 0..n {
        line_pair(&e[k], &a[k], k, b, at, out);
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

/// Whether two lines match by shape alone (for lining up a diff).
pub fn loosely_equal(e: &str, a: &str) -> bool {
    loosely_equal_on(e, a, &[])
}

/// `loosely_equal` where `nodes` are the replay's node names.
fn loosely_equal_on(e: &str, a: &str, nodes: &[String]) -> bool {
    let mut scratch = Bindings::default();
    scratch.set_nodes(nodes.to_vec());
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
        let o = compare(
            &v("Tue Feb 22 01:24:44 UTC 2022"),
            &v("Fri Nov 27 09:00:00 UTC 2026"),
            &mut Bindings::default(),
            &at(),
        );
        assert!(o.mismatches.is_empty(), "{o:?}");
        let o =
            compare(&v("Tue Feb 22 01:24:44 UTC 2022"), &v("Fri Nov 27 x UTC 2026"), &mut Bindings::default(), &at());
        assert!(!o.mismatches.is_empty(), "{o:?}");
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

    fn kinds(o: &Outcome) -> Vec<&str> {
        o.drift.iter().map(|d| d.kind).collect()
    }

    #[test]
    fn old_layouts_are_drift() {
        let sts = compare(
            &v("NAME      DESIRED   CURRENT   AGE\nweb       2         2         1m"),
            &v("NAME   READY   AGE\nweb    2/2     0s"),
            &mut Bindings::default(),
            &at(),
        );
        assert!(sts.mismatches.is_empty(), "{sts:?}");
        assert_eq!(kinds(&sts), ["old-column", "old-column"]);
        assert_eq!(sts.drift[0].today, "READY");
        // The numbers still count: three desired is not two.
        let wrong = compare(
            &v("NAME      DESIRED   CURRENT   AGE\nweb       3         3         1m"),
            &v("NAME   READY   AGE\nweb    2/2     0s"),
            &mut Bindings::default(),
            &at(),
        );
        assert_eq!(
            wrong.mismatches,
            [
                "line 11, web, DESIRED: the document shows `3`, kstate printed `2`",
                "line 11, web, CURRENT: the document shows `3`, kstate printed `2`"
            ]
        );
        let pv = compare(
            &v("NAME      CAPACITY   ACCESSMODES   RECLAIMPOLICY   STATUS   CLAIM           REASON    AGE\npv-1      20Gi       RWO           Retain          Bound    default/data                  1m"),
            &v("NAME   CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM          STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE\npv-1   20Gi       RWO            Delete           Bound    default/data   standard       <unset>                          0s"),
            &mut Bindings::default(),
            &at(),
        );
        assert_eq!(
            pv.mismatches,
            ["line 11, pv-1, RECLAIMPOLICY: the document shows `Retain`, kstate printed `Delete`"]
        );
        assert_eq!(kinds(&pv), ["old-column", "old-column", "missing-column", "missing-column"]);
        let pdb = compare(
            &v("NAME   MIN-AVAILABLE   MAX-UNAVAILABLE   ALLOWED-DISRUPTIONS   AGE\nzk     N/A             1                 1                     5m"),
            &v("NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nzk     N/A             1                 0                     0s"),
            &mut Bindings::default(),
            &at(),
        );
        assert_eq!(pdb.mismatches, ["line 11, zk, ALLOWED-DISRUPTIONS: the document shows `1`, kstate printed `0`"]);
        let none = compare(
            &v("No resources found."),
            &v("No resources found in default namespace."),
            &mut Bindings::default(),
            &at(),
        );
        assert!(none.mismatches.is_empty());
        assert_eq!(kinds(&none), ["old-message"]);
    }

    #[test]
    fn old_rollout_history() {
        let o = compare(
            &v("statefulsets \"web\"\nREVISION\n1\n2"),
            &v("statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n"),
            &mut Bindings::default(),
            &at(),
        );
        assert!(o.mismatches.is_empty(), "{o:?}");
        assert_eq!(kinds(&o), ["old-message", "missing-column"]);
        let o = compare(
            &v("deployments \"nginx\"\nREVISION    CHANGE-CAUSE\n1           kubectl apply --filename=nginx.yaml --record=true"),
            &v("deployment.apps/nginx \nREVISION  CHANGE-CAUSE\n1         <none>"),
            &mut Bindings::default(),
            &at(),
        );
        assert!(o.mismatches.is_empty(), "{o:?}");
        assert_eq!(kinds(&o), ["old-message", "old-message"]);
    }

    #[test]
    fn multi_word_columns_are_compared() {
        let got = v("NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nweb    2               N/A               1                     0s");
        let ok = compare(
            &v("NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nweb    2               N/A               1                     3m"),
            &got,
            &mut Bindings::default(),
            &at(),
        );
        assert!(ok.mismatches.is_empty() && ok.drift.is_empty(), "{ok:?}");
        let bad = compare(
            &v("NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nweb    3               N/A               1                     3m"),
            &got,
            &mut Bindings::default(),
            &at(),
        );
        assert_eq!(bad.mismatches, ["line 11, web, MIN AVAILABLE: the document shows `3`, kstate printed `2`"]);
    }

    #[test]
    fn elisions_stand_for_lines_rows_and_words() {
        let printed = v("Name:         web-0\nNamespace:    default\nPriority:     0\nNode:         n1/10.0.0.1\nStatus:       Running");
        let o =
            compare(&v("Name:         web-0\n...\nStatus:       Running"), &printed, &mut Bindings::default(), &at());
        assert!(o.mismatches.is_empty(), "{o:?}");
        let o =
            compare(&v("Name:         web-0\n[...]\nStatus:       Pending"), &printed, &mut Bindings::default(), &at());
        assert_eq!(o.mismatches, ["the lines the document shows around its elision are not in what kstate printed"]);
        let rows = compare(
            &v("NAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          1m\n...\nweb-2   1/1     Running   0          1m"),
            &v("NAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          0s\nweb-1   1/1     Running   0          0s\nweb-2   1/1     Running   0          0s"),
            &mut Bindings::default(),
            &at(),
        );
        assert!(rows.mismatches.is_empty(), "{rows:?}");
        let words = compare(&v("Node:  ... Running"), &v("Node: a b c Running"), &mut Bindings::default(), &at());
        assert!(words.mismatches.is_empty(), "{words:?}");
    }

    #[test]
    fn quoted_timestamps_of_yaml_match_by_shape() {
        let mut b = Bindings::default();
        let o = compare(
            &v("  creationTimestamp: \"2020-02-12T07:06:16Z\""),
            &v("  creationTimestamp: \"2026-11-27T09:00:00Z\""),
            &mut b,
            &at(),
        );
        assert!(o.mismatches.is_empty(), "{o:?}");
    }

    #[test]
    fn a_node_name_next_to_an_elision_is_found() {
        let mut b = Bindings::default();
        b.set_nodes(vec!["cn-beijing.192.168.0.101".into()]);
        let o = compare(
            &v("...\nMY_NODE_NAME=minikube\n..."),
            &v("PATH=/bin\nMY_NODE_NAME=cn-beijing.192.168.0.101\nHOME=/root"),
            &mut b,
            &at(),
        );
        assert!(o.mismatches.is_empty(), "{o:?}");
    }

    #[test]
    fn node_names_bind_wherever_they_are_printed() {
        let mut b = Bindings::default();
        b.set_nodes(vec!["cn-beijing.192.168.0.101".into(), "cn-beijing.192.168.1.102".into()]);
        let o = compare(&v("ip-10-0-1-5.ec2.internal"), &v("cn-beijing.192.168.0.101"), &mut b, &at());
        assert!(o.mismatches.is_empty(), "{o:?}");
        let o = compare(&v("ip-10-0-1-5.ec2.internal"), &v("cn-beijing.192.168.1.102"), &mut b, &at());
        assert_eq!(o.mismatches.len(), 1, "{o:?}");
        assert!(o.mismatches[0].contains("node name ip-10-0-1-5.ec2.internal was cn-beijing.192.168.0.101"), "{o:?}");
    }
}
