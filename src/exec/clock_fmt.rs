//! Time and mode texts as `ls -l`, `stat` and `date` print them (UTC: containers have no TZ).

use super::backing::{Entry, EntryKind};

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

/// (year, month 1-12, day, hour, minute, second, weekday name) of a Unix time.
pub fn civil(t: i64) -> (i64, usize, i64, i64, i64, i64, &'static str) {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = crate::clock::civil_from_days(days);
    let wd = DAYS[days.rem_euclid(7) as usize];
    (y, m as usize, d, secs / 3600, secs % 3600 / 60, secs % 60, wd)
}

pub fn month(m: usize) -> &'static str {
    MONTHS[(m.clamp(1, 12)) - 1]
}

/// `Nov 27 09:45` for the last six months, else `Nov 27  2025`.
pub fn ls_date(t: i64, now: i64) -> String {
    let (y, m, d, h, mi, _, _) = civil(t);
    let six_months = 31_556_952 / 2;
    if t <= now && now - t < six_months {
        format!("{} {d:>2} {h:02}:{mi:02}", month(m))
    } else {
        format!("{} {d:>2}  {y}", month(m))
    }
}

/// `date`'s default output: `Fri Nov 27 09:45:00 UTC 2026`.
pub fn date_default(t: i64) -> String {
    let (y, m, d, h, mi, s, wd) = civil(t);
    format!("{wd} {} {d:>2} {h:02}:{mi:02}:{s:02} UTC {y}", month(m))
}

/// `stat`'s times: `2026-11-27 09:45:00.000000000 +0000`.
pub fn stat_time(t: i64) -> String {
    let (y, m, d, h, mi, s, _) = civil(t);
    format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}.000000000 +0000")
}

/// A `date +FORMAT` subset: %Y %m %d %H %M %S %s %a %b %e %y %j? no; %F %T %Z %z %n %t %%.
pub fn strftime(fmt: &str, t: i64) -> String {
    let (y, m, d, h, mi, s, wd) = civil(t);
    let mut out = String::new();
    let mut it = fmt.chars();
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('Y') => out.push_str(&y.to_string()),
            Some('y') => out.push_str(&format!("{:02}", y % 100)),
            Some('m') => out.push_str(&format!("{m:02}")),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('e') => out.push_str(&format!("{d:>2}")),
            Some('H') => out.push_str(&format!("{h:02}")),
            Some('M') => out.push_str(&format!("{mi:02}")),
            Some('S') => out.push_str(&format!("{s:02}")),
            Some('s') => out.push_str(&t.to_string()),
            Some('a') => out.push_str(wd),
            Some('b') | Some('h') => out.push_str(month(m)),
            Some('F') => out.push_str(&format!("{y:04}-{m:02}-{d:02}")),
            Some('T') => out.push_str(&format!("{h:02}:{mi:02}:{s:02}")),
            Some('Z') => out.push_str("UTC"),
            Some('z') => out.push_str("+0000"),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('%') => out.push('%'),
            Some(o) => {
                out.push('%');
                out.push(o);
            }
            None => out.push('%'),
        }
    }
    out
}

/// `drwxr-xr-x`, with set-id and sticky bits.
pub fn mode_string(e: &Entry) -> String {
    let t = match e.kind {
        EntryKind::Dir => 'd',
        EntryKind::Symlink => 'l',
        _ => '-',
    };
    let m = e.mode;
    let mut s = String::from(t);
    for (shift, special, ch) in [(6, 0o4000, 's'), (3, 0o2000, 's'), (0, 0o1000, 't')] {
        let bits = (m >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        let x = bits & 1 != 0;
        s.push(match (m & special != 0, x) {
            (true, true) => ch,
            (true, false) => ch.to_ascii_uppercase(),
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    s
}
