//! The drift catalogue: differences that come from an older kubectl or from commands kstate accepts
//! only for compatibility. Drift is reported with today's form; it fails only with `--strict`.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drift {
    /// `removed-api`, `exec-without-dashes`, `old-message`, `old-column`, `missing-column`, `warning`.
    pub kind: &'static str,
    pub message: String,
    /// Today's form of what the document shows.
    pub today: String,
}

/// The line kstate prints for `exec` without `--`.
const EXEC_DEPRECATED: &str = "kubectl exec [POD] [COMMAND] is DEPRECATED";

/// Columns today's kubectl prints that older versions did not.
pub const NEW_COLUMNS: [(&str, &str); 6] = [
    ("VOLUMEATTRIBUTESCLASS", "kubectl v1.29+ prints the VOLUMEATTRIBUTESCLASS column for claims and volumes"),
    ("TIMEZONE", "Kubernetes v1.30+ prints the TIMEZONE column for CronJobs"),
    ("STORAGECLASS", "kubectl v1.8+ prints the STORAGECLASS column for claims and volumes"),
    ("CHANGE-CAUSE", "today's kubectl prints CHANGE-CAUSE in rollout history"),
    ("NOMINATED NODE", "kubectl v1.11+ prints NOMINATED NODE with -o wide"),
    ("READINESS GATES", "kubectl v1.12+ prints READINESS GATES with -o wide"),
];

/// What kubectl says about the terminal of `-it` sessions, depending on where it runs.
const TERMINAL_NOTICES: [&str; 2] =
    ["Unable to use a TTY - input is not a terminal", "If you don't see a command prompt, try pressing enter."];

/// Whether an output line is a compatibility or terminal notice (kept out of the output comparison).
pub fn is_notice(line: &str) -> bool {
    line.starts_with("Warning: ")
        || line.starts_with(EXEC_DEPRECATED)
        || TERMINAL_NOTICES.iter().any(|n| line.starts_with(n))
        || is_progress_meter(line)
        || is_old_attach_wait(line)
}

/// `Waiting for pod default/x to be running, status is Pending, pod ready: false`: what an older
/// kubectl printed while `run -i` waited for its pod to start (v1.32's prints only the prompt hint).
fn is_old_attach_wait(line: &str) -> bool {
    line.starts_with("Waiting for pod ") && line.contains(" to be running, status is ")
}

/// curl's progress meter, which it prints only when its output is not a terminal: a command typed
/// in a container's shell shows none, the same command replayed through `kubectl exec` does.
fn is_progress_meter(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("% Total    % Received % Xferd")
        || t.starts_with("Dload  Upload   Total   Spent")
        || (t.starts_with(|c: char| c.is_ascii_digit()) && line.contains(" --:--:-- "))
}

/// Turns the compatibility notices kstate printed into drift entries.
pub fn from_notices(lines: &[String], command: &str) -> Vec<Drift> {
    let mut out = Vec::new();
    for l in lines {
        if l.starts_with(EXEC_DEPRECATED) {
            out.push(Drift {
                kind: "exec-without-dashes",
                message: "`kubectl exec POD COMMAND` without `--` is deprecated".into(),
                today: exec_today(command),
            });
        } else if let Some(w) = l.strip_prefix("Warning: ") {
            let removed = w.contains(" is deprecated in v") && w.contains("unavailable in v");
            let today = match w.rsplit_once("; use ") {
                Some((_, t)) if removed => format!("apiVersion: {}", t.split_whitespace().next().unwrap_or(t)),
                _ => w.to_string(),
            };
            out.push(Drift { kind: if removed { "removed-api" } else { "warning" }, message: w.to_string(), today });
        }
    }
    out.dedup();
    out
}

/// The command with `--` before the container command: `kubectl exec web-1 -- ls /data`.
pub fn exec_today(command: &str) -> String {
    let words: Vec<&str> = command.split(' ').collect();
    let Some(at) = words.iter().position(|w| *w == "exec") else { return command.to_string() };
    let mut i = at + 1;
    let mut pod_seen = false;
    while i < words.len() {
        let w = words[i];
        if w.is_empty() {
            i += 1;
            continue;
        }
        if w == "--" {
            return command.to_string();
        }
        if w.starts_with('-') {
            let takes_value = matches!(w, "-c" | "-n" | "--container" | "--namespace");
            i += if takes_value { 2 } else { 1 };
            continue;
        }
        if pod_seen {
            let mut v = words.clone();
            v.insert(i, "--");
            return v.join(" ");
        }
        pod_seen = true;
        i += 1;
    }
    command.to_string()
}

