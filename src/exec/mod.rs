//! The simulated container behind `kstate exec`: a POSIX shell subset, the programs of the
//! nginx/httpd (Debian: dash + GNU coreutils) and busybox images, and the filesystem a
//! container sees. Nothing here runs a host program or touches a host file: every byte lives in
//! a [`Backing`] the caller provides.
//!
//! Layout: `run` (this file) → `simple`/`shellrun` (finding and starting programs) →
//! `parser`/`lexer`/`compound` (shell syntax) → `interp`/`expand`/`redir` (running it) →
//! `builtins` (the programs) → `fs`/`resolve` (the container's tree) → [`Backing`].
//!
//! Which wording: images whose name contains `busybox` or `alpine` answer as busybox (ash and
//! its applets); all others as Debian (dash as `sh`, bash as `bash`, GNU coreutils).

mod arith;
mod ast;
mod backing;
mod builtins;
mod clock_fmt;
mod compound;
mod cond;
mod errno;
mod expand;
mod fs;
mod glob;
mod heredoc;
mod image;
mod image_files;
mod images;
mod interp;
mod io;
mod lexer;
mod net;
mod parser;
mod path;
pub mod process;
mod redir;
mod resolve;
mod session;
mod shellrun;
mod simple;
mod source;
mod special;
pub(crate) mod timed;
mod transfer;

#[cfg(test)]
mod tests;

pub use backing::{Backing, Entry, EntryKind, MemBacking};
pub use session::Session;

/// Which userland answers in the container (busybox or Debian).
pub fn flavor_of(c: &Container) -> Flavor {
    image::image_for(c).flavor
}
pub use image::Flavor;
pub use net::forward::{listening, reach, redis_command, wire, Reached};
pub use net::http::{Request as HttpRequest, Response as HttpResponse};
pub use net::log::{append_log, append_log_lines, read_log, LogLine};
pub use net::startup::startup_lines;
pub use transfer::{export_tree, import_tree, is_dir_in, TreeEntry};

use interp::{Flow, Shell};
use simple::Lookup;

/// Bytes one command may add to volumes in all; past it writes fail with ENOSPC. Bounds
/// `head -c 20G /dev/zero > /data/x` to a quick failure.
pub const MAX_STORED_BYTES: u64 = 64 << 20;

/// The cap in force: `MAX_STORED_BYTES` unless the process set another (`KSTATE_MAX_STORED_BYTES`).
static STORE_LIMIT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(MAX_STORED_BYTES);

/// The most bytes one command may add to volumes and layers.
pub fn store_limit() -> u64 {
    STORE_LIMIT.load(std::sync::atomic::Ordering::Relaxed)
}

/// Sets the cap on bytes one command may store (from `KSTATE_MAX_STORED_BYTES`).
pub fn set_store_limit(bytes: u64) {
    STORE_LIMIT.store(bytes, std::sync::atomic::Ordering::Relaxed);
}
/// Commands (and loop iterations) one exec may run before it is stopped.
pub const MAX_STEPS: u64 = 100_000;
/// Bytes of paths one exec may look up. Ordinary scripts look up a few megabytes (each command
/// searches PATH); a loop that keeps descending (`mkdir d; cd d`) pays its depth on every lookup
/// and reaches this after about 800 levels, instead of running for minutes.
pub const MAX_LOOKUP_BYTES: u64 = 1 << 30;
/// Nesting of subshells, functions, `sh -c` inside `sh -c`, `eval`.
pub const MAX_DEPTH: u32 = 32;
/// What a pipe holds between two stages; a writer past it ends as if by SIGPIPE.
pub const MAX_PIPE_BYTES: usize = 16 << 20;
/// Bytes of stdout (and, separately, stderr) returned to the caller.
pub const MAX_OUTPUT_BYTES: usize = 16 << 20;
/// Longest expansion (arguments, `$(...)` output) a command may build.
pub const MAX_WORD_BYTES: usize = 16 << 20;
/// Exit code when the runtime could not start the command (see [`run`]).
pub const START_FAILURE_CODE: i32 = 127;
/// Exit code when a resource bound stopped the command (as if killed by SIGKILL).
pub const KILLED_CODE: i32 = 137;

