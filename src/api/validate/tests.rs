//! Messages as the v1.32 API server words them (apps/core/storage validation, apimachinery).

use serde_json::{json, Value};

use super::*;
use crate::api::defaults;

fn sts() -> Value {
    json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web", "namespace": "default"},
        "spec": {"selector": {"matchLabels": {"app": "nginx"}}, "serviceName": "nginx", "replicas": 2,
          "template": {"metadata": {"labels": {"app": "nginx"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx",
              "ports": [{"containerPort": 80, "name": "web"}],
              "volumeMounts": [{"name": "disk-ssd", "mountPath": "/data"}]}]}},
          "volumeClaimTemplates": [{"metadata": {"name": "disk-ssd"},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "alicloud-disk-ssd",
                     "resources": {"requests": {"storage": "20Gi"}}}}]}})
}

/// Defaults, then validates; returns the rendered error.
fn invalid(mut obj: Value) -> String {
    defaults::apply(&mut obj);
    match validate_create(&obj) {
        Ok(()) => String::new(),
        Err(e) => e.to_string(),
    }
}

/// Sets the field at a JSON pointer, creating the last key.
fn with(mut obj: Value, pointer: &str, v: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match obj.pointer_mut(parent).unwrap() {
        Value::Array(a) => a[key.parse::<usize>().unwrap()] = v,
        other => {
            other[key] = v;
        }
    }
    obj
}

#[test]
fn the_seed_statefulset_is_valid() {
    assert_eq!(invalid(sts()), "");
}

#[test]
fn selector_must_match_template_labels() {
    let o = with(sts(), "/spec/template/metadata/labels", json!({"app": "nginx-x"}));
    assert_eq!(
        invalid(o),
        "The StatefulSet \"web\" is invalid: spec.template.metadata.labels: Invalid value: \
         map[string]string{\"app\":\"nginx-x\"}: `selector` does not match template `labels`"
    );
}

#[test]
fn selector_required_and_not_empty() {
    let mut o = sts();
    o["spec"].as_object_mut().unwrap().remove("selector");
    assert_eq!(invalid(o), "The StatefulSet \"web\" is invalid: spec.selector: Required value");
    let o = with(sts(), "/spec/selector", json!({}));
    assert_eq!(
        invalid(o),
        "The StatefulSet \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), \
         MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset"
    );
}

#[test]
fn negative_numbers_are_rejected() {
    let o = with(sts(), "/spec/replicas", json!(-1));
    assert_eq!(
        invalid(o),
        "The StatefulSet \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
    );
    let mut o = with(sts(), "/spec/minReadySeconds", json!(-5));
    o["spec"]["ordinals"] = json!({"start": -2});
    let e = invalid(o);
    assert!(e.contains("\n* spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0"), "{e}");
    assert!(e.contains("\n* spec.ordinals.start: Invalid value: -2: must be greater than or equal to 0"), "{e}");
}

#[test]
fn policies_and_strategies() {
    let o = with(sts(), "/spec/podManagementPolicy", json!("Burst"));
    assert!(invalid(o)
        .ends_with("spec.podManagementPolicy: Invalid value: \"Burst\": must be 'OrderedReady' or 'Parallel'"));
    let mut o = sts();
    o["spec"]["updateStrategy"] = json!({"type": "Sometimes"});
    assert!(invalid(o).ends_with(
        "spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:\"Sometimes\", \
         RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'"
    ));
    let mut o = sts();
    o["spec"]["persistentVolumeClaimRetentionPolicy"] = json!({"whenDeleted": "Keep"});
    assert!(invalid(o).ends_with(
        "spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: \"Keep\": supported values: \"Delete\", \"Retain\""
    ));
    let o = with(
        sts(),
        "/spec/template/spec",
        json!({"restartPolicy": "Never",
        "containers": [{"name": "nginx", "image": "nginx", "volumeMounts": [{"name": "disk-ssd", "mountPath": "/data"}]}]}),
    );
    assert_eq!(
        invalid(o),
        "The StatefulSet \"web\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""
    );
}

#[test]
fn statefulset_names_are_dns_labels() {
    let o = with(sts(), "/metadata/name", json!("web.v1"));
    assert_eq!(
        invalid(o),
        "The StatefulSet \"web.v1\" is invalid: metadata.name: Invalid value: \"web.v1\": a lowercase RFC 1123 label must \
         consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character \
         (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    );
    let o = with(sts(), "/metadata/name", json!(""));
    assert_eq!(
        invalid(o),
        "The StatefulSet \"\" is invalid: metadata.name: Required value: name or generateName is required"
    );
}

#[test]
fn template_pod_spec_is_checked_at_create() {
    let o = with(sts(), "/spec/template/spec/containers/0/volumeMounts/0/name", json!("data"));
    assert_eq!(
        invalid(o),
        "The StatefulSet \"web\" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"data\""
    );
    let mut o = sts();
    o["spec"]["template"]["spec"]["containers"][0].as_object_mut().unwrap().remove("image");
    assert_eq!(
        invalid(o),
        "The StatefulSet \"web\" is invalid: spec.template.spec.containers[0].image: Required value"
    );
    let o = with(sts(), "/spec/template/spec/containers", json!([]));
    assert_eq!(invalid(o), "The StatefulSet \"web\" is invalid: spec.template.spec.containers: Required value");
}

#[test]
fn claim_templates_need_access_modes_and_storage() {
    let o = with(sts(), "/spec/volumeClaimTemplates/0/spec", json!({}));
    assert_eq!(
        invalid(o),
        "The StatefulSet \"web\" is invalid: \n\
         * spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required\n\
         * spec.volumeClaimTemplates[0].spec.resources[storage]: Required value"
    );
}

#[test]
fn immutable_statefulset_fields() {
    let mut old = sts();
    defaults::apply(&mut old);
    let mut new = old.clone();
    new["spec"]["replicas"] = json!(3);
    new["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.25");
    assert!(validate_update(&old, &new).is_ok());
    new["spec"]["serviceName"] = json!("other");
    assert_eq!(
        validate_update(&old, &new).unwrap_err().to_string(),
        format!("The StatefulSet \"web\" is invalid: spec: Forbidden: {}", update::STS_FORBIDDEN)
    );
}

fn pod() -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
        "spec": {"containers": [{"name": "c", "image": "busybox", "volumeMounts": [{"name": "v", "mountPath": "/v"}]}],
                 "volumes": [{"name": "v", "emptyDir": {}}]}})
}

