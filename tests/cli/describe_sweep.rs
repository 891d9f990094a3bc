//! `describe` layouts found different from kubectl v1.32's by a sweep with
//! ../shared/tools/kubectl-diff.sh over realistic clusters; each expected text is what the real
//! kubectl printed for the same object.

use crate::harness::{assert_text, Cluster};

/// An HPA with every metric type kubectl's v2 describer knows, and a `behavior`.
const HPA_ALL_METRICS: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - {name: api, image: nginx, resources: {requests: {cpu: 100m}}}
      - {name: side, image: busybox, command: [sleep, infinity]}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: all-metrics, labels: {tier: x}, annotations: {a: b}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  maxReplicas: 10
  metrics:
  - type: Pods
    pods: {metric: {name: packets-per-second}, target: {type: AverageValue, averageValue: 1k}}
  - type: Object
    object:
      metric: {name: requests-per-second}
      describedObject: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: main-route}
      target: {type: Value, value: 10k}
  - type: Object
    object:
      metric: {name: hits}
      describedObject: {apiVersion: v1, kind: Service, name: web}
      target: {type: AverageValue, averageValue: "1500m"}
  - type: External
    external:
      metric: {name: queue_messages_ready, selector: {matchLabels: {queue: worker_tasks}}}
      target: {type: AverageValue, averageValue: "30"}
  - type: External
    external:
      metric: {name: lag}
      target: {type: Value, value: "2000"}
  - type: ContainerResource
    containerResource: {name: cpu, container: api, target: {type: Utilization, averageUtilization: 60}}
  - type: ContainerResource
    containerResource: {name: memory, container: side, target: {type: AverageValue, averageValue: 512Mi}}
  - type: Resource
    resource: {name: memory, target: {type: Utilization}}
  behavior:
    scaleUp:
      selectPolicy: Disabled
    scaleDown:
      stabilizationWindowSeconds: 300
      selectPolicy: Min
      policies: [{type: Percent, value: 10, periodSeconds: 60}, {type: Pods, value: 2, periodSeconds: 120}]
"#;

/// Pods, Object, External and ContainerResource metrics each have their own line, and the spec's
/// `behavior` is printed per direction, with the API server's defaults filled in;
/// quantities are canonical (`2000` is `2k`).
#[test]
fn describe_hpa_prints_every_metric_type_and_the_behavior() {
    let c = Cluster::new();
    let f = c.file("hpa.yaml", HPA_ALL_METRICS);
    c.ok(&["apply", "-f", &f]);
    let d = c.ok(&["describe", "hpa", "all-metrics"]);
    let head: String = d.split_inclusive('\n').take_while(|l| !l.starts_with("Conditions:")).collect();
    assert_text(
        &head,
        r#"Name:                                                                     all-metrics
Namespace:                                                                default
Labels:                                                                   tier=x
Annotations:                                                              a: b
CreationTimestamp:                                                        Fri, 27 Nov 2026 09:00:00 +0000
Reference:                                                                Deployment/api
Metrics:                                                                  ( current / target )
  "packets-per-second" on pods:                                           <unknown> / 1k
  "requests-per-second" on Ingress/main-route (target value):             <unknown> / 10k
  "hits" on Service/web (target average value):                           <unknown> / 1500m
  "queue_messages_ready" (target average value):                          <unknown> / 30
  "lag" (target value):                                                   <unknown> / 2k
  resource cpu of container "api" on pods  (as a percentage of request):  <unknown> / 60%
  resource memory of container "side" on pods:                            <unknown> / 512Mi
  resource memory on pods  (as a percentage of request):                  <unknown> / <auto>
Min replicas:                                                             1
Max replicas:                                                             10
Behavior:
  Scale Up:
    Stabilization Window: 0 seconds
    Select Policy: Disabled
    Policies:
      - Type: Pods     Value: 4    Period: 15 seconds
      - Type: Percent  Value: 100  Period: 15 seconds
  Scale Down:
    Stabilization Window: 300 seconds
    Select Policy: Min
    Policies:
      - Type: Percent  Value: 10  Period: 60 seconds
      - Type: Pods     Value: 2   Period: 120 seconds
Deployment pods:       2 current / 0 desired
"#,
    );
}