/// A volume mounted into the container.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mount {
    /// Mount point inside the container (`/data`).
    pub path: String,
    /// Volume id in the [`Backing`].
    pub volume: String,
    pub read_only: bool,
    /// The volume never holds more bytes than this.
    pub capacity_bytes: Option<u64>,
    /// Directory inside the volume that is mounted (`subPath`); empty for the volume's root.
    pub sub_path: String,
    /// The block device a cloud disk shows as in the container (`/dev/nvme1n1`); empty for
    /// volumes that are no disk of their own.
    pub device: String,
    /// The disk's filesystem (`ext4`, `xfs`), as its volume's `fsType` says.
    pub fs_type: String,
}

/// The container a command runs in, as the caller knows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Container {
    pub pod_name: String,
    pub namespace: String,
    pub hostname: String,
    /// The pod's `spec.subdomain` (may be empty).
    pub subdomain: String,
    pub pod_ip: String,
    pub container_name: String,
    pub image: String,
    /// The container's `env`, in order (including injected service variables, if any).
    pub env: Vec<(String, String)>,
    /// Volume id of this container's writable layer (the upper dir over the image).
    pub layer: String,
    pub mounts: Vec<Mount>,
    /// Unix seconds: mtimes of files written, and what `date` prints.
    pub now: i64,
    /// Whether stdout is a terminal (`exec -t`): curl then shows no progress meter.
    pub tty: bool,
    /// The user processes run as (`runAsUser`); 0 is root. New files belong to it.
    pub uid: u32,
    /// Their primary group (`runAsGroup`).
    pub gid: u32,
    /// Supplementary groups the pod adds (`fsGroup`, `supplementalGroups`); the user's groups
    /// in the image's `/etc/group` join them.
    pub groups: Vec<u32>,
    /// `readOnlyRootFilesystem`: writes outside the writable mounts fail with EROFS.
    pub read_only_root: bool,
    /// The command line of the container's main process, PID 1 (empty: the image's own).
    pub main: Vec<String>,
    /// Bytes of memory the container may use before the OOM killer ends it (its memory limit,
    /// else its node's allocatable memory); 0 when unknown (no limit is applied).
    pub memory_limit: u64,
    /// The processes of other containers it sees, when it shares their PID namespace (a pod's
    /// `shareProcessNamespace`, an ephemeral container's target); `None`: a namespace of its own.
    pub pids: Option<PidNamespace>,
}

/// A PID namespace shared by several containers, as `ps` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PidNamespace {
    /// Every process in it, by PID (the container's own main process among them).
    pub processes: Vec<SharedProcess>,
    /// The PID of this container's main process.
    pub own: u32,
    /// The PID the next process started in it (`ps` itself) gets.
    pub next: u32,
}

/// One process of a shared PID namespace.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SharedProcess {
    pub pid: u32,
    pub uid: u32,
    /// Its user's name when its own image names it (a server that stepped down from root);
    /// otherwise `ps` looks `uid` up in the viewing container's `/etc/passwd`.
    pub user: Option<String>,
    /// Its command line as `ps` shows it.
    pub title: String,
}

/// The shared PID namespace of `members` (each a container's view; `own` is the index of the one
/// looking). With `pause`, the sandbox's `/pause` is PID 1 (`shareProcessNamespace`); without, the
/// first member's main process is (an ephemeral container targeting another container).
pub fn shared_namespace(pause: bool, members: &[Container], own: usize) -> PidNamespace {
    let mut processes = Vec::new();
    if pause {
        processes.push(SharedProcess { pid: 1, uid: 0, user: None, title: "/pause".into() });
    }
    // PIDs as a container runtime hands them out: a few are used by each start (runc's init,
    // the entrypoint script), so they are not consecutive.
    let mut next = 8;
    let mut own_pid = 1;
    for (i, c) in members.iter().enumerate() {
        let pid = if processes.is_empty() { 1 } else { next };
        if i == own {
            own_pid = pid;
        }
        let title = pid1_title(c);
        let user = image::server_user(c).map(String::from);
        let nginx = title.starts_with("nginx: master process");
        processes.push(SharedProcess { pid, uid: c.uid, user, title });
        next = pid.max(next);
        if nginx {
            // nginx's worker runs as the image's `nginx` user (uid 101).
            next = pid + 6;
            processes.push(SharedProcess { pid: next, uid: 101, user: None, title: "nginx: worker process".into() });
        }
        next += 1;
    }
    let last = processes.last().map_or(1, |p| p.pid);
    PidNamespace { processes, own: own_pid, next: last + 6 }
}

