//! ConfigMaps, Secrets and PodDisruptionBudgets: generators, tables, describe (verified against
//! kubectl v1.32), and configMap/secret volumes inside pods.

use crate::harness::{assert_text, Cluster};

const PDB: &str = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: zk-pdb\nspec:\n  selector:\n    matchLabels:\n      app: zk\n  maxUnavailable: 1\n";

const APP: &str = "apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: c
    image: busybox
    command: [sleep, '3600']
    volumeMounts:
    - {name: conf, mountPath: /etc/conf}
    - {name: creds, mountPath: /etc/creds}
  volumes:
  - name: conf
    configMap: {name: app-config}
  - name: creds
    secret:
      secretName: app-secret
      items:
      - {key: password, path: pw}
";

#[test]
fn config_objects_print_and_describe_like_kubectl() {
    let c = Cluster::new();
    assert_eq!(
        c.ok(&["create", "configmap", "app-config", "--from-literal=mode=fast"]),
        "configmap/app-config created\n"
    );
    assert_eq!(
        c.ok(&["create", "secret", "generic", "app-secret", "--from-literal=password=s3cret"]),
        "secret/app-secret created\n"
    );
    let f = c.file("pdb.yaml", PDB);
    c.ok(&["create", "-f", &f]);
    assert_text(
        &c.ok(&["get", "cm,secret,pdb"]),
        "NAME                         DATA   AGE
configmap/app-config         1      0s
configmap/kube-root-ca.crt   1      0s

NAME                TYPE     DATA   AGE
secret/app-secret   Opaque   1      0s

NAME                                MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE
poddisruptionbudget.policy/zk-pdb   N/A             1                 0                     0s
",
    );
    assert_text(
        &c.ok(&["describe", "configmap", "app-config"]),
        "Name:         app-config\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\nmode:\n----\nfast\n\n\nBinaryData\n====\n\nEvents:  <none>\n",
    );
    assert_text(
        &c.ok(&["describe", "secret", "app-secret"]),
        "Name:         app-secret\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nType:  Opaque\n\nData\n====\npassword:  6 bytes\n",
    );
    assert_text(
        &c.ok(&["describe", "pdb", "zk-pdb"]),
        "Name:             zk-pdb\nNamespace:        default\nMax unavailable:  1\nSelector:         app=zk\nStatus:\n    Allowed disruptions:  0\n    Current:              0\n    Desired:              0\n    Total:                0\nEvents:                   <none>\n",
    );
    assert_eq!(c.ok(&["get", "secret", "app-secret", "-o", "jsonpath={.data.password}"]), "czNjcmV0");
}

#[test]
fn config_map_and_secret_volumes_show_their_keys_read_only() {
    let c = Cluster::new();
    c.ok(&["create", "configmap", "app-config", "--from-literal=mode=fast", "--from-literal=level=3"]);
    c.ok(&["create", "secret", "generic", "app-secret", "--from-literal=password=s3cret"]);
    let f = c.file("app.yaml", APP);
    c.ok(&["create", "-f", &f]);
    assert_eq!(c.ok(&["exec", "app", "--", "ls", "/etc/conf"]), "level\nmode\n");
    assert_eq!(c.ok(&["exec", "app", "--", "cat", "/etc/conf/mode", "/etc/creds/pw"]), "fasts3cret");
    let write = c.run(&["exec", "app", "--", "touch", "/etc/conf/x"]);
    assert!(write.stderr.contains("Read-only file system"), "{write:?}");
    assert_eq!(c.ok(&["get", "cm", "-n", "kube-system", "-o", "name"]), "configmap/kube-root-ca.crt\n");
}

#[test]
fn a_disruption_budget_counts_the_pods_it_selects() {
    let c = Cluster::new();
    let f = c.file("sts.yaml", crate::harness::seed_manifest());
    c.ok(&["create", "-f", &f]);
    let f = c.file("pdb.yaml", &PDB.replace("zk-pdb", "web-pdb").replace("app: zk", "app: nginx"));
    c.ok(&["create", "-f", &f]);
    c.ok(&["scale", "sts", "web", "--replicas=3"]);
    let status =
        "{.status.expectedPods} {.status.currentHealthy} {.status.desiredHealthy} {.status.disruptionsAllowed}";
    assert_eq!(c.ok(&["get", "pdb", "web-pdb", "-o", &format!("jsonpath={status}")]), "3 3 2 1");
}