/// The section of a describe text from the line starting with `from` up to (not including) the
/// next line starting with `to`.
fn section(text: &str, from: &str, to: &str) -> String {
    let mut lines = text.split_inclusive('\n').skip_while(|l| !l.starts_with(from));
    let first = lines.next().unwrap_or_default().to_string();
    first + &lines.take_while(|l| !l.starts_with(to)).collect::<String>()
}

/// kubectl resolves an env var's fieldRef through its client-side scheme, which converts only
/// `metadata.name` and `metadata.namespace`: uid, labels, annotations, spec and status paths print
/// an empty value.
#[test]
fn describe_pod_env_field_refs_resolve_only_name_and_namespace() {
    let c = Cluster::new();
    let f = c.file(
        "envpod.yaml",
        r#"apiVersion: v1
kind: Pod
metadata: {name: envpod, labels: {a: b}, annotations: {x: "y"}}
spec:
  containers:
  - name: c
    image: nginx
    env:
    - {name: PODNAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: NS, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
    - {name: U, valueFrom: {fieldRef: {fieldPath: metadata.uid}}}
    - {name: L, valueFrom: {fieldRef: {fieldPath: "metadata.labels['a']"}}}
    - {name: AN, valueFrom: {fieldRef: {fieldPath: "metadata.annotations['x']"}}}
    - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
    - {name: HIP, valueFrom: {fieldRef: {fieldPath: status.hostIP}}}
"#,
    );
    c.ok(&["apply", "-f", &f]);
    let d = c.ok(&["describe", "pod", "envpod"]);
    assert_text(
        &section(&d, "    Environment:", "    Mounts:"),
        "    Environment:
      PODNAME:  envpod (v1:metadata.name)
      NS:       default (v1:metadata.namespace)
      U:         (v1:metadata.uid)
      L:         (v1:metadata.labels['a'])
      AN:        (v1:metadata.annotations['x'])
      NODE:      (v1:spec.nodeName)
      HIP:       (v1:status.hostIP)
",
    );
}

/// An ephemeral volume prints its claim template (volumeMode defaulted, as the API server does) as kubectl's `printPersistentVolumeClaim` through
/// a nested prefix writer: labels and annotations get the nesting again after the tab, as every
/// fragment is prefixed.
#[test]
fn describe_pod_ephemeral_volume_prints_the_claim_template() {
    let c = Cluster::new();
    let f = c.file(
        "eph.yaml",
        r#"apiVersion: v1
kind: Pod
metadata: {name: eph}
spec:
  containers:
  - name: c
    image: nginx
    volumeMounts: [{name: scratch, mountPath: /scratch}]
  volumes:
  - name: scratch
    ephemeral:
      volumeClaimTemplate:
        metadata:
          labels: {type: scratch, app: eph}
          annotations: {note: temp, owner: me}
        spec:
          accessModes: [ReadWriteOnce]
          volumeMode: Filesystem
          storageClassName: alicloud-disk-essd
          dataSource: {kind: PersistentVolumeClaim, name: other}
          resources: {requests: {storage: 20Gi}}
  - name: plain
    ephemeral:
      volumeClaimTemplate:
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
"#,
    );
    c.ok(&["apply", "-f", &f]);
    let d = c.ok(&["describe", "pod", "eph"]);
    let volumes = section(&d, "Volumes:", "  kube-api-access-");
    assert_text(
        &volumes,
        "Volumes:
  scratch:
    Type:          EphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)
    StorageClass:  alicloud-disk-essd
    Volume:        
    Labels:            app=eph
                       type=scratch
    Annotations:       note: temp
                       owner: me
    Capacity:      
    Access Modes:  
    VolumeMode:    Filesystem
    DataSource:
      Kind:  PersistentVolumeClaim
      Name:  other
  plain:
    Type:          EphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)
    StorageClass:  
    Volume:        
    Labels:            <none>
    Annotations:       <none>
    Capacity:      
    Access Modes:  
    VolumeMode:    Filesystem
",
    );
    // The API server defaults the template's claim spec and writes its empty metadata.
    let yaml = c.ok(&["get", "pod", "eph", "-o", "jsonpath={.spec.volumes[1]}"]);
    assert_eq!(
        yaml,
        r#"{"ephemeral":{"volumeClaimTemplate":{"metadata":{"creationTimestamp":null},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"volumeMode":"Filesystem"}}},"name":"plain"}"#
    );
}

