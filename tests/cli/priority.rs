//! PriorityClasses (scheduling.k8s.io/v1) on the real binary: the built-in classes,
//! `create priorityclass`, validation and the Priority admission plugin's words.

use crate::harness::{assert_text, Cluster};

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
    assert_eq!(c.ok(&["get", "pc", "-o", "yaml"]), before, "refused requests change nothing");
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
}
