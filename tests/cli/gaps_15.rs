//! Known gaps closed: `kstate serve` honours `dryRun` in a DELETE's body, `create -f
//! --dry-run=client` prints the namespace, `--allow-missing-template-keys=false` for jsonpath,
//! and `serviceAccount` follows `serviceAccountName` as the API server's conversion makes it.

use crate::harness::{assert_text, Cluster};
use crate::serve::{request, Server};

const CM: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  a: b
";

#[test]
fn serve_delete_with_dry_run_in_the_body_deletes_nothing() {
    let c = Cluster::new();
    c.ok(&["create", "-f", &c.file("cm.yaml", CM)]);
    let server = Server::start(&c);
    let p = server.port;
    // kubectl's `delete --dry-run=server` sends DeleteOptions with dryRun in the body.
    let opts =
        r#"{"kind":"DeleteOptions","apiVersion":"meta.k8s.io/v1","propagationPolicy":"Background","dryRun":["All"]}"#;
    let one = request(p, "DELETE", "/api/v1/namespaces/default/configmaps/cm", &[], opts);
    assert_eq!((one.code, one.json()["status"].as_str()), (200, Some("Success")), "{}", one.body);
    let all = request(p, "DELETE", "/api/v1/namespaces/default/configmaps", &[], opts);
    assert_eq!(all.code, 200, "{}", all.body);
    assert_eq!(all.json()["items"].as_array().map(Vec::len), Some(2));
    assert_text(&c.ok(&["get", "cm", "-o", "name"]), "configmap/cm\nconfigmap/kube-root-ca.crt\n");
    // Without dryRun the same request deletes.
    let real =
        request(p, "DELETE", "/api/v1/namespaces/default/configmaps/cm", &[], r#"{"propagationPolicy":"Background"}"#);
    assert_eq!(real.code, 200, "{}", real.body);
    assert_text(&c.ok(&["get", "cm", "-o", "name"]), "configmap/kube-root-ca.crt\n");
}

#[test]
fn create_dry_run_client_prints_the_namespace_of_namespaced_objects() {
    let c = Cluster::new();
    let cm = c.file("cm.yaml", CM);
    let want = |ns: &str| {
        format!("apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: {ns}\n")
    };
    assert_text(&c.ok(&["create", "-f", &cm, "--dry-run=client", "-o", "yaml"]), &want("default"));
    assert_text(
        &c.ok(&["create", "-f", &cm, "-n", "kube-public", "--dry-run=client", "-o", "yaml"]),
        &want("kube-public"),
    );
    let ns = c.file("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n");
    assert_text(
        &c.ok(&["create", "-f", &ns, "--dry-run=client", "-o", "yaml"]),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n",
    );
    let o = c.run(&["get", "cm", "cm"]);
    assert_eq!((o.stderr.as_str(), o.code), ("Error from server (NotFound): configmaps \"cm\" not found\n", 1));
}

#[test]
fn allow_missing_template_keys_false_fails_on_a_missing_key_as_kubectl_does() {
    let c = Cluster::new();
    c.ok(&["create", "-f", &c.file("cm.yaml", CM)]);
    let uid = c.ok(&["get", "cm", "cm", "-o", "jsonpath={.metadata.uid}"]);
    let rv = c.ok(&["get", "cm", "cm", "-o", "jsonpath={.metadata.resourceVersion}"]);
    // Allowed by default: nothing printed.
    assert_eq!(c.ok(&["get", "cm", "cm", "-o", "jsonpath={.x}"]), "");
    assert_eq!(c.ok(&["get", "cm", "cm", "-o", "jsonpath={.data.a}", "--allow-missing-template-keys=false"]), "b");
    // jsonpath and go-template see managedFields (only -o json|yaml leave them out).
    assert_eq!(c.ok(&["get", "cm", "cm", "-o", "jsonpath={.metadata.managedFields[0].manager}"]), "kubectl-create");
    let object = format!(
        "map[string]interface {{}}{{\"apiVersion\":\"v1\", \"data\":map[string]interface {{}}{{\"a\":\"b\"}}, \"kind\":\"ConfigMap\", \"metadata\":map[string]interface {{}}{{\"creationTimestamp\":\"2026-11-27T09:00:00Z\", \"managedFields\":[]interface {{}}{{map[string]interface {{}}{{\"apiVersion\":\"v1\", \"fieldsType\":\"FieldsV1\", \"fieldsV1\":map[string]interface {{}}{{\"f:data\":map[string]interface {{}}{{\".\":map[string]interface {{}}{{}}, \"f:a\":map[string]interface {{}}{{}}}}}}, \"manager\":\"kubectl-create\", \"operation\":\"Update\", \"time\":\"2026-11-27T09:00:00Z\"}}}}, \"name\":\"cm\", \"namespace\":\"default\", \"resourceVersion\":\"{rv}\", \"uid\":\"{uid}\"}}}}"
    );
    let want = |template: &str, why: &str| {
        format!("error: error executing jsonpath \"{template}\": Error executing template: {why}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath engine was:\n\t\t{object}\n\n\n")
    };
    for (output, template, why) in [
        ("jsonpath={.x}", "{.x}", "x is not found"),
        ("jsonpath={.data.nope}", "{.data.nope}", "nope is not found"),
        ("jsonpath-as-json={.x}", "{.x}", "x is not found"),
        // Not about missing keys: every evaluation failure has this form.
        ("jsonpath={.data[5]}", "{.data[5]}", "map[string]interface {} is not array or slice"),
    ] {
        let o = c.run(&["get", "cm", "cm", "-o", output, "--allow-missing-template-keys=false"]);
        assert_text(&o.stderr, &want(template, why));
        assert_eq!((o.stdout.as_str(), o.code), ("", 1), "{output}");
    }
    let o = c.run(&["get", "cm", "-o", "jsonpath={.x}", "--allow-missing-template-keys=maybe"]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("error: invalid argument \"maybe\" for \"--allow-missing-template-keys\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\n", 1)
    );
}

#[test]
fn service_account_follows_service_account_name_in_every_pod_spec() {
    let c = Cluster::new();
    c.ok(&["create", "deployment", "web", "--image=nginx"]);
    assert_eq!(c.ok(&["set", "sa", "deploy", "web", "builder"]), "deployment.apps/web serviceaccount updated\n");
    let both = "jsonpath={.spec.template.spec.serviceAccountName} {.spec.template.spec.serviceAccount}";
    assert_eq!(c.ok(&["get", "deploy", "web", "-o", both]), "builder builder");
    assert_eq!(c.ok(&["set", "sa", "deploy", "web", "other"]), "deployment.apps/web serviceaccount updated\n");
    assert_eq!(c.ok(&["get", "deploy", "web", "-o", both]), "other other");
    // The deprecated field alone names the account.
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  serviceAccount: legacy\n  containers:\n  - name: c\n    image: nginx\n";
    c.ok(&["create", "-f", &c.file("pod.yaml", pod)]);
    let pod_both = "jsonpath={.spec.serviceAccountName} {.spec.serviceAccount}";
    assert_eq!(c.ok(&["get", "pod", "p", "-o", pod_both]), "legacy legacy");
}

#[test]
fn a_stale_edit_is_a_conflict_and_keeps_the_changes_for_a_retry() {
    let c = Cluster::new();
    c.ok(&["create", "-f", &c.file("cm.yaml", CM)]);
    let tmp = c.path_of("tmp");
    std::fs::create_dir_all(&tmp).expect("tmp dir");
    // While the editor is open another client changes the object; the edit still names the
    // resourceVersion it was given.
    let script = format!(
        "#!/bin/sh\nKSTATE_HOME={state} {bin} label cm cm x=y >/dev/null\nsed -i 's/^  a: b/  a: c/; s/resourceVersion: .*/resourceVersion: \"1\"/' \"$1\"\n",
        state = c.state().display(),
        bin = crate::harness::bin()
    );
    let editor = c.file("editor.sh", &script);
    let o = c
        .command(&["edit", "cm", "cm"])
        .env("KUBE_EDITOR", format!("sh {editor}"))
        .env("TMPDIR", &tmp)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let saved: Vec<_> = std::fs::read_dir(&tmp).expect("tmp").flatten().map(|e| e.path()).collect();
    assert_eq!(saved.len(), 1, "{stderr}");
    let file = saved[0].display().to_string();
    assert!(file.contains("/kubectl-edit-") && file.ends_with(".yaml"), "{file}");
    assert_text(&stderr, &format!("error: configmaps \"cm\" could not be patched: Operation cannot be fulfilled on configmaps \"cm\": the object has been modified; please apply your changes to the latest version and try again\nYou can run `kubectl replace -f {file}` to try this update again.\n"));
    assert_eq!(o.status.code(), Some(1));
    assert!(std::fs::read_to_string(&saved[0]).expect("saved").contains("  a: c\n"));
    assert_eq!(c.ok(&["get", "cm", "cm", "-o", "jsonpath={.data.a} {.metadata.labels.x}"]), "b y");
}

#[test]
fn an_unknown_verb_gets_cobras_suggestions_and_help_verb_is_verb_help() {
    let c = Cluster::new();
    for (word, want) in [
        ("gett", "error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget\n"),
        ("lgs", "error: unknown command \"lgs\" for \"kubectl\"\n\nDid you mean this?\n\tlogs\n"),
        ("creat", "error: unknown command \"creat\" for \"kubectl\"\n\nDid you mean this?\n\tcreate\n"),
        ("xyzzyq", "error: unknown command \"xyzzyq\" for \"kubectl\"\n"),
    ] {
        let o = c.run(&[word, "pods"]);
        assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("", want, 1), "{word}");
    }
    assert_eq!(c.ok(&["help", "get"]), c.ok(&["get", "--help"]));
    assert_eq!(c.ok(&["help", "rollout", "status"]), c.ok(&["rollout", "status", "--help"]));
}

