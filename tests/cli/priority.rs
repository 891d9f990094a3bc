//! PriorityClasses (scheduling.k8s.io/v1) and the scheduler's DefaultPreemption, on the real binary:
//! the built-in classes, `create priorityclass`, validation and the Priority admission plugin's
//! words, then lower-priority pods preempted for a higher-priority one.

use crate::harness::{assert_text, Cluster};

/// A kind cluster of a control plane and two workers (8 cpu each; the control plane tainted).
fn kind3() -> Cluster {
    let c = Cluster::new();
    let mut cmd = c.command(&["get", "nodes"]);
    cmd.env("KSTATE_PROFILE", "kind").env("KSTATE_NODES", "3");
    assert!(cmd.output().expect("run kstate").status.success());
    c
}

fn events(c: &Cluster, selector: &str) -> String {
    c.ok(&["get", "events", "--field-selector", selector, "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}"])
}

#[test]
fn every_cluster_has_the_two_system_classes() {
    let c = Cluster::new();
    assert_text(
        &c.ok(&["get", "priorityclasses"]),
        "NAME                      VALUE        GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY
system-cluster-critical   2000000000   false            0s    PreemptLowerPriority
system-node-critical      2000001000   false            0s    PreemptLowerPriority
",
    );
    assert_text(
        &c.ok(&["describe", "pc", "system-node-critical"]),
        "Name:              system-node-critical
Value:             2000001000
GlobalDefault:     false
PreemptionPolicy:  PreemptLowerPriority
Description:       Used for system critical pods that must not be moved from their current node.
Annotations:       <none>
Events:            <none>
",
    );
    let yaml = c.ok(&["get", "pc", "system-cluster-critical", "-o", "yaml"]);
    assert!(yaml.starts_with("apiVersion: scheduling.k8s.io/v1\ndescription: Used for system critical pods that must run in the cluster, but can be\n  moved to another node if necessary.\nkind: PriorityClass\nmetadata:\n  creationTimestamp: \"2026-11-27T09:00:00Z\"\n  generation: 1\n  name: system-cluster-critical\n"), "{yaml}");
    assert!(yaml.ends_with("preemptionPolicy: PreemptLowerPriority\nvalue: 2000000000\n"), "{yaml}");
}

#[test]
fn create_priorityclass_and_its_rules() {
    let c = Cluster::new();
    assert_text(
        &c.ok(&[
            "create",
            "priorityclass",
            "batch",
            "--value=-10",
            "--global-default",
            "--dry-run=client",
            "-o",
            "yaml",
        ]),
        "apiVersion: scheduling.k8s.io/v1
globalDefault: true
kind: PriorityClass
metadata:
  creationTimestamp: null
  name: batch
preemptionPolicy: PreemptLowerPriority
value: -10
",
    );
    assert_eq!(
        c.ok(&[
            "create",
            "priorityclass",
            "high",
            "--value=1000",
            "--description=payments",
            "--preemption-policy=Never"
        ]),
        "priorityclass.scheduling.k8s.io/high created\n"
    );
    assert_eq!(
        c.ok(&["create", "pc", "low", "--value=-10", "--global-default"]),
        "priorityclass.scheduling.k8s.io/low created\n"
    );
    assert_text(
        &c.ok(&["describe", "priorityclass", "high"]),
        "Name:              high
Value:             1000
GlobalDefault:     false
PreemptionPolicy:  Never
Description:       payments
Annotations:       <none>
Events:            <none>
",
    );
    let before = c.ok(&["get", "pc", "-o", "yaml"]);
    let refused = [
        (
            vec!["create", "pc", "other", "--global-default"],
            "Error from server (Forbidden): priorityclasses.scheduling.k8s.io \"other\" is forbidden: PriorityClass low is already marked as default. Only one default can exist\n",
        ),
        (
            vec!["create", "pc", "system-mine", "--value=1"],
            "The PriorityClass \"system-mine\" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class\n",
        ),
        (
            vec!["create", "pc", "huge", "--value=1000000001"],
            "The PriorityClass \"huge\" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000\n",
        ),
        (
            vec!["create", "pc", "odd", "--preemption-policy=Sometimes"],
            "The PriorityClass \"odd\" is invalid: preemptionPolicy: Unsupported value: \"Sometimes\": supported values: \"Never\", \"PreemptLowerPriority\"\n",
        ),
    ];
    for (args, want) in refused {
        let o = c.run(&args);
        assert_eq!((o.stderr.as_str(), o.code), (want, 1), "{args:?}");
    }
    let f = c.file(
        "high.yaml",
        "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 2000\n",
    );
    let o = c.run(&["replace", "-f", &f]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("The PriorityClass \"high\" is invalid: \n* value: Forbidden: may not be changed in an update.\n* preemptionPolicy: Invalid value: \"PreemptLowerPriority\": field is immutable\n", 1)
    );
    let o = c.run(&["delete", "pc", "system-node-critical"]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("Error from server (Forbidden): priorityclasses.scheduling.k8s.io \"system-node-critical\" is forbidden: this is a system priority class and cannot be deleted\n", 1)
    );
    assert_eq!(c.ok(&["get", "pc", "-o", "yaml"]), before, "refused requests change nothing");
    assert_eq!(c.ok(&["delete", "pc", "high"]), "priorityclass.scheduling.k8s.io \"high\" deleted\n");
}

