//! Debugging pods: a pod's shared process namespace (`shareProcessNamespace`), as
//! kubernetes.io's share-process-namespace task shows it.

use crate::harness::{assert_text, Cluster};

/// The share-process-namespace task's pod (pods/share-process-namespace.yaml).
const SHARED: &str = "apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  shareProcessNamespace: true
  containers:
  - name: nginx
    image: nginx
  - name: shell
    image: busybox:1.28
    securityContext:
      capabilities:
        add:
        - SYS_PTRACE
    stdin: true
    tty: true
";

#[test]
fn containers_of_a_pod_sharing_its_process_namespace_see_each_others_processes() {
    let c = Cluster::new();
    let f = c.file("shared.yaml", SHARED);
    c.ok(&["apply", "-f", &f]);
    assert_text(
        &c.ok(&["exec", "nginx", "-c", "shell", "--", "ps", "ax"]),
        "PID   USER     TIME  COMMAND
    1 root      0:00 /pause
    8 root      0:00 nginx: master process nginx -g daemon off;
   14 101       0:00 nginx: worker process
   15 root      0:00 sh
   21 root      0:00 ps ax
",
    );
    // Another container's process takes a signal; PID 1 is the sandbox, not the container's own
    // process, so `kill 1` restarts nothing.
    assert_eq!(c.ok(&["exec", "nginx", "-c", "shell", "--", "kill", "-HUP", "8"]), "");
    assert_eq!(c.ok(&["exec", "nginx", "-c", "shell", "--", "kill", "1"]), "");
    let o = c.run(&["exec", "nginx", "-c", "shell", "--", "kill", "9"]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("kill: can't kill pid 9: No such process\ncommand terminated with exit code 1\n", 1)
    );
    assert_eq!(c.ok(&["get", "pod", "nginx", "--no-headers"]), "nginx   2/2   Running   0     0s\n");
}

#[test]
fn without_a_shared_namespace_ps_lists_the_containers_own_process_only() {
    let c = Cluster::new();
    let f = c.file("shared.yaml", &SHARED.replace("  shareProcessNamespace: true\n", ""));
    c.ok(&["apply", "-f", &f]);
    assert_text(
        &c.ok(&["exec", "nginx", "-c", "shell", "--", "ps"]),
        "PID   USER     TIME  COMMAND\n    1 root      0:00 sh\n   42 root      0:00 ps\n",
    );
}

const LEGACY: &str = "--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example \"--profile=general\".\n";
const TARGETING: &str = "Targeting container \"ephemeral-demo\". If you don't see processes from this container it may be because the container runtime doesn't support this feature.\n";

/// debug-running-pod's pod without a shell.
fn ephemeral_demo() -> Cluster {
    let c = Cluster::new();
    c.ok(&["run", "ephemeral-demo", "--image=registry.k8s.io/pause:3.1", "--restart=Never"]);
    c
}

#[test]
fn debug_adds_an_ephemeral_container_that_sees_its_targets_processes() {
    let c = ephemeral_demo();
    let o = c.run_stdin(
        &["debug", "-it", "ephemeral-demo", "--image=busybox:1.28", "--target=ephemeral-demo"],
        "ps\nhostname\n",
    );
    assert_text(
        &o.stdout,
        &format!(
            "{TARGETING}Defaulting debug container name to debugger-x2jpx.
PID   USER     TIME  COMMAND
    1 root      0:00 /pause
    9 root      0:00 sh
   15 root      0:00 ps
ephemeral-demo
"
        ),
    );
    assert_text(
        &o.stderr,
        &format!(
            "{LEGACY}Unable to use a TTY - input is not a terminal or the right kind of file
If you don't see a command prompt, try pressing enter.
"
        ),
    );
    assert_eq!(o.code, 0);
    let describe = c.ok(&["describe", "pod", "ephemeral-demo"]);
    let section = describe.split("Ephemeral Containers:\n").nth(1).and_then(|s| s.split("Conditions:").next());
    assert_text(
        section.unwrap_or_default(),
        "  debugger-x2jpx:
    Container ID:   containerd://c19fde7eaab2305a76913d9930e3e57f45867bce515eac428d264460fd89088e
    Image:          busybox:1.28
    Image ID:       docker.io/library/busybox@sha256:210edde05803de1375a80b44ce056be051016a47c45548c86389cbbca4c3ff51
    Port:           <none>
    Host Port:      <none>
    State:          Running
      Started:      Fri, 27 Nov 2026 09:00:00 +0000
    Ready:          False
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
",
    );
    assert_text(
        &c.ok(&["get", "pod", "ephemeral-demo", "-o", "jsonpath={.spec.ephemeralContainers}"]),
        "[{\"image\":\"busybox:1.28\",\"imagePullPolicy\":\"IfNotPresent\",\"name\":\"debugger-x2jpx\",\"resources\":{},\
         \"stdin\":true,\"targetContainerName\":\"ephemeral-demo\",\"terminationMessagePath\":\"/dev/termination-log\",\
         \"terminationMessagePolicy\":\"File\",\"tty\":true}]",
    );
    // The shell still runs: kubectl debug sets no stdinOnce, so stdin stays open after detaching.
    assert_eq!(
        c.ok(&["get", "pod", "ephemeral-demo", "-o", "jsonpath={.status.ephemeralContainerStatuses[0].state}"]),
        "{\"running\":{\"startedAt\":\"2026-11-27T09:00:00Z\"}}"
    );
    assert_text(
        &c.ok(&["exec", "ephemeral-demo", "-c", "debugger-x2jpx", "--", "ps"]),
        "PID   USER     TIME  COMMAND\n    1 root      0:00 /pause\n    9 root      0:00 sh\n   15 root      0:00 ps\n",
    );
}

