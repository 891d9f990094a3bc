//! `apply --server-side`: field managers recorded on every write, hidden from `get` unless
//! `--show-managed-fields`, conflicts with the API server's message and kubectl's advice (exit 1,
//! nothing written), `--force-conflicts`, and the hand-over from client-side apply.

use crate::harness::{assert_text, Cluster};

const CONF: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: conf
  labels:
    app: web
data:
  mode: fast
";

const ADVICE: &str = "Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
";

#[test]
fn create_and_label_record_their_managers_shown_only_on_request() {
    let c = Cluster::new();
    let f = c.file("conf.yaml", CONF);
    c.ok(&["create", "-f", &f]);
    c.ok(&["label", "cm", "conf", "tier=db"]);
    // Hidden from -o yaml|json only: kubectl's jsonpath printer sees them without the flag.
    assert!(!c.ok(&["get", "cm", "conf", "-o", "yaml"]).contains("managedFields"));
    assert_text(
        &c.ok(&["get", "cm", "conf", "-o", "jsonpath={.metadata.managedFields[*].manager}"]),
        "kubectl-create kubectl-label",
    );
    assert_text(
        &c.ok(&["get", "cm", "conf", "-o", "jsonpath={.metadata.managedFields[*].manager}", "--show-managed-fields"]),
        "kubectl-create kubectl-label",
    );
    let yaml = c.ok(&["get", "cm", "conf", "-o", "yaml", "--show-managed-fields"]);
    assert!(
        yaml.contains(
            "  managedFields:
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1:
      f:data:
        .: {}
        f:mode: {}
      f:metadata:
        f:labels:
          .: {}
          f:app: {}
    manager: kubectl-create
    operation: Update
    time: \"2026-11-27T09:00:00Z\"
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1:
      f:metadata:
        f:labels:
          f:tier: {}
    manager: kubectl-label
    operation: Update
    time: \"2026-11-27T09:00:00Z\"
"
        ),
        "{yaml}"
    );
}

#[test]
fn a_conflict_is_refused_with_the_servers_message_and_forcing_takes_the_field() {
    let c = Cluster::new();
    let f = c.file("conf.yaml", CONF);
    c.ok(&["create", "-f", &f]);
    c.ok(&["label", "cm", "conf", "tier=db"]);
    let changed =
        c.file("changed.yaml", &CONF.replace("fast", "slow").replace("app: web", "app: web\n    tier: cache"));
    let before = c.snapshot();
    let out = c.run(&["apply", "--server-side", "-f", &changed]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "");
    assert_text(
        &out.stderr,
        &format!(
            "error: Apply failed with 2 conflicts: conflicts with \"kubectl-create\" using v1:
- .data.mode
conflicts with \"kubectl-label\" using v1:
- .metadata.labels.tier
{ADVICE}"
        ),
    );
    assert_eq!(c.snapshot(), before, "a refused apply writes nothing");

    assert_eq!(
        c.ok(&["apply", "--server-side", "--force-conflicts", "-f", &changed]),
        "configmap/conf serverside-applied\n"
    );
    assert_eq!(c.ok(&["get", "cm", "conf", "-o", "jsonpath={.data.mode} {.metadata.labels.tier}"]), "slow cache");
    assert_eq!(
        c.ok(&[
            "get",
            "cm",
            "conf",
            "--show-managed-fields",
            "-o",
            "jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation} {end}"
        ]),
        "kubectl/Apply kubectl-create/Update "
    );
}

#[test]
fn one_conflict_names_the_field_and_another_manager_may_co_own_an_equal_value() {
    let c = Cluster::new();
    let f = c.file("conf.yaml", CONF);
    assert_eq!(
        c.ok(&["apply", "--server-side", "--field-manager=ci", "-f", &f]),
        "configmap/conf serverside-applied\n"
    );
    assert_eq!(
        c.ok(&["apply", "--server-side", "--field-manager=ops", "-f", &f]),
        "configmap/conf serverside-applied\n"
    );
    let changed = c.file("changed.yaml", &CONF.replace("fast", "slow"));
    let out = c.run(&["apply", "--server-side", "--field-manager=ops", "-f", &changed]);
    assert_eq!(out.code, 1);
    assert_text(
        &out.stderr,
        &format!("error: Apply failed with 1 conflict: conflict with \"ci\": .data.mode\n{ADVICE}"),
    );
}

#[test]
fn fields_dropped_from_the_configuration_are_removed_when_nobody_else_owns_them() {
    let c = Cluster::new();
    let f = c.file("conf.yaml", &CONF.replace("mode: fast", "mode: fast\n  extra: \"1\""));
    c.ok(&["apply", "--server-side", "-f", &f]);
    let g = c.file("less.yaml", CONF);
    c.ok(&["apply", "--server-side", "-f", &g]);
    assert_eq!(c.ok(&["get", "cm", "conf", "-o", "jsonpath={.data}"]), "{\"mode\":\"fast\"}");
}

#[test]
fn the_first_server_side_apply_takes_over_from_client_side_apply() {
    let c = Cluster::new();
    let f = c.file("conf.yaml", CONF);
    c.ok(&["apply", "-f", &f]);
    let changed = c.file("changed.yaml", &CONF.replace("fast", "slow"));
    assert_eq!(c.ok(&["apply", "--server-side", "-f", &changed]), "configmap/conf serverside-applied\n");
    assert_eq!(
        c.ok(&["get", "cm", "conf", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}"]),
        "kubectl"
    );
}

#[test]
fn flag_combinations_kubectl_refuses() {
    let c = Cluster::new();
    let f = c.file("conf.yaml", CONF);
    let out = c.run(&["apply", "--force-conflicts", "-f", &f]);
    assert_eq!((out.code, out.stderr.as_str()), (1, "error: --force-conflicts only works with --server-side\n"));
    let out = c.run(&["apply", "--server-side", "--dry-run=client", "-f", &f]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (1, "error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)\n")
    );
}
