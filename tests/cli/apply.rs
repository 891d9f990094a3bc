//! `apply`, `edit`, `label`, `annotate`, `set image`: created / configured / unchanged, the
//! last-applied annotation, kubectl's messages, and rejected updates leaving the cluster as it was.

use crate::harness::{assert_text, Cluster};

/// A StatefulSet without volumeClaimTemplates (see `kubectl_reports_configured_for_claim_templates`).
pub const WEB: &str = "apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
  - port: 80
    name: web
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: nginx
  serviceName: nginx
  replicas: 3
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.26
        ports:
        - containerPort: 80
          name: web
";

/// Creates the set with `apply` and returns the manifest's path.
pub fn applied(c: &Cluster) -> String {
    let f = c.file("web.yaml", WEB);
    assert_eq!(c.ok(&["apply", "-f", &f]), "service/nginx created\nstatefulset.apps/web created\n");
    f
}

#[test]
fn apply_creates_then_reports_unchanged_and_configured() {
    let c = Cluster::new();
    let f = applied(&c);
    let last = c.ok(&[
        "get",
        "svc",
        "nginx",
        "-o",
        "jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}",
    ]);
    assert_text(
        &last,
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"annotations\":{},\"labels\":{\"app\":\"nginx\"},\"name\":\"nginx\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":\"None\",\"ports\":[{\"name\":\"web\",\"port\":80}],\"selector\":{\"app\":\"nginx\"}}}\n",
    );
    let again = c.run(&["apply", "-f", &f]);
    assert_eq!(
        (again.stdout.as_str(), again.stderr.as_str(), again.code),
        ("service/nginx unchanged\nstatefulset.apps/web unchanged\n", "", 0)
    );
    let rv = c.ok(&["get", "sts", "web", "-o", "jsonpath={.metadata.resourceVersion}"]);

    c.file("web.yaml", &WEB.replace("replicas: 3", "replicas: 2"));
    assert_eq!(c.ok(&["apply", "-f", &f]), "service/nginx unchanged\nstatefulset.apps/web configured\n");
    assert_ne!(c.ok(&["get", "sts", "web", "-o", "jsonpath={.metadata.resourceVersion}"]), rv);
    assert_eq!(c.ok(&["get", "pods", "-o", "name"]), "pod/web-0\npod/web-1\n");
    assert_eq!(c.ok(&["get", "sts", "web", "-o", "jsonpath={.metadata.generation}"]), "2");
}

#[test]
fn apply_three_way_merge_removes_dropped_fields_and_keeps_others_changes() {
    let c = Cluster::new();
    let f = applied(&c);
    // A label someone else added stays; a label the manifest dropped goes.
    c.ok(&["label", "svc", "nginx", "owner=ops"]);
    c.file("web.yaml", &WEB.replacen("    app: nginx\nspec:\n  ports", "    tier: web\nspec:\n  ports", 1));
    assert_eq!(c.ok(&["apply", "-f", &f]), "service/nginx configured\nstatefulset.apps/web unchanged\n");
    assert_eq!(
        c.ok(&["get", "svc", "nginx", "-o", "jsonpath={.metadata.labels}"]),
        "{\"owner\":\"ops\",\"tier\":\"web\"}"
    );
}

#[test]
fn apply_over_created_objects_warns_and_dry_runs_change_nothing() {
    let c = Cluster::new();
    let f = c.file("web.yaml", WEB);
    c.ok(&["create", "-f", &f]);
    let before = c.snapshot();
    assert_eq!(
        c.ok(&["apply", "-f", &f, "--dry-run=client"]),
        "service/nginx configured (dry run)\nstatefulset.apps/web configured (dry run)\n"
    );
    let server = c.run(&["apply", "-f", &f, "--dry-run=server"]);
    assert_eq!(
        server.stdout,
        "service/nginx configured (server dry run)\nstatefulset.apps/web configured (server dry run)\n"
    );
    assert_eq!(c.snapshot(), before);
    let o = c.run(&["apply", "-f", &f]);
    assert_eq!(o.stdout, "service/nginx configured\nstatefulset.apps/web configured\n");
    let warn = |r: &str| {
        format!("Warning: resource {r} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n")
    };
    assert_text(&o.stderr, &format!("{}{}", warn("services/nginx"), warn("statefulsets/web")));
    assert_eq!(c.ok(&["apply", "-f", &f, "-o", "name"]), "service/nginx\nstatefulset.apps/web\n");
}

