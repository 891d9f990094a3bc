//! DaemonSets (a pod per eligible node, following nodes and labels, rolling updates) and
//! HorizontalPodAutoscalers on a cluster without a metrics server.

use crate::harness::{assert_text, Cluster};

const FLUENTD: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd-elasticsearch
  namespace: kube-system
  labels:
    k8s-app: fluentd-logging
spec:
  selector:
    matchLabels:
      name: fluentd-elasticsearch
  template:
    metadata:
      labels:
        name: fluentd-elasticsearch
    spec:
      tolerations:
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
      containers:
      - name: fluentd-elasticsearch
        image: quay.io/fluentd_elasticsearch/fluentd:v2.5.2
";

#[test]
fn a_daemonset_runs_one_pod_per_node_and_rolls_node_by_node() {
    let c = Cluster::new();
    let f = c.file("ds.yaml", FLUENTD);
    assert_eq!(c.ok(&["apply", "-f", &f]), "daemonset.apps/fluentd-elasticsearch created\n");
    assert_text(
        &c.ok(&["get", "ds", "-n", "kube-system"]),
        "NAME                    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
fluentd-elasticsearch   3         3         3       3            3           <none>          0s
",
    );
    let nodes = c.ok(&["get", "pods", "-n", "kube-system", "-o", "custom-columns=NODE:.spec.nodeName", "--no-headers"]);
    assert_text(&nodes, "cn-beijing.192.168.0.101\ncn-beijing.192.168.1.102\ncn-beijing.192.168.2.103\n");
    c.ok(&[
        "set",
        "image",
        "ds/fluentd-elasticsearch",
        "-n",
        "kube-system",
        "fluentd-elasticsearch=quay.io/fluentd_elasticsearch/fluentd:v2.6.0",
    ]);
    // maxUnavailable 1: each old pod goes before the next node's pod is replaced.
    let events = c.ok(&[
        "get",
        "events",
        "-n",
        "kube-system",
        "--field-selector",
        "involvedObject.kind=DaemonSet",
        "-o",
        "custom-columns=MSG:.message",
        "--no-headers",
    ]);
    assert_text(
        &events,
        "Created pod: fluentd-elasticsearch-gnsc9
Created pod: fluentd-elasticsearch-vsw6d
Created pod: fluentd-elasticsearch-wfnq8
Deleted pod: fluentd-elasticsearch-gnsc9
Created pod: fluentd-elasticsearch-6z8tl
Deleted pod: fluentd-elasticsearch-vsw6d
Created pod: fluentd-elasticsearch-7ffvc
Deleted pod: fluentd-elasticsearch-wfnq8
Created pod: fluentd-elasticsearch-kbtmk
",
    );
    assert_eq!(
        c.ok(&["rollout", "status", "ds/fluentd-elasticsearch", "-n", "kube-system"]),
        "daemon set \"fluentd-elasticsearch\" successfully rolled out\n"
    );
}

#[test]
fn daemon_pods_follow_node_labels_and_nodes_that_leave() {
    let c = Cluster::new();
    let f = c.file("ds.yaml", FLUENTD);
    c.ok(&["apply", "-f", &f]);
    c.ok(&[
        "patch",
        "ds",
        "fluentd-elasticsearch",
        "-n",
        "kube-system",
        "-p",
        r#"{"spec":{"template":{"spec":{"nodeSelector":{"logging":"on"}}}}}"#,
    ]);
    let counts = [
        "get",
        "ds",
        "-n",
        "kube-system",
        "-o",
        "custom-columns=DESIRED:.status.desiredNumberScheduled,SELECTOR:.spec.template.spec.nodeSelector.logging",
        "--no-headers",
    ];
    assert_text(&c.ok(&counts), "0     on\n");
    c.ok(&["label", "node", "cn-beijing.192.168.0.101", "logging=on"]);
    assert_text(&c.ok(&counts), "1     on\n");
    let on = c.ok(&["get", "pods", "-n", "kube-system", "-o", "custom-columns=NODE:.spec.nodeName", "--no-headers"]);
    assert_eq!(on, "cn-beijing.192.168.0.101\n");
    c.ok(&["delete", "node", "cn-beijing.192.168.0.101"]);
    assert_text(&c.ok(&counts), "0     on\n");
    let o = c.run(&["get", "pods", "-n", "kube-system"]);
    assert_eq!(o.stderr, "No resources found in kube-system namespace.\n");
}

#[test]
fn an_autoscaler_without_metrics_shows_unknown_and_keeps_its_bounds() {
    let c = Cluster::new();
    c.ok(&["create", "deployment", "php-apache", "--image=registry.k8s.io/hpa-example"]);
    assert_eq!(
        c.ok(&["autoscale", "deployment", "php-apache", "--cpu-percent=50", "--min=1", "--max=10"]),
        "horizontalpodautoscaler.autoscaling/php-apache autoscaled\n"
    );
    assert_text(
        &c.ok(&["get", "hpa"]),
        "NAME         REFERENCE               TARGETS              MINPODS   MAXPODS   REPLICAS   AGE
php-apache   Deployment/php-apache   cpu: <unknown>/50%   1         10        1          0s
",
    );
    let reasons = c.ok(&[
        "get",
        "events",
        "--field-selector",
        "involvedObject.kind=HorizontalPodAutoscaler",
        "-o",
        "custom-columns=REASON:.reason",
        "--no-headers",
    ]);
    assert_eq!(reasons, "FailedGetResourceMetric\nFailedComputeMetricsReplicas\n");
    c.ok(&["autoscale", "deploy/php-apache", "--min=3", "--max=5", "--name=floor"]);
    assert_eq!(c.ok(&["get", "deploy", "php-apache", "-o", "jsonpath={.spec.replicas}"]), "3");
    let o = c.run(&["autoscale", "deploy", "php-apache"]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("error: --max=MAXPODS is required and must be at least 1, max replicas: -1\n", 1)
    );
}

