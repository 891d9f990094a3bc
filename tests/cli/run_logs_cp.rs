//! `run`, `logs` and `cp`.

use crate::harness::{assert_text, seed_manifest, Cluster};

fn seeded() -> Cluster {
    let c = Cluster::new();
    let f = c.file("sts.yaml", seed_manifest());
    c.ok(&["create", "-f", &f]);
    c
}

#[test]
fn run_detached_creates_a_labelled_pod() {
    let c = Cluster::new();
    assert_eq!(c.ok(&["run", "web", "--image=nginx"]), "pod/web created\n");
    let labels = c.ok(&["get", "pod", "web", "-o", "jsonpath={.metadata.labels.run}"]);
    assert_eq!(labels, "web");
    let o = c.run(&["run", "web", "--image=nginx"]);
    assert_eq!(o.code, 1);
    assert_text(&o.stderr, "Error from server (AlreadyExists): pods \"web\" already exists\n");
    let o = c.run(&["run", "x", "--image=nginx", "--rm"]);
    assert_text(&o.stderr, "error: --rm should only be used for attached containers\n");
    c.ok(&["run", "once", "--image=busybox", "--restart=Never", "--", "echo", "hi"]);
    assert_eq!(c.ok(&["logs", "once"]), "hi\n");
    assert_eq!(c.ok(&["get", "pod", "once", "-o", "jsonpath={.status.phase}"]), "Succeeded");
}

