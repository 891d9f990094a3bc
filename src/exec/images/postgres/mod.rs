//! PostgreSQL (`postgres:16`, `postgres:15`): the image's entrypoint (first-start initdb,
//! refused without a password), the server's log, `psql` and `pg_isready`.

mod basebackup;
mod client;
mod server;

use super::Profile;
use crate::exec::builtins::Builtin;
use crate::exec::clock_fmt::strftime;
use crate::exec::image::repository;
use crate::exec::interp::{Res, Shell};
use crate::exec::io::Io;

pub const POSTGRES: Profile = Profile {
    repos: &["postgres"],
    entrypoint: &["docker-entrypoint.sh"],
    cmd: &["postgres"],
    programs: &[
        ("/usr/local/bin/docker-entrypoint.sh", "postgres-entrypoint"),
        ("/usr/lib/postgresql/16/bin/postgres", "postgres"),
        ("/usr/lib/postgresql/16/bin/psql", "psql"),
        ("/usr/lib/postgresql/16/bin/pg_isready", "pg_isready"),
        ("/usr/lib/postgresql/16/bin/pg_basebackup", "pg_basebackup"),
    ],
    env: &[("PGDATA", "/var/lib/postgresql/data"), ("PG_MAJOR", "16")],
    dirs: &[
        ("/var/lib/postgresql/data", 0o700),
        ("/var/run/postgresql", 0o2775),
        ("/docker-entrypoint-initdb.d", 0o755),
    ],
    files: &[],
    links: &[
        ("/usr/bin/postgres", "/usr/lib/postgresql/16/bin/postgres"),
        ("/usr/bin/psql", "/usr/lib/postgresql/16/bin/psql"),
        ("/usr/bin/pg_isready", "/usr/lib/postgresql/16/bin/pg_isready"),
        ("/usr/bin/pg_basebackup", "/usr/lib/postgresql/16/bin/pg_basebackup"),
    ],
    listens: &[(5432, "postgres")],
    server_title: None,
    server_user: Some("postgres"),
};

pub fn program(name: &str) -> Option<Builtin> {
    Some(match name {
        "postgres-entrypoint" => entrypoint,
        "postgres" => postgres,
        "psql" => client::psql,
        "pg_isready" => client::pg_isready,
        "pg_basebackup" => basebackup::pg_basebackup,
        _ => return None,
    })
}

/// The full version an image tag names (`15` → 15.13; anything else is 16.9).
fn version(image: &str) -> (&'static str, &'static str) {
    let repo = repository(image);
    let tag = image.split('@').next().unwrap_or(image).get(repo.len()..).unwrap_or("").trim_start_matches(':');
    if tag.starts_with("15") {
        ("15", "15.13")
    } else {
        ("16", "16.9")
    }
}

const NO_PASSWORD: &str = "Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\".

       You may also use \"POSTGRES_HOST_AUTH_METHOD=trust\" to allow all
       connections without a password. This is *not* recommended.

       See PostgreSQL documentation about \"trust\":
       https://www.postgresql.org/docs/current/auth-trust.html
";

/// The image's `docker-entrypoint.sh`: options imply `postgres`; `postgres` initializes an
/// empty `PGDATA` first.
fn entrypoint(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let mut args: Vec<String> = argv[1..].to_vec();
    if args.first().is_none_or(|a| a.starts_with('-')) {
        args.insert(0, "postgres".into());
    }
    if args[0] != "postgres" {
        let found = sh.find_program(&args[0]);
        return sh.exec_found(found, &args, io);
    }
    if server::initialized(sh) {
        let _ = io.out(b"\nPostgreSQL Database directory appears to contain a database; Skipping initialization\n\n");
    } else {
        let trust = sh.var("POSTGRES_HOST_AUTH_METHOD") == Some("trust");
        if !trust && sh.var("POSTGRES_PASSWORD").is_none_or(str::is_empty) {
            io.err(NO_PASSWORD);
            return Ok(1);
        }
        let user = sh.var("POSTGRES_USER").filter(|u| !u.is_empty()).unwrap_or("postgres").to_string();
        let db = sh.var("POSTGRES_DB").filter(|d| !d.is_empty()).unwrap_or(&user).to_string();
        let (major, _) = version(&sh.fs.c.image);
        if let Err(e) = server::initialize(sh, major, &user, &db) {
            io.err(&format!("initdb: error: could not create directory \"{}\": {e}\n", server::PGDATA));
            return Ok(1);
        }
        let _ = io.out(b"\n");
        if let Err(code) = init_scripts(sh, io, &user, &db) {
            return Ok(code);
        }
        let _ = io.out(b"PostgreSQL init process complete; ready for start up.\n\n");
    }
    postgres(sh, io, &args)
}

