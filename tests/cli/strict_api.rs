//! The API server's decoding and validation of request bodies: each invalid manifest is refused
//! with v1.32's exact message and exit 1, and leaves the cluster as it was. Then `--validate`,
//! updates of immutable fields, resourceVersion conflicts and the immortal namespaces.

use crate::harness::{assert_text, Cluster};

const POD: &str =
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n";
const SVC: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n";
const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: d\n  template:\n    metadata:\n      labels:\n        app: d\n    spec:\n      containers:\n      - name: c\n        image: nginx\n";
const STS: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: w\nspec:\n  serviceName: w\n  replicas: 1\n  selector:\n    matchLabels:\n      app: w\n  template:\n    metadata:\n      labels:\n        app: w\n    spec:\n      containers:\n      - name: c\n        image: nginx\n";
const PVC: &str = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: v\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n";
const PV: &str = "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv\nspec:\n  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteOnce]\n  gcePersistentDisk:\n    pdName: d\n    partition: 1\n";
const JOB: &str = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n";

/// `base` with one line appended under the line `after` (indentation included in `add`).
fn with(base: &str, after: &str, add: &str) -> String {
    let at = base.find(after).map(|i| i + after.len()).unwrap_or_else(|| panic!("{after:?} not in manifest"));
    format!("{}{add}{}", &base[..at], &base[at..])
}

fn bad_request(kind: &str, version: &str, why: &str) -> String {
    format!("Error from server (BadRequest): error when creating \"bad.yaml\": {kind} in version \"{version}\" cannot be handled as a {kind}: {why}")
}

fn field(value: &str, go_struct: &str, path: &str, ty: &str) -> String {
    format!("json: cannot unmarshal {value} into Go struct field {go_struct}.{path} of type {ty}")
}

