//! Expected shapes are those of `kubectl get -o yaml` on a v1.32 cluster (kubectl-formats.md §3).

use serde_json::{json, Value};

use super::*;

fn defaulted(mut v: Value) -> Value {
    apply(&mut v);
    v
}

#[test]
fn statefulset_from_the_seed() {
    let sts = json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"},
        "spec": {"selector": {"matchLabels": {"app": "nginx"}}, "serviceName": "nginx", "replicas": 2,
          "template": {"metadata": {"labels": {"app": "nginx"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx",
              "ports": [{"containerPort": 80, "name": "web"}],
              "volumeMounts": [{"name": "disk-ssd", "mountPath": "/data"}]}]}},
          "volumeClaimTemplates": [{"metadata": {"name": "disk-ssd"},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "alicloud-disk-ssd",
                     "resources": {"requests": {"storage": "20Gi"}}}}]}});
    let spec = defaulted(sts)["spec"].clone();
    let want = json!({
        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
        "podManagementPolicy": "OrderedReady",
        "replicas": 2,
        "revisionHistoryLimit": 10,
        "selector": {"matchLabels": {"app": "nginx"}},
        "serviceName": "nginx",
        "template": {"metadata": {"creationTimestamp": null, "labels": {"app": "nginx"}},
          "spec": {"containers": [{"image": "nginx", "imagePullPolicy": "Always", "name": "nginx",
              "ports": [{"containerPort": 80, "name": "web", "protocol": "TCP"}],
              "resources": {}, "terminationMessagePath": "/dev/termination-log",
              "terminationMessagePolicy": "File",
              "volumeMounts": [{"mountPath": "/data", "name": "disk-ssd"}]}],
            "dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler",
            "securityContext": {}, "terminationGracePeriodSeconds": 30}},
        "updateStrategy": {"rollingUpdate": {"partition": 0}, "type": "RollingUpdate"},
        "volumeClaimTemplates": [{"apiVersion": "v1", "kind": "PersistentVolumeClaim",
          "metadata": {"creationTimestamp": null, "name": "disk-ssd"},
          "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "20Gi"}},
                   "storageClassName": "alicloud-disk-ssd", "volumeMode": "Filesystem"},
          "status": {"phase": "Pending"}}]
    });
    assert_eq!(spec, want);
}

#[test]
fn statefulset_strategy_rules() {
    let on_delete = json!({"kind": "StatefulSet", "spec": {"updateStrategy": {"type": "OnDelete"}}});
    assert_eq!(defaulted(on_delete)["spec"]["updateStrategy"], json!({"type": "OnDelete"}));
    let typed = json!({"kind": "StatefulSet", "spec": {"updateStrategy": {"type": "RollingUpdate"}}});
    assert_eq!(defaulted(typed)["spec"]["updateStrategy"], json!({"type": "RollingUpdate"}));
    let unavailable =
        json!({"kind": "StatefulSet", "spec": {"updateStrategy": {"rollingUpdate": {"maxUnavailable": 2}}}});
    assert_eq!(
        defaulted(unavailable)["spec"]["updateStrategy"],
        json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})
    );
    let partial = json!({"kind": "StatefulSet", "spec": {"replicas": 0,
        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Delete"},
        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 2}}}});
    let spec = defaulted(partial)["spec"].clone();
    assert_eq!(spec["replicas"], 0);
    assert_eq!(spec["updateStrategy"]["rollingUpdate"]["partition"], 2);
    assert_eq!(spec["persistentVolumeClaimRetentionPolicy"], json!({"whenDeleted": "Delete", "whenScaled": "Retain"}));
}

