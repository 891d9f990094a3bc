//! One command of a document: plan it, fill its placeholders, provide its files, run it on the
//! target (on a real cluster, reads are retried until the cluster has converged), and compare what
//! it printed with what the document shows.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use super::classify::{self, Plan};
use super::compare::{self, Bindings, Outcome, Where};
use super::created::{self, Object};
use super::parse::{Manifest, Shell, Step};
use super::placeholder::{self, Fills, Kind};
use super::runner::{shell_quote, Ran, Sandbox};
use super::sources::{self, Folders};
use super::{drift, elide, parse, report, shape, watch, Status, StepReport};

/// How long to wait between two tries of a read on a real cluster.
const RETRY_EVERY: Duration = Duration::from_secs(2);

/// How far cluster time moves between two looks of a watch replayed on kstate, in seconds.
const WATCH_STEP: i64 = 5;

/// What one document's commands share while it is replayed.
pub struct Doc<'a> {
    pub manifests: &'a [Manifest],
    pub folders: &'a Folders,
    pub sandbox: &'a Sandbox,
    pub bindings: Bindings,
    /// Objects the document created so far, in order.
    pub created: Vec<Object>,
    fills: Fills,
    assigned: HashSet<String>,
    /// How long a read may be retried until its output matches (0 on kstate, which converges
    /// before every command returns).
    converge: Duration,
    /// The `cd` commands typed so far in the container shell the reader is in: each typed
    /// command runs in an exec of its own, so they run again before it.
    shell_cds: Vec<String>,
}

fn report(step: &Step, status: Status) -> StepReport {
    StepReport {
        line: step.line,
        command: step.command.clone(),
        status,
        reason: None,
        drift: Vec::new(),
        mismatches: Vec::new(),
        diff: Vec::new(),
        notes: Vec::new(),
        exit_code: None,
        printed: Vec::new(),
    }
}

fn skipped(step: &Step, why: String) -> StepReport {
    let mut r = report(step, Status::Skipped);
    r.reason = Some(why);
    r
}

impl<'a> Doc<'a> {
    pub fn new(manifests: &'a [Manifest], folders: &'a Folders, sandbox: &'a Sandbox, converge: Duration) -> Self {
        Doc {
            manifests,
            folders,
            sandbox,
            bindings: Bindings::default(),
            created: Vec::new(),
            fills: Fills::default(),
            assigned: HashSet::new(),
            converge,
            shell_cds: Vec::new(),
        }
    }

    /// The first word of each line a read prints, without its `kind/` prefix.
    fn names(&self, command: &str) -> anyhow::Result<Vec<String>> {
        let ran = self.sandbox.run(command)?;
        if ran.code != 0 {
            return Ok(Vec::new());
        }
        Ok(parse::lines(&ran.output)
            .iter()
            .filter(|l| !drift::is_notice(l))
            .filter_map(|l| l.split_whitespace().next())
            .map(|w| w.rsplit('/').next().unwrap_or(w).to_string())
            .collect())
    }

    /// The cluster's node names (bound to the document's node names wherever they appear).
    pub fn learn_nodes(&mut self) -> anyhow::Result<()> {
        let nodes = self.names("kubectl get nodes -o name")?;
        self.bindings.set_nodes(nodes);
        Ok(())
    }

    /// A value for a placeholder and why it was chosen.
    fn choose(&self, kind: Kind) -> anyhow::Result<Option<(String, String)>> {
        Ok(match kind {
            Kind::Process => Some(("1".into(), "the container's main process is PID 1".into())),
            Kind::Node => {
                self.names("kubectl get nodes -o name")?.into_iter().next().map(|n| (n, "a node of the cluster".into()))
            }
            Kind::Namespace => Some(match self.created.iter().rev().find(|o| o.is("namespaces")) {
                Some(o) => (o.name.clone(), "the namespace the document created last".into()),
                None => ("default".into(), "the default namespace".into()),
            }),
            Kind::Resource(r) => match self.created.iter().rev().find(|o| o.is(r)) {
                Some(o) => Some((o.name.clone(), format!("the {} the document created last", singular(r)))),
                None => self
                    .names(&format!("kubectl get {r} -o name --sort-by=.metadata.creationTimestamp"))?
                    .pop()
                    .map(|n| {
                        let place = if r == "persistentvolumes" { "cluster" } else { "namespace" };
                        (n, format!("the newest {} in the {place}", singular(r)))
                    }),
            },
        })
    }

