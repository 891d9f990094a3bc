//! Containers run their programs in cluster time: loops that write and sleep, exits and the
//! restart policy with its back-off, probes at their due times, graceful deletion.

use crate::harness::{assert_text, Cluster};

const WRITER: &str = "apiVersion: v1
kind: Pod
metadata:
  name: writer
spec:
  containers:
  - name: w
    image: busybox:1.36
    command: [sh, -c, 'while true; do date >> /data/out; echo tick $(date +%s); sleep 10; done']
    volumeMounts:
    - {name: d, mountPath: /data}
  volumes:
  - name: d
    emptyDir: {}
";

fn pod(name: &str, policy: &str, script: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  restartPolicy: {policy}\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sh, -c, '{script}']\n"
    )
}

fn restarts_and_status(c: &Cluster, name: &str) -> String {
    let line = c.ok(&["get", "pod", name, "--no-headers"]);
    let cols: Vec<&str> = line.split_whitespace().collect();
    cols[1..cols.len() - 1].join(" ")
}

#[test]
fn a_writer_loop_writes_seven_lines_in_sixty_seconds_across_commands() {
    let c = Cluster::new();
    let f = c.file("writer.yaml", WRITER);
    c.ok(&["create", "-f", &f]);
    c.ok(&["advance", "25s"]);
    c.ok(&["advance", "35s"]);
    assert_text(
        &c.ok(&["exec", "writer", "--", "cat", "/data/out"]),
        "Fri Nov 27 09:00:00 UTC 2026\nFri Nov 27 09:00:10 UTC 2026\nFri Nov 27 09:00:20 UTC 2026\n\
         Fri Nov 27 09:00:30 UTC 2026\nFri Nov 27 09:00:40 UTC 2026\nFri Nov 27 09:00:50 UTC 2026\n\
         Fri Nov 27 09:01:00 UTC 2026\n",
    );
    assert_text(
        &c.ok(&["logs", "writer", "--tail", "2", "--timestamps"]),
        "2026-11-27T09:00:50.000100000Z tick 1795770050\n2026-11-27T09:01:00.000101013Z tick 1795770060\n",
    );
}

#[test]
fn a_process_sleeping_across_kstate_runs_resumes_where_it_stood() {
    let c = Cluster::new();
    let f = c.file("p.yaml", &pod("p", "Never", "echo one; sleep 30; echo two; sleep 30; echo three"));
    c.ok(&["create", "-f", &f]);
    assert_eq!(c.ok(&["logs", "p"]), "one\n");
    c.ok(&["advance", "29s"]);
    assert_eq!(c.ok(&["logs", "p"]), "one\n");
    c.ok(&["advance", "1s"]);
    assert_eq!(c.ok(&["logs", "p"]), "one\ntwo\n");
    assert_eq!(restarts_and_status(&c, "p"), "1/1 Running 0");
    c.ok(&["advance", "1h"]);
    assert_eq!(c.ok(&["logs", "p"]), "one\ntwo\nthree\n");
    assert_eq!(restarts_and_status(&c, "p"), "0/1 Completed 0");
}

#[test]
fn exit_codes_follow_the_restart_policy() {
    let c = Cluster::new();
    for (name, policy, script) in
        [("never-ok", "Never", "exit 0"), ("never-fail", "Never", "exit 3"), ("onfail-ok", "OnFailure", "exit 0")]
    {
        let f = c.file(&format!("{name}.yaml"), &pod(name, policy, script));
        c.ok(&["create", "-f", &f]);
    }
    assert_eq!(restarts_and_status(&c, "never-ok"), "0/1 Completed 0");
    assert_eq!(restarts_and_status(&c, "never-fail"), "0/1 Error 0");
    assert_eq!(restarts_and_status(&c, "onfail-ok"), "0/1 Completed 0");
    assert_eq!(c.ok(&["get", "pod", "never-fail", "-o", "jsonpath={.status.phase}"]), "Failed");
    assert_eq!(c.ok(&["get", "pod", "never-ok", "-o", "jsonpath={.status.phase}"]), "Succeeded");
    let d = c.ok(&["describe", "pod", "never-fail"]);
    assert!(d.contains("    State:          Terminated\n      Reason:       Error\n      Exit Code:    3\n"), "{d}");
}

