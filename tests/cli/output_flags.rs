//! `-o` and `--dry-run` of `label`, `annotate`, `patch` and `rollout undo` against the cluster,
//! and `set env`'s listing flags; expected texts captured from kubectl v1.32 through `kstate serve`.

use crate::harness::Cluster;

fn configmap() -> Cluster {
    let c = Cluster::new();
    assert_eq!(c.ok(&["create", "configmap", "c1", "--from-literal=k=v"]), "configmap/c1 created\n");
    c
}

/// kubectl prints the object the server answered, as `get` prints it (managedFields left out).
#[test]
fn label_prints_the_updated_object() {
    let c = configmap();
    let printed = c.ok(&["label", "cm", "c1", "tier=db", "-o", "yaml"]);
    assert_eq!(printed, c.ok(&["get", "cm", "c1", "-o", "yaml"]));
    assert!(printed.starts_with("apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n"), "{printed}");
    assert!(printed.contains("  labels:\n    tier: db\n"), "{printed}");
    assert_eq!(c.ok(&["annotate", "cm", "c1", "note=x", "-o", "jsonpath={.metadata.annotations}"]), r#"{"note":"x"}"#);
    assert_eq!(c.ok(&["label", "cm", "c1", "a=1", "-o", "go-template={{.metadata.labels}}"]), "map[a:1 tier:db]");
    assert_eq!(c.ok(&["label", "cm", "c1", "a-", "-o", "name"]), "configmap/c1\n");
    assert_eq!(
        c.ok(&["label", "cm", "c1", "nope-", "-o", "jsonpath={.metadata.name}"]),
        "label \"nope\" not found.\nc1"
    );
    // A client dry run never reaches the code that notes a missing label.
    assert_eq!(c.ok(&["label", "cm", "c1", "nope-", "--dry-run=client"]), "configmap/c1 not labeled (dry run)\n");
    assert_eq!(
        c.ok(&["label", "cm", "c1", "nope-", "--dry-run=server"]),
        "label \"nope\" not found.\nconfigmap/c1 not labeled (server dry run)\n"
    );
}

#[test]
fn label_dry_runs_print_the_object_and_keep_nothing() {
    let c = configmap();
    let rv = c.ok(&["get", "cm", "c1", "-o", "jsonpath={.metadata.resourceVersion}"]);
    let json = c.ok(&["annotate", "cm", "c1", "note=x", "--dry-run=client", "-o", "json"]);
    assert!(
        json.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"data\": {\n        \"k\": \"v\"\n    },\n"),
        "{json}"
    );
    assert!(json.contains("        \"annotations\": {\n            \"note\": \"x\"\n        },\n"), "{json}");
    assert!(json.contains(&format!("        \"resourceVersion\": \"{rv}\",\n")), "{json}");
    assert_eq!(
        c.ok(&["label", "cm", "c1", "tier=web", "--dry-run=server", "-o", "jsonpath={.metadata.labels.tier}"]),
        "web"
    );
    assert_eq!(c.ok(&["get", "cm", "c1", "-o", "jsonpath={.metadata.labels}"]), "", "the server dry run kept nothing");
    assert_eq!(c.ok(&["get", "cm", "c1", "-o", "jsonpath={.metadata.resourceVersion}"]), rv);
    let o = c.run(&["label", "cm", "c1", "x=1", "-o", "wide"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "error: unable to match a printer suitable for the output format \"wide\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n")
    );
}

