//! env, pwd, id, whoami, uname, date, sleep, hostname, kill, ps, basename, dirname, which, nginx.

use super::super::clock_fmt::{date_default, strftime};
use super::super::interp::{Res, Shell, ShellKind};
use super::super::io::Io;
use super::super::path;
use super::{gnu, put, usage_error};
use std::collections::BTreeMap;

/// User and group names from the container's /etc/passwd and /etc/group.
pub struct Names {
    users: BTreeMap<u32, String>,
    groups: BTreeMap<u32, String>,
}

impl Names {
    pub fn load(sh: &mut Shell) -> Names {
        let mut table = |file: &str| -> BTreeMap<u32, String> {
            let data = sh.fs.read("/", file).unwrap_or_default();
            String::from_utf8_lossy(&data)
                .lines()
                .filter_map(|l| {
                    let f: Vec<&str> = l.split(':').collect();
                    Some((f.get(2)?.parse().ok()?, f[0].to_string()))
                })
                .collect()
        };
        Names { users: table("/etc/passwd"), groups: table("/etc/group") }
    }
    pub fn user(&self, uid: u32) -> String {
        self.users.get(&uid).cloned().unwrap_or_else(|| uid.to_string())
    }
    pub fn group(&self, gid: u32) -> String {
        self.groups.get(&gid).cloned().unwrap_or_else(|| gid.to_string())
    }
}

/// Exported variables in the order a container's environment has them: PATH, HOSTNAME, the
/// image's, the pod's, then the rest, HOME last.
pub fn environment(sh: &Shell) -> Vec<(String, String)> {
    let mut order: Vec<String> = vec!["PATH".into(), "HOSTNAME".into()];
    order.extend(sh.fs.image.env.iter().map(|(k, _)| k.clone()));
    order.extend(sh.fs.c.env.iter().map(|(k, _)| k.clone()));
    let rank =
        |k: &str| if k == "HOME" { usize::MAX } else { order.iter().position(|o| o == k).unwrap_or(order.len()) };
    let mut vars: Vec<(String, String)> =
        sh.env.exported.iter().filter_map(|k| sh.env.vars.get(k).map(|v| (k.clone(), v.clone()))).collect();
    vars.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)).then(a.0.cmp(&b.0)));
    vars
}

/// `printenv [NAME...]`: the values of the named exported variables (exit 1 when one is not
/// set), or every exported variable as `env` prints them.
pub fn printenv(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let vars = environment(sh);
    if argv.len() < 2 {
        let all: String = vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        return Ok(put(io, "printenv", all.as_bytes()).err().unwrap_or(0));
    }
    let mut status = 0;
    let mut out = String::new();
    for name in &argv[1..] {
        match vars.iter().find(|(k, _)| k == name) {
            Some((_, v)) => out.push_str(&format!("{v}\n")),
            None => status = 1,
        }
    }
    Ok(put(io, "printenv", out.as_bytes()).err().unwrap_or(status))
}

pub fn env(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let mut i = 1;
    let mut assigns = Vec::new();
    while let Some(a) = argv.get(i) {
        match a.split_once('=') {
            Some((k, v)) if !k.is_empty() && !a.starts_with('-') => assigns.push((k.to_string(), v.to_string())),
            _ => break,
        }
        i += 1;
    }
    for (k, v) in &assigns {
        sh.set_var(k, v.clone());
        sh.env.exported.insert(k.clone());
    }
    if i < argv.len() {
        let rest = argv[i..].to_vec();
        let found = sh.find_program(&rest[0]);
        if matches!(found, super::super::simple::Lookup::NotFound) {
            io.err(&format!(
                "env: {}: No such file or directory\n",
                if gnu(sh) { super::q(&rest[0]) } else { rest[0].clone() }
            ));
            return Ok(127);
        }
        return sh.exec_found(found, &rest, io);
    }
    let out: String = environment(sh).iter().map(|(k, v)| format!("{k}={v}\n")).collect();
    Ok(put(io, "env", out.as_bytes()).err().unwrap_or(0))
}

