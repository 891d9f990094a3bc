//! ResourceQuotas and LimitRanges on the real binary: `create quota`, the quota controller's
//! status, `get`/`describe` (checked byte for byte against kubectl v1.32 with
//! tools/kubectl-diff.sh), the ResourceQuota and LimitRanger admission plugins' words, and a
//! Deployment held back by a pod quota.

use crate::harness::{assert_text, Cluster};

const QUOTA: &str = "apiVersion: v1
kind: ResourceQuota
metadata: {name: mem-cpu-demo}
spec:
  hard: {requests.cpu: \"1\", requests.memory: 1Gi, limits.cpu: \"2\", limits.memory: 2Gi}
";

fn pod(name: &str, req: (&str, &str), lim: (&str, &str)) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    resources:\n      requests: {{cpu: {}, memory: {}}}\n      limits: {{cpu: {}, memory: {}}}\n",
        req.0, req.1, lim.0, lim.1
    )
}

#[test]
fn a_quota_counts_and_refuses() {
    let c = Cluster::new();
    c.ok(&["apply", "-f", &c.file("quota.yaml", QUOTA)]);
    assert_text(
        &c.ok(&["get", "quota"]),
        "NAME           AGE   REQUEST                                     LIMIT
mem-cpu-demo   0s    requests.cpu: 0/1, requests.memory: 0/1Gi   limits.cpu: 0/2, limits.memory: 0/2Gi
",
    );
    c.ok(&["apply", "-f", &c.file("p1.yaml", &pod("p1", ("400m", "600Mi"), ("800m", "800Mi")))]);
    let p2 = c.file("p2.yaml", &pod("p2", ("400m", "700Mi"), ("800m", "1Gi")));
    let before = c.snapshot();
    let out = c.run(&["apply", "-f", &p2]);
    assert_eq!(out.code, 1);
    assert_text(
        &out.stderr,
        &format!("Error from server (Forbidden): error when creating \"{p2}\": pods \"p2\" is forbidden: exceeded quota: mem-cpu-demo, requested: requests.memory=700Mi, used: requests.memory=600Mi, limited: requests.memory=1Gi\n"),
    );
    assert_eq!(c.snapshot(), before);
    let bare = c.run(&["run", "bare", "--image=nginx"]);
    assert_text(
        &bare.stderr,
        "Error from server (Forbidden): pods \"bare\" is forbidden: failed quota: mem-cpu-demo: must specify limits.cpu for: bare; limits.memory for: bare; requests.cpu for: bare; requests.memory for: bare\n",
    );
    // Checked byte for byte against kubectl v1.32 (tools/kubectl-diff.sh).
    assert_text(
        &c.ok(&["describe", "quota", "mem-cpu-demo"]),
        "Name:            mem-cpu-demo
Namespace:       default
Resource         Used   Hard
--------         ----   ----
limits.cpu       800m   2
limits.memory    800Mi  2Gi
requests.cpu     400m   1
requests.memory  600Mi  1Gi
",
    );
    // Deleting the pod gives its share back (the quota controller recounts).
    c.ok(&["delete", "pod", "p1"]);
    assert_text(
        &c.ok(&["get", "quota", "mem-cpu-demo", "-o", "jsonpath={.status.used}"]),
        "{\"limits.cpu\":\"0\",\"limits.memory\":\"0\",\"requests.cpu\":\"0\",\"requests.memory\":\"0\"}",
    );
}

