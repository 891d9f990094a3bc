//! The server decodes and validates request bodies as the CLI does: `fieldValidation=Strict`
//! refuses unknown fields (400), `Warn` (the default) drops them with `Warning` headers, `Ignore`
//! drops them silently; invalid objects get 422 `Invalid` Status bodies with the API server's
//! causes. Checked with a plain HTTP client and with the real kubectl's `--validate`.

use serde_json::json;

use crate::harness::Cluster;
use crate::serve::{get, request, Server};
use crate::serve_kubectl::{kubectl, Kubectl};

const DEPLOYMENTS: &str = "/apis/apps/v1/namespaces/default/deployments";
const JSON: (&str, &str) = ("Content-Type", "application/json");

/// A Deployment with a misspelt field in its spec and in its container.
const TYPO: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  bogus: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: c
        image: nginx
        imagePullPolice: Always
";

const UNKNOWN: &str = "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.bogus\", unknown field \"spec.template.spec.containers[0].imagePullPolice\"";

fn deployment(name: &str, spec_extra: serde_json::Value) -> String {
    let mut spec = json!({"selector": {"matchLabels": {"app": name}},
        "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}});
    if let (Some(m), Some(extra)) = (spec.as_object_mut(), spec_extra.as_object()) {
        m.extend(extra.clone());
    }
    json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name}, "spec": spec}).to_string()
}

#[test]
fn field_validation_over_http() {
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let p = server.port;
    let typo = deployment("a", json!({"bogus": 1}));
    let r = request(p, "POST", &format!("{DEPLOYMENTS}?fieldValidation=Strict"), &[JSON], &typo);
    assert_eq!(r.code, 400);
    assert_eq!(
        r.json()["message"],
        "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.bogus\""
    );
    assert_eq!(get(p, &format!("{DEPLOYMENTS}/a")).code, 404, "nothing stored");
    let r = request(p, "POST", DEPLOYMENTS, &[JSON], &typo);
    assert_eq!(r.code, 201, "{}", r.body);
    assert!(r.head.contains("\r\nWarning: 299 - \"unknown field \\\"spec.bogus\\\"\""), "{}", r.head);
    assert!(r.json()["spec"].get("bogus").is_none(), "the unknown field is dropped");
    let r = request(
        p,
        "POST",
        &format!("{DEPLOYMENTS}?fieldValidation=Ignore"),
        &[JSON],
        &deployment("b", json!({"bogus": 1})),
    );
    assert_eq!((r.code, r.head.contains("Warning:")), (201, false));
    // An invalid object: 422 with the causes.
    let r = request(p, "POST", DEPLOYMENTS, &[JSON], &deployment("c", json!({"replicas": -1})));
    assert_eq!(r.code, 422);
    let status = r.json();
    assert_eq!(
        status["message"],
        "Deployment.apps \"c\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
    );
    assert_eq!(
        status["details"]["causes"],
        json!([{"reason": "FieldValueInvalid", "message": "Invalid value: -1: must be greater than or equal to 0", "field": "spec.replicas"}])
    );
    // A wrong type: the decoder's 400.
    let r = request(p, "POST", DEPLOYMENTS, &[JSON], &deployment("d", json!({"replicas": "two"})));
    assert_eq!(r.code, 400);
    assert_eq!(
        r.json()["message"],
        "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"
    );
    // Updates and patches are decoded and validated too.
    let r = request(
        p,
        "PATCH",
        &format!("{DEPLOYMENTS}/a?fieldValidation=Strict"),
        &[("Content-Type", "application/merge-patch+json")],
        r#"{"spec":{"paused":true,"typo":1}}"#,
    );
    assert_eq!((r.code, r.json()["message"].clone()), (400, json!("Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.typo\"")));
    let r = request(
        p,
        "PATCH",
        &format!("{DEPLOYMENTS}/a"),
        &[("Content-Type", "application/merge-patch+json")],
        r#"{"spec":{"replicas":-3}}"#,
    );
    assert_eq!(r.code, 422, "{}", r.body);
    let r = request(p, "POST", &format!("{DEPLOYMENTS}?fieldValidation=Sloppy"), &[JSON], &deployment("e", json!({})));
    assert_eq!(r.code, 400);
}

#[test]
fn real_kubectl_validate_flag_against_serve() {
    let Some(bin) = kubectl() else {
        crate::serve::skipped(
            "real_kubectl_validate_flag_against_serve: no kubectl v1.32 installed (set KUBECTL_1_32)",
        );
        return;
    };
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let k = Kubectl { bin, server: &server, cluster: &cluster };
    cluster.file("d.yaml", TYPO);
    for args in [&["apply", "-f", "d.yaml", "--validate=strict"][..], &["create", "-f", "d.yaml"]] {
        let (out, err, code) = k.run(args, "");
        assert_eq!(
            (out.as_str(), err.as_str(), code),
            ("", format!("Error from server (BadRequest): error when creating \"d.yaml\": {UNKNOWN}\n").as_str(), 1),
            "{args:?}"
        );
    }
    assert_eq!(cluster.run(&["get", "deploy"]).stderr, "No resources found in default namespace.\n");
    let (out, err, code) = k.run(&["apply", "-f", "d.yaml", "--validate=warn"], "");
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        (
            "deployment.apps/web created\n",
            "Warning: unknown field \"spec.bogus\"\nWarning: unknown field \"spec.template.spec.containers[0].imagePullPolice\"\n",
            0
        )
    );
    // The same refusal through the CLI on the same state.
    let cli = cluster.run(&["apply", "-f", "d.yaml"]);
    assert_eq!(
        cli.stderr,
        format!("Error from server (BadRequest): error when applying patch \"d.yaml\": {UNKNOWN}\n")
    );
    // kubectl's patch carries the typos again (they are in last-applied but not live); the server
    // drops them without a word.
    let (out, err, code) = k.run(&["apply", "-f", "d.yaml", "--validate=false"], "");
    assert_eq!((out.as_str(), err.as_str(), code), ("deployment.apps/web configured\n", "", 0));
    let invalid = TYPO
        .replace("replicas: 1", "replicas: -1")
        .replace("  bogus: 1\n", "")
        .replace("        imagePullPolice: Always\n", "");
    cluster.file("invalid.yaml", &invalid);
    let (_, err, code) = k.run(&["apply", "-f", "invalid.yaml"], "");
    assert_eq!(
        (err.as_str(), code),
        (
            "The Deployment \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n",
            1
        )
    );
}
