//! Cassandra as the kubernetes.io tutorial runs it (`gcr.io/google-samples/cassandra:v13`):
//! `run.sh` starting `cassandra -f`, which joins the ring through its seeds, the tutorial's
//! `ready-probe.sh`, `nodetool status` / `drain` and `cqlsh` (which needs the Python only the
//! image's `-dev` build has).

mod cql;
mod cqlsh;
mod ring;

use super::Profile;
use crate::exec::builtins::Builtin;
use crate::exec::interp::{Res, Shell};
use crate::exec::io::Io;

/// kstate's `run.sh`: the real one also rewrites `cassandra.yaml` from the environment, which
/// `cassandra` reads here directly.
const RUN_SH: &str = "#!/bin/bash\nset -e\nCASSANDRA_LISTEN_ADDRESS=${POD_IP:-$HOSTNAME}\necho Starting Cassandra on ${CASSANDRA_LISTEN_ADDRESS}\nexec cassandra -f\n";

/// The tutorial image's readiness probe: this node is Up and Normal in `nodetool status`.
const READY_PROBE: &str = "#!/bin/bash\n\nif [[ $(nodetool status | grep $POD_IP) == *\"UN\"* ]]; then\n  if [[ $DEBUG ]]; then\n    echo \"UN\";\n  fi\n  exit 0;\nelse\n  if [[ $DEBUG ]]; then\n    echo \"Not Up\";\n  fi\n  exit 1;\nfi\n";

pub const CASSANDRA: Profile = Profile {
    repos: &["google-samples/cassandra"],
    entrypoint: &[],
    cmd: &["/sbin/dumb-init", "/bin/bash", "/run.sh"],
    programs: &[
        ("/usr/sbin/dumb-init", "dumb-init"),
        ("/usr/local/apache-cassandra/bin/cassandra", "cassandra"),
        ("/usr/local/apache-cassandra/bin/nodetool", "nodetool"),
        ("/usr/local/apache-cassandra/bin/cqlsh", "cqlsh"),
    ],
    env: &[("CASSANDRA_HOME", "/usr/local/apache-cassandra"), ("CASSANDRA_CONF", "/etc/cassandra")],
    dirs: &[("/cassandra_data", 0o755), ("/etc/cassandra", 0o755)],
    files: &[("/run.sh", 0o755, RUN_SH), ("/ready-probe.sh", 0o755, READY_PROBE)],
    links: &[
        ("/usr/local/bin/cassandra", "/usr/local/apache-cassandra/bin/cassandra"),
        ("/usr/local/bin/nodetool", "/usr/local/apache-cassandra/bin/nodetool"),
        ("/usr/local/bin/cqlsh", "/usr/local/apache-cassandra/bin/cqlsh"),
    ],
    listens: &[
        (7000, "run.sh"),
        (9042, "run.sh"),
        (7199, "run.sh"),
        (7000, "cassandra"),
        (9042, "cassandra"),
        (7199, "cassandra"),
    ],
    server_title: None,
    server_user: None,
};

pub fn program(name: &str) -> Option<Builtin> {
    Some(match name {
        "dumb-init" => dumb_init,
        "cassandra" => cassandra,
        "nodetool" => ring::nodetool,
        "cqlsh" => cqlsh::cqlsh,
        _ => return None,
    })
}

/// `dumb-init CMD...`: runs the command as its child, forwarding signals.
fn dumb_init(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let Some(cmd) = argv.get(1) else {
        io.err("Usage: dumb-init [option] program [args]\n");
        return Ok(1);
    };
    let found = sh.find_program(cmd);
    sh.exec_found(found, &argv[1..], io)
}

/// `cassandra -f`: joins the ring through the seeds, then serves until stopped.
fn cassandra(sh: &mut Shell, io: &mut Io, _argv: &[String]) -> Res {
    if !sh.is_timed() {
        io.err("Error: Exception encountered during startup: Address already in use\n");
        return Ok(1);
    }
    ring::join(sh);
    sh.serve(io)
}
