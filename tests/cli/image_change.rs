//! A running pod whose container image is changed (`set image`, a JSON patch, `edit`): the
//! kubelet sees the container's hash change and, in one sync, kills the container (`Killing`,
//! "definition changed, will be restarted"; nginx stops at once and exits 0, a process that
//! ignores SIGTERM is killed when the grace period ends) and starts it again from the new image,
//! whatever the restart policy and without a crash back-off: RESTARTS 1, a new container ID and
//! image ID. A tag the registry does not have leaves the container waiting in `ErrImagePull`.

use crate::harness::{assert_text, step, Cluster};

/// The Containers section of a describe output.
fn containers(describe: &str) -> String {
    let from = describe.find("Containers:\n").unwrap_or(0);
    let to = describe.find("Conditions:\n").unwrap_or(describe.len());
    describe[from..to].to_string()
}

/// The Events section of a describe output.
fn events(describe: &str) -> String {
    describe.split_once("Events:\n").map(|(_, e)| e.to_string()).unwrap_or_default()
}

const STATUS: &str = "jsonpath={.status.containerStatuses[0].containerID} {.status.containerStatuses[0].image} \
                      {.status.containerStatuses[0].imageID}";

#[test]
fn set_image_restarts_a_running_container_from_the_new_image() {
    let c = Cluster::new();
    step(&c, &["run", "nginx", "--image=nginx"], "pod/nginx created\n");
    c.ok(&["advance", "1m"]);
    step(&c, &["get", "pods"], "NAME    READY   STATUS    RESTARTS   AGE\nnginx   1/1     Running   0          60s\n");
    step(
        &c,
        &["get", "pod", "nginx", "-o", STATUS],
        "containerd://7872a36b1d01bf0a167f1bb73d10ff5111669ce413216cc9a223e5951de9bcf7 \
         docker.io/library/nginx:latest \
         docker.io/library/nginx@sha256:c2c53a5b6739d15f31e73d76e4f2a740f802fa777cae81c4a2b34f12d24d4e31",
    );
    step(&c, &["set", "image", "pod/nginx", "nginx=nginx:1.25"], "pod/nginx image updated\n");
    step(
        &c,
        &["get", "pods"],
        "NAME    READY   STATUS    RESTARTS     AGE\nnginx   1/1     Running   1 (0s ago)   60s\n",
    );
    step(
        &c,
        &["get", "pod", "nginx", "-o", STATUS],
        "containerd://bde79e8ade9275c799debc19fde7eaab2305a76913d9930e3e57f45867bce515 \
         docker.io/library/nginx:1.25 \
         docker.io/library/nginx@sha256:dd87b0897eaff44262ebecfe751d2ff8b5d9cfe5de4816d114049779368eac45",
    );
    let d = c.ok(&["describe", "pod", "nginx"]);
    assert_text(
        &containers(&d),
        "Containers:
  nginx:
    Container ID:   containerd://bde79e8ade9275c799debc19fde7eaab2305a76913d9930e3e57f45867bce515
    Image:          nginx:1.25
    Image ID:       docker.io/library/nginx@sha256:dd87b0897eaff44262ebecfe751d2ff8b5d9cfe5de4816d114049779368eac45
    Port:           <none>
    Host Port:      <none>
    State:          Running
      Started:      Fri, 27 Nov 2026 09:01:00 +0000
    Last State:     Terminated
      Reason:       Completed
      Exit Code:    0
      Started:      Fri, 27 Nov 2026 09:00:00 +0000
      Finished:     Fri, 27 Nov 2026 09:01:00 +0000
    Ready:          True
    Restart Count:  1
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-kbs9k (ro)
",
    );
    assert_text(
        &events(&d),
        "  Type    Reason     Age               From               Message
  ----    ------     ----              ----               -------
  Normal  Scheduled  60s               default-scheduler  Successfully assigned default/nginx to cn-beijing.192.168.0.101
  Normal  Pulling    60s               kubelet            Pulling image \"nginx\"
  Normal  Pulled     60s               kubelet            Successfully pulled image \"nginx\" in 2.261s (2.261s including waiting). Image size: 23824487 bytes.
  Normal  Created    0s (x2 over 60s)  kubelet            Created container: nginx
  Normal  Started    0s (x2 over 60s)  kubelet            Started container nginx
  Normal  Killing    0s                kubelet            Container nginx definition changed, will be restarted
  Normal  Pulling    0s                kubelet            Pulling image \"nginx:1.25\"
  Normal  Pulled     0s                kubelet            Successfully pulled image \"nginx:1.25\" in 1.111s (1.111s including waiting). Image size: 31569534 bytes.
",
    );
    // Another change to the pod syncs it again: the container's hash is the same, it runs on.
    step(&c, &["label", "pod", "nginx", "tier=web"], "pod/nginx labeled\n");
    c.ok(&["advance", "5s"]);
    step(&c, &["get", "pods", "--no-headers"], "nginx   1/1   Running   1 (5s ago)   65s\n");
}