#[test]
fn pod_rules() {
    assert_eq!(invalid(pod()), "");
    let o = with(pod(), "/spec/containers/0/volumeMounts/0/name", json!("w"));
    assert_eq!(invalid(o), "The Pod \"p\" is invalid: spec.containers[0].volumeMounts[0].name: Not found: \"w\"");
    let o = with(pod(), "/spec/restartPolicy", json!("Sometimes"));
    assert_eq!(
        invalid(o),
        "The Pod \"p\" is invalid: spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""
    );
    let o = with(pod(), "/spec/containers/0/name", json!("C_1"));
    assert!(invalid(o).starts_with(
        "The Pod \"p\" is invalid: spec.containers[0].name: Invalid value: \"C_1\": a lowercase RFC 1123 label"
    ));
    let o = with(pod(), "/spec/containers", json!([{"name": "a", "image": "x"}, {"name": "a", "image": "y"}]));
    assert_eq!(invalid(o), "The Pod \"p\" is invalid: spec.containers[1].name: Duplicate value: \"a\"");
    let o = with(pod(), "/spec/containers/0/ports", json!([{"containerPort": 70000}]));
    assert_eq!(
        invalid(o),
        "The Pod \"p\" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"
    );
}

fn pvc() -> Value {
    json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "www-web-0", "namespace": "default"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}})
}

#[test]
fn pvc_rules() {
    assert_eq!(invalid(pvc()), "");
    let o = with(pvc(), "/spec/accessModes", json!(["ReadWriteSometimes"]));
    assert_eq!(
        invalid(o),
        "The PersistentVolumeClaim \"www-web-0\" is invalid: spec.accessModes: Unsupported value: \"ReadWriteSometimes\": \
         supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\""
    );
    let o = with(pvc(), "/spec/accessModes", json!(["ReadWriteOncePod", "ReadWriteOnce"]));
    assert!(invalid(o).ends_with("spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"));
    let o = with(pvc(), "/spec/resources/requests/storage", json!("0"));
    assert!(invalid(o).ends_with("spec.resources[storage]: Invalid value: \"0\": must be greater than zero"));
}

#[test]
fn pvc_updates() {
    let mut old = pvc();
    defaults::apply(&mut old);
    old["status"] = json!({"phase": "Bound", "capacity": {"storage": "1Gi"}});
    let mut grow = old.clone();
    grow["spec"]["resources"]["requests"]["storage"] = json!("2Gi");
    assert!(validate_update(&old, &grow).is_ok());
    let mut shrink = old.clone();
    shrink["spec"]["resources"]["requests"]["storage"] = json!("512Mi");
    assert!(validate_update(&old, &shrink)
        .unwrap_err()
        .to_string()
        .ends_with("spec.resources.requests.storage: Forbidden: field can not be less than status.capacity"));
    let mut modes = old.clone();
    modes["spec"]["accessModes"] = json!(["ReadWriteMany"]);
    assert!(validate_update(&old, &modes).unwrap_err().to_string().contains(
        "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"
    ));
}

#[test]
fn storage_class_rules() {
    let sc = json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "ssd"},
        "provisioner": "diskplugin.csi.alibabacloud.com"});
    assert_eq!(invalid(sc.clone()), "");
    let mut bad = sc.clone();
    bad.as_object_mut().unwrap().remove("provisioner");
    bad["volumeBindingMode"] = json!("Later");
    assert_eq!(
        invalid(bad),
        "The StorageClass \"ssd\" is invalid: \n* provisioner: Required value\n\
         * volumeBindingMode: Unsupported value: \"Later\": supported values: \"Immediate\", \"WaitForFirstConsumer\""
    );
    let mut old = sc.clone();
    defaults::apply(&mut old);
    let mut new = old.clone();
    new["reclaimPolicy"] = json!("Retain");
    assert_eq!(
        validate_update(&old, &new).unwrap_err().to_string(),
        "The StorageClass \"ssd\" is invalid: reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden."
    );
}

#[test]
fn service_and_namespace_rules() {
    let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "nginx", "namespace": "default"},
        "spec": {"clusterIP": "None", "selector": {"app": "nginx"}, "ports": [{"port": 80, "name": "web"}]}});
    assert_eq!(invalid(svc.clone()), "");
    let o = with(svc.clone(), "/spec/ports/0/port", json!(0));
    // targetPort defaults to the port, so it is reported too, as on a real server.
    assert!(invalid(o).contains("\n* spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n"));
    let o = with(svc, "/metadata/name", json!("1nginx"));
    assert!(invalid(o).contains("metadata.name: Invalid value: \"1nginx\": a DNS-1035 label must consist of"));
    let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "Dev"}});
    assert!(invalid(ns).starts_with(
        "The Namespace \"Dev\" is invalid: metadata.name: Invalid value: \"Dev\": a lowercase RFC 1123 label"
    ));
    let pv = json!({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "d-1"},
        "spec": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "20Gi"}, "csi": {"driver": "x", "volumeHandle": "d-1"}}});
    assert_eq!(invalid(pv), "");
}