/// The image's `docker_process_init_files`: each file of `/docker-entrypoint-initdb.d` in name
/// order, `*.sh` run by bash (as the entrypoint sources or runs them), `*.sql` run as the
/// superuser in `POSTGRES_DB`; others are ignored. A failing file stops the container.
fn init_scripts(sh: &mut Shell, io: &mut Io, user: &str, db: &str) -> Result<(), i32> {
    const DIR: &str = "/docker-entrypoint-initdb.d";
    // `/docker-entrypoint-initdb.d/*`: a glob, so names starting with a dot are not seen.
    for name in super::data::list(sh, DIR).into_iter().filter(|n| !n.starts_with('.')) {
        let file = format!("{DIR}/{name}");
        if name.ends_with(".sh") {
            // An executable script is run, another sourced (a ConfigMap's files are 0644).
            let executable = sh.fs.stat("/", &file).is_ok_and(|(_, e)| e.mode & 0o111 != 0);
            let verb = if executable { "running" } else { "sourcing" };
            let _ = io.out(format!("/usr/local/bin/docker-entrypoint.sh: {verb} {file}\n").as_bytes());
            let argv = vec!["bash".to_string(), file];
            let found = sh.find_program("bash");
            match sh.exec_found(found, &argv, io) {
                Ok(0) => {}
                Ok(code) => return Err(code),
                Err(_) => return Err(1),
            }
        } else if name.ends_with(".sql") {
            let _ = io.out(format!("/usr/local/bin/docker-entrypoint.sh: running {file}\n").as_bytes());
            let script = super::data::read_text(sh, &file).unwrap_or_default();
            let commands = super::sql::statements(&script).into_iter().map(|(_, t)| t).collect();
            let req = server::Request::Query { user: user.to_string(), db: db.to_string(), commands };
            if let server::Reply::Results { outputs, error, .. } =
                <server::Postgres as super::wire::Protocol>::serve(sh, req)
            {
                for (tag, out) in outputs {
                    if let super::sql::engine::Output::Done(_) = out {
                        let _ = io.out(format!("{tag}\n").as_bytes());
                    }
                }
                if let Some(e) = error {
                    io.err(&format!("psql:{file}: {e}\n"));
                    return Err(3);
                }
            }
        } else {
            let _ = io.out(format!("/usr/local/bin/docker-entrypoint.sh: ignoring {file}\n").as_bytes());
        }
        let _ = io.out(b"\n");
    }
    Ok(())
}

/// `postgres`: as the container's process, the start-up log and then serving until stopped.
fn postgres(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let (_, full) = version(&sh.fs.c.image);
    if argv.iter().any(|a| a == "--version" || a == "-V") {
        let _ = io.out(format!("postgres (PostgreSQL) {full} (Debian {full}-1.pgdg120+1)\n").as_bytes());
        return Ok(0);
    }
    let stamp = strftime("%Y-%m-%d %H:%M:%S.000 UTC", sh.fs.now);
    if !sh.is_timed() {
        io.err(&format!("{stamp} [42] FATAL:  lock file \"postmaster.pid\" already exists\n{stamp} [42] HINT:  Is another postmaster (PID 1) running in data directory \"{}\"?\n", server::PGDATA));
        return Ok(1);
    }
    if !server::initialized(sh) {
        io.err(&format!("postgres: could not access directory \"{}\": No such file or directory\nRun initdb or pg_basebackup to initialize a PostgreSQL data directory.\n", server::PGDATA));
        return Ok(1);
    }
    io.err(&format!(
        "{stamp} [1] LOG:  starting PostgreSQL {full} (Debian {full}-1.pgdg120+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit\n\
         {stamp} [1] LOG:  listening on IPv4 address \"0.0.0.0\", port 5432\n\
         {stamp} [1] LOG:  listening on IPv6 address \"::\", port 5432\n\
         {stamp} [1] LOG:  listening on Unix socket \"/var/run/postgresql/.s.PGSQL.5432\"\n"
    ));
    if server::standby(sh) {
        // A hot standby made by `pg_basebackup -R`: recovery from the backup, then streaming.
        let known = strftime("%Y-%m-%d %H:%M:%S UTC", sh.fs.now);
        io.err(&format!(
            "{stamp} [29] LOG:  database system was interrupted; last known up at {known}\n\
             {stamp} [29] LOG:  entering standby mode\n\
             {stamp} [29] LOG:  starting backup recovery with redo LSN 0/2000028, checkpoint LSN 0/2000060, on timeline ID 1\n\
             {stamp} [29] LOG:  redo starts at 0/2000028\n\
             {stamp} [29] LOG:  completed backup recovery with redo LSN 0/2000028 and end LSN 0/2000100\n\
             {stamp} [29] LOG:  consistent recovery state reached at 0/2000100\n\
             {stamp} [1] LOG:  database system is ready to accept read-only connections\n\
             {stamp} [30] LOG:  started streaming WAL from primary at 0/3000000 on timeline 1\n"
        ));
    } else {
        io.err(&format!("{stamp} [1] LOG:  database system is ready to accept connections\n"));
    }
    sh.serve(io)
}
