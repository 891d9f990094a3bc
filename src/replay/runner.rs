//! The sandbox a document is replayed in: a working directory for its files, a state directory for
//! its cluster, and `kubectl`/`kstate` wrapper scripts (first on PATH) that run this executable.
//! Commands run in a real shell, `bash -c`, with stdout and stderr in one stream as a terminal shows.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;

/// How long one command may run.
const TIMEOUT: Duration = Duration::from_secs(120);

pub struct Sandbox {
    base: PathBuf,
    pub work: PathBuf,
    pub state: PathBuf,
    bin: PathBuf,
}

/// What a command printed (stdout and stderr interleaved) and how it ended.
pub struct Ran {
    pub output: String,
    pub code: i32,
    pub timed_out: bool,
}

/// `s` as one word of a POSIX shell.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

impl Sandbox {
    /// A fresh sandbox; `state` overrides the temporary state directory.
    pub fn new(state: Option<&Path>) -> anyhow::Result<Sandbox> {
        let stamp =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let base = std::env::temp_dir().join(format!("kstate-replay-{}-{stamp}", std::process::id()));
        let work = base.join("work");
        let bin = base.join("bin");
        std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
        std::fs::create_dir_all(&bin)?;
        let state = match state {
            Some(s) => {
                std::fs::create_dir_all(s).with_context(|| format!("creating {}", s.display()))?;
                std::fs::canonicalize(s)?
            }
            None => base.join("state"),
        };
        let exe = std::env::current_exe().context("locating the kstate executable")?;
        let script = format!("#!/bin/sh\nexec {} \"$@\"\n", shell_quote(&exe.to_string_lossy()));
        for name in ["kubectl", "kstate"] {
            let p = bin.join(name);
            std::fs::write(&p, &script)?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755))?;
            }
        }
        Ok(Sandbox { base, work, state, bin })
    }

    /// Writes a file into the working directory (`name` relative, without `..`).
    pub fn write(&self, name: &str, text: &str) -> anyhow::Result<()> {
        let p = self.work.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&p, text).with_context(|| format!("writing {}", p.display()))
    }

    /// Copies a file or folder next to the document into the working directory.
    pub fn copy_in(&self, from: &Path, name: &str) -> anyhow::Result<()> {
        copy(from, &self.work.join(name))
    }

    pub fn run(&self, script: &str) -> anyhow::Result<Ran> {
        let path = match std::env::var_os("PATH") {
            Some(p) => {
                let mut v = vec![self.bin.clone()];
                v.extend(std::env::split_paths(&p));
                std::env::join_paths(v)?
            }
            None => self.bin.clone().into_os_string(),
        };
        let mut child = Command::new("bash")
            .arg("-c")
            .arg(format!("exec 2>&1\n{script}\n"))
            .current_dir(&self.work)
            .env("PATH", path)
            .env("KSTATE_HOME", &self.state)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("running bash (replay runs commands in a real shell)")?;
        let mut stdout = child.stdout.take().context("capturing output")?;
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = stdout.read_to_end(&mut buf);
            buf
        });
        let start = Instant::now();
        let (code, timed_out) = loop {
            if let Some(status) = child.try_wait()? {
                break (status.code().unwrap_or(-1), false);
            }
            if start.elapsed() > TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                break (-1, true);
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let output = if timed_out { Vec::new() } else { reader.join().unwrap_or_default() };
        Ok(Ran { output: String::from_utf8_lossy(&output).into_owned(), code, timed_out })
    }
}

fn copy(from: &Path, to: &Path) -> anyhow::Result<()> {
    if from.is_dir() {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            copy(&entry.path(), &to.join(entry.file_name()))?;
        }
        return Ok(());
    }
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::copy(from, to).with_context(|| format!("copying {}", from.display()))?;
    Ok(())
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.base);
    }
}