/// What the command printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub code: i32,
    /// The signal a command sent to PID 1 (`kill 1`): the container's main process ends and the
    /// kubelet restarts the container.
    pub main_signal: Option<String>,
}

impl Output {
    /// Whether the runtime refused to start the command (unknown program): then `stderr`
    /// holds kubectl's whole `error: Internal error occurred: ...` line, which kubectl prints
    /// instead of `command terminated with exit code N`, and exits 1.
    pub fn is_start_failure(&self) -> bool {
        self.code == START_FAILURE_CODE && self.stderr.starts_with(b"error: Internal error occurred:")
    }
}

/// The cluster as seen from inside a pod: its DNS records and what answers on its pod and
/// service addresses. `kstate` implements it over the API objects (`cmd/network.rs`); the
/// programs that use it (`nslookup`, `getent`, `ping`, `curl`, `wget`) live in `net/`.
pub trait Network {
    /// The A records of a fully qualified name (no trailing dot), or `None` (NXDOMAIN).
    fn lookup(&self, fqdn: &str) -> Option<Vec<String>>;
    /// The PTR name of an address, when the cluster DNS has one.
    fn reverse(&self, ip: &str) -> Option<String>;
    /// What a TCP connection to `ip:port` reaches.
    fn dial(&self, ip: &str, port: u16) -> Dial;
}

/// Where a connection ends up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dial {
    /// No host has the address (the client waits and times out).
    Unreachable,
    /// The address exists but nothing accepts the connection (a service without endpoints).
    Refused,
    /// A pod (one endpoint) or a service's ready endpoints; `key` names the balancer.
    Endpoints { key: String, endpoints: Vec<Endpoint> },
}

/// One pod behind an address: the port the connection arrives on and its containers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub port: u16,
    pub containers: Vec<Peer>,
}

/// A container that may answer, with the volume id of its log (`log/<pod-uid>/<name>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    pub container: Container,
    pub log: String,
}

/// Runs `argv` (argv[0] is the program: `ls`, `sh`, `/bin/sh`, `touch`, ...) in the container,
/// as `kubectl exec POD -- argv...` would.
///
/// When argv[0] is not found the result has code [`START_FAILURE_CODE`], empty stdout and
/// stderr `error: Internal error occurred: error executing command in container: failed to
/// exec in container: failed to start exec "<id>": OCI runtime exec failed: exec failed: unable
/// to start container process: exec: "<cmd>": executable file not found in $PATH: unknown\n`
/// (see [`Output::is_start_failure`]). When a resource bound stops a script, stderr ends with
/// `kstate: command stopped: <reason>` and the code is [`KILLED_CODE`].
pub fn run(backing: &mut dyn Backing, c: &Container, argv: &[String], stdin: &[u8]) -> Output {
    run_with(backing, c, argv, stdin, None)
}