/// A gRPC probe's `service` is defaulted to "" by the API server (kubectl's describe dereferences
/// it and panics on a stored object without it); describe prints the empty service.
#[test]
fn grpc_probe_service_defaults_to_empty_and_describes_as_kubectl() {
    let c = Cluster::new();
    let f = c.file(
        "grpc.yaml",
        r#"apiVersion: v1
kind: Pod
metadata: {name: grpc}
spec:
  containers:
  - name: c
    image: nginx
    readinessProbe: {grpc: {port: 9000}, initialDelaySeconds: 1}
    livenessProbe: {grpc: {port: 9001, service: health}}
"#,
    );
    c.ok(&["apply", "-f", &f]);
    assert_eq!(
        c.ok(&["get", "pod", "grpc", "-o", "jsonpath={.spec.containers[0].readinessProbe.grpc}"]),
        r#"{"port":9000,"service":""}"#
    );
    let d = c.ok(&["describe", "pod", "grpc"]);
    let probes: String =
        d.split_inclusive('\n').filter(|l| l.starts_with("    Liveness:") || l.starts_with("    Readiness:")).collect();
    assert_text(
        &probes,
        "    Liveness:       grpc <pod>:9001 health delay=0s timeout=1s period=10s #success=1 #failure=3
    Readiness:      grpc <pod>:9000  delay=1s timeout=1s period=10s #success=1 #failure=3
",
    );
}

/// kubectl's describe writes every fragment through `printers.WriteEscaped`: ESC shows as `^[` and
/// CR as `\r`, so an annotation or value cannot drive the terminal.
#[test]
fn describe_escapes_terminal_control_characters() {
    let c = Cluster::new();
    let f = c.file(
        "esc.json",
        r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"esc","annotations":{"note":"\u001b[31mred\r!"}},"data":{"k":"a\rb"}}"#,
    );
    c.ok(&["apply", "-f", &f]);
    assert_text(
        &c.ok(&["describe", "cm", "esc"]),
        "Name:         esc
Namespace:    default
Labels:       <none>
Annotations:  note: ^[[31mred\\r!

Data
====
k:
----
a\\rb


BinaryData
====

Events:  <none>
",
    );
}

/// Go's JSON encoder leaves DEL and the C1 controls raw and go-yaml's reader refuses them, so
/// kubectl's YAML printer fails (nothing printed, exit 1); U+0085 (NEL) is allowed.
#[test]
fn get_yaml_of_a_value_with_a_raw_control_character_fails_as_kubectl() {
    let c = Cluster::new();
    let f = c.file(
        "ctl.json",
        r#"{"apiVersion":"v1","kind":"List","items":[
{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"del"},"data":{"k":"a\u007fb"}},
{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1","annotations":{"x":"\u0090"}}},
{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"nel"},"data":{"k":"v\u0085"}}]}"#,
    );
    c.ok(&["apply", "-f", &f]);
    for args in
        [&["get", "cm", "del", "-o", "yaml"][..], &["get", "cm", "c1", "-o", "yaml"], &["get", "cm", "-o", "yaml"]]
    {
        let o = c.run(args);
        assert_eq!(
            (o.stdout.as_str(), o.stderr.as_str(), o.code),
            ("", "error: yaml: control characters are not allowed\n", 1),
            "{args:?}"
        );
    }
    // go-yaml writes the NEL break inside single quotes as a space (checked with kubectl v1.32.5).
    assert!(c
        .ok(&["get", "cm", "nel", "-o", "yaml"])
        .starts_with("apiVersion: v1\ndata:\n  k: 'v '\nkind: ConfigMap\n"));
    assert_eq!(c.ok(&["get", "cm", "del", "-o", "jsonpath={.data.k}"]), "a\u{7f}b");
}