#[test]
fn a_crashing_container_backs_off_ten_seconds_doubling_to_five_minutes() {
    let c = Cluster::new();
    let f = c.file("crash.yaml", &pod("crash", "Always", "echo starting; exit 1"));
    c.ok(&["create", "-f", &f]);
    // Restarts at 0 s (at once), then after 10, 20, 40, 80, 160 and 300 s windows. Each exit
    // shows as `Error` until the kubelet's next sync of the pod, 10 s later, shows the back-off;
    // meanwhile RESTARTS dates the exit before (the last state's).
    let expected = [
        (5, "0/1 Error 1 (5s ago)"),
        (10, "0/1 Error 2 (10s ago)"),
        (19, "0/1 Error 2 (19s ago)"),
        (20, "0/1 CrashLoopBackOff 2 (10s ago)"),
        (30, "0/1 Error 3 (20s ago)"),
        (69, "0/1 CrashLoopBackOff 3 (39s ago)"),
        (70, "0/1 Error 4 (40s ago)"),
        (150, "0/1 Error 5 (80s ago)"),
        (310, "0/1 Error 6 (2m40s ago)"),
        (610, "0/1 Error 7 (5m ago)"),
        (620, "0/1 CrashLoopBackOff 7 (10s ago)"),
    ];
    let mut at = 0;
    for (t, want) in expected {
        c.ok(&["advance", &format!("{}s", t - at)]);
        at = t;
        assert_eq!(restarts_and_status(&c, "crash"), want, "at {t}s");
    }
    let d = c.ok(&["describe", "pod", "crash"]);
    assert!(d.contains("Back-off restarting failed container c in pod crash_default("), "{d}");
    assert_eq!(c.ok(&["logs", "crash"]), "starting\n");
    assert_eq!(c.ok(&["logs", "crash", "--previous"]), "starting\n");
}

#[test]
fn the_exec_liveness_example_restarts_once_after_forty_seconds() {
    let c = Cluster::new();
    let f = c.file(
        "liveness.yaml",
        "apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
    livenessProbe:
      exec:
        command:
        - cat
        - /tmp/healthy
      initialDelaySeconds: 5
      periodSeconds: 5
",
    );
    c.ok(&["create", "-f", &f]);
    c.ok(&["advance", "39s"]);
    assert_eq!(restarts_and_status(&c, "liveness-exec"), "1/1 Running 0");
    c.ok(&["advance", "1s"]);
    assert_eq!(restarts_and_status(&c, "liveness-exec"), "1/1 Running 1 (0s ago)");
    let d = c.ok(&["describe", "pod", "liveness-exec"]);
    assert!(
        d.contains("  Warning  Unhealthy  0s (x3 over 10s)  kubelet            Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n  Normal   Killing    0s                kubelet            Container liveness failed liveness probe, will be restarted\n"),
        "{d}"
    );
}