#[test]
fn patch_prints_the_patched_object() {
    let c = configmap();
    c.ok(&["label", "cm", "c1", "tier=db"]);
    assert_eq!(
        c.ok(&[
            "patch",
            "cm",
            "c1",
            "-p",
            r#"{"data":{"k":"w"}}"#,
            "-o",
            "go-template={{.data.k}} {{.metadata.labels.tier}}{{\"\\n\"}}"
        ]),
        "w db\n"
    );
    let printed = c.ok(&["patch", "cm", "c1", "-p", r#"{"data":{"k":"w"}}"#, "-o", "yaml"]);
    assert_eq!(printed, c.ok(&["get", "cm", "c1", "-o", "yaml"]), "no change prints the live object");
    assert_eq!(
        c.ok(&["patch", "cm", "c1", "-p", r#"{"data":{"k":"z"}}"#, "--dry-run=client", "-o", "jsonpath={.data.k}"]),
        "z"
    );
    assert_eq!(c.ok(&["get", "cm", "c1", "-o", "jsonpath={.data.k}"]), "w");
}

/// `rollout undo -o` prints the object as fetched before the rollback, typed (kind first).
#[test]
fn rollout_undo_prints_the_object_before_the_rollback() {
    let c = Cluster::new();
    c.ok(&["create", "deployment", "web", "--image=nginx"]);
    c.ok(&["set", "image", "deploy/web", "nginx=nginx:2"]);
    let image = "jsonpath={.spec.template.spec.containers[0].image}";
    assert_eq!(c.ok(&["rollout", "undo", "deploy/web", "--dry-run=client", "-o", image]), "nginx:2");
    assert_eq!(c.ok(&["rollout", "undo", "deploy/web", "--dry-run=server", "-o", "name"]), "deployment.apps/web\n");
    assert_eq!(c.ok(&["get", "deploy", "web", "-o", image]), "nginx:2", "dry runs keep nothing");
    let json = c.ok(&["rollout", "undo", "deploy/web", "--dry-run=client", "-o", "json"]);
    assert!(json.starts_with("{\n    \"kind\": \"Deployment\",\n    \"apiVersion\": \"apps/v1\",\n"), "{json}");
    assert_eq!(c.ok(&["rollout", "undo", "deploy/web", "-o", image]), "nginx:2");
    assert_eq!(c.ok(&["get", "deploy", "web", "-o", image]), "nginx");
}

fn env_pod() -> Cluster {
    let c = Cluster::new();
    c.ok(&["create", "configmap", "cm", "--from-literal=a.b=1", "--from-literal=C=2"]);
    c.ok(&["create", "secret", "generic", "s", "--from-literal=pw=x"]);
    let f = c.file(
        "p.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers: [{name: init, image: busybox, env: [{name: I, value: \"1\"}]}]\n  containers:\n  - {name: a, image: nginx, env: [{name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}, {name: R, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}, {name: M, valueFrom: {configMapKeyRef: {name: nope, key: k}}}]}\n  - {name: b, image: nginx}\n",
    );
    assert_eq!(c.ok(&["create", "-f", &f]), "pod/p created\n");
    c
}

#[test]
fn set_env_lists_variables_and_references() {
    let c = env_pod();
    assert_eq!(
        c.ok(&["set", "env", "pod/p", "--list"]),
        "# Pod p, container a\n# POD from field path metadata.name\n# R from resource field limits.cpu\n# M from configmap nope, key k\n# Pod p, container b\n# Pod p, container init\nI=1\n"
    );
    let o = c.run(&["set", "env", "pod/p", "--list", "--resolve"]);
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.as_str()),
        (
            0,
            "# Pod p, container a\nPOD=p\nR=0\n# M from configmap nope, key k\n# Pod p, container b\n# Pod p, container init\nI=1\n",
            "error retrieving reference for M: configmaps \"nope\" not found\n"
        )
    );
    assert_eq!(c.ok(&["set", "env", "pod/p", "--list", "-c", "b"]), "# Pod p, container b\n");
    let o = c.run(&["set", "env", "pod/p", "--list", "-c", "q*"]);
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.as_str()),
        (0, "", "Warning: Pod/p does not have any containers matching \"q*\"\n")
    );
    let o = c.run(&["set", "env", "pod/p", "--list", "-o", "yaml"]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "error: --list and --output may not be specified together\n"));
}

/// kubectl's order: variables of `-e`, then of the arguments, then `--from`'s; `--prefix` goes
/// before all of them.
#[test]
fn set_env_list_shows_changes_without_writing() {
    let c = env_pod();
    c.ok(&["create", "deployment", "web", "--image=nginx"]);
    let o = c.run(&["set", "env", "deploy/web", "--from=configmap/cm", "--prefix=P_", "B=2", "-e", "A=1"]);
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.as_str()),
        (0, "deployment.apps/web env updated\n", "Warning: key a.b transferred to A_B\n"),
        "the warning names the variable before the prefix"
    );
    let before = c.snapshot();
    assert_eq!(
        c.ok(&["set", "env", "deploy/web", "--from=secret/s", "--list", "A=5", "-e", "NEW=1"]),
        "# Deployment web, container nginx\nP_A=1\nP_B=2\n# P_C from configmap cm, key C\n# P_A_B from configmap cm, key a.b\nNEW=1\nA=5\n# PW from secret s, key pw\n"
    );
    let o = c.run(&["set", "env", "deploy/web", "--from=secret/s", "--list", "--resolve"]);
    assert_eq!(o.stdout, "# Deployment web, container nginx\nP_A=1\nP_B=2\nP_C=2\nP_A_B=1\nPW=x\n");
    assert_eq!(c.snapshot(), before, "--list writes nothing");
}

#[test]
fn set_env_overwrite_false_and_env_flag() {
    let c = Cluster::new();
    c.ok(&["create", "deployment", "web", "--image=nginx"]);
    assert_eq!(c.ok(&["set", "env", "deploy/web", "-e", "A=1", "-e", "B=2"]), "deployment.apps/web env updated\n");
    let before = c.snapshot();
    let o = c.run(&["set", "env", "deploy/web", "A=9", "--overwrite=false"]);
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.as_str()),
        (1, "", "error: deployments/web 'A' already has a value (1), and --overwrite is false\n")
    );
    assert_eq!(c.snapshot(), before, "nothing was written");
    assert_eq!(
        c.ok(&["set", "env", "deploy/web", "A=1", "Z=9", "--overwrite=false"]),
        "deployment.apps/web env updated\n"
    );
    let o = c.run(&["set", "env", "deploy/web", "-e", "HOME"]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "error: unknown environment variable: HOME\n"));
    assert_eq!(
        c.ok(&[
            "set",
            "env",
            "deploy/web",
            "-e",
            "Z-",
            "-o",
            "jsonpath={.spec.template.spec.containers[0].env[*].name}"
        ]),
        "A B"
    );
    let o = c.run(&["set", "env", "deploy/web", "Q=1", "-c", "q*"]);
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.as_str()),
        (0, "", "Warning: Deployment/web does not have any containers matching \"q*\"\n")
    );
    let o = c.run(&["set", "env", "deploy/web", "Q=1", "pod/p"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "error: all resources must be specified before environment changes: deploy/web Q=1 pod/p\n")
    );
}

