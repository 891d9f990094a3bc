//! Cron schedules as the CronJob controller reads them (robfig/cron's standard parser): five
//! fields (minute, hour, day of month, month, day of week) with `*`, `?`, lists, ranges, steps
//! and month and day names, and the `@yearly` family. Times are UTC minutes.

use crate::clock::{split, Instant};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    minutes: u64,
    hours: u64,
    days: u64,
    months: u64,
    weekdays: u64,
    /// Day of month or day of week was `*`: both must match (else either may).
    day_star: bool,
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

impl Schedule {
    /// Parses a schedule; the error reads as the controller's (`unparseable schedule`).
    pub fn parse(spec: &str) -> Result<Schedule, String> {
        let spec = spec.trim();
        let expanded = match spec {
            "@yearly" | "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" | "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            other => other,
        };
        let fields: Vec<&str> = expanded.split_whitespace().collect();
        if fields.len() != 5 {
            // robfig/cron prints the fields as Go's `%s` of a []string.
            return Err(format!("expected exactly 5 fields, found {}: [{}]", fields.len(), fields.join(" ")));
        }
        let dom_star = fields[2].starts_with('*') || fields[2].starts_with('?');
        let dow_star = fields[4].starts_with('*') || fields[4].starts_with('?');
        // Sunday is 0 or 7.
        let weekdays = field(fields[4], 0, 7, &WEEKDAYS)?;
        Ok(Schedule {
            minutes: field(fields[0], 0, 59, &[])?,
            hours: field(fields[1], 0, 23, &[])?,
            days: field(fields[2], 1, 31, &[])?,
            months: field(fields[3], 1, 12, &MONTHS)?,
            weekdays: weekdays | (weekdays >> 7 & 1),
            day_star: dom_star || dow_star,
        })
    }

    fn day_matches(&self, t: Instant) -> bool {
        let (_, _, d, _, _, _) = split(t);
        let weekday = (t.div_euclid(86_400) + 4).rem_euclid(7);
        let dom = self.days & (1 << d) != 0;
        let dow = self.weekdays & (1 << weekday) != 0;
        if self.day_star {
            dom && dow
        } else {
            dom || dow
        }
    }

    /// The first scheduled minute strictly after `t`, within five years.
    pub fn next_after(&self, t: Instant) -> Option<Instant> {
        let mut t = t - t.rem_euclid(60) + 60;
        let limit = t + 5 * 366 * 86_400;
        while t < limit {
            let (_, mo, _, h, mi, _) = split(t);
            if self.months & (1 << mo) == 0 {
                t = t - t.rem_euclid(86_400) + 86_400;
                continue;
            }
            if !self.day_matches(t) {
                t = t - t.rem_euclid(86_400) + 86_400;
                continue;
            }
            if self.hours & (1 << h) == 0 {
                t = t - t.rem_euclid(3600) + 3600;
                continue;
            }
            if self.minutes & (1 << mi) == 0 {
                t += 60;
                continue;
            }
            return Some(t);
        }
        None
    }
}

/// One field as a bit set: `*`, `?`, `a`, `a-b`, `*/n`, `a-b/n`, `a/n`, lists of those.
fn field(text: &str, min: u32, max: u32, names: &[&str]) -> Result<u64, String> {
    let mut bits = 0u64;
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => {
                (r, Some(s.parse::<u32>().map_err(|_| format!("failed to parse int from {s}: invalid syntax"))?))
            }
            None => (part, None),
        };
        let (lo, hi) = if range == "*" || range == "?" {
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            (value(a, names, min)?, value(b, names, min)?)
        } else {
            let v = value(range, names, min)?;
            (v, if step.is_some() { max } else { v })
        };
        if lo < min || hi > max || lo > hi {
            return Err(format!("end of range ({hi}) above maximum ({max}): {part}"));
        }
        let step = step.unwrap_or(1);
        if step == 0 {
            return Err(format!("step of range should be a positive number: {part}"));
        }
        let mut v = lo;
        while v <= hi {
            bits |= 1 << v;
            v += step;
        }
    }
    Ok(bits)
}

fn value(text: &str, names: &[&str], min: u32) -> Result<u32, String> {
    let lower = text.to_ascii_lowercase();
    if let Some(i) = names.iter().position(|n| *n == lower) {
        return Ok(u32::try_from(i).unwrap_or(0) + min);
    }
    text.parse::<u32>().map_err(|_| format!("failed to parse int from {text}: invalid syntax"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{format_rfc3339, parse_rfc3339};

    fn next(spec: &str, after: &str) -> String {
        let s = Schedule::parse(spec).unwrap();
        format_rfc3339(s.next_after(parse_rfc3339(after).unwrap()).unwrap())
    }

    #[test]
    fn finds_the_next_minute_of_common_schedules() {
        assert_eq!(next("* * * * *", "2026-11-27T09:00:30Z"), "2026-11-27T09:01:00Z");
        assert_eq!(next("*/5 * * * *", "2026-11-27T09:01:00Z"), "2026-11-27T09:05:00Z");
        assert_eq!(next("@hourly", "2026-11-27T09:00:00Z"), "2026-11-27T10:00:00Z");
        assert_eq!(next("0 0 * * sun", "2026-11-27T09:00:00Z"), "2026-11-29T00:00:00Z");
        assert_eq!(next("30 2 1 jan *", "2026-11-27T09:00:00Z"), "2027-01-01T02:30:00Z");
        assert_eq!(next("0 0 * * 7", "2026-11-27T09:00:00Z"), "2026-11-29T00:00:00Z");
    }

    #[test]
    fn rejects_bad_schedules() {
        assert!(Schedule::parse("* * * *").is_err());
        assert!(Schedule::parse("61 * * * *").is_err());
        assert!(Schedule::parse("*/0 * * * *").is_err());
        assert!(Schedule::parse("x * * * *").is_err());
    }
}
