//! kubernetes.io's kubectl Quick Reference and concepts/tasks pages, replayed command by command,
//! each output compared with what kubectl v1.32 prints (checked against the real kubectl, whose
//! config commands run client-side and whose reads were pointed at kstate's objects).

use crate::harness::{assert_text, Cluster, Out};

/// Runs kstate with `KUBECONFIG` set to the test's own file.
fn kc(c: &Cluster, args: &[&str]) -> Out {
    let o = c.command(args).env("KUBECONFIG", c.path_of("kubeconfig")).output().expect("run kstate");
    Out {
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        code: o.status.code().unwrap_or(-1),
    }
}

#[track_caller]
fn kc_ok(c: &Cluster, args: &[&str], want: &str) {
    let o = kc(c, args);
    assert_eq!(o.code, 0, "kstate {args:?}: {}", o.stderr);
    assert_text(&o.stdout, want);
}

#[track_caller]
fn kc_fails(c: &Cluster, args: &[&str], want: &str) {
    let o = kc(c, args);
    assert_text(&o.stderr, want);
    assert_eq!(o.code, 1, "{args:?}");
}

#[test]
fn quick_reference_config_commands() {
    // "Kubectl context and configuration": every command but the ones naming a real cluster.
    let c = Cluster::new();
    kc_ok(&c, &["config", "set-cluster", "my-cluster-name"], "Cluster \"my-cluster-name\" set.\n");
    kc_ok(
        &c,
        &["config", "set-cluster", "my-cluster-name", "--proxy-url=my-proxy-url"],
        "Cluster \"my-cluster-name\" set.\n",
    );
    kc_ok(
        &c,
        &["config", "set-credentials", "kubeuser/foo.kubernetes.com", "--username=kubeuser", "--password=kubepassword"],
        "User \"kubeuser/foo.kubernetes.com\" set.\n",
    );
    kc_ok(
        &c,
        &["config", "set-context", "gce", "--user=cluster-admin", "--namespace=foo"],
        "Context \"gce\" created.\n",
    );
    kc_ok(&c, &["config", "unset", "users.foo"], "Property \"users.foo\" unset.\n");
    // Secrets are redacted unless --raw; a user's name may hold dots.
    kc_ok(&c, &["config", "set-credentials", "e2e", "--username=a", "--password=secret"], "User \"e2e\" set.\n");
    let password = r#"jsonpath={.users[?(@.name == "e2e")].user.password}"#;
    kc_ok(&c, &["config", "view", "-o", password], "REDACTED");
    kc_ok(&c, &["config", "view", "--raw", "-o", password], "secret");
    kc_ok(&c, &["config", "view", "-o", "jsonpath={.users[*].name}"], "kstate kubeuser/foo.kubernetes.com e2e");
    kc_ok(&c, &["config", "view", "-o", "jsonpath={.users[].name}"], "kstate");
    kc_ok(
        &c,
        &["config", "unset", "users.kubeuser/foo.kubernetes.com"],
        "Property \"users.kubeuser/foo.kubernetes.com\" unset.\n",
    );
    kc_ok(&c, &["config", "unset", "users.e2e.username"], "Property \"users.e2e.username\" unset.\n");
    kc_ok(&c, &["config", "unset", "contexts.gce.namespace"], "Property \"contexts.gce.namespace\" unset.\n");
    kc_fails(&c, &["config", "unset", "contexts.nope.namespace"], "error: current map key `nope` is invalid\n");
    kc_fails(&c, &["config", "unset", "foo"], "error: unable to parse foo after [] at api.Config\n");
    kc_fails(&c, &["config", "unset", ""], "error: you must specify a property\n");
    kc_fails(
        &c,
        &["config", "set-credentials", "u", "--token=t", "--username=a"],
        "error: you cannot specify more than one authentication method at the same time: --token, --username/--password\n",
    );
    // The typed Config: struct order in JSON, the fields Go always writes (`server`, a context's
    // `cluster`), an emptied list as null.
    kc_ok(&c, &["config", "unset", "users"], "Property \"users\" unset.\n");
    let o = kc(&c, &["config", "view", "-o", "json"]);
    let state = c.state();
    assert_text(
        &o.stdout,
        &format!(
            r#"{{
    "kind": "Config",
    "apiVersion": "v1",
    "preferences": {{}},
    "clusters": [
        {{
            "name": "kstate",
            "cluster": {{
                "server": "file://{}"
            }}
        }},
        {{
            "name": "my-cluster-name",
            "cluster": {{
                "server": "",
                "proxy-url": "my-proxy-url"
            }}
        }}
    ],
    "users": null,
    "contexts": [
        {{
            "name": "kstate",
            "context": {{
                "cluster": "kstate",
                "user": "kstate"
            }}
        }},
        {{
            "name": "gce",
            "context": {{
                "cluster": "",
                "user": "cluster-admin"
            }}
        }}
    ],
    "current-context": "kstate"
}}
"#,
            state.display()
        ),
    );
    kc_ok(&c, &["config", "view", "-o", "go-template={{range .contexts}}{{.name}} {{end}}"], "kstate gce ");
    kc_ok(&c, &["config", "view", "-o", "name"], "config/<unknown>\n");
    // --template alone is a go-template; with -o jsonpath it is the JSONPath.
    kc_ok(&c, &["config", "view", "--template={{ index . \"current-context\" }}"], "kstate");
    kc_ok(&c, &["config", "view", "-o", "jsonpath", "--template={.current-context}"], "kstate");
    kc_fails(&c, &["config", "view", "-o", "go-template"], "error: template format specified but no template given\n");
    kc_fails(
        &c,
        &["config", "view", "-o", "wide"],
        "error: unable to match a printer suitable for the output format \"wide\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n",
    );
    // Certificate data is omitted unless --raw, as kubectl's ShortenConfig does.
    let with_data = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: file:///tmp/nowhere\n    certificate-authority-data: QUJD\ncontexts: []\ncurrent-context: \"\"\nusers:\n- name: u\n  user:\n    client-certificate-data: QUJD\n    client-key-data: QUJD\n    token: abc\n";
    let file = c.file("with-data", with_data);
    kc_ok(
        &c,
        &["--kubeconfig", &file, "config", "view", "-o", "jsonpath={.clusters[0].cluster} {.users[0].user}"],
        r#"{"certificate-authority-data":"DATA+OMITTED","server":"file:///tmp/nowhere"} {"client-certificate-data":"DATA+OMITTED","client-key-data":"DATA+OMITTED","token":"REDACTED"}"#,
    );
    kc_ok(
        &c,
        &["--kubeconfig", &file, "config", "view", "--raw", "-o", "jsonpath={.users[0].user.client-key-data}"],
        "QUJD",
    );
    // The `kn` alias of the page: the current context's namespace.
    kc_ok(&c, &["config", "set-context", "--current", "--namespace=ggckad-s2"], "Context \"kstate\" modified.\n");
    let minified = kc(&c, &["config", "view", "--minify"]).stdout;
    assert!(minified.contains("\n    namespace: ggckad-s2\n"), "{minified}");
}