/// Every command's `-o yaml` goes through the same YAML printer as `get`, so each refuses a raw
/// control character the same way, after the change was made: kubectl prints what the server
/// answered, so `create`, `apply` and `label` keep their changes (a client dry run makes none).
#[test]
fn every_yaml_printer_refuses_raw_control_characters() {
    let c = Cluster::new();
    let refused = |args: &[&str]| {
        let o = c.run(args);
        assert_eq!(
            (o.stdout.as_str(), o.stderr.as_str(), o.code),
            ("", "error: yaml: control characters are not allowed\n", 1),
            "{args:?}"
        );
    };
    let f = c.file("del.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: del\ndata:\n  k: \"a\\x7fb\"\n");
    refused(&["apply", "-f", &f, "-o", "yaml"]);
    refused(&["create", "configmap", "gen", "--from-literal=k=a\u{7f}b", "-o", "yaml"]);
    refused(&["create", "configmap", "dry", "--from-literal=k=a\u{7f}b", "--dry-run=client", "-o", "yaml"]);
    refused(&["label", "cm", "del", "x=y", "-o", "yaml"]);
    assert_eq!(c.ok(&["get", "cm", "del", "-o", "jsonpath={.metadata.labels}"]), r#"{"x":"y"}"#);
    assert_eq!(c.ok(&["get", "cm", "-o", "name"]), "configmap/del\nconfigmap/gen\nconfigmap/kube-root-ca.crt\n");
}

/// The generic describer prints a custom resource's numbers as kubectl reads them from the JSON
/// text: integers (also `1.0` and `-0.0`, whose JSON is `1` and `-0`) as int64, other numbers by
/// Go's `%v`, which uses the exponent form from 1e6 on (`1.23456789123e+08`, `1.5e-07`).
#[test]
fn describe_custom_resource_numbers_as_kubectl() {
    let c = Cluster::new();
    let crd = c.file(
        "crd.yaml",
        "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
",
    );
    c.ok(&["apply", "-f", &crd]);
    let w = c.file(
        "n.json",
        r#"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"n"},"spec":{"f1":1.0,"f2":0.1,"f3":1e21,"f4":1.5e-7,"f5":123456789.123,"f6":1234567.0,"f7":123456.5,"neg":-0.0,"big":9007199254740993}}"#,
    );
    c.ok(&["apply", "-f", &w]);
    assert_text(
        &section(&c.ok(&["describe", "widget", "n"]), "Spec:", "Events:"),
        "Spec:
  Big:   9007199254740993
  f1:    1
  f2:    0.1
  f3:    1e+21
  f4:    1.5e-07
  f5:    1.23456789123e+08
  f6:    1234567
  f7:    123456.5
  Neg:   0
",
    );
}

/// The API server defaults an EndpointSlice port's name to "" and protocol to TCP (kubectl's
/// describe dereferences the protocol and panicked on kstate's slices without it).
#[test]
fn endpoint_slice_ports_are_defaulted_and_described_as_kubectl() {
    let c = Cluster::new();
    let f = c.file(
        "eps.yaml",
        "apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: manual-1, labels: {kubernetes.io/service-name: manual}}
addressType: IPv4
ports: [{name: http, port: 80}, {port: 8080}]
endpoints:
- addresses: [10.1.2.3]
  conditions: {}
- addresses: [10.1.2.4]
  conditions: {ready: true}
  hostname: h
  nodeName: n1
  zone: z1
",
    );
    c.ok(&["apply", "-f", &f]);
    assert_eq!(
        c.ok(&["get", "endpointslice", "manual-1", "-o", "jsonpath={.ports}"]),
        r#"[{"name":"http","port":80,"protocol":"TCP"},{"name":"","port":8080,"protocol":"TCP"}]"#
    );
    assert_text(
        &c.ok(&["describe", "endpointslice", "manual-1"]),
        "Name:         manual-1
Namespace:    default
Labels:       kubernetes.io/service-name=manual
Annotations:  <none>
AddressType:  IPv4
Ports:
  Name     Port  Protocol
  ----     ----  --------
  http     80    TCP
  <unset>  8080  TCP
Endpoints:
  - Addresses:  10.1.2.3
    Conditions:
      Ready:    <unset>
    Hostname:   <unset>
    NodeName:   <unset>
    Zone:       <unset>
  - Addresses:  10.1.2.4
    Conditions:
      Ready:   true
    Hostname:  h
    NodeName:  n1
    Zone:      z1
Events:        <none>
",
    );
}

/// In-tree volume sources print kubectl's blocks (the iSCSI label without a colon, Azure Disk's
/// `Kind: ` with a space, a `secretRef` through its generated `String()`), with the API server's
/// defaults for iSCSI, RBD and Azure Disk (kubectl dereferences the Azure Disk pointers).
#[test]
fn describe_pod_in_tree_volume_sources_as_kubectl() {
    let c = Cluster::new();
    let f = c.file(
        "legacy.yaml",
        r#"apiVersion: v1
kind: Pod
metadata: {name: legacy}
spec:
  nodeSelector: {nowhere: "true"}
  containers: [{name: c, image: nginx}]
  volumes:
  - {name: gce, gcePersistentDisk: {pdName: pd, fsType: ext4, partition: 1, readOnly: true}}
  - {name: iscsi, iscsi: {targetPortal: "1.2.3.4:3260", iqn: "iqn.x", lun: 0, portals: ["1.2.3.5:3260"], secretRef: {name: chap}}}
  - {name: rbd, rbd: {monitors: [m1, m2], image: img}}
  - {name: az, azureDisk: {diskName: d, diskURI: uri}}
  - {name: fc, fc: {wwids: [x]}}
  - {name: flex, flexVolume: {driver: "ex/d", options: {b: "2", a: "1"}}}
"#,
    );
    c.ok(&["apply", "-f", &f]);
    assert_eq!(
        c.ok(&["get", "pod", "legacy", "-o", "jsonpath={.spec.volumes[3].azureDisk}"]),
        r#"{"cachingMode":"ReadWrite","diskName":"d","diskURI":"uri","fsType":"ext4","kind":"Shared","readOnly":false}"#
    );
    let d = c.ok(&["describe", "pod", "legacy"]);
    assert_text(
        &section(&d, "Volumes:", "  kube-api-access-"),
        "Volumes:
  gce:
    Type:       GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)
    PDName:     pd
    FSType:     ext4
    Partition:  1
    ReadOnly:   true
  iscsi:
    Type:               ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod)
    TargetPortal:       1.2.3.4:3260
    IQN:                iqn.x
    Lun:                0
    ISCSIInterface      default
    FSType:             
    ReadOnly:           false
    Portals:            [1.2.3.5:3260]
    DiscoveryCHAPAuth:  false
    SessionCHAPAuth:    false
    SecretRef:          &LocalObjectReference{Name:chap,}
    InitiatorName:      <none>
  rbd:
    Type:          RBD (a Rados Block Device mount on the host that shares a pod's lifetime)
    CephMonitors:  [m1 m2]
    RBDImage:      img
    FSType:        
    RBDPool:       rbd
    RadosUser:     admin
    Keyring:       /etc/ceph/keyring
    SecretRef:     nil
    ReadOnly:      false
  az:
    Type:         AzureDisk (an Azure Data Disk mount on the host and bind mount to the pod)
    DiskName:     d
    DiskURI:      uri
    Kind:         Shared
    FSType:       ext4
    CachingMode:  ReadWrite
    ReadOnly:     false
  fc:
    Type:        FC (a Fibre Channel disk)
    TargetWWNs:  
    LUN:         <none>
    FSType:      
    ReadOnly:    false
  flex:
    Type:       FlexVolume (a generic volume resource that is provisioned/attached using an exec based plugin)
    Driver:     ex/d
    FSType:     
    SecretRef:  nil
    ReadOnly:   false
    Options:    map[a:1 b:2]
",
    );
}