/// The kubectl cheat sheet's JSON patch restarts a pod that never restarts on its own; a process
/// that ignores SIGTERM (`sleep` as PID 1) runs on until the grace period ends, then is killed
/// (exit 137) and started again.
#[test]
fn a_json_patch_restarts_the_container_whatever_the_restart_policy() {
    let c = Cluster::new();
    step(&c, &["run", "web", "--image=nginx:1.27", "--restart=Never"], "pod/web created\n");
    c.ok(&["advance", "30s"]);
    let patch = r#"[{"op": "replace", "path": "/spec/containers/0/image", "value":"nginx:1.28"}]"#;
    step(&c, &["patch", "pod", "web", "--type=json", &format!("-p={patch}")], "pod/web patched\n");
    step(
        &c,
        &["get", "pods"],
        "NAME   READY   STATUS    RESTARTS     AGE\nweb    1/1     Running   1 (0s ago)   30s\n",
    );
    assert_text(
        &events(&c.ok(&["describe", "pod", "web"])),
        "  Type    Reason     Age               From               Message
  ----    ------     ----              ----               -------
  Normal  Scheduled  30s               default-scheduler  Successfully assigned default/web to cn-beijing.192.168.0.101
  Normal  Pulling    30s               kubelet            Pulling image \"nginx:1.27\"
  Normal  Pulled     30s               kubelet            Successfully pulled image \"nginx:1.27\" in 3.171s (3.171s including waiting). Image size: 20380501 bytes.
  Normal  Created    0s (x2 over 30s)  kubelet            Created container: web
  Normal  Started    0s (x2 over 30s)  kubelet            Started container web
  Normal  Killing    0s                kubelet            Container web definition changed, will be restarted
  Normal  Pulling    0s                kubelet            Pulling image \"nginx:1.28\"
  Normal  Pulled     0s                kubelet            Successfully pulled image \"nginx:1.28\" in 1.195s (1.195s including waiting). Image size: 25987685 bytes.
",
    );

    step(&c, &["run", "sleeper", "--image=busybox:1.36", "--", "sleep", "3600"], "pod/sleeper created\n");
    c.ok(&["advance", "10s"]);
    step(&c, &["set", "image", "pod/sleeper", "sleeper=busybox:1.37"], "pod/sleeper image updated\n");
    step(&c, &["get", "pod", "sleeper", "--no-headers"], "sleeper   1/1   Running   0     10s\n");
    c.ok(&["advance", "29s"]);
    step(&c, &["get", "pod", "sleeper", "--no-headers"], "sleeper   1/1   Running   0     39s\n");
    c.ok(&["advance", "1s"]);
    step(&c, &["get", "pod", "sleeper", "--no-headers"], "sleeper   1/1   Running   1 (0s ago)   40s\n");
    let d = c.ok(&["describe", "pod", "sleeper"]);
    assert!(
        d.contains(
            "    State:          Running
      Started:      Fri, 27 Nov 2026 09:01:10 +0000
    Last State:     Terminated
      Reason:       Error
      Exit Code:    137
      Started:      Fri, 27 Nov 2026 09:00:30 +0000
      Finished:     Fri, 27 Nov 2026 09:01:10 +0000
    Ready:          True
"
        ),
        "{d}"
    );
    assert_text(
        &events(&d),
        "  Type    Reason     Age               From               Message
  ----    ------     ----              ----               -------
  Normal  Scheduled  40s               default-scheduler  Successfully assigned default/sleeper to cn-beijing.192.168.1.102
  Normal  Pulling    40s               kubelet            Pulling image \"busybox:1.36\"
  Normal  Pulled     40s               kubelet            Successfully pulled image \"busybox:1.36\" in 2.894s (2.894s including waiting). Image size: 26991800 bytes.
  Normal  Killing    30s               kubelet            Container sleeper definition changed, will be restarted
  Normal  Created    0s (x2 over 40s)  kubelet            Created container: sleeper
  Normal  Started    0s (x2 over 40s)  kubelet            Started container sleeper
  Normal  Pulling    0s                kubelet            Pulling image \"busybox:1.37\"
  Normal  Pulled     0s                kubelet            Successfully pulled image \"busybox:1.37\" in 3.096s (3.096s including waiting). Image size: 32586316 bytes.
",
    );
}