#[test]
fn deleting_a_pod_whose_process_ignores_sigterm_waits_its_grace_period() {
    let c = Cluster::new();
    for name in ["a", "b", "c"] {
        let f = c.file(&format!("{name}.yaml"), &pod(name, "Always", "sleep 3600"));
        c.ok(&["create", "-f", &f]);
    }
    assert_eq!(c.ok(&["delete", "pod", "a"]), "pod \"a\" deleted\n");
    // kubectl waited for the pod to go: 30 s of cluster time passed.
    assert_eq!(
        c.ok(&["get", "pods", "--no-headers"]),
        "b     1/1   Running   0     30s\nc     1/1   Running   0     30s\n"
    );
    c.ok(&["delete", "pod", "b", "--grace-period=5"]);
    assert_eq!(c.ok(&["get", "pods", "--no-headers"]), "c     1/1   Running   0     35s\n");
    let o = c.run(&["delete", "pod", "c", "--force", "--grace-period=0"]);
    assert_eq!(o.stdout, "pod \"c\" force deleted\n");
    c.ok(&["create", "-f", &c.file("n.yaml", &pod("late", "Always", "sleep 3600"))]);
    c.ok(&["delete", "pod", "late", "--wait=false"]);
    assert_eq!(c.ok(&["get", "pods", "--no-headers"]), "late   1/1   Terminating   0     0s\n");
    c.ok(&["advance", "30s"]);
    assert_eq!(c.run(&["get", "pods"]).stderr, "No resources found in default namespace.\n");
}

#[test]
fn images_run_their_own_entrypoint_when_the_pod_sets_no_command() {
    let c = Cluster::new();
    c.ok(&["run", "web", "--image=nginx:1.27"]);
    c.ok(&["run", "box", "--image=busybox:1.36"]);
    c.ok(&["run", "app", "--image=example.com/team/app:2.1"]);
    c.ok(&["advance", "1m"]);
    assert_eq!(restarts_and_status(&c, "web"), "1/1 Running 0");
    assert_eq!(restarts_and_status(&c, "app"), "1/1 Running 0");
    // busybox's CMD is `sh`, which ends at once without a terminal.
    assert_eq!(restarts_and_status(&c, "box"), "0/1 CrashLoopBackOff 3 (30s ago)");
}

