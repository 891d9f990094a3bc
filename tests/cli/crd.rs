//! CustomResourceDefinitions through the CLI: kubernetes.io's "Extend the Kubernetes API with
//! CustomResourceDefinitions" task page (the CronTab), its commands replayed with the outputs it
//! shows, then validation, printer columns, subresources, scope and deletion.

use crate::harness::{assert_text, Cluster};

pub const CRONTAB_CRD: &str = include_str!("crd/resourcedefinition.yaml");
pub const MY_CRONTAB: &str = include_str!("crd/my-crontab.yaml");
/// The page's CronTab with validation, printer columns and the status and scale subresources.
pub const CRONTAB_FULL: &str = include_str!("crd/crontab-columns-subresources.yaml");

/// The page's invalid CronTab (validation section).
pub const INVALID_CRONTAB: &str = r#"apiVersion: "stable.example.com/v1"
kind: CronTab
metadata:
  name: my-new-cron-object
spec:
  cronSpec: "* * * *"
  image: my-awesome-cron-image
  replicas: 15
"#;

pub const INVALID_MESSAGE: &str = r#"The CronTab "my-new-cron-object" is invalid: 
* spec.cronSpec: Invalid value: "* * * *": spec.cronSpec in body should match '^(\d+|\*)(/\d+)?(\s+(\d+|\*)(/\d+)?){4}$'
* spec.replicas: Invalid value: 15: spec.replicas in body should be less than or equal to 10
"#;

#[test]
fn the_crontab_task_page_replayed() {
    let mut c = Cluster::new();
    let crd = c.file("resourcedefinition.yaml", CRONTAB_CRD);
    let cr = c.file("my-crontab.yaml", MY_CRONTAB);
    assert_eq!(
        c.ok(&["apply", "-f", &crd]),
        "customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created\n"
    );
    assert_eq!(c.ok(&["apply", "-f", &cr]), "crontab.stable.example.com/my-new-cron-object created\n");
    c.at("2026-11-27T09:00:06Z");
    assert_text(&c.ok(&["get", "crontab"]), "NAME                 AGE\nmy-new-cron-object   6s\n");
    // The start of the group finds the kind, as kubectl's REST mapper does.
    assert_eq!(c.ok(&["get", "ct.stable.example", "-o", "name"]), "crontab.stable.example.com/my-new-cron-object\n");
    let uid = c.ok(&["get", "ct", "my-new-cron-object", "-o", "jsonpath={.metadata.uid}"]);
    let rv = c.ok(&["get", "ct", "my-new-cron-object", "-o", "jsonpath={.metadata.resourceVersion}"]);
    let want = format!(
        r#"apiVersion: v1
items:
- apiVersion: stable.example.com/v1
  kind: CronTab
  metadata:
    annotations:
      kubectl.kubernetes.io/last-applied-configuration: |
        {{"apiVersion":"stable.example.com/v1","kind":"CronTab","metadata":{{"annotations":{{}},"name":"my-new-cron-object","namespace":"default"}},"spec":{{"cronSpec":"* * * * */5","image":"my-awesome-cron-image"}}}}
    creationTimestamp: "2026-11-27T09:00:00Z"
    generation: 1
    name: my-new-cron-object
    namespace: default
    resourceVersion: "{rv}"
    uid: {uid}
  spec:
    cronSpec: '* * * * */5'
    image: my-awesome-cron-image
kind: List
metadata:
  resourceVersion: ""
"#
    );
    assert_text(&c.ok(&["get", "ct", "-o", "yaml"]), &want);
    // Every name of the kind, as discovery lists them.
    for name in ["crontabs", "crontab", "ct", "CronTab", "crontabs.stable.example.com", "crontab.v1.stable.example.com"]
    {
        assert_eq!(c.ok(&["get", name, "-o", "name"]), "crontab.stable.example.com/my-new-cron-object\n", "{name}");
    }
    assert_text(
        &c.ok(&["get", "crd"]),
        "NAME                          CREATED AT\ncrontabs.stable.example.com   2026-11-27T09:00:00Z\n",
    );
    assert_eq!(
        c.ok(&["get", "crd", "crontabs.stable.example.com", "-o", "jsonpath={.status.conditions[*].type}"]),
        "NamesAccepted Established"
    );
    let resources = c.ok(&["api-resources", "--api-group=stable.example.com"]);
    assert_text(
        &resources,
        "NAME       SHORTNAMES   APIVERSION              NAMESPACED   KIND\ncrontabs   ct           stable.example.com/v1   true         CronTab\n",
    );
    // kubectl's generic describer.
    assert_text(
        &c.ok(&["describe", "ct", "my-new-cron-object"]),
        &format!(
            "Name:         my-new-cron-object\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\
             API Version:  stable.example.com/v1\nKind:         CronTab\nMetadata:\n  Creation Timestamp:  2026-11-27T09:00:00Z\n  \
             Generation:          1\n  Resource Version:    {rv}\n  UID:                 {uid}\nSpec:\n  \
             Cron Spec:  * * * * */5\n  Image:      my-awesome-cron-image\nEvents:       <none>\n"
        ),
    );
    // Deleting the definition deletes its objects; the kind is no longer served.
    assert_eq!(
        c.ok(&["delete", "-f", &crd]),
        "customresourcedefinition.apiextensions.k8s.io \"crontabs.stable.example.com\" deleted\n"
    );
    let gone = c.run(&["get", "crontabs"]);
    assert_eq!((gone.stderr.as_str(), gone.code), ("error: the server doesn't have a resource type \"crontabs\"\n", 1));
    c.ok(&["apply", "-f", &crd]);
    assert_eq!(c.run(&["get", "crontabs"]).stderr, "No resources found in default namespace.\n");
}