pub fn pwd(sh: &mut Shell, io: &mut Io, _: &[String]) -> Res {
    let out = format!("{}\n", sh.env.cwd);
    Ok(put(io, "pwd", out.as_bytes()).err().unwrap_or(0))
}

pub fn id(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let (uid, gid) = (sh.fs.c.uid, sh.fs.c.gid);
    let names = Names::load(sh);
    let user = names.users.get(&uid).cloned();
    let groups = kernel_groups(sh, user.as_deref());
    let named = |n: u32, table: &BTreeMap<u32, String>| match table.get(&n) {
        Some(name) => format!("{n}({name})"),
        None => n.to_string(),
    };
    // GNU id puts the effective group first, then the rest; busybox prints the kernel's list.
    let listed: Vec<u32> = if gnu(sh) {
        std::iter::once(gid).chain(groups.iter().copied().filter(|g| *g != gid)).collect()
    } else {
        groups
    };
    let (name_of_user, name_of_group) = (names.users.get(&uid), names.groups.get(&gid));
    let out = match argv.get(1).map(String::as_str) {
        Some("-u") => format!("{uid}\n"),
        Some("-g") => format!("{gid}\n"),
        Some("-G") => format!("{}\n", listed.iter().map(u32::to_string).collect::<Vec<_>>().join(" ")),
        Some("-un") | Some("-nu") => match name_of_user {
            Some(name) => format!("{name}\n"),
            None if gnu(sh) => return id_unnamed(io, "user", uid),
            None => format!("{uid}\n"),
        },
        Some("-gn") | Some("-ng") => match name_of_group {
            Some(name) => format!("{name}\n"),
            None if gnu(sh) => return id_unnamed(io, "group", gid),
            None => format!("{gid}\n"),
        },
        _ => {
            let list: Vec<String> = listed.iter().map(|g| named(*g, &names.groups)).collect();
            format!("uid={} gid={} groups={}\n", named(uid, &names.users), named(gid, &names.groups), list.join(","))
        }
    };
    Ok(put(io, "id", out.as_bytes()).err().unwrap_or(0))
}

fn id_unnamed(io: &mut Io, what: &str, n: u32) -> Res {
    io.err(&format!("id: cannot find name for {what} ID {n}\n"));
    Ok(1)
}

/// The supplementary groups the runtime gives the process, sorted as the kernel keeps them: its
/// primary group, the groups the image's /etc/group lists the user in, and the pod's groups.
fn kernel_groups(sh: &mut Shell, user: Option<&str>) -> Vec<u32> {
    let mut groups = vec![sh.fs.c.gid];
    groups.extend(sh.fs.c.groups.iter().copied());
    if let Some(user) = user {
        let data = sh.fs.read("/", "/etc/group").unwrap_or_default();
        for line in String::from_utf8_lossy(&data).lines() {
            let fields: Vec<&str> = line.split(':').collect();
            let member = fields.get(3).is_some_and(|m| m.split(',').any(|u| u == user));
            if let (true, Some(Ok(g))) = (member, fields.get(2).map(|g| g.parse::<u32>())) {
                groups.push(g);
            }
        }
    }
    groups.sort_unstable();
    groups.dedup();
    groups
}

pub fn whoami(sh: &mut Shell, io: &mut Io, _: &[String]) -> Res {
    let uid = sh.fs.c.uid;
    match Names::load(sh).users.get(&uid) {
        Some(name) => Ok(put(io, "whoami", format!("{name}\n").as_bytes()).err().unwrap_or(0)),
        None if gnu(sh) => {
            io.err(&format!("whoami: cannot find name for user ID {uid}\n"));
            Ok(1)
        }
        None => {
            io.err(&format!("whoami: unknown uid {uid}\n"));
            Ok(1)
        }
    }
}