#[test]
fn run_takes_the_words_after_the_name_as_arguments_without_a_dash_dash() {
    // kubectl run gives every word after NAME to the container (its args, or its command with
    // --command), `--` or not; flags may follow them.
    let c = Cluster::new();
    c.ok(&["run", "once", "--image=busybox", "echo", "hi", "--restart=Never"]);
    assert_eq!(c.ok(&["logs", "once"]), "hi\n");
    assert_eq!(c.ok(&["get", "pod", "once", "-o", "jsonpath={.spec.containers[0].args}"]), r#"["echo","hi"]"#);
    assert_eq!(c.ok(&["get", "pod", "once", "-o", "jsonpath={.spec.restartPolicy}"]), "Never");
    c.ok(&["run", "cmd", "--image=busybox", "--command", "sleep", "3600"]);
    let command = c.ok(&["get", "pod", "cmd", "-o", "jsonpath={.spec.containers[0].command}"]);
    assert_eq!(command, r#"["sleep","3600"]"#);
}

#[test]
fn run_takes_no_name_from_after_a_dash_dash() {
    // kubectl run's NAME must stand before `--` (cobra's ArgsLenAtDash); the required --image
    // flag is checked first, and nothing is created either way.
    let c = Cluster::new();
    let o = c.run(&["run", "--image=nginx", "--", "web"]);
    assert_eq!(o.code, 1);
    assert_text(&o.stderr, "error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n");
    let o = c.run(&["run", "--", "web"]);
    assert_eq!(o.code, 1);
    let tail = o.stderr.split_once(" run.go:72] ").map(|(_, tail)| tail);
    assert_eq!(tail, Some("\"command failed\" err=\"required flag(s) \\\"image\\\" not set\"\n"));
    assert_text(&c.run(&["get", "pods"]).stderr, "No resources found in default namespace.\n");
    c.ok(&["run", "-n", "default", "web", "--image=busybox", "--", "echo", "hi"]);
    assert_eq!(c.ok(&["get", "pod", "web", "-o", "jsonpath={.spec.containers[0].args}"]), r#"["echo","hi"]"#);
}

#[test]
fn run_attached_without_rm_leaves_a_completed_pod() {
    let c = Cluster::new();
    let o = c.run_stdin(&["run", "-i", "sh", "--image=busybox", "--restart=Never"], "echo from-stdin; exit 3\n");
    assert_eq!(o.code, 3);
    assert_eq!(o.stdout, "from-stdin\n");
    assert!(o.stderr.ends_with("pod default/sh terminated (Error)\n"));
    assert_eq!(c.ok(&["get", "pod", "sh", "-o", "jsonpath={.status.phase}"]), "Failed");
}

#[test]
fn logs_show_startup_lines_tail_timestamps_and_previous_errors() {
    let c = seeded();
    let logs = c.ok(&["logs", "web-0"]);
    assert!(logs.starts_with(
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n"
    ));
    assert!(logs.ends_with("[notice] 1#1: start worker process 32\n"), "{logs}");
    assert_eq!(c.ok(&["logs", "web-0", "--tail", "1"]), "2026/11/27 09:00:00 [notice] 1#1: start worker process 32\n");
    assert_eq!(c.ok(&["logs", "web-0", "--tail", "0"]), "");
    let t = c.ok(&["logs", "web-0", "--tail", "1", "--timestamps", "-f"]);
    assert!(t.starts_with("2026-11-27T09:00:00."), "{t}");
    let o = c.run(&["logs", "web-0", "--previous"]);
    assert_eq!(o.code, 1);
    assert_text(
        &o.stderr,
        "Error from server (BadRequest): previous terminated container \"nginx\" in pod \"web-0\" not found\n",
    );
    // kubectl's LogsForObject checks the container name itself (no request is sent).
    let o = c.run(&["logs", "web-0", "-c", "nope"]);
    assert_text(&o.stderr, "error: container nope is not valid for pod web-0\n");
    let o = c.run(&["logs", "web-9"]);
    assert_text(&o.stderr, "Error from server (NotFound): pods \"web-9\" not found\n");
    c.ok(&["run", "bb", "--image=busybox"]);
    assert_eq!(c.ok(&["logs", "bb"]), "");
}

#[test]
fn cp_copies_files_and_folders_both_ways() {
    let c = seeded();
    let file = c.file("hello.txt", "hello\n");
    c.ok(&["cp", &file, "web-0:/data/"]);
    assert_eq!(c.ok(&["exec", "web-0", "--", "cat", "/data/hello.txt"]), "hello\n");
    c.ok(&["cp", &file, "web-0:/data/renamed.txt"]);
    assert_eq!(c.ok(&["exec", "web-0", "--", "cat", "/data/renamed.txt"]), "hello\n");
    let dir = c.state().parent().map(|p| p.join("tree")).expect("dir");
    std::fs::create_dir_all(dir.join("sub")).expect("mkdir");
    std::fs::write(dir.join("sub/a.txt"), "A").expect("write");
    let dir_s = dir.to_string_lossy().to_string();
    c.ok(&["cp", &dir_s, "web-0:/data/tree"]);
    assert_eq!(c.ok(&["exec", "web-0", "--", "cat", "/data/tree/sub/a.txt"]), "A");
    let out = c.state().parent().map(|p| p.join("back")).expect("dir");
    let out_s = out.to_string_lossy().to_string();
    let o = c.run(&["cp", "web-0:/data/tree", &out_s]);
    assert_eq!(o.code, 0, "{o:?}");
    assert_text(&o.stderr, "tar: Removing leading `/' from member names\n");
    assert_eq!(std::fs::read_to_string(out.join("sub/a.txt")).expect("read"), "A");
    let one = out.join("one.txt");
    c.ok(&["cp", "web-0:/data/hello.txt", &one.to_string_lossy()]);
    assert_eq!(std::fs::read_to_string(&one).expect("read"), "hello\n");
    let o = c.run(&["cp", "web-0:/data/nope", &out_s]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("tar: /data/nope: Cannot stat: No such file or directory\n"), "{}", o.stderr);
    let o = c.run(&["cp", "missing.txt", "web-0:/data/"]);
    assert_text(&o.stderr, "error: missing.txt doesn't exist in local filesystem\n");
    let o = c.run(&["cp", "a", "b"]);
    assert_text(&o.stderr, "error: one of src or dest must be a remote file specification\n");
    let o = c.run(&["cp", &file, "web-0:/proc/x"]);
    assert_ne!(o.code, 0);
}

#[test]
fn cp_cannot_escape_the_container_or_the_destination() {
    let c = seeded();
    let file = c.file("evil.txt", "x");
    c.ok(&["cp", &file, "web-0:/../../../../tmp/evil.txt"]);
    assert_eq!(c.ok(&["exec", "web-0", "--", "cat", "/tmp/evil.txt"]), "x");
    c.ok(&["exec", "web-0", "--", "sh", "-c", "mkdir -p /data/t && ln -s /etc /data/t/link && echo in > /data/t/f"]);
    let out = c.state().parent().map(|p| p.join("got")).expect("dir");
    let o = c.run(&["cp", "web-0:/data/t", &out.to_string_lossy()]);
    assert_eq!(o.code, 0, "{o:?}");
    assert!(o.stderr.contains("warning: skipping symlink:"), "{}", o.stderr);
    assert!(std::fs::symlink_metadata(out.join("link")).is_err());
    assert_eq!(std::fs::read_to_string(out.join("f")).expect("read"), "in\n");
}

#[test]
fn run_interactive_shell_resolves_cluster_names_typed_on_stdin() {
    let c = seeded();
    let out = c.run_stdin(
        &["run", "-i", "--tty", "--image", "busybox:1.28", "dns-test", "--restart=Never", "--rm"],
        "nslookup web-0.nginx\n",
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("Name:      web-0.nginx\nAddress 1: "), "{}", out.stdout);
    assert!(out.stdout.contains(" web-0.nginx.default.svc.cluster.local\n"), "{}", out.stdout);
    assert!(out.stdout.ends_with("pod \"dns-test\" deleted\n"), "{}", out.stdout);
}

/// `run --dry-run` prints what kubectl v1.32 prints (compared through `kstate serve`): the
/// service first with `--expose`, two separators before the pod's YAML, nothing stored; an
/// attached run cannot be a dry run.
#[test]
fn run_dry_runs_print_the_service_then_the_pod() {
    let c = Cluster::new();
    let run = ["run", "tm", "--image=nginx", "--port=80", "--expose"];
    assert_eq!(
        c.ok(&[&run[..], &["--dry-run=client"]].concat()),
        "service/tm created (dry run)\npod/tm created (dry run)\n"
    );
    assert_eq!(
        c.ok(&[&run[..], &["--dry-run=server"]].concat()),
        "service/tm created (server dry run)\npod/tm created (server dry run)\n"
    );
    assert_eq!(c.run(&["get", "pod,svc", "tm"]).code, 1, "a dry run stores nothing");
    let yaml = c.ok(&[&run[..], &["--dry-run=client", "-o", "yaml"]].concat());
    assert_text(
        &yaml,
        "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  name: tm\nspec:\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 80\n  selector:\n    run: tm\nstatus:\n  loadBalancer: {}\n---\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: tm\n  name: tm\nspec:\n  containers:\n  - image: nginx\n    name: tm\n    ports:\n    - containerPort: 80\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n",
    );
    assert_eq!(c.ok(&[&run[..], &["--dry-run=client", "-o", "name"]].concat()), "service/tm\npod/tm\n");
    let o = c.run(&["run", "tm", "--image=nginx", "-i", "--dry-run=client"]);
    assert_eq!(
        o.stderr,
        "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\nSee 'kubectl run -h' for help and examples\n"
    );
    // --save-config writes the annotation on what is created.
    c.ok(&["run", "saved", "--image=nginx", "--save-config"]);
    let annotations = c.ok(&["get", "pod", "saved", "-o", "jsonpath={.metadata.annotations}"]);
    assert!(annotations.contains("kubectl.kubernetes.io/last-applied-configuration"), "{annotations}");
}