#[test]
fn quick_reference_jsonpath_forms() {
    let c = Cluster::new();
    c.ok(&["run", "a", "--image=nginx"]);
    c.ok(&["run", "b", "--image=busybox:1.28", "--", "sleep", "1d"]);
    // PrintFlags' --template holds the text of any template format.
    assert_eq!(c.ok(&["get", "pods", "-o", "jsonpath", "--template={.items[*].metadata.name}"]), "a b");
    assert_eq!(
        c.ok(&["get", "pod", "a", "-o", "jsonpath-as-json", "--template={.metadata.name}"]),
        "[\n    \"a\"\n]\n"
    );
    assert_text(&c.ok(&["get", "pods", "-o", "custom-columns", "--template=N:.metadata.name"]), "N\na\nb\n");
    // `[]` is kubectl's `[0:1]`: "display the first user".
    assert_eq!(c.ok(&["get", "pods", "-o", "jsonpath={.items[].metadata.name}"]), "a");
    // A template that does not parse is refused before anything is read, in kubectl's words.
    let o = c.run(&["get", "pods", "-o", "jsonpath={.items[ ].metadata.name}"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "error: error parsing jsonpath {.items[ ].metadata.name}, invalid array index  \n")
    );
    let o = c.run(&["get", "pod", "a", "-o", "jsonpath-as-json={.a"]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "error: error parsing jsonpath {.a, unclosed action\n"));
    // The filter's operator leaves its right side a character, as Go's regexp backtracks.
    let o = c.run(&["get", "pods", "-o", "jsonpath={.items[?(@.x==)]}"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "error: error parsing jsonpath {.items[?(@.x==)]}, unrecognized character in action: U+003D '='\n")
    );
}