/// kubernetes/kubernetes#66450: the server fills in defaults inside volumeClaimTemplates, an
/// atomic list, so kubectl's patch is never empty and a re-apply always says `configured`.
#[test]
fn kubectl_reports_configured_for_claim_templates() {
    let c = Cluster::new();
    let m = crate::harness::seed_manifest().replace("apps/v1beta2", "apps/v1");
    let f = c.file("seed.yaml", &m);
    c.ok(&["apply", "-f", &f]);
    let rv = c.ok(&["get", "sts", "web", "-o", "jsonpath={.metadata.resourceVersion}"]);
    assert_eq!(c.ok(&["apply", "-f", &f]), "service/nginx unchanged\nstatefulset.apps/web configured\n");
    assert_eq!(c.ok(&["get", "sts", "web", "-o", "jsonpath={.metadata.resourceVersion}"]), rv);
}

#[test]
fn apply_prints_the_applied_objects_in_the_output_format() {
    // kubectl's apply takes create's -o formats: the object it applied (a client dry run's is the
    // manifest with its last-applied annotation), or a v1 List when there are several, printed
    // once all are applied, instead of the `created` lines.
    let c = Cluster::new();
    let f = c.file("web.yaml", WEB);
    let tpl = r#"go-template={{.kind}} {{len .items}}{{"\n"}}"#;
    let o = c.run(&["apply", "-f", &f, "--dry-run=client", "-o", tpl]);
    assert_eq!((o.stdout.as_str(), o.code), ("List 2\n", 0));
    let o = c.run(&["apply", "-f", &f, "--dry-run=client", "-o", "jsonpath={.items[*].kind}"]);
    assert_eq!(o.stdout, "Service StatefulSet");
    assert_eq!(c.ok(&["get", "sts", "-o", "name"]), "");
    let o = c.run(&["apply", "-f", &f, "-o", "yaml"]);
    assert!(o.stdout.starts_with("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Service\n"), "{}", o.stdout);
    assert!(o.stdout.ends_with("kind: List\nmetadata: {}\n"), "{}", o.stdout);
    let one =
        c.file("svc.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: one\nspec:\n  ports:\n  - port: 80\n");
    let o = c.run(&["apply", "-f", &one, "-o", "jsonpath={.spec.type}"]);
    assert_eq!((o.stdout.as_str(), o.code), ("ClusterIP", 0));
    let o = c.run(&["apply", "-f", &one, "-o", "wide"]);
    assert_eq!(o.stderr, "error: unable to match a printer suitable for the output format \"wide\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n");
}

#[test]
fn a_daemonset_or_deployment_selector_cannot_change() {
    // apps/v1's update strategies refuse a changed selector (ValidateImmutableField), as applying
    // kubernetes.io's fluentd-daemonset-update.yaml (selector `name`) over a DaemonSet created with
    // `app.kubernetes.io/name` does.
    let c = Cluster::new();
    let ds = |key: &str| {
        format!(
            "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: fluentd\nspec:\n  selector:\n    matchLabels:\n      {key}: fluentd\n  template:\n    metadata:\n      labels:\n        {key}: fluentd\n    spec:\n      containers:\n      - name: f\n        image: busybox\n"
        )
    };
    let f = c.file("ds.yaml", &ds("app.kubernetes.io/name"));
    c.ok(&["apply", "-f", &f]);
    let before = c.snapshot();
    let f = c.file("ds.yaml", &ds("name"));
    let o = c.run(&["apply", "-f", &f]);
    let want = "The DaemonSet \"fluentd\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"name\":\"fluentd\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n";
    assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("", want, 1));
    assert_eq!(c.snapshot(), before);
    c.ok(&["create", "deployment", "d", "--image=nginx"]);
    let o = c.run(&["patch", "deploy", "d", "-p", r#"{"spec":{"selector":{"matchLabels":{"x":"y"}}}}"#]);
    let want = "The Deployment \"d\" is invalid: \n* spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"d\"}: `selector` does not match template `labels`\n* spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"d\", \"x\":\"y\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n";
    assert_eq!((o.stderr.as_str(), o.code), (want, 1));
}

#[test]
fn immutable_field_update_is_rejected_and_the_cluster_is_unchanged() {
    let c = Cluster::new();
    let f = applied(&c);
    let before = c.snapshot();
    let want = "The StatefulSet \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden\n";
    c.file("web.yaml", &WEB.replace("serviceName: nginx", "serviceName: other"));
    let o = c.run(&["apply", "-f", &f]);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("service/nginx unchanged\n", want, 1));
    let o =
        c.run(&["patch", "sts", "web", "--type", "merge", "-p", "{\"spec\":{\"podManagementPolicy\":\"Parallel\"}}"]);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("", want, 1));
    assert_eq!(c.snapshot(), before);
}

