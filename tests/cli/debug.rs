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
