use serde_json::{json, Value};

use super::{decode, FieldValidation};

fn pod(spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec})
}

fn refused(mut obj: Value) -> String {
    decode(&mut obj, FieldValidation::Strict).unwrap_err().to_string()
}

#[test]
fn unknown_fields_are_refused_with_their_paths() {
    let obj = pod(json!({"containers": [{"name": "c", "image": "nginx", "imagePullPolice": "Always"}], "foo": 1}));
    assert_eq!(
        refused(obj),
        "Error from server (BadRequest): Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: \
         unknown field \"spec.containers[0].imagePullPolice\", unknown field \"spec.foo\""
    );
}

#[test]
fn warn_and_ignore_drop_unknown_fields() {
    let mut obj = pod(json!({"containers": [{"name": "c", "image": "nginx", "bogus": true}]}));
    let warnings = decode(&mut obj, FieldValidation::Warn).unwrap();
    assert_eq!(warnings, vec!["unknown field \"spec.containers[0].bogus\"".to_string()]);
    assert!(obj["spec"]["containers"][0].get("bogus").is_none());
    let mut obj = pod(json!({"containers": [], "bogus": true}));
    assert!(decode(&mut obj, FieldValidation::Ignore).unwrap().is_empty());
    assert!(obj["spec"].get("bogus").is_none());
}

#[test]
fn wrong_types_name_the_go_struct_field() {
    let sts = json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "w"},
                     "spec": {"replicas": "three"}});
    assert_eq!(
        refused(sts),
        "Error from server (BadRequest): StatefulSet in version \"v1\" cannot be handled as a StatefulSet: \
         json: cannot unmarshal string into Go struct field StatefulSetSpec.spec.replicas of type int32"
    );
    let big = json!({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": 3_000_000_000u64}});
    assert!(refused(big).ends_with(
        "cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32"
    ));
    let port = pod(json!({"containers": [{"name": "c", "ports": [{"containerPort": 1.5}]}]}));
    assert!(refused(port).ends_with(
        "json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"
    ));
    let policy = pod(json!({"restartPolicy": 3}));
    assert!(refused(policy).ends_with("Go struct field PodSpec.spec.restartPolicy of type v1.RestartPolicy"));
    let list = pod(json!({"containers": {"name": "c"}}));
    assert!(refused(list)
        .ends_with("cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container"));
}

#[test]
fn the_first_type_error_wins_over_unknown_fields() {
    let obj = pod(json!({"aaa": 1, "hostNetwork": "yes", "priority": "high"}));
    assert!(
        refused(obj).ends_with("cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool")
    );
}

#[test]
fn quantities_and_int_or_strings_use_their_own_errors() {
    let obj = pod(json!({"containers": [{"name": "c", "resources": {"limits": {"memory": "1Gx"}}}]}));
    assert!(refused(obj).ends_with(
        "cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    ));
    let svc = json!({"apiVersion": "v1", "kind": "Service", "spec": {"ports": [{"port": 80, "targetPort": true}]}});
    assert!(refused(svc)
        .ends_with("cannot be handled as a Service: json: cannot unmarshal bool into Go value of type int32"));
    let mut ok =
        json!({"apiVersion": "v1", "kind": "Service", "spec": {"ports": [{"port": 80, "targetPort": "http"}]}});
    assert!(decode(&mut ok, FieldValidation::Strict).is_ok());
}

#[test]
fn secret_data_must_be_base64() {
    let secret = json!({"apiVersion": "v1", "kind": "Secret", "data": {"a": "YQ==", "b": "not base64"}});
    assert!(refused(secret).ends_with("cannot be handled as a Secret: illegal base64 data at input byte 3"));
}

#[test]
fn unknown_versions_are_left_alone() {
    let mut obj = json!({"apiVersion": "apps/v1beta2", "kind": "StatefulSet", "spec": {"bogus": 1}});
    assert!(decode(&mut obj, FieldValidation::Strict).unwrap().is_empty());
    assert_eq!(obj["spec"]["bogus"], 1);
}