/// An old kubectl's one-line message (`statefulset.apps "web" scaled`, `statefulset "web" created`)
/// where today's kubectl prints `statefulset.apps/web scaled`: returns (kind, name, verb) of each.
pub fn old_message(expected: &str, actual: &str) -> Option<Drift> {
    let drift = || Drift {
        kind: "old-message",
        message: format!("older kubectl message `{}`", expected.trim()),
        today: actual.trim().to_string(),
    };
    // kubectl v1.20+ names the namespace: `No resources found in default namespace.`
    if expected.trim() == "No resources found." && actual.trim().starts_with("No resources found in ") {
        return Some(drift());
    }
    let (ek, rest) = expected.trim().split_once(" \"")?;
    // `statefulsets "web"` (the heading of an old `rollout history`) has no verb.
    let (en, everb) = rest.split_once("\" ").or_else(|| rest.strip_suffix('"').map(|n| (n, "")))?;
    // `statefulset "web" deleted`, before kubectl named the group: `statefulset.apps "web" deleted`.
    if let Some((ak, rest)) = actual.trim().split_once(" \"") {
        let (an, averb) = rest.split_once("\" ")?;
        let grouped = ak.split_once('.').is_some_and(|(base, _)| base == ek);
        return (grouped && en == an && everb == averb && !ek.contains(' ')).then(drift);
    }
    let (ak, rest) = actual.trim().split_once('/')?;
    let (an, averb) = rest.split_once(' ').unwrap_or((rest, ""));
    let base = ak.split('.').next().unwrap_or(ak);
    let kind_ok = ek == ak || base == ek || ek.strip_suffix('s') == Some(base);
    (kind_ok && en == an && everb == averb && !ek.contains(' ')).then(drift)
}

/// A CHANGE-CAUSE the document's kubectl recorded with `--record` (deprecated since v1.19), where
/// today's shows `<none>`.
pub fn recorded_cause(column: &str, expected: &str, actual: &str) -> Option<Drift> {
    (column == "CHANGE-CAUSE" && expected.starts_with("kubectl ") && actual == "<none>").then(|| Drift {
        kind: "old-message",
        message: format!("change cause `{expected}` recorded with kubectl's deprecated --record"),
        today: "<none>".into(),
    })
}

/// A RESTARTS count an older kubectl printed alone (`1`) where today's adds when the last restart
/// was (`1 (25s ago)`).
pub fn restarts_without_ago(column: &str, expected: &str, actual: &str) -> Option<Drift> {
    let (count, when) = actual.split_once(" (")?;
    let ok = column == "RESTARTS" && count == expected && when.ends_with(" ago)") && expected.parse::<u32>().is_ok();
    ok.then(|| Drift {
        kind: "old-column",
        message: format!("RESTARTS `{expected}`: older kubectl did not show when the last restart was"),
        today: actual.to_string(),
    })
}

/// An event source an older kubectl printed with its host (`kubelet, node01`) where today's prints
/// the component (`kubelet`).
pub fn source_with_host(column: &str, expected: &str, actual: &str) -> Option<Drift> {
    let host = expected.strip_prefix(actual)?.strip_prefix(", ")?;
    (column == "FROM" && !actual.is_empty() && !host.contains(' ')).then(|| Drift {
        kind: "old-column",
        message: format!("FROM `{expected}`: older kubectl printed the event's host after its source"),
        today: actual.to_string(),
    })
}

pub fn new_column(name: &str) -> Option<&'static str> {
    NEW_COLUMNS.iter().find(|(c, _)| *c == name).map(|(_, why)| *why)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_gets_dashes() {
        assert_eq!(exec_today("kubectl exec web-1 ls /data"), "kubectl exec web-1 -- ls /data");
        assert_eq!(exec_today("kubectl exec -c nginx web-1 touch /x"), "kubectl exec -c nginx web-1 -- touch /x");
        assert_eq!(exec_today("kubectl exec web-1 -- ls"), "kubectl exec web-1 -- ls");
    }

    #[test]
    fn notices() {
        let lines = vec![
            "Warning: apps/v1beta2 StatefulSet is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 StatefulSet"
                .to_string(),
        ];
        let d = from_notices(&lines, "kubectl create -f x.yaml");
        assert!(is_notice("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current"));
        assert!(is_notice("Unable to use a TTY - input is not a terminal or the right kind of file"));
        assert!(is_notice("Waiting for pod default/mysql-client to be running, status is Pending, pod ready: false"));
        assert!(!is_notice("hello"));
        assert_eq!(d[0].kind, "removed-api");
        assert_eq!(d[0].today, "apiVersion: apps/v1");
    }

    #[test]
    fn old_messages() {
        let d = old_message("statefulset.apps \"web\" scaled", "statefulset.apps/web scaled").map(|d| d.today);
        assert_eq!(d.as_deref(), Some("statefulset.apps/web scaled"));
        assert!(old_message("statefulset \"web\" created", "statefulset.apps/web created").is_some());
        assert!(old_message("statefulset.apps \"db\" scaled", "statefulset.apps/web scaled").is_none());
        assert!(old_message("pod \"web-1\" deleted", "pod \"web-1\" deleted").is_none());
        assert!(old_message("statefulset \"web\" deleted", "statefulset.apps \"web\" deleted").is_some());
        assert!(restarts_without_ago("RESTARTS", "1", "1 (25s ago)").is_some());
        assert!(source_with_host("FROM", "kubelet, node01", "kubelet").is_some());
        assert!(source_with_host("FROM", "kubelet", "kubelet").is_none());
        assert!(restarts_without_ago("RESTARTS", "2", "1 (25s ago)").is_none());
        assert!(old_message("statefulset \"db\" deleted", "statefulset.apps \"web\" deleted").is_none());
    }
}
