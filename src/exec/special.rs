//! /dev and /proc: the few kernel files a shell user pokes at.

use super::backing::Entry;

/// How much an endless device (/dev/zero, /dev/urandom, /dev/random) yields: one byte more than
/// a command may store, so copying it anywhere ends with ENOSPC instead of running forever.
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
                "/proc/1" | "/proc/self" => matches!(name, "cmdline" | "mounts"),
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
        "/proc/1" | "/proc/self" => &["cmdline", "mounts"],
        _ => &[],
    };
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    if dir == "/dev" {
        v.extend(["urandom".to_string(), "zero".to_string()]);
    }
    v
}

/// What reading a kernel file returns, whole; an endless device yields [`endless_read`] bytes
/// (readers that want less open it with [`DeviceStream::open`] instead).
pub fn read(p: &str, c: &super::Container) -> Vec<u8> {
    if let Some(mut dev) = DeviceStream::open(p, c.now) {
        return dev.read(usize::MAX);
    }
    match p {
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
        // Every process of the container shares its mount namespace.
        "/proc/mounts" | "/proc/1/mounts" | "/proc/self/mounts" => mounts(c).into_bytes(),
        _ => Vec::new(),
    }
}

fn mounts(c: &super::Container) -> String {
    let mut s =
        String::from("overlay / overlay rw,relatime 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n");
    for m in &c.mounts {
        let opt = if m.read_only { "ro" } else { "rw" };
        // A cloud disk as its instance names it, with its filesystem (as `df` shows it).
        let dev = match m.device.as_str() {
            "" if m.volume.starts_with("pv/") => "/dev/vdb",
            "" => "/dev/vda1",
            d => d,
        };
        let (fs, extra) = match m.fs_type.as_str() {
            "xfs" => ("xfs", ",attr2,inode64,logbufs=8,logbsize=32k,noquota"),
            "" => ("ext4", ""),
            other => (other, ""),
        };
        s.push_str(&format!("{dev} {} {fs} {opt},relatime{extra} 0 0\n", m.path));
    }
    s
}

/// An endless device opened for reading: its bytes are made as they are read, so a reader that
/// wants ten bytes costs ten bytes, whatever the device's length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceStream {
    /// The generator's state for the random devices; `None` for /dev/zero.
    random: Option<u64>,
    /// Bytes still to come.
    left: usize,
}

impl DeviceStream {
    /// The stream of `p` when it is an endless device. "Random" bytes come from a linear
    /// congruential generator seeded with the command's time, so runs are reproducible.
    pub fn open(p: &str, now: i64) -> Option<DeviceStream> {
        let random = match p {
            "/dev/zero" => None,
            "/dev/urandom" | "/dev/random" => Some(now as u64 ^ 0x9E37_79B9_7F4A_7C15),
            _ => return None,
        };
        Some(DeviceStream { random, left: endless_read() })
    }

    #[cfg(test)]
    pub fn remaining(&self) -> usize {
        self.left
    }

    /// The next `max` bytes (fewer at the end).
    pub fn read(&mut self, max: usize) -> Vec<u8> {
        let n = max.min(self.left);
        self.left -= n;
        match &mut self.random {
            None => vec![0; n],
            Some(x) => (0..n)
                .map(|_| {
                    *x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    (*x >> 33) as u8
                })
                .collect(),
        }
    }
}

/// How much a streaming reader takes from a device at a time.
pub const CHUNK: usize = 64 << 10;