    /// Fills the placeholders of a command; returns the values and notes saying what was chosen.
    fn fill(&mut self, command: &str, notes: &mut Vec<String>) -> anyhow::Result<Vec<(String, String)>> {
        self.assigned.extend(placeholder::assigned_by(command));
        let mut values = Vec::new();
        for (text, kind) in placeholder::find(command, &self.assigned) {
            if let Some(v) = self.fills.get(&text) {
                values.push((text, v.to_string()));
                continue;
            }
            match self.choose(kind)? {
                Some((value, why)) => {
                    notes.push(format!("filled {text} with {value} ({why})"));
                    self.fills.set(&text, &value);
                    values.push((text, value));
                }
                None => notes.push(format!("could not fill {text}: the cluster has none")),
            }
        }
        Ok(values)
    }

    /// A command typed in a container's shell, after the `cd`s typed before it in that shell
    /// (`cd /data/redis/`, then `ls` lists /data/redis); a `cd` is remembered for the next ones.
    fn in_shell(&mut self, typed: &str) -> String {
        let mut line = self.shell_cds.iter().map(|c| format!("{c} && ")).collect::<String>();
        line.push_str(typed);
        if typed.split_whitespace().next() == Some("cd") && !typed.contains([';', '&', '|']) {
            self.shell_cds.push(typed.trim().to_string());
        }
        line
    }

    pub fn run(&mut self, step: &Step, may_have_tail: bool) -> anyhow::Result<StepReport> {
        if step.shell == Shell::Host {
            // A shell opened (or left): its working directory starts afresh.
            self.shell_cds.clear();
        }
        let plan = match &step.shell {
            Shell::Host => classify::plan(&step.command),
            Shell::Pod(_) => classify::plan_in_pod(&step.command),
            Shell::Unreachable(at) => {
                Plan::Skip(format!("typed in the interactive shell of line {at}, which replay cannot enter"))
            }
        };
        let mut notes = Vec::new();
        if let Some(wait) = step.wait.as_deref().filter(|_| !self.sandbox.target.is_real()) {
            // The prose tells the reader to wait ("After 35 seconds, ..."), also while a watch
            // replay skips runs: cluster time moves.
            let ran = self.sandbox.run(&format!("kubectl advance {wait}"))?;
            if ran.code == 0 {
                notes.push(format!("moved cluster time forward by {wait}, as the page says to wait"));
            }
        }
        match plan {
            Plan::Skip(why) => {
                let watched = watch::as_get(&step.command, &step.expected).filter(|_| !self.sandbox.target.is_real());
                if let Some(watched) = watched {
                    let mut r = self.watch_until(step, &watched)?;
                    notes.append(&mut r.notes);
                    r.notes = notes;
                    return Ok(r);
                }
                let mut r = skipped(step, why);
                if let Some(get) = watch::unwatched(&step.command).filter(|_| step.expected.is_empty()) {
                    if !self.sandbox.target.is_real() {
                        notes.push(self.watch_settle(&get)?);
                    }
                }
                r.notes.append(&mut notes);
                return Ok(r);
            }
            Plan::Write { name, body } => {
                self.sandbox.write(&name, &body)?;
                let mut r = report(step, Status::Ok);
                r.notes.push(format!("wrote {name}"));
                return Ok(r);
            }
            Plan::Advance(duration) if !self.sandbox.target.is_real() => {
                // The reader waits; on kstate the cluster's clock moves instead.
                let ran = self.sandbox.run(&format!("kubectl advance {duration}"))?;
                let mut r = report(step, if ran.code == 0 { Status::Ok } else { Status::Failed });
                r.notes.push(format!("moved cluster time forward by {duration}"));
                return Ok(r);
            }
            Plan::Run | Plan::Advance(_) => {}
        }
        let values = self.fill(&step.command, &mut notes)?;
        let command = self.bound_names(&placeholder::fill(&step.command, &values), &mut notes);
        let filled = Step {
            command,
            expected: step.expected.iter().map(|l| placeholder::fill(l, &values)).collect(),
            ..step.clone()
        };
        let command = match &step.shell {
            Shell::Pod(exec) => {
                let typed = self.in_shell(&filled.command);
                format!("{exec} -- sh -c {}", shell_quote(&typed))
            }
            _ => match sources::provide(&filled, self.manifests, self.folders, self.sandbox)? {
                Ok(c) => c,
                Err(why) => return Ok(skipped(step, why)),
            },
        };
        let mut r = self.run_and_compare(&filled, &command, may_have_tail)?;
        r.command = step.command.clone();
        notes.append(&mut r.notes);
        r.notes = notes;
        self.created.extend(created::from_output(&r.printed, &filled.command));
        Ok(r)
    }

