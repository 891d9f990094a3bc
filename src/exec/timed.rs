//! Running in cluster time: a container's main process sleeps, burns CPU and is suspended when it
//! reaches the present, to resume in a later kstate command exactly where it stood.
//!
//! The interpreter is a plain tree walker. When a process must stop (a `sleep` that ends after the
//! horizon, a server waiting for requests, CPU work past the horizon) the innermost builtin returns
//! [`Flow::Suspend`], and every construct it unwinds through records a [`Frame`] saying where it
//! stood (the statement of a list, the iteration of a loop, the environment of a shell). Resuming
//! walks the same syntax tree again: each construct takes its frame and goes straight to the child
//! that was running, so nothing that already happened runs twice.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::interp::{Env, Flow, Job, Res, Shell, ShellKind};
use super::io::Io;

/// The pid `$!` gives the first background job of a shell (later ones count up).
pub const FIRST_JOB_PID: u32 = 8;
/// Jobs a shell remembers until they are waited for.
pub const MAX_JOBS: usize = 1_000;

/// Simple commands a process runs per simulated second of CPU: a loop that never sleeps still
/// moves through cluster time.
pub const STEPS_PER_SECOND: u64 = 1_000;
/// Commands a process may run without sleeping; past it the process is taken to have spent the
/// rest of the time up to the horizon computing (a busy loop costs a bounded amount per command).
pub const MAX_BUSY_STEPS: u64 = 200_000;
/// Commands one resumption may run in all (a loop that sleeps a millisecond, caught up over a
/// year); past it the process skips to the horizon the same way.
pub const MAX_RESUME_STEPS: u64 = 5_000_000;

/// Where a suspended process stood in one construct, outermost first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Frame {
    /// The n-th command of a list.
    Seq(usize),
    /// In the left (`false`) or right (`true`) operand of `&&`/`||`.
    Operand(bool),
    /// In arm `arm` (its condition, or its body); `arm == arms.len()` is the `else` part.
    If {
        arm: usize,
        body: bool,
    },
    For {
        values: Vec<String>,
        index: usize,
        status: i32,
    },
    /// In the loop's condition (`body == false`) or body.
    While {
        body: bool,
        status: i32,
    },
    Case {
        arm: usize,
    },
    /// Inside a subshell, with the subshell's own environment.
    Subshell {
        env: Box<Env>,
    },
    /// Inside a function call, with its positional parameters.
    Function {
        args: Vec<String>,
    },
    /// Inside a new shell process (`sh -c`, a script), with its state.
    Shell {
        env: Box<Env>,
        kind: ShellKind,
        name: String,
        line: u32,
        status: i32,
    },
    /// In stage `stage` of a pipeline, with what is left of that stage's input.
    Pipe {
        stage: usize,
        input: Vec<u8>,
    },
    /// `sleep` until this time (milliseconds since the epoch).
    Sleep {
        until: i64,
    },
    /// `wait` for background jobs that end at this time (`None`: never); a signal interrupts it.
    Wait {
        until: Option<i64>,
    },
    /// A server waiting for requests: it runs until it is stopped.
    Serve,
    /// `tail -f` following files: it looks at them again at `next` (milliseconds since the epoch).
    Follow(super::builtins::Followed),
}

/// A background job that reached the present: the command it runs and where it stands in it,
/// its clock when it stopped and when it wants to run again (`None`: only a signal ends it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRun {
    pub cmd: super::ast::Cmd,
    pub frames: Vec<Frame>,
    pub clock: i64,
    pub wake: Option<i64>,
}

