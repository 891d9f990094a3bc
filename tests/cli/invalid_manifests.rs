//! Invalid manifests of every common kind, each refused by `create -f` with the v1.32 API
//! server's validation message (pkg/apis/*/validation: 422 Invalid, after decoding succeeded;
//! strict_api.rs holds the decoding failures), exit 1, nothing on stdout, and a `get` of the kind
//! afterwards showing nothing changed.

use crate::harness::Cluster;

/// (case, resource listed before and after, manifest, kubectl's stderr)
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "cj1",
        "cronjobs",
        r#"apiVersion: batch/v1
kind: CronJob
metadata: {name: cj}
spec:
  schedule: "not a schedule"
  jobTemplate:
    spec:
      template:
        spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}
"#,
        r#"The CronJob "cj" is invalid: spec.schedule: Invalid value: "not a schedule": expected exactly 5 fields, found 3: [not a schedule]
"#,
    ),
    (
        "cj2",
        "cronjobs",
        r#"apiVersion: batch/v1
kind: CronJob
metadata: {name: cj}
spec:
  schedule: "* * * * *"
  concurrencyPolicy: Sometimes
  jobTemplate:
    spec:
      template:
        spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}
"#,
        r#"The CronJob "cj" is invalid: spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"
"#,
    ),
    (
        "cj3",
        "cronjobs",
        r#"apiVersion: batch/v1
kind: CronJob
metadata: {name: cj}
spec:
  jobTemplate:
    spec:
      template:
        spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}
"#,
        r#"The CronJob "cj" is invalid: spec.schedule: Required value
"#,
    ),
    (
        "cm1",
        "configmaps",
        r#"apiVersion: v1
kind: ConfigMap
metadata: {name: m}
data: {"bad key": x}
"#,
        r#"The ConfigMap "m" is invalid: data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')
"#,
    ),
    (
        "cm2",
        "configmaps",
        r#"apiVersion: v1
kind: ConfigMap
metadata: {name: m}
data: {a: x}
binaryData: {a: eA==}
"#,
        r#"The ConfigMap "m" is invalid: data[a]: Invalid value: "a": duplicate of key present in binaryData
"#,
    ),
    (
        "cm3",
        "configmaps",
        r#"apiVersion: v1
kind: ConfigMap
metadata: {name: M}
"#,
        r#"The ConfigMap "M" is invalid: metadata.name: Invalid value: "M": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
"#,
    ),
    (
        "deploy1",
        "deployments",
        r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: other}}
    spec: {containers: [{name: c, image: nginx}]}
"#,
        r#"The Deployment "d" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`
"#,
    ),
    (
        "deploy2",
        "deployments",
        r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    metadata: {labels: {app: d}}
    spec: {containers: [{name: c, image: nginx}]}
"#,
        r#"The Deployment "d" is invalid: spec.selector: Required value
"#,
    ),
    (
        "deploy3",
        "deployments",
        r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  strategy: {type: Sideways}
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec: {containers: [{name: c, image: nginx}]}
"#,
        r#"The Deployment "d" is invalid: spec.strategy.type: Unsupported value: "Sideways": supported values: "Recreate", "RollingUpdate"
"#,
    ),
    (
        "deploy4",
        "deployments",
        r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec: {containers: [{name: c, image: nginx}]}
"#,
        r#"The Deployment "d" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0
"#,
    ),
    (
        "deploy5",
        "deployments",
        r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec: {restartPolicy: Never, containers: [{name: c, image: nginx}]}
"#,
        r#"The Deployment "d" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"
"#,
    ),
    (
        "ds1",
        "daemonsets",
        r#"apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds}
spec:
  selector: {matchLabels: {app: ds}}
  template:
    metadata: {labels: {app: other}}
    spec: {containers: [{name: c, image: nginx}]}
"#,
        r#"The DaemonSet "ds" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`
"#,
    ),
    (
        "ds2",
        "daemonsets",
        r#"apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds}
spec:
  updateStrategy: {type: Sometimes}
  selector: {matchLabels: {app: ds}}
  template:
    metadata: {labels: {app: ds}}
    spec: {containers: [{name: c, image: nginx}]}
"#,
        r#"The DaemonSet "ds" is invalid: spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Sometimes", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"
"#,
    ),
    (
        "hpa1",
        "horizontalpodautoscalers",
        r#"apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: d}
  minReplicas: 5
  maxReplicas: 2
"#,
        r#"The HorizontalPodAutoscaler "h" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`
"#,
    ),
    (
        "hpa2",
        "horizontalpodautoscalers",
        r#"apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: d}
  minReplicas: 0
  maxReplicas: 2
"#,
        r#"The HorizontalPodAutoscaler "h" is invalid: spec.minReplicas: Invalid value: 0: must be greater than or equal to 1
"#,
    ),
    (
        "hpa3",
        "horizontalpodautoscalers",
        r#"apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: apps/v1, name: d}
  maxReplicas: 2
"#,
        r#"The HorizontalPodAutoscaler "h" is invalid: spec.scaleTargetRef.kind: Required value
"#,
    ),
    (
        "job1",
        "jobs",
        r#"apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  template:
    spec: {containers: [{name: c, image: busybox}]}
"#,
        r#"The Job "j" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"
"#,
    ),
    (
        "job2",
        "jobs",
        r#"apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  parallelism: -1
  template:
    spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}
