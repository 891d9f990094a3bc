//! The rest of kubectl's surface: `--record`, `set selector`, `set serviceaccount`,
//! `run --expose`, `label|annotate --list`, `scale -o`, `--sort-by` on quantities,
//! `create --edit` and `apply edit-last-applied`. Expected texts are kubectl v1.32's (checked
//! against the real kubectl through `kstate serve`).

use crate::harness::{assert_text, Cluster, Out};

const DEPRECATED: &str = "Flag --record has been deprecated, --record will be removed in the future\n";

fn deployment() -> Cluster {
    let c = Cluster::new();
    c.ok(&["create", "deployment", "web", "--image=nginx:1.25"]);
    c
}

/// Runs with `KUBE_EDITOR` set to a shell script (`$1` is the file).
fn with_editor(c: &Cluster, args: &[&str], script: &str) -> Out {
    let path = c.file("editor.sh", &format!("#!/bin/sh\n{script}\n"));
    let o = c.command(args).env("KUBE_EDITOR", format!("sh {path}")).output().expect("run kstate");
    Out {
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        code: o.status.code().unwrap_or(-1),
    }
}

#[test]
fn record_writes_the_command_line_as_the_change_cause() {
    let c = deployment();
    let o = c.run(&["set", "image", "deploy/web", "nginx=nginx:1.26", "--record", "-n", "default"]);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("deployment.apps/web image updated\n", DEPRECATED, 0));
    // The deployment controller copies the annotation to the new ReplicaSet: the history shows it.
    assert_text(
        &c.ok(&["rollout", "history", "deploy/web"]),
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         kubectl set image deploy/web nginx=nginx:1.26 --record=true --namespace=default\n\n",
    );
    // Flags come after the arguments, in the order typed, under their long names.
    let o = c.run(&["scale", "--replicas", "2", "deploy", "web", "--record=true"]);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("deployment.apps/web scaled\n", DEPRECATED));
    let cause = "jsonpath={.metadata.annotations.kubernetes\\.io/change-cause}";
    assert_eq!(c.ok(&["get", "deploy", "web", "-o", cause]), "kubectl scale deploy web --replicas=2 --record=true");
    // --record=false records nothing, but cobra still names the deprecated flag.
    let o = c.run(&["annotate", "deploy", "web", "a=b", "--record=false"]);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("deployment.apps/web annotated\n", DEPRECATED));
    assert_eq!(c.ok(&["get", "deploy", "web", "-o", cause]), "kubectl scale deploy web --replicas=2 --record=true");
    // Commands without the flag in kubectl refuse it, changing nothing.
    let o = c.run(&["get", "pods", "--record"]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("error: unknown flag: --record\nSee 'kubectl get --help' for usage.\n", 1)
    );
}

#[test]
fn apply_records_the_change_cause_in_the_last_applied_configuration_too() {
    let c = Cluster::new();
    let f = c.file("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  a: \"1\"\n");
    let o = c.run(&["apply", "-f", &f, "--record"]);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("configmap/conf created\n", DEPRECATED));
    let cause = format!("kubectl apply --filename={f} --record=true");
    let annotations = c.ok(&["get", "cm", "conf", "-o", "jsonpath={.metadata.annotations}"]);
    let want = format!(
        "{{\"kubectl.kubernetes.io/last-applied-configuration\":\"{{\\\"apiVersion\\\":\\\"v1\\\",\\\"data\\\":{{\\\"a\\\":\\\"1\\\"}},\\\"kind\\\":\\\"ConfigMap\\\",\\\"metadata\\\":{{\\\"annotations\\\":{{\\\"kubernetes.io/change-cause\\\":\\\"{cause}\\\"}},\\\"name\\\":\\\"conf\\\",\\\"namespace\\\":\\\"default\\\"}}}}\\n\",\"kubernetes.io/change-cause\":\"{cause}\"}}"
    );
    assert_text(&annotations, &want);
    // A client dry run prints the annotation too.
    let o = c.run(&["create", "-f", &f, "--record", "--dry-run=client", "-o", "jsonpath={.metadata.annotations}"]);
    let cause = format!(
        "kubectl create --filename={f} --record=true --dry-run=client --output=jsonpath={{.metadata.annotations}}"
    );
    assert_eq!(o.stdout, format!("{{\"kubernetes.io/change-cause\":\"{cause}\"}}"));
}