#[test]
fn bash_completion_also_serves_the_kubectl_alias() {
    let c = Cluster::new();
    c.ok(&["create", "-f", &c.file("cm.yaml", CM)]);
    let dir = std::path::PathBuf::from(crate::harness::bin()).parent().expect("bin dir").to_path_buf();
    let script = r#"shopt -s expand_aliases
alias kubectl=kstate
source <(kstate completion bash)
complete -p kubectl
COMP_WORDS=(kubectl get con); COMP_CWORD=2; _kstate; echo "${COMPREPLY[@]}"
COMP_WORDS=(kubectl get cm ""); COMP_CWORD=3; _kstate; echo "${COMPREPLY[@]}"
COMP_WORDS=(kubectl rollo); COMP_CWORD=1; _kstate; echo "${COMPREPLY[@]}"
"#;
    let path = format!("{}:{}", dir.display(), std::env::var("PATH").unwrap_or_default());
    let out = std::process::Command::new("bash")
        .args(["-c", script])
        .env("PATH", path)
        .env("KSTATE_HOME", c.state())
        .env("KSTATE_NOW", &c.now)
        .output()
        .expect("run bash");
    assert_text(
        &String::from_utf8_lossy(&out.stdout),
        "complete -o default -F _kstate kubectl\nconfigmaps controllerrevisions\ncm kube-root-ca.crt\nrollout\n",
    );
}