    /// A watch the page shows the end state of: its `get` runs while cluster time moves forward
    /// in steps of `WATCH_STEP` seconds until it shows the page's rows, for at most as long as the
    /// page's largest AGE (the reader cannot have watched longer).
    fn watch_until(&mut self, step: &Step, watched: &watch::Watched) -> anyhow::Result<StepReport> {
        let get = Step { command: watched.command.clone(), ..step.clone() };
        let before = self.bindings.clone();
        let mut waited = 0;
        loop {
            let mut r = self.run_and_compare(&get, &get.command, false)?;
            if r.status != Status::Failed || waited >= watched.seconds {
                r.command = step.command.clone();
                r.notes.push(match r.status {
                    Status::Failed => format!(
                        "watched as `{}` for {waited}s of cluster time (the page's largest AGE): it never showed the page's rows",
                        get.command
                    ),
                    _ => format!("watched as `{}`: it showed the page's rows after {waited}s of cluster time", get.command),
                });
                return Ok(r);
            }
            // A try that did not match must not bind the page's names to this try's values.
            self.bindings = before.clone();
            let ran = self.sandbox.run(&format!("kubectl advance {WATCH_STEP}s"))?;
            if ran.code != 0 {
                anyhow::bail!("kubectl advance failed: {}", ran.output);
            }
            waited += WATCH_STEP;
        }
    }

    /// A watch the page shows no output of: the reader watches until what it lists is ready, so
    /// cluster time moves in steps of `WATCH_STEP` seconds until the `get` shows every count full
    /// (at most `watch::SETTLE_LONGEST`). Returns the note saying how long.
    fn watch_settle(&mut self, get: &str) -> anyhow::Result<String> {
        let mut waited = 0;
        while waited < watch::SETTLE_LONGEST && !watch::settled(&self.sandbox.run(get)?.output) {
            let ran = self.sandbox.run(&format!("kubectl advance {WATCH_STEP}s"))?;
            if ran.code != 0 {
                anyhow::bail!("kubectl advance failed: {}", ran.output);
            }
            waited += WATCH_STEP;
        }
        Ok(format!(
            "moved cluster time forward by {waited}s while the watch ran, until `{get}` showed everything ready"
        ))
    }

    /// A name the page's own cluster generated (`frontend-b2zdv`), used in a later command, is
    /// the replay's name an earlier output bound it to (`kubectl get pods frontend-b2zdv -o
    /// yaml`): the reader types the name their cluster printed.
    fn bound_names(&self, command: &str, notes: &mut Vec<String>) -> String {
        let mut out = String::new();
        let mut word = String::new();
        let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
        for c in command.chars().chain(std::iter::once('\0')) {
            if is_name_char(c) {
                word.push(c);
                continue;
            }
            let bound = shape::generated_suffix(&word).and_then(|_| self.bindings.lookup(&word));
            match bound.filter(|b| *b != word) {
                Some(name) => {
                    notes.push(format!("used {name} for {word}, the name the replay printed in its place"));
                    out.push_str(name);
                }
                None => out.push_str(&word),
            }
            word.clear();
            if c != '\0' {
                out.push(c);
            }
        }
        out
    }