/// [`run`] with a network to answer DNS and HTTP from the pod.
pub fn run_with(
    backing: &mut dyn Backing,
    c: &Container,
    argv: &[String],
    stdin: &[u8],
    net: Option<&dyn Network>,
) -> Output {
    let c = normalized(c);
    let image = image::image_for(&c);
    let fs = fs::Fs::new(backing, &c, image);
    let mut sh = Shell::new(fs, net);
    let mut io = io::Io::new(stdin, MAX_OUTPUT_BYTES);
    let cmd = argv.first().cloned().unwrap_or_default();
    let found = sh.find_program(&cmd);
    let code = match found {
        Lookup::NotFound | Lookup::Denied => {
            io.err(&sh.start_error(&cmd, &found));
            START_FAILURE_CODE
        }
        found => match sh.exec_found(found, argv, &mut io) {
            Ok(s) | Err(Flow::Exit(s)) | Err(Flow::Return(s)) => s,
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => 0,
            Err(Flow::Abort(why)) => {
                io.err(&format!("kstate: command stopped: {why}\n"));
                KILLED_CODE
            }
            // Only processes running in cluster time are suspended.
            Err(Flow::Suspend) => 0,
        },
    };
    let mut sinks = io.sinks.into_iter();
    let stdout = sinks.next().map(|s| s.buf).unwrap_or_default();
    let stderr = sinks.next().map(|s| s.buf).unwrap_or_default();
    Output { stdout, stderr, code, main_signal: sh.main_signal.take() }
}

/// Mount points and sub-paths in canonical form, so prefix matching is exact.
pub(crate) fn normalized(c: &Container) -> Container {
    let mut c = c.clone();
    for m in &mut c.mounts {
        m.path = path::normalize("/", &m.path);
        m.sub_path = path::normalize("/", &m.sub_path);
    }
    c
}

/// Gives a fresh volume the files it starts with: a new ext4 cloud disk has its root
/// (`0755`) and `/lost+found` (`0700`, root); other volumes (local-path, emptyDir) just a
/// world-writable root (`0777`), as their provisioners create them. Existing entries are kept.
pub fn format_volume(backing: &mut dyn Backing, volume: &str, ext4: bool, now: i64) -> anyhow::Result<()> {
    for (path, entry) in fresh_entries(ext4, now) {
        if backing.get(volume, path)?.is_none() {
            backing.put(volume, path, &entry)?;
        }
    }
    Ok(())
}

/// [`format_volume`] for a volume known to be empty: writes without looking first (a
/// provisioner makes a volume per claim, and each look is a query).
pub fn format_empty_volume(backing: &mut dyn Backing, volume: &str, ext4: bool, now: i64) -> anyhow::Result<()> {
    for (path, entry) in fresh_entries(ext4, now) {
        backing.put(volume, path, &entry)?;
    }
    Ok(())
}

/// The entries a fresh volume starts with (see [`format_volume`]).
fn fresh_entries(ext4: bool, now: i64) -> impl Iterator<Item = (&'static str, Entry)> {
    let root = ("/", Entry::dir(if ext4 { 0o755 } else { 0o777 }, now));
    let lost_found = ext4.then(|| ("/lost+found", Entry::dir(0o700, now)));
    std::iter::once(root).chain(lost_found)
}

/// The image config's ENTRYPOINT and CMD (the main process when a pod sets no command).
pub fn image_command(c: &Container) -> (Vec<String>, Vec<String>) {
    image_command_of(&c.image)
}

/// [`image_command`] from the image reference alone.
pub fn image_command_of(image: &str) -> (Vec<String>, Vec<String>) {
    let c = Container { image: image.to_string(), ..Container::default() };
    let image = image::image_for(&c);
    (image.entrypoint.clone(), image.cmd.clone())
}

/// What `ps` and `/proc/1/cmdline` show for PID 1: the main process's command line after the
/// image's entrypoint script handed over (`exec "$@"`), as the program titles itself (nginx's
/// master process renames itself).
pub fn pid1_title(c: &Container) -> String {
    if let Some(title) = image::server_title(c) {
        return title.to_string();
    }
    let argv = shown_argv(c);
    let line = argv.join(" ");
    match argv.first().map(|a| path::basename_of(a)) {
        Some(name) if name == "nginx" => format!("nginx: master process {line}"),
        _ => line,
    }
}