#[test]
fn a_debug_container_without_stdin_runs_its_command_and_ends() {
    let c = ephemeral_demo();
    let o =
        c.run(&["debug", "ephemeral-demo", "--image=busybox:1.28", "--profile=general", "--", "sh", "-c", "echo hi"]);
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.code),
        ("Defaulting debug container name to debugger-x2jpx.\n", "", 0)
    );
    assert_eq!(c.ok(&["logs", "ephemeral-demo", "-c", "debugger-x2jpx"]), "hi\n");
    let fields = "{.status.ephemeralContainerStatuses[0].state.terminated.reason} \
                  {.spec.ephemeralContainers[0].command} {.spec.ephemeralContainers[0].securityContext}";
    assert_eq!(
        c.ok(&["get", "pod", "ephemeral-demo", "-o", &format!("jsonpath={fields}")]),
        "Completed [\"sh\",\"-c\",\"echo hi\"] {\"capabilities\":{\"add\":[\"SYS_PTRACE\"]}}"
    );
    // `--attach` without stdin shows what the container wrote; `--arguments-only` makes args.
    let o = c.run(&[
        "debug",
        "ephemeral-demo",
        "--image=busybox:1.28",
        "-c",
        "echoer",
        "--attach",
        "--arguments-only",
        "--profile=general",
        "--",
        "echo",
        "attached",
    ]);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("attached\n", "", 0));
    let fields = "{.spec.ephemeralContainers[1].args} {.spec.ephemeralContainers[1].command}";
    assert_eq!(
        c.ok(&["get", "pod", "ephemeral-demo", "-o", &format!("jsonpath={fields}")]),
        "[\"echo\",\"attached\"] "
    );
}

#[test]
fn exit_in_an_attached_debug_shell_ends_the_ephemeral_container() {
    let c = ephemeral_demo();
    let o = c
        .run_stdin(&["debug", "-i", "-q", "ephemeral-demo", "--image=busybox:1.28", "-c", "dbg"], "echo bye; exit 3\n");
    assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("bye\n", LEGACY, 0));
    let fields = "{.status.ephemeralContainerStatuses[0].state.terminated.reason} \
                  {.status.ephemeralContainerStatuses[0].state.terminated.exitCode}";
    assert_eq!(c.ok(&["get", "pod", "ephemeral-demo", "-o", &format!("jsonpath={fields}")]), "Error 3");
    let o = c.run(&["exec", "ephemeral-demo", "-c", "dbg", "--", "ps"]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("error: unable to upgrade connection: container not found (\"dbg\")\n", 1)
    );
}

#[test]
fn debug_refuses_what_kubectl_refuses_and_changes_nothing() {
    let c = ephemeral_demo();
    c.ok(&["debug", "ephemeral-demo", "--image=busybox:1.28", "-c", "dbg", "--profile=general"]);
    let before = c.snapshot();
    for (args, err) in [
        (vec!["debug", "ephemeral-demo"], "error: you must specify --image when not using --copy-to.\n"),
        (vec!["debug", "--image=busybox"], "error: NAME or filename is required for debug\n"),
        (vec!["debug", "ephemeral-demo", "--image=Busybox"], "error: invalid image name \"Busybox\": invalid reference format\n"),
        (vec!["debug", "ephemeral-demo", "--image=busybox", "-t"], "error: -i/--stdin is required for containers with -t/--tty=true\n"),
        (vec!["debug", "ephemeral-demo", "--image=busybox", "--set-image=*=nginx"], "error: --set-image may only be used with --copy-to.\n"),
        (vec!["debug", "ephemeral-demo", "--image=busybox", "--profile=root"], "error: unknown profile: root\n"),
        (vec!["debug", "nope", "--image=busybox"], "Error from server (NotFound): pods \"nope\" not found\n"),
        (
            vec!["debug", "ephemeral-demo", "--image=busybox", "--env=A=1,B"],
            "error: invalid argument \"A=1,B\" for \"--env\" flag: B must be formatted as key=value\n\
             See 'kubectl debug --help' for usage.\n",
        ),
        (vec!["debug", "ephemeral-demo", "--image=busybox", "-c", "dbg"], "The Pod \"ephemeral-demo\" is invalid: spec.ephemeralContainers[1].name: Duplicate value: \"dbg\"\n"),
        (vec!["debug", "ephemeral-demo", "--image=busybox", "-c", "x", "--target=nope"], "The Pod \"ephemeral-demo\" is invalid: spec.ephemeralContainers[1].targetContainerName: Not found: \"nope\"\n"),
    ] {
        // The legacy profile (with its notice) leaves the existing container as it is; the general
        // one would add SYS_PTRACE to the first container of that name, changing it.
        let legacy = err.contains("Duplicate");
        let mut args = args;
        if !legacy && !err.contains("unknown profile") {
            args.push("--profile=general");
        }
        let want = if legacy { format!("{LEGACY}{err}") } else { err.to_string() };
        let o = c.run(&args);
        assert_eq!((o.stderr.as_str(), o.code), (want.as_str(), 1), "{args:?}");
    }
    assert_eq!(c.snapshot(), before);
}

