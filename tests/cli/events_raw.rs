//! `kstate events` (kubectl v1.32's `kubectl events`) and `get --raw`. Expected outputs were
//! checked against the real kubectl v1.32 run on the same objects (served by
//! ../shared/tools/kubectl-oracle.py), byte for byte, ordering of equal times included.

use crate::harness::{assert_text, Cluster};

/// A StatefulSet at 09:00, its pod web-0 deleted at 09:10, a crash-looping pod at 09:20; read at 09:30.
fn history() -> Cluster {
    let mut c = Cluster::new();
    let f = c.file("web.yaml", crate::harness::seed_manifest());
    c.ok(&["create", "-f", &f]);
    c.at("2026-11-27T09:10:00Z").ok(&["delete", "pod", "web-0"]);
    c.at("2026-11-27T09:20:00Z").ok(&["run", "bad", "--image=busybox", "--restart=Always", "--", "false"]);
    c.at("2026-11-27T09:30:00Z");
    c
}

#[test]
fn events_sorts_by_last_time_as_go_sort_sort_does() {
    // 19 events share 09:00: Go's unstable pdqsort (breakPatterns included) decides their order.
    let c = history();
    assert_text(&c.ok(&["events"]), EVENTS);
}

#[test]
fn events_filters_by_type_and_object_and_spans_namespaces() {
    let c = history();
    assert_text(&c.ok(&["events", "-A", "--types=warning"]), WARNINGS);
    assert_text(&c.ok(&["events", "--for", "po/bad", "-o", "json", "--types", "Warning"]), WARNING_JSON);
    let out = c.ok(&["events", "--for", "statefulset.apps/web", "--no-headers", "-o", "jsonpath={.items[*].count}"]);
    assert_eq!(out, "1 1 1 2", "the repeated event was last seen at 09:10");
    let out = c.ok(&["events", "--for", "pod/web-1", "--no-headers"]);
    assert_eq!(out.lines().count(), 6, "Scheduled, SuccessfulAttachVolume, Pulling, Pulled, Created, Started");
    assert!(out.lines().all(|l| l.starts_with("30m   Normal   ")), "{out}");
    // -o name: kubectl's name printer fails on the typed list and the error is dropped.
    assert_eq!(c.ok(&["events", "-o", "name"]), "");
}

#[test]
fn events_watch_prints_each_event_as_its_own_tab_block() {
    let c = history();
    assert_text(&c.ok(&["events", "-w", "--for", "sts/web"]), WATCH);
}

#[test]
fn events_with_nothing_to_show_say_so_on_stderr() {
    let c = history();
    let o = c.run(&["events", "-n", "kube-system"]);
    assert_eq!((o.code, o.stdout.as_str(), o.stderr.as_str()), (0, "", "No events found in kube-system namespace.\n"));
    let o = c.run(&["events", "-A", "--for", "node/nope"]);
    assert_eq!((o.code, o.stdout.as_str(), o.stderr.as_str()), (0, "", "No events found.\n"));
}

#[test]
fn events_refuses_bad_flags_as_kubectl_does() {
    let c = Cluster::new();
    let cases: [(&[&str], &str); 5] = [
        (&["events", "--types=Foo"], "error: valid --types are Normal or Warning\n"),
        (&["events", "--for", "pod"], "error: --for must be in resource/name form\n"),
        (&["events", "--for", "pod/a/b"], "error: arguments in resource/name form may not have more than one slash\n"),
        (&["events", "--for", "foo/x"], "the server doesn't have a resource type \"foo\"\n"),
        (
            &["events", "-o", "wide"],
            "error: unable to match a printer suitable for the output format \"wide\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n",
        ),
    ];
    for (args, want) in cases {
        let o = c.run(args);
        assert_eq!((o.code, o.stdout.as_str(), o.stderr.as_str()), (1, "", want), "{args:?}");
    }
}