fn pod_with(name: &str, spec_extra: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n{spec_extra}  containers: [{{name: c, image: nginx}}]\n")
}

#[test]
fn admission_resolves_the_class_into_priority_and_policy() {
    let c = Cluster::new();
    let f = c.file("a.yaml", &pod_with("a", ""));
    c.ok(&["create", "-f", &f]);
    let fields = |pod: &str| {
        c.ok(&["get", "pod", pod, "-o", "jsonpath={.spec.priorityClassName}/{.spec.priority}/{.spec.preemptionPolicy}"])
    };
    assert_eq!(fields("a"), "/0/PreemptLowerPriority");
    let f = c.file("x.yaml", &pod_with("x", "  priorityClassName: foo\n"));
    let o = c.run(&["create", "-f", &f]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        (format!("Error from server (Forbidden): error when creating \"{f}\": pods \"x\" is forbidden: no PriorityClass with name foo was found\n").as_str(), 1)
    );
    c.ok(&["create", "pc", "high", "--value=1000", "--preemption-policy=Never"]);
    let f = c.file("b.yaml", &pod_with("b", "  priorityClassName: high\n"));
    c.ok(&["create", "-f", &f]);
    assert_eq!(fields("b"), "high/1000/Never");
    let describe = c.ok(&["describe", "pod", "b"]);
    assert!(
        describe.contains("\nPriority:             1000\nPriority Class Name:  high\nService Account:      default\n"),
        "{describe}"
    );
    let f = c.file("pinned.yaml", &pod_with("pinned", "  priorityClassName: high\n  priority: 7\n"));
    let o = c.run(&["create", "-f", &f]);
    assert_eq!(
        o.stderr,
        format!("Error from server (Forbidden): error when creating \"{f}\": pods \"pinned\" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name\n")
    );
    c.ok(&["create", "pc", "everyone", "--value=5", "--global-default"]);
    let f = c.file("d.yaml", &pod_with("d", ""));
    c.ok(&["create", "-f", &f]);
    assert_eq!(fields("d"), "everyone/5/PreemptLowerPriority");
    // An update keeps what admission set.
    c.ok(&["label", "pod", "b", "tier=vip"]);
    assert_eq!(fields("b"), "high/1000/Never");
    assert_eq!(c.run(&["get", "pod", "x"]).code, 1, "the refused pod was not created");
    // A controller's pod is refused before its name is generated: the event names the prefix.
    let deploy = "apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec:
      priorityClassName: nope
      containers: [{name: c, image: nginx}]
";
    let f = c.file("d.yaml", deploy);
    c.ok(&["apply", "-f", &f]);
    let rs = c.ok(&["get", "rs", "-l", "app=d", "-o", "jsonpath={.items[0].metadata.name}"]);
    assert_eq!(
        c.ok(&["get", "events", "--field-selector", "reason=FailedCreate", "-o", "jsonpath={.items[*].message}"]),
        format!("Error creating: pods \"{rs}-\" is forbidden: no PriorityClass with name nope was found")
    );
}

