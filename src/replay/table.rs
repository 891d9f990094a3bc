//! Tables are compared by column name: each column the document shows must exist today (under its
//! name, or an older kubectl's name for it, which is drift), rows are paired in order (or by a
//! bound generated name), cells by header position, and an elision row stands for any rows.

use super::compare::{line_match, loosely_equal, Bindings, Outcome, Where};
use super::drift::{self, Drift};
use super::elide;
use super::header::{self, Found, Part};
use super::shape;

/// How a document column is read from today's row.
struct Source {
    at: usize,
    part: Part,
}

pub fn compare(e: &[String], a: &[String], b: &mut Bindings, at: &Where, out: &mut Outcome) {
    let (doc, got) = (at.shows, at.printed);
    let ec = header::columns(&e[0]);
    let ac = header::columns(&a[0]);
    let mut sources: Vec<Option<Source>> = Vec::new();
    let mut used = vec![false; ac.len()];
    // A `...` column (`NAME   READY   STATUS   ...  IP   NODE`) stands for any columns the page
    // leaves out: its cells are not compared, and today's columns it hides are no mismatch.
    let elided_columns = ec.iter().any(|(name, _)| elide::is_elision(name));
    for (name, _) in &ec {
        if elide::is_elision(name) {
            sources.push(None);
            continue;
        }
        match header::find(name, &ac) {
            Found::Same(i) => {
                used[i] = true;
                sources.push(Some(Source { at: i, part: Part::Whole }));
            }
            Found::Old { at: i, part, today, why } => {
                used[i] = true;
                let d = Drift { kind: "old-column", message: format!("{name}: {why}"), today: today.to_string() };
                if !out.drift.contains(&d) {
                    out.drift.push(d);
                }
                sources.push(Some(Source { at: i, part }));
            }
            Found::Missing => {
                out.mismatches.push(format!("column {name}: {got} prints no such column (header `{}`)", a[0].trim()));
                sources.push(None);
            }
        }
    }
    for (i, (name, _)) in ac.iter().enumerate() {
        if used[i] || elided_columns {
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
    let elided = er.iter().any(|r| elide::is_elision(r));
    let placed = elided
        .then(|| elide::align(er.len(), |i| elide::is_elision(&er[i]), ar.len(), |i, j| same_row(&er[i], &ar[j])));
    let pairs = match placed {
        Some(Some(p)) => p,
        Some(None) => {
            out.mismatches.push(format!("the rows {doc} shows around its elision are not the rows {got} printed"));
            return;
        }
        None => {
            if er.len() == ar.len() {
                (0..er.len()).map(|i| (i, i)).collect()
            } else {
                let names = |rows: &[String]| {
                    rows.iter().filter_map(|r| r.split_whitespace().next()).collect::<Vec<_>>().join(", ")
                };
                out.mismatches.push(format!(
                    "{doc} shows {} row(s) ({}), {got} printed {} ({})",
                    er.len(),
                    names(er),
                    ar.len(),
                    names(&ar)
                ));
                (0..er.len().min(ar.len())).map(|i| (i, i)).collect()
            }
        }
    };
    for (k, j) in pairs {
        let (x, y) = (&er[k], &ar[j]);
        let line = at.line + 1 + k;
        let (Some(xc), Some(yc)) = (header::cells(x, &ec), header::cells(y, &ac)) else {
            if line_match(x, y, None, b, line).is_err() {
                out.bad.push(k + 1);
                out.mismatches.push(format!("line {line}: {doc} shows `{}`, {got} printed `{}`", x.trim(), y.trim()));
            }
            continue;
        };
        let row = xc.first().cloned().unwrap_or_default();
        for (c, (name, _)) in ec.iter().enumerate() {
            let Some(Some(src)) = sources.get(c) else { continue };
            let ev = &xc[c];
            let av = header::part_of(&yc[src.at], src.part);
            if let Err(why) = line_match(ev, av, Some(name), b, line) {
                let old = drift::recorded_cause(name, ev, av)
                    .or_else(|| drift::restarts_without_ago(name, ev, av))
                    .or_else(|| drift::source_with_host(name, ev, av));
                if let Some(d) = old {
                    out.drift.push(d);
                    continue;
                }
                let why = if why.is_empty() { String::new() } else { format!(": {why}") };
                out.bad.push(k + 1);
                out.mismatches
                    .push(format!("line {line}, {row}, {name}: {doc} shows `{ev}`, {got} printed `{av}`{why}"));
            }
        }
    }
}

/// Whether a row of the document could be this row of the replay (for placing elided rows): the
/// same first cell, or the same shape.
fn same_row(e: &str, a: &str) -> bool {
    e.split_whitespace().next() == a.split_whitespace().next() || loosely_equal(e, a)
}

/// The remaining row with the most cells (after the name) equal to one of `row`'s, if any shares one.
fn most_alike(row: &str, left: &[Option<&String>]) -> Option<usize> {
    let cells: Vec<&str> = row.split_whitespace().skip(1).collect();
    let shared = |x: &str| x.split_whitespace().skip(1).filter(|w| cells.contains(w)).count();
    let scores = left.iter().enumerate().filter_map(|(i, x)| x.map(|x| (i, shared(x))));
    // The first of the best: `max_by_key` keeps the last of equals, so compare with the index reversed.
    scores.filter(|(_, n)| *n > 0).max_by_key(|(i, n)| (*n, std::cmp::Reverse(*i))).map(|(i, _)| i)
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
    // Rows named by a generated name not bound yet (`nginx-deployment-75675f5897`, sorted by a
    // hash that differs on every cluster): the first remaining row that matches it in shape.
    for (k, r) in er.iter().enumerate() {
        if out[k].is_some() || shape::generated_suffix(&key(r)).is_none() {
            continue;
        }
        if let Some(slot) = left.iter_mut().find(|x| x.is_some_and(|x| loosely_equal(r, x))) {
            out[k] = slot.take().cloned();
        }
    }
    // Volumes named by a generated id (`pvc-<uid>`, a disk id) not bound yet, whose rows an older
    // kubectl printed with other columns: the remaining row sharing the most cells with it
    // (`default/claim3`), as a reader tells their volumes apart by claim.
    for (k, r) in er.iter().enumerate() {
        let volume = matches!(shape::classify(&key(r)), Some(shape::Class::PvcUid | shape::Class::DiskId));
        if out[k].is_some() || !volume {
            continue;
        }
        if let Some(i) = most_alike(r, &left) {
            out[k] = left[i].take().cloned();
        }
    }
    let mut rest = left.into_iter().flatten();
    let mut rows: Vec<String> = out.into_iter().map_while(|x| x.or_else(|| rest.next().cloned())).collect();
    rows.extend(rest.cloned());
    rows
}