const EVENTS: &str = r#"LAST SEEN             TYPE      REASON                   OBJECT                                 MESSAGE
30m                   Normal    Created                  Pod/web-0                              Created container: nginx
30m                   Normal    Scheduled                Pod/web-1                              Successfully assigned default/web-1 to cn-beijing.192.168.1.102
30m                   Normal    SuccessfulCreate         StatefulSet/web                        create Pod web-1 in StatefulSet web successful
30m                   Normal    Started                  Pod/web-0                              Started container nginx
30m                   Normal    SuccessfulCreate         StatefulSet/web                        create Claim disk-ssd-web-0 Pod web-0 in StatefulSet web success
30m                   Normal    Started                  Pod/web-1                              Started container nginx
30m                   Normal    ExternalProvisioning     PersistentVolumeClaim/disk-ssd-web-0   Waiting for a volume to be created either by the external provisioner 'diskplugin.csi.alibabacloud.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.
30m                   Normal    Provisioning             PersistentVolumeClaim/disk-ssd-web-0   External provisioner is provisioning volume for claim "default/disk-ssd-web-0"
30m                   Normal    ProvisioningSucceeded    PersistentVolumeClaim/disk-ssd-web-0   Successfully provisioned volume d-2zen558wdld2uxkqryhq
30m                   Normal    ExternalProvisioning     PersistentVolumeClaim/disk-ssd-web-1   Waiting for a volume to be created either by the external provisioner 'diskplugin.csi.alibabacloud.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.
30m                   Normal    Provisioning             PersistentVolumeClaim/disk-ssd-web-1   External provisioner is provisioning volume for claim "default/disk-ssd-web-1"
30m                   Normal    ProvisioningSucceeded    PersistentVolumeClaim/disk-ssd-web-1   Successfully provisioned volume d-2zey5ywmkkgrwqoluvif
30m                   Normal    Scheduled                Pod/web-0                              Successfully assigned default/web-0 to cn-beijing.192.168.0.101
30m                   Normal    SuccessfulAttachVolume   Pod/web-0                              AttachVolume.Attach succeeded for volume "d-2zen558wdld2uxkqryhq"
30m                   Normal    Pulling                  Pod/web-0                              Pulling image "nginx"
30m                   Normal    Pulled                   Pod/web-0                              Successfully pulled image "nginx" in 2.261s (2.261s including waiting). Image size: 23824487 bytes.
30m                   Normal    SuccessfulCreate         StatefulSet/web                        create Claim disk-ssd-web-1 Pod web-1 in StatefulSet web success
30m                   Normal    Created                  Pod/web-1                              Created container: nginx
30m                   Normal    Pulled                   Pod/web-1                              Successfully pulled image "nginx" in 2.261s (2.261s including waiting). Image size: 23824487 bytes.
30m                   Normal    Pulling                  Pod/web-1                              Pulling image "nginx"
30m                   Normal    SuccessfulAttachVolume   Pod/web-1                              AttachVolume.Attach succeeded for volume "d-2zey5ywmkkgrwqoluvif"
20m                   Normal    Killing                  Pod/web-0                              Stopping container nginx
20m                   Normal    Scheduled                Pod/web-0                              Successfully assigned default/web-0 to cn-beijing.192.168.0.101
20m                   Normal    Created                  Pod/web-0                              Created container: nginx
20m                   Normal    Started                  Pod/web-0                              Started container nginx
20m                   Normal    Pulling                  Pod/web-0                              Pulling image "nginx"
20m                   Normal    Pulled                   Pod/web-0                              Successfully pulled image "nginx" in 2.261s (2.261s including waiting). Image size: 23824487 bytes.
20m                   Normal    SuccessfulAttachVolume   Pod/web-0                              AttachVolume.Attach succeeded for volume "d-2zen558wdld2uxkqryhq"
20m (x2 over 30m)     Normal    SuccessfulCreate         StatefulSet/web                        create Pod web-0 in StatefulSet web successful
10m                   Normal    Scheduled                Pod/bad                                Successfully assigned default/bad to cn-beijing.192.168.2.103
4m50s (x6 over 10m)   Warning   BackOff                  Pod/bad                                Back-off restarting failed container bad in pod bad_default(0de3c00d-dea2-4d61-939c-ba28244df7af)
4m50s (x7 over 10m)   Normal    Created                  Pod/bad                                Created container: bad
4m50s (x7 over 10m)   Normal    Started                  Pod/bad                                Started container bad
4m50s (x7 over 10m)   Normal    Pulling                  Pod/bad                                Pulling image "busybox"
4m50s (x7 over 10m)   Normal    Pulled                   Pod/bad                                Successfully pulled image "busybox" in 2.481s (2.481s including waiting). Image size: 24326290 bytes.
"#;

