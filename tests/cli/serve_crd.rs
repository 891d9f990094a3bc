//! CustomResourceDefinitions through `kstate serve`: with a plain HTTP client (discovery, OpenAPI,
//! CRUD, validation, field validation, Tables, scale, watch, deletion), and with the real kubectl
//! v1.32 replaying the CronTab task page (skipped, saying so, where none is installed).

use serde_json::{json, Value};

use crate::crd::{CRONTAB_FULL, INVALID_CRONTAB, INVALID_MESSAGE, MY_CRONTAB};
use crate::harness::{assert_text, Cluster};
use crate::serve::{get, request, Server};
use crate::serve_kubectl::{kubectl, Kubectl};

const CRONTABS: &str = "/apis/stable.example.com/v1/namespaces/default/crontabs";
const CRDS: &str = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
const JSON: (&str, &str) = ("Content-Type", "application/json");

fn yaml_to_json(text: &str) -> Value {
    let v: serde_yaml::Value = serde_yaml::from_str(text).expect("yaml");
    serde_json::to_value(v).expect("json")
}

fn crontab(name: &str, spec: Value) -> String {
    json!({"apiVersion": "stable.example.com/v1", "kind": "CronTab", "metadata": {"name": name}, "spec": spec})
        .to_string()
}

#[test]
fn custom_resources_over_http() {
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let p = server.port;
    // Not served before its definition exists.
    assert_eq!(get(p, CRONTABS).code, 404);
    let r = request(p, "POST", CRDS, &[JSON], &yaml_to_json(CRONTAB_FULL).to_string());
    assert_eq!(r.code, 201, "{}", r.body);
    assert_eq!(r.json()["status"]["conditions"][1]["type"], "Established");

    // Discovery, aggregated and legacy.
    let agg = request(
        p,
        "GET",
        "/apis",
        &[("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json")],
        "",
    )
    .json();
    let group =
        agg["items"].as_array().unwrap().iter().find(|g| g["metadata"]["name"] == "stable.example.com").cloned();
    let group = group.expect("stable.example.com in aggregated discovery");
    let resource = &group["versions"][0]["resources"][0];
    assert_eq!(resource["resource"], "crontabs");
    assert_eq!(resource["shortNames"], json!(["ct"]));
    let subs: Vec<&str> =
        resource["subresources"].as_array().unwrap().iter().filter_map(|s| s["subresource"].as_str()).collect();
    assert_eq!(subs, ["status", "scale"]);
    let legacy = get(p, "/apis/stable.example.com/v1").json();
    let names: Vec<&str> = legacy["resources"].as_array().unwrap().iter().filter_map(|r| r["name"].as_str()).collect();
    assert_eq!(names, ["crontabs", "crontabs/status", "crontabs/scale"]);

    // OpenAPI v3: the CRD's schema under its GVK, and a PATCH declaring fieldValidation.
    let index = get(p, "/openapi/v3").json();
    let url = index["paths"]["apis/stable.example.com/v1"]["serverRelativeURL"].as_str().unwrap().to_string();
    let doc = get(p, &url).json();
    let schema = &doc["components"]["schemas"]["com.example.stable.v1.CronTab"];
    assert_eq!(schema["properties"]["spec"]["properties"]["replicas"]["maximum"], 10);
    assert_eq!(schema["x-kubernetes-group-version-kind"][0]["kind"], "CronTab");
    let patch = &doc["paths"]["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}"]["patch"];
    assert!(patch["parameters"].to_string().contains("fieldValidation"));

    // Validation: a 422 with the API server's causes, nothing stored.
    let bad = yaml_to_json(INVALID_CRONTAB).to_string();
    let r = request(p, "POST", CRONTABS, &[JSON], &bad);
    assert_eq!(r.code, 422, "{}", r.body);
    let status = r.json();
    assert_eq!(status["reason"], "Invalid");
    assert_eq!(status["details"]["causes"][1]["field"], "spec.replicas");
    assert_eq!(
        status["details"]["causes"][1]["message"],
        "Invalid value: 15: spec.replicas in body should be less than or equal to 10"
    );
    assert_eq!(get(p, CRONTABS).json()["items"], json!([]));

    // Field validation: Strict refuses, Warn (the default) prunes and warns, Ignore prunes.
    let extra = crontab("x", json!({"image": "i", "replicas": 2, "colour": "red"}));
    let r = request(p, "POST", &format!("{CRONTABS}?fieldValidation=Strict"), &[JSON], &extra);
    assert_eq!(r.code, 400);
    assert_eq!(
        r.json()["message"],
        "CronTab in version \"v1\" cannot be handled as a CronTab: strict decoding error: unknown field \"spec.colour\""
    );
    let r = request(p, "POST", CRONTABS, &[JSON], &extra);
    assert_eq!(r.code, 201, "{}", r.body);
    assert!(r.head.contains("Warning: 299 - \"unknown field \\\"spec.colour\\\"\""), "{}", r.head);
    assert_eq!(r.json()["spec"], json!({"image": "i", "replicas": 2}));
    let r = request(p, "POST", &format!("{CRONTABS}?fieldValidation=Ignore"), &[JSON], &crontab("y", json!({"zz": 1})));
    assert_eq!((r.code, r.head.contains("Warning")), (201, false));
    let r = request(p, "POST", &format!("{CRONTABS}?fieldValidation=Loose"), &[JSON], &crontab("z", json!({})));
    assert_eq!(r.code, 400);

    // A Table with the printer columns, equal to the CLI's.
    let table =
        request(p, "GET", &format!("{CRONTABS}/x"), &[("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")], "");
    let t = table.json();
    let headers: Vec<&str> =
        t["columnDefinitions"].as_array().unwrap().iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(headers, ["Name", "Spec", "Replicas", "Age"]);
    assert_eq!(t["rows"][0]["cells"], json!(["x", "<none>", "2", "0s"]));

    // The scale subresource, and a watch seeing the change (after the watch cache, which polls
    // every 100 ms, has seen the object's creation).
    std::thread::sleep(std::time::Duration::from_millis(500));
    let rv = get(p, CRONTABS).json()["metadata"]["resourceVersion"].as_str().unwrap().to_string();
    let r = request(
        p,
        "PATCH",
        &format!("{CRONTABS}/x/scale"),
        &[("Content-Type", "application/merge-patch+json")],
        r#"{"spec":{"replicas":4}}"#,
    );
    assert_eq!((r.code, r.json()["spec"]["replicas"].clone()), (200, json!(4)), "{}", r.body);
    let events = get(p, &format!("{CRONTABS}?watch=true&resourceVersion={rv}&timeoutSeconds=2")).body;
    let first: Value = serde_json::from_str(events.lines().next().unwrap_or("{}")).expect("event");
    assert_eq!((first["type"].as_str(), first["object"]["spec"]["replicas"].as_i64()), (Some("MODIFIED"), Some(4)));

    // Deleting the definition deletes its objects and stops serving the kind.
    let r = request(p, "DELETE", &format!("{CRDS}/crontabs.stable.example.com"), &[], "");
    assert_eq!(r.code, 200, "{}", r.body);
    assert_eq!(get(p, CRONTABS).code, 404);
    assert!(!get(p, "/apis").body.contains("stable.example.com"));
    assert_eq!(cluster.run(&["get", "crd"]).stderr, "No resources found\n");
}

