//! ServiceAccounts on the real binary: the `default` account of every namespace, `create
//! serviceaccount`, `describe sa`, the ServiceAccount admission plugin's refusal, and a workload
//! whose pods wait for their account.

use crate::harness::{assert_text, Cluster};

#[test]
fn every_namespace_has_a_default_account() {
    let c = Cluster::new();
    assert_text(
        &c.ok(&["get", "sa", "-A"]),
        "NAMESPACE         NAME      SECRETS   AGE
default           default   0         0s
kube-node-lease   default   0         0s
kube-public       default   0         0s
kube-system       default   0         0s
",
    );
    c.ok(&["create", "namespace", "shop"]);
    assert_text(&c.ok(&["get", "serviceaccounts", "-n", "shop"]), "NAME      SECRETS   AGE\ndefault   0         0s\n");
    // Deleted, the controller makes it again; it goes with its namespace.
    assert_text(&c.ok(&["delete", "sa", "default", "-n", "shop"]), "serviceaccount \"default\" deleted\n");
    assert_text(&c.ok(&["get", "sa", "-n", "shop", "-o", "name"]), "serviceaccount/default\n");
    c.ok(&["delete", "namespace", "shop"]);
    let all = c.ok(&["get", "sa", "-A", "-o", "name"]);
    assert_eq!(all.lines().count(), 4, "{all}");
}

#[test]
fn create_serviceaccount_and_describe_it() {
    let c = Cluster::new();
    assert_text(
        &c.ok(&["create", "serviceaccount", "bot", "--dry-run=client", "-o", "yaml"]),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  creationTimestamp: null\n  name: bot\n",
    );
    assert_text(&c.ok(&["create", "sa", "bot"]), "serviceaccount/bot created\n");
    let bad = c.run(&["create", "sa", "Bad_Name"]);
    assert_eq!(bad.code, 1);
    assert_text(
        &bad.stderr,
        "The ServiceAccount \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n",
    );
    let manifest = c.file(
        "builder.yaml",
        "apiVersion: v1
kind: ServiceAccount
metadata:
  name: builder
  labels: {app: ci}
  annotations: {note: hello}
secrets:
- name: build-token
- name: missing-one
imagePullSecrets:
- name: regcred
- name: gone
---
apiVersion: v1
kind: Secret
metadata: {name: regcred}
---
apiVersion: v1
kind: Secret
metadata: {name: build-token}
",
    );
    c.ok(&["apply", "-f", &manifest]);
    let uid = c.ok(&["get", "sa", "builder", "-o", "jsonpath={.metadata.uid}"]);
    let token = format!(
        "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/service-account-token\nmetadata:\n  name: builder-tok\n  annotations:\n    kubernetes.io/service-account.name: builder\n    kubernetes.io/service-account.uid: {uid}\n"
    );
    c.run_stdin(&["apply", "-f", "-"], &token);
    // Checked byte for byte against kubectl v1.32 (tools/kubectl-diff.sh).
    assert_text(
        &c.ok(&["describe", "sa", "builder"]),
        "Name:                builder
Namespace:           default
Labels:              app=ci
Annotations:         note: hello
Image pull secrets:  regcred
                     gone (not found)
Mountable secrets:   build-token
                     missing-one (not found)
Tokens:              builder-tok
Events:              <none>
",
    );
    assert_text(
        &c.ok(&["get", "sa"]),
        "NAME      SECRETS   AGE\nbot       0         0s\nbuilder   2         0s\ndefault   0         0s\n",
    );
    // The account's pull secrets go to its pods; its automount setting too.
    let pod = c.file(
        "p.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  serviceAccountName: builder\n  containers: [{name: c, image: nginx}]\n",
    );
    c.ok(&["apply", "-f", &pod]);
    assert_text(
        &c.ok(&["get", "pod", "p", "-o", "jsonpath={.spec.imagePullSecrets[*].name} {.spec.serviceAccount}"]),
        "regcred gone builder",
    );
}

#[test]
fn a_pod_needs_its_account_and_a_workload_waits_for_it() {
    let c = Cluster::new();
    let pod = c.file(
        "p.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  serviceAccountName: ghost\n  containers: [{name: c, image: nginx}]\n",
    );
    let before = c.snapshot();
    let out = c.run(&["apply", "-f", &pod]);
    assert_eq!(out.code, 1);
    assert_text(
        &out.stderr,
        &format!("Error from server (Forbidden): error when creating \"{pod}\": pods \"p\" is forbidden: error looking up service account default/ghost: serviceaccount \"ghost\" not found\n"),
    );
    assert_eq!(c.snapshot(), before);
    c.ok(&["create", "deployment", "web", "--image=nginx"]);
    c.ok(&["set", "serviceaccount", "deployment", "web", "builder"]);
    let events =
        c.ok(&["get", "events", "--field-selector", "reason=FailedCreate", "-o", "jsonpath={.items[0].message}"]);
    assert!(
        events.starts_with("Error creating: pods \"web-")
            && events.ends_with("-\" is forbidden: error looking up service account default/builder: serviceaccount \"builder\" not found"),
        "{events}"
    );
    // Once the account exists, the ReplicaSet creates its pod.
    c.ok(&["create", "sa", "builder"]);
    let pods = c.ok(&["get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.serviceAccountName}"]);
    assert_eq!(pods.split(' ').filter(|s| *s == "builder").count(), 1, "{pods}");
}

#[test]
fn create_token_prints_a_jwt_for_an_existing_account() {
    let c = Cluster::new();
    let token = c.ok(&["create", "token", "default"]);
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "{token}");
    assert!(parts[0].starts_with("eyJ") && !token.ends_with('\n'), "{token}");
    let missing = c.run(&["create", "token", "nope"]);
    assert_eq!(
        (missing.code, missing.stderr.as_str()),
        (1, "error: failed to create token: serviceaccounts \"nope\" not found\n")
    );
    let short = c.run(&["create", "token", "default", "--duration=1m"]);
    assert_text(&short.stderr, "error: failed to create token: TokenRequest.authentication.k8s.io \"default\" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes\n");
    let bad = c.run(&["create", "token", "default", "--bound-object-name=x"]);
    assert_text(&bad.stderr, "error: --bound-object-name can only be set if --bound-object-kind is provided\n");
}