/// A PersistentVolume's in-tree sources: secret references are `SecretReference`s, Glusterfs shows
/// its endpoints namespace (`<unset>`), ScaleIO its secret's name and namespace; iSCSI and ScaleIO
/// get the API server's defaults.
#[test]
fn describe_pv_in_tree_sources_as_kubectl() {
    let c = Cluster::new();
    let f = c.file(
        "pvs.yaml",
        r#"apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: PersistentVolume
  metadata: {name: pv-iscsi}
  spec:
    capacity: {storage: 1Gi}
    accessModes: [ReadWriteOnce]
    iscsi: {targetPortal: "1.2.3.4:3260", iqn: iqn.x, lun: 1, secretRef: {name: chap, namespace: ns}}
- apiVersion: v1
  kind: PersistentVolume
  metadata: {name: pv-gluster}
  spec:
    capacity: {storage: 1Gi}
    accessModes: [ReadWriteMany]
    glusterfs: {endpoints: ep, path: vol}
- apiVersion: v1
  kind: PersistentVolume
  metadata: {name: pv-sio}
  spec:
    capacity: {storage: 1Gi}
    accessModes: [ReadWriteOnce]
    scaleIO: {gateway: g, system: s, secretRef: {name: x, namespace: ns2}}
"#,
    );
    c.ok(&["apply", "-f", &f]);
    let sources: String = ["pv-iscsi", "pv-gluster", "pv-sio"]
        .iter()
        .map(|pv| section(&c.ok(&["describe", "pv", pv]), "Source:", "Events:"))
        .collect();
    assert_text(
        &sources,
        "Source:
    Type:               ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod)
    TargetPortal:       1.2.3.4:3260
    IQN:                iqn.x
    Lun:                1
    ISCSIInterface      default
    FSType:             
    ReadOnly:           false
    Portals:            []
    DiscoveryCHAPAuth:  false
    SessionCHAPAuth:    false
    SecretRef:          &SecretReference{Name:chap,Namespace:ns,}
    InitiatorName:      <none>
Source:
    Type:                Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)
    EndpointsName:       ep
    EndpointsNamespace:  <unset>
    Path:                vol
    ReadOnly:            false