const KERNEL: &str = "5.10.134-18.al8.x86_64";
const KERNEL_VERSION: &str = "#1 SMP Fri Dec 13 16:56:53 CST 2024";

pub fn uname(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let host = sh.fs.c.hostname.clone();
    let mut flags: Vec<char> = argv[1..].iter().filter_map(|a| a.strip_prefix('-')).flat_map(str::chars).collect();
    if let Some(bad) = flags.iter().find(|c| !"asnrvmpio".contains(**c)) {
        return usage_error(sh, io, "uname", &format!("invalid option -- '{bad}'"), 1);
    }
    if flags.is_empty() {
        flags.push('s');
    }
    let all = flags.contains(&'a');
    let mut parts = Vec::new();
    for (c, v) in [('s', "Linux"), ('n', &host), ('r', KERNEL), ('v', KERNEL_VERSION), ('m', "x86_64")] {
        if all || flags.contains(&c) {
            parts.push(v.to_string());
        }
    }
    if !all && flags.contains(&'p') {
        parts.push("unknown".into());
    }
    if !all && flags.contains(&'i') {
        parts.push("unknown".into());
    }
    if all || flags.contains(&'o') {
        parts.push("GNU/Linux".into());
    }
    let out = format!("{}\n", parts.join(" "));
    Ok(put(io, "uname", out.as_bytes()).err().unwrap_or(0))
}

pub fn date(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let mut t = sh.fs.now;
    let mut fmt = None;
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        match a.as_str() {
            "-u" | "--utc" => {}
            "-d" => {
                i += 1;
                match argv.get(i).and_then(|d| d.strip_prefix('@')).and_then(|n| n.parse().ok()) {
                    Some(n) => t = n,
                    None => {
                        let d = argv.get(i).cloned().unwrap_or_default();
                        io.err(&format!("date: invalid date {}\n", super::q(&d)));
                        return Ok(1);
                    }
                }
            }
            f if f.starts_with('+') => fmt = Some(f[1..].to_string()),
            "-R" => fmt = Some("%a, %d %b %Y %H:%M:%S +0000".into()),
            "-I" => fmt = Some("%F".into()),
            other => {
                io.err(&format!("date: invalid date {}\n", super::q(other)));
                return Ok(1);
            }
        }
        i += 1;
    }
    let out = match fmt {
        Some(f) => strftime(&f, t),
        None => date_default(t),
    };
    Ok(put(io, "date", format!("{out}\n").as_bytes()).err().unwrap_or(0))
}

/// In a container's process, time passes in cluster time (see `timed.rs`); in `exec`, where a
/// command runs within one kstate command, it returns at once.
pub fn sleep(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    if argv.len() < 2 {
        return usage_error(sh, io, "sleep", "missing operand", 1);
    }
    match crate::exec::timed::sleep_millis(&argv[1..]) {
        Ok(millis) => sh.sleep_for(millis, io),
        Err(arg) => {
            io.err(&format!("sleep: invalid time interval {}\n", super::q(&arg)));
            Ok(1)
        }
    }
}

pub fn hostname(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let c = sh.fs.c;
    let out = match argv.get(1).map(String::as_str) {
        None | Some("-s") | Some("--short") => c.hostname.clone(),
        Some("-f") | Some("--fqdn") | Some("--long") if !c.subdomain.is_empty() => {
            format!("{}.{}.{}.svc.cluster.local", c.hostname, c.subdomain, c.namespace)
        }
        Some("-f") | Some("--fqdn") | Some("--long") => c.hostname.clone(),
        Some("-i") | Some("-I") | Some("--ip-address") => c.pod_ip.clone(),
        Some(_) => {
            io.err("hostname: you must be root to change the host name\n");
            return Ok(1);
        }
    };
    Ok(put(io, "hostname", format!("{out}\n").as_bytes()).err().unwrap_or(0))
}