#[test]
fn real_kubectl_replays_the_crontab_page() {
    let Some(bin) = kubectl() else {
        crate::serve::skipped("real_kubectl_replays_the_crontab_page: no kubectl v1.32 installed (set KUBECTL_1_32)");
        return;
    };
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let k = Kubectl { bin, server: &server, cluster: &cluster };
    cluster.file("resourcedefinition.yaml", CRONTAB_FULL);
    cluster.file("my-crontab.yaml", MY_CRONTAB);
    cluster.file("invalid.yaml", INVALID_CRONTAB);
    assert_eq!(
        k.ok(&["apply", "-f", "resourcedefinition.yaml"]),
        "customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created\n"
    );
    // kubectl validates against the served OpenAPI (fieldValidation=Strict): the server refuses.
    let (out, err, code) = k.run(&["apply", "-f", "invalid.yaml"], "");
    assert_eq!((out.as_str(), err.as_str(), code), ("", INVALID_MESSAGE, 1));
    assert_eq!(k.ok(&["apply", "-f", "my-crontab.yaml"]), "crontab.stable.example.com/my-new-cron-object created\n");
    for args in [
        &["get", "crontab"][..],
        &["get", "ct", "-o", "wide"],
        &["get", "crd"],
        &["describe", "ct"],
        &["get", "ct", "-o", "yaml"],
    ] {
        assert_text(&k.ok(args), &cluster.ok(args));
    }
    let (_, err, code) = k.run(&["apply", "-f", "-"], &crontab("x", json!({"image": "i", "colour": "red"})));
    assert_eq!(
        (err.as_str(), code),
        ("Error from server (BadRequest): error when creating \"STDIN\": CronTab in version \"v1\" cannot be handled as a CronTab: strict decoding error: unknown field \"spec.colour\"\n", 1)
    );
    let (out, err, code) =
        k.run(&["apply", "--validate=warn", "-f", "-"], &crontab("x", json!({"image": "i", "colour": "red"})));
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        ("crontab.stable.example.com/x created\n", "Warning: unknown field \"spec.colour\"\n", 0)
    );
    let explain = k.ok(&["explain", "crontab.spec.replicas"]);
    assert!(
        explain.starts_with(
            "GROUP:      stable.example.com\nKIND:       CronTab\nVERSION:    v1\n\nFIELD: replicas <integer>\n"
        ),
        "{explain}"
    );
    assert_eq!(
        k.ok(&["scale", "--replicas=5", "crontabs/my-new-cron-object"]),
        "crontab.stable.example.com/my-new-cron-object scaled\n"
    );
    assert_eq!(k.ok(&["get", "crontabs", "my-new-cron-object", "-o", "jsonpath={.spec.replicas}"]), "5");
    assert_eq!(cluster.ok(&["get", "ct", "my-new-cron-object", "-o", "jsonpath={.spec.replicas}"]), "5");
    assert_eq!(
        k.ok(&["delete", "-f", "resourcedefinition.yaml"]),
        "customresourcedefinition.apiextensions.k8s.io \"crontabs.stable.example.com\" deleted\n"
    );
    let (_, err, code) = k.run(&["get", "crontabs"], "");
    assert_eq!(code, 1, "{err}");
}