const WARNINGS: &str = r#"NAMESPACE   LAST SEEN             TYPE      REASON    OBJECT    MESSAGE
default     4m50s (x6 over 10m)   Warning   BackOff   Pod/bad   Back-off restarting failed container bad in pod bad_default(0de3c00d-dea2-4d61-939c-ba28244df7af)
"#;

const WARNING_JSON: &str = r#"{
    "kind": "EventList",
    "apiVersion": "v1",
    "metadata": {},
    "items": [
        {
            "kind": "Event",
            "apiVersion": "v1",
            "metadata": {
                "name": "bad.18ebdc6459e0807a",
                "namespace": "default",
                "uid": "cdb36f7e-e1f1-4b0b-be4a-2f232bcc8f2f",
                "resourceVersion": "157",
                "creationTimestamp": "2026-11-27T09:20:00Z"
            },
            "involvedObject": {
                "kind": "Pod",
                "namespace": "default",
                "name": "bad",
                "uid": "0de3c00d-dea2-4d61-939c-ba28244df7af",
                "apiVersion": "v1",
                "resourceVersion": "122",
                "fieldPath": "spec.containers{bad}"
            },
            "reason": "BackOff",
            "message": "Back-off restarting failed container bad in pod bad_default(0de3c00d-dea2-4d61-939c-ba28244df7af)",
            "source": {
                "component": "kubelet",
                "host": "cn-beijing.192.168.2.103"
            },
            "firstTimestamp": "2026-11-27T09:20:00Z",
            "lastTimestamp": "2026-11-27T09:25:10Z",
            "count": 6,
            "type": "Warning",
            "eventTime": null,
            "reportingComponent": "kubelet",
            "reportingInstance": "cn-beijing.192.168.2.103"
        }
    ]
}
"#;

const WATCH: &str = r#"LAST SEEN   TYPE     REASON             OBJECT            MESSAGE
30m         Normal   SuccessfulCreate   StatefulSet/web   create Claim disk-ssd-web-0 Pod web-0 in StatefulSet web success
20m (x2 over 30m)   Normal   SuccessfulCreate   StatefulSet/web   create Pod web-0 in StatefulSet web successful
30m   Normal   SuccessfulCreate   StatefulSet/web   create Claim disk-ssd-web-1 Pod web-1 in StatefulSet web success
30m   Normal   SuccessfulCreate   StatefulSet/web   create Pod web-1 in StatefulSet web successful
"#;

