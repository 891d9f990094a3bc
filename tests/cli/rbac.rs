//! RBAC (rbac.authorization.k8s.io/v1) on the real binary: the bootstrap roles and bindings a
//! cluster starts with, the kubernetes.io RBAC page's Role and RoleBinding, `create role|
//! clusterrole|rolebinding|clusterrolebinding` with kubectl's checks, the API server's
//! validation, and ClusterRole aggregation. Describe layouts were checked against kubectl v1.32.

use crate::harness::{assert_text, Cluster};

/// The Role and RoleBinding of kubernetes.io's "Using RBAC Authorization" page.
const POD_READER: &str = "apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  namespace: default
  name: pod-reader
rules:
- apiGroups: [\"\"] # \"\" indicates the core API group
  resources: [\"pods\"]
  verbs: [\"get\", \"watch\", \"list\"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
  namespace: default
subjects:
- kind: User
  name: jane # \"name\" is case sensitive
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: Role #this must be Role or ClusterRole
  name: pod-reader # this must match the name of the Role or ClusterRole you wish to bind to
  apiGroup: rbac.authorization.k8s.io
";

#[test]
fn a_cluster_starts_with_the_bootstrap_roles() {
    let c = Cluster::new();
    assert_text(
        &c.ok(&["get", "clusterroles"]),
        "NAME                        CREATED AT
admin                       2026-11-27T09:00:00Z
cluster-admin               2026-11-27T09:00:00Z
edit                        2026-11-27T09:00:00Z
system:aggregate-to-admin   2026-11-27T09:00:00Z
system:aggregate-to-edit    2026-11-27T09:00:00Z
system:aggregate-to-view    2026-11-27T09:00:00Z
system:basic-user           2026-11-27T09:00:00Z
system:discovery            2026-11-27T09:00:00Z
system:public-info-viewer   2026-11-27T09:00:00Z
view                        2026-11-27T09:00:00Z
",
    );
    assert_text(
        &c.ok(&["describe", "clusterrole", "cluster-admin"]),
        "Name:         cluster-admin
Labels:       kubernetes.io/bootstrapping=rbac-defaults
Annotations:  rbac.authorization.kubernetes.io/autoupdate: true
PolicyRule:
  Resources  Non-Resource URLs  Resource Names  Verbs
  ---------  -----------------  --------------  -----
  *.*        []                 []              [*]
             [*]                []              [*]
",
    );
    assert_text(
        &c.ok(&["get", "clusterrolebinding", "cluster-admin", "-o", "wide"]),
        "NAME            ROLE                        AGE   USERS   GROUPS           SERVICEACCOUNTS
cluster-admin   ClusterRole/cluster-admin   0s            system:masters   
",
    );
    // view's rules are aggregated from system:aggregate-to-view; edit's include view's.
    let view = c.ok(&["describe", "clusterrole", "view"]);
    assert!(
        view.contains(
            "  pods                                         []                 []              [get list watch]\n"
        ),
        "{view}"
    );
    let edit = c.ok(&["get", "clusterrole", "edit", "-o", "jsonpath={.rules[*].resources}"]);
    assert!(edit.contains("pods/exec") && edit.contains("controllerrevisions"), "{edit}");
}

#[test]
fn the_rbac_page_role_and_binding() {
    let c = Cluster::new();
    let f = c.file("rbac.yaml", POD_READER);
    assert_text(
        &c.ok(&["apply", "-f", &f]),
        "role.rbac.authorization.k8s.io/pod-reader created\nrolebinding.rbac.authorization.k8s.io/read-pods created\n",
    );
    assert_text(
        &c.ok(&["get", "roles,rolebindings", "-o", "wide"]),
        "NAME                                        CREATED AT
role.rbac.authorization.k8s.io/pod-reader   2026-11-27T09:00:00Z

NAME                                              ROLE              AGE   USERS   GROUPS   SERVICEACCOUNTS
rolebinding.rbac.authorization.k8s.io/read-pods   Role/pod-reader   0s    jane             
",
    );
    assert_text(
        &c.ok(&["describe", "role", "pod-reader"]),
        "Name:         pod-reader
Labels:       <none>
Annotations:  <none>
PolicyRule:
  Resources  Non-Resource URLs  Resource Names  Verbs
  ---------  -----------------  --------------  -----
  pods       []                 []              [get watch list]
",
    );
    assert_text(
        &c.ok(&["describe", "rolebinding", "read-pods"]),
        "Name:         read-pods
Labels:       <none>
Annotations:  <none>
Role:
  Kind:  Role
  Name:  pod-reader
Subjects:
  Kind  Name  Namespace
  ----  ----  ---------
  User  jane  
",
    );
    // The roleRef is fixed for good.
    let o = c.run(&["patch", "rolebinding", "read-pods", "--type=merge", "-p", "{\"roleRef\":{\"name\":\"other\"}}"]);
    assert_eq!(o.code, 1);
    assert_text(&o.stderr, "The RoleBinding \"read-pods\" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"other\"}: cannot change roleRef\n");
    // Deleting the namespace's contents takes the role and binding with it.
    c.ok(&["create", "namespace", "team"]);
    c.ok(&["create", "role", "r", "-n", "team", "--verb=get", "--resource=pods"]);
    c.ok(&["delete", "namespace", "team"]);
    assert_text(&c.run(&["get", "roles", "-n", "team"]).stderr, "No resources found in team namespace.\n");
}

#[test]
fn the_api_server_validates_roles_and_bindings() {
    let c = Cluster::new();
    let f = c.file(
        "bad.yaml",
        "apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: bad}
roleRef: {kind: Foo, name: \"\"}
subjects:
- {kind: User, name: \"\"}
- {kind: ServiceAccount, name: sa, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: bad}
rules:
- {apiGroups: [\"\"], resources: [pods, secrets], resourceNames: [x], verbs: [get]}
- {nonResourceURLs: [/healthz], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: a%b}
roleRef: {kind: Role, name: x}
subjects:
- {kind: ServiceAccount, name: sa}
",
    );
    let o = c.run(&["apply", "-f", &f]);
    assert_eq!(o.code, 1);
    let path = f.as_str();
    assert_text(
        &o.stderr,
        &format!("Error from server (Invalid): error when creating \"{path}\": RoleBinding.rbac.authorization.k8s.io \"bad\" is invalid: [roleRef.kind: Unsupported value: \"Foo\": supported values: \"Role\", \"ClusterRole\", roleRef.name: Required value, subjects[0].name: Required value, subjects[0].name: Invalid value: \"\": user name cannot be empty, subjects[1].apiGroup: Unsupported value: \"rbac.authorization.k8s.io\": supported values: \"\"]
Error from server (Invalid): error when creating \"{path}\": Role.rbac.authorization.k8s.io \"bad\" is invalid: [rules[0].resourceNames: Required value: resource names cannot apply to multiple resources, rules[1].nonResourceURLs: Invalid value: []string{{\"/healthz\"}}: namespaced rules cannot apply to non-resource URLs]
Error from server (Invalid): error when creating \"{path}\": ClusterRoleBinding.rbac.authorization.k8s.io \"a%b\" is invalid: [metadata.name: Invalid value: \"a%b\": may not contain '%', roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\", subjects[0].namespace: Required value]
"),
    );
}

#[test]
fn create_role_and_clusterrole_as_kubectl_builds_them() {
    let c = Cluster::new();
    assert_text(
        &c.ok(&[
            "create",
            "role",
            "foo",
            "--verb=get,list,watch",
            "--resource=rs.apps,pods,pods/status,sa",
            "--resource-name=a",
            "--dry-run=client",
            "-o",
            "yaml",
        ]),
        "apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  creationTimestamp: null
  name: foo
rules:
- apiGroups:
  - \"\"
  resourceNames:
  - a
  resources:
  - pods
  - pods/status
  - serviceaccounts
  verbs:
  - get
  - list
  - watch
- apiGroups:
  - apps
  resourceNames:
  - a
  resources:
  - replicasets
  verbs:
  - get
  - list
  - watch
",
    );
    assert_text(
        &c.ok(&[
            "create",
            "clusterrole",
            "c",
            "--verb=get,post",
            "--non-resource-url=/logs/*,/healthz",
            "--dry-run=client",
            "-o",
            "yaml",
        ]),
        "apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  creationTimestamp: null
  name: c
rules:
- nonResourceURLs:
  - /logs/*
  - /healthz
  verbs:
  - get
  - post
",
    );
    let refusals: &[(&[&str], &str)] = &[
        (&["role", "r", "--verb=get", "--resource=foo"], "the server doesn't have a resource type \"foo\"\n"),
        (&["role", "r", "--verb=get", "--resource=foo.bar"], "the server doesn't have a resource type \"foo\" in group \"bar\"\n"),
        (&["role", "r", "--verb=use", "--resource=pods"], "error: can not perform 'use' on 'pods' in group ''\n"),
        (&["role", "r", "--resource=pods"], "error: at least one verb must be specified\n"),
        (&["role", "r", "--verb=get"], "error: at least one resource must be specified\n"),
        (&["role", "r", "--verb=get", "--resource=.apps"], "error: resource must be specified if apiGroup/subresource specified\n"),
        (&["clusterrole", "c", "--verb=get", "--non-resource-url=logs"], "error: nonResourceURL should start with /\n"),
        (&["clusterrole", "c", "--verb=watch", "--non-resource-url=/x"], "error: invalid verb: 'watch' for nonResourceURL\n"),
        (&["clusterrole", "c", "--verb=get"], "error: one of resource or nonResourceURL must be specified\n"),
        (&["clusterrole", "c", "--verb=get", "--aggregation-rule=a=b"], "error: aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames\n"),
        (&["rolebinding", "b", "--role=a", "--clusterrole=b"], "error: exactly one of clusterrole or role must be specified\n"),
        (&["rolebinding", "b", "--role=a", "--serviceaccount=nope"], "error: serviceaccount must be <namespace>:<name>\n"),
        (&["clusterrolebinding", "cluster-admin", "--clusterrole=view"], "error: failed to create clusterrolebinding: clusterrolebindings.rbac.authorization.k8s.io \"cluster-admin\" already exists\n"),
    ];
    for (args, want) in refusals {
        let mut argv = vec!["create"];
        argv.extend_from_slice(args);
        let o = c.run(&argv);
        assert_eq!(o.code, 1, "{args:?}");
        assert_text(&o.stderr, want);
    }
    let o = c.run(&["create", "role", "odd", "--verb=frob", "--resource=pods"]);
    assert_text(&o.stderr, "Warning: 'frob' is not a standard resource verb\n");
    assert_text(&o.stdout, "role.rbac.authorization.k8s.io/odd created\n");
}

#[test]
fn bindings_and_aggregated_cluster_roles() {
    let c = Cluster::new();
    assert_text(
        &c.ok(&[
            "create",
            "rolebinding",
            "admin",
            "--clusterrole=admin",
            "--user=user1",
            "--user=user2",
            "--group=group1",
            "--serviceaccount=default:myapp",
        ]),
        "rolebinding.rbac.authorization.k8s.io/admin created\n",
    );
    assert_text(
        &c.ok(&["get", "rolebinding", "admin", "-o", "wide"]),
        "NAME    ROLE                AGE   USERS          GROUPS   SERVICEACCOUNTS
admin   ClusterRole/admin   0s    user1, user2   group1   default/myapp
",
    );
    assert_text(
        &c.ok(&["describe", "rolebinding", "admin"]),
        "Name:         admin
Labels:       <none>
Annotations:  <none>
Role:
  Kind:  ClusterRole
  Name:  admin
Subjects:
  Kind            Name    Namespace
  ----            ----    ---------
  User            user1   
  User            user2   
  Group           group1  
  ServiceAccount  myapp   default
",
    );
    c.ok(&["create", "clusterrole", "monitoring", "--aggregation-rule=rbac.example.com/aggregate-to-monitoring=true"]);
    assert!(c.ok(&["get", "clusterrole", "monitoring", "-o", "yaml"]).ends_with("rules: null\n"));
    c.ok(&["create", "clusterrole", "monitoring-endpoints", "--verb=get,list", "--resource=endpoints,services"]);
    c.ok(&["label", "clusterrole", "monitoring-endpoints", "rbac.example.com/aggregate-to-monitoring=true"]);
    assert_text(
        &c.ok(&["describe", "clusterrole", "monitoring"]),
        "Name:         monitoring
Labels:       <none>
Annotations:  <none>
PolicyRule:
  Resources  Non-Resource URLs  Resource Names  Verbs
  ---------  -----------------  --------------  -----
  endpoints  []                 []              [get list]
  services   []                 []              [get list]
",
    );
}

#[test]
fn can_i_as_a_service_account_follows_its_bindings() {
    let c = Cluster::new();
    c.ok(&["create", "namespace", "dev"]);
    c.ok(&["create", "role", "pod-reader", "-n", "dev", "--verb=get,list", "--resource=pods"]);
    c.ok(&["create", "rolebinding", "read", "-n", "dev", "--role=pod-reader", "--serviceaccount=dev:app"]);
    let sa = "--as=system:serviceaccount:dev:app";
    let answer = |args: &[&str]| {
        let mut argv = vec!["auth", "can-i"];
        argv.extend_from_slice(args);
        argv.push(sa);
        let o = c.run(&argv);
        (o.stdout, o.code)
    };
    assert_eq!(answer(&["list", "pods", "-n", "dev"]), ("yes\n".to_string(), 0));
    assert_eq!(answer(&["delete", "pods", "-n", "dev"]), ("no\n".to_string(), 1));
    assert_eq!(answer(&["get", "pods", "-n", "default"]), ("no\n".to_string(), 1));
    // Every authenticated user may read the discovery URLs (system:discovery).
    assert_eq!(answer(&["get", "/healthz"]), ("yes\n".to_string(), 0));
    // The bootstrap view role, bound to every service account, opens reads everywhere.
    c.ok(&["create", "clusterrolebinding", "view-all", "--clusterrole=view", "--group=system:serviceaccounts"]);
    assert_eq!(answer(&["list", "deployments.apps", "-n", "default"]), ("yes\n".to_string(), 0));
    assert_eq!(answer(&["get", "secrets", "-n", "default"]), ("no\n".to_string(), 1));
    // Without --as the user is the cluster admin.
    assert_eq!(c.ok(&["auth", "can-i", "delete", "secrets"]), "yes\n");
}
