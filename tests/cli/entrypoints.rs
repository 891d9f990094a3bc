//! A pod's `command` replaces the image's ENTRYPOINT and drops its CMD; `args` alone replaces
//! the CMD. Only the program that really runs may write to the log: nginx's entrypoint lines and
//! notices, httpd's start-up lines and the database entrypoints' notes appear only when their
//! program is the container's process.

use crate::harness::{assert_text, Cluster};

const SCRIPT: &str = "echo started $HOSTNAME; sleep 3600";

#[test]
fn a_command_replaces_the_entrypoint_so_only_the_script_logs() {
    let c = Cluster::new();
    let images = ["nginx:1.27", "httpd:2.4", "mysql:8.0", "postgres:16", "redis:7", "busybox:1.36"];
    for (i, image) in images.iter().enumerate() {
        let name = format!("cmd{i}");
        c.ok(&["run", &name, &format!("--image={image}"), "--command", "--", "sh", "-c", SCRIPT]);
    }
    c.ok(&["advance", "1m"]);
    for i in 0..images.len() {
        let name = format!("cmd{i}");
        assert_text(&c.ok(&["logs", &name]), &format!("started {name}\n"));
    }
}

#[test]
fn args_alone_go_through_the_entrypoint_which_runs_them_silently() {
    let c = Cluster::new();
    let images = ["nginx:1.27", "httpd:2.4", "mysql:8.0", "postgres:16", "redis:7", "busybox:1.36"];
    for (i, image) in images.iter().enumerate() {
        let name = format!("args{i}");
        c.ok(&["run", &name, &format!("--image={image}"), "--", "sh", "-c", SCRIPT]);
    }
    c.ok(&["advance", "1m"]);
    for i in 0..images.len() {
        let name = format!("args{i}");
        assert_text(&c.ok(&["logs", &name]), &format!("started {name}\n"));
    }
}

const NOTICES: &str = "2026/11/27 09:00:00 [notice] 1#1: using the \"epoll\" event method
2026/11/27 09:00:00 [notice] 1#1: nginx/1.27.3
2026/11/27 09:00:00 [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) 
2026/11/27 09:00:00 [notice] 1#1: OS: Linux 5.10.134-18.al8.x86_64
2026/11/27 09:00:00 [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576
2026/11/27 09:00:00 [notice] 1#1: start worker processes
2026/11/27 09:00:00 [notice] 1#1: start worker process 29
2026/11/27 09:00:00 [notice] 1#1: start worker process 30
2026/11/27 09:00:00 [notice] 1#1: start worker process 31
2026/11/27 09:00:00 [notice] 1#1: start worker process 32
";

#[test]
fn nginx_as_the_command_logs_its_notices_without_the_entrypoint_lines() {
    let c = Cluster::new();
    c.ok(&["run", "plain", "--image=nginx:1.27", "--command", "--", "nginx", "-g", "daemon off;"]);
    c.ok(&["run", "viaargs", "--image=nginx:1.27", "--", "nginx", "-g", "daemon off;"]);
    c.ok(&["advance", "10s"]);
    // `command` skips /docker-entrypoint.sh: nginx starts as it is, without configuring.
    assert_text(&c.ok(&["logs", "plain"]), NOTICES);
    // `args` keep the entrypoint, which configures before handing over to `nginx`.
    let viaargs = c.ok(&["logs", "viaargs"]);
    assert!(viaargs.starts_with("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty"), "{viaargs}");
    assert!(viaargs.ends_with(NOTICES), "{viaargs}");
    assert_eq!(viaargs.lines().count(), 19, "{viaargs}");
}
