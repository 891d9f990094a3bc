//! Images whose programs kstate simulates beyond a shell and coreutils: database and
//! coordination servers with their clients. Each image is one module giving its [`Profile`]
//! (named in `image.rs`, the catalogue) and its programs; a server's data lives in files of the
//! container's volumes (`data.rs`), and clients reach servers through [`wire::Protocol`].

pub mod cassandra;
pub mod data;
pub mod mysql;
pub mod postgres;
pub mod redis;
pub mod sql;
pub mod stress;
pub mod wire;
pub mod zookeeper;

use super::builtins::Builtin;

/// What an image is: its ENTRYPOINT and CMD, its programs, environment and directories, and
/// the ports its server listens on once its PID 1 runs the server program.
pub struct Profile {
    /// Repository names (the part before the tag) this profile answers for, by suffix.
    pub repos: &'static [&'static str],
    pub entrypoint: &'static [&'static str],
    pub cmd: &'static [&'static str],
    /// (path, program) pairs: each path runs the named program.
    pub programs: &'static [(&'static str, &'static str)],
    pub env: &'static [(&'static str, &'static str)],
    pub dirs: &'static [(&'static str, u32)],
    /// (path, mode, text) files the image ships (scripts the shell runs).
    pub files: &'static [(&'static str, u32, &'static str)],
    /// (path, target) symlinks, made after the programs.
    pub links: &'static [(&'static str, &'static str)],
    /// (port, program): the port is open when PID 1's command line runs that program.
    pub listens: &'static [(u16, &'static str)],
    /// The command line `ps` and `pkill` see for PID 1 once it runs the server (a script that
    /// ends by exec'ing `java`), when it differs from the container's command.
    pub server_title: Option<&'static str>,
    /// The user the image's entrypoint steps down to (`gosu redis ...`) before it runs the
    /// server, when the container starts as root.
    pub server_user: Option<&'static str>,
}

/// The profiles kstate has, in the order image.rs consults them.
pub fn profiles() -> &'static [&'static Profile] {
    &[
        &mysql::MYSQL,
        &mysql::XTRABACKUP,
        &zookeeper::ZOOKEEPER,
        &redis::REDIS,
        &postgres::POSTGRES,
        &cassandra::CASSANDRA,
    ]
}

/// The profile of an image repository, if it has one.
pub fn profile_of(repo: &str) -> Option<&'static Profile> {
    profiles().iter().copied().find(|p| p.repos.iter().any(|r| repo == *r || repo.ends_with(&format!("/{r}"))))
}

/// The programs these images add.
pub fn program(name: &str) -> Option<Builtin> {
    mysql::program(name)
        .or_else(|| zookeeper::program(name))
        .or_else(|| redis::program(name))
        .or_else(|| postgres::program(name))
        .or_else(|| cassandra::program(name))
        .or_else(|| (name == "stress").then_some(stress::stress as Builtin))
}

/// Whether a command line may use these images' clients (so the caller builds a network).
pub const CLIENTS: &[&str] = &[
    "mysql",
    "mysqladmin",
    "ncat",
    "zkCli",
    "zkServer",
    "zookeeper-ready",
    "redis-cli",
    "psql",
    "pg_isready",
    "pg_basebackup",
    "cqlsh",
    "nodetool",
    "dumb-init",
    "ready-probe",
];
