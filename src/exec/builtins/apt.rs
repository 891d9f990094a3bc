//! `apt-get` and `apt` of the Debian images: `update` fetches the package lists, `install`
//! puts a package's programs into the container's writable layer, so they last until the
//! container restarts (as a real install does). Only packages whose programs kstate can run
//! are known; any other name cannot be located, as when the lists lack it.

use super::super::backing::Entry;
use super::super::image::{EXEC_MAGIC, IMAGE_MTIME};
use super::super::interp::{Res, Shell};
use super::super::io::Io;
use super::super::path;
use super::put;

/// Where `update` leaves the lists; `install` needs them (a Debian image ships without).
const LISTS: &str = "/var/lib/apt/lists";
const RELEASE_FILE: &str = "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease";

/// A package of bookworm kstate can install: its version, download size in kB, installed
/// size in kB, and the programs it puts in /usr/bin (path name, simulator program).
struct Package {
    name: &'static str,
    version: &'static str,
    download_kb: u32,
    installed_kb: u32,
    programs: &'static [(&'static str, &'static str)],
}

const PACKAGES: &[Package] = &[
    Package {
        name: "procps",
        version: "2:4.0.2-3",
        download_kb: 709,
        installed_kb: 2152,
        programs: &[("ps", "procps-ps"), ("pkill", "pkill"), ("kill", "kill")],
    },
    Package {
        name: "curl",
        version: "7.88.1-10+deb12u8",
        download_kb: 315,
        installed_kb: 500,
        programs: &[("curl", "curl")],
    },
    Package {
        name: "wget",
        version: "1.21.3-1+b2",
        download_kb: 984,
        installed_kb: 3707,
        programs: &[("wget", "wget")],
    },
    Package {
        name: "iputils-ping",
        version: "3:20221126-1",
        download_kb: 47,
        installed_kb: 115,
        programs: &[("ping", "ping")],
    },
    Package {
        name: "dnsutils",
        version: "1:9.18.28-1~deb12u2",
        download_kb: 259,
        installed_kb: 611,
        programs: &[("nslookup", "nslookup")],
    },
];

/// The index files `update` reports fetching: (index, size as apt prints it).
const INDEXES: &[(&str, &str)] = &[
    ("http://deb.debian.org/debian bookworm InRelease", "151 kB"),
    ("http://deb.debian.org/debian bookworm-updates InRelease", "55.4 kB"),
    ("http://deb.debian.org/debian-security bookworm-security InRelease", "48.0 kB"),
    ("http://deb.debian.org/debian bookworm/main amd64 Packages", "8792 kB"),
    ("http://deb.debian.org/debian bookworm-updates/main amd64 Packages", "13.5 kB"),
    ("http://deb.debian.org/debian-security bookworm-security/main amd64 Packages", "243 kB"),
];

/// What apt prints while it loads its cache (without a terminal, no ` Done`).
const READING: &str = "Reading package lists...\nBuilding dependency tree...\nReading state information...\n";

/// `apt-get` and `apt`: `update`, `install [-y] PACKAGE...`; other actions are refused.
pub fn apt(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let prog = path::basename_of(&argv[0]).to_string();
    if prog == "apt" {
        // apt warns whenever its output is not a terminal.
        io.err("\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n");
    }
    let words: Vec<&str> = argv[1..].iter().map(String::as_str).filter(|a| !a.starts_with('-')).collect();
    let Some((&action, names)) = words.split_first() else {
        io.err(&format!("E: Invalid operation {}\n", argv.get(1).map(String::as_str).unwrap_or("")));
        return Ok(100);
    };
    if !matches!(action, "update" | "install") {
        io.err(&format!("E: Invalid operation {action}\n"));
        return Ok(100);
    }
    if sh.fs.c.uid != 0 {
        return refuse_lock(io, action);
    }
    match action {
        "update" => update(sh, io, &prog),
        _ => install(sh, io, names),
    }
}

/// A user other than root cannot take apt's locks.
fn refuse_lock(io: &mut Io, action: &str) -> Res {
    if action == "update" {
        io.err("E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\n");
        io.err("E: Unable to lock directory /var/lib/apt/lists/\n");
    } else {
        io.err("E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\n");
        io.err("E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?\n");
    }
    Ok(100)
}

