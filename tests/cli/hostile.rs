//! Hostile input, each with the exact answer: nothing panics, hangs or takes memory in
//! proportion to a number the user typed; a bad request leaves the cluster as it was.

use crate::harness::{seed_manifest, Cluster, Out};

fn seeded() -> Cluster {
    let c = Cluster::new();
    let f = c.file("sts.yaml", seed_manifest());
    c.ok(&["create", "-f", &f]);
    c
}

fn out(stdout: &str, stderr: &str, code: i32) -> Out {
    Out { stdout: stdout.into(), stderr: stderr.into(), code }
}

#[test]
fn printf_with_huge_precisions_and_widths_in_a_pod() {
    let c = seeded();
    let o = c.run(&["exec", "web-0", "--", "printf", "%.70000f", "1"]);
    assert_eq!((o.stdout.len(), &o.stdout[..4], o.code), (70002, "1.00", 0));
    assert_eq!(
        c.run(&["exec", "web-0", "--", "printf", "a%99999999999sb", "x"]),
        out("ab", "printf: write error\ncommand terminated with exit code 1\n", 1)
    );
    assert_eq!(
        c.run(&["exec", "web-0", "--", "printf", "%-9999999999999999999s", "x"]),
        out("", "printf: write error\ncommand terminated with exit code 1\n", 1)
    );
    assert_eq!(
        c.run(&["exec", "web-0", "--", "sh", "-c", "printf 'a%99999999999sb' x"]),
        out("a", "sh: 1: printf: xvsnprintf failed\ncommand terminated with exit code 2\n", 2)
    );
    // Legal in C (a gigabyte of zeros): the pipe takes 16 MiB, then the writer gets SIGPIPE.
    assert_eq!(
        c.run(&[
            "exec",
            "web-0",
            "--",
            "sh",
            "-c",
            "printf %0999999999d 1 | wc -c; printf %0999999999d 1 >/dev/null; echo $?"
        ]),
        out("16777216\n0\n", "", 0)
    );
    let o = c.run(&["exec", "web-0", "--", "sh", "-c", "printf '%05d|%x|%.2f|%e|%g' -3 -1 3 1234.5 0.0001"]);
    assert_eq!(o, out("-0003|ffffffffffffffff|3.00|1.234500e+03|0.0001", "", 0));
    assert_eq!(
        c.run(&["exec", "web-0", "--", "printf", "%d|%z", "12x"]),
        out(
            "12|",
            "printf: '12x': value not completely converted\nprintf: %z: invalid conversion specification\ncommand terminated with exit code 1\n",
            1
        )
    );
}