/// A tag the registry does not have: the container is killed, then waits in `ErrImagePull`
/// (its last run as its last state, RESTARTS 0), then `ImagePullBackOff`; a tag that exists,
/// set while it waits, is pulled and started at once.
#[test]
fn a_bad_tag_kills_the_container_and_leaves_it_waiting_for_its_image() {
    let c = Cluster::new();
    step(&c, &["run", "nginx", "--image=nginx"], "pod/nginx created\n");
    c.ok(&["advance", "1m"]);
    step(&c, &["set", "image", "pod/nginx", "nginx=nginx:1.161"], "pod/nginx image updated\n");
    step(
        &c,
        &["get", "pods"],
        "NAME    READY   STATUS         RESTARTS   AGE\nnginx   0/1     ErrImagePull   0          60s\n",
    );
    let d = c.ok(&["describe", "pod", "nginx"]);
    assert_text(
        &containers(&d),
        "Containers:
  nginx:
    Container ID:   containerd://7872a36b1d01bf0a167f1bb73d10ff5111669ce413216cc9a223e5951de9bcf7
    Image:          nginx:1.161
    Image ID:       docker.io/library/nginx@sha256:c2c53a5b6739d15f31e73d76e4f2a740f802fa777cae81c4a2b34f12d24d4e31
    Port:           <none>
    Host Port:      <none>
    State:          Waiting
      Reason:       ErrImagePull
    Last State:     Terminated
      Reason:       Completed
      Exit Code:    0
      Started:      Fri, 27 Nov 2026 09:00:00 +0000
      Finished:     Fri, 27 Nov 2026 09:01:00 +0000
    Ready:          False
    Restart Count:  0
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-kbs9k (ro)
",
    );
    let not_found = "rpc error: code = NotFound desc = failed to pull and unpack image \
                     \"docker.io/library/nginx:1.161\": failed to resolve reference \
                     \"docker.io/library/nginx:1.161\": docker.io/library/nginx:1.161: not found";
    assert_text(
        &events(&d),
        &format!(
            "  Type     Reason     Age   From               Message
  ----     ------     ----  ----               -------
  Normal   Scheduled  60s   default-scheduler  Successfully assigned default/nginx to cn-beijing.192.168.0.101
  Normal   Pulling    60s   kubelet            Pulling image \"nginx\"
  Normal   Pulled     60s   kubelet            Successfully pulled image \"nginx\" in 2.261s (2.261s including waiting). Image size: 23824487 bytes.
  Normal   Created    60s   kubelet            Created container: nginx
  Normal   Started    60s   kubelet            Started container nginx
  Normal   Killing    0s    kubelet            Container nginx definition changed, will be restarted
  Normal   Pulling    0s    kubelet            Pulling image \"nginx:1.161\"
  Warning  Failed     0s    kubelet            Failed to pull image \"nginx:1.161\": {not_found}
  Warning  Failed     0s    kubelet            Error: ErrImagePull
"
        ),
    );
    let waiting = "jsonpath={.status.containerStatuses[0].state.waiting.message}";
    step(&c, &["get", "pod", "nginx", "-o", waiting], not_found);
    c.ok(&["advance", "10s"]);
    step(&c, &["get", "pods", "--no-headers"], "nginx   0/1   ErrImagePull   0     70s\n");
    c.ok(&["advance", "10s"]);
    step(&c, &["get", "pods", "--no-headers"], "nginx   0/1   ImagePullBackOff   0     80s\n");
    step(&c, &["set", "image", "pod/nginx", "nginx=nginx:1.27"], "pod/nginx image updated\n");
    step(
        &c,
        &["get", "pods"],
        "NAME    READY   STATUS    RESTARTS      AGE\nnginx   1/1     Running   1 (20s ago)   80s\n",
    );
    let d = c.ok(&["describe", "pod", "nginx"]);
    assert!(d.contains("    Image:          nginx:1.27\n    Image ID:       docker.io/library/nginx@sha256:b6b305ce557a081c91a83369106ccc8445061748392a86cf49af63239ea944cd\n"), "{d}");
    assert!(d.contains("    State:          Running\n      Started:      Fri, 27 Nov 2026 09:01:20 +0000\n"), "{d}");
    assert_text(
        &events(&d),
        &format!(
            "  Type     Reason     Age                From               Message
  ----     ------     ----               ----               -------
  Normal   Scheduled  80s                default-scheduler  Successfully assigned default/nginx to cn-beijing.192.168.0.101
  Normal   Pulling    80s                kubelet            Pulling image \"nginx\"
  Normal   Pulled     80s                kubelet            Successfully pulled image \"nginx\" in 2.261s (2.261s including waiting). Image size: 23824487 bytes.
  Normal   Killing    20s                kubelet            Container nginx definition changed, will be restarted
  Normal   Pulling    10s (x2 over 20s)  kubelet            Pulling image \"nginx:1.161\"
  Warning  Failed     10s (x2 over 20s)  kubelet            Failed to pull image \"nginx:1.161\": {not_found}
  Warning  Failed     10s (x2 over 20s)  kubelet            Error: ErrImagePull
  Normal   Created    0s (x2 over 80s)   kubelet            Created container: nginx
  Normal   Started    0s (x2 over 80s)   kubelet            Started container nginx
  Normal   BackOff    0s                 kubelet            Back-off pulling image \"nginx:1.161\"
  Warning  Failed     0s                 kubelet            Error: ImagePullBackOff
  Normal   Pulling    0s                 kubelet            Pulling image \"nginx:1.27\"
  Normal   Pulled     0s                 kubelet            Successfully pulled image \"nginx:1.27\" in 3.171s (3.171s including waiting). Image size: 20380501 bytes.
"
        ),
    );
}