/// The clock and bookkeeping of a process running in cluster time.
#[derive(Debug, Default)]
pub struct Timed {
    /// The process's own time, in milliseconds since the epoch.
    pub clock: i64,
    /// How far the process may run in this resumption.
    pub horizon: i64,
    /// Frames still to be taken while resuming, outermost first.
    pub resume: VecDeque<Frame>,
    /// Frames recorded while unwinding a suspension, innermost first.
    pub saved: Vec<Frame>,
    /// When the process wants to run again; `None` when it waits to be stopped.
    pub wake: Option<i64>,
    /// Steps since the clock last moved.
    pub cpu: u64,
    /// Steps in this resumption.
    pub steps: u64,
    /// Steps since the process last slept.
    pub busy: u64,
    /// Inside `$(...)` or a background job: time passes but the process is not suspended.
    pub hold: u32,
    /// Lines written to the container's stdout and stderr, stamped with the process's clock.
    pub log: Vec<(i64, String)>,
    /// A signal delivered to the process and not yet handled (its trap runs before the next
    /// command; a `wait` returns at once).
    pub pending: Option<String>,
    /// Programs found on PATH in this run, by (name, PATH).
    pub programs: foldhash::HashMap<(String, String), super::simple::Lookup>,
    /// When the kernel's OOM killer ended the container (a program used more memory than the
    /// container may): the process ends there, exit code 137, reason `OOMKilled`.
    pub oom_killed: Option<i64>,
}