/// The layout checked against kubectl v1.32's `describe hpa` with ../shared/tools/kubectl-diff.sh.
#[test]
fn describe_hpa_shows_metrics_replicas_and_conditions_as_kubectl() {
    let c = Cluster::new();
    c.ok(&["create", "deployment", "web", "--image=nginx:1.27"]);
    c.ok(&["autoscale", "deployment", "web", "--min=1", "--max=5", "--cpu-percent=50"]);
    let d = c.ok(&["describe", "hpa", "web"]);
    let head: Vec<&str> = d.lines().take(15).collect();
    assert_eq!(
        head.join("\n"),
        "Name:                                                  web
Namespace:                                             default
Labels:                                                <none>
Annotations:                                           <none>
CreationTimestamp:                                     Fri, 27 Nov 2026 09:00:00 +0000
Reference:                                             Deployment/web
Metrics:                                               ( current / target )
  resource cpu on pods  (as a percentage of request):  <unknown> / 50%
Min replicas:                                          1
Max replicas:                                          5
Deployment pods:                                       1 current / 0 desired
Conditions:
  Type           Status  Reason                   Message
  ----           ------  ------                   -------
  AbleToScale    True    SucceededGetScale        the HPA controller was able to get the target's current scale"
    );
}

#[test]
fn a_new_daemonset_or_replicaset_shows_its_required_status_counts_as_zero() {
    // Go's encoder writes the status counts that have no `omitempty` (DaemonSetStatus's four,
    // ReplicaSetStatus.replicas), so the create response already shows them as 0.
    let c = Cluster::new();
    let ds = c.file(
        "ds.yaml",
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels: {app: d}\n  template:\n    metadata:\n      labels: {app: d}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n",
    );
    let out = c.ok(&["create", "-f", &ds, "--dry-run=server", "-o", "yaml"]);
    assert!(
        out.ends_with("status:\n  currentNumberScheduled: 0\n  desiredNumberScheduled: 0\n  numberMisscheduled: 0\n  numberReady: 0\n"),
        "{out}"
    );
    let rs = c.file(
        "rs.yaml",
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: r\nspec:\n  selector:\n    matchLabels: {app: r}\n  template:\n    metadata:\n      labels: {app: r}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n",
    );
    let out = c.ok(&["create", "-f", &rs, "--dry-run=server", "-o", "yaml"]);
    assert!(out.ends_with("status:\n  replicas: 0\n"), "{out}");
}

/// An autoscaling/v1 manifest (v1.32 serves v1 beside v2) is stored as its v2 form: the CPU
/// target is a CPU `Utilization` metric, and applying the same manifest again finds it.
#[test]
fn autoscaling_v1_manifests_are_created_and_applied_as_v2() {
    let c = Cluster::new();
    let v1 = "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  maxReplicas: 4\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  targetCPUUtilizationPercentage: 50\n";
    let f = c.file("hpa.yaml", v1);
    assert_eq!(c.ok(&["apply", "-f", &f]), "horizontalpodautoscaler.autoscaling/web created\n");
    let target = "jsonpath={.apiVersion} {.spec.metrics[0].resource.target.averageUtilization}";
    assert_eq!(c.ok(&["get", "hpa", "web", "-o", target]), "autoscaling/v2 50");
    assert_eq!(c.ok(&["apply", "-f", &f]), "horizontalpodautoscaler.autoscaling/web unchanged\n");
    c.file("hpa.yaml", &v1.replace("50", "70"));
    assert_eq!(c.ok(&["apply", "-f", &f]), "horizontalpodautoscaler.autoscaling/web configured\n");
    assert_eq!(c.ok(&["get", "hpa", "web", "-o", target]), "autoscaling/v2 70");
}

/// The API server fills in a given `behavior` (`SetDefaults_HorizontalPodAutoscalerBehavior`):
/// the missing direction gets its default rules, a given one keeps what it sets and gets the rest.
#[test]
fn hpa_behavior_is_defaulted_as_the_api_server_does() {
    let c = Cluster::new();
    let f = c.file(
        "hpa.yaml",
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: d\n  maxReplicas: 5\n  behavior:\n    scaleDown:\n      stabilizationWindowSeconds: 60\n",
    );
    c.ok(&["create", "-f", &f]);
    let behavior = c.ok(&["get", "hpa", "h", "-o", "jsonpath={.spec.behavior}"]);
    assert_eq!(
        behavior,
        r#"{"scaleDown":{"policies":[{"periodSeconds":15,"type":"Percent","value":100}],"selectPolicy":"Max","stabilizationWindowSeconds":60},"scaleUp":{"policies":[{"periodSeconds":15,"type":"Pods","value":4},{"periodSeconds":15,"type":"Percent","value":100}],"selectPolicy":"Max","stabilizationWindowSeconds":0}}"#
    );
    // Without a behavior nothing is added.
    c.ok(&["create", "deployment", "other", "--image=nginx"]);
    c.ok(&["autoscale", "deployment", "other", "--max=3"]);
    assert_eq!(c.ok(&["get", "hpa", "other", "-o", "jsonpath={.spec.behavior}"]), "");
}