#[test]
fn quick_reference_bool_flags_never_take_the_next_argument() {
    // pflag's bool flags (and --dry-run, --validate) take a value only after `=`:
    // `rollout status -w deployment/frontend` watches deployment/frontend.
    let c = Cluster::new();
    c.ok(&["create", "deployment", "frontend", "--image=nginx"]);
    assert_text(
        &c.ok(&["rollout", "status", "-w", "deployment/frontend"]),
        "deployment \"frontend\" successfully rolled out\n",
    );
    assert_text(
        &c.ok(&["rollout", "status", "deployment/frontend", "-w=false"]),
        "deployment \"frontend\" successfully rolled out\n",
    );
    assert_text(
        &c.ok(&["create", "deployment", "x", "--image=nginx", "--dry-run=client", "-o", "name"]),
        "deployment.apps/x\n",
    );
}

#[test]
fn quick_reference_rollouts_describe_old_replica_sets_oldest_first() {
    // "Updating resources": set image, undo, restart. kubectl's describe lists the old
    // ReplicaSets by creation time (FindNewReplicaSet sorts the list in place), not by name.
    let c = Cluster::new();
    c.ok(&["create", "deployment", "frontend", "--image=nginx:1.27"]);
    c.ok(&["advance", "1m"]);
    c.ok(&["set", "image", "deployment/frontend", "nginx=nginx:1.28"]);
    c.ok(&["advance", "1m"]);
    c.ok(&["rollout", "restart", "deployment/frontend"]);
    let created = c.ok(&[
        "get",
        "rs",
        "--sort-by=.metadata.creationTimestamp",
        "-o",
        "jsonpath={range .items[*]}{.metadata.name} {end}",
    ]);
    let sets: Vec<&str> = created.split_whitespace().collect();
    assert_eq!(sets.len(), 3, "{created}");
    let mut by_name = sets[..2].to_vec();
    by_name.sort();
    assert_ne!(by_name, sets[..2], "the test needs the first set to sort after the second by name");
    let describe = c.ok(&["describe", "deployment", "frontend"]);
    let want = format!(
        "OldReplicaSets:  {} (0/0 replicas created), {} (0/0 replicas created)\nNewReplicaSet:   {} (1/1 replicas created)\n",
        sets[0], sets[1], sets[2]
    );
    assert!(describe.contains(&want), "{describe}");
}

#[test]
fn quick_reference_api_resources_filters() {
    // "Resource types": --verbs and --categories keep the resources that have all of them.
    let c = Cluster::new();
    assert_text(
        &c.ok(&["api-resources", "--categories=all", "-o", "name"]),
        "pods\nreplicationcontrollers\nservices\ndaemonsets.apps\ndeployments.apps\nreplicasets.apps\nstatefulsets.apps\nhorizontalpodautoscalers.autoscaling\ncronjobs.batch\njobs.batch\n",
    );
    let every = c.ok(&["api-resources", "-o", "name"]);
    assert_eq!(c.ok(&["api-resources", "--verbs=list,get", "-o", "name"]), every);
    let collections = c.ok(&["api-resources", "--verbs", "deletecollection", "--namespaced=false", "-o", "name"]);
    assert!(collections.lines().any(|l| l == "nodes"), "{collections}");
    assert!(!collections.lines().any(|l| l == "namespaces"), "{collections}");
    // By kind: Binding... ConfigMap... (then the name breaks ties).
    let by_kind = c.ok(&["api-resources", "--sort-by=kind", "--no-headers", "--categories=all"]);
    let kinds: Vec<&str> = by_kind.lines().filter_map(|l| l.split_whitespace().last()).collect();
    assert_eq!(
        kinds,
        [
            "CronJob",
            "DaemonSet",
            "Deployment",
            "HorizontalPodAutoscaler",
            "Job",
            "Pod",
            "ReplicaSet",
            "ReplicationController",
            "Service",
            "StatefulSet"
        ]
    );
    let o = c.run(&["api-resources", "--sort-by=group"]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "error: --sort-by accepts only name or kind\n"));
}