#[test]
fn pod_defaults() {
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "c", "image": "nginx:1.25",
            "resources": {"limits": {"memory": "1024Mi"}},
            "livenessProbe": {"httpGet": {"port": 80}},
            "env": [{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]}],
          "volumes": [{"name": "cm", "configMap": {"name": "x"}}, {"name": "e"}, {"name": "h", "hostPath": {"path": "/x"}}]}});
    let spec = defaulted(pod)["spec"].clone();
    assert_eq!(spec["enableServiceLinks"], true);
    assert!(spec.get("priority").is_none(), "the Priority admission plugin sets it");
    assert_eq!(spec["restartPolicy"], "Always");
    let c = &spec["containers"][0];
    assert_eq!(c["imagePullPolicy"], "IfNotPresent");
    assert_eq!(c["resources"], json!({"limits": {"memory": "1Gi"}, "requests": {"memory": "1Gi"}}));
    assert_eq!(
        c["livenessProbe"],
        json!({"httpGet": {"path": "/", "port": 80, "scheme": "HTTP"}, "timeoutSeconds": 1,
               "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3})
    );
    assert_eq!(c["env"][0]["valueFrom"]["fieldRef"]["apiVersion"], "v1");
    assert_eq!(spec["volumes"][0]["configMap"]["defaultMode"], 420);
    assert_eq!(spec["volumes"][1]["emptyDir"], json!({}));
    assert_eq!(spec["volumes"][2]["hostPath"], json!({"path": "/x", "type": ""}));
}

#[test]
fn image_pull_policy_follows_the_tag() {
    for (image, tag) in [
        ("nginx", "latest"),
        ("nginx:latest", "latest"),
        ("nginx:1.25", "1.25"),
        ("localhost:5000/nginx", "latest"),
        ("nginx@sha256:abc", ""),
        ("registry:5000/a/b:v1@sha256:abc", "v1"),
    ] {
        assert_eq!(pod::tag_for_test(image), tag, "{image}");
    }
}

#[test]
fn pod_admission_adds_tolerations_and_service_account() {
    let mut pod = json!({"kind": "Pod", "spec": {"containers": []}});
    pod_admission(&mut pod);
    assert_eq!(pod["spec"]["serviceAccountName"], "default");
    assert_eq!(pod["spec"]["serviceAccount"], "default");
    assert_eq!(
        pod["spec"]["tolerations"][1],
        json!({"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300})
    );
    pod_admission(&mut pod);
    assert_eq!(pod["spec"]["tolerations"].as_array().unwrap().len(), 2);
}

#[test]
fn service_defaults() {
    let svc = json!({"kind": "Service", "spec": {"clusterIP": "None", "selector": {"app": "nginx"},
        "ports": [{"port": 80, "name": "web"}]}});
    let spec = defaulted(svc)["spec"].clone();
    assert_eq!(
        spec,
        json!({"clusterIP": "None", "selector": {"app": "nginx"}, "type": "ClusterIP", "sessionAffinity": "None",
               "ports": [{"port": 80, "name": "web", "protocol": "TCP", "targetPort": 80}],
               "internalTrafficPolicy": "Cluster", "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"]})
    );
    let np = defaulted(
        json!({"kind": "Service", "spec": {"type": "NodePort", "ports": [{"port": 80, "targetPort": "web"}]}}),
    );
    assert_eq!(np["spec"]["externalTrafficPolicy"], "Cluster");
    assert_eq!(np["spec"]["ports"][0]["targetPort"], "web");
}

#[test]
fn storage_defaults() {
    let pvc =
        defaulted(json!({"kind": "PersistentVolumeClaim", "spec": {"resources": {"requests": {"storage": "1024Mi"}}}}));
    assert_eq!(pvc["spec"]["volumeMode"], "Filesystem");
    assert_eq!(pvc["spec"]["resources"]["requests"]["storage"], "1Gi");
    assert_eq!(pvc["status"]["phase"], "Pending");
    let pv = defaulted(json!({"kind": "PersistentVolume", "spec": {"capacity": {"storage": "20Gi"}}}));
    assert_eq!(pv["spec"]["persistentVolumeReclaimPolicy"], "Retain");
    assert_eq!(pv["spec"]["volumeMode"], "Filesystem");
    let sc = defaulted(json!({"kind": "StorageClass", "provisioner": "x"}));
    assert_eq!(sc["reclaimPolicy"], "Delete");
    assert_eq!(sc["volumeBindingMode"], "Immediate");
    let keep = defaulted(json!({"kind": "StorageClass", "reclaimPolicy": "Retain"}));
    assert_eq!(keep["reclaimPolicy"], "Retain");
}

#[test]
fn namespace_defaults() {
    let ns = defaulted(json!({"kind": "Namespace", "metadata": {"name": "dev"}}));
    assert_eq!(ns["metadata"]["labels"]["kubernetes.io/metadata.name"], "dev");
    assert_eq!(ns["spec"]["finalizers"], json!(["kubernetes"]));
    assert_eq!(ns["status"]["phase"], "Active");
}