#[test]
fn set_selector_overwrites_a_services_selector() {
    let c = deployment();
    c.ok(&["create", "service", "clusterip", "svc1", "--tcp=80"]);
    assert_eq!(c.ok(&["set", "selector", "svc", "svc1", "app=web"]), "service/svc1 selector updated\n");
    assert_eq!(c.ok(&["get", "svc", "svc1", "-o", "jsonpath={.spec.selector}"]), "{\"app\":\"web\"}");
    assert_eq!(c.ok(&["set", "selector", "svc", "svc1", "app=web", "-o", "name"]), "service/svc1\n");
    assert_eq!(
        c.ok(&["set", "selector", "svc/svc1", "tier=x", "--dry-run=client"]),
        "service/svc1 selector updated (dry run)\n"
    );
    assert_eq!(c.ok(&["get", "svc", "svc1", "-o", "jsonpath={.spec.selector}"]), "{\"app\":\"web\"}");
    assert_eq!(
        c.ok(&["set", "selector", "svc", "--all", "tier=x"]),
        "service/kubernetes selector updated\nservice/svc1 selector updated\n"
    );
    let before = c.snapshot();
    let fails: [(&[&str], &str); 6] = [
        (&["set", "selector"], "error: one selector is required\n"),
        (&["set", "selector", "svc", "svc1"], "error: resource(s) were provided, but no name was specified\n"),
        (&["set", "selector", "deploy", "web", "app=web"], "error: setting a selector is only supported for Services\n"),
        (
            &["set", "selector", "svc", "svc1", "a=b", "--resource-version=1"],
            "Error from server (Conflict): Operation cannot be fulfilled on services \"svc1\": the object has been modified; please apply your changes to the latest version and try again\n",
        ),
        (&["set", "selector", "svc", "nope", "x=y"], "Error from server (NotFound): services \"nope\" not found\n"),
        (
            &["set", "selector", "svc", "svc1", "a=b", "--local"],
            "error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n",
        ),
    ];
    for (args, want) in fails {
        let o = c.run(args);
        assert_eq!((o.stderr.as_str(), o.code), (want, 1), "{args:?}");
    }
    assert_eq!(c.snapshot(), before);
    let f = c.file(
        "svc.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: my-svc\nspec:\n  selector:\n    app: old\n",
    );
    assert_eq!(
        c.ok(&["set", "selector", "--local", "-f", &f, "environment=qa", "-o", "jsonpath={.spec.selector}"]),
        "{\"environment\":\"qa\"}"
    );
    assert_eq!(c.ok(&["set", "selector", "--local", "-f", &f, "environment=qa"]), "service/my-svc selector updated\n");
}

#[test]
fn set_serviceaccount_sets_the_pod_templates_account() {
    let c = deployment();
    c.ok(&["create", "service", "clusterip", "svc1", "--tcp=80"]);
    assert_eq!(c.ok(&["set", "sa", "deploy", "web", "sa1"]), "deployment.apps/web serviceaccount updated\n");
    // Sent (and printed) even when nothing changes.
    assert_eq!(c.ok(&["set", "serviceaccount", "deploy/web", "sa1"]), "deployment.apps/web serviceaccount updated\n");
    let account = "jsonpath={.spec.template.spec.serviceAccountName}";
    assert_eq!(c.ok(&["get", "deploy", "web", "-o", account]), "sa1");
    assert_eq!(
        c.ok(&["set", "sa", "deploy", "web", "sa2", "--dry-run=server"]),
        "deployment.apps/web serviceaccount updated (server dry run)\n"
    );
    assert_eq!(c.ok(&["set", "sa", "deploy", "--all", "sa3", "-o", "name"]), "deployment.apps/web\n");
    assert_eq!(c.ok(&["get", "deploy", "web", "-o", account]), "sa3");
    let fails: [(&[&str], &str); 4] = [
        (&["set", "sa"], "error: serviceaccount is required\n"),
        (&["set", "sa", "deploy", "web"], "error: resource(s) were provided, but no name was specified\n"),
        (
            &["set", "sa", "svc", "svc1", "sa1"],
            "error: services/svc1 the object is not a pod or does not have a pod template: *v1.Service\n",
        ),
        (
            &["set", "sa", "deploy", "nope", "sa1"],
            "Error from server (NotFound): deployments.apps \"nope\" not found\n",
        ),
    ];
    for (args, want) in fails {
        let o = c.run(args);
        assert_eq!((o.stderr.as_str(), o.code), (want, 1), "{args:?}");
    }
    let o = c.run(&["set", "sa", "sa1"]);
    assert!(o.stderr.starts_with("error: You must provide one or more resources by argument or filename.\n"));
}