const QTY: &str = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// (manifest, kubectl's stderr without the final newline)
fn cases() -> Vec<(String, String)> {
    let pod = |why: &str| bad_request("Pod", "v1", why);
    let c0 = "    image: nginx\n";
    vec![
        // Unknown fields under --validate=strict.
        (with(POD, c0, "    imagePullPolice: Always\n"), pod("strict decoding error: unknown field \"spec.containers[0].imagePullPolice\"")),
        (with(POD, "spec:\n", "  foo: 1\n  bar: 2\n"), pod("strict decoding error: unknown field \"spec.bar\", unknown field \"spec.foo\"")),
        (with(POD, "kind: Pod\n", "extra: true\n"), pod("strict decoding error: unknown field \"extra\"")),
        (with(POD, "  name: p\n", "  lables:\n    a: b\n"), pod("strict decoding error: unknown field \"metadata.lables\"")),
        (with(DEPLOY, "  replicas: 1\n", "  serviceAccountName: x\n"), bad_request("Deployment", "v1", "strict decoding error: unknown field \"spec.serviceAccountName\"")),
        (with(STS, "        image: nginx\n", "        resources:\n          requests:\n            cpu: 1\n          memory: 1Gi\n"), bad_request("StatefulSet", "v1", "strict decoding error: unknown field \"spec.template.spec.containers[0].resources.memory\"")),
        (with(SVC, "  - port: 80\n", "    targetport: 8080\n"), bad_request("Service", "v1", "strict decoding error: unknown field \"spec.ports[0].targetport\"")),
        (with(PVC, "  accessModes: [ReadWriteOnce]\n", "  storage: 1Gi\n"), bad_request("PersistentVolumeClaim", "v1", "strict decoding error: unknown field \"spec.storage\"")),
        (with(JOB, "spec:\n", "  retries: 3\n"), bad_request("Job", "v1", "strict decoding error: unknown field \"spec.retries\"")),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndatas:\n  a: b\n".into(), bad_request("ConfigMap", "v1", "strict decoding error: unknown field \"datas\"")),
        ("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: x\nprovisioner: p\nparameter:\n  a: b\n".into(), bad_request("StorageClass", "v1", "strict decoding error: unknown field \"parameter\"")),
        ("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns1\nspec:\n  owner: me\n".into(), bad_request("Namespace", "v1", "strict decoding error: unknown field \"spec.owner\"")),
        // Field types and int32 ranges.
        (STS.replace("replicas: 1", "replicas: three"), bad_request("StatefulSet", "v1", &field("string", "StatefulSetSpec", "spec.replicas", "int32"))),
        (DEPLOY.replace("replicas: 1", "replicas: 3000000000"), bad_request("Deployment", "v1", &field("number 3000000000", "DeploymentSpec", "spec.replicas", "int32"))),
        (DEPLOY.replace("replicas: 1", "replicas: 1.5"), bad_request("Deployment", "v1", &field("number 1.5", "DeploymentSpec", "spec.replicas", "int32"))),
        (with(POD, c0, "    ports:\n    - containerPort: \"80\"\n"), pod(&field("string", "ContainerPort", "spec.containers.ports.containerPort", "int32"))),
        (with(POD, c0, "    ports:\n      containerPort: 80\n"), pod(&field("object", "Container", "spec.containers.ports", "[]v1.ContainerPort"))),
        (with(POD, "spec:\n", "  hostNetwork: \"yes\"\n"), pod(&field("string", "PodSpec", "spec.hostNetwork", "bool"))),
        (with(POD, "spec:\n", "  restartPolicy: 1\n"), pod(&field("number", "PodSpec", "spec.restartPolicy", "v1.RestartPolicy"))),
        (with(POD, "spec:\n", "  terminationGracePeriodSeconds: ten\n"), pod(&field("string", "PodSpec", "spec.terminationGracePeriodSeconds", "int64"))),
        (with(POD, c0, "    command: sleep 10\n"), pod(&field("string", "Container", "spec.containers.command", "[]string"))),
        (with(POD, c0, "    env:\n    - name: A\n      value: 1\n"), pod(&field("number", "EnvVar", "spec.containers.env.value", "string"))),
        (POD.replace("spec:\n  containers:\n  - name: c\n    image: nginx\n", "spec: nginx\n"), pod(&field("string", "Pod", "spec", "v1.PodSpec"))),
        (with(POD, c0, "    securityContext:\n      runAsUser: root\n"), pod(&field("string", "SecurityContext", "spec.containers.securityContext.runAsUser", "int64"))),
        (with(POD, c0, "    readinessProbe:\n      periodSeconds: 2147483648\n"), pod(&field("number 2147483648", "Probe", "spec.containers.readinessProbe.periodSeconds", "int32"))),
        (with(POD, "spec:\n", "  nodeSelector:\n    disk: [ssd]\n"), pod(&field("array", "PodSpec", "spec.nodeSelector", "string"))),
        (with(SVC, "  - port: 80\n", "    protocol: 6\n"), bad_request("Service", "v1", &field("number", "ServicePort", "spec.ports.protocol", "v1.Protocol"))),
        (SVC.replace("  - port: 80\n", "  - port: http\n"), bad_request("Service", "v1", &field("string", "ServicePort", "spec.ports.port", "int32"))),
        (with(JOB, "spec:\n", "  backoffLimit: -1.5\n"), bad_request("Job", "v1", &field("number -1.5", "JobSpec", "spec.backoffLimit", "int32"))),
        ("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\nspec:\n  schedule: 5\n".into(), bad_request("CronJob", "v1", &field("number", "CronJobSpec", "spec.schedule", "string"))),
        ("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: x\nprovisioner: p\nallowVolumeExpansion: sometimes\n".into(), bad_request("StorageClass", "v1", &field("string", "StorageClass", "allowVolumeExpansion", "bool"))),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n  list: [1, 2]\n".into(), bad_request("ConfigMap", "v1", &field("array", "ConfigMap", "data", "string"))),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\nimmutable: \"true\"\n".into(), bad_request("ConfigMap", "v1", &field("string", "ConfigMap", "immutable", "bool"))),
        ("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\nspec:\n  maxReplicas: ten\n".into(), bad_request("HorizontalPodAutoscaler", "v2", &field("string", "HorizontalPodAutoscalerSpec", "spec.maxReplicas", "int32"))),
        // The in-tree volume sources are typed as the Go structs they decode into.
        (PV.replace("pdName", "pdNmae"), bad_request("PersistentVolume", "v1", "strict decoding error: unknown field \"spec.gcePersistentDisk.pdNmae\"")),
        (PV.replace("partition: 1", "partition: \"1\""), bad_request("PersistentVolume", "v1", &field("string", "GCEPersistentDiskVolumeSource", "spec.gcePersistentDisk.partition", "int32"))),
        (with(POD, "spec:\n", "  volumes:\n  - name: d\n    azureDisk:\n      diskName: d\n      diskURI: u\n      readOnly: \"no\"\n"), pod(&field("string", "AzureDiskVolumeSource", "spec.volumes.azureDisk.readOnly", "bool"))),
        (with(POD, "spec:\n", "  volumes:\n  - name: i\n    iscsi:\n      targetPortal: t\n      iqn: q\n      lun: 0\n      secretRef:\n        name: s\n        namespace: x\n"), pod("strict decoding error: unknown field \"spec.volumes[0].iscsi.secretRef.namespace\"")),
        ("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\nspec:\n  maxReplicas: 3\n  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: Utilization\n        averageUtilisation: 50\n".into(), bad_request("HorizontalPodAutoscaler", "v2", "strict decoding error: unknown field \"spec.metrics[0].resource.target.averageUtilisation\"")),
        ("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\nspec:\n  maxReplicas: 3\n  behavior:\n    scaleUp:\n      policies:\n      - type: Pods\n        value: \"4\"\n        periodSeconds: 15\n".into(), bad_request("HorizontalPodAutoscaler", "v2", &field("string", "HPAScalingPolicy", "spec.behavior.scaleUp.policies.value", "int32"))),
        // Quantities, int-or-strings, base64.
        (with(POD, c0, "    resources:\n      limits:\n        memory: 1Gx\n"), pod(QTY)),
        (with(POD, c0, "    resources:\n      requests:\n        cpu: one\n"), pod(QTY)),
        (PVC.replace("storage: 1Gi", "storage: 10 GB"), bad_request("PersistentVolumeClaim", "v1", QTY)),
        (with(POD, "spec:\n", "  volumes:\n  - name: t\n    emptyDir:\n      sizeLimit: lots\n"), pod(QTY)),
        (with(SVC, "  - port: 80\n", "    targetPort: true\n"), bad_request("Service", "v1", "json: cannot unmarshal bool into Go value of type int32")),
        (with(STS, "  replicas: 1\n", "  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 1.5\n"), bad_request("StatefulSet", "v1", "json: cannot unmarshal number 1.5 into Go value of type int32")),
        ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: hunter2\n".into(), bad_request("Secret", "v1", "illegal base64 data at input byte 4")),
        ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: aGk\n".into(), bad_request("Secret", "v1", "illegal base64 data at input byte 0")),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\nbinaryData:\n  blob: \"@@@@\"\n".into(), bad_request("ConfigMap", "v1", "illegal base64 data at input byte 0")),
        // Validation after decoding (422).
        (with(POD, "spec:\n", "  restartPolicy: Sometimes\n"), "The Pod \"p\" is invalid: spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"".into()),
    ]
}

