//! What an image prints when its container starts, as `kubectl logs` shows it.

use super::app::{self, App};
use crate::exec::clock_fmt::strftime;
use crate::exec::image::repository;

/// nginx's entrypoint (nginx:1.25+ on Debian bookworm) before nginx itself starts.
const NGINX_ENTRYPOINT: &[&str] = &[
    "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
    "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
    "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
    "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
    "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
    "/docker-entrypoint.sh: Configuration complete; ready for start up",
];

/// Worker processes nginx starts (`worker_processes auto` on the nodes' 4 CPUs); the first
/// one's pid is also the one that answers requests in the error log.
pub const NGINX_WORKERS: u32 = 4;
pub const NGINX_FIRST_WORKER: u32 = 29;

/// The lines the container printed when it started at `started`, each with its time, when its
/// main process (`argv`: the pod's `command` and `args` over the image's ENTRYPOINT and CMD) is
/// the image's server. busybox and unknown images print nothing; nginx-slim (no entrypoint
/// lines) neither. A pod's own `command` replaces the entrypoint and drops CMD, so `sh -c ...`
/// in an nginx pod logs only what the script writes.
pub fn startup_lines(image: &str, argv: &[String], pod: (&str, &str), started: i64) -> Vec<(i64, String)> {
    let (host, pod_ip) = pod;
    let repo = repository(image);
    let mut out = Vec::new();
    if let Some(app) = App::of(image) {
        // The sample applications log when they listen, unless the pod runs something else.
        if app_runs(app, argv) {
            out.extend(app::startup_lines(app, host, started).into_iter().map(|l| (started, l)));
        }
        return out;
    }
    // The nginx entrypoint configures (and says so) only for `nginx`/`nginx-debug`; any other
    // command is `exec`ed silently.
    let entry = argv.first().is_some_and(|a| a.ends_with("docker-entrypoint.sh"));
    let program = if entry { &argv[1.min(argv.len())..] } else { argv };
    let name = program.first().map(|a| a.rsplit('/').next().unwrap_or(a)).unwrap_or("");
    if (repo.ends_with("/nginx") || repo == "nginx") && nginx_serves(name, program) {
        if entry {
            out.extend(NGINX_ENTRYPOINT.iter().map(|l| (started, l.to_string())));
        }
        let when = strftime("%Y/%m/%d %H:%M:%S", started);
        let notice = |m: &str| (started, format!("{when} [notice] 1#1: {m}"));
        out.push(notice("using the \"epoll\" event method"));
        out.push(notice("nginx/1.27.3"));
        out.push(notice("built by gcc 12.2.0 (Debian 12.2.0-14) "));
        out.push(notice("OS: Linux 5.10.134-18.al8.x86_64"));
        out.push(notice("getrlimit(RLIMIT_NOFILE): 1048576:1048576"));
        out.push(notice("start worker processes"));
        for i in 0..NGINX_WORKERS {
            out.push(notice(&format!("start worker process {}", NGINX_FIRST_WORKER + i)));
        }
    } else if repo.ends_with("httpd") && name == "httpd-foreground" {
        let ah = format!(
            "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {pod_ip}. Set the 'ServerName' directive globally to suppress this message"
        );
        out.push((started, ah.clone()));
        out.push((started, ah));
        let when = strftime("%a %b %d %H:%M:%S.000000 %Y", started);
        out.push((
            started,
            format!("[{when}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations"),
        ));
        out.push((
            started,
            format!("[{when}] [core:notice] [pid 1:tid 1] AH00094: Command line: '{}'", httpd_line(&program[1..])),
        ));
    }
    out
}

/// Whether the container's main process is the image's own application.
fn app_runs(app: App, argv: &[String]) -> bool {
    let line = argv.join(" ");
    match app {
        App::Bootcamp => line.contains("node server.js"),
        App::HelloApp => argv.is_empty() || line.contains("hello-app"),
    }
}

/// Whether `nginx ARGS` starts the server (rather than printing its version, testing its
/// configuration or signalling a running master).
fn nginx_serves(name: &str, program: &[String]) -> bool {
    let query = |a: &String| matches!(a.as_str(), "-v" | "-V" | "-t" | "-T" | "-h" | "-?" | "-s" | "-q");
    matches!(name, "nginx" | "nginx-debug") && !program.iter().skip(1).any(query)
}

/// The command line httpd reports: `httpd-foreground` runs `httpd -DFOREGROUND "$@"`, and
/// httpd shows its `-D` apart from its value.
fn httpd_line(extra: &[String]) -> String {
    std::iter::once("httpd -D FOREGROUND").chain(extra.iter().map(String::as_str)).collect::<Vec<_>>().join(" ")
}
