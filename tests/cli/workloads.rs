//! Deployments, ReplicaSets, Jobs and CronJobs as kubernetes.io's concept pages show them, with
//! fixed clock and seed: names, rollouts, history, undo, scaling, pause, stuck rollouts and the
//! progress deadline, adoption, jobs that succeed and fail, CronJobs over minutes of cluster time.

use crate::harness::{assert_text, Cluster};

const NGINX: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
";

/// A template whose container cannot start: its pods never become ready.
const BROKEN: &str = r#"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","command":["/nonexistent"]}]}}}}"#;

#[test]
fn a_deployment_rolls_out_rolls_back_scales_and_pauses() {
    let c = Cluster::new();
    let f = c.file("nginx.yaml", NGINX);
    assert_eq!(c.ok(&["apply", "-f", &f]), "deployment.apps/nginx-deployment created\n");
    assert_text(
        &c.ok(&["get", "deployments"]),
        "NAME               READY   UP-TO-DATE   AVAILABLE   AGE\nnginx-deployment   3/3     3            3           0s\n",
    );
    assert_eq!(
        c.ok(&["rollout", "status", "deployment/nginx-deployment"]),
        "deployment \"nginx-deployment\" successfully rolled out\n"
    );
    assert_text(
        &c.ok(&["get", "pods", "--show-labels"]),
        "NAME                                READY   STATUS    RESTARTS   AGE   LABELS
nginx-deployment-77bd6c8ddf-8tk9t   1/1     Running   0          0s    app=nginx,pod-template-hash=77bd6c8ddf
nginx-deployment-77bd6c8ddf-dddnn   1/1     Running   0          0s    app=nginx,pod-template-hash=77bd6c8ddf
nginx-deployment-77bd6c8ddf-mh88d   1/1     Running   0          0s    app=nginx,pod-template-hash=77bd6c8ddf
",
    );
    assert_eq!(
        c.ok(&["set", "image", "deployment/nginx-deployment", "nginx=nginx:1.16.1"]),
        "deployment.apps/nginx-deployment image updated\n"
    );
    // maxSurge 25% of 3 rounds up to 1, maxUnavailable down to 0: one pod at a time.
    let events = c.ok(&[
        "get",
        "events",
        "--field-selector",
        "involvedObject.kind=Deployment",
        "-o",
        "custom-columns=MSG:.message",
    ]);
    assert_text(
        &events,
        "MSG
Scaled up replica set nginx-deployment-77bd6c8ddf from 0 to 3
Scaled up replica set nginx-deployment-858456866b from 0 to 1
Scaled down replica set nginx-deployment-77bd6c8ddf from 3 to 2
Scaled up replica set nginx-deployment-858456866b from 1 to 2
Scaled down replica set nginx-deployment-77bd6c8ddf from 2 to 1
Scaled up replica set nginx-deployment-858456866b from 2 to 3
Scaled down replica set nginx-deployment-77bd6c8ddf from 1 to 0
",
    );
    assert_eq!(
        c.ok(&["rollout", "undo", "deployment/nginx-deployment"]),
        "deployment.apps/nginx-deployment rolled back\n"
    );
    assert_text(
        &c.ok(&["get", "rs"]),
        "NAME                          DESIRED   CURRENT   READY   AGE
nginx-deployment-77bd6c8ddf   3         3         3       0s
nginx-deployment-858456866b   0         0         0       0s
",
    );
    // Rolling back to revision 1 makes it revision 3.
    assert_eq!(
        c.ok(&["rollout", "history", "deployment/nginx-deployment"]),
        "deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n"
    );
    assert_eq!(
        c.ok(&["rollout", "undo", "deployment/nginx-deployment", "--to-revision=2"]),
        "deployment.apps/nginx-deployment rolled back\n"
    );
    assert_eq!(
        c.ok(&["scale", "deployment/nginx-deployment", "--replicas=10"]),
        "deployment.apps/nginx-deployment scaled\n"
    );
    assert_eq!(c.ok(&["rollout", "pause", "deployment/nginx-deployment"]), "deployment.apps/nginx-deployment paused\n");
    assert_eq!(
        c.ok(&["rollout", "pause", "deployment/nginx-deployment"]),
        "deployment.apps/nginx-deployment already paused\n"
    );
    c.ok(&["set", "image", "deployment/nginx-deployment", "nginx=nginx:1.27"]);
    // Paused: no new ReplicaSet, no new revision.
    assert_text(
        &c.ok(&["get", "rs"]),
        "NAME                          DESIRED   CURRENT   READY   AGE
nginx-deployment-77bd6c8ddf   0         0         0       0s
nginx-deployment-858456866b   10        10        10      0s
",
    );
    let o = c.run(&["rollout", "undo", "deployment/nginx-deployment"]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n", 1)
    );
    assert_eq!(
        c.ok(&["rollout", "resume", "deployment/nginx-deployment"]),
        "deployment.apps/nginx-deployment resumed\n"
    );
    assert_text(
        &c.ok(&["get", "deploy", "-o", "wide"]),
        "NAME               READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES       SELECTOR
nginx-deployment   10/10   10           10          0s    nginx        nginx:1.27   app=nginx
",
    );
}