"#,
        r#"The Job "j" is invalid: spec.parallelism: Invalid value: -1: must be greater than or equal to 0
"#,
    ),
    (
        "job3",
        "jobs",
        r#"apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  backoffLimit: -1
  template:
    spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}
"#,
        r#"The Job "j" is invalid: spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0
"#,
    ),
    (
        "job4",
        "jobs",
        r#"apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  completionMode: Sometimes
  template:
    spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}
"#,
        r#"The Job "j" is invalid: spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"
"#,
    ),
    (
        "ns1",
        "namespaces",
        r#"apiVersion: v1
kind: Namespace
metadata: {name: Team_A}
"#,
        r#"The Namespace "Team_A" is invalid: metadata.name: Invalid value: "Team_A": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')
"#,
    ),
    (
        "ns2",
        "namespaces",
        r#"apiVersion: v1
kind: Namespace
metadata: {name: a-very-long-namespace-name-that-is-more-than-sixty-three-characters-long}
"#,
        r#"The Namespace "a-very-long-namespace-name-that-is-more-than-sixty-three-characters-long" is invalid: 
* metadata.name: Invalid value: "a-very-long-namespace-name-that-is-more-than-sixty-three-characters-long": must be no more than 63 characters
* metadata.labels: Invalid value: "a-very-long-namespace-name-that-is-more-than-sixty-three-characters-long": must be no more than 63 characters
"#,
    ),
    (
        "pc1",
        "priorityclasses",
        r#"apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 2000000000
"#,
        r#"The PriorityClass "high" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000
"#,
    ),
    (
        "pdb2",
        "poddisruptionbudgets",
        r#"apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: b}
spec:
  minAvailable: 150%
  selector: {matchLabels: {app: x}}
"#,
        r#"The PodDisruptionBudget "b" is invalid: spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%
"#,
    ),
    (
        "pdb3",
        "poddisruptionbudgets",
        r#"apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: b}
spec:
  maxUnavailable: -1
  selector: {matchLabels: {app: x}}
"#,
        r#"The PodDisruptionBudget "b" is invalid: spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0
"#,
    ),
    (
        "pv1",
        "persistentvolumes",
        r#"apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
"#,
        r#"The PersistentVolume "pv1" is invalid: spec: Required value: must specify a volume type
"#,
    ),
    (
        "pv2",
        "persistentvolumes",
        r#"apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1}
spec:
  accessModes: [ReadWriteOnce]
  hostPath: {path: /tmp}
"#,
        r#"The PersistentVolume "pv1" is invalid: spec.capacity: Required value
"#,
    ),
    (
        "pv3",
        "persistentvolumes",
        r#"apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Keep
  hostPath: {path: /tmp}
"#,
        r#"The PersistentVolume "pv1" is invalid: spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"
"#,
    ),
    (
        "pvc1",
        "persistentvolumeclaims",
        r#"apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: v}
spec:
  resources: {requests: {storage: 1Gi}}
"#,
        r#"The PersistentVolumeClaim "v" is invalid: spec.accessModes: Required value: at least 1 access mode is required
"#,
    ),
    (
        "pvc2",
        "persistentvolumeclaims",
        r#"apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: v}
spec:
  accessModes: [ReadWriteOnce]
"#,
        r#"The PersistentVolumeClaim "v" is invalid: spec.resources[storage]: Required value
"#,
    ),
    (
        "pvc3",
        "persistentvolumeclaims",
        r#"apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: v}
spec:
  accessModes: [ReadWriteSometimes]
  resources: {requests: {storage: 1Gi}}
"#,
        r#"The PersistentVolumeClaim "v" is invalid: spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"
"#,
    ),
    (
        "pvc4",
        "persistentvolumeclaims",
        r#"apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: v}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: "0"}}
"#,
        r#"The PersistentVolumeClaim "v" is invalid: spec.resources[storage]: Invalid value: "0": must be greater than zero
"#,
    ),
    (
        "sc1",
        "storageclasses",
        r#"apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: x}
provisioner: ""
"#,
        r#"The StorageClass "x" is invalid: provisioner: Required value
"#,
    ),
    (
        "sc2",
        "storageclasses",
        r#"apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: x}
provisioner: p
reclaimPolicy: Keep
"#,
        r#"The StorageClass "x" is invalid: reclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Retain"
"#,
    ),
    (
        "sc3",
        "storageclasses",
        r#"apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: x}
provisioner: p
volumeBindingMode: Later
"#,
        r#"The StorageClass "x" is invalid: volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"
"#,
    ),
    (
        "sec1",
        "secrets",
        r#"apiVersion: v1
kind: Secret
metadata: {name: s}
stringData: {"a/b": x}
"#,
        r#"The Secret "s" is invalid: data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')
"#,
    ),
    (
        "sec2",
        "secrets",
        r#"apiVersion: v1
kind: Secret
metadata: {name: s}
type: kubernetes.io/tls
data: {tls.crt: eA==}
"#,
        r#"The Secret "s" is invalid: data[tls.key]: Required value
"#,
    ),
    (
        "sec3",
        "secrets",
        r#"apiVersion: v1
kind: Secret
metadata: {name: s}
type: kubernetes.io/dockerconfigjson
data: {}
"#,
        r#"The Secret "s" is invalid: data[.dockerconfigjson]: Required value
"#,
    ),
    (
        "sts1",
        "statefulsets",
        r#"apiVersion: apps/v1
kind: StatefulSet
metadata: {name: w}
spec:
  serviceName: w
  replicas: -1
  selector: {matchLabels: {app: w}}
  template:
    metadata: {labels: {app: w}}
    spec: {containers: [{name: c, image: nginx}]}
"#,
        r#"The StatefulSet "w" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0
"#,
    ),
    (
        "sts2",
        "statefulsets",
        r#"apiVersion: apps/v1
kind: StatefulSet
metadata: {name: w}
spec:
  serviceName: w
  selector: {matchLabels: {app: w}}
  template:
    metadata: {labels: {app: x}}
    spec: {containers: [{name: c, image: nginx}]}
"#,
        r#"The StatefulSet "w" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`
"#,
    ),
    (
        "sts3",
        "statefulsets",
        r#"apiVersion: apps/v1
kind: StatefulSet
metadata: {name: w}
spec:
  serviceName: w
  podManagementPolicy: Random
  selector: {matchLabels: {app: w}}
  template:
    metadata: {labels: {app: w}}
    spec: {containers: [{name: c, image: nginx}]}
"#,
        r#"The StatefulSet "w" is invalid: spec.podManagementPolicy: Invalid value: "Random": must be 'OrderedReady' or 'Parallel'
"#,
    ),
    (
        "svc1",
        "services",
        r#"apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  ports: [{port: 0}]
"#,
        r#"The Service "s" is invalid: 
* spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive
* spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive
"#,
    ),
    (
        "svc2",
        "services",
        r#"apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  type: Bogus
  ports: [{port: 80}]
"#,
        r#"The Service "s" is invalid: spec.type: Unsupported value: "Bogus": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"
"#,
    ),
    (
        "svc3",
        "services",
        r#"apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  ports: [{port: 80, name: a}, {port: 81, name: a}]
"#,
        r#"The Service "s" is invalid: spec.ports[1].name: Duplicate value: "a"
"#,
    ),
    (
        "svc4",
        "services",
        r#"apiVersion: v1
kind: Service
metadata: {name: s}
spec: {}
"#,
        r#"The Service "s" is invalid: spec.ports: Required value
"#,
    ),
    (
        "svc6",
        "services",
        r#"apiVersion: v1
kind: Service
metadata: {name: S_1}
spec:
  ports: [{port: 80}]
"#,
        r#"The Service "S_1" is invalid: metadata.name: Invalid value: "S_1": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')
"#,
    ),
];

#[test]
fn invalid_manifests_of_every_kind_are_refused_and_change_nothing() {
    let c = Cluster::new();
    assert!(CASES.len() >= 40, "{} cases", CASES.len());
    for (case, resource, manifest, want) in CASES {
        let f = c.file("bad.yaml", manifest);
        let before = c.ok(&["get", resource, "-A", "-o", "name"]);
        let o = c.run(&["create", "-f", &f]);
        assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("", *want, 1), "case {case}");
        assert_eq!(c.ok(&["get", resource, "-A", "-o", "name"]), before, "case {case}: the cluster changed");
    }
}
