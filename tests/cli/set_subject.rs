//! `set subject`: users, groups and service accounts added to role bindings, as kubectl v1.32
//! adds them (expected texts printed by the real kubectl for the same command lines).

use crate::harness::Cluster;

/// What `kubectl create rolebinding admin --role=admin --user=admin --dry-run=client -o yaml`
/// prints, the input of kubectl's own `set subject --local` example.
const BINDING: &str = r#"apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  creationTimestamp: null
  name: admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: admin
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: admin
"#;

const CLUSTER_BINDING: &str = r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  creationTimestamp: null
  name: cadmin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: admin
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: g1
"#;

#[test]
fn local_subjects_are_sorted_deduplicated_and_appended() {
    let c = Cluster::new();
    let f = c.file("rb.yaml", BINDING);
    let args = ["set", "subject", "--local", "-f", &f, "--user=foo", "--user=bar", "--user=foo", "--group=zz"];
    let args: Vec<&str> =
        args.iter().copied().chain(["--serviceaccount=:sa1", "--serviceaccount=ns2:sa0", "-o", "yaml"]).collect();
    assert_eq!(
        c.ok(&args),
        r#"apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  creationTimestamp: null
  name: admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: admin
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: admin
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: bar
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: foo
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: zz
- kind: ServiceAccount
  name: sa1
  namespace: default
- kind: ServiceAccount
  name: sa0
  namespace: ns2
"#
    );
    let f = c.file("crb.yaml", CLUSTER_BINDING);
    assert_eq!(
        c.ok(&["set", "subject", "--local", "-f", &f, "--serviceaccount=ns:x", "-o", "json"]),
        r#"{
    "kind": "ClusterRoleBinding",
    "apiVersion": "rbac.authorization.k8s.io/v1",
    "metadata": {
        "name": "cadmin",
        "creationTimestamp": null
    },
    "subjects": [
        {
            "kind": "Group",
            "apiGroup": "rbac.authorization.k8s.io",
            "name": "g1"
        },
        {
            "kind": "ServiceAccount",
            "name": "x",
            "namespace": "ns"
        }
    ],
    "roleRef": {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "ClusterRole",
        "name": "admin"
    }
}
"#
    );
}

#[test]
fn local_messages_and_refusals() {
    let c = Cluster::new();
    let rb = c.file("rb.yaml", BINDING);
    let crb = c.file("crb.yaml", CLUSTER_BINDING);
    let set = |extra: &[&str]| {
        let args: Vec<&str> = ["set", "subject", "--local"].iter().chain(extra).copied().collect();
        c.run(&args)
    };
    assert_eq!(
        set(&["-f", &rb, "--user=foo"]).stdout,
        "rolebinding.rbac.authorization.k8s.io/admin subjects updated\n"
    );
    let o = set(&["-f", &rb, "--user=foo", "--dry-run=client"]);
    assert_eq!(o.stdout, "rolebinding.rbac.authorization.k8s.io/admin subjects updated (dry run)\n");
    let o = set(&["-f", &rb, "--user=admin"]);
    assert_eq!((o.code, o.stdout.as_str(), o.stderr.as_str()), (0, "", ""), "already bound: nothing to print");
    let cases: [(&[&str], &str); 6] = [
        (&["-f", &rb], "error: you must specify at least one value of user, group or serviceaccount\n"),
        (&["-f", &rb, "--serviceaccount=a"], "error: serviceaccount must be <namespace>:<name>\n"),
        (&["-f", &rb, "--serviceaccount=a:b:c"], "error: serviceaccount must be <namespace>:<name>\n"),
        (&["-f", &crb, "--serviceaccount=:x"], "error: serviceaccount must be <namespace>:<name>, namespace must be specified\n"),
        (&["-f", &rb, "--user=a", "--dry-run=server"], "error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?\n"),
        (&["rolebinding/x", "--user=a"], "error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"),
    ];
    for (args, want) in cases {
        let o = set(args);
        assert_eq!((o.code, o.stdout.as_str(), o.stderr.as_str()), (1, "", want), "{args:?}");
    }
    let cm = c.file("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n");
    let o = set(&["-f", &cm, "--user=a"]);
    let want = "error: configmap/cfg setting subjects is only supported for RoleBinding/ClusterRoleBinding\n";
    assert_eq!((o.code, o.stderr.as_str()), (1, want));
}

#[test]
fn subjects_are_added_to_bindings_in_the_cluster() {
    let c = Cluster::new();
    c.ok(&["create", "rolebinding", "rb", "--clusterrole=view", "--group=g"]);
    let subjects = ["get", "rolebinding", "rb", "-o", "jsonpath={.subjects}"];
    let before = c.ok(&subjects);
    let o = c.ok(&["set", "subject", "rolebinding", "rb", "--user=u1", "--dry-run=client"]);
    assert_eq!(o, "rolebinding.rbac.authorization.k8s.io/rb subjects updated (dry run)\n");
    let o = c.ok(&[
        "set",
        "subject",
        "rolebinding/rb",
        "--user=u1",
        "--dry-run=server",
        "-o",
        "jsonpath={.subjects[*].name}",
    ]);
    assert_eq!(o, "g u1");
    assert_eq!(c.ok(&subjects), before, "dry runs change nothing");
    let o = c.ok(&["set", "subject", "rolebinding", "rb", "--user=u1", "--serviceaccount=:bot"]);
    assert_eq!(o, "rolebinding.rbac.authorization.k8s.io/rb subjects updated\n");
    assert_eq!(
        c.ok(&subjects),
        r#"[{"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":"g"},{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"u1"},{"kind":"ServiceAccount","name":"bot","namespace":"default"}]"#
    );
    assert_eq!(c.ok(&["set", "subject", "rolebinding", "rb", "--user=u1"]), "", "already bound");
    c.ok(&["label", "rolebinding", "rb", "team=a"]);
    let o = c.ok(&["set", "subject", "rolebinding", "-l", "team=a", "--group=g2", "-o", "name"]);
    assert_eq!(o, "rolebinding.rbac.authorization.k8s.io/rb\n");
}

#[test]
fn cluster_refusals_leave_the_bindings_alone() {
    let c = Cluster::new();
    c.ok(&["create", "clusterrolebinding", "crb", "--clusterrole=view", "--group=g"]);
    c.ok(&["create", "configmap", "cfg"]);
    let before = c.snapshot();
    let cases: [(&[&str], &str); 4] = [
        (
            &["clusterrolebinding", "crb", "--serviceaccount=:x"],
            "error: serviceaccount must be <namespace>:<name>, namespace must be specified\n",
        ),
        (
            &["rolebinding", "nope", "--user=a"],
            "Error from server (NotFound): rolebindings.rbac.authorization.k8s.io \"nope\" not found\n",
        ),
        (
            &["cm", "cfg", "--user=a"],
            "error: configmaps/cfg setting subjects is only supported for RoleBinding/ClusterRoleBinding\n",
        ),
        (&["rolebinding", "--user=a"], "error: resource(s) were provided, but no name was specified\n"),
    ];
    for (args, want) in cases {
        let args: Vec<&str> = ["set", "subject"].iter().chain(args).copied().collect();
        let o = c.run(&args);
        assert_eq!((o.code, o.stderr.as_str()), (1, want), "{args:?}");
    }
    assert_eq!(c.snapshot(), before);
}