#[test]
fn a_busy_loop_ends_the_command_cleanly_and_keeps_running() {
    let c = Cluster::new();
    let f = c.file("busy.yaml", &pod("busy", "Always", "i=0; while :; do i=$((i+1)); done"));
    c.ok(&["create", "-f", &f]);
    let started = std::time::Instant::now();
    c.ok(&["advance", "24h"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(restarts_and_status(&c, "busy"), "1/1 Running 0");
}

const MYAPP: &str = "apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app.kubernetes.io/name: MyApp
spec:
  containers:
  - name: myapp-container
    image: nginx:1.27
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', \"until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done\"]
  - name: init-mydb
    image: busybox:1.28
    command: ['sh', '-c', \"until nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for mydb; sleep 2; done\"]
";

fn service(name: &str) -> String {
    format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  ports:\n  - protocol: TCP\n    port: 80\n    targetPort: 9376\n")
}

#[test]
fn init_containers_wait_for_their_services_then_the_app_starts() {
    let c = Cluster::new();
    c.ok(&["create", "-f", &c.file("myapp.yaml", MYAPP)]);
    assert_eq!(restarts_and_status(&c, "myapp-pod"), "0/1 Init:0/2 0");
    c.ok(&["advance", "5s"]);
    assert_text(
        &c.ok(&["logs", "myapp-pod", "-c", "init-myservice", "--tail", "5"]),
        "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n\
         nslookup: can't resolve 'myservice.default.svc.cluster.local'\nwaiting for myservice\n",
    );
    c.ok(&["create", "-f", &c.file("s1.yaml", &service("myservice"))]);
    c.ok(&["advance", "1s"]);
    assert_eq!(restarts_and_status(&c, "myapp-pod"), "0/1 Init:1/2 0");
    c.ok(&["create", "-f", &c.file("s2.yaml", &service("mydb"))]);
    c.ok(&["advance", "2s"]);
    // nginx's image is pulled once the init containers are done.
    assert_eq!(restarts_and_status(&c, "myapp-pod"), "0/1 PodInitializing 0");
    c.ok(&["advance", "5s"]);
    assert_eq!(restarts_and_status(&c, "myapp-pod"), "1/1 Running 0");
    let d = c.ok(&["describe", "pod", "myapp-pod"]);
    assert!(d.contains("  init-mydb:\n"), "{d}");
    assert!(d.contains("      Reason:       Completed\n      Exit Code:    0\n      Started:      Fri, 27 Nov 2026 09:00:06 +0000\n      Finished:     Fri, 27 Nov 2026 09:00:08 +0000\n"), "{d}");
}

#[test]
fn a_failing_init_container_fails_the_pod_or_crash_loops() {
    let c = Cluster::new();
    let never = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: never\nspec:\n  restartPolicy: Never\n  initContainers:\n  - {name: setup, image: busybox:1.36, command: [sh, -c, 'exit 2']}\n  containers:\n  - {name: app, image: busybox:1.36, command: [sleep, '3600']}\n";
    c.ok(&["create", "-f", &c.file("never.yaml", never)]);
    assert_eq!(restarts_and_status(&c, "never"), "0/1 Init:Error 0");
    assert_eq!(c.ok(&["get", "pod", "never", "-o", "jsonpath={.status.phase}"]), "Failed");
    let always = never.replace("name: never", "name: always").replace("restartPolicy: Never", "restartPolicy: Always");
    c.ok(&["create", "-f", &c.file("always.yaml", &always)]);
    // The exit shows until the kubelet's next sync; the back-off shows from the one after the
    // second restart (10 s into its 20 s window).
    c.ok(&["advance", "5s"]);
    assert_eq!(restarts_and_status(&c, "always"), "0/1 Init:Error 1 (5s ago)");
    c.ok(&["advance", "20s"]);
    assert_eq!(restarts_and_status(&c, "always"), "0/1 Init:CrashLoopBackOff 2 (15s ago)");
}

#[test]
fn a_sidecar_starts_before_the_app_and_keeps_running() {
    let c = Cluster::new();
    let pod = "apiVersion: v1
kind: Pod
metadata:
  name: side
spec:
  initContainers:
  - name: logshipper
    image: busybox:1.36
    restartPolicy: Always
    command: [sh, -c, 'while true; do echo shipped; sleep 30; done']
  - name: migrate
    image: busybox:1.36
    command: [sh, -c, 'echo migrated']
  containers:
  - name: app
    image: busybox:1.36
    command: [sh, -c, 'sleep 3600']
";
    c.ok(&["create", "-f", &c.file("side.yaml", pod)]);
    assert_eq!(restarts_and_status(&c, "side"), "2/2 Running 0");
    c.ok(&["advance", "60s"]);
    assert_eq!(c.ok(&["logs", "side", "-c", "logshipper"]), "shipped\nshipped\nshipped\n");
    assert_eq!(c.ok(&["logs", "side", "-c", "migrate"]), "migrated\n");
}

#[test]
fn readiness_counts_thresholds_at_each_period() {
    let c = Cluster::new();
    let pod = "apiVersion: v1
kind: Pod
metadata:
  name: ready
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: [sh, -c, 'sleep 20; touch /tmp/ready; sleep 40; rm /tmp/ready; sleep 3600']
    readinessProbe:
      exec:
        command: [cat, /tmp/ready]
      initialDelaySeconds: 5
      periodSeconds: 5
      successThreshold: 2
      failureThreshold: 2
";
    c.ok(&["create", "-f", &c.file("ready.yaml", pod)]);
    // Probes at 5, 10, ...: successes at 20 and 25 make it ready; failures at 60 and 65 unready.
    let expected = [(20, "0/1"), (25, "1/1"), (60, "1/1"), (65, "0/1")];
    let mut at = 0;
    for (t, want) in expected {
        c.ok(&["advance", &format!("{}s", t - at)]);
        at = t;
        assert_eq!(restarts_and_status(&c, "ready").split(' ').next(), Some(want), "at {t}s");
    }
    let d = c.ok(&["describe", "pod", "ready"]);
    assert!(d.contains("Readiness probe failed: cat: can't open '/tmp/ready': No such file or directory"), "{d}");
}

#[test]
fn a_missing_config_map_holds_the_container_until_it_appears() {
    let c = Cluster::new();
    let pod = "apiVersion: v1
kind: Pod
metadata:
  name: cfg
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: [sh, -c, 'echo mode=$MODE; sleep 3600']
    env:
    - name: MODE
      valueFrom:
        configMapKeyRef: {name: settings, key: mode}
";
    c.ok(&["create", "-f", &c.file("cfg.yaml", pod)]);
    assert_eq!(restarts_and_status(&c, "cfg"), "0/1 CreateContainerConfigError 0");
    c.ok(&["advance", "25s"]);
    let d = c.ok(&["describe", "pod", "cfg"]);
    assert!(
        d.contains(
            "  Warning  Failed     5s (x3 over 25s)  kubelet            Error: configmap \"settings\" not found\n"
        ),
        "{d}"
    );
    c.ok(&["create", "configmap", "settings", "--from-literal=mode=fast"]);
    assert_eq!(restarts_and_status(&c, "cfg"), "1/1 Running 0");
    assert_eq!(c.ok(&["logs", "cfg"]), "mode=fast\n");
}

#[test]
fn ps_and_proc_show_the_main_process_and_pkill_signals_it() {
    let c = Cluster::new();
    c.ok(&["run", "box", "--image=busybox:1.36", "--", "sleep", "3600"]);
    assert_text(
        &c.ok(&["exec", "box", "--", "ps"]),
        "PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 3600\n   42 root      0:00 ps\n",
    );
    assert_eq!(c.ok(&["exec", "box", "--", "cat", "/proc/1/cmdline"]), "sleep\u{0}3600\u{0}");
    // PID 1 without a handler ignores signals from inside its container.
    c.ok(&["exec", "box", "--", "pkill", "sleep"]);
    assert_eq!(c.run(&["exec", "box", "--", "pkill", "java"]).code, 1);
    assert_eq!(restarts_and_status(&c, "box"), "1/1 Running 0");
    c.ok(&["run", "web", "--image=nginx:1.27"]);
    assert_eq!(c.ok(&["exec", "web", "--", "cat", "/proc/1/cmdline"]), "nginx: master process nginx -g daemon off;\0");
    c.ok(&["exec", "web", "--", "sh", "-c", "kill 1"]);
    assert_eq!(restarts_and_status(&c, "web"), "1/1 Running 1 (0s ago)");
}

#[test]
fn logs_of_many_pods_and_containers_with_since_and_prefix() {
    let c = Cluster::new();
    for name in ["t1", "t2"] {
        let script = format!("i=0; while true; do echo {name} $i; i=$((i+1)); sleep 10; done");
        let f = c.file(
            &format!("{name}.yaml"),
            &pod(name, "Always", &script).replace("metadata:\n", "metadata:\n  labels: {app: ticker}\n"),
        );
        c.ok(&["create", "-f", &f]);
    }
    c.ok(&["advance", "2m"]);
    assert_text(
        &c.ok(&["logs", "-l", "app=ticker", "--prefix", "--tail", "2"]),
        "[pod/t1/c] t1 11\n[pod/t1/c] t1 12\n[pod/t2/c] t2 11\n[pod/t2/c] t2 12\n",
    );
    assert_eq!(c.ok(&["logs", "t1", "--since", "25s"]), "t1 10\nt1 11\nt1 12\n");
    assert_eq!(c.ok(&["logs", "t1", "--since-time", "2026-11-27T09:01:55Z"]), "t1 12\n");
    assert_eq!(c.ok(&["logs", "t1", "--all-containers", "--limit-bytes", "9"]), "t1 0\nt1 1");
    assert_eq!(c.ok(&["logs", "-l", "app=ticker"]).lines().count(), 20, "ten lines per container with a selector");
}

#[test]
fn sigterm_runs_traps_and_waits_for_pre_stop_hooks() {
    let c = Cluster::new();
    let pods = "apiVersion: v1
kind: Pod
metadata:
  name: waiter
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: [sh, -c, \"trap 'echo got TERM; exit 0' TERM; echo started; sleep infinity & wait\"]
---
apiVersion: v1
kind: Pod
metadata:
  name: sleeper
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: [sh, -c, \"trap 'echo bye; exit 3' TERM; while true; do sleep 10; done\"]
---
apiVersion: v1
kind: Pod
metadata:
  name: hooked
spec:
  containers:
  - name: c
    image: nginx:1.27
    lifecycle:
      preStop:
        exec:
          command: [sh, -c, 'sleep 5']
---
apiVersion: v1
kind: Pod
metadata:
  name: witness
spec:
  containers:
  - name: c
    image: nginx:1.27
";
    c.ok(&["create", "-f", &c.file("pods.yaml", pods)]);
    // `wait` is interrupted: the trap runs at once and the pod goes without delay.
    c.ok(&["delete", "pod", "waiter"]);
    assert_eq!(c.ok(&["get", "pod", "witness", "--no-headers"]), "witness   1/1   Running   0     0s\n");
    // The trap of a shell in `sleep` runs when the sleep ends.
    c.ok(&["delete", "pod", "sleeper", "--wait=false"]);
    c.ok(&["advance", "9s"]);
    assert_eq!(restarts_and_status(&c, "sleeper"), "1/1 Terminating 0");
    c.ok(&["advance", "1s"]);
    assert_eq!(c.run(&["get", "pod", "sleeper"]).stderr, "Error from server (NotFound): pods \"sleeper\" not found\n");
    // nginx stops on SIGTERM, which comes after its 5 s preStop hook.
    c.ok(&["delete", "pod", "hooked"]);
    assert_eq!(c.ok(&["get", "pods", "--no-headers"]), "witness   1/1   Running   0     15s\n");
}

#[test]
fn a_failing_post_start_hook_kills_the_container() {
    let c = Cluster::new();
    let pod = "apiVersion: v1
kind: Pod
metadata:
  name: post
spec:
  containers:
  - name: c
    image: nginx:1.27
    lifecycle:
      postStart:
        exec:
          command: [sh, -c, 'exit 1']
";
    c.ok(&["create", "-f", &c.file("post.yaml", pod)]);
    c.ok(&["advance", "15s"]);
    let d = c.ok(&["describe", "pod", "post"]);
    assert!(d.contains("  Warning  FailedPostStartHook"), "{d}");
    assert!(d.contains("kubelet            FailedPostStartHook\n"), "{d}");
    assert_eq!(restarts_and_status(&c, "post"), "0/1 Error 2 (15s ago)");
    c.ok(&["advance", "10s"]);
    assert_eq!(restarts_and_status(&c, "post"), "0/1 CrashLoopBackOff 2 (15s ago)");
}

/// `exec -it POD -- sh` on a terminal is a shell session: a prompt, one command per line, state
/// kept between lines, `exit` ends it. util-linux `script` gives the command a terminal.
#[test]
fn exec_it_on_a_terminal_is_a_shell_session() {
    use std::io::Write;
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    }
    let c = Cluster::new();
    c.ok(&["run", "box", "--image=busybox:1.36", "--", "sleep", "3600"]);
    let line = format!("{} exec -it box -- sh", crate::harness::bin());
    let mut child = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("KSTATE_HOME", c.state())
        .env("KSTATE_NOW", "2026-11-27T09:00:00Z")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("script");
    // Typing waits for the first prompt, as a person does: input written earlier is echoed by
    // the terminal before the prompt when the machine is busy.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"/ # ") {
        match std::io::Read::read(&mut stdout, &mut byte) {
            Ok(1) => seen.push(byte[0]),
            _ => break,
        }
    }
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"cd /tmp\nX=5\nfor i in 1 2; do\necho $X$i\ndone\nexit 3\n").expect("write");
    drop(stdin);
    std::io::Read::read_to_end(&mut stdout, &mut seen).expect("output");
    let status = child.wait().expect("status");
    let out = std::process::Output { status, stdout: seen, stderr: Vec::new() };
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    // The first prompt, the terminal's echo of what is typed, then the session's prompts and
    // output.
    let typed = "cd /tmp\nX=5\nfor i in 1 2; do\necho $X$i\ndone\nexit 3\n";
    let session = "/tmp # /tmp # > > 51\n52\n/tmp # command terminated with exit code 3\n";
    assert!(text.contains(&format!("/ # {typed}{session}")), "{text}");
    assert_eq!(out.status.code(), Some(3), "{text}");
}

#[test]
fn the_termination_message_is_what_the_process_wrote_or_its_log() {
    let c = Cluster::new();
    let pods = "apiVersion: v1
kind: Pod
metadata:
  name: termination-demo
spec:
  containers:
  - name: termination-demo-container
    image: debian
    command: [\"/bin/sh\"]
    args: [\"-c\", \"sleep 10 && echo Sleep expired > /dev/termination-log\"]
---
apiVersion: v1
kind: Pod
metadata:
  name: fallback
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: busybox:1.36
    terminationMessagePolicy: FallbackToLogsOnError
    command: [sh, -c, 'echo one; echo two; exit 1']
";
    c.ok(&["create", "-f", &c.file("pods.yaml", pods)]);
    c.ok(&["advance", "10s"]);
    let template = "{{range .status.containerStatuses}}{{.lastState.terminated.message}}{{end}}";
    assert_eq!(c.ok(&["get", "pod", "termination-demo", "-o", &format!("go-template={template}")]), "Sleep expired\n");
    assert_eq!(
        c.ok(&["get", "pod", "fallback", "-o", "jsonpath={.status.containerStatuses[0].state.terminated.message}"]),
        "one\ntwo"
    );
}

#[test]
fn the_command_and_arguments_page_prints_its_environment() {
    let c = Cluster::new();
    let pod = "apiVersion: v1
kind: Pod
metadata:
  name: command-demo
  labels:
    purpose: demonstrate-command
spec:
  containers:
  - name: command-demo-container
    image: debian
    command: [\"printenv\"]
    args: [\"HOSTNAME\", \"KUBERNETES_PORT\"]
  restartPolicy: OnFailure
";
    c.ok(&["create", "-f", &c.file("commands.yaml", pod)]);
    assert_eq!(restarts_and_status(&c, "command-demo"), "0/1 Completed 0");
    assert_eq!(c.ok(&["logs", "command-demo"]), "command-demo\ntcp://10.96.0.1:443\n");
}

#[test]
fn the_http_liveness_example_restarts_after_its_first_ten_seconds() {
    let c = Cluster::new();
    let pod = "apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-http
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/e2e-test-images/agnhost:2.40
    args:
    - liveness
    livenessProbe:
      httpGet:
        path: /healthz
        port: 8080
      initialDelaySeconds: 3
      periodSeconds: 3
";
    c.ok(&["create", "-f", &c.file("http.yaml", pod)]);
    c.ok(&["advance", "17s"]);
    assert_eq!(restarts_and_status(&c, "liveness-http"), "1/1 Running 0");
    c.ok(&["advance", "1s"]);
    assert_eq!(restarts_and_status(&c, "liveness-http"), "1/1 Running 1 (0s ago)");
    let d = c.ok(&["describe", "pod", "liveness-http"]);
    assert!(d.contains("Liveness probe failed: HTTP probe failed with statuscode: 500"), "{d}");
}

#[test]
fn wait_passes_cluster_time_until_the_condition_holds() {
    let c = Cluster::new();
    c.ok(&["run", "slow", "--image=busybox:1.36", "--restart=Never", "--", "sh", "-c", "sleep 20; echo done"]);
    assert_eq!(
        c.ok(&["wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/slow", "--timeout=60s"]),
        "pod/slow condition met\n"
    );
    // The wait took 20 s of cluster time.
    assert_eq!(c.ok(&["get", "pod", "slow", "--no-headers"]), "slow   0/1   Completed   0     20s\n");
    c.ok(&["run", "forever", "--image=busybox:1.36", "--", "sleep", "infinity"]);
    let o = c.run(&["wait", "--for=condition=Ready=false", "pod/forever", "--timeout=15s"]);
    assert_eq!(o.stderr, "error: timed out waiting for the condition on pods/forever\n");
    assert_eq!(c.ok(&["get", "pod", "forever", "--no-headers"]), "forever   1/1   Running   0     15s\n");
}

#[test]
fn replay_turns_a_documents_sleep_into_cluster_time() {
    let c = Cluster::new();
    let doc = "# Waiting\n\n```console\n$ kubectl run box --image=busybox:1.36 -- sleep 3600\npod/box created\n$ sleep 30\n$ kubectl get pods\nNAME   READY   STATUS    RESTARTS   AGE\nbox    1/1     Running   0          30s\n```\n";
    let f = c.file("doc.md", doc);
    let out = c.ok(&["replay", &f]);
    assert!(
        out.contains("  line 6    ok       sleep 30\n                     note: moved cluster time forward by 30\n"),
        "{out}"
    );
    assert!(out.contains("passed: 3 command(s) in 1 document(s): 3 ok, 0 drift, 0 failed, 0 skipped"), "{out}");
}

#[test]
fn rollout_status_watches_a_statefulset_come_up_in_cluster_time() {
    let c = Cluster::new();
    let set = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: slow
spec:
  selector:
    matchLabels: {app: slow}
  serviceName: slow
  replicas: 3
  template:
    metadata:
      labels: {app: slow}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe:
          httpGet: {path: /, port: 80}
          initialDelaySeconds: 10
          periodSeconds: 5
";
    c.ok(&["create", "-f", &c.file("slow.yaml", set)]);
    let out = c.ok(&["rollout", "status", "sts/slow"]);
    // apps/v1 defaults `rollingUpdate.partition` to 0, hence kubectl's partitioned wording.
    assert_text(
        &out,
        "Waiting for 3 pods to be ready...\nWaiting for 2 pods to be ready...\nWaiting for 1 pods to be ready...\n\
         partitioned roll out complete: 3 new pods have been updated...\n",
    );
    // Each pod became ready 10 s after it started, one after the other.
    assert_eq!(c.ok(&["get", "pod", "slow-0", "--no-headers"]), "slow-0   1/1   Running   0     30s\n");
}

/// kubernetes.io's security-context task: `command: [sh, -c, "sleep 1h"]` shows PID 1 as
/// `sleep 1h` in `ps`, since the shell execs a lone simple command; a loop keeps the shell.
#[test]
fn a_shell_given_one_command_execs_it_as_pid_1() {
    let c = Cluster::new();
    let f = c.file("one.yaml", &pod("one", "Always", "sleep 1h"));
    c.ok(&["apply", "-f", &f]);
    assert_text(
        &c.ok(&["exec", "one", "--", "ps"]),
        "PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 1h\n   42 root      0:00 ps\n",
    );
    assert_eq!(c.ok(&["exec", "one", "--", "cat", "/proc/1/cmdline"]), "sleep\u{0}1h\u{0}");
    // A loop runs in the shell itself.
    let f = c.file("two.yaml", &pod("two", "Always", "while true; do sleep 5; done"));
    c.ok(&["apply", "-f", &f]);
    let cmdline = c.ok(&["exec", "two", "--", "cat", "/proc/1/cmdline"]);
    assert_eq!(cmdline, "sh\u{0}-c\u{0}while true; do sleep 5; done\u{0}");
}
