//! `set env` and `set resources` on pod templates.

use crate::harness::Cluster;

fn deployment() -> Cluster {
    let c = Cluster::new();
    assert_eq!(c.ok(&["create", "deployment", "web", "--image=nginx"]), "deployment.apps/web created\n");
    c
}

const ENV: &str = "jsonpath={.spec.template.spec.containers[0].env}";

#[test]
fn set_env_sets_and_removes_variables() {
    let c = deployment();
    assert_eq!(c.ok(&["set", "env", "deploy/web", "MODE=fast", "LEVEL=1"]), "deployment.apps/web env updated\n");
    assert_eq!(
        c.ok(&["get", "deploy", "web", "-o", ENV]),
        r#"[{"name":"MODE","value":"fast"},{"name":"LEVEL","value":"1"}]"#
    );
    assert_eq!(c.ok(&["set", "env", "deploy", "web", "LEVEL-", "MODE=slow"]), "deployment.apps/web env updated\n");
    assert_eq!(c.ok(&["get", "deploy", "web", "-o", ENV]), r#"[{"name":"MODE","value":"slow"}]"#);
    assert_eq!(c.ok(&["set", "env", "deploy/web", "MODE=slow"]), "", "nothing changed, nothing printed");
    assert_eq!(c.ok(&["set", "env", "deploy/web", "-c", "side*", "X=1"]), "", "no container matches");
    assert_eq!(
        c.ok(&["get", "pods", "-o", "jsonpath={.items[*].spec.containers[0].env[0].value}"]),
        "slow",
        "the rollout replaced the pod"
    );
}

#[test]
fn set_env_needs_a_change() {
    let c = deployment();
    let o = c.run(&["set", "env", "deploy/web"]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "error: at least one environment variable must be provided\n"));
}

/// kubectl checks names with the strict `IsEnvVarName` on the client, though a v1.32 server takes
/// any printable ASCII but '=' (so the same name written in a manifest is accepted).
#[test]
fn set_env_refuses_names_kubectl_refuses() {
    let c = deployment();
    let o = c.run(&["set", "env", "deploy/web", "1X=y"]);
    let rule = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.clone()),
        (1, "", format!("error: \"1X\" is not a valid key name: {rule}\n"))
    );
    let o = c.run(&["set", "env", "deploy/web", "..X=y"]);
    assert_eq!(o.stderr, "error: \"..X\" is not a valid key name: must not start with '..'\n");
    assert_eq!(c.ok(&["get", "deploy", "web", "-o", ENV]), "", "nothing was set");
    let f = c.file("env.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx, env: [{name: 1X, value: z}]}]\n");
    assert_eq!(c.ok(&["create", "-f", &f]), "pod/p created\n");
    // `run --env` applies the same client rule, with its own message.
    let o = c.run(&["run", "r", "--image=nginx", "--env=1X=z"]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "error: invalid env: 1X=z\n"));
    assert_eq!(c.run(&["get", "pod", "r"]).code, 1, "no pod was created");
}

#[test]
fn set_resources_merges_limits_and_requests() {
    let c = deployment();
    assert_eq!(
        c.ok(&["set", "resources", "deploy", "web", "--limits=cpu=200m,memory=512Mi", "--requests=cpu=100m"]),
        "deployment.apps/web resource requirements updated\n"
    );
    assert_eq!(
        c.ok(&["get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].resources}"]),
        r#"{"limits":{"cpu":"200m","memory":"512Mi"},"requests":{"cpu":"100m"}}"#
    );
    let before = c.snapshot();
    let o = c.run(&["set", "resources", "deploy", "web", "--limits=cpu=2x"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n")
    );
    let o = c.run(&["set", "resources", "deploy", "web"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "error: you must specify an update to requests or limits (in the form of --requests/--limits)\n")
    );
    assert_eq!(c.snapshot(), before);
}
