//! Background jobs in cluster time: a job that sleeps past the present stops where it stands and
//! goes on when its shell sleeps or waits, with its exit status and output at their times.

use crate::harness::{assert_text, Cluster};

fn pod(name: &str, script: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sh, -c, '{script}']\n"
    )
}

fn status(c: &Cluster, name: &str) -> String {
    let line = c.ok(&["get", "pod", name, "--no-headers"]);
    let cols: Vec<&str> = line.split_whitespace().collect();
    cols[1..cols.len() - 1].join(" ")
}

#[test]
fn wait_returns_a_sleeping_jobs_status_when_it_ends() {
    let c = Cluster::new();
    let f = c.file("j.yaml", &pod("j", "(sleep 5; exit 4) & wait $!; echo $?"));
    c.ok(&["create", "-f", &f]);
    assert_eq!(c.ok(&["logs", "j"]), "");
    c.ok(&["advance", "4s"]);
    assert_eq!(c.ok(&["logs", "j"]), "");
    assert_eq!(status(&c, "j"), "1/1 Running 0");
    c.ok(&["advance", "1s"]);
    assert_text(&c.ok(&["logs", "j", "--timestamps"]), "2026-11-27T09:00:05.000100000Z 4\n");
    assert_eq!(status(&c, "j"), "0/1 Completed 0");
}

#[test]
fn a_job_goes_on_in_cluster_time_while_the_shell_sleeps() {
    let c = Cluster::new();
    let script = "(for i in 1 2 3; do sleep 10; echo job $i; done; exit 2) & p=$!; \
                  echo main; sleep 25; echo main woke; wait $p; echo job ended $?; sleep 3600";
    let f = c.file("k.yaml", &pod("k", script));
    c.ok(&["create", "-f", &f]);
    assert_eq!(c.ok(&["logs", "k"]), "main\n");
    c.ok(&["advance", "10s"]);
    assert_eq!(c.ok(&["logs", "k"]), "main\njob 1\n");
    c.ok(&["advance", "10s"]);
    assert_eq!(c.ok(&["logs", "k"]), "main\njob 1\njob 2\n");
    c.ok(&["advance", "10s"]);
    assert_text(
        &c.ok(&["logs", "k", "--timestamps"]),
        "2026-11-27T09:00:00.000100000Z main\n2026-11-27T09:00:10.000101013Z job 1\n\
         2026-11-27T09:00:20.000102026Z job 2\n2026-11-27T09:00:25.000103039Z main woke\n\
         2026-11-27T09:00:30.000104052Z job 3\n2026-11-27T09:00:30.000105065Z job ended 2\n",
    );
}

#[test]
fn a_job_caught_up_in_one_long_advance_keeps_its_order() {
    let c = Cluster::new();
    let f = c
        .file("l.yaml", &pod("l", "(sleep 5; echo five; sleep 10; echo fifteen) & sleep 10; echo ten; wait; echo all"));
    c.ok(&["create", "-f", &f]);
    c.ok(&["advance", "1m"]);
    assert_eq!(c.ok(&["logs", "l"]), "five\nten\nfifteen\nall\n");
    assert_eq!(status(&c, "l"), "0/1 Completed 0");
}

#[test]
fn a_looping_job_runs_beside_sleep_infinity_until_it_is_killed() {
    let c = Cluster::new();
    let script = "(while true; do sleep 10; echo tick; done) & p=$!; sleep 25; kill $p; wait $p; \
                  echo killed $?; (sleep 5; echo late) & sleep infinity";
    let f = c.file("m.yaml", &pod("m", script));
    c.ok(&["create", "-f", &f]);
    c.ok(&["advance", "20s"]);
    assert_eq!(c.ok(&["logs", "m"]), "tick\ntick\n");
    c.ok(&["advance", "1m"]);
    assert_text(
        &c.ok(&["logs", "m", "--timestamps"]),
        "2026-11-27T09:00:10.000100000Z tick\n2026-11-27T09:00:20.000101013Z tick\n\
         2026-11-27T09:00:25.000102026Z killed 143\n2026-11-27T09:00:30.000103039Z late\n",
    );
    assert_eq!(status(&c, "m"), "1/1 Running 0");
}

#[test]
fn a_job_goes_on_while_the_shell_computes() {
    let c = Cluster::new();
    let f = c.file("busy.yaml", &pod("busy", "(sleep 5; echo hi) & while :; do :; done"));
    c.ok(&["create", "-f", &f]);
    assert_eq!(c.ok(&["logs", "busy"]), "");
    c.ok(&["advance", "10s"]);
    assert_text(&c.ok(&["logs", "busy", "--timestamps"]), "2026-11-27T09:00:05.000100000Z hi\n");
}