Source:
    Type:               ScaleIO (a persistent volume backed by a block device in ScaleIO)
    Gateway:            g
    System:             s
    Protection Domain:  
    Storage Pool:       
    Storage Mode:       ThinProvisioned
    VolumeName:         
    SecretName:         x
    SecretNamespace:    ns2
    FSType:             xfs
    ReadOnly:           false
",
    );
}

/// A pod with scheduling gates gets the API server's `SchedulingGated` condition and is left
/// alone by the scheduler (no FailedScheduling event) until its gates are removed.
#[test]
fn a_pod_with_scheduling_gates_waits_unscheduled_until_they_are_removed() {
    let c = Cluster::new();
    let f = c.file(
        "gated.yaml",
        "apiVersion: v1
kind: Pod
metadata: {name: gated}
spec:
  schedulingGates: [{name: example.com/quota}]
  containers: [{name: c, image: nginx}]
",
    );
    c.ok(&["apply", "-f", &f]);
    assert_eq!(
        c.ok(&["get", "pod", "gated", "-o", "jsonpath={.status.conditions}"]),
        r#"[{"lastProbeTime":null,"lastTransitionTime":null,"message":"Scheduling is blocked due to non-empty scheduling gates","reason":"SchedulingGated","status":"False","type":"PodScheduled"}]"#
    );
    assert_text(
        &c.ok(&["get", "pod", "gated"]),
        "NAME    READY   STATUS            RESTARTS   AGE\ngated   0/1     SchedulingGated   0          0s\n",
    );
    let d = c.ok(&["describe", "pod", "gated"]);
    assert_text(
        &section(&d, "Conditions:", "Volumes:"),
        "Conditions:\n  Type           Status\n  PodScheduled   False \n",
    );
    assert!(d.ends_with("Events:                      <none>\n"), "{d}");
    c.ok(&["patch", "pod", "gated", "--type=json", "-p", r#"[{"op":"remove","path":"/spec/schedulingGates"}]"#]);
    assert_ne!(c.ok(&["get", "pod", "gated", "-o", "jsonpath={.spec.nodeName}"]), "");
}