#[test]
fn go_template_printf_with_huge_precisions_and_widths() {
    let c = seeded();
    let get = |t: &str| c.run(&["get", "pod", "web-0", "-o", &format!("go-template={t}")]);
    let o = get(r#"{{printf "%.70000f" 1.0}}"#);
    assert_eq!((o.stdout.len(), &o.stdout[..4], o.code), (70002, "1.00", 0));
    assert_eq!(get(r#"{{printf "%99999999999s" "x"}}"#), out("%!(NOVERB)%!(EXTRA string=x)", "", 0));
    assert_eq!(get(r#"{{printf "%-9999999999999999999s" "x"}}"#), out("%!(NOVERB)%!(EXTRA string=x)", "", 0));
    assert_eq!(get(r#"{{printf "%0999999999d" 1}}"#), out("%!(NOVERB)%!(EXTRA int=1)", "", 0));
    assert_eq!(
        get(r#"{{printf "%05d|%x|%.2f|%e|%g|%s" -3 -255 3.0 1234.5 0.0001 .metadata.name}}"#),
        out("-0003|-ff|3.00|1.234500e+03|0.0001|web-0", "", 0)
    );
}

#[test]
fn a_time_with_a_multibyte_character_is_an_error_not_a_panic() {
    let mut c = seeded();
    c.at("2026-11-27T09:45:23+0\u{e9}00");
    assert_eq!(
        c.run(&["get", "pods"]),
        out("", "error: KSTATE_NOW: \"2026-11-27T09:45:23+0\u{e9}00\" is not an RFC 3339 time such as 2026-11-27T09:45:00Z\n", 1)
    );
    c.at("2026-11-27T09:00:00Z");
    let patch = r#"{"status":{"startTime":"2026-11-27T09:45:23+0é00","containerStatuses":[{"name":"nginx","state":{"running":{"startedAt":"2026-11-27T09:45:23+0é00"}}}]}}"#;
    c.ok(&["patch", "pod", "web-0", "--subresource=status", "--type=merge", "-p", patch]);
    let describe = c.run(&["describe", "pod", "web-0"]);
    assert_eq!(describe.code, 0, "{}", describe.stderr);
    assert!(describe.stdout.contains("      Started:      Mon, 01 Jan 0001 00:00:00 +0000\n"), "{}", describe.stdout);
    assert_eq!(c.run(&["logs", "web-0", "--timestamps"]).code, 0);
}

#[test]
fn endless_manifests_stop_at_the_api_servers_request_limit() {
    let c = seeded();
    let before = c.snapshot();
    let too_large = "Request entity too large: limit is 3145728\n";
    assert_eq!(
        c.run(&["create", "-f", "/dev/zero"]),
        out(
            "",
            &format!("Error from server (RequestEntityTooLarge): error when creating \"/dev/zero\": {too_large}"),
            1
        )
    );
    let big = "a".repeat(4 << 20);
    assert_eq!(
        c.run_stdin(&["apply", "-f", "-"], &big),
        out("", &format!("Error from server (RequestEntityTooLarge): error when creating \"STDIN\": {too_large}"), 1)
    );
    assert_eq!(c.snapshot(), before);
}

#[test]
fn exec_stdin_holds_what_a_pipe_holds() {
    let c = seeded();
    let big = "x".repeat(20 << 20);
    assert_eq!(c.run_stdin(&["exec", "-i", "web-0", "--", "wc", "-c"], &big), out("16777216\n", "", 0));
}

#[test]
fn an_empty_state_file_is_reported_and_kept() {
    let c = Cluster::new();
    std::fs::create_dir_all(c.state()).expect("state dir");
    let db = c.state().join("cluster.db");
    std::fs::write(&db, b"").expect("empty file");
    let message = format!(
        "error: the state file {} is empty (0 bytes), so it is not a kstate cluster; it was left untouched (move it away to start a fresh cluster)\n",
        db.display()
    );
    assert_eq!(c.run(&["get", "ns"]), out("", &message, 1));
    assert_eq!(std::fs::metadata(&db).expect("kept").len(), 0);
}

#[test]
fn invalid_utf8_in_a_yaml_manifest_is_refused_as_go_yaml_refuses_it() {
    let c = seeded();
    let before = c.snapshot();
    let path = c.path_of("bad.yaml");
    std::fs::write(&path, b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xE9\n").expect("write");
    let path = path.to_string_lossy().into_owned();
    let message =
        format!("error: error parsing {path}: error converting YAML to JSON: yaml: incomplete UTF-8 octet sequence\n");
    assert_eq!(c.run(&["create", "-f", &path]), out("", &message, 1));
    assert_eq!(c.snapshot(), before);
}

#[test]
fn a_grace_period_of_the_largest_int64_saturates_instead_of_overflowing() {
    let c = seeded();
    let o = c.run(&["delete", "pod", "web-0", "--grace-period=9223372036854775807"]);
    assert_eq!(o, out("pod \"web-0\" deleted\n", "", 0));
    // nginx stops on SIGTERM, so the pod goes at once and the StatefulSet makes it again.
    assert_eq!(c.ok(&["get", "pod", "web-0", "-o", "jsonpath={.status.phase}"]), "Running");
    let shell = "trap '' TERM; while true; do sleep 1; done";
    c.ok(&["run", "stubborn", "--image=busybox", "--", "sh", "-c", shell]);
    let o = c.run(&["delete", "pod", "stubborn", "--grace-period=9223372036854775807", "--wait=false"]);
    assert_eq!(o, out("pod \"stubborn\" deleted\n", "", 0));
    c.ok(&["advance", "1h"]);
    let grace = c.ok(&["get", "pod", "stubborn", "-o", "jsonpath={.metadata.deletionGracePeriodSeconds}"]);
    assert_eq!(grace, "9223372036854775807");
}

#[test]
fn tail_and_head_of_an_empty_file_print_nothing() {
    let c = seeded();
    let script = ": > /tmp/empty; tail /tmp/empty; tail -n 3 /tmp/empty; tail -f /dev/null; head -n -2 /tmp/empty; \
                  tail -n +2 /tmp/empty; tail -c 5 /tmp/empty; echo $?";
    assert_eq!(c.run(&["exec", "web-0", "--", "sh", "-c", script]), out("0\n", "", 0));
    assert_eq!(c.run_stdin(&["exec", "-i", "web-0", "--", "tail"], ""), out("", "", 0));
}

#[test]
fn negative_resources_requests_above_limits_and_probes_without_a_handler_are_refused() {
    let c = seeded();
    let before = c.snapshot();
    let pod = |extra: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n{extra}")
    };
    let cases = [
        // A pod's requests default to its limits, so the negative limit is reported twice.
        (
            "    resources:\n      limits:\n        cpu: '-1'\n",
            "\n* spec.containers[0].resources.limits[cpu]: Invalid value: \"-1\": must be greater than or equal to 0\n* spec.containers[0].resources.requests[cpu]: Invalid value: \"-1\": must be greater than or equal to 0",
        ),
        (
            "    resources:\n      limits: {memory: 1Mi}\n      requests: {memory: 1Gi}\n",
            "spec.containers[0].resources.requests: Invalid value: \"1Gi\": must be less than or equal to memory limit of 1Mi",
        ),
        ("    livenessProbe:\n      periodSeconds: 3\n", "spec.containers[0].livenessProbe: Required value: must specify a handler type"),
    ];
    for (extra, cause) in cases {
        let o = c.run_stdin(&["apply", "-f", "-"], &pod(extra));
        assert_eq!(o, out("", &format!("The Pod \"p\" is invalid: {cause}\n"), 1));
    }
    // Equal amounts written differently are not "above".
    let same = "    resources:\n      limits: {memory: 1Mi, cpu: 1}\n      requests: {memory: 1024Ki, cpu: 1000m}\n";
    assert_eq!(c.run_stdin(&["apply", "-f", "-", "--dry-run=server"], &pod(same)).code, 0);
    // Updates are validated as creations are.
    assert_eq!(
        c.run(&["set", "resources", "sts/web", "--limits=cpu=100m", "--requests=cpu=200m"]),
        out(
            "",
            // kubectl wraps the refused patch (no colon after "pod template" in its format).
            "error: failed to patch resources update to pod template StatefulSet.apps \"web\" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: \"200m\": must be less than or equal to cpu limit of 100m\n",
            1
        )
    );
    let emptied = r#"{"spec":{"containers":[{"name":"nginx","image":""}]}}"#;
    assert_eq!(
        c.run(&["patch", "pod", "web-0", "-p", emptied]),
        out("", "The Pod \"web-0\" is invalid: spec.containers[0].image: Required value\n", 1)
    );
    assert_eq!(c.snapshot(), before);
}

#[test]
fn a_loop_that_keeps_descending_is_stopped_by_its_path_lookups() {
    let c = seeded();
    let o = c.run(&["exec", "web-0", "--", "sh", "-c", "cd /data; while :; do mkdir d; cd d; done"]);
    let stopped = "kstate: command stopped: too many path lookups\ncommand terminated with exit code 137\n";
    assert_eq!(o, out("", stopped, 137));
    // What it made before it was stopped is kept, as a killed process's writes are.
    let o = c.run(&["exec", "web-0", "--", "sh", "-c", "cd /data/d/d/d && pwd"]);
    assert_eq!(o, out("/data/d/d/d\n", "", 0));
    let deep = format!("/tmp/{}", ["e"; 500].join("/"));
    assert_eq!(c.run(&["exec", "web-0", "--", "mkdir", "-p", &deep]), out("", "", 0));
}

#[test]
fn an_empty_namespace_or_sort_by_flag_is_no_override() {
    let c = seeded();
    let names = "pod/web-0\npod/web-1\n";
    assert_eq!(c.run(&["get", "pods", "--namespace=", "-o", "name"]), out(names, "", 0));
    assert_eq!(c.run(&["get", "pods", "-n", "", "--sort-by=", "-o", "name"]), out(names, "", 0));
    assert_eq!(
        c.run(&["get", "cm", "--namespace=", "-l", "nope=1"]),
        out("", "No resources found in default namespace.\n", 0)
    );
}

#[test]
fn a_negative_exit_status_is_an_illegal_number_in_dash_and_255_in_bash() {
    let c = seeded();
    assert_eq!(
        c.run(&["exec", "web-0", "--", "sh", "-c", "exit -1"]),
        out("", "sh: 1: exit: Illegal number: -1\ncommand terminated with exit code 2\n", 2)
    );
    assert_eq!(
        c.run(&["exec", "web-0", "--", "sh", "-c", "f() { return -3; }; f; echo $?"]),
        out("", "sh: 1: return: Illegal number: -3\ncommand terminated with exit code 2\n", 2)
    );
    assert_eq!(
        c.run(&["exec", "web-0", "--", "bash", "-c", "exit -1"]),
        out("", "command terminated with exit code 255\n", 255)
    );
    assert_eq!(
        c.run(&["exec", "web-0", "--", "sh", "-c", "exit 257"]),
        out("", "command terminated with exit code 1\n", 1)
    );
}

#[test]
fn curl_max_times_out_of_range_are_refused_as_curl_refuses_them() {
    let c = seeded();
    let curl = |m: &str| c.run(&["exec", "web-0", "--", "curl", "-sS", "-m", m, "http://192.0.2.1/"]);
    let refused = |why: &str| {
        let hint = "curl: try 'curl --help' or 'curl --manual' for more information";
        out("", &format!("curl: option -m: {why}\n{hint}\ncommand terminated with exit code 2\n"), 2)
    };
    assert_eq!(curl("1e30"), refused("too large number"));
    assert_eq!(curl("-1"), refused("expected a positive numerical parameter"));
    assert_eq!(curl("abc"), refused("expected a proper numerical parameter"));
    assert_eq!(
        curl("2"),
        out("", "curl: (28) Connection timed out after 2001 milliseconds\ncommand terminated with exit code 28\n", 28)
    );
}

#[test]
fn an_env_value_merged_with_a_value_from_is_refused_as_the_api_server_refuses_it() {
    let c = Cluster::new();
    let deployment = |env: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels: {{app: d}}\n  \
             template:\n    metadata:\n      labels: {{app: d}}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n        env:\n{env}"
        )
    };
    let b = "        - name: B\n          value: b\n";
    c.ok(&["apply", "-f", &c.file("d.yaml", &deployment(b))]);
    c.ok(&["set", "env", "deployment/d", "A=one"]);
    let before = c.snapshot();
    // The manifest now takes A from a field: apply's merge keeps the `value` set imperatively.
    let from = format!(
        "{b}        - name: A\n          valueFrom:\n            fieldRef:\n              fieldPath: metadata.name\n"
    );
    assert_eq!(
        c.run(&["apply", "-f", &c.file("d.yaml", &deployment(&from))]),
        out(
            "",
            "The Deployment \"d\" is invalid: spec.template.spec.containers[0].env[1].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty\n",
            1
        )
    );
    let none = "        - name: A\n          valueFrom: {}\n";
    assert_eq!(
        c.run_stdin(&["create", "-f", "-"], &deployment(none).replace("name: d\n", "name: e\n")),
        out(
            "",
            "The Deployment \"e\" is invalid: spec.template.spec.containers[0].env[0].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`\n",
            1
        )
    );
    assert_eq!(c.snapshot(), before);
}

#[test]
fn delete_reports_a_pod_that_outlives_its_timeout_and_keeps_it_deleted() {
    let c = Cluster::new();
    c.ok(&["run", "stubborn", "--image=busybox", "--", "sh", "-c", "trap '' TERM; while true; do sleep 1; done"]);
    assert_eq!(
        c.run(&["delete", "pod", "stubborn", "--timeout=5s"]),
        out("pod \"stubborn\" deleted\n", "error: timed out waiting for the condition on pods/stubborn\n", 1)
    );
    let status =
        c.ok(&["get", "pod", "stubborn", "--no-headers", "-o", "custom-columns=S:.metadata.deletionTimestamp"]);
    assert_ne!(status.trim(), "<none>");
    assert_eq!(c.run(&["delete", "pod", "stubborn", "--timeout=60s"]), out("pod \"stubborn\" deleted\n", "", 0));
    assert_eq!(c.run(&["get", "pods"]), out("", "No resources found in default namespace.\n", 0));
}

#[test]
fn dash_read_refuses_options_it_does_not_have_and_skips_a_prompt() {
    let c = seeded();
    let sh = |script: &str| c.run(&["exec", "web-0", "--", "sh", "-c", script]);
    assert_eq!(sh("read -n 99 x < /dev/null; echo $?"), out("2\n", "sh: 1: read: Illegal option -n\n", 0));
    assert_eq!(sh("echo hi | { read -p 'Name: ' v; echo \"[$v]\"; }"), out("[hi]\n", "", 0));
    assert_eq!(
        c.run(&["get", "pods", "--state-dir="]),
        out(
            "",
            "error: invalid argument \"\" for \"--state-dir\" flag: the state directory path is empty\nSee 'kubectl get --help' for usage.\n",
            1
        )
    );
}

#[test]
fn tolerations_with_a_bad_operator_effect_or_seconds_are_refused() {
    let c = seeded();
    let before = c.snapshot();
    let pod = |t: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n  tolerations:\n{t}")
    };
    let refused = |cause: &str| out("", &format!("The Pod \"p\" is invalid: {cause}\n"), 1);
    assert_eq!(
        c.run_stdin(&["create", "-f", "-"], &pod("  - key: a\n    operator: Foo\n")),
        refused("spec.tolerations[0].operator: Unsupported value: \"Foo\": supported values: \"Equal\", \"Exists\"")
    );
    assert_eq!(
        c.run_stdin(&["create", "-f", "-"], &pod("  - key: a\n    operator: Exists\n    effect: NoSchedule\n    tolerationSeconds: 5\n")),
        refused("spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set")
    );
    assert_eq!(
        c.run_stdin(&["create", "-f", "-"], &pod("  - value: x\n")),
        refused("spec.tolerations[0].operator: Invalid value: \"\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"")
    );
    assert_eq!(c.snapshot(), before);
}

#[test]
fn deadlines_of_the_largest_int64_mean_never_instead_of_overflowing() {
    let c = Cluster::new();
    let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  activeDeadlineSeconds: 9223372036854775807\n  \
               template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n        command: [sleep, '30']\n";
    assert_eq!(c.run_stdin(&["apply", "-f", "-"], job), out("job.batch/j created\n", "", 0));
    let cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\nspec:\n  schedule: '* * * * *'\n  startingDeadlineSeconds: 9223372036854775807\n  \
                jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: busybox\n";
    assert_eq!(c.run_stdin(&["apply", "-f", "-"], cron), out("cronjob.batch/cj created\n", "", 0));
    c.ok(&["advance", "2m"]);
    assert_eq!(c.ok(&["get", "job", "j", "-o", "jsonpath={.status.succeeded}"]), "1");
    assert_ne!(c.ok(&["get", "jobs", "-o", "name"]).lines().count(), 1, "the CronJob ran too");
}

#[test]
fn a_toleration_of_the_largest_int64_keeps_the_pod_on_a_failed_node() {
    let c = Cluster::new();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n  tolerations:\n  \
               - key: node.kubernetes.io/unreachable\n    operator: Exists\n    effect: NoExecute\n    tolerationSeconds: 9223372036854775807\n";
    c.run_stdin(&["apply", "-f", "-"], pod);
    let node = c.ok(&["get", "pod", "p", "-o", "jsonpath={.spec.nodeName}"]);
    assert_eq!(c.run(&["node", "fail", &node]), out(&format!("node/{node} failed\n"), "", 0));
    assert_eq!(c.run(&["advance", "10m"]), out("", "", 0));
    assert_eq!(c.ok(&["get", "pod", "p", "-o", "jsonpath={.metadata.deletionTimestamp}"]), "");
}

#[test]
fn a_kubectl_command_kstate_lacks_is_not_suggested_to_itself() {
    let c = Cluster::new();
    assert_eq!(c.run(&["attach", "web-0"]), out("", "error: unknown command \"attach\" for \"kubectl\"\n", 1));
    assert_eq!(
        c.run(&["certificate", "approve", "csr-1"]),
        out("", "error: unknown command \"certificate\" for \"kubectl\"\n", 1)
    );
}