/// Two low-priority StatefulSet pods (6 cpu each) fill the two workers; a 4-cpu pod of a higher
/// class preempts one, is nominated while its victim terminates, then runs; the victim's
/// replacement stays Pending.
#[test]
fn a_higher_priority_pod_preempts_a_statefulset_pod() {
    let mut c = kind3();
    let sts = "apiVersion: apps/v1
kind: StatefulSet
metadata: {name: batch}
spec:
  serviceName: batch
  replicas: 2
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: batch}}
  template:
    metadata: {labels: {app: batch}}
    spec:
      containers:
      - name: c
        image: busybox
        command: [sleep, \"3600\"]
        resources: {requests: {cpu: \"6\"}}
";
    let f = c.file("sts.yaml", sts);
    c.ok(&["apply", "-f", &f]);
    c.ok(&["create", "priorityclass", "vip", "--value=1000"]);
    let vip = "apiVersion: v1
kind: Pod
metadata: {name: vip}
spec:
  priorityClassName: vip
  containers:
  - name: c
    image: nginx
    resources: {requests: {cpu: \"4\"}}
";
    let f = c.file("vip.yaml", vip);
    c.ok(&["apply", "-f", &f]);
    let uid = c.ok(&["get", "pod", "vip", "-o", "jsonpath={.metadata.uid}"]);
    assert_text(
        &c.ok(&["get", "pods", "-o", "wide"]),
        "NAME      READY   STATUS        RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES
batch-0   1/1     Terminating   0          0s    10.244.1.2   kind-worker    <none>           <none>
batch-1   1/1     Running       0          0s    10.244.2.2   kind-worker2   <none>           <none>
vip       0/1     Pending       0          0s    <none>       <none>         kind-worker      <none>
",
    );
    assert_eq!(
        events(&c, "involvedObject.name=vip,reason=FailedScheduling"),
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.\n"
    );
    assert_eq!(events(&c, "reason=Preempted"), format!("Preempted by pod {uid} on node kind-worker\n"));
    assert_eq!(
        c.ok(&["get", "pod", "batch-0", "-o", "jsonpath={.status.conditions[?(@.type==\"DisruptionTarget\")]}"]),
        format!("{{\"lastProbeTime\":null,\"lastTransitionTime\":\"2026-11-27T09:00:00Z\",\"message\":\"default-scheduler: preempting to accommodate a higher priority pod\",\"reason\":\"PreemptionByScheduler\",\"status\":\"True\",\"type\":\"DisruptionTarget\"}}")
    );
    // The victim's 30 s grace period ends; the preemptor takes the room kept for it.
    c.at("2026-11-27T09:00:31Z");
    assert_text(
        &c.ok(&["get", "pods", "-o", "wide"]),
        "NAME      READY   STATUS    RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES
batch-0   0/1     Pending   0          1s    <none>       <none>         <none>           <none>
batch-1   1/1     Running   0          31s   10.244.2.2   kind-worker2   <none>           <none>
vip       1/1     Running   0          31s   10.244.1.3   kind-worker    <none>           <none>
",
    );
    assert_eq!(
        events(&c, "involvedObject.name=batch-0,reason=FailedScheduling"),
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.\n"
    );
}

/// A low-priority Deployment's pods fill the workers; the high-priority pod evicts exactly one
/// (the fewest victims), on the node whose victims no PodDisruptionBudget protects.
#[test]
fn preemption_takes_the_fewest_victims_and_spares_budgets() {
    let c = kind3();
    c.ok(&["create", "priorityclass", "low", "--value=-5"]);
    c.ok(&["create", "priorityclass", "high", "--value=100"]);
    let manifests = "apiVersion: apps/v1
kind: Deployment
metadata: {name: guarded}
spec:
  replicas: 2
  selector: {matchLabels: {app: guarded}}
  template:
    metadata: {labels: {app: guarded}}
    spec:
      priorityClassName: low
      nodeSelector: {kubernetes.io/hostname: kind-worker}
      containers: [{name: c, image: nginx, resources: {requests: {cpu: \"3\"}}}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: guarded}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: guarded}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: free}
spec:
  replicas: 2
  selector: {matchLabels: {app: free}}
  template:
    metadata: {labels: {app: free}}
    spec:
      priorityClassName: low
      nodeSelector: {kubernetes.io/hostname: kind-worker2}
      containers: [{name: c, image: nginx, resources: {requests: {cpu: \"3\"}}}]
";
    let f = c.file("low.yaml", manifests);
    c.ok(&["apply", "-f", &f]);
    let vip = "apiVersion: v1
kind: Pod
metadata: {name: vip}
spec:
  priorityClassName: high
  containers: [{name: c, image: nginx, resources: {requests: {cpu: \"4\"}}}]
";
    let f = c.file("vip.yaml", vip);
    c.ok(&["apply", "-f", &f]);
    let preempted = c.ok(&[
        "get",
        "events",
        "--field-selector",
        "reason=Preempted",
        "-o",
        "jsonpath={range .items[*]}{.involvedObject.name}{\"\\n\"}{end}",
    ]);
    assert_eq!(preempted.lines().count(), 1, "{preempted}");
    assert!(preempted.starts_with("free-"), "{preempted}");
    assert_eq!(c.ok(&["get", "pod", "vip", "-o", "jsonpath={.spec.nodeName}"]), "kind-worker2");
    let pending = c.ok(&["get", "pods", "--field-selector", "status.phase=Pending", "-o", "name"]);
    assert_eq!(pending.lines().count(), 1, "the victim's replacement waits: {pending}");
}

#[test]
fn preemption_explains_why_it_cannot_help() {
    let c = kind3();
    c.ok(&["create", "priorityclass", "high", "--value=100"]);
    c.ok(&["create", "priorityclass", "polite", "--value=100", "--preemption-policy=Never"]);
    let hog = |name: &str, class: &str, cpu: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  priorityClassName: {class}\n  containers: [{{name: c, image: nginx, resources: {{requests: {{cpu: \"{cpu}\"}}}}}}]\n"
        )
    };
    c.ok(&["create", "pc", "low", "--value=1"]);
    for name in ["low-a", "low-b"] {
        let f = c.file(&format!("{name}.yaml"), &hog(name, "low", "5"));
        c.ok(&["create", "-f", &f]);
    }
    // Never preempts: the scheduler says so.
    let f = c.file("polite.yaml", &hog("polite", "polite", "4"));
    c.ok(&["create", "-f", &f]);
    assert_eq!(
        events(&c, "involvedObject.name=polite"),
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.\n"
    );
    // Evicting every lower-priority pod would still not make room for 9 cpus.
    let f = c.file("giant.yaml", &hog("giant", "high", "9"));
    c.ok(&["create", "-f", &f]);
    assert_eq!(
        events(&c, "involvedObject.name=giant"),
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 Insufficient cpu.\n"
    );
    assert_eq!(events(&c, "reason=Preempted"), "");
    assert_eq!(
        c.ok(&["get", "pods", "--field-selector", "status.phase=Running", "-o", "name"]),
        "pod/low-a\npod/low-b\n"
    );
}

/// A nominated pod whose node becomes unschedulable preempts elsewhere; when no node would do it
/// loses its nomination (preemption found no candidate), and it gets one back without new victims
/// once a node whose victim is still terminating is usable again.
#[test]
fn a_nomination_is_dropped_when_no_node_would_do() {
    let c = kind3();
    let sts = "apiVersion: apps/v1
kind: StatefulSet
metadata: {name: batch}
spec:
  serviceName: batch
  replicas: 2
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: batch}}
  template:
    metadata: {labels: {app: batch}}
    spec:
      containers: [{name: c, image: busybox, command: [sleep, \"3600\"], resources: {requests: {cpu: \"6\"}}}]
";
    let f = c.file("sts.yaml", sts);
    c.ok(&["apply", "-f", &f]);
    c.ok(&["create", "priorityclass", "vip", "--value=1000"]);
    let vip = "apiVersion: v1
kind: Pod
metadata: {name: vip}
spec:
  priorityClassName: vip
  containers: [{name: c, image: nginx, resources: {requests: {cpu: \"4\"}}}]
";
    let f = c.file("vip.yaml", vip);
    c.ok(&["apply", "-f", &f]);
    let nominated = || c.ok(&["get", "pod", "vip", "-o", "jsonpath={.status.nominatedNodeName}"]);
    assert_eq!(nominated(), "kind-worker");
    c.ok(&["cordon", "kind-worker"]);
    assert_eq!(nominated(), "kind-worker2");
    assert_eq!(events(&c, "reason=Preempted").lines().count(), 2);
    c.ok(&["cordon", "kind-worker2"]);
    assert_eq!(nominated(), "");
    assert_eq!(
        c.ok(&["get", "events", "--field-selector", "involvedObject.name=vip", "-o", "jsonpath={.items[-1:].message}"]),
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    );
    c.ok(&["uncordon", "kind-worker"]);
    assert_eq!(nominated(), "kind-worker");
    assert_eq!(events(&c, "reason=Preempted").lines().count(), 2, "a terminating victim is not preempted again");
}

/// When room frees up, the pending pods are tried most important first (PrioritySort), whatever
/// their names.
#[test]
fn freed_room_goes_to_the_more_important_pending_pod() {
    let c = kind3();
    c.ok(&["create", "priorityclass", "polite", "--value=100", "--preemption-policy=Never"]);
    let hog = |name: &str, extra: &str, node: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n{extra}  nodeSelector: {{kubernetes.io/hostname: {node}}}\n  terminationGracePeriodSeconds: 0\n  containers: [{{name: c, image: nginx, resources: {{requests: {{cpu: \"5\"}}}}}}]\n"
        )
    };
    for (name, extra) in [("filler", ""), ("a-low", ""), ("z-polite", "  priorityClassName: polite\n")] {
        let f = c.file(&format!("{name}.yaml"), &hog(name, extra, "kind-worker"));
        c.ok(&["create", "-f", &f]);
    }
    let phase = |p: &str| c.ok(&["get", "pod", p, "-o", "jsonpath={.status.phase}"]);
    assert_eq!((phase("a-low"), phase("z-polite")), ("Pending".to_string(), "Pending".to_string()));
    c.ok(&["delete", "pod", "filler"]);
    assert_eq!((phase("a-low"), phase("z-polite")), ("Pending".to_string(), "Running".to_string()));
}
