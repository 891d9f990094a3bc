//! /dev and /proc: the few kernel files a shell user pokes at.

use super::backing::Entry;

/// Bytes a read of /dev/zero or /dev/urandom yields: one more than any volume may take in a run,
/// so copying it anywhere ends with ENOSPC instead of running forever.
/// How much an endless device yields: one byte more than a command may store.
pub fn endless_read() -> usize {
    usize::try_from(super::store_limit()).unwrap_or(usize::MAX).saturating_add(1)
}

const DEV: &[&str] =
    &["full", "null", "random", "stderr", "stdin", "stdout", "termination-log", "tty", "urandom", "zero"];
const PROC: &[&str] = &["1", "cpuinfo", "loadavg", "meminfo", "mounts", "self", "uptime", "version"];

/// Character devices: what `grep -r` and other tree walks skip, as GNU grep does when recursing.
pub fn is_device(p: &str) -> bool {
    p.strip_prefix("/dev/").is_some_and(|n| matches!(n, "full" | "null" | "random" | "tty" | "urandom" | "zero"))
}

pub fn lstat(p: &str, now: i64) -> Option<Entry> {
    match p {
        "/dev" | "/proc" | "/dev/pts" | "/dev/shm" | "/proc/1" | "/proc/self" => Some(Entry::dir(0o755, now)),
        _ => {
            let (dir, name) = p.rsplit_once('/')?;
            let known = match dir {
                "/dev" => DEV.contains(&name),
                "/proc" => PROC.contains(&name),
                "/proc/1" | "/proc/self" => name == "cmdline",
                _ => false,
            };
            let mode = if dir == "/dev" { 0o666 } else { 0o444 };
            known.then(|| Entry::file(mode, now, Vec::new()))
        }
    }
}

pub fn children(dir: &str) -> Vec<String> {
    let list: &[&str] = match dir {
        "/dev" => &["full", "null", "pts", "random", "shm", "stderr", "stdin", "stdout", "termination-log", "tty"],
        "/proc" => PROC,
        "/proc/1" | "/proc/self" => &["cmdline"],
        _ => &[],
    };
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    if dir == "/dev" {
        v.extend(["urandom".to_string(), "zero".to_string()]);
    }
    v
}

/// What reading a kernel file returns; None when reads of it are special (stdin).
pub fn read(p: &str, c: &super::Container) -> Vec<u8> {
    match p {
        "/dev/zero" => vec![0; endless_read()],
        // Deterministic "random" bytes: a simple LCG keeps runs reproducible.
        "/dev/urandom" | "/dev/random" => {
            let mut x: u64 = c.now as u64 ^ 0x9E37_79B9_7F4A_7C15;
            (0..endless_read())
                .map(|_| {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    (x >> 33) as u8
                })
                .collect()
        }
        "/proc/version" => {
            b"Linux version 5.10.134-18.al8.x86_64 (mockbuild@ecs) (gcc 10.2.1) #1 SMP Fri Dec 13 16:56:53 CST 2024\n"
                .to_vec()
        }
        "/proc/uptime" => b"86400.00 172000.00\n".to_vec(),
        "/proc/loadavg" => b"0.08 0.03 0.01 1/210 42\n".to_vec(),
        "/proc/cpuinfo" => b"processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Platinum\ncpu cores\t: 2\n".to_vec(),
        "/proc/meminfo" => {
            b"MemTotal:        7901280 kB\nMemFree:         5123456 kB\nMemAvailable:    6543210 kB\n".to_vec()
        }
        "/proc/1/cmdline" => super::pid1_cmdline(c),
        "/proc/self/cmdline" => b"cat\0".to_vec(),
        "/proc/mounts" => mounts(c).into_bytes(),
        _ => Vec::new(),
    }
}

fn mounts(c: &super::Container) -> String {
    let mut s =
        String::from("overlay / overlay rw,relatime 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n");
    for m in &c.mounts {
        let opt = if m.read_only { "ro" } else { "rw" };
        let dev = if m.volume.starts_with("pv/") { "/dev/vdb" } else { "/dev/vda1" };
        s.push_str(&format!("{dev} {} ext4 {opt},relatime 0 0\n", m.path));
    }
    s
}