fn update(sh: &mut Shell, io: &mut Io, prog: &str) -> Res {
    let mut out = String::new();
    for (i, (index, size)) in INDEXES.iter().enumerate() {
        out.push_str(&format!("Get:{} {index} [{size}]\n", i + 1));
    }
    out.push_str("Fetched 9303 kB in 1s (9303 kB/s)\n");
    if prog == "apt" {
        out.push_str(READING);
        out.push_str("All packages are up to date.\n");
    } else {
        out.push_str("Reading package lists...\n");
    }
    if let Err(code) = put(io, prog, out.as_bytes()) {
        return Ok(code);
    }
    let now = sh.fs.now;
    make_dirs(sh, LISTS);
    if sh
        .fs
        .put(RELEASE_FILE, &Entry::file(0o644, now, b"Origin: Debian\nSuite: stable\nCodename: bookworm\n".to_vec()))
        .is_err()
    {
        io.err("E: Failed to fetch the package lists\n");
        return Ok(100);
    }
    Ok(0)
}

fn install(sh: &mut Shell, io: &mut Io, names: &[&str]) -> Res {
    let mut out = String::from(READING);
    let has_lists = matches!(sh.fs.lstat(RELEASE_FILE), Ok(Some(_)));
    let mut wanted = Vec::new();
    for name in names {
        match PACKAGES.iter().find(|p| p.name == *name).filter(|_| has_lists) {
            Some(p) => wanted.push(p),
            None => {
                let _ = put(io, "apt-get", out.as_bytes());
                io.err(&format!("E: Unable to locate package {name}\n"));
                return Ok(100);
            }
        }
    }
    let mut new = Vec::new();
    for p in wanted {
        if installed(sh, p) {
            out.push_str(&format!("{} is already the newest version ({}).\n", p.name, p.version));
        } else if !new.iter().any(|n: &&Package| n.name == p.name) {
            new.push(p);
        }
    }
    if !new.is_empty() {
        let list: Vec<&str> = new.iter().map(|p| p.name).collect();
        out.push_str(&format!("The following NEW packages will be installed:\n  {}\n", list.join(" ")));
    }
    out.push_str(&format!("0 upgraded, {} newly installed, 0 to remove and 0 not upgraded.\n", new.len()));
    if !new.is_empty() {
        let download: u32 = new.iter().map(|p| p.download_kb).sum();
        let installed: u32 = new.iter().map(|p| p.installed_kb).sum();
        out.push_str(&format!("Need to get {download} kB of archives.\n"));
        out.push_str(&format!("After this operation, {installed} kB of additional disk space will be used.\n"));
        for (i, p) in new.iter().enumerate() {
            out.push_str(&format!(
                "Get:{} http://deb.debian.org/debian bookworm/main amd64 {} amd64 {} [{} kB]\n",
                i + 1,
                p.name,
                p.version,
                p.download_kb
            ));
        }
        out.push_str(&format!("Fetched {download} kB in 0s ({download} kB/s)\n"));
        for p in &new {
            let file = p.version.replace(':', "%3a");
            out.push_str(&format!("Selecting previously unselected package {}.\n", p.name));
            out.push_str(&format!("Preparing to unpack .../{}_{file}_amd64.deb ...\n", p.name));
            out.push_str(&format!("Unpacking {} ({}) ...\n", p.name, p.version));
        }
        for p in &new {
            out.push_str(&format!("Setting up {} ({}) ...\n", p.name, p.version));
        }
    }
    if let Err(code) = put(io, "apt-get", out.as_bytes()) {
        return Ok(code);
    }
    for p in new {
        for (name, program) in p.programs {
            let mut data = EXEC_MAGIC.to_vec();
            data.extend_from_slice(program.as_bytes());
            data.push(b'\n');
            if sh.fs.put(&format!("/usr/bin/{name}"), &Entry::file(0o755, IMAGE_MTIME, data)).is_err() {
                io.err(&format!("dpkg: error processing package {} (--configure)\n", p.name));
                return Ok(100);
            }
        }
    }
    Ok(0)
}

/// Whether the package's first program is already in /usr/bin (the image may ship it).
fn installed(sh: &mut Shell, p: &Package) -> bool {
    let Some((name, _)) = p.programs.first() else { return false };
    matches!(sh.fs.lstat(&format!("/usr/bin/{name}")), Ok(Some(_)))
}

/// Creates the missing directories of `dir`, parents first.
fn make_dirs(sh: &mut Shell, dir: &str) {
    let now = sh.fs.now;
    let mut missing = Vec::new();
    let mut d = dir.to_string();
    while d != "/" && !matches!(sh.fs.lstat(&d), Ok(Some(_))) {
        missing.push(d.clone());
        d = path::parent(&d).to_string();
    }
    for d in missing.into_iter().rev() {
        let _ = sh.fs.mkdir_entry(&d, &Entry::dir(0o755, now));
    }
}