impl Shell<'_> {
    /// Whether this shell runs a container process in cluster time.
    pub fn is_timed(&self) -> bool {
        self.timed.is_some()
    }

    /// The frame of the construct being re-entered while resuming, if any; `pick` checks its
    /// variant. A frame of another construct means the script changed under the process.
    pub fn resumed<T>(&mut self, pick: impl FnOnce(Frame) -> Option<T>) -> Result<Option<T>, Flow> {
        let Some(t) = self.timed.as_mut() else { return Ok(None) };
        match t.resume.pop_front() {
            None => Ok(None),
            Some(f) => pick(f).map(Some).ok_or(Flow::Abort("the process cannot resume: its script changed")),
        }
    }

    /// Whether frames are still being taken (the path to the suspended command is being re-entered).
    pub fn resuming(&self) -> bool {
        self.timed.as_ref().is_some_and(|t| !t.resume.is_empty())
    }

    /// Records where this construct stood when `r` is a suspension.
    pub fn on_suspend(&mut self, r: Res, frame: impl FnOnce(&mut Self) -> Frame) -> Res {
        if matches!(r, Err(Flow::Suspend)) {
            let f = frame(self);
            if let Some(t) = self.timed.as_mut() {
                t.saved.push(f);
            }
        }
        r
    }

    /// [`Shell::on_suspend`] for an error already taken out of its result.
    pub fn mark(&mut self, e: Flow, frame: impl FnOnce(&mut Self) -> Frame) -> Flow {
        if e == Flow::Suspend {
            let f = frame(self);
            if let Some(t) = self.timed.as_mut() {
                t.saved.push(f);
            }
        }
        e
    }

    /// Counts a step of CPU in cluster time: every [`STEPS_PER_SECOND`] steps the clock moves a
    /// second, and a process past its horizon (or its step budget) is suspended.
    pub fn tick_time(&mut self) -> Result<(), Flow> {
        if !self.resuming() {
            self.run_pending_trap()?;
        }
        let Some(t) = self.timed.as_mut() else { return Ok(()) };
        t.steps += 1;
        t.busy += 1;
        t.cpu += 1;
        if (t.busy > MAX_BUSY_STEPS || t.steps > MAX_RESUME_STEPS) && t.hold == 0 {
            t.clock = t.clock.max(t.horizon);
            self.fs.now = t.clock.div_euclid(1000);
            let wake = t.clock + 1_000;
            return Err(self.suspend_busy(wake));
        }
        if t.cpu >= STEPS_PER_SECOND {
            t.cpu = 0;
            t.clock += 1_000;
            self.fs.now = t.clock.div_euclid(1000);
            if t.clock > t.horizon && t.hold == 0 {
                let wake = t.clock;
                return Err(self.suspend_busy(wake));
            }
        }
        Ok(())
    }

    /// A computing process reached its horizon: its background jobs go on up to the horizon
    /// too, and it runs again at `wake` or when a job wants to.
    fn suspend_busy(&mut self, wake: i64) -> Flow {
        let horizon = self.timed.as_ref().map_or(wake, |t| t.horizon);
        self.advance_jobs(horizon);
        let wake = earliest(Some(wake), self.jobs_wake());
        if let Some(t) = self.timed.as_mut() {
            t.wake = wake;
        }
        Flow::Suspend
    }

    /// `sleep` in cluster time: the clock moves to the end of the sleep, or the process is
    /// suspended until then when that is past the horizon.
    pub fn sleep_for(&mut self, millis: Option<i64>, io: &mut Io) -> Res {
        let resumed = self.resumed(|f| match f {
            Frame::Sleep { until } => Some(until),
            // `sleep infinity` woken for its background jobs.
            Frame::Serve => Some(i64::MAX),
            _ => None,
        })?;
        self.flush_log(io);
        let Some(t) = self.timed.as_mut() else { return Ok(0) };
        let until = match (resumed, millis) {
            (Some(u), _) => u,
            (None, Some(ms)) => t.clock.saturating_add(ms),
            (None, None) => i64::MAX,
        };
        t.cpu = 0;
        t.busy = 0;
        let ends = until <= t.horizon || (t.hold > 0 && until != i64::MAX);
        // The shell's background jobs go on meanwhile, up to where the sleep ends or stops.
        let upto = if ends { until } else { t.horizon };
        self.advance_jobs(upto);
        let Some(t) = self.timed.as_mut() else { return Ok(0) };
        if ends {
            t.clock = t.clock.max(until);
            self.fs.now = t.clock.div_euclid(1000);
            return Ok(0);
        }
        let own = (until != i64::MAX).then_some(until);
        let wake = earliest(own, self.jobs_wake());
        let Some(t) = self.timed.as_mut() else { return Ok(0) };
        t.wake = wake;
        t.saved.push(if until == i64::MAX { Frame::Serve } else { Frame::Sleep { until } });
        Err(Flow::Suspend)
    }

    /// When the earliest of this shell's running background jobs wants to run again.
    pub fn jobs_wake(&self) -> Option<i64> {
        self.env.jobs.values().filter_map(|j| j.run.as_ref().and_then(|r| r.wake)).min()
    }

    /// Runs this shell's background jobs that are due by `upto` (ms), each until it ends or
    /// reaches `upto`; the foreground's clock and place are left as they were.
    pub fn advance_jobs(&mut self, upto: i64) {
        let due: Vec<u32> = self
            .env
            .jobs
            .iter()
            .filter(|(_, j)| j.run.as_ref().is_some_and(|r| r.wake.is_some_and(|w| w <= upto)))
            .map(|(pid, _)| *pid)
            .collect();
        for pid in due {
            self.run_job(pid, upto);
        }
    }

    /// Goes on with background job `pid` up to `upto`: it ends (its status and end time are
    /// kept for `wait`) or stops again where it stands. Its output goes to the container log.
    fn run_job(&mut self, pid: u32, upto: i64) {
        let Some(run) = self.env.jobs.get_mut(&pid).and_then(|j| j.run.take()) else { return };
        let Some(t) = self.timed.as_mut() else { return };
        // The foreground's place in time and in its script, put back once the job stops.
        // The job has its own budget of steps: the foreground's is its own.
        let fg = (t.clock, t.horizon, t.wake, t.hold, t.cpu, t.busy, t.steps, t.pending.take());
        let fg_resume = std::mem::replace(&mut t.resume, run.frames.into());
        let fg_saved = std::mem::take(&mut t.saved);
        (t.clock, t.horizon, t.wake, t.hold, t.cpu, t.busy, t.steps) = (run.clock, upto, None, 0, 0, 0, 0);
        self.fs.now = run.clock.div_euclid(1000);
        let (status, line) = (self.status, self.line);
        let mut io = Io::new(&[], super::MAX_OUTPUT_BYTES);
        io.fds[2] = io.fds[1];
        let r = self.subshell(&mut io, |sh, io| sh.run(&run.cmd, io));
        self.flush_log(&mut io);
        (self.status, self.line) = (status, line);
        let Some(t) = self.timed.as_mut() else { return };
        let (clock, wake) = (t.clock, t.wake);
        let mut frames = std::mem::replace(&mut t.saved, fg_saved);
        frames.reverse();
        t.resume = fg_resume;
        (t.clock, t.horizon, t.wake, t.hold, t.cpu, t.busy, t.steps, t.pending) = fg;
        self.fs.now = t.clock.div_euclid(1000);
        let Some(job) = self.env.jobs.get_mut(&pid) else { return };
        match r {
            Err(Flow::Suspend) => {
                job.run = Some(Box::new(JobRun { cmd: run.cmd, frames, clock, wake }));
            }
            other => {
                // A job that could not go on (its script changed) counts as failed.
                job.status = other.unwrap_or(1);
                job.end = Some(clock);
            }
        }
    }

    /// Runs the trap of a signal that arrived, between two commands, as the shell does.
    fn run_pending_trap(&mut self) -> Result<(), Flow> {
        let Some(signal) = self.timed.as_mut().and_then(|t| t.pending.take()) else { return Ok(()) };
        let Some(action) = self.env.traps.get(&signal).cloned() else { return Ok(()) };
        if action.is_empty() {
            return Ok(());
        }
        let mut io = super::io::Io::new(&[], super::MAX_OUTPUT_BYTES);
        io.fds[2] = io.fds[1];
        // Run in the current shell: an `exit` in the trap ends the process.
        let Ok(cmd) = super::parser::parse(&action) else { return Ok(()) };
        let r = self.holding(|sh| sh.run(&cmd, &mut io));
        // The trap's output goes to the container log like the script's.
        if let Some(t) = self.timed.as_mut() {
            let text = String::from_utf8_lossy(&io.sinks[0].buf).into_owned();
            t.log.extend(text.lines().map(|l| (t.clock, l.to_string())));
        }
        r.map(|_| ())
    }

    /// `cmd &` left a job that ended with `status` and ends, in cluster time, at `end` (`None`:
    /// it never ends by itself); `$!` is its pid.
    pub fn note_job(&mut self, status: i32, end: Option<i64>, run: Option<Box<JobRun>>) {
        let pid = self.env.jobs.keys().next_back().copied().or(self.env.last_job).map_or(FIRST_JOB_PID, |p| p + 1);
        self.env.jobs.insert(pid, Job { status, end, run });
        self.env.last_job = Some(pid);
        // A shell keeps the jobs it has not waited for; past this many the oldest are forgotten.
        while self.env.jobs.len() > MAX_JOBS {
            self.env.jobs.pop_first();
        }
    }

    /// `wait`: in cluster time, until the background jobs end; a signal interrupts it (status
    /// 128 + 15 for TERM), so its trap runs at once.
    pub fn wait_jobs(&mut self, io: &mut Io) -> Res {
        let waiting = self.resumed_wait()?;
        let pids: Vec<u32> = self.env.jobs.keys().copied().collect();
        let s = self.await_jobs(&pids, waiting, io)?;
        if s == 0 {
            self.env.jobs.clear();
        }
        Ok(s)
    }

    /// `wait PID...`: waits for the jobs and returns the status of the last; a pid that is not
    /// a job of this shell gives 127.
    pub fn wait_pids(&mut self, pids: &[u32], io: &mut Io) -> Res {
        let waiting = self.resumed_wait()?;
        let known: Vec<u32> = pids.iter().copied().filter(|p| self.env.jobs.contains_key(p)).collect();
        let s = self.await_jobs(&known, waiting, io)?;
        if s != 0 {
            // A signal interrupted the wait.
            return Ok(s);
        }
        let status = pids.last().and_then(|p| self.env.jobs.get(p)).map_or(127, |j| j.status);
        for pid in known {
            self.env.jobs.remove(&pid);
        }
        Ok(status)
    }

    /// Takes the frame of a `wait` the process stopped in: whether it was waiting.
    fn resumed_wait(&mut self) -> Result<bool, Flow> {
        Ok(self.resumed(|f| matches!(f, Frame::Wait { .. }).then_some(()))?.is_some())
    }

    /// Waits, in cluster time, until jobs `pids` have ended: they run on up to the horizon, the
    /// other jobs up to the time the wait returns; past the horizon the process stops in the wait.
    /// A signal interrupts the wait (status 128 + 15). Outside cluster time jobs have already
    /// ended: returns at once.
    fn await_jobs(&mut self, pids: &[u32], waiting: bool, io: &mut Io) -> Res {
        let Some(t) = self.timed.as_ref() else { return Ok(0) };
        if !waiting && pids.is_empty() {
            return Ok(0);
        }
        if t.pending.is_some() {
            // The signal interrupts the wait; its trap runs now.
            self.run_pending_trap()?;
            return Ok(143);
        }
        let horizon = t.horizon;
        // What the shell wrote so far was written now, before the jobs go on.
        self.flush_log(io);
        for pid in pids {
            self.run_job(*pid, horizon);
        }
        let jobs: Vec<&Job> = pids.iter().filter_map(|p| self.env.jobs.get(p)).collect();
        if jobs.iter().all(|j| j.run.is_none()) {
            let end = jobs.iter().filter_map(|j| j.end).max();
            let clock = self.timed.as_ref().map_or(0, |t| t.clock);
            let end = end.map_or(clock, |e| e.max(clock));
            self.advance_jobs(end);
            if let Some(t) = self.timed.as_mut() {
                t.clock = end;
                self.fs.now = end.div_euclid(1000);
            }
            return Ok(0);
        }
        self.advance_jobs(horizon);
        self.flush_log(io);
        let wake = self.jobs_wake();
        if let Some(t) = self.timed.as_mut() {
            t.wake = wake;
            t.saved.push(Frame::Wait { until: wake });
        }
        Err(Flow::Suspend)
    }

    /// A server's main loop: waits, in cluster time, until the container is stopped.
    pub fn serve(&mut self, io: &mut Io) -> Res {
        self.resumed(|f| matches!(f, Frame::Serve | Frame::Sleep { .. }).then_some(()))?;
        if !self.is_timed() {
            return Ok(0);
        }
        self.flush_log(io);
        if let Some(t) = self.timed.as_mut() {
            t.wake = None;
            t.saved.push(Frame::Serve);
        }
        Err(Flow::Suspend)
    }
    /// Moves what the process wrote to its stdout and stderr into the log, stamped now.
    pub fn flush_log(&mut self, io: &mut Io) {
        let Some(t) = self.timed.as_mut() else { return };
        for sink in io.sinks.iter_mut().take(2) {
            if sink.buf.is_empty() {
                continue;
            }
            let text = String::from_utf8_lossy(&std::mem::take(&mut sink.buf)).into_owned();
            t.log.extend(text.split_inclusive('\n').map(|l| (t.clock, l.trim_end_matches('\n').to_string())));
        }
    }

    /// Runs `f` where time may pass but the process must not be suspended (`$(...)`, `cmd &`).
    pub fn holding(&mut self, f: impl FnOnce(&mut Self) -> Res) -> Res {
        if let Some(t) = self.timed.as_mut() {
            t.hold += 1;
        }
        let r = f(self);
        if let Some(t) = self.timed.as_mut() {
            t.hold -= 1;
        }
        r
    }
}