/// kubectl makes a printer per object for these verbs: no `---` between the YAML documents.
#[test]
fn several_objects_print_without_separators() {
    let c = configmap();
    c.ok(&["create", "configmap", "c2"]);
    let yaml = c.ok(&["label", "cm", "c1", "c2", "zz=1", "-o", "yaml"]);
    assert_eq!(yaml.matches("apiVersion: v1\n").count(), 2, "{yaml}");
    assert!(!yaml.contains("---"), "{yaml}");
    let yaml = c.ok(&["patch", "cm", "c1", "c2", "-p", r#"{"data":{"q":"1"}}"#, "-o", "yaml"]);
    assert_eq!(yaml.matches("apiVersion: v1\n").count(), 2, "{yaml}");
    assert!(!yaml.contains("---"), "{yaml}");
    assert_eq!(c.ok(&["annotate", "cm", "c1", "c2", "n=1", "-o", "jsonpath={.metadata.name}"]), "c1c2");
}

#[test]
fn local_label_and_patch_take_every_format() {
    let c = Cluster::new();
    let f = c.file("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: v\n");
    assert_eq!(c.ok(&["label", "--local", "-f", &f, "a=b", "-o", "jsonpath={.metadata.labels}"]), r#"{"a":"b"}"#);
    assert_eq!(
        c.ok(&["annotate", "--local", "-f", &f, "a=b", "-o", "go-template={{.metadata.annotations}}"]),
        "map[a:b]"
    );
    assert_eq!(
        c.ok(&["patch", "--local", "-f", &f, "-p", r#"{"data":{"k":"z"}}"#, "-o", "jsonpath={.data}"]),
        r#"{"k":"z"}"#
    );
    assert_eq!(
        c.ok(&["label", "--local", "-f", &f, "a=b", "-o", "yaml"]),
        "apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  labels:\n    a: b\n  name: x\n"
    );
    assert_eq!(c.ok(&["patch", "--local", "-f", &f, "-p", "{}"]), "configmap/x patched (no change)\n");
}

#[test]
fn set_env_all_and_selector_pick_objects_of_a_type() {
    let c = Cluster::new();
    c.ok(&["create", "deployment", "web", "--image=nginx"]);
    c.ok(&["create", "deployment", "api", "--image=nginx"]);
    assert_eq!(
        c.ok(&["set", "env", "deploy", "--all", "ALL=1", "--dry-run=client"]),
        "deployment.apps/api env updated (dry run)\ndeployment.apps/web env updated (dry run)\n"
    );
    assert_eq!(c.ok(&["set", "env", "deploy", "-l", "app=web", "SEL=1"]), "deployment.apps/web env updated\n");
    assert_eq!(
        c.ok(&["set", "env", "deploy", "-l", "app=web", "--list"]),
        "# Deployment web, container nginx\nSEL=1\n"
    );
    assert_eq!(c.ok(&["set", "env", "deploy", "-l", "app=none", "SEL=1"]), "", "nothing selected, nothing done");
    let o = c.run(&["set", "env", "deploy/web", "-l", "app=web", "SEL=2"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "error: selectors and the all flag cannot be used when passing resource/name arguments\n")
    );
}

/// `--resource-version` makes the change only on that version of the one object named;
/// `--field-manager` names the manager recorded for it.
#[test]
fn label_and_annotate_honour_resource_version_and_field_manager() {
    let c = configmap();
    c.ok(&["create", "configmap", "c2"]);
    let conflict = "Error from server (Conflict): Operation cannot be fulfilled on configmaps \"c1\": the object has been modified; please apply your changes to the latest version and try again\n";
    for verb in ["label", "annotate"] {
        let stale = c.run(&[verb, "cm", "c1", "a=1", "--resource-version=1"]);
        assert_eq!((stale.stdout.as_str(), stale.stderr.as_str(), stale.code), ("", conflict, 1), "{verb}");
    }
    let rv = c.ok(&["get", "cm", "c1", "-o", "jsonpath={.metadata.resourceVersion}"]);
    assert_eq!(c.ok(&["label", "cm", "c1", "a=1", &format!("--resource-version={rv}")]), "configmap/c1 labeled\n");
    let two = c.run(&["label", "cm", "c1", "c2", "b=2", "--resource-version=1"]);
    assert_eq!(
        (two.stderr.as_str(), two.code),
        ("error: --resource-version may only be used with a single resource\n", 1)
    );
    assert_eq!(c.ok(&["annotate", "cm", "c1", "n=1", "--field-manager=ops"]), "configmap/c1 annotated\n");
    let managers =
        c.ok(&["get", "cm", "c1", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}"]);
    assert_eq!(managers, "kubectl-create kubectl-label ops");
}
