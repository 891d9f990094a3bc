//! A container's process in cluster time: started from its command line, run up to a horizon,
//! suspended with its state stored, resumed in a later kstate command (see `timed.rs`).

use serde::{Deserialize, Serialize};

use super::interp::{Env, Flow, Shell, ShellKind};
use super::io::Io;
use super::simple::Lookup;
use super::timed::{Frame, Timed};
use super::{fs, image, normalized, Backing, Container, Network, MAX_OUTPUT_BYTES};

/// A process between two runs: where it stands and the state of its outermost shell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Process {
    /// The command line it was started with (entrypoint and arguments, already expanded).
    pub argv: Vec<String>,
    /// Its clock: milliseconds since the epoch.
    pub clock: i64,
    /// Where it stands, outermost construct first; empty before its first run.
    pub frames: Vec<Frame>,
    /// The outermost shell's state once it has run.
    pub shell: Option<TopShell>,
    /// A program of an image kstate does not know: it runs, as a server would, until stopped.
    #[serde(default)]
    pub opaque: bool,
    /// A signal delivered and not yet handled: its trap runs before the next command.
    #[serde(default)]
    pub pending: Option<String>,
}

/// What a signal does to a process.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// It stops at once with this exit code (a server shutting down).
    Stops(i32),
    /// Its shell traps the signal: the trap runs when the current command ends (at once for `wait`).
    Trapped,
    /// PID 1 has no handler for it: nothing happens.
    Ignored,
}

/// What the outermost interpreter keeps between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopShell {
    pub env: Env,
    pub kind: ShellKind,
    pub name: String,
    pub line: u32,
    pub status: i32,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Still running: it wants to run again at this time (ms), or waits to be stopped (`None`).
    Running { wake: Option<i64> },
    /// The process ended with `code` at `at` (ms).
    Exited { code: i32, at: i64 },
    /// The runtime could not start it: the runtime's message (exit code 128, `StartError`).
    StartError(String),
    /// The kernel's OOM killer ended it at `at` (ms): exit code 137, reason `OOMKilled`.
    OomKilled { at: i64 },
}

/// The result of one run: the process to store, how it ended, what it logged.
#[derive(Debug, Clone)]
pub struct Step {
    pub process: Process,
    pub outcome: Outcome,
    /// Lines of stdout and stderr, each with the time it was written (ms).
    pub log: Vec<(i64, String)>,
}

impl Process {
    /// A process about to be started at `start` (ms).
    pub fn new(argv: Vec<String>, start: i64) -> Process {
        Process { argv, clock: start, frames: Vec::new(), shell: None, opaque: false, pending: None }
    }

    /// Delivers `signal` (`TERM`, `INT`, ...), as the kernel does to PID 1: only a handler it has
    /// set up reacts.
    pub fn deliver(&mut self, signal: &str) -> Delivery {
        if self.is_serving() {
            return Delivery::Stops(0);
        }
        let trapped = self.active_env().and_then(|e| e.traps.get(signal)).is_some_and(|a| !a.is_empty());
        if trapped {
            self.pending = Some(signal.to_string());
            return Delivery::Trapped;
        }
        Delivery::Ignored
    }

    /// Whether it is in a `wait`, which a signal interrupts.
    pub fn interruptible(&self) -> bool {
        matches!(self.frames.last(), Some(Frame::Wait { .. }))
    }

    /// The environment of the innermost shell (its traps).
    fn active_env(&self) -> Option<&Env> {
        let inner = self.frames.iter().rev().find_map(|f| match f {
            Frame::Shell { env, .. } => Some(env.as_ref()),
            _ => None,
        });
        inner.or(self.shell.as_ref().map(|s| &s.env))
    }

    /// Whether it is waiting for time to pass (a `sleep`), rather than for requests or a signal.
    pub fn is_sleeping(&self) -> bool {
        matches!(self.frames.last(), Some(Frame::Sleep { .. }))
    }

    /// Whether it is `tail -f` looking at files again each second.
    pub fn is_following(&self) -> bool {
        matches!(self.frames.last(), Some(Frame::Follow(_)))
    }

    /// Whether its innermost command is a server, which stops cleanly on SIGTERM.
    pub fn is_serving(&self) -> bool {
        self.opaque || matches!(self.frames.last(), Some(Frame::Serve | Frame::Follow(_)))
    }
}