/// Only PID 1 (the container's main process) exists, or the processes of the PID namespace the
/// container shares. A signal to the main process ends it, which the kubelet then restarts (the
/// signal is reported in the exec's output).
pub fn kill(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let signal = signal_of(&argv[1..]);
    let pids: Vec<&String> = argv[1..].iter().filter(|a| !a.starts_with('-') && a.parse::<i64>().is_ok()).collect();
    if argv.get(1).is_some_and(|a| a == "-l") {
        return Ok(put(io, "kill", b"HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM\n")
            .err()
            .unwrap_or(0));
    }
    if pids.is_empty() {
        io.err(&sh.diag("kill: Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]"));
        return Ok(2);
    }
    let mut status = 0;
    // In a shared PID namespace the container's main process has another PID than 1.
    let ns = sh.fs.c.pids.clone();
    let main = ns.as_ref().map_or(1, |n| n.own).to_string();
    let shared = |p: &str| ns.as_ref().is_some_and(|n| n.processes.iter().any(|q| q.pid.to_string() == p));
    for p in pids {
        if *p == main && signal != "0" {
            sh.main_signal = Some(signal.clone());
        }
        if let Some(job) = p.parse::<u32>().ok().and_then(|pid| sh.env.jobs.get_mut(&pid)) {
            // A background job still running ends now, by the signal (a finished one is a
            // zombie until waited for: signalling it succeeds and changes nothing).
            let now = sh.timed.as_ref().map(|t| t.clock);
            let running = match (job.end, now) {
                (None, _) => true,
                (Some(end), Some(now)) => end > now,
                (Some(_), None) => false,
            };
            if running && signal != "0" {
                job.end = Some(now.unwrap_or(0));
                job.status = 128 + signal_number(&signal);
                job.run = None;
            }
            continue;
        }
        // Other containers' processes (and the sandbox's `/pause`) take the signal; kstate does
        // not simulate what it does to them.
        if *p != main && !shared(p) {
            let msg = match sh.kind {
                ShellKind::Dash => sh.diag("kill: No such process"),
                _ => format!("kill: can't kill pid {p}: No such process\n"),
            };
            io.err(&msg);
            status = 1;
        }
    }
    Ok(status)
}

/// The number of a signal by name (TERM for names kstate does not know).
fn signal_number(name: &str) -> i32 {
    match name {
        "HUP" => 1,
        "INT" => 2,
        "QUIT" => 3,
        "KILL" => 9,
        "USR1" => 10,
        "USR2" => 12,
        "PIPE" => 13,
        "ALRM" => 14,
        n => n.parse().unwrap_or(15),
    }
}

/// The signal named by kill's options: `-9`, `-KILL`, `-SIGKILL`, `-s KILL`; TERM by default.
fn signal_of(args: &[String]) -> String {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "-s" {
            return it.next().map(|s| s.trim_start_matches("SIG").to_string()).unwrap_or_else(|| "TERM".into());
        }
        if let Some(sig) = a.strip_prefix('-') {
            return match sig.trim_start_matches("SIG") {
                "9" => "KILL".to_string(),
                "15" => "TERM".to_string(),
                "2" => "INT".to_string(),
                "1" => "HUP".to_string(),
                other => other.to_string(),
            };
        }
    }
    "TERM".to_string()
}

/// One line of `ps`: PID, user name and command line.
struct PsRow {
    pid: u32,
    user: String,
    cmd: String,
}

