//! Files inside pods across the lifecycle: PVCs persist, writable layers and emptyDirs do not,
//! a claim is shared by the pods that mount it.

use crate::harness::{assert_text, seed_manifest, Cluster};

fn seeded() -> Cluster {
    let c = Cluster::new();
    let f = c.file("sts.yaml", seed_manifest());
    c.ok(&["create", "-f", &f]);
    c
}

#[test]
fn a_file_in_a_pvc_survives_pod_deletion_scaling_and_statefulset_recreation() {
    let c = seeded();
    c.ok(&["exec", "web-1", "--", "sh", "-c", "echo keep > /data/f"]);
    c.ok(&["delete", "pod", "web-1"]);
    assert_eq!(c.ok(&["exec", "web-1", "--", "cat", "/data/f"]), "keep\n");
    c.ok(&["scale", "sts", "web", "--replicas=1"]);
    c.ok(&["scale", "sts", "web", "--replicas=2"]);
    assert_eq!(c.ok(&["exec", "web-1", "--", "cat", "/data/f"]), "keep\n");
    c.ok(&["delete", "sts", "web"]);
    let f = c.file("sts.yaml", seed_manifest());
    let _ = c.run(&["create", "-f", &f]);
    assert_eq!(c.ok(&["exec", "web-1", "--", "cat", "/data/f"]), "keep\n");
}

#[test]
fn the_writable_layer_does_not_survive_pod_recreation() {
    let c = seeded();
    c.ok(&["exec", "web-0", "--", "sh", "-c", "echo gone > /tmp/f"]);
    assert_eq!(c.ok(&["exec", "web-0", "--", "cat", "/tmp/f"]), "gone\n");
    c.ok(&["delete", "pod", "web-0"]);
    let o = c.run(&["exec", "web-0", "--", "cat", "/tmp/f"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.starts_with("cat: /tmp/f: No such file or directory\n"), "{}", o.stderr);
}

#[test]
fn emptydir_dies_with_its_pod_and_two_pods_share_one_claim() {
    let c = Cluster::new();
    let pvc = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: shared\nspec:\n  accessModes: [ReadWriteMany]\n  storageClassName: standard\n  resources:\n    requests:\n      storage: 1Gi\n";
    let pod = |name: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: [sleep, \"3600\"]\n    volumeMounts:\n    - name: s\n      mountPath: /shared\n    - name: e\n      mountPath: /cache\n  volumes:\n  - name: s\n    persistentVolumeClaim:\n      claimName: shared\n  - name: e\n    emptyDir: {{}}\n")
    };
    let f = c.file("all.yaml", &format!("{pvc}---\n{}---\n{}", pod("a"), pod("b")));
    c.ok(&["create", "-f", &f]);
    c.ok(&["exec", "a", "--", "sh", "-c", "echo from-a > /shared/x; echo tmp > /cache/t"]);
    assert_eq!(c.ok(&["exec", "b", "--", "cat", "/shared/x"]), "from-a\n");
    c.ok(&["exec", "b", "--", "sh", "-c", "echo from-b >> /shared/x"]);
    assert_eq!(c.ok(&["exec", "a", "--", "cat", "/shared/x"]), "from-a\nfrom-b\n");
    assert_eq!(c.run(&["exec", "b", "--", "cat", "/cache/t"]).code, 1);
    c.ok(&["delete", "pod", "a"]);
    let f = c.file("a.yaml", &pod("a"));
    c.ok(&["create", "-f", &f]);
    assert_eq!(c.run(&["exec", "a", "--", "cat", "/cache/t"]).code, 1);
    assert_eq!(c.ok(&["exec", "a", "--", "cat", "/shared/x"]), "from-a\nfrom-b\n");
}

#[test]
fn hostile_paths_stay_inside_the_container() {
    let c = seeded();
    let o = c.run(&["exec", "web-0", "--", "sh", "-c", "cat ../../../../etc/hostname; ln -s / /data/up; ls /data/up/../../.. >/dev/null; echo x > /data/up/../../escape; cat /escape"]);
    assert_eq!(o.stdout, "web-0\nx\n", "{o:?}");
    let o = c.run(&["exec", "web-0", "--", "curl", "-s", "web-0.nginx/../../../../etc/passwd"]);
    assert!(o.stdout.contains("400 Bad Request"), "{o:?}");
    let o = c.run(&["exec", "web-0", "--", "curl", "-s", "web-0.nginx/%2e%2e/%2e%2e/etc/passwd"]);
    assert!(o.stdout.contains("400 Bad Request"), "{o:?}");
}