#[test]
fn create_quota_and_a_deployment_held_by_a_pod_quota() {
    let c = Cluster::new();
    assert_text(
        &c.ok(&["create", "quota", "q", "--hard=cpu=1,memory=1Gi,pods=2", "--scopes=BestEffort", "--dry-run=client", "-o", "yaml"]),
        "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  creationTimestamp: null\n  name: q\nspec:\n  hard:\n    cpu: \"1\"\n    memory: 1Gi\n    pods: \"2\"\n  scopes:\n  - BestEffort\nstatus: {}\n",
    );
    let bad = c.run(&["create", "quota", "q", "--hard=cpu"]);
    assert_eq!(
        (bad.code, bad.stderr.as_str()),
        (1, "error: Invalid argument syntax cpu, expected <resource>=<value>\n")
    );
    assert_text(
        &c.ok(&["create", "quota", "pod-demo", "--hard=pods=2,count/configmaps=3"]),
        "resourcequota/pod-demo created\n",
    );
    c.ok(&["create", "deployment", "web", "--image=nginx", "--replicas=3"]);
    assert_eq!(c.ok(&["get", "pods", "-o", "name"]).lines().count(), 2);
    let msg = c.ok(&["get", "events", "--field-selector", "reason=FailedCreate", "-o", "jsonpath={.items[0].message}"]);
    assert!(
        msg.starts_with("Error creating: pods \"web-")
            && msg.ends_with(
                "\" is forbidden: exceeded quota: pod-demo, requested: pods=1, used: pods=2, limited: pods=2"
            ),
        "{msg}"
    );
    assert_text(
        &c.ok(&["get", "quota", "pod-demo"]),
        "NAME       AGE   REQUEST                            LIMIT\npod-demo   0s    count/configmaps: 1/3, pods: 2/2   \n",
    );
    // Raising the quota lets the ReplicaSet finish (its next sync).
    c.ok(&["patch", "quota", "pod-demo", "-p", "{\"spec\":{\"hard\":{\"pods\":\"5\"}}}"]);
    c.ok(&["scale", "deployment", "web", "--replicas=4"]);
    assert_eq!(c.ok(&["get", "pods", "-o", "name"]).lines().count(), 4);
}

#[test]
fn limit_ranges_default_and_refuse() {
    let c = Cluster::new();
    let lr = c.file(
        "lr.yaml",
        "apiVersion: v1
kind: LimitRange
metadata: {name: cpu-min-max-demo-lr}
spec:
  limits:
  - {type: Container, max: {cpu: 800m}, min: {cpu: 200m}}
  - {type: Pod, max: {memory: 1Gi}, maxLimitRequestRatio: {memory: \"2\"}}
",
    );
    c.ok(&["apply", "-f", &lr]);
    assert_text(
        &c.ok(&["get", "limits"]),
        "NAME                  CREATED AT\ncpu-min-max-demo-lr   2026-11-27T09:00:00Z\n",
    );
    assert_text(
        &c.ok(&["describe", "limitrange", "cpu-min-max-demo-lr"]),
        "Name:       cpu-min-max-demo-lr
Namespace:  default
Type        Resource  Min   Max   Default Request  Default Limit  Max Limit/Request Ratio
----        --------  ---   ---   ---------------  -------------  -----------------------
Container   cpu       200m  800m  800m             800m           -
Pod         memory    -     1Gi   -                -              2
",
    );
    let refused = c.run(&["apply", "-f", &c.file("big.yaml", &pod("big", ("500m", "100Mi"), ("1.5", "200Mi")))]);
    assert!(
        refused
            .stderr
            .ends_with("pods \"big\" is forbidden: maximum cpu usage per Container is 800m, but limit is 1500m\n"),
        "{}",
        refused.stderr
    );
    let two = c.run(&["run", "two", "--image=nginx"]);
    assert_text(
        &two.stderr,
        "Error from server (Forbidden): pods \"two\" is forbidden: [maximum memory usage per Pod is 1Gi.  No limit is specified, memory max limit to request ratio per Pod is 2, but no request is specified or request is 0]\n",
    );
    c.ok(&["apply", "-f", &c.file("ok.yaml", &pod("ok", ("500m", "100Mi"), ("800m", "200Mi")))]);
    c.ok(&["delete", "limits", "cpu-min-max-demo-lr"]);
    c.ok(&["apply", "-f", &c.file("lr2.yaml", "apiVersion: v1\nkind: LimitRange\nmetadata: {name: defaults}\nspec:\n  limits:\n  - {type: Container, default: {cpu: \"1\"}, defaultRequest: {cpu: 500m}}\n")]);
    c.ok(&["run", "plain", "--image=nginx"]);
    assert_text(
        &c.ok(&["get", "pod", "plain", "-o", "jsonpath={.spec.containers[0].resources} {.metadata.annotations}"]),
        "{\"limits\":{\"cpu\":\"1\"},\"requests\":{\"cpu\":\"500m\"}} {\"kubernetes.io/limit-ranger\":\"LimitRanger plugin set: cpu request for container plain; cpu limit for container plain\"}",
    );
    assert_text(
        &c.ok(&["describe", "namespace", "default"]),
        "Name:         default
Labels:       kubernetes.io/metadata.name=default
Annotations:  <none>
Status:       Active

No resource quota.

Resource Limits
 Type       Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio
 ----       --------  ---  ---  ---------------  -------------  -----------------------
 Container  cpu       -    -    500m             1              -
",
    );
}