/// Runs `p` in container `c` until it ends, waits for good, or reaches `horizon` (ms).
pub fn resume(backing: &mut dyn Backing, c: &Container, net: Option<&dyn Network>, p: Process, horizon: i64) -> Step {
    let mut c = normalized(c);
    c.now = p.clock.div_euclid(1000);
    c.main = p.argv.clone();
    if p.opaque {
        return Step { process: p, outcome: Outcome::Running { wake: None }, log: Vec::new() };
    }
    let image = image::image_for(&c);
    let catalogued = image.catalogued;
    let fs = fs::Fs::new(backing, &c, image);
    let mut sh = Shell::new(fs, net);
    let started = p.shell.is_some();
    if let Some(top) = p.shell {
        (sh.env, sh.kind, sh.name, sh.line, sh.status) = (top.env, top.kind, top.name, top.line, top.status);
    }
    sh.timed = Some(Box::new(Timed {
        clock: p.clock,
        horizon,
        resume: p.frames.into(),
        pending: p.pending,
        ..Timed::default()
    }));
    let mut io = Io::new(&[], MAX_OUTPUT_BYTES);
    // The container log interleaves stdout and stderr in the order they were written.
    io.fds[2] = io.fds[1];
    let argv0 = p.argv.first().cloned().unwrap_or_default();
    let found = sh.find_program(&argv0);
    if !started && matches!(found, Lookup::NotFound | Lookup::Denied) {
        let mut process = Process::new(p.argv, p.clock);
        if !catalogued && matches!(found, Lookup::NotFound) {
            process.opaque = true;
            return Step { process, outcome: Outcome::Running { wake: None }, log: Vec::new() };
        }
        return Step { process, outcome: Outcome::StartError(start_error(&argv0, &found)), log: Vec::new() };
    }
    let r = sh.exec_found(found, &p.argv, &mut io);
    sh.flush_log(&mut io);
    let mut t = sh.timed.take().map(|b| *b).unwrap_or_default();
    let top = TopShell { env: sh.env, kind: sh.kind, name: sh.name, line: sh.line, status: sh.status };
    let outcome = if let Some(at) = t.oom_killed {
        Outcome::OomKilled { at }
    } else {
        match r {
            Err(Flow::Suspend) => Outcome::Running { wake: t.wake },
            Ok(s) | Err(Flow::Exit(s)) | Err(Flow::Return(s)) => Outcome::Exited { code: s, at: t.clock },
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => Outcome::Exited { code: 0, at: t.clock },
            Err(Flow::Abort(why)) => {
                t.log.push((t.clock, format!("kstate: process stopped: {why}")));
                Outcome::Exited { code: super::KILLED_CODE, at: t.clock }
            }
        }
    };
    t.saved.reverse();
    // Background jobs that went on while the script slept wrote in their own time.
    t.log.sort_by_key(|(time, _)| *time);
    let process =
        Process { argv: p.argv, clock: t.clock, frames: t.saved, shell: Some(top), opaque: false, pending: t.pending };
    Step { process, outcome, log: t.log }
}

