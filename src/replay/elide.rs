//! Elisions: documents shorten long outputs with a `...`, `[...]` or `…` line (or word). An
//! elision stands for any number of lines (or words), including none.

/// Whether a line (or word) is an elision.
pub fn is_elision(s: &str) -> bool {
    matches!(s.trim(), "..." | "[...]" | "…" | "[…]" | "[snip]" | "<snip>" | "...." | "(...)" | ". . .")
}

/// Pairs expected items (some of them elisions) with actual items in order. Runs of items between
/// elisions must match consecutive actual items (`fits`); the first run starts at the first item
/// and the last run ends at the last one unless an elision stands there. Returns the pairs
/// (expected index, actual index), or `None` when the runs cannot be placed.
pub fn align(
    expected: usize,
    gap: impl Fn(usize) -> bool,
    actual: usize,
    fits: impl Fn(usize, usize) -> bool,
) -> Option<Vec<(usize, usize)>> {
    let mut runs: Vec<Vec<usize>> = vec![Vec::new()];
    for i in 0..expected {
        if gap(i) {
            runs.push(Vec::new());
        } else if let Some(r) = runs.last_mut() {
            r.push(i);
        }
    }
    let last = runs.len() - 1;
    let mut pairs = Vec::new();
    let mut cursor = 0;
    for (k, run) in runs.iter().enumerate() {
        let place = |j: usize| j + run.len() <= actual && run.iter().enumerate().all(|(o, &i)| fits(i, j + o));
        let at = if k == 0 {
            // Before the first elision: anchored at the start.
            place(0).then_some(0)
        } else if k == last {
            // After the last elision: anchored at the end.
            actual.checked_sub(run.len()).filter(|&j| j >= cursor && place(j))
        } else {
            (cursor..=actual.saturating_sub(run.len())).find(|&j| place(j))
        }?;
        pairs.extend(run.iter().enumerate().map(|(o, &i)| (i, at + o)));
        cursor = at + run.len();
    }
    // Without any elision the counts must agree.
    (runs.len() > 1 || cursor == actual).then_some(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(e: &[&str], a: &[&str]) -> Option<Vec<(usize, usize)>> {
        align(e.len(), |i| is_elision(e[i]), a.len(), |i, j| e[i] == a[j])
    }

    #[test]
    fn elisions_stand_for_any_lines() {
        assert_eq!(run(&["a", "...", "d"], &["a", "b", "c", "d"]), Some(vec![(0, 0), (2, 3)]));
        assert_eq!(run(&["a", "[...]", "d"], &["a", "d"]), Some(vec![(0, 0), (2, 1)]));
        assert_eq!(run(&["...", "c", "..."], &["a", "b", "c", "d"]), Some(vec![(1, 2)]));
        assert_eq!(run(&["a", "…"], &["a", "b"]), Some(vec![(0, 0)]));
        assert_eq!(run(&["a", "...", "x"], &["a", "b"]), None);
        assert_eq!(run(&["b", "..."], &["a", "b"]), None);
        assert_eq!(run(&["a", "b"], &["a", "b", "c"]), None);
        assert!(!is_elision("Waiting for 1 pods to be ready..."));
    }
}