#[test]
fn run_expose_creates_a_service_for_the_pod() {
    let c = Cluster::new();
    assert_eq!(
        c.ok(&["run", "x4", "--image=nginx", "--port=8080", "--expose"]),
        "service/x4 created\npod/x4 created\n"
    );
    assert_eq!(
        c.ok(&["get", "svc", "x4", "-o", "jsonpath={.spec.type} {.spec.ports} {.spec.selector}"]),
        "ClusterIP [{\"port\":8080,\"protocol\":\"TCP\",\"targetPort\":8080}] {\"run\":\"x4\"}"
    );
    let o = c.run(&["run", "x5", "--image=nginx", "--expose"]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("error: --port must be set when exposing a service\nSee 'kubectl run -h' for help and examples\n", 1)
    );
    // The pod is created even when its service cannot be; the error comes after its line.
    c.ok(&["create", "service", "clusterip", "x6", "--tcp=80"]);
    let o = c.run(&["run", "x6", "--image=nginx", "--port=80", "--expose", "-l", "a=b"]);
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.code),
        ("pod/x6 created\n", "Error from server (AlreadyExists): services \"x6\" already exists\n", 1)
    );
}

#[test]
fn label_and_annotate_list() {
    let c = deployment();
    assert_eq!(c.ok(&["label", "deploy", "web", "--list"]), "app=web\n");
    // Changes given with --list are shown, not written.
    assert_eq!(c.ok(&["label", "deploy", "web", "z=1", "--list"]), "app=web\nz=1\n");
    assert_eq!(c.ok(&["label", "deploy", "web", "--list"]), "app=web\n");
    assert_eq!(c.ok(&["label", "deploy", "--all", "--list"]), "Listing labels for Deployment.apps/web:\n app=web\n");
    assert_eq!(c.ok(&["annotate", "deploy", "web", "--list"]), "deployment.kubernetes.io/revision=1\n");
    let pods = c.ok(&["label", "pods", "-l", "app=web", "--list"]);
    assert!(pods.starts_with("Listing labels for Pod./web-"), "{pods}");
    let o = c.run(&["label", "deploy", "web", "--list", "-o", "name"]);
    assert_eq!((o.stderr.as_str(), o.code), ("error: --list and --output may not be specified together\n", 1));
}

#[test]
fn scale_prints_the_object_as_fetched_before_the_scale() {
    let c = deployment();
    assert_eq!(c.ok(&["scale", "deploy", "web", "--replicas=3", "-o", "jsonpath={.spec.replicas}"]), "1");
    assert_eq!(c.ok(&["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"]), "3");
    let yaml = c.ok(&["scale", "deploy", "web", "--replicas=2", "-o", "yaml"]);
    assert!(yaml.starts_with("apiVersion: apps/v1\nkind: Deployment\n"), "{yaml}");
    assert!(yaml.contains("\n  replicas: 3\n") && !yaml.contains("managedFields"), "{yaml}");
    let o = c.run(&["scale", "deploy", "web", "--replicas=4", "-o", "wide"]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("error: unable to match a printer suitable for the output format \"wide\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n", 1)
    );
}

#[test]
fn sort_by_compares_quantities_by_value() {
    let c = Cluster::new();
    for name in ["a", "b", "c", "d", "e"] {
        c.ok(&["create", "configmap", name]);
    }
    c.ok(&["annotate", "cm", "c", "x=5"]);
    c.ok(&["annotate", "cm", "a", "x=10"]);
    c.ok(&["annotate", "cm", "e", "x=100Mi"]);
    // kubectl's order: objects without the field first (as Go's sort leaves them), then 5 < 10 <
    // 100Mi by value (as strings, "10" < "100Mi" < "5").
    assert_eq!(
        c.ok(&["get", "cm", "--sort-by=.metadata.annotations.x", "-o", "name"]),
        "configmap/kube-root-ca.crt\nconfigmap/d\nconfigmap/b\nconfigmap/c\nconfigmap/a\nconfigmap/e\n"
    );
}