/// `get --raw` answers from the handlers of `kstate serve`; the real kubectl's `get --raw` against
/// `kstate serve` printed the same bytes for each of these paths.
#[test]
fn get_raw_prints_the_api_servers_body() {
    let c = Cluster::new();
    c.ok(&["create", "configmap", "conf", "--from-literal=mode=fast"]);
    for health in ["/healthz", "/readyz", "/livez"] {
        assert_eq!(c.ok(&["get", "--raw", health]), "ok", "{health}");
    }
    assert_eq!(
        c.ok(&["get", "--raw", "/version"]),
        "{\"buildDate\":\"2026-01-01T00:00:00Z\",\"compiler\":\"gc\",\"gitCommit\":\"kstate\",\"gitTreeState\":\"clean\",\"gitVersion\":\"v1.32.1\",\"goVersion\":\"go1.23.8\",\"major\":\"1\",\"minor\":\"32\",\"platform\":\"linux/amd64\"}\n"
    );
    let uid = c.ok(&["get", "cm", "conf", "-o", "jsonpath={.metadata.uid}"]);
    assert_eq!(
        c.ok(&["get", "--raw", "/api/v1/namespaces/default/configmaps/conf"]),
        format!("{{\"apiVersion\":\"v1\",\"data\":{{\"mode\":\"fast\"}},\"kind\":\"ConfigMap\",\"metadata\":{{\"creationTimestamp\":\"2026-11-27T09:00:00Z\",\"managedFields\":[{{\"apiVersion\":\"v1\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{{\"f:data\":{{\".\":{{}},\"f:mode\":{{}}}}}},\"manager\":\"kubectl-create\",\"operation\":\"Update\",\"time\":\"2026-11-27T09:00:00Z\"}}],\"name\":\"conf\",\"namespace\":\"default\",\"resourceVersion\":\"28\",\"uid\":\"{uid}\"}}}}\n")
    );
    assert_eq!(
        c.ok(&["get", "--raw", "/api/v1/namespaces/default/configmaps?labelSelector=x%3Dy"]),
        "{\"apiVersion\":\"v1\",\"items\":[],\"kind\":\"ConfigMapList\",\"metadata\":{\"resourceVersion\":\"28\"}}\n"
    );
    assert_eq!(
        c.ok(&["get", "--raw", "/api"]),
        "{\"kind\":\"APIVersions\",\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1:6443\"}],\"versions\":[\"v1\"]}\n"
    );
    let apps = c.ok(&["get", "--raw", "/apis/apps/v1"]);
    assert!(
        apps.starts_with("{\"apiVersion\":\"v1\",\"groupVersion\":\"apps/v1\",\"kind\":\"APIResourceList\""),
        "{apps}"
    );
}

#[test]
fn get_raw_failures_are_kubectls() {
    let c = Cluster::new();
    let cases: [(&[&str], &str); 6] = [
        (
            &["get", "--raw", "/api/v1/namespaces/default/pods/nope"],
            "Error from server (NotFound): pods \"nope\" not found\n",
        ),
        (
            &["get", "--raw", "/nope"],
            "Error from server (NotFound): the server could not find the requested resource\n",
        ),
        (
            &["get", "--raw", "api/v1"],
            "error: --raw must be a valid URL path: parse \"api/v1\": invalid URI for request\n",
        ),
        (&["get", "pods", "--raw", "/api"], "error: arguments may not be passed when --raw is specified\n"),
        (&["get", "--raw", "/api", "-o", "yaml"], "error: --raw and --output are mutually exclusive\n"),
        (
            &["get", "--raw", "/api", "-l", "a=b"],
            "error: --raw may not be specified with other flags that filter the server request or alter the output\n",
        ),
    ];
    for (args, want) in cases {
        let o = c.run(args);
        assert_eq!((o.code, o.stdout.as_str(), o.stderr.as_str()), (1, "", want), "{args:?}");
    }
}

/// `api-versions` and `cluster-info`, as the real kubectl prints them against `kstate serve`
/// (its server URL replaced by the state directory's `file://` URL).
#[test]
fn api_versions_and_cluster_info() {
    let c = Cluster::new();
    assert_eq!(
        c.ok(&["api-versions"]),
        "apiextensions.k8s.io/v1\napps/v1\nautoscaling/v1\nautoscaling/v2\nbatch/v1\ncoordination.k8s.io/v1\ndiscovery.k8s.io/v1\nnetworking.k8s.io/v1\npolicy/v1\nrbac.authorization.k8s.io/v1\nscheduling.k8s.io/v1\nsnapshot.storage.k8s.io/v1\nstorage.k8s.io/v1\nv1\n"
    );
    let server = format!("file://{}", c.state().display());
    assert_eq!(
        c.ok(&["cluster-info"]),
        format!("Kubernetes control plane is running at {server}\nCoreDNS is running at {server}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n")
    );
}