/// A CRD with three versions: v1 (storage), v1beta1 served, v1alpha1 not served.
const VERSIONED: &str = r#"{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
  "metadata": {"name": "gadgets.example.com"},
  "spec": {"group": "example.com", "scope": "Namespaced",
    "names": {"plural": "gadgets", "kind": "Gadget", "categories": ["all"]},
    "versions": [
      {"name": "v1alpha1", "served": false, "storage": false, "schema": {"openAPIV3Schema": {"type": "object"}}},
      {"name": "v1beta1", "served": true, "storage": false,
       "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}}}}}}},
      {"name": "v1", "served": true, "storage": true,
       "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}}}}}}}]}}"#;

#[test]
fn served_versions_and_the_preferred_one() {
    let cluster = Cluster::new();
    let server = Server::start(&cluster);
    let p = server.port;
    let r = request(p, "POST", CRDS, &[JSON], VERSIONED);
    assert_eq!(r.code, 201, "{}", r.body);
    assert_eq!(r.json()["status"]["storedVersions"], json!(["v1"]));
    let groups = get(p, "/apis").json();
    let group =
        groups["groups"].as_array().unwrap().iter().find(|g| g["name"] == "example.com").cloned().expect("group");
    assert_eq!(group["preferredVersion"]["version"], "v1");
    let versions: Vec<&str> =
        group["versions"].as_array().unwrap().iter().filter_map(|v| v["version"].as_str()).collect();
    assert_eq!(versions, ["v1", "v1beta1"], "served versions only, the preferred first");
    assert_eq!(get(p, "/apis/example.com/v1alpha1/namespaces/default/gadgets").code, 404);
    // Written at v1beta1, read at either version (conversion strategy None).
    let body =
        json!({"apiVersion": "example.com/v1beta1", "kind": "Gadget", "metadata": {"name": "g"}, "spec": {"size": 3}});
    let r = request(p, "POST", "/apis/example.com/v1beta1/namespaces/default/gadgets", &[JSON], &body.to_string());
    assert_eq!((r.code, r.json()["apiVersion"].clone()), (201, json!("example.com/v1beta1")), "{}", r.body);
    let at_v1 = get(p, "/apis/example.com/v1/namespaces/default/gadgets/g").json();
    assert_eq!((at_v1["apiVersion"].as_str(), at_v1["spec"]["size"].as_i64()), (Some("example.com/v1"), Some(3)));
    let list = get(p, "/apis/example.com/v1beta1/namespaces/default/gadgets").json();
    assert_eq!(
        (list["kind"].as_str(), list["items"][0]["apiVersion"].as_str()),
        (Some("GadgetList"), Some("example.com/v1beta1"))
    );
    // The CLI reads the preferred version; the category puts it in `get all`.
    assert_eq!(cluster.ok(&["get", "gadget", "g", "-o", "jsonpath={.apiVersion}"]), "example.com/v1");
    assert!(cluster.ok(&["get", "all"]).contains("gadget.example.com/g"));
}