#[test]
fn invalid_manifests_are_refused_and_change_nothing() {
    let c = Cluster::new();
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    for (manifest, stderr) in cases {
        let f = c.file("bad.yaml", &manifest);
        let before = c.snapshot();
        let out = c.command(&["create", "-f", "bad.yaml"]).output().expect("run kstate");
        let _ = f;
        let got = String::from_utf8_lossy(&out.stderr);
        assert_eq!(got, format!("{stderr}\n"), "manifest:\n{manifest}");
        assert_eq!(out.status.code(), Some(1), "manifest:\n{manifest}");
        assert!(out.stdout.is_empty(), "manifest:\n{manifest}");
        assert_eq!(c.snapshot(), before, "the cluster changed for:\n{manifest}");
    }
}

#[test]
fn validate_flag_chooses_what_happens_to_unknown_fields() {
    let c = Cluster::new();
    let f = c.file("pod.yaml", &with(POD, "    image: nginx\n", "    imagePullPolice: Always\n"));
    let out = c.run(&["apply", "-f", &f, "--validate=warn"]);
    assert_text(&out.stderr, "Warning: unknown field \"spec.containers[0].imagePullPolice\"\n");
    assert_text(&out.stdout, "pod/p created\n");
    // Dropped from the object; the last-applied annotation keeps what the user wrote.
    assert!(!c.ok(&["get", "pod", "p", "-o", "jsonpath={.spec}"]).contains("imagePullPolice"));
    let g = c.file("svc.yaml", &with(SVC, "  - port: 80\n", "    bogus: 1\n"));
    let out = c.run(&["create", "-f", &g, "--validate=ignore"]);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str(), out.code), ("service/s created\n", "", 0));
    let out = c.run(&["create", "-f", &g, "--validate=foo"]);
    assert_text(
        &out.stderr,
        "error: invalid - validate option \"foo\"; must be one of: strict (or true), warn, ignore (or false)\n",
    );
    assert_eq!(out.code, 1);
    let out = c.run(&["create", "-f", &g, "--validate"]);
    assert!(out.stderr.contains("strict decoding error: unknown field \"spec.ports[0].bogus\""), "{}", out.stderr);
}

#[test]
fn immutable_fields_keep_their_values() {
    let c = Cluster::new();
    let pod = c.file("pod.yaml", POD);
    c.ok(&["apply", "-f", &pod]);
    let before = c.snapshot();
    let changed = c.file("pod2.yaml", &with(POD, "    image: nginx\n", "    ports:\n    - containerPort: 80\n"));
    let out = c.run(&["apply", "-f", &changed]);
    assert_text(&out.stderr, "The Pod \"p\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n");
    assert_eq!(out.code, 1);
    assert_eq!(c.snapshot(), before);
    let image = c.file("pod3.yaml", &POD.replace("image: nginx", "image: nginx:1.27"));
    assert_text(&c.ok(&["apply", "-f", &image]), "pod/p configured\n");

    let svc = c.file("svc.yaml", SVC);
    c.ok(&["apply", "-f", &svc]);
    let ip = c.ok(&["get", "svc", "s", "-o", "jsonpath={.spec.clusterIP}"]);
    let moved = if ip == "10.96.0.200" { "10.96.0.201" } else { "10.96.0.200" };
    let out = c.run(&["patch", "svc", "s", "-p", &format!("{{\"spec\":{{\"clusterIP\":\"{moved}\"}}}}")]);
    assert_text(&out.stderr, &format!("The Service \"s\" is invalid: spec.clusterIPs[0]: Invalid value: []string{{\"{moved}\"}}: may not change once set\n"));
    // Leaving the address out keeps it.
    let labelled = c.file("svc2.yaml", &SVC.replace("  name: s\n", "  name: s\n  labels:\n    a: b\n"));
    assert_text(&c.ok(&["apply", "-f", &labelled]), "service/s configured\n");
    assert_eq!(c.ok(&["get", "svc", "s", "-o", "jsonpath={.spec.clusterIP}"]), ip);
}