#[test]
fn debug_copy_to_adds_a_container_to_a_copy_sharing_its_processes() {
    let c = Cluster::new();
    c.ok(&["run", "myapp", "--image=busybox:1.28", "--restart=Never", "--", "sleep", "1d"]);
    let o = c.run_stdin(
        &["debug", "myapp", "-it", "--image=ubuntu", "--share-processes", "--copy-to=myapp-debug"],
        "hostname\necho $0\nps\n",
    );
    assert_eq!(o.stdout, "Defaulting debug container name to debugger-x2jpx.\nmyapp-debug\n/bin/bash\n");
    assert_text(
        &o.stderr,
        &format!(
            "{LEGACY}Unable to use a TTY - input is not a terminal or the right kind of file
If you don't see a command prompt, try pressing enter.
/bin/bash: line 3: ps: command not found
"
        ),
    );
    // The copy has no labels (the legacy profile drops them), no node of its own choosing, and
    // mounts the original's token volume into the new container.
    let fields = "{.metadata.labels} {.spec.shareProcessNamespace} {.spec.containers[*].name} \
                  {.spec.containers[1].volumeMounts[0].name} {.spec.volumes[*].name}";
    assert_eq!(
        c.ok(&["get", "pod", "myapp-debug", "-o", &format!("jsonpath={fields}")]),
        " true myapp debugger-x2jpx kube-api-access-kbs9k kube-api-access-kbs9k"
    );
    assert_text(
        &c.ok(&["exec", "myapp-debug", "-c", "myapp", "--", "ps"]),
        "PID   USER     TIME  COMMAND
    1 root      0:00 /pause
    8 root      0:00 sleep 1d
    9 root      0:00 /bin/bash
   15 root      0:00 ps
",
    );
}

#[test]
fn debug_copy_to_can_change_a_containers_command_or_every_image() {
    let c = Cluster::new();
    c.ok(&["run", "--image=busybox:1.28", "myapp", "--", "false"]);
    let o = c.run_stdin(
        &["debug", "myapp", "-it", "--copy-to=myapp-debug", "--container=myapp", "--profile=general", "--", "sh"],
        "echo in the copy\n",
    );
    assert_eq!((o.stdout.as_str(), o.code), ("in the copy\n", 0));
    let fields = "{.spec.containers[0].command} {.spec.containers[0].args} {.spec.containers[0].securityContext}";
    assert_eq!(
        c.ok(&["get", "pod", "myapp-debug", "-o", &format!("jsonpath={fields}")]),
        "[\"sh\"]  {\"capabilities\":{\"add\":[\"SYS_PTRACE\"]}}"
    );
    assert_eq!(c.ok(&["get", "pod", "myapp-debug", "--no-headers"]), "myapp-debug   1/1   Running   0     0s\n");
    let o = c.run(&["debug", "myapp", "--copy-to=myapp-ubuntu", "--set-image=*=ubuntu", "--profile=general"]);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("", "", 0));
    assert_eq!(c.ok(&["get", "pod", "myapp-ubuntu", "-o", "jsonpath={.spec.containers[*].image}"]), "ubuntu");
    for (args, err) in [
        (vec!["--copy-to=x"], "error: you must specify --image, --set-image or command arguments.\n"),
        (
            vec!["--copy-to=x", "--", "sh"],
            "error: you must specify an existing container or a new image when specifying args.\n",
        ),
        (
            vec!["--copy-to=x", "--image=busybox", "--target=myapp"],
            "error: --target is incompatible with --copy-to. Use --share-processes instead.\n",
        ),
        (
            vec!["--copy-to=myapp-debug", "--image=busybox", "-c", "dbg"],
            "Error from server (AlreadyExists): pods \"myapp-debug\" already exists\n",
        ),
    ] {
        let mut full = vec!["debug", "myapp", "--profile=general"];
        full.extend(args);
        let o = c.run(&full);
        assert_eq!((o.stderr.as_str(), o.code), (err, 1), "{full:?}");
    }
}

