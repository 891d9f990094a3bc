//! Table headers: where the columns are, which multi-word names are one column, and how an older
//! kubectl's column names and layouts map to today's (`ACCESSMODES` is `ACCESS MODES`, a
//! StatefulSet's `DESIRED`/`CURRENT` are the two halves of today's `READY`).

/// A line that looks like a table header: upper-case words.
pub fn is_header(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.len() >= 2
        && words.iter().any(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase()))
        && line.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || " -_()/.:%".contains(c))
}

/// Column names of kubectl's tables that hold a space.
const MULTI_WORD: [&str; 14] = [
    "ACCESS MODES",
    "RECLAIM POLICY",
    "NOMINATED NODE",
    "READINESS GATES",
    "LAST SEEN",
    "FIRST SEEN",
    "SERVICE ACCOUNT",
    "MIN AVAILABLE",
    "MAX UNAVAILABLE",
    "ALLOWED DISRUPTIONS",
    "LAST SCHEDULE",
    "CONTROLLER REVISION",
    "DEFAULT STORAGE CLASS",
    "NODE SELECTOR",
];

/// Header names and the character column each starts at. In an aligned header (columns apart by
/// two spaces or more, as kubectl prints them) a single space belongs to the name (`MIN AVAILABLE`);
/// in a hand-written one with single spaces, only known multi-word names are kept together.
pub fn columns(line: &str) -> Vec<(String, usize)> {
    let chars: Vec<char> = line.chars().collect();
    let aligned = line.trim().contains("  ");
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
        let whole = MULTI_WORD.contains(&name.as_str()) || (aligned && !splits_into_known(&name));
        if name.contains(' ') && !whole {
            split_words(&name, start, &mut cols);
        } else {
            cols.push((name, start));
        }
    }
    cols
}

/// Whether a group of single-spaced words is several columns kubectl prints (`CAPACITY ACCESS
/// MODES`), rather than one name of its own.
fn splits_into_known(name: &str) -> bool {
    let mut split = Vec::new();
    split_words(name, 0, &mut split);
    split.len() > 1 && split.iter().all(|(n, _)| KNOWN.contains(&n.as_str()) || MULTI_WORD.contains(&n.as_str()))
}

/// Single-word column names of kubectl's tables.
const KNOWN: [&str; 22] = [
    "NAME",
    "READY",
    "STATUS",
    "RESTARTS",
    "AGE",
    "IP",
    "NODE",
    "VOLUME",
    "CAPACITY",
    "STORAGECLASS",
    "VOLUMEATTRIBUTESCLASS",
    "CLAIM",
    "REASON",
    "TYPE",
    "CLUSTER-IP",
    "EXTERNAL-IP",
    "PORT(S)",
    "SELECTOR",
    "PROVISIONER",
    "RECLAIMPOLICY",
    "VOLUMEBINDINGMODE",
    "ALLOWVOLUMEEXPANSION",
];

fn split_words(name: &str, start: usize, cols: &mut Vec<(String, usize)>) {
    let words: Vec<&str> = name.split(' ').collect();
    let mut off = start;
    let mut k = 0;
    while k < words.len() {
        let pair = words.get(k + 1).map(|n| format!("{} {n}", words[k]));
        if let Some(p) = pair.filter(|p| MULTI_WORD.contains(&p.as_str())) {
            let width = p.chars().count() + 1;
            cols.push((p, off));
            off += width;
            k += 2;
        } else {
            cols.push((words[k].to_string(), off));
            off += words[k].chars().count() + 1;
            k += 1;
        }
    }
}

/// Cells of a row, by header position; falls back to splitting on runs of spaces when the row is
/// not aligned under the header.
pub fn cells(row: &str, cols: &[(String, usize)]) -> Option<Vec<String>> {
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

/// Which part of today's cell an old column shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Whole,
    /// `2` of `2/3`.
    BeforeSlash,
    /// `3` of `2/3`.
    AfterSlash,
}

/// Where a column of the document is in today's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Same name, at this index.
    Same(usize),
    /// An older kubectl's name or layout for today's column at this index.
    Old {
        at: usize,
        part: Part,
        today: &'static str,
        why: &'static str,
    },
    Missing,
}

/// Old column names: (old, today's, part of today's cell, what changed).
const OLD: [(&str, &str, Part, &str); 7] = [
    ("ACCESSMODES", "ACCESS MODES", Part::Whole, "kubectl before v1.8 printed ACCESSMODES"),
    ("RECLAIMPOLICY", "RECLAIM POLICY", Part::Whole, "kubectl before v1.8 printed RECLAIMPOLICY"),
    ("MIN-AVAILABLE", "MIN AVAILABLE", Part::Whole, "older kubectl printed hyphenated disruption budget columns"),
    ("MAX-UNAVAILABLE", "MAX UNAVAILABLE", Part::Whole, "older kubectl printed hyphenated disruption budget columns"),
    (
        "ALLOWED-DISRUPTIONS",
        "ALLOWED DISRUPTIONS",
        Part::Whole,
        "older kubectl printed hyphenated disruption budget columns",
    ),
    ("DESIRED", "READY", Part::AfterSlash, "older kubectl printed DESIRED and CURRENT where READY is ready/desired"),
    ("CURRENT", "READY", Part::BeforeSlash, "older kubectl printed DESIRED and CURRENT where READY is ready/desired"),
];

/// Finds a document column in today's header.
pub fn find(name: &str, today: &[(String, usize)]) -> Found {
    let at = |n: &str| today.iter().position(|(t, _)| t == n);
    if let Some(i) = at(name) {
        return Found::Same(i);
    }
    OLD.iter()
        .find(|(old, _, _, _)| *old == name)
        .and_then(|(_, now, part, why)| at(now).map(|i| Found::Old { at: i, part: *part, today: now, why }))
        .unwrap_or(Found::Missing)
}

/// The part of today's cell an old column shows.
pub fn part_of(cell: &str, part: Part) -> &str {
    match (part, cell.split_once('/')) {
        (Part::BeforeSlash, Some((a, _))) => a,
        (Part::AfterSlash, Some((_, b))) => b,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(line: &str) -> Vec<String> {
        columns(line).into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn multi_word_names_stay_one_column() {
        assert_eq!(
            names("NAME      MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE"),
            ["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"]
        );
        assert_eq!(
            names("NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS AGE"),
            ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "AGE"]
        );
        // A squeezed pair of known columns in an aligned header is still two columns.
        assert_eq!(names("NAME   CAPACITY ACCESS MODES   AGE"), ["NAME", "CAPACITY", "ACCESS MODES", "AGE"]);
        let cols = columns("NAME   MIN AVAILABLE   AGE");
        assert_eq!(cols[1], ("MIN AVAILABLE".to_string(), 7));
        assert_eq!(cells("web    2               5m", &cols), Some(vec!["web".into(), "2".into(), "5m".into()]));
    }

    #[test]
    fn old_names_and_layouts() {
        let today = columns("NAME   READY   AGE");
        assert_eq!(
            find("DESIRED", &today),
            Found::Old { at: 1, part: Part::AfterSlash, today: "READY", why: OLD[5].3 }
        );
        assert_eq!(find("AGE", &today), Found::Same(2));
        assert_eq!(find("VOLUME", &today), Found::Missing);
        assert_eq!(part_of("2/3", Part::AfterSlash), "3");
        assert_eq!(part_of("2/3", Part::BeforeSlash), "2");
        let pv = columns("NAME   CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS");
        assert!(matches!(find("ACCESSMODES", &pv), Found::Old { at: 2, today: "ACCESS MODES", .. }));
    }
}