#[test]
fn label_and_annotate_messages() {
    let c = Cluster::new();
    applied(&c);
    assert_eq!(c.ok(&["label", "pod", "web-0", "tier=frontend"]), "pod/web-0 labeled\n");
    assert_eq!(c.ok(&["label", "pod", "web-0", "tier=frontend"]), "pod/web-0 not labeled\n");
    let o = c.run(&["label", "pod", "web-0", "app=other"]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("error: 'app' already has a value (nginx), and --overwrite is false\n", 1)
    );
    assert_eq!(c.ok(&["label", "pod/web-0", "tier=backend", "--overwrite"]), "pod/web-0 labeled\n");
    assert_eq!(c.ok(&["label", "pod", "web-0", "tier-"]), "pod/web-0 unlabeled\n");
    assert_eq!(c.ok(&["label", "pod", "web-0", "tier-"]), "label \"tier\" not found.\npod/web-0 not labeled\n");
    assert_eq!(
        c.ok(&["label", "pods", "-l", "app=nginx", "zone=a"]),
        "pod/web-0 labeled\npod/web-1 labeled\npod/web-2 labeled\n"
    );
    assert_eq!(
        c.ok(&["label", "pods", "--all", "zone-"]),
        "pod/web-0 unlabeled\npod/web-1 unlabeled\npod/web-2 unlabeled\n"
    );
    assert_eq!(c.ok(&["get", "pod", "web-2", "-o", "jsonpath={.metadata.labels.zone}"]), "");
    let o = c.run(&["label", "pod", "web-0"]);
    assert_eq!(o.stderr, "error: at least one label update is required\n");

    assert_eq!(c.ok(&["annotate", "sts", "web", "note=hello"]), "statefulset.apps/web annotated\n");
    let o = c.run(&["annotate", "sts", "web", "note=bye"]);
    assert_eq!(o.stderr, "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (hello)\n");
    assert_eq!(c.ok(&["annotate", "sts", "web", "note=bye", "--overwrite"]), "statefulset.apps/web annotated\n");
    assert_eq!(c.ok(&["annotate", "sts", "web", "note-"]), "statefulset.apps/web annotated\n");
    assert_eq!(c.ok(&["get", "sts", "web", "-o", "jsonpath={.metadata.annotations.note}"]), "");
}

#[test]
fn set_image_updates_the_template_and_rolls_the_pods() {
    let c = Cluster::new();
    applied(&c);
    assert_eq!(c.ok(&["set", "image", "sts/web", "nginx=nginx:1.27"]), "statefulset.apps/web image updated\n");
    assert_eq!(c.ok(&["set", "image", "sts/web", "nginx=nginx:1.27"]), "");
    let images = c.ok(&["get", "pods", "-o", "jsonpath={.items[*].spec.containers[0].image}"]);
    assert_eq!(images, "nginx:1.27 nginx:1.27 nginx:1.27");
    let o = c.run(&["set", "image", "sts/web", "php=php:8"]);
    assert_eq!((o.stderr.as_str(), o.code), ("error: unable to find container named \"php\"\n", 1));
}

#[test]
fn edit_runs_the_editor_and_applies_the_result() {
    let c = Cluster::new();
    applied(&c);
    let script = c.file("ed.sh", "#!/bin/sh\nsed -i 's/replicas: 3/replicas: 1/' \"$1\"\n");
    let mut cmd = c.command(&["edit", "sts", "web"]);
    cmd.env("KUBE_EDITOR", format!("sh {script}"));
    let o = cmd.output().expect("run edit");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "statefulset.apps/web edited\n");
    assert_eq!(c.ok(&["get", "pods", "-o", "name"]), "pod/web-0\n");

    let mut cmd = c.command(&["edit", "sts", "web"]);
    cmd.env("KUBE_EDITOR", "true").env_remove("EDITOR");
    let o = cmd.output().expect("run edit");
    assert_eq!(String::from_utf8_lossy(&o.stderr), "Edit cancelled, no changes made.\n");
    assert!(o.status.success());

    // The editor sees kubectl's header.
    let peek = c.file("peek.sh", "#!/bin/sh\nhead -4 \"$1\" > \"$(dirname \"$0\")/seen\"\n");
    let mut cmd = c.command(&["edit", "sts", "web"]);
    cmd.env("KUBE_EDITOR", format!("sh {peek}"));
    cmd.output().expect("run edit");
    let seen = std::fs::read_to_string(std::path::Path::new(&peek).with_file_name("seen")).expect("seen");
    assert_text(&seen, "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n");
}
