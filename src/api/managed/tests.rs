use serde_json::json;

use super::apply::{apply, Conflicts};
use super::*;

const T0: &str = "2026-11-27T09:00:00Z";
const T1: &str = "2026-11-27T09:01:00Z";

fn writer<'a>(manager: &'a str, time: &'a str) -> Writer<'a> {
    Writer { manager, api_version: "v1", time }
}

fn cm(data: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "default", "uid": "u"}, "data": data})
}

#[test]
fn a_create_owns_every_field_but_identity_and_maps_carry_their_marker() {
    let mut o = cm(json!({"a": "1"}));
    record_update(None, &mut o, writer("kubectl-create", T0));
    assert_eq!(
        o["metadata"]["managedFields"],
        json!([{"apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {".": {}, "f:a": {}}},
                "manager": "kubectl-create", "operation": "Update", "time": T0}])
    );
}

#[test]
fn an_update_takes_over_what_it_changed_only() {
    let mut old = cm(json!({"a": "1", "b": "2"}));
    record_update(None, &mut old, writer("kubectl-create", T0));
    let mut new = old.clone();
    new["data"]["b"] = json!("3");
    record_update(Some(&old), &mut new, writer("kubectl-edit", T1));
    let list = entries(&new);
    assert_eq!(list[0]["fieldsV1"], json!({"f:data": {".": {}, "f:a": {}}}));
    assert_eq!(list[1]["manager"], json!("kubectl-edit"));
    assert_eq!(list[1]["fieldsV1"], json!({"f:data": {"f:b": {}}}));
}

#[test]
fn apply_conflicts_with_an_updater_of_another_value_unless_forced() {
    let mut live = cm(json!({"a": "1"}));
    record_update(None, &mut live, writer("kubectl-create", T0));
    let config = cm(json!({"a": "2"}));
    let err = apply(Some(&live), &config, writer("kubectl", T1), false).unwrap_err();
    assert_eq!(err, Conflicts(vec![("\"kubectl-create\" using v1".into(), ".data.a".into())]));
    assert_eq!(err.message(), "Apply failed with 1 conflict: conflict with \"kubectl-create\" using v1: .data.a");
    let forced = apply(Some(&live), &config, writer("kubectl", T1), true).unwrap();
    assert_eq!(forced["data"], json!({"a": "2"}));
    assert_eq!(entries(&forced).len(), 1, "the creator's only field moved: {forced}");
}

#[test]
fn applying_the_same_value_co_owns_and_dropping_a_field_removes_it() {
    let first = apply(None, &cm(json!({"a": "1", "b": "2"})), writer("m", T0), false).unwrap();
    let same = apply(Some(&first), &cm(json!({"a": "1"})), writer("n", T1), false).unwrap();
    assert_eq!(entries(&same).len(), 2);
    let dropped = apply(Some(&same), &cm(json!({"c": "3"})), writer("m", T1), false).unwrap();
    assert_eq!(dropped["data"], json!({"a": "1", "c": "3"}), "b had no other owner; a is still n's");
}

#[test]
fn list_elements_are_keyed_and_conflicts_name_them() {
    let pod = |image: &str| {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
               "spec": {"containers": [{"name": "web", "image": image, "ports": [{"containerPort": 80}]}]}})
    };
    let first = apply(None, &pod("nginx"), writer("a", T0), false).unwrap();
    let set = &entries(&first)[0]["fieldsV1"];
    assert_eq!(
        set["f:spec"]["f:containers"]["k:{\"name\":\"web\"}"]["f:ports"]
            ["k:{\"containerPort\":80,\"protocol\":\"TCP\"}"],
        json!({".": {}, "f:containerPort": {}})
    );
    let err = apply(Some(&first), &pod("httpd"), writer("b", T1), false).unwrap_err();
    assert_eq!(
        err.message(),
        "Apply failed with 1 conflict: conflict with \"a\": .spec.containers[name=\"web\"].image"
    );
}

#[test]
fn hide_removes_managed_fields_from_objects_and_lists() {
    let mut o = cm(json!({}));
    record_update(None, &mut o, writer("x", T0));
    let mut list = json!({"items": [o.clone()]});
    hide(&mut o);
    hide(&mut list);
    assert!(o["metadata"].get("managedFields").is_none());
    assert!(list["items"][0]["metadata"].get("managedFields").is_none());
}
