//! The tutorial's clone flow: `ncat` (a client that receives what a listening peer's `-c`
//! command prints, and the listener itself), `xtrabackup --backup` streaming the data directory
//! with its binary-log position, `xbstream -x` unpacking it and `xtrabackup --prepare`.
//! The stream is kstate's own container format, not Percona's xbstream.

use super::server::{binlog_position, master_info, BINLOG};
use super::DATADIR;
use crate::exec::clock_fmt::strftime;
use crate::exec::images::data;
use crate::exec::images::wire::{call, Protocol, Refusal};
use crate::exec::interp::{Res, Shell};
use crate::exec::io::Io;

const MAGIC: &str = "#kstate-xbstream";

/// A connection to an `ncat --listen ... -c CMD` peer: what CMD prints there.
struct Ncat;

impl Protocol for Ncat {
    type Request = ();
    type Reply = Vec<u8>;

    fn serve(sh: &mut Shell, _: ()) -> Vec<u8> {
        let line = sh.fs.c.main.join(" ");
        let Some(cmd) = listener_command(&line) else { return Vec::new() };
        let mut io = Io::new(&[], crate::exec::MAX_OUTPUT_BYTES);
        let _ = sh.run_source(&cmd, &mut io);
        io.sinks.into_iter().next().map(|s| s.buf).unwrap_or_default()
    }
}

/// The `-c "..."` command of the `ncat --listen` in a container's command line.
fn listener_command(line: &str) -> Option<String> {
    let after = &line[line.find("--listen")?..];
    let c = after.find(" -c")?;
    let rest = after[c + 3..].trim_start_matches(|ch: char| ch.is_whitespace() || ch == '\\');
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let body = &rest[1..];
    Some(body[..body.find(quote)?].to_string())
}

pub fn ncat(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let listen = argv.iter().any(|a| a == "--listen" || a == "-l");
    if listen {
        if sh.is_timed() {
            return sh.serve(io);
        }
        let port = argv.iter().rev().find(|a| a.parse::<u16>().is_ok()).cloned().unwrap_or_default();
        io.err(&format!("Ncat: bind to :::{port}: Address already in use. QUITTING.\n"));
        return Ok(2);
    }
    let operands: Vec<&String> = argv[1..].iter().filter(|a| !a.starts_with('-')).collect();
    let (Some(host), Some(port)) = (operands.first(), operands.get(1).and_then(|p| p.parse::<u16>().ok())) else {
        io.err("Ncat: You must specify a host to connect to. QUITTING.\n");
        return Ok(2);
    };
    match call::<Ncat>(sh, host, port, ()) {
        Ok(bytes) => {
            let _ = io.out(&bytes);
            Ok(0)
        }
        Err(Refusal::UnknownHost) => {
            io.err(&format!("Ncat: Could not resolve hostname \"{host}\": Name or service not known. QUITTING.\n"));
            Ok(2)
        }
        Err(_) => {
            io.err("Ncat: Connection refused.\n");
            Ok(1)
        }
    }
}

fn stamp(sh: &Shell) -> String {
    strftime("%y%m%d %H:%M:%S", sh.fs.now)
}

/// Files of the data directory a backup carries (not replication state or earlier backups).
fn carried(name: &str) -> bool {
    !(name == "master.info" || name.starts_with("change_master_to") || name.starts_with("xtrabackup_"))
}

fn pack(sh: &mut Shell, dir: &str, rel: &str, out: &mut Vec<u8>) {
    for name in data::list(sh, dir) {
        if rel.is_empty() && !carried(&name) {
            continue;
        }
        let p = format!("{dir}/{name}");
        let r = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
        if data::is_dir(sh, &p) {
            out.extend_from_slice(format!("{MAGIC}-dir {r}\n").as_bytes());
            pack(sh, &p, &r, out);
        } else if let Ok(bytes) = sh.fs.read("/", &p) {
            out.extend_from_slice(format!("{MAGIC} {} {r}\n", bytes.len()).as_bytes());
            out.extend_from_slice(&bytes);
        }
    }
}

pub fn xtrabackup(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let ok = format!("{} completed OK!\n", stamp(sh));
    if argv.iter().any(|a| a == "--prepare") {
        io.err(&format!("xtrabackup version 2.4.4 based on MySQL server 5.7.13 Linux (x86_64) (revision id: df58cf2)\nxtrabackup: cd to {DATADIR}/\nxtrabackup: This target seems to be not prepared yet.\n{ok}"));
        return Ok(0);
    }
    if !argv.iter().any(|a| a == "--backup") {
        io.err("xtrabackup: Error: Please set parameter 'datadir'\n");
        return Ok(1);
    }
    let mut out = Vec::new();
    pack(sh, DATADIR, "", &mut out);
    let info = match master_info(sh).filter(|_| argv.iter().any(|a| a == "--slave-info")) {
        Some(m) => (
            "xtrabackup_slave_info",
            format!("CHANGE MASTER TO MASTER_LOG_FILE='{}', MASTER_LOG_POS={};\n", m.file, m.pos),
        ),
        None => ("xtrabackup_binlog_info", format!("{BINLOG}\t{}\n", binlog_position(sh))),
    };
    out.extend_from_slice(format!("{MAGIC} {} {}\n", info.1.len(), info.0).as_bytes());
    out.extend_from_slice(info.1.as_bytes());
    if io.out(&out).is_err() {
        return Ok(1);
    }
    io.err(&format!("xtrabackup: Transaction log of lsn (2551871) to (2551880) was copied.\n{ok}"));
    Ok(0)
}

pub fn xbstream(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    if !argv.iter().any(|a| a == "-x") {
        io.err("xbstream: either -c or -x must be specified.\n");
        return Ok(1);
    }
    let dir = argv.iter().position(|a| a == "-C").and_then(|i| argv.get(i + 1)).cloned().unwrap_or_else(|| ".".into());
    let cwd = sh.env.cwd.clone();
    let dir = crate::exec::path::normalize(&cwd, &dir);
    let input = io.stdin.take_all();
    let mut rest: &[u8] = &input;
    while !rest.is_empty() {
        let Some(nl) = rest.iter().position(|b| *b == b'\n') else { break };
        let header = String::from_utf8_lossy(&rest[..nl]).into_owned();
        rest = &rest[nl + 1..];
        let mut words = header.splitn(3, ' ');
        match (words.next(), words.next(), words.next()) {
            (Some(m), Some(rel), None) if m == format!("{MAGIC}-dir") && safe(rel) => {
                let _ = data::mkdir_p(sh, &format!("{dir}/{rel}"));
            }
            (Some(m), Some(len), Some(rel)) if m == MAGIC && safe(rel) => {
                let n = len.parse::<usize>().unwrap_or(0).min(rest.len());
                if data::write(sh, &format!("{dir}/{rel}"), rest[..n].to_vec()).is_err() {
                    io.err(&format!("xbstream: failed to create file {rel}\n"));
                    return Ok(1);
                }
                rest = &rest[n..];
            }
            _ => {
                io.err("xbstream: wrong chunk magic at offset 0x0.\n");
                return Ok(1);
            }
        }
    }
    Ok(0)
}

/// A relative path that stays inside the target directory.
fn safe(rel: &str) -> bool {
    !rel.is_empty() && !rel.starts_with('/') && rel.split('/').all(|c| !c.is_empty() && c != "..")
}
