//! MySQL (`mysql:5.7`, `mysql:8.0`) and the tutorial's `gcr.io/google-samples/xtrabackup:1.0`:
//! the image's entrypoint, `mysqld` serving the data in `/var/lib/mysql`, the `mysql` and
//! `mysqladmin` clients, and the clone flow (`ncat`, `xbstream`, `xtrabackup`).

mod client;
mod clone;
mod errors;
mod format;
mod server;

use super::Profile;
use crate::exec::builtins::Builtin;
use crate::exec::clock_fmt::strftime;
use crate::exec::image::repository;
use crate::exec::interp::{Res, Shell};
use crate::exec::io::Io;

pub const MYSQL: Profile = Profile {
    repos: &["mysql"],
    entrypoint: &["docker-entrypoint.sh"],
    cmd: &["mysqld"],
    programs: &[
        ("/usr/local/bin/docker-entrypoint.sh", "mysql-entrypoint"),
        ("/usr/sbin/mysqld", "mysqld"),
        ("/usr/bin/mysql", "mysql"),
        ("/usr/bin/mysqladmin", "mysqladmin"),
    ],
    env: &[("GOSU_VERSION", "1.17")],
    dirs: &[
        ("/var/lib/mysql", 0o755),
        ("/var/run/mysqld", 0o755),
        ("/etc/mysql/conf.d", 0o755),
        ("/etc/mysql/mysql.conf.d", 0o755),
        ("/docker-entrypoint-initdb.d", 0o755),
    ],
    files: &[],
    links: &[],
    listens: &[(3306, "mysqld")],
    server_title: None,
    server_user: Some("mysql"),
};

pub const XTRABACKUP: Profile = Profile {
    repos: &["google-samples/xtrabackup"],
    entrypoint: &[],
    cmd: &["bash"],
    programs: &[
        ("/usr/bin/ncat", "ncat"),
        ("/usr/bin/xbstream", "xbstream"),
        ("/usr/bin/xtrabackup", "xtrabackup"),
        ("/usr/bin/mysql", "mysql"),
    ],
    env: &[],
    dirs: &[("/var/lib/mysql", 0o755), ("/etc/mysql/conf.d", 0o755)],
    files: &[],
    links: &[],
    listens: &[(3307, "ncat")],
    server_title: None,
    server_user: None,
};

pub fn program(name: &str) -> Option<Builtin> {
    Some(match name {
        "mysql-entrypoint" => entrypoint,
        "mysqld" => mysqld,
        "mysql" => client::mysql,
        "mysqladmin" => client::mysqladmin,
        "ncat" => clone::ncat,
        "xbstream" => clone::xbstream,
        "xtrabackup" => clone::xtrabackup,
        _ => return None,
    })
}

pub const DATADIR: &str = "/var/lib/mysql";
pub const SOCKET: &str = "/var/run/mysqld/mysqld.sock";

/// The server version an image tag names (`8.0` → 8.0.40; anything else is 5.7.44).
pub fn version(image: &str) -> &'static str {
    let repo = repository(image);
    let tag = image.split('@').next().unwrap_or(image).get(repo.len()..).unwrap_or("").trim_start_matches(':');
    if tag.starts_with('8') {
        "8.0.40"
    } else {
        "5.7.44"
    }
}

/// The image's `docker-entrypoint.sh`: `mysqld` (or options, which imply it) goes through the
/// first-start initialization; any other command runs as given.
fn entrypoint(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let mut args: Vec<String> = argv[1..].to_vec();
    if args.first().is_none_or(|a| a.starts_with('-')) {
        args.insert(0, "mysqld".into());
    }
    if args[0] != "mysqld" {
        let found = sh.find_program(&args[0]);
        return sh.exec_found(found, &args, io);
    }
    let v = version(&sh.fs.c.image);
    let pkg = if v.starts_with('5') { format!("{v}-1.el7") } else { format!("{v}-1.el9") };
    let note =
        |sh: &Shell, m: &str| format!("{} [Note] [Entrypoint]: {m}\n", strftime("%Y-%m-%d %H:%M:%S+00:00", sh.fs.now));
    let mut out = note(sh, &format!("Entrypoint script for MySQL Server {pkg} started."));
    if sh.fs.c.uid == 0 {
        out.push_str(&note(sh, "Switching to dedicated user 'mysql'"));
        out.push_str(&note(sh, &format!("Entrypoint script for MySQL Server {pkg} started.")));
    }
    if !server::initialized(sh) {
        let allowed = ["MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD"]
            .iter()
            .any(|k| sh.var(k).is_some_and(|v| !v.is_empty()));
        if !allowed {
            io.err(&out);
            io.err(&format!(
                "{} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n    You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD\n",
                strftime("%Y-%m-%d %H:%M:%S+00:00", sh.fs.now)
            ));
            return Ok(1);
        }
        for m in [
            "Initializing database files",
            "Database files initialized",
            "Starting temporary server",
            "Temporary server started.",
        ] {
            out.push_str(&note(sh, m));
        }
        if let Err(e) = server::initialize(sh) {
            io.err(&out);
            io.err(&format!("mysqld: Can't create directory '{DATADIR}' (Errcode: {e})\n"));
            return Ok(1);
        }
        out.push_str(&note(sh, "Stopping temporary server"));
        out.push_str(&note(sh, "Temporary server stopped"));
        out.push('\n');
        out.push_str(&note(sh, "MySQL init process done. Ready for start up."));
        out.push('\n');
    }
    io.err(&out);
    mysqld(sh, io, &args)
}

/// `mysqld`: as the container's process, the server (until stopped); by hand, `--version` or
/// the failure to bind the port PID 1 holds.
fn mysqld(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let v = version(&sh.fs.c.image);
    if argv.iter().any(|a| a == "--version" || a == "-V") {
        let licence =
            if v.starts_with('5') { "(MySQL Community Server (GPL))" } else { "(MySQL Community Server - GPL)" };
        let _ = io.out(format!("mysqld  Ver {v} for Linux on x86_64 {licence}\n").as_bytes());
        return Ok(0);
    }
    let stamp = strftime("%Y-%m-%dT%H:%M:%S.000000Z", sh.fs.now);
    if !sh.is_timed() {
        io.err(&format!("{stamp} 0 [ERROR] Do you already have another mysqld server running on port: 3306 ?\n{stamp} 0 [ERROR] Aborting\n"));
        return Ok(1);
    }
    if !server::initialized(sh) && server::initialize(sh).is_err() {
        io.err(&format!("{stamp} 0 [ERROR] Can't create/write to the data directory {DATADIR}\n"));
        return Ok(1);
    }
    let ready = if v.starts_with('5') {
        format!("{stamp} 0 [Note] mysqld: ready for connections.\nVersion: '{v}{}'  socket: '{SOCKET}'  port: 3306  MySQL Community Server (GPL)\n", if server::Config::read(sh).log_bin { "-log" } else { "" })
    } else {
        format!("{stamp} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '{v}'  socket: '{SOCKET}'  port: 3306  MySQL Community Server - GPL.\n")
    };
    io.err(&ready);
    sh.serve(io)
}