#[test]
fn configure_pdb_status_carries_the_disruption_allowed_condition() {
    // tasks/run-application/configure-pdb, "Check the status of the PDB": the disruption
    // controller sets DisruptionAllowed (InsufficientPods, then SufficientPods once three
    // zookeeper pods leave one disruption).
    let mut c = Cluster::new();
    c.at("2026-12-07T10:00:00Z");
    let pdb = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: zk-pdb\nspec:\n  minAvailable: 2\n  selector:\n    matchLabels:\n      app: zookeeper\n";
    assert_text(&c.ok(&["apply", "-f", &c.file("mypdb.yaml", pdb)]), "poddisruptionbudget.policy/zk-pdb created\n");
    let status = |c: &Cluster| {
        let yaml = c.ok(&["get", "poddisruptionbudgets", "zk-pdb", "-o", "yaml"]);
        yaml[yaml.find("status:").expect("a status")..].to_string()
    };
    assert_text(
        &status(&c),
        "status:
  conditions:
  - lastTransitionTime: \"2026-12-07T10:00:00Z\"
    message: \"\"
    reason: InsufficientPods
    status: \"False\"
    type: DisruptionAllowed
  currentHealthy: 0
  desiredHealthy: 2
  disruptionsAllowed: 0
  expectedPods: 0
  observedGeneration: 1
",
    );
    c.at("2026-12-07T10:01:00Z");
    for name in ["zk-0", "zk-1", "zk-2"] {
        c.ok(&["run", name, "--image=nginx", "--labels=app=zookeeper"]);
    }
    assert_text(
        &c.ok(&["get", "poddisruptionbudgets"]),
        "NAME     MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nzk-pdb   2               N/A               1                     60s\n",
    );
    assert_text(
        &status(&c),
        "status:
  conditions:
  - lastTransitionTime: \"2026-12-07T10:01:00Z\"
    message: \"\"
    reason: SufficientPods
    status: \"True\"
    type: DisruptionAllowed
  currentHealthy: 3
  desiredHealthy: 2
  disruptionsAllowed: 1
  expectedPods: 3
  observedGeneration: 1
",
    );
}

#[test]
fn sidecar_containers_page_tail_follows_until_the_container_stops() {
    // concepts/workloads/pods/sidecar-containers (application/deployment-sidecar.yaml): the
    // logshipper's `tail -F /opt/logs.txt` keeps running, so the pod is 2/2 Running.
    let c = Cluster::new();
    let deployment = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: myapp
  labels:
    app: myapp
spec:
  replicas: 1
  selector:
    matchLabels:
      app: myapp
  template:
    metadata:
      labels:
        app: myapp
    spec:
      containers:
        - name: myapp
          image: alpine:latest
          command: ['sh', '-c', 'while true; do echo "logging" >> /opt/logs.txt; sleep 1; done']
          volumeMounts:
            - name: data
              mountPath: /opt
      initContainers:
        - name: logshipper
          image: alpine:latest
          restartPolicy: Always
          command: ['sh', '-c', 'tail -F /opt/logs.txt']
          volumeMounts:
            - name: data
              mountPath: /opt
      volumes:
        - name: data
          emptyDir: {}
"#;
    assert_text(
        &c.ok(&["apply", "-f", &c.file("deployment-sidecar.yaml", deployment)]),
        "deployment.apps/myapp created\n",
    );
    c.ok(&["advance", "30s"]);
    let pods = "{range .items[*]}{.status.phase} {.status.containerStatuses[0].ready} {.status.initContainerStatuses[0].restartCount}{end}";
    assert_eq!(c.ok(&["get", "pods", "-o", &format!("jsonpath={pods}")]), "Running true 0");
    // The logshipper started before the file existed (`-F` waits for it) and prints each line.
    let shipped = c.ok(&["logs", "deployment/myapp", "-c", "logshipper"]);
    assert!(shipped.starts_with("tail: can't open '/opt/logs.txt': No such file or directory\nlogging\n"), "{shipped}");
    let written = c.ok(&["exec", "deployment/myapp", "-c", "myapp", "--", "wc", "-l", "/opt/logs.txt"]);
    assert_eq!(written, "27 /opt/logs.txt\n");
    assert_eq!(shipped.matches("logging\n").count(), 27, "{shipped}");
    // The container idiom `tail -f /dev/null` runs until stopped; `-f` on no file fails.
    c.ok(&["run", "idle", "--image=busybox", "--", "tail", "-f", "/dev/null"]);
    c.ok(&["run", "nofile", "--image=busybox", "--restart=Never", "--", "tail", "-f", "/missing"]);
    c.ok(&["advance", "30s"]);
    let phase = |name: &str| c.ok(&["get", "pod", name, "-o", "jsonpath={.status.phase}"]);
    assert_eq!(phase("idle"), "Running");
    assert_eq!(phase("nofile"), "Failed");
    assert_text(&c.ok(&["logs", "nofile"]), "tail: can't open '/missing': No such file or directory\ntail: no files\n");
}