#[test]
fn the_schema_validates_and_prunes() {
    let c = Cluster::new();
    c.ok(&["apply", "-f", &c.file("crd.yaml", CRONTAB_FULL)]);
    let before = c.ok(&["get", "ct", "-A", "-o", "json"]);
    let bad = c.run(&["apply", "-f", &c.file("bad.yaml", INVALID_CRONTAB)]);
    assert_eq!((bad.stdout.as_str(), bad.stderr.as_str(), bad.code), ("", INVALID_MESSAGE, 1));
    assert_eq!(c.ok(&["get", "ct", "-A", "-o", "json"]), before, "a refused object is not stored");

    let typed = "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: t}\nspec: {replicas: two}\n";
    let out = c.run(&["create", "-f", &c.file("typed.yaml", typed)]);
    assert_eq!(
        out.stderr,
        "The CronTab \"t\" is invalid: spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"\n"
    );
    let extra = "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: x}\nspec: {image: i, replicas: 2, colour: red}\n";
    c.file("extra.yaml", extra);
    let f = "extra.yaml";
    let strict = c.run(&["create", "-f", f]);
    assert_eq!(
        (strict.stderr.as_str(), strict.code),
        ("Error from server (BadRequest): error when creating \"extra.yaml\": CronTab in version \"v1\" cannot be handled as a CronTab: strict decoding error: unknown field \"spec.colour\"\n", 1)
    );
    let warn = c.run(&["create", "-f", f, "--validate=warn"]);
    assert_eq!(warn.stderr, "Warning: unknown field \"spec.colour\"\n");
    assert_eq!(warn.stdout, "crontab.stable.example.com/x created\n");
    // The unknown field was pruned before storing.
    assert_eq!(c.ok(&["get", "ct", "x", "-o", "jsonpath={.spec}"]), r#"{"image":"i","replicas":2}"#);
}

#[test]
fn printer_columns_and_subresources() {
    let mut c = Cluster::new();
    c.ok(&["apply", "-f", &c.file("crd.yaml", CRONTAB_FULL)]);
    let cr = "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: my-new-cron-object}\n\
              spec: {cronSpec: '* * * * *', image: my-awesome-cron-image, replicas: 1}\nstatus: {replicas: 9}\n";
    c.ok(&["create", "-f", &c.file("cr.yaml", cr)]);
    c.at("2026-11-27T09:00:07Z");
    assert_text(
        &c.ok(&["get", "crontab", "my-new-cron-object"]),
        "NAME                 SPEC        REPLICAS   AGE\nmy-new-cron-object   * * * * *   1          7s\n",
    );
    // The main resource does not write status when the status subresource exists.
    assert_eq!(c.ok(&["get", "ct", "my-new-cron-object", "-o", "jsonpath={.status}"]), "");
    assert_eq!(
        c.ok(&["scale", "--replicas=5", "crontabs/my-new-cron-object"]),
        "crontab.stable.example.com/my-new-cron-object scaled\n"
    );
    assert_eq!(c.ok(&["get", "crontabs", "my-new-cron-object", "-o", "jsonpath={.spec.replicas}"]), "5");
    assert_eq!(
        c.ok(&["get", "ct", "my-new-cron-object", "-o", "jsonpath={.metadata.generation}"]),
        "2",
        "a spec change bumps the generation"
    );
    let patched = c.ok(&[
        "patch",
        "ct",
        "my-new-cron-object",
        "--subresource=status",
        "--type=merge",
        "-p",
        r#"{"status":{"replicas":5,"labelSelector":"app=cron"}}"#,
    ]);
    assert_eq!(patched, "crontab.stable.example.com/my-new-cron-object patched\n");
    assert_text(
        &c.ok(&["get", "ct", "my-new-cron-object", "--subresource=scale"]),
        "NAME                 DESIRED   AVAILABLE\nmy-new-cron-object   5         5\n",
    );
    let over = c.run(&["scale", "--replicas=11", "ct/my-new-cron-object"]);
    assert_eq!(
        over.stderr,
        "The CronTab \"my-new-cron-object\" is invalid: spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10\n"
    );
}

#[test]
fn cluster_scoped_definitions_and_refused_definitions() {
    let c = Cluster::new();
    let bad = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: foo.example.com}\n\
               spec: {group: example.com, scope: Cluster, names: {plural: widgets, kind: Widget},\n  \
               versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]}\n";
    let out = c.run(&["apply", "-f", &c.file("bad.yaml", bad)]);
    assert_eq!(
        (out.stderr.as_str(), out.code),
        ("The CustomResourceDefinition \"foo.example.com\" is invalid: metadata.name: Invalid value: \"foo.example.com\": must be spec.names.plural+\".\"+spec.group\n", 1)
    );
    assert_eq!(c.run(&["get", "crd"]).stderr, "No resources found\n");
    let good = bad.replace("name: foo.example.com", "name: widgets.example.com");
    c.ok(&["apply", "-f", &c.file("good.yaml", &good)]);
    let w = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1, namespace: ignored}\nspec: {anything: [1, 2]}\n";
    assert_eq!(c.ok(&["create", "-f", &c.file("w.yaml", w)]), "widget.example.com/w1 created\n");
    assert_text(&c.ok(&["get", "widgets", "-A"]), "NAME   AGE\nw1     0s\n");
    assert_eq!(
        c.ok(&["get", "widget", "w1", "-o", "jsonpath={.metadata.namespace}|{.spec}"]),
        r#"|{"anything":[1,2]}"#
    );
}