/// `/proc/1/cmdline`: the arguments NUL-terminated, or the title a program gave itself.
pub fn pid1_cmdline(c: &Container) -> Vec<u8> {
    let title = pid1_title(c);
    if title.starts_with("nginx: ") {
        return format!("{title}\0").into_bytes();
    }
    shown_argv(c).iter().flat_map(|a| a.bytes().chain(std::iter::once(0))).collect()
}

/// Shell builtins and keywords: a `sh -c` script of one of them runs in the shell itself.
const SHELL_OWN: [&str; 38] = [
    "echo", "printf", "test", "[", "true", "false", ":", "cd", "exit", "read", "export", "set", "unset", "kill", "pwd",
    "wait", "trap", "eval", "source", ".", "shift", "type", "alias", "let", "local", "return", "break", "continue",
    "ulimit", "umask", "times", "getopts", "hash", "command", "if", "while", "for", "until",
];

/// PID 1's arguments as `ps` lists them: a shell given one simple command with `-c`
/// (`sh -c "sleep 1h"`) execs it instead of forking (busybox ash, dash and bash all do), so PID 1
/// is that command. kstate keeps the shell for anything else (builtins, lists, expansions).
fn shown_argv(c: &Container) -> Vec<String> {
    let argv = pid1_argv(c);
    let shell = argv.first().is_some_and(|a| matches!(path::basename_of(a).as_str(), "sh" | "ash" | "dash" | "bash"));
    let [_, flag, script] = argv.as_slice() else { return argv };
    if !shell || flag != "-c" {
        return argv;
    }
    let plain = |w: &str| w.chars().all(|ch| ch.is_ascii_alphanumeric() || "_./:=,+@%-".contains(ch));
    let mut words: Vec<&str> = script.split_whitespace().collect();
    if words.first() == Some(&"exec") {
        words.remove(0);
    }
    let simple =
        words.first().is_some_and(|w| !SHELL_OWN.contains(w) && !w.contains('=')) && words.iter().all(|w| plain(w));
    if simple {
        words.into_iter().map(String::from).collect()
    } else {
        argv
    }
}

/// PID 1's arguments once the image's entrypoint script has handed over.
pub(crate) fn pid1_argv(c: &Container) -> Vec<String> {
    let mut argv = c.main.clone();
    if argv.is_empty() {
        let (entrypoint, cmd) = image_command(c);
        argv = entrypoint.into_iter().chain(cmd).collect();
    }
    if argv.first().is_some_and(|a| a.ends_with("docker-entrypoint.sh")) && argv.len() > 1 {
        argv.remove(0);
    }
    argv
}

/// `docker.io/library/nginx:1.27@sha256:..` → `docker.io/library/nginx`, lower-case.
pub fn repository_of(image: &str) -> String {
    image::repository(image)
}

/// The port an image's web server listens on, when it runs one (nginx, nginx-slim, httpd, the
/// tutorials' sample applications).
pub fn web_port(image: &str) -> Option<u16> {
    net::http::listen_port(image)
}

/// Whether an image's containers may accept connections (web servers, database servers).
pub fn serves(image: &str) -> bool {
    image::serves(image)
}

/// Whether a command line, or the script it reads on stdin, may use the network (so the caller
/// builds a [`Network`] only then).
pub fn uses_network(argv: &[String], stdin: &[u8]) -> bool {
    const PROGRAMS: [&str; 5] = ["nslookup", "getent", "ping", "curl", "wget"];
    let mut names = PROGRAMS.iter().chain(images::CLIENTS);
    // Most words of a command line are short: a plain scan finds a name in them sooner than
    // `str::contains`, which prepares a searcher for each name (the kubelet asks once per pod).
    let mentions = |a: &str, p: &str| match a.len() {
        0..=64 => a.as_bytes().windows(p.len()).any(|w| w == p.as_bytes()),
        _ => a.contains(p),
    };
    let in_word = |a: &String| names.clone().any(|p| mentions(a, p));
    if argv.iter().any(in_word) {
        return true;
    }
    // An empty stdin names nothing.
    if stdin.is_empty() {
        return false;
    }
    let script = String::from_utf8_lossy(stdin);
    names.any(|p| script.contains(p))
}
