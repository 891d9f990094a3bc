//! The sandbox a document is replayed in: a working directory for its files, and `kubectl`/`kstate`
//! wrapper scripts (first on PATH) that run the target: this executable on a fresh simulated
//! cluster (its own state directory), or a real kubectl against a real cluster (`--kubectl`).
//! Commands run in a real shell, `bash -c`, with stdout and stderr in one stream as a terminal shows;
//! the variables, aliases and working directory a command leaves carry over to the next one.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;

/// How long one command may run.
const TIMEOUT: Duration = Duration::from_secs(120);

/// What `kubectl` means in a replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// This kstate executable on a simulated cluster: a fresh one, or the given state directory.
    Kstate { state: Option<PathBuf> },
    /// A real kubectl (the path given, or found on PATH), with `--context` when one is named.
    Kubectl { path: String, context: Option<String> },
}

impl Target {
    /// `kstate`, or `kubectl` with its context, as the report names the target.
    pub fn label(&self) -> String {
        match self {
            Target::Kstate { .. } => "kstate".into(),
            Target::Kubectl { context: Some(c), .. } => format!("kubectl (context {c})"),
            Target::Kubectl { context: None, .. } => "kubectl".into(),
        }
    }

    pub fn is_real(&self) -> bool {
        matches!(self, Target::Kubectl { .. })
    }
}

pub struct Sandbox {
    pub target: Target,
    base: PathBuf,
    pub work: PathBuf,
    /// The simulated cluster's state directory (kstate target only).
    state: Option<PathBuf>,
    bin: PathBuf,
    /// The shell state (variables, aliases, directory) one command leaves for the next.
    shell_state: PathBuf,
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

/// A program on PATH (outside the sandbox's own bin folder).
fn on_path(name: &str, skip: &Path) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).filter(|d| d != skip).map(|d| d.join(name)).find(|p| p.is_file())
}

/// Saves the shell state a command leaves (run from an EXIT trap, keeping the command's status).
const SAVE_STATE: &str = r#"__ks_save() {
  __ks_rc=$?
  {
    for __ks_v in $(compgen -v); do
      case "$__ks_base" in *" $__ks_v "*) continue ;; esac
      case "$__ks_v" in __ks_*) continue ;; esac
      declare -p "$__ks_v" 2>/dev/null
    done
    alias -p
    printf 'cd %q\n' "$PWD"
  } > "$__ks_state.new" && mv "$__ks_state.new" "$__ks_state"
  exit "$__ks_rc"
}
"#;

impl Sandbox {
    /// A fresh sandbox for the target.
    pub fn new(target: &Target) -> anyhow::Result<Sandbox> {
        let stamp =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let base = std::env::temp_dir().join(format!("kstate-replay-{}-{stamp}", std::process::id()));
        let work = base.join("work");
        let bin = base.join("bin");
        std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
        std::fs::create_dir_all(&bin)?;
        let (program, extra, state) = match target {
            Target::Kstate { state } => {
                let state = match state {
                    Some(s) => {
                        std::fs::create_dir_all(s).with_context(|| format!("creating {}", s.display()))?;
                        std::fs::canonicalize(s)?
                    }
                    None => base.join("state"),
                };
                let exe = std::env::current_exe().context("locating the kstate executable")?;
                (exe, String::new(), Some(state))
            }
            Target::Kubectl { path, context } => {
                let program = if path.contains('/') {
                    std::fs::canonicalize(path).with_context(|| format!("--kubectl {path}"))?
                } else {
                    on_path(path, &bin).with_context(|| format!("--kubectl: no `{path}` on PATH"))?
                };
                let extra = context.as_deref().map(|c| format!(" --context {}", shell_quote(c))).unwrap_or_default();
                (program, extra, None)
            }
        };
        let script = format!("#!/bin/sh\nexec {}{extra} \"$@\"\n", shell_quote(&program.to_string_lossy()));
        for name in ["kubectl", "kstate"] {
            let p = bin.join(name);
            std::fs::write(&p, &script)?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755))?;
            }
        }
        let shell_state = base.join("shell-state");
        Ok(Sandbox { target: target.clone(), base, work, state, bin, shell_state })
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
        let prelude = format!(
            "exec 2>&1\n__ks_base=\" $(compgen -v | tr '\\n' ' ') \"\n__ks_state={}\n{SAVE_STATE}shopt -s expand_aliases\n\
             if [ -f \"$__ks_state\" ]; then . \"$__ks_state\"; fi\ntrap __ks_save EXIT\n",
            shell_quote(&self.shell_state.to_string_lossy())
        );
        let mut command = Command::new("bash");
        command.arg("-c").arg(format!("{prelude}{script}\n")).current_dir(&self.work).env("PATH", path);
        match &self.state {
            Some(state) => command.env("KSTATE_HOME", state),
            None => command.env_remove("KSTATE_HOME"),
        };
        let mut child = command
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
