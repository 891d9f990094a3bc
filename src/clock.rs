//! Time: the injectable clock and the two timestamp formats Kubernetes shows.
//!
//! Timestamps are whole seconds since the Unix epoch, UTC, as the API server stores them.
//! `KSTATE_NOW` (RFC 3339) freezes the clock so a walkthrough prints the same bytes every run.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch.
pub type Instant = i64;

/// The time source of one kstate process.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    now: Instant,
}

impl Clock {
    /// The clock from `KSTATE_NOW` when given, else the system clock.
    pub fn from_env(value: Option<&str>) -> Result<Clock, String> {
        match value {
            Some(v) if !v.trim().is_empty() => parse_rfc3339(v.trim())
                .map(Clock::fixed)
                .ok_or_else(|| format!("KSTATE_NOW: {v:?} is not an RFC 3339 time such as 2026-11-27T09:45:00Z")),
            _ => Ok(Clock::system()),
        }
    }

    pub fn system() -> Clock {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        Clock { now }
    }

    pub fn fixed(now: Instant) -> Clock {
        Clock { now }
    }

    pub fn now(&self) -> Instant {
        self.now
    }

    /// `now` as the API server writes timestamps: `2026-11-27T09:45:23Z`.
    pub fn now_rfc3339(&self) -> String {
        format_rfc3339(self.now)
    }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

/// (year, month, day, hour, minute, second) of an instant, UTC.
pub fn split(t: Instant) -> (i64, i64, i64, i64, i64, i64) {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    (y, m, d, secs / 3600, secs % 3600 / 60, secs % 60)
}

pub fn format_rfc3339(t: Instant) -> String {
    let (y, mo, d, h, mi, s) = split(t);
    if !(0..=9999).contains(&y) {
        return format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z");
    }
    // Digit by digit: every object and event a large change writes carries timestamps, and
    // `format!`'s padding machinery cost twenty times this.
    let mut out = String::with_capacity(20);
    for (value, width, sep) in [(y, 4, '-'), (mo, 2, '-'), (d, 2, 'T'), (h, 2, ':'), (mi, 2, ':'), (s, 2, 'Z')] {
        push_digits(&mut out, value, width);
        out.push(sep);
    }
    out
}

/// Appends the last `width` decimal digits of a non-negative `value`, zero-padded.
fn push_digits(out: &mut String, value: i64, width: u32) {
    for place in (0..width).rev() {
        out.push(char::from(b'0' + (value / 10_i64.pow(place) % 10) as u8));
    }
}

/// Go's `time.RFC1123Z` in UTC, as `kubectl describe` prints times: `Fri, 27 Nov 2026 09:45:24 +0000`.
pub fn format_rfc1123z(t: Instant) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (y, mo, d, h, mi, s) = split(t);
    let wd = DAYS[t.div_euclid(86_400).rem_euclid(7) as usize];
    format!("{wd}, {d:02} {} {y:04} {h:02}:{mi:02}:{s:02} +0000", MONTHS[(mo - 1) as usize])
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`; fractions are dropped, as the API server does.
pub fn parse_rfc3339(s: &str) -> Option<Instant> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if b[13] != b':'
        || b[16] != b':'
        || !(1..=12).contains(&mo)
        || !(1..=31).contains(&d)
        || h > 23
        || mi > 59
        || sec > 60
    {
        return None;
    }
    let mut rest = s.get(19..)?;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        rest = &frac[digits..];
    }
    let offset = match rest.as_bytes() {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let two = |a: u8, b: u8| -> Option<i64> {
                (a.is_ascii_digit() && b.is_ascii_digit()).then(|| i64::from(a - b'0') * 10 + i64::from(b - b'0'))
            };
            let (oh, om) = (two(*h1, *h2)?, two(*m1, *m2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let sign = if *sign == b'-' { -1 } else { 1 };
            sign * (oh * 3600 + om * 60)
        }
        _ => return None,
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offset)
}

/// Whole seconds of a duration: a plain number of seconds, or Go's form (`90s`, `10m`, `1h30m`,
/// `1.5h`, `500ms` rounded up). `None` for anything else or for a negative or absurd length.
pub fn parse_duration(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(n) = s.parse::<u64>() {
        return i64::try_from(n).ok().filter(|n| *n <= MAX_DURATION);
    }
    let mut total = 0.0f64;
    let mut rest = s;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let value: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            "us" | "µs" => 0.000_001,
            "ns" => 0.000_000_001,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += value * scale;
    }
    let secs = total.ceil();
    (secs.is_finite() && secs <= MAX_DURATION as f64).then_some(secs as i64)
}

/// The longest time one command may move the clock: about 100 years.
const MAX_DURATION: i64 = 100 * 365 * 86_400;

#[cfg(test)]
mod tests {
    #[test]
    fn durations_in_seconds_and_go_form() {
        assert_eq!(parse_duration("90"), Some(90));
        assert_eq!(parse_duration("1h30m"), Some(5400));
        assert_eq!(parse_duration("1.5s"), Some(2));
        assert_eq!(parse_duration("500ms"), Some(1));
        assert_eq!(parse_duration("10x"), None);
        assert_eq!(parse_duration("-5s"), None);
        assert_eq!(parse_duration(""), None);
    }

    use super::*;

    #[test]
    fn formats_rfc3339_as_padded_fields_for_every_year() {
        for t in
            [0, 1, 59, 3_599, 86_399, 951_818_400, 1_795_772_723, 253_402_300_799, -1, -62_167_219_200, 253_402_300_800]
        {
            let (y, mo, d, h, mi, s) = split(t);
            assert_eq!(format_rfc3339(t), format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"), "{t}");
        }
        assert_eq!(format_rfc3339(253_402_300_799), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn round_trips_rfc3339() {
        let t = parse_rfc3339("2026-11-27T09:45:23Z").unwrap();
        assert_eq!(format_rfc3339(t), "2026-11-27T09:45:23Z");
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2000-02-29T12:00:00+02:00"), Some(951_818_400));
        assert_eq!(parse_rfc3339("2026-11-27T09:45:23.123456Z"), Some(t));
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-11-27 09:45:23",
            "2026-11-27T09:45:23",
            "2026-11-27T09:45:23+0\u{e9}00",
            "2026-11-27T09:45:2\u{e9}+00:00",
            "2026-11-27T09:45:23+0a:00",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_rfc1123z_with_weekday() {
        let t = parse_rfc3339("2026-11-27T09:45:24Z").unwrap();
        assert_eq!(format_rfc1123z(t), "Fri, 27 Nov 2026 09:45:24 +0000");
        assert_eq!(format_rfc1123z(0), "Thu, 01 Jan 1970 00:00:00 +0000");
    }

    #[test]
    fn env_value_is_checked() {
        assert!(Clock::from_env(Some("soon")).is_err());
        assert_eq!(
            Clock::from_env(Some("2026-11-27T09:45:23+0\u{e9}00")).err().as_deref(),
            Some("KSTATE_NOW: \"2026-11-27T09:45:23+0\u{e9}00\" is not an RFC 3339 time such as 2026-11-27T09:45:00Z")
        );
        assert_eq!(Clock::from_env(Some("2026-11-27T09:45:23Z")).unwrap().now_rfc3339(), "2026-11-27T09:45:23Z");
    }
}