#[test]
fn status_is_ignored_on_the_main_resource() {
    let c = Cluster::new();
    let pod = c.file("pod.yaml", POD);
    c.ok(&["create", "-f", &pod]);
    let out = c.run(&["patch", "pod", "p", "--type=merge", "-p", "{\"status\":{\"phase\":\"Failed\"}}"]);
    assert_text(&out.stdout, "pod/p patched (no change)\n");
    assert_eq!(c.ok(&["get", "pod", "p", "-o", "jsonpath={.status.phase}"]), "Running");
}

#[test]
fn patches_drop_unknown_fields_with_a_warning_and_refuse_wrong_types() {
    // kubectl's patch sends no fieldValidation, which the server takes as Warn.
    let c = Cluster::new();
    let pod = c.file("pod.yaml", POD);
    c.ok(&["create", "-f", &pod]);
    let out = c.run(&["patch", "pod", "p", "-p", "{\"spec\":{\"foo\":1}}"]);
    assert_text(&out.stderr, "Warning: unknown field \"spec.foo\"\n");
    assert_text(&out.stdout, "pod/p patched (no change)\n");
    assert_eq!(out.code, 0);
    let p = "{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":{\"foo\":1}}";
    let out = c.run(&["patch", "pod", "p", "--type=merge", "-p", p]);
    assert_text(&out.stderr, "Warning: unknown field \"spec.foo\"\n");
    assert_text(&out.stdout, "pod/p patched\n");
    assert_eq!(c.ok(&["get", "pod", "p", "-o", "jsonpath={.metadata.labels.a}|{.spec.foo}"]), "b|");
    c.ok(&["label", "pod", "p", "a-"]);
    let before = c.snapshot();
    let out = c.run(&["patch", "pod", "p", "-p", "{\"spec\":{\"activeDeadlineSeconds\":\"x\"}}"]);
    assert_text(&out.stderr, "Error from server (BadRequest): Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field PodSpec.spec.activeDeadlineSeconds of type int64\n");
    assert_eq!(out.code, 1);
    assert_eq!(c.snapshot(), before);
}

#[test]
fn a_stale_resource_version_is_a_conflict() {
    let c = Cluster::new();
    let cm = c.file("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n  a: b\n");
    c.ok(&["create", "-f", &cm]);
    let rv = c.ok(&["get", "cm", "m", "-o", "jsonpath={.metadata.resourceVersion}"]);
    c.ok(&["label", "cm", "m", "x=y"]);
    let before = c.snapshot();
    let stale = format!("{{\"metadata\":{{\"resourceVersion\":\"{rv}\"}},\"data\":{{\"a\":\"c\"}}}}");
    let out = c.run(&["patch", "cm", "m", "--type=merge", "-p", &stale]);
    assert_text(&out.stderr, "Error from server (Conflict): Operation cannot be fulfilled on configmaps \"m\": the object has been modified; please apply your changes to the latest version and try again\n");
    assert_eq!(out.code, 1);
    assert_eq!(c.snapshot(), before);
}

#[test]
fn immortal_namespaces_survive_delete_all() {
    let c = Cluster::new();
    c.ok(&["create", "namespace", "team"]);
    let out = c.run(&["delete", "namespace", "--all"]);
    assert_text(&out.stdout, "namespace \"kube-node-lease\" deleted\nnamespace \"team\" deleted\n");
    assert_text(
        &out.stderr,
        "Error from server (Forbidden): namespaces \"default\" is forbidden: this namespace may not be deleted\n\
         Error from server (Forbidden): namespaces \"kube-public\" is forbidden: this namespace may not be deleted\n\
         Error from server (Forbidden): namespaces \"kube-system\" is forbidden: this namespace may not be deleted\n",
    );
    assert_eq!(out.code, 1);
    assert_text(
        &c.ok(&["get", "ns", "-o", "name"]),
        "namespace/default\nnamespace/kube-public\nnamespace/kube-system\n",
    );
}