#[test]
fn a_rollout_whose_pods_never_become_ready_stalls_until_its_progress_deadline() {
    let c = Cluster::new();
    assert_eq!(
        c.ok(&["create", "deployment", "web", "--image=nginx:1.27", "--replicas=3"]),
        "deployment.apps/web created\n"
    );
    c.ok(&["patch", "deploy", "web", "-p", BROKEN]);
    assert_text(
        &c.ok(&["get", "rs"]),
        "NAME             DESIRED   CURRENT   READY   AGE\nweb-6ff49b5888   3         3         3       0s\nweb-8f4599849    1         1         0       0s\n",
    );
    // rollout status watches in cluster time: five minutes pass and the rollout is still stuck.
    let o = c.run(&["rollout", "status", "deploy/web", "--timeout=5m"]);
    assert_eq!(
        o.stdout,
        "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...\n"
    );
    assert_eq!((o.stderr.as_str(), o.code), ("error: timed out waiting for the condition\n", 1));
    c.ok(&["advance", "4m59s"]);
    let reason = ["get", "deploy", "web", "-o", r#"jsonpath={.status.conditions[?(@.type=="Progressing")].reason}"#];
    assert_eq!(c.ok(&reason), "ReplicaSetUpdated");
    c.ok(&["advance", "1s"]);
    assert_eq!(c.ok(&reason), "ProgressDeadlineExceeded");
    let o = c.run(&["rollout", "status", "deploy/web"]);
    assert_eq!((o.stderr.as_str(), o.code), ("error: deployment \"web\" exceeded its progress deadline\n", 1));
    let describe = c.ok(&["describe", "deploy", "web"]);
    assert!(describe.contains(
        "  Progressing    False   ProgressDeadlineExceeded\nOldReplicaSets:  web-6ff49b5888 (3/3 replicas created)\nNewReplicaSet:   web-8f4599849 (1/1 replicas created)\n"
    ), "{describe}");
}

#[test]
fn scaling_during_a_stuck_rollout_is_proportional() {
    let c = Cluster::new();
    c.ok(&["create", "deployment", "nginx-deployment", "--image=nginx:1.14.2", "--replicas=10"]);
    c.ok(&[
        "patch",
        "deploy",
        "nginx-deployment",
        "-p",
        r#"{"spec":{"strategy":{"rollingUpdate":{"maxSurge":3,"maxUnavailable":2}}}}"#,
    ]);
    c.ok(&["patch", "deploy", "nginx-deployment", "-p", BROKEN]);
    let rs = |c: &Cluster| {
        c.ok(&["get", "rs", "-o", "custom-columns=DESIRED:.spec.replicas,READY:.status.readyReplicas", "--no-headers"])
    };
    assert_text(&rs(&c), "5     <none>\n8     8\n");
    c.ok(&["scale", "deployment/nginx-deployment", "--replicas=15"]);
    // The 5 extra replicas are shared by size: 3 to the old set, 2 to the new one.
    assert_text(&rs(&c), "7     <none>\n11    11\n");
}

#[test]
fn recreate_scales_the_old_set_down_before_the_new_one_up() {
    let c = Cluster::new();
    c.ok(&["create", "deployment", "web", "--image=nginx:1.27", "--replicas=2"]);
    c.ok(&["patch", "deploy", "web", "-p", r#"{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}"#]);
    c.ok(&["set", "image", "deploy/web", "nginx=nginx:1.27.1"]);
    let events = c.ok(&[
        "get",
        "events",
        "--field-selector",
        "involvedObject.kind=Deployment",
        "-o",
        "custom-columns=MSG:.message",
    ]);
    assert_text(
        &events,
        "MSG\nScaled up replica set web-6ff49b5888 from 0 to 2\nScaled down replica set web-6ff49b5888 from 2 to 0\nScaled up replica set web-744b6fbcc from 0 to 2\n",
    );
}

#[test]
fn a_replicaset_adopts_bare_pods_and_deletes_the_surplus() {
    let c = Cluster::new();
    let rs = c.file(
        "frontend.yaml",
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: frontend\n  labels:\n    app: guestbook\n    tier: frontend\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      tier: frontend\n  template:\n    metadata:\n      labels:\n        tier: frontend\n    spec:\n      containers:\n      - name: php-redis\n        image: us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5\n",
    );
    let pods = c.file(
        "pods.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod1\n  labels:\n    tier: frontend\nspec:\n  containers:\n  - name: hello1\n    image: gcr.io/google-samples/hello-app:2.0\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod2\n  labels:\n    tier: frontend\nspec:\n  containers:\n  - name: hello2\n    image: gcr.io/google-samples/hello-app:1.0\n",
    );
    c.ok(&["apply", "-f", &rs]);
    assert_eq!(c.ok(&["apply", "-f", &pods]), "pod/pod1 created\npod/pod2 created\n");
    assert_text(
        &c.ok(&["get", "pods"]),
        "NAME             READY   STATUS    RESTARTS   AGE\nfrontend-ggpr8   1/1     Running   0          0s\nfrontend-hqsqf   1/1     Running   0          0s\nfrontend-kbs9k   1/1     Running   0          0s\n",
    );
    let describe = c.ok(&["describe", "rs", "frontend"]);
    assert!(
        describe.contains(
            "Replicas:     3 current / 3 desired\nPods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
        ),
        "{describe}"
    );
    assert!(
        describe.ends_with(
            "Deleted pod: pod1\n  Normal  SuccessfulDelete  0s    replicaset-controller  Deleted pod: pod2\n"
        ),
        "{describe}"
    );
}

#[test]
fn a_replicaset_created_after_bare_pods_adopts_them_and_makes_only_the_rest() {
    let c = Cluster::new();
    let pod = |name: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels:\n    tier: frontend\nspec:\n  containers:\n  - name: hello\n    image: gcr.io/google-samples/hello-app:2.0\n")
    };
    c.ok(&["apply", "-f", &c.file("pods.yaml", &format!("{}---\n{}", pod("pod1"), pod("pod2")))]);
    let rs = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: frontend\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      tier: frontend\n  template:\n    metadata:\n      labels:\n        tier: frontend\n    spec:\n      containers:\n      - name: php-redis\n        image: gb-frontend:v5\n";
    c.ok(&["apply", "-f", &c.file("frontend.yaml", rs)]);
    let owners = c.ok(&[
        "get",
        "pods",
        "-o",
        "custom-columns=NAME:.metadata.name,OWNER:.metadata.ownerReferences[0].name",
        "--no-headers",
    ]);
    assert_text(&owners, "frontend-6ngk7   frontend\npod1             frontend\npod2             frontend\n");
}

#[test]
fn a_job_runs_its_pod_to_completion_in_cluster_time() {
    let c = Cluster::new();
    assert_eq!(
        c.ok(&["create", "job", "hello", "--image=busybox:1.36", "--", "sh", "-c", "echo hello; sleep 5; echo done"]),
        "job.batch/hello created\n"
    );
    assert_text(
        &c.ok(&["get", "jobs"]),
        "NAME    STATUS    COMPLETIONS   DURATION   AGE\nhello   Running   0/1           0s         0s\n",
    );
    let o = c.run(&["wait", "--for=condition=complete", "job/hello", "--timeout=1s"]);
    assert_eq!((o.stderr.as_str(), o.code), ("error: timed out waiting for the condition on jobs/hello\n", 1));
    // That wait took 1 s of cluster time; the job ends 4 s later.
    c.ok(&["advance", "4s"]);
    assert_eq!(c.ok(&["wait", "--for=condition=complete", "job/hello"]), "job.batch/hello condition met\n");
    assert_text(
        &c.ok(&["get", "jobs,pods"]),
        "NAME              STATUS     COMPLETIONS   DURATION   AGE\njob.batch/hello   Complete   1/1           5s         5s\n\nNAME              READY   STATUS      RESTARTS   AGE\npod/hello-kbs9k   0/1     Completed   0          5s\n",
    );
    assert_eq!(c.ok(&["logs", "job/hello"]), "hello\ndone\n");
    let conditions =
        ["get", "job", "hello", "-o", "jsonpath={range .status.conditions[*]}{.type}={.reason}{\"\\n\"}{end}"];
    assert_eq!(c.ok(&conditions), "SuccessCriteriaMet=CompletionsReached\nComplete=CompletionsReached\n");
}

#[test]
fn a_failing_job_backs_off_exponentially_fails_at_its_limit_and_expires() {
    let c = Cluster::new();
    let f = c.file(
        "fail.yaml",
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: fail\nspec:\n  backoffLimit: 2\n  ttlSecondsAfterFinished: 100\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox:1.36\n        command: [sh, -c, 'echo trying; exit 3']\n",
    );
    c.ok(&["create", "-f", &f]);
    c.ok(&["advance", "9s"]);
    assert_eq!(c.ok(&["get", "pods", "--no-headers"]).lines().count(), 1);
    c.ok(&["advance", "1s"]);
    assert_eq!(c.ok(&["get", "pods", "--no-headers"]).lines().count(), 2);
    // The next retry waits 20 s, and the third failure passes backoffLimit 2.
    c.ok(&["advance", "20s"]);
    assert_text(
        &c.ok(&["get", "jobs"]),
        "NAME   STATUS   COMPLETIONS   DURATION   AGE\nfail   Failed   0/1           30s        30s\n",
    );
    let conditions =
        ["get", "job", "fail", "-o", "jsonpath={range .status.conditions[*]}{.type}={.reason}{\"\\n\"}{end}"];
    assert_eq!(c.ok(&conditions), "FailureTarget=BackoffLimitExceeded\nFailed=BackoffLimitExceeded\n");
    let describe = c.ok(&["describe", "job", "fail"]);
    assert!(
        describe.ends_with(
            "  Warning  BackoffLimitExceeded  0s    job-controller  Job has reached the specified backoff limit\n"
        ),
        "{describe}"
    );
    c.ok(&["advance", "99s"]);
    assert_eq!(c.ok(&["get", "jobs", "--no-headers"]).lines().count(), 1);
    c.ok(&["advance", "1s"]);
    let o = c.run(&["get", "jobs,pods"]);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("", "No resources found in default namespace.\n"));
}

/// kubernetes.io's "Handling retriable and non-retriable pod failures with Pod failure policy":
/// exit code 42 matches a FailJob rule, so the first failure fails the Job (backoffLimit 6 would
/// have retried it six times).
#[test]
fn a_pod_failure_policy_fails_the_job_on_a_matching_exit_code() {
    let c = Cluster::new();
    let f = c.file(
        "failjob.yaml",
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: failjob\nspec:\n  completions: 8\n  parallelism: 2\n  backoffLimit: 6\n  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes:\n        containerName: main\n        operator: In\n        values: [42]\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: main\n        image: docker.io/library/bash:5\n        command: [bash, -c, 'sleep 30 && exit 42']\n",
    );
    c.ok(&["create", "-f", &f]);
    c.ok(&["advance", "30s"]);
    assert_text(
        &c.ok(&["get", "jobs"]),
        "NAME      STATUS   COMPLETIONS   DURATION   AGE\nfailjob   Failed   0/8           30s        30s\n",
    );
    let first = c.ok(&["get", "pods", "-o", "jsonpath={.items[0].metadata.name}"]);
    let conditions = [
        "get",
        "job",
        "failjob",
        "-o",
        "jsonpath={range .status.conditions[*]}{.type}={.reason}: {.message}{\"\\n\"}{end}{.status.failed}",
    ];
    let message =
        format!("Container main for pod default/{first} failed with exit code 42 matching FailJob rule at index 0");
    assert_eq!(
        c.ok(&conditions),
        format!("FailureTarget=PodFailurePolicy: {message}\nFailed=PodFailurePolicy: {message}\n2")
    );
    // No replacement pod: the two that failed are all there are.
    assert_eq!(c.ok(&["get", "pods", "--no-headers"]).lines().count(), 2);
    let describe = c.ok(&["describe", "job", "failjob"]);
    assert!(
        describe.ends_with(&format!("  Warning  PodFailurePolicy  0s    job-controller  {message}\n")),
        "{describe}"
    );
}

/// An Ignore rule leaves the failure out of `status.failed` and the back-off limit: with
/// backoffLimit 0 the Job still retries, and an exit code no rule matches then fails it.
#[test]
fn a_pod_failure_policy_ignores_failures_its_rule_selects() {
    let c = Cluster::new();
    let f = c.file(
        "ignore.yaml",
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: flaky\nspec:\n  backoffLimit: 0\n  podFailurePolicy:\n    rules:\n    - action: Ignore\n      onExitCodes:\n        operator: In\n        values: [75]\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: main\n        image: busybox:1.36\n        command: [sh, -c, 'sleep 5; exit 75']\n",
    );
    c.ok(&["create", "-f", &f]);
    c.ok(&["advance", "5s"]);
    let status = ["get", "job", "flaky", "-o", "jsonpath=failed={.status.failed} {.status.conditions[*].type}"];
    assert_eq!(c.ok(&status), "failed= ");
    c.ok(&["advance", "10s"]);
    assert_eq!(c.ok(&status), "failed= ");
    assert!(c.ok(&["get", "pods", "--no-headers"]).lines().count() >= 2);
}

/// `podReplacementPolicy: Failed`: a deleted pod that takes its grace period to stop is replaced
/// only once it has failed; with the default (`TerminatingOrFailed`) at once.
#[test]
fn a_job_replaces_a_terminating_pod_when_its_replacement_policy_allows() {
    for (policy, at_once) in [("Failed", false), ("TerminatingOrFailed", true)] {
        let c = Cluster::new();
        let f = c.file(
            "job.yaml",
            &format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: slow\nspec:\n  podReplacementPolicy: {policy}\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: main\n        image: busybox:1.36\n        command: [sh, -c, 'trap \"\" TERM; sleep 3600']\n"),
        );
        c.ok(&["create", "-f", &f]);
        c.ok(&["advance", "5s"]);
        let first = c.ok(&["get", "pods", "-o", "jsonpath={.items[0].metadata.name}"]);
        c.ok(&["delete", "pod", &first, "--wait=false"]);
        let pods = c.ok(&["get", "pods", "--no-headers"]);
        assert_eq!(pods.lines().count(), if at_once { 2 } else { 1 }, "{policy}: {pods}");
        assert!(pods.contains("Terminating"), "{policy}: {pods}");
        // The grace period (30 s) ends with the pod killed: then it is replaced under either policy.
        c.ok(&["advance", "31s"]);
        let pods = c.ok(&["get", "pods", "--no-headers"]);
        assert!(!pods.contains(&first), "{policy}: {pods}");
        assert_eq!(pods.lines().count(), 1, "{policy}: {pods}");
        assert!(pods.contains("Running"), "{policy}: {pods}");
    }
}

#[test]
fn a_cronjob_starts_a_job_each_minute_of_cluster_time_and_keeps_three() {
    let c = Cluster::new();
    let f = c.file(
        "cronjob.yaml",
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: hello\nspec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: hello\n            image: busybox:1.28\n            imagePullPolicy: IfNotPresent\n            command:\n            - /bin/sh\n            - -c\n            - date; echo Hello from the Kubernetes cluster\n          restartPolicy: OnFailure\n",
    );
    assert_eq!(c.ok(&["create", "-f", &f]), "cronjob.batch/hello created\n");
    assert_text(
        &c.ok(&["get", "cronjob", "hello"]),
        "NAME    SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\nhello   * * * * *   <none>     False     0        <none>          0s\n",
    );
    c.ok(&["advance", "3m"]);
    assert_text(
        &c.ok(&["get", "cronjob,jobs"]),
        "NAME                  SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE
cronjob.batch/hello   * * * * *   <none>     False     0        0s              3m

NAME                       STATUS     COMPLETIONS   DURATION   AGE
job.batch/hello-29929501   Complete   1/1           0s         2m
job.batch/hello-29929502   Complete   1/1           0s         60s
job.batch/hello-29929503   Complete   1/1           0s         0s
",
    );
    assert_eq!(
        c.ok(&["logs", "job/hello-29929502"]),
        "Fri Nov 27 09:02:00 UTC 2026\nHello from the Kubernetes cluster\n"
    );
    c.ok(&["advance", "1m"]);
    let jobs = c.ok(&["get", "jobs", "-o", "name"]);
    assert_eq!(jobs, "job.batch/hello-29929502\njob.batch/hello-29929503\njob.batch/hello-29929504\n");
}

#[test]
fn invalid_workloads_are_refused_with_the_api_servers_words() {
    let c = Cluster::new();
    let bad = c.file(
        "bad.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bad\nspec:\n  selector:\n    matchLabels:\n      app: a\n  template:\n    metadata:\n      labels:\n        app: b\n    spec:\n      containers:\n      - name: c\n        image: nginx\n",
    );
    let o = c.run(&["apply", "-f", &bad]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("The Deployment \"bad\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"b\"}: `selector` does not match template `labels`\n", 1)
    );
    let job = c.file(
        "job.yaml",
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  template:\n    spec:\n      containers:\n      - name: pi\n        image: perl:5.34.0\n",
    );
    let o = c.run(&["create", "-f", &job]);
    assert_eq!(
        o.stderr,
        "The Job \"pi\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"\n"
    );
    assert_eq!(c.run(&["get", "deploy,jobs"]).stderr, "No resources found in default namespace.\n");
}

#[test]
fn expose_makes_a_service_for_a_deployments_pods() {
    let c = Cluster::new();
    let f = c.file("nginx.yaml", NGINX);
    c.ok(&["apply", "-f", &f]);
    assert_eq!(c.ok(&["expose", "deployment", "nginx-deployment"]), "service/nginx-deployment exposed\n");
    assert_eq!(
        c.ok(&["get", "ep", "nginx-deployment", "--no-headers"]).split_whitespace().nth(1),
        // The endpoints controller sorts addresses by IP (`RepackSubsets`).
        Some("10.244.0.2:80,10.244.1.2:80,10.244.2.2:80")
    );
    let dry = c.ok(&[
        "expose",
        "deploy/nginx-deployment",
        "--port=8080",
        "--target-port=80",
        "--name=web",
        "--type=NodePort",
        "--dry-run=client",
        "-o",
        "yaml",
    ]);
    assert_text(
        &dry,
        "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: nginx\n  name: web\nspec:\n  ports:\n  - port: 8080\n    protocol: TCP\n    targetPort: 80\n  selector:\n    app: nginx\n  type: NodePort\nstatus:\n  loadBalancer: {}\n",
    );
    c.ok(&["create", "deployment", "x", "--image=busybox"]);
    let o = c.run(&["expose", "deploy", "x"]);
    assert_eq!(o.stderr, "error: couldn't find port via --port flag or introspection\n");
}

#[test]
fn the_pi_job_prints_two_thousand_digits_of_pi() {
    let c = Cluster::new();
    let job = "apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: [\"perl\",  \"-Mbignum=bpi\", \"-wle\", \"print bpi(2000)\"]
      restartPolicy: Never
  backoffLimit: 4
";
    c.ok(&["apply", "-f", &c.file("job.yaml", job)]);
    assert_eq!(c.ok(&["wait", "--for=condition=complete", "job/pi", "--timeout=300s"]), "job.batch/pi condition met\n");
    let digits = c.ok(&["logs", "job/pi"]);
    assert!(digits.starts_with("3.14159265358979323846264338327950288419716939937510"), "{digits}");
    assert_eq!(digits.trim_end().len(), 2001);
}

#[test]
fn a_job_without_labels_shows_its_templates_labels() {
    // SetDefaults_Job copies the template's labels (with the selector labels the API server adds)
    // to a Job that has none, as `kubectl describe job pi` on kubernetes.io's Jobs page shows.
    let c = Cluster::new();
    c.ok(&["create", "job", "hello", "--image=busybox:1.36", "--", "true"]);
    let keys = ["get", "job", "hello", "-o", "jsonpath={range .metadata.labels.*}{@}{\"\\n\"}{end}"];
    let uid = c.ok(&["get", "job", "hello", "-o", "jsonpath={.metadata.uid}"]);
    assert_eq!(c.ok(&keys), format!("{uid}\nhello\n{uid}\nhello\n"));
    // A Job with labels of its own keeps them.
    let own = "apiVersion: batch/v1
kind: Job
metadata:
  name: own
  labels:
    team: a
spec:
  template:
    spec:
      containers:
      - name: c
        image: busybox:1.36
        command: [\"true\"]
      restartPolicy: Never
";
    c.ok(&["apply", "-f", &c.file("own.yaml", own)]);
    assert_eq!(c.ok(&["get", "job", "own", "-o", "jsonpath={.metadata.labels}"]), "{\"team\":\"a\"}");
}

#[test]
fn deleting_a_deployment_or_a_cronjob_deletes_what_it_owns() {
    // The garbage collector follows owner references from Deployments to their ReplicaSets and from
    // CronJobs to their Jobs (and on to their pods), unless the owner is deleted as an orphaner.
    let c = Cluster::new();
    c.ok(&["apply", "-f", &c.file("nginx.yaml", NGINX)]);
    assert_eq!(c.ok(&["delete", "deployment", "nginx-deployment"]), "deployment.apps \"nginx-deployment\" deleted\n");
    assert_eq!(c.run(&["get", "rs,pods"]).stderr, "No resources found in default namespace.\n");

    c.ok(&["apply", "-f", &c.file("nginx.yaml", NGINX)]);
    c.ok(&["delete", "deployment", "nginx-deployment", "--cascade=orphan"]);
    assert_eq!(c.ok(&["get", "rs", "-o", "name"]).lines().count(), 1);
    assert_eq!(c.ok(&["get", "pods", "-o", "name"]).lines().count(), 3);
    c.ok(&["delete", "rs", "--all"]);

    let cronjob = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: \"* * * * *\"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: hello
            image: busybox:1.36
            command: [\"echo\", \"hi\"]
          restartPolicy: OnFailure
";
    c.ok(&["apply", "-f", &c.file("cronjob.yaml", cronjob)]);
    c.ok(&["advance", "61s"]);
    assert_eq!(c.ok(&["get", "jobs", "-o", "name"]).lines().count(), 1);
    c.ok(&["delete", "cronjob", "hello"]);
    assert_eq!(c.run(&["get", "jobs,pods"]).stderr, "No resources found in default namespace.\n");
}

/// kubernetes.io's Indexed Job (application/job/indexed-job.yaml): an init container in the bash
/// image maps `$JOB_COMPLETION_INDEX` to a word, the worker reverses it with busybox's `rev`.
const INDEXED_JOB: &str = r#"apiVersion: batch/v1
kind: Job
metadata:
  name: indexed-job
spec:
  completions: 5
  parallelism: 3
  completionMode: Indexed
  template:
    spec:
      restartPolicy: Never
      initContainers:
      - name: input
        image: docker.io/library/bash
        command:
        - bash
        - -c
        - |
          items=(foo bar baz qux xyz)
          echo ${items[$JOB_COMPLETION_INDEX]} > /input/data.txt
        volumeMounts:
        - mountPath: /input
          name: input
      containers:
      - name: worker
        image: docker.io/library/busybox
        command: [rev, /input/data.txt]
        volumeMounts:
        - mountPath: /input
          name: input
      volumes:
      - name: input
        emptyDir: {}
"#;

#[test]
fn an_indexed_job_gives_init_containers_their_index_too() {
    // The job controller appends JOB_COMPLETION_INDEX (from the index label, v1.32's
    // PodIndexLabel) to every init container and container (addCompletionIndexEnvVariables).
    let c = Cluster::new();
    let f = c.file("job.yaml", INDEXED_JOB);
    c.ok(&["apply", "-f", &f]);
    let env = c.ok(&[
        "get",
        "pods",
        "-l",
        "batch.kubernetes.io/job-completion-index=0",
        "-o",
        "jsonpath={.items[0].spec.initContainers[0].env}",
    ]);
    assert_eq!(
        env,
        r#"[{"name":"JOB_COMPLETION_INDEX","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.labels['batch.kubernetes.io/job-completion-index']"}}}]"#
    );
    c.ok(&["advance", "10s"]);
    assert_eq!(
        c.ok(&["get", "job", "indexed-job", "-o", "jsonpath={.status.succeeded} {.status.completedIndexes}"]),
        "5 0-4"
    );
    let pod = c.ok(&["get", "pods", "-l", "batch.kubernetes.io/job-completion-index=3", "-o", "name"]);
    assert_eq!(c.ok(&["logs", pod.trim(), "-c", "worker"]), "xuq\n");
}

/// kubernetes.io's backoff-limit-per-index example (with sh for python): ten indexes, the even
/// ones always fail. Each index is retried once (backoffLimitPerIndex: 1) after its own back-off,
/// the odd ones succeed, and the Job fails with FailedIndexes once every index is done.
#[test]
fn a_job_with_a_backoff_limit_per_index_fails_its_indexes_one_by_one() {
    let c = Cluster::new();
    let f = c.file(
        "job.yaml",
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: job-backoff-limit-per-index-example\nspec:\n  completions: 10\n  parallelism: 3\n  completionMode: Indexed\n  backoffLimitPerIndex: 1\n  maxFailedIndexes: 5\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: example\n        image: busybox:1.36\n        command: [sh, -c, 'echo Hello world; [ $((JOB_COMPLETION_INDEX % 2)) -ne 0 ]']\n",
    );
    c.ok(&["create", "-f", &f]);
    let first = c.ok(&[
        "get",
        "pods",
        "-l",
        "batch.kubernetes.io/job-completion-index=0",
        "-o",
        "jsonpath={.items[0].metadata.annotations}",
    ]);
    assert!(first.contains(r#""batch.kubernetes.io/job-index-failure-count":"0""#), "{first}");
    assert_eq!(
        c.ok(&[
            "get",
            "job",
            "job-backoff-limit-per-index-example",
            "-o",
            "jsonpath={.status.failedIndexes}|{.spec.backoffLimit}"
        ]),
        "|2147483647"
    );
    c.ok(&["advance", "10m"]);
    assert_eq!(
        c.ok(&[
            "get",
            "job",
            "job-backoff-limit-per-index-example",
            "-o",
            "jsonpath={.status.completedIndexes} {.status.failedIndexes} {.status.succeeded} {.status.failed}"
        ]),
        "1,3,5,7,9 0,2,4,6,8 5 10"
    );
    let conditions = c.ok(&[
        "get",
        "job",
        "job-backoff-limit-per-index-example",
        "-o",
        "jsonpath={range .status.conditions[*]}{.type} {.reason}: {.message}{'\\n'}{end}",
    ]);
    assert_eq!(
        conditions,
        "FailureTarget FailedIndexes: Job has failed indexes\nFailed FailedIndexes: Job has failed indexes\n"
    );
    // Each even index ran twice: the retry carries the first failure in its annotation.
    let retries = c.ok(&["get", "pods", "-l", "batch.kubernetes.io/job-completion-index=4", "-o", "jsonpath={range .items[*]}{.metadata.annotations.batch\\.kubernetes\\.io/job-index-failure-count}{' '}{.status.phase}{'\\n'}{end}"]);
    let mut retries: Vec<&str> = retries.lines().collect();
    retries.sort_unstable();
    assert_eq!(retries, ["0 Failed", "1 Failed"]);
    let events = c.ok(&[
        "get",
        "events",
        "--field-selector",
        "involvedObject.kind=Job",
        "-o",
        "jsonpath={range .items[?(@.type=='Warning')]}{.reason}: {.message}{'\\n'}{end}",
    ]);
    assert_eq!(events, "FailedIndexes: Job has failed indexes\n");
}

/// maxFailedIndexes: 0 with backoffLimitPerIndex: 0 (the e2e "with-max-failed-indexes" case):
/// the first failed index fails the Job at once.
#[test]
fn a_job_fails_when_more_indexes_fail_than_it_allows() {
    let c = Cluster::new();
    let f = c.file(
        "job.yaml",
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: fail\nspec:\n  completions: 4\n  parallelism: 1\n  completionMode: Indexed\n  backoffLimitPerIndex: 0\n  maxFailedIndexes: 0\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox:1.36\n        command: [sh, -c, 'exit 1']\n",
    );
    c.ok(&["create", "-f", &f]);
    c.ok(&["advance", "1m"]);
    assert_eq!(
        c.ok(&["get", "job", "fail", "-o", "jsonpath={.status.failedIndexes} {.status.failed} {.status.conditions[1].type} {.status.conditions[1].reason}"]),
        "0 1 Failed MaxFailedIndexesExceeded"
    );
    assert_eq!(c.ok(&["get", "pods", "--no-headers"]).lines().count(), 1);
}

const RC: &str = "apiVersion: v1
kind: ReplicationController
metadata:
  name: nginx
spec:
  replicas: 3
  selector:
    app: nginx
  template:
    metadata:
      name: nginx
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
";

#[test]
fn a_replication_controller_keeps_its_pods() {
    let c = Cluster::new();
    assert_text(&c.ok(&["apply", "-f", &c.file("rc.yaml", RC)]), "replicationcontroller/nginx created\n");
    assert_text(
        &c.ok(&["get", "rc"]),
        "NAME    DESIRED   CURRENT   READY   AGE\nnginx   3         3         3       0s\n",
    );
    assert_text(
        &c.ok(&["get", "replicationcontrollers", "-o", "wide"]),
        "NAME    DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES   SELECTOR\nnginx   3         3         3       0s    nginx        nginx    app=nginx\n",
    );
    let pods = c.ok(&["get", "pods", "-l", "app=nginx", "-o", "name"]);
    assert_eq!(pods.lines().count(), 3, "{pods}");
    assert!(pods.lines().all(|p| p.starts_with("pod/nginx-") && p.len() == "pod/nginx-".len() + 5), "{pods}");
    // The template's labels became the controller's; the controller reports its pods.
    assert_text(
        &c.ok(&["get", "rc", "nginx", "-o", "jsonpath={.metadata.labels} {.status.readyReplicas}"]),
        "{\"app\":\"nginx\"} 3",
    );
    let describe = c.ok(&["describe", "rc", "nginx"]);
    assert!(
        describe.starts_with("Name:         nginx\nNamespace:    default\nSelector:     app=nginx\nLabels:       app=nginx\nAnnotations:  <none>\nReplicas:     3 current / 3 desired\nPods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed\nPod Template:\n"),
        "{describe}"
    );
    assert!(
        describe.contains("  Normal  SuccessfulCreate  0s    replication-controller  Created pod: nginx-"),
        "{describe}"
    );
    // A deleted pod is replaced; scale works on it.
    let first = pods.lines().next().unwrap_or_default().trim_start_matches("pod/").to_string();
    c.ok(&["delete", "pod", &first]);
    assert_eq!(c.ok(&["get", "pods", "-o", "name"]).lines().count(), 3);
    assert_text(&c.ok(&["scale", "rc", "nginx", "--replicas=1"]), "replicationcontroller/nginx scaled\n");
    assert_eq!(c.ok(&["get", "pods", "-o", "name"]).lines().count(), 1);
    // Deleting it takes its pods along.
    c.ok(&["delete", "rc", "nginx"]);
    assert_text(&c.ok(&["get", "pods", "-o", "name"]), "");
    let bad = c.file("bad.yaml", &RC.replace("    app: nginx\n  template", "    app: web\n  template"));
    let out = c.run(&["apply", "-f", &bad]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.ends_with("ReplicationController \"nginx\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"nginx\"}: `selector` does not match template `labels`\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn pod_templates_are_stored_and_listed() {
    let c = Cluster::new();
    let tpl = c.file(
        "tpl.yaml",
        "apiVersion: v1\nkind: PodTemplate\nmetadata: {name: tpl}\ntemplate:\n  metadata:\n    labels: {app: web, tier: fe}\n  spec:\n    containers:\n    - {name: web, image: \"nginx:1.27\"}\n    - {name: side, image: busybox}\n",
    );
    assert_text(&c.ok(&["apply", "-f", &tpl]), "podtemplate/tpl created\n");
    assert_text(
        &c.ok(&["get", "podtemplates"]),
        "NAME   CONTAINERS   IMAGES               POD LABELS\ntpl    web,side     nginx:1.27,busybox   app=web,tier=fe\n",
    );
    // Defaulted as a pod template; described by kubectl's generic describer.
    assert_text(&c.ok(&["get", "podtemplate", "tpl", "-o", "jsonpath={.template.spec.restartPolicy}"]), "Always");
    assert!(c.ok(&["describe", "podtemplate", "tpl"]).contains("Kind:         PodTemplate\n"));
}
