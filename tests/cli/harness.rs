//! A temporary cluster and a way to run the real `kstate` binary against it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tempfile::TempDir;

/// What one kstate process printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Out {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// A fresh state directory with a fixed clock and seed.
pub struct Cluster {
    dir: TempDir,
    pub now: String,
    pub seed: u64,
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_kstate")
}

impl Cluster {
    pub fn new() -> Cluster {
        Cluster { dir: tempfile::tempdir().expect("temp dir"), now: "2026-11-27T09:00:00Z".into(), seed: 7 }
    }

    pub fn state(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    /// A path inside the test's directory.
    pub fn path_of(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Moves the injected clock.
    pub fn at(&mut self, now: &str) -> &mut Self {
        self.now = now.to_string();
        self
    }

    /// Writes a file next to the state (manifests), returning its path.
    pub fn file(&self, name: &str, contents: &str) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, contents).expect("write file");
        p.to_string_lossy().into_owned()
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(bin());
        c.args(args)
            .current_dir(self.dir.path())
            .env("KSTATE_HOME", self.state())
            .env("KSTATE_NOW", &self.now)
            .env("KSTATE_SEED", self.seed.to_string())
            // A KUBECONFIG from the caller's shell would be one file for every test at once.
            .env_remove("KUBECONFIG")
            .env_remove("HOME");
        c
    }

    pub fn run(&self, args: &[&str]) -> Out {
        self.run_stdin(args, "")
    }

    pub fn run_stdin(&self, args: &[&str], input: &str) -> Out {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn kstate");
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(input.as_bytes());
        }
        let o = child.wait_with_output().expect("wait for kstate");
        Out {
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            code: o.status.code().unwrap_or(-1),
        }
    }

    /// Runs a command that must succeed and returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(o.code, 0, "kstate {args:?} failed: {}{}", o.stdout, o.stderr);
        o.stdout
    }

    /// The cluster's objects as JSON, to compare the cluster before and after a command.
    pub fn snapshot(&self) -> String {
        // Every kind a refused manifest could have left behind.
        let kinds =
            "pods,pvc,pv,sts,svc,sc,ns,no,controllerrevisions,events,cm,secrets,sa,deploy,rs,ds,jobs,cj,hpa,pdb,pc";
        self.ok(&["get", kinds, "-A", "-o", "json"])
    }
}

/// The seed's manifest, as written (apps/v1beta2).
pub fn seed_manifest() -> &'static str {
    include_str!("../../manifests/statefulset.yaml")
}

/// Asserts two texts are equal, showing a line diff when not.
#[track_caller]
pub fn assert_text(got: &str, want: &str) {
    pretty_assertions::assert_eq!(got, want);
}

/// Runs `kstate replay --format json [extra] PAGE` on `c`'s state directory from `dir` (with
/// `profile` as KSTATE_PROFILE when given): each command's line and verdict.
pub fn replay_steps(c: &Cluster, dir: &Path, page: &str, extra: &[&str], profile: Option<&str>) -> Vec<(u64, String)> {
    let state = c.state();
    let mut args = vec!["replay", "--format", "json", "--state-dir", state.to_str().unwrap_or_default()];
    args.extend_from_slice(extra);
    args.push(page);
    let mut cmd = c.command(&args);
    cmd.current_dir(dir);
    if let Some(p) = profile {
        cmd.env("KSTATE_PROFILE", p);
    }
    let out = cmd.output().expect("run kstate replay");
    let text = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    report["documents"][0]["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| (s["line"].as_u64().unwrap_or(0), s["status"].as_str().unwrap_or("").to_string()))
        .collect()
}

/// Expected verdicts, in the form [`replay_steps`] returns them.
pub fn verdicts(list: &[(u64, &str)]) -> Vec<(u64, String)> {
    list.iter().map(|(l, s)| (*l, s.to_string())).collect()
}

/// A fresh cluster of the minikube profile (the kubernetes.io pages' own).
pub fn minikube() -> Cluster {
    let c = Cluster::new();
    let mut cmd = c.command(&["profile"]);
    cmd.env("KSTATE_PROFILE", "minikube");
    assert!(cmd.output().expect("run kstate").status.success());
    c
}

/// The path of a kubernetes.io example (content/en/examples/...), as copied into the tests.
pub fn k8s_example(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/replay_docs/examples").join(name);
    p.to_string_lossy().into_owned()
}

/// Runs one command of a page and checks its standard output.
#[track_caller]
pub fn step(c: &Cluster, args: &[&str], want: &str) {
    assert_text(&c.ok(args), want);
}