#[test]
fn debug_node_runs_a_pod_in_the_nodes_namespaces_with_its_root_at_host() {
    let c = Cluster::new();
    let node = c.ok(&["get", "nodes", "-o", "jsonpath={.items[0].metadata.name}"]);
    let o = c.run_stdin(&["debug", &format!("node/{node}"), "-it", "--image=ubuntu"], "hostname\n");
    let pod = format!("node-debugger-{node}-7jpb8");
    assert_eq!(o.stdout, format!("Creating debugging pod {pod} with container debugger on node {node}.\n{node}\n"));
    let fields = "{.spec.nodeName} {.spec.hostPID} {.spec.hostNetwork} {.spec.hostIPC} {.spec.restartPolicy} \
                  {.spec.tolerations} {.spec.containers[0].volumeMounts[0]} {.spec.volumes[0]}";
    assert_eq!(
        c.ok(&["get", "pod", &pod, "-o", &format!("jsonpath={fields}")]),
        format!(
            "{node} true true true Never [{{\"operator\":\"Exists\"}}] {{\"mountPath\":\"/host\",\"name\":\"host-root\"}} \
             {{\"hostPath\":{{\"path\":\"/\",\"type\":\"\"}},\"name\":\"host-root\"}}"
        )
    );
    let o = c.run(&["debug", "node/nope", "--image=busybox", "--profile=general"]);
    assert_eq!((o.stderr.as_str(), o.code), ("Error from server (NotFound): nodes \"nope\" not found\n", 1));
    let o = c.run(&["debug", "svc/kubernetes", "--image=busybox", "--profile=general"]);
    assert_eq!((o.stderr.as_str(), o.code), ("error: \"/v1, Kind=Service\" not supported by debug\n", 1));
}

#[test]
fn a_debug_containers_target_sees_its_processes() {
    let c = Cluster::new();
    c.ok(&["run", "myapp", "--image=busybox:1.28", "--restart=Never", "--", "sleep", "1d"]);
    let o = c.run_stdin(&["debug", "-i", "myapp", "--image=busybox:1.28", "--target=myapp", "-c", "dbg", "-q"], "");
    assert_eq!((o.stdout.as_str(), o.code), ("", 0));
    assert_text(
        &c.ok(&["exec", "myapp", "--", "ps", "ax"]),
        "PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 1d\n    9 root      0:00 sh\n   15 root      0:00 ps ax\n",
    );
    assert_eq!(c.ok(&["exec", "myapp", "-c", "dbg", "--", "kill", "-0", "1"]), "");
}

#[test]
fn real_kubectl_debug_adds_an_ephemeral_container_through_kstate_serve() {
    let Some(bin) = crate::serve_kubectl::kubectl() else {
        crate::serve::skipped("real_kubectl_debug_adds_an_ephemeral_container_through_kstate_serve: no kubectl v1.32");
        return;
    };
    let cluster = ephemeral_demo();
    let server = crate::serve::Server::start(&cluster);
    let k = crate::serve_kubectl::Kubectl { bin, server: &server, cluster: &cluster };
    let args = ["debug", "ephemeral-demo", "--image=busybox:1.28", "-c", "dbg", "--profile=general", "--"];
    let (out, err, code) = k.run(&[&args[..], &["sh", "-c", "echo hi"]].concat(), "");
    assert_eq!((out.as_str(), err.as_str(), code), ("", "", 0));
    assert_eq!(cluster.ok(&["logs", "ephemeral-demo", "-c", "dbg"]), "hi\n");
    let fields = "{.status.ephemeralContainerStatuses[0].state.terminated.reason} {.spec.ephemeralContainers[0].imagePullPolicy}";
    assert_eq!(
        cluster.ok(&["get", "pod", "ephemeral-demo", "-o", &format!("jsonpath={fields}")]),
        "Completed IfNotPresent"
    );
    // The server's checks, as kubectl prints them.
    let (out, err, code) =
        k.run(&["debug", "ephemeral-demo", "--image=busybox", "-c", "dbg2", "--target=nope", "--profile=general"], "");
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        (
            "Targeting container \"nope\". If you don't see processes from this container it may be because the container runtime doesn't support this feature.\n",
            "The Pod \"ephemeral-demo\" is invalid: spec.ephemeralContainers[1].targetContainerName: Not found: \"nope\"\n",
            1
        )
    );
}