    /// Runs the command and compares; a read on a real cluster is run again until it matches or
    /// the convergence timeout passes.
    fn run_and_compare(&mut self, step: &Step, command: &str, may_have_tail: bool) -> anyhow::Result<StepReport> {
        let retry = !self.converge.is_zero() && !step.expected.is_empty() && classify::waits_for_convergence(command);
        let start = Instant::now();
        let mut tries = 0;
        loop {
            let ran = self.sandbox.run(command)?;
            tries += 1;
            let mut bindings = self.bindings.clone();
            let printer = if self.sandbox.target.is_real() { "kubectl" } else { "kstate" };
            let mut r = judge(step, ran, &mut bindings, Where::document(step.span.start + 1, may_have_tail, printer));
            let settled = r.status != Status::Failed || !retry || start.elapsed() + RETRY_EVERY > self.converge;
            if settled {
                self.bindings = bindings;
                if retry && tries > 1 {
                    r.notes.push(format!("ran {tries} times while the cluster converged"));
                }
                return Ok(r);
            }
            std::thread::sleep(RETRY_EVERY);
        }
    }
}

fn singular(plural: &str) -> &str {
    match plural {
        "persistentvolumeclaims" => "claim",
        "persistentvolumes" => "volume",
        p => p.strip_suffix('s').unwrap_or(p),
    }
}

/// The verdict on what one run printed.
fn judge(step: &Step, ran: Ran, bindings: &mut Bindings, at: Where) -> StepReport {
    let mut r = report(step, Status::Ok);
    r.exit_code = Some(ran.code);
    if ran.timed_out {
        r.status = Status::Failed;
        r.reason = Some("timed out".into());
        return r;
    }
    let all: Vec<String> = parse::lines(&ran.output);
    let (notices, printed): (Vec<String>, Vec<String>) = all.into_iter().partition(|l| drift::is_notice(l));
    r.drift = drift::from_notices(&notices, &step.command);
    r.printed = printed;
    if step.expected.is_empty() {
        if ran.code != 0 {
            r.status = Status::Failed;
            r.reason = Some(format!("exited with {}", ran.code));
            r.diff = r.printed.iter().map(|l| format!("+ {l}")).collect();
            return r;
        }
        if !r.printed.is_empty() {
            r.notes.push("the document shows no output".into());
        }
    } else {
        let expected: Vec<String> = step.expected.iter().filter(|l| !drift::is_notice(l)).cloned().collect();
        let tail = describe_tail(&step.command, &expected, &r.printed);
        if tail > 0 {
            r.notes.push(format!("the page shows the end of the output: compared from line {}", tail + 1));
        }
        let reordered = environment_order(&step.command, &expected, &r.printed[tail..]);
        if reordered.is_some() {
            r.notes.push("the environment's order is the kubelet's (a Go map's): compared by variable".into());
        }
        let printed = reordered.as_deref().unwrap_or(&r.printed[tail..]);
        let o: Outcome = compare::compare(&expected, printed, bindings, &at);
        r.drift.extend(o.drift);
        if !o.ignored_tail.is_empty() {
            r.notes.push(format!(
                "took {} trailing line(s) as page text: {}",
                o.ignored_tail.len(),
                o.ignored_tail.join(" | ")
            ));
        }
        if !o.mismatches.is_empty() {
            r.status = Status::Failed;
            r.mismatches = o.mismatches;
            r.diff = report::diff(&expected, &r.printed, &o.bad, at.printed);
            if ran.code != 0 {
                r.reason = Some(format!("exited with {}", ran.code));
            }
            return r;
        }
    }
    if !r.drift.is_empty() {
        r.status = Status::Drift;
    }
    r
}