#[test]
fn set_x_traces_each_command_to_stderr_as_dash_ash_and_bash_do() {
    let c = Cluster::new();
    c.ok(&["run", "deb", "--image=debian", "--restart=Never", "--", "sleep", "infinity"]);
    c.ok(&["run", "bb", "--image=busybox", "--restart=Never", "--", "sleep", "infinity"]);
    let script = "set -x\nx=\"a b\"\necho \"a b\" $x \"it's\" ''\ny=$(echo hi)\nf() { echo in; }\nf q\nfor i in 1; do echo $i; done\necho > /dev/null 2>&1\nA=1 B=2 true\nset -e\n[ -n x ] && case $- in *x*) echo traced;; esac\nset +x\necho quiet\n";
    // dash (Debian's sh) writes the words as they are, after expansion, before redirections.
    let dash = c.run(&["exec", "deb", "--", "sh", "-c", script]);
    assert_eq!(dash.stdout, "a b a b it's \nin\n1\ntraced\nquiet\n");
    assert_eq!(
        dash.stderr,
        "+ x=a b\n+ echo a b a b it's \n+ echo hi\n+ y=hi\n+ f q\n+ echo in\n+ echo 1\n+ echo\n+ A=1 B=2 true\n+ set -e\n+ [ -n x ]\n+ echo traced\n+ set +x\n"
    );
    // busybox ash single-quotes what needs it (and reserved words).
    let ash = c.run(&["exec", "bb", "--", "sh", "-c", script]);
    assert_eq!(
        ash.stderr,
        "+ x='a b'\n+ echo 'a b' a b 'it'\"'\"'s' \n+ echo hi\n+ y=hi\n+ f q\n+ echo 'in'\n+ echo 1\n+ echo\n+ A=1 B=2 true\n+ set -e\n+ '[' -n x ]\n+ echo traced\n+ set +x\n"
    );
    // bash quotes as it reads, marks command substitutions with `++` and traces `[[ ]]`.
    let bash =
        c.run(&["exec", "deb", "--", "bash", "-xc", "y=$(echo \"$HOSTNAME\"); [[ $y == deb ]]; echo \"it's\" ''"]);
    assert_eq!(bash.stdout, "it's \n");
    assert_eq!(bash.stderr, "++ echo deb\n+ y=deb\n+ [[ deb == deb ]]\n+ echo 'it'\\''s' ''\n");
}

#[test]
fn tar_writes_and_reads_real_archives_as_kubectl_cp_runs_it() {
    let c = seeded();
    c.ok(&[
        "exec",
        "web-0",
        "--",
        "sh",
        "-c",
        "mkdir -p /data/d/sub && echo hi > /data/d/a && echo deep > /data/d/sub/b && ln -s a /data/d/l",
    ]);
    // `tar cf - PATH`, as `kubectl cp POD:PATH` runs it: GNU tar's stripping message on stderr.
    let made = c.run(&["exec", "web-0", "--", "tar", "cf", "-", "/data/d"]);
    assert_eq!((made.stderr.as_str(), made.code), ("tar: Removing leading `/' from member names\n", 0));
    assert_eq!(made.stdout.len(), 10240, "one 20-block record");
    assert_eq!(&made.stdout[257..265], "ustar  \0");
    let listed = c.run_stdin(&["exec", "-i", "web-1", "--", "tar", "tvf", "-"], &made.stdout);
    assert_text(
        &listed.stdout,
        "drwxr-xr-x root/root         0 2026-11-27 09:00 data/d/\n\
         -rw-r--r-- root/root         3 2026-11-27 09:00 data/d/a\n\
         lrwxrwxrwx root/root         0 2026-11-27 09:00 data/d/l -> a\n\
         drwxr-xr-x root/root         0 2026-11-27 09:00 data/d/sub/\n\
         -rw-r--r-- root/root         5 2026-11-27 09:00 data/d/sub/b\n",
    );
    // `tar -xmf - -C DIR`, as `kubectl cp FILE POD:PATH` runs it.
    let put = c.run_stdin(&["exec", "-i", "web-1", "--", "tar", "-xmf", "-", "-C", "/tmp"], &made.stdout);
    assert_eq!((put.stderr.as_str(), put.code), ("", 0));
    assert_eq!(c.ok(&["exec", "web-1", "--", "cat", "/tmp/data/d/sub/b"]), "deep\n");
    assert!(c.ok(&["exec", "web-1", "--", "ls", "-l", "/tmp/data/d/l"]).ends_with(" /tmp/data/d/l -> a\n"));
    // GNU tar's refusals.
    let nodir = c.run_stdin(&["exec", "-i", "web-1", "--", "tar", "xf", "-", "-C", "/nope"], &made.stdout);
    assert_eq!(
        (nodir.stderr.as_str(), nodir.code),
        ("tar: /nope: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\ncommand terminated with exit code 2\n", 2)
    );
    let garbage = c.run_stdin(&["exec", "-i", "web-1", "--", "tar", "xf", "-"], "not an archive\n");
    assert_eq!(
        (garbage.stderr.as_str(), garbage.code),
        ("tar: This does not look like a tar archive\ntar: Exiting with failure status due to previous errors\ncommand terminated with exit code 2\n", 2)
    );
    let missing = c.run(&["exec", "web-0", "--", "tar", "cf", "-", "/data/nope"]);
    assert_eq!(
        (missing.stderr.as_str(), missing.code),
        ("tar: Removing leading `/' from member names\ntar: /data/nope: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\ncommand terminated with exit code 2\n", 2)
    );
}

#[test]
fn set_o_takes_the_option_name_as_each_shell_does() {
    let c = Cluster::new();
    c.ok(&["run", "deb", "--image=debian", "--restart=Never", "--", "sleep", "infinity"]);
    c.ok(&["run", "bb", "--image=busybox", "--restart=Never", "--", "sleep", "infinity"]);
    // `pipefail` is a name, not a positional parameter; dash has no such option and exits.
    let bash = c.run(&["exec", "deb", "--", "bash", "-c", "set -euo pipefail; echo $#; false; echo unreached"]);
    assert_eq!((bash.stdout.as_str(), bash.code), ("0\n", 1));
    let ash = c.run(&["exec", "bb", "--", "sh", "-c", "set -uo pipefail; echo $#; set -o nosuch; echo $?"]);
    assert_eq!((ash.stdout.as_str(), ash.stderr.as_str()), ("0\n1\n", "sh: illegal option -o nosuch\n"));
    let dash = c.run(&["exec", "deb", "--", "sh", "-c", "set -euo pipefail; echo unreached"]);
    assert_eq!(
        (dash.stdout.as_str(), dash.stderr.as_str(), dash.code),
        ("", "sh: 1: set: Illegal option -o pipefail\ncommand terminated with exit code 2\n", 2)
    );
}