/// The processes `ps` lists, itself last with command line `me`: PID 1 (the container's main
/// process) alone, or every process of the PID namespace the container shares.
fn ps_rows(sh: &mut Shell, me: String) -> Vec<PsRow> {
    let user = user_name(sh, sh.fs.c.uid);
    let Some(ns) = sh.fs.c.pids.clone() else {
        let main = crate::exec::pid1_title(sh.fs.c);
        let owner = pid1_user(sh);
        return vec![PsRow { pid: 1, user: owner, cmd: main }, PsRow { pid: 42, user, cmd: me }];
    };
    let mut rows: Vec<PsRow> = ns
        .processes
        .iter()
        .map(|p| PsRow {
            pid: p.pid,
            user: p.user.clone().unwrap_or_else(|| user_name(sh, p.uid)),
            cmd: p.title.clone(),
        })
        .collect();
    rows.push(PsRow { pid: ns.next, user, cmd: me });
    rows
}

/// busybox `ps`: the container's processes (see [`ps_rows`]), as the container's user.
pub fn ps(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    // busybox shows a process's command line as typed (`ps ax`).
    let rows = ps_rows(sh, argv.join(" "));
    let mut out = String::from("PID   USER     TIME  COMMAND\n");
    for r in rows {
        out.push_str(&format!("{:>5} {:<8}  0:00 {}\n", r.pid, r.user, r.cmd));
    }
    Ok(put(io, "ps", out.as_bytes()).err().unwrap_or(0))
}

/// procps' `ps` (Debian's, once `apt-get install procps` put it there): the container's processes
/// (see [`ps_rows`]) in the BSD (`aux`), full (`-ef`) or default layout. Times are the current
/// minute: the simulator keeps no start time per process, and the figures of use are fixed.
pub fn procps_ps(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let me = argv.iter().map(|a| path::basename_of(a).to_string()).collect::<Vec<_>>().join(" ");
    let rows = ps_rows(sh, me);
    let day = sh.fs.now.rem_euclid(86_400);
    let start = format!("{:02}:{:02}", day / 3600, day % 3600 / 60);
    let opts: String = argv[1..].iter().map(|a| a.trim_start_matches('-')).collect();
    let last = rows.len() - 1;
    let mut out = String::new();
    if opts.contains('u') {
        out.push_str("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n");
        for (i, r) in rows.iter().enumerate() {
            let (vsz, rss, stat) = if i == last { (8088, 4004, "Rs") } else { (33308, 3828, "Ssl") };
            out.push_str(&format!(
                "{:<8} {:>7}  0.0  0.0 {vsz:>6} {rss:>5} ?        {stat:<4} {start}   0:00 {}\n",
                r.user, r.pid, r.cmd
            ));
        }
    } else if opts.contains('f') {
        out.push_str("UID          PID    PPID  C STIME TTY          TIME CMD\n");
        for r in &rows {
            out.push_str(&format!("{:<8} {:>7} {:>7}  0 {start} ?        00:00:00 {}\n", r.user, r.pid, 0, r.cmd));
        }
    } else {
        out.push_str("    PID TTY          TIME CMD\n");
        for (i, r) in rows.iter().enumerate() {
            let name = match i == last {
                true => "ps".to_string(),
                false => r.cmd.split_whitespace().next().map(path::basename_of).unwrap_or_default().to_string(),
            };
            out.push_str(&format!("{:>7} ?        00:00:00 {name}\n", r.pid));
        }
    }
    Ok(put(io, "ps", out.as_bytes()).err().unwrap_or(0))
}

/// Who PID 1 runs as: the server's own user when the image's entrypoint stepped down to it.
fn pid1_user(sh: &mut Shell) -> String {
    match crate::exec::image::server_user(sh.fs.c) {
        Some(name) => name.to_string(),
        None => user_name(sh, sh.fs.c.uid),
    }
}

/// The name `/etc/passwd` gives a uid, or the number (as busybox prints unknown users).
fn user_name(sh: &mut Shell, uid: u32) -> String {
    let passwd = sh.fs.read("/", "/etc/passwd").unwrap_or_default();
    let text = String::from_utf8_lossy(&passwd);
    let found =
        text.lines().map(|l| l.split(':').collect::<Vec<_>>()).find(|f| f.get(2) == Some(&uid.to_string().as_str()));
    found.and_then(|f| f.first().map(|n| n.to_string())).unwrap_or_else(|| uid.to_string())
}

