//! A watch whose output the page shows as the state it ends in ("After a while, you should see all
//! 3 Pods become Running", one row per object): the reader watches until the page's rows appear.
//! On kstate, which converges before every command returns, that is the same `get` without the
//! watch, run while cluster time moves forward until it shows the page's rows.

use super::classify::{invocations, verb};
use super::{elide, header, shape};

/// The longest a watch may move cluster time: ten minutes.
const LONGEST: i64 = 600;

/// A watch replay can run as a `get` on kstate.
#[derive(Debug, PartialEq)]
pub struct Watched {
    /// The command without its watch flag.
    pub command: String,
    /// How long the reader watched, at most: the largest AGE the page shows, in seconds.
    pub seconds: i64,
}

/// The command as a `get` when it is one `kubectl get -w` (or `--watch`) and the page shows a
/// table with one row per object and ages: a watch's stream repeats a name each time the object
/// changes, so distinct names are the end state the reader waited for. `None` otherwise.
pub fn as_get(command: &str, expected: &[String]) -> Option<Watched> {
    let command = unwatched(command)?;
    let lines: Vec<&String> = expected.iter().filter(|l| !l.trim().is_empty()).collect();
    let (head, rows) = lines.split_first()?;
    if !header::is_header(head) || rows.is_empty() || rows.iter().any(|r| elide::is_elision(r.trim())) {
        return None;
    }
    let mut names: Vec<&str> = rows.iter().filter_map(|r| r.split_whitespace().next()).collect();
    names.sort_unstable();
    names.dedup();
    if names.len() != rows.len() {
        return None;
    }
    let seconds = rows
        .iter()
        .flat_map(|r| r.split_whitespace())
        .filter(|w| shape::is_age(w))
        .filter_map(crate::clock::parse_duration)
        .max()?;
    Some(Watched { command, seconds: seconds.min(LONGEST) })
}

/// One `kubectl get -w` (or `--watch`) on one line, as the same `get` without the watch flag.
pub fn unwatched(command: &str) -> Option<String> {
    let calls = invocations(command);
    let [args] = calls.as_slice() else { return None };
    if command.lines().count() != 1 || verb(args) != "get" {
        return None;
    }
    let is_watch = |w: &str| w == "-w" || w == "--watch" || w == "--watch=true";
    let words: Vec<&str> = command.split_whitespace().collect();
    if words.iter().filter(|w| is_watch(w)).count() != 1 {
        return None;
    }
    Some(words.into_iter().filter(|w| !is_watch(w)).collect::<Vec<_>>().join(" "))
}

/// Whether a watch the page shows no output of ("Watch the new Pods come up") has shown what the
/// reader waits for: every object it lists is ready (each `n/m` count, READY or COMPLETIONS, is
/// full). Nothing listed is settled too: the watch waits for what a later command creates.
pub fn settled(output: &str) -> bool {
    let mut lines = output.lines().filter(|l| !l.trim().is_empty());
    if !lines.next().is_some_and(header::is_header) {
        return true;
    }
    lines.flat_map(str::split_whitespace).filter_map(|w| w.split_once('/')).all(|(n, m)| {
        match (n.parse::<u32>(), m.parse::<u32>()) {
            (Ok(n), Ok(m)) => n == m,
            _ => true,
        }
    })
}

/// How long a watch the page shows no output of may move cluster time: five minutes.
pub const SETTLE_LONGEST: i64 = 300;

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.lines().map(String::from).collect()
    }

    #[test]
    fn a_watch_showing_one_row_per_pod_is_a_get_bounded_by_the_largest_age() {
        let rows = v("NAME      READY     STATUS    RESTARTS   AGE\nmysql-0   2/2       Running   0          2m\nmysql-1   2/2       Running   0          1m\n");
        let w = as_get("kubectl get pods -l app=mysql --watch", &rows);
        assert_eq!(w, Some(Watched { command: "kubectl get pods -l app=mysql".into(), seconds: 120 }));
        assert_eq!(
            as_get("kubectl get pods -w -l app=mysql", &rows).map(|w| w.command).as_deref(),
            Some("kubectl get pods -l app=mysql")
        );
    }

    #[test]
    fn a_watch_without_output_waits_until_every_count_is_full() {
        assert!(!settled("NAME      READY   STATUS     RESTARTS   AGE\nmysql-2   1/2     Running    0          5s\nmysql-3   0/2     Init:0/2   0          0s\n"));
        assert!(settled("NAME      READY   STATUS    RESTARTS   AGE\nmysql-2   2/2     Running   0          1m\n"));
        assert!(settled("No resources found in default namespace.\n"));
        assert!(!settled("NAME    COMPLETIONS   DURATION   AGE\npi      0/1           5s         5s\n"));
    }

    #[test]
    fn a_stream_of_changes_or_a_watch_without_rows_stays_a_watch() {
        let stream = v("NAME        COMPLETIONS   DURATION   AGE\nhello-4111   0/1                      0s\nhello-4111   1/1           5s         5s\n");
        assert_eq!(as_get("kubectl get jobs --watch", &stream), None);
        let elided = v("NAME      READY   STATUS\nmysql-2   2/2     Terminating   15m\n[...]\n");
        assert_eq!(as_get("kubectl get pod mysql-2 -o wide --watch", &elided), None);
        assert_eq!(as_get("kubectl get pods -w", &[]), None);
        let rows = v("NAME   READY\nweb-0  1/1\n");
        assert_eq!(as_get("kubectl get pods -w", &rows), None, "no age says how long the reader watched");
        assert_eq!(as_get("kubectl get pods", &v("NAME   AGE\nweb-0  1m\n")), None);
    }
}