#[test]
fn create_edit_opens_each_object_before_creating_it() {
    let c = Cluster::new();
    let f = c.file("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1\ndata:\n  a: \"1\"\n");
    let seen = c.path_of("seen");
    let script = format!("cp \"$1\" {}\nsed -i 's/a: \"1\"/a: \"2\"/' \"$1\"", seen.display());
    let o = with_editor(&c, &["create", "-f", &f, "--edit"], &script);
    assert_eq!((o.stdout.as_str(), o.code), ("configmap/cm1 created\n", 0));
    assert_text(
        &std::fs::read_to_string(&seen).expect("seen"),
        "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\napiVersion: v1\ndata:\n  a: \"1\"\nkind: ConfigMap\nmetadata:\n  name: cm1\n  namespace: default\n",
    );
    assert_eq!(c.ok(&["get", "cm", "cm1", "-o", "jsonpath={.data.a}"]), "2");
    let o = with_editor(&c, &["create", "-f", &f, "--edit"], "true");
    assert_eq!((o.stderr.as_str(), o.code), ("Edit cancelled, no changes made.\n", 0));
    let o = with_editor(&c, &["create", "-f", &f, "--edit"], "sed -i 's/a: \"1\"/a: \"3\"/' \"$1\"");
    assert_eq!(o.code, 1);
    let (note, error) = o.stderr.split_once('\n').unwrap_or_default();
    assert!(note.starts_with("A copy of your changes has been stored to \"") && note.ends_with(".yaml\""), "{note}");
    assert_eq!(error, "Error from server (AlreadyExists): configmaps \"cm1\" already exists\n");
    // --windows-line-endings hands the editor CRLF lines.
    let o = with_editor(
        &c,
        &["create", "-f", &f, "--edit", "--windows-line-endings"],
        "grep -c \"$(printf '\\r')\" \"$1\" >&2",
    );
    assert_eq!((o.stderr.as_str(), o.code), ("11\nEdit cancelled, no changes made.\n", 0));
}

#[test]
fn apply_edit_last_applied_edits_the_annotation_only() {
    let c = Cluster::new();
    let f = c.file("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1\ndata:\n  a: \"1\"\n");
    c.ok(&["apply", "-f", &f]);
    let seen = c.path_of("seen");
    let script = format!("cp \"$1\" {}\nsed -i 's/a: \"1\"/a: \"2\"/' \"$1\"", seen.display());
    let o = with_editor(&c, &["apply", "edit-last-applied", "cm", "cm1"], &script);
    assert_eq!((o.stdout.as_str(), o.code), ("configmap/cm1 edited\n", 0));
    assert_text(
        &std::fs::read_to_string(&seen).expect("seen"),
        "# Please edit the 'last-applied-configuration' annotations below.\n# Lines beginning with a '#' will be ignored, and an empty file will abort the edit.\n#\napiVersion: v1\ndata:\n  a: \"1\"\nkind: ConfigMap\nmetadata:\n  annotations: {}\n  name: cm1\n  namespace: default\n",
    );
    assert_eq!(c.ok(&["get", "cm", "cm1", "-o", "jsonpath={.data.a}"]), "1");
    assert_eq!(
        c.ok(&["apply", "view-last-applied", "cm/cm1", "-o", "json"]),
        "{\n  \"apiVersion\": \"v1\",\n  \"data\": {\n    \"a\": \"2\"\n  },\n  \"kind\": \"ConfigMap\",\n  \"metadata\": {\n    \"annotations\": {},\n    \"name\": \"cm1\",\n    \"namespace\": \"default\"\n  }\n}\n"
    );
    let o = with_editor(&c, &["apply", "edit-last-applied", "cm/cm1"], "true");
    assert_eq!((o.stderr.as_str(), o.code), ("Edit cancelled, no changes made.\n", 0));
    c.ok(&["create", "cm", "plain"]);
    let o = with_editor(&c, &["apply", "edit-last-applied", "cm/plain"], "true");
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("error: no last-applied-configuration annotation found on resources, to create the annotation, use command `kubectl apply set-last-applied --create-annotation`\n", 1)
    );
}

