//! `pg_basebackup`: copies a running primary's data directory into an empty directory, and
//! with `-R` makes the copy a standby of that primary (`standby.signal`, `primary_conninfo`).

use super::server::{Postgres, Reply, Request};
use crate::exec::images::data;
use crate::exec::images::wire::{call, serve_local, Refusal};
use crate::exec::interp::{Res, Shell};
use crate::exec::io::Io;
use crate::exec::path;

#[derive(Default)]
struct Opts {
    host: Option<String>,
    port: Option<u16>,
    user: Option<String>,
    dir: Option<String>,
    recovery_conf: bool,
    progress: bool,
    verbose: bool,
}

const HINT: &str = "pg_basebackup: hint: Try \"pg_basebackup --help\" for more information.\n";

fn options(argv: &[String]) -> Result<Opts, String> {
    let mut o = Opts::default();
    let mut it = argv[1..].iter();
    while let Some(a) = it.next() {
        let (flag, inline): (String, Option<String>) = if let Some(long) = a.strip_prefix("--") {
            match long.split_once('=') {
                Some((f, v)) => (f.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            }
        } else if a.starts_with('-') && a.len() > 1 {
            let mut chars = a[1..].chars();
            let f = chars.next().map(String::from).unwrap_or_default();
            let rest: String = chars.collect();
            // `-Xs`, `-Fp`, `-hHOST`: the rest is the value; `-RP`: a bundle of switches.
            let takes =
                matches!(f.as_str(), "h" | "p" | "U" | "D" | "X" | "F" | "c" | "S" | "l" | "d" | "r" | "Z" | "T" | "t");
            match (takes, rest.is_empty()) {
                (true, false) => (f, Some(rest)),
                (false, false) => {
                    let mut all = vec![f];
                    all.extend(rest.chars().map(String::from));
                    for s in all {
                        switch(&mut o, &s, a)?;
                    }
                    continue;
                }
                _ => (f, None),
            }
        } else {
            return Err(format!("pg_basebackup: error: too many command-line arguments (first is \"{a}\")\n{HINT}"));
        };
        let takes = matches!(
            flag.as_str(),
            "h" | "host"
                | "p"
                | "port"
                | "U"
                | "username"
                | "D"
                | "pgdata"
                | "X"
                | "wal-method"
                | "F"
                | "format"
                | "c"
                | "checkpoint"
                | "S"
                | "slot"
                | "l"
                | "label"
                | "d"
                | "dbname"
                | "r"
                | "max-rate"
                | "Z"
                | "compress"
                | "T"
                | "tablespace-mapping"
                | "t"
                | "target"
        );
        if !takes {
            switch(&mut o, &flag, a)?;
            continue;
        }
        let value = inline
            .or_else(|| it.next().cloned())
            .ok_or(format!("pg_basebackup: option requires an argument -- '{flag}'\n{HINT}"))?;
        match flag.as_str() {
            "h" | "host" => o.host = Some(value),
            "p" | "port" => {
                o.port = Some(
                    value.parse().map_err(|_| format!("pg_basebackup: error: invalid port number \"{value}\"\n"))?,
                )
            }
            "U" | "username" => o.user = Some(value),
            "D" | "pgdata" => o.dir = Some(value),
            "F" | "format" if !matches!(value.as_str(), "p" | "plain") => {
                return Err(format!("pg_basebackup: error: kstate writes plain format only, not \"{value}\"\n"));
            }
            "X" | "wal-method" if !matches!(value.as_str(), "s" | "stream" | "f" | "fetch" | "n" | "none") => {
                return Err(format!(
                    "pg_basebackup: error: invalid wal-method option \"{value}\", must be \"fetch\", \"stream\", or \"none\"\n"
                ));
            }
            _ => {}
        }
    }
    Ok(o)
}

fn switch(o: &mut Opts, flag: &str, arg: &str) -> Result<(), String> {
    match flag {
        "R" | "write-recovery-conf" => o.recovery_conf = true,
        "P" | "progress" => o.progress = true,
        "v" | "verbose" => o.verbose = true,
        "w"
        | "W"
        | "no-password"
        | "password"
        | "C"
        | "create-slot"
        | "N"
        | "no-sync"
        | "n"
        | "no-clean"
        | "no-verify-checksums"
        | "no-slot"
        | "no-manifest"
        | "no-estimate-size" => {}
        _ => return Err(format!("pg_basebackup: unrecognized option '{arg}'\n{HINT}")),
    }
    Ok(())
}

pub fn pg_basebackup(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match options(argv) {
        Ok(o) => o,
        Err(e) => {
            io.err(&e);
            return Ok(1);
        }
    };
    let Some(dir) = o.dir.clone() else {
        io.err(&format!("pg_basebackup: error: no target directory specified\n{HINT}"));
        return Ok(1);
    };
    let cwd = sh.env.cwd.clone();
    let dir = path::join(&cwd, &dir);
    if !data::list(sh, &dir).is_empty() {
        io.err(&format!("pg_basebackup: error: directory \"{dir}\" exists but is not empty\n"));
        return Ok(1);
    }
    let user = o.user.clone().or_else(|| sh.var("PGUSER").map(str::to_string)).unwrap_or_else(|| "root".into());
    let port = o.port.unwrap_or(5432);
    let reply = match o.host.as_deref() {
        None => serve_local::<Postgres>(sh, port, Request::Backup { user: user.clone(), from: "local".into() })
            .ok_or(Refusal::Refused),
        Some("localhost" | "127.0.0.1") => {
            serve_local::<Postgres>(sh, port, Request::Backup { user: user.clone(), from: "127.0.0.1".into() })
                .ok_or(Refusal::Refused)
        }
        Some(h) => {
            let from = sh.fs.c.pod_ip.clone();
            call::<Postgres>(sh, h, port, Request::Backup { user: user.clone(), from })
        }
    };
    let target = super::client::target(sh, o.host.as_deref(), port);
    let files = match reply {
        Ok(Reply::Files(files)) => files,
        Ok(Reply::NoRole(r)) => {
            io.err(&format!("pg_basebackup: error: {target}: FATAL:  role \"{r}\" does not exist\n"));
            return Ok(1);
        }
        Ok(Reply::NoHba(from)) => {
            io.err(&format!(
                "pg_basebackup: error: {target}: FATAL:  no pg_hba.conf entry for replication connection from host \"{from}\", user \"{user}\", no encryption\n"
            ));
            return Ok(1);
        }
        Err(Refusal::UnknownHost) => {
            let h = o.host.unwrap_or_default();
            io.err(&format!(
                "pg_basebackup: error: could not translate host name \"{h}\" to address: Name or service not known\n"
            ));
            return Ok(1);
        }
        _ => {
            io.err(&format!(
                "pg_basebackup: error: {target}: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\n"
            ));
            return Ok(1);
        }
    };
    if o.verbose {
        io.err("pg_basebackup: initiating base backup, waiting for checkpoint to complete\npg_basebackup: checkpoint completed\npg_basebackup: write-ahead log start point: 0/2000028 on timeline 1\npg_basebackup: starting background WAL receiver\n");
    }
    let mut bytes = 0usize;
    for (rel, content) in files {
        bytes += content.len();
        let written = match rel.strip_suffix('/') {
            Some(d) => data::mkdir_p(sh, &format!("{dir}/{d}")),
            None => data::write(sh, &format!("{dir}/{rel}"), content),
        };
        if let Err(e) = written {
            io.err(&format!("pg_basebackup: error: could not create file \"{dir}/{rel}\": {e}\n"));
            return Ok(1);
        }
    }
    if o.recovery_conf {
        let host = o.host.clone().unwrap_or_else(|| "/var/run/postgresql".into());
        // libpq's connection options in its own order, as `PQconninfo` lists them; a value
        // with a character other than letters, digits, `_` and `.` is quoted (twice here: once
        // for the conninfo string, once for the configuration file).
        let value = |v: &str| {
            if !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
                v.to_string()
            } else {
                // `\` and `'` escaped with `\` for libpq, then each doubled for the file.
                format!("''{}''", v.replace('\\', "\\\\\\\\").replace('\'', "\\\\''"))
            }
        };
        let password = sh.var("PGPASSWORD").map(|p| format!("password={} ", value(p))).unwrap_or_default();
        let home = sh.var("HOME").unwrap_or("/root").to_string();
        let conf = format!(
            "# Do not edit this file manually!\n# It will be overwritten by the ALTER SYSTEM command.\nprimary_conninfo = 'user={} {password}passfile={} channel_binding=prefer host={} port={port} sslmode=prefer sslcompression=0 sslcertmode=allow sslsni=1 ssl_min_protocol_version=TLSv1.2 gssencmode=prefer krbsrvname=postgres gssdelegation=0 target_session_attrs=any load_balance_hosts=disable'\n",
            value(&user),
            value(&format!("{home}/.pgpass")),
            value(&host)
        );
        let made = data::write(sh, &format!("{dir}/postgresql.auto.conf"), conf.into_bytes())
            .and_then(|()| data::write(sh, &format!("{dir}/standby.signal"), Vec::new()));
        if let Err(e) = made {
            io.err(&format!("pg_basebackup: error: could not create file \"{dir}/standby.signal\": {e}\n"));
            return Ok(1);
        }
    }
    if o.progress {
        // As pg_basebackup writes it when stderr is not a terminal: the checkpoint wait, then
        // the size of a fresh cluster (about 22 MB) plus the tables.
        let kb = 22_840 + bytes / 1024;
        io.err(&format!(
            "waiting for checkpoint\n{kb}/{kb} kB (100%), 0/1 tablespace\n{kb}/{kb} kB (100%), 1/1 tablespace\n"
        ));
    }
    if o.verbose {
        io.err("pg_basebackup: write-ahead log end point: 0/2000100\npg_basebackup: waiting for background process to finish streaming ...\npg_basebackup: syncing data to disk ...\npg_basebackup: renaming backup_manifest.tmp to backup_manifest\npg_basebackup: base backup completed\n");
    }
    Ok(0)
}