/// `printenv` or `env` (run in a container, or through `kubectl exec`): the kubelet hands a
/// container its variables from a Go map, so a real cluster prints them in any order. When the
/// page shows only `NAME=value` lines (and elisions), what was printed is put in the page's order:
/// the lines of the variables the page names where it names them, the others at its first
/// elision (at the end without one, where they are extra lines).
fn environment_order(command: &str, expected: &[String], printed: &[String]) -> Option<Vec<String>> {
    let last = command.split_whitespace().last()?;
    if !matches!(last, "printenv" | "env") || expected.is_empty() {
        return None;
    }
    let name = |l: &str| l.trim().split_once('=').map(|(n, _)| n.to_string());
    let names: Vec<Option<String>> = expected.iter().map(|l| name(l)).collect();
    let shown = |l: &String| !elide::is_elision(l) && !l.trim().is_empty();
    if expected.iter().zip(&names).any(|(l, n)| shown(l) && n.is_none()) {
        return None;
    }
    let wanted: Vec<&String> = names.iter().flatten().collect();
    let (mut named, rest): (Vec<&String>, Vec<&String>) =
        printed.iter().partition(|l| name(l).is_some_and(|n| wanted.contains(&&n)));
    let mut out = Vec::new();
    let mut rest = Some(rest);
    for (line, n) in expected.iter().zip(&names) {
        match n {
            Some(n) => {
                if let Some(k) = named.iter().position(|l| name(l).as_ref() == Some(n)) {
                    out.push(named.remove(k).clone());
                }
            }
            None if elide::is_elision(line) => out.extend(rest.take().into_iter().flatten().cloned()),
            None => {}
        }
    }
    out.extend(rest.into_iter().flatten().cloned());
    Some(out)
}

/// Where a page's excerpt of a `kubectl describe` starts in the output: pages often show only its
/// Events table ("At the bottom of the output, there are messages ..."). When the page's first
/// line is not the describe's first (`Name:`) but has the same words as a later line of the output
/// (the last such line), the comparison starts there; else at 0.
fn describe_tail(command: &str, expected: &[String], printed: &[String]) -> usize {
    let words = |l: &str| l.split_whitespace().map(String::from).collect::<Vec<_>>();
    let describe = command.split_whitespace().take(2).eq(["kubectl", "describe"]);
    let Some(first) = expected.iter().find(|l| !l.trim().is_empty()) else { return 0 };
    let starts_whole = first.trim_start().starts_with("Name:");
    if !describe || starts_whole || !printed.first().is_some_and(|l| l.starts_with("Name:")) {
        return 0;
    }
    let want = words(first);
    printed.iter().rposition(|l| words(l) == want).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.lines().map(String::from).collect()
    }

    #[test]
    fn printenv_is_put_in_the_pages_order() {
        let printed = v("PATH=/bin\nHOSTNAME=p\nMY_NODE_NAME=n1\nMY_POD_NAME=p\nHOME=/root");
        let page = v("MY_POD_NAME=p\n...\nMY_NODE_NAME=minikube");
        let got = environment_order("kubectl exec p -- printenv", &page, &printed);
        assert_eq!(got, Some(v("MY_POD_NAME=p\nPATH=/bin\nHOSTNAME=p\nHOME=/root\nMY_NODE_NAME=n1")));
        // Without an elision the other variables are extra lines at the end.
        let got = environment_order("printenv", &v("MY_NODE_NAME=x\nMY_POD_NAME=p"), &printed);
        assert_eq!(got, Some(v("MY_NODE_NAME=n1\nMY_POD_NAME=p\nPATH=/bin\nHOSTNAME=p\nHOME=/root")));
        assert_eq!(environment_order("kubectl get pods", &page, &printed), None);
        assert_eq!(environment_order("printenv", &v("some text"), &printed), None);
    }

    #[test]
    fn a_describe_excerpt_is_compared_with_the_end_of_the_output() {
        let printed = v("Name:  web-0\nEvents:\n  Type    Reason     Age   From     Message\n  ----    ------     ----  ----     -------\n  Normal  Started    1s    kubelet  Started container nginx");
        let events = v("Type    Reason     Age   From     Message\n----    ------     ----  ----     -------");
        assert_eq!(describe_tail("kubectl describe pod web-0", &events, &printed), 2);
        assert_eq!(describe_tail("kubectl describe pod web-0", &v("Name:  web-0"), &printed), 0);
        assert_eq!(describe_tail("kubectl get pod web-0", &events, &printed), 0);
    }
}