#[test]
fn cluster_info_dump_prints_the_lists_and_logs() {
    let c = Cluster::new();
    c.ok(&["run", "p1", "--image=busybox", "--restart=Never", "--", "echo", "hello"]);
    let dump = c.ok(&["cluster-info", "dump", "--namespaces", "default"]);
    assert!(
        dump.starts_with("{\n    \"kind\": \"NodeList\",\n    \"apiVersion\": \"v1\",\n    \"metadata\": {\n"),
        "{dump}"
    );
    let lists: Vec<&str> = dump.lines().filter(|l| l.starts_with("    \"kind\": ")).collect();
    assert_eq!(
        lists,
        [
            "    \"kind\": \"NodeList\",",
            "    \"kind\": \"EventList\",",
            "    \"kind\": \"ReplicationControllerList\",",
            "    \"kind\": \"ServiceList\",",
            "    \"kind\": \"DaemonSetList\",",
            "    \"kind\": \"DeploymentList\",",
            "    \"kind\": \"ReplicaSetList\",",
            "    \"kind\": \"PodList\",",
        ]
    );
    assert!(
        dump.ends_with("}\n==== START logs for container p1 of pod default/p1 ====\nhello\n==== END logs for container p1 of pod default/p1 ====\n"),
        "{dump}"
    );
    let dir = c.path_of("dump");
    let dir_arg = dir.to_string_lossy().into_owned();
    assert_eq!(
        c.ok(&["cluster-info", "dump", "--output-directory", &dir_arg, "-o", "yaml"]),
        format!("Cluster info dumped to {dir_arg}\n")
    );
    let mut files: Vec<String> =
        walk(&dir).iter().map(|p| p.strip_prefix(&dir).unwrap().display().to_string()).collect();
    files.sort();
    let mut want = vec!["nodes.yaml".to_string(), "default/p1/logs.txt".to_string()];
    for ns in ["default", "kube-system"] {
        for f in ["daemonsets", "deployments", "events", "pods", "replicasets", "replication-controllers", "services"] {
            want.push(format!("{ns}/{f}.yaml"));
        }
    }
    want.sort();
    assert_eq!(files, want);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn delete_dry_run_deletes_nothing() {
    let c = Cluster::new();
    c.ok(&["create", "configmap", "cm1"]);
    let before = c.snapshot();
    // A client dry run does not fetch named objects, as kubectl's builder does not.
    assert_eq!(c.ok(&["delete", "cm", "nope", "--dry-run=client"]), "configmap \"nope\" deleted (dry run)\n");
    assert_eq!(c.ok(&["delete", "cm", "cm1", "--dry-run=server"]), "configmap \"cm1\" deleted (server dry run)\n");
    assert_eq!(c.ok(&["delete", "cm", "cm1", "--dry-run=client", "-o", "name"]), "configmap/cm1\n");
    let o = c.run(&["delete", "cm", "nope", "--dry-run=server"]);
    assert_eq!((o.stderr.as_str(), o.code), ("Error from server (NotFound): configmaps \"nope\" not found\n", 1));
    let o = c.run(&["delete", "cm", "-l", "a=b", "--all", "--dry-run=client"]);
    assert_eq!((o.stderr.as_str(), o.code), ("error: setting 'all' parameter but found a non empty selector. \n", 1));
    assert_eq!(c.snapshot(), before);
}

#[test]
fn kubectl_checks_on_auth_logs_scale_and_usage_hints() {
    let c = Cluster::new();
    let o = c.run(&["auth", "can-i", "get"]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.\n", 1)
    );
    let o = c.run(&["auth", "can-i", "foo", "bar"]);
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.code),
        (
            "yes\n",
            "Warning: the server doesn't have a resource type 'bar'\n\nWarning: verb 'foo' is not a known verb\n\n",
            0
        )
    );
    assert_eq!(c.ok(&["auth", "can-i", "get", "/logs"]), "yes\n");
    c.ok(&["run", "lg", "--image=busybox", "--restart=Never", "--", "echo", "one"]);
    let fails: [(&[&str], &str); 4] = [
        (&["logs", "lg", "-c", "nope"], "error: container nope is not valid for pod lg\n"),
        (
            &["logs", "lg", "--since=1h", "--since-time=2026-11-27T09:00:00Z"],
            "error: at most one of `sinceTime` or `sinceSeconds` may be specified\n",
        ),
        (
            &["logs"],
            "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n",
        ),
        // The hint names the command path, past the values of global flags.
        (&["-n", "default", "set", "env", "--foo"], "error: unknown flag: --foo\nSee 'kubectl set env --help' for usage.\n"),
    ];
    for (args, want) in fails {
        let o = c.run(args);
        assert_eq!((o.stderr.as_str(), o.code), (want, 1), "{args:?}");
    }
    assert_eq!(c.ok(&["logs", "lg", "--pod-running-timeout=1s", "--ignore-errors"]), "one\n");
    c.ok(&["create", "deployment", "web", "--image=nginx"]);
    let o = c.run(&["scale", "deploy", "web", "--replicas=1", "--timeout=abc"]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("error: invalid argument \"abc\" for \"--timeout\" flag: time: invalid duration \"abc\"\nSee 'kubectl scale --help' for usage.\n", 1)
    );
    assert_eq!(c.ok(&["scale", "deploy", "web", "--replicas=1", "--timeout=5s"]), "deployment.apps/web scaled\n");
}