/// `pkill [-SIGNAL] [-f] PATTERN`: signals PID 1 when its name (or, with `-f`, its command line)
/// matches; exit 1 when nothing matched.
pub fn pkill(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let mut full = false;
    let mut signal = "TERM".to_string();
    let mut pattern = None;
    for a in &argv[1..] {
        match a.as_str() {
            "-f" => full = true,
            s if s.starts_with('-') && s.len() > 1 => signal = signal_of(std::slice::from_ref(a)),
            p => pattern = Some(p.to_string()),
        }
    }
    let Some(pattern) = pattern else {
        io.err("pkill: no matching criteria specified\n");
        return Ok(2);
    };
    let title = crate::exec::pid1_title(sh.fs.c);
    let name = title.split_whitespace().next().map(path::basename_of).unwrap_or_default();
    let hit = if full { title.contains(&pattern) } else { name.contains(&pattern) };
    if !hit {
        return Ok(1);
    }
    sh.main_signal = Some(signal);
    Ok(0)
}

pub fn basename(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let Some(name) = argv.get(1) else { return usage_error(sh, io, "basename", "missing operand", 1) };
    let mut b = path::basename_of(name);
    if let Some(suffix) = argv.get(2) {
        if b.len() > suffix.len() && b.ends_with(suffix.as_str()) {
            b.truncate(b.len() - suffix.len());
        }
    }
    Ok(put(io, "basename", format!("{b}\n").as_bytes()).err().unwrap_or(0))
}

pub fn dirname(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    if argv.len() < 2 {
        return usage_error(sh, io, "dirname", "missing operand", 1);
    }
    let out: String = argv[1..].iter().map(|a| format!("{}\n", path::dirname_of(a))).collect();
    Ok(put(io, "dirname", out.as_bytes()).err().unwrap_or(0))
}

pub fn which(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let mut status = 0;
    let mut out = String::new();
    for n in argv[1..].iter().filter(|a| !a.starts_with('-')) {
        match super::shell::which_path(sh, n) {
            Some(p) => out.push_str(&format!("{p}\n")),
            None => status = 1,
        }
    }
    Ok(put(io, "which", out.as_bytes()).err().unwrap_or(status))
}

/// Enough of nginx for `nginx -v`, `nginx -t` and `nginx -s reload`.
pub fn nginx(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let version =
        sh.fs.image.env.iter().find(|(k, _)| k == "NGINX_VERSION").map(|(_, v)| v.clone()).unwrap_or_default();
    match argv.get(1).map(String::as_str) {
        Some("-v") | Some("-V") => io.err(&format!("nginx version: nginx/{version}\n")),
        Some("-t") => io.err(
            "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n\
             nginx: configuration file /etc/nginx/nginx.conf test is successful\n",
        ),
        Some("-s") => {
            let when = strftime("%Y/%m/%d %H:%M:%S", sh.fs.now);
            io.err(&format!("{when} [notice] 42#42: signal process started\n"));
        }
        // The container's own server: it answers requests until it is stopped.
        _ if sh.is_timed() => return sh.serve(io),
        _ => {
            let when = strftime("%Y/%m/%d %H:%M:%S", sh.fs.now);
            io.err(&format!("{when} [emerg] 42#42: bind() to 0.0.0.0:80 failed (98: Address already in use)\nnginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\n"));
            return Ok(1);
        }
    }
    Ok(0)
}

/// A server kstate does not simulate beyond answering requests (httpd, an image's own program):
/// as a container's process it runs until stopped.
pub fn server(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    if sh.is_timed() {
        return sh.serve(io);
    }
    let name = argv.first().map(|a| path::basename_of(a)).unwrap_or_default();
    io.err(&format!("{name}: this program is not simulated by kstate\n"));
    Ok(126)
}