/// A mistyped `--state-dir` is not read as a new, empty cluster: a reading command fails and
/// creates nothing; a command that creates objects starts the cluster there, as before.
#[test]
fn a_state_dir_that_does_not_exist_is_an_error_for_reading_commands() {
    let c = Cluster::new();
    let typo = c.path_of("clustr");
    let dir = typo.to_str().expect("utf-8 path");
    let o = c.run(&["--state-dir", dir, "get", "pods"]);
    assert_eq!(o.code, 1);
    assert_text(
        &o.stderr,
        &format!(
            "error: the state directory \"{dir}\" does not exist (a command that creates objects, such as create or apply, starts a new cluster there)\n"
        ),
    );
    assert!(!typo.exists(), "a failed read created {dir}");
    assert_text(&c.ok(&["--state-dir", dir, "create", "configmap", "x"]), "configmap/x created\n");
    assert_text(&c.ok(&["--state-dir", dir, "get", "cm", "x", "-o", "name"]), "configmap/x\n");
    // An existing empty directory (as `mktemp -d` makes) is a fresh cluster to read.
    std::fs::create_dir(c.path_of("empty")).expect("mkdir");
    let empty = c.path_of("empty");
    assert!(c.ok(&["--state-dir", empty.to_str().expect("utf-8 path"), "get", "nodes"]).starts_with("NAME "));
}