/// containerd's words when the entrypoint cannot be executed.
fn start_error(name: &str, found: &Lookup) -> String {
    let why = match found {
        Lookup::Denied => "permission denied".to_string(),
        _ if name.contains('/') => format!("stat {name}: no such file or directory"),
        _ => "executable file not found in $PATH".to_string(),
    };
    format!(
        "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create \
         failed: unable to start container process: exec: \"{name}\": {why}: unknown"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::{Container, MemBacking, Mount};

    fn busybox() -> Container {
        Container {
            pod_name: "p".into(),
            namespace: "default".into(),
            hostname: "p".into(),
            container_name: "c".into(),
            image: "busybox:1.36".into(),
            layer: "layer/p/c".into(),
            mounts: vec![Mount { path: "/data".into(), volume: "vol".into(), ..Mount::default() }],
            now: 1_000,
            ..Container::default()
        }
    }

    fn sh(script: &str) -> Vec<String> {
        vec!["sh".into(), "-c".into(), script.into()]
    }

    fn file(b: &mut MemBacking, path: &str) -> String {
        let e = b.entries.get(&("vol".to_string(), path.to_string())).cloned();
        String::from_utf8_lossy(&e.map(|e| e.data).unwrap_or_default()).into_owned()
    }

    /// Runs in steps of `step` ms up to `until`, storing and reloading the process in between.
    fn run_in_steps(b: &mut MemBacking, p: Process, step: i64, until: i64) -> (Process, Outcome, Vec<(i64, String)>) {
        let mut p = p;
        let mut log = Vec::new();
        let mut now = p.clock;
        loop {
            now = (now + step).min(until);
            let json = serde_json::to_string(&p).unwrap();
            let reloaded: Process = serde_json::from_str(&json).unwrap();
            let s = resume(b, &busybox(), None, reloaded, now);
            log.extend(s.log);
            p = s.process;
            if !matches!(s.outcome, Outcome::Running { .. }) || now >= until {
                return (p, s.outcome, log);
            }
        }
    }

    #[test]
    fn a_background_job_goes_on_across_resumptions_and_wait_returns_its_status() {
        let mut b = MemBacking::new();
        let script =
            "(for i in 1 2 3; do sleep 10; echo $i >> /data/out; done; exit 3) & wait $!; echo $? >> /data/out";
        let (_, outcome, _) = run_in_steps(&mut b, Process::new(sh(script), 1_000_000), 7_000, 1_100_000);
        assert_eq!(outcome, Outcome::Exited { code: 0, at: 1_030_000 });
        assert_eq!(file(&mut b, "/out"), "1\n2\n3\n3\n");
    }

    #[test]
    fn a_writer_loop_writes_once_per_sleep_across_resumptions() {
        let mut b = MemBacking::new();
        let p = Process::new(sh("while true; do date +%s >> /data/out; sleep 10; done"), 1_000_000);
        let (_, outcome, _) = run_in_steps(&mut b, p, 7_000, 1_060_000);
        assert_eq!(outcome, Outcome::Running { wake: Some(1_070_000) });
        let lines: Vec<String> = file(&mut b, "/out").lines().map(String::from).collect();
        assert_eq!(lines, ["1000", "1010", "1020", "1030", "1040", "1050", "1060"]);
    }

    #[test]
    fn resuming_in_one_step_or_many_gives_the_same_result() {
        let script = "i=0; for x in a b c; do echo $x $i; i=$((i+1)); sleep 5; done; echo done; exit 3";
        let mut one = MemBacking::new();
        let (_, o1, l1) = run_in_steps(&mut one, Process::new(sh(script), 0), 100_000, 100_000);
        let mut many = MemBacking::new();
        let (_, o2, l2) = run_in_steps(&mut many, Process::new(sh(script), 0), 1_000, 100_000);
        assert_eq!(o1, Outcome::Exited { code: 3, at: 15_000 });
        assert_eq!(o1, o2);
        assert_eq!(l1, l2);
        assert_eq!(l1, [(0, "a 0".into()), (5_000, "b 1".into()), (10_000, "c 2".into()), (15_000, "done".into())]);
    }

    #[test]
    fn functions_subshells_and_case_resume() {
        let script = "f() { ( case $1 in x) sleep 3; echo in-x ;; esac ); echo after $1; }; f x; f y";
        let mut b = MemBacking::new();
        let (_, o, log) = run_in_steps(&mut b, Process::new(sh(script), 0), 1_000, 10_000);
        assert_eq!(o, Outcome::Exited { code: 0, at: 3_000 });
        assert_eq!(log, [(3_000, "in-x".into()), (3_000, "after x".into()), (3_000, "after y".into())]);
    }

    #[test]
    fn a_busy_loop_moves_through_time_and_stays_bounded() {
        let mut b = MemBacking::new();
        let s = resume(&mut b, &busybox(), None, Process::new(sh("while :; do :; done"), 0), 3_600_000);
        assert!(matches!(s.outcome, Outcome::Running { .. }), "{:?}", s.outcome);
        assert!(s.process.clock >= 3_600_000);
    }

    #[test]
    fn an_unknown_entrypoint_is_a_start_error() {
        let mut b = MemBacking::new();
        let s = resume(&mut b, &busybox(), None, Process::new(vec!["curl".into()], 0), 10);
        assert!(
            matches!(s.outcome, Outcome::StartError(ref m) if m.contains("exec: \"curl\": executable file not found in $PATH"))
        );
    }

    #[test]
    fn sleep_infinity_waits_for_good() {
        let mut b = MemBacking::new();
        let s = resume(&mut b, &busybox(), None, Process::new(vec!["sleep".into(), "infinity".into()], 0), 10);
        assert_eq!(s.outcome, Outcome::Running { wake: None });
    }
}