/// The earlier of two wake-up times (`None`: never).
fn earliest(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// Parses `sleep`'s operands (`10`, `1.5`, `2m`, `1h`, `infinity`; several are summed) into
/// milliseconds; `None` for infinity, `Err(arg)` for the first invalid one.
pub fn sleep_millis(args: &[String]) -> Result<Option<i64>, String> {
    let mut total: f64 = 0.0;
    for arg in args {
        if arg == "infinity" || arg == "inf" {
            return Ok(None);
        }
        let (num, unit) = match arg.char_indices().last() {
            Some((i, c @ ('s' | 'm' | 'h' | 'd'))) => (&arg[..i], c),
            _ => (arg.as_str(), 's'),
        };
        let n: f64 = num.parse().map_err(|_| arg.clone())?;
        if !n.is_finite() || n < 0.0 {
            return Err(arg.clone());
        }
        let scale = match unit {
            'm' => 60.0,
            'h' => 3600.0,
            'd' => 86_400.0,
            _ => 1.0,
        };
        total += n * scale * 1000.0;
    }
    // Beyond about 292 million years the sleep is as good as infinite.
    Ok((total < 9.0e18).then_some(total.ceil() as i64))
}

#[cfg(test)]
mod tests {
    use super::sleep_millis;

    #[test]
    fn sleep_operands() {
        let a = |v: &[&str]| sleep_millis(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(a(&["10"]), Ok(Some(10_000)));
        assert_eq!(a(&["1.5", "1m"]), Ok(Some(61_500)));
        assert_eq!(a(&["1h"]), Ok(Some(3_600_000)));
        assert_eq!(a(&["infinity"]), Ok(None));
        assert_eq!(a(&["x"]), Err("x".to_string()));
        assert_eq!(a(&["-1"]), Err("-1".to_string()));
    }
}