#[test]
fn logging_architecture_streaming_sidecars_print_what_the_app_appends() {
    // concepts/cluster-administration/logging (admin/logging/two-files-counter-pod-streaming-
    // sidecar.yaml): each sidecar's `tail -n+1 -F` streams one of the files the counter appends
    // to every second, so `kubectl logs counter count-log-1` shows the lines as they were written.
    let c = Cluster::new();
    let pod = r#"apiVersion: v1
kind: Pod
metadata:
  name: counter
spec:
  containers:
  - name: count
    image: busybox:1.28
    args:
    - /bin/sh
    - -c
    - >
      i=0;
      while true;
      do
        echo "$i: $(date)" >> /var/log/1.log;
        echo "$(date) INFO $i" >> /var/log/2.log;
        i=$((i+1));
        sleep 1;
      done
    volumeMounts:
    - name: varlog
      mountPath: /var/log
  - name: count-log-1
    image: busybox:1.28
    args: [/bin/sh, -c, 'tail -n+1 -F /var/log/1.log']
    volumeMounts:
    - name: varlog
      mountPath: /var/log
  - name: count-log-2
    image: busybox:1.28
    args: [/bin/sh, -c, 'tail -n+1 -F /var/log/2.log']
    volumeMounts:
    - name: varlog
      mountPath: /var/log
  volumes:
  - name: varlog
    emptyDir: {}
"#;
    c.ok(&["apply", "-f", &c.file("pod.yaml", pod)]);
    c.ok(&["advance", "3s"]);
    let first = c.ok(&["logs", "counter", "count-log-1"]);
    let lines: Vec<&str> = first.lines().collect();
    assert_eq!(lines.len(), 4, "{first}");
    for (i, line) in lines.iter().enumerate() {
        assert!(line.starts_with(&format!("{i}: ")) && line.ends_with(" UTC 2026"), "{first}");
    }
    c.ok(&["advance", "2s"]);
    let second = c.ok(&["logs", "counter", "count-log-2", "--tail=2"]);
    let tail: Vec<&str> = second.lines().collect();
    assert!(tail.len() == 2 && tail[0].ends_with(" INFO 4") && tail[1].ends_with(" INFO 5"), "{second}");
    // A line is in the log at the first look after it was written, never before.
    let stamped = c.ok(&["logs", "counter", "count-log-1", "--timestamps"]);
    for line in stamped.lines() {
        let (stamp, text) = line.split_once(' ').unwrap_or_default();
        let written = text.split(' ').nth(4).unwrap_or_default();
        assert!(stamp.len() > 19 && &stamp[11..19] >= written, "{stamped}");
    }
    // The sidecar page's logshipper follows a file its app creates after it started.
    assert_eq!(c.ok(&["get", "pod", "counter", "-o", "jsonpath={.status.phase}"]), "Running");
}