/// A sidecar (an init container that restarts `Always`) whose image changes is restarted too,
/// its event saying so without "will be restarted"; a completed init container's image change
/// does nothing.
#[test]
fn a_sidecar_is_restarted_and_a_completed_init_container_is_not() {
    let c = Cluster::new();
    let pod = "apiVersion: v1
kind: Pod
metadata: {name: sc}
spec:
  initContainers:
  - {name: side, image: busybox:1.36, command: [sleep, \"3600\"], restartPolicy: Always}
  - {name: init, image: busybox:1.36, command: [\"true\"]}
  containers:
  - {name: app, image: nginx}
";
    let path = c.file("sc.yaml", pod);
    step(&c, &["apply", "-f", &path], "pod/sc created\n");
    c.ok(&["advance", "5s"]);
    let patch = r#"[{"op":"replace","path":"/spec/initContainers/1/image","value":"busybox:1.37"}]"#;
    step(&c, &["patch", "pod", "sc", "--type=json", "-p", patch], "pod/sc patched\n");
    step(&c, &["set", "image", "pod/sc", "side=busybox:1.37"], "pod/sc image updated\n");
    step(&c, &["get", "pod", "sc", "--no-headers"], "sc    2/2   Running   0     5s\n");
    c.ok(&["advance", "30s"]);
    step(&c, &["get", "pod", "sc", "--no-headers"], "sc    2/2   Running   1 (0s ago)   35s\n");
    let restarts = "jsonpath={.status.initContainerStatuses[*].restartCount} {.status.initContainerStatuses[*].state}";
    step(
        &c,
        &["get", "pod", "sc", "-o", restarts],
        "1 0 {\"running\":{\"startedAt\":\"2026-11-27T09:00:35Z\"}} \
         {\"terminated\":{\"containerID\":\"containerd://31db9d1825f91138c169a7d174f73e3dc6c91116a7e6965d11c1498cc84b717f\",\
         \"exitCode\":0,\"finishedAt\":\"2026-11-27T09:00:00Z\",\"reason\":\"Completed\",\"startedAt\":\"2026-11-27T09:00:00Z\"}}",
    );
    let d = c.ok(&["describe", "pod", "sc"]);
    let killing = "  Normal  Killing    30s               kubelet            Init container side definition changed\n";
    assert!(d.contains(killing), "{d}");
    assert_eq!(d.matches("Killing").count(), 1, "{d}");
    assert!(
        d.contains("  Normal  Pulling    0s                kubelet            Pulling image \"busybox:1.37\"\n"),
        "{d}"
    );
}

/// A container waiting out its crash-loop back-off whose image changes starts at once from the
/// new image (its back-off key is new); its next crash waits 10 s, the new key's first step.
#[test]
fn a_crash_looping_container_starts_at_once_from_a_new_image() {
    let c = Cluster::new();
    c.ok(&["run", "crash", "--image=busybox:1.36", "--", "sh", "-c", "sleep 5; exit 1"]);
    c.ok(&["advance", "50s"]);
    step(&c, &["get", "pods", "--no-headers"], "crash   0/1   Error   3 (25s ago)   50s\n");
    step(&c, &["set", "image", "pod/crash", "crash=busybox:1.37"], "pod/crash image updated\n");
    step(&c, &["get", "pods", "--no-headers"], "crash   1/1   Running   4 (0s ago)   50s\n");
    c.ok(&["advance", "10s"]);
    step(&c, &["get", "pods", "--no-headers"], "crash   0/1   Error   4 (10s ago)   60s\n");
    c.ok(&["advance", "5s"]);
    step(&c, &["get", "pods", "--no-headers"], "crash   1/1   Running   5 (10s ago)   65s\n");
    let d = c.ok(&["describe", "pod", "crash"]);
    assert!(!d.contains("Killing"), "{d}");
    assert!(
        d.contains("  Normal   Pulling    15s                kubelet            Pulling image \"busybox:1.37\"\n"),
        "{d}"
    );
}
